#!/usr/bin/env Rscript
# validate_backtest.R: the table of the rolling-origin backtests (issue 12), from neasim's outputs.
#
# Usage: Rscript scripts/validate_backtest.R WORK_DIR [DATA_DIR]
#   WORK_DIR holds, for each origin O in 2015, 2017, 2019 (scripts/validate_backtest.sh makes them):
#     O/model, O/climatology   `neasim run` results of scenarios/backtest-O and of its climatology
#     O/score                  `neasim score O/model --observed scenarios/backtest-O/observed.csv
#                              --reference O/climatology`
# Prints, per origin and pooled over the three: the coverage of the yearly launch-day counts by the
# central 50% and 90% intervals, their mean mid-PIT, the CRPS skill against climatology (launch
# days; and all four counts), and the Brier skill of yearly binaries:
#   - at least one ICBM launch / nuclear test / satellite launch attempt in the year: the model's
#     P(N >= 1) from count_distribution.csv; the climatology's is the share of pre-origin years
#     (2012..O-1) with at least one (as written, no smoothing);
#   - the ROK governing bloc (conservative or progressive, snap term or not) differs from the
#     origin's on 1 January after the year: the model's from state_probabilities.csv; the
#     climatology's from a symmetric two-bloc chain whose yearly switch probability c is the share
#     of the years 1988..O-1 in which the bloc changed (rok_presidents.csv): (1 - (1 - 2c)^h) / 2
#     after h years.
# Then every launch-day year outside the 90% interval, by name. Gates (exit status 1 when one
# fails): the 90% coverage of launch-day years over all backtests below 0.75, or the pooled
# launch-day CRPS skill below 0. The last line is "validate_backtest: N passed, N failed".

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 1) stop("usage: validate_backtest.R WORK_DIR [DATA_DIR]")
work <- args[1]
data_dir <- if (length(args) >= 2) args[2] else "scenarios/data"
origins <- c(2015L, 2017L, 2019L)

mis <- read.csv(file.path(data_dir, "dprk_missile_tests_by_year.csv"))
rok <- read.csv(file.path(data_dir, "rok_presidents.csv"), colClasses = "character")
bin_events <- c(icbm_launches = "cns_icbm", nuclear_tests = "nuclear_tests",
                satellite_launches = "csis_satellite_launch_events")
bin_label <- c(icbm_launches = "at least one ICBM launch", nuclear_tests = "at least one nuclear test",
               satellite_launches = "at least one satellite launch attempt")
group <- function(b) sub("_snap_term$", "", b)
bloc_on <- function(d) group(rok$bloc[max(which(as.Date(rok$term_start) <= d))])

items <- list(); bins <- list()
for (o in origins) {
  sc <- read.csv(file.path(work, o, "score", "scores.csv"))
  it <- sc[sc$scope == "item" & sc$quantity == "event", ]
  w <- reshape(it[, c("name", "window_start", "metric", "value", "reference_value")], idvar = c("name", "window_start"),
               timevar = "metric", direction = "wide")
  w$origin <- o; items[[length(items) + 1]] <- w

  pre <- mis[mis$year >= 2012 & mis$year < o, ]
  cd <- read.csv(file.path(work, o, "model", "count_distribution.csv"))
  cd <- cd[cd$window == "year", ]
  for (e in names(bin_events)) {
    for (ws in unique(cd$window_start[cd$event == e])) {
      y <- as.integer(substr(ws, 1, 4))
      p <- 1 - sum(cd$probability[cd$event == e & cd$window_start == ws & cd$count == 0])
      bins[[length(bins) + 1]] <- data.frame(origin = o, item = bin_label[[e]], year = y,
        forecast = p, reference = mean(pre[[bin_events[[e]]]] > 0), observed = as.numeric(mis[[bin_events[[e]]]][mis$year == y] > 0))
    }
  }
  sp <- read.csv(file.path(work, o, "model", "state_probabilities.csv"))
  b0 <- bloc_on(as.Date(sprintf("%d-01-01", o)))
  first <- as.Date(rok$term_start); yrs_seen <- (1988):(o - 1)
  changes <- sum(sapply(yrs_seen, function(y) { i <- which(format(first, "%Y") == as.character(y))
    length(i) > 0 && i[1] > 1 && group(rok$bloc[i[1]]) != group(rok$bloc[i[1] - 1]) }))
  cc <- changes / length(yrs_seen)
  for (y in o:2021) {
    d <- sprintf("%d-01-01", y + 1)
    other <- setdiff(c("conservative", "progressive"), b0)
    p <- sum(sp$probability[sp$date == d & sp$factor == "rok_governing_bloc" & group(sp$level) == other])
    h <- y + 1 - o
    bins[[length(bins) + 1]] <- data.frame(origin = o, item = "ROK bloc differs from the origin's", year = y,
      forecast = p, reference = (1 - (1 - 2 * cc)^h) / 2, observed = as.numeric(bloc_on(as.Date(d)) != b0))
  }
}
it <- do.call(rbind, items); bn <- do.call(rbind, bins)
ld <- it[it$name == "launch_days", ]

