/*
** xlsx.h: a workbook of a results folder (results.xlsx, `--xlsx`), built from the CSV tables
** already written there, so the tables have one home and the workbook cannot say otherwise.
**
** One sheet per table (named after its file), its header row bold and frozen; a column whose
** cells are all numbers (or missing) is written as numbers, one whose cells are all ISO dates as
** dates (yyyy-mm-dd), any other as text; a missing value (NA, or an empty field) is an empty
** cell. The first sheet, "About", says what each sheet holds and lists manifest.csv. A table
** longer than a worksheet continues on sheets "NAME (2)", "NAME (3)", ...
*/
#ifndef NEASIM_XLSX_H
#define NEASIM_XLSX_H

#include <stdint.h>

#include "neasim/status.h"

typedef struct {
    int64_t max_rows; /* data rows on one sheet (0: as many as a worksheet holds, 1048575) */
} nsm_xlsx_options;

/* Write dir/results.xlsx from every dir/ *.csv (manifest.csv into "About"). dir is normally the
** staging folder of outdir.h, so the workbook appears with the tables or not at all. */
nsm_status nsm_xlsx_write(const char *dir, const nsm_xlsx_options *opt, nsm_diag *diag);

#endif
