/*
** scenario_levers.c: levers.csv: named changes to the scenario for `neasim compare`. Each row's
** path is resolved into the numbers it changes, and the row is tried alone on a variant of the
** model so that a value out of range is reported at its row, before anything runs.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neasim/params.h"
#include "scenario_read.h"

static int find_lever(const nsm_model *m, const char *name)
{
    for (int i = 0; i < m->n_levers; i++)
        if (strcmp(m->levers[i].name, name) == 0)
            return i;
    return -1;
}

static nsm_status add_lever(nsm_reader *r, int row, const char *name, int *index)
{
    nsm_model *m = r->m;
    if ((*index = find_lever(m, name)) < 0) {
        *index = m->n_levers++;
        snprintf(m->levers[*index].name, NSM_NAME_MAX, "%s", name);
    }
    nsm_lever *lv = &m->levers[*index];
    return lv->description ? NSM_OK : nsm_read_text(r, row, "description", &lv->description);
}

static nsm_status read_operation(nsm_reader *r, int row, nsm_op *op)
{
    static const char ops[2][12] = {"multiply", "set"};
    const nsm_cell *c = nsm_reader_cell(r, row, "operation");
    for (int k = 0; k < 2; k++)
        if (strcmp(c->text, ops[k]) == 0) {
            *op = k == 0 ? NSM_OP_MULTIPLY : NSM_OP_SET;
            return NSM_OK;
        }
    return nsm_unknown(r, c, 0, "operation", c->text, nsm_suggest(c->text, ops[0], 2, sizeof ops[0]),
                       " (the operations are multiply and set)");
}

static nsm_status read_from(nsm_reader *r, int row, nsm_lever_row *lr)
{
    lr->from_t = 0.0;
    lr->has_from_date = !nsm_reader_empty(r, row, "from_date");
    if (!lr->has_from_date)
        return NSM_OK;
    nsm_date d;
    nsm_status st = nsm_read_date(r, row, "from_date", &d);
    if (st != NSM_OK)
        return st;
    const nsm_cell *c = nsm_reader_cell(r, row, "from_date");
    snprintf(lr->from_date, sizeof lr->from_date, "%04d-%02d-%02d", d.year, d.month, d.day);
    lr->from_t = nsm_reader_time(r, d);
    if (lr->from_t < 0 || lr->from_t > r->m->t_end)
        return nsm_reader_error(r, c, 0, "from_date %s is outside the horizon (%04d-%02d-%02d to "
                                "%04d-%02d-%02d)", c->text, r->start.year, r->start.month,
                                r->start.day, r->end.year, r->end.month, r->end.day);
    for (int k = 0; k < lr->n_params; k++)
        if (lr->params[k].kind == NSM_P_INITIAL)
            return nsm_reader_error(r, c, 0, "an initial distribution cannot change later: leave "
                                    "from_date empty for a factors: target");
    return NSM_OK;
}

/* Apply the row alone to a variant: a value out of range is an error at the row's value. */
static nsm_status try_row(nsm_reader *r, int row, const nsm_lever_row *lr)
{
    nsm_model *v = nsm_model_variant(r->m);
    if (!v)
        return NSM_ERR_NOMEM;
    char msg[256] = "";
    int bad = 0;
    for (int k = 0; k < lr->n_params && !bad; k++)
        bad = nsm_param_apply(v, &lr->params[k], lr->op, lr->value, msg, sizeof msg);
    nsm_model_free(v);
    if (!bad)
        return NSM_OK;
    return nsm_reader_error(r, nsm_reader_cell(r, row, "value"), 0, "lever '%s' on %s: %s",
                            r->m->levers[lr->lever].name, lr->target, msg);
}

static nsm_status read_row(nsm_reader *r, int row, nsm_lever_row *lr)
{
    const char *name;
    nsm_status st = nsm_read_name(r, row, "lever", "lever", &name);
    if (st == NSM_OK)
        st = add_lever(r, row, name, &lr->lever);
    if (st == NSM_OK)
        st = nsm_parse_path(r, nsm_reader_cell(r, row, "target"), &lr->params, &lr->n_params);
    if (st == NSM_OK && !(lr->target = strdup(nsm_reader_cell(r, row, "target")->text)))
        st = NSM_ERR_NOMEM;
    if (st == NSM_OK)
        st = read_operation(r, row, &lr->op);
    if (st == NSM_OK)
        st = lr->op == NSM_OP_MULTIPLY ? nsm_read_nonnegative(r, row, "value", &lr->value)
                                       : nsm_read_number(r, row, "value", &lr->value);
    if (st == NSM_OK)
        st = read_from(r, row, lr);
    return st == NSM_OK ? try_row(r, row, lr) : st;
}

nsm_status nsm_scenario_levers(nsm_reader *r)
{
    const nsm_table *t = nsm_reader_use(r, NSM_T_LEVERS);
    if (!t)
        return NSM_OK;
    nsm_model *m = r->m;
    m->levers = calloc((size_t)t->n_rows + 1, sizeof *m->levers);
    m->lever_rows = calloc((size_t)t->n_rows + 1, sizeof *m->lever_rows);
    if (!m->levers || !m->lever_rows)
        return NSM_ERR_NOMEM;
    for (int i = 0; i < t->n_rows; i++) {
        nsm_lever_row *lr = &m->lever_rows[m->n_lever_rows++];
        lr->line = t->rows[i].line;
        nsm_status st = read_row(r, i, lr);
        if (st != NSM_OK)
            return st;
    }
    return NSM_OK;
}
