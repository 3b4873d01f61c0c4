# Shared helpers for scripts/figures.R and scripts/brief.R: reading a results folder, labels,
# the slide theme and palette, date axes, and saving a figure as PNG + PDF with an index entry.
#
# The one idea: every table is optional. nsm_read() returns NULL (with a message) for a table
# the folder does not hold, and each figure function returns quietly when its input is NULL, so
# one script serves run, compare and sweep folders alike.

suppressPackageStartupMessages({
    library(ggplot2)
    library(readr)
    library(scales)
})

# Month names in English whatever the user's language setting: the brief and the figures are
# written in English, and under LANG=ko_KR.UTF-8 "%b %Y" gave "by 11월 2036" in an English
# sentence. Only the dates' words: text (labels in any script) is untouched.
invisible(Sys.setlocale("LC_TIME", "C"))

# Okabe & Ito (2008) colour-blind-safe palette, reordered so that the first colours are the ones
# that read best as thin lines on white (yellow last: it vanishes on a projector).
NSM_PALETTE <- c("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
                 "#F0E442")
NSM_BASELINE_COLOUR <- "#000000"
NSM_WIDTH <- 13.33   # inches: a 16:9 slide
NSM_HEIGHT <- 7.5
NSM_DPI <- 300

# Columns that are names, never numbers, whatever they look like.
NSM_TEXT_COLUMNS <- c("arm", "factor", "level", "outcome", "measure", "event", "window", "when",
                      "quantity", "name", "parameter", "index", "key", "value", "lever", "target",
                      "operation", "distinguishable", "description", "from_date", "kind", "label",
                      "given", "desirable", "verdict", "outcome_label", "arm_label", "lever_a",
                      "lever_b", "changes")

nsm_msg <- function(...) message("figures: ", ...)

# ---- reading --------------------------------------------------------------------------------

# Read DIR/NAME.csv as a data.frame: `date` as Date, other columns as numbers when every value
# parses as one. NULL (with a message) when the file is missing or has no data rows.
nsm_read <- function(dir, name, quiet = FALSE) {
    path <- file.path(dir, paste0(name, ".csv"))
    if (!file.exists(path)) {
        if (!quiet) nsm_msg("no ", name, ".csv in ", dir, ": skipping what needs it")
        return(NULL)
    }
    d <- readr::read_csv(path, col_types = readr::cols(.default = readr::col_character()),
                         na = c("NA", ""), progress = FALSE)
    d <- as.data.frame(d, stringsAsFactors = FALSE)
    if (nrow(d) == 0) {
        if (!quiet) nsm_msg(name, ".csv has no rows: skipping what needs it")
        return(NULL)
    }
    for (col in names(d)) {
        if (col == "date") d[[col]] <- as.Date(d[[col]])
        else if (!(col %in% NSM_TEXT_COLUMNS)) d[[col]] <- utils::type.convert(d[[col]], as.is = TRUE)
        # a number column that is NA throughout (the intervals of `--runs 1`) would read as
        # logical, and ggplot2 refuses a logical on a continuous scale
        if (is.logical(d[[col]]) && all(is.na(d[[col]]))) d[[col]] <- as.numeric(d[[col]])
    }
    d
}

# What every figure function reads: the folder, where figures go, the manifest and caption,
# and the tables that several figures share (each NULL when the folder does not hold it).
nsm_context <- function(dir) {
    manifest <- nsm_manifest(dir)
    if (length(manifest) == 0) nsm_msg("no manifest.csv in ", dir, ": captions lack provenance")
    nsm_load_labels(dir)
    nsm_font_check(NSM_LABELS$table$label)
    ctx <- list(dir = dir, outdir = file.path(dir, "figures"), manifest = manifest,
                caption = nsm_caption(manifest, dir),
                outcomes = nsm_read(dir, "outcomes"),
                events = nsm_read(dir, "event_counts"),
                differences = nsm_read(dir, "differences", quiet = TRUE))
    ctx$levers <- lever_table(ctx)
    ctx$words <- nsm_arm_words(manifest)
    ctx
}

# manifest.csv as a named character vector (empty when absent).
nsm_manifest <- function(dir) {
    m <- nsm_read(dir, "manifest", quiet = TRUE)
    if (is.null(m)) return(stats::setNames(character(0), character(0)))
    stats::setNames(as.character(m$value), m$key)
}

nsm_get <- function(manifest, key, default = NA_character_) {
    if (key %in% names(manifest) && !is.na(manifest[[key]]) && nzchar(manifest[[key]]))
        manifest[[key]] else default
}

# ---- what few draws of the uncertain numbers do (--outer N) ----------------------------------
# Said as neasim's printed summaries say it (src/cli/common.c), in the brief's notes and in the
# subtitles of the figures that show such intervals or ranges; tests/brief_check.py and
# tests/figures_judgment.R hold the words to the manifest and to neasim's numbers.

# Below NSM_FEW_DRAWS draws (neasim's NSM_CLI_FEW_DRAWS, src/cli/cli.h, which brief_check.py reads
# to hold this copy to it) the 95% intervals that count the draws run narrow: in tests about 9 in
# 10 held the closed form at 5 and 10 draws (README "Two kinds of interval"). The number of draws
# when that is so, else NA (from 30 draws on, and without --outer).
NSM_FEW_DRAWS <- 30
nsm_few_draws <- function(manifest) {
    n <- suppressWarnings(as.numeric(nsm_get(manifest, "outer_draws", "")))
    if (is.na(n) || n >= NSM_FEW_DRAWS) NA else n
}

# How much of a draw's distribution a 5-95% judgment range from the N draws holds on average, in
# whole percent rounded half up, when that is 87% or less (fewer than 71 draws), else NA: the
# manifest's judgment_range_coverage, 0.9 (N - 1) / (N + 1) (neasim's nsm_judgment_range_coverage,
# README "How much a judgment range from few draws holds"); NA for a folder without the row. The
# row's four decimals round as neasim's exact integers do wherever the percent is 87 or less (a
# half, 82.5 at 23 draws, reads 0.8250: the 1e-9 keeps it up).
nsm_range_coverage_pct <- function(manifest) {
    x <- suppressWarnings(as.numeric(nsm_get(manifest, "judgment_range_coverage", "")))
    pct <- floor(100 * x + 0.5 + 1e-9)
    if (is.na(pct) || pct > 87) NA else pct
}

