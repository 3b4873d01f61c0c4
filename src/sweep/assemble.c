/*
** assemble.c: the final tables of a sweep, from its point files only (so a resumed sweep
** gives the same bytes as an uninterrupted one): sweep.csv (every point's rows), points.csv (the
** design, long), and sensitivity.csv (Sobol) or tornado.csv (one at a time).
*/
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "neasim/csvout.h"
#include "neasim/dist.h"
#include "neasim/fdio.h"
#include "neasim/labels.h"
#include "neasim/outdir.h"
#include "neasim/params.h"
#include "neasim/rng.h"
#include "neasim/sensitivity.h"
#include "neasim/sweep.h"

static nsm_status append_file(FILE *out, const char *path, nsm_diag *diag)
{
    FILE *in = fopen(path, "rb");
    if (!in)
        return nsm_diag_error(diag, NSM_ERR_IO, "cannot read %s: %s", path, strerror(errno));
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            break;
    fclose(in);
    return ferror(out) ? nsm_diag_error(diag, NSM_ERR_IO, "cannot write: %s", strerror(errno))
                       : NSM_OK;
}

static nsm_status write_sweep(const nsm_sweep_design *d, const char *work, int bom, nsm_diag *diag)
{
    char *path = nsm_path_join(work, "sweep.csv");
    nsm_csv c;
    nsm_status st = path ? nsm_csv_open(&c, path, bom, diag) : NSM_ERR_NOMEM;
    if (st == NSM_OK) {
        nsm_csv_text(&c, "point");
        for (int k = 0; k < d->n_params; k++)
            nsm_csv_text(&c, d->names[k]);
        if (d->has_levers)
            nsm_csv_text(&c, "levers");
        static const char *const tail[] = {"quantity", "name", "measure", "horizon_years", "date",
                                           "value", "std_error", "ci_low", "ci_high", NULL};
        nsm_csv_header(&c, tail);
        fflush(c.f);
        for (size_t p = 0; st == NSM_OK && p < d->n_points; p++) {
            char name[64];
            snprintf(name, sizeof name, "points/%08zu.csv", p + 1);
            char *pp = nsm_path_join(work, name);
            st = pp ? append_file(c.f, pp, diag) : NSM_ERR_NOMEM;
            free(pp);
        }
        nsm_status cs = nsm_csv_close(&c, st == NSM_OK ? diag : NULL);
        st = st == NSM_OK ? cs : st;
    }
    free(path);
    return st;
}

static nsm_status write_points(const nsm_sweep_design *d, nsm_sweep_cursor *cur,
                               const char *work, int bom, nsm_diag *diag)
{
    char *path = nsm_path_join(work, "points.csv");
    nsm_csv c;
    nsm_status st = path ? nsm_csv_open(&c, path, bom, diag) : NSM_ERR_NOMEM;
    static const char *const H[] = {"point", "parameter", "value", NULL};
    if (st == NSM_OK) {
        nsm_csv_header(&c, H);
        const nsm_sweep_point *pt;
        for (size_t p = 0; st == NSM_OK && p < d->n_points; p++) {
            if ((st = nsm_sweep_cursor_point(cur, p, &pt, diag)) != NSM_OK)
                break;
            for (int k = 0; k < d->n_params; k++) {
                nsm_csv_int(&c, (int64_t)p + 1);
                nsm_csv_text(&c, d->names[k]);
                nsm_csv_real(&c, pt->values[k], 10);
                nsm_csv_end_row(&c);
            }
            if (d->has_levers) {
                nsm_csv_int(&c, (int64_t)p + 1);
                nsm_csv_text(&c, "levers");
                nsm_csv_text(&c, pt->levers[0] ? pt->levers : "none");
                nsm_csv_end_row(&c);
            }
        }
        nsm_status cs = nsm_csv_close(&c, st == NSM_OK ? diag : NULL);
        st = st == NSM_OK ? cs : st;
    }
    free(path);
    return st;
}

/* ": x1.29 to x2.27" (a multiplier) or ": 0.12 to 0.3": the 5% and 95% points of an uncertain
** number, after its label, so that a tornado's row says what range its bar spans. */
static void add_range(char *label, size_t n, const nsm_uncertain *u, const nsm_param *p)
{
    nsm_dist dist = {(nsm_dist_kind)u->kind, {u->p[0], u->p[1], u->p[2]}};
    const char *x = p->kind == NSM_P_MODIFIER || p->kind == NSM_P_SEASONALITY ? "x" : "";
    char range[96];
    nsm_dist_range_text(&dist, x, range, sizeof range);
    size_t len = strlen(label);
    if (len < n)
        snprintf(label + len, n - len, ": %s", range);
}

