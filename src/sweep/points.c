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
#include "neasim/params.h"
#include "neasim/rng.h"
#include "neasim/sweep.h"
#include "scenario/read.h"

void nsm_sweep_design_release(nsm_sweep_design *d)
{
    for (int k = 0; d->params && k < d->n_params; k++)
        free(d->params[k]);
    for (size_t p = 0; d->levers && p < d->n_points; p++)
        free(d->levers[p]);
    free(d->params);
    free(d->n_each);
    free(d->names);
    free(d->values);
    free(d->levers);
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
    int n, done;
} header_ctx;

static void on_field(void *s, size_t len, void *data)
{
    header_ctx *h = data;
    if (h->done)
        return;
    char **names = realloc(h->names, ((size_t)h->n + 1) * sizeof *names);
    if (!names)
        return;
    h->names = names;
    h->names[h->n] = strndup(s ? s : "", len);
    h->n += h->names[h->n] != NULL;
}

static void on_row(int c, void *data)
{
    (void)c;
    ((header_ctx *)data)->done = 1;
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

/* The header's names (libcsv on the first record), then the whole table read against them. */
static nsm_status read_table(const char *path, nsm_table *t, nsm_schema *schema,
                             nsm_column **cols, nsm_diag *diag)
{
    char *bytes = NULL;
    size_t size = 0;
    nsm_status st = read_file(path, &bytes, &size, diag);
    if (st != NSM_OK)
        return st;
    header_ctx h = {NULL, 0, 0};
    struct csv_parser p;
    csv_init(&p, CSV_APPEND_NULL);
    size_t skip = size >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    for (size_t k = skip; k < size && !h.done; k++)
        csv_parse(&p, bytes + k, 1, on_field, on_row, &h);
    csv_fini(&p, on_field, on_row, &h);
    csv_free(&p);
    *cols = calloc((size_t)h.n + 1, sizeof **cols);
    for (int k = 0; *cols && k < h.n; k++)
        (*cols)[k] = (nsm_column){h.names[k], 0};
    *schema = (nsm_schema){path, "a design", h.n, *cols};
    const char *slash = strrchr(path, '/');
    schema->file = slash ? slash + 1 : path;
    st = *cols ? nsm_table_parse(t, path, schema, bytes, size, diag) : NSM_ERR_NOMEM;
    free(bytes);
    free(h.names); /* the names live on in *cols until the caller frees them */
    return st;
}

static void free_cols(nsm_column *cols, int n)
{
    for (int k = 0; cols && k < n; k++)
        free((char *)(uintptr_t)cols[k].name);
    free(cols);
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
    return (nsm_cell){(char *)(uintptr_t)name, t->header_line, at ? (int)(at - line) + 1 : 1, 0};
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
            st = nsm_reader_error(r, c, (size_t)(tok - buf), "lever '%s' appears twice in '%s': "
                                  "an arm applies each lever once", tok, c->text);
        }
        if (!found)
            st = nsm_unknown(r, c, (size_t)(tok - buf), "lever", tok,
                             r->m->n_levers ? nsm_suggest(tok, r->m->levers[0].name,
                                                          (size_t)r->m->n_levers,
                                                          sizeof r->m->levers[0])
                                            : NULL,
                             " (levers are defined in the scenario's levers.csv; 'none' for none)");
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
        return nsm_reader_error(r, c, 0, "'%s' is not a number (a design gives each point a "
                                "number; write ranges in the scenario as distributions)", c->text);
    nsm_model *v0 = nsm_model_variant(r->m);
    if (!v0)
        return NSM_ERR_NOMEM;
    nsm_diag why;
    nsm_diag_init(&why);
    nsm_status st = NSM_OK;
    for (int k = 0; k < n && st == NSM_OK; k++)
        st = nsm_param_apply(v0, &params[k], NSM_OP_SET, *v, &why);
    nsm_model_free(v0);
    if (st != NSM_OK)
        st = nsm_reader_error(r, c, 0, "%s is out of range: %s", c->text, why.error);
    nsm_diag_release(&why);
    return st;
}

static nsm_status resolve_header(nsm_reader *r, nsm_sweep_design *d, int k, const char *name)
{
    snprintf(d->names[k], sizeof d->names[k], "%s", name);
    nsm_cell hc = header_cell(r->t, name);
    return nsm_parse_path(r, &hc, &d->params[k], &d->n_each[k]);
}

