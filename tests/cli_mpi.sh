#!/usr/bin/env bash
# tests/cli_mpi.sh: `mpirun -n K build/neasim-mpi run|compare|sweep ...` (issue 13): for K = 1..4
# every output but manifest.csv is byte-identical to one plain process (run, compare of levers and
# of whole scenarios, both with --outer, sweeps on a grid and one at a time, run --routes
# --signposts), with 1 or 2 threads a rank; a replication failing on one rank ends every rank
# with the single-process message, exit 70 and nothing written; a bad --watch is said once.
# Skipped (exit 77, loudly) without mpirun or build/neasim-mpi (`make mpi`).
# Run as `bash tests/cli_mpi.sh BUILD_DIR` from the project root.
source "$(dirname "$0")/cli-lib.sh"

source "$(dirname "$0")/cli-mpi-lib.sh"

S=scenarios/baseline
ranks run -- run $S --runs 400 --seed 11 --paths 2
ranks outer -- run $S --outer 5 --runs 40 --seed 3
ranks compare -- compare $S --levers all --runs 200 --seed 2
ranks compare-outer -- compare $S --levers all --outer 3 --runs 30 --seed 9
ranks factorial -- compare tests/models/paths --levers push_f,calm_h,push_f_later --factorial --runs 1000 --seed 5
check_that "mpi: interactions.csv written" test -s "$work/factorial-4/interactions.csv"
# whole scenarios (compare A B ...): every rank reads them all and simulates its slice of each
ranks scenarios -- compare $S scenarios/us-retrenchment --runs 200 --seed 2
ranks scenarios-outer -- compare $S scenarios/us-retrenchment scenarios/formal-alignment --outer 3 --runs 30 --seed 9
mpi 3 compare $S scenarios/formal-alignment --runs 30 --seed 1 --out "$work/left-out"
check_that "mpi: the outcome left out of a comparison of scenarios is said once" \
    [ "$(grep -c "left out: rcd_coordinated_or_formal" "$work/mpi.out")" -eq 1 ]
printf 'parameter,values\ntransitions:f:a>b,0.2;0.5;1\nlevers,none;calm_h\n' > "$work/grid.csv"
ranks grid -- sweep tests/models/paths --grid "$work/grid.csv" --runs 200 --seed 4
ranks oat -- sweep $S --oat --params 'transitions:*' --runs 20 --seed 4
# routes and signposts travel in the ranks' parts: routes.csv and signposts.csv as one process's
ranks story -- run $S --runs 400 --seed 7 --routes --signposts
check_all "mpi: routes.csv and signposts.csv written" \
    '[ -s "$work/story-4/routes.csv" ] && [ -s "$work/story-4/signposts.csv" ]'
ranks story-model -- run tests/models/routes --runs 300 --seed 3 --routes --signposts --watch 0.5
check_that "mpi: the routes model's two routes of absorbed" [ "$(grep -c '^absorbed,[0-9]' "$work/story-model-3/routes.csv")" -eq 2 ]
check_that "mpi: the manifest records ranks and threads per rank" \
    grep -q '^mpi_ranks,3' "$work/run-3/manifest.csv"
check_that "mpi: ... threads per rank (2 for -n 3)" grep -q '^threads_per_rank,2' "$work/run-3/manifest.csv"
check_that "mpi: a sweep's manifest too" grep -q '^mpi_ranks,4' "$work/oat-4/manifest.csv"
check_that "mpi: no work folder left" [ -z "$(ls -d "$work"/*.partial 2>/dev/null)" ]

# --- other commands run on rank 0 alone: a merge of sweep shards under mpirun -n 2
for i in 1 2; do
    "$NEASIM" sweep tests/models/paths --grid "$work/grid.csv" --runs 200 --seed 4 --quiet --shard $i/2 --out "$work/gp$i"
done
mpi 2 merge "$work/gp1" "$work/gp2" --quiet --out "$work/grid-merged"
same_tables "mpi: merge under mpirun -n 2 = one process" "$work/grid-plain" "$work/grid-merged"

# --- a sweep stopped under mpirun keeps its points; --resume under another K finishes it, byte-
# identical (NEASIM_TEST_STOP_AFTER_POINTS stops each rank after 3 new points, as Ctrl-C would)
NEASIM_TEST_STOP_AFTER_POINTS=3 mpi 2 sweep $S --oat --params 'transitions:*' --runs 20 --seed 4 --quiet --threads 1 --out "$work/oat-stop"
rc=$?
check_that "mpi: a stopped sweep exits 130 (got $rc)" [ "$rc" -eq 130 ]
check_that "mpi: ... keeping 6 points" [ "$(ls "$work/oat-stop.partial/points" | grep -c counts)" -eq 6 ]
check_that "mpi: ... and saying so once" [ "$(grep -c -- "--resume" "$work/mpi.out")" -eq 1 ]
mpi 3 sweep $S --oat --params 'transitions:*' --runs 20 --seed 4 --quiet --threads 1 --out "$work/oat-stop" --resume
check_that "mpi: --resume under 3 ranks finishes it ($?)" [ -f "$work/oat-stop/tornado.csv" ]
same_tables "mpi: stopped under 2 ranks, resumed under 3 = one process" "$work/oat-plain" "$work/oat-stop"

