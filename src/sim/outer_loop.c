/*
** outer_loop.c: the outer loop of a two-level run (outer_loop.h), one loop for run --outer and
** compare --outer. A lane is what one thread needs for the draws it runs: a draw's accumulators and
** the totals its replications go to (the caller's when draws run one after another; the lane's
** own when they run side by side, merged in thread order at the end: integer sums, so the totals
** do not depend on which thread ran which draw).
*/
#include "neasim/outer_loop.h"

#include <omp.h>
#include <stdlib.h>

/* Draw j's run configuration: replications j*runs .. (j+1)*runs - 1 under parameter draw j. */
static nsm_run_config draw_config(const nsm_run_config *c, uint64_t j, int threads)
{
    nsm_run_config cj = *c;
    cj.first_rep = c->first_rep + j * c->runs;
    cj.uncertainty = NSM_UNCERTAINTY_OUTER;
    cj.runs_per_draw = c->runs;
    cj.progress = NULL;
    cj.threads = threads;
    return cj;
}

typedef struct {
    int n;                 /* arms (1 for a plain run) */
    nsm_accum **acc;       /* the draw's, one an arm */
    nsm_paired **paired;   /* the draw's, for a >= 1 of a comparison; NULL entries otherwise */
    nsm_rivals *rivals;    /* the draw's every two arms, when the caller keeps them */
    int (*pairs)[2];       /* (0, a) for a >= 1: what paired[a] accumulates */
    nsm_accum **total;     /* where the draw's replications go */
    nsm_paired **tpaired;
    nsm_rivals *trivals;
    int owns_total;        /* total, tpaired and trivals are the lane's own (side by side) */
    nsm_run_stats sum;     /* over the draws this lane ran */
} lane;

static void lane_release(lane *l)
{
    for (int a = 0; a < l->n; a++) {
        if (l->acc)
            nsm_accum_free(l->acc[a]);
        if (l->paired)
            nsm_paired_free(l->paired[a]);
        if (l->owns_total && l->total)
            nsm_accum_free(l->total[a]);
        if (l->owns_total && l->tpaired)
            nsm_paired_free(l->tpaired[a]);
    }
    free(l->acc);
    free(l->paired);
    free(l->pairs);
    nsm_rivals_free(l->rivals);
    if (l->owns_total) {
        free(l->total);
        free(l->tpaired);
        nsm_rivals_free(l->trivals);
    }
}

/* total NULL: the lane allocates totals of its own; rivals (may be NULL): the caller's, whose
** shape the lane's take. */
static int lane_init(lane *l, const nsm_model *m, int n, int compare, nsm_accum **total,
                     nsm_paired **tpaired, nsm_rivals *rivals)
{
    *l = (lane){n, NULL, NULL, NULL, NULL, total, tpaired, total ? rivals : NULL, !total,
                {0, 0, 0, 0.0}};
    l->acc = calloc((size_t)n, sizeof *l->acc);
    l->paired = calloc((size_t)n, sizeof *l->paired);
    l->pairs = malloc((size_t)n * sizeof *l->pairs);
    if (!l->pairs)
        return -1;
    for (int a = 1; a < n; a++) {
        l->pairs[a - 1][0] = 0;
        l->pairs[a - 1][1] = a;
    }
    if (compare && rivals &&
        (!(l->rivals = nsm_rivals_alloc_like(rivals)) ||
         (l->owns_total && !(l->trivals = nsm_rivals_alloc_like(rivals)))))
        return -1;
    if (l->owns_total) {
        l->total = calloc((size_t)n, sizeof *l->total);
        l->tpaired = calloc((size_t)n, sizeof *l->tpaired);
    }
    if (!l->acc || !l->paired || !l->total || (compare && !l->tpaired))
        return -1;
    for (int a = 0; a < n; a++) {
        if (!(l->acc[a] = nsm_accum_alloc(m)))
            return -1;
        if (compare && a > 0 && !(l->paired[a] = nsm_paired_alloc(m)))
            return -1;
        if (l->owns_total && !(l->total[a] = nsm_accum_alloc(m)))
            return -1;
        if (l->owns_total && l->paired[a] && !(l->tpaired[a] = nsm_paired_alloc(m)))
            return -1;
    }
    return 0;
}

