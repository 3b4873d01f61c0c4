# A one-page briefing for a neasim results folder: RESULTS_DIR/brief.html, a single
# self-contained HTML file (figures embedded as base64 PNG, no external files), so that it can
# be mailed. It holds the scenario's title, the headline outcomes at 2, 5 and 10 years with
# intervals, the lever table of a comparison, the figures that scripts/figures.R made, and the
# provenance from manifest.csv.
#
# Usage: Rscript scripts/brief.R RESULTS_DIR      (or: make brief RESULTS=RESULTS_DIR, which
#        draws the figures first)

nsm_script_dir <- function() {
    arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
    if (length(arg) == 0) return("scripts")
    dirname(normalizePath(sub("^--file=", "", arg[1])))
}
source(file.path(nsm_script_dir(), "figures_common.R"))
source(file.path(nsm_script_dir(), "figures_compare.R"))   # lever_table()
source(file.path(nsm_script_dir(), "brief_story.R"))       # story_section(): routes, signposts

html_escape <- function(x) {
    x <- gsub("&", "&amp;", x, fixed = TRUE)
    x <- gsub("<", "&lt;", x, fixed = TRUE)
    x <- gsub(">", "&gt;", x, fixed = TRUE)
    x <- gsub("\"", "&quot;", x, fixed = TRUE)
    # non-ASCII as numeric character references, so the page reads the same whatever the locale
    x[] <- vapply(x, function(s) {
        if (is.na(s)) return("")
        cp <- utf8ToInt(enc2utf8(s))
        if (all(cp < 128)) return(s)
        paste0(ifelse(cp < 128, vapply(cp, intToUtf8, ""), paste0("&#", cp, ";")), collapse = "")
    }, "", USE.NAMES = FALSE)
    x
}

tag <- function(name, ..., class = NULL) {
    paste0("<", name, if (!is.null(class)) paste0(" class=\"", class, "\""), ">",
           paste0(..., collapse = ""), "</", name, ">")
}

# A probability with its interval: "45.3% 44.6–46.0" (the test greps the first span).
prob_cell <- function(p, lo, hi) {
    paste0("<span class=\"p\">", nsm_pct(p), "</span> <span class=\"ci\">",
           sprintf("%.1f&ndash;%.1f", 100 * lo, 100 * hi), "</span>")
}

# A difference in percentage points with its sign, "+3.1" / "-0.4", and "0.0" (never "-0.0").
fmt_pp <- function(x) {
    s <- sprintf("%+.1f", x)
    s[s %in% c("+0.0", "-0.0")] <- "0.0"
    s
}

fmt_count <- function(x) format(x, big.mark = ",", scientific = FALSE, trim = TRUE)

table_html <- function(header, rows, class = NULL) {
    head <- tag("tr", paste0(vapply(header, function(h) tag("th", h), ""), collapse = ""))
    body <- vapply(seq_len(nrow(rows)), function(i)
        tag("tr", paste0(vapply(rows[i, ], function(v) tag("td", v), ""), collapse = "")), "")
    tag("table", tag("thead", head), tag("tbody", paste(body, collapse = "\n")), class = class)
}

# ---- sections -------------------------------------------------------------------------------

