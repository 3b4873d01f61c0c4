/*
** compare.c: `neasim compare SCENARIO --levers a,b,a+b`: every arm on common random numbers,
** paired differences with intervals, and a briefing table on stdout.
*/
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "neasim/compare.h"
#include "neasim/outdir.h"
#include "cli/progress.h"

static const char COMPARE_HELP[] =
    "Usage: neasim compare SCENARIO --levers LIST [--factorial] [--runs N] [--seed S]\n"
    "                      [--threads T] [--out DIR] [--horizons Y1,Y2,...] [--outer N]\n"
    "                      [--bom] [--quiet]\n"
    "\n"
    "Run the scenario as it is (the baseline arm) and with each combination of its levers\n"
    "(levers.csv), all on the same replications with common random numbers, and write every\n"
    "arm's tables with an `arm` column, the paired differences (differences.csv), a briefing\n"
    "table (briefing.csv, also printed) and what each arm changed (arms.csv) into\n"
    "results/<scenario name>-compare/ (or DIR).\n"
    "\n"
    "  -l, --levers LIST   arms: levers joined by '+' and separated by ',' (a,b,a+b), or 'all'\n"
    "      --factorial     every combination of the listed levers\n"
    "  -n, --runs N        replications per arm (default 10000)\n"
    "  -s, --seed S        seed (default 1); the baseline arm equals `run` with this seed\n"
    "  -t, --threads T     threads (default: all cores); results do not depend on it\n"
    "  -o, --out DIR       results folder (default results/<scenario name>-compare)\n"
    "      --horizons LIST years of the briefing table (default 2,5,10)\n"
    "      --nominal       uncertain numbers at their means (default: drawn per replication,\n"
    "                      the same draws in every arm)\n"
    "      --outer N       two levels: N draws of the uncertain numbers, each with --runs\n"
    "                      replications of every arm (the same draw in every arm); adds\n"
    "                      each effect's judgment range (uncertainty_differences.csv)\n"
    "      --precision H   stop once every paired difference of the briefing has a 95%\n"
    "                      interval at most +-H wide (0.01 is +-1 point), adding\n"
    "                      replications in batches of 1000; --runs is then the ceiling\n"
    "                      (default 1000000)\n"
    "      --precision-for LIST\n"
    "                      the differences H is for: OUTCOME (at every --horizons),\n"
    "                      OUTCOME@YEARS or @YEARS (every outcome), separated by commas\n"
    "      --max-events N  a replication of more than N events fails (default 10000000)\n"
    "      --shard I/N     simulate only slice I of N of the replications (--outer: of the\n"
    "                      draws) and write a partial result to --out PART (neasim merge)\n"
    "      --bom           start each CSV with a UTF-8 byte-order mark (for Excel)\n"
    "  -q, --quiet         no progress bar, no table, no warnings\n"
    "  -h, --help          this help\n"
    "  -V, --version       the version\n";

/* Percentage points with their sign, "+3.1" / "-0.4"; a non-zero value that one decimal rounds
** to zero keeps one significant digit ("-0.04", "+0.003"), so that an interval that excludes
** zero never shows 0.0 at an end; exactly zero is "0.0", never "-0.0" (a sign reads as a change
** where there is none; the figures and the brief print it so too). */
static const char *pp(double x, char buf[16])
{
    if (x == 0)
        return "0.0";
    snprintf(buf, 16, "%+.1f", x);
    if (strcmp(buf + 1, "0.0") == 0)
        snprintf(buf, 16, "%+.1g", x);
    return buf;
}

