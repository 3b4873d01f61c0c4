#!/usr/bin/env bash
# tests/cli_mpi_precision.sh: `mpirun -n K build/neasim-mpi run|compare ... --precision H` (issue
# 13): for K = 1..4 ranks of 1 or 2 threads every output but manifest.csv is byte-identical to one
# plain process's --precision run, stopping at the same count (target met, and ceiling reached;
# with --routes --signposts too; compare with arms of two levers, --precision-for interactions,
# --precision-for ARM: and compare A B too; run, compare and compare A B with --outer, in draws);
# a replication failing on one rank in a later batch ends every rank with the single-process
# message, exit 70 and nothing written; Ctrl-C on mpirun (run and compare, with and without
# --precision) stops every rank, says once that nothing was written, and leaves --out as it was.
# Skipped (exit 77, loudly) without mpirun or build/neasim-mpi (`make mpi`).
# Run as `bash tests/cli_mpi_precision.sh BUILD_DIR` from the project root.
source "$(dirname "$0")/cli-lib.sh"

MPI_STDERR=1
source "$(dirname "$0")/cli-mpi-lib.sh"

bad_case() { echo "FAIL $1"; fail=$((fail + 1)); }
row() { grep "^$2," "$1/manifest.csv" | cut -d, -f2- | tr -d '\r'; } # row DIR KEY: a manifest's value
# same_events DIR1 DIR2: both manifests count the same events, and more than none (the ranks'
# batches carry their counts to rank 0)
same_events() { local a; a=$(row "$1" events_simulated); [ "$a" -gt 0 ] && [ "$(row "$2" events_simulated)" = "$a" ]; }

# ranks (cli-mpi-lib.sh) with the runs' own words (no --quiet) also checks that every K's manifest
# says the same count of replications and whether the target was met, and that stdout and stderr
# say the same Precision line and warning, once.
RANKS_QUIET=
ranks_plain() { # NAME ARGS...: the plain run's stdout and stderr, to compare with each K's
    local name=$1
    shift
    "$NEASIM" "$@" --threads 2 --out "$work/$name-plain" > "$work/plain.out" 2> "$work/plain.err"
}
ranks_each() {
    local name=$1 k=$2 t=$3
    check_that "$name -n $k: the same runs ($(row "$work/$name-$k" runs))" \
        [ "$(row "$work/$name-$k" runs)" = "$(row "$work/$name-plain" runs)" ]
    check_that "$name -n $k: the same events_simulated ($(row "$work/$name-$k" events_simulated), not 0)" \
        same_events "$work/$name-plain" "$work/$name-$k"
    check_that "$name -n $k: the same precision rows" [ "$(grep ^precision_ "$work/$name-$k/manifest.csv")" = \
        "$(grep ^precision_ "$work/$name-plain/manifest.csv")" ]
    if [ "$k" -gt 1 ]; then
        check_that "$name -n $k: the manifest records $k ranks of $t threads" \
            [ "$(row "$work/$name-$k" mpi_ranks),$(row "$work/$name-$k" threads_per_rank)" = "$k,$t" ]
    else # one rank is one process
        check_that "$name -n 1: the manifest records $t threads" [ "$(row "$work/$name-$k" threads)" = "$t" ]
    fi
    check_that "$name -n $k: the same Precision line, once" [ "$(grep -c '^Precision: ' "$work/mpi.out")" = \
        "$(grep -c '^Precision: ' "$work/plain.out")" ]
    check_that "$name -n $k: ... saying the same" [ "$(grep '^Precision: ' "$work/mpi.out")" = \
        "$(grep '^Precision: ' "$work/plain.out")" ]
    check_that "$name -n $k: the same warning, once" [ "$(grep -c 'NOT met' "$work/mpi.err")" = \
        "$(grep -c 'NOT met' "$work/plain.err")" ]
}

S=scenarios/baseline
# met after 3,000 runs (three exchanges)
ranks run -- run $S --precision 0.02 --seed 5
check_that "run: the target was met after 3000 runs" [ "$(row "$work/run-plain" runs),$(row "$work/run-plain" precision_met)" = "3000,yes" ]
check_that "run: ... and the summary line says so" grep -q "met after 3000 runs" "$work/plain.out"
# with routes and signposts: those of the replications of the batches used, as one process's
ranks story -- run $S --precision 0.03 --seed 5 --routes --signposts
check_all "story: routes.csv and signposts.csv written" \
    '[ -s "$work/story-plain/routes.csv" ] && [ -s "$work/story-plain/signposts.csv" ]'
