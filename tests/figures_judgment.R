# Do the figures draw the judgment ranges the tables hold? Builds the figures of `run --outer` (the
# headline chart and outcomes over time) and
# `compare --outer` results of tests/models/judgment (without drawing them) and checks, from the
# built plots (ggplot_build), that each judgment band's bounds are the CSV's numbers at the right
# outcome, horizon and arm, that the Monte Carlo interval beside it is still the Monte Carlo one,
# and that the legend or subtitle says which band is which.
#
# A judgment range that is mostly the Monte Carlo noise of a draw (the tables' judgment_mostly_noise)
# is drawn apart: grey with a legend entry of its own (run), fainter (compare), the subtitle saying
# so; checked on NOISY_RUN_DIR and NOISY_COMPARE_DIR, whose few runs a draw make some or all so.
#
# Usage: Rscript tests/figures_judgment.R SCRIPTS_DIR RUN_DIR COMPARE_DIR BASELINE_OUTER_DIR \
#            NOISY_RUN_DIR NOISY_COMPARE_DIR
#   RUN_DIR: `neasim run --outer`; COMPARE_DIR: `neasim compare --outer` (tests/figures.sh);
#   BASELINE_OUTER_DIR: `neasim run --outer` of scenarios/baseline (onset outcomes);
#   NOISY_RUN_DIR: `run --outer` of scenarios/baseline with few runs a draw; NOISY_COMPARE_DIR:
#   `compare --outer` of tests/models/judgment with few runs a draw
# Prints one FAIL line per failed check and "judgment: N passed, M failed"; exits 1 on a failure.

source("tests/figures_check.R")
args <- figure_test_args(6, paste("tests/figures_judgment.R SCRIPTS_DIR RUN_DIR COMPARE_DIR",
                                  "BASELINE_OUTER_DIR NOISY_RUN_DIR NOISY_COMPARE_DIR"))

same <- function(a, b) length(a) == length(b) && length(a) > 0 && all(abs(a - b) < 1e-9)

figure <- function(fun, ctx, name) ggplot_build(figures_of(fun, ctx)[[name]]$plot)
panel_labels <- function(b) {
    lay <- b$layout$layout
    stats::setNames(flat(as.character(lay$panel)), lay$PANEL)
}

# ---- run --outer: the headline chart ---------------------------------------------------------
ctx <- nsm_context(args[2])
b <- figure("fig_outcomes_by_horizon", ctx, "outcomes_by_horizon")
bad_labels <- labels_on_intervals(b)
check(length(bad_labels) == 0, paste("run: value labels on the Monte Carlo interval's line:",
                                     paste(utils::head(bad_labels, 3), collapse = "; ")))
u <- nsm_read(args[2], "uncertainty")
sc <- b$plot$scales$get_scales("colour")
check(!is.null(sc), "run: the headline chart has no legend for its bands")
if (!is.null(sc)) {
    key <- stats::setNames(as.character(sc$map(sc$get_breaks())), flat(sc$get_labels()))
    jcol <- key[grepl("^Judgment range", names(key))]
    mcol <- key[grepl("^95% Monte Carlo", names(key))]
    check(length(jcol) == 1 && length(mcol) == 1 && jcol != mcol,
          "run: the legend names one judgment band and one Monte Carlo interval, in two colours")
    # every layer row in the judgment colour: its panel's date and its bounds are uncertainty.csv's
    labs <- panel_labels(b)
    hz <- unique(u[, c("horizon_years", "date")])
    n_band <- 0
    for (i in seq_along(b$data)) {
        d <- b$data[[i]]
        if (!("colour" %in% names(d)) || !("ymin" %in% names(d))) next
        for (r in seq_len(nrow(d))) {
            lab <- labs[[as.character(d$PANEL[r])]]
            date <- hz$date[format(hz$date, "%b %Y") == sub(".*\\((.*)\\)$", "\\1", lab)]
            if (d$colour[r] %in% jcol) {
                n_band <- n_band + 1
                want <- u[u$outcome == "moved" & u$date %in% date, ]
                check(same(c(d$ymin[r], d$ymax[r]), c(want$q05, want$q95)),
                      sprintf("run: judgment band in panel '%s' is %g-%g, uncertainty.csv %s",
                              lab, d$ymin[r], d$ymax[r],
                              paste(want$q05, want$q95, collapse = " ")))
            } else if (d$colour[r] %in% mcol) {
                # the interval of the mean over the draws (the draws counted as a sample)
                want <- u[u$outcome == "moved" & u$date %in% date, ]
                check(same(c(d$ymin[r], d$ymax[r]), c(want$mean_ci_low, want$mean_ci_high)),
                      sprintf("run: Monte Carlo interval in panel '%s' is not uncertainty.csv's mean_ci",
                              lab))
            }
        }
    }
    check(n_band >= 1, "run: no judgment band drawn")
}
check(grepl("judgment range", b$plot$labels$subtitle, ignore.case = TRUE) &&
          grepl("Monte Carlo", b$plot$labels$subtitle),
      "run: the subtitle says which band is which")

