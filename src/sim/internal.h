/*
** internal.h: the simulator's workspace, shared by engine.c (the clocks and the main loop),
** actions.c (changes of state, effects, counted events) and pending.c (the queue of scheduled
** effects). Private to the library.
*/
#ifndef NEASIM_SIM_INTERNAL_H
#define NEASIM_SIM_INTERNAL_H

#include <gsl/gsl_rng.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>

#include "neasim/arms.h"
#include "neasim/dist.h"
#include "neasim/engine.h"
#include "neasim/paired.h"
#include "neasim/rivals.h"
#include "neasim/rng.h"
#include "neasim/story.h"

/* Why a replication failed (nsm_sim.failed). */
enum { NSM_FAILED_LOOP = 1, NSM_FAILED_NOMEM, NSM_FAILED_BUDGET, NSM_FAILED_STOPPED,
       NSM_FAILED_DRAW /* a conditioned draw without a case for the state (fail_factor: the draw) */ };

/* A scheduled action: due at t (days, model.h); seq breaks ties in the order of scheduling (first in, first out).
** The end of a duration (transitions.csv, `duration`) waits in the same queue, so that it meets
** the effects due at its instant in the order of scheduling: effect is then -1 - the transition,
** and stamp the count of its factor's changes when it entered `from`; a later change makes the
** item stale (the sojourn it timed is over), and it is dropped unrun. */
typedef struct {
    double t;
    uint64_t seq;
    int effect;          /* the effect that scheduled it: its stream serves a draw action */
    uint32_t stamp;      /* a duration's end: entered[factor] when it was scheduled */
} nsm_pending_item;

/* A binary min-heap on (t, seq). */
typedef struct {
    nsm_pending_item *items;
    int n, cap;
    uint64_t next_seq;
} nsm_pending;

int nsmi_pending_init(nsm_pending *q);
void nsmi_pending_release(nsm_pending *q);
void nsmi_pending_clear(nsm_pending *q);
int nsmi_pending_push(nsm_pending *q, double t, int effect);
int nsmi_pending_push_end(nsm_pending *q, double t, int transition, uint32_t stamp);
nsm_pending_item nsmi_pending_pop(nsm_pending *q);

/* A hazard process's clock (rates.c): its rate (per day), its internal time T when the rate last
** changed (at `last`, days) and the internal time P of its next firing; for a transition its
** factor and the level it leaves (the same in every phase and variant of a model), which gate its
** rate, and its base rate per year in the current model (copied at the start of a replication and
** at a phase change). One record a process, so that re-rating or firing one reads one or two
** cache lines rather than one from each of six arrays and the model (issue 14). A record of a
** whole line (64 bytes, aligned, with the range of its modifiers in place of mod_start), with the
** clocks and tau of the processes a change marks prefetched as they are marked, was tried: at 320
** factors first-level misses fell from 16.9 to 15.8 an event (callgrind), the time not measurably
** (121.8 against 121.5 ns an event): 48 bytes stay. */
typedef struct {
    double rate, T, P, last;
    double base;                 /* transitions: m->transitions[k].rate */
    int factor, from;            /* transitions; -1 for a counted event */
} nsmi_clock;

/* The next firing among n processes (firings.c): the smallest (tau, k), a tau infinite or not a
** number never. tau is set process by process; a tree of minima over blocks of NSMI_FIRING_BLOCK
** (each node the earliest of 8 below it) is brought up to date, for the blocks whose tau changed,
** when the top is asked for. */
#define NSMI_FIRING_BLOCK 8 /* one cache line of tau, and the fan-out of the tree (firings.c) */
/* Up to this many processes, no tree: the top is a scan of every tau (firings.c says why). */
#ifndef NSMI_FIRING_SCAN_MAX
#define NSMI_FIRING_SCAN_MAX (4 * NSMI_FIRING_BLOCK) /* 5 factors (30) scan: firings.c */
#endif
/* Levels above tau at most: 8^11 > INT_MAX processes. */
#define NSMI_FIRING_LEVELS 11
typedef struct {
    int n;
    int scan;                /* n <= NSMI_FIRING_SCAN_MAX: the top by scan_all, no tree */
    double *tau;             /* [n_blocks x NSMI_FIRING_BLOCK]: past n infinite */
    int n_blocks;
    /* The tree: level 1 holds the earliest (time, process) of each block of tau, level l + 1 that
    ** of each block of 8 entries of level l, up to level n_up, which holds one, the root. Level l
    ** is min_tau[off[l - 1] ..] and min_k[off[l - 1] ..], its length padded to a multiple of 8
    ** with (infinity, -1), which an entry with no process to fire holds too. */
    int n_up;
    int off[NSMI_FIRING_LEVELS];
    double *min_tau;
    int *min_k;
    unsigned char *stale;    /* block b's tau changed since level 1 was computed (small models:
                             ** all 1, and the list stays empty) */
    int *stale_list, n_stale;
} nsmi_firings;

