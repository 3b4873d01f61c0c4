# tests/cli_language.sh: the constructs of the model language added by issue 11 as the command
# line shows them: onset outcomes, counted events fired by the calendar, conditional calendar
# rows and effects, and ids of modifiers and effects; each malformed cell refused at its position.
source "$(dirname "$0")/cli-lib.sh"

# ---- onset outcomes
bad occurrence_unknown outcomes.csv 'write:outcome,condition,occurrence,description\nin_b,f=b,onsett,x\n' \
    "outcomes.csv:2:10: error: unknown occurrence 'onsett'; did you mean 'onset'\?"
expect onset_check_shows_it 0 'f_b +f=b +\(onset: a change into it after the start\)' -- \
    check tests/models/onset
expect onset_summary_marks_it 0 'f_b \(onset\).*' -- \
    run tests/models/onset --runs 200 --out "$work/onset"
"$NEASIM" run tests/models/onset --runs 2000 --out "$work/onset" >"$work/onset.txt" 2>&1
check_that onset_summary_note grep -Eq '^  f_b +[0-9.]+% ' "$work/onset.txt"
check_that onset_holds_at_start_row \
    grep -Eq '^2025-01-01,0.0000,f_b,holds_at_start,0\.[0-9]+' "$work/onset/outcomes.csv"
check_that state_outcome_has_no_start_row \
    bash -c "! grep -q 'f_b_state,holds_at_start' '$work/onset/outcomes.csv'"
check_that onset_first_row_zero \
    grep -Eq '^f_b,2025-01-01,0.0000,by_date,0,0[[:space:]]*$' "$work/onset/first_occurrence.csv"

# ---- counted events fired by the calendar
bad calendar_event_unknown calendar.csv 'write:name,date,repeat_years,until,action,source\nt7,2025-06-01,,,event:nuclear_test,x\n' \
    "calendar.csv:2:23: error: unknown counted event 'nuclear_test'"
expect calendar_event_check 0 'test_in_september +event:seventh_test' -- check tests/models/calendar_event
"$NEASIM" run tests/models/calendar_event --runs 50 --quiet --out "$work/ce"
check_that calendar_event_counted \
    grep -Eq '^2026-09-01,0.6653,seventh_test,cumulative,1,0,' "$work/ce/event_counts.csv"

# an action whose prefix is missing or written with '=' is refused with the text to write
d="$work/event_no_prefix"; cp -r tests/models/calendar_event "$d"
sed -i 's/event:seventh_test/seventh_test/' "$d/calendar.csv"
expect action_event_without_prefix 65 \
    "calendar.csv:2:32: error: action 'seventh_test' names a counted event without its prefix: write 'event:seventh_test'" \
    -- check "$d"
d="$work/draw_equals"; cp -r tests/models/given "$d"
sed -i 's/draw:elect/draw=elect/' "$d/calendar.csv"
expect action_draw_with_equals 65 \
    "calendar.csv:2:17: error: action 'draw=elect': write 'draw:elect' \(a colon, not '='\)" -- check "$d"

# ---- conditional calendar rows
bad calendar_when_unknown_factor calendar.csv 'write:name,date,repeat_years,until,when,action,source\nc,2025-06-01,,,g=b,f=b,x\n' \
    "calendar.csv:2:16: error: unknown factor 'g'"
bad calendar_when_bad_level calendar.csv 'write:name,date,repeat_years,until,when,action,source\nc,2025-06-01,,,f=c,f=b,x\n' \
    "calendar.csv:2:18: error: unknown level 'c'"
