/*
** test_partial.c: partial results (neasim/partial.h). The accumulators of two slices of a run,
** written and read back, add up to the accumulators of the whole run in every count; paired
** accumulators and doubles come back exactly (NaN, -0 and subnormals bit for bit); a part cut short
** at any length or with any byte changed is refused, naming it; so are a section of another kind
** and accumulators of another model's shape; every two arms at the horizons (the rivals) come back
** exactly and are refused at other horizons or with counts no run can produce. The count of
** events (format 2's EVNT) comes back and the slices' counts add up to the whole run's; a part of
** another format version, or of this version without its count, is refused saying so. A part written straight to a file is the same
** bytes as one held in memory, and reads back from its file a section at a time.
*/
#include "nsm_test.h"
#include "nsm_model_test.h"
#include "nsm_part_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "neasim/compare.h"
#include "neasim/partial.h"
#include "neasim/scenario.h"
#include "sim/internal.h" /* the accumulator's rows, to forge what the API cannot record */

static nsm_part_head head(void)
{
    static char kind[] = "run", version[] = "test", sum[] = "abc", where[] = "/nowhere",
                options[] = "--runs\n10\n";
    nsm_part_head h = {kind, version, sum, where, options, 7, 2, 3, 400, 600};
    return h;
}

/* events (may be NULL): the events the slice simulated. */
static nsm_accum *run_slice_events(const nsm_model *m, uint64_t first, uint64_t runs,
                                   uint64_t *events)
{
    nsm_accum *a = nsm_accum_alloc(m);
    nsm_run_config rc = {42, runs, first, 2, NULL, NULL, NULL, NSM_UNCERTAINTY_PER_RUN, 0, 0};
    nsm_run_stats rs = {0, 0, 0, 0.0};
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_run(m, &rc, a, &rs, &d), NSM_OK);
    if (events)
        *events = rs.events;
    nsm_diag_release(&d);
    return a;
}

static nsm_accum *run_slice(const nsm_model *m, uint64_t first, uint64_t runs)
{
    return run_slice_events(m, first, runs, NULL);
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

/* A sealed part of one accumulator and a count of events. */
static nsm_part *part_of_events(const nsm_accum *a, uint64_t events)
{
    nsm_part_head h = head();
    nsm_part *p = nsm_part_new(&h);
    assert_non_null(p);
    assert_int_equal(nsm_part_add_accum(p, a), NSM_OK);
    assert_int_equal(nsm_part_seal(p, events), NSM_OK);
    return p;
}

static nsm_part *part_of(const nsm_accum *a)
{
    return part_of_events(a, 0);
}

/* What a part of `a` reads back as, into an empty accumulator: NSM_OK, or the refusal, whose
** message must name the part and say "no run can produce" followed by `why`. */
static void assert_read_as(const nsm_accum *a, const nsm_model *m, nsm_status want,
                           const char *why)
{
    nsm_part *w = part_of(a), *r = nsm_test_reopen(w, "p.part");
    nsm_accum *into = nsm_accum_alloc(m);
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_part_read_accum(r, into, &d), want);
    if (want != NSM_OK) {
        assert_non_null(strstr(d.error, "p.part: damaged: its accumulator holds counts no run "
                                        "can produce"));
        assert_non_null(strstr(d.error, why));
    }
    nsm_diag_release(&d);
    nsm_accum_free(into);
    nsm_part_free(w);
    nsm_part_free(r);
}