/* -1 when out of memory (release frees what was allocated). Every tau starts infinite. */
int nsmi_firings_init(nsmi_firings *q, int n);
void nsmi_firings_release(nsmi_firings *q);
/* Every tau infinite again. */
void nsmi_firings_clear(nsmi_firings *q);
/* Inline: every re-rating and firing sets one tau (on the chain, ~4 an event). A small model
** (q->scan) stores tau and is done: its scan's strict `<` never chooses a NaN, and it has no tree
** to mark (testing for NaN there too cost the chain 4% of its time: bench_engine, medians of 11
** interleaved runs). With a tree, not a number is kept as infinity: both never fire, and the
** tree's pairwise minima (firings.c) then need no test for it; a sanitising pass over each block
** as the tree reads it instead cost the baseline 11%. */
static inline void nsmi_firings_set(nsmi_firings *q, int k, double tau)
{
    if (q->scan) {
        q->tau[k] = tau;
        return;
    }
    q->tau[k] = tau == tau ? tau : (double)INFINITY;
    unsigned b = (unsigned)k / NSMI_FIRING_BLOCK; /* k >= 0: a shift */
    if (!q->stale[b]) {
        q->stale[b] = 1;
        q->stale_list[q->n_stale++] = (int)b;
    }
}
/* The next firing (-1 and *when infinite when none can fire). */
int nsmi_firings_top(nsmi_firings *q, double *when);
/* The same, by a plain scan of tau in index order: the reference the tree is tested against. */
int nsmi_firings_scan(const nsmi_firings *q, double *when);

/* The clauses of outcomes' conditions on one factor with one mask, which hold and fail together:
** a group, its outcomes out_member[first .. end), those whose condition is this one clause (and
** so holds when it does) before only_end, the others after (engine.c, index_outcomes). */
typedef struct {
    uint64_t mask;
    int first, only_end, end;
} nsmi_out_group;

enum { NSMI_DEFER_N = 16 }; /* a power of two: nsmi_acc_add */

