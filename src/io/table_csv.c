/*
** table_csv.c: CSV text -> rows of cells that know where they start.
**
** libcsv parses RFC 4180 but reports no positions. So the bytes are fed to csv_parse one at a
** time while we track the line and column of each: a field starts at the first byte after a
** delimiter or a line end (spaces before it skipped, as libcsv skips them), and a callback
** during a byte means that the field or row ended at that byte. The feeder that does it
** (nsmi_feeder, table_csv.h) also parses a table read a row at a time (table_stream.c).
*/
#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "io/table_csv.h"

/* The scanner keeps every line it read (for the caret under a bad cell); table.c asks for them. */
const char *nsm_table_line(const nsm_table *t, int line)
{
    if (t->header_text && line == t->header_line)
        return t->header_text;
    line -= t->lines_from;
    return line >= 1 && line <= t->n_lines ? t->lines[line - 1] : NULL;
}

enum { CSV_OPTIONS = CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL };

void nsmi_position_advance(nsmi_position *p, unsigned char b)
{
    if (b == '\n' && p->after_cr) {
        p->after_cr = 0;
        return;
    }
    p->after_cr = b == '\r';
    if (b == '\n' || b == '\r') {
        p->line++;
        p->column = 1;
    } else if ((b & 0xC0) != 0x80) {
        p->column++;
    }
}

size_t nsmi_bom_length(const unsigned char *s, size_t n)
{
    return n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF ? 3 : 0;
}

/* ---- lines, for messages ---- */

