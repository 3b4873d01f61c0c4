#!/usr/bin/env bash
# tests/cli_shards.sh: `--shard I/N --out PART` and `neasim merge PART... --out DIR` (issue 13):
# shards 1/3, 2/3, 3/3 merged equal one run byte for byte (every file but manifest.csv) for run,
# compare (of levers, and of whole scenarios: compare A B ...), both on two levels (--outer) and
# sweeps, run --routes --signposts as 1..4 shards of the baseline and of test models (routes,
# signposts), and the merged manifest reports the
# events_simulated of the one run (carried in each part); every refusal of merge, naming the part
# (and the option in which parts differ: with and without --routes/--signposts, other --watch).
# Run as `bash tests/cli_shards.sh BUILD_DIR` from the project root. Uses python3 to forge parts
# (another format or version, sealed again) that only a different neasim could write.
source "$(dirname "$0")/cli-lib.sh"

# sharded NAME ONE_DIR -- ARGS...: ARGS as one run into ONE_DIR, then as shards 1/3..3/3 (one
# thread each, merged out of order) into ONE_DIR-merged; the two folders must match.
sharded() {
    local name=$1 one=$2
    shift 3
    expect "$name: one run" 0 "" -- "$@" --quiet --threads 2 --out "$one"
    for i in 1 2 3; do
        expect "$name: shard $i/3" 0 "" -- "$@" --quiet --threads 1 --shard "$i/3" --out "$one.p$i"
    done
    expect "$name: merge" 0 "" -- merge "$one.p3" "$one.p1" "$one.p2" --quiet --out "$one-merged"
    same_tables "$name: 3 shards merged = one run, byte for byte" "$one" "$one-merged"
    same_events "$name: the merge's events_simulated = one run's" "$one" "$one-merged"
}

# events_of DIR: the manifest's events_simulated.
events_of() { sed -n 's/^events_simulated,//p' "$1/manifest.csv" | tr -d '\r'; }
# same_events NAME DIR1 DIR2: the two manifests report the same events_simulated, not 0.
same_events() {
    local a b ok=1
    a=$(events_of "$2"); b=$(events_of "$3")
    [ -n "$a" ] && [ "$a" != 0 ] && [ "$a" = "$b" ] || { ok=0; echo "    events_simulated: '$a', '$b'"; }
    check_that "$1" [ "$ok" -eq 1 ]
}

# A part is written only where nothing is, or over an earlier part: a file neasim did not write
# (notes, a scenario's table) is never replaced, and it is refused before anything runs.
echo "my notes" > "$work/notes.txt"
for c in "run tests/models/two_state" "compare tests/models/paths --levers push_f" \
         "sweep tests/models/uncertain --lhs 4"; do
    expect "${c%% *} --shard over a file neasim did not write is refused" 73 \
        "notes.txt exists and is not a neasim partial result; refusing to replace it: choose another --out" -- \
        $c --runs 10 --shard 1/2 --out "$work/notes.txt"
done
check_that "the file is as it was" grep -qx "my notes" "$work/notes.txt"
mkdir "$work/a-folder"
expect "--shard into a folder is refused, with a file name to give" 73 \
    "a-folder is a folder; a shard writes one file: give --out a file name beside it \(e.g. .*a-folder\.part-1\), not inside it" -- \
    run tests/models/two_state --runs 10 --shard 1/2 --out "$work/a-folder"
expect "a part replaces an earlier part" 0 "" -- run tests/models/two_state --runs 10 --shard 1/2 --quiet --out "$work/again"
expect "a part replaces an earlier part (again)" 0 "" -- run tests/models/two_state --runs 20 --shard 1/2 --quiet --out "$work/again"

