/*
** calendar.c: calendar.csv: scheduled actions, expanded into occurrences (a recurring
** row gives one every N years) and sorted by (time, row) so that simultaneous occurrences run in
** row order.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    return s;
}