static int is_break(const char *s, size_t i, size_t n)
{
    if (i >= n)
        return 0;
    return s[i] == '\r' || (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'));
}

static nsm_status split_lines(nsm_table *t, size_t begin)
{
    const char *s = (const char *)t->bytes;
    int count = 1;
    for (size_t i = begin; i < t->size; i++)
        count += is_break(s, i, t->size);
    t->lines = calloc((size_t)count, sizeof *t->lines);
    if (!t->lines)
        return NSM_ERR_NOMEM;
    t->n_lines = count;
    size_t from = begin;
    for (size_t i = begin, k = 0; i <= t->size; i++) {
        if (i < t->size && !is_break(s, i, t->size)) {
            if (s[i] == '\n') /* the LF of a CRLF */
                from = i + 1;
            continue;
        }
        t->lines[k] = strndup(s + from, i - from);
        if (!t->lines[k++])
            return NSM_ERR_NOMEM;
        from = i + 1;
    }
    return NSM_OK;
}

/* ---- text check ---- */

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0 (RFC 3629: no overlong forms, no
** surrogates, nothing above U+10FFFF). */
size_t nsmi_utf8_length(const unsigned char *s, size_t n)
{
    unsigned char b = s[0], lo = 0x80, hi = 0xBF;
    size_t len;
    if (b < 0x80)
        return 1;
    if (b >= 0xC2 && b <= 0xDF) {
        len = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
        len = 3;
        lo = b == 0xE0 ? 0xA0 : lo;
        hi = b == 0xED ? 0x9F : hi;
    } else if (b >= 0xF0 && b <= 0xF4) {
        len = 4;
        lo = b == 0xF0 ? 0x90 : lo;
        hi = b == 0xF4 ? 0x8F : hi;
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return len;
}

static nsm_status check_text(const nsm_table *t, size_t begin, nsm_diag *d)
{
    const unsigned char *s = t->bytes;
    size_t i = begin, len;
    while (i < t->size && s[i] && (len = nsmi_utf8_length(s + i, t->size - i)) > 0)
        i += len;
    if (i == t->size)
        return NSM_OK;
    nsmi_position p = {1, 1, 0};
    for (size_t k = begin; k < i; k++)
        nsmi_position_advance(&p, s[k]);
    return nsmi_text_error(t, p.line, p.column, s[i], d);
}

nsm_status nsmi_text_error(const nsm_table *t, int line, int column, unsigned char byte,
                           nsm_diag *d)
{
    if (!byte)
        return nsm_diag_at(d, t->path, line, column, NULL,
                           "not a text file: it contains a NUL byte (save the table as CSV UTF-8)");
    return nsm_diag_at(d, t->path, line, column, nsm_table_line(t, line),
                       "invalid UTF-8 (byte 0x%02X): save the table as CSV UTF-8", byte);
}

/* ---- CSV ---- */

static void drop_row(nsm_row *r)
{
    for (int i = 0; i < r->n_cells; i++)
        free(r->cells[i].text);
    free(r->cells);
    *r = (nsm_row){0, 0, NULL};
}

int nsmi_feeder_init(nsmi_feeder *f)
{
    *f = (nsmi_feeder){.pos = {1, 1, 0}};
    return csv_init(&f->p, CSV_OPTIONS) == 0 ? 0 : -1;
}

void nsmi_feeder_free(nsmi_feeder *f)
{
    drop_row(&f->row);
    csv_free(&f->p);
}

nsm_row nsmi_feeder_take(nsmi_feeder *f)
{
    nsm_row r = f->row;
    f->row = (nsm_row){0, 0, NULL};
    f->cap_cells = 0;
    f->row_done = 0;
    return r;
}

void nsmi_feeder_drop(nsmi_feeder *f)
{
    nsm_row r = nsmi_feeder_take(f);
    drop_row(&r);
}

static void on_field(void *text, size_t len, void *data)
{
    nsmi_feeder *f = data;
    f->ended = 1;
    if (f->nomem)
        return;
    if (f->row.n_cells == f->cap_cells) {
        int cap = f->cap_cells ? 2 * f->cap_cells : 8;
        nsm_cell *p = realloc(f->row.cells, (size_t)cap * sizeof *p);
        if (!p) {
            f->nomem = 1;
            return;
        }
        f->row.cells = p;
        f->cap_cells = cap;
    }
    nsm_cell c = f->start;
    c.text = malloc(len + 1);
    if (!c.text) {
        f->nomem = 1;
        return;
    }
    if (len)
        memcpy(c.text, text, len);
    c.text[len] = '\0';
    f->row.cells[f->row.n_cells++] = c;
}

/* A row that is all empty is left out, as a spreadsheet's blank line. */
static void on_row(int c, void *data)
{
    (void)c;
    nsmi_feeder *f = data;
    f->ended = 1;
    f->row_started = 0;
    int empty = 1;
    for (int i = 0; i < f->row.n_cells; i++)
        empty &= !f->row.cells[i].text[0];
    if (f->nomem || empty) {
        nsmi_feeder_drop(f);
        return;
    }
    f->row.line = f->row.cells[0].line;
    f->row_done = 1;
}

/* Spaces before a field, and line ends between rows, belong to no field. */
static void maybe_begin_field(nsmi_feeder *f, unsigned char b)
{
    if (f->in_field || b == ' ' || b == '\t')
        return;
    if (!f->row_started && (b == '\r' || b == '\n'))
        return;
    f->start = (nsm_cell){NULL, f->pos.line, f->pos.column, b == '"', NULL};
    f->in_field = 1;
    f->row_started = 1;
}

int nsmi_feed(nsmi_feeder *f, unsigned char b)
{
    maybe_begin_field(f, b);
    f->ended = 0;
    if (csv_parse(&f->p, &b, 1, on_field, on_row, f) != 1 || f->nomem)
        return -1;
    if (f->ended)
        f->in_field = 0;
    nsmi_position_advance(&f->pos, b);
    return 0;
}

nsm_status nsmi_feed_end(nsmi_feeder *f, const nsm_table *t, nsm_diag *d)
{
    if (!f->in_field) /* "a," at the end of the file: an empty last field */
        f->start = (nsm_cell){NULL, f->pos.line, f->pos.column, 0, NULL};
    if (csv_fini(&f->p, on_field, on_row, f) != 0)
        return nsmi_csv_unterminated(t, &f->start, d);
    return f->nomem ? NSM_ERR_NOMEM : NSM_OK;
}

nsm_status nsmi_feeder_error(nsmi_feeder *f, const nsm_table *t, nsm_diag *d)
{
    if (f->nomem)
        return NSM_ERR_NOMEM;
    return nsmi_csv_error(t, &f->p, f->pos, &f->start, d);
}

nsm_status nsmi_csv_error(const nsm_table *t, struct csv_parser *p, nsmi_position at,
                          const nsm_cell *start, nsm_diag *d)
{
    if (csv_error(p) == CSV_ENOMEM)
        return NSM_ERR_NOMEM;
    if (csv_error(p) == CSV_ETOOBIG)
        return nsm_diag_at(d, t->path, start->line, start->column,
                           nsm_table_line(t, start->line), "field too large");
    const char *text = nsm_table_line(t, at.line);
    if (start->quoted)
        return nsm_diag_at(d, t->path, at.line, at.column, text,
                           "text after the closing quote of a quoted field "
                           "(a quote inside quotes is written twice: \"say \"\"hi\"\"\")");
    return nsm_diag_at(d, t->path, at.line, at.column, text,
                       "quote inside an unquoted field (quote the whole field and write the "
                       "quote twice: \"say \"\"hi\"\"\")");
}

nsm_status nsmi_csv_unterminated(const nsm_table *t, const nsm_cell *start, nsm_diag *d)
{
    return nsm_diag_at(d, t->path, start->line, start->column, nsm_table_line(t, start->line),
                       "unterminated quoted field: this quote is never closed");
}

/* A done row into t->rows; -1 when out of memory. */
static int push_row(nsm_table *t, int *cap_rows, nsmi_feeder *f)
{
    if (t->n_rows == *cap_rows) {
        int cap = *cap_rows ? 2 * *cap_rows : 16;
        nsm_row *p = realloc(t->rows, (size_t)cap * sizeof *p);
        if (!p)
            return -1;
        t->rows = p;
        *cap_rows = cap;
    }
    t->rows[t->n_rows++] = nsmi_feeder_take(f);
    return 0;
}

static nsm_status parse_csv(nsm_table *t, size_t begin, nsm_diag *d)
{
    nsmi_feeder f;
    if (nsmi_feeder_init(&f) != 0) {
        nsmi_feeder_free(&f);
        return NSM_ERR_NOMEM;
    }
    int cap_rows = 0;
    nsm_status s = NSM_OK;
    for (size_t i = begin; s == NSM_OK && i < t->size; i++) {
        if (nsmi_feed(&f, t->bytes[i]) != 0)
            s = nsmi_feeder_error(&f, t, d);
        else if (f.row_done && push_row(t, &cap_rows, &f) != 0)
            s = NSM_ERR_NOMEM;
    }
    if (s == NSM_OK)
        s = nsmi_feed_end(&f, t, d);
    if (s == NSM_OK && f.row_done && push_row(t, &cap_rows, &f) != 0)
        s = NSM_ERR_NOMEM;
    nsmi_feeder_free(&f);
    return s;
}

/* ---- separators ---- */

/* A spreadsheet set to a language that writes decimal commas (German, French, ...) saves "CSV"
** with semicolons between fields, and often "0,35" for a number; "Text (tab delimited)" saves
** tabs. Read as commas, such a file fails later with a confusing message (a quote inside an
** unquoted field, an unknown column 'factor<TAB>level...') or, worse, splits a decimal comma into
** two cells. So it is recognized from its header, whose names hold none of these characters:
** semicolons or tabs outside quotes and no comma. It is refused rather than read, because its
** numbers may carry decimal commas that cannot be told from separators. Returns the column (in
** characters) of the header's first such separator, or 0; *sep is that separator. */
static int separator_column(const char *s, char *sep)
{
    int quoted = 0, column = 1, first = 0, commas = 0;
    const char *start = s + strspn(s, " \t"), *end = s + strlen(s);
    while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
        end--; /* tabs around the header are blanks, not separators */
    for (; *s; s++) {
        if (*s == '"')
            quoted = !quoted;
        else if (!quoted && *s == ',')
            commas++;
        else if (!quoted && (*s == ';' || (*s == '\t' && s > start && s < end)) && !first) {
            first = column;
            *sep = *s;
        }
        column += (*s & 0xC0) != 0x80;
    }
    return commas ? 0 : first;
}

static nsm_status check_separator(const nsm_table *t, nsm_diag *d)
{
    for (int l = 0; l < t->n_lines; l++) /* the header is the first line with text (as the */
        if (t->lines[l][strspn(t->lines[l], " \t")]) /* reader skips the others) */
            return nsmi_separator_check(t, l + 1, t->lines[l], d);
    return NSM_OK;
}

nsm_status nsmi_separator_check(const nsm_table *t, int line, const char *text, nsm_diag *d)
{
    char sep = 0;
    int column = separator_column(text, &sep);
    if (!column)
        return NSM_OK;
    if (sep == '\t')
        return nsm_diag_at(d, t->path, line, column, text,
                           "this file is separated by tabs (as a spreadsheet saves 'Text (tab "
                           "delimited)'); neasim reads ',' between fields: save it as CSV "
                           "(comma delimited), or replace each tab by ','");
    return nsm_diag_at(d, t->path, line, column, text,
                       "this file is separated by semicolons (as a spreadsheet in a language with "
                       "decimal commas saves CSV); neasim reads ',' between fields and '.' as the "
                       "decimal mark: save it as CSV with field delimiter ',' (LibreOffice: Save "
                       "As > Text CSV > Edit filter settings), or replace each ';' by ',' and "
                       "each decimal ',' by '.'");
}

nsm_status nsmi_table_scan(nsm_table *t, nsm_diag *d)
{
    size_t begin = nsmi_bom_length(t->bytes, t->size);
    nsm_status s = split_lines(t, begin);
    if (s == NSM_OK)
        s = check_text(t, begin, d);
    if (s == NSM_OK)
        s = check_separator(t, d);
    if (s == NSM_OK)
        s = parse_csv(t, begin, d);
    return s;
}
