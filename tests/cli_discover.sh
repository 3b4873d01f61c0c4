#!/usr/bin/env bash
# tests/cli_discover.sh: `neasim discover` (scenario discovery with PRIM, issue 16 item 4) on a
# real LHS sweep of tests/models/discover, where one swept hazard (f:a>b) drives the outcome
# `moved` and two (g:x>y, h:off>on) do not: the box restricts f's hazard, from below for "above"
# (P(moved by 1 year) = 1 - exp(-rate) exceeds 0.6 when the rate exceeds 0.916) and from above
# for "below", and leaves the other two alone; `both` (f=b & g=y) needs both hazards high, so its
# box restricts f's and g's from below and leaves h's alone. Then the refusals, each with a clear
# message and nothing written. Run as `bash tests/cli_discover.sh BUILD_DIR` from the project root.
source "$(dirname "$0")/cli-lib.sh"
m=tests/models/discover
col() { # col FILE PARAMETER COLUMN: a cell of prim_box.csv (CRLF line ends dropped)
    tr -d '\r' < "$1" | awk -F, -v p="$2" -v c="$3" 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
        $2 == p { print $h[c] }'
}
"$NEASIM" sweep "$m" --lhs 120 --runs 400 --horizons 1,2 --seed 3 --quiet --out "$work/sw" ||
    { echo "FAIL discover: the sweep did not run"; exit 1; }

# says() NAME REGEX -- ARGS: neasim ARGS exits 0 and its output, lines joined, matches REGEX (the
# summary's sentence is wrapped at 96 columns)
says() {
    local name=$1 pattern=$2
    shift 3
    check_that "$name" grep -Eq -- "$pattern" <<<"$("$NEASIM" "$@" 2>&1 | tr '\n' ' ')"
}

# --- the box restricts the number that drives the outcome, in the right direction
# the bound straight after the comparison, the range the points cover apart after it
says "discover: above 60% at 1 year" "\(density\): when transition f:a>b is above [0-9.]+ \(sampled [0-9.]+ to [0-9.]+\)\." -- \
    discover "$work/sw" --outcome moved --threshold 60% --horizon 1
box="$work/sw/discover-moved/prim_box.csv"
check_that "discover: f's hazard restricted from below" [ "$(col "$box" 'transitions:f:a>b' restricted)" = lower ]
check_that "discover: ... near the truth (0.916)" \
    awk -v v="$(col "$box" 'transitions:f:a>b' lower)" 'BEGIN { exit !(v > 0.5 && v < 1.2) }'
check_that "discover: ... with a small quasi-p" \
    awk -v v="$(col "$box" 'transitions:f:a>b' quasi_p)" 'BEGIN { exit !(v < 0.001) }'
for p in 'transitions:g:x>y' 'transitions:h:off>on'; do
    check_that "discover: $p unrestricted" [ "$(col "$box" "$p" restricted)" = no ]
    check_that "discover: $p has no quasi-p" [ "$(col "$box" "$p" quasi_p)" = NA ]
done
tr="$work/sw/discover-moved/prim_trajectory.csv"
check_that "discover: one chosen box on the trajectory" [ "$(grep -c ',yes' "$tr")" -eq 1 ]
check_that "discover: the trajectory starts with every point" \
    grep -q '^0,start,NA,NA,120,[0-9]*,1,1,' "$tr"
check_that "discover: the manifest names the rule" grep -q '^box_rule,knee of the trade-off curve' "$work/sw/discover-moved/manifest.csv"
# with --density D: the chosen box reaches D and has the largest coverage of those that do
"$NEASIM" discover "$work/sw" --outcome moved --threshold 60% --horizon 1 --density 0.8 --max-qp 1 --quiet --out "$work/d80"
tr -d '\r' < "$work/d80/prim_trajectory.csv" > "$work/d80.csv"
check_that "discover: --density follows the documented rule" awk -F, '
    NR > 1 && $9 >= 0.8 && ($8 > best || ($8 == best && $9 > dens)) { best = $8; dens = $9 }
    NR > 1 && $11 == "yes" { chosen = $8; d = $9 }
    END { exit !(d >= 0.8 && chosen == best && d == dens) }' "$work/d80.csv"
says "discover: below 30% at 1 year" "\(density\): when transition f:a>b is below [0-9.]+ \(sampled [0-9.]+ to [0-9.]+\)\." -- \
    discover "$work/sw" --outcome moved --threshold 0.3 --below --horizon 2026-01-01 --out "$work/below"
check_that "discover: --below restricts f's hazard from above" \
    [ "$(col "$work/below/prim_box.csv" 'transitions:f:a>b' restricted)" = upper ]
