# Figures of a sweep folder: a tornado chart (one-at-a-time swings) and a chart of variance-based
# sensitivity indices, one page per outcome (and measure), horizons side by side.
# Inputs: tornado.csv (outcome, measure, horizon_years, parameter, low_value, high_value,
# outcome_at_base (the outcome at the base point; optional), outcome_at_low, outcome_at_high,
# swing) and sensitivity.csv
# (outcome, measure, horizon_years, parameter, index, estimate, ci_low, ci_high), index in
# {first, total}.

SWEEP_TOP <- 12   # parameters per page: the rest are named in the subtitle's count

sweep_horizon_label <- function(h) {
    ifelse(abs(h - round(h)) < 1e-9,
           sprintf("%d year%s", as.integer(round(h)), ifelse(round(h) == 1, "", "s")),
           sprintf("%g years", h))
}

# Percentages with as few decimals (0 to 3) as write every tick exactly: a tornado zooms each
# horizon to its swings, and ticks at 13.25%, 13.5%, 13.75% must not all read "14%".
sweep_percent_labels <- function(x) {
    v <- 100 * x[!is.na(x)]
    for (d in 0:3) if (all(abs(round(v, d) - v) < 1e-6)) break
    scales::label_percent(accuracy = 10^-d)(x)
}

# A value axis with about n ticks; a probability's stay within 0% to 100% (a panel whose every
# value is 0, as a lapse that cannot come before a date, would otherwise show "-5%"). Given the
# panel's width in inches (`width_in`, sweep_panel_width()), the ticks are the most of those of
# sweep_tick_candidates() whose labels fit it, apart by SWEEP_TICK_GAP at least: three horizons
# beside long labels leave each a panel of 1.5 in, where five ticks ran "90%100%" together.
sweep_value_scale <- function(measure, n = 3, width_in = NULL, ...) {
    force(width_in)
    probability <- measure %in% NSM_PROBABILITY_MEASURES
    labels <- if (probability) sweep_percent_labels else scales::label_number(big.mark = ",")
    scale_y_continuous(labels = labels, breaks = function(l) {
        cands <- sweep_tick_candidates(l, n, probability)
        if (is.null(width_in)) return(cands[[1]])
        fits <- vapply(cands, function(b) sweep_ticks_fit(b, l, width_in, labels), NA)
        if (any(fits)) cands[[which(fits)[1]]]
        else { b <- cands[[1]]; b[which.min(abs(b - mean(l)))] }   # one tick always fits
    }, ...)
}

SWEEP_TICK_GAP <- 0.1   # inches between two value labels, at least (a space is about 0.05)

# Tick sets for a panel with limits l, most ticks first: pretty breaks for about n, n - 1, ...,
# 1 ticks, and every other tick of each; a probability's within 0 to 1, and all within l.
sweep_tick_candidates <- function(l, n, probability) {
    pretty <- lapply(n:1, function(k) scales::breaks_pretty(n = k)(l))
    cands <- c(pretty, lapply(pretty, function(b) b[seq(1, length(b), by = 2)]))
    cands <- lapply(cands, function(b) {
        b <- b[b >= min(l) - 1e-12 & b <= max(l) + 1e-12]
        if (probability) b[b >= -1e-12 & b <= 1 + 1e-12] else b
    })
    cands <- unique(Filter(length, cands))
    cands[order(-lengths(cands))]
}

# Whether ticks b of a panel with limits l (its whole extent) `width_in` inches wide have labels
# (written by `labels`) that are SWEEP_TICK_GAP apart, each centred on its tick.
sweep_ticks_fit <- function(b, l, width_in, labels) {
    if (length(b) < 2) return(TRUE)
    at <- (b - min(l)) / diff(range(l)) * width_in
    w <- sweep_label_width(labels(b))
    all(diff(at) - (w[-1] + w[-length(w)]) / 2 >= SWEEP_TICK_GAP)
}

# Width in inches of value labels in the axis text of nsm_theme() (12 pt): the sum of the widths
# of their characters, measured once on a cairo device as nsm_save() draws (digits, signs and
# separators have no kerning in the sans font; another character counts as wide as "%").
SWEEP_TICK_PT <- 15 * 0.8
sweep_char_width <- local({
    widths <- NULL
    function() {
        if (is.null(widths)) {
            chars <- c(as.character(0:9), "%", ".", ",", "-", "+", "e", " ", "<", ">", "\u2212")
            grDevices::png(tempfile(fileext = ".png"), width = 2, height = 1, units = "in",
                           res = 72, type = "cairo")
            on.exit(grDevices::dev.off())
            widths <<- vapply(chars, function(ch) grid::convertWidth(grid::grobWidth(
                grid::textGrob(ch, gp = grid::gpar(fontsize = SWEEP_TICK_PT))), "in",
                valueOnly = TRUE), 0)
        }
        widths
    }
})
sweep_label_width <- function(x) {
    cw <- sweep_char_width()
    vapply(strsplit(ifelse(is.na(x), "", x), ""), function(ch) {
        w <- cw[ch]
        sum(ifelse(is.na(w), cw[["%"]], w))
    }, 0, USE.NAMES = FALSE)
}

# The width in inches of each facet panel of plot p as nsm_save() lays it out on a slide (the
# narrowest, were they to differ): built once on a cairo device, its panels' flexible width the
# slide's less every fixed column (labels, axis, spacing, margins).
sweep_panel_width <- function(p, width = NSM_WIDTH, height = NSM_HEIGHT) {
    grDevices::png(tempfile(fileext = ".png"), width = width, height = height, units = "in",
                   res = 72, type = "cairo")
    on.exit(grDevices::dev.off())
    g <- nsm_gtable(p, width)
    panels <- unique(g$layout$l[grepl("^panel", g$layout$name)])
    null <- vapply(seq_along(g$widths), function(i)
        if (grid::unitType(g$widths[i]) == "null") as.numeric(g$widths[i]) else 0, 0)
    fixed <- sum(vapply(seq_along(g$widths), function(i)
        if (null[i] > 0) 0 else grid::convertWidth(g$widths[i], "in", valueOnly = TRUE), 0))
    min(null[panels]) / sum(null) * max(0, width - fixed)
}

sweep_value_axis <- function(measure) {
    if (measure %in% NSM_PROBABILITY_MEASURES) "Probability (% of runs)"
    else "Mean events since the start (count)"
}

# Labels of parameter paths: the engine's (parameters.csv: a modifier row reads "multiplier on
# usfk_posture:current>reduced while ...", not "modifiers:13"), else derived from the path.
sweep_param_labels <- function(ctx, paths) {
    p <- nsm_read(ctx$dir, "parameters", quiet = TRUE)
    fallback <- nsm_parameter_label(paths)
    if (is.null(p) || !all(c("parameter", "label") %in% names(p))) return(fallback)
    lab <- p$label[match(paths, p$parameter)]
    ifelse(is.na(lab), fallback, lab)
}