# ---- run --outer: outcomes over time, a whisker at each horizon of uncertainty.csv -----------
b <- figure("fig_outcomes_over_time", ctx, "outcomes_over_time")
sc <- b$plot$scales$get_scales("colour")
check(!is.null(sc) && grepl("^Judgment range", flat(sc$get_labels())),
      "run over time: the whiskers' legend entry names the judgment range")
fl <- b$plot$scales$get_scales("fill")
check(!is.null(fl) && grepl("Monte Carlo", flat(fl$get_labels())),
      "run over time: the ribbon's legend entry names the Monte Carlo interval")
if (!is.null(sc)) {
    jcol <- as.character(sc$map(sc$get_breaks()))
    rows <- do.call(rbind, lapply(seq_along(b$data), function(i) {
        d <- b$data[[i]]
        if (!("colour" %in% names(d)) || !("ymin" %in% names(d))) return(NULL)
        d <- d[d$colour %in% jcol, , drop = FALSE]   # a ribbon's outline colour is NA
        if (nrow(d) == 0) NULL else data.frame(date = as.Date(d$x, origin = "1970-01-01"),
                                               ymin = d$ymin, ymax = d$ymax)
    }))
    check(!is.null(rows) && nrow(rows) == nrow(u),
          sprintf("run over time: %d whiskers for %d rows of uncertainty.csv",
                  if (is.null(rows)) 0L else nrow(rows), nrow(u)))
    for (k in seq_len(nrow(u))) {
        r <- rows[rows$date == u$date[k], , drop = FALSE]
        check(same(c(r$ymin, r$ymax), c(u$q05[k], u$q95[k])),
              sprintf("run over time: the whisker at %s is not uncertainty.csv's %g-%g",
                      format(u$date[k]), u$q05[k], u$q95[k]))
    }
}

# ---- compare --outer: the lever chart --------------------------------------------------------
ctx <- nsm_context(args[3])
b <- figure("fig_lever_effects", ctx, "lever_effects")
ud <- nsm_read(args[3], "uncertainty_differences")
br <- nsm_read(args[3], "briefing")
sc <- b$plot$scales$get_scales("colour")
arm_colour <- stats::setNames(as.character(sc$map(sc$get_breaks())), sc$get_breaks())
labs <- panel_labels(b)
horizon_of <- function(lab) {
    hz <- unique(ud[, c("horizon_years", "date")])
    hz$horizon_years[flat(nsm_horizon_label(hz$horizon_years, hz$date)) == lab]
}
n_band <- 0
n_mc <- 0
for (i in seq_along(b$data)) {
    d <- b$data[[i]]
    if (!("ymin" %in% names(d)) || !("colour" %in% names(d))) next
    band <- "alpha" %in% names(b$plot$layers[[i]]$mapping)   # the judgment bars' layer
    for (r in seq_len(nrow(d))) {
        arm <- names(arm_colour)[arm_colour == d$colour[r]]
        h <- horizon_of(labs[[as.character(d$PANEL[r])]])
        if (band) {
            n_band <- n_band + 1
            want <- ud[ud$arm == arm & ud$horizon_years == h & ud$outcome == "moved", ]
            check(same(c(d$ymin[r], d$ymax[r]), 100 * c(want$judgment_q05, want$judgment_q95)),
                  sprintf("compare: judgment band of %s at %g years is %g-%g, the table's %s",
                          paste(arm, collapse = "/"), h, d$ymin[r], d$ymax[r],
                          paste(100 * want$judgment_q05, 100 * want$judgment_q95)))
            check(identical(d$alpha[r] < 0.3, identical(want$judgment_mostly_noise, "yes")),
                  sprintf("compare: judgment band of %s at %g years drawn with alpha %g, %s",
                          paste(arm, collapse = "/"), h, d$alpha[r],
                          paste("judgment_mostly_noise", want$judgment_mostly_noise)))
        } else if (is.na(d$ymin[r]) || d$ymin[r] != d$ymax[r]) {
            n_mc <- n_mc + 1
            want <- br[br$arm == arm & br$horizon_years == h & br$outcome == "moved", ]
            check(same(c(d$ymin[r], d$ymax[r]), c(want$ci_low_pp, want$ci_high_pp)),
                  sprintf("compare: Monte Carlo interval of %s at %g years is not briefing.csv's",
                          paste(arm, collapse = "/"), h))
        }
    }
}
check(n_band == nrow(ud), sprintf("compare: %d judgment bands for %d rows of the table", n_band,
                                  nrow(ud)))