# The brief's words after a table's "95% interval" (NULL when not few draws).
nsm_few_draws_words <- function(manifest) {
    n <- nsm_few_draws(manifest)
    if (is.na(n)) return(NULL)
    paste0("; from only ", n, " draws such intervals run narrow: in tests about 9 in 10 of them, ",
           "not 95 in 100, held the true value (", NSM_FEW_DRAWS, " draws or more for 95)")
}

# The brief's words after "the judgment range (5-95% over the draws)" (NULL unless 87% or less).
nsm_range_coverage_words <- function(manifest) {
    pct <- nsm_range_coverage_pct(manifest)
    if (is.na(pct)) return(NULL)
    paste0(" (from only ", nsm_get(manifest, "outer_draws"), " draws, such a range holds on ",
           "average about ", pct, "% of the values a draw can give, not 90%)")
}

# A figure's subtitle ends with both in one sentence, when either is so ("" when neither):
# " From only 20 draws the 95% intervals run narrow (in tests about 9 in 10 of them, not 95 in 100,
# held the true value) and a judgment range holds on average about 81% of the values a draw can
# give, not 90%." `ranges`: whether the figure shows judgment ranges.
nsm_few_draws_sentence <- function(manifest, ranges = TRUE) {
    n <- nsm_few_draws(manifest)
    pct <- if (ranges) nsm_range_coverage_pct(manifest) else NA
    narrow <- if (!is.na(n)) paste0("the 95% intervals run narrow (in tests about 9 in 10 of ",
                                    "them, not 95 in 100, held the true value)")
    holds <- if (!is.na(pct)) paste0("a judgment range holds on average about ", pct,
                                     "% of the values a draw can give, not 90%")
    if (is.null(narrow) && is.null(holds)) return("")
    paste0(" From only ", nsm_get(manifest, "outer_draws"), " draws ",
           paste(c(narrow, holds), collapse = " and "), ".")
}

# A table's judgment_mostly_noise column (briefing.csv, uncertainty_differences.csv,
# uncertainty.csv) as a logical: TRUE where neasim found the judgment range mostly the Monte Carlo
# noise of a draw (its rule, nsm_mostly_noise in summary.h, is in C alone), FALSE elsewhere and in
# a folder written before the column.
nsm_mostly_noise <- function(t) {
    if (!"judgment_mostly_noise" %in% names(t)) return(rep(FALSE, nrow(t)))
    !is.na(t$judgment_mostly_noise) & t$judgment_mostly_noise == "yes"
}

# The words for a comparison's arms. `compare --levers` pulls levers against the baseline; `compare
# A B C` compares scenarios (its manifest lists scenario_paths), the first in the baseline's part. A
# scenario is not a lever, and how an outcome differs in it from the first is neither its effect
# nor, for the worse, a side effect: the printed briefing (src/output/compare.c) says "scenario",
# and the figures and the brief take their words from here (the brief of `compare A B` named
# "US retrenchment" a lever and its +33 points on a USFK cut a side effect).
nsm_arm_words <- function(manifest) {
    if (!nzchar(nsm_get(manifest, "scenario_paths", "")))
        return(list(scenarios = FALSE, one = "lever", many = "levers", Many = "Levers",
                    first = "baseline", minus = "lever minus baseline",
                    arm_minus = "arm minus baseline", legend = "Arm", Arms = "Arms",
                    each = "Effect of each lever", each_s = "Each lever's effect",
                    effects = "Lever effects", helps = "helps", hurts = "hurts",
                    Helps = "Helps", Hurts = "Hurts", none = "no effect"))
    first <- nsm_get(manifest, "scenario", NA)
    # by its label (arm_label: labels.csv, loaded before the words are asked for)
    first <- if (is.na(first)) "the first scenario" else arm_label(first, 1000)
    list(scenarios = TRUE, one = "scenario", many = "scenarios", Many = "Scenarios",
         first = first, minus = paste0("scenario minus ", first),
         arm_minus = paste0("scenario minus ", first), legend = "Scenario", Arms = "Scenarios",
         each = paste0("Each scenario against ", first),
         each_s = paste0("Each scenario's difference from ", first),
         effects = paste0("Scenarios against ", first), helps = "better", hurts = "worse",
         Helps = "Better", Hurts = "Worse", none = "no difference")
}

# The arms of a table in file order (baseline first), or NULL when it is not a comparison.
nsm_arms <- function(d) if (!is.null(d) && "arm" %in% names(d)) unique(d$arm) else NULL

# ---- labels ---------------------------------------------------------------------------------

NSM_ACRONYMS <- c("us", "usa", "rok", "dprk", "prc", "roc", "usfk", "sma", "rcd", "icbm", "irbm",
                  "slbm", "srbm", "gsomia", "nato", "un", "uk", "eu", "nk", "sk", "ppp", "wpk",
                  "gdp", "ndaa", "thaad", "ncg", "jcs", "opcon")

# Words of a snake_case name with known acronyms in capitals: "trump_second_term" ->
# "trump second term"; `capitalise` also capitalises the first letter.
nsm_words <- function(x, capitalise = FALSE) {
    vapply(x, function(s) {
        if (is.na(s)) return(NA_character_)
        words <- strsplit(s, "_", fixed = TRUE)[[1]]
        words <- ifelse(tolower(words) %in% NSM_ACRONYMS, toupper(words), words)
        out <- paste(words, collapse = " ")
        if (capitalise) out <- paste0(toupper(substr(out, 1, 1)), substr(out, 2, nchar(out)))
        out
    }, character(1), USE.NAMES = FALSE)
}

# The scenario's labels (labels.csv of the results folder: scenarios, outcomes, events, factors,
# levels, levers, draws), loaded by nsm_context() and brief.R for the folder being drawn; rows whose label the
# scenario does not give (given = no) are left out, so that their names are put in words.
# `scenario_arms`: the arms are whole scenarios (compare A B C), named by their scenario rows; the
# baseline arm of a lever comparison is "Baseline" whatever its scenario's label. `reference`:
# the arm the others are compared with, the first (a lever comparison's "baseline"; compare A B
# C's A, whatever it is called), which the figures draw in black.
NSM_LABELS <- new.env()
NSM_LABELS$table <- NULL
NSM_LABELS$scenario_arms <- FALSE
NSM_LABELS$reference <- "baseline"

