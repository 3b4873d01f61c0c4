#!/usr/bin/env bash
# tests/cli_score.sh: `neasim score`: known answers end to end (a Poisson count's CRPS and mid-PIT
# against the exact Poisson distribution, Brier and log scores of a two-state chain against its
# closed form), calibration in and calibration out (truths drawn from the model itself), skill
# against a reference, compare and --outer folders, every arm of a comparison in one call (known
# forecasts of two arms, each arm's rows those of scoring it alone), bad observed files (file:line:column, nothing
# written), and the calibration scenario scored against the shipped records.
# Usage: bash tests/cli_score.sh BUILD_DIR   (from the project root)
source "$(dirname "$0")/cli-lib.sh"
command -v awk >/dev/null || skip_suite "awk is missing"
models=tests/models

# value FILE SCOPE QUANTITY NAME METRIC [COLUMN [ARM]]: a number of scores.csv (COLUMN 8 = value,
# 9 = reference_value, 10 = skill, 13 = baseline_value, 14 = baseline_skill, 17 = n); the first
# match (of arm ARM when given).
value() {
    awk -F, -v s="$2" -v q="$3" -v n="$4" -v m="$5" -v c="${6:-8}" -v a="${7:-}" \
        '{ sub(/\r$/, "") } (a == "" || $1 == a) && $2 == s && $3 == q && $4 == n && $7 == m { print $c; exit }' "$1"
}
# near NAME GOT WANT TOL: |GOT - WANT| <= TOL.
near() {
    check_that "$1 (got $2, want $3 +- $4)" awk -v g="$2" -v w="$3" -v t="$4" \
        'BEGIN { d = g - w; if (d < 0) d = -d; exit !(g != "" && d <= t) }'
}

expect "help" 0 "Usage: neasim score RESULTS --observed" -- score --help
expect "listed in neasim --help" 0 "score RESULTS" -- --help
expect "no --observed" 64 "--observed FILE.csv is required" -- score "$work"
expect "no results folder" 64 "which results" -- score --observed x.csv
expect "unknown option" 64 "unknown option '--nope'" -- score "$work" --observed x.csv --nope

# --- A Poisson(5) count over one year (tests/models/counts): the exact CRPS and mid-PIT ---
"$NEASIM" run $models/counts --runs 20000 --seed 3 --quiet --out "$work/counts"
printf 'quantity,name,window_start,window_end,observed,source\nevent,poisson,2025-01-01,2026-01-01,3,test\n' \
    > "$work/obs_counts.csv"
expect "score a count" 0 "crps" -- score "$work/counts" --observed "$work/obs_counts.csv"
sc="$work/counts/score/scores.csv"
# The exact Poisson(5): CRPS(3) = sum over k of (F(k) - 1{k >= 3})^2, mid-PIT F(2) + f(3)/2.
read -r crps pit < <(awk 'BEGIN { l = 5; f = exp(-l); F = 0; c = 0
    for (k = 0; k < 80; k++) { if (k == 2) F2 = F + f; if (k == 3) f3 = f; F += f
        d = F - (k >= 3); c += d * d; f *= l / (k + 1) }
    print c, F2 + f3 / 2 }')
# Monte Carlo error of the CRPS from 20000 runs: below 0.01 (delta method: sum over k of
# 2|F(k) - H(k)| sqrt(F(1 - F)/n)); of the PIT, sqrt(p(1 - p)/n) < 0.0036. Tolerances: 3 times.
near "CRPS of Poisson(5) at 3" "$(value "$sc" item event poisson crps)" "$crps" 0.03
near "mid-PIT of Poisson(5) at 3" "$(value "$sc" item event poisson pit)" "$pit" 0.011
check_that "3 is inside the 90% interval [q05, q95] = [2, 9]" \
    test "$(value "$sc" item event poisson in_90)" = 1
check_that "scores.csv has the documented header" test "$(head -1 "$sc" | tr -d '\r')" = \
    'arm,scope,quantity,name,window_start,window_end,metric,value,reference_value,skill,skill_ci_low,skill_ci_high,baseline_value,baseline_skill,baseline_skill_ci_low,baseline_skill_ci_high,n'
check_that "the score folder has a manifest" grep -q '^observed,' "$work/counts/score/manifest.csv"
# RESULTS/score is neasim's: running the scenario again into RESULTS replaces it with the rest
# (it was refused, exit 73, "holds score/, which neasim did not write")
expect "a scored results folder can be run again" 0 "" -- run $models/counts --runs 200 --seed 3 --quiet --out "$work/counts-again"
"$NEASIM" score "$work/counts-again" --observed "$work/obs_counts.csv" --quiet
expect "... into the same folder, its score/ beside the tables" 0 "" -- run $models/counts --runs 200 --seed 3 --quiet --out "$work/counts-again"
check_that "... which goes with the old results" test ! -e "$work/counts-again/score"

