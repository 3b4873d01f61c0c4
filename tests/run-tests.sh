#!/usr/bin/env bash
# Run every test program and the CLI cases; at the end, reprint each failing case (so that a
# failure 400 lines up is not missed) and one closing line "tests: N passed, N failed, N skipped, N
# parts skipped".
# A suite that exits 77 could not run (a tool is missing): it counts as skipped, never passed. What
# a suite or program that ran could not check (tests/skip-lib.sh's skip_part, cmocka's skip()) is
# named again at the end and counted in the closing line's "parts skipped", so that a pass that
# checked less than it should is seen there.
# A program or suite still running after NSM_TEST_TIMEOUT seconds (default 1800; the slowest
# suite takes about 5 minutes alone on 2 cores) is stopped and counts as failed: a test that hangs
# (a loop that no longer ends, say) fails the run rather than holding it up for good.
#
# NSM_TEST_JOBS programs and suites run side by side (default: the cores this process may use, at
# most 4: a container can show more cores than its share, and twice the suites the cores at worst
# doubles each one's time, far inside NSM_TEST_TIMEOUT). Most suites spend their time in one process
# at a time (R drawing figures, valgrind, the Python reference simulator, LibreOffice, Chromium), so
# one after another they left a 2-core machine half idle: 27 minutes then, 18 side by side. Suites
# do not meet: each works in a folder of its own (mktemp) and the Slurm cluster picks free ports.
# Each one's output is kept and shown whole when it ends, headed by its name and wall time (never
# interleaved with another's); the slowest start first, so that the last to end is a short one; a
# minute with none ending prints what is still running. NSM_TEST_JOBS=1 runs them one at a time.
# Each wall time is kept, and the slowest are listed before the closing line, so that a suite
# that grows slow is seen where it happens (side by side, they share the cores: compare times
# of runs with the same NSM_TEST_JOBS).
# NSM_TEST_ONLY="tests/cli_sweep.sh build/tests/test_scenario ..." runs only those, reported the same
# way (tests/suites.sh runs this script so on suites of its own).
# Usage: tests/run-tests.sh BUILD_DIR   (from the project root)
set -u
build=${1:-build}
limit=${NSM_TEST_TIMEOUT:-1800}
cores=$(nproc 2>/dev/null || echo 1)
jobs=${NSM_TEST_JOBS:-$((cores < 4 ? cores : 4))}
case $jobs in
    '' | *[!0-9]* | 0) echo "run-tests.sh: NSM_TEST_JOBS=$jobs: expected a whole number from 1" >&2; exit 2 ;;
esac
passed=0
failed=0
skipped=0
failures=()
skips=()
parts=()
times=()
logs=$(mktemp -d /tmp/nsm-tests-XXXXXX)

# The queue. First the suites that took longest (seconds side by side on 2 cores, December 2026:
# 356, 331, 292, 203, 138, 129, 100, 96, 57, 44, 44, 41; cli_nomem, cli_uninit, cli_clang and
# cli_brief_pdf, added later, about 150, 35, 25 and 125), so that none of them starts last; then
# the test programs and the other shell suites (API and layers checks, tests/cli.sh and one
# tests/cli_<topic>.sh per topic), none of which takes 30 seconds.
queue=()
for suite in tests/figures.sh tests/cli_readme_tables.sh tests/cli_reference.sh tests/cli_backtest.sh \
    tests/cli_nomem.sh tests/cli_valgrind.sh tests/validate.sh tests/cli_brief.sh \
    tests/cli_brief_pdf.sh tests/cli_mpi_precision.sh tests/cli_mpi.sh tests/cli_slurm.sh tests/cli_readme_sync.sh \
    tests/cli_mpi_sweep.sh tests/cli_uninit.sh tests/cli_clang.sh; do
    [ -f "$suite" ] && queue+=("$suite")
done
for t in "$build"/tests/test_*; do
    [ -x "$t" ] && [ "${t%.d}" = "$t" ] && queue+=("$t")
done
for suite in tests/api.sh tests/layers.sh tests/suites.sh tests/cli.sh tests/cli_*.sh; do
    [ -f "$suite" ] || continue
    case " ${queue[*]} " in *" $suite "*) continue ;; esac
    queue+=("$suite")
done
if [ -n "${NSM_TEST_ONLY:-}" ]; then
    read -r -a queue <<<"$NSM_TEST_ONLY"
    for t in "${queue[@]}"; do
        [ -f "$t" ] || { echo "run-tests.sh: NSM_TEST_ONLY names $t, which is not a file" >&2; rm -rf "$logs"; exit 2; }
    done
