/*
** test_precision.c: runs that stop at a stated precision. The widest half-width (precision.h)
** against closed forms (the Wilson half-width; with the draws of --outer, Wilson's at the
** precision of the draws' spread; the paired difference's 1.96 sd / sqrt(n) from the counts); batches (nsm_run_batched) that add up to exactly the run of the same length, stop at
** the same batch for 1 and 2 threads, respect the ceiling, and split across ranks add up.
*/
#include "nsm_test.h"
#include "nsm_model_test.h"

#include <math.h>
#include <stdlib.h>

#include "neasim/arms.h"
#include "neasim/precision.h"
#include "neasim/summary.h"

#define Z 1.959963984540054 /* the 97.5% normal quantile */

static void check_close(const char *what, double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("%s: got %.17g, expected %.17g (tolerance %g)", what, got, want, tol);
}

/* The caller's room for a model's counts (nsm_precision_run): one, for every test, and its size
** checked against the model. */
static int64_t *room(const nsm_model *m)
{
    static int64_t counts[1024];
    assert_true(m->n_reports + 1 <= 1024);
    return counts;
}

/* Wilson (1927): half-width z / (1 + z^2/n) sqrt(p(1-p)/n + z^2/(4 n^2)). */
static double wilson_half(double k, double n)
{
    double p = k / n;
    return Z / (1 + Z * Z / n) * sqrt(p * (1 - p) / n + Z * Z / (4 * n * n));
}

/* An accumulator by hand: of n replications, first[r] is the report where the outcome first
** holds (n_reports: never). */
static nsm_accum *by_hand(const nsm_model *m, const int *first, int n)
{
    nsm_accum *a = nsm_accum_alloc(m);
    assert_non_null(a);
    for (int r = 0; r < n; r++) {
        nsm_accum_outcome_first(a, 0, first[r]);
        nsm_accum_end_replication(a);
    }
    return a;
}

/* 40 replications: 10 have occurred by reports 1 and 2, 30 by report 3. 10/40 and 30/40 have
** the same Wilson width, and of a tie the first target is kept. */
static void test_run_wilson(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("two_state");
    int first[40];
    for (int r = 0; r < 40; r++)
        first[r] = r < 10 ? 1 : r < 30 ? 3 : m->n_reports;
    nsm_accum *a = by_hand(m, first, 40);
    const nsm_precision_target t[] = {{0, 1, 0}, {0, 2, 0}, {0, 3, 0}};
    for (int k = 0; k < 3; k++) {
        nsm_precision_widest w = nsm_precision_run(m, a, &t[k], 1, room(m));
        check_close("one target", w.half_width, wilson_half(k < 2 ? 10 : 30, 40), 1e-14);
        assert_int_equal(w.target, 0);
    }
    nsm_precision_widest w = nsm_precision_run(m, a, t, 3, room(m));
    check_close("widest of three", w.half_width, wilson_half(10, 40), 1e-14);
    assert_int_equal(w.target, 0); /* 10/40 and 30/40 tie: the first is kept */
    const nsm_precision_target u[] = {{0, 1, 0}, {0, 5, 0}};
    first[0] = first[1] = 5;        /* now 8 by report 1 (p = 0.2), 30 by report 5 (p = 0.75) */
    nsm_accum *b = by_hand(m, first, 40);
    w = nsm_precision_run(m, b, u, 2, room(m));
    check_close("wider one", w.half_width, wilson_half(30, 40), 1e-14);
    assert_int_equal(w.target, 1);
    nsm_accum_free(a);
    nsm_accum_free(b);
    nsm_model_free(m);
}

/* Wilson's half-width at an effective sample size n and quantile z. */
static double wilson_half_at(double p, double n, double z)
{
    return z / (1 + z * z / n) * sqrt(p * (1 - p) / n + z * z / (4 * n * n));
}

