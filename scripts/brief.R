# A briefing for a neasim results folder: RESULTS_DIR/brief.html, one self-contained HTML file
# (figures embedded as base64 PNG, styles inline, no external file), so that it can be mailed.
#
# It leads with findings: an executive summary in sentences generated from the numbers (the
# headline outcomes with their intervals, the onset reading, the levers that matter most and for
# what, their side effects), then one screen of the most telling figures, then the detail: the
# outcomes table, what each lever changes and does, counted events, every other figure and the
# provenance, the long parts folded (<details>) so that the page opens short.
#
# Built with htmltools (tags, escaping, one document), not pasted strings. Each part of the page
# is a function brief_<part>(b) of the brief's data b (brief_data()) returning a tag or NULL;
# BRIEF_PARTS lists them in page order, so that a new part is one function and one entry.
#
# Usage: Rscript scripts/brief.R RESULTS_DIR      (or: make brief RESULTS=RESULTS_DIR, which
#        draws the figures first and prints brief.pdf after: scripts/brief_pdf.sh)

nsm_script_dir <- function() {
    arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
    if (length(arg) == 0) return("scripts")
    dirname(normalizePath(sub("^--file=", "", arg[1])))
}
source(file.path(nsm_script_dir(), "figures_common.R"))
source(file.path(nsm_script_dir(), "figures_compare.R"))   # lever_table(), with_judgment()
source(file.path(nsm_script_dir(), "figures_sweep.R"))     # sweep_design(), sweep_ranking_table()
suppressPackageStartupMessages(library(htmltools))
source(file.path(nsm_script_dir(), "brief_story.R"))       # story_section(): routes, signposts
source(file.path(nsm_script_dir(), "brief_levers.R"))      # lever_change_lines(): arms.csv's changes

# ---- formatting -----------------------------------------------------------------------------

fmt_count <- function(x) format(x, big.mark = ",", scientific = FALSE, trim = TRUE)

# Inline fragments on one line (htmltools puts children of a block on lines of their own, and the
# tests look for these cells as written).
inline <- function(...) HTML(paste0(unlist(lapply(list(...), as.character)), collapse = ""))

# A probability with its Monte Carlo interval: `<span class="p">45.3%</span> <span
# class="ci">44.6&ndash;46.0</span>`.
prob_cell <- function(p, lo, hi) {
    inline(span(class = "p", nsm_pct(p)), " ",
           span(class = "ci", HTML(sprintf("%.1f&ndash;%.1f", 100 * lo, 100 * hi))))
}

# A probability's judgment range in a table cell, "judgment 33–56", with "(mostly noise)" after it
# where uncertainty.csv's judgment_mostly_noise says so.
judgment_span <- function(lo, hi, noise = FALSE) {
    span(class = "judgment", paste0("judgment ", nsm_pct_range(lo, hi),
                                    if (isTRUE(noise)) " (mostly noise)"))
}

# An effect's judgment range in a table cell, "judgment -3.1 to +0.4", and "(mostly noise)" after
# it when neasim found it mostly the Monte Carlo noise of a draw (nsm_mostly_noise): the note
# under the table says what that means (noise_words).
pp_judgment_span <- function(r) {
    span(class = "judgment", paste0("judgment ", nsm_pp(r$judgment_q05_pp[1]), " to ",
                                    nsm_pp(r$judgment_q95_pp[1]),
                                    if (isTRUE(r$judgment_noise[1])) " (mostly noise)"))
}

# What "mostly noise" means, for the notes under the tables and the summary: the rule is neasim's
# (nsm_mostly_noise, README), said here in words with the runs a draw.
noise_words <- function(b) {
    runs <- nsm_get(b$manifest, "runs", "")
    draws <- nsm_get(b$manifest, "outer_draws", "")
    per <- suppressWarnings(as.numeric(runs) / as.numeric(draws))
    paste0("\u201cmostly noise\u201d: most of that range is the Monte Carlo noise of ",
           if (!is.na(per)) paste0("a draw's ", format(per, big.mark = ","), " runs")
           else "a draw's runs",
           ", not judgment (its number's spread over the draws is at most 1.41 times the noise ",
           "of one draw's number: judgment_mostly_noise in the tables); more runs a draw ",
           "(--runs; OUTER_RUNS for make brief) show the judgment range")
}

# Whether uncertainty.csv's row j (one row, or NULL) marks its judgment range mostly noise.
row_noisy <- function(j) !is.null(j) && nrow(j) == 1 && isTRUE(nsm_mostly_noise(j)[1])

# A change in percentage points with its interval (and judgment range): the lever tables' cell.
pp_cell <- function(r) {
    dist <- tolower(r$distinguishable[1]) %in% c("yes", "true", "1")
    txt <- inline(span(class = "pp", paste0(nsm_pp(r$difference_pp[1]), " pp")), " ",
                  span(class = "ci", paste0(nsm_pp(r$ci_low_pp[1]), " to ", nsm_pp(r$ci_high_pp[1]))),
                  tags$br(),
                  span(class = "from", HTML(paste0(nsm_pct(r$baseline_probability[1]), " &rarr; ",
                                                   nsm_pct(r$arm_probability[1])))),
                  if ("judgment_q05_pp" %in% names(r)) inline(tags$br(), pp_judgment_span(r)))
    if (dist) tags$strong(txt) else txt
}

numbers_table <- function(header, rows, class = "numbers") {
    tags$table(class = class,
               tags$thead(tags$tr(lapply(header, tags$th))),
               tags$tbody(lapply(rows, function(r) tags$tr(lapply(r, tags$td)))))
}

# A folded part: its summary line is all the page shows until it is opened.
fold <- function(summary, ..., open = FALSE) {
    tags$details(open = if (open) NA else NULL, tags$summary(summary), ...)
}

# "a, b and c"
and_list <- function(x) {
    if (length(x) <= 1) return(paste(x))
    paste0(paste(x[-length(x)], collapse = ", "), " and ", x[length(x)])
}

# A quoted outcome label: “USFK cut below today's posture”.
q <- function(x) paste0("\u201c", x, "\u201d")

# ---- the data of a brief --------------------------------------------------------------------

# Everything the parts read, each NULL when the folder does not hold it: the manifest, the
# headline outcomes (baseline arm) at 2, 5 and 10 years and the end, onset shares, judgment
# ranges, the lever table (briefing.csv with judgment columns), interactions, event counts, the
# figure index.
brief_data <- function(dir) {
    nsm_load_labels(dir)
    b <- list(dir = dir, manifest = nsm_manifest(dir), all_labels = nsm_read(dir, "labels", quiet = TRUE))
    b$words <- nsm_arm_words(b$manifest) # levers, or scenarios compared
    oc <- nsm_read(dir, "outcomes", quiet = TRUE)
    if (!is.null(oc)) {
        arms <- nsm_arms(oc)
        if (!is.null(arms)) oc <- oc[oc$arm == arms[1], , drop = FALSE]
        b$arm <- if (is.null(arms)) NULL else arms[1]
        # the tables' arm as headings say it: a lever comparison's "baseline"; the first
        # scenario of compare A B C by its label
        b$arm_shown <- if (is.null(arms)) NULL else if (b$words$scenarios) b$words$first else arms[1]
        b$onset_start <- oc[oc$measure == "holds_at_start", c("outcome", "probability"), drop = FALSE]
        ob <- oc[oc$measure == "occurred_by", , drop = FALSE]
        if (nrow(ob) > 0) {
            b$headline <- nsm_at_horizons(ob, nsm_headline_horizons(ob$t_years))
            b$outcomes <- unique(ob$outcome)
            # a state outcome has occurred by the start in the runs that start in it (today's
            # uncertain state), which its probability "by" every date includes: those with some
            # runs, as the figures name them (nsm_held_at_start, scripts/figures_common.R)
            held <- nsm_held_at_start(oc)
            b$state_start <- data.frame(outcome = names(held), probability = unname(held),
                                        stringsAsFactors = FALSE)
        }
    }
    u <- nsm_read(dir, "uncertainty", quiet = TRUE)
    # compare --outer: the baseline's rows, whose judgment ranges the outcomes table and the first
    # finding show beside each probability, as run --outer's brief does
    if (!is.null(u) && "arm" %in% names(u)) u <- u[u$arm == b$arm, , drop = FALSE]
    b$uncertainty <- u
    # with --outer, outcomes.csv's Monte Carlo intervals are the mean's over the draws
    b$mc_of_mean <- !is.null(b$headline) && nsm_two_level(u)
    b$levers <- lever_table(list(dir = dir, differences = nsm_read(dir, "differences", quiet = TRUE)))
    # briefing.csv's judgment_mostly_noise as a logical, for the marks "(mostly noise)"
    if (!is.null(b$levers)) b$levers$judgment_noise <- nsm_mostly_noise(b$levers)
    b$arms_tab <- nsm_read(dir, "arms", quiet = TRUE)
    b$interactions <- nsm_read(dir, "interactions", quiet = TRUE)
    b$events <- nsm_read(dir, "event_counts", quiet = TRUE)
    b$tornado <- nsm_read(dir, "tornado", quiet = TRUE)
    index_path <- file.path(dir, "figures", "index.csv")
    if (file.exists(index_path)) {
        index <- utils::read.csv(index_path, stringsAsFactors = FALSE, encoding = "UTF-8")
        if ("brief" %in% names(index)) index <- index[as.logical(index$brief), , drop = FALSE]
        b$figures <- index
    } else {
        message("brief: no figures/index.csv in ", dir, " (run make figures first): no figures")
    }
    b
}

# The direction in which outcome o is good news: "lower", "higher" or "none".
desirable_of <- function(b, o) {
    t <- b$all_labels
    if (is.null(t) || !"desirable" %in% names(t)) return(rep("none", length(o)))
    t <- t[t$kind == "outcome", , drop = FALSE]
    d <- t$desirable[match(o, t$name)]
    ifelse(is.na(d), "none", d)
}

# How much a change of x pp helps outcome o (its desirable direction; size when it has none).
help_of <- function(x, dir) ifelse(dir == "lower", -x, ifelse(dir == "higher", x, abs(x)))

# The headline numbers of outcome o at the last horizon: probability, intervals, judgment.
last_headline <- function(b, o) {
    h <- b$headline
    r <- h[h$outcome == o & h$horizon == max(h$horizon), , drop = FALSE]
    j <- if (!is.null(b$uncertainty)) b$uncertainty[b$uncertainty$outcome == o &
                                                     b$uncertainty$date == r$date[1], , drop = FALSE]
    list(r = r, j = if (!is.null(j) && nrow(j) == 1) j else NULL)
}

# "59% (Monte Carlo 58–60; judgment 33–56)": the sentence after them says that the first is a 95%
# interval
headline_phrase <- function(b, o) {
    x <- last_headline(b, o)
    paste0(nsm_pct_label(x$r$probability), " (Monte Carlo ", nsm_pct_range(x$r$ci_low, x$r$ci_high),
           if (!is.null(x$j)) paste0("; judgment ", nsm_pct_range(x$j$q05, x$j$q95),
                                     if (row_noisy(x$j)) ", mostly noise"), ")")
}

