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
** other on the same thread, and the paired accumulators take the baseline's and the arm's traces
** (and the rivals every arm's: rivals.h).
*/
#include <omp.h>
#include <stdlib.h>

#include "neasim/paired.h"
#include "neasim/engine.h"
#include "neasim/story.h"
#include "sim/internal.h"

enum { CHUNK = 256 };

typedef struct {
    int n_arms;
    nsm_sim **sim;
    nsm_accum **acc;
    int n_pairs;
    const int (*pairs)[2];
    nsm_paired **paired;          /* [k] accumulates pairs[k] */
    nsm_rivals *rivals;           /* every two arms, when the caller's pairings have them */
    const nsm_trace **trace;      /* [a]: arm a's, for the rivals */
    nsm_story *story;             /* routes and signposts of arm 0, when asked for */
} worker;

static void worker_release(worker *w)
{
    for (int a = 0; a < w->n_arms; a++) {
        if (w->sim)
            nsm_sim_free(w->sim[a]);
        if (w->acc)
            nsm_accum_free(w->acc[a]);
    }
    for (int k = 0; w->paired && k < w->n_pairs; k++)
        nsm_paired_free(w->paired[k]);
    nsm_rivals_free(w->rivals);
    free(w->trace);
    nsm_story_free(w->story);
    free(w->sim);
    free(w->acc);
    free(w->paired);
}

/* models: NULL (every arm a variant of m), or one model per arm (whole scenarios). */
static int worker_init(worker *w, const nsm_model *m, const nsm_model *const *models,
                       const nsm_arm *arms, int n_arms, const nsm_pairings *pr,
                       const nsm_run_config *c, const nsm_story *story)
{
    w->n_arms = n_arms;
    w->n_pairs = pr->n;
    w->pairs = pr->arm;
    w->sim = calloc((size_t)n_arms, sizeof *w->sim);
    w->acc = calloc((size_t)n_arms, sizeof *w->acc);
    w->paired = calloc((size_t)pr->n + 1, sizeof *w->paired);
    if (!w->sim || !w->acc || !w->paired)
        return -1;
    for (int a = 0; a < n_arms; a++) {
        const nsm_model *ma = models ? models[a] : m;
        if (!(w->sim[a] = nsm_sim_alloc(ma)) || !(w->acc[a] = nsm_accum_alloc(ma)) ||
            nsm_sim_set_uncertainty(w->sim[a], c->uncertainty, c->runs_per_draw) != NSM_OK)
            return -1;
        nsm_sim_set_limits(w->sim[a], c->max_events, c->stop);
        if (a == 0 && story && (!(w->story = nsm_story_alloc_like(story)) ||
                                   nsm_sim_set_story(w->sim[0], w->story) != NSM_OK))
            return -1;
        if (!arms)
            continue;
        nsm_sim_set_arm(w->sim[a], &arms[a]);
        if (!models && a > 0) { /* replicate() runs arm 0 first: its draws serve every arm */
            nsmi_uncertain_share(w->sim[a], w->sim[0]);
            nsmi_sim_share_grid(w->sim[a], w->sim[0]);
        }
        if (n_arms > 1 && nsm_sim_enable_trace(w->sim[a]) != NSM_OK)
            return -1;
        w->sim[a]->defer_on = n_arms > 1; /* the arms' accumulators outgrow the cache */
    }
    for (int a = 0; a < n_arms; a++) /* after the arm: the scratch models follow its phases */
        if (nsmi_uncertain_alloc(w->sim[a]))
            return -1;
    for (int k = 0; k < pr->n; k++)
        if (!(w->paired[k] = nsm_paired_alloc(m)))
            return -1;
    if (pr->rivals && n_arms > 1) { /* the traces exist with two arms or more */
        if (!(w->rivals = nsm_rivals_alloc_like(pr->rivals)) ||
            !(w->trace = calloc((size_t)n_arms, sizeof *w->trace)))
            return -1;
        for (int a = 0; a < n_arms; a++)
            w->trace[a] = nsm_sim_trace(w->sim[a]);
    }
    return 0;
}

static void workers_free(worker *w, int n)
{
    for (int k = 0; w && k < n; k++)
        worker_release(&w[k]);
    free(w);
}

/* Worker k's simulators and accumulators are allocated by a thread of their own, and never by the
** caller's: they then come from that thread's malloc arena (glibc gives each thread one, up to 8 a
** core), apart from each other and from the model, the arms and all else the caller allocated,
** which the threads read at every event. The caller becomes thread 0 of the team that simulates,
** and what it allocated for worker 0 would come from the same arena as the model, in between its
** arrays: every write of worker 0 could then take from the other threads' caches lines of the
** model they read (false sharing; whether it happens depends on which small blocks the reader
** happened to free). It did in make bench's engine benchmark of the reference chain: 2,000,000
** replications took 1.00 s on 2 threads against 0.65 s for 1,000,000 on 1 (1.3x), where two
** processes side by side lost nothing; 0.66 s (2.0x) since. Scratch models, traces and
** stories are allocated here too, not at the first replication; what grows later grows by
** realloc, which keeps a block in its arena. One thread shares nothing: the caller allocates. A
** team smaller than asked for leaves the rest to the caller. */
static worker *workers_alloc(const nsm_model *m, const nsm_model *const *models,
                             const nsm_arm *arms, int n_arms, const nsm_pairings *pr, int n,
                             const nsm_run_config *c, const nsm_story *story)
{
    worker *w = calloc((size_t)n, sizeof *w);
    int failed = 0, skip = n > 1; /* thread 0 of the team, the caller, allocates no worker */
    if (!w)
        return NULL;
#pragma omp parallel num_threads(n + skip) reduction(| : failed)
    {
        int k = omp_get_thread_num() - skip;
        if (k >= 0 && k < n)
            failed |= worker_init(&w[k], m, models, arms, n_arms, pr, c, story) != 0;
    }
    for (int k = 0; k < n && !failed; k++) /* a team smaller than asked for leaves some to us */
        if (!w[k].sim)
            failed = worker_init(&w[k], m, models, arms, n_arms, pr, c, story) != 0;
    if (failed) {
        workers_free(w, n);
        return NULL;
    }
    return w;
}

/* The lowest failing replication wins, so the message does not depend on scheduling: after a
** failure the threads skip only the replications above it (none of them can win), and still run
** every one below it (one of them may fail too, and then wins). */
typedef struct {
    uint64_t rep;
    nsm_status status;
    nsm_diag diag;
    uint64_t skip_above; /* the lowest failing replication so far (UINT64_MAX: none); atomic */
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
            f->skip_above = rep;
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
    for (int k = 0; k < w->n_pairs; k++)
        nsm_paired_add(w->paired[k], nsm_sim_trace(w->sim[w->pairs[k][0]]),
                       nsm_sim_trace(w->sim[w->pairs[k][1]]));
    if (w->rivals)
        nsm_rivals_add(w->rivals, w->trace);
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
            uint64_t rep = c->first_rep + (uint64_t)r, skip_above;
#pragma omp atomic read
            skip_above = fail->skip_above;
            if (rep > skip_above || (c->stop && *c->stop))
                continue;
            nsm_diag d;
            nsm_diag_init(&d);
            nsm_status st = replicate(me, c->seed, rep, &d);
            if (st != NSM_OK && st != NSM_STOPPED) /* stopped: c->stop says so */
                note_failure(fail, rep, st, &d);
            else if (d.error || d.warnings) /* most replications say nothing: no frees */
                nsm_diag_release(&d);
            if (c->progress && omp_get_thread_num() == 0 && r % CHUNK == 0)
                c->progress(c->progress_ctx,
                            first + nsm_accum_runs(me->acc[0]) * (uint64_t)nt, c->runs);
        }
    }
}

