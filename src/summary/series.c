/*
** series.c: series derived from the accumulators (summary.h).
*/
#include "neasim/summary.h"

void nsm_occurred_by(const nsm_model *m, const nsm_accum *a, int o, int64_t *out)
{
    nsm_accum_outcome_first_series(a, o, out); /* replications whose first occurrence is at i */
    for (int i = 1; i <= m->n_reports; i++)
        out[i] += out[i - 1];
}

nsm_proportion nsm_series_proportion(const nsm_accum *a, nsm_series_kind kind, int item, int i,
                                     int64_t k)
{
    int64_t n = (int64_t)nsm_accum_runs(a);
    uint64_t draws = nsm_accum_draws(a);
    return draws ? nsm_draws_proportion(k, n, draws, nsm_accum_draw_ss(a, kind, item, i, k))
                 : nsm_wilson(k, n);
}
