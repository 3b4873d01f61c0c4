# validate_backtest_lib.R: the figures of the rolling-origin backtests (issue 12), computed in one
# place: scripts/validate_backtest.R prints them and gates on them, scripts/readme_tables.R writes
# them into the track-record tables of scenarios/baseline/README.md and
# scenarios/backtest-README.md. Sourced by both; defines backtest_origins and backtest_table() only.
#
# backtest_table(work, data_dir): the runs of scripts/validate_backtest.sh in the folder work (for
# each origin O of backtest_origins: O/model and O/climatology, `neasim run` results of
# scenarios/backtest-O and of its climatology, and O/score, `neasim score O/model --observed
# scenarios/backtest-O/observed.csv --reference O/climatology`) against the record in data_dir.
# A list of three data frames:
#   origins  one row per origin and one pooled over them (origin "all"): years (launch-day years
#            scored), in_50, in_90 (the share of those years inside the central 50% / 90%
#            interval), pit (their mean mid-PIT), crps_skill_ld, crps_ci_low, crps_ci_high (the
#            launch-day CRPS skill against climatology, 1 - sum CRPS / sum the climatology's, and its
#            95% interval paired over the years: the mean paired difference +- t standard errors (t
#            the 0.975 point of Student's t with years - 1 degrees of freedom; its upper end at
#            most 1, which no skill exceeds),
#            over the climatology's mean CRPS, as neasim score's totals), crps_skill_all (the CRPS
#            skill of the four counts together), brier, brier_ref, brier_skill (the mean Brier score
#            of the yearly binaries below, the climatology's, and the skill);
#   items    one row per yearly binary, pooled over the origins: id (the model's name for it),
#            item (in words), years, yes (years observed yes), brier, brier_ref, brier_skill;
#   years    one row per launch-day year scored: origin, window_start, observed, forecast, pit,
#            in_50, in_90 (the years the models missed, by name).
# The yearly binaries:
#   - at least one ICBM launch / nuclear test / satellite launch attempt in the year: the model's
#     P(N >= 1) from count_distribution.csv; the climatology's is the share of pre-origin years
#     (2012..O-1) with at least one (as written, no smoothing);
#   - the ROK governing bloc (conservative or progressive, snap term or not) differs from the
#     origin's on 1 January after the year: the model's from state_probabilities.csv; the
#     climatology's from a symmetric two-bloc chain whose yearly switch probability c is the share
#     of the years 1988..O-1 in which the bloc changed (rok_presidents.csv): (1 - (1 - 2c)^h) / 2
#     after h years.

backtest_origins <- c(2015L, 2017L, 2019L)

backtest_table <- function(work, data_dir = "scenarios/data") {
  mis <- read.csv(file.path(data_dir, "dprk_missile_tests_by_year.csv"))
  rok <- read.csv(file.path(data_dir, "rok_presidents.csv"), colClasses = "character")
  bin_events <- c(icbm_launches = "cns_icbm", nuclear_tests = "nuclear_tests",
                  satellite_launches = "csis_satellite_launch_events")
  bin_label <- c(icbm_launches = "at least one ICBM launch", nuclear_tests = "at least one nuclear test",
                 satellite_launches = "at least one satellite launch attempt",
                 rok_governing_bloc = "ROK bloc differs from the origin's")
  group <- function(b) sub("_snap_term$", "", b)
  bloc_on <- function(d) group(rok$bloc[max(which(as.Date(rok$term_start) <= d))])

  items <- list(); bins <- list()
  for (o in backtest_origins) {
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
        bins[[length(bins) + 1]] <- data.frame(origin = o, id = e, year = y, forecast = p,
          reference = mean(pre[[bin_events[[e]]]] > 0), observed = as.numeric(mis[[bin_events[[e]]]][mis$year == y] > 0))
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
      bins[[length(bins) + 1]] <- data.frame(origin = o, id = "rok_governing_bloc", year = y,
        forecast = p, reference = (1 - (1 - 2 * cc)^h) / 2, observed = as.numeric(bloc_on(as.Date(d)) != b0))
    }
  }
  it <- do.call(rbind, items); bn <- do.call(rbind, bins)
  ld <- it[it$name == "launch_days", ]

  skill <- function(s, r) if (sum(r) > 0) 1 - sum(s) / sum(r) else NA
  # the paired 95% interval of a CRPS skill over its years (as neasim score's totals: Student's t)
  paired <- function(s, r) { dd <- r - s
    pmin((mean(dd) + c(-1, 1) * qt(0.975, length(dd) - 1) * sd(dd) / sqrt(length(dd))) / mean(r), 1) }
  row_of <- function(lab, l, a, b) {
    ci <- paired(l$value.crps, l$reference_value.crps)
    data.frame(origin = lab, years = nrow(l), in_50 = mean(l$value.in_50), in_90 = mean(l$value.in_90), pit = mean(l$value.pit),
               crps_skill_ld = skill(l$value.crps, l$reference_value.crps), crps_ci_low = ci[1], crps_ci_high = ci[2],
               crps_skill_all = skill(a$value.crps, a$reference_value.crps),
               brier = mean((b$forecast - b$observed)^2), brier_ref = mean((b$reference - b$observed)^2),
               brier_skill = skill((b$forecast - b$observed)^2, (b$reference - b$observed)^2))
  }
  origins <- rbind(do.call(rbind, lapply(backtest_origins, function(o)
                     row_of(as.character(o), ld[ld$origin == o, ], it[it$origin == o, ], bn[bn$origin == o, ]))),
                   row_of("all", ld, it, bn))
  per_item <- do.call(rbind, lapply(unique(bn$id), function(g) { b <- bn[bn$id == g, ]
    data.frame(id = g, item = bin_label[[g]], years = nrow(b), yes = sum(b$observed),
               brier = mean((b$forecast - b$observed)^2), brier_ref = mean((b$reference - b$observed)^2),
               brier_skill = skill((b$forecast - b$observed)^2, (b$reference - b$observed)^2)) }))
  years <- data.frame(origin = ld$origin, window_start = ld$window_start, observed = ld$value.observed,
                      forecast = ld$value.forecast, pit = ld$value.pit, in_50 = ld$value.in_50, in_90 = ld$value.in_90)
  list(origins = origins, items = per_item, years = years)
}
