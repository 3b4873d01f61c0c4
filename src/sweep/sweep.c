/*
** sweep.c: running the points of a sweep and assembling its tables (see sweep.h).
**
** Point p runs replications 0..runs-1 with the sweep's seed, like every other point (common random
** numbers), with the uncertain numbers at their means unless the design sets them. Its results at
** the horizons go to points/NNNNNNNN.csv (rows of sweep.csv) and its outcome counts to
** points/NNNNNNNN.counts (exact integers, from which sensitivity and tornado tables are computed,
** the events its replications simulated, and the seal of both): a point is done when its files
** match their seal (sweep_points.h); a damaged one is run again. Processes that share a point
** (MPI ranks) run slices of its replications (nsm_sweep_run_slice) and one of them writes it from
** their added accumulators (nsm_sweep_save_point): integer sums, so the same bytes.
*/
#include <errno.h>
#include <omp.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "neasim/compare.h"
#include "neasim/engine.h"
#include "neasim/csvout.h"
#include "neasim/outdir.h"
#include "neasim/stats.h"
#include "neasim/sweep.h"
#include "neasim/summary.h"
#include "sweep/points_file.h"

/* The arm of point p: its lever set (or none) with its numbers set. */
static nsm_status point_arm(const nsm_model *m, const nsm_sweep_design *d,
                            const nsm_sweep_point *pt, nsm_arm **arms, int *n_arms, nsm_diag *diag)
{
    const char *lev = pt->levers;
    nsm_status st;
    if (lev[0]) {
        st = nsm_arms_build(m, lev, 0, "sweep", arms, n_arms, diag);
    } else {
        *arms = calloc(2, sizeof **arms);
        *n_arms = 2; /* arms[1] is the one used; arms[0] stays empty */
        st = *arms ? NSM_OK : NSM_ERR_NOMEM;
        if (st == NSM_OK)
            snprintf((*arms)[1].name, sizeof (*arms)[1].name, "point");
    }
    nsm_param *params = NULL;
    double *values = NULL;
    int n = 0;
    for (int k = 0; k < d->n_params; k++)
        n += d->n_each[k];
    params = malloc(((size_t)n + 1) * sizeof *params);
    values = malloc(((size_t)n + 1) * sizeof *values);
    if (st == NSM_OK && (!params || !values))
        st = NSM_ERR_NOMEM;
    /* Paths naming more numbers first, so that where a `*` path and a narrower one share a
    ** number the narrower one wins, whatever the column order (sweep_design.c refuses any other
    ** overlap). Paths naming one number each keep their order. */
    int widest = 1;
    for (int k = 0; k < d->n_params; k++)
        widest = d->n_each[k] > widest ? d->n_each[k] : widest;
    int j = 0;
    for (int w = widest; st == NSM_OK && w >= 1; w--)
        for (int k = 0; k < d->n_params; k++)
            for (int q = 0; d->n_each[k] == w && q < d->n_each[k]; q++, j++) {
                params[j] = d->params[k][q];
                values[j] = pt->values[k];
            }
    if (st == NSM_OK)
        st = nsm_arm_set_point(m, &(*arms)[1], n, params, values, diag);
    free(params);
    free(values);
    return st;
}

static void row_start(nsm_csv *c, const nsm_sweep_design *d, const nsm_sweep_point *pt)
{
    nsm_csv_int(c, (int64_t)pt->index + 1);
    for (int k = 0; k < d->n_params; k++)
        nsm_csv_real(c, pt->values[k], 10);
    if (d->has_levers)
        nsm_csv_text(c, pt->levers[0] ? pt->levers : "none");
}

static void value_cols(nsm_csv *c, double v, double se, double lo, double hi)
{
    nsm_csv_real(c, v, 6);
    nsm_csv_real(c, se, 4);
    nsm_csv_real(c, lo, 6);
    nsm_csv_real(c, hi, 6);
    nsm_csv_end_row(c);
}

static void head_cols(nsm_csv *c, const nsm_model *m, const nsm_sweep_config *cf, int h,
                      const char *quantity, const char *name, const char *measure)
{
    nsm_csv_text(c, quantity);
    nsm_csv_text(c, name);
    nsm_csv_text(c, measure);
    nsm_csv_real(c, cf->years[h], 6);
    nsm_csv_text(c, m->report_date[cf->idx[h]]);
}

