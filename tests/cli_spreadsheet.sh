# tests/cli_spreadsheet.sh: the CSVs as spreadsheets and R read them. No comment line in any
# output (design.csv's note on the options is in the manifest; --resume keeps its own copy), R's
# read.csv and readr read every table of a run, a comparison and sweeps with the right types
# (tests/spreadsheet_read.R), and a table saved by a spreadsheet set to a decimal-comma language
# (separated by semicolons) is refused at its first semicolon with what to do, not with a
# confusing quote error.
source "$(dirname "$0")/cli-lib.sh"

command -v Rscript >/dev/null && Rscript -e 'library(readr)' >/dev/null 2>&1 ||
    skip_suite "needs Rscript with readr (make deps installs them)"

# --- design.csv: a plain CSV; the options --resume checks are kept apart -----------------------
sw=(sweep tests/models/uncertain --oat --runs 50 --seed 3 --quiet)
"$NEASIM" "${sw[@]}" --out "$work/oat"
check_that "design.csv starts with its header (no comment line)" \
    grep -q '^point,' <(head -1 "$work/oat/design.csv")
# tests/models/uncertain runs 2 years: of the default 2, 5, 10 and the end, only 2 remain
check_that "the manifest has the sweep's horizons, as the tables hold them" \
    grep -q '^horizons,2.$' "$work/oat/manifest.csv"
check_that "the manifest says the swept numbers are the design's, the others at their means" \
    grep -q '^uncertainty,swept (the design' "$work/oat/manifest.csv"
check_that "the manifest says what design.csv is" grep -q '^design_csv,' "$work/oat/manifest.csv"
check_that "no options file is left in the results" test ! -e "$work/oat/.sweep-options"
NEASIM_TEST_STOP_AFTER_POINTS=1 "$NEASIM" "${sw[@]}" --out "$work/part" 2>/dev/null
expect "--resume with another seed is refused" 64 "design or the options differ" -- \
    sweep tests/models/uncertain --oat --runs 50 --seed 4 --quiet --out "$work/part" --resume
expect "--resume with other horizons is refused" 64 "design or the options differ" -- \
    sweep tests/models/uncertain --oat --runs 50 --seed 3 --horizons 1 --quiet --out "$work/part" --resume
expect "--resume with the same options continues" 0 "" -- "${sw[@]}" --out "$work/part" --resume
check_that "a resumed sweep equals an uninterrupted one" \
    cmp -s "$work/part/tornado.csv" "$work/oat/tornado.csv"

# --- R reads every output with the right types ------------------------------------------------
printf 'transitions:f:a>b,levers\n1.5,double\n2.5,none\n' > "$work/design.csv"
"$NEASIM" sweep tests/models/uncertain --design "$work/design.csv" --runs 50 --quiet --out "$work/des"
"$NEASIM" sweep tests/models/uncertain --sobol 8 --runs 50 --quiet --out "$work/sobol"
"$NEASIM" run scenarios/baseline --runs 200 --outer 2 --paths 2 --quiet --out "$work/run"
"$NEASIM" compare tests/models/known_levers --levers all --runs 200 --outer 2 --quiet --out "$work/cmp"
check_that "read.csv and readr read every table of run, compare and sweep folders with its types" \
    Rscript tests/spreadsheet_read.R "$work/run" "$work/cmp" "$work/oat" "$work/des" "$work/sobol"

# --- tab-separated tables ('Text (tab delimited)'): refused at the first tab, with what to do ----
bad "tab-separated scenario table" factors.csv 's/,/\t/g' \
    "factors.csv:1:7: error: this file is separated by tabs .*save it as CSV \(comma delimited\)"
bad "a tab before the header is a blank, not a separator" factors.csv '1s/^/\t/; 2s/^f,a,1/f,aa,1/' \
    "transitions.csv:2:3: error: unknown level 'a' of factor 'f'; did you mean 'aa'"

# --- semicolon-separated tables ----------------------------------------------------------------
bad "semicolon scenario table" factors.csv 's/,/;/g' \
    'factors.csv:1:7: error: this file is separated by semicolons .*save it as CSV with field delimiter'
bad "semicolon table with a byte-order mark" transitions.csv '1s/^/\xEF\xBB\xBF/; s/,/;/g' \
    "transitions.csv:1:7: error: this file is separated by semicolons"
bad "semicolon table after blank lines" factors.csv '1s/^/\n\n/; s/,/;/g' \
    "factors.csv:3:7: error: this file is separated by semicolons"
printf 'transitions:f:a>b;levers\n1,5;double\n' > "$work/semi.csv"
expect "semicolon design file" 65 \
    'semi.csv:1:18: error: this file is separated by semicolons \(as a spreadsheet in a language with decimal commas' -- \
    sweep tests/models/uncertain --design "$work/semi.csv" --runs 10 --quiet --out "$work/x"
printf 'parameter;values\ntransitions:f:a>b;1\n' > "$work/semigrid.csv"
expect "semicolon grid file" 65 "semigrid.csv:1:10: error: this file is separated by semicolons" -- \
    sweep tests/models/uncertain --grid "$work/semigrid.csv" --runs 10 --quiet --out "$work/x"
printf 'quantity;name;window_end;observed\noutcome;moved;2026-01-01;yes\n' > "$work/obs.csv"
expect "semicolon observed file" 65 "obs.csv:1:9: error: this file is separated by semicolons" -- \
    score "$work/run" --observed "$work/obs.csv" --out "$work/x"
# a semicolon inside a quoted header name, or in the cells of a comma table, is no separator
printf 'transitions:f:a>b,levers\n1.5,"double"\n' > "$work/comma.csv"
expect "a comma design file is read" 0 "" -- \
    sweep tests/models/uncertain --design "$work/comma.csv" --runs 10 --quiet --out "$work/y"

cli_done spreadsheet
