#!/usr/bin/env bash
# tests/cli_readme_sync.sh: README.md's "Command-line reference" and "Output files" against the
# program, read by tests/readme_sync.py.
# - Columns: real runs of small scenarios (run, run --outer, --paths/--routes/--signposts,
#   compare of levers, of scenarios and --outer, sweep of a design, a grid with lever sets,
#   --lhs, --sobol and --oat, discover, score, and run, compare and sweep as shards joined by
#   merge): the header line of every CSV each writes is the README's list of its columns, in
#   order; every CSV written is documented; every CSV documented is written by some run.
# - Options: every long option `neasim COMMAND --help` lists is in the README's reference for
#   that command, every option the README gives a command is listed and accepted, a short form
#   the README gives is --help's, and no command accepts an option its --help leaves out.
# Skipped (exit 77) without python3. Run as `bash tests/cli_readme_sync.sh BUILD_DIR` from the
# project root; about 15 seconds on 2 cores.
source "$(dirname "$0")/cli-lib.sh"
command -v python3 >/dev/null || skip_suite "python3 not found (make deps): the README is not checked"
check_readme() { python3 tests/readme_sync.py "$@"; }
seen="$work/seen.txt"
: > "$seen"

check_that "README.md's column lists and option tables read cleanly" check_readme parse README.md
check_that "options: README.md's reference, --help and the option parser agree" \
    check_readme options README.md "$NEASIM"

