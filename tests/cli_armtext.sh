# tests/cli_armtext.sh: arms.csv's column `changes`, what each lever row changes in words, written
# from the resolved model (src/model/lever_text.c): the expected sentences for real levers of the
# baseline (each kind of target its levers use), of a variant that extends it (its own lever, and
# a modifier that only the variant adds, named by its row number in the resolved table), and the
# brief of a comparison whose folder was moved away from its scenario, which must still say each
# change in the scenario's labels (tests/brief_check.py levers: each line is arms.csv's `changes`).
source "$(dirname "$0")/cli-lib.sh"

# changes DIR ARM TARGET: the column `changes` of that row of DIR/arms.csv ("" when absent)
changes() {
    python3 - "$@" <<'EOF'
import csv, sys
d, arm, target = sys.argv[1:4]
for r in csv.DictReader(open(d + "/arms.csv", newline="", encoding="utf-8")):
    if r["arm"] == arm and r["target"] == target:
        print(r.get("changes", ""))
        break
EOF
}

# says NAME DIR ARM TARGET SENTENCE: that row's `changes` is SENTENCE exactly
says() {
    local name=$1 got
    got=$(changes "$2" "$3" "$4")
    if [ "$got" = "$5" ]; then pass=$((pass + 1)); else
        echo "FAIL $name: $3 $4"; echo "    got:  '$got'"; echo "    want: '$5'"; fail=$((fail + 1)); fi
}

# ---- the baseline: one lever row of each kind its levers use
cmp="$work/base"
"$NEASIM" compare scenarios/baseline --runs 50 --seed 1 --out "$cmp" --quiet \
    --levers us_reaffirmation_assistance,us_posture_review,value_diplomacy,prepared_joint_responses
check_that "arms.csv ends with the column changes" \
    test "$(head -1 "$cmp/arms.csv" | tr -d '\r')" = "arm,lever,target,operation,value,from_date,description,changes"
check_that "the baseline's row has NA for changes" \
    grep -q '^baseline,.*,the scenario as it is,NA.$' "$cmp/arms.csv"
says "a transition, multiplied: its yearly rate, in labels" "$cmp" us_reaffirmation_assistance \
    "transitions:rok_nuclear_debate:mainstream_debate>pursue_latency_or_weapons" \
    "ROK nuclear debate: mainstream debate → pursuing latency or weapons: yearly rate × 0.7"
says "a transition, set: in its row's unit" "$cmp" value_diplomacy \
    "transitions:us_alliance_posture:transactional>alliance_first" \
    "Washington: transactional → alliance first: annual probability set to 0.2"
says "a transition from '*': any level" "$cmp" us_posture_review \
    "transitions:usfk_posture:*>major_withdrawal" \
    "USFK posture: any level → major withdrawal: yearly rate × 0.5"
says "a modifier by id: its target and its condition of two clauses" "$cmp" value_diplomacy \
    "modifiers:trilateral_stalls_in_money_dispute" \
    "U.S.-ROK-Japan partnership: institutionalised → stalled, while Washington is transactional and Burden-sharing pressure is escalated or crisis: multiplier set to 1"
says "a modifier with one clause" "$cmp" us_posture_review "modifiers:usfk_cut_under_trump" \
    "USFK posture: current → reduced, while U.S. administration is Trump second term: multiplier set to 1"
says "an effect: its trigger (a counted event) and its action (a draw)" "$cmp" prepared_joint_responses \
    "effects:trilateral_rally_after_test:probability" \
    "Chance that an occurrence of DPRK nuclear tests sets off the trilateral rally after a North Korean nuclear test: probability set to 0.8"
says "a draw: its move and when it runs (the draw's label)" "$cmp" prepared_joint_responses \
    "draws:rok_nuclear_shock:mainstream_debate>pursue_latency_or_weapons" \
    "Chance of ROK nuclear debate: mainstream debate → pursuing latency or weapons (ROK nuclear debate after a North Korean nuclear test): probability set to 0.05"

