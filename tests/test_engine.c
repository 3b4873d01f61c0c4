/*
** test_engine.c: the engine against closed forms, with tolerances in Monte Carlo standard errors
** at fixed seeds, and its reproducibility guarantees (thread count, splitting, merging).
**
** Each test reads a small model from tests/models/ (run from the project root). A failure names
** the quantity, the estimate, the exact value and how many standard errors apart they are.
*/
#include "nsm_test.h"
#include "nsm_model_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neasim/engine.h"
#include "neasim/results.h"
#include "neasim/scenario.h"

static nsm_status run_into(const nsm_model *m, nsm_accum *a, uint64_t seed, uint64_t first,
                           uint64_t runs, int threads, nsm_diag *d)
{
    nsm_run_config c = {seed, runs, first, threads, NULL, NULL,
                        NULL, NSM_UNCERTAINTY_NOMINAL, 0, 0};
    return nsm_run(m, &c, a, NULL, d);
}

/* Two-state chain a <-> b, rates lambda = 2 and mu = 2 per year, from a:
** P(b at t) = lambda/(lambda+mu) (1 - exp(-(lambda+mu) t)); P(left a by t) = 1 - exp(-lambda t). */
static void test_two_state_chain(void **state)
{
    (void)state;
    const int64_t n = 200000;
    nsm_test_run f = nsm_test_simulate("two_state", (uint64_t)n, 11, 2);
    int b = nsm_test_level(f.m, "f", "b");
    int64_t *first = calloc((size_t)f.m->n_reports + 1, sizeof *first);
    nsm_accum_outcome_first_series(f.a, 0, first);
    int64_t cum = 0;
    for (int i = 0; i < f.m->n_reports; i++) {
        double t = nsm_years(f.m->report_t[i]);
        char what[64];
        snprintf(what, sizeof what, "P(b) at t=%.3f", t);
        nsm_test_check_prop(what, nsm_accum_level_count(f.a, b, i), n, 0.5 * (1 - exp(-4 * t)));
        assert_int_equal(nsm_accum_outcome_held_count(f.a, 0, i), nsm_accum_level_count(f.a, b, i));
        cum += first[i];
        snprintf(what, sizeof what, "P(first b by t=%.3f)", t);
        nsm_test_check_prop(what, cum, n, 1 - exp(-2 * t));
    }
    free(first);
    nsm_test_release(&f);
}

/* From a, to b at rate 1 or to c at rate 3 (written as an annual probability): the split is
** 1:3 and P(b by T) = (1/4)(1 - exp(-4T)). */
static void test_competing_risks(void **state)
{
    (void)state;
    const int64_t n = 200000;
    nsm_test_run f = nsm_test_simulate("competing", (uint64_t)n, 12, 2);
    int b = nsm_test_level(f.m, "f", "b"), c = nsm_test_level(f.m, "f", "c");
    for (int i = 0; i < f.m->n_reports; i++) {
        double t = nsm_years(f.m->report_t[i]), gone = 1 - exp(-4 * t);
        nsm_test_check_prop("P(b)", nsm_accum_level_count(f.a, b, i), n, 0.25 * gone);
        nsm_test_check_prop("P(c)", nsm_accum_level_count(f.a, c, i), n, 0.75 * gone);
    }
    nsm_test_release(&f);
}

typedef struct {
    double n, mean, var, m4;
} moments;

static moments hist_moments(const int64_t *h, int64_t nv)
{
    moments s = {0, 0, 0, 0};
    for (int64_t c = 0; c < nv; c++) {
        s.n += (double)h[c];
        s.mean += (double)c * (double)h[c];
    }
    s.mean /= s.n;
    for (int64_t c = 0; c < nv; c++) {
        double d = (double)c - s.mean;
        s.var += d * d * (double)h[c];
        s.m4 += d * d * d * d * (double)h[c];
    }
    s.var /= s.n - 1;
    s.m4 /= s.n;
    return s;
}

/* The sample variance's standard error from the sample's own fourth moment. */
static double var_se(moments s)
{
    return sqrt((s.m4 - s.var * s.var) / s.n);
}

