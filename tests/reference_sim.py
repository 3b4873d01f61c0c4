"""tests/reference_sim.py NEASIM DIR [--models N] [--first K] [--runs R] [--ref-runs R2]: random
models, each simulated by neasim and by an independent simulator written from scenarios/README.md,
compared within their Monte Carlo errors (tests/cli_reference.sh runs models 0-15).

Why a second simulator. The closed-form tests (tests/test_*.c) check each construct of the format
alone, on models small enough to solve; a bug where constructs meet (a modifier whose condition an
effect's delayed action makes true, a calendar row's zero-delay effects against the next row, a
duration's end cancelled by a draw) has no closed form to fail. This program draws small models that
use them together and simulates each a second way: Gillespie's direct method (one total hazard, one
uniform to pick the process, hazards cached by state and month) on Python's own generator and
samplers (`random`: the Mersenne Twister, not GSL's Philox), with the semantics written from the
format's documentation (scenarios/README.md: "Time", the tables, "Semantics"), not from the engine's
code. Same law, independent random numbers and code: every probability and mean count must agree
within THRESHOLD standard errors of the difference. Python's standard library only, so that it runs
wherever python3 does.

What the models hold (each table with some chance, so that the models differ): a start on a date
where month arithmetic clamps (the 31st, 30 March, 29 February) or not, a horizon of 66 or 72 months
and reports every 3, 6 or 12 months; two to four factors of two or three levels, known or uncertain
starting levels; hazards in the three units, some of them uncertain numbers (beta, PERT, uniform,
gamma, Weibull), as are some modifiers' multipliers (triangular, lognormal), events' rates and
effects' probabilities, drawn once per replication and the levers applied to the draws (Python's
samplers here, GSL's inverse CDFs there); some transitions with a duration (fixed, uniform, gamma,
Weibull or lognormal) beside or instead of a hazard, and a stay begun before the start (`entered`),
whose remaining duration this program draws by rejection where the engine inverts the survival
function; modifiers on transitions and events (conditions with `!=`, level lists and "or" across
factors); counted events, Poisson or gamma-mixed (`dispersion`, `redraw_months`), counting
occurrences or dates (some at 15-30 a year, so that dates repeat), and a counter fired only by
actions; seasonality; a draw, sometimes with a `given` case and rows for some `from` levels beside
`*`; calendar rows, one-off or repeating (from 29 February, too), with `when`, on the start date or
later, some on the date of another row, and in half the models a pair of rows on one date whose
first sets off a zero-delay effect that the second row's change must not outrun (semantics 3: the
effects run after every row of the instant); effects on changes (`f:a>b`, `f:*>b`, `f:a>*`) and on
events, with `when` (also on the trigger's own factor), `when_due`, fixed, uniform or exponential
delays and every kind of action; outcomes `state` and `onset`; one or two levers of one or two rows
(a hazard multiplied or set in its row's unit, a modifier, an event's rate, an effect's probability
or delay, an initial probability, a deadline), some from a date, and in half the models with levers
a lever `later` of one row on a number that lever0 changes, from a date or not, run only combined:
the arms lever0+later and later+lever0 (levers.csv: `a+b` applies a's rows, then b's; they differ
where either row is a `set`). Effects act only on factors after their trigger's (a model draws them
so), so no instant can loop. neasim runs a model with levers as `compare --levers` with every lever
and those two arms, and every arm is compared, the baseline's, each lever's and the combined ones.

What is compared, at every report date: each level's probability (state_probabilities.csv), each
outcome's `holds` and `occurred_by` and its `holds_at_start` (outcomes.csv), each outcome's share of
first occurrences in each report period and never (first_occurrence.csv, whose cumulative column
must be outcomes.csv's `occurred_by` to the digit), each counted event's mean count and its share of
runs with at least one in every window of event_counts.csv (cumulative, each report period and each
year since the start) and its quantiles q05 to q95 (quantile_compare: one-sided bounds on the
reference's share at and below neasim's quantile); and each count's share in each year since the
start and over the horizon (count_distribution.csv: a year is open at its start, so an occurrence at
the start instant is in none; the horizon is the cumulative count, the start instant included). And,
on the baseline arm, the story (`neasim run --routes --signposts`, README.md "Routes and signposts";
some outcomes name their route factors, the others take the default): each outcome's onsets, the
share of runs with an onset along each route neasim lists and along the rest (`other`), and where
both sides have 30 onsets on one, its `median_years` (the reference's share of them by neasim's
median, on the same grouped curve, against 1/2: story_compare); and every signpost row's shares at
the watch dates 1, 2 and 3 years (fires; runs with and without the indicator among those with no
onset by then; p_with, p_without), an indicator left out being one the reference too sees in none or
all of those runs, never the outcome's own condition (story_compare). And for a model with uncertain
numbers, `run --outer` (uncertainty.csv: OUTER_DRAWS draws of OUTER_RUNS runs) against
OUTER_REF_DRAWS draws of the reference: each outcome's mean probability over the draws and, where it
is between 0.05 and 0.95, the sd of the per-draw probabilities (between_draws_sd), which the spread
of the uncertain numbers' laws sets (outer_compare); and for one with levers too, `compare --levers
L --outer` (every lever alone; uncertainty.csv of every arm, uncertainty_differences.csv) against
the reference's arms on the same draws: each arm's mean probability, each lever's mean difference
and the judgment variance of that difference over the draws, the per-draw Monte Carlo noise taken
out of both sides (outer_arms_compare; the quantiles and shares of draws above zero hold that noise,
which pairing makes smaller in neasim than in the reference, so they are not compared). And `neasim
sweep --design` over three points that set one or two numbers (a transition's hazard in its unit, a
modifier, an event's rate, an effect's probability or delay, a starting chance with the others
rescaled, a deadline), the others at their means, and at one point a lever set on top
(sweep_design): every figure of sweep.csv, each point against the reference at that point
(sweep_compare). z is that of a two-sample test under the hypothesis that both sides sample one law:
a share's exact conditional binomial test when its rarer outcome is rare, else the difference over
the pooled variance (two_sample_z). A figure on one side only is a failure too. And the paired
intervals, which the reference cannot give (its arms run apart): for a model with levers, `compare
--levers L --factorial` (every lever and `later`) run with INTERVAL_SEEDS seeds, and in each family
of figures (differences of probabilities and of mean counts in differences.csv, interactions in
interactions.csv) the mean over its figures of a figure's variance over the seeds against its
squared standard error, which must be 1 within 4.5 of its standard errors (interval_compare).

That the comparison can fail: after the models agree, the reference is run again with one rule of
the documentation broken at a time (MUTATIONS: a `when_due` not asked; an effect's `when` asked with
the state before the change; modifiers ignored; an onset that counts the start; a calendar row's
`when` ignored; a duration's end not dropped when its factor has moved on; seasonality ignored;
`entered` ignored; the gamma multipliers held at 1; a second occurrence on a date counted; a
period's share of runs with an event read off the cumulative count; the quantiles of
event_counts.csv one count too high; a lever's `from_date` ignored; an arm of combined levers
applying their rows in file order rather than the arm's; the uncertain numbers held at their means,
as `--nominal` does; routes not collapsed; the collapsing applied to the outcome's own factors too;
default route factors that are only the condition's; signposts that count the runs with an onset by
the watch date; a route's onsets counted in the report period after their own (its median a period
late); a state outcome's first occurrence read off the report dates, as if a condition held between
two of them had not occurred; a calendar row's zero-delay effects run before the next row of the
same instant; the uncertain numbers drawn with half their spread about their means; a lever's arm
given a draw of the uncertain numbers of its own under `--outer`, rather than the baseline's; a
sweep's point with the numbers it does not set drawn rather than at their means), on the models that
use that rule, and each must be caught (some |z| above the threshold) by at least one model. So must
neasim's standard errors made wrong on purpose (INTERVAL_MUTATIONS: a probability's as if its arms
ran apart; every one 0.8 times its size).

Where things are (tests/reference/): model.py draws the models, writes their folders and applies
draws and lever rows to them; simulate.py is the reference (Replication) and its figures over
replications, draws and sweep points; neasim.py runs neasim on the folders and reads its tables;
compare.py holds the z of each figure and the comparisons. This file: the broken rules (MUTATIONS),
the hunt for them and the main loop.

Fixed seeds; prints one line per model and per mutation and exits 1 on any failure.
"""
import multiprocessing
import os
import random
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree (a fresh clone runs this)
from reference.compare import SIDE, THRESHOLD, compare_all, interval_compare  # noqa: E402 (after the line above)
from reference.model import has_laws, make_model, sweep_design  # noqa: E402
from reference.neasim import (INTERVAL_RUNS, INTERVAL_SEEDS, OUTER_REF_DRAWS, OUTER_RUNS, SWEEP_REF_RUNS,  # noqa: E402
                              neasim_intervals, neasim_outer, neasim_outer_arms, neasim_run, neasim_story,
                              neasim_sweep)
