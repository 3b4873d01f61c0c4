#!/usr/bin/env bash
# tests/cli_mpi_sweep.sh: sweeps of few points under `mpirun -n K build/neasim-mpi` (issue 13):
# with fewer than 4 points a rank the ranks split each point's replications (slices as in run)
# and rank 0 adds them per point; every output but manifest.csv is byte-identical to one plain
# process for K = 1..4 and 1 or 2 threads a rank (grid, one-at-a-time, Latin hypercube and Sobol
# designs), and the manifest's events_simulated equals the plain one. That the replications are
# split is seen in a failure: replication 612 of a one-point sweep fails on the rank whose slice
# holds it. A stopped sweep keeps its finished points (rank 0 counts them) and --resume under
# other K (or one plain process) finishes it byte for byte. events_simulated of run, compare
# and --outer under mpirun equals the plain run's too.
# Skipped (exit 77, loudly) without mpirun or build/neasim-mpi (`make mpi`).
# Run as `bash tests/cli_mpi_sweep.sh BUILD_DIR` from the project root.
source "$(dirname "$0")/cli-lib.sh"

source "$(dirname "$0")/cli-mpi-lib.sh"

# events_of DIR: the manifest's events_simulated.
events_of() { sed -n 's/^events_simulated,//p' "$1/manifest.csv" | tr -d '\r'; }
# same_events NAME DIR1 DIR2: the two manifests report the same events_simulated, and not 0.
same_events() {
    local a b ok=1
    a=$(events_of "$2"); b=$(events_of "$3")
    [ -n "$a" ] && [ "$a" != 0 ] && [ "$a" = "$b" ] || { ok=0; echo "    events_simulated: '$a', '$b'"; }
    check_that "$1" [ "$ok" -eq 1 ]
}

# ranks (cli-mpi-lib.sh) also checks that each K reports the plain run's events_simulated.
ranks_each() { same_events "$1: mpirun -n $2: events_simulated = one process's" "$work/$1-plain" "$work/$1-$2"; }

S=scenarios/baseline
P=factors:rok_political_stability:normal
# few points: 6, 3, 3 and 6, each fewer than 4 a rank for K = 2..4
printf 'parameter,values\ntransitions:f:a>b,0.2;0.5;1\nlevers,none;calm_h\n' > "$work/grid.csv"
ranks grid -- sweep tests/models/paths --grid "$work/grid.csv" --runs 200 --seed 4
ranks oat -- sweep $S --oat --params "$P" --runs 60 --seed 4
ranks lhs -- sweep $S --lhs 3 --runs 60 --seed 5
ranks sobol -- sweep $S --sobol 2 --params "$P" --runs 40 --seed 6
check_that "few points: the Sobol table is there" [ -s "$work/sobol-3/sensitivity.csv" ]
check_that "few points: the manifest records the ranks" grep -q '^mpi_ranks,4' "$work/lhs-4/manifest.csv"
check_that "few points: no work folder left" [ -z "$(ls -d "$work"/*.partial 2>/dev/null)" ]
# many points (69: at least 4 a rank) still go whole to the ranks; their events are counted too
ranks many -- sweep $S --oat --params 'transitions:*' --runs 10 --seed 4

# --- the replications of a point are split: replication 612 of 800 runs away (found by a plain
# run), in the slice of rank 1 of 2 (400..799) and of rank 3 of 4 (600..799): whole points would
# have put the only point on rank 0
C=tests/models/counts
printf 'parameter,values\nevents:poisson:rate_per_year,5\n' > "$work/one.csv"
expect "split: the plain sweep fails" 70 "replication 612 ran away" -- sweep $C --grid "$work/one.csv" --runs 800 --max-events 56 --quiet --out "$work/fail"
for k in 2 4; do
    mpi "$k" sweep $C --grid "$work/one.csv" --runs 800 --max-events 56 --quiet --threads 1 --out "$work/fail-$k"
    rc=$?
    check_that "split -n $k: exit 70 (got $rc)" [ "$rc" -eq 70 ]
    check_that "split -n $k: the rank whose slice holds replication 612 says so" \
        grep -q "rank $((k - 1)) of $k: replication 612 ran away" "$work/mpi.out"
    check_that "split -n $k: said once" [ "$(grep -c 'ran away' "$work/mpi.out")" -eq 1 ]
    check_that "split -n $k: nothing written" [ ! -e "$work/fail-$k" ]
