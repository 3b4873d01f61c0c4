/*
** test_exponential.c: nsm_rng_exponential1, the engine's unit exponential (rng.h). It must use one
** output of the stream (the stream then goes on as after gsl_ran_exponential), equal -log(1 - u)
** for that output's uniform u, agree with GSL's -log1p(-u) to one unit in the last place, and have
** the law Exp(1): mean 1 and variance 1 within 4 standard errors at a fixed seed. The bare stream
** the engine draws from inline (nsm_philox, rng.h) gives the same values as a gsl_rng, bit for bit.
*/
#include "nsm_test.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdint.h>

#include "neasim/rng.h"

static void test_one_output_and_value(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(nsm_rng_philox4x32), *g = gsl_rng_alloc(nsm_rng_philox4x32);
    gsl_rng *ref = gsl_rng_alloc(nsm_rng_philox4x32);
    nsm_rng_set_stream(r, 2026, 7, 3);
    nsm_rng_set_stream(g, 2026, 7, 3);
    nsm_rng_set_stream(ref, 2026, 7, 3);
    for (int i = 0; i < 100000; i++) {
        double x = nsm_rng_exponential1(r);
        double u = (double)gsl_rng_get(g) * 0x1p-32;
        double y = gsl_ran_exponential(ref, 1.0);
        assert_true(x == -log(1.0 - u));
        assert_true(fabs(x - y) <= nextafter(y, INFINITY) - y);
    }
    assert_true(gsl_rng_get(r) == gsl_rng_get(ref)); /* in step with GSL's sampler */
    gsl_rng_free(r);
    gsl_rng_free(g);
    gsl_rng_free(ref);
}

/* nsm_philox_seek and nsm_philox_exponential1 are the gsl_rng's nsm_rng_set_stream and
** nsm_rng_exponential1: the same values (==, not within a tolerance: the engine's outputs must not
** move) from seeds and replications with high bits set, across block boundaries, and after a seek
** in the middle of a block. */
static void test_bare_stream_matches(void **state)
{
    (void)state;
    const uint64_t seeds[] = {0, 1, 2026, UINT64_C(0xFEDCBA9876543210)};
    const uint64_t reps[] = {0, 7, UINT64_C(0x100000003)};
    const uint32_t streams[] = {0, 5, UINT32_MAX};
    gsl_rng *r = gsl_rng_alloc(nsm_rng_philox4x32);
    nsm_philox p;
    int n = 0;
    for (size_t i = 0; i < sizeof seeds / sizeof *seeds; i++)
        for (size_t j = 0; j < sizeof reps / sizeof *reps; j++)
            for (size_t k = 0; k < sizeof streams / sizeof *streams; k++) {
                nsm_rng_set_stream(r, seeds[i], reps[j], streams[k]);
                nsm_philox_seek(&p, seeds[i], reps[j], streams[k]);
                for (int d = 0; d < 11 + (int)k; d++, n++) /* 11 to 13 draws: mid-block ends */
                    if (!(nsm_philox_exponential1(&p) == nsm_rng_exponential1(r)))
                        fail_msg("seed %llu, replication %llu, stream %u, draw %d differs",
                                 (unsigned long long)seeds[i], (unsigned long long)reps[j],
                                 streams[k], d);
            }
    assert_int_equal(n, 4 * 3 * 36);
    gsl_rng_free(r);
}

static void test_law(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(nsm_rng_philox4x32);
    nsm_rng_set_stream(r, 11, 0, 0);
    const int n = 1000000;
    double s = 0, s2 = 0;
    for (int i = 0; i < n; i++) {
        double x = nsm_rng_exponential1(r);
        assert_true(x >= 0 && isfinite(x));
        s += x;
        s2 += x * x;
    }
    double mean = s / n, var = s2 / n - mean * mean;
    /* se of the mean 1/sqrt(n); of the variance sqrt((mu4 - 1) / n) = sqrt(8 / n) for Exp(1) */
    assert_true(fabs(mean - 1) < 4 / sqrt((double)n));
    assert_true(fabs(var - 1) < 4 * sqrt(8.0 / n));
    gsl_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_output_and_value),
        cmocka_unit_test(test_bare_stream_matches),
        cmocka_unit_test(test_law),
    };
    return cmocka_run_group_tests_name("exponential", tests, NULL, NULL);
}
