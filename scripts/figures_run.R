# Figures from the tables of `neasim run` (and of `neasim compare`, whose tables are the same
# with a leading `arm` column): headline outcomes at 2, 5, 10 years and the end, cumulative outcome
# probabilities, state probabilities, and fan charts of counted events.

NSM_INTERVAL_NOTE <- "Shaded: 95% Monte Carlo interval (simulation error only, not scenario uncertainty)."

# What the shaded band is, for a subtitle: with --outer N (the manifest's outer_draws) the interval
# of the mean over the N draws, which counts the draws as the sample and so holds more than
# simulation error (README, "Two kinds of interval"); else NSM_INTERVAL_NOTE.
nsm_interval_note <- function(ctx) {
    if (!nzchar(nsm_get(ctx$manifest, "outer_draws", ""))) return(NSM_INTERVAL_NOTE)
    paste0("Shaded: 95% Monte Carlo interval", nsm_interval_of(ctx), " (the draws counted as ",
           "the sample, not the runs; not the spread between the draws).",
           nsm_few_draws_sentence(ctx$manifest, ranges = FALSE))
}

# Rows of arm `arm` (all rows when `arm` is NA, i.e. a single run).
nsm_arm_rows <- function(d, arm) if (is.na(arm)) d else d[d$arm == arm, , drop = FALSE]

nsm_arm_title <- function(arm) if (is.na(arm)) "" else paste0(" \u2014 arm: ", arm)

# ---- judgment ranges (run --outer: uncertainty.csv) ------------------------------------------

# The two kinds of interval, keyed by name: a legend entry is looked up by these names. A judgment
# range that is mostly the Monte Carlo noise of a draw (uncertainty.csv's judgment_mostly_noise)
# is drawn in grey, "noise", with a legend entry of its own that says so.
NSM_JUDGMENT_BANDS <- c(monte_carlo = NSM_PALETTE[1], judgment = "#9ECAE9", noise = "#D9D9D9")
# over a pale ribbon a pale whisker would vanish: dark grey, and a lighter one for noise
NSM_JUDGMENT_WHISKER <- c(judgment = "grey25", noise = "grey65")

nsm_judgment_labels <- function(ctx) {
    n <- nsm_get(ctx$manifest, "outer_draws", NA)
    c(monte_carlo = "95% Monte Carlo interval",
      judgment = paste0("Judgment range (5–95% over ", if (is.na(n)) "the" else n, " draws)"),
      noise = "Mostly Monte Carlo noise, not judgment (more runs a draw)")
}

# The legend of the bands drawn: `kinds` the names present (a key absent from the data is left out).
nsm_judgment_scale <- function(ctx, kinds = names(NSM_JUDGMENT_BANDS)) {
    lab <- nsm_judgment_labels(ctx)
    keys <- intersect(names(NSM_JUDGMENT_BANDS), kinds)
    scale_colour_manual(values = NSM_JUDGMENT_BANDS, breaks = keys, labels = lab[keys],
                        name = NULL)
}

# The kind of each row's judgment range: "noise" where uncertainty.csv says it is mostly noise.
judgment_kind <- function(u) ifelse(nsm_mostly_noise(u), "noise", "judgment")

# uncertainty.csv's rows at the outcomes and dates of `d` (a single run's rows, with
# outcome_lab), with their kind (judgment_kind), or NULL when the folder has no judgment ranges.
judgment_rows <- function(ctx, d) {
    u <- nsm_read(ctx$dir, "uncertainty", quiet = TRUE)
    if (is.null(u) || "arm" %in% names(d)) return(NULL)
    u$kind <- judgment_kind(u)
    m <- merge(d[, c("outcome", "date", "outcome_lab", "panel")],
               u[, c("outcome", "date", "q05", "q50", "q95", "kind")], by = c("outcome", "date"))
    if (nrow(m) == 0) NULL else m
}

# ---- headline: outcome probabilities at 2, 5 and 10 years and the end ------------------------

