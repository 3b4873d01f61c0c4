/*
** test_numfmt.c: io/numfmt.c against snprintf, byte for byte: "%.*g" for 1..17 digits and "%.*f"
** for 0..17 decimals over random bit patterns (every exponent), random probabilities and ratios
** k/n like the writers' cells, integers, exact ties at every rounding position (k + 1/2 scaled by
** powers of two), the neighbours of every power of ten, zeros, subnormals, the largest and
** smallest doubles, infinities and NaN. Where the fast path declines the fallback must still equal
** snprintf, and on the cells the writers see (magnitudes 1e-9 to 1e15, up to 12 digits, as the
** writers use) it must not decline.
*/
#include "nsm_test.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "neasim/numfmt.h"

static uint64_t state = 0x9E3779B97F4A7C15ULL;

static uint64_t next(void) /* splitmix64: a fixed sequence, so a failure repeats */
{
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double uniform(void)
{
    return (double)(next() >> 11) * 0x1.0p-53;
}

static long declined;

/* Every digit count (g) and decimal count (f) of v against snprintf; the fast path, when it does
** not decline, must equal it too. */
static void check(double v)
{
    char want[NSM_NUMFMT_MAX], got[NSM_NUMFMT_MAX], fast[NSM_NUMFMT_MAX];
    for (int p = 1; p <= 17; p++) {
        int n = snprintf(want, sizeof want, "%.*g", p, v);
        int k = nsm_numfmt_g(got, v, p);
        if (k != n || strcmp(got, want) != 0)
            fail_msg("%%.%dg of %a: snprintf '%s', numfmt '%s'", p, v, want, got);
        k = nsm_numfmt_g_fast(fast, v, p);
        declined += k < 0 && p <= 12;
        if (k >= 0 && (k != n || strcmp(fast, want) != 0))
            fail_msg("%%.%dg of %a: snprintf '%s', fast '%s'", p, v, want, fast);
    }
    for (int d = 0; d <= 17; d++) {
        int n = snprintf(want, sizeof want, "%.*f", d, v);
        int k = nsm_numfmt_f(got, v, d);
        if (k != n || strcmp(got, want) != 0)
            fail_msg("%%.%df of %a: snprintf '%s', numfmt '%s'", d, v, want, got);
        k = nsm_numfmt_f_fast(fast, v, d);
        if (k >= 0 && (k != n || strcmp(fast, want) != 0))
            fail_msg("%%.%df of %a: snprintf '%s', fast '%s'", d, v, want, fast);
    }
}

static void check_both_signs(double v)
{
    check(v);
    check(-v);
}

static void test_edges(void **state_)
{
    (void)state_;
    const double edge[] = {0.0, -0.0, 1.0, 0.5, 0.25, 0.1, 0.05, 1e-5, 1e-4, 9.5, 0.95, 99.5,
                           999999.5, 9999995.0, 0.00001, 123456789012345678.0,
                           1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1.8446744073709552e19,
                           DBL_MAX, DBL_MIN, DBL_TRUE_MIN, 4.9e-320, DBL_EPSILON,
                           (double)INFINITY, (double)NAN, 0.30000000000000004, 2.5, 3.5, 0.125,
                           0.375, 1.0 / 3.0, 2.0 / 3.0};
    for (size_t k = 0; k < sizeof edge / sizeof edge[0]; k++)
        check_both_signs(edge[k]);
}

/* The powers of ten from 1e-30 to 1e30 and their neighbours: the exponent of "%g" changes there. */
static void test_powers_of_ten(void **state_)
{
    (void)state_;
    for (int e = -30; e <= 30; e++) {
        double t = pow(10.0, e), x = t;
        for (int k = 0; k < 4; k++) {
            check_both_signs(x);
            x = nextafter(x, 0);
        }
        x = t;
        for (int k = 0; k < 4; k++) {
            x = nextafter(x, (double)INFINITY);
            check_both_signs(x);
        }
        /* just under a power of ten at every digit count: 9.99..95 and its neighbours */
        for (int p = 1; p <= 17; p++) {
            double y = t * (1.0 - 0.5 * pow(10.0, -p));
            check(y);
            check(nextafter(y, 0));
            check(nextafter(y, (double)INFINITY));
        }
    }
}

/* Exact ties: (2k + 1) / 2^j is a tie for every decimal position it ends at, and glibc rounds a
** tie to even. */
static void test_ties(void **state_)
{
    (void)state_;
    for (int j = 1; j <= 20; j++)
        for (int k = 0; k < 400; k++) {
            double v = ldexp(2.0 * k + 1, -j);
            check_both_signs(v);
            check(v * 1000.0);
        }
    for (int k = 0; k < 2000; k++)
        check(k + 0.5);
}

/* The cells the writers make: probabilities k / n, their standard errors, years, counts. */
static void test_cells(void **state_)
{
    (void)state_;
    declined = 0;
    for (int n = 1; n <= 2000; n += 157)
        for (int k = 0; k <= n; k++) {
            double p = (double)k / n;
            check(p);
            check(sqrt(p * (1 - p) / n));
            check(100 * p);
        }
    for (int i = 0; i < 1200; i++)
        check(i / 12.0);
    for (int i = 0; i < 20000; i++)
        check((double)i);
    for (int i = 0; i < 30000; i++) {
        double v = (1 + 9 * uniform()) * pow(10.0, (double)(next() % 24) - 9.0); /* 1e-9 to 1e15 */
        check(v);
    }
    assert_int_equal(declined, 0); /* 1e-9 to 1e15 at up to 12 digits never falls back */
}

/* Any bit pattern: every exponent, subnormals, infinities and NaNs. */
static void test_random_bits(void **state_)
{
    (void)state_;
    for (int i = 0; i < 50000; i++) {
        uint64_t b = next();
        double v;
        memcpy(&v, &b, sizeof v);
        check(v);
    }
}

static void test_integers(void **state_)
{
    (void)state_;
    char want[NSM_NUMFMT_MAX], got[NSM_NUMFMT_MAX];
    const int64_t edge[] = {0, 1, -1, 9, 10, -10, 99, 100, 999999999, 1000000000, INT64_MAX,
                            INT64_MIN, INT64_MIN + 1, 1000000000000000000LL,
                            (int64_t)(9999999999999999999ULL / 2)};
    for (size_t k = 0; k < sizeof edge / sizeof edge[0]; k++) {
        snprintf(want, sizeof want, "%lld", (long long)edge[k]);
        assert_int_equal(nsm_numfmt_int(got, edge[k]), (int)strlen(want));
        assert_string_equal(got, want);
    }
    for (int i = 0; i < 300000; i++) {
        int64_t v = (int64_t)(next() >> (next() % 64));
        if (i % 2)
            v = -v;
        snprintf(want, sizeof want, "%lld", (long long)v);
        assert_int_equal(nsm_numfmt_int(got, v), (int)strlen(want));
        assert_string_equal(got, want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edges),        cmocka_unit_test(test_powers_of_ten),
        cmocka_unit_test(test_ties),         cmocka_unit_test(test_cells),
        cmocka_unit_test(test_random_bits),  cmocka_unit_test(test_integers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
