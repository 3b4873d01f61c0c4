# Figures of a `neasim compare` folder: the effect of each lever (arm minus baseline, on common
# random numbers) on outcome probabilities at the briefing horizons (a matrix of levers by
# outcomes, and a dot chart with intervals), over time, and on counted events.
# Inputs: briefing.csv (arm, outcome, horizon_years, date, baseline_probability, arm_probability,
# difference_pp, ci_low_pp, ci_high_pp, distinguishable) and differences.csv (arm, quantity,
# name, measure, date, t_years, baseline_value, arm_value, difference, std_error, ci_low,
# ci_high, variance_reduction).
#
# Many arms do not fit one chart: line and dot charts take the arms in groups of at most four
# (one page per group, colours by position in the group, see nsm_arm_groups()); the matrix shows
# every arm.

# "+3.1" / "-0.4" / "0" for axis labels in percentage points.
pp_labels <- function(x) ifelse(abs(x) < 1e-12, "0", sprintf("%+g", x))
# The lever matrix's colour key: how much a lever helps, not the sign of the change (a cell reading
# -43.0 on a "lower is better" risk is blue, and a key of "+40" there read as the opposite).
# Scenarios compared read "better 20", "worse 20" (nsm_arm_words).
help_labels <- function(x, w = nsm_arm_words(character(0)))
    ifelse(is.na(x), NA_character_, ifelse(abs(x) < 1e-12, w$none,
           paste(ifelse(x > 0, w$helps, w$hurts), format(abs(x), trim = TRUE))))

is_yes <- function(x) tolower(as.character(x)) %in% c("yes", "true", "1")

# The lever table at the briefing horizons: briefing.csv, or else built from differences.csv
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

# ---- the matrix: levers by outcomes at one horizon ------------------------------------------

MATRIX_NEUTRAL <- "#E3D7EE"   # light purple: outside the blue-orange scale of help

# The columns' labels (the levers), relative to the axis text: MATRIX_COLUMN_REL, or smaller when
# the widest line of a label is wider than MATRIX_COLUMN_FILL of its column on the slide. Wrapped
# at 13 characters, a longer word stays whole: compare --levers all of the baseline has eight
# columns of about an inch, and "institutionalised" (1.1 in) ran into the next column's label.
MATRIX_COLUMN_REL <- 0.8
MATRIX_COLUMN_FILL <- 0.9   # the rest is the gap between two neighbours' labels
matrix_column_rel <- function(p, labels) {
    column <- sweep_panel_width(p) / length(labels)
    lines <- unlist(strsplit(labels, "\n", fixed = TRUE))
    widest <- max(nsm_text_width(lines, NSM_AXIS_PT * MATRIX_COLUMN_REL))
    MATRIX_COLUMN_REL * min(1, MATRIX_COLUMN_FILL * column / widest)
}

# How much each row's change helps its outcome, in pp: the change for "higher is better", minus
# it for "lower is better", NA for an outcome with no better direction (briefing.csv's
# `desirable`; NA throughout for a folder written before that column).
matrix_help <- function(d) {
    dir <- if ("desirable" %in% names(d)) as.character(d$desirable) else rep(NA, nrow(d))
    ifelse(dir %in% "higher", d$difference_pp,
           ifelse(dir %in% "lower", -d$difference_pp, NA_real_))
}

