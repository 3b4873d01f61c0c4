/*
** points_file.h: the point files of a sweep, written durably and verified before reuse (private
** to the library; sweep.c writes them, assemble.c reads them).
**
** Point p has points/NNNNNNNN.csv (its rows of sweep.csv) and points/NNNNNNNN.counts (its exact
** outcome counts, one a line, then `events N` (the events its replications simulated), then a
** seal: `csv BYTES SHA256` of the .csv, and `sum SHA256` of
** every byte of the .counts before that line). Both are written under temporary names, synced to
** the disk and renamed, the .counts last, then the folder is synced: a point is done when its
** .counts exists and the seal matches both files.
*/
#ifndef NEASIM_SWEEP_POINTS_H
#define NEASIM_SWEEP_POINTS_H

#include <stddef.h>
#include <stdio.h>

#include "neasim/status.h"

/* WORK/points, made if it is not there: a new string, or NULL with the error in diag. */
char *nsmi_points_dir(const char *work, nsm_diag *diag);

/* "WORK/points/NNNNNNNN.EXT" for point p (from 0): a new string, NULL when out of memory. */
char *nsmi_point_path(const char *work, size_t p, const char *ext);

/* Seal point p: its rows are complete in points/NNNNNNNN.csv.tmp; `counts` (n bytes) are its
** counts. Writes points/NNNNNNNN.counts.tmp with the seal; nothing is renamed yet (see below). */
nsm_status nsmi_point_seal(const char *work, size_t p, const char *counts, size_t n, nsm_diag *diag);

/* Sealed points waiting to be synced and renamed into place, together: an fsync costs
** milliseconds, more than a cheap point takes to run, so a batch is synced at most about once a
** second (and always before the sweep returns). A crash loses at most the batch: those points run
** again. Zero-initialise; release with nsmi_point_batch_release. */
typedef struct {
    size_t *p, n, cap;
    double since; /* when the first point of the batch was added (monotonic seconds) */
} nsm_point_batch;

/* Add sealed point p; commits the batch when it is due. */
nsm_status nsmi_point_batch_add(nsm_point_batch *b, const char *work, size_t p, nsm_diag *diag);
/* Sync every file of the batch to the disk, rename them into place (each .counts after its .csv)
** and sync the folder. */
nsm_status nsmi_point_batch_commit(nsm_point_batch *b, const char *work, nsm_diag *diag);
void nsmi_point_batch_release(nsm_point_batch *b);

typedef enum {
    NSM_POINT_MISSING,
    NSM_POINT_DONE,
    NSM_POINT_DAMAGED,
    NSM_POINT_NOMEM
} nsm_point_state;

/* Whether point p is done: its files exist and match their seal. A damaged point (a file missing,
** truncated, changed, or an unsealed .counts) gets its files deleted, so that it is run again;
** *why (may be NULL) then says what was wrong (a static string). NSM_POINT_NOMEM: memory ran out
** while looking; the files are left as they are. */
nsm_point_state nsmi_point_check(const char *work, size_t p, const char **why);

#endif
