/*
** test_story.c: routes and signposts (story.h, storystats.h).
**
** Known answers for the statistics: Newcombe's hybrid score interval for 56/70 - 48/80 is
** 0.0524 to 0.3339 (Newcombe 1998, Table II, method 10); the Katz interval and the grouped median
** against hand computations (R, printed in the comments).
**
** Closed forms on two test models, tolerances in Monte Carlo standard errors:
** - tests/models/routes: x goes a -> b (rate 1) or a -> c (rate 3), then to d at rate 2 either
**   way. P(route via b) = 1 / (1 + 3) = 0.25; the time to d is Exp(4) + Exp(2) on both routes, with
**   CDF F(t) = (1 - e^{-2t})^2, median -ln(1 - sqrt(1/2)) / 2 = 0.6140 years.
** - tests/models/signposts: u turns on at rate alpha = 0.5; v turns yes at rate beta = 0.4 only
**   while u is on. Watch date w, horizon H, T = H - w. Given u on by w and v not yet yes,
**   P(v yes in (w, H]) = 1 - e^{-beta T} (memoryless); given u still off at w,
**   (1 - e^{-alpha T}) - alpha (e^{-beta T} - e^{-alpha T}) / (alpha - beta). u fires by w with
**   probability 1 - e^{-alpha w}. z is independent of both: its difference is 0.
** And the tables are the same for 1, 2 and 4 threads, and when slices of the replications go through
** partial results (partial.h) and are added back in any order; packing and reading them is
** refused when the story is not finished or was recorded with other options, and reading is refused
** when a part sealed again after its counts were changed holds counts no run can produce.
*/
#include "nsm_test.h"
#include "nsm_model_test.h"
#include "nsm_part_test.h"

#include <math.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "neasim/accum.h"
#include "neasim/partial.h"
#include "neasim/storystats.h"
#include "neasim/storyout.h"
#include "sim/internal.h" /* a story's counts, to force one (test_same_runs_one_signal) */

static void near(double got, double want, double tol, const char *what)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("%s: %.6f, expected %.6f +- %.6f", what, got, want, tol);
}

static void test_newcombe_known_answer(void **state)
{
    (void)state;
    nsm_estimate d = nsm_difference_newcombe(56, 70, 48, 80);
    near(d.est, 0.2, 1e-12, "difference");
    near(d.lo, 0.0524314724, 1e-9, "lower"); /* Newcombe 1998: 0.0524 */
    near(d.hi, 0.3338726540, 1e-9, "upper"); /* 0.3339 */
    assert_true(isnan(nsm_difference_newcombe(1, 0, 1, 2).est));
}

static void test_katz_known_answer(void **state)
{
    (void)state;
    /* R: rr <- (56/70)/(48/80); se <- sqrt(1/56 - 1/70 + 1/48 - 1/80); rr * exp(c(-1,1) *
    ** qnorm(.975) * se) */
    nsm_estimate r = nsm_risk_ratio_katz(56, 70, 48, 80);
    near(r.est, 4.0 / 3.0, 1e-12, "ratio");
    near(r.lo, 1.0766264228, 1e-9, "lower");
    near(r.hi, 1.6512485113, 1e-9, "upper");
    /* a zero cell: 0.5 added to each of the four cells (0.5/10.5) / (5.5/15.5)... of 11 and 21 */
    r = nsm_risk_ratio_katz(0, 10, 5, 20);
    near(r.est, 0.1735537190, 1e-9, "ratio, zero cell");
    near(r.lo, 0.0105364660, 1e-9, "lower, zero cell");
    near(r.hi, 2.8587282728, 1e-9, "upper, zero cell");
    assert_true(isnan(nsm_risk_ratio_katz(1, 2, 0, 0).lo));
}