S=scenarios/baseline
sharded "run" "$work/run" -- run $S --runs 500 --seed 11
sharded "run --nominal --paths" "$work/runp" -- run $S --runs 300 --seed 5 --nominal --paths 4
sharded "run --outer" "$work/outer" -- run $S --outer 5 --runs 60 --seed 3 --horizons 1,4
sharded "compare" "$work/cmp" -- compare $S --levers all --runs 300 --seed 2
sharded "compare --outer" "$work/cmpo" -- compare $S --levers all --outer 4 --runs 40 --seed 9
# arms of two levers: the parts carry the interactions' pairs (a, b), (a, a+b), (b, a+b)
sharded "compare --factorial" "$work/cmpf" -- compare tests/models/paths --levers push_f,calm_h,push_f_later --factorial --runs 3000 --seed 5
check_that "compare --factorial: interactions.csv has distinguishable interactions to carry" \
    grep -q ',yes,' "$work/cmpf-merged/interactions.csv"
# whole scenarios (compare A B ...): a part's head records every scenario, and the merge reads
# them all again in order
sharded "compare A B" "$work/cmps" -- compare $S scenarios/us-retrenchment --runs 300 --seed 2
sharded "compare A B C --outer" "$work/cmpso" -- compare $S scenarios/us-retrenchment \
    scenarios/formal-alignment --outer 4 --runs 40 --seed 9
# merge --xlsx: the workbook of one run with --xlsx (a shard writes none), sheet for sheet but
# the About sheet (the manifest: the command) and the file's creation time
expect "compare A B: merge --xlsx" 0 "" -- merge "$work/cmps.p2" "$work/cmps.p1" "$work/cmps.p3" --xlsx --quiet --out "$work/cmps-x"
expect "compare A B: one run --xlsx" 0 "" -- compare $S scenarios/us-retrenchment --runs 300 --seed 2 --xlsx --quiet --out "$work/cmps-x1"
if command -v python3 > /dev/null; then
    check_that "merge --xlsx: the workbook of one run --xlsx but its About sheet and creation time" python3 -c '
import re, sys, zipfile
a, b = (zipfile.ZipFile(f + "/results.xlsx") for f in sys.argv[1:])
first = re.search(r"<sheet name=\"([^\"]*)\"", a.read("xl/workbook.xml").decode()).group(1)
diff = {n for n in a.namelist() if n not in b.namelist() or a.read(n) != b.read(n)}
sys.exit(not (first == "About" and len(a.namelist()) > 10 and sorted(a.namelist()) == sorted(b.namelist())
              and diff <= {"docProps/core.xml", "xl/worksheets/sheet1.xml"}))' "$work/cmps-x1" "$work/cmps-x"
else
    skip_part "merge --xlsx against one run's workbook" "python3 is missing (make deps)"
fi
check_that "compare A B C: the merged arms are the three scenarios, in order" \
    [ "$(cut -d, -f1 "$work/cmpso-merged/arms.csv" | tr -d '\r' | tr '\n' ' ')" = "arm baseline us_retrenchment formal_alignment " ]
printf 'parameter,values\ntransitions:f:a>b,0.2;0.5;1\nlevers,none;calm_h\n' > "$work/grid.csv"
sharded "sweep --grid" "$work/swg" -- sweep tests/models/paths --grid "$work/grid.csv" --runs 200 --seed 4
sharded "sweep --oat" "$work/swo" -- sweep $S --oat --params 'transitions:*' --runs 30 --seed 4
check_that "merge: the manifest says how many shards" grep -q '^merged_shards,3' "$work/cmp-merged/manifest.csv"
check_all "sweep shards leave no work folder" \
    '[ ! -e "$work/swg.p1.partial" ] && [ ! -e "$work/swo.p3.partial" ]'
# more shards than replications: empty shards are parts too
expect "run: 4 shards of 3 replications" 0 "" -- run tests/models/two_state --runs 3 --quiet --out "$work/tiny"
for i in 1 2 3 4; do
    "$NEASIM" run tests/models/two_state --runs 3 --quiet --shard $i/4 --out "$work/tiny.p$i"
done
expect "merge: 4 shards, one empty; the summary says it merged, not a time" 0 \
    "^two_state: 3 runs merged from 4 parts -> " -- merge "$work"/tiny.p? --out "$work/tiny-m"
same_tables "run: an empty shard changes nothing" "$work/tiny" "$work/tiny-m"

