/*
** storystats.h: the statistics of routes.csv and signposts.csv, from a finished story accumulator
** (story.h): shares of routes with Wilson intervals and their median times to onset; for
** signposts the two conditional probabilities, their ratio (Katz log interval) and difference
** (Newcombe's hybrid score interval), and the ranking.
*/
#ifndef NEASIM_STORYSTATS_H
#define NEASIM_STORYSTATS_H

#include <stdint.h>

#include "neasim/model.h"
#include "neasim/stats.h"
#include "neasim/story.h"

/* An estimate with a 95% interval. NaN when it is not defined. */
typedef struct {
    double est, lo, hi;
} nsm_estimate;

/* Risk ratio (k1/n1) / (k0/n0) with the Katz log interval: exp(log RR +- z sqrt(1/k1 - 1/n1 +
** 1/k0 - 1/n0)) (Katz et al. 1978). When a cell of the 2x2 table is zero (k1, k0, n1 - k1 or
** n0 - k0), 0.5 is added to each of the four cells, estimate and interval alike (Haldane-Anscombe),
** so that both stay finite. NaN when n1 or n0 is 0. */
nsm_estimate nsm_risk_ratio_katz(int64_t k1, int64_t n1, int64_t k0, int64_t n0);

/* Difference k1/n1 - k0/n0 with Newcombe's hybrid score interval (Newcombe 1998, method 10) built
** from the two Wilson intervals: [d - sqrt((p1 - l1)^2 + (u0 - p0)^2),
** d + sqrt((u1 - p1)^2 + (p0 - l0)^2)]. NaN when n1 or n0 is 0. */
nsm_estimate nsm_difference_newcombe(int64_t k1, int64_t n1, int64_t k0, int64_t n0);

/* The median of times grouped by report period: count[i] things in (t[i-1], t[i]] (t[-1] = t[0]
** for i = 0), i = 0..n-1, interpolated linearly within the period where the cumulative count
** reaches half the total (the grouped-data median). NaN when the total is 0. */
double nsm_grouped_median(const int64_t *count, const double *t, int n);

/* One row of routes.csv. */
#define NSM_ROUTES_TOP 10 /* routes written per outcome; the rest are summed as "other" */
typedef struct {
    int other;               /* 1: the sum of every route past the top NSM_ROUTES_TOP */
    nsm_route route;         /* when not other */
    int64_t onsets;
    nsm_proportion share;    /* of the outcome's onsets */
    double median_t;         /* days from the start to the onset, grouped median */
} nsm_route_row;

/* The rows of outcome o (at most NSM_ROUTES_TOP + 1) into rows; returns how many, or -1 when out
** of memory. */
int nsm_routes_summarize(const nsm_model *m, const nsm_story *a, int o, nsm_route_row *rows);

/* One row of signposts.csv: indicator j at watch date w for outcome o (story.h). */
typedef struct {
    int indicator;
    double fires;             /* share of all replications in which it happened by w */
    int64_t n_with, n_without; /* replications without an onset by w, with and without it */
    nsm_proportion with, without; /* P(onset in (w, horizon] | ...) */
    nsm_estimate ratio, difference;
    int same_as;              /* the indicator ranked first of those above it that happened by w
                              ** in the same replications (nsm_story_same_runs), or -1 */
} nsm_signpost;

/* Is indicator j the outcome's own condition (a one-clause condition on a factor, or a term of
** one clause of a disjunction, j entering a level it accepts)? Such an indicator is not a
** signpost. */
int nsm_signpost_is_own(const nsm_model *m, int o, int j);

/* The signposts of outcome o at watch date w, ranked: every indicator that happened by w in some
** replication and not in another (among those without an onset by w), not the outcome's own
** condition, by how far the difference's 95% interval stays from zero (the end nearest zero; 0
** when the interval holds zero), largest first, then by |difference|, then in indicator order.
** Indicators that happened in the same replications have the same counts, so they are ranked
** side by side, the first in indicator order first; each after it names it (same_as). out has
** room for nsm_story_n_indicators(a); returns how many. */
int nsm_signposts_rank(const nsm_model *m, const nsm_story *a, int o, int w, nsm_signpost *out);

#endif
