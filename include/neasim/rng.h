/*
** rng.h: Philox4x32-10, a counter-based random number generator, as a gsl_rng_type.
**
** Every output is a pure function of (key, counter), so a replication's stream can be reached
** directly from (seed, replication, stream) with no warm-up and no state carried between
** replications: results do not depend on how replications are shared among threads or processes.
** Because it is a gsl_rng_type, every gsl_ran_* sampler works on it unchanged.
**
** Layout of one stream (all words 32 bits):
**   key     = (seed low 32 bits, seed high 32 bits)
**   counter = (block index, stream, replication low 32 bits, replication high 32 bits)
** Each block yields four outputs, returned in order out[0..3]; then the block index goes up by
** one. A stream holds 2^32 blocks (2^34 outputs); past that the block index wraps and the stream
** repeats from its start (it never runs into a neighbouring stream).
**
** Reference: J. K. Salmon, M. A. Moraes, R. O. Dror, D. E. Shaw, "Parallel random numbers: as
** easy as 1, 2, 3", SC11 (2011); outputs match the Random123 known-answer vectors.
**
** Thread safety: the type is read-only; a gsl_rng (and its state) belongs to one thread.
*/
#ifndef NEASIM_RNG_H
#define NEASIM_RNG_H

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>

/* Philox4x32-10 (Salmon et al. 2011) as a gsl_rng_type, named "philox4x32-10".
** Allocate with gsl_rng_alloc(nsm_rng_philox4x32), free with gsl_rng_free().
**   gsl_rng_get     a 32-bit value: gsl_rng_min() is 0, gsl_rng_max() is 0xffffffff;
**   gsl_rng_uniform that value / 2^32, so in [0, 1) on a grid of 2^-32;
**   gsl_rng_set(r, s) is exactly nsm_rng_set_stream(r, s, 0, 0) (s = 0 is a valid seed, and is
**                   what gsl_rng_alloc starts from unless GSL_RNG_SEED says otherwise);
**   gsl_rng_clone   copies the position, so the clone continues the same sequence. */
extern const gsl_rng_type *nsm_rng_philox4x32;

/* Position r at the start of the stream keyed by the full 64-bit seed, the replication number
** and a stream number. r must have been allocated with nsm_rng_philox4x32 (checked by assert).
** Costs a few stores and no block computation (the first block is computed on the first draw),
** so it can be called per replication per process. Distinct (seed, replication, stream)
** triples give distinct (key, counter) pairs and hence independent streams. */
void nsm_rng_set_stream(gsl_rng *r, uint64_t seed, uint64_t replication, uint32_t stream);

/* A unit exponential variate from r (allocated with nsm_rng_philox4x32, checked by assert):
** -log(1 - u), u the next 32-bit uniform (gsl_rng_uniform's value, one output used). 1 - u is
** exact on the grid of 2^-32, so log(1 - u) is the cheapest exact form: faster than
** gsl_ran_exponential's -log1p(-u) and than its call through the generator's function pointers.
** It consumes the stream exactly as gsl_ran_exponential(r, 1) does; the two values agree to
** within one unit in the last place (they differ in it for about 7% of u: log and log1p round
** differently). */
double nsm_rng_exponential1(gsl_rng *r);
/* How the engine's unit exponentials are drawn, for the manifest (`exponential_method`). */
#define NSM_RNG_EXPONENTIAL_METHOD "-log(1 - u) with u = a 32-bit output / 2^32"

/* ---- a bare stream, for the engine's hot path (issue 14)
** The state behind an nsm_rng_philox4x32 gsl_rng, usable without one: the engine keeps its
** processes' streams in one array of these and draws their exponentials inline, without the
** gsl_rng indirection, the type check and a call per draw (a process's firing draws one unit
** exponential, mostly from a fresh block: the call and the checks were a fifth of the draw's
** cost). The values are exactly those of a gsl_rng of the type at the same position: rng.c's
** functions work on this same struct, and test_rng.c compares the two, draw by draw. Fields are
** read only by the inline functions below and by rng.c. */
typedef struct {
    uint32_t buf[4];    /* outputs of the block before ctr */
    uint32_t pos;       /* next word of buf to return; 4 when spent */
    uint32_t ctr[4];    /* the next block to compute */
    uint32_t key[2];
} nsm_philox;

/* s at the start of the stream (seed, replication, stream): as nsm_rng_set_stream. */
static inline void nsm_philox_seek(nsm_philox *s, uint64_t seed, uint64_t replication,
                                   uint32_t stream)
{
    s->key[0] = (uint32_t)seed;
    s->key[1] = (uint32_t)(seed >> 32);
    s->ctr[0] = 0;
    s->ctr[1] = stream;
    s->ctr[2] = (uint32_t)replication;
    s->ctr[3] = (uint32_t)(replication >> 32);
    s->pos = 4;
}

/* The state behind r (allocated with nsm_rng_philox4x32, checked by assert), borrowed: seeking it
** with nsm_philox_seek is seeking r (nsm_rng_set_stream), without a call and a check per seek.
** For a loop that seeks one generator for each of many streams in turn (a replication's uncertain
** numbers: sim/uncertain.c) and draws from it with GSL's samplers. */
nsm_philox *nsm_rng_philox(gsl_rng *r);

/* Compute the next block into buf (buf spent): rng.c. */
void nsm_philox_refill(nsm_philox *s);

/* The next unit exponential of s: exactly nsm_rng_exponential1 of a gsl_rng at the same position
** (the same word, the same expression). */
static inline double nsm_philox_exponential1(nsm_philox *s)
{
    if (s->pos == 4)
        nsm_philox_refill(s);
    return -log(1.0 - (double)s->buf[s->pos++] * 0x1p-32);
}

/* One Philox4x32-10 block: out = philox(ctr, key). Pure; out may be the same array as ctr.
** Exposed for known-answer tests against the published Random123 vectors. */
void nsm_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]);

#endif
