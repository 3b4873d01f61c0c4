# tests/cli_inherit.sh: scenarios that extend a base (scenario.csv key `extends`): patches that
# replace, add and drop rows by key, chains, the resolved tables of `check --resolved`, the
# checksum and manifest, and every malformed patch refused at the variant's cell; row-number
# parameter paths still accepted with a warning.
source "$(dirname "$0")/cli-lib.sh"

base="$work/base"
cp -r tests/models/two_state "$base"
# variant NAME [EXTENDS]: a folder with only scenario.csv extending EXTENDS (default ../base)
variant() {
    rm -rf "$work/$1"; mkdir -p "$work/$1"
    printf 'key,value,source\nextends,%s,test\nname,%s,test\n' "${2-../base}" "$1" \
        > "$work/$1/scenario.csv"
}

# ---- a variant that changes nothing runs exactly as its base
variant same
expect same_check 0 "valid scenario 'same'.*" -- check "$work/same"
# the base as a reader would write it ("same/../base" before)
expect same_check_says_extends 0 "^Extends $work/base \(the tables here are patches" -- check "$work/same"
"$NEASIM" run "$base" --runs 500 --seed 3 --quiet --out "$work/out-base"
"$NEASIM" run "$work/same" --runs 500 --seed 3 --quiet --out "$work/out-same"
# but for labels.csv's scenario row, which names the scenario run
check_that same_outputs_identical diff -r -x manifest.csv -x labels.csv "$work/out-base" "$work/out-same"
check_that same_labels_but_the_scenario cmp -s <(tail -n +3 "$work/out-base/labels.csv") \
    <(tail -n +3 "$work/out-same/labels.csv")
check_that same_labels_scenario_row grep -qx 'scenario,same,NA,same,no,NA,NA' <(tr -d '\r' <"$work/out-same/labels.csv")
# the base as a reader would write it there too ("same/../base" before)
check_that manifest_names_the_base grep -qx "scenario_extends,$work/base" <(tr -d '\r' <"$work/out-same/manifest.csv")
check_that manifest_of_plain_scenario_has_no_extends \
    bash -c "! grep -q scenario_extends '$work/out-base/manifest.csv'"

# ---- replace, add and drop, and the order of the resolved rows
variant v
printf 'factor,from,to,value,unit,source,drop\nf,a,b,3,rate_per_year,replaced,\n' > "$work/v/transitions.csv"
printf 'lever,target,operation,value,from_date,description,source,drop\nnull,transitions:f:a>b,,,,,,yes\nnew_one,transitions:f:b>a,multiply,2,,added,test,\nfaster,transitions:f:a>b,multiply,1.25,,replaced,test,no\n' \
    > "$work/v/levers.csv"
expect v_check 0 'f:a>b +3$' -- check "$work/v"
"$NEASIM" check "$work/v" --resolved "$work/res" >/dev/null 2>&1
check_that resolved_transitions cmp -s "$work/res/transitions.csv" <(printf 'factor,from,to,value,unit,source\nf,a,b,3,rate_per_year,replaced\nf,b,a,0.5,mean_years,test: mu = 2 per year\n')
check_that resolved_levers_order cmp -s <(cut -d, -f1,4 "$work/res/levers.csv") \
    <(printf 'lever,value\nfaster,1.25\nlater,2\nslow_back,1\nnew_one,2\n')
check_that resolved_scenario_has_no_extends bash -c "! grep -q '^extends,' '$work/res/scenario.csv'"
check_that resolved_copies_inherited_tables cmp -s "$work/res/factors.csv" "$base/factors.csv"
sum_v=$("$NEASIM" check "$work/v" 2>/dev/null | grep '^Checksum')
sum_r=$("$NEASIM" check "$work/res" 2>/dev/null | grep '^Checksum')
check_that resolved_has_the_same_checksum test -n "$sum_v" -a "$sum_v" = "$sum_r"
check_that resolved_manifest grep -qx "scenario_extends,$work/base" <(tr -d '\r' <"$work/res/manifest.csv")
expect resolved_again_replaces 0 'Resolved tables written to' -- check "$work/v" --resolved "$work/res"
mkdir -p "$work/foreign"; echo x > "$work/foreign/notes.txt"
expect resolved_into_foreign_folder 73 'neasim' -- check "$work/v" --resolved "$work/foreign"
check_that foreign_folder_untouched test -f "$work/foreign/notes.txt"
expect resolved_needs_a_folder 64 '--resolved needs a folder' -- check "$work/v" --resolved
# the variant is the resolved scenario: the same results
"$NEASIM" run "$work/v" --runs 500 --seed 3 --quiet --out "$work/out-v"
"$NEASIM" run "$work/res" --runs 500 --seed 3 --quiet --out "$work/out-res"
check_that variant_runs_as_resolved diff -r -x manifest.csv "$work/out-v" "$work/out-res"

