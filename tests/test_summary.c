/*
** test_summary.c: known answers for the statistics every analyst reads (stats.h): the Wilson
** score interval against published values, run --outer's interval of the mean over draws against
** R's computation, count summaries against hand-computed histograms, and the occurred-by series
** against an accumulator filled by hand.
*/
#include "nsm_test.h"

#include <math.h>
#include <stdlib.h>

#include "neasim/accum.h"
#include "neasim/outer_draws.h"
#include "neasim/stats.h"
#include "neasim/summary.h"
#include "nsm_model_test.h"

/* cmocka 1.1 has no double comparison: a named failure with both values. */
#define assert_double_equal(got, want, tol) check_close(#got, (got), (want), (tol))

static void check_close(const char *what, double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("%s: got %.17g, expected %.17g (tolerance %g)", what, got, want, tol);
}

typedef struct {
    int64_t k, n;
    double lo, hi;
} wilson_case;

/* Newcombe (1998), "Two-sided confidence intervals for the single proportion: comparison of seven
** methods", Statistics in Medicine 17:857-872, Table I, method 3 (score interval without
** continuity correction), printed to four decimals. */
static const wilson_case newcombe[] = {
    {81, 263, 0.2553, 0.3662},
    {15, 148, 0.0624, 0.1605},
    {0, 20, 0.0000, 0.1611},
    {1, 29, 0.0061, 0.1718},
    {29, 29, 0.8830, 1.0000},
};

static void test_wilson_published(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof newcombe / sizeof newcombe[0]; i++) {
        const wilson_case *c = &newcombe[i];
        nsm_proportion p = nsm_wilson(c->k, c->n);
        assert_double_equal(p.p, (double)c->k / (double)c->n, 1e-15);
        assert_double_equal(p.lo, c->lo, 0.5e-4);
        assert_double_equal(p.hi, c->hi, 0.5e-4);
        assert_double_equal(p.se, sqrt(p.p * (1 - p.p) / (double)c->n), 1e-15);
    }
}

/* 0 and n are exact ends of the interval, not z-dependent approximations to them. */
static void test_wilson_ends_and_empty(void **state)
{
    (void)state;
    nsm_proportion z = nsm_wilson(0, 1000), a = nsm_wilson(1000, 1000), e = nsm_wilson(0, 0);
    assert_true(z.lo == 0.0 && z.hi > 0.0 && z.hi < 0.004);
    assert_true(a.hi == 1.0 && a.lo < 1.0 && a.lo > 0.996);
    assert_true(isnan(e.p) && isnan(e.lo) && isnan(e.hi) && isnan(e.se));
}

/* The histogram of the counts 0,0,0,1,1,1,1,2,2,3 (ten replications). By hand: mean 1.1; sum of
** squares 3(1.1)^2 + 4(0.1)^2 + 2(0.9)^2 + (1.9)^2 = 8.9, sd sqrt(8.9/9); R's
** quantile(x, c(.05,.25,.5,.75,.95), type = 1) is 0 0 1 2 3. */
/* run --outer's interval of the mean over the draws (outer_draws.h), against R's computation of
** the same definition (qt for the t quantile, not GSL's): se = max(sd(v) / sqrt(n),
** sqrt(p (1 - p) / (n runs))), the Wilson interval with n_eff = p (1 - p) / se^2 at qt(0.975, n - 1).
** Draws that differ; draws all alike (the binomial floor); all zero (exact lower end). */
static void test_outer_mean_interval(void **state)
{
    (void)state;
    double v1[] = {0.1, 0.2, 0.3, 0.4}, v2[] = {0.5, 0.5}, v3[] = {0, 0, 0};
    nsm_outer_spread a = nsm_outer_spread_of(v1, 4, 100);
    assert_double_equal(a.mean_se, 0.0645497224367903, 1e-12);
    assert_double_equal(a.mean_lo, 0.104731771808718, 1e-9);
    assert_double_equal(a.mean_hi, 0.487126911714627, 1e-9);
    nsm_outer_spread b = nsm_outer_spread_of(v2, 2, 50);
    assert_double_equal(b.mean_se, 0.05, 1e-12);
    assert_double_equal(b.mean_lo, 0.107089629969991, 1e-9);
    assert_double_equal(b.mean_hi, 0.892910370030009, 1e-9);
    nsm_outer_spread c = nsm_outer_spread_of(v3, 3, 200);
    assert_double_equal(c.mean_se, 0, 0);
    assert_double_equal(c.mean_lo, 0, 0);
    assert_double_equal(c.mean_hi, 0.0299311831523091, 1e-9);
}

