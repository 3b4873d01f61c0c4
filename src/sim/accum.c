/*
** accum.c: integer accumulators with difference arrays (see accum.h for the idea).
**
** Event counts are kept as "count tables": a table with one row per count value c = 0, 1, ...
** and one column per report index, its rows grown (table_grow) when a larger count appears. Three
** tables per event: counts per period (zeros are not stored, they are the runs left over), counts
** per year since the start (the same, one column a year: ycols) and cumulative counts (as
** difference arrays over the report index, zeros included).
** The engine writes a stay's difference entries and an event's counts in place (actions.c,
** engine.c, internal.h: nsmi_accum_period, nsmi_accum_cumulative), and calls the event functions
** here only when a table must grow (issue 14): a change to the layout changes those too. The
** last merge of a run's threads moves their tables rather than copying them (merge_take), as a
** table is report dates x count values and each thread has its own.
*/
#include "neasim/accum.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/internal.h"

typedef nsmi_count_table count_table; /* layout in sim/internal.h */

/* Grow t to at least need_rows rows: an eighth more, in steps of 8 rows. The rows follow the
** largest count seen, which keeps growing with the replications where counts have a long tail
** (the baseline's launch days: 705, 836, 1,111 at 10^4, 10^5, 10^6 replications); doubling
** made the table, and each copy of it (one a thread and the merged one), jump to 2,048 rows at
** 10^6 where 1,256 do. More reallocations (about 40 instead of 8 from 8 to 1,111 rows, each at a
** new largest count) cost nothing measurable. */
static int table_grow(count_table *t, int64_t need_rows, int cols)
{
    if (need_rows <= t->rows)
        return 0;
    int64_t rows = need_rows + need_rows / 8;
    rows = rows < 8 ? 8 : (rows + 7) / 8 * 8;
    int64_t *cells = realloc(t->cells, (size_t)rows * (size_t)cols * sizeof *cells);
    if (!cells)
        return -1;
    memset(cells + t->rows * cols, 0, (size_t)(rows - t->rows) * (size_t)cols * sizeof *cells);
    t->cells = cells;
    t->rows = rows;
    return 0;
}

nsm_accum *nsm_accum_alloc(const nsm_model *m)
{
    nsm_accum *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->m = m;
    a->cols = m->n_reports + 1;
    a->ycols = nsmi_year_windows(m) + 1;
    size_t cols = (size_t)a->cols;
    a->occupancy = calloc((size_t)m->n_levels_total * cols + 1, sizeof *a->occupancy);
    a->held = calloc((size_t)m->n_outcomes * cols + 1, sizeof *a->held);
    a->first = calloc((size_t)m->n_outcomes * cols + 1, sizeof *a->first);
    a->period = calloc((size_t)m->n_events + 1, sizeof *a->period);
    a->yearly = calloc((size_t)m->n_events + 1, sizeof *a->yearly);
    a->cumul = calloc((size_t)m->n_events + 1, sizeof *a->cumul);
    if (!a->occupancy || !a->held || !a->first || !a->period || !a->yearly || !a->cumul) {
        nsm_accum_free(a);
        return NULL;
    }
    for (int e = 0; e < m->n_events; e++)
        a->period[e].max_seen = a->cumul[e].max_seen = a->yearly[e].max_seen = -1;
    return a;
}

void nsm_accum_free(nsm_accum *a)
{
    if (!a)
        return;
    for (int e = 0; a->period && e < a->m->n_events; e++)
        free(a->period[e].cells);
    for (int e = 0; a->yearly && e < a->m->n_events; e++)
        free(a->yearly[e].cells);
    free(a->yearly);
    for (int e = 0; a->cumul && e < a->m->n_events; e++)
        free(a->cumul[e].cells);
    free(a->period);
    free(a->cumul);
    free(a->occupancy);
    free(a->held);
    free(a->first);
    free(a->sq);
    free(a);
}