# Each lever's effects at the last horizon, with help, label and direction.
last_effects <- function(b) {
    l <- b$levers
    if (is.null(l)) return(NULL)
    l <- l[l$horizon_years == max(l$horizon_years), , drop = FALSE]
    l$dir <- desirable_of(b, l$outcome)
    l$help <- help_of(l$difference_pp, l$dir)
    l$dist <- tolower(l$distinguishable) %in% c("yes", "true", "1")
    if (!"judgment_q05_pp" %in% names(l)) {
        u <- nsm_read(b$dir, "uncertainty_differences", quiet = TRUE)
        if (!is.null(u)) {
            k <- match(paste(l$arm, l$outcome, l$horizon_years),
                       paste(u$arm, u$outcome, u$horizon_years))
            l$judgment_q05_pp <- 100 * u$judgment_q05[k]
            l$judgment_q95_pp <- 100 * u$judgment_q95[k]
            l$judgment_noise <- nsm_mostly_noise(u)[k]
        }
    }
    l
}

# "lowers “Alliance in crisis” by 14.4 points (13.1 to 15.7; judgment 9.0 to 20.1)": the change
# and both its ranges as sizes in the verb's direction; a judgment range that reaches the other
# side of zero says so in words ("judgment from lowering it by 3.1 to raising it by 0.4"), as a
# size alone would hide it.
effect_phrase <- function(r, w = NULL) {
    down <- r$difference_pp < 0
    verb <- if (down) "lowers" else "raises"
    size <- function(x) nsm_pp(abs(x), sign = FALSE)
    lo <- min(abs(r$ci_low_pp), abs(r$ci_high_pp)); hi <- max(abs(r$ci_low_pp), abs(r$ci_high_pp))
    scenarios <- !is.null(w) && w$scenarios
    j <- NULL
    if (!is.null(r$judgment_q05_pp) && !is.na(r$judgment_q05_pp)) {
        a <- r$judgment_q05_pp; z <- r$judgment_q95_pp
        j <- if (if (down) z <= 0 else a >= 0)
            paste0("; judgment ", size(min(abs(a), abs(z))), " to ", size(max(abs(a), abs(z))))
        else if (scenarios) # q05 < 0 < q95
            paste0("; judgment from ", size(a), " lower to ", size(z), " higher")
        else
            paste0("; judgment from lowering it by ", size(a), " to raising it by ", size(z))
        if (isTRUE(r$judgment_noise)) j <- paste0(j, ", mostly noise")
    }
    # a scenario compared does not lower an outcome: the outcome is lower in it
    if (scenarios)
        return(paste0("has ", q(nsm_label(r$outcome)), " ", size(r$difference_pp), " points ",
                      if (down) "lower" else "higher", " (", size(lo), " to ", size(hi), j, ")"))
    paste0(verb, " ", q(nsm_label(r$outcome)), " by ", size(r$difference_pp), " points (",
           size(lo), " to ", size(hi), j, ")")
}

# ---- the parts of the page ------------------------------------------------------------------

# A date of the manifest as the brief writes its dates, "1 Nov 2036"; "?" when it has none.
day_or <- function(date) if (is.na(date)) "?" else nsm_day(date)

brief_header <- function(b) {
    m <- b$manifest
    title <- nsm_get(m, "scenario_title", nsm_get(m, "scenario", basename(b$dir)))
    name <- paste0("Scenario ", nsm_get(m, "scenario", basename(b$dir)))
    if (b$words$scenarios) { # compare A B C: the page is about all of them
        arms <- strsplit(nsm_get(m, "arms", ""), ";", fixed = TRUE)[[1]]
        title <- paste0(title, ", compared with ", and_list(arm_label(arms[-1], 1000)))
        name <- paste0("Scenarios ", paste(arms, collapse = ", "))
    }
    bits <- c(name,
              if (!is.na(nsm_get(m, "start_date")))
                  paste0(nsm_day(nsm_get(m, "start_date")), " to ", day_or(nsm_get(m, "end_date"))),
              nsm_runs_phrase(m),
              paste0("seed ", nsm_get(m, "seed", "unknown")))
    tagList(tags$h1(title), tags$p(class = "sub", paste(bits, collapse = " \u00b7 ")))
}

# Sentences on the headline outcomes: the most likely ones with a direction (the risks), with
# both intervals, and the onset reading of those that are onsets. A state that every run starts
# in has occurred by every date in every run: today's state, not a finding about the future
# (seed-2025's conservative ROK president, 100% by every horizon, was named among the outcomes "at
# least as likely"). Such states are said apart, first, and the rest of the finding is of the
# others.
summary_outcomes <- function(b) {
    if (is.null(b$headline)) return(NULL)
    h <- b$headline
    last <- h[h$horizon == max(h$horizon), , drop = FALSE]
    always <- held_by_all(b)
    # one sentence a minister reads at once (it had 46 words but its name: "... holds at the start
    # in every run, so, as a state (held at some time, the start included), it has occurred by
    # every date ...")
    many <- length(always) > 1
    s0 <- if (length(always)) paste0(
        and_list(q(nsm_label(always))), if (many) " are" else " is", " today's state: every run ",
        "starts in ", if (many) "them" else "it", ", so ", if (many) "they are" else "it is",
        " 100% at every horizon by construction, not a forecast, and left out of what follows.")
    other <- if (length(always)) "other " else ""
    last <- last[!last$outcome %in% always, , drop = FALSE]
    if (nrow(last) == 0) return(list(tags$li(s0)))
    dirs <- desirable_of(b, last$outcome)
    directed <- dirs != "none"
    pool <- if (any(directed)) last[directed, , drop = FALSE] else last
    # the four most likely, and every one tied with the fourth, which would otherwise be picked by
    # the table's order (with --runs 1 every share is 0 or 100%); none at 0% unless all are
    ranked <- pool[order(pool$probability, decreasing = TRUE), , drop = FALSE]
    fourth <- ranked$probability[min(4, nrow(ranked))]
    top <- ranked$outcome[if (fourth > 0) ranked$probability >= fourth else ranked$probability > 0]
    if (!length(top)) top <- ranked$outcome[1]
    when <- nsm_by_date(last$date[1])
    items <- vapply(top, function(o) paste0(q(nsm_label(o)), " ", headline_phrase(b, o)), "")
    # The pool is named as what it is: with directions, the outcomes that have one (the risks and
    # the hopes). Of the others, every one at least as likely as the least likely named is said
    # too (else the most likely of them), so that no outcome more likely than those named goes
    # unmentioned (tests/brief_check.py).
    mixed <- any(directed) && !all(directed)
    marks <- paste0("\u201c", sort(unique(dirs[directed])), " is better\u201d")
    pool_name <- if (mixed) paste0(other, nrow(pool), " outcomes marked ",
                                   paste(marks, collapse = " or "))
                 else paste0(other, nrow(last), " outcomes")
    # one outcome, or one with a direction among others: that one, not "the most likely of the 1
    # outcomes marked ... are"
    occurred <- function(o) paste0(" has occurred ", when, " in ",
                                   sub(" \\(", " of runs (", headline_phrase(b, o)), ".")
    s1 <- if (nrow(last) == 1)
        paste0(if (!is.null(b$arm)) without(b) else "", q(nsm_label(top)), occurred(top))
    else if (mixed && nrow(pool) == 1)
        paste0(if (!is.null(b$arm)) paste0(without(b), "the") else "The", " one ", other,
               "outcome marked ", marks, ", ", q(nsm_label(top)), ",", occurred(top))
    else paste0(if (!is.null(b$arm)) paste0(without(b), "the") else "The", " most likely of the ",
                pool_name, " ", when, " are ", paste(items, collapse = "; "), ".")
    if (mixed) {
        rest <- last[!directed, , drop = FALSE]
        rest <- rest[order(rest$probability, decreasing = TRUE), , drop = FALSE]
        floor <- min(pool$probability[match(top, pool$outcome)])
        likelier <- rest$outcome[rest$probability >= floor]
        said <- vapply(if (length(likelier)) likelier else rest$outcome[1],
                       function(o) paste0(q(nsm_label(o)), " ", headline_phrase(b, o)), "")
        s1 <- paste0(s1, if (nrow(rest) == 1) paste0(" The ", other, "one with no direction is ")
                         else if (length(said) == 1) paste0(" Of the ", other, nrow(rest),
                                                           " with no direction, the most likely is ")
                         else paste0(" Of the ", other, nrow(rest), " with no direction, ",
                                     length(said), " are at least as likely as the least likely ",
                                     "of those (", nsm_pct_label(floor), "): "),
                     paste(said, collapse = "; "), ".")
    }
    if (length(always)) s1 <- paste(s0, s1)
    judged_effects <- file.exists(file.path(b$dir, "uncertainty_differences.csv"))
    if (is.null(b$uncertainty) && judged_effects)
        s1 <- paste0(s1, " These are 95% Monte Carlo intervals (simulation precision); the ",
                     if (b$words$scenarios) "differences" else "levers' effects",
                     " below also carry their judgment ranges (compare --outer).")
    else if (is.null(b$uncertainty)) {
        # where the ranges are: a run's own --outer, or a comparison's, which adds its changes'
        shows <- if (is.null(b$arm)) "run --outer shows them"
                 else if (b$words$scenarios) "compare --outer N shows them, and the differences'"
                 else "compare --outer N shows them, and the effects'"
        s1 <- paste0(s1, " The intervals are 95% Monte Carlo intervals, simulation precision only; ",
                     "the judgment ranges of the ", if (b$words$scenarios) "scenarios'" else
                     "scenario's", " uncertain numbers are averaged over (", shows, ").")
    }
    else s1 <- paste0(s1, " Monte Carlo: the 95% interval of the average over the draws (simulation ",
                      "precision); judgment: 5\u201395% of the number over the draws of the ",
                      "scenario's uncertain numbers.")
    # what holds at the start, for every outcome named above (the no-direction ones too)
    named <- c(top, if (mixed) if (length(likelier)) likelier else rest$outcome[1])
    list(tags$li(s1), start_item(b$onset_start, named, onset = TRUE),
         start_item(b$state_start, named, onset = FALSE))
}

# How the first finding of a comparison names its first arm: the baseline without any lever, or the
# first of the scenarios compared.
without <- function(b) {
    if (b$words$scenarios) paste0("In the first scenario (", b$words$first, "), ")
    else "Without any lever, "
}

# The state outcomes that every run starts in (a share of 1 at the start): each has occurred by
# every date in every run, whatever the model does after the start.
held_by_all <- function(b) {
    s <- b$state_start
    if (is.null(s)) character(0) else s$outcome[s$probability >= 1]
}

