/*
** test_compare.c: levers and paired comparisons. A null lever gives differences of exactly zero; a
** lever on one factor leaves the paths of what does not depend on it byte-identical; paired 95%
** intervals cover a closed-form difference at their nominal rate; lever rows apply as documented.
*/
#include "nsm_test.h"
#include "nsm_model_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neasim/compare.h"
#include "neasim/params.h"
#include "neasim/scenario.h"

/* cmocka 1.1's assert_float_equal works in float; these numbers need double. */
#define assert_near(a, b) assert_true(fabs((a) - (b)) < 1e-12)

typedef struct {
    nsm_model *m;
    nsm_arm *arms;
    int n_arms;
    nsm_accum **acc;
    nsm_paired **paired;
} comparison;

static comparison compare(const char *model, const char *levers, uint64_t runs, uint64_t seed)
{
    comparison c = {nsm_test_load(model), NULL, 0, NULL, NULL};
    nsm_diag d;
    nsm_diag_init(&d);
    if (nsm_arms_build(c.m, levers, 0, model, &c.arms, &c.n_arms, &d) != NSM_OK)
        fail_msg("arms %s: %s", levers, d.error);
    c.acc = calloc((size_t)c.n_arms, sizeof *c.acc);
    c.paired = calloc((size_t)c.n_arms, sizeof *c.paired);
    for (int a = 0; a < c.n_arms; a++) {
        c.acc[a] = nsm_accum_alloc(c.m);
        c.paired[a] = a ? nsm_paired_alloc(c.m) : NULL;
    }
    nsm_run_config rc = {seed, runs, 0, 2, NULL, NULL, NULL, NSM_UNCERTAINTY_NOMINAL, 0, 0};
    assert_int_equal(nsm_compare_run(c.m, c.arms, c.n_arms, &rc, c.acc, c.paired, NULL, &d), NSM_OK);
    nsm_diag_release(&d);
    return c;
}

static void release(comparison *c)
{
    for (int a = 0; a < c->n_arms; a++) {
        nsm_accum_free(c->acc[a]);
        nsm_paired_free(c->paired[a]);
    }
    free(c->acc);
    free(c->paired);
    nsm_arms_free(c->arms, c->n_arms);
    nsm_model_free(c->m);
}

/* A lever that changes nothing: every paired difference is exactly 0 with standard error 0, for
** outcomes (both measures) and counted events. */
static void test_null_lever_is_exactly_zero(void **state)
{
    (void)state;
    comparison c = compare("paths", "null", 5000, 3);
    int64_t *d2 = calloc((size_t)c.m->n_reports + 1, sizeof *d2);
    for (int o = 0; o < c.m->n_outcomes; o++)
        for (int ms = 0; ms < 2; ms++)
            for (int i = 0; i < c.m->n_reports; i++) {
                nsm_difference d = nsm_difference_outcome(c.m, c.acc[0], c.acc[1], c.paired[1], o, ms, i);
                if (d.diff != 0.0 || d.se != 0.0)
                    fail_msg("outcome %d measure %d report %d: difference %g, se %g", o, ms, i,
                             d.diff, d.se);
            }
    nsm_paired_event_d2(c.paired[1], 0, d2);
    for (int i = 0; i < c.m->n_reports; i++)
        assert_int_equal(d2[i], 0);
    free(d2);
    release(&c);
}

/* Observer: record changes of one factor. */
typedef struct {
    int factor;
    int n;
    double t[4096];
    int from[4096], to[4096];
} path;

static void record(void *ctx, const nsm_seen *w)
{
    path *p = ctx;
    if (w->kind != NSM_SEEN_CHANGE || w->factor != p->factor || p->n == 4096)
        return;
    p->t[p->n] = w->t;
    p->from[p->n] = w->from;
    p->to[p->n++] = w->to;
}

/* One replication of one arm, recording factor g's path and the event's occurrences. */
static void one_path(const nsm_model *m, const nsm_arm *arm, uint64_t rep, path *p,
                     nsm_spans *occ)
{
    nsm_sim *s = nsm_sim_alloc(m);
    nsm_accum *a = nsm_accum_alloc(m);
    nsm_sim_set_arm(s, arm);
    assert_int_equal(nsm_sim_enable_trace(s), NSM_OK);
    nsm_sim_set_observer(s, record, p);
    assert_int_equal(nsm_sim_replicate(s, 77, rep, a, NULL), NSM_OK);
    const nsm_spans *o = &nsm_sim_trace(s)->occ[0];
    occ->n = o->n;
    for (int k = 0; k < o->n && k < occ->cap; k++)
        occ->i0[k] = o->i0[k];
    nsm_accum_free(a);
    nsm_sim_free(s);
}