/* The draws of a two-level run (--outer, accum.h): 4 draws of 10 replications, k[j] of draw j
** occurred by report 1. The target's interval is that of the mean over the draws, as outcomes.csv
** writes it with --outer: standard error the sd of the draws' p_j = k[j] / 10 over sqrt(4) (never
** below the binomial one of all 40), Wilson's at the effective size p(1-p)/se^2 and the t
** quantile of 3 degrees of freedom (3.182446305284263, tables); not the 40 pooled as if
** independent, which is narrower. */
static void test_run_draws(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("two_state");
    const int spread[4] = {1, 3, 6, 8}, alike[4] = {4, 4, 4, 4};
    for (int c = 0; c < 2; c++) {
        const int *k = c == 0 ? spread : alike;
        nsm_accum *all = nsm_accum_alloc(m);
        assert_non_null(all);
        double sum = 0, ss = 0;
        for (int j = 0; j < 4; j++) {
            int first[10];
            for (int r = 0; r < 10; r++)
                first[r] = r < k[j] ? 1 : m->n_reports;
            nsm_accum *draw = by_hand(m, first, 10);
            assert_int_equal(nsm_accum_add_draw(all, draw), NSM_OK);
            nsm_accum_free(draw);
            sum += k[j] / 10.0;
        }
        const double p = sum / 4;
        for (int j = 0; j < 4; j++)
            ss += (k[j] / 10.0 - p) * (k[j] / 10.0 - p);
        double se2 = ss / 3 / 4, pooled = p * (1 - p) / 40;
        se2 = se2 > pooled ? se2 : pooled;
        const nsm_precision_target t[] = {{0, 1, 0}};
        nsm_precision_widest w = nsm_precision_run(m, all, t, 1, room(m));
        check_close(c == 0 ? "draws that differ" : "draws alike", w.half_width,
                    wilson_half_at(p, p * (1 - p) / se2, 3.182446305284263), 1e-12);
        if (c == 0) /* far wider than the 40 pooled */
            assert_true(w.half_width > 1.5 * wilson_half(18, 40));
        nsm_accum_free(all);
    }
    nsm_model_free(m);
}

/* No replications, or no targets: no interval, so never "met" (NaN compares false). */
static void test_run_undefined(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("two_state");
    nsm_accum *a = nsm_accum_alloc(m);
    const nsm_precision_target t[] = {{0, 1, 0}};
    nsm_precision_widest w = nsm_precision_run(m, a, t, 1, room(m));
    assert_true(isnan(w.half_width) && w.target == -1);
    int first[] = {1};
    nsm_accum *b = by_hand(m, first, 1);
    w = nsm_precision_run(m, b, t, 0, room(m));
    assert_true(isnan(w.half_width));
    nsm_accum_free(a);
    nsm_accum_free(b);
    nsm_model_free(m);
}

typedef struct {
    nsm_model *m;
    nsm_arm *arms;
    int n_arms;
    nsm_accum *acc[2];
    nsm_paired *paired[2];
} comparison;

static void comparison_alloc(comparison *c, const char *lever)
{
    c->m = nsm_test_load("two_state");
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_arms_build(c->m, lever, 0, "two_state", &c->arms, &c->n_arms, &d), NSM_OK);
    assert_int_equal(c->n_arms, 2);
    for (int a = 0; a < 2; a++) {
        c->acc[a] = nsm_accum_alloc(c->m);
        c->paired[a] = a ? nsm_paired_alloc(c->m) : NULL;
    }
    nsm_diag_release(&d);
}

static void comparison_free(comparison *c)
{
    for (int a = 0; a < 2; a++) {
        nsm_accum_free(c->acc[a]);
        nsm_paired_free(c->paired[a]);
    }
    nsm_arms_free(c->arms, c->n_arms);
    nsm_model_free(c->m);
}

/* The paired difference D = A - B of two indicators, from the counts: sum D = a - b, sum D^2 =
** a + b - 2 ab; Var D = (sum D^2 - (sum D)^2 / n) / (n - 1); half-width z sqrt(Var D / n). */
static double paired_half(const comparison *c, int report)
{
    int64_t *a = calloc((size_t)c->m->n_reports + 1, sizeof *a);
    int64_t *b = calloc((size_t)c->m->n_reports + 1, sizeof *b);
    int64_t *ab = calloc((size_t)c->m->n_reports + 1, sizeof *ab);
    nsm_occurred_by(c->m, c->acc[1], 0, a);
    nsm_occurred_by(c->m, c->acc[0], 0, b);
    nsm_paired_both_occurred(c->paired[1], 0, ab);
    double n = (double)nsm_accum_runs(c->acc[0]), s = (double)(a[report] - b[report]);
    double s2 = (double)(a[report] + b[report] - 2 * ab[report]);
    double h = Z * sqrt((s2 - s * s / n) / (n - 1) / n);
    free(a);
    free(b);
    free(ab);
    return h;
}