nsm_status nsm_sweep_read_design(const nsm_model *m, const char *path, nsm_sweep_design *d,
                                 nsm_diag *diag)
{
    memset(d, 0, sizeof *d);
    d->kind = NSM_SWEEP_FILE;
    nsm_table t;
    memset(&t, 0, sizeof t);
    nsm_schema schema;
    nsm_column *cols = NULL;
    nsm_status st = read_table(path, &t, &schema, &cols, diag);
    nsm_reader r = design_reader(m, &t, diag);
    int lev = -1;
    for (int k = 0; st == NSM_OK && k < schema.n_columns; k++)
        if (strcmp(cols[k].name, "levers") == 0)
            lev = k;
    if (st == NSM_OK && alloc_params(d, schema.n_columns - (lev >= 0)))
        st = NSM_ERR_NOMEM;
    for (int k = 0, j = 0; st == NSM_OK && k < schema.n_columns; k++)
        if (k != lev)
            st = resolve_header(&r, d, j++, cols[k].name);
    if (st == NSM_OK && t.n_rows == 0)
        st = nsm_diag_error(diag, NSM_ERR_INPUT, "%s: error: the design has no points (one row "
                            "per point below the header)", path);
    d->n_points = st == NSM_OK ? (size_t)t.n_rows : 0;
    d->has_levers = lev >= 0;
    d->values = calloc(d->n_points * (size_t)d->n_params + 1, sizeof *d->values);
    d->levers = calloc(d->n_points + 1, sizeof *d->levers);
    for (size_t p = 0; st == NSM_OK && p < d->n_points; p++) {
        for (int k = 0; st == NSM_OK && k < d->n_params; k++)
            st = check_value(&r, nsm_table_cell(&t, (int)p, d->names[k]), d->params[k],
                             d->n_each[k], &d->values[p * (size_t)d->n_params + (size_t)k]);
        if (st == NSM_OK && lev >= 0) {
            const nsm_cell *c = nsm_table_cell(&t, (int)p, "levers");
            st = check_levers(&r, c);
            d->levers[p] = strdup(strcmp(c->text, "none") == 0 ? "" : c->text);
        }
    }
    nsm_table_release(&t);
    free_cols(cols, schema.n_columns);
    if (st != NSM_OK)
        nsm_sweep_design_release(d);
    return st;
}

/* ---- grid files ---- */

static const nsm_column grid_cols[] = {{"parameter", 0}, {"values", 0}};

/* Split "a;b;c" into a new array of new strings. */
static int split_values(const char *text, char ***out)
{
    int n = 1;
    for (const char *s = text; *s; s++)
        n += *s == ';';
    char **v = calloc((size_t)n + 1, sizeof *v), *buf = strdup(text), *save = NULL;
    int k = 0;
    for (char *tok = buf && v ? strtok_r(buf, ";", &save) : NULL; tok;
         tok = strtok_r(NULL, ";", &save)) {
        while (*tok == ' ')
            tok++;
        v[k++] = strdup(tok);
    }
    free(buf);
    *out = v;
    return k;
}

static void free_strings(char **v, int n)
{
    for (int k = 0; v && k < n; k++)
        free(v[k]);
    free(v);
}

typedef struct {
    int n;
    char **text;
} grid_dim;

static nsm_status grid_points(nsm_sweep_design *d, grid_dim *dims, int n_dims, int lev)
{
    size_t *levels = calloc((size_t)n_dims + 1, sizeof *levels);
    for (int k = 0; levels && k < n_dims; k++)
        levels[k] = (size_t)dims[k].n;
    size_t n = levels ? nsm_design_grid(levels, (size_t)n_dims, 10000000, NULL) : 0;
    size_t *idx = n ? calloc(n * (size_t)n_dims + 1, sizeof *idx) : NULL;
    d->values = calloc(n * (size_t)d->n_params + 1, sizeof *d->values);
    d->levers = calloc(n + 1, sizeof *d->levers);
    if (!idx || !d->values || !d->levers) {
        free(levels);
        free(idx);
        return NSM_ERR_NOMEM;
    }
    nsm_design_grid(levels, (size_t)n_dims, 10000000, idx);
    d->n_points = n;
    for (size_t p = 0; p < n; p++)
        for (int k = 0, j = 0; k < n_dims; k++) {
            const char *txt = dims[k].text[idx[p * (size_t)n_dims + (size_t)k]];
            if (k == lev)
                d->levers[p] = strdup(strcmp(txt, "none") == 0 ? "" : txt);
            else
                d->values[p * (size_t)d->n_params + (size_t)j++] = strtod(txt, NULL);
        }
    free(levels);
    free(idx);
    return NSM_OK;
}

