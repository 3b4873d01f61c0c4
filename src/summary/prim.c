/*
** prim.c: PRIM, peeling and pasting (see prim.h for the rules, which are the EMA Workbench's).
**
** Written here in C because Debian packages no PRIM (neither R's prim or sdtoolkit nor Python's
** ema_workbench): a pure function over a points x numbers matrix, with no I/O, so that a sweep
** is read by sweep/discover.c and its tables written by output/prim_tables.c.
**
** The box is kept as its limits and a flag per point (in the box or not). The points are sorted on
** each number once; a step reads each number's points of the box in that order, so it costs
** d n, and a trajectory has at most about log(mass_min) / log(1 - peel_alpha) peels (58 for the
** defaults): 10^5 points of 20 numbers take a second or two.
*/
#include "neasim/prim.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    double x, y;
} pair;

/* The work of one trajectory. */
typedef struct {
    const double *x, *y;
    int n, d;
    const nsm_prim_options *o;
    nsm_prim_result *r;
    unsigned char *in; /* the current box's points */
    double *lim;       /* the current box: lower and upper of each number */
    pair *buf;         /* n pairs, the points a step looks at on one number, sorted */
    int *order;        /* d x n: the points sorted on each number (then y, then index) */
    int points;
    double cases;
} prim_work;

/* A candidate step: a new limit for one side of one number. */
typedef struct {
    int dim, side;     /* side 0 lower, 1 upper; dim -1: no candidate */
    double value;
    int points;        /* points in the box it makes */
    double cases;
    double obj;
    int n_restricted;
} candidate;

double nsm_prim_lower(const nsm_prim_result *r, int s, int j)
{
    return r->limits[((size_t)s * (size_t)r->d + (size_t)j) * 2];
}

double nsm_prim_upper(const nsm_prim_result *r, int s, int j)
{
    return r->limits[((size_t)s * (size_t)r->d + (size_t)j) * 2 + 1];
}

int nsm_prim_restricted(const nsm_prim_result *r, int s, int j)
{
    return (nsm_prim_lower(r, s, j) > nsm_prim_lower(r, 0, j) ? 1 : 0) |
           (nsm_prim_upper(r, s, j) < nsm_prim_upper(r, 0, j) ? 2 : 0);
}

/* EMA's get_quantile (ema_workbench/analysis/prim.py). */
double nsm_prim_quantile(const double *v, int m, double q)
{
    double i = (double)(m - 1) * q;
    int lo = (int)floor(i), hi = (int)ceil(i);
    if (q > 0.5)
        while (v[lo] == v[hi] && lo > 0)
            lo--;
    else
        while (v[lo] == v[hi] && hi < m - 1)
            hi++;
    return (v[lo] + v[hi]) / 2.0;
}

typedef struct {
    double x, y;
    int i;
} ranked;

static int by_x_then_y(const void *a, const void *b)
{
    const ranked *p = a, *q = b;
    if (p->x != q->x)
        return p->x < q->x ? -1 : 1;
    if (p->y != q->y)
        return p->y < q->y ? -1 : 1;
    return (p->i > q->i) - (p->i < q->i);
}

/* Sort the points on each number once: a step then reads the points of a box (or of a slab
** beside it) in order by filtering, in n steps rather than m log m. */
static int sort_points(prim_work *w)
{
    ranked *r = malloc((size_t)w->n * sizeof *r);
    if (!r)
        return -1;
    for (int j = 0; j < w->d; j++) {
        for (int i = 0; i < w->n; i++)
            r[i] = (ranked){w->x[(size_t)i * (size_t)w->d + (size_t)j], w->y[i], i};
        qsort(r, (size_t)w->n, sizeof *r, by_x_then_y);
        for (int i = 0; i < w->n; i++)
            w->order[(size_t)j * (size_t)w->n + (size_t)i] = r[i].i;
    }
    free(r);
    return 0;
}

/* The lenient1 objective: the change of density per point moved. */
static double lenient1(int points_old, double cases_old, int points_new, double cases_new)
{
    double mean_old = cases_old / points_old, mean_new = points_new ? cases_new / points_new : 0;
    if (mean_old == mean_new || points_old == points_new)
        return 0;
    return (mean_new - mean_old) / abs(points_old - points_new);
}

