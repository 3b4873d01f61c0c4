#!/usr/bin/env bash
# tests/cli_readme_tables.sh: scripts/readme_tables.R, the check that the generated tables of run
# figures in the scenario READMEs are what their commands give with this build: on a copy of the
# scenarios, stale when a cell is altered (in the formal-alignment tables, in the baseline's tornado, validation and
# data's-spread tables, about a minute more, in the track-record tables of the backtests, a
# few seconds, where four tables in two READMEs run the backtests once, and in the baseline's two
# tables of the posture attribution, a few seconds a run of scripts/calibrate.R --attribution) or
# when the model changes so that a figure moves (a variant's rate, the base's, a backtest's; a
# year's launch days in the data, a number's cell in the scenario), fixed again by --write, and
# refused with file:line for each kind of bad marker. Skipped (exit 77) without Rscript. Run as
# `bash tests/cli_readme_tables.sh BUILD_DIR` from the project root.
source "$(dirname "$0")/cli-lib.sh"
command -v Rscript >/dev/null || skip_suite "Rscript not found (make deps installs R)"
export NEASIM
here=$PWD
fa=scenarios/formal-alignment/README.md

# That the shipped READMEs are current (the full --check, about a minute and a quarter on two
# cores) is checked once, by tests/validate.sh (scripts/validate.sh, step 6), which make test also
# runs: checking it here too doubled that minute.

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
bad_marker "a figure of the backtests of a run" 's/^cells: {1.by@2036-11-01:%0}%/cells: {1.in50:2}%/' \
    "README.md:[0-9]+: 'in50' is a figure of the backtests: \[1\] neasim run scenarios/baseline --runs 20000 --seed 1 is not 'bash scripts/validate_backtest.sh --runs N --seed S'"
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

# the backtests' track record (bash scripts/validate_backtest.sh, a few seconds): the baseline's two
# tables taken with their markers into one file of the copy, checked with the backtest README's two
bt=scenarios/backtest-README.md
track=scenarios/baseline/TRACK.md
awk '/^<!-- generated by scripts\/readme_tables\.R/ { inb = 1; buf = "" }
     inb { buf = buf $0 "\n" }
     /^<!-- end generated -->$/ && inb { inb = 0; if (buf ~ /bash scripts\/validate_backtest\.sh/) printf "%s\n", buf }' "$b" > "$work/track.md"
if [ "$(grep -c '^<!-- end generated -->$' "$work/track.md")" -ne 2 ] || [ "$(grep -c '^<!-- generated by .*validate_backtest' "$bt")" -ne 2 ]; then
    echo "FAIL $b and $bt have not two track-record tables each between markers"; fail=$((fail + 1))
