/*
** dist.c: parameter distributions: the parser of `name(p1, p2, ...)`, closed-form means, and the
** inverse CDF that every sampler and design maps its uniforms through.
**
** The parser walks the text once with a byte position, so every error can name its offset.
*/
#include "neasim/dist.h"

#include <ctype.h>
#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "neasim/status.h"

#define N_KINDS 8
#define MAX_PARAMS 3
#define U_MIN 1e-12
#define MAX_SHAPE 1e5 /* see the beta and gamma inverses */

/* Indexed by nsm_dist_kind. */
static const struct {
    char name[12];
    int n_params;
} kinds[N_KINDS] = {
    {"beta", 2}, {"gamma", 2}, {"lognormal", 2}, {"uniform", 2}, {"triangular", 3}, {"pert", 3},
    {"weibull", 2}, {"fixed", 1},
};

typedef struct {
    const char *text;
    nsm_diag *diag;
    size_t *offset;
} parser;

/* Record the message (in ps->diag, when given) and the offset of the problem; NSM_ERR_INPUT, which
** the helpers below return as a non-zero int. */
static nsm_status fail(const parser *ps, size_t at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static nsm_status fail(const parser *ps, size_t at, const char *fmt, ...)
{
    if (ps->diag) {
        char msg[256];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        nsm_diag_error(ps->diag, NSM_ERR_INPUT, "%s", msg);
    }
    if (ps->offset)
        *ps->offset = at;
    return NSM_ERR_INPUT;
}

static size_t skip_spaces(const char *s, size_t i)
{
    while (s[i] && isspace((unsigned char)s[i]))
        i++;
    return i;
}

/* End of the name that starts at i (i itself if there is none). */
static size_t name_end(const char *s, size_t i)
{
    if (!isalpha((unsigned char)s[i]))
        return i;
    while (isalnum((unsigned char)s[i]) || s[i] == '_')
        i++;
    return i;
}

int nsm_dist_is(const char *text)
{
    if (!text)
        return 0;
    size_t start = skip_spaces(text, 0), end = name_end(text, start);
    return end > start && text[skip_spaces(text, end)] == '(';
}

/* The kind named by text[start, end), or an "unknown distribution" error. */
static int parse_kind(const parser *ps, size_t start, size_t end, nsm_dist_kind *kind)
{
    int len = (int)(end - start);
    for (int k = 0; k < N_KINDS; k++)
        if (strlen(kinds[k].name) == end - start &&
            strncmp(kinds[k].name, ps->text + start, end - start) == 0) {
            *kind = (nsm_dist_kind)k;
            return 0;
        }
    char word[32];
    snprintf(word, sizeof word, "%.*s", len, ps->text + start);
    for (int k = 0; k < N_KINDS; k++)
        if (strcasecmp(kinds[k].name, word) == 0)
            return fail(ps, start, "unknown distribution '%s'; did you mean '%s'? (distribution "
                        "names are lower case)", word, kinds[k].name);
    const char *hint = nsm_suggest(word, kinds[0].name, N_KINDS, sizeof kinds[0]);
    if (hint)
        return fail(ps, start, "unknown distribution '%.*s'; did you mean '%s'?", len,
                    ps->text + start, hint);
    return fail(ps, start, "unknown distribution '%.*s' (known: beta, gamma, lognormal, uniform, "
                "triangular, pert, weibull, fixed)", len, ps->text + start);
}

/* The finite number written in text[start, end). strtod alone would also take "inf" and "nan". */
static int parse_number(const parser *ps, size_t start, size_t end, double *value)
{
    int len = (int)(end - start);
    char buf[64], *stop;
    if (end == start)
        return fail(ps, start, "expected a number");
    if (end - start >= sizeof buf)
        return fail(ps, start, "'%.*s' is not a number", len, ps->text + start);
    memcpy(buf, ps->text + start, end - start);
    buf[end - start] = '\0';
    *value = strtod(buf, &stop);
    if (*stop != '\0' || stop == buf)
        return fail(ps, start, "'%.*s' is not a number", len, ps->text + start);
    if (!isfinite(*value))
        return fail(ps, start, "'%.*s' is not a finite number", len, ps->text + start);
    return 0;
}

/* The parameter list from *paren (just after the '(') through the ')': values, the offset of
** each (of the first MAX_PARAMS + 1), their count, and *paren left at the ')'. Counts parameters
** beyond MAX_PARAMS without keeping them, so "needs 2, got 5" can be said. */
static int parse_params(const parser *ps, size_t *paren, double *values, size_t *at, int *count)
{
    const char *s = ps->text;
    size_t i = skip_spaces(s, *paren);
    *count = 0;
    if (s[i] == ')') {
        *paren = i;
        return 0;
    }
    for (;;) {
        size_t start = skip_spaces(s, i), end = start + strcspn(s + start, ",)");
        i = end;
        while (end > start && isspace((unsigned char)s[end - 1]))
            end--;
        double v = 0.0;
        if (parse_number(ps, start, end, &v) != 0)
            return -1;
        if (*count < MAX_PARAMS + 1)
            at[*count] = start;
        if (*count < MAX_PARAMS)
            values[*count] = v;
        (*count)++;
        if (s[i] == ')')
            break;
        if (s[i] != ',')
            return fail(ps, i, "missing ')'");
        i++;
    }
    *paren = i;
    return 0;
}

/* x in the fewest significant digits that read back as x ("0.1", not "0.10000000000000001"). */
static void shortest(double x, char *buf, size_t n)
{
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(buf, n, "%.*g", digits, x);
        if (strtod(buf, NULL) == x)
            return;
    }
}