/* The rows of point p and its counts, from its accumulator. */
static nsm_status write_point(const nsm_model *m, const nsm_sweep_design *d,
                              const nsm_sweep_point *pt, const nsm_accum *a,
                              const nsm_sweep_config *cf, FILE *counts, nsm_csv *c)
{
    int64_t n = (int64_t)nsm_accum_runs(a);
    int64_t *s = malloc(((size_t)m->n_reports + 1) * sizeof *s);
    if (!s)
        return NSM_ERR_NOMEM;
    for (int o = 0; o < m->n_outcomes; o++)
        for (int ms = 0; ms < 2; ms++) {
            if (ms == 0) {
                nsm_accum_outcome_held_series(a, o, s);
            } else {
                nsm_occurred_by(m, a, o, s);
            }
            for (int h = 0; h < cf->n_h; h++) {
                int64_t k = s[cf->idx[h]];
                nsm_proportion pr = nsm_wilson(k, n);
                row_start(c, d, pt);
                head_cols(c, m, cf, h, "outcome", m->outcomes[o].name, ms ? "occurred_by" : "holds");
                value_cols(c, pr.p, pr.se, pr.lo, pr.hi);
                if (ms)
                    fprintf(counts, "%lld\n", (long long)k);
            }
        }
    double z = gsl_cdf_ugaussian_Pinv(0.975);
    for (int e = 0; e < m->n_events; e++) {
        int64_t nv, *hist = malloc(((size_t)nsm_accum_event_max_count(a, e) + 1) * sizeof *hist);
        if (!hist) {
            free(s);
            return NSM_ERR_NOMEM;
        }
        for (int h = 0; h < cf->n_h; h++) {
            nsm_accum_event_cumulative_hists(a, e, cf->idx[h], hist, &nv);
            nsm_count_summary cs = nsm_count_summarize(hist, nv);
            row_start(c, d, pt);
            head_cols(c, m, cf, h, "event", m->events[e].name, "cumulative_count");
            value_cols(c, cs.mean, cs.mean_se, cs.mean - z * cs.mean_se, cs.mean + z * cs.mean_se);
        }
        free(hist);
    }
    free(s);
    return NSM_OK;
}

/* Write point p's rows and its counts under temporary names, sealed (sweep_points.h); events: the
** events its replications simulated (their sum, when they ran in slices). */
static nsm_status save_point(const nsm_model *m, const nsm_sweep_design *d,
                             const nsm_sweep_point *pt, const nsm_accum *a, uint64_t events,
                             const nsm_sweep_config *cf, const char *work, nsm_diag *diag)
{
    const size_t p = pt->index;
    char *tcsv = nsmi_point_path(work, p, "csv.tmp"), *counts = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&counts, &n);
    nsm_csv c = {0};
    nsm_status st = tcsv && f ? NSM_OK : NSM_ERR_NOMEM;
    if (st == NSM_OK && (st = nsm_csv_open(&c, tcsv, 0, diag)) == NSM_OK) {
        st = write_point(m, d, pt, a, cf, f, &c);
        if (st == NSM_OK)
            fprintf(f, "events %llu\n", (unsigned long long)events);
        nsm_status cs = nsm_csv_close(&c, st == NSM_OK ? diag : NULL);
        st = st == NSM_OK ? cs : st;
    }
    if (f && fclose(f) != 0 && st == NSM_OK)
        st = NSM_ERR_NOMEM;
    if (st == NSM_OK)
        st = nsmi_point_seal(work, p, counts, n, diag);
    if (st == NSM_ERR_NOMEM && !diag->error)
        nsm_diag_error(diag, st, "out of memory");
    free(counts);
    free(tcsv);
    return st;
}

/* Warnings name at most this many damaged points (a damaged folder could have thousands). */
enum { DAMAGED_SHOWN = 10 };

static void report_damaged(const char *work, size_t p, const char *why, nsm_diag *diag)
{
    char *path = nsmi_point_path(work, p, "csv");
    nsm_diag_warn(diag, path, 0, 0, "point %zu is damaged (%s): running it again", p + 1, why);
    free(path);
}

