/*
** scenario_uncertain.c: numbers written as distributions. nsm_read_number read each as its mean
** and noted it; here each is tied to the numbers of the model it stands for (several for a `*`
** row), given its canonical parameter path and its own random stream, and its support is checked
** against the number's range (a probability cannot follow a gamma distribution).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_read.h"

static int push(nsm_uncertain *u, nsm_param p)
{
    nsm_param *q = realloc(u->params, ((size_t)u->n_params + 1) * sizeof *q);
    if (!q)
        return -1;
    u->params = q;
    u->params[u->n_params++] = p;
    return 0;
}

static const char *text(nsm_reader *r, int row, const char *column)
{
    return nsm_reader_cell(r, row, column)->text;
}

static int transitions_of_row(nsm_reader *r, const nsm_noted_dist *nd, nsm_uncertain *u)
{
    const nsm_model *m = r->m;
    int line = r->t->rows[nd->row].line;
    snprintf(u->path, sizeof u->path, "transitions:%s:%s>%s", text(r, nd->row, "factor"),
             text(r, nd->row, "from"), text(r, nd->row, "to"));
    for (int k = 0; k < m->n_transitions; k++)
        if (m->transitions[k].source_line == line && push(u, (nsm_param){NSM_P_TRANSITION, k, 0, 0}))
            return -1;
    return 0;
}

/* Levels `from` of a draw given by row `row`: its own level, or for `*` the levels with no row. */
static int draw_of_row(nsm_reader *r, const nsm_noted_dist *nd, nsm_uncertain *u)
{
    const nsm_model *m = r->m;
    const char *name = text(r, nd->row, "draw"), *from = text(r, nd->row, "from");
    int d = nsm_find_draw(m, name), f = m->draws[d].factor;
    int to = nsm_find_level(&m->factors[f], text(r, nd->row, "to"));
    snprintf(u->path, sizeof u->path, "draws:%s:%s>%s", name, from, text(r, nd->row, "to"));
    for (int l = 0; l < m->factors[f].n_levels; l++) {
        int own = 0;
        for (int j = 0; j < r->t->n_rows; j++)
            own |= strcmp(text(r, j, "draw"), name) == 0 &&
                   strcmp(text(r, j, "from"), m->factors[f].levels[l]) == 0;
        int mine = strcmp(from, "*") == 0 ? !own : strcmp(from, m->factors[f].levels[l]) == 0;
        if (mine && push(u, (nsm_param){NSM_P_DRAW, d, l, to}))
            return -1;
    }
    return 0;
}

static int seasonality_of_row(nsm_reader *r, const nsm_noted_dist *nd, nsm_uncertain *u)
{
    const nsm_model *m = r->m;
    nsm_target tg;
    int month = atoi(text(r, nd->row, "month"));
    if (nsm_parse_target(r, nsm_reader_cell(r, nd->row, "target"), &tg) != NSM_OK)
        return -1;
    snprintf(u->path, sizeof u->path, "seasonality:%s:%d", text(r, nd->row, "target"), month);
    u->ratio = 1; /* rows on overlapping targets multiply: scale by draw / mean */
    for (int p = 0; p < nsm_model_n_processes(m); p++)
        if (nsm_target_matches(m, &tg, p) && push(u, (nsm_param){NSM_P_SEASONALITY, p, month, 0}))
            return -1;
    return 0;
}