/* One cell of the printed briefing: the change, its Monte Carlo interval and, on two levels, its
** judgment range over the draws. */
static void briefing_cell(const nsm_comparison *cmp, int a, int o, int h, char *cell, size_t n)
{
    const nsm_model *m = cmp->m;
    nsm_difference d = nsm_difference_outcome(m, cmp->acc[0], cmp->acc[a], cmp->paired[a], o, 1,
                                              cmp->horizons.idx[h]);
    char b1[16], b2[16], b3[16];
    int k = snprintf(cell, n, "%5s (%s, %s)%s", pp(100 * d.diff, b1), pp(100 * d.lo, b2),
                     pp(100 * d.hi, b3), d.lo > 0 || d.hi < 0 ? "" : " ~");
    if (cmp->outer && k > 0 && (size_t)k < n) {
        nsm_judgment j = nsm_outer_effect(m, cmp->outer, a, o, h);
        snprintf(cell + k, n - (size_t)k, " [%s, %s]", pp(100 * j.q05, b1), pp(100 * j.q95, b2));
    }
}

static void print_briefing(const nsm_comparison *cmp)
{
    const nsm_model *m = cmp->m;
    const nsm_horizons *hz = &cmp->horizons;
    int w = cmp->outer ? 40 : 24;
    printf("\nChange in the probability that each outcome has occurred, in percentage points\n"
           "(paired 95%% interval; '~' marks a change not distinguishable from zero):\n");
    if (cmp->outer)
        printf("[judgment 5-95%%: the range of the change over the %llu draws of the uncertain "
               "numbers]\n", (unsigned long long)cmp->outer->n_draws);
    for (int a = 1; a < cmp->n_arms; a++) {
        printf("\n%s\n%-34s", cmp->arms[a].name, "outcome");
        for (int h = 0; h < hz->n; h++)
            printf("  %-*s", w, m->report_date[hz->idx[h]]);
        printf("\n");
        for (int o = 0; o < m->n_outcomes; o++) {
            printf("%-34s", m->outcomes[o].name);
            for (int h = 0; h < hz->n; h++) {
                char cell[96];
                briefing_cell(cmp, a, o, h, cell, sizeof cell);
                printf("  %-*s", w, cell);
            }
            printf("\n");
        }
    }
}

typedef struct {
    nsm_accum **acc;
    nsm_paired **paired;
    int n;
    nsm_outer_comparison outer; /* with --outer */
} results;

static void results_free(results *r)
{
    for (int a = 0; a < r->n; a++) {
        nsm_accum_free(r->acc[a]);
        nsm_paired_free(r->paired[a]);
    }
    free(r->acc);
    free(r->paired);
    free(r->outer.p);
    free(r->outer.se);
}

/* With draws > 0 (--outer), also the per-draw probabilities at the horizons hz. */
static int results_alloc(results *r, const nsm_model *m, int n, uint64_t draws,
                         const nsm_horizons *hz)
{
    r->n = n;
    if (draws) {
        size_t cells = (size_t)draws * (size_t)n * (size_t)m->n_outcomes * (size_t)hz->n + 1;
        r->outer = (nsm_outer_comparison){draws, 0, n, *hz, calloc(cells, sizeof(double)),
                                          calloc(cells, sizeof(double))};
        if (!r->outer.p || !r->outer.se)
            return -1;
    }
    r->acc = calloc((size_t)n, sizeof *r->acc);
    r->paired = calloc((size_t)n, sizeof *r->paired);
    for (int a = 0; r->acc && r->paired && a < n; a++)
        if (!(r->acc[a] = nsm_accum_alloc(m)) || (a > 0 && !(r->paired[a] = nsm_paired_alloc(m))))
            return -1;
    return r->acc && r->paired ? 0 : -1;
}

static nsm_status write_folder(const char *staging, const nsm_comparison *cmp,
                               const nsm_manifest *mf, const nsm_cli_options *o, nsm_diag *d)
{
    const char **names = calloc((size_t)cmp->n_arms, sizeof *names);
    if (!names)
        return nsm_diag_error(d, NSM_ERR_NOMEM, "out of memory");
    for (int a = 0; a < cmp->n_arms; a++)
        names[a] = cmp->arms[a].name;
    const nsm_write_options wo = {o->bom};
    nsm_status st = nsm_results_write_arms(staging, cmp->m, cmp->n_arms, names, cmp->acc, mf, &wo,
                                           d);
    free(names);
    if (st == NSM_OK)
        st = nsm_compare_write(staging, cmp, &wo, d);
    return st;
}

