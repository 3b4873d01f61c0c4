# tests/cli_outer.sh: judgment uncertainty on the command line: compare --outer (its table, the
# judgment columns of briefing.csv, the printed ranges, the same bytes for 1 and 2 threads), the
# judgment range in run --outer's summary and the interval of the mean over judgments (its coverage
# of a closed form). The numbers are checked against closed forms in
# tests/test_compare_outer.c; here, what reaches the analyst.
source "$(dirname "$0")/cli-lib.sh"

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
    'arm,outcome,measure,horizon_years,date,draws,runs_per_draw,baseline_probability,arm_probability,difference,ci_low,ci_high,mean_se,judgment_q05,judgment_q50,judgment_q95,between_draws_sd,monte_carlo_sd,share_draws_below_zero,share_draws_above_zero' \
    "$work/uncertainty_differences.csv"
check_that "uncertainty_differences.csv: one row per arm, outcome and horizon" \
    test "$(tail -n +2 "$work/cmp1/uncertainty_differences.csv" | wc -l)" = 6
check_that "briefing.csv: the judgment columns come after the existing ones" grep -qx \
    'arm,outcome,measure,horizon_years,date,baseline_probability,arm_probability,difference_pp,ci_low_pp,ci_high_pp,distinguishable,judgment_q05_pp,judgment_q50_pp,judgment_q95_pp,share_draws_below_zero,share_draws_above_zero,outcome_label,arm_label,desirable,verdict,rank' \
    "$work/briefing.csv"
check_that "a null lever: a judgment range of exactly zero" \
    grep -q '^null,moved,occurred_by,1,[0-9-]*,8,400,[0-9.]*,[0-9.]*,0,0,0,0,0,0,0,0,0,0,0$' \
    "$work/uncertainty_differences.csv"
# briefing.csv's judgment quantiles (pp, 4 significant digits) are uncertainty_differences.csv's
# (probabilities) x 100
check_that "briefing and uncertainty_differences agree" awk -F, '
    function off(a, b) { d = a - b; return d * d > (1e-3 * b) * (1e-3 * b) + 1e-12 }
    FNR == 1 { next }
    FILENAME ~ /briefing/ { b[$1 "," $4] = $12 "," $14; next }
    { k = $1 "," $4; split(b[k], q, ",")
      if (!(k in b) || off(q[1], 100 * $14) || off(q[2], 100 * $16)) bad = 1 }
    END { exit bad }' "$work/briefing.csv" "$work/uncertainty_differences.csv"
check_that "compare --outer prints the judgment ranges" \
    grep -q 'judgment 5-95%: the range of the change over the 8 draws' "$work/cmp1.txt"
check_that "compare --outer prints a range in every cell" \
    grep -Eq '^  [0-9]+\. .* +[-+ ]?[0-9.]+ \([-+][0-9.]+, [-+][0-9.]+\)( ~)? \[[-+][0-9.]+, [-+][0-9.]+\]' \
    "$work/cmp1.txt"
check_that "the manifest counts the draws" grep -q '^outer_draws,8' "$work/cmp1/manifest.csv"

"$NEASIM" compare "$model" --levers all --runs 200 --seed 7 --out "$work/plain" --quiet
check_that "a plain compare: briefing.csv has its 11 columns and the 5 label columns" \
    test "$(head -1 "$work/plain/briefing.csv" | tr ',' '\n' | wc -l)" = 16
check_that "a plain compare: no uncertainty_differences.csv" \
    test ! -e "$work/plain/uncertainty_differences.csv"

expect "compare --outer with --nominal is refused" 64 "cannot be combined with --nominal" -- \
    compare "$model" --levers all --outer 4 --nominal --out "$work/x"
expect "compare --outer needs at least 2 draws" 64 "outer" -- \
    compare "$model" --levers all --outer 1 --out "$work/x"
expect "run --outer: the summary shows the judgment range" 0 \
    'moved +[0-9.]+% \(MC [0-9.]+-[0-9.]+; judgment 5-95%: [0-9]+-[0-9]+\)' -- \
    run "$model" --outer 6 --runs 300 --out "$work/run"