# ---- chains: c extends v extends base; the nearest patch wins
variant c ../v
printf 'factor,from,to,value,unit,source\nf,a,b,4,rate_per_year,c\n' > "$work/c/transitions.csv"
expect chain_check 0 'f:a>b +4$' -- check "$work/c"
expect chain_lists_bases 0 "^Extends $work/v; $work/base \(" -- check "$work/c"
expect chain_keeps_middle_levers 0 'new_one' -- check "$work/c"

# ---- errors point at the file the row came from
variant e
printf 'factor,from,to,value,unit,source\nf,a,b,-3,rate_per_year,bad\n' > "$work/e/transitions.csv"
expect error_in_replaced_row 65 "e/transitions.csv:2:7: error: rate_per_year '-3' is negative" -- check "$work/e"
rm -rf "$work/badbase"; cp -r tests/models/two_state "$work/badbase"
sed -i 's/^f,b,a,0.5,/f,b,a,-1,/' "$work/badbase/transitions.csv"
variant e2 ../badbase
expect error_in_inherited_row 65 "e2/\.\./badbase/transitions.csv:3:7: error: mean_years '-1' is negative" -- check "$work/e2"

# ---- malformed patches, each refused at the variant's cell
variant x
printf 'factor,from,to,value,unit,source,drop\nf,a,c,,,,yes\n' > "$work/x/transitions.csv"
expect drop_of_a_missing_key 65 "x/transitions.csv:2:1: error: drop of 'f,a,c', which the base's transitions.csv does not have" -- check "$work/x"
printf 'target,month,multiplier,source,drop\nf:a>b,3,,,yes\n' > "$work/x/transitions.csv.tmp"
rm "$work/x/transitions.csv"; mv "$work/x/transitions.csv.tmp" "$work/x/seasonality.csv"
expect drop_in_a_table_the_base_lacks 65 "x/seasonality.csv:2:1: error: drop of 'f:a>b,3'.*the base has no such table" -- check "$work/x"
rm "$work/x/seasonality.csv"
printf 'factor,from,to,value,unit,source\nf,a,b,3,rate_per_year,x\nf,a,b,4,rate_per_year,y\n' > "$work/x/transitions.csv"
expect duplicate_key_in_patch 65 "x/transitions.csv:3:1: error: the key 'f,a,b' is given twice in this patch \(first at line 2\): one row a key; remove one of the two rows, or merge them into one$" -- check "$work/x"
printf 'factor,from,to,value,unit,source,drop\nf,b,a,,,,maybe\n' > "$work/x/transitions.csv"
expect bad_drop_value 65 "x/transitions.csv:2:10: error: drop is yes, true or 1" -- check "$work/x"
printf 'factor,from,to,value,unit,source,drop\n,,,,,,yes\n' > "$work/x/transitions.csv"
expect drop_without_key 65 "x/transitions.csv:2:1: error: a row that drops needs its key \(factor,from,to\)" -- check "$work/x"
rm "$work/x/transitions.csv"
printf 'id,target,condition,multiplier,source,drop\n,f:a>b,f=a,2,x,\n' > "$work/x/modifiers.csv"
expect row_without_id_is_added 0 'row 1 +x2 ' -- check "$work/x"
rm "$work/x/modifiers.csv"
printf 'factor,from,to,value,unit,source,bogus\n' > "$work/x/transitions.csv"
expect unknown_column_in_patch 65 "x/transitions.csv:1:34: error: unknown column 'bogus'" -- check "$work/x"
rm "$work/x/transitions.csv"
# a base with a duplicated key (the base alone is refused too, but the patch names it first)
rm -rf "$work/dupbase"; cp -r tests/models/two_state "$work/dupbase"
printf 'later,transitions:f:a>b,multiply,3,,again,test\n' >> "$work/dupbase/levers.csv"
variant y ../dupbase
printf 'lever,target,operation,value,from_date,description,source\nlater,transitions:f:a>b,multiply,5,,x,test\n' > "$work/y/levers.csv"
expect key_names_two_base_rows 65 "y/levers.csv:2:1: error: the key 'later,transitions:f:a>b' names more than one row of the base's levers.csv \(lines 4 and 6\)" -- check "$work/y"
# cycles, missing or empty bases, a folder that is not a scenario, a chain too long
variant self .
expect self_cycle 65 "self/scenario.csv:2:9: error: extends '\.' makes a cycle: .*; a base cannot extend its own variant: remove this extends row, or name another base$" -- check "$work/self"
variant p ../q; variant q ../p
expect cycle_of_two 65 "scenario.csv:2:9: error: extends '\.\./(p|q)' makes a cycle" -- check "$work/p"
variant m ../nowhere
expect missing_base 65 "m/scenario.csv:2:9: error: cannot open the base scenario '\.\./nowhere'.*No such file or directory \(the path is relative to the folder of this scenario.csv, $work/m: give the base's folder from there, as in \.\./baseline, or an absolute path\)$" -- check "$work/m"
# a typo in the base's folder: the scenario folder beside it of the nearest name (not the variant
# itself, base2, which is as near: it would be a cycle); nothing but the errno text before
variant base2 ../base3
expect missing_base_suggests 65 "base2/scenario.csv:2:9: error: cannot open the base scenario '\.\./base3' \($work/base2/\.\./base3\): No such file or directory; did you mean '\.\./base'\? \(the path is relative to the folder of this scenario.csv, $work/base2\)$" -- check "$work/base2"
variant n ..
expect base_not_a_scenario 65 "n/scenario.csv:2:9: error: the base '\.\.' .* is not a scenario folder" -- check "$work/n"
variant z ""
expect empty_extends 65 "z/scenario.csv:2:9: error: extends names no folder" -- check "$work/z"
variant l1
for i in 2 3 4 5 6 7 8 9; do variant "l$i" "../l$((i - 1))"; done
expect chain_of_seven 0 "valid scenario 'l7'" -- check "$work/l7"
expect chain_too_long 65 "error: extends '\.\./l1': more than 7 levels of bases" -- check "$work/l9"