struct nsm_sim {
    const nsm_model *m;
    int n_proc;
    /* clocks of the hazard processes (transitions, then counted events): see rates.c */
    nsmi_clock *clock;           /* [n_proc] */
    /* the next firing: tau, the absolute time each process fires at its present rate, and the
    ** earliest of them (firings.c); next_scan: found by the reference scan instead (tests) */
    nsmi_firings next;
    int next_scan;
    unsigned char *dirty;
    int *dirty_list, n_dirty;
    int *mod_start, *mod_list;   /* modifiers by process (compressed rows) */
    int *dep_start, *dep_list;   /* processes by the factor their modifiers name, each with */
    uint64_t *dep_mask;          /* ... the mask of a clause on it (rates.c) */
    int *seasonal_list, n_seasonal;
    int *season_start, *season_list; /* [1..12]: seasonal processes whose multiplier changes then */
    double next_season_t;        /* the next month start that re-rates anything (never: infinity) */
    int next_season_j;           /* its index into model->month_start_t (never: INT_MAX) */
    int *rerate_at;              /* [n_month_starts + 1]: the first month start from j on that
                                 ** re-rates anything (engine.c, season_table) */
    int season_key[14];          /* the season_start the table was built for */
    int season_key_ok;
    double next_fixed_t;         /* the earliest breakpoint but the queue's (engine.c, plan_fixed) */
    int *from_start, *from_list; /* transitions by the flat index of their `from` level */
    int *dur_start, *dur_list;   /* those with durations only (engine.c; NULL without durations) */
    int out_all;                 /* every outcome must be evaluated (the start of a replication) */
    int out_every;               /* ... at every instant: the reference the index is tested against */
    int reference;               /* the loop's shortcuts off (nsmi_engine_use_reference) */
    /* the processes' streams, one array (each firing draws from one: contiguous and inline, see
    ** rng.h); the other streams are gsl_rngs, for the gsl_ran_* samplers */
    nsm_philox *proc_stream;     /* [n_proc] */
    gsl_rng **gamma_rng, **cal_rng, **eff_rng;
    /* durations (transitions.csv, `duration`): dur_rng[k] for a transition k that has one (NULL
    ** otherwise; the array itself NULL in a model without durations); entered[f] counts the
    ** changes of factor f in this replication, which date each pending duration's end */
    gsl_rng **dur_rng;
    int *dur_k, n_dur_k;         /* the transitions that have durations, in order */
    uint32_t *entered;
    /* state */
    double t;
    int *level;          /* current level of each factor */
    int *seg_start;      /* report index where the factor's current stay began */
    int month;           /* calendar month now, 1-12 */
    int next_month;      /* next index into model->month_start_t */
    int next_occ;        /* next calendar occurrence */
    /* the report index of the last time asked for (nsmi_report_index_now) and the times that
    ** have it, (report_lo, report_hi]; the same for the year window (actions.c, year_now) */
    double report_lo, report_hi, year_lo, year_hi;
    int report_i, year_k;
    /* report_day[d] = nsmi_report_index(m, d) for whole days d = 0..n_report_days - 1, when every
    ** report date is a whole day (NULL otherwise): nsmi_report_index_of (engine.c, report_days) */
    int *report_day, n_report_days;
    int report_day_borrowed;   /* report_day is another simulator's (nsmi_sim_share_grid) */
    double *gamma;       /* gamma multipliers of counted events */
    int *redraw_k;       /* month index of each event's next gamma redraw, -1 for none */
    int *gamma_list, n_gamma;    /* the events with gamma redraws this replication */
    double next_redraw_t;        /* the earliest of their redraws (never: infinity) */
    nsm_pending pending;
    int changes_now;     /* changes at the current instant (effect-loop guard) */
    int failed;          /* set when the guard trips or a histogram cannot grow */
    int fail_factor;     /* the factor that tripped the guard */
    /* counted events: the open period and the cumulative count with the start of its stay */
    int *ev_period, *ev_year;
    int64_t *ev_period_count, *ev_cum, *ev_year_count;
    int n_years;                 /* whole years within the horizon (0: no yearly windows) */
    double *year_t;              /* year_t[k] = t of the k-th anniversary of the start */
    int *ev_cum_start;
    /* ev_day[e]: the last date counted of an event that counts dates (whole days from the start;
    ** -1 before its first), unused for the others; NULL when no event of the model counts dates,
    ** so that a model without any pays one test an occurrence (actions.c, counted) */
    int64_t *ev_day;
    /* outcomes */
    unsigned char *out_now, *out_ever; /* out_ever: its first occurrence has been recorded */
    int out_clear;       /* out_now and out_ever are all 0 (a replication finished) */
    int started;         /* t = 0 has settled: later changes into a condition are onsets */
    int *held_start;
    /* The clauses of outcomes' conditions by the factor they name, in groups of one mask: factor
    ** f's are out_group[out_fstart[f] .. out_fstart[f + 1]). The factors that changed since the
    ** outcomes were last evaluated are listed (out_fdirty) with their levels then (out_level):
    ** only the groups on such a factor that held at the old level and not at the new one, or the
    ** reverse, have outcomes to evaluate again (all at the start; issue 14: the cost of an event
    ** then follows the outcomes it moves, not the number that name the factor). */
    int *out_fstart;
    nsmi_out_group *out_group;
    int *out_member;
    int *out_level;
    int *out_fdirty, n_out_fdirty;
    unsigned char *out_fmarked;
    /* effects indexed by trigger: factors 0..F-1, then events F..F+E-1 */
    int *eff_start, *eff_list;
    /* phases (arms.h): the current model is phase_model[next_phase - 1] */
    int n_phases, next_phase;
    const double *phase_t;
    const nsm_model *const *phase_model;
    const nsm_arm *arm;
    /* per-replication models, when uncertain numbers are drawn (uncertain.c) */
    nsm_uncertainty uncertainty;
    uint64_t runs_per_draw;
    nsm_model **scratch;         /* one variant per phase, rebuilt each replication */
    double *draw_value;          /* one per uncertain number */
    nsm_dist_sampler *sampler;   /* one per uncertain number, its law prepared (dist.h) */
    uint64_t scratch_draw;       /* which draw the scratch models hold (+1; 0: none) */
    uint64_t scratch_seed;
    nsm_arm own_arm;             /* the arm when none is set: the model as it is */
    double own_t;
    nsm_model *own_model;
    gsl_rng *param_rng;
    nsm_arm_redraw *redraw;      /* the arm's redraw plan (arms.h), once scratch has been built */
    int scratch_built;           /* scratch holds the arm's phases with some draws */
    const nsm_sim *draw_source;  /* a simulator of the same model whose draws for the same
                                 ** (seed, draw) are taken rather than drawn again (a comparison's
                                 ** baseline, which runs each replication first) */
    const nsm_model *model0;     /* the model given to nsm_sim_alloc */
    nsm_trace *trace;            /* NULL unless enabled */
    /* the arm of a comparison applies its writes of accumulator cells NSMI_DEFER_N writes late
    ** (nsmi_acc_add): ring slot defer_n % NSMI_DEFER_N holds the oldest, NULL when empty */
    int defer_on;
    unsigned defer_n;
    int64_t *defer_p[NSMI_DEFER_N];
    int64_t defer_d[NSMI_DEFER_N];
    uint64_t events;     /* firings, calendar occurrences and effects executed */
    /* limits (nsm_sim_set_limits): the loop looks at them only when events reaches next_check */
    uint64_t max_events;         /* per replication */
    uint64_t events_limit;       /* the first value of events over this replication's budget */
    uint64_t next_check;         /* min(events_limit, the next poll of stop) */
    volatile int *stop;
    int last_done;               /* what ran last: process k, n_proc + effect, -1 - occurrence,
                                 ** n_proc + n_effects + transition (the end of its duration), or
                                 ** NSMI_LAST_START */
    double last_rate;            /* the hazard (per day) at which process last_done fired */
    uint64_t draws;      /* random variates drawn (benchmarks compare with a bare loop) */
    nsm_observer observer;
    void *observer_ctx;
    int tell_skips;              /* nsm_sim_tell_skips */
    struct nsmi_recorder *story; /* NULL unless nsm_sim_set_story: then story_rec.c records */
};

