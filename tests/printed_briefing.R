# tests/printed_briefing.R STDOUT DIR: the printed briefing of `neasim compare` (STDOUT) shows, in
# every cell, the number the brief and the figures show for the same effect: each change and
# interval in a lever's row (with --outer, its judgment range), and each "best lever" line, equal nsm_pp (scripts/figures_common.R)
# of DIR/briefing.csv's number. Both round the table's number half away from zero; they once
# rounded different numbers (the C double, the CSV's four digits) and a tie read -1.7 in the
# terminal and -1.6 in the brief. Prints the cells compared; exits 1 on the first difference.
args <- commandArgs(trailingOnly = TRUE)
source("scripts/figures_common.R")
b <- nsm_read(args[2], "briefing")
lines <- readLines(args[1], encoding = "UTF-8")
dates <- sort(unique(as.character(b$date)))
cell_re <- "(\\S+) \\((\\S+), (\\S+)\\)"
outcome <- NULL
compared <- 0
bad <- character()
for (ln in lines) {
    hit <- b$outcome_label[startsWith(ln, b$outcome_label)]
    if (!startsWith(ln, " ") && length(hit) > 0) {
        lab <- hit[which.max(nchar(hit))]
        outcome <- unique(b$outcome[b$outcome_label == lab])
        next
    }
    if (is.null(outcome)) next
    rows <- b[b$outcome == outcome, , drop = FALSE]
    if (grepl("^  [0-9]+\\. ", ln)) {
        text <- sub("^  [0-9]+\\. ", "", ln)
        arms <- unique(rows$arm[vapply(rows$arm_label, function(a)
            startsWith(text, a) || startsWith(a, sub("\u2026.*$", "", substr(text, 1, 25))),
            logical(1))])
        cells <- regmatches(ln, gregexpr(cell_re, ln))[[1]]
        if (length(arms) != 1 || length(cells) != length(dates)) {
            bad <- c(bad, paste0("cannot read: ", ln)); next
        }
        r <- rows[rows$arm == arms, , drop = FALSE]
        r <- r[order(r$date), , drop = FALSE]
        want <- sprintf("%s (%s, %s)", nsm_pp(r$difference_pp), nsm_pp(r$ci_low_pp), nsm_pp(r$ci_high_pp))
        if ("judgment_q05_pp" %in% names(r)) { # compare --outer: "[q05, q95]" after each cell
            cells <- c(cells, regmatches(ln, gregexpr("\\[\\S+, \\S+\\]", ln))[[1]])
            want <- c(want, sprintf("[%s, %s]", nsm_pp(r$judgment_q05_pp), nsm_pp(r$judgment_q95_pp)))
        }
        compared <- compared + length(cells)
        if (!identical(cells, want))
            bad <- c(bad, sprintf("%s on %s: printed %s, the brief's rule on briefing.csv %s", arms,
                                  outcome, paste(cells, collapse = " | "), paste(want, collapse = " | ")))
    } else if (grepl("^    (ahead of|beside) the next, ", ln)) {
        # the lead in the better direction, or without one the difference best - next: from the
        # next's minus_best (next - best)
        m <- regmatches(ln, regexec(paste0("^    [a-z ]+ the next, (.*) \\((\\S+) pp(?:; not listed above: [^)]+)?\\)",
                                           "(?:, by|: a difference of) ",
                                           "(\\S+) pp \\((\\S+), (\\S+)\\)$"), ln, perl = TRUE))[[1]]
        last <- max(dates)
        r <- rows[rows$arm_label == m[2] & as.character(rows$date) == last, , drop = FALSE]
        compared <- compared + 1
        if (length(m) != 6 || nrow(r) != 1 || is.na(r$minus_best_pp)) {
            bad <- c(bad, paste0("cannot read: ", ln)); next
        }
        s <- switch(as.character(r$desirable), lower = -1, higher = 1, 1)
        lead <- c(-s * r$minus_best_pp, if (s > 0) -r$minus_best_ci_high_pp else r$minus_best_ci_low_pp,
                  if (s > 0) -r$minus_best_ci_low_pp else r$minus_best_ci_high_pp)
        signed <- r$desirable == "none" || !(lead[2] > 0)
        want <- c(nsm_pp(r$difference_pp), nsm_pp(lead, sign = signed))
        if (!identical(m[3:6], want) || r$minus_best_distinguishable != "yes")
            bad <- c(bad, sprintf("%s: briefing.csv gives %s", ln, paste(want, collapse = " | ")))
    } else if (grepl("^  (best|largest change)", ln)) {
        m <- regmatches(ln, regexec("^  [^:]+: (.*) \\((\\S+) pp by (\\S+)\\)$", ln))[[1]]
        r <- rows[rows$arm_label == m[2] & as.character(rows$date) == m[4], , drop = FALSE]
        compared <- compared + 1
        if (nrow(r) != 1 || m[3] != nsm_pp(r$difference_pp))
            bad <- c(bad, sprintf("%s: the brief's rule gives %s", ln, if (nrow(r) == 1) nsm_pp(r$difference_pp) else "no row"))
    }
}
cat(sprintf("printed briefing: %d cells compared with briefing.csv by the brief's rule, %d differ\n",
            compared, length(bad)))
if (length(bad)) cat(paste0("  ", head(bad, 10), "\n"), sep = "")
quit(status = if (length(bad) == 0 && compared >= 50) 0 else 1)
