# tests/cli_brief.sh: the brief of `neasim compare --levers all` on the baseline as a reader sees
# it: rendered by headless Chromium in a window 1400 px wide, it must be drawn (a screenshot that is
# not blank), shorter than four screens (4 x 900 px: findings, key figures and the outcomes table
# open, the rest folded), self-contained, and its numbers must be the CSV files' (the outcomes
# table against outcomes.csv, the best levers and the summary's sentences against briefing.csv, the
# lever forest's drawn rows against differences.csv: tests/brief_check.py), and those of a compare
# --outer brief too, and those of a comparison of scenarios, whose brief and figures speak of
# scenarios, not levers, and of a model and scenarios whose names have no labels (read in the
# brief's words for them); a run's brief whose first finding
# names a state outcome held at the start says so, and one held at the start in every run is said
# apart; a brief killed midway leaves a temporary copy that neither neasim nor the next brief
# trips on. BRIEF_KEEP=1 keeps the folder and the screenshot, to look at them.
source "$(dirname "$0")/cli-lib.sh"

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
SCREEN=900           # px: one screen of a 1400 px wide display
MAX_SCREENS=4
skip_unless_brief_tools
if [ "${BRIEF_KEEP:-0}" = 1 ]; then trap - EXIT; echo "brief: kept in $work"; fi

# chromium ARGS...: headless, no network, no profile of its own beyond a scratch folder
chromium() {
    local profile
    profile=$(mktemp -d "$work/profile-XXXXXX")
    timeout 180 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" --hide-scrollbars --run-all-compositor-stages-before-draw \
        --virtual-time-budget=10000 "$@" 2>/dev/null
}

# brief_case NAME MODE WHAT SAYS NEASIM_ARGS...: the folder $work/NAME of `neasim NEASIM_ARGS
# --out $work/NAME --quiet`, its brief (no figures needed) and tests/brief_check.py MODE on it;
# its failures are reprinted as "FAIL brief WHAT: ...", and the check reads "SAYS (N checked, ...)"
brief_case() {
    local name=$1 mode=$2 what=$3 says=$4 log="$work/$2-$1.log"
    shift 4
    "$NEASIM" "$@" --out "$work/$name" --quiet
    Rscript scripts/brief.R "$work/$name" > "$work/render-$name.log" 2>&1
    python3 tests/brief_check.py "$mode" "$work/$name" > "$log" 2>&1
    sed -n "s/^FAIL /FAIL brief $what: /p" "$log"
    check_that "$says ($(tail -1 "$log"))" grep -q ', 0 failed$' "$log"
}

dir="$work/cmp"
"$NEASIM" compare scenarios/baseline --levers all --runs 500 --seed 1 --out "$dir" --quiet
check_that "compare --levers all on the baseline" test -s "$dir/briefing.csv"
{ Rscript scripts/figures.R "$dir" && Rscript scripts/brief.R "$dir"; } > "$work/render.log" 2>&1
check_that "figures and brief render" test -s "$dir/brief.html"
[ -s "$dir/brief.html" ] || { tail -20 "$work/render.log"; cli_done brief; exit 1; }

# --- under an analyst's own language setting (LANG=ko_KR.UTF-8), the month names of an English
# brief stay English ("by 11월 2036" before); the Korean locale is compiled into the scratch
# folder (localedef, from Debian's `locales`: make deps), so nothing system-wide changes
mkdir -p "$work/locale"
if localedef -i ko_KR -f UTF-8 "$work/locale/ko_KR.UTF-8" >/dev/null 2>&1 ||
   [ -d "$work/locale/ko_KR.UTF-8" ]; then
    cp -r "$dir" "$work/ko"
    LOCPATH="$work/locale" LC_ALL=ko_KR.UTF-8 LANG=ko_KR.UTF-8 Rscript scripts/brief.R "$work/ko" \
        > "$work/ko.log" 2>&1
    check_that "under a Korean locale (checked: it names months in Korean), the brief's months are English" \
        bash -c "[ \"\$(LOCPATH='$work/locale' LC_ALL=ko_KR.UTF-8 Rscript -e 'cat(format(as.Date(\"2036-11-01\"), \"%b\"))')\" = '11월' ] &&
                 grep -q 'by Nov 2036' '$work/ko/brief.html' && ! grep -q '월' '$work/ko/brief.html'"
