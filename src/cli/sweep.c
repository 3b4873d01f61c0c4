/*
** sweep.c: `neasim sweep SCENARIO --design FILE | --grid FILE | --lhs N | --sobol N | --oat`.
** Points run one after another (each on every thread), or side by side, into DEST.partial/;
** Ctrl-C leaves every completed point there and --resume continues; the finished folder replaces
** DEST. Under mpirun the ranks take whole points, or, with fewer than POINTS_A_RANK points a
** rank, share each point's replications (run_within).
*/
#include <errno.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "neasim/compare.h"
#include "neasim/design.h"
#include "neasim/outdir.h"
#include "neasim/sweep.h"
#include "neasim/xlsx.h"
#include "cli/progress.h"

static const char SWEEP_HELP[] =
    "Usage: neasim sweep SCENARIO (--design FILE | --grid FILE | --lhs N | --sobol N | --oat)\n"
    "                    [--runs N] [--seed S] [--threads T] [--out DIR] [--horizons LIST]\n"
    "                    [--resume] [--keep-points] [--bom] [--xlsx] [--quiet]\n"
    "\n"
    "Run the scenario at many points, each setting some of its numbers (by parameter path) and\n"
    "optionally a lever set, all on common random numbers, and write one long table of the\n"
    "outcomes at the horizons (sweep.csv) into results/<scenario name>-sweep/ (or DIR).\n"
    "\n"
    "  --design FILE   one row per point; columns are parameter paths, and optionally `levers`\n"
    "  --grid FILE     rows `parameter,values` (values separated by ';'): every combination\n"
    "  --lhs N         Latin hypercube of N points over the numbers written as distributions\n"
    "  --sobol N       Sobol sensitivity: N (d + 2) points; adds sensitivity.csv\n"
    "  --oat           each uncertain number at its 5th and 95th percentile; adds tornado.csv\n"
    "  --params LIST   with --lhs, --sobol, --oat: only these uncertain numbers vary (paths, or\n"
    "                  prefixes ending in '*', separated by ','); the others stay at their means\n"
    "  -n, --runs N    replications per point (default 10000)\n"
    "  -s, --seed S    seed (default 1); every point uses the same replications\n"
    "  -t, --threads T threads (default: all cores)\n"
    "  -o, --out DIR   results folder (default results/<scenario name>-sweep)\n"
    "  --horizons L    years at which outcomes are reported, each a report date\n"
    "                  (default 2,5,10 within the horizon, and its end)\n"
    "  --resume        continue an interrupted sweep from DIR.partial/ (every finished point\n"
    "                  is verified; a damaged one is run again)\n"
    "  --max-events N  a replication of more than N events fails (default 10000000)\n"
    "  --keep-points   keep the per-point files (points/) once the sweep is assembled\n"
    "  --shard I/N     run only points I, I + N, I + 2N, ... and write a partial result to\n"
    "                  --out PART (`neasim merge` assembles the sweep from the N parts)\n"
    "  --bom           start each CSV with a UTF-8 byte-order mark (for Excel)\n"
    "  --xlsx          also results.xlsx: every table as a sheet, typed cells\n"
    "  -q, --quiet     no progress bar or summary\n"
    "  -h, --help      this help\n"
    "  -V, --version   the version\n";

static nsm_status build_design(const nsm_model *m, const nsm_cli_options *o, nsm_sweep_design *d,
                               nsm_diag *diag)
{
    if (o->design)
        return nsm_sweep_read_design(m, o->design, d, diag);
    if (o->grid)
        return nsm_sweep_read_grid(m, o->grid, d, diag);
    nsm_sweep_kind kind = o->design_kind == 1   ? NSM_SWEEP_LHS
                          : o->design_kind == 2 ? NSM_SWEEP_SOBOL
                                                : NSM_SWEEP_OAT;
    return nsm_sweep_generate(m, kind, (size_t)o->design_n, o->seed, o->params, d, diag);
}

