/*
** test_judgment.c: known answers for the judgment spread over draws (summary.h nsm_judgment_of):
** quantiles by hand from GSL's definition (linear interpolation at (n - 1) q), shares of draws on
** either side of zero, the standard error of the mean over draws and the Monte Carlo noise.
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_by_hand),
        cmocka_unit_test(test_one_draw),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
