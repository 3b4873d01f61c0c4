# tests/cli_briefing.sh: what people read of a comparison: labels (labels.csv, the label
# columns of briefing.csv, the printed table), the desirable direction and the verdicts and ranks
# it gives, --top, its words for levers and for whole scenarios as arms (compare A B), and the
# interactions of a factorial comparison (interactions.csv, printed).
# The ranks and the interaction's numbers are checked against known answers in
# tests/test_briefing.c and tests/test_interactions.c; here, what reaches the analyst.
source "$(dirname "$0")/cli-lib.sh"

# --- labels.csv: given labels, and names where a scenario gives none
expect "run writes labels.csv" 0 "" -- run scenarios/baseline --runs 100 --quiet --out "$work/base"
tr -d '\r' <"$work/base/labels.csv" >"$work/labels.csv"
check_that "labels.csv: header" grep -qx 'kind,name,level,label,given,desirable,occurrence' "$work/labels.csv"
check_that "labels.csv: an outcome's label and direction" \
    grep -qx "outcome,usfk_reduced,NA,USFK cut below today's posture,yes,lower,onset" "$work/labels.csv"
check_that "labels.csv: a factor's label (factor_label)" \
    grep -qx 'factor,usfk_posture,NA,USFK posture,yes,NA,NA' "$work/labels.csv"
check_that "labels.csv: a level's label" \
    grep -qx 'level,usfk_posture,major_withdrawal,major withdrawal,yes,NA,NA' "$work/labels.csv"
check_that "labels.csv: a lever's label" \
    grep -qx 'lever,ncg_institutionalized,NA,NCG institutionalised,yes,NA,NA' "$work/labels.csv"
# the baseline: 17 factors (3 added by the issue-12 revision: rok_assembly_majority, us_congress,
# dprk_surge_clock), 47 levels, 4 events, 15 outcomes, 8 levers, 14 draws, and itself first
check_that "labels.csv: one row per scenario, factor, level, event, outcome, lever and draw" \
    test "$(tail -n +2 "$work/labels.csv" | wc -l)" = "$((1 + 17 + 47 + 4 + 15 + 8 + 14))"
check_that "labels.csv: the scenario's own label first" \
    grep -qx 'scenario,baseline,NA,Baseline,yes,NA,NA' <(tr -d '\r' <"$work/labels.csv" | sed -n 2p)
expect "a scenario without labels" 0 "" -- run tests/models/known_levers --runs 50 --quiet --out "$work/kl"
check_that "labels.csv: without labels, the name and given=no" \
    grep -qx 'outcome,a_on,NA,a_on,no,none,state' <(tr -d '\r' <"$work/kl/labels.csv")
check_that "labels.csv: every outcome's occurrence, as outcomes.csv of the scenario gives it" \
    test "$(grep -c '^outcome,.*,onset$' "$work/labels.csv") $(grep -c '^outcome,.*,state$' "$work/labels.csv")" = "14 1"

# --- bad label and desirable cells
bad "desirable misspelt" outcomes.csv 's/^outcome,condition\(.*\)$/outcome,condition\1,desirable/; 2,$s/$/,lowr/' \
    "outcomes.csv:2:[0-9]+: error: .*desirable.*'lowr'.*did you mean 'lower'"
bad "an unknown column near label" outcomes.csv 's/^outcome,condition\(.*\)$/outcome,condition\1,lable/; 2,$s/$/,x/' \
    "unknown column 'lable' \(the columns of outcomes.csv are .*label,desirable.*\)"

# --- the printed briefing and briefing.csv's label columns
"$NEASIM" compare scenarios/baseline --levers all --runs 2000 --seed 3 --top 2 \
    --out "$work/cmp" >"$work/cmp.txt" 2>&1
check_that "printed: outcomes by their labels, onsets and directions" \
    grep -q "^USFK cut below today's posture (onset; lower is better)$" "$work/cmp.txt"
check_that "printed: a state outcome is not called an onset" \
    grep -q "^Conservative ROK president$" "$work/cmp.txt"
check_that "printed: what an onset means" grep -q "^An outcome marked onset counts only a change" "$work/cmp.txt"
check_that "printed: the baseline's level" grep -Eq '^  baseline \(probability\) +[0-9.]+%' "$work/cmp.txt"
check_that "printed: levers by their labels, ranked, with a verdict" \
    grep -Eq '^  1\. [A-Z].* +helps +-[0-9.]+ \(' "$work/cmp.txt"
check_that "printed: --top 2 lists at most two levers an outcome" \
    bash -c "! grep -Eq '^  3\. ' '$work/cmp.txt'"
