"""tests/reference/compare.py: neasim's figures (neasim.py) against the reference's (simulate.py):
the z of each figure under the hypothesis that both sides sample one law, and the largest.
"""
import math
import statistics

from .model import DAYS_PER_YEAR
from .neasim import OUTER_DRAWS, OUTER_RUNS
from .simulate import indicator_text, indicators_of, own_indicators


NORMAL = statistics.NormalDist()
THRESHOLD = 4.5  # |z| above it is a failure


def mean_var(xs):
    """The mean and the sample variance of xs."""
    m = sum(xs) / len(xs)
    return m, sum((x - m) ** 2 for x in xs) / (len(xs) - 1)


def per_draw_column(M, draws, name, day):
    """Outcome name's probability by report day in each of the reference's draws
    ([draw][outcome][report])."""
    i, r = next(k for k, o in enumerate(M["outcomes"]) if o["name"] == name), M["cal"].reports.index(day)
    return [d[i][r] for d in draws]


def sd_se(xs, m, s2):
    """The standard error of a sample variance s2 of xs (mean m) from their fourth moment."""
    n = len(xs)
    m4 = sum((x - m) ** 4 for x in xs) / n
    return math.sqrt(max(m4 - s2 * s2 * (n - 3) / (n - 1), 0) / n)


def outer_mean_z(p, sd, ps):
    """z of neasim's mean probability over its OUTER_DRAWS draws (p, its between_draws_sd sd)
    against the mean of the reference's per-draw probabilities ps: the two samples' variances
    pooled, not each side's own, since the reference's fewer draws can miss the rare draws of a
    skewed law and so understate its spread (a draw's probability near 0.9 with a long lower tail:
    160 draws gave an sd of 0.052 where 4,000 give 0.060, and a z of 4.8 by its own), and at least
    the binomial noise of OUTER_RUNS runs a draw."""
    Nr, Nn = len(ps), OUTER_DRAWS
    m, s2 = mean_var(ps)
    var = max((Nr * s2 + Nn * sd * sd) / (Nr + Nn), m * (1 - m) / OUTER_RUNS)
    se = math.sqrt(var * (1 / Nr + 1 / Nn))
    return (p - m) / se if se > 0 else 0.0 if p == m else math.inf