/* parameters.csv: each parameter's path, a label in the scenario's terms, its value in the
** scenario (the mean for a distribution) and its distribution. */
static nsm_status write_parameters(const nsm_model *m, const nsm_sweep_design *d, const char *work,
                                   int bom, nsm_diag *diag)
{
    static const char *const H[] = {"parameter", "label", "base_value", "distribution", NULL};
    char *path = nsm_path_join(work, "parameters.csv");
    nsm_csv c;
    nsm_status st = path ? nsm_csv_open(&c, path, bom, diag) : NSM_ERR_NOMEM;
    if (st == NSM_OK) {
        nsm_csv_header(&c, H);
        for (int k = 0; k < d->n_params; k++) {
            char label[1024];
            if (d->n_each[k] > 1 && d->params[k][0].kind == NSM_P_TRANSITION)
                snprintf(label, sizeof label, "transitions %s (%d of them)",
                         d->names[k] + strlen("transitions:"), d->n_each[k]);
            else
                nsm_params_label(m, d->params[k], d->n_each[k], label, sizeof label);
            const char *dist = NULL;
            for (int u = 0; u < m->n_uncertain; u++)
                if (strcmp(m->uncertain[u].path, d->names[k]) == 0) {
                    dist = m->uncertain[u].text;
                    if (nsm_model_has_labels(m))
                        add_range(label, sizeof label, &m->uncertain[u], &d->params[k][0]);
                }
            nsm_csv_text(&c, d->names[k]);
            nsm_csv_text(&c, label);
            nsm_csv_real(&c, nsm_param_value(m, &d->params[k][0]), 10);
            if (dist)
                nsm_csv_text(&c, dist);
            else
                nsm_csv_na(&c);
            nsm_csv_end_row(&c);
        }
        st = nsm_csv_close(&c, diag);
    }
    free(path);
    return st;
}

/* Point p's K outputs into row: count / runs of output k (outcome o, horizon h:
** k = o * n_h + h). */
static nsm_status read_point(const char *work, size_t p, size_t K, double runs, double *row,
                             nsm_diag *diag)
{
    char name[64];
    snprintf(name, sizeof name, "points/%08zu.counts", p + 1);
    char *path = nsm_path_join(work, name);
    FILE *f = path ? fopen(path, "r") : NULL;
    nsm_status st = NSM_OK;
    for (size_t k = 0; f && st == NSM_OK && k < K; k++) {
        long long v;
        if (fscanf(f, "%lld", &v) != 1)
            st = nsm_diag_error(diag, NSM_ERR_IO, "%s is damaged: delete it and --resume", path);
        row[k] = (double)v / runs;
    }
    if (!path)
        st = nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
    else if (!f)
        st = nsm_diag_error(diag, NSM_ERR_IO, "cannot read %s: %s", path, strerror(errno));
    if (f)
        fclose(f);
    free(path);
    return st;
}

/* The outputs of every point, a column (one output, every point) at a time. Sobol indices and a
** tornado each need one output at every point, while the point files hold every output of one
** point: all n_points x K values were held at once, 45 outcome-horizons x 8 bytes a point of the
** baseline (17,060 KiB peak at 21,000 points of --sobol against 10,056 at 1,400). Instead they
** are written once, transposed, to a file in the work folder (unlinked as soon as it is open, so
** that nothing is left behind whatever stops the sweep), in one pass over the point files that
** holds a block of them; each column is read back a block of rows at a time for Sobol indices,
** whole for a tornado (1 + 2d points, which the model bounds). */
typedef struct {
    int fd;
    size_t n, K; /* points, outputs */
} nsm_columns;

/* Values a block of the pass holds (512 KiB of doubles), whatever the points. */
enum { BLOCK_VALUES = 1 << 16 };

