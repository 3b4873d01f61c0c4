/*
** test_redraw.c: nsm_arm_redraw (arms.h) against the obviously correct rebuild. For every arm of
** the baseline scenario (levers that write drawn numbers, probability rows, modifiers.csv rows,
** phases that open at a date) and for an arm with a sweep point's sets on drawn numbers, phase
** models built with one set of draws and then redrawn with another must equal, byte for byte,
** models built from scratch with the second set; and so for every combination of four levers.
** The same over every shipped scenario and test model with drawn numbers (each kind of number that
** a redraw writes in place, arms.c's fast path, or through nsm_param_apply), and a draw out of
** range fails a redraw with the rebuild's message, one kind of number at a time. A redraw copies
** back from m only the numbers that its steps read (a number they overwrite whole is not copied),
** so redraws follow redraws as well as rebuilds, and a failed redraw, with the same results.
*/
#include "nsm_test.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neasim/arms.h"
#include "neasim/params.h"
#include "neasim/scenario.h"

static void same_numbers(const nsm_model *x, const nsm_model *y)
{
    assert_memory_equal(x->transitions, y->transitions, (size_t)x->n_transitions * sizeof *x->transitions);
    assert_memory_equal(x->events, y->events, (size_t)x->n_events * sizeof *x->events);
    for (int j = 0; j < x->n_modifiers; j++) /* field by field: the struct has padding */
        assert_memory_equal(&x->modifiers[j].multiplier, &y->modifiers[j].multiplier, sizeof(double));
    assert_memory_equal(x->effects, y->effects, (size_t)x->n_effects * sizeof *x->effects);
    if (x->seasonality)
        assert_memory_equal(x->seasonality, y->seasonality,
                            (size_t)nsm_model_n_processes(x) * 12 * sizeof(double));
    for (int f = 0; f < x->n_factors; f++)
        assert_memory_equal(x->factors[f].initial, y->factors[f].initial,
                            (size_t)x->factors[f].n_levels * sizeof(double));
    for (int d = 0; d < x->n_draws; d++) {
        size_t n = (size_t)x->factors[x->draws[d].factor].n_levels;
        assert_memory_equal(x->draws[d].prob, y->draws[d].prob,
                            (size_t)x->draws[d].n_cases * n * n * sizeof(double));
    }
}

/* Draws inside every number's range, at a fraction that differs by number and by set. */
static void fill_draws(const nsm_model *m, double *x, int set)
{
    for (int k = 0; k < m->n_uncertain; k++) {
        double f = (double)((k * 7 + set * 3) % 10 + 1) / 12.0;
        x[k] = m->uncertain[k].lo + f * (m->uncertain[k].hi - m->uncertain[k].lo);
    }
}

static nsm_model **variants(const nsm_model *m, int n)
{
    nsm_model **v = calloc((size_t)n, sizeof *v);
    assert_non_null(v);
    for (int j = 0; j < n; j++)
        assert_non_null(v[j] = nsm_model_variant(m));
    return v;
}

/* The plain arm (no levers, no point) whose phase 0 a redraw may copy from (nsm_arm_redraw_phases_from). */
static nsm_arm plain_arm(double *t0)
{
    nsm_arm a;
    memset(&a, 0, sizeof a);
    *t0 = 0.0;
    a.n_phases = 1;
    a.phase_t = t0;
    return a;
}