/* A part sealed right whose accumulator holds what no run can (a writer's bug, a file made by
** hand: found by tests/fuzz_part.c, where such a count table made the summaries overflow) is
** refused: a level, an outcome or a count value held by more runs than the part has, or an
** outcome occurring in more. A run's own accumulator, and the same with one run more of each
** (as a run records one), read back. */
static void test_counts_no_run_can_produce(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("counts"), *ms = nsm_test_load("signposts");
    assert_true(m->n_events > 0 && ms->n_outcomes > 0);
    const int end = m->n_reports, i = end / 2;
    for (int k = 0; k < 5; k++) {
        nsm_accum *a = run_slice(k < 3 ? m : ms, 0, 20);
        const char *why = "";
        switch (k) {
        case 0: /* one run more, in level 0 throughout, with one count of event 0 at i (and so
                ** a count since the start of 0 until i, 1 after) */
            nsm_accum_occupancy(a, 0, 0, end);
            assert_int_equal(nsm_accum_event_period(a, 0, i, 1), NSM_OK);
            assert_int_equal(nsm_accum_event_cumulative(a, 0, 0, 0, i), NSM_OK);
            assert_int_equal(nsm_accum_event_cumulative(a, 0, 1, i, end), NSM_OK);
            for (int e = 1; e < m->n_events; e++)
                assert_int_equal(nsm_accum_event_cumulative(a, e, 0, 0, end), NSM_OK);
            nsm_accum_end_replication(a);
            break;
        case 1: /* level 0 held by 21 of 20 runs */
            for (int r = 0; r < 21; r++)
                nsm_accum_occupancy(a, 0, 0, end);
            why = "a level held";
            break;
        case 2: /* count 1 of event 0 at i in 21 of 20 runs */
            for (int r = 0; r < 21; r++)
                assert_int_equal(nsm_accum_event_period(a, 0, i, 1), NSM_OK);
            why = "an event's counts";
            break;
        case 3: /* outcome 0 held by 21 of 20 runs */
            for (int r = 0; r < 21; r++)
                nsm_accum_outcome_held(a, 0, 0, end);
            why = "an outcome held";
            break;
        case 4: /* outcome 0 first occurring in 21 of 20 runs */
            for (int r = 0; r < 21; r++)
                nsm_accum_outcome_first(a, 0, 1);
            why = "an outcome's first occurrences";
            break;
        }
        assert_read_as(a, k < 3 ? m : ms, k == 0 ? NSM_OK : NSM_ERR_INPUT, why);
        nsm_accum_free(a);
    }
    nsm_model_free(m);
    nsm_model_free(ms);
}

/* One run more (end_replication), with level 0 of every factor held throughout and no event, as
** a run records one; outcomes never occurring (at the end), unless firsts is 0. */
static void one_run_more(nsm_accum *a, const nsm_model *m, int firsts)
{
    for (int f = 0; f < m->n_factors; f++)
        nsm_accum_occupancy(a, m->factors[f].first_level, 0, m->n_reports);
    for (int e = 0; e < m->n_events; e++)
        assert_int_equal(nsm_accum_event_cumulative(a, e, 0, 0, m->n_reports), NSM_OK);
    for (int o = 0; firsts && o < m->n_outcomes; o++)
        nsm_accum_outcome_first(a, o, m->n_reports);
    nsm_accum_end_replication(a);
}

/* Within the bounds, but not what runs add up to (the same class: a part sealed right whose
** accumulator no run can produce): a factor's levels held by one run fewer or one more than the
** part has at a report date, a stay (of a level or an outcome) that never ends, an outcome's first
** occurrences (and runs without one) that do not add up to its runs, an event's counts since
** the start that do not add up or never end. Each is refused, saying which; the same with its
** run complete reads back. */
static void test_counts_that_do_not_add_up(void **state)
{
    (void)state;
    nsm_model *ms = nsm_test_load("signposts"), *mc = nsm_test_load("counts");
    for (int k = 0; k < 9; k++) {
        nsm_model *m = k < 6 ? ms : mc; /* counted events in the second */
        const int end = m->n_reports, i = end / 2, l0 = m->factors[0].first_level;
        assert_true(k < 6 ? m->n_factors > 1 && m->n_outcomes > 0 && m->factors[0].n_levels > 1
                          : m->n_events > 0);
        nsm_accum *a = run_slice(m, 0, 20);
        int64_t *cumul0 = a->cumul[0].cells; /* event 0's count 0 since the start, [report] */
        const char *why = "";
        switch (k) {
        case 0: /* read back: the run as a run records it */
            one_run_more(a, m, 1);
            break;
        case 1: /* factor 0 in level 0 only until i, in no level after */
            one_run_more(a, m, 1);
            a->occupancy[(size_t)l0 * (size_t)a->cols + (size_t)i] -= 1;
            a->occupancy[(size_t)l0 * (size_t)a->cols + (size_t)end] += 1;
            why = "a factor's levels add up to fewer than its runs at a report date";
            break;
        case 2: /* factor 0 in level 1 as well from i */
            one_run_more(a, m, 1);
            nsm_accum_occupancy(a, l0 + 1, i, end);
            why = "a factor's levels add up to more than its runs at a report date";
            break;
        case 3: /* level 0 held by one run after the last report date: a stay never ended */
            a->occupancy[(size_t)l0 * (size_t)a->cols + (size_t)end] += 1;
            why = "a level's stays do not all end by the last report date";
            break;
        case 4: /* the same of outcome 0 */
            a->held[end] += 1;
            why = "an outcome's stays do not all end by the last report date";
            break;
        case 5: /* one run more with no first occurrence, not even "never" */
            one_run_more(a, m, 0);
            why = "an outcome's first occurrences (and runs without one) do not add up";
            break;
        case 6: /* read back: a run with no count of any event */
            one_run_more(a, m, 1);
            break;
        case 7: /* the same, but its count of event 0 since the start told only until i */
            one_run_more(a, m, 1);
            cumul0[i] -= 1;
            cumul0[end] += 1;
            why = "an event's counts since the start do not add up to its runs at a report date";
            break;
        case 8: /* a count of 0 since the start that never ends */
            cumul0[end] += 1;
            why = "or do not end by the last";
            break;
        }
        assert_read_as(a, m, k == 0 || k == 6 ? NSM_OK : NSM_ERR_INPUT, why);
        nsm_accum_free(a);
    }
    nsm_model_free(ms);
    nsm_model_free(mc);
}

