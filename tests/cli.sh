#!/usr/bin/env bash
# CLI cases: exit codes and messages of `neasim` for good and bad input, end-to-end runs of every
# shipped scenario, byte-identical results across thread counts, and the guarantee that a failed
# run leaves the results folder untouched.
# Usage: tests/cli.sh BUILD_DIR   (from the project root)
set -u
source "$(dirname "$0")/cli-lib.sh"

# --- usage and help
expect "no arguments" 64 "Usage: neasim" --
expect "help" 0 "Commands:" -- --help
expect "version" 0 "^neasim [0-9]" -- --version
expect "run help" 0 "Usage: neasim run" -- run --help
expect "run version" 0 "^neasim [0-9]" -- run --version
expect "check help" 0 "Usage: neasim check" -- check --help
expect "check version" 0 "^neasim [0-9]" -- check --version
# every command takes --version, and says what neasim --version says (commit and generator)
v=$("$NEASIM" --version)
for c in run compare sweep merge check trace score discover; do
    check_that "$c --version is neasim --version" test "$("$NEASIM" $c --version)" = "$v"
done
check_that "neasim --version names the commit and the generator" \
    grep -Eq '^neasim [0-9.]+ \(commit [0-9a-f]+(-dirty)?; generator philox4x32-10\)$' <<<"$v"
# ... and the commit the build recorded, as manifest.csv does: an object that compiles the commit
# in but was not rebuilt when it changed named an older one after a pull (the Makefile's list of
# them was written by hand and went stale)
stamp=$(cat "$(dirname "$NEASIM")/commit.stamp" 2>/dev/null || echo "no commit.stamp")
"$NEASIM" run tests/models/two_state --runs 10 --out "$work/commit" --quiet
check_that "--version names the commit of the build ($stamp)" grep -q "(commit $stamp;" <<<"$v"
check_that "manifest.csv names the commit of the build" grep -q "^git_commit,$stamp\b" "$work/commit/manifest.csv"
expect "unknown command" 64 "unknown command 'frobnicate'" -- frobnicate
expect "unknown option" 64 "unknown option '--fast'" -- run tests/models/two_state --fast
expect "bad runs" 64 "--runs expects a whole number" -- run tests/models/two_state --runs 12x
expect "zero runs" 64 "--runs expects a whole number" -- run tests/models/two_state --runs 0
expect "negative seed" 64 "--seed expects a whole number" -- run tests/models/two_state --seed -1
# a refused option value is said as every other usage error: the command, then where its help is
expect "a bad value names its command" 64 "^neasim sweep: --lhs expects a whole number from 2" -- \
    sweep tests/models/uncertain --lhs 0
expect "a bad value points to the command's help" 64 "^Try 'neasim sweep --help'" -- \
    sweep tests/models/uncertain --lhs 0
expect "a bad --shard names its command" 64 "^neasim run: --shard expects I/N" -- \
    run tests/models/two_state --shard 0/3 --out "$work/x"
expect "a bad --precision names its command" 64 "^neasim compare: --precision expects" -- \
    compare tests/models/two_state --levers faster --precision 2
expect "missing value" 64 "needs a value" -- run tests/models/two_state --runs
expect "no scenario" 64 "which scenario" -- run
expect "missing folder" 66 "no-such-folder" -- check "$work/no-such-folder"

# --- bad input: each gets file:line:column and exit 65, and leaves results alone
bad unknown_level transitions.csv 's/^f,a,b,2/f,a,bb,2/' "transitions.csv:2:[0-9]+: error: .*'bb'"
bad unknown_factor transitions.csv 's/^f,a,b,2/g,a,b,2/' "transitions.csv:2:1: error: .*'g'"
bad duplicate_level factors.csv 's/^f,b,0,test/f,a,0,test/' "factors.csv:3:3: error: level .a. of factor .f. is defined twice \(first at line 2\): remove one of the two rows, or merge them into one$"
# scenario.csv's numbers are named by their key, not by the column 'value' they are in
bad interval_not_whole scenario.csv '$a report_interval_months,0.5,x' \
    "scenario.csv:6:24: error: report_interval_months '0.5' is not a whole number: write one from 1 to 120$"
bad horizon_not_a_number scenario.csv 's/^horizon_years,2,/horizon_years,two,/' \
    "scenario.csv:5:15: error: 'two' is not a number \(horizon_years needs a number such as 0.25 or 1e-3\)$"
# value and unit swapped: said so (only "unknown unit '2'" before)
bad value_and_unit_swapped transitions.csv 's/^f,a,b,2,rate_per_year,/f,a,b,rate_per_year,2,/' \
    "transitions.csv:2:21: error: unknown unit '2': the value and unit cells look swapped \(value holds the unit rate_per_year\): write ...,2,rate_per_year,...$"
# a one-off date after the horizon: the last date within it, or the horizon_years that takes it in
bad date_after_the_horizon calendar.csv 'write:name,date,repeat_years,until,when,action,source\nlaw,2028-05-01,,,,f=b,x\n' \
    "calendar.csv:2:5: error: date 2028-05-01 is after the end of the horizon \(2027-01-01\): move it to 2027-01-01 or earlier, or set horizon_years to 4 in scenario.csv \(the horizon then ends on 2029-01-01\)$"
bad date_far_after_the_horizon calendar.csv 'write:name,date,repeat_years,until,when,action,source\nlaw,2228-05-01,,,,f=b,x\n' \
    "calendar.csv:2:5: error: date 2228-05-01 is after the end of the horizon \(2027-01-01\): move it to 2027-01-01 or earlier$"