# --- The two-state chain: P(in_b by 1 year) = 1 - exp(-2) ---
"$NEASIM" run $models/two_state --runs 20000 --seed 5 --quiet --out "$work/ts"
printf 'quantity,name,window_end,observed\noutcome,in_b,2026-01-01,yes\noutcome,in_b,2025-02-01,no\n' \
    > "$work/obs_ts.csv"
expect "score a two-state chain" 0 "brier" -- score "$work/ts" --observed "$work/obs_ts.csv" --out "$work/ts-score"
sc="$work/ts-score/scores.csv"
read -r b1 l1 b2 l2 < <(awk 'BEGIN { p = 1 - exp(-2); q = 1 - exp(-2 * 31 / 365.25)
    print (1 - p)^2, -log(p), q^2, -log(1 - q) }')
# standard errors from 20000 runs: p 0.0024 -> brier 2(1-p) se = 0.00066, log se/p = 0.0028;
# q (0.156) 0.0026 -> brier 0.0008, log 0.0031. Tolerances: 4 standard errors.
near "Brier, occurred by 1 year" "$(awk -F, '$2=="item" && $6=="2026-01-01" && $7=="brier" {print $8}' "$sc")" "$b1" 0.0027
near "log score, occurred by 1 year" "$(awk -F, '$2=="item" && $6=="2026-01-01" && $7=="log" {print $8}' "$sc")" "$l1" 0.011
near "Brier, not by one month" "$(awk -F, '$2=="item" && $6=="2025-02-01" && $7=="brier" {print $8}' "$sc")" "$b2" 0.0032
near "log score, not by one month" "$(awk -F, '$2=="item" && $6=="2025-02-01" && $7=="log" {print $8}' "$sc")" "$l2" 0.0125
near "mean Brier is the mean of the two" "$(value "$sc" total outcome in_b brier)" \
    "$(awk -v a="$b1" -v b="$b2" 'BEGIN { print (a + b) / 2 }')" 0.003

# --- Skill: the results as their own reference score 0; another seed is no better or worse ---
expect "reference = results" 0 "skill" -- score "$work/ts" --observed "$work/obs_ts.csv" \
    --reference "$work/ts" --out "$work/ts-self"
check_that "skill against itself is 0" test "$(value "$work/ts-self/scores.csv" total outcome in_b brier 10)" = 0
printf 'quantity,name,window_end,observed\noutcome,in_b,2025-01-01,no\n' > "$work/obs_start.csv"
expect "a certain forecast, right" 0 "" -- score "$work/ts" --observed "$work/obs_start.csv" --out "$work/ts-start"
check_that "a perfect forecast scores 0" test "$(value "$work/ts-start/scores.csv" item outcome in_b brier)" = 0

# --- Calibration in, calibration out: 400 truths drawn from the model itself ---
# Four independent Poisson(3.5) counts over 100 years: one replication (another seed) gives 400
# yearly truths; the forecast (4000 runs) is their distribution. The mid-PIT of a calibrated count
# forecast has mean exactly 1/2 and sd sqrt((1 - sum f^3)/12) = 0.28 here: the mean of 400 is
# 0.5 +- 0.014, tolerance 4 sd (0.056). The central 90% interval [q05, q95] of Poisson(3.5) is
# [1, 7] (F(0) = 0.030, F(1) = 0.136, F(6) = 0.935, F(7) = 0.973: each end at least 4 Monte Carlo
# sd of 4000 runs from a tie) and holds F(7) - F(0) = 0.943 of it (a discrete interval holds at
# least its level): the coverage of 400 is 0.943 +- 0.0116, tolerance 4 sd.
"$NEASIM" run $models/score_poisson --runs 4000 --seed 11 --quiet --out "$work/sp"
"$NEASIM" run $models/score_poisson --runs 1 --seed 12 --quiet --out "$work/sp-truth"
awk -F, 'BEGIN { print "quantity,name,window_start,window_end,observed" }
    { sub(/\r$/, "") } $2 == "year" && $6 == 1 { print "event," $1 "," $3 "," $4 "," $5 }' \
    "$work/sp-truth/count_distribution.csv" > "$work/obs_sp.csv"
