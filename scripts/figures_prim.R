# Figures of scenario discovery (`neasim discover`): PRIM's coverage-density trade-off curve and
# the chosen box. Drawn for a discover folder (prim_trajectory.csv, prim_box.csv), and for a sweep
# folder from each of its discover-*/ subfolders (the default place `neasim discover` writes to),
# so `make figures RESULTS=SWEEP` draws them beside the sweep's own figures.
# Inputs: prim_trajectory.csv (step, kind, parameter, limit, points, cases, mass, coverage,
# density, restricted_dims, chosen) and prim_box.csv (step, parameter, label, lower, upper,
# data_min, data_max, restricted, quasi_p, quasi_p_lower, quasi_p_upper); the discover folder's
# manifest.csv says what a case is (outcome, measure, horizon_date, threshold, case).

PRIM_BOX_FILL <- c("Range of the sweep" = "grey86", "The box" = NSM_PALETTE[1])

# The folders whose figures are drawn: the folder itself, or its discover-*/ subfolders.
prim_folders <- function(dir) {
    if (file.exists(file.path(dir, "prim_trajectory.csv"))) return(dir)
    subs <- sort(Sys.glob(file.path(dir, "discover-*")))
    subs[file.exists(file.path(subs, "prim_trajectory.csv"))]
}

# The outcome for people, as every other report names it: the label the discover manifest
# recorded from the sweep's labels.csv, else (a folder of an older neasim) the label of the labels
# loaded for the folder drawn, else the name in words.
prim_outcome_label <- function(m) {
    label <- nsm_get(m, "outcome_label", NA)
    if (is.na(label) || label == "NA") nsm_label(nsm_get(m, "outcome", "outcome")) else label
}

# "the probability of “Moved” by 2027-01-01 is above 60%", from the discover manifest.
prim_case_phrase <- function(m) {
    thr <- suppressWarnings(as.numeric(nsm_get(m, "threshold", NA)))
    how <- if (nsm_get(m, "measure", "occurred_by") == "holds") "holding on" else "by"
    sprintf("the probability of \u201c%s\u201d %s %s is %s %s", prim_outcome_label(m), how,
            nsm_get(m, "horizon_date", "the horizon"), nsm_get(m, "case", "above"),
            if (is.na(thr)) "the threshold" else sprintf("%.3g%%", 100 * thr))
}

fig_prim <- function(ctx) {
    dirs <- prim_folders(ctx$dir)
    figs <- lapply(dirs, function(d) prim_figures(ctx, d, own = identical(d, ctx$dir)))
    unlist(figs, recursive = FALSE)
}

prim_figures <- function(ctx, dir, own) {
    tr <- nsm_read(dir, "prim_trajectory", quiet = TRUE)
    box <- nsm_read(dir, "prim_box", quiet = TRUE)
    if (is.null(tr) || is.null(box)) return(list())
    m <- nsm_manifest(dir)
    suffix <- if (own) "" else paste0("_", nsm_slug(sub("^discover-", "", basename(dir))))
    case <- prim_case_phrase(m)
    outcome <- prim_outcome_label(m)
    runs <- suppressWarnings(as.numeric(nsm_get(m, "runs_per_point", NA)))
    ctx$caption <- nsm_caption(m, dir, extra = paste0(
        "Scenario discovery (PRIM) on the sweep ", nsm_get(m, "sweep", ctx$dir),
        if (!is.na(runs) && runs > 0) sprintf(", %s runs per point", format(runs, big.mark = ","))))
    picked <- suppressWarnings(as.integer(nsm_get(m, "picked_step", NA)))
    c(prim_tradeoff_figure(ctx, tr, case, suffix, outcome, picked),
      prim_box_figures(ctx, box, tr, case, suffix, outcome))
}