nsm_outcome_name <- function(outcome, onsets, held = NULL) {
    mark <- ifelse(outcome %in% onsets, " (onset)", nsm_held_mark(outcome, held))
    paste0(nsm_label(outcome), mark)
}
# What "has occurred" counts, for a subtitle: a state outcome has held at some time (the start
# included), an onset has begun after the start. `when` is " since the start" or " by the date".
nsm_occurred_phrase <- function(onsets, outcomes, when) {
    n_on <- sum(unique(outcomes) %in% onsets)
    if (n_on == 0) paste0("Share of runs in which the outcome has held at some time", when)
    else if (n_on == length(unique(outcomes)))
        paste0("Share of runs in which the outcome has begun after the start", when)
    else paste0("Share of runs in which the outcome has held at some time", when, " or, for an ",
                "onset, begun after the start")
}

NSM_ONSET_NOTE <- paste("(onset): only a change into the outcome after the start counts; runs that",
                        "start in it count only if they leave it and return.")
NSM_HELD_NOTE <- paste("(N% at the start): a state that N% of runs start in, counted as occurred",
                       "from the start.")
# The notes on the outcomes' marks that the outcomes shown need, after a sentence ending ".".
nsm_mark_notes <- function(outcomes, onsets, held)
    paste0(if (any(outcomes %in% onsets)) paste0(" ", NSM_ONSET_NOTE),
           if (any(outcomes %in% names(held))) paste0(" ", NSM_HELD_NOTE))

# The headline chart's value labels, placed beyond the end of the Monte Carlo interval (and of the
# dot, which a narrow interval does not reach): after its upper end, or before its lower end for a
# probability above 80% (no room on the right). Placed at the probability with a fixed offset, a
# label ran into a long interval's line ("—79%").
HEADLINE_DOT <- 0.025   # the dot's radius in probability units on a panel about 2.7 in wide
headline_text <- function(d) {
    d$text <- nsm_pct_label(d$probability)
    left <- d$probability > 0.8
    d$text_y <- ifelse(left, pmin(d$ci_low, d$probability - HEADLINE_DOT),
                       pmax(d$ci_high, d$probability + HEADLINE_DOT))
    d$hjust <- ifelse(left, 1.2, -0.2)
    d
}

