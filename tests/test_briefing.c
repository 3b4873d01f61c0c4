/*
** test_briefing.c: known answers for the briefing's verdicts, ranks and interactions
** (briefing.h): ranks by hand for each desirable direction, and the interaction's mean and
** standard error from counts against the same numbers computed replication by replication.
*/
#include "nsm_test.h"

#include <math.h>
#include <stdint.h>

#include "neasim/briefing.h"

#define close_to(got, want, tol) check_close(#got, (got), (want), (tol))

static void check_close(const char *what, double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("%s: got %.17g, expected %.17g (tolerance %g)", what, got, want, tol);
}

static nsm_difference eff(double diff, double half)
{
    return (nsm_difference){0.5, 0.5 + diff, diff, half / 1.96, diff - half, diff + half, NAN};
}

/* Four levers on an outcome: -5 and -10 pp (distinguishable), +2 (distinguishable), -1 (not). */
static void test_rank_lower(void **state)
{
    (void)state;
    nsm_difference d[4] = {eff(-0.05, 0.01), eff(0.02, 0.01), eff(-0.10, 0.01), eff(-0.01, 0.02)};
    int order[4], rank[4];
    assert_int_equal(nsm_rank_effects(d, 4, NSM_DESIRABLE_LOWER, order, rank), 3);
    int want_order[4] = {2, 0, 1, 3}, want_rank[4] = {2, 3, 1, 0};
    for (int k = 0; k < 4; k++) {
        assert_int_equal(order[k], want_order[k]);
        assert_int_equal(rank[k], want_rank[k]);
    }
    assert_int_equal(nsm_verdict_of(&d[2], NSM_DESIRABLE_LOWER), NSM_VERDICT_HELPS);
    assert_int_equal(nsm_verdict_of(&d[1], NSM_DESIRABLE_LOWER), NSM_VERDICT_HURTS);
    assert_int_equal(nsm_verdict_of(&d[3], NSM_DESIRABLE_LOWER), NSM_VERDICT_UNCLEAR);
    assert_string_equal(nsm_verdict_name(NSM_VERDICT_HELPS), "helps");
}

/* The same effects when higher is better: +2 helps most; with no direction, by size. */
static void test_rank_higher_and_none(void **state)
{
    (void)state;
    nsm_difference d[4] = {eff(-0.05, 0.01), eff(0.02, 0.01), eff(-0.10, 0.01), eff(-0.01, 0.02)};
    int order[4], rank[4];
    nsm_rank_effects(d, 4, NSM_DESIRABLE_HIGHER, order, rank);
    int want_higher[4] = {1, 0, 2, 3};
    for (int k = 0; k < 4; k++)
        assert_int_equal(order[k], want_higher[k]);
    assert_int_equal(nsm_verdict_of(&d[1], NSM_DESIRABLE_HIGHER), NSM_VERDICT_HELPS);
    nsm_rank_effects(d, 4, NSM_DESIRABLE_NONE, order, rank);
    int want_none[4] = {2, 0, 1, 3};
    for (int k = 0; k < 4; k++)
        assert_int_equal(order[k], want_none[k]);
    assert_int_equal(nsm_verdict_of(&d[0], NSM_DESIRABLE_NONE), NSM_VERDICT_CHANGES);
    close_to(nsm_help(-0.05, NSM_DESIRABLE_NONE), 0.05, 0);
    /* ties keep the arms' order */
    nsm_difference t[3] = {eff(-0.03, 0.01), eff(-0.03, 0.01), eff(-0.03, 0.01)};
    nsm_rank_effects(t, 3, NSM_DESIRABLE_LOWER, order, rank);
    for (int k = 0; k < 3; k++)
        assert_int_equal(order[k], k);
}

/* Replications given as (Y base, Y a, Y b, Y a+b): the interaction from counts equals the mean
** and sample variance of I = Yab - Ya - Yb + Y0 computed row by row. */
static void test_interaction_by_rows(void **state)
{
    (void)state;
    static const int rows[][4] = {{0, 0, 0, 0}, {0, 1, 0, 1}, {0, 0, 1, 1}, {0, 1, 1, 1},
                                  {1, 1, 1, 1}, {0, 0, 0, 1}, {0, 1, 1, 0}, {1, 0, 0, 0},
                                  {0, 0, 0, 1}, {0, 1, 0, 1}, {1, 1, 1, 0}, {0, 0, 0, 0}};
    int n = (int)(sizeof rows / sizeof rows[0]);
    nsm_interaction_counts c = {n, {0}, {{0}}};
    double s = 0, s2 = 0;
    for (int r = 0; r < n; r++) {
        for (int k = 0; k < 4; k++) {
            c.count[k] += rows[r][k];
            for (int j = k + 1; j < 4; j++)
                c.both[k][j] += rows[r][k] && rows[r][j];
        }
        double i = rows[r][3] - rows[r][1] - rows[r][2] + rows[r][0];
        s += i;
        s2 += i * i;
    }
    double mean = s / n, var = (s2 - n * mean * mean) / (n - 1);
    nsm_difference d = nsm_interaction_binary(&c);
    close_to(d.diff, mean, 1e-15);
    close_to(d.se, sqrt(var / n), 1e-15);
    close_to(d.hi - d.lo, 2 * 1.959963984540054 * sqrt(var / n), 1e-12);
    assert_true(isnan(d.baseline) && isnan(d.vrf));
}

/* Levers that do not interact (a+b does what a and b do, added): exactly zero. */
static void test_no_interaction(void **state)
{
    (void)state;
    nsm_interaction_counts c = {100, {0, 30, 20, 50}, {{0}}};
    c.both[1][3] = 30;
    c.both[2][3] = 20;
    nsm_difference d = nsm_interaction_binary(&c);
    close_to(d.diff, 0, 0);
    close_to(d.se, 0, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rank_lower),
        cmocka_unit_test(test_rank_higher_and_none),
        cmocka_unit_test(test_interaction_by_rows),
        cmocka_unit_test(test_no_interaction),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