headline_section <- function(dir) {
    oc <- nsm_read(dir, "outcomes", quiet = TRUE)
    if (is.null(oc)) return(NULL)
    oc <- oc[oc$measure == "occurred_by", , drop = FALSE]
    if (nrow(oc) == 0) return(NULL)
    arms <- nsm_arms(oc)
    if (!is.null(arms)) oc <- oc[oc$arm == arms[1], , drop = FALSE]
    h <- nsm_at_horizons(oc, nsm_headline_horizons(oc$t_years))
    hz <- unique(h[, c("horizon", "date")])
    last <- h[h$horizon == max(h$horizon), ]
    ord <- last$outcome[order(last$probability, decreasing = TRUE)]
    u <- if (is.null(arms)) nsm_read(dir, "uncertainty", quiet = TRUE) # run --outer
    rows <- do.call(rbind, lapply(ord, function(o) {
        cells <- vapply(hz$horizon, function(x) {
            r <- h[h$outcome == o & h$horizon == x, ]
            j <- if (!is.null(u)) u[u$outcome == o & u$date == r$date, ]
            paste0(prob_cell(r$probability, r$ci_low, r$ci_high),
                   if (!is.null(j) && nrow(j) == 1)
                       sprintf("<br><span class=\"judgment\">judgment %.0f&ndash;%.0f</span>",
                               100 * j$q05, 100 * j$q95))
        }, "")
        c(html_escape(nsm_label(o)), cells)
    }))
    header <- c("Outcome", paste0("By ", html_escape(nsm_horizon_label(hz$horizon, hz$date))))
    paste0(tag("h2", "Headline outcomes", if (!is.null(arms)) paste0(" (", html_escape(arms[1]), ")")),
           tag("p", "Probability that each outcome has occurred (held at some time since the start) ",
               "by each horizon, with its 95% Monte Carlo interval in grey. The interval measures ",
               "simulation error only, not uncertainty in the scenario's numbers.",
               if (!is.null(u)) paste0(" Below it, the judgment range: the 5% to 95% points of ",
                                       "the probability over the draws of the scenario's ",
                                       "uncertain numbers (run --outer)."), class = "note"),
           table_html(header, rows, class = "numbers"))
}

events_section <- function(dir) {
    ec <- nsm_read(dir, "event_counts", quiet = TRUE)
    if (is.null(ec)) return(NULL)
    ec <- ec[ec$window == "cumulative", , drop = FALSE]
    if (nrow(ec) == 0) return(NULL)
    arms <- nsm_arms(ec)
    if (!is.null(arms)) ec <- ec[ec$arm == arms[1], , drop = FALSE]
    h <- nsm_at_horizons(ec, nsm_headline_horizons(ec$t_years))
    hz <- unique(h[, c("horizon", "date")])
    rows <- do.call(rbind, lapply(unique(ec$event), function(e) {
        cells <- vapply(hz$horizon, function(x) {
            r <- h[h$event == e & h$horizon == x, ]
            paste0("<span class=\"p\">", fmt_count(r$q50), "</span> <span class=\"ci\">",
                   fmt_count(r$q05), "&ndash;", fmt_count(r$q95), "; mean ", sprintf("%.1f", r$mean),
                   "</span>")
        }, "")
        c(html_escape(nsm_label(e)), cells)
    }))
    header <- c("Counted event", paste0("By ", html_escape(nsm_horizon_label(hz$horizon, hz$date))))
    paste0(tag("h2", "Counted events", if (!is.null(arms)) paste0(" (", html_escape(arms[1]), ")")),
           tag("p", "Number of events from the start to each horizon: median over runs, with the ",
               "range that holds 90% of runs and the mean in grey.", class = "note"),
           table_html(header, rows, class = "numbers"))
}

# arms.csv (one row per lever row of each arm) as one row per arm: what it represents and the
# numbers it changes ("USFK posture: current -> reduced x 0.8 from 2027-01-01").
arms_table <- function(a) {
    a <- a[a$arm != "baseline", , drop = FALSE]
    if (nrow(a) == 0 || !all(c("arm", "target", "operation", "value") %in% names(a))) return("")
    rows <- do.call(rbind, lapply(unique(a$arm), function(arm) {
        x <- a[a$arm == arm, , drop = FALSE]
        desc <- if ("description" %in% names(x)) x$description[!is.na(x$description)] else character(0)
        op <- ifelse(x$operation == "multiply", "\u00d7 ", ifelse(x$operation == "set", "= ",
                                                                  paste0(x$operation, " ")))
        from <- if ("from_date" %in% names(x)) ifelse(is.na(x$from_date), "",
                                                      paste0(" from ", x$from_date)) else ""
        changes <- paste0(html_escape(paste0(nsm_parameter_label(x$target), " ", op, x$value, from)),
                          collapse = "<br>")
        c(html_escape(arm_label(arm, 1000)), html_escape(if (length(desc)) desc[1] else ""),
          paste0("<span class=\"from\">", changes, "</span>"))
    }))
    table_html(c("Arm", "What it represents", "Changes to the scenario"), rows, class = "arms")
}

