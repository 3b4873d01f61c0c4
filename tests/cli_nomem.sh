#!/usr/bin/env bash
# When memory runs out, neasim says so and keeps what was on disk: at every place where neasim's
# own code asks for memory, that one request is made to fail, and the command must then
#   - not crash (no signal, no timeout),
#   - either fail with a message that says memory ran out ("out of memory", or the system's
#     "Cannot allocate memory") and a non-zero exit status, or succeed with every output the
#     same byte for byte as without the failure (a request that had a fallback): never an
#     output that quietly differs, such as an NA where a number belongs,
#   - leave the results folder it was asked to replace as it was, and nothing beside it (no
#     staging folder, no shard part).
# The failure is made by tests/nomem_preload.c (preloaded; its header says how and why it is
# written by hand). A run with the library logging every request gives the requests' sites (the
# three innermost callers in neasim); each site not met by an earlier command is then failed at
# its first request, one process each (NSM_NOMEM_FULL=1: at its last request too). What it found
# is listed in README.md ("Out of memory"): compare reading a NULL pointer, NAs and shortened
# routes written with exit 0, failures that said nothing or the wrong thing, a finished sweep
# point deleted as damaged; all fixed. A stopped sweep's DIR.partial/ is kept by design (for
# --resume). Every NSM_NOMEM_LEAKS-th case (default 25: about 35 of them, spread over the
# commands) runs under valgrind's memcheck, which must find no error and nothing definitely lost
# on that path (all of them would take half an hour; 0 turns it off).
# A sanitizer build (make check-asan) replaces malloc itself, so the suite is skipped there,
# loudly, as it is when the library is not built.
# Usage: tests/cli_nomem.sh BUILD_DIR   (from the project root; about two minutes on 2 cores)
set -u
build=${1:-build}
NEASIM=$(realpath "$build/neasim")
shim=$build/tests/nomem_preload.so
source "$(dirname "$0")/skip-lib.sh"
if [ ! -f "$shim" ] || ldd "$NEASIM" 2>/dev/null | grep -q libasan; then
    skip_suite "$([ -f "$shim" ] && echo "$NEASIM is a sanitizer build" ||
        echo "$shim is not built (make test builds it)"), so no allocation was made to fail"
fi
shim=$(realpath "$shim")
if [ "${NSM_NOMEM_LEAKS:-25}" != 0 ] && ! command -v valgrind >/dev/null; then
    skip_part "memcheck on a sample of the cases" "valgrind is not installed (make deps)"
    NSM_NOMEM_LEAKS=0
fi
work=$(mktemp -d /tmp/nsm-nomem-XXXXXX)
trap 'rm -rf "$work"' EXIT
jobs=${NSM_TEST_JOBS:-2}

