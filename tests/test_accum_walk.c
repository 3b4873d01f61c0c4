/*
** test_accum_walk.c: walking an event's cumulative count distribution forward one report at a
** time (nsm_accum_event_cumulative_step, what the writers use) gives at every report exactly the
** distribution that the direct prefix sum (nsm_accum_event_cumulative_hists) gives, on a run of
** the counts test model and on a hand-filled accumulator with gaps and a table that never grew.
*/
#include "nsm_test.h"
#include "nsm_model_test.h"

#include <stdlib.h>

#include "neasim/engine.h"

static void check_walk(const nsm_model *m, const nsm_accum *a)
{
    for (int e = 0; e < m->n_events; e++) {
        int64_t top = nsm_accum_event_max_count(a, e);
        int64_t *walk = malloc(((size_t)top + 1) * sizeof *walk);
        int64_t *direct = malloc(((size_t)top + 1) * sizeof *direct);
        assert_non_null(walk);
        assert_non_null(direct);
        for (int i = 0; i < m->n_reports; i++) {
            int64_t nw, nd;
            nsm_accum_event_cumulative_step(a, e, i, walk, &nw);
            nsm_accum_event_cumulative_hists(a, e, i, direct, &nd);
            assert_int_equal(nw, nd);
            for (int64_t c = 0; c < nd; c++)
                assert_int_equal(walk[c], direct[c]);
        }
        free(walk);
        free(direct);
    }
}

static void test_walk_matches_prefix_sums_on_a_run(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("counts");
    nsm_accum *a = nsm_accum_alloc(m);
    nsm_run_config c = {3, 500, 0, 1, NULL, NULL, NULL, NSM_UNCERTAINTY_NOMINAL, 0, 0};
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_run(m, &c, a, NULL, &d), NSM_OK);
    check_walk(m, a);
    nsm_accum_free(a);
    nsm_model_free(m);
}

static void test_walk_by_hand(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("counts");
    nsm_accum *a = nsm_accum_alloc(m);
    int n = m->n_reports;
    check_walk(m, a); /* nothing recorded: every distribution is empty */
    /* event 0: count 0 over [0, 2), 3 over [2, n), then 7 over [1, n - 1) in a second replication */
    assert_int_equal(nsm_accum_event_cumulative(a, 0, 0, 0, 2), NSM_OK);
    assert_int_equal(nsm_accum_event_cumulative(a, 0, 3, 2, n), NSM_OK);
    nsm_accum_end_replication(a);
    assert_int_equal(nsm_accum_event_cumulative(a, 0, 7, 1, n - 1), NSM_OK);
    nsm_accum_end_replication(a);
    check_walk(m, a);
    int64_t h[8], nv;
    for (int i = 0; i < n; i++)
        nsm_accum_event_cumulative_step(a, 0, i, h, &nv);
    assert_int_equal(nv, 8);
    assert_int_equal(h[3], 1); /* at the last report: the first replication's 3 */
    assert_int_equal(h[7], 0); /* the second replication's 7 ended before it */
    nsm_accum_free(a);
    nsm_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_walk_matches_prefix_sums_on_a_run),
        cmocka_unit_test(test_walk_by_hand),
    };
    return cmocka_run_group_tests_name("accum_walk", tests, NULL, NULL);
}
