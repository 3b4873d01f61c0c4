# tests/cli_xlsx.sh: results.xlsx (--xlsx) as LibreOffice opens it, and the README's advice on
# importing the CSVs into LibreOffice. LibreOffice (headless, a private profile) converts each
# workbook back: to CSV, one file per sheet, whose numbers and dates must be the CSVs' own; and to
# flat ODS, whose cell types must be float for a numeric column and date for `date` (typed cells,
# not text). A CSV with non-ASCII text imported with the options README.md gives keeps it intact.
source "$(dirname "$0")/cli-lib.sh"

command -v soffice >/dev/null ||
    skip_suite "LibreOffice (soffice) is missing: make deps installs libreoffice-calc"
command -v python3 >/dev/null || skip_suite "python3 is missing (make deps)"
lo() { timeout 600 soffice -env:UserInstallation="file://$work/lo-profile" --headless "$@" >/dev/null 2>&1; }

# a scenario whose title is not ASCII (it reaches manifest.csv and the About sheet)
cp -r tests/models/uncertain "$work/m"
title='Séoul–Tōkyō 서울: « jugement », naïve'
sed -i "s/^title,.*/title,\"$title\",test model/" "$work/m/scenario.csv"
# and an outcome labelled in Korean: 12 Hangul syllables, 24 columns wide in a sheet
printf 'outcome,condition,description,label\nmoved,f=b,f has moved to b,한미동맹 위기와 주한미군 감축\n' > "$work/m/outcomes.csv"
"$NEASIM" run "$work/m" --runs 300 --outer 2 --quiet --xlsx --out "$work/run"
"$NEASIM" compare tests/models/known_levers --levers all --runs 100 --quiet --xlsx --out "$work/cmp"
"$NEASIM" sweep tests/models/uncertain --oat --runs 50 --quiet --xlsx --out "$work/sw"
"$NEASIM" run "$work/m" --runs 50 --quiet --out "$work/plain"

for d in run cmp sw; do
    check_that "$d --xlsx writes results.xlsx" test -s "$work/$d/results.xlsx"
done
check_that "without --xlsx there is no workbook" test ! -e "$work/plain/results.xlsx"

# the sheets: About, then one per CSV but the manifest (python reads the zip's workbook.xml)
sheets() {
    python3 - "$1" <<'PY'
import re, sys, zipfile
book = zipfile.ZipFile(sys.argv[1]).read("xl/workbook.xml").decode()
print(" ".join(re.findall(r'<sheet name="([^"]*)"', book)))
PY
}
for d in run cmp sw; do
    want="About $(cd "$work/$d" && ls *.csv | grep -v '^manifest.csv$' | sed 's/\.csv$//' | sort | tr '\n' ' ')"
    got="$(sheets "$work/$d/results.xlsx")"
    check_that "$d: About first, then one sheet per table" test "${got%% *}" = About
    check_that "$d: a sheet for each CSV and no other" \
        test "$(tr ' ' '\n' <<<"$got" | sort | tr '\n' ' ')" = "$(tr ' ' '\n' <<<"$want" | sort | grep . | tr '\n' ' ')"
done

# --- About: every sheet described (labels, routes, signposts and interactions were "see
# README.md"), and what an interval is --------------------------------------------------------------
"$NEASIM" run tests/models/signposts --runs 200 --routes --signposts --quiet --xlsx --out "$work/story"
"$NEASIM" compare tests/models/interact --levers all --factorial --runs 100 --quiet --xlsx --out "$work/inter"
about() { # the About sheet's text, one cell a line
    python3 - "$1" <<'PY'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = z.namelist()
sst = []
if "xl/sharedStrings.xml" in names:
    sst = [re.sub(r"<[^>]+>", "", si) for si in re.findall(r"<si>(.*?)</si>", z.read("xl/sharedStrings.xml").decode(), re.S)]
book = z.read("xl/workbook.xml").decode()
rels = z.read("xl/_rels/workbook.xml.rels").decode()
rid = re.search(r'<sheet name="About"[^>]*r:id="([^"]+)"', book).group(1)
target = re.search(r'Id="%s"[^>]*Target="([^"]+)"' % rid, rels) or re.search(r'Target="([^"]+)"[^>]*Id="%s"' % rid, rels)
sheet = z.read("xl/" + target.group(1)).decode()
for attrs, body in re.findall(r'<c ([^>]*)>(.*?)</c>', sheet, re.S):
    if 't="s"' in attrs:
        print(sst[int(re.search(r"<v>(\d+)</v>", body).group(1))])
    elif 't="inlineStr"' in attrs:
        print(re.sub(r"<[^>]+>", "", body))
PY
}
for d in run cmp sw story inter; do
    about "$work/$d/results.xlsx" > "$work/about-$d.txt"
    check_that "$d: About says what an interval is" grep -q '^Intervals .* are 95% Monte Carlo intervals: how precisely the runs pin a number down' "$work/about-$d.txt"
    check_that "$d: About describes every sheet (none left to README.md)" bash -c '! grep -q "^see README.md" "$1"' _ "$work/about-$d.txt"