# ---- row-number parameter paths (issue 11, item 6): accepted, with a warning naming the id
expect effect_row_number_warns 0 'levers.csv:6:[0-9]+: warning: row 1 of effects.csv has the id .f_pulls_h.' -- \
    check tests/models/ids
expect modifier_row_number_warns 0 'levers.csv:3:[0-9]+: warning: row 2 of modifiers.csv has the id .h_up_when_f_b.' -- \
    check tests/models/ids
# in a variant, row numbers count the rows of the resolved table
rm -rf "$work/idsbase"; cp -r tests/models/ids "$work/idsbase"
variant idsv ../idsbase
printf 'id,target,condition,multiplier,source,drop\n,h:off>on,f=a,1.5,,\nh_up_when_f_b,,,,,yes\n' > "$work/idsv/modifiers.csv"
printf 'lever,target,operation,value,from_date,description,source,drop\nby_id,modifiers:h_up_when_f_b,,,,,,yes\nby_row,modifiers:2,set,1,,row 2 of the resolved table,test,\n' > "$work/idsv/levers.csv"
expect variant_row_numbers_count_resolved_rows 0 'modifiers:2 .*1 number' -- check "$work/idsv"

# ---- scenario against scenario: compare A B [C ...]
# a variant that changes nothing: every difference exactly 0 (a scenario with calendar, draws,
# effects, counted events and uncertain numbers drawn per replication)
variant_of_baseline() {
    rm -rf "$work/$1"; mkdir -p "$work/$1"
    printf 'key,value,source\nextends,%s,test\nname,%s,test\n' "$(realpath scenarios/baseline)" "$1" \
        > "$work/$1/scenario.csv"
}
variant_of_baseline nothing_changed
"$NEASIM" compare scenarios/baseline "$work/nothing_changed" --runs 400 --seed 8 --quiet \
    --out "$work/cmp0" 2>/dev/null
