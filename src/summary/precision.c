/*
** precision.c: the widest 95% interval half-width over a list of targets (precision.h), from the
** same functions the tables use (nsm_series_proportion for outcomes.csv, nsm_difference_outcome
** for differences.csv, nsm_interaction_outcome for interactions.csv), so that a target the run
** says it met is met in the tables, with --outer in the intervals that count the draws.
*/
#include <math.h>

#include "neasim/precision.h"
#include "neasim/stats.h"
#include "neasim/summary.h"

static const nsm_precision_widest UNDEFINED = {(double)NAN, -1, 0};

/* Keep the wider of w and (hw at target, arm); 0 when hw is NaN: no interval yet. */
static int widen(nsm_precision_widest *w, double hw, int target, int arm)
{
    if (isnan(hw))
        return 0;
    if (hw > w->half_width)
        *w = (nsm_precision_widest){hw, target, arm};
    return 1;
}

nsm_precision_widest nsm_precision_run(const nsm_model *m, const nsm_accum *a,
                                       const nsm_precision_target *t, int n_targets,
                                       int64_t *by)
{
    nsm_precision_widest w = {-1.0, -1, 0};
    int ok = n_targets > 0;
    for (int k = 0; ok && k < n_targets; k++) {
        nsm_occurred_by(m, a, t[k].outcome, by);
        nsm_proportion p = nsm_series_proportion(a, NSM_SERIES_OCCURRED, t[k].outcome,
                                                 t[k].report, by[t[k].report]);
        ok = widen(&w, (p.hi - p.lo) / 2, k, 0);
    }
    return ok ? w : UNDEFINED;
}

nsm_precision_widest nsm_precision_compare(const nsm_model *m, const nsm_accum *const *acc,
                                           nsm_paired *const *paired, int n_arms,
                                           const nsm_precision_target *t, int n_targets)
{
    nsm_precision_widest w = {n_arms > 1 ? -1.0 : 0.0, -1, 0};
    int ok = n_targets > 0;
    for (int a = 1; ok && a < n_arms; a++)
        for (int k = 0; ok && k < n_targets; k++) {
            if (t[k].arm > 0 && t[k].arm != a)
                continue;
            nsm_difference d = nsm_difference_outcome(m, acc[0], acc[a], paired[a], t[k].outcome,
                                                      1, t[k].report);
            ok = widen(&w, (d.hi - d.lo) / 2, k, a);
        }
    /* targets all of arms the comparison lacks: nothing measured, nothing met */
    return ok && (n_arms == 1 || w.target >= 0) ? w : UNDEFINED;
}

nsm_precision_widest nsm_precision_interactions(const nsm_model *m,
                                                const nsm_interaction_inputs *in, int n_in,
                                                const nsm_precision_target *t, int n_targets,
                                                int64_t *scratch)
{
    nsm_precision_widest w = {-1.0, -1, 0};
    int ok = n_targets > 0;
    for (int k = 0; ok && k < n_in; k++)
        for (int j = 0; ok && j < n_targets; j++) {
            nsm_difference d = nsm_interaction_outcome(m, &in[k], t[j].outcome, t[j].report,
                                                       scratch);
            ok = widen(&w, (d.hi - d.lo) / 2, j, k);
        }
    return ok ? w : UNDEFINED;
}
