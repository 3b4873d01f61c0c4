#!/usr/bin/env bash
# make bench: what the engine costs, against what it could cost, in one run on one machine.
# Usage: scripts/bench.sh BUILD_DIR   (from the project root). Figures go to stdout.
#
# Every timing is the median of BENCH_ROUNDS (default 5) runs, given with its spread [min-max]; the
# measurements are interleaved (round 1 of everything, then round 2, ...) so that a change in the
# machine's load falls on all of them alike, and every ratio is of two medians from the same run;
# a ratio read against a target is also given paired by round (PR below: each round's own ratio of
# two measurements seconds apart, their median and [min-max]), which a drift in the load between
# rounds moves less, and whose spread says whether the verdict could go the other way.
# The load average is printed before and after: on a shared machine read the ratios, not the
# seconds. One thread unless a figure says otherwise. Issue 14 gives the targets the ratios are
# read against. BENCH_SCALE (default 1) multiplies every replication count.
set -euo pipefail
build=${1:-build}
rounds=${BENCH_ROUNDS:-5}
scale=${BENCH_SCALE:-1}
tmp=$(mktemp -d /tmp/nsm-bench-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
n() { awk -v a="$1" -v s="$scale" 'BEGIN { x = int(a * s); print (x > 0 ? x : 1) }'; }
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# NumPy: Debian's python3-numpy (make deps), which a pyenv python3 first on PATH may not see.
py=
for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null && "$p" -c 'import numpy' 2>/dev/null; then py=$p; break; fi
done

# ---------------------------------------------------------------- synthetic models
# gen DIR FACTORS OUTCOMES: FACTORS three-level factors, each with all six transitions at 1 a year
# (about 21 events a factor a replication over 10 years), the a>b hazard of each doubled while the
# factor before it is at c; OUTCOMES outcomes, each on one factor's level c.
gen() {
    local dir=$1 nf=$2 no=$3
    mkdir -p "$dir"
    printf 'key,value,source\nname,synthetic_%s_%s,bench\ntitle,synthetic,bench\nstart_date,2026-01-01,bench\nhorizon_years,10,bench\nreport_interval_months,12,bench\n' "$nf" "$no" > "$dir/scenario.csv"
    awk -v n="$nf" 'BEGIN { print "factor,level,initial,source"
        for (f = 1; f <= n; f++) { print "f" f ",a,1,bench"; print "f" f ",b,0,bench"; print "f" f ",c,0,bench" } }' > "$dir/factors.csv"
    awk -v n="$nf" 'BEGIN { print "factor,from,to,value,unit,source"; split("a b c", L, " ")
        for (f = 1; f <= n; f++) for (i = 1; i <= 3; i++) for (j = 1; j <= 3; j++)
            if (i != j) print "f" f "," L[i] "," L[j] ",1,rate_per_year,bench" }' > "$dir/transitions.csv"
    awk -v n="$nf" 'BEGIN { print "target,condition,multiplier,source"
        for (f = 1; f <= n; f++) print "f" f ":a>b,f" (f == 1 ? n : f - 1) "=c,2,bench" }' > "$dir/modifiers.csv"
    awk -v n="$nf" -v o="$no" 'BEGIN { print "outcome,condition,description"
        for (k = 0; k < o; k++) print "o" k ",f" (k % n + 1) "=c,bench" }' > "$dir/outcomes.csv"
}
for f in 5 20 80 320; do gen "$tmp/f$f" "$f" 0; done
for o in 15 150; do gen "$tmp/o$o" 20 "$o"; done

