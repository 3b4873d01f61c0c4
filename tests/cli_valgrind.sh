#!/usr/bin/env bash
# CLI cases under valgrind memcheck: a representative set of good runs (run, compare, sweep and
# check on small models and on every shipped scenario, with few runs) and of error paths (bad
# tables, bad options, bad --out targets, runtime errors), each in a fresh `neasim` process.
# ASan (make check-asan) misses reads of uninitialised memory and jumps past an initialisation;
# memcheck sees both. Any memcheck error, or a definitely lost block, makes the case fail
# (valgrind exits 99); its report is printed at the end. A missing valgrind is a loud skip
# (exit 77), never a pass: scripts/install-deps.sh installs it.
# Usage: tests/cli_valgrind.sh BUILD_DIR   (from the project root; about two minutes on 2 cores)
set -u
source "$(dirname "$0")/cli-lib.sh"

command -v valgrind >/dev/null ||
    skip_suite "valgrind is not installed, so the memcheck cases did NOT run (make deps installs it)"

# make check-asan runs the suites on a sanitizer build, which cannot run under valgrind; plain
# make test runs this suite.
if ldd "$NEASIM" 2>/dev/null | grep -q libasan; then
    skip_suite "$NEASIM is built with AddressSanitizer, which valgrind cannot run (make test runs" \
        "this suite)"
fi

# Leak policy: only "definitely lost" fails. libgomp keeps its thread pool (and glibc the threads'
# TLS) until exit, which memcheck reports as "possibly lost"; those are shown nowhere and fail
# nothing, so no suppression file is needed. Indirect losses hang off a definite one.
vg_real=$NEASIM
mkdir -p "$work/vg-failures"
cat > "$work/neasim-vg" <<EOF
#!/usr/bin/env bash
log=\$(mktemp "$work/vg-log.XXXXXX")
vg() {
    valgrind --tool=memcheck --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \\
        --show-leak-kinds=definite --num-callers=20 --log-file="\$log" "\$@" "$vg_real" "\${args[@]}"
}
args=("\$@")
vg
rc=\$?
if [ \$rc -eq 99 ]; then
    # again with the origins of uninitialised values (twice as slow, so only for the report)
    vg --track-origins=yes >/dev/null 2>&1
    { echo "neasim \$*"; cat "\$log"; } > "$work/vg-failures/\$(basename "\$log")"
fi
rm -f "\$log"
exit \$rc
EOF
chmod +x "$work/neasim-vg"
NEASIM=$work/neasim-vg

# vg_clean NAME ARGS...: for cases whose exit code another suite pins down (and may change), only
# that memcheck is quiet and the process was not killed by a signal.
vg_clean() {
    local name=$1 rc
    shift
    "$NEASIM" "$@" >/dev/null 2>&1
    rc=$?
    if [ "$rc" -eq 99 ] || [ "$rc" -ge 128 ]; then
        echo "FAIL $name: exit $rc"; fail=$((fail + 1))
    else
        pass=$((pass + 1))
    fi
}

# --- options and usage
expect "no arguments" 64 "Usage: neasim" --
expect "help" 0 "Commands:" -- --help
expect "unknown option" 64 "unknown option" -- run tests/models/two_state --fast
expect "bad runs" 64 "--runs expects" -- run tests/models/two_state --runs 12x
expect "missing value" 64 "needs a value" -- sweep tests/models/paths --grid
expect "missing folder" 66 "no-such-folder" -- check "$work/no-such-folder"