lever_section <- function(dir) {
    b <- lever_table(list(dir = dir, differences = nsm_read(dir, "differences", quiet = TRUE)))
    if (is.null(b)) return(NULL)
    arms_tab <- nsm_read(dir, "arms", quiet = TRUE)
    hz <- unique(b[, c("horizon_years", "date")])
    hz <- hz[order(hz$horizon_years), ]
    out <- tag("h2", "Levers")
    if (!is.null(arms_tab)) out <- paste0(out, arms_table(arms_tab))
    out <- paste0(out, tag("p", "Change in the probability that each outcome has occurred by ",
                           "each horizon, arm minus baseline, in percentage points with its 95% ",
                           "interval (paired runs); bold: distinguishable from no effect. ",
                           if ("judgment_q05_pp" %in% names(b))
                               paste0("With compare --outer, the judgment range below: the 5% to ",
                                      "95% points of the change over the draws of the scenario's ",
                                      "uncertain numbers. "),
                           "Outcomes with the largest effect first.", class = "note"))
    for (arm in unique(b$arm)) {
        x <- b[b$arm == arm, , drop = FALSE]
        size <- tapply(abs(x$difference_pp), x$outcome, max, na.rm = TRUE)
        ord <- names(sort(size, decreasing = TRUE))
        rows <- do.call(rbind, lapply(ord, function(o) {
            cells <- vapply(hz$horizon_years, function(hh) {
                r <- x[x$outcome == o & x$horizon_years == hh, ]
                if (nrow(r) == 0) return("")
                dist <- tolower(r$distinguishable[1]) %in% c("yes", "true", "1")
                txt <- paste0("<span class=\"pp\">", fmt_pp(r$difference_pp[1]),
                              " pp</span> <span class=\"ci\">",
                              fmt_pp(r$ci_low_pp[1]), " to ", fmt_pp(r$ci_high_pp[1]),
                              "</span><br><span class=\"from\">",
                              nsm_pct(r$baseline_probability[1]), " &rarr; ",
                              nsm_pct(r$arm_probability[1]), "</span>",
                              if ("judgment_q05_pp" %in% names(r))
                                  paste0("<br><span class=\"judgment\">judgment ",
                                         fmt_pp(r$judgment_q05_pp[1]), " to ",
                                         fmt_pp(r$judgment_q95_pp[1]), "</span>"))
                if (dist) paste0("<strong>", txt, "</strong>") else txt
            }, "")
            c(html_escape(nsm_label(o)), cells)
        }))
        header <- c("Outcome", paste0("By ", html_escape(nsm_horizon_label(hz$horizon_years,
                                                                             hz$date))))
        out <- paste0(out, tag("h3", "Arm: ", html_escape(arm_label(arm, 1000))),
                      table_html(header, rows, class = "numbers"))
    }
    out
}

figures_section <- function(dir) {
    outdir <- file.path(dir, "figures")
    index_path <- file.path(outdir, "index.csv")
    if (!file.exists(index_path)) {
        message("brief: no figures/index.csv in ", dir, " (run make figures first): no figures")
        return(NULL)
    }
    index <- utils::read.csv(index_path, stringsAsFactors = FALSE, encoding = "UTF-8")
    if ("brief" %in% names(index)) index <- index[as.logical(index$brief), , drop = FALSE]
    # grouped by section, sections in the order they first appear
    index <- index[order(match(index$section, unique(index$section)), seq_len(nrow(index))), ,
                   drop = FALSE]
    parts <- tag("h2", "Figures")
    section <- ""
    for (i in seq_len(nrow(index))) {
        # the 150 dpi copy when present (a quarter of the bytes), else the 300 dpi figure
        png <- file.path(outdir, "small", paste0(index$file[i], ".png"))
        if (!file.exists(png)) png <- file.path(outdir, paste0(index$file[i], ".png"))
        if (!file.exists(png)) {
            message("brief: ", png, " is missing: skipped")
            next
        }
        if (index$section[i] != section) {
            section <- index$section[i]
            parts <- c(parts, tag("h3", html_escape(section)))
        }
        uri <- base64enc::dataURI(file = png, mime = "image/png")
        parts <- c(parts, paste0("<figure><img src=\"", uri, "\" alt=\"",
                                 html_escape(index$title[i]), "\"><figcaption>",
                                 html_escape(index$title[i]), " (figures/", html_escape(index$file[i]),
                                 ".png and .pdf)</figcaption></figure>"))
    }
    paste(parts, collapse = "\n")
}

