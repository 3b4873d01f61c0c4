/*
** scores.h: proper scores of probability forecasts against what happened (`neasim score`).
**
** Every score here is negatively oriented (0 is perfect, smaller is better) and proper: a
** forecaster minimises its expected score by stating the probabilities it believes
** (Gneiting and Raftery 2007, "Strictly proper scoring rules, prediction, and estimation", JASA
** 102:359-378). A count's predictive distribution is a probability mass function pmf[0..n-1] over
** the counts 0..n-1 (the mass above n-1 is zero); the functions take it as given and do not
** renormalise it.
*/
#ifndef NEASIM_SCORES_H
#define NEASIM_SCORES_H

#include <stdint.h>

/* Brier score of probability p for a binary outcome y (0 or 1): (p - y)^2. */
double nsm_brier(double p, int y);

/* Logarithmic score: -ln(p) when y = 1, -ln(1 - p) when y = 0; +INFINITY when the forecast gave
** the outcome probability 0. */
double nsm_log_score(double p, int y);

/* CRPS of a count forecast for the observed count y >= 0, exactly:
** sum over k >= 0 of (F(k) - 1{y <= k})^2, where F is the forecast's distribution function. For an
** integer-valued forecast this equals the integral of the CRPS and the ranked probability score
** over the unbounded categories 0, 1, 2, ... (Czado, Gneiting and Held 2009, Biometrics
** 65:1254). */
double nsm_crps_counts(const double *pmf, int64_t n, int64_t y);

/* Mid-PIT of count y: F(y - 1) + pmf[y] / 2, the middle of the randomized PIT's interval
** [F(y - 1), F(y)] (Czado et al. 2009). Uniform-ish when the forecast is calibrated; near 0 or 1
** when the observation lies in a tail. Deterministic (no random draw), so scores reproduce. */
double nsm_mid_pit(const double *pmf, int64_t n, int64_t y);

/* The q-quantile of a count forecast, as event_counts.csv's: the smallest count c with
** F(c) >= q (R's quantile type 1), with a tolerance of 1e-9 for probabilities read from text. */
int64_t nsm_pmf_quantile(const double *pmf, int64_t n, double q);

/* 1 when y lies in the central `level` interval [quantile((1 - level)/2), quantile((1 + level)/2)]
** (ends included), 0 otherwise. level 0.9 gives event_counts.csv's [q05, q95]; 0.5, [q25, q75]. */
int nsm_in_central_interval(const double *pmf, int64_t n, int64_t y, double level);

/* Mean scores of a forecast and a reference over the same n items, and the skill score
** 1 - mean / ref_mean (1: perfect, 0: no better than the reference, < 0: worse). The interval is
** paired over items: the 95% Student t interval of the mean difference ref - forecast
** (+- t(0.975, n - 1) sd / sqrt(n): a backtest scores a handful of years, and with 3 of them
** 1.96 in place of t's 4.30 held the true mean about 81 times in 100), divided by ref_mean (the
** reference's mean held fixed), its upper end at most 1 (no skill exceeds 1). On simulated
** backtest-like scores (lognormal, 3 to 15 rows) it holds the true skill 92 to 98 times in 100
** (test_scores.c); Fieller's interval, which counts the reference mean's noise too, is unbounded
** in half of the 3-row cases, and the delta method's holds it only 79 to 93 times. Skill and its
** interval are NaN when ref_mean is 0; the interval is NaN when n < 2. ref may be NULL (only
** mean is set, the rest NaN). */
typedef struct {
    double mean, ref_mean, skill, skill_lo, skill_hi;
    int64_t n;
} nsm_skill;

nsm_skill nsm_skill_paired(const double *score, const double *ref, int64_t n);

/* Murphy's (1973) decomposition of the mean Brier score over n binary items, with the forecasts
** grouped into `bins` equal bins of [0, 1] (the last closed): reliability (mean squared gap
** between a bin's mean forecast and its observed frequency, weighted by the bin's share: 0 is
** perfectly calibrated), resolution (spread of the bins' observed frequencies around the overall
** one: larger is better) and uncertainty (o(1 - o) of the observed frequency o). Brier =
** reliability - resolution + uncertainty exactly when the forecasts within each bin are equal;
** otherwise up to the within-bin variance terms (Stephenson et al. 2008). NaN when n = 0. */
typedef struct {
    double reliability, resolution, uncertainty;
} nsm_brier_parts;

nsm_brier_parts nsm_brier_decompose(const double *p, const int *y, int64_t n, int bins);

#endif