# ---------------------------------------------------------------- the measurements
# add NAME COMMAND: COMMAND prints one number (seconds, or nanoseconds for ns_ names) last.
names=() cmds=()
add() { names+=("$1"); cmds+=("$2"); }
eng() { # MODEL RUNS THREADS MODE [KEY]: the engine alone (bench_engine), seconds or another figure
    local out; out=$("$build/bench_engine" "$1" "$2" "$3" "$4")
    echo " $out" | field share_of_floor >> "$tmp/share-$(basename "$1")-$4-$3"
    echo " $out" | field floor_reps_per_s >> "$tmp/floor-$(basename "$1")-$4-$3"
    case ${5:-wall_s} in
        ns_per_event) awk -v e="$(echo " $out" | field events_per_s)" 'BEGIN { printf "%.1f\n", 1e9 / e }' ;;
        *) echo " $out" | field "${5:-wall_s}" ;;
    esac
}
# Wall seconds of a command, to the millisecond: /usr/bin/time's %e has 10 ms steps, a tenth of a
# 0.1 s run, which was enough to move a ratio of two medians by 10%.
wall_of() {
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null || return
    t1=$(date +%s%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", (b - a) / 1e9 }'
}
cli() { wall_of "$build/neasim" "$@" --quiet --threads 1; }

# rcmp: enough replications that a run takes about half a second, so that reading the scenario
# and writing the tables (the same in both, once for compare's 9 arms) do not set the ratio
rc=$(n 200000) rb=$(n 10000) rcmp=$(n 10000)
add chain_engine      "eng tests/models/chain6 $rc 1 drawn"
add chain_engine_2thr "eng tests/models/chain6 $rc 2 drawn"
direct() { # METHOD: a hand-written loop on the chain (bench_direct.c); its answer kept for the check
    local out; out=$("$build/bench_direct" tests/models/chain6 "$rc" "$1")
    echo " $out" | field p_far_at_end > "$tmp/p-$1"
    echo " $out" | field p_far_closed > "$tmp/p-closed"
    echo " $out" | field wall_s
}
add chain_direct_c    "direct direct"
add chain_nrm_c       "direct nrm"
[ -n "$py" ] && add chain_numpy "$py tests/bench_numpy.py $rc | field wall_s"
add base_drawn        "eng scenarios/baseline $rb 1 drawn"
add base_nominal      "eng scenarios/baseline $rb 1 nominal"
for f in 5 20 80 320; do
    add "ns_f$f" "eng $tmp/f$f $(n $((500000 / (21 * f)))) 1 nominal ns_per_event"
done
for o in 15 150; do add "ns_o$o" "eng $tmp/o$o $(n 1200) 1 nominal ns_per_event"; done
# one machine used fully (issue 13): sweeps and run --outer of many small points (or draws) and of
# few large ones, 1 thread against 2; each removes its own folder first. The design is the sweep
# section's (three judgment hazards of the baseline).
sweep_design() {
    awk -v n="$1" 'BEGIN {
        print "transitions:rok_political_stability:normal>crisis,transitions:usfk_posture:current>reduced,modifiers:1"
        for (p = 0; p < n; p++)
            printf "%.4f,%.4f,%.3f\n", 0.1 + 0.2 * (p % 10) / 9, 0.02 + 0.06 * int(p / 10) % 10 / 9, 0.5 + (p % 7) / 6
    }'
}
sweep_design 300 > "$tmp/shape-many.csv"
sweep_design 4 > "$tmp/shape-few.csv"
cli_t() { # THREADS DIR ARGS...: wall seconds of neasim ARGS with THREADS threads into a fresh DIR
    local t=$1 dir=$2; shift 2; rm -rf "$dir" "$dir.partial"
    wall_of "$build/neasim" "$@" --quiet --threads "$t" --out "$dir"
}
shape_many_runs=$(n 20) shape_few_runs=$(n 2500)
for t in 1 2; do
    add "sweep_many_$t" "cli_t $t $tmp/shape-sw sweep scenarios/baseline --design $tmp/shape-many.csv --runs $shape_many_runs --seed 3"
    add "sweep_few_$t"  "cli_t $t $tmp/shape-sw sweep scenarios/baseline --design $tmp/shape-few.csv --runs $shape_few_runs --seed 3"
    add "outer_many_$t" "cli_t $t $tmp/shape-ou run scenarios/baseline --outer 300 --runs $shape_many_runs --seed 3"
    add "outer_few_$t"  "cli_t $t $tmp/shape-ou run scenarios/baseline --outer 4 --runs $shape_few_runs --seed 3"