else
    skip_part "the month names under a Korean locale" \
        "localedef or the ko_KR source is missing: Debian's locales, make deps"
fi
html="$dir/brief.html"
# self-contained: all it shows is in it (every src a data: URI); its only links are to the pages
# of figures drawn over pages of arms, in figures/ beside it (brief_check.py: each such file exists)
check_that "the brief is one self-contained HTML page" \
    bash -c "head -c 15 '$html' | grep -q '<!DOCTYPE html>' &&
             ! grep -Eo '(src|href)=\"[^\"]{0,200}' '$html' |
                 grep -Ev '^src=\"data:|^href=\"(#|figures/[^/\"]+\\.(png|pdf)\"?$)'"
check_that "the brief leads with findings" \
    bash -c "grep -n '<h2>' '$html' | head -1 | grep -q 'In brief'"
# its own dates written as its other dates are ("by Nov 2036"): the scenario's span in the header
# and when it was made in the footer (they read "2026-11-01 to 2036-11-01", "2026-12-05 22:40 UTC")
made=' on [1-9][0-9]? [A-Z][a-z]{2} 2[0-9]{3}, [0-9]{2}:[0-9]{2} [A-Z+0-9-]+\.</footer>'
check_that "header and footer dates read \"1 Nov 2026\" and \"5 Dec 2026, 22:40 UTC\"" \
    bash -c "grep -qF '· 1 Nov 2026 to 1 Nov 2036 ·' '$html' && grep -Eq '$made' '$html'"
# the provenance counts the runs as the header does, per arm (it said "500 runs" of nine arms')
check_that "the provenance says the runs per arm" \
    grep -q '<summary>Provenance: neasim [^<]*, seed 1, 500 runs per arm</summary>' "$html"

# its height in the browser: a copy that writes document height into its title, --dump-dom
sed 's|</body>|<script>document.title = "height=" + Math.max(document.body.scrollHeight, document.documentElement.scrollHeight);</script></body>|' \
    "$html" > "$work/measure.html"
height=$(chromium --window-size=1400,$SCREEN --dump-dom "file://$work/measure.html" |
         grep -o '<title>height=[0-9]*' | grep -o '[0-9]*$')
echo "brief: $(stat -c %s "$html") bytes, $height px tall at 1400 px ($(( (${height:-0} + SCREEN - 1) / SCREEN )) screens of $SCREEN px)"
check_that "the brief's height is measured" test -n "$height"
check_that "the brief is under $MAX_SCREENS screens at 1400 px (${height:-?} px)" \
    test "${height:-99999}" -le $((MAX_SCREENS * SCREEN))

# a screenshot of the whole page: drawn, not blank
chromium --window-size=1400,"${height:-3600}" --screenshot="$work/brief.png" "file://$html" >/dev/null
read -r w h share < <(python3 tests/brief_check.py png "$work/brief.png" 2>/dev/null)
echo "brief: screenshot ${w:-?} x ${h:-?} px, ${share:-?} of it not white"
check_that "the screenshot is 1400 px wide" test "${w:-0}" = 1400
check_that "the screenshot is not blank (${share:-?} not white)" \
    python3 -c "import sys; sys.exit(not (0.02 < float('${share:-0}') < 0.9))"

# the numbers of the page are those of the tables
python3 tests/brief_check.py numbers "$dir" > "$work/numbers.log" 2>&1
sed -n 's/^FAIL /FAIL brief numbers: /p' "$work/numbers.log"
check_that "the brief's numbers are the CSV files' ($(tail -1 "$work/numbers.log"))" \
    grep -q ', 0 failed$' "$work/numbers.log"

# numbers_case NAME WHAT NEASIM_ARGS...: the folder $work/NAME of `neasim NEASIM_ARGS`, its figures
# and brief, and tests/brief_check.py numbers on it (figures needed: the lever forest is checked)
numbers_case() {
    local name=$1 what=$2 dir="$work/$1"
    shift 2
    "$NEASIM" "$@" --out "$dir" --quiet
    { Rscript scripts/figures.R "$dir" && Rscript scripts/brief.R "$dir"; } > "$work/render-$name.log" 2>&1
    check_that "$what: figures and brief render" test -s "$dir/brief.html"
    python3 tests/brief_check.py numbers "$dir" > "$work/numbers-$name.log" 2>&1
    sed -n "s/^FAIL /FAIL brief numbers ($what): /p" "$work/numbers-$name.log"
    check_that "$what: the brief's numbers are the CSV files' ($(tail -1 "$work/numbers-$name.log"))" \
        grep -q ', 0 failed$' "$work/numbers-$name.log"
}

