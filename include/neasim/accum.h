/*
** accum.h: streaming, mergeable accumulators of a run's results.
**
** An accumulator holds only integer counts, so merging two of them is exact and its result does not
** depend on the order of merging: runs split across threads (or, later, processes) give the same
** bytes. Its size depends on the model and on the largest event count seen, never on the number of
** replications.
**
** The engine records each replication's path as segments of report indices. A factor that holds a
** level from time s to time e covers report indices i with s <= t(i) < e; the engine passes the
** half-open index range [i0, i1) and the accumulator stores it as a difference array (+1 at i0,
** -1 at i1), so recording costs O(1) whatever the number of report dates. Totals per report date
** are prefix sums, taken when results are read.
**
** Ownership: nsm_accum_alloc() returns an accumulator the caller frees with nsm_accum_free(). It
** borrows the model, which must outlive it.
*/
#ifndef NEASIM_ACCUM_H
#define NEASIM_ACCUM_H

#include <stdint.h>

#include "neasim/model.h"
#include "neasim/status.h"

typedef struct nsm_accum nsm_accum;

nsm_accum *nsm_accum_alloc(const nsm_model *m);
void nsm_accum_free(nsm_accum *a);

/* Set every count to zero (keeps the memory). */
void nsm_accum_reset(nsm_accum *a);

/* Add `from` into `into` (same model). NSM_ERR_NOMEM if a histogram could not grow. */
nsm_status nsm_accum_merge(nsm_accum *into, const nsm_accum *from);
/* The same, and `from` left empty (as after nsm_accum_reset) with its count tables freed: where
** `into` has recorded no count of a table, `from`'s is moved into it rather than copied. For the
** last merge of a run's threads, so that the result does not take a copy of every table beside
** the threads' own (a thread's tables grow again if it records more). */
nsm_status nsm_accum_merge_take(nsm_accum *into, nsm_accum *from);

/* --- Recording, called by the engine (indices are report indices, 0..n_reports) --- */

/* Level `flat_level` (see model.h) held over report indices [i0, i1). */
void nsm_accum_occupancy(nsm_accum *a, int flat_level, int i0, int i1);
/* Outcome o held over report indices [i0, i1). */
void nsm_accum_outcome_held(nsm_accum *a, int o, int i0, int i1);
/* Outcome o first held at a time in (t(i-1), t(i)] (i = 0: at the start); i = n_reports: never. */
void nsm_accum_outcome_first(nsm_accum *a, int o, int i);
/* Event e occurred `count` (>= 1) times in period i, that is in (t(i-1), t(i)], 1 <= i < n_reports. */
nsm_status nsm_accum_event_period(nsm_accum *a, int e, int i, int64_t count);
/* Event e occurred `count` (>= 1) times in year y since the start (1 <= y <= horizon in whole
** years), that is between month_t[12(y-1)] (exclusive) and month_t[12y] (inclusive). */
nsm_status nsm_accum_event_year(nsm_accum *a, int e, int y, int64_t count);
/* Event e's cumulative count was `count` over report indices [i0, i1). */
nsm_status nsm_accum_event_cumulative(nsm_accum *a, int e, int64_t count, int i0, int i1);
/* One replication is complete. */
void nsm_accum_end_replication(nsm_accum *a);

/* --- Reading (after all merges) --- */

uint64_t nsm_accum_runs(const nsm_accum *a);

/* Number of replications in which the level / outcome held at report date i (0 <= i < n_reports).
** These take prefix sums, O(i); the writers use the _series variants below. */
int64_t nsm_accum_level_count(const nsm_accum *a, int flat_level, int i);
int64_t nsm_accum_outcome_held_count(const nsm_accum *a, int o, int i);
/* Number of replications in which outcome o has occurred by report date i (its first occurrence
** at i or before: nsm_occurred_by at one date). */
int64_t nsm_accum_outcome_occurred_count(const nsm_accum *a, int o, int i);

/* Fill out[0..n_reports-1] with the counts for every report date. */
void nsm_accum_level_series(const nsm_accum *a, int flat_level, int64_t *out);
void nsm_accum_outcome_held_series(const nsm_accum *a, int o, int64_t *out);
/* out[i] = replications whose first occurrence is at report index i, i = 0..n_reports
** (out[n_reports]: never within the horizon). */
void nsm_accum_outcome_first_series(const nsm_accum *a, int o, int64_t *out);

/* The distribution of an event's count: *hist points at counts by value 0..*n_values-1
** (replications with that count). Window: in period i (1 <= i < n_reports), or cumulative up to
** report i (0 <= i < n_reports). The caller provides a buffer of at least
** nsm_accum_event_max_count(a, e) + 1 entries. */
int64_t nsm_accum_event_max_count(const nsm_accum *a, int e);
void nsm_accum_event_period_hist(const nsm_accum *a, int e, int i, int64_t *hist, int64_t *n_values);
void nsm_accum_event_year_hist(const nsm_accum *a, int e, int y, int64_t *hist, int64_t *n_values);
void nsm_accum_event_cumulative_hists(const nsm_accum *a, int e, int i, int64_t *hist,
                                      int64_t *n_values);
/* The same distribution walked forward one report at a time: on entry hist holds the cumulative
** distribution at report i - 1 as this function or nsm_accum_event_cumulative_hists left it (for
** i = 0 its contents are ignored); on return it holds the distribution at report i. Called for
** i = 0, 1, 2, ... it costs the size of the table once in all, where the function above costs
** O(i) a call: writers that visit every report use this one. */
void nsm_accum_event_cumulative_step(const nsm_accum *a, int e, int i, int64_t *hist,
                                     int64_t *n_values);

/* --- The draws of a two-level run (run --outer, compare --outer) ---
** The replications of a draw share its uncertain numbers, so an average over the draws is known
** only as precisely as the number of draws allows, not the number of replications. Beside the
** counts, an accumulator of draws keeps for every cell of every series the sum over the draws of
** the draw's total squared (exact 128-bit integers, so merging stays exact and order-free); the
** spread between the draws follows from it, and the intervals from that (stats.h,
** nsm_draws_proportion, nsm_draws_mean_se). */

/* Add one whole draw's accumulator (all its replications) into `into`: its counts as
** nsm_accum_merge does, and its totals squared. NSM_ERR_NOMEM. */
nsm_status nsm_accum_add_draw(nsm_accum *into, const nsm_accum *draw);
/* The draws added (0: a one-level run, whose replications are independent). */
uint64_t nsm_accum_draws(const nsm_accum *a);

/* The series an accumulator of draws keeps squares of: the replications holding a level or an
** outcome at report i, those in which an outcome has occurred by report i, and the sum of an
** event's counts in period i, in year i, or up to report i. */
typedef enum {
    NSM_SERIES_LEVEL,
    NSM_SERIES_HELD,
    NSM_SERIES_OCCURRED,
    NSM_SERIES_PERIOD,
    NSM_SERIES_YEAR,
    NSM_SERIES_CUMULATIVE
} nsm_series_kind;

/* Over the N = nsm_accum_draws(a) >= 1 draws, the sum of squared deviations of the draws' totals
** x_j from their mean at column i (a report index; a year for NSM_SERIES_YEAR) of series `kind`
** of flat level, outcome or event k: sum_j (x_j - X / N)^2, where X = sum_j x_j is the series'
** value over all replications, which the caller has read (the series above, or the sum of a count
** histogram). Exact in integers, rounded once to a double. */
double nsm_accum_draw_ss(const nsm_accum *a, nsm_series_kind kind, int k, int i, int64_t total);

#endif