check_that compare_nothing_changed_has_rows test "$(wc -l < "$work/cmp0/differences.csv")" -gt 1000
check_that compare_nothing_changed_is_exactly_zero awk -F, \
    'NR > 1 { if ($9 != 0 || $10 != 0) bad = 1; n++ } END { exit bad || n == 0 }' "$work/cmp0/differences.csv"
check_that compare_arm_names_are_scenarios grep -q '^nothing_changed,outcome,' "$work/cmp0/differences.csv"
check_that compare_manifest_lists_scenarios grep -q '^scenario_paths,scenarios/baseline;' "$work/cmp0/manifest.csv"

# compare A B --outer N: draw j of every scenario is the same block of replications, and a number
# the scenarios share takes one value in all of them (its stream is keyed by its path). So against
# a variant that changes nothing every draw's difference is exactly 0: no judgment range at all
# (were the draws not shared, the baseline's 158 uncertain numbers would give one) ...
"$NEASIM" compare scenarios/baseline "$work/nothing_changed" --outer 6 --runs 150 --seed 8 --quiet \
    --out "$work/cmpo0" 2>/dev/null
check_that compare_outer_nothing_changed_no_judgment awk -F, 'NR > 1 {
        for (k = 10; k <= 18; k++) if ($k != 0) bad = 1
        if ($6 != 6 || $7 != 150) bad = 1; n++ }
    END { exit bad || n < 40 }' "$work/cmpo0/uncertainty_differences.csv"
check_that compare_outer_briefing_has_judgment grep -q '^arm,outcome,measure,horizon_years,date,baseline_probability,arm_probability,difference_pp,ci_low_pp,ci_high_pp,distinguishable,judgment_q05_pp,judgment_q50_pp,judgment_q95_pp,' "$work/cmpo0/briefing.csv"
# ... and each scenario's arm is its own two-level run, byte for byte: the first's, and a
# variant's whose numbers differ (us-retrenchment changes some uncertain numbers' distributions)
"$NEASIM" compare scenarios/baseline scenarios/us-retrenchment --outer 4 --runs 100 --seed 5 \
    --quiet --out "$work/cmpo1" 2>/dev/null
"$NEASIM" run scenarios/baseline --outer 4 --runs 100 --seed 5 --quiet --out "$work/runo0"
"$NEASIM" run scenarios/us-retrenchment --outer 4 --runs 100 --seed 5 --quiet --out "$work/runo1"
for t in outcomes uncertainty event_counts; do
    for a in baseline:runo0 us_retrenchment:runo1; do
        check_that "compare_outer_arm_${a%%:*}_is_its_run_$t" cmp -s \
            <(grep "^${a%%:*}," "$work/cmpo1/$t.csv" | cut -d, -f2-) <(tail -n +2 "$work/${a#*:}/$t.csv")
    done
done
check_that compare_outer_retrenchment_has_judgment awk -F, '
    NR > 1 && $1 == "us_retrenchment" && $2 == "usfk_reduced" && $4 == 10 { w = $16 - $14 }
    END { exit !(w > 0.05) }' "$work/cmpo1/uncertainty_differences.csv"
"$NEASIM" compare scenarios/baseline scenarios/us-retrenchment --outer 4 --runs 100 --seed 5 \
    --threads 1 --quiet --out "$work/cmpo1t" 2>/dev/null
check_that compare_outer_scenarios_thread_independent diff -r -x manifest.csv "$work/cmpo1" "$work/cmpo1t"
expect compare_outer_scenarios_printed 0 '\[judgment 5-95%: the range of the change over the 4 draws' -- \
    compare scenarios/baseline scenarios/us-retrenchment --outer 4 --runs 50 --seed 5 --out "$work/cmpo2"

