/*
** test_dates.c: counted events that count dates (events.csv, column `counts`), on the test model
** tests/models/dates: the number of distinct dates against its closed form, month by month across
** seasonal breakpoints, a calendar row and a delayed effect on dates that already had (or later
** have) a hazard occurrence, each replication's count against the dates its occurrences fall on
** (a slow reference: dates as nsm_model_date writes them), the effects of an uncounted occurrence,
** and byte-identical tables for 1, 2 and 4 threads.
**
** The closed form. Time is in days from the start and a rate is per year of 365.25 days, so a
** Poisson event of rate lambda has on each whole day [d, d + 1) at least one occurrence with
** probability p = 1 - exp(-lambda / 365.25), independently from day to day: the number of
** distinct dates in D whole days is binomial(D, p), mean D p, variance D p (1 - p).
*/
#include "nsm_test.h"
#include "nsm_model_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neasim/engine.h"

#define RATE 200.0 /* per year, every event of the model */

static double day_prob(double rate_per_year)
{
    return -expm1(-rate_per_year / NSM_DAYS_PER_YEAR);
}

/* Mean and standard error of the mean of a count histogram. */
static void hist_mean(const int64_t *h, int64_t nv, double *mean, double *sd)
{
    double n = 0, s = 0, ss = 0;
    for (int64_t c = 0; c < nv; c++) {
        n += (double)h[c];
        s += (double)c * (double)h[c];
    }
    for (int64_t c = 0; c < nv; c++)
        ss += ((double)c - s / n) * ((double)c - s / n) * (double)h[c];
    *mean = s / n;
    *sd = sqrt(ss / (n - 1));
}

/* The cumulative count of event e by the last report date, as a new histogram. */
static int64_t *cumulative(const nsm_accum *a, const nsm_model *m, int e, int64_t *nv)
{
    int64_t *h = calloc((size_t)nsm_accum_event_max_count(a, e) + 1, sizeof *h);
    assert_non_null(h);
    nsm_accum_event_cumulative_hists(a, e, m->n_reports - 1, h, nv);
    return h;
}

/* Constant rate 200 a year over the 365 days of 2025: mean 365 p, many standard errors below the
** 200 x 365 / 365.25 occurrences, which echo (set off by every occurrence of daily) counts. */
static void test_distinct_dates_closed_form(void **state)
{
    (void)state;
    const int64_t n = 20000;
    nsm_test_run f = nsm_test_simulate("dates", (uint64_t)n, 7, 2);
    double days = f.m->t_end, p = day_prob(RATE), occurrences = RATE * days / NSM_DAYS_PER_YEAR;
    assert_true(days == 365.0);
    double se = sqrt(days * p * (1 - p) / (double)n), mean, sd;
    int64_t nv, *h = cumulative(f.a, f.m, nsm_test_event(f.m, "daily"), &nv);
    hist_mean(h, nv, &mean, &sd);
    nsm_test_check_mean("daily: distinct dates in 365 days", mean, days * p, se);
    assert_true(occurrences - days * p > 100 * se); /* the check tells the two apart */
    free(h);
    h = cumulative(f.a, f.m, nsm_test_event(f.m, "echo"), &nv);
    hist_mean(h, nv, &mean, &sd);
    nsm_test_check_mean("echo: every occurrence of daily sets it off", mean, occurrences,
                        sqrt(occurrences / (double)n));
    free(h);
    nsm_test_release(&f);
}

/* The period of report i (the month ending at report date i) of event e against `days` days that
** each add a date with probability p, plus `certain` dates that every replication has. */
static void check_month(const nsm_test_run *f, int e, int i, double days, double p,
                        double certain, int64_t n)
{
    int64_t nv, *h = calloc((size_t)nsm_accum_event_max_count(f->a, e) + 1, sizeof *h);
    assert_non_null(h);
    nsm_accum_event_period_hist(f->a, e, i, h, &nv);
    double mean, sd;
    hist_mean(h, nv, &mean, &sd);
    char what[96];
    snprintf(what, sizeof what, "%s: dates in the month to %s", f->m->events[e].name,
             f->m->report_date[i]);
    nsm_test_check_mean(what, mean, days * p + certain, sqrt(days * p * (1 - p) / (double)n));
    free(h);
}