fig_lever_matrix <- function(ctx) {
    b <- ctx$levers
    w <- ctx$words
    if (is.null(b)) return(invisible())
    arms <- unique(b$arm)
    hz <- unique(b[, c("horizon_years", "date")])
    hz <- hz[order(hz$horizon_years), ]
    figs <- list()
    for (j in seq_len(nrow(hz))) {
        x <- b[b$horizon_years == hz$horizon_years[j], , drop = FALSE]
        size <- tapply(abs(x$difference_pp), x$outcome, max, na.rm = TRUE)
        ord <- names(sort(size, decreasing = TRUE))
        rows <- nsm_pages(ord, 20)
        cols <- nsm_pages(arms, 10)
        for (r in seq_along(rows)) for (cc in seq_along(cols)) {
            d <- x[x$outcome %in% rows[[r]] & x$arm %in% cols[[cc]], , drop = FALSE]
            # factors keyed by the names, labelled for people: a column's label is its arm's
            d$outcome_lab <- factor(d$outcome, levels = rev(rows[[r]]),
                                    labels = nsm_label(rev(rows[[r]])))
            d$arm_lab <- factor(d$arm, levels = cols[[cc]], labels = arm_label(cols[[cc]], 13))
            d$dist <- is_yes(d$distinguishable)
            # colour says whether the lever helps, by the outcome's better direction (a fall of a
            # risk is help: coloured by the change alone, the baseline's risks read blue when
            # they rose); an outcome with no better direction gets one neutral colour
            d$help <- matrix_help(d)
            d$fill <- ifelse(d$dist, d$help, NA_real_)
            d$neutral <- d$dist & is.na(d$help)
            d$text <- nsm_pp(d$difference_pp)
            lim <- max(abs(matrix_help(x)[is_yes(x$distinguishable)]), 1, na.rm = TRUE)
            p <- ggplot(d, aes(arm_lab, outcome_lab)) +
                geom_tile(aes(fill = fill), colour = "white", linewidth = 1.2) +
                # width and height given: a layer's tiles are otherwise as large as the
                # spacing of its own rows, and a few scattered cells would cover their neighbours
                geom_tile(data = d[d$neutral, ], fill = MATRIX_NEUTRAL, colour = "white",
                          linewidth = 1.2, width = 1, height = 1) +
                geom_text(data = d[d$dist, ], aes(label = text), size = 11 / .pt,
                          fontface = "bold", colour = "grey10") +
                geom_text(data = d[!d$dist, ], aes(label = text), size = 10 / .pt,
                          colour = "grey45") +
                scale_fill_gradient2(low = "#D55E00", mid = "white", high = "#0072B2",
                                     midpoint = 0, limits = c(-lim, lim), na.value = "grey94",
                                     labels = function(v) help_labels(v, w),
                                     name = if (w$scenarios)
                                         "How much\nbetter or worse,\npercentage\npoints"
                                     else "How much it\nhelps or hurts,\npercentage\npoints",
                                     guide = guide_colourbar(barheight = unit(10, "lines"))) +
                scale_x_discrete(position = "top") +
                labs(title = paste0(w$each, " by ",
                                    nsm_horizon_label(hz$horizon_years[j], hz$date[j])),
                     subtitle = if (w$scenarios) nsm_subtitle(
                         "The number: change in the probability that each outcome has occurred ",
                         "by then, ", w$minus, ", in percentage points (paired runs). Colour: ",
                         "how much better (blue) or worse (orange) the outcome is in the ",
                         "scenario, by its better direction (a fall of a risk is better); ",
                         "purple: a change to an outcome with no better direction. Coloured and ",
                         "bold: distinguishable from no difference (95% interval excludes 0); ",
                         "grey: not ",
                         "distinguishable. Rows: the outcome with the largest difference first; ",
                         "columns: the scenarios in the order given.")
                     else nsm_subtitle(
                         "The number: change in the probability that each outcome has occurred ",
                         "by then, arm minus baseline, in percentage points (paired runs). Colour: ",
                         "how much the lever helps (blue) or hurts (orange), by each outcome's ",
                         "better direction (a fall of a risk helps); purple: a change to an ",
                         "outcome with no better direction. Coloured and bold: distinguishable ",
                         "from no effect (95% interval excludes 0); grey: not distinguishable. ",
                         "Rows: the outcome with the largest effect first; columns: the levers in ",
                         "the order given."),
                     x = NULL, y = NULL, caption = ctx$caption) +
                nsm_theme() +
                theme(panel.grid.major = element_blank(), legend.position = "right",
                      legend.justification = "center",
                      axis.text.x.top = element_text(size = rel(MATRIX_COLUMN_REL),
                                                     colour = "grey10", lineheight = 0.9),
                      axis.text.y = element_text(size = rel(0.85), colour = "grey10"))
            p <- p + theme(axis.text.x.top = element_text(
                size = rel(matrix_column_rel(p, levels(d$arm_lab)))))
            name <- paste0("lever_matrix_", format(hz$horizon_years[j]), "y",
                           if (length(rows) > 1) paste0("_o", r), if (length(cols) > 1) paste0("_a", cc))
            figs[[length(figs) + 1]] <- nsm_figure(
                p, name, paste0(w$effects, " by ",
                                nsm_horizon_label(hz$horizon_years[j], hz$date[j])), w$Many)
        }
    }
    figs
}

# ---- the brief's lever chart: every lever on the outcomes they move most, on one page --------

# At most FOREST_OUTCOMES panels (outcomes), each with one row per lever: 6 panels of 8 rows fit a
# slide, and the brief embeds this one page where it embedded every page of arm panels (compare
# --levers all: three pages of its headline chart, three of each counted-event fan).
FOREST_OUTCOMES <- 6

