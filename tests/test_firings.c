/*
** test_firings.c: the next firing (sim/firings.c), the smallest (tau, k), against its reference,
** a scan of tau in index order: ties to the lowest index within a block and across blocks, the
** processes that cannot fire (infinite, not a number), none at all, many processes under random
** updates; then whole replications of models, the engine choosing its firings by the tree and by
** the scan, which must see exactly the same path.
*/
#include "nsm_test.h"
#include "nsm_model_test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "neasim/accum.h"
#include "neasim/arms.h"
#include "neasim/engine.h"
#include "sim/internal.h"

static const double inf = (double)INFINITY;

/* The top of the tree must be the scan's choice, both the process and its time. */
static void expect_top(nsmi_firings *q, int k, double tau)
{
    double tt, ts;
    int kt = nsmi_firings_top(q, &tt), ks = nsmi_firings_scan(q, &ts);
    if (kt != k || ks != k || !(tt == tau) || !(ts == tau))
        fail_msg("tree (%d, %.17g), scan (%d, %.17g), expected (%d, %.17g)", kt, tt, ks, ts, k,
                 tau);
}

static void init(nsmi_firings *q, int n)
{
    memset(q, 0, sizeof *q);
    assert_int_equal(nsmi_firings_init(q, n), 0);
}

static void test_none_can_fire(void **state)
{
    (void)state;
    int sizes[] = {0, 1, NSMI_FIRING_BLOCK, 5 * NSMI_FIRING_BLOCK + 3};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        nsmi_firings q;
        init(&q, sizes[i]);
        expect_top(&q, -1, inf);
        if (sizes[i] > 0) {
            nsmi_firings_set(&q, sizes[i] - 1, (double)NAN); /* not a number: cannot fire */
            nsmi_firings_set(&q, 0, inf);
            expect_top(&q, -1, inf);
            nsmi_firings_set(&q, sizes[i] - 1, 2.0);
            expect_top(&q, sizes[i] - 1, 2.0);
            nsmi_firings_clear(&q);
            expect_top(&q, -1, inf);
        }
        nsmi_firings_release(&q);
    }
}

/* Equal times: the lowest index wins, in one block, across blocks, whichever was set first, and
** again when the winner leaves. */
static void test_ties_go_to_the_lowest_index(void **state)
{
    (void)state;
    int B = NSMI_FIRING_BLOCK, n = 9 * B;
    nsmi_firings q;
    init(&q, n);
    int at[] = {8 * B + 1, 8 * B, 3 * B + 5, 3 * B + 2, 2 * B + B - 1, B};
    for (size_t i = 0; i < sizeof at / sizeof *at; i++) {
        nsmi_firings_set(&q, at[i], 5.0);
        expect_top(&q, at[i], 5.0); /* each is lower than all before it */
    }
    nsmi_firings_set(&q, 0, 5.0); /* a tie set last, in the first block */
    expect_top(&q, 0, 5.0);
    nsmi_firings_set(&q, 0, inf); /* the winner leaves: the next lowest index */
    expect_top(&q, B, 5.0);
    nsmi_firings_set(&q, B, 5.5); /* ...or goes later */
    expect_top(&q, 2 * B + B - 1, 5.0);
    nsmi_firings_set(&q, 8 * B + 1, 4.0); /* an earlier time beats every lower index */
    expect_top(&q, 8 * B + 1, 4.0);
    nsmi_firings_set(&q, 8 * B + 1, 5.0); /* and in a tie again loses to them */
    expect_top(&q, 2 * B + B - 1, 5.0);
    nsmi_firings_release(&q);
}

/* Small models have no tree (firings.c): up to NSMI_FIRING_SCAN_MAX processes a scan, one more and
** the tree. Both sides of the boundary choose as the reference scan does: ties to the lowest index,
** whichever was set first, not-a-number never. */
static void test_small_models_scan(void **state)
{
    (void)state;
    for (int n = NSMI_FIRING_SCAN_MAX; n <= NSMI_FIRING_SCAN_MAX + 1; n++) {
        nsmi_firings q;
        init(&q, n);
        assert_int_equal(q.scan, n <= NSMI_FIRING_SCAN_MAX);
        nsmi_firings_set(&q, n - 1, 5.0);
        expect_top(&q, n - 1, 5.0);
        nsmi_firings_set(&q, n / 2, 5.0); /* a tie at a lower index, set later */
        expect_top(&q, n / 2, 5.0);
        nsmi_firings_set(&q, 0, (double)NAN);
        nsmi_firings_set(&q, 1, 5.0);
        expect_top(&q, 1, 5.0);
        nsmi_firings_set(&q, n - 1, 4.0); /* earlier beats every lower index */
        expect_top(&q, n - 1, 4.0);
        nsmi_firings_set(&q, n - 1, inf);
        nsmi_firings_set(&q, 1, 6.0);
        if (q.scan) /* no tree: the sets since the last query listed no block */
            assert_int_equal(q.n_stale, 0);
        expect_top(&q, n / 2, 5.0);
        nsmi_firings_clear(&q);
        expect_top(&q, -1, inf);
        nsmi_firings_release(&q);
    }
}

