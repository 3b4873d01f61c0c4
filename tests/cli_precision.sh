# tests/cli_precision.sh: run and compare --precision H on the command line: the same stopping
# count and bytes for 1 and 2 threads (and the bytes of a plain run of that many), the target met
# in the tables themselves (outcomes.csv, differences.csv) on the baseline, the ceiling reported as
# not met, --precision-for, and the refusals. The statistic and the batches are checked against
# closed forms in tests/test_precision.c.
source "$(dirname "$0")/cli-lib.sh"

base=scenarios/baseline

# manifest KEY DIR: the value of a manifest row.
manifest() { tr -d '\r' <"$2/manifest.csv" | awk -F, -v k="$1" '$1 == k { print $2 }'; }

# same_bytes DIR1 DIR2: every table but the manifest is byte-identical.
same_bytes() {
    local f ok=0
    for f in "$1"/*.csv; do
        [ "$(basename "$f")" = manifest.csv ] && continue
        cmp -s "$f" "$2/$(basename "$f")" || { echo "    differs: $(basename "$f")"; ok=1; }
    done
    return $ok
}

# The summary's dates (2, 5, 10 years and the last report) of the baseline, from the summary.
for t in 1 2; do
    "$NEASIM" run "$base" --precision 0.01 --threads "$t" --out "$work/p$t" >"$work/p$t.txt" 2>&1
done
n=$(manifest runs "$work/p1")
check_that "run --precision: the same count for 1 and 2 threads ($n)" \
    test "$n" = "$(manifest runs "$work/p2")"
check_that "run --precision: the same bytes for 1 and 2 threads" same_bytes "$work/p1" "$work/p2"
check_that "run --precision: a whole number of batches of 1000" test $((n % 1000)) -eq 0
check_that "run --precision: met on the baseline" test "$(manifest precision_met "$work/p1")" = yes
check_that "run --precision: the summary says so" \
    grep -Eq "^Precision: target \+-1 percentage points met after $n runs" "$work/p1.txt"
# the summary line names the widest's outcome by its label, as the table above it does; the
# manifest keeps its name
wo=$(manifest precision_widest_at "$work/p1" | cut -d' ' -f1)
wl=$(tr -d '\r' <"$work/p1/labels.csv" | awk -F, -v n="$wo" '$1 == "outcome" && $2 == n { print $4 }')
check_all "run --precision: the summary line's outcome by its label ($wl), the manifest's by name ($wo)" \
    '[ -n "$wl" ] && [ "$wl" != "$wo" ] &&
     grep -Fq "points: $wl by $(manifest precision_widest_at "$work/p1" | cut -d" " -f3))" "$work/p1.txt"'
check_that "run --precision: manifest rows" \
    grep -q '^precision_for,every outcome at every date of the summary' "$work/p1/manifest.csv"
"$NEASIM" run "$base" --runs "$n" --threads 2 --quiet --out "$work/plain"
check_that "run --precision: the bytes of a plain run of as many" same_bytes "$work/p1" "$work/plain"

# Every occurred_by row at the summary's dates has a Wilson half-width of at most 0.01 (1e-7: the
# tables print six significant digits).
dates=$(sed -n 's/^outcome  *//p' "$work/p1.txt" | tr -s ' ' '\n' | grep -E '^[0-9]{4}-' | paste -sd,)
check_that "run --precision: the summary has dates ($dates)" test -n "$dates"
wide=$(awk -F, -v dates="$dates" -v h=0.01 '
    BEGIN { n = split(dates, d, ","); for (k = 1; k <= n; k++) want[d[k]] = 1 }
    $4 == "occurred_by" && ($1 in want) { rows++; if (($8 - $7) / 2 > h + 1e-7) print $3, $1, ($8 - $7) / 2 }
    END { if (rows < 10) print "only", rows, "rows" }' "$work/p1/outcomes.csv")
check_that "run --precision: every half-width in outcomes.csv <= 0.01 ${wide:+($wide)}" test -z "$wide"
# one run fewer batch would not have done: the widest row is above H at n - 1000
"$NEASIM" run "$base" --runs $((n - 1000)) --quiet --out "$work/fewer"
wider=$(awk -F, -v dates="$dates" 'BEGIN { n = split(dates, d, ","); for (k = 1; k <= n; k++) want[d[k]] = 1 }
    $4 == "occurred_by" && ($1 in want) && ($8 - $7) / 2 > 0.01 { c++ } END { print c + 0 }' \
    "$work/fewer/outcomes.csv")
check_that "run --precision: a batch fewer misses the target" test "$wider" -gt 0

# A narrower list stops sooner; the ceiling, when reached, is reported as not met (exit 0).
"$NEASIM" run "$base" --precision 0.01 --precision-for usfk_major_withdrawal,formal_rcd_alignment@2 --quiet \
    --out "$work/for"
check_that "run --precision-for: fewer runs for fewer, rarer targets" \
    test "$(manifest runs "$work/for")" -lt "$n"
expect "run --precision: the ceiling, not met" 0 \
    "warning: precision target \+-0.1 percentage points NOT met: the ceiling --runs 2500 was reached" \
    -- run "$base" --precision 0.001 --runs 2500 --out "$work/ceil"
check_that "run --precision: the ceiling's manifest" \
    test "$(manifest runs "$work/ceil"),$(manifest precision_met "$work/ceil")" = "2500,no"

# wide_rows DIR REF: the occurred_by rows of DIR/differences.csv at the dates of REF/briefing.csv
# whose 95% half-width is above 0.01 (1e-7: the tables print six significant digits), as
# "OUTCOME DATE"; "only N rows" when there are too few to tell.
wide_rows() {
    awk -F, -v dates="$(awk -F, 'NR > 1 { print $5 }' "$2/briefing.csv" | sort -u | paste -sd,)" '
        BEGIN { n = split(dates, d, ","); for (k = 1; k <= n; k++) want[d[k]] = 1 }
        $2 == "outcome" && $4 == "occurred_by" && ($5 in want) {
            rows++; if (($12 - $11) / 2 > 0.01 + 1e-7) print $3, $5 }
        END { if (rows < 10) print "only", rows, "rows" }' "$1/differences.csv"
}

# compare: the paired differences of the briefing's horizons
cmp_args=(compare "$base" --levers equitable_burden_sharing --precision 0.01 --horizons 2,5)
for t in 1 2; do
    "$NEASIM" "${cmp_args[@]}" --threads "$t" --out "$work/c$t" >"$work/c$t.txt" 2>&1
done
check_that "compare --precision: the same count for 1 and 2 threads" \
    test "$(manifest runs "$work/c1")" = "$(manifest runs "$work/c2")"
check_that "compare --precision: the same bytes for 1 and 2 threads" same_bytes "$work/c1" "$work/c2"
check_that "compare --precision: met" test "$(manifest precision_met "$work/c1")" = yes
wide=$(wide_rows "$work/c1" "$work/c1")
check_that "compare --precision: every half-width in differences.csv <= 0.01 ${wide:+($wide)}" \
    test -z "$wide"
check_that "compare --precision: the summary says so" \
    grep -q "^Precision: target +-1 percentage points met after $(manifest runs "$work/c1") runs" \
    "$work/c1.txt"

# compare A B: whole scenarios, the same rule on the differences from the first scenario; the same
# count and bytes for 1 and 2 threads, and the bytes of `compare A B --runs` that many
scn_args=(compare "$base" scenarios/us-retrenchment --precision 0.01 --horizons 2,5)
for t in 1 2; do
    "$NEASIM" "${scn_args[@]}" --threads "$t" --out "$work/s$t" >"$work/s$t.txt" 2>&1
done
ns=$(manifest runs "$work/s1")
check_that "compare A B --precision: the same count for 1 and 2 threads ($ns)" \
    test "$ns" = "$(manifest runs "$work/s2")"
check_that "compare A B --precision: the same bytes for 1 and 2 threads" same_bytes "$work/s1" "$work/s2"
check_that "compare A B --precision: met, in whole batches" \
    test "$(manifest precision_met "$work/s1"),$((ns % 1000))" = "yes,0"
wide=$(wide_rows "$work/s1" "$work/s1")
check_that "compare A B --precision: every half-width in differences.csv <= 0.01 ${wide:+($wide)}" \
    test -z "$wide"
"$NEASIM" compare "$base" scenarios/us-retrenchment --runs "$ns" --horizons 2,5 --quiet --out "$work/splain"
check_that "compare A B --precision: the bytes of a plain comparison of as many" \
    same_bytes "$work/s1" "$work/splain"
"$NEASIM" compare "$base" scenarios/us-retrenchment --runs $((ns - 1000)) --horizons 2,5 --quiet \
    --out "$work/sfewer"
wider=$(wide_rows "$work/sfewer" "$work/s1" | grep -cv '^only')
check_that "compare A B --precision: a batch fewer misses the target" test "$wider" -gt 0
check_that "compare A B --precision: the summary names the scenario" \
    grep -Eq "^Precision: target \+-1 percentage points met after $ns runs .*arm U\.S\. retrenchment\)$" "$work/s1.txt"

# arms of two levers (--factorial): the interactions' pairs accumulate batch by batch with the
# arms; the same count and bytes (interactions.csv too) for 1 and 2 threads and as a plain
# comparison of as many
fact_args=(compare tests/models/paths --levers push_f,calm_h --factorial --precision 0.02 --seed 5)
for t in 1 2; do
    "$NEASIM" "${fact_args[@]}" --threads "$t" --quiet --out "$work/f$t"
done
nf=$(manifest runs "$work/f1")
check_that "compare --factorial --precision: met after more than one batch ($nf)" \
    test "$nf,$(manifest precision_met "$work/f1")" = "3000,yes"
check_that "compare --factorial --precision: the same bytes for 1 and 2 threads" same_bytes "$work/f1" "$work/f2"
check_that "compare --factorial --precision: interactions.csv written, some distinguishable" \
    grep -q ',yes,' "$work/f1/interactions.csv"
"$NEASIM" compare tests/models/paths --levers push_f,calm_h --factorial --seed 5 --runs "$nf" --quiet --out "$work/fplain"
check_that "compare --factorial --precision: the bytes of a plain comparison of as many" \
    same_bytes "$work/f1" "$work/fplain"

# --precision-for interactions: the targets hold for interactions.csv too. On tests/models/interact
# (two levers on one transition; interaction 9.92 points at the horizon, closed form) the
# interaction is the widest interval: 4,000 runs where the differences alone stop at 3,000
int_args=(compare tests/models/interact --levers all --factorial --precision 0.02 --seed 5)
for t in 1 2; do
    "$NEASIM" "${int_args[@]}" --precision-for interactions --threads "$t" --out "$work/i$t" \
        >"$work/i$t.txt"
done
"$NEASIM" "${int_args[@]}" --quiet --out "$work/idiff"
ni=$(manifest runs "$work/i1")
check_that "--precision-for interactions: met after 4000 runs, the differences alone after 3000 ($ni, $(manifest runs "$work/idiff"))" \
    test "$ni,$(manifest precision_met "$work/i1"),$(manifest runs "$work/idiff")" = "4000,yes,3000"
check_that "--precision-for interactions: the same bytes for 1 and 2 threads" same_bytes "$work/i1" "$work/i2"
# widest_pp DIR: the widest (ci_high_pp - ci_low_pp) / 2 of interactions.csv
widest_pp() {
    awk -F, 'NR > 1 { w = ($10 - $9) / 2; if (w > m) m = w } END { print m + 0 }' "$1/interactions.csv"
}
check_that "--precision-for interactions: every half-width in interactions.csv <= 2 points ($(widest_pp "$work/i1"))" \
    awk -v w="$(widest_pp "$work/i1")" 'BEGIN { exit !(w > 0 && w <= 2) }'
"$NEASIM" compare tests/models/interact --levers all --factorial --seed 5 --runs $((ni - 1000)) --quiet \
    --out "$work/ifewer"
check_that "--precision-for interactions: a batch fewer leaves an interaction wider than 2 points ($(widest_pp "$work/ifewer"))" \
    awk -v w="$(widest_pp "$work/ifewer")" 'BEGIN { exit !(w > 2) }'
"$NEASIM" compare tests/models/interact --levers all --factorial --seed 5 --runs "$ni" --quiet --out "$work/iplain"
check_that "--precision-for interactions: the bytes of a plain comparison of as many" \
    same_bytes "$work/i1" "$work/iplain"
check_that "--precision-for interactions: the summary names the interaction" \
    grep -Eq "^Precision: target \+-2 percentage points met after 4000 runs \(widest 95% half-width 1\.[0-9]+ points: Switch is on by 2026-01-01, the interaction of Twice as fast and Three times as fast\)$" "$work/i1.txt"
check_that "--precision-for interactions: the manifest too" \
    grep -q '^precision_widest_at,"switched_on by 2026-01-01, the interaction of double and triple"' "$work/i1/manifest.csv"
expect "--precision-for interactions@YEARS: the dates are the other items'" 64 \
    "'interactions' takes no date: .* give e.g. @1,interactions" \
    -- compare tests/models/interact --levers all --factorial --precision 0.02 --precision-for interactions@1 --out "$work/bad"
expect "--precision-for @YEARS,interactions: those dates for both" 0 "" \
    -- compare tests/models/interact --levers all --factorial --precision 0.05 --precision-for @0.5,interactions --quiet --out "$work/iat"
check_that "--precision-for @YEARS,interactions: the manifest records the list" \
    grep -q '^precision_for,"@0.5,interactions"' "$work/iat/manifest.csv"
expect "--precision-for interactions: run has none" 64 \
    "run: --precision-for interactions: only .compare. with arms of two levers \(a\+b, --factorial\) has interactions" \
    -- run tests/models/interact --precision 0.02 --precision-for interactions --out "$work/bad"
expect "--precision-for interactions: nor with --outer, which has none" 64 \
    "compare: --precision-for interactions: only .compare. with arms of two levers \(a\+b, --factorial\) has interactions, and not with --outer" \
    -- compare tests/models/interact --levers all --factorial --outer 40 --runs 50 --precision 0.02 \
    --precision-for interactions --out "$work/bad"
expect "--precision-for interactions: nor a comparison of single levers" 64 \
    "compare: --precision-for interactions: only .compare. with arms of two levers" \
    -- compare tests/models/interact --levers all --precision 0.02 --precision-for switched_on,interactions --out "$work/bad"

# ARM: holds the targets for one arm: on three of the baseline's levers at H = 0.015 every effect
# needs 5,000 runs (NCG's on extended deterrence is the widest), U.S. posture review's alone 2,000;
# its every row at the briefing's horizons within H, a batch fewer not; the other arms written
# as a plain comparison of as many writes them; the same for 1 and 2 threads
arm_args=(compare "$base" --levers equitable_burden_sharing,us_posture_review,ncg_institutionalized
          --precision 0.015 --seed 5)
"$NEASIM" "${arm_args[@]}" --quiet --out "$work/aall"
for t in 1 2; do
    "$NEASIM" "${arm_args[@]}" --precision-for us_posture_review: --threads "$t" \
        --out "$work/a$t" >"$work/a$t.txt"
done
na=$(manifest runs "$work/a1")
check_that "ARM: one arm's targets: 2000 runs where every arm's need 5000 ($na, $(manifest runs "$work/aall"))" \
    test "$na,$(manifest precision_met "$work/a1"),$(manifest runs "$work/aall")" = "2000,yes,5000"
check_that "ARM: the same bytes for 1 and 2 threads" same_bytes "$work/a1" "$work/a2"
# arm_wide DIR REF ARM H: ARM's occurred_by rows of DIR/differences.csv at the dates of
# REF/briefing.csv wider than H ("only N rows" when too few to tell)
arm_wide() {
    awk -F, -v dates="$(awk -F, 'NR > 1 { print $5 }' "$2/briefing.csv" | sort -u | paste -sd,)" \
        -v arm="$3" -v h="$4" '
        BEGIN { n = split(dates, d, ","); for (k = 1; k <= n; k++) want[d[k]] = 1 }
        $1 == arm && $2 == "outcome" && $4 == "occurred_by" && ($5 in want) {
            rows++; if (($12 - $11) / 2 > h + 1e-7) print $3, $5 }
        END { if (rows < 10) print "only", rows, "rows" }' "$1/differences.csv"
}
wide=$(arm_wide "$work/a1" "$work/a1" us_posture_review 0.015)
check_that "ARM: every us_posture_review half-width in differences.csv <= 0.015 ${wide:+($wide)}" \
    test -z "$wide"
others=$(arm_wide "$work/a1" "$work/a1" ncg_institutionalized 0.015 | grep -cv '^only')
check_that "ARM: the other arms not waited for (ncg_institutionalized: $others rows wider)" \
    test "$others" -gt 0
"$NEASIM" compare "$base" --levers equitable_burden_sharing,us_posture_review,ncg_institutionalized \
    --seed 5 --runs $((na - 1000)) --quiet --out "$work/afewer"
wider=$(arm_wide "$work/afewer" "$work/a1" us_posture_review 0.015 | grep -cv '^only')
check_that "ARM: a batch fewer leaves one of its rows wider ($wider)" test "$wider" -gt 0
"$NEASIM" compare "$base" --levers equitable_burden_sharing,us_posture_review,ncg_institutionalized \
    --seed 5 --runs "$na" --quiet --out "$work/aplain"
check_that "ARM: the bytes of a plain comparison of as many" same_bytes "$work/a1" "$work/aplain"
check_that "ARM: the summary names the arm of the widest" \
    grep -Eq "^Precision: target \+-1\.5 percentage points met after 2000 runs .*, arm U\.S\. posture review before any cut\)$" \
    "$work/a1.txt"
# ARM:OUTCOME@YEARS beside an item for every arm: the widest of both
"$NEASIM" compare "$base" --levers equitable_burden_sharing,ncg_institutionalized --precision 0.015 \
    --seed 5 --precision-for ncg_institutionalized:extended_deterrence_weakened@10,@2 --quiet \
    --out "$work/amix"
check_all "ARM:OUTCOME@YEARS,@YEARS: met, the widest NCG's at 10 years" \
    '[ "$(manifest precision_met "$work/amix")" = yes ] &&
     grep -q "^precision_widest_at,\"extended_deterrence_weakened by 2036-11-01, arm ncg_institutionalized\"" \
         "$work/amix/manifest.csv"'
# compare A B: the arm is the scenario's name
expect "ARM: a scenario of compare A B" 0 "" \
    -- compare "$base" scenarios/us-retrenchment --precision 0.03 --precision-for us_retrenchment:@2 \
    --quiet --out "$work/ascn"
expect "ARM: the first arm refused" 64 \
    "compare: --precision-for: 'baseline' is what the other arms are compared with \(its difference from itself is 0\); name one of the others \(equitable_burden_sharing, ncg_institutionalized\)" \
    -- compare "$base" --levers equitable_burden_sharing,ncg_institutionalized --precision 0.01 \
    --precision-for baseline:usfk_reduced --out "$work/bad"
expect "ARM: an unknown arm, the arms listed" 64 \
    "compare: --precision-for: this comparison has no arm 'ncg'; name one of its arms \(equitable_burden_sharing, ncg_institutionalized\) before the colon, as ARM:OUTCOME@YEARS" \
    -- compare "$base" --levers equitable_burden_sharing,ncg_institutionalized --precision 0.01 \
    --precision-for ncg:usfk_reduced --out "$work/bad"
expect "ARM: run has no arms" 64 \
    "run: --precision-for: 'ncg_institutionalized:' names an arm, and .run. has none" \
    -- run "$base" --precision 0.01 --precision-for ncg_institutionalized:usfk_reduced --out "$work/bad"
expect "ARM:interactions refused" 64 \
    "compare: --precision-for: 'push_f:interactions': an interaction belongs to two arms, not to 'push_f'; give .interactions. alone" \
    -- compare tests/models/paths --levers push_f,calm_h --factorial --precision 0.02 \
    --precision-for push_f:interactions --out "$work/bad"
expect "ARM: an unknown outcome after it" 64 "compare: --precision-for: scenario 'baseline' has no outcome 'x'" \
    -- compare "$base" --levers all --precision 0.01 --precision-for ncg_institutionalized:x@2 --out "$work/bad"
check_that "ARM: nothing written by a refusal" test ! -e "$work/bad"

# --outer: draws in batches (30, then 10 at a time) until the interval of the mean over the draws,
# which counts the draws (outcomes.csv's and differences.csv's with --outer), is within H at every
# target; --outer N the ceiling, --runs each draw's replications.
# half_widths DIR H: outcomes.csv's occurred_by rows at the summary's dates ($dates) wider than H
half_widths() {
    awk -F, -v dates="$dates" -v h="$2" '
        BEGIN { n = split(dates, d, ","); for (k = 1; k <= n; k++) want[d[k]] = 1 }
        $4 == "occurred_by" && ($1 in want) { rows++; if (($8 - $7) / 2 > h + 1e-7) print $3, $1, ($8 - $7) / 2 }
        END { if (rows < 10) print "only", rows, "rows" }' "$1/outcomes.csv"
}
for t in 1 2; do
    "$NEASIM" run "$base" --outer 400 --runs 100 --precision 0.04 --threads "$t" --out "$work/o$t" \
        >"$work/o$t.txt" 2>&1
done
no=$(manifest outer_draws "$work/o1")
check_that "run --outer --precision: the same draws for 1 and 2 threads ($no)" \
    test "$no" = "$(manifest outer_draws "$work/o2")"
check_that "run --outer --precision: the same bytes for 1 and 2 threads" same_bytes "$work/o1" "$work/o2"
check_all "run --outer --precision: met after more than the first batch, in batches of 10" \
    '[ "$(manifest precision_met "$work/o1")" = yes ] && [ "$no" -gt 30 ] && [ $((no % 10)) -eq 0 ]'
check_all "run --outer --precision: the manifest's runs are draws x runs, the batches of draws" \
    '[ "$(manifest runs "$work/o1")" = $((no * 100)) ] &&
     [ "$(manifest precision_first_batch "$work/o1"),$(manifest precision_batch "$work/o1")" = 30,10 ] &&
     [ "$(manifest precision_draws_ceiling "$work/o1")" = 400 ]'
check_that "run --outer --precision: the summary says so" \
    grep -Eq "^Precision: target \+-4 percentage points met after $no draws of 100 runs \(widest" "$work/o1.txt"
wide=$(half_widths "$work/o1" 0.04)
check_that "run --outer --precision: every half-width in outcomes.csv <= 0.04 ${wide:+($wide)}" test -z "$wide"
"$NEASIM" run "$base" --outer "$no" --runs 100 --quiet --out "$work/oplain"
check_that "run --outer --precision: the bytes of a plain --outer of as many" same_bytes "$work/o1" "$work/oplain"
"$NEASIM" run "$base" --outer $((no - 10)) --runs 100 --quiet --out "$work/ofewer"
wider=$(half_widths "$work/ofewer" 0.04 | wc -l)
check_that "run --outer --precision: a batch fewer misses the target ($wider rows)" test "$wider" -gt 0
expect "run --outer --precision: the ceiling, not met" 0 \
    "warning: precision target \+-1 percentage points NOT met: the ceiling --outer 40 was reached with a widest 95% half-width of [0-9.]+ points \([^()]+ by [0-9-]+\); raise --outer" \
    -- run "$base" --outer 40 --runs 50 --precision 0.01 --out "$work/oceil"
check_that "run --outer --precision: the ceiling's manifest" \
    test "$(manifest outer_draws "$work/oceil"),$(manifest runs "$work/oceil"),$(manifest precision_met "$work/oceil")" = "40,2000,no"
# Stopping when the interval is narrow enough must not make it a worse interval (stopping when
# the draws happen to agree would): on tests/models/uncertain, lambda ~ uniform(1, 3) a year, the
# mean over judgments of P(moved by 1 year) has the closed form 1 - (e^-1 - e^-3) / 2 (t = 365
# days: tests/cli_outer.sh). Over 300 seeds of --outer 1000 --runs 50 --precision 0.03 (stopping
# after 30 to 80 draws) the stopped interval covered it 278 times, as many as a fixed --outer 50
# of the same seeds; here 60 seeds, at least 50 (cli_outer.sh's bar for a fixed --outer).
covered=0 read=0
for s in $(seq 1 60); do
    "$NEASIM" run tests/models/uncertain --outer 1000 --runs 50 --precision 0.03 --horizons 1 \
        --seed "$s" --quiet --out "$work/cov$s" >/dev/null 2>&1 || echo "    --seed $s failed"
    c=$(awk -F, 'BEGIN { t = 365 / 365.25; e = 1 - (exp(-t) - exp(-3 * t)) / (2 * t) }
        FNR > 1 && $1 == "moved" { print ($6 <= e && e <= $7) ? 1 : 0 }' "$work/cov$s/uncertainty.csv")
    [ -n "$c" ] && read=$((read + 1)) && covered=$((covered + c))
done
check_all "run --outer --precision: the stopped interval covers the closed form in $covered of $read (at least 50 of 60)" \
    '[ "$read" = 60 ] && [ "$covered" -ge 50 ]'

# compare --outer: the mean change over the draws (differences.csv's interval with --outer)
ocmp=(compare "$base" --levers us_posture_review,ncg_institutionalized --outer 300 --runs 100
      --precision 0.02 --horizons 2,5)
for t in 1 2; do
    "$NEASIM" "${ocmp[@]}" --threads "$t" --out "$work/oc$t" >"$work/oc$t.txt" 2>&1
done
nc=$(manifest outer_draws "$work/oc1")
check_all "compare --outer --precision: the same draws and bytes for 1 and 2 threads ($nc)" \
    '[ "$nc" = "$(manifest outer_draws "$work/oc2")" ] && same_bytes "$work/oc1" "$work/oc2"'
check_all "compare --outer --precision: met after more than the first batch" \
    '[ "$(manifest precision_met "$work/oc1")" = yes ] && [ "$nc" -gt 30 ]'
# diff_wide DIR H: differences.csv's occurred_by rows at the briefing's dates wider than H
diff_wide() {
    awk -F, -v dates="$(awk -F, 'NR > 1 { print $5 }' "$1/briefing.csv" | sort -u | paste -sd,)" -v h="$2" '
        BEGIN { n = split(dates, d, ","); for (k = 1; k <= n; k++) want[d[k]] = 1 }
        $2 == "outcome" && $4 == "occurred_by" && ($5 in want) {
            rows++; if (($12 - $11) / 2 > h + 1e-7) print $1, $3, $5 }
        END { if (rows < 10) print "only", rows, "rows" }' "$1/differences.csv"
}
wide=$(diff_wide "$work/oc1" 0.02)
check_that "compare --outer --precision: every half-width in differences.csv <= 0.02 ${wide:+($wide)}" \
    test -z "$wide"
"$NEASIM" compare "$base" --levers us_posture_review,ncg_institutionalized --outer "$nc" --runs 100 \
    --horizons 2,5 --quiet --out "$work/ocplain"
check_that "compare --outer --precision: the bytes of a plain --outer of as many" \
    same_bytes "$work/oc1" "$work/ocplain"
"$NEASIM" compare "$base" --levers us_posture_review,ncg_institutionalized --outer $((nc - 10)) \
    --runs 100 --horizons 2,5 --quiet --out "$work/ocfewer"
check_that "compare --outer --precision: a batch fewer misses the target" \
    test "$(diff_wide "$work/ocfewer" 0.02 | wc -l)" -gt 0
check_that "compare --outer --precision: the summary counts the draws" \
    grep -Eq "^Precision: target \+-2 percentage points met after $nc draws of 100 runs \(widest 95% half-width [0-9.]+ points: .+ by [0-9-]+, arm .+\)$" "$work/oc1.txt"
check_that "compare --outer --precision: its header line too" \
    grep -q "^baseline: 3 arms x $nc draws x 100 runs" "$work/oc1.txt"

# The progress bar (stderr on a terminal: under util-linux's `script`) aims at the count the
# target needs, estimated after each batch from the widest half-width (n (w / H)^2), not at the
# ceiling: its ETA was of 1,000,000 runs for a run of 39,000 (`[#...] 6% 57440/1000000 runs ...
# ETA 100 s` for one that ended 6 s later).
# bar_estimates LOG: the counts the bar aimed at ("~N"), one a line, in drawing order.
bar_estimates() { tr '\r' '\n' <"$1" | grep -ao '/~[0-9]* runs  ETA' | tr -dc '0-9\n'; }
if command -v script >/dev/null; then
    for c in "bar:run $base --precision 0.005" \
             "bar-outer:run $base --outer 1000 --runs 300 --precision 0.03"; do
        name=${c%%:*}
        # shellcheck disable=SC2086 # the arguments, split as written
        script -qec "$NEASIM ${c#*:} --out $work/$name" "$work/$name.tty" >/dev/null 2>&1
        if [ "$name" = bar ]; then used=$(manifest runs "$work/$name")
        else used=$(($(manifest outer_draws "$work/$name") * 300)); fi
        est=$(bar_estimates "$work/$name.tty")
        check_all "$name: the bar aims at an estimate, not the ceiling ($(echo "$est" | wc -l) lines, the last $(echo "$est" | tail -1) for $used)" \
            '[ "$(echo "$est" | grep -c .)" -ge 3 ] &&
             [ "$(echo "$est" | sort -n | tail -1)" -lt $((used * 3)) ] &&
             awk -v e="$(echo "$est" | tail -1)" -v n="$used" "BEGIN { exit !(e >= 0.75 * n && e <= 1.25 * n) }"'
        check_that "$name: the bar says the widest half-width it is estimated from" \
            grep -aq 'ETA [0-9]* s  widest +-[0-9.]* points' "$work/$name.tty"
        check_that "$name: the summary line after the bar" grep -aq '^Precision: target' "$work/$name.tty"
    done
else
    skip_part "the progress bar's estimate" "no \`script\` (util-linux, make deps) to give it a terminal"
fi

# refusals: usage errors without a file:line, saying what to give; nothing written
for h in 0 0.5 -0.01 1 abc ''; do
    expect "run --precision '$h' refused" 64 \
        "--precision expects the largest 95% half-width you accept, as a probability above 0 and below 0.5" \
        -- run "$base" --precision "$h" --out "$work/bad"
done
expect "compare --precision 0 refused" 64 "--precision expects" \
    -- compare "$base" --levers all --precision 0 --out "$work/bad"
expect "--precision-for: an unknown outcome" 64 \
    "run: --precision-for: scenario 'baseline' has no outcome 'crisis'; name one of its outcomes \(alliance_in_crisis, " \
    -- run "$base" --precision 0.01 --precision-for alliance_in_crisis,crisis --out "$work/bad"
expect "--precision-for: compare, an unknown outcome" 64 "compare: --precision-for: scenario 'baseline' has no outcome 'x'" \
    -- compare "$base" --levers all --precision 0.01 --precision-for x@2 --out "$work/bad"
expect "--precision-for: beyond the horizon" 64 \
    "'@40' is not a horizon of scenario 'baseline': give a number of years after the start, up to 10" \
    -- run "$base" --precision 0.01 --precision-for dprk_surge@40 --out "$work/bad"
expect "--precision-for: not a number" 64 "'@soon' is not a horizon" \
    -- run "$base" --precision 0.01 --precision-for @soon --out "$work/bad"
expect "--precision-for: empty" 64 "--precision-for names nothing: give OUTCOME, OUTCOME@YEARS or @YEARS" \
    -- run "$base" --precision 0.01 --precision-for , --out "$work/bad"
expect "--precision-for without --precision" 64 "give --precision too" \
    -- run "$base" --precision-for dprk_surge --out "$work/bad"
expect "--precision with --outer: fewer than 30 draws" 64 \
    "run: --precision with --outer asks its rule from 30 draws on \(fewer make intervals that run narrow\), and --outer N is the most draws it may take: give --outer 30 or more" \
    -- run "$base" --precision 0.01 --outer 20 --out "$work/bad"
expect "--precision with --shard" 64 "which a shard does not see: give the shards a fixed --runs" \
    -- run "$base" --precision 0.01 --shard 1/2 --out "$work/bad"
mpi=$(dirname "$NEASIM")/neasim-mpi
if [ -x "$mpi" ] && command -v mpirun >/dev/null; then
    out=$(OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 \
          OMPI_MCA_btl_vader_single_copy_mechanism=none \
          mpirun --oversubscribe -n 2 "$mpi" run "$base" --precision 0.05 --quiet --out "$work/mpi" 2>&1)
    # no longer refused: the ranks share each batch (tests/cli_mpi_precision.sh tests it in full)
    check_that "--precision under mpirun runs" grep -q "^precision_met,yes" "$work/mpi/manifest.csv"
fi
expect "sweep takes no --precision" 64 "unknown option '--precision'" \
    -- sweep "$base" --oat --precision 0.01 --out "$work/bad"
check_that "refusals write nothing" test ! -e "$work/bad"
if grep -Eq '^[^ ]+:[0-9]+:' <("$NEASIM" run "$base" --precision 2 2>&1); then
    echo "FAIL a --precision error names a file:line"; fail=$((fail + 1))
else
    pass=$((pass + 1))
fi

cli_done precision