# The drawn rows of a lever forest, read back from the built plot `p` rather than from the table
# it was given, so that tests/brief_check.py compares what the reader sees with differences.csv:
# each dot's panel (the outcome's label as its strip says it), its row's axis label (the lever),
# the dot and the ends of its interval (and of the judgment bar, when drawn), in percentage
# points. Written beside the figure as figures/lever_forest.csv (nsm_save).
forest_drawn <- function(p) {
    b <- ggplot_build(p)
    sc <- b$layout$panel_scales_y[[1]]
    axis <- gsub("\n", " ", sc$get_labels(sc$get_limits()), fixed = TRUE)
    lay <- b$layout$layout
    strip <- stats::setNames(gsub("\n", " ", as.character(lay$panel), fixed = TRUE), lay$PANEL)
    geoms <- function(g) which(vapply(p$layers, function(l) inherits(l$geom, g), TRUE))
    key <- function(d) paste(d$PANEL, as.integer(d$y))
    dots <- b$data[[geoms("GeomPoint")[1]]]
    # the Monte Carlo interval is the last line range drawn, over the judgment bar when there is one
    lines <- geoms("GeomLinerange")
    mc <- b$data[[lines[length(lines)]]]
    k <- match(key(dots), key(mc))
    out <- data.frame(outcome_label = unname(strip[as.character(dots$PANEL)]),
                      lever_label = axis[as.integer(dots$y)], difference_pp = dots$x,
                      ci_low_pp = mc$xmin[k], ci_high_pp = mc$xmax[k], stringsAsFactors = FALSE)
    if (length(lines) > 1) {
        j <- b$data[[lines[1]]]
        k <- match(key(dots), key(j))
        out$judgment_q05_pp <- j$xmin[k]
        out$judgment_q95_pp <- j$xmax[k]
        # drawn fainter: the range is mostly noise (JUDGMENT_ALPHA)
        out$judgment_faint <- ifelse(j$alpha[k] < JUDGMENT_ALPHA[["judgment"]], "yes", "no")
    }
    out
}