/* actions.c: tell the observer (set) what happened, with its cause from last_done. */
#define NSMI_LAST_START INT_MIN /* last_done before anything has run in a replication */
void nsmi_tell(nsm_sim *s, nsm_seen_kind kind, int factor, int from, int to, int event,
               int same_date);
/* actions.c: tell an observer that asked (tell_skips) that a condition stopped calendar
** occurrence or effect `index` (kind SKIPPED or CANCELLED). */
void nsmi_tell_skip(nsm_sim *s, nsm_seen_kind kind, nsm_cause cause, int index);
/* The first report index i with report_t[i] >= t (n_reports when t is past the end). Report dates
** are nearly evenly spaced, so a guess from the mean spacing is at most a step or two off; the
** loops correct it. This runs at every change of state, so it avoids a binary search, and it is
** inline here because engine.c and actions.c both call it on every event (issue 14). */
static inline int nsmi_report_index(const nsm_model *m, double t)
{
    int last = m->n_reports - 1;
    if (t > m->report_t[last])
        return m->n_reports;
    int i = (int)(t / m->t_end * last);
    i = i < 0 ? 0 : i > last ? last : i;
    while (m->report_t[i] < t)
        i++;
    while (i > 0 && m->report_t[i - 1] >= t)
        i--;
    return i;
}
/* nsmi_report_index(s->m, t) from the table of whole days: with every report date a whole day,
** the first report date at or after t is the first at or after t itself when t is a whole day, or
** else the first at or after the next whole day (issue 14: the search was a third of a change of
** level's own cost on the reference chain). Any other t, or no table, searches. */
static inline int nsmi_report_index_of(const nsm_sim *s, double t)
{
    if (s->report_day && t >= 0.0 && t < (double)(s->n_report_days - 1)) {
        int d = (int)t; /* t >= 0: its whole days */
        return s->report_day[(double)d == t ? d : d + 1];
    }
    return nsmi_report_index(s->m, t);
}
/* The report index of s->t, nsmi_report_index(s->m, s->t): the last one found when s->t is in its
** window still (the window is a pure function of the report dates, which are the same in every
** phase and variant of a model). Counted events use it (actions.c): on the baseline most of them
** find the window of the last one (issue 14). A change of level searches (nsmi_report_index):
** on the reference chain each change is in a report period of its own, and a missed window costs
** more than the search. reset empties the window. */
static inline int nsmi_report_index_now(nsm_sim *s)
{
    double t = s->t;
    if (t > s->report_lo && t <= s->report_hi)
        return s->report_i;
    const nsm_model *m = s->m;
    int i = nsmi_report_index(m, t);
    s->report_lo = i > 0 ? m->report_t[i - 1] : -(double)INFINITY;
    s->report_hi = i < m->n_reports ? m->report_t[i] : (double)INFINITY;
    s->report_i = i;
    return i;
}
/* uncertain.c: give the replication its models (draws of uncertain numbers). NSM_ERR_INPUT when
** a draw takes a number out of its range (message in diag, if not NULL, naming the replication),
** NSM_ERR_NOMEM. */
nsm_status nsmi_uncertain_prepare(nsm_sim *s, uint64_t seed, uint64_t rep, nsm_diag *diag);
/* The scratch models and samplers that nsmi_uncertain_prepare needs with drawn numbers, now rather
** than at the first replication (run.c allocates a worker's on the thread that owns it): 0, or -1
** when out of memory. Nothing to do with numbers at their means or none uncertain. */
int nsmi_uncertain_alloc(nsm_sim *s);
void nsmi_uncertain_free(nsm_sim *s);
/* Take s's draws from src (the same model) when src holds those of the replication (run.c). */
void nsmi_uncertain_share(nsm_sim *s, const nsm_sim *src);
/* Read the table of report indices by day (report_day) from src, a simulator of the same model
** that outlives s, and free s's own (engine.c): the arms of a comparison, which share a report
** grid, then keep one copy of it in cache instead of one an arm (run.c). Nothing when the models
** differ. */
void nsmi_sim_share_grid(nsm_sim *s, const nsm_sim *src);

/* The layout of the accumulators (accum.c, paired.c), here so that their serialization
** (partial.c) reads and writes them in one place. An event's count table has one row per count
** value c = 0, 1, ... and one column per report index, or per year for the yearly ones (see
** accum.c). */
typedef struct {
    int64_t *cells;   /* rows * cols */
    int64_t rows;     /* count values 0..rows-1 have a row */
    int64_t max_seen; /* largest count recorded, -1 when none */
} nsmi_count_table;

