/*
** test_outcome_index.c: outcomes brought up to date from the index of their clauses (sim/engine.c,
** issue 14) against the reference, every outcome evaluated at every instant
** (nsmi_outcomes_use_all): the same accumulators, the same trace replication by replication, the
** same onsets and routes. The model outcome_groups has many outcomes on three factors (clauses
** sharing a mask, masks of several levels, negations, a factor named twice, conditions of two and
** three clauses, onsets) and zero-delay effects that change a second factor at the instant of a
** change, or change a factor and change it back; the other models and the baseline add
** calendars, phases and the shipped scenario's conditions; outcome_or and or_condition
** disjunctions (conditions that say 'or' across factors). Then the index itself: every clause in
** the group of its factor and mask, single-clause conditions first.
*/
#include "nsm_test.h"
#include "nsm_model_test.h"

#include <stdlib.h>
#include <string.h>

#include "neasim/accum.h"
#include "neasim/engine.h"
#include "neasim/story.h"
#include "sim/internal.h"

/* The same held and first-occurrence series for every outcome; returns how many times outcomes
** held at a report date, so that a caller can insist the comparison saw outcomes move. */
static int64_t expect_same_outcomes(const char *name, const nsm_model *m, const nsm_accum *a,
                                    const nsm_accum *b)
{
    int n = m->n_reports;
    int64_t *x = calloc((size_t)n + 1, sizeof *x), *y = calloc((size_t)n + 1, sizeof *y), held = 0;
    assert_non_null(x);
    assert_non_null(y);
    for (int o = 0; o < m->n_outcomes; o++) {
        nsm_accum_outcome_held_series(a, o, x);
        nsm_accum_outcome_held_series(b, o, y);
        for (int i = 0; i < n; i++) {
            if (x[i] != y[i])
                fail_msg("%s, outcome %s, report %d: held in %lld replications by the index, %lld "
                         "by the reference", name, m->outcomes[o].name, i, (long long)x[i],
                         (long long)y[i]);
            held += x[i];
        }
        nsm_accum_outcome_first_series(a, o, x);
        nsm_accum_outcome_first_series(b, o, y);
        for (int i = 0; i < n; i++)
            if (x[i] != y[i])
                fail_msg("%s, outcome %s, report %d: occurred by it in %lld replications by the "
                         "index, %lld by the reference", name, m->outcomes[o].name, i,
                         (long long)x[i], (long long)y[i]);
    }
    free(x);
    free(y);
    return held;
}

static void expect_same_spans(const char *name, int rep, int o, const nsm_spans *a,
                              const nsm_spans *b)
{
    if (a->n != b->n)
        fail_msg("%s, replication %d, outcome %d: %d spans held by the index, %d by the reference",
                 name, rep, o, a->n, b->n);
    for (int k = 0; k < a->n; k++)
        if (a->i0[k] != b->i0[k] || a->i1[k] != b->i1[k])
            fail_msg("%s, replication %d, outcome %d, span %d: [%d, %d) by the index, [%d, %d) by "
                     "the reference", name, rep, o, k, a->i0[k], a->i1[k], b->i0[k], b->i1[k]);
}

