/*
** scores.c: see scores.h. Pure functions of numbers: reading forecasts and observations is
** output/score.c's.
*/
#include "neasim/scores.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>

double nsm_brier(double p, int y)
{
    double d = p - (y ? 1.0 : 0.0);
    return d * d;
}

double nsm_log_score(double p, int y)
{
    double q = y ? p : 1.0 - p;
    return q > 0.0 ? -log(q) : (double)INFINITY;
}

double nsm_crps_counts(const double *pmf, int64_t n, int64_t y)
{
    /* (F(k) - 1{y <= k})^2 is 0 for k >= max(n - 1, y): F is 1 from n - 1 on. */
    double sum = 0.0, cdf = 0.0;
    int64_t last = n - 1 > y ? n - 1 : y;
    for (int64_t k = 0; k < last; k++) {
        cdf += k < n ? pmf[k] : 0.0;
        double d = (k < n - 1 ? cdf : 1.0) - (y <= k ? 1.0 : 0.0);
        sum += d * d;
    }
    return sum;
}

double nsm_mid_pit(const double *pmf, int64_t n, int64_t y)
{
    double below = 0.0;
    for (int64_t k = 0; k < y && k < n; k++)
        below += pmf[k];
    double at = y < n ? pmf[y] : 0.0;
    double pit = below + at / 2.0;
    return pit > 1.0 ? 1.0 : pit;
}

int64_t nsm_pmf_quantile(const double *pmf, int64_t n, double q)
{
    double cdf = 0.0;
    for (int64_t c = 0; c < n; c++) {
        cdf += pmf[c];
        if (cdf >= q - 1e-9)
            return c;
    }
    return n > 0 ? n - 1 : 0;
}

int nsm_in_central_interval(const double *pmf, int64_t n, int64_t y, double level)
{
    return y >= nsm_pmf_quantile(pmf, n, (1.0 - level) / 2.0) &&
           y <= nsm_pmf_quantile(pmf, n, (1.0 + level) / 2.0);
}

nsm_skill nsm_skill_paired(const double *score, const double *ref, int64_t n)
{
    const double na = (double)NAN;
    nsm_skill s = {na, na, na, na, na, n};
    if (n <= 0)
        return s;
    double sum = 0.0, rsum = 0.0;
    for (int64_t i = 0; i < n; i++) {
        sum += score[i];
        rsum += ref ? ref[i] : 0.0;
    }
    s.mean = sum / (double)n;
    if (!ref)
        return s;
    s.ref_mean = rsum / (double)n;
    if (s.ref_mean == 0.0)
        return s;
    s.skill = 1.0 - s.mean / s.ref_mean;
    if (n < 2 || !isfinite(s.ref_mean) || !isfinite(s.mean))
        return s;
    /* Var of the paired differences d_i = ref_i - score_i (two-pass, for accuracy). */
    double dbar = s.ref_mean - s.mean, ss = 0.0;
    for (int64_t i = 0; i < n; i++) {
        double e = (ref[i] - score[i]) - dbar;
        ss += e * e;
    }
    /* Student's t, as the judgment intervals over few draws (stats.c): scores.h says why */
    double half = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * sqrt(ss / (double)(n - 1) / (double)n);
    s.skill_lo = (dbar - half) / s.ref_mean;
    s.skill_hi = (dbar + half) / s.ref_mean;
    /* no skill exceeds 1 (a score is never below 0): the interval ends there */
    s.skill_hi = s.skill_hi > 1.0 ? 1.0 : s.skill_hi;
    return s;
}

nsm_brier_parts nsm_brier_decompose(const double *p, const int *y, int64_t n, int bins)
{
    nsm_brier_parts r = {(double)NAN, (double)NAN, (double)NAN};
    if (n <= 0 || bins < 1)
        return r;
    double *acc = calloc((size_t)bins * 3, sizeof *acc); /* count, sum p, sum y per bin */
    if (!acc)
        return r;
    double obar = 0.0;
    for (int64_t i = 0; i < n; i++) {
        int b = (int)(p[i] * bins);
        b = b < 0 ? 0 : b >= bins ? bins - 1 : b;
        acc[3 * b] += 1.0;
        acc[3 * b + 1] += p[i];
        acc[3 * b + 2] += y[i] ? 1.0 : 0.0;
        obar += y[i] ? 1.0 : 0.0;
    }
    obar /= (double)n;
    double rel = 0.0, res = 0.0;
    for (int b = 0; b < bins; b++) {
        double nk = acc[3 * b];
        if (nk == 0.0)
            continue;
        double pk = acc[3 * b + 1] / nk, ok = acc[3 * b + 2] / nk;
        rel += nk * (pk - ok) * (pk - ok);
        res += nk * (ok - obar) * (ok - obar);
    }
    free(acc);
    r.reliability = rel / (double)n;
    r.resolution = res / (double)n;
    r.uncertainty = obar * (1.0 - obar);
    return r;
}