done

# --- stopped and resumed: NEASIM_TEST_STOP_AFTER_POINTS=2 stops after 2 new points (rank 0
# counts the points the ranks share: 2, where whole points a rank would have kept 4)
G=(sweep tests/models/paths --grid "$work/grid.csv" --runs 200 --seed 4 --quiet)
NEASIM_TEST_STOP_AFTER_POINTS=2 mpi 2 "${G[@]}" --threads 1 --out "$work/stop"
rc=$?
check_that "stop: a stopped sweep exits 130 (got $rc)" [ "$rc" -eq 130 ]
check_that "stop: ... keeping 2 points" [ "$(ls "$work/stop.partial/points" | grep -c 'counts$')" -eq 2 ]
check_that "stop: ... and saying so once" [ "$(grep -c -- "--resume" "$work/mpi.out")" -eq 1 ]
NEASIM_TEST_STOP_AFTER_POINTS=2 mpi 4 "${G[@]}" --threads 2 --out "$work/stop" --resume
check_that "stop: resumed under 4 and stopped again: 4 points" [ "$(ls "$work/stop.partial/points" | grep -c 'counts$')" -eq 4 ]
mpi 3 "${G[@]}" --threads 1 --out "$work/stop" --resume
check_that "stop: --resume under 3 ranks finishes it ($?)" [ -f "$work/stop/sweep.csv" ]
same_tables "stop: stopped under 2 and 4 ranks, resumed under 3 = one process" "$work/grid-plain" "$work/stop"
same_events "stop: ... and its events_simulated" "$work/grid-plain" "$work/stop"
# stopped under ranks, finished by one plain process (points side by side or one after another)
NEASIM_TEST_STOP_AFTER_POINTS=3 mpi 3 "${G[@]}" --threads 1 --out "$work/stop1"
expect "stop: --resume in one plain process" 0 "" -- "${G[@]}" --threads 2 --out "$work/stop1" --resume
same_tables "stop: stopped under 3 ranks, resumed in one process = one process" "$work/grid-plain" "$work/stop1"
same_events "stop: ... and its events_simulated" "$work/grid-plain" "$work/stop1"
# a damaged point is run again, with a warning from rank 0 alone
NEASIM_TEST_STOP_AFTER_POINTS=2 mpi 2 "${G[@]}" --threads 1 --out "$work/dmg"
printf 'x' >> "$work/dmg.partial/points/00000002.csv"
mpi 2 sweep tests/models/paths --grid "$work/grid.csv" --runs 200 --seed 4 --threads 1 --out "$work/dmg" --resume
check_that "damaged: point 2 is run again, said once" [ "$(grep -c 'point 2 is damaged' "$work/mpi.out")" -eq 1 ]
same_tables "damaged: resumed under 2 ranks = one process" "$work/grid-plain" "$work/dmg"

# --- events_simulated of run, compare and --outer under mpirun: the plain run's
for k in 2 3; do
    mpi "$k" run $S --runs 300 --seed 11 --quiet --threads 1 --out "$work/run-$k"
    mpi "$k" compare $S --levers all --runs 100 --seed 2 --quiet --threads 1 --out "$work/cmp-$k"
    mpi "$k" run $S --outer 4 --runs 30 --seed 3 --quiet --threads 1 --out "$work/outer-$k"
done
"$NEASIM" run $S --runs 300 --seed 11 --quiet --out "$work/run-plain"
"$NEASIM" compare $S --levers all --runs 100 --seed 2 --quiet --out "$work/cmp-plain"
"$NEASIM" run $S --outer 4 --runs 30 --seed 3 --quiet --out "$work/outer-plain"
for k in 2 3; do
    same_events "events: run under $k ranks = one process" "$work/run-plain" "$work/run-$k"
    same_events "events: compare under $k ranks = one process" "$work/cmp-plain" "$work/cmp-$k"
    same_events "events: run --outer under $k ranks = one process" "$work/outer-plain" "$work/outer-$k"
done

cli_done mpi_sweep
