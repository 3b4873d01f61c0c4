/*
** paired.c: see paired.h. Each replication adds O(spans + occurrences) entries.
*/
#include "neasim/paired.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/internal.h"

/* struct nsm_paired: sim/internal.h */

nsm_paired *nsm_paired_alloc(const nsm_model *m)
{
    nsm_paired *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->m = m;
    p->cols = m->n_reports + 1;
    size_t c = (size_t)p->cols;
    p->both_held = calloc((size_t)m->n_outcomes * c + 1, sizeof *p->both_held);
    p->both_first = calloc((size_t)m->n_outcomes * c + 1, sizeof *p->both_first);
    p->d2 = calloc((size_t)m->n_events * c + 1, sizeof *p->d2);
    if (!p->both_held || !p->both_first || !p->d2) {
        nsm_paired_free(p);
        return NULL;
    }
    return p;
}

void nsm_paired_free(nsm_paired *p)
{
    if (!p)
        return;
    free(p->both_held);
    free(p->both_first);
    free(p->d2);
    free(p->sq);
    free(p);
}

static void add_range(int64_t *row, int i0, int i1, int64_t v)
{
    if (i0 < i1 && v != 0) {
        row[i0] += v;
        row[i1] -= v;
    }
}

/* Intersections of two sorted lists of disjoint spans. */
static void intersect(int64_t *row, const nsm_spans *a, const nsm_spans *b)
{
    int i = 0, j = 0;
    while (i < a->n && j < b->n) {
        int lo = a->i0[i] > b->i0[j] ? a->i0[i] : b->i0[j];
        int hi = a->i1[i] < b->i1[j] ? a->i1[i] : b->i1[j];
        add_range(row, lo, hi, 1);
        if (a->i1[i] < b->i1[j])
            i++;
        else
            j++;
    }
}

/* D(i) = (arm's count up to i) - (baseline's): piecewise constant between occurrences. */
static void event_d2(int64_t *row, const nsm_spans *a, const nsm_spans *b, int n)
{
    int i = 0, j = 0, start = 0;
    int64_t d = 0;
    while (i < a->n || j < b->n) {
        int x = j >= b->n || (i < a->n && a->i0[i] <= b->i0[j]) ? a->i0[i] : b->i0[j];
        int64_t next = d;
        while (i < a->n && a->i0[i] == x) {
            next++;
            i++;
        }
        while (j < b->n && b->i0[j] == x) {
            next--;
            j++;
        }
        if (next != d) {
            add_range(row, start, x, d * d);
            start = x;
            d = next;
        }
    }
    add_range(row, start, n, d * d);
}

void nsm_paired_add(nsm_paired *p, const nsm_trace *base, const nsm_trace *arm)
{
    const nsm_model *m = p->m;
    size_t c = (size_t)p->cols;
    for (int o = 0; o < m->n_outcomes; o++) {
        intersect(p->both_held + (size_t)o * c, &base->held[o], &arm->held[o]);
        int both = base->first[o] > arm->first[o] ? base->first[o] : arm->first[o];
        add_range(p->both_first + (size_t)o * c, both, m->n_reports, 1);
    }
    for (int e = 0; e < m->n_events; e++)
        event_d2(p->d2 + (size_t)e * c, &arm->occ[e], &base->occ[e], m->n_reports);
}

/* The squares of a paired accumulator of draws, allocated the first time they are needed. */
static int sq_reserve(nsm_paired *p)
{
    if (!p->sq)
        p->sq = calloc(nsmi_paired_series_rows(p->m) * (size_t)p->cols + 1, sizeof *p->sq);
    return p->sq ? 0 : -1;
}

nsm_status nsm_paired_merge(nsm_paired *into, const nsm_paired *from)
{
    const nsm_model *m = into->m;
    size_t c = (size_t)into->cols;
    if (from->sq) {
        if (sq_reserve(into))
            return NSM_ERR_NOMEM;
        for (size_t k = 0, n = nsmi_paired_series_rows(m) * c; k < n; k++)
            into->sq[k] += from->sq[k];
    }
    into->draws += from->draws;
    for (size_t k = 0; k < (size_t)m->n_outcomes * c; k++) {
        into->both_held[k] += from->both_held[k];
        into->both_first[k] += from->both_first[k];
    }
    for (size_t k = 0; k < (size_t)m->n_events * c; k++)
        into->d2[k] += from->d2[k];
    return NSM_OK;
}

void nsm_paired_reset(nsm_paired *p)
{
    size_t c = (size_t)p->cols;
    memset(p->both_held, 0, (size_t)p->m->n_outcomes * c * sizeof *p->both_held);
    memset(p->both_first, 0, (size_t)p->m->n_outcomes * c * sizeof *p->both_first);
    memset(p->d2, 0, (size_t)p->m->n_events * c * sizeof *p->d2);
    p->draws = 0;
    if (p->sq)
        memset(p->sq, 0, nsmi_paired_series_rows(p->m) * c * sizeof *p->sq);
}

void nsm_paired_both_held(const nsm_paired *p, int o, int64_t *out)
{
    nsmi_prefix_series(p->both_held + (size_t)o * (size_t)p->cols, p->m->n_reports, out);
}

void nsm_paired_both_occurred(const nsm_paired *p, int o, int64_t *out)
{
    nsmi_prefix_series(p->both_first + (size_t)o * (size_t)p->cols, p->m->n_reports, out);
}

int64_t nsm_paired_both_held_count(const nsm_paired *p, int o, int i)
{
    return nsmi_prefix_at(p->both_held + (size_t)o * (size_t)p->cols, i);
}

