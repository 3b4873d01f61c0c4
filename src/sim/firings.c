/*
** firings.c: the next firing among the hazard processes, the smallest (tau, k) (internal.h).
**
** The processes are cut into blocks of NSMI_FIRING_BLOCK (8) consecutive indices, one cache line of
** tau each; a tree of minima over the blocks, 8 wide, holds at each entry the earliest (time,
** process) of the 8 below it: level 1 one entry a block of tau, level 2 one a block of 8 entries of
** level 1, and so on up to a single entry, the root. Setting a process's tau only writes it and
** marks its block stale; the next query recomputes each stale block's entry and those above it,
** each the minimum of one block of 8 times (min8: a branch-free tournament of pairs), stopping
** where an entry comes out as it was. An event re-rates a few processes, mostly of one factor and
** so of one or two blocks, so that it costs O(log8(blocks)) blocks of 8 whatever the number of
** processes, and the levels above tau (1/8 + 1/64 + ... of its size) stay in the first-level cache.
**
** Why 8 wide rather than the binary winner tree that was here (issue 14): the process that has
** just fired was the root's, so its block's path changes all the way up at every event: 8 levels
** at 320 factors (1,920 processes), each a dependent load, compare and store of a 16-byte node and
** a test that ends the walk, against 4 here (240, 30, 4, 1 entries), each a minimum of 8
** independent loads, 3 comparisons deep. Time per event (CPU time of nsm_run, 1 thread, median of
** 3 interleaved runs; the synthetic models of scripts/bench.sh): 320 factors 152 -> 121 ns, 80
** factors 132 -> 110, 5 factors 101 -> 98 (a scan now, below), the baseline (51 processes, 7
** blocks, nominal) 200 -> 190; 320 / 5 factors 1.50x -> 1.24x. What did not pay: the minimum of a
** block by SSE2 (the minimum, then the first position holding it, from a mask of equalities; ~25
** instructions where the tournament takes ~58) made 5 factors 12% slower and 320 factors only 3%
** faster, its chain of dependent steps being longer; a sequential scan of the block, as the binary
** tree had, left 5 factors 3% slower than the tournament. Before the binary tree an indexed
** binary heap took ~600 instructions an event at 320 factors and ~12 mispredicted branches (its
** sift loops compare unpredictable times); a linear scan of every tau ~1,000 at 120 processes.
**
** The stale list still pays at the baseline's 7 blocks: a query finds 1.5 stale blocks on
** average, so that it computes about 3 block minima (each stale block's and its parent's) where
** recomputing everything would take 8.
**
** Small models (at most NSMI_FIRING_SCAN_MAX, 32, processes: the reference chain's 12, 5 factors'
** 30) skip the tree: a query scans every tau, branch-free, and a set lists no block. With four
** blocks or fewer nearly every event touches most of them (a change of level re-rates the
** transitions out of the old and the new level, and those its modifiers name, which sit anywhere
** in the index), so the bookkeeping of stale blocks and the replays cost more than looking at 32
** numbers: on the chain the search fell from ~230 to ~110 instructions a query (issue 14), and 5
** factors take 98 ns an event by the scan against 100 by the tree. A set only stores their tau
** (internal.h): no NaN test, which the scan's strict `<` needs no more than it needs marks. The
** scan's choice is the tree's, by the order below.
**
** Order: the smallest tau, ties to the lowest index, exactly as a scan of tau in index order with
** a strict `<` chooses (nsmi_firings_scan, kept as the reference the tests compare with): within a
** block the first position holding the minimum; across blocks, blocks hold increasing indices, and
** so do the entries of every level, so the first of equal entries is again the lowest index. A tau
** that is infinite or not a number never wins: such a process cannot fire (with a tree,
** nsmi_firings_set keeps a NaN as infinity; an entry with nothing to fire is (infinity, -1)).
*/
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/internal.h"


static const double never = (double)INFINITY;

_Static_assert(NSMI_FIRING_BLOCK == 8, "min8 takes blocks of 8");

/* Level l's entries (l >= 1). */
static double *level_tau(const nsmi_firings *q, int l)
{
    return q->min_tau + q->off[l - 1];
}

static int *level_k(const nsmi_firings *q, int l)
{
    return q->min_k + q->off[l - 1];
}

/* Every entry of every level empty, no block stale. */
static void clear_tree(nsmi_firings *q)
{
    for (int i = 0; i < q->off[q->n_up]; i++) {
        q->min_tau[i] = never;
        q->min_k[i] = -1;
    }
    memset(q->stale, 0, (size_t)q->n_blocks);
    q->n_stale = 0;
}

/* The levels' lengths, each padded to a whole block: level 1 has one entry a block of tau, each
** level above one a block of the level below, until one entry. */
static void plan_levels(nsmi_firings *q)
{
    int len = q->n_blocks, at = 0;
    q->n_up = 0;
    for (;;) {
        at += (len + NSMI_FIRING_BLOCK - 1) / NSMI_FIRING_BLOCK * NSMI_FIRING_BLOCK;
        q->off[++q->n_up] = at; /* off[0] = 0: level 1 first */
        if (len == 1)
            return;
        len = (len + NSMI_FIRING_BLOCK - 1) / NSMI_FIRING_BLOCK;
    }
}

/* An aligned array of n entries of `size` bytes, whole cache lines (aligned_alloc wants a multiple
** of the alignment): a block of 8 on a line of its own. */
static void *lines_alloc(size_t n, size_t size)
{
    return aligned_alloc(64, (n * size + 64) / 64 * 64);
}

