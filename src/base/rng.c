/*
** rng.c: Philox4x32-10 as a gsl_rng_type (see rng.h for the stream layout).
**
** The one idea: the state is just (key, counter) plus a buffer holding the current block's four
** outputs. A draw takes the next buffered word; only when the buffer is spent is the next block
** computed. Seeking to a stream writes key and counter and marks the buffer spent.
**
** A block is computed with scalar code on purpose: an SSE2 version (one pmuludq and one shuffle a
** round) took half the instructions but was about 10% slower in CPU time on the baseline (issue
** 14), as a block is mostly needed at once (a draw waits for it) and the vector round's latency is
** longer. No library computes Philox blocks, hence the hand-written code.
*/
#include "neasim/rng.h"

#include <assert.h>
#include <math.h>

/* Multipliers and Weyl key increments from Salmon et al. (2011), table 2 / Random123 philox.h. */
#define PHILOX_M0 UINT32_C(0xD2511F53)
#define PHILOX_M1 UINT32_C(0xCD9E8D57)
#define PHILOX_W0 UINT32_C(0x9E3779B9) /* golden ratio */
#define PHILOX_W1 UINT32_C(0xBB67AE85) /* sqrt(3) - 1 */
#define PHILOX_WORDS 4

/* The state is nsm_philox (rng.h): public so that the engine can draw inline from it. */
typedef nsm_philox philox_state;

/* One round: two 32x32->64 multiplies, whose halves are crossed and xored with the key. */
static inline void philox_round(uint32_t c[PHILOX_WORDS], uint32_t k0, uint32_t k1)
{
    uint64_t p0 = (uint64_t)PHILOX_M0 * c[0];
    uint64_t p1 = (uint64_t)PHILOX_M1 * c[2];
    uint32_t c1 = c[1], c3 = c[3];
    c[0] = (uint32_t)(p1 >> 32) ^ c1 ^ k0;
    c[1] = (uint32_t)p1;
    c[2] = (uint32_t)(p0 >> 32) ^ c3 ^ k1;
    c[3] = (uint32_t)p0;
}

/* Ten rounds, the key bumped before each round after the first (as in Random123). Written out
** rather than looped so that the hot path is straight-line code at -O2. */
static inline void philox_block(const uint32_t ctr[PHILOX_WORDS], const uint32_t key[2],
                                uint32_t out[PHILOX_WORDS])
{
    uint32_t c[PHILOX_WORDS] = {ctr[0], ctr[1], ctr[2], ctr[3]};
    uint32_t k0 = key[0], k1 = key[1];
#define PHILOX_BUMP_ROUND() (k0 += PHILOX_W0, k1 += PHILOX_W1, philox_round(c, k0, k1))
    philox_round(c, k0, k1);
    PHILOX_BUMP_ROUND(); PHILOX_BUMP_ROUND(); PHILOX_BUMP_ROUND();
    PHILOX_BUMP_ROUND(); PHILOX_BUMP_ROUND(); PHILOX_BUMP_ROUND();
    PHILOX_BUMP_ROUND(); PHILOX_BUMP_ROUND(); PHILOX_BUMP_ROUND();
#undef PHILOX_BUMP_ROUND
    for (int i = 0; i < PHILOX_WORDS; i++)
        out[i] = c[i];
}

void nsm_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4])
{
    philox_block(ctr, key, out);
}

/* The block index alone increments: wrapping it (after 2^34 draws) repeats this stream rather
** than carrying into the stream word and silently overlapping the next stream. */
void nsm_philox_refill(nsm_philox *s)
{
    philox_block(s->ctr, s->key, s->buf);
    s->ctr[0]++;
    s->pos = 0;
}

static inline uint32_t philox_next(philox_state *s)
{
    if (s->pos == PHILOX_WORDS)
        nsm_philox_refill(s);
    return s->buf[s->pos++];
}

static void philox_seek(philox_state *s, uint64_t seed, uint64_t replication, uint32_t stream)
{
    nsm_philox_seek(s, seed, replication, stream);
}

static void philox_set(void *state, unsigned long int seed)
{
    philox_seek(state, seed, 0, 0);
}

static unsigned long int philox_get(void *state)
{
    return philox_next(state);
}

/* 2^-32 is exact, so this is u / 2^32 without rounding: in [0, 1), never 1. */
static double philox_get_double(void *state)
{
    return (double)philox_next(state) * 0x1p-32;
}

static const gsl_rng_type philox_type = {
    "philox4x32-10", UINT32_MAX, 0, sizeof(philox_state),
    &philox_set, &philox_get, &philox_get_double,
};

const gsl_rng_type *nsm_rng_philox4x32 = &philox_type;

double nsm_rng_exponential1(gsl_rng *r)
{
    assert(r->type == &philox_type);
    return -log(1.0 - (double)philox_next(r->state) * 0x1p-32);
}

nsm_philox *nsm_rng_philox(gsl_rng *r)
{
    assert(r->type == &philox_type);
    return r->state;
}

void nsm_rng_set_stream(gsl_rng *r, uint64_t seed, uint64_t replication, uint32_t stream)
{
    assert(r->type == &philox_type);
    philox_seek(r->state, seed, replication, stream);
}