/* Replications 0..399 and 400..999, each through a part, add up to 0..999 exactly, and so do
** their counts of events. */
static void test_slices_add_up_to_the_whole(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("counts");
    uint64_t ew = 0, ea = 0, eb = 0;
    nsm_accum *whole = run_slice_events(m, 0, 1000, &ew), *a = run_slice_events(m, 0, 400, &ea),
              *b = run_slice_events(m, 400, 600, &eb);
    nsm_part *pa = part_of_events(a, ea), *pb = part_of_events(b, eb);
    nsm_part *ra = nsm_test_reopen(pa, "a"), *rb = nsm_test_reopen(pb, "b");
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
    assert_true(ea > 0 && eb > 0);
    assert_true(nsm_part_events(ra) == ea && nsm_part_events(rb) == eb);
    assert_true(nsm_part_events(ra) + nsm_part_events(rb) == ew);
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

/* A part in a file reads its accumulator through a window of 64 KiB, straight into the results:
** the baseline's tables (launch days: hundreds of count values x 121 report dates) are several
** windows, and two slices read from their files, and the same parts read from memory, add up to
** the whole run in every count; a file changed after its seal was checked is refused half-way. */
static void test_accum_read_from_file(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("scenarios/baseline");
    nsm_accum *whole = run_slice(m, 0, 1000), *a = run_slice(m, 0, 450), *b = run_slice(m, 450, 550);
    char dir[] = "/tmp/nsm-test-partial-XXXXXX", pa[64], pb[64];
    assert_non_null(mkdtemp(dir));
    snprintf(pa, sizeof pa, "%s/a", dir);
    snprintf(pb, sizeof pb, "%s/b", dir);
    nsm_part *wa = part_of(a), *wb = part_of(b), *ra = NULL, *rb = NULL;
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_part_save(wa, pa, &d), NSM_OK);
    assert_int_equal(nsm_part_save(wb, pb, &d), NSM_OK);
    size_t n;
    nsm_part_bytes(wa, &n);
    assert_true(n > 4 * 65536); /* several windows */
    nsm_accum *from_files = nsm_accum_alloc(m), *from_memory = nsm_accum_alloc(m);
    assert_int_equal(nsm_part_load(pa, &ra, &d), NSM_OK);
    assert_int_equal(nsm_part_load(pb, &rb, &d), NSM_OK);
    assert_int_equal(nsm_part_read_accum(ra, from_files, &d), NSM_OK);
    assert_int_equal(nsm_part_read_accum(rb, from_files, &d), NSM_OK);
    assert_true(nsm_part_at_end(ra) && nsm_part_at_end(rb));
    assert_same_accum(m, whole, from_files);
    nsm_part_free(ra);
    nsm_part_free(rb);
    ra = nsm_test_reopen(wa, "a");
    rb = nsm_test_reopen(wb, "b");
    assert_int_equal(nsm_part_read_accum(rb, from_memory, &d), NSM_OK);
    assert_int_equal(nsm_part_read_accum(ra, from_memory, &d), NSM_OK);
    assert_same_accum(m, whole, from_memory);
    nsm_part_free(ra);
    nsm_part_free(rb);
    /* checked, then its file replaced by the other part's bytes: refused, not mixed in */
    assert_int_equal(nsm_part_load(pa, &ra, &d), NSM_OK);
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%s/t", dir);
    assert_int_equal(link(pb, tmp), 0);
    assert_int_equal(rename(tmp, pa), 0);
    nsm_accum *refused = nsm_accum_alloc(m);
    assert_int_equal(nsm_part_read_accum(ra, refused, &d), NSM_ERR_IO);
    assert_non_null(strstr(d.error, "it changed after its seal was checked"));
    nsm_part_free(ra);
    assert_int_equal(unlink(pa), 0);
    assert_int_equal(unlink(pb), 0);
    assert_int_equal(rmdir(dir), 0);
    nsm_diag_release(&d);
    for (nsm_accum **x = (nsm_accum *[]){whole, a, b, from_files, from_memory, refused, NULL}; *x;
         x++)
        nsm_accum_free(*x);
    nsm_part_free(wa);
    nsm_part_free(wb);
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
    assert_int_equal(nsm_part_seal(w, UINT64_MAX), NSM_OK);
    nsm_part *r = nsm_test_reopen(w, "r");
    assert_true(nsm_part_events(r) == UINT64_MAX);
    double y[7];
    assert_int_equal(nsm_part_read_reals(r, y, 7, &d), NSM_OK);
    assert_memory_equal(x, y, sizeof x);
    nsm_paired *back = nsm_paired_alloc(m);
    assert_int_equal(nsm_part_read_paired(r, back, NULL, NULL, &d), NSM_OK);
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

/* A comparison's part whose paired counts do not fit its arms' (each plausible alone) is refused
** by a reader given the arms' totals, saying which: an arm of one run more than the baseline; an
** outcome held, or occurred by, in both arms in more runs than there are. As written, it reads
** back; without the arms (NULL), the paired section's own bounds alone are checked. */
static void test_pairs_that_do_not_fit_their_arms(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("known_levers");
    nsm_arm *arms = NULL;
    int n_arms = 0;
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_arms_build(m, "all", 0, "t", &arms, &n_arms, &d), NSM_OK);
    assert_true(n_arms >= 2 && m->n_outcomes > 0);
    const size_t end = (size_t)m->n_reports;
    const char *whys[] = {NULL, "an arm holds more or fewer runs than the baseline",
                          "an outcome held in both arms in more runs than in one",
                          "an outcome occurred in both arms in more runs than in one"};
    for (int k = 0; k < 4; k++) {
        nsm_accum *acc[2] = {nsm_accum_alloc(m), nsm_accum_alloc(m)};
        nsm_paired *pr[2] = {NULL, nsm_paired_alloc(m)};
        nsm_run_config rc = {5, 200, 0, 2, NULL, NULL, NULL, NSM_UNCERTAINTY_NOMINAL, 0, 0};
        assert_int_equal(nsm_compare_run(m, arms, 2, &rc, acc, pr, NULL, &d), NSM_OK);
        int64_t over = (int64_t)nsm_accum_runs(acc[0]) + 1;
        if (k == 1)
            one_run_more(acc[1], m, 1);
        if (k == 2) { /* outcome 0 held in both arms in every run, and one more */
            pr[1]->both_held[0] += over;
            pr[1]->both_held[end] -= over;
        }
        if (k == 3)
            pr[1]->both_first[0] += over;
        nsm_part_head h = head();
        nsm_part *w = nsm_part_new(&h);
        assert_int_equal(nsm_part_add_accum(w, acc[0]), NSM_OK);
        assert_int_equal(nsm_part_add_accum(w, acc[1]), NSM_OK);
        assert_int_equal(nsm_part_add_paired(w, pr[1]), NSM_OK);
        assert_int_equal(nsm_part_seal(w, 0), NSM_OK);
        for (int given = 0; given < 2; given++) {
            nsm_part *r = nsm_test_reopen(w, "c.part");
            nsm_accum *base = nsm_accum_alloc(m), *arm = nsm_accum_alloc(m);
            nsm_paired *back = nsm_paired_alloc(m);
            assert_int_equal(nsm_part_read_accum(r, base, &d), NSM_OK);
            assert_int_equal(nsm_part_read_accum(r, arm, &d), NSM_OK);
            nsm_status st = nsm_part_read_paired(r, back, given ? base : NULL,
                                                 given ? arm : NULL, &d);
            if (k == 0 || !given) {
                assert_int_equal(st, NSM_OK);
            } else {
                assert_int_equal(st, NSM_ERR_INPUT);
                assert_non_null(strstr(d.error, "c.part: damaged: its paired accumulator holds "
                                                "counts no run can produce"));
                assert_non_null(strstr(d.error, whys[k]));
            }
            nsm_diag_release(&d);
            nsm_diag_init(&d);
            nsm_paired_free(back);
            nsm_accum_free(base);
            nsm_accum_free(arm);
            nsm_part_free(r);
        }
        nsm_part_free(w);
        nsm_accum_free(acc[0]);
        nsm_accum_free(acc[1]);
        nsm_paired_free(pr[1]);
    }
    nsm_arms_free(arms, n_arms);
    nsm_diag_release(&d);
    nsm_model_free(m);
}

