/*
** test_uncertain.c: numbers written as distributions. With lambda ~ uniform(1, 3) on the only
** move a -> b, P(moved by t) = E[1 - exp(-lambda t)] = 1 - (exp(-t) - exp(-3t)) / (2t) when lambda
** is drawn per replication, 1 - exp(-2t) at the mean, and the spread of p over draws is
** sd(exp(-lambda t)) with E[exp(-c lambda)] = (exp(-c) - exp(-3c)) / (2c).
*/
#include "nsm_test.h"
#include "nsm_model_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neasim/compare.h"
#include "neasim/engine.h"
#include "neasim/outer.h"
#include "neasim/outer_loop.h"
#include "neasim/scenario.h"

static double e_exp(double c) /* E[exp(-c lambda)], lambda ~ U(1, 3) */
{
    return (exp(-c) - exp(-3 * c)) / (2 * c);
}

static double occurred(const nsm_model *m, const nsm_accum *a, int i)
{
    int64_t *s = calloc((size_t)m->n_reports + 1, sizeof *s), cum = 0;
    nsm_accum_outcome_first_series(a, 0, s);
    for (int j = 0; j <= i; j++)
        cum += s[j];
    free(s);
    return (double)cum / (double)nsm_accum_runs(a);
}

static void test_per_run_and_nominal(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("uncertain");
    assert_int_equal(m->n_uncertain, 1);
    assert_string_equal(m->uncertain[0].path, "transitions:f:a>b");
    assert_true(fabs(m->transitions[0].rate - 2.0) < 1e-12); /* the model holds the mean */
    const uint64_t n = 100000;
    for (int mode = 0; mode < 2; mode++) {
        nsm_accum *a = nsm_accum_alloc(m);
        nsm_run_config c = {21, n, 0, 2, NULL, NULL, NULL,
                            mode ? NSM_UNCERTAINTY_PER_RUN : NSM_UNCERTAINTY_NOMINAL, 0, 0};
        assert_int_equal(nsm_run(m, &c, a, NULL, NULL), NSM_OK);
        for (int i = 1; i < m->n_reports; i += 6) {
            double t = nsm_years(m->report_t[i]), p = mode ? 1 - e_exp(t) : 1 - exp(-2 * t);
            nsm_test_check_mean(mode ? "per-run draws" : "nominal", occurred(m, a, i), p,
                  sqrt(p * (1 - p) / (double)n));
        }
        nsm_accum_free(a);
    }
    nsm_model_free(m);
}

/* Two levels: 200 draws x 2000 runs. The mean of p_j and its spread over the draws match the
** closed forms; the spread's standard error is about sd / sqrt(2 (draws - 1)). */
static void test_outer_draws(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("uncertain");
    const uint64_t draws = 200, runs = 2000;
    double *p = calloc(draws, sizeof *p);
    nsm_outer_result r = {draws, 0, {1, {12}, {1.0}}, p}; /* one horizon: report 12 */
    nsm_accum *total = nsm_accum_alloc(m);
    nsm_run_config c = {22, runs, 0, 2, NULL, NULL, NULL, NSM_UNCERTAINTY_OUTER, runs, 0};
    assert_int_equal(nsm_run_outer(m, &c, &r, total, NULL, NULL), NSM_OK);
    assert_int_equal(r.runs, runs);
    assert_int_equal(nsm_accum_runs(total), draws * runs);
    double t = nsm_years(m->report_t[12]), mean = 0, var = 0;
    for (uint64_t j = 0; j < draws; j++)
        mean += p[j] / (double)draws;
    for (uint64_t j = 0; j < draws; j++)
        var += (p[j] - mean) * (p[j] - mean) / (double)(draws - 1);
    double sd_exact = sqrt(e_exp(2 * t) - e_exp(t) * e_exp(t));
    double mc = (1 - e_exp(t)) * e_exp(t) / (double)runs; /* noise of each p_j, about */
    nsm_test_check_mean("mean over draws", mean, 1 - e_exp(t), sqrt((sd_exact * sd_exact + mc) / (double)draws));
    double sd = sqrt(var - mc);
    nsm_test_check_mean("parameter sd", sd, sd_exact, sd_exact / sqrt(2.0 * (double)(draws - 1)));
    nsm_accum_free(total);
    free(p);
    nsm_model_free(m);
}

/* What the outer loop tells its caller: each draw once, with `runs` replications of its own, and
** (a plain run) no paired accumulators; the totals are the same replications run at once. One
** thread runs the draws one after another, two run them side by side (8 draws >= 4 a thread). */
typedef struct {
    uint64_t calls[8], runs[8];
    int paired_seen;
} told;

static int tell(void *ctx, uint64_t j, const nsm_accum *const *acc,
                const nsm_paired *const *paired, const nsm_rivals *rivals)
{
    told *t = ctx;
#pragma omp critical(test_tell)
    {
        t->calls[j]++;
        t->runs[j] = nsm_accum_runs(acc[0]);
        t->paired_seen |= paired != NULL || rivals != NULL;
    }
    return 0;
}

