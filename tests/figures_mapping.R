# Do the figures say what the data say? Builds every figure of real neasim results (without
# drawing it) and checks, from the built plot (ggplot_build), that each legend entry, facet strip
# and axis label sits on the data it names. The results come from tests/models/known_levers,
# where each lever moves exactly one outcome (and one counted event) by a large amount:
#   amplify_a -> a_on, alarm_a;   boost_b -> b_on, alarm_b;   widen_c -> c_on, alarm_c
# so in a panel (or row) about outcome or event "x", the series that stands out must be the one
# whose legend entry names the lever of x, and the baseline's series is never above another.
# The compare runs its arms in an order that is neither alphabetical nor the lever file's
# (widen_c, amplify_a, boost_b), so that no lucky order can hide a label attached by position.
#
# Usage: Rscript tests/figures_mapping.R SCRIPTS_DIR RUN_DIR COMPARE_DIR OAT_DIR SOBOL_DIR RING_DIR
#   RUN_DIR, COMPARE_DIR: `neasim run` and `neasim compare` of known_levers; OAT_DIR, SOBOL_DIR: its
#   `sweep --oat` and `sweep --sobol`; RING_DIR: a `sweep --oat` whose outcome several numbers move
#   (tests/figures.sh's ring model), for the order of tornado bars.
# Prints one FAIL line per failed check and "mapping: N passed, M failed"; exits 1 on a failure.

source("tests/figures_check.R")
args <- figure_test_args(6, paste("tests/figures_mapping.R SCRIPTS_DIR RUN_DIR COMPARE_DIR OAT_DIR",
                                   "SOBOL_DIR RING_DIR"))
dirs <- list(run = args[2], compare = args[3], oat = args[4], sobol = args[5], ring = args[6])

# ---- the known answer -----------------------------------------------------------------------

# What each arm is called in a legend or strip (written out, not computed by the scripts)
ARM_TEXT <- c(baseline = "Baseline", widen_c = "Widen c", amplify_a = "Amplify a",
              boost_b = "Boost b")
# The arm that moves the outcome or event about switch x
TARGET <- c(a = "amplify_a", b = "boost_b", c = "widen_c")

# The switch ("a", "b" or "c") a panel, row or axis label is about: "A on" and "Alarm a" -> "a".
switch_of <- function(label) {
    vapply(tolower(flat(label)), function(s) {
        w <- strsplit(s, " ", fixed = TRUE)[[1]]
        w <- w[w %in% names(TARGET)]
        if (length(w) == 1) w else NA_character_
    }, "", USE.NAMES = FALSE)
}

# The arm a legend or strip label names (NA for a label that names no arm).
arm_of <- function(label) names(ARM_TEXT)[match(flat(label), ARM_TEXT)]

# Rows of every layer that maps `aes` from the data (not a fixed colour), with a `level`: the
# value at the row (y, else the middle of ymin-ymax).
mapped_rows <- function(b, aes) {
    out <- list()
    for (i in seq_along(b$data)) {
        d <- b$data[[i]]
        if (!(aes %in% names(d)) || aes %in% names(b$plot$layers[[i]]$aes_params)) next
        lev <- if ("y" %in% names(d) && !all(is.na(d$y))) d$y else (d$ymin + d$ymax) / 2
        r <- data.frame(layer = i, PANEL = as.integer(d$PANEL), x = as.numeric(d$x),
                        value = as.character(d[[aes]]), level = lev, stringsAsFactors = FALSE)
        out[[length(out) + 1]] <- r[!is.na(r$value), ]   # a ribbon's outline is not drawn
    }
    do.call(rbind, out)
}

# A facet's label of each panel (the first facet variable).
panel_labels <- function(b, var = "panel") {
    lay <- b$layout$layout
    stats::setNames(as.character(lay[[var]]), lay$PANEL)
}

# Labels of the discrete x positions 1, 2, ... of a built plot.
x_labels <- function(b) flat(b$layout$panel_scales_x[[1]]$get_labels())
y_labels <- function(b) flat(b$layout$panel_scales_y[[1]]$get_labels())

