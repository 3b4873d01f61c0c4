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

/* A paired difference between an arm and the baseline at one report date. */
typedef struct {
    double baseline, arm;  /* probabilities, or mean counts */
    double diff, se, lo, hi;
    double vrf;            /* variance reduction by pairing: (Var A + Var B) / Var(A - B); NaN if
                           ** Var(A - B) = 0 */
} nsm_difference;

/* Outcome o at every report date into out[0..n_reports-1]: measure 0 = holds, 1 = occurred by
** then. 0, or -1 when out of memory. */
int nsm_difference_series(const nsm_model *m, const nsm_accum *base, const nsm_accum *arm,
                          const nsm_paired *p, int o, int measure, nsm_difference *out);

/* The same at one report date i. */
nsm_difference nsm_difference_outcome(const nsm_model *m, const nsm_accum *base,
                                      const nsm_accum *arm, const nsm_paired *p, int o,
                                      int measure, int i);

/* Report indices of the horizons in years (2, 5, 10 by default) that fall within the model's
** horizon; returns how many. */
int nsm_horizon_indices(const nsm_model *m, const double *years, int n_years, int *idx,
                        double *kept_years);

/* Write differences.csv, briefing.csv and arms.csv of a comparison into dir. */
nsm_status nsm_compare_write(const char *dir, const nsm_model *m, const nsm_arm *arms, int n_arms,
                             const nsm_accum *const *acc, nsm_paired *const *paired,
                             const double *horizons, int n_horizons, int bom, nsm_diag *diag);

#endif