/* Redrawn equals rebuilt, and so does a redraw that copies the numbers its arm does not touch from
** the plain arm's model with the same draws. Returns the count of drawn numbers' writes copied. */
static int check_arm(const nsm_model *m, const nsm_arm *a)
{
    double *x1 = malloc(((size_t)m->n_uncertain + 1) * sizeof *x1);
    double *x2 = malloc(((size_t)m->n_uncertain + 1) * sizeof *x2);
    nsm_model **redrawn = variants(m, a->n_phases), **built = variants(m, a->n_phases);
    nsm_model **plain = variants(m, 1);
    double t0;
    nsm_arm pa = plain_arm(&t0);
    nsm_arm_redraw *r = nsm_arm_redraw_alloc(m, a);
    nsm_diag d;
    nsm_diag_init(&d);
    assert_non_null(r);
    for (int set = 0; set < 3; set++) {
        fill_draws(m, x1, set);
        fill_draws(m, x2, set + 1);
        assert_int_equal(nsm_arm_build_phases(m, a, x1, redrawn, &d), NSM_OK);
        assert_int_equal(nsm_arm_redraw_phases(r, x2, redrawn, &d), NSM_OK);
        assert_int_equal(nsm_arm_build_phases(m, a, x2, built, &d), NSM_OK);
        for (int j = 0; j < a->n_phases; j++)
            same_numbers(redrawn[j], built[j]);
        /* the same from the plain arm's phase 0, after a redraw with other draws */
        assert_int_equal(nsm_arm_build_phases(m, &pa, x2, plain, &d), NSM_OK);
        assert_int_equal(nsm_arm_redraw_phases(r, x1, redrawn, &d), NSM_OK);
        assert_int_equal(nsm_arm_redraw_phases_from(r, x2, plain[0], redrawn, &d), NSM_OK);
        for (int j = 0; j < a->n_phases; j++)
            same_numbers(redrawn[j], built[j]);
        /* and a redraw after a redraw (not after a rebuild): what one redraw leaves in the numbers
        ** that the next does not copy back from m is overwritten */
        assert_int_equal(nsm_arm_redraw_phases(r, x1, redrawn, &d), NSM_OK);
        assert_int_equal(nsm_arm_redraw_phases(r, x2, redrawn, &d), NSM_OK);
        for (int j = 0; j < a->n_phases; j++)
            same_numbers(redrawn[j], built[j]);
    }
    int n_shared = nsm_arm_redraw_n_shared(r);
    for (int j = 0; j < a->n_phases; j++) {
        nsm_model_free(redrawn[j]);
        nsm_model_free(built[j]);
    }
    nsm_model_free(plain[0]);
    free(plain);
    free(redrawn);
    free(built);
    nsm_arm_redraw_free(r);
    nsm_diag_release(&d);
    free(x1);
    free(x2);
    return n_shared;
}

static void test_baseline_arms(void **state)
{
    (void)state;
    nsm_model *m = NULL;
    nsm_arm *arms = NULL;
    int n = 0;
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_scenario_read("scenarios/baseline", &m, &d), NSM_OK);
    assert_true(m->n_uncertain > 0 && m->n_levers > 0);
    assert_int_equal(nsm_arms_build(m, "all", 0, "baseline", &arms, &n, &d), NSM_OK);
    int copied = 0;
    for (int a = 1; a < n; a++)
        copied += check_arm(m, &arms[a]) > 0;
    check_arm(m, &arms[0]);
    assert_int_equal(copied, n - 1); /* every lever leaves some drawn numbers alone */
    /* the plain arm's redraw copies back from m fewer numbers than are drawn (most are set whole
    ** by their draws), but some (multiplied numbers, probability rows): check_arm's redraws equal
    ** the rebuilds with the shortcut taken */
    nsm_arm_redraw *plan = nsm_arm_redraw_alloc(m, &arms[0]);
    assert_non_null(plan);
    assert_true(nsm_arm_redraw_n_restored(plan) > 0);
    assert_true(nsm_arm_redraw_n_restored(plan) < m->n_uncertain);
    nsm_arm_redraw_free(plan);
    /* a point that sets drawn numbers (the first parameter of the first two) on a lever's arm */
    nsm_param p[2] = {m->uncertain[0].params[0], m->uncertain[1].params[0]};
    double v[2] = {nsm_param_value(m, &p[0]), nsm_param_value(m, &p[1])};
    assert_int_equal(nsm_arm_set_point(m, &arms[1], 2, p, v, &d), NSM_OK);
    check_arm(m, &arms[1]);
    nsm_arms_free(arms, n);
    /* every combination of the first four levers: arms of one to four levers, with and without
    ** dates, so two or more phases whose levers open in different orders */
    char list[4 * NSM_NAME_MAX + 4] = "";
    for (int l = 0; l < 4 && l < m->n_levers; l++) {
        if (l)
            strcat(list, ",");
        strcat(list, m->levers[l].name);
    }
    assert_int_equal(nsm_arms_build(m, list, 1, "baseline", &arms, &n, &d), NSM_OK);
    int phased = 0;
    for (int a = 0; a < n; a++) {
        phased += arms[a].n_phases > 1;
        check_arm(m, &arms[a]);
    }
    assert_true(phased > 0);
    nsm_arms_free(arms, n);
    nsm_diag_release(&d);
    nsm_model_free(m);
}

