/*
** outer.c: see outer.h. Draw j uses replications j*runs .. (j+1)*runs - 1 and parameter draw j,
** so a two-level run is reproducible and its total equals the same replications run at once.
** nsm_compare_outer does the same for the arms of a comparison, draw by draw on nsm_compare_run.
*/
#include "neasim/outer.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>

#include "neasim/csvout.h"
#include "neasim/outdir.h"
#include "neasim/summary.h"

static void record(const nsm_model *m, const nsm_accum *a, uint64_t runs, const nsm_horizons *hz,
                   double *p, int64_t *series)
{
    int n_h = hz->n;
    for (int o = 0; o < m->n_outcomes; o++) {
        nsm_occurred_by(m, a, o, series);
        for (int h = 0; h < n_h; h++)
            p[o * n_h + h] = (double)series[hz->idx[h]] / (double)runs;
    }
}

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

/* What one thread needs for the draws it runs side by side: a run's accumulator, a series, and
** its own total of the draws it ran (integer sums: the totals of the threads add up to the same
** total whichever thread ran which draw). */
typedef struct {
    nsm_accum *a, *total;
    int64_t *series;
    nsm_run_stats sum;
} outer_lane;

static void lanes_free(outer_lane *l, int nt)
{
    for (int t = 0; l && t < nt; t++) {
        nsm_accum_free(l[t].a);
        nsm_accum_free(l[t].total);
        free(l[t].series);
    }
    free(l);
}

static outer_lane *lanes_alloc(const nsm_model *m, int nt)
{
    outer_lane *l = calloc((size_t)nt, sizeof *l);
    for (int t = 0; l && t < nt; t++) {
        l[t].a = nsm_accum_alloc(m);
        l[t].total = nsm_accum_alloc(m);
        l[t].series = malloc(((size_t)m->n_reports + 1) * sizeof *l[t].series);
        if (!l[t].a || !l[t].total || !l[t].series) {
            lanes_free(l, nt);
            return NULL;
        }
    }
    return l;
}

/* The first failing draw in index order wins, so the message does not depend on scheduling. */
typedef struct {
    uint64_t j;
    nsm_status st;
    nsm_diag d;
} outer_failure;

static void outer_fail(outer_failure *f, uint64_t j, nsm_status st, nsm_diag *d)
{
#pragma omp critical(nsm_outer_failure)
    {
        if (f->st == NSM_OK || j < f->j) {
            nsm_diag_release(&f->d);
            *f = (outer_failure){j, st, *d};
        } else {
            nsm_diag_release(d);
        }
    }
}

