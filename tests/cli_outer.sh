# tests/cli_outer.sh: judgment uncertainty on the command line: compare --outer (its table, the
# judgment columns of briefing.csv, the printed ranges, the same bytes for 1 and 2 threads), the
# judgment range in run --outer's summary and the interval of the mean over judgments, at the
# horizons and at every date (outcomes.csv, state_probabilities.csv, event_counts.csv,
# differences.csv): its coverage of closed forms. The numbers are checked against closed forms in
# tests/test_compare_outer.c; here, what reaches the analyst.
source "$(dirname "$0")/cli-lib.sh"

# whether a CSV (CRLF line ends) has the row $1 exactly, in file $2
has_row() { tr -d '\r' < "$2" | grep -qx "$1"; }

model=tests/models/judgment
cmp_args=(compare "$model" --levers all --outer 8 --runs 400 --seed 7 --horizons 1,2)

for t in 1 2; do
    "$NEASIM" "${cmp_args[@]}" --threads "$t" --out "$work/cmp$t" >"$work/cmp$t.txt" 2>&1
done
same=1
for f in "$work/cmp1"/*.csv; do
    [ "$(basename "$f")" = manifest.csv ] && continue
    cmp -s "$f" "$work/cmp2/$(basename "$f")" || { same=0; echo "    differs: $f"; }
done
check_that "compare --outer: 1 and 2 threads give the same bytes" test "$same" = 1
check_that "compare --outer writes uncertainty_differences.csv" \
    test -s "$work/cmp1/uncertainty_differences.csv"
# the CSVs end their lines with CRLF (RFC 4180): compare their text without the CRs
for f in uncertainty_differences briefing; do
    tr -d '\r' <"$work/cmp1/$f.csv" >"$work/$f.csv"
done
check_that "uncertainty_differences.csv: header" grep -qx \
    'arm,outcome,measure,horizon_years,date,draws,runs_per_draw,baseline_probability,arm_probability,difference,ci_low,ci_high,mean_se,judgment_q05,judgment_q50,judgment_q95,between_draws_sd,monte_carlo_sd,judgment_mostly_noise,share_draws_below_zero,share_draws_above_zero,share_draws_best,share_draws_best_within_noise' \
    "$work/uncertainty_differences.csv"
check_that "uncertainty_differences.csv: one row per arm, outcome and horizon" \
    test "$(tail -n +2 "$work/cmp1/uncertainty_differences.csv" | wc -l)" = 6
check_that "briefing.csv: the judgment columns come after the existing ones" grep -qx \
    'arm,outcome,measure,horizon_years,date,baseline_probability,arm_probability,difference_pp,ci_low_pp,ci_high_pp,distinguishable,judgment_q05_pp,judgment_q50_pp,judgment_q95_pp,judgment_mostly_noise,share_draws_below_zero,share_draws_above_zero,share_draws_best,share_draws_best_within_noise,minus_best_pp,minus_best_ci_low_pp,minus_best_ci_high_pp,minus_best_distinguishable,minus_best_interval,outcome_label,arm_label,desirable,verdict,rank' \
    "$work/briefing.csv"
check_that "a null lever: a judgment range of exactly zero" \
    grep -q '^null,moved,occurred_by,1,[0-9-]*,8,400,[0-9.]*,[0-9.]*,0,0,0,0,0,0,0,0,0,no,0,0,0,0$' \
    "$work/uncertainty_differences.csv"
# briefing.csv's judgment quantiles (pp, 4 significant digits) are uncertainty_differences.csv's
# (probabilities) x 100
check_that "briefing and uncertainty_differences agree" awk -F, '
    function off(a, b) { d = a - b; return d * d > (1e-3 * b) * (1e-3 * b) + 1e-12 }
    FNR == 1 { next }
    FILENAME ~ /briefing/ { b[$1 "," $4] = $12 "," $14 "," $15; next }
    { k = $1 "," $4; split(b[k], q, ",")
      if (!(k in b) || off(q[1], 100 * $14) || off(q[2], 100 * $16) || q[3] != $19) bad = 1 }
    END { exit bad }' "$work/briefing.csv" "$work/uncertainty_differences.csv"
check_that "compare --outer prints the judgment ranges" \
    grep -q 'judgment 5-95%: the range of the change over the 8 draws' "$work/cmp1.txt"
check_that "compare --outer prints a range in every cell" \
    grep -Eq '^  [0-9]+\. .* +[-+ ]?[0-9.]+ \([-+][0-9.]+, [-+][0-9.]+\)( ~)? \[[-+][0-9.]+, [-+][0-9.]+\]' \
    "$work/cmp1.txt"
check_that "the manifest counts the draws" grep -q '^outer_draws,8' "$work/cmp1/manifest.csv"
# Below 30 draws compare's paired intervals run narrow too (54 of 60 seeds at 10 draws: below),
# and its printed briefing says so, as run's summary does; from 30 on it does not.
check_that "compare --outer 8: the briefing says its paired intervals run narrow" \
    grep -q "^With only 8 draws the paired intervals run narrow: in tests about 9 in 10 of\$" \
    "$work/cmp1.txt"
"$NEASIM" compare "$model" --levers double --outer 30 --runs 20 --seed 7 --out "$work/cmp30" \
    > "$work/cmp30.txt" 2>&1
check_that "compare --outer 30: the briefing gives its intervals without that note, and 84%" \
    eval '! grep -q "run narrow:" "$work/cmp30.txt" &&
          grep -q "^84% of the changes a draw can give" "$work/cmp30.txt"'
check_that "compare --outer 8: its judgment ranges hold about 70% of the changes, it says" \
    eval 'grep -q "^From only 8 draws a 5-95% judgment range runs narrow" "$work/cmp1.txt" &&
          grep -q "^70% of the changes a draw can give, not 90%" "$work/cmp1.txt" &&
          has_row "judgment_range_coverage,0.7000" "$work/cmp1/manifest.csv"'

# In how many draws each lever is the best (share_draws_best), against its closed form. On the
# judgment model `moved` has no direction, so the best is the largest change; by t years double
# moves it by e^-lt - e^-2lt, fix (the hazard set to 1.5) by |e^-lt - e^-1.5t|, and double is
# the larger exactly when l < l*(t) = -ln(1 - sqrt(1 - e^-1.5t)) / t (fix lowers it only above
# 1.5, and then less than double raises it below l*): with l ~ uniform(1, 3), double is the best
# in (l* - 1) / 2 of the draws, 0.5660 by 1 year, 0.4201 by 2; null never. 1,000 draws: within 4
# binomial sd, plus 0.02 for the draws near l*, whose Monte Carlo noise may swap the two. By 2
# years double is the largest change on average (+3.0 against fix's -1.8 pp) but not in most
# draws, and the line printed under it says in how many.
"$NEASIM" compare "$model" --levers all --outer 1000 --runs 400 --seed 11 --horizons 1,2 \
    --out "$work/best" >"$work/best.txt" 2>&1
check_that "share_draws_best: double's against its closed form, null never, the shares sum to 1" \
    python3 - "$work/best/uncertainty_differences.csv" "$work/best/briefing.csv" <<'EOF'
import csv, math, sys
u = list(csv.DictReader(open(sys.argv[1], newline="")))
b = {(r["arm"], r["horizon_years"]): r for r in csv.DictReader(open(sys.argv[2], newline=""))}
ok = True
for t in (1, 2):
    rows = {r["arm"]: float(r["share_draws_best"]) for r in u if r["horizon_years"] == str(t)}
    star = -math.log(1 - math.sqrt(1 - math.exp(-1.5 * t))) / t
    p = (star - 1) / 2
    tol = 4 * math.sqrt(p * (1 - p) / 1000) + 0.02
    print("by %d: double %.4f (closed form %.4f), fix %.4f, null %.4f" % (t, rows["double"], p, rows["fix"], rows["null"]))
    ok &= abs(rows["double"] - p) < tol and rows["null"] == 0 and abs(sum(rows.values()) - 1) < 1e-3
    ok &= all(float(b[(a, str(t))]["share_draws_best"]) == v for a, v in rows.items())
sys.exit(0 if ok else 1)
EOF
# How much of share_draws_best is Monte Carlo noise (share_draws_best_within_noise): the draws in
# which the best lever leads another by less than 1.96 standard errors of that lead within the
# draw, against an independent simulation of the same experiment in NumPy. The judgment model's
# one process fires at E / rate for a unit exponential E that every arm shares (a stream per
# process), so a replication's three arms are E < l t, E < 2 l t and E < 1.5 t; the simulation
# draws l ~ uniform(1, 3) and R = 400 such E a draw, takes each lead's standard error as its
# sample sd within the draw / sqrt(R) (the engine gets it from the draw's counts), and repeats
# the 4,000-draw experiment 50 times: the engine's value must be within 4 sd of those
# experiments' mean. The share within noise is at most share_draws_best, null's is 0 (it is
# never the best), and the printed line under the largest change says it.
py=
for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null && "$p" -c 'import numpy' 2>/dev/null; then py=$p; break; fi
done
# (cases: runs a draw and levers)
within_cases=("400 null,double,fix" "20 null,double,fix" "20 double,fix")
for c in "${within_cases[@]}"; do
    set -- $c
    "$NEASIM" compare "$model" --levers "$2" --outer 4000 --runs "$1" --seed 11 --horizons 1,2 \
        --out "$work/within$1-$2" >"$work/within$1-$2.txt" 2>&1
done
if [ -z "$py" ]; then
    skip_part "share_draws_best_within_noise against a NumPy simulation" \
        "no python3 with numpy (make deps installs python3-numpy)"
else
    # at 20 runs a draw, double and fix tie at the top in about one draw in ten, and a tie counts
    # as within the noise (which only double and fix alone show: beside them, null is often
    # within the noise of a tie's lead itself)
    for c in "${within_cases[@]}"; do
    set -- $c
    check_that "share_draws_best_within_noise, $1 runs a draw, $2: against a simulation" \
        "$py" - "$work/within$1-$2/uncertainty_differences.csv" "$1" "$2" <<'EOF'
import csv, sys
import numpy as np
rows = {(r["arm"], r["horizon_years"]): r for r in csv.DictReader(open(sys.argv[1], newline=""))}
rng = np.random.default_rng(20261207)
J, R, K, z = 4000, int(sys.argv[2]), 50, 1.959963984540054
names = sys.argv[3].split(",")
n = len(names)
ok = True
for hy, days in (("1", 365), ("2", 730)):
    t = days / 365.25
    stats = []
    for k in range(K):
        lam = rng.uniform(1, 3, J)[:, None]
        E = rng.exponential(1.0, (J, R))
        i0 = E < lam * t
        arm = {"null": np.zeros((J, R)), "double": (E < 2 * lam * t) - i0.astype(float),
               "fix": (E < 1.5 * t) - i0.astype(float)}
        x = [arm[a] for a in names]
        d = np.stack([v.mean(axis=1) for v in x], axis=1)          # draws x arms
        se = {}
        for a in range(n):
            for b in range(n):
                if a != b:
                    for same in (0, 1):   # help_a - help_b, changes of the same or opposite signs
                        y = x[a] - x[b] if same else x[a] + x[b]
                        se[a, b, same] = np.sqrt(y.var(axis=1, ddof=1) / R)
        help = np.abs(d)                   # `moved` has no direction: the largest change
        top = help.max(axis=1)
        at_top = help == top[:, None]
        tied = at_top.sum(axis=1)
        within = []
        for a in range(n):
            close = np.zeros(J, bool)
            for b in range(n):
                if b != a:
                    same = (d[:, a] >= 0) == (d[:, b] >= 0)
                    close |= top - help[:, b] < z * np.where(same, se[a, b, 1], se[a, b, 0])
            within.append((at_top[:, a] * close / tied).sum() / J)
        stats.append(within)
    stats = np.array(stats)
    for a, arm in enumerate(names):
        r = rows[(arm, hy)]
        got, best = float(r["share_draws_best_within_noise"]), float(r["share_draws_best"])
        mean, sd = stats[:, a].mean(), stats[:, a].std(ddof=1)
        zz = (got - mean) / sd if sd > 0 else 0.0
        print("    %s by %s: %.4f within noise (simulation %.4f, sd %.4f, z %.2f) of %.4f best" % (
            arm, hy, got, mean, sd, zz, best))
        ok &= abs(zz) < 4 and got <= best + 1e-9 and (arm != "null" or got == 0) \
            and (sd > 0 or got == mean)
sys.exit(0 if ok else 1)
EOF
    done
fi
check_that "share_draws_best_within_noise: briefing.csv's is uncertainty_differences.csv's" \
    python3 - "$work/within400-null,double,fix/uncertainty_differences.csv" \
    "$work/within400-null,double,fix/briefing.csv" <<'EOF'
import csv, sys
u = {(r["arm"], r["horizon_years"]): r for r in csv.DictReader(open(sys.argv[1], newline=""))}
b = list(csv.DictReader(open(sys.argv[2], newline="")))
sys.exit(0 if len(b) == len(u) and all(
    r["share_draws_best_within_noise"] == u[(r["arm"], r["horizon_years"])]["share_draws_best_within_noise"]
    for r in b) else 1)
EOF
# the printed line under the largest change by 2 years: its draws, and how many by less than noise
check_that "the printed briefing says in how many draws the best is so by less than the noise" \
    python3 - "$work/within400-null,double,fix/uncertainty_differences.csv" \
    "$work/within400-null,double,fix.txt" <<'EOF'
import csv, re, sys
r = {(x["arm"], x["horizon_years"]): x for x in csv.DictReader(open(sys.argv[1], newline=""))}
text = open(sys.argv[2]).read()
m = re.search(r"largest change in ([0-9.]+) of the 4000 draws[^\n]*\n +in ([0-9.]+|all) of them by "
              r"less than the Monte Carlo noise of a draw\n", text)
if not m:
    sys.exit(1)
best = max(("double", "fix"), key=lambda a: float(r[(a, "2")]["share_draws_best"]))
lead = [a for a in ("double", "fix") if ("  largest change: %s " % a) in text]
row = r[(lead[0], "2")] if lead else None
# the CSV's shares have 4 significant digits (+- 0.00005 x 4000 draws), the text one decimal
ok = row is not None and abs(float(m.group(1)) - 4000 * float(row["share_draws_best"])) < 0.251
ok &= abs(float(m.group(2)) - 4000 * float(row["share_draws_best_within_noise"])) < 0.251
print("    %s: %s of 4000 draws, %s of them within noise" % (lead, m.group(1), m.group(2)))
sys.exit(0 if ok else 1)
EOF
# A judgment range is "mostly noise" (judgment_mostly_noise, the printed '?', the brief's words)
# when 2 x monte_carlo_sd^2 >= between_draws_sd^2: the rule rests on the law of total variance,
# Var(d_j) = Var(theta(lambda)) + E[noise^2], so that between_draws_sd^2 - monte_carlo_sd^2
# estimates the variance that judgment alone gives, here Var(theta) for the effect theta(lambda)
# of the comment above, lambda ~ uniform(1, 3), computed by Simpson's rule. Within 4 standard
# errors of a variance over the 1,000 draws (sd^2 x sqrt(2 / 999), taken as normal); at seed 11
# the four z are 0.69, -0.52, -0.06, -0.76, and judgment's variance is 4 to 36 times the noise's.
check_that "between_draws_sd^2 - monte_carlo_sd^2 is the closed form's variance over judgments" \
    python3 - "$work/best/uncertainty_differences.csv" <<'EOF'
import csv, math, sys
def theta(arm, l, t):
    return math.exp(-l * t) - (math.exp(-2 * l * t) if arm == "double" else math.exp(-1.5 * t))
def var(arm, t, n=2000):
    h, m1, m2 = 2.0 / n, 0.0, 0.0
    for i in range(n + 1):
        w = (1 if i in (0, n) else 4 if i % 2 else 2) * h / 3 / 2   # the density of l is 1/2
        v = theta(arm, 1 + i * h, t)
        m1, m2 = m1 + w * v, m2 + w * v * v
    return m2 - m1 * m1
ok = True
for r in csv.DictReader(open(sys.argv[1], newline="")):
    if r["arm"] == "null":
        continue
    t = {"1": 365 / 365.25, "2": 730 / 365.25}[r["horizon_years"]]
    sd, mc, n = float(r["between_draws_sd"]), float(r["monte_carlo_sd"]), int(r["draws"])
    est, want, se = sd * sd - mc * mc, var(r["arm"], t), sd * sd * math.sqrt(2 / (n - 1))
    print("    %s by %s: %.6f, closed form %.6f (z %.2f); noise %.6f, %s" % (
        r["arm"], r["horizon_years"], est, want, (est - want) / se, mc * mc, r["judgment_mostly_noise"]))
    ok &= abs(est - want) < 4 * se and r["judgment_mostly_noise"] == "no"
sys.exit(0 if ok else 1)
EOF
# With 5 runs a draw the noise's variance is 2.7 to 8.5 times judgment's (the figures above x
# 400 / 5): every range of double and fix is mostly noise; with 20,000 it is 0.2 to 0.7% of it,
# none is. null's ranges are 0 to 0: not noise, nothing.
for r in 5 20000; do
    "$NEASIM" compare "$model" --levers all --outer 60 --runs "$r" --seed 5 --horizons 1,2 \
        --out "$work/noise$r" >"$work/noise$r.txt" 2>&1
done
check_that "5 runs a draw: every range of double and fix mostly noise, null's not" test \
    "$(awk -F, 'FNR > 1 { print $1 ":" $19 }' "$work/noise5/uncertainty_differences.csv" | sort -u | tr '\n' ' ')" \
    = "double:yes fix:yes null:no "
check_that "20,000 runs a draw: none" test \
    "$(awk -F, 'FNR > 1 { print $19 }' "$work/noise20000/uncertainty_differences.csv" | sort -u)" = no
check_that "20,000 runs a draw: no '?' printed, nor its legend" bash -c \
    "! grep -q ']?' '$work/noise20000.txt' && ! grep -q 'mostly the Monte Carlo noise' '$work/noise20000.txt'"
# The printed briefing marks '?' exactly the cells whose row of briefing.csv says yes, and explains
# the mark under the table when it shows one: 20 runs a draw (seed 5) marks some cells, not all.
"$NEASIM" compare "$model" --levers all --outer 40 --runs 20 --seed 5 --horizons 1,2 \
    --out "$work/noise20" >"$work/noise20.txt" 2>&1
check_that "printed '?' marks are briefing.csv's judgment_mostly_noise, some yes and some no" \
    python3 - "$work/noise20.txt" "$work/noise20/briefing.csv" "$work/noise5.txt" \
    "$work/noise5/briefing.csv" <<'EOF'
import csv, re, sys
ok = True
for text, table in ((sys.argv[1], sys.argv[2]), (sys.argv[3], sys.argv[4])):
    b = list(csv.DictReader(open(table, newline="")))
    hz = sorted({r["horizon_years"] for r in b}, key=float)
    said = {(r["arm_label"], r["horizon_years"]): r["judgment_mostly_noise"] == "yes" for r in b}
    seen = {}
    for line in open(text):
        m = re.match(r"^  [0-9]+\. (\S+) ", line)
        if not m:
            continue
        cells = re.findall(r"\) ?~? \[[^]]*\](\??)", line)
        for h, mark in zip(hz, cells):
            seen[(m.group(1), h)] = mark == "?"
    legend = "[...]?: a judgment range that is mostly the Monte Carlo noise" in open(text).read()
    print("    %s: %d cells, %d marked; legend %s" % (text, len(seen), sum(seen.values()), legend))
    ok &= len(seen) >= 4 and all(said[k] == v for k, v in seen.items())
    ok &= legend == any(seen.values())
    if text == sys.argv[1]:
        ok &= 0 < sum(seen.values()) < len(seen)
sys.exit(0 if ok else 1)
EOF

top=$(awk -F, '$1 == "double" && $4 == 2 { print $(NF - 1) * 1000 }' "$work/best/uncertainty_differences.csv")
check_that "printed: double the largest change by 2 years, in $top of the 1000 draws" \
    grep -Eq "^  largest change: double \(\+[0-9.]+ pp by 2027-01-01\)$" "$work/best.txt"
check_that "printed: under it, in how many of the 1000 draws it is the largest ($top)" \
    grep -Eq "^    the largest change in $top of the 1000 draws of the uncertain numbers( \(ties shared\))?$" \
    "$work/best.txt"
# with one lever it is the largest change in every draw, which says nothing: no such line
"$NEASIM" compare "$model" --levers double --outer 8 --runs 100 --seed 7 --out "$work/one" \
    >"$work/one.txt" 2>&1
check_that "printed, one lever: the largest change, and no count of draws under it" \
    bash -c 'grep -q "^  largest change: double" "$1" && ! grep -q "draws of the uncertain numbers$" "$1"' \
    _ "$work/one.txt"

"$NEASIM" compare "$model" --levers all --runs 200 --seed 7 --out "$work/plain" --quiet
check_that "a plain compare: briefing.csv has its 11 columns, the 5 beside the best and the 5 label columns" \
    test "$(head -1 "$work/plain/briefing.csv" | tr ',' '\n' | wc -l)" = 21
check_that "a plain compare: no uncertainty_differences.csv" \
    test ! -e "$work/plain/uncertainty_differences.csv"

expect "compare --outer with --nominal is refused" 64 "cannot be combined with --nominal" -- \
    compare "$model" --levers all --outer 4 --nominal --out "$work/x"
expect "compare --outer needs at least 2 draws" 64 "outer" -- \
    compare "$model" --levers all --outer 1 --out "$work/x"
expect "run --outer: the summary shows the judgment range" 0 \
    'moved +[0-9.]+% \(MC [0-9.]+-[0-9.]+; judgment 5-95%: [0-9]+\.[0-9]-[0-9]+\.[0-9]\)' -- \
    run "$model" --outer 6 --runs 300 --out "$work/run"
# run --outer: a probability's judgment range is mostly noise by the same rule (uncertainty.csv's
# judgment_mostly_noise; the summary marks it '?' and explains the mark). With 5 runs a draw the
# binomial noise of p_j, p(1 - p) / 5, is about 3 times the variance of 1 - exp(-lambda t) over
# lambda ~ uniform(1, 3) at both horizons; with 20,000 it is about 1/1000 of it.
for r in 5 20000; do
    "$NEASIM" run "$model" --outer 60 --runs "$r" --seed 5 --horizons 1,2 --out "$work/pnoise$r" \
        >"$work/pnoise$r.txt" 2>&1
done
check_that "run --outer: uncertainty.csv's judgment_mostly_noise, yes at 5 runs a draw, no at 20,000" \
    test "$(tail -n +2 "$work/pnoise5/uncertainty.csv" | cut -d, -f15 | tr -d '\r' | sort -u):$(
        tail -n +2 "$work/pnoise20000/uncertainty.csv" | cut -d, -f15 | tr -d '\r' | sort -u)" = yes:no
check_that "run --outer: the summary marks both ranges '?' at 5 runs a draw and explains it" bash -c \
    "test \"\$(grep -c 'judgment 5-95%: [0-9.]*-[0-9.]*)?' '$work/pnoise5.txt')\" = 1 &&
     test \"\$(grep '^moved ' '$work/pnoise5.txt' | grep -o ')?' | wc -l)\" = 2 &&
     grep -q '^?: a judgment range that is mostly the Monte Carlo noise' '$work/pnoise5.txt'"
check_that "run --outer: no mark, no legend at 20,000 runs a draw" bash -c \
    "! grep -q ')?' '$work/pnoise20000.txt' && ! grep -q 'mostly the Monte Carlo noise' '$work/pnoise20000.txt'"
# The Monte Carlo interval of the mean over judgments counts the draws as the sample they are
# (uncertainty.csv's mean_ci_low, mean_ci_high at the horizons; the summary's "MC"; outcomes.csv's
# and state_probabilities.csv's ci_low, ci_high at every date). Its coverage of the closed form
# E[1 - exp(-lambda t)] = 1 - (exp(-t) - exp(-3t)) / (2t) for lambda ~ uniform(1, 3), over 60 seeds
# of --outer 10 --runs 200: at the horizon, t = 365 days, 53 of 60 (273 of 300 over 300 seeds,
# 91%), where the pooled Wilson interval, which treats the 2,000 replications as independent,
# covers 24 of 60 (113 of 300); at a date between the horizons, 2025-07-01 (181 days), where no
# per-draw values are kept, outcomes.csv's covers it in 55 of 60 and the pooled one in 27.
# seeds DIR ARGS...: neasim ARGS --outer 10 --runs 200 --horizons 1 for seeds 1 to 60, into DIR/SEED
seeds() {
    local dir=$1 s
    shift
    for s in $(seq 1 60); do
        "$NEASIM" "$@" --outer 10 --runs 200 --horizons 1 --seed "$s" --quiet --out "$dir/$s" \
            > /dev/null 2>&1 || echo "    $1 --outer --seed $s failed"
    done
}
seeds "$work/cov" run "$model"
# coverage WHAT COVERED POOLED READ WANT AT_LEAST AT_MOST: READ of WANT intervals were read; the
# interval of the mean covers the closed form COVERED >= AT_LEAST times, the pooled one POOLED <=
# AT_MOST times
coverage() {
    check_that "$1: $5 intervals ($4 read)" test "$4" = "$5"
    check_that "$1: the interval of the mean covers the closed form in $2 of $5 (at least $6)" \
        test "$2" -ge "$6"
    check_that "$1: the pooled one would cover it in $3 of $5 (at most $7)" test "$3" -le "$7"
}
# awk: closed(days) is the closed form; wilson(p, n) sets lo, hi to the pooled interval
closed='function closed(days) { t = days / 365.25; return 1 - (exp(-t) - exp(-3 * t)) / (2 * t) }
    function wilson(p, n) { z = 1.959964; d = 1 + z * z / n; c = (p + z * z / (2 * n)) / d
        h = z / d * sqrt(p * (1 - p) / n + z * z / (4 * n * n)); lo = c - h; hi = c + h }'
read -r covered pooled n < <(awk -F, "$closed"'
    BEGIN { e = closed(365) }
    FNR == 1 { next }
    FILENAME ~ /uncertainty/ && $1 == "moved" { n++; a += $6 <= e && e <= $7; wilson($4, 2000); b += lo <= e && e <= hi }
    END { print a + 0, b + 0, n + 0 }' "$work"/cov/*/uncertainty.csv)