fig_outcomes_by_horizon <- function(ctx) {
    oc <- ctx$outcomes
    if (is.null(oc)) return(invisible())
    onsets <- nsm_onsets(oc)
    held <- nsm_held_at_start(oc)
    oc <- oc[oc$measure == "occurred_by", , drop = FALSE]
    if (nrow(oc) == 0) return(nsm_msg("outcomes.csv has no occurred_by rows: no headline figure"))
    arms <- nsm_arms(oc)
    h <- nsm_at_horizons(oc, nsm_headline_horizons(oc$t_years))
    of_mean <- nsm_two_level(nsm_read(ctx$dir, "uncertainty", quiet = TRUE))
    h$panel <- nsm_horizon_label(h$horizon, h$date)
    h$panel <- factor(h$panel, levels = unique(h$panel))
    # outcomes ordered by the last horizon's probability (of the baseline), largest on top
    last <- h[h$horizon == max(h$horizon), , drop = FALSE]
    if (!is.null(arms)) last <- last[last$arm == arms[1], , drop = FALSE]
    ord <- last$outcome[order(last$probability, decreasing = FALSE)]
    h$outcome_lab <- factor(nsm_outcome_name(h$outcome, onsets, held),
                            levels = nsm_outcome_name(ord, onsets, held))
    pages <- nsm_pages(rev(ord), 25)
    groups <- if (is.null(arms)) list(NULL) else nsm_arm_groups(arms, 3, arms[1])
    figs <- list()
    for (g in seq_along(groups)) for (i in seq_along(pages)) {
        d <- h[h$outcome %in% pages[[i]], , drop = FALSE]
        arms <- groups[[g]]
        if (!is.null(arms)) {
            d <- d[d$arm %in% arms, , drop = FALSE]
            d$arm <- factor(d$arm, levels = arms)
        }
        p <- ggplot(d, aes(x = outcome_lab, y = probability, ymin = ci_low, ymax = ci_high))
        jr <- if (is.null(arms)) judgment_rows(ctx, d) else NULL
        if (!is.null(jr)) {
            # the judgment range: a wide pale bar under the Monte Carlo interval's dark line
            d <- headline_text(d)
            p <- p + geom_linerange(data = jr, aes(x = outcome_lab, ymin = q05, ymax = q95,
                                                   colour = kind),
                                    inherit.aes = FALSE, linewidth = 5) +
                geom_linerange(aes(colour = "monte_carlo"), linewidth = 1) +
                geom_point(colour = NSM_PALETTE[1], size = 3.2) +
                geom_text(data = d, aes(y = text_y, label = text, hjust = hjust), size = 11 / .pt,
                          colour = "grey20") +
                nsm_judgment_scale(ctx, c("monte_carlo", jr$kind))
        } else if (is.null(arms)) {
            d <- headline_text(d)
            p <- p + geom_linerange(colour = NSM_PALETTE[1], linewidth = 1) +
                geom_point(colour = NSM_PALETTE[1], size = 3.2) +
                geom_text(data = d, aes(y = text_y, label = text, hjust = hjust), size = 11 / .pt,
                          colour = "grey20")
        } else {
            dodge <- position_dodge(width = 0.7)
            p <- p + geom_linerange(aes(colour = arm), position = dodge, linewidth = 0.9) +
                geom_point(aes(colour = arm), position = dodge, size = 2.6) +
                nsm_arm_scale(arms, name = ctx$words$legend, guide = guide_legend(reverse = TRUE))
        }
        p <- p + coord_flip() +
            facet_wrap(~panel, nrow = 1) +
            scale_y_continuous(labels = scales::label_percent(accuracy = 1), limits = c(0, 1),
                               breaks = c(0, 0.25, 0.5, 0.75, 1),
                               expand = expansion(mult = c(0.03, 0.03))) +
            labs(title = paste0("Probability that each outcome has occurred, by horizon",
                                nsm_group_title(g, length(groups))),
                 subtitle = if (is.null(jr))
                     nsm_subtitle(nsm_occurred_phrase(onsets, h$outcome, " since the start"),
                                  "; lines: 95% Monte Carlo interval",
                                  if (of_mean) paste(" of the mean over the draws (the",
                                                     "draws counted as a sample)"),
                                  ".", nsm_few_draws_sentence(ctx$manifest, ranges = FALSE),
                                  nsm_mark_notes(h$outcome, onsets, held))
                 else nsm_subtitle(nsm_occurred_phrase(onsets, h$outcome, " since the start"),
                                   ". Dark line: 95% Monte Carlo interval of the ",
                                   "mean over the draws (simulation error, the draws counted as a ",
                                   "sample). Wide pale bar: judgment range, the 5% to ",
                                   "95% points of the probability over the draws of the ",
                                   "scenario's uncertain numbers (uncertainty.csv)",
                                   if (any(jr$kind == "noise"))
                                       paste0("; grey where it is mostly the Monte Carlo noise ",
                                              "of a draw's runs, not judgment"), ".",
                                   nsm_few_draws_sentence(ctx$manifest),
                                   nsm_mark_notes(h$outcome, onsets, held)),
                 x = NULL, y = "Probability (% of runs)",
                 caption = ctx$caption) +
            nsm_theme() +
            theme(panel.grid.major.y = element_blank(),
                  panel.spacing = unit(2.5, "lines"),
                  axis.text.y = element_text(size = rel(0.9), colour = "grey10"))
        name <- paste0("outcomes_by_horizon", nsm_group_suffix(g, length(groups)),
                       if (length(pages) > 1) paste0("_", i))
        # in a comparison every group is in the brief, among its key figures: with the first
        # alone, the headline chart of compare --levers all showed 3 of its 8 levers
        figs[[length(figs) + 1]] <- nsm_figure(
            p, name, paste0("Outcome probabilities at the headline horizons",
                            nsm_group_title(g, length(groups))), "Outcomes")
    }
    figs
}

# ---- cumulative probability of each outcome over time ---------------------------------------

