/*
** csvin.c: see csvin.h. libcsv parses a block at a time; each field is appended to one growing
** buffer of the current row, and the row is handed over when it ends, so memory holds one row.
*/
#include "neasim/csvin.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    nsm_csv_row_fn fn;
    void *ctx;
    char *text;          /* the row's fields, each NUL-terminated, one after the other */
    size_t used, cap;
    size_t *start;       /* offset of each field in text */
    const char **fields; /* pointers into text, made when the row ends */
    int n, cap_fields;
    int64_t row;
    int nomem, stop;
} reader;

static int grow(reader *r, size_t extra)
{
    if (r->used + extra <= r->cap && r->n < r->cap_fields)
        return 0;
    size_t cap = r->cap ? r->cap : 256;
    while (cap < r->used + extra)
        cap *= 2;
    char *t = realloc(r->text, cap);
    if (t)
        r->text = t, r->cap = cap;
    if (t && r->n == r->cap_fields) {
        int fc = r->cap_fields ? 2 * r->cap_fields : 16;
        size_t *s = realloc(r->start, (size_t)fc * sizeof *s);
        const char **f = s ? realloc(r->fields, (size_t)fc * sizeof *f) : NULL;
        if (s)
            r->start = s;
        if (f)
            r->fields = f, r->cap_fields = fc;
        return f ? 0 : -1;
    }
    return t ? 0 : -1;
}

static void on_field(void *s, size_t len, void *data)
{
    reader *r = data;
    if (r->nomem || r->stop)
        return;
    if (grow(r, len + 1)) {
        r->nomem = 1;
        return;
    }
    r->start[r->n++] = r->used;
    if (len)
        memcpy(r->text + r->used, s, len);
    r->text[r->used + len] = '\0';
    r->used += len + 1;
}

static void on_row(int c, void *data)
{
    (void)c;
    reader *r = data;
    if (!r->nomem && !r->stop) {
        for (int i = 0; i < r->n; i++)
            r->fields[i] = r->text + r->start[i];
        r->stop = r->fn(r->ctx, r->row++, r->n, r->fields) != 0;
    }
    r->n = 0;
    r->used = 0;
}

static nsm_status parse(FILE *f, const char *path, reader *r, struct csv_parser *p,
                        nsm_diag *diag)
{
    char buf[65536];
    int first = 1;
    for (size_t n; !r->stop && !r->nomem && (n = fread(buf, 1, sizeof buf, f)) > 0; first = 0) {
        size_t skip = first && n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        if (csv_parse(p, buf + skip, n - skip, on_field, on_row, r) != n - skip && !r->nomem)
            return nsm_diag_error(diag, NSM_ERR_INPUT, "%s: %s", path, csv_strerror(csv_error(p)));
    }
    if (ferror(f))
        return nsm_diag_error(diag, NSM_ERR_IO, "cannot read %s: %s", path, strerror(errno));
    if (!r->stop && !r->nomem && csv_fini(p, on_field, on_row, r) != 0)
        return nsm_diag_error(diag, NSM_ERR_INPUT, "%s: %s", path, csv_strerror(csv_error(p)));
    if (r->nomem)
        return nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory reading %s", path);
    return r->stop ? NSM_STOPPED : NSM_OK;
}

nsm_status nsm_csv_read_rows(const char *path, nsm_csv_row_fn fn, void *ctx, nsm_diag *diag)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return nsm_diag_error(diag, NSM_ERR_IO, "cannot read %s: %s", path, strerror(errno));
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        fclose(f);
        return nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory reading %s", path);
    }
    reader r = {fn, ctx, NULL, 0, 0, NULL, NULL, 0, 0, 0, 0, 0};
    nsm_status st = parse(f, path, &r, &p, diag);
    csv_free(&p);
    fclose(f);
    free(r.text);
    free(r.start);
    free(r.fields);
    return st;
}
