#!/usr/bin/env bash
# Figures and briefing (scripts/figures.R, scripts/brief.R) on real results folders: runs of the
# two-state test model and of the baseline (few runs), a `neasim compare` of two of the
# baseline's levers, and `neasim sweep` (one-at-a-time and Sobol) of a small uncertain model;
# per-year event windows, which the engine does not write yet, are faked (marked FAKE below).
# tests/figures_mapping.R checks that legends and labels sit on the data they name (a model whose
# levers have known effects, tests/models/known_levers); tests/figures_labels.R that the
# baseline's labels (labels.csv) name what its figures show, that tornado labels fit their rows
# and that their value labels do not run together;
# tests/figures_layout.R that every legend and title lies within its figure; tests/figures_sweeps.R checks the
# figures of its grid, LHS, design-file and Sobol sweeps against sweep.csv; tests/figures_judgment.R
# checks the judgment bands of run --outer and compare --outer against their tables;
# tests/figures_nested.R that arms whose lines coincide (a factorial comparison) all show;
# tests/figures_reference.R that the arm drawn in black is the one the others are compared with.
# Checks that every figure that applies is written as a valid PNG (300 dpi, 16:9) and PDF, that
# the brief is one self-contained HTML file holding the headline numbers of the CSV files (one
# recomputed here with awk), that the brief of an LHS sweep names the numbers its rank regression
# ranks first (tests/brief_check.py ranking, the regression redone from sweep.csv), and that a
# missing table is skipped with a message, not an error.
# Usage: tests/figures.sh BUILD_DIR   (from the project root; FIGURES_KEEP=1 keeps the output)
set -u
# awk and R number formats whatever the caller's locale (a decimal point), in UTF-8 as an analyst's R
# session is: under plain C, R draws an arrow in a label as "<U+2192>" and measures that instead
export LC_ALL=C.UTF-8
NEASIM=$(realpath "${1:-build}/neasim")
source "$(dirname "$0")/skip-lib.sh"
pass=0
fail=0

if ! r_has ggplot2 readr scales base64enc; then
    skip_suite "R with ggplot2, readr, scales and base64enc is not installed (make deps)"
fi

work=$(mktemp -d /tmp/nsm-figures-XXXXXX)
# FIGURES_KEEP=1 keeps the folders, to look at the figures
if [ "${FIGURES_KEEP:-0}" = 1 ]; then echo "figures: results kept in $work"; else trap 'rm -rf "$work"' EXIT; fi

ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
# tally NAME RC: the counts of tests/figures_NAME.R from its log ($work/NAME.log, whose last line is
# "NAME: N passed, M failed") added to this suite's, its FAIL lines shown; a crash (RC not 0 and no
# FAIL line) is a failure with the log's end
tally() {
    local name=$1 rc=$2 log="$work/$1.log" summary
    grep '^FAIL' "$log" | sed "s/^FAIL /FAIL $name: /"
    summary=$(grep "^$name: " "$log")
    if [ -n "$summary" ]; then
        pass=$((pass + $(echo "$summary" | awk '{ print $2 }')))
        fail=$((fail + $(echo "$summary" | awk '{ print $4 }')))
    fi
    if [ "$rc" -ne 0 ] && [ -z "$(grep '^FAIL' "$log")" ]; then
        bad "tests/figures_$name.R failed (exit $rc):"; tail -15 "$log" | sed 's/^/    /'
    fi
}

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
# and every figure in figures/index.csv has a valid PNG, PDF and 150 dpi copy (figures/small/).
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
        # the 150 dpi copy that the brief embeds
        if [ "$(head -c 4 "$dir/figures/small/$f.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 89504e47 ]
        then ok; else bad "$dir/figures/small/$f.png: missing or not a PNG"; fi
    done < <(tail -n +2 "$dir/figures/index.csv" | cut -d, -f1 | tr -d '"')
}

