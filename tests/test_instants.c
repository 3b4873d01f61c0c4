/*
** test_instants.c: scheduled instants are exact. A delayed effect due on a date runs at that
** date's own time (compared with ==), so same-instant ordering follows scenarios/README.md
** ("Semantics"): the calendar's rows first, then the due effects, then outcomes.
**
** The sweep writes scenarios into a temporary folder and reads them back, so that dates go through
** the reader exactly as a user's would.
*/
#include "nsm_test.h"
#include "nsm_model_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "neasim/engine.h"
#include "neasim/scenario.h"

/* The reproducer of issue 9: calendar `h=v` on 2024-09-01, effect `h=z` 123 days after the
** 2024-05-01 calendar row. On 2024-09-01 the calendar sets v, then the effect sets z: z is
** reported, and v (a zero-length pass) never counts as an occurrence. */
static void test_effect_due_on_a_calendar_date(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("same_day");
    nsm_accum *a = nsm_accum_alloc(m);
    nsm_run_config c = {1, 200, 0, 1, NULL, NULL, NULL, NSM_UNCERTAINTY_NOMINAL, 0, 0};
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_run(m, &c, a, NULL, &d), NSM_OK);
    int i = 8; /* 2024-09-01 */
    assert_string_equal(m->report_date[i], "2024-09-01");
    int h = 1, v = m->factors[h].first_level + 1, z = v + 1;
    assert_int_equal(nsm_accum_level_count(a, z, i), 200);
    assert_int_equal(nsm_accum_level_count(a, v, i), 0);
    assert_int_equal(nsm_accum_level_count(a, z, i - 1), 0);
    int64_t first[14];
    nsm_accum_outcome_first_series(a, 0, first); /* h_v */
    assert_int_equal(first[m->n_reports], 200);  /* never */
    nsm_accum_outcome_first_series(a, 1, first); /* h_z */
    assert_int_equal(first[i], 200);
    nsm_diag_release(&d);
    nsm_accum_free(a);
    nsm_model_free(m);
}

/* ---- the sweep of (trigger day, delay) pairs ---- */

enum { N_DELAYS = 2000, N_TRIGGERS = 50, HORIZON_YEARS = 60, MAX_CHANGES = 2 * N_TRIGGERS + 8 };

