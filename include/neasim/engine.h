/*
** engine.h: exact simulation of one replication, and a parallel run of many.
**
** The engine is the modified next reaction method (Anderson 2007): every hazard process
** (transition or counted event) has its own unit-rate clock and its own random stream, so the
** path is exact in continuous time and a change to one process's rate perturbs only the paths that
** depend on it. The semantics are written down in scenarios/README.md ("Semantics").
**
** Lifecycle (msprime's): nsm_sim_alloc -> nsm_sim_replicate (any number of times, any order of
** replications) -> nsm_sim_free. A simulator is a per-thread workspace; it borrows the model (const)
** and owns its streams and scratch arrays. nsm_run() drives one simulator per thread.
*/
#ifndef NEASIM_ENGINE_H
#define NEASIM_ENGINE_H

#include <stdint.h>

#include "neasim/accum.h"
#include "neasim/arms.h"
#include "neasim/model.h"
#include "neasim/status.h"

typedef struct nsm_sim nsm_sim;

/* What an observer is told, in the order it happens: each factor's initial level (kind START, at
** t = 0, from = -1), every change of a factor's level (CHANGE), every occurrence of a counted event
** (EVENT: factor = -1, event set). cause says what did it: the start, a hazard firing (cause_index
** = the process: a transition k < n_transitions, else counted event k - n_transitions), a calendar
** occurrence (index into m->occurrences), an effect (index into m->effects) or the end of a
** transition's duration (DURATION: index into m->transitions).
** Told only to an observer that asks (nsm_sim_tell_skips): what a condition stopped, with
** factor, from, to and event -1: a calendar occurrence whose `when` fails (SKIPPED, cause
** CALENDAR), a trigger of an effect whose `when` fails (SKIPPED, cause EFFECT: told whatever the
** row's chance would have said) and an effect due whose `when_due` fails (CANCELLED, cause
** EFFECT). */
typedef enum {
    NSM_SEEN_START,
    NSM_SEEN_CHANGE,
    NSM_SEEN_EVENT,
    NSM_SEEN_SKIPPED,
    NSM_SEEN_CANCELLED
} nsm_seen_kind;
typedef enum {
    NSM_CAUSE_START,
    NSM_CAUSE_HAZARD,
    NSM_CAUSE_CALENDAR,
    NSM_CAUSE_EFFECT,
    NSM_CAUSE_DURATION
} nsm_cause;
typedef struct {
    nsm_seen_kind kind;
    double t;               /* days from the start (model.h) */
    int factor, from, to;   /* START and CHANGE: levels within the factor */
    int event;              /* EVENT: the counted event; -1 otherwise */
    nsm_cause cause;
    int cause_index;
    /* EVENT: 1 when the occurrence is not counted, being one of an event that counts dates
    ** (events.csv `counts`) on a date that already had one in this replication; 0 otherwise */
    int same_date;
    /* START: the probability the level had in this replication's draw of the starting levels
    ** (factors.csv `initial`, its uncertain shares as drawn for the replication): 1 when the level
    ** was certain. 0 otherwise */
    double share;
} nsm_seen;

/* Called for everything above (replay: `neasim trace`; tests compare paths with it). It must not
** call back into the simulator; `what` is borrowed for the call. */
typedef void (*nsm_observer)(void *ctx, const nsm_seen *what);

nsm_sim *nsm_sim_alloc(const nsm_model *m);
void nsm_sim_free(nsm_sim *s);
void nsm_sim_set_observer(nsm_sim *s, nsm_observer fn, void *ctx);
/* Whether the observer is also told what conditions stopped (SKIPPED, CANCELLED; default 0:
** `neasim trace` asks, paths.csv does not). */
void nsm_sim_tell_skips(nsm_sim *s, int on);

/* Simulate replication `rep` of the run keyed by `seed` and add its path to `acc`. The result
** depends only on (model, seed, rep), never on what the simulator did before.
** NSM_ERR_RUNTIME (with a message in diag, which may be NULL) when an instant had more than
** NSM_MAX_CHANGES_PER_INSTANT changes (an effect loop) or the replication ran over its event
** budget (nsm_sim_set_limits; the message names the process that ran away and its rate);
** NSM_ERR_NOMEM when a histogram could not grow; NSM_STOPPED when the stop flag was raised. After
** anything but NSM_OK, acc holds part of a replication: discard it. */
#define NSM_MAX_CHANGES_PER_INSTANT 1000
nsm_status nsm_sim_replicate(nsm_sim *s, uint64_t seed, uint64_t rep, nsm_accum *acc,
                             nsm_diag *diag);

/* The default event budget of one replication. The busiest shipped scenario executes a few hundred
** events a replication (hazard firings, calendar occurrences and effects), so 10^7 is beyond any
** plausible model by four orders of magnitude, yet a run-away process reaches it within a second
** or two (the engine executes several million events a second on one core). */
#define NSM_DEFAULT_MAX_EVENTS 10000000

/* Bound every later replication: more than max_events events (0: NSM_DEFAULT_MAX_EVENTS) is a
** runtime error; and stop (may be NULL; borrowed) is read every few thousand events, a non-zero
** value ending the replication with NSM_STOPPED. */
void nsm_sim_set_limits(nsm_sim *s, uint64_t max_events, volatile int *stop);

/* Run the arm (arms.h): its phases, from phase_t[j] on with phase_model[j] (variants of the
** simulator's model: same structure, other numbers). The arm is borrowed. Without a call, the
** model given to nsm_sim_alloc. At an instant where a phase starts, the switch comes before the
** calendar's occurrences. */
nsm_status nsm_sim_set_arm(nsm_sim *s, const nsm_arm *arm);