# check_brief DIR: one self-contained HTML page with every briefing figure embedded (but the pages
# of a figure drawn over pages of arms, which are linked from figures/) and the provenance of
# manifest.csv
check_brief() {
    local dir=$1 html=$1/brief.html n want key
    [ -f "$html" ] || { bad "$html: missing"; return; }
    head -c 15 "$html" | grep -q '<!DOCTYPE html>' && tail -c 20 "$html" | grep -q '</html>' ||
        { bad "$html: not an HTML document"; return; }
    [ "$(stat -c %s "$html")" -gt 50000 ] || { bad "$html: only $(stat -c %s "$html") bytes"; return; }
    if grep -Eo '(src|href)="[^"]{0,200}' "$html" |
           grep -Eqv '^src="data:|^href="(#|figures/[^/"]+\.(png|pdf)"?$)'; then
        bad "$html: refers to an external file"
    else ok; fi
    n=$(grep -o 'src="data:image/png;base64,' "$html" | wc -l)
    # index.csv: file, title, section, brief, arms
    want=$(tail -n +2 "$dir/figures/index.csv" | grep ',TRUE,"' |
           grep -Evc '_arms[0-9]+(_[^"]*)?",')
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
# two_state: no counted events (a table without rows); baseline: every run table; compare: two
# arms of the baseline's levers (the first lever, and the first two combined); sweep: a small
# model with three uncertain rates, one-at-a-time (tornado) and Sobol (sensitivity) designs.
levers=$(tr -d '\r' < scenarios/baseline/levers.csv | awk -F, 'NR > 1 && !seen[$1]++ { print $1 }' | head -2)
lever1=$(echo "$levers" | sed -n 1p)
lever2=$(echo "$levers" | sed -n 2p)
mkdir -p "$work/model"
printf '%s\n' 'key,value,source' 'name,ring3,test' 'title,Three-state ring with uncertain rates,test' \
    'start_date,2025-01-01,test' 'horizon_years,10,test' 'report_interval_months,3,test' \
    > "$work/model/scenario.csv"
printf '%s\n' 'factor,level,initial,source' 's,s1,1,test' 's,s2,0,test' 's,s3,0,test' \
    > "$work/model/factors.csv"
printf '%s\n' 'factor,from,to,value,unit,source' 's,s1,s2,"pert(0.1,0.3,0.8)",rate_per_year,test' \
    's,s2,s3,"pert(0.1,0.3,0.6)",rate_per_year,test' 's,s3,s1,"uniform(0.2,0.4)",rate_per_year,test' \
    's,s2,s1,0.2,rate_per_year,test' > "$work/model/transitions.csv"
printf '%s\n' 'outcome,condition,description' 'reached_s3,s=s3,the ring has reached s3' \
    'left_s1,s!=s1,the ring has left s1' > "$work/model/outcomes.csv"
# known_levers: each lever moves one outcome and one event, for tests/figures_mapping.R
known=tests/models/known_levers
{ run $known "$work/known_run" 3 400
  "$NEASIM" compare $known --levers widen_c,amplify_a,boost_b --runs 400 --seed 3 \
      --out "$work/known_compare" --quiet > /dev/null || bad "neasim compare $known failed (exit $?)"
  "$NEASIM" compare $known --levers amplify_a,boost_b --factorial --runs 400 --seed 3 \
      --out "$work/known_factorial" --quiet > /dev/null ||
      bad "neasim compare $known --factorial failed (exit $?)"
  "$NEASIM" sweep $known --oat --runs 400 --seed 3 --horizons 2,5 --out "$work/known_oat" --quiet &&
  "$NEASIM" sweep $known --sobol 16 --runs 100 --seed 3 --horizons 2,5 --out "$work/known_sobol" \
      --quiet || bad "neasim sweep $known failed (exit $?)"; } &
# ... and its sweeps without a tornado: a grid (with lever sets), a Latin hypercube, a design file
# with a levers column, and a Sobol sweep of a's rate alone (b_on and c_on do not vary)
printf '%s\n' 'parameter,values' 'transitions:a:off>on,0.05;0.2;0.4' 'transitions:b:off>on,0.05;0.15' \
    'levers,none;amplify_a' > "$work/grid.csv"
awk 'BEGIN { print "transitions:a:off>on,transitions:b:off>on,transitions:c:off>on,levers"
             for (i = 0; i < 14; i++) printf "%.3f,%.3f,0.1,%s\n", 0.03 + 0.027 * i,
                 0.05 + 0.1 * ((i * 5) % 14) / 13, (i % 2) ? "boost_b" : "none" }' > "$work/design.csv"
{ for kind in "grid --grid $work/grid.csv" "lhs --lhs 30" "design --design $work/design.csv" \
              "sobol_a --sobol 16 --params transitions:a:*"; do
      set -- $kind
      name=$1; shift
      "$NEASIM" sweep $known "$@" --runs 200 --seed 3 --horizons 2,5 --out "$work/known_$name" \
          --quiet || bad "neasim sweep $known $* failed (exit $?)"
  done; } &