/* uniform(a,b) with a >= b: the order to write, or the one number it would be. */
static int bad_uniform(const parser *ps, const double *p, const size_t *at)
{
    char a[32], b[32];
    shortest(p[0], a, sizeof a);
    shortest(p[1], b, sizeof b);
    if (p[0] == p[1])
        return (int)fail(ps, at[1], "uniform needs a < b: for the number %s alone, write %s", a,
                         a);
    return (int)fail(ps, at[1], "uniform needs a < b: write uniform(%s,%s), the low end first", b,
                     a);
}

/* pert or triangular(low,mode,high) out of order: which pair, and the numbers sorted, which is
** what a slip of order meant. */
static int bad_low_mode_high(const parser *ps, const char *name, const double *p,
                             const size_t *at)
{
    char t[3][32];
    double s[3] = {p[0], p[1], p[2]};
    for (int i = 0; i < 3; i++)
        for (int j = i + 1; j < 3; j++)
            if (s[j] < s[i]) {
                double x = s[i];
                s[i] = s[j];
                s[j] = x;
            }
    for (int i = 0; i < 3; i++)
        shortest(s[i], t[i], sizeof t[i]);
    if (s[0] == s[2])
        return (int)fail(ps, at[2], "%s needs low < high: for the number %s alone, write %s",
                         name, t[0], t[0]);
    const char *why = p[1] < p[0]   ? "the mode is below low"
                      : p[1] > p[2] ? "the mode is above high"
                                    : "low is above high";
    return (int)fail(ps, at[p[0] <= p[1] && p[1] <= p[2] ? 2 : 1], "%s needs low <= mode <= "
                     "high: %s; write %s(%s,%s,%s), in that order", name, why, name, t[0], t[1],
                     t[2]);
}

