/*
** compare.h: the tables of a comparison (output/compare.c). The arms are simulated by
** nsm_compare_run (paired.h); their differences are computed in summary.h.
*/
#ifndef NEASIM_COMPARE_H
#define NEASIM_COMPARE_H

#include "neasim/accum.h"
#include "neasim/arms.h"
#include "neasim/briefing.h"
#include "neasim/engine.h"
#include "neasim/outer.h"
#include "neasim/paired.h"
#include "neasim/results.h"
#include "neasim/summary.h"

/* A finished comparison: the model, its arms (arms[0] the baseline), their accumulators and
** paired accumulators (paired[0] unused), the horizons of the briefing table, and with
** compare --outer the per-draw results (NULL otherwise; same arms and horizons). Borrowed. */
typedef struct {
    const nsm_model *m;
    const nsm_arm *arms;
    int n_arms;
    const nsm_accum *const *acc;
    nsm_paired *const *paired;
    nsm_horizons horizons;
    const nsm_outer_comparison *outer;
    /* Interactions of two levers (nsm_arms_interactions): triple k is {a, b, a+b}, and
    ** ipaired[3k], [3k+1], [3k+2] accumulate the pairs (a, b), (a, a+b), (b, a+b). None (0, NULL)
    ** with --outer. */
    int n_interactions;
    const int (*interactions)[3];
    nsm_paired *const *ipaired;
} nsm_comparison;

/* Arm a's effect on outcome o (occurred by) at horizon h as the briefing states it (briefing.csv,
** the printed briefing, the ranks and verdicts), as differences.csv has it: the paired difference
** of all replications, and with --outer the interval of the mean effect over the draws, which
** counts them as the sample they are: diff +- t(N - 1) x max(sd of the draws' effects / sqrt(N),
** the paired se) (summary/differences.c). The runs of a draw share its numbers, so the paired
** interval of all N x runs replications alone is too narrow for the mean over judgments. */
nsm_difference nsm_comparison_effect(const nsm_comparison *cmp, int a, int o, int h);

/* The inputs of interaction k (briefing.h) from a comparison. */
nsm_interaction_inputs nsm_comparison_interaction(const nsm_comparison *cmp, int k);

/* Write differences.csv, briefing.csv and arms.csv into dir (schemas in README.md); with
** cmp->outer also uncertainty_differences.csv and every arm's uncertainty.csv, and briefing.csv
** gains the judgment columns; with interactions, interactions.csv. */
nsm_status nsm_compare_write(const char *dir, const nsm_comparison *cmp,
                             const nsm_write_options *opt, nsm_diag *diag);

#endif