says "discover: both needs f and g" "when transition f:a>b is above [0-9.]+ \(sampled [0-9.]+ to [0-9.]+\) and transition g:x>y is above [0-9.]+ \(sampled [0-9.]+ to [0-9.]+\)\." -- \
    discover "$work/sw" --outcome both --threshold 40% --horizon 1
both="$work/sw/discover-both/prim_box.csv"
check_that "discover: both restricts f from below" [ "$(col "$both" 'transitions:f:a>b' restricted)" = lower ]
check_that "discover: both restricts g from below" [ "$(col "$both" 'transitions:g:x>y' restricted)" = lower ]
check_that "discover: both leaves h alone" [ "$(col "$both" 'transitions:h:off>on' restricted)" = no ]
check_that "discover: a one-sided restriction's quasi-p is its lower limit's" \
    [ "$(col "$both" 'transitions:g:x>y' quasi_p)" = "$(col "$both" 'transitions:g:x>y' quasi_p_lower)" ]
# --max-qp: the box of the rule, then restrictions that do not matter dropped, each a step
"$NEASIM" discover "$work/sw" --outcome both --threshold 40% --horizon 1 --max-qp 1 --quiet --out "$work/raw"
check_that "discover: --max-qp 1 drops nothing" [ "$(grep -c ',drop,' "$work/raw/prim_trajectory.csv")" -eq 0 ]
check_that "discover: --max-qp 1 reports the rule's step" \
    grep -q "^chosen_step,$(sed -n 's/^picked_step,//p' "$work/raw/manifest.csv" | tr -d '\r')" "$work/raw/manifest.csv"
"$NEASIM" discover "$work/sw" --outcome both --threshold 40% --horizon 1 --max-qp 0.000001 --quiet --out "$work/strict"
check_that "discover: a strict --max-qp drops restrictions, as steps of kind drop" \
    grep -q ',drop,transitions:[a-z]:[a-z>]*,both,' "$work/strict/prim_trajectory.csv"
check_that "discover: ... and the box keeps only those below it" awk -F, '
    NR > 1 && $8 != "no" && !($9 < 0.000001) { bad = 1 } END { exit bad }' "$work/strict/prim_box.csv"
expect "discover: --box K" 0 "Box: step 3 of [0-9]+ \(--box\)" -- discover "$work/sw" --outcome moved --threshold 0.6 --horizon 1 --box 3 --out "$work/box3"
check_that "discover: --box K reports step 3" grep -q '^3,transitions:f:a>b' "$work/box3/prim_box.csv"
"$NEASIM" discover "$work/sw" --outcome moved --threshold 0.6 --horizon 1 --quiet --out "$work/again"
for f in prim_box prim_trajectory; do
    check_that "discover: $f.csv is the same on a second run" cmp -s "$work/sw/discover-moved/$f.csv" "$work/again/$f.csv"
done
expect "discover: --quiet prints nothing" 0 "^$" -- discover "$work/sw" --outcome g_moved --threshold 0.5 --quiet
# every restriction dropped: the whole space is reported, and not as if no smaller box came closer
# to the ideal (the knee's box did; its restrictions were dropped for their quasi-p)
says "discover: every restriction dropped, said so" "the whole space; the box of step [0-9]+ \(knee of the trade-off curve\) restricted [0-9]+ numbers?, and each was dropped in turn, its quasi-p above 1e-30 \(--max-qp\)\." -- \
    discover "$work/sw" --outcome moved --threshold 60% --horizon 1 --max-qp 1e-30 --out "$work/alldropped"

# --- a scenario with labels: the rule names each number by its label and gives the bound alone
# (parameters.csv's label ends with the number's 5-95% range, ": 0.198 to 2.85", and the sentence
# read "... (rate per year): 0.198 to 2.85 is above 0.909", the range glued to the comparison),
# and the outcome is named by its label, with its name where a command would take it
lab="$work/labelled"
cp -r "$m" "$lab"
printf '%s\n' 'factor,level,initial,source,label,factor_label' 'f,a,1,test,at rest,The f switch' \
    'f,b,0,test,moved,The f switch' 'g,x,1,test,at rest,The g switch' 'g,y,0,test,moved,The g switch' \
    'h,off,1,test,off,The h switch' 'h,on,0,test,on,The h switch' > "$lab/factors.csv"
printf '%s\n' 'outcome,condition,description,label' 'moved,f=b,f has moved to b,The f switch has moved' \
    'g_moved,g=y,g has moved to y,The g switch has moved' \
    'both,f=b & g=y,f and g have both moved,Both switches have moved' > "$lab/outcomes.csv"
