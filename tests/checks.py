"""tests/checks.py: the tally of checks that tests/brief_check.py and tests/brief_pdf_check.py
keep, in one place: each check is a condition and what it means when it fails; a failure prints
"FAIL what", and done() prints the last line, "NAME: N checked, M failed", which the shell suites
read."""


class Checks:
    """check = Checks("pdf"); check(ok, "what failed"); ...; return check.done()"""

    def __init__(self, name):
        self.name, self.checked, self.failed = name, 0, 0

    def __call__(self, ok, what):
        self.checked += 1
        if not ok:
            self.failed += 1
            print("FAIL " + what)
        return ok

    def done(self):
        """Print the tally; True when no check failed."""
        print("%s: %d checked, %d failed" % (self.name, self.checked, self.failed))
        return self.failed == 0
