# Does every arm show where arms' lines coincide? On common random numbers two arms' series can be
# equal to the last digit (a factorial comparison's "a + b" and "a" on an outcome b does not
# touch), and a line drawn over an equal one hid it. The charts of lines by arm (outcomes over
# time, lever effects over time, lever effects on counted events) now draw such lines one inside
# another (nsm_nested). From the built plots (ggplot_build), on a factorial comparison of
# tests/models/known_levers (amplify_a moves only a, boost_b only b), this checks:
#   - the known answer, from the CSVs: "Amplify a + Boost b" changes A on exactly as "Amplify a"
#     does, and "Boost b" changes it by exactly 0 at every date;
#   - the plot's coinciding pairs are the table's, pair for pair (none lost, none invented);
#   - in every coinciding pair the line drawn first is wider than the one drawn over it by at
#     least MARGIN (a band of its colour shows on each side), and a line that coincides with no
#     other has the base width;
#   - the subtitle says how to read the bands exactly when some lines coincide: the same figures
#     of the tables with each arm's numbers moved apart by a hair have every line at the base
#     width and no such words.
#
# Usage: Rscript tests/figures_nested.R SCRIPTS_DIR FACTORIAL_DIR
#   FACTORIAL_DIR: `neasim compare tests/models/known_levers --levers amplify_a,boost_b --factorial`
# Prints one FAIL line per failed check and "nested: N passed, M failed"; exits 1 on a failure.

source("tests/figures_check.R")
args <- figure_test_args(2, "tests/figures_nested.R SCRIPTS_DIR FACTORIAL_DIR")
MARGIN <- 0.5                         # linewidth (mm): 0.25 of each colour either side
NOTE <- "drawn one inside another"

ctx <- suppressMessages(nsm_context(args[2]))

# ---- the known answer, from the tables ------------------------------------------------------
series <- function(d, value, name, arm) {
    r <- d[d$name == name & d$arm == arm, , drop = FALSE]
    r[[value]][order(r$date)]
}
dif <- ctx$differences
dif <- dif[dif$quantity == "outcome" & dif$measure == "occurred_by", , drop = FALSE]
a_ab <- series(dif, "difference", "a_on", "amplify_a+boost_b")
check(length(a_ab) > 2 && identical(a_ab, series(dif, "difference", "a_on", "amplify_a")) &&
      any(a_ab != 0), "the table: amplify_a+boost_b changes a_on exactly as amplify_a does")
b_a <- series(dif, "difference", "a_on", "boost_b")
check(length(b_a) > 2 && all(b_a == 0), "the table: boost_b changes a_on by exactly 0")

# Pairs of arms (drawn order) whose series of `value` are identical within a name, from table d:
# "name|arm1|arm2" for each pair.
table_pairs <- function(d, value, arms) {
    out <- character(0)
    for (nm in unique(d$name)) {
        s <- lapply(arms, function(a) series(d, value, nm, a))
        for (i in seq_along(arms)) for (j in seq_along(arms)) {
            if (j <= i || length(s[[i]]) == 0) next
            if (identical(s[[i]], s[[j]])) out <- c(out, paste(nm, arms[i], arms[j], sep = "|"))
        }
    }
    sort(out)
}

# The lines of a built plot, one row per arm and panel: its panel's label, the arm (by the legend
# of colour), where it is drawn (layer, then group: GeomPath draws groups in order), its width
# and its y values in date order.
plot_lines <- function(b) {
    key <- legend_of(b, "colour")
    labs <- stats::setNames(flat(as.character(b$layout$layout$panel)), b$layout$layout$PANEL)
    out <- list()
    for (i in seq_along(b$data)) {
        if (!inherits(b$plot$layers[[i]]$geom, "GeomLine")) next
        d <- b$data[[i]]
        for (p in unique(d$PANEL)) for (g in unique(d$group[d$PANEL == p])) {
            r <- d[d$PANEL == p & d$group == g, , drop = FALSE]
            r <- r[order(r$x), ]
            out[[length(out) + 1]] <- list(panel = labs[[as.character(p)]],
                                           arm = key$key[match(r$colour[1], key$value)],
                                           order = i * 1000 + g, width = unique(r$linewidth),
                                           y = r$y)
        }
    }
    out
}

