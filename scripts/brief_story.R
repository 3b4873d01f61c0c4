# brief_story.R: the briefing's section on how outcomes begin and what to watch, from routes.csv
# and signposts.csv (`neasim run --routes --signposts`; README.md "Routes and signposts"). One
# self-contained function, story_section(dir), returning an HTML string (NULL when the folder has
# neither table; brief.R's part brief_story() wraps it with htmltools::HTML); it needs the labels
# of figures_story.R. The charts themselves (routes.png, signposts.png) come with the figures.

story_escape <- function(x) {
    x <- gsub("&", "&amp;", x, fixed = TRUE)
    x <- gsub("<", "&lt;", x, fixed = TRUE)
    gsub(">", "&gt;", x, fixed = TRUE)
}
story_tag <- function(name, ..., class = NULL)
    paste0("<", name, if (!is.null(class)) paste0(' class="', class, '"'), ">",
           paste0(..., collapse = ""), "</", name, ">")

# "It most often begins by ROUTE (10% of onsets, 9%–12%; median 0.6 years after the start), or by
# ...": the median is of the time from the start to the onsets along the route (routes.csv's
# median_years); "median 0.6 years" alone did not say of what. A share under 10% and its interval
# to a tenth of a point: in whole points, Seoul's second route read "(2% of onsets, 2%–2%)", an
# interval that said nothing of its width.
story_sentence_routes <- function(r) {
    other <- r$share[r$rank == "other"]
    r <- r[r$rank != "other", , drop = FALSE]
    r <- r[order(as.integer(r$rank)), , drop = FALSE][seq_len(min(2, nrow(r))), , drop = FALSE]
    if (nrow(r) == 0) return("")
    digits <- ifelse(r$share < 0.1, 1, 0)
    parts <- sprintf("%s (%s of onsets, %s&ndash;%s; median %.1f years after the start)",
                     story_escape(nsm_route_label(r$route)), nsm_pct(r$share, digits),
                     nsm_pct(r$share_lo, digits), nsm_pct(r$share_hi, digits), r$median_years)
    rest <- if (length(other) == 1) paste0(" (", nsm_pct_label(other), " of onsets took routes past ",
                                           "the ten most common)") else ""
    paste0("It most often begins by ", paste(parts, collapse = ", or by "), rest, ". ")
}

# "Watch by Nov 2028, among the 16,456 runs in which it has not begun by then: U.S.-DPRK
# diplomacy: deal without denuclearisation (seen in 969, 5.9%; it begins afterwards in 50% of those
# against 31% of the others, +18.4 points, +14.8 to +22.0); ...". The difference and its interval
# are what the signposts are ranked by (README.md), in percentage points as the levers' changes
# are written (nsm_pp), and the share seen is of the runs that count (no onset by the watch date:
# the same for every indicator of an outcome), not of all runs: a signpost seen in 6 runs of
# 13,018 says so. One whose interval holds 0 (the third of an outcome with only two sure ones) says
# that too, as the ranking's SRRC do: "+25.2 points, -31.0 to +26.9" of an indicator seen in 3
# runs read as a signal. Two indicators that happened in the same runs are one signal (twins folded,
# nsm_signposts_folded: "DPRK testing: surge and DPRK surge (sustained): surge under 6 months, which
# happen in the same runs (seen in ..."), so the three are three signals.
story_sentence_signposts <- function(s) {
    s <- nsm_signposts_folded(s)
    s <- s[order(s$rank), , drop = FALSE][seq_len(min(3, nrow(s))), , drop = FALSE]
    if (nrow(s) == 0) return("")
    count <- function(x) format(x, big.mark = ",", scientific = FALSE, trim = TRUE)
    n <- s$runs_with[1] + s$runs_without[1]
    seen <- s$runs_with / n
    twins <- s$label != nsm_indicator_label(s$indicator)
    parts <- sprintf(paste0("%s%s (seen in %s, %s; it begins afterwards in %s of those against %s ",
                            "of the others, %s points, %s to %s%s)"),
                     story_escape(s$label), ifelse(twins, ", which happen in the same runs", ""),
                     count(s$runs_with),
                     nsm_pct(seen, ifelse(seen < 0.01, 2, 1)),
                     nsm_pct(s$p_with, 0), nsm_pct(s$p_without, 0),
                     nsm_pp(100 * s$difference), nsm_pp(100 * s$difference_lo),
                     nsm_pp(100 * s$difference_hi),
                     ifelse(s$difference_lo <= 0 & s$difference_hi >= 0,
                            ", not distinguishable from no difference", ""))
    paste0("Watch ", nsm_by_date(s$watch_date[1]), ", among the ", count(n), " runs in which it ",
           "has not begun by then: ", paste(parts, collapse = "; "), ".")
}

# Routes and signposts are told of onsets whatever the outcome's occurrence (README.md): for a
# state outcome that some runs start in, whose probability in the outcomes table counts those runs
# from the start, the sentence says so first. Unsaid, formal-alignment's "Russia-China-DPRK
# coordinate", 83% by 2 years in the table, read "among the 3,381 runs (of 4,000) in which it has
# not begun by" the same date.
story_sentence_held <- function(share) {
    if (is.na(share)) return("")
    paste0("Its routes and signposts count its onsets after the start: the ", nsm_pct_label(share),
           " of runs that start in it, counted as occurred from the start in the outcomes table, ",
           "count here only once they leave it and return. ")
}

story_section <- function(dir) {
    if (!exists("nsm_route_label")) source(file.path(nsm_script_dir(), "figures_story.R"))
    r <- nsm_read(dir, "routes", quiet = TRUE)
    s <- nsm_read(dir, "signposts", quiet = TRUE)
    if (is.null(r) && is.null(s)) return(NULL)
    oc <- nsm_read(dir, "outcomes", quiet = TRUE)
    held <- if (is.null(oc)) numeric(0) else nsm_held_at_start(oc)
    if (!is.null(s) && nrow(s) > 0) {
        w <- unique(s$watch_years)
        s <- s[s$watch_years == w[which.min(abs(w - 2))], , drop = FALSE]
    }
    outcomes <- unique(c(if (!is.null(r)) r$outcome, if (!is.null(s)) s$outcome))
    items <- vapply(outcomes, function(o) {
        text <- paste0(if (!is.null(r)) story_sentence_routes(r[r$outcome == o, , drop = FALSE]),
                       if (!is.null(s)) story_sentence_signposts(s[s$outcome == o, , drop = FALSE]))
        if (!nzchar(text)) return("")
        story_tag("li", story_tag("strong", story_escape(nsm_label(o))), ": ",
                  story_sentence_held(held[o]), text)
    }, "")
    items <- items[nzchar(items)]
    if (length(items) == 0) return(NULL)
    paste0(story_tag("h2", "How outcomes begin, and what to watch"),
           story_tag("p", "Routes: the changes, in order, of the factors that bear on each outcome up to ",
               "its onset, with their shares of the onsets (95% intervals). Signposts: among runs in ",
               "which the outcome has not begun by the watch date, the chance that it begins ",
               "afterwards, by the horizon, when the indicator was seen by then and when it was not, ",
               "and the difference between the two in percentage points with its 95% interval.",
               class = "note"),
           story_tag("ul", paste(items, collapse = "\n")))
}
