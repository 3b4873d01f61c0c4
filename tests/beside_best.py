"""tests/beside_best.py: the best lever beside the others, in the printed briefing and briefing.csv.

    python3 tests/beside_best.py OUT DIR KINDS [OUT DIR KINDS ...]

Each OUT is the printed output of a `neasim compare`, DIR its folder, KINDS the values its
minus_best_interval may take (`bound`, `paired` or `bound,paired`; with two, both must occur).
In briefing.csv each arm's minus_best_pp is its change minus that of the arm ranked 1 on the
outcome at the horizon (within the rounding of four significant digits), inside its interval,
`yes` exactly when the interval excludes 0; the five columns are NA on the best's own row and
where no arm is ranked. Printed, under each best lever: its lead over the next when briefing.csv
tells every other arm apart from it, else the arms not told apart, as many as briefing.csv has,
"(bound)" on no more than it compared on the widest interval; the note under the table exactly
when a mark is shown; a lead's next arm named "not listed above: no distinguishable ..." exactly
when briefing.csv tells it apart from zero at no date ("raise --top" only when it does at some).
Exits 1 on any difference, or when the first OUT shows fewer than 5 leads or none beside a next
arm that the table leaves out.
"""
import csv
import re
import sys

NOT_LISTED = r"(?:; not listed above: (raise --top|no distinguishable \w+ at any date))?"
LEAD = re.compile(r"^    (?:ahead of the next, (.+) \([-+]?[0-9.]+ pp" + NOT_LISTED +
                  r"\), by [0-9.]+ pp \([0-9.]+, [0-9.]+\)"
                  r"|beside the next, (.+) \([-+]?[0-9.]+ pp" + NOT_LISTED +
                  r"\): a difference of [-+][0-9.]+ pp \([-+][0-9.]+, [-+][0-9.]+\))$")
UNTOLD = "    not told apart from "
NOTE = "(bound): not told apart on the widest interval"
COLS = ("minus_best_pp", "minus_best_ci_low_pp", "minus_best_ci_high_pp",
        "minus_best_distinguishable", "minus_best_interval")


def check_table(rows, kinds):
    bad = []
    best = {(r["outcome"], r["date"]): r for r in rows if r["rank"] == "1"}
    for r in rows:
        cols = [r[k] for k in COLS]
        b = best.get((r["outcome"], r["date"]))
        if b is None or b["arm"] == r["arm"]:
            if cols != ["NA"] * 5:
                bad.append("%s on %s: not NA %s" % (r["arm"], r["outcome"], cols))
            continue
        m, lo, hi = (float(x) for x in cols[:3])
        da, db = float(r["difference_pp"]), float(b["difference_pp"])
        if abs(m - (da - db)) > 1e-3 * (abs(da) + abs(db)) + 1e-9:
            bad.append("%s on %s: minus_best %g, the changes give %g" % (r["arm"], r["outcome"], m,
                                                                        da - db))
        if not lo <= m <= hi or cols[3] != ("yes" if lo > 0 or hi < 0 else "no") \
                or cols[4] not in kinds:
            bad.append("%s on %s: %s" % (r["arm"], r["outcome"], cols))
    seen = {r["minus_best_interval"] for r in rows} - {"NA"}
    if seen != set(kinds):
        bad.append("minus_best_interval takes %s, expected %s" % (sorted(seen), sorted(kinds)))
    return bad


def check_printed(lines, rows):
    bad, leads, marks, nexts = [], 0, 0, [0, 0]
    last = max(r["date"] for r in rows)
    labels = sorted({r["outcome_label"] for r in rows}, key=len, reverse=True)
    outcome = None
    for i, ln in enumerate(lines):
        hit = [lab for lab in labels if not ln.startswith(" ") and ln.startswith(lab)]
        if hit:
            outcome = next(r["outcome"] for r in rows if r["outcome_label"] == hit[0])
        if not re.match(r"^  (best \w+|largest change): ", ln):
            continue
        under = lines[i + 1] if i + 1 < len(lines) else ""
        untold = [r for r in rows if r["outcome"] == outcome and r["date"] == last
                  and r["minus_best_distinguishable"] == "no"]
        on_bound = sum(r["minus_best_interval"] == "bound" for r in untold)
        lead = LEAD.match(under)
        if lead:
            leads += 1
            if untold:
                bad.append("%s: a lead, with %d not told apart" % (outcome, len(untold)))
            # the next arm, named with why the table leaves it out: exactly when it has no
            # distinguishable change at any date ("raise --top" only for one that has)
            label, why = (lead.group(1), lead.group(2)) if lead.group(1) else lead.group(3, 4)
            seen = {r["distinguishable"] for r in rows
                    if r["outcome"] == outcome and r["arm_label"] == label}
            if not seen:
                bad.append("%s: the next, %r, is no arm of briefing.csv" % (outcome, label))
            elif (why is not None and why.startswith("no ")) != (seen == {"no"}) \
                    or (why == "raise --top" and "yes" not in seen):
                bad.append("%s: the next, %r, said %r, distinguishable %s"
                           % (outcome, label, why, sorted(seen)))
            nexts[why is not None and why.startswith("no ")] += 1
        elif under.startswith(UNTOLD):
            items = re.split(r", | or ", under[len(UNTOLD):])
            more = re.fullmatch(r"(\d+) more", items[-1])
            n = len(items) - 1 + int(more.group(1)) if more else len(items)
            b = sum(x.endswith("(bound)") or x.endswith("; bound)") for x in items)
            marks += b
            if n != len(untold) or b > on_bound or (not more and b != on_bound):
                bad.append("%s: %r, where briefing.csv has %d not told apart, %d on a bound"
                           % (outcome, under, len(untold), on_bound))
        else:
            bad.append("%s: %r under %r" % (outcome, under, ln))
    if (marks > 0) != any(ln.startswith(NOTE) for ln in lines):
        bad.append("the note on (bound) with %d marks" % marks)
    return bad, leads, nexts


def main(args):
    bad, first_leads = [], None
    for k in range(0, len(args), 3):
        out, folder, kinds = args[k], args[k + 1], args[k + 2].split(",")
        rows = list(csv.DictReader(open(folder + "/briefing.csv", encoding="utf-8", newline="")))
        lines = open(out, encoding="utf-8").read().split("\n")
        b, leads, nexts = check_printed(lines, rows)
        bad += [folder + ": " + x for x in check_table(rows, kinds) + b]
        if first_leads is None:
            first_leads, first_nexts = leads, nexts
    for x in bad[:20]:
        print("  " + x)
    print("beside the best: %d leads in the first, %d of them beside a next arm the table leaves out"
          " (no distinguishable change), %d differences" % (first_leads, first_nexts[1], len(bad)))
    return 1 if bad or first_leads < 5 or first_nexts[1] < 1 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