static int count_restricted(const prim_work *w, const double *lim)
{
    int k = 0;
    for (int j = 0; j < w->d; j++)
        k += lim[2 * j] > nsm_prim_lower(w->r, 0, j) || lim[2 * j + 1] < nsm_prim_upper(w->r, 0, j);
    return k;
}

/* Restricted numbers once `c` is applied to the current box. */
static int restricted_after(const prim_work *w, const candidate *c)
{
    double keep = w->lim[2 * c->dim + c->side];
    w->lim[2 * c->dim + c->side] = c->value;
    int k = count_restricted(w, w->lim);
    w->lim[2 * c->dim + c->side] = keep;
    return k;
}

/* Is a better than b? Larger objective, then fewer restricted numbers, then enumeration order
** (the order candidates are offered in, which the caller keeps by offering better-or-equal
** candidates only when strictly better). */
static int better(const candidate *a, const candidate *b)
{
    if (b->dim < 0)
        return 1;
    if (a->obj != b->obj)
        return a->obj > b->obj;
    return a->n_restricted < b->n_restricted;
}

static void offer(const prim_work *w, candidate *best, candidate c)
{
    c.obj = lenient1(w->points, w->cases, c.points, c.cases);
    c.n_restricted = restricted_after(w, &c);
    if (better(&c, best))
        *best = c;
}

/* The points of the box (slab = 0), or of the slab beside side `side` of number j (slab = 1: in
** the box on every other number, outside it on j), as (x_j, y) pairs sorted on x_j; their count. */
static int gather(const prim_work *w, int j, int slab, int side)
{
    int m = 0, d = w->d;
    const int *order = w->order + (size_t)j * (size_t)w->n;
    for (int k = 0; k < w->n; k++) {
        int i = order[k];
        const double *xi = w->x + (size_t)i * (size_t)d;
        if (!slab && !w->in[i])
            continue;
        if (slab) {
            if (w->in[i] || (side == 0 ? xi[j] >= w->lim[2 * j] : xi[j] <= w->lim[2 * j + 1]))
                continue;
            int inside = 1;
            for (int l = 0; l < d && inside; l++)
                inside = l == j || (xi[l] >= w->lim[2 * l] && xi[l] <= w->lim[2 * l + 1]);
            if (!inside)
                continue;
        }
        w->buf[m++] = (pair){xi[j], w->y[i]};
    }
    return m;
}

/* The sum of y over pairs p[from..to), in order. */
static double sum_y(const pair *p, int from, int to)
{
    double s = 0;
    for (int i = from; i < to; i++)
        s += p[i].y;
    return s;
}

/* The quantile of the x of sorted pairs p[0..m). */
static double pair_quantile(const pair *p, int m, double q, double *scratch)
{
    for (int i = 0; i < m; i++)
        scratch[i] = p[i].x;
    return nsm_prim_quantile(scratch, m, q);
}

/* The two peels of number j. */
static void peels_of(const prim_work *w, int j, double *scratch, candidate *best)
{
    int m = gather(w, j, 0, 0);
    if (m == 0 || w->buf[0].x == w->buf[m - 1].x)
        return; /* every value equal: no peel removes a point */
    double hi = pair_quantile(w->buf, m, 1 - w->o->peel_alpha, scratch);
    int k = m;
    while (k > 0 && w->buf[k - 1].x > hi)
        k--;
    offer(w, best, (candidate){j, 1, hi, k, w->cases - sum_y(w->buf, k, m), 0, 0});
    double lo = pair_quantile(w->buf, m, w->o->peel_alpha, scratch);
    k = 0;
    while (k < m && w->buf[k].x < lo)
        k++;
    offer(w, best, (candidate){j, 0, lo, m - k, w->cases - sum_y(w->buf, 0, k), 0, 0});
}