void nsm_accum_reset(nsm_accum *a)
{
    size_t cols = (size_t)a->cols;
    const nsm_model *m = a->m;
    a->runs = 0;
    a->draws = 0;
    if (a->sq)
        memset(a->sq, 0, nsmi_accum_series_rows(m) * cols * sizeof *a->sq);
    memset(a->occupancy, 0, (size_t)m->n_levels_total * cols * sizeof *a->occupancy);
    memset(a->held, 0, (size_t)m->n_outcomes * cols * sizeof *a->held);
    memset(a->first, 0, (size_t)m->n_outcomes * cols * sizeof *a->first);
    for (int e = 0; e < m->n_events; e++) {
        count_table *t[3] = {&a->period[e], &a->cumul[e], &a->yearly[e]};
        const int width[3] = {a->cols, a->cols, a->ycols};
        for (int k = 0; k < 3; k++) {
            if (t[k]->cells)
                memset(t[k]->cells, 0, (size_t)(t[k]->rows * width[k]) * sizeof(int64_t));
            t[k]->max_seen = -1;
        }
    }
}

static void add_cells(int64_t *into, const int64_t *from, size_t n)
{
    for (size_t k = 0; k < n; k++)
        into[k] += from[k];
}

static nsm_status merge_table(count_table *into, const count_table *from, int cols)
{
    if (from->max_seen < 0)
        return NSM_OK;
    if (table_grow(into, from->max_seen + 1, cols))
        return NSM_ERR_NOMEM;
    add_cells(into->cells, from->cells, (size_t)((from->max_seen + 1) * cols));
    if (from->max_seen > into->max_seen)
        into->max_seen = from->max_seen;
    return NSM_OK;
}

/* The squares of an accumulator of draws, allocated the first time they are needed. */
static int sq_reserve(nsm_accum *a)
{
    if (!a->sq)
        a->sq = calloc(nsmi_accum_series_rows(a->m) * (size_t)a->cols + 1, sizeof *a->sq);
    return a->sq ? 0 : -1;
}

nsm_status nsm_accum_merge(nsm_accum *into, const nsm_accum *from)
{
    const nsm_model *m = into->m;
    size_t cols = (size_t)into->cols;
    if (from->sq) {
        if (sq_reserve(into))
            return NSM_ERR_NOMEM;
        for (size_t k = 0, n = nsmi_accum_series_rows(m) * cols; k < n; k++)
            into->sq[k] += from->sq[k];
    }
    into->draws += from->draws;
    into->runs += from->runs;
    add_cells(into->occupancy, from->occupancy, (size_t)m->n_levels_total * cols);
    add_cells(into->held, from->held, (size_t)m->n_outcomes * cols);
    add_cells(into->first, from->first, (size_t)m->n_outcomes * cols);
    for (int e = 0; e < m->n_events; e++) {
        if (merge_table(&into->period[e], &from->period[e], into->cols) ||
            merge_table(&into->yearly[e], &from->yearly[e], into->ycols) ||
            merge_table(&into->cumul[e], &from->cumul[e], into->cols))
            return NSM_ERR_NOMEM;
    }
    return NSM_OK;
}

/* from's table moved into an empty into, or added to it and freed: from is left as a new
** accumulator's table (no cells), into holds the sum either way. */
static nsm_status take_table(count_table *into, count_table *from, int cols)
{
    if (into->max_seen < 0) { /* nothing recorded in into: from's cells are the sum */
        free(into->cells);
        *into = *from;
    } else if (merge_table(into, from, cols)) {
        return NSM_ERR_NOMEM;
    } else {
        free(from->cells);
    }
    *from = (count_table){NULL, 0, -1};
    return NSM_OK;
}

