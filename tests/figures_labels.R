# Labels for people in the figures, from the built plots (ggplot_build; laid out as nsm_save draws
# them where a width is measured): the scenario's labels (labels.csv) name the outcomes, counted
# events, levels and arms of a labelled scenario (the baseline); a tornado's labels fit their rows
# (no label has more lines than a row's height holds, so that no two overlap, however long the
# labels: the baseline's parameter labels are built from its labels and run to 150 characters);
# and its value labels, measured in their font, stand apart in every panel.
#
# Usage: Rscript tests/figures_labels.R SCRIPTS_DIR RUN_DIR COMPARE_DIR OAT_DIR ALL_DIR FULL_OAT_DIR
#          STATE_DIR
#   RUN_DIR: neasim run of scenarios/baseline; COMPARE_DIR: neasim compare of two of its levers;
#   OAT_DIR: neasim sweep --oat of the baseline (a few parameters); ALL_DIR: neasim compare
#   --levers all of the baseline (nine arms); FULL_OAT_DIR: neasim sweep --oat of all the baseline's
#   uncertain numbers (its tornado pages' value labels are measured); STATE_DIR: neasim run of
#   scenarios/formal-alignment, a state outcome of which most runs start in.
# Prints one FAIL line per failed check and "labels: N passed, M failed"; exits 1 on a failure.

source("tests/figures_check.R")
args <- figure_test_args(7, paste("tests/figures_labels.R SCRIPTS_DIR RUN_DIR COMPARE_DIR OAT_DIR ALL_DIR",
                                   "FULL_OAT_DIR STATE_DIR"),
                         files = c("figures_run.R", "figures_compare.R", "figures_sweep.R",
                                   "figures_story.R"))

given <- function(dir, kind) {
    l <- read.csv(file.path(dir, "labels.csv"), stringsAsFactors = FALSE, na.strings = "NA")
    l[l$kind == kind & l$given == "yes", ]
}
axis_labels <- function(p, axis = "x") {
    b <- ggplot_build(p)
    flat(unlist(b$layout$panel_params[[1]][[axis]]$get_labels()))
}

# ---- a run: outcomes and events by their labels ---------------------------------------------
ctx <- suppressMessages(nsm_context(args[2]))
oc <- given(args[2], "outcome")
check(nrow(oc) == 15, paste("run: labels.csv gives", nrow(oc), "outcome labels, not 15"))
fig <- fig_outcomes_by_horizon(ctx)[[1]]
# coord_flip: the outcomes are drawn on the vertical axis
shown <- axis_labels(fig$plot, "y")
# an onset outcome (holds_at_start rows in outcomes.csv) is named "LABEL (onset)", and only those
onsets <- unique(ctx$outcomes$outcome[ctx$outcomes$measure == "holds_at_start"])
want <- flat(ifelse(oc$name %in% onsets, paste0(oc$label, " (onset)"), oc$label))
check(length(onsets) > 0 && setequal(shown, want),
      paste("headline chart: outcome labels", paste(setdiff(shown, want), collapse = " | ")))
# ... its subtitle says what "occurred" counts for each kind: a state outcome held at some time, an
# onset begun after the start (it once called every outcome "held at some time since the start")
sub_text <- flat(fig$plot$labels$subtitle)
check(grepl("held at some time since the start or, for an onset, begun after the start", sub_text) &&
          !grepl("Share of runs in which the outcome has held at some time since the start;", sub_text),
      paste("headline chart: the subtitle says", sub_text))
# ... a state outcome that some runs start in is named with that share, from outcomes.csv's first
# date ("Russia-China-DPRK coordinate (71% at the start)"), in the headline chart and the course's
# panels, and the subtitles say what the mark means (its 99% "by 2036" counted them unsaid before)
sc <- suppressMessages(nsm_context(args[7]))
so <- sc$outcomes
first <- so[so$measure == "occurred_by" & so$date == min(so$date), ]
son <- unique(so$outcome[so$measure == "holds_at_start"])
share <- stats::setNames(first$probability, first$outcome)
pct <- sprintf("%.0f%%", 100 * share)
want <- flat(ifelse(names(share) %in% son, paste0(nsm_label(names(share)), " (onset)"),
                    ifelse(share > 0, paste0(nsm_label(names(share)), " (", pct, " at the start)"),
                           nsm_label(names(share)))))
