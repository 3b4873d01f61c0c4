/*
** outer_loop.h: the outer loop of a two-level run (sim/outer_loop.c): n_draws draws of the
** scenario's uncertain numbers, each followed by `runs` replications with those numbers fixed, for
** run --outer (one model) and compare --outer (the arms of a comparison in lockstep).
**
** Draw j runs replications first_rep + j*runs .. first_rep + (j+1)*runs - 1 under parameter draw j
** (NSM_UNCERTAINTY_OUTER, runs_per_draw = runs), so a two-level run is reproducible and its totals
** equal the same replications run at once. What a draw reduces to (a probability at each horizon,
** a paired standard error) is a summary: the loop hands each draw's accumulators to the caller's
** `done` and keeps none of them (outer_draws.h is the caller).
*/
#ifndef NEASIM_OUTER_LOOP_H
#define NEASIM_OUTER_LOOP_H

#include <stdint.h>

#include "neasim/accum.h"
#include "neasim/arms.h"
#include "neasim/engine.h"
#include "neasim/model.h"
#include "neasim/paired.h"
#include "neasim/rivals.h"
#include "neasim/status.h"

/* The draws to run and what is told of each. done(ctx, j, acc, paired, rivals) is called once
** draw j has run, with its accumulators acc[0..n_arms-1] and, for a comparison, its paired
** accumulators paired[1..n_arms-1] (NULL for a plain run) and its every two arms (NULL for a
** plain run, or when the caller keeps no rivals); all of draw j alone, borrowed for the call.
** When draws run side by side it is called from several threads at once for different j, so it
** may write only what belongs to draw j. It returns 0, or -1 when out of memory. */
typedef struct {
    uint64_t n_draws;
    int (*done)(void *ctx, uint64_t j, const nsm_accum *const *acc,
                const nsm_paired *const *paired, const nsm_rivals *rivals);
    void *ctx;
} nsm_outer_draws;

/* Run the draws (runs = c->runs each). arms NULL: a plain run of m (nsm_run; n_arms = 1);
** otherwise the arms of a comparison (nsm_compare_run; arms[0] the baseline). total[a], and for a
** comparison paired[a] (a >= 1) and rivals (may be NULL; rivals.h), allocated by the caller,
** receive every draw's replications
** (integer sums: the same whichever thread ran which draw). Draws run side by side, one a thread,
** when nsm_runs_side_by_side says so, and one after another sharing the threads otherwise; the
** results are the same either way. c->progress hears of whole draws, counted in replications.
** Returns the status and message of the first failing draw in index order (side by side, later
** draws may have run; one after another, the loop stops there). stats (may be NULL) receives the
** events, draws and seconds summed over the draws, and the threads used. */
nsm_status nsm_outer_loop(const nsm_model *m, const nsm_arm *arms, int n_arms,
                          const nsm_run_config *c, const nsm_outer_draws *draws,
                          nsm_accum **total, nsm_paired **paired, nsm_rivals *rivals,
                          nsm_run_stats *stats, nsm_diag *diag);

/* The same with whole scenarios as arms (compare A B ... --outer): arm a runs models[a]
** (nsm_compare_models), total and paired allocated on models[0]. Draw j of every scenario is the
** same block of replications, and each uncertain number's stream is keyed by its path, so a
** number the scenarios share takes the same value in all of them in each draw (uncertain.c). */
nsm_status nsm_outer_loop_models(const nsm_model *const *models, const nsm_arm *arms, int n_arms,
                                 const nsm_run_config *c, const nsm_outer_draws *draws,
                                 nsm_accum **total, nsm_paired **paired, nsm_rivals *rivals,
                                 nsm_run_stats *stats, nsm_diag *diag);

#endif
