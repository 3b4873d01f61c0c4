# tests/figures_check.R: what the figure tests (tests/figures_*.R) share, sourced first by each
# from the project root, where tests/figures.sh runs them: their arguments and the figure scripts
# they load, counting checks, reading built plots (the figures of a function by name, a legend)
# and the verdict line. A test reads as its checks alone.

# The test's arguments, exactly n of them (else its usage and exit 64), SCRIPTS_DIR first; sources
# figures_common.R and then `files` from SCRIPTS_DIR, as scripts/figures.R does.
figure_test_args <- function(n, usage,
                             files = c("figures_run.R", "figures_compare.R", "figures_sweep.R")) {
    args <- commandArgs(trailingOnly = TRUE)
    if (length(args) != n) {
        cat("usage: Rscript ", usage, "\n", sep = "")
        quit(status = 64)
    }
    for (f in c("figures_common.R", files)) source(file.path(args[1], f))
    args
}

n_pass <- 0
n_fail <- 0
check <- function(ok, what) {
    if (isTRUE(ok)) n_pass <<- n_pass + 1
    else { n_fail <<- n_fail + 1; cat("FAIL", what, "\n") }
}

# "NAME: N passed, M failed", and exit 1 on a failure.
figure_test_done <- function(name) {
    cat(sprintf("%s: %d passed, %d failed\n", name, n_pass, n_fail))
    quit(status = if (n_fail == 0) 0 else 1)
}

# f(g) for the gtable g of ggplot `plot` as nsm_save draws it: on a cairo device `width` x `height`
# inches at NSM_DPI, whose text metrics are the saved figure's (and UTF-8 labels are measured, not
# replaced), closed after. Every measurement of a drawn figure goes through here.
on_device <- function(plot, width, height, f) {
    grDevices::png(tempfile(fileext = ".png"), width = width, height = height, units = "in",
                   res = NSM_DPI, type = "cairo")
    on.exit(grDevices::dev.off())
    f(nsm_gtable(plot))
}

# The start and end (inches) of each track of a gtable, its widths or its heights (`units`), laid
# out over `total` inches: the tracks of fixed size first, the rest shared among the null
# (flexible) ones by their weights. `convert` is grid::convertWidth or grid::convertHeight.
track_edges <- function(units, total, convert) {
    n <- length(units)
    fixed <- vapply(seq_len(n), function(i) convert(units[i], "in", valueOnly = TRUE), 0)
    null <- vapply(seq_len(n), function(i)
        if (grid::unitType(units[i]) == "null") as.numeric(units[i]) else 0, 0)
    size <- fixed + if (sum(null) > 0) null / sum(null) * max(0, total - sum(fixed)) else 0
    end <- cumsum(size)
    list(start = end - size, end = end)
}

# The left and right edges (inches) of each column of gtable g laid out `width` inches wide.
column_edges <- function(g, width) {
    e <- track_edges(g$widths, width, grid::convertWidth)
    list(left = e$start, right = e$end)
}

# The top and bottom edges (inches, from the top) of each row of gtable g `height` inches high.
row_edges <- function(g, height) {
    e <- track_edges(g$heights, height, grid::convertHeight)
    list(top = e$start, bottom = e$end)
}

# Where a legend sits in its cell, 0 (left) to 1 (right): the theme's legend.justification.
justification <- function(plot) {
    j <- (theme_get() + plot$theme)$legend.justification
    if (is.numeric(j)) return(j[1])
    switch(j[1], left = 0, right = 1, 0.5)
}

# Each legend box of figure `fig`: its extent in inches, placed in its cell as the theme justifies
# it (tests/figures_layout.R checks every figure's, tests/figures_prim.R the discovery figures').
legend_extents <- function(fig, width, height) on_device(fig$plot, width, height, function(g) {
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
})

# Text as a reader sees it: runs of white space (line breaks in wrapped labels) as one space.
flat <- function(x) gsub("\\s+", " ", trimws(x))

# The figures a figure function (by name) makes of ctx, named by their names.
figures_of <- function(fun, ctx) {
    figs <- match.fun(fun)(ctx)
    stats::setNames(figs, vapply(figs, function(f) f$name, ""))
}

# The legend of aesthetic `aes` of a built plot: one row per entry (break, label, the value it
# shows), or NULL when the plot has no such scale.
legend_of <- function(b, aes) {
    sc <- b$plot$scales$get_scales(aes)
    if (is.null(sc)) return(NULL)
    br <- sc$get_breaks()
    data.frame(key = as.character(br), label = flat(sc$get_labels()),
               value = as.character(sc$map(br)), stringsAsFactors = FALSE)
}

# Value labels of a built headline chart (coord_flip: y is the probability) that sit on the Monte
# Carlo interval (the linerange of least width): a label anchored at its left (hjust <= 0) must start
# at or beyond the interval's upper end, one anchored at its right (hjust >= 1) end at or before its
# lower end, in its panel and row. Returns the offending labels ("79% at 0.78 on 0.72-0.86").
labels_on_intervals <- function(b) {
    ranges <- Filter(function(d) all(c("ymin", "ymax", "linewidth") %in% names(d)) &&
                         !("label" %in% names(d)), b$data)
    if (length(ranges) == 0) return("no interval drawn")
    mc <- ranges[[which.min(vapply(ranges, function(d) min(d$linewidth), 0))]]
    texts <- Filter(function(d) "label" %in% names(d), b$data)
    out <- character(0)
    for (t in texts) for (i in seq_len(nrow(t))) {
        r <- mc[mc$PANEL == t$PANEL[i] & abs(as.numeric(mc$x) - as.numeric(t$x[i])) < 1e-9, ]
        if (nrow(r) != 1) next
        h <- t$hjust[i]
        clear <- (h <= 0 && t$y[i] >= r$ymax - 1e-9) || (h >= 1 && t$y[i] <= r$ymin + 1e-9)
        if (!clear) out <- c(out, sprintf("%s at %.3f (hjust %g) on %.3f-%.3f", t$label[i], t$y[i], h,
                                          r$ymin, r$ymax))
    }
    out
}

# The value ticks of each panel of figure `fig` as nsm_save draws it (nsm_gtable on a cairo device
# `width` x `height` inches): one data frame per bottom axis (name "axis-b-C-R"), a row per label,
# left to right, with its text and its left and right ends in inches from the panel's left edge
# (the label's width measured in the axis text's font, centred on its tick).
tick_label_extents <- function(fig, width, height) on_device(fig$plot, width, height, function(g) {
    e <- column_edges(g, width)
    out <- list()
    for (k in which(grepl("^axis-b", g$layout$name))) {
        axis <- g$grobs[[k]]$children$axis
        if (is.null(axis)) next
        texts <- Filter(function(x) inherits(x, "titleGrob"), axis$grobs)
        if (length(texts) == 0) next
        tx <- texts[[1]]$children[[1]]
        panel_w <- e$right[g$layout$l[k]] - e$left[g$layout$l[k]]
        at <- as.numeric(tx$x) * panel_w
        w <- vapply(tx$label, function(s) grid::convertWidth(
            grid::grobWidth(grid::textGrob(s, gp = tx$gp)), "in", valueOnly = TRUE), 0)
        d <- data.frame(label = tx$label, left = at - w / 2, right = at + w / 2,
                        stringsAsFactors = FALSE)
        out[[g$layout$name[k]]] <- d[order(d$left), , drop = FALSE]
    }
    out
})
