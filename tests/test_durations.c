/*
** test_durations.c: transitions with a duration (transitions.csv, column `duration`), against
** closed forms with tolerances in Monte Carlo standard errors at fixed seeds, and the exact rules
** of scenarios/README.md ("Semantics"): a fixed duration ends exactly on its day, after the
** calendar rows of that instant; a duration restarts on each entry into `from` and is cancelled
** by a departure; a stay that began before the start (factors.csv, `entered`) runs only what is
** left of it (a deadline to its day, a law given the time already spent, nsm_dist_sample_beyond);
** the results are byte-identical for 1, 2 and 4 threads.
**
** Each replication is watched through the engine's observer (engine.h), which gives the exact
** time and the cause of every change.
*/
#include "nsm_test.h"
#include "nsm_model_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neasim/dist.h"
#include "neasim/engine.h"
#include "neasim/results.h"
#include "neasim/scenario.h"

#define MAX_CHANGES 256

typedef struct {
    int n;
    double t[MAX_CHANGES];
    int factor[MAX_CHANGES], from[MAX_CHANGES], to[MAX_CHANGES];
    nsm_cause cause[MAX_CHANGES];
    int cause_index[MAX_CHANGES];
    int start_level[4];
} story;

static void observe(void *ctx, const nsm_seen *w)
{
    story *c = ctx;
    if (w->kind == NSM_SEEN_START && w->factor < 4)
        c->start_level[w->factor] = w->to;
    if (w->kind != NSM_SEEN_CHANGE || c->n >= MAX_CHANGES)
        return;
    c->t[c->n] = w->t;
    c->factor[c->n] = w->factor;
    c->from[c->n] = w->from;
    c->to[c->n] = w->to;
    c->cause[c->n] = w->cause;
    c->cause_index[c->n] = w->cause_index;
    c->n++;
}

/* Replications 0..n-1 of a model, each handed to `check` with its story. */
typedef void (*story_check)(const nsm_model *m, const story *c, void *ctx);

static void replay(const char *name, uint64_t seed, int n, story_check check, void *ctx)
{
    nsm_model *m = nsm_test_load(name);
    nsm_sim *s = nsm_sim_alloc(m);
    nsm_accum *a = nsm_accum_alloc(m);
    assert_true(s && a);
    story c;
    nsm_sim_set_observer(s, observe, &c);
    for (int rep = 0; rep < n; rep++) {
        memset(&c, 0, sizeof c);
        nsm_diag d;
        nsm_diag_init(&d);
        if (nsm_sim_replicate(s, seed, (uint64_t)rep, a, &d) != NSM_OK)
            fail_msg("%s, replication %d: %s", name, rep, d.error ? d.error : "?");
        nsm_diag_release(&d);
        if (c.n >= MAX_CHANGES)
            fail_msg("%s, replication %d: more than %d changes", name, rep, MAX_CHANGES);
        check(m, &c, ctx);
    }
    nsm_accum_free(a);
    nsm_sim_free(s);
    nsm_model_free(m);
}

/* ---------------------------------------------------------------- a deadline and a hazard */

typedef struct {
    int64_t hazard_first, deadline, bad_time, bad_order, bad_cause;
} deadline_tally;

/* tests/models/deadline: f leaves a by the hazard a>b (2 a year) or at the deadline a>c (180
** days); g is set by the calendar on day 180 itself, so the deadline must come after it. */
static void deadline_check(const nsm_model *m, const story *c, void *ctx)
{
    deadline_tally *x = ctx;
    (void)m;
    for (int i = 0; i < c->n; i++) {
        if (c->factor[i] != 0)
            continue;
        if (c->to[i] == 1) {
            x->hazard_first++;
            x->bad_cause += c->cause[i] != NSM_CAUSE_HAZARD || c->t[i] >= 180.0;
        } else {
            x->deadline++;
            x->bad_time += c->t[i] != 180.0; /* exactly the day: no rounding step either way */
            x->bad_cause += c->cause[i] != NSM_CAUSE_DURATION || c->cause_index[i] != 1;
            /* the calendar's row of that instant came first */
            x->bad_order += !(i > 0 && c->factor[i - 1] == 1 && c->t[i - 1] == 180.0);
        }
        return;
    }
    x->bad_cause++; /* f never left a: impossible within the horizon */
}

