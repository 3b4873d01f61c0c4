# tests/cli_language.sh: the constructs of the model language added by issue 11 as the command
# line shows them: onset outcomes, counted events fired by the calendar, conditional calendar
# rows and ids of modifiers and effects; each malformed cell refused at its position.
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

# ---- conditional calendar rows
bad calendar_when_unknown_factor calendar.csv 'write:name,date,repeat_years,until,when,action,source\nc,2025-06-01,,,g=b,f=b,x\n' \
    "calendar.csv:2:16: error: unknown factor 'g'"
bad calendar_when_bad_level calendar.csv 'write:name,date,repeat_years,until,when,action,source\nc,2025-06-01,,,f=c,f=b,x\n' \
    "calendar.csv:2:18: error: unknown level 'c'"
expect calendar_when_check 0 'undo_deal +deal=none  when talks=open' -- check tests/models/calendar_when

cli_done language
