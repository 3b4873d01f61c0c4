/*
** table.c: one scenario table: read the file, check its header against the schema, and put every
** row's cells in schema order. Errors point at a cell (the CSV layer is table_csv.c).
*/
#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/table_csv.h"
#include "neasim/outdir.h"

static char empty_text[1];
static const nsm_cell absent_cell = {empty_text, 0, 0, 0, NULL};

char *nsm_schema_header(const nsm_schema *schema)
{
    char *text = NULL;
    size_t len;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return NULL;
    for (int k = 0; k < schema->n_columns; k++)
        fprintf(f, "%s%s", k ? "," : "", schema->columns[k].name);
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

/* Characters (not bytes) in the first `n` bytes of s. */
static int count_chars(const char *s, size_t n)
{
    int c = 0;
    for (size_t i = 0; i < n && s[i]; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* The row of o wider than its header (nsm_wide_row) that holds `line`, or NULL. */
static const nsm_wide_row *wide_row_at(const nsm_table *o, int line)
{
    for (int i = 0; i < o->n_wide; i++)
        if (o->wide[i].first_line <= line && line <= o->wide[i].last_line)
            return &o->wide[i];
    return NULL;
}

nsm_status nsm_table_verror(const nsm_table *t, const nsm_cell *c, size_t offset, nsm_diag *d,
                            const char *fmt, va_list ap)
{
    const nsm_table *o = c->origin ? c->origin : t;
    int column = c->column;
    if (column > 0 && offset > 0)
        column += c->quoted + count_chars(c->text, offset);
    const nsm_wide_row *w = wide_row_at(o, c->line);
    if (!w)
        return nsm_diag_vat(d, o->path, c->line, column, nsm_table_line(o, c->line), fmt, ap);
    char *msg = NULL;
    if (vasprintf(&msg, fmt, ap) < 0)
        return nsm_diag_error(d, NSM_ERR_NOMEM, "out of memory");
    nsm_diag_at(d, o->path, c->line, column, nsm_table_line(o, c->line), "%s (this row has %d "
                "cells and the header %d: the empty cells at its end were ignored, but if a value "
                "before this cell holds a comma, put that value in quotes)", msg, w->n_cells,
                o->header_cells);
    free(msg);
    return NSM_ERR_INPUT;
}

nsm_status nsm_table_error(const nsm_table *t, const nsm_cell *c, size_t offset, nsm_diag *d,
                           const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    nsm_status st = nsm_table_verror(t, c, offset, d, fmt, ap);
    va_end(ap);
    return st;
}

void nsm_table_warn(const nsm_table *t, const nsm_cell *c, nsm_diag *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    nsm_diag_vwarn(d, (c->origin ? c->origin : t)->path, c->line, c->column, fmt, ap);
    va_end(ap);
}

static int schema_index(const nsm_schema *s, const char *name)
{
    for (int k = 0; k < s->n_columns; k++)
        if (strcmp(s->columns[k].name, name) == 0)
            return k;
    return -1;
}

const nsm_cell *nsm_table_cell(const nsm_table *t, int row, const char *column)
{
    int k = schema_index(t->schema, column);
    /* the caller's contract (table.h), never input: callers name schema columns in code, and the
    ** design reader names the columns it built its schema from */
    assert(k >= 0 && row >= 0 && row < t->n_rows);
    const nsm_cell *c = &t->rows[row].cells[k];
    return c->text ? c : &absent_cell;
}

/* ---- the header ---- */

/* Cells up to the last non-empty one (spreadsheets may leave empty cells after the table). */
int nsmi_row_width(const nsm_row *r)
{
    int n = r->n_cells;
    while (n > 1 && !r->cells[n - 1].text[0])
        n--;
    return n;
}

/* The schema's column names as one array of `stride`-byte strings, for nsm_suggest; NULL when
** out of memory. Tables may have any number of columns (a sweep design has one per parameter). */
static char *column_names(const nsm_schema *s, size_t *stride)
{
    size_t w = 1;
    for (int k = 0; k < s->n_columns; k++)
        if (strlen(s->columns[k].name) + 1 > w)
            w = strlen(s->columns[k].name) + 1;
    char *names = calloc((size_t)s->n_columns + 1, w);
    for (int k = 0; names && k < s->n_columns; k++)
        memcpy(names + (size_t)k * w, s->columns[k].name, strlen(s->columns[k].name) + 1);
    *stride = w;
    return names;
}

static nsm_status column_error(const nsm_table *t, const nsm_cell *c, nsm_diag *d,
                               const char *problem)
{
    const nsm_schema *s = t->schema;
    size_t stride = 0;
    char *names = problem ? NULL : column_names(s, &stride);
    char *header = nsm_schema_header(s);
    if (!header || (!problem && !names)) {
        free(names);
        free(header);
        return NSM_ERR_NOMEM;
    }
    const char *hint = problem ? NULL : nsm_suggest(c->text, names, (size_t)s->n_columns, stride);
    if (problem)
        nsm_table_error(t, c, 0, d, "%s (the columns of %s are %s)", problem, s->file, header);
    else if (hint)
        nsm_table_error(t, c, 0, d, "unknown column '%s'; did you mean '%s'? (the columns of %s "
                        "are %s)", c->text, hint, s->file, header);
    else
        nsm_table_error(t, c, 0, d, "unknown column '%s' (the columns of %s are %s)", c->text,
                        s->file, header);
    free(names);
    free(header);
    return NSM_ERR_INPUT;
}

static nsm_status missing_column(const nsm_table *t, const nsm_row *h, const char *name,
                                 nsm_diag *d)
{
    char *header = nsm_schema_header(t->schema);
    if (!header)
        return NSM_ERR_NOMEM;
    nsm_diag_at(d, t->path, h->line, 1, nsm_table_line(t, h->line),
                "missing column '%s' (the header should be %s)", name, header);
    free(header);
    return NSM_ERR_INPUT;
}

/* col_of[k]: the header position of schema column k, or -1 when the file lacks it. */
nsm_status nsmi_table_bind_header(const nsm_table *t, const nsm_row *h, int *col_of, nsm_diag *d)
{
    const nsm_schema *s = t->schema;
    for (int k = 0; k < s->n_columns; k++)
        col_of[k] = -1;
    for (int i = 0; i < nsmi_row_width(h); i++) {
        const nsm_cell *c = &h->cells[i];
        int k = schema_index(s, c->text);
        if (!c->text[0])
            return column_error(t, c, d, "empty column name");
        if (k < 0)
            return column_error(t, c, d, NULL);
        if (col_of[k] >= 0)
            return nsm_table_error(t, c, 0, d, "column '%s' appears twice (first at column %d): "
                                   "remove one of the two, or rename it to the column meant",
                                   c->text, h->cells[col_of[k]].column);
        col_of[k] = i;
    }
    for (int k = 0; k < s->n_columns; k++)
        if (col_of[k] < 0 && !s->columns[k].optional)
            return missing_column(t, h, s->columns[k].name, d);
    return NSM_OK;
}

/* ---- data rows ---- */

static int all_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

/* A row wider than its header because a number was written with a decimal comma, as a spreadsheet
** in many languages writes it ("0,3" read as the cells 0 and 3): the first two unquoted cells, both
** digits only (the first maybe after a minus), side by side. A hint for the message, which says
** "if", since two whole numbers may stand side by side too; "" when there are none. */
static const char *decimal_comma_hint(const nsm_row *r, char *buf, size_t n)
{
    for (int i = 0; i + 1 < r->n_cells; i++) {
        const nsm_cell *a = &r->cells[i], *b = &r->cells[i + 1];
        const char *whole = a->text[0] == '-' ? a->text + 1 : a->text;
        if (!a->quoted && !b->quoted && all_digits(whole) && all_digits(b->text)) {
            snprintf(buf, n, "; if %.24s,%.24s at column %d is one number with a decimal comma, "
                     "write %.24s.%.24s", a->text, b->text, a->column, a->text, b->text);
            return buf;
        }
    }
    return "";
}

nsm_status nsmi_table_check_width(nsm_table *t, const nsm_row *r, int width, nsm_diag *d)
{
    char hint[160];
    if (r->n_cells < width)
        return nsm_table_error(t, &r->cells[0], 0, d,
                               "this row has %d cell%s but the header has %d column%s: give "
                               "every column a cell, an empty one where there is no value "
                               "(nothing between two commas: a,,c)",
                               r->n_cells, r->n_cells == 1 ? "" : "s", width,
                               width == 1 ? "" : "s");
    for (int i = width; i < r->n_cells; i++)
        if (r->cells[i].text[0])
            return nsm_table_error(t, &r->cells[i], 0, d,
                                   "this row has %d cells but the header has %d column%s (a "
                                   "comma inside a value needs quotes; decimals use a point%s)",
                                   nsmi_row_width(r), width, width == 1 ? "" : "s",
                                   decimal_comma_hint(r, hint, sizeof hint));
    if (r->n_cells > t->header_cells) {
        nsm_wide_row *w = realloc(t->wide, (size_t)(t->n_wide + 1) * sizeof *w);
        if (!w)
            return NSM_ERR_NOMEM;
        t->wide = w;
        t->wide[t->n_wide++] = (nsm_wide_row){r->line, r->cells[r->n_cells - 1].line, r->n_cells};
        /* a spreadsheet pads the header as far as its rows, so this row was typed or cut: an
        ** unquoted comma gives no error when the cells it pushes right fit (a description cut
        ** in two, its end read as the source) */
        nsm_table_warn(t, &r->cells[width], d, "this row has %d cells and the header %d; the "
                       "empty cells at its end are ignored, but if a value of the row holds a "
                       "comma, put that value in quotes, or its cells are read one column to the "
                       "right of their names%s", r->n_cells, t->header_cells,
                       decimal_comma_hint(r, hint, sizeof hint));
    }
    return NSM_OK;
}

/* Reorder a row's cells into schema order; absent columns get a NULL text. */
static nsm_status reorder(nsm_row *r, const int *col_of, int n_columns)
{
    nsm_cell *cells = calloc((size_t)n_columns, sizeof *cells);
    if (!cells)
        return NSM_ERR_NOMEM;
    for (int k = 0; k < n_columns; k++) {
        if (col_of[k] < 0)
            continue;
        cells[k] = r->cells[col_of[k]];
        r->cells[col_of[k]].text = NULL;
    }
    for (int i = 0; i < r->n_cells; i++)
        free(r->cells[i].text);
    free(r->cells);
    r->cells = cells;
    r->n_cells = n_columns;
    return NSM_OK;
}

static void free_row(nsm_row *r)
{
    for (int i = 0; i < r->n_cells; i++)
        free(r->cells[i].text);
    free(r->cells);
}

/* Check the header and the width of every row, then drop the header and reorder the rest. */
static nsm_status shape(nsm_table *t, nsm_diag *d)
{
    int *col_of = malloc(((size_t)t->schema->n_columns + 1) * sizeof *col_of);
    if (!col_of)
        return NSM_ERR_NOMEM;
    nsm_row *h = &t->rows[0];
    nsm_status s = nsmi_table_bind_header(t, h, col_of, d);
    int width = nsmi_row_width(h);
    t->header_cells = h->n_cells;
    for (int i = 1; s == NSM_OK && i < t->n_rows; i++)
        s = nsmi_table_check_width(t, &t->rows[i], width, d);
    for (int i = 1; s == NSM_OK && i < t->n_rows; i++)
        s = reorder(&t->rows[i], col_of, t->schema->n_columns);
    free(col_of);
    if (s != NSM_OK)
        return s;
    t->header_line = h->line;
    free_row(h);
    memmove(t->rows, t->rows + 1, (size_t)(t->n_rows - 1) * sizeof *t->rows);
    t->n_rows--;
    return NSM_OK;
}

static nsm_status load(nsm_table *t, nsm_diag *d)
{
    t->present = 1;
    nsm_status s = nsmi_table_scan(t, d);
    if (s != NSM_OK)
        return s;
    if (t->n_rows == 0) {
        char *header = nsm_schema_header(t->schema);
        if (!header)
            return NSM_ERR_NOMEM;
        if (header[0]) /* a design's or an observed file's columns are its own */
            nsm_diag_at(d, t->path, 1, 1, NULL, "file is empty (a table starts with its header "
                        "row: %s)", header);
        else
            nsm_diag_at(d, t->path, 1, 1, NULL, "file is empty (a table starts with its header "
                        "row)");
        free(header);
        return NSM_ERR_INPUT;
    }
    return shape(t, d);
}

nsm_status nsm_table_parse(nsm_table *t, const char *path, const nsm_schema *schema,
                           const void *bytes, size_t size, nsm_diag *d)
{
    memset(t, 0, sizeof *t);
    t->schema = schema;
    t->path = strdup(path);
    t->bytes = malloc(size + 1);
    if (!t->path || !t->bytes)
        return NSM_ERR_NOMEM;
    if (size)
        memcpy(t->bytes, bytes, size);
    t->bytes[size] = 0;
    t->size = size;
    return load(t, d);
}

/* ---- files ---- */

/* The whole file into t->bytes, NUL-terminated. */
static nsm_status read_all(FILE *f, nsm_table *t)
{
    size_t cap = 0;
    for (;;) {
        if (cap - t->size < 4096 + 1) {
            size_t n = cap ? 2 * cap : 16384;
            unsigned char *p = realloc(t->bytes, n);
            if (!p)
                return NSM_ERR_NOMEM;
            t->bytes = p;
            cap = n;
        }
        size_t got = fread(t->bytes + t->size, 1, cap - t->size - 1, f);
        t->size += got;
        if (got == 0)
            break;
    }
    t->bytes[t->size] = 0;
    return ferror(f) ? NSM_ERR_IO : NSM_OK;
}

nsm_status nsm_table_read(nsm_table *t, const char *dir, const nsm_schema *schema, nsm_diag *d)
{
    memset(t, 0, sizeof *t);
    t->schema = schema;
    t->path = nsm_path_join(dir, schema->file);
    if (!t->path)
        return NSM_ERR_NOMEM;
    errno = 0;
    FILE *f = fopen(t->path, "rb");
    if (!f && errno == ENOENT)
        return NSM_OK;
    if (!f)
        return nsm_diag_error(d, NSM_ERR_IO, "%s: error: cannot open: %s", t->path,
                              strerror(errno));
    nsm_status s = read_all(f, t);
    int err = errno;
    fclose(f);
    if (s == NSM_ERR_IO)
        return nsm_diag_error(d, NSM_ERR_IO, "%s: error: cannot read: %s", t->path,
                              strerror(err));
    return s == NSM_OK ? load(t, d) : s;
}

void nsm_table_release(nsm_table *t)
{
    free(t->path);
    free(t->bytes);
    for (int i = 0; t->lines && i < t->n_lines; i++)
        free(t->lines[i]);
    free(t->lines);
    for (int i = 0; t->rows && i < t->n_rows; i++)
        free_row(&t->rows[i]);
    free(t->rows);
    free(t->wide);
    free(t->header_text);
    for (int i = 0; t->sources && i < t->n_sources; i++) {
        nsm_table_release(t->sources[i]);
        free(t->sources[i]);
    }
    free(t->sources);
    memset(t, 0, sizeof *t);
}
