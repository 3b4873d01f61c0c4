/*
** progress.c: see progress.h. Redrawn at most ten times a second.
*/
#include <omp.h>
#include <stdio.h>

#include "cli/progress.h"

void nsm_progress_init(nsm_progress *p, int enabled)
{
    p->enabled = enabled;
    p->t0 = omp_get_wtime();
    p->last = 0.0;
    p->drawn = 0;
    p->unit = "runs";
    p->runs_per_unit = 1.0;
    p->skipped = 0;
}

void nsm_progress_update(void *ctx, uint64_t done, uint64_t total)
{
    nsm_progress *p = ctx;
    double now = omp_get_wtime(), elapsed = now - p->t0;
    if (!p->enabled || now - p->last < 0.1 || elapsed < 0.3 || total == 0)
        return; /* nothing before 0.3 s: a rate measured over the first chunk is noise */
    if (done > total)
        done = total;
    p->last = now;
    p->drawn = 1;
    double now_done = done > p->skipped ? (double)(done - p->skipped) : 0;
    double frac = (double)done / (double)total, rate = elapsed > 0 ? now_done / elapsed : 0;
    char bar[31];
    int filled = (int)(frac * 30);
    for (int k = 0; k < 30; k++)
        bar[k] = k < filled ? '#' : '.';
    bar[30] = '\0';
    fprintf(stderr, "\r[%s] %3.0f%%  %llu/%llu %s  %.0f runs/s  ETA %.0f s   ", bar, 100 * frac,
            (unsigned long long)done, (unsigned long long)total, p->unit,
            rate * p->runs_per_unit, rate > 0 ? (double)(total - done) / rate : 0.0);
    fflush(stderr);
}

void nsm_progress_done(nsm_progress *p)
{
    if (p->enabled && p->drawn)
        fprintf(stderr, "\r%80s\r", "");
}