# ---- the kinds no shipped lever uses, on a copy of the baseline: an initial level, a counted
# event's numbers, seasonal months (canonical order), an effect's delay and a factor-change
# trigger, a draw that stays, a modifier written with '!=' (said as written), a duration
k="$work/kinds"
cp -r scenarios/baseline "$k"
cat >> "$k/levers.csv" <<'EOF'
kinds,factors:rok_political_stability:crisis,set,0.1,,every kind,t,Every kind
kinds,events:launch_days:dispersion,multiply,2,2027-01-01,,t,
kinds,events:launch_days:rate_per_year,set,12,2027-01-01,,t,
kinds,seasonality:dprk_testing_posture:*>surge:8|3-4,multiply,1.1,2027-01-01,,t,
kinds,effects:2:delay_days,set,30,2027-01-01,,t,
kinds,effects:surge_clock_stops:probability,set,0.9,2027-01-01,,t,
kinds,draws:us_election_open_seat:transactional>transactional,set,0.3,2027-01-01,,t,
kinds,modifiers:4,multiply,1.1,2027-01-01,,t,
kinds,durations:dprk_surge_clock:running>sustained:value,set,90,2027-01-01,,t,
EOF
"$NEASIM" compare "$k" --levers kinds --runs 20 --seed 1 --out "$work/kinds-out" --quiet
for row in \
    "factors:rok_political_stability:crisis|Chance that ROK political stability starts crisis: probability set to 0.1" \
    "events:launch_days:dispersion|DPRK missile launch days: dispersion × 2" \
    "events:launch_days:rate_per_year|DPRK missile launch days: yearly rate set to 12" \
    "seasonality:dprk_testing_posture:*>surge:8|3-4|DPRK testing: any level → surge: seasonality, months 3-4, 8: seasonal multiplier × 1.1" \
    "effects:2:delay_days|Delay before ROK political stability normal after ROK political stability: acting president → president removed: days set to 30" \
    "effects:surge_clock_stops:probability|Chance that DPRK testing: surge → any level sets off DPRK surge (sustained) no surge: probability set to 0.9" \
    "draws:us_election_open_seat:transactional>transactional|Chance that Washington stays transactional (open-seat U.S. presidential election of 2028): probability set to 0.3" \
    "modifiers:4|Seoul's foreign-policy line: alliance first → balancing, while USFK posture is not current: multiplier × 1.1" \
    "durations:dprk_surge_clock:running>sustained:value|Duration of DPRK surge (sustained): surge under 6 months → sustained surge, its value: days set to 90"; do
    target=${row%%|[A-Z]*}
    says "kinds: $target" "$work/kinds-out" kinds "$target" "${row#"$target|"}"
done

# ---- a scenario without labels: its names in words, a counted event's and a factor's capitalised
"$NEASIM" compare tests/models/known_levers --levers widen_c --runs 20 --seed 1 --out "$work/unlabelled" --quiet
says "no label: an event's name in words" "$work/unlabelled" widen_c "events:alarm_c:rate_per_year" \
    "Alarm c: yearly rate × 4"
says "no label: a factor and its levels as named" "$work/unlabelled" widen_c "transitions:c:off>on" \
    "C: off → on: yearly rate × 8"
"$NEASIM" compare tests/models/ids --levers by_row,effect_by_id --runs 20 --seed 1 --out "$work/ids" --quiet
says "no label: a modifier by row number" "$work/ids" by_row "modifiers:2" \
    "H: off → on, while F is b: multiplier set to 1"
says "no label: an effect whose action sets a level" "$work/ids" effect_by_id "effects:f_pulls_h:probability" \
    "Chance that F: a → b sets off H on: probability set to 0.9"

# an effect with `when`: the condition is said with the trigger (two rows that differ only there
# must not read alike), for its probability and for its delay; `when_due` after the action
d="$work/ew"; rm -rf "$d"; cp -r tests/models/effect_when "$d"
printf 'lever,target,operation,value,from_date,description,source\nhalf_up,effects:half:probability,multiply,1.5,,x,x\nlate_sooner,effects:late:delay_days,multiply,0.5,,x,x\nboth_up,effects:both:probability,set,0.5,,x,x\nboth_sooner,effects:both:delay_days,set,30,,x,x\n' >"$d/levers.csv"
"$NEASIM" compare "$d" --levers all --runs 20 --seed 1 --out "$work/ew-out" --quiet
says "an effect with when: its chance" "$work/ew-out" half_up "effects:half:probability" \
    "Chance that an occurrence of Shock, while F is a, sets off an occurrence of Half in a: probability × 1.5"