/* Replications 0..runs-1 of a model, by the index and by the reference, into accumulators of
** their own: without a trace (the index's own path for a move), and with one (the path that
** tells the trace too), compared replication by replication. At least min_held outcome-report
** cells held in the untraced run. */
static void expect_same_as_reference(const char *name, int runs, int64_t min_held)
{
    nsm_model *m = nsm_test_load(name);
    for (int traced = 0; traced <= 1; traced++) {
        nsm_accum *a = nsm_accum_alloc(m), *b = nsm_accum_alloc(m);
        nsm_sim *idx = nsm_sim_alloc(m), *ref = nsm_sim_alloc(m);
        assert_non_null(a);
        assert_non_null(b);
        assert_non_null(idx);
        assert_non_null(ref);
        nsmi_outcomes_use_all(ref, 1);
        if (traced) {
            assert_int_equal(nsm_sim_enable_trace(idx), NSM_OK);
            assert_int_equal(nsm_sim_enable_trace(ref), NSM_OK);
        }
        for (int rep = 0; rep < runs; rep++) {
            assert_int_equal(nsm_sim_replicate(idx, 29, (uint64_t)rep, a, NULL), NSM_OK);
            assert_int_equal(nsm_sim_replicate(ref, 29, (uint64_t)rep, b, NULL), NSM_OK);
            const nsm_trace *ta = nsm_sim_trace(idx), *tb = nsm_sim_trace(ref);
            for (int o = 0; traced && o < m->n_outcomes; o++) {
                expect_same_spans(name, rep, o, &ta->held[o], &tb->held[o]);
                if (ta->first[o] != tb->first[o])
                    fail_msg("%s, replication %d, outcome %s: first at report %d by the index, %d "
                             "by the reference", name, rep, m->outcomes[o].name, ta->first[o],
                             tb->first[o]);
            }
        }
        int64_t held = expect_same_outcomes(name, m, a, b);
        if (!traced && held < min_held) /* the comparison saw outcomes move */
            fail_msg("%s: outcomes held at only %lld report dates", name, (long long)held);
        nsm_sim_free(idx);
        nsm_sim_free(ref);
        nsm_accum_free(a);
        nsm_accum_free(b);
    }
    nsm_model_free(m);
}

static void test_outcome_groups(void **state)
{
    (void)state;
    expect_same_as_reference("outcome_groups", 2000, 200000);
}

/* Disjunctions: their clauses are indexed as a conjunction's, and the outcome evaluated whole. */
static void test_disjunctions(void **state)
{
    (void)state;
    expect_same_as_reference("outcome_or", 2000, 200000);
    expect_same_as_reference("or_condition", 500, 1000);
}

static void test_other_models(void **state)
{
    (void)state;
    expect_same_as_reference("many", 200, 1000);
    expect_same_as_reference("onset", 500, 1000);
    expect_same_as_reference("same_instant", 50, 0);
    expect_same_as_reference("same_day", 50, 0);
    expect_same_as_reference("discover", 500, 1000);
    expect_same_as_reference("scenarios/baseline", 300, 10000);
}

/* Routes and signposts are told of every onset: the same with the index as with the reference. */
static void expect_same_onsets_and_routes(const char *name)
{
    nsm_model *m = nsm_test_load(name);
    nsm_story_options opt = {1, 1, 2, {1.0, 2.5}};
    nsm_story *sa = nsm_story_alloc(m, &opt), *sb = nsm_story_alloc(m, &opt);
    nsm_accum *a = nsm_accum_alloc(m), *b = nsm_accum_alloc(m);
    nsm_sim *idx = nsm_sim_alloc(m), *ref = nsm_sim_alloc(m);
    assert_true(sa && sb && a && b && idx && ref);
    nsmi_outcomes_use_all(ref, 1);
    assert_int_equal(nsm_sim_set_story(idx, sa), NSM_OK);
    assert_int_equal(nsm_sim_set_story(ref, sb), NSM_OK);
    for (int rep = 0; rep < 1000; rep++) {
        assert_int_equal(nsm_sim_replicate(idx, 31, (uint64_t)rep, a, NULL), NSM_OK);
        assert_int_equal(nsm_sim_replicate(ref, 31, (uint64_t)rep, b, NULL), NSM_OK);
    }
    expect_same_outcomes(name, m, a, b);
    assert_int_equal(nsm_story_finish(sa), NSM_OK);
    assert_int_equal(nsm_story_finish(sb), NSM_OK);
    int64_t onsets = 0;
    for (int o = 0; o < m->n_outcomes; o++) {
        assert_int_equal(nsm_story_onsets(sa, o), nsm_story_onsets(sb, o));
        assert_int_equal(nsm_story_n_routes(sa, o), nsm_story_n_routes(sb, o));
        for (int k = 0; k < nsm_story_n_routes(sa, o); k++)
            assert_int_equal(nsm_story_route(sa, o, k).onsets, nsm_story_route(sb, o, k).onsets);
        for (int w = 0; w < opt.n_watch; w++) {
            assert_int_equal(nsm_story_watch(sa, o, w).runs, nsm_story_watch(sb, o, w).runs);
            assert_int_equal(nsm_story_watch(sa, o, w).onsets, nsm_story_watch(sb, o, w).onsets);
        }
        onsets += nsm_story_onsets(sa, o);
    }
    assert_true(onsets > 1000);
    nsm_sim_free(idx);
    nsm_sim_free(ref);
    nsm_accum_free(a);
    nsm_accum_free(b);
    nsm_story_free(sa);
    nsm_story_free(sb);
    nsm_model_free(m);
}

