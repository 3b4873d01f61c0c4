/*
** test_draws.c: accumulators of the draws of a two-level run (accum.h, paired.h: nsm_accum_add_draw,
** nsm_paired_add_draw) and the intervals made from them (stats.h: nsm_draws_proportion,
** nsm_draws_mean_se). The spread between draws that an accumulator of draws reports for every
** series cell equals the one computed here directly from each draw's own accumulator (levels,
** outcomes held and occurred, an event's period, year and cumulative sums; a paired difference's
** held, occurred and cumulative count); it comes back exactly through partial results, split
** across parts in any way; and the interval it gives is R's (qt, Wilson with Kish's effective n).
*/
#include "nsm_test.h"
#include "nsm_model_test.h"
#include "nsm_part_test.h"

#include <math.h>
#include <stdlib.h>

#include "neasim/paired.h"
#include "neasim/partial.h"
#include "neasim/stats.h"
#include "neasim/summary.h"

enum { DRAWS = 6, RUNS = 150 };

static nsm_part_head head(uint32_t shard, uint32_t n_shards)
{
    static char kind[] = "run", version[] = "test", sum[] = "abc", where[] = "/nowhere",
                options[] = "";
    nsm_part_head h = {kind, version, sum, where, options, 7, shard, n_shards, 0, 1};
    return h;
}

/* Draw j: replications j * RUNS .. (j + 1) * RUNS - 1 of m (judgment drawn per replication: the
** accumulator does not care what the replications share). */
static nsm_accum *draw(const nsm_model *m, int j)
{
    nsm_accum *a = nsm_accum_alloc(m);
    nsm_run_config rc = {17, RUNS, (uint64_t)j * RUNS, 1, NULL, NULL, NULL,
                         NSM_UNCERTAINTY_PER_RUN, 0, 0};
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_run(m, &rc, a, NULL, &d), NSM_OK);
    nsm_diag_release(&d);
    return a;
}

/* The series (kind, k) of one accumulator at column i, through the readers the writers use. */
static int64_t value(const nsm_model *m, const nsm_accum *a, nsm_series_kind kind, int k, int i)
{
    size_t n = (size_t)m->n_reports + 1;
    int64_t *s = calloc(n, sizeof *s), v = 0, nv = 0;
    int64_t *h = kind >= NSM_SERIES_PERIOD
                     ? calloc((size_t)nsm_accum_event_max_count(a, k) + 1, sizeof *h)
                     : NULL;
    switch (kind) {
    case NSM_SERIES_LEVEL: nsm_accum_level_series(a, k, s); v = s[i]; break;
    case NSM_SERIES_HELD: nsm_accum_outcome_held_series(a, k, s); v = s[i]; break;
    case NSM_SERIES_OCCURRED: nsm_occurred_by(m, a, k, s); v = s[i]; break;
    case NSM_SERIES_PERIOD: nsm_accum_event_period_hist(a, k, i, h, &nv); break;
    case NSM_SERIES_YEAR: nsm_accum_event_year_hist(a, k, i, h, &nv); break;
    case NSM_SERIES_CUMULATIVE: nsm_accum_event_cumulative_hists(a, k, i, h, &nv); break;
    }
    if (kind >= NSM_SERIES_PERIOD)
        for (int64_t c = 0; c < nv; c++)
            v += c * h[c];
    free(s);
    free(h);
    return v;
}

/* sum_j (x_j - mean)^2 of the draws' values, in long double. */
static double spread(const int64_t *x, int n, int64_t *total)
{
    long double sum = 0, ss = 0;
    *total = 0;
    for (int j = 0; j < n; j++) {
        sum += x[j];
        *total += x[j];
    }
    for (int j = 0; j < n; j++)
        ss += (x[j] - sum / n) * (x[j] - sum / n);
    return (double)ss;
}

static void assert_close(double got, double want, const char *what, int k, int i)
{
    if (fabs(got - want) > 1e-9 * (fabs(want) + 1))
        fail_msg("%s %d at %d: %.17g, directly %.17g", what, k, i, got, want);
}

