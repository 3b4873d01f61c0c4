/*
** test_prim.c: known answers for PRIM (prim.h): EMA's quantile by hand; peeling by hand on six
** points in 2-D (each step, its limits, mass, coverage and density); a paste by hand on 40
** points in 1-D; quasi-p-values (a number's whole restriction dropped, and each limit alone)
** against binomial tails computed by hand; the rules that choose a box; dropping restrictions
** that do not matter, by hand; and a synthetic sweep of
** 4000 uniform points in [0,1]^5 whose cases lie in [0.2,0.6] x [0.5,1] (5% of outputs flipped):
** the box at the knee has the true limits within 0.03, the three other numbers stay
** unrestricted, and its mass, coverage and density equal a count made here.
*/
#include "nsm_test.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "neasim/prim.h"

#define assert_double_equal(got, want, tol) check_close(#got, (got), (want), (tol))

static void check_close(const char *what, double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("%s: got %.17g, expected %.17g (tolerance %g)", what, got, want, tol);
}

static void test_quantile_by_hand(void **state)
{
    (void)state;
    const double v[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    /* i = 9 * 0.05 = 0.45: between v[0] and v[1] */
    assert_double_equal(nsm_prim_quantile(v, 10, 0.05), 1.5, 0);
    /* i = 8.55: between v[8] and v[9] */
    assert_double_equal(nsm_prim_quantile(v, 10, 0.95), 9.5, 0);
    const double ties[] = {1, 1, 1, 2, 3, 3, 3};
    /* i = 0.3, v[0] = v[1]: move up to the next distinct value, 2 */
    assert_double_equal(nsm_prim_quantile(ties, 7, 0.05), 1.5, 0);
    /* i = 5.7, v[6] = v[5] = v[4]: move down to 2 */
    assert_double_equal(nsm_prim_quantile(ties, 7, 0.95), 2.5, 0);
    const double same[] = {4, 4, 4};
    assert_double_equal(nsm_prim_quantile(same, 3, 0.05), 4, 0);
    assert_double_equal(nsm_prim_quantile(same, 3, 0.95), 4, 0);
    assert_double_equal(nsm_prim_quantile(same, 1, 0.95), 4, 0);
}

/* Six points, three cases (P1, P2, P3). With alpha 0.05 and at most 20 points each peel takes off
** one point. By hand (lenient1: change of density per point removed):
**  1: start density 3/6. Removing P4 (dim 0 up), P0 (dim 0 down) or P5 (dim 1 down), each a 0,
**     scores +0.1; all restrict one number; dim 0 upper comes first: upper 0 = (0.7+0.9)/2 = 0.8.
**  2: P0 (dim 0 down) and P5 (dim 1 down) score +0.15; P0 restricts no new number: lower 0 = 0.2.
**  3: only P5 (dim 1 down) helps: lower 1 = (0.1+0.2)/2 = 0.15, density 1.
**  4: every peel removes a case, objective 0: peeling stops (EMA peels while the objective is
**     above 0). Pasting cannot raise a density of 1: the trajectory ends. */
static const double X6[] = {0.1, 0.5, 0.3, 0.2, 0.5, 0.9, 0.7, 0.4, 0.9, 0.7, 0.6, 0.1};
static const double Y6[] = {0, 1, 1, 1, 0, 0};

static void test_peeling_by_hand(void **state)
{
    (void)state;
    nsm_prim_options o = {0.05, 0.05, 0.3};
    nsm_prim_result r;
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_prim(X6, Y6, 6, 2, &o, &r, &d), NSM_OK);
    assert_int_equal(r.n_steps, 4);
    assert_true(r.binary);
    const double lo0[] = {0.1, 0.1, 0.2, 0.2}, hi0[] = {0.9, 0.8, 0.8, 0.8};
    const double lo1[] = {0.1, 0.1, 0.1, 0.15};
    const int points[] = {6, 5, 4, 3}, nres[] = {0, 1, 1, 2}, dim[] = {-1, 0, 0, 1},
              side[] = {-1, 1, 0, 0};
    for (int s = 0; s < 4; s++) {
        assert_int_equal(r.steps[s].kind, s ? NSM_PRIM_PEEL : NSM_PRIM_START);
        assert_int_equal(r.steps[s].dim, dim[s]);
        assert_int_equal(r.steps[s].side, side[s]);
        assert_double_equal(nsm_prim_lower(&r, s, 0), lo0[s], 1e-15);
        assert_double_equal(nsm_prim_upper(&r, s, 0), hi0[s], 1e-15);
        assert_double_equal(nsm_prim_lower(&r, s, 1), lo1[s], 1e-15);
        assert_double_equal(nsm_prim_upper(&r, s, 1), 0.9, 0);
        assert_int_equal(r.steps[s].points, points[s]);
        assert_double_equal(r.steps[s].mass, points[s] / 6.0, 1e-15);
        assert_double_equal(r.steps[s].coverage, 1.0, 0);
        assert_double_equal(r.steps[s].density, 3.0 / points[s], 1e-15);
        assert_int_equal(r.steps[s].n_restricted, nres[s]);
    }
    assert_int_equal(nsm_prim_restricted(&r, 3, 0), 3);
    assert_int_equal(nsm_prim_restricted(&r, 3, 1), 1);
    assert_int_equal(nsm_prim_restricted(&r, 1, 0), 2);
    /* every box covers every case: by a density target, or none reached, the densest is step 3;
    ** so is the box closest to coverage 1 and density 1 */
    assert_int_equal(nsm_prim_choose(&r, 0.7), 3);
    assert_int_equal(nsm_prim_choose(&r, 1.5), 3);
    assert_int_equal(nsm_prim_knee(&r), 3);
    /* Quasi-p at step 3 (3 points, 3 cases). Without number 0's limits: P0..P4 (x1 in
    ** [0.15, 0.9]), 3 cases in 5, P(X >= 3 | Bin(3, 0.6)) = 0.216. Without its lower limit only
    ** (x0 <= 0.8): P0, P1, P2, P3, 3 in 4, 0.75^3 = 0.421875; without its upper limit only
    ** (x0 >= 0.2): P1, P2, P3, P4, also 0.421875. Without number 1's lower limit (its only one):
    ** P1, P2, P3, P5 (x0 in [0.2, 0.8]), 0.421875. */
    double qp[2], side_qp[4];
    nsm_prim_quasi_p(X6, Y6, &r, 3, qp, side_qp);
    assert_double_equal(qp[0], 0.216, 1e-12);
    assert_double_equal(qp[0], gsl_cdf_binomial_Q(2, 0.6, 3), 1e-15);
    assert_double_equal(side_qp[0], 0.421875, 1e-12);
    assert_double_equal(side_qp[1], 0.421875, 1e-12);
    assert_double_equal(qp[1], 0.421875, 1e-12);
    assert_double_equal(side_qp[2], 0.421875, 1e-12);
    assert_true(isnan(side_qp[3])); /* number 1's upper limit is not restricted */
    nsm_prim_quasi_p(X6, Y6, &r, 0, qp, NULL);
    assert_true(isnan(qp[0]) && isnan(qp[1])); /* nothing restricted */
    /* Dropping restrictions whose quasi-p exceeds 0.32: number 1's (0.421875) goes first, giving
    ** P1, P2, P3, P5 (4 points, 3 cases); number 0's is then tested without number 1's: all six
    ** points, 3 cases, P(X >= 3 | Bin(4, 0.5)) = 5/16 = 0.3125, which stays. Above 0.3 it goes
    ** too, back to the whole space. Above 0.5, nothing is dropped. */
    int last;
    assert_int_equal(nsm_prim_drop(X6, Y6, &r, 3, 0.5, &last, &d), NSM_OK);
    assert_int_equal(last, 3);
    assert_int_equal(r.n_steps, 4);
    assert_int_equal(nsm_prim_drop(X6, Y6, &r, 3, 0.32, &last, &d), NSM_OK);
    assert_int_equal(last, 4);
    assert_int_equal(r.steps[4].kind, NSM_PRIM_DROP);
    assert_int_equal(r.steps[4].dim, 1);
    assert_int_equal(r.steps[4].side, -1);
    assert_int_equal(r.steps[4].points, 4);
    assert_double_equal(r.steps[4].cases, 3, 0);
    assert_int_equal(nsm_prim_restricted(&r, 4, 1), 0);
    assert_int_equal(nsm_prim_restricted(&r, 4, 0), 3);
    nsm_prim_quasi_p(X6, Y6, &r, 4, qp, NULL);
    assert_double_equal(qp[0], 0.3125, 1e-12);
    assert_int_equal(nsm_prim_drop(X6, Y6, &r, 3, 0.3, &last, &d), NSM_OK);
    assert_int_equal(last, 6); /* steps 5 and 6, after the 4 above */
    assert_int_equal(r.steps[6].points, 6);
    assert_int_equal(r.steps[6].n_restricted, 0);
    nsm_prim_release(&r);
    nsm_diag_release(&d);
}