fig_outcomes_over_time <- function(ctx) {
    oc <- ctx$outcomes
    if (is.null(oc)) return(invisible())
    onsets <- nsm_onsets(oc)
    held <- nsm_held_at_start(oc)
    oc <- oc[oc$measure == "occurred_by", , drop = FALSE]
    if (nrow(oc) == 0) return(invisible())
    arms <- nsm_arms(oc)
    first <- if (is.null(arms)) oc else oc[oc$arm == arms[1], ]
    final <- first[first$date == max(first$date), ]
    ord <- final$outcome[order(final$probability, decreasing = TRUE)]
    from <- min(oc$date); to <- max(oc$date)
    pages <- nsm_pages(ord, 15)
    groups <- if (is.null(arms)) list(NULL) else nsm_arm_groups(arms, 3, arms[1])
    figs <- list()
    for (g in seq_along(groups)) for (i in seq_along(pages)) {
        d <- oc[oc$outcome %in% pages[[i]], , drop = FALSE]
        arms <- groups[[g]]
        if (!is.null(arms)) d <- d[d$arm %in% arms, , drop = FALSE]
        k <- length(pages[[i]])
        ncol <- nsm_ncol(k)
        base_size <- if (ncol >= 5) 13 else 15
        names_ord <- nsm_outcome_name(pages[[i]], onsets, held)
        labs_ord <- nsm_strip_wrap(names_ord, ncol, base_size)
        d$panel <- factor(labs_ord[match(d$outcome, pages[[i]])], levels = labs_ord)
        if (!is.null(arms)) d$arm <- factor(d$arm, levels = arms)
        p <- ggplot(d, aes(date, probability, ymin = ci_low, ymax = ci_high))
        span <- as.numeric(to - from)
        extra <- 0
        ju <- NULL
        nested <- FALSE
        if (is.null(arms)) {
            u <- nsm_read(ctx$dir, "uncertainty", quiet = TRUE)
            if (!is.null(u)) {
                u$kind <- judgment_kind(u)
                ju <- merge(unique(d[, c("outcome", "panel")]), u, by = "outcome")
            }
            if (!is.null(ju) && nrow(ju) == 0) ju <- NULL
        }
        if (!is.null(ju)) {
            # run --outer: the Monte Carlo ribbon, and the judgment range as a whisker at each
            # horizon of uncertainty.csv, each keyed by name in its own legend
            end <- d[d$date == to, ]
            end$text <- nsm_pct_label(end$probability)
            extra <- span * if (ncol >= 5) 0.3 else 0.18
            lab <- nsm_judgment_labels(ctx)
            p <- p + geom_ribbon(aes(fill = "monte_carlo"), alpha = 0.25) +
                geom_line(colour = NSM_PALETTE[1], linewidth = 0.9) +
                geom_errorbar(data = ju, aes(x = date, ymin = q05, ymax = q95, colour = kind),
                              inherit.aes = FALSE, width = span * 0.025, linewidth = 1.1) +
                geom_text(data = end, aes(x = to + span * 0.03, label = text),
                          hjust = 0, size = 11 / .pt, colour = NSM_PALETTE[1]) +
                scale_fill_manual(values = NSM_JUDGMENT_BANDS["monte_carlo"], breaks = "monte_carlo",
                                  labels = lab["monte_carlo"], name = NULL) +
                scale_colour_manual(values = NSM_JUDGMENT_WHISKER,
                                    breaks = intersect(names(NSM_JUDGMENT_WHISKER), ju$kind),
                                    labels = lab[intersect(names(NSM_JUDGMENT_WHISKER), ju$kind)],
                                    name = NULL)
        } else if (is.null(arms)) {
            end <- d[d$date == to, ]
            end$text <- nsm_pct_label(end$probability)
            extra <- span * if (ncol >= 5) 0.3 else 0.18
            p <- p + geom_ribbon(fill = NSM_PALETTE[1], alpha = 0.25) +
                geom_line(colour = NSM_PALETTE[1], linewidth = 0.9) +
                geom_text(data = end, aes(x = to + span * 0.03, label = text),
                          hjust = 0, size = 11 / .pt, colour = NSM_PALETTE[1])
        } else {
            # the baseline drawn last and thin, so that arms that coincide with it still show,
            # and arms that coincide with each other one inside another (nsm_nested)
            lines <- nsm_nested(d[d$arm != arms[1], ], arms[-1], "probability", base = 1)
            nested <- attr(lines, "nested")
            p <- p + geom_ribbon(aes(fill = arm), alpha = 0.2) +
                geom_line(data = lines, aes(colour = arm, linewidth = .lw)) +
                geom_line(data = d[d$arm == arms[1], ], aes(colour = arm), linewidth = 0.5) +
                nsm_arm_scale(arms, aesthetics = c("colour", "fill"), name = ctx$words$legend) +
                nsm_nested_scale(1)
        }
        p <- p + facet_wrap(~panel, ncol = ncol) +
            nsm_scale_x_date(from, to, nsm_panel_width(ncol) * span / (span + extra),
                             extra_right = extra) +
            nsm_scale_y_percent() +
            labs(title = paste0("Cumulative probability that each outcome has occurred",
                                nsm_group_title(g, length(groups))),
                 subtitle = if (is.null(ju))
                     nsm_subtitle(nsm_occurred_phrase(onsets, d$outcome, " by the date"),
                                  " (first occurrence). ", nsm_interval_note(ctx),
                                  if (nested) paste0(" ", nsm_nested_note(ctx$words)),
                                  nsm_mark_notes(oc$outcome, onsets, held))
                 else nsm_subtitle(nsm_occurred_phrase(onsets, d$outcome, " by the date"),
                                   " (first occurrence). Shaded: 95% Monte Carlo interval ",
                                   "of the mean over the draws, which counts the draws, not the ",
                                   "runs, as the sample. Whiskers: judgment range, the 5% to 95% ",
                                   "points of the probability over the draws of the scenario's ",
                                   "uncertain numbers (uncertainty.csv), at its horizons",
                                   if (any(ju$kind == "noise"))
                                       paste0("; light grey where it is mostly the Monte Carlo ",
                                              "noise of a draw's runs, not judgment"), ".",
                                   nsm_few_draws_sentence(ctx$manifest),
                                   nsm_mark_notes(oc$outcome, onsets, held)),
                 x = NULL, y = "Probability (% of runs)", caption = ctx$caption) +
            nsm_theme(base_size = base_size)
        name <- paste0("outcomes_over_time", nsm_group_suffix(g, length(groups)),
                       if (length(pages) > 1) paste0("_", i))
        figs[[length(figs) + 1]] <- nsm_figure(
            p, name, paste0("Cumulative probability of each outcome over time",
                            nsm_group_title(g, length(groups))), "Outcomes")
    }
    figs
}