/* The paste of side `side` of number j. */
static void paste_of(const prim_work *w, int j, int side, double *scratch, candidate *best)
{
    int m = gather(w, j, 1, side);
    if (m == 0)
        return;
    double v = pair_quantile(w->buf, m, side == 0 ? 1 - w->o->paste_alpha : w->o->paste_alpha,
                             scratch);
    int k = 0;
    while (k < m && w->buf[k].x < v)
        k++;
    /* lower side: the points at or above v join; upper side: those at or below it */
    int from = side == 0 ? k : 0, to = side == 0 ? m : k;
    if (side == 1)
        while (to < m && w->buf[to].x <= v)
            to++;
    if (to == from)
        return;
    offer(w, best, (candidate){j, side, v, w->points + to - from,
                               w->cases + sum_y(w->buf, from, to), 0, 0});
}

/* Append the current box to the trajectory. */
/* Append a box to the trajectory: its limits lim[2 d], points and cases. */
static nsm_status append_step(nsm_prim_result *r, const double *lim, int points, double cases,
                              int kind, int dim, int side, nsm_diag *diag)
{
    size_t d2 = 2 * (size_t)r->d;
    nsm_prim_step *steps = realloc(r->steps, (size_t)(r->n_steps + 1) * sizeof *steps);
    if (steps)
        r->steps = steps;
    double *all = realloc(r->limits, (size_t)(r->n_steps + 1) * d2 * sizeof *all);
    if (all)
        r->limits = all;
    if (!steps || !all)
        return nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
    memcpy(all + (size_t)r->n_steps * d2, lim, d2 * sizeof *all);
    int s = r->n_steps++, n_restricted = 0;
    for (int j = 0; j < r->d; j++)
        n_restricted += nsm_prim_restricted(r, s, j) != 0;
    steps[s] = (nsm_prim_step){kind, points, cases, (double)points / r->n, cases / r->total,
                               cases / points, n_restricted, dim, side};
    return NSM_OK;
}

static nsm_status record(prim_work *w, int kind, int dim, int side, nsm_diag *diag)
{
    return append_step(w->r, w->lim, w->points, w->cases, kind, dim, side, diag);
}

/* The box's points and cases, from scratch (in point order, so that the sums do not depend on
** the path that led to the box). */
static void recount(prim_work *w)
{
    w->points = 0;
    w->cases = 0;
    for (int i = 0; i < w->n; i++) {
        const double *xi = w->x + (size_t)i * (size_t)w->d;
        int inside = 1;
        for (int k = 0; k < w->d && inside; k++)
            inside = xi[k] >= w->lim[2 * k] && xi[k] <= w->lim[2 * k + 1];
        w->in[i] = (unsigned char)inside;
        w->points += inside;
        w->cases += inside ? w->y[i] : 0;
    }
}

static void apply(prim_work *w, const candidate *c)
{
    w->lim[2 * c->dim + c->side] = c->value;
    recount(w);
}

static nsm_status peel(prim_work *w, double *scratch, nsm_diag *diag)
{
    for (;;) {
        candidate best = {.dim = -1};
        for (int j = 0; j < w->d; j++)
            peels_of(w, j, scratch, &best);
        if (best.dim < 0 || !(best.obj > 0) || (double)best.points / w->n < w->o->mass_min)
            return NSM_OK;
        apply(w, &best);
        nsm_status st = record(w, NSM_PRIM_PEEL, best.dim, best.side, diag);
        if (st != NSM_OK)
            return st;
    }
}

static nsm_status paste(prim_work *w, double *scratch, nsm_diag *diag)
{
    for (;;) {
        candidate best = {.dim = -1};
        for (int j = 0; j < w->d; j++) {
            if (w->lim[2 * j] <= nsm_prim_lower(w->r, 0, j) &&
                w->lim[2 * j + 1] >= nsm_prim_upper(w->r, 0, j))
                continue; /* EMA pastes restricted numbers only */
            paste_of(w, j, 0, scratch, &best);
            paste_of(w, j, 1, scratch, &best);
        }
        if (best.dim < 0 || !(best.obj > 0) ||
            !(best.cases / best.points > w->cases / w->points))
            return NSM_OK;
        apply(w, &best);
        nsm_status st = record(w, NSM_PRIM_PASTE, best.dim, best.side, diag);
        if (st != NSM_OK)
            return st;
    }
}

