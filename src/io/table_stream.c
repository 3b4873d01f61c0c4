/*
** table_stream.c: a table read a row at a time from its file (table.h), for a table with a row
** for every point of a sweep, which must not be held whole.
**
** It checks what nsm_table_parse checks, in the same order and with the same messages (the
** helpers of table_csv.h are the ones table.c and table_csv.c use), but in passes over the file
** that each hold one row: the text (UTF-8, no NUL, the separator of the first line with text),
** the CSV syntax, the header and the width of every row; then the caller reads the rows as often
** as it likes. A message points into the window of lines the table keeps: those of the current
** row, and the first line of the header (nsm_table_line). Every pass hashes the bytes it reads
** and compares them, at the end of the file, with those the first pass read: a file changed while
** it is read is an error, never a mix of two files. The CSV is parsed by table_csv.c's feeder
** (nsmi_feed), as a table read whole is: one parser, fed a byte at a time by both.
*/
#include <errno.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "io/table_csv.h"

struct nsm_table_stream {
    nsm_table t;              /* what messages read: path, schema, header, the window of lines */
    int cap_lines;
    int *col_of;              /* schema column k -> its cell in the rows as written */
    int width;                /* the header's cells up to its last non-empty one */
    FILE *f;
    unsigned char buf[65536];
    size_t have, at;          /* bytes in buf; the next one */
    EVP_MD_CTX *sha;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len;  /* 0 until the first pass has read the whole file */
    /* the line being read (its bytes so far), its number, and whether the last byte was a CR */
    char *line;
    size_t len, cap;
    int line_no, after_cr, at_end;
    int nomem;                /* of the lines and the hash */
    nsmi_feeder csv;          /* the CSV, as table_csv.c feeds it; its row: the row read, cells
                              ** as written */
    nsm_row out;              /* the same cells in schema order (borrowed from csv.row) */
};

/* ---- bytes, hashed as they are read ---- */

/* The byte k places after the next one, or -1 past the end of the file. */
static int peek(nsm_table_stream *s, size_t k)
{
    while (s->at + k >= s->have && !feof(s->f) && !ferror(s->f)) {
        memmove(s->buf, s->buf + s->at, s->have - s->at);
        s->have -= s->at;
        s->at = 0;
        size_t n = fread(s->buf + s->have, 1, sizeof s->buf - s->have, s->f);
        if (n && !EVP_DigestUpdate(s->sha, s->buf + s->have, n))
            s->nomem = 1;
        s->have += n;
    }
    return s->at + k < s->have ? s->buf[s->at + k] : -1;
}

/* ---- lines ---- */

static void clear_window(nsm_table_stream *s)
{
    for (int i = 0; i < s->t.n_lines; i++)
        free(s->t.lines[i]);
    s->t.lines_from += s->t.n_lines;
    s->t.n_lines = 0;
}

/* The line being read is complete: into the window (cut at a NUL, as table_csv.c cuts it). */
static void end_line(nsm_table_stream *s)
{
    if (s->t.n_lines == s->cap_lines) {
        int cap = s->cap_lines ? 2 * s->cap_lines : 8;
        char **p = realloc(s->t.lines, (size_t)cap * sizeof *p);
        if (!p) {
            s->nomem = 1;
            return;
        }
        s->t.lines = p;
        s->cap_lines = cap;
    }
    char *text = strndup(s->line ? s->line : "", s->len);
    if (!text)
        s->nomem = 1;
    else
        s->t.lines[s->t.n_lines++] = text;
    s->len = 0;
    s->line_no++;
}

/* Byte b, just read, into the line being read (line ends as table_csv.c splits lines: CR, LF,
** or CRLF). */
static void track(nsm_table_stream *s, unsigned char b)
{
    if (b == '\n' && s->after_cr) {
        s->after_cr = 0;
        return;
    }
    s->after_cr = b == '\r';
    if (b == '\r' || b == '\n') {
        end_line(s);
        return;
    }
    if (s->len + 1 >= s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 256;
        char *p = realloc(s->line, cap);
        if (!p) {
            s->nomem = 1;
            return;
        }
        s->line = p;
        s->cap = cap;
    }
    s->line[s->len++] = (char)b;
}