# --- a replication that runs away on one rank: replication 612 of 800 (found by a plain run) is
# in the last rank's slice for K = 2, 3, 4; every rank ends, exit 70, one message, nothing written
C=tests/models/counts
expect "mpi: the plain run fails" 70 "replication 612 ran away" -- run $C --runs 800 --max-events 56 --quiet --out "$work/fail"
plain_msg=$("$NEASIM" run $C --runs 800 --max-events 56 --quiet --out "$work/fail" 2>&1)
for k in 2 3 4; do
    mpi "$k" run $C --runs 800 --max-events 56 --quiet --out "$work/fail-$k"
    rc=$?
    check_that "mpi -n $k: a rank's failure ends every rank, exit 70 (got $rc)" [ "$rc" -eq 70 ]
    check_that "mpi -n $k: the message names the rank and is the plain one" \
        grep -qF "rank $((k - 1)) of $k: $plain_msg" "$work/mpi.out"
    check_that "mpi -n $k: said once" [ "$(grep -c 'ran away' "$work/mpi.out")" -eq 1 ]
    check_that "mpi -n $k: nothing written" [ -z "$(ls -d "$work"/fail-$k* "$work"/.fail-$k* 2>/dev/null)" ]
done
# a comparison: replication 77 of 100 runs away (in the last rank's slice for K = 3)
plain_msg=$("$NEASIM" compare tests/models/paths --levers all --runs 100 --max-events 56 --quiet --out "$work/failc" 2>&1)
mpi 3 compare tests/models/paths --levers all --runs 100 --max-events 56 --quiet --out "$work/failc"
check_that "mpi: compare fails the same way, exit 70 ($?)" grep -qF "rank 2 of 3: $plain_msg" "$work/mpi.out"
check_that "mpi: ... nothing written" [ ! -e "$work/failc" ]
printf 'parameter,values\nevents:poisson:rate_per_year,4;5;6\n' > "$work/gfail.csv"
mpi 2 sweep $C --grid "$work/gfail.csv" --runs 800 --max-events 56 --quiet --out "$work/fails"
rc=$?
check_that "mpi: a sweep fails too, exit 70 (got $rc)" [ "$rc" -eq 70 ]
check_that "mpi: ... saying why, once" [ "$(grep -c "ran away" "$work/mpi.out")" -eq 1 ]
check_that "mpi: the failed sweep wrote no results" [ ! -e "$work/fails" ]

# --- bad input: every rank meets it; it is said once
mpi 3 run tests/models/nothere --quiet --out "$work/x"
check_that "mpi: a missing scenario, exit 66 ($?)" grep -q "nothere" "$work/mpi.out"
check_that "mpi: ... said once" [ "$(grep -c nothere "$work/mpi.out")" -eq 1 ]
mpi 3 run tests/models/signposts --signposts --watch 9 --quiet --out "$work/x"
check_that "mpi: a watch date beyond the horizon, exit 64 ($?)" grep -q "watch date 9 years is not within" "$work/mpi.out"
check_that "mpi: ... said once" [ "$(grep -c "watch date 9" "$work/mpi.out")" -eq 1 ]
check_that "mpi: ... nothing written" [ ! -e "$work/x" ]
mpi 2 run $S --runs 10 --shard 1/2 --out "$work/x"
check_that "mpi: --shard under mpirun is refused" grep -q "use one or the other" "$work/mpi.out"
mpi 2 compare $S scenarios/us-retrenchment --runs 10 --shard 1/2 --out "$work/x"
check_that "mpi: ... for compare A B too" grep -q "use one or the other" "$work/mpi.out"
mpi 3 compare $S tests/models/two_state --runs 10 --quiet --out "$work/x"
rc=$?
check_that "mpi: scenarios that cannot be compared, exit 65 (got $rc)" [ "$rc" -eq 65 ]
check_that "mpi: ... saying why" grep -q "start on different dates" "$work/mpi.out"
check_that "mpi: ... said once" [ "$(grep -c "start on different dates" "$work/mpi.out")" -eq 1 ]
check_that "mpi: ... nothing written" [ ! -e "$work/x" ]

cli_done mpi
