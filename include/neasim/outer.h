/*
** outer.h: uncertainty.csv, the table of a two-level run (output/outer.c), for run --outer and for
** every arm of compare --outer. The draws are run and reduced in outer_draws.h (over the loop of
** outer_loop.h); each row's statistics are nsm_outer_spread_of's.
*/
#ifndef NEASIM_OUTER_H
#define NEASIM_OUTER_H

#include "neasim/model.h"
#include "neasim/outer_draws.h"
#include "neasim/results.h"
#include "neasim/status.h"

/* Write uncertainty.csv (schema in README.md). */
nsm_status nsm_outer_write(const char *dir, const nsm_model *m, const nsm_outer_result *r,
                           const nsm_write_options *opt, nsm_diag *diag);

/* Write uncertainty.csv for every arm of a comparison on two levels: run's columns (as
** nsm_outer_write) after a leading `arm` column (names[a], arms[0] the baseline), the arms in
** order. The baseline's rows equal those of run --outer with the same seed, runs and draws. */
nsm_status nsm_outer_write_arms(const char *dir, const nsm_model *m,
                                const nsm_outer_comparison *r, const char *const *names,
                                const nsm_write_options *opt, nsm_diag *diag);

#endif
