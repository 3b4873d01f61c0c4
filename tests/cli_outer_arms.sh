# tests/cli_outer_arms.sh: compare --outer writes each arm's uncertainty.csv, run --outer's table
# with a leading `arm` column; the baseline arm's rows are run --outer's, byte for byte (draw j
# uses replications j*runs .. (j+1)*runs - 1 and parameter draw j in both commands).
source "$(dirname "$0")/cli-lib.sh"

model=tests/models/judgment
common=(--outer 8 --runs 400 --seed 7 --horizons 1,2 --quiet)
"$NEASIM" compare "$model" --levers all "${common[@]}" --out "$work/cmp"
"$NEASIM" run "$model" "${common[@]}" --out "$work/run"
u=$work/cmp/uncertainty.csv

check_that "compare --outer writes uncertainty.csv" test -s "$u"
check_that "uncertainty.csv by arm: run's header after an arm column" test \
    "$(head -1 "$u")" = "arm,$(head -1 "$work/run/uncertainty.csv")"
check_that "uncertainty.csv by arm: one row per arm, outcome and horizon (4 x 1 x 2)" \
    test "$(tail -n +2 "$u" | wc -l)" = 8
check_that "the baseline arm of compare --outer is run --outer, byte for byte" \
    cmp -s <(grep '^baseline,' "$u" | cut -d, -f2-) <(tail -n +2 "$work/run/uncertainty.csv")
check_that "a null lever's rows equal the baseline's" \
    cmp -s <(grep '^baseline,' "$u" | cut -d, -f2-) <(grep '^null,' "$u" | cut -d, -f2-)
check_that "the arms come in the order of arms.csv" test \
    "$(cut -d, -f1 "$u" | tail -n +2 | uniq | tr '\n' ' ')" = \
    "$(cut -d, -f1 "$work/cmp/arms.csv" | tail -n +2 | uniq | tr '\n' ' ')"

"$NEASIM" compare "$model" --levers all --runs 200 --seed 7 --out "$work/plain" --quiet
check_that "a plain compare writes no uncertainty.csv" test ! -e "$work/plain/uncertainty.csv"

cli_done outer_arms
