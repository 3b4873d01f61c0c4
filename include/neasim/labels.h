/*
** labels.h: labels.csv, the names of a scenario for people (output/labels.c).
**
** One lookup table rather than label columns in every tidy table: the tidy tables stay keyed by
** the stable names (R code and pivot tables that filter on `outcome == "usfk_reduced"` keep
** working when a label is reworded), and one small table joins onto any of them (R: merge();
** a spreadsheet: XLOOKUP on `name`). The schema is in README.md ("labels.csv").
*/
#ifndef NEASIM_LABELS_H
#define NEASIM_LABELS_H

#include "neasim/model.h"
#include "neasim/results.h"
#include "neasim/status.h"

/* "lower", "higher" or "none". */
const char *nsm_desirable_name(nsm_desirable d);

/* Write dir/labels.csv: one row per scenario, factor, level, counted event, outcome, lever and
** draw. The scenarios are the n_scenarios models compared (compare A B ...: their names and
** labels, which the arms carry), else m alone. */
nsm_status nsm_labels_write(const char *dir, const nsm_model *m,
                            const nsm_model *const *scenarios, int n_scenarios,
                            const nsm_write_options *opt, nsm_diag *diag);

#endif