held_note <- "(N% at the start): a state that N% of runs start in, counted as occurred from the start."
sfig <- fig_outcomes_by_horizon(sc)[[1]]
shown <- axis_labels(sfig$plot, "y")
check(any(share[!names(share) %in% son] > 0.5) && setequal(shown, want) &&
          grepl(held_note, flat(sfig$plot$labels$subtitle), fixed = TRUE),
      paste("state run, headline chart: labels", paste(setdiff(shown, want), collapse = " | "),
            "not", paste(setdiff(want, shown), collapse = " | "), "; subtitle:",
            flat(sfig$plot$labels$subtitle)))
course <- fig_outcomes_over_time(sc)
strips <- unlist(lapply(course, function(f) flat(levels(ggplot_build(f$plot)$layout$layout$panel))))
check(length(course) > 0 && setequal(strips, want) &&
          all(vapply(course, function(f) grepl(held_note, flat(f$plot$labels$subtitle), fixed = TRUE), TRUE)),
      paste("state run, course: panels", paste(setdiff(strips, want), collapse = " | ")))
# ... and each line of their titles fits its panel, measured in its bold font (ggplot2 cuts a
# strip's text at the panel's edge: 16 outcomes make two pages of four columns, whose 15-point
# titles wrapped at 30 characters read "Cost-sharing agreement la", "Extended deterrence weak")
for (f in course) {
    lines <- unlist(strsplit(levels(ggplot_build(f$plot)$layout$layout$panel), "\n", fixed = TRUE))
    size <- calc_element("strip.text", nsm_theme() + f$plot$theme)$size
    w <- nsm_text_width(lines, size, "bold")
    panel <- sweep_panel_width(f$plot)
    check(length(course) == 2 && max(w) <= panel,
          sprintf("state run, %s: the strip line '%s' is %.2f in wide, its panel %.2f in", f$name,
                  lines[which.max(w)], max(w), panel))
}

# ... and its panels reach the horizon's end, as neasim's default horizons do: the run cut to 7
# years (as backtest-2015 runs) is shown at 2, 5 and 7 years (it stopped at 5, two years short)
cut <- ctx
cut$outcomes <- ctx$outcomes[ctx$outcomes$t_years <= 7.01, , drop = FALSE]
end7 <- max(cut$outcomes$date)
panels <- flat(levels(ggplot_build(fig_outcomes_by_horizon(cut)[[1]]$plot)$layout$layout$panel))
check(length(panels) == 3 && panels[3] == paste0("7 years (", format(end7, "%b %Y"), ")"),
      paste("headline chart of a 7-year run: panels", paste(panels, collapse = " | ")))

# ... and its value labels lie beyond the ends of the Monte Carlo intervals, not on their lines
bad_labels <- labels_on_intervals(ggplot_build(fig$plot))
check(length(bad_labels) == 0, paste("headline chart: value labels on the interval's line:",
                                     paste(utils::head(bad_labels, 3), collapse = "; ")))
ev <- given(args[2], "event")
fans <- fig_event_fans(ctx)
strips <- unique(unlist(lapply(fans, function(f) flat(levels(ggplot_build(f$plot)$layout$layout$panel)))))
check(length(fans) > 0 && all(strips %in% flat(ev$label)),
      paste("event fans: strips", paste(strips, collapse = " | ")))
# state probabilities: each level's end label is its label (wrapped)
lv <- given(args[2], "level")
st <- fig_state_probabilities(ctx)
texts <- unique(unlist(lapply(st, function(f) {
    b <- ggplot_build(f$plot)
    unlist(lapply(b$data, function(d) if ("label" %in% names(d)) flat(d$label)))
})))
check(length(texts) > 0 && all(texts %in% flat(lv$label)),
      paste("state probabilities: level labels", paste(setdiff(texts, flat(lv$label)), collapse = " | ")))
check("major withdrawal" %in% texts, "state probabilities: no 'major withdrawal' (the label of usfk_posture=major_withdrawal)")
# routes and signposts (and the brief's story section) name a step or an indicator by the labels
# of its factor and level: every level of the baseline, and one whose label is not its name in
# words (post_trump is "after Trump")
fl <- given(args[2], "factor")
steps <- paste0(lv$name, "=", lv$level)
want <- paste0(fl$label[match(lv$name, fl$name)], ": ", lv$label)
got <- nsm_indicator_label(steps)
check(identical(got, want), paste("route steps: level labels", paste(setdiff(got, want), collapse = " | ")))
check(identical(nsm_route_label("us_administration=post_trump -> usfk_posture=reduced"),
                "U.S. administration: after Trump \u2192 USFK posture: reduced"),
      paste("a route:", nsm_route_label("us_administration=post_trump -> usfk_posture=reduced")))

