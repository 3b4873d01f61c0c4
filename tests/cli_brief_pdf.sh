# tests/cli_brief_pdf.sh: brief.pdf, the brief on paper, as its reader sees it. `make brief`
# prints it beside brief.html with headless Chromium (scripts/brief_pdf.sh), here for a run and
# for a compare --levers all of the baseline, and tests/brief_pdf_check.py reads it with poppler's
# tools: A4 pages, every folded part printed open (and no note asking to open one but on screen),
# every block of text whole and in order (none cut at the right edge), table headers on every
# page, the outcomes table's numbers as outcomes.csv has them, every figure once and whole, no
# page shrunk to fit. A Chromium that fails (an error, a truncated file, a hang) fails make brief
# and leaves the brief.pdf before it byte for byte; no Chromium at all is a one-line note,
# brief.html alone and exit 0; PDF=0 prints nothing. BRIEF_KEEP=1 keeps the folder, to look at
# the PDFs.
source "$(dirname "$0")/cli-lib.sh"

export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
skip_unless_brief_tools pdftotext pdfinfo pdfimages
if [ "${BRIEF_KEEP:-0}" = 1 ]; then trap - EXIT; echo "brief pdf: kept in $work"; fi

# pdf_checks NAME DIR LOG: make brief's log says it wrote brief.pdf, nothing temporary is left
# beside it, and tests/brief_pdf_check.py passes
pdf_checks() {
    local name=$1 dir=$2 log=$3
    check_that "$name: make brief wrote brief.pdf" \
        bash -c "grep -q '^brief: wrote .*/brief.pdf (' '$log' && test -s '$dir/brief.pdf'"
    check_that "$name: no temporary file left beside brief.pdf" \
        bash -c "! ls -A '$dir' | grep -q 'brief.pdf.tmp'"
    python3 tests/brief_pdf_check.py "$dir" > "$work/$name-check.log" 2>&1
    sed -n "s/^FAIL /FAIL $name: /p" "$work/$name-check.log"
    echo "$name: $(sed -n 's|^brief: wrote .*/brief.pdf (\(.*\))$|brief.pdf \1,|p' "$log")" \
         "$(sed -n 's/^pdf: \([0-9]* pages.*\)/\1/p' "$work/$name-check.log")"
    check_that "$name: what a reader of brief.pdf sees ($(tail -1 "$work/$name-check.log"))" \
        grep -q ', 0 failed$' "$work/$name-check.log"
}

# --- a run: make brief, brief.html and brief.pdf
dir="$work/run"
"$NEASIM" run scenarios/baseline --runs 2000 --seed 2025 --out "$dir" --quiet
make -s brief RESULTS="$dir" > "$work/run.log" 2>&1
check_that "run: make brief succeeds (exit $?)" test -s "$dir/brief.html"
pdf_checks run "$dir" "$work/run.log"

# --- a print killed midway (kill -9: no trap) leaves its hidden temporary: the next print removes
# it, its process being gone, and leaves alone one whose process runs (a print into the same folder)
sleep 0 & gone=$!
wait "$gone"
echo partial > "$dir/.brief.pdf.tmp.$gone"
echo partial > "$dir/.brief.pdf.tmp.$$"
bash scripts/brief_pdf.sh "$dir" > "$work/stale.log" 2>&1
check_that "a killed print's temporary is removed by the next print" test ! -e "$dir/.brief.pdf.tmp.$gone"
check_that "a running print's temporary is left to it" test -e "$dir/.brief.pdf.tmp.$$"
rm -f "$dir/.brief.pdf.tmp.$$"