/* How numbers written as distributions are drawn (scenarios/README.md, "Uncertain numbers"). */
typedef enum {
    NSM_UNCERTAINTY_NOMINAL,   /* every number at its mean */
    NSM_UNCERTAINTY_PER_RUN,   /* drawn afresh for each replication */
    NSM_UNCERTAINTY_OUTER      /* drawn once per block of `runs_per_draw` replications */
} nsm_uncertainty;

/* Set how uncertain numbers are drawn (default NSM_UNCERTAINTY_NOMINAL). Draw j of uncertain
** number u comes from the stream (seed, j, nsm_stream_id("param", path)), so every arm and
** every point of a comparison sees the same draws. */
nsm_status nsm_sim_set_uncertainty(nsm_sim *s, nsm_uncertainty mode, uint64_t runs_per_draw);

/* The last replication's path, as much of it as a paired comparison needs. Recorded only after
** nsm_sim_enable_trace(). Spans are half-open ranges of report indices [i0, i1). */
typedef struct {
    int *i0, *i1;
    int n, cap;
} nsm_spans;

typedef struct {
    nsm_spans *held;   /* per outcome: the report ranges over which it held, in time order */
    int *first;        /* per outcome: report index of its first occurrence; n_reports: never */
    nsm_spans *occ;    /* per counted event: i0 = report period of each occurrence, in order */
} nsm_trace;

nsm_status nsm_sim_enable_trace(nsm_sim *s);
const nsm_trace *nsm_sim_trace(const nsm_sim *s);

/* Hazard firings, calendar occurrences and effects executed since nsm_sim_alloc (for benchmarks). */
uint64_t nsm_sim_event_count(const nsm_sim *s);
/* Random variates drawn since nsm_sim_alloc (for the benchmark's bare-draws floor). */
uint64_t nsm_sim_draw_count(const nsm_sim *s);

/* A run: replications first_rep .. first_rep + runs - 1. threads <= 0 means OpenMP's default.
** progress (may be NULL) is called now and then from one thread with the number done so far. */
typedef struct {
    uint64_t seed;
    uint64_t runs;
    uint64_t first_rep;
    int threads;
    void (*progress)(void *ctx, uint64_t done, uint64_t total);
    void *progress_ctx;
    volatile int *stop; /* may be NULL; set non-zero (e.g. by a signal handler) to stop early: read
                        ** between replications and every few thousand events within one */
    nsm_uncertainty uncertainty;  /* zero (nominal) unless set */
    uint64_t runs_per_draw;       /* NSM_UNCERTAINTY_OUTER: replications per parameter draw */
    uint64_t max_events;          /* event budget of a replication; 0: NSM_DEFAULT_MAX_EVENTS */
} nsm_run_config;

typedef struct {
    int threads;          /* threads actually used */
    uint64_t events;      /* total of nsm_sim_event_count over the run */
    uint64_t draws;       /* total of nsm_sim_draw_count over the run */
    double wall_seconds;
} nsm_run_stats;

/* Simulate the run into `out` (which should be freshly allocated or reset). Accumulators of the
** threads are merged in thread order, and since they hold integers the result is the same for any
** number of threads. NSM_STOPPED (not an error; nothing in diag) if stopped through config->stop;
** the first failing replication's status and message otherwise (see nsm_sim_replicate). */
nsm_status nsm_run(const nsm_model *m, const nsm_run_config *config, nsm_accum *out,
                   nsm_run_stats *stats, nsm_diag *diag);

/* Many independent runs of `runs` replications each (sweep points, outer draws): how many of
** them to run side by side, one whole run a thread on a simulator of its own, rather than one
** after another with the threads sharing each run's replications. Side by side pays one parallel
** region for many runs instead of one (and its barrier, where threads wait on a busy machine) for
** each; it needs enough runs to keep every thread busy to the end. threads <= 0: OpenMP's
** default. Returns the threads to use side by side, or 0 for one run after another. The choice
** only schedules: every run's results are the same either way. */
int nsm_runs_side_by_side(uint64_t n_runs, uint64_t runs, int threads);

/* A run that stops at a precision: replications in whole batches of `batch` (the last one cut at
** config->runs, the ceiling); after each batch the results so far are merged into the output
** and enough(ctx) is called: non-zero stops there. The output then holds batches 0..k in index
** order whatever the threads, so a rule that reads only it stops at the same count for any
** number of threads (and nsm_accum_runs says how many were run). */
typedef struct {
    uint64_t batch;           /* > 0 */
    int (*enough)(void *ctx); /* not called after the last batch */
    void *ctx;
    /* Several processes (MPI ranks) sharing each batch: with n_ranks > 1 this one simulates only
    ** its slice of every batch of n, replications floor(n rank / n_ranks) ..
    ** floor(n (rank + 1) / n_ranks) - 1 of it, and the output holds only those. enough() must
    ** then combine the ranks' outputs (integer sums, exact in any order) and return the same
    ** answer on every rank. n_ranks 0 or 1: the whole batch. */
    int rank, n_ranks;
} nsm_batches;

/* nsm_run in batches (batches NULL: nsm_run). */
nsm_status nsm_run_batched(const nsm_model *m, const nsm_run_config *config,
                           const nsm_batches *batches, nsm_accum *out, nsm_run_stats *stats,
                           nsm_diag *diag);

#endif
