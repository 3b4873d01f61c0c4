/*
** story.c: the accumulator of routes and signposts (story.h). The recording is in story_rec.c.
**
** Routes are counted exactly in a hash table per outcome (open addressing, linear probing, at most
** half full), keyed by the route's steps. Entries keep the order in which they were first seen,
** which depends on the threads; nsm_story_finish sorts them by a total order on (onsets, steps), so
** what is read does not.
*/
#include "neasim/story.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/internal.h"

nsm_status nsm_story_check(const nsm_model *m, const nsm_story_options *o, nsm_diag *diag)
{
    double horizon = (double)m->horizon_months / 12.0;
    if (o->n_watch < 0 || o->n_watch > NSM_STORY_MAX_WATCH)
        return nsm_diag_error(diag, NSM_ERR_USAGE, "at most %d watch dates", NSM_STORY_MAX_WATCH);
    for (int w = 0; w < o->n_watch; w++) {
        double y = o->watch_years[w];
        long months = lround(12.0 * y);
        if (!(y > 0) || months < 1 || months >= m->horizon_months)
            return nsm_diag_error(diag, NSM_ERR_USAGE, "watch date %g years is not within the "
                                  "horizon (0 to %g years, ends excluded, at least a month)", y,
                                  horizon);
    }
    return NSM_OK;
}

nsm_story *nsm_story_alloc(const nsm_model *m, const nsm_story_options *o)
{
    nsm_story *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->m = m;
    a->opt = *o;
    a->n_ind = m->n_levels_total + m->n_events;
    for (int w = 0; w < o->n_watch; w++)
        a->watch_t[w] = m->month_t[lround(12.0 * o->watch_years[w])];
    size_t O = (size_t)m->n_outcomes, W = (size_t)o->n_watch, J = (size_t)a->n_ind;
    a->onsets = calloc(O + 1, sizeof *a->onsets);
    int ok = a->onsets != NULL;
    if (ok && o->routes) {
        ok = (a->routes = calloc(O + 1, sizeof *a->routes)) != NULL;
    }
    if (ok && o->signposts) {
        a->watch = calloc(O * W + 1, sizeof *a->watch);
        a->sign = calloc(O * W * J + 1, sizeof *a->sign);
        a->fired = calloc(W * J + 1, sizeof *a->fired);
        a->print = calloc(W * J + 1, sizeof *a->print);
        ok = a->watch && a->sign && a->fired && a->print;
    }
    if (!ok) {
        nsm_story_free(a);
        return NULL;
    }
    return a;
}

nsm_story *nsm_story_alloc_like(const nsm_story *a)
{
    return nsm_story_alloc(a->m, &a->opt);
}

void nsm_story_free(nsm_story *a)
{
    if (!a)
        return;
    for (int o = 0; a->routes && o < a->m->n_outcomes; o++) {
        for (int j = 0; j < a->routes[o].n; j++)
            free(a->routes[o].e[j].period);
        free(a->routes[o].e);
        free(a->routes[o].slot);
        free(a->routes[o].order);
    }
    free(a->routes);
    free(a->onsets);
    free(a->watch);
    free(a->sign);
    free(a->fired);
    free(a->print);
    free(a);
}

const nsm_story_options *nsm_story_options_of(const nsm_story *a)
{
    return &a->opt;
}

/* ---------------------------------------------------------------- default route factors */

static int cond_names(const nsm_condition *c, int f)
{
    for (int k = 0; k < c->n_clauses; k++)
        if (c->clauses[k].factor == f)
            return 1;
    return 0;
}

static void mark_cond(const nsm_condition *c, int *in)
{
    for (int k = 0; k < c->n_clauses; k++)
        in[c->clauses[k].factor] = 1;
}

int nsm_story_route_factors(const nsm_model *m, int o, int *out)
{
    const nsm_outcome *oc = &m->outcomes[o];
    if (oc->route) {
        memcpy(out, oc->route, (size_t)oc->n_route * sizeof *out);
        return oc->n_route;
    }
    /* the marks in out itself, compacted in place below (out[n] with n <= f is a mark already
    ** read): nothing to allocate, so no way to come back with fewer factors than there are */
    int *in = out;
    memset(in, 0, (size_t)m->n_factors * sizeof *in);
    mark_cond(&oc->cond, in);
    for (int j = 0; j < m->n_modifiers; j++) {
        int p = m->modifiers[j].process;
        if (p < m->n_transitions && cond_names(&oc->cond, m->transitions[p].factor))
            mark_cond(&m->modifiers[j].cond, in);
    }
    for (int x = 0; x < m->n_effects; x++) {
        const nsm_effect *e = &m->effects[x];
        int f = e->action.kind == NSM_ACT_SET ? e->action.factor
                : e->action.kind == NSM_ACT_DRAW ? m->draws[e->action.draw].factor : -1;
        if (f < 0 || !cond_names(&oc->cond, f))
            continue;
        if (e->trigger_event < 0)
            in[e->trigger_factor] = 1;
        mark_cond(&e->when, in); /* the state in which the trigger counts */
        mark_cond(&e->when_due, in); /* and the one in which the action runs */
    }
    int n = 0;
    for (int f = 0; f < m->n_factors; f++)
        if (in[f])
            out[n++] = f;
    return n;
}

