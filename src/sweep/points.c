/*
** points.c: the points of a sweep, from a design file, a grid file, or generated over the
** scenario's uncertain numbers. Every path, value and lever set is checked against the model
** here, with its position in the file, before anything runs.
*/
#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neasim/design.h"
#include "neasim/dist.h"
#include "neasim/numfmt.h"
#include "neasim/params.h"
#include "neasim/sweep.h"
#include "scenario/read.h"
#include "sweep/source.h"

void nsmi_sweep_source_free(nsm_sweep_source *s)
{
    if (!s)
        return;
    nsm_table_stream_close(s->file);
    for (int k = 0; s->cols && k < s->schema.n_columns; k++)
        free((char *)(uintptr_t)s->cols[k].name);
    free(s->cols);
    free(s->col);
    for (int k = 0; s->numbers && k < s->grid_rows; k++)
        free(s->numbers[k]);
    for (size_t v = 0; s->sets && v < s->levels[s->grid_lev]; v++)
        free(s->sets[v]);
    free(s->numbers);
    free(s->sets);
    free(s->levels);
    free(s->dists);
    free(s->nominal);
    free(s);
}

void nsm_sweep_design_release(nsm_sweep_design *d)
{
    for (int k = 0; d->params && k < d->n_params; k++)
        free(d->params[k]);
    nsmi_sweep_source_free(d->src);
    free(d->params);
    free(d->n_each);
    free(d->names);
    free(d->low);
    free(d->high);
    free(d->source);
    memset(d, 0, sizeof *d);
}

static int alloc_params(nsm_sweep_design *d, int n)
{
    d->n_params = n;
    d->names = calloc((size_t)n + 1, sizeof *d->names);
    d->params = calloc((size_t)n + 1, sizeof *d->params);
    d->n_each = calloc((size_t)n + 1, sizeof *d->n_each);
    return d->names && d->params && d->n_each ? 0 : -1;
}

/* ---- reading a CSV whose header is not known in advance ---- */

typedef struct {
    char **names;
    int n, done, nomem; /* nomem: a name was dropped, memory ran out */
} header_ctx;

static void on_field(void *s, size_t len, void *data)
{
    header_ctx *h = data;
    if (h->done)
        return;
    char **names = realloc(h->names, ((size_t)h->n + 1) * sizeof *names);
    if (!names) {
        h->nomem = 1;
        return;
    }
    h->names = names;
    h->names[h->n] = strndup(s ? s : "", len);
    h->nomem |= h->names[h->n] == NULL;
    h->n += h->names[h->n] != NULL;
}

static void on_row(int c, void *data)
{
    (void)c;
    ((header_ctx *)data)->done = 1;
}

/* The names of the header: libcsv on the file's first record, which gives the design its schema
** (the table reader then checks the file against it). *names: new strings, NULL when memory ran
** out. */
static nsm_status header_names(const char *path, char ***names, int *n, nsm_diag *diag)
{
    errno = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return nsm_diag_error(diag, NSM_ERR_IO, "%s: error: cannot open: %s", path, strerror(errno));
    header_ctx h = {NULL, 0, 0, 0};
    struct csv_parser p;
    csv_init(&p, CSV_APPEND_NULL);
    unsigned char bom[3];
    size_t got = fread(bom, 1, 3, f);
    size_t skip = got == 3 && memcmp(bom, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    for (size_t k = skip; k < got && !h.done; k++)
        csv_parse(&p, bom + k, 1, on_field, on_row, &h);
    for (int c; !h.done && (c = getc(f)) != EOF;) {
        unsigned char b = (unsigned char)c;
        csv_parse(&p, &b, 1, on_field, on_row, &h);
    }
    csv_fini(&p, on_field, on_row, &h);
    csv_free(&p);
    fclose(f);
    for (int k = 0; h.nomem && k < h.n; k++)
        free(h.names[k]);
    *names = h.nomem ? NULL : h.names;
    *n = h.nomem ? 0 : h.n;
    if (h.nomem)
        free(h.names);
    return h.nomem ? NSM_ERR_NOMEM : NSM_OK;
}

static nsm_status read_file(const char *path, char **bytes, size_t *size, nsm_diag *diag)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return nsm_diag_error(diag, NSM_ERR_IO, "%s: error: cannot open: %s", path, strerror(errno));
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    *bytes = malloc((size_t)(n > 0 ? n : 0) + 1);
    *size = *bytes ? fread(*bytes, 1, (size_t)(n > 0 ? n : 0), f) : 0;
    fclose(f);
    return *bytes ? NSM_OK : nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
}