nsm_status nsm_accum_merge_take(nsm_accum *into, nsm_accum *from)
{
    const nsm_model *m = into->m;
    for (int e = 0; e < m->n_events; e++) { /* the count tables: moved or added, then freed */
        count_table *t[3] = {&from->period[e], &from->yearly[e], &from->cumul[e]};
        count_table *u[3] = {&into->period[e], &into->yearly[e], &into->cumul[e]};
        const int width[3] = {from->cols, from->ycols, from->cols};
        for (int k = 0; k < 3; k++)
            if (take_table(u[k], t[k], width[k]))
                return NSM_ERR_NOMEM;
    }
    /* the rest as nsm_accum_merge adds it (from's count tables are empty now: they add nothing) */
    nsm_status st = nsm_accum_merge(into, from);
    if (st == NSM_OK)
        nsm_accum_reset(from);
    return st;
}

static void diff_add(int64_t *row, int i0, int i1)
{
    if (i0 >= i1)
        return; /* a zero-length stay covers no report date */
    row[i0] += 1;
    row[i1] -= 1;
}

void nsm_accum_occupancy(nsm_accum *a, int flat_level, int i0, int i1)
{
    diff_add(a->occupancy + (size_t)flat_level * (size_t)a->cols, i0, i1);
}

void nsm_accum_outcome_held(nsm_accum *a, int o, int i0, int i1)
{
    diff_add(a->held + (size_t)o * (size_t)a->cols, i0, i1);
}

void nsm_accum_outcome_first(nsm_accum *a, int o, int i)
{
    a->first[(size_t)o * (size_t)a->cols + (size_t)i] += 1;
}

int nsmi_accum_table_reserve(count_table *t, int64_t count, int cols)
{
    return count >= t->rows && table_grow(t, count + 1, cols) ? -1 : 0;
}

static nsm_status table_reserve(count_table *t, int64_t count, int cols)
{
    if (count >= t->rows && table_grow(t, count + 1, cols))
        return NSM_ERR_NOMEM;
    if (count > t->max_seen)
        t->max_seen = count;
    return NSM_OK;
}

nsm_status nsm_accum_event_period(nsm_accum *a, int e, int i, int64_t count)
{
    count_table *t = &a->period[e];
    if (table_reserve(t, count, a->cols))
        return NSM_ERR_NOMEM;
    t->cells[count * a->cols + i] += 1;
    return NSM_OK;
}

nsm_status nsm_accum_event_year(nsm_accum *a, int e, int y, int64_t count)
{
    count_table *t = &a->yearly[e];
    if (y >= a->ycols)
        return NSM_OK;
    if (table_reserve(t, count, a->ycols))
        return NSM_ERR_NOMEM;
    t->cells[count * a->ycols + y] += 1;
    return NSM_OK;
}

nsm_status nsm_accum_event_cumulative(nsm_accum *a, int e, int64_t count, int i0, int i1)
{
    count_table *t = &a->cumul[e];
    if (i0 >= i1)
        return NSM_OK;
    if (table_reserve(t, count, a->cols))
        return NSM_ERR_NOMEM;
    diff_add(t->cells + count * a->cols, i0, i1);
    return NSM_OK;
}

void nsm_accum_end_replication(nsm_accum *a)
{
    a->runs++;
}

uint64_t nsm_accum_runs(const nsm_accum *a)
{
    return a->runs;
}

int64_t nsmi_prefix_at(const int64_t *row, int i)
{
    int64_t s = 0;
    for (int j = 0; j <= i; j++)
        s += row[j];
    return s;
}

void nsmi_prefix_series(const int64_t *row, int n, int64_t *out)
{
    int64_t s = 0;
    for (int j = 0; j < n; j++)
        out[j] = (s += row[j]);
}

int64_t nsm_accum_level_count(const nsm_accum *a, int flat_level, int i)
{
    return nsmi_prefix_at(a->occupancy + (size_t)flat_level * (size_t)a->cols, i);
}

int64_t nsm_accum_outcome_held_count(const nsm_accum *a, int o, int i)
{
    return nsmi_prefix_at(a->held + (size_t)o * (size_t)a->cols, i);
}