/* Arm by arm, accumulators and (where `from` has them) paired accumulators into `into`, and any
** rivals; `draw`: `from` holds one whole draw, whose totals squared go in too (accum.h,
** nsm_accum_add_draw). */
static int merge_arms(nsm_accum **into, nsm_paired **pinto, nsm_rivals *rinto,
                      nsm_accum *const *from, nsm_paired *const *pfrom, const nsm_rivals *rfrom,
                      int n, int draw)
{
    if (rfrom)
        nsm_rivals_merge(rinto, rfrom);
    for (int a = 0; a < n; a++) {
        if (draw ? nsm_accum_add_draw(into[a], from[a]) : nsm_accum_merge(into[a], from[a]))
            return -1;
        if (pfrom[a] && (draw ? nsm_paired_add_draw(pinto[a], pfrom[a], from[0], from[a])
                              : nsm_paired_merge(pinto[a], pfrom[a])))
            return -1;
    }
    return 0;
}

/* What runs each draw: m alone (arms NULL), the arms of m, or whole scenarios (models[a] for arm
** a, m = models[0]). */
typedef struct {
    const nsm_model *m;
    const nsm_model *const *models;
    const nsm_arm *arms;
} what;

/* Draw j on `threads` threads into lane l: run it, tell the caller, add it to the lane's totals. */
static nsm_status run_draw(const what *w, const nsm_run_config *c, const nsm_outer_draws *dr,
                           lane *l, uint64_t j, int threads, nsm_diag *d)
{
    const nsm_arm *arms = w->arms;
    nsm_run_config cj = draw_config(c, j, threads);
    nsm_run_stats rs = {0, 0, 0, 0.0};
    for (int a = 0; a < l->n; a++) {
        nsm_accum_reset(l->acc[a]);
        if (l->paired[a])
            nsm_paired_reset(l->paired[a]);
    }
    if (l->rivals)
        nsm_rivals_reset(l->rivals);
    const nsm_pairings pr = {l->n - 1, (const int (*)[2])l->pairs, l->paired + 1, l->rivals};
    nsm_status st = arms ? nsm_compare_run_pairs(w->m, w->models, arms, l->n, &cj, NULL, l->acc,
                                                 &pr, &rs, d)
                         : nsm_run(w->m, &cj, l->acc[0], &rs, d);
    if (st == NSM_OK &&
        (dr->done(dr->ctx, j, (const nsm_accum *const *)l->acc,
                  arms ? (const nsm_paired *const *)l->paired : NULL, l->rivals) ||
         merge_arms(l->total, l->tpaired, l->trivals, l->acc, l->paired, l->rivals, l->n, 1)))
        st = nsm_diag_error(d, NSM_ERR_NOMEM, "out of memory");
    l->sum = (nsm_run_stats){rs.threads, l->sum.events + rs.events, l->sum.draws + rs.draws,
                             l->sum.wall_seconds + rs.wall_seconds};
    return st;
}

/* The first failing draw in index order wins, so the message does not depend on scheduling. */
typedef struct {
    uint64_t j;
    nsm_status st;
    nsm_diag d;
} failure;

static void fail(failure *f, uint64_t j, nsm_status st, nsm_diag *d)
{
#pragma omp critical(nsm_outer_failure)
    {
        if (f->st == NSM_OK || j < f->j) {
            nsm_diag_release(&f->d);
            *f = (failure){j, st, *d};
        } else {
            nsm_diag_release(d);
        }
    }
}

static void lanes_free(lane *l, int nt)
{
    for (int t = 0; l && t < nt; t++)
        lane_release(&l[t]);
    free(l);
}

static lane *lanes_alloc(const nsm_model *m, int n, int compare, int nt, nsm_rivals *rivals)
{
    lane *l = calloc((size_t)nt, sizeof *l);
    int failed = !l;
    for (int t = 0; !failed && t < nt; t++)
        failed = lane_init(&l[t], m, n, compare, NULL, NULL, rivals);
    if (failed) {
        lanes_free(l, nt);
        return NULL;
    }
    return l;
}

