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
    const char *label;         /* a whole scenario's label (compare A B ...), borrowed from its
                               ** model; NULL: none, and for every arm of levers */
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

/* A replication's draws written into phase models built before (nsm_arm_build_phases or this,
** with other draws) instead of rebuilding them: the numbers that the draws, the point's sets and
** the arm's levers write (with the probability row or the duration each belongs to) are copied
** back from m (but for those that their one draw sets whole: nsm_arm_redraw_n_restored), then
** written again in nsm_arm_build_phases's order. Every other number was never
** written, so the models equal a rebuild's, at the cost of the numbers written (phase 0's are
** written, then copied into the later phases before each phase's levers). The plan (the
** places compiled once, a modifiers.csv row's modifiers found once, a number that is one double
** written in place with nsm_param_apply's value and range test, each phase's lever rows found
** once) borrows m and arm, neither
** of which may change while it lives; NULL when out of memory; nsm_arm_redraw_free(NULL) is
** fine. Errors as nsm_arm_build_phases. */
typedef struct nsm_arm_redraw nsm_arm_redraw;
nsm_arm_redraw *nsm_arm_redraw_alloc(const nsm_model *m, const nsm_arm *arm);
void nsm_arm_redraw_free(nsm_arm_redraw *r);
nsm_status nsm_arm_redraw_phases(const nsm_arm_redraw *r, const double *draws, nsm_model **out,
                                 nsm_diag *d);
/* The same with `drawn`: phase 0 of a plain arm (no levers, no point) built or redrawn with the
** same draws of the same m, or NULL. A comparison's arms take the baseline's draws, and most of
** the numbers drawn are ones that the arm's levers and point do not touch (nor their probability
** row or duration): their bytes are copied from `drawn` rather than written again, the same bytes
** (nsm_arm_redraw_n_shared counts those numbers' writes). */
nsm_status nsm_arm_redraw_phases_from(const nsm_arm_redraw *r, const double *draws,
                                      const nsm_model *drawn, nsm_model **out, nsm_diag *d);
int nsm_arm_redraw_n_shared(const nsm_arm_redraw *r);
/* The numbers (spans of places) that a redraw without `drawn` copies back from m before writing:
** those multiplied, a probability row, a duration, any place of the arm's. A number that its one
** draw sets whole, in place, without reading it, is not copied: the draw overwrites it. */
int nsm_arm_redraw_n_restored(const nsm_arm_redraw *r);

/* Parse a list of arms ("a,b,a+b", or "all" for every lever alone) and build them, baseline
** first. With factorial, every combination of the listed levers (2^k - 1 arms). On error the
** message names the lever or the combination. *arms (n_arms entries) is released with
** nsm_arms_free. `scenario` is the folder, for messages. */
nsm_status nsm_arms_build(const nsm_model *m, const char *list, int factorial, const char *scenario,
                          nsm_arm **arms, int *n_arms, nsm_diag *diag);
void nsm_arms_free(nsm_arm *arms, int n_arms);

/* Whole scenarios as the arms of a comparison (`neasim compare A B ...`, model/scenario_arms.c).
** The models must report alike: the same report dates, the same factors with the same levels, the
** same counted events, all in the same order; otherwise NSM_ERR_INPUT names the two scenarios and
** the first difference (so do two scenarios with one name: arms are named after scenarios). Each
** model then keeps only the outcomes that every model has (same name and occurrence kind), in the
** order of models[0]: the tables and paired differences are over those. *n_dropped counts the
** outcomes left out and `dropped` (size bytes) lists them ("x (not in b), ..."), for the caller to
** say so. Models are changed in place (their outcome lists), before any simulator is made. */
nsm_status nsm_models_align(nsm_model *const *models, int n, char *dropped, size_t size,
                            int *n_dropped, nsm_diag *d);

/* One arm per model, named after its scenario, each running its model as it is (one phase, no
** levers; the models are borrowed). Release with nsm_arms_free. */
nsm_status nsm_arms_of_scenarios(const nsm_model *const *models, int n, nsm_arm **arms);
/* The interactions a list of arms allows: every arm of exactly two levers p+q whose levers are
** also arms alone. Fills out[k] = {arm p, arm q, arm p+q} (indices into arms, out has room for
** n_arms entries) and returns their number. */
int nsm_arms_interactions(const nsm_arm *arms, int n_arms, int (*out)[3]);

/* An arm's name for people: its levers' labels (names where levers.csv gives none) joined by
** " + ", or "Baseline"; a whole scenario's label (scenario.csv), else its name. */
void nsm_arm_label(const nsm_model *m, const nsm_arm *arm, char *buf, size_t n);

#endif
