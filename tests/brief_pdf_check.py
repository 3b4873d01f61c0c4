#!/usr/bin/env python3
"""tests/brief_pdf_check.py DIR: what a reader of DIR/brief.pdf sees, against DIR/brief.html
and DIR/outcomes.csv (tests/cli_brief_pdf.sh runs it; poppler's pdfinfo, pdftotext and pdfimages
read the PDF). Prints a line "FAIL ..." for each failed check and a last line "pdf: N checked, N
failed".

  - a PDF of A4 pages, as many as a brief takes (2 to 60);
  - every block of text of the page (heading, paragraph, list item, summary line, table row,
    caption, footer) is in the PDF whole and in the page's order, folded ones (inside <details>)
    counted apart: a closed <details> prints its summary line alone, and a table that runs past
    the right edge is cut off there (Chromium draws no text outside the page, below);
  - each table's header is printed on every page that holds rows of it, right above them;
  - the outcomes table's row of every outcome, with its probability and 95% interval at the last
    horizon as outcomes.csv has them;
  - every figure (<img>) once, whole: a figure split across two pages is drawn on each (listed
    twice by pdfimages), and inside the page's width;
  - no sentence asks the reader to open a fold (paper prints them open), unless it says it speaks
    of the screen;
  - the command of manifest.csv in the provenance table, each of its words of up to 40 characters
    on one line (a word wrapped at its hyphen, "-" then "-routes", copied from the paper as "- -routes");
  - no word's box under 8 pt high (a 7 pt font; the smallest the print rules set, a table's
    interval, is 7.8 pt and its box 9.1 pt high): Chromium shrinks a page too wide for the paper
    to fit it (to 81% when one table's cells were kept on one line), and cuts off only what
    shrinking cannot bring in.

Text is compared with all white space removed: lines break differently on paper.
"""
import csv
import html.parser
import os
import re
import subprocess
import sys

from checks import Checks

A4 = (595.28, 841.89)  # points (210 x 297 mm); Chromium writes 594.96 x 841.92
BLOCKS = {"h1", "h2", "h3", "p", "li", "summary", "figcaption", "tr", "footer"}
MIN_PT = 8.0  # points: the height of a word's box, about 1.15 times its font's size


def squeeze(s):
    return "".join(s.split())


class Blocks(html.parser.HTMLParser):
    """The page's blocks of text in the order they begin: [text, folded, table, is_header]. A
    block's text leaves out the blocks inside it (a list inside a list item is its own items; a
    figure's caption, then its note)."""

    def __init__(self):
        super().__init__()
        self.blocks, self.open, self.details, self.tables, self.imgs = [], [], 0, [], 0
        self.in_body = False
        self.thead = False
        self.n_tables = 0

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self.in_body = True
        elif tag == "details":
            self.details += 1
        elif tag == "table":
            self.n_tables += 1
            self.tables.append(self.n_tables)
        elif tag == "thead":
            self.thead = True
        elif tag == "img":
            self.imgs += 1
        if tag in BLOCKS and self.in_body:
            # its place among the blocks is taken as it begins: one inside it ends first
            self.blocks.append(None)
            self.open.append([tag, "", self.details > 0, self.tables[-1] if self.tables else None,
                              tag == "tr" and self.thead, len(self.blocks) - 1])

    def handle_endtag(self, tag):
        if tag == "details":
            self.details -= 1
        elif tag == "table" and self.tables:
            self.tables.pop()
        elif tag == "thead":
            self.thead = False
        if tag in BLOCKS and self.open and self.open[-1][0] == tag:
            _, text, folded, table, header, at = self.open.pop()
            if squeeze(text):
                self.blocks[at] = [squeeze(text), folded, table, header]

    def close(self):
        super().close()
        self.blocks = [b for b in self.blocks if b is not None]  # empty, or never ended

    def handle_data(self, data):
        if self.open:
            self.open[-1][1] += data