/* Add every thread's accumulators to the output, in thread order, and empty them for the next
** batch (integer sums: a batch merged now and one merged later add up exactly). After the last
** batch a thread's count tables are moved into the output where it has none yet, and freed
** otherwise (nsm_accum_merge_take), so that the output's tables are not a further copy of the
** largest beside every thread's: those follow the largest count drawn, report dates x count
** values (a 100-year monthly baseline of 20,000 replications peaked at 231,480 KiB on 2 threads,
** the launch days' largest count 6,246). Before the last batch they are kept: a thread that
** grows them again does so from the thread that simulates, not the one that allocated it
** (workers_alloc). */
static nsm_status merge(worker *w, int nt, nsm_accum **acc, const nsm_pairings *pr, int last)
{
    nsm_paired **paired = pr->paired;
    for (int k = 0; k < nt; k++) {
        for (int a = 0; a < w[k].n_arms; a++) {
            if (last ? nsm_accum_merge_take(acc[a], w[k].acc[a])
                     : nsm_accum_merge(acc[a], w[k].acc[a]))
                return NSM_ERR_NOMEM;
            if (!last)
                nsm_accum_reset(w[k].acc[a]);
        }
        for (int p = 0; p < w[k].n_pairs; p++) {
            if (nsm_paired_merge(paired[p], w[k].paired[p]))
                return NSM_ERR_NOMEM;
            nsm_paired_reset(w[k].paired[p]);
        }
        if (w[k].rivals) {
            nsm_rivals_merge(pr->rivals, w[k].rivals);
            nsm_rivals_reset(w[k].rivals);
        }
    }
    return NSM_OK;
}

