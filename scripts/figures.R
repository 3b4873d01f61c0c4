# Figures for a neasim results folder, as PNG (300 dpi) and PDF in its figures/ subfolder.
#
# Usage: Rscript scripts/figures.R RESULTS_DIR      (or: make figures RESULTS=RESULTS_DIR)
#
# Works on the folder of `neasim run`, of `neasim compare` (tables with a leading `arm` column,
# plus differences.csv and briefing.csv), of a sweep (tornado.csv, sensitivity.csv, sweep.csv)
# and of scenario discovery (prim_trajectory.csv, in a discover folder or a sweep's): each
# figure is drawn when its table is present and skipped with a message when it is not. Also
# writes figures/index.csv (file, title, section, brief, arms), which scripts/brief.R reads. In a
# comparison, state probabilities are drawn for the baseline arm only unless the environment
# sets NEASIM_FIGURES_ALL_ARMS=1.

NSM_TABLES <- c("outcomes", "state_probabilities", "event_counts", "briefing", "differences",
                "tornado", "sensitivity", "sweep", "prim_trajectory")

nsm_script_dir <- function() {
    arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
    if (length(arg) == 0) return("scripts")
    dirname(normalizePath(sub("^--file=", "", arg[1])))
}

# Remove the figures a previous call listed, so that a folder never mixes two renderings; files
# that figures.R did not make are left alone.
clear_previous <- function(outdir) {
    index <- file.path(outdir, "index.csv")
    if (!file.exists(index)) return(invisible())
    old <- tryCatch(utils::read.csv(index, stringsAsFactors = FALSE)$file, error = function(e) NULL)
    for (f in old) unlink(file.path(outdir, c(paste0(f, c(".png", ".pdf", ".csv")),
                                              file.path("small", paste0(f, ".png")))))
    unlink(index)
}

main <- function(args) {
    if (length(args) != 1 || args[1] %in% c("-h", "--help")) {
        cat("usage: Rscript scripts/figures.R RESULTS_DIR\n")
        quit(status = if (length(args) == 1) 0 else 64)
    }
    dir <- args[1]
    # checked before loading ggplot2, which takes a second or two
    if (!dir.exists(dir)) {
        message("figures: ", dir, ": no such results folder")
        quit(status = 66)
    }
    if (!any(file.exists(file.path(dir, paste0(NSM_TABLES, ".csv"))))) {
        message("figures: ", dir, " holds no table that a figure is drawn from (",
                paste0(NSM_TABLES, ".csv", collapse = ", "), ")")
        quit(status = 66)
    }
    for (f in c("figures_common.R", "figures_run.R", "figures_compare.R", "figures_sweep.R",
                "figures_story.R", "figures_prim.R"))
        source(file.path(nsm_script_dir(), f))
    ctx <- nsm_context(dir)
    clear_previous(ctx$outdir)   # figures/ itself is made by the first figure saved
    # in the order of the briefing: headline numbers, levers, time courses, drivers
    figs <- nsm_all_figures(ctx)
    for (fig in figs) nsm_save(fig, ctx$outdir)
    index <- NSM_INDEX$rows
    if (nrow(index) == 0) {
        message("figures: the tables of ", dir, " have no rows to draw")
        quit(status = 65)
    }
    utils::write.csv(index, file.path(ctx$outdir, "index.csv"), row.names = FALSE)
    message(sprintf("figures: %d figures in %s", nrow(index), ctx$outdir))
}

main(commandArgs(trailingOnly = TRUE))