# --- routes and signposts: the parts carry them; 1..4 shards of 1 or 2 threads, merged in a
# shuffled order, equal one run of 2 threads byte for byte (routes.csv, signposts.csv and the rest)
# sharded_k NAME ONE_DIR -- ARGS...: as sharded, for K = 1, 2, 3, 4 shards
sharded_k() {
    local name=$1 one=$2 k i order
    shift 3
    expect "$name: one run" 0 "" -- "$@" --quiet --threads 2 --out "$one"
    for k in 1 2 3 4; do
        for i in $(seq 1 $k); do
            expect "$name: shard $i/$k" 0 "" -- "$@" --quiet --threads $((i % 2 + 1)) --shard "$i/$k" --out "$one.k$k.p$i"
        done
        order=$(for i in $(seq 1 $k); do echo "$one.k$k.p$i"; done | shuf --random-source=<(yes))
        # shellcheck disable=SC2086
        expect "$name: merge of $k shards" 0 "" -- merge $order --quiet --out "$one-m$k"
        same_tables "$name: $k shards merged = one run, byte for byte" "$one" "$one-m$k"
        same_events "$name: $k shards: the merge's events_simulated = one run's" "$one" "$one-m$k"
    done
}
sharded_k "run --routes --signposts" "$work/story" -- run $S --runs 500 --seed 7 --routes --signposts
check_all "run --routes --signposts: routes.csv and signposts.csv are written" \
    '[ -s "$work/story-m3/routes.csv" ] && [ -s "$work/story-m3/signposts.csv" ]'
check_that "run --routes --signposts: the baseline has several routes of an outcome" \
    [ "$(grep -c '^usfk_reduced,[0-9]' "$work/story/routes.csv")" -gt 2 ]
sharded_k "run --routes (tests/models/routes)" "$work/rts" -- run tests/models/routes --runs 400 --seed 3 --routes
check_that "routes model: both routes of absorbed (via b, via c)" \
    [ "$(grep -c '^absorbed,[0-9]' "$work/rts/routes.csv")" -eq 2 ]
sharded "run --signposts --watch (tests/models/signposts)" "$work/sgn" -- run tests/models/signposts --runs 400 --seed 3 --signposts --watch 0.5,4
sharded "run --routes --signposts --paths" "$work/stx" -- run $S --runs 200 --seed 2 --routes --signposts --paths 3
# the same replications: --watch as the default's text or left out are one thing
"$NEASIM" run tests/models/signposts --runs 100 --quiet --signposts --shard 1/2 --out "$work/wd1"
"$NEASIM" run tests/models/signposts --runs 100 --quiet --signposts --watch 1,2,3 --shard 2/2 --out "$work/wd2"
expect "merge: --watch 1,2,3 and no --watch are the same options" 0 "" -- merge "$work/wd1" "$work/wd2" --quiet --out "$work/wd-m"
# refusals: parts with and without routes or signposts, or with other watch dates, name the option
sp() { "$NEASIM" run tests/models/signposts --runs 100 --seed 1 --quiet "$@"; }
sp --routes --signposts --shard 1/2 --out "$work/st1"
sp --routes --signposts --shard 2/2 --out "$work/st2"
sp --shard 2/2 --out "$work/st2none"
sp --routes --shard 2/2 --out "$work/st2routes"
sp --routes --signposts --watch 1,2 --shard 2/2 --out "$work/st2watch"
# refused NAME PATTERN PARTS...: merge refuses the parts (exit 65, PATTERN said) and writes nothing
refused() { # NAME PATTERN PARTS...
    local name=$1 pattern=$2
    shift 2
    rm -rf "$work/refused"
    expect "merge refuses: $name" 65 "$pattern" -- merge "$@" --quiet --out "$work/refused"
    check_that "merge refuses: $name: nothing written" [ ! -e "$work/refused" ]
}
refused "a part without routes and signposts" "st2none: other options than .*st1 \(no --routes here, --routes there\)" "$work/st1" "$work/st2none"
refused "a part with them, after one without" "st1: other options than .*st2none \(--routes here, no --routes there\)" "$work/st2none" "$work/st1"
refused "a part without signposts" "st2routes: other options than .*st1 \(no --signposts here, --signposts there\)" "$work/st1" "$work/st2routes"
refused "other watch dates" "st2watch: other options than .*st1 \(--watch 1,2 here, --watch 1,2,3 there\)" "$work/st1" "$work/st2watch"
expect "merge: the good pair merges" 0 "" -- merge "$work/st2" "$work/st1" --quiet --out "$work/st-ok"
expect "shard: --watch beyond the horizon is refused before anything runs" 64 "watch date 9 years is not within the horizon" -- run tests/models/signposts --signposts --watch 9 --shard 1/2 --out "$work/st-bad"
check_that "shard: ... and writes no part" [ ! -e "$work/st-bad" ]
expect "shard: --routes with --outer is refused" 64 "do not combine with --outer" -- run tests/models/uncertain --routes --outer 2 --runs 5 --shard 1/2 --out "$work/st-bad"

