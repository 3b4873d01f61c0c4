#!/usr/bin/env bash
# CLI cases of `run --routes` and `run --signposts`: the tables, their independence of the thread
# count, with --precision, their errors; outcomes.csv's `route` column. (Shards and merge:
# cli_shards.sh; mpirun: cli_mpi.sh, cli_mpi_precision.sh.) The statistics themselves are tested against
# closed forms in tests/test_story.c.
# Usage: tests/cli_routes.sh BUILD_DIR   (from the project root)
set -u
source "$(dirname "$0")/cli-lib.sh"

expect "run --help names --routes" 0 "--routes" -- run --help
for t in 1 2 4; do
    expect "run --routes --signposts, $t threads" 0 "" -- run scenarios/baseline --runs 600 --seed 5 \
        --routes --signposts --threads "$t" --quiet --out "$work/t$t"
done
for f in routes.csv signposts.csv outcomes.csv; do
    check_that "$f: the same bytes for 1, 2 and 4 threads" \
        bash -c "cmp -s '$work/t1/$f' '$work/t2/$f' && cmp -s '$work/t1/$f' '$work/t4/$f'"
done
check_that "routes.csv header" bash -c "head -1 '$work/t1/routes.csv' | tr -d '\r' | grep -qx 'outcome,rank,route,steps,onsets,share,share_lo,share_hi,median_years,onsets_all'"
check_that "signposts.csv: three watch dates" test "$(tail -n +2 "$work/t1/signposts.csv" | cut -d, -f2 | sort -u | wc -l)" -eq 3
# two names of one signal: the baseline's surge and the clock it starts at once happen in the same
# replications, so the second row names the first (same_runs_as) at every watch date, right after it
check_that "signposts.csv header ends with same_runs_as" bash -c "head -1 '$work/t1/signposts.csv' | tr -d '\r' | grep -q ',difference_hi,same_runs_as$'"
twins=$(awk -F, '{ sub(/\r$/, "") } $1 == "usfk_reduced" && $NF == "dprk_testing_posture=surge" && $5 == "dprk_surge_clock=running" { n++ } END { print n + 0 }' "$work/t1/signposts.csv")
check_that "signposts.csv: dprk_surge_clock=running the same runs as dprk_testing_posture=surge at the 3 watch dates ($twins)" test "$twins" = 3
check_that "signposts.csv: each twin is ranked right after what it names" \
    awk -F, '{ sub(/\r$/, "") } NR > 1 { key = $1 FS $3 } NR > 1 && $NF != "NA" && !(key == pk && $NF == pind && $4 == prank + ++nt) { bad = 1 } NR > 1 && $NF == "NA" { pk = key; pind = $5; prank = $4; nt = 0 } END { exit bad }' "$work/t1/signposts.csv"
check_that "routes.csv: shares of one outcome add up to 1" \
    bash -c "awk -F, '\$1 == \"usfk_reduced\" { s += \$6 } END { exit !(s > 0.999 && s < 1.001) }' '$work/t1/routes.csv'"

# without the options: no tables, and the other tables are the same bytes
expect "run without them" 0 "" -- run scenarios/baseline --runs 600 --seed 5 --quiet --out "$work/plain"
check_that "no routes.csv without --routes" test ! -e "$work/plain/routes.csv"
check_that "outcomes.csv the same with and without --routes" cmp -s "$work/plain/outcomes.csv" "$work/t1/outcomes.csv"
expect "--signposts alone" 0 "" -- run tests/models/signposts --runs 200 --signposts --watch 0.5,4 --quiet --out "$work/sp"
check_that "--signposts alone: no routes.csv" test ! -e "$work/sp/routes.csv"
check_that "--watch 0.5,4: two watch dates" test "$(tail -n +2 "$work/sp/signposts.csv" | cut -d, -f3 | sort -u | tr -d '\r' | tr '\n' ' ')" = "2025-07-01 2029-01-01 "

# errors: nothing written
expect "--watch beyond the horizon" 64 "watch date 7 years is not within the horizon" -- run tests/models/signposts --signposts --watch 7 --quiet --out "$work/bad1"
expect "--watch not a number" 64 "--watch expects" -- run tests/models/signposts --signposts --watch 1,x --quiet --out "$work/bad2"
expect "--watch without --signposts" 64 "--watch is for --signposts" -- run tests/models/signposts --watch 1 --quiet --out "$work/bad3"
expect "--watch with --routes alone" 64 "--watch is for --signposts" -- run tests/models/signposts --routes --watch 1 --quiet --out "$work/bad5"
expect "--routes with --outer" 64 "do not combine with --outer" -- run tests/models/uncertain --routes --outer 2 --runs 5 --quiet --out "$work/bad4"
check_that "a refused run writes nothing" bash -c "! ls -d '$work'/bad* 2>/dev/null"
expect "compare has no --routes" 64 "unknown option '--routes'" -- compare tests/models/two_state --levers faster --routes

# --precision: the routes and signposts of exactly the replications of the batches used, as a run
# of that many replications gives them
expect "--routes --signposts --precision" 0 "" -- run scenarios/baseline --precision 0.03 --seed 5 --routes --signposts --quiet --out "$work/prec"
used=$(sed -n 's/^runs,//p' "$work/prec/manifest.csv" | tr -d '\r')
check_all "--precision stopped before its ceiling (at $used runs)" \
    '[ "$used" -gt 0 ] && [ "$used" -lt 1000000 ]'