/* The design file's schema (its header's names) into s, then the file opened and checked
** against it, a row at a time. */
static nsm_status open_design(const char *path, nsm_sweep_source *s, nsm_diag *diag)
{
    char **names = NULL;
    int n = 0;
    nsm_status st = header_names(path, &names, &n, diag);
    if (st != NSM_OK)
        return st;
    s->cols = calloc((size_t)n + 1, sizeof *s->cols);
    for (int k = 0; k < n; k++) /* they live on in s->cols, freed with the source */
        if (s->cols)
            s->cols[k] = (nsm_column){names[k], 0};
        else
            free(names[k]);
    free(names);
    if (!s->cols)
        return NSM_ERR_NOMEM;
    const char *slash = strrchr(path, '/');
    s->schema = (nsm_schema){slash ? slash + 1 : path, "a design", n, s->cols};
    return nsm_table_stream_open(&s->file, path, &s->schema, diag);
}

/* A reader over a design table, so the scenario's path parser can report into it. */
static nsm_reader design_reader(const nsm_model *m, nsm_table *t, nsm_diag *diag)
{
    nsm_reader r;
    memset(&r, 0, sizeof r);
    r.m = (nsm_model *)(uintptr_t)m; /* the parser only reads it */
    r.d = diag;
    r.t = t;
    return r;
}

/* A header cell, for messages (the table keeps only data cells). */
static nsm_cell header_cell(const nsm_table *t, const char *name)
{
    const char *line = nsm_table_line(t, t->header_line);
    const char *at = line ? strstr(line, name) : NULL;
    return (nsm_cell){(char *)(uintptr_t)name, t->header_line, at ? (int)(at - line) + 1 : 1, 0,
                      NULL};
}

/* Is `name` one of the '+'-separated names of list[0..end)? */
static int named_before(const char *list, size_t end, const char *name)
{
    size_t n = strlen(name);
    for (size_t at = 0; at < end; at += strcspn(list + at, "+") + 1)
        if (strcspn(list + at, "+") == n && strncmp(list + at, name, n) == 0)
            return 1;
    return 0;
}

/* A lever set ("a+b", "none" or empty): every name must be a lever of the scenario, once (check
** tries arms of distinct levers: scenario/levers.c). */
/* An unknown lever in a design: the one it abbreviates or is a misspelling of, else the scenario's
** levers (an analyst types "ncg" for ncg_institutionalized, which no edit distance suggests). */
static nsm_status unknown_lever(nsm_reader *r, const nsm_cell *c, size_t at, const char *tok)
{
    const nsm_model *m = r->m;
    const char *hint = NULL;
    int prefixed = 0;
    for (int l = 0; l < m->n_levers; l++)
        if (strncmp(m->levers[l].name, tok, strlen(tok)) == 0 && prefixed++ == 0)
            hint = m->levers[l].name;
    if (prefixed != 1)
        hint = m->n_levers ? nsm_suggest(tok, m->levers[0].name, (size_t)m->n_levers,
                                         sizeof m->levers[0])
                           : NULL;
    char known[1024] = " (the scenario has no levers.csv; 'none' for none)";
    if (!hint && m->n_levers) {
        size_t k = (size_t)snprintf(known, sizeof known, " (the scenario's levers: ");
        for (int l = 0; l < m->n_levers && k < sizeof known; l++)
            k += (size_t)snprintf(known + k, sizeof known - k, "%s%s", l ? ", " : "",
                                  m->levers[l].name);
        if (k < sizeof known)
            snprintf(known + k, sizeof known - k, "; 'none' for none)");
    } else if (hint) {
        snprintf(known, sizeof known, " (levers are defined in the scenario's levers.csv; 'none' "
                 "for none)");
    }
    return nsmi_unknown(r, c, at, "lever", tok, hint, known);
}

static nsm_status check_levers(nsm_reader *r, const nsm_cell *c)
{
    if (!c->text[0] || strcmp(c->text, "none") == 0)
        return NSM_OK;
    char *buf = strdup(c->text), *save = NULL;
    nsm_status st = buf ? NSM_OK : NSM_ERR_NOMEM;
    for (char *tok = buf ? strtok_r(buf, "+", &save) : NULL; tok && st == NSM_OK;
         tok = strtok_r(NULL, "+", &save)) {
        int found = 0;
        for (int l = 0; l < r->m->n_levers; l++)
            found |= strcmp(r->m->levers[l].name, tok) == 0;
        if (found && named_before(c->text, (size_t)(tok - buf), tok)) {
            st = nsmi_reader_error(r, c, (size_t)(tok - buf), "lever '%s' appears twice in '%s': "
                                  "an arm applies each lever once", tok, c->text);
        }
        if (!found)
            st = unknown_lever(r, c, (size_t)(tok - buf), tok);
    }
    free(buf);
    return st;
}

