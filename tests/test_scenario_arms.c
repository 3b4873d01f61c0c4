/*
** test_scenario_arms.c: scenarios that extend a base, and whole scenarios as the arms of a
** comparison (issue 11, items 7 and 8). A variant that changes nothing gives paired differences of
** exactly zero; a variant that changes one hazard of the two-state chain gives the closed-form
** difference within 4 standard errors; results do not depend on the number of threads; what must
** match between scenarios is refused clearly; a patch replaces, adds and drops rows in the
** documented order, and an error in an inherited row names the base's file.
*/
#include "nsm_test.h"
#include "nsm_model_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "neasim/arms.h"
#include "neasim/paired.h"
#include "neasim/scenario.h"
#include "neasim/summary.h"

static char tmp[64];

/* A folder under tmp extending tests/models/two_state, with an extra table (may be NULL). */
static void write_variant(const char *name, const char *table, const char *text)
{
    char dir[256], path[320], *base = realpath("tests/models/two_state", NULL);
    assert_non_null(base);
    snprintf(dir, sizeof dir, "%s/%s", tmp, name);
    assert_int_equal(mkdir(dir, 0755) == 0 || access(dir, F_OK) == 0, 1);
    snprintf(path, sizeof path, "%s/scenario.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "key,value,source\nextends,%s,test\nname,%s,test\n", base, name);
    fclose(f);
    free(base);
    if (!table)
        return;
    snprintf(path, sizeof path, "%s/%s", dir, table);
    assert_non_null(f = fopen(path, "w"));
    fputs(text, f);
    fclose(f);
}

static nsm_model *read_variant(const char *name)
{
    char dir[256];
    snprintf(dir, sizeof dir, "%s/%s", tmp, name);
    nsm_model *m = NULL;
    nsm_diag d;
    nsm_diag_init(&d);
    if (nsm_scenario_read(dir, &m, &d) != NSM_OK)
        fail_msg("cannot read %s: %s", dir, d.error ? d.error : "?");
    nsm_diag_release(&d);
    return m;
}

typedef struct {
    nsm_model *models[2];
    nsm_arm *arms;
    nsm_accum *acc[2];
    nsm_paired *paired[2];
} pair;

static void run_pair(pair *p, const char *variant, uint64_t runs, int threads)
{
    p->models[0] = nsm_test_load("two_state");
    p->models[1] = read_variant(variant);
    char dropped[256];
    int n_dropped = 0;
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_models_align(p->models, 2, dropped, sizeof dropped, &n_dropped, &d), NSM_OK);
    assert_int_equal(nsm_arms_of_scenarios((const nsm_model *const *)p->models, 2, &p->arms), NSM_OK);
    p->acc[0] = nsm_accum_alloc(p->models[0]);
    p->acc[1] = nsm_accum_alloc(p->models[0]);
    p->paired[0] = NULL;
    p->paired[1] = nsm_paired_alloc(p->models[0]);
    nsm_run_config rc = {12, runs, 0, threads, NULL, NULL, NULL, NSM_UNCERTAINTY_PER_RUN, 0, 0};
    assert_int_equal(nsm_compare_models((const nsm_model *const *)p->models, p->arms, 2, &rc,
                                        p->acc, p->paired, NULL, &d),
                     NSM_OK);
    nsm_diag_release(&d);
}

static void release_pair(pair *p)
{
    nsm_arms_free(p->arms, 2);
    for (int a = 0; a < 2; a++) {
        nsm_accum_free(p->acc[a]); /* both on models[0]: free it last */
        nsm_paired_free(p->paired[a]);
    }
    nsm_model_free(p->models[1]);
    nsm_model_free(p->models[0]);
}

static nsm_difference diff_at(const pair *p, int measure, int i)
{
    return nsm_difference_outcome(p->models[0], p->acc[0], p->acc[1], p->paired[1], 0, measure, i);
}

static void null_variant_is_exactly_zero(void **state)
{
    (void)state;
    write_variant("same", NULL, NULL);
    pair p;
    run_pair(&p, "same", 4000, 2);
    for (int i = 0; i < p.models[0]->n_reports; i++)
        for (int measure = 0; measure < 2; measure++) {
            nsm_difference x = diff_at(&p, measure, i);
            assert_true(x.diff == 0 && x.se == 0);
        }
    release_pair(&p);
}

/* a <-> b, a>b at rate l, b>a at rate 2 a year, start in a. */
static double p_holds(double l, double t)
{
    return l / (l + 2) * (1 - exp(-(l + 2) * t));
}

static void changed_hazard_closed_form(void **state)
{
    (void)state;
    write_variant("faster", "transitions.csv",
                  "factor,from,to,value,unit,source\nf,a,b,3,rate_per_year,faster\n");
    pair p;
    run_pair(&p, "faster", 40000, 2);
    const nsm_model *m = p.models[0];
    for (int i = 1; i < m->n_reports; i++) {
        double t = m->report_t[i] / 365.25;
        nsm_difference h = diff_at(&p, 0, i), o = diff_at(&p, 1, i);
        double want_h = p_holds(3, t) - p_holds(2, t), want_o = exp(-2 * t) - exp(-3 * t);
        assert_true(h.se > 0 && fabs(h.diff - want_h) <= 4 * h.se);
        assert_true(o.se > 0 && fabs(o.diff - want_o) <= 4 * o.se);
    }
    release_pair(&p);
}