"$NEASIM" sweep "$lab" --lhs 120 --runs 400 --horizons 1,2 --seed 3 --quiet --out "$work/swlab"
check_that "discover: the labelled sweep's labels end with the range" \
    grep -q '^transitions:f:a>b,The f switch: at rest → moved (rate per year): [0-9.]* to [0-9.]*,' "$work/swlab/parameters.csv"
out=$("$NEASIM" discover "$work/swlab" --outcome both --threshold 40% --horizon 1 2>&1 | tr '\n' ' ')
check_that "discover: the rule names the label, then the bound, then the range sampled" grep -Eq -- \
    "when The f switch: at rest → moved \(rate per year\) is above [0-9.]+ \(sampled [0-9.]+ to [0-9.]+\) and The g switch: at rest → moved \(rate per year\) is above [0-9.]+ \(sampled [0-9.]+ to [0-9.]+\)\." <<<"$out"
check_that "discover: no range glued between a label and its comparison" \
    bash -c '! grep -Eq -- " to x?[0-9.e+-]+ is (above|below|between) " <<<"$1"' _ "$out"
check_that "discover: the first line names the outcome by its label, and its name" grep -q -- \
    'the probability of “Both switches have moved” (both) by 2026-01-01 is above 40%' <<<"$out"
check_that "discover: the sentence names the outcome by its label" grep -q -- \
    'where the probability of “Both switches have moved” by 2026-01-01 exceeds 40% (coverage)' <<<"$out"
check_that "discover: the outcome's name is not used in place of its label" \
    bash -c '! grep -q -- "probability of both " <<<"$1"' _ "$out"
labbox="$work/swlab/discover-both/prim_box.csv"
check_that "discover: prim_box.csv's label is the number's, without the range" \
    [ "$(col "$labbox" 'transitions:f:a>b' label)" = "The f switch: at rest → moved (rate per year)" ]
check_that "discover: the manifest records the outcome's label" \
    grep -q '^outcome_label,Both switches have moved' "$work/swlab/discover-both/manifest.csv"
check_that "discover: an outcome without a label: outcome_label NA" \
    grep -q '^outcome_label,NA' "$work/sw/discover-moved/manifest.csv"

# --- refusals: a clear message, and nothing written
# an option the sweep cannot meet is named, as every bad option is: "neasim discover: --option: ..."
# (it read "SWEEP/sweep.csv: error: ..." before, as if the file were malformed)
expect "discover: unknown outcome" 64 "^neasim discover: --outcome: no outcome 'moves' in .*/sw/sweep.csv \(did you mean 'moved'\?\); it holds: moved, g_moved, both" -- \
    discover "$work/sw" --outcome moves --threshold 0.5 --out "$work/no"
expect "discover: unknown horizon, its dates with their years" 64 "^neasim discover: --horizon: no horizon '7' in .*; it holds: 2026-01-01 \(1 year\), 2027-01-01 \(2 years\)" -- \
    discover "$work/sw" --outcome moved --threshold 0.5 --horizon 7 --out "$work/no"
expect "discover: threshold above 1" 64 "--threshold expects a number from 0 to 1 \(or a percentage such as 30%\), got '1.5'" -- \
    discover "$work/sw" --outcome moved --threshold 1.5 --out "$work/no"
expect "discover: threshold not a number" 64 "--threshold expects a number from 0 to 1" -- \
    discover "$work/sw" --outcome moved --threshold high --out "$work/no"
expect "discover: threshold missing" 64 "--threshold P is required" -- discover "$work/sw" --outcome moved
expect "discover: outcome missing" 64 "--outcome NAME is required" -- discover "$work/sw" --threshold 0.5
expect "discover: no case" 64 "^neasim discover: --threshold: no point of the sweep has moved \(occurred_by\) above 0.9999 at 2027-01-01: nothing to discover, there is no box \(try a lower threshold\)" -- \
    discover "$work/sw" --outcome moved --threshold 0.9999 --out "$work/no"
# every point a case: refused as no case is (it reported the whole space "as no smaller box
# reaches the density asked (--density)", which was not asked)
expect "discover: every point a case" 64 "^neasim discover: --threshold: every point of the sweep has moved \(occurred_by\) above 0.001 at 2027-01-01: nothing to discover, the whole space is the box \(try a higher threshold\)" -- \
    discover "$work/sw" --outcome moved --threshold 0.001 --out "$work/no"