/* Every cell of every series of the model "counts" (levels, outcomes, events with seasonality). */
static void test_accum_spread_is_the_draws(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("counts");
    nsm_accum *d[DRAWS], *total = nsm_accum_alloc(m), *first = nsm_accum_alloc(m),
                         *second = nsm_accum_alloc(m), *back = nsm_accum_alloc(m);
    for (int j = 0; j < DRAWS; j++) {
        d[j] = draw(m, j);
        assert_int_equal(nsm_accum_add_draw(total, d[j]), NSM_OK);
        assert_int_equal(nsm_accum_add_draw(j < 2 ? first : second, d[j]), NSM_OK);
    }
    assert_true(nsm_accum_draws(total) == DRAWS && nsm_accum_runs(total) == DRAWS * RUNS);
    /* through two parts of 2 and 4 draws, read into one accumulator */
    nsm_diag dg;
    nsm_diag_init(&dg);
    nsm_accum *halves[2] = {first, second};
    for (int h = 0; h < 2; h++) {
        nsm_part_head hd = head((uint32_t)h + 1, 2);
        nsm_part *w = nsm_part_new(&hd);
        assert_int_equal(nsm_part_add_accum(w, halves[h]), NSM_OK);
        assert_int_equal(nsm_part_seal(w, 0), NSM_OK);
        nsm_part *r = nsm_test_reopen(w, "half");
        assert_int_equal(nsm_part_read_accum(r, back, &dg), NSM_OK);
        nsm_part_free(w);
        nsm_part_free(r);
    }
    assert_true(nsm_accum_draws(back) == DRAWS);
    const struct {
        nsm_series_kind kind;
        int n, first_col, last_col;
        const char *what;
    } series[] = {{NSM_SERIES_LEVEL, m->n_levels_total, 0, m->n_reports - 1, "level"},
                  {NSM_SERIES_HELD, m->n_outcomes, 0, m->n_reports - 1, "held"},
                  {NSM_SERIES_OCCURRED, m->n_outcomes, 0, m->n_reports - 1, "occurred"},
                  {NSM_SERIES_PERIOD, m->n_events, 1, m->n_reports - 1, "period"},
                  {NSM_SERIES_YEAR, m->n_events, 1, m->horizon_months / 12, "year"},
                  {NSM_SERIES_CUMULATIVE, m->n_events, 0, m->n_reports - 1, "cumulative"}};
    int nonzero = 0;
    for (size_t s = 0; s < sizeof series / sizeof series[0]; s++)
        for (int k = 0; k < series[s].n; k++)
            for (int i = series[s].first_col; i <= series[s].last_col; i++) {
                int64_t x[DRAWS], t;
                for (int j = 0; j < DRAWS; j++)
                    x[j] = value(m, d[j], series[s].kind, k, i);
                double want = spread(x, DRAWS, &t);
                assert_true(t == value(m, total, series[s].kind, k, i));
                double got = nsm_accum_draw_ss(total, series[s].kind, k, i, t);
                assert_close(got, want, series[s].what, k, i);
                /* the parts' sum holds the very same integers */
                assert_true(nsm_accum_draw_ss(back, series[s].kind, k, i, t) == got);
                nonzero += want > 0;
            }
    if (nonzero < 40) /* the check is not one of zeros */
        fail_msg("only %d cells differ between the draws", nonzero);
    nsm_diag_release(&dg);
    for (int j = 0; j < DRAWS; j++)
        nsm_accum_free(d[j]);
    nsm_accum_free(total);
    nsm_accum_free(first);
    nsm_accum_free(second);
    nsm_accum_free(back);
    nsm_model_free(m);
}

