# tests/spreadsheet_read.R FOLDER...: every CSV of each results folder, read by R's two usual
# readers with their defaults (utils::read.csv and readr::read_csv), has the types its text
# says: a column whose cells are all numbers or NA is numeric (never character: NA must read as
# NA), `NA` cells are NA, a `date` column holds ISO dates (readr reads it as Date), and the first
# line is the header (no comment line). Exits 1 naming each problem.
args <- commandArgs(trailingOnly = TRUE)
problems <- character(0)
bad <- function(...) problems <<- c(problems, paste0(...))

is_number <- function(x) grepl("^[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?$", x) |
    x %in% c("Inf", "-Inf")

check_file <- function(path) {
    # the text itself, every cell a string, as the reference
    raw <- utils::read.csv(path, colClasses = "character", na.strings = character(0),
                           check.names = FALSE, encoding = "UTF-8")
    first <- readLines(path, n = 1, warn = FALSE, encoding = "UTF-8")
    if (startsWith(sub("^\ufeff", "", first), "#")) bad(path, ": starts with a comment line")
    base <- utils::read.csv(path, check.names = FALSE, encoding = "UTF-8")
    rr <- suppressMessages(readr::read_csv(path, progress = FALSE, show_col_types = FALSE))
    if (nrow(readr::problems(rr)) > 0) bad(path, ": readr reports parsing problems")
    if (!identical(names(base), names(raw)) || !identical(names(rr), names(raw)))
        bad(path, ": the readers see different columns")
    for (col in names(raw)) {
        x <- raw[[col]]
        na <- x == "NA"
        numeric_text <- all(na | is_number(x)) && any(!na)
        where <- paste0(path, ": column '", col, "'")
        if (numeric_text) {
            if (!is.numeric(base[[col]])) bad(where, ": read.csv reads ", class(base[[col]])[1])
            if (!is.numeric(rr[[col]])) bad(where, ": readr reads ", class(rr[[col]])[1])
        }
        if (any(na) && (!identical(is.na(base[[col]]), na) || !identical(is.na(rr[[col]]), na)))
            bad(where, ": NA cells do not all read as NA (or other cells do)")
        if (col == "date" && !inherits(rr[[col]], "Date") && !all(na))
            bad(where, ": readr does not read it as Date (", class(rr[[col]])[1], ")")
    }
    ncol(raw)
}

n <- 0
for (dir in args) {
    files <- list.files(dir, pattern = "[.]csv$", full.names = TRUE)
    if (length(files) == 0) bad(dir, ": no CSV files")
    for (f in files) {
        tryCatch(check_file(f), error = function(e) bad(f, ": cannot be read: ", conditionMessage(e)))
        n <- n + 1
    }
}
if (length(problems)) {
    cat(paste0("FAIL ", problems, "\n"), sep = "")
    quit(status = 1)
}
cat(sprintf("spreadsheet_read: %d files read with the right types by read.csv and readr\n", n))