check_that "printed: --top says what it left out" grep -q 'more with a distinguishable effect: raise --top' "$work/cmp.txt"
check_that "printed: the best lever" grep -Eq '^  best lever: .* \(-[0-9.]+ pp by 2036-11-01\)$' "$work/cmp.txt"
# the best lever beside the others (tests/beside_best.py): every comparison keeps every two arms
# side by side at the briefing's horizons (rivals.h), so every lever is set beside the best on the
# exact interval: --levers all (8 levers), factorials of three and four levers (7 and 15 arms), and
# compare A B C (tests/models/two_state with a lever's rate in two variants), with --outer too;
# unless the counts of every two arms would take more than 128 MiB (they grow as the square of the
# arms): a model of 3 outcomes at 16 horizons, 408 bytes a pair, keeps them for a factorial of 9
# levers (512 arms, 53 MB) and not for one of 10 (1,024 arms, 214 MB), which is on the bound
"$NEASIM" compare scenarios/baseline --levers equitable_burden_sharing,us_posture_review,ncg_institutionalized \
    --factorial --runs 2000 --seed 3 --out "$work/fac3" >"$work/fac3.txt" 2>&1
"$NEASIM" compare scenarios/baseline \
    --levers equitable_burden_sharing,us_posture_review,ncg_institutionalized,us_reaffirmation_assistance \
    --factorial --runs 1000 --seed 3 --out "$work/fac4" >"$work/fac4.txt" 2>&1
for v in sa sb sc; do
    cp -r tests/models/two_state "$work/$v" && rm "$work/$v/levers.csv"
    sed -i "s/^name,two_state,/name,$v,/" "$work/$v/scenario.csv"
done
sed -i 's/^f,a,b,2,/f,a,b,3,/' "$work/sb/transitions.csv"
sed -i 's/^f,a,b,2,/f,a,b,3.05,/' "$work/sc/transitions.csv"
"$NEASIM" compare "$work/sa" "$work/sb" "$work/sc" --runs 2000 --seed 3 --out "$work/sabc" \
    >"$work/sabc.txt" 2>&1
"$NEASIM" compare "$work/sa" "$work/sb" "$work/sc" --runs 500 --outer 10 --seed 3 \
    --out "$work/sabco" >"$work/sabco.txt" 2>&1
mkdir -p "$work/wide"
printf 'key,value,source\nname,wide,test\ntitle,Three outcomes at 16 horizons,test\nstart_date,2025-01-01,test\nhorizon_years,16,test\nreport_interval_months,12,test\n' \
    >"$work/wide/scenario.csv"
printf 'factor,level,initial,source\nf,a,1,test\nf,b,0,test\n' >"$work/wide/factors.csv"
printf 'factor,from,to,value,unit,source\nf,a,b,0.1,rate_per_year,test\n' >"$work/wide/transitions.csv"
printf 'outcome,condition,description,desirable\no1,f=b,in b,lower\no2,f=b,in b,lower\no3,f=b,in b,lower\n' \
    >"$work/wide/outcomes.csv"
{ echo "lever,target,operation,value,description,source"
  for i in 0 1 2 3 4 5 6 7 8 9; do echo "l$i,transitions:f:a>b,multiply,0.9$i,slower,test"; done; } \
    >"$work/wide/levers.csv"
for k in 8 9; do
    "$NEASIM" compare "$work/wide" --levers "$(seq -s, -f 'l%g' 0 "$k")" --factorial --top 3 \
        --horizons "$(seq -s, 1 16)" --runs 100 --seed 3 --out "$work/wide$k" >"$work/wide$k.txt" 2>&1
done
check_that "printed and briefing.csv: the best lever beside the others" python3 tests/beside_best.py \
    "$work/cmp.txt" "$work/cmp" paired "$work/fac3.txt" "$work/fac3" paired \
    "$work/fac4.txt" "$work/fac4" paired "$work/sabc.txt" "$work/sabc" paired \
    "$work/sabco.txt" "$work/sabco" paired "$work/wide8.txt" "$work/wide8" paired \
    "$work/wide9.txt" "$work/wide9" bound
check_that "printed: a factorial of four levers' best lever not told apart from others, exactly" \
    bash -c "grep -Eq '^    not told apart from [0-9]' '$work/fac4.txt' &&
             ! grep -q 'bound' '$work/fac4.txt'"
check_that "printed: scenarios close in effect not told apart, exactly" \
    bash -c "grep -Eq '^    not told apart from 2\.$' '$work/sabc.txt' && ! grep -q 'bound' '$work/sabc.txt'"