# a calendar series that stops long before the end warns (a lengthened horizon leaves elections
# written a row a date behind), at the series' last date; a next date due within an eighth of the
# spacing of the end is not missing (weekday rules move dates by days), and so is no warning;
# nor are dates less than a year apart, or spaced unlike a schedule
d="$work/series_stops"; rm -rf "$d"; cp -r tests/models/two_state "$d"
sed -i 's/^horizon_years,2,/horizon_years,10,/' "$d/scenario.csv"
printf 'name,date,repeat_years,until,when,action,source\ne1,2025-06-01,,,,f=b,x\ne2,2027-06-01,,,,f=b,x\nother,2025-07-01,,,,f=a,x\n' >"$d/calendar.csv"
expect calendar_series_stops_warns 0 "^$d/calendar.csv:3:4: warning: 'f=b' is on 2 dates, 2025-06-01 to 2027-06-01, about every 2 years, and then stops, though the horizon runs to 2035-01-01 \(the next would be about 2029-05-31\): if it should go on, add its later dates" -- check "$d"
"$NEASIM" check "$d" >"$work/series.txt" 2>&1
check_that calendar_series_stops_one_warning test "$(grep -c ': warning:' "$work/series.txt")" = 1
printf 'name,date,repeat_years,until,when,action,source\nyearly,2025-03-01,1,2026-12-31,,f=b,x\n' >"$d/calendar.csv"
expect calendar_series_until_warns 0 "^$d/calendar.csv:2:8: warning: 'f=b' is on 2 dates, 2025-03-01 to 2026-03-01, about every year, and then stops" -- check "$d"
sed -i 's/^horizon_years,10,/horizon_years,4,/' "$d/scenario.csv"
printf 'name,date,repeat_years,until,when,action,source\ne1,2025-01-01,,,,f=b,x\ne2,2026-12-01,,,,f=b,x\n' >"$d/calendar.csv"
"$NEASIM" check "$d" >"$work/series.txt" 2>&1; rc=$?
check_all calendar_series_next_within_the_spare "[ $rc = 0 ] && ! grep -q ': warning:' '$work/series.txt'"
printf 'name,date,repeat_years,until,when,action,source\ne1,2025-01-01,,,,f=b,x\ne2,2025-07-01,,,,f=b,x\n' >"$d/calendar.csv"
"$NEASIM" check "$d" >"$work/series.txt" 2>&1; rc=$?
check_all calendar_series_months_apart_none "[ $rc = 0 ] && ! grep -q ': warning:' '$work/series.txt'"
printf 'name,date,repeat_years,until,when,action,source\ne1,2025-01-01,,,,f=b,x\ne2,2026-01-01,,,,f=b,x\ne3,2028-01-01,,,,f=b,x\n' >"$d/calendar.csv"
sed -i 's/^horizon_years,4,/horizon_years,10,/' "$d/scenario.csv"
"$NEASIM" check "$d" >"$work/series.txt" 2>&1; rc=$?
check_all calendar_series_unevenly_spaced_none "[ $rc = 0 ] && ! grep -q ': warning:' '$work/series.txt'"
# a results folder records how many warnings its scenario gave, --quiet or not (none printed)
sed -i 's/^horizon_years,10,/horizon_years,4,/' "$d/scenario.csv"
printf 'name,date,repeat_years,until,when,action,source\ne1,2025-03-01,,,,f=b,x\ne2,2026-03-01,,,,f=b,x\nc,2025-06-01,,,f=a,f=a,x\n' >"$d/calendar.csv"
"$NEASIM" run "$d" --runs 10 --quiet --out "$work/warned" >"$work/warned.txt" 2>&1; rc=$?
check_all manifest_scenario_warnings "[ $rc = 0 ] && [ ! -s '$work/warned.txt' ] && grep -q '^scenario_warnings,2.\?$' '$work/warned/manifest.csv'"
"$NEASIM" run tests/models/two_state --runs 10 --quiet --out "$work/unwarned" >/dev/null 2>&1
check_all manifest_scenario_warnings_none "grep -q '^scenario_warnings,0.\?$' '$work/unwarned/manifest.csv'"
"$NEASIM" check scenarios/baseline >"$work/series.txt" 2>&1; rc=$?
check_all calendar_series_baseline_none "[ $rc = 0 ] && ! grep -q ': warning:' '$work/series.txt'"
# check lists the calendar by the dates the rows wrote (it gave years alone, "t=  1.446 y"), the
# names in one column however long (the longest overran it)
expect check_calendar_dates 0 '^  2028-04-12  t=  1\.446 y  rok_general_election_2028 +draw:rok_general_election$' -- check scenarios/baseline
expect check_calendar_long_name 0 '^  2030-03-27  t=  3\.400 y  rok_regular_presidential_election {2,}draw:rok_regular_election$' -- check scenarios/baseline
# check gives each outcome's label and good direction under it, where any (the cells a briefing
# reads them by), and nothing more for an outcome without either; and the labels of factors,
# events and levers beside their names
expect check_outcome_label 0 '^    “U\.S\.-ROK alliance in crisis”, lower is better$' -- check scenarios/baseline
"$NEASIM" check tests/models/onset >"$work/outcomes.txt" 2>&1; rc=$?
check_all check_outcome_no_label "[ $rc = 0 ] && grep -A1 '^  f_b_state ' '$work/outcomes.txt' | tail -1 | grep -q '^  g_y '"
expect check_factor_label 0 '^  us_alliance_posture \(“Washington”\): transactional alliance_first   \(initial: transactional 1\)$' -- check scenarios/baseline
expect check_event_label 0 '^  icbm_launches \(“DPRK ICBM launches”\) +0\.2 per year$' -- check scenarios/baseline
expect check_lever_label 0 '^  equitable_burden_sharing \(“Equitable burden sharing”\): Burden sharing re-evaluated' -- check scenarios/baseline
# check marks initial shares that each replication draws: the shares shown are their means
d="$work/initial_drawn"; rm -rf "$d"; cp -r tests/models/two_state "$d"
expect check_initial_fixed 0 '^  f: a b +\(initial: a 1\)$' -- check "$d"
"$NEASIM" check "$d" >"$work/initial.txt" 2>&1
check_all check_initial_fixed_no_legend "grep -q '^Factors (1):$' '$work/initial.txt'"
printf 'factor,level,initial,source\nf,a,"uniform(0.2,0.4)",test\nf,b,0.7,test\n' >"$d/factors.csv"
expect check_initial_drawn 0 '^  f: a b +\(initial, drawn; means: a 0\.3 b 0\.7\)$' -- check "$d"
expect check_initial_drawn_legend 0 "^Factors \(1; initial shares 'drawn': each replication draws its own, and the shares shown are their means" -- check "$d"
# uniform(b,a) is answered with the order to write (only "uniform needs a < b" before)
bad uniform_reversed transitions.csv 's/^f,a,b,2,/f,a,b,"uniform(3,1)",/' \
    "transitions.csv:2:18: error: uniform needs a < b: write uniform\(1,3\), the low end first$"