check_that "400 truths" test "$(wc -l < "$work/obs_sp.csv")" = 401
expect "score 400 truths" 0 "" -- score "$work/sp" --observed "$work/obs_sp.csv" --quiet
sc="$work/sp/score/scores.csv"
check_that "400 items" test "$(value "$sc" total event all pit 17)" = 400
near "mean mid-PIT of truths from the model" "$(value "$sc" total event all pit)" 0.5 0.056
near "90% coverage of truths from the model" "$(value "$sc" total event all in_90)" 0.943 0.046

# --- A comparison's arms and an --outer run ---
"$NEASIM" compare $models/two_state --levers faster --runs 2000 --quiet --out "$work/cmp"
expect "a comparison: the baseline arm" 0 "" -- score "$work/cmp" --observed "$work/obs_ts.csv" --quiet
expect "a comparison: an arm, the baseline as reference" 0 "skill" -- score "$work/cmp" --arm faster \
    --reference "$work/cmp" --observed "$work/obs_ts.csv" --out "$work/cmp-faster"
check_that "arm faster forecasts b sooner" awk -F, '$2=="item" && $6=="2025-02-01" && $7=="forecast" \
    { exit !($8 > $9) }' "$work/cmp-faster/scores.csv"
# an arm the folder does not have is a bad option, named as such with the arms it has (it read
# "DIR has no arm 'slower' (see its arms.csv)" with no "neasim score:" before)
expect "no such arm" 64 "^neasim score: --arm: .*/cmp has no arm 'slower'; its arms: baseline, faster" -- score "$work/cmp" --arm slower --observed "$work/obs_ts.csv"
expect "--arm on a run" 64 "^neasim score: --arm: .*/ts holds one run" -- score "$work/ts" --arm faster --observed "$work/obs_ts.csv"
"$NEASIM" run $models/uncertain --outer 3 --runs 200 --quiet --out "$work/outer"
awk -F, 'NR == 2 { print "quantity,name,window_end,observed"; print "outcome," $3 "," $1 ",no" }' \
    "$work/outer/outcomes.csv" > "$work/obs_outer.csv"
expect "an --outer run" 0 "brier" -- score "$work/outer" --observed "$work/obs_outer.csv"

# --- Every arm of a comparison in one call (tests/models/score_arms): known forecasts ---
# P(in_b by t) = 1 - exp(-lambda t), lambda 2 (arm faster: 3); the count is Poisson(mu t), mu 5
# (faster: 10); t of 2026-01-01 is 365/365.25 years, of 2025-04-01 90/365.25.
"$NEASIM" compare $models/score_arms --levers faster --runs 20000 --seed 7 --quiet --out "$work/arms"
printf 'quantity,name,window_start,window_end,observed\noutcome,in_b,,2026-01-01,yes\noutcome,in_b,,2025-04-01,no\nevent,poisson,2025-01-01,2026-01-01,3\n' \
    > "$work/obs_arms.csv"
expect "a comparison: every arm by default" 0 "2 arms" -- score "$work/arms" --observed "$work/obs_arms.csv" \
    --out "$work/arms-all" > "$work/arms-all.txt"
"$NEASIM" score "$work/arms" --observed "$work/obs_arms.csv" --out "$work/arms-all2" > "$work/arms-all.txt"
sc="$work/arms-all/scores.csv"
check_that "every row names its arm, baseline's block first" awk -F, 'NR == 1 { next }
    { a[$1]++; if ($1 == "faster") f = 1; else if (f || $1 != "baseline") bad = 1 }
    END { exit !(!bad && a["baseline"] == a["faster"] && a["baseline"] > 0) }' "$sc"
