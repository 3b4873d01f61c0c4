# Which arm is black? The figures draw the arm the others are compared with in black (the
# reference: a lever comparison's baseline; compare A B C's A). With compare us-retrenchment
# baseline nuclear-test-2027 the scenario called baseline took black though every difference is
# from U.S. retrenchment, and the reference, drawn last and thin over the others in "outcomes over
# time", took a colour of the palette: a reader takes black for what the others are measured
# against. From the built plots (ggplot_build), this checks:
#   - outcomes over time: the legend gives black to the reference and to no other arm, every arm
#     its own colour, and the thin line drawn over the others is the reference's, in black;
#   - the charts of differences (lever effects over time, on counted events) draw no arm in black
#     (the reference is not among them);
#   - a lever comparison's baseline is still black (its reference).
#
# Usage: Rscript tests/figures_reference.R SCRIPTS_DIR SCENARIOS_DIR LEVERS_DIR
#   SCENARIOS_DIR: `neasim compare scenarios/us-retrenchment scenarios/baseline
#   scenarios/nuclear-test-2027`; LEVERS_DIR: `neasim compare scenarios/baseline --levers ...`
# Prints one FAIL line per failed check and "reference: N passed, M failed"; exits 1 on a failure.

source("tests/figures_check.R")
args <- figure_test_args(3, "tests/figures_reference.R SCRIPTS_DIR SCENARIOS_DIR LEVERS_DIR")
BLACK <- "#000000"

# The colour the legend of `aes` gives each arm (by name) in a built plot.
arm_colours <- function(b, aes = "colour") {
    key <- legend_of(b, aes)
    if (is.null(key)) return(NULL)
    stats::setNames(toupper(key$value), key$key)
}

outcomes_over_time <- function(dir, reference, tag) {
    ctx <- suppressMessages(nsm_context(dir))
    figs <- suppressMessages(figures_of("fig_outcomes_over_time", ctx))
    check(length(figs) > 0, paste0(tag, ": outcomes over time drawn"))
    for (k in seq_along(figs)) {
        b <- ggplot_build(figs[[k]]$plot)
        cols <- arm_colours(b)
        what <- sprintf("%s: outcomes over time, page %d", tag, k)
        check(!is.null(cols) && identical(unname(cols[reference]), BLACK),
              sprintf("%s: the reference %s in black (legend: %s)", what, reference,
                      paste(names(cols), cols, collapse = ", ")))
        check(sum(cols == BLACK) == 1, paste0(what, ": black for one arm only"))
        check(!anyDuplicated(cols), paste0(what, ": every arm its own colour"))
        # the line drawn over every other on purpose, thin: the reference's
        lines <- b$data[vapply(b$plot$layers, function(l) inherits(l$geom, "GeomLine"), TRUE)]
        thin <- Filter(function(d) all(d$linewidth == 0.5), lines)
        check(length(thin) == 1 && all(toupper(thin[[1]]$colour) == BLACK),
              paste0(what, ": the thin line over the others is the reference's, black"))
    }
    ctx
}

differences_drawn <- function(ctx, tag) {
    for (f in c("fig_lever_effects_over_time", "fig_lever_event_effects")) {
        figs <- suppressMessages(figures_of(f, ctx))
        check(length(figs) > 0, sprintf("%s: %s drawn", tag, f))
        for (fig in figs) {
            cols <- arm_colours(ggplot_build(fig$plot))
            check(length(cols) > 0 && !any(cols == BLACK),
                  sprintf("%s: %s draws no arm in black (the reference is not there): %s", tag,
                          f, paste(names(cols), cols, collapse = ", ")))
        }
    }
}

s <- outcomes_over_time(args[2], "us_retrenchment", "scenarios")
check(nsm_get(s$manifest, "scenario", "") == "us_retrenchment" &&
      "baseline" %in% nsm_arms(s$outcomes),
      "scenarios: U.S. retrenchment first, the scenario called baseline among the others")
differences_drawn(s, "scenarios")
l <- outcomes_over_time(args[3], "baseline", "levers")
differences_drawn(l, "levers")

figure_test_done("reference")
