/*
** cursor.c: the points of a sweep design, one at a time (see sweep.h): the one place where the
** values and lever set of point p are made, for running it, writing its rows and the design.
**
** A design file's points are read forward from its copy in the work folder (or from the file
** itself, to write that copy): a sweep, a shard or a rank asks for its points in increasing
** order, so a cursor that only reads on, and rewinds when asked for an earlier point, holds one
** line whatever the number of points. The generated designs make each point from what the
** design holds: a grid's from its index, a Sobol point by stepping the sequence, a Latin
** hypercube's from the seed (nsm_design_lhs_point: in any order, in constant memory).
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neasim/design.h"
#include "neasim/dist.h"
#include "neasim/sweep.h"
#include "sweep/source.h"

struct nsm_sweep_cursor {
    const nsm_sweep_design *d;
    nsm_sweep_point pt;
    double *values;           /* pt's, n_params */
    char *levers;             /* pt's lever set */
    size_t lev_cap;
    size_t next;              /* a design file: the point the next row read is */
    char *path;               /* the copy, or NULL: the design file itself */
    FILE *copy;
    long data_at;             /* where the copy's first point starts */
    char *line;
    size_t line_cap;
    size_t *idx;              /* a grid: the point's level of each row */
    nsm_design_sobol_seq sobol; /* Sobol: the sequence, stepped */
    double *u;                /* Sobol and LHS: the point in the unit cube */
};

static int set_levers(nsm_sweep_cursor *c, const char *text, size_t n)
{
    if (n + 1 > c->lev_cap) {
        char *p = realloc(c->levers, n + 1);
        if (!p)
            return -1;
        c->levers = p;
        c->lev_cap = n + 1;
    }
    memcpy(c->levers, text, n);
    c->levers[n] = '\0';
    return 0;
}

static nsm_status damaged(const nsm_sweep_cursor *c, size_t p, nsm_diag *diag)
{
    return nsm_diag_error(diag, NSM_ERR_IO, "%s: error: the row of point %zu is missing or "
                          "damaged: delete the folder it is in and run the sweep again", c->path,
                          p + 1);
}

/* The copy's row of point p (nsm_sweep_design_write's text): "P,V1,...,Vn,LEVERS". */
static nsm_status copy_row(nsm_sweep_cursor *c, size_t p, nsm_diag *diag)
{
    if (p < c->next && fseek(c->copy, c->data_at, SEEK_SET) != 0)
        return nsm_diag_error(diag, NSM_ERR_IO, "%s: error: cannot read: %s", c->path,
                              strerror(errno));
    if (p < c->next)
        c->next = 0;
    ssize_t len = 0;
    for (; c->next <= p; c->next++)
        if ((len = getline(&c->line, &c->line_cap, c->copy)) < 0)
            return ferror(c->copy) ? nsm_diag_error(diag, NSM_ERR_IO, "%s: error: cannot read: "
                                                    "%s", c->path, strerror(errno))
                                   : damaged(c, p, diag);
    char *at = c->line, *end = NULL;
    errno = 0;
    int bad = strtoull(at, &end, 10) != p + 1 || errno;
    for (int k = 0; !bad && k < c->d->n_params; k++) {
        at = end;
        bad = *at != ',' || (c->values[k] = strtod(at + 1, &end), end == at + 1);
    }
    bad = bad || *end != ',';
    size_t n = bad ? 0 : strcspn(end + 1, "\r\n");
    if (bad || (len > 0 && end[1 + n] != '\r'))
        return damaged(c, p, diag);
    const char *lev = end + 1;
    if ((!c->d->has_levers && n == 2 && !strncmp(lev, "NA", 2)) ||
        (n == 4 && !strncmp(lev, "none", 4)))
        n = 0;
    return set_levers(c, lev, n) ? NSM_ERR_NOMEM : NSM_OK;
}

/* The design file's row of point p, from the file (checked again to be the bytes checked). */
static nsm_status file_row(nsm_sweep_cursor *c, size_t p, nsm_diag *diag)
{
    nsm_sweep_source *s = c->d->src;
    nsm_status st = NSM_OK;
    if (p < c->next || c->next == 0) {
        st = nsm_table_stream_rewind(s->file, diag);
        c->next = 0;
    }
    const nsm_row *row = NULL;
    for (; st == NSM_OK && c->next <= p; c->next++)
        if ((st = nsm_table_stream_next(s->file, &row, diag)) == NSM_OK && !row)
            st = nsm_diag_error(diag, NSM_ERR_IO, "%s: error: the file changed while it was "
                                "read: run again once nothing writes to it",
                                nsm_table_stream_table(s->file)->path);
    for (int k = 0; st == NSM_OK && k < c->d->n_params; k++) /* as checked (points.c) */
        c->values[k] = strtod(row->cells[s->col[k]].text, NULL);
    const char *lev = st == NSM_OK && s->lev >= 0 ? row->cells[s->lev].text : "";
    if (!strcmp(lev, "none"))
        lev = "";
    if (st == NSM_OK && set_levers(c, lev, strlen(lev)))
        st = NSM_ERR_NOMEM;
    if (st == NSM_OK && p + 1 == c->d->n_points) { /* its end: the bytes are checked there */
        st = nsm_table_stream_next(s->file, &row, diag);
        c->next = 0; /* the stream is at its end: the next point rewinds */
    }
    return st;
}

/* Point p of a grid: its level of each row from its index. */
static nsm_status grid_row(nsm_sweep_cursor *c, size_t p)
{
    const nsm_sweep_source *s = c->d->src;
    nsm_design_grid_point(s->levels, (size_t)s->grid_rows, p, c->idx);
    const char *lev = "";
    for (int k = 0, j = 0; k < s->grid_rows; k++)
        if (k == s->grid_lev)
            lev = s->sets[c->idx[k]];
        else
            c->values[j++] = s->numbers[k][c->idx[k]];
    return set_levers(c, lev, strlen(lev)) ? NSM_ERR_NOMEM : NSM_OK;
}

