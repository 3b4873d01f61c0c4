#!/usr/bin/env bash
# tests/cli_readme_tables.sh: scripts/readme_tables.R, the check that the generated tables of run
# figures in the scenario READMEs are what their commands give with this build: clean on the
# shipped READMEs (a full check, about two minutes on two cores), and, on a copy, stale when a
# cell is altered (in the formal-alignment tables, and in the baseline's tornado, validation and
# data's-spread tables, about a minute more) or when the model changes so that a figure moves,
# fixed again by --write, and refused with file:line for each kind of bad marker. Skipped (exit 77) without Rscript. Run as
# `bash tests/cli_readme_tables.sh BUILD_DIR` from the project root.
source "$(dirname "$0")/cli-lib.sh"
command -v Rscript >/dev/null || { echo "cli_readme_tables: skipped (Rscript not found)"; exit 77; }
export NEASIM
here=$PWD
fa=scenarios/formal-alignment/README.md

check_that "shipped READMEs: every generated table is current" bash -c "
    cd '$here' && Rscript scripts/readme_tables.R --check > '$work/ok.txt' 2>&1 &&
    grep -q ' 0 stale$' '$work/ok.txt' && ! grep -q '^readme_tables: 0 tables' '$work/ok.txt'"

# a copy of the scenarios; tables() runs the script in it on the formal-alignment README (its
# three tables take a few seconds); OUT holds the output, RC the exit status
fresh() { rm -rf "$work/s"; mkdir -p "$work/s"; cp -r scenarios "$work/s/"; }
tables() { OUT=$(cd "$work/s" && Rscript "$here/scripts/readme_tables.R" "$@" 2>&1); RC=$?; }
edited() {  # edited FILE SED: apply the edit to the copy; fail the case if it changed nothing
    sed -i "$2" "$work/s/$1"
    if cmp -s "$work/s/$1" "$1"; then echo "FAIL the edit '$2' changed nothing in $1"; fail=$((fail + 1)); return 1; fi
}
expect_out() {  # expect_out NAME RC PATTERN: the last run of tables() exited RC, output matches
    if [ "$RC" -eq "$2" ] && grep -Eq -- "$3" <<<"$OUT"; then pass=$((pass + 1)); else
        echo "FAIL $1: exit $RC, expected $2 and /$3/"; echo "$OUT" | tail -3 | sed 's/^/    /'; fail=$((fail + 1)); fi
}

fresh
edited "$fa" 's/^| `dprk_surge` | 59% (76%) | 66% (84%) |$/| `dprk_surge` | 94% (76%) | 66% (84%) |/' &&
    { tables --check "$fa"
      expect_out "an altered cell is stale, named by README, table, row, column and the refresh command" 1 \
          "^STALE scenarios/formal-alignment/README.md:[0-9]+: the table under \"What changes.*row \`dprk_surge\`, column \"baseline\" \(line [0-9]+\): the README has \"94% \(76%\)\", the runs give \"59% \(76%\)\". Refresh with: Rscript scripts/readme_tables.R --write"
      expect_out "the closing line counts the stale table" 1 '^readme_tables: 3 tables checked, 1 stale$'
      tables --write "$fa"
      check_that "--write puts the figure back: the README is the shipped one again" cmp -s "$work/s/$fa" "$fa"
      tables --check "$fa"
      expect_out "after --write the check passes" 0 '^readme_tables: 3 tables checked, 0 stale$'; }

# a figure of a past run kept as history ({history}) is not regenerated
fresh
edited "$fa" 's/| 25.2 \/ 50.8 \/ 74.6 |/| 25.3 \/ 50.8 \/ 74.6 |/' &&
    { tables --check "$fa"; expect_out "a history cell is not checked" 0 ' 0 stale$'; }

# the model changes (the variant's move to a formal pact, 0.12 a year, doubled): its figures move
fresh
edited scenarios/formal-alignment/transitions.csv 's/^rcd_alignment,coordinated,formal_trilateral,"pert(0.06,0.12,0.25)"/rcd_alignment,coordinated,formal_trilateral,"pert(0.12,0.24,0.5)"/' &&
    { tables --check "$fa"
      expect_out "a model change that moves a figure makes the table stale" 1 \
          'STALE .*formal-alignment/README.md:[0-9]+: .*row `formal_rcd_alignment`, column "formal-alignment"'; }
