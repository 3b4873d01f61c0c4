/*
** dist.h: parameter distributions written in a scenario cell, such as `beta(2, 5)`.
**
** A distribution is a kind and up to three parameters. Everything that draws from one, whether a
** Latin hypercube, a Sobol design or a per-replication draw, maps a uniform through
** nsm_dist_quantile, so every sampler shares one code path.
**
** The kinds and their parameters, in the order written:
**   beta(a,b)                   a, b > 0, on [0,1]
**   gamma(k,theta)              shape k > 0, scale theta > 0, on [0,inf)
**   lognormal(mu,sigma)         mean mu and sd sigma > 0 of the log, on [0,inf)
**   uniform(a,b)                a < b, on [a,b]
**   triangular(low,mode,high)   low <= mode <= high, low < high
**   pert(low,mode,high)         Beta-PERT: on [low,high], a beta with
**                               alpha = 1 + 4(mode-low)/(high-low), beta = 1 + 4(high-mode)/(high-low)
*/
#ifndef NEASIM_DIST_H
#define NEASIM_DIST_H

#include <stddef.h>

typedef enum {
    NSM_DIST_BETA,
    NSM_DIST_GAMMA,
    NSM_DIST_LOGNORMAL,
    NSM_DIST_UNIFORM,
    NSM_DIST_TRIANGULAR,
    NSM_DIST_PERT
} nsm_dist_kind;

/* Parameters in the order written; p[2] is 0 for the two-parameter kinds. */
typedef struct {
    nsm_dist_kind kind;
    double p[3];
} nsm_dist;

/* 1 if text looks like a distribution (optional spaces, a name of letters, digits and '_' that
** starts with a letter, optional spaces, then '('), else 0. Says nothing about whether the name is
** known or the parameters valid: nsm_dist_parse reports that. */
int nsm_dist_is(const char *text);

/* Parse text such as "beta(2, 5)" (spaces allowed around every token; names are lower case) into
** *out. Returns 0, or -1 with *out unchanged, a message in msg (cut to msglen bytes; msg may be
** NULL when msglen is 0) and *offset (offset may be NULL) set to the byte offset in text of the
** problem, for a caret. Messages, for example:
**   unknown distribution 'betta'; did you mean 'beta'?
**   beta needs 2 parameters, got 3            (offset: the first extra parameter, or the ')')
**   beta's parameters must be above 0         (offset: the parameter)
**   triangular needs low <= mode <= high with low < high
**   'x' is not a number                       (non-finite numbers are refused too) */
int nsm_dist_parse(const char *text, nsm_dist *out, char *msg, size_t msglen, size_t *offset);

/* The mean, in closed form (lognormal: exp(mu + sigma^2/2); triangular: (low+mode+high)/3;
** pert: (low+4mode+high)/6). */
double nsm_dist_mean(const nsm_dist *d);

/* The inverse CDF at u, with u clamped into [1e-12, 1-1e-12] (so 0 and 1 give finite values).
** Triangular in closed form; pert as low + (high-low) gsl_cdf_beta_Pinv; the others through
** gsl_cdf_*_Pinv. d must have come from nsm_dist_parse (or hold parameters it would accept).
** GSL's beta and gamma inverses iterate: for extreme shapes (far outside what a scenario needs)
** GSL may report that they failed to converge, which with the error handler off (as the CLI sets
** it) gives NaN. Thread-safe. */
double nsm_dist_quantile(const nsm_dist *d, double u);

/* The support [*lo, *hi]; *hi is INFINITY for gamma and lognormal. */
void nsm_dist_support(const nsm_dist *d, double *lo, double *hi);

/* Write the canonical text, "beta(2,5)", into buf (n bytes, cut short if too small). Each number
** is written with the fewest significant digits that read back exactly, so nsm_dist_parse of the
** text gives back the same distribution. */
void nsm_dist_format(const nsm_dist *d, char *buf, size_t n);

#endif
