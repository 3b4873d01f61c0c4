# figures_story.R: the figures of `neasim run --routes` and `--signposts` (routes.csv,
# signposts.csv; README.md "Routes and signposts"). Sourced after figures_common.R.

# "usfk_posture=reduced" -> "USFK posture: reduced"; "event:launch_days" -> "Launch days (event)":
# the scenario's labels of the factor and the level (labels.csv), else their names in words.
nsm_indicator_label <- function(x) {
    vapply(x, function(s) {
        if (startsWith(s, "event:")) return(paste0(nsm_label(sub("^event:", "", s)), " (event)"))
        p <- strsplit(s, "=", fixed = TRUE)[[1]]
        if (length(p) != 2) return(s)
        paste0(nsm_label(p[1]), ": ", nsm_level_label(p[1], p[2]))
    }, character(1), USE.NAMES = FALSE)
}

nsm_route_label <- function(x) {
    vapply(x, function(s) {
        steps <- strsplit(s, " -> ", fixed = TRUE)[[1]]
        paste(ifelse(steps == "...", "...", nsm_indicator_label(steps)), collapse = " \u2192 ")
    }, character(1), USE.NAMES = FALSE)
}

# A state outcome that some runs start in is named with that share, as the headline and course
# charts name it (nsm_held_at_start), and the subtitle says what that means here: its routes and
# signposts count only onsets after the start, so those runs count only once they leave it and
# return. Unmarked, formal-alignment's "Russia-China-DPRK coordinate" (71% at the start, 99% by
# the horizon in the headline chart) read as if those runs were among its onsets. The mark goes
# on a line of its own (`sep`): on one line it ran past the narrow panels of the routes chart
# ("(72% at the sta"). The outcomes come from the figures' context, else from the folder (a
# test's bare context).
nsm_story_held <- function(ctx) {
    oc <- ctx$outcomes %||% nsm_read(ctx$dir, "outcomes", quiet = TRUE)
    if (is.null(oc)) stats::setNames(numeric(0), character(0)) else nsm_held_at_start(oc)
}
nsm_story_name <- function(outcome, held, width = Inf, sep = "\n") {
    name <- if (is.finite(width)) nsm_wrap(nsm_label(outcome), width) else nsm_label(outcome)
    paste0(name, nsm_held_mark(outcome, held, sep))
}
NSM_STORY_HELD_NOTE <- paste("(N% at the start): a state that N% of runs start in; only its",
                             "onsets after the start count here, those runs once they leave it",
                             "and return.")
nsm_story_note <- function(outcomes, held)
    if (any(outcomes %in% names(held))) paste0(" ", NSM_STORY_HELD_NOTE) else ""

# Two indicators that happened in the same runs are one signal under two names, with the same
# counts and so the same row (signposts.csv's same_runs_as: the baseline's DPRK testing surge and
# the surge clock it starts at once): the rows of signposts.csv with each such twin folded into
# the row it names, whose `label` names both ("DPRK testing: surge and DPRK surge (sustained):
# surge under 6 months"); ranks stay signposts.csv's. Unfolded, the brief's three things to watch
# and the chart's three rows told one signal twice for several outcomes.
nsm_signposts_folded <- function(d) {
    twin <- if ("same_runs_as" %in% names(d)) !is.na(d$same_runs_as) else logical(nrow(d))
    main <- d[!twin, , drop = FALSE]
    main$label <- nsm_indicator_label(main$indicator)
    for (i in which(twin)) {
        k <- which(main$outcome == d$outcome[i] & main$watch_years == d$watch_years[i] &
                   main$indicator == d$same_runs_as[i])
        main$label[k] <- paste0(main$label[k], " and ", nsm_indicator_label(d$indicator[i]))
    }
    main
}

# The two legend entries of the signposts chart, by name (tests/figures_story.R checks them).
NSM_SIGNPOST_WITH <- "Indicator seen by the watch date"
NSM_SIGNPOST_WITHOUT <- "Not seen"