# --- the command line
T=tests/models/two_state
expect "shard: needs --out" 64 "name its file with --out PART" -- run $T --shard 1/2
expect "shard: 0/3 refused" 64 "--shard expects I/N" -- run $T --shard 0/3 --out "$work/x"
expect "shard: 4/3 refused" 64 "--shard expects I/N" -- run $T --shard 4/3 --out "$work/x"
expect "shard: text refused" 64 "--shard expects I/N" -- run $T --shard a/b --out "$work/x"
# a part records the scenario folders one a line (and --design, --grid a line each), so that a
# path holding a line break would come back from a merge as two: refused before anything runs
nl="$work/line
break"
mkdir -p "$nl" && cp -r $T "$nl/two" && cp "$work/grid.csv" "$nl/grid.csv"
expect "shard: a scenario folder with a line break in its path is refused" 64 \
    "holds a line break: move or link it to a path without one" -- run "$nl/two" --shard 1/2 --out "$work/nl1"
expect "shard: compare A B, the second so named, is refused" 64 "the path of '$nl/two'" -- \
    compare $T "$nl/two" --shard 1/2 --out "$work/nl2"
expect "shard: a --grid file so named is refused" 64 "the path of '$nl/grid.csv'" -- \
    sweep tests/models/paths --grid "$nl/grid.csv" --runs 20 --shard 1/2 --out "$work/nl3"
check_all "shard: ... and none of them wrote a part" \
    '[ ! -e "$work/nl1" ] && [ ! -e "$work/nl2" ] && [ ! -e "$work/nl3" ]'
expect "the same folder runs without --shard" 0 "" -- run "$nl/two" --runs 20 --quiet --out "$work/nl-run"
expect "merge: needs --out" 64 "give the results folder with --out DIR" -- merge "$work/run.p1"
expect "merge: needs parts" 64 "which parts" -- merge --out "$work/x"
expect "merge: unknown option" 64 "unknown option '--runs'" -- merge --runs 3 "$work/run.p1" --out "$work/x"
check_that "shard: nothing left beside a part" [ -z "$(ls "$work" | grep -E '\.tmp-')" ]

