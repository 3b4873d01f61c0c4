/*
** test_redraw.c: nsm_arm_redraw (arms.h) against the obviously correct rebuild. For every arm of
** the baseline scenario (levers that write drawn numbers, probability rows, modifiers.csv rows,
** phases that open at a date) and for an arm with a sweep point's sets on drawn numbers, phase
** models built with one set of draws and then redrawn with another must equal, byte for byte,
** models built from scratch with the second set; and so for every combination of four levers.
*/
#include "nsm_test.h"

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

static void check_arm(const nsm_model *m, const nsm_arm *a)
{
    double *x1 = malloc(((size_t)m->n_uncertain + 1) * sizeof *x1);
    double *x2 = malloc(((size_t)m->n_uncertain + 1) * sizeof *x2);
    nsm_model **redrawn = variants(m, a->n_phases), **built = variants(m, a->n_phases);
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
    }
    for (int j = 0; j < a->n_phases; j++) {
        nsm_model_free(redrawn[j]);
        nsm_model_free(built[j]);
    }
    free(redrawn);
    free(built);
    nsm_arm_redraw_free(r);
    nsm_diag_release(&d);
    free(x1);
    free(x2);
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
    for (int a = 0; a < n; a++)
        check_arm(m, &arms[a]);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_baseline_arms),
    };
    return cmocka_run_group_tests_name("redraw", tests, NULL, NULL);
}
