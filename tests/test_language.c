/*
** test_language.c: the constructs of the model language added by issue 11 (onset outcomes,
** counted events fired by the calendar, conditional calendar rows, ids of modifiers and
** effects), changes counted by events, effects whose trigger counts only under a condition and
** whose action runs only if another holds when due (effects.csv's `when`, `when_due`) and
** conditions that say 'or' across factors, against closed forms with tolerances in Monte Carlo standard errors at fixed seeds,
** or against exact expectations where the model is deterministic.
*/
#include "nsm_test.h"
#include "nsm_model_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neasim/engine.h"
#include "neasim/results.h"
#include "neasim/summary.h"

/* ---------------------------------------------------------------- onset outcomes */

/* tests/models/onset: f starts in b with probability q = 0.3 and enters b (absorbing) at rate
** r = 0.5, so P(onset by t) = (1 - q)(1 - e^{-rt}) and P(in b at some time by t) = 1 - (1 - q)
** e^{-rt}. g starts in y with probability 0.4, enters y at r = 0.5 and leaves it at s = 1: a run
** that starts in y has its onset when it comes back, after an Exp(s) then an Exp(r) wait, whose
** sum has the CDF 1 - (r e^{-st} - s e^{-rt}) / (r - s). */
static void test_onset_closed_form(void **state)
{
    (void)state;
    const uint64_t n = 40000;
    nsm_test_run f = nsm_test_simulate("onset", n, 11, 2);
    const nsm_model *m = f.m;
    int64_t *by = malloc(((size_t)m->n_reports + 1) * sizeof *by);
    int64_t *held = malloc((size_t)m->n_reports * sizeof *held);
    assert_non_null(by);
    assert_non_null(held);
    const double q = 0.3, r = 0.5, s = 1.0, qg = 0.4;
    for (int year = 1; year <= 4; year++) {
        int i = 12 * year;
        double t = nsm_years(m->report_t[i]);
        char what[64];
        nsm_occurred_by(m, f.a, nsm_test_outcome(m, "f_b"), by);
        snprintf(what, sizeof what, "onset of f=b by year %d", year);
        nsm_test_check_prop(what, by[i], (int64_t)n, (1 - q) * (1 - exp(-r * t)));
        assert_int_equal(by[0], 0); /* the start is never an onset */
        nsm_occurred_by(m, f.a, nsm_test_outcome(m, "f_b_state"), by);
        snprintf(what, sizeof what, "f=b at some time by year %d", year);
        nsm_test_check_prop(what, by[i], (int64_t)n, 1 - (1 - q) * exp(-r * t));
        nsm_occurred_by(m, f.a, nsm_test_outcome(m, "g_y"), by);
        snprintf(what, sizeof what, "onset of g=y by year %d", year);
        double back = 1 - (r * exp(-s * t) - s * exp(-r * t)) / (r - s);
        nsm_test_check_prop(what, by[i], (int64_t)n, (1 - qg) * (1 - exp(-r * t)) + qg * back);
    }
    /* holds at the start: the share an onset outcome leaves out */
    nsm_accum_outcome_held_series(f.a, nsm_test_outcome(m, "f_b"), held);
    nsm_test_check_prop("f=b at the start", held[0], (int64_t)n, q);
    nsm_accum_outcome_held_series(f.a, nsm_test_outcome(m, "g_y"), held);
    nsm_test_check_prop("g=y at the start", held[0], (int64_t)n, qg);
    /* an empty occurrence cell is the old behaviour: the same series as `state` would give */
    assert_int_equal(m->outcomes[nsm_test_outcome(m, "g_y_default")].occurrence, NSM_OCCUR_STATE);
    free(by);
    free(held);
    nsm_test_release(&f);
}

/* ---------------------------------------------------------------- counted events by the calendar */

/* Mean of a count distribution hist[0..nv-1] over n replications. */
static double hist_mean(const int64_t *h, int64_t nv, int64_t n)
{
    double s = 0;
    for (int64_t k = 0; k < nv; k++)
        s += (double)k * (double)h[k];
    return s / (double)n;
}