/* What --resume compares: the design as run (design.csv, a plain CSV a spreadsheet or R reads
** as it is) and, beside it, the options that change the results (OPTIONS_FILE, one line; the
** manifest says the same for people). suffix "" writes the work folder's own, ".check" the
** current command's. */
#define OPTIONS_FILE ".sweep-options"

/* WORK/NAME followed by suffix, a new string (NULL when out of memory). */
static char *work_file(const char *work, const char *name, const char *suffix)
{
    char *p = NULL;
    return asprintf(&p, "%s/%s%s", work, name, suffix) < 0 ? NULL : p;
}

static int write_text(const char *path, const char *text)
{
    FILE *f = path ? fopen(path, "wb") : NULL;
    if (!f)
        return -1;
    int bad = fputs(text, f) == EOF;
    return fclose(f) != 0 || bad ? -1 : 0;
}

static int write_signature(const char *work, const char *suffix, const nsm_model *m,
                           const nsm_sweep_design *d, const nsm_cli_options *o, nsm_diag *diag)
{
    char line[512];
    /* a Latin hypercube's method too: a sweep begun by a build whose design differs is refused
    ** by name (same_sweep) */
    snprintf(line, sizeof line, "scenario sha256:%s seed %llu runs %llu horizons %.200s%s\n",
             m->checksum, (unsigned long long)o->seed, (unsigned long long)o->runs, o->horizons,
             d->kind == NSM_SWEEP_LHS ? " design " NSM_DESIGN_LHS_METHOD : "");
    char *opath = work_file(work, OPTIONS_FILE, suffix);
    char *dpath = work_file(work, NSM_SWEEP_DESIGN_COPY, suffix);
    FILE *f = NULL;
    int bad = write_text(opath, line) != 0 || !dpath || !(f = fopen(dpath, "wb"));
    if (!bad) {
        /* --bom as every other table (files_equal reads past it: --bom changes no result) */
        bad = (o->bom && fputs("\xEF\xBB\xBF", f) == EOF) ||
              nsm_sweep_design_write(d, f, diag) != NSM_OK;
        int err = errno;
        bad = fclose(f) != 0 || bad;
        errno = err;
    }
    free(opath);
    free(dpath);
    return bad ? -1 : 0;
}

/* Past a UTF-8 byte-order mark at the start of f, if there is one. */
static void skip_bom(FILE *f)
{
    unsigned char m[3];
    if (fread(m, 1, 3, f) != 3 || m[0] != 0xEF || m[1] != 0xBB || m[2] != 0xBF)
        rewind(f);
}

/* Do two files hold the same bytes, but for a byte-order mark (--bom) at the start? A block at
** a time: a design may be large. */
static int files_equal(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int same = fa && fb;
    if (same) {
        skip_bom(fa);
        skip_bom(fb);
    }
    while (same) {
        char x[65536], y[65536];
        size_t nx = fread(x, 1, sizeof x, fa), ny = fread(y, 1, sizeof y, fb);
        same = nx == ny && memcmp(x, y, nx) == 0 && !ferror(fa) && !ferror(fb);
        if (nx == 0)
            break;
    }
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return same;
}

static int cannot_create(const char *path)
{
    fprintf(stderr, "neasim sweep: cannot create %s: %s\n", path, strerror(errno));
    return EXIT_CANTCREAT;
}

/* Does the file at path hold text (in its first line: an options file is one)? */
static int line_has(const char *path, const char *text)
{
    char line[1024] = "";
    FILE *f = fopen(path, "rb");
    if (f && !fgets(line, sizeof line, f))
        line[0] = '\0';
    if (f)
        fclose(f);
    return strstr(line, text) != NULL;
}

