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

sweep_value_scale <- function(measure, ...) {
    if (measure %in% NSM_PROBABILITY_MEASURES)
        scale_y_continuous(labels = scales::label_percent(accuracy = 1), ...)
    else scale_y_continuous(labels = scales::label_number(big.mark = ","), ...)
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
        if (all(x$noise)) return("\n(within noise)")
        paste0("\n(within noise at ", paste(sweep_horizon_label(sort(x$horizon_years[x$noise])),
                                             collapse = ", "), ")")
    }, "", USE.NAMES = FALSE)
}

fig_tornado <- function(ctx) {
    t <- nsm_read(ctx$dir, "tornado", quiet = TRUE)
    if (is.null(t)) return(invisible())
    keys <- unique(t[, c("outcome", "measure")])
    figs <- list()
    for (k in seq_len(nrow(keys))) {
        d <- t[t$outcome == keys$outcome[k] & t$measure == keys$measure[k], , drop = FALSE]
        measure <- keys$measure[k]
        nparam <- length(unique(d$parameter))
        d$noise <- tornado_noise(d)
        top <- tornado_order(d, SWEEP_TOP)
        d <- d[d$parameter %in% top, , drop = FALSE]
        n_noise <- sum(top %in% d$parameter[d$noise & d$horizon_years == max(d$horizon_years)])
        ranges <- unique(d[, c("parameter", "low_value", "high_value")])
        ranges <- ranges[!duplicated(ranges$parameter), ]
        labs_of <- stats::setNames(paste0(sweep_wrap(sprintf("%s  [%g to %g]",
                                                             sweep_param_labels(ctx, ranges$parameter),
                                                             signif(ranges$low_value, 3),
                                                             signif(ranges$high_value, 3))),
                                          tornado_noise_note(d, ranges$parameter)),
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
            sweep_value_scale(measure, breaks = scales::breaks_pretty(n = 3)) +
            labs(title = paste0("What moves \u201c", nsm_label(keys$outcome[k]), "\u201d: tornado"),
                 subtitle = nsm_subtitle(
                     "The ", nsm_measure_phrase(measure, "each horizon"), " with one parameter at ",
                     "a time at the ends of its range [low to high], the others at their base ",
                     "values", if (length(base_col) > 0) " (dashed line: all at base values)",
                     ". Each horizon has its own scale. ",
                     sweep_which(length(top), nparam, "swing", max(hs)),
                     if (n_noise == length(top)) " No parameter moves it beyond Monte Carlo noise.",
                     if (any(d$noise)) paste0(
                         " Pale bars marked \u201cwithin noise\u201d: the swing is no larger ",
                         "than 1.96 times its Monte Carlo standard error, so it may be simulation ",
                         "error alone; they are listed last, not ranked.")),
                 x = NULL, y = sweep_value_axis(measure), caption = ctx$caption) +
            nsm_theme() +
            theme(panel.grid.major.y = element_blank(), panel.spacing = unit(2, "lines"),
                  axis.text.y = element_text(size = rel(0.85), colour = "grey10"))
        several <- sum(keys$outcome == keys$outcome[k]) > 1
        figs[[length(figs) + 1]] <- nsm_figure(
            p, sweep_page_name("tornado", keys$outcome[k], measure, several),
            paste0("Tornado: ", nsm_label(keys$outcome[k])), "Sensitivity")
    }
    figs
}

fig_sensitivity <- function(ctx) {
    s <- nsm_read(ctx$dir, "sensitivity", quiet = TRUE)
    if (is.null(s)) return(invisible())
    keys <- unique(s[, c("outcome", "measure")])
    index_names <- c(first = "First-order (the parameter alone)",
                     total = "Total (with its interactions)")
    figs <- list()
    for (k in seq_len(nrow(keys))) {
        d <- s[s$outcome == keys$outcome[k] & s$measure == keys$measure[k], , drop = FALSE]
        measure <- keys$measure[k]
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
                     " due to each parameter over its range, with 95% interval. ",
                     sweep_which(length(top), nparam, "total index", max(hs))),
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