/* x = 1..40 in one dimension; cases at 11..30 and 39. With 30 to 40 points a peel takes off two.
** Steps 1-5 peel the lower end two points at a time (pairs of zeros), raising the density from
** 21/40 to 21/30; step 6 the upper end (39, 40: a case and a zero, +0.0071; the lower end would
** take off two cases), limit 38.5, 28 points. Step 7 would leave 26 < 0.66 x 40: stop. Pasting:
** the points above 38.5 are 39 and 40, their 0.05 quantile 39.5: 39 joins, a case, density
** 21/29 > 20/28. Then 40 (a zero) or 10 (a zero) would lower it: stop. */
static void test_paste_by_hand(void **state)
{
    (void)state;
    double x[40], y[40];
    for (int i = 0; i < 40; i++) {
        x[i] = i + 1;
        y[i] = (x[i] >= 11 && x[i] <= 30) || x[i] == 39;
    }
    nsm_prim_options o = {0.05, 0.05, 0.66};
    nsm_prim_result r;
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_prim(x, y, 40, 1, &o, &r, &d), NSM_OK);
    assert_int_equal(r.n_steps, 8);
    const double lo[] = {1, 2.5, 4.5, 6.5, 8.5, 10.5, 10.5, 10.5};
    const double hi[] = {40, 40, 40, 40, 40, 40, 38.5, 39.5};
    const int points[] = {40, 38, 36, 34, 32, 30, 28, 29}, cases[] = {21, 21, 21, 21, 21, 21, 20, 21};
    for (int s = 0; s < 8; s++) {
        assert_int_equal(r.steps[s].kind, s == 0 ? NSM_PRIM_START : s < 7 ? NSM_PRIM_PEEL
                                                                           : NSM_PRIM_PASTE);
        assert_double_equal(nsm_prim_lower(&r, s, 0), lo[s], 1e-12);
        assert_double_equal(nsm_prim_upper(&r, s, 0), hi[s], 1e-12);
        assert_int_equal(r.steps[s].points, points[s]);
        assert_double_equal(r.steps[s].cases, cases[s], 0);
    }
    assert_int_equal(r.steps[7].dim, 0);
    assert_int_equal(r.steps[7].side, 1);
    nsm_prim_release(&r);
    nsm_diag_release(&d);
}