nsm_load_labels <- function(dir) {
    l <- nsm_read(dir, "labels", quiet = TRUE)
    if (!is.null(l) && all(c("kind", "name", "label", "given") %in% names(l)))
        l <- l[l$given == "yes", , drop = FALSE]
    else l <- NULL
    NSM_LABELS$table <- l
    m <- nsm_manifest(dir)
    NSM_LABELS$scenario_arms <- nzchar(nsm_get(m, "scenario_paths", ""))
    NSM_LABELS$reference <- if (NSM_LABELS$scenario_arms) nsm_get(m, "scenario", "baseline")
                            else "baseline"
    invisible(l)
}

# The characters of `text` (labels) that no installed font has, as code points: cairo, which draws
# every figure, takes each character from the first font that has it (fontconfig), and without
# one draws an empty box. Labels are free UTF-8 text, and an analyst's may be in Korean, Japanese
# or Chinese, which the default fonts lack (make deps installs fonts-noto-cjk). ASCII is left out
# (every font has it); one fc-list asks for all the others at once, and only when no single font
# has them all is each asked for apart. NA when fontconfig's fc-list is not there to ask.
nsm_uncovered_chars <- function(text) {
    text <- text[!is.na(text)]
    cps <- unique(unlist(lapply(enc2utf8(as.character(text)), utf8ToInt)))
    cps <- cps[!is.na(cps) & cps > 0x7e]
    if (length(cps) == 0) return(integer(0))
    if (!nzchar(Sys.which("fc-list"))) return(NA_integer_)
    has <- function(set) {
        out <- suppressWarnings(system2("fc-list", c(shQuote(paste0(":charset=",
                                        paste(sprintf("%x", set), collapse = " "))), "family"),
                                        stdout = TRUE, stderr = FALSE))
        length(out) > 0
    }
    if (has(cps)) return(integer(0))
    cps[!vapply(cps, has, logical(1))]
}

# Say, before drawing, which characters of the labels the figures would show as empty boxes.
nsm_font_check <- function(labels) {
    miss <- nsm_uncovered_chars(labels)
    if (length(miss) == 1 && is.na(miss))
        nsm_msg("warning: fontconfig's fc-list is not installed, so whether a font has every ",
                "character of the labels is not known")
    else if (length(miss) > 0)
        nsm_msg("warning: no installed font has ", length(miss), " character",
                if (length(miss) > 1) "s", " of the scenario's labels (",
                paste(vapply(utils::head(miss, 8), function(cp) sprintf("%s U+%04X", intToUtf8(cp), cp),
                             character(1)), collapse = ", "), if (length(miss) > 8) ", ...",
                "): the figures show each as an empty box; install a font that has them ",
                "(Debian's fonts-noto-cjk, which make deps installs, has Korean, Japanese and Chinese)")
    invisible(miss)
}

# The scenario's label of each name of `kinds` (first kind first), NA where it gives none.
nsm_given_label <- function(x, kinds = c("outcome", "event", "factor", "lever")) {
    out <- rep(NA_character_, length(x))
    t <- NSM_LABELS$table
    if (is.null(t)) return(out)
    for (k in rev(kinds)) {
        r <- t[t$kind == k, , drop = FALSE]
        i <- match(x, r$name)
        out[!is.na(i)] <- r$label[i[!is.na(i)]]
    }
    out
}

# An outcome, event or factor for people: the scenario's label, else its name in words
# ("rok_balancing_vs_transactional_us" -> "ROK balancing vs transactional US").
nsm_label <- function(x) {
    given <- nsm_given_label(x)
    ifelse(is.na(given), nsm_words(x, capitalise = TRUE), given)
}

# A level of a factor for people: the scenario's label, else the level's name in words.
nsm_level_label <- function(factor, level) {
    out <- nsm_words(level)
    t <- NSM_LABELS$table
    if (is.null(t) || !"level" %in% names(t)) return(out)
    r <- t[t$kind == "level", , drop = FALSE]
    i <- match(paste(factor, level), paste(r$name, r$level))
    ifelse(is.na(i), out, r$label[i])
}

# Wrap labels at `width` characters (for facet strips and direct labels).
nsm_wrap <- function(x, width) {
    vapply(x, function(s) paste(strwrap(s, width = width), collapse = "\n"), character(1),
           USE.NAMES = FALSE)
}

# A parameter path of scenarios/README.md ("transitions:usfk_posture:current>reduced") as a
# short phrase ("USFK posture: current -> reduced"), for tornado and sensitivity charts.
nsm_parameter_label <- function(path) {
    vapply(path, function(p) {
        parts <- strsplit(p, ":", fixed = TRUE)[[1]]
        # "a>b" of factor f in the scenario's level labels ("*" stays "any level")
        arrow <- function(f, s) {
            ends <- strsplit(s, ">", fixed = TRUE)[[1]]
            lab <- ifelse(ends == "*", "any level", nsm_level_label(rep(f, length(ends)), ends))
            paste(lab, collapse = " \u2192 ")
        }
        kind <- parts[1]
        if (length(parts) == 3 && kind == "transitions")
            return(paste0(nsm_label(parts[2]), ": ", arrow(parts[2], parts[3])))
        if (length(parts) == 3 && kind == "events")
            return(paste0(nsm_label(parts[2]), ": ", gsub("_", " ", parts[3])))
        if (length(parts) == 3 && kind == "draws") { # the factor is in draws.csv, not the path
            ends <- strsplit(parts[3], ">", fixed = TRUE)[[1]]
            move <- if (length(ends) == 2 && ends[1] == ends[2]) paste("stays", nsm_words(ends[1]))
                    else gsub(">", " \u2192 ", nsm_words(parts[3]), fixed = TRUE)
            lab <- nsm_given_label(parts[2], "draw") # "open-seat ...": said in parentheses in C
            lab <- if (is.na(lab)) paste("Draw", nsm_words(parts[2]))
                   else paste0(toupper(substr(lab, 1, 1)), substring(lab, 2))
            return(paste0(lab, ": ", move))
        }
        if (length(parts) == 3 && kind == "factors")
            return(paste0("Initial P(", nsm_label(parts[2]), " = ",
                          nsm_level_label(parts[2], parts[3]), ")"))
        # seasonality:TARGET:MONTHS, TARGET an event or f:a>b, MONTHS "3" or a range or list
        # ("3-4|8": one row, one number, for all its months)
        if (length(parts) %in% c(3, 4) && kind == "seasonality") {
            mo <- parts[length(parts)]
            what <- if (length(parts) == 4) paste0(nsm_label(parts[2]), ": ", arrow(parts[2], parts[3]))
                    else nsm_label(parts[2])
            return(paste0(what, ": seasonality, ", if (grepl("^[0-9]+$", mo)) "month " else "months ",
                          gsub("|", ", ", mo, fixed = TRUE)))
        }
        if (length(parts) == 3 && kind == "effects")
            return(paste0("Effect ", parts[2], ": ", gsub("_", " ", parts[3])))
        if (length(parts) == 2 && kind == "modifiers")
            return(if (grepl("^[0-9]+$", parts[2])) paste0("Modifier row ", parts[2])
                   else paste0("Multiplier ", nsm_words(parts[2])))
        gsub("_", " ", p)
    }, character(1), USE.NAMES = FALSE)
}

