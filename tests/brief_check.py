#!/usr/bin/env python3
"""tests/brief_check.py: what tests/cli_brief.sh cannot check with grep.

  brief_check.py png FILE          print the PNG's width, height and share of non-white pixels
  brief_check.py numbers DIR       check numbers of DIR/brief.html against DIR's CSV files
  brief_check.py levers DIR        check only its table "What each lever changes" against arms.csv
  brief_check.py start DIR         check only the first finding's intervals and start shares
  brief_check.py first DIR         check only the outcomes the first finding names (a run's brief)
  brief_check.py story DIR         check the routes and signposts sentences ("what to watch")
                                   against DIR/routes.csv and DIR/signposts.csv (a run with
                                   --routes --signposts)
  brief_check.py precision DIR     check the "Runs:" sentence of a --precision run or comparison
                                   against DIR/manifest.csv (none without --precision)
  brief_check.py ranking DIR       check the rank regression sentences of an LHS or design sweep's
                                   brief against a rank regression of DIR/sweep.csv done here
  brief_check.py tornado DIR       check an OAT sweep's sentence against DIR/tornado.csv, and its
                                   key figures when drawn
  brief_check.py sobol DIR         check a Sobol sweep's sentence against DIR/sensitivity.csv, and
                                   its key figures when drawn

A tiny PNG decoder (8-bit greyscale, RGB or RGBA, not interlaced: what Chromium writes),
html.parser and a least-squares fit by Gram-Schmidt: nothing beyond the standard library.
"""
import calendar
import csv
import html
import html.parser
import math
import os
import re
import struct
import subprocess
import sys
import zlib
from decimal import ROUND_HALF_UP, Decimal

from checks import Checks


def png_stats(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, head = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            head = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    w, h, depth, colour, _, _, interlace = head
    assert depth == 8 and interlace == 0 and colour in (0, 2, 6), "unsupported PNG"
    bpp = {0: 1, 2: 3, 6: 4}[colour]
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    nonwhite = 0
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        if y % 4 == 0:  # every fourth row is plenty for a share
            for x in range(0, w, 2):
                px = line[x * bpp:x * bpp + min(bpp, 3)]
                if min(px) < 235:
                    nonwhite += 1
        prev = line
    sampled = ((h + 3) // 4) * ((w + 1) // 2)
    return w, h, nonwhite / sampled


class Cells(html.parser.HTMLParser):
    """The text of every <td>, <th> and <li>, tags removed, and the cells of each table row."""

    def __init__(self):
        super().__init__()
        self.cells, self.items, self.heads, self.stack, self.rows = [], [], [], [], []

    def handle_starttag(self, tag, attrs):
        if tag in ("td", "li", "th"):
            self.stack.append([tag, ""])
        elif tag == "tr":
            self.rows.append([])
        elif tag == "br" and self.stack:
            self.stack[-1][1] += " "

    def handle_endtag(self, tag):
        if tag in ("td", "li", "th") and self.stack:
            kind, text = self.stack.pop()
            text = " ".join(text.split())
            {"td": self.cells, "li": self.items, "th": self.heads}[kind].append(text)
            if kind == "td" and self.rows:
                self.rows[-1].append(text)

    def handle_data(self, data):
        if self.stack:
            self.stack[-1][1] += data


def pp(x, sign=True):
    """Percentage points as the C printed briefing writes them (README, `compare`): the table's
    number to one decimal, half away from zero (-1.65 is -1.7), "0.0" only for an exact zero, and a
    non-zero value that one decimal rounds to zero with one significant digit in fixed notation
    ("-0.008", at most nine decimals), so that an interval that excludes zero never ends at 0.0.
    Computed here in decimal arithmetic on the CSV's digits: an independent check of the rule that
    src/output/compare.c and scripts/figures_common.R each apply to binary numbers."""
    d = Decimal(x if isinstance(x, str) else repr(float(x)))
    if d == 0:
        return "0.0"
    r = d.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if r == 0:
        places = min(-d.adjusted(), 9)  # the decimal of the first significant digit
        r = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if r != 0 and r.adjusted() > d.adjusted():  # 0.0096 is 0.01, not 0.010
            r = d.quantize(Decimal(1).scaleb(1 - places), rounding=ROUND_HALF_UP)
    return format(r if sign else abs(r), "+f" if sign else "f")


def pct_range(lo, hi):
    """nsm_pct_range (scripts/figures_common.R): "58–60", with as many decimals (at most two) as
    it takes for ends that differ to read differently and for an end that is not exactly 0 or 1 not
    to read 0 or 100."""
    lo, hi = float(lo), float(hi)
    for d in range(3):
        a, b = "%.*f" % (d, 100 * lo), "%.*f" % (d, 100 * hi)
        edge = any((float(s) == 0 and v > 0) or (float(s) == 100 and v < 1) for s, v in ((a, lo), (b, hi)))
        if (a != b or lo == hi) and not edge:
            break
    return a + "\u2013" + b


def pct_label(x):
    """nsm_pct_label (scripts/figures_common.R): a share in whole percent, "<1%" and ">99%" near
    the ends."""
    return "<1%" if 0 < x < 0.005 else ">99%" if 0.995 <= x < 1 else "%.0f%%" % (100 * x)


MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


# The brief's words for the scenario's names, as scripts/figures_common.R puts them: a name the
# scenario labels (labels.csv given = yes) is its label; one it does not is its name in words,
# known acronyms in capitals (NSM_ACRONYMS, read from figures_common.R so that the two cannot
# drift apart), an outcome's, event's and factor's with a capital first letter (nsm_label), a
# lever's and a level's as they stand (an arm's words are capitalised whole: arm_words). Without
# this the checks could read only briefs whose every name is labelled (the baseline's): a model
# of unlabelled names ("moved", lever "double") is briefed as "Moved" and "Double".
def _acronyms():
    src = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts",
                            "figures_common.R"), encoding="utf-8").read()
    m = re.search(r"NSM_ACRONYMS <- c\((.*?)\)", src, re.S)
    return set(re.findall(r'"([^"]+)"', m.group(1))) if m else set()


ACRONYMS = _acronyms()


def in_words(name, capitalise=False):
    """nsm_words: "rok_snap_election" -> "ROK snap election" ("ROK snap election" capitalised)."""
    out = " ".join(w.upper() if w.lower() in ACRONYMS else w for w in name.split("_"))
    return out[:1].upper() + out[1:] if capitalise else out


def brief_labels(d):
    """(kind, name) -> the brief's words for it (above), from d/labels.csv."""
    out = {}
    for r in rows(d + "/labels.csv"):
        if r.get("given", "yes") == "yes":
            out[(r["kind"], r["name"])] = r["label"]
        else:
            out[(r["kind"], r["name"])] = in_words(r["name"], r["kind"] in ("outcome", "event",
                                                                           "factor"))
    return out


def arm_words(arm, labels, scenarios):
    """arm_label (figures_common.R): each lever's words joined by " + ", a scenario compared by its
    label when it has one, the first letter in capitals ("Null", "Double + Fix")."""
    out = " + ".join(labels.get(("lever", x), in_words(x)) for x in arm.split("+"))
    if scenarios and ("scenario", arm) in labels:
        out = labels[("scenario", arm)]
    return out[:1].upper() + out[1:]


def briefing_rows(d, labels):
    """briefing.csv's rows, their outcome_label and arm_label the brief's words for them."""
    scenarios = scenarios_compared(d)
    b = rows(d + "/briefing.csv")
    for r in b:
        r["outcome_label"] = labels.get(("outcome", r["outcome"]), r["outcome_label"])
        r["arm_label"] = arm_words(r["arm"], labels, scenarios)
    return b


def _by_arm(table):
    """arms.csv's rows of each arm but the baseline, in file order."""
    out = {}
    for r in table:
        if r["arm"] != "baseline":
            out.setdefault(r["arm"], []).append(r)
    return out


def first_arm(d):
    """The arm the others are compared with: a lever comparison's baseline, the first scenario of
    compare A B C (the manifest's first arm), whatever its name; "baseline" for a run."""
    m = {r["key"]: r["value"] for r in rows(d + "/manifest.csv")}
    return (m.get("arms") or "baseline").split(";")[0]


def scenarios_compared(d):
    """Whether the folder is a comparison of scenarios (compare A B C), not of levers: its manifest
    lists scenario_paths."""
    m = {r["key"]: r["value"] for r in rows(d + "/manifest.csv")}
    return m.get("scenario_paths", "") not in ("", "NA")


# Words a brief of scenarios compared must not say: a scenario is not a lever, how an outcome
# differs in it is not its effect, nor, for the worse, a side effect (scripts/figures_common.R,
# nsm_arm_words). Every word of the page's text, and of every figure's PDF.
NOT_OF_SCENARIOS = re.compile(r"\b(levers?|side effects?|helps?|hurts?|effects?)\b", re.I)


def scenario_words(d):
    """The brief and the figures of a comparison of scenarios speak of scenarios (the brief of
    compare A B named "US retrenchment" a lever, and its +33 points on a USFK cut a side effect)."""
    check = Checks("scenario words")
    check(scenarios_compared(d), "%s is not a comparison of scenarios" % d)
    page = open(d + "/brief.html", encoding="utf-8").read()
    body = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", page, flags=re.S)
    body = re.sub(r"<img[^>]*>", " ", body)  # the alt text names figures' files, checked below
    text = html.unescape(re.sub(r"<[^>]+>", " ", body))
    text = re.sub(r"\b[a-z_]*lever[a-z_]*\.(png|pdf)\b", " ", text)  # file names are names
    for m in NOT_OF_SCENARIOS.finditer(text):
        around = text[max(0, m.start() - 60):m.end() + 40]
        check(False, "brief: '...%s...'" % " ".join(around.split()))
    check("compared with" in text and "Scenarios" in text,
          "brief: its title does not say what is compared")
    check(" per arm" not in text, "brief: 'per arm' where the arms are scenarios")
    # each scenario by its label (scenario.csv `label`, labels.csv kind scenario), as briefing.csv
    # names it: labels.csv has the arms' scenarios in the manifest's order
    m = {r["key"]: r["value"] for r in rows(d + "/manifest.csv")}
    arms = m.get("arms", "").split(";")
    scen = [r for r in rows(d + "/labels.csv") if r["kind"] == "scenario"]
    check([r["name"] for r in scen] == arms,
          "labels.csv: scenario rows %s, not the arms %s" % ([r["name"] for r in scen], arms))
    label = {r["name"]: r["label"] for r in scen if r["given"] == "yes"}
    for r in rows(d + "/briefing.csv"):
        if r["arm"] in label:
            check(r["arm_label"] == label[r["arm"]], "briefing.csv: %s is '%s', its label '%s'"
                  % (r["arm"], r["arm_label"], label[r["arm"]]))
    title = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    title = html.unescape(" ".join(re.sub(r"<[^>]+>", " ", title.group(1)).split())) if title else ""
    # each by the brief's words for it: its label, else its name in words ("Ts b")
    words = brief_labels(d)
    want = [arm_words(a, words, True) for a in arms[1:]]
    check(want and all(x in title.split(", compared with ")[-1] for x in want),
          "brief: the title '%s' does not name %s" % (title, want))
    figs = sorted(f for f in os.listdir(d + "/figures") if f.endswith(".pdf")) \
        if os.path.isdir(d + "/figures") else []
    check(any(f.startswith("lever_") for f in figs), "figures: no comparison figure in figures/")
    shown = ""
    for f in figs:
        t = subprocess.run(["pdftotext", os.path.join(d, "figures", f), "-"], capture_output=True,
                           text=True).stdout
        shown += " " + " ".join(t.split())
        for m in NOT_OF_SCENARIOS.finditer(t):
            around = t[max(0, m.start() - 50):m.end() + 30]
            check(False, "figures/%s: '...%s...'" % (f, " ".join(around.split())))
    for x in want:  # a legend or an axis wraps a long label over lines: joined above
        check(x in shown, "figures: no figure names the scenario '%s'" % x)
    # every difference is said to be from the first scenario, by its label, whichever it is (the
    # charts over time said "arm minus baseline" when U.S. retrenchment came first), and the
    # legends name scenarios, not arms
    first = arm_words(arms[0], words, True)
    for m in re.finditer(r"\bminus\b", shown):
        after = shown[m.end():m.end() + len(first) + 1].strip()
        check(after == first, "figures: '...%s...': a difference not from the first scenario, %s" %
              (shown[max(0, m.start() - 30):m.end() + 30], first))
    check(re.search(r"\bminus\b", shown), "figures: no figure says what its differences are from")
    check(not re.search(r"\bArms?\b", shown), "figures: a legend says Arm where the arms are scenarios")
    return check.done()


