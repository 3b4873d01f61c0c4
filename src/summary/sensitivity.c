/*
** sensitivity.c: Sobol indices from a Saltelli/Jansen design, with percentile bootstrap
** intervals (see sensitivity.h).
**
** The rows come a block at a time from the caller, so that memory does not grow with them: a
** sweep's design can be as long as the disk allows. Three passes: the mean c of yA and yB, then
** their variance V, then every index's sums and every resample's. A resample is drawn row by row
** as it goes (the row's count in a multinomial of n, as conditional binomials) and keeps only the
** sums its indices are made from, so none is ever held whole.
*/
#include "neasim/sensitivity.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Rows a block holds of each segment when the caller leaves it to us: 8 KiB a segment, so that
** the block (176 KiB at d = 20) weighs no more than the resamples' sums (500 KiB at d = 20), and
** a read still moves enough to cost little next to the bootstrap's work on it. */
enum { DEFAULT_BLOCK = 1024 };

typedef struct {
    nsm_sobol_fill fill;
    void *ctx;
    size_t n, d, block;
    double *buf; /* segment s's rows of the block at buf + s * block */
} rows_in;

/* Rows r0 .. r0 + m of segments s0 .. s1 - 1 into the buffer. */
static int load(const rows_in *in, size_t s0, size_t s1, size_t r0, size_t m)
{
    for (size_t s = s0; s < s1; s++)
        if (in->fill(in->ctx, s, r0, m, in->buf + s * in->block) != 0)
            return -3;
    return 0;
}

/* c and V of the 2n values of yA and yB, by the recurrences of GSL's gsl_stats_mean and
** gsl_stats_variance_m in their order (every yA, then every yB), a pass each: so c, V and with
** them the estimates are the bits that those routines gave over the whole column, and both are
** updating means, which a constant added to y does not make lose precision. */
static int mean_and_variance(const rows_in *in, double *c, double *v)
{
    long double mean = 0, var = 0;
    size_t k = 0;
    for (size_t s = 0; s < 2; s++)
        for (size_t r0 = 0; r0 < in->n; r0 += in->block) {
            size_t m = in->n - r0 < in->block ? in->n - r0 : in->block;
            if (load(in, s, s + 1, r0, m) != 0)
                return -3;
            for (size_t j = 0; j < m; j++, k++)
                mean += (in->buf[s * in->block + j] - mean) / (k + 1);
        }
    *c = (double)mean;
    k = 0;
    for (size_t s = 0; s < 2; s++)
        for (size_t r0 = 0; r0 < in->n; r0 += in->block) {
            size_t m = in->n - r0 < in->block ? in->n - r0 : in->block;
            if (load(in, s, s + 1, r0, m) != 0)
                return -3;
            for (size_t j = 0; j < m; j++, k++) {
                const long double delta = in->buf[s * in->block + j] - *c;
                var += (delta * delta - var) / (k + 1);
            }
        }
    double n2 = (double)(2 * in->n);
    *v = (double)var * (n2 / (n2 - 1));
    return 0;
}

/* A resample's sums, SUMS doubles of them (the bootstrap's memory: n_boot of these). Its counts
** w sum to n, so sum w needs no place. Values are shifted by the point estimate's c, a constant
** known before the pass: the resample's own mean c_b is then a small number, and its variance
** and S_i, taken apart into sums below, lose no precision to cancellation, whatever constant y
** carries. Its smallest and largest yA or yB tell exactly when they are all alike (V = 0, which
** the whole-column code left out), which sums rounded otherwise could not. */
enum { LO, HI, SUM1, SUM2, FIXED }; /* then per index i: YB_D, D, D2 at FIXED + 3i */
enum { YB_D, D, D2 };
#define SUMS(d) (FIXED + 3 * (d))