/* Points p0 .. p0 + b - 1 (rows, b x K) into their places in each column of the file. */
static nsm_status put_block(const nsm_columns *c, size_t p0, size_t b, const double *rows,
                            double *run, nsm_diag *diag)
{
    for (size_t k = 0; k < c->K; k++) {
        for (size_t i = 0; i < b; i++)
            run[i] = rows[i * c->K + k];
        if (nsm_fd_pwrite_all(c->fd, run, b * sizeof *run, (k * c->n + p0) * sizeof *run) != 0)
            return nsm_diag_error(diag, NSM_ERR_IO, "cannot write the sweep's outputs by column "
                                  "in its work folder: %s", strerror(errno));
    }
    return NSM_OK;
}

static nsm_status transpose(nsm_columns *c, const char *work, double runs, nsm_diag *diag)
{
    size_t B = c->K < BLOCK_VALUES ? BLOCK_VALUES / (c->K ? c->K : 1) : 1;
    B = B < c->n ? B : c->n;
    double *rows = malloc((B * c->K + 1) * sizeof *rows), *run = malloc((B + 1) * sizeof *run);
    nsm_status st = rows && run ? NSM_OK : nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
    for (size_t p0 = 0; st == NSM_OK && p0 < c->n; p0 += B) {
        size_t b = c->n - p0 < B ? c->n - p0 : B;
        for (size_t i = 0; st == NSM_OK && i < b; i++)
            st = read_point(work, p0 + i, c->K, runs, rows + i * c->K, diag);
        if (st == NSM_OK)
            st = put_block(c, p0, b, rows, run, diag);
    }
    free(rows);
    free(run);
    return st;
}

/* The columns of the sweep's points, in WORK/columns.tmp (unlinked at once). */
static nsm_status columns_open(nsm_columns *c, const nsm_sweep_design *d, const char *work,
                               size_t K, double runs, nsm_diag *diag)
{
    *c = (nsm_columns){-1, d->n_points, K};
    char *path = nsm_path_join(work, "columns.tmp");
    if (!path)
        return nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
    c->fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    nsm_status st = c->fd < 0 || unlink(path) != 0
                        ? nsm_diag_error(diag, NSM_ERR_IO, "cannot write %s: %s", path,
                                         strerror(errno))
                        : NSM_OK;
    free(path);
    return st == NSM_OK ? transpose(c, work, runs, diag) : st;
}

static void columns_close(nsm_columns *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
}

/* Column k (output k at every point) into col (n doubles). */
static nsm_status column(const nsm_columns *c, size_t k, double *col, nsm_diag *diag)
{
    if (nsm_fd_pread_all(c->fd, col, c->n * sizeof *col, k * c->n * sizeof *col) == 0)
        return NSM_OK;
    return nsm_diag_error(diag, NSM_ERR_IO, "cannot read the sweep's outputs by column back from "
                          "its work folder: %s", strerror(errno));
}

static void sens_rows(nsm_csv *c, const nsm_model *m, const nsm_sweep_design *d,
                      const nsm_sweep_config *cf, int o, int h, const double *v)
{
    size_t dn = (size_t)d->n_params;
    for (size_t which = 0; which < 2; which++)
        for (size_t i = 0; i < dn; i++) {
            nsm_csv_text(c, m->outcomes[o].name);
            nsm_csv_text(c, "occurred_by");
            nsm_csv_real(c, cf->years[h], 6);
            nsm_csv_text(c, d->names[i]);
            nsm_csv_text(c, which ? "total" : "first");
            nsm_csv_real(c, v[(which * 3 + 0) * dn + i], 4);
            nsm_csv_real(c, v[(which * 3 + 1) * dn + i], 4);
            nsm_csv_real(c, v[(which * 3 + 2) * dn + i], 4);
            nsm_csv_end_row(c);
        }
}

/* Where nsm_sobol_indices_stream reads one output's rows: the design's segments (A, B, AB_i, n
** rows each) lie one after another in its column of the file. */
typedef struct {
    const nsm_columns *cols;
    size_t k, n; /* the output, the rows of the design */
    nsm_diag *diag;
} column_rows;

static int read_rows(void *ctx, size_t s, size_t r0, size_t m, double *y)
{
    const column_rows *cr = ctx;
    size_t at = cr->k * cr->cols->n + s * cr->n + r0;
    if (nsm_fd_pread_all(cr->cols->fd, y, m * sizeof *y, at * sizeof *y) == 0)
        return 0;
    nsm_diag_error(cr->diag, NSM_ERR_IO, "cannot read the sweep's outputs by column back from "
                   "its work folder: %s", strerror(errno));
    return -1;
}

