"""tests/effect_when_pairing.py WITH WITHOUT: the pairing promises of effects.csv's `when` and
`when_due`.

WITH and WITHOUT are the paths.csv of two runs at one seed of tests/models/effect_when, WITHOUT
with row 3 (`half`, probability 0.5) stripped of its `when f=a` and row 9 (`coin`, `draw:coin` at
every shock) of its `when_due f=a`. f's path and the shocks are the same in both (no effect moves
f), so run by run:
- `half` draws its uniform whether or not `when` holds, so the half_in_a occurrences of WITH are
  exactly those of WITHOUT at which f is a;
- `coin` takes its draw's uniform even when cancelled, so after every shock at which f is a, g is
  at the same level in both runs (the draw's rows are alike from every level: the level drawn is
  a function of the uniform alone).
Were a uniform drawn only while the condition holds, the row's stream would fall out of step at
the first shock in b. Exit 0 when both hold and neither comparison is empty, 1 otherwise.
"""
import csv
import sys
from collections import defaultdict


def read(path):
    """Per replication: each factor's changes [(t, level)], the shock and half_in_a times."""
    changes = defaultdict(lambda: defaultdict(list))
    times = defaultdict(lambda: defaultdict(list))
    with open(path, newline="") as fh:
        for row in csv.DictReader(fh):
            rep, t = int(row["rep"]), row["t_years"]
            if row["kind"] in ("start", "change"):
                changes[rep][row["name"]].append((float(t), row["to"]))
            elif row["name"] in ("shock", "half_in_a"):
                times[rep][row["name"]].append(t)
    return changes, times


def level_at(changes, t):
    """The level once the instant t has settled (changes in time order)."""
    level = None
    for when, to in changes:
        if when <= t:
            level = to
    return level


def main(with_path, without_path):
    ch_w, tw = read(with_path)
    ch_o, to = read(without_path)
    if {r: c["f"] for r, c in ch_w.items()} != {r: c["f"] for r, c in ch_o.items()}:
        print("f's paths differ between the runs: the comparison means nothing")
        return 1
    kept = dropped = coins = cancelled = 0
    for rep in ch_o:
        f = ch_o[rep]["f"]
        expect = [t for t in to[rep]["half_in_a"] if level_at(f, float(t)) == "a"]
        dropped += len(to[rep]["half_in_a"]) - len(expect)
        kept += len(expect)
        if tw[rep]["half_in_a"] != expect:
            print(f"replication {rep}: half_in_a at {tw[rep]['half_in_a']} with `when`, "
                  f"expected {expect} (those of the run without it while f=a)")
            return 1
        for t in to[rep]["shock"]:
            if level_at(f, float(t)) != "a":
                cancelled += 1
                continue
            coins += 1
            gw, go = level_at(ch_w[rep]["g"], float(t)), level_at(ch_o[rep]["g"], float(t))
            if gw != go:
                print(f"replication {rep}: after the shock at {t} (f=a) g is {gw} with "
                      f"`when_due`, {go} without: the draw's stream fell out of step")
                return 1
    if not (kept and dropped and coins and cancelled):
        print(f"nothing compared ({kept} kept, {dropped} dropped, {coins} draws, {cancelled} "
              "cancelled): the test cannot fail")
        return 1
    print(f"paired: half_in_a {kept} kept while f=a, {dropped} dropped while f=b; coin {coins} "
          f"draws alike while f=a, {cancelled} cancelled while f=b")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
