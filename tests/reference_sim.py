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
or delay, an initial probability, a deadline), some from a date. Effects act only on factors after
their trigger's (a model draws them so), so no instant can loop. neasim runs a model with levers as
`compare --levers all`, and every arm is compared, the baseline's and each lever's.

What is compared, at every report date: each level's probability (state_probabilities.csv), each
outcome's `holds` and `occurred_by` and its `holds_at_start` (outcomes.csv), each outcome's share of
first occurrences in each report period and never (first_occurrence.csv, whose cumulative column
must be outcomes.csv's `occurred_by` to the digit), each counted event's cumulative mean and its
share of runs with at least one (event_counts.csv); and each count's share in each year since the
start and over the horizon (count_distribution.csv: a year is open at its start, so an occurrence at
the start instant is in none; the horizon is the cumulative count, the start instant included). And,
on the baseline arm, the story (`neasim run --routes --signposts`, README.md "Routes and signposts";
some outcomes name their route factors, the others take the default): each outcome's onsets, the
share of runs with an onset along each route neasim lists and along the rest (`other`); and every
signpost row's shares at the watch dates 1, 2 and 3 years (fires; runs with and without the
indicator among those with no onset by then; p_with, p_without), an indicator left out being one the
reference too sees in none or all of those runs, never the outcome's own condition (story_compare).
And for a model with uncertain numbers, `run --outer` (uncertainty.csv: OUTER_DRAWS draws of
OUTER_RUNS runs) against OUTER_REF_DRAWS draws of the reference: each outcome's mean probability
over the draws and, where it is between 0.05 and 0.95, the sd of the per-draw probabilities
(between_draws_sd), which the spread of the uncertain numbers' laws sets (outer_compare); and for
one with levers too, `compare --levers all --outer` (uncertainty.csv of every arm,
uncertainty_differences.csv) against the reference's arms on the same draws: each arm's mean
probability, each lever's mean difference and the judgment variance of that difference over the
draws, the per-draw Monte Carlo noise taken out of both sides (outer_arms_compare; the quantiles and
shares of draws above zero hold that noise, which pairing makes smaller in neasim than in the
reference, so they are not compared). And `neasim sweep --design` over three points that set one or
two numbers (a transition's hazard in its unit, a modifier, an event's rate, an effect's probability
or delay, a starting chance with the others rescaled, a deadline), the others at their means, and at
one point a lever set on top (sweep_design): every figure of sweep.csv, each point against the
reference at that point (sweep_compare). z is that of a two-sample test under the hypothesis that
both sides sample one law: a share's exact conditional binomial test when its rarer outcome is rare,
else the difference over the pooled variance (two_sample_z). A figure on one side only is a failure
too.

That the comparison can fail: after the models agree, the reference is run again with one rule of
the documentation broken at a time (MUTATIONS: a `when_due` not asked; an effect's `when` asked with
the state before the change; modifiers ignored; an onset that counts the start; a calendar row's
`when` ignored; a duration's end not dropped when its factor has moved on; seasonality ignored;
`entered` ignored; the gamma multipliers held at 1; a second occurrence on a date counted; a lever's
`from_date` ignored; the uncertain numbers held at their means, as `--nominal` does; routes not
collapsed; the collapsing applied to the outcome's own factors too; default route factors that are
only the condition's; signposts that count the runs with an onset by the watch date; a state
outcome's first occurrence read off the report dates, as if a condition held between two of them had
not occurred; a calendar row's zero-delay effects run before the next row of the same instant; the
uncertain numbers drawn with half their spread about their means; a lever's arm given a draw of the
uncertain numbers of its own under `--outer`, rather than the baseline's; a sweep's point with the
numbers it does not set drawn rather than at their means), on the models that use that rule, and
each must be caught (some |z| above the threshold) by at least one model.