# ---- state probabilities per factor ---------------------------------------------------------

# One page of factor panels for one arm: a line and ribbon per level, labelled at its end.
state_page <- function(d, factors, ctx, title) {
    k <- length(factors)
    ncol <- nsm_ncol(k)
    nrow <- ceiling(k / ncol)
    from <- min(d$date); to <- max(d$date)
    label_size <- 11                                       # points
    wrap <- if (ncol >= 4) 16 else 24
    d$panel <- factor(nsm_label(d$factor), levels = nsm_label(factors))
    d$pos <- factor(ave(seq_len(nrow(d)), d$factor, FUN = function(i) match(d$level[i],
                                                                              unique(d$level[i]))))
    end <- d[d$date == to, ]
    end$text <- nsm_wrap(nsm_level_label(end$factor, end$level), wrap)
    lines <- lengths(regmatches(end$text, gregexpr("\n", end$text))) + 1
    # the panel's height in inches, to turn a text line into probability units
    panel_in <- (NSM_HEIGHT - 2.3) / nrow - 0.45
    line_prob <- 1.08 * (label_size * 1.05 / 72) / panel_in
    end$y <- end$probability
    for (f in unique(end$factor)) {
        i <- which(end$factor == f)
        end$y[i] <- nsm_dodge(end$probability[i], lines[i] * line_prob, -0.02, 1.02)
    }
    # room on the right for the labels: their width in inches against the panel's
    width_in <- (NSM_WIDTH - 1.2) / ncol - 0.35
    label_in <- max(nchar(unlist(strsplit(end$text, "\n")))) * 0.56 * label_size / 72 + 0.15
    span <- as.numeric(to - from)
    extra <- span * (0.05 + label_in / max(width_in - label_in, 0.5 * width_in))
    cols <- stats::setNames(rep_len(NSM_PALETTE, nlevels(d$pos)), levels(d$pos))
    p <- ggplot(d, aes(date, probability, group = level)) +
        geom_ribbon(data = d[!is.na(d$ci_low), ], aes(ymin = ci_low, ymax = ci_high, fill = pos),
                    alpha = 0.25) +
        geom_line(aes(colour = pos), linewidth = 0.9) +
        geom_segment(data = end, aes(x = to + span * 0.005, xend = to + span * 0.035,
                                     y = probability, yend = y, colour = pos), linewidth = 0.4) +
        geom_text(data = end, aes(x = to + span * 0.045, y = y, label = text, colour = pos),
                  hjust = 0, vjust = 0.5, size = label_size / .pt, lineheight = 0.85) +
        facet_wrap(~panel, ncol = ncol) +
        scale_colour_manual(values = cols, guide = "none") +
        scale_fill_manual(values = cols, guide = "none") +
        nsm_scale_x_date(from, to, width_in - label_in, extra_right = extra) +
        scale_y_continuous(labels = scales::label_percent(accuracy = 1),
                           breaks = c(0, 0.25, 0.5, 0.75, 1), expand = expansion(mult = 0.04)) +
        coord_cartesian(ylim = c(0, 1), clip = "off") +
        labs(title = title,
             subtitle = nsm_subtitle("Share of runs in each level of each factor at each date. ",
                                     nsm_interval_note(ctx)),
             x = NULL, y = "Probability (% of runs)", caption = ctx$caption) +
        nsm_theme()
    p
}