static void threads_do_not_matter(void **state)
{
    (void)state;
    write_variant("faster", "transitions.csv",
                  "factor,from,to,value,unit,source\nf,a,b,3,rate_per_year,faster\n");
    pair one, two;
    run_pair(&one, "faster", 3000, 1);
    run_pair(&two, "faster", 3000, 2);
    for (int i = 0; i < one.models[0]->n_reports; i++)
        for (int measure = 0; measure < 2; measure++) {
            nsm_difference x = diff_at(&one, measure, i), y = diff_at(&two, measure, i);
            assert_memory_equal(&x.diff, &y.diff, sizeof x.diff);
            assert_memory_equal(&x.se, &y.se, sizeof x.se);
        }
    release_pair(&one);
    release_pair(&two);
}

static void align_refuses_other_factors(void **state)
{
    (void)state;
    nsm_model *models[2] = {nsm_test_load("two_state"), nsm_test_load("chain6")};
    char dropped[64];
    int n = 0;
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_models_align(models, 2, dropped, sizeof dropped, &n, &d), NSM_ERR_INPUT);
    assert_non_null(strstr(d.error, "scenarios 'two_state' and 'chain6'"));
    nsm_diag_release(&d);
    nsm_model_free(models[0]);
    nsm_model_free(models[1]);
}

static void align_keeps_common_outcomes(void **state)
{
    (void)state;
    write_variant("extra", "outcomes.csv", "outcome,condition,description\nin_a,f=a,x\n");
    nsm_model *models[2] = {nsm_test_load("two_state"), read_variant("extra")};
    assert_int_equal(models[1]->n_outcomes, 2);
    char dropped[64];
    int n = 0;
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_models_align(models, 2, dropped, sizeof dropped, &n, &d), NSM_OK);
    assert_int_equal(n, 1);
    assert_string_equal(dropped, "in_a (not in two_state)");
    assert_int_equal(models[1]->n_outcomes, 1);
    assert_string_equal(models[1]->outcomes[0].name, "in_b");
    nsm_diag_release(&d);
    nsm_model_free(models[0]);
    nsm_model_free(models[1]);
}

/* Replaced in place, dropped, added last; levers key lever,target. */
static void patch_order(void **state)
{
    (void)state;
    write_variant("patched", "levers.csv",
                  "lever,target,operation,value,from_date,description,source,drop\n"
                  "added,transitions:f:b>a,multiply,2,,x,test,\n"
                  "null,transitions:f:a>b,,,,,,yes\n"
                  "faster,transitions:f:a>b,multiply,1.25,,x,test,\n");
    nsm_model *m = read_variant("patched");
    const char *want[] = {"faster", "later", "slow_back", "added"};
    assert_int_equal(m->n_lever_rows, 4);
    for (int i = 0; i < 4; i++)
        assert_string_equal(m->levers[m->lever_rows[i].lever].name, want[i]);
    assert_true(m->lever_rows[0].value == 1.25);
    assert_non_null(m->extends);
    nsm_model_free(m);
}

/* top extends mid extends two_state; mid's lever row is bad: the message names mid's file. */
static void error_in_inherited_row_names_the_base(void **state)
{
    (void)state;
    write_variant("mid", "levers.csv",
                  "lever,target,operation,value,from_date,description,source\n"
                  "slow_back,transitions:f:b>a,set,1,,x,test\n"
                  "broken,transitions:f:a>c,set,1,,x,test\n");
    char dir[256], path[320];
    snprintf(dir, sizeof dir, "%s/top", tmp);
    assert_int_equal(mkdir(dir, 0755) == 0 || access(dir, F_OK) == 0, 1);
    snprintf(path, sizeof path, "%s/scenario.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("key,value,source\nextends,../mid,test\nname,top,test\n", f);
    fclose(f);
    nsm_model *m = NULL;
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_scenario_read(dir, &m, &d), NSM_ERR_INPUT);
    char want[320];
    snprintf(want, sizeof want, "%s/../mid/levers.csv:3:", dir);
    if (!strstr(d.error, want))
        fail_msg("%s", d.error);
    nsm_diag_release(&d);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmp, sizeof tmp, "/tmp/nsm-test-arms-XXXXXX");
    return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(null_variant_is_exactly_zero),
        cmocka_unit_test(changed_hazard_closed_form),
        cmocka_unit_test(threads_do_not_matter),
        cmocka_unit_test(align_refuses_other_factors),
        cmocka_unit_test(align_keeps_common_outcomes),
        cmocka_unit_test(patch_order),
        cmocka_unit_test(error_in_inherited_row_names_the_base),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