else
    # cell K (1: the first column) of the row whose first cell is ROW, in FILE
    cell() { awk -F' *\\| *' -v row="$2" -v k="$3" '$2 == row { print $(k + 1); exit }' "$1"; }
    fresh; cp "$work/track.md" "$work/s/$track"
    all90=$(cell "$work/s/$track" all 4); icbm=$(cell "$work/s/$bt" 'at least one ICBM launch (`icbm_launches`)' 6)
    sed -i 's/^\(| all | [^|]* | [^|]* | \)[^|]* |/\10.123 |/' "$work/s/$track"
    sed -i 's/^\(| at least one ICBM launch (`icbm_launches`) |.*| \)[^|]* |$/\19.99 |/' "$work/s/$bt"
    l1=$(grep -n '^| all |' "$work/s/$track" | cut -d: -f1); l2=$(grep -n '^| at least one ICBM' "$work/s/$bt" | cut -d: -f1)
    if [ -z "$all90" ] || [ -z "$icbm" ] || [ "$(diff "$work/track.md" "$work/s/$track" | grep -c '^>')" -ne 1 ] ||
       [ "$(diff "$bt" "$work/s/$bt" | grep -c '^>')" -ne 1 ]; then
        echo "FAIL the edits of the track-record cells did not each change one line"; fail=$((fail + 1))
    else
        tables --check "$track" "$bt"
        expect_out "track record: an altered coverage is stale, named by README, line, row and column" 1 \
            "^STALE scenarios/baseline/TRACK.md:1: .*row all, column \"in 90%\" \(line $l1\): the README has \"0.123\", the runs give \"$all90\""
        expect_out "track record: an altered Brier skill of a binary is stale" 1 \
            "^STALE scenarios/backtest-README.md:$(grep -n '^<!-- generated .*validate_backtest' "$bt" | sed -n 2p | cut -d: -f1): the table under \"Track record \(seed 20120101, 5000 runs per backtest\)\" .*row at least one ICBM launch \(\`icbm_launches\`\), column \"Brier skill\" \(line $l2\): the README has \"9.99\", the runs give \"$icbm\""
        expect_out "track record: the two untouched tables are ok" 1 '^readme_tables: 4 tables checked, 2 stale$'
        check_that "track record: four tables in two READMEs run the backtests once" \
            [ "$(grep -c '^ran: bash scripts/validate_backtest.sh --runs 5000 --seed 20120101 ' <<<"$OUT")" -eq 1 ]
        tables --write "$track" "$bt"
        check_that "track record: --write puts the cells back" bash -c "cmp -s '$work/s/$track' '$work/track.md' && cmp -s '$work/s/$bt' '$bt'"
    fi

    # the model changes: the 2019 backtest's launch-day rate doubled moves its row, not the others
    fresh; cp "$work/track.md" "$work/s/$track"
    rate=$(grep -o '^launch_days,"gamma([0-9.]*,[0-9.]*)"' scenarios/backtest-2019/events.csv | sed -E 's/.*gamma\((.*)\)"$/\1/')
    doubled="${rate%,*},$(awk -v s="${rate#*,}" 'BEGIN { printf "%.6g", 2 * s }')"   # the scale, so the mean
    edited scenarios/backtest-2019/events.csv "s/^launch_days,\"gamma($rate)\"/launch_days,\"gamma($doubled)\"/" &&
        { tables --check "$bt" "$track"
          expect_out "a model change that moves a backtest figure makes the track record stale (from its 2019 row)" 1 \
              '^STALE scenarios/backtest-README.md:[0-9]+: the table under "Track record .*row 2019, column "'
          expect_out "the model change reaches the baseline's track-record table" 1 \
              '^STALE scenarios/baseline/TRACK.md:[0-9]+: .*row 2019, column "'
          tables --write "$bt" "$track"
          check_that "the model change moves the 2019 and pooled rows, not the 2015 and 2017 ones" bash -c "
              cd '$work/s' && diff '$here/$bt' '$bt' | grep -q '^> | 2019 |' && diff '$here/$bt' '$bt' | grep -q '^> | all |' &&
              ! diff '$here/$bt' '$bt' | grep -q '^> | 201[57] |' && diff '$work/track.md' '$track' | grep -q '^> | 2019 |' &&
              ! diff '$work/track.md' '$track' | grep -q '^> | 201[57] |'"; }

    # bad backtest markers: file:line (the marker's line), exit 2, before or after the runs
    bad_track() {  # bad_track NAME SED PATTERN: the edit applies to the copy of the backtest README
        fresh; edited "$bt" "$2" || return
        tables --check "$bt"; expect_out "bad backtest marker: $1" 2 "$3"
    }
    ml=$(grep -n '^<!-- generated .*validate_backtest' "$bt" | head -1 | cut -d: -f1)
    m='^\(<!-- generated by scripts\/readme_tables.R: \)'   # the first marker's line
    bad_track "no --seed" "0,/$m\(.*\) --seed 20120101$/s//\1\2/" \
        "^scenarios/backtest-README.md:$ml: the line 'bash scripts/validate_backtest.sh --runs 5000' does not give the backtests' --runs and --seed"
    bad_track "not a number" "0,/$m\(.*\) --runs 5000/s//\1\2 --runs 5k/" \
        "^scenarios/backtest-README.md:$ml: '5k' in 'bash scripts/validate_backtest.sh --runs 5k --seed 20120101' is not a positive whole number"
    bad_track "another script" "0,/${m}bash scripts\/validate_backtest.sh/s//\1bash scripts\/validate.sh/" \
        "^scenarios/backtest-README.md:$ml: 'bash scripts/validate.sh --runs 5000 --seed 20120101' is not a command this script runs: write 'bash scripts/validate_backtest.sh --runs N --seed S'"
    bad_track "a shell character" "0,/$m\(.*\)$/s//\1\2; rm -rf x/" \
        "^scenarios/backtest-README.md:$ml: the line .* holds a shell character"
    bad_track "a date on a backtest figure" 's/^cells: {years:0} | {in50:2}/cells: {years:0} | {in50@2020-01-01:2}/' \
        "README.md:[0-9]+: '\{in50@2020-01-01\}': in50 is a figure over the backtests' years, it has no date"
    bad_track "a run's figure of the backtests" 's/^cells: {years:0} | {in50:2}/cells: {years:0} | {by@2020-01-01:2}/' \
        "README.md:[0-9]+: 'by' is not a figure of the backtests: \[1\] bash scripts/validate_backtest.sh"
    bad_track "a row that is no origin" 's/^| 2017 | /| 2016 | /' \
        "README.md:$(grep -n '^| 2017 | ' "$bt" | cut -d: -f1): row '2016' is neither an origin of the backtests \(2015, 2017, 2019, all\) nor a yearly binary"
    fresh; rm "$work/s/scenarios/backtest-2019/observed.csv"
    tables --check "$bt"
    expect_out "backtests that do not run: the marker's line, exit 2" 2 \
        "^scenarios/backtest-README.md:$ml: 'bash scripts/validate_backtest.sh --runs 5000 --seed 20120101' failed \(exit 1\): .*the 2019 backtest did not run"
fi

# the posture attribution (Rscript scripts/calibrate.R --attribution, a few seconds): the baseline's
# summary table, year table and before/after table taken with their markers into one file of the
# copy, so that only calibrate.R's attribution runs (once for the three)
attr=scenarios/baseline/ATTR.md
awk '/^<!-- generated by scripts\/readme_tables\.R/ { inb = 1; buf = "" }
     inb { buf = buf $0 "\n" }
     /^<!-- end generated -->$/ && inb { inb = 0; if (buf ~ /scripts\/calibrate\.R --attribution/) printf "%s\n", buf }' "$b" > "$work/attr.md"
if [ "$(grep -c '^<!-- end generated -->$' "$work/attr.md")" -ne 3 ]; then
    echo "FAIL $b has not the three attribution tables (summary, years, before/after) between markers"; fail=$((fail + 1))
else
    sm=$(grep -n '^<!-- generated' "$work/attr.md" | sed -n 1p | cut -d: -f1)   # the markers' lines
    ym=$(grep -n '^<!-- generated' "$work/attr.md" | sed -n 2p | cut -d: -f1)
    nm=$(grep -n '^<!-- generated' "$work/attr.md" | sed -n 3p | cut -d: -f1)
    fresh; cp "$work/attr.md" "$work/s/$attr"
    p2013=$(awk -F' *\\| *' '$2 == "2013" { print $7 }' "$work/attr.md")
    sed -i 's/^\(| 2013 | 3 | restraint | [^|]* | [^|]* | \)[^|]* |$/\10.77 |/' "$work/s/$attr"
    l2013=$(grep -n '^| 2013 |' "$work/s/$attr" | cut -d: -f1)
    if [ -z "$p2013" ] || [ "$(diff "$work/attr.md" "$work/s/$attr" | grep -c '^>')" -ne 1 ]; then
        echo "FAIL the edit of the year table's 2013 row did not change one line"; fail=$((fail + 1))
    else
        tables --check "$attr"
        expect_out "attribution: an altered P of a year is stale, named by README, line, row and column" 1 \
            "^STALE scenarios/baseline/ATTR.md:$ym: the table under \"\(top\)\" is not what its commands give now; first differing cell: row 2013, column \"P\(surge\)\" \(line $l2013\): the README has \"0.77\", the runs give \"$p2013\""
        expect_out "attribution: the before/after table is untouched and ok" 1 "^ok scenarios/baseline/ATTR.md:$nm: "
        expect_out "attribution: the summary table is untouched and ok" 1 "^ok scenarios/baseline/ATTR.md:$sm: "
        check_that "attribution: three tables run calibrate.R --attribution once" \
            [ "$(grep -c '^ran: Rscript scripts/calibrate.R --attribution attribution scenarios/baseline ' <<<"$OUT")" -eq 1 ]
        tables --write "$attr"
        check_that "attribution: --write puts the year's P back" cmp -s "$work/s/$attr" "$work/attr.md"
    fi

    # the data change (2012's launch days 2 -> 3, still restraint): the year table is stale (its
    # first cell that moves is 2012's count), the before/after table, the cells the scenario holds,
    # is not until calibrate.R --write rewrites them
    fresh; cp "$work/attr.md" "$work/s/$attr"
    edited scenarios/data/dprk_missile_tests_by_year.csv 's/^2012,Kim Jong Un,2,/2012,Kim Jong Un,3,/' &&
        { tables --check "$attr"
          expect_out "attribution: a year's count changed in the data makes the year table stale" 1 \
              "^STALE scenarios/baseline/ATTR.md:$ym: .*row 2012, column \"launch days\" \(line [0-9]+\): the README has \"2\", the runs give \"3\""
          expect_out "attribution: ... and not the cells' table" 1 "^ok scenarios/baseline/ATTR.md:$nm: "
          # 2012 is a restraint year: the restraint rate of the summary moves, 2.6 -> 2.8
          expect_out "attribution: ... and the summary's restraint rate" 1 \
              "^STALE scenarios/baseline/ATTR.md:$sm: .*row .rate_restraint.: launch days a year, restraint, column \"value\" \(line [0-9]+\): the README has \"2\.6\", the runs give \"2\.8\""; }

    # the scenario's cell changes (the restraint multiplier's log-sd, modifiers:31): the
    # before/after table is stale at that row, the year table (which that cell does not enter) is not
    fresh; cp "$work/attr.md" "$work/s/$attr"
    old=$(awk -F' *\\| *' '$2 ~ /`modifiers:31`/ { print $4 }' "$work/attr.md")
    # the cell's log-mean, and the mean of lognormal(MU,0.5), exp(MU + 0.125), to 4 digits
    mu=$(grep -o '^,launch_days,dprk_testing_posture=restraint,"lognormal([^,]*,' scenarios/baseline/modifiers.csv | sed -E 's/.*lognormal\((.*),$/\1/')
    mean=$(awk -v m="$mu" 'BEGIN { printf "%.4g", exp(m + 0.125) }'); mu4=$(awk -v m="$mu" 'BEGIN { printf "%.4g", m }')
    edited scenarios/baseline/modifiers.csv 's/^\(,launch_days,dprk_testing_posture=restraint,"lognormal([^,]*,\)[0-9.]*)"/\10.5)"/' &&
        { tables --check "$attr"
          expect_out "attribution: a number's cell changed in the scenario makes the before/after table stale" 1 \
              "^STALE scenarios/baseline/ATTR.md:$nm: .*row restraint multiplier \(\`modifiers:31\`\), column \"after \(mixture, as the scenario holds it\)\" \(line [0-9]+\): the README has \"$(sed 's/[().]/\\&/g' <<<"$old")\", the runs give \"lognormal\(${mu4//./\\.},0\.5\): ${mean//./\\.}; [0-9.]+-[0-9.]+\""
          expect_out "attribution: ... and not the year table" 1 "^ok scenarios/baseline/ATTR.md:$ym: "
          expect_out "attribution: ... nor the summary" 1 "^ok scenarios/baseline/ATTR.md:$sm: "; }

    # a figure of the summary written by hand (the stationary share of surge): stale at its row
    fresh; cp "$work/attr.md" "$work/s/$attr"
    share=$(awk -F' *\\| *' '$2 ~ /`share_surge`/ { print $3 }' "$work/attr.md")
    sed -i 's/^\(| `share_surge`[^|]*| \)[^|]* |$/\10.23 |/' "$work/s/$attr"
    if [ -z "$share" ] || [ "$(diff "$work/attr.md" "$work/s/$attr" | grep -c '^>')" -ne 1 ]; then
        echo "FAIL the edit of the summary's share_surge row did not change one line"; fail=$((fail + 1))
    else
        tables --check "$attr"
        expect_out "attribution: a summary figure rounded by hand is stale" 1 \
            "^STALE scenarios/baseline/ATTR.md:$sm: .*row .share_surge.: of surge, column \"value\" \(line [0-9]+\): the README has \"0\.23\", the runs give \"${share//./\\.}\""
    fi

    # bad attribution markers: file:line, exit 2
    bad_attr() {  # bad_attr NAME SED PATTERN
        fresh; cp "$work/attr.md" "$work/s/$attr"; sed -i "$2" "$work/s/$attr"
        if cmp -s "$work/s/$attr" "$work/attr.md"; then echo "FAIL the edit '$2' changed nothing"; fail=$((fail + 1)); return; fi
        tables --check "$attr"; expect_out "bad attribution marker: $1" 2 "$3"
    }
    bad_attr "an unknown quantity" 's/{p_surge:2}/{p_surges:2}/' \
        "^scenarios/baseline/ATTR.md:$((ym + 2)): 'p_surges' in '\{p_surges\}' is not a quantity"
    bad_attr "an unknown year" 's/^| 2021 | /| 2022 | /' \
        "^scenarios/baseline/ATTR.md:$(grep -n '^| 2021 | ' "$work/attr.md" | cut -d: -f1): row '2022' is not a year of the posture attribution \[1\] Rscript scripts/calibrate.R --attribution attribution scenarios/baseline \(2012, 2013, .*, 2021\)"
    bad_attr "an unknown summary figure" 's/^| `share_surge`/| `share_surges`/' \
        "^scenarios/baseline/ATTR.md:$(grep -n '^| `share_surge`' "$work/attr.md" | cut -d: -f1): row 'share_surges' is not a figure of the posture attribution's summary \[1\] .*\(share_restraint, share_routine, share_surge, .*p_conditioned_away\)"
    bad_attr "an unknown path" 's/(`modifiers:34`)/(`modifiers:33`)/' \
        "^scenarios/baseline/ATTR.md:$(grep -n '(`modifiers:34`)' "$work/attr.md" | cut -d: -f1): row 'modifiers:33' is not the path of a number of the posture attribution \[1\] .*\(events:launch_days:rate_per_year, modifiers:31, .*modifiers:34\)"
    bad_attr "a date on an attribution figure" 's/{days:0}/{days@2020-01-01:0}/' \
        "^scenarios/baseline/ATTR.md:$((ym + 2)): '\{days@2020-01-01\}': days is a figure of the posture attribution, it has no date"
    bad_attr "a distribution as a plain number" 's/{dist:g4}/{dist:2}/' \
        "^scenarios/baseline/ATTR.md:$((nm + 2)): '\{dist:2\}': dist is a distribution: write \{dist:gD\}"
    bad_attr "a missing scenario" "$((ym + 1))s/scenarios\/baseline$/scenarios\/baselin/" \
        "^scenarios/baseline/ATTR.md:$((ym + 1)): the line 'Rscript scripts/calibrate.R --attribution attribution scenarios/baselin' names the scenario 'scenarios/baselin', which does not exist"
    bad_attr "another calibrate.R option" "$((ym + 1))s/--attribution attribution/--attribution attribution --write/" \
        "^scenarios/baseline/ATTR.md:$((ym + 1)): 'Rscript scripts/calibrate.R --attribution attribution --write scenarios/baseline' is not a line this script runs: write 'Rscript scripts/calibrate.R --attribution NAME SCENARIO'"
fi
bad_marker "a figure of the attribution of a run" 's/^cells: {1.by@2036-11-01:%0}%/cells: {1.p_surge:2}%/' \
    "README.md:[0-9]+: 'p_surge' is a figure of the posture attribution: \[1\] neasim run scenarios/baseline --runs 20000 --seed 1 is not 'Rscript scripts/calibrate.R --attribution NAME SCENARIO'"

# the line named is the marker's own
fresh; edited "$fa" 's|^\[3\] neasim run scenarios/formal-alignment --runs 20000 --seed 1$|[3] neasim run scenarios/nope --runs 20000 --seed 1|' &&
    { tables --check "$fa"
      line=$(grep -n '^\[3\] neasim run scenarios/nope' "$work/s/$fa" | cut -d: -f1)
      expect_out "the error names the marker line" 2 "^scenarios/formal-alignment/README.md:$line: "; }
cli_done readme_tables
