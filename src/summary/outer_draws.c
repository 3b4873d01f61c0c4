/*
** outer_draws.c: what each draw of a two-level run reduces to (outer_draws.h). sim/outer_loop.c
** runs the draws and hands up each one's accumulators; these keep only its probabilities (and a
** comparison's paired standard errors, and which arms are the best by less than the draw's
** noise, from the draw's rivals) at the horizons, in draw j's own slots, so draws that run side
** by side on several threads never write the same memory.
*/
#include "neasim/outer_draws.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>

#include "neasim/briefing.h"
#include "neasim/outer_loop.h"
#include "neasim/stats.h"

typedef struct {
    const nsm_model *m;
    nsm_outer_result *r;
} run_ctx;

/* Draw j of run --outer: P(occurred by) at each horizon. */
static int record_run(void *ctx, uint64_t j, const nsm_accum *const *acc,
                      const nsm_paired *const *paired, const nsm_rivals *rivals)
{
    (void)paired;
    (void)rivals;
    const run_ctx *rc = ctx;
    const nsm_horizons *hz = &rc->r->horizons;
    const int n_h = hz->n;
    double *p = rc->r->p + j * (uint64_t)(rc->m->n_outcomes * n_h);
    int64_t *series = malloc(((size_t)rc->m->n_reports + 1) * sizeof *series);
    if (!series)
        return -1;
    for (int o = 0; o < rc->m->n_outcomes; o++) {
        nsm_occurred_by(rc->m, acc[0], o, series);
        for (int h = 0; h < n_h; h++)
            p[o * n_h + h] = (double)series[hz->idx[h]] / (double)rc->r->runs;
    }
    free(series);
    return 0;
}

nsm_status nsm_run_outer(const nsm_model *m, const nsm_run_config *c, nsm_outer_result *out,
                         nsm_accum *total, nsm_run_stats *stats, nsm_diag *diag)
{
    run_ctx ctx = {m, out};
    const nsm_outer_draws draws = {out->n_draws, record_run, &ctx};
    out->runs = c->runs;
    return nsm_outer_loop(m, NULL, 1, c, &draws, &total, NULL, NULL, stats, diag);
}

typedef struct {
    const nsm_model *m;
    nsm_outer_comparison *r;
} compare_ctx;

/* The standard error of arm a's lead over arm b in one draw on outcome o at horizon h (report
** i), whose changes are da and db: paired over the draw's runs, as the difference of the two
** changes when they help by the same sign, as their sum when two changes of opposite signs are
** compared by size (an outcome without a direction). */
static double lead_se(const nsm_accum *const *acc, const nsm_paired *const *paired,
                      const nsm_rivals *rv, int a, int b, int o, int h, int i, double da,
                      double db, nsm_desirable dir)
{
    if (dir != NSM_DESIRABLE_NONE || (da < 0) == (db < 0))
        return nsm_difference_arms(acc[0], acc[a], acc[b], paired[a], paired[b],
                                   nsm_rivals_both(rv, a, b, o, h), o, i, NULL).se;
    return nsm_difference_changes(acc[0], acc[a], acc[b], nsm_rivals_both(rv, a, b, o, h),
                                  nsm_rivals_both(rv, 0, a, o, h), nsm_rivals_both(rv, 0, b, o, h),
                                  o, i).se;
}

double nsm_outer_draw_help(const nsm_model *m, const nsm_outer_comparison *r, uint64_t j, int a,
                           int o, int h)
{
    double runs = (double)r->runs; /* p = k / runs, so p x runs rounds to k exactly */
    return nsm_help(round(r->p[nsm_outer_slot(m, r, j, a, o, h)] * runs) -
                        round(r->p[nsm_outer_slot(m, r, j, 0, o, h)] * runs),
                    m->outcomes[o].desirable);
}