check_that "printed: a factorial of 10 levers (1,024 arms) on the bound, marked, with the note" \
    bash -c "grep -Eq '^    not told apart from .*\(bound\)' '$work/wide9.txt' &&
             grep -q '^(bound): not told apart on the widest interval' '$work/wide9.txt' &&
             ! grep -q 'bound' '$work/wide8.txt'"
check_that "printed --outer: scenarios close in effect not told apart, exactly" \
    bash -c "grep -Eq '^    not told apart from 2\.$' '$work/sabco.txt' && ! grep -q 'bound' '$work/sabco.txt'"
check_that "printed: no -0.0" bash -c "! grep -Eq -- '-0\.0([^0-9]|\$)' '$work/cmp.txt'"
# The terminal, the brief and the figures show one number for an effect: every printed cell is
# briefing.csv's number by the brief's rule (tests/printed_briefing.R). 10,000 runs make many
# ties (-1.65), which the two once rounded apart; with --outer, the judgment ranges too.
if command -v Rscript >/dev/null && Rscript -e 'library(readr)' >/dev/null 2>&1; then
    "$NEASIM" compare scenarios/baseline --levers all --runs 10000 --seed 1 \
        --out "$work/ties" >"$work/ties.txt" 2>&1
    check_that "printed: each cell as the brief shows it (ties half away from zero)" \
        Rscript tests/printed_briefing.R "$work/ties.txt" "$work/ties"
    "$NEASIM" compare scenarios/baseline --levers all --outer 20 --runs 2000 --seed 1 \
        --out "$work/ties-outer" >"$work/ties-outer.txt" 2>&1
    check_that "printed --outer: each cell and judgment range as the brief shows it" \
        Rscript tests/printed_briefing.R "$work/ties-outer.txt" "$work/ties-outer"
    check_that "printed --outer: no number in scientific notation" \
        bash -c "! grep -Eq '[0-9]e[-+][0-9]' '$work/ties-outer.txt'"
else
    skip_part "the printed cells against the brief's rule" "Rscript with readr is missing (make deps)"
fi
tr -d '\r' <"$work/cmp/briefing.csv" >"$work/briefing.csv"
check_that "briefing.csv: the columns beside the best, then the label columns last" \
    grep -q ',distinguishable,minus_best_pp,minus_best_ci_low_pp,minus_best_ci_high_pp,minus_best_distinguishable,minus_best_interval,outcome_label,arm_label,desirable,verdict,rank$' "$work/briefing.csv"
# every outcome and horizon: the ranks of the distinguishable effects are 1..k, the others NA,
# and rank 1 helps at least as much as every other distinguishable effect (help = -diff: lower)
check_that "briefing.csv: ranks are 1..k by help" awk -F, '
    NR == 1 { next }
    # labels may hold commas: the last three columns are counted from the end
    { key = $2 "," $4; dir = $(NF - 2); rank = $NF
      help = (dir == "higher") ? $8 : (dir == "lower" ? -$8 : ($8 < 0 ? -$8 : $8)) }
    $11 == "yes" { n[key]++; if (rank == "NA") bad = 1; h[key, rank] = help; next }
    rank != "NA" { bad = 1 }
    END { for (k in n) for (r = 1; r <= n[k]; r++) {
              if (!((k, r) in h)) bad = 1
              if (r > 1 && h[k, r] > h[k, r - 1]) bad = 1 }
          exit bad }' "$work/briefing.csv"
check_that "briefing.csv: verdicts follow the direction" awk -F, '
    NR == 1 { next }
    $11 == "no" && $(NF - 1) != "unclear" { bad = 1 }
    $11 == "yes" && $(NF - 2) == "lower" && ($8 < 0) != ($(NF - 1) == "helps") { bad = 1 }
    END { exit bad }' "$work/briefing.csv"
check_that "briefing.csv: the arm's label" \
    grep -q '^ncg_institutionalized,.*,NCG institutionalised,lower,' "$work/briefing.csv"
check_that "a plain list of levers: no interactions.csv" test ! -e "$work/cmp/interactions.csv"

check_that "printed: the arm column of levers" grep -q '^outcome / lever ' "$work/cmp.txt"
check_that "printed: levers ranked" grep -q 'Levers ranked by how much' "$work/cmp.txt"
# the columns are dates: the probability is of having occurred by each, which the header says
check_that "printed: the changes are by each date" \
    grep -q '^Change in the probability that each outcome has occurred by each date, in$' "$work/cmp.txt"
