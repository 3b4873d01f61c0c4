# Do the scenario-discovery figures (scripts/figures_prim.R) say what prim_trajectory.csv and
# prim_box.csv say? Builds them (without drawing) from a real `neasim discover` folder and checks
# from the built plots: every dot of the trade-off curve sits at a step's (coverage, density) and
# carries the colour its scale gives its number of restricted numbers; the line joins only steps
# that follow each other on the path PRIM took (peels and pastes in turn, drops in turn, the
# first drop from the box the rule picked); the ring sits on the chosen step; each box bar spans
# the box's limits on its number's range, in the colour the legend calls "The box", on the row
# labelled with that number. Every legend lies within the figure, and titles and subtitles name
# the outcome by its label (the manifest's outcome_label, as other reports do), not its name.
#
# Usage: Rscript tests/figures_prim.R SCRIPTS_DIR DISCOVER_DIR
# Prints one FAIL line per failed check and "prim figures: N passed, M failed"; exits 1 on a failure.

source("tests/figures_check.R")
args <- figure_test_args(2, "tests/figures_prim.R SCRIPTS_DIR DISCOVER_DIR",
                         files = c("figures_compare.R", "figures_sweep.R", "figures_prim.R"))
dir <- args[2]

ctx <- nsm_context(dir)
figs <- fig_prim(ctx)
names(figs) <- vapply(figs, function(f) f$name, "")
check(all(c("prim_tradeoff", "prim_box") %in% names(figs)),
      paste("figures drawn:", paste(names(figs), collapse = ", ")))

tr <- read.csv(file.path(dir, "prim_trajectory.csv"), stringsAsFactors = FALSE)
box <- read.csv(file.path(dir, "prim_box.csv"), stringsAsFactors = FALSE)
m <- read.csv(file.path(dir, "manifest.csv"), stringsAsFactors = FALSE)
mf <- function(k) m$value[m$key == k]
picked <- as.integer(mf("picked_step"))

# ---- every legend within the figure, and the outcome named by its label
for (f in figs) {
    for (x in legend_extents(f, NSM_WIDTH, NSM_HEIGHT))
        check(x[1] >= -0.01 && x[2] <= NSM_WIDTH + 0.01,
              sprintf("%s: a legend spans %.2f to %.2f in, outside the figure's 0 to %.2f",
                      f$name, x[1], x[2], NSM_WIDTH))
}
ol <- mf("outcome_label")   # read.csv reads "NA" (no label given) as NA
want <- if (length(ol) == 1 && !is.na(ol)) ol else nsm_label(mf("outcome"))
for (f in figs) {
    sub <- flat(f$plot$labels$subtitle)
    check(grepl(paste0("\u201c", want, "\u201d"), sub, fixed = TRUE),
          sprintf("%s: the subtitle does not name the outcome as \u201c%s\u201d: %s", f$name, want, sub))
    check(grepl(paste0("\u201c", want, "\u201d"), f$title, fixed = TRUE),
          sprintf("%s: the brief's title does not name the outcome as \u201c%s\u201d: %s", f$name,
                  want, f$title))
    if (want != mf("outcome"))
        check(!grepl(mf("outcome"), paste(sub, f$title), fixed = TRUE),
              sprintf("%s: the outcome's name %s where its label belongs", f$name, mf("outcome")))
}

# ---- the trade-off curve
b <- ggplot_build(figs$prim_tradeoff$plot)
dots <- b$data[[2]]
check(nrow(dots) == nrow(tr), sprintf("trade-off: %d dots for %d steps", nrow(dots), nrow(tr)))
key <- function(x, y) paste(signif(x, 9), signif(y, 9))
check(setequal(key(dots$x, dots$y), key(tr$coverage, tr$density)),
      "trade-off: the dots are not the steps' (coverage, density)")
# a dot's steps: those at its (coverage, density), which may be several (a drop can give back the
# box of a peel with one restriction fewer), so its colour must be that of one of their counts
colour <- b$plot$scales$get_scales("colour")
colour_of <- function(k) as.character(colour$map(if (colour$is_discrete())
    sprintf("%d number%s", k, if (k == 1) "" else "s") else k))