/* Poisson counts (rate 5 per year) over one year: mean = variance = 5; in a month of length d
** years P(at least one) = 1 - exp(-5 d). */
static void test_poisson_counts(void **state)
{
    (void)state;
    const int64_t n = 100000;
    nsm_test_run f = nsm_test_simulate("counts", (uint64_t)n, 13, 2);
    int e = nsm_test_event(f.m, "poisson"), last = f.m->n_reports - 1;
    int64_t nv, *h = calloc((size_t)nsm_accum_event_max_count(f.a, e) + 1, sizeof *h);
    nsm_accum_event_cumulative_hists(f.a, e, last, h, &nv);
    moments s = hist_moments(h, nv);
    double lam = 5.0 * nsm_years(f.m->report_t[last]);
    nsm_test_check_mean("Poisson mean", s.mean, lam, sqrt(lam / (double)n));
    nsm_test_check_mean("Poisson variance", s.var, lam, var_se(s));
    for (int i = 1; i <= last; i++) {
        nsm_accum_event_period_hist(f.a, e, i, h, &nv);
        double d = nsm_years(f.m->report_t[i]) - nsm_years(f.m->report_t[i - 1]);
        nsm_test_check_prop("Poisson P(>=1) in a month", n - h[0], n, 1 - exp(-5 * d));
    }
    free(h);
    nsm_test_release(&f);
}

/* Rate 10 per year times a gamma multiplier (shape k = 2, mean 1) drawn once for the year:
** counts are negative binomial, mean 10, variance 10 + 100/2 = 60, P(0) = (k/(k+mean))^k. */
static void test_negative_binomial_counts(void **state)
{
    (void)state;
    const int64_t n = 100000;
    nsm_test_run f = nsm_test_simulate("counts", (uint64_t)n, 14, 2);
    int e = nsm_test_event(f.m, "negbin"), last = f.m->n_reports - 1;
    int64_t nv, *h = calloc((size_t)nsm_accum_event_max_count(f.a, e) + 1, sizeof *h);
    nsm_accum_event_cumulative_hists(f.a, e, last, h, &nv);
    moments s = hist_moments(h, nv);
    double mu = 10.0 * nsm_years(f.m->report_t[last]), k = 2.0;
    nsm_test_check_mean("NB mean", s.mean, mu, sqrt((mu + mu * mu / k) / (double)n));
    nsm_test_check_mean("NB variance", s.var, mu + mu * mu / k, var_se(s));
    nsm_test_check_prop("NB P(0)", h[0], n, pow(k / (k + mu), k));
    /* the first year's window is the same distribution as the count at the end of that year */
    int64_t nv2, *hy = calloc((size_t)nsm_accum_event_max_count(f.a, e) + 1, sizeof *hy);
    nsm_accum_event_year_hist(f.a, e, 1, hy, &nv2);
    assert_int_equal(nv2, nv);
    assert_memory_equal(hy, h, (size_t)nv * sizeof *h);
    free(hy);
    free(h);
    nsm_test_release(&f);
}

/* Seasonality: rate 12 per year x 3 in March only: March's count is Poisson with mean
** 36 x (31 / 365.25); every other month is exactly zero. */
static void test_seasonality(void **state)
{
    (void)state;
    const int64_t n = 100000;
    nsm_test_run f = nsm_test_simulate("counts", (uint64_t)n, 15, 2);
    int e = nsm_test_event(f.m, "seasonal");
    int64_t nv, *h = calloc((size_t)nsm_accum_event_max_count(f.a, e) + 1, sizeof *h);
    for (int i = 1; i < f.m->n_reports; i++) {
        nsm_accum_event_period_hist(f.a, e, i, h, &nv);
        moments s = hist_moments(h, nv);
        if (strcmp(f.m->report_date[i], "2025-04-01") == 0) {
            double mu = 36.0 * 31.0 / 365.25;
            nsm_test_check_mean("March mean", s.mean, mu, sqrt(mu / (double)n));
        } else {
            assert_int_equal(h[0], n);
        }
    }
    free(h);
    nsm_test_release(&f);
}

/* Seasonality over several years (tests/models/season_years): spring at 12 a year x 3 in March
** and April, autumn at 12 x 2 in October, zero otherwise, while tick fires about four times a
** month. Month starts that re-rate nothing (the April start for spring, most starts for both) are
** passed at tick's firings without a search for the next one that does (issue 14): every year,
** each seasonal event's count is Poisson in its own months and exactly zero in the others. */
static void test_seasonality_years(void **state)
{
    (void)state;
    const int64_t n = 20000;
    nsm_test_run f = nsm_test_simulate("season_years", (uint64_t)n, 21, 2);
    const char *name[2] = {"spring", "autumn"};
    int64_t *h = NULL, seen[2] = {0, 0};
    for (int j = 0; j < 2; j++) {
        int e = nsm_test_event(f.m, name[j]);
        h = realloc(h, (size_t)(nsm_accum_event_max_count(f.a, e) + 1) * sizeof *h);
        for (int i = 1; i < f.m->n_reports; i++) {
            int64_t nv;
            nsm_accum_event_period_hist(f.a, e, i, h, &nv);
            moments m = hist_moments(h, nv);
            int month = atoi(f.m->report_date[i] + 5) - 1; /* the month the period covers */
            month = month == 0 ? 12 : month;
            double per_year = j == 0 ? (month == 3 || month == 4 ? 36.0 : 0.0)
                                     : (month == 10 ? 24.0 : 0.0);
            if (per_year == 0.0) {
                assert_int_equal(h[0], n);
                continue;
            }
            double mu = per_year * (month == 4 ? 30.0 : 31.0) / 365.25;
            nsm_test_check_mean(name[j], m.mean, mu, sqrt(mu / (double)n));
            seen[j]++;
        }
    }
    assert_int_equal(seen[0], 6); /* March and April of three years */
    assert_int_equal(seen[1], 3);
    free(h);
    nsm_test_release(&f);
}

