/*
** rivals.c: every two arms of a comparison at the briefing's horizons (rivals.h).
**
** A replication first finds, for each arm and outcome, the first horizon by which the outcome has
** occurred (the trace's first report index against the horizons'; n_h: by none); then each pair's
** row takes one count, in the column of the later of its two arms' horizons. That is a load, a
** maximum and an increment an outcome and pair, branch-free; the rows of one arm a (its pairs
** with b > a) lie next to each other, so a replication walks the counts once, in order.
*/
#include <stdlib.h>
#include <string.h>

#include "sim/internal.h"

nsm_rivals *nsm_rivals_alloc(const nsm_model *m, int n_arms, const int *idx, int n_h)
{
    if (n_arms < 1 || n_h < 1 || n_h > (int)(sizeof((nsm_rivals *)0)->idx / sizeof(int)))
        return NULL;
    for (int h = 1; h < n_h; h++)
        if (idx[h] <= idx[h - 1])
            return NULL;
    nsm_rivals *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->m = m;
    r->n_arms = n_arms;
    r->n_h = n_h;
    r->n_pairs = n_arms * (n_arms - 1) / 2;
    memcpy(r->idx, idx, (size_t)n_h * sizeof *idx);
    r->both = calloc(nsmi_rivals_cells(r) + 1, sizeof *r->both);
    r->by = malloc((size_t)n_arms * (size_t)m->n_outcomes + 1);
    if (!r->both || !r->by) {
        nsm_rivals_free(r);
        return NULL;
    }
    return r;
}

nsm_rivals *nsm_rivals_alloc_like(const nsm_rivals *r)
{
    return nsm_rivals_alloc(r->m, r->n_arms, r->idx, r->n_h);
}

void nsm_rivals_free(nsm_rivals *r)
{
    if (!r)
        return;
    free(r->both);
    free(r->by);
    free(r);
}

void nsm_rivals_add(nsm_rivals *r, const nsm_trace *const *trace)
{
    const int n_o = r->m->n_outcomes, n_h = r->n_h, w = n_h + 1;
    unsigned char *by = r->by;
    for (int a = 0; a < r->n_arms; a++)
        for (int o = 0; o < n_o; o++) {
            int first = trace[a]->first[o], h = 0;
            while (h < n_h && r->idx[h] < first)
                h++;
            by[a * n_o + o] = (unsigned char)h;
        }
    int64_t *row = r->both; /* the pairs in index order: (0, 1), (0, 2), ..., (1, 2), ... */
    for (int a = 0; a < r->n_arms; a++) {
        const unsigned char *x = by + a * n_o;
        for (int b = a + 1; b < r->n_arms; b++) {
            const unsigned char *y = by + b * n_o;
            for (int o = 0; o < n_o; o++, row += w) {
                int d = x[o] - y[o]; /* the larger, without a branch (gcc made one of ?:) */
                row[x[o] - (d & -(d < 0))]++;
            }
        }
    }
}

void nsm_rivals_merge(nsm_rivals *into, const nsm_rivals *from)
{
    for (size_t k = 0, n = nsmi_rivals_cells(into); k < n; k++)
        into->both[k] += from->both[k];
}

void nsm_rivals_reset(nsm_rivals *r)
{
    memset(r->both, 0, nsmi_rivals_cells(r) * sizeof *r->both);
}

int64_t nsm_rivals_both(const nsm_rivals *r, int a, int b, int o, int h)
{
    const int64_t *row = a < b ? nsmi_rivals_row(r, a, b, o) : nsmi_rivals_row(r, b, a, o);
    int64_t s = 0;
    for (int j = 0; j <= h; j++)
        s += row[j];
    return s;
}

const char *nsmi_rivals_fits(const nsm_rivals *r, const nsm_accum *const *acc)
{
    const int n_o = r->m->n_outcomes;
    for (int a = 0; a < r->n_arms; a++)
        if (acc[a]->runs != acc[0]->runs)
            return "an arm holds more or fewer runs than the baseline";
    const int64_t runs = (int64_t)acc[0]->runs;
    for (int a = 0; a < r->n_arms; a++)
        for (int b = a + 1; b < r->n_arms; b++)
            for (int o = 0; o < n_o; o++) {
                const int64_t *row = nsmi_rivals_row(r, a, b, o);
                if (!nsmi_shares_ok(row, r->n_h + 1, runs))
                    return "an outcome occurred in two arms in fewer than 0 runs or more than "
                           "the runs";
                int64_t s = 0;
                for (int h = 0; h < r->n_h; h++) {
                    s += row[h];
                    int64_t x = nsm_accum_outcome_occurred_count(acc[a], o, r->idx[h]);
                    int64_t y = nsm_accum_outcome_occurred_count(acc[b], o, r->idx[h]);
                    if (s > x || s > y || x + y - s > runs)
                        return "an outcome occurred in two arms in more runs than in one, or in "
                               "fewer than the two must share";
                }
                if (s + row[r->n_h] != runs)
                    return "a pair of arms holds more or fewer runs than the arms";
            }
    return NULL;
}
