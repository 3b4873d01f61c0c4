#!/usr/bin/env bash
# bytecheck.sh OLD_BIN NEW_BIN: the same commands with two builds of neasim, outputs compared byte
# for byte (manifest.csv excluded: it names the build). Every shipped scenario through run and,
# where it has levers, compare --levers all; the baseline through outer runs (run and compare,
# draws side by side and one after another) and a sweep, and
# against two of its variants (compare A B C, since issue 11); every
# test model that runs through run. For changes that must not move a seed's results (issue 14).
# Run from the project root. Exit status 1 when anything differs.
set -u
old=$1 new=$2 w=$(mktemp -d /tmp/nsm-bytecheck-XXXXXX)
trap 'rm -rf "$w"' EXIT
status=0
go() { # name args...
    local name=$1; shift
    "$old" "$@" --quiet --out "$w/old-$name" >/dev/null 2>"$w/old-$name.err"; local r1=$?
    "$new" "$@" --quiet --out "$w/new-$name" >/dev/null 2>"$w/new-$name.err"; local r2=$?
    if [ $r1 -ne $r2 ]; then echo "DIFF $name: exit $r1 vs $r2"; status=1; return; fi
    if ! cmp -s "$w/old-$name.err" "$w/new-$name.err"; then echo "DIFF $name: messages"; status=1; return; fi
    mkdir -p "$w/old-$name" "$w/new-$name" # a failed run writes nothing: its message was compared
    if diff -rq -x manifest.csv "$w/old-$name" "$w/new-$name" >/dev/null 2>&1; then
        echo "same $name (exit $r1, $(ls "$w/new-$name" 2>/dev/null | wc -l) files)"
    else
        echo "DIFF $name"; diff -rq -x manifest.csv "$w/old-$name" "$w/new-$name" | head -3; status=1
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
exit $status
