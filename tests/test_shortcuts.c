/*
** test_shortcuts.c: the engine loop's shortcuts per replication and per event (sim/engine.c,
** actions.c, issue 14) against what they replace, so that a wrong one fails here by name rather
** than only as a changed result in scripts/bytecheck.sh:
**   - a factor's initial level from the first uniform of its stream, drawn from a bare stream
**     (nsmi_first_uniform), against gsl_rng_uniform of a generator set to the stream;
**   - the report index of a change of level from a table of whole days (nsmi_report_index_of)
**     against the search (nsmi_report_index);
**   - the counted events' tables updated in place (nsmi_accum_period, nsmi_accum_cumulative)
**     against accum.c's functions, growth and empty stays included, at once as in a run and
**     late as in a comparison's arms (nsmi_acc_add), the tables growing with writes pending;
**   - the loop with its shortcuts (the fixed breakpoints kept by plan_fixed, the re-rating month
**     starts looked up in a table kept across replications, the outcomes' flags left clear by the
**     end of a replication, a transition's next exponential drawn when its rate is next positive
**     rather than as it fires) against the reference (nsmi_engine_use_reference): the same
**     accumulators and events, replication by replication, and no more draws (fewer on the
**     chain), on seasonal models (drawn multipliers among them), phases, calendars, durations,
**     gamma redraws and delays, and a transition undone at the instant it fires;
**   - replications that fail part way (their flags are not left clear: by the event budget, and
**     in a loop of zero-delay effects at an instant that changed a factor, tests/models/loop_after)
**     and then good ones: the same as on simulators that never failed.
*/
#include "nsm_test.h"
#include "nsm_model_test.h"

#include <gsl/gsl_rng.h>
#include <stdlib.h>
#include <string.h>

#include "neasim/accum.h"
#include "neasim/arms.h"
#include "neasim/engine.h"
#include "neasim/rng.h"
#include "sim/internal.h"

static void test_first_uniform(void **state)
{
    (void)state;
    const uint64_t seeds[] = {0, 1, 12345, (UINT64_C(1) << 40) + 7, UINT64_MAX};
    const uint64_t reps[] = {0, 1, 999, (UINT64_C(1) << 33) + 5};
    const uint32_t streams[] = {0, 1, 77, UINT32_C(1) << 31, UINT32_MAX};
    const double p[4] = {0.1, 0.25, 0.3, 0.35};
    gsl_rng *r = gsl_rng_alloc(nsm_rng_philox4x32);
    assert_non_null(r);
    int n = 0, differ = 0;
    double first = -1.0;
    for (size_t a = 0; a < sizeof seeds / sizeof *seeds; a++)
        for (size_t b = 0; b < sizeof reps / sizeof *reps; b++)
            for (size_t c = 0; c < sizeof streams / sizeof *streams; c++, n++) {
                nsm_rng_set_stream(r, seeds[a], reps[b], streams[c]);
                double u = gsl_rng_uniform(r), v = nsmi_first_uniform(seeds[a], reps[b], streams[c]);
                if (memcmp(&u, &v, sizeof u) != 0)
                    fail_msg("seed %llu, replication %llu, stream %u: gsl_rng_uniform %.17g, "
                             "nsmi_first_uniform %.17g", (unsigned long long)seeds[a],
                             (unsigned long long)reps[b], (unsigned)streams[c], u, v);
                nsm_rng_set_stream(r, seeds[a], reps[b], streams[c]);
                assert_int_equal(nsmi_draw_categorical(r, p, 4), nsmi_categorical(v, p, 4));
                differ += n > 0 && v != first; /* the triples give different numbers */
                first = n == 0 ? v : first;
            }
    assert_true(differ >= n - 2);
    gsl_rng_free(r);
}

/* The report index from the table of whole days (nsmi_report_index_of) against the search, at
** every whole day of the horizon and just before, just after and half a day after it, and past
** the end. */
static void expect_report_days(const char *name)
{
    nsm_model *m = nsm_test_load(name);
    nsm_sim *s = nsm_sim_alloc(m);
    assert_non_null(s);
    if (!s->report_day) /* shipped report dates are whole days: the table must be there */
        fail_msg("%s: no table of report indexes by day", name);
    int checked = 0;
    for (int d = 0; d <= (int)m->t_end + 3; d++) {
        double ts[4] = {(double)d, nextafter((double)d, -1.0), nextafter((double)d, 1e9), d + 0.5};
        for (int k = 0; k < 4; k++, checked++) {
            int want = nsmi_report_index(m, ts[k]), got = nsmi_report_index_of(s, ts[k]);
            if (ts[k] >= 0.0 && got != want)
                fail_msg("%s: t = %.17g: report index %d from the table, %d by the search", name,
                         ts[k], got, want);
        }
    }
    assert_true(checked > 4 * 365);
    nsm_sim_free(s);
    nsm_model_free(m);
}