# known(ARM LAMBDA MU): the closed forms and 4 standard errors of 20000 runs. The CRPS's by the
# delta method: the estimate is sum over k of (Fhat(k) - H(k))^2, H(k) = 1{k >= 3}, with gradient
# g(k) = 2(F(k) - H(k)) and Cov(Fhat(j), Fhat(k)) = F(j)(1 - F(k))/n for j <= k.
known() {
    awk -v l="$2" -v mu="$3" 'BEGIN { n = 20000; t1 = 365 / 365.25; t2 = 90 / 365.25
        p1 = 1 - exp(-l * t1); p2 = 1 - exp(-l * t2)
        b1 = (1 - p1)^2; b2 = p2^2; s1 = 2 * (1 - p1) * sqrt(p1 * (1 - p1) / n); s2 = 2 * p2 * sqrt(p2 * (1 - p2) / n)
        m = mu * t1; f = exp(-m); F = 0; c = 0; K = 60
        for (k = 0; k < K; k++) { F += f; Fk[k] = F; d = F - (k >= 3); g[k] = 2 * d; c += d * d; f *= m / (k + 1) }
        v = 0
        for (j = 0; j < K; j++) for (k = 0; k < K; k++) {
            lo = j < k ? j : k; hi = j < k ? k : j; v += g[j] * g[k] * Fk[lo] * (1 - Fk[hi]) / n }
        printf "%.10g %.10g %.10g %.10g %.10g %.10g\n", b1, 4 * s1, b2, 4 * s2, c, 4 * sqrt(v > 0 ? v : 0) }'
}
for arm in "baseline 2 5" "faster 3 10"; do
    set -- $arm
    read -r b1 t1 b2 t2 crps tc < <(known "$@")
    got() { awk -F, -v a="$1" -v w="$2" -v m="$3" '{ sub(/\r$/, "") } $1 == a && $2 == "item" && $6 == w && $7 == m { print $8 }' "$sc"; }
    near "arm $1: Brier, in b by 2026-01-01" "$(got "$1" 2026-01-01 brier)" "$b1" "$t1"
    near "arm $1: Brier, not by 2025-04-01" "$(got "$1" 2025-04-01 brier)" "$b2" "$t2"
    near "arm $1: CRPS of Poisson($3 t) at 3" "$(got "$1" 2026-01-01 crps)" "$crps" "$tc"
    near "arm $1: the total Brier is the mean of its rows" "$(value "$sc" total outcome in_b brier 8 "$1")" \
        "$(awk -v a="$(got "$1" 2026-01-01 brier)" -v b="$(got "$1" 2025-04-01 brier)" 'BEGIN { printf "%.10g", (a + b) / 2 }')" 1e-7
done
check_that "faster's baseline columns are the baseline's values" awk -F, '{ sub(/\r$/, "") }
    NR > 1 { k = $2 "," $4 "," $6 "," $7 }
    $1 == "baseline" { v[k] = $8 } $1 == "faster" && $7 != "observed" { n++; if ($13 != v[k]) bad = 1 }
    END { exit !(n > 10 && !bad) }' "$sc"
check_that "the baseline's skill against itself is 0" test "$(value "$sc" total event poisson crps 14 baseline)" = 0
# Skill against the baseline by hand from the rows: 1 - f / b, and for the two Brier rows the
# paired interval (d = b - f: mean +- t sd / sqrt(2), divided by the baseline's mean; t the 0.975
# point of Student's t with 1 degree of freedom, tan(0.475 pi) = 12.71, where 1.96 would claim a
# precision two rows cannot give).
check_that "faster's CRPS skill against the baseline is 1 - crps / baseline crps" awk -F, '
    { sub(/\r$/, "") } $1 == "faster" && $2 == "total" && $7 == "crps" {
        s = 1 - $8 / $13; e = $14 - s; exit !(e * e < 1e-10 && $14 < 0) }' "$sc"
check_that "faster's Brier skill and its paired interval over the two rows" awk -F, '
    { sub(/\r$/, "") }
    $1 == "faster" && $2 == "item" && $7 == "brier" { f[++i] = $8; b[i] = $13 }
    $1 == "faster" && $2 == "total" && $7 == "brier" { s = $14; lo = $15; hi = $16 }
    END { d1 = b[1] - f[1]; d2 = b[2] - f[2]; m = (d1 + d2) / 2; bb = (b[1] + b[2]) / 2
          pi = atan2(0, -1); t1 = sin(0.475 * pi) / cos(0.475 * pi)
          sd = sqrt(((d1 - m)^2 + (d2 - m)^2) / 1); h = t1 * sd / sqrt(2)
          up = (m + h) / bb; up = up > 1 ? 1 : up # no skill exceeds 1
          e1 = s - m / bb; e2 = (lo - (m - h) / bb) / lo; e3 = (hi - up) / hi # 6 digits
          exit !(i == 2 && e1 * e1 < 1e-10 && e2 * e2 < 1e-10 && e3 * e3 < 1e-10 && lo < s && s < hi) }' "$sc"
check_that "printed: one line of totals per arm" grep -Eq '^faster +[0-9.]+ +-?[0-9.]+ +-?[0-9.]+ +-?[0-9.]+$' "$work/arms-all.txt"
check_that "printed: the first arm has no skill against itself" grep -Eq '^baseline +[0-9.]+ +[0-9.]+$' "$work/arms-all.txt"
for arm in baseline faster; do
    "$NEASIM" score "$work/arms" --arm $arm --observed "$work/obs_arms.csv" --out "$work/arms-$arm" --quiet
    check_that "arm $arm: its rows are those of --arm $arm, byte for byte" \
        cmp -s <(grep "^$arm," "$sc") <(tail -n +2 "$work/arms-$arm/scores.csv")
