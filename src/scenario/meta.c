/*
** meta.c: scenario.csv (a key,value table) and the time grid it implies: the end of the
** horizon, the report dates and the first day of every month.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/read.h"

enum { K_NAME, K_TITLE, K_START, K_HORIZON, K_INTERVAL, K_DESCRIPTION, K_LABEL, N_KEYS };

/* The keys, then `extends`: read (and removed) by inherit.c before this file sees the table,
** but a misspelt one must get the suggestion and the list of keys all the same. */
static const char keys[N_KEYS + 1][24] = {
    "name", "title", "start_date", "horizon_years", "report_interval_months", "description",
    "label", "extends"};
static const int required[N_KEYS] = {1, 1, 1, 1, 0, 0, 0};

static int key_index(const char *s)
{
    for (int k = 0; k < N_KEYS; k++)
        if (strcmp(keys[k], s) == 0)
            return k;
    return -1;
}

static nsm_status missing_key(nsm_reader *r, int k)
{
    char empty[1] = "";
    nsm_cell header = {empty, r->t->header_line, 1, 0, NULL};
    return nsmi_reader_error(r, &header, 0, "missing key '%s' (scenario.csv needs the keys name, "
                            "title, start_date and horizon_years)", keys[k]);
}

/* rows[k]: the row that gives key k, or -1. */
static nsm_status find_keys(nsm_reader *r, int *rows)
{
    for (int k = 0; k < N_KEYS; k++)
        rows[k] = -1;
    for (int i = 0; i < r->t->n_rows; i++) {
        const nsm_cell *c = nsmi_reader_cell(r, i, "key");
        int k = key_index(c->text);
        if (!c->text[0])
            return nsmi_reader_error(r, c, 0, "missing key");
        if (k < 0)
            return nsmi_unknown(r, c, 0, "key", c->text,
                               nsm_suggest(c->text, keys[0], N_KEYS + 1, sizeof keys[0]),
                               " (the keys are name, title, label, start_date, "
                               "horizon_years, report_interval_months, description and "
                               "extends; keys are lower case)");
        if (rows[k] >= 0)
            return nsmi_reader_error(r, c, 0, "key '%s' is given twice (first at line %d): "
                                    "remove one of the two rows, keeping the value you mean",
                                    c->text, r->t->rows[rows[k]].line);
        rows[k] = i;
    }
    for (int k = 0; k < N_KEYS; k++)
        if (required[k] && rows[k] < 0)
            return missing_key(r, k);
    return NSM_OK;
}

static nsm_status read_horizon(nsm_reader *r, int row)
{
    double years;
    nsm_status s = nsmi_read_number_of(r, row, "value", "horizon_years", &years);
    if (s != NSM_OK)
        return s;
    const nsm_cell *c = nsmi_reader_cell(r, row, "value");
    if (years <= 0 || years > 100)
        return nsmi_reader_error(r, c, 0, "horizon_years must be above 0 and at most 100, not "
                                "%s", c->text);
    r->m->horizon_months = (int)lround(12 * years);
    if (r->m->horizon_months < 1)
        return nsmi_reader_error(r, c, 0, "horizon_years %s is less than half a month", c->text);
    return NSM_OK;
}

/* Dates are written with four-digit years, so the horizon must end by 9999-12-31; past it, the
** end and report dates would wrap to year 0000. Checked once the start is known. */
static nsm_status check_end(nsm_reader *r, int row)
{
    nsm_model *m = r->m;
    int last = (9999 - r->start.year) * 12 + (12 - r->start.month); /* whole months available */
    if (m->horizon_months <= last)
        return NSM_OK;
    const nsm_cell *c = nsmi_reader_cell(r, row, "value");
    char start[11], latest[11];
    nsmi_date_format(r->start, start);
    nsmi_date_format(nsmi_date_add_months(r->start, last), latest);
    if (last < 1)
        return nsmi_reader_error(r, c, 0, "horizon_years %s from %s ends after 9999-12-31, the last "
                                "date neasim handles: start earlier", c->text, start);
    return nsmi_reader_error(r, c, 0, "horizon_years %s from %s ends after 9999-12-31, the last "
                            "date neasim handles: the latest end is %s (horizon_years at most "
                            "%.10g)", c->text, start, latest, last / 12.0);
}

