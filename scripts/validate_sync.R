#!/usr/bin/env Rscript
# validate_sync.R: check that scenarios/calibration-2012 has the baseline's dynamics, so that
# `make validate` tests the model that is shipped. Usage: Rscript scripts/validate_sync.R
# Identical (source, occurrence, id and label cells aside): transitions, modifiers, seasonality, outcomes. Contained: every row of the
# baseline's draws.csv, and its events.csv and effects.csv rows as the first rows (the counters come
# after: events of rate 0 that only the effects after the baseline's fire, which add no dynamics).
# Cells are compared by text (the numbers from data are the same posteriors in both: calibrate.R
# --write), except that a baseline cell written as a distribution
# (`pert(low,mode,high)`, scenarios/README.md "Uncertain numbers") may appear in calibration-2012 as
# a plain number equal to its mean (relative difference below 1e-5): calibration-2012 is an
# in-sample check of the model at the judgments it holds, so it keeps them plain. A cell of the
# baseline that its row's source names as a posterior (`posterior TEXT: ...`, a number from data)
# must be equal by text: the data's uncertainty is in both.
# Prints one line and exits with status 1 on a difference.
base <- "scenarios/baseline"; cal <- "scenarios/calibration-2012"
rd <- function(d, t) read.csv(file.path(d, paste0(t, ".csv")), colClasses = "character",
                              na.strings = character(0), check.names = FALSE)

dist_re <- "^\\s*(beta|gamma|lognormal|uniform|triangular|pert)\\s*\\((.*)\\)\\s*$"
dist_mean <- function(txt) {
  kind <- sub(dist_re, "\\1", txt); p <- as.numeric(strsplit(sub(dist_re, "\\2", txt), ",", fixed = TRUE)[[1]])
  switch(kind, beta = p[1] / (p[1] + p[2]), gamma = p[1] * p[2], lognormal = exp(p[1] + p[2]^2 / 2),
         uniform = (p[1] + p[2]) / 2, triangular = sum(p) / 3, pert = (p[1] + 4 * p[2] + p[3]) / 6)
}
same_cell <- function(b, c, exact = FALSE) {
  b <- trimws(b); c <- trimws(c)
  if (identical(b, c)) return(TRUE)
  if (exact) return(FALSE)
  if (grepl(dist_re, b) && !grepl(dist_re, c)) {
    v <- suppressWarnings(as.numeric(c)); m <- dist_mean(b)
    return(!is.na(v) && abs(v - m) <= 1e-5 * max(abs(m), 1e-12))
  }
  FALSE
}
# Not dynamics: where a number comes from, how an outcome's occurrence is counted (state or
# onset: calibration-2012 starts from known 2012 conditions and counts states), the ids that
# name rows for levers, and labels for people (which change no number).
cols <- function(x, drop = c("source", "occurrence", "id", "label")) setdiff(names(x), drop)
# A cell is a posterior when its row's source names it in a "posterior TEXT: " prefix (a row may hold
# two, an event's rate and dispersion, and a judgment beside a posterior: satellite_launches).
is_post <- function(src, txt) !is.null(src) && startsWith(src, "posterior ") &&
  grepl(paste0("posterior ", trimws(txt), ": "), src, fixed = TRUE)
same_row <- function(b, i, c, j)
  all(vapply(cols(b), function(k) same_cell(b[[k]][i], c[[k]][j], is_post(b$source[i], b[[k]][i])), TRUE))
rows_equal <- function(b, c) {
  identical(sort(cols(b)), sort(cols(c))) && nrow(b) == nrow(c) &&
    all(vapply(seq_len(nrow(b)), function(i) same_row(b, i, c, i), TRUE))
}
n_mean <- 0
count_means <- function(b, c, rows_c = seq_len(nrow(b)))
  sum(vapply(seq_len(nrow(b)), function(i) sum(vapply(cols(b), function(k)
    grepl(dist_re, b[[k]][i]) && !grepl(dist_re, c[[k]][rows_c[i]]), TRUE)), 0))

bad <- character(0)
for (t in c("transitions", "modifiers", "seasonality", "outcomes")) {
  b <- rd(base, t); c <- rd(cal, t)
  if (!rows_equal(b, c)) bad <- c(bad, paste0(t, ".csv")) else n_mean <- n_mean + count_means(b, c)
}
# draws: every baseline row has a row of calibration-2012 with the same draw, from, to and given
# (a conditioned draw repeats draw,from,to once per case), and an equal probability
b <- rd(base, "draws"); c <- rd(cal, "draws")
gv <- function(x) if (is.null(x$given)) rep("", nrow(x)) else gsub("\\s", "", x$given)
kb <- paste(b$draw, b$from, b$to, gv(b), sep = "\r"); kc <- paste(c$draw, c$from, c$to, gv(c), sep = "\r")
j <- match(kb, kc)
if (!identical(sort(cols(b)), sort(cols(c))) || anyNA(j) ||
    !all(vapply(seq_along(j), function(i) same_row(b, i, c, j[i]), TRUE))) bad <- c(bad, "draws.csv") else
  n_mean <- n_mean + count_means(b, c, j)
# events: the baseline's rows first; after them only counters (rate 0: no hazard of their own)
b <- rd(base, "events"); c <- rd(cal, "events")
extra <- c[-seq_len(min(nrow(b), nrow(c))), , drop = FALSE]
if (nrow(c) < nrow(b) || !rows_equal(b, c[seq_len(nrow(b)), , drop = FALSE]) ||
    !all(suppressWarnings(as.numeric(extra$rate_per_year)) %in% 0)) bad <- c(bad, "events.csv") else
  n_mean <- n_mean + count_means(b, c)
b <- rd(base, "effects"); c <- rd(cal, "effects")
if (nrow(c) < nrow(b) || !rows_equal(b, c[seq_len(nrow(b)), , drop = FALSE])) bad <- c(bad, "effects.csv") else
  n_mean <- n_mean + count_means(b, c)
if (length(bad)) {
  cat(sprintf("sync: FAIL %s differs from the baseline's dynamics: %s\n", cal, paste(bad, collapse = ", ")))
  quit(status = 1)
}
cat(sprintf("sync: %s has the baseline's transitions, modifiers, events, seasonality, outcomes, draws and effects (%d distributions of the baseline as plain means)\n", cal, n_mean))
