# tests/cli_given.sh: draws conditioned on other factors (draws.csv, column `given`) as the command
# line shows them: check lists the cases in the order they are tried, parameter paths name a
# case by its condition, and every malformed or incomplete draw is refused at its position.
source "$(dirname "$0")/cli-lib.sh"

# given_bad NAME DRAWS_CSV PATTERN: the `given` model with another draws.csv, refused by check.
given_bad() {
    local d="$work/given-$1"
    rm -rf "$d"; cp -r tests/models/given "$d"; printf '%b' "$2" >"$d/draws.csv"; rm "$d/calendar.csv"
    expect "bad input: $1" 65 "$3" -- check "$d"
}
H='draw,factor,from,to,probability,given,source\n'
given_bad not_covered "${H}s,h,*,q,1,g=x,t\ns,h,*,q,1,g=y,t\n" \
    "draws.csv:2:11: error: draw 's' has no default \(a row with an empty given\) and none of its conditions holds when g=z"
given_bad unknown_factor "${H}s,h,*,q,1,k=x,t\ns,h,*,q,1,,t\n" \
    "draws.csv:2:11: error: unknown factor 'k'"
given_bad unknown_level "${H}s,h,*,q,1,g=w,t\ns,h,*,q,1,,t\n" \
    "draws.csv:2:13: error: unknown level 'w'"
given_bad case_sum "${H}s,h,*,q,0.5,g=x,t\ns,h,*,q,1,,t\n" \
    "draws.csv:2:9: error: the probabilities of draw 's' given g=x from '\*' sum to 0.5, not 1"
given_bad case_level "${H}s,h,p,q,1,g=x,t\ns,h,*,q,1,,t\n" \
    "draws.csv:2:1: error: draw 's' given g=x does not say where level 'q' of factor 'h' goes"
given_bad case_duplicate "${H}s,h,*,q,1,g=x,t\ns,h,*,q,1,g = x,t\ns,h,*,q,1,,t\n" \
    "draws.csv:3:1: error: draw 's' from '\*' to 'q' is given twice \(first at line 2\): remove one of the two rows, or merge them into one$"

expect check_lists_cases 0 'elect \(f\): 1. given g=x; 2. given g=y; otherwise the default' -- check tests/models/given
expect check_no_default 0 'split \(h\): 1. given g=x\|y; 2. given g=z; \(no default: these cover every state\)' -- \
    check tests/models/given

# ---- parameter paths of a case, and uncertain numbers in one
d="$work/given-lev"; rm -rf "$d"; cp -r tests/models/given "$d"
printf 'lever,target,operation,value,from_date,description,source\nsure,draws:elect:*>b:g=x,set,1,,b for sure given g=x,x\n' >"$d/levers.csv"
expect lever_on_case 0 '' -- compare "$d" --levers sure --runs 4000 --seed 3 --quiet --out "$work/given-out"
# f=b: 0.5 x 0.8 + 0.3 x 0.3 + 0.2 x 0.1 = 0.51 as it is, 0.5 + 0.09 + 0.02 = 0.61 with the lever
check_that lever_moves_case grep -Eq '^sure,outcome,f_b,holds,2026-01-01,[0-9.]+,0\.(49|5[0-3])[0-9]*,0\.(59|6[0-3])' \
    "$work/given-out/differences.csv"
printf 'lever,target,operation,value,from_date,description,source\nx,draws:split:*>q,set,1,,x,x\n' >"$d/levers.csv"
expect path_needs_case 65 "levers.csv:2:3: error: draw 'split' has no default .*draws:split:FROM>TO:CONDITION" -- check "$d"
printf 'lever,target,operation,value,from_date,description,source\nx,draws:elect:*>b:g=x|y,set,1,,x,x\n' >"$d/levers.csv"
expect path_unknown_case 65 "levers.csv:2:19: error: draw 'elect' has no case given 'g=x\|y'" -- check "$d"
rm -f "$d/levers.csv"
sed -i 's/^elect,f,\*,b,0.8,g=x,test$/elect,f,*,b,"beta(8,2)",g=x,test/' "$d/draws.csv"
expect uncertain_in_case 0 'draws:elect:\*>b:g=x +beta\(8,2\) +mean 0.8' -- check "$d"

# ---- a given that says 'or' across factors: the cover check tries every state against each term
given_bad or_not_covered "${H}s,h,*,q,1,g=x | f=b,t\ns,h,*,q,1,g=y & f!=b,t\n" \
    "draws.csv:2:11: error: draw 's' has no default \(a row with an empty given\) and none of its conditions holds when g=z & f=a"
d="$work/given-or"; rm -rf "$d"; cp -r tests/models/given "$d"; rm "$d/calendar.csv"
printf "${H}s,h,*,q,1,g=x | f=b,t\ns,h,*,q,1,g=y|z & f!=b,t\n" >"$d/draws.csv"
expect or_covered 0 's \(h\): 1. given g=x \| f=b; 2. given g=y\|z & f=a\|c; \(no default: these cover every state\)' -- check "$d"
printf 'lever,target,operation,value,from_date,description,source\nx,draws:s:*>q:g=x | f=b,set,1,,x,x\n' >"$d/levers.csv"
expect or_path_names_case 0 'draws:s:\*>q:g=x \| f=b' -- check "$d"
printf 'lever,target,operation,value,from_date,description,source\nx,draws:s:*>q:f=b | g=x,set,1,,x,x\n' >"$d/levers.csv"
expect or_path_as_written 65 "levers.csv:2:15: error: draw 's' has no case given 'f=b \| g=x'" -- check "$d"

cli_done given
