/*
** test_given.c: draws conditioned on other factors (draws.csv, column `given`) against their closed
** forms: under each condition the draw's frequencies are those of its case, within 4 binomial
** standard errors at a fixed seed; the default serves the states no condition holds in; a draw
** without a default whose cases cover every state runs; 1 and 4 threads agree byte for byte.
**
** tests/models/given: g starts x, y or z (0.5, 0.3, 0.2); on 2025-07-01 draw `elect` moves f from
** a with (b, c) = (0.8, 0.2) given g=x, (0.3, 0.7) given g=y and (a, b, c) = (0.1, 0.1, 0.8) by
** default; draw `split` moves h to q with 0.25 given g=x|y and 0.9 given g=z (no default).
*/
#include "nsm_test.h"
#include "nsm_model_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neasim/engine.h"
#include "neasim/results.h"

typedef struct {
    int g, f, h; /* g's starting level, f's and h's levels at the end */
} ending;

static void observe(void *ctx, const nsm_seen *w)
{
    ending *e = ctx;
    if (w->kind == NSM_SEEN_START && w->factor == 0)
        e->g = w->to;
    if (w->kind == NSM_SEEN_CHANGE && w->factor == 1)
        e->f = w->to;
    if (w->kind == NSM_SEEN_CHANGE && w->factor == 2)
        e->h = w->to;
}

static void test_frequencies_under_each_condition(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("given");
    nsm_sim *s = nsm_sim_alloc(m);
    nsm_accum *a = nsm_accum_alloc(m);
    assert_true(s && a);
    ending e;
    nsm_sim_set_observer(s, observe, &e);
    int64_t n_g[3] = {0}, f_of[3][3] = {{0}}, q_of[3] = {0};
    const int n = 100000;
    for (int rep = 0; rep < n; rep++) {
        e = (ending){-1, 0, 0};
        assert_int_equal(nsm_sim_replicate(s, 41, (uint64_t)rep, a, NULL), NSM_OK);
        n_g[e.g]++;
        f_of[e.g][e.f]++;
        q_of[e.g] += e.h == 1;
    }
    static const double want_f[3][3] = {{0, 0.8, 0.2}, {0, 0.3, 0.7}, {0.1, 0.1, 0.8}};
    static const double want_q[3] = {0.25, 0.25, 0.9};
    static const char *g_name[3] = {"x", "y", "z"};
    double zmax = 0;
    for (int g = 0; g < 3; g++) {
        char what[64];
        for (int f = 0; f < 3; f++) {
            snprintf(what, sizeof what, "P(f=%c | g=%s)", 'a' + f, g_name[g]);
            if (want_f[g][f] == 0) {
                if (f_of[g][f] != 0)
                    fail_msg("%s: %lld, expected none", what, (long long)f_of[g][f]);
                continue;
            }
            double z = nsm_test_check_prop(what, f_of[g][f], n_g[g], want_f[g][f]);
            zmax = fabs(z) > fabs(zmax) ? z : zmax;
        }
        snprintf(what, sizeof what, "P(h=q | g=%s)", g_name[g]);
        double z = nsm_test_check_prop(what, q_of[g], n_g[g], want_q[g]);
        zmax = fabs(z) > fabs(zmax) ? z : zmax;
    }
    print_message("given: %lld/%lld/%lld replications in g=x/y/z; largest |z| %.2f over 11 "
                  "conditional frequencies\n", (long long)n_g[0], (long long)n_g[1],
                  (long long)n_g[2], fabs(zmax));
    nsm_accum_free(a);
    nsm_sim_free(s);
    nsm_model_free(m);
}

static void test_threads_byte_identical(void **state)
{
    (void)state;
    nsm_test_same_for_threads("given", 20000, 43);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frequencies_under_each_condition),
        cmocka_unit_test(test_threads_byte_identical),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