# The arm legend check. `cell_of(b, rows)` names the switch each mapped row is about; within a
# cell (and panel) the series with the highest level must carry the colour of the legend entry
# that names the switch's lever, and the baseline's entry the colour of a lowest series.
check_arm_legend <- function(fig, aes, cell_of) {
    b <- ggplot_build(fig$plot)
    leg <- legend_of(b, aes)
    what <- paste0(fig$name, " (", aes, ")")
    if (is.null(leg)) return(check(FALSE, paste(what, ": no", aes, "scale")))
    check(all(!is.na(arm_of(leg$label))), paste(what, ": legend labels", paste(leg$label, collapse = ", ")))
    rows <- mapped_rows(b, aes)
    rows$cell <- cell_of(b, rows)
    rows <- rows[!is.na(rows$cell), , drop = FALSE]
    check(all(rows$value %in% leg$value),
          paste(what, ": colours in the data but not in the legend:",
                paste(setdiff(rows$value, leg$value), collapse = " ")))
    for (key in unique(paste(rows$PANEL, rows$cell))) {
        r <- rows[paste(rows$PANEL, rows$cell) == key, , drop = FALSE]
        s <- tapply(r$level, r$value, mean, na.rm = TRUE)
        s <- sort(s, decreasing = TRUE)
        sw <- r$cell[1]
        ok_gap <- length(s) >= 2 && s[1] - s[2] > 1e-6
        check(ok_gap, paste(what, ": panel", key, "has no series that stands out"))
        top <- names(s)[1]
        want <- leg$value[match(ARM_TEXT[[TARGET[[sw]]]], leg$label)]
        check(identical(top, want),
              sprintf("%s: in the panel of switch %s the series that moves has colour %s, which the legend calls '%s'; '%s' has %s",
                      what, sw, top, paste(leg$label[leg$value == top], collapse = "/"),
                      ARM_TEXT[[TARGET[[sw]]]], want))
        if ("Baseline" %in% leg$label) {
            base <- leg$value[leg$label == "Baseline"]
            check(base %in% names(s) && s[[base]] <= min(s) + 1e-9,
                  paste(what, ": the baseline's colour is not on a lowest series in panel", key))
        }
    }
}

# cells: a facet per outcome or event, or an outcome per discrete x position (dot charts)
by_panel <- function(b, rows) switch_of(panel_labels(b)[as.character(rows$PANEL)])
by_x <- function(b, rows) switch_of(x_labels(b)[round(rows$x)])

ctx <- list(compare = nsm_context(dirs$compare), run = nsm_context(dirs$run))

# ---- arms: every chart with an arm legend ---------------------------------------------------

cmp <- c(figures_of("fig_outcomes_by_horizon", ctx$compare),
         figures_of("fig_outcomes_over_time", ctx$compare),
         figures_of("fig_lever_effects", ctx$compare),
         figures_of("fig_lever_effects_over_time", ctx$compare),
         figures_of("fig_lever_event_effects", ctx$compare),
         figures_of("fig_event_year_fans", ctx$compare))
for (name in c("outcomes_by_horizon", "outcomes_over_time", "lever_effects",
               "lever_effects_over_time", "lever_event_effects", "events_per_year"))
    check(name %in% names(cmp), paste("compare: no figure", name))
check_arm_legend(cmp$outcomes_by_horizon, "colour", by_x)
check_arm_legend(cmp$outcomes_over_time, "colour", by_panel)
check_arm_legend(cmp$outcomes_over_time, "fill", by_panel)
check_arm_legend(cmp$lever_effects, "colour", by_x)
check_arm_legend(cmp$lever_effects_over_time, "colour", by_panel)
check_arm_legend(cmp$lever_effects_over_time, "fill", by_panel)
check_arm_legend(cmp$lever_event_effects, "colour", by_panel)
check_arm_legend(cmp$lever_event_effects, "fill", by_panel)
check_arm_legend(cmp$events_per_year, "colour", by_panel)

# Dot charts: each point sits on its own interval (same dodged row, same colour, inside it).
check_points_on_intervals <- function(fig) {
    b <- ggplot_build(fig$plot)
    geoms <- vapply(b$plot$layers, function(l) class(l$geom)[1], "")
    ranges <- do.call(rbind, b$data[geoms == "GeomLinerange"])
    points <- do.call(rbind, b$data[geoms == "GeomPoint"])
    for (i in seq_len(nrow(points))) {
        r <- ranges[ranges$PANEL == points$PANEL[i] & abs(ranges$x - points$x[i]) < 1e-9 &
                    ranges$colour == points$colour[i], ]
        check(nrow(r) == 1 && points$y[i] >= r$ymin - 1e-9 && points$y[i] <= r$ymax + 1e-9,
              sprintf("%s: the point at row %.3f (%g, colour %s) is not on its interval", fig$name,
                      points$x[i], points$y[i], points$colour[i]))
    }
}
check_points_on_intervals(cmp$lever_effects)
check_points_on_intervals(cmp$outcomes_by_horizon)

