/*
** arms.h: the arms of a comparison: the scenario as it is ("baseline") and the scenario with a
** combination of its levers ("a", "a+b").
**
** An arm is a list of phases: from phase_t[j] on, the replication runs on phase_model[j]. A lever
** without from_date changes phase 0; one with a from_date opens a phase at that date. Every phase
** model is a variant of the scenario's model (params.h), so all arms share one structure and one
** set of random streams: replications are paired across arms on common random numbers.
*/
#ifndef NEASIM_ARMS_H
#define NEASIM_ARMS_H

#include "neasim/model.h"
#include "neasim/status.h"

typedef struct {
    char name[512];            /* "baseline", or lever names joined with '+' */
    int n_levers;
    int *levers;               /* indices into model->levers, in the order applied */
    int n_phases;
    double *phase_t;           /* phase_t[0] = 0, increasing */
    nsm_model **phase_model;   /* variants owned by the arm (the baseline borrows the model) */
    int owns_models;
    /* A sweep point's numbers, set on every phase before the levers (nsm_arm_set_point). */
    int n_sets;
    nsm_param *set_param;
    double *set_value;
} nsm_arm;

/* Make arm a sweep point: set params[k] to values[k] (k < n) before its levers. Rebuilds its
** phase models. NSM_ERR_INPUT with a message when a value is out of range. */
nsm_status nsm_arm_set_point(const nsm_model *m, nsm_arm *arm, int n, const nsm_param *params,
                             const double *values, nsm_diag *diag);

/* Build the phase models of an arm into `out` (n_phases variants of m, already allocated):
** numbers of m, then `draws` (one value per m->uncertain entry, or NULL for the means), then the
** point's sets, then the levers' rows in order. NSM_ERR_INPUT with the reason in d when a number
** leaves its range (a lever's row gives its levers.csv position). */
nsm_status nsm_arm_build_phases(const nsm_model *m, const nsm_arm *arm, const double *draws,
                                nsm_model **out, nsm_diag *d);

/* Parse a list of arms ("a,b,a+b", or "all" for every lever alone) and build them, baseline
** first. With factorial, every combination of the listed levers (2^k - 1 arms). On error the
** message names the lever or the combination. *arms (n_arms entries) is released with
** nsm_arms_free. `scenario` is the folder, for messages. */
nsm_status nsm_arms_build(const nsm_model *m, const char *list, int factorial, const char *scenario,
                          nsm_arm **arms, int *n_arms, nsm_diag *diag);
void nsm_arms_free(nsm_arm *arms, int n_arms);

/* The interactions a list of arms allows: every arm of exactly two levers p+q whose levers are
** also arms alone. Fills out[k] = {arm p, arm q, arm p+q} (indices into arms, out has room for
** n_arms entries) and returns their number. */
int nsm_arms_interactions(const nsm_arm *arms, int n_arms, int (*out)[3]);

/* An arm's name for people: its levers' labels (names where levers.csv gives none) joined by
** " + ", or "Baseline". */
void nsm_arm_label(const nsm_model *m, const nsm_arm *arm, char *buf, size_t n);

#endif
