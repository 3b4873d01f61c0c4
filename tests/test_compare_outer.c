/*
** test_compare_outer.c: compare --outer against closed forms (tests/models/judgment).
**
** The only move a -> b has hazard lambda ~ uniform(1, 3) across draws. Under draw j the arm's and
** the baseline's P(moved by t) are 1 - exp(-k lambda_j t) and 1 - exp(-lambda_j t), so the lever's
** effect in that draw is d(lambda_j) = exp(-lambda_j t) - exp(-k lambda_j t) ("double": k = 2), or
** exp(-lambda_j t) - exp(-1.5 t) ("fix": the hazard set to 1.5). Both are decreasing in lambda on
** [1, 3] at t = 1, so the q-quantile of the effect over draws is d at lambda's (1 - q)-quantile,
** 1 + 2 (1 - q), and "fix" lowers the probability in the draws with lambda > 1.5: a share of 3/4.
**
** Tolerances: a sample quantile of N draws has standard error sqrt(q (1 - q) / N) / density, and
** each draw's effect carries its own Monte Carlo noise (monte_carlo_sd), so 4 standard errors of
** both; a share, sqrt(p (1 - p) / N) plus the draws that noise moves across zero.
*/
#include "nsm_test.h"
#include "nsm_model_test.h"

#include <math.h>
#include <stdlib.h>

#include "neasim/compare.h"
#include "neasim/outer.h"
#include "neasim/outer_draws.h"

enum { DRAWS = 200, RUNS = 2000, N_ARMS = 4 };

typedef struct {
    nsm_model *m;
    nsm_arm *arms;
    int n_arms;
    nsm_accum *acc[N_ARMS];
    nsm_paired *paired[N_ARMS];
    nsm_rivals *rivals;
    nsm_outer_comparison r;
} fixture;

static void fixture_run(fixture *f, uint64_t draws, uint64_t runs, int threads)
{
    nsm_diag d;
    nsm_diag_init(&d);
    f->m = nsm_test_load("judgment");
    assert_int_equal(nsm_arms_build(f->m, "null,double,fix", 0, "judgment", &f->arms, &f->n_arms,
                                    &d), NSM_OK);
    assert_int_equal(f->n_arms, N_ARMS);
    for (int a = 0; a < N_ARMS; a++) {
        f->acc[a] = nsm_accum_alloc(f->m);
        f->paired[a] = a ? nsm_paired_alloc(f->m) : NULL;
    }
    size_t cells = (size_t)draws * N_ARMS;
    f->r = (nsm_outer_comparison){draws, 0, 0, {1, {12}, {1.0}}, calloc(cells, sizeof(double)),
                                  calloc(cells, sizeof(double)), calloc(cells, sizeof(double))};
    const int year[1] = {12};
    f->rivals = nsm_rivals_alloc(f->m, N_ARMS, year, 1);
    assert_non_null(f->rivals);
    nsm_run_config c = {31, runs, 0, threads, NULL, NULL, NULL, NSM_UNCERTAINTY_PER_RUN, 0, 0};
    assert_int_equal(nsm_compare_outer(f->m, f->arms, f->n_arms, &c, &f->r, f->acc, f->paired,
                                       f->rivals, NULL, &d), NSM_OK);
    nsm_diag_release(&d);
}

static void fixture_free(fixture *f)
{
    for (int a = 0; a < N_ARMS; a++) {
        nsm_accum_free(f->acc[a]);
        nsm_paired_free(f->paired[a]);
    }
    nsm_rivals_free(f->rivals);
    free(f->r.p);
    free(f->r.se);
    free(f->r.close);
    nsm_arms_free(f->arms, f->n_arms);
    nsm_model_free(f->m);
}

static void check(const char *what, double est, double exact, double tol)
{
    if (getenv("NSM_TEST_VERBOSE"))
        print_message("%s: %.5f vs %.5f (%.2f of tolerance)\n", what, est, exact,
                      fabs(est - exact) / tol);
    if (!(fabs(est - exact) <= tol))
        fail_msg("%s: estimate %.5f, exact %.5f, tolerance %.5f", what, est, exact, tol);
}