# --- bad tables: check and run read the same way; a failed run leaves nothing behind
vg_bad() {
    local name=$1 table=$2 edit=$3 pattern=$4 dir="$work/bad-$1"
    cp -r tests/models/two_state "$dir"
    case "$edit" in
        write:*) printf '%b' "${edit#write:}" > "$dir/$table" ;;
        *) sed -i "$edit" "$dir/$table" ;;
    esac
    expect "bad $name: check" 65 "$pattern" -- check "$dir"
}
vg_bad unknown_level transitions.csv 's/^f,a,b,2/f,a,bb,2/' "transitions.csv:2:[0-9]+: error: "
vg_bad misspelt_column factors.csv 's/initial/inital/' "did you mean 'initial'"
vg_bad unterminated_quote factors.csv 's/^f,b,0,test/f,b,0,"test/' "quote"
vg_bad binary factors.csv 'write:\x00\x01\x02binary' "factors.csv"
vg_bad empty factors.csv 'write:' "empty"
vg_bad distribution transitions.csv 's/^f,a,b,2,/f,a,b,"pert(1,2",/' "transitions.csv:2:[0-9]+: error: "
vg_bad lever levers.csv 'write:lever,target,operation,value,source\nx,transition:f:a>b,multiply,2,test\n' "did you mean 'transitions'"
expect "bad table: run" 65 "" -- run "$work/bad-unknown_level" --runs 10 --quiet --out "$work/bad-run"
[ ! -e "$work/bad-run" ] && pass=$((pass + 1)) || { echo "FAIL a rejected run wrote"; fail=$((fail + 1)); }
expect "effect loop" 70 "loop of zero-delay effects" -- run tests/models/loop --runs 20 --quiet --out "$work/loop"

# --- bad --out targets (commit ab54efc: a jump past an initialisation freed stack garbage here)
echo keep > "$work/a-file"
mkdir -p "$work/precious"; echo keep > "$work/precious/notes.txt"
expect "out: a foreign folder" 73 "not a neasim results folder" -- run tests/models/two_state --runs 10 --out "$work/precious"
expect "out: a file" 73 "not a folder" -- run tests/models/two_state --runs 10 --out "$work/a-file"
vg_clean "out: under a file" run tests/models/two_state --runs 10 --out "$work/a-file/sub"
vg_clean "out: trailing slash" run tests/models/two_state --runs 10 --quiet --out "$work/slash/"
vg_clean "compare out: a foreign folder" compare tests/models/paths --levers push_f --runs 10 --out "$work/precious"
vg_clean "sweep out: a file" sweep tests/models/uncertain --oat --runs 10 --quiet --out "$work/a-file"
# the refusals and warnings of this session's checks (outdir.c, partial.c, options.c,
# condition.c, inherit.c): each on its error path under memcheck
"$vg_real" run tests/models/two_state --runs 10 --quiet --out "$work/res-notes" >/dev/null 2>&1
echo notes > "$work/res-notes/notes.txt"
expect "out: a results folder with a user's file" 73 "which neasim did not write" -- run tests/models/two_state --runs 10 --out "$work/res-notes"
expect "shard over a foreign file" 73 "not a neasim partial result" -- run tests/models/two_state --runs 10 --shard 1/2 --out "$work/a-file"
expect "horizons beyond the horizon" 64 "beyond the horizon" -- compare tests/models/two_state --levers faster --horizons 1,30 --out "$work/hz"
expect "horizons between reports" 64 "falls between the report dates" -- run tests/models/given --horizons 0.7 --out "$work/hz"
expect "--levers with an empty arm" 64 "an empty arm" -- compare tests/models/two_state --levers faster,,later --out "$work/hz"
vg_bad never_holds outcomes.csv 's/^in_b,f=b,/in_b,f=a \& f=b,/' "can never hold"
"$vg_real" check tests/models/two_state --resolved "$work/flat" >/dev/null 2>&1
expect "run into a resolved scenario" 73 "holds a scenario" -- run "$work/flat" --runs 10 --out "$work/flat"
rm -rf "$work/near" && cp -r tests/models/paths "$work/near" && mv "$work/near/levers.csv" "$work/near/Levers.csv"
expect "a near table name: a warning" 0 "did you mean levers.csv" -- check "$work/near"
expect "default watch dates on a 3-year scenario, horizons with the end" 0 "" -- \
    run scenarios/backtest-2019 --runs 30 --signposts --quiet --out "$work/bt"

# labels in Korean: the printed table pads and cuts them by display width (base/text.c: newlocale,
# mbrtowc, wcwidth), the workbook sizes its columns the same way, and arms.csv says what each lever
# changes (model/lever_text.c); an error's caret under Hangul (diag.c)
rm -rf "$work/wide"; cp -r tests/models/two_state "$work/wide"
printf 'lever,target,operation,value,from_date,description,source,label\n%s\n' \
    'faster,transitions:f:a>b,multiply,1.5,,x,test,가치 외교와 한미일 협력 강화를 위한 장기적인 전략의 추진' \
    > "$work/wide/levers.csv"