from reference.simulate import cond_factors, outer_reference, reference, route_factors  # noqa: E402


MUTATIONS = {
    "no_when_due": lambda M: any(e["when_due"] for e in M["effects"]),
    "when_before": lambda M: any(e["when"] and e["trigger"][0] == "change" for e in M["effects"]),
    "no_modifiers": lambda M: bool(M["mods"]),
    "onset_counts_start": lambda M: any(o["onset"] for o in M["outcomes"]),
    "no_calendar_when": lambda M: any(c["when"] for c in M["calendar"]),
    "end_not_dropped": lambda M: any(t["duration"] for t in M["trans"]),
    "no_seasonality": lambda M: bool(M["season"]),
    "entered_ignored": lambda M: any(any(e) for e in M["entered"]),
    "no_dispersion": lambda M: any(ev["k"] for ev in M["events"]),
    "dates_ignored": lambda M: any(ev["busy"] for ev in M["events"]),
    "period_as_cumulative": lambda M: bool(M["events"]),
    "quantile_one_high": lambda M: bool(M["events"]),
    "lever_from_start": lambda M: any(r[4] for rows in M["levers"].values() for r in rows),
    "at_means": has_laws,
    # routes.csv and signposts.csv (the reference's story, run on the baseline arm)
    "route_no_collapse": lambda M: True,
    "route_collapse_own": lambda M: True,
    "route_condition_only": lambda M: any(not o["route"] and route_factors(M, o) != cond_factors(o["cond"])
                                          for o in M["outcomes"]),
    "signpost_onset_before": lambda M: True,
    "median_next_period": lambda M: True,
    "first_at_reports": lambda M: any(not o["onset"] for o in M["outcomes"]),
    "row_effects_settle": lambda M: any(e["id"] == "s0" for e in M["effects"]),
    "arm_order_ignored": lambda M: any(r[2] == "set" for r in M["combos"].get("later+lever0", [])
                                       if r[:2] == M["combos"]["later+lever0"][0][:2]),
    "spread_halved": has_laws,
    "arm_own_draw": lambda M: has_laws(M) and bool(M["levers"]),
    "sweep_drawn": has_laws,
}