# Tornado labels that cannot overlap: a row of n holds TORNADO_PANEL_PT / n points of height, so
# at most that many lines of the axis text (TORNADO_LINE_PT each); each label is wrapped at the
# narrowest width (48 to 96 characters) at which every label fits its lines, and one that does
# not fit even at 96 is cut at its last line with an ellipsis. tests/figures_labels.R checks the
# drawn labels against the row height.
TORNADO_PANEL_PT <- 72 * (NSM_HEIGHT - 3.2)   # the panels' height on a slide, below titles and legend
TORNADO_LINE_PT <- 15 * 0.85 * 1.1            # axis text rel(0.85) of 15 pt, line height 0.9 + gap
TORNADO_TOP <- 10   # rows a page: two lines of label each (twelve would leave one)
tornado_max_lines <- function(n) max(1, floor(TORNADO_PANEL_PT / n / TORNADO_LINE_PT))
tornado_fit <- function(x, n) {
    lines <- tornado_max_lines(n)
    wrap <- function(w) lapply(x, function(s) strwrap(s, w))
    for (w in seq(48, 96, by = 8)) {
        parts <- wrap(w)
        if (all(lengths(parts) <= lines)) break
    }
    vapply(parts, function(p) {
        if (length(p) > lines) p <- c(p[seq_len(lines - 1)], paste0(p[lines], " \u2026"))
        paste(p, collapse = "\n")
    }, character(1), USE.NAMES = FALSE)
}

# Long labels wrapped to a few lines, so that the panels keep most of the slide's width.
sweep_wrap <- function(x, width = 64) {
    vapply(x, function(s) paste(strwrap(s, width), collapse = "\n"), character(1), USE.NAMES = FALSE)
}

# Which parameters a page shows, for its subtitle.
sweep_which <- function(shown, of, by, hmax) {
    if (shown < of) sprintf("The %d of %d parameters with the largest %s at %s.", shown, of, by,
                            sweep_horizon_label(hmax))
    else sprintf("Ordered by %s at %s.", by, sweep_horizon_label(hmax))
}

# Name of a page's files: the outcome, plus the measure when an outcome has several.
sweep_page_name <- function(prefix, outcome, measure, several) {
    paste0(prefix, "_", nsm_slug(outcome), if (several) paste0("_", nsm_slug(measure)))
}

# The `top` parameters of d by `score` at the longest horizon, as a factor in plotting order.
sweep_top <- function(d, score, top) {
    hmax <- max(d$horizon_years)
    at <- d[d$horizon_years == hmax, , drop = FALSE]
    s <- tapply(score[d$horizon_years == hmax], at$parameter, max, na.rm = TRUE)
    names(sort(s, decreasing = TRUE))[seq_len(min(top, length(s)))]
}

# A swing is within its Monte Carlo noise when it is no larger than 1.96 times swing_se_max,
# neasim's bound on its standard error: such a bar may be simulation error alone, so it is
# greyed, labelled and listed below the others without a rank (ordering noise would rank noise).
TORNADO_Z <- 1.96
tornado_noise <- function(d) {
    if (!("swing_se_max" %in% names(d))) return(rep(FALSE, nrow(d)))
    !is.na(d$swing_se_max) & abs(d$swing) <= TORNADO_Z * d$swing_se_max
}

# The parameters a tornado shows, top first: the real swings at the longest horizon, largest
# first, then those within noise there, in the table's order; at most `top` in all.
tornado_order <- function(d, top) {
    at <- d[d$horizon_years == max(d$horizon_years), , drop = FALSE]
    real <- at$parameter[!at$noise][order(-abs(at$swing[!at$noise]))]
    within <- setdiff(unique(at$parameter[at$noise]), real)
    utils::head(c(real, within), top)
}

# " (within noise)" for a parameter whose swing is within noise at every horizon shown, " (within
# noise at 2 years)" for some of them, "" otherwise.
tornado_noise_note <- function(d, parameter) {
    vapply(parameter, function(p) {
        x <- d[d$parameter == p, , drop = FALSE]
        if (!any(x$noise)) return("")
        if (all(x$noise)) return(" (within noise)")
        paste0(" (within noise at ", paste(sweep_horizon_label(sort(x$horizon_years[x$noise])),
                                             collapse = ", "), ")")
    }, "", USE.NAMES = FALSE)
}

# The onset outcomes of a sweep, whose folder has no outcomes.csv (whose holds_at_start rows mark
# them in a run): labels.csv's occurrence column, kind outcome; none for a folder written before
# neasim wrote that column. (Not the scenario's outcomes.csv: a variant's holds only its patches,
# and the folder may have moved away from its scenario.)
sweep_onsets <- function(ctx) {
    l <- nsm_read(ctx$dir, "labels", quiet = TRUE)
    if (is.null(l) || !all(c("kind", "name", "occurrence") %in% names(l))) return(character(0))
    l$name[l$kind == "outcome" & !is.na(l$occurrence) & l$occurrence == "onset"]
}