# neasim ARGS (quiet, into $work/NAME), then the headers of NAME's CSVs; FLAGS for readme_sync.py
# (--compare, --with COND, --params LIST) follow "--".
ran() {
    local name=$1; shift
    local args=() flags=()
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do args+=("$1"); shift; done
    [ $# -gt 0 ] && { shift; flags=("$@"); }
    if ! "$NEASIM" "${args[@]}" --quiet > "$work/$name.log" 2>&1; then
        echo "FAIL $name: neasim ${args[*]} failed"; sed 's/^/    /' "$work/$name.log" | head -5
        fail=$((fail + 1)); return
    fi
    headers "$name" "$work/$name" "${flags[@]}"
}
headers() {  # headers NAME DIR FLAGS...: every CSV of DIR against the README
    local name=$1 dir=$2; shift 2
    check_that "columns: $name" check_readme headers README.md "$dir" "$@" --seen "$seen"
}
params() { tail -n +2 "$1/parameters.csv" | cut -d, -f1 | paste -sd,; }

B=scenarios/baseline
ran run run $B --runs 200 --paths 3 --routes --signposts --watch 1,2 --out "$work/run"
ran run-outer run $B --runs 20 --outer 3 --out "$work/run-outer" -- --with --outer
ran compare-levers compare tests/models/interact --levers all --factorial --runs 200 \
    --out "$work/compare-levers" -- --compare
ran compare-outer compare tests/models/known_levers --levers all --outer 3 --runs 50 \
    --out "$work/compare-outer" -- --compare --with --outer
ran compare-scenarios compare $B scenarios/formal-alignment --runs 100 \
    --out "$work/compare-scenarios" -- --compare

D=tests/models/discover
for kind in "lhs 12" "sobol 4" "oat"; do
    set -- $kind
    "$NEASIM" sweep $D --$1 ${2:-} --runs 50 --quiet --out "$work/sweep-$1" > "$work/sweep-$1.log" 2>&1 ||
        { echo "FAIL sweep --$1 failed"; fail=$((fail + 1)); continue; }
    headers "sweep --$1" "$work/sweep-$1" --params "$(params "$work/sweep-$1")"
done
printf 'transitions:f:a>b,transitions:g:x>y\n0.5,0.2\n1,0.4\n' > "$work/design.csv"
"$NEASIM" sweep $D --design "$work/design.csv" --runs 50 --quiet --out "$work/sweep-design" &&
    headers "sweep --design" "$work/sweep-design" --params 'transitions:f:a>b,transitions:g:x>y'
printf 'parameter,values\ntransitions:a:off>on,0.2;0.5\nlevers,none;widen_c\n' > "$work/grid.csv"
"$NEASIM" sweep tests/models/known_levers --grid "$work/grid.csv" --runs 50 --quiet --out "$work/sweep-grid" &&
    headers "sweep --grid with lever sets" "$work/sweep-grid" --params 'transitions:a:off>on' \
        --with 'lever sets in the design'
ran discover discover "$work/sweep-lhs" --outcome both --threshold 0.2 --max-qp 1 --out "$work/discover"

# score: a comparison's folder (every arm, into RESULTS/score) and a run's with a reference
printf 'quantity,name,window_start,window_end,observed\noutcome,in_b,,2026-01-01,yes\nstate,f=b,,2026-01-01,yes\nevent,poisson,2025-01-01,2026-01-01,3\n' \
    > "$work/observed.csv"
"$NEASIM" compare tests/models/score_arms --levers faster --runs 200 --quiet --out "$work/score-arms" &&
    ran score-compare score "$work/score-arms" --observed "$work/observed.csv" --out "$work/score-compare"
"$NEASIM" run tests/models/score_arms --runs 200 --quiet --out "$work/score-run" &&
    ran score-reference score "$work/score-run" --observed "$work/observed.csv" --reference "$work/score-run" \
        --out "$work/score-reference"

# shards joined by merge: the folder merge writes
sharded() {  # sharded NAME FLAGS... -- neasim ARGS (without --shard/--out)
    local name=$1; shift
    local flags=()
    while [ "$1" != "--" ]; do flags+=("$1"); shift; done
    shift
    "$NEASIM" "$@" --quiet --shard 1/2 --out "$work/$name.1" &&
        "$NEASIM" "$@" --quiet --shard 2/2 --out "$work/$name.2" &&
        "$NEASIM" merge "$work/$name.1" "$work/$name.2" --quiet --out "$work/$name" ||
        { echo "FAIL $name: the shards or the merge failed"; fail=$((fail + 1)); return; }
    headers "$name" "$work/$name" "${flags[@]}"
}
sharded merge-run -- run tests/models/routes --runs 100 --routes --signposts --paths 2
sharded merge-compare --compare --with --outer -- compare tests/models/known_levers --levers all --outer 2 --runs 20
sharded merge-sweep --params 'transitions:f:a>b,transitions:g:x>y' -- sweep $D --design "$work/design.csv" --runs 20

# trace --csv writes paths.csv's table to stdout
"$NEASIM" trace tests/models/same_day --csv > "$work/trace.csv"
check_that "columns: trace --csv is paths.csv's table" check_readme header README.md paths.csv "$work/trace.csv"

check_that "every CSV the README documents is written by one of the runs above" \
    check_readme coverage README.md "$seen"

# The check fails on a stale README: a copy, edited, against the folders above.
stale() {  # stale NAME SED PATTERN CHECK ARGS...: the edit makes `readme_sync.py CHECK` fail
    local name=$1 edit=$2 pattern=$3 mode=$4 out rc; shift 4
    sed "$edit" README.md > "$work/README.md"
    if cmp -s README.md "$work/README.md"; then
        echo "FAIL stale README: $name: the edit '$edit' changed nothing"; fail=$((fail + 1)); return; fi
    out=$(check_readme "$mode" "$work/README.md" "$@" 2>&1); rc=$?
    if [ "$rc" -eq 1 ] && grep -Eq -- "$pattern" <<<"$out"; then pass=$((pass + 1)); else
        echo "FAIL stale README: $name: exit $rc, expected 1 and /$pattern/"
        echo "$out" | tail -3 | sed 's/^/    /'; fail=$((fail + 1)); fi
}
stale "a column list with '...' in it" 's/^| `q05`, `q25`, `q50`, `q75`, `q95` |/| `q05` ... `q95` |/' \
    "README.md:[0-9]+: '...' in a column cell: write every column" parse
stale "a condition the suite does not know" 's/(only with `--outer`),/(only with `--nominal`),/' \
    "briefing.csv: the condition 'only with --nominal' is not one tests/readme_sync.py knows" parse
stale "a column renamed in a table" 's/^| `cumulative_probability` |/| `cumulative_prob` |/' \
    "first_occurrence.csv \(run/first_occurrence.csv\) has the columns .*first difference at column 6: README 'cumulative_prob', file 'cumulative_probability'" \
    headers "$work/run"
stale "two columns swapped in a list" 's/share, share_lo, share_hi, median_years/share, share_hi, share_lo, median_years/' \
    "routes.csv .*first difference at column 7: README 'share_hi', file 'share_lo'" headers "$work/run"
stale "columns only with --outer, unmarked" 's/share_draws_best_within_noise` (only with `--outer`),/share_draws_best_within_noise`,/' \
    "briefing.csv \(compare-levers/briefing.csv\) .*not in the file: judgment_q05_pp" headers "$work/compare-levers" --compare
stale "a table the program writes, undocumented" 's/^`paths.csv`: `rep,/`path.csv`: `rep,/' \
    "the program writes paths.csv, which README.md does not document" headers "$work/run"
stale "a table documented that no run writes" 's/^### `labels.csv`$/### `labels_old.csv`/' \
    "labels_old.csv is documented, but none of the suite's runs wrote it" coverage "$seen"
stale "an option left out" '/^| `--keep-points` |/d' \
    "neasim sweep --help. lists --keep-points, which the README's Command-line reference does not give for sweep" \
    options "$NEASIM"
stale "an option the program does not have" 's/^| `--resume` |/| `--resume`, `--restart` |/' \
    "sweep --restart: .neasim sweep --help. does not list it" options "$NEASIM"
stale "an option given to the wrong command" 's/^| `--top K` | print at most K/| `--top K`, `--paths K` | print at most K/' \
    "compare --paths is documented, but .neasim compare --paths. says unknown option" options "$NEASIM"
stale "a short form that is not the program's" 's/^| `--resume` |/| `-r, --resume` |/' \
    "sweep -r, --resume: the short form in .neasim sweep --help. is 'none'" options "$NEASIM"
cli_done readme_sync
