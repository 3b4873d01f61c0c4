"""tests/reference/neasim.py: neasim's side of the independent check: each command run on a model's
folder (`compare --levers all` or `run`, `run --routes --signposts`, `run --outer`, `compare
--outer`, `sweep --design`) and its tables read into figures keyed as simulate.py keys the
reference's.
"""
import csv
import datetime
import math
import os
import shutil
import subprocess

from .model import share


QUANTILES = [(0.05, "q05"), (0.25, "q25"), (0.5, "q50"), (0.75, "q75"), (0.95, "q95")]  # event_counts.csv's


def neasim_run(neasim, folder, runs, seed, M):
    """neasim's figures for the model in folder: `compare` when it has levers (the baseline arm,
    each lever's and the combined arms of M["combos"]: the levers of `--levers all` and those), else
    `run`; keyed as reference() keys them."""
    out = folder + "-out"
    cmd = ["compare", folder, "--levers", ",".join(sorted(M["levers"]) + sorted(M["combos"]))] if M["levers"] \
        else ["run", folder]
    r = subprocess.run([neasim] + cmd + ["--runs", str(runs), "--seed", str(seed), "--out", out,
                                         "--quiet", "--threads", "2"], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("neasim %s exited %d: %s" % (" ".join(cmd), r.returncode, r.stderr.strip()[:400]))
    res = {}
    day = lambda s: M["cal"].day_of(datetime.date.fromisoformat(s))
    for row in csv.DictReader(open(out + "/state_probabilities.csv")):
        p = float(row["probability"])
        res[(row.get("arm", "baseline"), "level", row["factor"] + ":" + row["level"], day(row["date"]))] = \
            share(round(p * runs), runs)
    for row in csv.DictReader(open(out + "/outcomes.csv")):
        p = float(row["probability"])
        res[(row.get("arm", "baseline"), row["measure"], row["outcome"],
             day(row["date"]) if row["measure"] != "holds_at_start" else 0)] = share(round(p * runs), runs)
    # first_occurrence.csv; its cumulative column is outcomes.csv's occurred_by, as printed
    occurred = {k: row for k, row in res.items() if k[1] == "occurred_by"}
    for row in csv.DictReader(open(out + "/first_occurrence.csv")):
        arm, p = row.get("arm", "baseline"), float(row["probability"])
        if row["when"] == "never":
            res[(arm, "first_never", row["outcome"], None)] = share(round(p * runs), runs)
            continue
        d = day(row["date"])
        res[(arm, "first", row["outcome"], d)] = share(round(p * runs), runs)
        cum = occurred[(arm, "occurred_by", row["outcome"], d)][0]
        if abs(float(row["cumulative_probability"]) - cum) > 1e-6:
            raise RuntimeError("first_occurrence.csv: %s %s cumulative_probability %s, outcomes.csv's occurred_by %g"
                               % (row["outcome"], row["date"], row["cumulative_probability"], cum))
    for row in csv.DictReader(open(out + "/count_distribution.csv")):
        p = float(row["probability"])
        if p > 0:  # every count up to the largest seen is listed; the reference lists those seen
            res[(row.get("arm", "baseline"), "dist_" + row["window"], row["event"], day(row["window_end"]),
                 int(row["count"]))] = share(round(p * runs), runs)
    for row in csv.DictReader(open(out + "/event_counts.csv")):
        kind = {"cumulative": "", "period": "period_", "year": "year_"}[row["window"]]
        arm, m, sd = row.get("arm", "baseline"), float(row["mean"]), float(row["sd"])
        res[(arm, kind + "count", row["event"], day(row["date"]))] = (m, sd * sd * (runs - 1) / runs + m * m, runs)
        res[(arm, kind + "at_least_one", row["event"], day(row["date"]))] = \
            share(round(float(row["p_at_least_one"]) * runs), runs)
        res.setdefault(("quant", arm), {})[(row["window"], row["event"], day(row["date"]))] = \
            {level: int(row[col]) for level, col in QUANTILES}
    return res


def neasim_story(neasim, folder, runs, seed, M):
    """routes.csv and signposts.csv of `neasim run --routes --signposts` (watch dates 1, 2 and 3
    years, the default): {"runs", "routes": {outcome: {route: onsets}}, "medians": {outcome: {route:
    median_years}}, "onsets_all": {outcome: n},
    "signs": {(outcome, watch day, indicator): (fired, runs_with, onsets_with, runs_without,
    onsets_without)}}."""
    out = folder + "-story"
    r = subprocess.run([neasim, "run", folder, "--routes", "--signposts", "--runs", str(runs), "--seed", str(seed),
                        "--out", out, "--quiet", "--threads", "2"], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("neasim run --routes exited %d: %s" % (r.returncode, r.stderr.strip()[:400]))
    res = {"runs": runs, "routes": {}, "medians": {}, "onsets_all": {}, "signs": {}}
    for row in csv.DictReader(open(out + "/routes.csv")):
        route = row["route"] if row["rank"] != "other" else None
        res["routes"].setdefault(row["outcome"], {})[route] = int(row["onsets"])
        res["medians"].setdefault(row["outcome"], {})[route] = \
            float(row["median_years"]) if row["median_years"] != "NA" else None
        res["onsets_all"][row["outcome"]] = int(row["onsets_all"])
    for row in csv.DictReader(open(out + "/signposts.csv")):
        nw, n0 = int(row["runs_with"]), int(row["runs_without"])
        res["signs"][(row["outcome"], M["cal"].day_of(datetime.date.fromisoformat(row["watch_date"])),
                      row["indicator"])] = (round(float(row["fires"]) * runs), nw, round(float(row["p_with"]) * nw),
                                            n0, round(float(row["p_without"]) * n0))
    return res


OUTER_DRAWS, OUTER_REF_DRAWS, OUTER_RUNS = 1000, 160, 150


def neasim_outer(neasim, folder, seed, M):
    """uncertainty.csv of `neasim run --outer OUTER_DRAWS --runs OUTER_RUNS` (its default
    horizons): {(outcome, day): (probability, mean_std_error, between_draws_sd)}."""
    out = folder + "-outer"
    r = subprocess.run([neasim, "run", folder, "--outer", str(OUTER_DRAWS), "--runs", str(OUTER_RUNS), "--seed",
                        str(seed), "--out", out, "--quiet", "--threads", "2"], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("neasim run --outer exited %d: %s" % (r.returncode, r.stderr.strip()[:400]))
    return {(row["outcome"], M["cal"].day_of(datetime.date.fromisoformat(row["date"]))):
            (float(row["probability"]), float(row["mean_std_error"]), float(row["between_draws_sd"]))
            for row in csv.DictReader(open(out + "/uncertainty.csv"))}


def neasim_outer_arms(neasim, folder, seed, M):
    """`neasim compare --levers L --outer OUTER_DRAWS --runs OUTER_RUNS` (every lever of M["levers"],
    its default horizons):
    {"p": {(arm, outcome, day): (probability, between_draws_sd)} (each arm's uncertainty.csv),
    "d": {(arm, outcome, day): (difference, mean_se, between_draws_sd, monte_carlo_sd)}
    (uncertainty_differences.csv)}. uncertainty_differences.csv's difference must be its arm's
    probability less the baseline's, and those uncertainty.csv's, as printed."""
    out = folder + "-outer-arms"
    r = subprocess.run([neasim, "compare", folder, "--levers", ",".join(sorted(M["levers"])), "--outer",
                        str(OUTER_DRAWS), "--runs", str(OUTER_RUNS), "--seed", str(seed), "--out", out,
                        "--quiet", "--threads", "2"], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("neasim compare --outer exited %d: %s" % (r.returncode, r.stderr.strip()[:400]))
    day = lambda s: M["cal"].day_of(datetime.date.fromisoformat(s))
    res = {"p": {(row["arm"], row["outcome"], day(row["date"])):
                 (float(row["probability"]), float(row["between_draws_sd"]))
                 for row in csv.DictReader(open(out + "/uncertainty.csv"))}, "d": {}}
    for row in csv.DictReader(open(out + "/uncertainty_differences.csv")):
        key, base = (row["arm"], row["outcome"], day(row["date"])), float(row["baseline_probability"])
        arm, diff = float(row["arm_probability"]), float(row["difference"])
        printed = (res["p"][("baseline",) + key[1:]][0], res["p"][key][0])
        if abs(diff - (arm - base)) > 2e-6 or max(abs(base - printed[0]), abs(arm - printed[1])) > 2e-6:
            raise RuntimeError("uncertainty_differences.csv %s: baseline %g, arm %g, difference %g; "
                               "uncertainty.csv: %g, %g" % (key, base, arm, diff, *printed))
        res["d"][key] = (diff, float(row["mean_se"]), float(row["between_draws_sd"]), float(row["monte_carlo_sd"]))
    return res


INTERVAL_SEEDS, INTERVAL_RUNS = 30, 4000  # neasim_intervals: compare --factorial, so many seeds of so many runs


def neasim_intervals(neasim, folder, M):
    """The paired intervals seed by seed: `compare --levers L --factorial` (L: every lever and
    `later`; every combination an arm, and interactions.csv for each pair of levers) run with
    INTERVAL_SEEDS seeds of INTERVAL_RUNS runs. {family: {figure: [(value, std_error,
    unpaired std_error), ...] a seed}}, the families "probability" and "count" (differences.csv's
    differences of outcomes' probabilities and of events' mean counts) and "interaction"
    (interactions.csv, in probability, its std_error half its interval's width over 1.96). The
    unpaired std_error, what the arms' probabilities would give run apart, is a probability's
    only (else None). A figure's difference must be arm_value - baseline_value and its interval
    the difference +- 1.96 std_error, to the digits printed."""
    levers = sorted(M["levers"]) + (["later"] if M["combos"] else [])
    res, n = {"probability": {}, "count": {}, "interaction": {}}, INTERVAL_RUNS
    for seed in range(INTERVAL_SEEDS):
        out = "%s-intervals%02d" % (folder, seed)
        r = subprocess.run([neasim, "compare", folder, "--levers", ",".join(levers), "--factorial", "--runs", str(n),
                            "--seed", str(9000 + seed), "--out", out, "--quiet", "--threads", "2"],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError("neasim compare --factorial exited %d: %s" % (r.returncode, r.stderr.strip()[:400]))
        for row in csv.DictReader(open(out + "/differences.csv")):
            base, arm, d, se = (float(row[c]) for c in ("baseline_value", "arm_value", "difference", "std_error"))
            lo, hi = float(row["ci_low"]), float(row["ci_high"])
            # values have six significant digits, std_error four, the interval six
            slack = 1e-9 + 6e-6 * (abs(d) + 2 * 1.96 * se) + 6e-4 * 1.96 * se
            if abs(d - (arm - base)) > 1e-9 + 6e-6 * (abs(base) + abs(arm) + abs(d)) \
                    or abs(lo - (d - 1.96 * se)) > slack or abs(hi - (d + 1.96 * se)) > slack:
                raise RuntimeError("differences.csv in %s: %s" % (out, ",".join(row.values())))
            prob = row["quantity"] == "outcome"
            unpaired = math.sqrt((base * (1 - base) + arm * (1 - arm)) / n) if prob else None
            res["probability" if prob else "count"].setdefault(
                (row["arm"], row["quantity"], row["name"], row["measure"], row["date"]), []).append((d, se, unpaired))
        if os.path.exists(out + "/interactions.csv"):
            for row in csv.DictReader(open(out + "/interactions.csv")):
                i, lo, hi = (float(row[c]) / 100 for c in ("interaction_pp", "ci_low_pp", "ci_high_pp"))
                res["interaction"].setdefault((row["arm"], row["outcome"], row["measure"], row["date"]), []).append(
                    (i, (hi - lo) / (2 * 1.96), None))
        shutil.rmtree(out)
    return res


SWEEP_RUNS, SWEEP_REF_RUNS = 20000, 3000


def neasim_sweep(neasim, folder, seed, M, header, points):
    """sweep.csv of `neasim sweep --design` (its default horizons), keyed as reference() keys
    them with the point's name for the arm."""
    out, design = folder + "-sweep", folder + "-design.csv"
    with open(design, "w") as fh:
        fh.write(",".join(header) + "\n" + "".join(",".join(p[3]) + "\n" for p in points))
    r = subprocess.run([neasim, "sweep", folder, "--design", design, "--runs", str(SWEEP_RUNS), "--seed", str(seed),
                        "--out", out, "--quiet", "--threads", "2"], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("neasim sweep exited %d: %s" % (r.returncode, r.stderr.strip()[:400]))
    res, n = {}, SWEEP_RUNS
    for row in csv.DictReader(open(out + "/sweep.csv")):
        key = ("point%s" % row["point"], row["measure"] if row["quantity"] == "outcome" else "count", row["name"],
               M["cal"].day_of(datetime.date.fromisoformat(row["date"])))
        v = float(row["value"])
        if row["quantity"] == "outcome":
            res[key] = share(round(v * n), n)
        else:
            sd = float(row["std_error"]) * math.sqrt(n)
            res[key] = (v, sd * sd * (n - 1) / n + v * v, n)
    return res