/* One value of one parameter: a plain number, in range for every number the path names. */
static nsm_status check_value(nsm_reader *r, const nsm_cell *c, const nsm_param *params, int n,
                              double *v)
{
    char *end = NULL;
    *v = c->text[0] && !nsm_dist_is(c->text) ? strtod(c->text, &end) : 0;
    if (!end || *end || end == c->text)
        return nsmi_reader_error(r, c, 0, "'%s' is not a number (a design gives each point a "
                                "number; write ranges in the scenario as distributions)", c->text);
    nsm_diag why;
    nsm_diag_init(&why);
    nsm_status st = nsm_param_try(r->m, params, n, NSM_OP_SET, *v, &why);
    if (st != NSM_OK && why.error) /* a refusal; out of memory comes without a message */
        st = nsmi_reader_error(r, c, 0, "%s is out of range: %s", c->text, why.error);
    nsm_diag_release(&why);
    return st;
}

/* Resolve the path in cell c into parameter k of the design. The path keeps its spelling in the
** outputs, so it must fit the design's name field (a valid path is far shorter, but leading zeros
** in a row number can make one of any length). */
static nsm_status resolve_path(nsm_reader *r, nsm_sweep_design *d, int k, const nsm_cell *c)
{
    if (strlen(c->text) >= sizeof d->names[k])
        return nsmi_reader_error(r, c, 0, "parameter path of %zu characters; the limit is %zu "
                                "(write row numbers without leading zeros)", strlen(c->text),
                                sizeof d->names[k] - 1);
    snprintf(d->names[k], sizeof d->names[k], "%s", c->text);
    return nsmi_parse_path(r, c, &d->params[k], &d->n_each[k]);
}

static int same_param(const nsm_param *x, const nsm_param *y)
{
    return x->kind == y->kind && x->a == y->a && x->b == y->b && x->c == y->c;
}

/* How many numbers parameters j and k of the design both set; *which: one of them. */
static int shared(const nsm_sweep_design *d, int j, int k, nsm_param *which)
{
    int n = 0;
    for (int a = 0; a < d->n_each[j]; a++)
        for (int b = 0; b < d->n_each[k]; b++)
            if (same_param(&d->params[j][a], &d->params[k][b])) {
                *which = d->params[j][a];
                n++;
            }
    return n;
}

/* An error at cell c when parameter k sets a number an earlier one sets, unless one path
** includes the other (`transitions:f:*>b` and `transitions:f:a>b`): then the narrower path wins
** at the numbers they share, as a row of the scenario overrides a `*` row (sweep.c applies the
** broader first). Anything else would make a point ambiguous, or repeat a column in sweep.csv.
** The earlier parameter j is in the `unit` ("column" of the design, "line" of the grid) at[j]. */
static nsm_status check_repeat(nsm_reader *r, const nsm_sweep_design *d, int k, const nsm_cell *c,
                               const char *unit, const int *at)
{
    const char *how = strcmp(unit, "line") == 0 ? " (its values separated by ';')" : "";
    for (int j = 0; j < k; j++) {
        nsm_param p;
        int n = shared(d, j, k, &p), nj = d->n_each[j], nk = d->n_each[k];
        if (n == 0 || (nj != nk && n == (nj < nk ? nj : nk)))
            continue;
        char path[512];
        nsm_param_path(r->m, &p, path, sizeof path);
        if (n == nj && n == nk)
            return nsmi_reader_error(r, c, 0, "'%s' is already varied at %s %d%s%s%s: give each "
                                    "parameter once%s", d->names[k], unit, at[j],
                                    strcmp(d->names[j], d->names[k]) ? " (as '" : "",
                                    strcmp(d->names[j], d->names[k]) ? d->names[j] : "",
                                    strcmp(d->names[j], d->names[k]) ? "')" : "", how);
        return nsmi_reader_error(r, c, 0, "'%s' and '%s' at %s %d both set %s, and neither "
                                "includes the other: give each number once", d->names[k],
                                d->names[j], unit, at[j], path);
    }
    return NSM_OK;
}