# The start of the outcomes named (in that order) whose counting the start changes: onsets, which
# leave out the runs that start in the condition (each said with its share, 0% included), and
# states that hold at the start in some runs, whose "by" counts them as if it were news.
start_item <- function(start, named, onset) {
    if (is.null(start)) return(NULL)
    x <- start[match(named, start$outcome), , drop = FALSE]
    x <- x[!is.na(x$outcome) & (onset | x$probability > 0), , drop = FALSE]
    if (nrow(x) == 0) return(NULL)
    many <- nrow(x) > 1
    shares <- and_list(paste0(nsm_pct_label(x$probability),
                              if (many) paste0(" (", nsm_label(x$outcome), ")")))
    tags$li(paste0(and_list(q(nsm_label(x$outcome))), if (onset) paste0(
        if (many) " are onsets: they count" else " is an onset: it counts",
        " only the runs in which the condition begins after the start. At the start ",
        if (many) "their conditions already hold in " else "it already holds in ", shares,
        " of runs", if (many) " respectively", ".")
        else paste0(if (many) " are states, not onsets: they count" else
                        " is a state, not an onset: it counts",
                    " every run in the condition at some time, the start included, so the runs ",
                    "that start in it count as if it had happened. At the start ",
                    if (many) "their conditions hold in " else "it holds in ", shares, " of runs",
                    if (many) " respectively", ".")))
}

# The levers of an arm: "a+b" is a and b.
arm_levers <- function(arm) strsplit(arm, "+", fixed = TRUE)[[1]]

# Rows of effects (best: each arm's largest help; or the largest changes, or harms) with the rows of
# arms of several levers that are exactly a row of an arm of some of their levers (the same
# outcome, difference and intervals: the levers added change nothing there, as on common random
# numbers a lever that touches none of the outcome's processes does) folded into that row, the
# arm's of fewest levers: a factorial comparison otherwise fills "the levers that matter most" with
# one lever's effect told once for every combination that holds it. Of scenarios compared
# (`scenarios`), which share most of their model, a row exactly an earlier row is folded into the
# first such ("Baseline has ... 32.2 points lower (28.1 to 36.3); Nuclear test in September 2027
# has ... 32.2 points lower (28.1 to 36.3)" was said twice). list(rows = the rows left, with = for
# each of them, the arms folded into it).
same_as_part <- function(rows, scenarios = FALSE) {
    cols <- intersect(c("outcome", "difference_pp", "ci_low_pp", "ci_high_pp", "judgment_q05_pp",
                        "judgment_q95_pp"), names(rows))
    key <- do.call(paste, c(unname(as.list(rows[cols])), sep = "\r"))
    lev <- lapply(rows$arm, arm_levers)
    n <- lengths(lev)
    into <- rep(NA_integer_, nrow(rows))
    for (i in seq_len(nrow(rows))) {
        part <- if (scenarios) which(key == key[i] & seq_along(key) < i)
                else if (n[i] > 1) which(key == key[i] & n < n[i] &
                                         vapply(lev, function(l) all(l %in% lev[[i]]), TRUE))
        if (length(part)) into[i] <- if (scenarios) part[1] else part[order(n[part])][1]
    }
    kept <- which(is.na(into))
    list(rows = rows[kept, , drop = FALSE],
         with = lapply(kept, function(k) rows$arm[which(into == k)]))
}

# ", and exactly as much with Equitable burden sharing, U.S. posture review or both added": what
# same_as_part folded into arm (nothing when none). Every combination of the other levers: said
# as such; otherwise the arms are named. Of scenarios: ", and Nuclear test in September 2027
# exactly as much".
added_phrase <- function(arm, folded, scenarios = FALSE) {
    if (length(folded) == 0) return("")
    if (scenarios) return(paste0(", and ", and_list(arm_label(folded, 1000)), " exactly as much"))
    mine <- arm_levers(arm)
    extra <- lapply(folded, function(a) setdiff(arm_levers(a), mine))
    others <- unique(unlist(extra))
    every <- length(folded) == 2^length(others) - 1 && length(others) <= 2
    if (every && length(others) == 1)
        return(paste0(", and exactly as much with ", arm_label(others, 1000), " added"))
    if (every)
        return(paste0(", and exactly as much with ", arm_label(others[1], 1000), ", ",
                      arm_label(others[2], 1000), " or both added"))
    paste0(", and exactly as much in ", and_list(arm_label(folded, 1000)))
}

# Sentences on the levers: each lever's largest help (the top ones first), the outcomes no lever
# helps, side effects (distinguishable harm) and interactions.
summary_levers <- function(b) {
    l <- last_effects(b)
    if (is.null(l)) return(NULL)
    w <- b$words
    scn <- w$scenarios
    # a scenario compared is better or worse than the first; a lever helps or harms
    say <- if (scn) list(top = paste0("The scenarios better than the first (largest difference ",
                                      "for the better "),
                         also = "Also better (largest difference, as above): ",
                         none = "Distinguishably better on no outcome ", from = ": ",
                         orphan = "No other scenario is better for ",
                         harm = "Worse than the first (the largest differences for the worse ")
           else list(top = "The levers that matter most (largest help ",
                     also = "Also helping (largest help, as above): ",
                     none = "No distinguishable help ", from = " from: ",
                     orphan = "No lever helps against ", harm = "Side effects (the largest harm ")
    when <- nsm_by_date(l$date[1])
    good <- l[l$dist & l$help > 0 & l$dir != "none", , drop = FALSE]
    out <- list()
    if (nrow(good) > 0) {
        best <- good[order(good$help, decreasing = TRUE), , drop = FALSE]
        best <- best[!duplicated(best$arm), , drop = FALSE]
        # with arms of several levers: each combination that adds nothing told with its part
        same <- same_as_part(best, scn)
        best <- same$rows
        folded <- unlist(same$with)
        with <- stats::setNames(same$with, best$arm)
        shown <- best[seq_len(min(4, nrow(best))), , drop = FALSE]
        phr <- vapply(seq_len(nrow(shown)), function(i)
            paste0(arm_label(shown$arm[i], 1000), " ", effect_phrase(shown[i, ], w),
                   added_phrase(shown$arm[i], with[[shown$arm[i]]], scn)), "")
        out <- c(out, list(tags$li(paste0(say$top, when, ", ",
                                          "95% Monte Carlo interval): ", paste(phr, collapse = "; "),
                                          "."))))
        rest <- setdiff(unique(l$arm), c(shown$arm, folded))
        weak <- setdiff(rest, best$arm)
        # the other levers that help, each told as those above, with its interval (a bare
        # "-7.1 pp" gave no way to tell a sure help from a lucky one)
        if (length(rest) > length(weak))
            out <- c(out, list(tags$li(paste0(
                say$also,
                paste(vapply(intersect(best$arm, setdiff(rest, weak)), function(a) {
                    r <- best[best$arm == a, , drop = FALSE][1, ]
                    paste0(arm_label(a, 1000), " ", effect_phrase(r, w),
                           added_phrase(a, with[[a]], scn)) }, ""), collapse = "; "),
                "."))))
        if (length(weak) > 0)
            out <- c(out, list(tags$li(paste0(say$none, when, say$from,
                                              paste(arm_label(weak, 1000), collapse = ", "), "."))))
    }
    # outcomes without a direction: the largest changes, with no verdict
    moved <- l[l$dist & l$dir == "none", , drop = FALSE]
    if (nrow(moved) > 0) {
        moved <- moved[order(abs(moved$difference_pp), decreasing = TRUE), , drop = FALSE]
        same <- same_as_part(moved, scn)
        moved <- same$rows[seq_len(min(4, nrow(same$rows))), , drop = FALSE]
        phr <- vapply(seq_len(nrow(moved)), function(i)
            paste0(arm_label(moved$arm[i], 1000), " ", effect_phrase(moved[i, ], w),
                   added_phrase(moved$arm[i], same$with[[i]], scn)), "")
        out <- c(out, list(tags$li(paste0(
            if (nrow(good) > 0) "On outcomes with no better direction, the largest changes ("
            else "The largest changes (", when, ", 95% Monte Carlo interval): ",
            paste(phr, collapse = "; "), "."))))
    }
    risks <- unique(l$outcome[l$dir != "none"])
    helped <- unique(good$outcome)
    orphan <- setdiff(risks, helped)
    if (length(orphan) > 0)
        out <- c(out, list(tags$li(paste0(say$orphan,
                                          and_list(q(nsm_label(orphan))), " ", when, "."))))
    harm <- l[l$dist & l$help < 0 & l$dir != "none", , drop = FALSE]
    if (nrow(harm) > 0) {
        same <- same_as_part(harm[order(harm$help), , drop = FALSE], scn)
        harm <- same$rows[seq_len(min(3, nrow(same$rows))), , drop = FALSE]
        phr <- vapply(seq_len(nrow(harm)), function(i)
            paste0(arm_label(harm$arm[i], 1000), " ", effect_phrase(harm[i, ], w),
                   added_phrase(harm$arm[i], same$with[[i]], scn)), "")
        out <- c(out, list(tags$li(paste0(say$harm, when, "): ",
                                          paste(phr, collapse = "; "), "."))))
    }
    it <- b$interactions
    if (!is.null(it)) {
        it <- it[it$horizon_years == max(it$horizon_years) &
                 tolower(it$distinguishable) == "yes", , drop = FALSE]
        if (nrow(it) > 0) {
            it <- it[order(abs(it$interaction_pp), decreasing = TRUE), , drop = FALSE]
            it <- it[seq_len(min(3, nrow(it))), , drop = FALSE]
            phr <- sprintf("%s on %s: %s pp (%s to %s)", arm_label(it$arm, 1000),
                           q(nsm_label(it$outcome)), nsm_pp(it$interaction_pp),
                           nsm_pp(it$ci_low_pp), nsm_pp(it$ci_high_pp))
            out <- c(out, list(tags$li(paste0("Levers that do not simply add up (together minus ",
                                              "each alone): ", paste(phr, collapse = "; "), "."))))
        }
    }
    out
}

# The rows of tornado.csv that the brief names: by the longest horizon, the swing of each of the
# three most sensitive outcomes' number that moves it most, largest first, leaving out swings
# within their Monte Carlo error (zero rows when none clears it); NULL without a tornado. The
# summary says them and the key figures are their tornados, so that the figures shown are those
# of the outcomes the text names (the key figure was the first outcome's, whatever it said).
tornado_named <- function(b) {
    t <- b$tornado
    if (is.null(t) || !"swing" %in% names(t)) return(NULL)
    t <- t[t$horizon_years == max(t$horizon_years), , drop = FALSE]
    t <- t[!tornado_noise(t), , drop = FALSE]
    t <- t[order(t$swing, decreasing = TRUE), , drop = FALSE]
    t[!duplicated(t$outcome), , drop = FALSE][seq_len(min(3, length(unique(t$outcome)))), ,
                                               drop = FALSE]
}

