/*
** precision.h: how precisely a run pins down the probabilities it was asked about, for runs that
** stop at a stated precision (`run` and `compare --precision H`; the batches are nsm_run_batched
** in engine.h). The statistic is the widest 95% interval half-width over a list of targets, each
** the probability that an outcome has occurred by a report date, computed as the tables write it.
*/
#ifndef NEASIM_PRECISION_H
#define NEASIM_PRECISION_H

#include "neasim/accum.h"
#include "neasim/briefing.h"
#include "neasim/model.h"
#include "neasim/paired.h"

/* The probability that outcome `outcome` has occurred by report index `report` (1..n_reports-1);
** in a comparison, its difference in arm `arm` only (1..n_arms-1), or in every arm (arm 0: the
** baseline is never a target, and a target set up without an arm means them all). */
typedef struct {
    int outcome, report, arm;
} nsm_precision_target;

/* The widest half-width and where it is: targets[target], in arm `arm` (0 for a run). half_width
** is NaN (and target -1) when some target has no interval yet (no replications; for a difference,
** fewer than two) or there are no targets. */
typedef struct {
    double half_width;
    int target, arm;
} nsm_precision_widest;

/* A run: the 95% interval of each target (its arm is not read), (ci_high - ci_low) / 2 of its
** `occurred_by` row in outcomes.csv (the Wilson interval is not symmetric: this is its mean
** half-width); with the draws of a two-level run, the interval of the mean over the draws,
** which counts the draws (nsm_series_proportion). scratch: the caller's room for
** m->n_reports + 1 counts, as for nsm_precision_interactions below. */
nsm_precision_widest nsm_precision_run(const nsm_model *m, const nsm_accum *a,
                                       const nsm_precision_target *targets, int n_targets,
                                       int64_t *scratch);

/* A comparison: the paired difference of each target between every arm 1..n_arms-1 (or the
** target's own arm) and arm 0, its 95% half-width 1.96 std_error = (ci_high - ci_low) / 2 of its
** `occurred_by` row in differences.csv (with the draws of a two-level comparison, the interval
** of the mean change over the draws). acc[a] and paired[a] as nsm_compare_run fills them; with
** one arm there is nothing to compare and the half-width is 0; NaN (target -1) when no target is
** of an arm 1..n_arms-1. */
nsm_precision_widest nsm_precision_compare(const nsm_model *m, const nsm_accum *const *acc,
                                           nsm_paired *const *paired, int n_arms,
                                           const nsm_precision_target *targets, int n_targets);

/* The interactions of two levers (`--precision-for interactions`): interaction k's estimate at
** each target's outcome and report (its arm is not read), from in[k] (briefing.h), its 95%
** half-width (ci_high_pp - ci_low_pp) / 2 of its row in interactions.csv (in percentage points
** there). `arm` of the widest is the interaction's index k. NaN (target -1) as above. scratch:
** the caller's room for m->n_reports + 1 counts, allocated once before the batches, so that the
** rule after each batch allocates nothing (a failure there could only say "not yet", and the run
** would stop a batch late). */
nsm_precision_widest nsm_precision_interactions(const nsm_model *m,
                                                const nsm_interaction_inputs *in, int n_in,
                                                const nsm_precision_target *targets,
                                                int n_targets, int64_t *scratch);

#endif
