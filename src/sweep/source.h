/*
** source.h: how a sweep design makes its points, by kind (private to the library: points.c
** builds it, cursor.c reads points from it). What grows with the number of points is never held
** here: every kind makes point p from what is below.
*/
#ifndef NEASIM_SWEEP_SOURCE_H
#define NEASIM_SWEEP_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "neasim/dist.h"
#include "neasim/sweep.h"
#include "neasim/table.h"

struct nsm_sweep_source {
    /* NSM_SWEEP_FILE: the design file, open and checked (a table read a row at a time), its
    ** schema (the header's names, owned in cols), the column of each parameter, and the levers
    ** column (-1: none) */
    nsm_table_stream *file;
    nsm_schema schema;
    nsm_column *cols;
    int *col;
    int lev;
    /* NSM_SWEEP_GRID: each row's values, levels[i] of them (numbers, or for the levers row
    ** grid_lev the lever sets, "" for none); point p's value of each row is p's digit in mixed
    ** radix (nsm_design_grid_point), so nothing grows with the points */
    int grid_rows, grid_lev;
    size_t *levels;
    double **numbers;         /* a parameter's row: its numbers; NULL for the levers row */
    char **sets;
    /* NSM_SWEEP_SOBOL and NSM_SWEEP_LHS: each parameter's distribution, through whose quantiles
    ** the unit-cube point is mapped (the cursor steps the Sobol sequence; it makes a Latin
    ** hypercube's point p from the seed, nsm_design_lhs_point); NSM_SWEEP_OAT: each parameter's
    ** mean (a point is the means but for one number at its low or high value, in d->low,
    ** d->high) */
    nsm_dist *dists;
    double *nominal;
    uint64_t seed;            /* NSM_SWEEP_LHS: the design's */
};

/* Free s and all it owns (NULL is fine). */
void nsmi_sweep_source_free(nsm_sweep_source *s);

#endif