# the ceiling first, in the middle of a batch (2,000 + 500)
ranks ceiling -- run $S --precision 0.01 --runs 2500 --seed 3 --precision-for alliance_in_crisis@5 --paths 3
check_that "ceiling: 2500 runs, target not met" [ "$(row "$work/ceiling-plain" runs),$(row "$work/ceiling-plain" precision_met)" = "2500,no" ]
# a ceiling below the number of ranks: some ranks' slices are empty
ranks tiny -- run tests/models/two_state --precision 0.01 --runs 3 --seed 2
check_that "tiny: 3 runs" [ "$(row "$work/tiny-plain" runs)" = 3 ]
ranks compare -- compare $S --levers all --precision 0.03 --seed 5
check_that "compare: met after 2000 runs" [ "$(row "$work/compare-plain" runs),$(row "$work/compare-plain" precision_met)" = "2000,yes" ]
ranks compare-paths -- compare tests/models/paths --levers all --precision 0.04 --runs 5000 --seed 7
# arms of two levers: each batch's parts carry the interactions' pairs, added into the totals
ranks factorial -- compare tests/models/paths --levers push_f,calm_h --factorial --precision 0.02 --seed 5
check_that "factorial: met after 3000 runs, interactions.csv written" \
    [ "$(row "$work/factorial-plain" runs),$(row "$work/factorial-plain" precision_met),$(test -s "$work/factorial-4/interactions.csv" && echo w)" = "3000,yes,w" ]
# --precision-for interactions: rank 0 applies the rule to the interactions of the totals too
ranks interactions -- compare tests/models/interact --levers all --factorial --precision 0.02 --precision-for interactions --seed 5
check_that "interactions: met after 4000 runs, the interaction named" \
    [ "$(row "$work/interactions-plain" runs),$(row "$work/interactions-plain" precision_met),$(grep -c 'the interaction of Twice as fast and Three times as fast)$' "$work/plain.out")" = "4000,yes,1" ]
# ARM: one arm's targets, rank 0's rule reading only that arm of the totals (2,000 runs where every
# arm's need 5,000)
ranks one-arm -- compare $S --levers equitable_burden_sharing,us_posture_review,ncg_institutionalized \
    --precision 0.015 --precision-for us_posture_review: --seed 5
check_that "one-arm: met after 2000 runs" \
    [ "$(row "$work/one-arm-plain" runs),$(row "$work/one-arm-plain" precision_met)" = "2000,yes" ]
# whole scenarios: every scenario's batches split over the ranks alike
ranks scenarios -- compare $S scenarios/us-retrenchment --precision 0.02 --seed 3
check_that "scenarios: met after more than one batch ($(row "$work/scenarios-plain" runs))" \
    [ "$(row "$work/scenarios-plain" runs),$(row "$work/scenarios-plain" precision_met)" = "3000,yes" ]
check_that "compare-paths: stopped below the ceiling" [ "$(row "$work/compare-paths-plain" runs)" -lt 5000 ]
# --outer: batches of draws (30, then 10) split over the ranks, each draw's row of the per-draw
# tables (uncertainty.csv) carried to its place on rank 0
ranks outer -- run $S --outer 400 --runs 100 --precision 0.04 --seed 3
check_that "outer: met after 180 draws" \
    [ "$(row "$work/outer-plain" outer_draws),$(row "$work/outer-plain" precision_met)" = "180,yes" ]
ranks outer-compare -- compare $S --levers us_posture_review,ncg_institutionalized --outer 300 \
    --runs 100 --precision 0.02 --horizons 2,5 --seed 3
ranks outer-scenarios -- compare scenarios/us-retrenchment $S --outer 300 --runs 50 --precision 0.04 \
    --seed 3
check_all "outer compares: met after more than the first batch ($(row "$work/outer-compare-plain" outer_draws), $(row "$work/outer-scenarios-plain" outer_draws))" \
    '[ "$(row "$work/outer-compare-plain" outer_draws)" -gt 30 ] &&
     [ "$(row "$work/outer-scenarios-plain" outer_draws)" -gt 30 ] &&
     [ "$(row "$work/outer-compare-plain" precision_met)$(row "$work/outer-scenarios-plain" precision_met)" = yesyes ]'

# refused alike on every rank, said once, before any batch
mpi 3 run $S --precision 0.01 --precision-for nosuch --out "$work/x"
rc=$?
check_that "a bad --precision-for under mpirun: exit 64 (got $rc)" [ "$rc" -eq 64 ]
check_that "... said once" [ "$(grep -c "no outcome 'nosuch'" "$work/mpi.err")" -eq 1 ]

