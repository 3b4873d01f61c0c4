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

/* A proportion averaged over the N draws of a two-level run (--outer), each of `runs`
** replications: p the mean, between_var the variance of the draws' proportions (N - 1 in the
** denominator). The draws are a sample of the judgments and a draw's replications share its
** numbers, so the mean's standard error is sqrt(between_var / N), never below the binomial one of
** all N x runs replications (which is all there is with one draw), and its 95% interval is
** Wilson's with that precision (Kish's effective n, nsm_wilson_eff) at the t quantile of N - 1
** degrees of freedom (the normal one for N = 1, where this is nsm_wilson). The pooled interval
** treats the N x runs replications as independent and is too narrow when the draws differ. */
nsm_proportion nsm_draws_interval(double p, double between_var, uint64_t n_draws, uint64_t runs);

/* The same from an accumulator of draws' integers: k of n replications in all over N draws,
** ss = sum over the draws of (k_j - k / N)^2 (accum.h, nsm_accum_draw_ss). */
nsm_proportion nsm_draws_proportion(int64_t k, int64_t n, uint64_t n_draws, double ss);

/* The standard error of a mean count over the N draws of n replications in all (n / N a draw):
** the sd of the draws' means / sqrt(N), never below `pooled_se` (sd / sqrt(n), the replications
** taken as independent). ss = sum over the draws of (S_j - S / N)^2, S_j a draw's sum of counts. */
double nsm_draws_mean_se(double pooled_se, int64_t n, uint64_t n_draws, double ss);

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