int64_t nsm_accum_outcome_occurred_count(const nsm_accum *a, int o, int i)
{
    return nsmi_prefix_at(a->first + (size_t)o * (size_t)a->cols, i);
}

void nsm_accum_level_series(const nsm_accum *a, int flat_level, int64_t *out)
{
    nsmi_prefix_series(a->occupancy + (size_t)flat_level * (size_t)a->cols, a->m->n_reports, out);
}

void nsm_accum_outcome_held_series(const nsm_accum *a, int o, int64_t *out)
{
    nsmi_prefix_series(a->held + (size_t)o * (size_t)a->cols, a->m->n_reports, out);
}

void nsm_accum_outcome_first_series(const nsm_accum *a, int o, int64_t *out)
{
    memcpy(out, a->first + (size_t)o * (size_t)a->cols, (size_t)a->cols * sizeof *out);
}

int64_t nsm_accum_event_max_count(const nsm_accum *a, int e)
{
    int64_t p = a->period[e].max_seen, c = a->cumul[e].max_seen, y = a->yearly[e].max_seen;
    int64_t top = p > c ? p : c;
    top = y > top ? y : top;
    return top > 0 ? top : 0;
}

static void nonzero_hist(const nsm_accum *a, const count_table *t, int cols, int i,
                         int64_t *hist, int64_t *n_values)
{
    int64_t top = t->max_seen > 0 ? t->max_seen : 0, nonzero = 0;
    for (int64_t c = 1; c <= top; c++)
        nonzero += hist[c] = i < cols ? t->cells[c * cols + i] : 0;
    hist[0] = (int64_t)a->runs - nonzero;
    *n_values = top + 1;
}

void nsm_accum_event_period_hist(const nsm_accum *a, int e, int i, int64_t *hist, int64_t *n_values)
{
    nonzero_hist(a, &a->period[e], a->cols, i, hist, n_values);
}

void nsm_accum_event_year_hist(const nsm_accum *a, int e, int y, int64_t *hist, int64_t *n_values)
{
    nonzero_hist(a, &a->yearly[e], a->ycols, y, hist, n_values);
}

void nsm_accum_event_cumulative_hists(const nsm_accum *a, int e, int i, int64_t *hist,
                                      int64_t *n_values)
{
    const count_table *t = &a->cumul[e];
    int64_t top = t->max_seen > 0 ? t->max_seen : 0;
    for (int64_t c = 0; c <= top; c++)
        hist[c] = t->max_seen < 0 ? 0 : nsmi_prefix_at(t->cells + c * a->cols, i);
    *n_values = top + 1;
}

void nsm_accum_event_cumulative_step(const nsm_accum *a, int e, int i, int64_t *hist,
                                     int64_t *n_values)
{
    const count_table *t = &a->cumul[e];
    int64_t top = t->max_seen > 0 ? t->max_seen : 0;
    for (int64_t c = 0; i == 0 && c <= top; c++)
        hist[c] = 0;
    for (int64_t c = 0; t->max_seen >= 0 && c <= top; c++)
        hist[c] += t->cells[c * a->cols + i];
    *n_values = top + 1;
}

/* --- What runs can produce (a part read from a file must hold only that) --- */

int nsmi_shares_ok(const int64_t *x, int n, int64_t runs)
{
    int64_t s = 0;
    for (int i = 0; i < n; i++)
        if (__builtin_add_overflow(s, x[i], &s) || s < 0 || s > runs)
            return 0;
    return 1;
}

/* The sum of the row of differences x[0..n-1]: what its prefix reaches after the last column.
** The caller has checked every prefix with nsmi_shares_ok, so no sum overflows. */
static int64_t row_total(const int64_t *x, int n)
{
    int64_t s = 0;
    for (int i = 0; i < n; i++)
        s += x[i];
    return s;
}

