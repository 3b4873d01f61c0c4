"""tests/reference/model.py: the random models of the independent check (tests/reference_sim.py),
written to scenario folders, and what changes their numbers: uncertain numbers drawn, lever rows
applied (as scenarios/README.md says), a sweep's design over them. Python's standard library only.
"""
import datetime
import math
import os
import random


DAYS_PER_YEAR = 365.25
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
    # levers combined (levers.csv: `a+b` applies the rows of a, then those of b): in half the
    # models with levers, a lever `later` of one row on a number that lever0 changes, from a date
    # or not, run only in the arms lever0+later and later+lever0 (M["combos"]: their rows in
    # order), which differ where either row is a `set`. Appended, from rr.
    M["combos"] = {}
    if "lever0" in M["levers"] and rr.random() < 0.5:
        what, idx = rr.choice(M["levers"]["lever0"])[:2]
        path, op, value = rr.choice([c[2:] for c in lever_choices(rr, M) if c[:2] == (what, idx)])
        from_day = rr.randint(1, cal.end - 1) if what != "init" and rr.random() < 0.5 else None
        row = (what, idx, op, value, from_day)
        M["combos"] = {"lever0+later": M["levers"]["lever0"] + [row], "later+lever0": [row] + M["levers"]["lever0"]}
        with open(os.path.join(folder, "levers.csv"), "a") as fh:
            fh.write(lever_row("later", path, op, value, M, from_day) + "\n")
    write(folder, "scenario.csv", "key,value,source",
          ["name,random_model,test", "title,A random model (tests/reference_sim.py),test",
           "start_date,%s,test" % cal.start.isoformat(), "horizon_years,%g,test" % (cal.months / 12),
           "report_interval_months,%d,test" % cal.interval])
    return M


def lever_choices(rng, M):
    """Every lever row the model can take, with a random value: (what, index, path, operation,
    value): a hazard multiplied or set in its row's unit, a modifier's multiplier, an event's rate,
    an effect's probability or delay, a factor's initial probability (the others rescaled), a
    fixed duration."""
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
    return choices


def lever_row(name, path, op, value, M, from_day):
    """A row of levers.csv."""
    date = M["cal"].date_of(from_day).isoformat() if from_day else ""
    return "%s,%s,%s,%g,%s,test,test" % (name, path, op, value, date)


def make_levers(rng, M, folder):
    """One or two random levers (levers.csv), each of one or two rows of lever_choices, some from
    a date. Returns {lever: [(what, index, operation, value, from_day)]}."""
    choices = lever_choices(rng, M)
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
            rows.append(lever_row(name, path, op, value, M, from_day))
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


def share(k, n):
    """A figure as (mean, mean of the square, runs): for a share of runs both are k / n."""
    return k / n, k / n, n


def sweep_design(rr, M):
    """A random sweep design of 3 points over one or two numbers, each set to a value of its own
    at each point (a transition's in its row's unit, a modifier's multiplier, an event's rate, an
    effect's probability or delay, a starting chance, a deadline), and a lever set at one point
    when the model has levers (`later+lever0` where the model combines levers, else lever0):
    (header, [(name, rows for with_levers, lever set or None, cells)])."""
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
        # the third point's lever set: the combined `later+lever0` where the model has it
        lever = ("later+lever0" if M["combos"] else levers[0]) if levers and i == 2 else None
        cells = ["%g" % v for v in values] + ([lever or "none"] if levers else [])
        points.append(("point%d" % (i + 1), [(c[0], c[1], "set", v, None) for c, v in zip(chosen, values)],
                       lever, cells))
    return header, points
