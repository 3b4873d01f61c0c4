/*
** test_judgment.c: known answers for the judgment spread over draws (summary.h nsm_judgment_of):
** quantiles by hand from GSL's definition (linear interpolation at (n - 1) q), shares of draws on
** either side of zero, the standard error of the mean over draws and the Monte Carlo noise, and
** when a range is mostly that noise (nsm_judgment_mostly_noise); and how much of a draw's
** distribution a 5-95% range from n draws holds on average (nsm_judgment_range_coverage), against
** a simulation of ranges from n draws of known distributions.
*/
#include "nsm_test.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

#include "neasim/outer_draws.h"
#include "neasim/summary.h"

#define close_to(got, want, tol) check_close(#got, (got), (want), (tol))

static void check_close(const char *what, double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("%s: got %.17g, expected %.17g (tolerance %g)", what, got, want, tol);
}

/* Sorted: -0.4 -0.1 0 0.2 0.3. q05 at 0.2 between the first two, q50 the third, q95 at 3.8. */
static void test_by_hand(void **state)
{
    (void)state;
    double v[5] = {0.3, -0.1, 0.2, 0.0, -0.4}, se[5] = {0.1, 0.1, 0.1, 0.1, 0.2};
    nsm_judgment j = nsm_judgment_of(v, se, 5);
    close_to(j.mean, 0.0, 1e-15);
    close_to(j.sd, sqrt(0.30 / 4), 1e-15);
    close_to(j.mean_se, sqrt(0.30 / 4) / sqrt(5.0), 1e-15);
    close_to(j.q05, -0.4 + 0.2 * 0.3, 1e-15);
    close_to(j.q50, 0.0, 1e-15);
    close_to(j.q95, 0.2 + 0.8 * 0.1, 1e-15);
    close_to(j.below, 0.4, 0);
    close_to(j.above, 0.4, 0); /* the draw at exactly 0 is in neither share */
    close_to(j.monte_carlo_sd, sqrt(0.08 / 5), 1e-15);
    close_to(v[0], -0.4, 0); /* sorted in place, as documented */
}

/* One draw: every quantile is that draw, no spread, no Monte Carlo noise without se. */
static void test_one_draw(void **state)
{
    (void)state;
    double v[1] = {-0.25};
    nsm_judgment j = nsm_judgment_of(v, NULL, 1);
    close_to(j.q05, -0.25, 0);
    close_to(j.q95, -0.25, 0);
    close_to(j.below, 1.0, 0);
    close_to(j.above, 0.0, 0);
    assert_true(isnan(j.sd) && isnan(j.mean_se) && isnan(j.monte_carlo_sd));
}

/* nsm_judgment_mostly_noise: the noise's variance at least half the draws' (2 mc^2 >= sd^2). The
** hand case above is not (2 x 0.016 against 0.075); with every se 0.2 it is (0.08 >= 0.075).
** Around the boundary of two draws -1 and 1 (sd^2 = 2): se 1.0001 is noise, se 0.9999 not. No
** spread (all draws equal) is never noise, whatever the se, nor is a row whose noise is unknown
** (no se) or which has one draw. */
static void test_mostly_noise(void **state)
{
    (void)state;
    double v[5] = {0.3, -0.1, 0.2, 0.0, -0.4}, se[5] = {0.1, 0.1, 0.1, 0.1, 0.2};
    nsm_judgment j = nsm_judgment_of(v, se, 5);
    assert_int_equal(nsm_judgment_mostly_noise(&j), 0);
    double w[5] = {0.3, -0.1, 0.2, 0.0, -0.4}, se2[5] = {0.2, 0.2, 0.2, 0.2, 0.2};
    j = nsm_judgment_of(w, se2, 5);
    assert_int_equal(nsm_judgment_mostly_noise(&j), 1);
    double two[2] = {-1, 1}, above[2] = {1.0001, 1.0001}, below[2] = {0.9999, 0.9999};
    j = nsm_judgment_of(two, above, 2);
    assert_int_equal(nsm_judgment_mostly_noise(&j), 1);
    j = nsm_judgment_of(two, below, 2);
    assert_int_equal(nsm_judgment_mostly_noise(&j), 0);
    double same[3] = {0.1, 0.1, 0.1}, big[3] = {1, 1, 1};
    j = nsm_judgment_of(same, big, 3);
    assert_int_equal(nsm_judgment_mostly_noise(&j), 0);
    j = nsm_judgment_of(two, NULL, 2);
    assert_int_equal(nsm_judgment_mostly_noise(&j), 0);
    double one[1] = {0.5}, one_se[1] = {1};
    j = nsm_judgment_of(one, one_se, 1);
    assert_int_equal(nsm_judgment_mostly_noise(&j), 0);
}

/* A distribution to draw ranges from: its sampler and its distribution function. */
typedef struct {
    const char *name;
    double (*draw)(const gsl_rng *r);
    double (*cdf)(double x);
} law;

static double unif_draw(const gsl_rng *r) { return gsl_rng_uniform(r); }
static double unif_cdf(double x) { return x; }
static double exp_draw(const gsl_rng *r) { return gsl_ran_exponential(r, 1.0); }
static double exp_cdf(double x) { return gsl_cdf_exponential_P(x, 1.0); }
static double lognormal_draw(const gsl_rng *r) { return gsl_ran_lognormal(r, 0.0, 3.0); }
static double lognormal_cdf(double x) { return gsl_cdf_lognormal_P(x, 0.0, 3.0); }
static double arcsine_draw(const gsl_rng *r) { return gsl_ran_beta(r, 0.5, 0.5); }
static double arcsine_cdf(double x) { return gsl_cdf_beta_P(x, 0.5, 0.5); }