# --- refusals: each names the part and says what is wrong; nothing is written
r() { "$NEASIM" run $T --runs 100 --quiet "$@"; }
for i in 1 2 3; do r --seed 1 --shard $i/3 --out "$work/a$i"; done
r --seed 2 --shard 2/3 --out "$work/seed2"
r --seed 1 --runs 101 --shard 2/3 --out "$work/runs101"
r --seed 1 --shard 2/4 --out "$work/n4"
"$NEASIM" compare tests/models/known_levers --levers all --runs 100 --quiet --shard 2/3 --out "$work/cmp2"
cp -r $T "$work/two_b"
sed -i 's/,2,/,2.1,/' "$work/two_b/transitions.csv"
"$NEASIM" run "$work/two_b" --runs 100 --quiet --seed 1 --shard 2/3 --out "$work/other"
refused "another seed" "seed2: another seed than .*a1 \(2 here, 1 there\)" "$work/a1" "$work/seed2" "$work/a3"
refused "other options" "runs101: other options than .*a1" "$work/a1" "$work/runs101" "$work/a3"
refused "another N" "n4: another number of shards than .*a1" "$work/a1" "$work/n4" "$work/a3"
refused "another command" "cmp2: another command than .*a1 \(compare here, run there\)" "$work/a1" "$work/cmp2" "$work/a3"
refused "another scenario" "other: another scenario than .*a1" "$work/a1" "$work/other" "$work/a3"
cp "$work/a2" "$work/a2b"
refused "a shard twice" "a2b is shard 2/3, like .*a2" "$work/a1" "$work/a2" "$work/a3" "$work/a2b"
refused "a missing shard" "shard 3/3 is missing \(2 of 3 parts given\)" "$work/a1" "$work/a2"
refused "a missing first shard" "shard 1/3 is missing" "$work/a3" "$work/a2"
head -c 1000 "$work/a2" > "$work/trunc"
refused "a truncated part" "trunc: truncated: 1000 bytes where its header says" "$work/a1" "$work/trunc" "$work/a3"
head -c 20 "$work/a2" > "$work/trunc20"
refused "a part cut in its header" "trunc20: truncated" "$work/a1" "$work/trunc20" "$work/a3"
cp "$work/a2" "$work/flip"
printf '\x55' | dd of="$work/flip" bs=1 seek=300 conv=notrunc status=none
refused "a damaged part" "flip: damaged: its SHA-256 does not match" "$work/a1" "$work/flip" "$work/a3"
refused "not a part" "outcomes.csv: not a neasim partial result" "$work/a1" "$work/run/outcomes.csv" "$work/a3"
expect "merge refuses: a missing file" 66 "cannot read .*nothere" -- merge "$work/a1" "$work/nothere" "$work/a3" --out "$work/refused"
# a results folder among the parts (it once read as "Input/output error"), a part given twice
refused "a results folder" "run is a folder, not a part: a part is the file that --shard I/N --out PART writes" \
    "$work/a1" "$work/run" "$work/a3"
