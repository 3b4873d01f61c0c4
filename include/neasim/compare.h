/*
** compare.h: the tables of a comparison (output/compare.c). The arms are simulated by
** nsm_compare_run (paired.h); their differences are computed in summary.h.
*/
#ifndef NEASIM_COMPARE_H
#define NEASIM_COMPARE_H

#include "neasim/accum.h"
#include "neasim/arms.h"
#include "neasim/engine.h"
#include "neasim/paired.h"
#include "neasim/summary.h"

/* Write differences.csv, briefing.csv and arms.csv of a comparison into dir. */
nsm_status nsm_compare_write(const char *dir, const nsm_model *m, const nsm_arm *arms, int n_arms,
                             const nsm_accum *const *acc, nsm_paired *const *paired,
                             const double *horizons, int n_horizons, int bom, nsm_diag *diag);

#endif
