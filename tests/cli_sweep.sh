#!/usr/bin/env bash
# tests/cli_sweep.sh: sweep designs of any width, grids refused with a position (a parameter named
# twice, too many points), durable point files that --resume verifies, points removed once
# assembled (issue 9). Run as `bash tests/cli_sweep.sh BUILD_DIR` from the project root.
source "$(dirname "$0")/cli-lib.sh"

# --- no fixed column limit: 40 of the baseline's uncertain numbers (an abort at 17 before)
"$NEASIM" check scenarios/baseline | sed -n '/^Uncertain numbers/,/^$/p' | sed '1d;/^$/d' |
    awk '{ print $1, $NF }' | head -40 > "$work/uncertain.txt"
check_that "sweep: the baseline lists 40 uncertain numbers" [ "$(wc -l < "$work/uncertain.txt")" -eq 40 ]
awk '{ printf "%s%s", (NR > 1 ? "," : ""), $1 } END { print "" }' "$work/uncertain.txt" > "$work/wide.csv"
for p in 1 2; do # two points: every number at its mean, then at 0.99 of it
    awk -v f="$p" '{ printf "%s%.6g", (NR > 1 ? "," : ""), f == 1 ? $2 : 0.99 * $2 } END { print "" }' \
        "$work/uncertain.txt" >> "$work/wide.csv"
done
expect "sweep: a design of 40 columns" 0 "" -- sweep scenarios/baseline --design "$work/wide.csv" --runs 20 --quiet --out "$work/sw-wide"
check_that "sweep: sweep.csv has the 40 parameter columns" \
    [ "$(head -1 "$work/sw-wide/sweep.csv" | tr ',' '\n' | grep -c :)" -eq 40 ]
params=$(cut -d' ' -f1 "$work/uncertain.txt" | paste -sd,)
# a count of one is said in the singular ("3 points x 1 runs" before), as run's and compare's are
expect "sweep: its summary line says '1 run'" 0 '^judgment: 3 points x 1 run -> ' -- \
    sweep tests/models/judgment --lhs 3 --runs 1 --out "$work/sw-one-run"
expect "sweep: its summary line says '20 runs'" 0 '^judgment: 3 points x 20 runs -> ' -- \
    sweep tests/models/judgment --lhs 3 --runs 20 --out "$work/sw-twenty-runs"
expect "sweep: --lhs over 40 uncertain numbers" 0 "" -- sweep scenarios/baseline --lhs 3 --params "$params" --runs 20 --quiet --out "$work/sw-lhs40"
check_that "sweep: points.csv has 3 x 40 rows" [ "$(tail -n +2 "$work/sw-lhs40/points.csv" | wc -l)" -eq 120 ]
# a path longer than the name field (leading zeros) was an abort in the table reader
{ printf 'modifiers:%0300d\n' 1; echo 1; } > "$work/d-long.csv"
expect "sweep: a path of 310 characters" 65 "d-long.csv:1:1: error: parameter path of 310 characters" -- sweep tests/models/paths --design "$work/d-long.csv" --quiet --out "$work/sw"

# --- a parameter named twice is refused with its position; so is a number set by two paths
printf 'parameter,values\ntransitions:f:a>b,0.2;0.5\nmodifiers:1,1;4\ntransitions:f:a>b,0.3\n' > "$work/g-twice.csv"
expect "sweep: grid names a parameter twice" 65 "g-twice.csv:4:1: error: 'transitions:f:a>b' is already varied at line 2: give each parameter once" -- sweep tests/models/paths --grid "$work/g-twice.csv" --quiet --out "$work/sw"
printf 'parameter,values\nlevers,none;calm_h\ntransitions:f:a>b,0.2\nlevers,push_f\n' > "$work/g-levers.csv"
expect "sweep: grid lists levers twice" 65 "g-levers.csv:4:1: error: 'levers' is already listed at line 2" -- sweep tests/models/paths --grid "$work/g-levers.csv" --quiet --out "$work/sw"
: > "$work/d-empty.csv"
expect "sweep: an empty design file says a header row is needed" 65 \
    "d-empty.csv:1:1: error: file is empty \(a table starts with its header row\)$" \
    -- sweep tests/models/paths --design "$work/d-empty.csv" --quiet --out "$work/sw"
expect "sweep --sobol over more than 20 numbers: how many, and --params" 64 \
    "--sobol takes at most 20 uncertain numbers, and 158 vary here: choose those to vary with --params" \
    -- sweep scenarios/baseline --sobol 8 --runs 10 --quiet --out "$work/sobol-all"