# neasim's paired intervals made wrong on purpose (interval_compare): a probability's standard error
# as if its arms ran apart, and every standard error 0.8 times its size
INTERVAL_MUTATIONS = ("interval_unpaired", "interval_narrow")

STORY_MUTATIONS = {"route_no_collapse", "route_collapse_own", "route_condition_only", "signpost_onset_before",
                   "median_next_period"}


def hunt(mut, models, ref_runs):
    """The first model (of those that use the rule) where the reference with mut differs from
    neasim: (index, z, figure) or None, and how many models were tried."""
    tried = 0
    for i, (M, ours, story, outer, sweep, design) in enumerate(models):
        if not MUTATIONS[mut](M):
            continue
        tried += 1
        arms = [a for a, rows in M["levers"].items() if any(r[4] for r in rows)] \
            if mut == "lever_from_start" else ["later+lever0"] if mut == "arm_order_ignored" else ["baseline"]
        for arm in arms:
            if mut in ("spread_halved", "arm_own_draw"):
                ref = outer_reference(M, OUTER_REF_DRAWS, OUTER_RUNS, 3000 + i, mut, mut == "arm_own_draw")
            elif mut == "sweep_drawn":
                ref = {("sweep",): {}}
                for k, pt in enumerate(design[1]):
                    ref[("sweep",)].update(reference(M, SWEEP_REF_RUNS, 4000 + 10 * i + k, mut, point=pt))
            else:
                ref = reference(M, ref_runs, 2000 + i, mut, arm, mut in STORY_MUTATIONS)
            z, where, _ = compare_all(M, ours, story, outer, sweep, ref)
            if abs(z) > THRESHOLD:
                return (i, z, where[0]), tried
    return None, tried