def run(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def main(d):
    check = Checks("pdf")

    pdf = d + "/brief.pdf"
    page = Blocks()
    page.feed(open(d + "/brief.html", encoding="utf-8").read())
    page.close()

    # pages: how many, and each one's size
    info = run("pdfinfo", pdf)
    n = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    check(2 <= n <= 60, "brief.pdf has %d pages (expected 2 to 60)" % n)
    sizes = re.findall(r"^Page\s+\d+ size:\s+([0-9.]+) x ([0-9.]+) pts",
                       run("pdfinfo", "-f", "1", "-l", str(n), pdf), re.M)
    odd = [s for s in sizes if abs(float(s[0]) - A4[0]) > 1 or abs(float(s[1]) - A4[1]) > 1]
    check(len(sizes) == n and not odd,
          "pages not A4 (%.0f x %.0f pt): %s of %d" % (A4 + (odd[:3], n)))
    width = float(sizes[0][0]) if sizes else A4[0]

    # the text, page by page (form feeds), in the order it is drawn (-raw), each page's number
    # ("3 / 21", the @page margin box) left out
    raw = run("pdftotext", "-raw", "-enc", "UTF-8", pdf, "-").split("\f")
    number = re.compile(r"\s*\d+ / \d+\s*")
    pages = [squeeze("\n".join(l for l in p.splitlines() if not number.fullmatch(l))) for p in raw]
    starts, text = [], ""
    for p in pages:
        starts.append(len(text))
        text += p

    def page_of(pos):
        return max(i for i, s in enumerate(starts) if s <= pos)

    # nothing on paper asks the reader to open a fold, which paper prints open ("Open an arm to
    # see its table", the levers' note, read odd there), unless it says that it speaks of the
    # screen
    words = " ".join(" ".join(p.split()) for p in raw)
    ask = re.compile(r"[^.;]*\b(?:open|click|expand) (?:an?|the|each|its|it)\b[^.;]*", re.I)
    asks = [m.group(0) for m in ask.finditer(words) if "on screen" not in m.group(0)]
    check(not asks, "brief.pdf asks its reader to open what paper prints open: %s" % asks[:3])

    # every block whole, in order: each found after the one before
    cursor = 0
    where = []        # each block's offset in text, or None
    missing = {True: [], False: []}
    late = []
    for b in page.blocks:
        at = text.find(b[0], cursor)
        if at < 0:
            at = text.find(b[0])
            if at < 0:
                missing[b[1]].append(b[0])
            else:
                late.append(b[0])
        else:
            cursor = at + len(b[0])
        where.append(at if at >= 0 else None)
    for folded, name in ((True, "folded (inside <details>)"), (False, "open")):
        total = sum(1 for b in page.blocks if b[1] == folded)
        check(total > 0 and not missing[folded], "%d of the brief's %d %s blocks of text are not in the PDF, "
              "e.g. %s" % (len(missing[folded]), total, name, [m[:80] for m in missing[folded][:3]]))
    check(not late, "%d blocks of text are in the PDF out of the page's order, e.g. %s" %
          (len(late), [m[:80] for m in late[:3]]))

    # each table's header right above its rows on every page that has some
    tables = {}
    for b, at in zip(page.blocks, where):
        if b[2] is not None:
            tables.setdefault(b[2], []).append((b, at))
    bad = []
    for t, rows in tables.items():
        head = [b[0] for b, _ in rows if b[3]]
        if not head:
            continue
        first = {}
        for b, at in rows:
            if not b[3] and at is not None:
                first.setdefault(page_of(at), at)
        for p, at in sorted(first.items()):
            if not text[starts[p]:at].endswith(head[0]):
                bad.append("table %d on page %d (%s...)" % (t, p + 1, head[0][:40]))
    check(tables and not bad,
          "a table's rows on a page without its header right above them: %s" % bad[:3])

    # the outcomes table's headline numbers at the last horizon, from outcomes.csv (a sweep's
    # folder has none, nor the table)
    with open(d + "/labels.csv", newline="", encoding="utf-8") as f:
        labels = {(r["kind"], r["name"]): r["label"] for r in csv.DictReader(f)}
    last = {}
    if os.path.exists(d + "/outcomes.csv"):
        with open(d + "/outcomes.csv", newline="", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                if r.get("arm", "baseline") == "baseline" and r["measure"] == "occurred_by":
                    last[r["outcome"]] = r  # rows in date order: the last is the horizon's end
        check(len(last) > 0, "outcomes.csv has no occurred_by rows of the baseline")
    else:
        print("pdf: no outcomes.csv (a sweep?): no outcomes table to check")
    rows = [b[0] for b in page.blocks if b[2] is not None and not b[3]]
    for o, r in last.items():
        want = squeeze("%.1f%% %.1f–%.1f" % (100 * float(r["probability"]), 100 * float(r["ci_low"]),
                                            100 * float(r["ci_high"])))
        label = squeeze(labels.get(("outcome", o), o))
        row = [x for x in rows if x.startswith(label) and want in x]
        check(row and row[0] in text, "outcomes table: %s's row with %s (outcomes.csv, %s) is %s" % (
            labels.get(("outcome", o), o), want, r["date"], "not in the PDF" if row else "not in brief.html"))

    # every figure once, inside the page
    lines = run("pdfimages", "-list", pdf).splitlines()[2:]
    imgs = [l.split() for l in lines if l.split() and l.split()[2] == "image"]
    ids = [i[10] for i in imgs]
    check(len(imgs) == page.imgs,
          "brief.pdf holds %d images, brief.html %d figures" % (len(imgs), page.imgs))
    check(len(set(ids)) == len(ids), "a figure is drawn in pieces (on more than one page): "
          "objects %s" % sorted(i for i in set(ids) if ids.count(i) > 1))
    wide = [i for i in imgs if 72 * int(i[3]) / float(i[12]) > width]
    check(not wide, "figures wider than the page (%.0f pt): %s" % (width, [i[:2] for i in wide]))

    # the command's words whole: the provenance's row "command ..." up to the next key's, as drawn,
    # each line's words apart
    if os.path.exists(d + "/manifest.csv"):
        with open(d + "/manifest.csv", newline="", encoding="utf-8") as f:
            command = {r["key"]: r["value"] for r in csv.DictReader(f)}.get("command", "")
        drawn = run("pdftotext", "-raw", "-enc", "UTF-8", pdf, "-")
        row = re.search(r"^command (.*?)^start date ", drawn, re.S | re.M)
        words = set(row.group(1).split()) if row else set()
        broken = [w for w in command.split() if len(w) <= 40 and w not in words]
        check(command and not broken, "the provenance's command is printed with words broken across "
              "lines: %s" % broken[:5])

    # no text shrunk
    small = []
    word = re.compile(r'<word xMin="[0-9.]+" yMin="([0-9.]+)" xMax="[0-9.]+" yMax="([0-9.]+)">([^<]*)')
    for m in word.finditer(run("pdftotext", "-bbox", pdf, "-")):
        if float(m.group(2)) - float(m.group(1)) < MIN_PT:
            small.append(m.group(3))
    check(not small, "%d words under %g pt high (the page shrunk to fit its width?), e.g. %s" % (
        len(small), MIN_PT, small[:5]))

    print("pdf: %d pages, %d blocks of text (%d folded), %d tables, %d figures" % (
        n, len(page.blocks), sum(1 for b in page.blocks if b[1]), len(tables), page.imgs))
    return check.done()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: tests/brief_pdf_check.py RESULTS_DIR")
    sys.exit(0 if main(sys.argv[1]) else 1)