def lever_lines(d, page, labels, check):
    """The brief's table "What each lever changes" against arms.csv: each change of arms.csv, in
    its order, as a line that names what it changes in words (no snake_case name: the scenario's
    labels, or the names put in words) and says its value with its unit or operation ("yearly rate
    × 0.7", "annual probability set to 0.2", "multiplier set to 2.5", "probability set to 0.8"),
    and that line is arms.csv's `changes` (written by neasim from the resolved model) with its
    from date: the brief says what neasim wrote, wherever the folder is."""
    if scenarios_compared(d):
        check("<table class=\"arms\">" not in page,
              "levers: a table of what each lever changes, for scenarios compared")
    elif os.path.exists(d + "/arms.csv"):
        arms_table = re.search(r'<table class="arms">(.*?)</table>', page, re.S)
        check(arms_table, "levers: no table of what each lever changes")
        lines = {}
        for tr in re.findall(r"<tr>(.*?)</tr>", arms_table.group(1) if arms_table else "", re.S):
            tds = re.findall(r"<td>(.*?)</td>", tr, re.S)
            if len(tds) == 3:
                text = lambda h: html.unescape(" ".join(re.sub(r"<[^>]+>", " ", h).split()))
                # by lower case: a lever without a label is its name in words, capitalised
                lines[text(tds[0]).lower()] = [text(x) for x in re.split(r"<br/?>", tds[2]) if text(x)]
        lever_label = {n: lab for (k, n), lab in labels.items() if k == "lever"}
        # a labelled name in words where its label says otherwise ("pursue latency or weapons", the
        # level labelled "pursuing latency or weapons")
        worded = set()
        for r in rows(d + "/labels.csv"):
            name = r["level"] if r["kind"] == "level" else r["name"]
            w, lab = name.replace("_", " ").lower(), r["label"].lower()
            if r.get("given") == "yes" and "_" in name and w not in lab:
                worded.add((w, lab))
        unit = r"(yearly rate|annual probability|rate per year|mean time in years|probability|multiplier|days|years|dispersion|value)"
        table = rows(d + "/arms.csv")
        check(table and "changes" in table[0], "levers: arms.csv has no column changes")
        for arm, changes in _by_arm(table).items():
            # an arm of several levers ("a+b", a factorial comparison) is their labels joined
            label = " + ".join(lever_label.get(x, x) for x in arm.split("+"))
            got = lines.get(label.replace("_", " ").lower(), [])
            check(len(got) == len(changes), "levers: %s shows %d changes, arms.csv has %d" % (arm, len(got), len(changes)))
            for line, r in zip(got, changes):
                raw = re.findall(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b", line)
                raw += [w for w, lab in worded if w in line.lower()]
                check(not raw, "levers: %s: a raw name %s in '%s'" % (arm, raw, line))
                op = {"multiply": "×", "set": "set to", "add": "+"}.get(r["operation"], r["operation"])
                want = r"%s %s %s\b" % (unit, re.escape(op), re.escape(r["value"]))
                check(re.search(want, line), "levers: %s: '%s' does not say '%s %s' with its unit (%s)" % (
                    arm, line, op, r["value"], r["target"]))
                said = r.get("changes", "") + (", from " + r["from_date"] if r["from_date"] not in ("", "NA") else "")
                check(line == said, "levers: %s: '%s' is not arms.csv's changes '%s' (%s)" % (
                    arm, line, said, r["target"]))


def start_of(d):
    """Each outcome's share of runs at the start (the baseline's, in a comparison), from
    outcomes.csv, and whether it is an onset: an onset's is its holds_at_start row, which its
    occurred_by leaves out; a state's is its occurred_by at the start, which every later date's
    counts."""
    start, t0 = {}, None
    first = first_arm(d)
    for r in rows(d + "/outcomes.csv"):
        if r.get("arm", first) not in (first, "NA"):
            continue
        t0 = t0 or r["date"]
        if r["measure"] == "holds_at_start":
            start[r["outcome"]] = (float(r["probability"]), True)
        elif r["measure"] == "occurred_by" and r["date"] == t0:
            start.setdefault(r["outcome"], (float(r["probability"]), False))
    return start


def start_shares(d, p, labels, check):
    """The first finding's intervals say their level, and every outcome it names whose counting
    the start changes says so with its share of runs at the start (outcomes.csv): an onset, which
    leaves out the runs that start in the condition (holds_at_start), and a state that holds at the
    start in some runs, whose probability by every date counts them (occurred_by at the start)."""
    first = next((i for i in p.items if "most likely of the" in i or "has occurred by" in i), "")
    check("95% Monte Carlo interval" in first or "the 95% interval" in first,
          "first finding: its intervals do not say their level (95%%): '%s'" % first[-200:])
    start = {o: share for o, (share, _) in start_of(d).items()}
    onsets = {o for o, (_, onset) in start_of(d).items() if onset}
    by_label = {lab: n for (k, n), lab in labels.items() if k == "outcome"}
    named = [by_label.get(lab) for lab, _ in re.findall(r"“([^”]+)” (\S+) \(", first)]
    if not named:
        named = [by_label.get(lab) for lab in re.findall(r"“([^”]+)” has occurred", first)]

    def pct(x):
        return "<1%" if 0 < x < 0.005 else ">99%" if 0.995 <= x < 1 else "%.0f%%" % (100 * x)

    def said_in(kind):
        item = next((i for i in p.items if re.search(kind, i)), "")
        got = dict((lab, pc) for pc, lab in re.findall(r"(\S+%) \(([^)]+)\)", item.split("At the start")[-1]))
        one = re.match(r"“([^”]+)”", item)
        single = re.search(r"holds in (\S+%) of runs", item)
        if one and single:
            got[one.group(1)] = single.group(1)
        return got

    # the outcomes table (the first table that names outcomes; later ones name them untagged)
    # marks every onset, and every state that some runs start in with that share
    seen = set()
    for row in p.rows:
        lab = next((lab for lab in sorted(by_label, key=len, reverse=True)
                    if row and row[0].startswith(lab + " ") or row and row[0] == lab), None)
        o = by_label.get(lab)
        if o is None or o not in start or o in seen:
            continue
        seen.add(o)
        tag = row[0][len(lab):]
        want = "onset" if o in onsets else "state, %s at the start" % pct(start[o]) if start[o] > 0 else None
        got = re.search(r"\bonset\b|state, \S+ at the start", tag)
        check((got and got.group(0)) == want, "outcomes table: %s is tagged '%s', expected '%s' (outcomes.csv)"
              % (lab, tag.strip(), want))

    onset_said = said_in(r"” (are onsets|is an onset): ")
    state_said = said_in(r"” (are states|is a state), not ")
    for o in filter(None, named):
        lab = labels[("outcome", o)]
        if o in onsets:
            check(onset_said.get(lab) == pct(start[o]), "start: the onset %s is named, its share at the start "
                  "(%s, outcomes.csv) is not said (%s)" % (lab, pct(start[o]), onset_said.get(lab)))
        elif start.get(o, 0) > 0:
            check(state_said.get(lab) == pct(start[o]), "start: the state %s holds at the start in %s of runs "
                  "(outcomes.csv), which the finding does not say (%s)" % (lab, pct(start[o]), state_said.get(lab)))


def one_part(d, name, part):
    """One part's checks alone, on the brief of folder d: part(d, page, cells, labels, check)."""
    page = open(d + "/brief.html", encoding="utf-8").read()
    p = Cells()
    p.feed(page)
    labels = brief_labels(d)
    check = Checks(name)
    part(d, page, p, labels, check)
    return check.done()


def signpost_sentences(d, page, p, labels, check):
    """Each outcome's "Watch by MON YYYY, among the N runs in which it has not begun by then: ..."
    names signposts.csv's first three at the watch date nearest two years, in rank order, each with
    the runs that saw it (of those that count, not of all runs), the shares beginning after with it
    and without, and the difference the ranking rests on, with its interval, as nsm_pp writes it,
    said not to be distinguishable from no difference when the interval holds 0. An indicator that
    happened in the same runs as one ranked above it (same_runs_as) is that one's twin: not one of
    the three, but named with it, "X and Y, which happen in the same runs (seen in ...)"."""
    sp = rows(d + "/signposts.csv")
    dates = sorted({(abs(float(r["watch_years"]) - 2), r["watch_date"]) for r in sp})
    date = dates[0][1]
    name_of = {lab: name for (kind, name), lab in labels.items() if kind == "outcome"}
    # a state outcome that some runs start in is told by its onsets, which leave those runs out, as
    # its sentence says first (formal-alignment's Russia-China-DPRK coordination, 83% by 2 years in
    # the outcomes table, read "among the 3,381 runs (of 4,000) in which it has not begun by then")
    held = {o: share for o, (share, onset) in start_of(d).items() if not onset and share > 0}
    part_re = re.compile(r"\(seen in ([0-9,]+), ([0-9.]+)%; it begins afterwards in ([0-9]+)% of those "
                         r"against ([0-9]+)% of the others, (\S+) points, (\S+) to ([^,\s)]+)"
                         r"(, not distinguishable from no difference)?\)")
    # the difference's interval says what it is ("+4.1 points, +1.1 to +7.2" said not)
    check("and the difference between the two in percentage points with its 95% interval." in page,
          "story: the note does not say that the signposts' intervals are the difference's 95% intervals")
    # the watch date as the rest of the brief writes a date, "by Nov 2028" ("Watch by 2028-11-01"
    # beside "by Nov 2028" in the first finding: two styles for one reader)
    month = "%s %s" % (MONTHS[int(date[5:7]) - 1], date[:4])
    said = 0
    for item in p.items:
        m = re.match(r"(.+?): .*Watch by (.+?), among the ([0-9,]+) runs in which it has not "
                     r"begun by then: (.*)\.$", item)
        if not m:
            continue
        outcome = name_of.get(m.group(1).strip(), m.group(1).strip())
        says = re.search(r"^[^:]+: Its routes and signposts count its onsets after the start: the (\S+) of runs "
                         r"that start in it, counted as occurred from the start", item)
        want_held = pct_label(held[outcome]) if outcome in held else None
        check((says and says.group(1)) == want_held, "%s: a state that %s of runs start in (outcomes.csv); its "
              "sentence says %s" % (outcome, want_held or "none", says.group(1) if says else "nothing of it"))
        at = [r for r in sp if r["outcome"] == outcome and r["watch_date"] == date]
        want = sorted((r for r in at if r["same_runs_as"] == "NA"), key=lambda r: int(r["rank"]))[:3]
        twins = len({r["same_runs_as"] for r in at} & {w["indicator"] for w in want})
        named = m.group(4).count(", which happen in the same runs (seen in ")
        check(named == twins, "%s: %d of the signposts named have twins in signposts.csv (the same "
              "runs), the brief names %d so" % (outcome, twins, named))
        got = part_re.findall(m.group(4))
        check(m.group(2) == month and len(got) == len(want) and len(want) > 0,
              "%s: watch date %s and %d signposts, signposts.csv has %s (%s) and %d" %
              (outcome, m.group(2), len(got), month, date, len(want)))
        for g, r in zip(got, want):
            n = int(r["runs_with"]) + int(r["runs_without"])
            seen = int(r["runs_with"]) / n
            e = ("{:,}".format(int(r["runs_with"])), ("%.2f" if seen < 0.01 else "%.1f") % (100 * seen),
                 "%.0f" % (100 * float(r["p_with"])), "%.0f" % (100 * float(r["p_without"])),
                 pp(str(Decimal(r["difference"]) * 100)), pp(str(Decimal(r["difference_lo"]) * 100)),
                 pp(str(Decimal(r["difference_hi"]) * 100)),
                 # an interval that holds 0 says so (it read as a signal: "+25.2 points, -31.0 to
                 # +26.9" of an indicator seen in 3 runs)
                 ", not distinguishable from no difference"
                 if Decimal(r["difference_lo"]) <= 0 <= Decimal(r["difference_hi"]) else "")
            check(m.group(3) == "{:,}".format(n) and g == e,
                  "%s, %s: the brief says %s of %s runs, signposts.csv %s of %s" %
                  (outcome, r["indicator"], g, m.group(3), e, "{:,}".format(n)))
            said += 1
    check(said >= 6, "story: only %d signposts stated" % said)


def route_sentences(d, page, p, labels, check):
    """Each outcome's "It most often begins by ROUTE (S of onsets, LO–HI; median M years after the
    start), or by ROUTE (...)" names routes.csv's first two routes' shares, intervals and median
    times (which count from the start: "median 0.6 years" alone said not of what), and the share
    of onsets past the ten most common as its `other` row has it. A share under 10% and its
    interval to a tenth of a point ("2% of onsets, 2%–2%" said nothing of the interval's width)."""
    routes = rows(d + "/routes.csv")
    name_of = {lab: name for (kind, name), lab in labels.items() if kind == "outcome"}
    part_re = re.compile(r"\((\S+) of onsets, (\S+)–(\S+); median (.+?)\)(?:, or by |\. | \()")
    said = 0
    for item in p.items:
        m = re.match(r"(.+?): .*?It most often begins by (.*?)\. (?:Watch|$)", item + " ")
        if not m:
            continue
        outcome = name_of.get(m.group(1).strip(), m.group(1).strip())
        mine = [r for r in routes if r["outcome"] == outcome]
        top = sorted((r for r in mine if r["rank"] != "other"), key=lambda r: int(r["rank"]))[:2]
        got = part_re.findall(m.group(2) + ". ")
        fmt = ["%.1f%%" if float(r["share"]) < 0.1 else "%.0f%%" for r in top]
        want = [(f % (100 * float(r["share"])), f % (100 * float(r["share_lo"])),
                 f % (100 * float(r["share_hi"])), "%.1f years after the start" % float(r["median_years"]))
                for f, r in zip(fmt, top)]
        check(got == want, "%s: routes said %s, routes.csv %s" % (outcome, got, want))
        other = [r for r in mine if r["rank"] == "other"]
        if other:
            past = "(%s of onsets took routes past the ten most common)" % pct_label(float(other[0]["share"]))
            check(past in m.group(2), "%s: does not say '%s'" % (outcome, past))
        said += 1
    check(said >= 6, "story: only %d outcomes' routes stated" % said)


def story(d):
    """signpost_sentences and route_sentences, for the brief of a run with --routes --signposts."""
    return one_part(d, "story", lambda d, page, p, labels, check: (
        signpost_sentences(d, page, p, labels, check), route_sentences(d, page, p, labels, check)))


def start(d):
    """start_shares alone, for the brief of a run (no briefing.csv)."""
    return one_part(d, "start", lambda d, page, p, labels, check: start_shares(d, p, labels, check))


class Found:
    """A sentence's parts read by other means, as a match's groups: group(1) is parts[0]."""

    def __init__(self, parts):
        self.parts = parts

    def group(self, k):
        return self.parts[k - 1]


def first_finding(d, p, labels, check):
    """The first finding of the brief of folder d (a run's or a comparison's baseline, or first
    scenario)."""
    last = {}
    first = first_arm(d)
    for r in rows(d + "/outcomes.csv"):
        if r.get("arm", first) == first and r["measure"] == "occurred_by":
            last[r["outcome"]] = r   # rows in date order: the last is the horizon's end
    # the first finding: "The most likely of the N outcomes [marked “lower is better”] by Mon YYYY
    # are “A” P% (...); ..." must name the N most likely of the outcomes it says it looks at; when
    # it leaves out those with no direction, it names the most likely of them too, and it keeps its
    # promise that no outcome more likely than those named goes unmentioned: every outcome it does
    # not name is at most as likely as the least likely of its first sentence
    desirable = {r["name"]: r.get("desirable", "NA") for r in rows(d + "/labels.csv") if r["kind"] == "outcome"}
    by_label = {labels[("outcome", o)]: o for o in last}
    prob = {o: float(r["probability"]) for o, r in last.items()}
    # a state that every run starts in (occurred_by 1 at the start) has occurred by every date in
    # every run: today's state, not a finding about the future. The finding says so apart, first,
    # and names the most likely of the others (seed-2025's conservative ROK president, 100% at the
    # start, was named among the outcomes with no direction "at least as likely")
    always = [o for o, (share, onset) in start_of(d).items() if not onset and share == 1]
    future = {o: r for o, r in last.items() if o not in always}
    directed = {o for o in future if desirable.get(o, "NA") in ("lower", "higher")}

    def pct(p):
        return "<1%" if 0 < p < 0.005 else ">99%" if 0.995 <= p < 1 else "%.0f%%" % (100 * p)

    # the finding and the outcomes table reach the horizon's end, as outcomes.csv does (a run of
    # backtest-2019, 3 years to Jan 2022, stopped at 2 years: "by Jan 2021")
    end = next(iter(last.values()))["date"] if last else ""
    month = "%s %s" % (MONTHS[int(end[5:7]) - 1], end[:4]) if end else "?"
    check(any(h.startswith("By ") and h.endswith("(%s)" % month) for h in p.heads),
          "outcomes table: no column for the horizon's end, %s (%s)" % (month, [h for h in p.heads if h.startswith("By ")]))
    # the outcomes table's note says what its marks mean, those it shows only: an onset's when an
    # outcome is an onset, a state's share at the start when a state holds at the start in some
    # runs (a run of backtest-2019, which has no onset outcome, said what an onset counts)
    note = re.search(r'<p class="note">(Probability that each outcome has occurred by each '
                     r'horizon[^<]*)', open(d + "/brief.html", encoding="utf-8").read())
    note = html.unescape(note.group(1)) if note else ""
    marks = start_of(d).values()
    onset_any = any(on for _, on in marks)
    state_any = any(share > 0 and not on for share, on in marks)
    for said, want, what in (("onset: begun after the start" in note, onset_any, "onsets"),
                             ("a state counts the runs that start in it" in note, state_any,
                              "states held at the start")):
        check(note and said == want, "outcomes table: its note %s %s, which outcomes.csv %s: '%s'"
              % ("speaks of" if said else "does not speak of", what, "has" if want else "has not",
                 note))
    lead = next((i for i in p.items if "most likely of the" in i or "today's state" in i or
                 (" has occurred by " in i and (len(future) == 1 or " outcome marked " in i))), "")
    m = re.match(r"(.+?) (?:is|are) today's state: .*?what follows\. ?", lead)
    apart = {by_label.get(lab) for lab in re.findall(r"“([^”]+)”", m.group(1))} if m else set()
    check(apart == set(always), "first finding: says %s are today's state (held at the start in every "
          "run); outcomes.csv: %s" % (sorted(labels[("outcome", o)] for o in apart if o),
                                      sorted(labels[("outcome", o)] for o in always)))
    # ... in a sentence a minister reads at once, that says what it means exactly: 100% by every
    # horizon because every run starts there, not a forecast (it read "... holds at the start in
    # every run, so, as a state (held at some time, the start included), it has occurred by every
    # date in all of them: that is today's state, not a finding about the future, ...": 48 words)
    if always:
        said = m.group(0) if m else re.match(r".*?what follows\.|[^.]*", lead).group(0)
        words = len(said.split()) - sum(len(labels[("outcome", o)].split()) for o in always)
        check(m and words <= 30 and "every run starts in" in said and
              "100% at every horizon by construction" in said and "not a forecast" in said,
              "first finding: today's state is not said shortly (at most 30 words but its names, "
              "every run starts in it, 100%% at every horizon by construction, not a forecast): "
              "'%s' (%d words)" % (said, words))
    first = lead[m.end():] if m else lead
    m = re.search(r"most likely of the (?:other )?(\d+) outcomes(?: marked .*?)? by (\w+ \d{4}) are (.*?\))\.( .*)?$",
                  first)
    # ... or of one outcome with a direction among others: "The one outcome marked “lower is
    # better”, “A”, has occurred by Mon YYYY in P% of runs (...). The one with no direction ..."
    # (it read "The most likely of the 1 outcomes marked ... are"), read as that sentence
    m1 = re.search(r"one (?:other )?outcome marked [^,]*, (“[^”]+”), has occurred by (\w+ \d{4}) in "
                   r"(\S+) of runs (\([^)]*\))\.( .*)?$", first)
    if not m and m1:
        m = Found(["1", m1.group(2), "%s %s %s" % (m1.group(1), m1.group(3), m1.group(4)),
                   m1.group(5)])
    check(not re.search(r"\b1 outcomes\b", first), "first finding: '1 outcomes' in '%s'" % first[:160])
    # of one outcome besides today's state, that one: "[Without any lever, ]“A” has occurred by Mon
    # YYYY in P% of runs (Monte Carlo ...)."
    one = re.search(r"“([^”]+)” has occurred by (\w+ \d{4}) in (\S+) of runs \(", first)
    if len(future) == 1:
        o = next(iter(future))
        check(one and by_label.get(one.group(1)) == o and one.group(2) == month and
              one.group(3) == pct(prob[o]),
              "first finding: not '“%s” has occurred by %s in %s of runs (' (outcomes.csv): '%s'" % (
                  labels[("outcome", o)], month, pct(prob[o]), first[:120]))
    check(m or len(future) <= 1,
          "first finding: no sentence 'The most likely of the N outcomes ...' in '%s'" % first[:120])
    if m:
        check(m.group(2) == month, "first finding: by %s, the horizon ends %s (outcomes.csv)" % (m.group(2), month))
        named = re.findall(r"“([^”]+)” (\S+) \(", m.group(3))
        also = re.findall(r"“([^”]+)” (\S+) \(", m.group(4) or "")
        held = [lab for lab, _ in named + also if by_label.get(lab) in always]
        check(not held, "first finding: names %s among the most likely, yet every run starts in it "
              "(a state held at the start in every run, outcomes.csv)" % held)
        pool = directed if directed and directed != set(future) else set(future)
        # the four most likely and every one tied with the fourth; none at 0% unless all are
        ranked = sorted((prob[o] for o in pool), reverse=True)
        fourth = ranked[min(4, len(ranked)) - 1]
        want = [q for q in ranked if (q >= fourth if fourth > 0 else q > 0)] or ranked[:1]
        got = [prob.get(by_label.get(lab), -1.0) for lab, _ in named]
        check(int(m.group(1)) == len(pool), "first finding: says %s outcomes, looks at %d" % (m.group(1), len(pool)))
        check(got == want and all(by_label.get(lab) in pool for lab, _ in named),
              "first finding: names %s, not the most likely of its %d outcomes" % ([lab for lab, _ in named], len(pool)))
        check(all(pc == pct(prob.get(by_label.get(lab), -1.0)) for lab, pc in named + also),
              "first finding: a percentage is not outcomes.csv's: %s" % (named + also))
        # with --outer each judgment range says ", mostly noise" where uncertainty.csv says yes
        if os.path.exists(d + "/uncertainty.csv"):
            noisy = {r["outcome"]: mostly_noise(r) for r in rows(d + "/uncertainty.csv")
                     if r.get("arm", first) == first and r["date"] == end}
            for lab, inside in re.findall(r"“([^”]+)” \S+ \(([^)]*)\)", m.group(3) + (m.group(4) or "")):
                o = by_label.get(lab)
                check(o not in noisy or inside.endswith(", mostly noise") == noisy[o],
                      "first finding: %s (%s), uncertainty.csv's judgment_mostly_noise %s" % (
                          lab, inside, "yes" if noisy.get(o) else "no"))
        rest = set(future) - pool
        said = {by_label.get(lab) for lab, _ in named + also}
        if rest:
            top = max(rest, key=lambda o: prob[o])
            check(top in said and all(by_label.get(lab) in rest for lab, _ in also),
                  "first finding: the most likely outcome with no direction, %s (%s), is not named after "
                  "the first sentence (%s)" % (labels[("outcome", top)], pct(prob[top]), [lab for lab, _ in also]))
        floor = min(got) if got else 0.0
        # "Of the 4 with no direction, 2 are at least as likely as the least likely of those
        # (60%): ..." names the bar it sets, the least likely of the first sentence's (it said "2
        # are at least as likely:", as what, the reader had to work out)
        bar = re.search(r"are at least as likely as the least likely of those \(([^)]*)\):",
                        m.group(4) or "")
        check(bool(bar) == (len(also) > 1) and (not bar or bar.group(1) == pct(floor)),
              "first finding: %d outcomes with no direction named, the bar said %s, the least "
              "likely of those named is %s" % (len(also), bar.group(1) if bar else "nowhere",
                                              pct(floor)))
        skipped = sorted((o for o in future if o not in said and (prob[o] >= floor if floor > 0 else prob[o] > 0)),
                         key=lambda o: -prob[o])
        check(not skipped, "first finding: %s unmentioned, at least as likely as %s named" % (
            ", ".join("%s %s" % (labels[("outcome", o)], pct(prob[o])) for o in skipped), pct(floor)))
    # what "mostly noise" means, in an item of its own at the end, exactly when a sentence of the
    # summary says it
    told = [i for i in p.items if i.startswith("A judgment range said to be")]
    marked = any(", mostly noise)" in i for i in p.items)
    check(len(told) == (1 if marked else 0) and all(NOISE_WORDS in i for i in told),
          "summary: %s says \u201cmostly noise\u201d, %d items explain it" % (
              "a sentence" if marked else "no sentence", len(told)))
    return desirable, last, by_label


def first(d):
    """first_finding, for the brief of a run (no briefing.csv), and with --outer uncertainty.csv's
    judgment_mostly_noise against its rule (noise_column)."""
    return one_part(d, "first", lambda d, page, p, labels, check: (
        noise_column(d, check), first_finding(d, p, labels, check),
        few_draws_notes(d, page, check)))


ARMS_SHOWN = ". Arms shown: "  # what a figure's alt text says after its title (scripts/brief.R)
# the key figures' grid (brief_key_figures, scripts/brief.R), and a note after it if any (once the
# forest's, now in its caption: KEY_CAPTION)
KEY_FIGURES = r'<div class="key">(.*?)</div>\s*(?:<p class="note">.*?</p>\s*)?</div>'
# a key figure's caption: its files, then what its marks mean (figure_tag's note), if it says
KEY_CAPTION = (r'<div class="key">.*?<figcaption>[^<]*\(figures/%s\.png and \.pdf\)\s*'
               r'(?:<p class="note">(.*?)</p>\s*)?</figcaption>')


def figure_levers(d, page, briefing, check):
    """Every lever of a comparison is named in each figure the brief embeds that shows levers,
    across its pages, so that no chart the reader sees shows some levers as if they were all (the
    key headline chart of compare --levers all showed the baseline and 3 of its 8 levers). A
    figure's arms are those of the data it draws, which figures/index.csv records
    (scripts/figures_common.R, nsm_save) and each image's alt text says after its title. The lever
    forest, every lever on one page, is among the key figures; a figure drawn over pages of a few
    arms each ("(arms, part 1 of 3)") is not embedded but linked, every page, and its pages
    together draw every lever; each link names a file of figures/."""
    levers = {r["arm_label"] for r in briefing}
    figures = re.findall(r'<figure[^>]*>\s*<img[^>]* alt="([^"]*)"[^>]*/?>\s*<figcaption>[^<]*'
                         r'\(figures/([^ ]+)\.png', page)
    key = re.search(KEY_FIGURES, page, re.S)
    key_files = set(re.findall(r"\(figures/([^ ]+)\.png", key.group(1))) if key else set()
    shown, key_shown = {}, {}
    for alt, f in figures:
        # its name but its arms' page (scripts/brief.R, arm_pages)
        family = re.sub(r"^(lever_matrix_.*)_a[0-9]+$", r"\1", re.sub(r"_arms[0-9]+(?=_|$)", "", f))
        alt = html.unescape(alt)
        arms = alt.split(ARMS_SHOWN, 1)[1].split("; ") if ARMS_SHOWN in alt else []
        shown.setdefault(family, set()).update(arms)
        if f in key_files:
            key_shown.setdefault(family, set()).update(arms)
    check("lever_forest" in key_files,
          "figures: the lever forest is not among the key figures (%s)" % sorted(key_files))
    for where, families in (("brief's", shown), ("key figures'", key_shown)):
        for family, arms in sorted(families.items()):
            if family == "lever_forest" or arms & levers:
                check(levers <= arms, "figures: the %s %s shows %d of the %d levers, not %s" % (
                    where, family, len(arms & levers), len(levers), sorted(levers - arms)))
    # the figures drawn over pages of arms: linked, each page, and none embedded
    embedded = {f for _, f in figures}
    links = set(re.findall(r'<a href="figures/([^"]+)\.pdf">', page))
    paged = {}
    for r in rows(d + "/figures/index.csv"):
        if r["brief"] == "TRUE" and re.search(r"_arms[0-9]+(_|$)", r["file"]):
            paged.setdefault(re.sub(r"_arms[0-9]+(?=_|$)", "", r["file"]), []).append(r)
    for family, pages in sorted(paged.items()):
        files = {r["file"] for r in pages}
        check(not files & embedded, "figures: %s embedded, not linked" % sorted(files & embedded))
        check(files <= links,
              "figures: pages of %s not linked: %s" % (family, sorted(files - links)))
        arms = {a for r in pages for a in r["arms"].split(";") if a and a != first_arm(d)}
        if arms:
            check(arms == {r["arm"] for r in briefing},
                  "figures: the pages of %s draw %s, briefing.csv's levers are %s" % (
                      family, sorted(arms), sorted({r["arm"] for r in briefing})))
    for href in re.findall(r'href="([^"#]+)"', page):
        check(href.startswith("figures/") and os.path.isfile(os.path.join(d, href)),
              "figures: a link to %s, not a file of figures/" % href)


FOREST_OUTCOMES = 6   # the panels of the lever forest (scripts/figures_compare.R)
DIRECTION = {"lower": " (lower is better)", "higher": " (higher is better)"}


def forest(d, page, labels, briefing, check):
    """The lever forest, the brief's one page of every lever's effect: figures/lever_forest.csv
    holds what the chart draws, read back from the built plot (each dot's strip, its row's axis
    label, the dot and its interval's ends, and the judgment bar's with --outer). Each panel is
    one outcome by its label and better direction, and holds one row per lever of briefing.csv,
    each named by its lever's label (the axis; a past legend named the wrong lever) and drawing
    differences.csv's paired difference and 95% interval at the brief's last horizon, in
    percentage points (uncertainty_differences.csv's judgment range with --outer). The panels are
    the outcomes the levers move most; the page says beside the chart what its interval is."""
    path = d + "/figures/lever_forest.csv"
    if not check(os.path.exists(path), "forest: no figures/lever_forest.csv"):
        return
    drawn = rows(path)
    hmax = max(float(r["horizon_years"]) for r in briefing)
    date = next(r["date"] for r in briefing if float(r["horizon_years"]) == hmax)
    lever_of = {}
    for r in briefing:
        lever_of.setdefault(r["arm_label"], set()).add(r["arm"])
    arms = {r["arm"] for r in briefing}
    desirable = {r["name"]: r.get("desirable", "NA") for r in rows(d + "/labels.csv")
                 if r["kind"] == "outcome"}
    strip_of = {o: labels[("outcome", o)] + DIRECTION.get(desirable[o], "") for o in desirable}
    diff = {(r["arm"], r["name"]): r for r in rows(d + "/differences.csv")
            if r["quantity"] == "outcome" and r["measure"] == "occurred_by" and r["date"] == date}
    judged = {}
    if os.path.exists(d + "/uncertainty_differences.csv"):
        judged = {(r["arm"], r["outcome"]): r for r in rows(d + "/uncertainty_differences.csv")
                  if r["date"] == date}
    check(("judgment_q05_pp" in drawn[0]) == bool(judged),
          "forest: judgment bars %s, uncertainty_differences.csv %s" % (
              "drawn" if "judgment_q05_pp" in drawn[0] else "not drawn",
              "present" if judged else "absent"))

    def near(a, b):
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(b)))

    shown = []
    for strip in dict.fromkeys(r["outcome_label"] for r in drawn):
        outs = [o for o, s in strip_of.items() if s == strip]
        if not check(len(outs) == 1, "forest: panel '%s' names %d outcomes" % (strip, len(outs))):
            continue
        o = outs[0]
        shown.append(o)
        mine = [r for r in drawn if r["outcome_label"] == strip]
        named = [r["lever_label"] for r in mine]
        check(sorted(named) == sorted(lever_of),
              "forest: %s: rows %s, briefing.csv's levers %s" % (
                  strip, sorted(named), sorted(lever_of)))
        for r in mine:
            arm = lever_of.get(r["lever_label"], set())
            if not check(len(arm) == 1, "forest: %s: row '%s' names no lever of briefing.csv"
                         % (strip, r["lever_label"])):
                continue
            want = diff.get((next(iter(arm)), o))
            if not check(want is not None, "forest: %s, %s: no row of differences.csv at %s" % (
                    strip, r["lever_label"], date)):
                continue
            for col, src in (("difference_pp", "difference"), ("ci_low_pp", "ci_low"),
                             ("ci_high_pp", "ci_high")):
                check(near(r[col], 100 * float(want[src])),
                      "forest: %s, %s: %s %s drawn, differences.csv %s (x 100 = %.6g)" % (
                          strip, r["lever_label"], col, r[col], want[src], 100 * float(want[src])))
            if judged and "judgment_q05_pp" in r:
                j = judged[(next(iter(arm)), o)]
                for col, src in (("judgment_q05_pp", "judgment_q05"),
                                 ("judgment_q95_pp", "judgment_q95")):
                    check(near(r[col], 100 * float(j[src])),
                          "forest: %s, %s: %s %s drawn, uncertainty_differences.csv %s" % (
                              strip, r["lever_label"], col, r[col], j[src]))
                # a bar mostly noise is drawn fainter, and no other
                check(r.get("judgment_faint") == j.get("judgment_mostly_noise"),
                      "forest: %s, %s: bar drawn %s, judgment_mostly_noise %s" % (
                          strip, r["lever_label"],
                          "fainter" if r.get("judgment_faint") == "yes" else "as judgment",
                          j.get("judgment_mostly_noise")))
    # the outcomes the levers move most: none left out moved more than the least of those shown
    size = {}
    for (a, o), r in diff.items():
        if a in arms:
            size[o] = max(size.get(o, 0.0), abs(float(r["difference"])))
    check(len(shown) == min(FOREST_OUTCOMES, len(size)),
          "forest: %d panels, %d outcomes" % (len(shown), len(size)))
    rest = [size[o] for o in size if o not in shown]
    check(not shown or not rest or min(size[o] for o in shown) >= max(rest),
          "forest: an outcome left out moves more than one shown")
    # what the interval is, said in the chart's own caption: a note after the grid read in print
    # as the caption of the lever matrix, the figure set above it
    key = re.search(KEY_CAPTION % "lever_forest", page, re.S)
    note = html.unescape(key.group(1) or "") if key else ""
    check("95% Monte Carlo interval of the " in note and
          (("judgment range" in note) if judged
           else ("judgment uncertainty" in note and "not in it" in note)),
          "forest: no note in its caption saying what the interval is (%r)" % note[:200])
    faint = any(r.get("judgment_faint") == "yes" for r in drawn)
    check(("a fainter bar is mostly the Monte Carlo noise" in note) == faint,
          "forest: its caption %s fainter bars, which it %s" % (
              "explains" if "fainter bar" in note else "does not explain",
              "draws" if faint else "does not draw"))
    check(not re.search(r'<div class="key">.*?</div>\s*<p class="note">', page, re.S),
          "forest: a note after the key figures' grid, under whichever figure comes last")