/* Lever "faster" of two_state against the baseline, 3,000 paired replications (seed 3). */
static void comparison_run(comparison *c)
{
    comparison_alloc(c, "faster");
    nsm_run_config rc = {3, 3000, 0, 2, NULL, NULL, NULL, NSM_UNCERTAINTY_NOMINAL, 0, 0};
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_compare_run(c->m, c->arms, 2, &rc, c->acc, c->paired, NULL, &d), NSM_OK);
    nsm_diag_release(&d);
}

static void test_compare_paired(void **state)
{
    (void)state;
    comparison c;
    comparison_run(&c);
    const nsm_precision_target t[] = {{0, 3, 0}, {0, 12, 0}, {0, 6, 0}};
    double want = 0;
    int at = -1;
    for (int k = 0; k < 3; k++) {
        double h = paired_half(&c, t[k].report);
        nsm_precision_widest w =
            nsm_precision_compare(c.m, (const nsm_accum *const *)c.acc, c.paired, 2, &t[k], 1);
        check_close("paired half-width", w.half_width, h, 1e-12);
        assert_int_equal(w.arm, 1);
        if (h > want) {
            want = h;
            at = k;
        }
    }
    nsm_precision_widest w =
        nsm_precision_compare(c.m, (const nsm_accum *const *)c.acc, c.paired, 2, t, 3);
    check_close("widest paired", w.half_width, want, 1e-12);
    assert_int_equal(w.target, at);
    comparison_free(&c);
}

/* A target of one arm is measured in that arm alone: of three arms, the second and third the same
** lever's results, a target of arm 2 is found there (arm 2, the paired half-width), one of arm 1
** there, one of every arm (arm 0) in the first of the tie; a target of an arm the comparison lacks
** measures nothing (NaN: never met). */
static void test_compare_one_arm(void **state)
{
    (void)state;
    comparison c;
    comparison_run(&c);
    const nsm_accum *const acc[] = {c.acc[0], c.acc[1], c.acc[1]};
    nsm_paired *const paired[] = {NULL, c.paired[1], c.paired[1]};
    const double h = paired_half(&c, 12);
    for (int arm = 0; arm <= 2; arm++) {
        const nsm_precision_target t[] = {{0, 12, arm}};
        nsm_precision_widest w = nsm_precision_compare(c.m, acc, paired, 3, t, 1);
        check_close("one arm's target", w.half_width, h, 1e-12);
        assert_int_equal(w.arm, arm == 0 ? 1 : arm);
        assert_int_equal(w.target, 0);
    }
    const nsm_precision_target missing[] = {{0, 12, 2}};
    nsm_precision_widest w = nsm_precision_compare(c.m, acc, paired, 2, missing, 1);
    assert_true(isnan(w.half_width) && w.target == -1);
    comparison_free(&c);
}

/* A rule that stops after `after` batches, counting its calls. */
typedef struct {
    int calls, after;
} counter;

static int stop_after(void *ctx)
{
    counter *k = ctx;
    return ++k->calls >= k->after;
}

static nsm_accum *run(const nsm_model *m, uint64_t runs, int threads, const nsm_batches *b)
{
    nsm_accum *a = nsm_accum_alloc(m);
    nsm_run_config rc = {9, runs, 0, threads, NULL, NULL, NULL, NSM_UNCERTAINTY_NOMINAL, 0, 0};
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(b ? nsm_run_batched(m, &rc, b, a, NULL, &d) : nsm_run(m, &rc, a, NULL, &d),
                     NSM_OK);
    nsm_diag_release(&d);
    return a;
}

/* Every series of the two accumulators is the same. */
static void assert_same(const nsm_model *m, const nsm_accum *x, const nsm_accum *y)
{
    assert_int_equal(nsm_accum_runs(x), nsm_accum_runs(y));
    int64_t *sx = calloc((size_t)m->n_reports + 1, sizeof *sx);
    int64_t *sy = calloc((size_t)m->n_reports + 1, sizeof *sy);
    for (int o = 0; o < m->n_outcomes; o++) {
        nsm_occurred_by(m, x, o, sx);
        nsm_occurred_by(m, y, o, sy);
        for (int i = 0; i <= m->n_reports; i++)
            assert_int_equal(sx[i], sy[i]);
        nsm_accum_outcome_held_series(x, o, sx);
        nsm_accum_outcome_held_series(y, o, sy);
        for (int i = 0; i < m->n_reports; i++)
            assert_int_equal(sx[i], sy[i]);
    }
    free(sx);
    free(sy);
}

