/*
** design.h: experimental designs over uncertain parameters.
**
** A design is a set of points in the unit hypercube [0,1]^d; the caller maps coordinate i of each
** point through nsm_dist_quantile of parameter i (dist.h). A grid is a list of level indices
** instead. Every array is the caller's, row-major: point r, dimension i is at [r*d + i].
*/
#ifndef NEASIM_DESIGN_H
#define NEASIM_DESIGN_H

#include <gsl/gsl_qrng.h>
#include <stddef.h>
#include <stdint.h>

/* Latin hypercube of n points in d dimensions, a point at a time and from the seed alone, so
** that any point can be made in any order (a sweep's shards and ranks make points offset + k *
** stride; a cursor may go back) with nothing held that grows with n. Stratified: for every
** dimension j, each of the n strata [k/n, (k+1)/n) holds exactly one point, point p's stratum
** being pi_j(p) for a keyed pseudo-random permutation pi_j of 0..n-1 (a balanced Feistel network
** over the smallest power of 4 at least n, cycle-walked into 0..n-1, its round keys the first
** words of the Philox stream (seed, replication j, stream nsm_stream_id("design",
** "lhs-permutation"))). Point p's position inside its stratum of dimension j is a uniform of 53
** bits from block j of the Philox stream (seed, replication p, stream nsm_stream_id("design",
** "lhs")). Coordinates lie strictly inside (0,1) and never round into the next stratum. Pure
** functions of their arguments: the same seed gives the same design, point by point, on every
** machine. n must be at least 1 and below 2^62, p below n, j and d below 2^31.
**   nsm_design_lhs_stratum  pi_j(p): the stratum of point p in dimension j;
**   nsm_design_lhs_point    point p's d coordinates into u[d]. */
uint64_t nsm_design_lhs_stratum(uint64_t seed, uint64_t n, uint32_t j, uint64_t p);
void nsm_design_lhs_point(uint64_t seed, uint64_t n, size_t d, uint64_t p, double *u);
/* How the Latin hypercube above is made, for the manifest (`design_method`): a new name whenever
** the points a seed gives change, so that a reader of the outputs (and --resume) knows them. */
#define NSM_DESIGN_LHS_METHOD "lhs-feistel-v1"

/* The largest d that nsm_design_sobol takes: GSL's Sobol generator has 40 dimensions, 2d used. */
#define NSM_DESIGN_SOBOL_MAX_DIM 20

/* Saltelli/Jansen design on GSL's Sobol sequence, for nsm_sobol_indices (sensitivity.h). The
** base matrices A and B (n x d each) come from one 2d-dimensional Sobol sequence without its
** first point (all zeros): A is the first d columns, B the last d. The points, in this order:
** A (n rows), B (n rows), then for each i = 0..d-1 the matrix AB_i, which is A with column i
** taken from B (n rows each): n*(d+2) points, written into u[n*(d+2)*d]. Deterministic: the same
** n and d give the same points. Coordinates lie strictly inside (0,1). Returns 0, or -1 if d is
** 0 or above NSM_DESIGN_SOBOL_MAX_DIM, n is 0 or 2^30 or more (GSL counts Sobol points in 30
** bits), or GSL cannot extend the sequence. Powers of two are the customary n. */
int nsm_design_sobol(size_t n, size_t d, double *u);

/* The same design a point at a time, by stepping the sequence rather than holding it: point p
** (0 <= p < n(d + 2), in the order above) into u[d]. Row r of A, B and every AB_i is the
** sequence's point r + 1, so points asked for in increasing order step it forward (once through
** for each of the d + 2 matrices) and an earlier row restarts it. Open returns 0, or -1 for the
** limits of nsm_design_sobol or when memory runs out; point returns 0, or -1 when GSL cannot
** extend the sequence. Close is safe after a failed open. */
typedef struct {
    gsl_qrng *q;
    size_t n, d;
    size_t drawn;             /* points drawn since the sequence started; x: the last */
    double x[2 * NSM_DESIGN_SOBOL_MAX_DIM];
} nsm_design_sobol_seq;

int nsm_design_sobol_open(nsm_design_sobol_seq *s, size_t n, size_t d);
int nsm_design_sobol_point(nsm_design_sobol_seq *s, size_t p, double *u);
void nsm_design_sobol_close(nsm_design_sobol_seq *s);

/* Full factorial over d dimensions with levels[i] levels each: prod(levels[i]) points (1 if
** d = 0). Fills idx[point*d + i] with the level index of dimension i, the last dimension varying
** fastest, so that point = ((idx0 * levels1 + idx1) * levels2 + idx2) ... . idx may be NULL to
** only count the points. Returns the number of points, or 0 if it would exceed max_points (or a
** dimension has 0 levels); then idx is not touched. */
size_t nsm_design_grid(const size_t *levels, size_t d, size_t max_points, size_t *idx);

/* Point p of that grid alone, its level indices into idx[d]: p in mixed radix, the last
** dimension the least significant digit (the same points in the same order, with no array of
** them: a sweep's grid makes each point from its index). p must be below the grid's points. */
void nsm_design_grid_point(const size_t *levels, size_t d, size_t p, size_t *idx);

#endif
