/*
** discover.h: scenario discovery on a finished sweep (`neasim discover`): where, in the space of
** the swept numbers, does an outcome's probability exceed a threshold?
**
** A sweep folder (of `neasim sweep --lhs`, `--design`, `--grid` or `--sobol`) holds each point's
** numbers and outcome probabilities in sweep.csv, and the numbers' labels in parameters.csv. Each
** point is a case of interest when its probability of the outcome (occurred_by, by default) at
** a horizon is above (or below) the threshold; PRIM (prim.h) then finds the box of numbers where
** the cases concentrate. OAT sweeps are refused: their points lie on the axes, not over the space.
**
** Ownership: nsm_discover() fills *out, which the caller releases with nsm_discovery_release (also
** after a failure); the options' strings are borrowed for the call.
*/
#ifndef NEASIM_DISCOVER_H
#define NEASIM_DISCOVER_H

#include "neasim/prim.h"
#include "neasim/status.h"

typedef struct {
    const char *sweep;         /* the sweep's results folder */
    const char *outcome;       /* an outcome of the scenario */
    const char *measure;       /* "occurred_by" (NULL: it) or "holds" */
    const char *horizon;       /* NULL: the last; a date (YYYY-MM-DD) or years ("5") of sweep.csv */
    const char *levers;        /* NULL, or the lever set (levers column) whose points are used */
    double threshold;          /* a probability in [0, 1] */
    int below;                 /* a case: probability < threshold (0: > threshold) */
    nsm_prim_options prim;
    double target;             /* NaN: the box at the knee (nsm_prim_knee); else the largest
                               ** coverage with this density (nsm_prim_choose) */
    int box;                   /* -1: choose by the rule above; else this step of the trajectory */
    double max_qp;             /* with box -1, then drop restrictions whose quasi-p exceeds it
                               ** (nsm_prim_drop; 1: none) */
} nsm_discover_options;

typedef struct {
    int n, d;                  /* points and swept numbers */
    double *x;                 /* n x d, row-major */
    double *value;             /* each point's probability of the outcome */
    double *y;                 /* 1 for a case of interest, else 0 */
    char **names, **labels;    /* d parameter paths and labels (without parameters.csv's range) */
    char date[11];             /* the horizon's date */
    double horizon_years;
    char scenario[256];        /* the sweep's manifest.csv: scenario, scenario_title, seed ("") */
    char scenario_title[256];
    char seed[32];
    char outcome_label[512];   /* the outcome's label in labels.csv, if the scenario gives one */
    double runs_per_point;     /* manifest.csv's runs_per_point, or 0 */
    nsm_prim_result prim;
    int picked;                /* the step the rule (or --box) picked */
    int chosen;                /* the reported step: picked, or the last drop from it */
    double *quasi_p;           /* d, at the chosen step: a number's restriction dropped */
    double *quasi_p_side;      /* 2 d: its lower limit dropped, its upper (nsm_prim_quasi_p) */
} nsm_discovery;

/* Read the sweep, run PRIM and choose the box. NSM_ERR_IO for a folder that is not a sweep's
** (no manifest.csv with sweep_points, no sweep.csv or parameters.csv) or cannot be read;
** NSM_ERR_INPUT at file:line:column for a malformed table; NSM_ERR_USAGE for an outcome, measure,
** horizon or lever set the sweep does not hold (with what it holds), an OAT sweep, a sweep of lever
** sets without --levers, no case of interest, or --box beyond the trajectory. */
nsm_status nsm_discover(const nsm_discover_options *o, nsm_discovery *out, nsm_diag *d);
void nsm_discovery_release(nsm_discovery *r);

#endif