/* Is the sweep in `work` the same as this one? Its design.csv and options against this sweep's,
** written beside them (never held in memory whole: memory must not grow with the points). */
static int same_sweep(const char *work, const nsm_model *m, const nsm_sweep_design *d,
                      const nsm_cli_options *o, nsm_diag *diag)
{
    static const char *const files[2] = {"design.csv", OPTIONS_FILE};
    char *path[2], *check[2];
    int code = 0;
    for (int k = 0; k < 2; k++) {
        path[k] = work_file(work, files[k], "");
        check[k] = work_file(work, files[k], ".check");
        code = code || !path[k] || !check[k];
    }
    if (code || write_signature(work, ".check", m, d, o, diag) != 0)
        code = diag->error ? nsm_cli_exit_code(NSM_ERR_IO, 1) /* the design's file, said there */
                           : cannot_create(check[0] ? check[0] : work);
    else if (d->kind == NSM_SWEEP_LHS && !line_has(path[1], " design " NSM_DESIGN_LHS_METHOD))
        code = nsm_cli_usage_error("sweep", "--resume: the sweep in %s was begun by an older "
                                   "neasim, whose --lhs design placed its points otherwise (this "
                                   "one's is " NSM_DESIGN_LHS_METHOD ", manifest.csv's "
                                   "design_method): its points cannot be mixed with this one's; "
                                   "delete that folder and run the sweep again (or finish it with "
                                   "the neasim that began it)", work);
    else if (!files_equal(path[0], check[0]) || !files_equal(path[1], check[1]))
        code = nsm_cli_usage_error("sweep", "--resume: the design or the options differ from those "
                                   "of the sweep in %s; run with the same options, or delete it",
                                   work);
    for (int k = 0; k < 2; k++) {
        if (check[k])
            unlink(check[k]);
        free(path[k]);
        free(check[k]);
    }
    return code;
}

/* The work folder: new (no --resume), or an interrupted one with the same design (--resume). */
static int prepare_work(const char *work, const nsm_model *m, const nsm_sweep_design *d,
                        const nsm_cli_options *o, nsm_diag *diag)
{
    struct stat st;
    int exists = stat(work, &st) == 0;
    int code = 0;
    if (exists && !o->resume)
        code = nsm_cli_usage_error("sweep", "an interrupted sweep is waiting in %s: add --resume "
                                   "to continue it, or delete that folder to start again", work);
    else if (!exists && o->resume)
        code = nsm_cli_usage_error("sweep", "--resume: there is no interrupted sweep in %s", work);
    else if (exists)
        code = same_sweep(work, m, d, o, diag);
    else if (nsm_outdir_parents(work) != 0 || mkdir(work, 0777) != 0 ||
             write_signature(work, "", m, d, o, diag) != 0)
        code = diag->error ? nsm_cli_exit_code(NSM_ERR_IO, 1) : cannot_create(work);
    return code;
}

static size_t stop_after_env(void)
{
    const char *s = getenv("NEASIM_TEST_STOP_AFTER_POINTS"); /* testing aid, README */
    return s ? (size_t)strtoull(s, NULL, 10) : 0;
}

