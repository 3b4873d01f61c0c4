"""tests/reference/simulate.py: the reference itself: a replication of a random model (model.py) by
Gillespie's direct method with the semantics of scenarios/README.md, and the figures over many
replications of an arm, of draws of the uncertain numbers (`--outer`) and of a sweep's points,
keyed as neasim.py reads neasim's tables. Written from the documentation, not from the engine.
"""
import bisect
import heapq
import math
import random

from .model import LEVEL_NAMES, add_months, drawn, has_laws, sample_duration, share, with_levers


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
    rows = M["levers"].get(arm) or M["combos"].get(arm, [])  # a lever's arm, or a combined one
    if mut == "arm_order_ignored" and arm in M["combos"]:
        rows = M["combos"]["lever0+later"]  # lever0's rows first, whatever the arm's order
    if point:
        M, rows = with_levers(M, point[1]), M["levers"].get(point[2]) or M["combos"].get(point[2], [])
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
    # the counts of event_counts.csv's `cumulative` and `period` windows (previous report,
    # report], runs by count: their means, shares with one and quantiles
    qh = [[({}, {}) for _ in M["events"]] for _ in range(nr)]
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
    periods = [{} for _ in M["outcomes"]]  # each route's onsets by report period (its median)
    late = 1 if mut == "median_next_period" else 0
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
                    # the period of the first report date at or after the onset
                    per = periods[i].setdefault(R.onset_route[i], [0] * (nr + 1))
                    per[bisect.bisect_left(M["cal"].reports, R.onset[i]) + late] += 1
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
                if r > 0:
                    d = c - rep[r - 1][2][j]
                    for h, x in zip(qh[r][j], (c, d)):
                        h[x] = h.get(x, 0) + 1
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
            # broken rule period_as_cumulative: the period's share with one read off the cumulative count
            cum, per = qh[r][j]
            out[("period_count", ev["name"], day)] = hist_mean(per)
            out[("period_at_least_one", ev["name"], day)] = hist_share(cum if mut == "period_as_cumulative" else per)
    for i, o in enumerate(M["outcomes"]):
        if o["onset"]:
            out[("holds_at_start", o["name"], 0)] = share(start[i], runs)
        out[("first_never", o["name"], None)] = share(first[i][nr], runs)
    for (a, b), hists in dists.items():
        kind = "horizon" if a is None else "year"
        for j, ev in enumerate(M["events"]):
            for c, k in hists[j].items():
                out[("dist_" + kind, ev["name"], M["cal"].reports[b], c)] = share(k, runs)
            if kind == "year":  # event_counts.csv's `year` windows: the same counts
                out[("year_count", ev["name"], M["cal"].reports[b])] = hist_mean(hists[j])
                out[("year_at_least_one", ev["name"], M["cal"].reports[b])] = hist_share(hists[j])
    out = {(point[0] if point else arm,) + k: v for k, v in out.items()}
    if not point:
        if mut == "quantile_one_high":  # as if neasim's quantiles were one count too high
            qh = [[tuple({x - 1: k for x, k in h.items()} for h in hs) for hs in row] for row in qh]
            dists = {w: [{x - 1: k for x, k in h.items()} for h in hists] for w, hists in dists.items()}
        out[("quant", arm)] = {(kind, ev["name"], day): qh[r][j][w] for r, day in enumerate(M["cal"].reports) if r
                               for j, ev in enumerate(M["events"]) for w, kind in enumerate(("cumulative", "period"))}
        out[("quant", arm)].update({("year", ev["name"], M["cal"].reports[b]): hists[j] for (a, b), hists in dists.items()
                                    if a is not None for j, ev in enumerate(M["events"])})
    if story:
        out[("story",)] = {"runs": runs, "routes": routes, "periods": periods, "watch": watch, "fired": fired, "clear": clear,
                           "signs": signs}
    return out


def hist_mean(hist):
    """A count's figure (mean, mean of the square, runs) from its runs by count."""
    n = sum(hist.values())
    return sum(c * k for c, k in hist.items()) / n, sum(c * c * k for c, k in hist.items()) / n, n


def hist_share(hist):
    """The share of runs with at least one, from the runs by count."""
    return share(sum(k for c, k in hist.items() if c > 0), sum(hist.values()))


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