# A file-name-safe version of a name.
nsm_slug <- function(x) gsub("[^A-Za-z0-9_.-]+", "-", x)

nsm_pct <- function(p, digits = 1) sprintf(paste0("%.", digits, "f%%"), 100 * p)

# x rounded to d decimals (d >= 1), half away from zero: x is a table's number of few significant
# digits, so a tie there (-1.65) is a tie here within rounding of its binary value, which the 1e-9
# takes as one (sprintf alone rounds the binary number: -1.65 is just above it, "-1.6").
nsm_round_away <- function(x, d) sign(x) * floor(abs(x) * 10^d + 0.5 + 1e-9) / 10^d

# Percentage points to one decimal, by the rule of the C printed briefing (nsm_pp_text,
# include/neasim/compare.h): the table's number rounded half away from zero, as a spreadsheet's
# ROUND does ("-1.7" for -1.65); "0.0" only when exactly zero (never "-0.0"); a non-zero value
# that one decimal would round to zero keeps one significant digit in fixed notation ("-0.004",
# never "-4e-03"), so that an interval that excludes zero never shows 0.0 at an end. With `sign`
# a change, "+3.1" / "-0.4"; without, a size, "3.1" / "0.004". The one formatter of changes for
# the brief's and the figures' text: the terminal, the brief and the figures show one number
# (tests/cli_briefing.sh compares the terminal's with this, cell by cell).
nsm_pp <- function(x, sign = TRUE) {
    r <- nsm_round_away(x, 1)
    d <- rep(1L, length(x))
    tiny <- which(!is.na(r) & r == 0 & x != 0)
    for (i in tiny) { # one significant digit: its decimal d (at most 9), 10^-d <= |x| < 10^-(d-1)
        d[i] <- 2L
        while (d[i] < 9L && abs(x[i]) < 10^-d[i]) d[i] <- d[i] + 1L
        r[i] <- nsm_round_away(x[i], d[i])
        if (abs(r[i]) >= 10^(1L - d[i])) { # 0.0096 is 0.01, not 0.010
            d[i] <- d[i] - 1L
            r[i] <- nsm_round_away(x[i], d[i])
        }
    }
    s <- sprintf(if (sign) "%+.*f" else "%.*f", d, if (sign) r else abs(r))
    s[!is.na(x) & x == 0] <- "0.0"
    s[is.na(x)] <- "NA"
    s
}

# A range of probabilities in percent, "58\u201360": whole percent, with as many decimals (at most
# two) as it takes for ends that differ to read differently and for an end that is not exactly 0
# or 1 not to read 0 or 100 ("99.2\u201399.6", not "99\u201399"; "67.0\u201399.6", not "67\u2013100":
# a judgment range does not reach certainty), both ends with the same decimals.
nsm_pct_range <- function(lo, hi, sep = "\u2013") {
    vapply(seq_along(lo), function(i) {
        if (is.na(lo[i]) || is.na(hi[i])) return(paste0("NA", sep, "NA"))
        edge <- function(s, v) (as.numeric(s) == 0 && v > 0) || (as.numeric(s) == 100 && v < 1)
        for (d in 0:2) {
            a <- sprintf("%.*f", d, 100 * lo[i]); b <- sprintf("%.*f", d, 100 * hi[i])
            if ((a != b || lo[i] == hi[i]) && !edge(a, lo[i]) && !edge(b, hi[i])) break
        }
        paste0(a, sep, b)
    }, "")
}

# Percent for slide labels: whole percent, but never "0%" or "100%" for a share that is not
# exactly 0 or 1.
nsm_pct_label <- function(p) {
    out <- sprintf("%.0f%%", 100 * p)
    out[p > 0 & p < 0.005] <- "<1%"
    out[p < 1 & p >= 0.995] <- ">99%"
    out
}

# A subtitle wrapped to the width of a slide.
nsm_subtitle <- function(..., width = 135) paste(strwrap(paste0(...), width = width), collapse = "\n")

# ---- theme, colours, axes -------------------------------------------------------------------

nsm_theme <- function(base_size = 15) {
    theme_minimal(base_size = base_size) +
        theme(panel.grid.minor = element_blank(),
              panel.grid.major = element_line(colour = "grey88", linewidth = 0.4),
              panel.spacing = unit(1.3, "lines"),
              strip.text = element_text(face = "bold", hjust = 0, size = rel(0.9),
                                        margin = margin(b = 4)),
              axis.title = element_text(size = rel(0.85), colour = "grey25"),
              axis.text = element_text(size = rel(0.8), colour = "grey25"),
              plot.title = element_text(face = "bold", size = rel(1.25)),
              plot.subtitle = element_text(size = rel(0.85), colour = "grey25",
                                           margin = margin(b = 8)),
              plot.caption = element_text(size = rel(0.65), colour = "grey40", hjust = 0,
                                          margin = margin(t = 10)),
              plot.title.position = "plot",
              plot.caption.position = "plot",
              legend.position = "top",
              legend.justification = "left",
              legend.title = element_text(size = rel(0.85)),
              legend.text = element_text(size = rel(0.85)),
              plot.margin = margin(14, 18, 10, 14))
}

NSM_AXIS_PT <- 15 * 0.8   # points of nsm_theme()'s axis text (base_size 15, rel(0.8))

# The widths in inches of strings `x` drawn at `pt` points in the theme's (default sans) font,
# plain or bold (`face`), measured on a cairo device as nsm_save() draws; a string's lines are
# measured apart by the caller.
nsm_text_width <- function(x, pt, face = "plain") {
    grDevices::png(tempfile(fileext = ".png"), width = 2, height = 1, units = "in", res = 72,
                   type = "cairo")
    on.exit(grDevices::dev.off())
    vapply(x, function(s) grid::convertWidth(grid::grobWidth(grid::textGrob(
        s, gp = grid::gpar(fontsize = pt, fontface = face))), "in", valueOnly = TRUE), 0,
        USE.NAMES = FALSE)
}

