/*
** story_rec.c: what the engine tells a routes-and-signposts accumulator (story.h) during one
** replication. Nothing here runs unless nsm_sim_set_story was called: the engine's hooks are one
** test of a NULL pointer each (make bench measures that).
**
** Per outcome the recorder keeps the route so far as its last NSM_ROUTE_STEPS steps, and
** the time of its first onset; per indicator the time it first happened. At the end of the
** replication the route of each onset is already in the accumulator (added at the onset), and the
** signpost counts are added from the times.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/internal.h"

typedef struct {
    int factor, level, prev; /* entered `level`, leaving `prev` */
} step;

typedef struct {
    step s[NSM_ROUTE_STEPS]; /* oldest first; n of them (a few: shifting costs nothing) */
    int n, truncated;
} route;

struct nsmi_recorder {
    nsm_story *acc;                 /* borrowed */
    int *rf_start, *rf_list;        /* outcomes whose routes a factor is told in (compressed rows) */
    unsigned char *rf_own;          /* beside rf_list: the factor is in the outcome's condition */
    route *route;                   /* [outcome] */
    int *start_level;               /* [factor]: its level at the start, once it has changed (the
                                    ** `from` of its first change after the start); else -1. Kept
                                    ** here, not in the steps: a factor whose steps the cap has
                                    ** dropped still has a level at the start to come back to */
    double *onset_t;                /* [outcome]: first onset, or infinity */
    double *first_t;                /* [indicator]: first time, or infinity */
    int *fired, n_fired;            /* indicators in the order they first happened */
    uint64_t rep_hash;              /* this replication's index, hashed (add_signposts) */
};

static const double never = (double)INFINITY;

void nsmi_story_free(nsm_sim *s)
{
    struct nsmi_recorder *r = s->story;
    if (!r)
        return;
    free(r->rf_start);
    free(r->rf_list);
    free(r->rf_own);
    free(r->route);
    free(r->start_level);
    free(r->onset_t);
    free(r->first_t);
    free(r->fired);
    free(r);
    s->story = NULL;
}

/* Outcomes by the factors of their routes, as nsmi_group's compressed rows. */
static int index_routes(struct nsmi_recorder *r, const nsm_model *m)
{
    int *fs = calloc((size_t)m->n_factors + 1, sizeof *fs);
    int *key = calloc((size_t)m->n_outcomes * (size_t)m->n_factors + 1, sizeof *key);
    int *owner = calloc((size_t)m->n_outcomes * (size_t)m->n_factors + 1, sizeof *owner);
    int n = 0, rc = fs && key && owner ? 0 : -1;
    for (int o = 0; rc == 0 && o < m->n_outcomes; o++) {
        int k = nsm_story_route_factors(m, o, fs);
        for (int j = 0; j < k; j++, n++) {
            key[n] = fs[j];
            owner[n] = o;
        }
    }
    if (rc == 0)
        rc = nsmi_group(key, n, m->n_factors, &r->rf_start, &r->rf_list);
    r->rf_own = rc == 0 ? calloc((size_t)n + 1, 1) : NULL;
    rc = rc == 0 && !r->rf_own ? -1 : rc;
    for (int j = 0; rc == 0 && j < n; j++) {
        int o = owner[r->rf_list[j]], f = key[r->rf_list[j]];
        const nsm_condition *c = &m->outcomes[o].cond;
        for (int k = 0; k < c->n_clauses; k++)
            r->rf_own[j] |= c->clauses[k].factor == f;
        r->rf_list[j] = o;
    }
    free(fs);
    free(key);
    free(owner);
    return rc;
}

nsm_status nsm_sim_set_story(nsm_sim *s, nsm_story *a)
{
    const nsm_model *m = s->model0;
    nsmi_story_free(s);
    if (!a)
        return NSM_OK;
    struct nsmi_recorder *r = calloc(1, sizeof *r);
    if (!r)
        return NSM_ERR_NOMEM;
    s->story = r;
    r->acc = a;
    size_t O = (size_t)m->n_outcomes + 1, J = (size_t)nsm_story_n_indicators(a) + 1;
    r->route = calloc(O, sizeof *r->route);
    r->start_level = calloc((size_t)m->n_factors + 1, sizeof *r->start_level);
    r->onset_t = calloc(O, sizeof *r->onset_t);
    r->first_t = calloc(J, sizeof *r->first_t);
    r->fired = calloc(J, sizeof *r->fired);
    if (!r->route || !r->start_level || !r->onset_t || !r->first_t || !r->fired ||
        index_routes(r, m)) {
        nsmi_story_free(s);
        return NSM_ERR_NOMEM;
    }
    return NSM_OK;
}

