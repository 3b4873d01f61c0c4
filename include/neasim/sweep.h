/*
** sweep.h: batch sweeps over a scenario's numbers and levers.
**
** A design is a list of points; each point sets some numbers of the scenario (by parameter path)
** and optionally applies a lever set. Designs come from a file (one row per point), a grid file
** (full factorial over listed values), or are generated over the scenario's uncertain numbers:
** a Latin hypercube, a Saltelli design on the Sobol sequence, or one-at-a-time low/high values.
** Every point runs the same replications with the same streams (common random numbers), so the
** differences between points are not noise. A sweep writes one small file per point into a work
** folder, so it can stop at any point and resume without redoing what is done; the final tables
** are assembled from those files, so a resumed sweep equals an uninterrupted one byte for byte.
*/
#ifndef NEASIM_SWEEP_H
#define NEASIM_SWEEP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "neasim/accum.h"
#include "neasim/engine.h"
#include "neasim/model.h"
#include "neasim/partial.h"
#include "neasim/status.h"

typedef enum { NSM_SWEEP_FILE, NSM_SWEEP_GRID, NSM_SWEEP_LHS, NSM_SWEEP_SOBOL, NSM_SWEEP_OAT } nsm_sweep_kind;

/* How a design makes its points, by kind (private to sweep/: sweep/source.h). Memory must not
** grow with the points, so a design holds what makes them, not the points: they are read one at
** a time with a cursor (below). */
typedef struct nsm_sweep_source nsm_sweep_source;

/* A design owns every pointer in it; release it with nsm_sweep_design_release. */
typedef struct {
    nsm_sweep_kind kind;
    int n_params;
    char (*names)[256];       /* parameter paths, as written or canonical */
    int *n_each;
    nsm_param **params;       /* the numbers each path names */
    int has_levers;           /* a `levers` column */
    size_t n_points;
    size_t base_n;            /* Sobol: rows of A and B; OAT: unused */
    double *low, *high;       /* OAT: the values of each parameter at low and high */
    int *source;              /* generated designs: index into model->uncertain of each parameter */
    nsm_sweep_source *src;    /* where the points come from (read them with a cursor) */
} nsm_sweep_design;

/* A design file: a header of parameter paths (and optionally `levers`), one row per point.
** Every path, value and lever set is checked against the model before anything runs; problems are
** reported as file:line:column. The file is read a row at a time, in passes, and is kept open by
** the design: its points are read again from it (checked to be the same bytes) or from the copy
** nsm_sweep_design_write made of it (see nsm_sweep_cursor_open). */
nsm_status nsm_sweep_read_design(const nsm_model *m, const char *path, nsm_sweep_design *d,
                                 nsm_diag *diag);
/* A grid file: `parameter,values`, values separated by ';' (for `levers`, lever sets with '+',
** and `none`); the design is every combination, the last row varying fastest. */
nsm_status nsm_sweep_read_grid(const nsm_model *m, const char *path, nsm_sweep_design *d,
                               nsm_diag *diag);
/* Generated over the model's uncertain numbers (NSM_SWEEP_LHS with n points, NSM_SWEEP_SOBOL with
** n base rows: n (d + 2) points; NSM_SWEEP_OAT: 1 + 2d points, each number at its 5th and 95th
** percentile with the others at their means). `only` (may be NULL: all) is a comma-separated
** list of paths, or prefixes ending in '*', selecting which uncertain numbers vary; the others
** stay at their means. A pattern that selects nothing is NSM_ERR_USAGE. */
nsm_status nsm_sweep_generate(const nsm_model *m, nsm_sweep_kind kind, size_t n, uint64_t seed,
                              const char *only, nsm_sweep_design *d, nsm_diag *diag);
void nsm_sweep_design_release(nsm_sweep_design *d);

/* ---- the points of a design, one at a time: the one place they are made ---- */

/* Point `index` (from 0) of a design: its numbers, one a parameter in the design's order, and
** its lever set ("" for none, and at every point of a design without levers). Borrowed from the
** cursor that gave it, until its next call. */
typedef struct {
    size_t index;
    const double *values;
    const char *levers;
} nsm_sweep_point;

typedef struct nsm_sweep_cursor nsm_sweep_cursor;

/* The work folder's copy of the design (nsm_sweep_design_write's text: `neasim sweep` writes it
** there first, and --resume compares it): a design file's points are read from it while the
** sweep runs, so that they are the points checked, whatever becomes of the file meanwhile. */
#define NSM_SWEEP_DESIGN_COPY "design.csv"

/* A cursor over the points of d (borrowed: it must outlive the cursor). `copy` (may be NULL) is
** the path of the design's copy, read for a design file's points; without one they are read from
** the design file again, checked to be the bytes checked (one such cursor at a time: they share
** the file). Other kinds make each point from the design: a grid's combination from its index,
** a Sobol row by stepping the sequence, OAT's from the percentiles, a Latin hypercube's from the
** seed (nsm_design_lhs_point, any point in any order). Points asked for in increasing order (a
** shard's or a rank's, offset + k * stride) are read forward in constant memory; an earlier one
** rewinds. Not for two threads at once: the points of a wave are read before it runs. NSM_OK, or an error in diag (NSM_ERR_IO for a copy
** or a file that cannot be read, is damaged, or changed; NSM_ERR_NOMEM). */
nsm_status nsm_sweep_cursor_open(const nsm_sweep_design *d, const char *copy,
                                 nsm_sweep_cursor **c, nsm_diag *diag);
