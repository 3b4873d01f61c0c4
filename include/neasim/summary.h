/*
** summary.h: the series every output table is made of, derived from accumulators in one place
** each (src/summary/): whether an outcome has occurred by each report date, and paired differences
** between an arm and the baseline. Writers only serialize what these return; the intervals and
** count summaries of single numbers are in stats.h.
*/
#ifndef NEASIM_SUMMARY_H
#define NEASIM_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "neasim/accum.h"
#include "neasim/model.h"
#include "neasim/paired.h"
#include "neasim/stats.h"

/* Replications in which outcome o has occurred by report date i, into out[i] for
** i = 0..n_reports-1, and out[n_reports] = every replication (those in which it never occurred
** included). out has n_reports + 1 entries, owned by the caller. Integer sums: exact. */
void nsm_occurred_by(const nsm_model *m, const nsm_accum *a, int o, int64_t *out);

/* The share k / runs of a's replications at column i of series (kind, item) (accum.h: k is the
** series' value there), with its standard error and 95% interval: Wilson's for independent
** replications; for the draws of a two-level run (--outer) the interval of the mean over the
** draws, which counts the draws (stats.h, nsm_draws_proportion). */
nsm_proportion nsm_series_proportion(const nsm_accum *a, nsm_series_kind kind, int item, int i,
                                     int64_t k);

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

/* Two arms of one comparison, a and b, each paired with the same baseline, on outcome o (occurred
** by) at report i: the difference p_a - p_b of all n replications, which is arm a's effect minus
** arm b's. d.baseline is p_b and d.arm p_a. The paired variance needs the replications where the
** outcome has occurred in both arms: `both` (-1: not known) is that count, which a comparison
** keeps for every two arms at the briefing's horizons (rivals.h),
** and then the interval is exact as every paired interval is. Without it, the number of
** replications where A != B is not known, and the largest that the counts allow is used: pa and
** pb (each arm's pair with the baseline) give how many of the replications where the baseline's
** outcome has occurred, and of the others, each arm's has, and among m replications in which A
** holds in x and B in y they differ in at most min(x + y, 2m - x - y), whatever the pairing
** within. The variance grows with #(A != B), so the interval is never narrower than the exact one
** (tests/test_interactions.c). *exact (may be NULL) receives 1 when `both` gave it, else 0. */
nsm_difference nsm_difference_arms(const nsm_accum *base, const nsm_accum *a, const nsm_accum *b,
                                   const nsm_paired *pa, const nsm_paired *pb, int64_t both,
                                   int o, int i, int *exact);

/* The sum of two arms' changes, (p_a - p_0) + (p_b - p_0), on outcome o (occurred by) at report
** i over the same n paired replications, with its standard error: how two changes of opposite
** signs are set side by side by size (|d_a| - |d_b| = +-(d_a + d_b)). Per replication
** Y = A + B - 2 B0, so sum Y^2 needs the replications where the outcome has occurred in both of
** every two of the three arms: ab, a0 and b0 (rivals.h). d.diff is the sum; d.baseline, d.arm
** and d.vrf NaN; lo and hi d.diff -+ 1.96 se. */
nsm_difference nsm_difference_changes(const nsm_accum *base, const nsm_accum *a,
                                      const nsm_accum *b, int64_t ab, int64_t a0, int64_t b0,
                                      int o, int i);

/* d, of all the replications of N >= 2 draws of the uncertain numbers, as the mean over the draws
** (compare --outer: the runs of a draw share its numbers): x[j * stride] - y[j * stride] is the
** quantity under draw j; se becomes max(d.se, their sd / sqrt(N)) and the interval d.diff -+
** t(N - 1) se. One draw or fewer: d as it is. */
void nsm_difference_over_draws(nsm_difference *d, const double *x, const double *y, size_t stride,
                               size_t n_draws);

