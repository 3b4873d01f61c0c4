/*
** firings.c: the next firing among the hazard processes, the smallest (tau, k) (internal.h).
**
** The processes are cut into blocks of NSMI_FIRING_BLOCK (8) consecutive indices; a winner tree (a
** tournament tree) over the blocks holds at each node the earliest firing below it. Setting a
** process's tau only writes it and marks its block stale; the next query rescans each stale block
** (a fixed-length, branch-free loop over one cache line) and replays its path towards the root,
** stopping where a node does not change. An event re-rates a few processes, mostly of one factor
** and so of one or two blocks, so that it costs O(block + log(blocks)) whatever the number of
** processes, and the tree of 2 x blocks nodes stays in the first-level cache.
**
** Why not the indexed binary heap that was here before (issue 14): at 320 factors it took ~600
** instructions an event and, worse, ~12 mispredicted branches (its sift loops compare unpredictable
** times) and its slots scattered writes over the process index; the time per event was 2.4 times
** that of 5 factors for 1.2 times the instructions. Nor a linear scan of every tau, which cost
** ~1,000 instructions an event at 120 processes.
**
** Small models (at most NSMI_FIRING_SCAN_MAX processes, the reference chain's 12 among them) skip
** the tree: a query scans every tau, branch-free, and a set lists no block. With two blocks or fewer
** nearly every event touches every block (a change of level re-rates the transitions out of the
** old and the new level, which sit anywhere in the index), so the bookkeeping of stale blocks and
** the replays cost more than looking at 16 numbers: on the chain the search fell from ~230 to
** ~110 instructions a query (issue 14). Their stale marks are set once and for all, so that a set
** lists no block for them and needs no test of its own. The scan's choice is the tree's, by the
** order below.
**
** Order: the smallest tau, ties to the lowest index, exactly as a scan of tau in index order with
** a strict `<` chooses (nsmi_firings_scan, kept as the reference the tests compare with): within a
** block the scan is that scan; across blocks, blocks hold increasing indices, so on equal times the
** left child (lower indices) wins. A tau that is infinite or not a number never wins: such a
** process cannot fire.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/internal.h"

static const double never = (double)INFINITY;

/* Every leaf and node empty, no block stale. */
static void clear_tree(nsmi_firings *q)
{
    nsm_firing none = {never, -1};
    for (int i = 0; i < 2 * q->n_leaves; i++)
        q->node[i] = none;
    for (int b = 0; b < q->n_blocks; b++)
        q->stale[b] = 0;
    q->n_stale = 0;
}

int nsmi_firings_init(nsmi_firings *q, int n)
{
    q->n = n;
    q->scan = n <= NSMI_FIRING_SCAN_MAX;
    q->n_blocks = (n + NSMI_FIRING_BLOCK - 1) / NSMI_FIRING_BLOCK;
    q->n_leaves = 1;
    while (q->n_leaves < q->n_blocks)
        q->n_leaves *= 2;
    /* a block on a cache line of its own (aligned_alloc wants a multiple of the alignment) */
    size_t bytes = ((size_t)q->n_blocks * NSMI_FIRING_BLOCK * sizeof *q->tau + 64) / 64 * 64;
    q->tau = aligned_alloc(64, bytes);
    q->node = malloc(2 * (size_t)q->n_leaves * sizeof *q->node);
    q->stale = calloc((size_t)q->n_blocks + 1, 1);
    q->stale_list = malloc(((size_t)q->n_blocks + 1) * sizeof *q->stale_list);
    if (!q->tau || !q->node || !q->stale || !q->stale_list)
        return -1;
    /* the padding past n stays infinite for good: the block scans need no bound */
    for (int k = 0; k < q->n_blocks * NSMI_FIRING_BLOCK; k++)
        q->tau[k] = never;
    clear_tree(q);
    if (q->scan) /* every block stale for good: nsmi_firings_set then lists none (internal.h) */
        memset(q->stale, 1, (size_t)q->n_blocks);
    return 0;
}

void nsmi_firings_release(nsmi_firings *q)
{
    free(q->tau);
    free(q->node);
    free(q->stale);
    free(q->stale_list);
    q->tau = NULL;
    q->node = NULL;
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

/* The earliest firing of block b. Written so that the compiler keeps it free of branches (a
** minimum and a conditional move an entry): which entry is smallest is what a branch would have
** to guess. */
static nsm_firing block_min(const nsmi_firings *q, int b)
{
    const double *tau = q->tau + (size_t)b * NSMI_FIRING_BLOCK;
    double best = never;
    int at = -1;
    for (int j = 0; j < NSMI_FIRING_BLOCK; j++) {
        int lt = tau[j] < best;
        best = lt ? tau[j] : best;
        at = lt ? j : at;
    }
    nsm_firing w = {best, at < 0 ? -1 : b * NSMI_FIRING_BLOCK + at};
    return w;
}

/* The winner of two siblings: the right one (higher indices) only if strictly earlier. */
static nsm_firing winner(const nsm_firing *pair)
{
    return pair[pair[1].tau < pair[0].tau];
}

static int same(nsm_firing a, nsm_firing b)
{
    return a.k == b.k && (a.tau == b.tau || a.k < 0);
}

/* Replay block b's path: the tree is right for every other block's leaf, before and after. */
static void replay(nsmi_firings *q, int b)
{
    int i = q->n_leaves + b;
    q->node[i] = block_min(q, b);
    while (i > 1) {
        i /= 2;
        nsm_firing w = winner(&q->node[2 * i]);
        if (same(w, q->node[i]))
            return;
        q->node[i] = w;
    }
}

/* The whole of a small model's tau, as block_min does one block: the first of the smallest, by a
** strict `<` in index order, so exactly nsmi_firings_scan's choice. */
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
        replay(q, b);
    }
    q->n_stale = 0;
    *when = q->node[1].tau;
    return q->node[1].k;
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
