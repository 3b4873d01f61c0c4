#!/usr/bin/env bash
# tests/suites.sh: the test suites' own rules, which make test's counts rest on. A test that cannot
# run must be counted as skipped, never as passed, and seen at the end of make test:
#   - no suite prints its own "SKIPPED" or exits 77 by hand: tests/skip-lib.sh's skip_suite and
#     skip_part are the one way (one banner, one line that tests/run-tests.sh collects); a
#     hand-written skip once exited 0, and so counted as passed, when R was missing (figures.sh);
#   - tests/run-tests.sh, run on suites made here (one passes, one fails, one is skipped, one
#     skips a part, one a cmocka program that skips a test), says so in its closing line and
#     names every skipped suite and part, and fails.
# Usage: tests/suites.sh [BUILD_DIR]   (from the project root; BUILD_DIR is not used; a few seconds)
set -u
root=$(pwd)
work=$(mktemp -d /tmp/nsm-suites-XXXXXX)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0
check_that() {
    local name=$1; shift
    if "$@"; then pass=$((pass + 1)); else echo "FAIL $name"; fail=$((fail + 1)); fi
}

# ---- no skip by hand: code lines (not comments) that print SKIPPED or exit 77 ----------------
# tests/slurm-cluster.sh is not a suite: its exit 77 tells cli_slurm.sh, which skips by skip_suite.
by_hand=$(grep -nE '^[^#]*(SKIPPED|exit 77)' tests/*.sh tests/*.R tests/*.py 2>/dev/null |
          grep -vE '^tests/(skip-lib|run-tests|slurm-cluster|suites)\.sh:')
check_that "no suite skips by hand (use skip_suite or skip_part): ${by_hand:-none}" test -z "$by_hand"
# every suite that calls them has them: through cli-lib.sh, or skip-lib.sh itself
for f in tests/*.sh; do
    grep -qE '^[^#]*\bskip_(suite|part)\b' "$f" || continue
    case $f in tests/skip-lib.sh | tests/suites.sh) continue ;; esac
    [ "$f" = tests/cli-mpi-lib.sh ] && continue # sourced after cli-lib.sh
    check_that "$f sources skip-lib.sh or cli-lib.sh" grep -qE '^source .*/(skip|cli)-lib\.sh"' "$f"
done

# ---- no check cut short: `check_that NAME [ a ] && [ b ]` checks only [ a ] (the shell runs
# `&& [ b ]` after check_that has returned, and nothing counts it); a condition of several
# commands is check_all NAME 'CONDITION' (cli-lib.sh) or check_that NAME bash -c '...'. Finds a
# check_that whose command line, continuation lines joined, has && or || outside quotes and
# command substitutions; made to fail on the form itself below.
cut_short() { # FILE...: the offending check_that lines, as FILE:LINE
    python3 - "$@" <<'PY'
import sys

def joined_lines(text):
    lines, i = text.split("\n"), 0
    while i < len(lines):
        start, line = i, lines[i]
        while line.endswith("\\") and i + 1 < len(lines):
            i += 1
            line = line[:-1] + " " + lines[i]
        yield start + 1, line
        i += 1

def has_bare_list_operator(s):
    stack = []  # "'" single quotes, '"' double quotes, "$(" and "(" inside one
    i = 0
    while i < len(s):
        c, top = s[i], stack[-1] if stack else None
        if top == "'":
            if c == "'":
                stack.pop()
        elif c == "\\":
            i += 1
        elif top == '"':
            if c == '"':
                stack.pop()
            elif s.startswith("$(", i):
                stack.append("$(")
                i += 1
        elif c in "'\"":
            stack.append(c)
        elif s.startswith("$(", i):
            stack.append("$(")
            i += 1
        elif c == "(" and top is not None:
            stack.append("(")
        elif c == ")" and top in ("$(", "("):
            stack.pop()
        elif top is None and c == "#" and (i == 0 or s[i - 1] in " \t"):
            break
        elif top is None and s[i:i + 2] in ("&&", "||"):
            return True
        i += 1
    return False

for path in sys.argv[1:]:
    for n, line in joined_lines(open(path, encoding="utf-8").read()):
        if line.lstrip().startswith("check_that ") and has_bare_list_operator(line):
            print(f"{path}:{n}")
PY
}
cut=$(cut_short tests/*.sh | tr '\n' ' ')
check_that "no check_that cut short by && or || (use check_all): ${cut:-none}" test -z "$cut"
printf '%s\n' 'check_that "two files" [ -s a ] && [ -s b ]' \
    'check_that "or" test -s a ||' '    test -s b' \
    'check_that "quoted" bash -c "[ -s a ] && [ -s b ]"' 'check_all "joined" '"'"'[ -s a ] && [ -s b ]'"'"'' \
    'check_that "in a name ($(echo "a && b"))" test -s a' > "$work/cut.sh"
check_that "the cut-short check finds both cut checks and only them ($(cut_short "$work/cut.sh" | tr '\n' ' '))" \
    test "$(cut_short "$work/cut.sh" | tr '\n' ' ')" = "$work/cut.sh:1 $work/cut.sh:2 "

# ---- tests/run-tests.sh on suites of its own --------------------------------------------------
s=$work/suites
mkdir -p "$s"
printf 'echo "ok: 1 passed, 0 failed"\n' > "$s/good.sh"
printf 'echo "FAIL the one case"\nexit 1\n' > "$s/bad.sh"
printf 'source %q/tests/skip-lib.sh\nskip_suite "no such tool (make deps)"\necho "not reached"\n' \
    "$root" > "$s/whole.sh"
printf 'source %q/tests/skip-lib.sh\nskip_part "the second half" "no such tool"\necho "first half: 3 passed"\n' \
    "$root" > "$s/half.sh"
# cmocka's report of a test program with one skipped test (cmocka 1.1's words)
printf '#!/bin/sh\nprintf "%%s\\n" "[ RUN      ] test_b" "[  SKIPPED ] test_b" "[  PASSED  ] 1 test(s)." \\\n' > "$s/test_prog"
printf '  "[  SKIPPED ] 1 test(s), listed below:" "[  SKIPPED ] test_b" "" " 1 SKIPPED TEST(S)"\n' >> "$s/test_prog"
chmod +x "$s/test_prog"
NSM_TEST_ONLY="$s/good.sh $s/bad.sh $s/whole.sh $s/half.sh $s/test_prog" NSM_TEST_JOBS=2 \
    bash tests/run-tests.sh build > "$work/out.txt" 2>&1
rc=$?
last=$(tail -1 "$work/out.txt")
check_that "run-tests: fails when a suite fails (exit $rc)" test "$rc" -ne 0
check_that "run-tests: the closing line counts each kind ($last)" \
    test "$last" = "tests: 3 passed, 1 failed, 1 skipped, 2 parts skipped"
check_that "run-tests: the skipped suite named at the end, with its banner above" bash -c \
    "grep -qx 'SKIPPED (could not run, see above): $s/whole.sh' '$work/out.txt' &&
     grep -q '^\*\*\* SKIPPED: whole: nothing (more) was checked:' '$work/out.txt' &&
     grep -qx '\*\*\* no such tool (make deps)' '$work/out.txt' && ! grep -q 'not reached' '$work/out.txt'"
check_that "run-tests: each skipped part named at the end, once" bash -c \
    "[ \$(grep -cx 'SKIPPED PART (of a suite that ran, see above): half: the second half (no such tool)' '$work/out.txt') = 1 ] &&
     [ \$(grep -cx 'SKIPPED PART (of a suite that ran, see above): test_prog: test_b' '$work/out.txt') = 1 ]"
check_that "run-tests: the failing case reprinted" grep -q '^   FAIL the one case' "$work/out.txt"
NSM_TEST_ONLY="$s/good.sh" bash tests/run-tests.sh build > "$work/one.txt" 2>&1
check_that "run-tests: all passed, none skipped: exit 0 ($(tail -1 "$work/one.txt"))" bash -c \
    "[ \"\$(tail -1 '$work/one.txt')\" = 'tests: 1 passed, 0 failed, 0 skipped, 0 parts skipped' ]"
NSM_TEST_ONLY="$s/nothing.sh" bash tests/run-tests.sh build > "$work/none.txt" 2>&1
rc=$?
check_that "run-tests: NSM_TEST_ONLY naming no file is refused (exit $rc, expected 2)" bash -c \
    "[ $rc = 2 ] && grep -q 'NSM_TEST_ONLY names .*nothing.sh, which is not a file' '$work/none.txt'"

[ "$fail" -eq 0 ] || { echo "--- run-tests.sh said:"; sed 's/^/    /' "$work/out.txt"; }
echo "suites: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