# Facet titles (nsm_theme()'s bold strips, 0.9 of `base_size`) of `ncol` columns of panels on a
# slide, wrapped at the most characters (at most 60, 45, 40, 30 or 24 for 1 to 5 columns) at which
# every line fits its panel, measured in their font: ggplot2 cuts a strip's text at the panel's
# edge, and wrapped by column count alone, eight outcomes of seed-2025 in four columns of
# 15-point titles read "Extended deterrence weak", "ROK political turmoil (onse". A panel's width
# is the slide's less the axis (1.2 in, as nsm_panel_width) and the theme's spacing between panels
# (1.3 lines), shared by the columns: 2.24 in for five columns at 13 points, as drawn.
nsm_strip_wrap <- function(x, ncol, base_size) {
    fit <- (NSM_WIDTH - 1.2 - (ncol - 1) * 1.3 * base_size / 72) / ncol
    words <- unlist(strsplit(unique(x), "\\s+"))
    # no fewer characters than the longest word: a word is never broken
    least <- max(nchar(words), 1)
    wrap <- c(60, 45, 40, 30, 24)[min(ncol, 5)]
    while (wrap > least) {
        lines <- unlist(strsplit(nsm_wrap(unique(x), wrap), "\n", fixed = TRUE))
        if (max(nsm_text_width(lines, 0.9 * base_size, "bold")) <= fit) break
        wrap <- wrap - 1
    }
    nsm_wrap(x, max(wrap, least))
}

# Colours for arms: the reference (NSM_LABELS$reference, what the others are compared with) in
# black, the others in palette order (black left out). With compare A B C whose A is not the
# scenario called baseline, the baseline is an arm like the others: black would say it is what
# the differences are from.
NSM_ARM_PALETTE <- setdiff(NSM_PALETTE, NSM_BASELINE_COLOUR)
nsm_arm_colours <- function(arms, reference = NSM_LABELS$reference) {
    others <- setdiff(arms, reference)
    cols <- stats::setNames(rep_len(NSM_ARM_PALETTE, length(others)), others)
    if (reference %in% arms) cols <- c(stats::setNames(NSM_BASELINE_COLOUR, reference), cols)
    cols[arms]
}

# An arm's name for an axis or legend: its levers' labels, else their names in words,
# "us_review+ncg" -> "US review + NCG", wrapped; a scenario compared (compare A B C): its label
# (scenario.csv), else its name in words.
arm_label <- function(arm, width = 16) {
    parts <- lapply(strsplit(arm, "+", fixed = TRUE), function(l) {
        given <- nsm_given_label(l, "lever")
        ifelse(is.na(given), nsm_words(l), given)
    })
    labels <- vapply(parts, paste, "", collapse = " + ")
    if (isTRUE(NSM_LABELS$scenario_arms)) {
        given <- nsm_given_label(arm, "scenario")
        labels <- ifelse(is.na(given), labels, given)
    }
    labels <- paste0(toupper(substr(labels, 1, 1)), substr(labels, 2, nchar(labels)))
    nsm_wrap(labels, width)
}

# The one scale for arms, on `aesthetics` (colour, fill or both): colours and legend labels are
# both named by the arm, so an entry can only name the arm whose data carries its colour, in
# whatever order ggplot2 takes the arms (it sorts them when layers split the data). Never pass
# unnamed `labels` to a discrete scale: they are attached by position.
nsm_arm_scale <- function(arms, aesthetics = "colour", width = 40, name = "Arm", ...) {
    arms <- as.character(arms)
    scale_colour_manual(values = nsm_arm_colours(c(NSM_LABELS$reference, arms))[arms],
                        breaks = arms,
                        labels = stats::setNames(arm_label(arms, width), arms), name = name,
                        aesthetics = aesthetics, ...)
}

# Lines of arms that coincide, one inside another. On common random numbers an arm's series in a
# panel can equal another's to the last digit (a factorial comparison's "a + b" and "a" on an
# outcome that b does not touch), and a line drawn over an equal one hides it: the reader sees
# one colour and wonders where the other arm went. So each arm's line gets a width (column .lw of
# the result, for scale_linewidth_identity): `base` for an arm whose series in its panel equals
# no other arm's; in a class of m arms with equal series, the r-th of them in the order of
# `arms` (the order drawn) base + (m - r) * step, so the last drawn is the thinnest and each
# earlier one shows as a band of its colour around it. Equal means every value of `value`, date
# by date, the same number (identical, not close: arms that merely lie near each other are
# told apart by their numbers, not by this). Attribute "nested": whether any class had two.
nsm_nested <- function(d, arms, value, by = "panel", base = 0.9, step = 0.6) {
    d$.lw <- rep(base, nrow(d))
    nested <- FALSE
    for (pn in unique(as.character(d[[by]]))) {
        rows <- which(as.character(d[[by]]) == pn)
        sig <- vapply(arms, function(a) {
            r <- rows[as.character(d$arm[rows]) == a]
            if (length(r) == 0) return("")
            r <- r[order(d$date[r])]
            paste(sprintf("%.17g", d[[value]][r]), collapse = ";")
        }, "")
        for (s in unique(sig[nzchar(sig)])) {
            members <- arms[sig == s]
            if (length(members) < 2) next
            nested <- TRUE
            for (r in seq_along(members)) {
                d$.lw[rows[as.character(d$arm[rows]) == members[r]]] <-
                    base + (length(members) - r) * step
            }
        }
    }
    attr(d, "nested") <- nested
    d
}
# The widths of nsm_nested as drawn, and the legend's keys all of the base width.
nsm_nested_scale <- function(base = 0.9)
    list(scale_linewidth_identity(),
         guides(colour = guide_legend(override.aes = list(linewidth = base))))
nsm_nested_note <- function(words)
    paste0(words$Arms, " whose lines coincide are drawn one inside another, each band of colour ",
           if (words$scenarios) "a scenario" else "an arm", ", so that none hides another.")

# The first letter of each of x in capitals ("scenario minus Baseline" -> "Scenario minus ...").
nsm_cap <- function(x) paste0(toupper(substr(x, 1, 1)), substring(x, 2))