/* Every two arms at the horizons (rivals.h) come back exactly; a reader refuses a part of other
** horizons, saying so, and counts that no run can produce: a row that does not add up to the
** runs, and runs in both arms above either arm's own (each forged into a part otherwise right). */
static void test_rivals_round_trip_and_refusals(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("known_levers");
    nsm_arm *arms = NULL;
    int n_arms = 0;
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_arms_build(m, "all", 0, "t", &arms, &n_arms, &d), NSM_OK);
    assert_true(n_arms >= 3 && m->n_outcomes > 0 && m->n_reports > 3);
    const int hz[2] = {1, m->n_reports - 1}, other[2] = {2, m->n_reports - 1};
    const char *whys[] = {NULL, "its briefing horizons are not this command's",
                          "a pair of arms holds more or fewer runs than the arms",
                          "an outcome occurred in two arms in more runs than in one"};
    for (int k = 0; k < 4; k++) {
        nsm_accum **acc = calloc((size_t)n_arms, sizeof *acc), **back_acc = calloc((size_t)n_arms,
                                                                                    sizeof *acc);
        for (int a = 0; a < n_arms; a++) {
            acc[a] = nsm_accum_alloc(m);
            back_acc[a] = nsm_accum_alloc(m);
        }
        nsm_rivals *riv = nsm_rivals_alloc(m, n_arms, hz, 2);
        const nsm_pairings pr = {0, NULL, NULL, riv};
        nsm_run_config rc = {5, 300, 0, 2, NULL, NULL, NULL, NSM_UNCERTAINTY_NOMINAL, 0, 0};
        assert_int_equal(nsm_compare_run_pairs(m, NULL, arms, n_arms, &rc, NULL, acc, &pr, NULL,
                                               &d), NSM_OK);
        int64_t *row = nsmi_rivals_row(riv, 0, 1, 0); /* baseline and arm 1, outcome 0 */
        for (int j = 0; k == 2 && j < 3; j++) /* a run fewer in a row's first nonzero column */
            if (row[j] > 0) {
                row[j]--;
                break;
            }
        if (k == 3) { /* in both arms by the first horizon in every run */
            row[0] += row[1] + row[2];
            row[1] = row[2] = 0;
        }
        nsm_part_head h = head();
        nsm_part *w = nsm_part_new(&h);
        for (int a = 0; a < n_arms; a++)
            assert_int_equal(nsm_part_add_accum(w, acc[a]), NSM_OK);
        assert_int_equal(nsm_part_add_rivals(w, riv), NSM_OK);
        assert_int_equal(nsm_part_seal(w, 0), NSM_OK);
        nsm_part *r = nsm_test_reopen(w, "v.part");
        for (int a = 0; a < n_arms; a++)
            assert_int_equal(nsm_part_read_accum(r, back_acc[a], &d), NSM_OK);
        nsm_rivals *back = nsm_rivals_alloc(m, n_arms, k == 1 ? other : hz, 2);
        nsm_status st = nsm_part_read_rivals(r, back, (const nsm_accum *const *)back_acc, &d);
        if (k == 0) {
            assert_int_equal(st, NSM_OK);
            for (int a = 0; a < n_arms; a++)
                for (int b = 0; b < n_arms; b++)
                    for (int o = 0; b != a && o < m->n_outcomes; o++)
                        for (int j = 0; j < 2; j++)
                            assert_int_equal(nsm_rivals_both(back, a, b, o, j),
                                             nsm_rivals_both(riv, a, b, o, j));
            assert_true(nsm_rivals_both(back, 0, 1, 0, 1) > 0);
            assert_true(nsm_part_at_end(r));
        } else {
            assert_int_equal(st, NSM_ERR_INPUT);
            assert_non_null(strstr(d.error, "v.part: "));
            if (!strstr(d.error, whys[k]))
                fail_msg("case %d: %s", k, d.error);
        }
        nsm_diag_release(&d);
        nsm_diag_init(&d);
        nsm_rivals_free(back);
        nsm_rivals_free(riv);
        nsm_part_free(r);
        nsm_part_free(w);
        for (int a = 0; a < n_arms; a++) {
            nsm_accum_free(acc[a]);
            nsm_accum_free(back_acc[a]);
        }
        free(acc);
        free(back_acc);
    }
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
    nsm_part *r = nsm_test_reopen(w, "p");
    nsm_diag d;
    nsm_diag_init(&d);
    double x;
    assert_int_equal(nsm_part_read_reals(r, &x, 1, &d), NSM_ERR_INPUT);
    assert_non_null(strstr(d.error, "p: expected per-draw results"));
    nsm_diag_release(&d);
    nsm_diag_init(&d);
    nsm_part *r2 = nsm_test_reopen(w, "q");
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

