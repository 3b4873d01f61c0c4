# Every legend, title, subtitle and caption lies within its figure: each figure of each results
# folder is laid out as scripts/figures.R draws it (nsm_gtable, on a device of the figure's size);
# a title, subtitle or caption may be no wider than the figure, and each legend, placed in the
# cell the layout gives it as the theme justifies it, must lie between the figure's left and right
# edges. A legend that runs off an edge hides the series it would name (in compare --levers all the
# baseline's black was cut from the arms' legend), and a subtitle that does hides what it says.
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

# Where a legend sits in its cell, 0 (left) to 1 (right): the theme's legend.justification.
justification <- function(plot) {
    j <- (theme_get() + plot$theme)$legend.justification
    if (is.numeric(j)) return(j[1])
    switch(j[1], left = 0, right = 1, 0.5)
}

# Each legend box of figure `fig`: its extent in inches, placed in its cell as the theme justifies it.
legend_extents <- function(fig, width, height) {
    # a cairo device, as nsm_save draws on: the same text metrics (and UTF-8 labels measured)
    grDevices::png(tempfile(fileext = ".png"), width = width, height = height, units = "in",
                   res = NSM_DPI, type = "cairo")
    on.exit(grDevices::dev.off())
    g <- nsm_gtable(fig$plot)
    e <- column_edges(g, width)
    out <- list()
    for (k in which(grepl("^guide-box", g$layout$name))) {
        box <- g$grobs[[k]]
        if (inherits(box, "zeroGrob")) next
        bw <- grid::convertWidth(grid::grobWidth(box), "in", valueOnly = TRUE)
        from <- e$left[g$layout$l[k]]
        from <- from + justification(fig$plot) * (e$right[g$layout$r[k]] - from - bw)
        out[[length(out) + 1]] <- c(from, from + bw)
    }
    out
}

# The widths (inches) of figure `fig`'s title, subtitle and caption as drawn.
text_widths <- function(fig, width, height) {
    grDevices::png(tempfile(fileext = ".png"), width = width, height = height, units = "in",
                   res = NSM_DPI, type = "cairo")
    on.exit(grDevices::dev.off())
    g <- nsm_gtable(fig$plot)
    out <- c()
    for (k in which(g$layout$name %in% c("title", "subtitle", "caption"))) {
        gr <- g$grobs[[k]]
        if (inherits(gr, "zeroGrob")) next
        # a titleGrob's own width is 1null (it takes its cell): its text is its first child
        txt <- if (length(gr$children)) gr$children[[1]] else gr
        out[g$layout$name[k]] <- grid::convertWidth(grid::grobWidth(txt), "in", TRUE)
    }
    out
}

seen <- 0
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
        for (x in legend_extents(fig, NSM_WIDTH, NSM_HEIGHT)) {
            seen <- seen + 1
            check(x[1] >= -0.01 && x[2] <= NSM_WIDTH + 0.01,
                  sprintf("%s/%s: the legend spans %.2f to %.2f in, outside the figure's 0 to %.2f",
                          basename(dir), fig$name, x[1], x[2], NSM_WIDTH))
        }
    }
}
check(seen >= 10, paste("only", seen, "legends looked at"))
figure_test_done("layout")