static void test_report_days(void **state)
{
    (void)state;
    expect_report_days("chain6");
    expect_report_days("season_years");
    expect_report_days("scenarios/baseline");
    expect_report_days("scenarios/backtest-2015");
}

/* Two accumulators' count tables of event e: the same rows, largest count and cells (x and y
** name the two ways they were made). */
static void expect_same_table(const char *what, int e, const nsmi_count_table *a,
                              const nsmi_count_table *b, int cols, const char *x, const char *y)
{
    if (a->rows != b->rows || a->max_seen != b->max_seen)
        fail_msg("%s of event %d: %lld rows, largest %lld %s; %lld and %lld %s", what, e,
                 (long long)a->rows, (long long)a->max_seen, x, (long long)b->rows,
                 (long long)b->max_seen, y);
    for (int64_t k = 0; k < a->rows * cols; k++)
        if (a->cells[k] != b->cells[k])
            fail_msg("%s of event %d, cell %lld: %lld %s, %lld %s", what, e, (long long)k,
                     (long long)a->cells[k], x, (long long)b->cells[k], y);
}

/* The in-place updates of a simulator that writes at once (late 0) or late (nsmi_acc_add). */
static void accum_in_place(const nsm_model *m, int late)
{
    nsm_accum *a = nsm_accum_alloc(m), *b = nsm_accum_alloc(m);
    nsm_sim *s = nsm_sim_alloc(m);
    assert_true(a && b && s);
    s->defer_on = late;
    int cols = a->cols, n = m->n_reports;
    uint64_t x = 88172645463325252u; /* xorshift64: a fixed, varied sequence */
    for (int step = 0; step < 20000; step++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        int e = (int)(x % (uint64_t)m->n_events), i0 = (int)((x >> 8) % (uint64_t)(n + 1));
        int i1 = (int)((x >> 20) % (uint64_t)(n + 1));
        /* mostly small counts, now and then a larger one, so that the tables grow */
        int64_t count = (x >> 40) % 16 == 0 ? (int64_t)((x >> 44) % 40) : (int64_t)((x >> 44) % 4);
        if (i0 < n) {
            assert_int_equal(nsmi_accum_period(s, a, e, i0, count), 0);
            assert_int_equal(nsm_accum_event_period(b, e, i0, count), NSM_OK);
        }
        assert_int_equal(nsmi_accum_cumulative(s, a, e, count, i0, i1), 0); /* i0 >= i1: nothing */
        assert_int_equal(nsm_accum_event_cumulative(b, e, count, i0, i1), NSM_OK);
    }
    int pending = 0;
    for (int k = 0; k < NSMI_DEFER_N; k++)
        pending += s->defer_p[k] != NULL;
    assert_int_equal(pending, late ? NSMI_DEFER_N : 0); /* late: the ring is full, not applied */
    nsmi_acc_flush(s); /* as the end of a replication does */
    for (int e = 0; e < m->n_events; e++) {
        assert_true(a->period[e].rows > 8); /* the table grew in place's path too */
        expect_same_table("period counts", e, &a->period[e], &b->period[e], cols, "in place",
                          "by accum.c");
        expect_same_table("cumulative counts", e, &a->cumul[e], &b->cumul[e], cols, "in place",
                          "by accum.c");
    }
    nsm_sim_free(s);
    nsm_accum_free(a);
    nsm_accum_free(b);
}

static void test_accum_in_place(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("counts");
    assert_true(m->n_events > 0);
    for (int late = 0; late <= 1; late++)
        accum_in_place(m, late);
    nsm_model_free(m);
}

static void expect_same_array(const char *name, const char *what, const int64_t *x,
                              const int64_t *y, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (x[k] != y[k])
            fail_msg("%s: %s cell %zu is %lld with the shortcuts, %lld by the reference", name, what,
                     k, (long long)x[k], (long long)y[k]);
}

/* Every table of two accumulators of model m byte for byte (the layout of internal.h). */
static void expect_same_accum(const char *name, const nsm_model *m, const nsm_accum *a,
                              const nsm_accum *b)
{
    size_t cols = (size_t)a->cols;
    assert_int_equal(a->runs, b->runs);
    expect_same_array(name, "occupancy", a->occupancy, b->occupancy,
                      (size_t)m->n_levels_total * cols);
    expect_same_array(name, "held", a->held, b->held, (size_t)m->n_outcomes * cols);
    expect_same_array(name, "first", a->first, b->first, (size_t)m->n_outcomes * cols);
    const char *x = "with the shortcuts", *y = "by the reference";
    for (int e = 0; e < m->n_events; e++) {
        expect_same_table(name, e, &a->period[e], &b->period[e], a->cols, x, y);
        expect_same_table(name, e, &a->yearly[e], &b->yearly[e], a->ycols, x, y);
        expect_same_table(name, e, &a->cumul[e], &b->cumul[e], a->cols, x, y);
    }
}