# A sweep's tornado: the number that moves each of the most sensitive outcomes most.
# Each swing with the bound on its Monte Carlo error (1.96 x swing_se_max, in points: the figures'
# test of noise, tornado_noise), so that "by 59 points" at 300 runs a point is read with its
# "at most ±7"; a swing within that bound may be simulation error alone and is not named, as the
# tornado lists it apart without a rank. When no swing clears it, the sentence says so and what
# to do.
summary_tornado <- function(b) {
    t <- tornado_named(b)
    if (is.null(t)) return(NULL)
    when <- sweep_horizon_label(max(b$tornado$horizon_years))
    runs <- nsm_get(b$manifest, "runs_per_point", nsm_get(b$manifest, "runs", "?"))
    if (nrow(t) == 0)
        return(list(tags$li(paste0(
            "No judgment moves an outcome by more than its Monte Carlo error (one at a time from ",
            "the 5th to the 95th percentile of each; by ", when, "; ", runs, " runs a point): ",
            "run the sweep with more --runs to tell them apart."))))
    p <- nsm_read(b$dir, "parameters", quiet = TRUE)
    lab <- param_phrase(if (!is.null(p)) p$label[match(t$parameter, p$parameter)] else t$parameter)
    err <- if ("swing_se_max" %in% names(t))
        sprintf(" (Monte Carlo error at most \u00b1%s)",
                fmt_points(100 * TORNADO_Z * t$swing_se_max))
    else ""
    list(tags$li(paste0("The judgments that matter most (one at a time from the 5th to the 95th ",
                        "percentile of each, the others at their means; by ", when, "): ",
                        paste(sprintf("%s moves %s by %.0f points%s", lab, q(nsm_label(t$outcome)),
                                      100 * t$swing, err), collapse = "; "),
                        ". A swing within its Monte Carlo error (", runs, " runs a point) is not ",
                        "named: it may be simulation error alone.")))
}

# Points of a Monte Carlo error bound, whole above 10, else to one decimal ("±7", "±2.4").
fmt_points <- function(x) ifelse(x >= 10, sprintf("%.0f", x), sprintf("%.1f", x))

# A swept number's name for a sentence: parameters.csv's label ends in the swept range ("...
# (rate per year): 0.0713 to 0.463"), which read glued to what follows ("0.463 moves ..."): the
# name, then the range apart in parentheses.
param_phrase <- function(label) {
    re <- ": (-?[0-9.]+(e[-+]?[0-9]+)?) to (-?[0-9.]+(e[-+]?[0-9]+)?)$"
    has <- !is.na(label) & grepl(re, label)
    out <- label
    out[has] <- paste0(sub(re, "", label[has]), " (swept ", sub(paste0("^.*", re), "\\1 to \\3",
                                                                 label[has]), ")")
    out
}

# A Sobol sweep: for the outcomes it explains best, the number with the largest total index by the
# last horizon, with what a total index is (the figures show the first-order ones beside them).
# The rows of sensitivity.csv that the brief names: by the longest horizon, the three numbers with
# the largest total index, each with the outcome it explains most; NULL without any. The summary
# says them and the key figures are the sensitivity charts of their outcomes (as tornado_named).
sobol_named <- function(b) {
    s <- nsm_read(b$dir, "sensitivity", quiet = TRUE)
    if (is.null(s) || !all(c("index", "estimate") %in% names(s))) return(NULL)
    s <- s[s$index == "total" & !is.na(s$estimate), , drop = FALSE]
    if (nrow(s) == 0) return(NULL)
    s <- s[s$horizon_years == max(s$horizon_years), , drop = FALSE]
    # the numbers that matter most, each with the outcome it explains most: three different numbers
    s <- s[order(s$estimate, decreasing = TRUE), , drop = FALSE]
    s[!duplicated(s$parameter), , drop = FALSE][seq_len(min(3, length(unique(s$parameter)))), ,
                                                 drop = FALSE]
}

summary_sobol <- function(b) {
    s <- sobol_named(b)
    if (is.null(s)) return(NULL)
    p <- nsm_read(b$dir, "parameters", quiet = TRUE)
    lab <- if (!is.null(p)) p$label[match(s$parameter, p$parameter)] else s$parameter
    lab[is.na(lab)] <- s$parameter[is.na(lab)]
    lab <- param_phrase(lab)
    list(tags$li(paste0(
        "The judgments that matter most (by ", sweep_horizon_label(s$horizon_years[1]), "; Sobol ",
        "total index: the share of the outcome's variance over the sweep that the number accounts ",
        "for, alone and through its interactions, 0 to 1, with its 95% interval; an estimate ",
        "outside 0 to 1 is noise): ",
        paste(sprintf("%s for %s, %.2f (%.2f to %.2f)", lab, q(nsm_label(s$outcome)), s$estimate,
                      s$ci_low, s$ci_high), collapse = "; "), ".")))
}

# A sweep without a tornado or Sobol table (LHS, design file): which numbers its rank regression
# ranks first (summary_ranking); when its points are too few for the rank regression there is no
# ranking, and no figure: its scatter pages are not in the brief, as with fewer points than
# numbers the numbers most correlated with an outcome are largely chance. Say so, and what to run
# instead, rather than leave a reader with one sentence and the provenance.
summary_sweep <- function(b) {
    if (!is.null(b$tornado) || !is.null(nsm_read(b$dir, "sensitivity", quiet = TRUE))) return(NULL)
    s <- nsm_read(b$dir, "sweep", quiet = TRUE)
    if (is.null(s)) return(NULL)
    s$value <- as.numeric(s$value)
    design <- sweep_design(s)
    points <- design$points
    cols <- design$cols
    if (length(cols) == 0 || sweep_is_grid(points, cols)) return(NULL)
    X <- sweep_regressors(points, cols)
    if (nrow(X) > ncol(X) + 1) return(summary_ranking(b, sweep_series(s), points, cols))
    need <- ncol(X) + 2
    list(summary_spread(b, sweep_series(s), nrow(X)), tags$li(sprintf(paste0(
        "No figure and no ranking of the swept numbers: the sweep has %s points for %s swept ",
        "numbers%s, too few for a rank regression, which needs more points than numbers (at ",
        "least %s). The scatters of each outcome against the %d numbers most correlated with it ",
        "(figures/sweep_scatter_*.png) are left out of this brief: with fewer points than ",
        "numbers, which numbers correlate most with an outcome is largely chance. To see which ",
        "numbers matter, sweep again with at least %s points (--lhs %d, or a design file of as ",
        "many rows); %s or more, ten a number, rank them without the caution of too few points."),
        fmt_count(nrow(X)), fmt_count(length(cols)),
        if (ncol(X) > length(cols)) " and lever sets" else "", fmt_count(need),
        min(SWEEP_TOP, length(cols)), fmt_count(need), need, fmt_count(10 * ncol(X)))))
}

# A sweep of too few points to rank its numbers still shows how far its outcomes move over the
# assumptions it sampled: the RANK_OUTCOMES outcomes whose probability by the last horizon ranges
# most widely over the points, each with that range, as the ranking's sentences give it (the
# widest first, ties in the file's order). None when no outcome varies.
summary_spread <- function(b, s, n) {
    at <- s[s$quantity == "outcome" & s$horizon_years == max(s$horizon_years), , drop = FALSE]
    if (nrow(at) == 0) return(NULL)
    lo <- tapply(at$value, at$key, min)
    hi <- tapply(at$value, at$key, max)
    keys <- unique(at$key)
    keys <- keys[hi[keys] > lo[keys]]
    if (length(keys) == 0) return(NULL)
    n_out <- length(keys)
    keys <- keys[order(-(hi[keys] - lo[keys]))][seq_len(min(RANK_OUTCOMES, n_out))]
    runs <- suppressWarnings(as.numeric(nsm_get(b$manifest, "runs_per_point", NA)))
    items <- lapply(keys, function(k) tags$li(paste0(
        q(nsm_label(at$name[match(k, at$key)])), " (", nsm_pct_range(lo[[k]], hi[[k]]),
        "% over the points)")))
    list(tags$li(paste0(
        "How far the outcomes move over the assumptions sampled: ",
        if (n_out == 1) "the one outcome whose probability "
        else if (n_out == length(keys)) paste0("the ", n_out, " outcomes whose probability ")
        else paste0("the ", length(keys), " of the ", n_out, " outcomes whose probability "),
        "by ", sweep_horizon_label(max(at$horizon_years)), " varies over the sweep's ",
        fmt_count(n), " points", if (n_out > 1) ", the widest range first", " (each point's ",
        "probability from ", if (is.na(runs)) "its" else fmt_count(runs),
        " runs, so a narrow range may be simulation noise alone):"), tags$ul(items)))
}

RANK_OUTCOMES <- 3  # outcomes the ranking's sentences speak of: those that vary most
RANK_NAMED <- 3     # numbers named for each: those with the largest |SRRC|
# An adjusted rank R^2 below this is called low: the rule of thumb for reading standardized
# regression coefficients (Saltelli et al. 2008, Global Sensitivity Analysis: The Primer, ch. 1).
RANK_LOW_R2 <- 0.7

# A coefficient as the brief writes it: two decimals, and no "-0.00" for a tiny negative one.
srrc_text <- function(x) sub("^-(0\\.00)$", "\\1", sprintf("%.2f", x))

# "transition a:off>on, 0.97 (0.95 to 0.98)": a ranking row `r` (sweep_ranking_table) under
# label `lab`, its interval said to reach 0 when it does; none when no resample could be fitted.
srrc_phrase <- function(r, lab) {
    if (is.na(r$ci_low) || is.na(r$ci_high)) return(paste0(lab, ", ", srrc_text(r$estimate)))
    reaches <- r$ci_low <= 0 && r$ci_high >= 0
    paste0(lab, ", ", srrc_text(r$estimate), " (", srrc_text(r$ci_low), " to ",
           srrc_text(r$ci_high), if (reaches) ", not distinguishable from 0", ")")
}

