/*
** test_dist.c: parameter distributions: the parser (every error with its message and offset), the
** canonical text, means and quantiles against closed forms, and sampling through the quantile at
** a fixed seed, with tolerances in standard errors.
**
** cmocka 1.1 compares floats in single precision, so doubles are checked here with explicit
** tolerances, and a failure names the quantity, the value and the expected value.
*/
#include "nsm_test.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neasim/dist.h"

#define Z_TOL 4.0 /* |sample mean - exact mean| <= 4 standard errors */

static void check_close(const char *what, double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("%s: got %.17g, expected %.17g (tolerance %g)", what, got, want, tol);
}

static nsm_dist parse(const char *text)
{
    nsm_dist d;
    nsm_diag why;
    nsm_diag_init(&why);
    size_t at;
    if (nsm_dist_parse(text, &d, &at, &why) != NSM_OK)
        fail_msg("'%s' did not parse: %s (at %zu)", text, why.error ? why.error : "?", at);
    nsm_diag_release(&why);
    return d;
}

static void test_looks_like_a_distribution(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int is;
    } cases[] = {
        {"beta(2,5)", 1}, {"  beta (2,5)", 1}, {"betta(1)", 1}, {"x_1(2)", 1}, {"0.3", 0},
        {"beta", 0},      {"(2,5)", 0},        {"", 0},         {"2beta(1)", 0}, {"-beta(1)", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (nsm_dist_is(cases[i].text) != cases[i].is)
            fail_msg("nsm_dist_is(\"%s\") should be %d", cases[i].text, cases[i].is);
    assert_int_equal(nsm_dist_is(NULL), 0);
}

static void test_parse_each_kind(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        nsm_dist_kind kind;
        double p[3];
    } cases[] = {
        {"beta(2,5)", NSM_DIST_BETA, {2, 5, 0}},
        {"  beta ( 2 , 5 )  ", NSM_DIST_BETA, {2, 5, 0}},
        {"gamma(3, 0.5)", NSM_DIST_GAMMA, {3, 0.5, 0}},
        {"gamma(1e5, 1e9)", NSM_DIST_GAMMA, {1e5, 1e9, 0}},
        {"lognormal(-1.5,0.25)", NSM_DIST_LOGNORMAL, {-1.5, 0.25, 0}},
        {"uniform(-1e3, 2.5e-1)", NSM_DIST_UNIFORM, {-1000, 0.25, 0}},
        {"triangular(1,2,6)", NSM_DIST_TRIANGULAR, {1, 2, 6}},
        {"triangular(1,1,6)", NSM_DIST_TRIANGULAR, {1, 1, 6}},
        {"pert(0,\t3,12)", NSM_DIST_PERT, {0, 3, 12}},
        {"pert(0,12,12)", NSM_DIST_PERT, {0, 12, 12}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nsm_dist d = parse(cases[i].text);
        if (d.kind != cases[i].kind)
            fail_msg("'%s': kind %d, expected %d", cases[i].text, (int)d.kind, (int)cases[i].kind);
        for (int j = 0; j < 3; j++)
            check_close(cases[i].text, d.p[j], cases[i].p[j], 0.0);
    }
}

static void test_parse_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text, *msg;
        size_t offset;
    } cases[] = {
        {"betta(2,5)", "unknown distribution 'betta'; did you mean 'beta'?", 0},
        {"  gama(2, 3)", "unknown distribution 'gama'; did you mean 'gamma'?", 2},
        {"Beta(2,5)", "unknown distribution 'Beta'; did you mean 'beta'? (distribution names are lower case)",
         0},
        {"normal(0,1)", "unknown distribution 'normal' (known: beta, gamma, lognormal, uniform, "
                        "triangular, pert, weibull, fixed)", 0},
        {"beta(2,5,1)", "beta needs 2 parameters, got 3", 9},
        {"triangular(1,2,3,4,5)", "triangular needs 3 parameters, got 5", 17},
        {"pert(1,2)", "pert needs 3 parameters, got 2", 8},
        {"beta()", "beta needs 2 parameters, got 0", 5},
        {"beta(0,5)", "beta's first parameter a must be above 0, not 0 (beta(a,b) has mean "
                      "a/(a+b))", 5},
        {"beta(1,1e6)", "beta's parameters must be at most 100000", 7},
        {"gamma(2e5, 1)", "gamma's shape must be at most 100000", 6},
        {"gamma(2, -1)", "gamma's scale theta must be above 0, not -1 (gamma(k,theta) has mean "
                         "k theta)", 9},
        {"lognormal(0,0)", "lognormal's sigma must be above 0", 12},
        {"uniform(3,3)", "uniform needs a < b: for the number 3 alone, write 3", 10},
        {"uniform(0.5, 0.25)", "uniform needs a < b: write uniform(0.25,0.5), the low end first", 13},
        {"triangular(3,1,2)", "triangular needs low <= mode <= high: the mode is below low; write "
                              "triangular(1,2,3), in that order", 13},
        {"triangular(1,1,1)", "triangular needs low < high: for the number 1 alone, write 1", 15},
        {"pert(0,5,4)", "pert needs low <= mode <= high: the mode is above high; write "
                        "pert(0,4,5), in that order", 7},
        {"beta(x,5)", "'x' is not a number", 5},
        {"beta(2, 5x )", "'5x' is not a number", 8},
        {"beta(2 5)", "'2 5' is not a number", 5},
        {"beta(2,)", "expected a number", 7},
        {"beta(,2)", "expected a number", 5},
        {"beta(2,inf)", "'inf' is not a finite number", 7},
        {"beta(nan,1)", "'nan' is not a finite number", 5},
        {"beta(2,5", "missing ')'", 8},
        {"beta(2,5) extra", "unexpected text after ')'", 10},
        {"beta 2,5", "expected '(' after 'beta'", 5},
        {"", "expected a distribution such as 'beta(2, 5)'", 0},
        {"  3.5", "expected a distribution such as 'beta(2, 5)'", 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nsm_dist d = {NSM_DIST_GAMMA, {7, 8, 9}};
        nsm_diag why;
        nsm_diag_init(&why);
        size_t at = 999;
        if (nsm_dist_parse(cases[i].text, &d, &at, &why) != NSM_ERR_INPUT)
            fail_msg("'%s' should not parse", cases[i].text);
        const char *msg = why.error ? why.error : "";
        if (strcmp(msg, cases[i].msg) != 0 || at != cases[i].offset)
            fail_msg("'%s': message \"%s\" at %zu, expected \"%s\" at %zu", cases[i].text, msg,
                     at, cases[i].msg, cases[i].offset);
        nsm_diag_release(&why);
        if (d.kind != NSM_DIST_GAMMA || d.p[0] != 7 || d.p[1] != 8 || d.p[2] != 9)
            fail_msg("'%s': the output was changed on error", cases[i].text);
    }
}