/* Sums over the draws of a two-level run of a draw's count squared: 128 bits, so that they are
** exact whatever the counts (and the sum does not depend on the order of the draws). */
__extension__ typedef unsigned __int128 nsmi_u128; /* gcc and clang; ISO C has no 128-bit type */

struct nsm_accum {
    const nsm_model *m;
    int cols;                 /* n_reports + 1 */
    int ycols;                /* columns of the yearly tables: nsmi_year_windows + 1 (column 0
                              ** unused, as year y of the start is column y) */
    uint64_t runs;
    uint64_t draws;           /* the draws added by nsm_accum_add_draw (0: a one-level run) */
    nsmi_u128 *sq;            /* NULL, or [series][cols] (accum.c, nsmi_accum_series_rows):
                              ** over those draws, the sum of the draw's total squared */
    int64_t *occupancy;       /* [level][cols] difference arrays */
    int64_t *held;            /* [outcome][cols] difference arrays */
    int64_t *first;           /* [outcome][cols] first-occurrence index histogram */
    nsmi_count_table *period; /* [event] */
    nsmi_count_table *yearly; /* [event]: counts per year since the start, ycols columns */
    nsmi_count_table *cumul;  /* [event] */
};

/* The whole years within the horizon, each a yearly window of event_counts.csv and
** count_distribution.csv; 0 when the report interval does not divide a year (no yearly windows). */
static inline int nsmi_year_windows(const nsm_model *m)
{
    return 12 % m->report_interval_months == 0 ? m->horizon_months / 12 : 0;
}

/* Rows of nsm_accum.sq: one a level, two an outcome (held, occurred by), three an event
** (period, year, cumulative: the draw's sum of counts). */
static inline size_t nsmi_accum_series_rows(const nsm_model *m)
{
    return (size_t)m->n_levels_total + 2 * (size_t)m->n_outcomes + 3 * (size_t)m->n_events;
}

struct nsm_paired {
    const nsm_model *m;
    int cols;             /* n_reports + 1 */
    int64_t *both_held;   /* [outcome][cols] difference arrays */
    int64_t *both_first;  /* [outcome][cols] */
    int64_t *d2;          /* [event][cols] difference arrays of D^2 */
    uint64_t draws;       /* the draws added by nsm_paired_add_draw (0: a one-level run) */
    nsmi_u128 *sq;        /* NULL, or [series][cols] (paired.c): over those draws, the sum of the
                          ** draw's difference arm - baseline squared */
};

/* Every two arms a < b of n_arms at pair index a * n_arms - a * (a + 1) / 2 + b - a - 1; row
** (pair, outcome) of n_h + 1 counts: column j counts the replications in which the outcome first
** occurred in both by horizon j and not by j - 1 (column n_h: by none), so that a row sums to the
** replications and its prefix up to h is "by horizon h in both" (rivals.c). */
struct nsm_rivals {
    const nsm_model *m;
    int n_arms, n_h, n_pairs;
    int idx[64];          /* the horizons' report indices, ascending */
    int64_t *both;        /* [pair][outcome][n_h + 1] */
    unsigned char *by;    /* scratch [arm][outcome]: the first horizon by which it has occurred */
};

/* The counts r->both holds: of every pair, outcome and horizon, and the one past the last. */
static inline size_t nsmi_rivals_cells(const nsm_rivals *r)
{
    return (size_t)r->n_pairs * (size_t)r->m->n_outcomes * (size_t)(r->n_h + 1);
}

/* Row (pair of a < b, outcome o) of r->both. */
static inline int64_t *nsmi_rivals_row(const nsm_rivals *r, int a, int b, int o)
{
    size_t pair = (size_t)a * (size_t)r->n_arms - (size_t)a * (size_t)(a + 1) / 2 +
                  (size_t)(b - a - 1);
    return r->both + (pair * (size_t)r->m->n_outcomes + (size_t)o) * (size_t)(r->n_h + 1);
}

/* NULL when every row of r is what replications can give (each sums to the arms' runs) and fits
** the arms' own counts acc[a] (both never more than either, nor fewer than the two must share),
** else what is not. */
const char *nsmi_rivals_fits(const nsm_rivals *r, const nsm_accum *const *acc);

/* Rows of nsm_paired.sq: two an outcome (held, occurred by), one an event (cumulative sum). */
static inline size_t nsmi_paired_series_rows(const nsm_model *m)
{
    return 2 * (size_t)m->n_outcomes + (size_t)m->n_events;
}

/* Ask for the cache line of an accumulator cell that the engine will write later (GCC and Clang;
** elsewhere nothing). A comparison keeps an accumulator an arm, all written in turn at every
** replication: together they outgrow the core's cache, and a write that misses it stalls the
** engine, where a run's one accumulator stays in cache (issue 14). A macro, not an inline
** function: GCC 12 takes a function holding only a prefetch for one without side effects and drops
** its calls. */
#if defined(__GNUC__) || defined(__clang__)
#define NSMI_PREFETCH_WRITE(p) __builtin_prefetch((p), 1, 3)
#else
#define NSMI_PREFETCH_WRITE(p) ((void)(p))
#endif

