#!/usr/bin/env bash
# make bench: engine throughput, speed-up from 1 to 2 threads, the random-variate floor, and peak
# memory at 10^4 and 10^6 replications, for the 6-state reference chain and the baseline.
# Usage: scripts/bench.sh BUILD_DIR   (from the project root). Figures go to stdout.
set -euo pipefail
build=${1:-build}
runs_chain=${BENCH_RUNS_CHAIN:-2000000}
runs_base=${BENCH_RUNS_BASE:-200000}
tmp=$(mktemp -d /tmp/nsm-bench-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }

echo "neasim benchmark on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
echo
for spec in "tests/models/chain6 $runs_chain" "scenarios/baseline $runs_base"; do
    set -- $spec
    model=$1 runs=$2
    one=$("$build/bench_engine" "$model" "$runs" 1)
    two=$("$build/bench_engine" "$model" "$runs" 2)
    echo "== $model ($runs replications)"
    echo "  1 thread : $(echo "$one" | cut -d' ' -f3-)"
    echo "  2 threads: $(echo "$two" | cut -d' ' -f3-)"
    w1=$(echo " $one" | field wall_s) w2=$(echo " $two" | field wall_s)
    echo "  speed-up 1 -> 2 threads: $(awk -v a="$w1" -v b="$w2" 'BEGIN { printf "%.2fx", a / b }')"
    for n in 10000 1000000; do
        /usr/bin/time -f '%M' -o "$tmp/rss" "$build/neasim" run "$model" --runs "$n" --quiet \
            --out "$tmp/out-$n" >/dev/null
        echo "  peak memory at $n replications: $(cat "$tmp/rss") KiB"
    done
    echo
done