/* Counted event e: the paired difference of its mean cumulative count at every report date,
** into out[1..n_reports-1] (out[0], the start, is NaN). 0, or -1 when out of memory. */
int nsm_difference_event_series(const nsm_model *m, const nsm_accum *base, const nsm_accum *arm,
                                const nsm_paired *p, int e, nsm_difference *out);

/* The report dates that a comparison's, a sweep's or run --outer's horizons stand for, ascending
** (the command line fills them: cli/options.c, nsm_cli_horizons). At most NSM_MAX_HORIZONS. */
enum { NSM_MAX_HORIZONS = 16 };
typedef struct {
    int n;
    int idx[NSM_MAX_HORIZONS];       /* report indices, ascending */
    double years[NSM_MAX_HORIZONS];  /* the horizons kept, in years */
} nsm_horizons;


/* The judgment spread of one quantity over the n draws of the uncertain numbers (compare --outer):
** v[j] is its value under draw j (for an effect, the paired difference arm - baseline in draw j),
** mc_se[j] (may be NULL) the Monte Carlo standard error of v[j]. Quantiles are GSL's (linear
** interpolation between order statistics); shares count draws with v[j] < 0 and v[j] > 0 exactly
** (a draw with v[j] == 0 is in neither). mean_se = sd / sqrt(n) is the standard error of the mean
** over draws: the draws are independent, the replications within one draw are not. v is sorted
** in place; n >= 1 (sd, mean_se are NaN for n = 1). */
typedef struct {
    double mean, sd, mean_se;
    double q05, q50, q95;
    double below, above;   /* shares of the draws with v < 0, v > 0 */
    double monte_carlo_sd; /* sqrt(mean of mc_se[j]^2): the noise of one draw's value; NaN if none */
} nsm_judgment;

nsm_judgment nsm_judgment_of(double *v, const double *mc_se, size_t n);

/* Whether a judgment range is mostly the Monte Carlo noise of one draw rather than judgment, for
** values whose sd over the draws is between_sd and whose noise within one draw has sd noise_sd: 1
** when the values spread (between_sd > 0) and the noise's variance is at least half of theirs
** (2 x noise_sd^2 >= between_sd^2), so that what the uncertain numbers add, between_sd^2 -
** noise_sd^2 by the law of total variance, is at most the noise's own; 0 otherwise and when the
** noise is not known (NaN). More replications a draw shrink the noise and not the judgment. The
** one home of the rule: the marks '?' of the printed summary and briefing, the
** judgment_mostly_noise columns of uncertainty.csv, briefing.csv and uncertainty_differences.csv,
** and through them the brief's "(mostly noise)". */
int nsm_mostly_noise(double between_sd, double noise_sd);

/* nsm_mostly_noise of an effect's spread over the draws (sd, monte_carlo_sd). */
int nsm_judgment_mostly_noise(const nsm_judgment *j);

/* How much of the distribution of a draw's value a 5-95% judgment range from n draws holds on
** average: 0.9 (n - 1) / (n + 1), less than the 90% its name says, because a few draws seldom
** reach the tails. GSL's q quantile is order statistic k = q (n - 1) + 1 (linear between two), and
** the k-th of n draws lies on average at the k / (n + 1) point of their distribution (F(X_(k)) is
** Beta(k, n + 1 - k) for any continuous F), so the 95% and 5% points lie 0.9 (n - 1) / (n + 1)
** apart on average: exactly for a uniform, within about a point from 20 draws on for skewed ones
** (tests/test_judgment.c). 0 for n <= 1. manifest.csv's judgment_range_coverage. */
double nsm_judgment_range_coverage(uint64_t n);

/* That share in whole percent, rounded half up exactly: floor(90 (n - 1) / (n + 1) + 1/2) (81 for
** 20 draws), as the printed summaries and the brief say it. */
int nsm_judgment_range_coverage_pct(uint64_t n);

/* Fewer draws than this make a judgment range hold on average under 87.5% of a draw's
** distribution (nsm_judgment_range_coverage_pct at most 87): the printed summaries say so. */
enum { NSM_JUDGMENT_FEW_DRAWS = 71 };

#endif
