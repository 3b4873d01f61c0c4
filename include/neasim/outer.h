/*
** outer.h: a two-level run that separates parameter uncertainty from the process's own randomness.
**
** n_draws draws of the scenario's uncertain numbers, each followed by `runs` replications with
** those numbers fixed. For every outcome and horizon the probability p_j under draw j gives the
** spread due to the parameters (between draws) apart from the Monte Carlo noise within a draw:
** Var(indicator) = E[p(1-p)] + Var(p), the law of total variance.
*/
#ifndef NEASIM_OUTER_H
#define NEASIM_OUTER_H

#include "neasim/accum.h"
#include "neasim/engine.h"

/* Run it; `total` receives all n_draws x runs replications (as a plain run would, with the draws
** held per block). p (n_draws x n_outcomes x n_h, draw-major) receives p_j of "occurred by" at the
** report indices idx[0..n_h-1]. */
nsm_status nsm_run_outer(const nsm_model *m, const nsm_run_config *c, uint64_t n_draws,
                         const int *idx, int n_h, nsm_accum *total, double *p,
                         nsm_run_stats *stats, nsm_diag *diag);

/* Write uncertainty.csv (schema in README.md). */
nsm_status nsm_outer_write(const char *dir, const nsm_model *m, const double *p, uint64_t n_draws,
                           uint64_t runs, const int *idx, const double *years, int n_h, int bom,
                           nsm_diag *diag);

#endif
