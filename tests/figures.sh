#!/usr/bin/env bash
# Figures and briefing (scripts/figures.R, scripts/brief.R) on real results folders: a run of the
# two-state test model and of the baseline (few runs), plus a comparison folder and a sweep
# folder faked from run outputs until `neasim compare` and the sweep exist (marked FAKE below).
# Checks that every figure that applies is written as a valid PNG (300 dpi, 16:9) and PDF, that
# the brief is one self-contained HTML file holding the headline numbers of the CSV files (one
# recomputed here with awk), and that a missing table is skipped with a message, not an error.
# Usage: tests/figures.sh BUILD_DIR   (from the project root; FIGURES_KEEP=1 keeps the output)
set -u
NEASIM=$(realpath "${1:-build}/neasim")
pass=0
fail=0

if ! command -v Rscript >/dev/null ||
   ! Rscript -e 'for (p in c("ggplot2", "readr", "scales", "base64enc")) library(p, character.only = TRUE)' >/dev/null 2>&1; then
    echo "figures: R with ggplot2, readr, scales and base64enc is not installed (make deps): skipped"
    echo "figures: 0 passed, 0 failed"
    exit 0
fi

work=$(mktemp -d /tmp/nsm-figures-XXXXXX)
# FIGURES_KEEP=1 keeps the folders, to look at the figures
if [ "${FIGURES_KEEP:-0}" = 1 ]; then echo "figures: results kept in $work"; else trap 'rm -rf "$work"' EXIT; fi

ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