/* Several sets before one query, the same process set twice, a time that moves back and forth. */
static void test_updates_between_queries(void **state)
{
    (void)state;
    nsmi_firings q;
    init(&q, 100);
    nsmi_firings_set(&q, 40, 3.0);
    nsmi_firings_set(&q, 70, 2.0);
    nsmi_firings_set(&q, 40, 1.0);
    expect_top(&q, 40, 1.0);
    nsmi_firings_set(&q, 40, 9.0);
    nsmi_firings_set(&q, 70, 9.0);
    nsmi_firings_set(&q, 99, 8.0);
    expect_top(&q, 99, 8.0);
    nsmi_firings_set(&q, 99, 9.0);
    expect_top(&q, 40, 9.0);
    nsmi_firings_release(&q);
}

/* Random updates of many processes, with times from a small set so that ties are common, and
** infinite and not-a-number times: after each batch the tree agrees with the scan. */
static void test_many_random_updates(void **state)
{
    (void)state;
    int sizes[] = {1, 7, NSMI_FIRING_BLOCK, NSMI_FIRING_BLOCK + 1, NSMI_FIRING_SCAN_MAX,
                   NSMI_FIRING_SCAN_MAX + 1, 130, 512, 513, 1920, 5000};
    unsigned long x = 12345;
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        int n = sizes[i];
        nsmi_firings q;
        init(&q, n);
        for (int round = 0; round < 3000; round++) {
            int batch = 1 + (int)(x % 6);
            for (int j = 0; j < batch; j++) {
                x = x * 6364136223846793005UL + 1442695040888963407UL;
                int k = (int)((x >> 33) % (unsigned long)n);
                int v = (int)((x >> 20) % 23);
                double tau = v == 0 ? inf : v == 1 ? (double)NAN : (double)(v % 11) * 0.25;
                nsmi_firings_set(&q, k, tau);
            }
            double tt, ts;
            int kt = nsmi_firings_top(&q, &tt), ks = nsmi_firings_scan(&q, &ts);
            if (kt != ks || !(tt == ts))
                fail_msg("n %d, round %d: tree (%d, %g), scan (%d, %g)", n, round, kt, tt, ks, ts);
        }
        nsmi_firings_release(&q);
    }
}

/* The tree's levels (firings.c): level 1 one entry a block of tau, each level above one a block of
** 8 of the level below, up to one entry; so many levels for a number of processes on either side
** of a power of 8 blocks. */
static void test_levels(void **state)
{
    (void)state;
    struct {
        int n, n_up;
    } c[] = {{NSMI_FIRING_SCAN_MAX + 1, 2}, {64, 2}, {65, 3}, {512, 3}, {513, 4},
             {4096, 4}, {4097, 5}, {1920, 4}};
    for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
        nsmi_firings q;
        init(&q, c[i].n);
        if (q.n_up != c[i].n_up)
            fail_msg("%d processes: %d levels, expected %d", c[i].n, q.n_up, c[i].n_up);
        nsmi_firings_release(&q);
    }
}

/* Equal times in different blocks of every level of a four-level tree (1,027 processes: 129
** blocks, 17, 3, 1): the lowest index wins whichever was set first, and again as each winner
** leaves; an earlier time beats them all from the last block. */
static void test_ties_across_levels(void **state)
{
    (void)state;
    int n = 2 * 512 + 3;
    nsmi_firings q;
    init(&q, n);
    assert_int_equal(q.n_up, 4);
    int at[] = {n - 1, 512 + 7, 512, 64 * 3 + 1, 64, 63, 8, 7, 0};
    for (size_t i = 0; i < sizeof at / sizeof *at; i++) {
        nsmi_firings_set(&q, at[i], 5.0);
        expect_top(&q, at[i], 5.0); /* each is lower than all before it */
    }
    for (size_t i = sizeof at / sizeof *at - 1; i > 0; i--) {
        nsmi_firings_set(&q, at[i], inf);
        expect_top(&q, at[i - 1], 5.0);
    }
    nsmi_firings_set(&q, n - 1, 4.0);
    expect_top(&q, n - 1, 4.0);
    nsmi_firings_release(&q);
}