/* Warnings now (damaged points run again), so that they are not printed twice. */
static int finish(const nsm_model *m, const nsm_sweep_design *d, const nsm_cli_options *o,
                  const nsm_sweep_config *cf, const char *work, const char *dest,
                  const char *started, double wall, int argc, char **argv, nsm_diag *diag)
{
    nsm_status st = nsm_sweep_assemble(m, d, work, cf, diag);
    uint64_t events = 0; /* every point's, however and whenever it ran (its .counts says) */
    if (st == NSM_OK)
        st = nsm_sweep_events(work, d->n_points, 0, 1, &events, diag);
    nsm_manifest *mf = calloc(1, sizeof *mf);
    if (st == NSM_OK && mf) {
        nsm_run_stats rs = {cf->run.threads > 0 ? cf->run.threads : omp_get_max_threads(), events,
                            0, wall};
        nsm_cli_manifest(mf, m, o, &rs, started, argc, argv);
        nsm_manifest_add(mf, "sweep_points", "%zu", d->n_points);
        nsm_manifest_add(mf, "runs_per_point", "%llu", (unsigned long long)o->runs);
        nsm_manifest_add(mf, "sweep_parameters", "%d", d->n_params);
        char hz[NSM_MAX_HORIZONS * 24] = "";
        for (int h = 0, k = 0; h < o->hz.n; h++) /* as resolved: what the tables hold */
            k += snprintf(hz + k, sizeof hz - (size_t)k, "%s%g", h ? "," : "", o->hz.years[h]);
        nsm_manifest_add(mf, "horizons", "%s", hz);
        if (d->kind == NSM_SWEEP_LHS) /* how a seed's points were made (design.h) */
            nsm_manifest_add(mf, "design_method", "%s", NSM_DESIGN_LHS_METHOD);
        nsm_manifest_add(mf, "design_csv", "the design as run, one row per point; with "
                         "scenario_checksum, seed, runs_per_point and horizons, what --resume "
                         "checks");
        nsm_write_options wo = {o->bom};
        st = nsm_results_write_manifest(work, mf, &wo, diag);
        if (st == NSM_OK && o->xlsx) /* last: it is built from the CSVs above */
            st = nsm_xlsx_write(work, NULL, diag);
    }
    free(mf);
    if (st == NSM_OK && nsm_cli_interrupted) {
        /* every point is done: --resume only assembles */
        fprintf(stderr, "neasim sweep: %s before the results were moved into place; every point "
                "is in %s/. Finish with the same command and --resume.\n", nsm_cli_stop_name(),
                work);
        return nsm_cli_stop_code();
    }
    if (st == NSM_OK)
        st = nsm_outdir_commit(work, dest, diag);
    if (st != NSM_OK) {
        nsm_cli_print_diag("sweep", st, diag);
        return nsm_cli_exit_code(st, 0);
    }
    /* after the commit: a crash before it must leave every point for --resume; the options
    ** file only serves --resume */
    char *opts = work_file(dest, OPTIONS_FILE, "");
    if (opts)
        unlink(opts);
    free(opts);
    if (!o->keep_points && nsm_sweep_remove_points(dest, diag) != NSM_OK) {
        fprintf(stderr, "neasim sweep: warning: %s (the results are complete)\n", diag->error);
        free(diag->error);
        diag->error = NULL;
    }
    nsm_cli_print_warnings(diag, 0); /* damaged points run again: said even with --quiet */
    if (!o->quiet)
        printf("%s: %zu points x %llu run%s -> %s/ (sweep.csv%s)\n", m->name, d->n_points,
               (unsigned long long)o->runs, o->runs == 1 ? "" : "s", dest,
               d->kind == NSM_SWEEP_SOBOL ? ", sensitivity.csv"
               : d->kind == NSM_SWEEP_OAT ? ", tornado.csv"
                                          : "");
    return EXIT_OK;
}

/* The points of shard I/N: I - 1, I - 1 + N, ... */
static size_t shard_points(const nsm_sweep_design *d, uint32_t shard, uint32_t n_shards)
{
    return shard <= d->n_points ? (d->n_points - shard + n_shards) / n_shards : 0;
}