# an empty value (a typo: "1;;2", "1;2;") is refused rather than dropped
for v in '0.2;;0.5' '0.2;0.5;' ';0.2'; do
    printf 'parameter,values\ntransitions:f:a>b,%s\n' "$v" > "$work/g-empty.csv"
    expect "sweep: grid value list '$v' has an empty value" 65 \
        "g-empty.csv:2:19: error: an empty value in '$v': separate the values by single ';'" \
        -- sweep tests/models/paths --grid "$work/g-empty.csv" --quiet --out "$work/sw"
done
# --params and a generated design on a scenario without distributions: the option named, as every
# bad option is ("neasim sweep: --params: ..."; the message had no prefix before), a typo's
# suggestion, an empty item refused rather than read as a path, nothing written
expect "sweep: --params, an unknown path, with a suggestion" 64 \
    "^neasim sweep: --params: 'transitions:f:a>c' names no number written as a distribution; did you mean 'transitions:f:a>b'\?" \
    -- sweep tests/models/discover --lhs 5 --params 'transitions:f:a>c' --quiet --out "$work/sw"
for v in 'transitions:f:a>b,,transitions:g:x>y' 'transitions:f:a>b,' ',transitions:f:a>b'; do
    expect "sweep: --params '$v' has an empty item" 64 "^neasim sweep: --params: an empty item in '$v': separate the paths by single ','" \
        -- sweep tests/models/discover --oat --params "$v" --quiet --out "$work/sw"
done
expect "sweep: --oat on a scenario without distributions" 64 \
    "^neasim sweep: --oat: the scenario has no numbers written as distributions" -- sweep tests/models/paths --oat --quiet --out "$work/sw"
check_all "sweep: a refused option wrote nothing" \
    '[ ! -e "$work/sw" ] && [ ! -e "$work/sw.partial" ]'
printf 'transitions:f:a>b,modifiers:1,transitions:f:a>b\n0.2,1,0.3\n' > "$work/d-twice.csv"
expect "sweep: design names a column twice" 65 "d-twice.csv:1:[0-9]+: error: column 'transitions:f:a>b' appears twice" -- sweep tests/models/paths --design "$work/d-twice.csv" --quiet --out "$work/sw"
printf 'transitions:f:a>b\n0.2,0.4\n' > "$work/d-one.csv"
expect "sweep: a design of one column, a row of two cells (\"1 columns\" before)" 65 \
    "d-one.csv:2:5: error: this row has 2 cells but the header has 1 column \(a comma inside a value needs quotes" \
    -- sweep tests/models/paths --design "$work/d-one.csv" --quiet --out "$work/sw"
check_all "sweep: a refused design wrote nothing" \
    '[ ! -e "$work/sw" ] && [ ! -e "$work/sw.partial" ]'
# a `*` path and a narrower one may share numbers: the narrower wins, whatever the column order
# (f:a>b at 2 and f:b>a at 0.1: f holds b with probability 2/2.1; 1/2 if the wildcard won)
printf 'transitions:f:*>*,transitions:f:a>b\n0.1,2\n' > "$work/d-wide-first.csv"
printf 'transitions:f:a>b,transitions:f:*>*\n2,0.1\n' > "$work/d-narrow-first.csv"
for o in wide-first narrow-first; do
    expect "sweep: overlapping paths ($o)" 0 "" -- sweep tests/models/paths --design "$work/d-$o.csv" --runs 500 --quiet --out "$work/sw-$o"
done
check_that "sweep: the narrower path wins in either column order" \
    cmp -s <(cut -d, -f4- "$work/sw-wide-first/sweep.csv") <(cut -d, -f4- "$work/sw-narrow-first/sweep.csv")
check_that "sweep: ... and is not ignored" \
    [ "$(grep ',f_b,holds,5,' "$work/sw-wide-first/sweep.csv" | cut -d, -f9 | cut -c1-3)" = 0.9 ]

# --- design.csv as the other tables are written: CRLF line ends, a number as typed when it reads
# back exactly (0.2, not 0.20000000000000001), a lever set's "none" as points.csv writes it, NA
# in the levers column of a design without levers (the cells were empty, the lines LF)
printf 'parameter,values\ntransitions:f:a>b,0.2;0.5\nlevers,none;push_f\n' > "$work/g-dcsv.csv"
expect "sweep: a grid with levers" 0 "" -- sweep tests/models/paths --grid "$work/g-dcsv.csv" --runs 20 --quiet --out "$work/sw-dcsv"
check_that "design.csv: CRLF line ends, as every table" bash -c '[ "$(grep -c $'"'"'\r$'"'"' "$1")" -eq 5 ]' _ "$work/sw-dcsv/design.csv"
check_that "design.csv: 0.2 as typed, none for no lever" \
    [ "$(tr -d '\r' < "$work/sw-dcsv/design.csv" | sed -n 2,3p | tr '\n' ' ')" = "1,0.2,none 2,0.2,push_f " ]