static void test_count_summary_hand(void **state)
{
    (void)state;
    const int64_t hist[] = {3, 4, 2, 1};
    nsm_count_summary s = nsm_count_summarize(hist, 4);
    assert_double_equal(s.mean, 1.1, 1e-15);
    assert_double_equal(s.sd, sqrt(8.9 / 9.0), 1e-15);
    assert_double_equal(s.mean_se, sqrt(8.9 / 9.0) / sqrt(10.0), 1e-15);
    assert_int_equal(s.q05, 0);
    assert_int_equal(s.q25, 0);
    assert_int_equal(s.q50, 1);
    assert_int_equal(s.q75, 2);
    assert_int_equal(s.q95, 3);
    assert_double_equal(s.p_positive, 0.7, 1e-15);
}

/* Quantiles where the cumulative share lands exactly on q (x = 0,1,2,2): type 1 takes the smaller
** count, R gives quantile(x, c(.25,.5,.75), type = 1) = 0 1 2. Exact in integers, no rounding. */
static void test_count_summary_ties(void **state)
{
    (void)state;
    const int64_t hist[] = {1, 1, 2};
    nsm_count_summary s = nsm_count_summarize(hist, 3);
    assert_int_equal(s.q25, 0);
    assert_int_equal(s.q50, 1);
    assert_int_equal(s.q75, 2);
    assert_double_equal(s.mean, 1.25, 1e-15);
}

/* One replication: no spread to estimate; no replications: nothing at all. */
static void test_count_summary_degenerate(void **state)
{
    (void)state;
    const int64_t one[] = {0, 0, 1}, none[] = {0, 0};
    nsm_count_summary s = nsm_count_summarize(one, 3);
    assert_double_equal(s.mean, 2.0, 0);
    assert_true(isnan(s.sd) && isnan(s.mean_se));
    assert_int_equal(s.q05, 2);
    assert_int_equal(s.q95, 2);
    assert_double_equal(s.p_positive, 1.0, 0);
    s = nsm_count_summarize(none, 2);
    assert_true(isnan(s.mean) && isnan(s.p_positive));
}

/* The occurred-by series from an accumulator built by hand: five replications whose outcome first
** holds at report 0, 2, 2, never, and 1 give 1, 2, 4, 4, ... by report date, and 5 in all. */
static void test_occurred_by_hand(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("two_state"); /* monthly reports over two years, one outcome */
    nsm_accum *a = nsm_accum_alloc(m);
    assert_non_null(a);
    const int first[] = {0, 2, 2, -1, 1};
    for (int r = 0; r < 5; r++) {
        if (first[r] >= 0)
            nsm_accum_outcome_first(a, 0, first[r]);
        else
            nsm_accum_outcome_first(a, 0, m->n_reports); /* never: counted past the last date */
        nsm_accum_end_replication(a);
    }
    int64_t *by = calloc((size_t)m->n_reports + 1, sizeof *by);
    assert_non_null(by);
    nsm_occurred_by(m, a, 0, by);
    const int64_t want[] = {1, 2, 4, 4, 4};
    for (int i = 0; i < 5; i++)
        assert_int_equal(by[i], want[i]);
    assert_int_equal(by[m->n_reports - 1], 4);
    assert_int_equal(by[m->n_reports], 5);
    free(by);
    nsm_accum_free(a);
    nsm_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wilson_published),
        cmocka_unit_test(test_wilson_ends_and_empty),
        cmocka_unit_test(test_outer_mean_interval),
        cmocka_unit_test(test_count_summary_hand),
        cmocka_unit_test(test_count_summary_ties),
        cmocka_unit_test(test_count_summary_degenerate),
        cmocka_unit_test(test_occurred_by_hand),
    };
    return cmocka_run_group_tests_name("summary", tests, NULL, NULL);
}