/* The numbers the noted cell stands for, and its path. */
static int resolve(nsm_reader *r, const nsm_noted_dist *nd, nsm_uncertain *u)
{
    const nsm_model *m = r->m;
    int row = nd->row;
    switch (nd->table) {
    case NSM_T_TRANSITIONS: return transitions_of_row(r, nd, u);
    case NSM_T_DRAWS: return draw_of_row(r, nd, u);
    case NSM_T_SEASONALITY: return seasonality_of_row(r, nd, u);
    case NSM_T_MODIFIERS:
        snprintf(u->path, sizeof u->path, "modifiers:%d", row + 1);
        return push(u, (nsm_param){NSM_P_MODIFIER, row + 1, 0, 0});
    case NSM_T_EVENTS: {
        int e = nsm_find_event(m, text(r, row, "event"));
        int rate = strcmp(nd->column, "rate_per_year") == 0;
        snprintf(u->path, sizeof u->path, "events:%s:%s", m->events[e].name, nd->column);
        return push(u, (nsm_param){rate ? NSM_P_EVENT_RATE : NSM_P_EVENT_DISPERSION, e, 0, 0});
    }
    case NSM_T_EFFECTS:
        snprintf(u->path, sizeof u->path, "effects:%d:%s", row + 1, nd->column);
        for (int x = 0; x < m->n_effects; x++)
            if (m->effects[x].row == row + 1)
                return push(u, (nsm_param){strcmp(nd->column, "probability") == 0
                                               ? NSM_P_EFFECT_PROBABILITY
                                               : NSM_P_EFFECT_DELAY,
                                           x, 0, 0});
        return 0;
    case NSM_T_FACTORS: {
        int f = nsm_find_factor(m, text(r, row, "factor"));
        snprintf(u->path, sizeof u->path, "factors:%s:%s", m->factors[f].name,
                 text(r, row, "level"));
        return push(u, (nsm_param){NSM_P_INITIAL, f,
                                   nsm_find_level(&m->factors[f], text(r, row, "level")), 0});
    }
    }
    return 0;
}

/* Is every value the distribution can take a valid value of the number? */
static nsm_status check_support(nsm_reader *r, const nsm_noted_dist *nd, const nsm_uncertain *u)
{
    double lo, hi;
    nsm_dist_support(&nd->dist, &lo, &hi);
    const nsm_param *p = &u->params[0];
    int probability = p->kind == NSM_P_DRAW || p->kind == NSM_P_INITIAL ||
                      p->kind == NSM_P_EFFECT_PROBABILITY ||
                      (p->kind == NSM_P_TRANSITION &&
                       r->m->transitions[p->a].unit == NSM_UNIT_ANNUAL_PROBABILITY);
    const nsm_cell *c = nsm_reader_cell(r, nd->row, nd->column);
    if (probability && (lo < 0 || hi > 1))
        return nsm_reader_error(r, c, 0, "%s is a probability, but '%s' can take values outside "
                                "[0, 1]: use beta(a,b), or uniform, triangular or pert within "
                                "0 and 1", nd->column, c->text);
    if (lo < 0)
        return nsm_reader_error(r, c, 0, "%s cannot be negative, but '%s' can take values below "
                                "0", nd->column, c->text);
    return NSM_OK;
}

nsm_status nsm_scenario_uncertain(nsm_reader *r)
{
    nsm_model *m = r->m;
    if (r->n_dists == 0)
        return NSM_OK;
    m->uncertain = calloc((size_t)r->n_dists, sizeof *m->uncertain);
    if (!m->uncertain)
        return NSM_ERR_NOMEM;
    for (int k = 0; k < r->n_dists; k++) {
        const nsm_noted_dist *nd = &r->dists[k];
        nsm_uncertain *u = &m->uncertain[m->n_uncertain++];
        r->t = &r->tables[nd->table];
        if (resolve(r, nd, u))
            return r->d->error ? NSM_ERR_INPUT : NSM_ERR_NOMEM;
        if (u->n_params == 0)
            continue;
        nsm_status st = check_support(r, nd, u);
        if (st != NSM_OK)
            return st;
        u->kind = (int)nd->dist.kind;
        memcpy(u->p, nd->dist.p, sizeof u->p);
        nsm_dist_format(&nd->dist, u->text, sizeof u->text);
        u->nominal = nsm_dist_mean(&nd->dist);
        u->stream = nsm_stream_id("param", u->path);
        u->file = r->t->schema->file;
        u->line = r->t->rows[nd->row].line;
    }
    return NSM_OK;
}