says "an effect with when: its delay" "$work/ew-out" late_sooner "effects:late:delay_days" \
    "Delay before an occurrence of Late in a after an occurrence of Shock, while F is a: days × 0.5"
says "an effect with when and when_due: its chance" "$work/ew-out" both_up "effects:both:probability" \
    "Chance that an occurrence of Shock, while F is a, sets off an occurrence of Both in a, if F is a when due: probability set to 0.5"
says "an effect with when and when_due: its delay" "$work/ew-out" both_sooner "effects:both:delay_days" \
    "Delay before an occurrence of Both in a after an occurrence of Shock, while F is a, if F is a when due: days set to 30"

# ---- a variant (extends): the shipped one's own lever, then one in a folder of its own whose
# lever names by number a modifiers.csv row that only the variant adds (row 70 of the resolved
# table: the base's 68 rows, then the variant's in its order)
"$NEASIM" compare scenarios/us-retrenchment --levers congress_troop_floor --runs 20 --seed 1 \
    --out "$work/retrench" --quiet
says "a variant's lever" "$work/retrench" congress_troop_floor \
    "transitions:usfk_posture:current>reduced" "USFK posture: current → reduced: yearly rate × 0.4"
mkdir -p "$work/scen"
cp -r scenarios/baseline "$work/scen/base"
cp -r scenarios/formal-alignment "$work/scen/variant"
sed -i 's|^extends,\.\./baseline,|extends,../base,|' "$work/scen/variant/scenario.csv"
printf '%s\n' 'by_row,modifiers:70,set,2,2027-01-01,"a row the variant adds, by its number",t,By row' \
    >> "$work/scen/variant/levers.csv"
(cd "$work/scen" && "$NEASIM" compare variant --levers engage_china_on_dprk,by_row --runs 50 --seed 1 \
    --out "$work/variant-out" --quiet)
says "a variant: a modifier it adds, by id" "$work/variant-out" engage_china_on_dprk \
    "modifiers:surge_under_formal_alignment" \
    "DPRK testing: any level → surge, while Russia-China-DPRK alignment is formal trilateral: multiplier set to 1.2"
says "a variant: a modifier it adds, by its row number in the resolved table" "$work/variant-out" by_row \
    "modifiers:70" "DPRK ICBM launches, while Russia-China-DPRK alignment is formal trilateral: multiplier set to 2"

# ---- the folder moved away from its scenario (and the scenario gone from where it was): the
# brief still says every change in labels, as arms.csv has it
if r_has ggplot2 readr scales htmltools; then
    mv "$work/variant-out" "$work/moved"
    mv "$work/scen" "$work/scen-elsewhere"
    Rscript scripts/brief.R "$work/moved" > "$work/brief.log" 2>&1
    check_that "moved: the brief renders" test -s "$work/moved/brief.html"
    python3 tests/brief_check.py levers "$work/moved" > "$work/levers.log" 2>&1
    sed -n 's/^FAIL /FAIL moved: /p' "$work/levers.log"
    check_that "moved: each line of 'What each lever changes' is arms.csv's changes ($(tail -1 "$work/levers.log"))" \
        grep -q ', 0 failed$' "$work/levers.log"
    for s in "DPRK ICBM launches, while Russia-China-DPRK alignment is formal trilateral: multiplier set to 2, from 2027-01-01" \
             "Russia-China-DPRK alignment: coordinated → formal trilateral: yearly rate × 0.5, from 2027-01-01"; do
        check_that "moved: the brief says '$s'" grep -qF "$s" "$work/moved/brief.html"
    done
else
    skip_part "the moved folder's brief" "R with ggplot2, readr, scales and htmltools is not installed (make deps)"
fi

cli_done armtext