FOLD = (r'<details>\s*<summary>([^<]*): (\d+) of (\d+) outcomes? '
        r'(?:moved distinguishably|distinguishably different)</summary>(.*?)</details>')
UNMOVED = r'<p class="note unmoved">The same in every paired run (?:with the lever as without|' \
          r'in the scenario as in [^,<]*), at every horizon: ([^<]*)\.</p>'


def mostly_noise(r):
    """Whether briefing.csv's row says its judgment range is mostly noise (judgment_mostly_noise;
    a folder written before the column: no)."""
    return r.get("judgment_mostly_noise") == "yes"


def judgment_pp(r):
    """A table cell's judgment range from briefing.csv: "judgment -5.2 to -2.6", and
    " (mostly noise)" after it where the row says so."""
    return "judgment %s to %s%s" % (pp(r["judgment_q05_pp"]), pp(r["judgment_q95_pp"]),
                                    " (mostly noise)" if mostly_noise(r) else "")


NOISE_WORDS = "\u201cmostly noise\u201d: most of that range is the Monte Carlo noise of a draw's "
WITHIN_WORDS = ("\u201cwithin noise\u201d after the draws in which a lever is the best: in that "
                "many of them it leads another lever by less than the Monte Carlo noise of one draw")


RANGE_WORDS = "such a range holds on average about"
FEW_WORDS = "draws such intervals run narrow"


