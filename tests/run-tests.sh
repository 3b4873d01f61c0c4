#!/usr/bin/env bash
# Run every test program and the CLI cases; at the end, reprint each failing case (so that a
# failure 400 lines up is not missed) and one closing line "N passed, N failed, N skipped".
# A suite that exits 77 could not run (a tool is missing): it counts as skipped, never passed.
# A program or suite still running after NSM_TEST_TIMEOUT seconds (default 1800; the slowest
# suite takes about 5 minutes on 2 cores) is stopped and counts as failed: a test that hangs
# (a loop that no longer ends, say) fails the run rather than holding it up for good.
# Each suite's wall time is kept, and the slowest are listed before the closing line, so that a
# suite that grows slow is seen where it happens.
# Usage: tests/run-tests.sh BUILD_DIR   (from the project root)
set -u
build=${1:-build}
limit=${NSM_TEST_TIMEOUT:-1800}
passed=0
failed=0
skipped=0
failures=()
skips=()
times=()
logs=$(mktemp -d /tmp/nsm-tests-XXXXXX)
trap 'rm -rf "$logs"' EXIT

# run NAME COMMAND...: run one program or suite, its output shown and kept for the recap.
run() {
    local name=$1 log rc t0
    shift
    log="$logs/$(printf '%03d' $((passed + failed + skipped)))"
    echo "== $name"
    t0=$SECONDS
    timeout -k 30 "$limit" "$@" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    times+=("$((SECONDS - t0)) $name")
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
        echo "FAIL $name: still running after $limit seconds (NSM_TEST_TIMEOUT), stopped" | tee -a "$log"
        rc=1
    fi
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

for t in "$build"/tests/test_*; do
    [ -x "$t" ] && [ "${t%.d}" = "$t" ] || continue
    run "$t" "$t"
done
# shell-level suites: CLI cases (tests/cli.sh and one tests/cli_<topic>.sh per topic), then
# (when present) calibration and figures
for suite in tests/api.sh tests/layers.sh tests/cli.sh tests/cli_*.sh tests/validate.sh tests/figures.sh; do
    [ -f "$suite" ] || continue
    run "$suite" bash "$suite" "$build"
done
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
echo "Slowest (wall seconds; the ${#times[@]} together took $SECONDS s):"
printf '%s\n' "${times[@]}" | sort -rn | head -8 | sed 's/^/   /'
[ ${#skips[@]} -eq 0 ] || printf 'SKIPPED (could not run, see above): %s\n' "${skips[@]}"
echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