done
# Open MPI (make mpi): one process of 1 thread, of 2 threads, and mpirun -n 2 of 1 thread each
rmpi=$(n 50000)
wall() { wall_of "$@" 2>/dev/null; } # mpirun's notices
if [ -x "$build/neasim-mpi" ] && command -v mpirun >/dev/null; then
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl_vader_single_copy_mechanism=none
    add mpi_one  "wall $build/neasim run scenarios/baseline --runs $rmpi --seed 3 --quiet --threads 1 --out $tmp/mpi"
    add mpi_thr2 "wall $build/neasim run scenarios/baseline --runs $rmpi --seed 3 --quiet --threads 2 --out $tmp/mpi"
    add mpi_n2   "wall mpirun --oversubscribe -n 2 $build/neasim-mpi run scenarios/baseline --runs $rmpi --seed 3 --quiet --threads 1 --out $tmp/mpi"
    # what a run costs besides its replications (starting, reading, writing; with mpirun, its start
    # and MPI_Init): the same runs of 2 replications
    add mpi_one_start "wall $build/neasim run scenarios/baseline --runs 2 --seed 3 --quiet --threads 1 --out $tmp/mpi"
    add mpi_n2_start  "wall mpirun --oversubscribe -n 2 $build/neasim-mpi run scenarios/baseline --runs 2 --seed 3 --quiet --threads 1 --out $tmp/mpi"
fi
# routes and signposts (run --routes --signposts) against the same run without them (before
# compare_base, which must stay last: each measurement first removes $tmp/run, $tmp/cmp and $tmp/mpi)
add run_base_story    "cli run scenarios/baseline --runs $rcmp --seed 3 --routes --signposts --out $tmp/runs"
add run_o150          "cli run $tmp/o150 --runs $(n 1200) --nominal --out $tmp/ro"
add run_o150_story    "cli run $tmp/o150 --runs $(n 1200) --nominal --routes --signposts --out $tmp/ros"
add run_base          "cli run scenarios/baseline --runs $rcmp --seed 3 --out $tmp/run"
add compare_one       "cli compare scenarios/baseline --levers value_diplomacy --runs $rcmp --seed 3 --out $tmp/cmp"
add compare_base      "cli compare scenarios/baseline --levers all --runs $rcmp --seed 3 --out $tmp/cmp"

echo "neasim benchmark on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
echo "load average before: $(loadavg); $rounds interleaved rounds of ${#names[@]} measurements"
for ((r = 1; r <= rounds; r++)); do
    for j in "${!names[@]}"; do
        rm -rf "$tmp/run" "$tmp/cmp" "$tmp/mpi"
        eval "${cmds[$j]}" | tail -1 >> "$tmp/m-${names[$j]}"
    done
done
echo "load average after:  $(loadavg)"
echo

