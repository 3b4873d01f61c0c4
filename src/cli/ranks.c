/*
** ranks.c: run, compare and sweep across the ranks of mpirun (build/neasim-mpi): rank K of N
** simulates shard K + 1 of N exactly as `--shard` would (cli/slices.c, cli/sweep.c), and sends
** its partial result (the same bytes a part file holds) to rank 0 here, which reads them in rank
** order as `neasim merge` reads files, and writes. So the outputs are those of one process for
** any number of ranks. Also: a rank's failure seen by the others, and --shard refused.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

int nsm_cli_ranks_check(const char *cmd, const nsm_cli_options *o)
{
    if (o->n_shards && nsm_cli_world_size() > 1)
        return nsm_cli_usage_error(cmd, "--shard splits the work between separate jobs; under "
                                   "mpirun the ranks split it: use one or the other");
    return 0;
}

static struct {
    void (*fn)(void *, uint64_t, uint64_t);
    void *ctx;
} watched;

static void watch(void *ctx, uint64_t done, uint64_t total)
{
    (void)ctx;
    if (watched.fn)
        watched.fn(watched.ctx, done, total);
    if (nsm_cli_world_peer_failed())
        nsm_cli_stopping = 1;
}

void nsm_cli_ranks_watch(void (**fn)(void *, uint64_t, uint64_t), void **ctx)
{
    if (nsm_cli_world_size() == 1)
        return;
    watched.fn = *fn;
    watched.ctx = *ctx;
    *fn = watch;
    *ctx = NULL;
}

/* One rank's record: a 4-byte status (little-endian), then its part or its message. */
static unsigned char *record(nsm_status st, const nsm_part *p, const nsm_diag *d, size_t *n)
{
    size_t len = 0;
    const unsigned char *body = NULL;
    if (st == NSM_OK && p)
        body = nsm_part_bytes(p, &len);
    else if (st != NSM_OK && d->error)
        len = strlen((const char *)(body = (const unsigned char *)d->error));
    unsigned char *r = malloc(len + 4);
    if (!r)
        return NULL;
    for (int k = 0; k < 4; k++)
        r[k] = (unsigned char)((unsigned)st >> (8 * k));
    if (len)
        memcpy(r + 4, body, len);
    *n = len + 4;
    return r;
}

static nsm_status status_of(const unsigned char *r)
{
    return (nsm_status)((unsigned)r[0] | (unsigned)r[1] << 8 | (unsigned)r[2] << 16 |
                        (unsigned)r[3] << 24);
}

/* The first failing rank (one that failed before one that was stopped), or -1. */
static int first_failure(const unsigned char *all, const size_t *sizes, int n)
{
    int stopped = -1;
    size_t off = 0;
    for (int k = 0; k < n; off += sizes[k], k++) {
        nsm_status st = sizes[k] >= 4 ? status_of(all + off) : NSM_ERR_RUNTIME;
        if (st == NSM_STOPPED && stopped < 0)
            stopped = k;
        else if (st != NSM_OK && st != NSM_STOPPED)
            return k;
    }
    return stopped;
}

static nsm_status open_parts(const unsigned char *all, const size_t *sizes, int n,
                             nsm_cli_parts *ps, nsm_diag *out)
{
    ps->part = calloc(n > 0 ? (size_t)n : 1, sizeof *ps->part);
    if (!ps->part)
        return nsm_diag_error(out, NSM_ERR_NOMEM, "out of memory");
    size_t off = 0;
    nsm_status st = NSM_OK;
    for (int k = 0; st == NSM_OK && k < n; off += sizes[k], k++) {
        if (sizes[k] == 4)
            continue; /* nothing sent (a sweep's ranks write their points themselves) */
        char name[64];
        snprintf(name, sizeof name, "rank %d of %d", k, n);
        st = nsm_part_open(all + off + 4, sizes[k] - 4, name, &ps->part[ps->n], out);
        if (st == NSM_OK)
            ps->n++;
    }
    ps->ranks = n;
    return st;
}

nsm_status nsm_cli_ranks_gather(nsm_status st, const nsm_part *p, const nsm_diag *d,
                                nsm_cli_parts *ps, nsm_diag *out)
{
    size_t n = 0, *sizes = NULL;
    if (st != NSM_OK && st != NSM_STOPPED)
        nsm_cli_world_tell_failure(); /* the others stop at their next poll (watch) */
    unsigned char *mine = record(st, p, d, &n), *all = NULL;
    static const unsigned char lost[4] = {(unsigned char)NSM_ERR_NOMEM, 0, 0, 0};
    int bad = nsm_cli_world_gather(mine ? mine : lost, mine ? n : 4, &all, &sizes) != 0;
    free(mine);
    const int ranks = nsm_cli_world_size();
    nsm_status res = NSM_OK;
    if (nsm_cli_world_rank() != 0) {
        res = NSM_OK;
    } else if (bad) {
        res = nsm_diag_error(out, NSM_ERR_NOMEM, "cannot gather the results of the %d ranks "
                             "(out of memory, or above 2 GiB)", ranks);
    } else {
        int k = first_failure(all, sizes, ranks);
        size_t off = 0;
        for (int j = 0; j < k; j++)
            off += sizes[j];
        if (k >= 0) {
            res = status_of(all + off);
            nsm_diag_error(out, res, "rank %d of %d: %.*s", k, ranks, (int)(sizes[k] - 4),
                           sizes[k] > 4 ? (const char *)all + off + 4
                           : res == NSM_STOPPED ? "stopped" : "failed");
        } else {
            res = open_parts(all, sizes, ranks, ps, out);
        }
    }
    free(all);
    free(sizes);
    return res;
}
