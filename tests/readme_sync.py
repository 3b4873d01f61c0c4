#!/usr/bin/env python3
"""tests/readme_sync.py: read README.md's contract with the program (the columns of each output
CSV, and the options of each command) so that tests/cli_readme_sync.sh can hold real runs and
`neasim COMMAND --help` against it. Python 3 standard library only.

What it reads, in README.md:
- columns: a `| column | meaning |` table under a heading that is `X.csv` alone, or after a
  paragraph that begins with `X.csv`; a paragraph `X.csv`: `a, b`, `c` (...) ... that lists them first;
  and the rows of a `| file | columns |` table. Column names are code spans, several to a span
  when separated by commas; a parenthesized remark that begins "only with C" makes the columns
  of the span before it (or of a table row) appear only under condition C; the words "one
  column per parameter" stand for the swept parameters' columns. A sentence saying "with a
  leading `arm` column" gives that column to the files it names, in a comparison's folder.
- options: in the section "Command-line reference", every `neasim COMMAND ...` line of a code
  block (COMMAND may be `run|compare`, or the word COMMAND for all), every code span that
  begins with a command (`run --paths K`), and the tables whose first header cell is
  "`COMMAND` option".

Usage:
  readme_sync.py parse README                     the README reads cleanly: every column list
      names its columns (no '...'), no file twice, only conditions this script knows
  readme_sync.py headers README DIR [--compare] [--with COND]... [--params P1,P2,...] [--seen FILE]
      check the header line of every *.csv in DIR against README; list the files in FILE
  readme_sync.py header README NAME HEADER_FILE   one file by name (trace --csv's table)
  readme_sync.py coverage README SEEN_FILE        every CSV the README documents was written
  readme_sync.py options README NEASIM            the options against `NEASIM COMMAND --help` and
      the option parser: every option --help lists is in the README; every option the README
      gives is listed and accepted; a short form the README gives is --help's; no command
      accepts an option its --help does not list
  readme_sync.py list-options README              print "COMMAND OPTION SHORT LINE" as read
Failures are printed as `FAIL README.md:LINE: ...` (or `FAIL DIR/FILE: ...`); exit 1 on any.
"""
import os
import re
import subprocess
import sys
import tempfile

COMMANDS = ("run", "compare", "sweep", "merge", "check", "trace", "score", "discover")
# the conditions of "only with C" that the suite knows how to meet; a new one must be added here
# (and to the runs of tests/cli_readme_sync.sh) before the README may use it
KNOWN_CONDITIONS = ("--outer", "lever sets in the design")
PLACEHOLDER = "one column per parameter"


def code_spans_split(names):
    return [n.strip() for n in names.split(",") if n.strip()]


def parse_list(text, where, errors):
    """The columns a list names: [(name or None for the placeholder, condition or None)].
    Code spans at the outer level name columns; a parenthesized remark right after one that
    begins 'only with' sets their condition; the list ends at other words or at : ; ."""
    cols, i, last = [], 0, []
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "`":
            j = text.find("`", i + 1)
            if j < 0:
                break
            span = text[i + 1:j]
            last = [[c, None] for c in code_spans_split(span)]
            if any(c in ("...", "…") for c, _ in last):
                errors.append(f"{where}: a list of columns with '...' in it: write every column")
            cols.extend(last)
            i = j + 1
        elif ch == "(":
            depth, j = 1, i + 1
            while j < n and depth:
                if text[j] == "`":
                    k = text.find("`", j + 1)
                    j = k + 1 if k >= 0 else n
                    continue
                depth += {"(": 1, ")": -1}.get(text[j], 0)
                j += 1
            remark = text[i + 1:j - 1].strip()
            m = re.match(r"only with\s+(.*)", remark, re.I | re.S)
            if m:
                cond = re.split(r"[);:,.]", m.group(1))[0].replace("`", "").strip()
                for c in last:
                    c[1] = cond
            i = j
        elif text.startswith(PLACEHOLDER, i):
            last = [[None, None]]
            cols.extend(last)
            i += len(PLACEHOLDER)
        elif ch in " \t\n,":
            i += 1
        elif text.startswith("and ", i):
            i += 4
        else:
            break  # other words, or the ':' ';' '.' that end the list
    return [tuple(c) for c in cols]


def table_cells(line):
    cells = line.strip().strip("|").split("|")
    return [c.strip() for c in cells]