/* What every finished replication adds, and so every sum of them holds to the unit: one level of
** each factor at every report date; every stay, of a level or of an outcome held, closed at the
** end at the latest (its row of differences sums to 0); each outcome's first occurrence at one
** report date or at the end, once (its row sums to the runs). The bounds (nsmi_accum_check) are
** checked first. NULL when so, else what is not; `sum` scratch of a->cols. */
static const char *consistent(const nsm_accum *a, int64_t *sum)
{
    const nsm_model *m = a->m;
    const size_t cols = (size_t)a->cols;
    const int64_t runs = (int64_t)a->runs;
    for (int f = 0; f < m->n_factors; f++) {
        memset(sum, 0, cols * sizeof *sum);
        for (int l = 0; l < m->factors[f].n_levels; l++) {
            const int64_t *row = a->occupancy + (size_t)(m->factors[f].first_level + l) * cols;
            int64_t held = 0;
            for (size_t i = 0; i < cols; i++) {
                held += row[i];
                sum[i] += held; /* shares are not negative: past runs, it stays past */
                if (sum[i] > runs)
                    return "a factor's levels add up to more than its runs at a report date";
            }
            if (held != 0)
                return "a level's stays do not all end by the last report date";
        }
        for (int i = 0; i < m->n_reports; i++)
            if (sum[i] != runs)
                return "a factor's levels add up to fewer than its runs at a report date";
    }
    for (int o = 0; o < m->n_outcomes; o++) {
        if (row_total(a->held + (size_t)o * cols, a->cols) != 0)
            return "an outcome's stays do not all end by the last report date";
        if (row_total(a->first + (size_t)o * cols, a->cols) != runs)
            return "an outcome's first occurrences (and runs without one) do not add up to its runs";
    }
    return NULL;
}

/* What every finished run adds to a cumulative count table, as consistent() for the levels: at
** every report date, one count (the stays at each count since the start, [start, end) of the
** report indices, follow each other from 0 to the end), each stay ended by the end. Its bounds
** (table_ok) are checked first, so no sum overflows. `sum` scratch of cols. */
static int cumulative_adds_up(const count_table *t, int cols, int n_reports, int64_t runs,
                              int64_t *sum)
{
    memset(sum, 0, (size_t)cols * sizeof *sum);
    for (int64_t c = 0; c <= t->max_seen; c++) {
        const int64_t *row = t->cells + c * cols;
        int64_t held = 0;
        for (int i = 0; i < cols; i++) {
            held += row[i];
            sum[i] += held;
        }
        if (held != 0)
            return 0;
    }
    for (int i = 0; i < n_reports; i++)
        if (sum[i] != runs)
            return 0;
    return 1;
}

/* A count table's cells (cumulative: rows of differences, each row's prefix sums its runs' share
** at every column): every share within [0, runs], their sum over the count values at a column
** too, and the sum of count x runs within 64 bits (table_sums, cumulative_sums; the summaries'
** means). One pass over the rows, in the order they are stored, with a column's sums in `all` and
** `total` (cols each, scratch). 1 plausible, 0 not. */
static int table_ok(const count_table *t, int cols, int cumulative, int64_t runs, int64_t *all,
                    int64_t *total)
{
    memset(all, 0, (size_t)cols * sizeof *all);
    memset(total, 0, (size_t)cols * sizeof *total);
    for (int64_t c = 0; c <= t->max_seen; c++) {
        const int64_t *row = t->cells + c * cols;
        int64_t share = 0, ct;
        for (int i = 0; i < cols; i++) {
            if (!cumulative)
                share = row[i];
            else if (__builtin_add_overflow(share, row[i], &share))
                return 0;
            if (share < 0 || share > runs || (all[i] += share) > runs ||
                __builtin_mul_overflow(c, share, &ct) ||
                __builtin_add_overflow(total[i], ct, &total[i]))
                return 0;
        }
    }
    return 1;
}

