# tests/cli_outer.sh: judgment uncertainty on the command line: compare --outer (its table, the
# judgment columns of briefing.csv, the printed ranges, the same bytes for 1 and 2 threads) and the
# judgment range in run --outer's summary. The numbers are checked against closed forms in
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
expect "run without --outer: no judgment range" 0 'moved +[0-9.]+% \([0-9.]+-[0-9.]+\) *$' -- \
    run "$model" --runs 300 --out "$work/run"

cli_done outer