done
for f in labels routes signposts; do
    check_that "story: About describes $f.csv" grep -q "($f.csv)\$" "$work/about-story.txt"
done
check_that "inter: About describes interactions.csv" grep -q "^whether two levers do more or less together.*(interactions.csv)\$" "$work/about-inter.txt"

# --- LibreOffice: back to CSV, one file per sheet ----------------------------------------------
mkdir -p "$work/back"
lo --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
    --outdir "$work/back" "$work/run/results.xlsx"
back=$work/back/results-outcomes.csv
check_that "LibreOffice opens results.xlsx and writes each sheet as CSV" test -s "$back"
# outcomes.csv against its sheet: the date column the same text, the probability the same number
# (LibreOffice writes what it holds, a double, with up to 15 significant digits)
check_that "outcomes sheet: dates and probabilities equal outcomes.csv's" python3 - \
    "$work/run/outcomes.csv" "$back" <<'PY'
import csv, sys
a = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
b = list(csv.DictReader(open(sys.argv[2], newline="", encoding="utf-8")))
assert len(a) == len(b) > 10, (len(a), len(b))
for x, y in zip(a, b):
    assert x["date"] == y["date"], (x["date"], y["date"])
    for col in ("probability", "ci_low", "t_years"):
        p, q = float(x[col]), float(y[col])
        assert abs(p - q) <= 1e-12 * max(1.0, abs(p)), (col, p, q)
PY
# NA (first_occurrence.csv's `never` rows have no date) comes back as an empty cell
check_that "NA comes back from LibreOffice as an empty cell" python3 - \
    "$work/run/first_occurrence.csv" "$work/back/results-first_occurrence.csv" <<'PY'
import csv, sys
a = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
b = list(csv.DictReader(open(sys.argv[2], newline="", encoding="utf-8")))
never = [i for i, x in enumerate(a) if x["when"] == "never"]
assert never and all(a[i]["date"] == "NA" and b[i]["date"] == "" and b[i]["t_years"] == "" for i in never)
assert "NA" not in [v for r in b for v in r.values()]
PY
check_that "About lists the manifest, non-ASCII text intact" \
    grep -q "scenario_title,\"\\?$title" "$work/back/results-About.csv"
check_that "About has one line per sheet" \
    test "$(grep -c '(outcomes.csv)\|(uncertainty.csv)\|(first_occurrence.csv)' "$work/back/results-About.csv")" = 3

# --- LibreOffice: the cell types (flat ODS names each cell's value type) ------------------------
mkdir -p "$work/fods"
lo --convert-to fods --outdir "$work/fods" "$work/run/results.xlsx"
types() { # FODS SHEET COLUMN: the value types of a column's data cells, counted
    python3 - "$@" <<'PY'
import collections, re, sys
x = open(sys.argv[1], encoding="utf-8").read()
sheet = re.search(r'<table:table table:name="%s".*?</table:table>' % re.escape(sys.argv[2]), x, re.S).group(0)
rows = re.findall(r"<table:table-row[^>]*>(.*?)</table:table-row>", sheet, re.S)
def cells(row):
    out = []
    for m in re.finditer(r'<table:table-cell([^>]*?)(/>|>.*?</table:table-cell>)', row, re.S):
        n = int((re.search(r'number-columns-repeated="(\d+)"', m.group(1)) or [0, 1])[1])
        t = (re.search(r'office:value-type="(\w+)"', m.group(1)) or [0, "empty"])[1]
        text = re.sub(r"<[^>]+>", "", m.group(2)[1:]).strip()
        out += [(t, text)] * min(n, 64)
    return out
head = [text for _, text in cells(rows[0])]
col = head.index(sys.argv[3])
data = [c for c in map(cells, rows[1:]) if any(t != "empty" for t, _ in c)]  # not the blank tail
count = collections.Counter(c[col][0] for c in data if len(c) > col)
print(" ".join("%s:%d" % kv for kv in sorted(count.items())))
PY
}
check_that "outcomes: probability cells are numbers (float), every one" \
    grep -Eqx 'float:[0-9]+' <<<"$(types "$work/fods/results.fods" outcomes probability)"