med() { sort -g "$1" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
spread() { sort -g "$1" | awk '{ a[NR] = $1 } END { printf "%s [%s-%s]", a[int((NR + 1) / 2)], a[1], a[NR] }'; }
M() { med "$tmp/m-$1"; }
S() { spread "$tmp/m-$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0 || a == "NA") printf "NA"; else printf "%.2f", a / b }'; }
# PR A B [UNIT]: A / B paired by round, each round's A over the same round's B: "median[UNIT]
# [min-max]" of the rounds' ratios (NA when a measurement is missing or 0)
PR() {
    paste "$tmp/m-$1" "$tmp/m-$2" |
        awk '{ if (NF != 2 || $2 + 0 == 0 || $1 == "NA") bad = 1; else printf "%.6f\n", $1 / $2 }
             END { exit bad }' > "$tmp/pr" || { printf NA; return; }
    sort -g "$tmp/pr" | awk -v u="${3:-}" '{ a[NR] = $1 }
        END { if (NR == 0) printf "NA"; else printf "%.2f%s [%.2f-%.2f]", a[int((NR + 1) / 2)], u, a[1], a[NR] }'
}

echo "== reference chain (tests/models/chain6), $rc replications, seconds"
echo "  neasim engine, 1 thread:   $(S chain_engine)"
echo "  neasim engine, 2 threads:  $(S chain_engine_2thr)  (speed-up $(ratio "$(M chain_engine)" "$(M chain_engine_2thr)")x)"
echo "  hand-written C loop:       $(S chain_direct_c)  (tests/bench_direct.c: direct method, one Philox stream)"
echo "  hand-written next-reaction: $(S chain_nrm_c)  (bench_direct.c nrm: the engine's method, a stream per"
echo "                             transition, written for this chain alone)"
if [ -n "$py" ]; then
    echo "  NumPy, vectorized:         $(S chain_numpy)  (tests/bench_numpy.py)"
    echo "  neasim / NumPy, paths per second per core: $(ratio "$(M chain_numpy)" "$(M chain_engine)")x (target >= 6;"
    echo "  paired by round $(PR chain_numpy chain_engine x))"
    echo "  hand-written next-reaction / NumPy: $(ratio "$(M chain_numpy)" "$(M chain_nrm_c)")x; direct loop / NumPy: $(ratio "$(M chain_numpy)" "$(M chain_direct_c)")x"
else
    echo "  NumPy peer skipped: no python3 with numpy (make deps installs python3-numpy)"
fi
echo "  neasim / hand-written C:   $(ratio "$(M chain_direct_c)" "$(M chain_engine)") of its speed (target >= 0.50;"
echo "  paired by round $(PR chain_direct_c chain_engine))"
echo "  engine share of its random-variate floor: $(med "$tmp/share-chain6-drawn-1")"
echo "  split of that distance: next-reaction loop / direct loop $(ratio "$(M chain_direct_c)" "$(M chain_nrm_c)")"
echo "  (the method: the most an engine pairing arms by process stream can reach), engine /"
echo "  next-reaction loop $(ratio "$(M chain_nrm_c)" "$(M chain_engine)") (what the engine's generality costs)"
# What changing the method alone could reach: the engine's time less the hand-written next-reaction
# loop's is what its generality costs; on the direct loop's method (one stream, whose price in
# pairing is below) it would still cost that, so the engine would take at least direct + that.
best=$(awk -v d="$(M chain_direct_c)" -v e="$(M chain_engine)" -v r="$(M chain_nrm_c)" 'BEGIN { print d + e - r }')
echo "  with the direct method and its generality as now, the engine would take $best s or more:"
echo "  at most $(ratio "$(M chain_direct_c)" "$best") of the C loop$([ -n "$py" ] && echo " and $(ratio "$(M chain_numpy)" "$best")x NumPy")"
# What the direct method would cost the comparisons (bench_direct.c pairing): not a time, so run once.
echo "  what pairing arms by process stream buys (the direct method's replications for the same"
echo "  interval of a lever's effect, x those of the next-reaction method; $rc replications each):"
"$build/bench_direct" tests/models/chain6 "$rc" pairing |
    awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
           printf "    %-18s %-11s %s\n", f["lever"], f["outcome"], f["direct_over_nrm"] }'
# The loops must compute the right thing for their times to mean anything: P(s4 at the last report)
# against the ring's closed form, within 4 binomial standard errors.
awk -v c="$(cat "$tmp/p-closed")" -v d="$(cat "$tmp/p-direct")" -v r="$(cat "$tmp/p-nrm")" -v n="$rc" 'BEGIN {
    se = sqrt(c * (1 - c) / n); ok = (d - c) ^ 2 <= 16 * se * se && (r - c) ^ 2 <= 16 * se * se
    printf "  the loops'"'"' answer, P(s4 at the last report): closed form %.4f, direct %.4f, next-reaction %.4f\n", c, d, r
    printf "  (standard error %.4f): %s\n", se, ok ? "both agree" : "WRONG: a loop disagrees with the closed form"
    exit !ok }' || exit 1
echo
echo "== baseline (scenarios/baseline), $rb replications, engine alone, seconds"
echo "  as neasim run runs it (uncertain numbers drawn per replication): $(S base_drawn)"
echo "  --nominal (held at their means):                                $(S base_nominal)"
echo "  drawn / nominal: $(ratio "$(M base_drawn)" "$(M base_nominal)")x"
echo "  share of the random-variate floor (a loop setting the same streams and drawing as many"
echo "  variates; each run's own): drawn $(spread "$tmp/share-baseline-drawn-1"), nominal $(spread "$tmp/share-baseline-nominal-1")"
echo "  (target >= 0.30 drawn; the floor counts the engine's variates, not the draws of uncertain numbers)"
# The uncertain numbers' own cost (drawn less nominal: GSL's samplers and the models they fill)
# against the floor's time: the most the drawn share could be if the engine cost nothing but its
# variates.
awk -v d="$(M base_drawn)" -v n="$(M base_nominal)" -v r="$(med "$tmp/floor-baseline-drawn-1")" -v k="$rb" 'BEGIN {
    f = k / r; u = d - n
    printf "  the uncertain numbers alone (drawn - nominal) cost %.1fx the floor: an engine costing nothing\n", u / f
    printf "  else would reach at most %.2f of it\n", f / (f + u) }'