/* P(the hazard comes first) = 1 - exp(-a D), a = 2 per year, D = 180 days. */
static void test_deadline_competes_with_hazard(void **state)
{
    (void)state;
    const int n = 200000;
    deadline_tally x = {0};
    replay("deadline", 31, n, deadline_check, &x);
    double p = 1 - exp(-2.0 * 180.0 / 365.25), z = nsm_test_z_prop(x.hazard_first, n, p);
    print_message("deadline: P(hazard first) %.5f, exact %.5f, z = %.2f\n",
                  (double)x.hazard_first / n, p, z);
    if (fabs(z) > NSM_TEST_Z_TOL)
        fail_msg("P(hazard first): %.5f vs %.5f (z = %.1f)", (double)x.hazard_first / n, p, z);
    assert_int_equal(x.hazard_first + x.deadline, n);
    assert_int_equal(x.bad_time, 0);
    assert_int_equal(x.bad_order, 0);
    assert_int_equal(x.bad_cause, 0);
}

/* ---------------------------------------------------------------- a Weibull sojourn */

typedef struct {
    double *t;
    int n;
} times;

static void sojourn_check(const nsm_model *m, const story *c, void *ctx)
{
    times *x = ctx;
    (void)m;
    if (c->n != 1 || c->cause[0] != NSM_CAUSE_DURATION)
        fail_msg("a Weibull sojourn: %d changes, cause %d", c->n, c->n ? (int)c->cause[0] : -1);
    x->t[x->n++] = c->t[0] / 365.25;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The time to leave a is Weibull with shape 1.5 and scale 2 years: the share below each exact
** quantile within 4 binomial standard errors, and the Kolmogorov-Smirnov distance below its 0.1%
** critical value (1.95 / sqrt(n)). */
static void test_weibull_sojourn(void **state)
{
    (void)state;
    const int n = 100000;
    times x = {calloc((size_t)n, sizeof(double)), 0};
    replay("weibull_sojourn", 32, n, sojourn_check, &x);
    qsort(x.t, (size_t)n, sizeof *x.t, by_value);
    double zmax = 0, ks = 0;
    for (double p = 0.05; p < 0.96; p += 0.15) {
        double q = 2.0 * pow(-log1p(-p), 1.0 / 1.5);
        int64_t k = 0;
        while (k < n && x.t[k] <= q)
            k++;
        double z = nsm_test_z_prop(k, n, p);
        zmax = fabs(z) > fabs(zmax) ? z : zmax;
        if (fabs(z) > NSM_TEST_Z_TOL)
            fail_msg("P(T <= %.4f years): %.5f vs %.5f (z = %.1f)", q, (double)k / n, p, z);
    }
    for (int i = 0; i < n; i++) {
        double f = 1 - exp(-pow(x.t[i] / 2.0, 1.5));
        double d = fmax(fabs(f - (double)i / n), fabs((double)(i + 1) / n - f));
        ks = d > ks ? d : ks;
    }
    print_message("weibull: largest quantile z = %.2f, KS sqrt(n) D = %.3f (0.1%% critical 1.95)\n",
                  zmax, ks * sqrt(n));
    if (ks * sqrt(n) > 1.95)
        fail_msg("Kolmogorov-Smirnov: sqrt(n) D = %.3f", ks * sqrt(n));
    free(x.t);
}

/* ---------------------------------------------------------------- restarts and cancellation */

typedef struct {
    int64_t fired, broken, bad;
} restart_tally;

/* tests/models/sojourn_restart: a>b after one year in a without a break (a>c, c>a and b>a are
** hazards). Every firing is exactly 365.25 days after the last entry into a; every stay in a
** that a hazard ends is shorter. */
static void restart_check(const nsm_model *m, const story *c, void *ctx)
{
    restart_tally *x = ctx;
    (void)m;
    int in_a = c->start_level[0] == 0;
    double entered = 0.0;
    for (int i = 0; i < c->n; i++) {
        if (c->from[i] == 0) {
            if (!in_a)
                x->bad++;
            if (c->to[i] == 1) {
                x->fired++;
                x->bad += c->t[i] != entered + 365.25 || c->cause[i] != NSM_CAUSE_DURATION;
            } else {
                x->broken++;
                x->bad += !(c->t[i] - entered < 365.25) || c->cause[i] != NSM_CAUSE_HAZARD;
            }
            in_a = 0;
        }
        if (c->to[i] == 0) {
            in_a = 1;
            entered = c->t[i];
        }
    }
}

static void test_duration_restarts_and_is_cancelled(void **state)
{
    (void)state;
    restart_tally x = {0};
    replay("sojourn_restart", 33, 20000, restart_check, &x);
    print_message("restart: %lld deadlines, %lld stays ended by a hazard first\n",
                  (long long)x.fired, (long long)x.broken);
    assert_true(x.fired > 1000 && x.broken > 1000);
    assert_int_equal(x.bad, 0);
}

/* ---------------------------------------------------------------- the laws added to dist.c */

/* weibull(k, lambda): quantile lambda (-ln(1-u))^(1/k), mean lambda Gamma(1 + 1/k), GSL's sampler
** in law (sample mean within 4 standard errors); fixed(x) is x; nsm_dist_check refuses what the
** parser refuses. */
static void test_weibull_and_fixed_laws(void **state)
{
    (void)state;
    nsm_dist w;
    assert_int_equal(nsm_dist_parse("weibull(1.5, 2)", &w, NULL, NULL), NSM_OK);
    for (double u = 0.01; u < 1; u += 0.07) {
        double want = 2.0 * pow(-log1p(-u), 1.0 / 1.5);
        assert_true(fabs(nsm_dist_quantile(&w, u) - want) <= 1e-12 * want);
    }
    double mean = 2.0 * tgamma(1.0 + 1.0 / 1.5), var = 4.0 * tgamma(1.0 + 2.0 / 1.5) - mean * mean;
    assert_true(fabs(nsm_dist_mean(&w) - mean) <= 1e-12 * mean);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 7);
    const int n = 200000;
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += nsm_dist_sample(&w, r);
    double z = (sum / n - mean) / sqrt(var / n);
    print_message("weibull(1.5,2): sample mean z = %.2f\n", z);
    assert_true(fabs(z) < NSM_TEST_Z_TOL);
    gsl_rng_free(r);
    nsm_dist f;
    assert_int_equal(nsm_dist_parse("fixed(180)", &f, NULL, NULL), NSM_OK);
    assert_true(nsm_dist_mean(&f) == 180.0 && nsm_dist_quantile(&f, 0.3) == 180.0);
    nsm_dist bad = {NSM_DIST_WEIBULL, {0, 2, 0}};
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_dist_check(&bad, &d), NSM_ERR_INPUT);
    assert_non_null(strstr(d.error, "weibull's shape and scale must be above 0"));
    nsm_diag_release(&d);
}

