/*
** calendar.c: calendar.csv: scheduled actions, expanded into occurrences (a recurring
** row gives one every N years) and sorted by (time, row) so that simultaneous occurrences run in
** row order.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neasim/params.h"
#include "scenario/read.h"

typedef struct {
    nsm_date date, until;
    int repeat;     /* years; 0 for a one-off date */
    int has_until;
} schedule;

static nsm_status read_entry_name(nsm_reader *r, int row)
{
    nsm_model *m = r->m;
    const char *name;
    nsm_status s = nsmi_read_name(r, row, "name", "calendar entry", &name);
    for (int j = 0; s == NSM_OK && j < m->n_calendar_names; j++)
        if (strcmp(m->calendar_names[j], name) == 0)
            return nsmi_reader_error(r, nsmi_reader_cell(r, row, "name"), 0, "calendar entry '%s' "
                                    "is defined twice (first at line %d): names are unique; "
                                    "rename one of the two, or remove one", name,
                                    r->t->rows[j].line);
    if (s == NSM_OK) {
        snprintf(m->calendar_names[m->n_calendar_names], NSM_NAME_MAX, "%s", name);
        m->calendar_stream[m->n_calendar_names++] = nsm_stream_id("calendar", name);
    }
    return s;
}

static nsm_status read_schedule(nsm_reader *r, int row, schedule *sc)
{
    *sc = (schedule){{0, 0, 0}, {0, 0, 0}, 0, 0};
    nsm_status s = nsmi_read_date(r, row, "date", &sc->date);
    if (s == NSM_OK && !nsmi_reader_empty(r, row, "repeat_years"))
        s = nsmi_read_integer(r, row, "repeat_years", 1, 100, &sc->repeat);
    sc->has_until = !nsmi_reader_empty(r, row, "until");
    if (s == NSM_OK && sc->has_until)
        s = nsmi_read_date(r, row, "until", &sc->until);
    if (s != NSM_OK || !sc->has_until)
        return s;
    const nsm_cell *c = nsmi_reader_cell(r, row, "until");
    if (!sc->repeat)
        return nsmi_reader_error(r, c, 0, "'until' is for recurring entries: set repeat_years, "
                                "or leave until empty");
    if (nsmi_date_cmp(sc->until, sc->date) < 0)
        return nsmi_reader_error(r, c, 0, "until %s is before the first date %s: give a date on "
                                "or after it (the last occurrence is on or before until), or "
                                "leave until empty to repeat to the horizon", c->text,
                                nsmi_reader_cell(r, row, "date")->text);
    return NSM_OK;
}

static nsm_status add_occurrence(nsm_reader *r, int *cap, nsm_date d, int row,
                                 const nsm_action *a)
{
    nsm_model *m = r->m;
    if (m->n_occurrences == *cap) {
        int n = *cap ? 2 * *cap : 16;
        nsm_occurrence *p = realloc(m->occurrences, (size_t)n * sizeof *p);
        if (!p)
            return NSM_ERR_NOMEM;
        m->occurrences = p;
        *cap = n;
    }
    m->occurrences[m->n_occurrences++] = (nsm_occurrence){nsmi_reader_time(r, d), row + 1, row, *a};
    return NSM_OK;
}

/* A one-off date after the end: the two fixes, the last date within the horizon and the whole
** number of years that would take the date in (when there is one, up to the 100 allowed). */
static nsm_status after_end(nsm_reader *r, const nsm_cell *c, nsm_date date)
{
    char end[11], longer[11];
    nsmi_date_format(r->end, end);
    int years = (r->m->horizon_months + 11) / 12;
    while (years <= 100 && nsmi_date_cmp(nsmi_date_add_months(r->start, 12 * years), date) < 0)
        years++;
    if (years > 100)
        return nsmi_reader_error(r, c, 0, "date %s is after the end of the horizon (%s): move it "
                                "to %s or earlier", c->text, end, end);
    nsmi_date_format(nsmi_date_add_months(r->start, 12 * years), longer);
    return nsmi_reader_error(r, c, 0, "date %s is after the end of the horizon (%s): move it to "
                            "%s or earlier, or set horizon_years to %d in scenario.csv (the "
                            "horizon then ends on %s)", c->text, end, end, years, longer);
}