/* sweep --shard I/N: every point of the shard is done in `work`: pack them into the part, and
** remove the work folder once the part is written. */
static int finish_shard(const nsm_model *m, const nsm_sweep_design *d, const nsm_cli_options *o,
                        const char *work, nsm_diag *diag)
{
    size_t count = shard_points(d, o->shard, o->n_shards);
    nsm_part *p = NULL;
    uint64_t events = 0;
    /* written to the part's file point by point (in memory, the part grew with the points: 22,464
    ** KiB peak for 15,000 of them against 9,284 for 1,000) */
    nsm_status st = nsm_cli_part_create("sweep", m, o, o->shard, o->n_shards, o->shard - 1, count,
                                        o->out, &p, diag);
    if (st == NSM_OK)
        st = nsm_sweep_pack_points(work, d->n_points, o->shard - 1, o->n_shards, p, diag);
    if (st == NSM_OK) /* the points carry theirs too: the part's count is their sum */
        st = nsm_sweep_events(work, d->n_points, o->shard - 1, o->n_shards, &events, diag);
    if (st == NSM_OK && (st = nsm_part_seal(p, events)) == NSM_ERR_IO)
        nsm_diag_error(diag, st, "cannot write %s: %s", o->out, strerror(nsm_part_errno(p)));
    else if (st != NSM_OK && !diag->error)
        nsm_diag_error(diag, st, "out of memory");
    int code = nsm_cli_finish_part("sweep", st, p, o->out, diag);
    nsm_part_free(p);
    if (code != EXIT_OK)
        return code;
    char *design = nsm_path_join(work, "design.csv");
    char *opts = nsm_path_join(work, OPTIONS_FILE);
    if (nsm_sweep_remove_points(work, diag) != NSM_OK || !design || unlink(design) != 0 ||
        !opts || (unlink(opts) != 0 && errno != ENOENT) || rmdir(work) != 0)
        fprintf(stderr, "neasim sweep: warning: %s is written; %s could not be removed\n", o->out,
                work);
    free(design);
    free(opts);
    if (!o->quiet)
        printf("%s: shard %u/%u, %zu of %zu points x %llu run%s -> %s\n", m->name, o->shard,
               o->n_shards, count, d->n_points, (unsigned long long)o->runs,
               o->runs == 1 ? "" : "s", o->out);
    return EXIT_OK;
}

/* neasim merge: every part's points into `work`, each part the shard it says it is. */
static nsm_status unpack_parts(const nsm_model *m, const nsm_sweep_design *d,
                               const nsm_cli_parts *ps, const char *work, nsm_diag *diag)
{
    nsm_status st = NSM_OK;
    for (int k = 0; st == NSM_OK && k < ps->n; k++) {
        const nsm_part_head *h = nsm_part_head_of(ps->part[k]);
        st = nsm_cli_part_check_scenario(ps->part[k], &m, 1, diag);
        if (st == NSM_OK && (h->first != h->shard - 1 ||
                             h->count != shard_points(d, h->shard, h->n_shards)))
            st = nsm_diag_error(diag, NSM_ERR_INPUT, "%s: shard %u/%u holds %llu points from "
                                "point %llu, not the %zu points of that shard of %zu: damaged, "
                                "or written by another neasim", nsm_part_name(ps->part[k]),
                                h->shard, h->n_shards, (unsigned long long)h->count,
                                (unsigned long long)h->first + 1,
                                shard_points(d, h->shard, h->n_shards), d->n_points);
        if (st == NSM_OK)
            st = nsm_sweep_unpack_points(work, ps->part[k], d->n_points, h->shard - 1,
                                         h->n_shards, diag);
        if (st == NSM_OK && !nsm_part_at_end(ps->part[k]))
            st = nsm_diag_error(diag, NSM_ERR_INPUT, "%s: holds more than its points (damaged?)",
                                nsm_part_name(ps->part[k]));
    }
    return st;
}

/* Under mpirun, rank K runs points K, K + N, ... into the one work folder (on a file system
** every rank sees), so that a stopped sweep resumes as one; rank 0 prepares the folder first and
** assembles once every rank is done. Only statuses travel (cli/ranks.c); with few points, the
** slices of each point do (run_within). On rank 0, diag's error becomes the first failing
** rank's ("rank K of N: ..."). */
static nsm_status gather_ranks(nsm_status st, const nsm_part *part, nsm_cli_parts *ps,
                               nsm_diag *diag)
{
    nsm_diag all;
    nsm_diag_init(&all);
    st = nsm_cli_ranks_gather(st, part, diag, ps, &all);
    free(diag->error);
    diag->error = all.error;
    all.error = NULL;
    nsm_diag_release(&all);
    return st;
}