# A dot-and-interval (forest) chart for the brief: for the outcomes the levers move most at the
# last briefing horizon (the lever matrix's first rows), each lever's paired difference from the
# baseline with its 95% interval, from differences.csv (probabilities, drawn as percentage
# points), every lever on one page. Its subtitle says what the interval is: the paired Monte Carlo
# interval, which holds no judgment uncertainty unless compare ran with --outer, when it is the
# mean's over the draws and the judgment range is drawn under it as a pale bar.
fig_lever_forest <- function(ctx) {
    d <- ctx$differences
    b <- ctx$levers
    w <- ctx$words
    if (is.null(d) || is.null(b)) return(invisible())
    d <- d[d$quantity == "outcome" & d$measure == "occurred_by", , drop = FALSE]
    hmax <- max(b$horizon_years)
    when <- b$date[b$horizon_years == hmax][1]
    d <- d[d$date == when, , drop = FALSE]
    if (nrow(d) == 0) return(nsm_msg("differences.csv has no row at ", when, ": no lever forest"))
    arms <- unique(d$arm)
    size <- tapply(abs(d$difference), d$name, max, na.rm = TRUE)
    n_all <- length(size)
    keep <- names(sort(size, decreasing = TRUE))[seq_len(min(FOREST_OUTCOMES, n_all))]
    x <- data.frame(arm = d$arm, outcome = d$name, difference_pp = 100 * d$difference,
                    ci_low_pp = 100 * d$ci_low, ci_high_pp = 100 * d$ci_high,
                    stringsAsFactors = FALSE)[d$name %in% keep, , drop = FALSE]
    x$horizon_years <- hmax
    x <- with_judgment(x, ctx)
    judged <- "jq05" %in% names(x) && any(!is.na(x$jq05))
    if (judged) x$jkind <- ifelse(x$jnoise %in% TRUE, "noise", "judgment")
    noisy <- judged && any(x$jkind == "noise")
    # the verdict as the lever matrix colours it: help or harm by the outcome's better direction,
    # a change where it has none, grey where the interval holds 0
    dir <- desirable_of_outcomes(x$outcome)
    dist <- x$ci_low_pp > 0 | x$ci_high_pp < 0
    x$verdict <- ifelse(!dist | is.na(dist), "unclear",
                        ifelse(dir == "none", "changes",
                               ifelse(help_sign(x$difference_pp, dir) > 0, "helps", "hurts")))
    ncol <- nsm_ncol(length(keep))
    # the strips are wrapped below, once the panels' width is known
    strips <- paste0(nsm_label(keep), desirable_note(desirable_of_outcomes(keep)))
    x$panel <- factor(strips[match(x$outcome, keep)], levels = strips)
    # rows keyed by the arm's name, labelled by a named vector: never by position; the first lever
    # on top
    x$arm <- factor(x$arm, levels = arms)
    # each value beyond the end of its interval (and of its judgment bar), away from zero, where no
    # other row's text is
    x$text <- nsm_pp(x$difference_pp)
    lo <- if (judged) pmin(x$ci_low_pp, x$jq05, na.rm = TRUE) else x$ci_low_pp
    hi <- if (judged) pmax(x$ci_high_pp, x$jq95, na.rm = TRUE) else x$ci_high_pp
    x$text_x <- ifelse(x$difference_pp < 0, lo, hi)
    x$hjust <- ifelse(x$difference_pp < 0, 1.25, -0.25)
    n_draws <- nsm_get(ctx$manifest, "outer_draws", "")
    p <- ggplot(x, aes(y = arm)) +
        geom_vline(xintercept = 0, colour = "grey40", linewidth = 0.5)
    if (judged)
        p <- p + geom_linerange(aes(xmin = jq05, xmax = jq95, colour = verdict, alpha = jkind),
                                linewidth = 4) +
            scale_alpha_manual(values = JUDGMENT_ALPHA, guide = "none")
    p <- p + geom_linerange(aes(xmin = ci_low_pp, xmax = ci_high_pp, colour = verdict),
                            linewidth = 1) +
        geom_point(aes(x = difference_pp, colour = verdict), size = 2.6) +
        geom_text(aes(x = text_x, label = text, hjust = hjust), size = 9 / .pt,
                  colour = "grey20") +
        facet_wrap(~panel, ncol = ncol, scales = "free_x") +
        scale_y_discrete(limits = rev(arms),
                         labels = stats::setNames(gsub("\n", " ", arm_label(arms, 1000)), arms)) +
        scale_x_continuous(labels = pp_labels, breaks = scales::breaks_pretty(n = 4),
                           expand = expansion(mult = 0.32)) +
        # room for a value beyond its interval in a narrow panel (long lever labels: -41.0 lost
        # its sign at 0.22), and none of it cut where it would still not fit
        coord_cartesian(clip = "off") +
        scale_colour_manual(values = FOREST_COLOURS, breaks = names(FOREST_COLOURS),
                            labels = forest_verdicts(w)[names(FOREST_COLOURS)], name = NULL,
                            drop = TRUE) +
        labs(title = paste0(w$each, " by ", nsm_horizon_label(hmax, when)),
             subtitle = nsm_subtitle(
                 "Dot: change in the probability that the outcome has occurred by ",
                 nsm_month(when), ", ", w$minus, ", in percentage points (paired runs, ",
                 "differences.csv). ", forest_interval_note(judged, n_draws, w, noisy,
                                                            ctx$manifest), " ",
                 forest_outcomes_words(length(keep), n_all, w)),
             x = paste0("Difference from ", w$first, " (percentage points)"), y = NULL,
             caption = ctx$caption) +
        nsm_theme() +
        theme(panel.grid.major.y = element_blank(), panel.spacing.x = unit(1.6, "lines"),
              axis.text.y = element_text(size = rel(0.85), colour = "grey10"))
    # each strip wrapped at the most characters at which every line fits its panel, as drawn and
    # measured in its font: the levers' labels take a width of their own (about 2.7 in, more with
    # long labels), and wrapped by a count of characters alone "Hedging Seoul, transactional
    # Washington" ran 0.1 in past its panel of 2.6 in, cut at its end; 0.1 in is kept spare, as the
    # panel measured before wrapping was 0.07 in wider than drawn with long lever labels
    fit <- sweep_panel_width(p) - 0.1
    wrapped <- forest_strip_wrap(nsm_label(keep), fit)
    strips2 <- paste0(wrapped, desirable_note(desirable_of_outcomes(keep)))
    p$data$panel <- factor(strips2[match(p$data$outcome, keep)], levels = strips2)
    list(nsm_figure(p, "lever_forest", paste0(w$each_s, " by ", nsm_horizon_label(hmax, when)),
                    w$Many, data = forest_drawn))
}