# check_png FILE: PNG signature, non-trivial size, 300 dpi on a 13.33 x 7.5 in page
check_png() {
    local f=$1 sig w h
    [ -f "$f" ] || { bad "$f: missing"; return; }
    sig=$(head -c 8 "$f" | od -An -tx1 | tr -d ' \n')
    [ "$sig" = "89504e470d0a1a0a" ] || { bad "$f: not a PNG (signature $sig)"; return; }
    [ "$(stat -c %s "$f")" -gt 20000 ] || { bad "$f: only $(stat -c %s "$f") bytes"; return; }
    w=$(od -An -tu1 -j16 -N4 "$f" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')
    h=$(od -An -tu1 -j20 -N4 "$f" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')
    if [ "$w" -ge 3990 ] && [ "$h" -ge 2240 ]; then ok; else bad "$f: ${w}x${h} pixels, expected 4000x2250 (300 dpi)"; fi
}

# check_pdf FILE: PDF signature and trailer, non-trivial size
check_pdf() {
    local f=$1
    [ -f "$f" ] || { bad "$f: missing"; return; }
    [ "$(head -c 5 "$f")" = "%PDF-" ] || { bad "$f: not a PDF"; return; }
    tail -c 64 "$f" | grep -q '%%EOF' || { bad "$f: PDF without %%EOF (truncated?)"; return; }
    if [ "$(stat -c %s "$f")" -gt 5000 ]; then ok; else bad "$f: only $(stat -c %s "$f") bytes"; fi
}

# check_figures DIR PREFIX...: each prefix names at least one figure (PREFIX.png or PREFIX_*.png),
# and every figure in figures/index.csv has a valid PNG and PDF.
check_figures() {
    local dir=$1 p f n
    shift
    for p in "$@"; do
        n=$(find "$dir/figures" -maxdepth 1 \( -name "$p.png" -o -name "${p}_*.png" \) | wc -l)
        if [ "$n" -ge 1 ]; then ok; else bad "$dir: no figure $p"; fi
    done
    [ -f "$dir/figures/index.csv" ] || { bad "$dir: no figures/index.csv"; return; }
    while IFS= read -r f; do
        check_png "$dir/figures/$f.png"
        check_pdf "$dir/figures/$f.pdf"
    done < <(tail -n +2 "$dir/figures/index.csv" | cut -d, -f1 | tr -d '"')
}

# check_brief DIR: one self-contained HTML page with every briefing figure embedded and the
# provenance of manifest.csv
check_brief() {
    local dir=$1 html=$1/brief.html n want key
    [ -f "$html" ] || { bad "$html: missing"; return; }
    head -c 15 "$html" | grep -q '<!DOCTYPE html>' && tail -c 20 "$html" | grep -q '</html>' ||
        { bad "$html: not an HTML document"; return; }
    [ "$(stat -c %s "$html")" -gt 50000 ] || { bad "$html: only $(stat -c %s "$html") bytes"; return; }
    if grep -Eq '(src|href)="(https?:|file:|[^d"#][^"]*\.(png|pdf|css|js)")' "$html"; then
        bad "$html: refers to an external file"
    else ok; fi
    n=$(grep -o 'src="data:image/png;base64,' "$html" | wc -l)
    want=$(tail -n +2 "$dir/figures/index.csv" | grep -c ',TRUE$')
    if [ "$n" -eq "$want" ] && [ "$n" -gt 0 ]; then ok; else bad "$html: $n embedded figures, expected $want"; fi
    for key in version seed runs scenario_checksum git_commit; do
        local v
        v=$(tr -d '\r' < "$dir/manifest.csv" | awk -F, -v k="$key" '$1 == k { print $2 }')
        if [ -n "$v" ] && grep -qF "<code>$v</code>" "$html"; then ok; else bad "$html: provenance $key ($v) missing"; fi
    done
}

# headline_cell OUTCOMES_CSV ARM_FILTER: the brief's text for the first outcome whose probability
# at 5 (else 2, 10) years does not sit on a rounding boundary, recomputed with awk:
# prints `<span class="p">45.3%</span> <span class="ci">44.6&ndash;46.0</span>`.
headline_cell() {
    tr -d '\r' < "$1" | awk -F, -v arm="$2" '
        NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        arm != "" && $c["arm"] != arm { next }
        $c["measure"] != "occurred_by" { next }
        { t = $c["t_years"] + 0; if (t > tmax) tmax = t; rows[++n] = $0 }
        END {
            split("5 2 10", hs, " ")
            for (j = 1; j <= 3; j++) {
                h = hs[j]
                if (h > tmax + 0.05) continue
                for (i = 1; i <= n; i++) {
                    split(rows[i], f, ",")
                    if ((f[c["t_years"]] - h) ^ 2 > 0.0025) continue
                    p = f[c["probability"]]; lo = f[c["ci_low"]]; hi = f[c["ci_high"]]
                    if (!ok(p) || !ok(lo) || !ok(hi)) continue
                    printf "<span class=\"p\">%.1f%%</span> <span class=\"ci\">%.1f&ndash;%.1f</span>\n", 100 * p, 100 * lo, 100 * hi
                    exit
                }
            }
        }
        function ok(x,   y) { y = 1000 * x; y = y - int(y); return (y - 0.5) ^ 2 > 1e-4 }'
}

# run MODEL OUT SEED [RUNS]: a real neasim run
run() {
    "$NEASIM" run "$1" --runs "${4:-2000}" --seed "$3" --out "$2" --quiet ||
        bad "neasim run $1 failed (exit $?)"
}

# ---- real runs ------------------------------------------------------------------------------
run tests/models/two_state "$work/two_state" 1 20000 &
run scenarios/baseline "$work/baseline" 1 &
run scenarios/baseline "$work/arm_run" 2 &
wait

# ---- FAKE comparison folder: replace with `neasim compare` when it exists -------------------
# The planned schema: the run tables with a leading `arm` column (baseline first), arms.csv,
# differences.csv and briefing.csv. The "lever" arm is the baseline with another seed, and the
# differences use independent standard errors; only the layout matters here.
fake_compare() {
    local out=$1 base=$2 arm=$3 armrun=$4 t
    mkdir -p "$out"
    for t in state_probabilities outcomes first_occurrence event_counts; do
        { tr -d '\r' < "$base/$t.csv" | awk '{ print (NR == 1 ? "arm," : "baseline,") $0 }'
          tr -d '\r' < "$armrun/$t.csv" | awk -v a="$arm" 'NR > 1 { print a "," $0 }'
        } > "$out/$t.csv"
    done
    # the first four factors only: one page of states per arm keeps the test fast
    awk -F, 'NR == 1 || (k[$4] || n < 4) { if (NR > 1 && !k[$4]) { k[$4] = 1; n++ } print }' \
        "$out/state_probabilities.csv" > "$out/sp.tmp" && mv "$out/sp.tmp" "$out/state_probabilities.csv"
    cp "$base/manifest.csv" "$out/manifest.csv"
    printf 'arm,lever,target,operation,value,from_date\nbaseline,,,,,\n%s,%s,transitions:rok_political_stability:normal>crisis,multiply,0.3,2027-01-01\n' \
        "$arm" "$arm" > "$out/arms.csv"
    awk -F, -v OFS=, -v a="$arm" '
        BEGIN { print "arm,quantity,name,measure,date,t_years,baseline_value,arm_value,difference,std_error,ci_low,ci_high,variance_reduction" }
        function row(q, name, m, date, t, bv, av, bs, as,   d, se) {
            d = av - bv; se = sqrt(bs * bs + as * as)
            print a, q, name, m, date, t, bv, av, d, se, d - 1.96 * se, d + 1.96 * se, "NA"
        }
        { sub(/\r$/, "") }
        FILENAME == ARGV[1] && FNR > 1 { bo[$1 "," $3 "," $4] = $5; bs[$1 "," $3 "," $4] = $6 }
        FILENAME == ARGV[2] && FNR > 1 { k = $1 "," $3 "," $4; row("outcome", $3, $4, $1, $2, bo[k], $5, bs[k], $6) }
        FILENAME == ARGV[3] && FNR > 1 && $4 == "cumulative" { be[$1 "," $3] = $5; bes[$1 "," $3] = $7 }
        FILENAME == ARGV[4] && FNR > 1 && $4 == "cumulative" { k = $1 "," $3; row("event", $3, "cumulative_count", $1, $2, be[k], $5, bes[k], $7) }
    ' "$base/outcomes.csv" "$armrun/outcomes.csv" "$base/event_counts.csv" "$armrun/event_counts.csv" \
        > "$out/differences.csv"
    awk -F, -v OFS=, '
        BEGIN { print "arm,outcome,horizon_years,date,baseline_probability,arm_probability,difference_pp,ci_low_pp,ci_high_pp,distinguishable" }
        NR > 1 && $2 == "outcome" && $4 == "occurred_by" {
            for (h = 2; h <= 10; h += (h == 2 ? 3 : 5))
                if (($6 - h) ^ 2 < 0.0025)
                    print $1, $3, h, $5, $7, $8, 100 * $9, 100 * $11, 100 * $12, ($11 > 0 || $12 < 0) ? "yes" : "no"
        }' "$out/differences.csv" > "$out/briefing.csv"
}
fake_compare "$work/compare" "$work/baseline" fake_lever "$work/arm_run"

# ---- FAKE sweep folder: replace with the real sweep command when it exists ------------------
# tornado.csv and sensitivity.csv with the planned columns and made-up numbers, and an
# event_counts.csv holding only window=year rows (the per-year windows proposed for the engine;
# here the cumulative rows at anniversaries relabelled, so the numbers mean nothing).
mkdir -p "$work/sweep"
cp "$work/baseline/manifest.csv" "$work/sweep/"
cat > "$work/sweep/tornado.csv" <<'EOF'
outcome,measure,horizon_years,parameter,low_value,high_value,outcome_at_low,outcome_at_high,swing
usfk_reduced,occurred_by,5,transitions:usfk_posture:current>reduced,0.02,0.08,0.25,0.46,0.21
usfk_reduced,occurred_by,5,transitions:rok_political_stability:normal>crisis,0.1,0.4,0.33,0.37,0.04
usfk_reduced,occurred_by,5,modifiers:4,1,4,0.30,0.41,0.11
usfk_reduced,occurred_by,5,factors:usfk_posture:reduced,0,0.1,0.33,0.38,0.05
usfk_reduced,occurred_by,10,transitions:usfk_posture:current>reduced,0.02,0.08,0.38,0.66,0.28
usfk_reduced,occurred_by,10,transitions:rok_political_stability:normal>crisis,0.1,0.4,0.49,0.53,0.04
usfk_reduced,occurred_by,10,modifiers:4,1,4,0.44,0.58,0.14
usfk_reduced,occurred_by,10,factors:usfk_posture:reduced,0,0.1,0.49,0.52,0.03
launch_days,cumulative_count,10,events:launch_days:rate_per_year,8,14,61,100,39
launch_days,cumulative_count,10,events:launch_days:dispersion,4,30,77,79,2
EOF
cat > "$work/sweep/sensitivity.csv" <<'EOF'
outcome,measure,horizon_years,parameter,index,estimate,ci_low,ci_high
usfk_reduced,occurred_by,5,transitions:usfk_posture:current>reduced,first,0.52,0.47,0.57
usfk_reduced,occurred_by,5,transitions:usfk_posture:current>reduced,total,0.61,0.55,0.67
usfk_reduced,occurred_by,5,modifiers:4,first,0.18,0.14,0.22
usfk_reduced,occurred_by,5,modifiers:4,total,0.27,0.22,0.32
usfk_reduced,occurred_by,5,draws:us_election_2028:transactional>alliance_first,first,0.03,-0.01,0.07
usfk_reduced,occurred_by,5,draws:us_election_2028:transactional>alliance_first,total,0.05,0.01,0.09
usfk_reduced,occurred_by,10,transitions:usfk_posture:current>reduced,first,0.48,0.43,0.53
usfk_reduced,occurred_by,10,transitions:usfk_posture:current>reduced,total,0.58,0.52,0.64
usfk_reduced,occurred_by,10,modifiers:4,first,0.21,0.17,0.25
usfk_reduced,occurred_by,10,modifiers:4,total,0.30,0.25,0.35
usfk_reduced,occurred_by,10,draws:us_election_2028:transactional>alliance_first,first,0.04,0.00,0.08
usfk_reduced,occurred_by,10,draws:us_election_2028:transactional>alliance_first,total,0.07,0.03,0.11
EOF
tr -d '\r' < "$work/baseline/event_counts.csv" | awk -F, -v OFS=, '
    NR == 1 { print; next }
    $4 == "cumulative" && ($2 - int($2 + 0.5)) ^ 2 < 0.0004 && $2 > 0.5 { $4 = "year"; print }' \
    > "$work/sweep/event_counts.csv"

# ---- render: figures and brief of every folder, two at a time -------------------------------
render() {
    local dir=$1
    { Rscript scripts/figures.R "$dir" && Rscript scripts/brief.R "$dir"; } > "$dir.log" 2>&1
    echo $? > "$dir.rc"
}
start=$(date +%s)
# the baseline through the documented make target
{ make -s --no-print-directory brief RESULTS="$work/baseline" > "$work/baseline.log" 2>&1
  echo $? > "$work/baseline.rc"; render "$work/sweep"; } &
{ render "$work/compare"; render "$work/two_state"; } &
wait
echo "figures: rendered 4 folders in $(( $(date +%s) - start )) s"
for d in two_state sweep baseline compare; do
    if [ "$(cat "$work/$d.rc")" -eq 0 ]; then ok; else
        bad "figures/brief of the $d folder failed:"; sed 's/^/    /' "$work/$d.log" | tail -15
    fi
    if grep -q '^Warning\|^Error' "$work/$d.log"; then
        bad "R warnings for the $d folder:"; grep -A2 '^Warning\|^Error' "$work/$d.log" | sed 's/^/    /' | head -10
    else ok; fi
done

# ---- what each folder must hold -------------------------------------------------------------
check_figures "$work/two_state" outcomes_by_horizon outcomes_over_time state_probabilities
check_figures "$work/baseline" outcomes_by_horizon outcomes_over_time state_probabilities events_cumulative
check_figures "$work/compare" outcomes_by_horizon outcomes_over_time lever_effects \
    lever_effects_over_time lever_event_effects state_probabilities_baseline \
    state_probabilities_fake_lever events_cumulative
check_figures "$work/sweep" tornado_usfk_reduced tornado_launch_days sensitivity_usfk_reduced \
    events_per_year
for d in two_state baseline compare sweep; do check_brief "$work/$d"; done

# a table the folder does not hold is skipped with a message (two_state has no counted events)
if grep -q 'event_counts.csv has no rows' "$work/two_state.log" &&
   [ ! -e "$work/two_state/figures/events_cumulative.png" ]; then ok; else
    bad "two_state: no message for the empty event_counts.csv, or a figure drawn from it"; fi
if grep -q 'no outcomes.csv' "$work/sweep.log"; then ok; else bad "sweep: no message for the missing outcomes.csv"; fi

# the headline numbers of the brief are those of outcomes.csv
for d in two_state baseline; do
    cell=$(headline_cell "$work/$d/outcomes.csv" "")
    if [ -n "$cell" ] && grep -qF "$cell" "$work/$d/brief.html"; then ok; else
        bad "$d/brief.html lacks the headline cell '$cell' of outcomes.csv"; fi
done
cell=$(headline_cell "$work/compare/outcomes.csv" baseline)
if [ -n "$cell" ] && grep -qF "$cell" "$work/compare/brief.html"; then ok; else
    bad "compare/brief.html lacks the baseline headline cell '$cell'"; fi
# ... and the lever table those of briefing.csv (a row away from a rounding boundary)
lever=$(awk -F, 'NR > 1 { y = 10 * $7; y = y - int(y); if (y < 0) y = -y; if ((y - 0.5) ^ 2 > 1e-4 && ($7 > 0.05 || $7 < -0.05)) { printf "<span class=\"pp\">%+.1f pp</span>\n", $7; exit } }' \
    "$work/compare/briefing.csv")
if [ -n "$lever" ] && grep -qF "$lever" "$work/compare/brief.html"; then ok; else
    bad "compare/brief.html lacks the lever cell '$lever' of briefing.csv"; fi
title=$(tr -d '\r' < "$work/baseline/manifest.csv" | awk -F, '$1 == "scenario_title" { sub(/^scenario_title,/, ""); gsub(/"/, ""); print }')
if grep -qF "<h1>$title</h1>" "$work/baseline/brief.html"; then ok; else bad "baseline/brief.html: no title '$title'"; fi

# a second rendering replaces its own files and leaves others' alone
touch "$work/two_state/figures/analyst_notes.png"
n_before=$(ls "$work/two_state/figures" | wc -l)
Rscript scripts/figures.R "$work/two_state" > /dev/null 2>&1
if [ "$(ls "$work/two_state/figures" | wc -l)" -eq "$n_before" ] &&
   [ -e "$work/two_state/figures/analyst_notes.png" ]; then ok; else
    bad "re-rendering changed the files of figures/: $(ls "$work/two_state/figures" | tr '\n' ' ')"; fi

# errors: no such folder, a folder without any table
Rscript scripts/figures.R "$work/no-such-folder" > "$work/err.log" 2>&1
rc=$?
if [ "$rc" -ne 0 ] && grep -q 'no such results folder' "$work/err.log"; then ok; else bad "missing folder: exit $rc"; fi
mkdir -p "$work/empty"
Rscript scripts/figures.R "$work/empty" > "$work/err.log" 2>&1
rc=$?
if [ "$rc" -ne 0 ] && grep -q 'holds no table' "$work/err.log"; then ok; else bad "empty folder: exit $rc"; fi

echo "figures: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
