# tests/cli_onebox.sh: one machine used fully (issue 13, section 4). Sweeps and --outer run many
# small points (or draws) side by side, one whole point a thread, and few large ones with the
# threads sharing each point's replications (nsm_runs_side_by_side); either way the outputs must be
# the same bytes for 1, 2 and 3 threads, and a stopped side-by-side sweep resumes to the same
# bytes. Speed is measured by make bench (scripts/bench.sh), never asserted here.
source "$(dirname "$0")/cli-lib.sh"

# same_bytes DIR_A DIR_B: every file but the manifest the same bytes
same_bytes() {
    diff -r -x manifest.csv -x '*.txt' "$1" "$2" >/dev/null
}

# threads NAME ARGS...: neasim ARGS --threads 1, 2, 3 into $work/NAME-T; the same bytes
threads() {
    local name=$1; shift
    for t in 1 2 3; do
        "$NEASIM" "$@" --quiet --threads "$t" --out "$work/$name-$t" >"$work/$name-$t.txt" 2>&1 ||
            echo "    $name with $t threads failed: $(head -3 "$work/$name-$t.txt")"
    done
    check_that "$name: 1 and 2 threads give the same bytes" same_bytes "$work/$name-1" "$work/$name-2"
    check_that "$name: 1 and 3 threads give the same bytes" same_bytes "$work/$name-1" "$work/$name-3"
}

# a design of N points over three judgment hazards of the baseline
design() {
    awk -v n="$1" 'BEGIN {
        print "transitions:rok_political_stability:normal>crisis,transitions:usfk_posture:current>reduced,modifiers:1"
        for (p = 0; p < n; p++)
            printf "%.4f,%.4f,%.3f\n", 0.1 + 0.2 * (p % 10) / 9, 0.02 + 0.06 * int(p / 10) % 10 / 9, 0.5 + (p % 7) / 6
    }' > "$2"
}
design 40 "$work/many.csv"
design 3 "$work/few.csv"

# many small points (side by side for 2 and 3 threads) and few large ones (replications shared)
threads sweep-many sweep scenarios/baseline --design "$work/many.csv" --runs 6 --seed 11
threads sweep-few sweep scenarios/baseline --design "$work/few.csv" --runs 300 --seed 11
threads sweep-oat sweep tests/models/judgment --oat --runs 30 --seed 11
threads outer-many run scenarios/baseline --outer 30 --runs 5 --seed 11
threads outer-few run scenarios/baseline --outer 2 --runs 400 --seed 11
threads compare-outer-many compare tests/models/judgment --levers all --outer 24 --runs 20 --seed 11
threads compare-outer-few compare tests/models/judgment --levers all --outer 2 --runs 400 --seed 11

# a side-by-side sweep stopped after some points keeps them and resumes to the same bytes
many() { "$NEASIM" sweep scenarios/baseline --design "$work/many.csv" --runs 6 --seed 11 --quiet "$@"; }
NEASIM_TEST_STOP_AFTER_POINTS=7 many --threads 2 --out "$work/stopped" >/dev/null 2>&1
check_that "stopped side-by-side sweep keeps 7 points" \
    [ "$(ls "$work/stopped.partial/points/" | grep -c 'counts$')" -eq 7 ]
many --threads 3 --out "$work/stopped" --resume >/dev/null 2>&1
check_that "resumed side-by-side sweep equals an uninterrupted one" \
    same_bytes "$work/stopped" "$work/sweep-many-1"

cli_done onebox