/* Three batches of 700 stopped by the rule are the run of 2100, for 1 and 2 threads; the rule is
** called once after each batch but never after the last one (the ceiling). */
static void test_batches_add_up(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("two_state");
    nsm_accum *plain = run(m, 2100, 2, NULL);
    for (int threads = 1; threads <= 2; threads++) {
        counter k = {0, 3};
        const nsm_batches b = {700, stop_after, &k, 0, 1};
        nsm_accum *a = run(m, 100000, threads, &b);
        assert_int_equal(k.calls, 3);
        assert_same(m, a, plain);
        nsm_accum_free(a);
    }
    counter k = {0, 1000};
    const nsm_batches b = {700, stop_after, &k, 0, 1};
    nsm_accum *a = run(m, 2100, 2, &b); /* the ceiling: three whole batches, two calls */
    assert_int_equal(k.calls, 2);
    assert_same(m, a, plain);
    nsm_accum_free(a);
    k.calls = 0;
    a = run(m, 1500, 2, &b); /* 700 + 700 + 100 */
    assert_int_equal(k.calls, 2);
    assert_int_equal(nsm_accum_runs(a), 1500);
    nsm_accum_free(a);
    nsm_accum_free(plain);
    nsm_model_free(m);
}

/* Three ranks sharing batches of 700 (233, 233 and 234 each), stopped after three batches: the
** ranks' outputs add up to the run of 2100 (what MPI ranks would gather). */
static void test_batches_ranks(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("two_state");
    nsm_accum *plain = run(m, 2100, 2, NULL), *sum = nsm_accum_alloc(m);
    for (int rank = 0; rank < 3; rank++) {
        counter k = {0, 3};
        const nsm_batches b = {700, stop_after, &k, rank, 3};
        nsm_accum *a = run(m, 100000, 1 + rank % 2, &b);
        assert_int_equal(nsm_accum_runs(a), rank < 2 ? 3 * 233 : 3 * 234);
        assert_int_equal(nsm_accum_merge(sum, a), NSM_OK);
        nsm_accum_free(a);
    }
    assert_same(m, sum, plain);
    nsm_accum_free(sum);
    nsm_accum_free(plain);
    nsm_model_free(m);
}

/* The precision rule itself, 1 and 2 threads: the same stopping count, and the target met. */
typedef struct {
    const nsm_model *m;
    nsm_accum *const *acc;
    double h;
} rule;

static int precise_enough(void *ctx)
{
    const rule *r = ctx;
    static const nsm_precision_target t[] = {{0, 6, 0}, {0, 12, 0}, {0, 24, 0}};
    return nsm_precision_run(r->m, r->acc[0], t, 3, room(r->m)).half_width <= r->h;
}

static void test_rule_threads(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("two_state");
    uint64_t n[2];
    for (int threads = 1; threads <= 2; threads++) {
        nsm_accum *a = nsm_accum_alloc(m);
        rule r = {m, &a, 0.01};
        const nsm_batches b = {500, precise_enough, &r, 0, 1};
        nsm_run_config rc = {4, 1000000, 0, threads, NULL, NULL, NULL, NSM_UNCERTAINTY_NOMINAL, 0,
                             0};
        nsm_diag d;
        nsm_diag_init(&d);
        assert_int_equal(nsm_run_batched(m, &rc, &b, a, NULL, &d), NSM_OK);
        n[threads - 1] = nsm_accum_runs(a);
        assert_true(precise_enough(&r));
        /* p = 1 - exp(-2 t) at 0.5 year is 0.632: Wilson needs about 1.96^2 p(1-p) / h^2 = 8900 */
        assert_true(n[threads - 1] >= 8000 && n[threads - 1] <= 10000);
        assert_int_equal(n[threads - 1] % 500, 0);
        nsm_diag_release(&d);
        nsm_accum_free(a);
    }
    assert_int_equal(n[0], n[1]);
    nsm_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_wilson),
        cmocka_unit_test(test_run_undefined),
        cmocka_unit_test(test_run_draws),
        cmocka_unit_test(test_compare_paired),
        cmocka_unit_test(test_compare_one_arm),
        cmocka_unit_test(test_batches_add_up),
        cmocka_unit_test(test_batches_ranks),
        cmocka_unit_test(test_rule_threads),
    };
    return cmocka_run_group_tests_name("precision", tests, NULL, NULL);
}
