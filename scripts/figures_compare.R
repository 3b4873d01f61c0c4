# Figures of a `neasim compare` folder: the effect of each lever (arm minus baseline, from paired
# runs) on outcome probabilities at the headline horizons and over time, and on counted events.
# Inputs: briefing.csv (arm, outcome, horizon_years, date, baseline_probability, arm_probability,
# difference_pp, ci_low_pp, ci_high_pp, distinguishable) and differences.csv (arm, quantity,
# name, measure, date, t_years, baseline_value, arm_value, difference, std_error, ci_low,
# ci_high, variance_reduction).

# Colours of the arms other than the baseline, consistent with the other figures.
lever_colours <- function(arms) nsm_arm_colours(unique(c("baseline", arms)))[arms]

# "+3.1" / "-0.4" / "0" for axis labels in percentage points.
pp_labels <- function(x) ifelse(abs(x) < 1e-12, "0", sprintf("%+g", x))

# The lever table at the headline horizons: briefing.csv, or else built from differences.csv
# (outcome, occurred_by) with "distinguishable" meaning that the 95% interval excludes zero.
lever_table <- function(ctx) {
    b <- nsm_read(ctx$dir, "briefing", quiet = TRUE)
    if (!is.null(b)) return(b)
    d <- ctx$differences
    if (is.null(d)) return(NULL)
    d <- d[d$quantity == "outcome" & d$measure == "occurred_by", , drop = FALSE]
    if (nrow(d) == 0) return(NULL)
    nsm_msg("no briefing.csv: lever effects at the headline horizons taken from differences.csv")
    h <- nsm_at_horizons(d, nsm_headline_horizons(d$t_years))
    data.frame(arm = h$arm, outcome = h$name, horizon_years = h$horizon, date = h$date,
               baseline_probability = h$baseline_value, arm_probability = h$arm_value,
               difference_pp = 100 * h$difference, ci_low_pp = 100 * h$ci_low,
               ci_high_pp = 100 * h$ci_high,
               distinguishable = ifelse(h$ci_low > 0 | h$ci_high < 0, "yes", "no"),
               stringsAsFactors = FALSE)
}

fig_lever_effects <- function(ctx) {
    b <- lever_table(ctx)
    if (is.null(b)) return(nsm_msg("no briefing.csv or differences.csv: no lever chart"))
    arms <- unique(b$arm)
    hz <- unique(b[, c("horizon_years", "date")])
    hz <- hz[order(hz$horizon_years), ]
    b$panel <- factor(nsm_horizon_label(b$horizon_years, b$date),
                      levels = nsm_horizon_label(hz$horizon_years, hz$date))
    # largest effect (over arms and horizons) at the top
    size <- tapply(abs(b$difference_pp), b$outcome, max, na.rm = TRUE)
    ord <- names(sort(size))
    b$outcome_lab <- factor(nsm_label(b$outcome), levels = nsm_label(ord))
    b$arm <- factor(b$arm, levels = arms)
    b$dist <- factor(ifelse(tolower(b$distinguishable) %in% c("yes", "true", "1"),
                            "Distinguishable from no effect", "Not distinguishable"),
                     levels = c("Distinguishable from no effect", "Not distinguishable"))
    lim <- max(abs(c(b$ci_low_pp, b$ci_high_pp, b$difference_pp)), 0.5, na.rm = TRUE) * 1.12
    dodge <- position_dodge(width = if (length(arms) > 1) 0.7 else 0)
    p <- ggplot(b, aes(x = outcome_lab, y = difference_pp, ymin = ci_low_pp, ymax = ci_high_pp,
                       colour = arm)) +
        geom_hline(yintercept = 0, colour = "grey40", linewidth = 0.5) +
        geom_linerange(position = dodge, linewidth = 1) +
        geom_point(aes(shape = dist), position = dodge, size = 3, fill = "white", stroke = 1.2)
    if (length(arms) == 1) {
        b$text <- sprintf("%+.1f", b$difference_pp)
        b$ypos <- ifelse(b$difference_pp >= 0, b$ci_high_pp, b$ci_low_pp)
        b$hjust <- ifelse(b$difference_pp >= 0, -0.25, 1.25)
        p <- p + geom_text(data = b, aes(y = ypos, label = text, hjust = hjust), size = 10.5 / .pt,
                           show.legend = FALSE)
        lim <- lim * 1.25
    }
    p <- p + coord_flip() +
        facet_wrap(~panel, nrow = 1) +
        scale_y_continuous(limits = c(-lim, lim), labels = pp_labels,
                           breaks = scales::breaks_pretty(n = 5)) +
        scale_colour_manual(values = lever_colours(arms), name = "Arm") +
        scale_shape_manual(values = c("Distinguishable from no effect" = 16,
                                      "Not distinguishable" = 21), name = NULL, drop = FALSE) +
        labs(title = "Effect of each lever on the probability that an outcome has occurred",
             subtitle = nsm_subtitle("Arm minus baseline, in percentage points, with 95% interval ",
                                     "(paired runs). Right of zero: the lever makes the outcome ",
                                     "more likely by that horizon."),
             x = NULL, y = "Difference from baseline (percentage points)", caption = ctx$caption) +
        nsm_theme() +
        theme(panel.grid.major.y = element_blank(), panel.spacing = unit(2, "lines"),
              axis.text.y = element_text(size = rel(0.9), colour = "grey10"))
    if (length(arms) == 1) p <- p + guides(colour = "none")
    nsm_save(p, ctx$outdir, "lever_effects", "Effect of each lever at the headline horizons",
             "Levers")
}