fi
total=${#queue[@]}

# start I: run queue[I] in the background, its output to $logs/I.log; when it ends, "RC SECONDS"
# goes to $logs/I.done (written whole: the report below reads it once the job has exited).
pids=()
start() {
    local i=$1 name=${queue[$1]}
    (
        t0=$SECONDS
        if [ "${name%.sh}" != "$name" ]; then
            timeout -k 30 "$limit" bash "$name" "$build"
        else
            timeout -k 30 "$limit" "$name"
        fi >"$logs/$i.log" 2>&1 </dev/null
        echo "$? $((SECONDS - t0))" >"$logs/$i.tmp" && mv "$logs/$i.tmp" "$logs/$i.done"
    ) &
    pids[i]=$!
}
# A stopped run (Ctrl-C, CI's cancel) stops what it started: timeout passes TERM to its test.
stop_all() {
    for pid in "${pids[@]}"; do pkill -TERM -P "$pid" 2>/dev/null; done
    [ -n "${ticker:-}" ] && kill "$ticker" 2>/dev/null
    rm -rf "$logs"
    exit 130
}
trap stop_all INT TERM
trap 'rm -rf "$logs"' EXIT

# report I: show queue[I]'s output whole and count its result.
report() {
    local i=$1 name=${queue[$1]} rc=1 secs=0 log="$logs/$1.log"
    if [ -f "$logs/$i.done" ]; then
        read -r rc secs <"$logs/$i.done"
    else
        echo "FAIL $name: ended without a result (killed from outside?)" >>"$log"
    fi
    echo "== $name ($secs s)"
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
        echo "FAIL $name: still running after $limit seconds (NSM_TEST_TIMEOUT), stopped" >>"$log"
        rc=1
    fi
    cat "$log"
    local line
    while IFS= read -r line; do parts+=("$line"); done < <(
        sed -n 's/^SKIPPED PART: //p' "$log"
        sed -n 's/^\[  SKIPPED \] \([A-Za-z_][A-Za-z0-9_]*\)$/\1/p' "$log" | sort -u |
            sed "s|^|$(basename "$name"): |")
    times+=("$secs $name")
    if [ "$rc" -eq 0 ]; then
        passed=$((passed + 1))
    elif [ "$rc" -eq 77 ]; then
        skipped=$((skipped + 1))
        skips+=("$name")
    else
        failed=$((failed + 1))
        failures+=("$name:$log")
    fi
}

echo "tests: $total programs and suites, $jobs side by side (NSM_TEST_JOBS)"
next=0
running=()
ticker=
while [ "$next" -lt "$total" ] || [ ${#running[@]} -gt 0 ]; do
    while [ ${#running[@]} -lt "$jobs" ] && [ "$next" -lt "$total" ]; do
        start "$next"
        running+=("$next")
        next=$((next + 1))
    done
    # a minute without an end prints what is running, so that a log never falls silent for long
    # (a CI that stops a job without output would stop this one)
    if [ -z "$ticker" ] || ! kill -0 "$ticker" 2>/dev/null; then
        [ -n "$ticker" ] && wait "$ticker" 2>/dev/null
        sleep 60 &
        ticker=$!
    fi
    wait -n 2>/dev/null
    still=()
    for i in "${running[@]}"; do
        if [ -f "$logs/$i.done" ] || ! kill -0 "${pids[i]}" 2>/dev/null; then
            wait "${pids[i]}" 2>/dev/null
            report "$i"
        else
            still+=("$i")
        fi
    done
    if [ ${#still[@]} -eq ${#running[@]} ] && ! kill -0 "$ticker" 2>/dev/null; then
        names=()
        for i in "${running[@]}"; do names+=("${queue[i]}"); done
        echo "-- still running at $SECONDS s: ${names[*]}"
    fi
    running=("${still[@]}")
done
[ -n "$ticker" ] && kill "$ticker" 2>/dev/null
echo
if [ ${#failures[@]} -gt 0 ]; then
    echo "Failing cases (reprinted from above):"
    for f in "${failures[@]}"; do
        echo "-- ${f%%:*}"
        # cmocka's failures and assertion messages, and the shell suites' FAIL lines
        grep -E -A3 '^FAIL|\[  (FAILED|ERROR) +\]|^\[ +LINE +\]|error:' "${f#*:}" | grep -v '^--$' |
            head -40 | sed 's/^/   /'
    done
    echo
fi
echo "Slowest (wall seconds, $jobs side by side; the ${#times[@]} together took $SECONDS s):"
printf '%s\n' "${times[@]}" | sort -rn | head -8 | sed 's/^/   /'
[ ${#skips[@]} -eq 0 ] || printf 'SKIPPED (could not run, see above): %s\n' "${skips[@]}"
[ ${#parts[@]} -eq 0 ] || printf 'SKIPPED PART (of a suite that ran, see above): %s\n' "${parts[@]}"
echo "tests: $passed passed, $failed failed, $skipped skipped, ${#parts[@]} parts skipped"
[ "$failed" -eq 0 ]