/* A paired accumulator of draws: the spread of the draws' differences arm - baseline. */
static void test_paired_spread_is_the_draws(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("known_levers");
    nsm_arm *arms = NULL;
    int n_arms = 0;
    nsm_diag dg;
    nsm_diag_init(&dg);
    assert_int_equal(nsm_arms_build(m, "all", 0, "t", &arms, &n_arms, &dg), NSM_OK);
    nsm_accum *acc[DRAWS][2];
    nsm_paired *pr[DRAWS], *total = nsm_paired_alloc(m), *back = nsm_paired_alloc(m);
    for (int j = 0; j < DRAWS; j++) {
        nsm_accum *all[8] = {0};
        nsm_paired *pall[8] = {0};
        assert_true(n_arms <= 8);
        for (int a = 0; a < n_arms; a++) {
            all[a] = nsm_accum_alloc(m);
            pall[a] = a ? nsm_paired_alloc(m) : NULL;
        }
        nsm_run_config rc = {5, RUNS, (uint64_t)j * RUNS, 1, NULL, NULL, NULL,
                             NSM_UNCERTAINTY_PER_RUN, 0, 0};
        assert_int_equal(nsm_compare_run(m, arms, n_arms, &rc, all, pall, NULL, &dg), NSM_OK);
        acc[j][0] = all[0];
        acc[j][1] = all[1];
        pr[j] = pall[1];
        for (int a = 2; a < n_arms; a++) {
            nsm_accum_free(all[a]);
            nsm_paired_free(pall[a]);
        }
        assert_int_equal(nsm_paired_add_draw(total, pr[j], acc[j][0], acc[j][1]), NSM_OK);
    }
    assert_true(nsm_paired_draws(total) == DRAWS);
    nsm_part_head hd = head(1, 1);
    nsm_part *w = nsm_part_new(&hd);
    assert_int_equal(nsm_part_add_paired(w, total), NSM_OK);
    assert_int_equal(nsm_part_seal(w, 0), NSM_OK);
    nsm_part *r = nsm_test_reopen(w, "paired");
    assert_int_equal(nsm_part_read_paired(r, back, NULL, NULL, &dg), NSM_OK);
    const nsm_series_kind kinds[3] = {NSM_SERIES_HELD, NSM_SERIES_OCCURRED, NSM_SERIES_CUMULATIVE};
    int nonzero = 0;
    for (int s = 0; s < 3; s++) {
        int n = kinds[s] == NSM_SERIES_CUMULATIVE ? m->n_events : m->n_outcomes;
        for (int k = 0; k < n; k++)
            for (int i = 0; i < m->n_reports; i++) {
                int64_t x[DRAWS], t;
                for (int j = 0; j < DRAWS; j++)
                    x[j] = value(m, acc[j][1], kinds[s], k, i) - value(m, acc[j][0], kinds[s], k, i);
                double want = spread(x, DRAWS, &t);
                double got = nsm_paired_draw_ss(total, kinds[s], k, i, t);
                assert_close(got, want, "paired", k, i);
                assert_true(nsm_paired_draw_ss(back, kinds[s], k, i, t) == got);
                nonzero += want > 0;
            }
    }
    assert_true(nonzero > 20);
    assert_true(isnan(nsm_paired_draw_ss(total, NSM_SERIES_LEVEL, 0, 0, 0))); /* not kept */
    nsm_part_free(w);
    nsm_part_free(r);
    for (int j = 0; j < DRAWS; j++) {
        nsm_accum_free(acc[j][0]);
        nsm_accum_free(acc[j][1]);
        nsm_paired_free(pr[j]);
    }
    nsm_paired_free(total);
    nsm_paired_free(back);
    nsm_arms_free(arms, n_arms);
    nsm_diag_release(&dg);
    nsm_model_free(m);
}

/* The interval, against R: p = 0.3 from 10 draws of 200 whose proportions have variance 0.01
** (ss = 9 x 200^2 x 0.01 in counts): se^2 = 0.001 (above the binomial 0.21 / 2000), Kish's n =
** 210, and in R: p <- 0.3; n <- 210; z <- qt(0.975, 9); Wilson's ends 0.233918083375 and
** 0.375597383247. One draw: Wilson's interval of all the runs. Counts: the larger of the draws'
** sd / sqrt(N) and the pooled one. */
static void test_intervals_are_r(void **state)
{
    (void)state;
    nsm_proportion p = nsm_draws_proportion(600, 2000, 10, 9.0 * 200 * 200 * 0.01);
    assert_true(fabs(p.p - 0.3) < 1e-15);
    assert_true(fabs(p.se - sqrt(0.001)) < 1e-12);
    assert_true(fabs(p.lo - 0.233918083375) < 1e-11);
    assert_true(fabs(p.hi - 0.375597383247) < 1e-11);
    /* draws that agree: no narrower than the binomial interval of all 2,000 at t(9) */
    nsm_proportion same = nsm_draws_proportion(600, 2000, 10, 0.0);
    assert_true(fabs(same.se - sqrt(0.21 / 2000)) < 1e-12);
    nsm_proportion one = nsm_draws_proportion(600, 2000, 1, 0.0), w = nsm_wilson(600, 2000);
    assert_true(one.lo == w.lo && one.hi == w.hi);
    /* mean counts: S_j of 200 runs with means 1, 2, 3 (ss = 2 x 200^2): sd of the means 1, / sqrt(3) */
    assert_true(fabs(nsm_draws_mean_se(0.01, 600, 3, 2.0 * 200 * 200) - 1 / sqrt(3.0)) < 1e-12);
    assert_true(nsm_draws_mean_se(0.9, 600, 3, 2.0 * 200 * 200) == 0.9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accum_spread_is_the_draws),
        cmocka_unit_test(test_paired_spread_is_the_draws),
        cmocka_unit_test(test_intervals_are_r),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