# Signposts: for each outcome, its top 3 signposts at the watch date nearest 2 years (twins folded,
# nsm_signposts_folded), the
# probability of an onset after it given the indicator (dot) and without it (circle), with intervals;
# four outcomes a page, so that three two-line indicator labels fit a panel's height.
fig_signposts <- function(ctx, top = 3, outcomes_per_page = 4) {
    d <- nsm_read(ctx$dir, "signposts", quiet = TRUE)
    if (is.null(d) || nrow(d) == 0) return(list())
    w <- unique(d$watch_years)
    w <- w[which.min(abs(w - 2))]
    d <- nsm_signposts_folded(d[d$watch_years == w, , drop = FALSE])
    d <- d[order(d$outcome, d$rank), , drop = FALSE]
    d <- d[stats::ave(d$rank, d$outcome, FUN = seq_along) <= top, , drop = FALSE]
    long <- rbind(data.frame(d[c("outcome", "rank", "label")], p = d$p_with, lo = d$p_with_lo,
                             hi = d$p_with_hi, seen = NSM_SIGNPOST_WITH),
                  data.frame(d[c("outcome", "rank", "label")], p = d$p_without,
                             lo = d$p_without_lo, hi = d$p_without_hi, seen = NSM_SIGNPOST_WITHOUT))
    long$seen <- factor(long$seen, levels = c(NSM_SIGNPOST_WITH, NSM_SIGNPOST_WITHOUT))
    # two columns of panels beside their indicators' labels leave each panel about 2.7 in: an
    # outcome's title wrapped at 22 characters fits it (ggplot2 cuts a longer one at its edge;
    # tests/figures_layout.R measures)
    long$row <- paste0(nsm_wrap(long$label, 36), "\u2002#", long$rank)
    held <- nsm_story_held(ctx)
    long$outcome_label <- nsm_story_name(long$outcome, held, 22)
    pages <- nsm_pages(unique(long$outcome), outcomes_per_page)
    date <- nsm_month(d$watch_date[1])
    lapply(seq_along(pages), function(k) {
        pd <- long[long$outcome %in% pages[[k]], ]
        p <- ggplot(pd, aes(x = p, y = reorder(row, -rank), colour = seen, shape = seen)) +
            geom_errorbarh(aes(xmin = lo, xmax = hi), height = 0.25,
                           position = position_dodge(width = 0.5)) +
            geom_point(size = 2.6, position = position_dodge(width = 0.5)) +
            facet_wrap(~outcome_label, scales = "free_y", ncol = 2) +
            scale_colour_manual(values = c("#b2182b", "#4d4d4d"), name = NULL) +
            scale_shape_manual(values = c(16, 1), name = NULL) +
            scale_x_continuous(labels = function(x) nsm_pct(x, 0)) +
            labs(x = paste0("P(onset after ", date, ", by the horizon)"), y = NULL,
                 title = paste0("What to watch: the strongest signposts by ", date),
                 subtitle = nsm_subtitle("Among runs in which the outcome has not begun by the ",
                                         "watch date: with the indicator seen by then and without; ",
                                         "95% intervals. Ranked by how surely it moves the outcome.",
                                         nsm_story_note(pages[[k]], held)),
                 caption = ctx$caption) +
            nsm_theme() + theme(legend.position = "top")
        nsm_figure(p, paste0("signposts", if (length(pages) > 1) paste0("_", k) else ""),
                   paste0("Signposts by ", date, if (length(pages) > 1) sprintf(" (part %d)", k)),
                   "drivers")
    })
}

# Routes: for each outcome, the shares of its onsets that took its 3 most common routes (one
# column of panels: route labels are long).
fig_routes <- function(ctx, top = 3, outcomes_per_page = 4) {
    d <- nsm_read(ctx$dir, "routes", quiet = TRUE)
    if (is.null(d) || nrow(d) == 0) return(list())
    d <- d[d$rank != "other", ]
    d$rank <- as.integer(d$rank)
    d <- d[d$rank <= top, ]
    d$route_label <- paste0(nsm_wrap(nsm_route_label(d$route), 90), "\u2002#", d$rank)
    held <- nsm_story_held(ctx)
    d$outcome_label <- nsm_story_name(d$outcome, held)
    pages <- nsm_pages(unique(d$outcome), outcomes_per_page)
    lapply(seq_along(pages), function(k) {
        pd <- d[d$outcome %in% pages[[k]], ]
        p <- ggplot(pd, aes(x = share, y = reorder(route_label, -rank))) +
            geom_col(fill = "#4393c3", width = 0.6) +
            geom_errorbarh(aes(xmin = share_lo, xmax = share_hi), height = 0.25) +
            facet_wrap(~outcome_label, scales = "free_y", ncol = 1) +
            scale_x_continuous(labels = function(x) nsm_pct(x, 0)) +
            labs(x = "Share of the outcome's onsets", y = NULL,
                 title = "How outcomes begin: the most common routes",
                 subtitle = nsm_subtitle("The changes, in order, of the factors that bear on each ",
                                         "outcome up to its onset; 95% intervals.",
                                         nsm_story_note(pages[[k]], held)),
                 caption = ctx$caption) +
            nsm_theme()
        nsm_figure(p, paste0("routes", if (length(pages) > 1) paste0("_", k) else ""),
                   paste0("Routes to the outcomes", if (length(pages) > 1) sprintf(" (part %d)", k)),
                   "drivers")
    })
}
