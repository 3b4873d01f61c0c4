/*
** uncertain.c: numbers written as distributions. nsmi_read_number read each as its mean
** and noted it; here each is tied to the numbers of the model it stands for (several for a `*`
** row), given its canonical parameter path and its own random stream, and its support is checked
** against the number's range (a probability cannot follow a gamma distribution).
**
** Then every value a run can draw is tried on a copy of the model, so that what `run` would refuse
** is refused here, at the cell. A draw lies between the distribution's quantiles at 1e-12 and
** 1 - 1e-12 (designs use that range, and uncertain.c clamps a per-replication draw into it), and
** each check in params.c is monotone in the value, so the two ends are enough for one number. The
** probabilities of one row interact (each draw rescales the others), so those are tried at every
** combination of ends, in the order a run applies them.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neasim/params.h"
#include "scenario/read.h"

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
    return nsmi_reader_cell(r, row, column)->text;
}

/* Does row `row` of transitions.csv give transition k? Its own row when `from` is a level; for
** `*`, every level of the factor that no row names explicitly. Matched by names, not by line: in a
** scenario that extends a base, rows of different files share line numbers. */
static int row_gives(nsm_reader *r, int row, int k)
{
    const nsm_model *m = r->m;
    const nsm_transition *tr = &m->transitions[k];
    const nsm_factor *f = &m->factors[tr->factor];
    const char *from = text(r, row, "from");
    if (strcmp(text(r, row, "factor"), f->name) || strcmp(text(r, row, "to"), f->levels[tr->to]))
        return 0;
    if (strcmp(from, "*") != 0)
        return strcmp(from, f->levels[tr->from]) == 0;
    for (int j = 0; j < r->t->n_rows; j++)
        if (!strcmp(text(r, j, "factor"), f->name) && !strcmp(text(r, j, "to"), f->levels[tr->to]) &&
            !strcmp(text(r, j, "from"), f->levels[tr->from]))
            return 0;
    return 1;
}

static int transitions_of_row(nsm_reader *r, const nsm_noted_dist *nd, nsm_uncertain *u)
{
    const nsm_model *m = r->m;
    snprintf(u->path, sizeof u->path, "transitions:%s:%s>%s", text(r, nd->row, "factor"),
             text(r, nd->row, "from"), text(r, nd->row, "to"));
    for (int k = 0; k < m->n_transitions; k++)
        if (row_gives(r, nd->row, k) && push(u, (nsm_param){NSM_P_TRANSITION, k, 0, 0}))
            return -1;
    return 0;
}

/* Levels `from` of a draw given by row `row`: its own level, or for `*` the levels with no row. */
static int draw_of_row(nsm_reader *r, const nsm_noted_dist *nd, nsm_uncertain *u)
{
    const nsm_model *m = r->m;
    const char *name = text(r, nd->row, "draw"), *from = text(r, nd->row, "from");
    int d = nsmi_find_draw(m, name), f = m->draws[d].factor, n = m->factors[f].n_levels;
    int to = nsmi_find_level(&m->factors[f], text(r, nd->row, "to"));
    int c = nsmi_draw_row_case(r, nd->row, d); /* 0 for a draw without `given` */
    if (c < 0)
        return -1;
    snprintf(u->path, sizeof u->path, "draws:%s:%s>%s", name, from, text(r, nd->row, "to"));
    if (c > 0) { /* a conditioned case: its condition, as nsm_param_path writes it */
        size_t len = strlen(u->path);
        if (len + 1 < sizeof u->path) {
            u->path[len] = ':';
            nsm_condition_format(m, &m->draws[d].given[c], u->path + len + 1,
                                 sizeof u->path - len - 1);
        }
    }
    for (int l = 0; l < n; l++) {
        int own = 0;
        for (int j = 0; j < r->t->n_rows; j++)
            own |= strcmp(text(r, j, "draw"), name) == 0 &&
                   strcmp(text(r, j, "from"), m->factors[f].levels[l]) == 0 &&
                   nsmi_draw_row_case(r, j, d) == c;
        int mine = strcmp(from, "*") == 0 ? !own : strcmp(from, m->factors[f].levels[l]) == 0;
        if (mine && push(u, (nsm_param){NSM_P_DRAW, d, c * n + l, to}))
            return -1;
    }
    return 0;
}