/* The bootstrap's part of one row (ya, yb and yab[i] at stride apart): each resample's count of
** the row drawn, and the row added w times to the resample's sums. The loop goes row by row and
** then resample by resample, so that the draws come from rng in one order whatever the blocks
** (row r's count in every resample before row r + 1's), and the row's terms (u) are made once. */
static void resample_row(size_t n, size_t d, size_t r, double c, double ya, double yb,
                         const double *yab, size_t stride, size_t n_boot, gsl_rng *rng,
                         unsigned *left, double *u, double *sums)
{
    double a = ya - c, b = yb - c;
    u[SUM1] = a + b;
    u[SUM2] = a * a + b * b;
    for (size_t i = 0; i < d; i++) {
        double diff = yab[i * stride] - ya;
        u[FIXED + 3 * i + YB_D] = b * diff;
        u[FIXED + 3 * i + D] = diff;
        u[FIXED + 3 * i + D2] = diff * diff;
    }
    double lo = ya < yb ? ya : yb, hi = ya < yb ? yb : ya;
    double p = 1.0 / (double)(n - r); /* each draw left falls on this row or a later one */
    size_t k = SUMS(d);
    for (size_t bt = 0; bt < n_boot; bt++) {
        if (left[bt] == 0)
            continue;
        unsigned w = r + 1 == n ? left[bt] : gsl_ran_binomial(rng, p, left[bt]);
        if (w == 0)
            continue;
        left[bt] -= w;
        double *s = sums + bt * k, x = (double)w;
        s[LO] = lo < s[LO] ? lo : s[LO];
        s[HI] = hi > s[HI] ? hi : s[HI];
        for (size_t j = SUM1; j < k; j++)
            s[j] += x * u[j];
    }
}

/* Resample b's index j (S_j, or T_{j-d} for j >= d) from its sums into *x; -1 if its V is 0.
** The estimators of sensitivity.h with c_b = c + SUM1 / 2n: sum w (yb - c_b)(yab_i - ya) is
** sum w (yb - c) D_i less (c_b - c) sum w D_i, and the variance the mean square less the square
** of the mean. */
static int resample_index(const double *s, size_t n, size_t d, size_t j, double *x)
{
    double n2 = (double)(2 * n), cb = s[SUM1] / n2;
    double v = (s[SUM2] - n2 * cb * cb) / (n2 - 1);
    if (!(s[LO] < s[HI]) || !(v > 0))
        return -1;
    const double *t = s + FIXED + 3 * (j % d);
    *x = j < d ? (t[YB_D] - cb * t[D]) / (double)n / v : t[D2] / (double)n / 2.0 / v;
    return 0;
}

static void fill_nan(double *x, size_t d)
{
    for (size_t i = 0; i < d; i++)
        x[i] = (double)NAN;
}

/* The intervals from every resample's sums, into lo_hi[0..3] = first_lo, first_hi, total_lo,
** total_hi: an index at a time, its value in each resample into x (n_boot doubles) and its 2.5%
** and 97.5% points taken, leaving out the resamples whose V is 0 (all rows alike, possible only
** for tiny n or an output nearly constant). */
static void intervals(const double *sums, size_t n, size_t d, size_t n_boot, double *x,
                      double *const *lo_hi)
{
    for (size_t j = 0; j < 2 * d; j++) {
        size_t m = 0;
        for (size_t b = 0; b < n_boot; b++)
            m += resample_index(sums + b * SUMS(d), n, d, j, x + m) == 0;
        double *lo = lo_hi[j < d ? 0 : 2], *hi = lo_hi[j < d ? 1 : 3];
        if (m == 0) {
            lo[j % d] = hi[j % d] = (double)NAN;
            continue;
        }
        gsl_sort(x, 1, m);
        lo[j % d] = gsl_stats_quantile_from_sorted_data(x, 1, m, 0.025);
        hi[j % d] = gsl_stats_quantile_from_sorted_data(x, 1, m, 0.975);
    }
}

