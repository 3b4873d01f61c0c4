/*
** results.h: the tables of a run, written as tidy CSV into a results folder.
**
** The schemas are documented in README.md ("Output files"). Every table except manifest.csv is a
** function of (scenario, seed, runs) only, so it is byte-identical for any number of threads.
*/
#ifndef NEASIM_RESULTS_H
#define NEASIM_RESULTS_H

#include <stdint.h>

#include "neasim/accum.h"
#include "neasim/model.h"
#include "neasim/status.h"

/* Provenance for manifest.csv: key/value pairs, written in order. */
typedef struct {
    const char *key;
    char value[4096]; /* room for a long command line */
} nsm_manifest_entry;

typedef struct {
    int n;
    nsm_manifest_entry entries[48];
} nsm_manifest;

/* Append key=value (formatted) to the manifest; silently ignores entries beyond capacity. */
void nsm_manifest_add(nsm_manifest *mf, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

typedef struct {
    int bom;   /* start every file with the UTF-8 byte-order mark (for Excel) */
} nsm_write_options;

/* Write every table of the run into folder `dir`, which must exist (normally the staging folder
** of outdir.h). */
nsm_status nsm_results_write(const char *dir, const nsm_model *m, const nsm_accum *acc,
                             const nsm_manifest *mf, const nsm_write_options *opt, nsm_diag *diag);

/* Only manifest.csv. */
nsm_status nsm_results_write_manifest(const char *dir, const nsm_manifest *mf,
                                      const nsm_write_options *opt, nsm_diag *diag);

/* The same tables for the arms of a comparison, with a leading `arm` column (names[a]). When the
** arms are whole scenarios (compare A B ...), scenarios[a] is arm a's model, for labels.csv's
** scenario rows; NULL for the arms of one scenario's levers. */
nsm_status nsm_results_write_arms(const char *dir, const nsm_model *m, int n_arms,
                                  const char *const *names, const nsm_model *const *scenarios,
                                  const nsm_accum *const *acc,
                                  const nsm_manifest *mf, const nsm_write_options *opt,
                                  nsm_diag *diag);

#endif