/* Read the rest of the line being read into the window, for a message that shows it. */
static void finish_line(nsm_table_stream *s)
{
    int line = s->line_no, c;
    while (s->line_no == line && (c = peek(s, 0)) >= 0) {
        s->at++;
        track(s, (unsigned char)c);
    }
    if (s->line_no == line)
        end_line(s);
}

/* ---- passes ---- */

static nsm_status read_error(nsm_table_stream *s, nsm_diag *d)
{
    return nsm_diag_error(d, NSM_ERR_IO, "%s: error: cannot read: %s", s->t.path,
                          strerror(errno));
}

/* From the first byte again (after a byte-order mark). */
static nsm_status begin_pass(nsm_table_stream *s, nsm_diag *d)
{
    nsmi_feeder_free(&s->csv);
    clear_window(s);
    s->t.lines_from = 0;
    s->have = s->at = s->len = 0;
    s->line_no = 1;
    s->after_cr = s->at_end = s->nomem = 0;
    int ready = nsmi_feeder_init(&s->csv) == 0;
    errno = 0;
    if (fseek(s->f, 0, SEEK_SET) != 0)
        return read_error(s, d);
    clearerr(s->f);
    if (!ready || !EVP_DigestInit_ex(s->sha, EVP_sha256(), NULL))
        return NSM_ERR_NOMEM;
    if (peek(s, 2) == 0xBF && s->buf[0] == 0xEF && s->buf[1] == 0xBB)
        s->at = 3;
    return NSM_OK;
}

/* The end of the file: the bytes must be those the first pass read. */
static nsm_status end_pass(nsm_table_stream *s, nsm_diag *d)
{
    if (ferror(s->f))
        return read_error(s, d);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (!EVP_DigestFinal_ex(s->sha, md, &n))
        return NSM_ERR_NOMEM;
    if (!s->digest_len) {
        memcpy(s->digest, md, n);
        s->digest_len = n;
    } else if (n != s->digest_len || memcmp(md, s->digest, n) != 0) {
        return nsm_diag_error(d, NSM_ERR_IO, "%s: error: the file changed while it was read: "
                              "run again once nothing writes to it", s->t.path);
    }
    return NSM_OK;
}

/* The line just completed, when it is the first with text (the header, as the reader skips the
** others): a copy into *first, its number into *at. The window is then emptied: the text pass
** keeps no line. */
static void note_first(nsm_table_stream *s, char **first, int *at)
{
    const char *text = s->t.n_lines ? s->t.lines[s->t.n_lines - 1] : NULL;
    if (!*first && text && text[strspn(text, " \t")]) {
        *at = s->line_no - 1;
        if (!(*first = strdup(text)))
            s->nomem = 1;
    }
    clear_window(s);
}

/* The first pass: the text, as table_csv.c checks it, then the separator of the first line with
** text. */
static nsm_status text_pass(nsm_table_stream *s, nsm_diag *d)
{
    nsm_status st = begin_pass(s, d);
    char *first = NULL;
    int first_at = 0;
    for (int c; st == NSM_OK && (c = peek(s, 0)) >= 0;) {
        unsigned char q[4];
        size_t n = 0, len;
        for (int x; n < 4 && (x = peek(s, n)) >= 0; n++)
            q[n] = (unsigned char)x;
        if (!c || !(len = nsmi_utf8_length(q, n))) {
            nsmi_position at = s->csv.pos;
            finish_line(s);
            free(first);
            return s->nomem ? NSM_ERR_NOMEM
                            : nsmi_text_error(&s->t, at.line, at.column, (unsigned char)c, d);
        }
        for (size_t k = 0; k < len; k++) {
            unsigned char b = s->buf[s->at++];
            int line = s->line_no;
            track(s, b);
            nsmi_position_advance(&s->csv.pos, b); /* the text pass feeds no CSV */
            if (s->line_no != line)
                note_first(s, &first, &first_at);
        }
        st = s->nomem ? NSM_ERR_NOMEM : NSM_OK;
    }
    if (st == NSM_OK) { /* the last line, which no line end closes */
        end_line(s);
        note_first(s, &first, &first_at);
        st = s->nomem ? NSM_ERR_NOMEM : end_pass(s, d);
    }
    if (st == NSM_OK && first)
        st = nsmi_separator_check(&s->t, first_at, first, d);
    free(first);
    return st;
}

