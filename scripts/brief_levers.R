# What a lever changes, in words, for the brief's table "What each lever changes": each row of
# arms.csv (a parameter path, an operation and a value) as "what it changes: its number, the
# operation and the value in that number's unit" ("ROK nuclear debate: mainstream debate ->
# pursuing latency or weapons: yearly rate x 0.7"). Names are the scenario's labels (labels.csv:
# factors, levels, events, draws), never the model's snake_case; what a modifier or an effect is
# (its target and condition, its trigger and action) is read from the scenario's own tables, found
# by the manifest's scenario_path (and the bases it `extends`); without them the names are put in
# words. Units follow scenarios/README.md: `multiply` on a transition or a counted event multiplies
# its hazard (its yearly rate, whatever its row's unit); `set` writes the row's unit.

# The rows of scenario table `name` (e.g. "modifiers") of the folder's scenario, as a list of data
# frames: the scenario's own first, then each base it extends; empty when they cannot be read.
lever_scenario_tables <- function(manifest, name) {
    path <- nsm_get(manifest, "scenario_path", NA)
    if (is.na(path)) return(list())
    wd <- nsm_get(manifest, "working_directory", ".")
    dir <- if (startsWith(path, "/")) path else file.path(wd, path)
    read <- function(file) tryCatch(utils::read.csv(file, stringsAsFactors = FALSE,
                                                    colClasses = "character", comment.char = ""),
                                    error = function(e) NULL)
    out <- list()
    for (depth in 1:8) {   # a chain of bases; a loop is the scenario's error, not the brief's
        t <- if (file.exists(file.path(dir, paste0(name, ".csv")))) read(file.path(dir, paste0(name, ".csv")))
        if (!is.null(t)) {
            if ("drop" %in% names(t)) t <- t[!tolower(t$drop) %in% c("yes", "true", "1"), , drop = FALSE]
            out[[length(out) + 1]] <- t
        }
        s <- read(file.path(dir, "scenario.csv"))
        base <- if (!is.null(s) && "key" %in% names(s)) s$value[s$key == "extends"] else character(0)
        if (length(base) != 1 || !nzchar(base)) break
        dir <- if (startsWith(base, "/")) base else file.path(dir, base)
    }
    out
}

# The first row of `tables` (lever_scenario_tables) whose columns equal `key` (a named list), or
# NULL. A key `row = N` is the Nth data row of a scenario without a base (a row number of a
# patched table is the resolved table's, which the brief does not rebuild).
lever_find_row <- function(tables, key) {
    if (!is.null(key$row)) {
        if (length(tables) != 1 || key$row > nrow(tables[[1]])) return(NULL)
        return(tables[[1]][key$row, , drop = FALSE])
    }
    for (t in tables) {
        if (!all(names(key) %in% names(t))) next
        hit <- Reduce(`&`, lapply(names(key), function(k) trimws(t[[k]]) == key[[k]]))
        if (any(hit)) return(t[which(hit)[1], , drop = FALSE])
    }
    NULL
}

# "F: A -> B" with the scenario's labels ("*" is "any level").
lever_move <- function(f, move) {
    ends <- strsplit(move, ">", fixed = TRUE)[[1]]
    lab <- ifelse(ends == "*", "any level", nsm_level_label(rep(f, length(ends)), ends))
    paste0(nsm_label(f), ": ", paste(lab, collapse = " \u2192 "))
}

# A condition of modifiers.csv ("f=a|b&g!=c") in words: "F is A or B and G is not C".
lever_condition <- function(cond) {
    clauses <- strsplit(gsub("\\s+", "", cond), "&", fixed = TRUE)[[1]]
    paste(vapply(clauses, function(c) {
        neg <- grepl("!=", c, fixed = TRUE)
        p <- strsplit(c, if (neg) "!=" else "=", fixed = TRUE)[[1]]
        if (length(p) != 2) return(gsub("_", " ", c))
        lv <- strsplit(p[2], "|", fixed = TRUE)[[1]]
        paste0(nsm_label(p[1]), if (neg) " is not " else " is ",
               paste(nsm_level_label(rep(p[1], length(lv)), lv), collapse = " or "))
    }, ""), collapse = " and ")
}

# What an effect's trigger or action is, in words.
lever_trigger <- function(x) {
    if (grepl(">", x, fixed = TRUE) && grepl(":", x, fixed = TRUE))
        return(lever_move(sub(":.*$", "", x), sub("^[^:]*:", "", x)))
    paste0("an occurrence of ", nsm_label(x))
}
lever_action <- function(x) {
    if (startsWith(x, "draw:")) {
        d <- sub("^draw:", "", x)
        lab <- nsm_given_label(d, "draw")
        return(if (is.na(lab)) paste("the draw", nsm_words(d)) else paste("the", lab))
    }
    if (startsWith(x, "event:")) return(paste0("an occurrence of ", nsm_label(sub("^event:", "", x))))
    p <- strsplit(x, "=", fixed = TRUE)[[1]]
    if (length(p) == 2) return(paste0(nsm_label(p[1]), " ", nsm_level_label(p[1], p[2])))
    nsm_words(x)
}

