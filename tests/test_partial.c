/*
** test_partial.c: partial results (neasim/partial.h). The accumulators of two slices of a run,
** written and read back, add up to the accumulators of the whole run in every count; paired
** accumulators and doubles come back exactly (NaN, -0 and subnormals bit for bit); a part cut short
** at any length or with any byte changed is refused, naming it; so are a section of another kind
** and accumulators of another model's shape.
*/
#include "nsm_test.h"
#include "nsm_model_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neasim/compare.h"
#include "neasim/partial.h"
#include "neasim/scenario.h"

static nsm_part_head head(void)
{
    static char kind[] = "run", version[] = "test", sum[] = "abc", where[] = "/nowhere",
                options[] = "--runs\n10\n";
    nsm_part_head h = {kind, version, sum, where, options, 7, 2, 3, 400, 600};
    return h;
}

static nsm_accum *run_slice(const nsm_model *m, uint64_t first, uint64_t runs)
{
    nsm_accum *a = nsm_accum_alloc(m);
    nsm_run_config rc = {42, runs, first, 2, NULL, NULL, NULL, NSM_UNCERTAINTY_PER_RUN, 0, 0};
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_run(m, &rc, a, NULL, &d), NSM_OK);
    nsm_diag_release(&d);
    return a;
}

/* Every count the writers read, compared. */
static void assert_same_accum(const nsm_model *m, const nsm_accum *x, const nsm_accum *y)
{
    size_t n = (size_t)m->n_reports + 1;
    int64_t *sx = calloc(n, sizeof *sx), *sy = calloc(n, sizeof *sy);
    assert_int_equal(nsm_accum_runs(x), nsm_accum_runs(y));
    for (int l = 0; l < m->n_levels_total; l++) {
        nsm_accum_level_series(x, l, sx);
        nsm_accum_level_series(y, l, sy);
        assert_memory_equal(sx, sy, n * sizeof *sx);
    }
    for (int o = 0; o < m->n_outcomes; o++) {
        nsm_accum_outcome_held_series(x, o, sx);
        nsm_accum_outcome_held_series(y, o, sy);
        assert_memory_equal(sx, sy, n * sizeof *sx);
        nsm_accum_outcome_first_series(x, o, sx);
        nsm_accum_outcome_first_series(y, o, sy);
        assert_memory_equal(sx, sy, n * sizeof *sx);
    }
    for (int e = 0; e < m->n_events; e++) {
        int64_t top = nsm_accum_event_max_count(x, e), nx, ny;
        assert_int_equal(top, nsm_accum_event_max_count(y, e));
        int64_t *hx = calloc((size_t)top + 1, sizeof *hx), *hy = calloc((size_t)top + 1, sizeof *hy);
        for (int i = 0; i < m->n_reports; i++) {
            nsm_accum_event_cumulative_hists(x, e, i, hx, &nx);
            nsm_accum_event_cumulative_hists(y, e, i, hy, &ny);
            assert_int_equal(nx, ny);
            assert_memory_equal(hx, hy, (size_t)nx * sizeof *hx);
            if (i == 0)
                continue;
            nsm_accum_event_period_hist(x, e, i, hx, &nx);
            nsm_accum_event_period_hist(y, e, i, hy, &ny);
            assert_int_equal(nx, ny);
            assert_memory_equal(hx, hy, (size_t)nx * sizeof *hx);
        }
        for (int yr = 1; yr < m->n_reports && yr * 12 <= m->n_reports * m->report_interval_months;
             yr++) {
            nsm_accum_event_year_hist(x, e, yr, hx, &nx);
            nsm_accum_event_year_hist(y, e, yr, hy, &ny);
            assert_int_equal(nx, ny);
            assert_memory_equal(hx, hy, (size_t)nx * sizeof *hx);
        }
        free(hx);
        free(hy);
    }
    free(sx);
    free(sy);
}

/* A sealed part of one accumulator (and paired, reals when given). */
static nsm_part *part_of(const nsm_accum *a)
{
    nsm_part_head h = head();
    nsm_part *p = nsm_part_new(&h);
    assert_non_null(p);
    assert_int_equal(nsm_part_add_accum(p, a), NSM_OK);
    assert_int_equal(nsm_part_seal(p), NSM_OK);
    return p;
}