/* Hinnant's civil_from_days, the inverse of nsm_days_from_civil. */
static void civil(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static void fdate(FILE *f, long days)
{
    int y, m, d;
    civil(days, &y, &m, &d);
    fprintf(f, "%04d-%02d-%02d", y, m, d);
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A deterministic generator for the trigger days (the test must not depend on the engine's). */
static uint64_t next_u64(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* One scenario: every trigger day D sets k=q then k=p (the effect is triggered and the factor is
** ready for the next trigger), and the calendar sets h=v on D + delay, the day the effect sets h=z. */
static void write_scenario(const char *dir, long start, long delay, const long *trig)
{
    char text[512];
    int y, mo, d;
    civil(start, &y, &mo, &d);
    snprintf(text, sizeof text, "key,value,source\nname,pairs,t\ntitle,pairs,t\n"
             "start_date,%04d-%02d-%02d,t\nhorizon_years,%d,t\n", y, mo, d, HORIZON_YEARS);
    write_file(dir, "scenario.csv", text);
    write_file(dir, "factors.csv", "factor,level,initial,source\nk,p,1,t\nk,q,0,t\n"
               "h,u,1,t\nh,v,0,t\nh,z,0,t\n");
    write_file(dir, "transitions.csv", "factor,from,to,value,unit,source\n");
    snprintf(text, sizeof text, "trigger,probability,delay_days,delay,action,source\n"
             "k:p>q,1,%ld,fixed,h=z,t\n", delay);
    write_file(dir, "effects.csv", text);
    char path[512];
    snprintf(path, sizeof path, "%s/calendar.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("name,date,repeat_years,until,action,source\n", f);
    for (int j = 0; j < N_TRIGGERS; j++) {
        fprintf(f, "on%d,", j), fdate(f, start + trig[j]), fputs(",,,k=q,t\n", f);
        fprintf(f, "off%d,", j), fdate(f, start + trig[j]), fputs(",,,k=p,t\n", f);
        fprintf(f, "due%d,", j), fdate(f, start + trig[j] + delay), fputs(",,,h=v,t\n", f);
    }
    fclose(f);
}

typedef struct {
    int n;
    double t[MAX_CHANGES];
    int to[MAX_CHANGES];
} changes;

static void record(void *ctx, const nsm_seen *w)
{
    changes *c = ctx;
    if (w->kind == NSM_SEEN_CHANGE && w->factor == 1 && c->n < MAX_CHANGES) {
        c->t[c->n] = w->t;
        c->to[c->n++] = w->to;
    }
}

/* Pairs of this scenario whose effect did not run at the calendar row's own instant, right after
** it. The calendar's h=v occurrences are the target instants, in time order. */
static int misordered(const nsm_model *m, const changes *c, char *example, size_t size)
{
    int bad = 0, j = 0;
    for (int i = 0; i < m->n_occurrences; i++) {
        const nsm_occurrence *oc = &m->occurrences[i];
        if (oc->action.factor != 1)
            continue;
        int ok = j + 1 < c->n && c->t[j] == oc->t && c->to[j] == 1 && c->t[j + 1] == oc->t &&
                 c->to[j + 1] == 2;
        if (!ok && bad++ == 0)
            snprintf(example, size, "calendar row %d at t = %.17g: h changed at %.17g (to level %d), "
                     "%.17g (to level %d)", oc->row, oc->t, j < c->n ? c->t[j] : -1.0, j < c->n ? c->to[j] : -1,
                     j + 1 < c->n ? c->t[j + 1] : -1.0, j + 1 < c->n ? c->to[j + 1] : -1);
        j += 2;
    }
    return bad + (j != c->n);
}

static int simulate_pairs(const char *dir, long start, long delay, const long *trig, char *example,
                          size_t size)
{
    write_scenario(dir, start, delay, trig);
    nsm_model *m = NULL;
    nsm_diag d;
    nsm_diag_init(&d);
    if (nsm_scenario_read(dir, &m, &d) != NSM_OK)
        fail_msg("delay %ld: %s", delay, d.error ? d.error : "?");
    nsm_sim *s = nsm_sim_alloc(m);
    nsm_accum *a = nsm_accum_alloc(m);
    assert_true(s && a);
    changes c = {0};
    nsm_sim_set_observer(s, record, &c);
    assert_int_equal(nsm_sim_replicate(s, 1, 0, a, &d), NSM_OK);
    int bad = misordered(m, &c, example, size);
    nsm_accum_free(a);
    nsm_sim_free(s);
    nsm_model_free(m);
    nsm_diag_release(&d);
    return bad;
}

/* 10^5 (trigger day, delay) pairs: delays 0..1999 days, trigger days anywhere over six decades,
** start dates spread over leap and common years. */
static void test_due_instants_are_exact(void **state)
{
    (void)state;
    char dir[] = "/tmp/neasim-instants-XXXXXX";
    assert_non_null(mkdtemp(dir));
    uint64_t x = 0x9e3779b97f4a7c15u;
    long span = (long)(HORIZON_YEARS * 365) - N_DELAYS - 1;
    int bad = 0, pairs = 0;
    char example[256] = "";
    for (long delay = 0; delay < N_DELAYS; delay++) {
        long start = nsm_days_from_civil(1990, 1, 1) + (long)(next_u64(&x) % 3653);
        long trig[N_TRIGGERS];
        for (int j = 0; j < N_TRIGGERS; j++) /* distinct: one slot of the span each */
            trig[j] = j * (span / N_TRIGGERS) + (long)(next_u64(&x) % (uint64_t)(span / N_TRIGGERS));
        char ex[256] = "";
        int b = simulate_pairs(dir, start, delay, trig, ex, sizeof ex);
        if (b && !bad)
            snprintf(example, sizeof example, "delay %ld: %s", delay, ex);
        bad += b;
        pairs += N_TRIGGERS;
    }
    const char *names[] = {"scenario.csv", "factors.csv", "transitions.csv", "effects.csv",
                           "calendar.csv"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, names[k]);
        unlink(path);
    }
    rmdir(dir);
    if (bad)
        fail_msg("%d of %d (trigger day, delay) pairs out of order; first: %s", bad, pairs,
                 example);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_effect_due_on_a_calendar_date),
        cmocka_unit_test(test_due_instants_are_exact),
    };
    return cmocka_run_group_tests_name("instants", tests, NULL, NULL);
}