static void add_arms(nsm_manifest *mf, const nsm_arm *arms, int n_arms)
{
    char list[1024] = "";
    for (int a = 0; a < n_arms; a++) {
        size_t n = strlen(list);
        snprintf(list + n, sizeof list - n, "%s%s", a ? ";" : "", arms[a].name);
    }
    nsm_manifest_add(mf, "arms", "%s", list);
    nsm_manifest_add(mf, "pairing", "common random numbers: one stream per process, keyed by "
                     "(seed, replication, process)");
}

/* Doubles a draw of compare --outer has in each per-draw table. */
static size_t per_draw(const nsm_comparison *cmp)
{
    return (size_t)cmp->n_arms * (size_t)cmp->m->n_outcomes * (size_t)cmp->horizons.n;
}

/* Every arm's replications first .. first + count - 1, or with --precision (prec) whole batches
** of them until its target. */
static nsm_status replicate(const nsm_comparison *cmp, nsm_run_config *rc, results *res,
                            nsm_cli_precision *prec, nsm_run_stats *rs, uint64_t first,
                            uint64_t count, nsm_diag *d)
{
    const nsm_model *m = cmp->m;
    rc->first_rep = first;
    rc->runs = count;
    if (!prec)
        return nsm_compare_run(m, cmp->arms, cmp->n_arms, rc, res->acc, res->paired, rs, d);
    const nsm_batches b = {NSM_CLI_PRECISION_BATCH, nsm_cli_precision_enough, prec, 0, 1};
    nsm_status st = nsm_compare_run_batched(m, cmp->arms, cmp->n_arms, rc, &b, res->acc,
                                            res->paired, rs, d);
    if (st == NSM_OK)
        nsm_cli_precision_enough(prec); /* the last batch, which the rule did not see */
    return st;
}

/* The results of every arm: read from the parts of a merge, or simulated: items first ..
** first + count - 1 of the whole (replications, or with --outer draws; a shard is a slice;
** prec: with --precision, never for a shard). */
static nsm_status results_of(const nsm_comparison *cmp, const nsm_cli_options *o,
                             nsm_run_config *rc, results *res, nsm_cli_precision *prec,
                             nsm_run_stats *rs, uint64_t first, uint64_t count, nsm_diag *d)
{
    const nsm_model *m = cmp->m;
    if (o->parts) {
        *rs = (nsm_run_stats){rc->threads > 0 ? rc->threads : omp_get_max_threads(), 0, 0,
                              o->parts->wall_seconds};
        double *reals[2] = {res->outer.p, res->outer.se};
        res->outer.runs = o->runs; /* set by nsm_compare_outer when it runs */
        return nsm_cli_parts_read(o->parts, m, o->outer ? o->outer : o->runs, res->acc,
                                  res->paired, cmp->n_arms, reals, o->outer ? 2 : 0,
                                  per_draw(cmp), d);
    }
    if (cmp->outer) {
        rc->first_rep = first * o->runs;
        rc->runs = o->runs;
        return nsm_compare_outer(m, cmp->arms, cmp->n_arms, rc, &res->outer, res->acc,
                                 res->paired, rs, d);
    }
    return replicate(cmp, rc, res, prec, rs, first, count, d);
}