/* Replications first .. first + count - 1 of point p into acc (reset first). */
static nsm_status run_slice(const nsm_model *m, const nsm_sweep_design *d,
                            const nsm_sweep_point *pt, uint64_t first, uint64_t count,
                            nsm_accum *acc, const nsm_sweep_config *cf, nsm_run_stats *rs,
                            nsm_diag *diag)
{
    nsm_arm *arms = NULL;
    int n_arms = 0;
    nsm_status st = point_arm(m, d, pt, &arms, &n_arms, diag);
    nsm_accum_reset(acc);
    nsm_run_config rc = cf->run;
    rc.first_rep = first;
    rc.runs = count;
    rc.uncertainty = NSM_UNCERTAINTY_NOMINAL;
    *rs = (nsm_run_stats){0, 0, 0, 0.0};
    if (st == NSM_OK)
        st = nsm_compare_run(m, &arms[1], 1, &rc, &acc, NULL, rs, diag);
    nsm_arms_free(arms, n_arms);
    return st;
}

static nsm_status run_point(const nsm_model *m, const nsm_sweep_design *d,
                            const nsm_sweep_point *pt, nsm_accum *acc,
                            const nsm_sweep_config *cf, const char *work, nsm_diag *diag)
{
    nsm_sweep_config one = *cf;
    one.run.progress = NULL; /* the sweep's progress counts points */
    nsm_run_stats rs;
    nsm_status st = run_slice(m, d, pt, 0, cf->run.runs, acc, &one, &rs, diag);
    if (st == NSM_OK)
        st = save_point(m, d, pt, acc, rs.events, cf, work, diag);
    return st;
}

nsm_status nsm_sweep_run_slice(const nsm_model *m, const nsm_sweep_design *d,
                               const nsm_sweep_point *pt, uint64_t first, uint64_t count,
                               nsm_accum *acc, const nsm_sweep_config *cf, uint64_t *events,
                               nsm_diag *diag)
{
    nsm_run_stats rs;
    nsm_status st = run_slice(m, d, pt, first, count, acc, cf, &rs, diag);
    *events = rs.events;
    return st;
}

nsm_status nsm_sweep_save_point(const nsm_model *m, const nsm_sweep_design *d,
                                const nsm_sweep_point *pt, const nsm_accum *acc, uint64_t events,
                                const nsm_sweep_config *cf, const char *work, nsm_diag *diag)
{
    char *dir = nsm_path_join(work, "points");
    int bad = !dir || (mkdir(dir, 0777) != 0 && errno != EEXIST);
    nsm_status st = bad ? nsm_diag_error(diag, NSM_ERR_IO, "cannot create %s: %s",
                                         dir ? dir : work, strerror(errno))
                        : save_point(m, d, pt, acc, events, cf, work, diag);
    free(dir);
    nsm_point_batch b = {0};
    if (st == NSM_OK)
        st = nsmi_point_batch_add(&b, work, pt->index, diag);
    if (st == NSM_OK)
        st = nsmi_point_batch_commit(&b, work, diag);
    nsmi_point_batch_release(&b);
    return st;
}

/* A point whose check ran out of memory counts as not done: it is run again, to the same bytes. */
int nsm_sweep_point_done(const char *work, size_t p, nsm_diag *diag)
{
    const char *why = NULL;
    nsm_point_state state = nsmi_point_check(work, p, &why);
    if (state == NSM_POINT_DAMAGED)
        report_damaged(work, p, why, diag);
    return state == NSM_POINT_DONE;
}

/* Points side by side (nsm_runs_side_by_side): a wave of them at a time, one whole point a thread
** with the thread's own accumulator and messages, in one parallel region; the wave's finished
** points then go to the batch in index order, so the folder is the same for any thread count.
** Each point's values and lever set are copied into the wave as it is gathered, from the one
** cursor (read by one thread): the wave's memory is bounded by its size, never the design's. */
typedef struct {
    size_t *p;        /* the wave's points, ascending */
    nsm_sweep_point *pt; /* each point's values and levers (in values and levers below) */
    double *values;   /* cap x n_params */
    char **levers;    /* each point's lever set, a copy */
    nsm_status *st;   /* each point's status */
    nsm_diag *dg;     /* each point's messages */
    nsm_accum **acc;  /* one a thread */
    size_t n, cap, n_params;
    int nt;
} wave;

