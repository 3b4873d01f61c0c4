/*
** test_semantics.c: the rules of scenarios/README.md ("Semantics", "Uncertain numbers") that are
** easy to get wrong and were once unwritten, each through a small model of tests/models/ with an
** exact expectation: the order of changes at one instant (seen through the engine's observer),
** what sets off effects at t = 0, the grid of gamma redraws for a start late in a month, and how
** drawn numbers are put into a model (through nsm_arm_build_phases, as a replication does).
*/
#include "nsm_test.h"
#include "nsm_model_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neasim/accum.h"
#include "neasim/arms.h"
#include "neasim/engine.h"
#include "neasim/params.h"
#include "neasim/scenario.h"

#define RUNS 50
#define MAX_CHANGES 16

/* The changes of one replication, as the observer saw them. */
typedef struct {
    int n;
    double t[MAX_CHANGES];
    int factor[MAX_CHANGES], from[MAX_CHANGES], to[MAX_CHANGES];
} changes;

static void observe(void *ctx, const nsm_seen *w)
{
    changes *c = ctx;
    if (w->kind != NSM_SEEN_CHANGE)
        return;
    if (c->n < MAX_CHANGES) {
        c->t[c->n] = w->t;
        c->factor[c->n] = w->factor;
        c->from[c->n] = w->from;
        c->to[c->n] = w->to;
    }
    c->n++;
}

/* A change as "factor:from>to", for messages and comparisons. */
static void change_text(const nsm_model *m, const changes *c, int i, char *buf, size_t n)
{
    const nsm_factor *f = &m->factors[c->factor[i]];
    snprintf(buf, n, "%s:%s>%s", f->name, f->levels[c->from[i]], f->levels[c->to[i]]);
}

/* Replication rep's changes must be exactly `want` (NULL-terminated), at times `at` (years). */
static void expect_changes(const nsm_model *m, nsm_sim *s, nsm_accum *a, uint64_t rep,
                           const char *const *want, const double *at)
{
    changes c = {0};
    nsm_sim_set_observer(s, observe, &c);
    assert_int_equal(nsm_sim_replicate(s, 2025, rep, a, NULL), NSM_OK);
    int n = 0;
    while (want[n])
        n++;
    if (c.n != n)
        fail_msg("replication %llu: %d changes, expected %d", (unsigned long long)rep, c.n, n);
    for (int i = 0; i < n; i++) {
        char got[3 * NSM_NAME_MAX + 4];
        change_text(m, &c, i, got, sizeof got);
        if (strcmp(got, want[i]) != 0 || c.t[i] != at[i])
            fail_msg("change %d: %s at %.17g, expected %s at %.17g", i, got, c.t[i], want[i],
                     at[i]);
    }
}

static void expect_near(double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("got %.17g, expected %.17g (within %g)", got, want, tol);
}

static int outcome(const nsm_model *m, const char *name)
{
    for (int o = 0; o < m->n_outcomes; o++)
        if (strcmp(m->outcomes[o].name, name) == 0)
            return o;
    fail_msg("no outcome %s", name);
    return -1;
}

static int level(const nsm_model *m, const char *factor, const char *name)
{
    for (int f = 0; f < m->n_factors; f++)
        for (int l = 0; strcmp(m->factors[f].name, factor) == 0 && l < m->factors[f].n_levels; l++)
            if (strcmp(m->factors[f].levels[l], name) == 0)
                return m->factors[f].first_level + l;
    fail_msg("no level %s=%s", factor, name);
    return -1;
}