expect "discover: --box beyond the trajectory" 64 "^neasim discover: --box: the trajectory has steps 0 to [0-9]+, not 999999" -- \
    discover "$work/sw" --outcome moved --threshold 0.6 --box 999999 --out "$work/no"
"$NEASIM" run "$m" --runs 20 --quiet --out "$work/run"
expect "discover: a run's folder is not a sweep" 66 "error: not the results folder of a sweep \(its manifest.csv has no sweep_points\)" -- \
    discover "$work/run" --outcome moved --threshold 0.5 --out "$work/no"
expect "discover: no folder" 66 "nowhere: error: no such folder" -- \
    discover "$work/nowhere" --outcome moved --threshold 0.5 --out "$work/no"
"$NEASIM" sweep "$m" --oat --runs 20 --quiet --out "$work/oat"
expect "discover: an OAT sweep" 64 "^neasim discover: .*/oat is a one-at-a-time sweep \(it has tornado.csv\)" -- \
    discover "$work/oat" --outcome moved --threshold 0.5 --out "$work/no"
cp -r "$work/sw" "$work/damaged" && rm -rf "$work/damaged/discover-moved"
sed -i '4 s/,outcome,moved,occurred_by,1,2026-01-01,[0-9.]*,/,outcome,moved,occurred_by,1,2026-01-01,abc,/' "$work/damaged/sweep.csv"
expect "discover: a damaged sweep.csv" 65 "sweep.csv:4:[0-9]+: error: 'abc' is not a number" -- \
    discover "$work/damaged" --outcome moved --threshold 0.5 --horizon 1 --out "$work/no"
# every date of the outcome's rows damaged, and no --horizon: there is no last horizon, and the
# first damaged date is pointed at (it was reported through a NULL --horizon, a crash in glibc's
# strlen: found by fuzz_discover, tests/fixtures/fuzz-regressions/discover-no-last-horizon)
cp -r "$work/sw" "$work/nodate" && rm -rf "$work/nodate/discover-moved"
sed -i 's/,outcome,moved,occurred_by,\([12]\),20\(2[67]\)-01-01,/,outcome,moved,occurred_by,\1,20\2-01-1,/' \
    "$work/nodate/sweep.csv"
expect "discover: no report date in sweep.csv, no --horizon" 65 "sweep.csv:[0-9]+:[0-9]+: error: '202[67]-01-1' is not a report date \(YYYY-MM-DD" -- \
    discover "$work/nodate" --outcome moved --threshold 0.5 --out "$work/no"
check_all "discover: nothing written after a refusal" \
    '[ ! -e "$work/no" ] && [ ! -e "$work/damaged/discover-moved" ] && [ ! -e "$work/nodate/discover-moved" ]'

# --- lever sets: one at a time
printf 'transitions:f:a>b,levers\n0.2,none\n0.5,double_f\n1,none\n2,double_f\n2.5,none\n' > "$work/design.csv"
"$NEASIM" sweep "$m" --design "$work/design.csv" --runs 200 --horizons 1 --quiet --out "$work/swl"
expect "discover: lever sets need --levers" 64 "^neasim discover: --levers: .*sweep.csv varies lever sets \(none, double_f\): .*give --levers SET" -- \
    discover "$work/swl" --outcome moved --threshold 0.5 --out "$work/no"
expect "discover: an unknown lever set" 64 "^neasim discover: --levers: no lever set 'double' in .*sweep.csv \(did you mean 'double_f'\?\)" -- \
    discover "$work/swl" --outcome moved --threshold 0.5 --levers double --out "$work/no"
expect "discover: --levers none" 0 "" -- discover "$work/swl" --outcome moved --threshold 0.5 --levers none --quiet --out "$work/lv"
check_that "discover: --levers keeps that set's points" grep -q '^0,start,NA,NA,3,' "$work/lv/prim_trajectory.csv"
expect "discover: --levers on a sweep without lever sets" 64 "^neasim discover: --levers: .*sweep.csv has no levers column" -- \
    discover "$work/sw" --outcome moved --threshold 0.5 --levers none --out "$work/no"
check_that "discover: nothing written after a refused option" [ ! -e "$work/no" ]

# The seeds of tests/fuzz_discover.c (an LHS sweep's tables, kept in the repository): this neasim
# must still discover a box in them, or the fuzzing starts from inputs all refused at a table.
cp -r tests/fixtures/fuzz-seeds/discover "$work/fuzz-discover"
says "the fuzz seeds: a box is discovered in them" "exceeds 50% \(coverage\)" -- \
    discover "$work/fuzz-discover" --outcome moved --threshold 0.5 --out "$work/fuzz-box"

cli_done discover