/* Run every arm and write the folder into staging; the caller commits or aborts it. */
static nsm_status run_arms(const nsm_comparison *cmp, const nsm_cli_options *o,
                           const char *staging, results *res, nsm_cli_precision *prec,
                           nsm_manifest *mf, nsm_run_stats *rs, int argc, char **argv,
                           nsm_diag *d)
{
    const nsm_model *m = cmp->m;
    char started[32];
    nsm_cli_now(started);
    nsm_progress bar;
    nsm_progress_init(&bar, !o->quiet && isatty(2));
    nsm_run_config rc = nsm_cli_run_config(o, &bar);
    nsm_status st =
        results_of(cmp, o, &rc, res, prec, rs, 0, o->outer ? o->outer : o->runs, d);
    nsm_progress_done(&bar);
    nsm_cli_options used = *o; /* with --precision, the manifest's runs are those needed */
    used.runs = o->outer ? o->runs : nsm_accum_runs(res->acc[0]);
    if (st == NSM_OK) {
        nsm_cli_manifest(mf, m, &used, rs, started, argc, argv);
        add_arms(mf, cmp->arms, cmp->n_arms);
        if (prec)
            nsm_cli_precision_manifest(mf, prec, o->precision_for ? o->precision_for
                                       : "every outcome at every horizon of the briefing");
        st = write_folder(staging, cmp, mf, o, d);
    }
    return st;
}

/* With --precision: the targets (default: every outcome at every horizon of the briefing) and the
** rule's view of the results; 0 or an exit code after a message. */
static int precision_plan(const nsm_comparison *cmp, const nsm_cli_options *o, results *res,
                          const char **names, nsm_cli_precision *prec)
{
    for (int a = 0; a < cmp->n_arms; a++)
        names[a] = cmp->arms[a].name;
    *prec = (nsm_cli_precision){cmp->m, o->precision, o->runs, NULL, 0, res->acc, res->paired,
                                cmp->n_arms, names, {0, -1, 0}, 0};
    return nsm_cli_precision_targets("compare", o->precision_for, cmp->m, &cmp->horizons,
                                     &prec->targets, &prec->n_targets);
}

/* The printed summary line, the briefing and what became of --precision. */
static void report(const nsm_comparison *cmp, const nsm_cli_options *o,
                   const nsm_cli_precision *prec, const nsm_run_stats *rs, const char *dest)
{
    unsigned long long runs = (unsigned long long)nsm_accum_runs(cmp->acc[0]);
    if (!o->quiet) {
        if (o->outer)
            printf("%s: %d arms x %llu draws x %llu runs in %.2f s on %d threads -> %s/\n",
                   cmp->m->name, cmp->n_arms, (unsigned long long)o->outer,
                   (unsigned long long)o->runs, rs->wall_seconds, rs->threads, dest);
        else
            printf("%s: %d arms x %llu runs in %.2f s on %d threads -> %s/\n", cmp->m->name,
                   cmp->n_arms, runs, rs->wall_seconds, rs->threads, dest);
        print_briefing(cmp);
    }
    if (prec)
        nsm_cli_precision_say(prec, runs, o->quiet);
}

/* Simulate into a staging folder and commit it to dest; the exit code. */
static int compare_into(const nsm_comparison *cmp, const nsm_cli_options *o, results *res,
                        nsm_cli_precision *prec, const char *dest, int argc, char **argv)
{
    char *staging = NULL;
    nsm_diag d;
    nsm_diag_init(&d);
    nsm_run_stats rs;
    /* Caught from before the staging folder exists until it is committed or removed. */
    nsm_cli_catch_sigint(1);
    nsm_manifest *mf = calloc(1, sizeof *mf);
    nsm_status st = mf ? nsm_outdir_begin(dest, &staging, &d)
                       : nsm_diag_error(&d, NSM_ERR_NOMEM, "neasim compare: out of memory");
    nsm_cli_print_warnings(&d, o->quiet);
    if (st == NSM_OK)
        st = run_arms(cmp, o, staging, res, prec, mf, &rs, argc, argv, &d);
    int code = nsm_cli_finish_folder("compare", &st, staging, dest, &d);
    if (st == NSM_OK)
        report(cmp, o, prec, &rs, dest);
    free(staging);
    free(mf);
    nsm_diag_release(&d);
    return code;
}

