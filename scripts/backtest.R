#!/usr/bin/env Rscript
# backtest.R: generate the rolling-origin backtest scenarios of issue 12 from scenarios/data/.
#
# Usage (from the project root):  Rscript scripts/backtest.R [--check]
#   writes, for each origin O in 2015, 2017, 2019:
#     scenarios/backtest-O/            a patch of ../calibration-2012 (`extends`): start O-01-01,
#                                      end 2021-12-31, the state of the world at O-01-01, and the
#                                      four DPRK count rates refitted on 2012..O-1 only, each as its
#                                      Jeffreys posterior (so a plain `neasim run` carries the data's
#                                      uncertainty into the forecast);
#     scenarios/backtest-O/climatology/ the reference: the same four counts at their 2012..O-1
#                                      average (negative binomial where the years are overdispersed,
#                                      Poisson otherwise), nothing else;
#     scenarios/backtest-O/observed.csv what happened from O to 2021 (the rows of
#                                      scenarios/data/observed_2012_2021.csv after O), for `neasim score`.
#   --check regenerates into a temporary folder and exits 1 if any shipped file differs (run by
#   scripts/validate_backtest.sh, so a change of the data or of this script cannot go unnoticed).
#
# Why calibration-2012 and not the baseline as the base: the backtests need the baseline model with
# the 2012-2021 political calendar (U.S. and ROK elections, SMA expiries), the U.S. party factor and
# the counters, which calibration-2012 already holds (scripts/validate_sync.R keeps its dynamics
# equal to the baseline's); the baseline starts in 2026 with 2026's calendar and Trump-era states.
# So a change to the baseline reaches the backtests once calibration-2012 is re-synced, and this
# script regenerates the patches from the data (rerun it after any change to either).
#
# What is refitted, and what is not (README: scenarios/backtest-README.md):
#   - refitted on 2012..O-1: the routine-posture base rate of launch_days, icbm_launches,
#     satellite_launches and nuclear_tests, scaled so that the model's long-run yearly mean (the
#     base rate times the posture multipliers averaged over the posture chain's stationary shares)
#     equals the pre-origin yearly mean; written as gamma(n + 1/2, 1 / (T s)), the Jeffreys posterior
#     of a Poisson rate from n events in T years, divided by the stationary multiplier s;
#   - the state at the origin: ROK bloc and presidency, U.S. party and alliance posture, SMA status,
#     DPRK testing posture (the posture of the year before), U.S.-DPRK talks; counters start at 0;
#   - the calendar: rows before the origin dropped, repeating rows re-dated;
#   - NOT refitted (held at their 2012-2021 or longer-record fit, a leak in the model's favour,
#     reported in the README): the posture chain and the posture multipliers (three to seven years
#     cannot identify a three-level chain: no surge year before 2016), dispersions, seasonality,
#     and every ROK, U.S. and SMA number.
# Plain base R; no network. The outputs are deterministic (no random numbers).

args <- commandArgs(trailingOnly = TRUE)
check_only <- "--check" %in% args
data_dir <- "scenarios/data"
base_dir <- "scenarios/calibration-2012"
if (!dir.exists(data_dir)) stop("run from the project root: scenarios/data not found")
origins <- c(2015L, 2017L, 2019L)
end_year <- 2021L

rd <- function(f) read.csv(f, colClasses = "character", na.strings = character(0), check.names = FALSE,
                           encoding = "UTF-8")
mis <- rd(file.path(data_dir, "dprk_missile_tests_by_year.csv"))
mis$year <- as.integer(mis$year)
rok <- rd(file.path(data_dir, "rok_presidents.csv"))
obs_all <- rd(file.path(data_dir, "observed_2012_2021.csv"))
base <- list(events = rd(file.path(base_dir, "events.csv")), modifiers = rd(file.path(base_dir, "modifiers.csv")),
             transitions = rd(file.path(base_dir, "transitions.csv")), calendar = rd(file.path(base_dir, "calendar.csv")),
             seasonality = rd(file.path(base_dir, "seasonality.csv")))

counts <- c(launch_days = "cns_launch_days", icbm_launches = "cns_icbm",
            satellite_launches = "csis_satellite_launch_events", nuclear_tests = "nuclear_tests")
