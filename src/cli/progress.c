/*
** progress.c: see progress.h. Redrawn at most ten times a second.
*/
#include <math.h>
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
    p->precision_h = 0;
    p->widest = (double)NAN;
    p->widest_at = 0;
}

void nsm_progress_precision(nsm_progress *p, double widest, uint64_t runs)
{
    if (!p)
        return;
    p->widest = widest;
    p->widest_at = runs;
}

/* The count the bar aims at: `total`, or with --precision the estimate of the count the target
** needs, within done .. total (total while no batch has been measured). */
static uint64_t goal_of(const nsm_progress *p, uint64_t done, uint64_t total)
{
    if (p->precision_h <= 0 || isnan(p->widest) || p->widest_at == 0)
        return total;
    const double r = p->widest / p->precision_h,
                 need = r <= 1 ? (double)p->widest_at : ceil((double)p->widest_at * r * r);
    return need <= (double)done ? done : need >= (double)total ? total : (uint64_t)need;
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
    const int precise = p->precision_h > 0;
    const uint64_t goal = goal_of(p, done, total);
    double now_done = done > p->skipped ? (double)(done - p->skipped) : 0;
    double frac = (double)done / (double)goal, rate = elapsed > 0 ? now_done / elapsed : 0;
    char bar[31];
    int width = precise ? 20 : 30, filled = (int)(frac * width); /* room for the estimate */
    for (int k = 0; k < width; k++)
        bar[k] = k < filled ? '#' : '.';
    bar[width] = '\0';
    double eta = rate > 0 ? (double)(goal - done) / rate : 0.0;
    if (precise && isnan(p->widest)) /* nothing to estimate from before the first batch */
        fprintf(stderr, "\r[%s]   %llu %s  %.0f runs/s  ETA after the first batch   ", bar,
                (unsigned long long)done, p->unit, rate * p->runs_per_unit);
    else if (precise) /* "about" the count, and the widest half-width it is estimated from */
        fprintf(stderr, "\r[%s] %3.0f%%  %llu/~%llu %s  ETA %.0f s  widest +-%.2f points   ",
                bar, 100 * frac, (unsigned long long)done, (unsigned long long)goal, p->unit, eta,
                100 * p->widest);
    else
        fprintf(stderr, "\r[%s] %3.0f%%  %llu/%llu %s  %.0f runs/s  ETA %.0f s   ", bar,
                100 * frac, (unsigned long long)done, (unsigned long long)total, p->unit,
                rate * p->runs_per_unit, eta);
    fflush(stderr);
}

void nsm_progress_done(nsm_progress *p)
{
    if (p->enabled && p->drawn)
        fprintf(stderr, "\r%90s\r", ""); /* the longest line the bar draws */
}
