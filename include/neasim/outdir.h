/*
** outdir.h: results folders that appear whole or not at all, and leave nothing behind.
**
** A run writes into a fresh hidden folder beside the destination (".NAME.tmp-XXXXXX") and, only
** when every file is complete and synced to disk, swaps it into place: with
** renameat2(RENAME_EXCHANGE) when the destination exists, so no reader ever sees a half-written
** folder and a failed run leaves the old results untouched. An existing destination is replaced
** only if it is empty, or holds a neasim manifest.csv and nothing but what neasim and its scripts
** write (CSV tables, results.xlsx, brief.html, figures/, points/, discover-OUTCOME/, score/,
** climatology/, hidden files):
** neasim never deletes a folder it did not write, nor a file a user put into one. A folder of
** results and a resolved scenario (check --resolved; it holds scenario.csv) never replace each
** other, so a run cannot write over the scenario it reads.
**
** The staging folder holds a marker file (".neasim-staging": the writer's pid, process start time,
** boot id and host) until the moment of the swap. A run killed outright (SIGKILL, power loss)
** leaves its staging folder behind; the next nsm_outdir_begin into the same place removes it when
** the marker shows its writer is gone, and reports it when it cannot tell (another host, or a
** folder with the staging name but no marker). A folder without a valid marker is never deleted.
*/
#ifndef NEASIM_OUTDIR_H
#define NEASIM_OUTDIR_H

#include <stddef.h>

#include "neasim/status.h"

/* The results folder that an --out value names, into buf (size bytes): trailing slashes dropped
** ("DIR/" is DIR). NSM_ERR_USAGE with a message for a value that cannot name a folder neasim
** may replace: empty, "/", ".", "..", ending in "/." or "/..", or the current folder or one that
** contains it (swapping it would pull the folder from under the shell that started the run). */
nsm_status nsm_outdir_path(const char *out, char *buf, size_t size, nsm_diag *diag);

/* Check that `dest` can be replaced, clean stale staging folders beside it (reports go to
** diag's warnings) and create the staging folder, with the permissions the umask gives a new
** folder and its marker; *staging is a new string the caller frees after nsm_outdir_commit or
** nsm_outdir_abort. Parents of dest are created. */
nsm_status nsm_outdir_begin(const char *dest, char **staging, nsm_diag *diag);
/* The same for a resolved scenario (check --resolved): it replaces only an empty folder or an
** earlier resolved scenario. */
nsm_status nsm_outdir_begin_scenario(const char *dest, char **staging, nsm_diag *diag);
/* Check that dest could be replaced by results (absent, empty, or neasim's results alone). */
nsm_status nsm_outdir_check(const char *dest, nsm_diag *diag);

/* fsync every file and folder under staging, remove its marker, swap it into place, fsync the
** parent folder, and delete the previous results. Works for any folder (a sweep's DIR.partial,
** which has no marker, too). On failure staging is left as it was, without its marker. */
nsm_status nsm_outdir_commit(const char *staging, const char *dest, nsm_diag *diag);
/* Delete the staging folder (after a failure or a stop), its marker last. */
void nsm_outdir_abort(const char *staging);
/* Remove the stale staging folders of dest (as nsm_outdir_begin does first); reports in diag's
** warnings. Returns the number of folders removed. */
int nsm_outdir_clean_stale(const char *dest, nsm_diag *diag);
/* Create the missing parent folders of path (mkdir -p of its dirname). 0, or -1 with errno. */
int nsm_outdir_parents(const char *path);

/* Join a folder and a file name into a new string (NULL when out of memory). */
char *nsm_path_join(const char *dir, const char *name);

/* path as a reader would write it, in a new string (NULL when out of memory): "." and empty
** components dropped, "dir/.." folded away ("scenarios/backtest-2017/../calibration-2012" ->
** "scenarios/calibration-2012"); "." when nothing is left. Lexical: for what outputs and messages
** name, never for opening (through a symbolic link, "link/.." is not the link's folder). */
char *nsm_path_tidy(const char *path);

/* The marker's file name inside a staging folder. */
#define NSM_OUTDIR_MARKER ".neasim-staging"

#endif