# A base number written as a distribution (calibrate.R --write puts the data-derived ones at their
# posteriors) stands for its mean, the number the model holds: the stationary shares and multipliers
# below are the chain's at those means.
num <- function(x) { d <- regmatches(x, regexec("^\\s*([a-z]+)\\((.*)\\)\\s*$", x))[[1]]
  if (!length(d)) return(as.numeric(x))
  p <- as.numeric(strsplit(d[3], ",", fixed = TRUE)[[1]])
  switch(d[2], beta = p[1] / (p[1] + p[2]), gamma = p[1] * p[2], lognormal = exp(p[1] + p[2]^2 / 2),
         uniform = (p[1] + p[2]) / 2, triangular = sum(p) / 3, pert = (p[1] + 4 * p[2] + p[3]) / 6,
         stop("backtest.R: base number written as a distribution it cannot average: ", x)) }

## The stationary shares of the base's posture chain. Annual probabilities become rates -ln(1 - p);
## the exercise-month multiplier on entries into surge enters by its day-weighted yearly mean.
posture_levels <- c("restraint", "routine", "surge")
months_of <- function(txt) unlist(lapply(strsplit(gsub("\\s", "", txt), "|", fixed = TRUE)[[1]],
  function(it) { ab <- as.integer(strsplit(it, "-", fixed = TRUE)[[1]]); seq(ab[1], ab[length(ab)]) }))