# compare --outer: the same checks of the numbers, the outcomes table's intervals being those of the
# mean over the draws (uncertainty.csv's mean_ci_low and mean_ci_high)
numbers_case outer "compare --outer" compare scenarios/baseline --levers all --outer 6 --runs 200 --seed 1
# ... where, at 200 runs a draw, many judgment ranges are mostly the noise of a draw: the brief
# marks them "(mostly noise)" and says what that means (brief_check.py holds every mark and note to
# briefing.csv's judgment_mostly_noise, and that column to neasim's rule; here, that it has some)
check_that "compare --outer: briefing.csv marks some judgment ranges mostly noise, the brief too" \
    bash -c "grep -q ',yes,' <(cut -d, -f15 '$work/outer/briefing.csv' | sed 's/.*/,&,/') &&
             grep -q 'judgment [-+0-9.]* to [-+0-9.]* (mostly noise)' '$work/outer/brief.html' &&
             grep -q 'most of that range is the Monte Carlo noise of a draw' '$work/outer/brief.html'"

# a factorial comparison (3 levers, 7 arms): the numbers again, and each lever's effect told once,
# not again for every combination that holds it and changes nothing more on that outcome (NCG
# institutionalised's 43 points on extended deterrence were told four times, one of them for all
# three levers); "and exactly as much with ... added" says which arms share it, checked against
# briefing.csv (tests/brief_check.py exactly_as_much: no effect told twice); the combinations'
# rows of "What each lever changes" are read by their levers' labels joined
numbers_case factorial "compare --factorial" compare scenarios/baseline \
    --levers equitable_burden_sharing,us_posture_review,ncg_institutionalized --factorial --runs 2000 --seed 5
dir="$work/factorial"
check_that "compare --factorial: the summary says which combinations add nothing" \
    grep -q 'and exactly as much with Equitable burden sharing, U.S. posture review before any cut or both added' "$dir/brief.html"

# ... with --outer, of two levers, its brief made without figures: each effect with its judgment
# range, the combination's told with NCG's ("(44.8 to 49.6; judgment 43.5 to 50.7), and exactly as
# much with ... added": the checker's clauses read no judgment range before, and so checked no
# such claim), every lever that helps told (not "at least 3 sentences": 3 arms, one folded, make
# 2), and no figure shown or linked
dir="$work/factorial-outer"
"$NEASIM" compare scenarios/baseline --levers equitable_burden_sharing,ncg_institutionalized \
    --factorial --outer 8 --runs 500 --seed 5 --out "$dir" --quiet
Rscript scripts/brief.R "$dir" > "$work/render-factorial-outer.log" 2>&1
check_that "compare --factorial --outer: the brief renders without figures" test -s "$dir/brief.html"
python3 tests/brief_check.py numbers "$dir" > "$work/numbers-factorial-outer.log" 2>&1
sed -n "s/^FAIL /FAIL brief numbers (compare --factorial --outer): /p" "$work/numbers-factorial-outer.log"
said=$(tail -1 "$work/numbers-factorial-outer.log")
check_that "compare --factorial --outer: the brief's numbers are the CSV files' ($said)" \
    grep -q ', 0 failed$' "$work/numbers-factorial-outer.log"
check_that "compare --factorial --outer: the fold is said with the judgment range before it" \
    grep -Eq '; judgment [0-9.]+ to [0-9.]+(, mostly noise)?\), and exactly as much with Equitable burden sharing added' \
    "$dir/brief.html"

