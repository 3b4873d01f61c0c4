#!/usr/bin/env Rscript
# validate_backtest.R: print and gate on the table of the rolling-origin backtests (issue 12).
#
# Usage: Rscript scripts/validate_backtest.R WORK_DIR [DATA_DIR]
#   WORK_DIR holds, for each origin O in 2015, 2017, 2019 (scripts/validate_backtest.sh makes them):
#     O/model, O/climatology   `neasim run` results of scenarios/backtest-O and of its climatology
#     O/score                  `neasim score O/model --observed scenarios/backtest-O/observed.csv
#                              --reference O/climatology`
# The figures are computed by backtest_table() in scripts/validate_backtest_lib.R (which says how),
# the same function that fills the track-record tables of scenarios/baseline/README.md and
# scenarios/backtest-README.md (scripts/readme_tables.R). Prints, per origin and pooled over the
# three: the coverage of the yearly launch-day counts by the central 50% and 90% intervals, their
# mean mid-PIT, the CRPS skill against climatology (launch days; and all four counts), and the
# Brier skill of the yearly binaries (ICBM launch, nuclear test, satellite launch attempt, ROK bloc
# change), then item by item. Then every launch-day year outside the 90% interval, by name. Gates
# (exit status 1 when one fails): the 90% coverage of launch-day years over all backtests below
# 0.75, or the pooled launch-day CRPS skill below 0. The last line is "validate_backtest: N passed,
# N failed".

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 1) stop("usage: validate_backtest.R WORK_DIR [DATA_DIR]")
work <- args[1]
data_dir <- if (length(args) >= 2) args[2] else "scenarios/data"
self <- sub("^--file=", "", grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)[1])
source(file.path(dirname(self), "validate_backtest_lib.R"))

bt <- backtest_table(work, data_dir)
tab <- bt$origins; ld <- bt$years
f <- function(x) ifelse(is.na(x), "     NA", sprintf("%7.3f", x))
cat("Out-of-sample backtests (scenarios/backtest-O, refitted on 2012..O-1, run to 2021-12-31) against what happened after O\n")
cat("launch days: yearly counts; skill against the climatology of 2012..O-1 (1 perfect, 0 no better, <0 worse)\n\n")
cat(sprintf("%-6s %5s %7s %7s %7s %9s %9s %7s %7s %8s\n", "origin", "years", "in_50", "in_90", "PIT", "CRPSskLD", "CRPSskAll",
            "Brier", "BrierCl", "BrierSk"))
for (i in seq_len(nrow(tab))) with(tab[i, ], cat(sprintf("%-6s %5d %s %s %s   %s   %s %s %s  %s\n", origin, years, f(in_50), f(in_90), f(pit),
  f(crps_skill_ld), f(crps_skill_all), f(brier), f(brier_ref), f(brier_skill))))
cat("\nBrier skill of the yearly binaries, pooled over the origins, item by item:\n")
for (i in seq_len(nrow(bt$items))) with(bt$items[i, ], cat(sprintf("  %-36s n %2d  observed yes %d  Brier %.3f  climatology %.3f  skill %s\n",
  item, years, yes, brier, brier_ref, f(brier_skill))))
cat("Not scored (no observed row or no output that supports it): see scenarios/backtest-README.md\n")

miss <- ld[ld$in_90 == 0, ]
cat(sprintf("\nLaunch-day years outside the model's 90%% interval: %d of %d\n", nrow(miss), nrow(ld)))
for (i in seq_len(nrow(miss))) with(miss[i, ], cat(sprintf("  origin %d, year %s: observed %g, forecast mean %.2f, mid-PIT %.3f\n",
  origin, substr(window_start, 1, 4), observed, forecast, pit)))
miss50 <- ld[ld$in_50 == 0, ]
cat(sprintf("Launch-day years outside the 50%% interval: %d of %d (%s)\n", nrow(miss50), nrow(ld),
            paste(sprintf("%d:%s", miss50$origin, substr(miss50$window_start, 1, 4)), collapse = " ")))

all <- tab[tab$origin == "all", ]
# the pooled skill's 95% interval, paired over the launch-day years (as neasim score's totals)
cat(sprintf("Launch-day CRPS skill over all backtests: %.3f, paired 95%% interval %.3f to %.3f (%d years)\n",
            all$crps_skill_ld, all$crps_ci_low, all$crps_ci_high, all$years))
g1 <- all$in_90 >= 0.75; g2 <- isTRUE(all$crps_skill_ld >= 0)
cat(sprintf("\n%s 90%% coverage of launch-day years over all backtests %.3f (gate: >= 0.75)\n", if (g1) "pass" else "FAIL", all$in_90))
cat(sprintf("%s launch-day CRPS skill against climatology over all backtests %.3f (gate: >= 0)\n", if (g2) "pass" else "FAIL", all$crps_skill_ld))
np <- g1 + g2
cat(sprintf("validate_backtest: %d passed, %d failed\n", np, 2 - np))
quit(status = if (np < 2) 1 else 0)