run tests/models/two_state "$work/two_state" 1 20000 &
run scenarios/baseline "$work/baseline" 1 &
{ "$NEASIM" compare scenarios/baseline --levers "$lever1,$lever1+$lever2" --runs 1000 --seed 1 \
      --out "$work/compare" --quiet > /dev/null || bad "neasim compare failed (exit $?)"; } &
wait
{ "$NEASIM" sweep "$work/model" --oat --runs 400 --seed 1 --out "$work/sweep" --quiet &&
  "$NEASIM" sweep "$work/model" --sobol 32 --runs 200 --seed 1 --out "$work/sobol" --quiet; } ||
    bad "neasim sweep failed (exit $?)"
# one folder for both sweep charts: the Sobol table beside the tornado table
cp "$work/sobol/sensitivity.csv" "$work/sweep/"

# the per-year fan chart, in the sweep folder too: the baseline's event counts (with window=year rows)
cp "$work/baseline/event_counts.csv" "$work/sweep/event_counts.csv"

# ---- legends, strips and axes on the data they name (no drawing: ggplot_build) ---------------
Rscript tests/figures_mapping.R scripts "$work/known_run" "$work/known_compare" "$work/known_oat" \
    "$work/known_sobol" "$work/sweep" > "$work/mapping.log" 2>&1
tally mapping $?

# ---- arms whose lines coincide: every one still shows (a factorial comparison) ---------------
Rscript tests/figures_nested.R scripts "$work/known_factorial" > "$work/nested.log" 2>&1
tally nested $?

# ---- the arm in black is the one the others are compared with (compare A B C, A not baseline) --
"$NEASIM" compare scenarios/us-retrenchment scenarios/baseline scenarios/nuclear-test-2027 \
    --runs 300 --seed 1 --out "$work/scenarios_cmp" --quiet > /dev/null ||
    bad "neasim compare of scenarios failed (exit $?)"
Rscript tests/figures_reference.R scripts "$work/scenarios_cmp" "$work/compare" \
    > "$work/reference.log" 2>&1
tally reference $?

# every legend within its figure (tests/figures_layout.R, below): compare --levers all draws its arms
# three at a time with the baseline, whose legend ran off the right edge; the same tables with
# every lever's label made long must have their legends wrapped onto rows, not cut
"$NEASIM" compare scenarios/baseline --levers all --runs 200 --seed 1 --out "$work/compare_all" \
    --quiet > /dev/null || bad "neasim compare --levers all failed (exit $?)"

# labels for people: the baseline's labels name what the figures show, tornado labels built
# from them fit their rows, the arm charts of compare --levers all name every arm and its lever
# matrix's column labels fit their columns, the headline chart of a run cut to 7 years reaches its
# end, and a state outcome that runs start in is named with that share (formal-alignment)
# (tests/figures_labels.R)
"$NEASIM" sweep scenarios/baseline --oat --runs 200 --seed 1 --out "$work/baseline_oat" --quiet \
    --params 'modifiers:13,transitions:rok_nuclear_debate:*,effects:11:probability,factors:usfk_posture:reduced' ||
    bad "neasim sweep --oat of the baseline failed (exit $?)"