# ---- the lever matrix: each cell's text is briefing.csv's number for its column and row -------

# The fill a reader sees at cell (x, y): the neutral layer's tile where there is one, else the
# scale's (grey94 where the scale has no value).
cell_fill <- function(b, x, y) {
    at <- function(d) d$fill[round(d$x) == round(x) & round(d$y) == round(y)]
    over <- unlist(lapply(b$data[-1], function(d) if ("fill" %in% names(d) && !"label" %in% names(d)) at(d)))
    if (length(over)) over[[length(over)]] else at(b$data[[1]])
}

briefing <- read.csv(file.path(dirs$compare, "briefing.csv"), stringsAsFactors = FALSE)
mats <- figures_of("fig_lever_matrix", ctx$compare)
check(length(mats) >= 1, "compare: no lever matrix")
for (fig in mats) {
    b <- ggplot_build(fig$plot)
    h <- as.numeric(sub("^lever_matrix_([0-9.]+)y.*", "\\1", fig$name))
    xl <- x_labels(b); yl <- y_labels(b)
    texts <- do.call(rbind, lapply(b$data, function(d) if ("label" %in% names(d)) d[, c("x", "y", "label")]))
    check(nrow(texts) == 3 * 3, paste(fig$name, ": expected 9 cells, got", nrow(texts)))
    # the order the subtitle states: rows from the top by their largest |change| at the horizon,
    # columns the levers as `compare --levers` gave them (it once said "largest effects first"
    # of columns in the order given)
    at <- briefing[abs(briefing$horizon_years - h) < 1e-9, ]
    size <- tapply(abs(at$difference_pp), at$outcome, max)[paste0(switch_of(rev(yl)), "_on")]
    check(grepl("Rows: the outcome with the largest effect first; columns: the levers in the order given",
                flat(b$plot$labels$subtitle), fixed = TRUE) && !anyNA(size) && !is.unsorted(-size) &&
          identical(arm_of(xl), c("widen_c", "amplify_a", "boost_b")),
          sprintf("%s: rows %s (largest |change| %s), columns %s, subtitle '%s'", fig$name,
                  paste(rev(yl), collapse = ", "), paste(round(size, 2), collapse = ", "),
                  paste(xl, collapse = ", "), flat(b$plot$labels$subtitle)))
    for (i in seq_len(nrow(texts))) {
        arm <- arm_of(xl[round(texts$x[i])])
        sw <- switch_of(yl[round(texts$y[i])])
        r <- briefing[briefing$arm %in% arm & briefing$outcome == paste0(sw, "_on") &
                      abs(briefing$horizon_years - h) < 1e-9, ]
        want <- if (nrow(r) == 1) nsm_pp(r$difference_pp) else "?"
        if (want %in% c("+0.0", "-0.0")) want <- "0.0"
        check(identical(texts$label[i], want),
              sprintf("%s: cell (%s, %s) reads %s, briefing.csv says %s", fig$name, xl[round(texts$x[i])],
                      yl[round(texts$y[i])], texts$label[i], want))
        # the lever's own outcome is the one coloured cell of its column (its outcomes have no
        # better direction: the neutral colour of the second layer of tiles)
        if (!is.na(arm) && !is.na(sw)) {
            f <- cell_fill(b, texts$x[i], texts$y[i])
            check(identical(f != "grey94", TARGET[[sw]] == arm),
                  sprintf("%s: cell (%s, %s) coloured %s", fig$name, arm, sw, f))
        }
    }
}