for (i in seq_len(nrow(dots))) {
    s <- which(key(tr$coverage, tr$density) == key(dots$x[i], dots$y[i]))
    k <- tr$restricted_dims[s]
    got <- dots$colour[i]
    check(got %in% vapply(k, colour_of, ""),
          sprintf("trade-off: step %s (%s restricted) has the colour %s, not its scale's",
                  paste(tr$step[s], collapse = "/"), paste(k, collapse = "/"), got))
}
# The line as segments (a path drawn through its rows in order is one segment per pair), each
# end matched to the steps at its (coverage, density), which may be several (a drop can give back
# a box the peeling had): some pair must follow each other on PRIM's path.
line <- b$data[[1]]
if (!"xend" %in% names(line)) {
    line <- line[order(line$group), , drop = FALSE]
    n <- nrow(line)
    line <- data.frame(x = line$x[-n], y = line$y[-n], xend = line$x[-1], yend = line$y[-1])
}
steps_at <- function(x, y) tr$step[key(tr$coverage, tr$density) == key(x, y)]
is_drop <- function(s) tr$kind[match(s, tr$step)] == "drop"
first_drop <- if (any(tr$kind == "drop")) min(tr$step[tr$kind == "drop"]) else NA
follows <- function(a, b) (b == a + 1 && is_drop(a) == is_drop(b)) ||
    (!is.na(first_drop) && b == first_drop && a == picked)
for (i in seq_len(nrow(line))) {
    from <- steps_at(line$x[i], line$y[i])
    to <- steps_at(line$xend[i], line$yend[i])
    ok <- any(outer(from, to, Vectorize(follows)))
    check(ok, sprintf("trade-off: the line joins step %s to step %s, which do not follow each other",
                      paste(from, collapse = "/"), paste(to, collapse = "/")))
}
check(nrow(line) == nrow(tr) - 1,
      sprintf("trade-off: %d segments of line for %d steps (one into each but the first)",
              nrow(line), nrow(tr)))
ring <- b$data[[3]]
chosen <- tr[tr$chosen == "yes", ]
check(nrow(ring) == 1 && abs(ring$x - chosen$coverage) < 1e-9 && abs(ring$y - chosen$density) < 1e-9,
      "trade-off: the ring is not on the chosen step")

# ---- the box
b <- ggplot_build(figs$prim_box$plot)
bars <- b$data[[1]]
leg <- legend_of(b, "colour")
box_colour <- leg$value[leg$label == "The box"]
range_colour <- leg$value[leg$label == "Range of the sweep"]
check(length(box_colour) == 1 && length(range_colour) == 1 && box_colour != range_colour,
      "box: the legend names 'The box' and 'Range of the sweep' in two colours")
rows <- flat(b$layout$panel_scales_y[[1]]$get_labels())
res <- box[box$restricted != "no", ]
inbox <- bars[bars$colour == box_colour, ]
check(nrow(inbox) == nrow(res), sprintf("box: %d bars for %d restricted numbers", nrow(inbox), nrow(res)))
for (j in seq_len(nrow(res))) {
    lo <- (res$lower[j] - res$data_min[j]) / (res$data_max[j] - res$data_min[j])
    hi <- (res$upper[j] - res$data_min[j]) / (res$data_max[j] - res$data_min[j])
    hit <- inbox[abs(inbox$xmin - lo) < 1e-9 & abs(inbox$xmax - hi) < 1e-9, ]
    check(nrow(hit) == 1, sprintf("box: no bar from %.4g to %.4g for %s", lo, hi, res$parameter[j]))
    if (nrow(hit) == 1)
        check(startsWith(rows[round(hit$y)], flat(res$label[j])),
              sprintf("box: the bar of %s is on the row '%s'", res$label[j], rows[round(hit$y)]))
}
check(all(abs(bars$xmin[bars$colour == range_colour]) < 1e-12) &&
      all(abs(bars$xmax[bars$colour == range_colour] - 1) < 1e-12),
      "box: the grey bars span each number's range")

figure_test_done("prim figures")
