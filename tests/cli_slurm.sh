# tests/cli_slurm.sh: the job array of scripts/slurm/ on a real Slurm cluster. Starts a private
# one-node cluster on localhost (tests/slurm-cluster.sh: Debian's slurm-wlm and munge, as root),
# submits shards of a run, a comparison (of levers, and of two scenarios) and a sweep as job arrays, each followed by a merge job that
# waits for it (sbatch --dependency=afterok, scripts/slurm/submit.sh), waits for them, and checks
# that the merged tables are byte-identical to one process's. With build/neasim-mpi (make mpi),
# also an MPI job (scripts/slurm/mpi.sbatch). Stops the cluster and removes its folder on exit.
# When the cluster cannot start (not root, packages missing) it says why and exits 77: skipped,
# never passed.
source "$(dirname "$0")/cli-lib.sh"

"$NEASIM" merge --help >/dev/null 2>&1 || skip_suite "this neasim has no 'merge' command (the shards branch)"
cluster=$(mktemp -d /tmp/nsm-slurm-XXXXXX)
cleanup() {
    bash tests/slurm-cluster.sh stop "$cluster"
    rm -rf "$cluster" "$work"
}
trap cleanup EXIT
if ! env_line=$(bash tests/slurm-cluster.sh start "$cluster" 2>"$cluster/start.err"); then
    cat "$cluster/start.err"
    skip_suite "the Slurm cluster did not start: $(grep -m1 'slurm-cluster: ' "$cluster/start.err" | sed 's/^slurm-cluster: //')"
fi
eval "$env_line"
echo "    $(cat "$cluster/start.err")"

# wait_jobs ID...: until none is pending or running (at most 300 s); each must end COMPLETED.
wait_jobs() {
    local t id state ok=0
    for t in $(seq 1 300); do
        [ -z "$(squeue -h -j "$(IFS=,; echo "$*")" -o %i 2>/dev/null)" ] && break
        sleep 1
    done
    for id in "$@"; do
        state=$(scontrol -o show job "$id" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | sort -u | paste -sd' ')
        [ "$state" = JobState=COMPLETED ] || { echo "    job $id: ${state:-gone}"; ok=1; }
    done
    return $ok
}

# same_bytes DIR1 DIR2: every table but the manifest is byte-identical (and there are tables).
same_bytes() {
    local f ok=0 n=0
    for f in "$1"/*.csv; do
        [ "$(basename "$f")" = manifest.csv ] && continue
        n=$((n + 1))
        cmp -s "$f" "$2/$(basename "$f")" || { echo "    differs: $(basename "$f")"; ok=1; }
    done
    [ "$n" -ge 5 ] && return $ok
}

export NEASIM
# Open MPI in a container as root (as tests/cli_mpi.sh): mpirun refuses root without these, and
# shared-memory transfers need ptrace permission the container may not give
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl_vader_single_copy_mechanism=none
# Under make check-asan: Open MPI's own start-up allocations, still held when the ranks exit, are
# not neasim's leaks (as tests/cli-mpi-lib.sh); sbatch hands this environment to the jobs.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
scen=$(realpath scenarios/baseline)
run_args=(run "$scen" --runs 3000 --seed 11)
cmp_args=(compare "$scen" --levers all --runs 1200 --seed 12 --horizons 2,5)
sweep_args=(sweep "$scen" --oat --params 'transitions:*' --runs 30 --seed 14)
scn_args=(compare "$scen" "$(realpath scenarios/us-retrenchment)" --runs 1000 --seed 13 --horizons 2,5)
# the array and its merge, for a run (3 shards) and a comparison (2 shards of 2 CPUs each)
read -r run_array run_merge < <(bash scripts/slurm/submit.sh 3 "$work/run" "${run_args[@]}")
read -r cmp_array cmp_merge < <(NEASIM_SHARD_CPUS=2 bash scripts/slurm/submit.sh 2 "$work/cmp" \
    "${cmp_args[@]}")
read -r sw_array sw_merge < <(bash scripts/slurm/submit.sh 3 "$work/sweep" "${sweep_args[@]}")
read -r scn_array scn_merge < <(NEASIM_MERGE_OPTS=--xlsx bash scripts/slurm/submit.sh 2 "$work/scn" \
    "${scn_args[@]}")
check_that "sbatch took the arrays and the merges ($run_array $run_merge $cmp_array $cmp_merge)" \
    test -n "$run_merge" -a -n "$cmp_merge" -a -n "$sw_merge" -a -n "$scn_merge"
dep=$(scontrol -o show job "$run_merge" | grep -o 'Dependency=[^ ]*')
check_that "the merge waits for its array ($dep)" grep -q "afterok:${run_array}" <<<"$dep"
"$NEASIM" "${run_args[@]}" --out "$work/run-single" --quiet
"$NEASIM" "${cmp_args[@]}" --out "$work/cmp-single" --quiet
"$NEASIM" "${sweep_args[@]}" --out "$work/sweep-single" --quiet
"$NEASIM" "${scn_args[@]}" --out "$work/scn-single" --quiet
check_that "every job completed" wait_jobs "$run_array" "$run_merge" "$cmp_array" "$cmp_merge" \
    "$sw_array" "$sw_merge" "$scn_array" "$scn_merge"
check_that "3 parts of the run" test "$(ls "$work/run.parts"/part-* 2>/dev/null | wc -l)" = 3
check_that "run: merged on Slurm = one process, byte for byte" \
    same_bytes "$work/run" "$work/run-single"
check_that "compare: merged on Slurm = one process, byte for byte" \
    same_bytes "$work/cmp" "$work/cmp-single"
check_that "sweep: merged on Slurm = one process, byte for byte" \
    same_bytes "$work/sweep" "$work/sweep-single"
check_that "compare A B (whole scenarios): merged on Slurm = one process, byte for byte" \
    same_bytes "$work/scn" "$work/scn-single"
check_that "NEASIM_MERGE_OPTS=--xlsx: the merge job wrote results.xlsx" test -s "$work/scn/results.xlsx"
check_that "... and only there" test ! -e "$work/cmp/results.xlsx"

# A shard that fails: the merge never runs (afterok) and nothing is written.
read -r bad_array bad_merge < <(bash scripts/slurm/submit.sh 2 "$work/bad" run "$scen" --runs 0)
wait_jobs "$bad_array" "$bad_merge" >/dev/null
check_that "a failed shard cancels its merge" test ! -e "$work/bad"

# The MPI job, when the MPI build is there.
mpi=$(dirname "$NEASIM")/neasim-mpi
if [ -x "$mpi" ]; then
    for launch in srun mpirun; do
        id=$(NEASIM_MPI=$mpi NEASIM_MPI_LAUNCH=$launch sbatch --parsable --ntasks=2 \
            --output="$work/mpi-$launch.log" scripts/slurm/mpi.sbatch "${run_args[@]}" \
            --out "$work/mpi-$launch" --quiet)
        if wait_jobs "$id"; then
            check_that "MPI job ($launch, 2 ranks) = one process, byte for byte" \
                same_bytes "$work/mpi-$launch" "$work/run-single"
            check_that "MPI job ($launch): the manifest says 2 ranks" \
                grep -q '^mpi_ranks,2' "$work/mpi-$launch/manifest.csv"
        else
            echo "FAIL MPI job ($launch): $(tail -3 "$work/mpi-$launch.log")"; fail=$((fail + 1))
        fi
    done
else
    skip_part "the MPI job under Slurm (srun and mpirun, 2 ranks)" "$mpi is not built: make mpi"
fi

cli_done slurm
