/*
** story.h: why an outcome happens, recorded during a run: the routes that lead to its onset and
** the signposts that announce it (`run --routes`, `run --signposts`; README.md, routes.csv and
** signposts.csv).
**
** Both are about onsets, whatever the outcome's `occurrence`: an onset is a change into the
** outcome's condition after the start has settled (scenarios/README.md), and only a replication's
** first onset counts.
**
** Routes. The route of an onset is the sequence of changes, from the start to the onset's instant
** (included), of the factors the outcome's route is told in (outcomes.csv `route`, or by default
** nsm_story_route_factors), each step written as the level a factor entered. Rules shorten it as
** it is recorded, so that it tells the changes still in force at the onset: a change that takes a
** factor back to its level at the start removes every step of that factor; one that takes it back
** to the level it left at the route's last step removes that step (neither for a factor of the
** outcome's own condition); and only the last NSM_ROUTE_STEPS steps are kept (the route is then
** marked as truncated: "... -> "; a factor's level at the start is kept apart from its steps, so
** that its return there is no step even once the cap has dropped them). Routes are counted
** exactly, with the report period of each onset (sparse while a route has few onsets): the table
** of one outcome grows with the distinct routes seen, which the cap on their length bounds
** whatever the number of replications (a route seen up to 4 times costs about 80 bytes). Counts
** are integers, so a merge is exact and the sorted table (nsm_story_finish) is the same for any
** number of threads.
**
** Signposts. For each outcome, watch date w and indicator j (a factor entering a level by a change
** after the start; a counted event occurring at least once after the start), over the replications
** in which the outcome has had no onset by w (at or before w): how many, how many of those have an
** onset in (w, horizon], and the same two counts among those in which j happened by w. Indicators
** at the same instant as an onset before w are thus never counted, nor anything after w.
**
** Ownership: nsm_story_alloc returns an accumulator the caller frees with nsm_story_free; it
** borrows the model. A simulator records into the accumulator set with nsm_sim_set_story.
*/
#ifndef NEASIM_STORY_H
#define NEASIM_STORY_H

#include <stdint.h>

#include "neasim/engine.h"
#include "neasim/model.h"
#include "neasim/status.h"

#define NSM_ROUTE_STEPS 6     /* steps kept of a route (the last ones) */
#define NSM_STORY_MAX_WATCH 8 /* watch dates */

typedef struct {
    int routes;                 /* record routes */
    int signposts;              /* record signposts */
    int n_watch;                /* watch dates, in years after the start (> 0, within the horizon) */
    double watch_years[NSM_STORY_MAX_WATCH];
} nsm_story_options;

typedef struct nsm_story nsm_story;

/* NULL when out of memory. Watch dates are taken as the start date plus round(12 * years) months
** (the day clamped, as report dates are); the options must already be checked (nsm_story_check). */
nsm_story *nsm_story_alloc(const nsm_model *m, const nsm_story_options *o);
/* An empty accumulator with the same options (one per thread). */
nsm_story *nsm_story_alloc_like(const nsm_story *a);
void nsm_story_free(nsm_story *a);
const nsm_story_options *nsm_story_options_of(const nsm_story *a);

/* NSM_ERR_USAGE with a message when a watch date is not within (0, horizon). */
nsm_status nsm_story_check(const nsm_model *m, const nsm_story_options *o, nsm_diag *diag);

/* The factors the routes of outcome o are told in, when outcomes.csv gives none: the outcome's own
** factors, the factors named in the conditions of modifiers of their transitions, and the factors
** whose changes trigger effects that set or draw them (what `neasim check` lists as modifiers and
** effects). Fills out[] (room for m->n_factors) in factor order; returns how many. */
int nsm_story_route_factors(const nsm_model *m, int o, int *out);

/* Add `from` into `into` (same model and options). NSM_ERR_NOMEM. */
nsm_status nsm_story_merge(nsm_story *into, const nsm_story *from);

/* Record every later replication of s into a (NULL: stop recording). The engine then reports
** NSM_ERR_NOMEM if a table could not grow. */
nsm_status nsm_sim_set_story(nsm_sim *s, nsm_story *a);

/* nsm_run (engine.h), recording routes and signposts into `story` as well (it should be fresh):
** each thread records into its own accumulator and they are merged in thread order (exactly, so
** the result is the same for any number of threads). */
nsm_status nsm_run_story(const nsm_model *m, const nsm_run_config *c, nsm_accum *out,
                         nsm_story *story, nsm_run_stats *stats, nsm_diag *diag);
/* nsm_run_batched (engine.h) recording routes and signposts: of exactly the replications of the
** batches simulated (b NULL: nsm_run_story). */
nsm_status nsm_run_story_batched(const nsm_model *m, const nsm_run_config *c,
                                 const nsm_batches *b, nsm_accum *out, nsm_story *story,
                                 nsm_run_stats *stats, nsm_diag *diag);

/* --- Reading, after all merges and nsm_story_finish --- */

/* Sort every outcome's routes: most onsets first, then by their steps (level indices, shorter
** first). After this the accumulator is read-only. NSM_ERR_NOMEM (no routes to read then). */
nsm_status nsm_story_finish(nsm_story *a);

uint64_t nsm_story_runs(const nsm_story *a);
/* Replications with an onset of outcome o (within the horizon). */
int64_t nsm_story_onsets(const nsm_story *a, int o);

typedef struct {
    int n_steps;
    int truncated;            /* earlier steps were dropped */
    const int *step;          /* flat level indices (model.h), in time order */
    int64_t onsets;
} nsm_route;

int nsm_story_n_routes(const nsm_story *a, int o);
/* Route k (0: the most common) of outcome o. */
nsm_route nsm_story_route(const nsm_story *a, int o, int k);
/* Its onsets by the report index of the onset: out[0..n_reports-1]. */
void nsm_story_route_periods(const nsm_story *a, int o, int k, int64_t *out);

/* Indicators: 0..n_levels_total-1 a factor entering flat level j; then n_levels_total + e counted
** event e occurring. */
int nsm_story_n_indicators(const nsm_story *a);

typedef struct {
    int64_t runs;     /* no onset by w */
    int64_t onsets;   /* ... and an onset in (w, horizon] */
} nsm_story_counts;

/* Over all replications without an onset by watch date w; and among those, with indicator j. */
nsm_story_counts nsm_story_watch(const nsm_story *a, int o, int w);
nsm_story_counts nsm_story_signpost(const nsm_story *a, int o, int w, int j);
/* Replications (all of them) in which indicator j happened by watch date w. */
int64_t nsm_story_fired(const nsm_story *a, int w, int j);
/* Whether indicators j and k happened by watch date w in the same replications: 1 when they did;
** when they did not, 0 but with a chance of about 2^-64 (each replication's index hashed, the
** hashes summed over the replications an indicator happened in: story_rec.c). Two such
** indicators are one signal at w, whatever the outcome: the same counts, the same signpost. */
int nsm_story_same_runs(const nsm_story *a, int w, int j, int k);
/* The watch date's time (days from the start). */
double nsm_story_watch_t(const nsm_story *a, int w);

#endif