echo
echo "== time per event, nanoseconds (synthetic models of 3-level factors, about 5 x 10^5 events each)"
for f in 5 20 80 320; do echo "  $f factors: $(S ns_f$f)"; done
echo "  320 / 5 factors: $(ratio "$(M ns_f320)" "$(M ns_f5)")x (target <= 1.5; paired by round $(PR ns_f320 ns_f5 x))"
echo "  20 factors with 0, 15, 150 outcomes: $(M ns_f20), $(M ns_o15), $(M ns_o150)"
echo "  150 / 0 outcomes: $(ratio "$(M ns_o150)" "$(M ns_f20)")x (target <= 1.5; paired by round $(PR ns_o150 ns_f20 x))"
# The same ratios in instructions, which the machine's load cannot move (the nanoseconds above move
# by a tenth between idle runs): callgrind counts what nsm_sim_replicate executes, a replication's
# work, the model's reading and the run's set-up left out (so that BENCH_SCALE does not move it). One run each, as the counts do not vary; about 2 x 10^5 events, which
# takes valgrind 2-5 s a model. What instructions do not see is the memory: at 320 factors the
# clocks outgrow the first-level cache, so the nanoseconds' ratio is the larger.
if command -v valgrind >/dev/null; then
    ipe() { # MODEL RUNS: instructions an event inside the replications
        local out ir
        out=$(valgrind --tool=callgrind --toggle-collect=nsm_sim_replicate --callgrind-out-file="$tmp/cg.out" \
            "$build/bench_engine" "$1" "$2" 1 nominal 2>/dev/null)
        ir=$(sed -n 's/^summary: //p' "$tmp/cg.out")
        [ "${ir:-0}" -gt 0 ] || { echo NA; return; } # the function inlined away, say: not a 0
        awk -v ir="$ir" -v e="$(echo " $out" | field events_per_rep)" -v r="$2" 'BEGIN { printf "%.0f", ir / (e * r) }'
    }
    for f in 5 20 80 320; do echo "$(ipe "$tmp/f$f" "$(n $((200000 / (21 * f))))")" > "$tmp/i-f$f"; done
    for o in 15 150; do echo "$(ipe "$tmp/o$o" "$(n 480)")" > "$tmp/i-o$o"; done
    I() { cat "$tmp/i-$1"; }
    echo "  in instructions an event (valgrind --tool=callgrind, inside nsm_sim_replicate; not timed):"
    echo "  5, 20, 80, 320 factors: $(I f5), $(I f20), $(I f80), $(I f320): 320 / 5 $(ratio "$(I f320)" "$(I f5)")x"
    echo "  20 factors with 0, 15, 150 outcomes: $(I f20), $(I o15), $(I o150): 150 / 0 $(ratio "$(I o150)" "$(I f20)")x"
else
    echo "  in instructions: skipped (no valgrind: make deps installs it)"
fi
echo
arms=$(awk -F, 'NR > 1 { a[$1] = 1 } END { print length(a) }' "$tmp/cmp/arms.csv")
echo "== compare --levers all on the baseline ($arms arms) against run, $rcmp replications, wall seconds"
echo "  run: $(S run_base); compare: $(S compare_base)"
echo "  compare / run: $(ratio "$(M compare_base)" "$(M run_base)")x (target <= 7; paired by round $(PR compare_base run_base x))"
# Where that ratio comes from: the baseline arm costs a run; every lever's arm shares the baseline
# arm's draws of the uncertain numbers and nothing else (it simulates every replication anew), so
# it costs a run less those draws, which a 2-arm compare measures.
arm=$(awk -v c="$(M compare_one)" -v r="$(M run_base)" 'BEGIN { printf "%.2f", (c - r) / r }')
echo "  one lever (2 arms): $(S compare_one); a lever's arm costs $arm of a run, so $((arms - 1)) levers"
echo "  cost about 1 + $((arms - 1)) x $arm = $(awk -v a="$arm" -v k="$((arms - 1))" 'BEGIN { printf "%.2f", 1 + k * a }')x a run (<= 7 needs an arm at <= $(awk -v k="$((arms - 1))" 'BEGIN { printf "%.2f", 6 / k }'))"
echo "  variance reduction by pairing, outcomes at the horizon (occurred_by), per lever:"
echo "    lever: median over affected outcomes [min, max] (outcomes with a non-zero difference)"
last=$(awk -F, 'NR > 1 { d = $5 } END { print d }' "$tmp/cmp/differences.csv")
awk -F, -v last="$last" 'NR > 1 && $2 == "outcome" && $4 == "occurred_by" && $5 == last && $13 != "NA" && $9 != 0 {
        print $1, $13 }' "$tmp/cmp/differences.csv" | sort -k1,1 -k2,2g |
    awk '{ v[$1, ++n[$1]] = $2 } END { for (a in n) { k = n[a];
        printf "    %s: %.1f [%.1f, %.1f] (%d)\n", a, v[a, int((k + 1) / 2)], v[a, 1], v[a, k], k } }' | sort