# ... and a sweep of all its numbers, whose long labels leave each horizon a narrow panel: the
# tornado's value labels must not run together there
"$NEASIM" sweep scenarios/baseline --oat --runs 100 --seed 1 --out "$work/baseline_oat_all" --quiet ||
    bad "neasim sweep --oat of all the baseline's numbers failed (exit $?)"
# (with its routes and signposts, whose charts tests/figures_story.R reads below)
"$NEASIM" run scenarios/formal-alignment --runs 1000 --seed 1 --routes --signposts --quiet \
    --out "$work/formal" || bad "neasim run scenarios/formal-alignment failed (exit $?)"
Rscript tests/figures_labels.R scripts "$work/baseline" "$work/compare" "$work/baseline_oat" \
    "$work/compare_all" "$work/baseline_oat_all" "$work/formal" > "$work/labels.log" 2>&1
tally labels $?

cp -r "$work/compare_all" "$work/compare_long"
Rscript -e 'f <- commandArgs(TRUE)[1]; l <- read.csv(f, stringsAsFactors = FALSE, na.strings = "NA")
    i <- l$kind == "lever"; l$label[i] <- paste(l$label[i], "under the scenario of a long name")
    write.csv(l, f, row.names = FALSE, na = "NA")' "$work/compare_long/labels.csv" ||
    bad "could not lengthen the lever labels of compare_long"

# judgment ranges (run --outer, compare --outer): the bands' bounds are the tables' numbers
# (tests/figures_judgment.R)
"$NEASIM" run tests/models/judgment --outer 12 --runs 300 --seed 3 --horizons 1,2 \
    --out "$work/judgment_run" --quiet &&
"$NEASIM" compare tests/models/judgment --levers fix,double --outer 12 --runs 300 --seed 3 \
    --horizons 1,2 --out "$work/judgment_compare" --quiet > /dev/null ||
    bad "neasim run/compare --outer of tests/models/judgment failed (exit $?)"
"$NEASIM" run scenarios/baseline --outer 6 --runs 100 --seed 1 --out "$work/baseline_outer" --quiet ||
    bad "neasim run --outer of the baseline failed (exit $?)"
# ... and ranges that are mostly the Monte Carlo noise of a draw, drawn apart: a run of the baseline
# at 30 runs a draw (some of its ranges so, some not), a comparison at 5 (every range so)
"$NEASIM" run scenarios/baseline --outer 20 --runs 30 --seed 3 --out "$work/noisy_run" --quiet &&
"$NEASIM" compare tests/models/judgment --levers fix,double --outer 12 --runs 5 --seed 3 \
    --horizons 1 --out "$work/noisy_compare" --quiet > /dev/null ||
    bad "neasim run/compare --outer with few runs a draw failed (exit $?)"
Rscript tests/figures_judgment.R scripts "$work/judgment_run" "$work/judgment_compare" \
    "$work/baseline_outer" "$work/noisy_run" "$work/noisy_compare" > "$work/judgment.log" 2>&1
tally judgment $?

# the layout check of all those folders, with the run --outer and compare --outer ones above, and
# titles, subtitles and captions no wider than their figures
# (and the baseline's routes and signposts: panel titles that fit, indicator labels apart)
"$NEASIM" run scenarios/baseline --routes --signposts --runs 4000 --seed 1 --quiet \
    --out "$work/baseline_story" || bad "run --routes --signposts of the baseline failed"
# (and a grid of the baseline whose row number has a long label, which once left the panels no
# width; and an LHS of its 47 rates, enough points for a ranking of many regressors)
printf '%s\n' 'parameter,values' 'transitions:usfk_posture:current>reduced,0.02;0.05;0.1' \
    'modifiers:43,2;4;6' 'levers,none;us_posture_review' > "$work/baseline_grid.csv"
"$NEASIM" sweep scenarios/baseline --grid "$work/baseline_grid.csv" --runs 300 --seed 1 \
    --out "$work/baseline_grid" --quiet || bad "neasim sweep --grid of the baseline failed (exit $?)"