static void test_same_onsets_and_routes(void **state)
{
    (void)state;
    expect_same_onsets_and_routes("outcome_groups");
    expect_same_onsets_and_routes("outcome_or");
}

/* Every clause of every outcome is in exactly one group: its factor's, with its mask, among the
** single-clause members when the condition has one clause; a factor's groups have distinct masks. */
static void expect_index(const nsm_model *m)
{
    nsm_sim *s = nsm_sim_alloc(m);
    assert_non_null(s);
    int *seen = calloc((size_t)m->n_outcomes + 1, sizeof *seen);
    assert_non_null(seen);
    for (int f = 0; f < m->n_factors; f++) {
        for (int g = s->out_fstart[f]; g < s->out_fstart[f + 1]; g++) {
            const nsmi_out_group *gr = &s->out_group[g];
            assert_true(gr->first <= gr->only_end && gr->only_end <= gr->end && gr->first < gr->end);
            for (int h = s->out_fstart[f]; h < g; h++)
                assert_true(s->out_group[h].mask != gr->mask);
            for (int j = gr->first; j < gr->end; j++) {
                const nsm_condition *c = &m->outcomes[s->out_member[j]].cond;
                assert_int_equal(j < gr->only_end, c->n_clauses == 1);
                int matches = 0;
                for (int q = 0; q < c->n_clauses; q++)
                    matches += c->clauses[q].factor == f && c->clauses[q].mask == gr->mask;
                assert_true(matches >= 1);
                seen[s->out_member[j]]++;
            }
        }
    }
    for (int o = 0; o < m->n_outcomes; o++) /* one member per clause */
        assert_int_equal(seen[o], m->outcomes[o].cond.n_clauses);
    free(seen);
    nsm_sim_free(s);
}

static void test_index(void **state)
{
    (void)state;
    const char *names[] = {"outcome_groups", "outcome_or", "or_condition", "many", "onset",
                           "discover", "chain6", "scenarios/baseline"};
    for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
        nsm_model *m = nsm_test_load(names[k]);
        expect_index(m);
        nsm_model_free(m);
    }
    /* outcome_groups: x=c is the mask of three outcomes' clauses, and of xy's, in one group */
    nsm_model *m = nsm_test_load("outcome_groups");
    nsm_sim *s = nsm_sim_alloc(m);
    assert_non_null(s);
    const nsmi_out_group *g = &s->out_group[s->out_fstart[0]];
    assert_int_equal(g->mask, 1u << 2); /* x=c, the first mask named */
    assert_int_equal(g->only_end - g->first, 3);
    assert_int_equal(g->end - g->only_end, 1);
    nsm_sim_free(s);
    nsm_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_outcome_groups),
        cmocka_unit_test(test_disjunctions),
        cmocka_unit_test(test_other_models),
        cmocka_unit_test(test_same_onsets_and_routes),
        cmocka_unit_test(test_index),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