static void test_grouped_median_known_answer(void **state)
{
    (void)state;
    const double t[] = {0, 1, 2, 3};
    const int64_t a[] = {0, 2, 2, 0}, b[] = {0, 1, 2, 1}, none[] = {0, 0, 0, 0};
    near(nsm_grouped_median(a, t, 4), 1.0, 1e-12, "half in the first period");
    near(nsm_grouped_median(b, t, 4), 1.5, 1e-12, "1 of 4 before, 2 in (1, 2]: 1 + (2-1)/2");
    assert_true(isnan(nsm_grouped_median(none, t, 4)));
}

/* Run replications first .. first + runs - 1 of model m with routes and signposts (watch 1, 2, 3
** years), finished. */
static nsm_story *story_slice(const nsm_model *m, uint64_t first, uint64_t runs, int threads)
{
    nsm_story_options so = {1, 1, 3, {1, 2, 3}};
    assert_int_equal(nsm_story_check(m, &so, NULL), NSM_OK);
    nsm_story *st = nsm_story_alloc(m, &so);
    nsm_accum *acc = nsm_accum_alloc(m);
    assert_non_null(st);
    assert_non_null(acc);
    nsm_run_config c = {20261202, runs, first, threads, NULL, NULL, NULL, NSM_UNCERTAINTY_NOMINAL,
                        0, 0};
    assert_int_equal(nsm_run_story(m, &c, acc, st, NULL, NULL), NSM_OK);
    assert_int_equal(nsm_story_finish(st), NSM_OK);
    assert_int_equal(nsm_story_runs(st), runs);
    nsm_accum_free(acc);
    return st;
}

static nsm_story *story_run(const nsm_model *m, uint64_t runs, int threads)
{
    return story_slice(m, 0, runs, threads);
}

/* The median of the closed form F(t) = (1 - e^{-2t})^2 truncated at the horizon H: F(m) = F(H)/2. */
static double routes_median(double h)
{
    double target = pow(1 - exp(-2 * h), 2) / 2;
    return -log(1 - sqrt(target)) / 2;
}

static void test_routes_closed_form(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("routes");
    const uint64_t runs = 20000;
    nsm_story *st = story_run(m, runs, 2);
    char text[512];
    int64_t all = nsm_story_onsets(st, 0);
    assert_int_equal(nsm_story_n_routes(st, 0), 2); /* noise is not among x's route factors */
    double h = nsm_years(m->t_end), med = routes_median(h);
    for (int k = 0; k < 2; k++) {
        nsm_route r = nsm_story_route(st, 0, k);
        nsm_route_text(m, &r, text, sizeof text);
        int via_b = strcmp(text, "x=b -> x=d") == 0;
        if (!via_b && strcmp(text, "x=c -> x=d") != 0)
            fail_msg("unexpected route '%s'", text);
        double p = via_b ? 0.25 : 0.75, se = sqrt(p * (1 - p) / (double)all);
        near((double)r.onsets / (double)all, p, 4 * se, text);
        /* the median's standard error: sqrt(1/4 / n) / f(median), f(t) = 4 (1 - e^{-2t}) e^{-2t};
        ** plus a twentieth of a month for the grouping by report period */
        double f = 4 * (1 - exp(-2 * med)) * exp(-2 * med);
        double mse = sqrt(0.25 / (double)r.onsets) / f;
        int64_t per[200];
        assert_true(m->n_reports <= 200);
        nsm_story_route_periods(st, 0, k, per);
        near(nsm_years(nsm_grouped_median(per, m->report_t, m->n_reports)), med,
             4 * mse + 1.0 / 240, "median time to onset");
    }
    /* told in x and noise: noise's flips collapse to its net change (noise=hi in force at the
    ** onset, or nothing), before or after x's first step: at most 6 routes (8 under the weaker
    ** rule of consecutive flips alone); every route ends in x=d */
    int n = nsm_story_n_routes(st, 1);
    assert_true(n > 2 && n <= 8);
    for (int k = 0; k < n; k++) {
        nsm_route r = nsm_story_route(st, 1, k);
        assert_false(r.truncated);
        assert_int_equal(r.step[r.n_steps - 1], m->factors[0].first_level + 3);
    }
    nsm_story_free(st);
    nsm_model_free(m);
}