def outer_arms_compare(M, ns, per_draw, by_arm):
    """compare --outer against the reference's arms on shared draws (outer_reference(arms=True)):
    z of each arm's mean probability over the draws (uncertainty.csv, outer_mean_z), of each
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
    for (arm, name, day), (p, sd) in sorted(ns["p"].items()):
        ps = per_draw_column(M, per_draw if arm == "baseline" else by_arm[arm], name, day)
        figs.append((outer_mean_z(p, sd, ps), ("outer arm mean", arm, name, day)))
    for (arm, name, day), (diff, mean_se, sd, mc) in sorted(ns["d"].items()):
        pa, pb = per_draw_column(M, by_arm[arm], name, day), per_draw_column(M, per_draw, name, day)
        ds = [a - b for a, b in zip(pa, pb)]
        (md, s2), ma, mb = mean_var(ds), sum(pa) / Nr, sum(pb) / Nr
        se_r = max(math.sqrt(s2 / Nr), math.sqrt((ma * (1 - ma) + mb * (1 - mb)) / (Nr * R)))
        if mean_se > 0 or se_r > 0:
            figs.append(((diff - md) / math.sqrt(mean_se ** 2 + se_r ** 2), ("outer difference", arm, name, day)))
        if 0.05 < ma < 0.95 and 0.05 < mb < 0.95 and s2 > 0:
            noise = [(a * (1 - a) + b * (1 - b)) / (R - 1) for a, b in zip(pa, pb)]
            mn, vn = mean_var(noise)
            v_ref, v_ns = s2 - mn, sd * sd - mc * mc
            se_v = math.sqrt((sd_se(ds, md, s2) ** 2 + vn / Nr) * (1 + Nr / OUTER_DRAWS))
            figs.append(((v_ns - v_ref) / se_v, ("outer judgment variance", arm, name, day)))
    return figs


def outer_compare(M, ns, per_draw):
    """uncertainty.csv against the reference's draws (outer_reference): z of each outcome's mean
    probability over the draws (outer_mean_z) and, where that probability is between 0.05 and 0.95,
    of between_draws_sd (the standard error of a sample sd from the reference's draws, its fourth
    moment included, and scaled to neasim's number of draws for its side). Returns [(z, what)]."""
    figs, Nr = [], len(per_draw)
    for (name, day), (p, _, sd) in sorted(ns.items()):
        ps = per_draw_column(M, per_draw, name, day)
        m, s2 = mean_var(ps)
        figs.append((outer_mean_z(p, sd, ps), ("outer mean", name, day)))
        if 0.05 < m < 0.95 and s2 > 0:
            se_sd = sd_se(ps, m, s2) / (2 * math.sqrt(s2))
            figs.append(((sd - math.sqrt(s2)) / (se_sd * math.sqrt(1 + Nr / OUTER_DRAWS)),
                         ("outer between_draws_sd", name, day)))
    return figs


MEDIAN_ONSETS = 30  # a route's median is compared when both sides have this many onsets on it


def grouped_share(per, reports, t):
    """The share of a route's onsets by day t, from its onsets by report period (per[k]: those in
    (reports[k - 1], reports[k]]) spread evenly within each period: the curve whose midpoint is
    routes.csv's median_years (README.md, the grouped-data median)."""
    total, cum = sum(per), 0
    for k, n in enumerate(per[:len(reports)]):
        t0 = reports[k - 1] if k > 0 else reports[0]
        if t <= reports[k]:
            return (cum + (n * (t - t0) / (reports[k] - t0) if reports[k] > t0 else n)) / total
        cum += n
    return cum / total


def story_compare(M, ns, rs):
    """routes.csv and signposts.csv against the reference's story (reference(story=True)): z of
    every outcome's onsets within the horizon, of each route neasim lists and of the rest
    (`other`), per run, and of each such row's median_years (where both sides have MEDIAN_ONSETS
    onsets on it); and of every signpost row's shares (fires; runs with and without the
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
        # median_years m: half of neasim's onsets on the route by m, on its grouped curve; the
        # reference's share by m on the same curve differs from 1/2 by both sides' noise, whose
        # variance is at most 1/4 over each side's onsets (a sample median's)
        for text, m in ns["medians"].get(name, {}).items():
            per = [sum(col) for col in zip(*(p for tx, p in rs["periods"][i].items() if tx not in listed))] \
                if text is None else rs["periods"][i].get(text)
            n_ns, n_ref = listed[text], sum(per) if per else 0
            if m is not None and m > 0 and min(n_ns, n_ref) >= MEDIAN_ONSETS:
                g = grouped_share(per, M["cal"].reports, m * DAYS_PER_YEAR)
                figs.append(((g - 0.5) / math.sqrt(0.25 / n_ns + 0.25 / n_ref),
                             ("median_years", name, text or "other")))
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


def interval_compare(iv, runs, mut=None):
    """Whether the paired intervals are as wide as they say, on neasim_intervals' seeds: in each
    family, R = the mean over its figures of s^2 / mean(se^2), s^2 the variance of a figure's
    value over the seeds and se its standard error in one seed; R is 1 when the standard errors
    are right (the seeds are independent samples of runs replications: Var(difference) =
    Var(paired difference of one replication) / runs, which std_error estimates). A figure is a
    mean of many replications, so normal over the seeds, and then Cov(s_f^2, s_g^2) = 2 rho_fg^2
    sigma_f^2 sigma_g^2 / (K - 1) for K seeds: under the hypothesis, Var(R) = 2 / (K - 1) times
    the mean over pairs of figures of rho^2, their correlation over the seeds squared (one
    seed's figures are not independent: the same outcome at the next date, the same lever in
    another arm). rho^2 is estimated by the sample correlation's r^2 less its bias 1 / (K - 1)
    when rho is 0, and z = (R - 1) / sqrt(Var(R)). (The jackknife over seeds, tried first, takes
    its standard error from the seeds' fourth moment: a sample of 30 seeds whose spread came out
    small gave a small error too, and a z of -4.0 where other seeds gave -0.5 and -0.3.) A figure
    counts when its mean se^2 makes at least MIN_DISCORDANT replications of difference (runs^2
    se^2, the number of runs in which a probability's arms differ); a family with fewer than
    three such figures is not compared. mut breaks what neasim claims, to show that the
    comparison can fail: "interval_unpaired" takes a probability's std_error as if its arms were
    run apart, "interval_narrow" takes every std_error 0.8 times as large. [(z, "intervals
    FAMILY: R x.xx (se y.yy) over N figures")]."""
    figs = []
    for family, by_key in sorted(iv.items()):
        rows = []
        for seeds in by_key.values():
            if mut == "interval_unpaired" and seeds[0][2] is None:
                continue
            se2 = [se * se for _, se, _ in seeds]
            if min(se2) == 0 or runs * runs * sum(se2) / len(se2) < MIN_DISCORDANT:
                continue
            if mut:
                se2 = [(u if mut == "interval_unpaired" else 0.8 * se) ** 2 for _, se, u in seeds]
            rows.append(([v for v, _, _ in seeds], se2))
        if len(rows) < 3:
            continue
        K, F = len(rows[0][0]), len(rows)
        R, Y = 0.0, []  # Y: each figure's deviations over the seeds, scaled to a sum of squares of 1
        for vs, se2 in rows:
            m, s2 = mean_var(vs)
            R += s2 / (sum(se2) / K) / F
            Y.append([(v - m) / math.sqrt(s2 * (K - 1)) if s2 > 0 else 0.0 for v in vs])
        # the sum over pairs of figures of r^2 is that over pairs of seeds of (sum over figures)^2
        r2 = sum(sum(y[k] * y[l] for y in Y) ** 2 for k in range(K) for l in range(K))
        r2 = max(F, r2 - (F * F - F) / (K - 1))
        se = math.sqrt(2 / (K - 1) * r2) / F
        figs.append(((R - 1) / se, "intervals %s: R %.3f (se %.3f) over %d figures" % (family, R, se, len(rows))))
    return figs


MIN_DISCORDANT = 20  # interval_compare's least number of runs of difference a figure


SIDE = ("story", "outer", "outer_arms", "sweep", "quant")  # ref's keys that hold another table's figures


def quantile_compare(ns, rs, n_ns, n_ref):
    """event_counts.csv's quantiles (for each window, event and date: the smallest count c whose
    share of runs at or below it reaches the level L) against the reference's counts in that
    window. neasim's share F(c) reaches L and F(c - 1) does not, so the reference's F(c) may fall
    below L, or its F(c - 1) reach L, only by both sides' noise: the figures are (F_ref(c) - L) / se
    where negative and (F_ref(c - 1) - L) / se where positive, se = sqrt(L (1 - L) (1 / n_ns + 1 /
    n_ref)); a count one too high or too low is caught where the count has mass. Returns
    [(z, what)]."""
    figs = []
    se = lambda L: math.sqrt(L * (1 - L) * (1 / n_ns + 1 / n_ref))
    for key, qs in sorted(ns.items(), key=str):
        hist = rs.get(key, {})
        n = sum(hist.values()) or n_ref
        for L, c in sorted(qs.items()):
            at_most = sum(k for x, k in hist.items() if x <= c) / n
            below = sum(k for x, k in hist.items() if x < c) / n
            figs.append((min(at_most - L, 0) / se(L), ("quantile", key, L, c)))
            figs.append((max(below - L, 0) / se(L), ("quantile below", key, L, c)))
    return figs


def compare_all(M, ours, story, outer, sweep, ref):
    """compare() and, when ref has the reference's story, draws or sweep points, story_compare(),
    outer_compare() and sweep_compare(): the largest |z| and where (the figure, neasim's and the
    reference's values or None, and the number of those other figures), and what one side
    lacks."""
    rs, ro, rw = ref.get(("story",)), ref.get(("outer",)), ref.get(("sweep",))
    ra = ref.get(("outer_arms",))
    rq = [k for k in ref if k[0] == "quant"]
    plain = {k: v for k, v in ref.items() if k[0] not in SIDE}
    z, where, missing = compare(ours, plain) if plain else (0.0, None, [])
    where = where + (0,) if where else (None, None, None, 0)
    if rs or ro or rw or rq:
        figs, problems = story_compare(M, story, rs) if rs else ([], [])
        n_ns = next(v for k, v in ours.items() if k[0] != "quant")[2]
        n_ref = next(iter(plain.values()))[2] if plain else 0
        for k in rq:
            figs += quantile_compare(ours.get(k, {}), ref[k], n_ns, n_ref)
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
