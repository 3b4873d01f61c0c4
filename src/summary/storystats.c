/*
** storystats.c: the statistics of routes and signposts (storystats.h).
*/
#include "neasim/storystats.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const nsm_estimate none = {NAN, NAN, NAN};

nsm_estimate nsm_risk_ratio_katz(int64_t k1, int64_t n1, int64_t k0, int64_t n0)
{
    if (n1 <= 0 || n0 <= 0)
        return none;
    double a = (double)k1, b = (double)(n1 - k1), c = (double)k0, d = (double)(n0 - k0);
    if (k1 == 0 || k0 == 0 || k1 == n1 || k0 == n0) {
        a += 0.5;
        b += 0.5;
        c += 0.5;
        d += 0.5;
    }
    double lr = log(a / (a + b)) - log(c / (c + d));
    double se = sqrt(1.0 / a - 1.0 / (a + b) + 1.0 / c - 1.0 / (c + d));
    double z = gsl_cdf_ugaussian_Pinv(0.975);
    return (nsm_estimate){exp(lr), exp(lr - z * se), exp(lr + z * se)};
}

nsm_estimate nsm_difference_newcombe(int64_t k1, int64_t n1, int64_t k0, int64_t n0)
{
    if (n1 <= 0 || n0 <= 0)
        return none;
    nsm_proportion p1 = nsm_wilson(k1, n1), p0 = nsm_wilson(k0, n0);
    double d = p1.p - p0.p;
    double lo = d - sqrt((p1.p - p1.lo) * (p1.p - p1.lo) + (p0.hi - p0.p) * (p0.hi - p0.p));
    double hi = d + sqrt((p1.hi - p1.p) * (p1.hi - p1.p) + (p0.p - p0.lo) * (p0.p - p0.lo));
    return (nsm_estimate){d, lo, hi};
}

double nsm_grouped_median(const int64_t *count, const double *t, int n)
{
    int64_t total = 0, cum = 0;
    for (int i = 0; i < n; i++)
        total += count[i];
    if (total == 0)
        return NAN;
    for (int i = 0; i < n; i++) {
        if (2 * (cum + count[i]) >= total) {
            double t0 = i > 0 ? t[i - 1] : t[0];
            return t0 + ((double)total / 2.0 - (double)cum) / (double)count[i] * (t[i] - t0);
        }
        cum += count[i];
    }
    return t[n - 1];
}

int nsm_routes_summarize(const nsm_model *m, const nsm_story *a, int o, nsm_route_row *rows)
{
    int n = nsm_story_n_routes(a, o), top = n < NSM_ROUTES_TOP ? n : NSM_ROUTES_TOP, k = 0;
    int64_t all = nsm_story_onsets(a, o), rest = 0;
    int64_t *per = calloc((size_t)m->n_reports, sizeof *per);
    int64_t *sum = calloc((size_t)m->n_reports, sizeof *sum);
    if (!per || !sum) {
        free(per);
        free(sum);
        return -1;
    }
    for (; k < top; k++) {
        nsm_route r = nsm_story_route(a, o, k);
        nsm_story_route_periods(a, o, k, per);
        rows[k] = (nsm_route_row){0, r, r.onsets, nsm_wilson(r.onsets, all),
                                  nsm_grouped_median(per, m->report_t, m->n_reports)};
    }
    for (int j = top; j < n; j++) {
        rest += nsm_story_route(a, o, j).onsets;
        nsm_story_route_periods(a, o, j, per);
        for (int i = 0; i < m->n_reports; i++)
            sum[i] += per[i];
    }
    if (n > top)
        rows[k++] = (nsm_route_row){1, {0, 0, NULL, 0}, rest, nsm_wilson(rest, all),
                                    nsm_grouped_median(sum, m->report_t, m->n_reports)};
    free(per);
    free(sum);
    return k;
}

/* A term of one clause is the condition's own: entering a level it accepts makes the outcome
** hold, whatever the other terms of a disjunction say. */
int nsm_signpost_is_own(const nsm_model *m, int o, int j)
{
    const nsm_condition *c = &m->outcomes[o].cond;
    if (j >= m->n_levels_total)
        return 0;
    for (int q = 0; q < c->n_clauses; q++) {
        int alone = (q == 0 || c->clauses[q].starts_term) &&
                    (q + 1 == c->n_clauses || c->clauses[q + 1].starts_term);
        const nsm_factor *f = &m->factors[c->clauses[q].factor];
        int l = j - f->first_level;
        if (alone && l >= 0 && l < f->n_levels && ((c->clauses[q].mask >> l) & 1u))
            return 1;
    }
    return 0;
}

/* How far the difference's interval stays from zero: 0 when it holds zero. An indicator that
** (almost) always or never fires has a wide interval, however large its estimate. */
static double sure_move(const nsm_signpost *a)
{
    return a->difference.lo > 0 ? a->difference.lo : a->difference.hi < 0 ? -a->difference.hi : 0;
}

static int by_difference(const nsm_signpost *a, const nsm_signpost *b)
{
    double ma = sure_move(a), mb = sure_move(b);
    if (ma != mb)
        return ma > mb ? -1 : 1;
    double da = fabs(a->difference.est), db = fabs(b->difference.est);
    if (da != db)
        return da > db ? -1 : 1;
    return a->indicator - b->indicator;
}

/* Insertion sort: the rows of one (outcome, watch date) are at most the indicators, and qsort
** would need the comparison without a context anyway. */
static void rank(nsm_signpost *s, int n)
{
    for (int i = 1; i < n; i++) {
        nsm_signpost x = s[i];
        int j = i;
        for (; j > 0 && by_difference(&x, &s[j - 1]) < 0; j--)
            s[j] = s[j - 1];
        s[j] = x;
    }
}

int nsm_signposts_rank(const nsm_model *m, const nsm_story *a, int o, int w, nsm_signpost *out)
{
    nsm_story_counts all = nsm_story_watch(a, o, w);
    double runs = (double)nsm_story_runs(a);
    int n = 0;
    for (int j = 0; j < nsm_story_n_indicators(a); j++) {
        nsm_story_counts c = nsm_story_signpost(a, o, w, j);
        int64_t n0 = all.runs - c.runs, k0 = all.onsets - c.onsets;
        if (c.runs == 0 || n0 == 0 || nsm_signpost_is_own(m, o, j))
            continue;
        out[n++] = (nsm_signpost){j, (double)nsm_story_fired(a, w, j) / runs, c.runs, n0,
                                  nsm_wilson(c.onsets, c.runs), nsm_wilson(k0, n0),
                                  nsm_risk_ratio_katz(c.onsets, c.runs, k0, n0),
                                  nsm_difference_newcombe(c.onsets, c.runs, k0, n0), -1};
    }
    rank(out, n);
    for (int i = 1; i < n; i++) /* ranked side by side: the same counts, the same keys */
        for (int k = 0; k < i && out[i].same_as < 0; k++)
            if (out[k].same_as < 0 && nsm_story_same_runs(a, w, out[k].indicator, out[i].indicator))
                out[i].same_as = out[k].indicator;
    return n;
}