static double p_with(double beta, double T)
{
    return 1 - exp(-beta * T);
}

static double p_without(double alpha, double beta, double T)
{
    return (1 - exp(-alpha * T)) - alpha * (exp(-beta * T) - exp(-alpha * T)) / (alpha - beta);
}

static void test_signposts_closed_form(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("signposts");
    const uint64_t runs = 40000;
    const double alpha = 0.5, beta = 0.4;
    nsm_story *st = story_run(m, runs, 2);
    nsm_signpost *s = calloc((size_t)nsm_story_n_indicators(st), sizeof *s);
    assert_non_null(s);
    const int u_on = m->factors[0].first_level + 1, v_yes = m->factors[1].first_level + 1;
    const int z_hi = m->factors[2].first_level + 1;
    for (int w = 0; w < 3; w++) {
        double tw = nsm_years(nsm_story_watch_t(st, w)), T = nsm_years(m->t_end) - tw;
        int n = nsm_signposts_rank(m, st, 0, w, s);
        assert_int_equal(n, 2); /* u=on first, z=hi; v=yes is the outcome itself */
        assert_int_equal(s[0].indicator, u_on);
        assert_int_equal(s[1].indicator, z_hi);
        assert_true(nsm_signpost_is_own(m, 0, v_yes));
        double p1 = p_with(beta, T), p0 = p_without(alpha, beta, T), q = 1 - exp(-alpha * tw);
        near(s[0].with.p, p1, 4 * sqrt(p1 * (1 - p1) / (double)s[0].n_with), "P(onset | u on)");
        near(s[0].without.p, p0, 4 * sqrt(p0 * (1 - p0) / (double)s[0].n_without),
             "P(onset | u off)");
        near(s[0].fires, q, 4 * sqrt(q * (1 - q) / (double)runs), "P(u on by w)");
        /* the ratio on the log scale, its standard error from the Katz interval's width */
        double lse = (log(s[0].ratio.hi) - log(s[0].ratio.lo)) / (2 * 1.959964);
        near(log(s[0].ratio.est), log(p1 / p0), 4 * lse, "log risk ratio");
        /* z: independent, so its difference is 0 within 4 standard errors */
        double se = sqrt(s[1].with.p * (1 - s[1].with.p) / (double)s[1].n_with +
                         s[1].without.p * (1 - s[1].without.p) / (double)s[1].n_without);
        near(s[1].difference.est, 0, 4 * se, "difference of an independent indicator");
    }
    free(s);
    nsm_story_free(st);
    nsm_model_free(m);
}

/* Every count the tables are made of, as text. */
static char *tables(const nsm_model *m, const nsm_story *st)
{
    size_t cap = 1 << 20, len = 0;
    char *b = malloc(cap), text[512];
    assert_non_null(b);
    for (int o = 0; o < m->n_outcomes; o++) {
        for (int k = 0; k < nsm_story_n_routes(st, o); k++) {
            nsm_route r = nsm_story_route(st, o, k);
            nsm_route_text(m, &r, text, sizeof text);
            len += (size_t)snprintf(b + len, cap - len, "%d %s %lld:", o, text, (long long)r.onsets);
            int64_t per[200];
            assert_true(m->n_reports <= 200);
            nsm_story_route_periods(st, o, k, per);
            for (int i = 0; i < m->n_reports && len < cap; i++)
                len += (size_t)snprintf(b + len, cap - len, " %lld", (long long)per[i]);
            len += (size_t)snprintf(b + len, cap - len, "\n");
        }
        for (int w = 0; w < 3; w++)
            for (int j = 0; j < nsm_story_n_indicators(st); j++) {
                nsm_story_counts c = nsm_story_signpost(st, o, w, j);
                len += (size_t)snprintf(b + len, cap - len, "%d %d %d %lld %lld %lld\n", o, w, j,
                                        (long long)c.runs, (long long)c.onsets,
                                        (long long)nsm_story_fired(st, w, j));
            }
    }
    assert_true(len < cap);
    return b;
}