/* *p += d, an accumulator cell of s's: at once, or, for the arms of a comparison, once
** NSMI_DEFER_N more have been asked for, the line of p prefetched now. The arms' accumulators
** together outgrow the cache, and a write that misses stalls the engine; late, the line has
** arrived. The cells hold integers, so the order of the additions changes no result; no
** accumulator is read in a replication, and the engine applies every pending write at its end
** and before a count table grows (nsmi_acc_flush), when a pointer into it would go stale. */
static inline void nsmi_acc_add(nsm_sim *s, int64_t *p, int64_t d)
{
    if (!s->defer_on) {
        *p += d;
        return;
    }
    NSMI_PREFETCH_WRITE(p);
    unsigned k = s->defer_n++ & (NSMI_DEFER_N - 1);
    if (s->defer_p[k])
        *s->defer_p[k] += s->defer_d[k];
    s->defer_p[k] = p;
    s->defer_d[k] = d;
}
/* Apply the writes nsmi_acc_add has kept back (engine.c). */
void nsmi_acc_flush(nsm_sim *s);

/* The line of the cell that the next stay of event e's count `count` writes first: it begins at
** report index i, where this one ended. */
#define NSMI_ACCUM_CUMULATIVE_PREFETCH(a, e, count, i)                                            \
    do {                                                                                           \
        const nsmi_count_table *pf_t_ = &(a)->cumul[(e)];                                          \
        if ((count) < pf_t_->rows)                                                                 \
            NSMI_PREFETCH_WRITE(pf_t_->cells + (count) * (a)->cols + (i));                         \
    } while (0)

/* accum.c: make count table t's row `count` (zeros), growing the table as nsm_accum_event_period
** does; 0, or -1 when out of memory. It does not touch max_seen. */
int nsmi_accum_table_reserve(nsmi_count_table *t, int64_t count, int cols);
/* accum.c: whether every count of `a` is one that runs can produce: at every report date a
** share of its runs between 0 and a->runs (a level, an outcome held or occurred by, the runs of
** a count value, and those of all count values together), every sum of count x runs within 64
** bits; and what every finished run adds, added up to the unit (accum.c, consistent: a factor's
** levels to the runs at every report date, every stay ended, an outcome's first occurrences to
** the runs, an event's counts since the start one a run at every report date). 0 when so; 1 when not, *why saying what; -1 out of memory. partial.c refuses a part that
** makes it not so: the writers and summaries trust these bounds (a count table's quantile in
** integer percentages, its mean from sums of count x runs). */
int nsmi_accum_check(const nsm_accum *a, const char **why);
/* accum.c: 1 when every prefix sum of the row of differences x[0..n-1] is within [0, runs] (and
** so computed without overflow), else 0. */
int nsmi_shares_ok(const int64_t *x, int n, int64_t runs);
/* paired.c: as nsmi_accum_check, for what a paired accumulator can hold without its arms' runs:
** the runs of both arms holding or having had an outcome a share of at most NSMI_RUNS_MAX at
** every report date, the sums of squared differences of counts not below zero nor past 64 bits.
** 0 when so; 1 when not, *why saying what. */
int nsmi_paired_check(const nsm_paired *p, const char **why);
/* paired.c: whether p's counts fit those of its arms (base and arm, accumulators checked by
** nsmi_accum_check, of the same replications): both of the same runs; at every report date, an
** outcome held (or occurred by) in both arms in no more runs than in either, and in no fewer than
** they must share (a + b - runs), so that every paired variance is a variance. NULL when so, else
** what is not; x scratch of 3 p->cols. */
const char *nsmi_paired_fits(const nsm_paired *p, const nsm_accum *base, const nsm_accum *arm,
                             int64_t *x);
/* The most replications an accumulator may hold: far above any run that can finish (2^52
** replications at a microsecond each take 140 years), and low enough that a count of them times
** 100 (a percentage in integers) stays within 64 bits. */
#define NSMI_RUNS_MAX ((uint64_t)1 << 52)

