#!/usr/bin/env bash
# tests/cli_rowrefs.sh: scripts/validate_rowrefs.R, the check that the row numbers cited in the
# scenarios' sources ("x1.5 in modifiers.csv row 69") still point at the rows they mean: clean on
# the shipped scenarios, and each kind of stale citation caught on a copy. Skipped (exit 77)
# without Rscript. Run as `bash tests/cli_rowrefs.sh BUILD_DIR` from the project root.
source "$(dirname "$0")/cli-lib.sh"
command -v Rscript >/dev/null || skip_suite "Rscript not found (make deps installs R)"
export NEASIM
here=$PWD
rowrefs() { (cd "$1" && Rscript "$here/scripts/validate_rowrefs.R" scenarios); }

check_that "shipped scenarios: every cited row exists and matches" bash -c "
    cd '$here' && Rscript scripts/validate_rowrefs.R > '$work/ok.txt' && grep -q ', 0 stale$' '$work/ok.txt' &&
    ! grep -q '^rowrefs: 0 row citations' '$work/ok.txt'"

# a copy of the scenarios, edited one way at a time; OUT holds the check's output
fresh() { rm -rf "$work/s"; mkdir -p "$work/s"; cp -r scenarios "$work/s/"; }
stale() {   # stale NAME FILE SED PATTERN: the edit makes the check fail with PATTERN
    local name=$1 file=$2 edit=$3 pattern=$4
    fresh; sed -i "$edit" "$work/s/scenarios/$file"
    grep -q . "$work/s/scenarios/$file" && ! cmp -s "$work/s/scenarios/$file" "scenarios/$file" ||
        { echo "FAIL $name: the edit changed nothing"; fail=$((fail + 1)); return; }
    local out rc; out=$(rowrefs "$work/s" 2>&1); rc=$?
    if [ "$rc" -eq 1 ] && grep -Eq -- "$pattern" <<<"$out"; then pass=$((pass + 1)); else
        echo "FAIL $name: exit $rc"; echo "$out" | tail -3 | sed 's/^/    /'; fail=$((fail + 1)); fi
}
# the formal-alignment lever's source cites the row of its own target (69, after the baseline's 68)
stale "a lever citing another row than its target's" formal-alignment/levers.csv \
    's/modifiers.csv row 69 becomes/modifiers.csv row 62 becomes/' \
    'levers.csv row 3 cites "modifiers.csv row 62": the lever.s target modifiers:surge_under_formal_alignment is row 69'
stale "a row past the end of the resolved table" formal-alignment/modifiers.csv \
    's/coordination (modifiers.csv row 30)/coordination (modifiers.csv row 300)/' \
    'modifiers.csv row 1 cites "modifiers.csv row 300": modifiers.csv has 77 rows'
stale "a bare row of the same table about another factor" formal-alignment/modifiers.csv \
    's/for coordination, row 54)/for coordination, row 40)/' \
    'modifiers.csv row 3 cites "row 40": row 40 is about'
stale "an event citing a modifier of another event" baseline/events.csv \
    's/surge multiplier (modifiers.csv row 34,/surge multiplier (modifiers.csv row 31,/' \
    'events.csv row 2 cites "modifiers.csv row 31": row 31 is about launch_days, this row about icbm_launches'
# a decimal after a row number is not a second row ("row 34, 1.5/yr"); a data file's record is not
# a row of the table ("rok_presidents.csv row 17")
fresh
check_that "decimals and data-file records are not row citations" bash -c "
    cd '$work/s' && Rscript '$here/scripts/validate_rowrefs.R' scenarios | grep -q ', 0 stale$'"
cli_done rowrefs