# What a target path changes, in words, and the unit of its number: list(what, unit), the unit
# being the phrase before the operation ("yearly rate", "annual probability", "multiplier").
lever_target <- function(path, operation, scen) {
    parts <- strsplit(path, ":", fixed = TRUE)[[1]]
    kind <- parts[1]
    hazard <- operation == "multiply"   # of a transition: its yearly rate, whatever its unit
    if (kind == "transitions" && length(parts) == 3) {
        ends <- strsplit(parts[3], ">", fixed = TRUE)[[1]]
        row <- lever_find_row(scen$transitions, list(factor = parts[2], from = ends[1], to = ends[2]))
        u <- if (is.null(row) || !"unit" %in% names(row)) NA else row$unit
        unit <- if (hazard) "yearly rate"
                else switch(if (is.na(u)) "" else u, annual_probability = "annual probability",
                            rate_per_year = "rate per year", mean_years = "mean time in years",
                            "value (in its row's unit)")
        return(list(what = lever_move(parts[2], parts[3]), unit = unit))
    }
    if (kind == "modifiers" && length(parts) == 2) {
        key <- if (grepl("^[0-9]+$", parts[2])) list(row = as.integer(parts[2])) else list(id = parts[2])
        row <- lever_find_row(scen$modifiers, key)
        # the hazard it multiplies, and while what
        on <- if (is.null(row)) NULL
              else if (grepl(":", row$target, fixed = TRUE))
                  lever_move(sub(":.*$", "", row$target), sub("^[^:]*:", "", row$target))
              else nsm_label(row$target)
        what <- if (!is.null(row) && "label" %in% names(row) && nzchar(row$label)) row$label
                else if (!is.null(row)) paste0(on, if (nzchar(row$condition))
                                                   paste0(", while ", lever_condition(row$condition)))
                else paste0("Modifier \u201c", nsm_words(parts[2]), "\u201d")
        return(list(what = what, unit = "multiplier"))
    }
    if (kind == "effects" && length(parts) == 3) {
        key <- if (grepl("^[0-9]+$", parts[2])) list(row = as.integer(parts[2])) else list(id = parts[2])
        row <- lever_find_row(scen$effects, key)
        what <- if (is.null(row)) paste0("Effect \u201c", nsm_words(parts[2]), "\u201d")
                else paste0("Chance that ", lever_trigger(row$trigger), " sets off ",
                            lever_action(row$action))
        if (parts[3] == "delay_days")
            what <- if (is.null(row)) paste0(what, ", its delay")
                    else paste0("Delay before ", lever_action(row$action), " after ", lever_trigger(row$trigger))
        return(list(what = what, unit = if (parts[3] == "delay_days") "days" else "probability"))
    }
    if (kind == "draws" && length(parts) >= 3) {
        ends <- strsplit(parts[3], ">", fixed = TRUE)[[1]]
        row <- lever_find_row(scen$draws, list(draw = parts[2], from = ends[1], to = ends[2]))
        if (is.null(row)) row <- lever_find_row(scen$draws, list(draw = parts[2]))
        lab <- nsm_given_label(parts[2], "draw")
        when <- if (is.na(lab)) paste("the draw", nsm_words(parts[2])) else lab
        what <- if (is.null(row)) paste0("Chance of ", gsub(">", " \u2192 ", nsm_words(parts[3]), fixed = TRUE))
                else if (length(ends) == 2 && ends[1] == ends[2])
                    paste0("Chance that ", nsm_label(row$factor), " stays ", nsm_level_label(row$factor, ends[1]))
                else paste0("Chance of ", lever_move(row$factor, parts[3]))
        what <- paste0(what, " (", when, if (length(parts) > 3)
            paste0(", when ", lever_condition(paste(parts[-(1:3)], collapse = ":"))), ")")
        return(list(what = what, unit = "probability"))
    }
    if (kind == "factors" && length(parts) == 3)
        return(list(what = paste0("Chance that ", nsm_label(parts[2]), " starts ",
                                  nsm_level_label(parts[2], parts[3])), unit = "probability"))
    if (kind == "events" && length(parts) == 3)
        return(list(what = nsm_label(parts[2]),
                    unit = if (parts[3] == "rate_per_year") "yearly rate" else nsm_words(parts[3])))
    # seasonality, durations: the sweep charts' phrase, and the number they name
    list(what = nsm_parameter_label(path),
         unit = if (kind == "seasonality") "seasonal multiplier" else "value")
}

# Each change of arms.csv rows `x` (one arm) as one line of text.
lever_change_lines <- function(x, manifest) {
    scen <- lapply(c(transitions = "transitions", modifiers = "modifiers", effects = "effects",
                     draws = "draws"), function(t) lever_scenario_tables(manifest, t))
    vapply(seq_len(nrow(x)), function(i) {
        op <- switch(x$operation[i], multiply = "\u00d7", set = "set to", add = "+", x$operation[i])
        t <- lever_target(x$target[i], x$operation[i], scen)
        from <- if ("from_date" %in% names(x) && !is.na(x$from_date[i]) && nzchar(x$from_date[i]))
            paste0(", from ", x$from_date[i]) else ""
        paste0(t$what, ": ", t$unit, " ", op, " ", x$value[i], from)
    }, "")
}