/* Under mpirun, a sweep of fewer points than this a rank splits the replications of each point
** across the ranks (run_within) instead of giving each rank whole points: with fewer, some ranks
** would idle, and the slowest point would set the pace. As within one process (engine.h,
** nsm_runs_side_by_side): 4 a worker keeps every worker busy to the end. */
enum { POINTS_A_RANK = 4 };

/* One point under mpirun, run_within's way: rank K simulates slice K + 1 of N of its
** replications, rank 0 adds the slices in rank order (integer sums: the same accumulator as one
** process) and writes the point. Collective. The point's status on every rank (rank 0's, which
** names the first failing rank in diag there). */
static nsm_status within_point(const nsm_model *m, const nsm_sweep_design *d,
                               const nsm_cli_options *o, const nsm_sweep_config *cf,
                               const nsm_sweep_config *slice, nsm_sweep_cursor *cur, size_t p,
                               nsm_accum *acc, nsm_accum *whole, const char *work, nsm_diag *diag)
{
    const int rank = nsm_cli_world_rank(), ranks = nsm_cli_world_size();
    uint64_t first, count, events = 0;
    nsm_cli_shard_slice(o->runs, (uint32_t)rank + 1, (uint32_t)ranks, &first, &count);
    nsm_part *part = NULL;
    const nsm_sweep_point *pt = NULL;
    nsm_status st = acc && whole && cur ? nsm_sweep_cursor_point(cur, p, &pt, diag)
                                        : nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
    if (st == NSM_OK)
        st = nsm_sweep_run_slice(m, d, pt, first, count, acc, slice, &events, diag);
    if (st == NSM_OK && !(part = nsm_cli_part_new("sweep", m, o, (uint32_t)rank + 1,
                                                  (uint32_t)ranks, first, count)))
        st = nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
    if (st == NSM_OK && nsm_cli_part_add(part, &acc, NULL, 1, NULL, NULL, NULL, 0, 0, events) != NSM_OK)
        st = nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
    nsm_cli_parts ps = {NULL, 0, 0, 0.0};
    st = gather_ranks(st, part, &ps, diag);
    nsm_part_free(part);
    if (rank == 0 && st == NSM_OK && ps.n != ranks) /* every rank sends its slice (never empty) */
        st = nsm_diag_error(diag, NSM_ERR_RUNTIME, "point %zu: %d of %d ranks sent their slice",
                            p + 1, ps.n, ranks);
    if (rank == 0 && st == NSM_OK) {
        nsm_accum_reset(whole);
        st = nsm_cli_parts_read(&ps, &m, 1, o->runs, &whole, NULL, 1, NULL, NULL, NULL, 0, 0,
                                diag);
    }
    if (rank == 0 && st == NSM_OK)
        st = nsm_sweep_save_point(m, d, pt, whole, nsm_cli_parts_events(&ps), cf, work, diag);
    nsm_cli_parts_release(&ps);
    return (nsm_status)nsm_cli_world_share((int)st);
}

/* What rank 0 tells the ranks before each point of run_within. */
enum { POINT_DONE, POINT_RUN, POINT_STOP };