# a number written with a unit after it, or with a multiplication sign: write the number alone
bad horizon_with_a_unit scenario.csv 's/^horizon_years,2,/horizon_years,6 years,/' \
    "scenario.csv:5:15: error: horizon_years '6 years' is not a number: write the number alone, 6, without 'years'$"
bad multiplier_with_x modifiers.csv 'write:id,target,condition,multiplier,source\n,f:a>b,f=a,x2.5,x\n' \
    "modifiers.csv:2:12: error: multiplier 'x2.5' is not a number: write the number alone, 2.5, without 'x'$"
# ... or with the sign after it, as it is said ("2.5x"), or the unit glued on ("6years")
bad multiplier_with_x_after modifiers.csv 'write:id,target,condition,multiplier,source\n,f:a>b,f=a,2.5x,x\n' \
    "modifiers.csv:2:12: error: multiplier '2.5x' is not a number: write the number alone, 2.5, without 'x'$"
bad horizon_with_a_glued_unit scenario.csv 's/^horizon_years,2,/horizon_years,6years,/' \
    "scenario.csv:5:15: error: horizon_years '6years' is not a number: write the number alone, 6, without 'years'$"
bad lever_value_with_x levers.csv 's/^faster,transitions:f:a>b,multiply,1.5,/faster,transitions:f:a>b,multiply,x1.5,/' \
    "levers.csv:2:35: error: value 'x1.5' is not a number: write the number alone, 1.5, without 'x'$"
# a probability set to 80 by a lever is answered as in factors.csv: 80% is written 0.8 (the
# message stopped at "not 80" before)
bad lever_percent levers.csv '$a green_start,factors:f:b,set,80,,x,test' \
    "levers.csv:6:29: error: lever 'green_start' on factors:f:b: a probability must be between 0 and 1, not 80: a percentage is written as a fraction \(80% is 0.8\)$"
# a row given twice: the message says which to do (it stopped at "(first at line 2)" before)
bad duplicate_transition transitions.csv '$a f,a,b,3,rate_per_year,x' \
    "transitions.csv:4:1: error: transition f:a>b is given twice \(first at line 2\): remove one of the two rows, or merge them into one$"
bad duplicate_key scenario.csv '$a horizon_years,3,x' \
    "scenario.csv:6:1: error: key 'horizon_years' is given twice \(first at line 5\): remove one of the two rows, keeping the value you mean$"
bad duplicate_outcome outcomes.csv '$a in_b,f=a,x' \
    "outcomes.csv:3:1: error: outcome 'in_b' is defined twice \(first at line 2\): remove one of the two rows, or merge them into one, or rename one$"
bad duplicate_event events.csv 'write:event,rate_per_year,dispersion,redraw_months,source\nping,1,,,x\nping,2,,,x\n' \
    "events.csv:3:1: error: event 'ping' is defined twice \(first at line 2\): remove one of the two rows, or merge them into one, or rename one$"
bad duplicate_calendar_entry calendar.csv 'write:name,date,repeat_years,until,when,action,source\nlaw,2025-06-01,,,,f=b,x\nlaw,2025-07-01,,,,f=a,x\n' \
    "calendar.csv:3:1: error: calendar entry 'law' is defined twice \(first at line 2\): names are unique; rename one of the two, or remove one$"
bad missing_column transitions.csv 's/,unit,source/,source/' "transitions.csv:1:[0-9]+: error: .*unit"
bad extra_column factors.csv 's/^factor,level,initial,source/factor,level,initial,source,colour/' "factors.csv:1:[0-9]+: error: .*colour"
# A sum that is not 1 lists its terms with their lines; a distribution's name in capitals or in
# square brackets is answered with how to write it
bad initial_sum factors.csv 's/^f,a,1,test/f,a,0.9,test/' \
    "factors.csv:2:5: error: the initial probabilities of factor 'f' sum to 0.9, not 1: a 0.9 \(line 2\) \+ b 0 \(line 3\); change them so that they sum to 1"
bad dist_caps transitions.csv 's/^f,a,b,2,rate_per_year/f,a,b,PERT(1;2;3),rate_per_year/; s/;/,/g; s/PERT(1,2,3)/"PERT(1,2,3)"/' \
    "transitions.csv:2:7: error: unknown distribution 'PERT'; did you mean 'pert'\? \(distribution names are lower case\)"
bad dist_square transitions.csv 's/^f,a,b,2,rate_per_year/f,a,b,"pert[1,2,3]",rate_per_year/' \
    "transitions.csv:2:7: error: 'pert\[1,2,3\]' is not a number: a distribution takes round brackets, as in pert\(0.1,0.2,0.4\)"
bad invisible_name outcomes.csv 'write:outcome,condition,description\nin\xc2\xa0b,f=b,x\n' \
    "outcomes.csv:2:3: error: outcome name 'in.*b' holds an invisible character \(U\+00A0\) here: delete it and type the name again"
expect "an effect loop names the effects it runs through" 70 \
    "loop of zero-delay effects \(among effects:1, effects:2: the zero-delay effects it sets off" -- \
    run tests/models/loop --runs 10 --quiet --out "$work/loop"

# A condition that can never hold, or written in a way that reads otherwise, is refused with how
# to write it (tests/models/two_state's outcome in_b is f=b)
bad cond_clash outcomes.csv 's/^in_b,f=b,/in_b,f=a \& f=b,/' \
    "outcomes.csv:2:12: error: clauses 1 and 2 on f leave no level of it, so the condition can never hold \(to mean either, write f=a\|b\)"
bad cond_none outcomes.csv 's/^in_b,f=b,/in_b,f!=a|b,/' \
    "outcomes.csv:2:6: error: 'f!=...' names every level of f, so the condition can never hold"
bad cond_bang outcomes.csv 's/^in_b,f=b,/in_b,!f=a,/' \
    "outcomes.csv:2:6: error: '!' goes before the '=': write f!=level"
bad cond_or_factor_as_level outcomes.csv 's/^in_b,f=b,/in_b,f=a|f,/' \
    "outcomes.csv:2:10: error: 'f' is a factor, not a level of f: '\|' followed by a level joins levels of one factor \(f=a\|b\), followed by a clause it says 'or' across factors \(f=a \| f=level\)"