/* ---- rows, as table_csv.c feeds libcsv ---- */

/* At the end of the file: its last line, and the row it ends. */
static nsm_status at_end(nsm_table_stream *s, nsm_diag *d)
{
    s->at_end = 1;
    end_line(s);
    nsm_status st = nsmi_feed_end(&s->csv, &s->t, d);
    if (st == NSM_OK && s->nomem)
        st = NSM_ERR_NOMEM;
    return st == NSM_OK ? end_pass(s, d) : st;
}

/* Read on to the end of the next row that is not all empty: *got 1 (s->csv.row holds it, its
** lines in the window), or 0 at the end of the file. */
static nsm_status next_row(nsm_table_stream *s, int *got, nsm_diag *d)
{
    *got = 0;
    if (s->csv.row_done)
        nsmi_feeder_drop(&s->csv);
    if (s->at_end)
        return NSM_OK;
    for (int c; (c = peek(s, 0)) >= 0;) {
        unsigned char b = (unsigned char)c;
        s->at++;
        if (!s->csv.row_started && !s->csv.in_field) /* between rows: no message needs */
            clear_window(s);                          /* their lines */
        if (nsmi_feed(&s->csv, b) != 0) {
            int line = s->line_no;
            track(s, b);
            if (s->line_no == line) /* the message shows the line it is in, whole */
                finish_line(s);
            return s->nomem ? NSM_ERR_NOMEM : nsmi_feeder_error(&s->csv, &s->t, d);
        }
        track(s, b);
        if (s->nomem)
            return NSM_ERR_NOMEM;
        if (s->csv.row_done) {
            *got = 1;
            return NSM_OK;
        }
    }
    nsm_status st = at_end(s, d);
    *got = st == NSM_OK && s->csv.row_done;
    return st;
}

/* The second pass: the CSV of every row; the third: the header, then every row's width (with a
** warning for each wider than the header, as table.c gives). *rows: the data rows. */
static nsm_status syntax_pass(nsm_table_stream *s, int *rows, nsm_diag *d)
{
    nsm_status st = begin_pass(s, d);
    int got = 1;
    *rows = 0;
    while (st == NSM_OK && got && (st = next_row(s, &got, d)) == NSM_OK)
        *rows += got;
    return st;
}

static nsm_status shape_pass(nsm_table_stream *s, nsm_diag *d)
{
    nsm_status st = begin_pass(s, d);
    int got = 0;
    if (st == NSM_OK)
        st = next_row(s, &got, d);
    if (st == NSM_OK && got) {
        st = nsmi_table_bind_header(&s->t, &s->csv.row, s->col_of, d);
        s->width = nsmi_row_width(&s->csv.row);
        s->t.header_cells = s->csv.row.n_cells;
        s->t.header_line = s->csv.row.line;
        const char *text = nsm_table_line(&s->t, s->csv.row.line);
        if (st == NSM_OK && !(s->t.header_text = strdup(text ? text : "")))
            st = NSM_ERR_NOMEM;
    }
    s->t.n_rows = 0;
    while (st == NSM_OK && got && (st = next_row(s, &got, d)) == NSM_OK && got) {
        s->t.n_wide = 0; /* only the current row's: messages are about it */
        st = nsmi_table_check_width(&s->t, &s->csv.row, s->width, d);
        s->t.n_rows++;
    }
    s->t.n_wide = 0;
    return st;
}

