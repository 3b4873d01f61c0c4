# Do the routes and signposts figures say what the tables say? Builds them (without drawing) from
# `neasim run --routes --signposts` of tests/models/signposts (v can turn yes only once u is on,
# z is independent) and tests/models/routes (x reaches d via c three times as often as via b), and
# checks from the built plot (ggplot_build) that the legend entry "Indicator seen by the watch
# date" sits on the higher probability of the top signpost (u on), which is named on its row, and
# that the longest bar of the routes chart is the route via c; and, on a run of
# scenarios/formal-alignment with --routes --signposts, that both charts name a state outcome that
# some runs start in with that share, as the headline chart does, and say what it means there;
# and, on tests/models/signpost_twins (u's change sets off a counted event at once), that the
# signposts chart names the two as one row.
# Usage: Rscript tests/figures_story.R SCRIPTS_DIR SIGNPOSTS_RUN_DIR ROUTES_RUN_DIR STATE_RUN_DIR
#        TWINS_RUN_DIR
source("tests/figures_check.R")
args <- figure_test_args(5, paste("tests/figures_story.R SCRIPTS_DIR SIGNPOSTS_RUN_DIR",
                                  "ROUTES_RUN_DIR STATE_RUN_DIR TWINS_RUN_DIR"),
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

# ---- a state outcome that runs start in: its share at the start on its panel, in both charts,
# from outcomes.csv's first date ("Russia-China-DPRK coordinate (72% at the start)"), and the
# subtitle says that only onsets after the start count (unmarked, the 72% read as if counted)
# (the scenario's labels loaded, and the outcomes in the context, as scripts/figures.R has them)
nsm_load_labels(args[4])
state <- list(dir = args[4], caption = "test", outcomes = nsm_read(args[4], "outcomes"))
oc <- read.csv(file.path(args[4], "outcomes.csv"), stringsAsFactors = FALSE)
onsets <- unique(oc$outcome[oc$measure == "holds_at_start"])
first <- oc[oc$measure == "occurred_by" & oc$date == min(oc$date) & !oc$outcome %in% onsets &
            oc$probability > 0, ]
mark <- stats::setNames(sprintf("(%.0f%% at the start)", 100 * first$probability), first$outcome)
note <- "only its onsets after the start count here, those runs once they leave it and return."
flat <- function(x) gsub("\\s+", " ", x)
for (kind in c("routes", "signposts")) {
    figs <- get(paste0("fig_", kind))(state)
    strips <- unlist(lapply(figs, function(f)
        flat(as.character(unique(ggplot_build(f$plot)$layout$layout$outcome_label)))))
    held <- names(mark)[names(mark) %in% read.csv(file.path(args[4], paste0(kind, ".csv")))$outcome]
    want <- flat(paste(nsm_label(held), mark[held]))
    check(length(held) > 0 && all(want %in% strips) &&
              sum(grepl("at the start)", strips, fixed = TRUE)) == length(held),
          paste0(kind, ": panels '", paste(strips[grepl("start", strips)], collapse = " | "),
                 "', want '", paste(want, collapse = " | "), "'"))
    subs <- vapply(figs, function(f) flat(f$plot$labels$subtitle), "")
    has <- vapply(figs, function(f)
        any(grepl("at the start)", f$plot$data$outcome_label, fixed = TRUE)), TRUE)
    check(all(grepl(note, subs[has], fixed = TRUE)) && !any(grepl(note, subs[!has], fixed = TRUE)),
          paste0(kind, ": the subtitles do not say what the share at the start means (",
                 paste(subs, collapse = " || "), ")"))
}

# ---- two names of one signal (signposts.csv's same_runs_as): u entering on, and the counted event
# its change sets off at once, are one row named by both, with signposts.csv's rank of the first;
# the twin has no row of its own, and the other rows are the next signals in rank order
tw <- read.csv(file.path(args[5], "signposts.csv"), stringsAsFactors = FALSE)
w <- unique(tw$watch_years)[which.min(abs(unique(tw$watch_years) - 2))]
at <- tw[tw$watch_years == w, ]
check(identical(at$same_runs_as[at$indicator == "event:u_on"], "u=on"),
      "signpost_twins: signposts.csv names u=on as event:u_on's twin")
b <- ggplot_build(fig_signposts(ctx(args[5]))[[1]]$plot)
ylab <- flat(b$layout$panel_params[[1]]$y$get_labels())
want <- at[is.na(at$same_runs_as), ]
want <- want$rank[order(want$rank)][seq_len(min(3, nrow(want)))]
got <- sort(as.integer(sub(".*#", "", ylab)))
check(identical(got, as.integer(want)),
      paste0("signpost_twins: the rows are ranks ", paste(want, collapse = ", "),
             " of signposts.csv (got '", paste(ylab, collapse = "' '"), "')"))
check(sum(grepl(paste0("^U: on and U on \\(event\\)\\s#", at$rank[at$indicator == "u=on"], "$"),
                ylab)) == 1, "signpost_twins: one row names u=on and its twin, with u=on's rank")

figure_test_done("story figures")