# Arms in groups for charts that cannot show many at once: at most `size` arms besides `base` per
# group, `base` (when given: the arm the others are compared with, which a table of levels has
# first, whatever its name: the first scenario of compare A B C need not be "baseline") in every
# group. One group for few arms. A table of differences has no such arm: no base.
nsm_arm_groups <- function(arms, size, base = NULL) {
    base <- intersect(base, arms)
    others <- setdiff(arms, base)
    if (length(others) == 0) return(list(arms))
    groups <- unname(split(others, ceiling(seq_along(others) / size)))
    lapply(groups, function(g) c(base, g))
}
nsm_group_suffix <- function(g, n) if (n > 1) paste0("_arms", g) else ""
nsm_group_title <- function(g, n) if (n > 1) sprintf(" (arms, part %d of %d)", g, n) else ""

# Width in inches of the data area of one of `ncol` facet columns on a slide.
nsm_panel_width <- function(ncol) (NSM_WIDTH - 1.2) / ncol - 0.35

# A date axis from `from` to `to` for a data area `width_in` inches wide: breaks on 1 January,
# labelled by the year, for spans of three years or more (about 0.6 in a label), else on the
# first of the month, labelled "Mar 2025" (about 1 in a label). `extra_right` (days) leaves room
# for end labels.
nsm_scale_x_date <- function(from, to, width_in, extra_right = 0, ...) {
    span_years <- as.numeric(to - from) / 365.25
    if (span_years >= 3) {
        n <- max(2, floor(width_in / 0.6))
        step <- c(1, 2, 5, 10, 20, 50)
        step <- step[which(span_years / step <= n + 0.5)[1]]
        years <- seq(as.integer(format(from, "%Y")), as.integer(format(to, "%Y")) + 1)
        breaks <- as.Date(paste0(years[years %% step == 0], "-01-01"))
        labels <- "%Y"
    } else {
        n <- max(2, floor(width_in / 1.0))
        step <- c(1, 2, 3, 6, 12)
        step <- step[which(span_years * 12 / step <= n + 0.5)[1]]
        if (is.na(step)) step <- 12
        months <- seq(as.Date(format(from, "%Y-%m-01")), to + 31, by = "1 month")
        breaks <- months[(as.integer(format(months, "%m")) - 1) %% step == 0]
        labels <- "%b %Y"
    }
    breaks <- breaks[breaks >= from & breaks <= to]
    scale_x_date(breaks = breaks, date_labels = labels,
                 limits = c(from, to + extra_right), expand = expansion(mult = c(0.02, 0.03)), ...)
}

nsm_scale_y_percent <- function(limits = c(0, 1), n_breaks = 5, ...) {
    scale_y_continuous(labels = scales::label_percent(accuracy = 1), limits = limits,
                       breaks = scales::breaks_pretty(n = n_breaks), expand = expansion(mult = 0.02),
                       ...)
}

# What the manifest's `runs` counts, for captions and the brief's header: "2,000 runs per arm" (a
# comparison; "per scenario" for compare A B C), "9,000 runs (30 draws x 300)" (--outer: draws of
# the uncertain numbers, runs each), "500 runs per point x 317 points" (a sweep); NULL without a
# count of runs.
nsm_runs_phrase <- function(manifest) {
    num <- function(k) suppressWarnings(as.numeric(nsm_get(manifest, k, NA)))
    f <- function(x) format(x, big.mark = ",", scientific = FALSE, trim = TRUE)
    runs <- num("runs")
    if (is.na(runs)) return(NULL)
    points <- num("sweep_points")
    if (!is.na(points)) {
        per_point <- num("runs_per_point")
        return(paste0(nsm_count(if (is.na(per_point)) runs else per_point, "run"), " per point \u00d7 ",
                      nsm_count(points, "point")))
    }
    per_arm <- grepl(";", nsm_get(manifest, "arms", ""), fixed = TRUE)
    draws <- num("outer_draws")
    each <- if (nzchar(nsm_get(manifest, "scenario_paths", ""))) " per scenario" else " per arm"
    paste0(nsm_count(runs, "run"), if (per_arm) each,
           if (!is.na(draws) && draws > 0) paste0(" (", nsm_count(draws, "draw"), " \u00d7 ", f(runs / draws), ")"))
}

# "1 run", "2 runs", "10,000 runs": a count and its noun, singular for one.
nsm_count <- function(x, one, many = paste0(one, "s")) {
    paste0(format(x, big.mark = ",", scientific = FALSE, trim = TRUE), " ", if (isTRUE(x == 1)) one else many)
}

# The caption line of every figure: scenario, runs, seed, version, commit.
nsm_caption <- function(manifest, dir, extra = NULL) {
    title <- nsm_get(manifest, "scenario_title", NA)
    name <- nsm_get(manifest, "scenario", basename(normalizePath(dir)))
    scen <- if (is.na(title)) name else paste0(title, " (", name, ")")
    bits <- c(paste0("Scenario: ", scen), nsm_runs_phrase(manifest),
              paste0("seed ", nsm_get(manifest, "seed", "unknown")),
              paste0("neasim ", nsm_get(manifest, "version", "?"),
                     " (", substr(nsm_get(manifest, "git_commit", "?"), 1, 12), ")"))
    line <- paste(bits, collapse = "  \u00b7  ")
    if (!is.null(extra)) line <- paste0(line, "\n", extra)
    line
}

# ---- layout helpers -------------------------------------------------------------------------

# Split `keys` into pages of at most `per_page`, balanced (13 keys at 6 -> 5, 4, 4).
nsm_pages <- function(keys, per_page) {
    n <- ceiling(length(keys) / per_page)
    if (n <= 1) return(list(keys))
    unname(split(keys, floor((seq_along(keys) - 1) * n / length(keys))))
}

# Facet columns for k panels on a 16:9 page.
nsm_ncol <- function(k) {
    if (k <= 1) 1 else if (k <= 4) 2 else if (k <= 6) 3 else if (k <= 12) 4 else 5
}

# Spread label positions `y` (same units as `gap`, which may be one value per label) so that no
# two are closer than their gaps, staying within [lo, hi]; order is kept.
nsm_dodge <- function(y, gap, lo, hi) {
    n <- length(y)
    if (n <= 1) return(pmin(pmax(y, lo), hi))
    gap <- rep_len(gap, n)
    o <- order(y)
    v <- y[o]; g <- gap[o]
    half <- function(i, j) (g[i] + g[j]) / 2
    v[1] <- max(v[1], lo + g[1] / 2)
    for (i in 2:n) v[i] <- max(v[i], v[i - 1] + half(i, i - 1))
    v[n] <- min(v[n], hi - g[n] / 2)
    for (i in (n - 1):1) v[i] <- min(v[i], v[i + 1] - half(i, i + 1))
    out <- numeric(n); out[o] <- v
    out
}