/* The mean and its standard error over `trials` sets of n draws of F(q95) - F(q05), the share of
** the law that the range holds, with the range as nsm_judgment_of (compare) and
** nsm_outer_spread_of (run) compute it; the two must agree on every set. */
static void simulate_coverage(const gsl_rng *r, const law *f, size_t n, int trials,
                              double *mean, double *se)
{
    double *v = malloc(n * sizeof *v), *w = malloc(n * sizeof *w);
    assert_non_null(v);
    assert_non_null(w);
    double sum = 0, sum2 = 0;
    for (int t = 0; t < trials; t++) {
        for (size_t j = 0; j < n; j++)
            v[j] = w[j] = f->draw(r);
        nsm_judgment jd = nsm_judgment_of(v, NULL, n);
        nsm_outer_spread os = nsm_outer_spread_of(w, n, 100);
        assert_true(jd.q05 == os.q05 && jd.q95 == os.q95);
        double c = f->cdf(jd.q95) - f->cdf(jd.q05);
        sum += c;
        sum2 += c * c;
    }
    *mean = sum / trials;
    *se = sqrt((sum2 / trials - *mean * *mean) / (trials - 1));
    free(v);
    free(w);
}

/* nsm_judgment_range_coverage against 20,000 simulated ranges a case, from an independent
** generator (GSL's MT19937): for a uniform the closed form is exact, so within 4 standard errors;
** for skewed laws (exponential, lognormal of sd 3 on the log scale, arcsine) the README and the
** printed note say "about": within 1.2 points plus 4 standard errors from 20 draws on. */
static void test_range_coverage(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(r);
    gsl_rng_set(r, 20261207);
    const law uniform = {"uniform", unif_draw, unif_cdf};
    const law skewed[] = {{"exponential", exp_draw, exp_cdf},
                          {"lognormal", lognormal_draw, lognormal_cdf},
                          {"arcsine", arcsine_draw, arcsine_cdf}};
    const size_t ns[] = {2, 5, 10, 20, 23, 40, 70, 100};
    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
        double mean, se, want = nsm_judgment_range_coverage(ns[i]);
        simulate_coverage(r, &uniform, ns[i], 20000, &mean, &se);
        if (!(fabs(mean - want) <= 4 * se))
            fail_msg("uniform, %zu draws: simulated %.5f (se %.5f), closed form %.5f", ns[i],
                     mean, se, want);
        for (size_t k = 0; ns[i] >= 20 && k < sizeof skewed / sizeof skewed[0]; k++) {
            simulate_coverage(r, &skewed[k], ns[i], 20000, &mean, &se);
            if (!(fabs(mean - want) <= 0.012 + 4 * se))
                fail_msg("%s, %zu draws: simulated %.5f (se %.5f), closed form %.5f",
                         skewed[k].name, ns[i], mean, se, want);
        }
    }
    gsl_rng_free(r);
    close_to(nsm_judgment_range_coverage(20), 0.9 * 19 / 21, 1e-15);
    close_to(nsm_judgment_range_coverage(1), 0, 0);
    close_to(nsm_judgment_range_coverage(0), 0, 0);
}

/* The whole percent the notes print: half up, exactly, at the halves (23 draws: 82.5 -> 83; 7:
** 67.5 -> 68; 71: 87.5 -> 88), and the note's threshold where it turns from 87 to 88. */
static void test_range_coverage_pct(void **state)
{
    (void)state;
    assert_int_equal(nsm_judgment_range_coverage_pct(20), 81);
    assert_int_equal(nsm_judgment_range_coverage_pct(40), 86);
    assert_int_equal(nsm_judgment_range_coverage_pct(23), 83);
    assert_int_equal(nsm_judgment_range_coverage_pct(7), 68);
    assert_int_equal(nsm_judgment_range_coverage_pct(2), 30);
    assert_int_equal(nsm_judgment_range_coverage_pct(1), 0);
    assert_int_equal(nsm_judgment_range_coverage_pct(NSM_JUDGMENT_FEW_DRAWS - 1), 87);
    assert_int_equal(nsm_judgment_range_coverage_pct(NSM_JUDGMENT_FEW_DRAWS), 88);
    assert_int_equal(nsm_judgment_range_coverage_pct(359), 90);
    assert_int_equal(nsm_judgment_range_coverage_pct(1000000), 90);
    for (uint64_t n = 2; n < 2000; n++) {
        double exact = 90.0 * (double)(n - 1) / (double)(n + 1);
        int got = nsm_judgment_range_coverage_pct(n);
        if (!(got <= exact + 0.5 + 1e-9 && got > exact - 0.5 - 1e-9))
            fail_msg("%llu draws: %d, exact %.6f", (unsigned long long)n, got, exact);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_by_hand),
        cmocka_unit_test(test_one_draw),
        cmocka_unit_test(test_mostly_noise),
        cmocka_unit_test(test_range_coverage),
        cmocka_unit_test(test_range_coverage_pct),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
