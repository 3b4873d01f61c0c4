/*
** csvout.h: writing tidy CSV (RFC 4180, UTF-8, C-locale numbers, NA for missing values).
**
** Text fields go through libcsv's csv_fwrite when they need quoting (a comma, a quote, a line
** break, or leading/trailing space) and are written bare otherwise, so numbers and plain names
** stay unquoted for spreadsheets. Errors are sticky: check once, at nsm_csv_close().
**
** Ownership: nsm_csv_open() opens the file; nsm_csv_close() closes it (always) and reports the
** first error of any write.
*/
#ifndef NEASIM_CSVOUT_H
#define NEASIM_CSVOUT_H

#include <stdint.h>
#include <stdio.h>

#include "neasim/status.h"

typedef struct {
    FILE *f;
    const char *path;  /* borrowed, for messages */
    int fields;        /* fields written on the current row */
    int err;           /* errno of the first failure, 0 if none */
} nsm_csv;

/* Open path for writing; with bom, start with the UTF-8 byte-order mark Excel needs. */
nsm_status nsm_csv_open(nsm_csv *c, const char *path, int bom, nsm_diag *diag);
void nsm_csv_text(nsm_csv *c, const char *s);
void nsm_csv_int(nsm_csv *c, int64_t v);
/* A real number with `digits` significant digits ("%.*g"); NaN is written as NA. */
void nsm_csv_real(nsm_csv *c, double v, int digits);
/* A real number with `decimals` digits after the point ("%.*f"); NaN is written as NA. */
void nsm_csv_fixed(nsm_csv *c, double v, int decimals);
void nsm_csv_na(nsm_csv *c);
void nsm_csv_end_row(nsm_csv *c);
/* A whole header row from a NULL-terminated list of names. */
void nsm_csv_header(nsm_csv *c, const char *const *names);
nsm_status nsm_csv_close(nsm_csv *c, nsm_diag *diag);

#endif