/* A row of several months is one number: one path (its months in canonical form, so a
** single-month row keeps the path `seasonality:TARGET:3`), one stream, one draw per replication,
** scaled into each of its months. */
static int seasonality_of_row(nsm_reader *r, const nsm_noted_dist *nd, nsm_uncertain *u)
{
    const nsm_model *m = r->m;
    nsm_target tg;
    unsigned months;
    char spec[64];
    if (nsmi_parse_target(r, nsmi_reader_cell(r, nd->row, "target"), &tg) != NSM_OK ||
        nsmi_parse_months(r, nsmi_reader_cell(r, nd->row, "month"), &months) != NSM_OK)
        return -1;
    nsm_months_format(months, spec, sizeof spec);
    snprintf(u->path, sizeof u->path, "seasonality:%s:%s", text(r, nd->row, "target"), spec);
    u->ratio = 1; /* rows on overlapping targets multiply: scale by draw / mean */
    for (int p = 0; p < nsm_model_n_processes(m); p++)
        for (int mo = 1; nsmi_target_matches(m, &tg, p) && mo <= 12; mo++)
            if ((months & (1u << (mo - 1))) &&
                push(u, (nsm_param){NSM_P_SEASONALITY, p, mo, 0}))
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
        int e = nsmi_find_event(m, text(r, row, "event"));
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
        int f = nsmi_find_factor(m, text(r, row, "factor"));
        snprintf(u->path, sizeof u->path, "factors:%s:%s", m->factors[f].name,
                 text(r, row, "level"));
        return push(u, (nsm_param){NSM_P_INITIAL, f,
                                   nsmi_find_level(&m->factors[f], text(r, row, "level")), 0});
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
    const nsm_cell *c = nsmi_reader_cell(r, nd->row, nd->column);
    if (probability && (lo < 0 || hi > 1))
        return nsmi_reader_error(r, c, 0, "%s is a probability, but '%s' can take values outside "
                                "[0, 1]: use beta(a,b), or uniform, triangular or pert within "
                                "0 and 1", nd->column, c->text);
    if (lo < 0)
        return nsmi_reader_error(r, c, 0, "%s cannot be negative, but '%s' can take values below "
                                "0", nd->column, c->text);
    return NSM_OK;
}

/* The range a draw can take (see the file's header); the quantile fails or overflows for
** distributions such as lognormal(700, 2). */
static nsm_status draw_range(nsm_reader *r, const nsm_noted_dist *nd, nsm_uncertain *u)
{
    const nsm_cell *c = nsmi_reader_cell(r, nd->row, nd->column);
    u->lo = nsm_dist_quantile(&nd->dist, 0.0);
    u->hi = nsm_dist_quantile(&nd->dist, 1.0);
    if (!isfinite(u->lo) || !isfinite(u->hi))
        return nsmi_reader_error(r, c, 0, "'%s' cannot be drawn: its range (quantiles 1e-12 to "
                                "1 - 1e-12) is [%g, %g], not finite numbers; narrow it", c->text,
                                u->lo, u->hi);
    if (u->ratio && !(u->nominal > 0))
        return nsmi_reader_error(r, c, 0, "'%s' has mean %g: a seasonal multiplier written as a "
                                "distribution is scaled by draw / mean, so its mean must be above "
                                "0", c->text, u->nominal);
    return NSM_OK;
}

/* Do u and w change numbers of one probability row (an initial distribution, or one `from` row of
** a draw)? */
static int same_row(const nsm_uncertain *u, const nsm_uncertain *w)
{
    for (int i = 0; i < u->n_params; i++)
        for (int j = 0; j < w->n_params; j++) {
            const nsm_param *p = &u->params[i], *q = &w->params[j];
            if (p->kind == q->kind && p->a == q->a &&
                (p->kind == NSM_P_INITIAL || (p->kind == NSM_P_DRAW && p->b == q->b)))
                return 1;
        }
    return 0;
}

