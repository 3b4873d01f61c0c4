#!/usr/bin/env bash
# CLI cases of `neasim trace`: the story of one replication, as a table and as CSV, exactly as the
# issue-9 reproducer (tests/models/same_day) must go; what conditions stopped; its errors.
# Usage: tests/cli_trace.sh BUILD_DIR   (from the project root)
set -u
source "$(dirname "$0")/cli-lib.sh"

expect "trace help" 0 "Usage: neasim trace" -- trace --help
expect "trace: no scenario" 64 "which scenario" -- trace
expect "trace: bad rep" 64 "--rep expects a whole number" -- trace tests/models/same_day --rep x
expect "trace: unknown option" 64 "unknown option '--fast'" -- trace tests/models/same_day --fast
expect "trace: two arms" 64 "one arm" -- trace tests/models/two_state --arm faster,slower
expect "trace: unknown lever" 64 "did you mean" -- trace tests/models/two_state --arm fastr
expect "trace: missing folder" 66 "" -- trace "$work/nowhere"

# The same-day model: law on 1 May, snap on 1 September, the law's effect 123 days later.
"$NEASIM" trace tests/models/same_day --csv 2>&1 | tr -d '\r' > "$work/same.csv" # CSV rows end in CRLF
cat > "$work/want.csv" <<'CSV'
rep,t_years,date,kind,name,from,to,cause,cause_name
0,0.000000,2024-01-01,start,k,,p,start,initial level (share 1: certain)
0,0.000000,2024-01-01,start,h,,u,start,initial level (share 1: certain)
0,0.331280,2024-05-01,change,k,p,q,calendar,law (calendar.csv row 1)
0,0.668036,2024-09-01,change,h,u,v,calendar,snap (calendar.csv row 2)
0,0.668036,2024-09-01,change,h,v,z,effect,effect of a change of k from p to q (effects.csv row 1)
CSV
check_that "trace --csv: the same-day story, in order, with causes" cmp -s "$work/same.csv" "$work/want.csv"
expect "trace table" 0 "2024-09-01 .* change +h +v -> z +effect: effect of a change of k" -- trace tests/models/same_day
# the table, --csv (above), paths.csv and check say the change that sets an effect off, not only
# its factor ("a change of k" before)
expect "trace table: the change that set the effect off" 0 \
    "effect: effect of a change of k from p to q \(effects.csv row 1\)$" -- trace tests/models/same_day
expect "check: an effect's trigger with its levels" 0 "on a change of k from p to q, p=1" -- check tests/models/same_day
d="$work/to_any"; cp -r tests/models/same_day "$d"; sed -i 's/^k:p>q,/k:*>q,/' "$d/effects.csv"
expect "check: a trigger from any level" 0 "on a change of k to q, p=1" -- check "$d"
d="$work/from_any"; cp -r tests/models/same_day "$d"; sed -i 's/^k:p>q,/h:v>*,/' "$d/effects.csv"
expect "check: a trigger to any level" 0 "on a change of h from v, p=1" -- check "$d"
d="$work/any"; cp -r tests/models/same_day "$d"; sed -i 's/^k:p>q,/k:*>*,/' "$d/effects.csv"
expect "check: a trigger of any change" 0 "on any change of k, p=1" -- check "$d"

# What a condition stopped, in the table only: an effect's trigger while its `when` fails
# (skipped), an effect due while its `when_due` fails (cancelled), a calendar row while its `when`
# fails (skipped); the CSV is paths.csv's and has none of them.
"$NEASIM" trace tests/models/effect_when --seed 3 > "$work/ew.txt"
check_that "trace table: an effect's when fails at the trigger" grep -Eq \
    '^2026-09-28 +0\.7393 +skipped +event:in_b +\(when f=b fails\) +effect: effect of shock \(effects.csv row 2\)$' "$work/ew.txt"
check_that "trace table: an effect's when_due fails when due" grep -Eq \
    '^2029-04-01 +3\.2484 +cancelled +event:both_in_a +\(when_due f=a fails\) +effect: effect of shock \(effects.csv row 8\)$' "$work/ew.txt"
# every shock is counted by exactly one of in_a and in_b, and skipped by the other
shocks=$(grep -Ec ' event +shock ' "$work/ew.txt")
for e in in_a in_b; do
    n=$(( $(grep -Ec " event +$e " "$work/ew.txt") + $(grep -Ec " skipped +event:$e " "$work/ew.txt") ))
    check_that "trace table: each of $shocks shocks counted or skipped by $e" test "$n" = "$shocks"
done
check_that "trace table: some shocks in each state" bash -c \
    "grep -Eq ' skipped +event:in_a ' '$work/ew.txt' && grep -Eq ' skipped +event:in_b ' '$work/ew.txt'"
expect "trace table: a calendar row's when fails" 0 \
    "2026-09-01 +0\.6653 +skipped +deal=none +\(when talks=open fails\) +calendar: undo_deal \(calendar.csv row 3\)" \
    -- trace tests/models/calendar_when --rep 1
"$NEASIM" trace tests/models/effect_when --seed 3 --csv > "$work/ew.csv"
check_that "trace --csv: nothing skipped or cancelled (as paths.csv)" bash -c \
    "! grep -Eq ',(skipped|cancelled),' '$work/ew.csv' && test \$(grep -c ',event,' '$work/ew.csv') -gt 10"

