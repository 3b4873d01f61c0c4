/*
** progress.h: a progress bar with an ETA on stderr, only when stderr is a terminal. With
** --precision the count is not known beforehand, so the bar is of the count the target is
** estimated to need, not of the ceiling (whose ETA was minutes for a run of seconds).
*/
#ifndef NEASIM_PROGRESS_H
#define NEASIM_PROGRESS_H

#include <stdint.h>

typedef struct {
    int enabled;
    double t0, last;
    int drawn;
    const char *unit;     /* what is counted: "runs" (default) or "points" */
    double runs_per_unit; /* replications in one unit, for the replications-per-second figure */
    uint64_t skipped;     /* units done before this invocation (a resumed sweep) */
    /* --precision H (precision_h 0 without): the widest 95% half-width measured after the last
    ** batch (NaN before the first) at widest_at replications. A half-width shrinks as one over
    ** the square root of the count, so the target needs about widest_at (widest / H)^2. */
    double precision_h, widest;
    uint64_t widest_at;
} nsm_progress;

void nsm_progress_init(nsm_progress *p, int enabled);
/* Matches nsm_run_config.progress: ctx is an nsm_progress. */
void nsm_progress_update(void *ctx, uint64_t done, uint64_t total);
void nsm_progress_done(nsm_progress *p);
/* --precision: the widest half-width after a batch, at `runs` replications (p may be NULL). */
void nsm_progress_precision(nsm_progress *p, double widest, uint64_t runs);

#endif