/* A modifier triples the hazard a -> b (rate 1) while g = on, which holds in half the runs:
** P(b at t) = 0.5 (1 - exp(-t)) + 0.5 (1 - exp(-3t)). */
static void test_modifier(void **state)
{
    (void)state;
    const int64_t n = 200000;
    nsm_test_run f = nsm_test_simulate("modifier", (uint64_t)n, 16, 2);
    int b = nsm_test_level(f.m, "f", "b");
    for (int i = 0; i < f.m->n_reports; i++) {
        double t = nsm_years(f.m->report_t[i]);
        nsm_test_check_prop("P(b)", nsm_accum_level_count(f.a, b, i), n,
                   0.5 * (1 - exp(-t)) + 0.5 * (1 - exp(-3 * t)));
    }
    nsm_test_release(&f);
}

/* An election on 2025-07-01 re-draws p with odds that depend on the incumbent:
** before it P = (0.6, 0.4, 0); from the election on (the report of that day included)
** P(x) = 0.6*0.7 + 0.4*0.25, P(y) = 0.6*0.2 + 0.4*0.25, P(z) = 0.6*0.1 + 0.4*0.5. */
static void test_scheduled_redraw(void **state)
{
    (void)state;
    const int64_t n = 200000;
    nsm_test_run f = nsm_test_simulate("redraw", (uint64_t)n, 17, 2);
    int x = nsm_test_level(f.m, "p", "x"), y = nsm_test_level(f.m, "p", "y"), z = nsm_test_level(f.m, "p", "z");
    for (int i = 0; i < f.m->n_reports; i++) {
        int after = strcmp(f.m->report_date[i], "2025-07-01") >= 0;
        nsm_test_check_prop("P(x)", nsm_accum_level_count(f.a, x, i), n, after ? 0.52 : 0.6);
        nsm_test_check_prop("P(y)", nsm_accum_level_count(f.a, y, i), n, after ? 0.22 : 0.4);
        nsm_test_check_prop("P(z)", nsm_accum_level_count(f.a, z, i), n, after ? 0.26 : 0.0);
    }
    nsm_test_release(&f);
}

/* f: a -> b at rate 1.5; each move sets h = on half a year later with probability 0.8:
** P(h on at t) = 0.8 (1 - exp(-1.5 (t - 0.5))) for t >= 0.5, and exactly 0 before. */
static void test_delayed_effect(void **state)
{
    (void)state;
    const int64_t n = 200000;
    nsm_test_run f = nsm_test_simulate("delay", (uint64_t)n, 18, 2);
    int on = nsm_test_level(f.m, "h", "on");
    for (int i = 0; i < f.m->n_reports; i++) {
        double t = nsm_years(f.m->report_t[i]);
        double p = t <= 0.5 ? 0.0 : 0.8 * (1 - exp(-1.5 * (t - 0.5)));
        nsm_test_check_prop("P(h on)", nsm_accum_level_count(f.a, on, i), n, p);
    }
    nsm_test_release(&f);
}

/* Byte-identical tables with 1, 2 and 4 threads, on models with every kind of process. */
static void test_thread_count_invariance(void **state)
{
    (void)state;
    static const char *models[] = {"delay", "counts", "redraw", "chain6"};
    for (size_t k = 0; k < sizeof models / sizeof models[0]; k++)
        nsm_test_same_for_threads(models[k], 20000, 99);
}