check_that "outcomes: date cells are dates, every one" \
    grep -Eqx 'date:[0-9]+' <<<"$(types "$work/fods/results.fods" outcomes date)"
check_that "first_occurrence: dates, and empty cells where the CSV says NA" \
    grep -Eqx 'date:[0-9]+ empty:[1-9][0-9]*' <<<"$(types "$work/fods/results.fods" first_occurrence date)"
check_that "outcomes: outcome names stay text" \
    grep -Eqx 'string:[0-9]+' <<<"$(types "$work/fods/results.fods" outcomes outcome)"

# a column of numbers with a few words in it: routes.csv's rank is 1, 2, ... and `other` (the
# routes past the listed ones). Each cell as what it is: the ranks numbers, `other` text (the
# whole column was text, so that the ranks sorted 1, 10, 11, 2 and summed to nothing)
"$NEASIM" run scenarios/baseline --runs 2000 --seed 1 --routes --quiet --xlsx --out "$work/rt"
lo --convert-to fods --outdir "$work/fods/rt" "$work/rt/results.xlsx"
n_other=$(cut -d, -f2 "$work/rt/routes.csv" | grep -c '^other$')
n_rank=$(cut -d, -f2 "$work/rt/routes.csv" | grep -Ec '^[0-9]+$')
check_that "routes: the CSV's rank mixes numbers and 'other' (what the next check needs)" \
    test "$n_other" -gt 0 -a "$n_rank" -gt "$n_other"
check_that "routes: rank cells are numbers, 'other' cells text, as many as the CSV has" \
    test "$(types "$work/fods/rt/results.fods" routes rank)" = "float:$n_rank string:$n_other"
check_that "routes: a column that is mostly text stays text (outcome)" \
    grep -Eqx 'string:[0-9]+' <<<"$(types "$work/fods/rt/results.fods" routes outcome)"

# --- README: importing a CSV into LibreOffice with the options it gives ---------------------------
# Character set UTF-8 (76), separated by commas (44), string delimiter " (34), language English
# (USA) (1033), detect special numbers (dates): what README.md's "Spreadsheets" tells to choose.
mkdir -p "$work/imp"
lo --infilter="CSV:44,34,76,1,,1033,false,true" --convert-to fods --outdir "$work/imp" \
    "$work/run/manifest.csv" "$work/run/outcomes.csv"
check_that "README's LibreOffice import keeps non-ASCII text intact" \
    grep -qF "$title" "$work/imp/manifest.fods"
check_that "README's LibreOffice import reads numbers as numbers" \
    grep -Eqx 'float:[0-9]+' <<<"$(types "$work/imp/outcomes.fods" outcomes probability)"
check_that "README's LibreOffice import reads dates as dates" \
    grep -Eqx 'date:[0-9]+' <<<"$(types "$work/imp/outcomes.fods" outcomes date)"
# Why the README insists: the default import (the system's legacy character set) garbles it.
lo --convert-to fods --outdir "$work/imp/default" "$work/run/manifest.csv"
if grep -qF "$title" "$work/imp/default/manifest.fods" 2>/dev/null; then
    echo "    note: this LibreOffice's default CSV import read UTF-8 correctly"
else
    echo "    note: this LibreOffice's default CSV import garbles UTF-8 (README: choose UTF-8)"
fi

# a column as wide as its widest text in display columns (a Hangul syllable takes two): the
# labels sheet's label column holds 한미동맹 위기와 주한미군 감축 (25 columns; + 2 of margin)
check_that "labels sheet: the label column fits Korean text" python3 - "$work/run/results.xlsx" <<'PY'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = re.findall(r'<sheet name="([^"]*)"', z.read("xl/workbook.xml").decode())
sheet = z.read("xl/worksheets/sheet%d.xml" % (names.index("labels") + 1)).decode()
cols = {int(a): float(w) for a, w in re.findall(r'<col min="(\d+)" max="\d+" width="([0-9.]+)"', sheet)}
# the label column: the 4th (kind,name,level,label,...)
width = cols[4]
assert width >= 27, width
PY
cli_done xlsx