# The same matrix when the outcomes have better directions: a_on lower, b_on higher, c_on none.
# Colour says help, not the sign of the change: a lever that raises a "lower is better" outcome
# hurts (orange), one that raises a "higher is better" outcome helps (blue), and the change to an
# outcome with no direction is neutral (purple). Before, a rise was blue whatever it meant.
ctx_dir <- ctx$compare
ctx_dir$levers$desirable <- c(a_on = "lower", b_on = "higher", c_on = "none")[ctx_dir$levers$outcome]
for (fig in figures_of("fig_lever_matrix", ctx_dir)) {
    b <- ggplot_build(fig$plot)
    h <- as.numeric(sub("^lever_matrix_([0-9.]+)y.*", "\\1", fig$name))
    xl <- x_labels(b); yl <- y_labels(b)
    for (sw in names(TARGET)) {
        xi <- match(TARGET[[sw]], arm_of(xl)); yi <- match(sw, switch_of(yl))
        r <- briefing[briefing$arm == TARGET[[sw]] & briefing$outcome == paste0(sw, "_on") &
                      abs(briefing$horizon_years - h) < 1e-9, ]
        if (is.na(xi) || is.na(yi) || nrow(r) != 1 || r$distinguishable != "yes") next
        rgb <- grDevices::col2rgb(cell_fill(b, xi, yi))
        dir <- c(a = "lower", b = "higher", c = "none")[[sw]]
        helps <- if (dir == "none") NA else (r$difference_pp > 0) == (dir == "higher")
        got <- if (rgb[3] > rgb[1] + 20) "blue" else if (rgb[1] > rgb[3] + 20) "orange" else
            if (identical(toupper(cell_fill(b, xi, yi)), toupper(MATRIX_NEUTRAL))) "purple" else "other"
        want <- if (is.na(helps)) "purple" else if (helps) "blue" else "orange"
        check(identical(got, want),
              sprintf("%s, %s desirable %s, change %+.1f: coloured %s (%s), expected %s", fig$name,
                      sw, dir, r$difference_pp, got, cell_fill(b, xi, yi), want))
    }
    # the colour key names help, not the sign of the change: its blue end "helps N", its orange
    # end "hurts N", white "no effect" (it once read "+40" at blue, beside blue cells of -43.0)
    sc <- b$plot$scales$get_scales("fill")
    br <- sc$get_breaks(); br <- br[!is.na(br)]
    lab <- sc$get_labels(br); rgb <- grDevices::col2rgb(sc$map(br))
    side <- ifelse(rgb[3, ] > rgb[1, ] + 20, "helps", ifelse(rgb[1, ] > rgb[3, ] + 20, "hurts", "no effect"))
    check(length(br) >= 3 && all(startsWith(lab, side)) && !any(grepl("[+-][0-9]", lab)),
          sprintf("%s: the colour key reads %s where its colours say %s", fig$name,
                  paste(lab, collapse = " / "), paste(side, collapse = " / ")))
}

# ---- fans -----------------------------------------------------------------------------------

events_of <- function(dir) {
    e <- read.csv(file.path(dir, "event_counts.csv"), stringsAsFactors = FALSE)
    e$date <- as.Date(e$date)
    e
}

# A comparison's fan: one column of panels per arm; in each event's row the arm whose fan
# reaches highest must be the column the strip names as that event's lever.
fans <- figures_of("fig_event_fans", ctx$compare)
check("events_cumulative" %in% names(fans), "compare: no events_cumulative")
b <- ggplot_build(fans$events_cumulative$plot)
lay <- b$layout$layout
tops <- do.call(rbind, lapply(b$data, function(d) {
    v <- if ("ymax" %in% names(d)) d$ymax else d$y
    if (is.null(v)) return(NULL)
    data.frame(PANEL = as.integer(d$PANEL), v = v)[is.finite(v), ]
}))
tops <- tapply(tops$v, tops$PANEL, max)
for (ev in unique(lay$panel)) {
    l <- lay[lay$panel == ev, ]
    high <- as.character(l$arm[which.max(tops[as.character(l$PANEL)])])
    check(identical(arm_of(high), TARGET[[switch_of(ev)]]),
          sprintf("events_cumulative: the tallest fan of %s is in the column '%s'", ev, high))
}

# A run's fan: the legend's "90% of runs" band is the wider one; its "Median" and "Mean" lines
# are drawn through the median and the mean of event_counts.csv, in the colours the legend shows.
ev <- events_of(dirs$run)
ev <- ev[ev$window == "cumulative", ]
fans <- figures_of("fig_event_fans", ctx$run)
b <- ggplot_build(fans$events_cumulative$plot)
leg <- legend_of(b, "fill")
width <- do.call(rbind, lapply(b$data, function(d)
    if (all(c("fill", "ymin", "ymax") %in% names(d))) data.frame(fill = d$fill, w = d$ymax - d$ymin)))
width <- tapply(width$w, width$fill, mean)
check(identical(leg$value[leg$label == "90% of runs"], names(which.max(width))),
      "events_cumulative (run): the legend's 90% band is not the wider band")
check(identical(leg$value[leg$label == "50% of runs"], names(which.min(width))),
      "events_cumulative (run): the legend's 50% band is not the narrower band")