# a variant changing one hazard of the two-state chain a <-> b (a>b 2 -> 3 a year, b>a 2 a year,
# start in a): P(in b at t) = l/(l+m) (1 - exp(-(l+m) t)) and P(b reached by t) = 1 - exp(-l t);
# the paired differences within 4 standard errors of the closed forms
variant faster
printf 'factor,from,to,value,unit,source\nf,a,b,3,rate_per_year,faster\n' > "$work/faster/transitions.csv"
"$NEASIM" compare "$base" "$work/faster" --runs 20000 --seed 12 --threads 2 --quiet --out "$work/cmp1"
check_that compare_closed_form awk -F, '
    function p(l, m, t) { return l / (l + m) * (1 - exp(-(l + m) * t)) }
    NR > 1 && $3 == "in_b" && $6 > 0 {
        t = $6
        want = $4 == "holds" ? p(3, 2, t) - p(2, 2, t) : exp(-2 * t) - exp(-3 * t)
        if ($4 != "holds" && $4 != "occurred_by") next
        if (($9 - want) ^ 2 > 16 * $10 ^ 2 || $10 <= 0) { print "off at " $4 " " $5 ": " $9 " vs " want " se " $10; bad = 1 }
        n++
    }
    END { exit bad || n < 40 }' "$work/cmp1/differences.csv"
"$NEASIM" compare "$base" "$work/faster" --runs 20000 --seed 12 --threads 1 --quiet --out "$work/cmp1t"
check_that compare_scenarios_thread_independent diff -r -x manifest.csv "$work/cmp1" "$work/cmp1t"
# arm 0 is the first scenario run alone
"$NEASIM" run "$base" --runs 20000 --seed 12 --quiet --out "$work/run1"
check_that compare_first_arm_is_its_run bash -c \
    "diff <(grep '^two_state,' '$work/cmp1/outcomes.csv' | cut -d, -f2-) <(tail -n +2 '$work/run1/outcomes.csv')"
expect compare_three_scenarios 0 '[12] of 2 other scenarios: no distinguishable difference' -- compare "$base" "$work/faster" "$work/same" --runs 200 --out "$work/cmp3"
check_that compare_three_scenarios_arms grep -q '^same,' "$work/cmp3/arms.csv"

# what must match, refused clearly
rm -rf "$work/later"; cp -r tests/models/two_state "$work/later"
sed -i 's/^name,two_state,/name,later,/; s/^start_date,2025-01-01,/start_date,2025-02-01,/' "$work/later/scenario.csv"
expect compare_different_dates 65 "scenarios 'two_state' and 'later' start on different dates" -- \
    compare "$base" "$work/later" --runs 10 --out "$work/cmpx"
rm -rf "$work/other"; cp -r tests/models/competing "$work/other"
sed -i 's/^name,[a-z_]*,/name,other,/' "$work/other/scenario.csv"
sed -i 's/^start_date,[0-9-]*,/start_date,2025-01-01,/; s/^horizon_years,[0-9.]*,/horizon_years,2,/; /^report_interval_months/d' "$work/other/scenario.csv"
expect compare_different_grids 65 "have 25 and 5 report dates" -- compare "$base" tests/models/competing --runs 10 --out "$work/cmpx"
expect compare_different_factors 65 "scenarios 'two_state' and 'other' (differ in factor|have [0-9]+ and [0-9]+ factors)" -- \
    compare "$base" "$work/other" --runs 10 --out "$work/cmpx"
expect compare_same_name_twice 65 "two scenarios are named 'two_state'" -- \
    compare "$base" tests/models/two_state --runs 10 --out "$work/cmpx"
expect compare_same_name_third 65 "two scenarios are named 'two_state': the arms are named after the scenarios" -- \
    compare "$base" "$work/faster" tests/models/two_state --runs 10 --out "$work/cmpx"
rm -rf "$work/cmpx"
expect compare_same_folder_twice 64 "compare: $base/ is given twice \(scenarios 1 and 3\): give each scenario folder once" -- \
    compare "$base" "$work/faster" "$base/" --runs 10 --out "$work/cmpx"