/* ---------------------------------------------------------------- a stay begun before the start */

typedef struct {
    int64_t first, later, bad;
} entered_tally;

/* tests/models/entered_deadline: f has been in a since 60 days before the start, and a>c is a
** deadline of 180 days with no hazard competing: every replication leaves a exactly on day 120
** (2025-05-01), and each later stay in a (after the hazard c>a) lasts exactly 180 days. */
static void entered_deadline_check(const nsm_model *m, const story *c, void *ctx)
{
    entered_tally *x = ctx;
    char date[11];
    double entered = -60.0;
    if (c->n == 0 || c->start_level[0] != 0)
        x->bad++;
    for (int i = 0; i < c->n; i++) {
        if (c->to[i] == 0) {
            entered = c->t[i];
            continue;
        }
        x->bad += c->t[i] != entered + 180.0 || c->cause[i] != NSM_CAUSE_DURATION;
        if (i == 0) {
            nsm_model_date(m, c->t[i], date);
            x->bad += c->t[i] != 120.0 || strcmp(date, "2025-05-01") != 0;
            x->first++;
        } else {
            x->later++;
        }
    }
}

static void test_entered_deadline(void **state)
{
    (void)state;
    entered_tally x = {0};
    replay("entered_deadline", 41, 20000, entered_deadline_check, &x);
    print_message("entered deadline: %lld first ends on day 120, %lld later stays of 180 days\n",
                  (long long)x.first, (long long)x.later);
    assert_int_equal(x.first, 20000);
    assert_true(x.later > 20000);
    assert_int_equal(x.bad, 0);
}

/* tests/models/entered_weibull: f has been in a for e = 366 days at the start, and its stay is
** weibull(1.5, 2) years, so the time left R has P(R > x) = exp((e/2)^1.5 - ((e + x)/2)^1.5) (in
** years): the share beyond each of a few x within 4 binomial standard errors, and the mean of R
** against its exact value, the integral of that survival function (Simpson's rule, 1e-9). */
static double weibull_left(double e, double x)
{
    return exp(pow(e / 2.0, 1.5) - pow((e + x) / 2.0, 1.5));
}

