/*
** compare.h: the arms of a comparison simulated on common random numbers.
**
** Replication r of every arm uses the same seed, replication number and per-process streams, so a
** lever that changes one hazard perturbs only the paths that depend on it, and the paired
** difference of an arm and the baseline has a far smaller variance than that of two independent
** runs. Arm 0 must be the baseline (arms.h builds it so); it is byte-identical to nsm_run with the
** same seed.
*/
#ifndef NEASIM_COMPARE_H
#define NEASIM_COMPARE_H

#include "neasim/accum.h"
#include "neasim/arms.h"
#include "neasim/engine.h"
#include "neasim/paired.h"

/* acc[a] (one per arm) and paired[a] (for a >= 1; paired[0] may be NULL) are allocated by the
** caller and receive the results. */
nsm_status nsm_compare_run(const nsm_model *m, const nsm_arm *arms, int n_arms,
                           const nsm_run_config *config, nsm_accum **acc, nsm_paired **paired,
                           nsm_run_stats *stats, nsm_diag *diag);

#endif