# An LHS or design sweep with enough points: for the RANK_OUTCOMES outcomes that vary most over
# the points, the RANK_NAMED numbers with the largest |SRRC| by the last horizon, each with its
# interval, and the outcome's adjusted R^2. The numbers are the ranking chart's: the same table
# (sweep_ranking_table, whose bootstrap is seeded), the same order (sweep_rank_top), the same
# labels; and so are its cautions (a low fit, too many regressors for the points).
summary_ranking <- function(b, s, points, cols) {
    rk <- sweep_ranking_table(s, points, cols)
    tab <- rk$table
    if (!is.null(tab)) tab <- tab[tab$quantity == "outcome", , drop = FALSE]
    if (is.null(tab) || nrow(tab) == 0) return(NULL)
    n <- tab$n[1]
    p <- tab$p[1]
    at <- s[s$horizon_years == rk$horizon & s$key %in% tab$key, , drop = FALSE]
    lo <- tapply(at$value, at$key, min)
    hi <- tapply(at$value, at$key, max)
    keys <- unique(tab$key)
    # the widest range first; ties in the table's order (order() is stable)
    keys <- keys[order(-(hi[keys] - lo[keys]))][seq_len(min(RANK_OUTCOMES, length(keys)))]
    top <- sweep_rank_top(tab[tab$key %in% keys, , drop = FALSE], RANK_NAMED)
    top$label <- param_phrase(sweep_regressor_label(list(dir = b$dir), top$regressor))
    items <- lapply(keys, function(k) {
        d <- top[top$key == k, , drop = FALSE]
        fit <- d$adj_r2[1]
        tags$li(paste0(
            q(nsm_label(d$name[1])), " (", nsm_pct_range(lo[[k]], hi[[k]]),
            "% over the points): ",
            paste(vapply(seq_len(nrow(d)), function(i) srrc_phrase(d[i, ], d$label[i]), ""),
                  collapse = "; "),
            ". Adjusted R\u00b2 ", srrc_text(fit),
            if (fit < RANK_LOW_R2) paste0(", low: the ranking leaves much of what moves this ",
                                          "outcome unexplained"), "."))
    })
    n_out <- length(unique(tab$key))
    lead <- paste0(
        "The uncertain numbers ", if (any(grepl("=", tab$regressor, fixed = TRUE)))
            "(and lever sets) ", "that matter most, by rank regression over the sweep's ",
        fmt_count(n), " points (by ", sweep_horizon_label(rk$horizon), "; the ranking chart ",
        "shows every outcome). A number's standardized rank regression coefficient (SRRC) ",
        "is the change in the outcome's rank, in standard deviations, per standard deviation ",
        "of the number's rank, the others held: near \u00b11 it alone orders the outcome, ",
        "near 0 it does not matter. Each is given with its 95% bootstrap interval over ",
        "points, and each outcome with its adjusted R\u00b2, the share of the variation in its ",
        "rank that the ", p, " regressors explain (below ", RANK_LOW_R2, " the ranking misses ",
        "much: interactions, effects that are not monotone or simulation noise).",
        if (any(is.na(top$ci_low) | is.na(top$ci_high))) paste0(
            " A number without an interval has none because no resample of the ", n,
            " points could be fitted: drawn with replacement, a resample holds about two thirds ",
            "of them, too few for ", p, " regressors."),
        if (sweep_rank_crowded(p, n)) sprintf(paste0(
            " Caution: %d regressors on %d points (more than one per 10 points): the ",
            "coefficients are uncertain; more points would settle them."), p, n),
        if (n_out == 1) " The one outcome that varies over the sweep:"
        else if (n_out == length(keys)) paste0(" The ", n_out, " outcomes that vary over the ",
                                               "sweep, the widest range first:")
        else paste0(" The ", length(keys), " of the ", n_out, " outcomes that vary over the ",
                    "sweep whose probability ranges most widely:"))
    list(tags$li(lead, tags$ul(items)))
}

# What --precision-for LIST asked for, in words: "the effect of U.S. posture review before any cut
# on every outcome at every horizon", "every lever's effect on “Extended deterrence weakened” by
# 1 Nov 2036", "the probability of “Major USFK withdrawal” at every date of the summary", items
# joined by "and", a date as the widest's is told ("by 1 Nov 2036"). An item is
# [ARM:][OUTCOME][@YEARS] or `interactions` (README, "Runs to a stated precision"); @YEARS is the
# report nearest that many years after the start, as neasim rounds it.
precision_for_words <- function(what, b) {
    m <- b$manifest
    scn <- b$words$scenarios
    run <- is.null(b$arm)
    start <- as.Date(nsm_get(m, "start_date", NA))
    step <- suppressWarnings(as.numeric(nsm_get(m, "report_interval_months", NA)))
    date_of <- function(years) {
        y <- suppressWarnings(as.numeric(years))
        if (is.na(y) || is.na(start) || is.na(step)) return(paste0("at ", years, " years"))
        months <- floor(y * 12 / step + 0.5) * step
        paste0("by ", nsm_day(seq(start, by = "month", length.out = months + 1)[months + 1]))
    }
    items <- strsplit(what, ",", fixed = TRUE)[[1]]
    items <- items[nzchar(items)]
    inter <- "interactions" %in% items
    words <- vapply(items[items != "interactions"], function(it) {
        g <- regmatches(it, regexec("^(?:(.*):)?([^:@]*)(?:@(.*))?$", it, perl = TRUE))[[1]]
        arm <- g[2]; outcome <- g[3]; years <- g[4]
        who <- if (run) "the probability"
               else if (nzchar(arm)) {
                   if (scn) paste0("how ", arm_label(arm, 1000), " differs")
                   else paste0("the effect of ", arm_label(arm, 1000))
               } else if (scn) "every difference between the scenarios" else "every lever's effect"
        on <- if (nzchar(outcome)) q(nsm_label(outcome)) else "every outcome"
        on <- paste0(if (run) " of " else " on ", on)
        when <- if (nzchar(years)) date_of(years)
                else if (run) "at every date of the summary" else "at every horizon"
        paste0(who, on, " ", when)
    }, "", USE.NAMES = FALSE)
    if (inter && length(words) == 0)
        return(paste0("every lever's effect and every interaction of two levers, on every ",
                      "outcome at every horizon"))
    if (inter) words <- c(words, "every interaction of two levers on the same outcomes and dates")
    and_list(words)
}

# How many runs (with --outer, draws), with `--precision H`: what they were added until, whether
# it was met, and the widest interval at the end, in the scenario's words (the manifest's
# precision_* rows; its
# precision_widest_at is "OUTCOME by DATE", then ", arm ARM" or ", the interaction of A and B"
# in a comparison). Without --precision the header's "N runs" is all there is to say. The C
# summary line says the same in names: cli/precision.c.
summary_precision <- function(b) {
    m <- b$manifest
    target <- suppressWarnings(as.numeric(nsm_get(m, "precision_target", NA)))
    if (is.na(target)) return(NULL)
    num <- function(k) suppressWarnings(as.numeric(nsm_get(m, k, NA)))
    f <- function(x) format(x, big.mark = ",", scientific = FALSE, trim = TRUE)
    pts <- function(x) sprintf("\u00b1%s percentage point%s", format(100 * x, trim = TRUE),
                               if (isTRUE(all.equal(100 * x, 1))) "" else "s")
    what <- nsm_get(m, "precision_for", "")
    what <- if (startsWith(what, "every outcome at every horizon")) {
        if (b$words$scenarios) "every difference between the scenarios, on every outcome at every horizon"
        else "every lever's effect on every outcome at every horizon"
    } else if (startsWith(what, "every outcome")) "every outcome's probability at every date of the summary"
    else precision_for_words(what, b)
    at <- nsm_get(m, "precision_widest_at", "")
    g <- regmatches(at, regexec(paste0("^([^ ]+) by ([0-9]{4}-[0-9]{2}-[0-9]{2})",
                                       "(, arm (.+)|, the interaction of (.+) and (.+))?$"), at))[[1]]
    on <- if (length(g)) paste0(q(nsm_label(g[2])), " by ", nsm_day(g[3]))
    where <- if (length(g) == 0) NULL
             else if (nzchar(g[5])) paste0(if (b$words$scenarios) "how " else "the effect of ",
                                           arm_label(g[5], 1000),
                                           if (b$words$scenarios) " differs", " on ", on)
             else if (nzchar(g[6])) paste0("the interaction of ", arm_label(g[6], 1000), " and ",
                                           arm_label(g[7], 1000), " on ", on)
             else on
    widest <- num("precision_widest_half_width")
    said <- if (is.na(widest)) "" else paste0(
        "; the widest at the end, ", sprintf("\u00b1%.2f points", 100 * widest),
        if (!is.null(where)) paste0(", is ", where))
    per <- if (b$words$scenarios) " per scenario" else if (!is.null(b$arm)) " per arm" else ""
    draws <- num("outer_draws")
    # With --outer the batches are of draws (a first of precision_first_batch, then
    # precision_batch), and the ceiling is --outer N: the interval counts the draws.
    if (!is.na(draws)) {
        each <- f(num("runs") / draws)
        used <- paste0(f(draws), " draws of ", each, " runs each", per)
        added <- paste0("draws of the uncertain numbers added in batches of ",
                        f(num("precision_batch")), " after a first ",
                        f(num("precision_first_batch")))
        more <- "--outer"
    } else {
        used <- paste0(f(num("runs")), " runs", per)
        added <- paste0("added in batches of ", f(num("precision_batch")))
        more <- "--runs"
    }
    tags$li(paste0(
        "Runs: ", added, " until ", what,
        " had a 95% Monte Carlo interval of at most ", pts(target), " (--precision ",
        format(target, trim = TRUE), "): ",
        if (identical(nsm_get(m, "precision_met", ""), "yes"))
            paste0("met after ", used, said, ".")
        else paste0("NOT met: the ceiling of ", used, " came first", said,
                    ". Those intervals are wider than asked: run more (", more, ") or accept a ",
                    "larger --precision.")))
}

brief_summary <- function(b) {
    runs <- summary_precision(b)
    items <- c(summary_outcomes(b), summary_levers(b), summary_tornado(b), summary_sobol(b),
               summary_sweep(b), if (!is.null(runs)) list(runs))
    if (length(items) == 0) return(NULL)
    # a judgment range above said to be mostly noise: what that means, once, last
    said <- vapply(items, function(i) paste(as.character(i), collapse = ""), "")
    if (any(grepl(", mostly noise)", said, fixed = TRUE)))
        items <- c(items, list(tags$li(paste0("A judgment range ", sub("^\u201cmostly noise\u201d: ",
                                                                       "said to be \u201cmostly noise\u201d: ",
                                                                       noise_words(b)), "."))))
    div(class = "summary", tags$h2("In brief"), tags$ul(items))
}

# The figures that tell most, side by side on one screen: for a comparison the lever forest (every
# lever's effect with its interval on the outcomes they move most, one page) and the lever matrix
# at the last horizon, for a run the headline outcomes and their course, for a one-at-a-time or
# Sobol sweep the tornados or sensitivity charts of the two outcomes its summary names first
# (tornado_named, sobol_named), for another sweep its first charts. A figure drawn over pages of a few arms each would come whole, all its pages: a
# comparison's headline chart, three levers a page, showed 3 of compare --levers all's 8, and its
# three pages made the brief's PDF long; the forest shows them all on one.
KEY_FIGURES <- c("^lever_forest$", "^lever_matrix_", "^outcomes_by_horizon", "^outcomes_over_time",
                 "^tornado_", "^sensitivity_", "^sweep_ranking", "^sweep_grid_", "^lever_effects$")

key_figures <- function(b) {
    f <- b$figures
    if (is.null(f) || nrow(f) == 0) return(character(0))
    pick <- character(0)
    kinds <- 0
    for (p in KEY_FIGURES) {
        hit <- f$file[grepl(p, f$file) & !f$file %in% pick]
        # a sweep's tornados or Sobol charts: those of the outcomes the summary names, the first
        # two side by side (a Sobol chart's name ends in its measure when it has several)
        named <- if (p == "^tornado_") tornado_named(b) else if (p == "^sensitivity_") sobol_named(b)
        if (length(hit) && !is.null(named) && nrow(named)) {
            own <- paste0(sub("\\^", "", p), nsm_slug(named$outcome))
            files <- unlist(lapply(seq_along(own), function(i)
                hit[hit == own[i] | hit == paste0(own[i], "_", nsm_slug(named$measure[i]))]))
            top <- head(unique(files), 2)
            if (length(top)) {
                pick <- c(pick, top)
                break
            }
        }
        # the lever matrix at the longest horizon: its first page of outcomes, all of levers
        if (p == "^lever_matrix_" && length(hit)) {
            yrs <- suppressWarnings(as.numeric(sub("^lever_matrix_([0-9.]+)y.*$", "\\1", hit)))
            hit <- hit[order(-yrs)]
        }
        if (length(hit)) {
            pick <- c(pick, hit[arm_pages(hit) == arm_pages(hit[1])])
            kinds <- kinds + 1
        }
        if (kinds == 2) break
    }
    pick
}