/* sensitivity.csv's rows, an output at a time, each output's column read a block of rows at a
** time by nsm_sobol_indices_stream, whose bootstrap keeps each resample's sums rather than its
** rows: nothing here grows with the points (the whole column and the bootstrap's scratch did, 9
** to 16 bytes a point for 20 to 1 numbers). */
static nsm_status write_sensitivity(const nsm_model *m, const nsm_sweep_design *d,
                                    const nsm_sweep_config *cf, const nsm_columns *cols,
                                    nsm_csv *c, nsm_diag *diag)
{
    static const char *const H[] = {"outcome", "measure", "horizon_years", "parameter", "index",
                                    "estimate", "ci_low", "ci_high", NULL};
    size_t dn = (size_t)d->n_params;
    double *v = malloc(6 * dn * sizeof *v);
    gsl_rng *r = gsl_rng_alloc(nsm_rng_philox4x32);
    nsm_status st = v && r ? NSM_OK : NSM_ERR_NOMEM;
    if (st == NSM_OK)
        nsm_csv_header(c, H);
    for (int o = 0; st == NSM_OK && o < m->n_outcomes; o++)
        for (int h = 0; st == NSM_OK && h < cf->n_h; h++) {
            size_t k = (size_t)(o * cf->n_h + h);
            column_rows cr = {cols, k, d->base_n, diag};
            nsm_rng_set_stream(r, cf->run.seed, k, nsm_stream_id("bootstrap", "sobol"));
            const nsm_sobol_out out = {v, v + dn, v + 2 * dn, v + 3 * dn, v + 4 * dn, v + 5 * dn};
            int rc = nsm_sobol_indices_stream(read_rows, &cr, d->base_n, dn, 0, 1000, r, &out);
            if (rc == -2)
                st = NSM_ERR_NOMEM; /* not NAs: the indices exist, memory did not */
            else if (rc == -3)
                st = NSM_ERR_IO; /* read_rows said why */
            else
                sens_rows(c, m, d, cf, o, h, v);
        }
    if (r)
        gsl_rng_free(r);
    free(v);
    return st;
}

