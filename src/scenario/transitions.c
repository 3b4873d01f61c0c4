/*
** transitions.c: transitions.csv: hazards of moving between levels, converted to rates
** per year, with `from = *` expanded into one transition per level that has no row of its own.
**
** Transitions are listed in row order; a `*` row becomes its levels in level order, at its place.
** A row may give a duration (the optional `duration` column: a distribution of the time spent in
** `from`, with its unit), with or without a hazard: a row with a duration only leaves `value` and
** `unit` empty and has hazard 0.
*/
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/read.h"

typedef struct {
    int factor, from, to; /* from = -1 for `*` */
    double rate;
    int unit;
    nsm_duration dur;     /* on 0: none */
} spec;

/* In the order of nsm_unit. */
enum { U_ANNUAL = NSM_UNIT_ANNUAL_PROBABILITY, U_RATE = NSM_UNIT_RATE_PER_YEAR,
       U_MEAN = NSM_UNIT_MEAN_YEARS, N_UNITS };
static const char units[N_UNITS][24] = {"annual_probability", "rate_per_year", "mean_years"};

static nsm_status read_unit(nsm_reader *r, int row, int *unit)
{
    const nsm_cell *c = nsmi_reader_cell(r, row, "unit");
    for (*unit = 0; *unit < N_UNITS; ++*unit)
        if (strcmp(units[*unit], c->text) == 0)
            return NSM_OK;
    const char *tail = " (the units are annual_probability, rate_per_year and mean_years)";
    if (!c->text[0])
        return nsmi_reader_error(r, c, 0, "missing unit%s", tail);
    const char *value = nsmi_reader_cell(r, row, "value")->text;
    for (int k = 0; k < N_UNITS; k++)
        if (strcmp(units[k], value) == 0) /* f,a,b,rate_per_year,2 */
            return nsmi_reader_error(r, c, 0, "unknown unit '%s': the value and unit cells look "
                                    "swapped (value holds the unit %s): write ...,%s,%s,...",
                                    c->text, value, c->text, value);
    return nsmi_unknown(r, c, 0, "unit", c->text,
                       nsm_suggest(c->text, units[0], N_UNITS, sizeof units[0]), tail);
}

/* The row's value as a rate per year (scenarios/README.md, transitions.csv). */
static nsm_status read_rate(nsm_reader *r, int row, double *rate, int *unit_out)
{
    int unit;
    double v;
    nsm_status s = read_unit(r, row, &unit);
    if (s == NSM_OK)
        s = nsmi_read_number(r, row, "value", &v);
    if (s != NSM_OK)
        return s;
    const nsm_cell *c = nsmi_reader_cell(r, row, "value");
    if (v < 0)
        return nsmi_reader_error(r, c, 0, "%s '%s' is negative: it must be 0 or more", units[unit],
                                c->text);
    char advice[128];
    if (unit == U_ANNUAL && v > 1 && v <= 100) /* 10 for 10%, or 1.5 meant as a rate */
        return nsmi_reader_error(r, c, 0, "annual_probability '%s' must be below 1: %s; a rate "
                                "of %s a year is written with the unit rate_per_year", c->text,
                                nsmi_fraction_advice(c->text, v, advice, sizeof advice), c->text);
    if (unit == U_ANNUAL && v >= 1)
        return nsmi_reader_error(r, c, 0, "annual_probability '%s' must be below 1 (1 would be a "
                                "certain move; write a fast one as rate_per_year)", c->text);
    if (unit == U_MEAN && v == 0)
        return nsmi_reader_error(r, c, 0, "mean_years must be above 0, not %s", c->text);
    *unit_out = unit;
    *rate = unit == U_ANNUAL ? -log1p(-v) : unit == U_RATE ? v : 1 / v;
    if (!isfinite(*rate))
        return nsmi_reader_error(r, c, 0, "mean_years '%s' is too small", c->text);
    return NSM_OK;
}

/* The kinds a duration may have: a sojourn is a time, never negative. */
static int duration_kind(nsm_dist_kind k)
{
    return k == NSM_DIST_FIXED || k == NSM_DIST_UNIFORM || k == NSM_DIST_GAMMA ||
           k == NSM_DIST_WEIBULL || k == NSM_DIST_LOGNORMAL;
}