check_that "design.csv: NA in the levers column of a design without levers" \
    bash -c 'tail -n +2 "$1" | tr -d "\r" | awk -F, "\$NF != \"NA\" { bad = 1 } END { exit bad }"' _ "$work/sw-lhs40/design.csv"
check_that "design.csv: each number reads back as the design's own (--lhs: points.csv's to 10 digits)" \
    awk -F, 'NR == FNR { if (FNR > 1) v[$1 "," $2] = $3; next }
        FNR == 1 { for (i = 2; i < NF; i++) h[i] = $i; next }
        { for (i = 2; i < NF; i++) { w = v[$1 "," h[i]]; d = $i - w; if (d < 0) d = -d
              if (w == "" || d > 1e-9 * (w < 0 ? -w : w) + 1e-300) bad = 1 } }
        END { exit bad }' <(tr -d '\r' < "$work/sw-lhs40/points.csv") <(tr -d '\r' < "$work/sw-lhs40/design.csv")

# --bom: design.csv starts with the mark as every other table does (it was the one without); a
# sweep stopped with --bom resumes without it, and the reverse (--bom changes no result)
expect "sweep --bom" 0 "" -- sweep tests/models/paths --grid "$work/g-dcsv.csv" --runs 20 --bom --quiet --out "$work/sw-bom"
check_that "design.csv: a byte-order mark with --bom" [ "$(head -c 3 "$work/sw-bom/design.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ]
NEASIM_TEST_STOP_AFTER_POINTS=1 "$NEASIM" sweep tests/models/paths --grid "$work/g-dcsv.csv" --runs 20 --bom --quiet --out "$work/sw-bom2" >/dev/null 2>&1
expect "sweep: stopped with --bom, resumed without" 0 "" -- sweep tests/models/paths --grid "$work/g-dcsv.csv" --runs 20 --quiet --out "$work/sw-bom2" --resume
check_that "... the same sweep.csv as an uninterrupted one" cmp -s "$work/sw-bom2/sweep.csv" "$work/sw-dcsv/sweep.csv"

# --- a grid above 10^7 points: a clear refusal (exit 70 with an empty message before)
{ echo parameter,values
  for p in 'transitions:f:a>b' 'transitions:f:b>a' 'transitions:g:x>y' 'transitions:g:y>x' \
           'transitions:h:off>on' 'transitions:h:on>off' 'modifiers:1'; do echo "$p,$(seq -s';' 1 11)"; done
} > "$work/g-huge.csv"
expect "sweep: a grid above 10^7 points" 65 "g-huge.csv: error: the grid has 1.949e\+07 points \(11 x 11 x 11 x 11 x 11 x 11 x 11 values\), more than the limit of 10000000: list fewer values" -- sweep tests/models/paths --grid "$work/g-huge.csv" --quiet --out "$work/sw"


# --- durable points: --resume verifies every point file and runs a damaged one again, so the
# final tables equal those of an uninterrupted sweep byte for byte
oat() { "$NEASIM" sweep scenarios/baseline --oat --params 'transitions:rok_nuclear_debate:*' --runs 200 --seed 9 --quiet "$@"; }
NEASIM_TEST_STOP_AFTER_POINTS=4 oat --out "$work/sw-dur" >/dev/null 2>&1
check_that "sweep: stopped after 4 points" [ "$(ls "$work/sw-dur.partial/points/" | grep -c 'counts$')" -eq 4 ]
pts="$work/sw-dur.partial/points"
truncate -s 100 "$pts/00000001.csv"                      # truncated
sed -i '2 s/[0-9]/X/' "$pts/00000002.csv"                 # one byte changed
sed -i '1 s/^[0-9]/7/' "$pts/00000003.counts"            # a count changed
rm "$pts/00000004.counts"                                # a .csv without its counts
expect "sweep: resume runs damaged points again" 0 \
    "00000001.csv: warning: point 1 is damaged \(its .csv file is truncated" -- sweep scenarios/baseline --oat --params 'transitions:rok_nuclear_debate:*' --runs 200 --seed 9 --quiet --out "$work/sw-dur" --resume