/* Apply u's value x as a run does (arms.c, apply_draws). */
static nsm_status apply(nsm_model *v, const nsm_uncertain *u, double x, nsm_diag *d)
{
    nsm_status st = NSM_OK;
    for (int i = 0; i < u->n_params && st == NSM_OK; i++)
        st = nsm_param_apply(v, &u->params[i], u->ratio ? NSM_OP_MULTIPLY : NSM_OP_SET,
                             u->ratio ? x / u->nominal : x, d);
    return st;
}

#define MAX_ROW_COMBINATIONS 12 /* 2^12 tries; a wider row is tried at its two uniform corners */

/* The numbers of group g (indices into m->uncertain, in the order a run applies them) at the
** ends given by the bits of `ends`; on failure, the message at the cell of the one that failed. */
static nsm_status try_ends(nsm_reader *r, nsm_model *v, const int *g, int n, unsigned ends)
{
    const nsm_model *m = r->m;
    nsm_status st = NSM_OK;
    nsm_model_variant_reset(v, m);
    for (int i = 0; i < n && st == NSM_OK; i++) {
        const nsm_uncertain *u = &m->uncertain[g[i]];
        double x = (ends >> i) & 1u ? u->hi : u->lo;
        nsm_diag why;
        nsm_diag_init(&why);
        if (apply(v, u, x, &why) == NSM_OK)
            continue;
        const nsm_noted_dist *nd = &r->dists[g[i]];
        r->t = &r->tables[nd->table];
        const nsm_cell *c = nsmi_reader_cell(r, nd->row, nd->column);
        if (n == 1)
            st = nsmi_reader_error(r, c, 0, "'%s' can draw %.9g (the %s end of its range), and "
                                  "then %s", c->text, x, (ends & 1u) ? "upper" : "lower",
                                  why.error);
        else
            st = nsmi_reader_error(r, c, 0, "'%s' can draw %.9g while the other distributions of "
                                  "its row are at an end of their range, and then %s", c->text, x,
                                  why.error);
        nsm_diag_release(&why);
    }
    return st;
}

/* Uncertain number k with the numbers that share its probability row (if k is the first of
** them: each row is tried once). */
static nsm_status try_number(nsm_reader *r, nsm_model *v, int k, int *g)
{
    const nsm_model *m = r->m;
    int n = 0;
    for (int j = 0; j < m->n_uncertain; j++)
        if (j == k || (m->uncertain[j].n_params > 0 && same_row(&m->uncertain[k], &m->uncertain[j]))) {
            if (j < k)
                return NSM_OK;
            g[n++] = j;
        }
    unsigned all = n < 32 ? (1u << n) - 1 : ~0u;
    for (unsigned ends = 0; ends <= all; ends++) {
        unsigned e = n <= MAX_ROW_COMBINATIONS ? ends : ends ? ~0u : 0u;
        nsm_status st = try_ends(r, v, g, n, e);
        if (st != NSM_OK)
            return st;
        if (n > MAX_ROW_COMBINATIONS && ends)
            break;
        if (ends == all)
            break;
    }
    return NSM_OK;
}

static nsm_status check_draws(nsm_reader *r)
{
    const nsm_model *m = r->m;
    nsm_model *v = nsm_model_variant(m);
    int *g = malloc((size_t)m->n_uncertain * sizeof *g + 1);
    nsm_status st = v && g ? NSM_OK : NSM_ERR_NOMEM;
    for (int k = 0; st == NSM_OK && k < m->n_uncertain; k++)
        if (m->uncertain[k].n_params > 0)
            st = try_number(r, v, k, g);
    free(g);
    if (v)
        nsm_model_free(v);
    return st;
}

nsm_status nsmi_scenario_uncertain(nsm_reader *r)
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
        st = draw_range(r, nd, u);
        if (st != NSM_OK)
            return st;
        u->stream = nsm_stream_id("param", u->path);
        u->file = r->t->schema->file;
        u->line = r->t->rows[nd->row].line;
    }
    return check_draws(r);
}
