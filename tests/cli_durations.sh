# tests/cli_durations.sh: transitions with a duration (transitions.csv, column `duration`) as the
# command line shows them: check describes them, trace names the duration as the cause, levers
# and sweeps reach their numbers by path, and every malformed cell is refused at its position; a stay
# that began before the start (factors.csv, `entered`) is shown, runs to the right date, is
# inherited by a variant, and every bad date is refused at its cell.
source "$(dirname "$0")/cli-lib.sh"

T='factor,from,to,value,unit,duration,source\n'
# ---- malformed duration cells
bad duration_no_unit transitions.csv "write:${T}f,a,b,,,180,x\nf,b,a,1,rate_per_year,,x\n" \
    "transitions.csv:2:9: error: the duration '180' has no unit: write '180 days' or '180 years'"
bad duration_law_no_unit transitions.csv "write:${T}f,a,b,,,\"uniform(1,2)\",x\nf,b,a,1,rate_per_year,,x\n" \
    "transitions.csv:2:9: error: the duration 'uniform\(1,2\)' has no unit: write 'uniform\(1,2\) days'"
bad duration_no_number transitions.csv "write:${T}f,a,b,,,days,x\nf,b,a,1,rate_per_year,,x\n" \
    "transitions.csv:2:9: error: the duration 'days' has no number: write how many days \('180 days'\)"
bad duration_bad_unit transitions.csv "write:${T}f,a,b,,,180 weeks,x\nf,b,a,1,rate_per_year,,x\n" \
    "transitions.csv:2:13: error: a duration ends with its unit, days or years .* not 'weeks'"
bad duration_bad_law transitions.csv "write:${T}f,a,b,,,weibul(1.5;2) years,x\nf,b,a,1,rate_per_year,,x\n" \
    "transitions.csv:2:9: error: unknown distribution 'weibul'; did you mean 'weibull'\?"
bad duration_bad_param transitions.csv "write:${T}f,a,b,,,\"weibull(1.5, -2) years\",x\nf,b,a,1,rate_per_year,,x\n" \
    "transitions.csv:2:23: error: weibull's shape and scale must be above 0"
bad duration_beta transitions.csv "write:${T}f,a,b,,,\"beta(2, 5) years\",x\nf,b,a,1,rate_per_year,,x\n" \
    "transitions.csv:2:9: error: a duration is fixed, uniform, gamma, weibull or lognormal, not beta"
bad duration_zero transitions.csv "write:${T}f,a,b,,,0 days,x\nf,b,a,1,rate_per_year,,x\n" \
    "transitions.csv:2:9: error: a duration cannot be 0 or negative"
bad duration_negative transitions.csv "write:${T}f,a,b,,,\"uniform(-1, 3) days\",x\nf,b,a,1,rate_per_year,,x\n" \
    "transitions.csv:2:9: error: a duration cannot be negative"
bad duration_not_number transitions.csv "write:${T}f,a,b,,,soon days,x\nf,b,a,1,rate_per_year,,x\n" \
    "transitions.csv:2:9: error: 'soon days' is not a duration"
bad duration_half_hazard transitions.csv "write:${T}f,a,b,2,,180 days,x\nf,b,a,1,rate_per_year,,x\n" \
    "transitions.csv:2:9: error: missing unit"
bad fixed_as_uncertain transitions.csv "write:${T}f,a,b,fixed(2),rate_per_year,,x\nf,b,a,1,rate_per_year,,x\n" \
    "transitions.csv:2:7: error: 'fixed\(2\)' is the number 2: write the number itself"

# ---- check, trace, levers
expect check_shows_deadline 0 'f:a>c +0   duration 180 days \(a deadline\)' -- check tests/models/deadline
expect check_shows_law 0 'duration weibull\(1.5,2\) years, mean 1.805 years' -- check tests/models/weibull_sojourn
expect trace_names_duration 0 'duration of f:a>c \(transitions.csv line 3\)' -- \
    trace tests/models/deadline --seed 31 --rep 1
d="$work/lev"; rm -rf "$d"; cp -r tests/models/deadline "$d"
printf 'lever,target,operation,value,from_date,description,source\nsooner,durations:f:a>c:value,set,90,,90 days,x\nlonger,durations:f:a>*:value,multiply,2,,twice,x\n' >"$d/levers.csv"
expect lever_on_duration 0 '' -- compare "$d" --levers sooner --runs 4000 --seed 3 --quiet --out "$work/lev-out"
# P(b by the end) = 1 - exp(-2 x 90/365.25) = 0.389 with the deadline at 90 days (0.627 at 180)
check_that lever_moves_deadline grep -Eq \
    '^sooner,outcome,hazard_won,occurred_by,2027-01-01,[0-9.]+,0\.6[0-9]*,0\.(3[6-9]|4[01])' \
    "$work/lev-out/differences.csv"