# Checks one figure: its coinciding pairs against `want` (from the table), the widths, the note.
# `panel_name` maps a panel label to the table's name; `thin` is the width of a line drawn over
# every other on purpose (the baseline's in outcomes over time), which takes no part.
check_figure <- function(fig, what, want, panel_name, thin = NA) {
    b <- ggplot_build(fig$plot)
    lines <- plot_lines(b)
    lines <- Filter(function(l) is.na(thin) || !identical(l$width, thin), lines)
    check(length(lines) > 0 && all(vapply(lines, function(l) length(l$width) == 1, TRUE)),
          paste0(what, ": lines drawn, each of one width"))
    got <- character(0)
    bad <- character(0)
    alone <- rep(TRUE, length(lines))
    for (i in seq_along(lines)) for (j in seq_along(lines)) {
        a <- lines[[i]]; z <- lines[[j]]
        if (a$panel != z$panel || a$order >= z$order || !identical(a$y, z$y)) next
        alone[c(i, j)] <- FALSE
        got <- c(got, paste(panel_name(a$panel), a$arm, z$arm, sep = "|"))
        if (!(a$width[1] >= z$width[1] + MARGIN - 1e-9))
            bad <- c(bad, sprintf("%s: %s (%.2f) under %s (%.2f)", a$panel, a$arm, a$width[1],
                                  z$arm, z$width[1]))
    }
    check(identical(sort(got), want),
          sprintf("%s: coinciding pairs drawn %s, the table's %s", what,
                  paste(sort(got), collapse = " "), paste(want, collapse = " ")))
    check(length(bad) == 0, paste0(what, ": a line not wider than the one over it: ",
                                  paste(utils::head(bad, 3), collapse = "; ")))
    widths <- vapply(lines, function(l) l$width[1], 0)
    check(all(widths[alone] == min(widths)),
          paste0(what, ": a line that coincides with none has the base width"))
    note <- grepl(NOTE, flat(fig$plot$labels$subtitle), fixed = TRUE)
    check(note == (length(want) > 0),
          sprintf("%s: the subtitle's note on coinciding lines %s", what,
                  if (length(want) > 0) "is missing" else "is there with nothing coinciding"))
    length(got)
}

arms <- c("amplify_a", "boost_b", "amplify_a+boost_b")
label_to_name <- function(labels) function(panel) {
    n <- names(labels)[match(panel, flat(labels))]
    if (is.na(n)) panel else n
}
out_names <- unique(ctx$outcomes$outcome)
out_labels <- stats::setNames(nsm_label(out_names), out_names)

run_checks <- function(ctx, tag) {
    d <- ctx$differences
    eff <- d[d$quantity == "outcome" & d$measure == "occurred_by", , drop = FALSE]
    ev <- d[d$quantity == "event", , drop = FALSE]
    oc <- ctx$outcomes[ctx$outcomes$measure == "occurred_by", , drop = FALSE]
    names(oc)[names(oc) == "outcome"] <- "name"
    n <- 0
    n <- n + check_figure(figures_of("fig_lever_effects_over_time", ctx)[[1]],
                          paste(tag, "lever effects over time"),
                          table_pairs(eff, "difference", arms), label_to_name(out_labels))
    ev_names <- unique(ev$name)
    n <- n + check_figure(figures_of("fig_lever_event_effects", ctx)[[1]],
                          paste(tag, "lever effects on events"),
                          table_pairs(ev, "difference", arms),
                          label_to_name(stats::setNames(nsm_label(ev_names), ev_names)))
    n <- n + check_figure(suppressMessages(figures_of("fig_outcomes_over_time", ctx))[[1]],
                          paste(tag, "outcomes over time"), table_pairs(oc, "probability", arms),
                          label_to_name(out_labels), thin = 0.5)
    n
}

n <- run_checks(ctx, "factorial:")
check(n >= 6, sprintf("factorial: %d coinciding pairs drawn (want at least 6)", n))

# ---- nothing coincides: every arm's numbers moved apart by a hair -----------------------------
apart <- ctx
hair <- function(d, value) {
    d[[value]] <- d[[value]] + 1e-9 * match(d$arm, c("baseline", arms))
    d
}
apart$differences <- hair(ctx$differences, "difference")
apart$outcomes <- hair(ctx$outcomes, "probability")
check(run_checks(apart, "apart:") == 0, "apart: no coinciding pair drawn")

figure_test_done("nested")