static void test_outer_loop_tells_each_draw(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("uncertain");
    const uint64_t draws = 8, runs = 300;
    nsm_accum *once = nsm_accum_alloc(m);
    nsm_run_config all = {24, draws * runs, 0, 1, NULL, NULL, NULL, NSM_UNCERTAINTY_OUTER, runs, 0};
    assert_int_equal(nsm_run(m, &all, once, NULL, NULL), NSM_OK);
    int64_t *want = calloc((size_t)m->n_reports + 1, sizeof *want);
    int64_t *got = calloc((size_t)m->n_reports + 1, sizeof *got);
    nsm_occurred_by(m, once, 0, want);
    for (int threads = 1; threads <= 2; threads++) {
        told t = {{0}, {0}, 0};
        const nsm_outer_draws d = {draws, tell, &t};
        nsm_accum *total = nsm_accum_alloc(m);
        nsm_run_config c = {24, runs, 0, threads, NULL, NULL, NULL, NSM_UNCERTAINTY_NOMINAL, 0, 0};
        nsm_run_stats rs = {0, 0, 0, 0.0};
        assert_int_equal(nsm_outer_loop(m, NULL, 1, &c, &d, &total, NULL, NULL, &rs, NULL), NSM_OK);
        for (uint64_t j = 0; j < draws; j++) {
            assert_int_equal(t.calls[j], 1);
            assert_int_equal(t.runs[j], runs);
        }
        assert_false(t.paired_seen);
        assert_int_equal(rs.threads, threads);
        assert_int_equal(nsm_accum_runs(total), draws * runs);
        nsm_occurred_by(m, total, 0, got);
        assert_memory_equal(got, want, ((size_t)m->n_reports + 1) * sizeof *got);
        nsm_accum_free(total);
    }
    free(want);
    free(got);
    nsm_accum_free(once);
    nsm_model_free(m);
}

/* Arms see the same draws: a null lever still gives exactly zero, and doubling the drawn hazard
** gives E[exp(-lambda t) - exp(-2 lambda t)] on common draws. */
static void test_arms_share_draws(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("uncertain");
    nsm_arm *arms;
    int n;
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_arms_build(m, "null,double", 0, "uncertain", &arms, &n, &d), NSM_OK);
    nsm_accum *acc[3];
    nsm_paired *pr[3] = {NULL, nsm_paired_alloc(m), nsm_paired_alloc(m)};
    for (int a = 0; a < 3; a++)
        acc[a] = nsm_accum_alloc(m);
    const uint64_t runs = 50000;
    nsm_run_config c = {23, runs, 0, 2, NULL, NULL, NULL, NSM_UNCERTAINTY_PER_RUN, 0, 0};
    assert_int_equal(nsm_compare_run(m, arms, n, &c, acc, pr, NULL, &d), NSM_OK);
    for (int i = 0; i < m->n_reports; i++) {
        nsm_difference z = nsm_difference_outcome(m, acc[0], acc[1], pr[1], 0, 1, i);
        assert_true(z.diff == 0.0 && z.se == 0.0);
    }
    double t = nsm_years(m->report_t[12]);
    nsm_difference dd = nsm_difference_outcome(m, acc[0], acc[2], pr[2], 0, 1, 12);
    nsm_test_check_mean("doubled hazard", dd.diff, e_exp(t) - e_exp(2 * t), dd.se);
    for (int a = 0; a < 3; a++) {
        nsm_accum_free(acc[a]);
        nsm_paired_free(pr[a]);
    }
    nsm_arms_free(arms, n);
    nsm_diag_release(&d);
    nsm_model_free(m);
}

/* ---- a seasonal row of several months: one number, drawn once (issue 12) ----
** Models season_joint and season_apart: a counted event at 1 a day (365 a year), nothing outside
** March and April, multiplier m ~ uniform(1,3) there: one row `3-4` (one draw a replication) or two
** rows `3` and `4` (two independent draws). */

typedef struct {
    double t3, t4, t5; /* the starts of March, April and May */
    int64_t march, april;
} month_counts;

static void count_months(void *ctx, const nsm_seen *w)
{
    month_counts *c = ctx;
    if (w->kind != NSM_SEEN_EVENT)
        return;
    c->march += w->t >= c->t3 && w->t < c->t4;
    c->april += w->t >= c->t4 && w->t < c->t5;
}

/* Replications 0..reps-1 with per-run draws, one at a time: each one's March and April counts. */
static void month_counts_of(const char *model, uint64_t reps, uint64_t seed, int64_t *n3,
                            int64_t *n4)
{
    nsm_model *m = nsm_test_load(model);
    nsm_sim *s = nsm_sim_alloc(m);
    nsm_accum *a = nsm_accum_alloc(m);
    assert_true(s && a);
    month_counts c = {m->month_t[2], m->month_t[3], m->month_t[4], 0, 0}; /* from 1 January */
    nsm_sim_set_observer(s, count_months, &c);
    assert_int_equal(nsm_sim_set_uncertainty(s, NSM_UNCERTAINTY_PER_RUN, 1), NSM_OK);
    for (uint64_t r = 0; r < reps; r++) {
        c.march = c.april = 0;
        assert_int_equal(nsm_sim_replicate(s, seed, r, a, NULL), NSM_OK);
        n3[r] = c.march;
        n4[r] = c.april;
    }
    nsm_accum_free(a);
    nsm_sim_free(s);
    nsm_model_free(m);
}

