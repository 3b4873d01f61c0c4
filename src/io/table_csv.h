/*
** table_csv.h: the CSV layer under table.c (private to the library).
*/
#ifndef NEASIM_TABLE_CSV_H
#define NEASIM_TABLE_CSV_H

#include "neasim/table.h"

/* Check that t->bytes is text (UTF-8, no NUL) and split it into t->lines and raw rows
** t->rows: the header first, cells in file order with their positions, all-empty rows left out.
** Errors (binary file, bad UTF-8, quoting) go to d with their position. */
nsm_status nsmi_table_scan(nsm_table *t, nsm_diag *d);

#endif