bad misspelt_column factors.csv 's/^factor,level,initial/factor,level,inital/' "factors.csv:1:[0-9]+: error: .*did you mean 'initial'"
bad probability_above_one factors.csv 's/^f,a,1,test/f,a,1.5,test/' "factors.csv:2:[0-9]+: error: "
bad initial_not_summing factors.csv 's/^f,b,0,test/f,b,0.2,test/' "factors.csv:[23]:[0-9]+: error: .*sum"
bad negative_rate transitions.csv 's/^f,a,b,2/f,a,b,-2/' "transitions.csv:2:[0-9]+: error: .*-2"
bad nonfinite_rate transitions.csv 's/^f,a,b,2/f,a,b,inf/' "transitions.csv:2:[0-9]+: error: "
bad not_a_number transitions.csv 's/^f,a,b,2/f,a,b,"1,5"/' "transitions.csv:2:[0-9]+: error: .*1,5"
bad bad_unit transitions.csv 's/rate_per_year,test: lambda/per_year,test: lambda/' "transitions.csv:2:[0-9]+: error: .*per_year"
# mistakes a newcomer makes, each refused with the fix
bad key_extends_misspelt scenario.csv '$a extend,../base,x' \
    "scenario.csv:6:1: error: unknown key 'extend'; did you mean 'extends'\? \(the keys are .*description and extends"
bad cond_double_equals outcomes.csv 's/^in_b,f=b,/in_b,f==b,/' \
    "outcomes.csv:2:7: error: write one '=' in a condition \(factor=level\), not '=='"
bad annual_probability_percent transitions.csv 's/^f,a,b,2,rate_per_year/f,a,b,10,annual_probability/' \
    "transitions.csv:2:7: error: annual_probability '10' must be below 1: a percentage is written as a fraction \(10% is 0.1\)"
bad initial_percent factors.csv 's/^f,a,1,test/f,a,100,test/' \
    "factors.csv:2:5: error: initial '100' is not a probability: .*a percentage is written as a fraction \(100% is 1\)"
bad repeat_years_decimal calendar.csv 'write:name,date,repeat_years,action,source\nvote,2025-06-01,4.0,f=b,x\n' \
    "calendar.csv:2:17: error: repeat_years '4.0' is not a whole number written with digits only: write 4"
bad bad_date scenario.csv 's/2025-01-01/2025-02-30/' "scenario.csv:4:[0-9]+: error: .*2025-02-30"
bad slash_date scenario.csv 's/2025-01-01/1\/1\/2025/' "scenario.csv:4:[0-9]+: error: .*1/1/2025"
bad unterminated_quote factors.csv 's/^f,b,0,test/f,b,0,"test/' "factors.csv:3:[0-9]+: error: .*quote"
bad empty_file factors.csv 'write:' "factors.csv.*empty"
bad binary_file factors.csv 'write:\x00\x01\x02binary' "factors.csv.*(binary|UTF-8|NUL)"
bad missing_table factors.csv delete "factors.csv"
bad calendar_outside_horizon calendar.csv 'write:name,date,repeat_years,until,action,source\nlate,2031-01-01,,,f=b,test\n' "calendar.csv:2:[0-9]+: error: .*2031-01-01"
bad unknown_level_hint outcomes.csv 's/f=b/f=bee/' "outcomes.csv:2:[0-9]+: error: .*'bee'"
# the words of another language in a condition are said as they are (an unknown level 'b and f=a'
# before)
bad cond_word_and outcomes.csv 's/^in_b,f=b,/in_b,f=b and f=a,/' \
    "outcomes.csv:2:10: error: 'and' is not a word of conditions: join clauses with '&' \(f=a & g=b\)$"
# a comma that shifts the cells of a row whose last cell is empty: a warning, and an error at a
# shifted cell says that a comma may be the cause (an unknown occurrence alone before)
bad comma_shifts_cells outcomes.csv 'write:outcome,condition,description,occurrence\nin_b,f=b,in b, now,\n' \
    "outcomes.csv:2:16: error: unknown occurrence 'now'.*\(this row has 5 cells and the header 4: the empty cells at its end were ignored, but if a value before this cell holds a comma, put that value in quotes\)$"
rm -rf "$work/wide" && cp -r tests/models/two_state "$work/wide"
printf 'outcome,condition,description,label\nin_b,f=b,the chain, in b,\n' > "$work/wide/outcomes.csv"
expect "a row wider than its header: a warning" 0 \
    "wide/outcomes.csv:2:26: warning: this row has 5 cells and the header 4; the empty cells at its end are ignored, but if a value of the row holds a comma, put that value in quotes" -- \
    check "$work/wide"
# a target's form in an action: the action to write ("not factor=level, draw:name or event:name")
bad action_with_colon calendar.csv 'write:name,date,repeat_years,until,when,action,source\nlaw,2025-06-01,,,,f:b,x\n' \
    "calendar.csv:2:19: error: action 'f:b': an action sets a level with '=': write 'f=b'$"

# --- a runtime error: exit 70, nothing written
expect "effect loop" 70 "loop of zero-delay effects" -- run tests/models/loop --runs 100 --quiet --out "$work/loop"
[ ! -e "$work/loop" ] && pass=$((pass + 1)) || { echo "FAIL effect loop wrote $work/loop"; fail=$((fail + 1)); }

# --- refusing to replace a folder neasim did not write
mkdir -p "$work/precious"; echo keep > "$work/precious/notes.txt"
expect "foreign folder" 73 "not a neasim results folder" -- run tests/models/two_state --runs 10 --out "$work/precious"
[ "$(cat "$work/precious/notes.txt")" = keep ] && pass=$((pass + 1)) || { echo "FAIL foreign folder touched"; fail=$((fail + 1)); }