/* Draws side by side: one parallel region, one whole draw a thread on one thread of its own, so
** there is no barrier between draws. */
static nsm_status side_by_side(const what *w, int n, const nsm_run_config *c,
                               const nsm_outer_draws *dr, nsm_accum **total, nsm_paired **paired,
                               nsm_rivals *rivals, int nt, nsm_run_stats *stats, nsm_diag *diag)
{
    const long long n_draws = (long long)dr->n_draws;
    lane *l = lanes_alloc(w->m, n, w->arms != NULL, nt, rivals);
    failure f = {0, NSM_OK, {NULL, NULL}};
    uint64_t finished = 0;
    if (!l)
        return nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
#pragma omp parallel for num_threads(nt) schedule(dynamic, 1)
    for (long long j = 0; j < n_draws; j++) {
        nsm_diag d;
        nsm_diag_init(&d);
        nsm_status st = run_draw(w, c, dr, &l[omp_get_thread_num()], (uint64_t)j, 1, &d);
        if (st != NSM_OK)
            fail(&f, (uint64_t)j, st, &d);
        else
            nsm_diag_release(&d);
        uint64_t now;
#pragma omp atomic capture
        now = ++finished;
        if (c->progress && omp_get_thread_num() == 0)
            c->progress(c->progress_ctx, now * c->runs, dr->n_draws * c->runs);
    }
    nsm_run_stats sum = {nt, 0, 0, 0.0};
    for (int t = 0; t < nt; t++) { /* in thread order, like the threads of one run */
        if (f.st == NSM_OK && merge_arms(total, paired, rivals, l[t].total, l[t].tpaired,
                                            l[t].trivals, n, 0))
            f.st = nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
        sum = (nsm_run_stats){nt, sum.events + l[t].sum.events, sum.draws + l[t].sum.draws,
                              sum.wall_seconds + l[t].sum.wall_seconds};
    }
    if (f.st != NSM_OK && f.d.error) {
        diag->error = f.d.error;
        f.d.error = NULL;
    }
    nsm_diag_release(&f.d);
    lanes_free(l, nt);
    if (stats)
        *stats = sum;
    return f.st;
}

static nsm_status one_by_one(const what *w, int n_arms, const nsm_run_config *c,
                             const nsm_outer_draws *draws, nsm_accum **total, nsm_paired **paired,
                             nsm_rivals *rivals, nsm_run_stats *stats, nsm_diag *diag)
{
    lane l;
    nsm_status st = lane_init(&l, w->m, n_arms, w->arms != NULL, total, paired, rivals)
                        ? nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory")
                        : NSM_OK;
    for (uint64_t j = 0; st == NSM_OK && j < draws->n_draws; j++) {
        st = run_draw(w, c, draws, &l, j, c->threads, diag);
        if (c->progress)
            c->progress(c->progress_ctx, (j + 1) * c->runs, draws->n_draws * c->runs);
    }
    if (stats)
        *stats = l.sum;
    lane_release(&l);
    return st;
}

/* The wall time is the loop's own: the draws' times add up to about the threads times it when
** draws run side by side (manifest.csv's wall_seconds once said 2.8 s of a 1.5 s run). */
static nsm_status loop(const what *w, int n_arms, const nsm_run_config *c,
                       const nsm_outer_draws *draws, nsm_accum **total, nsm_paired **paired,
                       nsm_rivals *rivals, nsm_run_stats *stats, nsm_diag *diag)
{
    double t0 = omp_get_wtime();
    int side = nsm_runs_side_by_side(draws->n_draws, c->runs, c->threads);
    nsm_status st =
        side ? side_by_side(w, n_arms, c, draws, total, paired, rivals, side, stats, diag)
             : one_by_one(w, n_arms, c, draws, total, paired, rivals, stats, diag);
    if (stats)
        stats->wall_seconds = omp_get_wtime() - t0;
    return st;
}

nsm_status nsm_outer_loop(const nsm_model *m, const nsm_arm *arms, int n_arms,
                          const nsm_run_config *c, const nsm_outer_draws *draws,
                          nsm_accum **total, nsm_paired **paired, nsm_rivals *rivals,
                          nsm_run_stats *stats, nsm_diag *diag)
{
    const what w = {m, NULL, arms};
    return loop(&w, n_arms, c, draws, total, paired, rivals, stats, diag);
}

nsm_status nsm_outer_loop_models(const nsm_model *const *models, const nsm_arm *arms, int n_arms,
                                 const nsm_run_config *c, const nsm_outer_draws *draws,
                                 nsm_accum **total, nsm_paired **paired, nsm_rivals *rivals,
                                 nsm_run_stats *stats, nsm_diag *diag)
{
    const what w = {models[0], models, arms};
    return loop(&w, n_arms, c, draws, total, paired, rivals, stats, diag);
}