class Readme:
    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)
        with open(path, encoding="utf-8") as f:
            self.lines = f.read().split("\n")
        self.errors = []
        self.columns = {}      # file -> (line, [(name, cond)])
        self.arm_leading = set()
        self.options = []      # (command, option, short or '', line)
        self._read()

    def where(self, k):
        return f"{self.name}:{k + 1}"

    def _document(self, name, k, cols):
        if name in self.columns:
            self.errors.append(f"{self.where(k)}: {name}'s columns are documented twice "
                               f"(also at line {self.columns[name][0]})")
            return
        if not cols:
            self.errors.append(f"{self.where(k)}: {name}: no column found")
        self.columns[name] = (k + 1, cols)

    def _read(self):
        lines, current, fence, section = self.lines, None, False, None
        k = 0
        while k < len(lines):
            line = lines[k]
            if line.startswith("```"):
                fence = not fence
                k += 1
                continue
            if fence:
                if section == "cli":
                    self._usage_line(line, k)
                k += 1
                continue
            if line.startswith("#"):
                m = re.match(r"#+\s+`([\w.-]+\.csv)`\s*$", line)
                current = m.group(1) if m else None
                if line.startswith("## "):
                    section = "cli" if line.startswith("## Command-line reference") else None
                k += 1
                continue
            if line.startswith("|"):
                end = k
                while end < len(lines) and lines[end].startswith("|"):
                    end += 1
                self._table(lines[k:end], k, current)
                k = end
                continue
            if line.strip():
                end = k
                while end < len(lines) and lines[end].strip() and not lines[end].startswith(("|", "#", "```")):
                    end += 1
                para = "\n".join(lines[k:end])
                current = self._paragraph(para, k, current, section)
                k = end
                continue
            k += 1

    def _paragraph(self, para, k, current, section):
        for sentence in re.split(r"(?<=[.;])\s", para):
            if "with a leading `arm` column" in sentence:
                self.arm_leading.update(re.findall(r"`([\w.-]+\.csv)`", sentence))
        if section == "cli":
            for span in re.findall(r"`([^`]+)`", para):
                self._usage_line(span, k, inline=True)
        m = re.match(r"`([\w.-]+\.csv)`(:?)\s*", para)
        if m:
            current = m.group(1)
            if m.group(2) and para[m.end():].startswith("`"):
                self._document(current, k, parse_list(para[m.end():], self.where(k), self.errors))
        m = re.search(r"as `(\w+(?:,\w+)+)` rows", para)
        if m and current and current not in self.columns:
            self._document(current, k, [(c, None) for c in m.group(1).split(",")])
        return current

    def _table(self, rows, k, current):
        head = table_cells(rows[0])
        body = [(k + 2 + j, table_cells(r)) for j, r in enumerate(rows[2:])]
        if head[0] == "column" and current:
            cols = []
            for ln, cells in body:
                names = code_spans_split(",".join(re.findall(r"`([^`]+)`", cells[0])))
                if "..." in cells[0] or "…" in cells[0]:
                    self.errors.append(f"{self.where(ln - 1)}: '...' in a column cell: write every column")
                m = re.match(r"\(?only with\s+(.*)", cells[1] if len(cells) > 1 else "", re.I)
                cond = re.split(r"[);:,.]", m.group(1))[0].replace("`", "").strip() if m else None
                cols.extend((c, cond) for c in names)
            self._document(current, k, cols)
        elif head[:2] == ["file", "columns"]:
            for ln, cells in body:
                m = re.fullmatch(r"`([\w.-]+\.csv)`", cells[0])
                if m:
                    self._document(m.group(1), ln - 1,
                                   parse_list(cells[1], self.where(ln - 1), self.errors))
        else:
            m = re.fullmatch(r"`(\w+)` option", head[0])
            if m:
                for ln, cells in body:
                    self._options(m.group(1), cells[0], ln - 1)

    def _options(self, cmd, text, k):
        if cmd not in COMMANDS:
            self.errors.append(f"{self.where(k)}: '{cmd}' is not a command")
            return
        for span in re.findall(r"`([^`]+)`", text):
            m = re.match(r"(-\w), (--[a-z][\w-]*)", span)
            if m:
                self.options.append((cmd, m.group(2), m.group(1), k + 1))
            for opt in re.findall(r"(?<![\w-])--[a-z][\w-]*", span):
                if not m or opt != m.group(2):
                    self.options.append((cmd, opt, "", k + 1))

    def _usage_line(self, text, k, inline=False):
        """`neasim run|compare SCENARIO ... --opt`, `mpirun ... build/neasim-mpi run ...`, and in
        code spans `run --paths K`: the options after the command are the command's."""
        for part in re.split(r";|&&|\s&\s", text):
            pat = r"^\s*(?:neasim\s+)?([a-z]+(?:\|[a-z]+)*)\s" if inline else \
                  r"(?:^|[\s/$])neasim(?:-mpi)?\s+([A-Za-z|]+|--\S+)"
            m = re.search(pat, part)
            if not m:
                continue
            word = m.group(1)
            if word.startswith("--") or word == "COMMAND":
                cmds = COMMANDS
            else:
                cmds = [c for c in word.split("|") if c in COMMANDS]
                if not cmds or len(cmds) != len(word.split("|")):
                    continue
            rest = part[m.start(1):]
            for opt in re.findall(r"(?<![\w-])--[a-z][\w-]*", rest):
                for c in cmds:
                    self.options.append((c, opt, "", k + 1))