expect "the same count of runs without --precision" 0 "" -- run scenarios/baseline --runs "$used" --seed 5 --routes --signposts --quiet --out "$work/prec-runs"
same_tables "--precision: every table as a run of the replications it used" "$work/prec" "$work/prec-runs"

# outcomes.csv `route`
dir="$work/rt"; cp -r tests/models/routes "$dir"
sed -i 's/,x|noise$/,x|nois/' "$dir/outcomes.csv"
expect "route: unknown factor" 65 "outcomes.csv:3:[0-9]+: error: unknown factor 'nois'; did you mean 'noise'" -- check "$dir"
sed -i 's/,x|nois$/,x|x/' "$dir/outcomes.csv"
expect "route: a factor twice" 65 "outcomes.csv:3:[0-9]+: error: factor 'x' is named twice" -- check "$dir"
expect "route: told in x and noise" 0 "" -- run tests/models/routes --runs 300 --routes --quiet --out "$work/rn"
check_that "routes.csv: noise steps only where the route column asks" \
    bash -c "! grep -q '^absorbed,.*noise' '$work/rn/routes.csv' && grep -q '^absorbed_noisy,.*noise' '$work/rn/routes.csv'"

# A factor back at its level at the start after the cap of 6 steps has dropped its steps: no step,
# as when its steps are there (tests/models/route_truncate: calendar rows, so one route; g=b, then
# six steps of p, q and r, then g=a, then the onset x=d)
expect "--routes: a route past the cap" 0 "" -- run tests/models/route_truncate --runs 20 --routes --quiet --out "$work/trunc"
check_that "routes.csv: g's return to its level at the start is no step, its own step long dropped" \
    grep -qx 'reached,1,\.\.\. -> p=c -> q=b -> q=c -> r=b -> r=c -> x=d,6,20,1,.*' "$work/trunc/routes.csv"

# The default watch dates fit the horizon: 1, 2 and 3 years, those before the end; --routes
# alone has none, so it runs on any horizon (tests/models/two_state: 2 years; backtest: 3)
expect "--routes on a 2-year scenario" 0 "" -- run tests/models/two_state --runs 50 --routes --quiet --out "$work/short"
check_that "--routes on a 2-year scenario writes routes.csv" test -s "$work/short/routes.csv"
expect "--signposts on a 3-year scenario, default watch dates" 0 "" -- \
    run scenarios/backtest-2019 --runs 200 --signposts --quiet --out "$work/bt"
check_that "its watch dates are 1 and 2 years (2020-01-01, 2021-01-01)" test \
    "$(tail -n +2 "$work/bt/signposts.csv" | cut -d, -f3 | sort -u | tr '\n' ' ')" = "2020-01-01 2021-01-01 "
expect "--watch beyond the horizon is still refused" 64 "watch date 3 years is not within the horizon" -- \
    run scenarios/backtest-2019 --runs 20 --signposts --watch 1,3 --out "$work/bt3"
rm -rf "$work/tiny" && cp -r tests/models/two_state "$work/tiny" && rm "$work/tiny/levers.csv"
sed -i 's/^horizon_years,2,/horizon_years,0.08,/' "$work/tiny/scenario.csv" # one month
expect "a horizon too short for any watch date says so" 64 \
    "two_state's horizon is too short for a watch date" -- \
    run "$work/tiny" --runs 20 --signposts --out "$work/tiny-out"

# An outcome that says 'or' across factors (tests/models/or_condition: either is x=on | y=on, x and
# y independent): its routes are told in both factors and begin with the term that came first;
# the levels of a term of one clause are its own condition, not signposts; alike (two terms of two
# clauses each) keeps every indicator.
for t in 1 2; do
    expect "--routes --signposts on 'or' outcomes, $t threads" 0 "" -- run tests/models/or_condition \
        --runs 3000 --seed 3 --routes --signposts --threads "$t" --quiet --out "$work/or$t"
done
check_that "'or' outcomes: routes and signposts the same bytes for 1 and 2 threads" \
    bash -c "cmp -s '$work/or1/routes.csv' '$work/or2/routes.csv' && cmp -s '$work/or1/signposts.csv' '$work/or2/signposts.csv'"
check_that "routes of x=on | y=on: x=on and y=on, shares adding up to 1" \
    bash -c "awk -F, '\$1 == \"either\" { n++; r[\$3] = 1; s += \$6 } END { exit !(n == 2 && r[\"x=on\"] && r[\"y=on\"] && s > 0.999 && s < 1.001) }' '$work/or1/routes.csv'"
check_that "routes of x=on | y=on: as many onsets as runs where x or y entered on" \
    bash -c "[ \"\$(awk -F, '\$1 == \"either\" { print \$10; exit }' '$work/or1/routes.csv')\" = \"\$(awk -F, '\$1 == \"either_onset\" { print \$10; exit }' '$work/or1/routes.csv')\" ]"
check_that "signposts of x=on | y=on: not x=on nor y=on (its own terms)" \
    bash -c "! grep -Eq '^either(_onset)?,([^,]*,){3}(x|y)=on,' '$work/or1/signposts.csv' && grep -q '^either,' '$work/or1/signposts.csv'"
check_that "signposts of x=on & y=on | x=off & y=off: x=on among them (no term of one clause)" \
    grep -Eq '^alike,([^,]*,){3}x=on,' "$work/or1/signposts.csv"

cli_done routes