/* Point p of a Sobol design or a Latin hypercube: its point in the unit cube (a row of the
** sequence, or made from the seed) through each parameter's quantiles. */
static nsm_status unit_row(nsm_sweep_cursor *c, size_t p, nsm_diag *diag)
{
    const nsm_sweep_design *d = c->d;
    if (d->kind == NSM_SWEEP_LHS)
        nsm_design_lhs_point(d->src->seed, d->n_points, (size_t)d->n_params, p, c->u);
    else if (nsm_design_sobol_point(&c->sobol, p, c->u) != 0)
        return nsm_diag_error(diag, NSM_ERR_RUNTIME, "the Sobol sequence cannot give point %zu",
                              p + 1);
    for (int i = 0; i < d->n_params; i++)
        c->values[i] = nsm_dist_quantile(&d->src->dists[i], c->u[i]);
    return NSM_OK;
}

/* Point p of OAT: the means (point 0), then number i at its low (point 1 + 2i) and high value
** (point 2 + 2i). */
static nsm_status oat_row(nsm_sweep_cursor *c, size_t p)
{
    const nsm_sweep_design *d = c->d;
    for (size_t i = 0; i < (size_t)d->n_params; i++)
        c->values[i] = p == 1 + 2 * i ? d->low[i] : p == 2 + 2 * i ? d->high[i]
                                                   : d->src->nominal[i];
    return NSM_OK;
}

nsm_status nsm_sweep_cursor_open(const nsm_sweep_design *d, const char *copy,
                                 nsm_sweep_cursor **out, nsm_diag *diag)
{
    nsm_sweep_cursor *c = calloc(1, sizeof *c);
    *out = NULL;
    nsm_status st = c ? NSM_OK : NSM_ERR_NOMEM;
    if (st == NSM_OK) {
        c->d = d;
        c->values = calloc((size_t)d->n_params + 1, sizeof *c->values);
        st = c->values && !set_levers(c, "", 0) ? NSM_OK : NSM_ERR_NOMEM;
    }
    if (st == NSM_OK && (d->kind == NSM_SWEEP_SOBOL || d->kind == NSM_SWEEP_LHS) &&
        !(c->u = calloc((size_t)d->n_params + 1, sizeof *c->u)))
        st = NSM_ERR_NOMEM;
    if (st == NSM_OK && d->kind == NSM_SWEEP_SOBOL &&
        nsm_design_sobol_open(&c->sobol, d->base_n, (size_t)d->n_params) != 0)
        st = NSM_ERR_NOMEM; /* the design's limits were checked when it was made */
    if (st == NSM_OK && d->kind == NSM_SWEEP_GRID &&
        !(c->idx = calloc((size_t)d->src->grid_rows + 1, sizeof *c->idx)))
        st = NSM_ERR_NOMEM;
    if (st == NSM_OK && d->kind == NSM_SWEEP_FILE && copy) {
        errno = 0;
        if (!(c->path = strdup(copy)))
            st = NSM_ERR_NOMEM;
        else if (!(c->copy = fopen(copy, "rb")))
            st = nsm_diag_error(diag, NSM_ERR_IO, "%s: error: cannot open: %s", copy,
                                strerror(errno));
        unsigned char bom[3];
        if (st == NSM_OK && (fread(bom, 1, 3, c->copy) != 3 || memcmp(bom, "\xEF\xBB\xBF", 3)))
            rewind(c->copy);
        if (st == NSM_OK && getline(&c->line, &c->line_cap, c->copy) < 0) /* the header */
            st = damaged(c, 0, diag);
        if (st == NSM_OK && (c->data_at = ftell(c->copy)) < 0)
            st = nsm_diag_error(diag, NSM_ERR_IO, "%s: error: cannot read: %s", copy,
                                strerror(errno));
    }
    if (st == NSM_ERR_NOMEM)
        nsm_diag_error(diag, st, "out of memory");
    if (st == NSM_OK)
        *out = c;
    else
        nsm_sweep_cursor_close(c);
    return st;
}

nsm_status nsm_sweep_cursor_point(nsm_sweep_cursor *c, size_t p, const nsm_sweep_point **pt,
                                  nsm_diag *diag)
{
    const nsm_sweep_design *d = c->d;
    nsm_status st = p >= d->n_points ? nsm_diag_error(diag, NSM_ERR_RUNTIME, "point %zu of a "
                                                       "design of %zu", p + 1, d->n_points)
                    : d->kind == NSM_SWEEP_GRID  ? grid_row(c, p)
                    : d->kind == NSM_SWEEP_OAT   ? oat_row(c, p)
                    : d->kind != NSM_SWEEP_FILE  ? unit_row(c, p, diag)
                    : c->copy                    ? copy_row(c, p, diag)
                                                 : file_row(c, p, diag);
    if (st == NSM_ERR_NOMEM)
        nsm_diag_error(diag, st, "out of memory");
    c->pt = (nsm_sweep_point){p, c->values, c->levers};
    *pt = st == NSM_OK ? &c->pt : NULL;
    return st;
}

void nsm_sweep_cursor_close(nsm_sweep_cursor *c)
{
    if (!c)
        return;
    if (c->copy)
        fclose(c->copy);
    free(c->path);
    free(c->line);
    free(c->values);
    free(c->levers);
    free(c->idx);
    free(c->u);
    nsm_design_sobol_close(&c->sobol);
    free(c);
}
