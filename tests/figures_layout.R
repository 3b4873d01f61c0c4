# Every legend, title, subtitle and caption lies within its figure: each figure of each results
# folder is laid out as scripts/figures.R draws it (nsm_gtable, on a device of the figure's size);
# a title, subtitle or caption may be no wider than the figure, and each legend, placed in the
# cell the layout gives it as the theme justifies it, must lie between the figure's left and right
# edges. A legend that runs off an edge hides the series it would name (in compare --levers all the
# baseline's black was cut from the arms' legend), and a subtitle that does hides what it says.
# Each panel's title (a facet strip) fits its panel: ggplot2 clips a strip to its panel, so a
# longer title loses its end ("U.S.-ROK-Japan partnershi" in the signposts chart). And the labels
# of a panel's left axis do not run into each other (two-line indicator labels did, on a panel too
# short for three of them).
#
# Usage: Rscript tests/figures_layout.R SCRIPTS_DIR RESULTS_DIR...
# Prints one FAIL line per failed check and "layout: N passed, M failed"; exits 1 on a failure.

source("tests/figures_check.R")
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 2) {
    cat("usage: Rscript tests/figures_layout.R SCRIPTS_DIR RESULTS_DIR...\n")
    quit(status = 64)
}
for (f in c("figures_common.R", "figures_run.R", "figures_compare.R", "figures_sweep.R",
            "figures_story.R", "figures_prim.R"))
    if (file.exists(file.path(args[1], f))) source(file.path(args[1], f))

# The widths (inches) of figure `fig`'s title, subtitle and caption as drawn.
text_widths <- function(fig, width, height) on_device(fig$plot, width, height, function(g) {
    out <- c()
    for (k in which(g$layout$name %in% c("title", "subtitle", "caption"))) {
        gr <- g$grobs[[k]]
        if (inherits(gr, "zeroGrob")) next
        # a titleGrob's own width is 1null (it takes its cell): its text is its first child
        txt <- if (length(gr$children)) gr$children[[1]] else gr
        out[g$layout$name[k]] <- grid::convertWidth(grid::grobWidth(txt), "in", TRUE)
    }
    out
})

# Each facet strip of figure `fig`: its text's width and its panel's (inches), named by its text.
strip_widths <- function(fig, width, height) on_device(fig$plot, width, height, function(g) {
    e <- column_edges(g, width)
    title_of <- function(x) { # the strip's titleGrob, however deep in its gtable
        if (inherits(x, "titleGrob")) return(x)
        for (y in c(x$grobs, x$children)) if (!is.null(t <- title_of(y))) return(t)
        NULL
    }
    out <- list()
    for (k in which(grepl("^strip-", g$layout$name))) {
        t <- title_of(g$grobs[[k]])
        if (is.null(t) || !length(t$children)) next
        out[[length(out) + 1]] <- list(
            text = flat(paste(t$children[[1]]$label, collapse = " ")),
            text_w = grid::convertWidth(grid::grobWidth(t$children[[1]]), "in", TRUE),
            panel_w = e$right[g$layout$r[k]] - e$left[g$layout$l[k]])
    }
    out
})

# Left-axis labels that overlap their neighbours: for each panel's axis, the pairs of adjacent
# labels whose half-heights (lines x font size x line height) add up to more than their distance.
axis_overlaps <- function(fig, width, height) on_device(fig$plot, width, height, function(g) {
    r <- row_edges(g, height)
    out <- character()
    n <- 0
    for (k in which(grepl("^axis-l", g$layout$name))) {
        ax <- g$grobs[[k]]$children$axis
        if (is.null(ax)) next
        t <- Filter(function(x) inherits(x, "titleGrob"), ax$grobs)
        if (!length(t) || !length(t[[1]]$children)) next
        tx <- t[[1]]$children[[1]]
        if (length(tx$label) < 2 || !inherits(tx$y, "unit")) next
        panel_h <- r$bottom[g$layout$b[k]] - r$top[g$layout$t[k]]
        y <- as.numeric(tx$y) * panel_h
        lines <- lengths(strsplit(as.character(tx$label), "\n"))
        half <- lines * tx$gp$fontsize * (tx$gp$lineheight %||% 1.2) / 72 / 2
        o <- order(y)
        n <- n + 1
        for (i in seq_along(o)[-1]) {
            a <- o[i - 1]; b <- o[i]
            if (half[a] + half[b] > y[b] - y[a] + 0.005)
                out <- c(out, sprintf("'%s' and '%s' (%.2f in apart, %.2f in high together)",
                                      flat(tx$label[a]), flat(tx$label[b]), y[b] - y[a], half[a] + half[b]))
        }
    }
    list(n = n, overlaps = out)
})

seen <- 0
strips <- 0
axes <- 0
for (dir in args[-1]) {
    ctx <- suppressMessages(nsm_context(dir))
    figs <- suppressMessages(nsm_all_figures(ctx))
    for (fig in figs) {
        if (is.null(fig$plot)) next
        tw <- text_widths(fig, NSM_WIDTH, NSM_HEIGHT)
        for (k in names(tw))
            check(tw[[k]] <= NSM_WIDTH,
                  sprintf("%s/%s: the %s is %.2f in wide, wider than the figure's %.2f",
                          basename(dir), fig$name, k, tw[[k]], NSM_WIDTH))
        for (st in strip_widths(fig, NSM_WIDTH, NSM_HEIGHT)) {
            strips <- strips + 1
            check(st$text_w <= st$panel_w + 0.01,
                  sprintf("%s/%s: the panel title '%s' is %.2f in wide, its panel %.2f: its end is cut",
                          basename(dir), fig$name, st$text, st$text_w, st$panel_w))
        }
        ov <- axis_overlaps(fig, NSM_WIDTH, NSM_HEIGHT)
        axes <- axes + ov$n
        for (o in ov$overlaps)
            check(FALSE, sprintf("%s/%s: axis labels run into each other: %s", basename(dir), fig$name, o))
        for (x in legend_extents(fig, NSM_WIDTH, NSM_HEIGHT)) {
            seen <- seen + 1
            check(x[1] >= -0.01 && x[2] <= NSM_WIDTH + 0.01,
                  sprintf("%s/%s: the legend spans %.2f to %.2f in, outside the figure's 0 to %.2f",
                          basename(dir), fig$name, x[1], x[2], NSM_WIDTH))
        }
    }
}
check(seen >= 10, paste("only", seen, "legends looked at"))
check(strips >= 10, paste("only", strips, "panel titles looked at"))
check(axes >= 10, paste("only", axes, "panels' left axes looked at"))
figure_test_done("layout")