double nsm_outer_draw_top(const nsm_model *m, const nsm_outer_comparison *r, uint64_t j, int o,
                          int h, int *tied)
{
    double top = -INFINITY;
    int n = 0;
    for (int a = 1; a < r->n_arms; a++) {
        double help = nsm_outer_draw_help(m, r, j, a, o, h); /* in runs: a tie is exact */
        n = help > top ? 1 : help == top ? n + 1 : n;
        top = help > top ? help : top;
    }
    if (tied)
        *tied = n;
    return top;
}

/* Draw j's close (outer_draws.h) on outcome o at horizon h: the arms at the top, each 1 when it
** leads some other arm by less than 1.96 standard errors of that lead; the others 0. Helps and
** leads in runs (nsm_outer_draw_help), standard errors in probability. */
static void record_close(const nsm_model *m, nsm_outer_comparison *r, uint64_t j,
                         const nsm_accum *const *acc, const nsm_paired *const *paired,
                         const nsm_rivals *rv, int o, int h)
{
    const nsm_desirable dir = m->outcomes[o].desirable;
    const double z = gsl_cdf_ugaussian_Pinv(0.975), runs = (double)r->runs;
    const int i = r->horizons.idx[h];
    const double top = nsm_outer_draw_top(m, r, j, o, h, NULL);
    const double base = r->p[nsm_outer_slot(m, r, j, 0, o, h)];
    for (int a = 1; a < r->n_arms; a++) {
        double da = r->p[nsm_outer_slot(m, r, j, a, o, h)] - base;
        int close = 0, at_top = nsm_outer_draw_help(m, r, j, a, o, h) == top;
        for (int b = 1; at_top && !close && b < r->n_arms; b++) {
            double db = r->p[nsm_outer_slot(m, r, j, b, o, h)] - base;
            close = b != a && top - nsm_outer_draw_help(m, r, j, b, o, h) <
                                  z * runs * lead_se(acc, paired, rv, a, b, o, h, i, da, db, dir);
        }
        r->close[nsm_outer_slot(m, r, j, a, o, h)] = close;
    }
    r->close[nsm_outer_slot(m, r, j, 0, o, h)] = 0; /* the baseline is never a lever */
}

/* Draw j of compare --outer: every arm's P(occurred by) at each horizon, the standard error of
** its paired difference from the baseline, and whether it is the best by less than the noise. */
static int record_compare(void *ctx, uint64_t j, const nsm_accum *const *acc,
                          const nsm_paired *const *paired, const nsm_rivals *rivals)
{
    const compare_ctx *cc = ctx;
    const nsm_model *m = cc->m;
    nsm_outer_comparison *r = cc->r;
    const nsm_horizons *hz = &r->horizons;
    nsm_difference *d = malloc(((size_t)m->n_reports + 1) * sizeof *d);
    int64_t *series = malloc(((size_t)m->n_reports + 1) * sizeof *series);
    int failed = !d || !series;
    for (int o = 0; !failed && o < m->n_outcomes; o++) {
        nsm_occurred_by(m, acc[0], o, series);
        for (int h = 0; h < hz->n; h++) {
            r->p[nsm_outer_slot(m, r, j, 0, o, h)] = (double)series[hz->idx[h]] / (double)r->runs;
            r->se[nsm_outer_slot(m, r, j, 0, o, h)] = 0;
        }
        for (int a = 1; !failed && a < r->n_arms; a++) {
            failed = nsm_difference_series(m, acc[0], acc[a], paired[a], o, 1, d) != 0;
            for (int h = 0; !failed && h < hz->n; h++) {
                r->p[nsm_outer_slot(m, r, j, a, o, h)] = d[hz->idx[h]].arm;
                r->se[nsm_outer_slot(m, r, j, a, o, h)] = d[hz->idx[h]].se;
            }
        }
        for (int h = 0; !failed && r->close && h < hz->n; h++)
            if (rivals && r->runs >= 2)
                record_close(m, r, j, acc, paired, rivals, o, h);
            else
                for (int a = 0; a < r->n_arms; a++)
                    r->close[nsm_outer_slot(m, r, j, a, o, h)] = NAN;
    }
    free(d);
    free(series);
    return failed ? -1 : 0;
}