static void test_same_for_any_thread_count(void **state)
{
    (void)state;
    const char *models[] = {"routes", "signposts", "signpost_twins"};
    for (int k = 0; k < 3; k++) {
        nsm_model *m = nsm_test_load(models[k]);
        char *t[3];
        const int threads[3] = {1, 2, 4};
        for (int j = 0; j < 3; j++) {
            nsm_story *st = story_run(m, 3000, threads[j]);
            t[j] = tables(m, st);
            nsm_story_free(st);
        }
        assert_string_equal(t[0], t[1]);
        assert_string_equal(t[0], t[2]);
        for (int j = 0; j < 3; j++)
            free(t[j]);
        nsm_model_free(m);
    }
}

/* Two indicators that happen in the same replications are one signal: u entering on, and the
** counted event that change sets off at once (tests/models/signpost_twins). At every watch date
** they are found the same, ranked side by side (the level first, in indicator order), the second
** naming the first (same_as), no other row naming any; z entering hi is not the same as u=on, nor
** is it once its count of replications is forced to u=on's (the replications' hashes differ: the
** count alone does not make two indicators one). */
static void test_same_runs_one_signal(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("signpost_twins");
    nsm_story *st = story_run(m, 3000, 2);
    const int on = m->factors[0].first_level + 1, hi = m->factors[2].first_level + 1,
              ev = m->n_levels_total, J = nsm_story_n_indicators(st);
    assert_string_equal(m->factors[0].name, "u");
    assert_string_equal(m->factors[2].name, "z");
    nsm_signpost *s = calloc((size_t)J, sizeof *s);
    assert_non_null(s);
    for (int w = 0; w < 3; w++) {
        assert_true(nsm_story_fired(st, w, on) > 0 && nsm_story_fired(st, w, on) < 3000);
        assert_true(nsm_story_same_runs(st, w, on, ev) && nsm_story_same_runs(st, w, ev, on));
        assert_false(nsm_story_same_runs(st, w, on, hi));
        int n = nsm_signposts_rank(m, st, 0, w, s), at_on = -1, at_ev = -1;
        for (int k = 0; k < n; k++) {
            if (s[k].indicator == on)
                at_on = k;
            else if (s[k].indicator == ev)
                at_ev = k;
            else
                assert_int_equal(s[k].same_as, -1);
        }
        assert_true(at_on >= 0 && at_ev == at_on + 1);
        assert_int_equal(s[at_on].same_as, -1);
        assert_int_equal(s[at_ev].same_as, on);
        st->fired[(size_t)w * (size_t)J + (size_t)hi] = nsm_story_fired(st, w, on);
        assert_false(nsm_story_same_runs(st, w, on, hi));
    }
    free(s);
    nsm_story_free(st);
    nsm_model_free(m);
}

/* A sealed part holding story a alone (finished). */
static nsm_part *story_part(const nsm_story *a)
{
    static char kind[] = "run", version[] = "test", sum[] = "abc", where[] = "/nowhere",
                options[] = "--routes\n";
    nsm_part_head h = {kind, version, sum, where, options, 1, 1, 1, 0, 0};
    nsm_part *p = nsm_part_new(&h);
    assert_non_null(p);
    assert_int_equal(nsm_part_add_story(p, a), NSM_OK);
    assert_int_equal(nsm_part_seal(p, 0), NSM_OK);
    return p;
}