printf 'lever,target,operation,value,from_date,description,source\nbad,durations:f:a>c:value,set,-3,,x,x\n' >"$d/levers.csv"
expect lever_duration_negative 65 'levers.csv:2:.*error: .*a duration must be above 0' -- check "$d"
printf 'lever,target,operation,value,from_date,description,source\nbad,durations:f:a>c:scale,set,3,,x,x\n' >"$d/levers.csv"
expect lever_duration_wrong_name 65 "levers.csv:2:21: error: the duration of f:a>c has the numbers value, not 'scale'" -- check "$d"
printf 'lever,target,operation,value,from_date,description,source\nbad,durations:f:a>b:value,set,3,,x,x\n' >"$d/levers.csv"
expect lever_no_duration 65 "levers.csv:2:.*error: no transition with a duration matches 'f:a>b'" -- check "$d"

# ---- a sweep over a deadline: P(hazard first) = 1 - exp(-2 D / 365.25) = 0.389, 0.627, 0.772
printf 'parameter,values\ndurations:f:a>c:value,90;180;270\n' >"$work/grid.csv"
expect sweep_over_deadline 0 '' -- sweep tests/models/deadline --grid "$work/grid.csv" --runs 2000 \
    --seed 4 --quiet --out "$work/sweep"
check_that sweep_deadline_points bash -c "grep -Eq '^1,90,outcome,hazard_won,occurred_by,2,2027-01-01,0\.(3[6-9]|4[0-1])' '$work/sweep/sweep.csv' &&
    grep -Eq '^3,270,outcome,hazard_won,occurred_by,2,2027-01-01,0\.(7[4-9]|80)' '$work/sweep/sweep.csv'"

# ---- factors.csv's `entered`: a stay that began before the start
# entered_model NAME FACTORS_ROWS [TRANSITIONS_ROWS]: tests/models/entered_deadline with other rows
entered_model() {
    local d="$work/$1"; rm -rf "$d"; cp -r tests/models/entered_deadline "$d"
    printf "factor,level,initial,source,entered\n$2" >"$d/factors.csv"
    [ -n "${3:-}" ] && printf "factor,from,to,value,unit,duration,source\n$3" >"$d/transitions.csv"
    echo "$d"
}
d=$(entered_model ent_month 'f,a,1,x,2024-13-02\nf,c,0,x,\n')
expect entered_not_a_date 65 "factors.csv:2:9: error: '2024-13-02' is not a date: month 13 is not 1-12" -- check "$d"
d=$(entered_model ent_word 'f,a,1,x,\nf,c,0,x,"last year"\n')
expect entered_word 65 "factors.csv:3:9: error: 'last year' is not a date: write dates as YYYY-MM-DD" -- check "$d"
d=$(entered_model ent_late 'f,a,1,x,2025-01-02\nf,c,0,x,\n')
expect entered_after_start 65 "factors.csv:2:9: error: entered 2025-01-02 is after start_date 2025-01-01: .* a change after the start belongs in calendar.csv" -- check "$d"
# 180 days in a by the start: the deadline fell on the start date itself
d=$(entered_model ent_past 'f,a,1,x,2024-07-05\nf,c,0,x,\n')
expect entered_deadline_past 65 "factors.csv:2:9: error: factor 'f' has been in 'a' since 2024-07-05, 180 days before the start \(2025-01-01\), but the duration '180 days' of f:a>c \(transitions.csv line 2\) ends that stay on 2025-01-01, so that stay cannot go on after the start: .*start the factor in 'c'" -- check "$d"
d=$(entered_model ent_uniform 'f,a,1,x,2024-09-01\nf,c,0,x,\n' 'f,a,c,,,"uniform(10,100) days",x\nf,c,a,3,rate_per_year,,x\n')
expect entered_uniform_past 65 "factors.csv:2:9: error: .*122 days before the start .*'uniform\(10,100\) days' of f:a>c \(transitions.csv line 2\) ends that stay by 2024-12-10" -- check "$d"
d=$(entered_model ent_zero 'f,a,1,x,\nf,c,0,x,2024-12-01\n')
expect entered_initial_zero 0 "factors.csv:3:9: warning: entered date on level 'c', where factor 'f' never starts \(initial 0\): it is read only if a lever or sweep gives the level a starting chance \(path factors:f:c\)" -- check "$d"
d=$(entered_model ent_hazard 'f,a,1,x,2024-11-02\nf,c,0,x,\n' 'f,a,c,2,rate_per_year,,x\nf,c,a,3,rate_per_year,,x\n')
expect entered_no_duration 0 "factors.csv:2:9: warning: entered date on level 'a', which no transition with a duration leaves: only durations read it \(a hazard has no memory\), so it changes nothing" -- check "$d"
# a lever that shortens the deadline below the 60 days already spent: the stay ends at t = 0
d=$(entered_model ent_lever 'f,a,1,x,2024-11-02\nf,c,0,x,\n')
printf 'lever,target,operation,value,from_date,description,source\nshort,durations:f:a>c:value,set,30,,30 days,x\n' >"$d/levers.csv"
expect entered_lever_past 0 '2025-01-01 +0.0000 +change +f +a -> c +duration' -- trace "$d" --arm short --rep 1
d=$(entered_model ent_start 'f,a,1,x,2025-01-01\nf,c,0,x,\n')
expect entered_on_start 0 '2025-06-30 +0.4928 +change +f +a -> c' -- trace "$d" --seed 1 --rep 1