done
# One arm that is not the first (--arm faster): its line of totals with the skill against the
# first arm, the same numbers as in the table of every arm (padded to its own names' width); the
# first arm alone has no such table.
"$NEASIM" score "$work/arms" --arm faster --observed "$work/obs_arms.csv" --out "$work/arms-f1" > "$work/arms-f1.txt"
check_that "--arm faster: printed with its skill against the first arm, as among all arms" \
    cmp -s <(grep -E '^faster +[0-9.]' "$work/arms-all.txt" | tr -s ' ') \
    <(grep -E '^faster +[0-9.]' "$work/arms-f1.txt" | tr -s ' ')
check_that "--arm faster: ... and its totals' heading names it" grep -q '^Every total of faster:' "$work/arms-f1.txt"
"$NEASIM" score "$work/arms" --arm baseline --observed "$work/obs_arms.csv" --out "$work/arms-b1" > "$work/arms-b1.txt"
check_that "--arm baseline: no table of skill against itself" bash -c '! grep -q "skill vs 1st" "$1"' _ "$work/arms-b1.txt"
"$NEASIM" score "$work/arms" --arm all --observed "$work/obs_arms.csv" --out "$work/arms-named-all" --quiet
check_that "--arm all is the default" cmp -s "$sc" "$work/arms-named-all/scores.csv"
check_that "the manifest says which arms" grep -q '^arm,all' "$work/arms-all/manifest.csv"
check_that "the manifest says the reference's arm (the command alone said it before)" \
    grep -q '^reference_arm,baseline' "$work/cmp-faster/manifest.csv"
check_that "... NA without a reference" grep -q '^reference_arm,NA' "$work/arms-all/manifest.csv"
# A run is the baseline arm (same seed, same bytes): its rows carry arm NA and no baseline columns.
"$NEASIM" run $models/score_arms --runs 20000 --seed 7 --quiet --out "$work/arms-run"
"$NEASIM" score "$work/arms-run" --observed "$work/obs_arms.csv" --quiet
check_that "a run: arm NA and no baseline columns on every row" awk -F, 'NR > 1 && !($1 == "NA" &&
    $13 == "NA" && $14 == "NA" && $15 == "NA" && $16 == "NA") { bad = 1 } END { exit bad }' \
    "$work/arms-run/score/scores.csv"
check_that "a run scores as the comparison's baseline arm" cmp -s <(cut -d, -f2-12,17 "$work/arms-run/score/scores.csv" | tail -n +2) \
    <(grep '^baseline,' "$sc" | cut -d, -f2-12,17)
# With a reference: every arm against it (the run, so the baseline's skill is 0, faster's equal
# to its skill against the baseline).
expect "every arm against a reference" 0 "skill vs ref" -- score "$work/arms" --observed "$work/obs_arms.csv" \
    --reference "$work/arms-run" --out "$work/arms-ref"
check_that "each arm's skill against the reference" awk -F, '{ sub(/\r$/, "") }
    $2 == "total" && $7 == "crps" { n++; if ($10 != $14 || $9 != $13) bad = 1 }
    END { exit !(n == 2 && !bad) }' "$work/arms-ref/scores.csv"
expect "--reference-arm all" 64 "^neasim score: --reference-arm: name one arm of .*, not all" -- score "$work/arms" --observed "$work/obs_arms.csv" \
    --reference "$work/arms" --reference-arm all
expect "--arm all on a run" 64 "^neasim score: --arm: .* holds one run" -- score "$work/arms-run" --arm all --observed "$work/obs_arms.csv"
expect "--reference-arm of a run" 64 "^neasim score: --reference-arm: .* holds one run" -- score "$work/arms" \
    --observed "$work/obs_arms.csv" --reference "$work/arms-run" --reference-arm faster
expect "help: the usage names --arm and --reference-arm" 0 "^ +\[--reference-arm NAME\]" -- score --help
# compare A B: arms named after the scenarios; the first is the baseline, also as a reference.
cp -r $models/score_arms "$work/sa_fast"
sed -i 's/^name,score_arms,/name,score_arms_fast,/' "$work/sa_fast/scenario.csv"
sed -i 's/^f,a,b,2,/f,a,b,3,/' "$work/sa_fast/transitions.csv"
"$NEASIM" compare $models/score_arms "$work/sa_fast" --runs 2000 --seed 7 --quiet --out "$work/scen"
expect "a comparison of scenarios: every arm, the first as reference" 0 "score_arms_fast +[0-9.]+" -- score \
    "$work/scen" --observed "$work/obs_arms.csv" --reference "$work/scen"