echo

echo "== run --routes --signposts against run, wall seconds (without the options the engine records"
echo "   nothing: one untaken branch per change; compare run_base and the time per event across commits)"
echo "  baseline, $rcmp replications: $(S run_base_story) against $(S run_base): $(ratio "$(M run_base_story)" "$(M run_base)")x"
echo "  20 factors, 150 outcomes: $(S run_o150_story) against $(S run_o150): $(ratio "$(M run_o150_story)" "$(M run_o150)")x"
echo "== one machine used fully: wall seconds, 1 thread against 2 (target: 2 threads never slower)"
echo "   many small points side by side, one whole point a thread; few large ones share replications"
for shape in "sweep_many:sweep, 300 points x $shape_many_runs replications" \
             "sweep_few:sweep, 4 points x $shape_few_runs replications" \
             "outer_many:run --outer 300 x $shape_many_runs replications" \
             "outer_few:run --outer 4 x $shape_few_runs replications"; do
    k=${shape%%:*}
    echo "  ${shape#*:}: 1 thread $(S "${k}_1"), 2 threads $(S "${k}_2"):" \
        "2 threads take $(ratio "$(M "${k}_2")" "$(M "${k}_1")")x the time of 1"
done
if [ -f "$tmp/m-mpi_n2" ]; then
    echo "== Open MPI: neasim run on the baseline, $rmpi replications, wall seconds (mpirun's start included)"
    echo "  one process, 1 thread: $(S mpi_one); 2 threads: $(S mpi_thr2)"
    echo "  mpirun -n 2 build/neasim-mpi, 1 thread a rank: $(S mpi_n2)"
    echo "  speed-up of mpirun -n 2 over one process of 1 thread: $(ratio "$(M mpi_one)" "$(M mpi_n2)")x;" \
        "over one of 2 threads: $(ratio "$(M mpi_thr2)" "$(M mpi_n2)")x"
    echo "  the same runs of 2 replications (the start, reading and writing): one process $(S mpi_one_start);" \
        "mpirun -n 2 $(S mpi_n2_start)"
    echo "  less that, on the replications alone: mpirun -n 2 over one process of 1 thread" \
        "$(ratio "$(awk -v a="$(M mpi_one)" -v b="$(M mpi_one_start)" 'BEGIN { print a - b }')" \
                 "$(awk -v a="$(M mpi_n2)" -v b="$(M mpi_n2_start)" 'BEGIN { print a - b }')")x"
else
    echo "== Open MPI: skipped (no build/neasim-mpi or mpirun: make deps mpi)"
fi
echo

