#!/usr/bin/env bash
# bytecheck.sh OLD_BIN NEW_BIN: the same commands with two builds of neasim, outputs compared byte
# for byte (manifest.csv excluded: it names the build). Every shipped scenario through run and,
# where it has levers, compare --levers all; the baseline through outer runs (run and compare,
# draws side by side and one after another) and a sweep, and against two of its variants (compare
# A B C, since issue 11); every test model that runs through run; the baseline with paths, routes
# and signposts, to a precision, run and compare in two shards joined by merge, replayed by trace
# and described by check; a backtest scored and a sweep's discovery; five bad inputs (broken
# copies of the baseline, bad options), their messages and exit statuses. For changes that must
# not move a seed's results (issue 14), and for tests/cli_uninit.sh (the same build with its
# memory poisoned). OLD_BIN and NEW_BIN may be scripts that set an environment. Run from the
# project root. Exit status 1 when anything differs.
# --at-least N: also fail when fewer than N cases come out the same (a suite that must not pass
# by running nothing). The last line counts the cases: "bytecheck: N cases the same, M differ".
set -u
at_least=0
if [ "${1:-}" = --at-least ]; then
    at_least=$2
    shift 2
fi
old=$1 new=$2 w=$(mktemp -d /tmp/nsm-bytecheck-XXXXXX)
trap 'rm -rf "$w"' EXIT
status=0 n_same=0 n_diff=0
same() { echo "same $*"; n_same=$((n_same + 1)); }
differ() { echo "DIFF $*"; n_diff=$((n_diff + 1)); status=1; }
# args SIDE ARGS...: ARGS with {side} replaced by SIDE (old or new), into the array a: a command
# that reads an earlier case's output (merge, score, discover) reads its own side's.
args() {
    local side=$1 x
    shift
    a=()
    for x in "$@"; do a+=("${x//\{side\}/$side}"); done
}
said() { echo "    the command: neasim $*"; } # what a DIFF ran, to run again (under valgrind)
go() { # name args...: a command that writes a results folder (--out)
    local name=$1 a; shift
    args old "$@"; "$old" "${a[@]}" --quiet --out "$w/old-$name" >/dev/null 2>"$w/old-$name.err"; local r1=$?
    args new "$@"; "$new" "${a[@]}" --quiet --out "$w/new-$name" >/dev/null 2>"$w/new-$name.err"; local r2=$?
    if [ $r1 -ne $r2 ]; then differ "$name: exit $r1 vs $r2"; said "${a[@]}"; return; fi
    if ! cmp -s "$w/old-$name.err" "$w/new-$name.err"; then differ "$name: messages"; said "${a[@]}"; return; fi
    for d in "$w/old-$name" "$w/new-$name"; do # a failed run writes nothing: its message was compared
        [ -e "$d" ] || mkdir "$d"
    done
    if diff -rq -x manifest.csv "$w/old-$name" "$w/new-$name" >/dev/null 2>&1; then
        same "$name (exit $r1, $(ls "$w/new-$name" 2>/dev/null | wc -l) files)"
    else
        differ "$name"; said "${a[@]}"; diff -rq -x manifest.csv "$w/old-$name" "$w/new-$name" | head -3
    fi
}
for s in scenarios/*/; do
    [ -f "$s/scenario.csv" ] || continue
    n=$(basename "$s")
    go "run-$n" run "$s" --runs 3000 --seed 11 --threads 2
    go "nominal-$n" run "$s" --runs 2000 --seed 12 --threads 1 --nominal
    [ -f "$s/levers.csv" ] && go "cmp-$n" compare "$s" --levers all --runs 1000 --seed 5 --threads 2
done
for s in tests/models/*/; do
    go "model-$(basename "$s")" run "$s" --runs 2000 --seed 7 --threads 2