/* Replications 0..runs-1 of a model (under the arm made of `levers`, when not NULL; drawn
** numbers with `drawn`) with the shortcuts and by the reference: the same accumulators, the same
** events after every replication and no more draws (the reference draws a transition's next
** exponential as it fires, used or not). At least min_events events in all, so that the
** comparison saw the loop run. Returns the draws saved. */
static uint64_t expect_same_as_reference(const char *name, const char *levers, int drawn,
                                         int runs, uint64_t min_events)
{
    nsm_model *m = nsm_test_load(name);
    nsm_arm *arms = NULL;
    int n_arms = 0;
    if (levers) {
        assert_int_equal(nsm_arms_build(m, levers, 0, name, &arms, &n_arms, NULL), NSM_OK);
        assert_true(n_arms == 2 && arms[1].n_phases > 1); /* a lever from a date: a phase */
    }
    nsm_accum *a = nsm_accum_alloc(m), *b = nsm_accum_alloc(m);
    nsm_sim *fast = nsm_sim_alloc(m), *ref = nsm_sim_alloc(m);
    assert_true(a && b && fast && ref);
    nsmi_engine_use_reference(ref, 1);
    nsm_uncertainty mode = drawn ? NSM_UNCERTAINTY_PER_RUN : NSM_UNCERTAINTY_NOMINAL;
    assert_int_equal(nsm_sim_set_uncertainty(fast, mode, 0), NSM_OK);
    assert_int_equal(nsm_sim_set_uncertainty(ref, mode, 0), NSM_OK);
    if (levers) {
        nsm_sim_set_arm(fast, &arms[1]);
        nsm_sim_set_arm(ref, &arms[1]);
    }
    for (int rep = 0; rep < runs; rep++) {
        assert_int_equal(nsm_sim_replicate(fast, 41, (uint64_t)rep, a, NULL), NSM_OK);
        assert_int_equal(nsm_sim_replicate(ref, 41, (uint64_t)rep, b, NULL), NSM_OK);
        if (nsm_sim_event_count(fast) != nsm_sim_event_count(ref) ||
            nsm_sim_draw_count(fast) > nsm_sim_draw_count(ref))
            fail_msg("%s, replication %d: %llu events and %llu draws so far with the shortcuts, "
                     "%llu and %llu by the reference", name, rep,
                     (unsigned long long)nsm_sim_event_count(fast),
                     (unsigned long long)nsm_sim_draw_count(fast),
                     (unsigned long long)nsm_sim_event_count(ref),
                     (unsigned long long)nsm_sim_draw_count(ref));
    }
    expect_same_accum(name, m, a, b);
    if (nsm_sim_event_count(fast) < min_events)
        fail_msg("%s: only %llu events", name, (unsigned long long)nsm_sim_event_count(fast));
    uint64_t saved = nsm_sim_draw_count(ref) - nsm_sim_draw_count(fast);
    nsm_sim_free(fast);
    nsm_sim_free(ref);
    nsm_accum_free(a);
    nsm_accum_free(b);
    if (arms)
        nsm_arms_free(arms, n_arms);
    nsm_model_free(m);
    return saved;
}

static void test_seasonal_models(void **state)
{
    (void)state;
    expect_same_as_reference("counts", NULL, 0, 500, 1000);
    expect_same_as_reference("season_apart", NULL, 0, 500, 500);
    expect_same_as_reference("season_joint", NULL, 1, 500, 500);
    expect_same_as_reference("season_years", NULL, 0, 500, 500);
    expect_same_as_reference("season_dist", NULL, 1, 500, 300); /* drawn multipliers */
}

