# tests/cli_durations.sh: transitions with a duration (transitions.csv, column `duration`) as the
# command line shows them: check describes them, trace names the duration as the cause, levers
# and sweeps reach their numbers by path, and every malformed cell is refused at its position.
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

cli_done durations