/* Replications 0..n-1 in one run equal 0..k-1 and k..n-1 run apart and merged: accumulators of
** separate processes can be merged into the same result. A different seed gives other results. */
static void test_split_and_merge(void **state)
{
    (void)state;
    nsm_test_run whole = nsm_test_simulate("delay", 30000, 5, 2);
    nsm_test_run parts = {nsm_test_load("delay"), NULL};
    parts.a = nsm_accum_alloc(parts.m);
    nsm_accum *second = nsm_accum_alloc(parts.m);
    assert_int_equal(run_into(parts.m, parts.a, 5, 0, 12345, 1, NULL), NSM_OK);
    assert_int_equal(run_into(parts.m, second, 5, 12345, 30000 - 12345, 2, NULL), NSM_OK);
    assert_int_equal(nsm_accum_merge(parts.a, second), NSM_OK);
    char *a = nsm_test_write_tables(whole.m, whole.a), *b = nsm_test_write_tables(parts.m, parts.a);
    assert_true(nsm_test_same_tables(a, b));
    nsm_test_run other = nsm_test_simulate("delay", 30000, 6, 2);
    char *c = nsm_test_write_tables(other.m, other.a);
    assert_false(nsm_test_same_tables(a, c));
    nsm_test_remove_dir(a);
    nsm_test_remove_dir(b);
    nsm_test_remove_dir(c);
    nsm_accum_free(second);
    nsm_test_release(&whole);
    nsm_test_release(&parts);
    nsm_test_release(&other);
}

/* nsm_accum_merge_take, the last merge of a run's threads, adds as nsm_accum_merge does: into an
** accumulator with nothing recorded (its tables moved), into one with counts (added), and from one
** with nothing; the accumulator taken from is left empty with its count tables freed, and records
** again as a new one would. On a model with counted events and their long-tailed tables. */
static void test_merge_take(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("counts");
    nsm_accum *p[3], *added = nsm_accum_alloc(m), *taken = nsm_accum_alloc(m);
    const uint64_t first[3] = {0, 700, 1500}, runs[3] = {700, 800, 0};
    for (int k = 0; k < 3; k++) {
        p[k] = nsm_accum_alloc(m);
        assert_int_equal(run_into(m, p[k], 8, first[k], runs[k] ? runs[k] : 1, 1, NULL), NSM_OK);
        if (!runs[k])
            nsm_accum_reset(p[k]); /* recorded once, then emptied: cells but no counts */
        assert_int_equal(nsm_accum_merge(added, p[k]), NSM_OK);
    }
    for (int k = 0; k < 3; k++)
        assert_int_equal(nsm_accum_merge_take(taken, p[k]), NSM_OK);
    char *a = nsm_test_write_tables(m, added), *b = nsm_test_write_tables(m, taken);
    assert_true(nsm_test_same_tables(a, b));
    assert_int_equal(nsm_accum_runs(taken), 1500);
    /* what was taken from records again: the same tables as a new accumulator's */
    nsm_accum *fresh = nsm_accum_alloc(m);
    assert_int_equal(nsm_accum_runs(p[0]), 0);
    assert_int_equal(run_into(m, p[0], 9, 0, 900, 2, NULL), NSM_OK);
    assert_int_equal(run_into(m, fresh, 9, 0, 900, 2, NULL), NSM_OK);
    char *c = nsm_test_write_tables(m, p[0]), *d = nsm_test_write_tables(m, fresh);
    assert_true(nsm_test_same_tables(c, d));
    assert_false(nsm_test_same_tables(a, c));
    for (char **dir = (char *[]){a, b, c, d, NULL}; *dir; dir++)
        nsm_test_remove_dir(*dir);
    for (int k = 0; k < 3; k++)
        nsm_accum_free(p[k]);
    nsm_accum_free(added);
    nsm_accum_free(taken);
    nsm_accum_free(fresh);
    nsm_model_free(m);
}

/* A loop of zero-delay effects is a runtime error with a message that says what to change. */
static void test_effect_loop_is_an_error(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("loop");
    nsm_accum *a = nsm_accum_alloc(m);
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(run_into(m, a, 1, 0, 100, 2, &d), NSM_ERR_RUNTIME);
    assert_non_null(d.error);
    assert_non_null(strstr(d.error, "loop of zero-delay effects"));
    nsm_diag_release(&d);
    nsm_accum_free(a);
    nsm_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_state_chain),
        cmocka_unit_test(test_competing_risks),
        cmocka_unit_test(test_poisson_counts),
        cmocka_unit_test(test_negative_binomial_counts),
        cmocka_unit_test(test_seasonality),
        cmocka_unit_test(test_seasonality_years),
        cmocka_unit_test(test_modifier),
        cmocka_unit_test(test_scheduled_redraw),
        cmocka_unit_test(test_delayed_effect),
        cmocka_unit_test(test_thread_count_invariance),
        cmocka_unit_test(test_split_and_merge),
        cmocka_unit_test(test_merge_take),
        cmocka_unit_test(test_effect_loop_is_an_error),
    };
    return cmocka_run_group_tests_name("engine", tests, NULL, NULL);
}