stationary_posture <- function() {
  tr <- base$transitions[base$transitions$factor == "dprk_testing_posture", ]
  G <- matrix(0, 3, 3, dimnames = list(posture_levels, posture_levels))
  se <- base$seasonality[base$seasonality$target == "dprk_testing_posture:*>surge", ]
  mdays <- c(31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
  # a row's month cell may be a range or a list ("3-4|8", scenarios/README.md): its number in each
  m <- rep(1, 12)
  for (i in seq_len(nrow(se))) m[months_of(se$month[i])] <- num(se$multiplier[i])
  surge_season <- sum(mdays * m) / 365
  for (i in seq_len(nrow(tr))) {
    v <- num(tr$value[i]); r <- if (tr$unit[i] == "annual_probability") -log(1 - v) else
      if (tr$unit[i] == "mean_years") 1 / v else v
    if (tr$to[i] == "surge") r <- r * surge_season
    G[tr$from[i], tr$to[i]] <- r
  }
  diag(G) <- -rowSums(G)
  e <- eigen(t(G)); p <- Re(e$vectors[, which.min(abs(e$values))])
  setNames(p / sum(p), posture_levels)
}
p_stat <- stationary_posture()
## The same shares over draws of the chain's rows (for the printout only: nothing written depends on
## it): each row's cell of the baseline drawn from its distribution (the posteriors and the
## judgments' perts, the exercise months' multiplier drawn once per row), 100,000 draws at seed 1. The shares at the means above
## are what the model holds; this is their spread when `run` draws the rows per replication.
draw_cell <- function(x, n) { d <- regmatches(x, regexec("^\\s*([a-z]+)\\((.*)\\)\\s*$", x))[[1]]
  if (!length(d)) return(rep(as.numeric(x), n))
  p <- as.numeric(strsplit(d[3], ",", fixed = TRUE)[[1]])
  switch(d[2], beta = rbeta(n, p[1], p[2]), gamma = rgamma(n, p[1], scale = p[2]), lognormal = rlnorm(n, p[1], p[2]),
         uniform = runif(n, p[1], p[2]),
         pert = p[1] + (p[3] - p[1]) * rbeta(n, 1 + 4 * (p[2] - p[1]) / (p[3] - p[1]), 1 + 4 * (p[3] - p[2]) / (p[3] - p[1])),
         stop("backtest.R: cannot draw ", x)) }
stationary_draws <- function(n = 1e5) {
  # the baseline's rows, not calibration-2012's: calibration-2012 holds the judgments as plain
  # means, the baseline as the perts that `run` draws (validate_sync.R keeps the rest equal)
  bl <- list(transitions = rd("scenarios/baseline/transitions.csv"), seasonality = rd("scenarios/baseline/seasonality.csv"))
  set.seed(1); tr <- bl$transitions[bl$transitions$factor == "dprk_testing_posture", ]
  se <- bl$seasonality[bl$seasonality$target == "dprk_testing_posture:*>surge", ]
  mdays <- c(31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31); m <- matrix(1, n, 12)
  # one draw per row for all the months it lists (a `3-4|8` row is one number, drawn once)
  for (i in seq_len(nrow(se))) { d <- draw_cell(se$multiplier[i], n); for (mo in months_of(se$month[i])) m[, mo] <- d }
  surge_season <- as.vector(m %*% mdays) / 365
  R <- array(0, c(n, 3, 3))
  for (i in seq_len(nrow(tr))) { v <- draw_cell(tr$value[i], n)
    r <- if (tr$unit[i] == "annual_probability") -log(1 - v) else if (tr$unit[i] == "mean_years") 1 / v else v
    if (tr$to[i] == "surge") r <- r * surge_season
    R[, match(tr$from[i], posture_levels), match(tr$to[i], posture_levels)] <- r }
  # the stationary distribution of a three-state generator in closed form (the matrix-tree theorem)
  a <- function(i, j) R[, i, j]
  w1 <- a(2, 1) * a(3, 1) + a(2, 1) * a(3, 2) + a(2, 3) * a(3, 1)
  w2 <- a(1, 2) * a(3, 1) + a(1, 2) * a(3, 2) + a(1, 3) * a(3, 2)
  w3 <- a(1, 2) * a(2, 3) + a(1, 3) * a(2, 1) + a(1, 3) * a(2, 3)
  P <- cbind(w1, w2, w3) / (w1 + w2 + w3); colnames(P) <- posture_levels; P
}
# s: the event's posture multiplier averaged over the stationary shares (other modifiers, such as
# talks on nuclear tests or Russian-Chinese coordination on satellites, are off in the base state)
stat_mult <- function(ev) {
  md <- base$modifiers[base$modifiers$target == ev, ]
  m <- setNames(rep(1, 3), posture_levels)
  for (lv in posture_levels) { r <- md$condition == paste0("dprk_testing_posture=", lv)
    if (any(r)) m[lv] <- prod(sapply(md$multiplier[r], num)) }
  sum(p_stat * m)
}

fmt <- function(x) trimws(formatC(x, digits = 6, format = "g"))
# tidy CSV: quotes only where a cell needs them (a comma, a quote or a line break)
csv_write <- function(df, file) {
  q <- function(x) { x <- as.character(x); x[is.na(x)] <- ""; need <- grepl("[\",\n]", x)
    x[need] <- paste0("\"", gsub("\"", "\"\"", x[need]), "\""); x }
  lines <- c(paste(q(names(df)), collapse = ","), if (nrow(df)) do.call(paste, c(lapply(df, q), sep = ",")))
  con <- file(file, "w", encoding = "UTF-8"); writeLines(lines, con); close(con)
}

## The state of the world on an origin's first day, from the records (sources in the rows).
state_at <- function(o) {
  d <- as.Date(sprintf("%d-01-01", o))
  inc <- rok[max(which(as.Date(rok$term_start) <= d)), ]
  prev <- mis[mis$year == o - 1L, ]
  ld <- as.numeric(prev$cns_launch_days)
  posture <- if (ld < 5) "restraint" else if (ld < 15) "routine" else "surge"
  list(bloc = if (grepl("snap", inc$election_type)) paste0(inc$bloc, "_snap_term") else inc$bloc,
       bloc_src = sprintf("rok_presidents.csv: %s (%s, %s election) in office on %s", inc$winner, inc$bloc, inc$election_type, d),
       stability = if (o == 2017L) "acting_president" else "normal",
       stability_src = if (o == 2017L) "rok_presidents.csv row 18: Park Geun-hye impeached 2016-12-09, suspended until the removal 2017-03-10" else
         sprintf("rok_presidents.csv: %s not impeached on %s", inc$winner, d),
       # calibration-2012 switches party and posture at the election (its draw rows), not at the
       # inauguration: on 2017-01-01 the 2016 election is decided
       party = if (o >= 2017L) "republican" else "democratic",
       party_src = if (o >= 2017L) "us_presidents.csv: Donald Trump (Republican) elected 2016-11-08, inaugurated 2017-01-20" else
         "us_presidents.csv: Barack Obama (Democratic) in office (re-elected 2012)",
       posture = posture,
       posture_src = sprintf("dprk_missile_tests_by_year.csv: %d had %s launch days (posture coding of scripts/calibrate.R: <5 restraint, 5-14 routine, >=15 surge)", o - 1L, prev$cns_launch_days),
       sma = if (o == 2019L) "lapsed" else "in_force",
       sma_src = if (o == 2019L) "sma_burden_sharing.csv: the 9th SMA expired 2018-12-31; the 10th was concluded 2019-03-08" else
         "sma_burden_sharing.csv: the 9th SMA (2014-2018, concluded 2014-02-02) in force",
       talks = if (o == 2019L) "talks" else "none",
       talks_src = if (o == 2019L) "alignment_events.csv: U.S.-DPRK talks from the 2018-04-21 moratorium (Singapore 2018-06-12) to 2020-01" else
         "alignment_events.csv: no U.S.-DPRK talks before 2018")
}

factor_rows <- function(st) {
  # the base's rows (description, labels) with the initial share and the source replaced
  bf <- rd(file.path(base_dir, "factors.csv"))
  r <- function(f, levels, on, src) { x <- bf[bf$factor == f & bf$level %in% levels, ]
    stopifnot(nrow(x) == length(levels))
    x$initial <- as.character(as.numeric(x$level == on)); x$source <- paste("state at the origin:", src); x }
  rbind(r("rok_governing_bloc", c("conservative", "progressive", "conservative_snap_term", "progressive_snap_term"), st$bloc, st$bloc_src),
        r("rok_political_stability", c("normal", "crisis", "acting_president", "removed"), st$stability, st$stability_src),
        r("us_party", c("democratic", "republican"), st$party, st$party_src),
        r("us_alliance_posture", c("transactional", "alliance_first"), if (st$party == "republican") "transactional" else "alliance_first",
          paste(st$party_src, "(the alliance posture coded by the administration, as calibration-2012 codes Obama alliance-first)")),
        r("dprk_testing_posture", posture_levels, st$posture, st$posture_src),
        r("sma_status", c("in_force", "negotiating", "lapsed"), st$sma, st$sma_src),
        r("us_dprk_diplomacy", c("none", "talks", "deal_without_denuclearization"), st$talks, st$talks_src))
}

## Calendar: drop the base's rows before the origin; re-date the repeating SMA rows to their first
## date on or after the origin.
calendar_rows <- function(o) {
  cal <- base$calendar; d0 <- as.Date(sprintf("%d-01-01", o))
  out <- list()
  for (i in seq_len(nrow(cal))) {
    d <- as.Date(cal$date[i]); ry <- cal$repeat_years[i]
    if (d >= d0) next
    row <- cal[i, ]; row$drop <- ""
    if (ry != "") {
      until <- as.Date(cal$until[i]); y <- as.integer(format(d, "%Y")); step <- as.integer(ry)
      while (as.Date(sprintf("%d-%s", y, format(d, "%m-%d"))) < d0) y <- y + step
      nd <- as.Date(sprintf("%d-%s", y, format(d, "%m-%d")))
      if (nd <= until) { row$date <- format(nd); row$source <- paste0("backtest: the base's repeating row from its first date on or after ", d0, "; ", cal$source[i]); out[[length(out) + 1]] <- row; next }
    }
    row$drop <- "yes"; out[[length(out) + 1]] <- row
  }
  do.call(rbind, out)
}

## The four count rates on 2012..O-1 as Jeffreys posteriors: the patch's rows are those four (the
## base's counters, events of rate 0 that effects fire, come from the base unchanged).
event_rows <- function(o) {
  pre <- mis[mis$year >= 2012L & mis$year < o, ]
  T <- nrow(pre); yrs <- sprintf("%d-%d", min(pre$year), max(pre$year))
  ev <- base$events[base$events$event %in% names(counts), , drop = FALSE]
  for (e in names(counts)) {
    x <- as.numeric(pre[[counts[[e]]]]); n <- sum(x); s <- stat_mult(e)
    i <- which(ev$event == e)
    ev$rate_per_year[i] <- sprintf("gamma(%s,%s)", fmt(n + 0.5), fmt(1 / (T * s)))
    ev$source[i] <- sprintf(paste0("backtest fit (scripts/backtest.R): dprk_missile_tests_by_year.csv %s, years %s (%s): %g in %d years; ",
      "Jeffreys posterior of a Poisson rate gamma(n + 1/2, 1/T), over the stationary posture multiplier s = %.4f of the base ",
      "(posture chain and multipliers of calibration-2012) so the long-run yearly mean is (n + 1/2)/T = %.3f"),
      counts[[e]], yrs, paste(x, collapse = ", "), n, T, s, (n + 0.5) / T)
  }
  ev
}

climatology <- function(o, dir) {
  pre <- mis[mis$year >= 2012L & mis$year < o, ]; T <- nrow(pre)
  ev <- do.call(rbind, lapply(names(counts), function(e) {
    x <- as.numeric(pre[[counts[[e]]]]); m <- mean(x); v <- var(x)
    k <- if (v > m) m^2 / (v - m) else NA
    data.frame(event = e, rate_per_year = fmt(m), dispersion = if (is.na(k)) "" else fmt(k),
               redraw_months = if (is.na(k)) "" else "12", description = "",
               source = sprintf("climatology: dprk_missile_tests_by_year.csv %s %d-%d: %s -> mean %.4f, variance %.4f; %s",
                                counts[[e]], min(pre$year), max(pre$year), paste(x, collapse = ", "), m, v,
                                if (is.na(k)) "not overdispersed: Poisson" else sprintf("negative binomial k = m^2/(v - m) = %.4f", k)))
  }))
  csv_write(data.frame(key = c("name", "title", "start_date", "horizon_years", "report_interval_months", "description"),
    value = c(sprintf("backtest_%d_climatology", o), sprintf("Climatology reference for the %d backtest: DPRK counts at their 2012-%d average", o, o - 1L),
              sprintf("%d-01-01", o), as.character(end_year + 1L - o), "12",
              "The reference forecast of a backtest: each count at its pre-origin yearly mean, independent years. Generated by scripts/backtest.R."),
    source = c("analyst choice", "analyst choice", "the backtest origin", sprintf("%d-01-01 to %d-01-01", o, end_year + 1L), "yearly windows, as the data", "scripts/backtest.R")),
    file.path(dir, "scenario.csv"))
  csv_write(data.frame(factor = "climate", level = "only", initial = "1", description = "a placeholder: a scenario needs a factor",
                       source = "model structure"), file.path(dir, "factors.csv"))
  writeLines("factor,from,to,value,unit,source", file.path(dir, "transitions.csv"))
  csv_write(ev, file.path(dir, "events.csv"))
}

write_origin <- function(o, root) {
  dir <- file.path(root, sprintf("backtest-%d", o)); dir.create(file.path(dir, "climatology"), recursive = TRUE, showWarnings = FALSE)
  st <- state_at(o)
  csv_write(data.frame(key = c("extends", "name", "title", "start_date", "horizon_years", "description"),
    value = c("../calibration-2012", sprintf("backtest_%d", o), sprintf("Backtest from %d-01-01: the baseline model refitted on 2012-%d, run to 2021-12-31", o, o - 1L),
              sprintf("%d-01-01", o), as.character(end_year + 1L - o),
              sprintf("Rolling-origin backtest (issue 12): calibration-2012 from the state of the world on %d-01-01 with the DPRK count rates refitted on 2012-%d only, as Jeffreys posteriors. Generated by scripts/backtest.R: do not edit.", o, o - 1L)),
    source = c("a patch of the calibration scenario (the baseline model with the 2012-2021 calendar)", "analyst choice", "analyst choice",
               "the backtest origin", sprintf("%d-01-01 to %d-01-01: the data stop at the end of %d", o, end_year + 1L, end_year), "scripts/backtest.R")),
    file.path(dir, "scenario.csv"))
  csv_write(factor_rows(st), file.path(dir, "factors.csv"))
  cal <- calendar_rows(o); if (!is.null(cal)) csv_write(cal, file.path(dir, "calendar.csv"))
  csv_write(event_rows(o), file.path(dir, "events.csv"))
  climatology(o, file.path(dir, "climatology"))
  ob <- obs_all[obs_all$quantity == "event" & as.Date(obs_all$window_start) >= as.Date(sprintf("%d-01-01", o)), ]
  csv_write(ob, file.path(dir, "observed.csv"))
  dir
}

if (check_only) {
  tmp <- tempfile("backtest-"); dir.create(tmp)
  bad <- 0
  for (o in origins) {
    d <- write_origin(o, tmp)
    for (f in list.files(d, recursive = TRUE)) {
      shipped <- file.path("scenarios", basename(d), f)
      if (!file.exists(shipped) || !identical(readLines(shipped, warn = FALSE), readLines(file.path(d, f), warn = FALSE))) {
        cat(sprintf("backtest: %s is not what scripts/backtest.R generates from the data (rerun Rscript scripts/backtest.R)\n", shipped)); bad <- bad + 1 }
    }
  }
  cat(sprintf("backtest: %d generated files differ\n", bad))
  quit(status = if (bad > 0) 1 else 0)
}
for (o in origins) cat(sprintf("backtest: wrote %s\n", write_origin(o, "scenarios")))
cat(sprintf("backtest: stationary posture shares of the base chain: %s\n",
            paste(sprintf("%s %.3f", names(p_stat), p_stat), collapse = ", ")))
SD <- stationary_draws()
cat(sprintf("backtest: over 100,000 draws of its rows (mean, median, 90%% interval): %s\n",
            paste(sprintf("%s %.3f, %.3f, %.3f-%.3f", posture_levels, colMeans(SD), apply(SD, 2, median),
                          apply(SD, 2, quantile, 0.05), apply(SD, 2, quantile, 0.95)), collapse = "; ")))