# A hazard and a counted event on the baseline; the same replication twice gives the same story,
# and another replication another one.
"$NEASIM" trace scenarios/baseline --rep 3 --seed 7 --csv > "$work/b3.csv"
"$NEASIM" trace scenarios/baseline --rep 3 --seed 7 --csv > "$work/b3b.csv"
"$NEASIM" trace scenarios/baseline --rep 4 --seed 7 --csv > "$work/b4.csv"
check_that "trace: a replication replays the same" cmp -s "$work/b3.csv" "$work/b3b.csv"
check_that "trace: another replication, another story" bash -c "! cmp -s '$work/b3.csv' '$work/b4.csv'"
check_that "trace: hazards and counted events are told" \
    bash -c "grep -q ',change,.*,hazard,' '$work/b3.csv' && grep -q ',event,.*,hazard,' '$work/b3.csv'"
check_that "trace: every factor starts" \
    test "$(grep -c ',start,' "$work/b3.csv")" -eq "$(tail -n +2 scenarios/baseline/factors.csv | cut -d, -f1 | sort -u | wc -l)"
expect "trace an arm" 0 "start" -- trace tests/models/two_state --arm faster --rep 2

# A start says whether it was drawn, and with what share of its factor's initial distribution as
# drawn for the replication: k starts in p with 0.25 and in q with 0.75; h's share of u is
# uniform(0.2,0.4), drawn for each replication (--nominal: its mean, 0.3), v and z share the rest
d="$work/start_share"; cp -r tests/models/same_day "$d"
printf 'factor,level,initial,source\nk,p,0.25,t\nk,q,0.75,t\nh,u,"uniform(0.2,0.4)",t\nh,v,0.7,t\nh,z,0,t\n' \
    > "$d/factors.csv"
for r in $(seq 0 39); do "$NEASIM" trace "$d" --rep "$r" --csv | grep ',start,'; done | tr -d '\r' \
    > "$work/start_share.csv"
check_that "trace: k's start is a draw, its share that of the level drawn (both drawn in 40)" bash -c \
    "test \$(grep -c ',start,k,,p,start,initial draw (share 0.25)$' '$work/start_share.csv') -gt 0 &&
     test \$(grep -c ',start,k,,q,start,initial draw (share 0.75)$' '$work/start_share.csv') -gt 0 &&
     test \$(grep -c ',start,k,' '$work/start_share.csv') -eq 40"
# h's shares of u and v as drawn: u's in [0.2, 0.4] and v's in [0.6, 0.8] (3 digits), not one value
awk -F, '$5 == "h" { sub(/^initial draw \(share /, "", $9); sub(/\)$/, "", $9); print $7, $9 }' \
    "$work/start_share.csv" > "$work/h_share.txt"
check_that "trace: h's share is its drawn one, in its range, and varies by replication" bash -c \
    "test \$(wc -l < '$work/h_share.txt') -eq 40 &&
     awk '(\$1 == \"u\" && (\$2 < 0.2 || \$2 > 0.4)) || (\$1 == \"v\" && (\$2 < 0.6 || \$2 > 0.8)) ||
          \$1 == \"z\" { bad = 1 } END { exit bad }' '$work/h_share.txt' &&
     test \$(sort -u '$work/h_share.txt' | wc -l) -gt 20"
# a share just below 1 is not printed as the certain start's 1
d2="$work/start_share2"; cp -r tests/models/same_day "$d2"
printf 'factor,level,initial,source\nk,p,0.9999,t\nk,q,0.0001,t\nh,u,1,t\nh,v,0,t\nh,z,0,t\n' > "$d2/factors.csv"
expect "trace: a share of 0.9999 is above 0.999, not 1" 0 "start: initial draw \(share above 0\.999\)$" -- \
    trace "$d2"
expect "trace --nominal: h's share of u at its mean" 0 "start: initial draw \(share 0\.3\)$|start: initial draw \(share 0\.7\)$" -- \
    trace "$d" --nominal

# run --paths K: paths.csv holds the stories of replications 0..K-1, each as trace tells it
expect "run --paths" 0 "" -- run scenarios/baseline --runs 20 --seed 7 --paths 5 --quiet --out "$work/paths"
expect "run --paths above --runs: a warning, and --runs paths" 0 \
    "warning: --paths 50 asks for more paths than the 20 replications: paths.csv holds 20" -- \
    run scenarios/baseline --runs 20 --seed 7 --paths 50 --out "$work/paths50"
check_that "paths.csv: replications 0..19" test "$(tail -n +2 "$work/paths50/paths.csv" | cut -d, -f1 | sort -un | wc -l)" = 20
check_that "paths.csv: replications 0..4" test "$(tail -n +2 "$work/paths/paths.csv" | cut -d, -f1 | sort -u | tr -d '\r' | tr '\n' ' ')" = "0 1 2 3 4 "
grep "^3," "$work/paths/paths.csv" > "$work/p3.csv"
check_that "paths.csv: replication 3 is trace --rep 3" cmp -s "$work/p3.csv" <(tail -n +2 "$work/b3.csv")
expect "run --paths with --outer" 0 "" -- run tests/models/uncertain --runs 10 --outer 2 --paths 3 --quiet --out "$work/po"
check_that "paths.csv under --outer: replications 0..2" test "$(tail -n +2 "$work/po/paths.csv" | cut -d, -f1 | sort -u | tr -d '\r' | tr '\n' ' ')" = "0 1 2 "
expect "compare has no --paths" 64 "unknown option '--paths'" -- compare tests/models/two_state --levers faster --paths 2

cli_done trace