/* Levers on f (its hazard, from the start or from 2027; both combined with the coupling switched
** off) leave g's path and the counted event's occurrences byte-identical in every replication,
** while f's own path does change. */
static void test_lever_leaves_independent_paths(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("paths");
    nsm_arm *arms;
    int n_arms;
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_arms_build(m, "push_f,push_f_later,push_f+calm_h", 0, "paths", &arms,
                                    &n_arms, &d), NSM_OK);
    int g = 1, f_changed = 0;
    static path base, other;
    int buf0[4096], buf1[4096];
    nsm_spans occ0 = {buf0, NULL, 0, 4096}, occ1 = {buf1, NULL, 0, 4096};
    for (uint64_t rep = 0; rep < 300; rep++) {
        for (int a = 1; a < n_arms; a++) {
            base = (path){.factor = g};
            other = (path){.factor = g};
            one_path(m, &arms[0], rep, &base, &occ0);
            one_path(m, &arms[a], rep, &other, &occ1);
            assert_int_equal(base.n, other.n);
            assert_memory_equal(base.t, other.t, (size_t)base.n * sizeof base.t[0]);
            assert_memory_equal(base.to, other.to, (size_t)base.n * sizeof base.to[0]);
            assert_int_equal(occ0.n, occ1.n);
            assert_memory_equal(occ0.i0, occ1.i0, (size_t)occ0.n * sizeof occ0.i0[0]);
            path fb = {.factor = 0}, fa = {.factor = 0};
            one_path(m, &arms[0], rep, &fb, &occ0);
            one_path(m, &arms[a], rep, &fa, &occ1);
            f_changed += fb.n != fa.n || memcmp(fb.t, fa.t, (size_t)fb.n * sizeof fb.t[0]) != 0;
        }
    }
    assert_true(f_changed > 100); /* the lever did act on f */
    nsm_diag_release(&d);
    nsm_arms_free(arms, n_arms);
    nsm_model_free(m);
}

/* Two-state chain, lambda 2 -> 3 (lever "faster"), mu = 2, from a: the exact differences are
** P3(t) - P2(t) with P_l(t) = l/(l+2) (1 - exp(-(l+2)t)) for "holds", and exp(-2t) - exp(-3t) for
** "occurred by". Over 200 seeds the paired 95% intervals must cover them at a rate within three
** binomial standard errors of 0.95. */
static void test_paired_interval_coverage(void **state)
{
    (void)state;
    const int seeds = 200;
    int covered[2] = {0, 0};
    for (int sd = 0; sd < seeds; sd++) {
        comparison c = compare("two_state", "faster", 2000, 1000 + (uint64_t)sd);
        int i = 12; /* 2026-01-01, one year on */
        double t = nsm_years(c.m->report_t[i]);
        double exact[2] = {0.6 * (1 - exp(-5 * t)) - 0.5 * (1 - exp(-4 * t)),
                           exp(-2 * t) - exp(-3 * t)};
        for (int ms = 0; ms < 2; ms++) {
            nsm_difference d = nsm_difference_outcome(c.m, c.acc[0], c.acc[1], c.paired[1], 0, ms, i);
            covered[ms] += d.lo <= exact[ms] && exact[ms] <= d.hi;
        }
        release(&c);
    }
    double tol = 3 * sqrt(0.95 * 0.05 / seeds);
    for (int ms = 0; ms < 2; ms++)
        if (fabs((double)covered[ms] / seeds - 0.95) > tol)
            fail_msg("measure %d: coverage %d/%d, nominal 0.95 +- %.3f", ms, covered[ms], seeds, tol);
}