fig_tornado <- function(ctx) {
    t <- nsm_read(ctx$dir, "tornado", quiet = TRUE)
    if (is.null(t)) return(invisible())
    onsets <- sweep_onsets(ctx)
    keys <- unique(t[, c("outcome", "measure")])
    figs <- list()
    for (k in seq_len(nrow(keys))) {
        d <- t[t$outcome == keys$outcome[k] & t$measure == keys$measure[k], , drop = FALSE]
        measure <- keys$measure[k]
        nparam <- length(unique(d$parameter))
        d$noise <- tornado_noise(d)
        top <- tornado_order(d, TORNADO_TOP)
        d <- d[d$parameter %in% top, , drop = FALSE]
        n_noise <- sum(top %in% d$parameter[d$noise & d$horizon_years == max(d$horizon_years)])
        ranges <- unique(d[, c("parameter", "low_value", "high_value")])
        ranges <- ranges[!duplicated(ranges$parameter), ]
        # a label built from the scenario's labels ends with its range already (": x1.29 to
        # x2.27"); others get it in brackets
        plabs <- sweep_param_labels(ctx, ranges$parameter)
        has_range <- grepl(": x?[-0-9.e+]+ to x?[-0-9.e+]+$", plabs)
        plabs <- ifelse(has_range, plabs, sprintf("%s  [%g to %g]", plabs,
                                                  signif(ranges$low_value, 3),
                                                  signif(ranges$high_value, 3)))
        labs_of <- stats::setNames(tornado_fit(paste0(plabs, tornado_noise_note(d, ranges$parameter)),
                                               length(top)),
                                   ranges$parameter)
        # keyed by the parameter, labelled for people; the first level is drawn at the bottom
        d$param_lab <- factor(d$parameter, levels = rev(top), labels = labs_of[rev(top)])
        hs <- sort(unique(d$horizon_years))
        d$panel <- factor(sweep_horizon_label(d$horizon_years), levels = sweep_horizon_label(hs))
        d$status <- ifelse(d$noise, "within", "real")
        ends <- rbind(data.frame(param_lab = d$param_lab, panel = d$panel, value = d$outcome_at_low,
                                 end = "Parameter at its low value", status = d$status),
                      data.frame(param_lab = d$param_lab, panel = d$panel, value = d$outcome_at_high,
                                 end = "Parameter at its high value", status = d$status))
        bar <- aes(ymin = pmin(outcome_at_low, outcome_at_high),
                   ymax = pmax(outcome_at_low, outcome_at_high))
        p <- ggplot(d, aes(x = param_lab)) +
            geom_linerange(data = d[!d$noise, , drop = FALSE], bar, colour = "grey72",
                           linewidth = 5) +
            geom_linerange(data = d[d$noise, , drop = FALSE], bar, colour = "grey91",
                           linewidth = 5)
        # a dotted rule between the ranked swings and those within noise
        if (n_noise > 0 && n_noise < length(top))
            p <- p + geom_vline(xintercept = n_noise + 0.5, colour = "grey60", linetype = "13")
        # the outcome with every number at its base value (neasim writes it as outcome_at_base)
        base_col <- intersect(c("baseline_value", "outcome_at_base"), names(d))
        if (length(base_col) > 0) {
            base <- unique(data.frame(panel = d$panel, value = d[[base_col[1]]]))
            p <- p + geom_hline(data = base, aes(yintercept = value), colour = "grey30",
                                linetype = "22")
        }
        p <- p + geom_point(data = ends, aes(y = value, colour = end, alpha = status), size = 3.2) +
            scale_alpha_manual(values = c(real = 1, within = 0.35), guide = "none") +
            coord_flip() +
            facet_wrap(~panel, nrow = 1, scales = "free_x") +   # each horizon zoomed to its swings
            # the order of the factor, whatever subsets the layers hold (a discrete scale
            # trained on several layers sorts its levels alphabetically)
            scale_x_discrete(limits = levels(d$param_lab)) +
            scale_colour_manual(values = c("Parameter at its low value" = NSM_PALETTE[2],
                                           "Parameter at its high value" = NSM_PALETTE[1]),
                                breaks = c("Parameter at its low value",
                                           "Parameter at its high value"), name = NULL) +
            labs(title = paste0("What moves \u201c", nsm_outcome_name(keys$outcome[k], onsets),
                                "\u201d: tornado"),
                 subtitle = nsm_subtitle(
                     "The ", nsm_measure_phrase(measure, "each horizon"), " with one parameter at ",
                     "a time at the 5th and 95th percentiles of its distribution [low to high], ",
                     "the others at their means", if (length(base_col) > 0) " (dashed line: all at their means)",
                     ". Each horizon has its own scale. ",
                     sweep_which(length(top), nparam, "swing", max(hs)),
                     # within noise at the ranking horizon is not within noise everywhere
                     if (n_noise == length(top))
                         paste0(" No parameter moves it beyond Monte Carlo noise",
                                if (!all(d$noise)) paste(" at", sweep_horizon_label(max(hs))), "."),
                     if (any(d$noise)) paste0(
                         " Pale bars marked \u201cwithin noise\u201d: the swing is no larger ",
                         "than 1.96 times its Monte Carlo standard error, so it may be simulation ",
                         "error alone; they are listed last, not ranked."),
                     if (keys$outcome[k] %in% onsets) paste0(" ", NSM_ONSET_NOTE)),
                 x = NULL, y = sweep_value_axis(measure), caption = ctx$caption) +
            nsm_theme() +
            theme(panel.grid.major.y = element_blank(), panel.spacing = unit(2, "lines"),
                  axis.text.y = element_text(size = rel(0.85), colour = "grey10", lineheight = 0.9))
        # the value ticks, once the panels' width is known: labels that fit it
        width_in <- sweep_panel_width(p)
        p <- p + sweep_value_scale(measure, n = 3, width_in = width_in)
        several <- sum(keys$outcome == keys$outcome[k]) > 1
        figs[[length(figs) + 1]] <- nsm_figure(
            p, sweep_page_name("tornado", keys$outcome[k], measure, several),
            paste0("Tornado: ", nsm_label(keys$outcome[k])), "Sensitivity")
    }
    figs
}

# The parameters of one outcome's rows d (sensitivity.csv) whose first-order interval lies wholly
# above their total index's interval at some horizon.
sensitivity_first_above_total <- function(d) {
    f <- d[d$index == "first", c("parameter", "horizon_years", "ci_low")]
    t <- d[d$index == "total", c("parameter", "horizon_years", "ci_high")]
    m <- merge(f, t, by = c("parameter", "horizon_years"))
    unique(m$parameter[!is.na(m$ci_low) & !is.na(m$ci_high) & m$ci_low > m$ci_high])
}