# ---- a comparison: arms by their levers' labels ---------------------------------------------
ctx <- suppressMessages(nsm_context(args[3]))
lev <- given(args[3], "lever")
arms <- setdiff(unique(ctx$levers$arm), "baseline")
want <- vapply(strsplit(arms, "+", fixed = TRUE),
               function(p) paste(lev$label[match(p, lev$name)], collapse = " + "), "")
p <- fig_lever_effects(ctx)[[1]]$plot
sc <- ggplot_build(p)$plot$scales$get_scales("colour")
check(setequal(flat(sc$get_labels()), flat(want)),
      paste("lever chart: legend", paste(flat(sc$get_labels()), collapse = " | "), "vs", paste(want, collapse = " | ")))
m <- fig_lever_matrix(ctx)[[1]]$plot
check(setequal(axis_labels(m, "x"), flat(want)),
      paste("lever matrix: columns", paste(axis_labels(m, "x"), collapse = " | ")))

# ---- a tornado: labels from parameters.csv, fitted to their rows ----------------------------
ctx <- suppressMessages(nsm_context(args[4]))
par <- read.csv(file.path(args[4], "parameters.csv"), stringsAsFactors = FALSE)
check(any(grepl("^Multiplier on .* while .*: x[0-9.]+ to x[0-9.]+$", par$label)),
      "parameters.csv: no modifier label built from the scenario's labels")
for (f in fig_tornado(ctx)) {
    b <- ggplot_build(f$plot)
    labs <- unlist(b$layout$panel_params[[1]]$y$get_labels())   # coord_flip: rows are vertical
    n <- length(labs)
    check(n >= 2 && any(grepl("Multiplier on USFK posture", labs)),
          sprintf("%s: rows %s", f$name, paste(flat(labs), collapse = " | ")))
    lines <- lengths(strsplit(labs, "\n", fixed = TRUE))
    check(all(lines <= tornado_max_lines(n)),
          sprintf("%s: a label of %d lines in a row of %d", f$name, max(lines), tornado_max_lines(n)))
    # the lines of the rows fit the panels' height
    check(max(lines) * n * TORNADO_LINE_PT <= TORNADO_PANEL_PT,
          sprintf("%s: %d rows of %d lines overlap", f$name, n, max(lines)))
    # and every label is its parameter's (parameters.csv), not the path
    check(!any(grepl("^(transitions|modifiers|factors|effects):", labs)),
          sprintf("%s: a label is a parameter path", f$name))
    # each horizon's value axis (zoomed to its swings) has ticks that read differently
    for (pp in b$layout$panel_params) {
        ticks <- flat(unlist(pp$x$get_labels()))
        check(!anyDuplicated(ticks[!is.na(ticks)]),
              sprintf("%s: value ticks repeat: %s", f$name, paste(ticks, collapse = " | ")))
        v <- suppressWarnings(as.numeric(sub("%", "", ticks, fixed = TRUE)))
        check(all(is.na(v) | (v >= 0 & v <= 100)),
              sprintf("%s: a probability tick outside 0-100%%: %s", f$name, paste(ticks, collapse = " | ")))
    }
}
# ... and, drawn as nsm_save draws it, no two value labels of a panel closer than TICK_GAP_MIN
# inches, on every tornado of this sweep and of a sweep of all the baseline's numbers, whose long
# labels leave each horizon a narrow panel (its 10-year panel of "Conservative ROK president" ran
# "90%100%" together)
TICK_GAP_MIN <- 0.05   # inches: about a space of the axis text
ticked <- 0
for (dir in args[c(4, 6)]) for (f in fig_tornado(suppressMessages(nsm_context(dir)))) {
    ext <- tick_label_extents(f, NSM_WIDTH, NSM_HEIGHT)
    for (ax in names(ext)) {
        d <- ext[[ax]]
        gap <- if (nrow(d) > 1) d$left[-1] - d$right[-nrow(d)] else Inf
        check(all(gap >= TICK_GAP_MIN),
              sprintf("%s/%s, %s: value labels %s only %.3f in apart", basename(dir), f$name, ax,
                      paste(d$label, collapse = " "), min(gap)))
        ticked <- ticked + 1
    }
}
check(ticked >= 30, sprintf("tornado value labels measured on %d panels only", ticked))
# the tornado says what its low and high values are (neasim's 5th and 95th percentiles, not the
# ends of a range), and marks an onset outcome (occurrence = onset in the scenario) "(onset)"
sc <- read.csv("scenarios/baseline/outcomes.csv", stringsAsFactors = FALSE, comment.char = "#")
onset_lab <- flat(nsm_label(sc$outcome[sc$occurrence == "onset"]))
for (f in fig_tornado(ctx)) {
    sub <- flat(f$plot$labels$subtitle)
    check(grepl("5th and 95th percentiles of its distribution", sub, fixed = TRUE) &&
              !grepl("ends of its range", sub, fixed = TRUE),
          sprintf("%s: the subtitle does not say the values are the 5th and 95th percentiles: %s", f$name, sub))
    title <- flat(f$plot$labels$title)
    lab <- sub("^What moves \u201c(.*?)( \\(onset\\))?\u201d: tornado$", "\\1", title)
    # the title names an outcome by its label and nothing more (a state outcome's read
    # "Conservative ROK presidentNA")
    check(lab %in% flat(nsm_label(sc$outcome)),
          sprintf("%s: title '%s' names no outcome of the scenario by its label", f$name, title))
    onset <- lab %in% onset_lab
    check(onset == grepl("(onset)\u201d", title, fixed = TRUE),
          sprintf("%s: title '%s' %s", f$name, title, if (onset) "lacks (onset)" else "says (onset)"))
}
# the onsets come from the folder itself (labels.csv), not from the scenario it was run on: with
# the manifest pointing nowhere (a folder moved to another machine) they are the same
moved <- ctx
moved$manifest[["scenario_path"]] <- "/nonexistent"
moved$manifest[["working_directory"]] <- "/nonexistent"
check(setequal(sweep_onsets(moved), sc$outcome[sc$occurrence == "onset"]),
      paste("sweep_onsets without the scenario:", paste(sweep_onsets(moved), collapse = ", ")))