# A figure's name but its arms' page ("_arms2": a group of arms; a lever matrix's "_a2": its
# columns).
arm_pages <- function(file)
    sub("^(lever_matrix_.*)_a[0-9]+$", "\\1", sub("_arms[0-9]+(?=_|$)", "", file, perl = TRUE))

# The alt text of a figure: its title, then the arms it draws by their labels (figures/index.csv's
# arms), which tests/brief_check.py reads to check that every lever is in the figures shown.
figure_alt <- function(b, file, title) {
    arms <- if ("arms" %in% names(b$figures)) b$figures$arms[match(file, b$figures$file)]
    if (length(arms) == 0 || is.na(arms) || !nzchar(arms)) return(title)
    arms <- strsplit(arms, ";", fixed = TRUE)[[1]]
    # a lever comparison's baseline as the tables name it; a scenario compared (compare A B),
    # "baseline" among them, by its label
    labels <- ifelse(arms == "baseline" & !b$words$scenarios, "baseline", arm_label(arms, 1000))
    paste0(title, ". Arms shown: ", paste(labels, collapse = "; "))
}

# A figure with its caption: its title and files, and `note` (what the chart's marks mean) in the
# caption itself, so that it stays with its figure wherever the page breaks or the grid stacks (the
# forest's note, once set after the grid, read in print as the lever matrix's caption).
figure_tag <- function(b, file, title, class = NULL, note = NULL) {
    outdir <- file.path(b$dir, "figures")
    # the 150 dpi copy when present (a quarter of the bytes), else the 300 dpi figure
    png <- file.path(outdir, "small", paste0(file, ".png"))
    if (!file.exists(png)) png <- file.path(outdir, paste0(file, ".png"))
    if (!file.exists(png)) {
        message("brief: ", png, " is missing: skipped")
        return(NULL)
    }
    tags$figure(class = class, tags$img(src = base64enc::dataURI(file = png, mime = "image/png"),
                                        alt = figure_alt(b, file, title)),
                tags$figcaption(paste0(title, " (figures/", file, ".png and .pdf)"),
                                if (!is.null(note)) tags$p(class = "note", note)))
}

brief_key_figures <- function(b) {
    pick <- key_figures(b)
    if (length(pick) == 0) return(NULL)
    f <- b$figures
    div(class = "key", tags$h2("Key figures"),
        div(class = "grid", lapply(pick, function(x)
            figure_tag(b, x, f$title[f$file == x][1],
                       note = if (x == "lever_forest") forest_note(b)))))
}

# What the lever forest's intervals are, said in its caption as on it (figures_compare.R draws the same
# words into its subtitle), so that a reader of the page need not read the chart's small print.
# A bar drawn fainter, mostly noise, is said when the forest draws one (figures/lever_forest.csv,
# what the chart drew: its judgment_faint).
forest_note <- function(b) {
    n <- nsm_get(b$manifest, "outer_draws", "")
    w <- b$words
    drawn <- file.path(b$dir, "figures", "lever_forest.csv")
    d <- if (file.exists(drawn)) utils::read.csv(drawn, stringsAsFactors = FALSE) else NULL
    faint <- !is.null(d) && "judgment_faint" %in% names(d) && any(d$judgment_faint == "yes")
    paste0(w$each_s, ": the change in the probability that the outcome has occurred, ",
           w$minus, ", in percentage points (paired runs). ",
           forest_interval_note(nzchar(n), n, w, faint, b$manifest))
}

# Of one outcome's rows of last_effects() `e`, the lever that helps it most, distinguishably (one
# row), or none (no row): the outcomes table's best lever (best_lever_cell, any_best_noisy).
best_row <- function(e) {
    good <- e[e$dist & e$help > 0, , drop = FALSE]
    good[which.max(good$help), , drop = FALSE]
}

# The outcomes table's last cell for an outcome whose better direction is `dir`, from its rows of
# last_effects() `e`: the lever that helps it most, distinguishably, with its change. An outcome with
# no better direction has no best lever; one that levers move only the wrong way says how many.
best_lever_cell <- function(e, dir, w = nsm_arm_words(character(0)), draws = "") {
    if (dir == "none") return(span(class = "from", "no better direction"))
    best <- best_row(e)
    if (nrow(best) == 0) {
        n_harm <- sum(e$dist & e$help < 0)
        if (n_harm == 0) return(span(class = "from", "none distinguishable"))
        if (w$scenarios) return(span(class = "from", sprintf("none better (%d worse)", n_harm)))
        return(span(class = "from", sprintf("none helps (%d make%s it %s)", n_harm,
                                            if (n_harm == 1) "s" else "",
                                            if (dir == "lower") "likelier" else "less likely")))
    }
    inline(arm_label(best$arm, 1000), tags$br(),
           span(class = "pp", paste0(nsm_pp(best$difference_pp), " pp")), " ",
           span(class = "ci", paste0(nsm_pp(best$ci_low_pp), " to ", nsm_pp(best$ci_high_pp))),
           if (!is.null(best$judgment_q05_pp) && !is.na(best$judgment_q05_pp)) # compare --outer
               inline(tags$br(), pp_judgment_span(best)),
           best_share_cell(best, draws, length(unique(e$arm))),
           untold_cell(e, best))
}

# compare --outer: in how many of the draws of the uncertain numbers the best lever is the best
# (briefing.csv's share_draws_best), as the printed briefing says it: "best in 35 of 40 draws",
# "in all 40", "in 35.5" when it tied at the top in a draw; and in how many of them by less than
# the Monte Carlo noise of a draw (share_draws_best_within_noise), ", 9 within noise", when in
# any: the note under the table says what that means (any_best_within_noise).
best_share_cell <- function(best, draws, n_arms) {
    if (is.null(best$share_draws_best) || is.na(best$share_draws_best) || !nzchar(draws) ||
        n_arms < 2) return(NULL) # one alternative is the best in every draw
    n <- as.numeric(draws)
    count <- function(k) if (abs(k - round(k)) < 1e-6) sprintf("%.0f", k) else sprintf("%.1f", k)
    wins <- best$share_draws_best * n
    said <- if (abs(wins - n) < 1e-6) sprintf("best in all %d draws", n)
            else sprintf("best in %s of %d draws", count(wins), n)
    close <- best_within_noise(best) * n
    if (close > 1e-6)
        said <- paste0(said, ", ", if (abs(close - wins) < 1e-6) "all" else count(close),
                       " within noise")
    inline(tags$br(), span(class = "judgment", said))
}

# The part of a best row's share_draws_best within a draw's noise (0 without the column or a
# value: a plain comparison, or one too large to keep every two arms).
best_within_noise <- function(best) {
    x <- best$share_draws_best_within_noise
    if (is.null(x) || length(x) == 0 || is.na(x[1])) 0 else x[1]
}

# Whether some outcome's best lever, as best_lever_cell chooses it, shows draws within noise.
any_best_within_noise <- function(eff, draws) {
    if (is.null(eff) || !nzchar(draws) || !"share_draws_best_within_noise" %in% names(eff))
        return(FALSE)
    for (o in unique(eff$outcome)) {
        e <- eff[eff$outcome == o, , drop = FALSE]
        if (e$dir[1] == "none") next
        best <- best_row(e)
        if (nrow(best) == 1 && best_within_noise(best) * as.numeric(draws) > 1e-6) return(TRUE)
    }
    FALSE
}

# The arms not told apart from the best lever of an outcome with a direction (untold_cell), as a
# logical over eff's rows; all FALSE for a folder without those columns.
untold_rows <- function(eff) {
    if (is.null(eff) || !"minus_best_distinguishable" %in% names(eff)) return(logical(0))
    !is.na(eff$minus_best_distinguishable) & eff$minus_best_distinguishable == "no" &
        eff$dir != "none" & eff$outcome %in% eff$outcome[!is.na(eff$rank) & eff$rank == 1 &
                                                         eff$dist & eff$help > 0]
}

# Whether some outcome's best lever, as best_lever_cell chooses it, shows a judgment range that is
# mostly noise.
any_best_noisy <- function(eff, b) {
    if (is.null(eff) || !"judgment_noise" %in% names(eff)) return(FALSE)
    any(vapply(unique(eff$outcome), function(o) desirable_of(b, o) != "none" &&
                   isTRUE(best_row(eff[eff$outcome == o, , drop = FALSE])$judgment_noise[1]),
               logical(1)))
}

# Whether the outcomes table marks some probability's judgment range (at its dates) mostly noise.
any_table_noisy <- function(b, dates) {
    u <- b$uncertainty
    !is.null(u) && any(nsm_mostly_noise(u) & u$date %in% dates & u$outcome %in% b$outcomes)
}

# Whether some outcome's best lever has an arm not told apart from it.
any_untold <- function(eff) any(untold_rows(eff))

# Whether a cell names an arm marked "(bound)" (untold_cell names the two that help most): only a
# comparison too large to count every two arms (README, minus_best_interval), or a folder of an
# earlier version, holds one, so the note explains the mark only where it is shown.
any_bound_named <- function(eff) {
    u <- eff[untold_rows(eff), , drop = FALSE]
    if (nrow(u) == 0) return(FALSE)
    any(vapply(split(u, u$outcome), function(x) {
        x <- x[order(-x$help), , drop = FALSE]
        any(x$minus_best_interval[seq_len(min(2, nrow(x)))] == "bound")
    }, logical(1)))
}

# Under the best lever, the arms not told apart from it (briefing.csv's minus_best columns), the
# two that help most by name: a lead within the noise is no lead (README, "The briefing table").
# One compared on the widest interval its counts allow, not run as a pair with the best, is marked
# "(bound)". Nothing for a folder written before those columns.
untold_cell <- function(e, best) {
    if (!"minus_best_distinguishable" %in% names(e)) return(NULL)
    u <- e[!is.na(e$minus_best_distinguishable) & e$minus_best_distinguishable == "no", , drop = FALSE]
    if (nrow(u) == 0) return(NULL)
    u <- u[order(-u$help), , drop = FALSE]
    named <- paste0(vapply(u$arm[seq_len(min(2, nrow(u)))], arm_label, "", 1000),
                    ifelse(u$minus_best_interval[seq_len(min(2, nrow(u)))] == "bound", " (bound)", ""))
    more <- nrow(u) - length(named)
    inline(tags$br(), span(class = "from", paste0("not told apart from ", paste(named, collapse = if (more) ", " else " or "),
                                                  if (more) sprintf(" or %d more", more))))
}