/* The last pass: the point estimate's sums into first and total (as the whole-column code made
** them, term by term in row order) and, with n_boot > 0, every resample's. */
static int last_pass(const rows_in *in, double c, size_t n_boot, gsl_rng *rng, unsigned *left,
                     double *u, double *sums, double *first, double *total)
{
    size_t n = in->n, d = in->d, B = in->block;
    for (size_t i = 0; i < d; i++)
        first[i] = total[i] = 0.0;
    for (size_t r0 = 0; r0 < n; r0 += B) {
        size_t m = n - r0 < B ? n - r0 : B;
        if (load(in, 0, d + 2, r0, m) != 0)
            return -3;
        const double *ya = in->buf, *yb = in->buf + B;
        for (size_t i = 0; i < d; i++) {
            const double *yab = in->buf + (2 + i) * B;
            double s = first[i], t = total[i];
            for (size_t j = 0; j < m; j++) {
                double diff = ya[j] - yab[j];
                s += (yb[j] - c) * (yab[j] - ya[j]);
                t += diff * diff;
            }
            first[i] = s, total[i] = t;
        }
        for (size_t j = 0; n_boot > 0 && j < m; j++)
            resample_row(n, d, r0 + j, c, ya[j], yb[j], in->buf + 2 * B + j, B, n_boot, rng,
                         left, u, sums);
    }
    return 0;
}

static int indices(const rows_in *in, size_t n_boot, gsl_rng *rng, const nsm_sobol_out *out)
{
    size_t n = in->n, d = in->d;
    double c, v;
    int status = mean_and_variance(in, &c, &v);
    if (status != 0 || !(v > 0))
        return status != 0 ? status : -1;
    size_t k = SUMS(d);
    unsigned *left = n_boot ? malloc(n_boot * sizeof *left) : NULL;
    double *sums = n_boot ? malloc(n_boot * k * sizeof *sums) : NULL;
    double *u = n_boot ? malloc(k * sizeof *u) : NULL;
    if (n_boot && (!left || !sums || !u))
        status = -2;
    for (size_t b = 0; status == 0 && b < n_boot; b++) {
        left[b] = (unsigned)n;
        double *s = sums + b * k;
        s[LO] = (double)INFINITY, s[HI] = -(double)INFINITY;
        for (size_t j = SUM1; j < k; j++)
            s[j] = 0.0;
    }
    if (status == 0)
        status = last_pass(in, c, n_boot, rng, left, u, sums, out->first, out->total);
    if (status == 0)
        for (size_t i = 0; i < d; i++) {
            out->first[i] = out->first[i] / (double)n / v;
            out->total[i] = out->total[i] / (double)n / 2.0 / v;
        }
    else
        fill_nan(out->first, d), fill_nan(out->total, d);
    double *x = status == 0 && n_boot ? malloc(n_boot * sizeof *x) : NULL;
    if (status == 0 && n_boot && !x)
        status = -2;
    if (x) {
        double *const lo_hi[4] = {out->first_lo, out->first_hi, out->total_lo, out->total_hi};
        intervals(sums, n, d, n_boot, x, lo_hi);
    }
    free(x);
    free(left);
    free(sums);
    free(u);
    return status;
}

int nsm_sobol_indices_stream(nsm_sobol_fill fill, void *ctx, size_t n, size_t d, size_t block,
                             size_t n_boot, gsl_rng *rng, const nsm_sobol_out *out)
{
    double *const all[6] = {out->first,  out->first_lo, out->first_hi,
                            out->total, out->total_lo, out->total_hi};
    for (int j = 0; j < 6; j++)
        fill_nan(all[j], d);
    if (n < 2)
        return -1;
    block = block == 0 ? DEFAULT_BLOCK : block;
    block = block < n ? block : n;
    rows_in in = {fill, ctx, n, d, block, malloc((d + 2) * block * sizeof(double))};
    if (!in.buf)
        return -2;
    int status = indices(&in, n_boot, rng, out);
    free(in.buf);
    return status;
}

typedef struct {
    const double *y;
    size_t n;
} in_memory;

static int from_memory(void *ctx, size_t segment, size_t r0, size_t m, double *rows)
{
    const in_memory *a = ctx;
    memcpy(rows, a->y + segment * a->n + r0, m * sizeof *rows);
    return 0;
}

int nsm_sobol_indices(const double *y, size_t n, size_t d, size_t n_boot, gsl_rng *rng,
                      const nsm_sobol_out *out)
{
    in_memory a = {y, n};
    return nsm_sobol_indices_stream(from_memory, &a, n, d, 0, n_boot, rng, out);
}