# A factor with more than `keep` + 1 levels keeps its `keep` most probable levels (by their
# largest probability over time) and sums the others into "other (N levels)", drawn without a
# ribbon: more than seven lines with direct labels do not fit in a panel (nor in the palette).
lump_levels <- function(d, keep = 6) {
    cols <- c("date", "factor", "level", "probability", "ci_low", "ci_high")
    out <- lapply(split(d, factor(d$factor, levels = unique(d$factor))), function(x) {
        levels <- unique(x$level)
        if (length(levels) <= keep + 1) return(x[, cols])
        top <- names(sort(tapply(x$probability, x$level, max), decreasing = TRUE))[seq_len(keep)]
        rest <- x[!(x$level %in% top), , drop = FALSE]
        other <- stats::aggregate(probability ~ date, data = rest, FUN = sum)
        other$factor <- x$factor[1]
        other$level <- sprintf("other (%d levels)", length(levels) - keep)
        other$ci_low <- NA_real_
        other$ci_high <- NA_real_
        kept <- x[x$level %in% top, cols]
        kept <- kept[order(match(kept$level, levels)), ]
        rbind(kept, other[, cols])
    })
    out <- do.call(rbind, out)
    rownames(out) <- NULL
    out
}

fig_state_probabilities <- function(ctx) {
    sp <- nsm_read(ctx$dir, "state_probabilities")
    if (is.null(sp)) return(invisible())
    arms <- nsm_arms(sp) %||% NA
    # a comparison has many arms of three pages each: the baseline's unless asked for all
    if (length(arms) > 1 && Sys.getenv("NEASIM_FIGURES_ALL_ARMS") != "1") {
        nsm_msg("state probabilities of the baseline arm only (NEASIM_FIGURES_ALL_ARMS=1 for ",
                "every arm)")
        arms <- arms[1]
    }
    figs <- list()
    for (arm in arms) {
        d <- lump_levels(nsm_arm_rows(sp, arm))
        factors <- unique(d$factor)
        pages <- nsm_pages(factors, 6)
        for (i in seq_along(pages)) {
            title <- paste0("State probabilities over time", nsm_arm_title(arm),
                            if (length(pages) > 1) sprintf(" (%d of %d)", i, length(pages)))
            p <- state_page(d[d$factor %in% pages[[i]], , drop = FALSE], pages[[i]], ctx, title)
            name <- paste0("state_probabilities", if (!is.na(arm)) paste0("_", nsm_slug(arm)),
                           if (length(pages) > 1) paste0("_", i))
            # in a comparison the briefing shows the baseline's states; the arms' are in figures/
            figs[[length(figs) + 1]] <- nsm_figure(p, name, title, "State probabilities",
                                                   brief = is.na(arm) || arm == arms[1])
        }
    }
    figs
}

# ---- counted events: fan charts -------------------------------------------------------------

# The cumulative count is 0 at the start by definition; add that point so fans start at zero.
with_start_row <- function(d, start) {
    if (is.na(start) || any(d$date <= start)) return(d)
    keys <- unique(d[, intersect(c("arm", "event"), names(d)), drop = FALSE])
    z <- d[rep(1, nrow(keys)), , drop = FALSE]
    z[, names(keys)] <- keys
    z$date <- start; z$t_years <- 0
    for (col in c("mean", "sd", "mean_std_error", "q05", "q25", "q50", "q75", "q95",
                  "p_at_least_one")) if (col %in% names(z)) z[[col]] <- 0
    rbind(z, d)
}