nsm_status nsm_sweep_cursor_point(nsm_sweep_cursor *c, size_t p, const nsm_sweep_point **pt,
                                  nsm_diag *diag);
void nsm_sweep_cursor_close(nsm_sweep_cursor *c); /* NULL is fine */

typedef struct {
    nsm_run_config run;        /* seed, runs per point, threads, stop flag */
    const int *idx;            /* report indices of the horizons */
    const double *years;
    int n_h;
    int bom;
    size_t stop_after;         /* testing aid: stop after this many new points (0: never) */
    size_t offset, stride;     /* only points offset, offset + stride, ... (sweep --shard);
                               ** stride 0: every point */
    void (*progress)(void *ctx, uint64_t done, uint64_t total);
    void *progress_ctx;
} nsm_sweep_config;

/* Run every point not yet done in `work` (a folder), writing points/NNNNNNNN.csv and .counts for
** each, synced to the disk and sealed with the .csv's length and SHA-256. A point is done when its
** files match their seal; a damaged one (truncated, changed, half-written) is deleted and run
** again, with a warning in diag. Returns NSM_OK when every point is done; NSM_STOPPED when
** stopped (by the stop flag or stop_after), leaving the completed points on disk. A design
** file's points are read from WORK/design.csv (NSM_SWEEP_DESIGN_COPY), which must be there. */
nsm_status nsm_sweep_run(const nsm_model *m, const nsm_sweep_design *d, const char *work,
                         const nsm_sweep_config *c, size_t *done_now, nsm_diag *diag);

/* One point run in slices by several processes (MPI ranks, cli/ranks.c), each slice a
** contiguous range of its replications: whether point p is done in `work` (a damaged one is
** deleted, with a warning in diag, and is not done); replications first .. first + count - 1 of
** point p into acc (reset first; cf->run's seed, threads, stop flag and progress are used), with
** the events they simulated in *events; and the point's files from the whole of its
** accumulator (every slice added, in any order: integer sums) and the sum of its slices' events,
** sealed and synced into place in `work` (its points/ folder is created if missing). Point p's
** files are then the same bytes as nsm_sweep_run writes. The point (pt, its index p) is the
** caller's, from a cursor. */
int nsm_sweep_point_done(const char *work, size_t p, nsm_diag *diag);
nsm_status nsm_sweep_run_slice(const nsm_model *m, const nsm_sweep_design *d,
                               const nsm_sweep_point *pt, uint64_t first, uint64_t count,
                               nsm_accum *acc, const nsm_sweep_config *cf, uint64_t *events,
                               nsm_diag *diag);
nsm_status nsm_sweep_save_point(const nsm_model *m, const nsm_sweep_design *d,
                                const nsm_sweep_point *pt, const nsm_accum *acc, uint64_t events,
                                const nsm_sweep_config *cf, const char *work, nsm_diag *diag);

/* The events simulated by points offset, offset + stride, ... of the sweep in `work` (stride 0:
** 1), from their .counts files (each verified against its seal), into *events: what the
** manifest's events_simulated reports, the same however the points were run or resumed.
** NSM_ERR_IO naming a point that is not done. */
nsm_status nsm_sweep_events(const char *work, size_t n_points, size_t offset, size_t stride,
                            uint64_t *events, nsm_diag *diag);

/* Assemble sweep.csv, points.csv and (Sobol) sensitivity.csv or (OAT) tornado.csv in `work` from
** the point files (a design file's points from WORK/design.csv, as nsm_sweep_run). */
nsm_status nsm_sweep_assemble(const nsm_model *m, const nsm_sweep_design *d, const char *work,
                              const nsm_sweep_config *c, nsm_diag *diag);

/* Write the design as CSV text to f (point, one column per parameter, then levers: a lever set,
** "none", or NA when the design has no levers), one point at a time, CRLF line ends, each number
** in the fewest digits that read back exactly: written into the work folder so that --resume can
** check it is continuing the same sweep, and so that a design file's points are read from it
** while the sweep runs. A design file's points come from the file again, which must be the
** bytes checked. NSM_OK, or NSM_ERR_IO with the message in diag (a write failed, or the design
** file changed). */
nsm_status nsm_sweep_design_write(const nsm_sweep_design *d, FILE *f, nsm_diag *diag);

/* Delete the point files of a sweep in `folder` (points/NNNNNNNN.csv, .counts and their
** temporaries) and the points/ folder; anything else in it is left, with a warning in diag.
** NSM_OK, or NSM_ERR_IO with the message in diag. */
nsm_status nsm_sweep_remove_points(const char *folder, nsm_diag *diag);

/* A shard's points in a partial result (partial.h): the files of points offset, offset + stride,
** ... of `work` (each verified against its seal) appended to part as one BYTE section a point
** (README.md, "Partial results"); and back, into WORK/points/, each point verified again.
** NSM_ERR_INPUT naming the part when a block is not the point expected or does not match its
** seal. */
nsm_status nsm_sweep_pack_points(const char *work, size_t n_points, size_t offset, size_t stride,
                                 nsm_part *part, nsm_diag *diag);
nsm_status nsm_sweep_unpack_points(const char *work, nsm_part *part, size_t n_points,
                                   size_t offset, size_t stride, nsm_diag *diag);

#endif