static nsm_status resolve_header(nsm_reader *r, nsm_sweep_design *d, int k, const char *name)
{
    nsm_cell hc = header_cell(r->t, name);
    return resolve_path(r, d, k, &hc);
}

/* Every row's values and lever set, checked as the file is read again. */
static nsm_status check_points(nsm_reader *r, nsm_sweep_design *d)
{
    nsm_sweep_source *s = d->src;
    nsm_status st = nsm_table_stream_rewind(s->file, r->d);
    const nsm_row *row = NULL;
    for (size_t p = 0; st == NSM_OK && p < d->n_points; p++) {
        if ((st = nsm_table_stream_next(s->file, &row, r->d)) == NSM_OK && !row)
            st = nsm_diag_error(r->d, NSM_ERR_IO, "%s: error: the file changed while it was "
                                "read: run again once nothing writes to it", r->t->path);
        for (int k = 0; st == NSM_OK && k < d->n_params; k++) {
            double v;
            st = check_value(r, &row->cells[s->col[k]], d->params[k], d->n_each[k], &v);
        }
        if (st == NSM_OK && s->lev >= 0)
            st = check_levers(r, &row->cells[s->lev]);
    }
    if (st == NSM_OK) /* to the end, where the bytes are checked */
        st = nsm_table_stream_next(s->file, &row, r->d);
    return st;
}

nsm_status nsm_sweep_read_design(const nsm_model *m, const char *path, nsm_sweep_design *d,
                                 nsm_diag *diag)
{
    memset(d, 0, sizeof *d);
    d->kind = NSM_SWEEP_FILE;
    nsm_sweep_source *s = d->src = calloc(1, sizeof *d->src);
    nsm_status st = s ? open_design(path, s, diag) : NSM_ERR_NOMEM;
    const nsm_table *t = st == NSM_OK ? nsm_table_stream_table(s->file) : NULL;
    nsm_reader r = design_reader(m, NULL, diag);
    r.t = t;
    int lev = -1, n_cols = st == NSM_OK ? s->schema.n_columns : 0;
    for (int k = 0; k < n_cols; k++)
        if (strcmp(s->cols[k].name, "levers") == 0)
            lev = k;
    if (st == NSM_OK && alloc_params(d, n_cols - (lev >= 0)))
        st = NSM_ERR_NOMEM;
    if (st == NSM_OK && !(s->col = calloc((size_t)n_cols + 1, sizeof *s->col)))
        st = NSM_ERR_NOMEM;
    int *at = st == NSM_OK ? calloc((size_t)n_cols + 1, sizeof *at) : NULL;
    if (st == NSM_OK && !at)
        st = NSM_ERR_NOMEM;
    for (int k = 0, j = 0; st == NSM_OK && k < n_cols; k++)
        if (k != lev) {
            at[j] = k + 1;
            st = resolve_header(&r, d, j, s->cols[k].name);
            if (st == NSM_OK) {
                nsm_cell hc = header_cell(t, s->cols[k].name);
                st = check_repeat(&r, d, j, &hc, "column", at);
            }
            s->col[j++] = k;
        }
    if (st == NSM_OK && t->n_rows == 0)
        st = nsm_diag_error(diag, NSM_ERR_INPUT, "%s: error: the design has no points (one row "
                            "per point below the header)", path);
    if (s)
        s->lev = lev;
    d->n_points = st == NSM_OK ? (size_t)t->n_rows : 0;
    d->has_levers = lev >= 0;
    if (st == NSM_OK)
        st = check_points(&r, d);
    if (st == NSM_ERR_NOMEM && !diag->error)
        nsm_diag_error(diag, st, "out of memory reading %s", path);
    free(at);
    if (st != NSM_OK)
        nsm_sweep_design_release(d);
    return st;
}

/* ---- grid files ---- */

static const nsm_column grid_cols[] = {{"parameter", 0}, {"values", 0}};

static void free_strings(char **v, int n)
{
    for (int k = 0; v && k < n; k++)
        free(v[k]);
    free(v);
}

