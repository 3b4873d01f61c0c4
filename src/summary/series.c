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
