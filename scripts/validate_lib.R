# validate_lib.R: the figures of scripts/validate.R, computed in one place: validate.R prints them
# and gates on them, scripts/readme_tables.R writes them into the validation table of
# scenarios/baseline/README.md. Sourced by both; defines validation_table() only.
#
# validation_table(res, data_dir): a run of scenarios/calibration-2012 (the baseline model over
# 2012-2021, yearly reports) in the folder res against the historical record in data_dir. One row
# per figure: figure, simulated, historical, ci_low and ci_high (the 95% interval on the historical
# sample), gated, basis (what the interval is on, with the counts), note (why a figure does not
# gate, else ""), inside, status (pass, FAIL, info) and verdict (the words of the README's last
# column). The attribute "runs" holds the run's replications.
#
# Each figure is computed from neasim's own output tables (event_counts.csv,
# state_probabilities.csv) and set beside the historical figure with a 95% interval:
#   - rates of counted events (ICBMs, satellites, nuclear tests), impeachments and removals:
#     exact Poisson (Garwood) interval on the count, divided by the exposure in years;
#   - proportions (alternation per election, removal per term, party change, SMA lapse,
#     share of years in surge): exact binomial (Clopper-Pearson) interval;
#   - launch days per year, mean and variance over the decade: percentile bootstrap over the ten
#     years 2012-2021 (20,000 resamples, fixed seed), because the counts are overdispersed.
# A "gated" figure fails when the simulated value lies outside the interval; an "info" figure
# is shown but does not gate (its scenario number is a declared judgment that departs from the
# record).