int nsmi_accum_check(const nsm_accum *a, const char **why)
{
    const nsm_model *m = a->m;
    const size_t cols = (size_t)a->cols;
    *why = "more replications than any run holds";
    if (a->runs > NSMI_RUNS_MAX)
        return 1;
    const int64_t runs = (int64_t)a->runs;
    *why = "a level held in fewer than 0 or more than all of its runs";
    for (int l = 0; l < m->n_levels_total; l++)
        if (!nsmi_shares_ok(a->occupancy + (size_t)l * cols, a->cols, runs))
            return 1;
    for (int o = 0; o < m->n_outcomes; o++) {
        const int64_t *first = a->first + (size_t)o * cols;
        *why = "an outcome held in fewer than 0 or more than all of its runs";
        if (!nsmi_shares_ok(a->held + (size_t)o * cols, a->cols, runs))
            return 1;
        *why = "an outcome's first occurrences below zero or above its runs";
        for (size_t i = 0; i < cols; i++)
            if (first[i] < 0)
                return 1;
        if (!nsmi_shares_ok(first, a->cols, runs))
            return 1;
    }
    int wide = a->cols > a->ycols ? a->cols : a->ycols;
    int64_t *scratch = malloc(2 * (size_t)wide * sizeof *scratch);
    if (!scratch)
        return -1;
    *why = consistent(a, scratch);
    if (*why) {
        free(scratch);
        return 1;
    }
    int ok = 1;
    for (int e = 0; ok && e < m->n_events; e++)
        ok = table_ok(&a->period[e], a->cols, 0, runs, scratch, scratch + a->cols) &&
             table_ok(&a->yearly[e], a->ycols, 0, runs, scratch, scratch + a->ycols) &&
             table_ok(&a->cumul[e], a->cols, 1, runs, scratch, scratch + a->cols);
    *why = ok ? NULL : "an event's counts are not shares of its runs";
    for (int e = 0; ok && e < m->n_events; e++) {
        ok = cumulative_adds_up(&a->cumul[e], a->cols, m->n_reports, runs, scratch);
        if (!ok)
            *why = "an event's counts since the start do not add up to its runs at a report date, "
                   "or do not end by the last";
    }
    free(scratch);
    return !ok;
}

/* --- The draws of a two-level run --- */

uint64_t nsm_accum_draws(const nsm_accum *a)
{
    return a->draws;
}

/* Where series `kind` of item k starts in a->sq. */
static size_t sq_row(const nsm_accum *a, nsm_series_kind kind, int k)
{
    const nsm_model *m = a->m;
    size_t levels = (size_t)m->n_levels_total, outcomes = (size_t)m->n_outcomes,
           events = (size_t)m->n_events, row = (size_t)k;
    switch (kind) {
    case NSM_SERIES_LEVEL: break;
    case NSM_SERIES_HELD: row += levels; break;
    case NSM_SERIES_OCCURRED: row += levels + outcomes; break;
    case NSM_SERIES_PERIOD: row += levels + 2 * outcomes; break;
    case NSM_SERIES_YEAR: row += levels + 2 * outcomes + events; break;
    case NSM_SERIES_CUMULATIVE: row += levels + 2 * outcomes + 2 * events; break;
    }
    return row * (size_t)a->cols;
}

/* x[0..a->cols-1]: the sum of the counts of a period or year table (of tcols columns, the rest
** zero), column by column. */
static void table_sums(const nsm_accum *a, const count_table *t, int tcols, int64_t *x)
{
    memset(x, 0, (size_t)a->cols * sizeof *x);
    for (int64_t c = 1; c <= t->max_seen; c++)
        for (int i = 0; i < tcols; i++)
            x[i] += c * t->cells[c * tcols + i];
}