/* The values of "a;b;c" into a new array of new strings, blanks before each dropped; *empty = 1
** when one of them is empty ("1;;2", "1;2;"), which a typo makes rather than a design. -1 (and
** *out NULL) when memory runs out. */
static int split_values(const char *text, char ***out, int *empty)
{
    int n = 1;
    for (const char *s = text; *s; s++)
        n += *s == ';';
    char **v = calloc((size_t)n + 1, sizeof *v), *buf = strdup(text), *rest = buf;
    int k = 0, oom = !v || !buf;
    *empty = 0;
    for (char *tok; !oom && (tok = strsep(&rest, ";"));) {
        while (*tok == ' ')
            tok++;
        if (!*tok)
            *empty = 1;
        else if ((v[k] = strdup(tok)))
            k++;
        else
            oom = 1;
    }
    free(buf);
    if (oom) {
        free_strings(v, k);
        v = NULL;
        k = -1;
    }
    *out = v;
    return k;
}

typedef struct {
    int n;
    char **text;
} grid_dim;

/* The most points a grid may have: each point is a full run of the scenario. */
#define GRID_MAX_POINTS 10000000

/* The number of points of the grid, or an error that says how many and how to cut them. */
static nsm_status grid_size(const char *path, const grid_dim *dims, int n_dims, size_t *levels,
                            size_t *n, nsm_diag *diag)
{
    double total = 1;
    for (int k = 0; k < n_dims; k++) {
        levels[k] = (size_t)dims[k].n;
        total *= (double)dims[k].n;
    }
    *n = nsm_design_grid(levels, (size_t)n_dims, GRID_MAX_POINTS, NULL);
    if (*n > 0)
        return NSM_OK;
    char product[256] = "";
    for (int k = 0, len = 0; k < n_dims && len < 200; k++)
        len += snprintf(product + len, sizeof product - (size_t)len, "%s%d", k ? " x " : "",
                        dims[k].n);
    return nsm_diag_error(diag, NSM_ERR_INPUT, "%s: error: the grid has %.4g points (%s values), "
                          "more than the limit of %d: list fewer values per parameter, split it "
                          "into several grids, or sample the space with --lhs N", path, total,
                          product, GRID_MAX_POINTS);
}

/* The grid's rows into the design's source: each row's values, from which every point is made
** by its index (cursor.c), none of them held. */
static nsm_status grid_points(nsm_sweep_design *d, const char *path, grid_dim *dims, int n_dims,
                              int lev, nsm_diag *diag)
{
    nsm_sweep_source *s = d->src = calloc(1, sizeof *d->src);
    if (!s || !(s->levels = calloc((size_t)n_dims + 1, sizeof *s->levels)) ||
        !(s->numbers = calloc((size_t)n_dims + 1, sizeof *s->numbers)))
        return NSM_ERR_NOMEM;
    s->grid_rows = n_dims;
    s->grid_lev = lev;
    size_t n = 0;
    nsm_status st = grid_size(path, dims, n_dims, s->levels, &n, diag);
    if (st == NSM_OK && lev >= 0 && !(s->sets = calloc(s->levels[lev] + 1, sizeof *s->sets)))
        st = NSM_ERR_NOMEM;
    for (int k = 0; st == NSM_OK && k < n_dims; k++)
        if (k != lev && !(s->numbers[k] = calloc(s->levels[k] + 1, sizeof *s->numbers[k])))
            st = NSM_ERR_NOMEM;
    for (int k = 0; st == NSM_OK && k < n_dims; k++)
        for (int v = 0; st == NSM_OK && v < dims[k].n; v++) {
            const char *txt = dims[k].text[v];
            if (k != lev)
                s->numbers[k][v] = strtod(txt, NULL);
            else if (!(s->sets[v] = strdup(strcmp(txt, "none") == 0 ? "" : txt)))
                st = NSM_ERR_NOMEM;
        }
    if (st == NSM_OK)
        d->n_points = n;
    return st;
}

/* Row `row` of the grid: parameter j (or the lever sets) and its values. at[j]: its line. */
static nsm_status grid_row(nsm_reader *r, nsm_sweep_design *d, int row, int j, int *at,
                           grid_dim *dim)
{
    const nsm_cell *pc = nsm_table_cell(r->t, row, "parameter"),
                   *vc = nsm_table_cell(r->t, row, "values");
    int empty;
    dim->n = split_values(vc->text, &dim->text, &empty);
    if (dim->n < 0) { /* said by the caller, with the file's name */
        dim->n = 0;
        return NSM_ERR_NOMEM;
    }
    if (dim->n == 0)
        return nsmi_reader_error(r, vc, 0, "no values: list them separated by ';'");
    if (empty)
        return nsmi_reader_error(r, vc, 0, "an empty value in '%s': separate the values by "
                                 "single ';' (1;2;4)", vc->text);
    if (strcmp(pc->text, "levers") == 0) {
        nsm_status st = NSM_OK;
        for (int v = 0; st == NSM_OK && v < dim->n; v++) {
            nsm_cell c = *vc;
            c.text = dim->text[v];
            st = check_levers(r, &c);
        }
        return st;
    }
    at[j] = pc->line;
    nsm_status st = resolve_path(r, d, j, pc);
    if (st == NSM_OK)
        st = check_repeat(r, d, j, pc, "line", at);
    for (int v = 0; st == NSM_OK && v < dim->n; v++) {
        nsm_cell c = *vc;
        c.text = dim->text[v];
        double x;
        st = check_value(r, &c, d->params[j], d->n_each[j], &x);
    }
    return st;
}

