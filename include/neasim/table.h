/*
** table.h: one CSV table of a scenario, with the position of every cell.
**
** A table is read against a schema (the columns it must or may have), so reading also checks
** the header: every required column present, no unknown or repeated column. Data rows keep their
** cells in schema order, so a caller fetches a cell by column name whatever the file's column
** order. Errors at a cell read `path:line:column: error: ...`, then the line and a caret.
**
** Accepted input (scenarios/README.md): UTF-8 with an optional byte-order mark, RFC 4180 quoting,
** LF or CRLF line ends. Spaces around unquoted fields are dropped. Rows whose cells are all empty
** are skipped; so are empty cells after the last column (spreadsheet leftovers).
*/
#ifndef NEASIM_TABLE_H
#define NEASIM_TABLE_H

#include <stddef.h>

#include "neasim/status.h"

typedef struct nsm_table nsm_table;

typedef struct {
    const char *name;
    int optional;               /* 1: the column may be absent; its cells then read as empty */
} nsm_column;

typedef struct {
    const char *file;           /* file name within the scenario folder, e.g. "factors.csv" */
    const char *what;           /* what the table holds, for "missing table" messages */
    int n_columns;
    const nsm_column *columns;  /* in the order the spec lists them */
} nsm_schema;

typedef struct {
    char *text;                 /* the field's value, NUL-terminated (owned by the table) */
    int line;                   /* 1-based line of the field's first character */
    int column;                 /* 1-based, in characters: the first character of the field, the
                                ** opening quote when quoted; 0 for a column the file lacks */
    int quoted;                 /* the field was written in quotes */
    const nsm_table *origin;    /* the table of the file the cell was read from, when it is not
                                ** the table that holds it (a scenario that extends another merges
                                ** rows of several files: scenario/inherit.c); NULL: this table.
                                ** Messages at the cell name that file and show its line. */
} nsm_cell;

/* A data row with more cells than the header as written, the extra ones all empty: ignored, as
** a spreadsheet leaves them, but an unquoted comma in a value makes such a row too, its cells one
** column right of their names, so a message at one of its cells says so. */
typedef struct {
    int first_line, last_line;  /* the lines it spans (a quoted value may hold a line break) */
    int n_cells;                /* as written */
} nsm_wide_row;

typedef struct {
    int line;                   /* line of the row's first cell */
    int n_cells;
    nsm_cell *cells;            /* after reading: schema->n_columns cells, in schema order */
} nsm_row;

struct nsm_table {
    const nsm_schema *schema;   /* borrowed */
    char *path;                 /* "dir/file", as shown in messages */
    int present;                /* 0: the file does not exist (nothing below is set) */
    unsigned char *bytes;       /* the file exactly as read, plus a NUL */
    size_t size;
    int n_lines;
    char **lines;               /* the text split into lines, without line ends, for messages */
    int lines_from;             /* lines[0] is line lines_from + 1: 0, but in a table read a row
                                ** at a time (below), which keeps the lines of its current row */
    char *header_text;          /* NULL, or the text of header_line (a table read a row at a
                                ** time) */
    int header_line;
    int header_cells;           /* the header's cells as written, empty ones at its end too */
    int n_wide;
    nsm_wide_row *wide;         /* rows wider than the header as written, in line order */
    int n_rows;
    nsm_row *rows;              /* data rows: no header, no all-empty rows */
    int n_sources;
    nsm_table **sources;        /* a merged table (scenario/inherit.c): the file tables its cells
                                ** point at (nsm_cell.origin), owned and released with it */
};

/* Read `dir`/schema->file into *t (which need not be initialised). A file that does not exist
** gives NSM_OK with t->present = 0: the caller decides whether the table is required. Otherwise
** returns NSM_ERR_INPUT (bad content), NSM_ERR_IO (unreadable, with strerror text) or
** NSM_ERR_NOMEM, with the message in d. Release *t with nsm_table_release() in every case. */
nsm_status nsm_table_read(nsm_table *t, const char *dir, const nsm_schema *schema, nsm_diag *d);

/* The same from bytes in memory (copied); `path` names the table in messages. */
nsm_status nsm_table_parse(nsm_table *t, const char *path, const nsm_schema *schema,
                           const void *bytes, size_t size, nsm_diag *d);

/* Release what a table owns (its sources too). Safe after a failed read, and twice. */
void nsm_table_release(nsm_table *t);

/* The cell of data row `row` (0-based) in `column`, which must be one of the schema's columns.
** Never NULL: a column the file lacks gives an empty cell. */
const nsm_cell *nsm_table_cell(const nsm_table *t, int row, const char *column);

/* The text of line `line` (from 1) without its line end, or NULL when there is no such line. */
const char *nsm_table_line(const nsm_table *t, int line);

/* Record an error at cell c, `offset` bytes into its text (0: the cell itself), with the line
** and a caret. Returns NSM_ERR_INPUT. */
nsm_status nsm_table_error(const nsm_table *t, const nsm_cell *c, size_t offset, nsm_diag *d,
                           const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The same with a va_list, for readers that forward their own arguments. */
nsm_status nsm_table_verror(const nsm_table *t, const nsm_cell *c, size_t offset, nsm_diag *d,
                            const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

/* Append a warning at cell c. */
void nsm_table_warn(const nsm_table *t, const nsm_cell *c, nsm_diag *d, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ---- a table read a row at a time (table_stream.c) ----
** For a table too long to hold: a sweep's design, one row a point. Opening checks what
** nsm_table_parse checks, in the same order and with the same messages and warnings, in passes
** over the file that hold one row at a time. The stream keeps its file open; every pass reads it
** whole and compares its bytes with those the first read (SHA-256): a file changed since it was
** opened is NSM_ERR_IO, never a mix of two files. */
typedef struct nsm_table_stream nsm_table_stream;

/* Open `path` (shown in messages as given) as a table of `schema` (borrowed: it must outlive the
** stream) and check it. On success *s is the stream, positioned before its first data row; on
** failure NULL, with the message in d (NSM_ERR_INPUT, NSM_ERR_IO or NSM_ERR_NOMEM). */
nsm_status nsm_table_stream_open(nsm_table_stream **s, const char *path,
                                 const nsm_schema *schema, nsm_diag *d);
/* The table messages point into (nsm_table_error and the reader's helpers at a cell of the row
** last read, or of the header): its path, header_line, header_cells, n_rows (the data rows), and
** the lines of the row last read. Owned by the stream. */
const nsm_table *nsm_table_stream_table(const nsm_table_stream *s);
/* Back before the first data row. */
nsm_status nsm_table_stream_rewind(nsm_table_stream *s, nsm_diag *d);
/* The next data row, its cells in schema order, borrowed until the next call; *row NULL after the
** last one (the file's bytes then checked against the first pass's). */
nsm_status nsm_table_stream_next(nsm_table_stream *s, const nsm_row **row, nsm_diag *d);
void nsm_table_stream_close(nsm_table_stream *s); /* NULL is fine */

/* The schema's columns joined by commas ("factor,level,initial,description,source"), for
** messages; a new string (NULL when out of memory). */
char *nsm_schema_header(const nsm_schema *schema);

#endif