# Which outcomes the forest's panels are, for its subtitle: "The 6 of 12 outcomes the levers move
# most; every outcome: the lever matrix." when some are left out; when none is, every outcome ("All
# 4 outcomes.", "The scenario's one outcome."), which "the 4 outcomes the levers move most" would
# have read as a choice among more (and "The 1 outcomes" as a slip).
forest_outcomes_words <- function(shown, n_all, w) {
    if (shown < n_all)
        return(paste0("The ", shown, " of ", n_all, " outcomes ",
                      if (w$scenarios) "that differ most" else "the levers move most",
                      "; every outcome: the ", w$one, " matrix."))
    if (n_all > 1) paste0("All ", n_all, " outcomes.")
    else if (w$scenarios) "The one outcome the scenarios share." else "The scenario's one outcome."
}

# Labels `x` wrapped at the most characters (at most 40, never breaking a word) at which every line
# fits `fit` inches in the strip's font (nsm_theme(): bold, 0.9 of 15 points).
forest_strip_wrap <- function(x, fit) {
    least <- max(nchar(unlist(strsplit(x, "\\s+"))), 1)
    wrap <- 40
    while (wrap > least) {
        lines <- unlist(strsplit(nsm_wrap(x, wrap), "\n", fixed = TRUE))
        if (max(nsm_text_width(lines, 0.9 * 15, "bold")) <= fit) break
        wrap <- wrap - 1
    }
    nsm_wrap(x, max(wrap, least))
}
FOREST_COLOURS <- c(helps = "#0072B2", hurts = "#D55E00", changes = "#8E6BB5", unclear = "grey55")
FOREST_VERDICTS <- c(helps = "Helps (95% interval excludes 0)",
                     hurts = "Hurts (95% interval excludes 0)",
                     changes = "Changes an outcome with no better direction",
                     unclear = "Not distinguishable from no effect")
# The legend's words for the arms' kind (nsm_arm_words): a scenario compared is better or worse.
forest_verdicts <- function(w) {
    v <- FOREST_VERDICTS
    if (w$scenarios)
        v[c("helps", "hurts", "unclear")] <- c("Better (95% interval excludes 0)",
                                               "Worse (95% interval excludes 0)",
                                               "Not distinguishable from no difference")
    v
}

# How an over-time chart's subtitle ends, after "95% interval ...": the note on nested lines when
# it draws them, and with few draws what that does (nsm_few_draws_sentence), each a sentence.
over_time_end <- function(ctx, nested) {
    n <- if (isTRUE(nested)) paste0(". ", nsm_nested_note(ctx$words)) else ""
    f <- nsm_few_draws_sentence(ctx$manifest, ranges = FALSE)
    if (!nzchar(f)) n else if (isTRUE(nested)) paste0(n, f) else paste0(".", f)
}

# What the forest's interval is, in words beside it (its subtitle; the brief's caption too), and
# with few draws what that does (nsm_few_draws_sentence of the folder's manifest).
forest_interval_note <- function(judged, n_draws, w = nsm_arm_words(character(0)), noisy = FALSE,
                                 manifest = character(0)) {
    if (judged)
        paste0("Thin line: 95% Monte Carlo interval of the mean paired difference over the ",
               n_draws, " draws of the ", if (w$scenarios) "scenarios'" else "scenario's",
               " uncertain numbers (simulation error, the draws counted as a sample). Wide pale ",
               "bar: judgment range, the 5% to 95% points of the difference over those draws ",
               "(uncertainty_differences.csv)", if (noisy) paste0("; ", JUDGMENT_FAINT_NOTE), ".",
               nsm_few_draws_sentence(manifest))
    else if (w$scenarios)
        paste0("Line: 95% Monte Carlo interval of the paired difference (simulation error ",
               "only; judgment uncertainty about the scenarios' numbers is not in it: compare ",
               "A B --outer N draws that).")
    else
        paste0("Line: 95% Monte Carlo interval of the paired difference (simulation error ",
               "only; judgment uncertainty about the scenario's numbers is not in it: compare ",
               "--outer N draws that).")
}

# Each outcome's better direction ("lower", "higher", "none") from labels.csv, for figures that
# have no briefing.csv column to read it from.
desirable_of_outcomes <- function(o) {
    t <- NSM_LABELS$table
    if (is.null(t) || !"desirable" %in% names(t)) return(rep("none", length(o)))
    t <- t[t$kind == "outcome", , drop = FALSE]
    d <- t$desirable[match(o, t$name)]
    ifelse(is.na(d) | !d %in% c("lower", "higher"), "none", d)
}
desirable_note <- function(dir)
    ifelse(dir == "lower", "\n(lower is better)",
           ifelse(dir == "higher", "\n(higher is better)", ""))