# ---------------------------------------------------------------- memory (single runs: peak memory does not vary with load)
echo "== peak memory (neasim run; target: flat from 10^4 to 10^7 replications)"
# An event's count distribution keeps a row per count value up to the largest seen, as
# count_distribution.csv does: where counts have a long tail that largest count, and so the memory,
# grow with the replications. Each line says it, so that growth is told apart from a leak.
for spec in "tests/models/chain6 10000 1000000 10000000" "scenarios/baseline 10000 100000 1000000"; do
    set -- $spec
    model=$1; shift
    first=
    for r in "$@"; do
        /usr/bin/time -f '%M' -o "$tmp/rss" "$build/neasim" run "$model" --runs "$r" --quiet --out "$tmp/mem" >/dev/null
        largest=$(awk -F, 'NR == 1 { for (k = 1; k <= NF; k++) if ($k == "count") c = k; next }
                           c && $c + 0 > m { m = $c + 0; e = $1 }
                           END { if (e != "") printf "; largest count %d (%s)", m, e }' \
            "$tmp/mem/count_distribution.csv" 2>/dev/null)
        rm -rf "$tmp/mem"
        rss=$(cat "$tmp/rss")
        echo "  $model at $r replications: $rss KiB${first:+ ($(ratio "$rss" "$first")x the first)}$largest"
        first=${first:-$rss}
    done
done
echo

# ---------------------------------------------------------------- sweep
sweep_points=${BENCH_SWEEP_POINTS:-50}
sweep_runs=${BENCH_SWEEP_RUNS:-1000}
design() { # $1 points: three judgment hazards of the baseline over a 10 x 10 x 7 grid
    awk -v n="$1" 'BEGIN {
        print "transitions:rok_political_stability:normal>crisis,transitions:usfk_posture:current>reduced,modifiers:1";
        for (p = 0; p < n; p++) {
            i = p % 10; j = int(p / 10) % 10; k = p % 7
            printf "%.4f,%.4f,%.3f\n", 0.1 + 0.2 * i / 9, 0.02 + 0.06 * j / 9, 0.5 + k / 6
        } }'
}
design "$sweep_points" > "$tmp/design-big.csv"
design 10 > "$tmp/design-small.csv"
echo "== sweep on scenarios/baseline: $sweep_points points x $sweep_runs replications (all threads)"
/usr/bin/time -f "%e %M" -o "$tmp/time-big" "$build/neasim" sweep scenarios/baseline --design "$tmp/design-big.csv" \
    --runs "$sweep_runs" --quiet --out "$tmp/sweep-big" >/dev/null
read -r wall rss < "$tmp/time-big"
echo "  wall ${wall} s, peak memory ${rss} KiB, $(awk -v w="$wall" -v n="$sweep_points" -v r="$sweep_runs" 'BEGIN { printf "%.0f", n * r / w }') replications/s"
/usr/bin/time -f "%e %M" -o "$tmp/time-small" "$build/neasim" sweep scenarios/baseline --design "$tmp/design-small.csv" \
    --runs "$sweep_runs" --quiet --out "$tmp/sweep-small" >/dev/null
read -r wall2 rss2 < "$tmp/time-small"
echo "  10 points: wall ${wall2} s, peak memory ${rss2} KiB (the same peak memory is the target)"
# peak_at LOW HIGH OPTIONS: the peak memory of a sweep of the baseline (or of $peak_model) at LOW
# and at HIGH points,
# 2 replications a point, into peak_lo and peak_hi (KiB), and per_point, the bytes a point between
# them. OPTIONS N prints the sweep's options for N points (writing any file they name); the
# sweep's folder stays in $tmp/peak-N until the next call.
peak_at() {
    local p args
    for p in "$1" "$2"; do
        rm -rf "$tmp/peak-$p"
        read -ra args < <("$3" "$p")
        /usr/bin/time -f "%M" -o "$tmp/rss-$p" "$build/neasim" sweep "${peak_model:-scenarios/baseline}" "${args[@]}" \
            --runs 2 --quiet --out "$tmp/peak-$p" >/dev/null
    done
    peak_lo=$(cat "$tmp/rss-$1")
    peak_hi=$(cat "$tmp/rss-$2")
    per_point=$(awk -v a="$peak_lo" -v b="$peak_hi" -v n="$(($2 - $1))" \
        'BEGIN { printf "%.0f", (b - a) * 1024 / n }')
}
# a design file read a point at a time: the same peak at 1,000 and at 10,000 points is the target
# (about 420 bytes a point more before, the file held as a table of cells and the design whole)
design_options() {
    design "$1" > "$tmp/design-mem-$1.csv"
    echo "--design $tmp/design-mem-$1.csv --threads 1"
}
peak_at 1000 10000 design_options
echo "  --design, 2 replications a point: peak memory $peak_lo KiB at 1000 points," \
    "$peak_hi KiB at 10000 ($per_point bytes a point)"