# The outcomes table: each outcome's probability at each horizon with both intervals and, in a
# comparison, the lever that helps most by the last horizon.
brief_outcomes <- function(b) {
    h <- b$headline
    if (is.null(h)) return(NULL)
    hz <- unique(h[, c("horizon", "date")])
    last <- h[h$horizon == max(h$horizon), ]
    ord <- last$outcome[order(last$probability, decreasing = TRUE)]
    eff <- last_effects(b)
    onset <- if (!is.null(b$onset_start)) b$onset_start$outcome else character(0)
    # a state that some runs start in is marked with that share: its "by" counts them as occurred
    held <- b$state_start
    rows <- lapply(ord, function(o) {
        cells <- lapply(hz$horizon, function(x) {
            r <- h[h$outcome == o & h$horizon == x, ]
            j <- if (!is.null(b$uncertainty)) b$uncertainty[b$uncertainty$outcome == o &
                                                             b$uncertainty$date == r$date, ]
            inline(prob_cell(r$probability, r$ci_low, r$ci_high),
                   if (!is.null(j) && nrow(j) == 1)
                       inline(tags$br(), judgment_span(j$q05, j$q95, row_noisy(j))))
        })
        dir <- desirable_of(b, o)
        tag <- c(if (o %in% onset) "onset",
                 if (o %in% held$outcome) paste0("state, ", nsm_pct_label(
                     held$probability[match(o, held$outcome)]), " at the start"),
                 if (dir != "none") paste0(dir, " is better"))
        name <- inline(nsm_label(o), if (length(tag)) inline(tags$br(), span(class = "tag",
                                                                            paste(tag, collapse = " \u00b7 "))))
        c(list(name), cells,
          if (!is.null(eff)) list(best_lever_cell(eff[eff$outcome == o, ], dir, b$words,
                                                  nsm_get(b$manifest, "outer_draws", ""))))
    })
    header <- c("Outcome", paste0("By ", nsm_horizon_label(hz$horizon, hz$date)),
                if (!is.null(eff))
                    paste0(if (b$words$scenarios) "Best other scenario " else "Best lever ",
                           nsm_by_date(last$date[1])))
    # what the table's marks mean, those it shows only: a run of backtest-2019, which has no onset
    # outcome, said what an onset counts
    marks <- c(if (any(ord %in% onset)) "onset: begun after the start",
               if (any(ord %in% held$outcome))
                   "a state counts the runs that start in it, as occurred, at the share shown")
    tagList(tags$h2(paste0("Outcomes", if (!is.null(b$arm)) paste0(" (", b$arm_shown, ")"))),
            tags$p(class = "note", paste0(
                   "Probability that each outcome has occurred by each horizon",
                   if (length(marks)) paste0(" (", paste(marks, collapse = "; "), ")"),
                   ", with its 95% Monte Carlo interval in grey",
                   if (isTRUE(b$mc_of_mean))
                       paste0(" (of the mean over the draws, counting them as a sample",
                              nsm_few_draws_words(b$manifest), ")"),
                   if (!is.null(b$uncertainty))
                       paste0(" and the judgment range (5\u201395% over the draws) below",
                              nsm_range_coverage_words(b$manifest)),
                   if (!is.null(eff)) paste0("; for an outcome with a better direction, the ",
                                             if (b$words$scenarios)
                                                 "other scenario in which it is best"
                                             else "lever that helps most",
                                             ", with its change in ",
                                             "percentage points (paired 95% interval)"),
                   if (any_untold(eff)) paste0(
                       "; under it, the ", if (b$words$scenarios) "scenarios" else "levers",
                       " not told apart from it (the 95% interval of the difference between the ",
                       "two contains 0",
                       if (any_bound_named(eff))
                           paste0("; \u201c(bound)\u201d: the widest interval the counts allow, ",
                                  "the two not run as a pair"),
                       ")"),
                   if (any_best_noisy(eff, b) || any_table_noisy(b, hz$date))
                       paste0("; under a judgment range, ", noise_words(b)),
                   if (any_best_within_noise(eff, nsm_get(b$manifest, "outer_draws", "")))
                       paste0("; \u201cwithin noise\u201d after the draws in which a lever ",
                              "is the best: in that many of them it leads another lever by less ",
                              "than the Monte Carlo noise of one draw (1.96 times the sd of that ",
                              "lead: share_draws_best_within_noise in briefing.csv), so that they ",
                              "are partly chance, and more runs a draw would sharpen the count"),
                   ".")),
            numbers_table(header, rows))
}

# arms.csv as one row per arm: what it represents and the numbers it changes.
# Each change is said in words with its unit (lever_change_lines, scripts/brief_levers.R).
arms_rows <- function(a) {
    a <- a[a$arm != "baseline", , drop = FALSE]
    if (nrow(a) == 0 || !all(c("arm", "target", "operation", "value") %in% names(a))) return(NULL)
    lapply(unique(a$arm), function(arm) {
        x <- a[a$arm == arm, , drop = FALSE]
        desc <- if ("description" %in% names(x)) x$description[!is.na(x$description)] else character(0)
        changes <- lever_change_lines(x)
        list(arm_label(arm, 1000), if (length(desc)) desc[1] else "",
             span(class = "from", lapply(changes, function(s) tagList(s, tags$br()))))
    })
}

# The outcomes of one arm's rows `x` that no run moved: at every horizon a change of 0 with an
# interval of 0 to 0 (and with --outer a judgment range of 0 to 0), which only a paired difference
# that is 0 in every run has. A table of "0.0 pp 0.0 to 0.0" rows (a third of compare --levers
# all's) said it cell by cell; a sentence under the table says it once.
unmoved_outcomes <- function(x) {
    z <- x$difference_pp == 0 & x$ci_low_pp == 0 & x$ci_high_pp == 0
    if ("judgment_q05_pp" %in% names(x)) z <- z & x$judgment_q05_pp == 0 & x$judgment_q95_pp == 0
    z[is.na(z)] <- FALSE
    all_zero <- tapply(z, x$outcome, all)
    names(all_zero)[all_zero]
}

# Each arm's effects on every outcome at every horizon, folded one arm a fold; the outcomes no run
# moved in one sentence under its table.
brief_levers <- function(b) {
    l <- b$levers
    if (is.null(l)) return(NULL)
    l <- with_judgment(l, list(dir = b$dir))
    if ("jq05" %in% names(l) && !"judgment_q05_pp" %in% names(l)) {
        l$judgment_q05_pp <- l$jq05
        l$judgment_q95_pp <- l$jq95
        l$judgment_noise <- l$jnoise
    }
    hz <- unique(l[, c("horizon_years", "date")])
    hz <- hz[order(hz$horizon_years), ]
    header <- c("Outcome", paste0("By ", nsm_horizon_label(hz$horizon_years, hz$date)))
    w <- b$words
    folds <- lapply(unique(l$arm), function(arm) {
        x <- l[l$arm == arm, , drop = FALSE]
        size <- tapply(abs(x$difference_pp), x$outcome, max, na.rm = TRUE)
        ord <- names(sort(size, decreasing = TRUE))
        same <- unmoved_outcomes(x)
        rows <- lapply(setdiff(ord, same), function(o)
            c(list(nsm_label(o)), lapply(hz$horizon_years, function(hh) {
                r <- x[x$outcome == o & x$horizon_years == hh, ]
                if (nrow(r) == 0) "" else pp_cell(r)
            })))
        n_dist <- length(unique(x$outcome[tolower(x$distinguishable) == "yes"]))
        fold(paste0(arm_label(arm, 1000), ": ", n_dist, " of ", length(ord),
                    if (length(ord) == 1) " outcome " else " outcomes ",
                    if (w$scenarios) "distinguishably different" else "moved distinguishably"),
             if (length(rows)) numbers_table(header, rows),
             if (length(same))
                 tags$p(class = "note unmoved", paste0(
                     "The same in every paired run ",
                     if (w$scenarios) paste0("in the scenario as in ", w$first)
                     else "with the lever as without", ", at every horizon: ",
                     and_list(q(nsm_label(intersect(ord, same)))), ".")))
    })
    # a scenario compared changes no number by a lever: what it is, is its own tables
    arms <- if (!is.null(b$arms_tab) && !w$scenarios) arms_rows(b$arms_tab)
    tagList(tags$h2(w$Many),
            tags$p(class = "note", paste0(
                   "Change in the probability that each outcome has occurred by ",
                   "each horizon, ", w$arm_minus,
                   ", in percentage points with its 95% interval ",
                   "(paired runs", nsm_few_draws_words(b$manifest),
                   "); bold: distinguishable from no ",
                   if (w$scenarios) "difference" else "effect", "; grey: the probabilities ",
                   if (w$scenarios) paste0("in ", w$first, " and in the scenario")
                   else "without and with the lever",
                   if ("judgment_q05_pp" %in% names(l))
                       paste0("; below, the judgment range (5\u201395% over the draws)",
                              nsm_range_coverage_words(b$manifest)),
                   if (any(l$judgment_noise %in% TRUE)) paste0("; ", noise_words(b)),
                   # said for screen and paper alike: paper prints every fold open, and
                   # "Open an arm to see its table" read odd there
                   ". Each ", w$one, "'s table is under its line below (on screen, click the ",
                   "line to open it); the full table is briefing.csv.")),
            if (!is.null(arms)) fold("What each lever changes in the scenario",
                                     numbers_table(c("Lever", "What it represents",
                                                     "Changes to the scenario"), arms, "arms")),
            folds)
}

brief_events <- function(b) {
    ec <- b$events
    if (is.null(ec)) return(NULL)
    ec <- ec[ec$window == "cumulative", , drop = FALSE]
    if (nrow(ec) == 0) return(NULL)
    if (!is.null(b$arm) && "arm" %in% names(ec)) ec <- ec[ec$arm == b$arm, , drop = FALSE]
    h <- nsm_at_horizons(ec, nsm_headline_horizons(ec$t_years))
    hz <- unique(h[, c("horizon", "date")])
    rows <- lapply(unique(ec$event), function(e) c(list(nsm_label(e)), lapply(hz$horizon, function(x) {
        r <- h[h$event == e & h$horizon == x, ]
        inline(span(class = "p", fmt_count(r$q50)), " ",
               span(class = "ci", HTML(paste0(fmt_count(r$q05), "&ndash;", fmt_count(r$q95),
                                              "; mean ", sprintf("%.1f", r$mean)))))
    })))
    fold(paste0("Counted events", if (!is.null(b$arm)) paste0(" (", b$arm_shown, ")"),
                ": median number from the start, with the range of 90% of runs and the mean"),
         numbers_table(c("Counted event", paste0("By ", nsm_horizon_label(hz$horizon, hz$date))), rows))
}

# Whether each figure is one page of a figure drawn over pages of a few arms each ("_arms2").
arm_paged <- function(file) grepl("_arms[0-9]+(_|$)", file)

