# tests/cli_levers.sh: levers on uncertain numbers (issue 9): a lever, or an arm of levers, that
# passed `check` and then failed in `compare` mid-run is refused by `check` at its levers.csv value
# cell; an arm names each lever once.
source "$(dirname "$0")/cli-lib.sh"

LH='lever,target,operation,value,from_date,description,source\n'

# The issue's reproducer: f:a ~ uniform(0.9,1), b = 0.05, and a lever x1.04 on f:a.
m="$work/drawn"
cp -r tests/models/two_state "$m"
printf 'factor,level,initial,source\nf,a,"uniform(0.9,1)",t\nf,b,0.05,t\n' > "$m/factors.csv"
printf "${LH}up,factors:f:a,multiply,1.04,,,t\n" > "$m/levers.csv"
expect "lever on a drawn number: check" 65 \
    "levers.csv:2:25: error: lever 'up' on factors:f:a, when factors:f:a is drawn at 1 \(the upper end of 'uniform\(0.9,1\)', factors.csv:2\): a probability must be between 0 and 1, not 1.04; to fix it, use a factor of at most 1" \
    -- check "$m"
expect "lever on a drawn number: compare refuses before running" 65 "levers.csv:2:25: error:" \
    -- compare "$m" --levers up --runs 100 --quiet --out "$work/cmp"
check_that "lever on a drawn number: nothing written" test ! -e "$work/cmp"

# The same lever with a range it keeps within [0, 1] runs.
printf 'factor,level,initial,source\nf,a,"uniform(0.9,0.96)",t\nf,b,0.07,t\n' > "$m/factors.csv"
expect "lever within the drawn range: check" 0 "" -- check "$m"
expect "lever within the drawn range: compare" 0 "" \
    -- compare "$m" --levers up --runs 200 --quiet --out "$work/cmp"

# Two levers valid alone overflow a hazard in one arm, in either order.
bad levers_overflow_together levers.csv \
    "write:${LH}x,transitions:f:a>b,multiply,1e200,,,t\ny,transitions:f:a>b,multiply,1e200,,,t\n" \
    "levers.csv:3:30: error: lever 'y' on transitions:f:a>b, applied after lever 'x' \(the arm x\+y of compare --levers\): a hazard must be a finite rate of 0 or more, not inf"

# An arm names each lever once (check tries arms of distinct levers).
expect "lever twice in an arm" 64 "--levers: lever 'faster' appears twice in 'faster\+faster'" \
    -- compare tests/models/two_state --levers faster+faster --runs 10 --quiet --out "$work/cmp2"
printf 'transitions:f:a>b,levers\n0.5,push_f+null+push_f\n' > "$work/d-twice.csv"
expect "sweep lever twice in an arm" 65 "d-twice.csv:2:17: error: lever 'push_f' appears twice in 'push_f\+null\+push_f'" \
    -- sweep tests/models/paths --design "$work/d-twice.csv" --quiet --out "$work/sw"

# A list with an empty arm or a '+' without a lever is refused (it became an arm named '+faster')
for l in 'faster,,later' ',faster' 'faster,'; do
    expect "--levers '$l': an empty arm" 64 "--levers: an empty arm in '$l' \(a ',' with no arm on one side\)" \
        -- compare tests/models/two_state --levers "$l" --runs 10 --quiet --out "$work/cmp3"
done
for l in 'faster+' '+faster' 'later++slow_back'; do
    expect "--levers '$l': a '+' without a lever" 64 "--levers: a '\+' in '.*' has no lever on one side: join levers as a\+b" \
        -- compare tests/models/two_state --levers "$l" --runs 10 --quiet --out "$work/cmp3"
done
check_that "nothing was written for a refused --levers" test ! -e "$work/cmp3"
expect "an unknown lever without a close name: the scenario's levers are listed" 64 \
    "--levers: the scenario has no lever 'ncg'; its levers: faster, null, later, slow_back" \
    -- compare tests/models/two_state --levers ncg --runs 10 --quiet --out "$work/cmp3"
expect "trace --arm names its own option" 64 "^neasim trace: --arm: the scenario has no lever 'nope'" \
    -- trace tests/models/two_state --arm nope

# One lever in steps: two rows on one target from different dates apply each from its date, as
# two levers would ('steps' = x1.5 from the start, then x2 from 2026: the phases of faster+later,
# on the same streams, so every probability is the same); the same target twice from the same date
# is refused at the second row, with or without a date (the second compounded before)
d="$work/steps"; rm -rf "$d"; cp -r tests/models/two_state "$d"
printf '%s\n' 'steps,transitions:f:a>b,multiply,1.5,,in two steps,test' \
    'steps,transitions:f:a>b,multiply,2,2026-01-01,,test' >> "$d/levers.csv"
"$NEASIM" compare "$d" --levers steps,faster+later --runs 2000 --seed 5 --quiet --out "$work/steps-out"
arm_rows() { awk -F, -v a="$2" 'NR > 1 && $1 == a { sub(/^[^,]*,/, ""); print }' "$1"; }
check_that "a lever in two steps equals the two levers it steps through (outcomes.csv)" \
    cmp -s <(arm_rows "$work/steps-out/outcomes.csv" steps) <(arm_rows "$work/steps-out/outcomes.csv" faster+later)
check_that "... and the steps differ from the first step alone" \
    test "$(arm_rows "$work/steps-out/outcomes.csv" steps | md5sum)" != \
         "$("$NEASIM" compare "$d" --levers faster --runs 2000 --seed 5 --quiet --out "$work/steps-one" && arm_rows "$work/steps-one/outcomes.csv" faster | md5sum)"
d="$work/twice"; rm -rf "$d"; cp -r tests/models/two_state "$d"
printf '%s\n' 'faster,transitions:f:a>b,multiply,2,,,test' >> "$d/levers.csv"
expect "a lever changing one target twice is refused" 65 \
    "levers.csv:6:8: error: lever 'faster' changes transitions:f:a>b twice \(first at line 2\): remove one of the two rows, or merge them into one \(two multiplies make one by their product; a set replaces what came before it\)$" \
    -- check "$d"
d="$work/twice-dated"; rm -rf "$d"; cp -r tests/models/two_state "$d"
printf '%s\n' 'later,transitions:f:a>b,set,5,2026-01-01,,test' >> "$d/levers.csv"
expect "... from the same date too" 65 \
    "levers.csv:6:7: error: lever 'later' changes transitions:f:a>b twice from 2026-01-01 \(first at line 4\)" \
    -- check "$d"

cli_done levers
