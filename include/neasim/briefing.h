/*
** briefing.h: what the briefing table says about each effect (src/summary/briefing.c): whether a
** lever helps, by how much in the outcome's desirable direction, its rank among the levers, and
** the interaction of two levers in a factorial comparison (a+b minus a minus b) with its paired
** interval. Writers (output/compare.c) and the printed table (cli/compare.c) only show these.
*/
#ifndef NEASIM_BRIEFING_H
#define NEASIM_BRIEFING_H

#include <stdint.h>

#include "neasim/accum.h"
#include "neasim/model.h"
#include "neasim/paired.h"
#include "neasim/summary.h"

/* What a change means for an outcome: it helps or hurts (the outcome has a desirable direction
** and the change is distinguishable from zero), it changes the outcome (no direction), or it is
** not distinguishable from no change. */
typedef enum { NSM_VERDICT_UNCLEAR, NSM_VERDICT_HELPS, NSM_VERDICT_HURTS, NSM_VERDICT_CHANGES }
    nsm_verdict;

/* "unclear", "helps", "hurts", "changes". */
const char *nsm_verdict_name(nsm_verdict v);

/* How much a change `diff` helps an outcome whose desirable direction is `dir`: -diff for
** lower, +diff for higher, |diff| for none (the size of the change, for ranking). */
double nsm_help(double diff, nsm_desirable dir);

nsm_verdict nsm_verdict_of(const nsm_difference *d, nsm_desirable dir);

/* Rank n effects on one outcome: order[0..n-1] receives the indices 0..n-1 with the
** distinguishable effects first, by help (nsm_help) from the largest down, ties in index order,
** then the others in index order; rank[k] (may be NULL) is effect k's place among the
** distinguishable ones, 1 for the largest help, and 0 for an effect that is not distinguishable.
** Returns the number of distinguishable effects. */
int nsm_rank_effects(const nsm_difference *d, int n, nsm_desirable dir, int *order, int *rank);

/* The interaction of levers a and b on a binary quantity, I = Y(a+b) - Y(a) - Y(b) + Y(base)
** per replication, from counts over `runs` paired replications (nsm_interaction_counts):
** count[k] is the number of replications with Y = 1 in arm k (0 base, 1 a, 2 b, 3 a+b) and
** both[k][j] (k < j) the number with Y = 1 in both arms k and j. The result's baseline and arm are NaN, diff the mean of I,
** se its standard error sqrt(Var(I) / runs) (the sample variance, divisor runs - 1, as for the
** paired differences), lo and hi diff -+ 1.96 se, vrf NaN. sum I^2 follows from the counts:
** I^2 = sum_k Y_k + 2 sum_{k<j} s_k s_j Y_k Y_j with signs s = (+1, -1, -1, +1), as Y_k^2 = Y_k. */
typedef struct {
    int64_t runs;
    int64_t count[4];
    int64_t both[4][4]; /* [k][j], k < j */
} nsm_interaction_counts;

nsm_difference nsm_interaction_binary(const nsm_interaction_counts *c);

/* The interaction of two levers on whether outcome o has occurred by report i, from the
** accumulators of the four arms (acc[0] base, [1] a, [2] b, [3] a+b) and the paired accumulators
** of every pair of them, pair[k][j] for k < j, each accumulated as (arm k, arm j)
** (nsm_compare_run_pairs). scratch: the caller's room for m->n_reports + 1 counts, so that a
** table of interactions allocates once and can say when memory ran out (it was allocated here,
** and a failure came back as NaN, written as NA with exit 0). */
typedef struct {
    const nsm_accum *acc[4];
    const nsm_paired *pair[4][4];
} nsm_interaction_inputs;

nsm_difference nsm_interaction_outcome(const nsm_model *m, const nsm_interaction_inputs *in,
                                       int o, int i, int64_t *scratch);

#endif