# The pages of figures drawn over pages of arms, as links to their files beside the brief, one
# line a figure: "Counted events since the start (fan chart), 3 pages of arms: part 1 (PDF, PNG),
# ...". Embedded, compare --levers all's six such figures were 16 of the 24 pages of brief.pdf
# (4.8 MB); the lever forest among the key figures shows every lever on one page, and these stay
# one click away in figures/ for a reader who wants an arm's whole course. Relative links: they
# open where brief.html sits beside its figures/ folder, and name the files wherever it is mailed.
arm_page_links <- function(x) {
    fam <- arm_pages(x$file)
    tags$ul(class = "links", lapply(unique(fam), function(f) {
        y <- x[fam == f, , drop = FALSE]
        title <- sub(" \\(arms, part [0-9]+ of [0-9]+\\)$", "", y$title[1])
        # inline(): htmltools puts white space between children ("part 1 ( PDF , PNG )")
        parts <- lapply(seq_len(nrow(y)), function(i) inline(
            if (i > 1) "; ", paste0("part ", i, " ("),
            tags$a(href = paste0("figures/", y$file[i], ".pdf"), "PDF"), ", ",
            tags$a(href = paste0("figures/", y$file[i], ".png"), "PNG"), ")"))
        tags$li(inline(paste0(title, ", ", nrow(y), " pages of arms: "), parts, "."))
    }))
}

# Every figure of the index not shown among the key figures, folded by section: embedded, but
# those drawn over pages of arms, which are linked (arm_page_links).
brief_figures <- function(b) {
    f <- b$figures
    if (is.null(f) || nrow(f) == 0) return(NULL)
    f <- f[!f$file %in% key_figures(b), , drop = FALSE]
    if (nrow(f) == 0) return(NULL)
    sections <- unique(f$section)
    tagList(tags$h2("All figures"),
            lapply(sections, function(s) {
                x <- f[f$section == s, , drop = FALSE]
                linked <- x[arm_paged(x$file), , drop = FALSE]
                x <- x[!arm_paged(x$file), , drop = FALSE]
                n <- nrow(x) + length(unique(arm_pages(linked$file)))
                fold(paste0(s, " (", n, if (n == 1) " figure)" else " figures)"),
                     lapply(seq_len(nrow(x)), function(i) figure_tag(b, x$file[i], x$title[i])),
                     if (nrow(linked) > 0) arm_page_links(linked))
            }))
}

# The command as words that wrap whole, each a box of its own (CSS: code.words span), broken inside
# only when longer than the column (a long path). Wrapped as text, "--routes" was printed as "-"
# at the end of one line and "-routes" on the next, and a reader who copied the command from the
# paper had "- -routes" (tests/brief_pdf_check.py reads the command back from the PDF).
provenance_value <- function(k, v) {
    if (k != "command") return(tags$code(v))
    tags$code(class = "words", lapply(strsplit(v, " ", fixed = TRUE)[[1]], tags$span))
}

brief_provenance <- function(b) {
    m <- b$manifest
    if (length(m) == 0) return(fold("Provenance", tags$p("No manifest.csv.")))
    first <- c("tool", "version", "git_commit", "seed", "runs", "scenario", "scenario_checksum",
               "scenario_path", "command", "start_date", "end_date", "report_interval_months",
               "generator", "threads", "started_utc", "wall_seconds")
    keys <- c(intersect(first, names(m)), setdiff(names(m), c(first, "scenario_title")))
    rows <- lapply(keys, function(k) list(gsub("_", " ", k), provenance_value(k, m[[k]])))
    # the runs as the header says them: per arm in a comparison (its "4,000 runs" were each of
    # nine arms'), per point in a sweep, draws x runs with --outer
    fold(paste0("Provenance: neasim ", nsm_get(m, "version", "?"), ", seed ",
                nsm_get(m, "seed", "?"), ", ", nsm_runs_phrase(m) %||% "? runs"),
         numbers_table(c("Key", "Value"), rows, "provenance"))
}

brief_footer <- function(b) {
    # one string: htmltools puts white space between children, which showed as "UTC ."
    tags$footer(paste0("Made by scripts/brief.R from ", normalizePath(b$dir), " on ",
                       nsm_moment(Sys.time()), "."))
}

# The page, top to bottom: findings first, then the figures that show them, then the detail.
# How outcomes begin and what to watch (routes.csv, signposts.csv; scripts/brief_story.R).
brief_story <- function(b) {
    h <- story_section(b$dir)
    if (is.null(h)) NULL else HTML(h)
}

BRIEF_PARTS <- c("brief_header", "brief_summary", "brief_key_figures", "brief_outcomes",
                 "brief_levers", "brief_story", "brief_events", "brief_figures", "brief_provenance",
                 "brief_footer")

CSS <- "
body { font-family: 'Segoe UI', Helvetica, Arial, sans-serif; color: #1a1a1a; max-width: 1320px;
       margin: 1.2em auto; padding: 0 1.5em; line-height: 1.4; font-size: 15px; }
h1 { font-size: 1.8em; margin: 0 0 0.1em; }
h2 { font-size: 1.25em; margin: 1.2em 0 0.4em; border-bottom: 2px solid #0072B2; padding-bottom: 0.1em; }
.sub { color: #444; margin-top: 0; }
.note { color: #444; font-size: 0.9em; margin: 0.3em 0; }
.summary ul { margin: 0.3em 0; padding-left: 1.2em; }
.summary li { margin: 0.35em 0; }
.grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1.2em; }
.grid figure { margin: 0; min-width: 0; }
table { border-collapse: collapse; margin: 0.4em 0 0.8em; font-size: 0.92em; }
th, td { padding: 0.25em 0.7em; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; }
th { background: #f3f6f9; }
table.numbers td + td, table.numbers th + th { text-align: right; font-variant-numeric: tabular-nums; }
.p, .pp { font-weight: 600; }
.ci, .from, .tag { color: #777; font-size: 0.85em; }
.judgment { color: #3C7DAF; font-size: 0.85em; }
details { margin: 0.3em 0; }
summary { cursor: pointer; color: #0a4f80; }
table.provenance code { font-size: 0.85em; word-break: break-all; }
table.provenance code.words span { display: inline-block; max-width: 100%; }
figure { margin: 0.5em 0 1em; page-break-inside: avoid; }
figure img { width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.8em; }
figcaption .note { font-size: 1em; color: #444; margin: 0.2em 0 0; }
footer { color: #777; font-size: 0.8em; margin: 2em 0 1em; }
"

# The brief on paper: a browser's Print, and brief.pdf (scripts/brief_pdf.sh prints it with
# headless Chromium). Nothing here reaches the screen: @page and @media print only.
# - A4 with margins of 20 mm top and bottom, 15 mm at the sides, so that one file serves A4 and
#   Letter readers alike: printed on Letter at 100% (6 mm wider, 18 mm shorter, centred), 11 mm
#   are left above and below, more than a printer's unprintable edge; shrunk to fit, it is 94%.
#   The page number, "3 / 21", in the bottom margin: pages of a circulated copy get separated.
# - Folded parts printed open: a closed <details> prints its summary line alone, and the paper
#   lost every table and figure behind it. Chromium 131 and later hide a closed one's content by
#   content-visibility on ::details-content; that rule is on its own, as a browser without the
#   pseudo-element drops a rule whose selector it cannot read. The summary line, its triangle
#   gone, reads as the heading of what follows.
# - One figure a row: the figures are drawn for a 16:9 slide 13.3 in wide (NSM_WIDTH), whose
#   15 pt text is 8 pt at the page's 7.1 in and would be 4 pt in two columns.
# - A figure or a table row never split across pages, a table's header repeated on each page, a
#   heading kept with what follows it; an interval on one line ("64.4–70.2", which the narrower
#   columns broke after its dash).
# - No width of the screen's: 10 pt text and the whole width between the margins, so that no table
#   runs past the right edge (Chromium shrinks a page too wide for the paper, all its text with
#   it, and cuts off what shrinking cannot bring in).
CSS_PRINT <- "
@page { size: A4; margin: 20mm 15mm;
        @bottom-right { content: counter(page) ' / ' counter(pages); font-size: 8pt; color: #777; } }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  h2 { break-after: avoid; }
  details { display: block; }
  summary { display: block; color: inherit; font-weight: 600; margin-top: 0.6em; break-after: avoid; }
  .grid { display: block; }
  figure { break-inside: avoid; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  .ci { white-space: nowrap; }
}
@media print { details::details-content { content-visibility: visible; } }
"

# The whole document as text. The head is written out here: htmltools hoists a tags$head() out of
# a tag tree when it renders one (for its dependency mechanism), so as.character() would drop it.
brief_page <- function(b) {
    title <- nsm_get(b$manifest, "scenario_title", nsm_get(b$manifest, "scenario", basename(b$dir)))
    parts <- lapply(BRIEF_PARTS, function(f) match.fun(f)(b))
    head <- tagList(tags$meta(charset = "utf-8"),
                    tags$meta(name = "viewport", content = "width=device-width, initial-scale=1"),
                    tags$title(title), tags$style(HTML(paste0(CSS, CSS_PRINT))))
    paste0("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n", as.character(head), "\n</head>\n",
           as.character(tags$body(parts)), "\n</html>\n")
}

# The brief's temporary copy, RESULTS_DIR/.brief.html.tmp.PID, renamed over brief.html when whole.
BRIEF_TMP <- ".brief.html.tmp."

# Remove the temporary copies that briefs killed midway left in dir: those whose process is gone
# (a brief still being written into the same folder keeps its own).
drop_stale_temps <- function(dir) {
    mine <- paste0("^", gsub(".", "\\.", BRIEF_TMP, fixed = TRUE), "[0-9]+$")
    old <- list.files(dir, pattern = mine, all.files = TRUE)
    pid <- as.integer(substring(old, nchar(BRIEF_TMP) + 1))
    gone <- !vapply(pid, function(p) isTRUE(tools::pskill(p, 0L)), TRUE)
    unlink(file.path(dir, old[gone]))
}

main <- function(args) {
    if (length(args) != 1 || args[1] %in% c("-h", "--help")) {
        cat("usage: Rscript scripts/brief.R RESULTS_DIR\n")
        quit(status = if (length(args) == 1) 0 else 64)
    }
    dir <- args[1]
    if (!dir.exists(dir)) {
        message("brief: ", dir, ": no such results folder")
        quit(status = 66)
    }
    html <- brief_page(brief_data(dir))
    out <- file.path(dir, "brief.html")
    drop_stale_temps(dir)
    # hidden, so that one left by a kill does not stop neasim from replacing the folder
    # (src/io/outdir.c refuses a folder that holds a name it does not know: "brief.html.tmp" did),
    # and named by the process, as scripts/brief_pdf.sh names its PDF's, so that the next brief
    # can tell whose it is
    tmp <- file.path(dir, paste0(BRIEF_TMP, Sys.getpid()))
    on.exit(unlink(tmp))   # an error while writing it: no copy left behind
    # the bytes of the UTF-8 text, whatever the locale (a C locale cannot convert them)
    writeBin(charToRaw(enc2utf8(html)), tmp)
    if (!file.rename(tmp, out)) {
        unlink(tmp)   # quit() runs no on.exit
        message("brief: cannot write ", out)
        quit(status = 73)
    }
    message(sprintf("brief: wrote %s (%.1f MB)", out, file.size(out) / 1e6))
}

main(commandArgs(trailingOnly = TRUE))
