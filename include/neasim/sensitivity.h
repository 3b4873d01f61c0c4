/*
** sensitivity.h: variance-based (Sobol) sensitivity indices of one output.
**
** The evaluations come from a nsm_design_sobol design (design.h): n rows of A, n of B, then n of
** each AB_i. The first-order index S_i is the share of the output's variance explained by input i
** alone; the total index T_i the share that involves input i in any way (T_i >= S_i; their gap is
** interactions).
*/
#ifndef NEASIM_SENSITIVITY_H
#define NEASIM_SENSITIVITY_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

/* First-order and total Sobol indices of one output from the evaluations y[n*(d+2)] of a
** nsm_design_sobol(n, d) design, in the design's order. Estimators (Saltelli et al. 2010,
** Table 2), means over the n rows:
**   first order (Saltelli 2010)  S_i = mean((yB - c) * (yAB_i - yA)) / V
**   total (Jansen 1999)          T_i = mean((yA - yAB_i)^2) / 2 / V
** with c the mean and V the sample variance (denominator 2n - 1) of the 2n values of yA and yB.
** Centring yB on c leaves the estimator's expectation unchanged (E[yAB_i - yA] = 0) and makes the
** indices invariant to a constant added to y; uncentred, the variance of S_i grows with the
** square of the output's mean. Estimates of small indices may fall slightly below 0.
** Intervals: percentile bootstrap over the n rows (n_boot resamples, each recomputing c, V and
** every index; GSL's interpolated 2.5% and 97.5% quantiles), drawn from rng (borrowed; may be
** NULL if n_boot is 0, when the intervals are NaN; n at most UINT_MAX, the largest count
** gsl_ran_binomial draws from). A resample is a multinomial draw of n rows made row by row as
** the rows stream past: row r's count is Binomial(m, 1 / (n - r)) of the m draws still left
** (gsl_ran_binomial), the last row taking what is left, every resample's count of a row drawn
** before any of the next row's, so that the intervals do not depend on the block size. Outputs:
** the d arrays of *out, all the caller's. The interval reflects the sampling variability of the
** rows; with Sobol-sequence rows the estimate's actual error is usually far smaller than that,
** but it also carries the sequence's deterministic integration error, which no resampling sees.
** Returns 0; -1 if n < 2 or V = 0 (every output NaN); -2 if memory (n_boot (5 + 3d) doubles and
** n_boot counts, and (d + 2) x 1024 doubles of rows, whatever n) cannot be allocated (what was
** not computed is NaN). */
typedef struct {
    double *first, *first_lo, *first_hi;  /* S_i and its 95% interval, d entries each */
    double *total, *total_lo, *total_hi;  /* S_Ti and its 95% interval */
} nsm_sobol_out;

int nsm_sobol_indices(const double *y, size_t n, size_t d, size_t n_boot, gsl_rng *rng,
                      const nsm_sobol_out *out);

/* Fills y[0 .. m) with rows r0 .. r0 + m - 1 of segment s of the evaluations (0: A, 1: B, 2 + i:
** AB_i); returns 0, or nonzero if it could not (the reason is the caller's to keep in ctx). */
typedef int (*nsm_sobol_fill)(void *ctx, size_t s, size_t r0, size_t m, double *y);

/* nsm_sobol_indices with the evaluations read through fill, at most `block` rows of each segment
** at a time (0: 1024), in three passes (segments 0 and 1 twice, for c and then V, then all d + 2
** for the sums), so that what it holds does not grow with n: the whole column is never in
** memory. The output is the same bytes whatever the block. Returns as nsm_sobol_indices, or -3
** if fill failed (every output NaN). */
int nsm_sobol_indices_stream(nsm_sobol_fill fill, void *ctx, size_t n, size_t d, size_t block,
                             size_t n_boot, gsl_rng *rng, const nsm_sobol_out *out);

#endif