static void test_entered_weibull(void **state)
{
    (void)state;
    const int n = 100000;
    const double e = 366.0 / 365.25;
    times x = {calloc((size_t)n, sizeof(double)), 0};
    replay("entered_weibull", 42, n, sojourn_check, &x);
    double zmax = 0, sum = 0, sum2 = 0;
    for (double q = 0.1; q < 4.0; q *= 2.2) {
        int64_t k = 0;
        for (int i = 0; i < n; i++)
            k += x.t[i] > q;
        double p = weibull_left(e, q), z = nsm_test_z_prop(k, n, p);
        zmax = fabs(z) > fabs(zmax) ? z : zmax;
        if (fabs(z) > NSM_TEST_Z_TOL)
            fail_msg("P(R > %.3f years): %.5f vs %.5f (z = %.1f)", q, (double)k / n, p, z);
    }
    for (int i = 0; i < n; i++) {
        sum += x.t[i];
        sum2 += x.t[i] * x.t[i];
    }
    double mean = 0, h = 40.0 / 40000;
    for (int i = 0; i <= 40000; i++)
        mean += (i == 0 || i == 40000 ? 1 : i % 2 ? 4 : 2) * weibull_left(e, i * h) * h / 3;
    double est = sum / n, se = sqrt((sum2 / n - est * est) / n), z = (est - mean) / se;
    print_message("entered weibull: largest survival z = %.2f; mean time left %.4f years, exact "
                  "%.4f (z = %.2f; %.4f without the date)\n", zmax, est, mean, z,
                  2.0 * tgamma(1.0 + 1.0 / 1.5));
    if (fabs(z) > NSM_TEST_Z_TOL)
        fail_msg("mean time left: %.5f vs %.5f (z = %.1f)", est, mean, z);
    free(x.t);
}

/* nsm_dist_sample_beyond, against survival functions in closed form (not GSL's): gamma(2, theta),
** Q(y) = (1 + y/theta) exp(-y/theta); lognormal, Q(y) = erfc((ln y - mu) / (sigma sqrt 2)) / 2;
** uniform(a, b), Q(y) = (b - y) / (b - a). P(X > y | X > x) within 4 standard errors at a few y;
** nothing below x; x itself when nothing lies beyond it. */
static double gamma2_q(double y, double theta)
{
    return (1 + y / theta) * exp(-y / theta);
}

static double lognormal_q(double y, double mu, double sigma)
{
    return 0.5 * erfc((log(y) - mu) / (sigma * sqrt(2.0)));
}

static void beyond_check(const char *law, double x, const double *ys, const double *want, int k)
{
    nsm_dist d;
    assert_int_equal(nsm_dist_parse(law, &d, NULL, NULL), NSM_OK);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 11);
    const int n = 100000;
    int64_t over[8] = {0}, below = 0;
    for (int i = 0; i < n; i++) {
        double v = nsm_dist_sample_beyond(&d, x, r);
        below += !(v > x);
        for (int j = 0; j < k; j++)
            over[j] += v > ys[j];
    }
    for (int j = 0; j < k; j++) {
        double z = nsm_test_z_prop(over[j], n, want[j]);
        print_message("%s beyond %g: P(> %g) %.5f, exact %.5f, z = %.2f\n", law, x, ys[j],
                      (double)over[j] / n, want[j], z);
        if (fabs(z) > NSM_TEST_Z_TOL)
            fail_msg("%s beyond %g: P(> %g) %.5f vs %.5f", law, x, ys[j], (double)over[j] / n,
                     want[j]);
    }
    assert_int_equal(below, 0);
    gsl_rng_free(r);
}

static void test_sample_beyond(void **state)
{
    (void)state;
    double gy[3] = {32, 40, 55}, gw[3];
    for (int j = 0; j < 3; j++)
        gw[j] = gamma2_q(gy[j], 10) / gamma2_q(30, 10);
    beyond_check("gamma(2, 10)", 30, gy, gw, 3);
    double ly[3] = {2.5, 4, 8}, lw[3];
    for (int j = 0; j < 3; j++)
        lw[j] = lognormal_q(ly[j], 0.2, 0.5) / lognormal_q(2, 0.2, 0.5);
    beyond_check("lognormal(0.2, 0.5)", 2, ly, lw, 3);
    double uy[2] = {70, 90}, uw[2] = {30.0 / 40, 10.0 / 40};
    beyond_check("uniform(10, 100)", 60, uy, uw, 2);
    nsm_dist u;
    assert_int_equal(nsm_dist_parse("uniform(10, 100)", &u, NULL, NULL), NSM_OK);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    assert_true(nsm_dist_sample_beyond(&u, 120, r) == 120); /* nothing beyond: x itself */
    gsl_rng_free(r);
}

/* ---------------------------------------------------------------- threads */

static void test_threads_byte_identical(void **state)
{
    (void)state;
    static const char *models[] = {"deadline", "weibull_sojourn", "sojourn_restart",
                                   "entered_deadline", "entered_weibull"};
    for (size_t k = 0; k < sizeof models / sizeof models[0]; k++)
        nsm_test_same_for_threads(models[k], 20000, 77);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deadline_competes_with_hazard),
        cmocka_unit_test(test_weibull_sojourn),
        cmocka_unit_test(test_duration_restarts_and_is_cancelled),
        cmocka_unit_test(test_weibull_and_fixed_laws),
        cmocka_unit_test(test_entered_deadline),
        cmocka_unit_test(test_entered_weibull),
        cmocka_unit_test(test_sample_beyond),
        cmocka_unit_test(test_threads_byte_identical),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
