/*
** transitions.c: transitions.csv: hazards of moving between levels, converted to rates
** per year, with `from = *` expanded into one transition per level that has no row of its own.
**
** Transitions are listed in row order; a `*` row becomes its levels in level order, at its place.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/read.h"

typedef struct {
    int factor, from, to; /* from = -1 for `*` */
    double rate;
    int unit;
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
                                "twice (first at line %d)", name, r->t->rows[j].line);
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
        s = read_rate(r, i, &sp->rate, &sp->unit);
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
            spec one = {sp->factor, from, sp->to, sp->rate, sp->unit};
            char name[3 * NSM_NAME_MAX];
            describe(r->m, &one, name, sizeof name);
            out[count] = (nsm_transition){sp->factor, from, sp->to, sp->rate, r->t->rows[i].line,
                                          nsm_stream_id("transition", name),
                                          (nsm_unit)sp->unit};
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
