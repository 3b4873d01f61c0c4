/*
** design.c: Latin hypercube, Saltelli/Jansen Sobol and full factorial designs (see design.h).
**
** The Latin hypercube is made a point at a time, so that a sweep of any size holds none of it:
** point p's stratum in dimension j is pi_j(p), for a permutation pi_j of 0..n-1 computed rather
** than stored. A shuffled array would be the stored kind (n indices a dimension, and every point
** known only once all are drawn); GSL has no keyed permutation, hence the one below, written by
** hand and small: a balanced Feistel network (Luby and Rackoff 1988) permutes the 4^h numbers of
** 2h bits, 4^h the smallest power of 4 at least n, and cycle-walking (Black and Rogaway 2002,
** "Ciphers with arbitrary finite domains", section 3) maps it onto 0..n-1: from p, apply the
** network until the value falls below n. As the network is a permutation of the larger domain,
** the walk from p < n ends at a value below n that no other start reaches (it steps along p's
** cycle to the next member below n), so the walks make a permutation of 0..n-1; as 4^h < 4n, a
** walk takes fewer than 4 steps on average. The round keys come from Philox (rng.h), keyed by
** the seed and the dimension; the round function is SplitMix64's finaliser (Steele, Lea and
** Flood 2014) of the key and the right half, a mixing of every input bit into every output bit.
*/
#include "neasim/design.h"

#include <assert.h>
#include <gsl/gsl_qrng.h>
#include <math.h>
#include <stdlib.h>

#include "neasim/model.h"
#include "neasim/rng.h"

/* GSL's Sobol generator counts points in 30 bits. */
#define SOBOL_MAX_POINTS ((size_t)1 << 30)

/* Rounds of the Feistel network: 4 make a pseudo-random permutation of a random round function
** (Luby and Rackoff); 8 leave a margin for a round function that is a fixed mixer. */
#define LHS_ROUNDS 8

typedef struct {
    unsigned half;            /* bits of each half: the network permutes 0..4^half - 1 */
    uint64_t mask;            /* 2^half - 1 */
    uint32_t key[LHS_ROUNDS];
} lhs_feistel;

static uint64_t splitmix64_mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* The network of dimension j: its round keys, two Philox blocks of the stream (seed, j). */
static void feistel_keys(lhs_feistel *f, uint64_t seed, uint64_t n, uint32_t j)
{
    f->half = 1;
    while (f->half < 31 && ((uint64_t)1 << (2 * f->half)) < n)
        f->half++;
    f->mask = ((uint64_t)1 << f->half) - 1;
    const uint32_t key[2] = {(uint32_t)seed, (uint32_t)(seed >> 32)};
    uint32_t stream = nsm_stream_id("design", "lhs-permutation");
    for (uint32_t b = 0; b < LHS_ROUNDS / 4; b++)
        nsm_philox4x32_10((const uint32_t[4]){b, stream, j, 0}, key, f->key + 4 * b);
}

/* One pass of the network over x < 4^half. The right half (below 2^31) and the round's key
** (above bit 32) make distinct inputs to the mixer. */
static uint64_t feistel_apply(const lhs_feistel *f, uint64_t x)
{
    uint64_t l = x >> f->half, r = x & f->mask;
    for (int i = 0; i < LHS_ROUNDS; i++) {
        uint64_t t = l ^ (splitmix64_mix((uint64_t)f->key[i] << 32 | r) & f->mask);
        l = r;
        r = t;
    }
    return l << f->half | r;
}

uint64_t nsm_design_lhs_stratum(uint64_t seed, uint64_t n, uint32_t j, uint64_t p)
{
    assert(p < n && n < (UINT64_C(1) << 62));
    if (n == 1)
        return 0;
    lhs_feistel f;
    feistel_keys(&f, seed, n, j);
    uint64_t x = p;
    do /* cycle-walking: ends, at the latest back at p */
        x = feistel_apply(&f, x);
    while (x >= n);
    return x;
}

/* A uniform position inside stratum k of n, v in (0,1). The quotient can round up to the
** stratum's upper edge, which belongs to the next stratum: step back below it. */
static double in_stratum(uint64_t k, uint64_t n, double v)
{
    double nn = (double)n, hi = (double)(k + 1) / nn;
    double u = ((double)k + v) / nn;
    return u < hi ? u : nextafter(hi, 0.0);
}

/* Point p's position in its stratum of dimension j: 52 bits of block j of its stream and a half
** step, so in (0,1) and exact (53 significant bits at most: 1 - 2^-53 does not round to 1). */
static double jitter(uint64_t seed, uint64_t p, uint32_t j)
{
    const uint32_t key[2] = {(uint32_t)seed, (uint32_t)(seed >> 32)};
    const uint32_t ctr[4] = {j, nsm_stream_id("design", "lhs"), (uint32_t)p, (uint32_t)(p >> 32)};
    uint32_t out[4];
    nsm_philox4x32_10(ctr, key, out);
    uint64_t bits = (uint64_t)out[0] << 20 ^ out[1] >> 12;
    return ((double)bits + 0.5) * 0x1p-52;
}

void nsm_design_lhs_point(uint64_t seed, uint64_t n, size_t d, uint64_t p, double *u)
{
    for (size_t j = 0; j < d; j++)
        u[j] = in_stratum(nsm_design_lhs_stratum(seed, n, (uint32_t)j, p), n,
                          jitter(seed, p, (uint32_t)j));
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