fig_lever_effects_over_time <- function(ctx) {
    d <- ctx$differences
    if (is.null(d)) return(invisible())
    d <- d[d$quantity == "outcome" & d$measure == "occurred_by", , drop = FALSE]
    if (nrow(d) == 0) return(invisible())
    arms <- unique(d$arm)
    d$arm <- factor(d$arm, levels = arms)
    final <- d[d$date == max(d$date), ]
    size <- tapply(abs(final$difference), final$name, max, na.rm = TRUE)
    ord <- names(sort(size, decreasing = TRUE))
    from <- min(d$date); to <- max(d$date)
    pages <- nsm_pages(ord, 15)
    for (i in seq_along(pages)) {
        x <- d[d$name %in% pages[[i]], , drop = FALSE]
        ncol <- nsm_ncol(length(pages[[i]]))
        wrap <- c(60, 45, 40, 30, 24)[min(ncol, 5)]
        x$panel <- factor(nsm_wrap(nsm_label(x$name), wrap),
                          levels = nsm_wrap(nsm_label(pages[[i]]), wrap))
        p <- ggplot(x, aes(date, 100 * difference, ymin = 100 * ci_low, ymax = 100 * ci_high)) +
            geom_hline(yintercept = 0, colour = "grey40", linewidth = 0.5) +
            geom_ribbon(aes(fill = arm), alpha = 0.25) +
            geom_line(aes(colour = arm), linewidth = 0.9) +
            facet_wrap(~panel, ncol = ncol) +
            scale_colour_manual(values = lever_colours(arms), name = "Arm") +
            scale_fill_manual(values = lever_colours(arms), name = "Arm") +
            scale_y_continuous(labels = pp_labels, breaks = scales::breaks_pretty(n = 4)) +
            nsm_scale_x_date(from, to, nsm_panel_width(ncol)) +
            labs(title = "Effect of each lever over time",
                 subtitle = nsm_subtitle("Change in the probability that the outcome has occurred ",
                                         "by the date, arm minus baseline (paired runs); shaded: ",
                                         "95% interval"),
                 x = NULL, y = "Difference from baseline (percentage points)",
                 caption = ctx$caption) +
            nsm_theme(base_size = if (ncol >= 5) 13 else 15)
        if (length(arms) == 1) p <- p + guides(colour = "none", fill = "none")
        name <- paste0("lever_effects_over_time", if (length(pages) > 1) paste0("_", i))
        nsm_save(p, ctx$outdir, name, "Effect of each lever over time", "Levers")
    }
}

fig_lever_event_effects <- function(ctx) {
    d <- ctx$differences
    if (is.null(d)) return(invisible())
    d <- d[d$quantity == "event", , drop = FALSE]
    if (nrow(d) == 0) return(nsm_msg("differences.csv has no event rows: no lever chart for events"))
    arms <- unique(d$arm)
    d$arm <- factor(d$arm, levels = arms)
    events <- unique(d$name)
    d$panel <- factor(nsm_label(d$name), levels = nsm_label(events))
    from <- min(d$date); to <- max(d$date)
    ncol <- nsm_ncol(length(events))
    p <- ggplot(d, aes(date, difference, ymin = ci_low, ymax = ci_high)) +
        geom_hline(yintercept = 0, colour = "grey40", linewidth = 0.5) +
        geom_ribbon(aes(fill = arm), alpha = 0.25) +
        geom_line(aes(colour = arm), linewidth = 0.9) +
        facet_wrap(~panel, ncol = ncol, scales = "free_y") +
        scale_colour_manual(values = lever_colours(arms), name = "Arm") +
        scale_fill_manual(values = lever_colours(arms), name = "Arm") +
        scale_y_continuous(labels = function(x) ifelse(abs(x) < 1e-12, "0", sprintf("%+g", x))) +
        nsm_scale_x_date(from, to, nsm_panel_width(ncol)) +
        labs(title = "Effect of each lever on counted events",
             subtitle = nsm_subtitle("Change in the mean number of events since the start, arm ",
                                     "minus baseline (paired runs); shaded: 95% interval"),
             x = NULL, y = "Difference in mean events since the start (count)",
             caption = ctx$caption) +
        nsm_theme()
    if (length(arms) == 1) p <- p + guides(colour = "none", fill = "none")
    nsm_save(p, ctx$outdir, "lever_event_effects", "Effect of each lever on counted events",
             "Levers")
}
