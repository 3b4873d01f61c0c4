/*
** briefing.c: verdicts, ranks and interactions for the briefing table (briefing.h).
*/
#include "neasim/briefing.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>

const char *nsm_verdict_name(nsm_verdict v)
{
    switch (v) {
    case NSM_VERDICT_HELPS: return "helps";
    case NSM_VERDICT_HURTS: return "hurts";
    case NSM_VERDICT_CHANGES: return "changes";
    case NSM_VERDICT_UNCLEAR: break;
    }
    return "unclear";
}

double nsm_help(double diff, nsm_desirable dir)
{
    switch (dir) {
    case NSM_DESIRABLE_LOWER: return -diff;
    case NSM_DESIRABLE_HIGHER: return diff;
    case NSM_DESIRABLE_NONE: break;
    }
    return fabs(diff);
}

static int distinguishable(const nsm_difference *d)
{
    return d->lo > 0 || d->hi < 0;
}

nsm_verdict nsm_verdict_of(const nsm_difference *d, nsm_desirable dir)
{
    if (!distinguishable(d))
        return NSM_VERDICT_UNCLEAR;
    if (dir == NSM_DESIRABLE_NONE)
        return NSM_VERDICT_CHANGES;
    return nsm_help(d->diff, dir) > 0 ? NSM_VERDICT_HELPS : NSM_VERDICT_HURTS;
}

/* Effect a goes before effect b. */
static int before(const nsm_difference *d, nsm_desirable dir, int a, int b)
{
    int da = distinguishable(&d[a]), db = distinguishable(&d[b]);
    if (da != db)
        return da;
    if (da) {
        double ha = nsm_help(d[a].diff, dir), hb = nsm_help(d[b].diff, dir);
        if (ha != hb)
            return ha > hb;
    }
    return a < b;
}

int nsm_rank_effects(const nsm_difference *d, int n, nsm_desirable dir, int *order, int *rank)
{
    /* insertion sort: a briefing has a few dozen arms at most */
    for (int k = 0; k < n; k++) {
        int j = k;
        for (; j > 0 && before(d, dir, k, order[j - 1]); j--)
            order[j] = order[j - 1];
        order[j] = k;
    }
    int n_dist = 0;
    for (int k = 0; k < n; k++) {
        int dk = distinguishable(&d[order[k]]);
        n_dist += dk;
        if (rank)
            rank[order[k]] = dk ? k + 1 : 0;
    }
    return n_dist;
}

nsm_difference nsm_interaction_binary(const nsm_interaction_counts *c)
{
    static const double sign[4] = {1, -1, -1, 1};
    double n = (double)c->runs, sum = 0, sum2 = 0;
    for (int k = 0; k < 4; k++) {
        sum += sign[k] * (double)c->count[k];
        sum2 += (double)c->count[k];
        for (int j = k + 1; j < 4; j++)
            sum2 += 2 * sign[k] * sign[j] * (double)c->both[k][j];
    }
    double var = n > 1 ? (sum2 - sum * sum / n) / (n - 1) : (double)NAN;
    double z = gsl_cdf_ugaussian_Pinv(0.975);
    nsm_difference d = {(double)NAN, (double)NAN, sum / n, 0, 0, 0, (double)NAN};
    d.se = sqrt(var > 0 ? var / n : 0);
    if (isnan(var))
        d.se = (double)NAN;
    d.lo = d.diff - z * d.se;
    d.hi = d.diff + z * d.se;
    return d;
}

nsm_difference nsm_interaction_outcome(const nsm_model *m, const nsm_interaction_inputs *in,
                                       int o, int i, int64_t *s)
{
    nsm_interaction_counts c = {(int64_t)nsm_accum_runs(in->acc[0]), {0}, {{0}}};
    for (int k = 0; k < 4; k++) {
        nsm_occurred_by(m, in->acc[k], o, s);
        c.count[k] = s[i];
        for (int j = k + 1; j < 4; j++) {
            nsm_paired_both_occurred(in->pair[k][j], o, s);
            c.both[k][j] = s[i];
        }
    }
    return nsm_interaction_binary(&c);
}