/* The seal of b[0..n): the SHA-256 of the bytes before the last 32, written into them. */
static void reseal(unsigned char *b, size_t n)
{
    unsigned int len = 0;
    for (int k = 0; k < 8; k++)
        b[16 + k] = (unsigned char)((uint64_t)n >> (8 * k));
    assert_true(EVP_Digest(b, n - 32, b + n - 32, &len, EVP_sha256(), NULL) && len == 32);
}

/* Another format version is refused saying which this neasim reads; so is a part of this format,
** sealed as it should be, that lacks its count of events (as a format 1 part would). */
static void test_format_and_events_section_checked(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("two_state");
    nsm_accum *a = run_slice(m, 0, 20);
    nsm_part *w = part_of_events(a, 1234);
    size_t n;
    const unsigned char *b = nsm_part_bytes(w, &n);
    unsigned char *copy = malloc(n);
    memcpy(copy, b, n);
    copy[8] = 1; /* format 1 */
    nsm_part *r = NULL;
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_part_open(copy, n, "old", &r, &d), NSM_ERR_INPUT);
    assert_null(r);
    assert_string_equal(d.error, "old: partial-result format 1; this neasim reads format 5 only: "
                                 "merge with the neasim that wrote it");
    nsm_diag_release(&d);
    /* the EVNT section (16 bytes of header and 8 of count) is just before END (16) and the seal */
    memcpy(copy, b, n);
    const size_t evnt = n - 32 - 16 - 24;
    assert_memory_equal(copy + evnt, "EVNT", 4);
    memmove(copy + evnt, copy + evnt + 24, 16 + 32);
    reseal(copy, n - 24);
    nsm_diag_init(&d);
    assert_int_equal(nsm_part_open(copy, n - 24, "noevents", &r, &d), NSM_ERR_INPUT);
    assert_null(r);
    assert_non_null(strstr(d.error, "noevents: damaged: it has no count of events"));
    nsm_diag_release(&d);
    /* resealed as it was, it opens: the test's own resealing is right */
    memcpy(copy, b, n);
    reseal(copy, n);
    nsm_diag_init(&d);
    assert_int_equal(nsm_part_open(copy, n, "same", &r, &d), NSM_OK);
    assert_true(nsm_part_events(r) == 1234);
    nsm_diag_release(&d);
    nsm_part_free(r);
    free(copy);
    nsm_part_free(w);
    nsm_accum_free(a);
    nsm_model_free(m);
}

