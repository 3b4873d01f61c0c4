/*
** prim.h: the Patient Rule Induction Method (PRIM; Friedman and Fisher 1999), for scenario
** discovery over a sweep: the box of inputs in which the cases of interest concentrate.
**
** Input: n points of d numbers (x, row-major: x[i*d + j]) and an output y[i] >= 0 for each, 0/1
** for "the case of interest or not" (binary) or a share. A box is a lower and an upper limit per
** number; a point is in it when lower <= x <= upper on every number. Of a box:
**   mass     = points in the box / n
**   coverage = sum of y in the box / sum of y over all points
**   density  = sum of y in the box / points in the box   (for 0/1 y: the share of cases)
** A number is restricted when a limit lies inside the range of the data (the first box is the
** data's range on every number, restricting none).
**
** The behaviour follows the EMA Workbench's prim (Kwakkel 2017; ema_workbench 3.0,
** analysis/prim.py), step for step:
**  - peeling: from the current box, every number offers two peels, its lower and its upper
**    peel_alpha quantile (nsm_prim_quantile below). Each peel is scored by the "lenient1"
**    objective, (density after - density before) / points removed, and the best is taken while
**    it raises the density (objective > 0) and the box it leaves holds at least mass_min of the
**    points. Ties: the peel that leaves fewer restricted numbers, then the first number (the
**    column order of x), then the upper limit before the lower, the order EMA enumerates them in.
**    A peel that would remove no point (every value equal) is not offered.
**  - pasting: then, from the last peeled box, each restricted number offers to widen its lower
**    and its upper limit to take in about paste_alpha of the points just outside it (the points
**    in the box on every other number); the best paste by the same objective (ties: fewer
**    restricted, first number, lower before upper) is taken while it raises the density.
**  - the trajectory is every box: the start, each peel, each paste.
** Quasi-p-values (nsm_prim_quasi_p; Bryant and Lempert 2010): for a box with T points and H
** cases, drop a restriction to get a box with T' points and H' cases, and ask with a one-sided
** binomial test how likely H or more cases would be among T points drawn at the rate H' / T':
** P(X >= H), X ~ Binomial(T, H' / T'). A small value says the restriction matters. EMA 3.0
** drops one limit at a time (a value for the lower limit, one for the upper); EMA's first
** versions, and Bryant and Lempert, dropped a number's whole restriction: both are given. Only
** for 0/1 y (NaN otherwise).
** Everything is deterministic: no random numbers, and ties broken by the rules above.
*/
#ifndef NEASIM_PRIM_H
#define NEASIM_PRIM_H

#include "neasim/status.h"

typedef struct {
    double peel_alpha;  /* share of the box's points a peel takes off, in (0, 0.5); EMA: 0.05 */
    double paste_alpha; /* share of the points beside the box a paste takes in, (0, 0.5); 0.05 */
    double mass_min;    /* peeling stops before the box holds less than this share, [0, 1) */
} nsm_prim_options;

#define NSM_PRIM_DEFAULTS {0.05, 0.05, 0.05}

enum { NSM_PRIM_START, NSM_PRIM_PEEL, NSM_PRIM_PASTE, NSM_PRIM_DROP };

/* One box of the trajectory. */
typedef struct {
    int kind;           /* NSM_PRIM_START, _PEEL, _PASTE or _DROP (nsm_prim_drop) */
    int points;         /* points in the box */
    double cases;       /* sum of y in the box */
    double mass, coverage, density;
    int n_restricted;   /* numbers restricted */
    int dim, side;      /* the number and the limit (0 lower, 1 upper; -1 both, a drop) this
                        ** step moved; dim -1 at the start */
} nsm_prim_step;

typedef struct {
    int n, d;           /* points and numbers */
    int binary;         /* every y is 0 or 1 */
    double total;       /* sum of y over all points */
    int n_steps;
    nsm_prim_step *steps;
    double *limits;     /* n_steps * d * 2: the box of step s, number j, at [(s*d + j)*2 + side] */
} nsm_prim_result;

/* The peeling and pasting trajectory of x and y (n >= 1 points, d >= 1 numbers, borrowed) into
** *r, which the caller releases with nsm_prim_release (also after a failure). NSM_ERR_USAGE with
** a message for options out of range, a y below 0 or not finite, an x not finite, or a sum of y of
** 0 (no case of interest: nothing to find); NSM_ERR_NOMEM. */
nsm_status nsm_prim(const double *x, const double *y, int n, int d, const nsm_prim_options *o,
                    nsm_prim_result *r, nsm_diag *diag);
void nsm_prim_release(nsm_prim_result *r);

/* The limits of step s, number j: lower and upper. */
double nsm_prim_lower(const nsm_prim_result *r, int s, int j);
double nsm_prim_upper(const nsm_prim_result *r, int s, int j);
/* Which limits of number j are restricted at step s: 0 none, 1 lower, 2 upper, 3 both. */
int nsm_prim_restricted(const nsm_prim_result *r, int s, int j);

/* Quasi-p-values at step s, each array optional (NULL): qp[j] with number j's whole restriction
** dropped, qp_side[2 j] with its lower limit dropped, qp_side[2 j + 1] with its upper limit
** dropped. NaN where nothing is restricted, and everywhere when y is not 0/1. x and y as given
** to nsm_prim. */
void nsm_prim_quasi_p(const double *x, const double *y, const nsm_prim_result *r, int s,
                      double *qp, double *qp_side);

/* Drop the restrictions of step s that do not matter, as EMA's drop_restriction does, one at a
** time: while a restricted number's quasi-p-value (its whole restriction dropped) exceeds
** max_qp, drop the number with the largest (ties: the first), recompute the others, and append the
** wider box to the trajectory as a step of kind NSM_PRIM_DROP. *last is the final box (s when
** nothing is dropped, as with max_qp = 1; always s for a y that is not 0/1). NSM_ERR_NOMEM. */
nsm_status nsm_prim_drop(const double *x, const double *y, nsm_prim_result *r, int s,
                         double max_qp, int *last, nsm_diag *diag);

/* The box to report, by the rule: among the boxes whose density reaches `target`, the one with
** the largest coverage (ties: the denser, then fewer restricted numbers, then the earlier step);
** when none does,
** the densest (ties: larger coverage, then the earlier step). */
int nsm_prim_choose(const nsm_prim_result *r, double target);

/* The knee of the trade-off curve: the box closest (Euclidean distance) to the ideal of holding
** every case and nothing else, coverage 1 and density 1 (ties: the earlier step). Where the
** density stops rising fast and the coverage starts to fall: the box an analyst would circle. */
int nsm_prim_knee(const nsm_prim_result *r);

/* The quantile EMA's peels and pastes use, of sorted values v[0..m) (m >= 1), at q: with
** i = (m - 1) q, the midpoint between v[floor i] and the next distinct value above it (q <= 0.5),
** or between v[ceil i] and the next distinct value below it (q > 0.5), so a limit falls between
** two data values and moves past at least one point unless all are equal (then it is that value). */
double nsm_prim_quantile(const double *v, int m, double q);

#endif