/* Replications 0..2999 recorded whole, and as slices 0..1199 and 1200..2999 each through a part
** (read back in the other order, as a merge of shards may meet them): every count the tables are
** made of is the same. A part's bytes do not depend on the threads (its routes are sorted). */
static void test_parts_add_up_to_the_whole(void **state)
{
    (void)state;
    const char *models[] = {"routes", "signposts", "signpost_twins"};
    for (int k = 0; k < 3; k++) {
        nsm_model *m = nsm_test_load(models[k]);
        nsm_story *whole = story_run(m, 3000, 2), *a = story_slice(m, 0, 1200, 1),
                  *b = story_slice(m, 1200, 1800, 2), *b4 = story_slice(m, 1200, 1800, 4);
        nsm_part *pa = story_part(a), *pb = story_part(b), *pb4 = story_part(b4);
        size_t n, n4;
        const unsigned char *bytes = nsm_part_bytes(pb, &n), *bytes4 = nsm_part_bytes(pb4, &n4);
        assert_true(n == n4 && memcmp(bytes, bytes4, n) == 0);
        nsm_part *ra = nsm_test_reopen(pa, "a"), *rb = nsm_test_reopen(pb, "b");
        nsm_story *sum = nsm_story_alloc_like(whole);
        nsm_diag d;
        nsm_diag_init(&d);
        assert_int_equal(nsm_part_read_story(rb, sum, &d), NSM_OK);
        assert_int_equal(nsm_part_read_story(ra, sum, &d), NSM_OK);
        assert_true(nsm_part_at_end(ra) && nsm_part_at_end(rb));
        assert_int_equal(nsm_story_finish(sum), NSM_OK);
        assert_int_equal(nsm_story_runs(sum), 3000);
        assert_true(nsm_story_n_routes(sum, 0) > (k == 0 ? 1 : 0)); /* routes: via b, via c */
        if (k == 2) /* the twins found in the sum of the parts too (the tables compared below) */
            assert_true(nsm_story_same_runs(sum, 0, m->factors[0].first_level + 1,
                                            m->n_levels_total));
        char *tw = tables(m, whole), *ts = tables(m, sum);
        assert_string_equal(tw, ts);
        free(tw);
        free(ts);
        nsm_diag_release(&d);
        nsm_part_free(pa);
        nsm_part_free(pb);
        nsm_part_free(pb4);
        nsm_part_free(ra);
        nsm_part_free(rb);
        nsm_story_free(whole);
        nsm_story_free(a);
        nsm_story_free(b);
        nsm_story_free(b4);
        nsm_story_free(sum);
        nsm_model_free(m);
    }
}

/* Refused: packing a story not finished (its routes in the threads' order); reading a story
** recorded with other watch dates or without routes, naming the part, adding nothing; reading a
** story where the part holds an accumulator. */
static void test_story_parts_refused(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("signposts");
    nsm_story_options so = {1, 1, 3, {1, 2, 3}}, watch = {1, 1, 2, {1, 2}},
                      signs = {0, 1, 3, {1, 2, 3}};
    nsm_story *raw = nsm_story_alloc(m, &so), *fin = story_run(m, 200, 2);
    static char kind[] = "run", version[] = "test", sum[] = "abc", where[] = "/x", none[] = "";
    nsm_part_head h = {kind, version, sum, where, none, 1, 1, 1, 0, 0};
    nsm_part *p = nsm_part_new(&h);
    assert_int_equal(nsm_part_add_story(p, raw), NSM_ERR_USAGE);
    nsm_part_free(p);
    nsm_part *w = story_part(fin);
    nsm_story *other[2] = {nsm_story_alloc(m, &watch), nsm_story_alloc(m, &signs)};
    for (int k = 0; k < 2; k++) {
        nsm_part *r = nsm_test_reopen(w, "p");
        nsm_diag d;
        nsm_diag_init(&d);
        assert_int_equal(nsm_part_read_story(r, other[k], &d), NSM_ERR_INPUT);
        assert_non_null(strstr(d.error, "p: its routes and signposts were recorded for another "
                                        "scenario or with other --routes, --signposts or --watch"));
        assert_int_equal(nsm_story_runs(other[k]), 0);
        nsm_diag_release(&d);
        nsm_part_free(r);
        nsm_story_free(other[k]);
    }
    nsm_accum *acc = nsm_accum_alloc(m);
    p = nsm_part_new(&h);
    assert_int_equal(nsm_part_add_accum(p, acc), NSM_OK);
    assert_int_equal(nsm_part_seal(p, 0), NSM_OK);
    nsm_part *r = nsm_test_reopen(p, "q");
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_part_read_story(r, raw, &d), NSM_ERR_INPUT);
    assert_non_null(strstr(d.error, "q: expected routes and signposts here"));
    nsm_diag_release(&d);
    nsm_part_free(r);
    nsm_part_free(p);
    nsm_part_free(w);
    nsm_accum_free(acc);
    nsm_story_free(raw);
    nsm_story_free(fin);
    nsm_model_free(m);
}

