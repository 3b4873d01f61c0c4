/*
** streams.c: the check that no two processes of a model draw from the same random
** stream. Stream numbers are 32-bit hashes of process names (model.c), so two names collide with
** a chance of about n^2 / 2^33: negligible, but a collision would silently correlate two
** processes, so it is an error (rename one of them).
*/
#include <stdio.h>
#include <stdlib.h>

#include "scenario/read.h"

typedef struct {
    uint32_t id;
    char name[4 * NSM_NAME_MAX]; /* "kind:name", as in scenarios/README.md */
} stream;

static void add(stream *s, int *n, uint32_t id, const char *kind, const char *name)
{
    s[*n].id = id;
    snprintf(s[*n].name, sizeof s[*n].name, "%s:%s", kind, name);
    ++*n;
}

static void add_transitions(const nsm_model *m, stream *s, int *n)
{
    for (int i = 0; i < m->n_transitions; i++) {
        const nsm_transition *tr = &m->transitions[i];
        const nsm_factor *f = &m->factors[tr->factor];
        char name[3 * NSM_NAME_MAX];
        snprintf(name, sizeof name, "%s:%s>%s", f->name, f->levels[tr->from], f->levels[tr->to]);
        add(s, n, tr->stream, "transition", name);
        if (tr->duration.on)
            add(s, n, tr->duration.stream, "duration", name);
    }
}

static int collect(const nsm_model *m, stream *s)
{
    int n = 0;
    for (int i = 0; i < m->n_factors; i++)
        add(s, &n, m->factors[i].stream, "init", m->factors[i].name);
    add_transitions(m, s, &n);
    for (int i = 0; i < m->n_events; i++) {
        add(s, &n, m->events[i].stream, "event", m->events[i].name);
        add(s, &n, m->events[i].gamma_stream, "gamma", m->events[i].name);
    }
    for (int i = 0; i < m->n_calendar_names; i++)
        add(s, &n, m->calendar_stream[i], "calendar", m->calendar_names[i]);
    for (int i = 0; i < m->n_effects; i++) {
        char row[16];
        snprintf(row, sizeof row, "%d", m->effects[i].row);
        add(s, &n, m->effects[i].stream, "effect", row);
    }
    return n;
}

static int by_id(const void *pa, const void *pb)
{
    const stream *a = pa, *b = pb;
    return (a->id > b->id) - (a->id < b->id);
}

nsm_status nsmi_scenario_check_streams(const nsm_model *m, const char *dir, nsm_diag *d)
{
    size_t most = (size_t)(m->n_factors + 2 * m->n_transitions + 2 * m->n_events +
                           m->n_calendar_names + m->n_effects);
    stream *s = malloc((most + 1) * sizeof *s);
    if (!s)
        return NSM_ERR_NOMEM;
    int n = collect(m, s);
    qsort(s, (size_t)n, sizeof *s, by_id);
    nsm_status st = NSM_OK;
    for (int i = 1; st == NSM_OK && i < n; i++)
        if (s[i].id == s[i - 1].id)
            st = nsm_diag_error(d, NSM_ERR_INPUT, "%s: error: the random streams of '%s' and '%s' "
                                "have the same number %u (a one in four billion chance): rename "
                                "one of them", dir, s[i - 1].name, s[i].name, s[i].id);
    free(s);
    return st;
}