static int compare(const nsm_model *m, const nsm_arm *arms, int n_arms, const nsm_cli_options *o,
                   const char *dest, const double *years, int n_years, int argc, char **argv)
{
    results res = {0};
    nsm_cli_precision prec = {0};
    nsm_comparison cmp = {m, arms, n_arms, NULL, NULL, {0}, NULL};
    nsm_horizons_find(m, years, n_years, &cmp.horizons);
    const char **names = calloc((size_t)n_arms, sizeof *names);
    int code = EXIT_OK;
    if (!names || results_alloc(&res, m, n_arms, o->outer, &cmp.horizons)) {
        fprintf(stderr, "%s compare: out of memory\n", nsm_cli_prog);
        code = EXIT_SOFTWARE;
    } else if (o->precision) {
        code = precision_plan(&cmp, o, &res, names, &prec);
    }
    cmp.acc = (const nsm_accum *const *)res.acc;
    cmp.paired = res.paired;
    cmp.outer = o->outer ? &res.outer : NULL;
    if (code == EXIT_OK)
        code = compare_into(&cmp, o, &res, o->precision ? &prec : NULL, dest, argc, argv);
    free(names);
    free(prec.targets);
    results_free(&res);
    return code;
}

/* The slice of shard o->shard of o->n_shards of every arm, simulated into a new sealed part. */
static nsm_status slice_part(const nsm_model *m, const nsm_arm *arms, int n_arms,
                             const nsm_cli_options *o, const nsm_horizons *hz, nsm_part **p,
                             nsm_run_stats *rs, nsm_diag *d)
{
    uint64_t first, count;
    nsm_cli_shard_slice(o->outer ? o->outer : o->runs, o->shard, o->n_shards, &first, &count);
    results res = {0};
    *p = NULL;
    nsm_comparison cmp = {m, arms, n_arms, NULL, NULL, *hz, NULL};
    nsm_status st = results_alloc(&res, m, n_arms, o->outer ? count : 0, &cmp.horizons)
                        ? nsm_diag_error(d, NSM_ERR_NOMEM, "out of memory")
                        : NSM_OK;
    cmp.outer = o->outer ? &res.outer : NULL;
    nsm_progress bar;
    nsm_progress_init(&bar, !o->quiet && isatty(2));
    nsm_run_config rc = nsm_cli_run_config(o, &bar);
    nsm_cli_ranks_watch(&rc.progress, &rc.progress_ctx); /* under mpirun */
    if (st == NSM_OK)
        st = results_of(&cmp, o, &rc, &res, NULL, rs, first, count, d);
    nsm_progress_done(&bar);
    if (st == NSM_OK && !(*p = nsm_cli_part_new("compare", m, o, o->shard, o->n_shards, first,
                                                count)))
        st = nsm_diag_error(d, NSM_ERR_NOMEM, "out of memory");
    const double *reals[2] = {res.outer.p, res.outer.se};
    if (st == NSM_OK)
        st = nsm_cli_part_add(*p, res.acc, res.paired, n_arms, reals, o->outer ? 2 : 0,
                              (size_t)count * per_draw(&cmp));
    if (st == NSM_ERR_NOMEM && !d->error)
        nsm_diag_error(d, st, "out of memory");
    results_free(&res);
    return st;
}

/* compare --shard I/N --out PART: simulate the slice, write the partial result (cli/shard.c). */
static int compare_shard(const nsm_model *m, const nsm_arm *arms, int n_arms,
                         const nsm_cli_options *o, const double *years, int n_years)
{
    nsm_diag d;
    nsm_diag_init(&d);
    nsm_run_stats rs = {0, 0, 0, 0.0};
    nsm_part *p = NULL;
    nsm_horizons hz;
    nsm_horizons_find(m, years, n_years, &hz);
    nsm_cli_catch_sigint(1);
    nsm_status st = slice_part(m, arms, n_arms, o, &hz, &p, &rs, &d);
    int code = nsm_cli_finish_part("compare", st, p, o->out, &d);
    const nsm_part_head *h = code == EXIT_OK ? nsm_part_head_of(p) : NULL;
    if (h && !o->quiet)
        printf("%s: %d arms, shard %u/%u, %s %llu..%llu of %llu, in %.2f s -> %s\n", m->name,
               n_arms, o->shard, o->n_shards, o->outer ? "draws" : "replications",
               (unsigned long long)h->first,
               (unsigned long long)(h->first + h->count - (h->count > 0)),
               (unsigned long long)(o->outer ? o->outer : o->runs), rs.wall_seconds, o->out);
    nsm_part_free(p);
    nsm_diag_release(&d);
    return code;
}