/* ---- forged parts: counts that no run can produce, under a seal that is correct (someone who
** rewrote a part and sealed it again, or a fault before the seal was computed). The byte layout is
** README.md's "Partial results": sections (tag, reserved, length, payload) from byte 24, the last
** 32 bytes the SHA-256 of everything before them. */

static uint64_t get_le(const unsigned char *b, int n)
{
    uint64_t v = 0;
    for (int k = n - 1; k >= 0; k--)
        v = v << 8 | b[k];
    return v;
}

static void put_le(unsigned char *b, uint64_t v, int n)
{
    for (int k = 0; k < n; k++)
        b[k] = (unsigned char)(v >> (8 * k));
}

/* Where the STRY section's payload starts in a part's bytes, and its length. */
static size_t story_payload(const unsigned char *b, size_t n, size_t *len)
{
    const uint32_t stry = 'S' | 'T' << 8 | 'R' << 16 | (uint32_t)'Y' << 24;
    for (size_t pos = 24; pos + 16 <= n - 32;) {
        *len = (size_t)get_le(b + pos + 8, 8);
        if ((uint32_t)get_le(b + pos, 4) == stry)
            return pos + 16;
        pos += 16 + *len;
    }
    fail_msg("no STRY section in the part");
    return 0;
}

/* Where the counts sit in a STRY payload of a story with O outcomes, W watch dates, J indicators,
** routes and signposts both on. */
typedef struct {
    size_t runs, onsets, route0_steps, route0_period0_count, watch0, fired0;
} stry_layout;

static stry_layout layout_of(const unsigned char *p, size_t len, size_t O, size_t W, size_t J)
{
    stry_layout L;
    L.runs = 4 * (5 + W);
    L.onsets = L.runs + 8;
    size_t route0 = L.onsets + 8 * O + 8; /* after outcome 0's count of routes */
    assert_true(get_le(p + L.onsets + 8 * O, 8) > 0); /* outcome 0 has a route */
    uint32_t steps = (uint32_t)get_le(p + route0, 4);
    L.route0_steps = route0 + 8;
    size_t n_at = L.route0_steps + 4 * steps + 8;
    assert_true(get_le(p + n_at, 4) > 0); /* ... with a report period */
    L.route0_period0_count = n_at + 4 + 4;
    L.fired0 = len - 16 * W * J; /* then the replications' hashes, [W][J] u64 */
    L.watch0 = L.fired0 - 16 * O * W * J - 16 * O * W;
    return L;
}

enum forgery { RESEAL_ONLY, PERIOD_COUNT, OUTCOME_ONSETS, RUNS_BELOW_ONSETS, STEP_LEVEL,
               WATCH_ONSETS, FIRED_ABOVE_RUNS, N_FORGERIES };

