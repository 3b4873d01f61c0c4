# What a lever changes, in words, for the brief's table "What each lever changes": each row of
# arms.csv as "what it changes: its number's unit, the operation and the value" ("ROK nuclear
# debate: mainstream debate -> pursuing latency or weapons: yearly rate x 0.7"), then its from
# date. The sentence is arms.csv's column `changes`, written by neasim from the resolved model
# (src/model/lever_text.c: the scenario's labels, a modifier's target and condition, an effect's
# trigger and action, a transition's unit), so the brief reads nothing of the scenario's own
# files and says the same for a variant that extends a base and for a folder moved away from its
# scenario.
#
# A folder written before arms.csv had `changes` gets the parameter path in words
# (nsm_parameter_label, the sweep charts' phrase) with the operation and the value but no unit:
# the brief no longer re-reads the scenario's tables to say more (that duplicated the C reader,
# `extends` and all, and failed when the folder had moved). Run the comparison again for the
# full sentences.

# Each change of arms.csv rows `x` (one arm) as one line of text.
lever_change_lines <- function(x) {
    from <- if ("from_date" %in% names(x))
        ifelse(!is.na(x$from_date) & nzchar(x$from_date), paste0(", from ", x$from_date), "")
    else rep("", nrow(x))
    changes <- if ("changes" %in% names(x)) x$changes else rep(NA_character_, nrow(x))
    old <- is.na(changes) | !nzchar(changes)
    if (any(old)) {
        op <- ifelse(x$operation == "multiply", "\u00d7",
                     ifelse(x$operation == "set", "set to", x$operation))
        changes[old] <- paste0(nsm_parameter_label(x$target[old]), ": ", op[old], " ",
                               x$value[old])
    }
    paste0(changes, from)
}