static nsm_status read_interval(nsm_reader *r, int row)
{
    int *k = &r->m->report_interval_months;
    return nsmi_read_integer_of(r, row, "value", "report_interval_months", 1, 120, k);
}

static nsm_status read_keys(nsm_reader *r, const int *rows)
{
    nsm_model *m = r->m;
    const char *name;
    nsm_status s = nsmi_read_name(r, rows[K_NAME], "value", "scenario", &name);
    if (s == NSM_OK) {
        snprintf(m->name, sizeof m->name, "%s", name);
        s = nsmi_read_text(r, rows[K_TITLE], "value", &m->title);
    }
    if (s == NSM_OK && !m->title)
        s = nsmi_reader_error(r, nsmi_reader_cell(r, rows[K_TITLE], "value"), 0, "missing title");
    if (s == NSM_OK)
        s = nsmi_read_date(r, rows[K_START], "value", &r->start);
    if (s == NSM_OK)
        s = read_horizon(r, rows[K_HORIZON]);
    if (s == NSM_OK)
        s = check_end(r, rows[K_HORIZON]);
    m->report_interval_months = 1;
    if (s == NSM_OK && rows[K_INTERVAL] >= 0)
        s = read_interval(r, rows[K_INTERVAL]);
    if (s == NSM_OK && rows[K_DESCRIPTION] >= 0)
        s = nsmi_read_text(r, rows[K_DESCRIPTION], "value", &m->description);
    if (s == NSM_OK && rows[K_LABEL] >= 0)
        s = nsmi_read_text(r, rows[K_LABEL], "value", &m->label);
    return s;
}

/* Start plus 0, k, 2k, ... months before the end, then the end itself. */
static nsm_status report_dates(nsm_reader *r)
{
    nsm_model *m = r->m;
    int k = m->report_interval_months, h = m->horizon_months;
    int n = (h + k - 1) / k + 1;
    m->report_t = malloc((size_t)n * sizeof *m->report_t);
    m->report_date = malloc((size_t)n * sizeof *m->report_date);
    if (!m->report_t || !m->report_date)
        return NSM_ERR_NOMEM;
    m->n_reports = n;
    for (int i = 0; i < n; i++) {
        nsm_date d = nsmi_date_add_months(r->start, i < n - 1 ? i * k : h);
        m->report_t[i] = nsmi_reader_time(r, d);
        nsmi_date_format(d, m->report_date[i]);
    }
    return NSM_OK;
}

/* The first day of every month after the start, up to and including the end. */
static nsm_status month_starts(nsm_reader *r)
{
    nsm_model *m = r->m;
    nsm_date first = nsmi_date_add_months((nsm_date){r->start.year, r->start.month, 1}, 1);
    int n = 0;
    for (nsm_date d = first; nsmi_date_cmp(d, r->end) <= 0; d = nsmi_date_add_months(d, 1))
        n++;
    m->month_start_t = malloc((size_t)n * sizeof *m->month_start_t + 1);
    m->month_start_month = malloc((size_t)n * sizeof *m->month_start_month + 1);
    if (!m->month_start_t || !m->month_start_month)
        return NSM_ERR_NOMEM;
    m->n_month_starts = n;
    for (int i = 0; i < n; i++) {
        nsm_date d = nsmi_date_add_months(first, i);
        m->month_start_t[i] = nsmi_reader_time(r, d);
        m->month_start_month[i] = d.month;
    }
    m->month_of_start = r->start.month;
    return NSM_OK;
}

nsm_status nsmi_scenario_meta(nsm_reader *r)
{
    nsmi_reader_use(r, NSM_T_SCENARIO);
    int rows[N_KEYS];
    nsm_status s = find_keys(r, rows);
    if (s == NSM_OK)
        s = read_keys(r, rows);
    if (s != NSM_OK)
        return s;
    nsm_model *m = r->m;
    m->start_year = r->start.year;
    m->start_month = r->start.month;
    m->start_day = r->start.day;
    r->end = nsmi_date_add_months(r->start, m->horizon_months);
    m->t_end = nsmi_reader_time(r, r->end);
    s = report_dates(r);
    if (s == NSM_OK)
        s = month_starts(r);
    if (s == NSM_OK && nsm_model_finish_grid(m) != 0)
        s = NSM_ERR_NOMEM;
    return s;
}