# a comparison of scenarios (compare A B C): the brief and every figure speak of scenarios, not of
# levers, effects or side effects (the brief named "US retrenchment" a lever and its +33 points on
# a USFK cut a side effect: tests/brief_check.py scenarios), its title says what is compared, and
# its numbers are the tables' as a lever comparison's are (numbers); and the same with --outer,
# whose differences carry their judgment ranges ("31.4 points higher (25.0 to 37.8; judgment 8.3
# to 52.9)"), in the scenarios' words too; every figure's difference is from the first scenario
# by its label, whichever comes first ("scenario minus U.S. retrenchment"; the charts over time
# said "arm minus baseline"), and the legends say Scenario
# ... and of scenarios without labels (two copies of tests/models/two_state, ts_a and ts_b), named
# in their words ("compared with Ts b", "scenario minus Ts a")
for v in ts_a ts_b; do
    cp -r tests/models/two_state "$work/$v" && rm -f "$work/$v/levers.csv"
    sed -i "s/^name,two_state,/name,$v,/" "$work/$v/scenario.csv"
done
sed -i 's/^f,a,b,2,/f,a,b,4,/' "$work/ts_b/transitions.csv"
for kind in scn scn-outer scn-unlabelled; do
    dir="$work/$kind"
    if [ "$kind" = scn-unlabelled ]; then
        "$NEASIM" compare "$work/ts_a" "$work/ts_b" --runs 2000 --seed 3 --out "$dir" --quiet
    elif [ "$kind" = scn ]; then
        # the first scenario not the baseline: every difference is from U.S. retrenchment
        "$NEASIM" compare scenarios/us-retrenchment scenarios/baseline scenarios/nuclear-test-2027 \
            --runs 500 --seed 1 --out "$dir" --quiet
    else
        "$NEASIM" compare scenarios/baseline scenarios/us-retrenchment --outer 6 --runs 150 \
            --seed 1 --out "$dir" --quiet
    fi
    { Rscript scripts/figures.R "$dir" && Rscript scripts/brief.R "$dir"; } > "$work/render-$kind.log" 2>&1
    for mode in scenarios numbers; do
        python3 tests/brief_check.py "$mode" "$dir" > "$work/$mode-$kind.log" 2>&1
        sed -n "s/^FAIL /FAIL brief of scenarios ($kind, $mode): /p" "$work/$mode-$kind.log"
    done
    check_that "scenarios compared ($kind): the brief and the figures say scenario, not lever ($(tail -1 "$work/scenarios-$kind.log"))" \
        grep -q ', 0 failed$' "$work/scenarios-$kind.log"
    check_that "scenarios compared ($kind): the brief's numbers are the CSV files' ($(tail -1 "$work/numbers-$kind.log"))" \
        grep -q ', 0 failed$' "$work/numbers-$kind.log"
done
# scenarios that share most of their model: a difference the same to the last digit told once
# (tests/brief_check.py numbers: no difference told twice, each fold against briefing.csv)
check_that "scenarios compared: the same difference told once for two scenarios" \
    grep -q 'Baseline has “Major USFK withdrawal” [0-9.]* points lower ([0-9.]* to [0-9.]*), and Nuclear test in September 2027 exactly as much' \
    "$work/scn/brief.html"
check_that "scenarios compared with --outer: each difference stated with its judgment range" \
    grep -q 'points higher ([0-9.]* to [0-9.]*; judgment ' "$work/scn-outer/brief.html"

# what to watch: a run with --routes --signposts; each route sentence names routes.csv's first
# two with their shares (to a tenth of a point under 10%) and median times from the start; each
# signpost sentence names signposts.csv's first three (two indicators of the same runs, such as the
# baseline's surge and its clock, named as one), with the runs that saw it among those that count
# (a signpost seen in 6 runs of 13,018 was once "seen in 3% of runs"), and the difference it is
# ranked by (no figures needed)
brief_case story story signposts "signposts: the brief's sentences are signposts.csv's" \
    run scenarios/baseline --routes --signposts --runs 4000 --seed 1

# ... and of formal-alignment, whose Russia-China-DPRK coordination is a state that most runs start
# in: its sentence says first that routes and signposts count its onsets after the start, which
# leave those runs out (it read "among the 3,381 runs (of 4,000) in which it has not begun" by the
# date at which the outcomes table had it at 83%)
brief_case story-state story "signposts (state outcome)" \
    "signposts of a state held at the start: told as onsets" \
    run scenarios/formal-alignment --routes --signposts --runs 2000 --seed 1

# --precision: the summary says what the runs were added until, whether it was met, and the widest
# interval at the end and where, in the scenario's words, as manifest.csv's precision_* rows have
# it (the brief said "N runs" as if chosen by hand); a ceiling reached says NOT met; the targets
# of --precision-for interactions, the interaction named (tests/brief_check.py precision)
brief_case prec-compare precision "precision (compare, met)" \
    "compare --precision: the brief says the target, met after the runs used, and the widest" \
    compare scenarios/baseline --levers all --precision 0.03 --seed 3