# --- a replication that runs away in a later batch (replication 1802 of the baseline with 500
# events, batch 1, found by a plain run, the lowest that runs away whatever the thread count): in
# rank 1's slice for K = 2, rank 2's for K = 3, rank 3's for K = 4; the batch before it was
# exchanged. (400 events until the launch-day dispersion was drawn from its posterior: a small
# draw of k, 289 launch days a year, ran replication 992, in batch 0, past 400; 450 until the
# posture attribution's uncertainty was carried: the wider regime rates run replication 1651, in
# batch 1, past 450; replication 2545, batch 2, until the chain's routine exits were gammas and
# the exercise months one seasonal row drawn once.)
# Every rank ends, exit 70, the plain message once, nothing written.
expect "fail: the plain run fails" 70 "replication 1802 ran away" \
    -- run $S --precision 0.005 --max-events 500 --quiet --out "$work/fail"
plain_msg=$("$NEASIM" run $S --precision 0.005 --max-events 500 --quiet --out "$work/fail" 2>&1)
for kr in 2:1 3:2 4:3; do
    k=${kr%:*} r=${kr#*:}
    mpi "$k" run $S --precision 0.005 --max-events 500 --quiet --threads 1 --out "$work/fail-$k"
    rc=$?
    check_that "fail -n $k: a rank's failure ends every rank, exit 70 (got $rc)" [ "$rc" -eq 70 ]
    check_that "fail -n $k: the message names rank $r and is the plain one" \
        grep -qF "rank $r of $k: $plain_msg" "$work/mpi.err"
    check_that "fail -n $k: said once" [ "$(grep -c 'ran away' "$work/mpi.err")" -eq 1 ]
    check_that "fail -n $k: nothing written" [ -z "$(ls -d "$work"/fail-$k* "$work"/.fail-$k* 2>/dev/null)" ]
done
# on rank 0 (replication 66 with 250 events, batch 0; 86 before the posture attribution was
# carried, 50 before the chain's routine exits were gammas, 107 before the exercise months were one
# seasonal row) and in a comparison (replication 510 with 500 events, batch 0, rank 1 of 3; 2545
# before the gammas and the seasonal row)
plain_msg=$("$NEASIM" run $S --precision 0.005 --max-events 250 --quiet --out "$work/fail0" 2>&1)
mpi 2 run $S --precision 0.005 --max-events 250 --quiet --out "$work/fail0"
rc=$?
check_that "fail on rank 0: exit 70 (got $rc)" [ "$rc" -eq 70 ]
check_that "fail on rank 0: the plain message" grep -qF "rank 0 of 2: $plain_msg" "$work/mpi.err"
check_that "fail on rank 0: nothing written" [ ! -e "$work/fail0" ]
plain_msg=$("$NEASIM" compare $S --levers all --precision 0.005 --max-events 500 --quiet --out "$work/failc" 2>&1)
check_that "failc: the plain comparison fails at replication 510" grep -q "replication 510 ran away" <<<"$plain_msg"
mpi 3 compare $S --levers all --precision 0.005 --max-events 500 --quiet --out "$work/failc"
rc=$?
check_that "failc -n 3: exit 70 (got $rc)" [ "$rc" -eq 70 ]
check_that "failc -n 3: the plain message from rank 1" grep -qF "rank 1 of 3: $plain_msg" "$work/mpi.err"
check_that "failc -n 3: nothing written" [ ! -e "$work/failc" ]

# --- Ctrl-C on mpirun. A terminal sends SIGINT to its foreground process group: mpirun alone (Open
# MPI starts each rank in a process group of its own). Open MPI 4's mpirun answers with SIGTERM to
# every rank and exits 1 itself, whatever the ranks return; the ranks stop within a replication,
# and rank 0 says once why nothing was written. mpirun SIGKILLs a rank still alive 1 s after its
# SIGTERM: on a busy machine (these tests share theirs) that can come before rank 0 has said
# anything, so the tests give the ranks 3 s (a real Ctrl-C on an idle machine needs well under 1).
export OMPI_MCA_odls_base_sigkill_timeout=3
# the ranks of mpirun $1 once each has used 0.3 s of CPU (past reading the scenario: simulating)
simulating() {
    local kids k ticks
    for _ in $(seq 1200); do
        kids=$(pgrep -P "$1") ticks=1000
        for k in $kids; do
            t=$(awk '{ print $14 + $15 }' "/proc/$k/stat" 2>/dev/null || echo 0)
            [ "${t:-0}" -lt "$ticks" ] && ticks=${t:-0}
        done
        [ "$(wc -w <<<"$kids")" -eq "$2" ] && [ "$ticks" -ge 30 ] && { echo "$kids"; return 0; }
        sleep 0.1
    done
    return 1
}
# ctrl_c NAME K SIGNAL-TO ARGS...: start mpirun -n K neasim-mpi ARGS in the background in a process
# group of its own (as a shell with job control starts a command), wait until it simulates, then
# send SIGINT to mpirun's process group ("group", as Ctrl-C does) or to every rank ("ranks", as srun
# passes Ctrl-C on). Sets rc (mpirun's exit status) and secs (from the signal to the end).
ctrl_c() {
    local name=$1 k=$2 to=$3 pid kids t0
    shift 3
    set -m
    env --default-signal=INT mpirun --oversubscribe -n "$k" "$MPI_BIN" "$@" > "$work/int.out" 2> "$work/int.err" &
    pid=$!
    set +m
    rc=-1 secs=-1
    if ! kids=$(simulating "$pid" "$k"); then
        kill -KILL -- "-$pid"; wait "$pid"
        bad_case "$name: mpirun's ranks never started simulating"
        return
    fi
    t0=$(date +%s%N)
    if [ "$to" = group ]; then kill -INT -- "-$pid"; else kill -INT $kids; fi
    for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL -- "-$pid" $kids; echo "    $name: still running 30 s after SIGINT"; fi
    wait "$pid"; rc=$?
    secs=$((($(date +%s%N) - t0) / 1000000000))
}
# after_ctrl_c NAME WHY DEST: nothing written, said once, in good time
after_ctrl_c() {
    local name=$1 why=$2 dest=$3
    check_that "$name: mpirun exits non-zero (got $rc)" [ "$rc" -ne 0 ]
    check_that "$name: ended within 10 s of the signal (took $secs)" test "$secs" -ge 0 -a "$secs" -le 10
    check_that "$name: rank 0 says why, once" [ "$(grep -c "$why.*; nothing was written" "$work/int.err")" -eq 1 ]
    check_that "$name: no staging folder left" [ -z "$(ls -A "$(dirname "$dest")" | grep '\.tmp-')" ]
}
mkdir -p "$work/int"
L="--levers all"
for c in "run-plain:run $S --runs 100000000" "run-precision:run $S --precision 0.0002" \
         "compare-plain:compare $S $L --runs 100000000" "compare-precision:compare $S $L --precision 0.0002"; do
    name=${c%%:*} args=${c#*:}
    # shellcheck disable=SC2086
    ctrl_c "Ctrl-C $name" 2 group $args --threads 1 --quiet --out "$work/int/$name"
    after_ctrl_c "Ctrl-C $name" "SIGTERM from the MPI launcher (mpirun sends it on Ctrl-C)" "$work/int/$name"
    check_that "Ctrl-C $name: Open MPI's mpirun exits 1 (got $rc)" [ "$rc" -eq 1 ]
    check_that "Ctrl-C $name: no results folder" [ ! -e "$work/int/$name" ]
done
# an existing results folder is left as it was
"$NEASIM" run tests/models/two_state --runs 10 --quiet --out "$work/int/keep"
before=$(cat "$work/int/keep"/* | md5sum)
ctrl_c "Ctrl-C over a folder" 3 group run $S --precision 0.0002 --threads 1 --quiet --out "$work/int/keep"
after_ctrl_c "Ctrl-C over a folder" "SIGTERM from the MPI launcher" "$work/int/keep"
check_that "Ctrl-C over a folder: the folder is as it was" [ "$(cat "$work/int/keep"/* | md5sum)" = "$before" ]
# SIGINT on every rank (srun passes Ctrl-C on so): exactly one process's Ctrl-C, exit 130
ctrl_c "SIGINT to the ranks" 3 ranks run $S --precision 0.0002 --threads 1 --quiet --out "$work/int/ranks"
after_ctrl_c "SIGINT to the ranks" "interrupted (Ctrl-C, SIGINT)" "$work/int/ranks"
check_that "SIGINT to the ranks: exit 130, as one process (got $rc)" [ "$rc" -eq 130 ]
check_that "SIGINT to the ranks: no results folder" [ ! -e "$work/int/ranks" ]

cli_done mpi_precision