check_that "scenarios: the second arm's baseline is the first" awk -F, '{ sub(/\r$/, "") }
    $2 == "total" && $7 == "brier" { v[$1] = $8; b[$1] = $13 }
    END { exit !(v["score_arms"] != "" && b["score_arms_fast"] == v["score_arms"] && v["score_arms_fast"] != v["score_arms"]) }' \
    "$work/scen/score/scores.csv"

# --- Bad observed files: file:line:column, exit 65, nothing written ---
mkdir -p "$work/keep" && "$NEASIM" score "$work/ts" --observed "$work/obs_ts.csv" --out "$work/keep" --quiet
before=$(cat "$work/keep"/*.csv | md5sum)
bad_obs() { # bad_obs NAME CONTENT PATTERN [EXIT]
    printf '%b' "$2" > "$work/obs_bad.csv"
    expect "bad observed: $1" "${4:-65}" "$3" -- score "$work/ts" --observed "$work/obs_bad.csv" --out "$work/keep"
    check_that "bad observed: $1: nothing written" test "$(cat "$work/keep"/*.csv | md5sum)" = "$before"
}
H='quantity,name,window_start,window_end,observed\n'
bad_obs "missing column" 'quantity,name,window_end\noutcome,in_b,2026-01-01\n' \
    "obs_bad.csv:1:1: error: missing column 'observed'"
bad_obs "unknown column" 'quantity,name,window_end,observed,value\noutcome,in_b,2026-01-01,yes,1\n' \
    "obs_bad.csv:1:[0-9]+: error: .*value"
bad_obs "unknown outcome" "${H}outcome,in_bb,,2026-01-01,yes\n" \
    "obs_bad.csv:2:9: error: .* has no outcome 'in_bb' \\(did you mean 'in_b'\\?\\)"
bad_obs "unknown quantity" "${H}outcomes,in_b,,2026-01-01,yes\n" \
    "obs_bad.csv:2:1: error: unknown quantity 'outcomes'"
bad_obs "date after the horizon" "${H}outcome,in_b,,2030-01-01,yes\n" \
    "obs_bad.csv:2:15: error: 2030-01-01 is outside the horizon of .*2025-01-01 to 2027-01-01"
bad_obs "date before the horizon" "${H}outcome,in_b,,2024-06-01,no\n" \
    "obs_bad.csv:2:15: error: 2024-06-01 is outside the horizon"
bad_obs "not a report date" "${H}outcome,in_b,,2026-01-15,yes\n" \
    "obs_bad.csv:2:15: error: 2026-01-15 is not a report date"
bad_obs "not a date" "${H}outcome,in_b,,1/1/2026,yes\n" "obs_bad.csv:2:15: error: '1/1/2026' is not a date"
bad_obs "a day that does not exist" "${H}outcome,in_b,,2026-02-29,yes\n" \
    "obs_bad.csv:2:15: error: there is no 2026-02-29: 2026-02 has 28 days"
bad_obs "a window's end that does not exist, at its own column" "${H}event,in_b,2025-01-01,2025-04-31,1\n" \
    "obs_bad.csv:2:23: error: there is no 2025-04-31: 2025-04 has 30 days"
bad_obs "bad yes/no" "${H}outcome,in_b,,2026-01-01,maybe\n" "obs_bad.csv:2:26: error: 'maybe'.*yes or no"
bad_obs "window_start on an outcome" "${H}outcome,in_b,2025-06-01,2026-01-01,yes\n" \
    "obs_bad.csv:2:14: error: .*leave window_start empty"
bad_obs "repeated row" "${H}outcome,in_b,,2026-01-01,yes\noutcome,in_b,,2026-01-01,no\n" \
    "obs_bad.csv:3:1: error: this row repeats line 2"
# window_start written as the start is the empty one: the same row twice is a repeat (it was
# scored twice, n 2), and scores.csv says NA as for an empty one
bad_obs "repeated row, window_start written as the start" "${H}outcome,in_b,2025-01-01,2026-01-01,yes\noutcome,in_b,,2026-01-01,yes\n" \
    "obs_bad.csv:3:1: error: this row repeats line 2"
printf '%b' "${H}outcome,in_b,2025-01-01,2026-01-01,yes\n" > "$work/obs_ws.csv"
"$NEASIM" score "$work/ts" --observed "$work/obs_ws.csv" --out "$work/ts-ws" --quiet
check_that "window_start written as the start: NA in scores.csv, as an empty one" \
    grep -q '^NA,item,outcome,in_b,NA,2026-01-01,brier,' "$work/ts-ws/scores.csv"
bad_obs "unknown state" "${H}state,f=c,,2026-01-01,yes\n" "obs_bad.csv:2:7: error: .* has no state 'f=c'"
bad_obs "no rows" "$H" "no observed rows"
rm -f "$work/obs_bad.csv"
expect "missing observed file" 66 "cannot open" -- score "$work/ts" --observed "$work/obs_bad.csv" --out "$work/keep"
expect "not a results folder" 66 "not a neasim results folder" -- score "$models/two_state" --observed "$work/obs_ts.csv" --out "$work/x"
check_that "nothing written for a failure" test ! -e "$work/x"
expect "a results folder that does not exist" 66 "nowhere: error: no such folder" -- score "$work/nowhere" --observed "$work/obs_ts.csv" --out "$work/x"
expect "a --reference that does not exist" 66 "nowhere: error: no such folder" -- score "$work/ts" --observed "$work/obs_ts.csv" \
    --reference "$work/nowhere" --out "$work/x"
check_that "... nothing written" test ! -e "$work/x"
# another command's folder says whose it is (it said "no outcomes.csv")
printf 'parameter,values\ntransitions:f:a>b,1;2\n' > "$work/grid.csv"
"$NEASIM" sweep $models/two_state --grid "$work/grid.csv" --runs 20 --quiet --out "$work/sw"
expect "a sweep's folder" 66 "sw: error: the results of neasim sweep, which hold no forecast to score" -- score "$work/sw" --observed "$work/obs_ts.csv" --out "$work/x"
expect "a score's folder" 66 "error: the results of neasim score, which hold no forecast to score" -- score "$work/ts-score" --observed "$work/obs_ts.csv" --out "$work/x"
printf '%b' "${H}event,poisson,2025-01-01,2025-07-01,3\n" > "$work/obs_win.csv"
expect "an event window the results do not hold" 65 \
    "obs_win.csv:2:15: error: .* has no forecast of poisson from 2025-01-01 to 2025-07-01" \
    -- score "$work/counts" --observed "$work/obs_win.csv" --out "$work/x"
printf '%b' "${H}event,poisson,2025-01-01,2026-01-01,-1\n" > "$work/obs_neg.csv"
expect "a negative count" 65 "obs_neg.csv:2:37: error: '-1': an event's observed value is a count" \
    -- score "$work/counts" --observed "$work/obs_neg.csv" --out "$work/x"
printf '%b' "${H}event,poisson,,2026-01-01,3\n" > "$work/obs_nows.csv"
expect "an event without window_start" 65 "obs_nows.csv:2:[0-9]+: error: an event's count needs its window" \
    -- score "$work/counts" --observed "$work/obs_nows.csv" --out "$work/x"
mkdir -p "$work/foreign" && echo mine > "$work/foreign/notes.txt"
expect "a foreign --out folder" 73 "" -- score "$work/ts" --observed "$work/obs_ts.csv" --out "$work/foreign"
check_that "the foreign folder is untouched" test "$(cat "$work/foreign/notes.txt")" = mine

# --- End to end: the calibration run, 2012-2021, against the shipped records ---
"$NEASIM" run scenarios/calibration-2012 --runs 2000 --seed 1 --quiet --out "$work/cal"
expect "calibration-2012 against observed_2012_2021.csv" 0 "launch_days +crps" -- score "$work/cal" \
    --observed scenarios/data/observed_2012_2021.csv
# the dates of the first line are the results' (it read "58 observed rows (2012-01-01 to
# 2022-01-01)", as if the rows spanned them)
expect "printed: the rows, and the results' dates as theirs" 0 \
    "scored against scenarios/data/observed_2012_2021.csv: 58 observed rows, on results from 2012-01-01 to 2022-01-01 ->" \
    -- score "$work/cal" --observed scenarios/data/observed_2012_2021.csv --out "$work/cal-score2"
sc="$work/cal/score/scores.csv"
check_that "58 observed rows scored" test "$(awk -F, '$2=="item" && $7=="observed"' "$sc" | wc -l)" = 58
check_that "ten launch-day years in the coverage" test "$(value "$sc" total event launch_days in_90 17)" = 10
# count_distribution.csv: each window sums to 1, and its mean is event_counts.csv's
# (same window: the year ending at window_end; the horizon is the cumulative row at the end): 9
# events (4 counts, 5 counters of changes) x (10 years + the horizon) windows.
check_that "count_distribution.csv: each window sums to 1 and matches event_counts.csv" awk -F, '
    { sub(/\r$/, "") }
    FILENAME ~ /event_counts/ && FNR > 1 && ($4 == "year" || $4 == "cumulative") {
        m[$3 "," ($4 == "year" ? "year" : "horizon") "," $1] = $5 }
    FILENAME ~ /count_distribution/ && FNR > 1 { k = $1 "," $2 "," $4; p[k] += $6; s1[k] += $5 * $6 }
    END { n = 0
        for (k in p) { n++; mean = s1[k]
            if ((p[k] - 1)^2 > 1e-18 || !(k in m) || (mean - m[k])^2 > (1e-5 * (1 + mean))^2) { print "window " k ": sum " p[k] ", mean " mean " vs " m[k]; exit 1 } }
        if (n != 99) { print n " windows in count_distribution.csv, 99 expected"; exit 1 } }' "$work/cal/event_counts.csv" "$work/cal/count_distribution.csv"
check_that "every score is a number" awk -F, 'NR > 1 && $8 == "NA" { exit 1 }' "$sc"
# A skill that three decimals round to zero keeps its sign and one significant digit, never
# "-0.000" (the calibration run against another seed's: the CRPS skill over all counts is -0.0001)
"$NEASIM" run scenarios/calibration-2012 --runs 2000 --seed 2 --quiet --out "$work/cal2"
"$NEASIM" score "$work/cal" --observed scenarios/data/observed_2012_2021.csv --reference "$work/cal2" \
    --out "$work/cal-ref" > "$work/cal-ref.txt"
check_that "printed skills: no -0.000" bash -c '! grep -q -- "-0\.000\b" "$1"' _ "$work/cal-ref.txt"
check_that "printed skills: -0.0001 as the CSV's -0.000108624" grep -Eq '^event +all +crps +40 .* -0\.0001 \(' "$work/cal-ref.txt"

# --- Under valgrind memcheck (when installed): a good score with a reference, a comparison's arm
# and two error paths (an unknown name; a count table cut short), no error and nothing lost ---
if command -v valgrind >/dev/null && ! ldd "$NEASIM" 2>/dev/null | grep -q libasan; then
    vg() { # vg NAME EXIT ARGS...
        local name=$1 code=$2 rc; shift 2
        valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
            "$NEASIM" "$@" > "$work/vg.txt" 2>&1
        rc=$?
        check_that "valgrind: $name (exit $rc, expected $code)" test "$rc" = "$code"
    }
    vg "scores with a reference" 0 score "$work/cal" --observed scenarios/data/observed_2012_2021.csv \
        --reference "$work/cal" --out "$work/vg-cal" --quiet
    vg "a comparison's arm" 0 score "$work/cmp" --arm faster --observed "$work/obs_ts.csv" --out "$work/vg-cmp" --quiet
    vg "every arm with a reference" 0 score "$work/arms" --observed "$work/obs_arms.csv" \
        --reference "$work/scen" --out "$work/vg-arms" --quiet
    printf '%b' "${H}outcome,in_bb,,2026-01-01,yes\n" > "$work/obs_bad.csv"
    vg "an unknown name" 65 score "$work/ts" --observed "$work/obs_bad.csv" --out "$work/vg-x"
    cp -r "$work/counts" "$work/cut" && sed -i '8d' "$work/cut/count_distribution.csv"
    vg "a count distribution with a gap" 65 score "$work/cut" --observed "$work/obs_counts.csv" --out "$work/vg-x"
else
    skip_part "the memcheck cases" "valgrind is missing (make deps), or this is a sanitizer build"
fi

# The seeds of tests/fuzz_score.c (a run's and a comparison's results tables, an observed file),
# kept in the repository: this neasim must still score them, or the fuzzing starts from inputs
# that are all refused at the first table.
cp -r tests/fixtures/fuzz-seeds/score "$work/fuzz-score"
for f in run compare; do
    expect "the fuzz seeds: $f's tables are scored, with a reference" 0 "3 observed rows" -- \
        score "$work/fuzz-score/$f" --observed "$work/fuzz-score/observed.csv" \
        --reference "$work/fuzz-score/run"
done

cli_done score