skill <- function(s, r) if (sum(r) > 0) 1 - sum(s) / sum(r) else NA
row_of <- function(lab, l, a, b) {
  data.frame(origin = lab, years = nrow(l), in_50 = mean(l$value.in_50), in_90 = mean(l$value.in_90), pit = mean(l$value.pit),
             crps_skill_ld = skill(l$value.crps, l$reference_value.crps), crps_skill_all = skill(a$value.crps, a$reference_value.crps),
             brier = mean((b$forecast - b$observed)^2), brier_ref = mean((b$reference - b$observed)^2),
             brier_skill = skill((b$forecast - b$observed)^2, (b$reference - b$observed)^2))
}
tab <- rbind(do.call(rbind, lapply(origins, function(o) row_of(as.character(o), ld[ld$origin == o, ], it[it$origin == o, ], bn[bn$origin == o, ]))),
             row_of("all", ld, it, bn))
f <- function(x) ifelse(is.na(x), "     NA", sprintf("%7.3f", x))
cat("Out-of-sample backtests (scenarios/backtest-O, refitted on 2012..O-1, run to 2021-12-31) against what happened after O\n")
cat("launch days: yearly counts; skill against the climatology of 2012..O-1 (1 perfect, 0 no better, <0 worse)\n\n")
cat(sprintf("%-6s %5s %7s %7s %7s %9s %9s %7s %7s %8s\n", "origin", "years", "in_50", "in_90", "PIT", "CRPSskLD", "CRPSskAll",
            "Brier", "BrierCl", "BrierSk"))
for (i in seq_len(nrow(tab))) with(tab[i, ], cat(sprintf("%-6s %5d %s %s %s   %s   %s %s %s  %s\n", origin, years, f(in_50), f(in_90), f(pit),
  f(crps_skill_ld), f(crps_skill_all), f(brier), f(brier_ref), f(brier_skill))))
cat("\nBrier skill of the yearly binaries, pooled over the origins, item by item:\n")
for (g in unique(bn$item)) { b <- bn[bn$item == g, ]
  cat(sprintf("  %-36s n %2d  observed yes %d  Brier %.3f  climatology %.3f  skill %s\n", g, nrow(b), sum(b$observed),
              mean((b$forecast - b$observed)^2), mean((b$reference - b$observed)^2),
              f(skill((b$forecast - b$observed)^2, (b$reference - b$observed)^2)))) }
cat("Not scored (no observed row or no output that supports it): see scenarios/backtest-README.md\n")

miss <- ld[ld$value.in_90 == 0, ]
cat(sprintf("\nLaunch-day years outside the model's 90%% interval: %d of %d\n", nrow(miss), nrow(ld)))
for (i in seq_len(nrow(miss))) with(miss[i, ], cat(sprintf("  origin %d, year %s: observed %g, forecast mean %.2f, mid-PIT %.3f\n",
  origin, substr(window_start, 1, 4), value.observed, value.forecast, value.pit)))
miss50 <- ld[ld$value.in_50 == 0, ]
cat(sprintf("Launch-day years outside the 50%% interval: %d of %d (%s)\n", nrow(miss50), nrow(ld),
            paste(sprintf("%d:%s", miss50$origin, substr(miss50$window_start, 1, 4)), collapse = " ")))

# the pooled skill's 95% interval, paired over the launch-day years (as neasim score's totals)
dd <- ld$reference_value.crps - ld$value.crps
ci <- (mean(dd) + c(-1.96, 1.96) * sd(dd) / sqrt(length(dd))) / mean(ld$reference_value.crps)
cat(sprintf("Launch-day CRPS skill over all backtests: %.3f, paired 95%% interval %.3f to %.3f (%d years)\n",
            skill(ld$value.crps, ld$reference_value.crps), ci[1], ci[2], nrow(ld)))
all <- tab[tab$origin == "all", ]
g1 <- all$in_90 >= 0.75; g2 <- isTRUE(all$crps_skill_ld >= 0)
cat(sprintf("\n%s 90%% coverage of launch-day years over all backtests %.3f (gate: >= 0.75)\n", if (g1) "pass" else "FAIL", all$in_90))
cat(sprintf("%s launch-day CRPS skill against climatology over all backtests %.3f (gate: >= 0)\n", if (g2) "pass" else "FAIL", all$crps_skill_ld))
np <- g1 + g2
cat(sprintf("validate_backtest: %d passed, %d failed\n", np, 2 - np))
quit(status = if (np < 2) 1 else 0)