/* The days of the month ending at report date i. */
static double month_days(const nsm_model *m, int i)
{
    return m->report_t[i] - m->report_t[i - 1];
}

/* seasonal: x4 in February, x0.25 in March. Month starts are midnights, so each date lies in one
** month and has that month's probability; a date counted late in a month does not hide the first
** date of the next. */
static void test_dates_across_seasonal_breakpoints(void **state)
{
    (void)state;
    const int64_t n = 20000;
    nsm_test_run f = nsm_test_simulate("dates", (uint64_t)n, 8, 2);
    int e = nsm_test_event(f.m, "seasonal");
    for (int i = 1; i < f.m->n_reports; i++) {
        double mult = i == 2 ? 4.0 : i == 3 ? 0.25 : 1.0;
        check_month(&f, e, i, month_days(f.m, i), day_prob(RATE * mult), 0, n);
    }
    nsm_test_release(&f);
}

/* mixed: the calendar fires it at the start of 2025-07-01, a report date: that occurrence is the
** first of its date and lies in June's window (windows are open at their start), so June has one
** date more and July's hazard occurrences on 2025-07-01 are not counted: July has 30 days left.
** An effect fires it at noon of 2025-10-01, a date that may already have had a hazard occurrence:
** the date is counted once either way, 1 + 30 p. Every other month: its days x p. */
static void test_calendar_and_effect_on_a_counted_date(void **state)
{
    (void)state;
    const int64_t n = 20000;
    nsm_test_run f = nsm_test_simulate("dates", (uint64_t)n, 9, 2);
    int e = nsm_test_event(f.m, "mixed");
    double p = day_prob(RATE);
    for (int i = 1; i < f.m->n_reports; i++) {
        const char *end = f.m->report_date[i];
        double days = month_days(f.m, i);
        if (strcmp(end, "2025-07-01") == 0) /* June: its 30 days, and the calendar's 07-01 */
            check_month(&f, e, i, days, p, 1, n);
        else if (strcmp(end, "2025-08-01") == 0) /* July: 07-01 was counted in June */
            check_month(&f, e, i, days - 1, p, 0, n);
        else if (strcmp(end, "2025-11-01") == 0) /* October: 10-01 has the effect's */
            check_month(&f, e, i, days - 1, p, 1, n);
        else
            check_month(&f, e, i, days, p, 0, n);
    }
    nsm_test_release(&f);
}

/* ---- the slow reference: each replication's dates, from what the observer is told ---- */

typedef struct {
    const nsm_model *m;
    int n_events;
    char last[8][11];    /* per event: the date of its last occurrence ("" before any) */
    int64_t all[8];      /* occurrences told */
    int64_t dates[8];    /* distinct dates among them */
    int64_t wrong_flag;  /* occurrences whose same_date flag disagrees with the dates */
} seen_dates;

static void observe(void *ctx, const nsm_seen *w)
{
    seen_dates *sd = ctx;
    if (w->kind != NSM_SEEN_EVENT) {
        sd->wrong_flag += w->same_date != 0;
        return;
    }
    char date[11];
    nsm_model_date(sd->m, w->t, date);
    int e = w->event, repeat = sd->m->events[e].counts_dates && strcmp(date, sd->last[e]) == 0;
    sd->all[e]++;
    sd->dates[e] += strcmp(date, sd->last[e]) != 0;
    sd->wrong_flag += (w->same_date != 0) != repeat;
    memcpy(sd->last[e], date, sizeof date);
}