/* Calendar rows at one instant all run first, in row order; the zero-delay effects they set off
** run after the last of them. So h=v (row 2) is overwritten by h=z (the effect of row 1), h=z is
** reported, and h=v, a zero-length pass, never counts as an occurrence. */
static void test_calendar_rows_before_their_effects(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("same_instant");
    nsm_sim *s = nsm_sim_alloc(m);
    nsm_accum *a = nsm_accum_alloc(m);
    const char *want[] = {"k:p>q", "h:u>v", "h:v>z", NULL};
    const double t1 = 31; /* 2025-02-01, in days from the start (the engine's clock) */
    const double at[] = {t1, t1, t1};
    for (uint64_t rep = 0; rep < RUNS; rep++)
        expect_changes(m, s, a, rep, want, at);
    int64_t first[8];
    nsm_accum_outcome_first_series(a, outcome(m, "h_v"), first);
    assert_int_equal(first[m->n_reports], RUNS); /* never occurred */
    nsm_accum_outcome_first_series(a, outcome(m, "h_z"), first);
    assert_int_equal(first[1], RUNS);            /* report 1 is 2025-02-01 */
    assert_int_equal(nsm_accum_level_count(a, level(m, "h", "z"), 1), RUNS);
    nsm_accum_free(a);
    nsm_sim_free(s);
    nsm_model_free(m);
}

/* Several effects of one change are scheduled in the row order of effects.csv and, due at the same
** instant, run first in, first out: the later row has the last word (h=z at once; h=v after 31
** days, row 4 after row 3). */
static void test_effects_of_one_change_in_row_order(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("effect_order");
    nsm_sim *s = nsm_sim_alloc(m);
    nsm_accum *a = nsm_accum_alloc(m);
    const char *want[] = {"k:p>q", "h:u>v", "h:v>z", "h:z>u", "h:u>v", NULL};
    const double t1 = 31, t2 = 62; /* days from the start: exact */
    const double at[] = {t1, t1, t1, t2, t2};
    for (uint64_t rep = 0; rep < RUNS; rep++)
        expect_changes(m, s, a, rep, want, at);
    nsm_accum_free(a);
    nsm_sim_free(s);
    nsm_model_free(m);
}

/* The initial draw is not a change: k drawn as q sets off no `k:*>q` effect. A calendar change at
** t = 0 is one: g=on sets h=v at t = 0, which report 0 shows. */
static void test_initial_state_triggers_nothing(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("initial_effects");
    nsm_sim *s = nsm_sim_alloc(m);
    nsm_accum *a = nsm_accum_alloc(m);
    const char *want[] = {"g:off>on", "h:u>v", NULL};
    const double at[] = {0.0, 0.0};
    for (uint64_t rep = 0; rep < RUNS; rep++)
        expect_changes(m, s, a, rep, want, at);
    int64_t q = nsm_accum_level_count(a, level(m, "k", "q"), 0);
    assert_true(q > 0 && q < RUNS); /* k did start in q in some replications */
    assert_int_equal(nsm_accum_level_count(a, level(m, "h", "v"), 0), RUNS);
    assert_int_equal(nsm_accum_level_count(a, level(m, "h", "z"), 0), 0);
    nsm_accum_free(a);
    nsm_sim_free(s);
    nsm_model_free(m);
}

/* Gamma redraws fall on the start date plus whole multiples of redraw_months, each counted from
** the start and clamped to the length of its month: from 2024-01-31, 2024-02-29, 2024-03-31,
** 2024-04-30, ..., never drifting to the 28th or 29th of later months. */
static void test_redraw_grid_late_in_month(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("counts");
    /* the grid as the engine reads it (model->month_t), rebuilt for other starts */
    static const struct {
        int y, mo, d;
        int k;       /* months after the start */
        long days;   /* days from the start to the clamped date */
    } cases[] = {
        {2024, 1, 31, 1, 29},   /* 2024-02-29 (leap year) */
        {2024, 1, 31, 2, 60},   /* 2024-03-31, not the 29th */
        {2024, 1, 31, 3, 90},   /* 2024-04-30 */
        {2025, 1, 31, 1, 28},   /* 2025-02-28 */
        {2025, 1, 31, 12, 365}, /* 2026-01-31 */
        {2025, 1, 29, 1, 30},   /* 2025-02-28 */
        {2025, 1, 29, 2, 59},   /* 2025-03-29 */
        {2024, 2, 29, 12, 365}, /* 2025-02-28 */
        {2024, 2, 29, 48, 1461},/* 2028-02-29 */
        {2025, 3, 30, 11, 335}, /* 2026-02-28 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        m->start_year = cases[i].y;
        m->start_month = cases[i].mo;
        m->start_day = cases[i].d;
        m->horizon_months = 48;
        assert_int_equal(nsm_model_finish_grid(m), 0);
        double want = (double)cases[i].days; /* days from the start, exact */
        if (m->month_t[cases[i].k] != want)
            fail_msg("start %04d-%02d-%02d plus %d months: t %.17g, expected %.17g", cases[i].y,
                     cases[i].mo, cases[i].d, cases[i].k, m->month_t[cases[i].k], want);
    }
    nsm_model_free(m);
}