sc <- b$plot$scales$get_scales("linetype")
keys <- sc$get_breaks()
key_colour <- stats::setNames(sc$guide$override.aes$colour, keys)
key_type <- stats::setNames(as.character(sc$map(keys)), flat(sc$get_labels()))
panels <- panel_labels(b)
STATS <- c(Median = "q50", Mean = "mean")
for (line in names(STATS)) {
    stat <- STATS[[line]]
    lt <- key_type[[line]]
    lines <- do.call(rbind, lapply(b$data, function(d)
        if ("linetype" %in% names(d) && "y" %in% names(d) && !("ymin" %in% names(d)))
            d[as.character(d$linetype) == lt, c("PANEL", "x", "y", "colour")]))
    for (p in unique(lines$PANEL)) {
        l <- lines[lines$PANEL == p, ]
        e <- ev[switch_of(nsm_label(ev$event)) == switch_of(panels[[as.character(p)]]), ]
        want <- c(0, e[[stat]][order(e$date)])
        check(length(l$y) == length(want) && max(abs(l$y[order(l$x)] - want)) < 1e-9,
              sprintf("events_cumulative (run): the %s line of %s is not the %s", line,
                      panels[[as.character(p)]], stat))
        check(identical(unique(l$colour), key_colour[[line]]),
              sprintf("events_cumulative (run): the %s line is %s, its legend key %s", line,
                      unique(l$colour), key_colour[[line]]))
    }
}

# The per-year fan of a run: the "90% of runs" bar is the longer; the "Median" point is the median.
yr <- events_of(dirs$run)
yr <- yr[yr$window == "year", ]
b <- ggplot_build(figures_of("fig_event_year_fans", ctx$run)$events_per_year$plot)
leg <- legend_of(b, "colour")
bars <- mapped_rows(b, "colour")
len <- do.call(rbind, lapply(b$data, function(d)
    if (all(c("colour", "ymin", "ymax") %in% names(d))) data.frame(colour = d$colour, w = d$ymax - d$ymin)))
len <- tapply(len$w, len$colour, mean)
check(identical(leg$value[leg$label == "90% of runs"], names(which.max(len))),
      "events_per_year (run): the legend's 90% bar is not the longer bar")
sh <- legend_of(b, "shape")
pts <- do.call(rbind, lapply(b$data, function(d)
    if ("shape" %in% names(d)) d[as.character(d$shape) == sh$value[sh$label == "Median"], c("PANEL", "y")]))
panels <- panel_labels(b)
for (p in unique(pts$PANEL)) {
    e <- yr[switch_of(nsm_label(yr$event)) == switch_of(panels[[as.character(p)]]), ]
    check(isTRUE(all.equal(sort(pts$y[pts$PANEL == p]), sort(e$q50))),
          sprintf("events_per_year (run): the 'Median' points of %s are not the medians",
                  panels[[as.character(p)]]))
}

# ---- state probabilities: each level's end label has its line's colour -----------------------

sp <- read.csv(file.path(dirs$run, "state_probabilities.csv"), stringsAsFactors = FALSE)
sp <- sp[sp$date == max(sp$date), ]
b <- ggplot_build(figures_of("fig_state_probabilities", ctx$run)[[1]]$plot)
panels <- panel_labels(b)
lines <- b$data[[2]]                 # geom_line
texts <- b$data[[4]]                 # geom_text at the end of each line
last <- lines[lines$x == max(lines$x), ]
for (i in seq_len(nrow(texts))) {
    f <- tolower(flat(panels[[as.character(texts$PANEL[i])]]))
    p <- sp$probability[sp$factor == f & sp$level == flat(texts$label[i])]
    hit <- last[last$PANEL == texts$PANEL[i] & abs(last$y - p) < 1e-12, ]
    if (length(p) != 1 || nrow(hit) != 1) { check(FALSE, paste("state_probabilities: no line ends at", f, texts$label[i])); next }
    check(identical(hit$colour, texts$colour[i]),
          sprintf("state_probabilities: the label %s of %s is %s, its line %s", texts$label[i], f,
                  texts$colour[i], hit$colour))
}

# ---- tornado: bars in the order of their swing; each label on its own parameter's bar ---------

# The parameter a tornado label names: the one whose parameters.csv label it starts with.
param_of <- function(label, params) {
    hit <- params$parameter[vapply(params$label, function(l) startsWith(flat(label), flat(l)), TRUE)]
    if (length(hit) == 1) hit else NA_character_
}

