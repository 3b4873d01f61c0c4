#!/usr/bin/env bash
# The baseline against the historical record (make validate). Six steps:
#   1. scripts/calibrate.R: every data-derived number of every shipped scenario, recomputed from
#      scenarios/data/, must equal the number written in the scenario (to the decimals written);
#   2. scripts/validate_sync.R: scenarios/calibration-2012 has the baseline's dynamics;
#   3. neasim runs scenarios/calibration-2012 (the baseline model from the conditions of
#      2012-01-01, over 2012-2021) and scripts/validate.R sets the simulated figures beside the
#      historical ones with 95% intervals on the historical sample;
#   4. neasim score scores that run against scenarios/data/observed_2012_2021.csv (in sample:
#      fit, not skill);
#   5. scripts/validate_backtest.sh: the out-of-sample backtests from 2015, 2017 and 2019 against
#      their climatology (skill; BT_RUNS= sets their runs, 5000 by default);
#   6. scripts/readme_tables.R --check: every generated table of run figures in the scenario
#      READMEs is what its commands give with this build (about two minutes on two cores, half of
#      it the baseline's tornado, a sweep --oat of 317 points).
# Usage: scripts/validate.sh [BUILD_DIR]   (from the project root; RUNS= and SEED= override)
# Exit status 0 when all pass. The last line is "validate: N passed, N failed" (calibration
# numbers, simulated figures and README tables together, each table one check).
set -u
build=${1:-build}
runs=${RUNS:-20000}
seed=${SEED:-20120101}
neasim="$build/neasim"
[ -x "$neasim" ] || { echo "validate: $neasim not found (run make first)" >&2; exit 2; }
command -v Rscript >/dev/null || { echo "validate: Rscript not found (make deps installs R)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cal_out=$(NEASIM="$neasim" Rscript scripts/calibrate.R 2>&1); cal_rc=$?
echo "$cal_out" | grep -v '^ok ' || true
line=$(echo "$cal_out" | grep '^calibrate: [0-9]* numbers checked')
checked=$(echo "$line" | sed -E 's/^calibrate: ([0-9]+) numbers.*/\1/'); checked=${checked:-0}
errors=$(echo "$line" | sed -E 's/.* ([0-9]+) errors$/\1/'); errors=${errors:-1}
[ "$cal_rc" -eq 0 ] || [ "$errors" -gt 0 ] || errors=1
echo "calibrate: $((checked - errors < 0 ? 0 : checked - errors)) numbers match the data ('ok' lines omitted: Rscript scripts/calibrate.R shows them)"
echo

sync_ok=0
Rscript scripts/validate_sync.R || sync_ok=1
echo

"$neasim" check scenarios/calibration-2012 > "$work/check.txt" || { cat "$work/check.txt"; echo "validate: 0 passed, 1 failed"; exit 1; }
"$neasim" run scenarios/calibration-2012 --runs "$runs" --seed "$seed" --out "$work/results" --quiet ||
    { echo "validate: 0 passed, 1 failed"; exit 1; }
val_out=$(Rscript scripts/validate.R "$work/results" scenarios/data 2>&1); val_rc=$?
echo "$val_out" | grep -v '^validate: [0-9]* passed'
vline=$(echo "$val_out" | grep '^validate: [0-9]* passed')
vp=$(echo "$vline" | sed -E 's/^validate: ([0-9]+) passed.*/\1/'); vp=${vp:-0}
vf=$(echo "$vline" | sed -E 's/.* ([0-9]+) failed$/\1/'); vf=${vf:-1}
[ "$val_rc" -eq 0 ] || [ "$vf" -gt 0 ] || vf=1
echo
echo "In-sample scores of the calibration run against scenarios/data/observed_2012_2021.csv"
echo "(fit, not skill: the model's rates were fitted to these same years)"
score_ok=0
"$neasim" score "$work/results" --observed scenarios/data/observed_2012_2021.csv \
    --out "$work/score" || score_ok=1
echo
echo
echo "Out-of-sample: rolling-origin backtests (scripts/validate_backtest.sh)"
bt_out=$(SEED="$seed" bash scripts/validate_backtest.sh "$build" 2>&1); bt_rc=$?
echo "$bt_out" | grep -v '^validate_backtest: [0-9]* passed'
btline=$(echo "$bt_out" | grep '^validate_backtest: [0-9]* passed')
bp=$(echo "$btline" | sed -E 's/^validate_backtest: ([0-9]+) passed.*/\1/'); bp=${bp:-0}
bf=$(echo "$btline" | sed -E 's/.* ([0-9]+) failed$/\1/'); bf=${bf:-1}
[ "$bt_rc" -eq 0 ] || [ "$bf" -gt 0 ] || bf=1
echo
echo
echo "The run figures of the scenario READMEs (scripts/readme_tables.R --check)"
rt_out=$(NEASIM="$neasim" Rscript scripts/readme_tables.R --check 2>&1); rt_rc=$?
echo "$rt_out" | grep -v '^ran: '
rtline=$(echo "$rt_out" | grep '^readme_tables: [0-9]* tables checked')
rtn=$(echo "$rtline" | sed -E 's/^readme_tables: ([0-9]+) tables.*/\1/'); rtn=${rtn:-0}
rtf=$(echo "$rtline" | sed -E 's/.* ([0-9]+) stale$/\1/'); rtf=${rtf:-1}
[ "$rt_rc" -eq 0 ] || [ "$rtf" -gt 0 ] || rtf=1
# no table found is a broken check (markers lost), not a clean one
[ "$rtn" -gt 0 ] || { echo "FAIL readme_tables found no generated table in the scenario READMEs"; rtf=1; }
rtp=$((rtn - rtf < 0 ? 0 : rtn - rtf))
echo
passed=$((checked - errors + vp + 1 - sync_ok + 1 - score_ok + bp + rtp))
failed=$((errors + vf + sync_ok + score_ok + bf + rtf))
echo "validate: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
