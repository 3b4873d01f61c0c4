/*
** test_scores.c: known answers for the forecast scores of scores.h: Brier and log scores by hand,
** the CRPS of a small histogram by hand and of a Poisson forecast against its closed form
** (Wei and Held 2014), the mid-PIT and central intervals, the paired skill score (a perfect
** forecast has skill 1, the reference itself skill 0) and Murphy's decomposition of the Brier
** score.
*/
#include "nsm_test.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_bessel.h>
#include <math.h>

#include "neasim/scores.h"

#define assert_double_equal(got, want, tol) check_close(#got, (got), (want), (tol))

static void check_close(const char *what, double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("%s: got %.17g, expected %.17g (tolerance %g)", what, got, want, tol);
}

static void test_brier_and_log_by_hand(void **state)
{
    (void)state;
    assert_double_equal(nsm_brier(0.7, 1), 0.09, 1e-15);
    assert_double_equal(nsm_brier(0.7, 0), 0.49, 1e-15);
    assert_double_equal(nsm_brier(1.0, 1), 0.0, 0.0);   /* perfect */
    assert_double_equal(nsm_brier(0.0, 1), 1.0, 0.0);   /* as wrong as can be */
    assert_double_equal(nsm_log_score(0.7, 1), 0.35667494393873245, 1e-15);
    assert_double_equal(nsm_log_score(0.7, 0), 1.2039728043259361, 1e-15);
    assert_double_equal(nsm_log_score(1.0, 1), 0.0, 0.0);
    assert_true(isinf(nsm_log_score(0.0, 1)));
    assert_true(isinf(nsm_log_score(1.0, 0)));
}

/* pmf 0.2, 0.5, 0.3 on counts 0, 1, 2: F = 0.2, 0.7, 1. By the definition, sum over k of
** (F(k) - 1{y <= k})^2; checked by hand with E|X - y| - E|X - X'|/2 (E|X - X'| = 0.74). */
static const double PMF[] = {0.2, 0.5, 0.3};

static void test_crps_histogram_by_hand(void **state)
{
    (void)state;
    assert_double_equal(nsm_crps_counts(PMF, 3, 0), 0.64 + 0.09, 1e-15);    /* 0.6 - 0.37 */
    assert_double_equal(nsm_crps_counts(PMF, 3, 1), 0.04 + 0.09, 1e-15);    /* 0.5 - 0.37 */
    assert_double_equal(nsm_crps_counts(PMF, 3, 2), 0.04 + 0.49, 1e-15);    /* 0.9 - 0.37 */
    assert_double_equal(nsm_crps_counts(PMF, 3, 4), 0.04 + 0.49 + 1 + 1, 1e-15); /* 2.9 - 0.37 */
    const double point[] = {0, 0, 0, 1}; /* all mass on 3: perfect when 3 happens */
    assert_double_equal(nsm_crps_counts(point, 4, 3), 0.0, 0.0);
    assert_double_equal(nsm_crps_counts(point, 4, 0), 3.0, 0.0); /* |3 - 0| */
    const double zero[] = {1};
    assert_double_equal(nsm_crps_counts(zero, 1, 0), 0.0, 0.0);
    assert_double_equal(nsm_crps_counts(zero, 1, 5), 5.0, 0.0);
}

/* Wei and Held (2014), "Calibration tests for count data", TEST 23:787-805, eq. (6): for a Poisson
** forecast with mean l, CRPS(y) = (y - l)(2F(y) - 1) + 2 l f(y) - l e^{-2l} (I0(2l) + I1(2l)). */
static void test_crps_poisson_closed_form(void **state)
{
    (void)state;
    const double lambdas[] = {0.3, 3.7, 12.5};
    for (int j = 0; j < 3; j++) {
        double l = lambdas[j], pmf[200];
        for (unsigned k = 0; k < 200; k++)
            pmf[k] = gsl_ran_poisson_pdf(k, l);
        for (unsigned y = 0; y <= 30; y++) {
            double bessel = gsl_sf_bessel_I0_scaled(2.0 * l) + gsl_sf_bessel_I1_scaled(2.0 * l);
            double closed = ((double)y - l) * (2.0 * gsl_cdf_poisson_P(y, l) - 1.0) +
                            2.0 * l * gsl_ran_poisson_pdf(y, l) - l * bessel;
            assert_double_equal(nsm_crps_counts(pmf, 200, y), closed, 1e-10);
        }
    }
}

