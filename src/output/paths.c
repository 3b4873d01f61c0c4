/*
** paths.c: the stories of single replications as a tidy table (see paths.h).
*/
#include "neasim/paths.h"

#include <stdio.h>
#include <stdlib.h>

#include "neasim/outdir.h"
#include "neasim/params.h"

static void cause_name(const nsm_model *m, const nsm_seen *w, char *name, size_t n)
{
    switch (w->cause) {
    case NSM_CAUSE_START:
        /* whether the start was a draw at all, and how likely the level drawn was: a trace's
        ** story begins from today's uncertain state, and the reader should see which of it was */
        if (w->share >= 1.0)
            snprintf(name, n, "initial level (share 1: certain)");
        else if (w->share >= 0.9995) /* would print as 1, which is the certain start's */
            snprintf(name, n, "initial draw (share above 0.999)");
        else
            snprintf(name, n, "initial draw (share %.3g)", w->share);
        break;
    case NSM_CAUSE_HAZARD: nsm_process_name(m, w->cause_index, name, n); break;
    case NSM_CAUSE_CALENDAR: {
        const nsm_occurrence *oc = &m->occurrences[w->cause_index];
        snprintf(name, n, "%s (calendar.csv row %d)", m->calendar_names[oc->entry], oc->row);
        break;
    }
    case NSM_CAUSE_EFFECT: {
        /* the change that sets it off, as check and the trace table say it ("a change of k from
        ** p to q"), or the event */
        const nsm_effect *e = &m->effects[w->cause_index];
        char trigger[4 * NSM_NAME_MAX + 32];
        nsm_trigger_format(m, e, trigger, sizeof trigger);
        snprintf(name, n, "effect of %s (effects.csv row %d)", trigger, e->row);
        break;
    }
    case NSM_CAUSE_DURATION: {
        char proc[3 * NSM_NAME_MAX + 4];
        nsm_process_name(m, w->cause_index, proc, sizeof proc);
        snprintf(name, n, "duration of %s (transitions.csv line %d)", proc,
                 m->transitions[w->cause_index].source_line);
        break;
    }
    }
}

void nsm_seen_describe(const nsm_model *m, const nsm_seen *w, nsm_seen_text *out)
{
    static const char *const kinds[] = {"start", "change", "event", "skipped", "cancelled"};
    static const char *const causes[] = {"start", "hazard", "calendar", "effect", "duration"};
    nsm_model_date(m, w->t, out->date);
    out->kind = kinds[w->kind];
    out->cause = causes[w->cause];
    cause_name(m, w, out->cause_name, sizeof out->cause_name);
    out->condition[0] = '\0';
    if (w->kind == NSM_SEEN_SKIPPED || w->kind == NSM_SEEN_CANCELLED) {
        const nsm_condition *c;
        const nsm_action *a;
        if (w->cause == NSM_CAUSE_CALENDAR) {
            const nsm_occurrence *oc = &m->occurrences[w->cause_index];
            c = &m->calendar_when[oc->entry];
            a = &oc->action;
        } else {
            const nsm_effect *e = &m->effects[w->cause_index];
            c = w->kind == NSM_SEEN_SKIPPED ? &e->when : &e->when_due;
            a = &e->action;
        }
        nsm_action_format(m, a, out->action, sizeof out->action);
        nsm_condition_format(m, c, out->condition, sizeof out->condition);
        out->name = out->action;
        out->from = out->to = "";
        return;
    }
    if (w->kind == NSM_SEEN_EVENT) {
        out->name = m->events[w->event].name;
        out->from = out->to = "";
        return;
    }
    const nsm_factor *f = &m->factors[w->factor];
    out->name = f->name;
    out->from = w->from >= 0 ? f->levels[w->from] : "";
    out->to = f->levels[w->to];
}

nsm_status nsm_paths_replay(const nsm_model *m, const nsm_paths_spec *p, nsm_observer fn,
                            void *ctx, uint64_t *rep_now, nsm_diag *diag)
{
    nsm_sim *s = nsm_sim_alloc(m);
    nsm_accum *acc = nsm_accum_alloc(m); /* the engine adds to one; the story is the point */
    nsm_status st = s && acc ? NSM_OK : nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
    if (st == NSM_OK && p->arm)
        st = nsm_sim_set_arm(s, p->arm);
    if (st == NSM_OK)
        st = nsm_sim_set_uncertainty(s, p->uncertainty, p->runs_per_draw ? p->runs_per_draw : 1);
    if (st == NSM_OK) {
        nsm_sim_set_limits(s, p->max_events, NULL);
        nsm_sim_set_observer(s, fn, ctx);
        nsm_sim_tell_skips(s, p->skips);
    }
    for (uint64_t k = 0; st == NSM_OK && k < p->n_reps; k++) {
        if (rep_now)
            *rep_now = p->first_rep + k;
        st = nsm_sim_replicate(s, p->seed, p->first_rep + k, acc, diag);
    }
    nsm_accum_free(acc);
    nsm_sim_free(s);
    return st;
}

typedef struct {
    nsm_csv *c;
    const nsm_model *m;
    uint64_t rep; /* the replication being told (nsm_paths_replay sets it) */
} row_ctx;

static void row(void *ctx, const nsm_seen *w)
{
    row_ctx *r = ctx;
    nsm_seen_text t;
    nsm_seen_describe(r->m, w, &t);
    nsm_csv_int(r->c, (int64_t)r->rep);
    nsm_csv_fixed(r->c, nsm_years(w->t), 6);
    nsm_csv_text(r->c, t.date);
    nsm_csv_text(r->c, t.kind);
    nsm_csv_text(r->c, t.name);
    nsm_csv_text(r->c, t.from);
    nsm_csv_text(r->c, t.to);
    nsm_csv_text(r->c, t.cause);
    nsm_csv_text(r->c, t.cause_name);
    nsm_csv_end_row(r->c);
}

nsm_status nsm_paths_rows(nsm_csv *c, const nsm_model *m, const nsm_paths_spec *p, int header,
                          nsm_diag *diag)
{
    static const char *const H[] = {"rep", "t_years", "date", "kind", "name", "from", "to",
                                    "cause", "cause_name", NULL};
    if (header)
        nsm_csv_header(c, H);
    row_ctx ctx = {c, m, 0};
    return nsm_paths_replay(m, p, row, &ctx, &ctx.rep, diag);
}

nsm_status nsm_paths_write(const char *dir, const nsm_model *m, const nsm_paths_spec *p, int bom,
                           nsm_diag *diag)
{
    char *path = nsm_path_join(dir, "paths.csv");
    nsm_csv c;
    nsm_status st = path ? nsm_csv_open(&c, path, bom, diag)
                         : nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
    if (st == NSM_OK) {
        st = nsm_paths_rows(&c, m, p, 1, diag);
        nsm_status cst = nsm_csv_close(&c, st == NSM_OK ? diag : NULL);
        st = st == NSM_OK ? cst : st;
    }
    free(path);
    return st;
}