coverage "run --outer, uncertainty.csv" "$covered" "$pooled" "$n" 60 50 35
read -r covered pooled n < <(awk -F, "$closed"'
    BEGIN { e = closed(181) }
    FNR > 1 && $1 == "2025-07-01" && $3 == "moved" && $4 == "occurred_by" {
        n++; a += $7 <= e && e <= $8; wilson($5, 2000); b += lo <= e && e <= hi }
    END { print a + 0, b + 0, n + 0 }' "$work"/cov/*/outcomes.csv)
coverage "run --outer, outcomes.csv between the horizons" "$covered" "$pooled" "$n" 60 50 35
check_that "run --outer: outcomes.csv's interval at the horizon is uncertainty.csv's" awk -F, '
    FNR == 1 { next }
    FILENAME ~ /uncertainty/ { u = sprintf("%.5f %.5f %.5f", $4, $6, $7); next }
    $1 == "2026-01-01" && $3 == "moved" && $4 == "occurred_by" { o = sprintf("%.5f %.5f %.5f", $5, $7, $8) }
    END { exit !(u == o && u != "") }' "$work/cov/1/uncertainty.csv" "$work/cov/1/outcomes.csv"
check_that "run --outer: state_probabilities.csv's interval is outcomes.csv's for the same series" awk -F, '
    FNR == 1 { next }
    FILENAME ~ /state/ && $3 == "f" && $4 == "b" { s[$1] = $5 " " $6 " " $7 " " $8; next }
    FILENAME ~ /outcomes/ && $4 == "holds" { n++; if (s[$1] != $5 " " $6 " " $7 " " $8) bad = 1 }
    END { exit bad || n < 20 }' "$work/cov/1/state_probabilities.csv" "$work/cov/1/outcomes.csv"
check_that "uncertainty.csv: mean_std_error is between_draws_sd / sqrt(10) when that is larger" \
    awk -F, 'FNR > 1 { s = $8 / sqrt(10); p = $4 * (1 - $4) / 2000
                       if (s * s > p && (($5 - s) ^ 2 > 1e-10)) bad = 1 } END { exit bad }' \
    "$work/cov/1/uncertainty.csv"