static nsm_status check_input(const double *x, const double *y, int n, int d,
                              const nsm_prim_options *o, nsm_prim_result *r, nsm_diag *diag)
{
    if (n < 1 || d < 1)
        return nsm_diag_error(diag, NSM_ERR_USAGE, "PRIM needs at least one point and one number");
    if (!(o->peel_alpha > 0 && o->peel_alpha < 0.5) || !(o->paste_alpha > 0 && o->paste_alpha < 0.5))
        return nsm_diag_error(diag, NSM_ERR_USAGE, "PRIM's alphas must lie in (0, 0.5)");
    if (!(o->mass_min >= 0 && o->mass_min < 1))
        return nsm_diag_error(diag, NSM_ERR_USAGE, "PRIM's minimum mass must lie in [0, 1)");
    r->binary = 1;
    r->total = 0;
    for (int i = 0; i < n; i++) {
        if (!isfinite(y[i]) || y[i] < 0)
            return nsm_diag_error(diag, NSM_ERR_USAGE, "PRIM: output %d is %g, not a number >= 0",
                                  i + 1, y[i]);
        r->binary &= y[i] == 0 || y[i] == 1;
        r->total += y[i];
        for (int j = 0; j < d; j++)
            if (!isfinite(x[(size_t)i * (size_t)d + (size_t)j]))
                return nsm_diag_error(diag, NSM_ERR_USAGE, "PRIM: input %d of point %d is not "
                                      "a finite number", j + 1, i + 1);
    }
    if (!(r->total > 0))
        return nsm_diag_error(diag, NSM_ERR_USAGE, "PRIM: no point is a case of interest (every "
                              "output is 0): there is no box to find");
    return NSM_OK;
}

/* The start: the data's range on every number, every point in. */
static void start(prim_work *w)
{
    for (int j = 0; j < w->d; j++) {
        w->lim[2 * j] = INFINITY;
        w->lim[2 * j + 1] = -INFINITY;
    }
    for (int i = 0; i < w->n; i++)
        for (int j = 0; j < w->d; j++) {
            double v = w->x[(size_t)i * (size_t)w->d + (size_t)j];
            w->lim[2 * j] = fmin(w->lim[2 * j], v);
            w->lim[2 * j + 1] = fmax(w->lim[2 * j + 1], v);
        }
    recount(w);
}

nsm_status nsm_prim(const double *x, const double *y, int n, int d, const nsm_prim_options *o,
                    nsm_prim_result *r, nsm_diag *diag)
{
    memset(r, 0, sizeof *r);
    r->n = n;
    r->d = d;
    prim_work w = {x, y, n, d, o, r, NULL, NULL, NULL, NULL, 0, 0};
    double *scratch = NULL;
    nsm_status st = check_input(x, y, n, d, o, r, diag);
    if (st != NSM_OK)
        goto out;
    w.in = malloc((size_t)n);
    w.lim = malloc(2 * (size_t)d * sizeof *w.lim);
    w.buf = malloc((size_t)n * sizeof *w.buf);
    scratch = malloc((size_t)n * sizeof *scratch);
    w.order = malloc((size_t)n * (size_t)d * sizeof *w.order);
    if (!w.in || !w.lim || !w.buf || !scratch || !w.order || sort_points(&w) != 0) {
        st = nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
        goto out;
    }
    start(&w);
    st = record(&w, NSM_PRIM_START, -1, -1, diag);
    if (st == NSM_OK)
        st = peel(&w, scratch, diag);
    if (st == NSM_OK)
        st = paste(&w, scratch, diag);
out:
    free(w.in);
    free(w.lim);
    free(w.buf);
    free(w.order);
    free(scratch);
    return st;
}

void nsm_prim_release(nsm_prim_result *r)
{
    free(r->steps);
    free(r->limits);
    r->steps = NULL;
    r->limits = NULL;
    r->n_steps = 0;
}

/* Points and cases of the box of step s with a limit of number `drop` removed (side 0 lower,
** 1 upper, -1 both; drop -1: none). */
static void box_count(const double *x, const double *y, const nsm_prim_result *r, int s, int drop,
                      int side, int *points, double *cases)
{
    *points = 0;
    *cases = 0;
    for (int i = 0; i < r->n; i++) {
        int inside = 1;
        for (int j = 0; j < r->d && inside; j++) {
            double v = x[(size_t)i * (size_t)r->d + (size_t)j];
            int keep_lo = j != drop || side == 1, keep_hi = j != drop || side == 0;
            inside = (!keep_lo || v >= nsm_prim_lower(r, s, j)) &&
                     (!keep_hi || v <= nsm_prim_upper(r, s, j));
        }
        *points += inside;
        *cases += inside ? y[i] : 0;
    }
}