/* tests/models/calendar_event: `seventh_test` (rate 0) occurs only when the calendar fires it on
** 2026-09-01, and its effect moves f to b at that instant: its cumulative count is exactly 0
** before and 1 from that date, and so is the share of runs in b. `launches` is Poisson at 3 a
** year plus one occurrence fired on 2027-03-01: its mean count by t is 3t, plus 1 from then. */
static void test_calendar_fires_event(void **state)
{
    (void)state;
    const int64_t n = 20000;
    nsm_test_run f = nsm_test_simulate("calendar_event", (uint64_t)n, 7, 2);
    const nsm_model *m = f.m;
    int seventh = nsm_test_event(m, "seventh_test"), launches = nsm_test_event(m, "launches");
    int64_t *hist = malloc(((size_t)nsm_accum_event_max_count(f.a, launches) + 2) * sizeof *hist);
    assert_non_null(hist);
    int b = nsm_test_level(m, "f", "b");
    double fired = 0, fired_launch = 0;
    for (int k = 0; k < m->n_occurrences; k++)
        *(m->occurrences[k].action.event == seventh ? &fired : &fired_launch) = m->occurrences[k].t;
    for (int i = 1; i < m->n_reports; i++) {
        int64_t nv;
        int after = m->report_t[i] >= fired;
        nsm_accum_event_cumulative_hists(f.a, seventh, i, hist, &nv);
        assert_true(nv <= 2);
        assert_int_equal(hist[0], after ? 0 : n);
        assert_int_equal(nv > 1 ? hist[1] : 0, after ? n : 0);
        assert_int_equal(nsm_accum_level_count(f.a, b, i), after ? n : 0);
        nsm_accum_event_cumulative_hists(f.a, launches, i, hist, &nv);
        double t = nsm_years(m->report_t[i]), mean = 3 * t;
        double est = hist_mean(hist, nv, n), se = sqrt(mean / (double)n);
        mean += m->report_t[i] >= fired_launch;
        if (fabs(est - mean) > NSM_TEST_Z_TOL * se)
            fail_msg("launches by %s: mean %.4f, exact %.4f (%.1f standard errors)",
                     m->report_date[i], est, mean, fabs(est - mean) / se);
    }
    free(hist);
    nsm_test_release(&f);
}

/* The total and the sum of squares of an event's cumulative count at report i, over the runs. */
static void count_moments(const nsm_accum *a, int e, int i, int64_t *hist, int64_t cap,
                          int64_t *total, double *sumsq)
{
    int64_t nv;
    assert_true(nsm_accum_event_max_count(a, e) + 2 <= cap);
    nsm_accum_event_cumulative_hists(a, e, i, hist, &nv);
    *total = 0;
    *sumsq = 0;
    for (int64_t k = 0; k < nv; k++) {
        *total += k * hist[k];
        *sumsq += (double)hist[k] * (double)k * (double)k;
    }
}

/* An event's mean count at report i against its exact value, in standard errors of the mean. */
static void check_count(const nsm_test_run *f, int64_t n, const char *event, int i, double exact,
                        int64_t *hist, int64_t cap)
{
    int64_t total;
    double sumsq;
    count_moments(f->a, nsm_test_event(f->m, event), i, hist, cap, &total, &sumsq);
    double mean = (double)total / (double)n;
    double se = sqrt((sumsq / (double)n - mean * mean) / (double)(n - 1));
    char what[96];
    snprintf(what, sizeof what, "mean count of %s by %s", event, f->m->report_date[i]);
    if (se == 0.0 && mean != exact) /* every run alike: the mean must be exact */
        fail_msg("%s: %.5f in every run, exact %.5f", what, mean, exact);
    if (se > 0)
        nsm_test_check_mean(what, mean, exact, se);
}

/* tests/models/change_counter: two counted events of rate 0, fired by the effects of f's changes
** a>b and b>a, count the changes of a symmetric two-state chain (rates 1 a year) that starts in a.
** The expected number of changes a>b by t is the time spent in a, E = t/2 + (1 - e^{-2t})/4, and of
** b>a the time in b, t/2 - (1 - e^{-2t})/4: a counter has no top level, unlike the factor counters
** (levels c0, c1, ...) that calibration-2012 used before it counted so. */
static void test_change_counters(void **state)
{
    (void)state;
    const int64_t n = 20000;
    nsm_test_run f = nsm_test_simulate("change_counter", (uint64_t)n, 11, 2);
    const nsm_model *m = f.m;
    const int64_t cap = 4096;
    int64_t *hist = malloc((size_t)cap * sizeof *hist);
    assert_non_null(hist);
    for (int i = 1; i < m->n_reports; i++) {
        double t = nsm_years(m->report_t[i]), half = (1 - exp(-2 * t)) / 4;
        check_count(&f, n, "moves_to_b", i, t / 2 + half, hist, cap);
        check_count(&f, n, "moves_to_a", i, t / 2 - half, hist, cap);
    }
    free(hist);
    nsm_test_release(&f);
}

