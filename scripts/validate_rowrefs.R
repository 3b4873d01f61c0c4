#!/usr/bin/env Rscript
# validate_rowrefs.R: the row numbers that the scenarios' sources cite still point at the rows
# they mean. Rows of modifiers.csv and effects.csv are numbered (parameter paths `modifiers:13`);
# inserting a row renumbers those after it, and a source that says "x1.5 in modifiers.csv row 62"
# silently goes stale (the levers name rows by id, so they keep working while their prose does not).
#
# Usage (from the project root):  Rscript scripts/validate_rowrefs.R [SCENARIOS_ROOT]
#   (default scenarios; NEASIM= names the binary for patches, default build/neasim)
# For every scenario folder under the root (with a scenario.csv), every source cell of its own
# CSV tables is read for
#   "modifiers.csv row N", "effects.csv rows N and M", "modifiers.csv rows N-M" and, inside
#   modifiers.csv or effects.csv, a bare "row N" (the same table),
# and each cited row must exist in the scenario's resolved table (a patch is resolved with
# `neasim check --resolved`: its numbers are the base's rows followed by its own). A citation must
# also match where the citing row says what it is about:
#   - a levers.csv row whose target is TABLE:ID cites that row: N must be the row of ID;
#   - a levers.csv row whose target is a transition or a modifier target F:A>B, or a modifiers.csv
#     row (target F:...), or an events.csv row (event E) citing modifiers.csv row N: row N's target
#     must name the same factor F (or the event E).
# Prints one line per citation that fails and a closing line; exits 1 if any fails.
# Plain base R; no network.

args <- commandArgs(trailingOnly = TRUE)
root <- if (length(args)) args[1] else "scenarios"
neasim <- Sys.getenv("NEASIM", "build/neasim")
rd <- function(f) read.csv(f, colClasses = "character", na.strings = character(0), check.names = FALSE,
                           encoding = "UTF-8")

resolved <- function(dir) {
  sc <- rd(file.path(dir, "scenario.csv"))
  if (!"extends" %in% sc$key) return(dir)
  out <- file.path(tempfile("rowrefs-"), basename(dir))
  rc <- system2(neasim, c("check", shQuote(dir), "--resolved", shQuote(out)), stdout = FALSE, stderr = FALSE)
  if (rc != 0) stop(sprintf("%s extends a base and `%s check --resolved` failed on it", dir, neasim))
  out
}

# "N", "N-M", "N and M", "N, M and K" -> the row numbers
nums <- function(txt) {
  out <- integer(0)
  for (part in strsplit(gsub(" and ", ",", txt), ",")[[1]]) {
    part <- trimws(part); if (part == "") next
    r <- as.integer(strsplit(part, "-", fixed = TRUE)[[1]])
    out <- c(out, if (length(r) == 2) seq(r[1], r[2]) else r)
  }
  out
}
# a number, not the start of a decimal ("row 34, 1.5/yr" cites row 34 only)
one_re <- "[0-9]+(-[0-9]+)?(?![0-9]|\\.[0-9])"
num_re <- paste0(one_re, "((, | and )", one_re, ")*")
# every citation in a source cell: list of (table, rows)
citations <- function(src, own) {
  out <- list()
  m <- gregexpr(paste0("(modifiers|effects)\\.csv rows? ", num_re), src, perl = TRUE)[[1]]
  if (m[1] > 0) for (s in regmatches(src, list(m))[[1]]) {
    out[[length(out) + 1]] <- list(table = sub("\\.csv.*", "", s), rows = nums(sub("^[a-z]+\\.csv rows? ", "", s)), text = s) }
  if (own %in% c("modifiers", "effects")) {
    # a bare "row N" not preceded by a file name (a data file's "rok_presidents.csv row 17" is a
    # record of that file, not a row of this table)
    m <- gregexpr(paste0("(?<![a-z_]\\.csv )(?<![a-z])rows? ", num_re), src, perl = TRUE)[[1]]
    if (m[1] > 0) for (s in regmatches(src, list(m))[[1]])
      out[[length(out) + 1]] <- list(table = own, rows = nums(sub("^rows? ", "", s)), text = s)
  }
  out
}
factor_of <- function(target) sub("[:>].*", "", target)

bad <- 0; n <- 0
dirs <- list.dirs(root, recursive = FALSE)
dirs <- dirs[file.exists(file.path(dirs, "scenario.csv"))]
for (dir in dirs) {
  rdir <- resolved(dir)
  tabs <- list()
  for (t in c("modifiers", "effects")) { f <- file.path(rdir, paste0(t, ".csv")); if (file.exists(f)) tabs[[t]] <- rd(f) }
  for (f in list.files(dir, pattern = "\\.csv$")) {
    own <- sub("\\.csv$", "", f); x <- rd(file.path(dir, f))
    if (is.null(x$source)) next
    for (i in seq_len(nrow(x))) for (ct in citations(x$source[i], own)) for (r in ct$rows) {
      n <- n + 1
      t <- tabs[[ct$table]]
      why <- NULL
      if (is.null(t) || r < 1 || r > nrow(t)) why <- sprintf("%s.csv has %d rows", ct$table, if (is.null(t)) 0L else nrow(t))
      else if (own == "levers") {
        p <- strsplit(x$target[i], ":", fixed = TRUE)[[1]]
        if (p[1] == ct$table && !grepl("^[0-9]+$", p[2]) && !is.null(t$id)) {
          at <- match(p[2], t$id)
          if (!is.na(at) && at != r) why <- sprintf("the lever's target %s is row %d", x$target[i], at)
        } else if (ct$table == "modifiers" && p[1] %in% c("transitions", "modifiers") && length(p) >= 2) {
          subj <- if (p[1] == "transitions") p[2] else factor_of(t$target[if (grepl("^[0-9]+$", p[2])) as.integer(p[2]) else match(p[2], t$id)])
          if (!identical(factor_of(t$target[r]), subj)) why <- sprintf("row %d is about %s, the lever about %s", r, t$target[r], subj)
        }
      } else if (own == "modifiers" && ct$table == "modifiers") {
        if (factor_of(t$target[r]) != factor_of(x$target[i])) why <- sprintf("row %d is about %s, this row about %s", r, t$target[r], x$target[i])
      } else if (own == "events" && ct$table == "modifiers") {
        if (t$target[r] != x$event[i]) why <- sprintf("row %d is about %s, this row about %s", r, t$target[r], x$event[i])
      }
      if (!is.null(why)) { bad <- bad + 1
        cat(sprintf("ROWREF  %s row %d cites \"%s\": %s\n", file.path(dir, f), i, ct$text, why)) }
    }
  }
}
cat(sprintf("rowrefs: %d row citations in %d scenarios, %d stale\n", n, length(dirs), bad))
quit(status = if (bad > 0) 1 else 0)