check(grepl("judgment range", b$plot$labels$subtitle, ignore.case = TRUE) &&
          grepl("Monte Carlo", b$plot$labels$subtitle),
      "compare: the subtitle says which band is which")
# the effects over time: the ribbon is differences.csv's, which with --outer is the mean's
ot <- figures_of("fig_lever_effects_over_time", ctx)[[1]]$plot
check(grepl("95% interval of the mean over the 12 draws", flat(ot$labels$subtitle), fixed = TRUE),
      paste("compare: the effects-over-time subtitle does not say its interval is the mean's:",
            flat(ot$labels$subtitle)))

# ---- run --outer: what the shaded bands are, and the onset note ------------------------------
# the state probabilities' ribbon is the interval of the mean over the draws, not "simulation error
# only"; the outcomes' course keeps the onset note of a scenario with onsets (the baseline)
for (dir in c(args[2], args[4])) {
    cx <- suppressMessages(nsm_context(dir))
    n <- nsm_get(cx$manifest, "outer_draws", "?")
    for (f in suppressMessages(fig_state_probabilities(cx))) {
        sub <- flat(f$plot$labels$subtitle)
        check(grepl(paste0("of the mean over the ", n, " draws"), sub, fixed = TRUE) &&
                  !grepl("simulation error only", sub, fixed = TRUE),
              sprintf("%s/%s: the subtitle misnames the band: %s", basename(dir), f$name, sub))
    }
}
# ... and the caption what its runs are: the draws times the runs of each
cx <- suppressMessages(nsm_context(args[2]))
m <- read.csv(file.path(args[2], "manifest.csv"), stringsAsFactors = FALSE)
n <- as.numeric(m$value[m$key == "outer_draws"]); runs <- as.numeric(m$value[m$key == "runs"])
want <- sprintf("%s runs (%d draws \u00d7 %d)", format(runs, big.mark = ","), n, runs / n)
check(grepl(want, flat(cx$caption), fixed = TRUE), paste("run --outer caption lacks", want, ":", flat(cx$caption)))
cx <- suppressMessages(nsm_context(args[4]))
check(length(nsm_onsets(cx$outcomes)) > 0, "baseline --outer: no onset outcomes")
for (f in suppressMessages(fig_outcomes_over_time(cx)))
    check(grepl("(onset): only a change into the outcome", flat(f$plot$labels$subtitle), fixed = TRUE),
          sprintf("baseline --outer/%s: no onset note in the subtitle", f$name))

# ---- mostly noise: drawn apart, and said -----------------------------------------------------
# run --outer of the baseline at few runs a draw: every band of the headline chart is uncertainty.csv's
# row at its panel's date with the same bounds and the same kind (grey: mostly noise), the legend
# has the entry "Mostly Monte Carlo noise" and the subtitle says what grey is; and both kinds occur
cx <- suppressMessages(nsm_context(args[5]))
un <- nsm_read(args[5], "uncertainty")
un$noise <- nsm_mostly_noise(un)
b <- figure("fig_outcomes_by_horizon", cx, "outcomes_by_horizon")
sc <- b$plot$scales$get_scales("colour")
key <- stats::setNames(as.character(sc$map(sc$get_breaks())), flat(sc$get_labels()))
ncol_ <- key[grepl("^Mostly Monte Carlo noise", names(key))]
jcol <- key[grepl("^Judgment range", names(key))]
check(length(ncol_) == 1 && length(jcol) == 1 && ncol_ != jcol,
      paste("noisy run: the legend names the noise and the judgment bands apart:",
            paste(names(key), collapse = " | ")))
