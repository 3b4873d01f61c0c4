/*
** run.c: many replications in parallel with OpenMP, for one model (nsm_run) or for the arms of a
** comparison in lockstep (nsm_compare_run).
**
** Every thread has its own simulators and accumulators. Replications are handed out in chunks, but
** a replication's random numbers depend only on (seed, replication, stream), never on the thread,
** and the accumulators hold integers, so merging them (in thread order) gives the same result for
** any number of threads. No OpenMP floating-point reduction is used anywhere.
**
** A run that stops at a precision (nsm_batches) goes in whole batches: after each, the
** threads' accumulators are merged into the output and emptied, and the caller's rule reads the
** output; the next batch starts only if it asks for more. The rule sees batches 0..k, in index
** order, never a thread's partial work.
**
** In a comparison every arm simulates replication r with the same seed and streams, one after the
** other on the same thread, and the paired accumulators take the baseline's and the arm's traces.
*/
#include <omp.h>
#include <stdlib.h>

#include "neasim/paired.h"
#include "neasim/engine.h"

enum { CHUNK = 256 };

typedef struct {
    int n_arms;
    nsm_sim **sim;
    nsm_accum **acc;
    nsm_paired **paired; /* [0] is NULL: the baseline is not paired with itself */
} worker;

static void worker_release(worker *w)
{
    for (int a = 0; a < w->n_arms; a++) {
        if (w->sim)
            nsm_sim_free(w->sim[a]);
        if (w->acc)
            nsm_accum_free(w->acc[a]);
        if (w->paired)
            nsm_paired_free(w->paired[a]);
    }
    free(w->sim);
    free(w->acc);
    free(w->paired);
}

static int worker_init(worker *w, const nsm_model *m, const nsm_arm *arms, int n_arms,
                       const nsm_run_config *c)
{
    w->n_arms = n_arms;
    w->sim = calloc((size_t)n_arms, sizeof *w->sim);
    w->acc = calloc((size_t)n_arms, sizeof *w->acc);
    w->paired = calloc((size_t)n_arms, sizeof *w->paired);
    if (!w->sim || !w->acc || !w->paired)
        return -1;
    for (int a = 0; a < n_arms; a++) {
        if (!(w->sim[a] = nsm_sim_alloc(m)) || !(w->acc[a] = nsm_accum_alloc(m)) ||
            nsm_sim_set_uncertainty(w->sim[a], c->uncertainty, c->runs_per_draw) != NSM_OK)
            return -1;
        nsm_sim_set_limits(w->sim[a], c->max_events, c->stop);
        if (!arms)
            continue;
        nsm_sim_set_arm(w->sim[a], &arms[a]);
        if (n_arms > 1 && nsm_sim_enable_trace(w->sim[a]) != NSM_OK)
            return -1;
        if (a > 0 && !(w->paired[a] = nsm_paired_alloc(m)))
            return -1;
    }
    return 0;
}

static void workers_free(worker *w, int n)
{
    for (int k = 0; w && k < n; k++)
        worker_release(&w[k]);
    free(w);
}

