/*
** test_interactions.c: the interaction of two levers against a closed form
** (tests/models/interact). One switch turns on at rate r; lever `double` multiplies the rate by
** 2, `triple` by 3, so both together by 6. On common random numbers every arm draws the same unit
** exponential E and switches on at E / (k r), so Y_k = 1{E <= k r t} and
**   E[I] = P(E<=6rt) - P(E<=2rt) - P(E<=3rt) + P(E<=rt) = e^-2x + e^-3x - e^-6x - e^-x (x = rt),
**   I = -1 on rt < E <= 2rt, +1 on 3rt < E <= 6rt, 0 elsewhere, so
**   E[I^2] = (e^-x - e^-2x) + (e^-3x - e^-6x).
** The estimate must lie within 4 of its standard errors of E[I], and its standard error within 3%
** of sqrt(Var I / n) (n = 200,000); the widest half-width that `--precision-for interactions`
** stops on is that of the rows, and z times that standard error at the horizon.
**
** Two arms side by side (nsm_difference_arms, the briefing's "minus best"): triple - double is
** D = 1{2rt < E <= 3rt}, mean e^-2x - e^-3x and E[D^2] the same. Run as a pair, its standard error
** is sqrt(Var D / n); paired only with the baseline, the widest the counts allow: where the
** baseline has switched (E <= x) both arms have, and among the others (share e^-x) double has in
** e^-x - e^-2x and triple in e^-x - e^-3x, so they differ in at most min(sum, 2e^-x - sum) of
** the runs. Both within 3% of their closed forms, and the bound never below the exact one. The
** count the exact one needs, the runs in which it has occurred in both arms, is the rivals'
** (rivals.h), which must equal the full paired accumulator's for every two arms, outcome and
** horizon (the runs on 2 threads, so merged).
*/
#include "nsm_test.h"
#include "nsm_model_test.h"

#include <math.h>
#include <stdlib.h>

#include "neasim/arms.h"
#include "neasim/briefing.h"
#include "neasim/precision.h"

enum { RUNS = 200000 };