int nsmi_firings_init(nsmi_firings *q, int n)
{
    q->n = n;
    q->scan = n <= NSMI_FIRING_SCAN_MAX;
    q->n_blocks = n > 0 ? (n + NSMI_FIRING_BLOCK - 1) / NSMI_FIRING_BLOCK : 1;
    q->off[0] = 0;
    plan_levels(q);
    q->tau = lines_alloc((size_t)q->n_blocks * NSMI_FIRING_BLOCK, sizeof *q->tau);
    q->min_tau = lines_alloc((size_t)q->off[q->n_up], sizeof *q->min_tau);
    q->min_k = lines_alloc((size_t)q->off[q->n_up], sizeof *q->min_k);
    q->stale = calloc((size_t)q->n_blocks + 1, 1);
    q->stale_list = malloc(((size_t)q->n_blocks + 1) * sizeof *q->stale_list);
    if (!q->tau || !q->min_tau || !q->min_k || !q->stale || !q->stale_list)
        return -1;
    /* the padding past n stays infinite for good: the block scans need no bound */
    for (int k = 0; k < q->n_blocks * NSMI_FIRING_BLOCK; k++)
        q->tau[k] = never;
    clear_tree(q); /* a small model's tree is never read: nsmi_firings_set returns before the marks */
    return 0;
}

void nsmi_firings_release(nsmi_firings *q)
{
    free(q->tau);
    free(q->min_tau);
    free(q->min_k);
    free(q->stale);
    free(q->stale_list);
    q->tau = q->min_tau = NULL;
    q->min_k = NULL;
    q->stale = NULL;
    q->stale_list = NULL;
}

void nsmi_firings_clear(nsmi_firings *q)
{
    for (int k = 0; k < q->n; k++) /* the padding is infinite from init on */
        q->tau[k] = never;
    if (!q->scan) /* a small model has no tree */
        clear_tree(q);
}

/* A time and its position in a block. */
typedef struct {
    double t;
    int j;
} timed;

/* The earlier of two, the left (lower position) on equal times: a minimum, and the position
** chosen by a mask, which the compiler cannot make a branch (which time is earlier is what a branch
** would have to guess; gcc 12 made one of a conditional move). */
static inline timed earlier(timed l, timed r)
{
    int lt = r.t < l.t;
    timed w = {r.t < l.t ? r.t : l.t, l.j ^ ((l.j ^ r.j) & -lt)};
    return w;
}

/* The earlier of t[j] and t[j + 1]: its position by arithmetic rather than a move, which the
** compiler would make a branch. */
static inline timed earlier_pair(const double *t, int j)
{
    int lt = t[j + 1] < t[j];
    timed w = {t[j + 1] < t[j] ? t[j + 1] : t[j], j + lt};
    return w;
}

/* The earliest of the 8 times t[0..7], the first of equals (no time is a NaN: nsmi_firings_set),
** by a tournament of pairs: 7 comparisons 3 rounds deep, rather than the 8 rounds of a loop. On
** equal times the left, lower, position wins at every round. */
static inline timed min8(const double *t)
{
    timed a = earlier_pair(t, 0), b = earlier_pair(t, 2), c = earlier_pair(t, 4),
          d = earlier_pair(t, 6);
    return earlier(earlier(a, b), earlier(c, d));
}

/* Bit for bit, so that a time that goes from +0 to -0 reaches the root as the scan sees it. */
static inline int same_time(double a, double b)
{
    uint64_t x, y;
    memcpy(&x, &a, sizeof x);
    memcpy(&y, &b, sizeof y);
    return x == y;
}

/* Bring the tree up to date for block b of tau, from level 1 up: each entry on its path is the
** earliest of its block below, and where one comes out as it was, so does everything above it. */
static void replay(nsmi_firings *q, unsigned b)
{
    timed w = min8(q->tau + (size_t)b * NSMI_FIRING_BLOCK);
    int k = w.t < never ? (int)b * NSMI_FIRING_BLOCK + w.j : -1;
    for (int l = 1;; l++) {
        double *lt = level_tau(q, l);
        int *lk = level_k(q, l);
        if (lk[b] == k && same_time(lt[b], w.t))
            return;
        lt[b] = w.t;
        lk[b] = k;
        if (l == q->n_up)
            return;
        b /= NSMI_FIRING_BLOCK;
        w = min8(lt + (size_t)b * NSMI_FIRING_BLOCK);
        k = lk[b * NSMI_FIRING_BLOCK + (unsigned)w.j];
    }
}

/* The whole of a small model's tau, in index order: the first of the smallest, by a strict `<`,
** so exactly nsmi_firings_scan's choice. */
static int scan_all(const nsmi_firings *q, double *when)
{
    const double *tau = q->tau;
    double best = never;
    int at = -1;
    for (int j = 0; j < q->n; j++) {
        int lt = tau[j] < best;
        best = lt ? tau[j] : best;
        at = lt ? j : at;
    }
    *when = best;
    return at;
}

int nsmi_firings_top(nsmi_firings *q, double *when)
{
    if (q->scan)
        return scan_all(q, when);
    for (int j = 0; j < q->n_stale; j++) {
        int b = q->stale_list[j];
        q->stale[b] = 0;
        replay(q, (unsigned)b);
    }
    q->n_stale = 0;
    *when = level_tau(q, q->n_up)[0];
    return level_k(q, q->n_up)[0];
}

int nsmi_firings_scan(const nsmi_firings *q, double *when)
{
    int best = -1;
    double tbest = never;
    for (int k = 0; k < q->n; k++)
        if (q->tau[k] < tbest) {
            tbest = q->tau[k];
            best = k;
        }
    *when = tbest;
    return best;
}