/* Tornado rows of one output (col: its value at every point), largest swing first. */
static nsm_status tornado_rows(nsm_csv *c, const nsm_model *m, const nsm_sweep_design *d,
                               const double *base, const nsm_sweep_config *cf, const double *col,
                               int o, int h)
{
    size_t dn = (size_t)d->n_params;
    int *order = malloc((dn + 1) * sizeof *order);
    if (!order)
        return NSM_ERR_NOMEM;
    for (size_t i = 0; i < dn; i++)
        order[i] = (int)i;
    for (size_t i = 1; i < dn; i++) /* insertion sort by swing, stable */
        for (size_t j = i; j > 0; j--) {
            size_t x = (size_t)order[j], w = (size_t)order[j - 1];
            double a = fabs(col[2 + 2 * x] - col[1 + 2 * x]);
            double b = fabs(col[2 + 2 * w] - col[1 + 2 * w]);
            if (a <= b)
                break;
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (size_t r = 0; r < dn; r++) {
        size_t i = (size_t)order[r];
        double lo = col[1 + 2 * i], hi = col[2 + 2 * i];
        nsm_csv_text(c, m->outcomes[o].name);
        nsm_csv_text(c, "occurred_by");
        nsm_csv_real(c, cf->years[h], 6);
        nsm_csv_text(c, d->names[i]);
        nsm_csv_real(c, base[i], 10); /* point 1: every number at its mean */
        nsm_csv_real(c, d->low[i], 10);
        nsm_csv_real(c, d->high[i], 10);
        nsm_csv_real(c, col[0], 6);
        nsm_csv_real(c, lo, 6);
        nsm_csv_real(c, hi, 6);
        nsm_csv_real(c, fabs(hi - lo), 6);
        /* the standard error the swing would have with independent points; common random
        ** numbers make the real one smaller, so this bounds the Monte Carlo noise */
        double runs = (double)cf->run.runs;
        nsm_csv_real(c, sqrt(lo * (1 - lo) / runs + hi * (1 - hi) / runs), 4);
        nsm_csv_end_row(c);
    }
    free(order);
    return NSM_OK;
}

/* tornado.csv: 1 + 2d points, which the model bounds, read a column at a time all the same. */
static nsm_status write_tornado(const nsm_model *m, const nsm_sweep_design *d,
                                nsm_sweep_cursor *cur, const nsm_sweep_config *cf,
                                const nsm_columns *cols, nsm_csv *c, nsm_diag *diag)
{
    const nsm_sweep_point *base;
    nsm_status st = nsm_sweep_cursor_point(cur, 0, &base, diag);
    double *col = st == NSM_OK ? malloc((d->n_points + 1) * sizeof *col) : NULL;
    if (st != NSM_OK || !col)
        return st != NSM_OK ? st : NSM_ERR_NOMEM;
    static const char *const H[] = {"outcome",         "measure",        "horizon_years",
                                    "parameter",       "base_value",     "low_value",
                                    "high_value",      "outcome_at_base", "outcome_at_low",
                                    "outcome_at_high", "swing",          "swing_se_max", NULL};
    nsm_csv_header(c, H);
    for (int o = 0; st == NSM_OK && o < m->n_outcomes; o++)
        for (int h = 0; st == NSM_OK && h < cf->n_h; h++) {
            st = column(cols, (size_t)(o * cf->n_h + h), col, diag);
            if (st == NSM_OK)
                st = tornado_rows(c, m, d, base->values, cf, col, o, h);
        }
    free(col);
    return st;
}

/* sensitivity.csv (Sobol) or tornado.csv (one at a time), from the points' columns. */
static nsm_status write_indices(const nsm_model *m, const nsm_sweep_design *d,
                                nsm_sweep_cursor *cur, const char *work,
                                const nsm_sweep_config *cf, nsm_diag *diag)
{
    nsm_columns cols;
    size_t K = (size_t)(m->n_outcomes * cf->n_h);
    nsm_status st = columns_open(&cols, d, work, K, (double)cf->run.runs, diag);
    const char *name = d->kind == NSM_SWEEP_SOBOL ? "sensitivity.csv" : "tornado.csv";
    char *path = nsm_path_join(work, name);
    nsm_csv c;
    if (st == NSM_OK)
        st = path ? nsm_csv_open(&c, path, cf->bom, diag) : NSM_ERR_NOMEM;
    if (st == NSM_OK) {
        st = d->kind == NSM_SWEEP_SOBOL ? write_sensitivity(m, d, cf, &cols, &c, diag)
                                        : write_tornado(m, d, cur, cf, &cols, &c, diag);
        nsm_status cs = nsm_csv_close(&c, st == NSM_OK ? diag : NULL);
        st = st == NSM_OK ? cs : st;
    }
    if (st == NSM_ERR_NOMEM && !diag->error)
        nsm_diag_error(diag, st, "out of memory");
    columns_close(&cols);
    free(path);
    return st;
}

static nsm_status assemble(const nsm_model *m, const nsm_sweep_design *d, nsm_sweep_cursor *cur,
                           const char *work, const nsm_sweep_config *cf, nsm_diag *diag)
{
    nsm_status st = write_sweep(d, work, cf->bom, diag);
    if (st == NSM_OK)
        st = write_points(d, cur, work, cf->bom, diag);
    if (st == NSM_OK)
        st = write_parameters(m, d, work, cf->bom, diag);
    if (st == NSM_OK) {
        const nsm_write_options wo = {cf->bom};
        st = nsm_labels_write(work, m, NULL, 0, &wo, diag);
    }
    if (st == NSM_OK && (d->kind == NSM_SWEEP_SOBOL || d->kind == NSM_SWEEP_OAT))
        st = write_indices(m, d, cur, work, cf, diag);
    return st;
}

nsm_status nsm_sweep_assemble(const nsm_model *m, const nsm_sweep_design *d, const char *work,
                              const nsm_sweep_config *cf, nsm_diag *diag)
{
    nsm_sweep_cursor *cur = NULL;
    char *copy = nsm_path_join(work, NSM_SWEEP_DESIGN_COPY);
    nsm_status st = copy ? nsm_sweep_cursor_open(d, copy, &cur, diag)
                         : nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
    if (st == NSM_OK)
        st = assemble(m, d, cur, work, cf, diag);
    nsm_sweep_cursor_close(cur);
    free(copy);
    return st;
}
