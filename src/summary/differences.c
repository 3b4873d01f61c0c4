/*
** differences.c: paired differences between an arm and the baseline (summary.h).
**
** A paired difference D = A - B has mean (sum A - sum B) / n and sample variance
** (sum D^2 - n mean^2) / (n - 1); its standard error is sqrt(Var D / n) and its 95% interval is
** mean +- 1.96 se (normal approximation: n is in the thousands). On two levels (--outer) the
** draws, not the replications, are the sample of judgments (over_draws).
*/
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>

#include "neasim/summary.h"

static double sample_var(double sum, double sum2, double n)
{
    double v = n > 1 ? (sum2 - sum * sum / n) / (n - 1) : (double)NAN;
    return v < 0 ? 0 : v;
}

/* From the sums of A, B, A^2, B^2 and D^2 over n replications. */
static nsm_difference difference(double n, double sa, double sb, double sa2, double sb2,
                                 double sd2)
{
    double z = gsl_cdf_ugaussian_Pinv(0.975);
    nsm_difference d;
    d.baseline = sb / n;
    d.arm = sa / n;
    d.diff = (sa - sb) / n;
    double vd = sample_var(sa - sb, sd2, n);
    d.se = sqrt(vd / n);
    d.lo = d.diff - z * d.se;
    d.hi = d.diff + z * d.se;
    double vind = sample_var(sa, sa2, n) + sample_var(sb, sb2, n);
    d.vrf = vd > 0 ? vind / vd : (double)NAN;
    return d;
}

/* The interval of d as the mean over `draws` >= 2 draws whose standard error is se_draws. */
static void widen(nsm_difference *d, double se_draws, uint64_t draws)
{
    double t = gsl_cdf_tdist_Pinv(0.975, (double)(draws - 1));
    d->se = se_draws > d->se || isnan(d->se) ? se_draws : d->se;
    d->lo = d->diff - t * d->se;
    d->hi = d->diff + t * d->se;
}

/* With the draws of a two-level comparison (compare --outer): the runs of a draw share its
** numbers, so the mean effect over the judgments is known only as precisely as the N draws allow:
** se = max(sd of the draws' effects / sqrt(N), the paired se of all replications), and the
** interval diff +- t(N - 1) se. ss and total: paired.h, nsm_paired_draw_ss. One draw: as it is. */
static void over_draws(nsm_difference *d, const nsm_paired *p, nsm_series_kind kind, int k, int i,
                       int64_t total, double n)
{
    uint64_t draws = nsm_paired_draws(p);
    if (draws < 2 || isnan(d->diff))
        return;
    double runs = n / (double)draws, ss = nsm_paired_draw_ss(p, kind, k, i, total);
    widen(d, sqrt(ss / (runs * runs) / (double)(draws - 1) / (double)draws), draws);
}

/* Outcome o at report i from its counts there: replications where it holds (measure 0) or has
** occurred (1) in the arm, in the baseline, and in both. */
static nsm_difference outcome_at(const nsm_paired *p, int o, int measure, int i, double n,
                                 int64_t na, int64_t nb, int64_t nab)
{
    double a = (double)na, b = (double)nb, ab = (double)nab;
    /* For indicators A^2 = A, and D^2 = A + B - 2AB. */
    nsm_difference d = difference(n, a, b, a, b, a + b - 2 * ab);
    over_draws(&d, p, measure == 0 ? NSM_SERIES_HELD : NSM_SERIES_OCCURRED, o, i, na - nb, n);
    return d;
}

int nsm_difference_series(const nsm_model *m, const nsm_accum *base, const nsm_accum *arm,
                          const nsm_paired *p, int o, int measure, nsm_difference *out)
{
    int64_t *s = malloc(((size_t)m->n_reports + 1) * 3 * sizeof *s);
    if (!s)
        return -1;
    int64_t *sa = s, *sb = s + m->n_reports + 1, *sab = sb + m->n_reports + 1;
    if (measure == 0) {
        nsm_accum_outcome_held_series(arm, o, sa);
        nsm_accum_outcome_held_series(base, o, sb);
        nsm_paired_both_held(p, o, sab);
    } else {
        nsm_occurred_by(m, arm, o, sa);
        nsm_occurred_by(m, base, o, sb);
        nsm_paired_both_occurred(p, o, sab);
    }
    double n = (double)nsm_accum_runs(base);
    for (int i = 0; i < m->n_reports; i++)
        out[i] = outcome_at(p, o, measure, i, n, sa[i], sb[i], sab[i]);
    free(s);
    return 0;
}

/* Without the series: nothing to allocate, so nothing that could fail and leave a NaN in a table
** whose run went through. */
nsm_difference nsm_difference_outcome(const nsm_model *m, const nsm_accum *base,
                                      const nsm_accum *arm, const nsm_paired *p, int o,
                                      int measure, int i)
{
    (void)m;
    double n = (double)nsm_accum_runs(base);
    if (measure == 0)
        return outcome_at(p, o, measure, i, n, nsm_accum_outcome_held_count(arm, o, i),
                          nsm_accum_outcome_held_count(base, o, i),
                          nsm_paired_both_held_count(p, o, i));
    return outcome_at(p, o, measure, i, n, nsm_accum_outcome_occurred_count(arm, o, i),
                      nsm_accum_outcome_occurred_count(base, o, i),
                      nsm_paired_both_occurred_count(p, o, i));
}

