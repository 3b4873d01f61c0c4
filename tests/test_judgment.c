/*
** test_judgment.c: known answers for the judgment spread over draws (summary.h nsm_judgment_of):
** quantiles by hand from GSL's definition (linear interpolation at (n - 1) q), shares of draws on
** either side of zero, the standard error of the mean over draws and the Monte Carlo noise, and
** when a range is mostly that noise (nsm_judgment_mostly_noise).
*/
#include "nsm_test.h"

#include <math.h>

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_by_hand),
        cmocka_unit_test(test_one_draw),
        cmocka_unit_test(test_mostly_noise),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
