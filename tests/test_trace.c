/*
** test_trace.c: replaying one replication (`neasim trace`) gives exactly what that replication did
** inside a run. Replication r replayed alone on a fresh simulator, for every r, added up, equals
** the accumulators of `nsm_run` over the same replications on two threads; and the observer's
** story of r is the same whether r is replayed alone or after other replications on the same
** simulator. On the baseline, with its uncertain numbers drawn per replication.
*/
#include "nsm_test.h"
#include "nsm_model_test.h"

#include <stdlib.h>
#include <string.h>

#include "neasim/accum.h"
#include "neasim/engine.h"

#define RUNS 64
#define SEED 20261202

static nsm_model *baseline(void)
{
    nsm_model *m = NULL;
    nsm_diag d;
    nsm_diag_init(&d);
    if (nsm_scenario_read("scenarios/baseline", &m, &d) != NSM_OK)
        fail_msg("cannot read the baseline: %s", d.error ? d.error : "?");
    nsm_diag_release(&d);
    return m;
}

static void same_series(const nsm_model *m, const nsm_accum *a, const nsm_accum *b)
{
    int64_t *x = calloc((size_t)m->n_reports + 1, sizeof *x);
    int64_t *y = calloc((size_t)m->n_reports + 1, sizeof *y);
    assert_non_null(x);
    assert_non_null(y);
    for (int o = 0; o < m->n_outcomes; o++) {
        nsm_accum_outcome_first_series(a, o, x);
        nsm_accum_outcome_first_series(b, o, y);
        if (memcmp(x, y, ((size_t)m->n_reports + 1) * sizeof *x) != 0)
            fail_msg("outcome %s: first occurrences differ", m->outcomes[o].name);
    }
    for (int l = 0; l < m->n_levels_total; l++) {
        nsm_accum_level_series(a, l, x);
        nsm_accum_level_series(b, l, y);
        if (memcmp(x, y, (size_t)m->n_reports * sizeof *x) != 0)
            fail_msg("level %d: occupancy differs", l);
    }
    free(x);
    free(y);
}

static void test_replays_add_up_to_the_run(void **state)
{
    (void)state;
    nsm_model *m = baseline();
    nsm_accum *run = nsm_accum_alloc(m), *sum = nsm_accum_alloc(m);
    nsm_run_config c = {SEED, RUNS, 0, 2, NULL, NULL, NULL, NSM_UNCERTAINTY_PER_RUN, 1, 0};
    assert_int_equal(nsm_run(m, &c, run, NULL, NULL), NSM_OK);
    for (uint64_t r = 0; r < RUNS; r++) {
        nsm_sim *s = nsm_sim_alloc(m); /* fresh: nothing ran before r */
        assert_int_equal(nsm_sim_set_uncertainty(s, NSM_UNCERTAINTY_PER_RUN, 1), NSM_OK);
        assert_int_equal(nsm_sim_replicate(s, SEED, r, sum, NULL), NSM_OK);
        nsm_sim_free(s);
    }
    assert_int_equal(nsm_accum_runs(sum), RUNS);
    same_series(m, run, sum);
    nsm_accum_free(run);
    nsm_accum_free(sum);
    nsm_model_free(m);
}

/* A story as text, one line per thing seen. */
typedef struct {
    char *text;
    size_t len, cap;
} story;

static void seen(void *ctx, const nsm_seen *w)
{
    story *s = ctx;
    char line[160];
    int n = snprintf(line, sizeof line, "%d %.17g %d %d %d %d %d %d\n", (int)w->kind, w->t,
                     w->factor, w->from, w->to, w->event, (int)w->cause, w->cause_index);
    if (s->len + (size_t)n + 1 > s->cap) {
        s->cap = 2 * (s->cap + (size_t)n + 1);
        s->text = realloc(s->text, s->cap);
        assert_non_null(s->text);
    }
    memcpy(s->text + s->len, line, (size_t)n + 1);
    s->len += (size_t)n;
}

static void test_story_independent_of_what_ran_before(void **state)
{
    (void)state;
    nsm_model *m = baseline();
    nsm_accum *a = nsm_accum_alloc(m);
    nsm_sim *used = nsm_sim_alloc(m);
    assert_int_equal(nsm_sim_set_uncertainty(used, NSM_UNCERTAINTY_PER_RUN, 1), NSM_OK);
    int starts = 0, changes = 0;
    for (uint64_t r = 0; r < 16; r++) {
        story alone = {0}, after = {0};
        nsm_sim *fresh = nsm_sim_alloc(m);
        assert_int_equal(nsm_sim_set_uncertainty(fresh, NSM_UNCERTAINTY_PER_RUN, 1), NSM_OK);
        nsm_sim_set_observer(fresh, seen, &alone);
        assert_int_equal(nsm_sim_replicate(fresh, SEED, r, a, NULL), NSM_OK);
        nsm_sim_set_observer(used, seen, &after);
        assert_int_equal(nsm_sim_replicate(used, SEED, r, a, NULL), NSM_OK);
        assert_non_null(alone.text);
        assert_string_equal(alone.text, after.text);
        for (const char *p = alone.text; *p; p = strchr(p, '\n') + 1) {
            starts += p[0] == '0';
            changes += p[0] == '1';
        }
        free(alone.text);
        free(after.text);
        nsm_sim_free(fresh);
    }
    /* every replication starts with each factor's level, and the baseline moves */
    assert_int_equal(starts, 16 * m->n_factors);
    assert_true(changes > 16);
    nsm_sim_free(used);
    nsm_accum_free(a);
    nsm_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replays_add_up_to_the_run),
        cmocka_unit_test(test_story_independent_of_what_ran_before),
    };
    return cmocka_run_group_tests_name("trace", tests, NULL, NULL);
}
