/*
** sweep_points.h: the point files of a sweep, written durably and verified before reuse (private
** to the library; sweep.c writes them, sweep_assemble.c reads them).
**
** Point p has points/NNNNNNNN.csv (its rows of sweep.csv) and points/NNNNNNNN.counts (its exact
** outcome counts, one a line, then a seal: `csv BYTES SHA256` of the .csv, and `sum SHA256` of
** every byte of the .counts before that line). Each is written under a temporary name, fsynced and
** renamed, the .counts last, then the folder is fsynced: a point is done when its .counts exists
** and the seal matches both files.
*/
#ifndef NEASIM_SWEEP_POINTS_H
#define NEASIM_SWEEP_POINTS_H

#include <stddef.h>
#include <stdio.h>

#include "neasim/status.h"

/* "WORK/points/NNNNNNNN.EXT" for point p (from 0): a new string, NULL when out of memory. */
char *nsm_point_path(const char *work, size_t p, const char *ext);

/* Flush f and its file to the disk (before it is closed and renamed). 0, or -1 with errno. */
int nsm_point_sync(FILE *f);

/* Seal point p: its rows are complete in points/NNNNNNNN.csv.tmp (synced); `counts` (n bytes)
** are its counts. Writes the .counts with the seal, renames both into place and syncs the folder. */
nsm_status nsm_point_seal(const char *work, size_t p, const char *counts, size_t n, nsm_diag *diag);

typedef enum { NSM_POINT_MISSING, NSM_POINT_DONE, NSM_POINT_DAMAGED } nsm_point_state;

/* Whether point p is done: its files exist and match their seal. A damaged point (a file missing,
** truncated, changed, or an unsealed .counts) gets its files deleted, so that it is run again;
** *why (may be NULL) then says what was wrong (a static string). */
nsm_point_state nsm_point_check(const char *work, size_t p, const char **why);

#endif