# The fan's bands and lines, each keyed by its name: the legend's colours and line types are
# looked up by these names, never by position.
FAN_BANDS <- c("50% of runs" = "#3C8DC5", "90% of runs" = "#9ECAE9")
FAN_LINES <- c(Median = NSM_PALETTE[1], Mean = "grey15")
FAN_LINETYPES <- c(Median = "solid", Mean = "22")

fan_layers <- function() {
    list(geom_ribbon(aes(ymin = q05, ymax = q95, fill = "90% of runs"), alpha = 0.35),
         geom_ribbon(aes(ymin = q25, ymax = q75, fill = "50% of runs"), alpha = 0.55),
         geom_line(aes(y = q50, linetype = "Median"), colour = FAN_LINES[["Median"]],
                   linewidth = 1),
         geom_line(aes(y = mean, linetype = "Mean"), colour = FAN_LINES[["Mean"]],
                   linewidth = 0.6),
         scale_fill_manual(values = FAN_BANDS, breaks = names(FAN_BANDS), name = NULL),
         # the legend's keys take their colours from FAN_LINES in the order of `breaks`
         scale_linetype_manual(values = FAN_LINETYPES, breaks = names(FAN_LINETYPES), name = NULL,
                               guide = guide_legend(override.aes = list(
                                   colour = unname(FAN_LINES[names(FAN_LINETYPES)])))))
}

fig_event_fans <- function(ctx) {
    ec <- ctx$events
    if (is.null(ec)) return(invisible())
    cum <- ec[ec$window == "cumulative", , drop = FALSE]
    if (nrow(cum) == 0) return(nsm_msg("event_counts.csv has no cumulative rows: no fan chart"))
    start <- as.Date(nsm_get(ctx$manifest, "start_date", NA))
    cum <- with_start_row(cum, start)
    event_pages(cum, event_fan_page, ctx, "Counted events since the start", "events_cumulative")
}

# The pages of an event chart: one, or for a comparison three arms besides the baseline a page
# (nsm_arm_groups, as the other arm charts), every page in the brief: page(rows, arms, ctx,
# title) draws one, `what` is the title ("Counted events per year"), `file` the figure's name.
event_pages <- function(rows, page, ctx, what, file) {
    arms <- nsm_arms(rows)
    groups <- if (is.null(arms)) list(NULL) else nsm_arm_groups(arms, 3, arms[1])
    figs <- list()
    for (g in seq_along(groups)) {
        d <- if (is.null(arms)) rows else rows[rows$arm %in% groups[[g]], , drop = FALSE]
        part <- nsm_group_title(g, length(groups))
        p <- page(d, groups[[g]], ctx, paste0(what, ": median and spread over runs", part))
        figs[[length(figs) + 1]] <- nsm_figure(
            p, paste0(file, nsm_group_suffix(g, length(groups))),
            paste0(what, " (fan chart)", part), "Counted events")
    }
    figs
}

# One page of fans: a panel per event, or per event and arm (rows and columns) for arms.
event_fan_page <- function(cum, arms, ctx, title) {
    # the columns of panels are the arms' labels; their names stay in arm_name for the index
    # (nsm_plot_arms)
    if (!is.null(arms)) {
        cum$arm_name <- factor(cum$arm, levels = arms)
        cum$arm <- factor(cum$arm, levels = arms, labels = arm_label(arms, 24))
    }
    events <- unique(cum$event)
    from <- min(cum$date); to <- max(cum$date)
    cum$panel <- factor(nsm_label(cum$event), levels = nsm_label(events))
    # the final distribution, written in each panel (the numbers a slide is asked about)
    end <- cum[cum$date == to, ]
    end$text <- sprintf("By %s: median %g (90%%: %g\u2013%g)\nAt least one: %s of runs",
                        nsm_month(to), end$q50, end$q05, end$q95,
                        nsm_pct_label(end$p_at_least_one))
    yearly <- cum[abs(cum$t_years - round(cum$t_years)) < 0.02 & cum$t_years > 0.5, ]
    p <- ggplot(cum, aes(date)) + fan_layers() +
        geom_point(data = yearly, aes(y = q50), colour = NSM_PALETTE[1], size = 1.8) +
        geom_text(data = end, aes(x = from, y = Inf, label = text), hjust = 0, vjust = 1.15,
                  size = (if (is.null(arms)) 10 else 8.5) / .pt, colour = "grey20",
                  lineheight = 0.95)
    if (is.null(arms)) {
        ncol <- nsm_ncol(length(events))
        p <- p + facet_wrap(~panel, ncol = ncol, scales = "free_y")
    } else {
        ncol <- length(arms)
        p <- p + facet_grid(panel ~ arm, scales = "free_y",
                            labeller = labeller(panel = label_wrap_gen(12)))
    }
    rows <- if (is.null(arms)) ceiling(length(events) / ncol) else length(events)
    p + nsm_scale_x_date(from, to, nsm_panel_width(ncol)) +
        scale_y_continuous(breaks = nsm_integer_breaks(if (rows > 2) 3 else 5),
                           expand = expansion(mult = c(0.02, 0.35)), limits = c(0, NA)) +
        labs(title = title,
             subtitle = paste("Events from the start to each date; bands hold the middle 50% and",
                              "90% of runs; dots mark each year from the start"),
             x = NULL, y = "Events since the start (count)", caption = ctx$caption) +
        nsm_theme() +
        theme(strip.text.y.right = element_text(angle = 0, hjust = 0, vjust = 0.5))
}