/* x[0..cols-1]: the sum of the cumulative counts up to each report (rows are difference arrays). */
static void cumulative_sums(const nsm_accum *a, const count_table *t, int64_t *x)
{
    memset(x, 0, (size_t)a->cols * sizeof *x);
    for (int64_t c = 1; c <= t->max_seen; c++) {
        int64_t held = 0;
        for (int i = 0; i < a->cols; i++)
            x[i] += c * (held += t->cells[c * a->cols + i]);
    }
}

void nsmi_accum_series(const nsm_accum *a, nsm_series_kind kind, int k, int64_t *x)
{
    const int cols = a->cols;
    x[cols - 1] = 0; /* the column after the last report holds no date */
    switch (kind) {
    case NSM_SERIES_LEVEL: nsm_accum_level_series(a, k, x); break;
    case NSM_SERIES_HELD: nsm_accum_outcome_held_series(a, k, x); break;
    case NSM_SERIES_OCCURRED: nsmi_prefix_series(a->first + (size_t)k * (size_t)cols, cols, x); break;
    case NSM_SERIES_PERIOD: table_sums(a, &a->period[k], cols, x); break;
    case NSM_SERIES_YEAR: table_sums(a, &a->yearly[k], a->ycols, x); break;
    case NSM_SERIES_CUMULATIVE: cumulative_sums(a, &a->cumul[k], x); break;
    }
}

nsm_status nsm_accum_add_draw(nsm_accum *into, const nsm_accum *draw)
{
    const nsm_model *m = into->m;
    static const struct {
        nsm_series_kind kind;
        int per; /* 0 level, 1 outcome, 2 event */
    } series[] = {{NSM_SERIES_LEVEL, 0},  {NSM_SERIES_HELD, 1}, {NSM_SERIES_OCCURRED, 1},
                  {NSM_SERIES_PERIOD, 2}, {NSM_SERIES_YEAR, 2}, {NSM_SERIES_CUMULATIVE, 2}};
    const int count[3] = {m->n_levels_total, m->n_outcomes, m->n_events};
    int64_t *x = malloc((size_t)into->cols * sizeof *x);
    if (!x || sq_reserve(into) || nsm_accum_merge(into, draw) != NSM_OK) {
        free(x);
        return NSM_ERR_NOMEM;
    }
    for (size_t s = 0; s < sizeof series / sizeof series[0]; s++) {
        for (int k = 0; k < count[series[s].per]; k++) {
            nsmi_accum_series(draw, series[s].kind, k, x);
            nsmi_u128 *sq = into->sq + sq_row(into, series[s].kind, k);
            for (int i = 0; i < into->cols; i++) /* counts are >= 0 */
                sq[i] += (nsmi_u128)(uint64_t)x[i] * (uint64_t)x[i];
        }
    }
    into->draws++;
    free(x);
    return NSM_OK;
}

double nsmi_draw_ss(const nsmi_u128 *sq, uint64_t draws, int64_t total)
{
    if (!sq || draws == 0)
        return NAN;
    /* N sum x_j^2 - X^2 = N sum (x_j - X/N)^2 >= 0 (Cauchy-Schwarz), in integers: the spread
    ** between the draws is often tiny beside the totals, and a difference of doubles would lose it */
    uint64_t mag = total < 0 ? -(uint64_t)total : (uint64_t)total;
    const nsmi_u128 n = draws, s = *sq, x2 = (nsmi_u128)mag * mag;
    if (s > ~(nsmi_u128)0 / n) /* beyond 2^128: in floating point, to 64 bits */
        return (double)((long double)s - (long double)x2 / (long double)n);
    nsmi_u128 centred = n * s;
    centred = centred > x2 ? centred - x2 : 0;
    return (double)((long double)centred / (long double)n);
}

double nsm_accum_draw_ss(const nsm_accum *a, nsm_series_kind kind, int k, int i, int64_t total)
{
    return a->sq ? nsmi_draw_ss(a->sq + sq_row(a, kind, k) + (size_t)i, a->draws, total) : (double)NAN;
}