help_sign <- function(x, dir) ifelse(dir == "lower", -x, x)

# ---- judgment ranges (compare --outer: uncertainty_differences.csv) ---------------------------

# A judgment range that is mostly the Monte Carlo noise of a draw (judgment_mostly_noise) is drawn
# fainter than one that is not, and the subtitle says so when one is drawn.
JUDGMENT_ALPHA <- c(judgment = 0.3, noise = 0.1)
JUDGMENT_FAINT_NOTE <- paste0("a fainter bar is mostly the Monte Carlo noise of a draw's runs, ",
                              "not judgment (judgment_mostly_noise; more runs a draw show the ",
                              "judgment range)")

# The lever table with each effect's judgment range in percentage points (jq05, jq50, jq95) and
# whether that range is mostly the Monte Carlo noise of a draw (jnoise: the judgment_mostly_noise
# column, whose rule is neasim's, nsm_mostly_noise; FALSE in a folder written before it),
# or as it is when the folder has no uncertainty_differences.csv.
with_judgment <- function(b, ctx) {
    u <- nsm_read(ctx$dir, "uncertainty_differences", quiet = TRUE)
    if (is.null(b) || is.null(u)) return(b)
    u <- data.frame(arm = u$arm, outcome = u$outcome, horizon_years = u$horizon_years,
                    jq05 = 100 * u$judgment_q05, jq50 = 100 * u$judgment_q50,
                    jq95 = 100 * u$judgment_q95, jnoise = nsm_mostly_noise(u),
                    stringsAsFactors = FALSE)
    merge(b, u, by = c("arm", "outcome", "horizon_years"), all.x = TRUE, sort = FALSE)
}

# ---- dot chart with intervals, horizons side by side ----------------------------------------

lever_effects_page <- function(b, arms, ctx, title) {
    hz <- unique(b[, c("horizon_years", "date")])
    hz <- hz[order(hz$horizon_years), ]
    b$panel <- factor(nsm_horizon_label(b$horizon_years, b$date),
                      levels = nsm_horizon_label(hz$horizon_years, hz$date))
    size <- tapply(abs(b$difference_pp), b$outcome, max, na.rm = TRUE)
    ord <- names(sort(size))                               # largest effect at the top
    b$outcome_lab <- factor(nsm_label(b$outcome), levels = nsm_label(ord))
    b$arm <- factor(b$arm, levels = arms)
    b$dist <- factor(ifelse(is_yes(b$distinguishable), "Distinguishable from no effect",
                            "Not distinguishable"),
                     levels = c("Distinguishable from no effect", "Not distinguishable"))
    judged <- "jq05" %in% names(b)
    if (judged) b$jkind <- ifelse(b$jnoise %in% TRUE, "noise", "judgment")
    noisy <- judged && any(b$jkind == "noise")
    lim <- max(abs(c(b$ci_low_pp, b$ci_high_pp, b$difference_pp,
                     if (judged) c(b$jq05, b$jq95))), 0.5, na.rm = TRUE) * 1.12
    dodge <- position_dodge(width = if (length(arms) > 1) 0.75 else 0)
    # grouped by arm alone: the points' shape would otherwise split their groups, and the
    # dodge would put an arm's point and its interval on different rows
    p <- ggplot(b, aes(x = outcome_lab, y = difference_pp, ymin = ci_low_pp, ymax = ci_high_pp,
                       colour = arm, group = arm)) +
        geom_hline(yintercept = 0, colour = "grey40", linewidth = 0.5)
    # the judgment range: a wide pale bar in the arm's colour under its Monte Carlo interval
    if (judged)
        p <- p + geom_linerange(aes(ymin = jq05, ymax = jq95, alpha = jkind), position = dodge,
                                linewidth = if (length(arms) > 2) 3 else 5) +
            scale_alpha_manual(values = JUDGMENT_ALPHA, guide = "none")
    p <- p + geom_linerange(position = dodge, linewidth = if (length(arms) > 2) 0.7 else 1) +
        geom_point(aes(shape = dist), position = dodge, size = if (length(arms) > 2) 2.2 else 3,
                   fill = "white", stroke = 1.1)
    if (length(arms) == 1) {
        b$text <- nsm_pp(b$difference_pp)
        b$ypos <- ifelse(b$difference_pp >= 0, b$ci_high_pp, b$ci_low_pp)
        b$hjust <- ifelse(b$difference_pp >= 0, -0.25, 1.25)
        p <- p + geom_text(data = b, aes(y = ypos, label = text, hjust = hjust),
                           size = 10.5 / .pt, show.legend = FALSE)
        lim <- lim * 1.25
    }
    p <- p + coord_flip() +
        facet_wrap(~panel, nrow = 1) +
        scale_y_continuous(limits = c(-lim, lim), labels = pp_labels,
                           breaks = scales::breaks_pretty(n = 5)) +
        nsm_arm_scale(arms, name = ctx$words$legend,
                      guide = guide_legend(reverse = TRUE, override.aes = list(shape = 16))) +
        scale_shape_manual(values = c("Distinguishable from no effect" = 16,
                                      "Not distinguishable" = 21), name = NULL, drop = FALSE,
                           labels = c(if (ctx$words$scenarios) "Distinguishable from no difference"
                                      else "Distinguishable from no effect",
                                      "Not distinguishable")) +
        labs(title = title,
             subtitle = if (!judged)
                 nsm_subtitle(nsm_cap(ctx$words$arm_minus), ", in percentage points, with ",
                              "95% interval (paired runs). Right of zero: ",
                              if (ctx$words$scenarios) "the outcome is more likely in the scenario"
                              else "the lever makes the outcome more likely", " by that horizon.")
             else nsm_subtitle(nsm_cap(ctx$words$arm_minus), ", in percentage points (paired ",
                               "runs). Thin line: 95% Monte Carlo interval (simulation error). ",
                               "Wide pale bar: judgment range, the 5% to 95% points of the ",
                               if (ctx$words$scenarios) "difference" else "effect", " over the ",
                               nsm_get(ctx$manifest, "outer_draws", ""), " draws of the ",
                               if (ctx$words$scenarios) "scenarios'" else "scenario's",
                               " uncertain numbers (uncertainty_differences.csv)",
                               if (noisy) paste0("; ", JUDGMENT_FAINT_NOTE), ". Right of zero: ",
                               if (ctx$words$scenarios) "the outcome is more likely in the scenario."
                               else "the lever makes the outcome more likely.",
                               nsm_few_draws_sentence(ctx$manifest)),
             x = NULL, y = paste0("Difference from ", ctx$words$first, " (percentage points)"),
             caption = ctx$caption) +
        nsm_theme() +
        theme(panel.grid.major.y = element_blank(), panel.spacing = unit(2, "lines"),
              legend.box = "vertical", legend.spacing.y = unit(0.1, "lines"),
              axis.text.y = element_text(size = rel(0.9), colour = "grey10"))
    if (length(arms) == 1) p <- p + guides(colour = "none")
    p
}

