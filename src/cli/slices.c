/*
** slices.c: run and compare in slices of their items (replications, or with --outer draws):
** one slice as a shard (`--shard I/N`: its part file), or one a rank under mpirun, where rank 0
** gathers the parts in rank order and writes the results folder from them as `neasim merge`
** does. So the outputs are those of one process for any number of shards or ranks.
**
** The steps are the same for both commands (split, simulate each slice into a part, gather,
** write); what differs (how a slice is simulated, how the folder is written) is the slicer's
** (cli.h). With --precision under mpirun the slices are of every batch (cli/precision.c).
*/
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "neasim/accum.h"
#include "neasim/partial.h"

/* The slice of shard o->shard of o->n_shards, simulated into a new sealed part *p. */
static nsm_status slice_part(const nsm_cli_slicer *s, const nsm_cli_options *o, nsm_part **p,
                             nsm_run_stats *rs, nsm_diag *d)
{
    uint64_t first, count;
    nsm_cli_shard_slice(o->outer ? o->outer : o->runs, o->shard, o->n_shards, &first, &count);
    return s->part(s->ctx, o, first, count, p, rs, d);
}

int nsm_cli_slices_shard(const nsm_cli_slicer *s, const nsm_cli_options *o)
{
    nsm_run_stats rs = {0, 0, 0, 0.0};
    nsm_diag d;
    nsm_diag_init(&d);
    nsm_part *p = NULL;
    nsm_cli_catch_sigint(1);
    nsm_status st = slice_part(s, o, &p, &rs, &d);
    int code = nsm_cli_finish_part(s->kind, st, p, o->out, &d);
    const nsm_part_head *h = code == EXIT_OK ? nsm_part_head_of(p) : NULL;
    if (h && !o->quiet) {
        /* a run says its threads; a comparison its arms */
        char arms[32] = "", threads[32] = "";
        if (s->n_arms)
            snprintf(arms, sizeof arms, "%d arms, ", s->n_arms);
        else
            snprintf(threads, sizeof threads, " on %d threads", rs.threads);
        printf("%s: %sshard %u/%u, %s %llu..%llu of %llu, in %.2f s%s -> %s\n", s->m->name, arms,
               o->shard, o->n_shards, o->outer ? "draws" : "replications",
               (unsigned long long)h->first,
               (unsigned long long)(h->first + h->count - (h->count > 0)),
               (unsigned long long)(o->outer ? o->outer : o->runs), rs.wall_seconds, threads,
               o->out);
    }
    nsm_part_free(p);
    nsm_diag_release(&d);
    return code;
}

/* --precision under mpirun: one rank's slice of a batch (nsm_cli_batch_slice). */
typedef struct {
    const nsm_cli_slicer *s;
    const nsm_cli_options *o; /* this rank's: shard rank + 1 of the ranks, quiet */
} batch_plan;

static nsm_status batch_slice(void *ctx, uint64_t first, uint64_t count, nsm_part **p,
                              nsm_diag *d)
{
    const batch_plan *b = ctx;
    nsm_run_stats rs;
    return b->s->part(b->s->ctx, b->o, first, count, p, &rs, d);
}

/* --precision under mpirun: the batches on every rank (cli/precision.c); on rank 0 the totals,
** as one part of the replications (with --outer, draws and their tables) used (ps), to be
** written as a merge writes. */
static nsm_status precise(const nsm_cli_slicer *s, const nsm_cli_options *mine,
                          nsm_cli_precision *prec, nsm_status ready, nsm_cli_parts *ps,
                          nsm_diag *all)
{
    batch_plan b = {s, mine};
    nsm_status st = nsm_cli_precision_ranks(prec, ready, batch_slice, &b, all);
    nsm_cli_options used = *mine;
    const uint64_t runs = prec->acc && prec->acc[0] ? nsm_accum_runs(prec->acc[0]) : 0;
    /* the items used: replications, or with --outer draws (of --runs each) */
    const uint64_t count = prec->outer_runs ? runs / prec->outer_runs : runs;
    if (prec->outer_runs)
        used.outer = count;
    else
        used.runs = count;
    nsm_part *p = NULL;
    if (nsm_cli_world_rank() == 0 && st == NSM_OK && prec->story &&
        nsm_story_finish(prec->story) != NSM_OK) /* sorted, as nsm_part_add_story needs */
        st = NSM_ERR_NOMEM;
    if (nsm_cli_world_rank() == 0 && st == NSM_OK &&
        (!(ps->part = calloc(1, sizeof *ps->part)) ||
         !(p = nsm_cli_part_new(s->kind, s->m, &used, 1, 1, 0, count)) ||
         nsm_cli_part_add(p, prec->acc, prec->paired, prec->n_arms, prec->inter, prec->story,
                          (const double *const *)prec->reals, prec->n_reals,
                          count * prec->per_draw, prec->events) != NSM_OK))
        st = NSM_ERR_NOMEM;
    if (st == NSM_ERR_NOMEM && !all->error)
        nsm_diag_error(all, st, "out of memory");
    size_t n = 0;
    const unsigned char *bytes = st == NSM_OK && p ? nsm_part_bytes(p, &n) : NULL;
    if (bytes && (st = nsm_part_open(bytes, n, "the ranks' totals", &ps->part[0], all)) == NSM_OK)
        ps->n = 1;
    ps->ranks = nsm_cli_world_size();
    nsm_part_free(p);
    return st;
}

int nsm_cli_slices_ranks(const nsm_cli_slicer *s, nsm_cli_options *o, nsm_cli_precision *prec,
                         nsm_status ready)
{
    nsm_cli_options mine = *o;
    mine.shard = (uint32_t)nsm_cli_world_rank() + 1;
    mine.n_shards = (uint32_t)nsm_cli_world_size();
    mine.quiet = o->quiet || mine.shard > 1;
    double t0 = omp_get_wtime();
    nsm_run_stats rs = {0, 0, 0, 0.0};
    nsm_diag d, all;
    nsm_diag_init(&d);
    nsm_diag_init(&all);
    nsm_part *p = NULL;
    nsm_cli_parts ps = {NULL, 0, 0, 0.0};
    nsm_cli_catch_sigint(1);
    nsm_status st;
    if (prec) {
        mine.quiet = 1; /* no progress bar: a batch is short, and the count is not known */
        st = precise(s, &mine, prec, ready, &ps, &all);
    } else {
        st = slice_part(s, &mine, &p, &rs, &d);
        st = nsm_cli_ranks_gather(st, p, &d, &ps, &all);
    }
    nsm_part_free(p);
    int code = EXIT_OK;
    if (nsm_cli_world_rank() == 0 && st == NSM_OK) {
        ps.wall_seconds = omp_get_wtime() - t0;
        o->parts = &ps;
        code = s->write(s->ctx, o);
        o->parts = NULL;
    } else if (nsm_cli_world_rank() == 0) {
        code = nsm_cli_finish_part(s->kind, st, NULL, NULL, &all);
    }
    nsm_cli_catch_sigint(0);
    nsm_cli_parts_release(&ps);
    nsm_diag_release(&d);
    nsm_diag_release(&all);
    return code;
}