/* ---------------------------------------------------------------- conditional effects */

/* tests/models/effect_when: f is a symmetric two-state chain (rates 1 a year) started in a, so it
** is in a at s with 1/2 + e^{-2s}/2 and the expected time in a by t is A(t) = t/2 + (1 - e^{-2t})
** / 4. `shock` is Poisson at 2 a year; effects with `when` count it into counters of rate 0:
** - in_a (when f=a) has mean 2 A(t), in_b (when f=b) 2 (t - A(t)), and run by run in_a + in_b =
**   shock exactly (the two conditions exclude each other and cover every state);
** - half_in_a (when f=a, probability 0.5) has mean A(t): the row's chance applies on top;
** - late_in_a (when f=a, counted 365 days later) has mean 2 A(t - d), d = 365 days: `when` is
**   asked at the trigger. Asked when the delay is over it would be 2 ((t-d)/2 + e^{-2d}(1 -
**   e^{-2(t-d)})/4), 0.37 lower at five years (about 25 standard errors);
** - moves_in_a counts the changes b>a asked `when f=a` (the state as the change left it): every
**   one, mean t - A(t); moves_in_b (when f=b) none;
** - due_in_a (counted 365 days later `when_due f=a`) has mean 2 ((t-d)/2 + e^{-2d}(1 - e^{-2(t-d)})
**   / 4): f is in a at s + d with 1/2 + e^{-2(s+d)}/2, whatever it was at s;
** - both_in_a (`when f=a` and `when_due f=a`) has mean 2 (1/2 + e^{-2d}/2) A(t - d): f in a at s,
**   and still (again) in a d later, with the chain's chance of a -> a in d. */
static void test_effect_when(void **state)
{
    (void)state;
    const int64_t n = 20000;
    nsm_test_run f = nsm_test_simulate("effect_when", (uint64_t)n, 23, 2);
    const nsm_model *m = f.m;
    const int64_t cap = 4096;
    int64_t *hist = malloc((size_t)cap * sizeof *hist);
    assert_non_null(hist);
    const double lambda = 2, d = nsm_years(365);
    for (int i = 1; i < m->n_reports; i++) {
        double t = nsm_years(m->report_t[i]);
        double in_a = t / 2 + (1 - exp(-2 * t)) / 4, late = t < d ? 0 : (t - d) / 2 +
                      (1 - exp(-2 * (t - d))) / 4;
        check_count(&f, n, "in_a", i, lambda * in_a, hist, cap);
        check_count(&f, n, "in_b", i, lambda * (t - in_a), hist, cap);
        check_count(&f, n, "half_in_a", i, lambda * in_a / 2, hist, cap);
        check_count(&f, n, "late_in_a", i, lambda * late, hist, cap);
        check_count(&f, n, "moves_in_a", i, t - in_a, hist, cap);
        check_count(&f, n, "moves_in_b", i, 0, hist, cap);
        double stay = 0.5 + exp(-2 * d) / 2, at_due = t < d ? 0 : (t - d) / 2 +
                      exp(-2 * d) * (1 - exp(-2 * (t - d))) / 4;
        check_count(&f, n, "due_in_a", i, lambda * at_due, hist, cap);
        check_count(&f, n, "both_in_a", i, lambda * stay * late, hist, cap);
        int64_t shocks, a, b;
        double ss;
        count_moments(f.a, nsm_test_event(m, "shock"), i, hist, cap, &shocks, &ss);
        count_moments(f.a, nsm_test_event(m, "in_a"), i, hist, cap, &a, &ss);
        count_moments(f.a, nsm_test_event(m, "in_b"), i, hist, cap, &b, &ss);
        assert_int_equal(a + b, shocks);
    }
    free(hist);
    nsm_test_release(&f);
}

/* ---------------------------------------------------------------- conditional calendar rows */

/* Report index of a date. */
static int report_of(const nsm_model *m, const char *date)
{
    for (int i = 0; i < m->n_reports; i++)
        if (strcmp(m->report_date[i], date) == 0)
            return i;
    fail_msg("no report date %s", date);
    return -1;
}