/* The parameters' ranges, each error pointing at the parameter to change. */
static int check_params(const parser *ps, nsm_dist_kind kind, const double *p, const size_t *at)
{
    const char *name = kinds[kind].name;
    switch (kind) {
    case NSM_DIST_BETA:
    case NSM_DIST_GAMMA:
        for (int j = 0; j < 2; j++)
            if (!(p[j] > 0)) {
                static const char *const what[2][2] = {{"first parameter a", "second parameter b"},
                                                           {"shape k", "scale theta"}};
                char v[32];
                shortest(p[j], v, sizeof v);
                return fail(ps, at[j], "%s's %s must be above 0, not %s (%s)", name,
                            what[kind == NSM_DIST_GAMMA][j], v,
                            kind == NSM_DIST_GAMMA ? "gamma(k,theta) has mean k theta"
                                                   : "beta(a,b) has mean a/(a+b)");
            }
        for (int j = 0; j < (kind == NSM_DIST_BETA ? 2 : 1); j++)
            if (p[j] > MAX_SHAPE)
                return fail(ps, at[j], "%s's %s must be at most %g", name,
                            kind == NSM_DIST_BETA ? "parameters" : "shape", MAX_SHAPE);
        return 0;
    case NSM_DIST_LOGNORMAL:
        return p[1] > 0 ? 0 : (int)fail(ps, at[1], "lognormal's sigma must be above 0");
    case NSM_DIST_UNIFORM:
        return p[0] < p[1] ? 0 : bad_uniform(ps, p, at);
    case NSM_DIST_TRIANGULAR:
    case NSM_DIST_PERT:
        if (p[0] <= p[1] && p[1] <= p[2] && p[0] < p[2])
            return 0;
        return bad_low_mode_high(ps, name, p, at);
    case NSM_DIST_WEIBULL:
        for (int j = 0; j < 2; j++)
            if (!(p[j] > 0))
                return fail(ps, at[j], "weibull's shape and scale must be above 0");
        return 0;
    case NSM_DIST_FIXED:
        return 0;
    }
    return fail(ps, 0, "unknown distribution kind %d", (int)kind);
}

nsm_status nsm_dist_parse(const char *text, nsm_dist *out, size_t *offset, nsm_diag *diag)
{
    parser ps = {text, diag, offset};
    size_t start = skip_spaces(text, 0), end = name_end(text, start);
    if (end == start)
        return fail(&ps, start, "expected a distribution such as 'beta(2, 5)'");
    nsm_dist d = {NSM_DIST_BETA, {0, 0, 0}};
    if (parse_kind(&ps, start, end, &d.kind) != 0)
        return NSM_ERR_INPUT;
    size_t pos = skip_spaces(text, end);
    if (text[pos] != '(')
        return fail(&ps, pos, "expected '(' after '%s'", kinds[d.kind].name);
    pos++;
    size_t at[MAX_PARAMS + 1];
    int count, need = kinds[d.kind].n_params;
    if (parse_params(&ps, &pos, d.p, at, &count) != 0)
        return NSM_ERR_INPUT;
    if (count != need)
        return fail(&ps, count < need ? pos : at[need], "%s needs %d parameters, got %d",
                    kinds[d.kind].name, need, count);
    pos = skip_spaces(text, pos + 1);
    if (text[pos] != '\0')
        return fail(&ps, pos, "unexpected text after ')'");
    if (check_params(&ps, d.kind, d.p, at) != 0)
        return NSM_ERR_INPUT;
    *out = d;
    return NSM_OK;
}

nsm_status nsm_dist_check(const nsm_dist *d, nsm_diag *diag)
{
    size_t at[MAX_PARAMS + 1] = {0, 0, 0, 0}, offset = 0;
    parser ps = {"", diag, &offset};
    if ((int)d->kind < 0 || (int)d->kind >= N_KINDS)
        return fail(&ps, 0, "unknown distribution kind %d", (int)d->kind);
    for (int j = 0; j < kinds[d->kind].n_params; j++)
        if (!isfinite(d->p[j]))
            return fail(&ps, 0, "%s's parameters must be finite numbers", kinds[d->kind].name);
    return check_params(&ps, d->kind, d->p, at) ? NSM_ERR_INPUT : NSM_OK;
}

const char *nsm_dist_name(nsm_dist_kind kind)
{
    return (int)kind >= 0 && (int)kind < N_KINDS ? kinds[kind].name : "?";
}