/* The row of the lever sets (-1: none); a second one is an error. */
static nsm_status grid_levers_row(nsm_reader *r, int *lev)
{
    *lev = -1;
    for (int i = 0; i < r->t->n_rows; i++) {
        const nsm_cell *c = nsm_table_cell(r->t, i, "parameter");
        if (strcmp(c->text, "levers") != 0)
            continue;
        if (*lev >= 0)
            return nsmi_reader_error(r, c, 0, "'levers' is already listed at line %d: list every "
                                    "lever set once, in one row separated by ';'",
                                    nsm_table_cell(r->t, *lev, "parameter")->line);
        *lev = i;
    }
    return NSM_OK;
}

nsm_status nsm_sweep_read_grid(const nsm_model *m, const char *path, nsm_sweep_design *d,
                               nsm_diag *diag)
{
    memset(d, 0, sizeof *d);
    d->kind = NSM_SWEEP_GRID;
    const char *slash = strrchr(path, '/');
    nsm_schema schema = {slash ? slash + 1 : path, "a grid: parameter,values", 2, grid_cols};
    char *bytes = NULL;
    size_t size = 0;
    nsm_table t;
    memset(&t, 0, sizeof t);
    nsm_status st = read_file(path, &bytes, &size, diag);
    if (st == NSM_OK)
        st = nsm_table_parse(&t, path, &schema, bytes, size, diag);
    free(bytes);
    nsm_reader r = design_reader(m, &t, diag);
    int lev = -1;
    if (st == NSM_OK)
        st = grid_levers_row(&r, &lev);
    grid_dim *dims = st == NSM_OK ? calloc((size_t)t.n_rows + 1, sizeof *dims) : NULL;
    int *at = st == NSM_OK ? calloc((size_t)t.n_rows + 1, sizeof *at) : NULL;
    if (st == NSM_OK && (!dims || !at || alloc_params(d, t.n_rows - (lev >= 0))))
        st = NSM_ERR_NOMEM;
    for (int i = 0, j = 0; st == NSM_OK && i < t.n_rows; i++) {
        st = grid_row(&r, d, i, j, at, &dims[i]);
        j += i != lev;
    }
    d->has_levers = lev >= 0;
    if (st == NSM_OK)
        st = grid_points(d, path, dims, t.n_rows, lev, diag);
    if (st == NSM_ERR_NOMEM && !diag->error)
        nsm_diag_error(diag, st, "out of memory reading %s", path);
    for (int i = 0; dims && i < t.n_rows; i++)
        free_strings(dims[i].text, dims[i].n);
    free(dims);
    free(at);
    nsm_table_release(&t);
    if (st != NSM_OK)
        nsm_sweep_design_release(d);
    return st;
}

/* ---- generated designs over the uncertain numbers ---- */

static nsm_dist dist_of(const nsm_uncertain *u)
{
    return (nsm_dist){(nsm_dist_kind)u->kind, {u->p[0], u->p[1], u->p[2]}};
}

/* Does path match one of the comma-separated patterns (exact, or a prefix ending in '*')? */
static int selected(const char *path, const char *only)
{
    if (!only)
        return 1;
    for (const char *p = only; *p;) {
        size_t n = strcspn(p, ",");
        int star = n > 0 && p[n - 1] == '*';
        if (star ? strncmp(path, p, n - 1) == 0 : strlen(path) == n && strncmp(path, p, n) == 0)
            return 1;
        p += n + (p[n] == ',');
    }
    return 0;
}

