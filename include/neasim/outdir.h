/*
** outdir.h: results folders that appear whole or not at all.
**
** A run writes into a fresh hidden folder beside the destination (".NAME.tmp-XXXXXX") and, only
** when every file is complete, swaps it into place: with renameat2(RENAME_EXCHANGE) when the
** destination exists, so no reader ever sees a half-written folder and a failed run leaves the old
** results untouched. An existing destination is replaced only if it is empty or holds a neasim
** manifest.csv: neasim never deletes a folder it did not write.
*/
#ifndef NEASIM_OUTDIR_H
#define NEASIM_OUTDIR_H

#include "neasim/status.h"

/* Check that `dest` can be replaced and create the staging folder; *staging is a new string the
** caller frees after nsm_outdir_commit or nsm_outdir_abort. Parents of dest are created. */
nsm_status nsm_outdir_begin(const char *dest, char **staging, nsm_diag *diag);
/* Check that dest could be replaced (absent, empty, or holding a neasim manifest.csv). */
nsm_status nsm_outdir_check(const char *dest, nsm_diag *diag);

/* Swap the staging folder into place and delete the previous results. */
nsm_status nsm_outdir_commit(const char *staging, const char *dest, nsm_diag *diag);
/* Delete the staging folder (after a failure). */
void nsm_outdir_abort(const char *staging);
/* Create the missing parent folders of path (mkdir -p of its dirname). 0, or -1 with errno. */
int nsm_outdir_parents(const char *path);

/* Join a folder and a file name into a new string (NULL when out of memory). */
char *nsm_path_join(const char *dir, const char *name);

#endif