double nsm_dist_mean(const nsm_dist *d)
{
    const double *p = d->p;
    switch (d->kind) {
    case NSM_DIST_BETA:
        return p[0] / (p[0] + p[1]);
    case NSM_DIST_GAMMA:
        return p[0] * p[1];
    case NSM_DIST_LOGNORMAL:
        return exp(p[0] + 0.5 * p[1] * p[1]);
    case NSM_DIST_UNIFORM:
        return 0.5 * (p[0] + p[1]);
    case NSM_DIST_TRIANGULAR:
        return (p[0] + p[1] + p[2]) / 3.0;
    case NSM_DIST_PERT:
        return (p[0] + 4.0 * p[1] + p[2]) / 6.0;
    case NSM_DIST_WEIBULL:
        return p[1] * exp(gsl_sf_lngamma(1.0 + 1.0 / p[0]));
    case NSM_DIST_FIXED:
        return p[0];
    }
    return (double)NAN;
}

/* Inverse of the triangular CDF, piecewise quadratic: F(x) = (x-l)^2 / ((h-l)(m-l)) up to the
** mode, where F = (m-l)/(h-l), and 1 - (h-x)^2 / ((h-l)(h-m)) above it. */
static double triangular_quantile(double l, double m, double h, double u)
{
    double w = h - l;
    if (u < (m - l) / w)
        return l + sqrt(u * w * (m - l));
    return h - sqrt((1.0 - u) * w * (h - m));
}

/*
** The beta and gamma inverses. GSL's gsl_cdf_beta_Pinv and gsl_cdf_gamma_Pinv stop Newton's
** method after a fixed number of steps and then call the error handler (abort by default, NaN
** with it off) for shapes a scenario can hold: beta(3,997) at u = 0.76, beta(1,1000) at 0.52,
** gamma(0.1,1) at 0.01. So beta, gamma and PERT (a scaled beta) are solved here by Brent's
** method on GSL's CDFs, which cannot fail on a bracket. The unknown is t = logit(x) (beta) or
** log(x) (gamma, at scale 1), which spreads the tails so that tiny quantiles are found to relative
** precision, and u > 1/2 is solved on the complement Q = 1 - u, which GSL computes without
** cancellation. GSL's CDFs themselves lose accuracy, then fail, for shapes beyond about 10^5, so
** the parser refuses those (MAX_SHAPE).
*/
typedef struct {
    int gamma;     /* 1: gamma(a) at scale 1, 0: beta(a,b) */
    double a, b;
    int upper;     /* 1: solve Q(x) = target, 0: P(x) = target */
    double target;
} inverse;

static double x_of(const inverse *v, double t)
{
    return v->gamma ? exp(t) : 1.0 / (1.0 + exp(-t));
}

/* Increasing in t, zero at the quantile. */
static double excess(double t, void *params)
{
    const inverse *v = params;
    double x = x_of(v, t);
    if (v->gamma)
        return v->upper ? v->target - gsl_cdf_gamma_Q(x, v->a, 1.0)
                        : gsl_cdf_gamma_P(x, v->a, 1.0) - v->target;
    return v->upper ? v->target - gsl_cdf_beta_Q(x, v->a, v->b)
                    : gsl_cdf_beta_P(x, v->a, v->b) - v->target;
}

/* A bracket [*lo, *hi] in t with excess(lo) <= 0 <= excess(hi). x_of(-746) is 0 for both kinds.
** The gamma's lower end uses P(a,y) <= y^a / Gamma(a+1); its upper end starts at e times the
** mean and steps up in doubling steps of t, to at most e^709. */
static void bracket(inverse *v, double *lo, double *hi)
{
    *lo = -746.0;
    *hi = 40.0; /* logit: 1 - x_of(40) rounds to 0 */
    if (!v->gamma)
        return;
    double u = v->upper ? 1.0 - v->target : v->target;
    double bound = (log(u) + gsl_sf_lngamma(v->a + 1.0)) / v->a;
    *lo = bound > *lo ? bound : *lo;
    *hi = log(v->a) + 1.0;
    for (double step = 1.0; *hi < 709.0 && excess(*hi, v) < 0; step *= 2)
        *hi = *hi + step < 709.0 ? *hi + step : 709.0;
}