check_tornado <- function(dir) {
    tor <- read.csv(file.path(dir, "tornado.csv"), stringsAsFactors = FALSE)
    params <- read.csv(file.path(dir, "parameters.csv"), stringsAsFactors = FALSE)
    figs <- figures_of("fig_tornado", nsm_context(dir))
    check(length(figs) == length(unique(tor$outcome)), paste(dir, ": one tornado per outcome"))
    for (fig in figs) {
        b <- ggplot_build(fig$plot)
        outcome <- sub("^tornado_", "", fig$name)
        hmax <- max(tor$horizon_years)
        panels <- panel_labels(b)
        last <- names(panels)[panels == sweep_horizon_label(hmax)]
        # the bars: every linerange layer (ranked bars and bars within noise may be apart)
        bars <- do.call(rbind, lapply(seq_along(b$data), function(i)
            if (inherits(b$plot$layers[[i]]$geom, "GeomLinerange") && nrow(b$data[[i]]) > 0)
                b$data[[i]][, c("PANEL", "x", "ymin", "ymax", "colour")]))
        bars <- bars[as.character(bars$PANEL) == last, ]
        xl <- x_labels(b)
        t <- tor[tor$outcome == outcome & tor$horizon_years == hmax, ]
        noise <- t$swing <= 1.96 * t$swing_se_max
        pos <- integer(0)
        for (k in seq_along(xl)) {
            par <- param_of(xl[k], params)
            row <- t[t$parameter %in% par, ]
            bar <- bars[round(bars$x) == k, ]
            if (nrow(row) != 1 || nrow(bar) != 1) {
                check(FALSE, sprintf("%s: the label '%s' names no parameter of tornado.csv", fig$name, xl[k]))
                next
            }
            check(abs((bar$ymax - bar$ymin) - row$swing) < 1e-9,
                  sprintf("%s: the bar labelled '%s' spans %g, its swing is %g", fig$name, xl[k],
                          bar$ymax - bar$ymin, row$swing))
            pos[row$parameter] <- k
        }
        # real swings on top, largest first; swings within their noise below them, unranked
        real <- t$parameter[!noise][order(t$swing[!noise])]
        within <- t$parameter[noise]
        check(identical(unname(pos[real]), seq_along(real) + length(within)),
              sprintf("%s: bars not in the order of their swing (top = largest): %s", fig$name,
                      paste(xl, collapse = " | ")))
        if (length(within) > 0) {
            check(all(grepl("within noise", xl[pos[within]], fixed = TRUE)),
                  sprintf("%s: bars within noise not labelled so: %s", fig$name, paste(xl[pos[within]], collapse = " | ")))
            grey <- unique(bars$colour[round(bars$x) %in% pos[within]])
            solid <- unique(bars$colour[round(bars$x) %in% pos[real]])
            check(length(grey) == 1 && !(grey %in% solid),
                  sprintf("%s: bars within noise are not drawn apart (%s vs %s)", fig$name,
                          paste(grey, collapse = " "), paste(solid, collapse = " ")))
        }
        check(!any(grepl("within noise", xl[pos[real]], fixed = TRUE)),
              sprintf("%s: a real swing labelled within noise", fig$name))
        # "No parameter moves it beyond Monte Carlo noise." only when none does at any horizon
        all_t <- tor[tor$outcome == outcome & tor$parameter %in% names(pos), ]
        sub <- flat(fig$plot$labels$subtitle)
        if (grepl("beyond Monte Carlo noise.", sub, fixed = TRUE))
            check(all(all_t$swing <= 1.96 * all_t$swing_se_max),
                  sprintf("%s: says no parameter moves it beyond noise, but one does at some horizon",
                          fig$name))
    }
}
check_tornado(dirs$oat)
check_tornado(dirs$ring)

# ---- Sobol indices: each point has the colour of its index's legend entry --------------------

sens <- read.csv(file.path(dirs$sobol, "sensitivity.csv"), stringsAsFactors = FALSE)
for (fig in figures_of("fig_sensitivity", nsm_context(dirs$sobol))) {
    b <- ggplot_build(fig$plot)
    leg <- legend_of(b, "colour")
    outcome <- sub("^sensitivity_", "", fig$name)
    pts <- b$data[[3]]               # geom_point: y = estimate
    for (idx in c("first", "total")) {
        text <- c(first = "First-order", total = "Total")[[idx]]
        col <- leg$value[startsWith(leg$label, text)]
        est <- sens$estimate[sens$outcome == outcome & sens$index == idx]
        check(length(col) == 1 && sum(pts$colour == col) > 0 && all(pts$y[pts$colour == col] %in% est),
              sprintf("%s: points coloured as '%s' are not %s indices", fig$name, text, idx))
    }
}

figure_test_done("mapping")