check_that compare_same_folder_twice_writes_nothing [ ! -e "$work/cmpx" ]
expect compare_scenarios_no_levers 64 "--levers is for the levers of one scenario" -- \
    compare "$base" "$work/faster" --levers all
expect compare_scenarios_no_factorial 64 "--factorial is for the levers of one scenario" -- \
    compare "$base" "$work/faster" --factorial
variant extra_outcome
printf 'outcome,condition,description\nin_a,f=a,x\n' > "$work/extra_outcome/outcomes.csv"
expect compare_common_outcomes_said 0 "1 outcome not in every scenario, left out: in_a \(not in two_state\)" -- \
    compare "$base" "$work/extra_outcome" --runs 100 --out "$work/cmp4"
check_that compare_common_outcomes_only bash -c "! grep -q ',in_a,' '$work/cmp4/differences.csv'"

# scenario.csv's `label`: how a comparison names its scenarios. A base's label names the base, so
# a variant does not inherit it (nor does its resolved scenario.csv hold it); a variant's own wins
rm -rf "$work/lbase"; cp -r tests/models/two_state "$work/lbase"
sed -i 's/^name,two_state,/name,lbase,/' "$work/lbase/scenario.csv"
printf 'label,"Two states, labelled",test\n' >> "$work/lbase/scenario.csv"
variant lvar ../lbase
variant lown ../lbase
printf 'label,Own label,test\n' >> "$work/lown/scenario.csv"
printf 'factor,from,to,value,unit,source\nf,a,b,3,rate_per_year,faster\n' > "$work/lown/transitions.csv"
expect label_check_says_it 0 '^Label: Two states, labelled \(its name where scenarios are compared\)' -- check "$work/lbase"
check_that label_not_inherited_check bash -c "! '$NEASIM' check '$work/lvar' | grep -q '^Label:'"
expect label_own_check 0 '^Label: Own label ' -- check "$work/lown"
"$NEASIM" check "$work/lvar" --resolved "$work/lres" >/dev/null 2>&1
check_that label_not_in_resolved bash -c "! grep -q '^label,' '$work/lres/scenario.csv' && grep -q '^name,lvar,' '$work/lres/scenario.csv'"
check_that label_resolved_same_checksum cmp -s <("$NEASIM" check "$work/lvar" | grep '^Checksum') \
    <("$NEASIM" check "$work/lres" | grep '^Checksum')
expect label_printed_briefing 0 'from zero\)\. The first: Two states, labelled\.$' -- \
    compare "$work/lbase" "$work/lvar" "$work/lown" --runs 2000 --seed 4 --out "$work/cmpl"
check_that label_printed_arm grep -Eq '^  1\. Own label +changes +\+' <("$NEASIM" compare "$work/lbase" \
    "$work/lvar" "$work/lown" --runs 2000 --seed 4 --out "$work/cmpl")
check_that label_rows_first_in_arm_order cmp -s <(tr -d '\r' <"$work/cmpl/labels.csv" | sed -n 2,4p) \
    <(printf '%s\n' 'scenario,lbase,NA,"Two states, labelled",yes,NA,NA' 'scenario,lvar,NA,lvar,no,NA,NA' \
                     'scenario,lown,NA,Own label,yes,NA,NA')
check_that label_arm_label_in_briefing awk -F, 'NR > 1 { n[$1] = $NF; seen[$1 "|" $(NF - 3)]++ }
    END { exit !(seen["lown|Own label"] > 0 && seen["lvar|lvar"] > 0 && !("lbase" in n)) }' \
    <(tr -d '\r' <"$work/cmpl/briefing.csv")
"$NEASIM" run "$work/lbase" --runs 50 --quiet --out "$work/runl"
check_that label_run_row grep -qx 'scenario,lbase,NA,"Two states, labelled",yes,NA,NA' <(tr -d '\r' <"$work/runl/labels.csv")
check_that compare_left_out_in_manifest grep -q '^outcomes_left_out,in_a (not in two_state)' "$work/cmp4/manifest.csv"

