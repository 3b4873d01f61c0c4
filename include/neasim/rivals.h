/*
** rivals.h: every two arms of a comparison, side by side at the briefing's horizons.
**
** The briefing sets each lever beside the best (nsm_comparison_rival): the interval of the two
** arms' difference in the probability that an outcome has occurred by a horizon. That difference
** is paired (both arms ran the same replications), and its variance needs the replications in
** which the outcome has occurred in both: #(A != B) = n_A + n_B - 2 n_AB. A paired accumulator
** (paired.h) keeps that and much more (held spans, every report date, the events' squared
** differences: about 3,650 instructions a pair and replication on the baseline), which is why
** only comparisons of at most 8 levers' arms could afford one for every two of them. This keeps
** n_AB alone, for every pair of arms, outcome and horizon, so that every two arms of a
** comparison are set side by side exactly (the command line keeps them while they take at most
** 128 MiB: cli/compare.c). Measured with callgrind (compare --levers all on the
** baseline, 300 replications, 1 thread): 11,100 instructions a replication for its 36 pairs x 15
** outcomes x 4 horizons, 0.5% of the comparison, where the 28 paired accumulators they replace
** took 102,000 (the comparison 714.9 M -> 685.4 M instructions, -4.1%; issue 14). The pairs grow
** as the square of the arms: a factorial of the baseline's 8 levers (256 arms, 32,640 pairs, 20
** runs) spends 6.7% of its instructions here, and about 20 MB a thread.
**
** Counts are integers in difference arrays over the horizons, so accumulators merge exactly
** (threads, batches, shards, MPI ranks), as nsm_accum does.
**
** Ownership: nsm_rivals_alloc returns an object freed with nsm_rivals_free; it borrows the model
** and copies the horizons.
*/
#ifndef NEASIM_RIVALS_H
#define NEASIM_RIVALS_H

#include <stdint.h>

#include "neasim/accum.h"
#include "neasim/engine.h"
#include "neasim/model.h"

typedef struct nsm_rivals nsm_rivals;

/* For n_arms arms of model m (the one whose outcomes the traces index) at the report indices
** idx[0] < idx[1] < ... < idx[n_h - 1] (1 <= n_h <= 64). NULL when out of memory or the
** horizons are not so. */
nsm_rivals *nsm_rivals_alloc(const nsm_model *m, int n_arms, const int *idx, int n_h);
/* Another, empty, of the same shape. */
nsm_rivals *nsm_rivals_alloc_like(const nsm_rivals *r);
void nsm_rivals_free(nsm_rivals *r);

/* One replication of every arm: trace[a] is arm a's (nsm_sim_trace). */
void nsm_rivals_add(nsm_rivals *r, const nsm_trace *const *trace);
/* Add `from` (the same shape) into `into`. */
void nsm_rivals_merge(nsm_rivals *into, const nsm_rivals *from);
/* Back to no replications, keeping the memory. */
void nsm_rivals_reset(nsm_rivals *r);

/* Replications in which outcome o has occurred by horizon h in both arms a and b (a != b). */
int64_t nsm_rivals_both(const nsm_rivals *r, int a, int b, int o, int h);

#endif