/* Both comparisons: the levers of m (models NULL), or whole scenarios (m is models[0]). */
static nsm_status compare_outer(const nsm_model *m, const nsm_model *const *models,
                                const nsm_arm *arms, int n_arms, const nsm_run_config *c,
                                nsm_outer_comparison *out, nsm_accum **acc, nsm_paired **paired,
                                nsm_rivals *rivals, nsm_run_stats *stats, nsm_diag *diag)
{
    compare_ctx ctx = {m, out};
    const nsm_outer_draws draws = {out->n_draws, record_compare, &ctx};
    out->runs = c->runs;
    out->n_arms = n_arms;
    return models ? nsm_outer_loop_models(models, arms, n_arms, c, &draws, acc, paired, rivals,
                                          stats, diag)
                  : nsm_outer_loop(m, arms, n_arms, c, &draws, acc, paired, rivals, stats, diag);
}

nsm_status nsm_compare_outer(const nsm_model *m, const nsm_arm *arms, int n_arms,
                             const nsm_run_config *c, nsm_outer_comparison *out, nsm_accum **acc,
                             nsm_paired **paired, nsm_rivals *rivals, nsm_run_stats *stats,
                             nsm_diag *diag)
{
    return compare_outer(m, NULL, arms, n_arms, c, out, acc, paired, rivals, stats, diag);
}

nsm_status nsm_compare_outer_models(const nsm_model *const *models, const nsm_arm *arms,
                                    int n_arms, const nsm_run_config *c,
                                    nsm_outer_comparison *out, nsm_accum **acc,
                                    nsm_paired **paired, nsm_rivals *rivals,
                                    nsm_run_stats *stats, nsm_diag *diag)
{
    return compare_outer(models[0], models, arms, n_arms, c, out, acc, paired, rivals, stats,
                         diag);
}

nsm_status nsm_outer_effect(const nsm_model *m, const nsm_outer_comparison *r, int a, int o, int h,
                            nsm_judgment *out)
{
    double *v = malloc(((size_t)r->n_draws + 1) * 2 * sizeof *v);
    if (!v) {
        *out = (nsm_judgment){NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN};
        return NSM_ERR_NOMEM;
    }
    double *se = v + r->n_draws + 1;
    for (uint64_t j = 0; j < r->n_draws; j++) {
        v[j] = r->p[nsm_outer_slot(m, r, j, a, o, h)] - r->p[nsm_outer_slot(m, r, j, 0, o, h)];
        se[j] = r->se[nsm_outer_slot(m, r, j, a, o, h)];
    }
    *out = nsm_judgment_of(v, se, (size_t)r->n_draws);
    free(v);
    return NSM_OK;
}

/* Quantile of sorted values (GSL's linear interpolation). */
static double quantile(const double *sorted, size_t n, double q)
{
    return gsl_stats_quantile_from_sorted_data(sorted, 1, n, q);
}

nsm_outer_spread nsm_outer_spread_of(double *v, size_t n, uint64_t runs)
{
    double mean = gsl_stats_mean(v, 1, n), between = n > 1 ? gsl_stats_variance(v, 1, n) : 0;
    double within = 0; /* E[p(1-p)] with the binomial noise of p_j removed: x runs/(runs-1) */
    for (size_t j = 0; j < n; j++)
        within += v[j] * (1 - v[j]) / (double)n * (double)runs / (double)(runs - 1);
    double param = between - within / (double)runs; /* Var(p_j) minus its Monte Carlo part */
    param = param > 0 ? param : 0;
    double total = mean * (1 - mean);
    nsm_proportion w = nsm_draws_interval(mean, between, n, runs);
    gsl_sort(v, 1, n);
    return (nsm_outer_spread){mean,
                              sqrt(between),
                              sqrt(param),
                              sqrt(within / (double)runs),
                              quantile(v, n, 0.05),
                              quantile(v, n, 0.5),
                              quantile(v, n, 0.95),
                              total > 0 ? param / total : (double)NAN,
                              w.se,
                              w.lo,
                              w.hi};
}