/* ---------------------------------------------------------------- the route tables */

static uint64_t route_hash(const nsmi_route_entry *k)
{
    uint64_t h = UINT64_C(1469598103934665603) ^ (uint64_t)(k->n_steps * 2 + k->truncated);
    for (int s = 0; s < k->n_steps; s++)
        h = (h ^ (uint64_t)(uint32_t)k->step[s]) * UINT64_C(1099511628211);
    return h ^ (h >> 29);
}

static int same_route(const nsmi_route_entry *a, const nsmi_route_entry *b)
{
    return a->n_steps == b->n_steps && a->truncated == b->truncated &&
           memcmp(a->step, b->step, (size_t)a->n_steps * sizeof a->step[0]) == 0;
}

static int *find_slot(const nsmi_route_table *t, const nsmi_route_entry *k)
{
    size_t mask = (size_t)t->n_slots - 1;
    for (size_t i = (size_t)route_hash(k) & mask;; i = (i + 1) & mask)
        if (t->slot[i] < 0 || same_route(&t->e[t->slot[i]], k))
            return &t->slot[i];
}

static int rehash(nsmi_route_table *t, int n_slots)
{
    int *slot = malloc((size_t)n_slots * sizeof *slot);
    if (!slot)
        return -1;
    for (int i = 0; i < n_slots; i++)
        slot[i] = -1;
    free(t->slot);
    t->slot = slot;
    t->n_slots = n_slots;
    for (int j = 0; j < t->n; j++)
        *find_slot(t, &t->e[j]) = j;
    return 0;
}

/* Room for one more entry and a slot index at most half full. */
static int table_room(nsmi_route_table *t)
{
    if (t->n == t->cap) {
        int cap = t->cap ? 2 * t->cap : 8;
        nsmi_route_entry *e = realloc(t->e, (size_t)cap * sizeof *e);
        if (!e)
            return -1;
        t->e = e;
        t->cap = cap;
    }
    if (2 * (t->n + 1) > t->n_slots)
        return rehash(t, t->n_slots ? 2 * t->n_slots : 16);
    return 0;
}

/* The entry of route k in table t, added (with no onsets) when new; -1 when out of memory. */
static int route_entry(nsmi_route_table *t, const nsmi_route_entry *k)
{
    if (t->n_slots) {
        int *s = find_slot(t, k);
        if (*s >= 0)
            return *s;
    }
    if (table_room(t))
        return -1;
    int j = t->n++;
    t->e[j] = *k;
    t->e[j].onsets = 0;
    t->e[j].period = NULL;
    *find_slot(t, k) = j;
    return j;
}

/* `count` onsets of entry e in report period i: kept in e->small while they are few, then in a
** dense row. -1 when out of memory. */
static int entry_add(nsmi_route_entry *e, int i, int64_t count, int cols)
{
    if (!e->period && count == 1 && e->onsets < NSMI_ROUTE_SMALL) {
        e->small[e->onsets++] = i;
        return 0;
    }
    if (!e->period) {
        if (!(e->period = calloc((size_t)cols, sizeof *e->period)))
            return -1;
        for (int64_t k = 0; k < e->onsets; k++)
            e->period[e->small[k]]++;
    }
    e->period[i] += count;
    e->onsets += count;
    return 0;
}

int nsmi_story_add_route(nsm_story *a, int o, const nsmi_route_entry *key, int i,
                         int64_t count)
{
    nsmi_route_table *t = &a->routes[o];
    int j = route_entry(t, key);
    return j < 0 ? -1 : entry_add(&t->e[j], i, count, a->m->n_reports);
}

static void add_counts(nsm_story_counts *into, const nsm_story_counts *from, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        into[k].runs += from[k].runs;
        into[k].onsets += from[k].onsets;
    }
}

static nsm_status merge_routes(nsmi_route_table *into, const nsmi_route_table *from, int cols)
{
    for (int k = 0; k < from->n; k++) {
        int j = route_entry(into, &from->e[k]);
        if (j < 0)
            return NSM_ERR_NOMEM;
        const nsmi_route_entry *f = &from->e[k];
        int bad = 0;
        for (int i = 0; f->period && i < cols; i++)
            bad |= f->period[i] && entry_add(&into->e[j], i, f->period[i], cols);
        for (int64_t s = 0; !f->period && s < f->onsets; s++)
            bad |= entry_add(&into->e[j], f->small[s], 1, cols);
        if (bad)
            return NSM_ERR_NOMEM;
    }
    return NSM_OK;
}