/* +0 and -0 are equal times: the first in index order wins, and the time returned is its own, bit
** for bit, also when the winner's time changes from one zero to the other (the tree compares
** entries by their bits). */
static void test_signed_zeros(void **state)
{
    (void)state;
    int n = 9 * NSMI_FIRING_BLOCK;
    nsmi_firings q;
    init(&q, n);
    double tt;
    nsmi_firings_set(&q, 5, -0.0);
    nsmi_firings_set(&q, 3, 0.0);
    assert_int_equal(nsmi_firings_top(&q, &tt), 3);
    assert_true(tt == 0.0 && !signbit(tt));
    nsmi_firings_set(&q, 3, -0.0); /* the winner stays, its time's sign changes */
    assert_int_equal(nsmi_firings_top(&q, &tt), 3);
    assert_true(tt == 0.0 && signbit(tt));
    nsmi_firings_set(&q, 3, inf);
    nsmi_firings_set(&q, 8 * NSMI_FIRING_BLOCK, 0.0); /* a later block: loses the tie */
    assert_int_equal(nsmi_firings_top(&q, &tt), 5);
    assert_true(tt == 0.0 && signbit(tt));
    nsmi_firings_release(&q);
}

/* ---------------------------------------------------------------- the engine, both ways */

typedef struct {
    size_t n, cap;
    nsm_seen *seen;
} path;

static void record(void *ctx, const nsm_seen *w)
{
    path *p = ctx;
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 1024;
        p->seen = realloc(p->seen, p->cap * sizeof *p->seen);
        assert_non_null(p->seen);
    }
    p->seen[p->n++] = *w;
}

static int same_seen(const nsm_seen *a, const nsm_seen *b)
{
    return a->kind == b->kind && a->t == b->t && a->factor == b->factor && a->from == b->from &&
           a->to == b->to && a->event == b->event && a->cause == b->cause &&
           a->cause_index == b->cause_index;
}

/* Replications 0..runs-1 of a model, by the tree and by the scan: the same path, step by step. */
static void expect_same_paths(const char *name, int runs, size_t min_steps)
{
    nsm_model *m = nsm_test_load(name);
    nsm_accum *a = nsm_accum_alloc(m);
    nsm_sim *tree = nsm_sim_alloc(m), *scan = nsm_sim_alloc(m);
    assert_non_null(a);
    assert_non_null(tree);
    assert_non_null(scan);
    nsmi_rates_use_scan(scan, 1);
    path pt = {0}, ps = {0};
    nsm_sim_set_observer(tree, record, &pt);
    nsm_sim_set_observer(scan, record, &ps);
    size_t steps = 0;
    for (int rep = 0; rep < runs; rep++) {
        pt.n = ps.n = 0;
        assert_int_equal(nsm_sim_replicate(tree, 17, (uint64_t)rep, a, NULL), NSM_OK);
        assert_int_equal(nsm_sim_replicate(scan, 17, (uint64_t)rep, a, NULL), NSM_OK);
        if (pt.n != ps.n)
            fail_msg("%s, replication %d: %zu steps by the tree, %zu by the scan", name, rep, pt.n,
                     ps.n);
        for (size_t i = 0; i < pt.n; i++)
            if (!same_seen(&pt.seen[i], &ps.seen[i]))
                fail_msg("%s, replication %d, step %zu: the tree and the scan differ", name, rep, i);
        steps += pt.n;
    }
    if (steps < min_steps) /* the comparison saw a real path */
        fail_msg("%s: only %zu steps in %d replications", name, steps, runs);
    free(pt.seen);
    free(ps.seen);
    nsm_sim_free(tree);
    nsm_sim_free(scan);
    nsm_accum_free(a);
    nsm_model_free(m);
}

/* 192 processes (30 factors, 12 counted events, modifiers, seasonality, gamma redraws). */
static void test_engine_many_processes(void **state)
{
    (void)state;
    expect_same_paths("many", 200, 200 * 100);
}

/* Few processes, one block: the calendar, effects, durations at the same instants as firings. */
static void test_engine_small_models(void **state)
{
    (void)state;
    expect_same_paths("chain6", 500, 500);
    expect_same_paths("counts", 500, 500);
    expect_same_paths("same_instant", 200, 200);
    expect_same_paths("weibull_sojourn", 200, 200);
}

