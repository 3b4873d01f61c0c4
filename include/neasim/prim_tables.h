/*
** prim_tables.h: the tables of scenario discovery (`neasim discover`): prim_trajectory.csv, every
** box of PRIM's peeling and pasting, and prim_box.csv, the chosen box's limits. Schemas in
** README.md ("Scenario discovery"). The writer only serializes what summary/prim.c computed.
*/
#ifndef NEASIM_PRIM_TABLES_H
#define NEASIM_PRIM_TABLES_H

#include "neasim/prim.h"
#include "neasim/results.h"
#include "neasim/status.h"

/* What the tables show, all borrowed. */
typedef struct {
    const nsm_prim_result *prim;
    const char *const *names;   /* the d swept numbers' parameter paths */
    const char *const *labels;  /* and their labels (parameters.csv) */
    int chosen;                 /* the step of the box in prim_box.csv */
    const double *quasi_p;      /* d quasi-p-values of that box (NaN: none) */
    const double *quasi_p_side; /* 2 d: with the lower, the upper limit dropped */
} nsm_prim_tables;

/* Write dir/prim_trajectory.csv and dir/prim_box.csv. */
nsm_status nsm_prim_tables_write(const char *dir, const nsm_prim_tables *t,
                                 const nsm_write_options *opt, nsm_diag *d);

#endif
