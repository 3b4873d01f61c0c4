#!/usr/bin/env bash
# Run every test program and the CLI cases; print one closing line "N passed, N failed, N skipped".
# A suite that exits 77 could not run (a tool is missing): it counts as skipped, never passed.
# Usage: tests/run-tests.sh BUILD_DIR   (from the project root)
set -u
build=${1:-build}
passed=0
failed=0
skipped=0
failures=()
skips=()
for t in "$build"/tests/test_*; do
    [ -x "$t" ] || continue
    echo "== $t"
    if "$t"; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$t"); fi
done
# shell-level suites: CLI cases (tests/cli.sh and one tests/cli_<topic>.sh per topic), then
# (when present) calibration and figures
for suite in tests/cli.sh tests/cli_*.sh tests/validate.sh tests/figures.sh; do
    [ -f "$suite" ] || continue
    echo "== $suite"
    bash "$suite" "$build"
    rc=$?
    if [ "$rc" -eq 0 ]; then passed=$((passed + 1))
    elif [ "$rc" -eq 77 ]; then skipped=$((skipped + 1)); skips+=("$suite")
    else failed=$((failed + 1)); failures+=("$suite"); fi
done
echo
[ ${#failures[@]} -eq 0 ] || printf 'failed: %s\n' "${failures[@]}"
[ ${#skips[@]} -eq 0 ] || printf 'SKIPPED (not run): %s\n' "${skips[@]}"
echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
