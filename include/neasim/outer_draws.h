/*
** outer_draws.h: what each draw of a two-level run reduces to (summary/outer_draws.c), for
** run --outer and compare --outer, and the spread of a lever's effect over the draws.
**
** The loop over draws is sim's (outer_loop.h): these run it and keep, for every draw j, p_j of
** "occurred by" at each horizon, from `runs` replications under draw j; uncertainty.csv (outer.h)
** is written from them. Var(indicator) = E[p(1-p)] + Var(p), the law of total variance, splits
** the spread due to the parameters (between draws) from the Monte Carlo noise within a draw.
*/
#ifndef NEASIM_OUTER_DRAWS_H
#define NEASIM_OUTER_DRAWS_H

#include <stddef.h>
#include <stdint.h>

#include "neasim/accum.h"
#include "neasim/arms.h"
#include "neasim/engine.h"
#include "neasim/model.h"
#include "neasim/paired.h"
#include "neasim/summary.h"

/* What a two-level run produces: p (n_draws x n_outcomes x horizons.n, draw-major) holds p_j of
** "occurred by" at each horizon under draw j, from `runs` replications each. p is owned by the
** caller (n_draws * n_outcomes * horizons.n doubles). */
typedef struct {
    uint64_t n_draws, runs;
    nsm_horizons horizons;
    double *p;
} nsm_outer_result;

/* Run it (runs = c->runs; nsm_outer_loop); `total` receives all n_draws x runs replications (as a
** plain run would, with the draws held per block). */
nsm_status nsm_run_outer(const nsm_model *m, const nsm_run_config *c, nsm_outer_result *out,
                         nsm_accum *total, nsm_run_stats *stats, nsm_diag *diag);

/* A comparison on two levels (compare --outer): draw j runs every arm on replications
** j*runs .. (j+1)*runs - 1 with parameter draw j, so within a draw the arms share both the
** uncertain numbers and the common random numbers, and the effect of a lever under draw j is a
** paired difference. p holds P(occurred by) of arm a under draw j and se the Monte Carlo standard
** error of the paired difference arm a - baseline under draw j (0 for a = 0). close says whether
** arm a (a >= 1) is the best in draw j by less than that draw's noise: 1 when its change helps
** most of all the arms' (nsm_help by the outcome's direction; for one without, the largest in
** size; ties included) and it leads some other arm b by less than 1.96 standard errors of that
** lead in the draw (help_a - help_b, paired over the draw's runs: nsm_difference_arms, or for
** two changes of opposite signs compared by size nsm_difference_changes), else 0; NaN for every
** arm when the draw's rivals are not kept or it has fewer than 2 runs. A tie is a lead of 0,
** within the noise unless the two arms cannot differ in the draw (se 0). All three laid out
** [((j * n_arms + a) * n_outcomes + o) * horizons.n + h] (nsm_outer_slot) and owned by the caller
** (n_draws * n_arms * n_outcomes * horizons.n doubles each). */
typedef struct {
    uint64_t n_draws, runs;
    int n_arms;
    nsm_horizons horizons;
    double *p, *se, *close;
} nsm_outer_comparison;

/* Where draw j, arm a, outcome o, horizon h is in p and se. */
static inline size_t nsm_outer_slot(const nsm_model *m, const nsm_outer_comparison *r, uint64_t j,
                                    int a, int o, int h)
{
    return (((size_t)j * (size_t)r->n_arms + (size_t)a) * (size_t)m->n_outcomes + (size_t)o) *
               (size_t)r->horizons.n + (size_t)h;
}

/* How much arm a (a >= 1) helps outcome o at horizon h in draw j (nsm_help of its change, by the
** outcome's direction; for one without, the change's size), in runs: k_a - k_0 for the counts k
** behind p = k / runs. A draw's arms ran the same runs, so two arms that help alike tie exactly;
** in probabilities, k_a / runs - k_0 / runs and k_0 / runs - k_b / runs may differ in the last bit
** when k_a - k_0 = k_0 - k_b (two changes of opposite signs, compared by size), and a tie, shared
** between the two arms, went to one of them. */
double nsm_outer_draw_help(const nsm_model *m, const nsm_outer_comparison *r, uint64_t j, int a,
                           int o, int h);
/* The most any arm helps in draw j (nsm_outer_draw_help, a >= 1), and in *tied (may be NULL) how
** many arms help that much. */
double nsm_outer_draw_top(const nsm_model *m, const nsm_outer_comparison *r, uint64_t j, int o,
                          int h, int *tied);

/* Run it (runs = c->runs per draw and arm; nsm_outer_loop); acc[a] and paired[a] (a >= 1),
** allocated by the caller as for nsm_compare_run, and rivals (may be NULL: rivals.h) receive all
** n_draws x runs replications of each arm. */
nsm_status nsm_compare_outer(const nsm_model *m, const nsm_arm *arms, int n_arms,
                             const nsm_run_config *c, nsm_outer_comparison *out, nsm_accum **acc,
                             nsm_paired **paired, nsm_rivals *rivals, nsm_run_stats *stats,
                             nsm_diag *diag);
/* The same with whole scenarios as arms (compare A B ... --outer; nsm_outer_loop_models): the
** tables are laid out on models[0], which nsm_models_align made report alike with the others. */
nsm_status nsm_compare_outer_models(const nsm_model *const *models, const nsm_arm *arms,
                                    int n_arms, const nsm_run_config *c,
                                    nsm_outer_comparison *out, nsm_accum **acc,
                                    nsm_paired **paired, nsm_rivals *rivals,
                                    nsm_run_stats *stats, nsm_diag *diag);

/* The judgment spread of arm a's effect on outcome o at horizon h over the draws (a >= 1) into
** *out: nsm_judgment_of (summary.h) of the per-draw paired differences. NSM_ERR_NOMEM (and *out
** all NaN) when the draws' differences cannot be held: a status, so that no caller can take the
** NaNs for a range. */
nsm_status nsm_outer_effect(const nsm_model *m, const nsm_outer_comparison *r, int a, int o, int h,
                            nsm_judgment *out);

/* One row of uncertainty.csv (README.md) from v[j] = p_j, j < n, each from `runs` replications:
** the mean over draws; the sd between draws; the part of that not explained by Monte Carlo noise
** (parameter_sd: Var(p_j) - E[p_j (1 - p_j)] / (runs - 1), floored at 0); the Monte Carlo sd of
** one draw's p_j; GSL's quantiles (linear interpolation); parameter_sd^2 as a share of the
** indicator's variance p (1 - p) (NaN when that is 0). v is sorted in place.
** And how precisely the mean is known, counting the draws: the n draws are a sample of the
** judgments, and the runs within a draw share its numbers, so the mean's standard error is the
** sd between draws / sqrt(n) (never below the binomial one of all n x runs replications), and its
** 95% interval the Wilson interval with that precision (nsm_wilson_eff) at the t quantile of n - 1
** degrees of freedom (nsm_draws_interval, stats.h; outcomes.csv has the same at every date from
** the accumulator's integers). A binomial interval of the n x runs replications pooled as if
** independent would be too narrow for the mean over judgments when the draws differ
** (tests/cli_outer.sh measures the coverage of both). */
typedef struct {
    double probability, between_sd, parameter_sd, monte_carlo_sd;
    double q05, q50, q95;
    double parameter_share;
    double mean_se, mean_lo, mean_hi;
} nsm_outer_spread;

nsm_outer_spread nsm_outer_spread_of(double *v, size_t n, uint64_t runs);

#endif