brief_case prec-run precision "precision (run, ceiling)" \
    "run --precision at its ceiling: the brief says NOT met, and the widest" \
    run scenarios/baseline --precision 0.005 --runs 3000 --seed 3
# with --outer: draws, in batches of draws, each of --runs ("met after 120 draws of 100 runs
# each"; it said "added in batches of 10 ... met after 12,000 runs")
brief_case prec-outer precision "precision (run --outer, met)" \
    "run --outer --precision: the brief counts the draws and their batches" \
    run scenarios/baseline --outer 200 --runs 100 --precision 0.05 --seed 3
brief_case prec-outer-ceiling precision "precision (compare --outer, ceiling)" \
    "compare --outer --precision at its ceiling: NOT met, --outer the one to raise" \
    compare scenarios/baseline --levers us_posture_review --outer 30 --runs 100 --precision 0.005 --seed 3
brief_case prec-interactions precision "precision (interactions)" \
    "compare --precision-for interactions: the brief names the interaction that was widest" \
    compare tests/models/interact --levers all --factorial --precision 0.02 --precision-for interactions --seed 5
check_that "compare --precision-for interactions: the brief names the interaction" \
    grep -q 'is the interaction of Twice as fast and Three times as fast on' "$work/prec-interactions/brief.html"
# --precision-for told in words, not its syntax: each item's arm, outcome and date ("the effect of
# NCG institutionalised on “Extended deterrence weakened” by 1 Nov 2036 and every lever's effect on
# every outcome by 1 Nov 2028"; it read "the targets of --precision-for ncg_institutionalized:...")
brief_case prec-arm precision "precision (ARM:)" \
    "compare --precision-for ARM:OUTCOME@YEARS,@YEARS: the brief says what it was for in words" \
    compare scenarios/baseline --levers equitable_burden_sharing,ncg_institutionalized --precision 0.03 \
    --precision-for ncg_institutionalized:extended_deterrence_weakened@10,@2 --seed 5
check_that "compare --precision-for ARM:...: the brief's words for it" \
    grep -q "until the effect of NCG institutionalised on “Extended deterrence weakened” by 1 Nov 2036 and every lever's effect on every outcome by 1 Nov 2028 had" \
    "$work/prec-arm/brief.html"
brief_case prec-run-for precision "precision (run, --precision-for)" \
    "run --precision-for OUTCOME,OUTCOME@YEARS: the brief says what it was for in words" \
    run scenarios/baseline --precision 0.02 --precision-for usfk_major_withdrawal,formal_rcd_alignment@2 --seed 5
brief_case no-prec precision "precision (none)" \
    "without --precision: no sentence on it" compare tests/models/interact --levers all --runs 500 --seed 5

# a run whose first finding names a state outcome that most runs start in (formal-alignment's
# Russia-China-DPRK coordination, 70% at the start): the finding must say so, as it says the
# share of every onset it names, and the outcomes table marks it with that share
# (tests/brief_check.py start; no figures needed)
brief_case state start "start (state outcome)" \
    "a state outcome held at the start: the brief says its share" \
    run scenarios/formal-alignment --runs 500 --seed 1

# a state that every run starts in (seed-2025's conservative ROK president: 100% at the start, so
# 100% by every horizon) is today's state, not a finding about the future: the first finding says
# so apart and names the most likely of the others (it was named among the outcomes with no
# direction "at least as likely"; tests/brief_check.py first)
brief_case always first "first finding (held in every run)" \
    "a state held at the start in every run: said apart, not among the most likely" \
    run scenarios/seed-2025 --runs 500 --seed 1

# a run of 3 years (backtest-2019, to Jan 2022): the first finding and the outcomes table reach the
# horizon's end, as neasim's summary and briefing.csv do (they stopped at 2 years, "by Jan 2021"),
# and the table's note speaks of no onset, as the scenario has none (it said what one counts)
brief_case short first "first finding (3-year run)" \
    "a 3-year run: the first finding and the outcomes table reach its end" \
    run scenarios/backtest-2019 --runs 500 --seed 1

