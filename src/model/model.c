/*
** model.c: the compiled model's destructor and the stream numbers derived from process names.
*/
#include <stdlib.h>

#include "neasim/model.h"

/* FNV-1a, 64-bit (Fowler, Noll, Vo): simple, stable across platforms, good enough dispersion for
** a few thousand names; the reader checks that a model's streams are distinct. */
static uint64_t fnv1a(uint64_t h, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h ^= *p;
        h *= 1099511628211u;
    }
    return h;
}

uint32_t nsm_stream_id(const char *kind, const char *name)
{
    uint64_t h = fnv1a(14695981039346656037u, kind);
    h = fnv1a(h, ":");
    h = fnv1a(h, name);
    return (uint32_t)(h ^ (h >> 32));
}

static void free_factors(nsm_factor *f, int n)
{
    for (int i = 0; f && i < n; i++) {
        free(f[i].description);
        free(f[i].label);
        for (int l = 0; f[i].level_labels && l < f[i].n_levels; l++)
            free(f[i].level_labels[l]);
        free(f[i].level_labels);
        free(f[i].levels);
        free(f[i].initial);
        free(f[i].entered);
    }
    free(f);
}

static void free_modifiers(nsm_modifier *mod, int n)
{
    for (int i = 0; mod && i < n; i++)
        free(mod[i].cond.clauses);
    free(mod);
}

static void free_events(nsm_event *e, int n)
{
    for (int i = 0; e && i < n; i++) {
        free(e[i].description);
        free(e[i].label);
    }
    free(e);
}

static void free_draws(nsm_draw *d, int n)
{
    for (int i = 0; d && i < n; i++) {
        free(d[i].label);
        free(d[i].prob);
        for (int c = 0; d[i].given && c < d[i].n_cases; c++)
            free(d[i].given[c].clauses);
        free(d[i].given);
    }
    free(d);
}

void nsm_outcomes_free(nsm_outcome *o, int n)
{
    for (int i = 0; o && i < n; i++) {
        free(o[i].description);
        free(o[i].label);
        free(o[i].cond.clauses);
        free(o[i].route);
    }
    free(o);
}

static void free_levers(nsm_model *m)
{
    for (int i = 0; m->levers && i < m->n_levers; i++) {
        free(m->levers[i].description);
        free(m->levers[i].label);
    }
    for (int i = 0; m->lever_rows && i < m->n_lever_rows; i++) {
        free(m->lever_rows[i].target);
        free(m->lever_rows[i].params);
    }
    free(m->levers);
    free(m->lever_rows);
    for (int i = 0; m->uncertain && i < m->n_uncertain; i++)
        free(m->uncertain[i].params);
    free(m->uncertain);
}

/* A variant (params.c, nsm_model_variant) shares everything with its base but the arrays that
** levers and draws change; freeing it frees only those. Kept here, with the base's destructor, so
** that model.c never calls up into params.c. */
void nsm_model_variant_free(nsm_model *v)
{
    for (int f = 0; v->factors && f < v->n_factors; f++)
        free(v->factors[f].initial);
    for (int d = 0; v->draws && d < v->n_draws; d++)
        free(v->draws[d].prob);
    free(v->transitions);
    free(v->events);
    free(v->modifiers);
    free(v->effects);
    free(v->seasonality);
    free(v->factors);
    free(v->draws);
    free(v);
}

void nsm_model_free(nsm_model *m)
{
    if (!m)
        return;
    if (m->variant_of) {
        nsm_model_variant_free(m);
        return;
    }
    free_levers(m);
    free(m->title);
    free(m->label);
    free(m->description);
    free(m->extends);
    free(m->report_t);
    free(m->report_date);
    free(m->month_t);
    free(m->month_start_t);
    free(m->month_start_month);
    free_factors(m->factors, m->n_factors);
    free(m->transitions);
    free_events(m->events, m->n_events);
    free_modifiers(m->modifiers, m->n_modifiers);
    free(m->seasonality);
    free_draws(m->draws, m->n_draws);
    for (int c = 0; m->calendar_when && c < m->n_calendar_names; c++)
        free(m->calendar_when[c].clauses);
    free(m->calendar_when);
    free(m->modifier_ids);
    for (int r = 0; m->modifier_labels && r < m->n_modifier_rows; r++)
        free(m->modifier_labels[r]);
    free(m->modifier_labels);
    free(m->effect_ids);
    free(m->calendar_names);
    free(m->calendar_stream);
    free(m->occurrences);
    for (int x = 0; m->effects && x < m->n_effects; x++) {
        free(m->effects[x].when.clauses);
        free(m->effects[x].when_due.clauses);
    }
    free(m->effects);
    nsm_outcomes_free(m->outcomes, m->n_outcomes);
    free(m);
}

int nsm_model_has_labels(const nsm_model *m)
{
    for (int f = 0; f < m->n_factors; f++) {
        if (m->factors[f].label)
            return 1;
        for (int l = 0; m->factors[f].level_labels && l < m->factors[f].n_levels; l++)
            if (m->factors[f].level_labels[l])
                return 1;
    }
    for (int e = 0; e < m->n_events; e++)
        if (m->events[e].label)
            return 1;
    for (int o = 0; o < m->n_outcomes; o++)
        if (m->outcomes[o].label)
            return 1;
    for (int l = 0; l < m->n_levers; l++)
        if (m->levers[l].label)
            return 1;
    for (int r = 0; m->modifier_labels && r < m->n_modifier_rows; r++)
        if (m->modifier_labels[r])
            return 1;
    return 0;
}
