# Do the routes and signposts figures say what the tables say? Builds them (without drawing) from
# `neasim run --routes --signposts` of tests/models/signposts (v can turn yes only once u is on,
# z is independent) and tests/models/routes (x reaches d via c three times as often as via b), and
# checks from the built plot (ggplot_build) that the legend entry "Indicator seen by the watch
# date" sits on the higher probability of the top signpost (u on), which is named on its row, and
# that the longest bar of the routes chart is the route via c.
# Usage: Rscript tests/figures_story.R SCRIPTS_DIR SIGNPOSTS_RUN_DIR ROUTES_RUN_DIR
source("tests/figures_check.R")
args <- figure_test_args(3, "tests/figures_story.R SCRIPTS_DIR SIGNPOSTS_RUN_DIR ROUTES_RUN_DIR",
                         files = "figures_story.R")
suppressPackageStartupMessages(library(ggplot2))

ctx <- function(dir) list(dir = dir, caption = "test")

# ---- signposts: legend by name on the data it names
figs <- fig_signposts(ctx(args[2]))
check(length(figs) == 1, "one signposts figure")
b <- ggplot_build(figs[[1]]$plot)
pts <- b$data[[2]]   # the points layer
leg <- levels(b$plot$data$seen)
check(identical(leg, c(NSM_SIGNPOST_WITH, NSM_SIGNPOST_WITHOUT)), "legend entries by name")
# the colour scale maps each name to its colour; find the points of each by colour
cols <- b$plot$scales$get_scales("colour")$map(leg)
ylab <- b$layout$panel_params[[1]]$y$get_labels()
top_row <- which(grepl("^U: on", ylab))
check(length(top_row) == 1, "the top signpost, u on, is named on a row")
on_row <- pts[round(pts$y) == top_row, ]
with_p <- on_row$x[on_row$colour == cols[1]]
without_p <- on_row$x[on_row$colour == cols[2]]
check(length(with_p) == 1 && length(without_p) == 1 && with_p > without_p,
      "the 'seen' point of u on is the higher probability")
tab <- read.csv(file.path(args[2], "signposts.csv"))
w <- unique(tab$watch_years)[which.min(abs(unique(tab$watch_years) - 2))]
row <- tab[tab$watch_years == w & tab$indicator == "u=on", ]
check(isTRUE(all.equal(with_p, row$p_with)) && isTRUE(all.equal(without_p, row$p_without)),
      "the points are the table's p_with and p_without")

# ---- routes: the longest bar is the route via c
figs <- fig_routes(ctx(args[3]))
check(length(figs) == 1, "one routes figure")
b <- ggplot_build(figs[[1]]$plot)
bars <- b$data[[1]]
lay <- b$layout$layout
panel <- lay$PANEL[grepl("^Absorbed$", lay$outcome_label)]
bp <- bars[bars$PANEL == panel, ]
ylab <- b$layout$panel_params[[as.integer(panel)]]$y$get_labels()
longest <- ylab[round(bp$y[which.max(bp$xmax)])]
check(grepl("^X: c \u2192 X: d", longest), paste0("the longest bar is x=c -> x=d (got '", longest, "')"))

figure_test_done("story figures")
