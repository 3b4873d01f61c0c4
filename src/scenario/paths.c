/*
** paths.c: parameter paths ("transitions:f:a>b", "modifiers:3", ...) resolved against a
** model into the numbers they name, with messages that point into the cell holding the path.
** Used by levers.csv, and by anything else that names a number of a scenario.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neasim/params.h"
#include "scenario/read.h"

static const char tables[][16] = {"transitions", "modifiers",   "events", "seasonality",
                                  "draws",       "effects",     "factors", "durations"};
enum { N_TABLES = (int)(sizeof tables / sizeof tables[0]) };

typedef struct {
    nsm_reader *r;
    const nsm_cell *c; /* the cell holding the whole path */
    nsm_param *out;
    int n, cap;
} path_ctx;

static int push(path_ctx *x, nsm_param p)
{
    if (x->n == x->cap) {
        int cap = x->cap ? 2 * x->cap : 8;
        nsm_param *q = realloc(x->out, (size_t)cap * sizeof *q);
        if (!q)
            return -1;
        x->out = q;
        x->cap = cap;
    }
    x->out[x->n++] = p;
    return 0;
}

/* A cell that is the part of c starting `offset` bytes in, so that the reader's parsers point
** their carets into the path. */
static nsm_cell sub_cell(const nsm_cell *c, char *text, size_t offset)
{
    nsm_cell s = *c;
    s.text = text;
    s.column = c->column + c->quoted + (int)offset;
    s.quoted = 0;
    return s;
}