/* No diagnostic and no offset are allowed: the status alone says it failed. */
static void test_parse_error_buffers(void **state)
{
    (void)state;
    nsm_dist d;
    assert_int_equal(nsm_dist_parse("betta(1,2)", &d, NULL, NULL), NSM_ERR_INPUT);
    assert_int_equal(nsm_dist_parse("beta(1,2)", &d, NULL, NULL), NSM_OK);
}

static void test_format_round_trip(void **state)
{
    (void)state;
    static const struct {
        const char *text, *canonical;
    } cases[] = {
        {"beta( 2 , 5 )", "beta(2,5)"},
        {"gamma(3, 0.5)", "gamma(3,0.5)"},
        {"lognormal(-1.5,0.25)", "lognormal(-1.5,0.25)"},
        {"uniform(-3.141592653589793, 3.141592653589793)",
         "uniform(-3.141592653589793,3.141592653589793)"},
        {"uniform(0.1, 0.30000000000000004)", "uniform(0.1,0.30000000000000004)"},
        {"triangular(1,2,6)", "triangular(1,2,6)"},
        {"pert(1e-20,3,1e20)", "pert(1e-20,3,1e+20)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nsm_dist d = parse(cases[i].text), back;
        char buf[128];
        nsm_dist_format(&d, buf, sizeof buf);
        assert_string_equal(buf, cases[i].canonical);
        back = parse(buf);
        assert_int_equal(back.kind, d.kind);
        assert_memory_equal(back.p, d.p, sizeof d.p);
    }
    char small[6];
    nsm_dist d = parse("beta(2,5)");
    nsm_dist_format(&d, small, sizeof small);
    assert_string_equal(small, "beta(");
}

static void test_means(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        double mean;
    } cases[] = {
        {"beta(2,5)", 2.0 / 7.0},
        {"gamma(3,2)", 6.0},
        {"lognormal(0.5,0.4)", 1.7860384307500734}, /* exp(0.5 + 0.4^2/2) */
        {"uniform(-1,3)", 1.0},
        {"triangular(1,2,6)", 3.0},
        {"pert(0,3,12)", 4.0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nsm_dist d = parse(cases[i].text);
        check_close(cases[i].text, nsm_dist_mean(&d), cases[i].mean, 1e-15 * fabs(cases[i].mean));
    }
}

static double quantile_of(const char *text, double u)
{
    nsm_dist d = parse(text);
    return nsm_dist_quantile(&d, u);
}

/* Quantiles with closed forms, to near machine precision; GSL's iterative inverses to 1e-10. */
static void test_known_quantiles(void **state)
{
    (void)state;
    check_close("uniform(2,6) at 0.25", quantile_of("uniform(2,6)", 0.25), 3.0, 1e-15);
    /* triangular(0,1,3): F(mode) = 1/3; below it x = sqrt(3u), above it x = 3 - sqrt(6(1-u)) */
    check_close("triangular(0,1,3) at 1/6", quantile_of("triangular(0,1,3)", 1.0 / 6), sqrt(0.5),
                1e-15);
    check_close("triangular(0,1,3) at 1/3", quantile_of("triangular(0,1,3)", 1.0 / 3), 1.0, 1e-15);
    check_close("triangular(0,1,3) at 1/2", quantile_of("triangular(0,1,3)", 0.5), 3 - sqrt(3.0),
                1e-15);
    check_close("triangular(0,0,1) at 0.75", quantile_of("triangular(0,0,1)", 0.75), 0.5, 1e-15);
    check_close("beta(2,2) median", quantile_of("beta(2,2)", 0.5), 0.5, 1e-10);
    /* beta(1,b): F(x) = 1 - (1-x)^b */
    check_close("beta(1,3) at 0.875", quantile_of("beta(1,3)", 0.875), 0.5, 1e-10);
    /* gamma(1,theta) is exponential with mean theta */
    check_close("gamma(1,2) median", quantile_of("gamma(1,2)", 0.5), 2 * log(2.0), 1e-10);
    check_close("lognormal(1,0.5) median", quantile_of("lognormal(1,0.5)", 0.5), exp(1.0), 1e-12);
    check_close("lognormal(1,0.5) at Phi(1)",
                quantile_of("lognormal(1,0.5)", gsl_cdf_ugaussian_P(1.0)), exp(1.5), 1e-10);
    /* pert(l,l,h) has alpha = 1, beta = 5: x = l + (h-l)(1 - (1-u)^(1/5)) */
    check_close("pert(2,2,4) at 0.3", quantile_of("pert(2,2,4)", 0.3),
                2 + 2 * (1 - pow(0.7, 0.2)), 1e-10);
    check_close("pert(0,5,10) median", quantile_of("pert(0,5,10)", 0.5), 5.0, 1e-9);
}

static double ulps_away(double x, int k)
{
    for (int i = 0; i < abs(k); i++)
        x = nextafter(x, k > 0 ? (double)INFINITY : -(double)INFINITY);
    return x;
}

/* F(Q(u)) = u to 1e-8 relative, in the lower half on P and in the upper half on the complement
** 1 - P, since both tails are solved to relative precision; or, where the CDF is too steep for
** that at double precision (x near 1 with a small beta), u lies between F at 4 ulps either side. */
static void check_round_trip(const char *text, double u, double (*p)(double, double, double),
                             double (*q)(double, double, double), double a, double b, double lo,
                             double scale)
{
    nsm_dist d = parse(text);
    double x = (nsm_dist_quantile(&d, u) - lo) / scale;
    double (*f)(double, double, double) = u <= 0.5 ? p : q;
    double target = u <= 0.5 ? u : 1 - u, got = f(x, a, b);
    double below = f(ulps_away(x, -4), a, b) - target, above = f(ulps_away(x, 4), a, b) - target;
    if (!(fabs(got - target) <= 1e-8 * target || below * above <= 0))
        fail_msg("%s: %s(Q(%.17g)) = %.17g, expected %.17g", text, u <= 0.5 ? "P" : "1 - P", u,
                 got, target);
}

static double gamma_p(double x, double k, double theta)
{
    return gsl_cdf_gamma_P(x, k, theta);
}

static double gamma_q(double x, double k, double theta)
{
    return gsl_cdf_gamma_Q(x, k, theta);
}

static void test_quantile_round_trips(void **state)
{
    (void)state;
    static const double us[] = {1e-12, 1e-9, 1e-4, 0.01, 0.2, 0.5, 0.8, 0.99, 0.9999, 1 - 1e-9};
    for (size_t i = 0; i < sizeof us / sizeof us[0]; i++) {
        double u = us[i];
        check_round_trip("gamma(2.5,3)", u, gamma_p, gamma_q, 2.5, 3, 0, 1);
        check_round_trip("gamma(0.3,1)", u, gamma_p, gamma_q, 0.3, 1, 0, 1);
        check_round_trip("gamma(5000,0.01)", u, gamma_p, gamma_q, 5000, 0.01, 0, 1);
        check_round_trip("beta(0.5,4)", u, gsl_cdf_beta_P, gsl_cdf_beta_Q, 0.5, 4, 0, 1);
        check_round_trip("beta(30,9970)", u, gsl_cdf_beta_P, gsl_cdf_beta_Q, 30, 9970, 0, 1);
        check_round_trip("beta(4,0.2)", u, gsl_cdf_beta_P, gsl_cdf_beta_Q, 4, 0.2, 0, 1);
        /* pert(1,2,10): alpha = 1 + 4/9, beta = 1 + 32/9 on [1,10] */
        check_round_trip("pert(1,2,10)", u, gsl_cdf_beta_P, gsl_cdf_beta_Q, 13.0 / 9, 41.0 / 9, 1,
                         9);
    }
}

/* Where gsl_cdf_beta_Pinv and gsl_cdf_gamma_Pinv fail to converge (GSL 2.7), and so would call
** the error handler. */
static void test_quantiles_where_gsl_fails(void **state)
{
    (void)state;
    check_round_trip("beta(3,997)", 0.76, gsl_cdf_beta_P, gsl_cdf_beta_Q, 3, 997, 0, 1);
    check_round_trip("gamma(0.1,1)", 0.01, gamma_p, gamma_q, 0.1, 1, 0, 1);
    check_round_trip("beta(5,0.1)", 0.45, gsl_cdf_beta_P, gsl_cdf_beta_Q, 5, 0.1, 0, 1);
    /* beta(1,b): x = 1 - (1-u)^(1/b) */
    check_close("beta(1,1000) at 0.52", quantile_of("beta(1,1000)", 0.52),
                -expm1(log1p(-0.52) / 1000), 1e-12 * 7.3e-4);
}

static long handler_calls;

static void count_handler_calls(const char *reason, const char *file, int line, int gsl_errno)
{
    (void)reason, (void)file, (void)line, (void)gsl_errno;
    handler_calls++;
}

/* Across the shapes the parser accepts (down to 1e-10, up to its cap of 1e5) and u from 1e-12 to
** 1 - 1e-12, no quantile calls GSL's error handler or leaves the support. */
static void test_quantiles_never_call_the_error_handler(void **state)
{
    (void)state;
    static const double shapes[] = {1e-10, 1e-3, 0.05, 0.3, 1, 2, 7, 30, 300, 3000, 3e4, 1e5};
    enum { NS = sizeof shapes / sizeof shapes[0] };
    gsl_error_handler_t *old = gsl_set_error_handler(count_handler_calls);
    handler_calls = 0;
    size_t bad = 0;
    for (size_t i = 0; i < NS; i++)
        for (size_t k = 0; k <= NS; k++) {
            nsm_dist d = {NSM_DIST_GAMMA, {shapes[i], 2, 0}}; /* k = NS: gamma(shape, 2) */
            if (k < NS)
                d = (nsm_dist){NSM_DIST_BETA, {shapes[i], shapes[k], 0}};
            double lo, hi;
            nsm_dist_support(&d, &lo, &hi);
            for (int e = 0; e <= 200; e++) {
                double u = e < 24 ? (e % 2 ? 1 - pow(10, -12 + e / 2) : pow(10, -12 + e / 2))
                                  : (e - 23) / 178.0;
                double x = nsm_dist_quantile(&d, u);
                bad += !(x >= lo && x <= hi);
            }
        }
    gsl_set_error_handler(old);
    if (handler_calls || bad)
        fail_msg("%ld calls of the GSL error handler, %zu quantiles outside the support",
                 handler_calls, bad);
}

static const char *const every_kind[] = {"beta(2,5)",     "gamma(3,2)",        "lognormal(0.5,0.4)",
                                         "uniform(-1,3)", "triangular(1,2,6)", "pert(0,3,12)"};
#define N_EVERY (sizeof every_kind / sizeof every_kind[0])

/* u = 0 and 1 are clamped to finite values inside the support; the quantile never decreases. */
static void test_quantile_range(void **state)
{
    (void)state;
    for (size_t k = 0; k < N_EVERY; k++) {
        nsm_dist d = parse(every_kind[k]);
        double lo, hi, prev = -(double)INFINITY;
        nsm_dist_support(&d, &lo, &hi);
        for (int i = 0; i <= 1000; i++) {
            double q = nsm_dist_quantile(&d, i / 1000.0);
            if (!isfinite(q) || q < lo || q > hi || q < prev)
                fail_msg("%s at u=%g: %.17g (support [%g,%g], previous %.17g)", every_kind[k],
                         i / 1000.0, q, lo, hi, prev);
            prev = q;
        }
        assert_true(isnan(nsm_dist_quantile(&d, (double)NAN)));
    }
}

static void test_support(void **state)
{
    (void)state;
    static const double want[N_EVERY][2] = {{0, 1}, {0, (double)INFINITY}, {0, (double)INFINITY},
                                            {-1, 3}, {1, 6},       {0, 12}};
    for (size_t k = 0; k < N_EVERY; k++) {
        nsm_dist d = parse(every_kind[k]);
        double lo, hi;
        nsm_dist_support(&d, &lo, &hi);
        if (lo != want[k][0] || hi != want[k][1])
            fail_msg("%s: support [%g,%g], expected [%g,%g]", every_kind[k], lo, hi, want[k][0],
                     want[k][1]);
    }
}

/* 10^5 draws of quantile(U) at a fixed seed: the sample mean is within Z_TOL standard errors of
** the closed-form mean. The parameters are asymmetric, so a swapped pair would be caught. */
static void sampling_means(int sampler)
{
    enum { N = 100000 };
    static double x[N];
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 20261122);
    for (size_t k = 0; k < N_EVERY; k++) {
        nsm_dist d = parse(every_kind[k]);
        for (size_t i = 0; i < N; i++)
            x[i] = sampler ? nsm_dist_sample(&d, rng) : nsm_dist_quantile(&d, gsl_rng_uniform(rng));
        double mean = gsl_stats_mean(x, 1, N), se = gsl_stats_sd_m(x, 1, N, mean) / sqrt(N);
        double exact = nsm_dist_mean(&d), z = fabs(mean - exact) / se;
        if (!(z <= Z_TOL))
            fail_msg("%s (%s): sample mean %.6f, exact %.6f (%.1f standard errors)",
                     every_kind[k], sampler ? "sampler" : "quantile", mean, exact, z);
    }
    gsl_rng_free(rng);
}