/* Under mpirun with fewer than POINTS_A_RANK points a rank: every point, one after another, split
** across the ranks (within_point). Rank 0 alone reads the work folder and tells the others which
** points to run, so that they stay in step; Ctrl-C (every rank's slice stops) and
** NEASIM_TEST_STOP_AFTER_POINTS (rank 0 counts) keep the finished points for --resume. */
static nsm_status run_within(const nsm_model *m, const nsm_sweep_design *d,
                             const nsm_cli_options *o, const nsm_sweep_config *cf,
                             const char *work, size_t *done, nsm_diag *diag)
{
    const int lead = nsm_cli_world_rank() == 0;
    nsm_sweep_config slice = *cf;
    slice.run.progress = NULL; /* polls for another rank's failure only (cli/ranks.c) */
    slice.run.progress_ctx = NULL;
    nsm_cli_ranks_watch(&slice.run.progress, &slice.run.progress_ctx);
    nsm_accum *acc = nsm_accum_alloc(m), *whole = nsm_accum_alloc(m);
    /* every rank reads the points it runs from the work folder's copy of the design */
    nsm_sweep_cursor *cur = NULL;
    char *copy = nsm_path_join(work, NSM_SWEEP_DESIGN_COPY);
    nsm_status st = copy ? nsm_sweep_cursor_open(d, copy, &cur, diag)
                         : nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
    free(copy);
    st = (nsm_status)nsm_cli_world_share((int)st); /* rank 0's word: the ranks stay in step */
    size_t finished = 0;
    *done = 0;
    for (size_t p = 0; st == NSM_OK && p < d->n_points; p++) {
        int word = POINT_DONE;
        if (lead && !nsm_sweep_point_done(work, p, diag))
            word = (cf->stop_after && *done >= cf->stop_after) ? POINT_STOP : POINT_RUN;
        word = nsm_cli_world_share(word);
        if (word == POINT_STOP)
            st = NSM_STOPPED;
        else if (word == POINT_RUN)
            st = within_point(m, d, o, cf, &slice, cur, p, acc, whole, work, diag);
        if (st == NSM_OK && word == POINT_RUN)
            ++*done;
        if (st == NSM_OK && cf->progress)
            cf->progress(cf->progress_ctx, ++finished, d->n_points);
    }
    nsm_accum_free(acc);
    nsm_accum_free(whole);
    nsm_sweep_cursor_close(cur);
    return st;
}

static int sweep(const nsm_model *m, const nsm_sweep_design *d, const nsm_cli_options *opts,
                 const char *dest, int argc, char **argv)
{
    /* a merge runs on rank 0 alone (main.c), whatever mpirun started */
    const int ranks = opts->parts ? 1 : nsm_cli_world_size();
    const int lead = ranks == 1 || nsm_cli_world_rank() == 0;
    nsm_cli_parts ps = {NULL, 0, ranks, 0.0};
    nsm_cli_options mine = *opts;
    const nsm_cli_options *o = &mine;
    if (ranks > 1)
        mine.parts = &ps; /* for the manifest: ranks and threads per rank */
    int code = 0;
    const int *idx = o->hz.idx, n_h = o->hz.n;
    const double *kept = o->hz.years;
    char work[4096];
    snprintf(work, sizeof work, "%s.partial", dest);
    nsm_diag diag;
    nsm_diag_init(&diag);
    /* a shard's destination is its part, a file: the work folder beside it is all it needs */
    if (lead && ((!o->n_shards && nsm_outdir_check(dest, &diag) != NSM_OK) ||
                 (code = prepare_work(work, m, d, o, &diag)))) {
        nsm_cli_print_diag("sweep", NSM_OK, &diag); /* said, or prepare_work said it */
        code = code ? code : EXIT_CANTCREAT;
    }
    if (ranks > 1)
        code = nsm_cli_world_share(code);
    if (code) {
        nsm_diag_release(&diag);
        return code;
    }
    nsm_progress bar;
    nsm_progress_init(&bar, !o->quiet && isatty(2));
    bar.unit = "points";
    bar.runs_per_unit = (double)o->runs;
    /* the points of this shard, or of this rank: offset, offset + stride, ... */
    const size_t offset = o->n_shards ? o->shard - 1 : ranks > 1 ? (size_t)nsm_cli_world_rank() : 0;
    nsm_sweep_config cf = {nsm_cli_run_config(o, NULL), idx, kept, n_h, o->bom, stop_after_env(),
                           offset, o->n_shards ? o->n_shards : (size_t)ranks, nsm_progress_update,
                           &bar};
    /* under mpirun with few points, the ranks share each point's replications */
    const int within = ranks > 1 && d->n_points < POINTS_A_RANK * (size_t)ranks;
    if (ranks > 1 && !within)
        nsm_cli_ranks_watch(&cf.progress, &cf.progress_ctx);
    size_t done = 0;
    char started[32];
    nsm_cli_now(started);
    double t0 = omp_get_wtime();
    /* Caught until the folder is in place: a stop while assembling keeps DEST.partial. */
    nsm_cli_catch_sigint(1);
    nsm_status st = o->parts && o->parts->n ? unpack_parts(m, d, o->parts, work, &diag)
                    : within                ? run_within(m, d, o, &cf, work, &done, &diag)
                                            : nsm_sweep_run(m, d, work, &cf, &done, &diag);
    nsm_progress_done(&bar);
    nsm_cli_print_warnings(&diag, 0);
    if (ranks > 1 && !within) /* run_within's ranks agreed point by point */
        st = gather_ranks(st, NULL, &ps, &diag);
    if (!lead) {
        code = EXIT_OK; /* rank 0 says what happened */
    } else if (st == NSM_STOPPED) {
        fprintf(stderr, "neasim sweep: %s after %zu new points; the completed points are in "
                "%s/. Continue with the same command and --resume.\n",
                nsm_cli_interrupted ? nsm_cli_stop_name() : "stopped", done, work);
        code = nsm_cli_stop_code();
    } else if (st != NSM_OK) {
        nsm_cli_print_diag("sweep", st, &diag);
        code = nsm_cli_exit_code(st, 0);
    } else if (o->n_shards) {
        code = finish_shard(m, d, o, work, &diag);
    } else {
        code = finish(m, d, o, &cf, work, dest, started, omp_get_wtime() - t0, argc, argv, &diag);
    }
    nsm_cli_catch_sigint(0);
    nsm_cli_parts_release(&ps);
    nsm_diag_release(&diag);
    return code;
}