# The path of the trajectory as PRIM took it, as segments from one step to the next: the peeling
# (and pasting) from the whole space, step after step, then the drops, each from the box before
# it, the first from the box the rule picked (`picked`, manifest.csv's picked_step) and not from
# the last peel, which the file lists just before it. Without picked_step the drops are joined
# to each other only.
prim_path_segments <- function(tr, picked) {
    tr <- tr[order(tr$step), , drop = FALSE]
    seg <- function(from, to, what) {
        if (length(from) == 0) return(NULL)
        data.frame(from = from$step, to = to$step, x = from$coverage, y = from$density,
                   xend = to$coverage, yend = to$density, what = what)
    }
    run <- function(d, what) if (nrow(d) > 1) seg(d[-nrow(d), ], d[-1, ], what)
    peel <- tr[tr$kind != "drop", , drop = FALSE]
    drops <- tr[tr$kind == "drop", , drop = FALSE]
    if (nrow(drops) > 0 && !is.na(picked) && picked %in% peel$step)
        drops <- rbind(peel[peel$step == picked, , drop = FALSE], drops)
    out <- rbind(run(peel, "peel"), run(drops, "drop"))
    if (is.null(out))
        out <- data.frame(from = integer(0), to = integer(0), x = numeric(0), y = numeric(0),
                          xend = numeric(0), yend = numeric(0), what = character(0))
    out
}

# Coverage (x) against density (y) for every box of the trajectory, coloured on a continuous scale
# by how many numbers it restricts (a sweep of the baseline restricts twenty and more: one legend
# entry each took a third of the figure and ran off its edge); the path solid while peeling,
# dashed from the picked box through the drops; the chosen box ringed and labelled.
prim_tradeoff_figure <- function(ctx, tr, case, suffix, outcome, picked = NA) {
    tr$coverage <- as.numeric(tr$coverage)
    tr$density <- as.numeric(tr$density)
    tr$n_restricted <- as.integer(tr$restricted_dims)
    tr$step <- as.integer(tr$step)
    kinds <- c(start = "Start", peel = "Peel", paste = "Paste", drop = "Restriction dropped")
    tr$kind_label <- factor(kinds[tr$kind], levels = kinds)
    segs <- prim_path_segments(tr, picked)
    chosen <- tr[tr$chosen == "yes", , drop = FALSE]
    label <- sprintf("Chosen box (step %d): %s of the cases, %s dense, %s of the points",
                     chosen$step, nsm_pct(chosen$coverage, 0), nsm_pct(chosen$density, 0),
                     nsm_pct(as.numeric(chosen$mass), 0))
    top <- max(tr$n_restricted, 1)
    drops <- any(tr$kind == "drop")
    p <- ggplot(tr, aes(coverage, density)) +
        geom_segment(data = segs, aes(x = x, y = y, xend = xend, yend = yend,
                                      linetype = what), colour = "grey60", linewidth = 0.5,
                     show.legend = FALSE) +
        geom_point(aes(colour = n_restricted, shape = kind_label), size = 2.6) +
        geom_point(data = chosen, shape = 21, size = 7, stroke = 1.2, colour = "black",
                   fill = NA) +
        annotate("label", x = chosen$coverage, y = chosen$density, label = label, hjust = 1.05,
                 vjust = -0.6, size = 4.2, label.size = 0, fill = "white", alpha = 0.85) +
        scale_linetype_manual(values = c(peel = "solid", drop = "22")) +
        scale_colour_gradientn(colours = grDevices::hcl.colors(7, "viridis", rev = TRUE),
                               limits = c(0, top),
                               breaks = unique(round(pretty(c(0, top), n = 5))),
                               name = "Numbers restricted",
                               guide = guide_colourbar(barwidth = grid::unit(14, "lines"),
                                                       order = 1)) +
        scale_shape_manual(values = c(Start = 15, Peel = 16, Paste = 17,
                                      "Restriction dropped" = 18), breaks = kinds,
                           name = "Step", drop = TRUE, guide = guide_legend(order = 2)) +
        scale_x_continuous(labels = scales::label_percent(accuracy = 1),
                           name = "Coverage: share of the cases inside the box") +
        scale_y_continuous(labels = scales::label_percent(accuracy = 1),
                           name = "Density: share of the box's points that are cases") +
        labs(title = "Scenario discovery: the trade-off between coverage and density",
             subtitle = nsm_subtitle("A case is a point of the sweep where ", case, ". Each ",
                                     "dot is a box of PRIM's peeling (and pasting) trajectory, from ",
                                     "the whole space at coverage 100% towards smaller, denser ",
                                     "boxes (solid line)",
                                     if (drops) paste0(
                                         "; then, dashed from the box of step ",
                                         if (is.na(picked)) "the rule picked" else picked,
                                         ", restrictions that do not matter dropped one at a ",
                                         "time (their quasi-p-values above the limit asked)"),
                                     "."),
             caption = ctx$caption) +
        nsm_theme()
    list(nsm_figure(p, paste0("prim_tradeoff", suffix),
                    paste0("Scenario discovery (\u201c", outcome,
                           "\u201d): coverage and density"), "Sweep"))
}