/* Redrawn equals rebuilt in every scenario folder under dir with drawn numbers: the plain arm and
** each lever's; the kinds of the numbers drawn are counted into kinds. Returns the models read. */
static int check_folder(const char *dir, int kinds[])
{
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    int n_models = 0;
    for (struct dirent *e; (e = readdir(dp)) != NULL;) {
        char path[1024];
        nsm_model *m = NULL;
        nsm_diag d;
        nsm_diag_init(&d);
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        /* dot entries and files are no scenarios; models that fail to read are other tests' */
        if (e->d_name[0] == '.' || nsm_scenario_read(path, &m, &d) != NSM_OK || m->n_uncertain == 0) {
            nsm_model_free(m);
            nsm_diag_release(&d);
            continue;
        }
        n_models++;
        for (int k = 0; k < m->n_uncertain; k++)
            for (int q = 0; q < m->uncertain[k].n_params; q++)
                kinds[m->uncertain[k].params[q].kind]++;
        double t0;
        nsm_arm plain = plain_arm(&t0);
        check_arm(m, &plain);
        nsm_arm *arms = NULL;
        int n = 0;
        if (m->n_levers > 0) {
            assert_int_equal(nsm_arms_build(m, "all", 0, path, &arms, &n, &d), NSM_OK);
            for (int a = 0; a < n; a++)
                check_arm(m, &arms[a]);
        }
        nsm_arms_free(arms, n);
        nsm_model_free(m);
        nsm_diag_release(&d);
    }
    closedir(dp);
    return n_models;
}

static void test_every_model(void **state)
{
    (void)state;
    int kinds[NSM_P_DURATION + 1] = {0};
    int n = check_folder("scenarios", kinds) + check_folder("tests/models", kinds);
    assert_true(n >= 5);
    /* the kinds that a redraw writes in place, and a probability row through nsm_param_apply */
    int in_place[] = {NSM_P_TRANSITION, NSM_P_MODIFIER, NSM_P_EVENT_RATE, NSM_P_SEASONALITY,
                      NSM_P_EFFECT_PROBABILITY, NSM_P_DRAW};
    for (size_t j = 0; j < sizeof in_place / sizeof in_place[0]; j++) {
        if (kinds[in_place[j]] == 0)
            fail_msg("no drawn number of parameter kind %d in any model", in_place[j]);
    }
}

/* One drawn number of each kind out of range (-1e9: below every kind's range, set or multiplied):
** the redraw fails as the rebuild does, with the same message, and a redraw after the failure
** equals a rebuild again. */
static void test_out_of_range(void **state)
{
    (void)state;
    nsm_model *m = NULL;
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_scenario_read("scenarios/baseline", &m, &d), NSM_OK);
    double t0;
    nsm_arm a = plain_arm(&t0);
    double *x = malloc(((size_t)m->n_uncertain + 1) * sizeof *x);
    nsm_model **redrawn = variants(m, 1), **built = variants(m, 1);
    nsm_arm_redraw *r = nsm_arm_redraw_alloc(m, &a);
    assert_non_null(r);
    int tried[NSM_P_DURATION + 1] = {0}, n_tried = 0;
    for (int k = 0; k < m->n_uncertain; k++) {
        int kind = m->uncertain[k].params[0].kind;
        if (tried[kind]++)
            continue;
        n_tried++;
        fill_draws(m, x, 0);
        assert_int_equal(nsm_arm_build_phases(m, &a, x, redrawn, &d), NSM_OK);
        x[k] = -1e9;
        nsm_diag d1, d2;
        nsm_diag_init(&d1);
        nsm_diag_init(&d2);
        assert_int_equal(nsm_arm_redraw_phases(r, x, redrawn, &d1), NSM_ERR_INPUT);
        assert_int_equal(nsm_arm_build_phases(m, &a, x, built, &d2), NSM_ERR_INPUT);
        assert_non_null(d1.error);
        assert_non_null(d2.error);
        assert_string_equal(d1.error, d2.error);
        nsm_diag_release(&d1);
        nsm_diag_release(&d2);
        fill_draws(m, x, 1);
        assert_int_equal(nsm_arm_redraw_phases(r, x, redrawn, &d), NSM_OK);
        assert_int_equal(nsm_arm_build_phases(m, &a, x, built, &d), NSM_OK);
        same_numbers(redrawn[0], built[0]);
    }
    assert_true(n_tried >= 4); /* transitions, modifiers, event rates, effects, draws, ... */
    nsm_model_free(redrawn[0]);
    nsm_model_free(built[0]);
    free(redrawn);
    free(built);
    nsm_arm_redraw_free(r);
    free(x);
    nsm_model_free(m);
    nsm_diag_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_baseline_arms),
        cmocka_unit_test(test_every_model),
        cmocka_unit_test(test_out_of_range),
    };
    return cmocka_run_group_tests_name("redraw", tests, NULL, NULL);
}