"$NEASIM" sweep scenarios/baseline --lhs 60 --params 'transitions:*' --runs 300 --seed 1 \
    --out "$work/baseline_lhs_rates" --quiet ||
    bad "neasim sweep --lhs of the baseline's rates failed (exit $?)"
Rscript tests/figures_layout.R scripts "$work/baseline" "$work/compare" "$work/compare_all" \
    "$work/compare_long" "$work/sweep" "$work/judgment_run" "$work/judgment_compare" \
    "$work/baseline_story" "$work/baseline_grid" "$work/baseline_lhs_rates" \
    > "$work/layout.log" 2>&1
tally layout $?

# ... and the brief shows them: the lever table's judgment range is uncertainty_differences.csv's
for d in judgment_run judgment_compare; do
    { Rscript scripts/figures.R "$work/$d" && Rscript scripts/brief.R "$work/$d"; } \
        > "$work/$d.log" 2>&1 || bad "figures/brief of $d failed"
done
want=$(tr -d '\r' < "$work/judgment_compare/uncertainty_differences.csv" | awk -F, '
    # as nsm_pp writes a change: 0.0 only when zero, ties half away from zero, a near-zero end
    # with a significant digit
    function ra(x, d,   s) { s = 10 ^ d; return (x < 0 ? -1 : 1) * int((x < 0 ? -x : x) * s + 0.5 + 1e-9) / s }
    function pp(x,   d, r) { if (x == 0) return "0.0"; d = 1; r = ra(x, 1)
                             if (r == 0) { d = 2; while (d < 9 && (x < 0 ? -x : x) < 10 ^ -d) d++
                                           r = ra(x, d); if ((r < 0 ? -r : r) >= 10 ^ (1 - d)) r = ra(x, --d) }
                             return sprintf("%+." d "f", r) }
    NR > 1 { printf "judgment %s to %s\n", pp(100 * $14), pp(100 * $16); exit }')
if grep -qF "$want" "$work/judgment_compare/brief.html"; then ok; else bad "compare brief: no '$want'"; fi
if grep -Eq 'class="judgment">judgment [0-9.]+–[0-9.]+<' "$work/judgment_run/brief.html"; then ok
else bad "run brief: no judgment range in the headline table"; fi
# ... and its Monte Carlo interval is that of the mean over the draws (uncertainty.csv's mean_ci)
want=$(tr -d '\r' < "$work/judgment_run/uncertainty.csv" | awk -F, '
    NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $c["horizon_years"] == 2 { printf "class=\"ci\">%.1f&ndash;%.1f<", 100 * $c["mean_ci_low"], 100 * $c["mean_ci_high"] }')
if [ -n "$want" ] && grep -qF "$want" "$work/judgment_run/brief.html"; then ok
else bad "run brief: the headline's Monte Carlo interval is not uncertainty.csv's mean_ci ('$want')"; fi

# grid, LHS and design sweeps: figures checked against sweep.csv (tests/figures_sweeps.R), and an
# LHS of the baseline's 158 numbers, whose scatter pages show the 12 most correlated with each
# outcome (too few points for a ranking: the brief says so, and that it has no figure and why)
"$NEASIM" sweep scenarios/baseline --lhs 30 --runs 100 --seed 1 --out "$work/baseline_lhs" --quiet ||
    bad "neasim sweep --lhs of the baseline failed (exit $?)"
Rscript tests/figures_sweeps.R scripts "$work/known_grid" "$work/known_lhs" "$work/known_design" \
    "$work/known_sobol_a" "$work/baseline_lhs" "$work/baseline_grid" "$work/baseline_lhs_rates" \
    > "$work/sweeps.log" 2>&1
tally sweeps $?
{ Rscript scripts/figures.R "$work/baseline_lhs" && Rscript scripts/brief.R "$work/baseline_lhs"; } \
    > "$work/baseline_lhs.log" 2>&1 || bad "figures/brief of the baseline's LHS sweep failed"
if grep -q 'too few for a rank regression' "$work/baseline_lhs/brief.html"; then ok
else bad "baseline_lhs/brief.html: does not say why it has no ranking"; fi
if grep -q '^Warning' "$work/baseline_lhs.log"; then
    bad "R warnings for the baseline's LHS sweep:"; grep -A2 '^Warning' "$work/baseline_lhs.log" | head -6
else ok; fi
# ... and the brief of an LHS sweep with enough points names the numbers its rank regression ranks
# first, with their coefficients, intervals and fit (tests/brief_check.py ranking redoes the rank
# regression from sweep.csv; with too few points, that the brief ranks nothing): the baseline's
# rates (46 regressors on 60 points: no bootstrap interval, and the caution of too few points)
Rscript scripts/brief.R "$work/baseline_lhs_rates" > "$work/baseline_lhs_rates_brief.log" 2>&1 ||
    bad "brief of the baseline's LHS sweep of its rates failed"
for d in baseline_lhs baseline_lhs_rates; do
    if python3 tests/brief_check.py ranking "$work/$d" > "$work/$d.ranking.log" 2>&1; then ok
    else bad "$d/brief.html: its ranking sentences:"
         sed 's/^/    /' "$work/$d.ranking.log" | tail -6; fi
done

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
# grid and LHS sweeps through `make figures` (which exited 66 on them before)
figures_only() {
    make -s --no-print-directory figures RESULTS="$1" > "$1.log" 2>&1
    echo $? > "$1.rc"
}
{ render "$work/compare"; render "$work/two_state"; figures_only "$work/known_grid"; } &
# (the LHS sweep's brief too: its ranking sentences, checked below)
{ figures_only "$work/known_lhs"
  Rscript scripts/brief.R "$work/known_lhs" >> "$work/known_lhs.log" 2>&1 ||
      echo 1 > "$work/known_lhs.rc"; }
wait
echo "figures: rendered 4 folders in $(( $(date +%s) - start )) s"
for d in two_state sweep baseline compare known_grid known_lhs; do
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
check_figures "$work/compare" outcomes_by_horizon outcomes_over_time lever_forest lever_matrix_2y \
    lever_matrix_10y lever_effects lever_effects_over_time lever_event_effects \
    state_probabilities_baseline events_cumulative
check_figures "$work/sweep" tornado_reached_s3 tornado_left_s1 sensitivity_reached_s3 \
    sensitivity_left_s1 events_per_year
check_figures "$work/known_grid" sweep_grid_a_on sweep_grid_b_on sweep_grid_c_on
check_figures "$work/known_lhs" sweep_ranking sweep_scatter_a_on sweep_scatter_b_on sweep_scatter_c_on
for d in two_state baseline compare sweep known_lhs; do check_brief "$work/$d"; done
if python3 tests/brief_check.py ranking "$work/known_lhs" > "$work/known_lhs.ranking.log" 2>&1
then ok
else bad "known_lhs/brief.html: its ranking sentences:"
     sed 's/^/    /' "$work/known_lhs.ranking.log" | tail -6; fi

# a table the folder does not hold is skipped with a message (two_state has no counted events)
if grep -q 'event_counts.csv has no rows' "$work/two_state.log" &&
   [ ! -e "$work/two_state/figures/events_cumulative.png" ]; then ok; else
    bad "two_state: no message for the empty event_counts.csv, or a figure drawn from it"; fi
if grep -q 'no outcomes.csv' "$work/sweep.log"; then ok; else bad "sweep: no message for the missing outcomes.csv"; fi
# the brief's header says what its runs count: per point over the points of a sweep
if grep -Eq 'class="sub">[^<]*400 runs per point × [0-9]+ points' "$work/sweep/brief.html"; then ok
else bad "sweep/brief.html: the header does not say the runs are per point"; fi
# the sweep brief says what a tornado's low and high values are: percentiles, not a range's ends
if grep -q 'one at a time from the 5th to the 95th percentile of each' "$work/sweep/brief.html"; then ok
else bad "sweep/brief.html: the tornado sentence does not say its values are the 5th and 95th percentiles"; fi
# ... names each number apart from its swept range (once "...: 0.5 to 1.5 moves ..."), and a
# Sobol folder's brief says which numbers matter most by their total index, with what it means
Rscript scripts/brief.R "$work/baseline_oat" > "$work/baseline_oat_brief.log" 2>&1
if grep -Eq '\(swept [-0-9.e]+ to [-0-9.e]+\) moves' "$work/baseline_oat/brief.html" &&
   ! grep -Eq ': [-0-9.e]+ to [-0-9.e]+ (moves|for)' "$work/baseline_oat/brief.html"; then ok
else bad "baseline_oat/brief.html: a number's name glued to its range in a sentence"; fi
top=$(tr -d '\r' < "$work/sweep/sensitivity.csv" | awk -F, 'NR > 1 && $5 == "total" && $6 != "NA" &&
    $3 >= h { if ($3 > h) { h = $3; best = "" } if (best == "" || $6 + 0 > b) { b = $6 + 0; best = $6 } }
    END { printf "%.2f", best }')
if grep -q 'Sobol total index: the share of the outcome' "$work/sweep/brief.html" &&
   grep -Eq "” , $top \(|”, $top \(" "$work/sweep/brief.html"; then ok
else bad "sweep/brief.html: no Sobol sentence, or its first total index is not sensitivity.csv's largest ($top)"; fi

# the headline numbers of the brief are those of outcomes.csv
for d in two_state baseline; do
    cell=$(headline_cell "$work/$d/outcomes.csv" "")
    if [ -n "$cell" ] && grep -qF "$cell" "$work/$d/brief.html"; then ok; else
        bad "$d/brief.html lacks the headline cell '$cell' of outcomes.csv"; fi
done
cell=$(headline_cell "$work/compare/outcomes.csv" baseline)
if [ -n "$cell" ] && grep -qF "$cell" "$work/compare/brief.html"; then ok; else
    bad "compare/brief.html lacks the baseline headline cell '$cell'"; fi
# ... and the lever table those of briefing.csv (a row away from a rounding boundary and from
# zero, so that sprintf rounds it as nsm_pp does; column 8 is difference_pp)
lever=$(tr -d '\r' < "$work/compare/briefing.csv" | awk -F, '
    NR > 1 && ($8 >= 0.1 || $8 <= -0.1) { y = 10 * $8; y = y - int(y); if (y < 0) y = -y
             if ((y - 0.5) ^ 2 > 1e-4) { printf "<span class=\"pp\">%+.1f pp</span>\n", $8; exit } }')
if [ -n "$lever" ] && grep -qF "$lever" "$work/compare/brief.html"; then ok; else
    bad "compare/brief.html lacks the lever cell '$lever' of briefing.csv"; fi
title=$(tr -d '\r' < "$work/baseline/manifest.csv" | awk -F, '$1 == "scenario_title" { sub(/^scenario_title,/, ""); gsub(/"/, ""); print }')
if grep -qF "<h1>$title</h1>" "$work/baseline/brief.html"; then ok; else bad "baseline/brief.html: no title '$title'"; fi

# routes and signposts: legends by name on the data they name, and a state outcome that runs
# start in named with that share on a run of formal-alignment (tests/figures_story.R), and
# scripts/figures.R draws both charts for a run with --routes --signposts
"$NEASIM" run tests/models/signposts --runs 2000 --seed 3 --signposts --quiet --out "$work/story_sp" &&
"$NEASIM" run tests/models/routes --runs 2000 --seed 3 --routes --signposts --quiet --out "$work/story_rt" &&
"$NEASIM" run tests/models/signpost_twins --runs 2000 --seed 3 --signposts --quiet --out "$work/story_tw" ||
    bad "neasim run --routes --signposts failed (exit $?)"
Rscript tests/figures_story.R scripts "$work/story_sp" "$work/story_rt" "$work/formal" "$work/story_tw" \
    > "$work/story.log" 2>&1
if [ $? -eq 0 ]; then ok; else bad "tests/figures_story.R:"; sed 's/^/    /' "$work/story.log" | tail -8; fi
Rscript scripts/figures.R "$work/story_rt" > /dev/null 2>&1
if [ -e "$work/story_rt/figures/routes.png" ] && [ -e "$work/story_rt/figures/signposts.png" ]; then ok; else
    bad "figures.R drew no routes.png or signposts.png for a run with --routes --signposts"; fi

# a second rendering replaces its own files and leaves others' alone
touch "$work/two_state/figures/analyst_notes.png"
n_before=$(ls "$work/two_state/figures" | wc -l)
Rscript scripts/figures.R "$work/two_state" > /dev/null 2>&1
if [ "$(ls "$work/two_state/figures" | wc -l)" -eq "$n_before" ] &&
   [ -e "$work/two_state/figures/analyst_notes.png" ]; then ok; else
    bad "re-rendering changed the files of figures/: $(ls "$work/two_state/figures" | tr '\n' ' ')"; fi

# labels in Korean (and accents): every character is in an installed font, or the figures would
# draw empty boxes (make deps installs fonts-noto-cjk), and figures.R says so when one is not
rm -rf "$work/hangul"; cp -r tests/models/two_state "$work/hangul"
printf 'lever,target,operation,value,from_date,description,source,label\n%s\n%s\n' \
    'faster,transitions:f:a>b,multiply,1.5,,x,test,한미 협력 강화' \
    'later,transitions:f:a>b,multiply,2,2026-01-01,x,test,Coût partagé' > "$work/hangul/levers.csv"
printf 'outcome,condition,description,label\nin_b,f=b,x,b 상태 (état b)\n' > "$work/hangul/outcomes.csv"
"$NEASIM" compare "$work/hangul" --levers faster,later --runs 500 --seed 3 --quiet --out "$work/hangul_c" \
    > /dev/null 2>&1 || bad "neasim compare of the Korean-labelled model failed"
Rscript scripts/figures.R "$work/hangul_c" > "$work/hangul.log" 2>&1
rc=$?
if [ "$rc" -eq 0 ] && [ -s "$work/hangul_c/figures/lever_effects.png" ] &&
   ! grep -q 'no installed font\|fc-list is not installed' "$work/hangul.log"; then ok; else
    bad "Korean labels: exit $rc, or a font lacks their characters:"; tail -3 "$work/hangul.log" | sed 's/^/    /'; fi
# one replication (compare --runs 1): every interval is NA, so each interval column is NA throughout,
# which R reads as logical; the figures and the brief must still be drawn (a continuous scale
# refused the logical: "Discrete value supplied to continuous scale")
"$NEASIM" compare tests/models/two_state --levers faster --runs 1 --seed 3 --quiet --out "$work/one_rep" \
    > /dev/null 2>&1 || bad "neasim compare --runs 1 of two_state failed"
{ Rscript scripts/figures.R "$work/one_rep" && Rscript scripts/brief.R "$work/one_rep"; } > "$work/one_rep.log" 2>&1
rc=$?
if [ "$rc" -eq 0 ] && [ -s "$work/one_rep/figures/lever_effects.png" ] && [ -s "$work/one_rep/brief.html" ]; then ok; else
    bad "compare --runs 1: figures and brief (exit $rc):"; tail -3 "$work/one_rep.log" | sed 's/^/    /'; fi
# the check itself: a character no font has (U+10FFFD, private use) is found, and said
Rscript -e 'source("scripts/figures_common.R")
    stopifnot(identical(nsm_uncovered_chars(intToUtf8(c(0x10FFFD, 0xD55C, 0x41))), 0x10FFFDL),
              identical(nsm_uncovered_chars(intToUtf8(c(0xD55C, 0xAD6D, 0xFB, 0x4E2D, 0x3042))), integer(0)))
    nsm_font_check(intToUtf8(0x10FFFD))' > "$work/font.log" 2>&1
if [ $? -eq 0 ] && grep -q 'no installed font has 1 character .*U+10FFFD.*empty box' "$work/font.log"; then ok; else
    bad "nsm_uncovered_chars / nsm_font_check:"; sed 's/^/    /' "$work/font.log" | tail -4; fi

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
