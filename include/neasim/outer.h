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
#include "neasim/arms.h"
#include "neasim/engine.h"
#include "neasim/paired.h"
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

/* A comparison on two levels (compare --outer): draw j runs every arm on replications
** j*runs .. (j+1)*runs - 1 with parameter draw j, so within a draw the arms share both the
** uncertain numbers and the common random numbers, and the effect of a lever under draw j is a
** paired difference. p holds P(occurred by) of arm a under draw j and se the Monte Carlo standard
** error of the paired difference arm a - baseline under draw j (0 for a = 0), both laid out
** [((j * n_arms + a) * n_outcomes + o) * horizons.n + h] and owned by the caller
** (n_draws * n_arms * n_outcomes * horizons.n doubles each). */
typedef struct {
    uint64_t n_draws, runs;
    int n_arms;
    nsm_horizons horizons;
    double *p, *se;
} nsm_outer_comparison;

/* Run it (runs = c->runs per draw and arm); acc[a] and paired[a] (a >= 1), allocated by the
** caller as for nsm_compare_run, receive all n_draws x runs replications of each arm. */
nsm_status nsm_compare_outer(const nsm_model *m, const nsm_arm *arms, int n_arms,
                             const nsm_run_config *c, nsm_outer_comparison *out, nsm_accum **acc,
                             nsm_paired **paired, nsm_run_stats *stats, nsm_diag *diag);

/* Write uncertainty.csv for every arm of a comparison on two levels: run's columns (as
** nsm_outer_write) after a leading `arm` column (names[a], arms[0] the baseline), the arms in
** order. The baseline's rows equal those of run --outer with the same seed, runs and draws. */
nsm_status nsm_outer_write_arms(const char *dir, const nsm_model *m,
                                const nsm_outer_comparison *r, const char *const *names,
                                const nsm_write_options *opt, nsm_diag *diag);

/* The judgment spread of arm a's effect on outcome o at horizon h over the draws (a >= 1):
** nsm_judgment_of (summary.h) of the per-draw paired differences. Every field is NaN when out of
** memory (q50 is never NaN otherwise, for n_draws >= 1). */
nsm_judgment nsm_outer_effect(const nsm_model *m, const nsm_outer_comparison *r, int a, int o,
                              int h);

#endif