labs <- panel_labels(b)
kinds <- character(0)
for (i in seq_along(b$data)) {
    d <- b$data[[i]]
    if (!("colour" %in% names(d)) || !("ymin" %in% names(d))) next
    for (r in seq_len(nrow(d))) {
        if (!d$colour[r] %in% c(jcol, ncol_)) next
        lab <- labs[[as.character(d$PANEL[r])]]
        at <- un[format(un$date, "%b %Y") == sub(".*\\((.*)\\)$", "\\1", lab) &
                 abs(un$q05 - d$ymin[r]) < 1e-9 & abs(un$q95 - d$ymax[r]) < 1e-9, , drop = FALSE]
        noise <- d$colour[r] %in% ncol_
        kinds <- c(kinds, if (noise) "noise" else "judgment")
        check(nrow(at) >= 1 && any(at$noise == noise),
              sprintf("noisy run: a %s band %g-%g in panel '%s' is no such row of uncertainty.csv",
                      if (noise) "grey" else "blue", d$ymin[r], d$ymax[r], lab))
    }
}
check(all(c("noise", "judgment") %in% kinds),
      paste("noisy run: bands of both kinds drawn:", paste(unique(kinds), collapse = ", ")))
check(grepl("grey where it is mostly the Monte Carlo noise", flat(b$plot$labels$subtitle), fixed = TRUE),
      "noisy run: the subtitle does not say what a grey band is")
# ... and outcomes over time: its whiskers grey as their rows say, with a legend entry
b <- figure("fig_outcomes_over_time", cx, "outcomes_over_time")
sc <- b$plot$scales$get_scales("colour")
key <- stats::setNames(as.character(sc$map(sc$get_breaks())), flat(sc$get_labels()))
check(sum(grepl("^Mostly Monte Carlo noise", names(key))) == 1,
      "noisy run over time: no legend entry for the noise whiskers")
n_grey <- sum(vapply(b$data, function(d) if ("colour" %in% names(d) && "ymin" %in% names(d))
    sum(d$colour %in% key[grepl("^Mostly Monte Carlo noise", names(key))]) else 0L, 0L))
shown <- un[un$outcome %in% unique(b$plot$data$outcome), , drop = FALSE]
check(n_grey == sum(shown$noise),
      sprintf("noisy run over time: %d grey whiskers, %d rows of uncertainty.csv mostly noise",
              n_grey, sum(shown$noise)))
# the run of RUN_DIR (300 runs a draw) has no such band, and says nothing of it
b <- figure("fig_outcomes_by_horizon", nsm_context(args[2]), "outcomes_by_horizon")
check(!grepl("Mostly Monte Carlo noise", paste(flat(b$plot$scales$get_scales("colour")$get_labels()),
                                               collapse = " ")) &&
          !grepl("mostly the Monte Carlo noise", flat(b$plot$labels$subtitle), fixed = TRUE),
      "run: a legend entry or subtitle for noise where no range is noise")
# compare --outer of the judgment model at 5 runs a draw: every bar fainter, and said so
cx <- suppressMessages(nsm_context(args[6]))
ud <- nsm_read(args[6], "uncertainty_differences")
b <- figure("fig_lever_effects", cx, "lever_effects")
i <- which(vapply(b$plot$layers, function(l) "alpha" %in% names(l$mapping), TRUE))
check(length(i) == 1 && all(b$data[[i]]$alpha < 0.3) && nrow(b$data[[i]]) == nrow(ud) &&
          all(ud$judgment_mostly_noise == "yes"),
      "noisy compare: not every bar fainter though every range is mostly noise")
check(grepl("a fainter bar is mostly the Monte Carlo noise", flat(b$plot$labels$subtitle), fixed = TRUE),
      "noisy compare: the subtitle does not say what a fainter bar is")

# ---- few draws: the subtitles say what they do ----------------------------------------------
# Below neasim's NSM_CLI_FEW_DRAWS (src/cli/cli.h) draws the 95% intervals that count the draws run
# narrow, and below 71 a 5-95% judgment range holds on average 90 (N - 1) / (N + 1) percent
# (rounded half up, at most 87) of the values a draw can give: the printed summaries say so, and
# the subtitles of the figures that show such intervals or ranges end with one sentence saying it,
# computed here on its own from the draws.
few <- as.integer(sub(".*NSM_CLI_FEW_DRAWS = ([0-9]+).*", "\\1",
                      grep("NSM_CLI_FEW_DRAWS = ", readLines("src/cli/cli.h"), value = TRUE)))
