#!/usr/bin/env bash
# Calibration and validation as a test suite (run by tests/run-tests.sh): the scenario numbers
# against scenarios/data/, and a small run of scenarios/calibration-2012 against the record.
# Usage: tests/validate.sh BUILD_DIR   (from the project root). About three minutes on two cores,
# most of it the check of the README tables (scripts/readme_tables.R --check).
set -u
build=${1:-build}
source "$(dirname "$0")/skip-lib.sh"
command -v Rscript >/dev/null || skip_suite "Rscript not found (make deps installs R)"
RUNS=${RUNS:-20000} SEED=${SEED:-20120101} bash scripts/validate.sh "$build"