# ---- figures and saving ---------------------------------------------------------------------

# A figure as the figure functions return it: the plot, the name of its files, its title in the
# brief and index, its section, and whether the brief shows it. Drawing and saving are apart so
# that a test can inspect the plot (ggplot_build) without rendering it.
# `data`, when given, is a function of the plot returning the data a check reads back: nsm_save()
# writes it as figures/NAME.csv (the lever forest's drawn rows, which tests/brief_check.py reads).
nsm_figure <- function(plot, name, title, section, brief = TRUE, data = NULL) {
    structure(list(plot = plot, name = name, title = title, section = section, brief = brief,
                   data = data), class = "nsm_figure")
}

# Every figure function, in the order of the briefing: headline numbers, levers, time courses,
# drivers. Each takes the context (nsm_context()) and returns a list of nsm_figure(), empty when
# the folder lacks its table.
NSM_FIGURE_FUNCTIONS <- c("fig_outcomes_by_horizon", "fig_lever_forest", "fig_lever_matrix",
                          "fig_lever_effects", "fig_outcomes_over_time",
                          "fig_lever_effects_over_time",
                          "fig_state_probabilities", "fig_event_fans", "fig_event_year_fans",
                          "fig_lever_event_effects", "fig_tornado", "fig_sensitivity",
                          "fig_sweep", "fig_routes", "fig_signposts", "fig_prim")

nsm_all_figures <- function(ctx) {
    figs <- lapply(NSM_FIGURE_FUNCTIONS, function(f) match.fun(f)(ctx))
    unlist(figs, recursive = FALSE)
}

NSM_INDEX <- new.env()
NSM_INDEX$rows <- data.frame(file = character(0), title = character(0), section = character(0),
                             brief = logical(0), arms = character(0), stringsAsFactors = FALSE)

# The names of the arms whose data plot draws, in their order, ";"-separated ("" for a run's):
# read from the plot's and its layers' data (their `arm`, or `arm_name` where `arm` holds labels),
# not from what a figure function says it draws, for the index, so that the brief names in each
# figure's alt text the arms the reader sees in it (a headline chart of the baseline and 3 of 8
# levers was once the brief's only one).
nsm_plot_arms <- function(plot) {
    data <- c(list(plot$data), lapply(plot$layers, function(l) l$data))
    arms <- unlist(lapply(data, function(d) {
        if (!is.data.frame(d)) return(NULL)
        a <- if ("arm_name" %in% names(d)) d$arm_name else d$arm
        if (is.factor(a)) levels(droplevels(a)) else as.character(a)
    }))
    paste(unique(arms), collapse = ";")
}

# The drawn form of a plot, as nsm_save draws it (on the open device, whose text it measures): its
# gtable, with a legend at the top or bottom given the whole figure's width, flush left with the
# title (the theme's legend.justification). ggplot2 (3.4) gives it only the panels' width, so a
# wide legend above panels pushed right by long outcome labels ran off the figure's right edge (in
# compare --levers all an arm was cut from its legend: a series no one could name). A legend still
# wider than the figure is wrapped onto 2, 3 or 4 rows.
nsm_gtable <- function(plot, width = NSM_WIDTH) {
    pos <- (theme_get() + plot$theme)$legend.position
    for (rows in 1:4) {
        g <- ggplotGrob(if (rows == 1) plot else legends_in_rows(plot, rows))
        box <- which(g$layout$name == "guide-box")
        if (!is.character(pos) || !pos %in% c("top", "bottom") || length(box) != 1) return(g)
        g$layout$l[box] <- 1
        g$layout$r[box] <- ncol(g)
        if (grid::convertWidth(grid::grobWidth(g$grobs[[box]]), "in", valueOnly = TRUE) <= width)
            break
    }
    g
}

# plot with each of its legends laid out in `rows` rows (filled row by row), whether the legend
# is its scale's guide or given by guides(); every other setting of the guide (reverse, keys) kept.
legends_in_rows <- function(plot, rows) {
    in_rows <- function(gd) {
        if (identical(gd, "legend")) gd <- guide_legend()
        if (inherits(gd, "legend")) {
            gd$nrow <- rows
            gd$ncol <- NULL
            gd$byrow <- TRUE
        }
        gd
    }
    plot$scales <- plot$scales$clone()
    for (sc in plot$scales$scales) sc$guide <- in_rows(sc$guide)
    plot$guides <- lapply(plot$guides, in_rows)
    plot
}

# Save figure `fig` as figures/NAME.png (300 dpi), figures/NAME.pdf and figures/small/NAME.png
# (150 dpi, for the briefing), and add it to the index that brief.R reads (in the order figures
# were saved).
nsm_save <- function(fig, outdir, width = NSM_WIDTH, height = NSM_HEIGHT) {
    name <- fig$name
    dir.create(outdir, showWarnings = FALSE)
    png_path <- file.path(outdir, paste0(name, ".png"))
    pdf_path <- file.path(outdir, paste0(name, ".pdf"))
    # the plot is built into a gtable once and drawn on both devices (half the time of ggsave)
    grDevices::png(png_path, width = width, height = height, units = "in", res = NSM_DPI,
                   type = "cairo", bg = "white")
    g <- tryCatch(nsm_gtable(fig$plot, width), error = function(e) { grDevices::dev.off(); stop(e) })
    grid::grid.newpage()
    grid::grid.draw(g)
    grDevices::dev.off()
    grDevices::cairo_pdf(pdf_path, width = width, height = height, bg = "white")
    grid::grid.draw(g)
    grDevices::dev.off()
    # a 150 dpi copy for the briefing, a quarter of the size: the brief stays small enough to mail
    dir.create(file.path(outdir, "small"), showWarnings = FALSE)
    grDevices::png(file.path(outdir, "small", paste0(name, ".png")), width = width,
                   height = height, units = "in", res = NSM_DPI / 2, type = "cairo", bg = "white")
    grid::grid.draw(g)
    grDevices::dev.off()
    if (is.function(fig$data))
        utils::write.csv(fig$data(fig$plot), file.path(outdir, paste0(name, ".csv")),
                         row.names = FALSE, fileEncoding = "UTF-8")
    NSM_INDEX$rows <- rbind(NSM_INDEX$rows, data.frame(file = name, title = fig$title,
                                                       section = fig$section, brief = fig$brief,
                                                       arms = nsm_plot_arms(fig$plot),
                                                       stringsAsFactors = FALSE))
    message("figures: wrote ", png_path, " and .pdf")
    invisible(name)
}