static void test_closed_form(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("interact");
    nsm_arm *arms = NULL;
    int n_arms = 0;
    nsm_diag d;
    nsm_diag_init(&d);
    if (nsm_arms_build(m, "double,triple", 1, "interact", &arms, &n_arms, &d) != NSM_OK)
        fail_msg("arms: %s", d.error);
    assert_int_equal(n_arms, 4);
    int tri[4][3];
    assert_int_equal(nsm_arms_interactions(arms, n_arms, tri), 1);
    /* the arms in the order base, a, b, a+b; every pair of them */
    int idx[4] = {0, tri[0][0], tri[0][1], tri[0][2]};
    int pairs[6][2], n_pairs = 0;
    for (int k = 0; k < 4; k++)
        for (int j = k + 1; j < 4; j++) {
            pairs[n_pairs][0] = idx[k];
            pairs[n_pairs][1] = idx[j];
            n_pairs++;
        }
    nsm_accum *acc[4];
    nsm_paired *paired[6];
    for (int a = 0; a < 4; a++)
        acc[a] = nsm_accum_alloc(m);
    for (int k = 0; k < 6; k++)
        paired[k] = nsm_paired_alloc(m);
    nsm_run_config rc = {42, RUNS, 0, 2, NULL, NULL, NULL, NSM_UNCERTAINTY_NOMINAL, 0, 0};
    int last = m->n_reports - 1;
    const int hz[2] = {1, last}; /* the model's reports: the start, 6 months, a year */
    assert_int_equal(last, 2);
    nsm_rivals *riv = nsm_rivals_alloc(m, n_arms, hz, 2);
    assert_non_null(riv);
    const nsm_pairings pr6 = {6, (const int (*)[2])pairs, paired, riv};
    assert_int_equal(nsm_compare_run_pairs(m, NULL, arms, n_arms, &rc, NULL, acc, &pr6, NULL, &d),
                     NSM_OK);
    for (int k = 0; k < 6; k++)
        for (int h = 0; h < 2; h++) {
            int64_t both = nsm_paired_both_occurred_count(paired[k], 0, hz[h]);
            assert_true(both > 0);
            assert_int_equal(nsm_rivals_both(riv, pairs[k][0], pairs[k][1], 0, h), both);
            assert_int_equal(nsm_rivals_both(riv, pairs[k][1], pairs[k][0], 0, h), both);
        }
    nsm_interaction_inputs in = {{acc[idx[0]], acc[idx[1]], acc[idx[2]], acc[idx[3]]}, {{NULL}}};
    for (int k = 0, p = 0; k < 4; k++)
        for (int j = k + 1; j < 4; j++)
            in.pair[k][j] = paired[p++];
    double x = 0.2 * nsm_years(m->report_t[last]);
    double mean = exp(-2 * x) + exp(-3 * x) - exp(-6 * x) - exp(-x);
    double second = (exp(-x) - exp(-2 * x)) + (exp(-3 * x) - exp(-6 * x));
    double se = sqrt((second - mean * mean) / RUNS);
    int64_t scratch[64];
    assert_true(m->n_reports + 1 <= 64);
    nsm_difference r = nsm_interaction_outcome(m, &in, 0, last, scratch);
    if (!(fabs(r.diff - mean) < 4 * se))
        fail_msg("interaction %.6f, closed form %.6f (se %.6f)", r.diff, mean, se);
    if (!(fabs(r.se / se - 1) < 0.03))
        fail_msg("standard error %.6g, closed form %.6g", r.se, se);
    assert_true(r.lo < mean && mean < r.hi);
    /* a sizeable interaction: the test means something */
    assert_true(mean > 0.09 && mean < 0.11);
    /* --precision-for interactions: the widest half-width over the targets is that of the row
    ** interactions.csv writes, and at the horizon z times the closed form's standard error */
    const nsm_precision_target t[] = {{0, 1, 0}, {0, last, 0}};
    nsm_precision_widest w = nsm_precision_interactions(m, &in, 1, t, 2, scratch);
    nsm_difference early = nsm_interaction_outcome(m, &in, 0, 1, scratch);
    double hw_early = (early.hi - early.lo) / 2, hw_last = (r.hi - r.lo) / 2;
    assert_true(hw_early != hw_last);
    assert_true(w.half_width == (hw_last > hw_early ? hw_last : hw_early));
    assert_int_equal(w.target, hw_last > hw_early ? 1 : 0);
    assert_int_equal(w.arm, 0);
    if (!(fabs(hw_last / (1.959963984540054 * se) - 1) < 0.03))
        fail_msg("half-width %.6g, closed form z se %.6g", hw_last, 1.959963984540054 * se);
    assert_true(isnan(nsm_precision_interactions(m, &in, 1, t, 0, scratch).half_width));
    /* triple minus double: as a pair (paired[3] is (a, b)), and on the bound */
    int exact = -1;
    nsm_difference pr = nsm_difference_arms(acc[0], acc[idx[2]], acc[idx[1]], paired[1],
                                            paired[0], nsm_rivals_both(riv, idx[2], idx[1], 0, 1),
                                            0, last, &exact);
    assert_int_equal(exact, 1);
    double dm = exp(-2 * x) - exp(-3 * x), dse = sqrt(dm * (1 - dm) / RUNS);
    if (!(fabs(pr.diff - dm) < 4 * dse && fabs(pr.se / dse - 1) < 0.03))
        fail_msg("triple - double %.6f (se %.6g), closed form %.6f (se %.6g)", pr.diff, pr.se, dm,
                 dse);
    nsm_difference bd = nsm_difference_arms(acc[0], acc[idx[2]], acc[idx[1]], paired[1],
                                            paired[0], -1, 0, last, &exact);
    assert_int_equal(exact, 0);
    double sa = exp(-x) - exp(-2 * x), sb = exp(-x) - exp(-3 * x);
    double most = fmin(sa + sb, 2 * exp(-x) - sa - sb), bse = sqrt((most - dm * dm) / RUNS);
    assert_true(bd.diff == pr.diff);
    if (!(fabs(bd.se / bse - 1) < 0.03))
        fail_msg("bound's se %.6g, closed form %.6g", bd.se, bse);
    for (int i = 1; i < m->n_reports; i++) { /* never narrower than the exact interval */
        nsm_difference e = nsm_difference_arms(
            acc[0], acc[idx[2]], acc[idx[1]], paired[1], paired[0],
            nsm_paired_both_occurred_count(paired[3], 0, i), 0, i, NULL);
        nsm_difference b = nsm_difference_arms(acc[0], acc[idx[2]], acc[idx[1]], paired[1],
                                               paired[0], -1, 0, i, NULL);
        assert_true(b.se >= e.se && b.lo <= e.lo && b.hi >= e.hi);
    }
    for (int a = 0; a < 4; a++)
        nsm_accum_free(acc[a]);
    for (int k = 0; k < 6; k++)
        nsm_paired_free(paired[k]);
    nsm_rivals_free(riv);
    nsm_arms_free(arms, n_arms);
    nsm_model_free(m);
    nsm_diag_release(&d);
}

/* nsm_difference_over_draws: the mean over 5 draws of x - y, by hand: differences 1, 2, 3, 4, 5
** (mean 3, sd sqrt(2.5)), se sqrt(2.5 / 5), t(4) = 2.776445105; a larger se is kept. */
static void test_over_draws(void **state)
{
    (void)state;
    const double x[10] = {2, 9, 4, 9, 6, 9, 8, 9, 10, 9}, y[10] = {1, 0, 2, 0, 3, 0, 4, 0, 5, 0};
    nsm_difference d = {NAN, NAN, 3.0, 0.1, NAN, NAN, NAN};
    nsm_difference_over_draws(&d, x, y, 2, 5);
    assert_true(fabs(d.se - sqrt(0.5)) < 1e-12);
    assert_true(fabs(d.lo - (3 - 2.776445105 * sqrt(0.5))) < 1e-8);
    assert_true(fabs(d.hi - (3 + 2.776445105 * sqrt(0.5))) < 1e-8);
    nsm_difference wide = {NAN, NAN, 3.0, 2.0, NAN, NAN, NAN};
    nsm_difference_over_draws(&wide, x, y, 2, 5);
    assert_true(wide.se == 2.0 && fabs(wide.hi - (3 + 2.776445105 * 2)) < 1e-8);
    nsm_difference one = {NAN, NAN, 3.0, 0.1, 2.8, 3.2, NAN};
    nsm_difference_over_draws(&one, x, y, 2, 1);
    assert_true(one.se == 0.1 && one.lo == 2.8 && one.hi == 3.2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_closed_form),
        cmocka_unit_test(test_over_draws),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