expect calendar_when_check 0 'undo_deal +deal=none  when talks=open' -- check tests/models/calendar_when
# a row that sets a level only when the factor is already at it changes nothing: warned of at its
# `when` (it still runs as written); a `when` that also allows another level is no warning
d="$work/cal-idle"; rm -rf "$d"; cp -r tests/models/two_state "$d"
printf 'name,date,repeat_years,until,when,action,source\nc,2025-06-01,,,f=b,f=b,x\nk,2025-07-01,,,f=a|b,f=b,x\n' >"$d/calendar.csv"
expect calendar_when_idle_warns 0 "/calendar.csv:2:16: warning: the action f=b runs only when 'f=b' holds, that is when f is already b, so this row changes nothing: in .when., write the level f should leave \(f!=b, or the level before\), or correct the action$" -- check "$d"
"$NEASIM" check "$d" >"$work/cal-idle.txt" 2>&1
check_that calendar_when_idle_one_warning test "$(grep -c ': warning:' "$work/cal-idle.txt")" = 1
printf 'trigger,probability,delay_days,when_due,action,source\nf:a>b,1,30,f=a,f=a,x\nf:a>b,1,30,f=b,f=a,x\n' >"$d/effects.csv"
rm "$d/calendar.csv"
expect effect_when_due_idle_warns 0 "/effects.csv:2:12: warning: the action f=a runs only when 'f=a' holds, that is when f is already a, so this row changes nothing: in .when_due., write" -- check "$d"
"$NEASIM" check "$d" >"$work/cal-idle.txt" 2>&1
check_that effect_when_due_idle_one_warning test "$(grep -c ': warning:' "$work/cal-idle.txt")" = 1

# ---- conditional effects (effects.csv's when)
bad effect_when_unknown_factor effects.csv 'write:trigger,when,probability,action,source\nf:a>b,g=b,1,f=a,x\n' \
    "effects.csv:2:7: error: unknown factor 'g'; did you mean 'f'\?"
bad effect_when_cannot_hold effects.csv 'write:trigger,when,probability,action,source\nf:a>b,f=a & f=b,1,f=a,x\n' \
    "effects.csv:2:13: error: clauses 1 and 2 on f leave no level of it"
expect effect_when_check 0 '^  late \(row 4\) +on shock, p=1, delay 365 days \(fixed\) -> event:late_in_a  when f=a$' \
    -- check tests/models/effect_when
expect effect_when_due_check 0 '^  both \(row 8\) +on shock, p=1, delay 365 days \(fixed\) -> event:both_in_a  when f=a  when due, only if f=a$' \
    -- check tests/models/effect_when
bad effect_when_due_bad_level effects.csv 'write:trigger,probability,delay_days,when_due,action,source\nf:a>b,1,30,f=c,f=a,x\n' \
    "effects.csv:2:14: error: unknown level 'c' of factor 'f'"
# asked after the change: a condition that excludes the level a change leads to warns (the test
# model's row 6 on purpose), and one that allows it does not
expect effect_when_after_change_warns 0 "effects.csv:7:15: warning: condition 'f=b' never holds when the trigger f:b>a happens \(f is then a: .when. is asked after the change\)" \
    -- check tests/models/effect_when
"$NEASIM" check tests/models/effect_when >"$work/ew-warn.txt" 2>&1
check_that effect_when_one_warning test "$(grep -c warning "$work/ew-warn.txt")" = 1
d="$work/ew-star"; rm -rf "$d"; cp -r tests/models/two_state "$d"
printf 'trigger,when,probability,action,source\nf:a>*,f!=b,1,f=a,x\nf:*>b,f=b,1,f=a,x\n' >"$d/effects.csv"
expect effect_when_star_trigger_warns 0 "effects.csv:2:7: warning: condition 'f!=b' never holds when the trigger f:a>\* happens \(f is then b" -- check "$d"
"$NEASIM" check "$d" >"$work/ew-star.txt" 2>&1
check_that effect_when_star_one_warning test "$(grep -c warning "$work/ew-star.txt")" = 1
# a row's uniforms are drawn whether or not `when` holds, and a draw cancelled by `when_due` still
# takes its uniform: run by run, the results are those of the same rows without the conditions
# where the conditions hold (tests/effect_when_pairing.py)
d="$work/ew-nowhen"; rm -rf "$d"; cp -r tests/models/effect_when "$d"
sed -i 's/^half,shock,f=a,/half,shock,,/; s/^coin,shock,,1,,,f=a,/coin,shock,,1,,,,/' "$d/effects.csv"
check_that effect_when_variant_edited test "$(grep -c -E '^(half,shock,,|coin,shock,,1,,,,)' "$d/effects.csv")" = 2
"$NEASIM" run tests/models/effect_when --runs 300 --paths 300 --seed 5 --quiet --out "$work/ew-with" 2>/dev/null
"$NEASIM" run "$d" --runs 300 --paths 300 --seed 5 --quiet --out "$work/ew-without" 2>/dev/null
check_that effect_when_paired python3 tests/effect_when_pairing.py "$work/ew-with/paths.csv" "$work/ew-without/paths.csv"
# a scenario without the column reads as before (every shipped scenario has none)
expect effect_when_absent_runs 0 "" -- run tests/models/change_counter --runs 100 --quiet --out "$work/cc"