def few_draws():
    """neasim's NSM_CLI_FEW_DRAWS (src/cli/cli.h), below which its summaries say that the intervals
    counting the draws run narrow: the brief's copy (scripts/figures_common.R NSM_FEW_DRAWS) is
    held to it."""
    src = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "cli",
                            "cli.h"), encoding="utf-8").read()
    return int(re.search(r"NSM_CLI_FEW_DRAWS = ([0-9]+)", src).group(1))


def few_draws_notes(d, page, check):
    """What few draws do, said in the brief's notes as neasim's summaries say it. With --outer
    below NSM_CLI_FEW_DRAWS draws, the notes of the tables whose intervals count the draws say
    that such intervals run narrow. The manifest's judgment_range_coverage is 0.9 (N - 1) /
    (N + 1) to four decimals (computed here from outer_draws), and every note that introduces the
    judgment range says "(from only N draws, such a range holds on average about P% of the values
    a draw can give, not 90%)" when P, that share in whole percent rounded half up (exactly, in
    integers), is 87 or less, and does not say it from 71 draws on. Without --outer: neither the
    row nor the words."""
    m = {r["key"]: r["value"] for r in rows(d + "/manifest.csv")}
    every = [html.unescape(x) for x in re.findall(r'<p class="note">([^<]*)', page)]
    notes = [x for x in every if "judgment range (5\u201395% over the draws)" in x]
    # the notes of the tables whose intervals count the draws: the outcomes table's, the levers'
    tables = [x for x in every if x.startswith("Probability that each outcome has occurred by each "
                                               "horizon") or
              x.startswith("Change in the probability that each outcome has occurred by each "
                           "horizon,")]
    if "outer_draws" not in m:
        check("judgment_range_coverage" not in m and
              not any(RANGE_WORDS in x or FEW_WORDS in x for x in every),
              "judgment range: no --outer, but a coverage row or the words")
        return
    n = int(m["outer_draws"])
    few = few_draws()
    said = ("from only %d draws such intervals run narrow: in tests about 9 in 10 of them, not 95 "
            "in 100, held the true value (%d draws or more for 95)" % (n, few))
    check(tables, "intervals: no table's note")
    for x in tables:
        check(said in x if n < few else FEW_WORDS not in x,
              "intervals: at %d draws a table's note %s: '%s'" % (
                  n, "should say '%s'" % said if n < few else "should not say they run narrow", x))
    check(m.get("judgment_range_coverage") == "%.4f" % (0.9 * (n - 1) / (n + 1)),
          "manifest: judgment_range_coverage %s at %d draws, not 0.9 x %d / %d" % (
              m.get("judgment_range_coverage"), n, n - 1, n + 1))
    pct = (180 * (n - 1) + n + 1) // (2 * (n + 1))
    want = ("(from only %d draws, such a range holds on average about %d%% of the values a draw "
            "can give, not 90%%)" % (n, pct))
    check(notes, "judgment range: no note introduces it")
    for x in notes:
        check(want in x if pct <= 87 else RANGE_WORDS not in x,
              "judgment range: at %d draws (%d%%) a note %s: '%s'" % (
                  n, pct, "should say '%s'" % want if pct <= 87 else "should not say it", x))