# The Monte Carlo interval of the mean over judgments counts the draws as the sample they are
# (uncertainty.csv's mean_ci_low, mean_ci_high; the summary's "MC"). Its coverage of the closed
# form E[1 - exp(-lambda t)] = 1 - (exp(-t) - exp(-3t)) / (2t) for lambda ~ uniform(1, 3), t = 365
# days, over 60 seeds of --outer 10 --runs 200: 53 of 60 (273 of 300 over 300 seeds, 91%), where
# the pooled interval of outcomes.csv, which treats the 2,000 replications as independent, covers
# 24 of 60 (113 of 300).
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
read -r covered pooled n < <(awk -F, 'BEGIN { t = 365 / 365.25; e = 1 - (exp(-t) - exp(-3 * t)) / (2 * t) }
    FNR == 1 { next }
    FILENAME ~ /uncertainty/ && $1 == "moved" { n++; a += $6 <= e && e <= $7 }
    FILENAME ~ /outcomes/ && $1 == "2026-01-01" && $3 == "moved" && $4 == "occurred_by" { b += $7 <= e && e <= $8 }
    END { print a + 0, b + 0, n + 0 }' "$work"/cov/*/uncertainty.csv "$work"/cov/*/outcomes.csv)
check_that "run --outer: 60 intervals of the mean over judgments ($n read)" test "$n" = 60
check_that "run --outer: the mean's interval covers the closed form in $covered of 60 (at least 50)" \
    test "$covered" -ge 50
check_that "run --outer: the pooled interval would cover it in $pooled of 60 (at most 35)" \
    test "$pooled" -le 35
check_that "uncertainty.csv: mean_std_error is between_draws_sd / sqrt(10) when that is larger" \
    awk -F, 'FNR > 1 { s = $8 / sqrt(10); p = $4 * (1 - $4) / 2000
                       if (s * s > p && (($5 - s) ^ 2 > 1e-10)) bad = 1 } END { exit bad }' \
    "$work/cov/1/uncertainty.csv"
"$NEASIM" run "$model" --outer 10 --runs 200 --seed 1 --horizons 2 --out "$work/cov/say" \
    > "$work/say.txt" 2>&1
mc=$(awk -F, 'FNR > 1 && $1 == "moved" { printf "MC %.1f-%.1f", 100 * $6, 100 * $7 }' \
    "$work/cov/say/uncertainty.csv")
check_that "run --outer: the summary's MC interval is the mean's ($mc)" grep -q "($mc;" "$work/say.txt"
# compare --outer: the effect's interval in briefing.csv (and the printed briefing) is that of the
# mean effect over the draws. The closed form of lever `double` (the hazard x 2) by t:
# E[exp(-lambda t) - exp(-2 lambda t)] = (e^-t - e^-3t) / 2t - (e^-2t - e^-6t) / 4t. Over 60 seeds
# of --outer 10 --runs 200 it is covered 54 times; differences.csv's paired interval of all the
# replications as if independent covers it 34 times.
seeds "$work/ccov" compare "$model" --levers double
read -r covered pooled n < <(awk -F, '
    BEGIN { t = 365 / 365.25
            e = 100 * ((exp(-t) - exp(-3 * t)) / (2 * t) - (exp(-2 * t) - exp(-6 * t)) / (4 * t)) }
    FNR == 1 { for (i = 1; i <= NF; i++) c[FILENAME, $i] = i; next }
    FILENAME ~ /briefing/ { n++; a += $c[FILENAME, "ci_low_pp"] <= e && e <= $c[FILENAME, "ci_high_pp"] }
    FILENAME ~ /differences/ && $c[FILENAME, "date"] == "2026-01-01" && $c[FILENAME, "measure"] == "occurred_by" {
        b += 100 * $c[FILENAME, "ci_low"] <= e && e <= 100 * $c[FILENAME, "ci_high"] }
    END { print a + 0, b + 0, n + 0 }' "$work"/ccov/*/briefing.csv "$work"/ccov/*/differences.csv)
check_that "compare --outer: 60 effect intervals ($n read)" test "$n" = 60
check_that "compare --outer: the mean effect's interval covers the closed form in $covered of 60 (at least 50)" \
    test "$covered" -ge 50
check_that "compare --outer: the pooled paired interval would cover it in $pooled of 60 (at most 40)" \
    test "$pooled" -le 40
check_that "compare --outer: uncertainty_differences.csv's interval is briefing.csv's" awk -F, '
    FNR == 1 { next }
    FILENAME ~ /briefing/ { b = sprintf("%.4g %.4g", $9, $10); next }
    { u = sprintf("%.4g %.4g", 100 * $11, 100 * $12) }
    END { exit !(b == u) }' "$work/ccov/1/briefing.csv" "$work/ccov/1/uncertainty_differences.csv"
"$NEASIM" run scenarios/baseline --outer 2 --runs 50 --out "$work/onset" > "$work/onset.txt" 2>&1
check_that "run --outer: the shares at the start are of all runs" \
    grep -q 'it holds at the start in (share of all runs)' "$work/onset.txt"
check_that "run --outer: a share at the start, without the pooled interval" \
    grep -Eq '^  trilateral_stalled_or_collapsed +[0-9.]+%$' "$work/onset.txt"
expect "run: the share at the start of an onset outcome, with its interval" 0 \
    '^  trilateral_stalled_or_collapsed +[0-9.]+% \([0-9.]+-[0-9.]+\)' -- \
    run scenarios/baseline --runs 50 --out "$work/onset"
expect "run without --outer: no judgment range" 0 'moved +[0-9.]+% \([0-9.]+-[0-9.]+\) *$' -- \
    run "$model" --runs 300 --out "$work/run"

cli_done outer