/* Every pattern of `only` must select something: a typo would otherwise vary nothing. */
static nsm_status check_patterns(const nsm_model *m, const char *only, nsm_diag *diag)
{
    for (const char *p = only; p && *p;) {
        size_t n = strcspn(p, ",");
        char pat[512];
        snprintf(pat, sizeof pat, "%.*s", (int)n, p);
        if (n == 0 || (p[n] == ',' && !p[n + 1]))
            return nsm_diag_error(diag, NSM_ERR_USAGE, "--params: an empty item in '%s': "
                                  "separate the paths by single ','", only);
        int hits = 0;
        for (int k = 0; k < m->n_uncertain; k++)
            hits += selected(m->uncertain[k].path, pat);
        const char *near = hits || m->n_uncertain == 0 ? NULL
                           : nsm_suggest(pat, m->uncertain[0].path, (size_t)m->n_uncertain,
                                         sizeof m->uncertain[0]);
        if (!hits)
            return nsm_diag_error(diag, NSM_ERR_USAGE, "--params: '%s' names no number written as "
                                  "a distribution%s%s%s (`neasim check` lists them under "
                                  "\"Uncertain numbers\"; end a prefix with '*')", pat,
                                  near ? "; did you mean '" : "", near ? near : "",
                                  near ? "'?" : "");
        p += n + (p[n] == ',');
    }
    return NSM_OK;
}

static nsm_status copy_uncertain(const nsm_model *m, const char *only, nsm_sweep_design *d)
{
    int n = 0;
    for (int k = 0; k < m->n_uncertain; k++)
        n += selected(m->uncertain[k].path, only);
    if (alloc_params(d, n) || !(d->source = calloc((size_t)n + 1, sizeof *d->source)))
        return NSM_ERR_NOMEM;
    for (int k = 0, j = 0; k < m->n_uncertain; k++)
        if (selected(m->uncertain[k].path, only))
            d->source[j++] = k;
    for (int j = 0; j < n; j++) {
        int k = d->source[j];
        const nsm_uncertain *u = &m->uncertain[k];
        snprintf(d->names[j], sizeof d->names[j], "%s", u->path);
        d->n_each[j] = u->n_params;
        d->params[j] = malloc(((size_t)u->n_params + 1) * sizeof *d->params[j]);
        if (!d->params[j])
            return NSM_ERR_NOMEM;
        memcpy(d->params[j], u->params, (size_t)u->n_params * sizeof *u->params);
    }
    return NSM_OK;
}

/* OAT: the means, then each number at its 5th and then 95th percentile (the cursor makes each
** point from them). */
static nsm_status oat_points(const nsm_model *m, nsm_sweep_design *d)
{
    size_t dn = (size_t)d->n_params;
    d->n_points = 1 + 2 * dn;
    nsm_sweep_source *s = d->src = calloc(1, sizeof *d->src);
    double *nominal = s ? (s->nominal = calloc(dn + 1, sizeof *nominal)) : NULL;
    d->low = calloc(dn + 1, sizeof *d->low);
    d->high = calloc(dn + 1, sizeof *d->high);
    if (!nominal || !d->low || !d->high)
        return NSM_ERR_NOMEM;
    for (size_t i = 0; i < dn; i++) {
        nsm_dist ds = dist_of(&m->uncertain[d->source[i]]);
        nominal[i] = m->uncertain[d->source[i]].nominal;
        d->low[i] = nsm_dist_quantile(&ds, 0.05);
        d->high[i] = nsm_dist_quantile(&ds, 0.95);
    }
    return NSM_OK;
}

/* Sobol and LHS: each parameter's distribution; the cursor makes each point, stepping Sobol's
** sequence, or a Latin hypercube's from the seed. Sobol's limits are checked here, where nothing
** has run. */
static nsm_status unit_points(const nsm_model *m, nsm_sweep_design *d, nsm_sweep_kind kind,
                              size_t n, uint64_t seed)
{
    size_t dn = (size_t)d->n_params;
    nsm_design_sobol_seq seq;
    int bad = kind == NSM_SWEEP_SOBOL ? nsm_design_sobol_open(&seq, n, dn)
                                      : (uint64_t)n >= UINT64_C(1) << 62; /* design.h */
    if (kind == NSM_SWEEP_SOBOL)
        nsm_design_sobol_close(&seq);
    if (bad)
        return NSM_ERR_USAGE;
    d->n_points = kind == NSM_SWEEP_SOBOL ? n * (dn + 2) : n;
    d->base_n = kind == NSM_SWEEP_SOBOL ? n : 0;
    nsm_sweep_source *s = d->src = calloc(1, sizeof *d->src);
    if (!s || !(s->dists = calloc(dn + 1, sizeof *s->dists)))
        return NSM_ERR_NOMEM;
    s->seed = seed;
    for (size_t i = 0; i < dn; i++)
        s->dists[i] = dist_of(&m->uncertain[d->source[i]]);
    return NSM_OK;
}

