/*
** nsm_model_test.h: what the tests of the engine share: reading a test model from tests/models/
** or a shipped scenario (tests run from the project root), failing the test with the reader's
** message when it cannot; running it; checking estimates against exact values in Monte Carlo
** standard errors; finding a level, event or outcome by name; and holding a run's tables
** byte-identical for 1, 2 and 4 threads. A failure names the quantity, the estimate, the exact value and how far apart they are.
*/
#ifndef NSM_MODEL_TEST_H
#define NSM_MODEL_TEST_H

#include "nsm_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neasim/engine.h"
#include "neasim/results.h"
#include "neasim/scenario.h"

#define NSM_TEST_Z_TOL 4.0 /* |estimate - exact| <= 4 standard errors */

/* A test model by its folder's name under tests/models/ ("chain6"), or a shipped scenario by its
** path from the project root (any name with a slash: "scenarios/baseline"). */
static inline nsm_model *nsm_test_load(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, strchr(name, '/') ? "%s" : "tests/models/%s", name);
    nsm_model *m = NULL;
    nsm_diag d;
    nsm_diag_init(&d);
    if (nsm_scenario_read(path, &m, &d) != NSM_OK)
        fail_msg("cannot read %s: %s", path, d.error ? d.error : "?");
    nsm_diag_release(&d);
    return m;
}

/* Replications 0..runs-1 of m with `seed` on `threads` threads (nominal numbers), into a new
** accumulator the caller frees; the test fails with the engine's message if the run does. */
static inline nsm_accum *nsm_test_run_model(const nsm_model *m, uint64_t runs, uint64_t seed,
                                            int threads)
{
    nsm_accum *a = nsm_accum_alloc(m);
    assert_non_null(a);
    nsm_run_config c = {seed, runs, 0, threads, NULL, NULL, NULL, NSM_UNCERTAINTY_NOMINAL, 0, 0};
    nsm_diag d;
    nsm_diag_init(&d);
    if (nsm_run(m, &c, a, NULL, &d) != NSM_OK)
        fail_msg("run of %s failed: %s", m->name, d.error ? d.error : "?");
    nsm_diag_release(&d);
    return a;
}

/* A test model read and run (nsm_test_run_model); nsm_test_release frees both. */
typedef struct {
    nsm_model *m;
    nsm_accum *a;
} nsm_test_run;

static inline nsm_test_run nsm_test_simulate(const char *name, uint64_t runs, uint64_t seed,
                                             int threads)
{
    nsm_test_run f = {nsm_test_load(name), NULL};
    f.a = nsm_test_run_model(f.m, runs, seed, threads);
    return f;
}

static inline void nsm_test_release(nsm_test_run *f)
{
    nsm_accum_free(f->a);
    nsm_model_free(f->m);
}

/* A proportion k/n against its exact value p, in binomial standard errors at p: z. */
static inline double nsm_test_z_prop(int64_t k, int64_t n, double p)
{
    return ((double)k / (double)n - p) / sqrt(p * (1 - p) / (double)n);
}

/* The same, failing the test beyond NSM_TEST_Z_TOL (and, for p = 0 or 1, unless k/n = p);
** returns z (0 for p = 0 or 1). */
static inline double nsm_test_check_prop(const char *what, int64_t k, int64_t n, double p)
{
    double est = (double)k / (double)n, se = sqrt(p * (1 - p) / (double)n);
    if (se == 0.0 ? est != p : fabs(est - p) > NSM_TEST_Z_TOL * se)
        fail_msg("%s: estimate %.5f, exact %.5f (%.1f standard errors)", what, est, p,
                 se > 0 ? fabs(est - p) / se : (double)INFINITY);
    return se > 0 ? (est - p) / se : 0.0;
}

/* A mean against its exact value, given the standard error of the estimate. */
static inline void nsm_test_check_mean(const char *what, double est, double exact, double se)
{
    if (fabs(est - exact) > NSM_TEST_Z_TOL * se)
        fail_msg("%s: estimate %.5f, exact %.5f (%.1f standard errors)", what, est, exact,
                 fabs(est - exact) / se);
}

/* The index of level factor=level (in the model's list of all levels), of an event, of an
** outcome; the test fails naming it when there is none. */
static inline int nsm_test_level(const nsm_model *m, const char *factor, const char *level)
{
    for (int f = 0; f < m->n_factors; f++)
        for (int l = 0; strcmp(m->factors[f].name, factor) == 0 && l < m->factors[f].n_levels; l++)
            if (strcmp(m->factors[f].levels[l], level) == 0)
                return m->factors[f].first_level + l;
    fail_msg("no level %s=%s", factor, level);
    return -1;
}

static inline int nsm_test_event(const nsm_model *m, const char *name)
{
    for (int e = 0; e < m->n_events; e++)
        if (strcmp(m->events[e].name, name) == 0)
            return e;
    fail_msg("no event '%s'", name);
    return -1;
}

static inline int nsm_test_outcome(const nsm_model *m, const char *name)
{
    for (int o = 0; o < m->n_outcomes; o++)
        if (strcmp(m->outcomes[o].name, name) == 0)
            return o;
    fail_msg("no outcome '%s'", name);
    return -1;
}

/* A run's tables (manifest excluded) written into a new temporary folder, which the caller
** removes with nsm_test_remove_dir. */
static inline char *nsm_test_write_tables(const nsm_model *m, const nsm_accum *a)
{
    char *dir = strdup("/tmp/nsm-test-XXXXXX");
    assert_non_null(dir);
    assert_non_null(mkdtemp(dir));
    nsm_manifest mf = {0};
    nsm_write_options wo = {0};
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_results_write(dir, m, a, &mf, &wo, &d), NSM_OK);
    nsm_diag_release(&d);
    return dir;
}

/* Whether two folders hold the same bytes in every table of a run (a table neither has, such as
** event_counts.csv of a model without counted events, is skipped; one only one has differs). */
static inline int nsm_test_same_tables(const char *a, const char *b)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "for t in state_probabilities outcomes first_occurrence event_counts; do "
             "if [ -f %s/$t.csv ] || [ -f %s/$t.csv ]; then cmp -s %s/$t.csv %s/$t.csv || exit 1; "
             "fi; done",
             a, b, a, b);
    return system(cmd) == 0;
}

static inline void nsm_test_remove_dir(char *dir)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    free(dir);
}

/* Results for a seed are byte-identical for any number of threads: test model `name` run with 1,
** 2 and 4 threads writes the same tables. */
static inline void nsm_test_same_for_threads(const char *name, uint64_t runs, uint64_t seed)
{
    nsm_model *m = nsm_test_load(name);
    char *dirs[3];
    const int threads[3] = {1, 2, 4};
    for (int j = 0; j < 3; j++) {
        nsm_accum *a = nsm_test_run_model(m, runs, seed, threads[j]);
        dirs[j] = nsm_test_write_tables(m, a);
        nsm_accum_free(a);
    }
    if (!nsm_test_same_tables(dirs[0], dirs[1]) || !nsm_test_same_tables(dirs[0], dirs[2]))
        fail_msg("%s: tables differ between 1, 2 and 4 threads", name);
    for (int j = 0; j < 3; j++)
        nsm_test_remove_dir(dirs[j]);
    nsm_model_free(m);
}

#endif