fig_lever_effects <- function(ctx) {
    b <- ctx$levers
    if (is.null(b)) return(nsm_msg("no briefing.csv or differences.csv: no lever charts"))
    groups <- nsm_arm_groups(unique(b$arm), 4)
    b <- with_judgment(b, ctx)
    figs <- list()
    for (g in seq_along(groups)) {
        title <- paste0(ctx$words$each, " on the probability that an outcome has occurred",
                        nsm_group_title(g, length(groups)))
        p <- lever_effects_page(b[b$arm %in% groups[[g]], , drop = FALSE], groups[[g]], ctx, title)
        figs[[length(figs) + 1]] <- nsm_figure(
            p, paste0("lever_effects", nsm_group_suffix(g, length(groups))),
            paste0(ctx$words$effects, " with intervals", nsm_group_title(g, length(groups))),
            ctx$words$Many)
    }
    figs
}

# ---- over time ------------------------------------------------------------------------------

fig_lever_effects_over_time <- function(ctx) {
    d <- ctx$differences
    if (is.null(d)) return(invisible())
    d <- d[d$quantity == "outcome" & d$measure == "occurred_by", , drop = FALSE]
    if (nrow(d) == 0) return(invisible())
    final <- d[d$date == max(d$date), ]
    size <- tapply(abs(final$difference), final$name, max, na.rm = TRUE)
    ord <- names(sort(size, decreasing = TRUE))
    from <- min(d$date); to <- max(d$date)
    pages <- nsm_pages(ord, 15)
    groups <- nsm_arm_groups(unique(d$arm), 4)
    figs <- list()
    for (g in seq_along(groups)) for (i in seq_along(pages)) {
        arms <- groups[[g]]
        x <- d[d$name %in% pages[[i]] & d$arm %in% arms, , drop = FALSE]
        x$arm <- factor(x$arm, levels = arms)
        ncol <- nsm_ncol(length(pages[[i]]))
        base_size <- if (ncol >= 5) 13 else 15
        labs_ord <- nsm_strip_wrap(nsm_label(pages[[i]]), ncol, base_size)
        x$panel <- factor(labs_ord[match(x$name, pages[[i]])], levels = labs_ord)
        x <- nsm_nested(x, arms, "difference")
        p <- ggplot(x, aes(date, 100 * difference, ymin = 100 * ci_low, ymax = 100 * ci_high)) +
            geom_hline(yintercept = 0, colour = "grey40", linewidth = 0.5) +
            geom_ribbon(aes(fill = arm), alpha = 0.25) +
            geom_line(aes(colour = arm, linewidth = .lw)) +
            facet_wrap(~panel, ncol = ncol) +
            nsm_arm_scale(arms, aesthetics = c("colour", "fill"), name = ctx$words$legend) +
            nsm_nested_scale() +
            scale_y_continuous(labels = pp_labels, breaks = scales::breaks_pretty(n = 4)) +
            nsm_scale_x_date(from, to, nsm_panel_width(ncol)) +
            labs(title = paste0(ctx$words$each, " over time", nsm_group_title(g, length(groups))),
                 subtitle = nsm_subtitle("Change in the probability that the outcome has occurred ",
                                         "by the date, ", ctx$words$arm_minus,
                                         " (paired runs); shaded: ",
                                         "95% interval", nsm_interval_of(ctx),
                                         over_time_end(ctx, attr(x, "nested"))),
                 x = NULL, y = "Difference from baseline (percentage points)",
                 caption = ctx$caption) +
            nsm_theme(base_size = base_size)
        if (length(arms) == 1) p <- p + guides(colour = "none", fill = "none")
        name <- paste0("lever_effects_over_time", nsm_group_suffix(g, length(groups)),
                       if (length(pages) > 1) paste0("_", i))
        figs[[length(figs) + 1]] <- nsm_figure(
            p, name, paste0(ctx$words$effects, " over time", nsm_group_title(g, length(groups))),
            ctx$words$Many)
    }
    figs
}

