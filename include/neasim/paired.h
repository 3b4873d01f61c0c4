/*
** paired.h: what a paired comparison needs beyond each arm's own accumulator.
**
** For a binary quantity (an outcome holds; it has occurred) the paired difference D = A - B of an
** arm A and the baseline B in one replication is -1, 0 or 1, so its mean and variance follow from
** the counts of A, of B, and of replications where both hold: Var(D) comes from
** sum(D^2) = n_A + n_B - 2 n_AB. For counted events the accumulator keeps sum(D^2) of the
** cumulative counts directly. Everything is an integer difference array over report indices, so
** paired accumulators merge exactly, like nsm_accum.
**
** Ownership: nsm_paired_alloc returns an object freed with nsm_paired_free; it borrows the model.
*/
#ifndef NEASIM_PAIRED_H
#define NEASIM_PAIRED_H

#include <stdint.h>

#include "neasim/accum.h"
#include "neasim/arms.h"
#include "neasim/engine.h"
#include "neasim/model.h"
#include "neasim/rivals.h"
#include "neasim/status.h"

typedef struct nsm_paired nsm_paired;

nsm_paired *nsm_paired_alloc(const nsm_model *m);
void nsm_paired_free(nsm_paired *p);

/* Add one replication, given the traces of the baseline and of the arm (engine.h). */
void nsm_paired_add(nsm_paired *p, const nsm_trace *base, const nsm_trace *arm);
/* NSM_ERR_NOMEM only when `from` holds draws and `into` could not make room for them. */
nsm_status nsm_paired_merge(nsm_paired *into, const nsm_paired *from);
/* Back to no replications (as after nsm_paired_alloc), keeping the memory. */
void nsm_paired_reset(nsm_paired *p);

/* Series over report indices 0..n_reports-1: replications where the outcome holds in both arms;
** where it has occurred in both; sum over replications of D^2 for an event's cumulative count. */
void nsm_paired_both_held(const nsm_paired *p, int o, int64_t *out);
void nsm_paired_both_occurred(const nsm_paired *p, int o, int64_t *out);
/* The same at one report index i (prefix sums, O(i)). */
int64_t nsm_paired_both_held_count(const nsm_paired *p, int o, int i);
int64_t nsm_paired_both_occurred_count(const nsm_paired *p, int o, int i);
void nsm_paired_event_d2(const nsm_paired *p, int e, int64_t *out);

/* The draws of a two-level comparison (compare --outer; accum.h explains why): add one whole
** draw's paired accumulator, whose arms' own accumulators of the draw are base and arm, keeping
** beside its counts the sum over the draws of the draw's difference arm - baseline squared, for
** an outcome held (NSM_SERIES_HELD) and occurred (NSM_SERIES_OCCURRED) and an event's cumulative
** count (NSM_SERIES_CUMULATIVE). NSM_ERR_NOMEM. */
nsm_status nsm_paired_add_draw(nsm_paired *into, const nsm_paired *draw, const nsm_accum *base,
                               const nsm_accum *arm);
/* The draws added (0: a one-level comparison). */
uint64_t nsm_paired_draws(const nsm_paired *p);
/* Over the N >= 1 draws, sum_j (D_j - total / N)^2 at report i, D_j draw j's difference (arm's
** total - baseline's) and total = sum_j D_j, the difference over all replications; exact in
** integers (NaN for a series not kept). */
double nsm_paired_draw_ss(const nsm_paired *p, nsm_series_kind kind, int k, int i, int64_t total);

/* The arms of a comparison simulated on common random numbers (sim/run.c).
**
** Replication r of every arm uses the same seed, replication number and per-process streams, so a
** lever that changes one hazard perturbs only the paths that depend on it, and the paired
** difference of an arm and the baseline has a far smaller variance than that of two independent
** runs. Arm 0 must be the baseline (arms.h builds it so); it is byte-identical to nsm_run with the
** same seed. acc[a] (one per arm) and paired[a] (for a >= 1; paired[0] may be NULL) are allocated by the
** caller and receive the results. */
nsm_status nsm_compare_run(const nsm_model *m, const nsm_arm *arms, int n_arms,
                           const nsm_run_config *config, nsm_accum **acc, nsm_paired **paired,
                           nsm_run_stats *stats, nsm_diag *diag);

/* The same with whole scenarios as arms (`neasim compare A B ...`): arm a runs models[a] (which
** nsm_models_align made report alike; arms from nsm_arms_of_scenarios). Replication r of every
** scenario uses the same seed and replication number, and each process draws from the stream of
** its name, so processes that the scenarios share stay paired and one that a scenario changes
** perturbs only the paths that depend on it. acc[a] and paired[a] (a >= 1) are allocated by the
** caller on models[0]. Arm 0 is byte-identical to nsm_run of models[0]. */
nsm_status nsm_compare_models(const nsm_model *const *models, const nsm_arm *arms, int n_arms,
                              const nsm_run_config *config, nsm_accum **acc, nsm_paired **paired,
                              nsm_run_stats *stats, nsm_diag *diag);
/* What a comparison accumulates besides every arm's totals: paired[k] (allocated by the caller,
** k < n) the traces of arms arm[k][0] and arm[k][1] in that order, as nsm_paired_add(base,
** arm), and rivals (NULL: none; allocated by the caller for the n_arms arms) every two arms at
** the briefing's horizons (rivals.h). nsm_compare_run is the pairs (0, a) alone. The interaction
** of two levers needs the pairs among a, b and a+b too (briefing.h). */
typedef struct {
    int n;
    const int (*arm)[2];
    nsm_paired **paired;
    nsm_rivals *rivals;
} nsm_pairings;

/* The arms with any pairings: of model m (models NULL), or arm a of models[a] as
** nsm_compare_models; in batches (engine.h, nsm_batches; NULL: in one go), whose enough(ctx)
** reads acc and the pairings, which hold every arm's whole batches so far. */
nsm_status nsm_compare_run_pairs(const nsm_model *m, const nsm_model *const *models,
                                 const nsm_arm *arms, int n_arms, const nsm_run_config *config,
                                 const nsm_batches *batches, nsm_accum **acc,
                                 const nsm_pairings *pairs, nsm_run_stats *stats,
                                 nsm_diag *diag);

#endif