/* Draws side by side (nsm_runs_side_by_side): one parallel region, one whole draw a thread on one
** thread of its own, so there is no barrier between draws. */
static nsm_status outer_side_by_side(const nsm_model *m, const nsm_run_config *c,
                                     nsm_outer_result *out, nsm_accum *total, int nt,
                                     nsm_run_stats *stats, nsm_diag *diag)
{
    const uint64_t block = (uint64_t)(m->n_outcomes * out->horizons.n);
    const long long n_draws = (long long)out->n_draws;
    outer_lane *l = lanes_alloc(m, nt);
    outer_failure f = {0, NSM_OK, {NULL, NULL}};
    uint64_t finished = 0;
    if (!l)
        return nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
#pragma omp parallel for num_threads(nt) schedule(dynamic, 1)
    for (long long j = 0; j < n_draws; j++) {
        outer_lane *me = &l[omp_get_thread_num()];
        nsm_run_config cj = draw_config(c, (uint64_t)j, 1);
        nsm_run_stats rs = {0, 0, 0, 0.0};
        nsm_diag d;
        nsm_diag_init(&d);
        nsm_accum_reset(me->a);
        nsm_status st = nsm_run(m, &cj, me->a, &rs, &d);
        if (st == NSM_OK) {
            record(m, me->a, c->runs, &out->horizons, out->p + (uint64_t)j * block, me->series);
            if (nsm_accum_merge(me->total, me->a))
                st = nsm_diag_error(&d, NSM_ERR_NOMEM, "out of memory");
        }
        if (st != NSM_OK)
            outer_fail(&f, (uint64_t)j, st, &d);
        else
            nsm_diag_release(&d);
        me->sum = (nsm_run_stats){nt, me->sum.events + rs.events, me->sum.draws + rs.draws,
                                  me->sum.wall_seconds + rs.wall_seconds};
        uint64_t now;
#pragma omp atomic capture
        now = ++finished;
        if (c->progress && omp_get_thread_num() == 0)
            c->progress(c->progress_ctx, now * c->runs, out->n_draws * c->runs);
    }
    nsm_run_stats sum = {nt, 0, 0, 0.0};
    for (int t = 0; t < nt; t++) { /* in thread order, like the threads of one run */
        if (f.st == NSM_OK && nsm_accum_merge(total, l[t].total))
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

nsm_status nsm_run_outer(const nsm_model *m, const nsm_run_config *c, nsm_outer_result *out,
                         nsm_accum *total, nsm_run_stats *stats, nsm_diag *diag)
{
    const uint64_t n_draws = out->n_draws, block = (uint64_t)(m->n_outcomes * out->horizons.n);
    out->runs = c->runs;
    int side = nsm_runs_side_by_side(n_draws, c->runs, c->threads);
    if (side)
        return outer_side_by_side(m, c, out, total, side, stats, diag);
    nsm_accum *a = nsm_accum_alloc(m);
    int64_t *series = malloc(((size_t)m->n_reports + 1) * sizeof *series);
    nsm_status st = a && series ? NSM_OK : nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
    nsm_run_stats sum = {0, 0, 0, 0.0};
    for (uint64_t j = 0; st == NSM_OK && j < n_draws; j++) {
        nsm_run_config cj = draw_config(c, j, c->threads);
        nsm_run_stats rs;
        nsm_accum_reset(a);
        st = nsm_run(m, &cj, a, &rs, diag);
        if (st == NSM_OK) {
            record(m, a, c->runs, &out->horizons, out->p + j * block, series);
            if (nsm_accum_merge(total, a))
                st = nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
        }
        sum = (nsm_run_stats){rs.threads, sum.events + rs.events, sum.draws + rs.draws,
                              sum.wall_seconds + rs.wall_seconds};
        if (c->progress)
            c->progress(c->progress_ctx, (j + 1) * c->runs, n_draws * c->runs);
    }
    if (stats)
        *stats = sum;
    nsm_accum_free(a);
    free(series);
    return st;
}

/* Quantile of sorted values (GSL's linear interpolation). */
static double quantile(const double *sorted, size_t n, double q)
{
    return gsl_stats_quantile_from_sorted_data(sorted, 1, n, q);
}

static void write_row(nsm_csv *c, const nsm_model *m, int o, double years, int i, double *v,
                      size_t n, uint64_t runs)
{
    double mean = gsl_stats_mean(v, 1, n), between = n > 1 ? gsl_stats_variance(v, 1, n) : 0;
    double within = 0; /* E[p(1-p)] with the binomial noise of p_j removed: x runs/(runs-1) */
    for (size_t j = 0; j < n; j++)
        within += v[j] * (1 - v[j]) / (double)n * (double)runs / (double)(runs - 1);
    double param = between - within / (double)runs; /* Var(p_j) minus its Monte Carlo part */
    param = param > 0 ? param : 0;
    double total = mean * (1 - mean);
    gsl_sort(v, 1, n);
    nsm_csv_text(c, m->outcomes[o].name);
    nsm_csv_real(c, years, 6);
    nsm_csv_text(c, m->report_date[i]);
    nsm_csv_real(c, mean, 6);
    nsm_csv_real(c, sqrt(between), 6);
    nsm_csv_real(c, sqrt(param), 6);
    nsm_csv_real(c, sqrt(within / (double)runs), 6);
    nsm_csv_real(c, quantile(v, n, 0.05), 6);
    nsm_csv_real(c, quantile(v, n, 0.5), 6);
    nsm_csv_real(c, quantile(v, n, 0.95), 6);
    nsm_csv_real(c, total > 0 ? param / total : (double)NAN, 4);
    nsm_csv_end_row(c);
}

/* uncertainty.csv: with arms (compare --outer) a leading `arm` column and the rows of each arm in
** turn; p_of(ctx, j, a, o, h) is P(occurred by) of arm a, outcome o, horizon h under draw j. */
typedef double (*p_of_fn)(const void *ctx, uint64_t j, int a, int o, int h);

static nsm_status write_uncertainty(const char *dir, const nsm_model *m, const nsm_horizons *hz,
                                    uint64_t n_draws, uint64_t runs, const char *const *arms,
                                    int n_arms, p_of_fn p_of, const void *ctx,
                                    const nsm_write_options *opt, nsm_diag *diag)
{
    static const char *const H[] = {"arm", "outcome", "horizon_years", "date", "probability",
                                    "between_draws_sd", "parameter_sd", "monte_carlo_sd",
                                    "q05", "q50", "q95", "parameter_share", NULL};
    char *path = nsm_path_join(dir, "uncertainty.csv");
    double *v = malloc(((size_t)n_draws + 1) * sizeof *v);
    nsm_csv c;
    nsm_status st = path && v ? nsm_csv_open(&c, path, opt->bom, diag) : NSM_ERR_NOMEM;
    if (st == NSM_OK) {
        nsm_csv_header(&c, arms ? H : H + 1);
        for (int a = 0; a < n_arms; a++)
            for (int o = 0; o < m->n_outcomes; o++)
                for (int h = 0; h < hz->n; h++) {
                    for (uint64_t j = 0; j < n_draws; j++)
                        v[j] = p_of(ctx, j, a, o, h);
                    if (arms)
                        nsm_csv_text(&c, arms[a]);
                    write_row(&c, m, o, hz->years[h], hz->idx[h], v, n_draws, runs);
                }
        st = nsm_csv_close(&c, diag);
    }
    if (st == NSM_ERR_NOMEM && !diag->error)
        nsm_diag_error(diag, st, "out of memory");
    free(path);
    free(v);
    return st;
}

typedef struct {
    const nsm_model *m;
    const nsm_outer_result *r;
} run_ctx;

static double run_p(const void *ctx, uint64_t j, int a, int o, int h)
{
    (void)a;
    const run_ctx *rc = ctx;
    const int n_h = rc->r->horizons.n;
    return rc->r->p[j * (uint64_t)(rc->m->n_outcomes * n_h) + (uint64_t)(o * n_h + h)];
}

nsm_status nsm_outer_write(const char *dir, const nsm_model *m, const nsm_outer_result *r,
                           const nsm_write_options *opt, nsm_diag *diag)
{
    const run_ctx ctx = {m, r};
    return write_uncertainty(dir, m, &r->horizons, r->n_draws, r->runs, NULL, 1, run_p, &ctx, opt,
                             diag);
}

/* --- A comparison on two levels --- */

typedef struct {
    int n;
    nsm_accum **acc;
    nsm_paired **paired;
    nsm_difference *d;
    int64_t *series;
} draw_work;

static void draw_work_release(draw_work *w)
{
    for (int a = 0; a < w->n; a++) {
        if (w->acc)
            nsm_accum_free(w->acc[a]);
        if (w->paired)
            nsm_paired_free(w->paired[a]);
    }
    free(w->acc);
    free(w->paired);
    free(w->d);
    free(w->series);
}

static int draw_work_init(draw_work *w, const nsm_model *m, int n_arms)
{
    w->n = n_arms;
    w->acc = calloc((size_t)n_arms, sizeof *w->acc);
    w->paired = calloc((size_t)n_arms, sizeof *w->paired);
    w->d = malloc(((size_t)m->n_reports + 1) * sizeof *w->d);
    w->series = malloc(((size_t)m->n_reports + 1) * sizeof *w->series);
    if (!w->acc || !w->paired || !w->d || !w->series)
        return -1;
    for (int a = 0; a < n_arms; a++)
        if (!(w->acc[a] = nsm_accum_alloc(m)))
            return -1;
    return 0;
}

/* Fresh paired accumulators for a draw (they have no reset: a draw's pairs stand alone). */
static int draw_work_reset(draw_work *w, const nsm_model *m)
{
    for (int a = 0; a < w->n; a++) {
        nsm_accum_reset(w->acc[a]);
        nsm_paired_free(w->paired[a]);
        w->paired[a] = NULL;
        if (a > 0 && !(w->paired[a] = nsm_paired_alloc(m)))
            return -1;
    }
    return 0;
}

static size_t slot(const nsm_model *m, const nsm_outer_comparison *r, uint64_t j, int a, int o,
                   int h)
{
    return (((size_t)j * (size_t)r->n_arms + (size_t)a) * (size_t)m->n_outcomes + (size_t)o) *
               (size_t)r->horizons.n + (size_t)h;
}

/* Draw j's probabilities and paired standard errors, and its replications into the totals. */
static int record_draw(const nsm_model *m, nsm_outer_comparison *r, uint64_t j, draw_work *w,
                       nsm_accum **acc, nsm_paired **paired)
{
    const nsm_horizons *hz = &r->horizons;
    for (int o = 0; o < m->n_outcomes; o++) {
        nsm_occurred_by(m, w->acc[0], o, w->series);
        for (int h = 0; h < hz->n; h++) {
            r->p[slot(m, r, j, 0, o, h)] = (double)w->series[hz->idx[h]] / (double)r->runs;
            r->se[slot(m, r, j, 0, o, h)] = 0;
        }
        for (int a = 1; a < r->n_arms; a++) {
            if (nsm_difference_series(m, w->acc[0], w->acc[a], w->paired[a], o, 1, w->d))
                return -1;
            for (int h = 0; h < hz->n; h++) {
                r->p[slot(m, r, j, a, o, h)] = w->d[hz->idx[h]].arm;
                r->se[slot(m, r, j, a, o, h)] = w->d[hz->idx[h]].se;
            }
        }
    }
    for (int a = 0; a < r->n_arms; a++) {
        if (nsm_accum_merge(acc[a], w->acc[a]))
            return -1;
        if (a > 0)
            nsm_paired_merge(paired[a], w->paired[a]);
    }
    return 0;
}

/* A thread's share of a comparison's draws side by side: its draw work and its own totals of the
** draws it ran (integer sums, merged in thread order at the end). */
typedef struct {
    draw_work w;
    draw_work total; /* only its acc and paired are used */
    nsm_run_stats sum;
} compare_lane;

static void compare_lanes_free(compare_lane *l, int nt)
{
    for (int t = 0; l && t < nt; t++) {
        draw_work_release(&l[t].w);
        draw_work_release(&l[t].total);
    }
    free(l);
}

static compare_lane *compare_lanes_alloc(const nsm_model *m, int n_arms, int nt)
{
    compare_lane *l = calloc((size_t)nt, sizeof *l);
    int failed = !l;
    for (int t = 0; !failed && t < nt; t++) {
        failed = draw_work_init(&l[t].w, m, n_arms) || draw_work_init(&l[t].total, m, n_arms);
        for (int a = 1; !failed && a < n_arms; a++)
            failed = !(l[t].total.paired[a] = nsm_paired_alloc(m));
    }
    if (failed) {
        compare_lanes_free(l, nt);
        return NULL;
    }
    return l;
}

/* Draws side by side (nsm_runs_side_by_side), as outer_side_by_side does for a run. */
static nsm_status compare_side_by_side(const nsm_model *m, const nsm_arm *arms, int n_arms,
                                       const nsm_run_config *c, nsm_outer_comparison *out,
                                       nsm_accum **acc, nsm_paired **paired, int nt,
                                       nsm_run_stats *stats, nsm_diag *diag)
{
    const long long n_draws = (long long)out->n_draws;
    compare_lane *l = compare_lanes_alloc(m, n_arms, nt);
    outer_failure f = {0, NSM_OK, {NULL, NULL}};
    uint64_t finished = 0;
    if (!l)
        return nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
#pragma omp parallel for num_threads(nt) schedule(dynamic, 1)
    for (long long j = 0; j < n_draws; j++) {
        compare_lane *me = &l[omp_get_thread_num()];
        nsm_run_config cj = draw_config(c, (uint64_t)j, 1);
        nsm_run_stats rs = {0, 0, 0, 0.0};
        nsm_diag d;
        nsm_diag_init(&d);
        nsm_status st = draw_work_reset(&me->w, m) ? NSM_ERR_NOMEM : NSM_OK;
        if (st == NSM_OK)
            st = nsm_compare_run(m, arms, n_arms, &cj, me->w.acc, me->w.paired, &rs, &d);
        if (st == NSM_OK &&
            record_draw(m, out, (uint64_t)j, &me->w, me->total.acc, me->total.paired))
            st = NSM_ERR_NOMEM;
        if (st == NSM_ERR_NOMEM && !d.error)
            nsm_diag_error(&d, st, "out of memory");
        if (st != NSM_OK)
            outer_fail(&f, (uint64_t)j, st, &d);
        else
            nsm_diag_release(&d);
        me->sum = (nsm_run_stats){nt, me->sum.events + rs.events, me->sum.draws + rs.draws,
                                  me->sum.wall_seconds + rs.wall_seconds};
        uint64_t now;
#pragma omp atomic capture
        now = ++finished;
        if (c->progress && omp_get_thread_num() == 0)
            c->progress(c->progress_ctx, now * c->runs, out->n_draws * c->runs);
    }
    nsm_run_stats sum = {nt, 0, 0, 0.0};
    for (int t = 0; t < nt; t++) { /* in thread order */
        for (int a = 0; f.st == NSM_OK && a < n_arms; a++) {
            if (nsm_accum_merge(acc[a], l[t].total.acc[a]))
                f.st = nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
            else if (a > 0)
                nsm_paired_merge(paired[a], l[t].total.paired[a]);
        }
        sum = (nsm_run_stats){nt, sum.events + l[t].sum.events, sum.draws + l[t].sum.draws,
                              sum.wall_seconds + l[t].sum.wall_seconds};
    }
    if (f.st != NSM_OK && f.d.error) {
        diag->error = f.d.error;
        f.d.error = NULL;
    }
    nsm_diag_release(&f.d);
    compare_lanes_free(l, nt);
    if (stats)
        *stats = sum;
    return f.st;
}

nsm_status nsm_compare_outer(const nsm_model *m, const nsm_arm *arms, int n_arms,
                             const nsm_run_config *c, nsm_outer_comparison *out, nsm_accum **acc,
                             nsm_paired **paired, nsm_run_stats *stats, nsm_diag *diag)
{
    draw_work w = {0, NULL, NULL, NULL, NULL};
    out->runs = c->runs;
    out->n_arms = n_arms;
    int side = nsm_runs_side_by_side(out->n_draws, c->runs, c->threads);
    if (side)
        return compare_side_by_side(m, arms, n_arms, c, out, acc, paired, side, stats, diag);
    nsm_status st = draw_work_init(&w, m, n_arms) ? NSM_ERR_NOMEM : NSM_OK;
    nsm_run_stats sum = {0, 0, 0, 0.0};
    for (uint64_t j = 0; st == NSM_OK && j < out->n_draws; j++) {
        nsm_run_config cj = draw_config(c, j, c->threads);
        nsm_run_stats rs = {0, 0, 0, 0.0};
        if (draw_work_reset(&w, m))
            st = NSM_ERR_NOMEM;
        if (st == NSM_OK)
            st = nsm_compare_run(m, arms, n_arms, &cj, w.acc, w.paired, &rs, diag);
        if (st == NSM_OK && record_draw(m, out, j, &w, acc, paired))
            st = NSM_ERR_NOMEM;
        sum = (nsm_run_stats){rs.threads, sum.events + rs.events, sum.draws + rs.draws,
                              sum.wall_seconds + rs.wall_seconds};
        if (c->progress)
            c->progress(c->progress_ctx, (j + 1) * c->runs, out->n_draws * c->runs);
    }
    if (st == NSM_ERR_NOMEM && !diag->error)
        nsm_diag_error(diag, st, "out of memory");
    if (stats)
        *stats = sum;
    draw_work_release(&w);
    return st;
}

nsm_judgment nsm_outer_effect(const nsm_model *m, const nsm_outer_comparison *r, int a, int o,
                              int h)
{
    nsm_judgment none = {NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN};
    double *v = malloc(((size_t)r->n_draws + 1) * 2 * sizeof *v);
    if (!v)
        return none;
    double *se = v + r->n_draws + 1;
    for (uint64_t j = 0; j < r->n_draws; j++) {
        v[j] = r->p[slot(m, r, j, a, o, h)] - r->p[slot(m, r, j, 0, o, h)];
        se[j] = r->se[slot(m, r, j, a, o, h)];
    }
    nsm_judgment jd = nsm_judgment_of(v, se, (size_t)r->n_draws);
    free(v);
    return jd;
}

typedef struct {
    const nsm_model *m;
    const nsm_outer_comparison *r;
} arms_ctx;

static double arms_p(const void *ctx, uint64_t j, int a, int o, int h)
{
    const arms_ctx *ac = ctx;
    return ac->r->p[slot(ac->m, ac->r, j, a, o, h)];
}

nsm_status nsm_outer_write_arms(const char *dir, const nsm_model *m,
                                const nsm_outer_comparison *r, const char *const *names,
                                const nsm_write_options *opt, nsm_diag *diag)
{
    const arms_ctx ctx = {m, r};
    return write_uncertainty(dir, m, &r->horizons, r->n_draws, r->runs, names, r->n_arms, arms_p,
                             &ctx, opt, diag);
}