# run --outer at 30 runs a draw: many of the probabilities' judgment ranges are mostly the noise of a
# draw; the first finding says ", mostly noise" where uncertainty.csv says yes, and the summary
# explains it in an item of its own (tests/brief_check.py first, which also holds that column to
# its rule from the table's own numbers); the outcomes table marks them "(mostly noise)"
brief_case noisy first "first finding (run --outer, 30 runs a draw)" \
    "run --outer, few runs a draw: its judgment ranges said to be mostly noise where they are" \
    run scenarios/baseline --outer 20 --runs 30 --seed 3
check_that "run --outer, few runs a draw: the outcomes table marks ranges mostly noise, its note says why" \
    bash -c "grep -Eq 'judgment [0-9.]+–[0-9.]+ \(mostly noise\)' '$work/noisy/brief.html' &&
             grep -q 'under a judgment range, “mostly noise”' '$work/noisy/brief.html'"

# an OAT sweep: the judgments that matter most, each swing with the bound on its Monte Carlo error
# (at 100 runs a point "by 60 points (Monte Carlo error at most ±10)"), none named within it
# (tests/brief_check.py tornado; no figures needed) ...
brief_case oat tornado "tornado" \
    "an OAT sweep: the largest swings, each with its Monte Carlo error, none within it" \
    sweep scenarios/baseline --oat --runs 100 --seed 1
# ... whose key figures, drawn, are the tornados of the first two outcomes it names
{ Rscript scripts/figures.R "$work/oat" && Rscript scripts/brief.R "$work/oat"; } \
    > "$work/render-oat-figures.log" 2>&1
python3 tests/brief_check.py tornado "$work/oat" > "$work/tornado-key.log" 2>&1
sed -n "s/^FAIL /FAIL brief tornado (key figures): /p" "$work/tornado-key.log"
check_that "an OAT sweep's key figures: the tornados of the outcomes it names first ($(tail -1 "$work/tornado-key.log"))" \
    grep -q ', 0 failed$' "$work/tornado-key.log"
# ... and the same folder with every swing's error bound raised to its swing (a forged tornado.csv):
# no swing clears its error, and the brief says so and what to run, naming none
cp -r "$work/oat" "$work/oat-noise"
python3 - "$work/oat-noise/tornado.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
for r in rows:
    r["swing_se_max"] = r["swing"]
w = csv.DictWriter(open(sys.argv[1], "w", newline=""), fieldnames=list(rows[0]))
w.writeheader()
w.writerows(rows)
PY
Rscript scripts/brief.R "$work/oat-noise" > "$work/render-oat-noise.log" 2>&1
python3 tests/brief_check.py tornado "$work/oat-noise" > "$work/tornado-noise.log" 2>&1
sed -n "s/^FAIL /FAIL brief tornado (all noise): /p" "$work/tornado-noise.log"
check_that "an OAT sweep whose swings are all within their error: said so ($(tail -1 "$work/tornado-noise.log"))" \
    grep -q ', 0 failed$' "$work/tornado-noise.log"
# a Sobol sweep: the three numbers with the largest total index, each with its outcome, estimate
# and interval as sensitivity.csv has them, and its key figures those outcomes' charts
"$NEASIM" sweep scenarios/baseline --sobol 16 --runs 200 --seed 1 --quiet --out "$work/sobol" \
    --params 'transitions:dprk_testing_posture:*,transitions:usfk_posture:current>reduced'
{ Rscript scripts/figures.R "$work/sobol" && Rscript scripts/brief.R "$work/sobol"; } \
    > "$work/render-sobol.log" 2>&1
python3 tests/brief_check.py sobol "$work/sobol" > "$work/sobol.log" 2>&1
sed -n "s/^FAIL /FAIL brief sobol: /p" "$work/sobol.log"
check_that "a Sobol sweep: its numbers as sensitivity.csv has them, its key figures those outcomes' ($(tail -1 "$work/sobol.log"))" \
    grep -q ', 0 failed$' "$work/sobol.log"

# an LHS sweep of fewer points than numbers (20 for the baseline's 158): no ranking and no figure,
# which the brief says plainly, with what to run instead (it was one sentence and the provenance;
# tests/brief_check.py ranking; its figures are rendered by tests/figures.sh)
brief_case lhs-few ranking "ranking (too few points)" \
    "an LHS sweep of too few points: the brief says why it has no figure and what to run" \
    sweep scenarios/baseline --lhs 20 --runs 2 --seed 1

