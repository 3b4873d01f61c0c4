/*
** paths.h: the stories of single replications, replayed exactly (`neasim trace`, `run --paths K`).
**
** A replication depends only on (model, seed, replication number), so replaying it alone gives
** what it did inside a run. Each thing the engine's observer sees (engine.h, nsm_seen) becomes a
** row of a tidy table: rep, t_years, date, kind (start | change | event), name (the factor or
** counted event), from, to, cause (start | hazard | calendar | effect), cause_name.
*/
#ifndef NEASIM_PATHS_H
#define NEASIM_PATHS_H

#include <stdint.h>

#include "neasim/arms.h"
#include "neasim/csvout.h"
#include "neasim/engine.h"
#include "neasim/model.h"
#include "neasim/status.h"

/* One thing seen, in the scenario's terms. Strings are borrowed from the model or from the
** buffers inside the struct; valid until the struct is reused. */
typedef struct {
    char date[11];
    const char *kind;   /* "start", "change", "event"; told to `neasim trace` only: "skipped",
                        ** "cancelled" (engine.h) */
    const char *name;   /* the factor or the counted event; skipped, cancelled: the action */
    const char *from;   /* "" for a start or an event */
    const char *to;     /* "" for an event */
    const char *cause;  /* "start", "hazard", "calendar", "effect" */
    char cause_name[4 * NSM_NAME_MAX + 64];
    char action[2 * NSM_NAME_MAX + 8];  /* skipped, cancelled: name points here */
    char condition[512];                /* skipped, cancelled: the condition that failed */
} nsm_seen_text;

void nsm_seen_describe(const nsm_model *m, const nsm_seen *w, nsm_seen_text *out);

/* Which replications to replay, and how: as `run --seed seed` drew them (uncertain numbers per
** replication, per block of runs_per_draw with --outer, or at their means), in the given arm
** (NULL: the scenario). */
typedef struct {
    uint64_t seed, first_rep, n_reps;
    nsm_uncertainty uncertainty;
    uint64_t runs_per_draw;   /* NSM_UNCERTAINTY_OUTER only */
    const nsm_arm *arm;
    uint64_t max_events;  /* 0: NSM_DEFAULT_MAX_EVENTS */
    int skips;            /* also tell what conditions stopped (nsm_sim_tell_skips): the trace's
                          ** table does, paths.csv does not */
} nsm_paths_spec;

/* Replay the replications, telling fn (with ctx) everything seen (engine.h, nsm_observer);
** *rep_now (may be NULL) holds the replication being told. The status of the first replication
** that fails, with its message. */
nsm_status nsm_paths_replay(const nsm_model *m, const nsm_paths_spec *p, nsm_observer fn,
                            void *ctx, uint64_t *rep_now, nsm_diag *diag);

/* Replay the replications and write their rows to c (already open; with header, the header row
** first). The status of the first replication that fails, with its message. */
nsm_status nsm_paths_rows(nsm_csv *c, const nsm_model *m, const nsm_paths_spec *p, int header,
                          nsm_diag *diag);

/* The same into dir/paths.csv. */
nsm_status nsm_paths_write(const char *dir, const nsm_model *m, const nsm_paths_spec *p, int bom,
                           nsm_diag *diag);

#endif
