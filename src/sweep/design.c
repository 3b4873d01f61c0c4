/*
** design.c: Latin hypercube, Saltelli/Jansen Sobol and full factorial designs (see design.h).
*/
#include "neasim/design.h"

#include <gsl/gsl_qrng.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

/* GSL's Sobol generator counts points in 30 bits. */
#define SOBOL_MAX_POINTS ((size_t)1 << 30)

/* A uniform position inside stratum k of n. The quotient can round up to the stratum's upper
** edge, which belongs to the next stratum: step back below it. */
static double in_stratum(gsl_rng *rng, size_t k, size_t n)
{
    double nn = (double)n, hi = (double)(k + 1) / nn;
    double u = ((double)k + gsl_rng_uniform_pos(rng)) / nn;
    return u < hi ? u : nextafter(hi, 0.0);
}

int nsm_design_lhs(gsl_rng *rng, size_t n, size_t d, double *u)
{
    if (n == 0 || d == 0)
        return 0;
    size_t *perm = malloc(n * sizeof *perm);
    if (!perm)
        return -1;
    for (size_t j = 0; j < d; j++) {
        for (size_t k = 0; k < n; k++)
            perm[k] = k;
        gsl_ran_shuffle(rng, perm, n, sizeof *perm);
        for (size_t r = 0; r < n; r++)
            u[r * d + j] = in_stratum(rng, perm[r], n);
    }
    free(perm);
    return 0;
}

/* Row r of A, B and every AB_i from one 2d-dimensional Sobol point x. */
static void sobol_rows(const double *x, size_t r, size_t n, size_t d, double *u)
{
    for (size_t j = 0; j < d; j++) {
        u[r * d + j] = x[j];
        u[(n + r) * d + j] = x[d + j];
    }
    for (size_t i = 0; i < d; i++) {
        double *row = u + ((2 + i) * n + r) * d;
        for (size_t j = 0; j < d; j++)
            row[j] = j == i ? x[d + j] : x[j];
    }
}

int nsm_design_sobol(size_t n, size_t d, double *u)
{
    if (d == 0 || d > NSM_DESIGN_SOBOL_MAX_DIM || n == 0 || n >= SOBOL_MAX_POINTS)
        return -1;
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned int)(2 * d));
    if (!q)
        return -1;
    double x[2 * NSM_DESIGN_SOBOL_MAX_DIM];
    int status = gsl_qrng_get(q, x); /* the first point is all zeros: skip it */
    for (size_t r = 0; r < n && status == 0; r++) {
        status = gsl_qrng_get(q, x);
        if (status == 0)
            sobol_rows(x, r, n, d, u);
    }
    gsl_qrng_free(q);
    return status == 0 ? 0 : -1;
}

size_t nsm_design_grid(const size_t *levels, size_t d, size_t max_points, size_t *idx)
{
    size_t total = 1;
    for (size_t i = 0; i < d; i++) {
        if (levels[i] == 0 || total > max_points / levels[i])
            return 0;
        total *= levels[i];
    }
    if (total > max_points)
        return 0;
    if (!idx || d == 0)
        return total;
    size_t *digit = idx; /* point 0 is all zeros; each next point counts up from the last */
    for (size_t i = 0; i < d; i++)
        digit[i] = 0;
    for (size_t p = 1; p < total; p++) {
        size_t *next = idx + p * d;
        for (size_t i = 0; i < d; i++)
            next[i] = digit[i];
        for (size_t i = d; i-- > 0;) {
            if (++next[i] < levels[i])
                break;
            next[i] = 0;
        }
        digit = next;
    }
    return total;
}

void nsm_design_grid_point(const size_t *levels, size_t d, size_t p, size_t *idx)
{
    for (size_t i = d; i-- > 0;) {
        idx[i] = p % levels[i];
        p /= levels[i];
    }
}