/* The variance reduction by pairing has a closed form here: on common random numbers the first
** move is at E/3 instead of E/2 (one unit exponential E), so "occurred by t" differs exactly when
** E/3 <= t < E/2, with probability q = exp(-2t) - exp(-3t): Var(D) = q(1-q), against
** p3(1-p3) + p2(1-p2) for independent runs (p_l = 1 - exp(-l t)). */
static void test_variance_reduction(void **state)
{
    (void)state;
    comparison c = compare("two_state", "faster", 50000, 5);
    int i = 12;
    double t = nsm_years(c.m->report_t[i]), q = exp(-2 * t) - exp(-3 * t);
    double p2 = 1 - exp(-2 * t), p3 = 1 - exp(-3 * t);
    double exact = (p3 * (1 - p3) + p2 * (1 - p2)) / (q * (1 - q));
    nsm_difference d = nsm_difference_outcome(c.m, c.acc[0], c.acc[1], c.paired[1], 0, 1, i);
    if (fabs(d.vrf / exact - 1) > 0.05)
        fail_msg("variance reduction %.3f, exact %.3f", d.vrf, exact);
    release(&c);
}

/* Lever rows: multiply scales the hazard whatever the unit; set writes in the row's unit; a
** later date opens a phase; probabilities of a draw row are rescaled to sum to 1. */
static void test_lever_semantics(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("two_state");
    nsm_arm *arms;
    int n;
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_arms_build(m, "faster,slow_back,later,faster+later", 0, "two_state",
                                    &arms, &n, &d), NSM_OK);
    assert_int_equal(n, 5);
    assert_string_equal(arms[0].name, "baseline");
    assert_true(arms[0].phase_model[0] == m);
    assert_near(arms[1].phase_model[0]->transitions[0].rate, 3.0);
    assert_near(arms[2].phase_model[0]->transitions[1].rate, 1.0);
    assert_int_equal(arms[3].n_phases, 2);
    assert_near(arms[3].phase_model[0]->transitions[0].rate, 2.0);
    assert_near(arms[3].phase_model[1]->transitions[0].rate, 4.0);
    assert_near(arms[4].phase_model[0]->transitions[0].rate, 3.0);
    assert_near(arms[4].phase_model[1]->transitions[0].rate, 6.0);
    assert_near(m->transitions[0].rate, 2.0); /* the scenario is untouched */
    nsm_arms_free(arms, n);

    nsm_model *r = nsm_test_load("redraw"), *v = nsm_model_variant(r);
    nsm_diag why;
    nsm_diag_init(&why);
    nsm_param p = {NSM_P_DRAW, 0, 0, 2}; /* election: x -> z, 0.1 */
    assert_int_equal(nsm_param_apply(v, &p, NSM_OP_SET, 0.4, &why), NSM_OK);
    assert_near(v->draws[0].prob[0], 0.7 * 0.6 / 0.9);
    assert_near(v->draws[0].prob[1], 0.2 * 0.6 / 0.9);
    assert_near(v->draws[0].prob[2], 0.4);
    assert_near(r->draws[0].prob[2], 0.1);
    assert_int_equal(nsm_param_apply(v, &p, NSM_OP_MULTIPLY, 3, &why), NSM_ERR_INPUT);
    assert_non_null(why.error);
    assert_non_null(strstr(why.error, "between 0 and 1"));
    nsm_diag_release(&why);
    nsm_model_free(v);
    /* tried on a variant of its own: the same verdicts, and r keeps its numbers */
    nsm_diag_init(&why);
    const nsm_param two[2] = {p, {NSM_P_DRAW, 0, 0, 1}};
    assert_int_equal(nsm_param_try(r, two, 2, NSM_OP_SET, 0.4, &why), NSM_OK);
    assert_null(why.error);
    assert_int_equal(nsm_param_try(r, two, 2, NSM_OP_MULTIPLY, 11, &why), NSM_ERR_INPUT);
    assert_non_null(why.error);
    assert_non_null(strstr(why.error, "between 0 and 1"));
    assert_near(r->draws[0].prob[2], 0.1);
    assert_near(r->draws[0].prob[1], 0.2);
    nsm_diag_release(&why);
    nsm_model_free(r);

    assert_int_equal(nsm_arms_build(m, "fastr", 0, "two_state", &arms, &n, &d), NSM_ERR_USAGE);
    assert_non_null(strstr(d.error, "did you mean 'faster'"));
    nsm_diag_release(&d);
    nsm_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_null_lever_is_exactly_zero),
        cmocka_unit_test(test_lever_leaves_independent_paths),
        cmocka_unit_test(test_paired_interval_coverage),
        cmocka_unit_test(test_variance_reduction),
        cmocka_unit_test(test_lever_semantics),
    };
    return cmocka_run_group_tests_name("compare", tests, NULL, NULL);
}