# ... however narrow the zoom
check(identical(sweep_percent_labels(c(0.1325, 0.135, 0.1375)), c("13.25%", "13.50%", "13.75%")) &&
          identical(sweep_percent_labels(c(0.1, 0.2, NA)), c("10%", "20%", NA)),
      paste("sweep_percent_labels:", paste(sweep_percent_labels(c(0.1325, 0.135, 0.1375)),
                                           collapse = " | ")))
# long labels are wrapped within the lines a row holds, cut with an ellipsis beyond
long <- c(strrep("word ", 60), "short")
fit <- tornado_fit(long, 10)
check(all(lengths(strsplit(fit, "\n")) <= tornado_max_lines(10)) && grepl("\u2026$", fit[1]),
      paste("tornado_fit:", fit[1]))

# changes in percentage points are written as the C briefing writes them (nsm_pp): 0.0 only for
# an exact zero, so that an interval that excludes zero never ends at 0.0; ties half away from
# zero (-1.65: -1.7, where sprintf gives -1.6); never in scientific notation
check(exists("nsm_pp") &&
          identical(nsm_pp(c(0, -0, -0.031, 0.004151, -0.25, 3.14159, 0.05, -1.65, 1.85, -2e-05,
                             0.0096, 0.025, NA)),
                    c("0.0", "0.0", "-0.03", "+0.004", "-0.3", "+3.1", "+0.1", "-1.7", "+1.9",
                      "-0.00002", "+0.01", "+0.03", "NA")) &&
          identical(nsm_pp(c(0.004151, 0.3958, 1.65), sign = FALSE), c("0.004", "0.4", "1.7")),
      "nsm_pp: a near-zero change is not written with a significant digit, or a tie not away from zero")
# Sobol: a first-order interval wholly above its total's is named (it cannot hold: first <= total);
# one that overlaps is noise the subtitle explains in general, not named
sob <- data.frame(parameter = rep(c("p1", "p2"), each = 2), horizon_years = 10,
                  index = rep(c("first", "total"), 2), estimate = c(0.02, 0.001, 0.4, 0.38),
                  ci_low = c(0.01, 0.0006, 0.3, 0.3), ci_high = c(0.03, 0.0015, 0.5, 0.45))