/* Each thread allocates its own simulators and accumulators, so that they come from its own
** malloc arena and no two threads write to one cache line (false sharing cost a third of the
** throughput of two threads on the reference chain). */
static worker *workers_alloc(const nsm_model *m, const nsm_arm *arms, int n_arms, int n,
                             const nsm_run_config *c)
{
    worker *w = calloc((size_t)n, sizeof *w);
    int failed = 0;
    if (!w)
        return NULL;
#pragma omp parallel num_threads(n) reduction(| : failed)
    failed |= worker_init(&w[omp_get_thread_num()], m, arms, n_arms, c) != 0;
    for (int k = 0; k < n && !failed; k++) /* a team smaller than asked for leaves some to us */
        if (!w[k].sim)
            failed = worker_init(&w[k], m, arms, n_arms, c) != 0;
    if (failed) {
        workers_free(w, n);
        return NULL;
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

/* Replication rep in every arm of worker w, then its pairings. */
static nsm_status replicate(worker *w, uint64_t seed, uint64_t rep, nsm_diag *d)
{
    for (int a = 0; a < w->n_arms; a++) {
        nsm_status st = nsm_sim_replicate(w->sim[a], seed, rep, w->acc[a], d);
        if (st != NSM_OK)
            return st;
    }
    for (int a = 1; a < w->n_arms; a++)
        if (w->paired[a])
            nsm_paired_add(w->paired[a], nsm_sim_trace(w->sim[0]), nsm_sim_trace(w->sim[a]));
    return NSM_OK;
}

/* Replications first .. first + n - 1 of the run (offsets from c->first_rep); done: those
** simulated before, for the progress bar. Small batches get smaller chunks so that every thread
** has work; a chunk only schedules, it never changes a result. */
static void simulate(const nsm_run_config *c, worker *w, int nt, uint64_t first, uint64_t n,
                     failure *fail)
{
    long long end = (long long)(first + n);
    int chunk = (int)(n / (4 * (uint64_t)nt));
    chunk = chunk < 1 ? 1 : chunk > CHUNK ? CHUNK : chunk;
#pragma omp parallel num_threads(nt)
    {
        worker *me = &w[omp_get_thread_num()];
#pragma omp for schedule(dynamic, chunk)
        for (long long r = (long long)first; r < end; r++) {
            int failed;
#pragma omp atomic read
            failed = fail->flag;
            if (failed || (c->stop && *c->stop))
                continue;
            nsm_diag d;
            nsm_diag_init(&d);
            uint64_t rep = c->first_rep + (uint64_t)r;
            nsm_status st = replicate(me, c->seed, rep, &d);
            if (st != NSM_OK && st != NSM_STOPPED) /* stopped: c->stop says so */
                note_failure(fail, rep, st, &d);
            else
                nsm_diag_release(&d);
            if (c->progress && omp_get_thread_num() == 0 && r % CHUNK == 0)
                c->progress(c->progress_ctx,
                            first + nsm_accum_runs(me->acc[0]) * (uint64_t)nt, c->runs);
        }
    }
}

/* Add every thread's accumulators to the output, in thread order, and empty them for the next
** batch (integer sums: a batch merged now and one merged later add up exactly). */
static nsm_status merge(worker *w, int nt, nsm_accum **acc, nsm_paired **paired)
{
    for (int k = 0; k < nt; k++)
        for (int a = 0; a < w[k].n_arms; a++) {
            if (nsm_accum_merge(acc[a], w[k].acc[a]))
                return NSM_ERR_NOMEM;
            nsm_accum_reset(w[k].acc[a]);
            if (paired && paired[a] && w[k].paired[a]) {
                nsm_paired_merge(paired[a], w[k].paired[a]);
                nsm_paired_reset(w[k].paired[a]);
            }
        }
    return NSM_OK;
}

/* The status of the batch just simulated: the lowest failing replication's, or stopped. */
static nsm_status batch_status(const nsm_run_config *c, failure *fail, nsm_diag *diag)
{
    if (fail->status != NSM_OK) {
        diag->error = fail->diag.error;
        fail->diag.error = NULL;
        nsm_diag_release(&fail->diag);
        return fail->status;
    }
    return c->stop && *c->stop ? NSM_STOPPED : NSM_OK;
}

/* Whole batches in index order until c->runs, or until b->enough says the results suffice. */
static nsm_status simulate_batches(const nsm_run_config *c, const nsm_batches *b, worker *w,
                                   int nt, nsm_accum **acc, nsm_paired **paired, nsm_diag *diag)
{
    const uint64_t batch = b && b->batch ? b->batch : c->runs;
    nsm_status st = NSM_OK;
    failure fail = {0, NSM_OK, {NULL, NULL}, 0};
    for (uint64_t done = 0; st == NSM_OK && done < c->runs;) {
        uint64_t n = c->runs - done < batch ? c->runs - done : batch, lo = 0, hi = n;
        if (b && b->n_ranks > 1) { /* this rank's slice of the batch */
            lo = n * (uint64_t)b->rank / (uint64_t)b->n_ranks;
            hi = n * (uint64_t)(b->rank + 1) / (uint64_t)b->n_ranks;
        }
        simulate(c, w, nt, done + lo, hi - lo, &fail);
        st = batch_status(c, &fail, diag);
        if (st == NSM_OK && merge(w, nt, acc, paired) != NSM_OK)
            st = nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory merging results");
        done += n;
        if (st == NSM_OK && b && b->enough && done < c->runs && b->enough(b->ctx))
            break;
    }
    return st;
}

static nsm_status run_arms(const nsm_model *m, const nsm_arm *arms, int n_arms,
                           const nsm_run_config *c, const nsm_batches *b, nsm_accum **acc,
                           nsm_paired **paired, nsm_run_stats *stats, nsm_diag *diag)
{
    int nt = c->threads > 0 ? c->threads : omp_get_max_threads();
    double t0 = omp_get_wtime();
    worker *w = workers_alloc(m, arms, n_arms, nt, c);
    if (!w)
        return nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory setting up %d threads", nt);
    nsm_status st = simulate_batches(c, b, w, nt, acc, paired, diag);
    nsm_run_stats rs = {nt, 0, 0, 0.0};
    for (int k = 0; k < nt; k++)
        for (int a = 0; a < w[k].n_arms; a++) {
            rs.events += nsm_sim_event_count(w[k].sim[a]);
            rs.draws += nsm_sim_draw_count(w[k].sim[a]);
        }
    workers_free(w, nt);
    rs.wall_seconds = omp_get_wtime() - t0;
    if (stats)
        *stats = rs;
    return st;
}

nsm_status nsm_run(const nsm_model *m, const nsm_run_config *c, nsm_accum *out,
                   nsm_run_stats *stats, nsm_diag *diag)
{
    return run_arms(m, NULL, 1, c, NULL, &out, NULL, stats, diag);
}

nsm_status nsm_compare_run(const nsm_model *m, const nsm_arm *arms, int n_arms,
                           const nsm_run_config *c, nsm_accum **acc, nsm_paired **paired,
                           nsm_run_stats *stats, nsm_diag *diag)
{
    return run_arms(m, arms, n_arms, c, NULL, acc, paired, stats, diag);
}

nsm_status nsm_run_batched(const nsm_model *m, const nsm_run_config *c, const nsm_batches *b,
                           nsm_accum *out, nsm_run_stats *stats, nsm_diag *diag)
{
    return run_arms(m, NULL, 1, c, b, &out, NULL, stats, diag);
}

nsm_status nsm_compare_run_batched(const nsm_model *m, const nsm_arm *arms, int n_arms,
                                   const nsm_run_config *c, const nsm_batches *b, nsm_accum **acc,
                                   nsm_paired **paired, nsm_run_stats *stats, nsm_diag *diag)
{
    return run_arms(m, arms, n_arms, c, b, acc, paired, stats, diag);
}