static nsm_status bad(path_ctx *x, size_t offset, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static nsm_status bad(path_ctx *x, size_t offset, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return nsmi_reader_error(x->r, x->c, offset, "%s", msg);
}

static nsm_status path_transitions(path_ctx *x, char *rest, size_t off)
{
    nsm_cell sc = sub_cell(x->c, rest, off);
    nsm_target tg;
    nsm_status st = nsmi_parse_target(x->r, &sc, &tg);
    if (st != NSM_OK)
        return st;
    if (tg.event >= 0)
        return bad(x, off, "'%s' is a counted event: its path is events:NAME:rate_per_year", rest);
    const nsm_model *m = x->r->m;
    for (int k = 0; k < m->n_transitions; k++)
        if (nsmi_target_matches(m, &tg, k) && push(x, (nsm_param){NSM_P_TRANSITION, k, 0, 0}))
            return NSM_ERR_NOMEM;
    char have[1024];
    if (x->n)
        return NSM_OK;
    nsmi_transitions_of(m, tg.factor, have, sizeof have);
    return bad(x, off, "no transition of transitions.csv matches '%s'%s", rest, have);
}

static nsm_status path_row(path_ctx *x, const char *rest, size_t off, const char *file, int *row)
{
    char *end;
    long v = strtol(rest, &end, 10);
    if (!rest[0] || *end || v < 1 || v > 1000000)
        return bad(x, off, "expected a row number of %s (from 1) here, not '%s'", file, rest);
    *row = (int)v;
    return NSM_OK;
}

/* A row of modifiers.csv or effects.csv named by its number or by its id (ids[0..n-1], may be
** NULL). A number whose row has an id is accepted with a warning: inserting or sorting rows
** retargets a number, never an id. */
static nsm_status path_ref(path_ctx *x, const char *rest, size_t off, const char *file,
                           const char (*ids)[NSM_NAME_MAX], int n, int *row)
{
    if (rest[0] >= '0' && rest[0] <= '9') {
        if (path_row(x, rest, off, file, row) != NSM_OK)
            return NSM_ERR_INPUT;
        if (ids && *row <= n && ids[*row - 1][0])
            nsm_table_warn(x->r->t, x->c, x->r->d, "row %d of %s has the id '%s': write it "
                           "instead of the row number, which moves when rows are inserted or "
                           "sorted", *row, file, ids[*row - 1]);
        return NSM_OK;
    }
    for (int j = 0; ids && j < n; j++)
        if (strcmp(ids[j], rest) == 0) {
            *row = j + 1;
            return NSM_OK;
        }
    const char *hint = ids && n ? nsm_suggest(rest, ids[0], (size_t)n, sizeof ids[0]) : NULL;
    return bad(x, off, "%s has no row with id '%s'%s%s%s (a row is named by its id, from the id "
               "column, or by its number from 1)", file, rest, hint ? "; did you mean '" : "",
               hint ? hint : "", hint ? "'?" : "");
}

static nsm_status path_modifiers(path_ctx *x, char *rest, size_t off)
{
    int row;
    const nsm_model *mm = x->r->m;
    if (path_ref(x, rest, off, "modifiers.csv", (const char(*)[NSM_NAME_MAX])mm->modifier_ids,
                 mm->n_modifier_rows, &row) != NSM_OK)
        return NSM_ERR_INPUT;
    const nsm_model *m = x->r->m;
    for (int j = 0; j < m->n_modifiers; j++)
        if (m->modifiers[j].row == row)
            return push(x, (nsm_param){NSM_P_MODIFIER, row, 0, 0}) ? NSM_ERR_NOMEM : NSM_OK;
    return bad(x, off, "modifiers.csv has no row %s: its rows are 1 to %d (counted from 1 after "
               "the header)", rest, mm->n_modifier_rows);
}

/* "NAME:field" -> name, field (split at the last colon). */
static char *split_last(char *s)
{
    char *colon = strrchr(s, ':');
    if (!colon)
        return NULL;
    *colon = '\0';
    return colon + 1;
}

static nsm_status path_events(path_ctx *x, char *rest, size_t off)
{
    char *field = split_last(rest);
    if (!field)
        return bad(x, off, "write events:%s:rate_per_year or events:NAME:dispersion", rest);
    int e = nsmi_find_event(x->r->m, rest);
    if (e < 0)
        return bad(x, off, "unknown counted event '%s'", rest);
    size_t foff = off + (size_t)(field - rest);
    if (strcmp(field, "rate_per_year") == 0)
        return push(x, (nsm_param){NSM_P_EVENT_RATE, e, 0, 0}) ? NSM_ERR_NOMEM : NSM_OK;
    if (strcmp(field, "dispersion") == 0)
        return push(x, (nsm_param){NSM_P_EVENT_DISPERSION, e, 0, 0}) ? NSM_ERR_NOMEM : NSM_OK;
    return bad(x, foff, "a counted event has the numbers rate_per_year and dispersion, not '%s'",
               field);
}

/* seasonality:TARGET:MONTHS, MONTHS as in the month cell (one month, a range, a list): every
** month it lists, of every process the target matches. */
static nsm_status path_seasonality(path_ctx *x, char *rest, size_t off)
{
    char *month = split_last(rest);
    const nsm_model *m = x->r->m;
    if (!month || !m->seasonality)
        return !month ? bad(x, off, "write seasonality:TARGET:MONTHS (a month 1-12, a range such as "
                            "3-4 or a list such as 3-4|8), not '%s'", rest)
                      : bad(x, off, "the scenario has no seasonality.csv for '%s' to change", rest);
    nsm_cell mc = sub_cell(x->c, month, off + (size_t)(month - rest));
    unsigned months;
    if (nsmi_parse_months(x->r, &mc, &months) != NSM_OK)
        return NSM_ERR_INPUT;
    nsm_cell sc = sub_cell(x->c, rest, off);
    nsm_target tg;
    nsm_status st = nsmi_parse_target(x->r, &sc, &tg);
    for (int k = 0; st == NSM_OK && k < nsm_model_n_processes(m); k++)
        for (int mo = 1; nsmi_target_matches(m, &tg, k) && mo <= 12; mo++)
            if ((months & (1u << (mo - 1))) && push(x, (nsm_param){NSM_P_SEASONALITY, k, mo, 0}))
                return NSM_ERR_NOMEM;
    return st != NSM_OK || x->n ? st : bad(x, off, "nothing matches '%s'", rest);
}

/* The case of draw d that `given` (a condition, or NULL for the default) names. */
static nsm_status draw_case(path_ctx *x, int d, char *given, size_t off, int *out)
{
    const nsm_draw *dr = &x->r->m->draws[d];
    if (!given) {
        *out = 0;
        return dr->has_default ? NSM_OK
                               : bad(x, 0, "draw '%s' has no default (a row with an empty given): "
                                     "name its case, draws:%s:FROM>TO:CONDITION", dr->name,
                                     dr->name);
    }
    nsm_cell sc = sub_cell(x->c, given, off);
    nsm_condition want = {0, 0, NULL};
    nsm_status st = nsmi_parse_condition(x->r, &sc, &want);
    *out = -1;
    for (int c = dr->has_default; st == NSM_OK && *out < 0 && c < dr->n_cases; c++) {
        *out = nsmi_condition_same(&dr->given[c], &want) ? c : -1;
    }
    free(want.clauses);
    if (st == NSM_OK && *out < 0)
        st = bad(x, off, "draw '%s' has no case given '%s' (write the condition as in its given "
                 "column)", dr->name, given);
    return st;
}

static nsm_status path_draws(path_ctx *x, char *rest, size_t off)
{
    char *colon = strchr(rest, ':'), *gt = colon ? strchr(colon, '>') : NULL;
    if (!gt)
        return bad(x, off, "write draws:DRAW:FROM>TO, not '%s'", rest);
    char *given = strchr(gt, ':');
    *colon = *gt = '\0';
    if (given)
        *given++ = '\0';
    int d, to, from, c;
    nsm_status st = nsmi_lookup_draw(x->r, x->c, off, rest, &d);
    if (st != NSM_OK)
        return st;
    const nsm_factor *f = &x->r->m->factors[x->r->m->draws[d].factor];
    int fi = x->r->m->draws[d].factor;
    size_t from_off = off + (size_t)(colon + 1 - rest), to_off = off + (size_t)(gt + 1 - rest);
    if ((st = nsmi_lookup_level(x->r, x->c, to_off, fi, gt + 1, &to)) != NSM_OK)
        return st;
    if ((st = draw_case(x, d, given, given ? off + (size_t)(given - rest) : 0, &c)) != NSM_OK)
        return st;
    int base = c * f->n_levels; /* the case's rows (model.h) */
    if (strcmp(colon + 1, "*") != 0) {
        if ((st = nsmi_lookup_level(x->r, x->c, from_off, fi, colon + 1, &from)) != NSM_OK)
            return st;
        return push(x, (nsm_param){NSM_P_DRAW, d, base + from, to}) ? NSM_ERR_NOMEM : NSM_OK;
    }
    for (from = 0; from < f->n_levels; from++)
        if (push(x, (nsm_param){NSM_P_DRAW, d, base + from, to}))
            return NSM_ERR_NOMEM;
    return NSM_OK;
}

static nsm_status path_effects(path_ctx *x, char *rest, size_t off)
{
    char *field = split_last(rest);
    int row;
    if (!field)
        return bad(x, off, "write effects:ROW:probability or effects:ROW:delay_days, not '%s'",
                   rest);
    const nsm_model *m = x->r->m;
    if (path_ref(x, rest, off, "effects.csv", (const char(*)[NSM_NAME_MAX])m->effect_ids,
                 m->n_effects, &row) != NSM_OK)
        return NSM_ERR_INPUT;
    size_t foff = off + (size_t)(field - rest);
    nsm_param_kind kind = strcmp(field, "probability") == 0  ? NSM_P_EFFECT_PROBABILITY
                          : strcmp(field, "delay_days") == 0 ? NSM_P_EFFECT_DELAY
                                                              : (nsm_param_kind)-1;
    if ((int)kind < 0)
        return bad(x, foff, "an effect has the numbers probability and delay_days, not '%s'",
                   field);
    for (int k = 0; k < m->n_effects; k++)
        if (m->effects[k].row == row)
            return push(x, (nsm_param){kind, k, 0, 0}) ? NSM_ERR_NOMEM : NSM_OK;
    int last = 0;
    for (int k = 0; k < m->n_effects; k++)
        last = m->effects[k].row > last ? m->effects[k].row : last;
    return bad(x, off, "effects.csv has no row %s: its rows are 1 to %d (counted from 1 after the "
               "header)", rest, last);
}

static nsm_status path_factors(path_ctx *x, char *rest, size_t off)
{
    char *colon = strchr(rest, ':');
    if (!colon)
        return bad(x, off, "write factors:FACTOR:LEVEL, not '%s'", rest);
    *colon = '\0';
    int f, l;
    nsm_status st = nsmi_lookup_factor(x->r, x->c, off, rest, &f);
    if (st == NSM_OK)
        st = nsmi_lookup_level(x->r, x->c, off + (size_t)(colon + 1 - rest), f, colon + 1, &l);
    if (st == NSM_OK && push(x, (nsm_param){NSM_P_INITIAL, f, l, 0}))
        return NSM_ERR_NOMEM;
    return st;
}

/* durations:FACTOR:FROM>TO:NAME, NAME a parameter of the duration's law (params.h), either side
** `*` as in transitions: paths; every matching transition must have a duration of that kind. */
static nsm_status path_durations(path_ctx *x, char *rest, size_t off)
{
    char *field = split_last(rest);
    if (!field || !strchr(rest, ':'))
        return bad(x, off, "write durations:FACTOR:FROM>TO:PARAMETER (value, low, high, shape, "
                   "scale, mu or sigma, as the duration's law has), not '%s'", rest);
    nsm_cell sc = sub_cell(x->c, rest, off);
    nsm_target tg;
    nsm_status st = nsmi_parse_target(x->r, &sc, &tg);
    if (st != NSM_OK)
        return st;
    const nsm_model *m = x->r->m;
    size_t foff = off + (size_t)(field - rest);
    for (int k = 0; tg.event < 0 && k < m->n_transitions; k++) {
        const nsm_duration *du = &m->transitions[k].duration;
        if (!nsmi_target_matches(m, &tg, k) || !du->on)
            continue;
        int j = 0;
        while (j < 2 && !(nsm_duration_param_name(du->kind, j) &&
                          strcmp(nsm_duration_param_name(du->kind, j), field) == 0))
            j++;
        if (j == 2) {
            const char *a = nsm_duration_param_name(du->kind, 0), *b = nsm_duration_param_name(du->kind, 1);
            return bad(x, foff, "the duration of %s has the numbers %s%s%s, not '%s'", rest, a,
                       b ? " and " : "", b ? b : "", field);
        }
        if (push(x, (nsm_param){NSM_P_DURATION, k, j, 0}))
            return NSM_ERR_NOMEM;
    }
    return x->n ? NSM_OK : bad(x, off, "no transition with a duration matches '%s'", rest);
}

static nsm_status (*const handlers[N_TABLES])(path_ctx *, char *, size_t) = {
    path_transitions, path_modifiers, path_events, path_seasonality,
    path_draws,       path_effects,   path_factors, path_durations};

nsm_status nsmi_parse_path(nsm_reader *r, const nsm_cell *c, nsm_param **out, int *n)
{
    path_ctx x = {r, c, NULL, 0, 0};
    *out = NULL;
    *n = 0;
    char *buf = strdup(c->text);
    if (!buf)
        return NSM_ERR_NOMEM;
    char *colon = strchr(buf, ':');
    nsm_status st = NSM_ERR_INPUT;
    if (colon)
        *colon = '\0';
    int k = 0;
    while (k < N_TABLES && strcmp(buf, tables[k]) != 0)
        k++;
    if (!colon || k == N_TABLES) {
        const char *hint = nsm_suggest(buf, tables[0], N_TABLES, sizeof tables[0]);
        nsmi_unknown(r, c, 0, "parameter path", c->text, hint && colon ? hint : NULL,
                    " (a path starts with transitions:, modifiers:, events:, seasonality:, "
                    "draws:, effects:, factors: or durations:; see scenarios/README.md)");
    } else {
        st = handlers[k](&x, colon + 1, (size_t)(colon + 1 - buf));
    }
    free(buf);
    if (st != NSM_OK) {
        free(x.out);
        return st;
    }
    *out = x.out;
    *n = x.n;
    return NSM_OK;
}
