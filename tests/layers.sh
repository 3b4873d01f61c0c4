#!/usr/bin/env bash
# The layers of src/ (src/README.md): every #include of a folder names a public header of its own
# layer or of a layer it may use, and private headers only of its own folder (plus the one named
# exception). A header belongs to the folder of the .c file of the same name (status.h: base/diag.c;
# summary.h: summary/). Fails naming the file, the header and the layer it belongs to.
# Usage: tests/layers.sh [BUILD_DIR]   (from the project root; BUILD_DIR is not used)
set -u
declare -A may=(
    [base]="base"
    [io]="io base"
    [model]="model base"
    [scenario]="scenario model io base"
    [sim]="sim model base"
    [summary]="summary sim model base"
    [output]="output summary sim model io base"
    [sweep]="sweep output summary sim scenario model io base"
    [cli]="cli sweep output summary sim scenario model io base"
)
layer_of() { # header name (without .h) -> its folder
    case $1 in
        status) echo base; return ;;
        summary) echo summary; return ;;
    esac
    local f
    f=$(ls src/*/"$1".c 2>/dev/null | grep -v "^src/cli/" | head -1) # cli/ owns no public header
    [ -n "$f" ] && basename "$(dirname "$f")" || echo "?"
}
pass=0
fail=0
for f in src/*/*.[ch]; do
    from=$(basename "$(dirname "$f")")
    for h in $(grep -o '#include "neasim/[a-z_]*\.h"' "$f" | sed 's/.*neasim\///; s/\.h"//'); do
        to=$(layer_of "$h")
        if [[ " ${may[$from]} " == *" $to "* ]]; then pass=$((pass + 1))
        else echo "FAIL $f includes neasim/$h.h, of $to/, which $from/ may not use"; fail=$((fail + 1)); fi
    done
    for p in $(grep -o '#include "[a-z]*/[a-z_]*\.h"' "$f" | grep -v '"neasim/' | sed 's/#include "//; s/"$//'); do
        dir=${p%%/*}
        if [ "$dir" = "$from" ] || [ "$f:$p" = "src/sweep/points.c:scenario/read.h" ]; then
            pass=$((pass + 1))
        else
            echo "FAIL $f includes $p, private to $dir/"; fail=$((fail + 1))
        fi
    done
done
[ "$pass" -gt 100 ] || { echo "FAIL only $pass includes read"; fail=$((fail + 1)); }
echo "layers: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