nsm_status nsm_story_merge(nsm_story *into, const nsm_story *from)
{
    const nsm_model *m = into->m;
    size_t O = (size_t)m->n_outcomes, W = (size_t)into->opt.n_watch, J = (size_t)into->n_ind;
    into->runs += from->runs;
    for (size_t o = 0; o < O; o++)
        into->onsets[o] += from->onsets[o];
    for (int o = 0; into->routes && o < m->n_outcomes; o++)
        if (merge_routes(&into->routes[o], &from->routes[o], m->n_reports) != NSM_OK)
            return NSM_ERR_NOMEM;
    if (into->watch) {
        add_counts(into->watch, from->watch, O * W);
        add_counts(into->sign, from->sign, O * W * J);
        for (size_t k = 0; k < W * J; k++) {
            into->fired[k] += from->fired[k];
            into->print[k] += from->print[k]; /* modulo 2^64 */
        }
    }
    return NSM_OK;
}

/* ---------------------------------------------------------------- reading */

static int route_cmp(const nsmi_route_entry *a, const nsmi_route_entry *b)
{
    if (a->onsets != b->onsets)
        return a->onsets > b->onsets ? -1 : 1;
    if (a->truncated != b->truncated)
        return a->truncated - b->truncated;
    if (a->n_steps != b->n_steps)
        return a->n_steps - b->n_steps;
    for (int s = 0; s < a->n_steps; s++)
        if (a->step[s] != b->step[s])
            return a->step[s] < b->step[s] ? -1 : 1;
    return 0;
}

/* A merge sort of idx[0..n) by route_cmp (qsort has no context argument in C17, and a static one
** would not be safe for two accumulators finished at once). */
static void sort_routes(const nsmi_route_entry *e, int *idx, int *tmp, int n)
{
    if (n < 2)
        return;
    int h = n / 2;
    sort_routes(e, idx, tmp, h);
    sort_routes(e, idx + h, tmp, n - h);
    int i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = route_cmp(&e[idx[j]], &e[idx[i]]) < 0 ? idx[j++] : idx[i++];
    while (i < h)
        tmp[k++] = idx[i++];
    while (j < n)
        tmp[k++] = idx[j++];
    memcpy(idx, tmp, (size_t)n * sizeof *idx);
}

nsm_status nsm_story_finish(nsm_story *a)
{
    nsm_status st = NSM_OK;
    for (int o = 0; a->routes && o < a->m->n_outcomes; o++) {
        nsmi_route_table *t = &a->routes[o];
        free(t->order);
        t->order = malloc(((size_t)t->n + 1) * sizeof *t->order);
        int *tmp = malloc(((size_t)t->n + 1) * sizeof *tmp);
        if (!t->order || !tmp) { /* nothing to read rather than a wrong order */
            free(tmp);
            free(t->order);
            t->order = NULL;
            st = NSM_ERR_NOMEM;
            continue;
        }
        for (int k = 0; k < t->n; k++)
            t->order[k] = k;
        sort_routes(t->e, t->order, tmp, t->n);
        free(tmp);
    }
    return st;
}

uint64_t nsm_story_runs(const nsm_story *a)
{
    return a->runs;
}

int64_t nsm_story_onsets(const nsm_story *a, int o)
{
    return a->onsets[o];
}

int nsm_story_n_routes(const nsm_story *a, int o)
{
    return a->routes && a->routes[o].order ? a->routes[o].n : 0;
}

nsm_route nsm_story_route(const nsm_story *a, int o, int k)
{
    const nsmi_route_table *t = &a->routes[o];
    int j = t->order[k];
    const nsmi_route_entry *e = &t->e[j];
    nsm_route r = {e->n_steps, e->truncated, e->step, e->onsets};
    return r;
}

void nsm_story_route_periods(const nsm_story *a, int o, int k, int64_t *out)
{
    const nsmi_route_entry *e = &a->routes[o].e[a->routes[o].order[k]];
    int cols = a->m->n_reports;
    if (e->period) {
        memcpy(out, e->period, (size_t)cols * sizeof *out);
        return;
    }
    memset(out, 0, (size_t)cols * sizeof *out);
    for (int64_t s = 0; s < e->onsets; s++)
        out[e->small[s]]++;
}

int nsm_story_n_indicators(const nsm_story *a)
{
    return a->n_ind;
}

nsm_story_counts nsm_story_watch(const nsm_story *a, int o, int w)
{
    return a->watch[o * a->opt.n_watch + w];
}

nsm_story_counts nsm_story_signpost(const nsm_story *a, int o, int w, int j)
{
    return a->sign[((size_t)o * (size_t)a->opt.n_watch + (size_t)w) * (size_t)a->n_ind + (size_t)j];
}

int64_t nsm_story_fired(const nsm_story *a, int w, int j)
{
    return a->fired[(size_t)w * (size_t)a->n_ind + (size_t)j];
}

int nsm_story_same_runs(const nsm_story *a, int w, int j, int k)
{
    size_t x = (size_t)w * (size_t)a->n_ind;
    return a->fired[x + (size_t)j] == a->fired[x + (size_t)k] &&
           a->print[x + (size_t)j] == a->print[x + (size_t)k];
}

double nsm_story_watch_t(const nsm_story *a, int w)
{
    return a->watch_t[w];
}