def noise_column(d, check):
    """compare --outer: judgment_mostly_noise, checked against neasim's rule computed here from
    uncertainty_differences.csv's own columns (yes exactly when between_draws_sd > 0 and
    2 x monte_carlo_sd^2 >= between_draws_sd^2; rows within the rounding of their 4 digits of the
    boundary are not judged), and briefing.csv's the same as uncertainty_differences.csv's for
    every arm, outcome and horizon; uncertainty.csv's probabilities by the same rule. Returns how
    many rows of uncertainty_differences.csv are yes."""
    if os.path.exists(d + "/uncertainty.csv"):
        for r in rows(d + "/uncertainty.csv"):
            sd, mc = float(r["between_draws_sd"]), float(r["monte_carlo_sd"])
            if sd > 0 and abs(2 * mc * mc / (sd * sd) - 1) < 2e-3:
                continue
            check(mostly_noise(r) == (sd > 0 and 2 * mc * mc >= sd * sd),
                  "uncertainty.csv: %s, %s: judgment_mostly_noise %s with between_draws_sd %s, "
                  "monte_carlo_sd %s" % (r["outcome"], r["date"], r.get("judgment_mostly_noise"),
                                         sd, mc))
    if not os.path.exists(d + "/uncertainty_differences.csv"):
        return 0
    u = rows(d + "/uncertainty_differences.csv")
    check(all("judgment_mostly_noise" in r for r in u),
          "uncertainty_differences.csv: no judgment_mostly_noise column")
    said = {}
    for r in u:
        sd, mc = float(r["between_draws_sd"]), float(r["monte_carlo_sd"])
        yes = r.get("judgment_mostly_noise") == "yes"
        said[(r["arm"], r["outcome"], r["horizon_years"])] = yes
        if sd > 0 and abs(2 * mc * mc / (sd * sd) - 1) < 2e-3:
            continue
        check(yes == (sd > 0 and 2 * mc * mc >= sd * sd),
              "uncertainty_differences.csv: %s, %s, %s years: judgment_mostly_noise %s with "
              "between_draws_sd %s, monte_carlo_sd %s" % (r["arm"], r["outcome"], r["horizon_years"],
                                                         r.get("judgment_mostly_noise"), sd, mc))
    for r in rows(d + "/briefing.csv"):
        k = (r["arm"], r["outcome"], r["horizon_years"])
        check(k in said and said[k] == mostly_noise(r),
              "briefing.csv: %s, %s, %s years: judgment_mostly_noise %s, uncertainty_differences.csv's %s"
              % (k + (r.get("judgment_mostly_noise"), said.get(k))))
    return sum(said.values())


def lever_tables(page, b, check):
    """Each lever's fold, from briefing.csv: its title's counts; each outcome some run moved, a
    row of its table, every change as briefing.csv has it ("+1.6 pp +1.0 to +2.2", an end that
    one decimal would round to zero keeping a significant digit, never 0.0 unless zero) at its
    horizon; each outcome no run moved (a change of 0 and an interval of 0 to 0 at every horizon,
    and a judgment range of 0 to 0 with --outer), named in the sentence under the table and not in
    it; the sentence naming nothing else."""
    folds = {html.unescape(m.group(1)): m for m in re.finditer(FOLD, page, re.S)}
    arms = {}
    for r in b:
        arms.setdefault(r["arm_label"], []).append(r)
    check(len(arms) > 0 and set(folds) == set(arms),
          "levers tables: folds for %s, briefing.csv's levers are %s" % (sorted(folds), sorted(arms)))
    for arm, mine in sorted(arms.items()):
        m = folds.get(arm)
        if m is None:
            continue
        outcomes = {r["outcome_label"] for r in mine}
        moved = {r["outcome_label"] for r in mine if r["distinguishable"] == "yes"}
        check(int(m.group(3)) == len(outcomes) and int(m.group(2)) == len(moved),
              "levers tables: %s says %s of %s outcomes moved, briefing.csv %d of %d" % (
                  arm, m.group(2), m.group(3), len(moved), len(outcomes)))
        # the noun agrees with the count: "0 of 1 outcome", "2 of 12 outcomes"
        noun = re.match(r'<details>\s*<summary>[^<]*: \d+ of \d+ (outcomes?) ', m.group(0)).group(1)
        check(noun == ("outcome" if m.group(3) == "1" else "outcomes"),
              "levers tables: %s says '%s of %s %s'" % (arm, m.group(2), m.group(3), noun))
        cells = Cells()
        cells.feed(m.group(4))
        table = {r[0]: r[1:] for r in cells.rows if r}
        hz = sorted({float(r["horizon_years"]) for r in mine})
        u = re.search(UNMOVED, m.group(4))
        said = re.findall("\u201c(.*?)\u201d", html.unescape(u.group(1))) if u else []
        for o in sorted(outcomes):
            rs = [r for r in mine if r["outcome_label"] == o]
            zero = all(float(r["difference_pp"]) == 0 and float(r["ci_low_pp"]) == 0 and
                       float(r["ci_high_pp"]) == 0 and
                       float(r.get("judgment_q05_pp", 0)) == 0 and
                       float(r.get("judgment_q95_pp", 0)) == 0 for r in rs)
            if zero:
                check(o in said and o not in table,
                      "levers tables: %s moves %s in no run; %s" % (
                          arm, o, "a row of its table" if o in table else "not said under it"))
                continue
            check(o in table and o not in said, "levers tables: %s moves %s, %s" % (
                arm, o, "said to move it in no run" if o in said else "no row of its table"))
            for r in rs:
                want = "%s pp %s to %s" % (pp(r["difference_pp"]), pp(r["ci_low_pp"]), pp(r["ci_high_pp"]))
                j = hz.index(float(r["horizon_years"]))
                got = table.get(o, [])
                if "judgment_q05_pp" in r:  # compare --outer: the cell ends with its judgment range
                    tail = judgment_pp(r)
                    check(j < len(got) and got[j].endswith(tail),
                          "levers table: %s, %s, %s years: '%s' does not end '%s'" % (
                              arm, o, r["horizon_years"], got[j] if j < len(got) else "", tail))
                check(j < len(got) and got[j].startswith(want),
                      "levers table: %s, %s, %s years: '%s', briefing.csv's '%s'" % (
                          arm, o, r["horizon_years"], got[j] if j < len(got) else "", want))
        check(set(said) <= outcomes and len(said) == len(set(said)),
              "levers tables: %s's sentence names %s" % (arm, said))