/* tests/models/calendar_when: the deal is concluded on 2026-06-01 only in runs whose talks are
** open then, so, run by run, deal=early from that date exactly when talks=open at that date:
** the counts are equal at every later report (exactly), 0 before, and their share is
** 1 - (1 - q) e^{-r t} with q = 0.5, r = 0.5. On 2026-09-01 close_talks (row 2) runs before
** undo_deal (row 3), whose condition then fails: the deal stays. */
static void test_calendar_when(void **state)
{
    (void)state;
    const int64_t n = 20000;
    nsm_test_run f = nsm_test_simulate("calendar_when", (uint64_t)n, 5, 2);
    const nsm_model *m = f.m;
    int june = report_of(m, "2026-06-01"), sept = report_of(m, "2026-09-01");
    int open = nsm_test_level(m, "talks", "open"), early = nsm_test_level(m, "deal", "early");
    int64_t open_june = nsm_accum_level_count(f.a, open, june);
    for (int i = 0; i < m->n_reports; i++)
        assert_int_equal(nsm_accum_level_count(f.a, early, i), i < june ? 0 : open_june);
    assert_int_equal(nsm_accum_level_count(f.a, open, sept), 0);
    nsm_test_check_prop("talks open on 2026-06-01", open_june, n,
               1 - 0.5 * exp(-0.5 * nsm_years(m->report_t[june])));
    nsm_test_release(&f);
}

/* ---------------------------------------------------------------- 'or' across factors */

/* tests/models/or_condition: x starts on with probability q = 0.3 and enters on (absorbing) at
** r1 = 0.4; y starts off, enters on at r2 = 0.6 and leaves at s2 = 1.5; they are independent.
** Neither has entered on by t with probability (1 - q) e^{-(r1 + r2) t}, so the state outcome
** `x=on | y=on` has occurred by t with 1 - (1 - q) e^{-(r1 + r2) t} and its onset (a change into
** it after the start: only runs that start with x off) with (1 - q)(1 - e^{-(r1 + r2) t}). At
** each report it holds with 1 - (1 - px)(1 - py), px = 1 - (1 - q) e^{-r1 t} and py = r2 / (r2 +
** s2) (1 - e^{-(r2 + s2) t}); `x=on & y=on | x=off & y=off` with px py + (1 - px)(1 - py). a and
** b never move (on with 0.3 and 0.4): while `a=on | b=on` (probability pe = 1 - 0.7 x 0.6) h's
** rate 0.5 is multiplied by 3 once, so P(h on by t) = pe (1 - e^{-1.5t}) + (1 - pe)(1 - e^{-0.5t})
** (two rows would compound to x9 while both hold: 0.025 more at one year, 10 standard errors);
** the calendar sets c on 2026-01-01 in exactly the runs where `a=on | b=on`. */
static void test_or_across_factors(void **state)
{
    (void)state;
    const int64_t n = 40000;
    nsm_test_run f = nsm_test_simulate("or_condition", (uint64_t)n, 17, 2);
    const nsm_model *m = f.m;
    int64_t *by = malloc(((size_t)m->n_reports + 1) * sizeof *by);
    int64_t *held = malloc((size_t)m->n_reports * sizeof *held);
    int64_t *alike = malloc((size_t)m->n_reports * sizeof *alike);
    assert_non_null(by);
    assert_non_null(held);
    assert_non_null(alike);
    const double q = 0.3, r1 = 0.4, r2 = 0.6, s2 = 1.5, pe = 1 - 0.7 * 0.6;
    nsm_accum_outcome_held_series(f.a, nsm_test_outcome(m, "either"), held);
    nsm_accum_outcome_held_series(f.a, nsm_test_outcome(m, "alike"), alike);
    for (int i = 6; i < m->n_reports; i += 6) {
        double t = nsm_years(m->report_t[i]), e = exp(-(r1 + r2) * t);
        double px = 1 - (1 - q) * exp(-r1 * t), py = r2 / (r2 + s2) * (1 - exp(-(r2 + s2) * t));
        char what[80];
        snprintf(what, sizeof what, "x=on | y=on at some time by t = %.2f", t);
        nsm_occurred_by(m, f.a, nsm_test_outcome(m, "either"), by);
        nsm_test_check_prop(what, by[i], n, 1 - (1 - q) * e);
        snprintf(what, sizeof what, "onset of x=on | y=on by t = %.2f", t);
        nsm_occurred_by(m, f.a, nsm_test_outcome(m, "either_onset"), by);
        nsm_test_check_prop(what, by[i], n, (1 - q) * (1 - e));
        snprintf(what, sizeof what, "x=on | y=on holds at t = %.2f", t);
        nsm_test_check_prop(what, held[i], n, 1 - (1 - px) * (1 - py));
        snprintf(what, sizeof what, "x=on & y=on | x=off & y=off holds at t = %.2f", t);
        nsm_test_check_prop(what, alike[i], n, px * py + (1 - px) * (1 - py));
        snprintf(what, sizeof what, "h on by t = %.2f (x3 once while a=on | b=on)", t);
        nsm_occurred_by(m, f.a, nsm_test_outcome(m, "h_on"), by);
        nsm_test_check_prop(what, by[i], n,
                            pe * (1 - exp(-1.5 * t)) + (1 - pe) * (1 - exp(-0.5 * t)));
    }
    /* at the start y is off: the disjunction holds exactly where x does */
    assert_int_equal(held[0], nsm_accum_level_count(f.a, nsm_test_level(m, "x", "on"), 0));
    int jan = report_of(m, "2026-01-01");
    nsm_accum_outcome_held_series(f.a, nsm_test_outcome(m, "c_on"), held);
    for (int i = 0; i < m->n_reports; i++)
        assert_int_equal(held[i], i < jan ? 0 : held[jan]);
    nsm_test_check_prop("the calendar acts while a=on | b=on", held[jan], n, pe);
    free(alike);
    free(by);
    free(held);
    nsm_test_release(&f);
}