/* The x where excess is 0, to about 1e-13 relative (an interval of 1e-13 in t); NaN if the
** solver cannot be allocated. */
static double solve(inverse *v)
{
    double lo, hi;
    bracket(v, &lo, &hi);
    if (excess(lo, v) > 0)
        lo = -746.0; /* the gamma bound, rounded the wrong way */
    if (excess(hi, v) <= 0)
        return x_of(v, hi); /* beyond the largest double: x rounds to 1 or to e^709 */
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s)
        return (double)NAN;
    gsl_function f = {excess, v};
    int status = gsl_root_fsolver_set(s, &f, lo, hi);
    for (int iter = 0; status == GSL_SUCCESS && iter < 200; iter++) {
        status = gsl_root_fsolver_iterate(s);
        lo = gsl_root_fsolver_x_lower(s);
        hi = gsl_root_fsolver_x_upper(s);
        if (status == GSL_SUCCESS &&
            gsl_root_test_interval(lo, hi, 1e-13, 4 * DBL_EPSILON) == GSL_SUCCESS)
            break;
    }
    double t = gsl_root_fsolver_root(s);
    gsl_root_fsolver_free(s);
    return status == GSL_SUCCESS ? x_of(v, t) : (double)NAN;
}

static double beta_quantile(double a, double b, double u)
{
    inverse v = {0, a, b, u > 0.5, u > 0.5 ? 1.0 - u : u};
    return solve(&v);
}

static double gamma_quantile(double k, double theta, double u)
{
    inverse v = {1, k, 1.0, u > 0.5, u > 0.5 ? 1.0 - u : u};
    return theta * solve(&v);
}

static double pert_quantile(double l, double m, double h, double u)
{
    double w = h - l;
    double alpha = 1.0 + 4.0 * (m - l) / w, beta = 1.0 + 4.0 * (h - m) / w;
    return l + w * beta_quantile(alpha, beta, u);
}

double nsm_dist_quantile(const nsm_dist *d, double u)
{
    const double *p = d->p;
    if (isnan(u))
        return (double)NAN;
    u = u < U_MIN ? U_MIN : u > 1.0 - U_MIN ? 1.0 - U_MIN : u;
    switch (d->kind) {
    case NSM_DIST_BETA:
        return beta_quantile(p[0], p[1], u);
    case NSM_DIST_GAMMA:
        return gamma_quantile(p[0], p[1], u);
    case NSM_DIST_LOGNORMAL:
        return gsl_cdf_lognormal_Pinv(u, p[0], p[1]);
    case NSM_DIST_UNIFORM:
        return gsl_cdf_flat_Pinv(u, p[0], p[1]);
    case NSM_DIST_TRIANGULAR:
        return triangular_quantile(p[0], p[1], p[2], u);
    case NSM_DIST_PERT:
        return pert_quantile(p[0], p[1], p[2], u);
    case NSM_DIST_WEIBULL:
        return gsl_cdf_weibull_Pinv(u, p[1], p[0]);
    case NSM_DIST_FIXED:
        return p[0];
    }
    return (double)NAN;
}