Fixed seeds; prints one line per model and per mutation and exits 1 on any failure.
"""
import csv
import datetime
import heapq
import math
import multiprocessing
import os
import random
import statistics
import subprocess
import sys

NORMAL = statistics.NormalDist()
DAYS_PER_YEAR = 365.25
THRESHOLD = 4.5
LEVEL_NAMES = ["a", "b", "c"]
# starts on which month arithmetic clamps (the 31st, the 30th before February, 29 February)
STARTS = [datetime.date(2026, 1, 1), datetime.date(2024, 1, 31), datetime.date(2025, 3, 30),
          datetime.date(2028, 2, 29), datetime.date(2026, 11, 1), datetime.date(2025, 5, 31)]


def add_months(d, k):
    y, m = divmod(d.month - 1 + k, 12)
    y += d.year
    m += 1
    last = (datetime.date(y + (m == 12), m % 12 + 1, 1) - datetime.timedelta(days=1)).day
    return datetime.date(y, m, min(d.day, last))


class Calendar:
    """A model's dates (scenarios/README.md, "Time"): t in whole days from the start; the horizon
    `months` months after it; a report every `interval` months counted from the start (each
    clamped to its month's length, never from the previous report) and at the end."""

    def __init__(self, start, months, interval):
        self.start, self.months, self.interval = start, months, interval
        self.end = self.day_of(add_months(start, months))
        self.reports = [self.day_of(add_months(start, k)) for k in range(0, months, interval)] + [self.end]

    def day_of(self, d):
        return (d - self.start).days

    def date_of(self, day):
        return self.start + datetime.timedelta(days=day)


# ------------------------------------------------------------------------- conditions

class Cond:
    """A condition: terms (any holds), each a list of (factor index, set of accepted levels)."""

    def __init__(self, terms, texts):
        self.terms, self.texts, self.text = terms, texts, " | ".join(texts)

    def also(self, c, text):
        """This condition with the clause c (text) added to every term."""
        return Cond([[c] + t for t in self.terms], [text + " & " + t for t in self.texts])

    def holds(self, level):
        return any(all(level[f] in acc for f, acc in term) for term in self.terms)


def clause(rng, fi, nlev):
    names = LEVEL_NAMES[:nlev]
    if nlev == 3 and rng.random() < 0.3:
        acc = set(rng.sample(range(3), 2))
        return (fi, acc), "f%d=%s" % (fi, "|".join(names[i] for i in sorted(acc)))
    x = rng.randrange(nlev)
    if rng.random() < 0.3:
        return (fi, set(range(nlev)) - {x}), "f%d!=%s" % (fi, names[x])
    return (fi, {x}), "f%d=%s" % (fi, names[x])


def condition(rng, nlevels, avoid=(), allow_or=True):
    """A random condition on factors other than those in avoid (None when there are none)."""
    choices = [f for f in range(len(nlevels)) if f not in avoid]
    if not choices:
        return None
    terms, texts = [], []
    for _ in range(2 if allow_or and rng.random() < 0.2 else 1):
        fs = rng.sample(choices, min(len(choices), rng.choice([1, 1, 2])))
        term, parts = [], []
        for f in fs:
            c, t = clause(rng, f, nlevels[f])
            term.append(c)
            parts.append(t)
        terms.append(term)
        texts.append(" & ".join(parts))
    return Cond(terms, texts)


# ------------------------------------------------------------------------- a random model

def q(text):
    return '"%s"' % text if ("," in text or "|" in text) else text


def split100(rng, n):
    cuts = sorted(rng.sample(range(1, 100), n - 1))
    parts = [b - a for a, b in zip([0] + cuts, cuts + [100])]
    return [p / 100 for p in parts]


def make_model(rng, folder):
    """Write a random scenario into folder; return its description for the reference."""
    os.makedirs(folder, exist_ok=True)
    cal = Calendar(rng.choice(STARTS), rng.choice([66, 72]), rng.choice([3, 6, 12]))
    nf = rng.randint(2, 4)
    nlev = [rng.choice([2, 2, 3]) for _ in range(nf)]
    M = {"cal": cal, "nlev": nlev, "init": [], "trans": [], "events": [], "mods": [], "season": [],
         "draw": None, "calendar": [], "effects": [], "outcomes": []}

    for f in range(nf):
        if rng.random() < 0.5:
            p = [0.0] * nlev[f]
            p[rng.randrange(nlev[f])] = 1.0
        else:
            p = split100(rng, nlev[f])
        M["init"].append(p)

    rows = []
    for f in range(nf):
        for a in range(nlev[f]):
            for b in range(nlev[f]):
                if a == b or rng.random() < 0.35:
                    continue
                rate = round(rng.uniform(0.05, 0.9), 2)
                unit, value = "rate_per_year", "%g" % rate
                u = rng.random()
                if u < 0.15:
                    unit, p = "annual_probability", round(rng.uniform(0.05, 0.6), 2)
                    value, rate = "%g" % p, -math.log(1 - p)
                elif u < 0.3:
                    unit, my = "mean_years", round(rng.uniform(1, 12), 1)
                    value, rate = "%g" % my, 1 / my
                law = None
                if rng.random() < 0.25:  # an uncertain number, drawn each replication
                    value, law, mean = uncertain(rng, unit)
                    rate = unit_rate(unit, mean)
                duration = None
                if rng.random() < 0.15:
                    duration = random_duration(rng)
                    if rng.random() < 0.5:
                        unit = value = ""
                        rate, law = 0.0, None
                M["trans"].append({"f": f, "a": a, "b": b, "rate": rate / DAYS_PER_YEAR,
                                   "duration": duration, "unit": unit, "law": law})
                rows.append("f%d,%s,%s,%s,%s,%s,test" % (f, LEVEL_NAMES[a], LEVEL_NAMES[b], q(value),
                                                         unit, q(duration[0]) if duration else ""))
    write(folder, "transitions.csv", "factor,from,to,value,unit,duration,source", rows)

    # a level with a duration out of it may say the stay began before the start (`entered`),
    # fewer days before than any such duration could have lasted
    M["entered"] = [[0] * n for n in nlev]
    rows = []
    for f in range(nf):
        for i in range(nlev[f]):
            outs = [t["duration"] for t in M["trans"] if t["f"] == f and t["a"] == i and t["duration"]]
            cell = ""
            if outs and M["init"][f][i] > 0 and rng.random() < 0.6:
                e = rng.randint(1, int(min(d[2] for d in outs)) - 1)
                M["entered"][f][i] = e
                cell = cal.date_of(-e).isoformat()
            rows.append("f%d,%s,%g,test,%s" % (f, LEVEL_NAMES[i], M["init"][f][i], cell))
    write(folder, "factors.csv", "factor,level,initial,source,entered", rows)

    rows = []
    for j in range(rng.choice([0, 1, 1, 2])):
        ev = {"name": "e%d" % j, "rate": round(rng.uniform(0.3, 3), 2) / DAYS_PER_YEAR,
              "k": None, "redraw": 12, "dates": rng.random() < 0.25, "busy": False, "law": None}
        value = "%g" % (ev["rate"] * DAYS_PER_YEAR)
        if rng.random() < 0.2:
            # many a year, counting dates: a date with two occurrences is common enough to see
            ev.update(rate=rng.randint(15, 30) / DAYS_PER_YEAR, dates=True, busy=True)
            value = "%g" % (ev["rate"] * DAYS_PER_YEAR)
        elif rng.random() < 0.25:
            value, ev["law"], mean = uncertain(rng, "rate_per_year")
            ev["rate"] = mean / DAYS_PER_YEAR
        disp = redraw = ""
        if rng.random() < 0.4:
            ev["k"] = rng.choice([0.5, 1, 3])
            ev["redraw"] = rng.choice([6, 12, 24])
            disp, redraw = "%g" % ev["k"], "%d" % ev["redraw"]
        M["events"].append(ev)
        rows.append("%s,%s,%s,%s,test,%s" % (ev["name"], q(value), disp, redraw,
                                             "dates" if ev["dates"] else "occurrences"))
    counter = rng.random() < 0.6
    if counter:
        M["events"].append({"name": "cnt", "rate": 0.0, "k": None, "redraw": 12, "dates": False, "busy": False,
                            "law": None})
        rows.append("cnt,0,,,test,occurrences")
    write(folder, "events.csv", "event,rate_per_year,dispersion,redraw_months,source,counts", rows)
    hazard_events = [j for j, e in enumerate(M["events"]) if e["rate"] > 0]
    triggers = [j for j in hazard_events if not M["events"][j]["busy"]]  # effects of a busy one: slow

    # modifiers and seasonality target a transition with a hazard, or a hazard event
    targets = [("t", k) for k, t in enumerate(M["trans"]) if t["rate"] > 0] + \
              [("e", j) for j in hazard_events]

    def target_text(tg):
        if tg[0] == "t":
            t = M["trans"][tg[1]]
            return "f%d:%s>%s" % (t["f"], LEVEL_NAMES[t["a"]], LEVEL_NAMES[t["b"]])
        return M["events"][tg[1]]["name"]

    rows = []
    for i in range(rng.randint(0, 4) if targets else 0):
        tg = rng.choice(targets)
        own = (M["trans"][tg[1]]["f"],) if tg[0] == "t" else ()
        c = condition(rng, nlev, avoid=own)
        if c is None:
            continue
        mult = rng.choice([0, round(rng.uniform(0.2, 4), 2), round(rng.uniform(0.2, 4), 2)])
        value, law = "%g" % mult, None
        if rng.random() < 0.25:
            value, law, mult = uncertain(rng, "multiplier")
        M["mods"].append({"target": tg, "cond": c, "mult": mult, "id": "m%d" % i, "law": law})
        rows.append("m%d,%s,%s,%s,test" % (i, target_text(tg), q(c.text), q(value)))
    write(folder, "modifiers.csv", "id,target,condition,multiplier,source", rows)

    rows = []
    if targets and rng.random() < 0.35:
        tg = rng.choice(targets)
        spec, months = rng.choice([("3-5", [3, 4, 5]), ("11-12|1-2", [11, 12, 1, 2]),
                                   ("6|9", [6, 9]), ("7", [7])])
        mult = rng.choice([0, 0.5, 2, 3])
        M["season"].append({"target": tg, "months": set(months), "mult": mult})
        rows.append("%s,%s,%g,test" % (target_text(tg), q(spec), mult))
    write(folder, "seasonality.csv", "target,month,multiplier,source", rows)

    rows = []
    if rng.random() < 0.5:
        f = rng.randrange(nf)
        d = {"f": f, "cases": []}
        given = condition(rng, nlev, avoid=(f,), allow_or=False) if rng.random() < 0.5 else None
        for cond in ([given] if given else []) + [None]:
            # a distribution for every level (`*`), or one of its own for some levels and `*`
            # for the rest (an explicit `from` takes precedence), or one for each level
            own = rng.choice([[], [rng.randrange(nlev[f])], list(range(nlev[f]))])
            star = split100(rng, nlev[f])
            by_from = [split100(rng, nlev[f]) if a in own else star for a in range(nlev[f])]
            d["cases"].append((cond, by_from))
            for a in own:
                for i in range(nlev[f]):
                    rows.append("d,f%d,%s,%s,%g,%s,test" % (f, LEVEL_NAMES[a], LEVEL_NAMES[i], by_from[a][i],
                                                             q(cond.text) if cond else ""))
            if len(own) < nlev[f]:
                for i in range(nlev[f]):
                    rows.append("d,f%d,*,%s,%g,%s,test" % (f, LEVEL_NAMES[i], star[i], q(cond.text) if cond else ""))
        M["draw"] = d
    write(folder, "draws.csv", "draw,factor,from,to,probability,given,source", rows)

    def action(after):
        """A random action on a factor after index `after` (or the counter, or the draw)."""
        kinds = []
        fs = [f for f in range(after + 1, nf)]
        if fs:
            kinds.append("set")
        if counter:
            kinds.append("count")
        if M["draw"] and M["draw"]["f"] > after:
            kinds.append("draw")
        if not kinds:
            return None
        k = rng.choice(kinds)
        if k == "set":
            f = rng.choice(fs)
            x = rng.randrange(nlev[f])
            return ("set", f, x), "f%d=%s" % (f, LEVEL_NAMES[x])
        if k == "count":
            return ("event", len(M["events"]) - 1), "event:cnt"
        return ("draw",), "draw:d"

    rows = []
    for i in range(rng.choice([0, 1, 2, 3])):
        act = action(-1)
        if rng.random() < 0.3 and hazard_events:
            j = rng.choice(hazard_events)
            act = (("event", j), "event:%s" % M["events"][j]["name"])
        if act is None:
            continue
        date = cal.start if rng.random() < 0.15 else cal.date_of(rng.randint(1, cal.end - 1))
        if M["calendar"] and rng.random() < 0.35:
            # the date of an earlier row: rows at one instant run in row order, and the
            # zero-delay effects of each after them all (semantics 3)
            date = cal.date_of(M["calendar"][-1]["days"][0])
        rep = rng.choice([None, None, 1, 2])
        until = None
        if rep and rng.random() < 0.5:
            until = add_months(date, 12 * rng.randint(1, 4))
        when = condition(rng, nlev) if rng.random() < 0.4 else None
        occ = []
        y = 0
        while True:
            d = add_months(date, 12 * y)
            if cal.day_of(d) > cal.end or (until and d > until):
                break
            occ.append(cal.day_of(d))  # 29 February is 28 February in common years
            if not rep:
                break
            y += rep
        M["calendar"].append({"days": occ, "when": when, "action": act[0]})
        rows.append("c%d,%s,%s,%s,%s,%s,test" % (i, date.isoformat(), rep or "", until.isoformat() if until else "",
                                                 q(when.text) if when else "", act[1]))
    write(folder, "calendar.csv", "name,date,repeat_years,until,when,action,source", rows)

    rows = []
    for i in range(rng.choice([0, 1, 2, 3, 4])):
        if triggers and rng.random() < 0.35:
            j = rng.choice(triggers)
            trig, ttext, after = ("event", j), M["events"][j]["name"], -1
        else:
            f = rng.randrange(nf)
            a, b = rng.sample(range(nlev[f]), 2)
            form = rng.choice(["ab", "ab", "*b", "a*"])
            trig = ("change", f, a if form != "*b" else None, b if form != "a*" else None)
            ttext = "f%d:%s>%s" % (f, LEVEL_NAMES[a] if form != "*b" else "*",
                                   LEVEL_NAMES[b] if form != "a*" else "*")
            after = f
        act = action(after)
        if act is None:
            continue
        own = (trig[1],) if trig[0] == "change" else ()
        when = condition(rng, nlev, avoid=own) if rng.random() < 0.45 else None
        if when and own and rng.random() < 0.7:
            # a clause on the trigger's own factor, true of a level the change leads to (a
            # clause true of none would be warned about): asked after the change, not before
            f, a, b = trig[1], trig[2], trig[3]
            x = b if b is not None else rng.choice([y for y in range(nlev[f]) if y != a])
            when = when.also((f, {x}), "f%d=%s" % (f, LEVEL_NAMES[x]))
        when_due = condition(rng, nlev) if rng.random() < 0.35 else None
        prob = rng.choice([1, round(rng.uniform(0.2, 1), 2)])
        ptext, law = "%g" % prob, None
        if rng.random() < 0.2:
            ptext, law, prob = uncertain(rng, "probability")
        delay = rng.choice([0, 0, rng.randint(1, 400)])
        kind = rng.choice(["fixed", "fixed", "uniform", "exponential"]) if delay else "fixed"
        M["effects"].append({"trigger": trig, "when": when, "when_due": when_due, "p": prob,
                             "delay": delay, "kind": kind, "action": act[0], "id": "x%d" % i, "law": law})
        rows.append("x%d,%s,%s,%s,%s,%s,%s,%s,test" % (i, ttext, q(when.text) if when else "", q(ptext),
                                                       delay if delay else "", kind if delay else "",
                                                       q(when_due.text) if when_due else "", act[1]))
    write(folder, "effects.csv", "id,trigger,when,probability,delay_days,delay,when_due,action,source", rows)

    rows = []
    for i in range(rng.randint(2, 4)):
        c = condition(rng, nlev)
        onset = rng.random() < 0.5
        M["outcomes"].append({"name": "o%d" % i, "cond": c, "onset": onset})
        rows.append("o%d,%s,%s,test" % (i, q(c.text), "onset" if onset else "state"))
    write(folder, "outcomes.csv", "outcome,condition,occurrence,description", rows)

    M["levers"] = make_levers(rng, M, folder)
    # some outcomes name their route factors (outcomes.csv `route`): the condition's and some
    # others; from a generator of its own, so that the rest of the model is drawn as before
    rr, rows = random.Random(rng.random()), []
    for o in M["outcomes"]:
        own = {f for term in o["cond"].terms for f, _ in term}
        o["route"] = None
        if rr.random() < 0.3:
            o["route"] = sorted(own | {f for f in range(nf) if rr.random() < 0.4})
        rows.append("%s,%s,%s,test,%s" % (o["name"], q(o["cond"].text), "onset" if o["onset"] else "state",
                                          "|".join("f%d" % f for f in o["route"]) if o["route"] else ""))
    write(folder, "outcomes.csv", "outcome,condition,occurrence,description,route", rows)
    # semantics 3, aimed at: two calendar rows on one date (yearly from it, some years), the first
    # setting f_i=x, whose change sets f_j=z by a zero-delay effect, the second f_j=y. The effect
    # runs after every row of the instant, so that the day ends with f_j=z (were a row's effects
    # settled before the next row, with y). Appended, so the rows drawn above keep their places.
    if nf >= 2 and rr.random() < 0.5:
        i, j = sorted(rr.sample(range(nf), 2))
        x = rr.randrange(nlev[i])
        y, z = rr.sample(range(nlev[j]), 2)
        date = cal.date_of(rr.randint(1, 360))
        until = add_months(date, 12 * rr.randint(0, 4))
        days = [cal.day_of(add_months(date, 12 * k)) for k in range(5)
                if add_months(date, 12 * k) <= until and cal.day_of(add_months(date, 12 * k)) <= cal.end]
        for r, (f, lv) in enumerate([(i, x), (j, y)]):
            M["calendar"].append({"days": days, "when": None, "action": ("set", f, lv)})
            with open(os.path.join(folder, "calendar.csv"), "a") as fh:
                fh.write("s%d,%s,1,%s,,f%d=%s,test\n" % (r, date.isoformat(), until.isoformat(), f, LEVEL_NAMES[lv]))
        M["effects"].append({"trigger": ("change", i, None, x), "when": None, "when_due": None, "p": 1, "delay": 0,
                             "kind": "fixed", "action": ("set", j, z), "id": "s0", "law": None})
        with open(os.path.join(folder, "effects.csv"), "a") as fh:
            fh.write("s0,f%d:*>%s,,1,,,,f%d=%s,test\n" % (i, LEVEL_NAMES[x], j, LEVEL_NAMES[z]))
    write(folder, "scenario.csv", "key,value,source",
          ["name,random_model,test", "title,A random model (tests/reference_sim.py),test",
           "start_date,%s,test" % cal.start.isoformat(), "horizon_years,%g,test" % (cal.months / 12),
           "report_interval_months,%d,test" % cal.interval])
    return M


def make_levers(rng, M, folder):
    """One or two random levers (levers.csv), each of one or two rows, some from a date: a
    hazard multiplied or set in its row's unit, a modifier's multiplier, an event's rate, an
    effect's probability or delay, a factor's initial probability (the others rescaled), a fixed
    duration. Returns {lever: [(what, index, operation, value, from_day)]}."""
    def fmt(x):
        return "%g" % x
    choices = []
    for k, t in enumerate(M["trans"]):
        path = "transitions:f%d:%s>%s" % (t["f"], LEVEL_NAMES[t["a"]], LEVEL_NAMES[t["b"]])
        if t["rate"] > 0:
            choices.append(("rate", k, path, "multiply", rng.choice([0, 0.5, 2, 3])))
            v = {"rate_per_year": round(rng.uniform(0.05, 1.5), 2),
                 "annual_probability": round(rng.uniform(0.05, 0.7), 2),
                 "mean_years": round(rng.uniform(0.7, 10), 1)}[t["unit"]]
            choices.append(("rate", k, path, "set", v))
        if t["duration"] and t["duration"][1][0] == "fixed":
            choices.append(("deadline", k, "durations:f%d:%s>%s:value" % (t["f"], LEVEL_NAMES[t["a"]],
                                                                          LEVEL_NAMES[t["b"]]),
                            "set", rng.randint(30, 400)))
    for k, md in enumerate(M["mods"]):
        choices.append(("mult", k, "modifiers:" + md["id"], rng.choice(["multiply", "set"]),
                        round(rng.uniform(0, 3), 2)))
    for j, ev in enumerate(M["events"]):
        if ev["rate"] > 0:
            choices.append(("event", j, "events:%s:rate_per_year" % ev["name"], "multiply",
                            rng.choice([0.3, 2])))
    for k, e in enumerate(M["effects"]):
        choices.append(("p", k, "effects:%s:probability" % e["id"], "set", round(rng.uniform(0.1, 1), 2)))
        choices.append(("delay", k, "effects:%s:delay_days" % e["id"], "set", rng.randint(0, 300)))
    for f, p in enumerate(M["init"]):
        for x, px in enumerate(p):
            if px < 1:
                choices.append(("init", (f, x), "factors:f%d:%s" % (f, LEVEL_NAMES[x]), "set",
                                round(rng.uniform(0, 1), 2)))
    kinds = sorted({c[0] for c in choices})
    levers, rows = {}, []
    for i in range(rng.choice([1, 2]) if choices else 0):
        name, used = "lever%d" % i, set()
        for _ in range(rng.choice([1, 2])):
            # a kind of number first, then one of them, so that the many initial probabilities
            # do not crowd out the rest
            kind = rng.choice(kinds)
            what, idx, path, op, value = rng.choice([c for c in choices if c[0] == kind])
            if path in used:
                continue
            used.add(path)
            from_day = None
            if what != "init" and rng.random() < 0.5:
                from_day = rng.randint(1, M["cal"].end - 1)
            levers.setdefault(name, []).append((what, idx, op, value, from_day))
            date = M["cal"].date_of(from_day).isoformat() if from_day else ""
            rows.append("%s,%s,%s,%s,%s,test,test" % (name, path, op, fmt(value), date))
    write(folder, "levers.csv", "lever,target,operation,value,from_date,description,source", rows)
    return levers


def uncertain(rng, unit):
    """A random distribution for a number of this unit: (its cell, its law, its mean)."""
    if unit == "annual_probability" or unit == "probability":
        if rng.random() < 0.5:
            a, b = rng.choice([1.5, 3, 6]), rng.choice([1.5, 3, 6])
            return "beta(%g,%g)" % (a, b), ("beta", a, b), a / (a + b)
        lo, mode, hi = 0.05, round(rng.uniform(0.1, 0.5), 2), rng.choice([0.7, 0.9])
        return "pert(%g,%g,%g)" % (lo, mode, hi), ("pert", lo, mode, hi), (lo + 4 * mode + hi) / 6
    if unit == "mean_years":
        lo, hi = round(rng.uniform(0.5, 3), 1), round(rng.uniform(4, 15), 1)
        return "uniform(%g,%g)" % (lo, hi), ("uniform", lo, hi), (lo + hi) / 2
    if unit == "multiplier":
        if rng.random() < 0.5:
            lo, mode, hi = 0.2, round(rng.uniform(0.5, 2), 2), 4
            return "triangular(%g,%g,%g)" % (lo, mode, hi), ("triangular", lo, mode, hi), (lo + mode + hi) / 3
        mu, sigma = round(rng.uniform(-0.5, 0.5), 2), round(rng.uniform(0.3, 1), 2)
        return "lognormal(%g,%g)" % (mu, sigma), ("lognormal", mu, sigma), math.exp(mu + sigma * sigma / 2)
    # rate_per_year: wide, so that a run at the means differs from one drawn each replication
    u = rng.random()
    if u < 0.4:
        k, theta = rng.choice([0.7, 1.5, 3]), round(rng.uniform(0.1, 0.6), 2)
        return "gamma(%g,%g)" % (k, theta), ("gamma", k, theta), k * theta
    if u < 0.7:
        k, lam = rng.choice([0.8, 1.5]), round(rng.uniform(0.2, 1), 2)
        return "weibull(%g,%g)" % (k, lam), ("weibull", k, lam), lam * math.gamma(1 + 1 / k)
    lo, hi = round(rng.uniform(0, 0.3), 2), round(rng.uniform(0.5, 2), 2)
    return "uniform(%g,%g)" % (lo, hi), ("uniform", lo, hi), (lo + hi) / 2


def sample_law(r, law):
    """One draw of an uncertain number, from Python's samplers (neasim inverts the CDF on GSL)."""
    kind = law[0]
    if kind == "beta":
        return r.betavariate(law[1], law[2])
    if kind == "pert":
        lo, mode, hi = law[1:]
        return lo + (hi - lo) * r.betavariate(1 + 4 * (mode - lo) / (hi - lo), 1 + 4 * (hi - mode) / (hi - lo))
    if kind == "uniform":
        return r.uniform(law[1], law[2])
    if kind == "triangular":
        return r.triangular(law[1], law[3], law[2])
    if kind == "lognormal":
        return r.lognormvariate(law[1], law[2])
    if kind == "gamma":
        return r.gammavariate(law[1], law[2])
    return r.weibullvariate(law[2], law[1])


def unit_rate(unit, value):
    """A transition's rate a year from its value in its row's unit (transitions.csv)."""
    if unit == "annual_probability":
        return -math.log(1 - value)
    if unit == "mean_years":
        return 1 / value
    return value


def model_copy(M):
    """A copy of the numbers a draw or a lever changes; conditions and the rest are shared."""
    M = dict(M)
    for key in ("trans", "mods", "events", "effects"):
        M[key] = [dict(x) for x in M[key]]
    M["init"] = [list(p) for p in M["init"]]
    return M


def has_laws(M):
    return any(x["law"] for key in ("trans", "mods", "events", "effects") for x in M[key])


def law_mean(law):
    kind = law[0]
    if kind == "beta":
        return law[1] / (law[1] + law[2])
    if kind == "pert":
        return (law[1] + 4 * law[2] + law[3]) / 6
    if kind == "uniform":
        return (law[1] + law[2]) / 2
    if kind == "triangular":
        return sum(law[1:]) / 3
    if kind == "lognormal":
        return math.exp(law[1] + law[2] ** 2 / 2)
    if kind == "gamma":
        return law[1] * law[2]
    return law[2] * math.gamma(1 + 1 / law[1])


def drawn(M, r, spread=1.0):
    """Model M with its uncertain numbers drawn, once per replication (scenarios/README.md,
    "Uncertain numbers": a number is set to its draw, a transition's in its row's unit). spread
    < 1 (a broken rule) pulls each draw towards its law's mean."""
    def draw(law):
        x = sample_law(r, law)
        return x if spread == 1.0 else law_mean(law) + spread * (x - law_mean(law))
    M = model_copy(M)
    for t in M["trans"]:
        if t["law"]:
            t["rate"] = unit_rate(t["unit"], draw(t["law"])) / DAYS_PER_YEAR
    for md in M["mods"]:
        if md["law"]:
            md["mult"] = draw(md["law"])
    for ev in M["events"]:
        if ev["law"]:
            ev["rate"] = draw(ev["law"]) / DAYS_PER_YEAR
    for e in M["effects"]:
        if e["law"]:
            e["p"] = draw(e["law"])
    return M


def with_levers(M, rows):
    """A copy of model M with the lever rows applied, as scenarios/README.md says: `multiply` on a
    transition or event multiplies its hazard, `set` writes a value in the unit of its row; an
    initial probability set rescales the other levels' so that they still sum to 1."""
    M = model_copy(M)
    for what, idx, op, value, _ in rows:
        if what == "rate":
            t = M["trans"][idx]
            if op == "multiply":
                t["rate"] *= value
            else:
                t["rate"] = {"rate_per_year": value, "annual_probability": -math.log(1 - value) if value < 1 else 0,
                             "mean_years": 1 / value}[t["unit"]] / DAYS_PER_YEAR
        elif what == "deadline":
            t = M["trans"][idx]
            t["duration"] = (t["duration"][0], ("fixed", value), value)
        elif what == "mult":
            md = M["mods"][idx]
            md["mult"] = md["mult"] * value if op == "multiply" else value
        elif what == "event":
            ev = M["events"][idx]
            ev["rate"] = ev["rate"] * value if op == "multiply" else value / DAYS_PER_YEAR
        elif what == "p":
            M["effects"][idx]["p"] = value
        elif what == "delay":
            e = M["effects"][idx]
            e["delay"] = value
            if value == 0:
                e["kind"] = "fixed"
        elif what == "init":
            f, x = idx
            p = M["init"][f]
            rest = 1 - p[x]
            M["init"][f] = [value if y == x else q * (1 - value) / rest for y, q in enumerate(p)]
    return M


def random_duration(rng):
    """(cell, law, a stay in days it leaves a fair chance to outlast) of a random sojourn law."""
    kind = rng.choice(["fixed", "fixed", "uniform", "gamma", "weibull", "lognormal"])
    if kind == "fixed":
        d = rng.randint(60, 500)
        return "%d days" % d, (kind, d), d
    if kind == "uniform":
        a = rng.randint(0, 200)
        b = a + rng.randint(30, 400)
        return "uniform(%d,%d) days" % (a, b), (kind, a, b), b
    if kind == "gamma":
        k, theta = rng.choice([0.5, 2, 5]), rng.randint(20, 150)
        return "gamma(%g,%d) days" % (k, theta), (kind, k, theta), k * theta
    if kind == "weibull":
        k, lam = rng.choice([0.7, 1.5, 3]), round(rng.uniform(0.3, 1.5), 2)
        return "weibull(%g,%g) years" % (k, lam), (kind, k, lam * DAYS_PER_YEAR), lam * DAYS_PER_YEAR
    mu, sigma = round(rng.uniform(4, 6), 2), round(rng.uniform(0.2, 1), 2)
    return "lognormal(%g,%g) days" % (mu, sigma), (kind, mu, sigma), math.exp(mu)


def sample_duration(r, law):
    """One sojourn in days, from Python's own samplers (not GSL's)."""
    kind = law[0]
    if kind == "fixed":
        return law[1]
    if kind == "uniform":
        return r.uniform(law[1], law[2])
    if kind == "gamma":
        return r.gammavariate(law[1], law[2])
    if kind == "weibull":
        return r.weibullvariate(law[2], law[1])
    return r.lognormvariate(law[1], law[2])


def write(folder, name, header, rows):
    with open(os.path.join(folder, name), "w") as fh:
        fh.write(header + "\n" + "".join(r + "\n" for r in rows))


# ------------------------------------------------------------------------- the reference

class Replication:
    """One replication of model M by the direct method, with the documentation's semantics.
    mut: a rule broken on purpose (MUTATIONS), or None."""

    def __init__(self, M, rng, mut, cache):
        self.M, self.rng, self.mut, self.cache = M, rng, mut, cache
        self.phase = 0  # the arm's phase in force: self.M is cache["phases"][self.phase]
        self.nf = len(M["nlev"])

    def month(self, t):
        return self.cache["months"][int(t)]

    def hazards(self, t):
        """[(process, hazard a day)] and their sum. Without the events' gamma multipliers they
        are a function of the phase, the state and which seasonal rows' months hold, so kept in
        the arm's cache (emptied at each replication when numbers are drawn)."""
        M, lv = self.M, self.level
        m = self.month(t) if M["season"] else 0
        key = (self.phase, tuple(lv), tuple(m in s["months"] for s in M["season"]))
        out = self.cache["hz"].get(key)
        if out is None:
            out = []
            for k, tr in enumerate(M["trans"]):
                if tr["rate"] > 0 and lv[tr["f"]] == tr["a"]:
                    out.append((("t", k), tr["rate"] * self.mult(("t", k), m)))
            for j, ev in enumerate(M["events"]):
                if ev["rate"] > 0:
                    out.append((("e", j), ev["rate"] * self.mult(("e", j), m)))
            out = self.cache["hz"][key] = (out, sum(h for _, h in out))
        if self.cache["gamma"]:
            hz = [(p, h * self.gamma[p[1]] if p[0] == "e" else h) for p, h in out[0]]
            return hz, sum(h for _, h in hz)
        return out

    def mult(self, tg, month):
        x = 1.0
        if self.mut != "no_modifiers":
            for md in self.M["mods"]:
                if md["target"] == tg and md["cond"].holds(self.level):
                    x *= md["mult"]
        for s in self.M["season"]:
            if s["target"] == tg and month in s["months"] and self.mut != "no_seasonality":
                x *= s["mult"]
        return x

    def schedule(self, t, item):
        self.seq += 1
        heapq.heappush(self.queue, (t, self.seq, item))

    def set_level(self, t, f, x):
        old = self.level[f]
        if x == old:
            return  # a no-op change triggers nothing
        before = list(self.level)
        self.level[f] = x
        self.serial[f] += 1
        if self.started:
            self.story_change(t, f, old, x)
        self.enter(t, f)
        seen = before if self.mut == "when_before" else self.level
        for e in self.M["effects"]:
            tr = e["trigger"]
            if tr[0] == "change" and tr[1] == f and tr[2] in (None, old) and tr[3] in (None, x):
                self.trigger(t, e, seen)

    def enter(self, t, f, before=0):
        """A factor enters its level, a stay begun `before` days before t: the durations out of
        it start (semantics 7), each drawn given that it has lasted that long (by rejection:
        the engine inverts the survival function instead)."""
        for tr in self.M["trans"]:
            if tr["duration"] and tr["f"] == f and tr["a"] == self.level[f]:
                law = tr["duration"][1]
                d = sample_duration(self.rng, law)
                # a deadline that a lever has shortened below the days already spent ends at
                # once ("the stay being over already"); the laws are drawn given they outlast them
                while d <= before and law[0] != "fixed":
                    d = sample_duration(self.rng, law)
                self.schedule(t + max(d - before, 0), ("end", f, tr["b"], self.serial[f]))

    def trigger(self, t, e, seen):
        if e["when"] and not e["when"].holds(seen):
            return
        if self.rng.random() >= e["p"]:
            return
        d = e["delay"]
        if e["kind"] == "uniform":
            d = self.rng.uniform(0, d)
        elif e["kind"] == "exponential":
            d = self.rng.expovariate(1.0 / d)
        self.schedule(t + d, ("effect", e))

    def occur(self, t, j):
        ev = self.M["events"][j]
        day = int(math.floor(t))
        if not (ev["dates"] and day in self.dates[j] and self.mut != "dates_ignored"):
            self.counts[j].append(t)
            self.dates[j].add(day)
        if self.started and ("event", j) not in self.first_ind:
            self.first_ind[("event", j)] = t
        for e in self.M["effects"]:
            if e["trigger"] == ("event", j):
                self.trigger(t, e, self.level)

    def act(self, t, a):
        if a[0] == "set":
            self.set_level(t, a[1], a[2])
        elif a[0] == "event":
            self.occur(t, a[1])
        else:
            d = self.M["draw"]
            by_from = next(p for c, p in d["cases"] if c is None or c.holds(self.level))
            p = by_from[self.level[d["f"]]]
            u, x = self.rng.random(), 0
            while x < len(p) - 1 and u >= p[x]:
                u -= p[x]
                x += 1
            self.set_level(t, d["f"], x)

    def settle(self, t):
        """Run what is due at t (the queue, in scheduling order), then look at the outcomes."""
        self.drain(t)
        self.look(t)

    def drain(self, t):
        while self.queue and self.queue[0][0] <= t:
            _, _, item = heapq.heappop(self.queue)
            if item[0] == "end":
                _, f, b, serial = item
                if self.serial[f] == serial or self.mut == "end_not_dropped":
                    self.set_level(t, f, b)
            else:
                e = item[1]
                if e["when_due"] and self.mut != "no_when_due" and not e["when_due"].holds(self.level):
                    continue
                self.act(t, e["action"])

    def look(self, t):
        key = ("outcomes", tuple(self.level))
        hs = self.cache.get(key)
        if hs is None:
            hs = self.cache[key] = [o["cond"].holds(self.level) for o in self.M["outcomes"]]
        for i, o in enumerate(self.M["outcomes"]):
            h = hs[i]
            if self.started and h and not self.prev[i] and self.onset[i] is None:
                # an onset (routes and signposts, whatever the occurrence): its route is told now,
                # with every change of this instant
                self.onset[i] = t
                if self.cache["story"]:
                    steps, truncated = self.route[i]
                    self.onset_route[i] = route_text(steps, truncated)
            # a state outcome occurs when it holds, the start included; an onset when it begins
            # to hold after the start (outcomes.csv)
            onset = o["onset"] and self.mut != "onset_counts_start"
            if self.first[i] is None and h and (not onset or (t > 0 and not self.prev[i])):
                self.first[i] = t
            self.prev[i] = h

    def story_change(self, t, f, old, x):
        """A change after the start: an indicator, and a step of the routes told in f of the
        outcomes with no onset yet, collapsed as README.md says ("Routes and signposts"): back
        to the factor's level at the start removes all its steps; back to the level the route's
        last step (of that factor) left removes that step; neither for a factor of the outcome's
        own condition. Then only the last ROUTE_STEPS are kept."""
        self.first_ind.setdefault(("level", f, x), t)
        if not self.cache["story"]:
            return
        for i, o in enumerate(self.M["outcomes"]):
            if self.onset[i] is not None or f not in self.cache["rf"][i]:
                continue
            steps, truncated = self.route[i]
            own = f in cond_factors(o["cond"]) and self.mut != "route_collapse_own"
            if self.mut == "route_no_collapse":
                own = True
            if not own and x == self.start_level[f]:
                steps[:] = [s for s in steps if s[0] != f]
            elif not own and steps and steps[-1][0] == f and steps[-1][2] == x:
                steps.pop()
            else:
                steps.append((f, x, old))
                if len(steps) > ROUTE_STEPS:
                    del steps[0]
                    self.route[i] = (steps, True)

    def run(self):
        M, rng = self.M, self.rng
        self.started = False
        self.first_ind = {}
        self.onset = [None] * len(M["outcomes"])
        self.onset_route = [None] * len(M["outcomes"])
        self.route = [([], False) for _ in M["outcomes"]]
        self.level = []
        for p in M["init"]:
            u, x = rng.random(), 0
            while x < len(p) - 1 and u >= p[x]:
                u -= p[x]
                x += 1
            self.level.append(x)
        self.serial = [0] * self.nf
        self.queue, self.seq = [], 0
        nev = len(M["events"])
        self.counts = [[] for _ in range(nev)]
        self.dates = [set() for _ in range(nev)]
        self.gamma = [1.0] * nev
        self.first = [None] * len(M["outcomes"])
        self.prev = [False] * len(M["outcomes"])
        instants, stops = self.cache["instants"], self.cache["stops"]
        for j, ev in enumerate(M["events"]):
            if ev["k"] and self.mut != "no_dispersion":
                self.gamma[j] = rng.gammavariate(ev["k"], 1.0 / ev["k"])
        for f in range(self.nf):
            self.enter(0.0, f, M["entered"][f][self.level[f]] if self.mut != "entered_ignored" else 0)
        report = []   # (level, occurred, counts) at each report date
        reports, end = M["cal"].reports, M["cal"].end

        def instant(t):
            for kind, x in instants.get(t, ()):
                if kind == "phase":
                    self.phase, self.M = x, self.cache["phases"][x]
                elif kind == "gamma":
                    if self.mut == "no_dispersion":
                        continue
                    ev = self.M["events"][x]
                    self.gamma[x] = rng.gammavariate(ev["k"], 1.0 / ev["k"])
                else:
                    c = self.M["calendar"][x]
                    if c["when"] and self.mut != "no_calendar_when" and not c["when"].holds(self.level):
                        continue
                    self.act(t, c["action"])
                    if self.mut == "row_effects_settle":
                        self.drain(t)  # broken: a row's zero-delay effects before the next row
            self.settle(t)

        def record_until(t):
            # the reports before t see the state held up to t; what has happened so far happened
            # by the earliest of them (the later reports are after the last instant looked at)
            while len(report) < len(reports) and reports[len(report)] < t:
                report.append((list(self.level), [f is not None for f in self.first],
                               [len(c) for c in self.counts]))

        instant(0)
        self.started = True  # the start has settled: what changes now is a route's step
        self.start_level = list(self.level)
        t, si = 0.0, 0
        while stops and si < len(stops) and stops[si] <= 0:
            si += 1
        holds_at_start = [o["cond"].holds(self.level) for o in M["outcomes"]]
        while True:
            nxt = stops[si] if si < len(stops) else math.inf
            if self.queue and self.queue[0][0] < nxt:
                nxt = self.queue[0][0]
            hz, total = self.hazards(t)
            tf = t + rng.expovariate(total) if total > 0 else math.inf
            if min(tf, nxt) > end:
                break
            if tf < nxt:
                record_until(tf)
                t = tf
                u = rng.random() * total
                for proc, h in hz:
                    u -= h
                    if u < 0:
                        break
                if proc[0] == "t":
                    tr = self.M["trans"][proc[1]]
                    self.set_level(t, tr["f"], tr["b"])
                else:
                    self.occur(t, proc[1])
                self.settle(t)
            else:
                record_until(nxt)
                t = nxt
                if si < len(stops) and stops[si] == t:
                    si += 1
                instant(t)
        record_until(math.inf)
        return report, holds_at_start


def instants_of(M):
    """The whole days at which something is due in every replication, each with what, in the
    order of semantics 3: gamma redraws, then calendar rows in row order (a month start where a
    seasonal row begins or ends has nothing of its own to do: the hazards read the month; the
    other month starts change no hazard, and are left out)."""
    instants, cal = {}, M["cal"]
    for j, ev in enumerate(M["events"]):
        k = 1
        while ev["k"] and cal.day_of(add_months(cal.start, k * ev["redraw"])) <= cal.end:
            instants.setdefault(cal.day_of(add_months(cal.start, k * ev["redraw"])), []).append(("gamma", j))
            k += 1
    for r, c in enumerate(M["calendar"]):
        for d in c["days"]:
            instants.setdefault(d, []).append(("cal", r))
    k = 1
    first = cal.start.replace(day=1)
    while M["season"] and cal.day_of(add_months(first, k)) <= cal.end:
        d, before = add_months(first, k), add_months(first, k - 1)
        if any((d.month in s["months"]) != (before.month in s["months"]) for s in M["season"]):
            instants.setdefault(cal.day_of(d), [])
        k += 1
    return instants


ROUTE_STEPS = 6  # README.md, "Routes and signposts": only the last 6 steps are kept


def cond_factors(c):
    return {f for term in c.terms for f, _ in term} if c else set()


def route_factors(M, o, mut=None):
    """The factors outcome o's routes are told in (scenarios/README.md, outcomes.csv `route`): the
    column's, else the condition's factors, those named in the conditions of modifiers of their
    transitions, those whose changes trigger effects that set or draw them and those named in
    such effects' `when` and `when_due`."""
    if o["route"]:
        return set(o["route"])
    own = cond_factors(o["cond"])
    fs = set(own)
    if mut == "route_condition_only":
        return fs
    for md in M["mods"]:
        if md["target"][0] == "t" and M["trans"][md["target"][1]]["f"] in own:
            fs |= cond_factors(md["cond"])
    for e in M["effects"]:
        a = e["action"]
        f = a[1] if a[0] == "set" else M["draw"]["f"] if a[0] == "draw" else None
        if f not in own:
            continue
        if e["trigger"][0] == "change":
            fs.add(e["trigger"][1])
        fs |= cond_factors(e["when"]) | cond_factors(e["when_due"])
    return fs


def own_indicators(o):
    """The indicators that are outcome o's own condition (README.md, signposts.csv: left out): the
    levels accepted by a term of one clause."""
    return {("level", f, x) for term in o["cond"].terms if len(term) == 1 for f, acc in term for x in acc}


def indicator_text(M, ind):
    return "f%d=%s" % (ind[1], LEVEL_NAMES[ind[2]]) if ind[0] == "level" else "event:" + M["events"][ind[1]]["name"]


def route_text(steps, truncated):
    """As routes.csv writes a route: the levels entered, oldest first."""
    text = " -> ".join("f%d=%s" % (f, LEVEL_NAMES[x]) for f, x, _ in steps)
    return ("... -> " + text) if truncated else text or "(none)"


def new_cache(M, instants, phases, story, rf):
    """What a Replication reads of its arm besides the model: the instants (instants_of) and their
    sorted days, the phases, the hazards by state (filled as met), whether to tell the story and
    each outcome's route factors, each day's month, and whether any event is gamma-mixed."""
    return {"instants": instants, "stops": sorted(instants), "phases": phases, "hz": {}, "story": story,
            "rf": rf, "months": [M["cal"].date_of(d).month for d in range(M["cal"].end + 1)],
            "gamma": any(ev["k"] for ev in M["events"])}


def indicators_of(M):
    """The signposts' indicators: every level of every factor, then every event."""
    return [("level", f, x) for f, n in enumerate(M["nlev"]) for x in range(n)] + \
           [("event", j) for j in range(len(M["events"]))]


def arm_phases(M, rows, mut=None):
    """An arm's phases, as the lever rows in force in each (a phase from each `from_date`, the
    first from the start), and the model's instants with each later phase's beginning first at its
    instant (semantics 3)."""
    if mut == "lever_from_start":
        rows = [r[:4] + (None,) for r in rows]
    days = sorted({r[4] or 0 for r in rows} | {0})
    instants = instants_of(M)
    for i, d in enumerate(days[1:], 1):
        instants.setdefault(d, []).insert(0, ("phase", i))
    return [[r for r in rows if (r[4] or 0) <= d] for d in days], instants


def reference(M, runs, seed, mut=None, arm="baseline", story=False, point=None):
    """Shares and means over runs replications of an arm (the baseline, or a lever's: the model
    with the lever's rows applied from their dates, each date a phase that begins at its
    instant): {(arm, kind, name, day): (mean, mean of the square, runs)}. With point (a sweep's
    point: (name, its rows, its lever set or None)), the model with the point's numbers set and
    the others at their means, then the lever set's rows applied, keyed by the point's name."""
    rng = random.Random(seed)
    rows = M["levers"].get(arm, [])
    if point:
        M, rows = with_levers(M, point[1]), M["levers"].get(point[2], [])
    phase_rows, instants = arm_phases(M, rows, mut)
    phases = [with_levers(M, pr) for pr in phase_rows]
    # uncertain numbers are drawn once per replication, then the arm's levers applied to the
    # draws ("Levers on uncertain numbers"); mutation at_means holds them at their means
    draws = mut != "at_means" and has_laws(M) and (not point or mut == "sweep_drawn")
    cache = new_cache(M, instants, phases, story, [route_factors(M, o, mut) for o in M["outcomes"]])
    nominal, M = M, phases[0]
    nr = len(M["cal"].reports)
    levels = [[[0] * n for n in M["nlev"]] for _ in range(nr)]
    holds = [[0] * len(M["outcomes"]) for _ in range(nr)]
    occ = [[0] * len(M["outcomes"]) for _ in range(nr)]
    cs = [[0.0] * len(M["events"]) for _ in range(nr)]
    cs2 = [[0.0] * len(M["events"]) for _ in range(nr)]
    any_ = [[0] * len(M["events"]) for _ in range(nr)]
    start = [0] * len(M["outcomes"])
    first = [[0] * (nr + 1) for _ in M["outcomes"]]  # the report of each outcome's first occurrence; nr: never
    # the windows of count_distribution.csv, as report indices: each year since the start (the
    # report grids here all divide 12 months), and the whole horizon
    per_year = 12 // M["cal"].interval
    windows = [(r - per_year, r) for r in range(per_year, nr, per_year)
               if r * M["cal"].interval <= M["cal"].months]
    windows.append((None, nr - 1))
    dists = {w: [{} for _ in M["events"]] for w in windows}
    # routes.csv and signposts.csv (`run --routes --signposts`): the routes of the onsets; by each
    # watch date (1, 2 and 3 years), the runs in which each indicator had happened, and per
    # outcome, of the runs with no onset by then, how many had each indicator and how many of
    # those an onset later
    watch = [M["cal"].day_of(add_months(M["cal"].start, 12 * k)) for k in (1, 2, 3)]
    indicators = indicators_of(M)
    routes = [{} for _ in M["outcomes"]]
    fired = [{ind: 0 for ind in indicators} for _ in watch]
    clear = [[[0, 0] for _ in watch] for _ in M["outcomes"]]  # [no onset by w, of them an onset later]
    signs = [[{ind: [0, 0] for ind in indicators} for _ in watch] for _ in M["outcomes"]]
    for _ in range(runs):
        if draws:
            D = drawn(nominal, rng)
            cache["phases"] = [with_levers(D, pr) for pr in phase_rows]
            cache["hz"] = {}
        R = Replication(cache["phases"][0], rng, mut, cache)
        rep, at_start = R.run()
        if story:
            for i, o in enumerate(M["outcomes"]):
                if R.onset[i] is not None:
                    routes[i][R.onset_route[i]] = routes[i].get(R.onset_route[i], 0) + 1
            for w, tw in enumerate(watch):
                by_w = [ind for ind, t in R.first_ind.items() if t <= tw]
                for ind in by_w:
                    fired[w][ind] += 1
                for i in range(len(M["outcomes"])):
                    t = R.onset[i]
                    if t is not None and t <= tw and mut != "signpost_onset_before":
                        continue  # an outcome already begun is not predicted
                    later = t is not None and (t > tw or mut == "signpost_onset_before")
                    clear[i][w][0] += 1
                    clear[i][w][1] += later
                    for ind in by_w:
                        signs[i][w][ind][0] += 1
                        signs[i][w][ind][1] += later
        for i, o in enumerate(at_start):
            start[i] += o
            # first_occurrence.csv: the first report by which it has occurred (the period it
            # first occurred in), or never
            # (broken rule first_at_reports: a state outcome first seen holding at a report date)
            at_reports = mut == "first_at_reports" and not M["outcomes"][i]["onset"]
            seen = [M["outcomes"][i]["cond"].holds(lv) if at_reports else oc[i] for lv, oc, _ in rep]
            first[i][seen.index(True) if True in seen else nr] += 1
        for r, (lv, oc, cn) in enumerate(rep):
            for f, x in enumerate(lv):
                levels[r][f][x] += 1
            for i, o in enumerate(M["outcomes"]):
                holds[r][i] += o["cond"].holds(lv)
                occ[r][i] += oc[i]
            for j, c in enumerate(cn):
                cs[r][j] += c
                cs2[r][j] += c * c
                any_[r][j] += c > 0
        # count_distribution.csv's windows: a year since the start is (start, end], so an
        # occurrence at the start instant is in none; the horizon is the cumulative count at its
        # end, the start instant included, as event_counts.csv's cumulative rows
        for (a, b), hist in dists.items():
            for j in range(len(M["events"])):
                c = rep[b][2][j] - (rep[a][2][j] if a is not None else 0)
                hist[j][c] = hist[j].get(c, 0) + 1
    out = {}
    for r, day in enumerate(M["cal"].reports):
        for f, n in enumerate(M["nlev"]):
            for x in range(n):
                out[("level", "f%d:%s" % (f, LEVEL_NAMES[x]), day)] = share(levels[r][f][x], runs)
        for i, o in enumerate(M["outcomes"]):
            out[("holds", o["name"], day)] = share(holds[r][i], runs)
            out[("occurred_by", o["name"], day)] = share(occ[r][i], runs)
            out[("first", o["name"], day)] = share(first[i][r], runs)
        for j, ev in enumerate(M["events"]):
            if day == 0:
                continue  # event_counts.csv starts at the first report after the start
            out[("count", ev["name"], day)] = (cs[r][j] / runs, cs2[r][j] / runs, runs)
            out[("at_least_one", ev["name"], day)] = share(any_[r][j], runs)
    for i, o in enumerate(M["outcomes"]):
        if o["onset"]:
            out[("holds_at_start", o["name"], 0)] = share(start[i], runs)
        out[("first_never", o["name"], None)] = share(first[i][nr], runs)
    for (a, b), hists in dists.items():
        kind = "horizon" if a is None else "year"
        for j, ev in enumerate(M["events"]):
            for c, k in hists[j].items():
                out[("dist_" + kind, ev["name"], M["cal"].reports[b], c)] = share(k, runs)
    out = {(point[0] if point else arm,) + k: v for k, v in out.items()}
    if story:
        out[("story",)] = {"runs": runs, "routes": routes, "watch": watch, "fired": fired, "clear": clear,
                           "signs": signs}
    return out


def outer_reference(M, draws, runs, seed, mut=None, arms=False):
    """`run --outer`: for each of `draws` draws of the uncertain numbers, `runs` replications with
    them; the per-draw probability that each outcome has occurred by each report date:
    {("outer",): [draw][outcome][report]}. With arms (`compare --outer`), each lever's arm too, on
    the same draws (the arm's levers applied to them) and replications of its own (a generator
    apart, so that the baseline's figures do not move): {("outer_arms",): {arm: [draw][outcome]
    [report]}}. Mutation arm_own_draw gives each arm a draw of its own."""
    rng, rng_arms = random.Random(seed), random.Random(seed + 7919)
    rf = [set() for _ in M["outcomes"]]
    cache = new_cache(M, instants_of(M), None, False, rf)
    names = sorted(M["levers"]) if arms else []
    setups = {a: arm_phases(M, M["levers"][a]) for a in names}
    caches = {a: new_cache(M, setups[a][1], None, False, rf) for a in names}

    def probabilities(D, r, cache):
        cache["hz"] = {}
        occ = [[0] * len(M["cal"].reports) for _ in M["outcomes"]]
        for _ in range(runs):
            rep, _ = Replication(D, r, mut, cache).run()
            for j, (_, oc, _) in enumerate(rep):
                for i, x in enumerate(oc):
                    occ[i][j] += x
        return [[k / runs for k in row] for row in occ]
    out, by_arm = [], {a: [] for a in names}
    for _ in range(draws):
        D = drawn(M, rng, 0.5 if mut == "spread_halved" else 1.0)
        cache["phases"] = [D]
        out.append(probabilities(D, rng, cache))
        for a in names:
            Da = drawn(M, rng_arms) if mut == "arm_own_draw" else D
            caches[a]["phases"] = [with_levers(Da, pr) for pr in setups[a][0]]
            by_arm[a].append(probabilities(caches[a]["phases"][0], rng_arms, caches[a]))
    return {("outer",): out, ("outer_arms",): by_arm} if arms else {("outer",): out}


def share(k, n):
    """A figure as (mean, mean of the square, runs): for a share of runs both are k / n."""
    return k / n, k / n, n


# ------------------------------------------------------------------------- neasim's side

def neasim_run(neasim, folder, runs, seed, M):
    """neasim's figures for the model in folder: `compare --levers all` when it has levers (the
    baseline arm and each lever's), else `run`; keyed as reference() keys them."""
    out = folder + "-out"
    cmd = ["compare", folder, "--levers", "all"] if M["levers"] else ["run", folder]
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
        if row["window"] == "cumulative":
            arm, m, sd = row.get("arm", "baseline"), float(row["mean"]), float(row["sd"])
            res[(arm, "count", row["event"], day(row["date"]))] = (m, sd * sd * (runs - 1) / runs + m * m, runs)
            res[(arm, "at_least_one", row["event"], day(row["date"]))] = \
                share(round(float(row["p_at_least_one"]) * runs), runs)
    return res


def neasim_story(neasim, folder, runs, seed, M):
    """routes.csv and signposts.csv of `neasim run --routes --signposts` (watch dates 1, 2 and 3
    years, the default): {"runs", "routes": {outcome: {route: onsets}}, "onsets_all": {outcome: n},
    "signs": {(outcome, watch day, indicator): (fired, runs_with, onsets_with, runs_without,
    onsets_without)}}."""
    out = folder + "-story"
    r = subprocess.run([neasim, "run", folder, "--routes", "--signposts", "--runs", str(runs), "--seed", str(seed),
                        "--out", out, "--quiet", "--threads", "2"], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("neasim run --routes exited %d: %s" % (r.returncode, r.stderr.strip()[:400]))
    res = {"runs": runs, "routes": {}, "onsets_all": {}, "signs": {}}
    for row in csv.DictReader(open(out + "/routes.csv")):
        res["routes"].setdefault(row["outcome"], {})[row["route"] if row["rank"] != "other" else None] = int(row["onsets"])
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
    """`neasim compare --levers all --outer OUTER_DRAWS --runs OUTER_RUNS` (its default horizons):
    {"p": {(arm, outcome, day): (probability, mean_std_error)} (each arm's uncertainty.csv),
    "d": {(arm, outcome, day): (difference, mean_se, between_draws_sd, monte_carlo_sd)}
    (uncertainty_differences.csv)}. uncertainty_differences.csv's difference must be its arm's
    probability less the baseline's, and those uncertainty.csv's, as printed."""
    out = folder + "-outer-arms"
    r = subprocess.run([neasim, "compare", folder, "--levers", "all", "--outer", str(OUTER_DRAWS), "--runs",
                        str(OUTER_RUNS), "--seed", str(seed), "--out", out, "--quiet", "--threads", "2"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("neasim compare --outer exited %d: %s" % (r.returncode, r.stderr.strip()[:400]))
    day = lambda s: M["cal"].day_of(datetime.date.fromisoformat(s))
    res = {"p": {(row["arm"], row["outcome"], day(row["date"])):
                 (float(row["probability"]), float(row["mean_std_error"]))
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


def sd_se(xs, m, s2):
    """The standard error of a sample variance s2 of xs (mean m) from their fourth moment."""
    n = len(xs)
    m4 = sum((x - m) ** 4 for x in xs) / n
    return math.sqrt(max(m4 - s2 * s2 * (n - 3) / (n - 1), 0) / n)


def outer_arms_compare(M, ns, per_draw, by_arm):
    """compare --outer against the reference's arms on shared draws (outer_reference(arms=True)):
    z of each arm's mean probability over the draws (uncertainty.csv, as outer_compare), of each
    lever's mean difference (uncertainty_differences.csv's, its mean_se against the reference's
    sd of the per-draw differences over sqrt(draws)) and of the judgment variance of the
    difference, Var over the draws of d(numbers) = p_arm(numbers) - p_baseline(numbers): neasim's
    between_draws_sd^2 - monte_carlo_sd^2 (the per-draw paired noise taken out) against the
    reference's variance of its per-draw differences less their binomial noise (its arms are not
    paired within a draw). Both estimate the same law's figure whatever the pairing; a lever's arm
    on draws of its own makes the reference's (mutation arm_own_draw) the sum of the two arms'
    variances. The variance is compared where both probabilities are within 0.05 and 0.95, its
    standard error from the reference's fourth moment, for both sides. Returns [(z, what)]."""
    figs, Nr, R = [], len(per_draw), OUTER_RUNS
    col = lambda draws, i, r: [d[i][r] for d in draws]
    for (arm, name, day), (p, se) in sorted(ns["p"].items()):
        i, r = next(k for k, o in enumerate(M["outcomes"]) if o["name"] == name), M["cal"].reports.index(day)
        ps = col(per_draw if arm == "baseline" else by_arm[arm], i, r)
        m = sum(ps) / Nr
        s2 = sum((x - m) ** 2 for x in ps) / (Nr - 1)
        se_r = max(math.sqrt(s2 / Nr), math.sqrt(m * (1 - m) / (Nr * R)))
        if se > 0 or se_r > 0:
            figs.append(((p - m) / math.sqrt(se * se + se_r * se_r), ("outer arm mean", arm, name, day)))
    for (arm, name, day), (diff, mean_se, sd, mc) in sorted(ns["d"].items()):
        i, r = next(k for k, o in enumerate(M["outcomes"]) if o["name"] == name), M["cal"].reports.index(day)
        pa, pb = col(by_arm[arm], i, r), col(per_draw, i, r)
        ds = [a - b for a, b in zip(pa, pb)]
        md, ma, mb = sum(ds) / Nr, sum(pa) / Nr, sum(pb) / Nr
        s2 = sum((x - md) ** 2 for x in ds) / (Nr - 1)
        se_r = max(math.sqrt(s2 / Nr), math.sqrt((ma * (1 - ma) + mb * (1 - mb)) / (Nr * R)))
        if mean_se > 0 or se_r > 0:
            figs.append(((diff - md) / math.sqrt(mean_se ** 2 + se_r ** 2), ("outer difference", arm, name, day)))
        if 0.05 < ma < 0.95 and 0.05 < mb < 0.95 and s2 > 0:
            noise = [(a * (1 - a) + b * (1 - b)) / (R - 1) for a, b in zip(pa, pb)]
            mn = sum(noise) / Nr
            v_ref, v_ns = s2 - mn, sd * sd - mc * mc
            vn = sum((x - mn) ** 2 for x in noise) / (Nr - 1)
            se_v = math.sqrt((sd_se(ds, md, s2) ** 2 + vn / Nr) * (1 + Nr / OUTER_DRAWS))
            figs.append(((v_ns - v_ref) / se_v, ("outer judgment variance", arm, name, day)))
    return figs


def outer_compare(M, ns, per_draw):
    """uncertainty.csv against the reference's draws (outer_reference): z of each outcome's mean
    probability over the draws (each side's standard error as uncertainty.csv defines
    mean_std_error) and, where that probability is between 0.05 and 0.95, of between_draws_sd (the
    standard error of a sample sd from the reference's draws, its fourth moment included, and
    scaled to neasim's number of draws for its side). Returns [(z, what)]."""
    figs, Nr = [], len(per_draw)
    for (name, day), (p, se, sd) in sorted(ns.items()):
        i = next(k for k, o in enumerate(M["outcomes"]) if o["name"] == name)
        ps = [d[i][M["cal"].reports.index(day)] for d in per_draw]
        m = sum(ps) / Nr
        s2 = sum((x - m) ** 2 for x in ps) / (Nr - 1)
        se_r = max(math.sqrt(s2 / Nr), math.sqrt(m * (1 - m) / (Nr * OUTER_RUNS)))
        if se > 0 or se_r > 0:
            figs.append(((p - m) / math.sqrt(se * se + se_r * se_r), ("outer mean", name, day)))
        if 0.05 < m < 0.95 and s2 > 0:
            se_sd = sd_se(ps, m, s2) / (2 * math.sqrt(s2))
            figs.append(((sd - math.sqrt(s2)) / (se_sd * math.sqrt(1 + Nr / OUTER_DRAWS)),
                         ("outer between_draws_sd", name, day)))
    return figs


SWEEP_RUNS, SWEEP_REF_RUNS = 20000, 3000


def sweep_design(rr, M):
    """A random sweep design of 3 points over one or two numbers, each set to a value of its own
    at each point (a transition's in its row's unit, a modifier's multiplier, an event's rate, an
    effect's probability or delay, a starting chance, a deadline), and a lever set at one point
    when the model has levers: (header, [(name, rows for with_levers, lever set or None, cells)])."""
    cands = []
    for k, t in enumerate(M["trans"]):
        if t["rate"] > 0:
            cands.append(("rate", k, "transitions:f%d:%s>%s" % (t["f"], LEVEL_NAMES[t["a"]], LEVEL_NAMES[t["b"]]),
                          {"rate_per_year": lambda: round(rr.uniform(0.05, 1.5), 2),
                           "annual_probability": lambda: round(rr.uniform(0.05, 0.7), 2),
                           "mean_years": lambda: round(rr.uniform(0.7, 10), 1)}[t["unit"]]))
        if t["duration"] and t["duration"][1][0] == "fixed":
            cands.append(("deadline", k, "durations:f%d:%s>%s:value" % (t["f"], LEVEL_NAMES[t["a"]], LEVEL_NAMES[t["b"]]),
                          lambda: rr.randint(30, 400)))
    for k, md in enumerate(M["mods"]):
        cands.append(("mult", k, "modifiers:" + md["id"], lambda: round(rr.uniform(0, 3), 2)))
    for j, ev in enumerate(M["events"]):
        if ev["rate"] > 0:
            cands.append(("event", j, "events:%s:rate_per_year" % ev["name"], lambda: round(rr.uniform(0.2, 4), 2)))
    for k, e in enumerate(M["effects"]):
        cands.append(("p", k, "effects:%s:probability" % e["id"], lambda: round(rr.uniform(0, 1), 2)))
        if e["kind"] == "fixed" and e["delay"]:
            cands.append(("delay", k, "effects:%s:delay_days" % e["id"], lambda: rr.randint(0, 300)))
    for f, p in enumerate(M["init"]):
        for x, px in enumerate(p):
            if px < 1:
                cands.append(("init", (f, x), "factors:f%d:%s" % (f, LEVEL_NAMES[x]), lambda: round(rr.uniform(0, 1), 2)))
    chosen = rr.sample(cands, min(len(cands), rr.choice([1, 2])))
    levers = sorted(M["levers"])
    header = [c[2] for c in chosen] + (["levers"] if levers else [])
    points = []
    for i in range(3):
        values = [c[3]() for c in chosen]
        lever = levers[0] if levers and i == 2 else None
        cells = ["%g" % v for v in values] + ([lever or "none"] if levers else [])
        points.append(("point%d" % (i + 1), [(c[0], c[1], "set", v, None) for c, v in zip(chosen, values)],
                       lever, cells))
    return header, points


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


def story_compare(M, ns, rs):
    """routes.csv and signposts.csv against the reference's story (reference(story=True)): z of
    every outcome's onsets within the horizon, of each route neasim lists and of the rest
    (`other`), per run; and of every signpost row's shares (fires; runs with and without the
    indicator among those with no onset by the watch date; p_with and p_without). An indicator
    neasim leaves out must be one that the reference also (nearly) never or always sees among
    those runs, or the outcome's own condition, which neasim must leave out.
    Returns (figures: [(z, what)], problems: [text])."""
    N, Nr = ns["runs"], rs["runs"]
    figs, problems = [], []

    def z(k1, n1, k2, n2, what):
        if n1 > 0 and n2 > 0:
            figs.append((two_sample_z(k1 / n1, k1 / n1, n1, k2 / n2, k2 / n2, n2), what))
    indicators = indicators_of(M)
    for i, o in enumerate(M["outcomes"]):
        name, ref_routes = o["name"], rs["routes"][i]
        listed = ns["routes"].get(name, {})
        z(ns["onsets_all"].get(name, 0), N, sum(ref_routes.values()), Nr, ("onsets", name))
        for text, k in listed.items():
            if text is not None:
                z(k, N, ref_routes.get(text, 0), Nr, ("route", name, text))
        rest = sum(k for text, k in ref_routes.items() if text not in listed)
        z(listed.get(None, 0), N, rest, Nr, ("route", name, "other"))
        own = own_indicators(o)
        for w, tw in enumerate(rs["watch"]):
            n0r, k0r = rs["clear"][i][w]
            for ind in indicators:
                text = indicator_text(M, ind)
                row = ns["signs"].get((name, tw, text))
                nr, kr = rs["signs"][i][w][ind]
                if ind in own:
                    if row:
                        problems.append("signposts.csv lists %s for %s, its own condition" % (text, name))
                    continue
                what = (name, tw, text)
                if row is None:
                    # neasim saw it in none or in all of the runs with no onset by then
                    z0 = two_sample_z(0, 0, N, nr / Nr, nr / Nr, Nr)
                    z1 = two_sample_z(0, 0, N, (n0r - nr) / Nr, (n0r - nr) / Nr, Nr)
                    figs.append((z0 if abs(z0) < abs(z1) else z1, ("left out",) + what))
                    continue
                fired, nw, kw, n0, k0 = row
                z(fired, N, rs["fired"][w][ind], Nr, ("fires",) + what)
                z(nw, N, nr, Nr, ("runs_with",) + what)
                z(n0, N, n0r - nr, Nr, ("runs_without",) + what)
                z(kw, nw, kr, nr, ("p_with",) + what)
                z(k0, n0, k0r - kr, n0r - nr, ("p_without",) + what)
    return figs, problems


def two_sample_z(a, a2, na, b, b2, nb):
    """z of the difference of two sample means a and b (a2, b2: the means of the squares; na, nb:
    the sample sizes) under the hypothesis that both sides sample one law. A share (a2 == a) is
    tested exactly when its rarer outcome is rare: given the k runs of both sides that have it,
    the reference's number of them is binomial(k, nb / (na + nb)), and its two-sided p-value is
    read back as the z of the same p-value, since the normal approximation misreads a tail count:
    7 of 8,000 against 2 of 40,000 is z 4.9 by the pooled variance, 3.7 exactly; 46 of 40,000
    against 1 of 8,000 is 4.9 by each side's own binomial error, 2.9 exactly. Otherwise (a mean
    count, or a share common enough) the difference over the pooled variance."""
    if a2 == a and b2 == b:
        k1, k2 = round(a * na), round(b * nb)
        k, n = k1 + k2, na + nb
        if k > n - k:  # the rarer outcome
            k1, k2, k = na - k1, nb - k2, n - k
        if k <= 300:
            q = nb / n
            terms = [math.exp(math.lgamma(k + 1) - math.lgamma(x + 1) - math.lgamma(k - x + 1) +
                              x * math.log(q) + (k - x) * math.log1p(-q)) if 0 < q < 1 else float(x == k * q)
                     for x in range(k + 1)]
            p = min(1.0, 2 * min(sum(terms[:k2 + 1]), sum(terms[k2:])))
            if p >= 1.0:
                return 0.0
            z = -NORMAL.inv_cdf(p / 2) if p > 1e-300 else 40.0  # the lower tail: exact for small p
            return z if a > b else -z
    mean = (na * a + nb * b) / (na + nb)
    var = max((na * a2 + nb * b2) / (na + nb) - mean * mean, 0.0)
    se = math.sqrt(var * (1 / na + 1 / nb))
    if se == 0:
        return 0.0 if a == b else math.inf
    return (a - b) / se


def compare(ours, ref):
    """The largest |z| and where, and the figures one side lacks; only the arms ref has count (a
    hunt runs the reference on one arm). A count of a distribution that one side never saw is a
    share of 0 there, not a lack."""
    arms = {k[0] for k in ref}
    mine = {k: v for k, v in ours.items() if k[0] in arms}
    dist = lambda k: k[1].startswith("dist_")
    missing = sorted((k for k in set(ref) ^ set(mine) if not dist(k)), key=str)
    n_ours, n_ref = next(iter(mine.values()))[2], next(iter(ref.values()))[2]
    worst, where = 0.0, None
    for key in sorted((set(ref) | set(mine)) - set(missing), key=str):  # the same report each run
        (a, a2, na) = mine.get(key, (0.0, 0.0, n_ours))
        (b, b2, nb) = ref.get(key, (0.0, 0.0, n_ref))
        z = two_sample_z(a, a2, na, b, b2, nb)
        if abs(z) > abs(worst):
            worst, where = z, (key, a, b)
    return worst, where, missing


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
    "lever_from_start": lambda M: any(r[4] for rows in M["levers"].values() for r in rows),
    "at_means": has_laws,
    # routes.csv and signposts.csv (the reference's story, run on the baseline arm)
    "route_no_collapse": lambda M: True,
    "route_collapse_own": lambda M: True,
    "route_condition_only": lambda M: any(not o["route"] and route_factors(M, o) != cond_factors(o["cond"])
                                          for o in M["outcomes"]),
    "signpost_onset_before": lambda M: True,
    "first_at_reports": lambda M: any(not o["onset"] for o in M["outcomes"]),
    "row_effects_settle": lambda M: any(e["id"] == "s0" for e in M["effects"]),
    "spread_halved": has_laws,
    "arm_own_draw": lambda M: has_laws(M) and bool(M["levers"]),
    "sweep_drawn": has_laws,
}
STORY_MUTATIONS = {"route_no_collapse", "route_collapse_own", "route_condition_only", "signpost_onset_before"}


def sweep_compare(ns, rs):
    """sweep.csv against the reference's points: every figure neasim gives (holds and occurred_by
    of each outcome, each event's mean count from the start, at each point and horizon), which the
    reference must have too. Returns (figures: [(z, what)], problems)."""
    figs, problems = [], []
    for key, (a, a2, na) in sorted(ns.items(), key=str):
        if key not in rs:
            problems.append("sweep.csv's %s, which the reference lacks" % (key,))
            continue
        b, b2, nb = rs[key]
        figs.append((two_sample_z(a, a2, na, b, b2, nb), ("sweep",) + key))
    return figs, problems


SIDE = ("story", "outer", "outer_arms", "sweep")  # ref's keys that hold another table's figures


def compare_all(M, ours, story, outer, sweep, ref):
    """compare() and, when ref has the reference's story, draws or sweep points, story_compare(),
    outer_compare() and sweep_compare(): the largest |z| and where (the figure, neasim's and the
    reference's values or None, and the number of those other figures), and what one side
    lacks."""
    rs, ro, rw = ref.get(("story",)), ref.get(("outer",)), ref.get(("sweep",))
    ra = ref.get(("outer_arms",))
    plain = {k: v for k, v in ref.items() if k[0] not in SIDE}
    z, where, missing = compare(ours, plain) if plain else (0.0, None, [])
    where = where + (0,) if where else (None, None, None, 0)
    if rs or ro or rw:
        figs, problems = story_compare(M, story, rs) if rs else ([], [])
        figs += outer_compare(M, outer[0], ro) if ro else []
        figs += outer_arms_compare(M, outer[1], ro, ra) if ra else []
        if rw:
            f2, p2 = sweep_compare(sweep, rw)
            figs, problems = figs + f2, problems + p2
        missing = missing + problems
        zs, at = max(figs, key=lambda x: abs(x[0]), default=(0.0, None))
        if abs(zs) > abs(z):
            z, where = zs, (at, None, None, len(figs))
        else:
            where = where[:3] + (len(figs),)
    return z, where, missing


def hunt(mut, models, ref_runs):
    """The first model (of those that use the rule) where the reference with mut differs from
    neasim: (index, z, figure) or None, and how many models were tried."""
    tried = 0
    for i, (M, ours, story, outer, sweep, design) in enumerate(models):
        if not MUTATIONS[mut](M):
            continue
        tried += 1
        arms = [a for a, rows in M["levers"].items() if any(r[4] for r in rows)] \
            if mut == "lever_from_start" else ["baseline"]
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
    models = []
    drawn = [make_model(random.Random(1000 + first + i), os.path.join(work, "model%02d" % i))
             for i in range(n_models)]
    tasks = [(i, arm) for i, M in enumerate(drawn) for arm in ["baseline"] + sorted(M["levers"])]
    outer = [i for i, M in enumerate(drawn) if has_laws(M)]
    designs = [sweep_design(random.Random(5000 + first + i), M) for i, M in enumerate(drawn)]
    points = [(i, k, pt) for i, d in enumerate(designs) for k, pt in enumerate(d[1])]
    with multiprocessing.Pool(2) as pool:  # the reference is the slow side: an arm a core
        parts = pool.starmap(reference, [(drawn[i], ref_runs, 2000 + 10 * i + k, None, arm, arm == "baseline")
                                         for k, (i, arm) in enumerate(tasks)])
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
            elif where[0] is not None:
                print("    at %s (%s: routes.csv, signposts.csv in %s-story)" % (where[0], folder, folder))
        models.append((M, ours, story, outer_ns, sweep, designs[i]))
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
    print("reference_sim: %d models, %d failures (threshold |z| <= %g)" % (n_models, failures, THRESHOLD))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