# ... and counts them in words that agree with the count: of one lever, "1 of 1 lever" (it read
# "1 of 1 levers"), of two "levers"
"$NEASIM" compare tests/models/judgment --levers null --runs 200 --seed 3 --out "$work/one_lever" \
    >"$work/one_lever.txt" 2>&1
"$NEASIM" compare tests/models/judgment --levers null,double --runs 200 --seed 3 \
    --out "$work/two_levers" >"$work/two_levers.txt" 2>&1
check_that "printed: of one lever, '1 of 1 lever'" \
    grep -qx '  1 of 1 lever: no distinguishable effect' "$work/one_lever.txt"
check_that "printed: of two levers, 'of 2 levers'" \
    grep -Eqx '  [12] of 2 levers: no distinguishable effect' "$work/two_levers.txt"

# --- the printed briefing of a comparison of scenarios names scenarios, not levers: A (in_b
# desirable: higher) against B, where a -> b is faster (B helps) and an outcome nothing reaches
# (g never moves: no difference)
for v in ts_a ts_b; do
    cp -r tests/models/two_state "$work/$v" && rm "$work/$v/levers.csv"
    sed -i "s/^name,two_state,/name,$v,/" "$work/$v/scenario.csv"
    printf 'g,on,1,test\ng,off,0,test\n' >> "$work/$v/factors.csv"
    printf 'g,on,off,0,rate_per_year,test: never\n' >> "$work/$v/transitions.csv"
    printf 'outcome,condition,description,desirable\nin_b,f=b,the chain is in b,higher\ng_off,g=off,never,lower\n' \
        > "$work/$v/outcomes.csv"
done
sed -i 's/^f,a,b,2,/f,a,b,4,/' "$work/ts_b/transitions.csv"
"$NEASIM" compare "$work/ts_a" "$work/ts_b" --runs 2000 --seed 3 --horizons 1 --out "$work/scen" \
    >"$work/scen.txt" 2>&1
check_that "scenarios printed: the arm column" grep -q '^outcome / scenario ' "$work/scen.txt"
check_that "scenarios printed: against the first scenario" \
    grep -q "marks a change not distinguishable from zero). The first: ts_a.$" "$work/scen.txt"
check_that "scenarios printed: the changes are by each date" \
    grep -q '^Change in the probability that each outcome has occurred by each date, from the$' "$work/scen.txt"
check_that "scenarios printed: ranked scenarios" grep -q 'Scenarios ranked by how much' "$work/scen.txt"
check_that "scenarios printed: the first scenario's level" grep -Eq '^  ts_a \(probability\) +[0-9.]+%' "$work/scen.txt"
check_that "scenarios printed: the best scenario" \
    grep -Eq '^  best scenario: ts_b \(\+[0-9.]+ pp by 2026-01-01\)$' "$work/scen.txt"
check_that "scenarios printed: none differs" \
    grep -q '^  no other scenario has a difference distinguishable from zero$' "$work/scen.txt"
check_that "scenarios printed: counted" \
    grep -q '^  1 of 1 other scenario: no distinguishable difference$' "$work/scen.txt"
check_that "scenarios printed: no lever anywhere" bash -c "! grep -qi 'lever' '$work/scen.txt'"
# a scenario does not help or hurt: the outcome is better or worse in it (briefing.csv's verdict
# still says helps, as for every kind of arm)
check_that "scenarios printed: better, not helps" grep -Eq '^  1\. ts_b +better +\+[0-9.]+ \(' "$work/scen.txt"
check_that "scenarios printed: no helps or hurts" bash -c "! grep -Eq ' (helps|hurts|help)\b' '$work/scen.txt'"
check_that "scenarios printed: ranked by how much better" \
    grep -q '^Scenarios ranked by how much better they are by .* (the best first);$' "$work/scen.txt"
# the first column is as wide as its widest entry, the first scenario's row included: that row,
# "flood_barrier (probability)", pushed its first figure out of line with the dates before; a
# name too long for the column's cap is cut with "..." and keeps it in line
for v in flood_barrier flood_barrier_with_a_name_far_longer_than_the_column_takes; do
    rm -rf "${work:?}/$v"; cp -r "$work/ts_a" "$work/$v"
    sed -i "s/^name,ts_a,/name,$v,/" "$work/$v/scenario.csv"
    "$NEASIM" compare "$work/$v" "$work/ts_b" --runs 200 --seed 3 --horizons 1,2 \
        --out "$work/scen-$v" >"$work/scen-$v.txt" 2>&1
    check_that "scenarios printed: $v's first figure under its date" awk -v v="$v" '
        /^outcome \/ scenario / { col = index($0, "2026-01-01") }
        index($0, "  " substr(v, 1, 20)) == 1 && /\(probability\)/ && !row { row = $0 }
        END { if ((row ~ /\.\.\. \(probability\)/) != (length(v) > 40)) exit 1
              exit !(col > 0 && match(row, /[0-9.]+%/) == col) }' "$work/scen-$v.txt"