# a grid made point by point from its index: the same peak at 1,000 and 10,000 points is the target
grid() { # $1 x $2 values of two judgment hazards of the baseline
    awk -v a="$1" -v b="$2" 'BEGIN { print "parameter,values"
        printf "transitions:rok_political_stability:normal>crisis,"
        for (i = 0; i < a; i++) printf "%s%.5f", i ? ";" : "", 0.1 + 0.2 * i / a; print ""
        printf "transitions:usfk_posture:current>reduced,"
        for (j = 0; j < b; j++) printf "%s%.5f", j ? ";" : "", 0.02 + 0.06 * j / b; print "" }'
}
grid_options() {
    grid 100 $(($1 / 100)) > "$tmp/grid-mem-$1.csv"
    echo "--grid $tmp/grid-mem-$1.csv --threads 1"
}
peak_at 1000 10000 grid_options
echo "  --grid, 2 replications a point: peak memory $peak_lo KiB at 1000 points," \
    "$peak_hi KiB at 10000 ($per_point bytes a point)"
# a Latin hypercube made point by point from the seed: the same peak at 500 and 5,000 points is
# the target (about 1,300 bytes a point more before, the whole design held: 8 bytes a number)
lhs_options() { echo "--lhs $1"; }
peak_at 500 5000 lhs_options
# the design's columns but 'point' and 'levers': the uncertain numbers it varies
n_unc=$(head -1 "$tmp/peak-500/design.csv" | tr ',' '\n' | grep -vcE '^(point|levers)$')
echo "  --lhs over all $n_unc uncertain numbers, 2 replications a point: peak memory" \
    "$peak_lo KiB at 500 points, $peak_hi KiB at 5000" \
    "($per_point bytes a point; each point made from the seed, none held)"
# what grows there is not the design but the count tables, which follow the largest count drawn
# (the launch days', as in a run: the memory section above; 10 times the points are 10 times the
# replications): the same on a model with no long-tailed count is flat
peak_model=tests/models/uncertain peak_at 500 5000 lhs_options
echo "  the same on tests/models/uncertain (no long-tailed count): $peak_lo KiB at 500 points," \
    "$peak_hi KiB at 5000 ($per_point bytes a point)"
# a sweep shard writes its part to its file a point at a time, and a merge reads a part a section
# at a time: the same peak at 1,000 and 6,000 points is the target (a part was held whole before:
# about 900 bytes a point for the shard, twice the part's bytes for the merge)
for p in 1000 6000; do
    awk -v n="$p" 'BEGIN { print "transitions:f:a>b,levers"
        for (k = 0; k < n; k++) printf "%.4f,%s\n", 0.1 + (k % 97) / 1000, k % 3 ? "none" : "push_f" }' \
        > "$tmp/shard-design-$p.csv"
    rm -rf "$tmp/shard-$p.part" "$tmp/merged-$p"
    /usr/bin/time -f "%M" -o "$tmp/rss-shard-$p" "$build/neasim" sweep tests/models/paths \
        --design "$tmp/shard-design-$p.csv" --runs 2 --shard 1/1 --threads 1 --quiet \
        --out "$tmp/shard-$p.part" >/dev/null
    /usr/bin/time -f "%M" -o "$tmp/rss-merge-$p" "$build/neasim" merge "$tmp/shard-$p.part" \
        --threads 1 --quiet --out "$tmp/merged-$p" >/dev/null
done
per_kib() { awk -v a="$(cat "$1")" -v b="$(cat "$2")" 'BEGIN { printf "%.0f", (b - a) * 1024 / 5000 }'; }
echo "  sweep --shard 1/1 of a design file over tests/models/paths, 2 replications a point: peak" \
    "memory $(cat "$tmp/rss-shard-1000") KiB at 1000 points, $(cat "$tmp/rss-shard-6000") KiB at" \
    "6000 ($(per_kib "$tmp/rss-shard-1000" "$tmp/rss-shard-6000") bytes a point); its part's merge:" \
    "$(cat "$tmp/rss-merge-1000") and $(cat "$tmp/rss-merge-6000") KiB" \
    "($(per_kib "$tmp/rss-merge-1000" "$tmp/rss-merge-6000") bytes a point; $(stat -c %s "$tmp/shard-6000.part")" \
    "bytes of part at 6000)"