few_sentence <- function(n, ranges) {
    pct <- (180 * (n - 1) + n + 1) %/% (2 * (n + 1))
    said <- c(if (n < few) paste("the 95% intervals run narrow (in tests about 9 in 10 of them,",
                                 "not 95 in 100, held the true value)"),
              if (ranges && pct <= 87)
                  sprintf(paste("a judgment range holds on average about %d%% of the values a",
                                "draw can give, not 90%%"), pct))
    if (length(said)) paste0(" From only ", n, " draws ", paste(said, collapse = " and "), ".")
    else ""
}
says <- function(plot, want, what) {
    sub <- gsub("\n", " ", flat(plot$labels$subtitle))
    check(nzchar(want) && grepl(want, paste0(" ", sub), fixed = TRUE),
          sprintf("few draws: the %s subtitle does not end with '%s': '%s'", what, want, sub))
}
cx <- suppressMessages(nsm_context(args[2]))
n <- as.integer(nsm_get(cx$manifest, "outer_draws"))
says(figure("fig_outcomes_by_horizon", cx, "outcomes_by_horizon")$plot, few_sentence(n, TRUE),
     "run headline")
says(figure("fig_outcomes_over_time", cx, "outcomes_over_time")$plot, few_sentence(n, TRUE),
     "run over time")
for (f in suppressMessages(fig_state_probabilities(cx)))
    says(f$plot, few_sentence(n, FALSE), "state probabilities")
cx <- suppressMessages(nsm_context(args[3]))
n <- as.integer(nsm_get(cx$manifest, "outer_draws"))
says(figure("fig_lever_effects", cx, "lever_effects")$plot, few_sentence(n, TRUE), "lever effects")
forest <- figure("fig_lever_forest", cx, "lever_forest")$plot
says(forest, few_sentence(n, TRUE), "lever forest")
# which outcomes its panels are: here the model's one (it read "The 1 outcomes the levers move
# most"), and the words for some left out, for all of several, and for scenarios compared
check(grepl("The scenario's one outcome.", gsub("\n", " ", flat(forest$labels$subtitle)),
            fixed = TRUE),
      "lever forest: the subtitle does not say that its panel is the model's one outcome")
words_for <- function(scn) list(scenarios = scn, one = if (scn) "scenario" else "lever")
for (case in list(list(6, 12, FALSE, paste("The 6 of 12 outcomes the levers move most; every",
                                           "outcome: the lever matrix.")),
                  list(4, 4, FALSE, "All 4 outcomes."),
                  list(1, 1, TRUE, "The one outcome the scenarios share."),
                  list(3, 9, TRUE, paste("The 3 of 9 outcomes that differ most; every outcome:",
                                         "the scenario matrix."))))
    check(identical(forest_outcomes_words(case[[1]], case[[2]], words_for(case[[3]])), case[[4]]),
          sprintf("lever forest: %d of %d outcomes (scenarios %s) read '%s'", case[[1]], case[[2]],
                  case[[3]], forest_outcomes_words(case[[1]], case[[2]], words_for(case[[3]]))))
says(figures_of("fig_lever_effects_over_time", cx)[[1]]$plot, few_sentence(n, FALSE),
     "effects over time")
# from 30 draws only the range's share, from 71 nothing, and nothing without --outer
for (m in list(c(outer_draws = "40", judgment_range_coverage = "0.8561"),
               c(outer_draws = "71", judgment_range_coverage = "0.8750"),
               c(outer_draws = "29", judgment_range_coverage = "0.8400"),
               c(runs = "1000")))
    for (r in c(TRUE, FALSE)) {
        n <- suppressWarnings(as.integer(m["outer_draws"]))
        want <- if (is.na(n)) "" else few_sentence(n, r)
        check(identical(nsm_few_draws_sentence(m, r), want),
              sprintf("few draws: %s draws (ranges %s) say '%s', not '%s'", m[1], r,
                      nsm_few_draws_sentence(m, r), want))
    }

figure_test_done("judgment")