done

# --- interactions: a factorial comparison of two levers of known interaction
"$NEASIM" compare tests/models/interact --levers double,triple --factorial --runs 20000 --seed 5 \
    --horizons 0.5,1 --out "$work/int" >"$work/int.txt" 2>&1
tr -d '\r' <"$work/int/interactions.csv" >"$work/int.csv"
check_that "interactions.csv: header" grep -qx \
    'arm,lever_a,lever_b,outcome,measure,horizon_years,date,interaction_pp,ci_low_pp,ci_high_pp,distinguishable,outcome_label,arm_label' \
    "$work/int.csv"
# the closed form at 1 year (tests/test_interactions.c): 9.93 pp; the interval must hold it
check_that "interactions.csv: the interval holds the closed form" awk -F, '
    $6 == "1" { x = 0.2 * 365 / 365.25
                v = 100 * (exp(-2 * x) + exp(-3 * x) - exp(-6 * x) - exp(-x))
                found = 1; if (!($9 < v && v < $10)) bad = 1 }
    END { exit !(found && !bad) }' "$work/int.csv"
tr -d '\r' <"$work/int/briefing.csv" >"$work/int-briefing.csv"
check_that "interactions.csv: a+b minus a minus b, from briefing.csv" awk -F, '
    FILENAME ~ /briefing/ && FNR > 1 && $4 == "1" { d[$1] = $8; next }
    FILENAME !~ /briefing/ && $6 == "1" { i = $8 }
    END { v = d["double+triple"] - d["double"] - d["triple"]; e = v - i
          exit !(e * e < 0.01 * 0.01) }' "$work/int-briefing.csv" "$work/int.csv"
check_that "printed: the interaction" \
    grep -Eq '^  Twice as fast \+ Three times as fast on Switch is on: +by 2025-07-01 \+[0-9.]+ \(' "$work/int.txt"
"$NEASIM" compare tests/models/interact --levers double,triple,double+triple --runs 2000 --seed 5 \
    --horizons 1 --out "$work/int2" --quiet
check_that "a list with a, b and a+b: interactions too" test -s "$work/int2/interactions.csv"

# the same bytes for any number of threads (the pairs of an interaction merge as integers)
for t in 1 2; do
    "$NEASIM" compare tests/models/interact --levers double,triple --factorial --runs 3000 --seed 9 \
        --horizons 1 --threads $t --out "$work/thr$t" --quiet
done
check_that "interactions.csv: 1 and 2 threads give the same bytes" \
    cmp -s "$work/thr1/interactions.csv" "$work/thr2/interactions.csv"
check_that "briefing.csv: 1 and 2 threads give the same bytes" \
    cmp -s "$work/thr1/briefing.csv" "$work/thr2/briefing.csv"

# The printed verdict is the last horizon's; a lever distinguishable only earlier shows the verdict
# of the latest horizon where it is, marked '*', and a note says so (tests/models/two_state, seed 5:
# +15.0 (+10.0, +20.0) by 3 months, +0.5 (-0.5, +1.5) by 2 years)
"$NEASIM" compare tests/models/two_state --levers faster --runs 200 --seed 5 --horizons 0.25,2 \
    --out "$work/early" > "$work/early.txt" 2>&1
check_that "a verdict from an earlier horizon is marked '*'" \
    grep -Eq '^  1\. faster +changes\* +\+15\.0 \(\+10\.0, \+20\.0\) +\+0\.5 \(-0\.5, \+1\.5\) ~$' "$work/early.txt"
check_that "and the note under the table says what '*' means" \
    grep -qx "\*: not distinguishable by 2027-01-01; the verdict is that of the latest horizon where it is." "$work/early.txt"
"$NEASIM" compare tests/models/two_state --levers faster --runs 200 --seed 3 --horizons 0.25,2 \
    --out "$work/late" > "$work/late.txt" 2>&1
check_that "no '*' and no note when the last horizon's verdict stands" \
    eval '! grep -q "\*" "$work/late.txt"'
