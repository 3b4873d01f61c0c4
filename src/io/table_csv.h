/*
** table_csv.h: the CSV layer under table.c and table_stream.c (private to the library): what a
** table read whole and a table read a row at a time share, so that both say the same things.
*/
#ifndef NEASIM_TABLE_CSV_H
#define NEASIM_TABLE_CSV_H

#include <csv.h>
#include <stddef.h>

#include "neasim/table.h"

/* Check that t->bytes is text (UTF-8, no NUL) and split it into t->lines and raw rows
** t->rows: the header first, cells in file order with their positions, all-empty rows left out.
** Errors (binary file, bad UTF-8, quoting) go to d with their position. */
nsm_status nsmi_table_scan(nsm_table *t, nsm_diag *d);

/* Where the next byte is. Columns count characters: UTF-8 continuation bytes do not advance. */
typedef struct {
    int line, column, after_cr;
} nsmi_position;

void nsmi_position_advance(nsmi_position *p, unsigned char b);
/* 3 when s (n bytes) starts with a UTF-8 byte-order mark, else 0. */
size_t nsmi_bom_length(const unsigned char *s, size_t n);
/* Length of the valid UTF-8 sequence at s (n bytes left), or 0. */
size_t nsmi_utf8_length(const unsigned char *s, size_t n);

/* libcsv fed one byte at a time, with the position of every field: what table_csv.c (a table read
** whole) and table_stream.c (a row at a time) both parse with. A row that is not all empty,
** once complete, is left in `row` with row_done set, for the caller to take (nsmi_feeder_take)
** or drop (nsmi_feeder_drop) before the next byte. */
typedef struct {
    struct csv_parser p;
    nsmi_position pos;  /* of the byte being fed */
    nsm_cell start;     /* where the field being read starts */
    int in_field;       /* the field being read has started */
    int row_started;
    int ended;          /* a callback ran during this byte */
    int row_done;       /* row is complete */
    int nomem;
    nsm_row row;        /* the row being read */
    int cap_cells;
} nsmi_feeder;

/* From line 1, column 1; -1 when out of memory. */
int nsmi_feeder_init(nsmi_feeder *f);
void nsmi_feeder_free(nsmi_feeder *f);
/* Byte b: 0, or -1 when libcsv refused it or memory ran out (f->pos is then still b's: for
** nsmi_feeder_error). */
int nsmi_feed(nsmi_feeder *f, unsigned char b);
/* The end of the input (the last row, if no line end closed it, is then done): NSM_OK, or the
** message of a quote never closed. */
nsm_status nsmi_feed_end(nsmi_feeder *f, const nsm_table *t, nsm_diag *d);
/* What nsmi_feed's -1 means, said with t's lines: out of memory, or libcsv's failure. */
nsm_status nsmi_feeder_error(nsmi_feeder *f, const nsm_table *t, nsm_diag *d);
/* The done row, handed over (the feeder forgets it), or dropped. */
nsm_row nsmi_feeder_take(nsmi_feeder *f);
void nsmi_feeder_drop(nsmi_feeder *f);

/* The messages of the scanner, each at a line that nsm_table_line(t, ...) gives: a NUL or
** invalid UTF-8 `byte`; the separator of a header `text` (line `line`) written with ';' or tabs
** (NSM_OK when it is not); libcsv's failure on the byte at `at` (out of memory, a field too
** large, a stray quote), `start` being the field it was in; a quote never closed. */
nsm_status nsmi_text_error(const nsm_table *t, int line, int column, unsigned char byte,
                           nsm_diag *d);
nsm_status nsmi_separator_check(const nsm_table *t, int line, const char *text, nsm_diag *d);
nsm_status nsmi_csv_error(const nsm_table *t, struct csv_parser *p, nsmi_position at,
                          const nsm_cell *start, nsm_diag *d);
nsm_status nsmi_csv_unterminated(const nsm_table *t, const nsm_cell *start, nsm_diag *d);

/* The cells of a row up to its last non-empty one (spreadsheets leave empty cells after it). */
int nsmi_row_width(const nsm_row *r);
/* col_of[k]: the header position of schema column k, or -1 when the file lacks it; an empty,
** unknown, repeated or missing column is an error at the header. */
nsm_status nsmi_table_bind_header(const nsm_table *t, const nsm_row *h, int *col_of, nsm_diag *d);
/* A data row against the header's `width`: too few cells or a value beyond them is an error; a
** row wider than the header as written (t->header_cells) is added to t->wide, with a warning. */
nsm_status nsmi_table_check_width(nsm_table *t, const nsm_row *r, int width, nsm_diag *d);

#endif