/* ---- the interface ---- */

nsm_status nsm_table_stream_open(nsm_table_stream **out, const char *path,
                                 const nsm_schema *schema, nsm_diag *d)
{
    nsm_table_stream *s = calloc(1, sizeof *s);
    *out = NULL;
    if (!s || nsmi_feeder_init(&s->csv) != 0) {
        free(s);
        return NSM_ERR_NOMEM;
    }
    s->t.schema = schema;
    s->t.present = 1;
    s->t.path = strdup(path);
    s->sha = EVP_MD_CTX_new();
    s->col_of = calloc((size_t)schema->n_columns + 1, sizeof *s->col_of);
    s->out.cells = calloc((size_t)schema->n_columns + 1, sizeof *s->out.cells);
    nsm_status st = s->t.path && s->sha && s->col_of && s->out.cells ? NSM_OK : NSM_ERR_NOMEM;
    errno = 0;
    if (st == NSM_OK && !(s->f = fopen(path, "rb")))
        st = nsm_diag_error(d, NSM_ERR_IO, "%s: error: cannot open: %s", path, strerror(errno));
    int rows = 0;
    if (st == NSM_OK)
        st = text_pass(s, d);
    if (st == NSM_OK)
        st = syntax_pass(s, &rows, d);
    if (st == NSM_OK && rows == 0) {
        char *header = nsm_schema_header(schema);
        st = !header ? NSM_ERR_NOMEM : header[0]
            ? nsm_diag_at(d, path, 1, 1, NULL, "file is empty (a table starts with its header "
                          "row: %s)", header)
            : nsm_diag_at(d, path, 1, 1, NULL, "file is empty (a table starts with its header "
                          "row)");
        free(header);
    }
    if (st == NSM_OK)
        st = shape_pass(s, d);
    if (st == NSM_OK)
        *out = s;
    else
        nsm_table_stream_close(s);
    return st;
}

const nsm_table *nsm_table_stream_table(const nsm_table_stream *s)
{
    return &s->t;
}

nsm_status nsm_table_stream_rewind(nsm_table_stream *s, nsm_diag *d)
{
    int got = 0;
    nsm_status st = begin_pass(s, d);
    if (st == NSM_OK)
        st = next_row(s, &got, d); /* the header */
    return st;
}

nsm_status nsm_table_stream_next(nsm_table_stream *s, const nsm_row **row, nsm_diag *d)
{
    int got = 0;
    *row = NULL;
    nsm_status st = next_row(s, &got, d);
    if (st != NSM_OK || !got)
        return st;
    const nsm_row *r = &s->csv.row;
    s->t.n_wide = 0;
    if (r->n_cells > s->t.header_cells) { /* as nsmi_table_check_width notes it */
        nsm_wide_row *w = realloc(s->t.wide, sizeof *w);
        if (!w)
            return NSM_ERR_NOMEM;
        s->t.wide = w;
        *w = (nsm_wide_row){r->line, r->cells[r->n_cells - 1].line, r->n_cells};
        s->t.n_wide = 1;
    }
    for (int k = 0; k < s->t.schema->n_columns; k++)
        s->out.cells[k] = r->cells[s->col_of[k]];
    s->out.line = r->line;
    s->out.n_cells = s->t.schema->n_columns;
    *row = &s->out;
    return NSM_OK;
}

void nsm_table_stream_close(nsm_table_stream *s)
{
    if (!s)
        return;
    if (s->f)
        fclose(s->f);
    nsmi_feeder_free(&s->csv);
    clear_window(s);
    free(s->t.lines);
    free(s->t.path);
    free(s->t.wide);
    free(s->t.header_text);
    EVP_MD_CTX_free(s->sha);
    free(s->col_of);
    free(s->out.cells);
    free(s->line);
    free(s);
}