fig_lever_event_effects <- function(ctx) {
    d <- ctx$differences
    if (is.null(d)) return(invisible())
    d <- d[d$quantity == "event", , drop = FALSE]
    if (nrow(d) == 0) return(nsm_msg("differences.csv has no event rows: no lever chart for events"))
    events <- unique(d$name)
    from <- min(d$date); to <- max(d$date)
    ncol <- nsm_ncol(length(events))
    groups <- nsm_arm_groups(unique(d$arm), 4)
    figs <- list()
    for (g in seq_along(groups)) {
        arms <- groups[[g]]
        x <- d[d$arm %in% arms, , drop = FALSE]
        x$arm <- factor(x$arm, levels = arms)
        x$panel <- factor(nsm_label(x$name), levels = nsm_label(events))
        x <- nsm_nested(x, arms, "difference")
        p <- ggplot(x, aes(date, difference, ymin = ci_low, ymax = ci_high)) +
            geom_hline(yintercept = 0, colour = "grey40", linewidth = 0.5) +
            geom_ribbon(aes(fill = arm), alpha = 0.25) +
            geom_line(aes(colour = arm, linewidth = .lw)) +
            facet_wrap(~panel, ncol = ncol, scales = "free_y") +
            nsm_arm_scale(arms, aesthetics = c("colour", "fill"), name = ctx$words$legend) +
            nsm_nested_scale() +
            scale_y_continuous(labels = pp_labels) +
            nsm_scale_x_date(from, to, nsm_panel_width(ncol)) +
            labs(title = paste0(ctx$words$each, " on counted events",
                                nsm_group_title(g, length(groups))),
                 subtitle = nsm_subtitle("Change in the mean number of events since the start, ",
                                         ctx$words$arm_minus,
                                         " (paired runs); shaded: 95% interval",
                                         nsm_interval_of(ctx),
                                         over_time_end(ctx, attr(x, "nested"))),
                 x = NULL, y = "Difference in mean events since the start (count)",
                 caption = ctx$caption) +
            nsm_theme()
        if (length(arms) == 1) p <- p + guides(colour = "none", fill = "none")
        figs[[length(figs) + 1]] <- nsm_figure(
            p, paste0("lever_event_effects", nsm_group_suffix(g, length(groups))),
            paste0(ctx$words$effects, " on counted events", nsm_group_title(g, length(groups))),
            ctx$words$Many)
    }
    figs
}