enum { N5 = 4000, D5 = 5 };

static int in_true_box(const double *xi)
{
    return xi[0] >= 0.2 && xi[0] <= 0.6 && xi[1] >= 0.5;
}

static void test_synthetic_box(void **state)
{
    (void)state;
    double *x = malloc(N5 * D5 * sizeof *x), *y = malloc(N5 * sizeof *y);
    assert_non_null(x);
    assert_non_null(y);
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 20261202);
    for (int i = 0; i < N5; i++) {
        for (int j = 0; j < D5; j++)
            x[i * D5 + j] = gsl_rng_uniform(g);
        int inside = in_true_box(x + i * D5);
        y[i] = gsl_rng_uniform(g) < 0.05 ? !inside : inside; /* 5% noise */
    }
    gsl_rng_free(g);
    nsm_prim_options o = NSM_PRIM_DEFAULTS;
    nsm_prim_result r;
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_prim(x, y, N5, D5, &o, &r, &d), NSM_OK);
    int s = nsm_prim_knee(&r);
    assert_double_equal(nsm_prim_lower(&r, s, 0), 0.2, 0.03);
    assert_double_equal(nsm_prim_upper(&r, s, 0), 0.6, 0.03);
    assert_double_equal(nsm_prim_lower(&r, s, 1), 0.5, 0.03);
    assert_int_equal(nsm_prim_restricted(&r, s, 0), 3);
    assert_int_equal(nsm_prim_restricted(&r, s, 1), 1);
    for (int j = 2; j < D5; j++)
        assert_int_equal(nsm_prim_restricted(&r, s, j), 0);
    /* mass, coverage and density counted here from the box's limits */
    int points = 0;
    double cases = 0, total = 0;
    for (int i = 0; i < N5; i++) {
        int inside = 1;
        for (int j = 0; j < D5; j++)
            inside &= x[i * D5 + j] >= nsm_prim_lower(&r, s, j) &&
                      x[i * D5 + j] <= nsm_prim_upper(&r, s, j);
        points += inside;
        cases += inside * y[i];
        total += y[i];
    }
    assert_double_equal(r.steps[s].mass, (double)points / N5, 1e-15);
    assert_double_equal(r.steps[s].coverage, cases / total, 1e-15);
    assert_double_equal(r.steps[s].density, cases / points, 1e-15);
    assert_true(r.steps[s].density >= 0.9);
    /* the rule by a density target: a box at least as dense, with the largest coverage */
    int t = nsm_prim_choose(&r, 0.8);
    assert_true(r.steps[t].density >= 0.8);
    for (int k = 0; k < r.n_steps; k++)
        assert_true(r.steps[k].density < 0.8 || r.steps[k].coverage <= r.steps[t].coverage);
    /* both restrictions matter: their quasi-p-values are tiny */
    double qp[D5], side_qp[2 * D5];
    nsm_prim_quasi_p(x, y, &r, s, qp, side_qp);
    assert_true(qp[0] < 1e-6 && qp[1] < 1e-6);
    assert_true(side_qp[0] < 1e-6 && side_qp[1] < 1e-6 && side_qp[2] < 1e-6);
    assert_true(isnan(side_qp[3]));
    for (int j = 2; j < D5; j++)
        assert_true(isnan(qp[j]) && isnan(side_qp[2 * j]) && isnan(side_qp[2 * j + 1]));
    /* against a count made here: number 1's lower limit dropped */
    int t1 = 0;
    double h1 = 0;
    for (int i = 0; i < N5; i++) {
        const double *xi = x + i * D5;
        int inside = xi[0] >= nsm_prim_lower(&r, s, 0) && xi[0] <= nsm_prim_upper(&r, s, 0);
        t1 += inside;
        h1 += inside * y[i];
    }
    assert_double_equal(side_qp[2], gsl_cdf_binomial_Q((unsigned)(cases - 1), h1 / t1,
                                                       (unsigned)points), 0);
    /* the mass never falls below mass_min; the trajectory ends in the pastes */
    for (int k = 0; k < r.n_steps; k++)
        assert_true(r.steps[k].mass >= o.mass_min);
    nsm_prim_release(&r);
    nsm_diag_release(&d);
    free(x);
    free(y);
}