"$NEASIM" run "$model" --outer 10 --runs 200 --seed 1 --horizons 2 --out "$work/cov/say" \
    > "$work/say.txt" 2>&1
mc=$(awk -F, 'FNR > 1 && $1 == "moved" { printf "MC %.1f-%.1f", 100 * $6, 100 * $7 }' \
    "$work/cov/say/uncertainty.csv")
check_that "run --outer: the summary's MC interval is the mean's ($mc)" grep -q "($mc;" "$work/say.txt"
# Below 30 draws the interval of the mean under-covers (README "Two kinds of interval"): the
# summary says so, with the number of draws; from 30 on it does not.
check_that "run --outer 10: the summary says its MC intervals run narrow" \
    grep -q "^With only 10 draws the MC intervals run narrow" "$work/say.txt"
"$NEASIM" run "$model" --outer 30 --runs 20 --seed 1 --out "$work/cov/say30" > "$work/say30.txt" 2>&1
check_that "run --outer 30: the summary gives its intervals without the note" \
    eval 'grep -q "judgment 5-95%" "$work/say30.txt" && ! grep -q "run narrow" "$work/say30.txt"'
# A 5-95% range from N draws holds on average 90% x (N - 1) / (N + 1) of a draw's distribution
# (summary.h nsm_judgment_range_coverage; tests/test_judgment.c simulates it): the manifest records
# it (computed here on its own), and below 71 draws (under 87.5%) the summaries say it in whole
# percent: 74% at 10 draws, 87% at 70 (and the brief: tests/brief_check.py).
coverage_row() {
    awk -v n="$1" 'BEGIN { printf "judgment_range_coverage,%.4f", 0.9 * (n - 1) / (n + 1) }'
}
check_that "run --outer 10: the manifest records the range's coverage ($(coverage_row 10))" \
    has_row "$(coverage_row 10)" "$work/cov/say/manifest.csv"