# --- check: a transition written as mean_years or annual_probability shows, beside its rate, the
# number as written, which is what "Uncertain numbers" gives the mean of (the rate 2.179 of a
# mean_years pert read against "mean 0.4589" unexplained before)
cp -r tests/models/two_state "$work/units" && rm "$work/units/levers.csv"
sed -i 's/^f,a,b,[^,]*,rate_per_year,/f,a,b,"pert(0.25,0.5,0.75)",mean_years,/; s/^f,b,a,[^,]*,mean_years,/f,b,a,0.25,annual_probability,/' "$work/units/transitions.csv"
expect "check: a mean_years row as written" 0 "f:a>b +2 +\(mean_years 0.5\)" -- check "$work/units"
expect "check: an annual_probability row as written" 0 "f:b>a +0.2877 +\(annual_probability 0.25\)" -- check "$work/units"
expect "check: the report interval in words (\"every 1 month(s)\" before)" 0 "reports every month: 121 report dates" -- check scenarios/baseline
expect "check: ... and in months" 0 "reports every 12 months: 6 report dates" -- check scenarios/backtest-2017
# every count and amount check prints is singular for exactly one ("1 occurrences" before)
expect "check: 1 occurrence" 0 "Calendar \(1 occurrence within the horizon; date, then years from the start\)" -- check tests/models/deadline
cp -r tests/models/delay "$work/one_day" && sed -i 's/,182.625,/,1,/' "$work/one_day/effects.csv"
expect "check: a delay of 1 day" 0 "delay 1 day \(fixed\)" -- check "$work/one_day"
cp -r tests/models/counts "$work/one_month" && sed -i 's/^negbin,10,2,12,/negbin,10,2,1,/' "$work/one_month/events.csv"
expect "check: redrawn every 1 month" 0 "redrawn every 1 month$" -- check "$work/one_month"
expect "check: ... the number Uncertain numbers gives the mean of" 0 "transitions:f:a>b +pert\(0.25,0.5,0.75\) +mean 0.5" -- check "$work/units"