static nsm_status one_off(nsm_reader *r, int row, const schedule *sc, const nsm_action *a,
                          int *cap)
{
    char start[11];
    nsmi_date_format(r->start, start);
    const nsm_cell *c = nsmi_reader_cell(r, row, "date");
    if (nsmi_date_cmp(sc->date, r->start) < 0)
        return nsmi_reader_error(r, c, 0, "date %s is before the start of the horizon (%s): "
                                "move it to %s or later (what happened before the start belongs "
                                "in the initial levels of factors.csv), or set start_date in "
                                "scenario.csv", c->text, start, start);
    if (nsmi_date_cmp(sc->date, r->end) > 0)
        return after_end(r, c, sc->date);
    return add_occurrence(r, cap, sc->date, row, a);
}

/* Every sc->repeat years from sc->date, within the horizon and up to `until`. */
static nsm_status recurring(nsm_reader *r, int row, const schedule *sc, const nsm_action *a,
                            int *cap)
{
    nsm_date last = sc->has_until && nsmi_date_cmp(sc->until, r->end) < 0 ? sc->until : r->end;
    int before = r->m->n_occurrences;
    nsm_status s = NSM_OK;
    for (int y = sc->date.year; s == NSM_OK; y += sc->repeat) {
        nsm_date d = nsmi_date_in_year(sc->date, y);
        if (nsmi_date_cmp(d, last) > 0)
            break;
        if (nsmi_date_cmp(d, r->start) >= 0)
            s = add_occurrence(r, cap, d, row, a);
    }
    if (s != NSM_OK || r->m->n_occurrences > before)
        return s;
    char start[11], end[11], until[32] = "";
    nsmi_date_format(r->start, start);
    nsmi_date_format(r->end, end);
    if (sc->has_until)
        snprintf(until, sizeof until, " until %s", nsmi_reader_cell(r, row, "until")->text);
    const nsm_cell *c = nsmi_reader_cell(r, row, "date");
    return nsmi_reader_error(r, c, 0, "calendar entry '%s' (from %s every %d year%s%s) has no "
                            "occurrence within the horizon, %s to %s",
                            nsmi_reader_cell(r, row, "name")->text, c->text, sc->repeat,
                            sc->repeat == 1 ? "" : "s", until, start, end);
}

static nsm_status read_row(nsm_reader *r, int row, int *cap)
{
    schedule sc;
    nsm_action a;
    nsm_status s = read_entry_name(r, row);
    if (s == NSM_OK)
        s = read_schedule(r, row, &sc);
    if (s == NSM_OK)
        s = nsmi_parse_action(r, nsmi_reader_cell(r, row, "action"), &a);
    if (s == NSM_OK && !nsmi_reader_empty(r, row, "when"))
        s = nsmi_parse_condition(r, nsmi_reader_cell(r, row, "when"), &r->m->calendar_when[row]);
    if (s == NSM_OK && !nsmi_reader_empty(r, row, "when"))
        nsmi_warn_action_idle(r, nsmi_reader_cell(r, row, "when"), "when",
                              &r->m->calendar_when[row], &a);
    if (s == NSM_OK)
        s = sc.repeat ? recurring(r, row, &sc, &a, cap) : one_off(r, row, &sc, &a, cap);
    return s;
}

static int by_time_then_row(const void *pa, const void *pb)
{
    const nsm_occurrence *a = pa, *b = pb;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    return (a->row > b->row) - (a->row < b->row);
}

/* An occurrence by its action, then its time: sorted, each action's dates stand together. */
typedef struct {
    int key[5]; /* the action: kind, factor, level, draw, event */
    int i;      /* the occurrence (occurrences are sorted by time) */
} dated;