def numbers(d):
    page = open(d + "/brief.html", encoding="utf-8").read()
    p = Cells()
    p.feed(page)
    labels = brief_labels(d)
    check = Checks("numbers")

    # the outcomes table: "Label ... 45.3% 44.6–46.0" at each horizon, from outcomes.csv; with
    # --outer the interval is the mean's over the draws, uncertainty.csv's mean_ci_low and high
    last = {}
    first = first_arm(d)
    for r in rows(d + "/outcomes.csv"):
        if r.get("arm", first) == first and r["measure"] == "occurred_by":
            last[r["outcome"]] = r   # rows in date order: the last is the horizon's end
    mean_ci, judgment = {}, {}
    if os.path.exists(d + "/uncertainty.csv"):
        for r in rows(d + "/uncertainty.csv"):
            if r.get("arm", first) == first and "mean_ci_low" in r:
                mean_ci[(r["outcome"], r["date"])] = (r["mean_ci_low"], r["mean_ci_high"])
                judgment[(r["outcome"], r["date"])] = pct_range(r["q05"], r["q95"]) + (
                    " (mostly noise)" if mostly_noise(r) else "")
    for o, r in last.items():
        lo, hi = mean_ci.get((o, r["date"]), (r["ci_low"], r["ci_high"]))
        want = "%.1f%% %.1f–%.1f" % (100 * float(r["probability"]), 100 * float(lo), 100 * float(hi))
        # with --outer (run or compare), the judgment range below it, uncertainty.csv's q05-q95
        if (o, r["date"]) in judgment:
            want += " judgment " + judgment[(o, r["date"])]
        label = labels[("outcome", o)]
        # a range not marked must not be followed by the mark
        hit = [c for c in p.cells if want in c and want + " (mostly noise)" not in c]
        check(hit, "outcomes table: no cell '%s' for %s (%s, %s)" % (
            want, label, "uncertainty.csv" if (o, r["date"]) in mean_ci else "outcomes.csv", r["date"]))
    desirable, _, by_label = first_finding(d, p, labels, check)
    # the best lever of each outcome by the last horizon, from briefing.csv: the rank-1 lever that
    # helps; else, for an outcome with a better direction, how many levers distinguishably hurt it
    # ("none helps (2 make it likelier)", "none distinguishable"); no lever at all for an outcome
    # with no better direction (there is no better way for it to go)
    b = briefing_rows(d, labels)
    scenarios = scenarios_compared(d)
    if scenarios:
        # briefing.csv labels a scenario by its name (us_retrenchment); the brief by that name in
        # words ("US retrenchment"): each scenario's fold title gives the words, checked here to be
        # its name's, and the checks below read the brief's label
        said = {html.unescape(m.group(1)) for m in re.finditer(FOLD, page, re.S)}
        words = {r["arm_label"]: [w for w in said
                                  if w.lower() == r["arm_label"].replace("_", " ").lower()]
                 for r in b}
        for name, w in sorted(words.items()):
            check(len(w) == 1,
                  "scenarios: %s is not named in words by one fold (%s)" % (name, sorted(said)))
        for r in b:
            if len(words[r["arm_label"]]) == 1:
                r["arm_label"] = words[r["arm_label"]][0]
    hmax = max(float(r["horizon_years"]) for r in b)
    table = {}   # outcome label -> its row of the outcomes table (the first table whose rows end so)
    bound_shown = False  # some cell names an arm "(bound)"
    noise_shown = False  # some best lever's judgment range is marked "(mostly noise)"
    within_shown = False  # some best lever's draws are said to be partly "within noise"
    noisy = noise_column(d, check)
    few_draws_notes(d, page, check)
    for cells in p.rows:
        if len(cells) >= 3:
            for lab in by_label:
                if cells[0] == lab or cells[0].startswith(lab + " "):
                    table.setdefault(lab, cells)
    for o, lab in ((o, labels[("outcome", o)]) for o in last):
        cells = table.get(lab)
        check(cells is not None, "outcomes table: no row for %s" % lab)
        if cells is None:
            continue
        best = cells[-1]
        mine = [r for r in b if float(r["horizon_years"]) == hmax and r["outcome"] == o]
        helps = [r for r in mine if r["verdict"] == "helps" and r["rank"] == "1"]
        hurts = [r for r in mine if r["verdict"] == "hurts"]
        if desirable.get(o, "NA") not in ("lower", "higher"):
            want = "no better direction"
        elif helps:
            want = "%s %s pp %s to %s" % (helps[0]["arm_label"], pp(helps[0]["difference_pp"]),
                                          pp(helps[0]["ci_low_pp"]), pp(helps[0]["ci_high_pp"]))
            if "judgment_q05_pp" in helps[0]:  # compare --outer: its judgment range below
                want += " " + judgment_pp(helps[0])
                noise_shown |= mostly_noise(helps[0])
            # and in how many draws it is the best, among two or more (one alternative is the best
            # in every draw, which the brief does not say)
            if "share_draws_best" in helps[0] and len({r["arm"] for r in b}) > 1:
                n = int({r["key"]: r["value"] for r in rows(d + "/manifest.csv")}["outer_draws"])
                wins = float(helps[0]["share_draws_best"]) * n
                count = lambda k: "%.0f" % k if abs(k - round(k)) < 1e-6 else "%.1f" % k
                want += " best in " + ("all %d" % n if abs(wins - n) < 1e-6 else
                                       "%s of %d" % (count(wins), n)) + " draws"
                # and in how many of them by less than a draw's noise, when in any
                near = helps[0].get("share_draws_best_within_noise", "")
                close = float(near) * n if near not in ("", "NA") else 0.0
                if close > 1e-6:
                    want += ", %s within noise" % ("all" if abs(close - wins) < 1e-6 else count(close))
                    within_shown = True
            # the arms not told apart from it (minus_best), the two that help most by name
            sign = -1 if desirable[o] == "lower" else 1
            untold = sorted((r for r in mine if r.get("minus_best_distinguishable") == "no"),
                            key=lambda r: -sign * float(r["difference_pp"]))
            if untold:
                named = [r["arm_label"] + (" (bound)" if r["minus_best_interval"] == "bound" else "")
                         for r in untold[:2]]
                bound_shown |= any(n.endswith(" (bound)") for n in named)
                more = len(untold) - len(named)
                want += " not told apart from " + (", ".join(named) + " or %d more" % more if more
                                                   else " or ".join(named))
        elif hurts:
            want = "none better (%d worse)" % len(hurts) if scenarios else \
                "none helps (%d make%s it %s)" % (len(hurts), "s" if len(hurts) == 1 else "",
                                                   "likelier" if desirable[o] == "lower" else "less likely")
        else:
            want = "none distinguishable"
        check(best == want, "best lever of %s: '%s', briefing.csv says '%s'" % (lab, best, want))
    # the table's note explains "(bound)" exactly when a cell shows one (it once did in a brief
    # whose every arm was set beside the best exactly)
    note = re.search(r'<p class="note">(Probability that each outcome has occurred by each '
                     r'horizon[^<]*)', open(d + "/brief.html", encoding="utf-8").read())
    note = html.unescape(note.group(1)) if note else ""
    check(("(bound)" in note) == bound_shown,
          "outcomes table: its note %s \u201c(bound)\u201d, which %s cell shows: '%s'"
          % ("explains" if "(bound)" in note else "does not explain",
             "a" if bound_shown else "no", note))
    # and explains "mostly noise" exactly when a cell shows it, a best lever's or a probability's
    noise_shown |= any("(mostly noise)" in c for c in sum(table.values(), []))
    check((NOISE_WORDS in note) == noise_shown,
          "outcomes table: its note %s \u201cmostly noise\u201d, which %s cell shows" % (
              "explains" if NOISE_WORDS in note else "does not explain", "a" if noise_shown else "no"))
    # and "within noise" exactly when a best lever's cell says it
    check((WITHIN_WORDS in note) == within_shown,
          "outcomes table: its note %s \u201cwithin noise\u201d, which %s cell shows" % (
              "explains" if WITHIN_WORDS in note else "does not explain", "a" if within_shown else "no"))
    # the levers' tables: their note explains it exactly when briefing.csv has a row so marked
    # (every such row is a cell of a table: a row marked moves its outcome in some draw)
    lnote = re.search(r'<p class="note">(Change in the probability that each outcome has occurred '
                      r'by each horizon, [^<]*)', page)
    lnote = html.unescape(lnote.group(1)) if lnote else ""
    marked = any(mostly_noise(r) for r in b)
    check((NOISE_WORDS in lnote) == marked and marked == (noisy > 0),
          "levers tables: the note %s \u201cmostly noise\u201d; briefing.csv marks %s row, "
          "uncertainty_differences.csv %d" % ("explains" if NOISE_WORDS in lnote else "does not explain",
                                              "a" if marked else "no", noisy))
    lever_tables(page, b, check)
    # the other levers that help, "Also helping: ...", each told as the levers that matter most,
    # with its interval (it said "Larger Seoul contributions (“USFK cut ...”, -8.6 pp)"); the
    # sentences' check below reads their numbers against briefing.csv. Clauses are split at "; "
    # outside parentheses, where a judgment range has its own "; ".
    phrase = (r".+? (lowers|raises) “[^”]+” by [0-9.]+ points \([0-9.]+ to [0-9.]+(; judgment [^()]+)?\)"
              r"(, and exactly as much (with .+ added|in .+))?")
    for item in p.items:
        if item.startswith("Also helping"):
            for part in re.split(r"; (?![^()]*\))", item.split(": ", 1)[-1].rstrip(".")):
                check(re.fullmatch(phrase, part),
                      "summary: 'Also helping' says '%s', not the change with its interval" % part)
    # the summary's sentences: "LEVER lowers “OUTCOME” by X points (LO to HI)"; of scenarios
    # compared, "SCENARIO has “OUTCOME” X points lower (LO to HI)"
    said = 0
    judged = 0
    stated = set()   # the arms whose effects the sentences tell
    sentence = (r"([^;:]+?) has “([^”]+)” ([0-9.]+) points (lower|higher) \(([0-9.]+) to ([0-9.]+)"
                if scenarios else
                r"([^;:]+?) (lowers|raises) “([^”]+)” by ([0-9.]+) points \(([0-9.]+) to ([0-9.]+)")
    for item in p.items:
        for m in re.finditer(sentence, item):
            if scenarios:
                lever, outcome, size, verb, lo, hi = m.groups()
                verb = {"lower": "lowers", "higher": "raises"}[verb]
            else:
                lever, verb, outcome, size, lo, hi = m.groups()
            found = [r for r in b if float(r["horizon_years"]) == hmax and r["outcome_label"] == outcome
                     and lever.strip().endswith(r["arm_label"])]
            # of a factorial comparison's arms, "A + B" ends as B does: the arm of that label
            found = [r for r in found if lever.strip() == r["arm_label"]] or found
            ok = len(found) == 1
            rest = ""
            if ok:
                r = found[0]
                v = float(r["difference_pp"])
                ends = sorted([abs(float(r["ci_low_pp"])), abs(float(r["ci_high_pp"]))])
                ok = (pp(abs(v), False) == size and ("lowers" if v < 0 else "raises") == verb and
                      pp(ends[0], False) == lo and pp(ends[1], False) == hi)
                # compare --outer: the judgment range, as sizes in the verb's direction, or in
                # words when it reaches the other side of zero
                rest = item[m.end():item.find(")", m.end())]
                if "judgment_q05_pp" in r:
                    a, z = float(r["judgment_q05_pp"]), float(r["judgment_q95_pp"])
                    if (z <= 0) if v < 0 else (a >= 0):
                        e = sorted([abs(a), abs(z)])
                        want = "; judgment %s to %s" % (pp(e[0], False), pp(e[1], False))
                    elif scenarios:  # "has “X” 1.2 points lower (0.8 to 1.6; judgment from ...)"
                        want = "; judgment from %s lower to %s higher" % (pp(abs(a), False),
                                                                          pp(abs(z), False))
                    else:
                        want = "; judgment from lowering it by %s to raising it by %s" % (
                            pp(abs(a), False), pp(abs(z), False))
                    if mostly_noise(r):
                        want += ", mostly noise"
                    ok = ok and rest == want
                    judged += 1
                else:
                    ok = ok and rest == ""
            check(ok, "summary: '%s%s' is not briefing.csv's" % (m.group(0), rest))
            said += 1
            if ok:
                stated.add(found[0]["arm_label"])
    # every lever that distinguishably helps some outcome by the last horizon is told, its largest
    # help in a sentence (the levers that matter most, else "Also helping") or as exactly the
    # effect of a part of it ("and exactly as much with ... added"); none is left out
    folded = exactly_as_much(p, b, hmax, check, scenarios)
    helping = {r["arm_label"] for r in b if float(r["horizon_years"]) == hmax and
               r["verdict"] == "helps" and desirable.get(r["outcome"], "NA") in ("lower", "higher")}
    check(said >= 1 or not helping, "summary: no effect stated in sentences")
    check(helping <= stated | folded, "summary: levers that help but are not told: %s" %
          sorted(helping - stated - folded))
    check(judged in (0, said), "summary: %d of %d effects with a judgment range" % (judged, said))
    lever_lines(d, page, labels, check)
    if os.path.exists(d + "/figures/index.csv"):
        figure_levers(d, page, b, check)
        forest(d, page, labels, b, check)
    else:   # a brief made before (or without) make figures: no figure shown, none linked
        check("<img" not in page and 'href="figures/' not in page,
              "figures: the folder has no figures/index.csv, yet the brief shows or links one")
    start_shares(d, p, labels, check)
    return check.done()


def exactly_as_much(p, b, hmax, check, scenarios=False):
    """A factorial comparison's summary tells an effect once for the arm of fewest levers that has
    it: "NCG lowers “X” by 43.4 points (42.7 to 44.1), and exactly as much with A, B or both
    added" (or "with A added", or "in ARM and ARM"). Each arm so named must have, in briefing.csv,
    the same difference and interval on that outcome as the arm the sentence names. Of scenarios
    compared: "Baseline has “X” 32.2 points lower (28.1 to 36.3), and Nuclear test in September
    2027 exactly as much", each scenario so named with the same numbers as the first, and no
    difference told twice by two scenarios. Returns the labels of the arms so named."""
    levers = lambda label: frozenset(label.split(" + "))
    by = {}
    for r in b:
        if float(r["horizon_years"]) == hmax:
            by[(levers(r["arm_label"]), r["outcome_label"])] = r
    numbers = lambda r: (r["difference_pp"], r["ci_low_pp"], r["ci_high_pp"])
    # no effect told twice, once for an arm and again for an arm that adds levers to it
    told = [(levers(m.group(1)), m.group(2), m.group(3)) for item in p.items
            for m in re.finditer(r"(?:^|: |; )([^;:]+?) (?:lowers|raises) “([^”]+)” by "
                                 r"([^()]*\([^()]*\))", item)]
    if scenarios:
        told = [(levers(m.group(1)), m.group(2), m.group(3)) for item in p.items
                for m in re.finditer(r"(?:^|: |; )([^;:]+?) has “([^”]+)” ([^()]*\([^()]*\))", item)]
    for a, o, n in told:
        twice = [" + ".join(sorted(x)) for x, o2, n2 in told
                 if o2 == o and n2 == n and (a < x if not scenarios else a != x)]
        check(not twice, "summary: %s's effect on “%s” (%s) told again for %s" % (
            " + ".join(sorted(a)), o, n, twice))
    folded = set()
    if scenarios:
        for item in p.items:
            for m in re.finditer(r"(?:^|: |; )([^;:]+?) has “([^”]+)” [^()]*\([^()]*\), and (.+?) "
                                 r"exactly as much(?=; |\.$)", item):
                arm, outcome, named = m.groups()
                base = by.get((levers(arm), outcome))
                if not check(base is not None, "summary: '%s' names no arm of briefing.csv" % m.group(0)):
                    continue
                for a in re.split(r", | and ", named):
                    r = by.get((levers(a), outcome))
                    if r is not None:
                        folded.add(r["arm_label"])
                    check(r is not None and numbers(r) == numbers(base),
                          "summary: '%s': %s has %s on “%s” in briefing.csv, not %s" % (
                              m.group(0)[:60], a, numbers(r) if r else "no row", outcome,
                              numbers(base)))
        return folded
    # the interval's parentheses may hold a judgment range after "; " (compare --outer)
    clause = re.compile(r"(?:^|: |; )([^;:]+?) (?:lowers|raises) “([^”]+)” by [^()]*\([^()]*\)"
                        r", and exactly as much (?:with (.+?) added|in (.+?))(?=; |\.$)")
    for item in p.items:
        for m in clause.finditer(item):
            arm, outcome, added, named = m.groups()
            mine = [k for k in by if k == (levers(arm), outcome)]
            if not check(len(mine) == 1, "summary: '%s' names no one arm of briefing.csv" % m.group(0)):
                continue
            base = mine[0][0]
            if added:
                two = re.fullmatch(r"(.+), (.+) or both", added)
                parts = [frozenset([two.group(1)]), frozenset([two.group(2)]),
                         frozenset([two.group(1), two.group(2)])] if two else [frozenset([added])]
                arms = [base | x for x in parts]
            else:
                arms = [levers(a) for a in re.split(r", | and ", named)]
            for a in arms:
                r = by.get((a, outcome))
                if r is not None:
                    folded.add(r["arm_label"])
                check(r is not None and numbers(r) == numbers(by[(base, outcome)]),
                      "summary: '%s': %s has %s on “%s” in briefing.csv, not %s" % (
                          m.group(0)[:60], " + ".join(sorted(a)), numbers(r) if r else "no row",
                          outcome, numbers(by[(base, outcome)])))
    return folded