check_that "the printed briefing has no trailing blanks" eval '! grep -q " $" "$work/early.txt"'

# --- labels are free UTF-8 text: the printed table's columns line up in a terminal, where a Hangul
# syllable takes two columns and an accented letter one, and a long label is cut at a character
# (it was cut by bytes, splitting a character, and padded by bytes, so that every Korean character
# pulled the row's numbers one column left)
rm -rf "$work/wide"; cp -r tests/models/two_state "$work/wide"
printf 'lever,target,operation,value,from_date,description,source,label\n%s\n%s\n' \
    'faster,transitions:f:a>b,multiply,1.5,,x,test,Coût partagé 한미 협력' \
    'later,transitions:f:a>b,multiply,2,2026-01-01,x,test,가치 외교와 한미일 협력 강화를 위한 장기적인 전략의 추진' \
    > "$work/wide/levers.csv"
printf 'outcome,condition,description,label\nin_b,f=b,x,b 상태 (état b)\n' > "$work/wide/outcomes.csv"
"$NEASIM" compare "$work/wide" --levers faster,later --runs 2000 --seed 3 --horizons 1,2 \
    --out "$work/widec" >"$work/wide.txt" 2>&1
check_that "wide labels: the printed table lines up in columns and is valid UTF-8" python3 - "$work/wide.txt" <<'PY'
import re, sys, unicodedata
def width(s):
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in s)
text = open(sys.argv[1], "rb").read().decode("utf-8")   # raises on a split character
lines = text.splitlines()
head = next(l for l in lines if l.startswith("outcome / lever"))
date_col = width(head[:head.index("2026-01-01")])
base = next(l for l in lines if "baseline (probability)" in l)
after = base.index("(probability)") + len("(probability)")
base_col = width(base[:after + len(base[after:]) - len(base[after:].lstrip())])
rows = [l for l in lines if re.match(r"^  [0-9]+\. ", l)]
verdict_cols = [width(l[:re.search(r" (changes|helps|hurts) ", l).start() + 1]) for l in rows]
cut = [l for l in rows if "..." in l]
ok = (len(rows) == 2 and date_col == base_col and all(v + 10 == date_col for v in verdict_cols)
      and len(cut) == 1 and "가치 외교" in cut[0] and "Coût partagé 한미 협력" in text)
if not ok:
    print("    header date at", date_col, "baseline cell at", base_col, "verdicts at", verdict_cols,
          "rows", rows)
sys.exit(0 if ok else 1)
PY

# --- run's printed summary names outcomes as compare's does, by their labels (it printed the
# names: "usfk_reduced (onset)" where compare said "USFK cut below today's posture"), lined up in
# display columns; a label too long for the column is cut with "..."; without a label, the name
"$NEASIM" run scenarios/baseline --runs 2000 --seed 3 --out "$work/runsum" >"$work/runsum.txt" 2>&1
check_that "run summary: an outcome's row is its label, with (onset)" \
    grep -Eq "^USFK cut below today's posture \(onset\) +[0-9.]+% \(" "$work/runsum.txt"
check_that "run summary: the onset note names the outcome by its label" \
    grep -Eq "^  USFK cut below today's posture +[0-9.]+% \(" "$work/runsum.txt"
check_that "run summary: no outcome by its name" eval '! grep -q "usfk_reduced" "$work/runsum.txt"'
check_that "run summary: the row's numbers are those of outcomes.csv" python3 - "$work/runsum" "$work/runsum.txt" <<'PY'
import csv, re, sys
rows = list(csv.DictReader(open(sys.argv[1] + "/outcomes.csv", encoding="utf-8-sig")))
r = next(r for r in rows if r["outcome"] == "usfk_reduced" and r["date"] == "2036-11-01"
         and r["measure"] == "occurred_by")
line = next(l for l in open(sys.argv[2]) if l.startswith("USFK cut below"))
cells = re.findall(r"([0-9.]+)% \(([0-9.]+)-([0-9.]+)\)", line)
want = tuple("%.1f" % (100 * float(r[k])) for k in ("probability", "ci_low", "ci_high"))
ok = cells[-1] == want
if not ok:
    print("    printed", cells[-1], "outcomes.csv", want)
sys.exit(0 if ok else 1)
PY
"$NEASIM" run tests/models/known_levers --runs 200 --seed 3 --out "$work/runkl" >"$work/runkl.txt" 2>&1
check_that "run summary: an outcome without a label is shown by its name" \
    grep -Eq "^a_on +[0-9.]+% \(" "$work/runkl.txt"
