/*
** draws.c: draws.csv: named categorical re-draws of a factor, as dense matrices
** prob[from * n_levels + to], with the `*` distribution copied to every level that has no rows
** of its own.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/read.h"

typedef struct {
    int draw, from, to; /* from = -1 for `*` */
    double p;
} spec;

/* The draw called `name` of `factor`, added at the end if new. */
static nsm_status draw_named(nsm_reader *r, int row, const char *name, int factor, int *out)
{
    nsm_model *m = r->m;
    *out = nsmi_find_draw(m, name);
    if (*out >= 0 && m->draws[*out].factor != factor)
        return nsmi_reader_error(r, nsmi_reader_cell(r, row, "factor"), 0, "draw '%s' re-draws "
                                "factor '%s' in its earlier rows, not '%s'", name,
                                m->factors[m->draws[*out].factor].name,
                                m->factors[factor].name);
    if (*out >= 0)
        return NSM_OK;
    *out = m->n_draws++;
    nsm_draw *d = &m->draws[*out];
    snprintf(d->name, sizeof d->name, "%s", name);
    d->factor = factor;
    int n = m->factors[factor].n_levels;
    d->prob = calloc((size_t)(n * n), sizeof *d->prob);
    return d->prob ? NSM_OK : NSM_ERR_NOMEM;
}

static nsm_status check_duplicate(nsm_reader *r, const spec *rows, int i)
{
    for (int j = 0; j < i; j++)
        if (rows[j].draw == rows[i].draw && rows[j].from == rows[i].from &&
            rows[j].to == rows[i].to)
            return nsmi_reader_error(r, nsmi_reader_cell(r, i, "draw"), 0, "draw '%s' from '%s' to "
                                    "'%s' is given twice (first at line %d)",
                                    r->m->draws[rows[i].draw].name,
                                    nsmi_reader_cell(r, i, "from")->text,
                                    nsmi_reader_cell(r, i, "to")->text, r->t->rows[j].line);
    return NSM_OK;
}

static nsm_status read_row(nsm_reader *r, spec *rows, int i)
{
    const char *name;
    int factor;
    spec *sp = &rows[i];
    nsm_status s = nsmi_read_name(r, i, "draw", "draw", &name);
    if (s == NSM_OK)
        s = nsmi_read_factor(r, i, "factor", &factor);
    if (s == NSM_OK)
        s = draw_named(r, i, name, factor, &sp->draw);
    if (s == NSM_OK)
        s = nsmi_read_level(r, i, "from", factor, 1, &sp->from);
    if (s == NSM_OK)
        s = nsmi_read_level(r, i, "to", factor, 0, &sp->to);
    if (s == NSM_OK)
        s = nsmi_read_probability(r, i, "probability", &sp->p);
    if (s == NSM_OK)
        s = check_duplicate(r, rows, i);
    return s;
}

/* Sum of the rows of draw d from `from`; *first is the first such row, or -1. */
static double sum_from(const spec *rows, int n, int d, int from, int *first)
{
    double sum = 0;
    *first = -1;
    for (int i = 0; i < n; i++) {
        if (rows[i].draw != d || rows[i].from != from)
            continue;
        *first = *first < 0 ? i : *first;
        sum += rows[i].p;
    }
    return sum;
}

static int first_row(const spec *rows, int n, int d)
{
    for (int i = 0; i < n; i++)
        if (rows[i].draw == d)
            return i;
    return -1;
}

/* Every `from` given sums to 1, and every level is covered by its own rows or by `*`. */
static nsm_status check_draw(nsm_reader *r, const spec *rows, int n, int d)
{
    const nsm_draw *dr = &r->m->draws[d];
    const nsm_factor *f = &r->m->factors[dr->factor];
    int first, star;
    sum_from(rows, n, d, -1, &star);
    for (int from = -1; from < f->n_levels; from++) {
        double sum = sum_from(rows, n, d, from, &first);
        if (first >= 0 && fabs(sum - 1) > 1e-6)
            return nsmi_reader_error(r, nsmi_reader_cell(r, first, "probability"), 0,
                                    "the probabilities of draw '%s' from '%s' sum to %.10g, not "
                                    "1", dr->name, from < 0 ? "*" : f->levels[from], sum);
        if (from >= 0 && first < 0 && star < 0)
            return nsmi_reader_error(r, nsmi_reader_cell(r, first_row(rows, n, d), "draw"), 0,
                                    "draw '%s' does not say where level '%s' of factor '%s' "
                                    "goes (add rows with from=%s or from=*)", dr->name,
                                    f->levels[from], f->name, f->levels[from]);
    }
    return NSM_OK;
}

/* Row `from` of the matrix comes from the rows for that level, or else from the `*` rows. */
static void fill(nsm_model *m, const spec *rows, int n, int d)
{
    nsm_draw *dr = &m->draws[d];
    int levels = m->factors[dr->factor].n_levels, own;
    for (int from = 0; from < levels; from++) {
        sum_from(rows, n, d, from, &own);
        int src = own >= 0 ? from : -1;
        for (int i = 0; i < n; i++)
            if (rows[i].draw == d && rows[i].from == src)
                dr->prob[from * levels + rows[i].to] = rows[i].p;
    }
}

nsm_status nsmi_scenario_draws(nsm_reader *r)
{
    const nsm_table *t = nsmi_reader_use(r, NSM_T_DRAWS);
    if (!t)
        return NSM_OK;
    r->m->draws = calloc((size_t)t->n_rows + 1, sizeof *r->m->draws);
    spec *rows = calloc((size_t)t->n_rows + 1, sizeof *rows);
    nsm_status s = r->m->draws && rows ? NSM_OK : NSM_ERR_NOMEM;
    for (int i = 0; s == NSM_OK && i < t->n_rows; i++)
        s = read_row(r, rows, i);
    for (int d = 0; s == NSM_OK && d < r->m->n_draws; d++)
        s = check_draw(r, rows, t->n_rows, d);
    for (int d = 0; s == NSM_OK && d < r->m->n_draws; d++)
        fill(r->m, rows, t->n_rows, d);
    free(rows);
    return s;
}