static int by_action_then_time(const void *pa, const void *pb)
{
    const dated *a = pa, *b = pb;
    for (int k = 0; k < 5; k++)
        if (a->key[k] != b->key[k])
            return a->key[k] < b->key[k] ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

/* One action's dates: at d[at..at+n-1], the first of them occurrence `first`. */
typedef struct {
    int first, at, n;
} series;

static int by_first_date(const void *pa, const void *pb)
{
    const series *a = pa, *b = pb;
    return (a->first > b->first) - (a->first < b->first);
}

/* The warning for one action's n dates, d[0..n-1] in time order, when they stop early. */
static void warn_if_stops(nsm_reader *r, const dated *d, int n)
{
    const nsm_model *m = r->m;
    const nsm_occurrence *o = &m->occurrences[d[n - 1].i];
    double gap = 0, least = HUGE_VAL;
    for (int k = 1; k < n; k++) {
        double g = m->occurrences[d[k].i].t - m->occurrences[d[k - 1].i].t;
        gap = fmax(gap, g);
        least = fmin(least, g);
    }
    if (n < 2 || least < 330 || gap > 1.5 * least || o->t + 1.125 * gap > m->t_end)
        return;
    char act[2 * NSM_NAME_MAX + 8], first[11], last[11], next[11], end[11];
    nsm_action_format(m, &o->action, act, sizeof act);
    nsm_model_date(m, m->occurrences[d[0].i].t, first);
    nsm_model_date(m, o->t, last);
    nsm_model_date(m, o->t + gap, next);
    nsm_model_date(m, m->t_end, end);
    double years = round(gap / 365.25);
    char spacing[32] = "year";
    if (years != 1)
        snprintf(spacing, sizeof spacing, "%g years", years);
    nsm_table_warn(r->t, nsmi_reader_cell(r, o->entry, "date"), r->d,
                   "'%s' is on %d dates, %s to %s, about every %s, and then stops, though "
                   "the horizon runs to %s (the next would be about %s): if it should go on, add "
                   "its later dates (rows of their own, or repeat_years with a later until or "
                   "none); if it ends by design, nothing needs changing", act, n, first, last,
                   spacing, end, next);
}

/* A series that stops long before the end: an action on 2 or more dates (of one row or several)
** spaced alike, a year or more apart (a schedule: elections, renewals; two rows a month apart
** are not one), whose next date, at its widest spacing after its last, would fall within the
** horizon. That is what a lengthened horizon does to one-off rows (elections written a row a
** date stop at the old end) and to a repeat's `until`. "Alike": the widest gap at most 1.5 times
** the narrowest; "a year": 330 days or more. An eighth of the gap to spare: dates set by a
** weekday rule (election days) move by days from one to the next, and a next date just after the
** end is not missing. A warning, not an error: a series may end by design. Sorted by action, so
** that a century of yearly rows (thousands of dates) costs n log n; the warnings come in the
** order of the series' first dates. */
static nsm_status warn_series_stops(nsm_reader *r)
{
    const nsm_model *m = r->m;
    int n = m->n_occurrences;
    dated *d = malloc((size_t)(n + 1) * sizeof *d);
    if (!d)
        return NSM_ERR_NOMEM;
    for (int i = 0; i < n; i++) {
        const nsm_action *a = &m->occurrences[i].action;
        d[i] = (dated){{(int)a->kind, a->factor, a->level, a->draw, a->event}, i};
    }
    qsort(d, (size_t)n, sizeof *d, by_action_then_time);
    /* each series as (its first date, where it starts in d, its length), in the order of the
    ** first dates: the order of the calendar as it reads */
    series *all = malloc((size_t)(n + 1) * sizeof *all);
    if (!all) {
        free(d);
        return NSM_ERR_NOMEM;
    }
    int n_series = 0;
    for (int i = 0, j; i < n; i = j) {
        for (j = i + 1; j < n && memcmp(d[j].key, d[i].key, sizeof d[i].key) == 0; j++)
            ;
        all[n_series++] = (series){d[i].i, i, j - i};
    }
    qsort(all, (size_t)n_series, sizeof *all, by_first_date);
    for (int k = 0; k < n_series; k++)
        warn_if_stops(r, d + all[k].at, all[k].n);
    free(all);
    free(d);
    return NSM_OK;
}

nsm_status nsmi_scenario_calendar(nsm_reader *r)
{
    const nsm_table *t = nsmi_reader_use(r, NSM_T_CALENDAR);
    if (!t)
        return NSM_OK;
    nsm_model *m = r->m;
    m->calendar_names = calloc((size_t)t->n_rows + 1, sizeof *m->calendar_names);
    m->calendar_stream = calloc((size_t)t->n_rows + 1, sizeof *m->calendar_stream);
    m->calendar_when = calloc((size_t)t->n_rows + 1, sizeof *m->calendar_when);
    if (!m->calendar_names || !m->calendar_stream || !m->calendar_when)
        return NSM_ERR_NOMEM;
    int cap = 0;
    nsm_status s = NSM_OK;
    for (int i = 0; s == NSM_OK && i < t->n_rows; i++)
        s = read_row(r, i, &cap);
    if (s == NSM_OK && m->n_occurrences > 1)
        qsort(m->occurrences, (size_t)m->n_occurrences, sizeof *m->occurrences,
              by_time_then_row);
    if (s == NSM_OK)
        s = warn_series_stops(r);
    return s;
}
