#!/usr/bin/env bash
# Print RESULTS_DIR/brief.html to RESULTS_DIR/brief.pdf, the copy of the brief to circulate:
# make brief runs it after scripts/brief.R. Headless Chromium prints the page by the brief's print
# rules (CSS_PRINT in scripts/brief.R: A4, folded parts open, figures and table rows whole), as a
# reader's own browser would print it.
#
# Chromium runs headless with a scratch profile (removed after), no network (no host name
# resolves: the page holds all it shows) and no sandbox (run as root, Chromium will not start with
# it, and a container often lacks the kernel features it needs; the page is our own file, with no
# script). Its PDF goes to a hidden temporary name beside brief.pdf and is renamed over it only
# when whole: a Chromium that fails, hangs (stopped after BRIEF_PDF_TIMEOUT seconds, default 120)
# or writes a truncated file leaves brief.pdf as it was.
#
# Usage: scripts/brief_pdf.sh RESULTS_DIR
#   CHROMIUM=PATH  the browser (default: chromium, else chromium-browser, on PATH)
# Every line it prints goes to stderr, as brief.R's do.
# Exit 0: brief.pdf written, or no Chromium installed (one line says so and how to get it: the
#   brief is then brief.html alone); 1: Chromium failed; 64: usage; 66: no RESULTS_DIR/brief.html.
set -euo pipefail

if [ $# -ne 1 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
    echo "usage: scripts/brief_pdf.sh RESULTS_DIR" >&2
    [ $# -eq 1 ] && exit 0
    exit 64
fi
dir=$1
html=$dir/brief.html
out=$dir/brief.pdf
if [ ! -f "$html" ]; then
    echo "brief: $html: no such file (scripts/brief.R writes it)" >&2
    exit 66
fi
kept=""
[ -f "$out" ] && kept=" (the brief.pdf there is an older one)"

chromium=${CHROMIUM:-}
if [ -z "$chromium" ]; then
    chromium=$(command -v chromium || command -v chromium-browser || true)
fi
if [ -z "$chromium" ] || [ ! -x "$chromium" ]; then
    echo "brief: no Chromium${chromium:+ at $chromium} to print brief.pdf:" \
         "wrote brief.html only$kept; make deps installs it (apt-get install chromium)," \
         "CHROMIUM=PATH names another" >&2
    exit 0
fi

# in the same folder, so that the rename is atomic, and hidden, so that one left by a kill -9 does
# not stop neasim from replacing the folder (src/io/outdir.c); removed on any other way out (the
# trap's exits make a stop by INT or TERM run it too)
tmp=$dir/.brief.pdf.tmp.$$
# the temporaries of prints killed midway (kill -9 runs no trap): those whose process is gone; a
# print still running into the same folder keeps its own
for old in "$dir"/.brief.pdf.tmp.*; do
    pid=${old##*.}
    case $pid in '' | *[!0-9]*) continue ;; esac
    [ -d "/proc/$pid" ] || rm -f "$old"
done
scratch=$(mktemp -d "${TMPDIR:-/tmp}/nsm-brief-pdf-XXXXXX")
trap 'rm -rf "$scratch" "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

t0=$(date +%s.%N)
rc=0
timeout -k 10 "${BRIEF_PDF_TIMEOUT:-120}" "$chromium" --headless --no-sandbox --disable-gpu \
    --no-first-run --disable-background-networking --disable-component-update --disable-sync \
    --disable-quic --host-resolver-rules='MAP * ~NOTFOUND' --user-data-dir="$scratch/profile" \
    --no-pdf-header-footer --print-to-pdf="$tmp" "$(realpath "$html")" \
    >"$scratch/chromium.log" 2>&1 || rc=$?
# Chromium 156 exits 0 having written nothing when the page does not load or the file cannot be
# written, and a crash or a stop midway leaves part of one: a PDF is whole when it starts with
# its header and ends with its end-of-file marker
if [ "$rc" -ne 0 ] || [ ! -s "$tmp" ] || [ "$(head -c 5 "$tmp")" != "%PDF-" ] ||
   ! tail -c 64 "$tmp" | grep -q '%%EOF'; then
    # what Chromium said, but its complaints of no D-Bus (none in a container; harmless)
    { grep -v -e 'dbus' -e 'bytes written to file' "$scratch/chromium.log" || true; } |
        tail -5 | sed 's/^/    /' >&2
    why="exit $rc"
    [ "$rc" -eq 124 ] && why="still running after ${BRIEF_PDF_TIMEOUT:-120} s, stopped"
    [ "$rc" -eq 0 ] && why="exit 0 but no whole PDF"
    echo "brief: $chromium failed to print $out ($why): brief.pdf left as it was" >&2
    exit 1
fi
mv -f "$tmp" "$out"
echo "brief: wrote $out ($(awk -v b="$(stat -c %s "$out")" 'BEGIN { printf "%.1f MB", b / 1e6 }')," \
     "$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f s", b - a }'))" >&2