/* Every uncertain number at its mean. */
static void draws_at_means(const nsm_model *m, double *draws)
{
    for (int k = 0; k < m->n_uncertain; k++)
        draws[k] = m->uncertain[k].nominal;
}

static int uncertain_index(const nsm_model *m, const char *path)
{
    for (int k = 0; k < m->n_uncertain; k++)
        if (strcmp(m->uncertain[k].path, path) == 0)
            return k;
    fail_msg("no uncertain number %s", path);
    return -1;
}

/* The model a replication would run with these draws. */
static nsm_model *with_draws(const nsm_model *m, const double *draws)
{
    nsm_arm plain = {0};
    double t0 = 0;
    nsm_model *v = nsm_model_variant(m);
    plain.n_phases = 1;
    plain.phase_t = &t0;
    nsm_diag d;
    nsm_diag_init(&d);
    if (nsm_arm_build_phases(m, &plain, draws, &v, &d) != NSM_OK)
        fail_msg("build: %s", d.error ? d.error : "?");
    nsm_diag_release(&d);
    return v;
}

/* A seasonal multiplier written as a distribution scales the month's multiplier of every process
** its target matches by draw / mean, so rows on overlapping targets still multiply: with March's
** rows uniform(1,3) (mean 2) on f:a>b and 5 on f:*>b, the model holds 2 x 5 = 10 and a draw of 3
** gives 3 x 5 = 15. */
static void test_seasonal_distribution_scaled(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("season_dist");
    const int ab = 0, ba = 1, march = 2, april = 3;
    assert_true(m->seasonality[ab * 12 + march] == 10.0);
    double draws[4];
    draws_at_means(m, draws);
    draws[uncertain_index(m, "seasonality:f:a>b:3")] = 3.0;
    draws[uncertain_index(m, "seasonality:f:a>b:4")] = 1.5;
    nsm_model *v = with_draws(m, draws);
    assert_true(v->seasonality[ab * 12 + march] == 15.0);
    assert_true(v->seasonality[ba * 12 + march] == 1.0); /* no row matches f:b>a */
    assert_true(v->seasonality[ab * 12 + april] == 1.5);
    assert_true(v->seasonality[ab * 12 + 0] == 1.0);
    nsm_model_free(v);
    nsm_model_free(m);
}

/* A row `3-4` written as a distribution is one number: one path, one stream, and the model built
** for a replication holds its draw in March and in April alike (the draw scaled by draw / mean
** into each month: 1 x 2.7 / 2 x 2 = 2.7), nothing in the months the row `1-2|5-12` zeroes. */
static void test_seasonal_row_of_months_one_draw(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("season_joint");
    const int pulse = m->n_transitions;
    assert_int_equal(m->n_uncertain, 1);
    assert_string_equal(m->uncertain[0].path, "seasonality:pulse:3-4");
    assert_int_equal(m->uncertain[0].n_params, 2);
    for (int draw = 0; draw < 3; draw++) {
        double x = 1.1 + 0.8 * draw;
        nsm_model *v = with_draws(m, &x);
        for (int mo = 1; mo <= 12; mo++)
            assert_true(v->seasonality[pulse * 12 + mo - 1] == (mo == 3 || mo == 4 ? x : 0.0));
        nsm_model_free(v);
    }
    nsm_model_free(m);
}