# Per-year fans need per-year quantiles: drawn only when the engine writes window = "year" rows
# (events in the year ending at each anniversary of the start). Summing monthly quantiles would
# be wrong, so there is no fallback. A comparison draws every arm, over pages (event_pages).
fig_event_year_fans <- function(ctx) {
    ec <- ctx$events
    if (is.null(ec)) return(invisible())
    yr <- ec[ec$window %in% c("year", "yearly"), , drop = FALSE]
    if (nrow(yr) == 0)
        return(nsm_msg("event_counts.csv has no window=year rows: no per-year fan chart ",
                       "(the cumulative fan is drawn instead)"))
    event_pages(yr, event_year_page, ctx, "Counted events per year", "events_per_year")
}

# One page of per-year fans: a panel per event, the arms (when given) side by side in each year.
event_year_page <- function(yr, arms, ctx, title) {
    events <- unique(yr$event)
    yr$panel <- factor(nsm_label(yr$event), levels = nsm_label(events))
    yr$year_lab <- factor(nsm_month(yr$date), levels = unique(nsm_month(sort(unique(yr$date)))))
    if (!is.null(arms)) yr$arm <- factor(yr$arm, levels = arms)
    p <- ggplot(yr, aes(x = year_lab))
    if (is.null(arms)) {
        p <- p + geom_linerange(aes(ymin = q05, ymax = q95, colour = "90% of runs"),
                                linewidth = 2.5) +
            geom_linerange(aes(ymin = q25, ymax = q75, colour = "50% of runs"), linewidth = 6) +
            geom_point(aes(y = q50, shape = "Median"), size = 3, colour = "white",
                       fill = "grey10", stroke = 1) +
            geom_point(aes(y = mean, shape = "Mean"), size = 2.2, colour = "grey10") +
            scale_colour_manual(values = FAN_BANDS, breaks = names(FAN_BANDS), name = NULL) +
            scale_shape_manual(values = c(Median = 21, Mean = 4), breaks = c("Median", "Mean"),
                               name = NULL)
    } else {
        dodge <- position_dodge(width = 0.7)
        p <- p + geom_linerange(aes(ymin = q05, ymax = q95, colour = arm), position = dodge,
                                linewidth = 0.8) +
            geom_linerange(aes(ymin = q25, ymax = q75, colour = arm), position = dodge,
                           linewidth = 3) +
            geom_point(aes(y = q50, group = arm), position = dodge, size = 1.8, colour = "white") +
            nsm_arm_scale(arms, name = ctx$words$legend)
    }
    p + facet_wrap(~panel, ncol = nsm_ncol(length(events)), scales = "free_y") +
        scale_y_continuous(breaks = nsm_integer_breaks(), limits = c(0, NA),
                           expand = expansion(mult = c(0.02, 0.08))) +
        labs(title = title,
             subtitle = paste0("Events in the twelve months ending at each date; thick bar: middle ",
                               "50% of runs, thin bar: middle 90%",
                               if (!is.null(arms)) "; white dot: median"),
             x = "Year ending", y = "Events in the year (count)", caption = ctx$caption) +
        nsm_theme() +
        theme(axis.text.x = element_text(angle = 45, hjust = 1), panel.grid.major.x = element_blank())
}