# --- a comparison of every lever: each lever's table folded, 25 figures, 7 embedded (the pages of
# figures drawn over pages of arms are linked)
dir="$work/cmp"
"$NEASIM" compare scenarios/baseline --levers all --runs 1000 --seed 2025 --out "$dir" --quiet
make -s brief RESULTS="$dir" > "$work/cmp.log" 2>&1
rc=$?
check_that "compare: make brief succeeds (exit $rc)" test "$rc" -eq 0
pdf_checks compare "$dir" "$work/cmp.log"
[ -s "$dir/brief.pdf" ] || { tail -20 "$work/cmp.log"; cli_done brief_pdf; exit 1; }
cp "$dir/brief.pdf" "$work/before.pdf"

# same_pdf NAME: brief.pdf is still the one printed above, and nothing temporary is left
same_pdf() {
    check_that "$1: brief.pdf left byte for byte as it was, nothing temporary beside it" \
        bash -c "cmp -s '$work/before.pdf' '$dir/brief.pdf' && ! ls -A '$dir' | grep -q 'brief.pdf.tmp'"
}

# --- Chromium fails: make brief fails, saying so, and the brief.pdf before it stays
make -s brief RESULTS="$dir" CHROMIUM=/bin/false > "$work/false.log" 2>&1
rc=$?
check_that "Chromium fails (CHROMIUM=/bin/false): make brief fails (exit $rc)" test "$rc" -ne 0
check_that "Chromium fails: one line says so" \
    grep -q "^brief: /bin/false failed to print .*brief.pdf (exit 1): brief.pdf left as it was" \
    "$work/false.log"
check_that "Chromium fails: brief.html is written all the same" grep -q '^brief: wrote .*brief.html' "$work/false.log"
same_pdf "Chromium fails"

# browsers that write part of a PDF: exit 0 with a truncated file, a crash midway, a hang
pdf_arg='for a in "$@"; do case $a in --print-to-pdf=*) out=${a#--print-to-pdf=} ;; esac; done'
printf '#!/bin/bash\n%s\nhead -c 20000 %q > "$out"\nexit 0\n' "$pdf_arg" "$work/before.pdf" > "$work/truncates"
printf '#!/bin/bash\n%s\nhead -c 20000 %q > "$out"\nexit 139\n' "$pdf_arg" "$work/before.pdf" > "$work/crashes"
printf '#!/bin/bash\n%s\nhead -c 20000 %q > "$out"\nexec sleep 60\n' "$pdf_arg" "$work/before.pdf" > "$work/hangs"
chmod +x "$work/truncates" "$work/crashes" "$work/hangs"
for fake in truncates crashes hangs; do
    CHROMIUM="$work/$fake" BRIEF_PDF_TIMEOUT=2 bash scripts/brief_pdf.sh "$dir" \
        > "$work/$fake.log" 2>&1
    rc=$?
    check_that "a Chromium that $fake: brief_pdf.sh fails (exit $rc) and says why" \
        bash -c "[ $rc = 1 ] && tail -1 '$work/$fake.log' | grep -q 'brief.pdf left as it was'"
    same_pdf "a Chromium that $fake"
done
check_that "a Chromium that hangs is stopped after BRIEF_PDF_TIMEOUT" \
    grep -q 'still running after 2 s, stopped' "$work/hangs.log"

# --- no Chromium: a one-line note on how to get it, exit 0, brief.html alone
CHROMIUM="$work/no-such-chromium" bash scripts/brief_pdf.sh "$dir" > "$work/none.log" 2>&1
rc=$?
check_that "no Chromium: exit 0 (exit $rc), one line naming make deps ($(cat "$work/none.log"))" \
    bash -c "[ $rc = 0 ] && [ \$(wc -l < '$work/none.log') = 1 ] &&
             grep -q '^brief: no Chromium at .*: wrote brief.html only .*make deps installs it' '$work/none.log'"
same_pdf "no Chromium"

# --- PDF=0: make brief prints no PDF
check_that "PDF=0: make brief does not print brief.pdf" \
    bash -c "make -n brief RESULTS=x | grep -q 'brief_pdf.sh x' &&
             ! make -n brief RESULTS=x PDF=0 | grep -q brief_pdf"

cli_done brief_pdf
