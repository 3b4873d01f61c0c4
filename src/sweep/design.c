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

int nsm_design_sobol_open(nsm_design_sobol_seq *s, size_t n, size_t d)
{
    s->q = NULL;
    if (d == 0 || d > NSM_DESIGN_SOBOL_MAX_DIM || n == 0 || n >= SOBOL_MAX_POINTS)
        return -1;
    s->n = n;
    s->d = d;
    s->drawn = 0;
    s->q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned int)(2 * d));
    return s->q ? 0 : -1;
}

/* Row r of A and B in s->x: the sequence's point r + 1, the (r + 2)th drawn (the first is all
** zeros). */
static int sobol_row(nsm_design_sobol_seq *s, size_t r)
{
    if (s->drawn > r + 2) {
        gsl_qrng_init(s->q);
        s->drawn = 0;
    }
    int status = 0;
    for (; status == 0 && s->drawn < r + 2; s->drawn++)
        status = gsl_qrng_get(s->q, s->x);
    return status == 0 ? 0 : -1;
}

int nsm_design_sobol_point(nsm_design_sobol_seq *s, size_t p, double *u)
{
    size_t d = s->d, block = p / s->n, r = p % s->n;
    if (block >= d + 2 || sobol_row(s, r) != 0)
        return -1;
    /* A: the first d columns; B: the last d; AB_i: A with column i from B */
    for (size_t j = 0; j < d; j++)
        u[j] = block == 1 || (block >= 2 && j == block - 2) ? s->x[d + j] : s->x[j];
    return 0;
}

void nsm_design_sobol_close(nsm_design_sobol_seq *s)
{
    if (s->q)
        gsl_qrng_free(s->q);
    s->q = NULL;
}

int nsm_design_sobol(size_t n, size_t d, double *u)
{
    nsm_design_sobol_seq s;
    int status = nsm_design_sobol_open(&s, n, d);
    for (size_t p = 0; status == 0 && p < n * (d + 2); p++)
        status = nsm_design_sobol_point(&s, p, u + p * d);
    nsm_design_sobol_close(&s);
    return status;
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
