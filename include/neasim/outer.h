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
#include "neasim/results.h"
#include "neasim/summary.h"

/* What a two-level run produces: p (n_draws x n_outcomes x horizons.n, draw-major) holds p_j of
** "occurred by" at each horizon under draw j, from `runs` replications each. p is owned by the
** caller (n_draws * n_outcomes * horizons.n doubles). */
typedef struct {
    uint64_t n_draws, runs;
    nsm_horizons horizons;
    double *p;
} nsm_outer_result;

/* Run it (runs = c->runs); `total` receives all n_draws x runs replications (as a plain run
** would, with the draws held per block). */
nsm_status nsm_run_outer(const nsm_model *m, const nsm_run_config *c, nsm_outer_result *out,
                         nsm_accum *total, nsm_run_stats *stats, nsm_diag *diag);

/* Write uncertainty.csv (schema in README.md). */
nsm_status nsm_outer_write(const char *dir, const nsm_model *m, const nsm_outer_result *r,
                           const nsm_write_options *opt, nsm_diag *diag);

#endif