/* ---------------------------------------------------------------- ids of modifiers and effects */

static const nsm_lever_row *lever_row(const nsm_model *m, const char *lever)
{
    for (int i = 0; i < m->n_lever_rows; i++)
        if (strcmp(m->levers[m->lever_rows[i].lever].name, lever) == 0)
            return &m->lever_rows[i];
    fail_msg("no lever '%s'", lever);
    return NULL;
}

static void same_params(const nsm_lever_row *a, const nsm_lever_row *b)
{
    assert_int_equal(a->n_params, b->n_params);
    for (int k = 0; k < a->n_params; k++) {
        assert_int_equal(a->params[k].kind, b->params[k].kind);
        assert_int_equal(a->params[k].a, b->params[k].a);
        assert_int_equal(a->params[k].b, b->params[k].b);
        assert_int_equal(a->params[k].c, b->params[k].c);
    }
}

/* tests/models/ids: a path by id names exactly the numbers of the path by row number. */
static void test_ids_in_paths(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("ids");
    const nsm_lever_row *id = lever_row(m, "by_id"), *row = lever_row(m, "by_row");
    assert_int_equal(id->n_params, 1);
    assert_int_equal(id->params[0].kind, NSM_P_MODIFIER);
    assert_int_equal(id->params[0].a, 2);
    same_params(id, row);
    assert_int_equal(lever_row(m, "plain_row")->params[0].a, 1);
    const nsm_lever_row *eid = lever_row(m, "effect_by_id"), *erow = lever_row(m, "effect_by_row");
    assert_int_equal(eid->params[0].kind, NSM_P_EFFECT_PROBABILITY);
    assert_int_equal(eid->params[0].a, 0);
    same_params(eid, erow);
    assert_string_equal(m->modifier_ids[1], "h_up_when_f_b");
    assert_string_equal(m->modifier_ids[0], "");
    assert_string_equal(m->effect_ids[0], "f_pulls_h");
    nsm_model_free(m);
}

/* The new constructs keep results for a seed byte-identical for 1, 2 and 4 threads. */
static void test_thread_count_invariance(void **state)
{
    (void)state;
    static const char *models[] = {"onset", "calendar_event", "calendar_when", "or_condition",
                                   "effect_when"};
    for (size_t k = 0; k < sizeof models / sizeof models[0]; k++)
        nsm_test_same_for_threads(models[k], 6000, 99);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_onset_closed_form),
        cmocka_unit_test(test_calendar_fires_event),
        cmocka_unit_test(test_change_counters),
        cmocka_unit_test(test_effect_when),
        cmocka_unit_test(test_calendar_when),
        cmocka_unit_test(test_or_across_factors),
        cmocka_unit_test(test_ids_in_paths),
        cmocka_unit_test(test_thread_count_invariance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