/* P(X >= h), X ~ Binomial(t, p): gsl_cdf_binomial_Q(k, p, n) is P(X > k). */
static double binomial_at_least(double h, double p, int t)
{
    return h < 1 ? 1.0 : gsl_cdf_binomial_Q((unsigned)h - 1, p, (unsigned)t);
}

static double quasi_p(const double *x, const double *y, const nsm_prim_result *r, int s, int j,
                      int side, int t_box, double h_box)
{
    int t;
    double h;
    box_count(x, y, r, s, j, side, &t, &h);
    return binomial_at_least(h_box, h / t, t_box);
}

void nsm_prim_quasi_p(const double *x, const double *y, const nsm_prim_result *r, int s,
                      double *qp, double *qp_side)
{
    int t_box;
    double h_box;
    box_count(x, y, r, s, -1, -1, &t_box, &h_box);
    for (int j = 0; j < r->d; j++) {
        int res = r->binary ? nsm_prim_restricted(r, s, j) : 0;
        if (qp)
            qp[j] = res ? quasi_p(x, y, r, s, j, -1, t_box, h_box) : (double)NAN;
        for (int side = 0; qp_side && side < 2; side++)
            qp_side[2 * j + side] = res & (1 << side) ? quasi_p(x, y, r, s, j, side, t_box, h_box)
                                                      : (double)NAN;
    }
}

int nsm_prim_choose(const nsm_prim_result *r, double target)
{
    int best = -1;
    for (int s = 0; s < r->n_steps; s++) {
        const nsm_prim_step *a = &r->steps[s];
        if (!(a->density >= target))
            continue;
        const nsm_prim_step *b = best < 0 ? NULL : &r->steps[best];
        if (!b || a->coverage > b->coverage ||
            (a->coverage == b->coverage &&
             (a->density > b->density ||
              (a->density == b->density && a->n_restricted < b->n_restricted))))
            best = s;
    }
    if (best >= 0)
        return best;
    best = 0;
    for (int s = 1; s < r->n_steps; s++) {
        const nsm_prim_step *a = &r->steps[s], *b = &r->steps[best];
        if (a->density > b->density || (a->density == b->density && a->coverage > b->coverage))
            best = s;
    }
    return best;
}

int nsm_prim_knee(const nsm_prim_result *r)
{
    int best = 0;
    double best_dist = INFINITY;
    for (int s = 0; s < r->n_steps; s++) {
        const nsm_prim_step *p = &r->steps[s];
        double dist = hypot(1 - p->coverage, 1 - p->density);
        if (dist < best_dist) {
            best = s;
            best_dist = dist;
        }
    }
    return best;
}

nsm_status nsm_prim_drop(const double *x, const double *y, nsm_prim_result *r, int s,
                         double max_qp, int *last, nsm_diag *diag)
{
    *last = s;
    double *qp = malloc((size_t)r->d * sizeof *qp), *lim = malloc(2 * (size_t)r->d * sizeof *lim);
    nsm_status st = qp && lim ? NSM_OK : nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
    while (st == NSM_OK && r->binary) {
        nsm_prim_quasi_p(x, y, r, *last, qp, NULL);
        int worst = -1;
        for (int j = 0; j < r->d; j++)
            if (qp[j] > max_qp && (worst < 0 || qp[j] > qp[worst]))
                worst = j;
        if (worst < 0)
            break;
        memcpy(lim, r->limits + (size_t)*last * 2 * (size_t)r->d, 2 * (size_t)r->d * sizeof *lim);
        lim[2 * worst] = nsm_prim_lower(r, 0, worst);
        lim[2 * worst + 1] = nsm_prim_upper(r, 0, worst);
        int points;
        double cases;
        box_count(x, y, r, *last, worst, -1, &points, &cases);
        st = append_step(r, lim, points, cases, NSM_PRIM_DROP, worst, -1, diag);
        if (st == NSM_OK)
            *last = r->n_steps - 1;
    }
    free(qp);
    free(lim);
    return st;
}