/* The whole of a file into a new buffer, *n its length. */
static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    unsigned char *b = malloc(1 << 22);
    assert_non_null(b);
    *n = fread(b, 1, 1 << 22, f);
    fclose(f);
    return b;
}

/* Sections for a part: blocks of bytes, small ones (many flushes between sections) and one
** larger than what a part in a file holds before it writes (a section that is held whole). */
static void add_blocks(nsm_part *p, const unsigned char *big, size_t n_big)
{
    for (size_t k = 0; k < 3000; k++)
        assert_int_equal(nsm_part_add_bytes(p, big + k, 1 + k % 97), NSM_OK);
    assert_int_equal(nsm_part_add_bytes(p, big, n_big), NSM_OK);
    assert_int_equal(nsm_part_seal(p, 99), NSM_OK);
}

/* A part written straight to its file (nsm_part_create) holds the same bytes as one held in
** memory; read from its file a section at a time, every block comes back; a part never saved
** leaves no temporary file; a part's file replaced after its seal was checked is refused. */
static void test_part_in_a_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/nsm-test-partial-XXXXXX", path[64], tmp[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/p", dir);
    const size_t n_big = 300000;
    unsigned char *big = malloc(n_big);
    for (size_t k = 0; k < n_big; k++)
        big[k] = (unsigned char)(k * 7919 >> 3);
    nsm_part_head h = head();
    nsm_part *mem = nsm_part_new(&h), *file = NULL, *r = NULL;
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_part_create(&h, path, &file, &d), NSM_OK);
    add_blocks(mem, big, n_big);
    add_blocks(file, big, n_big);
    assert_int_equal(nsm_part_save(file, path, &d), NSM_OK);
    nsm_part_free(file);
    size_t n_mem, n_file;
    const unsigned char *b_mem = nsm_part_bytes(mem, &n_mem);
    unsigned char *b_file = slurp(path, &n_file);
    assert_true(n_file == n_mem && n_mem > n_big);
    assert_memory_equal(b_file, b_mem, n_mem);
    assert_int_equal(nsm_part_load(path, &r, &d), NSM_OK);
    assert_true(nsm_part_events(r) == 99);
    for (size_t k = 0; k < 3000; k++) {
        const void *v;
        uint64_t n;
        assert_int_equal(nsm_part_read_bytes(r, &v, &n, &d), NSM_OK);
        assert_true(n == 1 + k % 97);
        assert_memory_equal(v, big + k, n);
    }
    const void *v;
    uint64_t n;
    assert_int_equal(nsm_part_read_bytes(r, &v, &n, &d), NSM_OK);
    assert_true(n == n_big);
    assert_memory_equal(v, big, n_big);
    assert_true(nsm_part_at_end(r));
    nsm_part_free(r);
    /* checked, then replaced by another file of the same bytes before its sections are read */
    assert_int_equal(nsm_part_load(path, &r, &d), NSM_OK);
    snprintf(tmp, sizeof tmp, "%s/q", dir);
    FILE *f = fopen(tmp, "wb");
    assert_non_null(f);
    assert_true(fwrite(b_file, 1, n_file, f) == n_file);
    fclose(f);
    assert_int_equal(rename(tmp, path), 0);
    assert_int_equal(nsm_part_read_bytes(r, &v, &n, &d), NSM_ERR_IO);
    assert_non_null(strstr(d.error, "it changed after its seal was checked"));
    nsm_part_free(r);
    /* a part created and never saved: its temporary file goes with it */
    assert_int_equal(nsm_part_create(&h, path, &file, &d), NSM_OK);
    assert_int_equal(nsm_part_add_bytes(file, big, n_big), NSM_OK);
    nsm_part_free(file);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(rmdir(dir), 0); /* empty: nothing was left beside the part */
    nsm_diag_release(&d);
    free(b_file);
    free(big);
    nsm_part_free(mem);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slices_add_up_to_the_whole),
        cmocka_unit_test(test_accum_read_from_file),
        cmocka_unit_test(test_counts_no_run_can_produce),
        cmocka_unit_test(test_counts_that_do_not_add_up),
        cmocka_unit_test(test_paired_reals_bytes_exact),
        cmocka_unit_test(test_pairs_that_do_not_fit_their_arms),
        cmocka_unit_test(test_rivals_round_trip_and_refusals),
        cmocka_unit_test(test_damage_refused),
        cmocka_unit_test(test_wrong_section_and_shape),
        cmocka_unit_test(test_format_and_events_section_checked),
        cmocka_unit_test(test_part_in_a_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