# --- every shipped scenario checks and runs; results are byte-identical across thread counts
for s in scenarios/*/; do
    s=${s%/}
    [ -f "$s/scenario.csv" ] || continue
    name=$(basename "$s")
    expect "check $name" 0 "valid scenario" -- check "$s"
    for t in 1 2 4; do
        expect "run $name ($t threads)" 0 "" -- run "$s" --runs 2000 --seed 7 --threads "$t" --quiet --out "$work/$name-$t"
    done
    if [ -f "$s/levers.csv" ]; then
        expect "compare $name" 0 "" -- compare "$s" --levers all --runs 1000 --seed 7 --quiet --out "$work/$name-compare"
    fi
    for t in 2 4; do
        for f in state_probabilities outcomes first_occurrence event_counts; do
            if cmp -s "$work/$name-1/$f.csv" "$work/$name-$t/$f.csv"; then pass=$((pass + 1)); else
                echo "FAIL $name: $f.csv differs between 1 and $t threads"; fail=$((fail + 1)); fi
        done
    done
    grep -q '^generator,philox4x32-10' "$work/$name-1/manifest.csv" && pass=$((pass + 1)) || { echo "FAIL $name: manifest lacks the generator"; fail=$((fail + 1)); }
done

# --- compare: usage, lever errors, the baseline arm equals run, thread invariance
expect "compare help" 0 "Usage: neasim compare" -- compare --help
expect "compare without levers" 64 "which levers" -- compare tests/models/two_state
expect "compare unknown lever" 64 "no lever 'fastr'; did you mean 'faster'" -- compare tests/models/two_state --levers fastr --quiet
expect "compare bad horizons" 64 "--horizons expects" -- compare tests/models/two_state --levers faster --horizons 2,x
# A table under a name close to its own is not read: neasim warns, with the name to give it
rm -rf "$work/near" && cp -r tests/models/paths "$work/near" && mv "$work/near/levers.csv" "$work/near/Levers.csv"
cp "$work/near/outcomes.csv" "$work/near/outcome.csv" && rm "$work/near/outcomes.csv"
expect "Levers.csv: a warning, with the lower-case name" 0 \
    "near/Levers.csv: warning: not a table neasim reads, so it is ignored; did you mean levers.csv\? \(table names are lower case\)" -- \
    check "$work/near"
expect "outcome.csv: a warning, with the table's name" 0 \
    "near/outcome.csv: warning: not a table neasim reads, so it is ignored; did you mean outcomes.csv\?$" -- \
    check "$work/near"
# A change that matches no transition: the message lists the transitions of its factor (it named
# only the change before), the first six and how many more
d="$work/nomatch"; rm -rf "$d"; cp -r tests/models/two_state "$d"; echo "f,c,0,test" >> "$d/factors.csv"
sed -i 's/^faster,transitions:f:a>b,/faster,transitions:f:a>c,/' "$d/levers.csv"
expect "a lever's transition that does not exist: the factor's transitions" 65 \
    "nomatch/levers.csv:2:20: error: no transition of transitions.csv matches 'f:a>c'; the transitions of f are f:a>b and f:b>a$" -- check "$d"
cp tests/models/two_state/levers.csv "$d/levers.csv"
printf 'id,target,condition,multiplier,source\n,f:a>c,f=a,2,x\n' > "$d/modifiers.csv"
expect "a modifier's target that does not exist: the factor's transitions" 65 \
    "nomatch/modifiers.csv:2:2: error: target 'f:a>c' matches no transition of transitions.csv; the transitions of f are f:a>b and f:b>a$" -- check "$d"
printf 'factor,level,initial,source\nf,a,1,t\nf,b,0,t\nf,c,0,t\nf,d,0,t\nf,e,0,t\n' > "$d/factors.csv"
printf 'factor,from,to,value,unit,source\nf,a,b,1,rate_per_year,t\nf,b,c,1,rate_per_year,t\nf,c,d,1,rate_per_year,t\nf,d,e,1,rate_per_year,t\nf,e,a,1,rate_per_year,t\nf,b,a,1,rate_per_year,t\nf,c,a,1,rate_per_year,t\nf,d,a,1,rate_per_year,t\n' > "$d/transitions.csv"
expect "... six of them, and how many more" 65 \
    "error: target 'f:a>c' matches no transition of transitions.csv; the transitions of f are f:a>b, f:b>c, f:c>d, f:d>e, f:e>a, f:b>a and 2 more \(neasim check lists them\)$" -- check "$d"
# A modifier whose condition excludes the level its target moves from never applies: a warning at
# the condition (accepted without a word before), and the scenario stays valid and runs
d="$work/never"; rm -rf "$d"; cp -r tests/models/two_state "$d"
printf 'id,target,condition,multiplier,source\n,f:a>b,f=b,2,x\n,f:*>b,f!=a,2,x\n,f:*>*,f=b,2,x\n' > "$d/modifiers.csv"
expect "a modifier that never holds: a warning at its condition" 0 \
    "never/modifiers.csv:2:8: warning: condition 'f=b' never holds while the target f:a>b can happen \(f is then a\), so this row changes nothing: .*write the condition on other factors, or correct the target" -- \
    check "$d"
expect "... with a wildcard target" 0 "never/modifiers.csv:3:8: warning: condition 'f!=a' never holds while the target f:\*>b" -- check "$d"
check_that "... but not when one transition of the target can meet it (f:*>* while f=b)" \
    eval '! "$NEASIM" check "$d" 2>&1 | grep -q "modifiers.csv:4:.*warning"'
expect "... and the scenario runs" 0 "" -- run "$d" --runs 10 --quiet --out "$work/never-out"
check_that "other CSV files of a scenario folder (a backtest's observed.csv) are left alone" \
    eval '! "$NEASIM" check scenarios/backtest-2019 2>&1 | grep -q warning'

# --horizons: each a report date within the horizon, given once; sorted. tests/models/two_state
# runs 2 years with monthly reports; tests/models/given 1 year with a report every 6 months.
expect "horizons beyond the horizon are refused" 64 \
    "--horizons: 30 years is beyond the horizon of two_state \(2 years, to 2027-01-01\): give years from above 0 to 2" -- \
    compare tests/models/two_state --levers faster --horizons 1,30 --out "$work/hz"
expect "a horizon between report dates is refused, with the two beside it" 64 \
    "--horizons: 0.7 years falls between the report dates of given \(one every 6 months from 2025-01-01\): give 0.5 or 1, say" -- \
    run tests/models/given --horizons 0.7 --out "$work/hz"
expect "a horizon before the first report date is refused" 64 \
    "--horizons: 0.25 years comes before the first report date of given .*: give 0.5 or more" -- \
    run tests/models/given --horizons 0.25 --out "$work/hz"
expect "a horizon given twice is refused" 64 "--horizons: 1 years is given twice" -- \
    sweep tests/models/uncertain --oat --horizons 1,2,1 --out "$work/hz"
check_that "nothing was written for a refused --horizons" test ! -e "$work/hz"
expect "run --horizons sets the summary's dates, sorted" 0 \
    "^outcome +2025-07-01 +2025-10-01 +2027-01-01 *$" -- \
    run tests/models/two_state --runs 200 --horizons 2,0.75,0.5 --out "$work/hz-run"
# The summary says what its numbers are before its columns of dates: "by each date", and what the
# parenthesised interval measures (the runs' precision, not the judgments': --outer for those)
"$NEASIM" run tests/models/two_state --runs 200 --out "$work/hz-head" > "$work/hz-head.txt"
check_that "run's summary says its columns are dates and its parentheses the Monte Carlo interval" \
    grep -qz 'occurred by each date (in parentheses, its 95%.Monte Carlo interval: how precisely the runs pin it down, not how much it depends.on the judgments; for that, --outer):.outcome' "$work/hz-head.txt"
"$NEASIM" compare tests/models/two_state --levers faster --runs 200 --horizons 1.5,0.5 --quiet \
    --out "$work/hz-cmp"
check_that "compare --horizons 1.5,0.5: the briefing's rows at 0.5 then 1.5 years" \
    test "$(tail -n +2 "$work/hz-cmp/briefing.csv" | cut -d, -f4 | tr -d '\r' | tr '\n' ' ')" = "0.5 1.5 "
# A 7-month grid over 10 years (reports at months 0, 7, ..., 119 and the end, 120): 10 years was
# rounded to month 119 before; the default now ends at the end, and the suggested 9.91667
# (month 119) reads back as that month
rm -rf "$work/grid7" && cp -r tests/models/two_state "$work/grid7" && rm "$work/grid7/levers.csv"
printf 'key,value,source\nname,grid7,t\ntitle,t,t\nstart_date,2025-01-01,t\nhorizon_years,10,t\nreport_interval_months,7,t\n' \
    > "$work/grid7/scenario.csv"
expect "7-month grid: the default horizons are the nearest reports to 2 and 5 years, and the end" 0 \
    "^outcome +2026-10-01 +2030-04-01 +2035-01-01$" -- run "$work/grid7" --runs 50 --out "$work/grid7-a"
expect "7-month grid: 9.9 years is refused with the reports beside it" 64 "give 9.33333 or 9.91667, say" -- \
    run "$work/grid7" --runs 50 --horizons 9.9 --out "$work/grid7-b"
expect "7-month grid: the suggested 9.91667 is month 119" 0 "^outcome +2034-12-01$" -- \
    run "$work/grid7" --runs 50 --horizons 9.91667 --out "$work/grid7-c"
# The default: 2, 5 and 10 years within the horizon, and its end: backtest-2019 runs 3 years
expect "the default horizons on a 3-year scenario: 2 years and the end" 0 \
    "^outcome +2021-01-01 +2022-01-01 *$" -- \
    run scenarios/backtest-2019 --runs 200 --out "$work/hz-bt"
bad lever_path levers.csv 'write:lever,target,operation,value,source\nx,transitions:f:a>c,multiply,2,test\n' "levers.csv:2:[0-9]+: error: .*'c'"
bad lever_table levers.csv 'write:lever,target,operation,value,source\nx,transition:f:a>b,multiply,2,test\n' "levers.csv:2:[0-9]+: error: .*did you mean 'transitions'"
bad lever_operation levers.csv 'write:lever,target,operation,value,source\nx,transitions:f:a>b,multipy,2,test\n' "levers.csv:2:[0-9]+: error: .*did you mean 'multiply'"
bad lever_range levers.csv 'write:lever,target,operation,value,source\nx,factors:f:a,set,1.5,test\n' "levers.csv:2:[0-9]+: error: .*between 0 and 1"
bad lever_late levers.csv 'write:lever,target,operation,value,from_date,source\nx,transitions:f:a>b,multiply,2,2040-01-01,test\n' "levers.csv:2:[0-9]+: error: .*outside the horizon"
expect "run for pairing" 0 "" -- run tests/models/paths --runs 3000 --seed 9 --quiet --out "$work/paths-run"
for t in 1 2; do
    expect "compare ($t threads)" 0 "" -- compare tests/models/paths --levers push_f,calm_h,push_f+calm_h,null --runs 3000 --seed 9 --threads $t --quiet --out "$work/paths-cmp-$t"
done
for f in state_probabilities outcomes first_occurrence event_counts; do
    if diff <(tail -n +2 "$work/paths-run/$f.csv") <(grep '^baseline,' "$work/paths-cmp-1/$f.csv" | cut -d, -f2-) >/dev/null; then
        pass=$((pass + 1)); else echo "FAIL compare: baseline arm of $f.csv differs from run"; fail=$((fail + 1)); fi
done
# The same on the baseline scenario, whose counted events reach counts of 100 and more: the arms of
# a comparison write their accumulators late (sim/internal.h, nsmi_acc_add), and the count tables
# grow while writes are pending, which must not lose one (a run writes at once).
expect "run of the baseline for pairing" 0 "" -- run scenarios/baseline --runs 400 --seed 9 --threads 1 --quiet --out "$work/base-run"
expect "compare on the baseline" 0 "" -- compare scenarios/baseline --levers value_diplomacy --runs 400 --seed 9 --threads 1 --quiet --out "$work/base-cmp"
for f in state_probabilities outcomes first_occurrence event_counts; do
    if diff <(tail -n +2 "$work/base-run/$f.csv") <(grep '^baseline,' "$work/base-cmp/$f.csv" | cut -d, -f2-) >/dev/null; then
        pass=$((pass + 1)); else echo "FAIL compare: baseline arm of the baseline's $f.csv differs from run"; fail=$((fail + 1)); fi
done
for f in differences briefing arms state_probabilities event_counts; do
    if cmp -s "$work/paths-cmp-1/$f.csv" "$work/paths-cmp-2/$f.csv"; then pass=$((pass + 1)); else
        echo "FAIL compare: $f.csv differs between 1 and 2 threads"; fail=$((fail + 1)); fi
done
expect "compare factorial" 0 "" -- compare tests/models/paths --levers push_f,calm_h,null --factorial --runs 500 --quiet --out "$work/paths-fact"
[ "$(tail -n +2 "$work/paths-fact/briefing.csv" | cut -d, -f1 | sort -u | wc -l)" -eq 7 ] && pass=$((pass + 1)) || { echo "FAIL compare --factorial: not 7 arms"; fail=$((fail + 1)); }
if awk -F, '$1 == "null" && ($9 != 0 || $10 != 0) { bad = 1 } END { exit bad }' "$work/paths-cmp-1/differences.csv"; then
    pass=$((pass + 1)); else echo "FAIL compare: the null lever has a non-zero difference"; fail=$((fail + 1)); fi

# --- sweep: designs checked before anything runs; interrupt and resume equal an uninterrupted run
printf 'transitions:f:a>c,levers\n1,none\n' > "$work/d-path.csv"
expect "sweep bad path" 65 "d-path.csv:1:[0-9]+: error: .*'c'" -- sweep tests/models/paths --design "$work/d-path.csv" --quiet --out "$work/sw"
printf 'transitions:f:a>b,levers\n0.5,none\n-1,none\n' > "$work/d-range.csv"
expect "sweep value out of range" 65 "d-range.csv:3:1: error: -1 is out of range" -- sweep tests/models/paths --design "$work/d-range.csv" --quiet --out "$work/sw"
printf 'transitions:f:a>b,levers\n0.5,push_ff\n' > "$work/d-lever.csv"
expect "sweep unknown lever" 65 "d-lever.csv:2:[0-9]+: error: unknown lever 'push_ff'; did you mean 'push_f'" -- sweep tests/models/paths --design "$work/d-lever.csv" --quiet --out "$work/sw"
# a lever on a modifier row that is not there says how many there are
cp -r tests/models/paths "$work/m-row" && sed -i 's/^calm_h,modifiers:1,/calm_h,modifiers:9,/' "$work/m-row/levers.csv"
expect "lever on a missing modifier row" 65 "levers.csv:4:[0-9]+: error: modifiers.csv has no row 9: its rows are 1 to 1 \(counted from 1 after the header\)" -- check "$work/m-row"
# an abbreviation is completed; a name like none of them lists the scenario's levers
printf 'levers\nncg\n' > "$work/d-abbrev.csv"
expect "sweep lever abbreviated" 65 "unknown lever 'ncg'; did you mean 'ncg_institutionalized'" -- sweep scenarios/baseline --design "$work/d-abbrev.csv" --quiet --out "$work/sw"
printf 'levers\nxyzzy\n' > "$work/d-far.csv"
expect "sweep lever unlike any" 65 "unknown lever 'xyzzy' \(the scenario's levers: us_reaffirmation_assistance, .*prepared_joint_responses; 'none' for none\)" -- sweep scenarios/baseline --design "$work/d-far.csv" --quiet --out "$work/sw"
printf 'transitions:f:a>b\n0,5\n' > "$work/d-comma.csv"
expect "sweep extra cell" 65 "d-comma.csv:2:[0-9]+: error: " -- sweep tests/models/paths --design "$work/d-comma.csv" --quiet --out "$work/sw"
expect "sweep no design" 64 "exactly one design" -- sweep tests/models/paths
expect "sweep two designs" 64 "exactly one design" -- sweep tests/models/paths --oat --lhs 4
expect "sweep nothing uncertain" 64 "no numbers written as distributions" -- sweep tests/models/paths --lhs 4 --quiet --out "$work/sw"
[ ! -e "$work/sw" ] && [ ! -e "$work/sw.partial" ] && pass=$((pass + 1)) || { echo "FAIL sweep: a rejected design wrote files"; fail=$((fail + 1)); }
printf 'parameter,values\ntransitions:f:a>b,0.2;0.5;1\nmodifiers:1,1;4\nlevers,none;calm_h;push_f+calm_h\n' > "$work/grid.csv"
NEASIM_TEST_STOP_AFTER_POINTS=5 "$NEASIM" sweep tests/models/paths --grid "$work/grid.csv" --runs 2000 --seed 4 --quiet --out "$work/sw-int" >/dev/null 2>&1
[ $? -eq 130 ] && [ "$(ls "$work/sw-int.partial/points/" | grep -c 'csv$')" -eq 5 ] && pass=$((pass + 1)) || { echo "FAIL sweep: interrupt did not leave 5 points"; fail=$((fail + 1)); }
expect "sweep refuses to restart over a partial one" 64 "add --resume" -- sweep tests/models/paths --grid "$work/grid.csv" --runs 2000 --seed 4 --quiet --out "$work/sw-int"
expect "sweep resume with other options" 64 "differ" -- sweep tests/models/paths --grid "$work/grid.csv" --runs 2001 --seed 4 --quiet --out "$work/sw-int" --resume
expect "sweep resume" 0 "" -- sweep tests/models/paths --grid "$work/grid.csv" --runs 2000 --seed 4 --quiet --out "$work/sw-int" --resume
expect "sweep uninterrupted" 0 "" -- sweep tests/models/paths --grid "$work/grid.csv" --runs 2000 --seed 4 --threads 1 --quiet --out "$work/sw-all"
for f in sweep points; do
    cmp -s "$work/sw-int/$f.csv" "$work/sw-all/$f.csv" && pass=$((pass + 1)) || { echo "FAIL sweep: $f.csv of a resumed sweep differs"; fail=$((fail + 1)); }
done
[ "$(grep -c '^[0-9]*,' "$work/sw-all/points.csv")" -eq 54 ] && pass=$((pass + 1)) || { echo "FAIL sweep: grid has the wrong number of points"; fail=$((fail + 1)); }
expect "sweep oat" 0 "tornado.csv" -- sweep tests/models/uncertain --oat --runs 2000 --out "$work/sw-oat"
expect "sweep sobol" 0 "sensitivity.csv" -- sweep tests/models/uncertain --sobol 16 --runs 500 --out "$work/sw-sobol"
expect "sweep lhs" 0 "" -- sweep tests/models/uncertain --lhs 10 --runs 500 --quiet --out "$work/sw-lhs"
expect "sweep params typo" 64 "names no number written as a distribution" -- sweep scenarios/baseline --oat --params 'transitions:usfk_postur:*' --quiet --out "$work/sw-p"
expect "sweep params without a generated design" 64 "--params selects" -- sweep tests/models/paths --grid "$work/grid.csv" --params x --quiet --out "$work/sw-p"
expect "sweep sobol on a subset of the baseline" 0 "" -- sweep scenarios/baseline --sobol 8 --params 'transitions:rok_nuclear_debate:*' --runs 200 --quiet --out "$work/sw-bsob"
[ "$(tail -n +2 "$work/sw-bsob/sensitivity.csv" | cut -d, -f4 | sort -u | wc -l)" -eq 4 ] && pass=$((pass + 1)) || { echo "FAIL sweep --params: not 4 parameters"; fail=$((fail + 1)); }
[ "$(grep -c '^transitions:rok_nuclear_debate:[a-z_]*>[a-z_]*,"\?ROK nuclear debate: .* → .* ([a-z ]*): [0-9.e-]* to [0-9.e-]*,.*,"\?pert(' "$work/sw-bsob/parameters.csv")" -eq 4 ] && pass=$((pass + 1)) || { echo "FAIL sweep: parameters.csv lacks labels or distributions"; fail=$((fail + 1)); }
expect "sweep modifier label" 0 "" -- sweep scenarios/baseline --oat --params 'modifiers:13' --runs 50 --quiet --out "$work/sw-mod"
grep -q '^modifiers:13,Multiplier on USFK posture: current → reduced while Washington is transactional: x1.29 to x2.27,' "$work/sw-mod/parameters.csv" && pass=$((pass + 1)) || { echo "FAIL sweep: modifier label"; fail=$((fail + 1)); }
expect "sweep draw labels" 0 "" -- sweep scenarios/baseline --oat --params 'draws:us_election_open_seat:*' --runs 20 --quiet --out "$work/sw-draw"
grep -q '^draws:us_election_open_seat:transactional>transactional,Chance that Washington stays transactional (open-seat U.S. presidential election of 2028): ' "$work/sw-draw/parameters.csv" && grep -q '^draws:us_election_open_seat:alliance_first>transactional,Chance that Washington goes alliance first → transactional (open-seat U.S. presidential election of 2028): ' "$work/sw-draw/parameters.csv" && grep -q '^draw,us_election_open_seat,NA,open-seat U.S. presidential election of 2028,yes,NA' "$work/sw-draw/labels.csv" && pass=$((pass + 1)) || { echo "FAIL sweep: draw labels"; fail=$((fail + 1)); }
expect "sweep draw labels, a draw without one" 0 "" -- sweep scenarios/calibration-2012 --oat --params 'draws:us_election_open_seat:*' --runs 20 --quiet --out "$work/sw-draw2"
grep -q '^draws:us_election_open_seat:transactional>transactional,Chance that Washington stays transactional (draw us election open seat): ' "$work/sw-draw2/parameters.csv" && grep -q '^draw,us_election_open_seat,NA,us_election_open_seat,no,NA' "$work/sw-draw2/labels.csv" && pass=$((pass + 1)) || { echo "FAIL sweep: a draw without a label"; fail=$((fail + 1)); }

# --- the byte-order mark option, and a rerun that replaces its own folder
expect "bom run" 0 "" -- run tests/models/two_state --runs 100 --bom --quiet --out "$work/bom"
[ "$(head -c 3 "$work/bom/state_probabilities.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] && pass=$((pass + 1)) || { echo "FAIL bom missing"; fail=$((fail + 1)); }
expect "rerun replaces" 0 "" -- run tests/models/two_state --runs 100 --quiet --out "$work/bom"
[ "$(head -c 4 "$work/bom/state_probabilities.csv")" = "date" ] && pass=$((pass + 1)) || { echo "FAIL rerun did not replace"; fail=$((fail + 1)); }

# --- the printed briefing: never "-0.0"; an interval that excludes zero never shows 0.0 at an end
"$NEASIM" compare scenarios/baseline --levers all --runs 2000 --seed 3 --out "$work/brief-print" > "$work/brief.txt" 2>&1
check_that "briefing: no -0.0" bash -c "! grep -Eq -- '-0\.0([^0-9]|\$)' '$work/brief.txt'"
check_that "briefing: cells printed" grep -q "USFK cut below today's posture" "$work/brief.txt"
grep -oE '[-+]?[0-9.]+ \([-+]?[0-9.]+, [-+]?[0-9.]+\)( ~)?' "$work/brief.txt" > "$work/cells.txt"
check_that "briefing: cells parsed" test "$(wc -l < "$work/cells.txt")" -gt 100
check_that "briefing: a distinguishable change shows no 0.0 end" \
    bash -c "! grep -v '~' '$work/cells.txt' | grep -Eq '\(0\.0,|, 0\.0\)'"

cli_done cli