# The chosen box: for each restricted number, its range over the sweep (grey) and the box's
# limits (coloured), on a common 0-1 scale of that range; most significant restriction on top.
prim_box_figures <- function(ctx, box, tr, case, suffix, outcome) {
    box <- box[box$restricted != "no", , drop = FALSE]
    if (nrow(box) == 0) {
        nsm_msg("the chosen box restricts no number: no box figure")
        return(list())
    }
    for (c in c("lower", "upper", "data_min", "data_max", "quasi_p"))
        box[[c]] <- as.numeric(box[[c]])
    span <- box$data_max - box$data_min
    box$lo <- (box$lower - box$data_min) / span
    box$hi <- (box$upper - box$data_min) / span
    box <- box[order(box$quasi_p, box$parameter), , drop = FALSE]
    box$row <- factor(sprintf("%s\n(quasi-p %.2g)", sweep_wrap(box$label, 48), box$quasi_p),
                      levels = rev(sprintf("%s\n(quasi-p %.2g)", sweep_wrap(box$label, 48),
                                           box$quasi_p)))
    chosen <- tr[tr$chosen == "yes", , drop = FALSE]
    bars <- rbind(data.frame(row = box$row, from = 0, to = 1, what = "Range of the sweep"),
                  data.frame(row = box$row, from = box$lo, to = box$hi, what = "The box"))
    bars$what <- factor(bars$what, levels = names(PRIM_BOX_FILL))
    ends <- rbind(data.frame(row = box$row, x = box$lo, text = signif(box$lower, 3),
                             shown = box$restricted %in% c("lower", "both")),
                  data.frame(row = box$row, x = box$hi, text = signif(box$upper, 3),
                             shown = box$restricted %in% c("upper", "both")))
    ends <- ends[ends$shown, , drop = FALSE]
    range_text <- rbind(data.frame(row = box$row, x = 0, text = signif(box$data_min, 3), hjust = 1.15),
                        data.frame(row = box$row, x = 1, text = signif(box$data_max, 3), hjust = -0.15))
    p <- ggplot(bars) +
        geom_linerange(aes(y = row, xmin = from, xmax = to, colour = what),
                       linewidth = 9) +
        geom_text(data = ends, aes(x = x, y = row, label = text), vjust = -1.6, size = 4.2,
                  colour = NSM_PALETTE[1], fontface = "bold") +
        geom_text(data = range_text, aes(x = x, y = row, label = text, hjust = hjust), size = 3.8,
                  colour = "grey35") +
        scale_colour_manual(values = PRIM_BOX_FILL, breaks = names(PRIM_BOX_FILL), name = NULL) +
        scale_x_continuous(limits = c(-0.12, 1.12), breaks = NULL, name = NULL) +
        labs(y = NULL, title = sprintf("Scenario discovery: the box (step %d)", chosen$step),
             subtitle = nsm_subtitle(
                 sprintf("In %s of the swept space, holding %s of the points where %s, %s of ",
                         nsm_pct(as.numeric(chosen$mass), 0), nsm_pct(as.numeric(chosen$coverage), 0),
                         case, nsm_pct(as.numeric(chosen$density), 0)),
                 "the points are cases. Each bar is a number's range over the sweep; the coloured ",
                 "part is the box. Quasi-p: the chance of so many cases in the box without that ",
                 "restriction (small: it matters)."),
             caption = ctx$caption) +
        nsm_theme() +
        theme(panel.grid.major = element_blank())
    list(nsm_figure(p, paste0("prim_box", suffix),
                    paste0("Scenario discovery (\u201c", outcome, "\u201d): the box"), "Sweep"))
}
