/*
** scenario_arms.c: see arms.h. Whole scenarios as the arms of a comparison: what must match for
** their tables to line up (dates, factors, counted events), the outcomes they share, and the arms
** that run each scenario as it is.
*/
#include "neasim/arms.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static nsm_status differ(nsm_diag *d, const char *a, const char *b, const char *what)
{
    return nsm_diag_error(d, NSM_ERR_INPUT, "neasim compare: scenarios '%s' and '%s' %s: whole "
                          "scenarios are compared on the same report dates, factors and counted "
                          "events (compare a variant with the levers of one scenario instead, or "
                          "make the tables match)", a, b, what);
}

static nsm_status same_dates(const nsm_model *x, const nsm_model *y, nsm_diag *d)
{
    char what[160];
    if (strcmp(x->report_date[0], y->report_date[0]) != 0) {
        snprintf(what, sizeof what, "start on different dates (%s, %s)", x->report_date[0],
                 y->report_date[0]);
        return differ(d, x->name, y->name, what);
    }
    if (x->n_reports != y->n_reports) {
        snprintf(what, sizeof what, "have %d and %d report dates (horizon_years or "
                 "report_interval_months differ)", x->n_reports, y->n_reports);
        return differ(d, x->name, y->name, what);
    }
    for (int i = 0; i < x->n_reports; i++)
        if (strcmp(x->report_date[i], y->report_date[i]) != 0) {
            snprintf(what, sizeof what, "report on different dates (%s, %s)", x->report_date[i],
                     y->report_date[i]);
            return differ(d, x->name, y->name, what);
        }
    return NSM_OK;
}

static nsm_status same_factors(const nsm_model *x, const nsm_model *y, nsm_diag *d)
{
    char what[400];
    int n = x->n_factors < y->n_factors ? x->n_factors : y->n_factors;
    for (int f = 0; f < n; f++) {
        const nsm_factor *a = &x->factors[f], *b = &y->factors[f];
        int same = strcmp(a->name, b->name) == 0 && a->n_levels == b->n_levels;
        for (int l = 0; same && l < a->n_levels; l++)
            same = strcmp(a->levels[l], b->levels[l]) == 0;
        if (!same) {
            snprintf(what, sizeof what, "differ in factor %d ('%s' vs '%s', or its levels)",
                     f + 1, a->name, b->name);
            return differ(d, x->name, y->name, what);
        }
    }
    if (x->n_factors != y->n_factors) {
        snprintf(what, sizeof what, "have %d and %d factors", x->n_factors, y->n_factors);
        return differ(d, x->name, y->name, what);
    }
    return NSM_OK;
}

static nsm_status same_events(const nsm_model *x, const nsm_model *y, nsm_diag *d)
{
    char what[300];
    int same = x->n_events == y->n_events;
    for (int e = 0; same && e < x->n_events; e++)
        same = strcmp(x->events[e].name, y->events[e].name) == 0;
    if (!same) {
        snprintf(what, sizeof what, "have different counted events (%d and %d in events.csv, or "
                 "other names or order)", x->n_events, y->n_events);
        return differ(d, x->name, y->name, what);
    }
    /* a count of dates and a count of occurrences are different numbers: no difference of them */
    for (int e = 0; e < x->n_events; e++)
        if (x->events[e].counts_dates != y->events[e].counts_dates) {
            snprintf(what, sizeof what, "count '%s' differently (events.csv, counts: %s and %s)",
                     x->events[e].name, x->events[e].counts_dates ? "dates" : "occurrences",
                     y->events[e].counts_dates ? "dates" : "occurrences");
            return differ(d, x->name, y->name, what);
        }
    return NSM_OK;
}

/* The outcome of m named like o with the same occurrence kind, or -1. */
static int find_outcome(const nsm_model *m, const nsm_outcome *o)
{
    for (int k = 0; k < m->n_outcomes; k++)
        if (strcmp(m->outcomes[k].name, o->name) == 0 && m->outcomes[k].occurrence == o->occurrence)
            return k;
    return -1;
}

static void note(char *buf, size_t size, const char *outcome, const char *scenario)
{
    size_t n = strlen(buf);
    if (n + 1 < size)
        snprintf(buf + n, size - n, "%s%s (not in %s)", n ? ", " : "", outcome, scenario);
}

