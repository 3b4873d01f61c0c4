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