/* Among m replications, A holding in a of them and B in b: the most in which they can differ. */
static int64_t most_apart(int64_t m, int64_t a, int64_t b)
{
    return a + b < 2 * m - a - b ? a + b : 2 * m - a - b;
}

nsm_difference nsm_difference_arms(const nsm_accum *base, const nsm_accum *a, const nsm_accum *b,
                                   const nsm_paired *pa, const nsm_paired *pb, int64_t both,
                                   int o, int i, int *exact)
{
    int64_t n = (int64_t)nsm_accum_runs(base);
    int64_t na = nsm_accum_outcome_occurred_count(a, o, i);
    int64_t nb = nsm_accum_outcome_occurred_count(b, o, i);
    int64_t d2; /* #(A != B) = sum (A - B)^2, or the most it can be */
    if (both >= 0) {
        d2 = na + nb - 2 * both;
    } else { /* the replications where the baseline's outcome has occurred, then the others */
        int64_t n0 = nsm_accum_outcome_occurred_count(base, o, i);
        int64_t a1 = nsm_paired_both_occurred_count(pa, o, i);
        int64_t b1 = nsm_paired_both_occurred_count(pb, o, i);
        d2 = most_apart(n0, a1, b1) + most_apart(n - n0, na - a1, nb - b1);
    }
    if (exact)
        *exact = both >= 0;
    double x = (double)na, y = (double)nb;
    return difference((double)n, x, y, x, y, (double)d2);
}

nsm_difference nsm_difference_changes(const nsm_accum *base, const nsm_accum *a,
                                      const nsm_accum *b, int64_t ab, int64_t a0, int64_t b0,
                                      int o, int i)
{
    double z = gsl_cdf_ugaussian_Pinv(0.975), n = (double)nsm_accum_runs(base);
    double n0 = (double)nsm_accum_outcome_occurred_count(base, o, i);
    double na = (double)nsm_accum_outcome_occurred_count(a, o, i);
    double nb = (double)nsm_accum_outcome_occurred_count(b, o, i);
    /* (A + B - 2 B0)^2 with I^2 = I */
    double y2 = na + nb + 4 * n0 + 2 * (double)ab - 4 * (double)a0 - 4 * (double)b0;
    nsm_difference d = {.baseline = NAN, .arm = NAN, .diff = (na + nb - 2 * n0) / n, .vrf = NAN};
    d.se = sqrt(sample_var(na + nb - 2 * n0, y2, n) / n);
    d.lo = d.diff - z * d.se;
    d.hi = d.diff + z * d.se;
    return d;
}

void nsm_difference_over_draws(nsm_difference *d, const double *x, const double *y, size_t stride,
                               size_t n_draws)
{
    if (n_draws < 2 || isnan(d->diff))
        return;
    double mean = 0, ss = 0;
    for (size_t j = 0; j < n_draws; j++)
        mean += (x[j * stride] - y[j * stride]) / (double)n_draws;
    for (size_t j = 0; j < n_draws; j++) {
        double e = x[j * stride] - y[j * stride] - mean;
        ss += e * e;
    }
    widen(d, sqrt(ss / (double)(n_draws - 1) / (double)n_draws), n_draws);
}

/* Sums of C and C^2 of an event's cumulative count at report i (and the sum of C in integers);
** hist holds the distribution at report i - 1 and is walked forward to i
** (nsm_accum_event_cumulative_step), so that a series costs the table's size once. */
static void count_sums(const nsm_accum *a, int e, int i, int64_t *hist, double *s, double *s2,
                       int64_t *sum)
{
    int64_t nv;
    nsm_accum_event_cumulative_step(a, e, i, hist, &nv);
    *s = *s2 = 0;
    *sum = 0;
    for (int64_t k = 0; k < nv; k++) {
        *s += (double)k * (double)hist[k];
        *s2 += (double)k * (double)k * (double)hist[k];
        *sum += k * hist[k];
    }
}

int nsm_difference_event_series(const nsm_model *m, const nsm_accum *base, const nsm_accum *arm,
                                const nsm_paired *p, int e, nsm_difference *out)
{
    double n = (double)nsm_accum_runs(base);
    int64_t top = nsm_accum_event_max_count(base, e), ta = nsm_accum_event_max_count(arm, e);
    int64_t *hist = malloc(((size_t)top + 1) * sizeof *hist);
    int64_t *hist_arm = malloc(((size_t)ta + 1) * sizeof *hist_arm);
    int64_t *d2 = malloc(((size_t)m->n_reports + 1) * sizeof *d2);
    if (!hist || !hist_arm || !d2) {
        free(hist);
        free(hist_arm);
        free(d2);
        return -1;
    }
    nsm_paired_event_d2(p, e, d2);
    out[0] = (nsm_difference){NAN, NAN, NAN, NAN, NAN, NAN, NAN}; /* the start: nothing counted */
    double sa, sa2, sb, sb2;
    int64_t ka, kb;
    count_sums(arm, e, 0, hist_arm, &sa, &sa2, &ka);
    count_sums(base, e, 0, hist, &sb, &sb2, &kb);
    for (int i = 1; i < m->n_reports; i++) {
        count_sums(arm, e, i, hist_arm, &sa, &sa2, &ka);
        count_sums(base, e, i, hist, &sb, &sb2, &kb);
        out[i] = difference(n, sa, sb, sa2, sb2, (double)d2[i]);
        over_draws(&out[i], p, NSM_SERIES_CUMULATIVE, e, i, ka - kb, n);
    }
    free(hist);
    free(hist_arm);
    free(d2);
    return 0;
}
