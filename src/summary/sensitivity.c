/*
** sensitivity.c: Sobol indices from a Saltelli/Jansen design, with percentile bootstrap
** intervals (see sensitivity.h).
**
** One routine computes every index from a list of rows; the point estimate uses each row once and
** each bootstrap resample a list drawn with replacement, so both follow one code path.
*/
#include "neasim/sensitivity.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>

typedef struct {
    const double *y;
    size_t n, d;
    double *scratch; /* 2n values: yA then yB of the rows in use, for V (written by estimate) */
} design_output;

/* S_i and T_i from rows[0..n) (NULL: each row once, in order). Returns -1 if V is not positive.
** yB is centred on the mean c of the yA and yB in use: E[yAB_i - yA] = 0, so this changes the
** estimator's expectation by nothing, but without it a constant added to y adds
** c * mean(yAB_i - yA) to the numerator, noise that grows with |c|: a linear model's S_i had
** intervals 3 times wider at its own mean of 2.75, and 100 times wider with 100 added to y
** (SALib standardises y for the same reason). */
static int estimate(const design_output *o, const size_t *rows, double *first, double *total)
{
    size_t n = o->n;
    const double *ya = o->y, *yb = o->y + n;
    for (size_t r = 0; r < n; r++) {
        size_t k = rows ? rows[r] : r;
        o->scratch[r] = ya[k];
        o->scratch[n + r] = yb[k];
    }
    double c = gsl_stats_mean(o->scratch, 1, 2 * n);
    double v = gsl_stats_variance_m(o->scratch, 1, 2 * n, c);
    if (!(v > 0))
        return -1;
    for (size_t i = 0; i < o->d; i++) {
        const double *yab = o->y + (2 + i) * n;
        double s = 0.0, t = 0.0;
        for (size_t r = 0; r < n; r++) {
            size_t k = rows ? rows[r] : r;
            double diff = ya[k] - yab[k];
            s += (yb[k] - c) * (yab[k] - ya[k]);
            t += diff * diff;
        }
        first[i] = s / (double)n / v;
        total[i] = t / (double)n / 2.0 / v;
    }
    return 0;
}

static void fill_nan(double *x, size_t d)
{
    for (size_t i = 0; i < d; i++)
        x[i] = (double)NAN;
}

/* The 2.5% and 97.5% points of each index's m resampled values (stored as d blocks of stride). */
static void percentiles(double *boot, size_t stride, size_t m, size_t d, double *lo, double *hi)
{
    for (size_t i = 0; i < d; i++) {
        double *x = boot + i * stride;
        if (m == 0) {
            lo[i] = hi[i] = (double)NAN;
            continue;
        }
        gsl_sort(x, 1, m);
        lo[i] = gsl_stats_quantile_from_sorted_data(x, 1, m, 0.025);
        hi[i] = gsl_stats_quantile_from_sorted_data(x, 1, m, 0.975);
    }
}

/* The bootstrap's intervals, into lo_hi[0..3] = first_lo, first_hi, total_lo, total_hi. Each
** resample's 2d indices go to boot[j * n_boot + m], j < d for S and j >= d for T, m counting the
** resamples kept: those whose V is 0 (all rows alike, possible only for tiny n) are left out.
** Returns 0, or -2 if out of memory. */
static int bootstrap(const design_output *o, size_t n_boot, gsl_rng *rng, double *const *lo_hi)
{
    size_t n = o->n, d = o->d, m = 0;
    size_t *rows = malloc(n * sizeof *rows);
    double *boot = malloc(2 * d * (n_boot + 1) * sizeof *boot);
    if (!rows || !boot) {
        free(rows);
        free(boot);
        return -2;
    }
    double *st = boot + 2 * d * n_boot; /* one resample's S then T */
    for (size_t b = 0; b < n_boot; b++) {
        for (size_t r = 0; r < n; r++)
            rows[r] = (size_t)gsl_rng_uniform_int(rng, (unsigned long)n);
        if (estimate(o, rows, st, st + d) != 0)
            continue;
        for (size_t j = 0; j < 2 * d; j++)
            boot[j * n_boot + m] = st[j];
        m++;
    }
    percentiles(boot, n_boot, m, d, lo_hi[0], lo_hi[1]);
    percentiles(boot + d * n_boot, n_boot, m, d, lo_hi[2], lo_hi[3]);
    free(rows);
    free(boot);
    return 0;
}

int nsm_sobol_indices(const double *y, size_t n, size_t d, size_t n_boot, gsl_rng *rng,
                      const nsm_sobol_out *out)
{
    double *first = out->first, *total = out->total;
    double *const lo_hi[4] = {out->first_lo, out->first_hi, out->total_lo, out->total_hi};
    fill_nan(first, d);
    fill_nan(total, d);
    for (int j = 0; j < 4; j++)
        fill_nan(lo_hi[j], d);
    if (n < 2)
        return -1;
    design_output o = {y, n, d, malloc(2 * n * sizeof(double))};
    if (!o.scratch)
        return -2;
    int status = estimate(&o, NULL, first, total);
    if (status == 0 && n_boot > 0)
        status = bootstrap(&o, n_boot, rng, lo_hi);
    free(o.scratch);
    return status;
}
