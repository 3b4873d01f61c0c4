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
} nsm_arm;

/* Parse a list of arms ("a,b,a+b", or "all" for every lever alone) and build them, baseline
** first. With factorial, every combination of the listed levers (2^k - 1 arms). On error the
** message names the lever or the combination. *arms (n_arms entries) is released with
** nsm_arms_free. `scenario` is the folder, for messages. */
nsm_status nsm_arms_build(const nsm_model *m, const char *list, int factorial, const char *scenario,
                          nsm_arm **arms, int *n_arms, nsm_diag *diag);
void nsm_arms_free(nsm_arm *arms, int n_arms);

#endif
