#!/usr/bin/env bash
# The rolling-origin backtests of issue 12 (run by scripts/validate.sh, so by `make validate` and
# `make test`): checks that scenarios/backtest-* are what scripts/backtest.R generates from the
# data, runs each backtest and its climatology reference with a plain `neasim run` (the fitted
# numbers are drawn per replication, so their posterior spread is in the forecast), scores the
# run against what happened after its origin with `neasim score --reference`, and prints
# scripts/validate_backtest.R's table. This script is the one home of those commands:
# scripts/readme_tables.R runs it (with --keep) to fill the track-record tables of the READMEs.
# Usage: scripts/validate_backtest.sh [BUILD_DIR] [--runs N] [--seed S] [--keep DIR]
#   (from the project root, or from a copy of its scenarios/ folder; BT_RUNS= and SEED= set the
#   defaults of --runs and --seed, 5000 and 20120101). --keep DIR leaves the runs and scores in
#   DIR (DIR/O/model, DIR/O/climatology, DIR/O/score for each origin O) instead of a scratch folder
#   removed on exit. Exit status 0 when the generated files are current and both gates pass, 2 on
#   a bad option. The last line is "validate_backtest: N passed, N failed".
set -u
here=$(dirname "$0")
build=build
runs=${BT_RUNS:-5000}
seed=${SEED:-20120101}
keep=
usage="usage: scripts/validate_backtest.sh [BUILD_DIR] [--runs N] [--seed S] [--keep DIR]"
while [ $# -gt 0 ]; do
    case "$1" in
        --runs|--seed|--keep)
            [ $# -ge 2 ] || { echo "validate_backtest: $1 needs a value; $usage" >&2; exit 2; }
            case "$1" in --runs) runs=$2 ;; --seed) seed=$2 ;; --keep) keep=$2 ;; esac
            shift 2 ;;
        -*) echo "validate_backtest: unknown option '$1'; $usage" >&2; exit 2 ;;
        *) build=$1; shift ;;
    esac
done
neasim="$build/neasim"
[ -x "$neasim" ] || { echo "validate_backtest: $neasim not found (run make first)" >&2; exit 2; }
command -v Rscript >/dev/null || { echo "validate_backtest: Rscript not found (make deps installs R)" >&2; exit 2; }
if [ -n "$keep" ]; then
    work=$keep; mkdir -p "$work" || exit 2
else
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
fi

gen_ok=0
Rscript "$here/backtest.R" --check || gen_ok=1
for o in 2015 2017 2019; do
    d=scenarios/backtest-$o
    "$neasim" run "$d" --runs "$runs" --seed "$seed" --out "$work/$o/model" --quiet &&
    "$neasim" run "$d/climatology" --runs "$runs" --seed "$seed" --out "$work/$o/climatology" --quiet &&
    "$neasim" score "$work/$o/model" --observed "$d/observed.csv" --reference "$work/$o/climatology" \
        --out "$work/$o/score" --quiet ||
        { echo "validate_backtest: the $o backtest did not run"; echo "validate_backtest: 0 passed, 1 failed"; exit 1; }
done
echo "($runs runs per backtest, seed $seed)"
out=$(Rscript "$here/validate_backtest.R" "$work" scenarios/data 2>&1); rc=$?
echo "$out" | grep -v '^validate_backtest: [0-9]* passed'
line=$(echo "$out" | grep '^validate_backtest: [0-9]* passed')
p=$(echo "$line" | sed -E 's/^validate_backtest: ([0-9]+) passed.*/\1/'); p=${p:-0}
f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed$/\1/'); f=${f:-1}
[ "$rc" -eq 0 ] || [ "$f" -gt 0 ] || f=1
echo "validate_backtest: $((p + 1 - gen_ok)) passed, $((f + gen_ok)) failed"
[ $((f + gen_ok)) -eq 0 ]