# ---- ids of modifiers and effects in parameter paths
d="$work/ids"; rm -rf "$d"; cp -r tests/models/ids "$d"
expect ids_row_number_warns 0 'levers.csv:3:8: warning: row 2 of modifiers.csv has the id .h_up_when_f_b.' -- check "$d"
# check names a modifier or an effect by its id where it has one ("row 2" alone before)
expect ids_check_names_a_modifier 0 '^  h_up_when_f_b \(row 2\) x4 +h:off>on' -- check tests/models/ids
expect ids_check_names_an_effect 0 '^  f_pulls_h \(row 1\) +on ' -- check tests/models/ids
expect ids_check_row_without_an_id 0 '^  row 1 +x1.5 +h:off>on' -- check tests/models/ids
sed -i 's/^by_id,modifiers:h_up_when_f_b,/by_id,modifiers:h_up_when_fb,/' "$d/levers.csv"
expect ids_unknown_id 65 "levers.csv:2:17: error: modifiers.csv has no row with id 'h_up_when_fb'; did you mean 'h_up_when_f_b'\?" -- check "$d"
cp tests/models/ids/levers.csv "$d/levers.csv"
sed -i 's/^,h:off>on,1,/f_pulls_h,h:off>on,1,/' "$d/effects.csv"
expect ids_twice 65 "effects.csv:3:1: error: id 'f_pulls_h' is given twice \(first at line 2\): ids name one row each; rename one of the two, or remove one if the row is there twice$" -- check "$d"
cp tests/models/ids/effects.csv "$d/effects.csv"
sed -i 's/,h_up_when_f_b,/,H-up,/' "$d/modifiers.csv"
expect ids_not_a_name 65 "modifiers.csv:3:16: error: .H-up. is not a valid id name" -- check "$d"
# inserting a row before the coupling moves row numbers, not ids: by_id now means row 3
cp tests/models/ids/modifiers.csv "$d/modifiers.csv"
sed -i '2i h:on>off,f=b,1.1,,test: inserted' "$d/modifiers.csv"
printf 'by_row3,modifiers:3,set,1,,row 3 after the insertion,test\n' >> "$d/levers.csv"
"$NEASIM" compare "$d" --levers by_id,by_row3 --runs 400 --seed 4 --quiet --out "$work/ids-b" >/dev/null 2>&1
check_that ids_survive_an_inserted_row bash -c "
    a=\$(grep '^by_id,' '$work/ids-b/differences.csv' | cut -d, -f2-)
    b=\$(grep '^by_row3,' '$work/ids-b/differences.csv' | cut -d, -f2-)
    [ -n \"\$a\" ] && [ \"\$a\" = \"\$b\" ] && grep -q ',-0.[0-9]*[1-9]' <<<\"\$a\""

# a loop of zero-delay effects that fire counted events at each other is the effect-loop error
d="$work/event-loop"; rm -rf "$d"; cp -r tests/models/calendar_event "$d"
printf 'trigger,probability,delay_days,delay,action,source\nseventh_test,1,0,fixed,event:launches,x\nlaunches,1,0,fixed,event:seventh_test,x\n' > "$d/effects.csv"
expect event_loop_is_an_error 70 "counted event '(launches|seventh_test)' keeps occurring\): effects.csv has a loop" -- \
    run "$d" --runs 10 --quiet --out "$work/event-loop-out"

# a calendar-fired event on the start date: cumulative from the start, in no period or year
d="$work/ce0"; rm -rf "$d"; cp -r tests/models/calendar_event "$d"
sed -i 's/^test_in_september,2026-09-01/test_in_september,2026-01-01/' "$d/calendar.csv"
"$NEASIM" run "$d" --runs 50 --quiet --out "$work/ce0-out"
check_that event_at_start_cumulative \
    grep -Eq '^2026-02-01,0.0849,seventh_test,cumulative,1,0,' "$work/ce0-out/event_counts.csv"
check_that event_at_start_no_period \
    grep -Eq '^2026-02-01,0.0849,seventh_test,period,0,0,' "$work/ce0-out/event_counts.csv"
check_that event_at_start_no_year \
    grep -Eq '^2027-01-01,0.9993,seventh_test,year,0,0,' "$work/ce0-out/event_counts.csv"

# ---- counted events that count dates (events.csv, column counts)
bad events_counts_unknown events.csv 'write:event,rate_per_year,counts,source\nlaunch,2,date,x\n' \
    "events.csv:2:10: error: counts must be 'occurrences' \(or empty: every occurrence is counted\) or 'dates' \(a date with several occurrences is counted once\), not 'date'; did you mean 'dates'\?"
# a word near neither at a third of its length: 'days' is two edits from 'dates' (no suggestion
# before)
bad events_counts_days events.csv 'write:event,rate_per_year,counts,source\nlaunch,2,days,x\n' \
    "events.csv:2:10: error: counts must be .*, not 'days'; did you mean 'dates'\?$"
expect events_counts_check 0 '^  daily +200 per year, counts dates \(a date with several occurrences once\)$' -- \
    check tests/models/dates
expect events_counts_check_default 0 '^  echo +0 per year$' -- check tests/models/dates
expect events_counts_trace_says_it 0 '^daily counts dates: a second occurrence on one date is listed but not counted$' -- \
    trace tests/models/dates --rep 0 --seed 7
expect events_counts_trace_marks_it 0 '^2025-[0-9-]+ +[0-9.]+ +event +daily +\(same date: not counted\) +hazard: daily$' -- \
    trace tests/models/dates --rep 0 --seed 7
check_that events_counts_trace_silent_without \
    bash -c "! '$NEASIM' trace tests/models/counts --rep 0 | grep -q 'counts dates\|same date'"
# `occurrences` written out is the default: the same tables as without the column
d="$work/counts_occ"; rm -rf "$d"; cp -r tests/models/counts "$d"
sed -i '1s/$/,counts/; 2,$s/$/,occurrences/' "$d/events.csv"
"$NEASIM" run tests/models/counts --runs 500 --seed 3 --quiet --out "$work/counts-plain"
"$NEASIM" run "$d" --runs 500 --seed 3 --quiet --out "$work/counts-occ"
same_tables events_counts_occurrences_is_the_default "$work/counts-plain" "$work/counts-occ"
# whole scenarios that count one event differently are not compared
d="$work/counts_dates"; rm -rf "$d"; cp -r tests/models/counts "$d"
sed -i '1s/$/,counts/; 2s/$/,dates/; 3,$s/$/,/' "$d/events.csv"
sed -i 's/^name,counts,/name,counts_dates,/' "$d/scenario.csv"
expect events_counts_compare_refused 65 "scenarios 'counts' and 'counts_dates' count 'poisson' differently \(events.csv, counts: occurrences and dates\)" -- \
    compare tests/models/counts "$d" --runs 10 --quiet --out "$work/counts-cmp"

# ---- 'or' across factors (tests/models/or_condition; the closed forms: test_language.c)
expect or_check_outcome 0 '^  either +x=on \| y=on$' -- check tests/models/or_condition
expect or_check_terms_of_two 0 '^  alike +x=on & y=on \| x=off & y=off$' -- check tests/models/or_condition
expect or_check_modifier 0 'h:off>on +while a=on \| b=on' -- check tests/models/or_condition
expect or_check_calendar 0 'either_sets_c +c=on  when a=on \| b=on' -- check tests/models/or_condition
bad or_empty_term outcomes.csv 's/^in_b,f=b,/in_b,| f=b,/' \
    "outcomes.csv:2:6: error: empty term in condition '\| f=b' \(a '\|' followed by factor=level begins another term: write a clause on each side of it\)"
bad or_empty_last_term outcomes.csv 's/^in_b,f=b,/in_b,f=b |,/' \
    "outcomes.csv:2:11: error: missing level name in condition 'f=b \|'"
bad or_term_never_holds outcomes.csv 's/^in_b,f=b,/in_b,f=b | f=a \& f=b,/' \
    "outcomes.csv:2:18: error: clauses 1 and 2 of term 2 on f leave no level of it, so the term can never hold"
d="$work/or-bad"; rm -rf "$d"; cp -r tests/models/or_condition "$d"
sed -i 's/^either,x=on | y=on,/either,x=on|y,/' "$d/outcomes.csv"
expect or_factor_as_level 65 "outcomes.csv:2:13: error: 'y' is a factor, not a level of x: .*\(x=a \| y=level\)" -- check "$d"
cp tests/models/or_condition/outcomes.csv "$d/"
sed -i 's/^either_sets_c,2026-01-01,,,a=on | b=on,/either_sets_c,2026-01-01,,,a=on | bb=on,/' "$d/calendar.csv"
expect or_calendar_unknown_factor 65 "calendar.csv:2:35: error: unknown factor 'bb'; did you mean 'b'\?" -- check "$d"
cp tests/models/or_condition/calendar.csv "$d/"
# a modifier's clauses on its target's own factor: the row warns when no term allows the level the
# target moves from, not when one term does
printf 'target,condition,multiplier,source\nh:off>on,h=on & a=on | b=on & h=on,3,x\n' >"$d/modifiers.csv"
expect or_modifier_never_holds 0 "modifiers.csv:2:10: warning: condition 'h=on & a=on \| b=on & h=on' never holds while the target h:off>on can happen" -- check "$d"
printf 'target,condition,multiplier,source\nh:off>on,h=on & a=on | b=on,3,x\n' >"$d/modifiers.csv"
"$NEASIM" check "$d" >"$work/or-warn.txt" 2>&1
check_that or_modifier_one_term_allows bash -c "! grep -q warning '$work/or-warn.txt'"

# a lever on a modifier that says 'or': arms.csv says it with its terms joined by "; or"
rm -rf "$work/or-lever" && cp -r tests/models/or_condition "$work/or-lever"
printf 'lever,target,operation,value,from_date,description,source\nup,modifiers:1,multiply,2,,x,x\n' >"$work/or-lever/levers.csv"
expect or_lever_runs 0 "" -- compare "$work/or-lever" --levers up --runs 100 --quiet --out "$work/or-lever-out"
check_that or_lever_text grep -q '"H: off → on, while A is on; or B is on: multiplier × 2"' "$work/or-lever-out/arms.csv"

# random conditions (terms of clauses, level lists, negations, spaces) against a model of the
# grammar: refused when a term can never hold, else check prints the canonical form it predicts
rm -rf "$work/grammar" && cp -r tests/models/or_condition "$work/grammar"
check_that or_grammar_random python3 tests/condition_grammar.py "$NEASIM" "$work/grammar"

cli_done language
