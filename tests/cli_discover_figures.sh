#!/usr/bin/env bash
# tests/cli_discover_figures.sh: the figures of scenario discovery (scripts/figures_prim.R) on a
# real `neasim discover` of an LHS sweep of tests/models/discover, where the outcome `both` needs
# two swept hazards high, and of one of the baseline: tests/figures_prim.R checks from the built
# plots that each dot, ring, bar and legend entry sits on the data it names, the line follows
# PRIM's path, legends fit and the outcome goes by its label; `make figures` on the sweep folder draws the
# discover figures beside the sweep's own, and on the discover folder alone draws them too.
# Skipped (exit 77) without R and ggplot2. Run as `bash tests/cli_discover_figures.sh BUILD_DIR`.
source "$(dirname "$0")/cli-lib.sh"
if ! r_has ggplot2 readr scales; then
    skip_suite "R with ggplot2, readr and scales is not installed (make deps)"
fi
export LC_ALL=C.UTF-8   # C numbers; the baseline's labels (arrows) as UTF-8 text, not <U+2192>
"$NEASIM" sweep tests/models/discover --lhs 80 --runs 300 --horizons 1 --seed 5 --quiet --out "$work/sw" &&
    "$NEASIM" discover "$work/sw" --outcome both --threshold 40% --quiet ||
    { echo "FAIL discover figures: the sweep or discover did not run"; exit 1; }
check_that "discover figures: the box restricts two numbers" \
    [ "$(grep -c ',lower,[0-9]' "$work/sw/discover-both/prim_box.csv")" -eq 2 ]
if Rscript tests/figures_prim.R scripts "$work/sw/discover-both" > "$work/map.log" 2>&1; then
    pass=$((pass + 1))
else
    echo "FAIL tests/figures_prim.R:"; grep -v '^figures: no' "$work/map.log" | tail -15 | sed 's/^/    /'
    fail=$((fail + 1))
fi
# the baseline: 158 swept numbers, a trajectory whose boxes restrict up to 21 of them (a legend
# entry each ran off the figure's edge), restrictions dropped after the knee (the line drew from
# the last peel to the first drop), and an outcome with a label ("Seoul decides to go nuclear")
"$NEASIM" sweep scenarios/baseline --lhs 120 --runs 500 --seed 2 --quiet --out "$work/base" &&
    "$NEASIM" discover "$work/base" --outcome rok_nuclear_decision --threshold 25% --max-qp 0.2 --quiet ||
    { echo "FAIL discover figures: the baseline's sweep or discover did not run"; exit 1; }
check_that "discover figures: the baseline's trajectory drops restrictions" \
    grep -q ',drop,' "$work/base/discover-rok_nuclear_decision/prim_trajectory.csv"
if Rscript tests/figures_prim.R scripts "$work/base/discover-rok_nuclear_decision" > "$work/base.log" 2>&1; then
    pass=$((pass + 1))
else
    echo "FAIL tests/figures_prim.R on the baseline:"; grep -v '^figures: no' "$work/base.log" | tail -15 | sed 's/^/    /'
    fail=$((fail + 1))
fi
Rscript scripts/figures.R "$work/sw" > "$work/sw.log" 2>&1
check_that "discover figures: make figures on the sweep draws its discover folders" \
    grep -q '^"prim_tradeoff_both",' "$work/sw/figures/index.csv"
for f in prim_tradeoff_both prim_box_both; do
    check_all "discover figures: $f.png and .pdf" \
        '[ -s "$work/sw/figures/$f.png" ] && [ -s "$work/sw/figures/$f.pdf" ]'
done
Rscript scripts/figures.R "$work/sw/discover-both" > "$work/d.log" 2>&1
check_all "discover figures: make figures on a discover folder" \
    '[ -s "$work/sw/discover-both/figures/prim_tradeoff.png" ] &&
     [ -s "$work/sw/discover-both/figures/prim_box.png" ]'
cli_done "discover figures"
