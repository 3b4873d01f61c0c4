#!/usr/bin/env Rscript
# validate.R: compare a run of scenarios/calibration-2012 (the baseline model over 2012-2021)
# with the historical record in scenarios/data/.
#
# Usage: Rscript scripts/validate.R RESULTS_DIR [DATA_DIR]
#   RESULTS_DIR holds neasim's outputs for scenarios/calibration-2012 (yearly reports).
#
# The figures and their 95% intervals on the historical sample are computed by
# validation_table() in scripts/validate_lib.R (which says how), the same function that fills
# the validation table of scenarios/baseline/README.md (scripts/readme_tables.R). A "gated"
# figure fails when the simulated value lies outside the interval; an "info" figure is shown but
# does not gate (its scenario number is a declared judgment that departs from the record).
# Prints one line per figure and exits with status 1 if any gated figure fails.
# The last line is "validate: N passed, N failed".

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 1) stop("usage: validate.R RESULTS_DIR [DATA_DIR]")
res <- args[1]
data_dir <- if (length(args) >= 2) args[2] else "scenarios/data"
self <- sub("^--file=", "", grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)[1])
source(file.path(dirname(self), "validate_lib.R"))

tab <- validation_table(res, data_dir)
cat(sprintf("validate: %s runs of scenarios/calibration-2012 (2012-01-01 to 2022-01-01) against %s/\n\n",
            format(attr(tab, "runs"), big.mark = ","), data_dir))
cat(sprintf("%-6s %-50s %10s %10s %21s  %s\n", "status", "figure", "simulated", "historical", "95% interval", "interval on"))
for (i in seq_len(nrow(tab))) with(tab[i, ], cat(sprintf("%-6s %-50s %10.3f %10.3f   [%7.3f, %7.3f]  %s%s\n",
  status, figure, simulated, historical, ci_low, ci_high, basis, if (gated) "" else paste0("; ", note, ", not gated"))))
np <- sum(tab$status == "pass"); nf <- sum(tab$status == "FAIL")
cat(sprintf("\n(%d info rows do not gate)\nvalidate: %d passed, %d failed\n", sum(tab$status == "info"), np, nf))
quit(status = if (nf > 0) 1 else 0)
