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

# --- compare: variance reduction by pairing for each shipped lever, and the cost of an arm
if [ -f scenarios/baseline/levers.csv ]; then
    runs_cmp=${BENCH_RUNS_COMPARE:-20000}
    echo "== compare on scenarios/baseline ($runs_cmp replications per arm, --levers all)"
    t_run=$( { /usr/bin/time -f '%e' "$build/neasim" run scenarios/baseline --runs "$runs_cmp" --quiet --out "$tmp/run" >/dev/null; } 2>&1 )
    t_cmp=$( { /usr/bin/time -f '%e' "$build/neasim" compare scenarios/baseline --levers all --runs "$runs_cmp" --quiet --out "$tmp/cmp" >/dev/null; } 2>&1 )
    arms=$(awk -F, 'NR > 1 { a[$1] = 1 } END { print length(a) }' "$tmp/cmp/arms.csv")
    echo "  run: ${t_run} s; compare with $arms arms: ${t_cmp} s;" \
        "cost of one extra arm: $(awk -v r="$t_run" -v c="$t_cmp" -v n="$arms" 'BEGIN { printf "%.2f", (c - r) / (n - 1) / r }') x a run"
    echo "  variance reduction by pairing, outcomes at the horizon (occurred_by), per lever:"
    echo "    lever: median over affected outcomes [min, max] (outcomes with a non-zero difference)"
    last=$(awk -F, 'NR > 1 { d = $5 } END { print d }' "$tmp/cmp/differences.csv")
    awk -F, -v last="$last" 'NR > 1 && $2 == "outcome" && $4 == "occurred_by" && $5 == last && $13 != "NA" && $9 != 0 {
            print $1, $13 }' "$tmp/cmp/differences.csv" | sort -k1,1 -k2,2g |
        awk '{ v[$1, ++n[$1]] = $2 } END { for (a in n) { k = n[a];
            printf "    %s: %.1f [%.1f, %.1f] (%d)\n", a, v[a, int((k + 1) / 2)], v[a, 1], v[a, k], k } }' | sort
fi

# --- sweep: 1,000 points x 10,000 replications of the baseline; memory against 100 points
sweep_points=${BENCH_SWEEP_POINTS:-1000}
sweep_runs=${BENCH_SWEEP_RUNS:-10000}
design() { # $1 points: three judgment hazards of the baseline varied over a grid of values
    awk -v n="$1" 'BEGIN {
        print "transitions:rok_political_stability:normal>crisis,transitions:usfk_posture:current>reduced,modifiers:1";
        for (p = 0; p < n; p++) printf "%.4f,%.4f,%.3f\n", 0.1 + 0.2 * (p % 10) / 9, 0.02 + 0.06 * (int(p / 10) % 10) / 9, 0.5 + (p % 7) / 6 }'
}
design "$sweep_points" > "$tmp/design-big.csv"
design 100 > "$tmp/design-small.csv"
echo "== sweep on scenarios/baseline: $sweep_points points x $sweep_runs replications"
/usr/bin/time -f "%e %M" -o "$tmp/time-big" "$build/neasim" sweep scenarios/baseline --design "$tmp/design-big.csv" \
    --runs "$sweep_runs" --quiet --out "$tmp/sweep-big" >/dev/null
read -r wall rss < "$tmp/time-big"
echo "  wall ${wall} s, peak memory ${rss} KiB, $(awk -v w="$wall" -v n="$sweep_points" -v r="$sweep_runs" 'BEGIN { printf "%.0f", n * r / w }') replications/s"
/usr/bin/time -f "%e %M" -o "$tmp/time-small" "$build/neasim" sweep scenarios/baseline --design "$tmp/design-small.csv" \
    --runs "$sweep_runs" --quiet --out "$tmp/sweep-small" >/dev/null
read -r wall2 rss2 < "$tmp/time-small"
echo "  100 points: wall ${wall2} s, peak memory ${rss2} KiB (the same peak memory is the target)"
# memory flat in points beyond the design itself (here 119 numbers a point: 952 bytes), from
# 500 to 5,000 points of a generated design at 2 replications a point
for n in 500 5000; do
    /usr/bin/time -f "%M" -o "$tmp/rss-lhs-$n" "$build/neasim" sweep scenarios/baseline --lhs "$n" \
        --runs 2 --quiet --out "$tmp/sweep-lhs-$n" >/dev/null
done
echo "  --lhs over all 119 uncertain numbers, 2 replications a point: peak memory" \
    "$(cat "$tmp/rss-lhs-500") KiB at 500 points, $(cat "$tmp/rss-lhs-5000") KiB at 5000" \
    "($(awk -v a="$(cat "$tmp/rss-lhs-500")" -v b="$(cat "$tmp/rss-lhs-5000")" 'BEGIN { printf "%.0f", (b - a) * 1024 / 4500 }') bytes a point; the design holds 952)"
