"""tests/condition_grammar.py NEASIM DIR: random conditions against a model of their grammar.

Writes conditions of one to three terms, each of one to three clauses (`f=a`, `f!=a`, level lists
`f=a|b`, random spaces) on the factors of tests/models/or_condition (copied into DIR), as the
only outcome, and runs `neasim check DIR`. The model here says what each must give: refused (exit
65) when a clause or a term can never hold; otherwise the canonical form check prints (terms joined
by ' | ', clauses by ' & ', each clause as the levels it accepts). Fixed seeds; prints each
mismatch and exits 1 on any.
"""
import random
import subprocess
import sys

LEVELS = {"x": ["off", "on"], "y": ["off", "on"], "h": ["off", "on"], "c": ["off", "on"]}


def space(rng):
    return rng.choice(["", " ", "  "])


def clause(rng, masks):
    """One clause as written, its canonical form, and whether its term can still hold."""
    f = rng.choice(sorted(LEVELS))
    levels = LEVELS[f]
    named = rng.sample(levels, rng.randint(1, len(levels)))
    negated = rng.random() < 0.3
    text = f + space(rng) + ("!=" if negated else "=") + space(rng) + \
        (space(rng) + "|" + space(rng)).join(named)
    accepted = set(levels) - set(named) if negated else set(named)
    masks[f] = masks.get(f, set(levels)) & accepted
    canonical = f + "=" + "|".join(l for l in levels if l in accepted)
    return text, canonical, bool(accepted) and bool(masks[f])


def condition(rng):
    texts, canon, can_hold = [], [], True
    for _ in range(rng.randint(1, 3)):
        masks, ct, cc = {}, [], []
        for _ in range(rng.randint(1, 3)):
            t, c, ok = clause(rng, masks)
            ct.append(t)
            cc.append(c)
            can_hold = can_hold and ok
        texts.append((space(rng) + "&" + space(rng)).join(ct))
        canon.append(" & ".join(cc))
    return (space(rng) + "|" + space(rng)).join(texts), " | ".join(canon), can_hold


def main():
    neasim, folder = sys.argv[1], sys.argv[2]
    failures = refused = runs = 0
    for seed in (1, 2):
        rng = random.Random(seed)
        for _ in range(150):
            text, want, can_hold = condition(rng)
            with open(folder + "/outcomes.csv", "w") as fh:
                fh.write('outcome,condition,occurrence,description\no,"%s",state,x\n' % text)
            r = subprocess.run([neasim, "check", folder], capture_output=True, text=True)
            runs += 1
            if not can_hold:
                refused += 1
                if r.returncode != 65:
                    failures += 1
                    print("not refused: [%s] (exit %d)" % (text, r.returncode))
                continue
            lines = [l for l in r.stdout.splitlines() if l.startswith("  o ")]
            got = lines[0][4:].strip() if lines else None
            if r.returncode != 0 or got != want:
                failures += 1
                print("[%s]: want [%s], got [%s] (exit %d) %s"
                      % (text, want, got, r.returncode, r.stderr[:300]))
    print("%d conditions, %d refused, %d mismatches" % (runs, refused, failures))
    sys.exit(1 if failures else 0)


main()