/* P(X > x), from GSL's complements (gsl_cdf_*_Q), which keep their precision in the upper tail
** where 1 - P would round to 0. */
double nsm_dist_survival(const nsm_dist *d, double x)
{
    const double *p = d->p;
    switch (d->kind) {
    case NSM_DIST_BETA:
        return gsl_cdf_beta_Q(x, p[0], p[1]);
    case NSM_DIST_GAMMA:
        return gsl_cdf_gamma_Q(x, p[0], p[1]);
    case NSM_DIST_LOGNORMAL:
        return gsl_cdf_lognormal_Q(x, p[0], p[1]);
    case NSM_DIST_UNIFORM:
        return gsl_cdf_flat_Q(x, p[0], p[1]);
    case NSM_DIST_TRIANGULAR: {
        double l = p[0], m = p[1], h = p[2];
        if (x <= l)
            return 1.0;
        if (x >= h)
            return 0.0;
        return x < m ? 1.0 - (x - l) * (x - l) / ((h - l) * (m - l))
                     : (h - x) * (h - x) / ((h - l) * (h - m));
    }
    case NSM_DIST_PERT: {
        double w = p[2] - p[0];
        double a = 1.0 + 4.0 * (p[1] - p[0]) / w, b = 1.0 + 4.0 * (p[2] - p[1]) / w;
        return gsl_cdf_beta_Q((x - p[0]) / w, a, b);
    }
    case NSM_DIST_WEIBULL:
        return gsl_cdf_weibull_Q(x, p[1], p[0]); /* GSL's order: scale, then shape */
    case NSM_DIST_FIXED:
        return x < p[0] ? 1.0 : 0.0;
    }
    return (double)NAN;
}

/* The x with P(X > x) = q, 0 < q < 1: GSL's inverse complements where they are reliable; gamma,
** beta and PERT by the Brent solver above on the complement (gsl_cdf_gamma_Qinv fails to converge
** where gsl_cdf_gamma_Pinv does). */
static double upper_quantile(const nsm_dist *d, double q)
{
    const double *p = d->p;
    switch (d->kind) {
    case NSM_DIST_BETA: {
        inverse v = {0, p[0], p[1], 1, q};
        return solve(&v);
    }
    case NSM_DIST_GAMMA: {
        inverse v = {1, p[0], 1.0, 1, q};
        return p[1] * solve(&v);
    }
    case NSM_DIST_LOGNORMAL:
        return gsl_cdf_lognormal_Qinv(q, p[0], p[1]);
    case NSM_DIST_UNIFORM:
        return gsl_cdf_flat_Qinv(q, p[0], p[1]);
    case NSM_DIST_TRIANGULAR:
        return triangular_quantile(p[0], p[1], p[2], 1.0 - q);
    case NSM_DIST_PERT: {
        double w = p[2] - p[0];
        inverse v = {0, 1.0 + 4.0 * (p[1] - p[0]) / w, 1.0 + 4.0 * (p[2] - p[1]) / w, 1, q};
        return p[0] + w * solve(&v);
    }
    case NSM_DIST_WEIBULL:
        return gsl_cdf_weibull_Qinv(q, p[1], p[0]);
    case NSM_DIST_FIXED:
        return p[0];
    }
    return (double)NAN;
}

/* Inversion of the law of X given X > x: its survival function is Q(y) / Q(x) for y > x, so
** y = Qinv(v Q(x)) for a uniform v in (0, 1), exactly, without rejection (which would take 1 / Q(x)
** tries). */
double nsm_dist_sample_beyond(const nsm_dist *d, double x, gsl_rng *rng)
{
    double v = gsl_rng_uniform_pos(rng), q = nsm_dist_survival(d, x);
    if (!(q > 0.0))
        return x; /* no mass beyond x, or less than the smallest double */
    double y = upper_quantile(d, v * q);
    return y > x ? y : x; /* rounding at the bottom of the tail */
}

/* PERT(l, m, h) is l + (h - l) * beta(a, b): its width and beta parameters, computed in one place
** so that nsm_dist_sample and a sampler (which computes them once) give the same bits. */
static void pert_beta(const double p[3], double *w, double *a, double *b)
{
    *w = p[2] - p[0];
    *a = 1.0 + 4.0 * (p[1] - p[0]) / *w;
    *b = 1.0 + 4.0 * (p[2] - p[1]) / *w;
}

