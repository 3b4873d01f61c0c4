"""tests/effect_when_pairing.py WITH WITHOUT: the pairing promise of effects.csv's `when`.

WITH and WITHOUT are the paths.csv of two runs at one seed of tests/models/effect_when, WITHOUT
with row 3 (`half`, probability 0.5) stripped of its `when f=a`. The row draws its uniform whether
or not `when` holds, so run by run the `half_in_a` occurrences of WITH are exactly those of WITHOUT
at which f is a (f's path is the same in both: no effect moves it). Were the uniform drawn only
while the condition holds, the row's stream would fall out of step at the first shock in b.
Exit 0 when the promise holds and the comparison is not empty, 1 otherwise, saying why.
"""
import csv
import sys
from collections import defaultdict


def read(path):
    """Per replication: f's changes [(t, level)] and the half_in_a times."""
    changes, half = defaultdict(list), defaultdict(list)
    with open(path, newline="") as fh:
        for row in csv.DictReader(fh):
            rep, t = int(row["rep"]), row["t_years"]
            if row["name"] == "f" and row["kind"] in ("start", "change"):
                changes[rep].append((float(t), row["to"]))
            elif row["name"] == "half_in_a":
                half[rep].append(t)
    return changes, half


def level_at(changes, t):
    level = None
    for when, to in changes:  # in time order; a shock never falls on a change (probability 0)
        if when <= t:
            level = to
    return level


def main(with_path, without_path):
    ch_w, half_w = read(with_path)
    ch_o, half_o = read(without_path)
    if ch_w != ch_o:
        print("f's paths differ between the runs: the comparison means nothing")
        return 1
    kept = dropped = 0
    for rep, changes in ch_o.items():
        expect = [t for t in half_o[rep] if level_at(changes, float(t)) == "a"]
        dropped += len(half_o[rep]) - len(expect)
        kept += len(expect)
        if half_w[rep] != expect:
            print(f"replication {rep}: half_in_a at {half_w[rep]} with `when`, "
                  f"expected {expect} (those of the run without it while f=a)")
            return 1
    if kept == 0 or dropped == 0:
        print(f"nothing compared ({kept} kept, {dropped} dropped): the test cannot fail")
        return 1
    print(f"paired: {kept} occurrences kept while f=a, {dropped} dropped while f=b")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