static nsm_status grid_row(nsm_reader *r, nsm_sweep_design *d, int row, int j, grid_dim *dim)
{
    const nsm_cell *pc = nsm_table_cell(r->t, row, "parameter"),
                   *vc = nsm_table_cell(r->t, row, "values");
    dim->n = split_values(vc->text, &dim->text);
    if (dim->n == 0)
        return nsm_reader_error(r, vc, 0, "no values: list them separated by ';'");
    if (strcmp(pc->text, "levers") == 0) {
        nsm_status st = NSM_OK;
        for (int v = 0; st == NSM_OK && v < dim->n; v++) {
            nsm_cell c = *vc;
            c.text = dim->text[v];
            st = check_levers(r, &c);
        }
        return st;
    }
    snprintf(d->names[j], sizeof d->names[j], "%s", pc->text);
    nsm_status st = nsm_parse_path(r, pc, &d->params[j], &d->n_each[j]);
    for (int v = 0; st == NSM_OK && v < dim->n; v++) {
        nsm_cell c = *vc;
        c.text = dim->text[v];
        double x;
        st = check_value(r, &c, d->params[j], d->n_each[j], &x);
    }
    return st;
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
    for (int i = 0; st == NSM_OK && i < t.n_rows; i++)
        if (strcmp(nsm_table_cell(&t, i, "parameter")->text, "levers") == 0)
            lev = i;
    grid_dim *dims = st == NSM_OK ? calloc((size_t)t.n_rows + 1, sizeof *dims) : NULL;
    if (st == NSM_OK && (!dims || alloc_params(d, t.n_rows - (lev >= 0))))
        st = NSM_ERR_NOMEM;
    for (int i = 0, j = 0; st == NSM_OK && i < t.n_rows; i++) {
        st = grid_row(&r, d, i, j, &dims[i]);
        j += i != lev;
    }
    d->has_levers = lev >= 0;
    if (st == NSM_OK)
        st = grid_points(d, dims, t.n_rows, lev);
    for (int i = 0; dims && i < t.n_rows; i++)
        free_strings(dims[i].text, dims[i].n);
    free(dims);
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
        int hits = 0;
        for (int k = 0; k < m->n_uncertain; k++)
            hits += selected(m->uncertain[k].path, pat);
        if (!hits)
            return nsm_diag_error(diag, NSM_ERR_USAGE, "--params: '%s' names no number written as "
                                  "a distribution (`neasim check` lists them under \"Uncertain "
                                  "numbers\"; end a prefix with '*')", pat);
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

/* OAT: the means, then each number at its 5th and then 95th percentile. */
static nsm_status oat_points(const nsm_model *m, nsm_sweep_design *d)
{
    size_t dn = (size_t)d->n_params;
    d->n_points = 1 + 2 * dn;
    d->values = calloc(d->n_points * dn + 1, sizeof *d->values);
    d->low = calloc(dn + 1, sizeof *d->low);
    d->high = calloc(dn + 1, sizeof *d->high);
    if (!d->values || !d->low || !d->high)
        return NSM_ERR_NOMEM;
    for (size_t i = 0; i < dn; i++) {
        nsm_dist ds = dist_of(&m->uncertain[d->source[i]]);
        d->low[i] = nsm_dist_quantile(&ds, 0.05);
        d->high[i] = nsm_dist_quantile(&ds, 0.95);
    }
    for (size_t p = 0; p < d->n_points; p++)
        for (size_t i = 0; i < dn; i++) {
            double v = m->uncertain[d->source[i]].nominal;
            if (p == 1 + 2 * i)
                v = d->low[i];
            else if (p == 2 + 2 * i)
                v = d->high[i];
            d->values[p * dn + i] = v;
        }
    return NSM_OK;
}

static nsm_status unit_points(const nsm_model *m, nsm_sweep_design *d, nsm_sweep_kind kind,
                              size_t n, uint64_t seed, nsm_diag *diag)
{
    size_t dn = (size_t)d->n_params;
    d->n_points = kind == NSM_SWEEP_SOBOL ? n * (dn + 2) : n;
    d->base_n = n;
    double *u = calloc(d->n_points * dn + 1, sizeof *u);
    d->values = calloc(d->n_points * dn + 1, sizeof *d->values);
    if (!u || !d->values) {
        free(u);
        return NSM_ERR_NOMEM;
    }
    int bad;
    if (kind == NSM_SWEEP_SOBOL) {
        bad = nsm_design_sobol(n, dn, u);
    } else {
        gsl_rng *r = gsl_rng_alloc(nsm_rng_philox4x32);
        if (r)
            nsm_rng_set_stream(r, seed, 0, nsm_stream_id("design", "lhs"));
        bad = !r || nsm_design_lhs(r, n, dn, u);
        if (r)
            gsl_rng_free(r);
    }
    for (size_t p = 0; !bad && p < d->n_points; p++)
        for (size_t i = 0; i < dn; i++) {
            nsm_dist ds = dist_of(&m->uncertain[d->source[i]]);
            d->values[p * dn + i] = nsm_dist_quantile(&ds, u[p * dn + i]);
        }
    free(u);
    if (bad)
        return nsm_diag_error(diag, NSM_ERR_USAGE, kind == NSM_SWEEP_SOBOL
                                  ? "--sobol takes at most %d uncertain numbers and fewer than "
                                    "2^30 base points"
                                  : "--lhs: out of memory (%d)", NSM_DESIGN_SOBOL_MAX_DIM);
    return NSM_OK;
}

nsm_status nsm_sweep_generate(const nsm_model *m, nsm_sweep_kind kind, size_t n, uint64_t seed,
                              const char *only, nsm_sweep_design *d, nsm_diag *diag)
{
    memset(d, 0, sizeof *d);
    d->kind = kind;
    if (m->n_uncertain == 0)
        return nsm_diag_error(diag, NSM_ERR_USAGE, "the scenario has no numbers written as "
                              "distributions, so there is nothing for --lhs, --sobol or --oat to "
                              "vary: write a judgment's range as e.g. pert(0.1,0.2,0.4) (see "
                              "scenarios/README.md), or give --design or --grid");
    nsm_status st = check_patterns(m, only, diag);
    if (st == NSM_OK)
        st = copy_uncertain(m, only, d);
    if (st == NSM_OK)
        st = kind == NSM_SWEEP_OAT ? oat_points(m, d) : unit_points(m, d, kind, n, seed, diag);
    if (st == NSM_ERR_NOMEM && !diag->error)
        nsm_diag_error(diag, st, "out of memory generating the design");
    if (st != NSM_OK)
        nsm_sweep_design_release(d);
    return st;
}

char *nsm_sweep_design_text(const nsm_sweep_design *d)
{
    size_t cap = 4096, len = 0;
    char *s = malloc(cap);
    for (size_t p = 0; s && p <= d->n_points; p++) {
        for (int k = -1; k <= d->n_params; k++) {
            char cell[256] = "";
            if (p == 0)
                snprintf(cell, sizeof cell, "%s", k < 0 ? "point" : k < d->n_params ? d->names[k]
                                                                                     : "levers");
            else if (k < 0)
                snprintf(cell, sizeof cell, "%zu", p);
            else if (k < d->n_params)
                snprintf(cell, sizeof cell, "%.17g", d->values[(p - 1) * (size_t)d->n_params + (size_t)k]);
            else if (d->has_levers)
                snprintf(cell, sizeof cell, "%s", d->levers[p - 1]);
            if (len + strlen(cell) + 3 >= cap) {
                char *t = realloc(s, cap *= 2);
                if (!t) {
                    free(s);
                    return NULL;
                }
                s = t;
            }
            len += (size_t)snprintf(s + len, cap - len, "%s%s", k < 0 ? "" : ",", cell);
        }
        s[len++] = '\n';
        s[len] = '\0';
    }
    return s;
}
