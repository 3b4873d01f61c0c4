/*
** csvin.h: reading a CSV file row by row (RFC 4180, UTF-8 with an optional byte-order mark), for
** tables neasim wrote itself (a results folder); scenario tables, whose cells need positions for
** messages, are read by table.h. Memory holds one row, whatever the file's size.
*/
#ifndef NEASIM_CSVIN_H
#define NEASIM_CSVIN_H

#include <stdint.h>

#include "neasim/status.h"

/* Called for each row, the header first (row 0): its n fields, each NUL-terminated and borrowed
** until the call returns. Return 0 to go on; non-zero stops the reading (nsm_csv_read_rows then
** returns NSM_STOPPED). */
typedef int (*nsm_csv_row_fn)(void *ctx, int64_t row, int n, const char *const *fields);

/* Read path, calling fn for every row. NSM_ERR_IO (cannot read), NSM_ERR_INPUT (bad quoting),
** NSM_ERR_NOMEM, each with a message in diag; NSM_STOPPED when fn asked to stop. */
nsm_status nsm_csv_read_rows(const char *path, nsm_csv_row_fn fn, void *ctx, nsm_diag *diag);

#endif