refused "a part given twice" "a2 is given twice: give each shard once" "$work/a1" "$work/a2" "$work/a2"
# parts that only another neasim could write: the format number, or the version, changed and
# sealed again (a forged seal is valid: what is refused is the content)
forge() { # IN OUT PYTHON-EDIT-OF-b
    python3 - "$1" "$2" "$3" <<'EOF'
import hashlib, sys
b = bytearray(open(sys.argv[1], 'rb').read())
exec(sys.argv[3])
b[-32:] = hashlib.sha256(bytes(b[:-32])).digest()
open(sys.argv[2], 'wb').write(bytes(b))
EOF
}
if command -v python3 >/dev/null; then
    forge "$work/a2" "$work/fmt1" 'b[8] = 1'
    refused "another format" "fmt1: partial-result format 1; this neasim reads format 5 only" "$work/a1" "$work/fmt1" "$work/a3"
    # the head's second string is the version: its first character becomes '9'
    forge "$work/a2" "$work/ver" 'import struct; p = b.find(b"HEAD") + 16; p += 8 + struct.unpack("<Q", b[p:p+8])[0]; b[p+8] = ord("9")'
    refused "another version" "ver: another neasim version than .*a1 \(9" "$work/a1" "$work/ver" "$work/a3"
    forge "$work/a2" "$work/slice" 'i = len(b) - 32; import struct; j = b.find(b"HEAD"); n = struct.unpack("<Q", b[j+8:j+16])[0]; k = j + 16 + n - 16; b[k:k+8] = struct.pack("<Q", 1)'
    refused "a slice that is not its shard's" "slice: shard 2/3 holds items 1\.\." "$work/a1" "$work/slice" "$work/a3"
    # sealed right, but counts no run can produce (found by tests/fuzz_part.c: the summaries
    # overflowed on them): the accumulator's replications (the u64 after its four u32) set to 1
    forge "$work/a2" "$work/few" 'import struct; j = b.find(b"ACCU") + 16 + 16; b[j:j+8] = struct.pack("<Q", 1)'
    refused "counts above the replications" "few: damaged: its accumulator holds counts no run can produce \(a level held in fewer than 0 or more than all of its runs\)" "$work/a1" "$work/few" "$work/a3"
    # per-draw values no draw gives (REAL sections: --outer's probabilities, compare --outer's
    # standard errors), under a right seal: a probability of 1.5, a standard error of -1
    forge "$work/outer.p2" "$work/p15" 'import struct; j = b.find(b"REAL") + 24; b[j:j+8] = struct.pack("<d", 1.5)'
    refused "a per-draw probability above 1" "p15: damaged: a per-draw probability of 1.5, which no draw gives" \
        "$work/outer.p1" "$work/p15" "$work/outer.p3"
    forge "$work/cmpo.p2" "$work/se-1" 'import struct; i = b.find(b"REAL"); j = b.find(b"REAL", i + 4) + 24; b[j:j+8] = struct.pack("<d", -1)'
    refused "a per-draw standard error below 0" "se-1: damaged: a per-draw standard error of -1, which no draw gives" \
        "$work/cmpo.p1" "$work/se-1" "$work/cmpo.p3"
    # a comparison's paired counts that do not fit its arms' (each section plausible alone):
    # outcome 0 held in both arms by 1,000 more runs (the first i64 after PAIR's four u32)
    for i in 1 3; do
        "$NEASIM" compare tests/models/known_levers --levers all --runs 100 --quiet --shard $i/3 --out "$work/cmp$i"
    done
    forge "$work/cmp2" "$work/both" 'import struct; j = b.find(b"PAIR") + 32; v = struct.unpack("<q", b[j:j+8])[0]; b[j:j+8] = struct.pack("<q", v + 1000)'
    refused "paired counts above an arm's" "both: damaged: its paired accumulator holds counts no run can produce \(an outcome held in both arms in more runs than in one" \
        "$work/cmp1" "$work/both" "$work/cmp3"
    expect "merge: the comparison's own parts merge" 0 "" -- merge "$work/cmp1" "$work/cmp2" "$work/cmp3" --quiet --out "$work/cmp-ok"
    # the seeds of tests/fuzz_part.c (a part of every kind), made by this neasim: each is read
    # whole by the target built for replay, none stops at a check
    seeds=$(dirname "$NEASIM")/tests/test_fuzz_part
    if [ -x "$seeds" ]; then
        bash tests/fuzz_part_seeds.sh "$NEASIM" "$work/fuzz-seeds"
        n=$(find "$work/fuzz-seeds" -type f | wc -l)
        whole=$("$seeds" "$work"/fuzz-seeds/* | grep -c "^  read whole$")
        check_all "fuzz_part's $n seeds (every kind of part) are each read whole ($whole)" \
            '[ "$n" -ge 24 ] && [ "$whole" = "$n" ]'
        # a reproducer stopped at the format check tests nothing of what it was kept for: when
        # the format number changes, its byte changes with it (its sections read as before)
        old=$("$seeds" tests/fixtures/fuzz-regressions/part-* | grep -c "partial-result format")
        check_that "fuzz_part's reproducers are of this format (refused for what they hold: $old not)" \
            test "$old" = 0
    else
        skip_part "fuzz_part's seeds read whole" "$seeds is not built (make test builds it)"
    fi
else
    skip_part "the forged parts" "python3 is missing (make deps)"
fi
# the scenario changed between the shards and the merge
cp -r $T "$work/two_c"
for i in 1 2; do "$NEASIM" run "$work/two_c" --runs 50 --quiet --shard $i/2 --out "$work/c$i"; done
sed -i 's/,2,/,2.2,/' "$work/two_c/transitions.csv"
refused "a scenario changed since" "c1: written from scenario sha256:[0-9a-f]+, but .*two_c is now sha256:" "$work/c1" "$work/c2"
# the same for compare A B: the scenario that changed is named, not the first; parts of another
# comparison (A C) are another scenario
mkdir "$work/scn"
cp -r scenarios/baseline "$work/scn/baseline"
cp -r scenarios/us-retrenchment "$work/scn/variant"
for i in 1 2; do
    "$NEASIM" compare "$work/scn/baseline" "$work/scn/variant" --runs 50 --quiet --shard $i/2 --out "$work/s$i"
    "$NEASIM" compare "$work/scn/baseline" scenarios/formal-alignment --runs 50 --quiet --shard $i/2 --out "$work/f$i"
done
refused "compare A B and A C: another scenario" "f2: another scenario than .*s1 \([0-9a-f]+;[0-9a-f]+ here, [0-9a-f]+;[0-9a-f]+ there\)" "$work/s1" "$work/f2"
sed -i 's/^label,U\.S\. retrenchment,/label,U.S. retrenchment (edited),/' "$work/scn/variant/scenario.csv"
check_that "the variant's label was edited" grep -q "^label,U.S. retrenchment (edited)," "$work/scn/variant/scenario.csv"
refused "compare A B: the second scenario changed since" "s1: written from scenario sha256:[0-9a-f]+, but .*scn/variant is now sha256:" "$work/s1" "$work/s2"
check_that "merge: the first of the good parts still merge" "$NEASIM" merge "$work/a1" "$work/a2" "$work/a3" --quiet --out "$work/a-ok"

# --- memory does not grow with a sweep shard's points: its part is written to its file a point
# at a time, and a merge reads a part's seal a block at a time and then a section at a time. Both
# held the whole part before: about 900 bytes a point for the shard, twice the part's bytes for
# the merge (4.5 and 5.5 MiB more at 6,000 points than at 1,000). 2 replications a point, one
# thread. Not under a sanitizer build (make check-asan): its quarantine keeps freed memory, so the
# peak grows with what was ever allocated (195,012 and 628,420 KiB for the two shards).
if [ -x /usr/bin/time ] && ! ldd "$NEASIM" 2>/dev/null | grep -q libasan; then
    awk 'BEGIN { print "transitions:f:a>b,levers"
        for (p = 0; p < 6000; p++) printf "%.4f,%s\n", 0.1 + (p % 97) / 1000, p % 3 ? "none" : "push_f" }' \
        > "$work/d-6000.csv"
    head -1001 "$work/d-6000.csv" > "$work/d-1000.csv"
    peak() { # NAME ARGS...: the peak resident KiB of neasim ARGS
        local name=$1
        shift
        /usr/bin/time -f %M -o "$work/peak-$name" "$NEASIM" "$@" --threads 1 --quiet \
            >/dev/null 2>&1 && cat "$work/peak-$name"
    }
    for n in 1000 6000; do
        shard[$n]=$(peak "s$n" sweep tests/models/paths --design "$work/d-$n.csv" --runs 2 \
            --shard 1/1 --out "$work/mem-$n.part")
        merge[$n]=$(peak "m$n" merge "$work/mem-$n.part" --out "$work/mem-$n")
    done
    check_that "shard: a sweep shard of 6,000 points peaks within 2 MiB of one of 1,000 (${shard[1000]:-?} and ${shard[6000]:-?} KiB)" \
        [ $((${shard[6000]:-999999} - ${shard[1000]:-0})) -lt 2048 ]
    check_that "merge: a sweep part of 6,000 points merges within 2 MiB of one of 1,000 (${merge[1000]:-?} and ${merge[6000]:-?} KiB)" \
        [ $((${merge[6000]:-999999} - ${merge[1000]:-0})) -lt 2048 ]
    check_that "merge: the 6,000 points merged are the sweep's" [ "$(wc -l < "$work/mem-6000/points.csv")" = 12001 ]
    # read from its file section by section, a part is still refused whole when it is cut short
    head -c 2000000 "$work/mem-6000.part" > "$work/mem-cut.part"
    rm -rf "$work/refused"
    expect "merge refuses: a sweep part cut short" 65 "mem-cut.part: truncated: 2000000 bytes where its header says" \
        -- merge "$work/mem-cut.part" --quiet --out "$work/refused"
    check_all "merge refuses: a sweep part cut short: nothing written" \
        '[ ! -e "$work/refused" ] && [ ! -e "$work/refused.partial" ]'
    rm -rf "$work"/mem-*
else
    skip_part "shard: peak memory against a sweep shard's points" \
        "/usr/bin/time is not installed, or this is a sanitizer build, whose peak is not neasim's (make test measures it)"
fi

# --- a shard killed outright leaves its part's temporary file (PART.tmp-XXXXXX); the next shard
# to write PART removes it, telling so, unless a live writer holds its lock or it is not a part's.
# A sweep shard of 6,000 points takes a second or two to pack its part: killed with SIGKILL as
# soon as that file has bytes.
awk 'BEGIN { print "transitions:f:a>b,levers"
    for (p = 0; p < 6000; p++) printf "%.4f,%s\n", 0.1 + (p % 97) / 1000, p % 3 ? "none" : "push_f" }' \
    > "$work/d-kill.csv"
kill_args=(sweep tests/models/paths --design "$work/d-kill.csv" --runs 2 --shard 1/1 --threads 1
           --quiet --out "$work/k.part")
"$NEASIM" "${kill_args[@]}" 2>/dev/null &
pid=$! tmp=""
for _ in $(seq 1 5000); do
    tmp=$(compgen -G "$work/k.part.tmp-*") && [ -s "$tmp" ] && { kill -9 "$pid"; break; }
    tmp=""
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.002
done
{ wait "$pid"; } 2>/dev/null # the shell's "Killed" too
check_all "shard killed while writing its part: its temporary file is left (${tmp:-none seen})" \
    '[ -n "$tmp" ] && [ -s "$tmp" ] && [ ! -e "$work/k.part" ]'
expect "shard after a killed one: the temporary file is removed, and said so" 0 \
    "k\.part\.tmp-[A-Za-z0-9]{6}: warning: removed: the temporary file of a shard's part, left by a shard that was killed before it finished \([0-9]+ bytes\)" \
    -- "${kill_args[@]}" --resume
check_that "shard after a killed one: no temporary file left" \
    [ -z "$(compgen -G "$work/k.part.tmp-*")" ]
expect "shard after a killed one: its part merges" 0 "" -- merge "$work/k.part" --quiet --out "$work/k-merged"
check_that "shard after a killed one: every point merged" [ "$(wc -l < "$work/k-merged/points.csv")" = 12001 ]
# a run shard (its part written whole at the end) tidies the same way: a stale part's file
# (unlocked, the magic number), an empty one (killed before its first write) are removed; one whose
# writer holds its lock (flock, as neasim does), or one that is not a part, is left alone
printf 'NSMPART\0cut' > "$work/r.part.tmp-stale1"
: > "$work/r.part.tmp-empty1"
printf 'NSMPART\0live' > "$work/r.part.tmp-live01"
echo "my notes" > "$work/r.part.tmp-notes1"
if command -v flock >/dev/null; then
    flock "$work/r.part.tmp-live01" sleep 30 &
    holder=$!
    for _ in $(seq 1 100); do # until the lock is taken
        flock -n "$work/r.part.tmp-live01" true 2>/dev/null || break
        sleep 0.02
    done
    out=$("$NEASIM" run tests/models/two_state --runs 20 --shard 1/2 --quiet --out "$work/r.part" 2>&1)
    check_that "run shard: exits 0 and writes its part" [ -s "$work/r.part" ]
    check_all "run shard: a stale part's temporary file removed, and said so" \
        '[ ! -e "$work/r.part.tmp-stale1" ] &&
         grep -q "r.part.tmp-stale1: warning: removed: .* (11 bytes)" <<<"$out"'
    check_all "run shard: an empty one removed" \
        '[ ! -e "$work/r.part.tmp-empty1" ] &&
         grep -q "r.part.tmp-empty1: warning: removed: .* (0 bytes)" <<<"$out"'
    check_all "run shard: one whose writer holds its lock left alone, silently" \
        '[ -e "$work/r.part.tmp-live01" ] && ! grep -q "tmp-live01" <<<"$out"'
    check_all "run shard: one that is not a part left alone, and said so" \
        'grep -qx "my notes" "$work/r.part.tmp-notes1" &&
         grep -q "r.part.tmp-notes1: warning: named like the temporary file of a shard.s part, but it is not one" <<<"$out"'
    kill "$holder" 2>/dev/null
    wait "$holder" 2>/dev/null
else
    skip_part "shard: a temporary file whose writer holds its lock is left alone" "flock (util-linux) is not installed"
fi

cli_done shards
