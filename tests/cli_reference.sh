#!/usr/bin/env bash
# tests/cli_reference.sh: neasim against an independent simulator on random models
# (tests/reference_sim.py: sixteen small models drawn with fixed seeds that use the format's
# constructs together, each run by `neasim compare` with every lever and, in half of them, two arms
# of levers combined (or `run`), 40,000 replications, and by a direct-method simulator written from
# scenarios/README.md on Python's own generator, 8,000 an arm; every level's probability, every
# outcome's `holds`, `occurred_by` and `holds_at_start`, every counted event's mean count, share
# with at least one and quantiles in every window of event_counts.csv and its count distribution, of every arm at
# every report date, the first occurrences, the routes (their shares and median times) and signposts
# of `run --routes --signposts`, the judgment spread of `run --outer`, each arm's mean, each lever's
# mean difference and its judgment variance of `compare --outer` and the points of `sweep --design`,
# within 4.5 standard errors of the difference), and the paired intervals of differences.csv and
# interactions.csv against their figures' spread over 30 seeds. Then the same reference with one
# documented rule broken at a time must be told apart from neasim, so that the comparison is seen to
# fail when a rule is wrong, and so must a standard error as if the arms ran apart or 0.8 times its
# size. About five minutes on 2 cores (two more under load). Skipped (exit 77) without python3. Run
# as `bash tests/cli_reference.sh BUILD_DIR` from the project root.
source "$(dirname "$0")/cli-lib.sh"
command -v python3 >/dev/null || skip_suite "python3 not found (make deps)"

check_that "random models: neasim and the independent simulator agree, and each broken rule is caught" \
    python3 tests/reference_sim.py "$NEASIM" "$work"

cli_done cli_reference
