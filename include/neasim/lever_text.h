/*
** lever_text.h: what a row of levers.csv changes, in words (model/lever_text.c): the column
** `changes` of arms.csv, from which the brief's table "What each lever changes" is made.
**
** The sentence is built from the resolved model alone (its labels, the rows a path names, their
** units), so that it reads the same for a scenario that extends a base, for a row named by its
** number in a patched table, and wherever the results folder has been moved.
*/
#ifndef NEASIM_LEVER_TEXT_H
#define NEASIM_LEVER_TEXT_H

#include <stddef.h>

#include "neasim/model.h"

/* What lever row lr of m changes, then that number's unit, the operation and the value:
** "ROK nuclear debate: mainstream debate → pursuing latency or weapons: yearly rate × 0.7",
** "Washington: transactional → alliance first: annual probability set to 0.2", "MODIFIER'S LABEL:
** multiplier set to 2.5", "Chance that an occurrence of E sets off the D: probability set to
** 0.8". Names are the scenario's labels; a name without one is put in words (underscores as
** spaces, a factor's or an event's first letter a capital). The value is written as arms.csv's
** `value` cell (%.10g). Its from_date is not part of it (arms.csv has its own column).
** Into buf (size n), always terminated; a sentence longer than n - 1 bytes is cut there
** (text.h). Allocates nothing. */
void nsm_lever_row_text(const nsm_model *m, const nsm_lever_row *lr, char *buf, size_t n);

#endif