/* The stories (routes and signposts) of every thread, once at the end, in thread order. */
static nsm_status merge_stories(worker *w, int nt, nsm_story *story)
{
    for (int k = 0; story && k < nt; k++)
        if (nsm_story_merge(story, w[k].story) != NSM_OK)
            return NSM_ERR_NOMEM;
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
                                   int nt, nsm_accum **acc, const nsm_pairings *pr,
                                   nsm_diag *diag)
{
    const uint64_t batch = b && b->batch ? b->batch : c->runs;
    nsm_status st = NSM_OK;
    failure fail = {0, NSM_OK, {NULL, NULL}, UINT64_MAX};
    for (uint64_t done = 0; st == NSM_OK && done < c->runs;) {
        uint64_t n = c->runs - done < batch ? c->runs - done : batch, lo = 0, hi = n;
        if (b && b->n_ranks > 1) { /* this rank's slice of the batch */
            lo = n * (uint64_t)b->rank / (uint64_t)b->n_ranks;
            hi = n * (uint64_t)(b->rank + 1) / (uint64_t)b->n_ranks;
        }
        simulate(c, w, nt, done + lo, hi - lo, &fail);
        st = batch_status(c, &fail, diag);
        if (st == NSM_OK && merge(w, nt, acc, pr, done + n >= c->runs) != NSM_OK)
            st = nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory merging results");
        done += n;
        if (st == NSM_OK && b && b->enough && done < c->runs && b->enough(b->ctx))
            break;
    }
    return st;
}

/* What one call simulates: the model (or one model per arm), its arms, which pairs of arms are
** paired, any batching and any story accumulator. */
typedef struct {
    const nsm_model *m;
    const nsm_model *const *models; /* NULL: every arm a variant of m */
    const nsm_arm *arms;
    int n_arms;
    nsm_pairings pr;
    const nsm_batches *b;
    nsm_story *story;
} job;

static nsm_status run_arms(const job *j, const nsm_run_config *c, nsm_accum **acc,
                           nsm_run_stats *stats, nsm_diag *diag)
{
    int nt = c->threads > 0 ? c->threads : omp_get_max_threads();
    double t0 = omp_get_wtime();
    worker *w = workers_alloc(j->m, j->models, j->arms, j->n_arms, &j->pr, nt, c, j->story);
    if (!w)
        return nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory setting up %d threads", nt);
    nsm_status st = simulate_batches(c, j->b, w, nt, acc, &j->pr, diag);
    if (st == NSM_OK && merge_stories(w, nt, j->story) != NSM_OK)
        st = nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory merging results");
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
    const job j = {m, NULL, NULL, 1, {0, NULL, NULL, NULL}, NULL, NULL};
    return run_arms(&j, c, &out, stats, diag);
}