/* Keep in m the outcomes keep[0..n-1] (indices into m->outcomes), in that order. */
static nsm_status keep_outcomes(nsm_model *m, const int *keep, int n)
{
    nsm_outcome *o = calloc((size_t)n + 1, sizeof *o);
    if (!o)
        return NSM_ERR_NOMEM;
    for (int k = 0; k < n; k++) { /* moved: what they own goes with them */
        o[k] = m->outcomes[keep[k]];
        memset(&m->outcomes[keep[k]], 0, sizeof *o);
    }
    nsm_outcomes_free(m->outcomes, m->n_outcomes); /* the dropped ones, and the old array */
    m->outcomes = o;
    m->n_outcomes = n;
    return NSM_OK;
}

/* Outcomes of models[0] that every model has, in models[0]'s order; the rest noted. */
static nsm_status common_outcomes(nsm_model *const *models, int n, char *dropped, size_t size,
                                  int *n_dropped)
{
    const nsm_model *m0 = models[0];
    int *keep = calloc((size_t)n * ((size_t)m0->n_outcomes + 1), sizeof *keep);
    int n_keep = 0;
    if (!keep)
        return NSM_ERR_NOMEM;
    for (int o = 0; o < m0->n_outcomes; o++) {
        int in_all = 1;
        for (int a = 1; a < n && in_all; a++)
            if (find_outcome(models[a], &m0->outcomes[o]) < 0) {
                in_all = 0;
                note(dropped, size, m0->outcomes[o].name, models[a]->name);
            }
        for (int a = 0; in_all && a < n; a++)
            keep[a * (m0->n_outcomes + 1) + n_keep] = find_outcome(models[a], &m0->outcomes[o]);
        n_keep += in_all;
        *n_dropped += !in_all;
    }
    for (int a = 1; a < n; a++)
        for (int o = 0; o < models[a]->n_outcomes; o++)
            if (find_outcome(m0, &models[a]->outcomes[o]) < 0) {
                note(dropped, size, models[a]->outcomes[o].name, m0->name);
                (*n_dropped)++;
            }
    nsm_status s = NSM_OK;
    for (int a = n - 1; s == NSM_OK && a >= 0; a--)
        s = keep_outcomes(models[a], &keep[a * (m0->n_outcomes + 1)], n_keep);
    free(keep);
    return s;
}

nsm_status nsm_models_align(nsm_model *const *models, int n, char *dropped, size_t size,
                            int *n_dropped, nsm_diag *d)
{
    nsm_status s = NSM_OK;
    *n_dropped = 0;
    if (size)
        dropped[0] = 0;
    for (int a = 1; s == NSM_OK && a < n; a++) {
        for (int b = 0; b < a; b++)
            if (strcmp(models[b]->name, models[a]->name) == 0)
                return nsm_diag_error(d, NSM_ERR_INPUT, "neasim compare: two scenarios are named "
                                      "'%s': the arms are named after the scenarios (the `name` "
                                      "of scenario.csv), so give each its own", models[a]->name);
        s = same_dates(models[0], models[a], d);
        if (s == NSM_OK)
            s = same_factors(models[0], models[a], d);
        if (s == NSM_OK)
            s = same_events(models[0], models[a], d);
    }
    return s == NSM_OK ? common_outcomes(models, n, dropped, size, n_dropped) : s;
}

nsm_status nsm_arms_of_scenarios(const nsm_model *const *models, int n, nsm_arm **out)
{
    nsm_arm *arms = calloc((size_t)n, sizeof *arms);
    *out = arms;
    for (int a = 0; arms && a < n; a++) {
        nsm_arm *x = &arms[a];
        snprintf(x->name, sizeof x->name, "%s", models[a]->name);
        x->label = models[a]->label;
        x->n_phases = 1;
        x->phase_t = calloc(1, sizeof *x->phase_t);
        x->phase_model = calloc(1, sizeof *x->phase_model);
        if (!x->phase_t || !x->phase_model)
            return NSM_ERR_NOMEM;
        x->phase_model[0] = (nsm_model *)(uintptr_t)models[a]; /* borrowed: owns_models 0 */
    }
    return arms ? NSM_OK : NSM_ERR_NOMEM;
}