/* GSL's samplers (Marsaglia-Tsang gamma, beta as a ratio of gammas): about a hundred times
** cheaper than inverting a CDF by root finding, and exact in law. The triangular has a closed-form
** inverse, used directly. */
double nsm_dist_sample(const nsm_dist *d, gsl_rng *r)
{
    const double *p = d->p;
    switch (d->kind) {
    case NSM_DIST_BETA:
        return gsl_ran_beta(r, p[0], p[1]);
    case NSM_DIST_GAMMA:
        return gsl_ran_gamma(r, p[0], p[1]);
    case NSM_DIST_LOGNORMAL:
        return gsl_ran_lognormal(r, p[0], p[1]);
    case NSM_DIST_UNIFORM:
        return gsl_ran_flat(r, p[0], p[1]);
    case NSM_DIST_TRIANGULAR:
        return triangular_quantile(p[0], p[1], p[2], gsl_rng_uniform_pos(r));
    case NSM_DIST_PERT: {
        double w, a, b;
        pert_beta(p, &w, &a, &b);
        return p[0] + w * gsl_ran_beta(r, a, b);
    }
    case NSM_DIST_WEIBULL:
        return gsl_ran_weibull(r, p[1], p[0]); /* GSL's order: scale a, then shape b */
    case NSM_DIST_FIXED:
        return p[0];                           /* draws nothing */
    }
    return (double)NAN;
}

void nsm_dist_sampler_init(nsm_dist_sampler *s, const nsm_dist *d)
{
    s->d = *d;
    s->w = s->a = s->b = 0.0;
    if (d->kind == NSM_DIST_PERT)
        pert_beta(d->p, &s->w, &s->a, &s->b);
}

/* The two laws of most uncertain numbers (a baseline replication draws some 140 of them) without
** nsm_dist_sample's call and switch; the others through it. */
double nsm_dist_sampler_draw(const nsm_dist_sampler *s, gsl_rng *r)
{
    if (s->d.kind == NSM_DIST_PERT) /* nsm_dist_sample's PERT, its beta parameters precomputed */
        return s->d.p[0] + s->w * gsl_ran_beta(r, s->a, s->b);
    if (s->d.kind == NSM_DIST_BETA)
        return gsl_ran_beta(r, s->d.p[0], s->d.p[1]);
    return nsm_dist_sample(&s->d, r);
}

void nsm_dist_support(const nsm_dist *d, double *lo, double *hi)
{
    switch (d->kind) {
    case NSM_DIST_BETA:
        *lo = 0.0, *hi = 1.0;
        return;
    case NSM_DIST_GAMMA:
    case NSM_DIST_LOGNORMAL:
    case NSM_DIST_WEIBULL:
        *lo = 0.0, *hi = (double)INFINITY;
        return;
    case NSM_DIST_FIXED:
        *lo = *hi = d->p[0];
        return;
    case NSM_DIST_UNIFORM:
        *lo = d->p[0], *hi = d->p[1];
        return;
    case NSM_DIST_TRIANGULAR:
    case NSM_DIST_PERT:
        *lo = d->p[0], *hi = d->p[2];
        return;
    }
    *lo = (double)NAN, *hi = (double)NAN;
}

/* The shortest of %.15g, %.16g and %.17g that reads back as x (%.17g always does). */
static void format_number(double x, char *buf, size_t n)
{
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, n, "%.*g", digits, x);
        if (strtod(buf, NULL) == x)
            return;
    }
}

void nsm_dist_format(const nsm_dist *d, char *buf, size_t n)
{
    if (n == 0)
        return;
    char num[32];
    size_t used = (size_t)snprintf(buf, n, "%s(", kinds[d->kind].name);
    for (int j = 0; j < kinds[d->kind].n_params && used < n; j++) {
        format_number(d->p[j], num, sizeof num);
        used += (size_t)snprintf(buf + used, n - used, "%s%s", j ? "," : "", num);
    }
    if (used < n)
        snprintf(buf + used, n - used, ")");
}

void nsm_dist_range_text(const nsm_dist *d, const char *prefix, char *buf, size_t n)
{
    snprintf(buf, n, "%s%.3g to %s%.3g", prefix, nsm_dist_quantile(d, 0.05), prefix,
             nsm_dist_quantile(d, 0.95));
}