static nsm_part *reopen(const nsm_part *w, const char *name)
{
    size_t n;
    const unsigned char *b = nsm_part_bytes(w, &n);
    nsm_part *r = NULL;
    nsm_diag d;
    nsm_diag_init(&d);
    if (nsm_part_open(b, n, name, &r, &d) != NSM_OK)
        fail_msg("%s", d.error);
    nsm_diag_release(&d);
    return r;
}

/* Replications 0..399 and 400..999, each through a part, add up to 0..999 exactly. */
static void test_slices_add_up_to_the_whole(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("counts");
    nsm_accum *whole = run_slice(m, 0, 1000), *a = run_slice(m, 0, 400), *b = run_slice(m, 400, 600);
    nsm_part *pa = part_of(a), *pb = part_of(b);
    nsm_part *ra = reopen(pa, "a"), *rb = reopen(pb, "b");
    const nsm_part_head *h = nsm_part_head_of(ra);
    assert_string_equal(h->kind, "run");
    assert_string_equal(h->options, "--runs\n10\n");
    assert_true(h->seed == 7 && h->shard == 2 && h->n_shards == 3 && h->first == 400 &&
                h->count == 600);
    nsm_accum *sum = nsm_accum_alloc(m);
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_part_read_accum(ra, sum, &d), NSM_OK);
    assert_int_equal(nsm_part_read_accum(rb, sum, &d), NSM_OK);
    assert_true(nsm_part_at_end(ra) && nsm_part_at_end(rb));
    assert_same_accum(m, whole, sum);
    nsm_diag_release(&d);
    nsm_part_free(pa);
    nsm_part_free(pb);
    nsm_part_free(ra);
    nsm_part_free(rb);
    nsm_accum_free(whole);
    nsm_accum_free(a);
    nsm_accum_free(b);
    nsm_accum_free(sum);
    nsm_model_free(m);
}

/* Paired accumulators, doubles of every kind and bytes come back as they were. */
static void test_paired_reals_bytes_exact(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("known_levers");
    nsm_arm *arms = NULL;
    int n_arms = 0;
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_arms_build(m, "all", 0, "t", &arms, &n_arms, &d), NSM_OK);
    nsm_accum **acc = calloc((size_t)n_arms, sizeof *acc);
    nsm_paired **pr = calloc((size_t)n_arms, sizeof *pr);
    for (int k = 0; k < n_arms; k++) {
        acc[k] = nsm_accum_alloc(m);
        pr[k] = k ? nsm_paired_alloc(m) : NULL;
    }
    nsm_run_config rc = {5, 500, 0, 2, NULL, NULL, NULL, NSM_UNCERTAINTY_NOMINAL, 0, 0};
    assert_int_equal(nsm_compare_run(m, arms, n_arms, &rc, acc, pr, NULL, &d), NSM_OK);
    const double x[] = {0.1, -0.0, NAN, INFINITY, 4.9e-324, -1e308, 1.0 / 3};
    nsm_part_head h = head();
    nsm_part *w = nsm_part_new(&h);
    assert_int_equal(nsm_part_add_reals(w, x, 7), NSM_OK);
    assert_int_equal(nsm_part_add_paired(w, pr[1]), NSM_OK);
    assert_int_equal(nsm_part_add_bytes(w, "hello", 5), NSM_OK);
    assert_int_equal(nsm_part_seal(w), NSM_OK);
    nsm_part *r = reopen(w, "r");
    double y[7];
    assert_int_equal(nsm_part_read_reals(r, y, 7, &d), NSM_OK);
    assert_memory_equal(x, y, sizeof x);
    nsm_paired *back = nsm_paired_alloc(m);
    assert_int_equal(nsm_part_read_paired(r, back, &d), NSM_OK);
    size_t n = (size_t)m->n_reports + 1;
    int64_t *s1 = calloc(n, sizeof *s1), *s2 = calloc(n, sizeof *s2);
    for (int o = 0; o < m->n_outcomes; o++) {
        nsm_paired_both_held(pr[1], o, s1);
        nsm_paired_both_held(back, o, s2);
        assert_memory_equal(s1, s2, n * sizeof *s1);
        nsm_paired_both_occurred(pr[1], o, s1);
        nsm_paired_both_occurred(back, o, s2);
        assert_memory_equal(s1, s2, n * sizeof *s1);
    }
    for (int e = 0; e < m->n_events; e++) {
        nsm_paired_event_d2(pr[1], e, s1);
        nsm_paired_event_d2(back, e, s2);
        assert_memory_equal(s1, s2, n * sizeof *s1);
    }
    const void *bytes;
    uint64_t nb;
    assert_int_equal(nsm_part_read_bytes(r, &bytes, &nb, &d), NSM_OK);
    assert_true(nb == 5 && memcmp(bytes, "hello", 5) == 0);
    assert_true(nsm_part_at_end(r));
    free(s1);
    free(s2);
    nsm_paired_free(back);
    nsm_part_free(w);
    nsm_part_free(r);
    for (int k = 0; k < n_arms; k++) {
        nsm_accum_free(acc[k]);
        nsm_paired_free(pr[k]);
    }
    free(acc);
    free(pr);
    nsm_arms_free(arms, n_arms);
    nsm_diag_release(&d);
    nsm_model_free(m);
}

