/*
** test_rng.c: the Philox4x32-10 generator (rng.h).
**
** Two groups: unit tests (known answers, the gsl_rng plumbing, stream separation), then
** statistical checks with a fixed seed and tolerances in standard errors, kept apart so that a
** failure says which kind of thing broke.
*/
#include "nsm_test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "neasim/rng.h"

#define SEED UINT64_C(20261122)

typedef struct {
    uint32_t ctr[4], key[2], out[4];
} kat;

/* The philox4x32 10-round lines of Random123's tests/kat_vectors (columns: CTR, KEY, EXPECTED). */
static const kat published[] = {
    {{0, 0, 0, 0}, {0, 0}, {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
    {{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff},
     {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
    {{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0},
     {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
};

/* From the longer kat_vectors made by Random123's gentests.py (as kept in the repository
** girving/random123-manual, examples/kat_vectors): one set bit in each counter word and in each
** key word, so that a swapped word or half of the key schedule cannot pass. */
static const kat extended[] = {
    {{1, 0, 0, 0}, {1, 0}, {0xac08141b, 0xdfc5ccbe, 0x79c07a47, 0xa7f66093}},
    {{0, 1, 0, 0}, {1, 0}, {0x833ff8dc, 0x225c963c, 0x232b88b3, 0x0b334b07}},
    {{0, 0, 1, 0}, {1, 0}, {0x07071c12, 0x428264b6, 0x3909104b, 0x6da2bda2}},
    {{0, 0, 0, 1}, {0, 1}, {0x96b27e8c, 0x28826d0f, 0x66d958ef, 0x081509dc}},
    {{0, 0, 0x80000000, 0}, {0, 0x80000000}, {0xae56ca02, 0x7609ba67, 0x25abd7df, 0x46ce39a3}},
    {{0xa4093822, 0x299f31d0, 0x082efa98, 0xec4e6c89}, {0, 0xffffffff},
     {0x9fcce05d, 0x837d3f3c, 0x5cdf3e61, 0xdb2544c0}},
};

static void check_kats(const kat *k, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t out[4];
        nsm_philox4x32_10(k[i].ctr, k[i].key, out);
        for (int j = 0; j < 4; j++)
            assert_int_equal(out[j], k[i].out[j]);
    }
}

static gsl_rng *rng_at(uint64_t seed, uint64_t replication, uint32_t stream)
{
    gsl_rng *r = gsl_rng_alloc(nsm_rng_philox4x32);
    assert_non_null(r);
    nsm_rng_set_stream(r, seed, replication, stream);
    return r;
}

/* The first two draws as one 64-bit value. */
static uint64_t first64(gsl_rng *r)
{
    uint64_t hi = gsl_rng_get(r);
    return hi << 32 | gsl_rng_get(r);
}

static void test_kat_published(void **unused)
{
    (void)unused;
    check_kats(published, sizeof published / sizeof *published);
}

static void test_kat_extended(void **unused)
{
    (void)unused;
    check_kats(extended, sizeof extended / sizeof *extended);
}

static void test_block_in_place(void **unused)
{
    (void)unused;
    uint32_t c[4] = {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344};
    nsm_philox4x32_10(c, published[2].key, c);
    assert_memory_equal(c, published[2].out, sizeof c);
}

/* The slow, obviously correct Philox4x32-10 of the paper (Salmon et al. 2011, section 4.1), word
** by word, for the check below: rng.c's block is written out round by round for speed (and may be
** vectorised one day), so it is checked against this on many inputs, not only the vectors above. */
static void reference_block(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4])
{
    uint32_t c[4] = {ctr[0], ctr[1], ctr[2], ctr[3]}, k0 = key[0], k1 = key[1];
    for (int round = 0; round < 10; round++) {
        uint64_t p0 = (uint64_t)0xD2511F53u * c[0], p1 = (uint64_t)0xCD9E8D57u * c[2];
        uint32_t n[4] = {(uint32_t)(p1 >> 32) ^ c[1] ^ k0, (uint32_t)p1,
                         (uint32_t)(p0 >> 32) ^ c[3] ^ k1, (uint32_t)p0};
        memcpy(c, n, sizeof c);
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
    memcpy(out, c, sizeof c);
}

/* Every word of counter and key varied (a xorshift sequence), 100000 blocks: the same outputs as
** the reference, so that a round or a key schedule that is wrong only for some inputs (a carry, a
** high bit) cannot pass. */
static void test_block_matches_reference(void **unused)
{
    (void)unused;
    uint64_t x = UINT64_C(0x9E3779B97F4A7C15);
    for (int i = 0; i < 100000; i++) {
        uint32_t w[6], want[4], got[4];
        for (int j = 0; j < 6; j++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            w[j] = (uint32_t)(x >> 16);
        }
        if (i % 7 == 0)
            w[i % 6] = i % 2 ? UINT32_MAX : 0; /* the edges of each word */
        reference_block(w, w + 4, want);
        nsm_philox4x32_10(w, w + 4, got);
        for (int j = 0; j < 4; j++)
            if (got[j] != want[j])
                fail_msg("block %d, word %d: %08x, the reference %08x", i, j, got[j], want[j]);
    }
}

static void test_type_properties(void **unused)
{
    (void)unused;
    gsl_rng *r = rng_at(0, 0, 0);
    assert_string_equal(gsl_rng_name(r), "philox4x32-10");
    assert_int_equal(gsl_rng_min(r), 0);
    assert_int_equal(gsl_rng_max(r), 0xffffffffUL);
    assert_true(gsl_rng_size(r) <= 48);
    gsl_rng_free(r);
}

/* Draws through gsl_rng_get are the block outputs in order, across block boundaries. */
static void test_get_matches_blocks(void **unused)
{
    (void)unused;
    const uint64_t seed = UINT64_C(0x0123456789abcdef), rep = UINT64_C(0xfedcba9876543210);
    const uint32_t stream = 7, key[2] = {0x89abcdef, 0x01234567};
    gsl_rng *r = rng_at(seed, rep, stream);
    for (uint32_t b = 0; b < 6; b++) {
        uint32_t ctr[4] = {b, stream, 0x76543210, 0xfedcba98}, out[4];
        nsm_philox4x32_10(ctr, key, out);
        for (int j = 0; j < 4; j++)
            assert_int_equal(gsl_rng_get(r), out[j]);
    }
    gsl_rng_free(r);
}

/* Seeking the state that nsm_rng_philox returns is seeking the generator: after draws from
** another stream (a spent buffer, a later block), the same words as nsm_rng_set_stream gives, through
** gsl_rng_get and through a GSL sampler. */
static void test_philox_state_seeks(void **unused)
{
    (void)unused;
    gsl_rng *a = rng_at(1, 2, 3), *b = rng_at(1, 2, 3);
    nsm_philox *sb = nsm_rng_philox(b);
    assert_ptr_equal(sb, b->state);
    for (uint32_t stream = 0; stream < 50; stream++) {
        for (uint32_t j = 0; j < stream % 7; j++) { /* leave each part way through a block */
            gsl_rng_get(a);
            gsl_rng_get(b);
        }
        nsm_rng_set_stream(a, SEED, 11 + stream, stream);
        nsm_philox_seek(sb, SEED, 11 + stream, stream);
        for (int j = 0; j < 9; j++)
            assert_int_equal(gsl_rng_get(a), gsl_rng_get(b));
        double x = gsl_ran_beta(a, 2.5, 4.0), y = gsl_ran_beta(b, 2.5, 4.0);
        assert_memory_equal(&x, &y, sizeof x);
    }
    gsl_rng_free(a);
    gsl_rng_free(b);
}

/* gsl_rng_set(r, 0) is the all-zero known answer: set and the block function agree. */
static void test_set_zero_is_kat(void **unused)
{
    (void)unused;
    gsl_rng *r = gsl_rng_alloc(nsm_rng_philox4x32);
    assert_non_null(r);
    gsl_rng_set(r, 0);
    for (int j = 0; j < 4; j++)
        assert_int_equal(gsl_rng_get(r), published[0].out[j]);
    gsl_rng_free(r);
}

static void test_set_equals_set_stream(void **unused)
{
    (void)unused;
    const unsigned long seeds[] = {0, 1, 0xffffffffUL, 0x9e3779b97f4a7c15UL, ~0UL};
    gsl_rng *a = gsl_rng_alloc(nsm_rng_philox4x32);
    assert_non_null(a);
    for (size_t i = 0; i < sizeof seeds / sizeof *seeds; i++) {
        gsl_rng *b = rng_at(seeds[i], 0, 0);
        gsl_rng_get(a); /* a mid-block position must be reset too */
        gsl_rng_set(a, seeds[i]);
        for (int j = 0; j < 9; j++)
            assert_int_equal(gsl_rng_get(a), gsl_rng_get(b));
        gsl_rng_free(b);
    }
    gsl_rng_free(a);
}

/* gsl_rng_uniform is gsl_rng_get / 2^32 and shares its position. */
static void test_uniform_is_scaled_get(void **unused)
{
    (void)unused;
    gsl_rng *a = rng_at(SEED, 3, 1), *b = rng_at(SEED, 3, 1);
    for (int i = 0; i < 11; i++) {
        if (i % 3 == 0)
            assert_int_equal(gsl_rng_get(a), gsl_rng_get(b));
        else
            assert_true(gsl_rng_uniform(a) == ldexp((double)gsl_rng_get(b), -32));
    }
    gsl_rng_free(a);
    gsl_rng_free(b);
}

static void test_clone_copies_position(void **unused)
{
    (void)unused;
    gsl_rng *r = rng_at(SEED, 5, 2);
    for (int i = 0; i < 3; i++)
        gsl_rng_get(r);
    gsl_rng *c = gsl_rng_clone(r);
    assert_non_null(c);
    assert_string_equal(gsl_rng_name(c), "philox4x32-10");
    for (int i = 0; i < 10; i++)
        assert_int_equal(gsl_rng_get(c), gsl_rng_get(r));
    gsl_rng_free(c);
    gsl_rng_free(r);
}

static void test_set_stream_restarts(void **unused)
{
    (void)unused;
    gsl_rng *r = rng_at(SEED, 9, 4);
    uint64_t first = first64(r);
    for (int i = 0; i < 13; i++)
        gsl_rng_get(r);
    nsm_rng_set_stream(r, SEED, 9, 4);
    assert_int_equal(first64(r), first);
    gsl_rng_free(r);
}

/* Triples that differ in one field each, including only in the high 32 bits of the seed and of
** the replication: every pair must give different first 64 bits. */
static void test_streams_differ(void **unused)
{
    (void)unused;
    const struct { uint64_t seed, rep; uint32_t stream; } t[] = {
        {1, 0, 0}, {1 | UINT64_C(1) << 32, 0, 0}, {UINT64_C(1) << 32, 0, 0}, {0, 0, 0},
        {1, 1, 0}, {1, UINT64_C(1) << 32, 0}, {1, 0, 1}, {1, 0, 0xffffffff},
    };
    enum { N = sizeof t / sizeof *t };
    uint64_t v[N];
    for (size_t i = 0; i < N; i++) {
        gsl_rng *r = rng_at(t[i].seed, t[i].rep, t[i].stream);
        v[i] = first64(r);
        gsl_rng_free(r);
    }
    for (size_t i = 0; i < N; i++)
        for (size_t j = i + 1; j < N; j++)
            assert_true(v[i] != v[j]);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* 10^6 consecutive replications of stream 0: no two share their first 64-bit output (a chance
** collision has probability about n^2 / 2^65 = 3e-8). */
static void test_replications_no_duplicates(void **unused)
{
    (void)unused;
    enum { N = 1000000 };
    uint64_t *v = malloc(N * sizeof *v);
    assert_non_null(v);
    gsl_rng *r = gsl_rng_alloc(nsm_rng_philox4x32);
    assert_non_null(r);
    for (uint64_t i = 0; i < N; i++) {
        nsm_rng_set_stream(r, SEED, i, 0);
        v[i] = first64(r);
    }
    qsort(v, N, sizeof *v, cmp_u64);
    size_t dups = 0;
    for (size_t i = 1; i < N; i++)
        dups += v[i] == v[i - 1];
    assert_int_equal(dups, 0);
    gsl_rng_free(r);
    free(v);
}

enum { N_DRAWS = 1000000, N_BINS = 64 };

static void test_uniform_mean(void **unused)
{
    (void)unused;
    gsl_rng *r = rng_at(SEED, 0, 0);
    double sum = 0;
    for (int i = 0; i < N_DRAWS; i++)
        sum += gsl_rng_uniform(r);
    double se = sqrt(1.0 / 12.0 / N_DRAWS);
    assert_true(fabs(sum / N_DRAWS - 0.5) < 4 * se);
    gsl_rng_free(r);
}

static void test_uniform_chisq(void **unused)
{
    (void)unused;
    gsl_rng *r = rng_at(SEED, 1, 0);
    long count[N_BINS] = {0};
    for (int i = 0; i < N_DRAWS; i++)
        count[(int)(gsl_rng_uniform(r) * N_BINS)]++;
    double expect = (double)N_DRAWS / N_BINS, chisq = 0;
    for (int b = 0; b < N_BINS; b++)
        chisq += ((double)count[b] - expect) * ((double)count[b] - expect) / expect;
    assert_true(chisq < gsl_cdf_chisq_Qinv(0.001, N_BINS - 1));
    gsl_rng_free(r);
}

/* Exercises a gsl_ran_* sampler unchanged on this type: Exp(1) has mean 1 and sd 1. */
static void test_exponential_mean(void **unused)
{
    (void)unused;
    gsl_rng *r = rng_at(SEED, 2, 0);
    double sum = 0;
    for (int i = 0; i < N_DRAWS; i++)
        sum += gsl_ran_exponential(r, 1.0);
    assert_true(fabs(sum / N_DRAWS - 1.0) < 4 / sqrt(N_DRAWS));
    gsl_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest unit[] = {
        cmocka_unit_test(test_kat_published),
        cmocka_unit_test(test_kat_extended),
        cmocka_unit_test(test_block_in_place),
        cmocka_unit_test(test_block_matches_reference),
        cmocka_unit_test(test_type_properties),
        cmocka_unit_test(test_get_matches_blocks),
        cmocka_unit_test(test_philox_state_seeks),
        cmocka_unit_test(test_set_zero_is_kat),
        cmocka_unit_test(test_set_equals_set_stream),
        cmocka_unit_test(test_uniform_is_scaled_get),
        cmocka_unit_test(test_clone_copies_position),
        cmocka_unit_test(test_set_stream_restarts),
        cmocka_unit_test(test_streams_differ),
        cmocka_unit_test(test_replications_no_duplicates),
    };
    const struct CMUnitTest stats[] = {
        cmocka_unit_test(test_uniform_mean),
        cmocka_unit_test(test_uniform_chisq),
        cmocka_unit_test(test_exponential_mean),
    };
    int failed = cmocka_run_group_tests_name("rng", unit, NULL, NULL);
    failed += cmocka_run_group_tests_name("rng_stats", stats, NULL, NULL);
    return failed != 0;
}