fig_sensitivity <- function(ctx) {
    s <- nsm_read(ctx$dir, "sensitivity", quiet = TRUE)
    if (is.null(s)) return(invisible())
    # an outcome that the swept numbers do not move has no variance to share out: neasim writes
    # NA indices; such horizons (and outcomes) are left out and named, not drawn empty
    s$flat <- stats::ave(is.na(s$estimate), s$outcome, s$measure, s$horizon_years, FUN = all) == 1
    flat <- unique(s[s$flat, c("outcome", "measure", "horizon_years")])
    dropped <- setdiff(unique(flat$outcome), unique(s$outcome[!s$flat]))
    if (length(dropped))
        nsm_msg("sensitivity: ", paste(dropped, collapse = ", "), " do not vary over the sweep ",
                "(zero variance): no sensitivity chart")
    s <- s[!s$flat, , drop = FALSE]
    keys <- unique(s[, c("outcome", "measure")])
    index_names <- c(first = "First-order (the parameter alone)",
                     total = "Total (with its interactions)")
    figs <- list()
    for (k in seq_len(nrow(keys))) {
        d <- s[s$outcome == keys$outcome[k] & s$measure == keys$measure[k], , drop = FALSE]
        measure <- keys$measure[k]
        flat_h <- flat$horizon_years[flat$outcome == keys$outcome[k] & flat$measure == measure]
        nparam <- length(unique(d$parameter))
        score <- ifelse(d$index == "total", d$estimate, -Inf)
        if (!any(d$index == "total")) score <- d$estimate
        top <- sweep_top(d, score, SWEEP_TOP + 3)
        d <- d[d$parameter %in% top, , drop = FALSE]
        labs_of <- stats::setNames(sweep_wrap(sweep_param_labels(ctx, top)), top)
        d$param_lab <- factor(labs_of[d$parameter], levels = rev(labs_of))
        hs <- sort(unique(d$horizon_years))
        d$panel <- factor(sweep_horizon_label(d$horizon_years), levels = sweep_horizon_label(hs))
        d$index_lab <- factor(ifelse(d$index %in% names(index_names), index_names[d$index], d$index),
                              levels = c(rev(index_names), setdiff(unique(d$index), names(index_names))))
        # a first-order index is at most the total by definition: an estimate whose interval lies
        # above the total's is noise of the estimators (Saltelli's first, Jansen's total), and
        # the reader is told so rather than shown a parameter that matters alone more than in all
        bad <- sensitivity_first_above_total(d)
        dodge <- position_dodge(width = 0.65)
        p <- ggplot(d, aes(x = param_lab, y = estimate, ymin = ci_low, ymax = ci_high,
                           colour = index_lab)) +
            geom_hline(yintercept = 0, colour = "grey50", linewidth = 0.4) +
            geom_linerange(position = dodge, linewidth = 1) +
            geom_point(position = dodge, size = 2.8) +
            coord_flip() +
            facet_wrap(~panel, nrow = 1) +
            scale_x_discrete(limits = levels(d$param_lab)) +
            scale_colour_manual(values = stats::setNames(rep_len(NSM_PALETTE, nlevels(d$index_lab)),
                                                         levels(d$index_lab)),
                                breaks = rev(levels(d$index_lab)), name = NULL) +
            scale_y_continuous(labels = scales::label_number(accuracy = 0.1),
                               breaks = scales::breaks_pretty(n = 4)) +
            expand_limits(y = 0) +
            labs(title = paste0("What drives \u201c", nsm_label(keys$outcome[k]),
                                "\u201d: sensitivity indices"),
                 subtitle = nsm_subtitle(
                     "Share of the variance of the ", nsm_measure_phrase(measure, "each horizon"),
                     " due to each parameter over its range, with 95% interval (first-order is ",
                     "at most the total by definition: a first-order estimate above the total is ",
                     "estimation noise). ",
                     sweep_which(length(top), nparam, "total index", max(hs)),
                     if (length(flat_h)) paste0(" Not drawn at ",
                                                paste(sweep_horizon_label(sort(flat_h)), collapse = ", "),
                                                ": the outcome does not vary there."),
                     if (length(dropped)) paste0(" No chart for ", paste(nsm_label(dropped),
                                                                         collapse = ", "),
                                                 ": the swept numbers do not move them."),
                     if (length(bad)) paste0(" For ", paste(labs_of[bad], collapse = ", "),
                                             " the first-order interval lies above the total's, ",
                                             "which cannot hold (first \u2264 total): estimation ",
                                             "noise around a small share; raise --sobol N or --runs.")),
                 x = NULL, y = "Sensitivity index (share of variance, 0 to 1)",
                 caption = ctx$caption) +
            nsm_theme() +
            theme(panel.grid.major.y = element_blank(), panel.spacing = unit(2, "lines"),
                  axis.text.y = element_text(size = rel(0.85), colour = "grey10"))
        several <- sum(keys$outcome == keys$outcome[k]) > 1
        figs[[length(figs) + 1]] <- nsm_figure(
            p, sweep_page_name("sensitivity", keys$outcome[k], measure, several),
            paste0("Sensitivity indices: ", nsm_label(keys$outcome[k])), "Sensitivity")
    }
    figs
}

# ---- sweeps without a tornado or Sobol table: grid, LHS and design files ---------------------
# Input: sweep.csv (point, one column per swept number, `levers` when the design has lever sets,
# quantity, name, measure, horizon_years, date, value, std_error, ci_low, ci_high). A full
# factorial design (a grid) is drawn as small multiples over the grid; any other design (LHS, a
# design file) as a scatter of each outcome against each swept number, with a ranking of the
# numbers by standardized rank regression coefficients.

SWEEP_BOOT <- 400        # bootstrap resamples for the rank regression's intervals
SWEEP_BOOT_SEED <- 1     # fixed, so that a folder's figures are the same at every rendering

# The design's columns: between `point` and `quantity`.
sweep_design_columns <- function(s) {
    i <- match("point", names(s)); j <- match("quantity", names(s))
    if (is.na(i) || is.na(j) || j <= i + 1) return(character(0))
    names(s)[(i + 1):(j - 1)]
}

# The design of sweep.csv `s`: `points` (one row a point: `point` and the design's columns) and
# `cols`, the columns that vary between points (one that does not is no regressor and no axis).
sweep_design <- function(s) {
    cols <- sweep_design_columns(s)
    points <- unique(s[, c("point", cols), drop = FALSE])
    points <- points[!duplicated(points$point), , drop = FALSE]
    cols <- cols[vapply(cols, function(c) length(unique(points[[c]])) > 1, TRUE)]
    list(points = points, cols = cols)
}

# The rows drawn: outcome probabilities (occurred_by) and mean event counts, with a `key` per
# series ("outcome:a_on").
sweep_series <- function(s) {
    s <- s[(s$quantity == "outcome" & s$measure == "occurred_by") |
           (s$quantity == "event" & s$measure == "cumulative_count"), , drop = FALSE]
    s$key <- paste0(s$quantity, ":", s$name)
    s
}

# A design is a grid when every combination of the values of its varied columns is a point.
sweep_is_grid <- function(points, cols) {
    if (length(cols) == 0) return(FALSE)
    combos <- prod(vapply(cols, function(c) length(unique(points[[c]])), 1))
    combos == nrow(points) && nrow(unique(points[, cols, drop = FALSE])) == nrow(points)
}

# A label for a design column ("levers" -> "Lever set"; a number's parameters.csv label).
sweep_column_label <- function(ctx, col) {
    ifelse(col == "levers", "Lever set", sweep_param_labels(ctx, col))
}

# Labels of the values of a design column, named by the value: lever sets as arms ("none" is
# "No lever"), numbers as written.
sweep_value_labels <- function(col, values) {
    values <- as.character(values)
    lab <- if (col == "levers") ifelse(values %in% c("none", "", NA), "No lever", arm_label(values, 40))
           else format(as.numeric(values), digits = 3, drop0trailing = TRUE, trim = TRUE)
    stats::setNames(lab, values)
}

fig_sweep <- function(ctx) {
    if (!is.null(nsm_read(ctx$dir, "tornado", quiet = TRUE)) ||
        !is.null(nsm_read(ctx$dir, "sensitivity", quiet = TRUE))) return(list())
    s <- nsm_read(ctx$dir, "sweep", quiet = TRUE)
    if (is.null(s)) return(list())
    s$value <- as.numeric(s$value)   # `value` is text in the manifest's key,value tables
    design <- sweep_design(s)
    points <- design$points
    cols <- design$cols
    if (length(cols) == 0) return(nsm_msg("sweep.csv: no number varies between points: no sweep figure"))
    s <- sweep_series(s)
    if (nrow(s) == 0) return(nsm_msg("sweep.csv has no outcome or event rows: no sweep figure"))
    if (sweep_is_grid(points, cols)) sweep_grid_figures(ctx, s, cols)
    else c(sweep_ranking_figures(ctx, s, points, cols), sweep_scatter_figures(ctx, s, cols))
}

# ---- grid: small multiples ------------------------------------------------------------------

