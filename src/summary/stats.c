/*
** stats.c: see stats.h.
*/
#include "neasim/stats.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

nsm_proportion nsm_wilson_eff(double p, double nn, double z)
{
    if (!(nn > 0))
        return (nsm_proportion){NAN, NAN, NAN, NAN};
    double z2 = z * z;
    double denom = 1.0 + z2 / nn;
    double centre = (p + z2 / (2.0 * nn)) / denom;
    double half = z / denom * sqrt(p * (1.0 - p) / nn + z2 / (4.0 * nn * nn));
    double lo = p == 0 ? 0.0 : centre - half, hi = p == 1 ? 1.0 : centre + half; /* exact ends */
    return (nsm_proportion){p, sqrt(p * (1.0 - p) / nn), lo < 0 ? 0 : lo, hi > 1 ? 1 : hi};
}

nsm_proportion nsm_wilson(int64_t k, int64_t n)
{
    if (n <= 0)
        return (nsm_proportion){NAN, NAN, NAN, NAN};
    return nsm_wilson_eff((double)k / (double)n, (double)n, gsl_cdf_ugaussian_Pinv(0.975));
}

nsm_proportion nsm_draws_interval(double p, double between_var, uint64_t n_draws, uint64_t runs)
{
    if (n_draws == 0 || runs == 0)
        return (nsm_proportion){NAN, NAN, NAN, NAN};
    double total = p * (1 - p), all = (double)n_draws * (double)runs;
    double se2 = between_var / (double)n_draws, pooled = total / all;
    se2 = se2 > pooled ? se2 : pooled;
    double z = n_draws > 1 ? gsl_cdf_tdist_Pinv(0.975, (double)(n_draws - 1))
                           : gsl_cdf_ugaussian_Pinv(0.975);
    nsm_proportion w = nsm_wilson_eff(p, se2 > 0 ? total / se2 : all, z);
    w.se = sqrt(se2); /* what nsm_wilson_eff gives back, without its rounding */
    return w;
}

nsm_proportion nsm_draws_proportion(int64_t k, int64_t n, uint64_t n_draws, double ss)
{
    if (n <= 0 || n_draws == 0)
        return (nsm_proportion){NAN, NAN, NAN, NAN};
    double runs = (double)n / (double)n_draws; /* a draw's replications */
    double between = n_draws > 1 ? ss / (runs * runs) / (double)(n_draws - 1) : 0.0;
    return nsm_draws_interval((double)k / (double)n, between, n_draws,
                              (uint64_t)n / n_draws);
}

double nsm_draws_mean_se(double pooled_se, int64_t n, uint64_t n_draws, double ss)
{
    if (n <= 0 || n_draws < 2)
        return pooled_se;
    double runs = (double)n / (double)n_draws;
    double se = sqrt(ss / (runs * runs) / (double)(n_draws - 1) / (double)n_draws);
    return se > pooled_se || isnan(pooled_se) ? se : pooled_se;
}

/* Smallest count whose cumulative frequency reaches pct percent of n, in integers. */
static int64_t quantile(const int64_t *hist, int64_t n_values, int64_t n, int pct)
{
    int64_t cum = 0;
    for (int64_t c = 0; c < n_values; c++) {
        cum += hist[c];
        if (cum * 100 >= (int64_t)pct * n)
            return c;
    }
    return n_values - 1;
}

nsm_count_summary nsm_count_summarize(const int64_t *hist, int64_t n_values)
{
    nsm_count_summary s = {NAN, NAN, NAN, 0, 0, 0, 0, 0, NAN};
    int64_t n = 0;
    double sum = 0.0;
    for (int64_t c = 0; c < n_values; c++) {
        n += hist[c];
        sum += (double)c * (double)hist[c];
    }
    if (n == 0)
        return s;
    s.mean = sum / (double)n;
    double ss = 0.0;
    for (int64_t c = 0; c < n_values; c++)
        ss += (double)hist[c] * ((double)c - s.mean) * ((double)c - s.mean);
    s.sd = n > 1 ? sqrt(ss / (double)(n - 1)) : (double)NAN;
    s.mean_se = n > 1 ? s.sd / sqrt((double)n) : (double)NAN;
    s.q05 = quantile(hist, n_values, n, 5);
    s.q25 = quantile(hist, n_values, n, 25);
    s.q50 = quantile(hist, n_values, n, 50);
    s.q75 = quantile(hist, n_values, n, 75);
    s.q95 = quantile(hist, n_values, n, 95);
    s.p_positive = (double)(n - hist[0]) / (double)n;
    return s;
}