static void test_other_models(void **state)
{
    (void)state;
    /* a transition that fires leaves its level: on the chain it is often not back by the end,
    ** and its next exponential is then never drawn (a fifth of the reference's draws) */
    uint64_t saved = expect_same_as_reference("chain6", NULL, 0, 500, 2000);
    if (saved < 500)
        fail_msg("chain6: %llu draws saved in 500 replications", (unsigned long long)saved);
    /* a transition undone by an effect at the instant it fires: its rate is what it was, and its
    ** next exponential must be drawn all the same */
    expect_same_as_reference("bounce", NULL, 0, 500, 3000);
    expect_same_as_reference("redraw", NULL, 0, 300, 300);
    expect_same_as_reference("calendar_event", NULL, 0, 300, 300);
    expect_same_as_reference("delay", NULL, 0, 300, 300);
    expect_same_as_reference("deadline", NULL, 0, 300, 100);
    expect_same_as_reference("sojourn_restart", NULL, 0, 300, 300);
    expect_same_as_reference("weibull_sojourn", NULL, 0, 300, 300);
    expect_same_as_reference("uncertain", NULL, 1, 300, 200);
    /* modifiers: a change re-rates only the processes one of whose clauses it turns
    ** (rates.c, nsmi_mark_change); the reference re-rates every process that names the factor.
    ** A disjunction across factors (or_condition), a ring of 192 processes (many), clauses
    ** whose masks a change may leave as they were (paths, signposts) */
    expect_same_as_reference("modifier", NULL, 0, 500, 300);
    expect_same_as_reference("or_condition", NULL, 0, 500, 500);
    expect_same_as_reference("many", NULL, 0, 200, 2000);
    expect_same_as_reference("paths", NULL, 0, 300, 300);
    expect_same_as_reference("signposts", NULL, 0, 300, 300);
}

static void test_baseline(void **state)
{
    (void)state;
    expect_same_as_reference("scenarios/baseline", NULL, 0, 100, 10000);
    expect_same_as_reference("scenarios/baseline", NULL, 1, 100, 10000);
    expect_same_as_reference("scenarios/baseline", "us_reaffirmation_assistance", 1, 100, 10000);
}

/* A replication stopped by its event budget part way leaves outcomes holding and factors marked;
** the next replications on the same simulator must not see them: the same accumulators as a
** simulator that never failed. */
static void test_after_a_failure(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("scenarios/baseline");
    nsm_accum *a = nsm_accum_alloc(m), *b = nsm_accum_alloc(m), *junk = nsm_accum_alloc(m);
    nsm_sim *s = nsm_sim_alloc(m), *fresh = nsm_sim_alloc(m);
    assert_true(a && b && junk && s && fresh);
    int failed = 0;
    for (int rep = 0; rep < 60; rep++) {
        nsm_sim_set_limits(s, 40, NULL); /* ~143 events a replication: most fail part way */
        failed += nsm_sim_replicate(s, 43, 1000 + (uint64_t)rep, junk, NULL) != NSM_OK;
        nsm_sim_set_limits(s, 0, NULL);
        assert_int_equal(nsm_sim_replicate(s, 43, (uint64_t)rep, a, NULL), NSM_OK);
        assert_int_equal(nsm_sim_replicate(fresh, 43, (uint64_t)rep, b, NULL), NSM_OK);
    }
    assert_true(failed >= 30);
    expect_same_accum("baseline after failed replications", m, a, b);
    nsm_sim_free(s);
    nsm_sim_free(fresh);
    nsm_accum_free(a);
    nsm_accum_free(b);
    nsm_accum_free(junk);
    nsm_model_free(m);
}

/* A replication that fails in a zero-delay loop at the instant f entered b leaves f marked for
** the outcomes (its instant never settled); one that starts in b changes f to a without a loop.
** Every replication on one simulator, failed or not, against a new simulator each: the same
** statuses and accumulators (a stale mark would keep f's next change from its outcome). */
static void test_after_a_loop(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("loop_after");
    nsm_accum *a = nsm_accum_alloc(m), *b = nsm_accum_alloc(m);
    nsm_sim *s = nsm_sim_alloc(m);
    assert_true(a && b && s);
    int failed = 0, passed_after_failure = 0, last_failed = 0;
    for (int rep = 0; rep < 400; rep++) {
        nsm_sim *fresh = nsm_sim_alloc(m);
        assert_non_null(fresh);
        nsm_status st = nsm_sim_replicate(s, 47, (uint64_t)rep, a, NULL);
        assert_int_equal(nsm_sim_replicate(fresh, 47, (uint64_t)rep, b, NULL), st);
        nsm_sim_free(fresh);
        failed += st != NSM_OK;
        passed_after_failure += st == NSM_OK && last_failed;
        last_failed = st != NSM_OK;
    }
    assert_true(failed >= 100 && passed_after_failure >= 30);
    expect_same_accum("loop_after", m, a, b);
    nsm_sim_free(s);
    nsm_accum_free(a);
    nsm_accum_free(b);
    nsm_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_uniform),
        cmocka_unit_test(test_accum_in_place),
        cmocka_unit_test(test_report_days),
        cmocka_unit_test(test_seasonal_models),
        cmocka_unit_test(test_other_models),
        cmocka_unit_test(test_baseline),
        cmocka_unit_test(test_after_a_failure),
        cmocka_unit_test(test_after_a_loop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