/* The distribution part of a duration cell, text[0, len): a distribution, or a number (fixed). */
static nsm_status duration_law(nsm_reader *r, const nsm_cell *c, size_t len, nsm_dist *d)
{
    char body[160];
    if (len >= sizeof body)
        return nsmi_reader_error(r, c, 0, "duration '%s' is too long", c->text);
    memcpy(body, c->text, len);
    body[len] = '\0';
    if (!nsm_dist_is(body)) {
        char *end = NULL;
        double v = strspn(body, "0123456789.eE+-") == len ? strtod(body, &end) : 0;
        if (!end || end == body || *end || !isfinite(v))
            return nsmi_reader_error(r, c, 0, "'%s' is not a duration: write a number of days or "
                                    "years ('180 days', a deadline) or a distribution "
                                    "('weibull(1.5, 2) years')", c->text);
        *d = (nsm_dist){NSM_DIST_FIXED, {v, 0, 0}};
        return NSM_OK;
    }
    nsm_diag why;
    nsm_diag_init(&why);
    size_t offset = 0;
    nsm_status st = nsm_dist_parse(body, d, &offset, &why);
    if (st != NSM_OK)
        st = nsmi_reader_error(r, c, offset, "%s", why.error ? why.error : "bad distribution");
    nsm_diag_release(&why);
    return st;
}

/* The `duration` cell: "LAW UNIT", LAW a number (a fixed duration) or fixed(x), uniform(a,b),
** gamma(k,theta), weibull(k,lambda) or lognormal(mu,sigma); UNIT days or years. */
static nsm_status read_duration(nsm_reader *r, int row, nsm_duration *out)
{
    const nsm_cell *c = nsmi_reader_cell(r, row, "duration");
    const char *t = c->text;
    *out = (nsm_duration){0, 0, {0, 0, 0}, 0, 0};
    if (!t[0])
        return NSM_OK;
    size_t n = strlen(t), u = n;
    while (u > 0 && t[u - 1] != ' ' && t[u - 1] != ')')
        u--;
    size_t law = u;
    while (law > 0 && t[law - 1] == ' ')
        law--;
    const char *unit = t + u;
    int days = strcmp(unit, "days") == 0, years = strcmp(unit, "years") == 0;
    if (!unit[0] || (law == 0 && !isalpha((unsigned char)unit[0]))) /* "24", "uniform(1,2)" */
        return nsmi_reader_error(r, c, 0, "the duration '%s' has no unit: write '%s days' or "
                                "'%s years'", t, t, t);
    if (law == 0 && (days || years))
        return nsmi_reader_error(r, c, 0, "the duration '%s' has no number: write how many %s "
                                "('180 %s') or a distribution ('weibull(1.5, 2) %s')", t, unit,
                                unit, unit);
    if (law == 0 || !(days || years))
        return nsmi_reader_error(r, c, law == 0 ? 0 : u, "a duration ends with its unit, days or "
                                "years ('180 days', 'weibull(1.5, 2) years'), not '%s'", unit);
    nsm_dist d;
    nsm_status st = duration_law(r, c, law, &d);
    if (st != NSM_OK)
        return st;
    double lo, hi;
    nsm_dist_support(&d, &lo, &hi);
    if (!duration_kind(d.kind))
        return nsmi_reader_error(r, c, 0, "a duration is fixed, uniform, gamma, weibull or "
                                "lognormal, not %s", nsm_dist_name(d.kind));
    if (d.kind == NSM_DIST_FIXED ? !(d.p[0] > 0) : lo < 0)
        return nsmi_reader_error(r, c, 0, "a duration cannot be %s: '%s'",
                                d.kind == NSM_DIST_FIXED ? "0 or negative" : "negative", c->text);
    *out = (nsm_duration){1, (int)d.kind, {d.p[0], d.p[1], d.p[2]}, days ? 1.0 : NSM_DAYS_PER_YEAR,
                          0};
    return NSM_OK;
}

static void describe(const nsm_model *m, const spec *sp, char *out, size_t size)
{
    const nsm_factor *f = &m->factors[sp->factor];
    snprintf(out, size, "%s:%s>%s", f->name, sp->from < 0 ? "*" : f->levels[sp->from],
             f->levels[sp->to]);
}

static nsm_status check_duplicate(nsm_reader *r, const spec *rows, int n)
{
    const spec *sp = &rows[n];
    for (int j = 0; j < n; j++) {
        if (rows[j].factor != sp->factor || rows[j].from != sp->from || rows[j].to != sp->to)
            continue;
        char name[3 * NSM_NAME_MAX];
        describe(r->m, sp, name, sizeof name);
        return nsmi_reader_error(r, nsmi_reader_cell(r, n, "factor"), 0, "transition %s is given "
                                "twice (first at line %d)" NSMI_TWICE_FIX, name, r->t->rows[j].line);
    }
    return NSM_OK;
}