oat --threads 1 --out "$work/sw-ref" >/dev/null 2>&1
for f in sweep points parameters tornado; do
    check_that "sweep: $f.csv of a repaired resume equals an uninterrupted sweep" cmp -s "$work/sw-dur/$f.csv" "$work/sw-ref/$f.csv"
done
NEASIM_TEST_STOP_AFTER_POINTS=4 oat --out "$work/sw-dur2" >/dev/null 2>&1
sed -i '2 s/[0-9]/X/' "$work/sw-dur2.partial/points/00000002.csv"
sed -i '1 s/^[0-9]/7/' "$work/sw-dur2.partial/points/00000003.counts"
oat --out "$work/sw-dur2" --resume 2> "$work/dur2.err"
check_that "sweep: each damaged point named" [ "$(grep -c 'warning: point [23] is damaged' "$work/dur2.err")" -eq 2 ]
check_that "sweep: a changed count is caught" grep -q 'point 3 is damaged (its .counts file is truncated, changed or unsealed)' "$work/dur2.err"
# events_simulated counts every point once, however the sweep was stopped and resumed; a point
# file of an older neasim (no `events` line, sealed as it was then) is run again, saying why
check_that "sweep: a resumed sweep reports the events of an uninterrupted one" \
    [ "$(grep '^events_simulated,' "$work/sw-dur2/manifest.csv")" = "$(grep '^events_simulated,' "$work/sw-ref/manifest.csv")" ]
check_that "sweep: ... and they are counted" grep -q '^events_simulated,[1-9]' "$work/sw-ref/manifest.csv"
NEASIM_TEST_STOP_AFTER_POINTS=2 oat --out "$work/sw-old" >/dev/null 2>&1
c="$work/sw-old.partial/points/00000002.counts"
grep -v '^events \|^sum ' "$c" > "$c.body"
{ cat "$c.body"; echo "sum $(sha256sum < "$c.body" | cut -d' ' -f1)"; } > "$c"
rm "$c.body"
oat --out "$work/sw-old" --resume 2> "$work/old.err"
check_that "sweep: a point without its count of events is run again" grep -q 'point 2 is damaged (its .counts file has no count of events (written by an older neasim))' "$work/old.err"
check_that "sweep: ... and the sweep equals an uninterrupted one" cmp -s "$work/sw-old/sweep.csv" "$work/sw-ref/sweep.csv"
check_that "sweep: ... events too" \
    [ "$(grep '^events_simulated,' "$work/sw-old/manifest.csv")" = "$(grep '^events_simulated,' "$work/sw-ref/manifest.csv")" ]

# --- point files removed once assembled, unless --keep-points
check_all "sweep: no points/ once assembled" \
    '[ ! -e "$work/sw-ref/points" ] && [ ! -e "$work/sw-dur/points" ]'
expect "sweep: --keep-points" 0 "" -- sweep scenarios/baseline --oat --params 'transitions:rok_nuclear_debate:*' --runs 200 --seed 9 --quiet --keep-points --out "$work/sw-keep"
check_that "sweep: --keep-points keeps every sealed point" \
    [ "$(grep -l '^sum [0-9a-f]\{64\}$' "$work/sw-keep/points/"*.counts | wc -l)" -eq "$(tail -n +2 "$work/sw-ref/points.csv" | cut -d, -f1 | sort -u | wc -l)" ]
check_that "sweep: --keep-points changes no table" cmp -s "$work/sw-keep/sweep.csv" "$work/sw-ref/sweep.csv"
expect "sweep: --keep-points is a sweep option" 64 "unknown option '--keep-points'" -- run tests/models/uncertain --keep-points

# --- a Latin hypercube is made from the seed point by point (design_method in the manifest); an
# --lhs sweep begun by an older build, whose design was drawn otherwise, is refused by name on
# --resume rather than finished with points of another design (its options lack the method)
lhs() { "$NEASIM" sweep tests/models/uncertain --lhs 12 --runs 50 --seed 4 --quiet "$@"; }
lhs --out "$work/sw-lhs-ref" >/dev/null 2>&1
check_that "sweep: the manifest names the LHS method" \
    grep -q '^design_method,lhs-feistel-v1' "$work/sw-lhs-ref/manifest.csv"