/* A phase's base rates reach the clocks (rates.c keeps a copy of each transition's): under the
** lever stop_f1 (f1's transitions x0 from 2027) f1 never moves by a hazard after the phase starts,
** and moves before it in every replication after the first, whose clocks start from the first
** phase's rates again. Tree and scan see the same path. */
typedef struct {
    double phase_t;
    int before, after;
} f1_moves;

static void count_f1(void *ctx, const nsm_seen *w)
{
    f1_moves *c = ctx;
    if (w->kind == NSM_SEEN_CHANGE && w->factor == 0 && w->cause == NSM_CAUSE_HAZARD) {
        if (w->t < c->phase_t)
            c->before++;
        else
            c->after++;
    }
}

static void test_phase_takes_its_base_rates(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("many");
    nsm_arm *arms;
    int n_arms;
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_arms_build(m, "stop_f1", 0, "many", &arms, &n_arms, &d), NSM_OK);
    assert_int_equal(n_arms, 2);
    assert_int_equal(arms[1].n_phases, 2);
    nsm_accum *a = nsm_accum_alloc(m);
    nsm_sim *s = nsm_sim_alloc(m);
    assert_non_null(s);
    nsm_sim_set_arm(s, &arms[1]);
    f1_moves c = {arms[1].phase_t[1], 0, 0};
    nsm_sim_set_observer(s, count_f1, &c);
    int reps_moving = 0;
    for (uint64_t rep = 0; rep < 100; rep++) {
        int before = c.before;
        assert_int_equal(nsm_sim_replicate(s, 5, rep, a, NULL), NSM_OK);
        reps_moving += c.before > before;
    }
    if (c.after != 0 || reps_moving < 90)
        fail_msg("f1 moved %d times after its phase, before it in %d of 100 replications",
                 c.after, reps_moving);
    nsm_sim_free(s);
    nsm_accum_free(a);
    nsm_arms_free(arms, n_arms);
    nsm_diag_release(&d);
    nsm_model_free(m);
}

/* ---------------------------------------------------------------- what a change re-rates */

/* Whether one of process k's modifiers names factor f (its own factor aside) in a clause of mask
** `mask`. By brute force. */
static int names_factor(const nsm_model *m, int k, int f, uint64_t mask)
{
    if (k < m->n_transitions && m->transitions[k].factor == f)
        return 0;
    for (int j = 0; j < m->n_modifiers; j++) {
        const nsm_condition *c = &m->modifiers[j].cond;
        for (int q = 0; m->modifiers[j].process == k && q < c->n_clauses; q++)
            if (c->clauses[q].factor == f && c->clauses[q].mask == mask)
                return 1;
    }
    return 0;
}

/* The index of what a change of factor f may re-rate (rates.c): each process whose modifiers name
** f, in process order, once for each distinct mask of its clauses on f, and nothing else. */
static void expect_dependencies(const nsm_model *m)
{
    nsm_sim *s = nsm_sim_alloc(m);
    assert_non_null(s);
    int listed = 0;
    for (int f = 0; f < m->n_factors; f++) {
        for (int j = s->dep_start[f]; j < s->dep_start[f + 1]; j++) {
            int k = s->dep_list[j];
            if (!names_factor(m, k, f, s->dep_mask[j]))
                fail_msg("%s: factor %d lists process %d with a mask none of its clauses has",
                         m->name, f, k);
            if (j > s->dep_start[f] && s->dep_list[j - 1] > k)
                fail_msg("%s: factor %d, process %d out of order", m->name, f, k);
            /* a process's masks need not be adjacent-distinct only: none may come twice */
            for (int i = s->dep_start[f]; i < j; i++)
                if (s->dep_list[i] == k && s->dep_mask[i] == s->dep_mask[j])
                    fail_msg("%s: factor %d lists process %d twice with one mask", m->name, f, k);
        }
        /* every clause on f of every process is there */
        for (int x = 0; x < m->n_modifiers; x++) {
            const nsm_modifier *md = &m->modifiers[x];
            for (int q = 0; q < md->cond.n_clauses; q++) {
                const nsm_clause *c = &md->cond.clauses[q];
                if (c->factor != f || !names_factor(m, md->process, f, c->mask))
                    continue;
                int found = 0;
                for (int j = s->dep_start[f]; j < s->dep_start[f + 1] && !found; j++)
                    found = s->dep_list[j] == md->process && s->dep_mask[j] == c->mask;
                if (!found)
                    fail_msg("%s: factor %d does not list process %d with the mask of modifier %d",
                             m->name, f, md->process, x);
            }
        }
        listed += s->dep_start[f + 1] - s->dep_start[f];
    }
    if (listed == 0)
        fail_msg("%s: no dependencies at all to compare", m->name);
    nsm_sim_free(s);
}