static nsm_status generated_points(const nsm_model *m, nsm_sweep_design *d, nsm_sweep_kind kind,
                                   size_t n, uint64_t seed, nsm_diag *diag)
{
    size_t dn = (size_t)d->n_params;
    nsm_status st = unit_points(m, d, kind, n, seed);
    if (st == NSM_ERR_USAGE && kind == NSM_SWEEP_LHS)
        return nsm_diag_error(diag, NSM_ERR_USAGE, "--lhs takes fewer than 2^62 points");
    if (st == NSM_ERR_USAGE && dn > NSM_DESIGN_SOBOL_MAX_DIM)
        return nsm_diag_error(diag, NSM_ERR_USAGE, "--sobol takes at most %d uncertain numbers, "
                              "and %zu vary here: choose those to vary with --params (paths or "
                              "prefixes ending in '*'; neasim check lists them)",
                              NSM_DESIGN_SOBOL_MAX_DIM, dn);
    if (st == NSM_ERR_USAGE)
        return nsm_diag_error(diag, NSM_ERR_USAGE, "--sobol takes fewer than 2^30 base points");
    return st;
}
nsm_status nsm_sweep_generate(const nsm_model *m, nsm_sweep_kind kind, size_t n, uint64_t seed,
                              const char *only, nsm_sweep_design *d, nsm_diag *diag)
{
    memset(d, 0, sizeof *d);
    d->kind = kind;
    if (m->n_uncertain == 0)
        return nsm_diag_error(diag, NSM_ERR_USAGE, "%s: the scenario has no numbers written as "
                              "distributions, so there is nothing to vary: write a judgment's "
                              "range as e.g. pert(0.1,0.2,0.4) (see scenarios/README.md), or give "
                              "--design or --grid", kind == NSM_SWEEP_LHS     ? "--lhs"
                                                    : kind == NSM_SWEEP_SOBOL ? "--sobol"
                                                                              : "--oat");
    nsm_status st = check_patterns(m, only, diag);
    if (st == NSM_OK)
        st = copy_uncertain(m, only, d);
    if (st == NSM_OK)
        st = kind == NSM_SWEEP_OAT ? oat_points(m, d)
                                   : generated_points(m, d, kind, n, seed, diag);
    if (st == NSM_ERR_NOMEM && !diag->error)
        nsm_diag_error(diag, st, "out of memory generating the design");
    if (st != NSM_OK)
        nsm_sweep_design_release(d);
    return st;
}

/* The shortest of 15, 16 and 17 significant digits that reads back as v exactly: 0.2 as "0.2"
** (every decimal of 15 digits or fewer round-trips, and %.15g rounds v back to it), a value drawn
** by --lhs with the digits it needs. */
static void exact_text(char *buf, double v)
{
    for (int digits = 15; digits <= 17; digits++)
        if (nsm_numfmt_g(buf, v, digits) > 0 && (digits == 17 || strtod(buf, NULL) == v))
            return;
}

nsm_status nsm_sweep_design_write(const nsm_sweep_design *d, FILE *f, nsm_diag *diag)
{
    char num[NSM_NUMFMT_MAX];
    nsm_sweep_cursor *c = NULL;
    nsm_status st = nsm_sweep_cursor_open(d, NULL, &c, diag);
    if (st == NSM_OK) {
        fputs("point", f);
        for (int k = 0; k < d->n_params; k++)
            fprintf(f, ",%s", d->names[k]);
        fputs(",levers\r\n", f);
    }
    for (size_t p = 0; st == NSM_OK && p < d->n_points && !ferror(f); p++) {
        const nsm_sweep_point *pt;
        if ((st = nsm_sweep_cursor_point(c, p, &pt, diag)) != NSM_OK)
            break;
        fprintf(f, "%zu", p + 1);
        for (int k = 0; k < d->n_params; k++) {
            exact_text(num, pt->values[k]);
            fprintf(f, ",%s", num);
        }
        /* as points.csv and sweep.csv write it: "none" for no lever, NA without a levers column */
        fprintf(f, ",%s\r\n", !d->has_levers ? "NA" : *pt->levers ? pt->levers : "none");
    }
    nsm_sweep_cursor_close(c);
    if (st == NSM_OK && ferror(f))
        st = nsm_diag_error(diag, NSM_ERR_IO, "cannot write the design: %s", strerror(errno));
    return st;
}