/* The q-quantile of d over draws against d(lambda_(1-q)); slope = |d'(lambda)| there. */
static void check_quantile(const char *what, double est, double q, double (*d)(double),
                           double (*slope)(double), double mc)
{
    double lambda = 1 + 2 * (1 - q);
    double se_q = sqrt(q * (1 - q) / DRAWS) * 2 * slope(lambda); /* density of lambda: 1/2 */
    check(what, est, d(lambda), 4 * sqrt(se_q * se_q + mc * mc));
}

static double d_double(double l) { return exp(-l) - exp(-2 * l); }
static double s_double(double l) { return fabs(-exp(-l) + 2 * exp(-2 * l)); }
static double d_fix(double l) { return exp(-l) - exp(-1.5); }
static double s_fix(double l) { return exp(-l); }

static double e_exp(double c) /* E[exp(-c lambda)], lambda ~ U(1, 3) */
{
    return (exp(-c) - exp(-3 * c)) / (2 * c);
}

static void test_closed_form(void **state)
{
    (void)state;
    fixture f;
    fixture_run(&f, DRAWS, RUNS, 2);
    assert_true(fabs(nsm_years(f.m->report_t[12]) - 1.0) < 0.01);
    assert_int_equal(nsm_accum_runs(f.acc[0]), DRAWS * RUNS);

    nsm_judgment z, j;
    assert_int_equal(nsm_outer_effect(f.m, &f.r, 1, 0, 0, &z), NSM_OK); /* null: no effect anywhere */
    assert_true(z.q05 == 0 && z.q95 == 0 && z.sd == 0 && z.below == 0 && z.above == 0);

    assert_int_equal(nsm_outer_effect(f.m, &f.r, 2, 0, 0, &j), NSM_OK);
    check("double: mean over draws", j.mean, e_exp(1) - e_exp(2), 4 * j.mean_se);
    check_quantile("double: q05", j.q05, 0.05, d_double, s_double, j.monte_carlo_sd);
    check_quantile("double: q50", j.q50, 0.50, d_double, s_double, j.monte_carlo_sd);
    check_quantile("double: q95", j.q95, 0.95, d_double, s_double, j.monte_carlo_sd);
    /* d >= d(3) = 0.047, over 5 Monte Carlo sd from 0: the lever helps in every draw */
    assert_true(j.above == 1.0 && j.below == 0.0);

    assert_int_equal(nsm_outer_effect(f.m, &f.r, 3, 0, 0, &j), NSM_OK);
    check("fix: mean over draws", j.mean, e_exp(1) - exp(-1.5), 4 * j.mean_se);
    check_quantile("fix: q05", j.q05, 0.05, d_fix, s_fix, j.monte_carlo_sd);
    check_quantile("fix: q95", j.q95, 0.95, d_fix, s_fix, j.monte_carlo_sd);
    double density0 = 0.5 / exp(-1.5); /* of d at 0 */
    double tol = 4 * sqrt(0.75 * 0.25 / DRAWS) + 2 * density0 * j.monte_carlo_sd;
    check("fix: share of draws below zero", j.below, 0.75, tol);
    check("fix: share of draws above zero", j.above, 0.25, tol);
    assert_true(j.below + j.above <= 1.0); /* a draw whose counts tie is in neither */
    fixture_free(&f);
}