def report_day(m, years):
    """The report neasim takes for @YEARS: the nearest whole number of report intervals after the
    start (rounded half up, as lround), as the brief writes a day: "1 Nov 2028"."""
    step = int(m["report_interval_months"])
    months = int(math.floor(years * 12 / step + 0.5)) * step
    y, mo, day = (int(x) for x in m["start_date"].split("-"))
    y, mo = y + (mo - 1 + months) // 12, (mo - 1 + months) % 12 + 1
    return "%d %s %d" % (day, calendar.month_abbr[mo], y)


def precision(d):
    """With --precision, the summary's "Runs: ..." item against manifest.csv's precision_* rows:
    the target in points, met after the runs used (with --outer, the draws, and their batches) or
    NOT met at the ceiling, the widest half-width
    at the end to two decimals and where (the outcome's label, the date, the arm's or the
    interaction's levers' labels); without --precision, no such item."""
    page = open(d + "/brief.html", encoding="utf-8").read()
    p = Cells()
    p.feed(page)
    check = Checks("precision")
    m = {r["key"]: r["value"] for r in rows(d + "/manifest.csv")}
    labels = brief_labels(d)
    items = [i for i in p.items if i.startswith("Runs: ")]
    if "precision_target" not in m:
        check(not items, "precision: a 'Runs:' item without --precision: %s" % items)
        return check.done()
    if not check(len(items) == 1, "precision: %d 'Runs:' items, not one" % len(items)):
        return check.done()
    it = items[0]
    lever = lambda a: " + ".join(labels.get(("lever", x), labels.get(("scenario", x), x))
                                 for x in a.split("+"))
    h = 100 * float(m["precision_target"])
    check(re.search(r"at most ±%s percentage points? \(--precision %s\)" % (
        re.escape("%g" % h), re.escape(m["precision_target"])), it),
        "precision: the target ±%g points not said: '%s'" % (h, it))
    runs = "{:,}".format(int(m["runs"]))
    if "outer_draws" in m:  # --outer: draws, in batches of draws, each of runs / draws runs
        draws = int(m["outer_draws"])
        runs = "{:,} draws of {:,} runs each".format(draws, int(m["runs"]) // draws)
        check("draws of the uncertain numbers added in batches of %s after a first %s until " % (
            m["precision_batch"], m["precision_first_batch"]) in it,
            "precision: the batches of draws not said: '%s'" % it)
        check("(--outer)" in it or m["precision_met"] == "yes",
              "precision: not met, and --outer not named as what to raise: '%s'" % it)
    else:
        runs += " runs"
    said = ("met after %s" % runs) if m["precision_met"] == "yes" else \
        ("NOT met: the ceiling of %s" % runs)
    check(said in it, "precision: '%s' not said: '%s'" % (said, it))
    w = "±%.2f points" % (100 * float(m["precision_widest_half_width"]))
    check(w in it, "precision: the widest, %s, not said: '%s'" % (w, it))
    # what --precision-for asked for, in words: each item's arm and outcome by their labels and
    # its date (the report nearest @YEARS, computed here from the manifest), not its syntax
    asked = it.split(" until ", 1)[-1].split(" had a 95% ", 1)[0]
    if not m["precision_for"].startswith("every outcome"):
        check(":" not in asked and "@" not in asked and "--precision-for" not in asked,
              "precision: --precision-for %s told in its syntax: '%s'" % (m["precision_for"], asked))
        for item in filter(None, m["precision_for"].split(",")):
            if item == "interactions":
                check("every interaction of two levers" in asked,
                      "precision: the interactions not said: '%s'" % asked)
                continue
            arm, _, rest = item.rpartition(":")
            outcome, _, years = rest.partition("@")
            if arm:
                check("the effect of %s on " % lever(arm) in asked or
                      "how %s differs on " % lever(arm) in asked,
                      "precision: the arm %s of '%s' not said: '%s'" % (lever(arm), item, asked))
            if outcome:
                check("“%s”" % labels[("outcome", outcome)] in asked,
                      "precision: the outcome of '%s' not said: '%s'" % (item, asked))
            if years:
                check("by %s" % report_day(m, float(years)) in asked,
                      "precision: the date of '%s', %s, not said: '%s'" % (
                          item, report_day(m, float(years)), asked))
    g = re.fullmatch(r"(\S+) by (\d{4}-\d\d-\d\d)(?:, arm (.+)|, the interaction of (\S+) and (\S+))?",
                     m["precision_widest_at"])
    if check(g, "precision: precision_widest_at '%s' unread" % m["precision_widest_at"]):
        want = "“%s” by " % labels[("outcome", g.group(1))]
        check(want in it, "precision: the widest's outcome %s not said: '%s'" % (want, it))
        for a in (g.group(3), g.group(4), g.group(5)):
            if a:
                check(lever(a) in it, "precision: the widest's arm %s not said: '%s'" % (lever(a), it))
    return check.done()


def levers(d):
    """The lever lines alone (lever_lines), for a brief rendered without figures."""
    return one_part(d, "levers", lambda d, page, p, labels, check: lever_lines(d, page, labels, check))


# ---- the rank regression of an LHS or design sweep ------------------------------------------

def ranks(x):
    """Ranks 1..n, ties given their mean rank (R's rank())."""
    order = sorted(range(len(x)), key=lambda i: x[i])
    r = [0.0] * len(x)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and x[order[j + 1]] == x[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return r


def standardized(x):
    n = len(x)
    m = sum(x) / n
    sd = (sum((v - m) ** 2 for v in x) / (n - 1)) ** 0.5
    return [(v - m) / sd for v in x] if sd > 0 else None


def least_squares(cols, y):
    """Coefficients and residual sum of squares of y on the columns (all centred, so no intercept:
    the intercept of centred data is 0), by modified Gram-Schmidt; None when a column is (nearly)
    a combination of the others. Another road than R's pivoted Householder QR in lm.fit."""
    q, r = [], [[0.0] * len(cols) for _ in cols]
    for j, c in enumerate(cols):
        v = list(c)
        norm0 = sum(a * a for a in v) ** 0.5
        for i, qi in enumerate(q):
            r[i][j] = sum(a * b for a, b in zip(qi, v))
            v = [a - r[i][j] * b for a, b in zip(v, qi)]
        norm = sum(a * a for a in v) ** 0.5
        if norm <= 1e-7 * norm0:
            return None
        r[j][j] = norm
        q.append([a / norm for a in v])
    qty = [sum(a * b for a, b in zip(qi, y)) for qi in q]
    coef = [0.0] * len(cols)
    for j in reversed(range(len(cols))):
        coef[j] = (qty[j] - sum(r[j][k] * coef[k] for k in range(j + 1, len(cols)))) / r[j][j]
    fitted = [sum(coef[j] * cols[j][i] for j in range(len(cols))) for i in range(len(y))]
    return coef, sum((a - b) ** 2 for a, b in zip(y, fitted))


def sweep_ranking(d):
    """The rank regression of sweep.csv, from its definition (README, "sweep_ranking"): the
    design's columns are those between `point` and `quantity` that vary between points, a number
    as itself and a lever set as a 0/1 column per set but the first; each outcome's probability by
    the longest horizon, over the points, ranked and standardized, regressed on the ranked and
    standardized regressors. Returns n, the regressors, and per outcome (in the file's order)
    its coefficients, adjusted R^2 and its range over the points."""
    table = rows(d + "/sweep.csv")
    head = list(table[0].keys())
    design = head[head.index("point") + 1:head.index("quantity")]
    points = {}
    for r in table:
        points.setdefault(r["point"], r)
    ids = list(points)

    def number(v):
        try:
            return float(v)
        except ValueError:
            return None

    regressors, columns = [], []
    for c in design:
        values = [points[i][c] for i in ids]
        if len(set(values)) < 2:
            continue
        if all(number(v) is not None for v in values):
            regressors.append(c)
            columns.append([float(v) for v in values])
            continue
        sets = list(dict.fromkeys(values))
        for s in sets[1:]:
            regressors.append("%s=%s" % (c, s))
            columns.append([1.0 if v == s else 0.0 for v in values])
    series = [r for r in table if (r["quantity"], r["measure"]) in
              (("outcome", "occurred_by"), ("event", "cumulative_count"))]
    hmax = max(float(r["horizon_years"]) for r in series)
    y_of = {}
    for r in series:
        if r["quantity"] == "outcome" and float(r["horizon_years"]) == hmax:
            y_of.setdefault(r["name"], {})[r["point"]] = float(r["value"])
    # each outcome's range over the points, in the file's order, whatever the points' number
    spread = {name: (min(ys.values()), max(ys.values())) for name, ys in y_of.items()}
    out = {"n": len(ids), "regressors": regressors, "horizon": hmax, "outcomes": {},
           "spread": spread}
    if len(ids) <= len(regressors) + 1:
        return out
    rx = [standardized(ranks(c)) for c in columns]
    for name, ys in y_of.items():
        y = [ys[i] for i in ids]
        ry = standardized(ranks(y))
        fit = least_squares(rx, ry) if ry and all(rx) else None
        if fit is None:
            continue
        coef, ssr = fit
        n, p = len(y), len(regressors)
        r2 = 1 - ssr / sum(v * v for v in ry)
        adj = 1 - (1 - r2) * (n - 1) / (n - p - 1) if p < n - 1 else None
        out["outcomes"][name] = {"coef": dict(zip(regressors, coef)), "adj_r2": adj,
                                 "low": min(y), "high": max(y)}
    return out


def param_phrase(label):
    """A swept number's label with its range apart: "X (rate per year) (swept 0.07 to 0.46)"."""
    m = re.search(r": (-?[0-9.]+(e[-+]?[0-9]+)?) to (-?[0-9.]+(e[-+]?[0-9]+)?)$", label)
    return label[:m.start()] + " (swept %s to %s)" % (m.group(1), m.group(3)) if m else label


def two(x):
    """A coefficient as the brief writes it: two decimals, never "-0.00"."""
    s = "%.2f" % x
    return "0.00" if s == "-0.00" else s


def tornado_sentence(d, page, p, labels, check):
    """The brief of an OAT sweep names, by the sweep's longest horizon, the outcomes whose largest
    swing (tornado.csv) is largest, three at most, each once with that swing in whole points and
    the bound on its Monte Carlo error, 1.96 x swing_se_max, in points ("at most ±6.2"); a swing
    within that bound is not named (it may be simulation error alone, as the tornado greys it),
    and when no swing clears it the brief says so and to run more replications."""
    t = rows(d + "/tornado.csv")
    hmax = max(float(r["horizon_years"]) for r in t)
    t = [r for r in t if float(r["horizon_years"]) == hmax]
    clear = [r for r in t if float(r["swing"]) > 1.96 * float(r["swing_se_max"])]
    clear.sort(key=lambda r: -float(r["swing"]))
    want, seen, named = [], set(), []
    for r in clear:
        if r["outcome"] not in seen and len(want) < 3:
            seen.add(r["outcome"])
            named.append(r["outcome"])
            e = 100 * 1.96 * float(r["swing_se_max"])
            want.append((labels[("outcome", r["outcome"])], "%.0f" % (100 * float(r["swing"])),
                         "%.0f" % e if e >= 10 else "%.1f" % e))
    item = next((i for i in p.items if i.startswith("The judgments that matter most") or
                 i.startswith("No judgment moves")), "")
    got = re.findall(r"moves “([^”]+)” by ([0-9]+) points "
                     r"\(Monte Carlo error at most ±([0-9.]+)\)", item)
    check(got == want, "tornado: the brief says %s, tornado.csv %s" % (got, want))
    if not want:
        check(item.startswith("No judgment moves an outcome by more than its Monte Carlo error")
              and "more --runs" in item,
              "tornado: no swing clears its error, and the brief says '%s'" % item)
    else:
        check("is not named: it may be simulation error alone" in item,
              "tornado: the sentence does not say what it leaves out")
        # with figures drawn, the key figures are the tornados of the first two outcomes named,
        # in that order (they were the first outcome's of the table, whichever the sentence named)
        if os.path.exists(d + "/figures/index.csv"):
            key = re.search(KEY_FIGURES, page, re.S)
            shown = re.findall(r"figures/(\w+)\.png and \.pdf", key.group(1)) if key else []
            check(shown == ["tornado_" + o for o in named[:2]],
                  "tornado: the key figures are %s, the outcomes named first %s" % (shown,
                                                                                  named[:2]))


def tornado(d):
    return one_part(d, "tornado", tornado_sentence)


def sobol_sentence(d, page, p, labels, check):
    """The brief of a Sobol sweep names, by the sweep's longest horizon, the three numbers with the
    largest total index (sensitivity.csv), largest first, each once with the outcome it explains
    most, its estimate and its 95% interval to two decimals; with figures drawn, its key figures
    are the sensitivity charts of the first two outcomes it names, in that order (they were the
    table's first outcome's, whichever the sentence named)."""
    s = [r for r in rows(d + "/sensitivity.csv") if r["index"] == "total" and r["estimate"] != "NA"]
    hmax = max(float(r["horizon_years"]) for r in s)
    s = sorted((r for r in s if float(r["horizon_years"]) == hmax),
               key=lambda r: -float(r["estimate"]))
    named, seen = [], set()
    for r in s:
        if r["parameter"] not in seen and len(named) < 3:
            seen.add(r["parameter"])
            named.append(r)
    want = [(labels[("outcome", r["outcome"])], two(float(r["estimate"])), two(float(r["ci_low"])),
             two(float(r["ci_high"]))) for r in named]
    item = next((i for i in p.items if "Sobol total index" in i), "")
    got = re.findall(r"for “([^”]+)”, (-?[0-9.]+) \((-?[0-9.]+) to (-?[0-9.]+)\)", item)
    check(got == want, "sobol: the brief says %s, sensitivity.csv %s" % (got, want))
    if os.path.exists(d + "/figures/index.csv"):
        key = re.search(KEY_FIGURES, page, re.S)
        shown = re.findall(r"figures/(\S+?)\.png and \.pdf", key.group(1)) if key else []
        first_two = list(dict.fromkeys(r["outcome"] for r in named))[:2]
        ok = len(shown) == len(first_two) and all(
            f == "sensitivity_" + o or f.startswith("sensitivity_" + o + "_")
            for f, o in zip(shown, first_two))
        check(ok, "sobol: the key figures are %s, the outcomes named first %s" % (shown, first_two))


def sobol(d):
    return one_part(d, "sobol", sobol_sentence)


def ranking_sentences(d, page, p, labels, check):
    """The brief of an LHS or design sweep names, for the 3 outcomes whose probability ranges
    most widely over the points (that range said), the 3 numbers with the largest |SRRC| by the
    longest horizon, largest first, each with its coefficient and its 95% bootstrap interval
    (which holds the coefficient, and is said to reach 0 exactly when it does), and the outcome's
    adjusted R^2 (low below 0.7, and said so); the caution of more than one regressor per 10
    points when there are; and with too few points for the regression, that it has none."""
    rk = sweep_ranking(d)
    n, regs = rk["n"], rk["regressors"]
    k = len(regs)
    lead = next((i for i in p.items if "rank regression coefficient (SRRC)" in i), None)
    if n <= k + 1:
        check(lead is None and any("too few for a rank regression" in i for i in p.items),
              "ranking: %d points for %d regressors, yet the brief ranks them or does not say "
              "why not" % (n, k))
        # nor a figure (its scatters are left out of it: with fewer points than numbers, the
        # numbers most correlated with an outcome are largely chance), which it says, and what to
        # run instead: a sweep of at least k + 2 points (a brief of one sentence and its
        # provenance said neither)
        why = next((i for i in p.items if "too few for a rank regression" in i), "")
        check("<img" not in page and "No figure" in why and "--lhs %d" % (k + 2) in why,
              "ranking: %d points for %d regressors: the brief %s, or does not say plainly that it "
              "has none and to sweep at least %d points (--lhs %d): '%s'" % (
                  n, k, "embeds a figure" if "<img" in page else "has no figure", k + 2, k + 2, why))
        # what the points do show: the 3 outcomes whose probability ranges most widely over
        # them (the widest first, ties in the file's order), each with its range from sweep.csv
        varies = {o: r for o, r in rk["spread"].items() if r[1] > r[0]}
        want = sorted(varies, key=lambda o: -(varies[o][1] - varies[o][0]))[:3]
        lead = next((i for i in p.items if i.startswith("How far the outcomes move")), None)
        check((lead is not None) == bool(want), "spread: %d outcomes vary over the points, yet "
              "the brief %s how far" % (len(varies), "says" if lead else "does not say"))
        if lead is None:
            return
        m = len(varies)
        said = ("the one outcome whose probability" if m == 1 else
                "the %d outcomes whose probability" % m if m == len(want) else
                "the %d of the %d outcomes whose probability" % (len(want), m))
        check(said in lead and "over the sweep's %s points" % "{:,}".format(n) in lead,
              "spread: the lead does not say '%s' over %d points: '%s'" % (said, n, lead))
        given = {r["name"]: r["label"] for r in rows(d + "/labels.csv")
                 if r["kind"] == "outcome" and r.get("given") == "yes"}
        want_items = ["\u201c%s\u201d (%s%% over the points)" % (
            given.get(o, o[:1].upper() + o[1:].replace("_", " ")), pct_range(*varies[o]))
            for o in want]
        got = [i for i in p.items if i.startswith("\u201c") and i.endswith("% over the points)")]
        check(got == want_items, "spread: the brief lists %s, sweep.csv gives %s" % (
            got, want_items))
        return
    check(lead is not None, "ranking: no sentence on the rank regression (%d points, %d "
          "regressors)" % (n, k))
    if lead is None:
        return
    h = rk["horizon"]
    hz = ("%d year%s" % (h, "" if h == 1 else "s")) if h == int(h) else "%g years" % h
    check("over the sweep's %s points (by %s;" % ("{:,}".format(n), hz) in lead and
          "that the %d regressors explain" % k in lead,
          "ranking: the lead does not say %d points, %d regressors, by %s: '%s'" % (
              n, k, hz, lead))
    crowded = "Caution: %d regressors on %d points (more than one per 10 points)" % (k, n)
    check((crowded in lead) == (k > n / 10), "ranking: the caution of more than one regressor "
          "per 10 points is %s with %d on %d" % ("said" if crowded in lead else "not said", k, n))
    outcomes = rk["outcomes"]
    # the widest ranges first, ties in the file's order (sorted() is stable)
    want = sorted(outcomes, key=lambda o: -(outcomes[o]["high"] - outcomes[o]["low"]))[:3]
    m = len(outcomes)
    said = ("The one outcome that varies over the sweep:" if m == 1 else
            "The %d outcomes that vary over the sweep, the widest range first:" % m
            if m == len(want) else "The %d of the %d outcomes that vary over the sweep whose "
            "probability ranges most widely:" % (len(want), m))
    check(said in lead, "ranking: the lead does not say '%s'" % said)
    label_of = {r["parameter"]: param_phrase(r["label"]) for r in rows(d + "/parameters.csv")}
    item_re = re.compile(r"“([^”]+)” \((\S+)% over the points\): (.*)\. "
                         r"Adjusted R² (-?[0-9.]+)(, low: [^.]*)?\.$")
    part_re = re.compile(r"^(.*), (-?[0-9.]+)(?: \((-?[0-9.]+) to (-?[0-9.]+)"
                         r"(, not distinguishable from 0)?\))?$")
    items = [m for m in (item_re.match(i) for i in p.items) if m]
    got = [g.group(1) for g in items]
    # a label the scenario gives, else the name in words (labels.csv repeats the name then)
    given = {r["name"]: r["label"] for r in rows(d + "/labels.csv")
             if r["kind"] == "outcome" and r.get("given") == "yes"}
    want_labels = [given.get(o, o[:1].upper() + o[1:].replace("_", " ")) for o in want]
    check(got == want_labels, "ranking: the outcomes said are %s, the %d that vary most are %s" %
          (got, len(want), want_labels))
    no_interval = False
    for o, g in zip(want, items):
        r = outcomes[o]
        check(g.group(2) == pct_range(r["low"], r["high"]),
              "ranking: %s ranges %s%%, sweep.csv %s%%" % (g.group(1), g.group(2),
                                                         pct_range(r["low"], r["high"])))
        adj = r["adj_r2"]
        # exactly as printed, unless the two fits' rounding could tell a tie apart
        near_tie = abs((100 * adj) % 1 - 0.5) < 1e-6
        check(g.group(4) == two(adj) or near_tie, "ranking: %s: adjusted R² %s, the regression "
              "here gives %.4f" % (g.group(1), g.group(4), adj))
        check(bool(g.group(5)) == (adj < 0.7), "ranking: %s: adjusted R² %.3f %s called low" % (
            g.group(1), adj, "is not" if adj < 0.7 else "is"))
        coef = r["coef"]
        by_size = sorted(coef, key=lambda x: -abs(coef[x]))
        parts = [part_re.match(s) for s in g.group(3).split("; ")]
        check(all(parts) and len(parts) == min(3, k), "ranking: %s: not %d numbers 'LABEL, SRRC "
              "(LO to HI)': '%s'" % (g.group(1), min(3, k), g.group(3)))
        named = []
        for x in filter(None, parts):
            lab, est, lo, hi, reach = x.groups()
            # which regressor the label is: a number by its parameters.csv label, a lever set
            # by its value
            reg = next((rg for rg in regs if label_of.get(rg) == lab), None)
            if reg is None and lab.startswith("Lever set: "):
                # a lever set is named by its arm's label, not checked here: the set whose
                # SRRC is nearest the one said
                sets = [rg for rg in regs if "=" in rg and rg not in named]
                reg = min(sets, key=lambda rg: abs(coef[rg] - float(est)), default=None)
            check(reg is not None, "ranking: %s: '%s' is no swept number's label" % (
                g.group(1), lab))
            if reg is None:
                continue
            named.append(reg)
            c = coef[reg]
            check(abs(float(est) - c) <= 0.005 + 1e-9, "ranking: %s: %s has SRRC %s, the "
                  "regression here gives %.4f" % (g.group(1), lab, est, c))
            if lo is None:
                no_interval = True
                continue
            check(float(lo) - 0.005 <= c <= float(hi) + 0.005, "ranking: %s: %s's interval %s "
                  "to %s does not hold its SRRC %.4f" % (g.group(1), lab, lo, hi, c))
            reaches = float(lo) <= 0 <= float(hi)
            check(bool(reach) == reaches or (not reach and (float(lo) == 0 or float(hi) == 0)),
                  "ranking: %s: %s (%s to %s) %s said to reach 0" % (g.group(1), lab, lo, hi,
                                                                   "is" if reach else "is not"))
            check(reach or (c > 0) == (float(lo) >= 0),
                  "ranking: %s: %s's interval %s to %s is on the other side of 0 from %.4f" % (
                      g.group(1), lab, lo, hi, c))
        # in order of |SRRC|, and none left out larger than one named (a tie within rounding of
        # two fits aside)
        sizes = [abs(coef[x]) for x in named]
        rest = [abs(coef[x]) for x in by_size if x not in named]
        check(all(a >= b - 1e-9 for a, b in zip(sizes, sizes[1:])) and
              (not rest or not sizes or min(sizes) >= max(rest) - 1e-9),
              "ranking: %s names %s, the largest |SRRC| here are %s" % (
                  g.group(1), named, by_size[:3]))
    # no interval: said in the lead, and only where a resample of n points, drawn with
    # replacement, is expected to hold too few distinct points for the k regressors
    distinct = n * (1 - (1 - 1 / n) ** n)
    check(not no_interval or ("no resample of the %d points could be fitted" % n in lead and
                              distinct < k + 1 + 3 * (0.1 * n) ** 0.5),
          "ranking: a number without an interval, with %d points for %d regressors (a resample "
          "holds about %.0f distinct points)" % (n, k, distinct))


def ranking(d):
    """ranking_sentences alone, for the brief of an LHS or design sweep."""
    return one_part(d, "ranking", ranking_sentences)


if __name__ == "__main__":
    if sys.argv[1] == "png":
        w, h, share = png_stats(sys.argv[2])
        print(w, h, "%.4f" % share)
    elif sys.argv[1] == "numbers":
        sys.exit(0 if numbers(sys.argv[2]) else 1)
    elif sys.argv[1] == "first":
        sys.exit(0 if first(sys.argv[2]) else 1)
    elif sys.argv[1] == "start":
        sys.exit(0 if start(sys.argv[2]) else 1)
    elif sys.argv[1] == "levers":
        sys.exit(0 if levers(sys.argv[2]) else 1)
    elif sys.argv[1] == "tornado":
        sys.exit(0 if tornado(sys.argv[2]) else 1)
    elif sys.argv[1] == "sobol":
        sys.exit(0 if sobol(sys.argv[2]) else 1)
    elif sys.argv[1] == "scenarios":
        sys.exit(0 if scenario_words(sys.argv[2]) else 1)
    elif sys.argv[1] == "story":
        sys.exit(0 if story(sys.argv[2]) else 1)
    elif sys.argv[1] == "precision":
        sys.exit(0 if precision(sys.argv[2]) else 1)
    elif sys.argv[1] == "ranking":
        sys.exit(0 if ranking(sys.argv[2]) else 1)