NEASIM_TEST_STOP_AFTER_POINTS=5 lhs --out "$work/sw-lhs-old" >/dev/null 2>&1
sed -i 's/ design lhs-feistel-v1//' "$work/sw-lhs-old.partial/.sweep-options"
expect "sweep: --resume of an older build's --lhs sweep is refused by name" 64 \
    "begun by an older neasim, whose --lhs design placed its points otherwise .*delete that folder" \
    -- sweep tests/models/uncertain --lhs 12 --runs 50 --seed 4 --quiet --out "$work/sw-lhs-old" \
    --resume
NEASIM_TEST_STOP_AFTER_POINTS=5 lhs --out "$work/sw-lhs-res" >/dev/null 2>&1
expect "sweep: an --lhs sweep resumes" 0 "" -- sweep tests/models/uncertain --lhs 12 --runs 50 \
    --seed 4 --quiet --out "$work/sw-lhs-res" --resume
for f in sweep points design; do
    check_that "sweep: --lhs resumed: $f.csv equals an uninterrupted sweep's" \
        cmp -s "$work/sw-lhs-res/$f.csv" "$work/sw-lhs-ref/$f.csv"
done

# --- memory does not grow with the points: a design file of 1,000 and of 30,000 points (2
# replications each, one thread) peak within 2 MiB of each other. The design and its file were
# held whole before: about 400 bytes a point, 11 MiB more at 30,000. Likewise a Latin hypercube
# over the baseline's uncertain numbers at 500 and 5,000 points, each point made from the seed:
# it was held whole before (about 1,500 bytes a point, 6.4 MiB more at 5,000).
peak() { # SCENARIO KIND N ARG...: the peak resident KiB of a sweep of N points
    local scenario=$1 kind=$2 n=$3
    shift 3
    /usr/bin/time -f %M -o "$work/peak" "$NEASIM" sweep "$scenario" "--$kind" "$@" --runs 2 \
        --threads 1 --quiet --out "$work/sw-mem-$kind-$n" >/dev/null 2>&1 && cat "$work/peak"
}
# Not under a sanitizer build (make check-asan): its quarantine keeps freed memory, so the peak
# grows with what was ever allocated (171,572 and 791,424 KiB for the two design files there).
if [ -x /usr/bin/time ] && ! ldd "$NEASIM" 2>/dev/null | grep -q libasan; then
    awk 'BEGIN { print "transitions:f:a>b,levers"
        for (p = 0; p < 30000; p++) printf "%.4f,%s\n", 0.1 + (p % 97) / 1000, p % 3 ? "none" : "push_f" }' \
        > "$work/d-30000.csv"
    head -1001 "$work/d-30000.csv" > "$work/d-1000.csv"
    small=$(peak tests/models/paths design 1000 "$work/d-1000.csv")
    big=$(peak tests/models/paths design 30000 "$work/d-30000.csv")
    check_that "sweep: a design file of 30,000 points peaks within 2 MiB of one of 1,000 (${small:-?} and ${big:-?} KiB)" \
        [ $((${big:-999999} - ${small:-0})) -lt 2048 ]
    small=$(peak scenarios/baseline lhs 500 500) big=$(peak scenarios/baseline lhs 5000 5000)
    check_that "sweep: --lhs 5000 over the baseline peaks within 2 MiB of --lhs 500 (${small:-?} and ${big:-?} KiB)" \
        [ $((${big:-999999} - ${small:-0})) -lt 2048 ]
    # Sobol indices are computed an outcome and horizon at a time from a file of the points'
    # outputs by column: every point's every output was held before, 1,920 bytes a point here
    # (15 outcomes x 16 horizons), 5.5 MiB more at 3,600 points than at 600. The column itself,
    # read a block of rows at a time since, and the bootstrap's memory are checked by
    # test_design on 400,000 rows: held whole they were 16 bytes a point here, hidden under the
    # transposition's 512 KiB block below 35,000 points and 2 MiB only past 170,000, more
    # points than a test can run
    H=$(seq -s, 0.25 0.25 4) one='transitions:rok_political_stability:normal>crisis'
    small=$(peak scenarios/baseline sobol 200 200 --params "$one" --horizons "$H")
    big=$(peak scenarios/baseline sobol 1200 1200 --params "$one" --horizons "$H")
    check_that "sweep: --sobol 1200 (3,600 points) over the baseline peaks within 2 MiB of --sobol 200 (${small:-?} and ${big:-?} KiB)" \
        [ $((${big:-999999} - ${small:-0})) -lt 2048 ]
    rm -rf "$work"/sw-mem-*
else
    skip_part "sweep: peak memory against the number of points" \
        "/usr/bin/time is not installed, or this is a sanitizer build, whose peak is not neasim's (make test measures it)"
fi

cli_done sweep