check_that "run --outer 30: the manifest records the range's coverage ($(coverage_row 30))" \
    has_row "$(coverage_row 30)" "$work/cov/say30/manifest.csv"
check_that "run --outer 10: the summary says its judgment ranges hold about 74%, not 90%" \
    eval 'grep -q "^From only 10 draws a 5-95% judgment range runs narrow: on average it holds" \
          "$work/say.txt" &&
          grep -q "^74% of the values a draw can give, not 90% (--outer 71 or more: 88%)\.\$" \
          "$work/say.txt"'
check_that "run --outer 30: the summary says its judgment ranges hold about 84%" \
    grep -q "^84% of the values a draw can give" "$work/say30.txt"
"$NEASIM" run "$model" --outer 70 --runs 2 --seed 1 --out "$work/cov/say70" > "$work/say70.txt" 2>&1
"$NEASIM" run "$model" --outer 71 --runs 2 --seed 1 --out "$work/cov/say71" > "$work/say71.txt" 2>&1
check_that "run --outer 70 says 87%; --outer 71 (88%) has no note, and its manifest says 0.8750" \
    eval 'grep -q "^87% of the values a draw can give" "$work/say70.txt" &&
          ! grep -q "judgment range runs narrow" "$work/say71.txt" &&
          has_row "judgment_range_coverage,0.8750" "$work/cov/say71/manifest.csv"'