static void test_refusals(void **state)
{
    (void)state;
    nsm_prim_options o = NSM_PRIM_DEFAULTS;
    nsm_prim_result r;
    nsm_diag d;
    nsm_diag_init(&d);
    const double zero[] = {0, 0, 0, 0, 0, 0};
    assert_int_equal(nsm_prim(X6, zero, 6, 2, &o, &r, &d), NSM_ERR_USAGE);
    assert_non_null(strstr(d.error, "no point is a case"));
    nsm_prim_release(&r);
    nsm_diag_release(&d);
    nsm_diag_init(&d);
    o.peel_alpha = 0.5;
    assert_int_equal(nsm_prim(X6, Y6, 6, 2, &o, &r, &d), NSM_ERR_USAGE);
    nsm_prim_release(&r);
    nsm_diag_release(&d);
}

/* A continuous y: no quasi-p-values, the same statistics. */
static void test_continuous(void **state)
{
    (void)state;
    const double y[] = {0.1, 0.9, 0.8, 0.7, 0.2, 0.0};
    nsm_prim_options o = {0.05, 0.05, 0.3};
    nsm_prim_result r;
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_prim(X6, y, 6, 2, &o, &r, &d), NSM_OK);
    assert_false(r.binary);
    assert_double_equal(r.total, 2.7, 1e-12);
    double qp[2];
    nsm_prim_quasi_p(X6, y, &r, r.n_steps - 1, qp, NULL);
    assert_true(isnan(qp[0]) && isnan(qp[1]));
    nsm_prim_release(&r);
    nsm_diag_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quantile_by_hand),
        cmocka_unit_test(test_peeling_by_hand),
        cmocka_unit_test(test_paste_by_hand),
        cmocka_unit_test(test_synthetic_box),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_continuous),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