# The grid's dimensions in drawing order: the number with the most values on the x axis, the
# lever sets (else the next number) as colour, the others as rows of panels (horizons are the
# columns).
sweep_grid_roles <- function(s, cols) {
    numeric <- cols[vapply(cols, function(c) is.numeric(s[[c]]), TRUE)]
    numeric <- numeric[order(-vapply(numeric, function(c) length(unique(s[[c]])), 1))]
    ordered <- c(numeric[1], setdiff(cols, numeric), numeric[-1])
    ordered <- ordered[!is.na(ordered)]
    list(x = ordered[1], colour = if (length(ordered) > 1) ordered[2],
         rows = if (length(ordered) > 2) ordered[-(1:2)])
}

# A grid column's label without the range of its distribution that the engine's label ends with
# (": 0.0116 to 0.106", the 5th to 95th percentiles): on a grid the axis, legend and rows show the
# grid's own values, which that range would contradict.
sweep_grid_label <- function(ctx, col) {
    sub(": x?[-0-9.e+]+ to x?[-0-9.e+]+$", "", sweep_column_label(ctx, col))
}

# A row number's name in its strip: at most SWEEP_GRID_STRIP_LINES lines of
# SWEEP_GRID_STRIP_CHARS characters (the last cut with an ellipsis), so that the strip keeps to
# about 2 in of the slide's width (a bold character of the strip text is about 0.1 in).
SWEEP_GRID_STRIP_CHARS <- 22
SWEEP_GRID_STRIP_LINES <- 3
sweep_grid_strip_name <- function(x) {
    vapply(x, function(s) {
        p <- strwrap(s, SWEEP_GRID_STRIP_CHARS)
        if (length(p) > SWEEP_GRID_STRIP_LINES) {
            last <- substr(p[SWEEP_GRID_STRIP_LINES], 1, SWEEP_GRID_STRIP_CHARS - 2)
            p <- c(p[seq_len(SWEEP_GRID_STRIP_LINES - 1)], paste0(last, " \u2026"))
        }
        paste(p, collapse = "\n")
    }, "", USE.NAMES = FALSE)
}

sweep_grid_figures <- function(ctx, s, cols) {
    roles <- sweep_grid_roles(s, cols)
    s <- s[s$quantity == "outcome", , drop = FALSE]
    if (nrow(s) == 0) return(nsm_msg("sweep.csv has no outcome rows: no grid figure"))
    hs <- sort(unique(s$horizon_years))
    s$panel_h <- factor(sweep_horizon_label(s$horizon_years), levels = sweep_horizon_label(hs))
    x_numeric <- is.numeric(s[[roles$x]])
    s$x <- if (x_numeric) s[[roles$x]] else factor(as.character(s[[roles$x]]),
                                                  levels = unique(as.character(s[[roles$x]])))
    if (!is.null(roles$colour)) {
        vals <- unique(as.character(s[[roles$colour]]))
        if (is.numeric(s[[roles$colour]])) vals <- as.character(sort(unique(s[[roles$colour]])))
        s$series <- as.character(s[[roles$colour]])
        colour_labels <- sweep_value_labels(roles$colour, vals)
        colour_values <- stats::setNames(rep_len(NSM_PALETTE, length(vals)), vals)
    } else {
        s$series <- "all"
        colour_labels <- c(all = "")
        colour_values <- c(all = NSM_PALETTE[1])
    }
    # a row's strip: each row number's name cut short, its value on a line of its own, so that the
    # value is always seen (a strip as long as the label took the whole slide and left the panels
    # no width at all); the names in full are in the subtitle
    s$row <- if (is.null(roles$rows)) "" else
        do.call(paste, c(lapply(roles$rows, function(c)
            paste0(sweep_grid_strip_name(sweep_grid_label(ctx, c)), "\n= ",
                   sweep_value_labels(c, s[[c]])[as.character(s[[c]])])),
            sep = "\n"))
    rows_note <- if (!is.null(roles$rows))
        paste0(" Rows: ", paste(vapply(roles$rows, function(c)
            paste0(sweep_grid_label(ctx, c), " (", paste(sweep_value_labels(c, sort(unique(s[[c]]))),
                                                         collapse = ", "), ")"), ""),
            collapse = "; "), ".")
    figs <- list()
    for (o in unique(s$name)) {
        d <- s[s$name == o, , drop = FALSE]
        p <- ggplot(d, aes(x, value, ymin = ci_low, ymax = ci_high, colour = series,
                           group = series)) +
            geom_linerange(linewidth = 0.8, alpha = 0.6,
                           position = position_dodge(width = if (x_numeric) 0 else 0.4)) +
            geom_point(size = 2.6, position = position_dodge(width = if (x_numeric) 0 else 0.4)) +
            (if (x_numeric || !is.null(roles$colour)) geom_line(linewidth = 0.9,
                position = position_dodge(width = if (x_numeric) 0 else 0.4))) +
            scale_colour_manual(values = colour_values, breaks = names(colour_values),
                                labels = colour_labels,
                                name = if (is.null(roles$colour)) NULL else
                                    sweep_wrap(sweep_grid_label(ctx, roles$colour), 40),
                                guide = if (is.null(roles$colour)) "none" else "legend") +
            (if (is.null(roles$rows)) facet_wrap(~panel_h, nrow = 1)
             else facet_grid(row ~ panel_h)) +
            nsm_scale_y_percent(limits = c(0, NA)) +
            (if (!x_numeric) scale_x_discrete(labels = sweep_value_labels(roles$x, levels(d$x)))) +
            labs(title = paste0("\u201c", nsm_label(o), "\u201d over the grid"),
                 subtitle = nsm_subtitle("The probability that the outcome has occurred by each ",
                                         "horizon at each point of the grid, with its 95% Monte ",
                                         "Carlo interval; the numbers not in the grid at their ",
                                         "base values.", rows_note),
                 x = sweep_grid_label(ctx, roles$x), y = "Probability (% of runs)",
                 caption = ctx$caption) +
            nsm_theme() +
            theme(strip.text.y.right = element_text(angle = 0, hjust = 0, lineheight = 0.9),
                  panel.spacing.x = unit(1.5, "lines"))
        # a numeric x axis ticked at the grid's own values, as many as fit the panel's width
        # (pretty breaks at a panel's edges ran into the next panel's: "0.100.02")
        if (x_numeric) {
            xs <- sort(unique(d$x))
            width_in <- sweep_panel_width(p)
            lim <- range(xs) + c(-1, 1) * 0.06 * diff(range(xs))
            lab_x <- function(v) sweep_value_labels(roles$x, v)
            b <- xs
            while (length(b) > 1 && !sweep_ticks_fit(b, lim, width_in, lab_x))
                b <- b[seq(1, length(b), by = 2)]
            p <- p + scale_x_continuous(breaks = b, labels = function(v) unname(lab_x(v)),
                                        expand = expansion(mult = 0.06))
        }
        figs[[length(figs) + 1]] <- nsm_figure(p, paste0("sweep_grid_", nsm_slug(o)),
                                               paste0("Over the grid: ", nsm_label(o)), "Sweep")
    }
    figs
}

# ---- LHS and design files: standardized rank regression coefficients ------------------------

