# tests/cli-mpi-lib.sh: what the Open MPI suites share, sourced after cli-lib.sh: MPI_BIN, a loud
# skip (skip_suite) without mpirun or build/neasim-mpi (`make mpi`) or when mpirun cannot start a
# process here, the environment Open MPI needs in a container, mpi K ARGS... and ranks NAME -- ARGS...
# Set MPI_STDERR=1 before sourcing to keep the ranks' stderr apart in $work/mpi.err (else it joins
# $work/mpi.out).
MPI_BIN=$(dirname "$NEASIM")/neasim-mpi
if ! command -v mpirun >/dev/null || [ ! -x "$MPI_BIN" ]; then
    skip_suite "$(command -v mpirun >/dev/null || echo 'mpirun is missing (make deps installs openmpi-bin and libopenmpi-dev)') $([ -x "$MPI_BIN" ] || echo "$MPI_BIN is missing (make mpi)")"
fi
# Open MPI refuses root without these, and a container may have fewer cores than ranks; the
# shared-memory transport's single-copy mechanism needs ptrace rights a sandbox may not give.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1 OMPI_MCA_btl_vader_single_copy_mechanism=none
# Under make check-asan: Open MPI's own allocations, still held at exit, are not neasim's leaks.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
mpi() { # K ARGS...: mpirun -n K neasim-mpi ARGS, its output in $work/mpi.out (and mpi.err)
    local k=$1
    shift
    if [ -n "${MPI_STDERR:-}" ]; then
        timeout 300 mpirun --oversubscribe -n "$k" "$MPI_BIN" "$@" > "$work/mpi.out" 2> "$work/mpi.err"
    else
        timeout 300 mpirun --oversubscribe -n "$k" "$MPI_BIN" "$@" > "$work/mpi.out" 2>&1
    fi
}
if ! mpi 1 --version; then
    cat "$work/mpi.out" ${MPI_STDERR:+"$work/mpi.err"} | sed 's/^/    /' | head -5
    skip_suite "mpirun cannot start a process here (its words above)"
fi

# ranks NAME -- ARGS...: ARGS once plainly (2 threads, into $work/NAME-plain), then under mpirun
# -n 1..4 with 1, 2, 1, 2 threads a rank (into $work/NAME-K); every folder must equal the plain one.
# The one home of that loop: a suite adds its own checks by defining, before calling it,
# ranks_plain NAME ARGS... (after the plain run) and ranks_each NAME K T (after each K), and sets
# RANKS_QUIET= to let the runs speak (default --quiet).
ranks() {
    local name=$1 k t log=$work/mpi.${MPI_STDERR:+err}
    [ -n "${MPI_STDERR:-}" ] || log=$work/mpi.out
    shift 2
    expect "$name: one process" 0 "" -- "$@" ${RANKS_QUIET---quiet} --threads 2 --out "$work/$name-plain"
    if declare -F ranks_plain > /dev/null; then ranks_plain "$name" "$@"; fi
    for k in 1 2 3 4; do
        t=$((k % 2 + 1))
        if mpi "$k" "$@" ${RANKS_QUIET---quiet} --threads "$t" --out "$work/$name-$k"; then pass=$((pass + 1))
        else echo "FAIL $name: mpirun -n $k"; sed 's/^/    /' "$log" | head -5; fail=$((fail + 1)); fi
        same_tables "$name: mpirun -n $k x $t threads = one process" "$work/$name-plain" "$work/$name-$k"
        if declare -F ranks_each > /dev/null; then ranks_each "$name" "$k" "$t"; fi
    done
}