check_that "run without --outer: no coverage row and no note" \
    eval '"$NEASIM" run "$model" --runs 50 --seed 1 --out "$work/cov/plain" \
              > "$work/plain.txt" 2>&1 &&
          ! grep -q "^judgment_range_coverage" "$work/cov/plain/manifest.csv" &&
          ! grep -q "judgment range runs narrow" "$work/plain.txt"'
# compare --outer: the effect's interval in briefing.csv (and the printed briefing) and in
# differences.csv at every date is that of the mean effect over the draws. The closed form of
# lever `double` (the hazard x 2) by t: E[exp(-lambda t) - exp(-2 lambda t)] =
# (e^-t - e^-3t) / 2t - (e^-2t - e^-6t) / 4t. Over 60 seeds of --outer 10 --runs 200 it is covered
# 54 times at the horizon (the paired interval of all the replications as if independent, which
# differences.csv had before, 34 times) and 57 times at 2025-07-01, between the horizons.
seeds "$work/ccov" compare "$model" --levers double
effect='function effect(days) { t = days / 365.25
    return 100 * ((exp(-t) - exp(-3 * t)) / (2 * t) - (exp(-2 * t) - exp(-6 * t)) / (4 * t)) }'
read -r covered n < <(awk -F, "$effect"'
    BEGIN { e = effect(365) }
    FNR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    { n++; a += $c["ci_low_pp"] <= e && e <= $c["ci_high_pp"] }
    END { print a + 0, n + 0 }' "$work"/ccov/*/briefing.csv)
check_that "compare --outer: 60 effect intervals ($n read)" test "$n" = 60
check_that "compare --outer: the mean effect's interval covers the closed form in $covered of 60 (at least 50)" \
    test "$covered" -ge 50
read -r covered n < <(awk -F, "$effect"'
    BEGIN { e = effect(181) }
    FNR > 1 && $2 == "outcome" && $4 == "occurred_by" && $5 == "2025-07-01" {
        n++; a += 100 * $11 <= e && e <= 100 * $12 }
    END { print a + 0, n + 0 }' "$work"/ccov/*/differences.csv)
check_that "compare --outer: differences.csv between the horizons, 60 intervals ($n read)" test "$n" = 60
check_that "compare --outer: differences.csv's interval covers the closed form in $covered of 60 (at least 50)" \
    test "$covered" -ge 50
check_that "compare --outer: differences.csv's interval at the horizon is briefing.csv's" awk -F, '
    FNR == 1 { next }
    FILENAME ~ /briefing/ { b = sprintf("%.4g %.4g", $9, $10); next }
    $4 == "occurred_by" && $5 == "2026-01-01" { d = sprintf("%.4g %.4g", 100 * $11, 100 * $12) }
    END { exit !(b == d && b != "") }' "$work/ccov/1/briefing.csv" "$work/ccov/1/differences.csv"
check_that "compare --outer: uncertainty_differences.csv's interval is briefing.csv's" awk -F, '
    FNR == 1 { next }
    FILENAME ~ /briefing/ { b = sprintf("%.4g %.4g", $9, $10); next }
    { u = sprintf("%.4g %.4g", 100 * $11, 100 * $12) }
    END { exit !(b == u) }' "$work/ccov/1/briefing.csv" "$work/ccov/1/uncertainty_differences.csv"
# event_counts.csv's mean_std_error counts the draws too: a Poisson count at a rate uniform on
# [1, 3] a year has mean 2t by t years; at 2025-07-01 and 2026-01-01 over 60 seeds (--outer 10
# --runs 200), mean +- t(9) x mean_std_error covers it 114 times of 120, where mean +- 1.96 sd /
# sqrt(2000), the replications taken as independent, would 37 times.
seeds "$work/ecov" run tests/models/judgment_counts
read -r covered pooled n < <(awk -F, '
    FNR > 1 && $3 == "tests" && $4 == "cumulative" && ($1 == "2026-01-01" || $1 == "2025-07-01") {
        e = 2 * $2; n++; a += ($5 - 2.262157 * $7 <= e && e <= $5 + 2.262157 * $7)
        s = 1.959964 * $6 / sqrt(2000); b += ($5 - s <= e && e <= $5 + s) }
    END { print a + 0, b + 0, n + 0 }' "$work"/ecov/*/event_counts.csv)
coverage "run --outer, event_counts.csv's mean count" "$covered" "$pooled" "$n" 120 100 60
# ... and differences.csv's for a count: lever `double` doubles the drawn rate, so the mean change
# in the count by t years is 2t; covered 115 times of 120 (two dates, 60 seeds)
seeds "$work/eccov" compare tests/models/judgment_counts --levers double
read -r covered n < <(awk -F, '
    FNR > 1 && $2 == "event" && ($5 == "2026-01-01" || $5 == "2025-07-01") {
        e = 2 * $6; n++; a += $11 <= e && e <= $12 }
    END { print a + 0, n + 0 }' "$work"/eccov/*/differences.csv)
check_that "compare --outer: 120 changes in a mean count ($n read)" test "$n" = 120
check_that "compare --outer: differences.csv's interval covers 2t in $covered of 120 (at least 100)" \
    test "$covered" -ge 100
"$NEASIM" run scenarios/baseline --outer 2 --runs 50 --out "$work/onset" > "$work/onset.txt" 2>&1
check_that "run --outer: a share at the start with the interval of the mean over the draws" awk -F, '
    FILENAME ~ /outcomes/ { if ($3 == "trilateral_stalled_or_collapsed" && $4 == "holds_at_start")
                                w = sprintf("%.1f%% (%.1f-%.1f)", 100 * $5, 100 * $7, 100 * $8); next }
    $0 ~ /^  U\.S\.-ROK-Japan partnership stalls +[0-9.]+% \(/ { sub(/^  U\.S\.-ROK-Japan partnership stalls +/, ""); p = $0 }
    END { exit !(w != "" && p == w) }' "$work/onset/outcomes.csv" "$work/onset.txt"
expect "run: the share at the start of an onset outcome, with its interval" 0 \
    '^  U\.S\.-ROK-Japan partnership stalls +[0-9.]+% \([0-9.]+-[0-9.]+\)' -- \
    run scenarios/baseline --runs 50 --out "$work/onset"
expect "run without --outer: no judgment range" 0 'moved +[0-9.]+% \([0-9.]+-[0-9.]+\) *$' -- \
    run "$model" --runs 300 --out "$work/run"

# the wall time said is the loop's, not the sum of draws run side by side (once about twice it)
for cmd in "run scenarios/baseline --outer 20 --runs 2000" "compare tests/models/uncertain --levers all --outer 20 --runs 500"; do
    t0=$(date +%s.%N)
    # shellcheck disable=SC2086 # the words of $cmd are the arguments
    "$NEASIM" $cmd --seed 5 --threads 2 --quiet --out "$work/wall" >/dev/null 2>&1
    t1=$(date +%s.%N)
    said=$(awk -F, '$1 == "wall_seconds" { print $2 }' "$work/wall/manifest.csv")
    check_that "${cmd%% *} --outer: wall_seconds $said within the process's $(awk "BEGIN { print $t1 - $t0 }") s" \
        awk "BEGIN { exit !(\"$said\" != \"\" && $said > 0 && $said <= $t1 - $t0) }"
done

cli_done outer