/* The one count of event e in a one-replication accumulator. */
static int64_t only_count(const nsm_accum *a, const nsm_model *m, int e)
{
    int64_t nv, *h = cumulative(a, m, e, &nv), v = -1;
    for (int64_t c = 0; c < nv; c++)
        if (h[c] == 1)
            v = c;
    free(h);
    return v;
}

/* Replication by replication: an event counting dates counts exactly the distinct dates of its
** occurrences, the occurrences it does not count are exactly those flagged same_date, and echo
** counts every occurrence of daily, counted or not (its effects still run). */
static void test_each_replication_counts_its_dates(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("dates");
    assert_true(m->n_events <= 8);
    nsm_sim *s = nsm_sim_alloc(m);
    assert_non_null(s);
    seen_dates sd;
    nsm_sim_set_observer(s, observe, &sd);
    int daily = nsm_test_event(m, "daily"), echo = nsm_test_event(m, "echo");
    int64_t repeats = 0;
    for (uint64_t rep = 0; rep < 300; rep++) {
        memset(&sd, 0, sizeof sd);
        sd.m = m;
        nsm_accum *a = nsm_accum_alloc(m);
        assert_non_null(a);
        assert_int_equal(nsm_sim_replicate(s, 11, rep, a, NULL), NSM_OK);
        for (int e = 0; e < m->n_events; e++) {
            int64_t want = m->events[e].counts_dates ? sd.dates[e] : sd.all[e];
            if (only_count(a, m, e) != want)
                fail_msg("rep %llu, %s: count %lld, distinct dates %lld of %lld occurrences",
                         (unsigned long long)rep, m->events[e].name,
                         (long long)only_count(a, m, e), (long long)sd.dates[e],
                         (long long)sd.all[e]);
        }
        assert_int_equal(sd.wrong_flag, 0);
        assert_int_equal(only_count(a, m, echo), sd.all[daily]);
        repeats += sd.all[daily] - sd.dates[daily];
        nsm_accum_free(a);
    }
    assert_true(repeats > 1000); /* about 46 a replication: the check saw many */
    nsm_sim_free(s);
    nsm_model_free(m);
}

/* What an event counts changes its counts and nothing else: with every event counting
** occurrences, echo's counts are the same, and daily's are echo's. */
static void test_counting_dates_changes_only_counts(void **state)
{
    (void)state;
    const int64_t n = 2000;
    nsm_model *m = nsm_test_load("dates");
    int daily = nsm_test_event(m, "daily"), echo = nsm_test_event(m, "echo");
    nsm_accum *a = nsm_test_run_model(m, (uint64_t)n, 5, 2);
    for (int e = 0; e < m->n_events; e++)
        m->events[e].counts_dates = 0;
    nsm_accum *b = nsm_test_run_model(m, (uint64_t)n, 5, 2);
    int64_t na, nb, nd, *ha = cumulative(a, m, echo, &na), *hb = cumulative(b, m, echo, &nb);
    int64_t *hd = cumulative(b, m, daily, &nd);
    assert_int_equal(na, nb);
    assert_memory_equal(ha, hb, (size_t)na * sizeof *ha);
    assert_int_equal(nd, nb);
    assert_memory_equal(hd, hb, (size_t)nb * sizeof *hb);
    free(ha);
    free(hb);
    free(hd);
    nsm_accum_free(a);
    nsm_accum_free(b);
    nsm_model_free(m);
}

static void test_same_for_threads(void **state)
{
    (void)state;
    nsm_test_same_for_threads("dates", 3000, 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_distinct_dates_closed_form),
        cmocka_unit_test(test_dates_across_seasonal_breakpoints),
        cmocka_unit_test(test_calendar_and_effect_on_a_counted_date),
        cmocka_unit_test(test_each_replication_counts_its_dates),
        cmocka_unit_test(test_counting_dates_changes_only_counts),
        cmocka_unit_test(test_same_for_threads),
    };
    return cmocka_run_group_tests_name("dates", tests, NULL, NULL);
}
