/*
** progress.h: a progress bar with an ETA on stderr, only when stderr is a terminal.
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
} nsm_progress;

void nsm_progress_init(nsm_progress *p, int enabled);
/* Matches nsm_run_config.progress: ctx is an nsm_progress. */
void nsm_progress_update(void *ctx, uint64_t done, uint64_t total);
void nsm_progress_done(nsm_progress *p);

#endif