check(identical(sensitivity_first_above_total(sob), "p1"),
      paste("sensitivity_first_above_total:", paste(sensitivity_first_above_total(sob), collapse = ", ")))
# a range of probabilities: ends that differ read differently, and none reads 0 or 100 unless it is
check(identical(nsm_pct_range(c(0.58, 0.992, 0.67, 0, 0.001, 1, 0.2), c(0.60, 0.996, 0.996, 0.004, 0.002, 1, 0.2)),
                c("58\u201360", "99.2\u201399.6", "67.0\u201399.6", "0.0\u20130.4", "0.1\u20130.2",
                  "100\u2013100", "20\u201320")),
      paste("nsm_pct_range:", paste(nsm_pct_range(c(0.992, 0.67), c(0.996, 0.996)), collapse = ", ")))

# ---- captions say what "runs" counts: per arm in a comparison, per point over the points of a sweep
cap <- function(dir) flat(suppressMessages(nsm_context(dir))$caption)
man <- function(dir, k) { m <- read.csv(file.path(dir, "manifest.csv"), stringsAsFactors = FALSE)
                          m$value[m$key == k] }
want <- paste0(format(as.numeric(man(args[3], "runs")), big.mark = ","), " runs per arm")
check(grepl(want, cap(args[3]), fixed = TRUE), paste("compare caption lacks", want, ":", cap(args[3])))
want <- sprintf("%s runs per point \u00d7 %s points", man(args[4], "runs_per_point"), man(args[4], "sweep_points"))
check(grepl(want, cap(args[4]), fixed = TRUE), paste("sweep caption lacks", want, ":", cap(args[4])))
check(grepl("2,000 runs \u00b7 seed", cap(args[2]), fixed = TRUE), paste("run caption:", cap(args[2])))

# ---- compare --levers all: the per-year fans draw every arm, and say what the white dot is ----
ctx <- suppressMessages(nsm_context(args[5]))
yr <- ctx$events[ctx$events$window == "year", , drop = FALSE]
want <- unique(yr$arm)
figs <- suppressMessages(fig_event_year_fans(ctx))
drawn <- character(0)
for (f in figs) {
    b <- ggplot_build(f$plot)
    leg <- legend_of(b, "colour")
    # the arms whose colours are in the drawn bars, by the legend's key
    cols <- unique(unlist(lapply(b$data, function(d) if ("colour" %in% names(d)) d$colour)))
    drawn <- union(drawn, leg$key[leg$value %in% cols])
    check(grepl("white dot: median", flat(b$plot$labels$subtitle), fixed = TRUE),
          sprintf("%s: the subtitle does not say what the white dot is: %s", f$name,
                  flat(b$plot$labels$subtitle)))
}
check(length(want) == 9 && setequal(drawn, want),
      sprintf("events_per_year: %d of the %d arms drawn; missing %s", length(drawn), length(want),
              paste(setdiff(want, drawn), collapse = ", ")))
# every part in the brief, as each shows a few arms only (the first alone showed 3 of 8 levers)
check(all(vapply(figs, function(f) f$brief, NA)), "events_per_year: a part left out of the brief")
# ... and the lever matrix's column labels each fit their column on the slide, measured in their
# font at their size: "NCG institutionalised" (a word of 17 letters, 1.1 in) was wider than its
# column (1.0 in) and ran into the next label
for (f in fig_lever_matrix(ctx)) {
    p <- f$plot
    labs <- levels(ggplot_build(p)$plot$data$arm_lab)
    column <- sweep_panel_width(p) / length(labs)
    size <- calc_element("axis.text.x.top", nsm_theme() + p$theme)$size
    w <- nsm_text_width(unlist(strsplit(labs, "\n", fixed = TRUE)), size)
    check(length(labs) == 8 && max(w) <= column,
          sprintf("%s: a column label %.2f in wide in columns of %.2f in (%s)", f$name, max(w),
                  column, labs[which.max(vapply(strsplit(labs, "\n", fixed = TRUE), function(l)
                      max(nsm_text_width(l, size)), 0))]))
}

figure_test_done("labels")