# The design matrix of the rank regression: each swept number, and one 0/1 column per lever set
# other than the first (a design may mix lever sets).
sweep_regressors <- function(points, cols) {
    X <- list()
    for (c in cols) {
        if (is.numeric(points[[c]])) { X[[c]] <- points[[c]]; next }
        sets <- unique(as.character(points[[c]]))
        for (v in sets[-1]) X[[paste0(c, "=", v)]] <- as.numeric(as.character(points[[c]]) == v)
    }
    as.data.frame(X, check.names = FALSE)
}

# Standardized rank regression coefficients (Saltelli et al. 2004, ch. 1.2.5: regress the ranks
# of the outcome on the ranks of the inputs, all standardized) with the rank regression's R^2;
# NULL when the outcome does not vary or the design has too few points for the regressors.
srrc <- function(y, X) {
    if (stats::sd(y) == 0 || nrow(X) <= ncol(X) + 1) return(NULL)
    ry <- as.numeric(scale(rank(y)))
    RX <- vapply(X, function(x) as.numeric(scale(rank(x))), numeric(length(y)))
    RX <- matrix(RX, nrow = length(y))
    if (any(!is.finite(RX))) return(NULL)
    fit <- stats::lm.fit(cbind(1, RX), ry)
    if (fit$rank < ncol(RX) + 1) return(NULL)
    b <- fit$coefficients[-1]
    r2 <- 1 - sum(fit$residuals^2) / sum(ry^2)
    list(coef = stats::setNames(b, names(X)), r2 = r2, adj_r2 = srrc_adj_r2(r2, length(y), ncol(RX)))
}

# R^2 adjusted for p regressors on n points: 1 - (1 - R^2)(n - 1)/(n - p - 1). With many
# regressors the plain R^2 is large by chance alone (about p/(n - 1) for regressors unrelated to
# the outcome: 0.53 for the baseline's 158 numbers on 300 points); NA when p >= n - 1, where no
# degree of freedom is left.
srrc_adj_r2 <- function(r2, n, p) {
    if (p >= n - 1) NA_real_ else 1 - (1 - r2) * (n - 1) / (n - p - 1)
}

# SRRC of one series with percentile bootstrap intervals (resampling points).
srrc_with_intervals <- function(y, X) {
    est <- srrc(y, X)
    if (is.null(est)) return(NULL)
    boot <- replicate(SWEEP_BOOT, {
        i <- sample.int(length(y), replace = TRUE)
        # a resample of no more distinct points than regressors cannot be fitted (the intercept
        # makes one coefficient more): srrc would find its matrix rank-deficient only after
        # ranking and fitting it, which for the baseline's rates (46 regressors on 60 points) was
        # every resample and most of a minute
        r <- if (length(unique(i)) > ncol(X)) srrc(y[i], X[i, , drop = FALSE])
        if (is.null(r)) rep(NA_real_, ncol(X)) else r$coef
    })
    boot <- matrix(boot, nrow = ncol(X))
    ci <- apply(boot, 1, stats::quantile, c(0.025, 0.975), na.rm = TRUE)
    data.frame(regressor = names(X), estimate = est$coef, ci_low = ci[1, ], ci_high = ci[2, ],
               r2 = est$r2, adj_r2 = est$adj_r2, n = length(y), p = ncol(X),
               stringsAsFactors = FALSE)
}

# The ranking at the longest horizon: `table` (each series' SRRC per regressor, NULL when none
# varies), `constant` (the series left out: they do not vary) and `horizon`.
sweep_ranking_table <- function(s, points, cols) {
    X <- sweep_regressors(points, cols)
    hmax <- max(s$horizon_years)
    if (nrow(X) <= ncol(X) + 1) {
        nsm_msg(sprintf("sweep: %d points for %d swept numbers and lever sets: too few for a ranking",
                        nrow(X), ncol(X)))
        return(list(table = NULL, constant = character(0), horizon = hmax))
    }
    at <- s[s$horizon_years == hmax, , drop = FALSE]
    set.seed(SWEEP_BOOT_SEED)
    out <- list(); constant <- character(0)
    for (k in unique(at$key)) {
        d <- at[at$key == k, , drop = FALSE]
        y <- d$value[match(points$point, d$point)]
        r <- srrc_with_intervals(y, X)
        if (is.null(r)) { constant <- c(constant, k); next }
        out[[k]] <- cbind(key = k, name = d$name[1], quantity = d$quantity[1], r,
                          stringsAsFactors = FALSE)
    }
    tab <- if (length(out)) do.call(rbind, out) else NULL
    if (!is.null(tab)) rownames(tab) <- NULL
    list(table = tab, constant = constant, horizon = hmax)
}

sweep_regressor_label <- function(ctx, r) {
    vapply(r, function(x) {
        if (!grepl("=", x, fixed = TRUE)) return(sweep_param_labels(ctx, x))
        v <- sub("^[^=]*=", "", x)
        paste0("Lever set: ", sweep_value_labels("levers", v))
    }, "", USE.NAMES = FALSE)
}

SWEEP_RANK_STATUS <- c(yes = "Distinguishable from 0 (95% interval)", no = "Not distinguishable",
                       none = "No interval: too few points for the regressors in a resample")

SWEEP_RANK_TOP <- 12        # regressors a panel shows: those with the largest |SRRC| for its outcome
SWEEP_RANK_PER_PAGE <- 3    # outcomes a page: a panel of 12 labelled rows needs most of its height
SWEEP_RANK_LABEL <- 34      # characters a line of a regressor's label, at most 2 lines
SWEEP_RANK_STRIP_LINES <- 4 # lines of a panel title: the outcome (up to 3) and its fit

# A regressor's label in at most 2 lines of SWEEP_RANK_LABEL characters (the last cut with an
# ellipsis): 12 rows of longer labels ran into each other.
sweep_rank_label <- function(x) {
    vapply(x, function(s) {
        p <- strwrap(s, SWEEP_RANK_LABEL)
        if (length(p) > 2) p <- c(p[1], paste0(substr(p[2], 1, SWEEP_RANK_LABEL - 2), " \u2026"))
        paste(p, collapse = "\n")
    }, "", USE.NAMES = FALSE)
}

# The rows of ranking table `tab` (sweep_ranking_table) of each series' `k` regressors with the
# largest |SRRC|, largest first, the series in the table's order: the chart's panels and the
# brief's sentences name the same ones.
sweep_rank_top <- function(tab, k) {
    series <- split(tab, factor(tab$key, levels = unique(tab$key)))
    tab <- do.call(rbind, lapply(series, function(d)
        utils::head(d[order(-abs(d$estimate)), , drop = FALSE], k)))
    rownames(tab) <- NULL
    tab
}

# More than one regressor per 10 points: the coefficients are uncertain and the plain R^2 is
# inflated, which the chart and the brief both say.
sweep_rank_crowded <- function(p, n) p > n / 10

# The fit in a panel's title: the adjusted rank R^2, with the plain one beside it.
sweep_rank_fit <- function(r2, adj_r2) {
    ifelse(is.na(adj_r2), sprintf("adjusted R\u00b2 n/a (R\u00b2 %.2f)", r2),
           sprintf("adjusted R\u00b2 = %.2f (R\u00b2 %.2f)", adj_r2, r2))
}

