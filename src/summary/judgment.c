/*
** judgment.c: the spread of a quantity over draws of the uncertain numbers (summary.h). A
** two-level run gives one value a draw; its quantiles are the judgment interval, as opposed to the
** Monte Carlo interval of the mean.
*/
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>

#include "neasim/summary.h"

nsm_judgment nsm_judgment_of(double *v, const double *mc_se, size_t n)
{
    nsm_judgment r = {NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN};
    if (n == 0)
        return r;
    size_t below = 0, above = 0;
    double mc2 = 0;
    for (size_t j = 0; j < n; j++) {
        below += v[j] < 0;
        above += v[j] > 0;
        if (mc_se)
            mc2 += mc_se[j] * mc_se[j] / (double)n;
    }
    r.mean = gsl_stats_mean(v, 1, n);
    if (n > 1) {
        r.sd = gsl_stats_sd_m(v, 1, n, r.mean);
        r.mean_se = r.sd / sqrt((double)n);
    }
    gsl_sort(v, 1, n);
    r.q05 = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.05);
    r.q50 = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.5);
    r.q95 = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.95);
    r.below = (double)below / (double)n;
    r.above = (double)above / (double)n;
    if (mc_se)
        r.monte_carlo_sd = sqrt(mc2);
    return r;
}

int nsm_mostly_noise(double between_sd, double noise_sd)
{
    /* NaN between_sd (one draw) fails the test too */
    return !isnan(noise_sd) && between_sd > 0 && 2 * noise_sd * noise_sd >= between_sd * between_sd;
}

int nsm_judgment_mostly_noise(const nsm_judgment *j)
{
    return nsm_mostly_noise(j->sd, j->monte_carlo_sd);
}

double nsm_judgment_range_coverage(uint64_t n)
{
    return n > 1 ? 0.9 * (double)(n - 1) / (double)(n + 1) : 0;
}

int nsm_judgment_range_coverage_pct(uint64_t n)
{
    /* in integers, so that a half (82.5 at 23 draws) rounds up, never down by a float's last bit */
    return n > 1 ? (int)((180 * (n - 1) + (n + 1)) / (2 * (n + 1))) : 0;
}