static void wave_release(wave *w)
{
    for (int t = 0; w->acc && t < w->nt; t++)
        nsm_accum_free(w->acc[t]);
    for (size_t k = 0; w->levers && k < w->cap; k++)
        free(w->levers[k]);
    free(w->acc);
    free(w->p);
    free(w->pt);
    free(w->values);
    free(w->levers);
    free(w->st);
    free(w->dg);
}

static int wave_init(wave *w, const nsm_model *m, const nsm_sweep_design *d, int nt)
{
    *w = (wave){NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 16 * (size_t)nt,
                (size_t)d->n_params, nt};
    w->p = malloc(w->cap * sizeof *w->p);
    w->pt = malloc(w->cap * sizeof *w->pt);
    w->values = malloc(w->cap * (w->n_params + 1) * sizeof *w->values);
    w->levers = calloc(w->cap, sizeof *w->levers);
    w->st = malloc(w->cap * sizeof *w->st);
    w->dg = malloc(w->cap * sizeof *w->dg);
    w->acc = calloc((size_t)w->nt, sizeof *w->acc);
    if (!w->p || !w->pt || !w->values || !w->levers || !w->st || !w->dg || !w->acc)
        return -1;
    for (int t = 0; t < w->nt; t++)
        if (!(w->acc[t] = nsm_accum_alloc(m)))
            return -1;
    return 0;
}

/* Point pt into the wave (a copy: the cursor's is overwritten by the next point). */
static nsm_status wave_add(wave *w, const nsm_sweep_point *pt)
{
    size_t k = w->n;
    double *v = w->values + k * w->n_params;
    free(w->levers[k]);
    if (!(w->levers[k] = strdup(pt->levers)))
        return NSM_ERR_NOMEM;
    memcpy(v, pt->values, w->n_params * sizeof *v);
    w->p[k] = pt->index;
    w->pt[k] = (nsm_sweep_point){pt->index, v, w->levers[k]};
    w->n++;
    return NSM_OK;
}

static void wave_run(const nsm_model *m, const nsm_sweep_design *d, wave *w,
                     const nsm_sweep_config *cf, const char *work)
{
    nsm_sweep_config one = *cf;
    one.run.threads = 1;
    long long n = (long long)w->n;
#pragma omp parallel for num_threads(w->nt) schedule(dynamic, 1)
    for (long long k = 0; k < n; k++) {
        nsm_diag_init(&w->dg[k]);
        w->st[k] = run_point(m, d, &w->pt[k], w->acc[omp_get_thread_num()], &one, work, &w->dg[k]);
    }
}

/* Where nsm_sweep_run's loop stands. */
typedef struct {
    size_t done, damaged;
    nsm_point_batch batch;
} progress_state;

/* The wave's points after it ran, in index order: finished ones go to the batch (all of them when
** stopped: a finished point is kept); the first error in index order ends the sweep. */
static nsm_status wave_commit(wave *w, const nsm_sweep_config *cf, const char *work,
                              progress_state *ps, size_t *done_now, size_t total, nsm_diag *diag)
{
    nsm_status st = NSM_OK;
    for (size_t k = 0; k < w->n; k++) {
        nsm_status sk = w->st[k];
        if (sk == NSM_OK && st != NSM_OK && st != NSM_STOPPED)
            sk = NSM_STOPPED; /* after an error nothing more is kept */
        if (sk == NSM_OK)
            sk = nsmi_point_batch_add(&ps->batch, work, w->p[k], &w->dg[k]);
        if (sk == NSM_OK) {
            ++*done_now;
            ps->done++;
            if (cf->progress)
                cf->progress(cf->progress_ctx, ps->done, total);
        } else if (st == NSM_OK || (st == NSM_STOPPED && sk != NSM_STOPPED)) {
            st = sk;
            if (sk != NSM_STOPPED) {
                diag->error = w->dg[k].error;
                w->dg[k].error = NULL;
            }
        }
        nsm_diag_release(&w->dg[k]);
    }
    w->n = 0;
    return st;
}