static void test_pit_and_intervals(void **state)
{
    (void)state;
    assert_double_equal(nsm_mid_pit(PMF, 3, 0), 0.1, 1e-15);
    assert_double_equal(nsm_mid_pit(PMF, 3, 1), 0.45, 1e-15);
    assert_double_equal(nsm_mid_pit(PMF, 3, 2), 0.85, 1e-15);
    assert_double_equal(nsm_mid_pit(PMF, 3, 7), 1.0, 1e-15); /* beyond the forecast's support */
    assert_int_equal(nsm_pmf_quantile(PMF, 3, 0.05), 0);
    assert_int_equal(nsm_pmf_quantile(PMF, 3, 0.25), 1);
    assert_int_equal(nsm_pmf_quantile(PMF, 3, 0.2), 0); /* F(0) = 0.2 reaches 0.2: type 1 */
    assert_int_equal(nsm_pmf_quantile(PMF, 3, 0.75), 2);
    assert_int_equal(nsm_pmf_quantile(PMF, 3, 0.95), 2);
    assert_false(nsm_in_central_interval(PMF, 3, 0, 0.5)); /* [1, 2] */
    assert_true(nsm_in_central_interval(PMF, 3, 1, 0.5));
    assert_true(nsm_in_central_interval(PMF, 3, 0, 0.9));  /* [0, 2] */
    assert_false(nsm_in_central_interval(PMF, 3, 3, 0.9));
}

static void test_skill_by_hand(void **state)
{
    (void)state;
    const double s[] = {0.1, 0.2, 0.3}, r[] = {0.2, 0.2, 0.5};
    nsm_skill k = nsm_skill_paired(s, r, 3);
    assert_double_equal(k.mean, 0.2, 1e-15);
    assert_double_equal(k.ref_mean, 0.3, 1e-15);
    assert_double_equal(k.skill, 1.0 / 3.0, 1e-15);
    /* d = 0.1, 0, 0.2: mean 0.1, sd 0.1, se 0.1/sqrt(3); Student's t with 2 degrees of freedom,
    ** whose quantile has a closed form (F(t) = 1/2 + t / (2 sqrt(2 + t^2))): t_p = (2p - 1)
    ** sqrt(2 / (4p(1 - p))), 4.3027 at 0.975 */
    double t2 = 0.95 * sqrt(2.0 / (4.0 * 0.975 * 0.025));
    double half = t2 * 0.1 / sqrt(3.0);
    assert_double_equal(k.skill_lo, (0.1 - half) / 0.3, 1e-12);
    /* (0.1 + half) / 0.3 = 1.16, beyond the skill of a perfect forecast: the interval ends at 1 */
    assert_true((0.1 + half) / 0.3 > 1.0);
    assert_double_equal(k.skill_hi, 1.0, 0.0);
    assert_int_equal(k.n, 3);
    /* four items, an upper end below 1: d = 0.1, 0.05, 0.05, 0.1, mean 0.075, sd 0.05 / sqrt(3),
    ** over ref_mean 0.275; t with 3 degrees of freedom, 3.18244631 at 0.975 (tables) */
    const double s4[] = {0.1, 0.2, 0.3, 0.2}, r4[] = {0.2, 0.25, 0.35, 0.3};
    nsm_skill k4 = nsm_skill_paired(s4, r4, 4);
    double half4 = 3.18244631 * (0.05 / sqrt(3.0)) / 2.0;
    assert_double_equal(k4.skill, 1.0 - 0.2 / 0.275, 1e-12);
    assert_double_equal(k4.skill_lo, (0.075 - half4) / 0.275, 1e-8);
    assert_double_equal(k4.skill_hi, (0.075 + half4) / 0.275, 1e-8);
    assert_true(k4.skill_hi < 1.0);
}