/* Every two arms over all the draws (rivals.h), by the model's structure: null is the baseline;
** double (E <= 2 lambda t) has moved whenever the baseline (E <= lambda t) has; fix (E <= 1.5 t)
** has moved only where double has, lambda being at least 1: so the runs in which two arms have
** both moved are those of the one that moves less, exactly. Against the baseline, also the paired
** accumulators' count. threads 2: draws side by side; 1: one after another. */
static void test_every_two_arms(void **state)
{
    (void)state;
    for (int threads = 1; threads <= 2; threads++) {
        fixture f;
        fixture_run(&f, 12, 500, threads);
        int64_t base = nsm_accum_outcome_occurred_count(f.acc[0], 0, 12);
        int64_t fix = nsm_accum_outcome_occurred_count(f.acc[3], 0, 12);
        assert_true(base > 0 && fix > 0 && fix != base);
        for (int a = 1; a < N_ARMS; a++)
            assert_int_equal(nsm_rivals_both(f.rivals, 0, a, 0, 0),
                             nsm_paired_both_occurred_count(f.paired[a], 0, 12));
        assert_int_equal(nsm_rivals_both(f.rivals, 0, 1, 0, 0), base);
        assert_int_equal(nsm_rivals_both(f.rivals, 0, 2, 0, 0), base);
        assert_int_equal(nsm_rivals_both(f.rivals, 1, 2, 0, 0), base);
        assert_int_equal(nsm_rivals_both(f.rivals, 2, 3, 0, 0), fix);
        assert_int_equal(nsm_rivals_both(f.rivals, 3, 2, 0, 0), fix);
        fixture_free(&f);
    }
}

/* The baseline arm of draw j is run --outer's draw j, to the bit: same numbers, same streams. */
static void test_baseline_is_run_outer(void **state)
{
    (void)state;
    fixture f;
    fixture_run(&f, 6, 300, 1);
    double p[6];
    nsm_outer_result r = {6, 0, {1, {12}, {1.0}}, p};
    nsm_accum *total = nsm_accum_alloc(f.m);
    nsm_run_config c = {31, 300, 0, 2, NULL, NULL, NULL, NSM_UNCERTAINTY_OUTER, 300, 0};
    assert_int_equal(nsm_run_outer(f.m, &c, &r, total, NULL, NULL), NSM_OK);
    for (int j = 0; j < 6; j++)
        assert_true(p[j] == f.r.p[j * N_ARMS]);
    nsm_accum_free(total);
    fixture_free(&f);
}

/* In how many draws each arm is the best (nsm_comparison_best_share), on a draw built by hand:
** `moved` has no direction, so the largest change is the best, and arms of +3 and -3 runs out of
** 20 tie. In probabilities they do not: 19/20 - 16/20 = 0.1499999999999999 and 16/20 - 13/20 =
** 0.15000000000000002, which gave the whole draw to the arm of -3 (tests/cli_outer.sh measures
** what that did to a share: 2 to 4 sd at 20 runs a draw). The draw's close (outer_draws.h) gives
** the part within the noise: a tie's own, or NaN where the draw could not tell. */
static void test_best_share_ties(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("judgment");
    assert_int_equal(m->outcomes[0].desirable, NSM_DESIRABLE_NONE);
    double p[3] = {16 / 20.0, 19 / 20.0, 13 / 20.0}, close[3] = {0, 1, 1}, share[3], within[3];
    nsm_outer_comparison r = {1, 20, 3, {1, {12}, {1.0}}, p, NULL, close};
    nsm_comparison cmp = {m, NULL, 3, NULL, NULL, r.horizons, &r, 0, NULL, NULL, NULL};
    assert_true(nsm_outer_draw_help(m, &r, 0, 1, 0, 0) == 3);
    assert_true(nsm_outer_draw_help(m, &r, 0, 2, 0, 0) == 3);
    nsm_comparison_best_share(&cmp, 0, 0, share, within);
    assert_true(share[1] == 0.5 && share[2] == 0.5);
    assert_true(within[1] == 0.5 && within[2] == 0.5);
    p[2] = 14 / 20.0; /* -2 runs: arm 1 alone is the best, and within the noise by its close */
    close[2] = 0;
    nsm_comparison_best_share(&cmp, 0, 0, share, within);
    assert_true(share[1] == 1 && share[2] == 0 && within[1] == 1 && within[2] == 0);
    close[0] = close[1] = close[2] = NAN; /* a draw that could not tell: no arm's part is known */
    nsm_comparison_best_share(&cmp, 0, 0, share, within);
    assert_true(share[1] == 1 && isnan(within[1]) && isnan(within[2]));
    nsm_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_closed_form),
        cmocka_unit_test(test_best_share_ties),
        cmocka_unit_test(test_baseline_is_run_outer),
        cmocka_unit_test(test_every_two_arms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
