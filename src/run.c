/*
** run.c: many replications in parallel with OpenMP.
**
** Every thread has its own simulator and accumulator. Replications are handed out in chunks, but
** a replication's random numbers depend only on (seed, replication, stream), never on the thread,
** and the accumulators hold integers, so merging them (in thread order) gives the same result for
** any number of threads. No OpenMP floating-point reduction is used anywhere.
*/
#include <omp.h>
#include <stdlib.h>

#include "neasim/engine.h"

enum { CHUNK = 256 };

typedef struct {
    nsm_sim *sim;
    nsm_accum *acc;
} worker;

static void workers_free(worker *w, int n)
{
    for (int k = 0; w && k < n; k++) {
        nsm_sim_free(w[k].sim);
        nsm_accum_free(w[k].acc);
    }
    free(w);
}

static worker *workers_alloc(const nsm_model *m, int n)
{
    worker *w = calloc((size_t)n, sizeof *w);
    for (int k = 0; w && k < n; k++) {
        w[k].sim = nsm_sim_alloc(m);
        w[k].acc = nsm_accum_alloc(m);
        if (!w[k].sim || !w[k].acc) {
            workers_free(w, n);
            return NULL;
        }
    }
    return w;
}

/* The lowest failing replication wins, so the message does not depend on scheduling as long as
** every replication before it ran. */
typedef struct {
    uint64_t rep;
    nsm_status status;
    nsm_diag diag;
    int flag; /* read by every thread to stop early; written atomically */
} failure;

static void note_failure(failure *f, uint64_t rep, nsm_status st, nsm_diag *d)
{
#pragma omp critical(nsm_run_failure)
    {
        if (f->status == NSM_OK || rep < f->rep) {
            nsm_diag_release(&f->diag);
            f->diag = *d;
            f->rep = rep;
            f->status = st;
#pragma omp atomic write
            f->flag = 1;
        } else {
            nsm_diag_release(d);
        }
    }
}

static void simulate(const nsm_run_config *c, worker *w, int nt, failure *fail,
                     nsm_run_stats *rs)
{
    long long n = (long long)c->runs;
#pragma omp parallel num_threads(nt)
    {
        worker *me = &w[omp_get_thread_num()];
#pragma omp for schedule(dynamic, CHUNK)
        for (long long r = 0; r < n; r++) {
            int failed;
#pragma omp atomic read
            failed = fail->flag;
            if (failed || (c->stop && *c->stop))
                continue;
            nsm_diag d;
            nsm_diag_init(&d);
            uint64_t rep = c->first_rep + (uint64_t)r;
            nsm_status st = nsm_sim_replicate(me->sim, c->seed, rep, me->acc, &d);
            if (st != NSM_OK)
                note_failure(fail, rep, st, &d);
            else
                nsm_diag_release(&d);
            if (c->progress && omp_get_thread_num() == 0 && r % CHUNK == 0)
                c->progress(c->progress_ctx, nsm_accum_runs(me->acc) * (uint64_t)nt, c->runs);
        }
    }
    for (int k = 0; k < nt; k++) {
        rs->events += nsm_sim_event_count(w[k].sim);
        rs->draws += nsm_sim_draw_count(w[k].sim);
    }
}

nsm_status nsm_run(const nsm_model *m, const nsm_run_config *c, nsm_accum *out,
                   nsm_run_stats *stats, nsm_diag *diag)
{
    int nt = c->threads > 0 ? c->threads : omp_get_max_threads();
    double t0 = omp_get_wtime();
    worker *w = workers_alloc(m, nt);
    if (!w)
        return nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory setting up %d threads", nt);
    failure fail = {0, NSM_OK, {NULL, NULL}, 0};
    nsm_run_stats rs = {nt, 0, 0, 0.0};
    simulate(c, w, nt, &fail, &rs);
    nsm_status st = fail.status;
    if (st != NSM_OK) {
        diag->error = fail.diag.error;
        fail.diag.error = NULL;
        nsm_diag_release(&fail.diag);
    } else if (c->stop && *c->stop) {
        st = nsm_diag_error(diag, NSM_ERR_USAGE, "interrupted");
    }
    for (int k = 0; st == NSM_OK && k < nt; k++)
        if (nsm_accum_merge(out, w[k].acc))
            st = nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory merging results");
    workers_free(w, nt);
    rs.wall_seconds = omp_get_wtime() - t0;
    if (stats)
        *stats = rs;
    return st;
}