printf 'outcome,condition,description,label\n%s\n%s\n' \
    'in_b,f=b,x,b 상태 (état b)' \
    'long_b,f=b,x,상태 b에 도달한 뒤 오래 머무는 경우를 세는 아주 긴 결과 이름입니다 (a label far too long)' \
    > "$work/wide/outcomes.csv"
"$NEASIM" run "$work/wide" --runs 2000 --seed 3 --horizons 1,2 --out "$work/wider" >"$work/wider.txt" 2>&1
check_that "run summary: wide labels line up in display columns, a long one is cut, valid UTF-8" python3 - "$work/wider.txt" <<'PY'
import re, sys, unicodedata
def width(s):
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in s)
lines = open(sys.argv[1], "rb").read().decode("utf-8").splitlines()   # raises on a split character
head = next(l for l in lines if l.startswith("outcome "))
col = width(head[:re.search(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", head).start()])
rows = [l for l in lines if re.match(r"^(b 상태|상태 b)", l)]
# a cell is "  NN.N% (": its first digit or blank sits 2 columns right of the date's column
starts = [width(l[:re.search(r" +[0-9.]+% \(", l).start()]) for l in rows]
firsts = [width(l[:re.search(r"[0-9.]+% \(", l).start()]) + len(re.search(r"[0-9.]+%", l).group()) for l in rows]
ok = (len(rows) == 2 and len(set(firsts)) == 1 and all(s < col for s in starts)
      and "..." in rows[1] and "a label far too long" not in rows[1] and width(rows[1].split("  ")[0]) <= 48)
if not ok:
    print("    date column", col, "row starts", starts, "number ends", firsts, "rows", rows)
sys.exit(0 if ok else 1)
PY

# --- a state outcome that holds at the start in some runs: its "by" counts those runs as if the
# state were news (formal-alignment's coordination, 99% by 2036, holds in 70% of runs at the
# start); the summary says so and gives the share, as it does for onsets
"$NEASIM" run scenarios/formal-alignment --runs 4000 --seed 7 --out "$work/fa" >"$work/fa.txt" 2>&1
check_that "run summary: a state outcome's share at the start, equal to outcomes.csv's" python3 - "$work/fa" "$work/fa.txt" <<'PY'
import csv, re, sys
rows = list(csv.DictReader(open(sys.argv[1] + "/outcomes.csv", encoding="utf-8-sig")))
first = min(r["date"] for r in rows)
r = next(r for r in rows if r["outcome"] == "rcd_coordinated_or_formal" and r["date"] == first
         and r["measure"] == "holds")
text = open(sys.argv[2]).read()
note = text[text.index("Outcomes without (onset) count every run"):]
m = re.search(r"^  Russia-China-DPRK coordinate +([0-9.]+)% \(([0-9.]+)-([0-9.]+)\)", note, re.M)
want = tuple("%.1f" % (100 * float(r[k])) for k in ("probability", "ci_low", "ci_high"))
ok = m is not None and m.groups() == want and float(want[0]) > 50
if not ok:
    print("    printed", m and m.groups(), "outcomes.csv", want)
sys.exit(0 if ok else 1)
PY
check_that "run summary: no state paragraph when no state outcome holds at the start" \
    eval '! grep -q "count every run that is in the condition" "$work/runsum.txt"'

# --- a factorial comparison's arms of several levers, too long for the column, are cut lever by
# lever: every row names a different arm (one cut of the whole printed "Equitable burden sharing
# + U.S. posture re..." for both a+b and a+b+c), each lever's part is the start of its label, and
# the rows stay within the column
"$NEASIM" compare scenarios/baseline --levers equitable_burden_sharing,us_posture_review,ncg_institutionalized \
    --factorial --runs 1000 --seed 5 --horizons 2,10 --out "$work/fac" >"$work/fac.txt" 2>&1
check_that "factorial printed: every arm's row names a different arm, cut lever by lever" python3 - "$work/fac.txt" <<'PY'
import re, sys
labels = ["Equitable burden sharing", "U.S. posture review before any cut", "NCG institutionalised"]
text = open(sys.argv[1], encoding="utf-8").read()
ok, seen = True, 0
for block in text.split("\n\n"):
    rows = re.findall(r"^  [0-9]+\. (.+?) +(?:helps|hurts|changes)\*? ", block, re.M)
    names = []
    for r in rows:
        parts = r.split(" + ")
        # each part the start of one lever's label (whole, or cut with "..."), in lever order
        which = [next((k for k, l in enumerate(labels)
                       if p == l or (p.endswith("...") and l.startswith(p[:-3]))), None) for p in parts]
        ok = ok and None not in which and which == sorted(which) and len(r) <= 45
        names.append(tuple(which))
    ok = ok and len(names) == len(set(names))
    seen += sum(len(x) == 3 for x in names)
if not (ok and seen >= 2):
    print("    rows:", re.findall(r"^  [0-9]+\. .{45}", text, re.M)[:8])
sys.exit(0 if ok and seen >= 2 else 1)
PY

# A row that is the same to the last digit as one above it (a factorial's a+b where b does not
# touch the outcome) says so rather than repeating the numbers: "the same as 1. to the last digit,
# at every date" (four identical rows on "U.S.-ROK alliance in crisis" before). Against the
# tables: a row said to be the same as rank M has briefing.csv's and differences.csv's numbers of
# rank M's arm at every horizon; a row with numbers has no row above it with all of them equal.
"$NEASIM" compare scenarios/baseline --levers equitable_burden_sharing,us_posture_review,ncg_institutionalized \
    --factorial --runs 2000 --out "$work/same" > "$work/same.txt" 2>&1
check_that "factorial: rows the same as one above say so (at least 6)" \
    test "$(grep -c '  the same as [0-9]*\. to the last digit, at every date$' "$work/same.txt")" -ge 6
check_that "factorial: each 'the same as' against briefing.csv and differences.csv" \
    python3 - "$work/same" "$work/same.txt" <<'PY'
import csv, re, sys
d, text = sys.argv[1], open(sys.argv[2], encoding="utf-8").read()
rows = list(csv.DictReader(open(d + "/briefing.csv", encoding="utf-8", newline="")))
# the printed table ranks the arms by the last horizon (briefing.csv ranks at each)
last = max(float(r["horizon_years"]) for r in rows)
ranked = [r for r in rows if float(r["horizon_years"]) == last]
label = {}
for r in rows:
    label[r["outcome_label"]] = r["outcome"]
dif = {}
for r in csv.DictReader(open(d + "/differences.csv", encoding="utf-8", newline="")):
    if r["quantity"] == "outcome" and r["measure"] == "occurred_by":
        dif[(r["arm"], r["name"], r["date"])] = (r["difference"], r["ci_low"], r["ci_high"])
dates = sorted({r["date"] for r in rows})
def numbers(arm, o):
    b = [(r["difference_pp"], r["ci_low_pp"], r["ci_high_pp"]) for r in rows
         if r["arm"] == arm and r["outcome"] == o]
    return b, [dif[(arm, o, t)] for t in dates]
bad, said, plain = [], 0, 0
outcome = None
for line in text.splitlines():
    head = re.match(r"^(\S.*?)( \(onset.*\)| \((lower|higher) is better\))?$", line)
    if head and head.group(1) in label:
        outcome = label[head.group(1)]
        continue
    m = re.match(r"^  ([0-9]+)\. ", line)
    if not m or outcome is None:
        continue
    rank = m.group(1)
    arm = sorted({r["arm"] for r in ranked if r["outcome"] == outcome and r["rank"] == rank})
    if len(arm) != 1:
        bad.append("rank %s of %s: %d arms in briefing.csv" % (rank, outcome, len(arm)))
        continue
    same = re.search(r"the same as ([0-9]+)\. to the last digit, at every date$", line)
    above = {r["arm"] for r in ranked if r["outcome"] == outcome and r["rank"] not in ("NA", "")
             and int(r["rank"]) < int(rank)}
    if same:
        said += 1
        other = sorted({r["arm"] for r in ranked
                        if r["outcome"] == outcome and r["rank"] == same.group(1)})
        if int(same.group(1)) >= int(rank) or numbers(arm[0], outcome) != numbers(other[0], outcome):
            bad.append("%s rank %s said the same as %s" % (outcome, rank, same.group(1)))
    else:
        plain += 1
        if any(numbers(arm[0], outcome) == numbers(a, outcome) for a in above):
            bad.append("%s rank %s repeats the numbers of a row above" % (outcome, rank))
print("   ", said, "said the same,", plain, "with numbers;", bad[:5])
sys.exit(0 if said >= 6 and plain >= 6 and not bad else 1)
PY

expect "run summary: one replication is '1 run'" 0 "^two_state: 1 run in " -- \
    run tests/models/two_state --runs 1 --out "$work/one"
expect "compare: one replication is '1 run'" 0 "^known_levers: 4 arms x 1 run in " -- \
    compare tests/models/known_levers --levers all --runs 1 --out "$work/one-c"

cli_done briefing