sweep_ranking_figures <- function(ctx, s, points, cols) {
    rk <- sweep_ranking_table(s, points, cols)
    tab <- rk$table
    constant <- rk$constant
    if (length(constant))
        nsm_msg("sweep: ", paste(sub("^[a-z]+:", "", constant), collapse = ", "),
                " do not vary over the sweep: left out of the ranking")
    if (is.null(tab)) return(list())
    hmax <- rk$horizon
    n <- tab$n[1]
    p_all <- tab$p[1]
    tab$series_lab <- ifelse(tab$quantity == "event", paste0(nsm_label(tab$name), " (events)"),
                             nsm_label(tab$name))
    # each outcome's own SWEEP_RANK_TOP regressors by |SRRC|, largest on top: the regressors
    # that matter differ between outcomes, and all of them on every panel (158 for the
    # baseline) could not be read
    tab <- sweep_rank_top(tab, SWEEP_RANK_TOP)
    tab$row_id <- paste(tab$key, tab$regressor, sep = "\r")
    # a resample of few points holds fewer distinct ones than there are regressors: no fit, and
    # with no fit in any resample no interval, which is said, not drawn as "not distinguishable"
    tab$status <- ifelse(is.na(tab$ci_low) | is.na(tab$ci_high), "none",
                         ifelse(tab$ci_low > 0 | tab$ci_high < 0, "yes", "no"))
    statuses <- names(SWEEP_RANK_STATUS)[names(SWEEP_RANK_STATUS) %in% tab$status |
                                         names(SWEEP_RANK_STATUS) != "none"]
    tab$status <- factor(tab$status, levels = statuses)
    reg_labels <- stats::setNames(sweep_rank_label(sweep_regressor_label(ctx, tab$regressor)),
                                  tab$row_id)
    shown <- min(SWEEP_RANK_TOP, p_all)
    keys <- unique(tab$key)
    pages <- nsm_pages(keys, SWEEP_RANK_PER_PAGE)
    figs <- list()
    for (i in seq_along(pages)) {
        d <- tab[tab$key %in% pages[[i]], , drop = FALSE]
        # rows per panel, the first level at the bottom: each panel its own order
        d$row_id <- factor(d$row_id, levels = rev(unlist(lapply(pages[[i]], function(k)
            d$row_id[d$key == k]))))
        d$panel <- factor(d$key, levels = pages[[i]])
        fits <- d[!duplicated(d$key), , drop = FALSE]
        titles <- stats::setNames(paste0(fits$series_lab, "\n", sweep_rank_fit(fits$r2, fits$adj_r2)),
                                  fits$key)
        # panel titles wrapped at `chars` characters a line
        facet <- function(chars) {
            force(chars)
            facet_wrap(~panel, ncol = SWEEP_RANK_PER_PAGE, scales = "free_y",
                       labeller = as_labeller(stats::setNames(sweep_rank_title(titles, chars),
                                                              names(titles))))
        }
        p <- ggplot(d, aes(y = row_id, x = estimate, xmin = ci_low, xmax = ci_high,
                           colour = status)) +
            geom_vline(xintercept = 0, colour = "grey50", linewidth = 0.4) +
            geom_linerange(data = d[d$status != "none", , drop = FALSE], linewidth = 1) +
            geom_point(size = 2.8) +
            facet(30) +
            # each panel's rows in the factor's order: a discrete scale trained on several
            # layers sorts what it has seen alphabetically
            scale_y_discrete(labels = reg_labels, limits = local({
                lv <- levels(d$row_id)
                function(x) lv[lv %in% x]
            })) +
            scale_colour_manual(values = c(yes = NSM_PALETTE[1], no = "grey60", none = "grey25"),
                                breaks = statuses, labels = SWEEP_RANK_STATUS[statuses],
                                name = NULL, drop = FALSE) +
            scale_x_continuous(breaks = c(-1, -0.5, 0, 0.5, 1),
                               labels = c("-1", "-0.5", "0", "0.5", "1")) +
            # an interval beyond +-1.1 (few points for many regressors) runs to the panel's
            # edge rather than being dropped
            coord_cartesian(xlim = c(-1.1, 1.1)) +
            labs(title = paste0("Which numbers matter: rank regression at ",
                                sweep_horizon_label(hmax),
                                if (length(pages) > 1) sprintf(" (%d of %d)", i, length(pages))),
                 subtitle = nsm_subtitle(
                     "Standardized rank regression coefficient of each swept number (and lever set) ",
                     "for each outcome over the sweep's ", n, " points: the change in the outcome's ",
                     "rank, in standard deviations, per standard deviation of the number's rank, the ",
                     "others held. Near \u00b11: it alone orders the outcome; near 0: it does not ",
                     "matter. 95% bootstrap interval over points. ",
                     if (shown < p_all) sprintf(paste0(
                         "Each panel: the %d of %d regressors with the largest |coefficient| for ",
                         "its outcome (%d left out). "), shown, p_all, p_all - shown),
                     "Fit: the rank R\u00b2 adjusted for the ", p_all, " regressors; a low one ",
                     "means the ranking misses interactions or non-monotone effects.",
                     if (sweep_rank_crowded(p_all, n)) sprintf(paste0(
                         " Caution: %d regressors on %d points (more than one per 10 points): the ",
                         "plain R\u00b2 is inflated (about %.2f from chance alone) and the ",
                         "coefficients are uncertain; more points would settle them."),
                         p_all, n, min(1, p_all / (n - 1))),
                     if (length(constant)) paste0(" Not shown (no variation over the sweep): ",
                                                  paste(nsm_label(sub("^[a-z]+:", "", constant)),
                                                        collapse = ", "), ".")),
                 x = "Standardized rank regression coefficient", y = NULL,
                 caption = ctx$caption) +
            nsm_theme() +
            theme(panel.grid.major.y = element_blank(), panel.spacing.x = unit(1.5, "lines"),
                  axis.text.y = element_text(size = rel(0.7), colour = "grey10", lineheight = 0.9),
                  strip.text = element_text(size = SWEEP_STRIP_PT, face = "bold", hjust = 0,
                                            lineheight = 0.9, margin = margin(b = 3)))
        # panel titles wrapped to the panels' width as the slide lays them out (a bold character
        # about 0.62 of its size wide, as in sweep_strip_fit): "U.S.-ROK alliance in c" was cut
        p <- p + facet(max(12, floor(sweep_panel_width(p) / (0.62 * SWEEP_STRIP_PT / 72))))
        figs[[length(figs) + 1]] <- nsm_figure(
            p, paste0("sweep_ranking", if (length(pages) > 1) paste0("_", i)),
            "Which swept numbers matter (rank regression)", "Sweep")
    }
    figs
}