# a brief killed midway (here right after it wrote its temporary copy, before renaming it over
# brief.html) leaves that copy in the results folder: a name neasim must accept when it replaces
# the folder (src/io/outdir.c accepts hidden names, as brief_pdf.sh's; "brief.html.tmp" made the
# next `neasim run --out` refuse the folder, "which neasim did not write"), and one that the next
# brief removes, its writer being gone.
# strays DIR: the names in DIR but its tables and brief.html, on one line
strays() { find "$1" -mindepth 1 -maxdepth 1 ! -name '*.csv' ! -name brief.html -printf '%f '; }
dir="$work/killed"
"$NEASIM" run scenarios/baseline --runs 20 --seed 1 --out "$dir" --quiet
{ Rscript -e 'writeBin <- function(object, con, ...) {
                base::writeBin(object, con, ...); tools::pskill(Sys.getpid(), tools::SIGKILL) }
            source("scripts/brief.R")' "$dir"; } > "$work/killed.log" 2>&1
stale=$(strays "$dir")
check_that "a brief killed midway leaves its temporary copy (${stale:-none}), and no brief.html" \
    bash -c "[ -n '$stale' ] && [ ! -e '$dir/brief.html' ]"
cp -r "$dir" "$work/killed-again"
Rscript scripts/brief.R "$work/killed-again" > "$work/killed-again.log" 2>&1
check_that "the next brief into the folder removes the temporary copy a killed one left (${stale:-none})" \
    bash -c "[ -s '$work/killed-again/brief.html' ] && [ -z \"$(strays "$work/killed-again")\" ]"
"$NEASIM" run scenarios/baseline --runs 20 --seed 2 --out "$dir" --quiet 2> "$work/killed-rerun.log"
check_that "neasim run --out replaces a folder where a brief was killed midway ($(head -1 "$work/killed-rerun.log"))" \
    bash -c "grep -q '^seed,2\\b' '$dir/manifest.csv' && [ -z \"$(strays "$dir")\" ]"

# one run: every share is 0 or 100%, so that many outcomes tie; the first finding must name every
# one tied with its fourth (it named four of five tied at 100% before, by the table's order), and
# the header says "1 run"
brief_case one first "first finding (one run)" \
    "one run: the first finding names every outcome tied with its fourth" \
    run scenarios/baseline --runs 1 --seed 1
check_that "one run: the header says '1 run'" grep -q '· 1 run ·' "$work/one/brief.html"

# a model whose names have no labels (tests/models/judgment: outcome "moved", levers "null",
# "double", "fix"), briefed in their words ("Moved", "Double": brief_check.py reads the brief's
# words as figures_common.R makes them), of one outcome: the first finding names that one ("“Moved”
# has occurred by Jan 2027 in 96% of runs"), and each lever's fold counts it in words that agree
# ("Null: 0 of 1 outcome moved distinguishably"; it read "0 of 1 outcomes"); with --outer, its
# judgment ranges
numbers_case unlabelled "a model of unlabelled names and one outcome" \
    compare tests/models/judgment --levers all --outer 8 --runs 200 --seed 1
# one outcome with a better direction among others: "The one outcome marked “higher is better”,
# “In b”, has occurred by Jan 2027 in 98% of runs (...)" (it read "The most likely of the 1
# outcomes marked “higher is better” by Jan 2027 are ...")
mixed="$work/mixed-model"
cp -r tests/models/two_state "$mixed" && rm -f "$mixed/levers.csv"
printf 'g,on,1,test\ng,off,0,test\n' >> "$mixed/factors.csv"
printf 'g,on,off,0.5,rate_per_year,test\n' >> "$mixed/transitions.csv"
printf 'outcome,condition,description,desirable\nin_b,f=b,in b,higher\ng_off,g=off,g off,\n' \
    > "$mixed/outcomes.csv"
brief_case mixed first "first finding (one directed outcome)" \
    "one outcome with a direction among others: the first finding names it, not '1 outcomes'" \
    run "$mixed" --runs 2000 --seed 1
check_that "one directed outcome: 'The one outcome marked'" \
    grep -q 'The one outcome marked “higher is better”, “In b”, has occurred by' \
    "$work/mixed/brief.html"

cli_done brief