# Whether the results are of two levels (run or compare --outer): uncertainty.csv `u` has the
# mean over the draws. Their outcomes.csv's intervals are then those of that mean, which count the
# draws as the sample they are, not the runs (README, "Two kinds of interval"): captions say so.
nsm_two_level <- function(u) !is.null(u) && nrow(u) > 0 && "mean_ci_low" %in% names(u)

# What a comparison's interval is of, for a subtitle after "95% interval": with --outer N (the
# manifest's outer_draws), " of the mean over the N draws of the uncertain numbers"; else "".
nsm_interval_of <- function(ctx) {
    n <- nsm_get(ctx$manifest, "outer_draws", "")
    if (nzchar(n)) paste0(" of the mean over the ", n, " draws of the uncertain numbers") else ""
}

# Horizons (years) for headline numbers: those wanted that fall within the results, and the last
# date when it is not one of them, as neasim's default --horizons (2, 5 and 10 years and the
# horizon's end): backtest-2019 runs 3 years, and its brief and headline chart stopped at 2, a
# year short of the end that its printed summary and briefing.csv report.
nsm_headline_horizons <- function(t_years, wanted = c(2, 5, 10)) {
    tmax <- max(t_years, na.rm = TRUE)
    h <- wanted[wanted <= tmax + 0.05]
    # the end in years to 2 decimals: 3.0007 (1,096 days) is the 3 years of the scenario
    if (length(h) == 0 || tmax > max(h) + 0.05) h <- c(h, round(tmax, 2))
    h
}

# The rows of `d` at the report date nearest to each horizon (one date per horizon), with a
# `horizon` column (the wanted horizon, or the date's own time when it is more than about
# 18 days away). `d` must have t_years and date.
nsm_at_horizons <- function(d, horizons) {
    dates <- unique(d[, c("date", "t_years")])
    out <- lapply(horizons, function(h) {
        i <- which.min(abs(dates$t_years - h))
        rows <- d[d$date == dates$date[i], , drop = FALSE]
        # a report date off the anniversary is labelled with its own time from the start
        if (abs(dates$t_years[i] - h) > 0.05) h <- round(dates$t_years[i], 1)
        rows$horizon <- rep(h, nrow(rows))
        rows
    })
    do.call(rbind, out)
}

# A date as the brief and the figures write it for their reader, "Nov 2036", and "by Nov 2036":
# one style everywhere (the signposts' "Watch by 2028-11-01" stood beside "by Nov 2028"). The
# month names are English whatever the locale (LC_TIME above). Tables of the scenario's own
# changes keep its dates ("from 2027-01-01": arms.csv's words), as does the provenance.
nsm_month <- function(date) format(as.Date(date), "%b %Y")
nsm_by_date <- function(date) paste0("by ", nsm_month(date))
# A day in the same style, "1 Nov 2026" (the brief's header: the scenario's span, whose dates need
# not be the first of a month), and a moment, "5 Dec 2026, 22:40 UTC" (the brief's footer: when it
# was made); they read "2026-11-01 to 2036-11-01" and "2026-12-05 22:40 UTC" beside "by Nov 2028".
nsm_day <- function(date) sub("^0", "", format(as.Date(date), "%d %b %Y"))
nsm_moment <- function(time) paste0(nsm_day(as.Date(format(time, "%Y-%m-%d"))), ", ",
                                    format(time, "%H:%M %Z"))

nsm_horizon_label <- function(h, date) {
    yrs <- ifelse(abs(h - round(h)) < 0.05, sprintf("%d years", as.integer(round(h))),
                  sprintf("%.1f years", h))
    yrs <- sub("^1 years$", "1 year", yrs)
    paste0(yrs, " (", nsm_month(date), ")")
}

`%||%` <- function(a, b) if (is.null(a)) b else a

# ---- what the start does to an outcome's count ----------------------------------------------
# One home for both, so that the figures' names ("(onset)", "(71% at the start)") and the brief's
# table marks and sentences ("state, 70% at the start") read the same rows of outcomes.csv `oc`.

# Outcomes that are onsets (outcomes.csv has their holds_at_start rows): their probability is of
# beginning after the start, not of holding at some time, and the figures say so by their names.
nsm_onsets <- function(oc) unique(oc$outcome[oc$measure == "holds_at_start"])
# State outcomes that hold at the start in some runs, with that share (the first arm's): their
# "has occurred" counts those runs from the start as if today's state were news, and the figures
# say so by their names too ("Russia-China-DPRK coordinate (70% at the start)").
nsm_held_at_start <- function(oc) {
    x <- oc[oc$measure == "occurred_by" & !oc$outcome %in% nsm_onsets(oc), , drop = FALSE]
    arms <- nsm_arms(x)
    if (!is.null(arms)) x <- x[x$arm == arms[1], , drop = FALSE]
    if (nrow(x) == 0) return(stats::setNames(numeric(0), character(0)))
    x <- x[x$date == min(x$date) & x$probability > 0, , drop = FALSE]
    stats::setNames(x$probability, x$outcome)
}
# The mark that names such a state in a figure, "(71% at the start)" after `sep`, "" for any other
# outcome: one phrasing for the headline, course, routes and signposts charts. No shares (NULL,
# as the tornado's titles pass) mark nothing: NULL[match()] is NULL, and ifelse() on it gave NA,
# which pasted "Conservative ROK presidentNA" into a tornado's title.
nsm_held_mark <- function(outcome, held, sep = " ") {
    share <- if (length(held)) held[match(outcome, names(held))] else rep(NA_real_, length(outcome))
    ifelse(is.na(share), "", paste0(sep, "(", nsm_pct_label(share), " at the start)"))
}

NSM_PROBABILITY_MEASURES <- c("holds", "occurred_by")

nsm_measure_phrase <- function(measure, at = "the date") {
    switch(measure,
           occurred_by = paste("probability that the outcome has occurred by", at),
           holds = paste("probability that the outcome holds at", at),
           cumulative_count = paste("mean number of events from the start to", at),
           gsub("_", " ", measure))
}

# Integer breaks for count axes (never 0.5 events).
nsm_integer_breaks <- function(n = 5) {
    function(lim) {
        b <- scales::breaks_pretty(n)(lim)
        b <- unique(round(b))
        b[b >= lim[1] - 1e-9 & b <= lim[2] + 1e-9]
    }
}