fresh
edited scenarios/baseline/transitions.csv 's/^usfk_posture,current,reduced,"beta(2.5,48.5)"/usfk_posture,current,reduced,"beta(5,48.5)"/' &&
    { tables --check scenarios/us-retrenchment/README.md
      expect_out "a change to the base reaches the variant's comparison table" 1 \
          'STALE .*us-retrenchment/README.md:[0-9]+: .*row `usfk_reduced`, column "baseline"'; }

# bad markers: file:line, what is wrong and how to fix it, exit 2
bad_marker() {  # bad_marker NAME SED PATTERN
    fresh; edited "$fa" "$2" || return
    tables --check "$fa"; expect_out "bad marker: $1" 2 "$3"
}
bad_marker "a missing scenario" 's|^\[3\] neasim run scenarios/formal-alignment --runs 20000 --seed 1$|[3] neasim run scenarios/formal-alignmnt --runs 20000 --seed 1|' \
    "^scenarios/formal-alignment/README.md:[0-9]+: the command 'neasim run scenarios/formal-alignmnt --runs 20000 --seed 1' names the scenario 'scenarios/formal-alignmnt', which does not exist"
bad_marker "not a neasim command" 's|^\[2\] neasim run scenarios/baseline|[2] neasim score scenarios/baseline|' \
    "README.md:[0-9]+: 'neasim score scenarios/baseline --runs 20000 --seed 1 --nominal' is not a command this script runs"
bad_marker "a sweep without --oat" 's|^\[2\] neasim run scenarios/baseline|[2] neasim sweep scenarios/baseline|' \
    "README.md:[0-9]+: the command 'neasim sweep scenarios/baseline --runs 20000 --seed 1 --nominal' is a sweep without --oat"
bad_marker "a command that neasim refuses" 's|^\[2\] neasim run scenarios/baseline --runs 20000|[2] neasim run scenarios/baseline --runz 20000|' \
    "README.md:[0-9]+: 'neasim run scenarios/baseline --runz 20000 --seed 1 --nominal' failed \(exit 64\)"
bad_marker "a shell character" 's|^\[2\] neasim run scenarios/baseline --runs 20000 --seed 1 --nominal$|[2] neasim run scenarios/baseline --runs 20000 --seed 1; rm -rf x|' \
    "README.md:[0-9]+: the command .* holds a shell character"
bad_marker "--out in the command" 's|^\[2\] neasim run scenarios/baseline --runs 20000 --seed 1 --nominal$|[2] neasim run scenarios/baseline --runs 20000 --seed 1 --out x|' \
    "README.md:[0-9]+: .* names --out: remove it"
bad_marker "a template too few" 's/^cells: {1.by@2036-11-01:%0}% ({2.by@2036-11-01:%0}%) | .*$/cells: {1.by@2036-11-01:%0}%/' \
    "README.md:[0-9]+: cells: gives 1 templates, the table has 2 columns after the first"
bad_marker "an unknown quantity" 's/^cells: {1.by@/cells: {1.bye@/' \
    "README.md:[0-9]+: 'bye' in '\{1.bye@2036-11-01\}' is not a quantity"
bad_marker "a date that is not a report date" 's/^cells: {1.by@2036-11-01/cells: {1.by@2036-11-02/' \
    "README.md:[0-9]+: 2036-11-02 is not a report date of \[1\]"
bad_marker "a row that is not an outcome" 's/^| `dprk_surge` | 59%/| `dprk_surges` | 59%/' \
    "README.md:[0-9]+: 'dprk_surges' is not an outcome of \[1\]"
bad_marker "no end marker" '0,/^<!-- end generated -->$/{/^<!-- end generated -->$/d}' \
    "README.md:[0-9]+: the generated table is not followed by '<!-- end generated -->'"
bad_marker "a command [N] out of order" 's/^\[4\] neasim/[5] neasim/' \
    "README.md:[0-9]+: command \[5\] is out of order"
# the baseline's tornado (a sweep --oat), validation (scripts/validate_lib.R) and data's-spread
# (copies by scripts/calibrate.R --hold) tables, taken with their markers into one file of the copy
# so that only their commands run: a cell of each altered is stale, and --write puts it back
b=scenarios/baseline/README.md
three=scenarios/baseline/THREE.md
fresh
awk '/^<!-- generated by scripts\/readme_tables\.R/ { inb = 1; buf = "" }
     inb { buf = buf $0 "\n" }
     /^<!-- end generated -->$/ && inb { inb = 0
         if (buf ~ /neasim sweep scenarios\/baseline --oat/ || buf ~ /scenarios\/calibration-2012 --runs 20000/ ||
             buf ~ /--hold judgment held-judgment/) printf "%s\n", buf }' "$b" > "$work/three.md"