def main():
    args = sys.argv[1:]
    neasim, work = args[0], args[1]
    opts = dict(zip(args[2::2], args[3::2]))
    n_models = int(opts.get("--models", 16))
    runs = int(opts.get("--runs", 40000))
    ref_runs = int(opts.get("--ref-runs", 8000))
    first = int(opts.get("--first", 0))  # models first .. first + N - 1 (the suite runs 0 .. 15)
    failures = 0
    models, ivs = [], []
    drawn = [make_model(random.Random(1000 + first + i), os.path.join(work, "model%02d" % i))
             for i in range(n_models)]
    tasks = [(i, arm) for i, M in enumerate(drawn) for arm in ["baseline"] + sorted(M["levers"])]
    combos = [(i, arm) for i, M in enumerate(drawn) for arm in sorted(M["combos"])]  # seeds of their own
    outer = [i for i, M in enumerate(drawn) if has_laws(M)]
    designs = [sweep_design(random.Random(5000 + first + i), M) for i, M in enumerate(drawn)]
    points = [(i, k, pt) for i, d in enumerate(designs) for k, pt in enumerate(d[1])]
    with multiprocessing.Pool(2) as pool:  # the reference is the slow side: an arm a core
        parts = pool.starmap(reference, [(drawn[i], ref_runs, 2000 + 10 * i + k, None, arm, arm == "baseline")
                                         for k, (i, arm) in enumerate(tasks)] +
                             [(drawn[i], ref_runs, 2500 + 10 * i + k, None, arm) for k, (i, arm) in enumerate(combos)])
        tasks += combos
        tasks += [(i, "outer") for i in outer]
        parts += pool.starmap(outer_reference, [(drawn[i], OUTER_REF_DRAWS, OUTER_RUNS, 3000 + i, None,
                                                 bool(drawn[i]["levers"])) for i in outer])
        swept = pool.starmap(reference, [(drawn[i], SWEEP_REF_RUNS, 4000 + 10 * i + k, None, "baseline", False, pt)
                                         for i, k, pt in points])
    refs = [{} for _ in drawn]
    for (i, _), part in zip(tasks, parts):
        refs[i].update(part)
    for (i, _, _), part in zip(points, swept):
        refs[i].setdefault(("sweep",), {}).update(part)
    for i, (M, ref) in enumerate(zip(drawn, refs)):
        folder = os.path.join(work, "model%02d" % i)
        ours = neasim_run(neasim, folder, runs, 7 + i, M)
        story = neasim_story(neasim, folder, runs, 7 + i, M)
        outer_ns = (neasim_outer(neasim, folder, 7 + i, M),
                    neasim_outer_arms(neasim, folder, 7 + i, M) if M["levers"] else None) if has_laws(M) else None
        sweep = neasim_sweep(neasim, folder, 7 + i, M, *designs[i])
        z, where, missing = compare_all(M, ours, story, outer_ns, sweep, ref)
        iv = neasim_intervals(neasim, folder, M) if M["levers"] else None
        figs = interval_compare(iv, INTERVAL_RUNS) if iv else []
        zi, at = max(figs, key=lambda x: abs(x[0]), default=(0.0, None))
        if abs(zi) > abs(z):
            z, where = zi, (at, None, None, where[3])
        where = where[:3] + (where[3] + len(figs),)
        features = "%d factors, %d transitions (%d with a duration), %d modifiers, %d events, %d calendar rows, " \
                   "%d effects%s%s, %d levers" % (
                       len(M["nlev"]), len(M["trans"]), sum(1 for t in M["trans"] if t["duration"]), len(M["mods"]),
                       len(M["events"]), len(M["calendar"]), len(M["effects"]),
                       ", seasonality" if M["season"] else "", ", a draw" if M["draw"] else "", len(M["levers"]))
        ok = abs(z) <= THRESHOLD and not missing
        print("%s model%02d: largest |z| %.2f over %d figures (%s)" % ("ok  " if ok else "FAIL", i, abs(z),
                                                                    sum(k[0] not in SIDE for k in ref) + where[3], features))
        if not ok:
            failures += 1
            if missing:
                print("    figures on one side only: %s" % missing[:5])
            if where[1] is not None:
                print("    at %s: neasim %.5f, reference %.5f (%s)" % (where[0], where[1], where[2], folder))
            elif isinstance(where[0], str) and where[0].startswith("intervals"):
                print("    %s (%s: compare --factorial, seeds 9000-%d)" % (where[0], folder, 8999 + INTERVAL_SEEDS))
            elif where[0] is not None:
                print("    at %s (%s: routes.csv, signposts.csv in %s-story)" % (where[0], folder, folder))
        models.append((M, ours, story, outer_ns, sweep, designs[i]))
        ivs.append(iv)
    with multiprocessing.Pool(2) as pool:
        hunts = pool.starmap(hunt, [(mut, models, ref_runs) for mut in MUTATIONS])
    for mut, (caught, tried) in zip(MUTATIONS, hunts):
        if caught:
            print("ok   the reference with '%s' differs from neasim (model%02d, |z| %.1f at %s)" %
                  (mut, caught[0], abs(caught[1]), caught[2]))
        else:
            failures += 1
            print("FAIL the reference with '%s' is not told apart from neasim by any of the %d models that use it"
                  % (mut, tried))
    for mut in INTERVAL_MUTATIONS:
        tried, caught = 0, None
        for i, iv in enumerate(ivs):
            tried += iv is not None
            big = [f for f in (interval_compare(iv, INTERVAL_RUNS, mut) if iv else []) if abs(f[0]) > THRESHOLD]
            if big:
                caught = (i, big[0])
                break
        if caught:
            print("ok   neasim's intervals with '%s' are told apart (model%02d, |z| %.1f: %s)" %
                  (mut, caught[0], abs(caught[1][0]), caught[1][1]))
        else:
            failures += 1
            print("FAIL neasim's intervals with '%s' are not told apart by any of the %d models with levers" % (mut, tried))
    print("reference_sim: %d models, %d failures (threshold |z| <= %g)" % (n_models, failures, THRESHOLD))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