provenance_section <- function(manifest) {
    if (length(manifest) == 0) return(paste0(tag("h2", "Provenance"), tag("p", "No manifest.csv.")))
    first <- c("tool", "version", "git_commit", "seed", "runs", "scenario", "scenario_checksum",
               "scenario_path", "command", "start_date", "end_date", "report_interval_months",
               "generator", "threads", "started_utc", "wall_seconds")
    keys <- c(intersect(first, names(manifest)), setdiff(names(manifest), c(first, "scenario_title")))
    rows <- cbind(html_escape(gsub("_", " ", keys)),
                  paste0("<code>", html_escape(manifest[keys]), "</code>"))
    paste0(tag("h2", "Provenance"), table_html(c("Key", "Value"), rows, class = "provenance"))
}

CSS <- "
body { font-family: 'Segoe UI', Helvetica, Arial, sans-serif; color: #1a1a1a; max-width: 1180px;
       margin: 2em auto; padding: 0 1.5em; line-height: 1.4; }
h1 { font-size: 1.9em; margin-bottom: 0.1em; }
h2 { font-size: 1.35em; margin-top: 1.8em; border-bottom: 2px solid #0072B2; padding-bottom: 0.15em; }
h3 { font-size: 1.1em; margin-bottom: 0.3em; }
.sub { color: #444; margin-top: 0; }
.note { color: #444; font-size: 0.92em; }
table { border-collapse: collapse; margin: 0.6em 0 1em; font-size: 0.95em; }
th, td { padding: 0.3em 0.8em; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; }
th { background: #f3f6f9; }
table.numbers td + td, table.numbers th + th { text-align: right; font-variant-numeric: tabular-nums; }
.p, .pp { font-weight: 600; }
.ci, .from { color: #777; font-size: 0.85em; }
.judgment { color: #3C7DAF; font-size: 0.85em; }
table.provenance code { font-size: 0.85em; word-break: break-all; }
figure { margin: 1em 0 2em; page-break-inside: avoid; }
figure img { width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.85em; }
footer { color: #777; font-size: 0.85em; margin: 3em 0 1em; }
@media print { body { max-width: none; } h2 { page-break-after: avoid; } }
"

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
    manifest <- nsm_manifest(dir)
    title <- nsm_get(manifest, "scenario_title", nsm_get(manifest, "scenario", basename(dir)))
    runs <- suppressWarnings(as.numeric(nsm_get(manifest, "runs", NA)))
    sub <- paste(c(paste0("Scenario <code>", html_escape(nsm_get(manifest, "scenario", basename(dir))),
                          "</code>"),
                   if (!is.na(nsm_get(manifest, "start_date")))
                       paste0(nsm_get(manifest, "start_date"), " to ", nsm_get(manifest, "end_date", "?")),
                   if (!is.na(runs)) paste0(format(runs, big.mark = ",", scientific = FALSE), " runs"),
                   paste0("seed ", html_escape(nsm_get(manifest, "seed", "unknown")))),
                 collapse = " &middot; ")
    body <- c(tag("h1", html_escape(title)), tag("p", sub, class = "sub"),
              headline_section(dir), events_section(dir), lever_section(dir), story_section(dir),
              figures_section(dir),
              provenance_section(manifest),
              tag("footer", "Made by scripts/brief.R from ", html_escape(normalizePath(dir)),
                  " on ", format(Sys.time(), "%Y-%m-%d %H:%M %Z"), "."))
    html <- paste0("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
                   "<title>", html_escape(title), "</title>\n<style>", CSS, "</style>\n</head>\n<body>\n",
                   paste(body, collapse = "\n"), "\n</body>\n</html>\n")
    out <- file.path(dir, "brief.html")
    tmp <- paste0(out, ".tmp")
    con <- file(tmp, open = "w", encoding = "UTF-8")
    writeLines(html, con, useBytes = TRUE)
    close(con)
    file.rename(tmp, out)
    message(sprintf("brief: wrote %s (%.1f MB)", out, file.size(out) / 1e6))
}

main(commandArgs(trailingOnly = TRUE))