/* What a change of factor f from a to b marks (nsmi_mark_change): the transitions out of a and
** out of b, and exactly the processes one of whose modifiers' clauses on f holds at one of a and
** b and not at the other; by the reference, every process whose modifiers name f. By brute
** force, for every factor and every two of its levels. Returns how many marks fewer than the
** reference's the masks made. */
static int expect_marks(const nsm_model *m)
{
    nsm_sim *s = nsm_sim_alloc(m);
    assert_non_null(s);
    unsigned char *want = calloc((size_t)s->n_proc + 1, 1), *got = calloc((size_t)s->n_proc + 1, 1);
    assert_true(want && got);
    int spared = 0;
    for (int reference = 0; reference <= 1; reference++) {
        nsmi_engine_use_reference(s, reference);
        for (int f = 0; f < m->n_factors; f++)
            for (int a = 0; a < m->factors[f].n_levels; a++)
                for (int b = 0; b < m->factors[f].n_levels; b++) {
                    if (a == b)
                        continue;
                    memset(want, 0, (size_t)s->n_proc);
                    memset(got, 0, (size_t)s->n_proc);
                    for (int k = 0; k < m->n_transitions; k++)
                        want[k] = m->transitions[k].factor == f &&
                                  (m->transitions[k].from == a || m->transitions[k].from == b);
                    for (int x = 0; x < m->n_modifiers; x++) {
                        const nsm_modifier *md = &m->modifiers[x];
                        int own = md->process < m->n_transitions
                                      ? m->transitions[md->process].factor
                                      : -1;
                        for (int q = 0; q < md->cond.n_clauses; q++) {
                            const nsm_clause *c = &md->cond.clauses[q];
                            int turns = ((c->mask >> a) ^ (c->mask >> b)) & 1u;
                            if (c->factor == f && f != own && (turns || reference))
                                want[md->process] = 1;
                        }
                    }
                    nsmi_mark_change(s, f, a, b);
                    for (int j = 0; j < s->n_dirty; j++)
                        got[s->dirty_list[j]]++;
                    for (int k = 0; k < s->n_proc; k++) {
                        if (got[k] != want[k])
                            fail_msg("%s%s: %d -> %d of factor %d marks process %d %d times, "
                                     "not %d", m->name, reference ? " (reference)" : "", a, b, f,
                                     k, got[k], want[k]);
                        s->dirty[k] = 0;
                    }
                    spared += reference ? -s->n_dirty : s->n_dirty;
                    s->n_dirty = 0;
                }
    }
    free(want);
    free(got);
    nsm_sim_free(s);
    return -spared;
}

static void test_dependency_index(void **state)
{
    (void)state;
    const char *names[] = {"many", "modifier", "or_condition", "paths"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        nsm_model *m = nsm_test_load(names[i]);
        expect_dependencies(m);
        int spared = expect_marks(m);
        /* many's clauses are on level c of 3-level factors: a -> b turns none of them */
        if (i == 0 && spared <= 0)
            fail_msg("many: the masks spared no mark (%d)", spared);
        nsm_model_free(m);
    }
    nsm_model *m = NULL;
    assert_int_equal(nsm_scenario_read("scenarios/baseline", &m, NULL), NSM_OK);
    expect_dependencies(m);
    if (expect_marks(m) <= 0)
        fail_msg("baseline: the masks spared no mark");
    nsm_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_none_can_fire),
        cmocka_unit_test(test_ties_go_to_the_lowest_index),
        cmocka_unit_test(test_small_models_scan),
        cmocka_unit_test(test_updates_between_queries),
        cmocka_unit_test(test_many_random_updates),
        cmocka_unit_test(test_levels),
        cmocka_unit_test(test_ties_across_levels),
        cmocka_unit_test(test_signed_zeros),
        cmocka_unit_test(test_engine_many_processes),
        cmocka_unit_test(test_engine_small_models),
        cmocka_unit_test(test_phase_takes_its_base_rates),
        cmocka_unit_test(test_dependency_index),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