done
go outer run scenarios/baseline --runs 200 --outer 6 --seed 3
# both outer loops, draws one after another (1 thread) and side by side (2 threads, 8 draws)
go outer-side run scenarios/baseline --runs 100 --outer 8 --seed 3 --threads 2
go cmp-outer compare scenarios/baseline --levers all --runs 100 --outer 6 --seed 3 --threads 1
go cmp-outer-side compare scenarios/baseline --levers all --runs 100 --outer 8 --seed 3 --threads 2
go cmp-scenarios compare scenarios/baseline scenarios/formal-alignment scenarios/us-retrenchment --runs 500 --seed 5 --threads 2
go sweep-oat sweep scenarios/baseline --oat --params 'transitions:rok_nuclear_debate:*' --runs 200 --seed 9
go sweep-sobol sweep tests/models/uncertain --sobol 8 --runs 100 --seed 9
go routes run scenarios/baseline --runs 2000 --seed 13 --threads 2 --paths 5 --routes --signposts
go precision run scenarios/baseline --precision 0.02 --seed 14 --threads 2
# the parts name the version and commit that wrote them (merge refuses parts of two): compared byte
# for byte only when both builds say the same --version (tests/cli_uninit.sh), else only what merge
# makes of them
same_build=0
[ "$("$old" --version)" = "$("$new" --version)" ] && same_build=1
part() { # name args...: a shard's part, for each side
    local name=$1 a; shift
    args old "$@"; "$old" "${a[@]}" --quiet --out "$w/old-$name" >/dev/null 2>&1; local r1=$?
    args new "$@"; "$new" "${a[@]}" --quiet --out "$w/new-$name" >/dev/null 2>&1; local r2=$?
    if [ $r1 -ne 0 ] || [ $r2 -ne 0 ]; then
        differ "$name: exit $r1 vs $r2"; said "${a[@]}"
    elif [ $same_build -eq 1 ] && ! cmp -s "$w/old-$name" "$w/new-$name"; then
        differ "$name: the parts differ"; said "${a[@]}"
    else
        same "$name (exit 0$([ $same_build -eq 1 ] && echo ", the part byte for byte"))"
    fi
}
part shard-1 run scenarios/baseline --runs 1000 --seed 15 --threads 2 --shard 1/2
part shard-2 run scenarios/baseline --runs 1000 --seed 15 --threads 1 --shard 2/2
go merge merge "$w/{side}-shard-2" "$w/{side}-shard-1" --threads 2
part cmp-shard-1 compare scenarios/baseline --levers all --runs 600 --seed 16 --threads 2 --shard 1/2
part cmp-shard-2 compare scenarios/baseline --levers all --runs 600 --seed 16 --threads 2 --shard 2/2
go cmp-merge merge "$w/{side}-cmp-shard-1" "$w/{side}-cmp-shard-2"
go score score "$w/{side}-run-backtest-2017" --observed scenarios/backtest-2017/observed.csv
go sweep-lhs sweep scenarios/baseline --lhs 40 --runs 200 --seed 10 --threads 2
go discover discover "$w/{side}-sweep-lhs" --outcome alliance_in_crisis --threshold 0.3
say() { # name args...: a command that prints its answer: its output, messages and exit status
    local name=$1 a; shift
    args old "$@"; "$old" "${a[@]}" >"$w/old-$name.out" 2>&1; local r1=$?
    args new "$@"; "$new" "${a[@]}" >"$w/new-$name.out" 2>&1; local r2=$?
    if [ $r1 -ne $r2 ] || ! cmp -s "$w/old-$name.out" "$w/new-$name.out"; then
        differ "$name (exit $r1 vs $r2)"; said "${a[@]}"; diff "$w/old-$name.out" "$w/new-$name.out" | head -3
    else
        same "$name (exit $r1, $(wc -l < "$w/new-$name.out") lines)"
    fi
}
say trace trace scenarios/baseline --rep 17 --seed 3
say trace-csv trace scenarios/baseline --rep 4 --seed 5 --arm value_diplomacy+seoul_contributions --csv
say check check scenarios/baseline
# bad input: the message (file:line:column and what to do) and exit status, for broken copies of
# the baseline that both sides read, and for bad options
broken() { # name table sed-edit: the edit must change the table (else the case checks nothing)
    rm -rf "$w/bad-$1"; cp -r scenarios/baseline "$w/bad-$1"; sed -i "$3" "$w/bad-$1/$2"
    if cmp -s "scenarios/baseline/$2" "$w/bad-$1/$2"; then
        differ "bad-$1: the edit $3 no longer changes scenarios/baseline/$2: update it"
    fi
}
broken unit transitions.csv '3s/,rate_per_year,/,rate_per_yer,/'
broken level modifiers.csv '2s/rok_governing_bloc=progressive/rok_governing_bloc=progresive/'
broken semicolons outcomes.csv 's/,/;/g'
say bad-unit check "$w/bad-unit"
say bad-level run "$w/bad-level" --runs 10 --out "$w/bad-level-out"
say bad-semicolons check "$w/bad-semicolons"
say bad-option run scenarios/baseline --runs 12x
say bad-lever compare scenarios/baseline --levers nosuch --runs 10 --out "$w/bad-lever-out"
echo "bytecheck: $n_same cases the same, $n_diff differ"
if [ "$n_same" -lt "$at_least" ]; then
    echo "bytecheck: fewer than $at_least cases came out the same"
    status=1
fi
exit $status