validation_table <- function(res, data_dir = "scenarios/data") {
  ec <- read.csv(file.path(res, "event_counts.csv"))
  sp <- read.csv(file.path(res, "state_probabilities.csv"))
  man <- read.csv(file.path(res, "manifest.csv"), colClasses = "character")
  runs <- as.numeric(man$value[man$key == "runs"])
  stopifnot(man$value[man$key == "start_date"] == "2012-01-01", man$value[man$key == "report_interval_months"] == "12")
  mis <- read.csv(file.path(data_dir, "dprk_missile_tests_by_year.csv"))
  rok <- read.csv(file.path(data_dir, "rok_presidents.csv"), colClasses = "character")
  usp <- read.csv(file.path(data_dir, "us_presidents.csv"), colClasses = "character")
  sma <- read.csv(file.path(data_dir, "sma_burden_sharing.csv"), colClasses = "character")
  ali <- read.csv(file.path(data_dir, "alignment_events.csv"), colClasses = "character")

  ## ---- simulated figures from neasim's outputs ----
  years <- 10
  per <- ec[ec$window == "period" & ec$t_years > 0, ]
  cum_end <- ec[ec$window == "cumulative" & abs(ec$t_years - max(ec$t_years)) < 1e-9, ]
  ld <- per[per$event == "launch_days", ]
  stopifnot(nrow(ld) == years)
  sim_ld_mean <- mean(ld$mean)
  # Expected within-decade sample variance of the ten yearly counts, E[s^2], from the per-year
  # means and sds and the sd of the decade total: E[sum (x_y - xbar)^2] = sum_y (sd_y^2 + m_y^2)
  # - n (Var(xbar) + E[xbar]^2), with Var(xbar) = sd_total^2 / n^2. (sd over runs; n/(n-1) in
  # the runs is negligible at the run counts used.)
  tot <- cum_end[cum_end$event == "launch_days", ]
  ss <- sum(ld$sd^2 + ld$mean^2) - years * ((tot$sd / years)^2 + (tot$mean / years)^2)
  sim_ld_var <- ss / (years - 1)
  rate_sim <- function(ev) cum_end$mean[cum_end$event == ev] / years

  # counters: the mean count at the end of the horizon of a counted event of rate 0 that effects
  # fire at each change counted (calibration-2012's events.csv and effects.csv): no top level
  counter <- function(ev) { x <- cum_end$mean[cum_end$event == ev]
    if (length(x) != 1) stop(sprintf("no counted event '%s' in event_counts.csv", ev))
    list(mean = x) }
  at <- function(date, f, levels) sum(sp$probability[sp$date == date & sp$factor == f & sp$level %in% levels])
  # on-cycle regular elections held: the bloc is on the regular cycle on the report date after each
  # (elections do not move it off the cycle; a removal within the 12 days that follow is negligible)
  held <- at("2013-01-01", "rok_governing_bloc", c("conservative", "progressive")) +
    at("2018-01-01", "rok_governing_bloc", c("conservative", "progressive"))
  alt <- counter("n_rok_regular_alternations")
  imp <- counter("n_rok_impeachments"); rem <- counter("n_rok_removals")
  party <- counter("n_us_party_changes"); lapse <- counter("n_sma_lapses")
  surge_share <- mean(sp$probability[sp$factor == "dprk_testing_posture" & sp$level == "surge" & sp$t_years < years])

  ## ---- historical figures and intervals ----
  era <- mis[mis$year >= 2012 & mis$year <= 2021, ]
  x <- era$cns_launch_days
  set.seed(20120101)
  boot <- replicate(20000, { b <- sample(x, replace = TRUE); c(mean(b), var(b)) })
  bq <- function(i) unname(quantile(boot[i, ], c(0.025, 0.975)))
  garwood <- function(k, expo) c(if (k == 0) 0 else qchisq(0.025, 2 * k) / 2, qchisq(0.975, 2 * k + 2) / 2) / expo
  cp <- function(k, n) c(if (k == 0) 0 else qbeta(0.025, k, n - k + 1), if (k == n) 1 else qbeta(0.975, k + 1, n - k))

  prev <- c(NA, head(rok$bloc, -1))
  regular <- rok$election_type == "regular" & !is.na(prev)
  n_alt <- sum(regular & rok$bloc != prev); n_reg <- sum(regular)
  n_imp <- sum(grepl("^yes", rok$impeached)); n_rem <- sum(grepl("(removed)", rok$impeached, fixed = TRUE))
  ended <- rok$term_end != ""                      # terms that have ended (completed or removed)
  latest <- max(as.Date(ali$date[grepl("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", ali$date)]))
  pres_years <- as.numeric(latest - min(as.Date(rok$term_start))) / 365.25
  n_change <- sum(grepl("^yes", usp$party_change_from_incumbent)); n_us <- nrow(usp)
  agr <- sma[sma$record_type == "agreement", ]
  concl <- as.Date(regmatches(agr$date, regexpr("[0-9]{4}-[0-9]{2}-[0-9]{2}", agr$date)))
  dated <- grepl("[0-9]{4}-[0-9]{2}-[0-9]{2}", agr$date)
  prev_exp <- as.Date(paste0(as.integer(substr(agr$years_covered[dated], 1, 4)) - 1, "-12-31"))
  n_lapsed <- sum(concl > prev_exp); n_dated <- sum(dated)
  n_surge_years <- sum(x >= 15)

  ## ---- the table ----
  rows <- list()
  add <- function(figure, sim, hist, ci, basis, note = "") rows[[length(rows) + 1]] <<-
    data.frame(figure = figure, simulated = sim, historical = hist, ci_low = ci[1], ci_high = ci[2],
               gated = note == "", basis = basis, note = note)
  add("launch days per year, mean 2012-2021", sim_ld_mean, mean(x), bq(1), "bootstrap, 10 years")
  add("launch days per year, variance within the decade", sim_ld_var, var(x), bq(2), "bootstrap, 10 years")
  add("ICBM launches per year", rate_sim("icbm_launches"), sum(era$cns_icbm) / 10, garwood(sum(era$cns_icbm), 10),
      sprintf("Poisson, %d in 2012-2021", sum(era$cns_icbm)))
  add("satellite launches per year", rate_sim("satellite_launches"), sum(era$csis_satellite_launch_events) / 10,
      garwood(sum(era$csis_satellite_launch_events), 10), sprintf("Poisson, %d in 2012-2021", sum(era$csis_satellite_launch_events)))
  add("nuclear tests per year", rate_sim("nuclear_tests"), sum(era$nuclear_tests) / 10, garwood(sum(era$nuclear_tests), 10),
      sprintf("Poisson, %d in 2012-2021", sum(era$nuclear_tests)),
      note = "the rate is a declared judgment discount (events.csv; none since 2017-09)")
  add("share of years in the surge posture", surge_share, n_surge_years / 10, cp(n_surge_years, 10),
      sprintf("binomial, %d of 10 years", n_surge_years))
  add("P(bloc alternation) at a regular election", alt$mean / held, n_alt / n_reg, cp(n_alt, n_reg),
      sprintf("binomial, %d of %d regular elections 1992-2022", n_alt, n_reg))
  add("impeachments per year", imp$mean / years, n_imp / pres_years, garwood(n_imp, pres_years),
      sprintf("Poisson, %d in %.1f years", n_imp, pres_years))
  add("P(removal) per 5-year term", 1 - exp(-5 * rem$mean / years), n_rem / sum(ended), cp(n_rem, sum(ended)),
      sprintf("binomial, %d of %d ended terms", n_rem, sum(ended)))
  add("P(U.S. party change) per election", party$mean / 3, n_change / n_us, cp(n_change, n_us),
      sprintf("binomial, %d of %d elections 1988-2024", n_change, n_us))
  add("P(SMA lapse) at an expiry", lapse$mean / 2, n_lapsed / n_dated, cp(n_lapsed, n_dated),
      sprintf("binomial, %d of %d dated SMAs", n_lapsed, n_dated))
  tab <- do.call(rbind, rows)
  tab$inside <- tab$simulated >= tab$ci_low & tab$simulated <= tab$ci_high
  tab$status <- ifelse(tab$inside, "pass", ifelse(tab$gated, "FAIL", "info"))
  tab$verdict <- ifelse(tab$gated, tab$status,
                        paste0(ifelse(tab$inside, "inside", "outside"), ": ", tab$note, "; shown, not gated"))
  attr(tab, "runs") <- runs
  tab
}
