/*
** stats.h: the summary statistics of the outputs, computed from integer counts.
*/
#ifndef NEASIM_STATS_H
#define NEASIM_STATS_H

#include <stdint.h>

/* A proportion k/n with its standard error sqrt(p(1-p)/n) and Wilson score 95% interval
** (Wilson 1927; Brown, Cai and DasGupta 2001 recommend it over the Wald interval). All NaN if n=0. */
typedef struct {
    double p, se, lo, hi;
} nsm_proportion;

nsm_proportion nsm_wilson(int64_t k, int64_t n);

/* The Wilson interval of a proportion p estimated with the precision of n_eff independent trials
** (its variance p (1 - p) / n_eff), at the normal or t quantile z: for an estimate from clustered
** replications (run --outer's draws), n_eff = p (1 - p) / Var(estimate), Kish's effective sample
** size. An end at p = 0 or p = 1 is exact. nsm_wilson(k, n) is this at p = k / n, n_eff = n and
** the normal 97.5% quantile. */
nsm_proportion nsm_wilson_eff(double p, double n_eff, double z);

/* Moments and quantiles of a count distribution given as a histogram hist[0..n_values-1]
** (replications with each count). Quantiles are the inverse of the empirical distribution function
** (R's type 1): the smallest count c with F(c) >= q. */
typedef struct {
    double mean, sd, mean_se;
    int64_t q05, q25, q50, q75, q95;
    double p_positive; /* P(count >= 1) */
} nsm_count_summary;

nsm_count_summary nsm_count_summarize(const int64_t *hist, int64_t n_values);

#endif