int64_t nsm_paired_both_occurred_count(const nsm_paired *p, int o, int i)
{
    return nsmi_prefix_at(p->both_first + (size_t)o * (size_t)p->cols, i);
}

void nsm_paired_event_d2(const nsm_paired *p, int e, int64_t *out)
{
    nsmi_prefix_series(p->d2 + (size_t)e * (size_t)p->cols, p->m->n_reports, out);
}

int nsmi_paired_check(const nsm_paired *p, const char **why)
{
    const nsm_model *m = p->m;
    const size_t cols = (size_t)p->cols;
    const int64_t most = (int64_t)NSMI_RUNS_MAX;
    for (int o = 0; o < m->n_outcomes; o++) {
        *why = "an outcome held in both arms in fewer than 0 runs or more than any part holds";
        if (!nsmi_shares_ok(p->both_held + (size_t)o * cols, p->cols, most))
            return 1;
        *why = "an outcome occurred in both arms in fewer than 0 runs or more than any part holds";
        if (!nsmi_shares_ok(p->both_first + (size_t)o * cols, p->cols, most))
            return 1;
    }
    *why = "an event's squared differences of counts below zero or past 64 bits";
    for (int e = 0; e < m->n_events; e++)
        if (!nsmi_shares_ok(p->d2 + (size_t)e * cols, p->cols, INT64_MAX))
            return 1;
    *why = NULL;
    return 0;
}

const char *nsmi_paired_fits(const nsm_paired *p, const nsm_accum *base, const nsm_accum *arm,
                             int64_t *x)
{
    if (base->runs != arm->runs)
        return "an arm holds more or fewer runs than the baseline";
    const int n = p->m->n_reports;
    const int64_t runs = (int64_t)base->runs;
    int64_t *a = x, *b = x + p->cols, *ab = x + 2 * (size_t)p->cols;
    for (int o = 0; o < p->m->n_outcomes; o++) {
        for (int measure = 0; measure < 2; measure++) {
            if (measure == 0) {
                nsm_accum_outcome_held_series(arm, o, a);
                nsm_accum_outcome_held_series(base, o, b);
                nsm_paired_both_held(p, o, ab);
            } else { /* occurred by: the first occurrences' running sums */
                nsmi_prefix_series(arm->first + (size_t)o * (size_t)arm->cols, n, a);
                nsmi_prefix_series(base->first + (size_t)o * (size_t)base->cols, n, b);
                nsm_paired_both_occurred(p, o, ab);
            }
            /* the checks on each accumulator bound every count by runs <= 2^52: no overflow */
            for (int i = 0; i < n; i++)
                if (ab[i] > a[i] || ab[i] > b[i] || a[i] + b[i] - ab[i] > runs)
                    return measure == 0 ? "an outcome held in both arms in more runs than in "
                                          "one, or in fewer than the two must share"
                                        : "an outcome occurred in both arms in more runs than "
                                          "in one, or in fewer than the two must share";
        }
    }
    return NULL;
}

/* --- The draws of a two-level comparison --- */

/* Where series `kind` (held, occurred, cumulative) of item k starts in p->sq; -1: not kept. */
static long long sq_row(const nsm_paired *p, nsm_series_kind kind, int k)
{
    size_t o = (size_t)p->m->n_outcomes, row = (size_t)k;
    switch (kind) {
    case NSM_SERIES_HELD: break;
    case NSM_SERIES_OCCURRED: row += o; break;
    case NSM_SERIES_CUMULATIVE: row += 2 * o; break;
    default: return -1;
    }
    return (long long)(row * (size_t)p->cols);
}

nsm_status nsm_paired_add_draw(nsm_paired *into, const nsm_paired *draw, const nsm_accum *base,
                               const nsm_accum *arm)
{
    const nsm_model *m = into->m;
    const int cols = into->cols;
    static const nsm_series_kind kinds[] = {NSM_SERIES_HELD, NSM_SERIES_OCCURRED,
                                            NSM_SERIES_CUMULATIVE};
    int64_t *x = malloc(2 * (size_t)cols * sizeof *x);
    if (!x || sq_reserve(into) || nsm_paired_merge(into, draw) != NSM_OK) {
        free(x);
        return NSM_ERR_NOMEM;
    }
    int64_t *y = x + cols; /* after the check: an offset from NULL is undefined (cppcheck) */
    for (size_t s = 0; s < sizeof kinds / sizeof kinds[0]; s++) {
        int n = kinds[s] == NSM_SERIES_CUMULATIVE ? m->n_events : m->n_outcomes;
        for (int k = 0; k < n; k++) {
            nsmi_accum_series(arm, kinds[s], k, x);
            nsmi_accum_series(base, kinds[s], k, y);
            nsmi_u128 *sq = into->sq + sq_row(into, kinds[s], k);
            for (int i = 0; i < cols; i++) {
                int64_t d = x[i] - y[i];
                uint64_t mag = d < 0 ? -(uint64_t)d : (uint64_t)d;
                sq[i] += (nsmi_u128)mag * mag;
            }
        }
    }
    into->draws++;
    free(x);
    return NSM_OK;
}

uint64_t nsm_paired_draws(const nsm_paired *p)
{
    return p->draws;
}

double nsm_paired_draw_ss(const nsm_paired *p, nsm_series_kind kind, int k, int i, int64_t total)
{
    long long row = sq_row(p, kind, k);
    return p->sq && row >= 0 ? nsmi_draw_ss(p->sq + row + i, p->draws, total) : (double)NAN;
}
