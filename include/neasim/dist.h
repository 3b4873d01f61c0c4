/*
** dist.h: parameter distributions written in a scenario cell, such as `beta(2, 5)`.
**
** A distribution is a kind and up to three parameters. Everything that draws from one, whether a
** Latin hypercube, a Sobol design or a per-replication draw, maps a uniform through
** nsm_dist_quantile, so every sampler shares one code path.
**
** The kinds and their parameters, in the order written:
**   beta(a,b)                   0 < a, b <= 1e5, on [0,1]
**   gamma(k,theta)              shape 0 < k <= 1e5, scale theta > 0, on [0,inf)
**   lognormal(mu,sigma)         mean mu and sd sigma > 0 of the log, on [0,inf)
**   uniform(a,b)                a < b, on [a,b]
**   triangular(low,mode,high)   low <= mode <= high, low < high
**   pert(low,mode,high)         Beta-PERT: low + (high-low) times a beta(alpha, beta) with
**                               alpha = 1 + 4(mode-low)/(high-low),
**                               beta  = 1 + 4(high-mode)/(high-low)
**   weibull(k,lambda)           shape k > 0, scale lambda > 0, on [0,inf): P(X > x) = exp(-(x/lambda)^k)
**   fixed(x)                    the number x itself (a deadline of transitions.csv's `duration`;
**                               refused as an uncertain number, which would be the number x)
** The cap on beta and gamma shapes is where GSL's CDFs stop being accurate; such a distribution
** is nearly a constant anyway.
*/
#ifndef NEASIM_DIST_H
#define NEASIM_DIST_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

#include "neasim/status.h"

typedef enum {
    NSM_DIST_BETA,
    NSM_DIST_GAMMA,
    NSM_DIST_LOGNORMAL,
    NSM_DIST_UNIFORM,
    NSM_DIST_TRIANGULAR,
    NSM_DIST_PERT,
    NSM_DIST_WEIBULL,
    NSM_DIST_FIXED
} nsm_dist_kind;

/* Parameters in the order written; unused ones are 0. */
typedef struct {
    nsm_dist_kind kind;
    double p[3];
} nsm_dist;

/* 1 if text looks like a distribution (optional spaces, a name of letters, digits and '_' that
** starts with a letter, optional spaces, then '('), else 0. Says nothing about whether the name is
** known or the parameters valid: nsm_dist_parse reports that. */
int nsm_dist_is(const char *text);

/* Parse text such as "beta(2, 5)" (spaces allowed around every token; names are lower case) into
** *out. NSM_OK, or NSM_ERR_INPUT with *out unchanged, the message in diag (may be NULL) and
** *offset (may be NULL) set to the byte offset in text of the problem, for a caret; the caller
** knows the cell and says where. Messages, for example:
**   unknown distribution 'betta'; did you mean 'beta'?
**   beta needs 2 parameters, got 3            (offset: the first extra parameter, or the ')')
**   beta's parameters must be above 0         (offset: the parameter)
**   gamma's shape must be at most 100000
**   triangular needs low <= mode <= high with low < high
**   'x' is not a number                       (non-finite numbers are refused too) */
nsm_status nsm_dist_parse(const char *text, nsm_dist *out, size_t *offset, nsm_diag *diag);

/* Are d's parameters ones nsm_dist_parse would accept? NSM_OK, or NSM_ERR_INPUT with the same
** message in diag (may be NULL); a lever that changes a parameter checks the result with it. */
nsm_status nsm_dist_check(const nsm_dist *d, nsm_diag *diag);

/* The name of a kind as written ("weibull"). */
const char *nsm_dist_name(nsm_dist_kind kind);

/* The mean, in closed form (lognormal: exp(mu + sigma^2/2); triangular: (low+mode+high)/3;
** pert: (low+4mode+high)/6). */
double nsm_dist_mean(const nsm_dist *d);

/* The inverse CDF at u, with u clamped into [1e-12, 1-1e-12] (so 0 and 1 give finite values;
** NaN gives NaN). d must hold parameters nsm_dist_parse accepts. Uniform and lognormal through
** gsl_cdf_flat_Pinv and gsl_cdf_lognormal_Pinv; triangular in closed form; beta, gamma and pert
** (low + (high-low) times a beta quantile) by Brent's method (gsl_root_fsolver_brent) on GSL's
** CDFs, to about 1e-12 relative, because gsl_cdf_beta_Pinv and gsl_cdf_gamma_Pinv fail to
** converge for ordinary shapes (beta(3,997) at u = 0.76). Never calls GSL's error handler for
** accepted parameters. Thread-safe; allocates a GSL root solver per beta, gamma or pert call, and
** returns NaN if that allocation fails. About 1-3 microseconds a call for those three. */
double nsm_dist_quantile(const nsm_dist *d, double u);

/* The support [*lo, *hi]; *hi is INFINITY for gamma and lognormal. */
void nsm_dist_support(const nsm_dist *d, double *lo, double *hi);

/* One draw with GSL's samplers from rng (borrowed): the same law as nsm_dist_quantile of a
** uniform, much faster; per-replication draws use it, designs use the quantile. */
double nsm_dist_sample(const nsm_dist *d, gsl_rng *rng);

/* P(X > x), through GSL's complements (gsl_cdf_*_Q): accurate far in the upper tail. */
double nsm_dist_survival(const nsm_dist *d, double x);

/* One draw of X given X > x (a sojourn that has already lasted x, transitions.csv's durations with
** factors.csv's `entered`): Qinv(v Q(x)) for one uniform v = gsl_rng_uniform_pos(rng), Q the
** survival function above and Qinv its inverse (GSL's gsl_cdf_*_Qinv; gamma, beta and PERT by
** Brent's method on GSL's Q, as nsm_dist_quantile). Uses rng for exactly one uniform, whatever the
** law. Returns x itself when Q(x) is 0 (a fixed x or a uniform that cannot exceed x; a tail beyond
** the smallest double), and never less than x. */
double nsm_dist_sample_beyond(const nsm_dist *d, double x, gsl_rng *rng);

/* A law prepared for many draws (a replication draws each uncertain number once): what it
** computes from the parameters for every draw (PERT's beta parameters) computed once.
** nsm_dist_sampler_draw(s, rng) returns exactly what nsm_dist_sample(d, rng) returns, bit for bit,
** and uses rng the same way. The sampler is a plain value: no release. */
typedef struct {
    nsm_dist d;
    double w, a, b; /* PERT: width h - l and beta(a, b); 0 for other laws */
} nsm_dist_sampler;
void nsm_dist_sampler_init(nsm_dist_sampler *s, const nsm_dist *d);
double nsm_dist_sampler_draw(const nsm_dist_sampler *s, gsl_rng *rng);

/* Write the canonical text, "beta(2,5)", into buf (n bytes, cut short if too small). Each number
** is written with the fewest significant digits that read back exactly, so nsm_dist_parse of the
** text gives back the same distribution. */
void nsm_dist_format(const nsm_dist *d, char *buf, size_t n);

/* Write "0.12 to 0.3", the 5% and 95% points of d (3 significant digits), each after `prefix`
** ("x" for a multiplier: "x1.29 to x2.27"), into buf (n bytes, cut short if too small). A sweep's
** parameters.csv ends an uncertain number's label with ": " and this text, and `neasim discover`
** takes it off again by writing the same text, so the two must come from one place. */
void nsm_dist_range_text(const nsm_dist *d, const char *prefix, char *buf, size_t n);

#endif