static int sweep_command(int argc, char **argv, const nsm_cli_parts *parts)
{
    nsm_cli_options o;
    int code = nsm_cli_parse_options(argc, argv, "sweep", SWEEP_HELP, 2, &o);
    if (code)
        return code < 0 ? EXIT_OK : code;
    o.parts = parts;
    if (o.params && !o.design_kind)
        return nsm_cli_usage_error("sweep", "--params selects numbers for --lhs, --sobol or --oat");
    if ((code = nsm_cli_ranks_check("sweep", &o)) != 0)
        return code;
    if (o.n_designs != 1)
        return nsm_cli_usage_error("sweep", "give exactly one design: --design FILE, --grid FILE, "
                                   "--lhs N, --sobol N or --oat");
    nsm_model *m = NULL;
    if ((code = nsm_cli_load(o.scenario, &m, o.quiet)) != EXIT_OK)
        return code;
    if ((code = nsm_cli_horizons("sweep", &o, m)) != EXIT_OK) {
        nsm_model_free(m);
        return code;
    }
    nsm_sweep_design d;
    nsm_diag diag;
    nsm_diag_init(&diag);
    nsm_status st = build_design(m, &o, &d, &diag);
    if (st == NSM_ERR_USAGE && diag.error) { /* an option's: --params, --lhs, --sobol, --oat */
        nsm_cli_print_warnings(&diag, o.quiet);
        code = nsm_cli_usage_error("sweep", "%s", diag.error);
    } else if (st != NSM_OK) {
        nsm_cli_print_diag("sweep", st, &diag);
        code = st == NSM_ERR_USAGE ? EXIT_USAGE : nsm_cli_exit_code(st, 1);
    } else {
        char dest[NSM_NAME_MAX + 32];
        snprintf(dest, sizeof dest, "results/%s-sweep", m->name);
        code = sweep(m, &d, &o, o.out ? o.out : dest, argc, argv);
        nsm_sweep_design_release(&d);
    }
    nsm_diag_release(&diag);
    nsm_model_free(m);
    return code;
}

int nsm_cli_sweep(int argc, char **argv)
{
    return sweep_command(argc, argv, NULL);
}

int nsm_cli_sweep_parts(int argc, char **argv, const nsm_cli_parts *parts)
{
    return sweep_command(argc, argv, parts);
}