/* Under mpirun: every rank simulates its slice; rank 0 gathers the parts and writes. */
static int compare_ranks(const nsm_model *m, const nsm_arm *arms, int n_arms,
                         nsm_cli_options *o, const char *dest, const double *years, int n_years,
                         int argc, char **argv)
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
    nsm_horizons hz;
    nsm_horizons_find(m, years, n_years, &hz);
    nsm_cli_catch_sigint(1);
    nsm_status st = slice_part(m, arms, n_arms, &mine, &hz, &p, &rs, &d);
    st = nsm_cli_ranks_gather(st, p, &d, &ps, &all);
    nsm_part_free(p);
    int code = EXIT_OK;
    if (nsm_cli_world_rank() == 0 && st == NSM_OK) {
        ps.wall_seconds = omp_get_wtime() - t0;
        o->parts = &ps;
        code = compare(m, arms, n_arms, o, dest, years, n_years, argc, argv);
        o->parts = NULL;
    } else if (nsm_cli_world_rank() == 0) {
        code = nsm_cli_finish_part("compare", st, NULL, NULL, &all);
    }
    nsm_cli_catch_sigint(0);
    nsm_cli_parts_release(&ps);
    nsm_diag_release(&d);
    nsm_diag_release(&all);
    return code;
}

static int compare_command(int argc, char **argv, const nsm_cli_parts *parts)
{
    nsm_cli_options o;
    int code = nsm_cli_parse_options(argc, argv, "compare", COMPARE_HELP, 1, &o);
    if (code)
        return code < 0 ? EXIT_OK : code;
    o.parts = parts;
    if (!o.levers)
        return nsm_cli_usage_error("compare", "which levers? give --levers a,b,a+b or --levers all");
    double years[16];
    int n_years;
    if ((code = nsm_cli_horizons("compare", o.horizons, years, &n_years)) != 0)
        return code;
    nsm_model *m = NULL;
    if ((code = nsm_cli_load(o.scenario, &m, o.quiet)) != EXIT_OK)
        return code;
    nsm_arm *arms = NULL;
    int n_arms = 0;
    nsm_diag d;
    nsm_diag_init(&d);
    nsm_status st = nsm_arms_build(m, o.levers, o.factorial, o.scenario, &arms, &n_arms, &d);
    if (st != NSM_OK) {
        nsm_cli_print_diag(&d);
        code = st == NSM_ERR_USAGE ? EXIT_USAGE : nsm_cli_exit_code(st, 1);
    } else {
        char dest[NSM_NAME_MAX + 32];
        snprintf(dest, sizeof dest, "results/%s-compare", m->name);
        const char *out = o.out ? o.out : dest;
        if ((code = nsm_cli_ranks_check("compare", &o)) != 0)
            ;
        else if (nsm_cli_world_size() > 1 && !o.parts)
            code = compare_ranks(m, arms, n_arms, &o, out, years, n_years, argc, argv);
        else if (o.n_shards)
            code = compare_shard(m, arms, n_arms, &o, years, n_years);
        else
            code = compare(m, arms, n_arms, &o, out, years, n_years, argc, argv);
    }
    nsm_diag_release(&d);
    nsm_arms_free(arms, n_arms);
    nsm_model_free(m);
    return code;
}

int nsm_cli_compare(int argc, char **argv)
{
    return compare_command(argc, argv, NULL);
}

int nsm_cli_compare_parts(int argc, char **argv, const nsm_cli_parts *parts)
{
    return compare_command(argc, argv, parts);
}