/* Part w's bytes with forgery f made in its STRY section, sealed again: opened as a merge opens a
** shard's file (a seal that does not match would be refused before any count is read). */
static nsm_part *forge(const nsm_part *w, const nsm_model *m, const nsm_story *st, enum forgery f)
{
    size_t n, len = 0;
    const unsigned char *orig = nsm_part_bytes(w, &n);
    unsigned char *b = malloc(n);
    assert_non_null(b);
    memcpy(b, orig, n);
    unsigned char *p = b + story_payload(b, n, &len);
    size_t O = (size_t)m->n_outcomes, W = 3, J = (size_t)nsm_story_n_indicators(st);
    stry_layout L = layout_of(p, len, O, W, J);
    uint64_t runs = get_le(p + L.runs, 8), onsets0 = get_le(p + L.onsets, 8);
    switch (f) {
    case RESEAL_ONLY:
        break;
    case PERIOD_COUNT: /* the route's periods no longer add up to its onsets */
        put_le(p + L.route0_period0_count, get_le(p + L.route0_period0_count, 8) + 1, 8);
        break;
    case OUTCOME_ONSETS: /* an onset on no route */
        put_le(p + L.onsets, onsets0 + 1, 8);
        break;
    case RUNS_BELOW_ONSETS: /* more onsets of an outcome than replications */
        assert_true(onsets0 > 0);
        put_le(p + L.runs, onsets0 - 1, 8);
        break;
    case STEP_LEVEL: /* a route through a level the model does not have */
        put_le(p + L.route0_steps, (uint64_t)m->n_levels_total, 4);
        break;
    case WATCH_ONSETS: /* more onsets after a watch date than replications counted at it */
        put_le(p + L.watch0 + 8, get_le(p + L.watch0, 8) + 1, 8);
        break;
    case FIRED_ABOVE_RUNS: /* an indicator fired in more replications than there were */
        put_le(p + L.fired0, runs + 1, 8);
        break;
    default:
        fail_msg("no such forgery");
    }
    unsigned int md_len = 0;
    assert_true(EVP_Digest(b, n - 32, b + n - 32, &md_len, EVP_sha256(), NULL) && md_len == 32);
    nsm_part *r = NULL;
    nsm_diag d;
    nsm_diag_init(&d);
    if (nsm_part_open(b, n, "forged", &r, &d) != NSM_OK)
        fail_msg("the forged part's frame was refused: %s", d.error);
    nsm_diag_release(&d);
    free(b);
    return r;
}

/* A part whose seal is right but whose routes and signposts hold counts no run can produce is
** refused whole, naming it, and adds nothing; the same bytes sealed again unchanged are read as
** before (so each refusal is the counts', not the seal's). */
static void test_forged_story_refused(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("signposts");
    nsm_story *st = story_run(m, 400, 2);
    nsm_part *w = story_part(st);
    char *want = tables(m, st);
    for (int f = 0; f < N_FORGERIES; f++) {
        nsm_part *r = forge(w, m, st, (enum forgery)f);
        nsm_story *into = nsm_story_alloc_like(st);
        nsm_diag d;
        nsm_diag_init(&d);
        nsm_status got = nsm_part_read_story(r, into, &d);
        if (f == RESEAL_ONLY) {
            assert_int_equal(got, NSM_OK);
            assert_int_equal(nsm_story_finish(into), NSM_OK);
            char *t = tables(m, into);
            assert_string_equal(t, want);
            free(t);
        } else {
            if (got != NSM_ERR_INPUT)
                fail_msg("forgery %d was read as if it came from a run", f);
            assert_non_null(strstr(d.error, "forged: damaged: its routes and signposts do not "
                                            "have the length or the counts they state"));
            assert_int_equal(nsm_story_runs(into), 0);
        }
        nsm_diag_release(&d);
        nsm_story_free(into);
        nsm_part_free(r);
    }
    free(want);
    nsm_part_free(w);
    nsm_story_free(st);
    nsm_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_newcombe_known_answer),
        cmocka_unit_test(test_katz_known_answer),
        cmocka_unit_test(test_grouped_median_known_answer),
        cmocka_unit_test(test_routes_closed_form),
        cmocka_unit_test(test_signposts_closed_form),
        cmocka_unit_test(test_same_for_any_thread_count),
        cmocka_unit_test(test_same_runs_one_signal),
        cmocka_unit_test(test_parts_add_up_to_the_whole),
        cmocka_unit_test(test_story_parts_refused),
        cmocka_unit_test(test_forged_story_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