static int stop_asked(const nsm_sweep_config *cf, size_t done_now)
{
    return (cf->run.stop && *cf->run.stop) || (cf->stop_after && done_now >= cf->stop_after);
}

nsm_status nsm_sweep_run(const nsm_model *m, const nsm_sweep_design *d, const char *work,
                         const nsm_sweep_config *cf, size_t *done_now, nsm_diag *diag)
{
    char *dir = nsmi_points_dir(work, diag);
    if (!dir)
        return NSM_ERR_IO;
    free(dir);
    const size_t stride = cf->stride ? cf->stride : 1;
    const size_t total = cf->offset < d->n_points ? (d->n_points - cf->offset + stride - 1) / stride
                                                  : 0; /* the points of this shard */
    const int side = nsm_runs_side_by_side(total, cf->run.runs, cf->run.threads);
    nsm_accum *acc = nsm_accum_alloc(m);
    wave w;
    int wave_failed = wave_init(&w, m, d, side ? side : 1);
    nsm_status st =
        acc && !wave_failed ? NSM_OK : nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
    nsm_sweep_cursor *cur = NULL;
    char *copy = st == NSM_OK ? nsm_path_join(work, NSM_SWEEP_DESIGN_COPY) : NULL;
    if (st == NSM_OK)
        st = copy ? nsm_sweep_cursor_open(d, copy, &cur, diag)
                  : nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
    free(copy);
    const nsm_sweep_point *pt = NULL;
    progress_state ps = {0, 0, {0}};
    *done_now = 0;
    for (size_t p = cf->offset; st == NSM_OK && p < d->n_points; p += stride) {
        const char *why = NULL;
        nsm_point_state state = nsmi_point_check(work, p, &why);
        if (state == NSM_POINT_DONE) {
            ps.done++;
            continue;
        }
        if (state == NSM_POINT_NOMEM) {
            st = nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory reading point %zu in %s",
                                p + 1, work);
            break;
        }
        if (state == NSM_POINT_DAMAGED && ++ps.damaged <= DAMAGED_SHOWN)
            report_damaged(work, p, why, diag);
        if (stop_asked(cf, *done_now + w.n)) {
            st = NSM_STOPPED;
            break;
        }
        if ((st = nsm_sweep_cursor_point(cur, p, &pt, diag)) != NSM_OK)
            break;
        if (side) { /* gather a wave; it runs when full, or after the loop */
            if ((st = wave_add(&w, pt)) != NSM_OK) {
                nsm_diag_error(diag, st, "out of memory");
                break;
            }
            if (w.n == w.cap) {
                wave_run(m, d, &w, cf, work);
                st = wave_commit(&w, cf, work, &ps, done_now, total, diag);
            }
            continue;
        }
        st = run_point(m, d, pt, acc, cf, work, diag);
        if (st == NSM_OK)
            st = nsmi_point_batch_add(&ps.batch, work, p, diag);
        if (st == NSM_OK && !(cf->run.stop && *cf->run.stop)) {
            ++*done_now;
            ps.done++;
        }
        if (cf->progress)
            cf->progress(cf->progress_ctx, ps.done, total);
    }
    if (w.n > 0) { /* the last wave, or the one gathered before a stop */
        nsm_status ws;
        wave_run(m, d, &w, cf, work);
        ws = wave_commit(&w, cf, work, &ps, done_now, total, diag);
        st = st == NSM_OK || (st == NSM_STOPPED && ws != NSM_OK && ws != NSM_STOPPED) ? ws : st;
    }
    nsm_accum_free(acc);
    nsm_sweep_cursor_close(cur);
    wave_release(&w);
    /* the finished points of the last batch go to the disk however the loop ended */
    nsm_status bs = nsmi_point_batch_commit(&ps.batch, work, diag);
    nsmi_point_batch_release(&ps.batch);
    if (st == NSM_OK || (st == NSM_STOPPED && bs != NSM_OK))
        st = bs;
    if (ps.damaged > DAMAGED_SHOWN)
        nsm_diag_warn(diag, NULL, 0, 0, "%zu more damaged points run again", ps.damaged - DAMAGED_SHOWN);
    if (st == NSM_OK && cf->run.stop && *cf->run.stop)
        return NSM_STOPPED;
    return st;
}
