#!/usr/bin/env Rscript
# validate_sync.R: check that scenarios/calibration-2012 has the baseline's dynamics, so that
# `make validate` tests the model that is shipped. Usage: Rscript scripts/validate_sync.R
# Identical (source cells aside): transitions, modifiers, events, seasonality, outcomes. Contained: every row of the
# baseline's draws.csv, and its effects.csv rows as the first rows (the counters come after).
# Prints one line and exits with status 1 on a difference.
base <- "scenarios/baseline"; cal <- "scenarios/calibration-2012"
rd <- function(d, t) read.csv(file.path(d, paste0(t, ".csv")), colClasses = "character",
                              na.strings = character(0), check.names = FALSE)
key <- function(x, drop = "source") do.call(paste, c(x[setdiff(names(x), drop)], sep = "\r"))
bad <- character(0)
for (t in c("transitions", "modifiers", "events", "seasonality", "outcomes"))
  if (!identical(key(rd(base, t)), key(rd(cal, t)))) bad <- c(bad, paste0(t, ".csv"))
if (!all(key(rd(base, "draws")) %in% key(rd(cal, "draws")))) bad <- c(bad, "draws.csv")
eb <- key(rd(base, "effects")); ec <- key(rd(cal, "effects"))
if (length(ec) < length(eb) || !identical(eb, ec[seq_along(eb)])) bad <- c(bad, "effects.csv")
if (length(bad)) {
  cat(sprintf("sync: FAIL %s differs from the baseline's dynamics: %s\n", cal, paste(bad, collapse = ", ")))
  quit(status = 1)
}
cat(sprintf("sync: %s has the baseline's transitions, modifiers, events, seasonality, outcomes, draws and effects\n", cal))