static void test_skill_perfect_and_equal(void **state)
{
    (void)state;
    const double zero[] = {0, 0, 0}, r[] = {0.2, 0.4, 0.1};
    nsm_skill perfect = nsm_skill_paired(zero, r, 3);
    assert_double_equal(perfect.mean, 0.0, 0.0);
    assert_double_equal(perfect.skill, 1.0, 0.0);
    nsm_skill same = nsm_skill_paired(r, r, 3);
    assert_double_equal(same.skill, 0.0, 0.0);
    assert_double_equal(same.skill_lo, 0.0, 0.0);
    assert_double_equal(same.skill_hi, 0.0, 0.0);
    nsm_skill undefined = nsm_skill_paired(zero, zero, 3); /* both perfect: 0/0 */
    assert_true(isnan(undefined.skill));
    nsm_skill alone = nsm_skill_paired(r, NULL, 3);
    assert_double_equal(alone.mean, 0.7 / 3.0, 1e-15);
    assert_true(isnan(alone.skill));
    nsm_skill one = nsm_skill_paired(zero, r, 1);
    assert_double_equal(one.skill, 1.0, 0.0);
    assert_true(isnan(one.skill_lo));
}

/* How often the skill's 95% interval holds the true skill, over paired scores drawn as a
** backtest's are: a reference score r ~ lognormal(0, sr) (years of unequal difficulty) and the
** forecast's r m, m ~ lognormal with mean 0.9 and sd parameter sm, so that the true skill is
** 1 - E[r m] / E[r] = 0.1. The interval holds the reference's mean fixed (scores.h); what that
** costs was measured against 100,000 draws of an independent computation (R: the same interval
** from mean, sd and qt; seed 2), which the coverage here must match within 4 standard errors of
** the two estimates. The same computation gave Fieller's interval, which counts the mean's noise,
** unbounded in half of the 3-row cases, and the delta method's 0.79 to 0.93: the t interval is
** the usable one. */
static void test_skill_coverage(void **state)
{
    (void)state;
    static const struct {
        int n;
        double sr, sm, want; /* the R estimate over 100,000 */
    } cases[] = {{3, 0.5, 0.3, 0.96353}, {15, 0.5, 0.3, 0.95751}, {15, 1.0, 1.0, 0.91879}};
    const int sims = 20000;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 1);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        double s[15], r[15];
        int held = 0, n = cases[c].n;
        for (int k = 0; k < sims; k++) {
            for (int i = 0; i < n; i++) {
                r[i] = gsl_ran_lognormal(rng, 0.0, cases[c].sr);
                double sm = cases[c].sm;
                s[i] = r[i] * gsl_ran_lognormal(rng, log(0.9) - sm * sm / 2.0, sm);
            }
            nsm_skill sk = nsm_skill_paired(s, r, n);
            held += sk.skill_lo <= 0.1 && 0.1 <= sk.skill_hi;
        }
        double p = cases[c].want, got = (double)held / sims;
        double se = sqrt(p * (1.0 - p) * (1.0 / sims + 1.0 / 100000.0));
        assert_double_equal(got, p, 4.0 * se);
    }
    gsl_rng_free(rng);
}

/* Forecasts 0.2, 0.2, 0.8, 0.8 for outcomes 0, 1, 1, 1: bins (p 0.2, o 0.5) and (p 0.8, o 1),
** o = 0.75; reliability (2 * 0.09 + 2 * 0.04) / 4, resolution 4 * 0.0625 / 4, uncertainty 0.1875;
** they add up to the Brier score 0.19 since forecasts within a bin are equal. */
static void test_brier_decomposition(void **state)
{
    (void)state;
    const double p[] = {0.2, 0.2, 0.8, 0.8};
    const int y[] = {0, 1, 1, 1};
    nsm_brier_parts b = nsm_brier_decompose(p, y, 4, 10);
    assert_double_equal(b.reliability, 0.065, 1e-15);
    assert_double_equal(b.resolution, 0.0625, 1e-15);
    assert_double_equal(b.uncertainty, 0.1875, 1e-15);
    double bs = 0.0;
    for (int i = 0; i < 4; i++)
        bs += nsm_brier(p[i], y[i]) / 4.0;
    assert_double_equal(b.reliability - b.resolution + b.uncertainty, bs, 1e-15);
    assert_true(isnan(nsm_brier_decompose(p, y, 0, 10).uncertainty));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_brier_and_log_by_hand),
        cmocka_unit_test(test_crps_histogram_by_hand),
        cmocka_unit_test(test_crps_poisson_closed_form),
        cmocka_unit_test(test_pit_and_intervals),
        cmocka_unit_test(test_skill_by_hand),
        cmocka_unit_test(test_skill_perfect_and_equal),
        cmocka_unit_test(test_skill_coverage),
        cmocka_unit_test(test_brier_decomposition),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