if [ "$(grep -c '^<!-- end generated -->$' "$work/three.md")" -ne 3 ]; then
    echo "FAIL $b has not the three tables (tornado, validation, data's spread) between markers"; fail=$((fail + 1))
else
    cp "$work/three.md" "$work/s/$three"
    sed -i -e 's/^\(| `usfk_reduced` | 50% | .*\) (usfk_cut_when_transactional), 10 |/\1 (transactional U.S. on USFK cuts), 10 |/' \
        -e 's/^| launch days per year, mean 2012-2021 | 7.09 |/| launch days per year, mean 2012-2021 | 7.1 |/' \
        -e 's/^\(| `usfk_reduced` | 0.18 .*\) | 0.79 \/ 0.94 \/ 0.99 |/\1 | 0.79 \/ 0.94 \/ 0.98 |/' "$work/s/$three"
    if [ "$(diff "$work/three.md" "$work/s/$three" | grep -c '^>')" -ne 3 ]; then
        echo "FAIL the three edits did not each change one line of $three"; fail=$((fail + 1))
    else
        tables --check "$three"
        expect_out "tornado: a number's description altered is stale" 1 \
            'STALE scenarios/baseline/THREE.md:[0-9]+: .*row `usfk_reduced`, column "2nd" \(line [0-9]+\): the README has "`modifiers:13` \(transactional U.S. on USFK cuts\), 10", the runs give "`modifiers:13` \(usfk_cut_when_transactional\), 10"'
        expect_out "validation: a simulated figure altered is stale" 1 \
            'STALE scenarios/baseline/THREE.md:[0-9]+: .*row launch days per year, mean 2012-2021, column "simulated" \(line [0-9]+\): the README has "7.1", the runs give "7.09"'
        expect_out "data's spread: a data's part altered is stale" 1 \
            "STALE scenarios/baseline/THREE.md:[0-9]+: .*row \`usfk_reduced\`, column \"data's part at 2 / 5 / 10 y\" \(line [0-9]+\): the README has \"0.79 / 0.94 / 0.98\", the runs give \"0.79 / 0.94 / 0.99\""
        expect_out "the closing line counts the three stale tables" 1 '^readme_tables: 3 tables checked, 3 stale$'
        tables --write "$three"
        check_that "--write puts the three tables back" cmp -s "$work/s/$three" "$work/three.md"
    fi
    # bad markers of the new kinds, refused before anything runs
    bad_three() {  # bad_three NAME SED PATTERN
        cp "$work/three.md" "$work/s/$three"; sed -i "$2" "$work/s/$three"
        if cmp -s "$work/s/$three" "$work/three.md"; then echo "FAIL the edit '$2' changed nothing"; fail=$((fail + 1)); return; fi
        tables --check "$three"; expect_out "bad marker: $1" 2 "$3"
    }
    bad_three "a copy of an unknown kind" 's/^Rscript scripts\/calibrate.R --hold judgment held-judgment/Rscript scripts\/calibrate.R --hold judgement held-judgment/' \
        "THREE.md:[0-9]+: 'judgement' in 'Rscript scripts/calibrate.R --hold judgement held-judgment scenarios/baseline' is not a kind of number to hold: judgment or data"
    bad_three "a line that is not calibrate.R --hold" 's/^Rscript scripts\/calibrate.R --hold data held-data/Rscript scripts\/calibrate.R --write held-data/' \
        "THREE.md:[0-9]+: 'Rscript scripts/calibrate.R --write held-data scenarios/baseline' is not a line this script runs"
    bad_three "words without :s" 's/{1.number1@2036-11-01:s}/{1.number1@2036-11-01:0}/' \
        "THREE.md:[0-9]+: '\{1.number1@2036-11-01:0\}': number1 is words: write \{1.number1@2036-11-01:s\}"
    bad_three "a validation figure of a sweep" 's/^cells: {1.base@2036-11-01:%0}%/cells: {1.sim:g3}/' \
        "THREE.md:[0-9]+: 'sim' is not a figure of a sweep"
fi

# the line named is the marker's own
fresh; edited "$fa" 's|^\[3\] neasim run scenarios/formal-alignment --runs 20000 --seed 1$|[3] neasim run scenarios/nope --runs 20000 --seed 1|' &&
    { tables --check "$fa"
      line=$(grep -n '^\[3\] neasim run scenarios/nope' "$work/s/$fa" | cut -d: -f1)
      expect_out "the error names the marker line" 2 "^scenarios/formal-alignment/README.md:$line: "; }
cli_done readme_tables