/* The first output of SplitMix64 seeded with rep (Steele, Lea and Flood 2014): a bijection of
** 64-bit words whose outputs for consecutive inputs look independent, so that sums of them over
** two different sets of replications coincide with a chance of about 2^-64. Written here: GSL
** has no integer hash. */
static uint64_t hash_rep(uint64_t rep)
{
    uint64_t z = rep + 0x9E3779B97F4A7C15u;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

void nsmi_story_begin(nsm_sim *s, uint64_t rep)
{
    struct nsmi_recorder *r = s->story;
    r->rep_hash = hash_rep(rep);
    const nsm_model *m = s->model0;
    int J = nsm_story_n_indicators(r->acc);
    for (int o = 0; o < m->n_outcomes; o++) {
        r->route[o].n = r->route[o].truncated = 0;
        r->onset_t[o] = never;
    }
    for (int j = 0; j < J; j++)
        r->first_t[j] = never;
    for (int f = 0; f < m->n_factors; f++)
        r->start_level[f] = -1;
    r->n_fired = 0;
}

static void indicator(struct nsmi_recorder *r, int j, double t)
{
    if (r->first_t[j] < never)
        return;
    r->first_t[j] = t;
    r->fired[r->n_fired++] = j;
}

static void route_drop(route *rt, int k)
{
    memmove(&rt->s[k], &rt->s[k + 1], (size_t)(rt->n - k - 1) * sizeof rt->s[0]);
    rt->n--;
}

/* The rules of story.h: a change back to the factor's level at the start (`start`) removes all
** its steps; one back to where the last step came from removes that step (neither for a factor of
** the outcome's own condition: its return may be the onset itself); otherwise a step is added, the
** oldest dropped beyond NSM_ROUTE_STEPS. */
static void route_push(route *rt, int f, int from, int to, int start, int own)
{
    if (to == start && !own) {
        for (int k = rt->n - 1; k >= 0; k--)
            if (rt->s[k].factor == f)
                route_drop(rt, k);
        return;
    }
    if (!own && rt->n > 0 && rt->s[rt->n - 1].factor == f && rt->s[rt->n - 1].prev == to) {
        rt->n--;
        return;
    }
    if (rt->n == NSM_ROUTE_STEPS) {
        route_drop(rt, 0);
        rt->truncated = 1;
    }
    rt->s[rt->n++] = (step){f, to, from};
}

void nsmi_story_change(nsm_sim *s, int f, int from, int to)
{
    struct nsmi_recorder *r = s->story;
    const nsm_model *m = s->model0;
    indicator(r, m->factors[f].first_level + to, s->t);
    if (!r->acc->routes)
        return;
    if (r->start_level[f] < 0)
        r->start_level[f] = from;
    for (int k = r->rf_start[f]; k < r->rf_start[f + 1]; k++) {
        int o = r->rf_list[k];
        if (r->onset_t[o] == never)
            route_push(&r->route[o], f, from, to, r->start_level[f], r->rf_own[k]);
    }
}

void nsmi_story_event(nsm_sim *s, int e)
{
    indicator(s->story, s->model0->n_levels_total + e, s->t);
}

void nsmi_story_onset(nsm_sim *s, int o, int i)
{
    struct nsmi_recorder *r = s->story;
    if (r->onset_t[o] < never)
        return;
    r->onset_t[o] = s->t;
    r->acc->onsets[o]++;
    if (!r->acc->routes)
        return;
    const nsm_model *m = s->model0;
    const route *rt = &r->route[o];
    nsmi_route_entry key = {rt->n, rt->truncated, {0}, 0, {0}, NULL};
    for (int k = 0; k < rt->n; k++)
        key.step[k] = m->factors[rt->s[k].factor].first_level + rt->s[k].level;
    if (nsmi_story_add_route(r->acc, o, &key, i, 1))
        s->failed = NSM_FAILED_NOMEM;
}

/* The signpost counts of one replication (story.h). fired[] is in time order, so the indicators
** by watch date w are a prefix of it. */
static void add_signposts(struct nsmi_recorder *r, const nsm_model *m)
{
    nsm_story *a = r->acc;
    int W = a->opt.n_watch, J = a->n_ind;
    for (int w = 0; w < W; w++) {
        double tw = a->watch_t[w];
        int n = 0;
        while (n < r->n_fired && r->first_t[r->fired[n]] <= tw) {
            size_t x = (size_t)w * (size_t)J + (size_t)r->fired[n++];
            a->fired[x]++;
            a->print[x] += r->rep_hash; /* modulo 2^64 */
        }
        for (int o = 0; o < m->n_outcomes; o++) {
            if (r->onset_t[o] <= tw)
                continue;
            int64_t later = r->onset_t[o] < never;
            nsm_story_counts *c = &a->watch[o * W + w];
            c->runs++;
            c->onsets += later;
            nsm_story_counts *sg = &a->sign[((size_t)o * (size_t)W + (size_t)w) * (size_t)J];
            for (int k = 0; k < n; k++) {
                sg[r->fired[k]].runs++;
                sg[r->fired[k]].onsets += later;
            }
        }
    }
}

void nsmi_story_end(nsm_sim *s)
{
    struct nsmi_recorder *r = s->story;
    r->acc->runs++;
    if (r->acc->watch)
        add_signposts(r, s->model0);
}