/* Refused, with the part's name: every length short of the whole, and a change of any byte. */
static void test_damage_refused(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("two_state");
    nsm_accum *a = run_slice(m, 0, 50);
    nsm_part *w = part_of(a);
    size_t n;
    const unsigned char *b = nsm_part_bytes(w, &n);
    unsigned char *copy = malloc(n);
    for (size_t len = 0; len < n; len++) {
        nsm_part *r = NULL;
        nsm_diag d;
        nsm_diag_init(&d);
        if (nsm_part_open(b, len, "cut", &r, &d) != NSM_ERR_INPUT || r)
            fail_msg("a part cut at %zu of %zu bytes was not refused", len, n);
        assert_non_null(strstr(d.error, "cut: "));
        nsm_diag_release(&d);
    }
    for (size_t k = 0; k < n; k++) {
        memcpy(copy, b, n);
        copy[k] ^= 0x10;
        nsm_part *r = NULL;
        nsm_diag d;
        nsm_diag_init(&d);
        if (nsm_part_open(copy, n, "flip", &r, &d) != NSM_ERR_INPUT || r)
            fail_msg("a part with byte %zu of %zu changed was not refused", k, n);
        nsm_diag_release(&d);
    }
    free(copy);
    nsm_part_free(w);
    nsm_accum_free(a);
    nsm_model_free(m);
}

/* A section read as another kind, and an accumulator of another model's shape, are refused. */
static void test_wrong_section_and_shape(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("two_state"), *other = nsm_test_load("counts");
    nsm_accum *a = run_slice(m, 0, 20), *into = nsm_accum_alloc(other);
    nsm_part *w = part_of(a);
    nsm_part *r = reopen(w, "p");
    nsm_diag d;
    nsm_diag_init(&d);
    double x;
    assert_int_equal(nsm_part_read_reals(r, &x, 1, &d), NSM_ERR_INPUT);
    assert_non_null(strstr(d.error, "p: expected per-draw results"));
    nsm_diag_release(&d);
    nsm_diag_init(&d);
    nsm_part *r2 = reopen(w, "q");
    assert_int_equal(nsm_part_read_accum(r2, into, &d), NSM_ERR_INPUT);
    assert_non_null(strstr(d.error, "q: its accumulators have another shape"));
    assert_int_equal(nsm_accum_runs(into), 0);
    nsm_diag_release(&d);
    nsm_part_free(r);
    nsm_part_free(r2);
    nsm_part_free(w);
    nsm_accum_free(a);
    nsm_accum_free(into);
    nsm_model_free(m);
    nsm_model_free(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slices_add_up_to_the_whole),
        cmocka_unit_test(test_paired_reals_bytes_exact),
        cmocka_unit_test(test_damage_refused),
        cmocka_unit_test(test_wrong_section_and_shape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