nsm_status nsm_run_story(const nsm_model *m, const nsm_run_config *c, nsm_accum *out,
                         nsm_story *story, nsm_run_stats *stats, nsm_diag *diag)
{
    const job j = {m, NULL, NULL, 1, {0, NULL, NULL, NULL}, NULL, story};
    return run_arms(&j, c, &out, stats, diag);
}

nsm_status nsm_run_story_batched(const nsm_model *m, const nsm_run_config *c,
                                 const nsm_batches *b, nsm_accum *out, nsm_story *story,
                                 nsm_run_stats *stats, nsm_diag *diag)
{
    const job j = {m, NULL, NULL, 1, {0, NULL, NULL, NULL}, b, story};
    return run_arms(&j, c, &out, stats, diag);
}

nsm_status nsm_run_batched(const nsm_model *m, const nsm_run_config *c, const nsm_batches *b,
                           nsm_accum *out, nsm_run_stats *stats, nsm_diag *diag)
{
    const job j = {m, NULL, NULL, 1, {0, NULL, NULL, NULL}, b, NULL};
    return run_arms(&j, c, &out, stats, diag);
}

nsm_status nsm_compare_run_pairs(const nsm_model *m, const nsm_model *const *models,
                                 const nsm_arm *arms, int n_arms, const nsm_run_config *c,
                                 const nsm_batches *b, nsm_accum **acc, const nsm_pairings *pairs,
                                 nsm_run_stats *stats, nsm_diag *diag)
{
    const job j = {m, models, arms, n_arms, *pairs, b, NULL};
    return run_arms(&j, c, acc, stats, diag);
}

/* Pairs (0, a) for every arm a >= 1; NULL when out of memory. */
static int (*base_pairs(int n_pairs))[2]
{
    int (*pairs)[2] = malloc(((size_t)n_pairs + 1) * sizeof *pairs);
    for (int a = 1; pairs && a <= n_pairs; a++) {
        pairs[a - 1][0] = 0;
        pairs[a - 1][1] = a;
    }
    return pairs;
}

/* Every arm against the baseline: paired[a] (a >= 1) takes the pair (0, a); paired[0] unused. */
static nsm_status against_base(const nsm_model *m, const nsm_model *const *models,
                               const nsm_arm *arms, int n_arms, const nsm_run_config *c,
                               nsm_accum **acc, nsm_paired **paired, nsm_run_stats *stats,
                               nsm_diag *diag)
{
    int n_pairs = paired && n_arms > 1 ? n_arms - 1 : 0;
    int (*pairs)[2] = base_pairs(n_pairs);
    if (!pairs)
        return nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
    const job j = {m,
                   models,
                   arms,
                   n_arms,
                   {n_pairs, (const int (*)[2])pairs, paired ? paired + 1 : NULL, NULL},
                   NULL,
                   NULL};
    nsm_status st = run_arms(&j, c, acc, stats, diag);
    free(pairs);
    return st;
}

nsm_status nsm_compare_run(const nsm_model *m, const nsm_arm *arms, int n_arms,
                           const nsm_run_config *c, nsm_accum **acc, nsm_paired **paired,
                           nsm_run_stats *stats, nsm_diag *diag)
{
    return against_base(m, NULL, arms, n_arms, c, acc, paired, stats, diag);
}

nsm_status nsm_compare_models(const nsm_model *const *models, const nsm_arm *arms, int n_arms,
                              const nsm_run_config *c, nsm_accum **acc, nsm_paired **paired,
                              nsm_run_stats *stats, nsm_diag *diag)
{
    return against_base(models[0], models, arms, n_arms, c, acc, paired, stats, diag);
}

/* Side by side when there are at least four runs a thread (the last runs then leave at most a
** quarter of a thread's share idle), unless each run is so long that sharing its replications
** costs nothing and balances perfectly (more than 16 chunks a thread). */
int nsm_runs_side_by_side(uint64_t n_runs, uint64_t runs, int threads)
{
    int nt = threads > 0 ? threads : omp_get_max_threads();
    if (nt <= 1 || n_runs < 4 * (uint64_t)nt)
        return 0;
    if (runs > 16 * (uint64_t)CHUNK * (uint64_t)nt && n_runs < 16 * (uint64_t)nt)
        return 0;
    return nt;
}