/* The cell (count, col) of count table t, its row made first if need be, the writes that
** nsmi_acc_add keeps back applied before the table grows; NULL when out of memory. */
static inline int64_t *nsmi_count_cell(nsm_sim *s, nsmi_count_table *t, int cols, int64_t count,
                                       int col)
{
    if (count >= t->rows) {
        nsmi_acc_flush(s);
        if (nsmi_accum_table_reserve(t, count, cols))
            return NULL;
    }
    if (count > t->max_seen)
        t->max_seen = count;
    return t->cells + count * cols + col;
}
/* accum.c's nsm_accum_event_period and nsm_accum_event_cumulative for the engine, in place (the
** same rows, cells and max_seen; the table grows in accum.c, only when a larger count than any
** before appears) and through nsmi_acc_add: the engine records one or both at almost every
** counted event (issue 14). -1 when out of memory. */
static inline int nsmi_accum_period(nsm_sim *s, nsm_accum *a, int e, int i, int64_t count)
{
    int64_t *cell = nsmi_count_cell(s, &a->period[e], a->cols, count, i);
    if (cell)
        nsmi_acc_add(s, cell, 1);
    return cell ? 0 : -1;
}
static inline int nsmi_accum_cumulative(nsm_sim *s, nsm_accum *a, int e, int64_t count, int i0,
                                        int i1)
{
    if (i0 >= i1)
        return 0;
    int64_t *row = nsmi_count_cell(s, &a->cumul[e], a->cols, count, 0);
    if (!row)
        return -1;
    nsmi_acc_add(s, row + i0, 1);
    nsmi_acc_add(s, row + i1, -1);
    return 0;
}

/* accum.c: the running sums of a difference-array row: out[j] = row[0] + ... + row[j], j < n (the
** accumulators and the paired accumulators keep their series this way); one of them, O(i). */
void nsmi_prefix_series(const int64_t *row, int n, int64_t *out);
int64_t nsmi_prefix_at(const int64_t *row, int i);
/* x[0..cols-1]: series `kind` of item k of accumulator a at every column (accum.h: a level's or an
** outcome's replications, the sum of an event's counts), as nsm_accum_add_draw squares it. */
void nsmi_accum_series(const nsm_accum *a, nsm_series_kind kind, int k, int64_t *x);
/* Sum over `draws` draws of (x_j - total / draws)^2, given *sq = sum of x_j^2 (accum.c). */
double nsmi_draw_ss(const nsmi_u128 *sq, uint64_t draws, int64_t total);
/* rates.c: compressed rows. Items 0..n-1 grouped by key[i] (0..n_keys-1), in item order: group k
** is list[start[k]] .. list[start[k+1] - 1]. *start (n_keys + 2 ints) and *list (n + 2) are new
** arrays, set even when the other fails (-1, out of memory); the caller frees both. */
int nsmi_group(const int *key, int n, int n_keys, int **start, int **list);
/* rates.c */
int nsmi_rates_alloc(nsm_sim *s);
void nsmi_rates_free(nsm_sim *s);
/* A replication begins: every clock at zero, the model's base rates taken (s->m is its model). */
void nsmi_rates_reset(nsm_sim *s);
void nsmi_mark_process(nsm_sim *s, int k);
/* Mark what a change of factor f from level `from` to `to` re-rates. */
void nsmi_mark_change(nsm_sim *s, int f, int from, int to);
/* Mark every process that can be active in the initial state (after the initial draws). */
void nsmi_mark_initial(nsm_sim *s);
/* A phase change (s->m is the new phase's model): its base rates taken, every process marked. */
void nsmi_mark_all(nsm_sim *s);
/* Append [i0, i1) to a span list; -1 when out of memory. */
int nsmi_spans_push(nsm_spans *l, int i0, int i1);
/* Month starts: the changes of seasonal multipliers from one month to the next, for the current
** model; whether a month start from -> to re-rates anything; mark what it re-rates. */
void nsmi_season_changes(nsm_sim *s);
int nsmi_season_changes_at(const nsm_sim *s, int from, int to);
void nsmi_mark_month(nsm_sim *s, int from, int to);
void nsmi_rates_update(nsm_sim *s);
int nsmi_rates_next(nsm_sim *s, double *when);
/* The next firing found by nsmi_firings_scan rather than the tree (on: 1), to test that both
** choose the same. */
void nsmi_rates_use_scan(nsm_sim *s, int on);
/* engine.c: every outcome evaluated at every instant rather than those the index says a change
** may have moved (on: 1), to test that both record the same. */
void nsmi_outcomes_use_all(nsm_sim *s, int on);
/* engine.c: the loop without its shortcuts (on: 1), the reference they are tested against
** (test_shortcuts.c): the next breakpoint computed from scratch at every step rather than kept by
** plan_fixed, the next re-rating month start searched month by month rather than looked up
** (season_table), the calendar month brought up to date at every firing rather than at the next
** breakpoint, the windows of the last report index and year found forgotten after every step
** (nsmi_report_index_now), the outcomes' flags cleared in full at every reset, and a transition's
** next unit exponential drawn as it fires rather than when its rate is next positive (rates.c,
** nsmi_rates_fire: the same numbers, more draws). */
void nsmi_engine_use_reference(nsm_sim *s, int on);
void nsmi_rates_fire(nsm_sim *s, int k);
int nsmi_draw_categorical(gsl_rng *r, const double *p, int n);
/* The category of uniform u by the cumulative probabilities p[0..n) (nsmi_draw_categorical is
** this with gsl_rng_uniform(r)). */
static inline int nsmi_categorical(double u, const double *p, int n)
{
    double c = 0.0;
    for (int k = 0; k < n - 1; k++)
        if (u < (c += p[k]))
            return k;
    return n - 1;
}
/* engine.c: the first gsl_rng_uniform of an nsm_rng_philox4x32 generator set to stream (seed,
** rep, stream), drawn from a bare stream on the stack: a factor's initial level takes the first
** uniform of its own stream, and the generator's seek and calls cost more than the block (issue
** 14). test_shortcuts compares the two. */
double nsmi_first_uniform(uint64_t seed, uint64_t rep, uint32_t stream);
void nsmi_apply_action(nsm_sim *s, const nsm_action *a, gsl_rng *r, nsm_accum *acc);
void nsmi_change_level(nsm_sim *s, int factor, int level, nsm_accum *acc);
/* Schedule the ends of the durations of the transitions out of factor f's current level (it has
** just entered it, or starts in it). */
void nsmi_durations_start_list(nsm_sim *s, int f, int l);
/* Inline: most levels have no durations out of them (l is the flat index of f's level), and
** then entering one costs no call (issue 14). Only for a model with durations (s->entered). */
static inline void nsmi_durations_start(nsm_sim *s, int f)
{
    int l = s->m->factors[f].first_level + s->level[f];
    if (s->dur_start[l] != s->dur_start[l + 1])
        nsmi_durations_start_list(s, f, l);
}
void nsmi_event_occurs(nsm_sim *s, int e, nsm_accum *acc);
/* Run the effects (and ends of durations) due now: nsmi_settle_due does; nsmi_settle calls it
** only when something is due. Inline: the engine settles twice an event and most events leave
** nothing due, so they cost no call (issue 14). */
void nsmi_settle_due(nsm_sim *s, nsm_accum *acc);
static inline int nsmi_something_due(const nsm_sim *s)
{
    return !s->failed && s->pending.n > 0 && s->pending.items[0].t <= s->t;
}
static inline void nsmi_settle(nsm_sim *s, nsm_accum *acc)
{
    if (nsmi_something_due(s))
        nsmi_settle_due(s, acc);
}
void nsmi_events_finish(nsm_sim *s, nsm_accum *acc);
nsm_status nsmi_sim_failure(const nsm_sim *s, uint64_t rep, nsm_diag *diag);