/* Uncertain probabilities of one row are put in in row order: each sets its entry and rescales
** the row's other entries in proportion so that it sums to 1. The last one keeps its drawn value;
** an earlier one is rescaled by the later ones. Initial row x ~ uniform(0.2,0.4) (mean 0.3),
** y ~ uniform(0.4,0.6) (mean 0.5), z = 0.2, drawn x = 0.4, y = 0.6:
**   x = 0.4: y, z scaled by 0.6 / 0.7;  y = 0.6: x, z scaled by 0.4 / (0.4 + 0.2 x 0.6/0.7),
** so x = 0.28, y = 0.6, z = 0.12 (x is not its draw). The same holds in every `from` row of a
** draw: x ~ uniform(0.1,0.3) (mean 0.2), y = 0.5, z ~ uniform(0.2,0.4) (mean 0.3), drawn x = 0.3
** then z = 0.4: y, z scaled by 0.7 / 0.8 (0.4375, 0.2625), then x, y by 0.6 / 0.7375. */
static void test_row_probabilities_rescaled(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("row_dists");
    double draws[8];
    assert_true(m->n_uncertain <= 8);
    draws_at_means(m, draws);
    draws[uncertain_index(m, "factors:w:x")] = 0.4;
    draws[uncertain_index(m, "factors:w:y")] = 0.6;
    draws[uncertain_index(m, "draws:vote:*>x")] = 0.3;
    draws[uncertain_index(m, "draws:vote:*>z")] = 0.4;
    nsm_model *v = with_draws(m, draws);
    const double *p = v->factors[0].initial;
    expect_near(p[0], 0.28, 1e-15);
    expect_near(p[1], 0.6, 1e-15);
    expect_near(p[2], 0.12, 1e-15);
    for (int from = 0; from < 3; from++) {
        const double *d = v->draws[0].prob + from * 3;
        /* x = 0.3: y, z scaled by 0.7/0.8 (0.4375, 0.2625); z = 0.4: x, y by 0.6/0.7375 */
        expect_near(d[0], 0.3 * 0.6 / (0.3 + 0.5 * 0.7 / 0.8), 1e-15);
        expect_near(d[1], 0.5 * 0.7 / 0.8 * 0.6 / (0.3 + 0.5 * 0.7 / 0.8), 1e-15);
        expect_near(d[2], 0.4, 1e-15);
        expect_near(d[0] + d[1] + d[2], 1.0, 1e-15);
    }
    nsm_model_free(v);
    nsm_model_free(m);
}

/* A draw is kept within the range check validated (scenario/uncertain.c): the quantiles at 1e-12
** and 1 - 1e-12, held with the number. */
static void test_draw_range_is_held(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("season_dist");
    const nsm_uncertain *u = &m->uncertain[uncertain_index(m, "seasonality:f:a>b:3")];
    expect_near(u->lo, 1.0 + 2e-12, 1e-15);
    expect_near(u->hi, 3.0 - 2e-12, 1e-15);
    nsm_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calendar_rows_before_their_effects),
        cmocka_unit_test(test_effects_of_one_change_in_row_order),
        cmocka_unit_test(test_initial_state_triggers_nothing),
        cmocka_unit_test(test_redraw_grid_late_in_month),
        cmocka_unit_test(test_seasonal_distribution_scaled),
        cmocka_unit_test(test_seasonal_row_of_months_one_draw),
        cmocka_unit_test(test_row_probabilities_rescaled),
        cmocka_unit_test(test_draw_range_is_held),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