static nsm_status read_row(nsm_reader *r, spec *rows, int i)
{
    spec *sp = &rows[i];
    nsm_status s = nsmi_read_factor(r, i, "factor", &sp->factor);
    if (s == NSM_OK)
        s = nsmi_read_level(r, i, "from", sp->factor, 1, &sp->from);
    if (s == NSM_OK)
        s = nsmi_read_level(r, i, "to", sp->factor, 0, &sp->to);
    if (s == NSM_OK && sp->from == sp->to)
        return nsmi_reader_error(r, nsmi_reader_cell(r, i, "to"), 0, "a transition from '%s' to "
                                "itself is not a move", nsmi_reader_cell(r, i, "to")->text);
    if (s == NSM_OK)
        s = read_duration(r, i, &sp->dur);
    /* a row with a duration may leave its hazard out: value and unit both empty */
    int no_hazard = s == NSM_OK && sp->dur.on && nsmi_reader_empty(r, i, "value") &&
                    nsmi_reader_empty(r, i, "unit");
    if (s == NSM_OK && no_hazard) {
        sp->rate = 0.0;
        sp->unit = U_RATE;
    } else if (s == NSM_OK) {
        s = read_rate(r, i, &sp->rate, &sp->unit);
    }
    if (s == NSM_OK)
        s = check_duplicate(r, rows, i);
    return s;
}

static int has_row(const spec *rows, int n, int factor, int from, int to)
{
    for (int j = 0; j < n; j++)
        if (rows[j].factor == factor && rows[j].from == from && rows[j].to == to)
            return 1;
    return 0;
}

/* Does row sp give a transition from level `from`? An explicit row for a level takes
** precedence over `*`. */
static int gives(const spec *rows, int n, const spec *sp, int from)
{
    if (sp->from >= 0)
        return from == sp->from;
    return from != sp->to && !has_row(rows, n, sp->factor, from, sp->to);
}

/* Append the transitions of row i (several for `*`); with out NULL, only count them. */
static int expand(const nsm_reader *r, const spec *rows, int n, int i, nsm_transition *out)
{
    const spec *sp = &rows[i];
    int count = 0;
    for (int from = 0; from < r->m->factors[sp->factor].n_levels; from++) {
        if (!gives(rows, n, sp, from))
            continue;
        if (out) {
            spec one = {sp->factor, from, sp->to, sp->rate, sp->unit, sp->dur};
            char name[3 * NSM_NAME_MAX];
            describe(r->m, &one, name, sizeof name);
            nsm_duration dur = sp->dur;
            dur.stream = dur.on ? nsm_stream_id("duration", name) : 0;
            out[count] = (nsm_transition){sp->factor, from, sp->to, sp->rate, r->t->rows[i].line,
                                          nsm_stream_id("transition", name),
                                          (nsm_unit)sp->unit, dur};
        }
        count++;
    }
    return count;
}

static nsm_status emit(nsm_reader *r, const spec *rows, int n)
{
    nsm_model *m = r->m;
    int total = 0;
    for (int i = 0; i < n; i++)
        total += expand(r, rows, n, i, NULL);
    m->transitions = calloc((size_t)total + 1, sizeof *m->transitions);
    if (!m->transitions)
        return NSM_ERR_NOMEM;
    for (int i = 0; i < n; i++)
        m->n_transitions += expand(r, rows, n, i, m->transitions + m->n_transitions);
    for (int k = 0; k < m->n_transitions; k++)
        m->n_durations += m->transitions[k].duration.on;
    return NSM_OK;
}

nsm_status nsmi_scenario_transitions(nsm_reader *r)
{
    const nsm_table *t = nsmi_reader_use(r, NSM_T_TRANSITIONS);
    spec *rows = calloc((size_t)t->n_rows + 1, sizeof *rows);
    if (!rows)
        return NSM_ERR_NOMEM;
    nsm_status s = NSM_OK;
    for (int i = 0; s == NSM_OK && i < t->n_rows; i++)
        s = read_row(r, rows, i);
    if (s == NSM_OK)
        s = emit(r, rows, t->n_rows);
    free(rows);
    return s;
}