/* ---- routes and signposts (story.h): the accumulator (story.c) and its recorder (story_rec.c) */

/* One outcome's routes: entries in the order first seen, an open-addressing index on their keys. */
/* Onsets by report period are kept sparse while they are few: most routes of a long tail are seen
** once or twice, and a dense row of n_reports counts for each made memory grow with the runs. */
#define NSMI_ROUTE_SMALL 4
typedef struct {
    int n_steps, truncated;
    int step[NSM_ROUTE_STEPS];
    int64_t onsets;
    int small[NSMI_ROUTE_SMALL]; /* report index of each onset while onsets <= NSMI_ROUTE_SMALL */
    int64_t *period;             /* NULL, or [n_reports] counts (owned) once there are more */
} nsmi_route_entry;

typedef struct {
    nsmi_route_entry *e;
    int n, cap;
    int *slot;         /* n_slots entries: index into e, or -1 */
    int n_slots;
    int *order;        /* after nsm_story_finish: entries sorted */
} nsmi_route_table;

struct nsm_story {
    const nsm_model *m;
    nsm_story_options opt;
    double watch_t[NSM_STORY_MAX_WATCH];
    int n_ind;                   /* indicators: n_levels_total + n_events */
    uint64_t runs;
    int64_t *onsets;             /* [outcome] */
    nsmi_route_table *routes;    /* [outcome], when routes are recorded */
    nsm_story_counts *watch;     /* [outcome][watch] */
    nsm_story_counts *sign;      /* [outcome][watch][indicator] */
    int64_t *fired;              /* [watch][indicator] */
    uint64_t *print;             /* [watch][indicator]: the sum, modulo 2^64, of a hash of the
                                 ** index of each replication in which the indicator happened by
                                 ** the watch date (story_rec.c): the same for two indicators that
                                 ** happened in the same replications, and (but with a chance of
                                 ** about 2^-64) for no others; a sum, so merged in any order */
};

/* Count `count` (> 0) onsets of outcome o along a route, at report index i (the recorder: one;
** a part read back: a route's count in one period). -1 when out of memory. */
int nsmi_story_add_route(nsm_story *a, int o, const nsmi_route_entry *key, int i, int64_t count);

/* The engine's calls (engine.c, actions.c): a replication begins (rep: its index in the run,
** whatever the thread, shard or batch that simulates it); after the start has settled, a
** factor changes or a counted event occurs; outcome o begins to hold (report index i); the
** replication ends. */
void nsmi_story_begin(nsm_sim *s, uint64_t rep);
void nsmi_story_change(nsm_sim *s, int f, int from, int to);
void nsmi_story_event(nsm_sim *s, int e);
void nsmi_story_onset(nsm_sim *s, int o, int i);
void nsmi_story_end(nsm_sim *s);
void nsmi_story_free(nsm_sim *s);

#endif