printf 'outcome,condition,description,label\nin_b,f=b,x,b 상태 (état b)\n' > "$work/wide/outcomes.csv"
expect "compare with Korean labels" 0 "\.\.\." -- compare "$work/wide" --levers faster --runs 200 --xlsx --out "$work/wide-c"
rm -rf "$work/wide-bad"; cp -r "$work/wide" "$work/wide-bad"
printf 'description,outcome,condition\n한국 자료,in_b,f=bb\n' > "$work/wide-bad/outcomes.csv"
expect "an error's caret under Hangul" 65 "unknown level 'bb'" -- check "$work/wide-bad"
expect "a bad option value names its command" 64 "neasim sweep: --lhs expects" -- sweep tests/models/uncertain --lhs 0

# --- good runs: small models, both thread counts, a rerun into its own folder, the byte-order mark
expect "run two_state" 0 "" -- run tests/models/two_state --runs 200 --seed 3 --threads 2 --quiet --out "$work/two"
expect "rerun replaces" 0 "" -- run tests/models/two_state --runs 100 --bom --quiet --out "$work/two"
expect "run delay" 0 "" -- run tests/models/delay --runs 100 --threads 1 --quiet --out "$work/delay"
expect "run redraw" 0 "" -- run tests/models/redraw --runs 100 --threads 2 --quiet --out "$work/redraw"
expect "run counts" 0 "" -- run tests/models/counts --runs 100 --quiet --out "$work/counts"
expect "check uncertain" 0 "valid scenario" -- check tests/models/uncertain
expect "run dates (an event that counts dates)" 0 "" -- run tests/models/dates --runs 100 --threads 2 --quiet --out "$work/dates"
expect "trace dates" 0 "not counted" -- trace tests/models/dates --rep 1
expect "trace same_day" 0 "effect of a change of k" -- trace tests/models/same_day
expect "trace: skipped and cancelled" 0 "cancelled +event:both_in_a" -- trace tests/models/effect_when --seed 3
expect "trace: a calendar row skipped" 0 "skipped +deal=none" -- trace tests/models/calendar_when --rep 1
expect "trace arm csv" 0 "rep,t_years" -- trace tests/models/two_state --arm faster --rep 3 --csv
expect "trace unknown lever" 64 "did you mean" -- trace tests/models/two_state --arm fastr
expect "run --paths" 0 "" -- run tests/models/uncertain --runs 20 --paths 4 --quiet --out "$work/paths"
expect "run --xlsx" 0 "" -- run tests/models/uncertain --runs 20 --outer 2 --xlsx --quiet --out "$work/xlsx"
expect "compare --outer --xlsx" 0 "" -- compare tests/models/uncertain --levers all --runs 20 --outer 2 --xlsx --quiet --out "$work/cmp-xlsx"
# a stay begun before the start (factors.csv, entered): a gamma's time left through the Brent solver
# on GSL's survival function, a deadline's, and the reader's refusal of a stay already over
cp -r tests/models/entered_weibull "$work/ent-gamma" && printf 'factor,from,to,value,unit,duration,source\nf,a,b,,,"gamma(2, 100) days",x\n' > "$work/ent-gamma/transitions.csv"
expect "run entered, a gamma's time left" 0 "" -- run "$work/ent-gamma" --runs 200 --threads 2 --quiet --out "$work/ent-gamma-out"
expect "trace entered deadline" 0 "2025-05-01" -- trace tests/models/entered_deadline --rep 2
cp -r tests/models/entered_deadline "$work/ent-past" && sed -i 's/,2024-11-02$/,2024-06-01/' "$work/ent-past/factors.csv"
expect "entered: a stay already over" 65 "so that stay cannot go on after the start" -- check "$work/ent-past"
cp -r tests/models/two_state "$work/semi" && printf 'factor;level;initial;source\nf;a;1;x\n' > "$work/semi/factors.csv"
expect "a semicolon table" 65 "separated by semicolons" -- check "$work/semi"
expect "run --precision" 0 "" -- run tests/models/two_state --precision 0.05 --threads 2 --quiet --out "$work/prec"
expect "compare --precision, the ceiling" 0 "NOT met" -- compare tests/models/two_state --levers faster --precision 0.001 --runs 1500 --out "$work/cprec"
expect "--precision-for unknown" 64 "has no outcome" -- run tests/models/two_state --precision 0.05 --precision-for in_c --out "$work/bad"
expect "compare --factorial --precision-for interactions" 0 "the interaction of Twice as fast and Three times as fast" -- compare tests/models/interact --levers all --factorial --precision 0.03 --precision-for interactions --threads 2 --out "$work/iprec"
expect "compare --precision-for ARM:, ARM:OUTCOME@YEARS" 0 "met after 1000 runs .*, arm Three times as fast\)$" -- compare tests/models/interact --levers all --factorial --precision 0.03 --precision-for double:,triple:switched_on@1 --threads 2 --out "$work/aprec"
expect "run --outer --precision: draws in batches" 0 "met after 50 draws of 20 runs" -- run tests/models/uncertain --runs 20 --outer 100 --precision 0.015 --threads 2 --out "$work/oprec"
expect "compare --outer --precision: draws in batches" 0 "met after 40 draws of 20 runs" -- compare tests/models/uncertain --levers all --runs 20 --outer 100 --precision 0.015 --threads 2 --out "$work/ocprec"
expect "--precision with --outer below 30" 64 "give --outer 30 or more" -- run tests/models/uncertain --runs 20 --outer 10 --precision 0.015 --out "$work/bad"
expect "--precision-for an unknown ARM:" 64 "has no arm 'nope'" -- compare tests/models/interact --levers all --precision 0.03 --precision-for nope:switched_on --out "$work/bad"
expect "--precision-for interactions without them" 64 "only .compare. with arms of two levers" -- compare tests/models/interact --levers all --precision 0.03 --precision-for interactions --out "$work/bad"
expect "compare --factorial, printed arms cut lever by lever" 0 "Equitable ... \+ U.S. postu... \+ NCG instit..." -- compare scenarios/baseline --levers equitable_burden_sharing,us_posture_review,ncg_institutionalized --factorial --runs 30 --out "$work/fac"
expect "run --routes --signposts" 0 "" -- run scenarios/baseline --runs 20 --seed 7 --threads 2 --routes --signposts --quiet --out "$work/story"
expect "run --routes --signposts --shard 1/2" 0 "" -- run tests/models/routes --runs 60 --seed 7 --threads 2 --routes --signposts --watch 0.5 --quiet --shard 1/2 --out "$work/story.p1"
expect "run --routes --signposts --shard 2/2" 0 "" -- run tests/models/routes --runs 60 --seed 7 --threads 1 --routes --signposts --watch 0.5 --quiet --shard 2/2 --out "$work/story.p2"
expect "merge of routes and signposts" 0 "" -- merge "$work/story.p2" "$work/story.p1" --quiet --out "$work/story-m"
expect "run --routes past the 6-step cap" 0 "" -- run tests/models/route_truncate --runs 5 --seed 7 --threads 2 --routes --signposts --watch 0.2 --quiet --out "$work/story-cap"
# two levels through parts: the draws' squares written and read (since partial format 3)
expect "compare --outer --shard 1/2" 0 "" -- compare tests/models/judgment_counts --levers all --runs 20 --outer 3 --threads 2 --quiet --shard 1/2 --out "$work/outer.p1"
expect "compare --outer --shard 2/2" 0 "" -- compare tests/models/judgment_counts --levers all --runs 20 --outer 3 --threads 1 --quiet --shard 2/2 --out "$work/outer.p2"
expect "merge of a two-level comparison" 0 "" -- merge "$work/outer.p2" "$work/outer.p1" --quiet --out "$work/outer-m"
# arms of two levers: the interactions' paired accumulators in the parts
expect "compare --factorial --shard 1/2" 0 "" -- compare tests/models/paths --levers push_f,calm_h --factorial --runs 40 --threads 2 --quiet --shard 1/2 --out "$work/fact.p1"
expect "compare --factorial --shard 2/2" 0 "" -- compare tests/models/paths --levers push_f,calm_h --factorial --runs 40 --threads 1 --quiet --shard 2/2 --out "$work/fact.p2"
expect "merge of a factorial comparison" 0 "" -- merge "$work/fact.p2" "$work/fact.p1" --xlsx --quiet --out "$work/fact-m"
# conditions that say 'or' across factors (outcomes, a modifier, a calendar row), with routes and
# signposts, and the reader's refusal of a term that can never hold
expect "run 'or' conditions --routes --signposts" 0 "" -- run tests/models/or_condition --runs 100 --seed 7 --threads 2 --routes --signposts --quiet --out "$work/or"
cp -r tests/models/or_condition "$work/or-bad" && sed -i 's/^either,x=on | y=on,/either,x=on | y=on \& y=off,/' "$work/or-bad/outcomes.csv"
expect "'or': a term that can never hold" 65 "of term 2 on y leave no level" -- check "$work/or-bad"
# effects whose trigger counts only under a condition (`when`), the warning of one that cannot
# hold after its change, and a bad condition refused
expect "run effects with when" 0 "" -- run tests/models/effect_when --runs 100 --seed 7 --threads 2 --quiet --out "$work/ew"
cp -r tests/models/two_state "$work/ew-bad" && printf 'trigger,when,probability,action,source\nf:a>b,f=a & f=b,1,f=a,x\n' >"$work/ew-bad/effects.csv"
expect "effects: a when that can never hold" 65 "leave no level of it" -- check "$work/ew-bad"
# a row refused after its conditions were read (here its probability) frees them: make fuzz found
# the leak (16 bytes definitely lost) before this
printf 'trigger,when,probability,when_due,action,source\nf:a>b,f=b,2,f=a,f=a,x\n' >"$work/ew-bad/effects.csv"
expect "effects: a row refused after its when" 65 "is not a probability" -- check "$work/ew-bad"
printf 'trigger,when,probability,when_due,action,source\nf:a>b,f=b,1,f=a,f=zz,x\n' >"$work/ew-bad/effects.csv"
expect "effects: a row refused after its when and when_due" 65 "unknown level 'zz'" -- check "$work/ew-bad"
expect "run --routes --precision" 0 "" -- run tests/models/routes --precision 0.05 --routes --threads 2 --quiet --out "$work/story-prec"
expect "run --watch beyond the horizon" 64 "not within the horizon" -- run tests/models/signposts --signposts --watch 9 --quiet --out "$work/story-bad"