# the shipped what-if nuclear-test-2027 (a patch of the baseline with one calendar row
# event:nuclear_tests on 2027-09-01): against the baseline on common random numbers the two are the
# same path up to that day, so at 2027-09-01 every replication has exactly one more test (mean +1,
# same sd, P(at least one) = 1), and the printed table names the arm by its scenario's label
expect nuclear_test_2027_compare 0 '1\. Nuclear test in September 2027 ' -- compare scenarios/baseline scenarios/nuclear-test-2027 --runs 400 --seed 5 --out "$work/nt27"
check_that nuclear_test_2027_one_more_test awk -F, '
    $4 == "nuclear_tests" && $5 == "cumulative" && $2 == "2027-09-01" { m[$1] = $6; sd[$1] = $7; p[$1] = $14 + 0 }
    END { d = m["nuclear_test_2027"] - m["baseline"] - 1
          ok = d * d < 1e-18 && sd["nuclear_test_2027"] == sd["baseline"] && p["nuclear_test_2027"] + 0 == 1
          exit ok ? 0 : 1 }' "$work/nt27/event_counts.csv"
check_that nuclear_test_2027_same_before awk -F, '
    $4 == "nuclear_tests" && $5 == "cumulative" && $2 == "2027-08-01" { m[$1] = $6 }
    END { exit m["nuclear_test_2027"] == m["baseline"] && m["baseline"] != "" ? 0 : 1 }' "$work/nt27/event_counts.csv"
check_that nuclear_test_2027_arm_label grep -q ',Nuclear test in September 2027,lower,' "$work/nt27/briefing.csv"

# ---- a row added by a typo of a base row's key: a warning, the row still added
# (the base's levers are faster, null, later, slow_back; its factor f has levels a, b)
variant typo
printf 'lever,target,operation,value,from_date,description,source\nfastre,transitions:f:a>b,multiply,3,,typo,test\n' > "$work/typo/levers.csv"
expect typo_warns 0 "typo/levers.csv:2:1: warning: this row adds 'fastre' to the base's levers.csv, which has 'faster' \(line 2\): a typo\?" -- check "$work/typo"
variant numbered
printf 'lever,target,operation,value,from_date,description,source\nlater2,transitions:f:a>b,multiply,3,,a second later,test\n' > "$work/numbered/levers.csv"
check_that names_that_differ_in_digits_are_not_typos eval '! "$NEASIM" check "$work/numbered" 2>&1 | grep -q warning'
variant short
printf 'factor,level,initial,source\nf,c,0,a new level\n' > "$work/short/factors.csv"
printf 'factor,from,to,value,unit,source\nf,b,c,1,rate_per_year,test\n' > "$work/short/transitions.csv"
check_that a_new_short_name_is_not_a_typo eval '! "$NEASIM" check "$work/short" 2>&1 | grep -q warning'

# ---- a variant that gives a base's effect (by id) conditions the base has not: the columns are
# the union, the base's other rows read them as empty, and the replaced row has them
rm -rf "$work/ewbase" && cp -r tests/models/effect_when "$work/ewbase"
printf 'id,trigger,probability,action,source\nin_a,shock,1,event:in_a,no when here\nin_b,shock,1,event:in_b,no when\n' \
    > "$work/ewbase/effects.csv"
variant ewvar ../ewbase
printf 'id,trigger,when,probability,when_due,action,source\nin_a,shock,f=a,1,,event:in_a,a when added\n' \
    > "$work/ewvar/effects.csv"
expect ewvar_check_when 0 '^  in_a \(row 1\) +on shock, p=1, delay 0 days \(fixed\) -> event:in_a  when f=a$' -- check "$work/ewvar"
expect ewvar_base_row_plain 0 '^  in_b \(row 2\) +on shock, p=1, delay 0 days \(fixed\) -> event:in_b$' -- check "$work/ewvar"
"$NEASIM" check "$work/ewvar" --resolved "$work/ewres" >/dev/null 2>&1
check_that ewvar_resolved_columns grep -qx 'id,trigger,when,probability,when_due,action,source' <(head -1 "$work/ewres/effects.csv" | tr -d '\r')

cli_done inherit
