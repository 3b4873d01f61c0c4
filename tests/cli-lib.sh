# tests/cli-lib.sh: what every CLI suite (tests/cli.sh, tests/cli_*.sh) shares: the binary, a
# scratch folder removed on exit, pass/fail counters and the expect/bad/check_that helpers.
# Source it from a suite run as `bash tests/cli_X.sh BUILD_DIR` from the project root; end the
# suite with `cli_done NAME`. A suite that cannot check something says so with skip_suite or
# skip_part (tests/skip-lib.sh, sourced here).
source "$(dirname "${BASH_SOURCE[0]}")/skip-lib.sh"
NEASIM=$(realpath "${1:-build}/neasim")
work=$(mktemp -d /tmp/nsm-cli-XXXXXX)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0

# expect NAME EXIT PATTERN -- ARGS...: run neasim ARGS, check the exit code and that stdout+stderr
# match the extended regular expression PATTERN (empty: no check).
expect() {
    local name=$1 code=$2 pattern=$3
    shift 4
    local out rc
    out=$("$NEASIM" "$@" 2>&1)
    rc=$?
    if [ "$rc" -ne "$code" ]; then
        echo "FAIL $name: exit $rc, expected $code"; echo "$out" | head -5 | sed 's/^/    /'
        fail=$((fail + 1)); return
    fi
    if [ -n "$pattern" ] && ! grep -Eq -- "$pattern" <<<"$out"; then
        echo "FAIL $name: output does not match /$pattern/"; echo "$out" | head -5 | sed 's/^/    /'
        fail=$((fail + 1)); return
    fi
    pass=$((pass + 1))
}

# bad NAME TABLE LINE_EDIT PATTERN: copy the two-state model, apply a sed edit to TABLE (or write
# it with 'write:CONTENT'), and expect exit 65 with PATTERN.
bad() {
    local name=$1 table=$2 edit=$3 pattern=$4 dir="$work/bad-$1"
    rm -rf "$dir"; cp -r tests/models/two_state "$dir"
    case "$edit" in
        write:*) printf '%b' "${edit#write:}" > "$dir/$table" ;;
        delete) rm -f "$dir/$table" ;;
        *) sed -i "$edit" "$dir/$table" ;;
    esac
    expect "bad input: $name" 65 "$pattern" -- check "$dir"
    # a failed run must not touch an existing results folder
    "$NEASIM" run tests/models/two_state --runs 10 --quiet --out "$work/keep" >/dev/null 2>&1
    local before; before=$(cat "$work/keep"/*.csv | md5sum)
    "$NEASIM" run "$dir" --runs 10 --quiet --out "$work/keep" >/dev/null 2>&1
    if [ "$(cat "$work/keep"/*.csv | md5sum)" != "$before" ]; then
        echo "FAIL $name: a failed run changed the results folder"; fail=$((fail + 1))
    fi
}

# check_that NAME COMMAND...: a pass when COMMAND succeeds, a named failure otherwise.
check_that() {
    local name=$1; shift
    if "$@"; then pass=$((pass + 1)); else echo "FAIL $name"; fail=$((fail + 1)); fi
}

# check_all NAME CONDITION: check_that for a condition of several commands (joined by &&, || or
# !), given as one string and evaluated in the suite's shell. `check_that NAME [ a ] && [ b ]`
# checks only [ a ]: the shell runs `&& [ b ]` after check_that has returned, and nothing counts
# it (tests/suites.sh refuses that form).
check_all() {
    local check_all_name=$1
    if eval "$2"; then pass=$((pass + 1)); else echo "FAIL $check_all_name"; fail=$((fail + 1)); fi
}

# cli_done NAME: the suite's closing line and exit status.
# same_tables NAME DIR1 DIR2: the same files, byte for byte, but manifest.csv.
same_tables() {
    local name=$1 a=$2 b=$3 f ok=1
    [ -d "$a" ] && [ -d "$b" ] || ok=0
    [ "$(ls "$a" 2>/dev/null)" = "$(ls "$b" 2>/dev/null)" ] || ok=0
    for f in "$a"/*; do
        [ "$(basename "$f")" = manifest.csv ] && continue
        cmp -s "$f" "$b/$(basename "$f")" || { ok=0; echo "    differs: $(basename "$f")"; }
    done
    check_that "$name" [ "$ok" -eq 1 ]
}

cli_done() {
    echo "$1: $pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}