# --- every shipped scenario: check, a short run, and compare where it has levers
for s in scenarios/*/; do
    s=${s%/}
    [ -f "$s/scenario.csv" ] || continue
    name=$(basename "$s")
    expect "check $name" 0 "valid scenario" -- check "$s"
    expect "run $name" 0 "" -- run "$s" --runs 10 --seed 7 --threads 2 --quiet --out "$work/$name"
done
expect "compare baseline" 0 "" -- compare scenarios/baseline --levers us_posture_review,value_diplomacy --runs 5 --quiet --out "$work/cmp-base"
# two scenarios whose outcomes differ: the ones not in both are dropped, labels and all (a dropped
# outcome's label leaked until nsm_outcomes_free was the one place that frees an outcome)
expect "compare two scenarios, outcomes dropped" 0 "left out" -- compare scenarios/baseline scenarios/formal-alignment --runs 5 --out "$work/cmp-two"
expect "compare two scenarios --outer" 0 "judgment 5-95%" -- compare scenarios/baseline scenarios/us-retrenchment --outer 2 --runs 3 --threads 2 --out "$work/cmp-two-outer"
# their shards (a head of every scenario) and the merge that reads them all again
expect "compare two scenarios --shard 1/2" 0 "" -- compare scenarios/baseline scenarios/formal-alignment --runs 6 --quiet --shard 1/2 --out "$work/two.p1"
expect "compare two scenarios --shard 2/2" 0 "" -- compare scenarios/baseline scenarios/formal-alignment --runs 6 --quiet --shard 2/2 --out "$work/two.p2"
expect "merge of a comparison of scenarios" 0 "left out" -- merge "$work/two.p2" "$work/two.p1" --out "$work/two-m"

# --- compare on a small model: list errors, a factorial
expect "compare unknown lever" 64 "did you mean 'push_f'" -- compare tests/models/paths --levers push_ff --quiet
expect "compare repeated arm" 64 "listed twice" -- compare tests/models/paths --levers push_f,push_f --quiet
expect "compare factorial" 0 "" -- compare tests/models/paths --levers push_f,push_f_later,calm_h --factorial --runs 50 --quiet --out "$work/fact"

# --- sweeps: design and grid files (good and bad), generated designs, interrupt and resume
printf 'transitions:f:a>b,levers\n0.5,push_f\n2,none\n' > "$work/design.csv"
expect "sweep design" 0 "" -- sweep tests/models/paths --design "$work/design.csv" --runs 50 --quiet --out "$work/sw-d"
printf 'transitions:f:a>b,levers\n0.5,push_ff\n' > "$work/d-lever.csv"
expect "sweep bad design" 65 "d-lever.csv:2:[0-9]+: error: " -- sweep tests/models/paths --design "$work/d-lever.csv" --quiet --out "$work/sw-bad"
printf 'parameter,values\ntransitions:f:a>b,0.2;1\nlevers,none;calm_h\n' > "$work/grid.csv"
NEASIM_TEST_STOP_AFTER_POINTS=2 "$NEASIM" sweep tests/models/paths --grid "$work/grid.csv" --runs 50 --seed 4 --quiet --out "$work/sw-g" >/dev/null 2>&1
[ $? -eq 130 ] && pass=$((pass + 1)) || { echo "FAIL sweep: the interrupted sweep"; fail=$((fail + 1)); }
expect "sweep resume" 0 "" -- sweep tests/models/paths --grid "$work/grid.csv" --runs 50 --seed 4 --quiet --out "$work/sw-g" --resume
printf 'parameter,values\ntransitions:f:a>x,1\n' > "$work/g-bad.csv"
expect "sweep bad grid" 65 "g-bad.csv:2:[0-9]+: error: " -- sweep tests/models/paths --grid "$work/g-bad.csv" --quiet --out "$work/sw-bad"
expect "sweep oat" 0 "" -- sweep tests/models/uncertain --oat --runs 50 --quiet --out "$work/sw-oat"
expect "sweep sobol" 0 "" -- sweep tests/models/uncertain --sobol 4 --runs 20 --quiet --out "$work/sw-sobol"
expect "sweep lhs, a subset of the baseline" 0 "" -- sweep scenarios/baseline --lhs 2 --params 'transitions:rok_nuclear_debate:*' --runs 5 --quiet --out "$work/sw-lhs"
expect "sweep params typo" 64 "names no number" -- sweep scenarios/baseline --oat --params 'transitions:usfk_postur:*' --quiet --out "$work/sw-p"
# --- scenario discovery on a sweep (PRIM), found and refused
"$vg_real" sweep tests/models/discover --lhs 30 --runs 50 --horizons 1 --quiet --out "$work/sw-disc" >/dev/null 2>&1
expect "discover" 0 "\(density\)" -- discover "$work/sw-disc" --outcome both --threshold 0.3 --out "$work/disc"
expect "discover unknown outcome" 64 "no outcome 'moves'" -- discover "$work/sw-disc" --outcome moves --threshold 0.5 --out "$work/disc-bad"
sed -i '3 s/,2026-01-01,[0-9.]*,/,2026-01-01,abc,/' "$work/sw-disc/sweep.csv"
expect "discover damaged sweep.csv" 65 "sweep.csv:3:[0-9]+: error: 'abc'" -- discover "$work/sw-disc" --outcome moved --threshold 0.5 --out "$work/disc-bad"

if [ -n "$(ls "$work/vg-failures")" ]; then
    echo "--- memcheck reports"
    for f in "$work"/vg-failures/*; do head -60 "$f"; echo; done
fi
cli_done valgrind