# one CASE "N [vg]" KIND ARGS...: ARGS with allocation N failed (under valgrind with "vg"). KIND
# "out": ARGS write --out, given a copy of the case's reference folder to replace; "say": ARGS
# print their answer (stdout).
one() {
    local c=$1 n=${2%% *} kind=$3 w rc out bad="" vg=() limit=60
    [ "$2" != "$n" ] && vg=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite
                            --error-exitcode=99 --log-file="$work/$c/vg-$n.txt") && limit=300
    shift 3
    w=$work/$c/try-$n
    mkdir -p "$w"
    if [ "$kind" = out ]; then
        cp -r "$work/$c/ref" "$w/o"
        out=$(NSM_FAIL_AT=$n LD_PRELOAD=$shim timeout "$limit" "${vg[@]}" "$NEASIM" "$@" --out "$w/o" 2>&1 >/dev/null)
        rc=$?
        # a stopped sweep keeps its finished points for --resume (README): o.partial
        left=$(cd "$w" && find . -mindepth 1 -maxdepth 1 ! -name o ! -name o.partial)
        [ -z "$left" ] || bad="left beside the results: $left"
        # every output the same, but for the build's and the clock's (manifest.csv,
        # results.xlsx); with a warning that memory ran out, files may be added (a sweep keeps
        # its points/ when it could not remove them), never changed
        diff -rq -x manifest.csv -x results.xlsx "$work/$c/ref" "$w/o" > "$w/diff" 2>&1
        if [ -s "$w/diff" ] && { [ $rc -ne 0 ] || grep -qv "^Only in $w/o" "$w/diff" ||
                                 ! grep -qE "out of memory|Cannot allocate memory" <<<"$out"; }; then
            bad="$bad; the results folder changed (exit $rc): $(head -1 "$w/diff")"
        fi
    else
        NSM_FAIL_AT=$n LD_PRELOAD=$shim timeout "$limit" "${vg[@]}" "$NEASIM" "$@" >"$w/stdout" 2>"$w/stderr"
        rc=$?
        out=$(cat "$w/stderr")
        [ $rc -ne 0 ] || cmp -s "$w/stdout" "$work/$c/ref.stdout" || bad="exit 0 with another answer"
    fi
    if [ $rc -eq 99 ] && [ ${#vg[@]} -gt 0 ]; then
        bad="memcheck: $(grep -m1 -E 'definitely lost|Invalid|uninitialised|Conditional' "$work/$c/vg-$n.txt"); $bad"
    elif [ $rc -ge 124 ]; then
        bad="exit $rc (a signal or the timeout); $bad"
    elif [ $rc -ne 0 ] && ! grep -qE "out of memory|Cannot allocate memory" <<<"$out"; then
        bad="exit $rc without saying memory ran out; $bad"
    fi
    if [ -n "$bad" ]; then
        echo "FAIL $c, allocation $n: $bad"
        echo "    said: $(head -2 <<<"$out" | tr '\n' ' ' | cut -c1-200)"
        echo "    again: NSM_FAIL_TRACE=1 NSM_FAIL_AT=$n LD_PRELOAD=$shim $NEASIM $*"
    else
        echo "pass $c $n${vg:+ (memcheck)}"
    fi
    rm -rf "$w"
}
export -f one
export work shim NEASIM

# case NAME KIND ARGS...: the reference (logging the requests), then each site failed twice.
total=0
case_() {
    local c=$1 kind=$2
    shift 2
    mkdir -p "$work/$c"
    if [ "$kind" = out ]; then # logged while replacing its own results, as the failed runs do
        "$NEASIM" "$@" --out "$work/$c/ref" >/dev/null 2>&1 &&
            NSM_ALLOC_LOG=$work/$c/log LD_PRELOAD=$shim "$NEASIM" "$@" --out "$work/$c/ref" \
                >/dev/null 2>&1
    else
        NSM_ALLOC_LOG=$work/$c/log LD_PRELOAD=$shim "$NEASIM" "$@" >"$work/$c/ref.stdout" 2>/dev/null
    fi || { echo "FAIL $c: the reference run failed: $NEASIM $*"; echo "FAIL" >>"$work/verdicts"; return; }
    # the first (and the last) request of each site not failed by an earlier case, in order
    touch "$work/sites"
    awk -v full="${NSM_NOMEM_FULL:-0}" 'FILENAME != ARGV[2] { seen[$1]; next }
         !($2 in first) { first[$2] = $1 } { last[$2] = $1 }
         END { for (s in first) if (!(s in seen)) {
                   print first[s]; if (full && last[s] != first[s]) print last[s] } }' \
        "$work/sites" "$work/$c/log" | sort -n |
        awk -v every="${NSM_NOMEM_LEAKS:-25}" -v before="$total" \
            '{ print $1 (every > 0 && (NR + before) % every == 0 ? " vg" : "") }' > "$work/$c/picks"
    awk '{ print $2 }' "$work/$c/log" | sort -u >> "$work/sites"
    local n_req n_sites n_picks
    n_req=$(wc -l < "$work/$c/log")
    n_sites=$(awk '{ print $2 }' "$work/$c/log" | sort -u | wc -l)
    n_picks=$(wc -l < "$work/$c/picks")
    echo "$c: $n_req requests from $n_sites sites; $n_picks (the sites no case before met) failed one at a time"
    total=$((total + n_picks))
    xargs -P "$jobs" -I{} bash -c 'one "$@"' _ "$c" {} "$kind" "$@" < "$work/$c/picks" \
        >>"$work/verdicts"
}

for k in 1 2; do
    "$NEASIM" run tests/models/two_state --runs 20 --threads 1 --quiet --shard "$k/2" \
        --out "$work/part-$k" >/dev/null 2>&1
done
for k in 1 2; do
    "$NEASIM" sweep tests/models/uncertain --lhs 3 --runs 5 --threads 1 --quiet --shard "$k/2" \
        --out "$work/swpart-$k" >/dev/null 2>&1
done
for k in 1 2; do
    "$NEASIM" compare scenarios/baseline scenarios/us-retrenchment --runs 4 --threads 1 --quiet \
        --shard "$k/2" --out "$work/scpart-$k" >/dev/null 2>&1
done
for k in 1 2; do
    "$NEASIM" compare tests/models/paths --levers push_f,calm_h --factorial --runs 10 --threads 1 \
        --quiet --shard "$k/2" --out "$work/fpart-$k" >/dev/null 2>&1
done
"$NEASIM" run scenarios/backtest-2017 --runs 20 --threads 1 --quiet --out "$work/backtest" \
    >/dev/null 2>&1
printf 'transitions:f:a>b,levers\n0.5,none\n1.5,double\n' > "$work/design.csv"
printf 'parameter,values\ntransitions:f:a>b,0.5;1.5\nlevers,none;double\n' > "$work/grid.csv"
"$NEASIM" sweep tests/models/discover --lhs 40 --runs 50 --horizons 1,2 --seed 3 --quiet \
    --out "$work/sw" >/dev/null 2>&1
case_ run out run scenarios/baseline --runs 5 --threads 1 --quiet --paths 2 --routes --signposts --xlsx
case_ run-outer out run tests/models/uncertain --outer 3 --runs 10 --threads 1 --quiet
case_ compare out compare scenarios/baseline --levers all --runs 5 --threads 1 --quiet
case_ compare-outer out compare tests/models/uncertain --levers all --outer 3 --runs 10 --threads 1 --quiet
case_ sweep out sweep tests/models/uncertain --lhs 3 --runs 10 --threads 1 --quiet
case_ design out sweep tests/models/uncertain --design "$work/design.csv" --runs 5 --threads 1 --quiet
case_ grid out sweep tests/models/uncertain --grid "$work/grid.csv" --runs 5 --threads 1 --quiet
case_ sobol out sweep tests/models/uncertain --sobol 4 --runs 5 --threads 1 --quiet
case_ oat out sweep tests/models/uncertain --oat --runs 5 --threads 1 --quiet
case_ shard out run tests/models/two_state --runs 20 --threads 1 --quiet --shard 1/2
case_ merge out merge "$work/part-1" "$work/part-2" --quiet
case_ sweep-shard out sweep tests/models/uncertain --lhs 3 --runs 5 --threads 1 --quiet --shard 1/2
case_ sweep-merge out merge "$work/swpart-1" "$work/swpart-2" --quiet
case_ scenarios-shard out compare scenarios/baseline scenarios/us-retrenchment --runs 4 --threads 1 --quiet --shard 1/2
case_ scenarios-merge out merge "$work/scpart-1" "$work/scpart-2" --quiet
case_ factorial-merge out merge "$work/fpart-1" "$work/fpart-2" --quiet
case_ run-precision out run tests/models/two_state --precision 0.05 --runs 2000 --threads 1 --quiet
case_ factorial-precision out compare tests/models/paths --levers push_f,calm_h --factorial --precision 0.05 --runs 2000 --threads 1 --quiet
case_ interactions-precision out compare tests/models/interact --levers all --factorial --precision 0.05 --precision-for interactions --runs 2000 --threads 1 --quiet
case_ check say check scenarios/baseline
case_ trace say trace scenarios/baseline --rep 2
case_ score out score "$work/backtest" --observed scenarios/backtest-2017/observed.csv --quiet
case_ discover out discover "$work/sw" --outcome moved --threshold 0.6 --horizon 1 --quiet

grep '^FAIL' "$work/verdicts"
fail=$(grep -c '^FAIL' "$work/verdicts")
pass=$(grep -c '^pass ' "$work/verdicts")
echo "nomem: $total allocations failed one at a time over $(grep -c "^case_ " "$0") commands: $pass handled, $fail not;" \
     "$(grep -c '(memcheck)$' "$work/verdicts") of those handled under memcheck too, clean"
if [ "$pass" -lt 600 ] && [ "$fail" -eq 0 ]; then
    echo "FAIL nomem: only $pass cases ran (at least 600 expected): did the log stay empty?"
    fail=1
fi
echo "nomem: $((fail == 0 ? 1 : 0)) passed, $((fail == 0 ? 0 : 1)) failed"
[ "$fail" -eq 0 ]