def expected_header(readme, name, compare, conds, params):
    line, cols = readme.columns[name]
    out = ["arm"] if compare and name in readme.arm_leading else []
    for col, cond in cols:
        if cond is not None and cond not in conds:
            continue
        if col is None:
            out.extend(params)
        else:
            out.append(col)
    return line, out


def first_header(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        head = f.readline().rstrip("\r\n")
    return head.split(",") if head else []


def describe_difference(doc, got):
    for j in range(max(len(doc), len(got))):
        a = doc[j] if j < len(doc) else "(nothing)"
        b = got[j] if j < len(got) else "(nothing)"
        if a != b:
            extra = [c for c in got if c not in doc]
            missing = [c for c in doc if c not in got]
            text = f"first difference at column {j + 1}: README '{a}', file '{b}'"
            if missing:
                text += f"; not in the file: {', '.join(missing)}"
            if extra:
                text += f"; not in the README: {', '.join(extra)}"
            return text
    return ""


def check_header(readme, name, got, compare, conds, params, label, failures):
    if name not in readme.columns:
        failures.append(f"{label}: the program writes {name}, which {readme.name} does not "
                        f"document (under \"Output files\": a `| column | meaning |` table or "
                        f"a list of its columns)")
        return
    line, doc = expected_header(readme, name, compare, conds, params)
    if doc != got:
        failures.append(f"{readme.name}:{line}: {name} ({label}) has the columns "
                        f"{','.join(got)}; the README documents {','.join(doc)}: "
                        f"{describe_difference(doc, got)}")


def help_options(text):
    """{long option: short or ''} of the option lines of a --help (indented at most 6 columns;
    deeper lines continue a description), and the set of those that take a value (a word in
    capitals after the name: `--runs N`)."""
    opts, valued = {}, set()
    for line in text.split("\n"):
        m = re.match(r"^ {1,6}(-\S.*?)(?:\s{2,}|$)", line)
        if not m:
            continue
        short = ""
        for opt, value in re.findall(r"(?:^|,\s*)(-{1,2}[A-Za-z][\w-]*)( [A-Z])?", m.group(1)):
            if opt.startswith("--"):
                opts[opt] = short
                if value:
                    valued.add(opt)
            else:
                short = opt
    return opts, valued


def accepts(neasim, cmd, opt, value, scratch):
    """Whether `neasim CMD OPT [1]` gets past the option parser, with no scenario (results,
    sweep) folder, so nothing runs. An option that takes a value gets one, "1", because getopt
    reports a missing value before the command refuses an option it does not take. Refused
    options are "unknown option '--x'" (check: "not '--x'")."""
    r = subprocess.run([neasim, cmd, opt] + (["1"] if value else []), cwd=scratch, capture_output=True, text=True,
                       timeout=30, stdin=subprocess.DEVNULL)
    out = r.stdout + r.stderr
    return not (f"unknown option '{opt}'" in out or f"not '{opt}'" in out)


def check_options(readme, neasim):
    bad = []
    doc = {c: {} for c in COMMANDS}
    for cmd, opt, short, line in readme.options:
        doc[cmd].setdefault(opt, [short, line])
        if short:
            doc[cmd][opt][0] = short
    helps, valued = {}, set()
    top = subprocess.run([neasim, "--help"], capture_output=True, text=True, timeout=30).stdout
    listed = re.findall(r"^  ([a-z]+) ", top.split("Commands:")[-1].split("Options:")[0], re.M)
    if sorted(listed) != sorted(COMMANDS):
        bad.append(f"neasim --help lists the commands {', '.join(listed)}; tests/readme_sync.py "
                   f"checks {', '.join(COMMANDS)}: add the new one to COMMANDS")
    for cmd in COMMANDS:
        r = subprocess.run([neasim, cmd, "--help"], capture_output=True, text=True, timeout=30)
        helps[cmd], v = help_options(r.stdout)
        valued |= v
        if r.returncode != 0 or not helps[cmd]:
            bad.append(f"neasim {cmd} --help: exit {r.returncode}, {len(helps[cmd])} options read")
    every = sorted(set().union(*(set(h) for h in helps.values()), *(set(d) for d in doc.values())))
    with tempfile.TemporaryDirectory() as scratch:
        for cmd in COMMANDS:
            hp, dc = helps[cmd], doc[cmd]
            for opt in sorted(hp):
                if opt not in dc:
                    bad.append(f"{readme.name}: `neasim {cmd} --help` lists {opt}, which the README's "
                               f"Command-line reference does not give for {cmd} (its usage "
                               f"lines or the table headed '`{cmd}` option')")
            for opt, (short, line) in sorted(dc.items()):
                if opt not in hp:
                    bad.append(f"{readme.name}:{line}: {cmd} {opt}: `neasim {cmd} --help` does not list it")
                elif short and hp[opt] != short:
                    bad.append(f"{readme.name}:{line}: {cmd} {short}, {opt}: the short form in "
                               f"`neasim {cmd} --help` is '{hp[opt] or 'none'}'")
            for opt in every:
                # an exact name that is a prefix of one of the command's own options is taken
                # as that option (getopt_long's abbreviations): not a hidden option
                if opt not in hp and any(o.startswith(opt) for o in hp):
                    continue
                ok = accepts(neasim, cmd, opt, opt in valued, scratch)
                if ok and opt not in hp:
                    bad.append(f"neasim {cmd} accepts {opt}, which its --help does not list"
                               + ("" if opt in dc else " and the README does not give"))
                elif not ok and (opt in hp or opt in dc):
                    where = f"{readme.name}:{dc[opt][1]}" if opt in dc else f"neasim {cmd} --help"
                    bad.append(f"{where}: {cmd} {opt} is documented, but `neasim {cmd} {opt}` "
                               f"says unknown option")
    n = sum(len(d) for d in doc.values())
    print(f"options: {n} documented (command, option) pairs, "
          f"{sum(len(h) for h in helps.values())} in the --help texts, {len(every)} names probed "
          f"on each of {len(COMMANDS)} commands")
    return bad


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    mode = argv[1]
    readme = Readme(argv[2])
    failures = []
    if mode == "parse":
        failures = [f"FAIL {e}" for e in readme.errors]
        for name, (line, cols) in readme.columns.items():
            for col, cond in cols:
                if cond is not None and cond not in KNOWN_CONDITIONS:
                    failures.append(f"FAIL {readme.name}:{line}: {name}: the condition 'only with "
                                    f"{cond}' is not one tests/readme_sync.py knows "
                                    f"({'; '.join(KNOWN_CONDITIONS)})")
        print(f"{readme.name}: {len(readme.columns)} CSV files documented, "
              f"{len(readme.options)} mentions of options read")
    elif mode == "list-options":
        for cmd, opt, short, line in readme.options:
            print(cmd, opt, short or "-", line)
    elif mode == "options":
        failures.extend("FAIL " + b for b in check_options(readme, argv[3]))
    elif mode == "headers":
        folder, args = argv[3], argv[4:]
        compare, conds, params, seen = False, set(), [], None
        while args:
            a = args.pop(0)
            if a == "--compare":
                compare = True
            elif a == "--with":
                conds.add(args.pop(0))
            elif a == "--params":
                params = args.pop(0).split(",")
            elif a == "--seen":
                seen = args.pop(0)
        names = sorted(f for f in os.listdir(folder) if f.endswith(".csv"))
        if not names:
            failures.append(f"FAIL {folder}: no CSV file written")
        bad = []
        for name in names:
            check_header(readme, name, first_header(os.path.join(folder, name)), compare, conds,
                         params, f"{os.path.basename(folder)}/{name}", bad)
        failures.extend("FAIL " + b for b in bad)
        if seen:
            with open(seen, "a", encoding="utf-8") as f:
                f.writelines(n + "\n" for n in names)
    elif mode == "header":
        bad = []
        check_header(readme, argv[3], first_header(argv[4]), False, set(), [], argv[3], bad)
        failures.extend("FAIL " + b for b in bad)
    elif mode == "coverage":
        with open(argv[3], encoding="utf-8") as f:
            seen = {line.strip() for line in f}
        for name, (line, _) in sorted(readme.columns.items(), key=lambda x: x[1][0]):
            if name not in seen:
                failures.append(f"FAIL {readme.name}:{line}: {name} is documented, but none of the "
                                f"suite's runs wrote it (a stale section, or a run missing from "
                                f"tests/cli_readme_sync.sh)")
        print(f"{len(readme.columns)} CSV files documented, {len(seen & set(readme.columns))} written")
    else:
        print(__doc__, file=sys.stderr)
        return 2
    for f in failures:
        print(f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