/* Given the multiplier m of a replication, its March and April counts are Poisson(31 m) and
** Poisson(30 m), so given their total n, March's count is binomial(n, 31/61) whatever m is, when
** both months share m. With one draw every replication's z = (n3 - n p) / sqrt(n p (1 - p)) is
** within 5 of 0 and the mean of z^2 is 1 (standard error sqrt(2 / reps)); with a draw per month the
** months' multipliers differ by 0.67 on average and z^2 averages about 5. */
static double mean_z2(const int64_t *n3, const int64_t *n4, uint64_t reps, double *max_z)
{
    const double p = 31.0 / 61.0;
    double sum = 0;
    *max_z = 0;
    for (uint64_t r = 0; r < reps; r++) {
        double n = (double)(n3[r] + n4[r]), z = ((double)n3[r] - n * p) / sqrt(n * p * (1 - p));
        sum += z * z;
        *max_z = fmax(*max_z, fabs(z));
    }
    return sum / (double)reps;
}

static void test_season_months_share_a_draw(void **state)
{
    (void)state;
    const uint64_t reps = 400;
    int64_t *n3 = calloc(reps, sizeof *n3), *n4 = calloc(reps, sizeof *n4);
    double max_z;
    month_counts_of("season_joint", reps, 31, n3, n4);
    double joint = mean_z2(n3, n4, reps, &max_z);
    if (max_z > 5)
        fail_msg("a replication's March and April counts are %.1f sd apart for one multiplier", max_z);
    nsm_test_check_mean("one draw: mean z^2", joint, 1.0, sqrt(2.0 / (double)reps));
    month_counts_of("season_apart", reps, 31, n3, n4);
    double apart = mean_z2(n3, n4, reps, &max_z);
    if (!(apart > 1 + 10 * sqrt(2.0 / (double)reps)))
        fail_msg("two draws: mean z^2 %.3f, not above one draw's 1 by 10 standard errors", apart);
    free(n3);
    free(n4);
}

/* N = March + April count is mixed Poisson: Var N = E N + Var(m) (r 61/365)^2 with r = 365 and
** Var(m) = 1/3, so 122 + 3721/3 = 1362.3 for one draw, and 122 + (31^2 + 30^2)/3 = 742.3 for
** independent draws of the two months. The sample variance's standard error is
** sqrt((mu4 - s^4) / reps), mu4 the sample's fourth central moment. */
static void sample_var(const int64_t *n3, const int64_t *n4, uint64_t reps, double *var, double *se)
{
    double mean = 0, m2 = 0, m4 = 0;
    for (uint64_t r = 0; r < reps; r++)
        mean += (double)(n3[r] + n4[r]) / (double)reps;
    for (uint64_t r = 0; r < reps; r++) {
        double e = (double)(n3[r] + n4[r]) - mean;
        m2 += e * e / (double)reps;
        m4 += e * e * e * e / (double)reps;
    }
    *var = m2 * (double)reps / (double)(reps - 1);
    *se = sqrt((m4 - m2 * m2) / (double)reps);
}

static void test_season_joint_draw_variance(void **state)
{
    (void)state;
    const uint64_t reps = 20000;
    const double mean_n = 61.0 * 2.0, one = mean_n + 61.0 * 61.0 / 3.0,
                 two = mean_n + (31.0 * 31.0 + 30.0 * 30.0) / 3.0;
    int64_t *n3 = calloc(reps, sizeof *n3), *n4 = calloc(reps, sizeof *n4);
    double var, se;
    month_counts_of("season_joint", reps, 32, n3, n4);
    sample_var(n3, n4, reps, &var, &se);
    nsm_test_check_mean("one draw for March-April: Var N", var, one, se);
    if (!(fabs(var - two) > 10 * se))
        fail_msg("one draw: Var N %.1f is within 10 standard errors (%.1f) of two draws' %.1f", var,
                 se, two);
    month_counts_of("season_apart", reps, 32, n3, n4);
    sample_var(n3, n4, reps, &var, &se);
    nsm_test_check_mean("a draw for each month: Var N", var, two, se);
    free(n3);
    free(n4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_per_run_and_nominal),
        cmocka_unit_test(test_outer_draws),
        cmocka_unit_test(test_outer_loop_tells_each_draw),
        cmocka_unit_test(test_arms_share_draws),
        cmocka_unit_test(test_season_months_share_a_draw),
        cmocka_unit_test(test_season_joint_draw_variance),
    };
    return cmocka_run_group_tests_name("uncertain", tests, NULL, NULL);
}