# A ranking panel's title `x` (the outcome, a line break, its fit) wrapped at `chars`: the
# outcome in at most SWEEP_RANK_STRIP_LINES - 1 lines (the last cut with an ellipsis), the fit
# whole on its own lines.
sweep_rank_title <- function(x, chars) {
    vapply(x, function(s) {
        parts <- strsplit(s, "\n", fixed = TRUE)[[1]]
        o <- strwrap(parts[1], chars)
        lines <- SWEEP_RANK_STRIP_LINES - 1
        if (length(o) > lines) o <- c(o[seq_len(lines - 1)],
                                      paste0(substr(o[lines], 1, chars - 2), " \u2026"))
        paste(c(o, strwrap(parts[-1], chars)), collapse = "\n")
    }, "", USE.NAMES = FALSE)
}

# ---- LHS and design files: scatter of each outcome against each number -----------------------

# The swept numbers a scatter page shows: the SWEEP_TOP most correlated with the outcome, by the
# absolute rank correlation (Spearman) of the number and the outcome over the sweep's points at
# the ranking horizon `hmax`, most correlated first. A design's first columns are in the order of
# the scenario's files, which says nothing of what matters.
sweep_scatter_top <- function(d, numeric, hmax) {
    at <- d[d$horizon_years == hmax, , drop = FALSE]
    rho <- vapply(numeric, function(c) {
        if (stats::sd(at$value) == 0 || length(unique(at[[c]])) < 2) return(0)
        abs(stats::cor(at[[c]], at$value, method = "spearman"))
    }, 0)
    names(rho)[order(-rho)][seq_len(min(SWEEP_TOP, length(rho)))]
}

# Strip titles `x` of a scatter page wrapped to the width of its panels, at most
# SWEEP_STRIP_LINES lines (the last cut with an ellipsis): a bold character of the strip's
# SWEEP_STRIP_PT points is taken as 0.62 of its size wide (DejaVu Sans Bold, the widest of the
# fonts used). Titles that the cut makes alike end with their parameter paths `keys` instead
# ("[modifiers:8]", as in parameters.csv), so that no two panels read the same.
# tests/figures_sweeps.R measures the drawn lines against the panels' width.
SWEEP_STRIP_PT <- 11.5
SWEEP_STRIP_LINES <- 3
sweep_strip_fit <- function(x, keys, ncol) {
    width <- floor(nsm_panel_width(ncol) / (0.62 * SWEEP_STRIP_PT / 72))
    fit <- function(s, lines, tail = NULL) {
        p <- strwrap(s, width)
        if (length(p) > lines) {
            last <- substr(p[lines], 1, width - 2)
            p <- c(p[seq_len(lines - 1)], paste0(last, " \u2026"))
        }
        paste(c(p, tail), collapse = "\n")
    }
    out <- vapply(x, fit, "", lines = SWEEP_STRIP_LINES, USE.NAMES = FALSE)
    alike <- duplicated(out) | duplicated(out, fromLast = TRUE)
    # a path too long for the strip keeps its end, which tells numbers of one factor apart
    # ("[\u2026partnership:*>collapsed]"): the start alone can be the same for two of them, whose
    # panels were then drawn as one
    key <- function(k) {
        if (nchar(k) + 2 <= width) return(paste0("[", k, "]"))
        paste0("[\u2026", substr(k, nchar(k) - width + 4, nchar(k)), "]")
    }
    out[alike] <- vapply(which(alike), function(i)
        fit(x[i], SWEEP_STRIP_LINES - 1, key(keys[i])), "")
    out
}

sweep_scatter_figures <- function(ctx, s, cols) {
    numeric <- cols[vapply(cols, function(c) is.numeric(s[[c]]), TRUE)]
    if (length(numeric) == 0) return(list())
    s <- s[s$quantity == "outcome", , drop = FALSE]
    hs <- sort(unique(s$horizon_years))
    h_names <- paste0("By ", sweep_horizon_label(hs))
    h_colours <- stats::setNames(rep_len(NSM_PALETTE, length(hs)), h_names)
    s$horizon_lab <- paste0("By ", sweep_horizon_label(s$horizon_years))
    figs <- list()
    for (o in unique(s$name)) {
        d <- s[s$name == o, , drop = FALSE]
        if (stats::sd(d$value) == 0) {
            nsm_msg("sweep: ", o, " does not vary over the sweep: no scatter")
            next
        }
        long <- do.call(rbind, lapply(numeric, function(c)
            data.frame(parameter = c, x = d[[c]], value = d$value, horizon_lab = d$horizon_lab,
                       stringsAsFactors = FALSE)))
        hmax <- max(d$horizon_years)
        shown <- sweep_scatter_top(d, numeric, hmax)
        ncol <- nsm_ncol(length(shown))
        long <- long[long$parameter %in% shown, , drop = FALSE]
        long$panel <- factor(long$parameter, levels = shown,
                             labels = sweep_strip_fit(sweep_param_labels(ctx, shown), shown, ncol))
        which <- if (length(shown) < length(numeric))
            sprintf("Panels: the %d of %d swept numbers most correlated with it", length(shown),
                    length(numeric))
        else "Panels: every swept number"
        which <- paste0(which, ", by the absolute rank (Spearman) correlation over the points ",
                        "by ", sweep_horizon_label(hmax), ", most correlated first.")
        # loess needs enough distinct values; a straight line otherwise
        distinct <- min(vapply(shown, function(c) length(unique(d[[c]])), 1))
        p <- ggplot(long, aes(x, value, colour = horizon_lab)) +
            geom_point(size = 1.8, alpha = 0.7) +
            geom_smooth(method = if (distinct >= 12) "loess" else "lm", formula = y ~ x,
                        se = FALSE, linewidth = 0.9) +
            facet_wrap(~panel, scales = "free_x", ncol = ncol) +
            scale_colour_manual(values = h_colours, breaks = h_names, name = NULL) +
            # a smooth line that dips below 0% is held at 0%, not dropped (with a warning); three
            # rows of panels leave each about an inch: three ticks, whose labels do not run together
            nsm_scale_y_percent(limits = c(0, NA), oob = scales::oob_squish,
                                n_breaks = if (length(shown) > 2 * ncol) 3 else 5) +
            labs(title = paste0("\u201c", nsm_label(o), "\u201d against each swept number"),
                 subtitle = nsm_subtitle(
                     "The probability that the outcome has occurred by each horizon at each ",
                     "point of the sweep (", length(unique(d$point)), " points), against each ",
                     "swept number; line: ", if (distinct >= 12) "local regression (loess)" else
                         "least-squares line", ". Every other number varies at the same time. ",
                     which),
                 x = NULL, y = "Probability (% of runs)", caption = ctx$caption) +
            nsm_theme() +
            theme(strip.text = element_text(size = SWEEP_STRIP_PT, face = "bold", hjust = 0,
                                            lineheight = 0.9, margin = margin(b = 3)))
        figs[[length(figs) + 1]] <- nsm_figure(p, paste0("sweep_scatter_", nsm_slug(o)),
                                               paste0("Against each swept number: ", nsm_label(o)),
                                               "Sweep", brief = FALSE)
    }
    figs
}