static void test_sampling_means(void **state)
{
    (void)state;
    sampling_means(0);
}

/* The same for GSL's samplers (nsm_dist_sample), which per-replication draws use. */
static void test_sampler_means(void **state)
{
    (void)state;
    sampling_means(1);
}

/* A prepared sampler (nsm_dist_sampler) draws exactly what nsm_dist_sample draws, bit for bit, and
** leaves the generator where nsm_dist_sample leaves it: two generators seeded alike, one drawing
** through each, agree on every draw and on the next uniform. Per-replication draws use it, so a
** seed's outputs did not move when it replaced nsm_dist_sample there. PERT with asymmetric and
** with fractional parameters, where its beta parameters are not whole numbers; Weibull and fixed too;
** beta, which the sampler draws without nsm_dist_sample's call, with both parameters at most 1
** (GSL's other algorithm) and with one of them. */
static void test_prepared_sampler(void **state)
{
    (void)state;
    const char *extra[] = {"pert(0.013, 0.05, 0.37)", "pert(-2, 1.5, 9)", "weibull(1.5, 2)", "fixed(3)",
                           "beta(0.5, 0.8)", "beta(2.5, 0.5)"};
    gsl_rng *r1 = gsl_rng_alloc(gsl_rng_mt19937), *r2 = gsl_rng_alloc(gsl_rng_mt19937);
    for (size_t k = 0; k < N_EVERY + sizeof extra / sizeof extra[0]; k++) {
        nsm_dist d = parse(k < N_EVERY ? every_kind[k] : extra[k - N_EVERY]);
        nsm_dist_sampler s;
        nsm_dist_sampler_init(&s, &d);
        gsl_rng_set(r1, 77 + k);
        gsl_rng_set(r2, 77 + k);
        for (int i = 0; i < 20000; i++) {
            double a = nsm_dist_sample(&d, r1), b = nsm_dist_sampler_draw(&s, r2);
            if (memcmp(&a, &b, sizeof a) != 0)
                fail_msg("%s, draw %d: nsm_dist_sample %.17g, the sampler %.17g",
                         k < N_EVERY ? every_kind[k] : extra[k - N_EVERY], i, a, b);
        }
        assert_int_equal(gsl_rng_get(r1), gsl_rng_get(r2));
    }
    gsl_rng_free(r1);
    gsl_rng_free(r2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_looks_like_a_distribution),
        cmocka_unit_test(test_parse_each_kind),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_parse_error_buffers),
        cmocka_unit_test(test_format_round_trip),
        cmocka_unit_test(test_means),
        cmocka_unit_test(test_known_quantiles),
        cmocka_unit_test(test_quantile_round_trips),
        cmocka_unit_test(test_quantiles_where_gsl_fails),
        cmocka_unit_test(test_quantiles_never_call_the_error_handler),
        cmocka_unit_test(test_quantile_range),
        cmocka_unit_test(test_support),
        cmocka_unit_test(test_sampling_means),
        cmocka_unit_test(test_sampler_means),
        cmocka_unit_test(test_prepared_sampler),
    };
    return cmocka_run_group_tests_name("dist", tests, NULL, NULL);
}