expect check_shows_entered 0 'f: a c +\(initial: a 1\) +\(in a since 2024-11-02, 60 days before the start\)' -- check tests/models/entered_deadline
expect check_shows_entered_end 0 'duration 180 days \(a deadline\); in a since 2024-11-02: ends 2025-05-01, 120 days after the start' -- check tests/models/entered_deadline
expect check_shows_entered_law 0 'in a since 2024-01-01: the rest drawn given 366 days already \(P 0.701 of lasting them\)' -- check tests/models/entered_weibull
# the deadline 180 days after 2024-11-02, not after the start, in every replication
expect trace_entered_deadline 0 '2025-05-01 +0.3285 +change +f +a -> c +duration: duration of f:a>c' -- \
    trace tests/models/entered_deadline --seed 5 --rep 3
expect run_entered 0 '' -- run tests/models/entered_deadline --runs 500 --seed 5 --quiet --out "$work/ent-run"
check_that entered_all_move_on_day_120 bash -c "grep -q '^2025-04-01,0.2464,moved,occurred_by,0,' '$work/ent-run/outcomes.csv' &&
    grep -q '^2025-05-01,0.3285,moved,occurred_by,1,' '$work/ent-run/outcomes.csv'"
expect run_entered_t2 0 '' -- run tests/models/entered_weibull --runs 3000 --seed 6 --threads 2 --quiet --out "$work/ent-t2"
expect run_entered_t1 0 '' -- run tests/models/entered_weibull --runs 3000 --seed 6 --threads 1 --quiet --out "$work/ent-t1"
same_tables entered_threads_identical "$work/ent-t1" "$work/ent-t2"

# a variant inherits the date with its row; a row it replaces without the column has none; --resolved
# writes the column
v="$work/ent-variant"; rm -rf "$v"; mkdir -p "$v"
printf 'key,value,source\nextends,%s,x\nname,ent_variant,x\n' "$(realpath tests/models/entered_deadline)" >"$v/scenario.csv"
printf 'outcome,condition,description,drop\nmoved,,,yes\nback,f=a,back in a,\n' >"$v/outcomes.csv"
expect variant_inherits_entered 0 '2025-05-01 +0.3285 +change +f +a -> c' -- trace "$v" --seed 5 --rep 3
expect variant_resolved 0 '' -- check "$v" --resolved "$work/ent-resolved"
check_that resolved_has_entered grep -q '^f,a,1,.*,2024-11-02$' "$work/ent-resolved/factors.csv"
printf 'factor,level,initial,source\nf,a,1,the variant replaces the row without a date\n' >"$v/factors.csv"
expect variant_replaced_row 0 '2025-06-30 +0.4928 +change +f +a -> c' -- trace "$v" --seed 5 --rep 3
printf 'factor,level,initial,source,drop,entered\nf,c,,,yes,\nf,b,0,a new level,,\n' >"$v/factors.csv"
printf 'factor,from,to,value,unit,duration,source,drop\nf,c,a,,,,,yes\nf,a,c,,,,,yes\nf,a,b,,,180 days,x,\nf,b,a,3,rate_per_year,,x,\n' >"$v/transitions.csv"
expect variant_drop_keeps_entered 0 '2025-05-01 +0.3285 +change +f +a -> b' -- trace "$v" --seed 5 --rep 3

cli_done durations
