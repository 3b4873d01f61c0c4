# tests/skip-lib.sh: the one way a suite says it could not check something (sourced by every
# shell suite that may skip, before or after cli-lib.sh). A test that cannot run is counted as
# skipped, never as passed, and the reader of make test's last lines must see it:
#   skip_suite REASON  nothing (more) was checked: a banner no one can miss, and exit 77, which
#                      tests/run-tests.sh counts as skipped and names again at the end;
#   skip_part WHAT REASON
#                      the suite goes on without WHAT: one line "SKIPPED PART: suite: WHAT
#                      (REASON)", which tests/run-tests.sh collects from the suite's output and
#                      reprints beside the closing line, so that a suite that passed having
#                      checked less than it should is seen there, not only 300 lines up.
#   skip_unless_brief_tools [TOOL...]
#                      skip_suite unless what a suite that renders a brief needs is there (below).
# REASON says what is missing and how to get it (make deps installs every tool a suite needs).
# tests/suites.sh holds every suite to this: no other file prints SKIPPED or exits 77.
skip_suite_name=$(basename "$0" .sh)

skip_suite() {
    local bar
    bar=$(printf '*%.0s' {1..72})
    printf '\n%s\n*** SKIPPED: %s: nothing (more) was checked:\n*** %s\n%s\n\n' \
        "$bar" "$skip_suite_name" "$*" "$bar"
    exit 77
}

skip_part() {
    local what=$1
    shift
    echo "SKIPPED PART: $skip_suite_name: $what ($*)"
}

# r_has PACKAGE...: Rscript is here with every one of the R packages. find.package() with a list
# fails only when none of them is installed (one missing is a warning and exit 0), so a suite
# asking for five went on without one of them and failed where it should have been skipped.
r_has() {
    command -v Rscript >/dev/null &&
        Rscript -e 'p <- commandArgs(TRUE); quit(status = length(find.package(p, quiet = TRUE)) != length(p))' \
            "$@" >/dev/null 2>&1
}

# skip_unless_brief_tools [TOOL...]: what a suite that renders a brief and reads it needs, each
# missing one a skip_suite that names it and how to get it: headless Chromium at $CHROMIUM, each
# TOOL (poppler's pdftotext, pdfinfo and pdfimages, to read brief.pdf), python3, and R with the
# packages of the figures and the brief (tests/cli_brief.sh, tests/cli_brief_pdf.sh).
skip_unless_brief_tools() {
    local tool
    [ -x "$CHROMIUM" ] || skip_suite "no headless browser at $CHROMIUM (make deps installs chromium)"
    for tool in "$@"; do
        command -v "$tool" >/dev/null ||
            skip_suite "no $tool to read the PDF (make deps installs poppler-utils)"
    done
    command -v python3 >/dev/null || skip_suite "no python3 (make deps)"
    r_has ggplot2 readr scales base64enc htmltools ||
        skip_suite "R with ggplot2, readr, scales, base64enc and htmltools is not installed (make deps)"
}
