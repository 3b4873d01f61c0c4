/*
** run.c: `neasim run SCENARIO`: simulate, write the results folder atomically, summarise.
*/
#include <getopt.h>
#include <math.h>
#include <omp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "neasim/accum.h"
#include "neasim/engine.h"
#include "neasim/compare.h"
#include "neasim/outdir.h"
#include "neasim/outer.h"
#include "neasim/paths.h"
#include "neasim/results.h"
#include "neasim/rng.h"
#include "neasim/stats.h"
#include "neasim/story.h"
#include "neasim/storyout.h"
#include "neasim/summary.h"
#include "neasim/text.h"
#include "neasim/xlsx.h"
#include "cli/progress.h"

static const char RUN_HELP[] =
    "Usage: neasim run SCENARIO [--runs N] [--seed S] [--threads T] [--out DIR] [--bom] [--xlsx]\n"
    "                  [--quiet]\n"
    "\n"
    "Simulate the scenario in folder SCENARIO and write its outcome distributions as tidy CSV\n"
    "into results/<scenario name>/ (or DIR). The folder is replaced only when the run succeeds.\n"
    "\n"
    "  -n, --runs N      replications (default 10000)\n"
    "  -s, --seed S      seed, any 64-bit number (default 1); same seed, same results\n"
    "  -t, --threads T   threads (default: all cores); results do not depend on it\n"
    "  -o, --out DIR     results folder (default results/<scenario name>)\n"
    "      --nominal     numbers written as distributions at their means (default: drawn\n"
    "                    afresh for every replication)\n"
    "      --outer N     two levels: N draws of the uncertain numbers, each with --runs\n"
    "                    replications (N x runs in all); adds uncertainty.csv; a\n"
    "                    judgment range that is mostly Monte Carlo noise is marked '?'\n"
    "      --horizons L  years of the summary (and with --outer of uncertainty.csv),\n"
    "                    each a report date (default 2,5,10 within the horizon, and\n"
    "                    its end)\n"
    "      --paths K     paths.csv: the story of replications 0..K-1 (as `neasim trace`)\n"
    "      --routes      routes.csv: the routes by which each outcome begins to hold\n"
    "      --signposts   signposts.csv: what, seen by a watch date, announces an onset\n"
    "      --watch L     the signposts' watch dates, years (default 1,2,3 before\n"
    "                    the end; at most 8)\n"
    "      --precision H stop once every 95% interval of the summary is at most +-H wide (a\n"
    "                    probability: 0.01 is +-1 point), adding replications in batches of\n"
    "                    1000; --runs is then the ceiling (default 1000000). With --outer,\n"
    "                    draws (30, then 10 at a time) up to --outer N, the intervals those\n"
    "                    of the mean over the draws\n"
    "      --precision-for LIST\n"
    "                    the probabilities H is for: OUTCOME (at every date of the summary),\n"
    "                    OUTCOME@YEARS or @YEARS (every outcome), separated by commas\n"
    "      --max-events N\n"
    "                    a replication of more than N events fails, naming the process\n"
    "                    that runs away (default 10000000)\n"
    "      --shard I/N   simulate only slice I of N of the replications (--outer: of the\n"
    "                    draws) and write a partial result to --out PART; `neasim merge`\n"
    "                    joins the N parts into the results folder, byte for byte\n"
    "      --bom         start each CSV with a UTF-8 byte-order mark (for Excel)\n"
    "      --xlsx        also results.xlsx: every table as a sheet, typed cells\n"
    "  -q, --quiet       no progress bar, no summary, no warnings\n"
    "  -h, --help        this help\n"
    "  -V, --version     the version\n";

/* The summary's widest outcome column: labels longer than this are cut (with "...") rather than
** push every number off the right of the screen. */
enum { ROW_NAME_MAX = 48 };

/* Outcome o as the summary's rows name it: its label (its name when it has none), " (onset)" after
** an onset when `onset_mark` is set, cut to `width` terminal columns (labels are free UTF-8 text,
** text.h); the full labels are in labels.csv. */
static void row_name(const nsm_model *m, int o, int onset_mark, int width, char *buf, size_t n)
{
    const nsm_outcome *oc = &m->outcomes[o];
    const char *mark = onset_mark && oc->occurrence == NSM_OCCUR_ONSET ? " (onset)" : "";
    char text[1024]; /* >= 4 bytes a column of ROW_NAME_MAX: a cut by bytes never shows */
    snprintf(text, sizeof text, "%s", nsm_label_or_name(oc->label, oc->name));
    nsm_text_fit(text, width - (int)strlen(mark));
    snprintf(buf, n, "%s%s", text, mark);
}

/* Outcome o's share of runs that start in its condition, as a row under the table (with --outer,
** the interval of the mean over the draws: nsm_series_proportion). */
static void start_row(const nsm_model *m, const nsm_accum *a, int o, int width)
{
    nsm_proportion p = nsm_series_proportion(a, NSM_SERIES_HELD, o, 0,
                                             nsm_accum_outcome_held_count(a, o, 0));
    char name[1100];
    row_name(m, o, 0, width, name, sizeof name);
    printf("  ");
    nsm_text_pad(stdout, name, width);
    printf("%5.1f%% (%.1f-%.1f)\n", 100 * p.p, 100 * p.lo, 100 * p.hi);
}

/* What the start does to the table's counting. Onset outcomes leave out the runs that start in the
** condition: say how many, apart. State outcomes count them, as if today's uncertain state were an
** event: say how many, for those that hold at the start in some runs (formal-alignment's
** coordination holds in 70%, and its 99% "by" 2036 read as a forecast). */
static void start_notes(const nsm_model *m, const nsm_accum *a, int width)
{
    int none = 0, some = 0, states = 0;
    for (int o = 0; o < m->n_outcomes; o++) {
        int held = nsm_accum_outcome_held_count(a, o, 0) > 0;
        if (m->outcomes[o].occurrence == NSM_OCCUR_ONSET)
            *(held ? &some : &none) += 1;
        else
            states += held;
    }
    int onsets = none + some;
    if (onsets)
        printf("\n(onset): only runs in which the condition begins to hold after the start count; ");
    if (onsets && !some)
        printf("no run starts in\nany of these conditions.\n");
    else if (onsets) {
        printf("it holds at the start in\n");
        for (int o = 0; o < m->n_outcomes; o++)
            if (m->outcomes[o].occurrence == NSM_OCCUR_ONSET &&
                nsm_accum_outcome_held_count(a, o, 0))
                start_row(m, a, o, width);
        if (none)
            printf("and in no run for the other %d.\n", none);
    }
    if (!states)
        return;
    printf("\n%s count every run that is in the condition at some time, the start included, so\n"
           "that a run starting in it counts as if it had happened; it holds at the start in\n",
           onsets ? "Outcomes without (onset)" : "The outcomes");
    for (int o = 0; o < m->n_outcomes; o++)
        if (m->outcomes[o].occurrence != NSM_OCCUR_ONSET && nsm_accum_outcome_held_count(a, o, 0))
            start_row(m, a, o, width);
}

/* The spread over the draws (uncertainty.csv's row) of outcome o at report i when run --outer has
** it at that report; 0 if it does not. */
static int spread_at(const nsm_model *m, const nsm_outer_result *r, int o, int i, double *v,
                     nsm_outer_spread *sp)
{
    const int n_h = r ? r->horizons.n : 0;
    for (int h = 0; h < n_h; h++)
        if (r->horizons.idx[h] == i) {
            for (uint64_t d = 0; d < r->n_draws; d++)
                v[d] = r->p[d * (uint64_t)(m->n_outcomes * n_h) + (uint64_t)(o * n_h + h)];
            *sp = nsm_outer_spread_of(v, (size_t)r->n_draws, r->runs);
            return 1;
        }
    return 0;
}

/* Outcome o's share at report i (first: the runs in which it has occurred by each report) with
** its Monte Carlo interval (nsm_series_proportion: with --outer the mean over the draws', which
** counts the draws as the sample they are), and with --outer at a horizon of uncertainty.csv its
** judgment range, q05 to q95 (the same numbers as nsm_judgment_of's), marked '?' when it is mostly
** the Monte Carlo noise of a draw (nsm_mostly_noise, uncertainty.csv's judgment_mostly_noise):
** 1 then, 0 otherwise. */
static int summary_cell(const nsm_model *m, const nsm_accum *a, const nsm_outer_result *outer,
                        int o, int i, const int64_t *first, double *v, int last)
{
    nsm_proportion p = nsm_series_proportion(a, NSM_SERIES_OCCURRED, o, i, first[i]);
    nsm_outer_spread sp;
    char cell[80];
    int noise = 0;
    if (!outer)
        snprintf(cell, sizeof cell, "%5.1f%% (%.1f-%.1f)", 100 * p.p, 100 * p.lo, 100 * p.hi);
    else if (spread_at(m, outer, o, i, v, &sp)) {
        noise = nsm_mostly_noise(sp.between_sd, sp.monte_carlo_sd);
        snprintf(cell, sizeof cell, "%5.1f%% (MC %.1f-%.1f; judgment 5-95%%: %.1f-%.1f)%s",
                 100 * p.p, 100 * p.lo, 100 * p.hi, 100 * sp.q05, 100 * sp.q95, noise ? "?" : "");
    } else
        snprintf(cell, sizeof cell, "%5.1f%% (MC %.1f-%.1f)", 100 * p.p, 100 * p.lo, 100 * p.hi);
    printf("  %-*s", last ? 0 : outer ? 51 : 22, cell); /* no trailing blanks */
    return noise;
}

/* outer: run --outer's draws (NULL without), whose judgment ranges the cells show beside the
** Monte Carlo intervals at the horizons they were computed for. */
static void summary(const nsm_model *m, const nsm_accum *a,
                    const char *dest, const nsm_horizons *hz, const nsm_outer_result *outer,
                    const char *how)
{
    const int *idx = hz->idx, n_idx = hz->n;
    uint64_t runs = nsm_accum_runs(a);
    printf("%s: %llu run%s %s -> %s/\n", m->name, (unsigned long long)runs, runs == 1 ? "" : "s",
           how, dest);
    if (m->n_outcomes == 0)
        return;
    int width = 34; /* as wide as the widest label and its " (onset)", up to ROW_NAME_MAX */
    for (int o = 0; o < m->n_outcomes; o++) {
        const nsm_outcome *oc = &m->outcomes[o];
        int w = nsm_text_width(nsm_label_or_name(oc->label, oc->name)) +
                (oc->occurrence == NSM_OCCUR_ONSET ? 9 : 0);
        width = w > width ? w : width;
    }
    width = width > ROW_NAME_MAX ? ROW_NAME_MAX : width;
    if (outer) {
        printf("\nProbability that each outcome has occurred by each date (MC: 95%% Monte Carlo\n"
               "interval of the average over judgments, counting the %llu draws as the sample they\n"
               "are; judgment: 5%% to 95%% of the probability over the draws of the uncertain\n"
               "numbers).\n",
               (unsigned long long)outer->n_draws);
        nsm_cli_few_draws_note(outer->n_draws, 0);
        nsm_cli_judgment_range_note(outer->n_draws, "values");
        printf("%-*s", width, "outcome");
    } else
        printf("\nProbability that each outcome has occurred by each date (in parentheses, its 95%%\n"
               "Monte Carlo interval: how precisely the runs pin it down, not how much it depends\n"
               "on the judgments; for that, --outer):\n%-*s", width, "outcome");
    for (int k = 0; k < n_idx; k++)
        printf("  %-*s", k + 1 == n_idx ? 0 : outer ? 51 : 22, m->report_date[idx[k]]);
    printf("\n");
    int64_t *first = malloc(((size_t)m->n_reports + 1) * sizeof *first);
    double *v = malloc(((size_t)(outer ? outer->n_draws : 0) + 1) * sizeof *v);
    int noise = 0;
    for (int o = 0; first && v && o < m->n_outcomes; o++) {
        nsm_occurred_by(m, a, o, first);
        char name[1100];
        row_name(m, o, 1, width - 1, name, sizeof name); /* a blank before the numbers */
        nsm_text_pad(stdout, name, width);
        for (int k = 0; k < n_idx; k++)
            noise |= summary_cell(m, a, outer, o, idx[k], first, v, k + 1 == n_idx);
        printf("\n");
    }
    if (noise)
        printf("?: a judgment range that is mostly the Monte Carlo noise of a draw, not judgment:\n"
               "the draws' spread is at most 1.41 times the noise of one draw's probability\n"
               "(uncertainty.csv: between_draws_sd, monte_carlo_sd); more --runs a draw shrink\n"
               "the noise and show the judgment range.\n");
    free(first);
    free(v);
    start_notes(m, a, width - 2);
}

typedef struct {
    nsm_outer_result r;
} outer_plan;

/* The horizons and the per-draw table of run --outer, for n_draws draws. */
static nsm_status outer_setup(const nsm_model *m, const nsm_cli_options *o, outer_plan *op,
                              uint64_t n_draws, nsm_diag *d)
{
    op->r.horizons = o->hz;
    op->r.n_draws = n_draws;
    op->r.runs = o->runs;
    op->r.p = calloc((size_t)n_draws * (size_t)(m->n_outcomes * op->r.horizons.n) + 1,
                     sizeof *op->r.p);
    if (!op->r.p)
        return nsm_diag_error(d, NSM_ERR_NOMEM, "out of memory");
    return NSM_OK;
}

/* Doubles a draw of run --outer has in the per-draw table. */
static size_t outer_block(const nsm_model *m, const outer_plan *op)
{
    return (size_t)(m->n_outcomes * op->r.horizons.n);
}

/* Replications first .. first + count - 1, or with --precision (prec) whole batches of them
** until its target; their routes and signposts into story (NULL without). */
static nsm_status replicate(const nsm_model *m, nsm_run_config *rc, nsm_accum *acc,
                            nsm_story *story, nsm_cli_precision *prec, nsm_run_stats *rs,
                            uint64_t first, uint64_t count, nsm_diag *d)
{
    rc->first_rep = first;
    rc->runs = count;
    if (!prec)
        return nsm_run_story_batched(m, rc, NULL, acc, story, rs, d);
    const nsm_batches b = {NSM_CLI_PRECISION_BATCH, nsm_cli_precision_enough, prec, 0, 1};
    nsm_status st = nsm_run_story_batched(m, rc, &b, acc, story, rs, d);
    if (st == NSM_OK)
        nsm_cli_precision_enough(prec); /* the last batch, which the rule did not see */
    return st;
}

/* What a batch of run --outer's draws runs into (draws_of): the totals, and the per-draw table
** whose row 0 is draw `base` of the whole. */
typedef struct {
    const nsm_model *m;
    outer_plan *op;
    nsm_accum *acc;
    uint64_t base;
} draws_plan;

/* Draws first .. first + count - 1 of the whole, each of rc->runs replications
** (nsm_cli_draws_batch: with --precision, a batch). */
static nsm_status draws_of(void *ctx, nsm_run_config *rc, uint64_t first, uint64_t count,
                           nsm_run_stats *rs, nsm_diag *d)
{
    const draws_plan *dp = ctx;
    nsm_outer_result rows = dp->op->r;
    rows.n_draws = count;
    rows.p += (first - dp->base) * outer_block(dp->m, dp->op);
    rc->first_rep = first * rc->runs;
    return nsm_run_outer(dp->m, rc, &rows, dp->acc, rs, d);
}

/* The results of the run: read from the parts of a merge, or simulated: items first ..
** first + count - 1 of the whole (replications, or with --outer draws; a shard is a slice;
** prec: with --precision, never for a shard: replications, or with --outer draws, in batches
** until its target, count the ceiling; with parts, those of a --precision under mpirun; story:
** the routes and signposts too, NULL without them). */
static nsm_status results_of(const nsm_model *m, const nsm_cli_options *o, nsm_run_config *rc,
                             nsm_accum *acc, nsm_story *story, outer_plan *op,
                             nsm_cli_precision *prec, nsm_run_stats *rs, uint64_t first,
                             uint64_t count, nsm_diag *d)
{
    /* --precision under mpirun: one part of the items used, below the ceiling */
    const uint64_t total = !o->parts             ? count
                           : prec && o->parts->n ? nsm_part_head_of(o->parts->part[0])->count
                           : o->outer            ? o->outer
                                                 : o->runs;
    nsm_status st = o->outer ? outer_setup(m, o, op, total, d) : NSM_OK;
    if (st != NSM_OK)
        return st;
    if (o->parts) {
        *rs = (nsm_run_stats){rc->threads > 0 ? rc->threads : omp_get_max_threads(), 0, 0,
                              o->parts->wall_seconds};
        double *reals = op->r.p;
        st = nsm_cli_parts_read(o->parts, &m, 1, total, &acc, NULL, 1, NULL, story, &reals,
                                o->outer ? 1 : 0, outer_block(m, op), d);
        if (st == NSM_OK && prec) /* --precision under mpirun: the rule on what rank 0 writes */
            nsm_cli_precision_enough(prec);
        return st;
    }
    if (o->outer) {
        rc->runs = o->runs;
        draws_plan dp = {m, op, acc, first};
        if (!prec)
            return draws_of(&dp, rc, first, count, rs, d);
        st = nsm_cli_precision_draws(prec, rc, draws_of, &dp, rs, &op->r.n_draws, d);
        op->r.runs = o->runs;
        return st;
    }
    return replicate(m, rc, acc, story, prec, rs, first, count, d);
}

/* The story accumulator that --routes and --signposts ask for (*out stays NULL without them). */
static nsm_status story_plan(const nsm_model *m, const nsm_cli_options *o, nsm_story **out,
                             nsm_diag *d)
{
    nsm_story_options so = {o->routes, o->signposts, 0, {0}};
    if (o->watch && !o->signposts) /* and a part's options would not carry it */
        return nsm_diag_error(d, NSM_ERR_USAGE, "--watch is for --signposts");
    if (!o->routes && !o->signposts)
        return NSM_OK;
    if (o->outer)
        return nsm_diag_error(d, NSM_ERR_USAGE, "--routes and --signposts do not combine with "
                              "--outer");
    char watch[64];
    nsm_cli_watch_default(m, watch, sizeof watch);
    /* routes alone have no watch dates */
    char *buf = strdup(!o->signposts ? "" : o->watch ? o->watch : watch), *save = NULL;
    if (!buf)
        return nsm_diag_error(d, NSM_ERR_NOMEM, "out of memory");
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *end;
        double y = strtod(tok, &end);
        if (*end || so.n_watch == NSM_STORY_MAX_WATCH) {
            free(buf);
            return nsm_diag_error(d, NSM_ERR_USAGE, "--watch expects up to %d numbers of years "
                                  "separated by commas, got '%s'", NSM_STORY_MAX_WATCH, o->watch);
        }
        so.watch_years[so.n_watch++] = y;
    }
    free(buf);
    nsm_status st = so.n_watch || !o->signposts ? nsm_story_check(m, &so, d)
                     : o->watch ? nsm_diag_error(d, NSM_ERR_USAGE, "--watch is empty")
                                : nsm_diag_error(d, NSM_ERR_USAGE, "%s's horizon is too short "
                                                 "for a watch date (a month at least before its "
                                                 "end)", m->name);
    if (st == NSM_OK && !(*out = nsm_story_alloc(m, &so)))
        st = nsm_diag_error(d, NSM_ERR_NOMEM, "out of memory");
    return st;
}

/* Simulate and write into the staging folder; the caller commits or aborts it. */
static nsm_status simulate(const nsm_model *m, const nsm_cli_options *o, const char *staging,
                           nsm_accum *acc, outer_plan *op, nsm_cli_precision *prec,
                           nsm_run_stats *rs, int argc, char **argv, nsm_diag *d)
{
    char started[32];
    nsm_cli_now(started);
    nsm_progress bar;
    nsm_progress_init(&bar, !o->quiet && isatty(2));
    nsm_run_config rc = nsm_cli_run_config(o, &bar);
    if (prec) { /* the bar of the count the target needs */
        bar.precision_h = prec->h;
        prec->bar = &bar;
    }
    nsm_story *story = NULL;
    nsm_status st = story_plan(m, o, &story, d);
    if (st == NSM_OK)
        st = results_of(m, o, &rc, acc, story, op, prec, rs, 0, o->outer ? o->outer : o->runs, d);
    nsm_progress_done(&bar);
    if (prec)
        prec->bar = NULL; /* it pointed at this frame's bar */
    nsm_manifest *mf = st == NSM_OK ? calloc(1, sizeof *mf) : NULL;
    if (st == NSM_OK && !mf)
        st = nsm_diag_error(d, NSM_ERR_NOMEM, "out of memory");
    const nsm_write_options wo = {o->bom};
    nsm_cli_options used = *o; /* with --precision, the runs (draws) needed */
    used.runs = o->outer ? o->runs : nsm_accum_runs(acc);
    used.outer = o->outer ? op->r.n_draws : 0;
    if (st == NSM_OK) {
        nsm_cli_manifest(mf, m, &used, rs, started, argc, argv);
        if (prec)
            nsm_cli_precision_manifest(mf, prec, o->precision_for ? o->precision_for
                                       : "every outcome at every date of the summary");
        st = nsm_results_write(staging, m, acc, mf, &wo, d);
    }
    if (st == NSM_OK && o->outer)
        st = nsm_outer_write(staging, m, &op->r, &wo, d);
    if (st == NSM_OK && o->paths) {
        /* replayed, not recorded during the run: the same paths, at no cost to the run itself */
        const nsm_paths_spec ps = {o->seed, 0, o->paths < used.runs ? o->paths : used.runs,
                                   o->outer ? NSM_UNCERTAINTY_OUTER : rc.uncertainty, o->runs,
                                   NULL, o->max_events, 0};
        st = nsm_paths_write(staging, m, &ps, o->bom, d);
    }
    if (st == NSM_OK && story && (st = nsm_story_finish(story)) != NSM_OK)
        nsm_diag_error(d, st, "out of memory");
    if (st == NSM_OK && story)
        st = nsm_story_write(staging, m, story, o->bom, d);
    nsm_story_free(story);
    if (st == NSM_OK && o->xlsx) /* last: it is built from the CSVs above */
        st = nsm_xlsx_write(staging, NULL, d);
    free(mf);
    return st;
}

static int simulate_and_write(const nsm_model *m, const nsm_cli_options *o, const char *dest,
                              nsm_cli_precision *prec, int argc, char **argv)
{
    char *staging = NULL;
    outer_plan op = {0};
    nsm_run_stats rs = {0, 0, 0, 0.0};
    nsm_diag d;
    nsm_diag_init(&d);
    /* Caught from before the staging folder exists until it is committed or removed. */
    nsm_cli_catch_sigint(1);
    nsm_accum *acc = nsm_accum_alloc(m);
    if (prec)
        prec->acc = &acc;
    nsm_status st = acc ? nsm_outdir_begin(dest, &staging, &d)
                        : nsm_diag_error(&d, NSM_ERR_NOMEM, "out of memory");
    nsm_cli_print_warnings(&d, o->quiet);
    if (st == NSM_OK)
        st = simulate(m, o, staging, acc, &op, prec, &rs, argc, argv, &d);
    int code = nsm_cli_finish_folder("run", &st, staging, dest, &d);
    if (st == NSM_OK && !o->quiet) { /* rs is filled only by a run that went through */
        char how[64];
        nsm_cli_how(o, &rs, how, sizeof how);
        summary(m, acc, dest, &o->hz, o->outer ? &op.r : NULL, how);
    }
    if (st == NSM_OK && prec)
        nsm_cli_precision_say(prec, o->outer ? op.r.n_draws : nsm_accum_runs(acc), o->quiet);
    free(staging);
    free(op.r.p);
    nsm_diag_release(&d);
    nsm_accum_free(acc);
    if (prec)
        prec->acc = NULL; /* it pointed at this frame's acc */
    return code;
}

/* What run gives the slices (cli/slices.c): its model, and where rank 0 writes. */
typedef struct {
    const nsm_model *m;
    nsm_cli_precision *prec; /* --precision (NULL without) */
    const char *dest;
    int argc;
    char **argv;
} run_plan;

/* Items first .. first + count - 1, shard o->shard of o->n_shards, simulated into a new sealed
** part *p (the slicer's part). */
static nsm_status part_of(void *ctx, const nsm_cli_options *o, uint64_t first, uint64_t count,
                          nsm_part **p, nsm_run_stats *rs, nsm_diag *d)
{
    const nsm_model *m = ((const run_plan *)ctx)->m;
    outer_plan op = {0};
    nsm_progress bar;
    nsm_progress_init(&bar, !o->quiet && isatty(2));
    nsm_run_config rc = nsm_cli_run_config(o, &bar);
    nsm_cli_ranks_watch(&rc.progress, &rc.progress_ctx); /* under mpirun */
    nsm_accum *acc = nsm_accum_alloc(m);
    nsm_story *story = NULL;
    *p = NULL;
    nsm_status st = acc ? story_plan(m, o, &story, d)
                        : nsm_diag_error(d, NSM_ERR_NOMEM, "out of memory");
    if (st == NSM_OK)
        st = results_of(m, o, &rc, acc, story, &op, NULL, rs, first, count, d);
    nsm_progress_done(&bar);
    /* sorted before it is packed, so that a part's bytes do not depend on the threads */
    if (st == NSM_OK && story && nsm_story_finish(story) != NSM_OK)
        st = nsm_diag_error(d, NSM_ERR_NOMEM, "out of memory");
    if (st == NSM_OK && !(*p = nsm_cli_part_new("run", m, o, o->shard, o->n_shards, first, count)))
        st = nsm_diag_error(d, NSM_ERR_NOMEM, "out of memory");
    const double *reals = op.r.p;
    if (st == NSM_OK)
        st = nsm_cli_part_add(*p, &acc, NULL, 1, NULL, story, &reals, o->outer ? 1 : 0,
                              (size_t)count * outer_block(m, &op), rs->events);
    if (st == NSM_ERR_NOMEM && !d->error)
        nsm_diag_error(d, st, "out of memory");
    nsm_story_free(story);
    nsm_accum_free(acc);
    free(op.r.p);
    return st;
}

/* Rank 0 under mpirun: the results folder from the ranks' parts (the slicer's write). */
static int plan_write(void *ctx, nsm_cli_options *o)
{
    const run_plan *rp = ctx;
    return simulate_and_write(rp->m, o, rp->dest, rp->prec, rp->argc, rp->argv);
}

/* --routes, --signposts and --watch checked before anything runs: EXIT_OK, or EXIT_USAGE after
** the message (the same on one process, a shard or every rank). */
static int story_usage(const nsm_model *m, const nsm_cli_options *o)
{
    nsm_story *story = NULL;
    nsm_diag d;
    nsm_diag_init(&d);
    nsm_status st = story_plan(m, o, &story, &d);
    int code = st == NSM_OK          ? EXIT_OK
               : st == NSM_ERR_USAGE ? nsm_cli_usage_error("run", "%s", d.error)
                                     : nsm_cli_exit_code(st, 0);
    if (st == NSM_ERR_NOMEM)
        fprintf(stderr, "%s run: out of memory\n", nsm_cli_prog);
    nsm_story_free(story);
    nsm_diag_release(&d);
    return code;
}

/* --shard (simulate and write a part), or under mpirun every rank's slice and rank 0 writes;
** with --precision (prec) under mpirun, the slices are of every batch, added into a total. */
static int run_slices(const nsm_model *m, nsm_cli_options *o, nsm_cli_precision *prec,
                      const char *dest, int argc, char **argv)
{
    run_plan rp = {m, prec, dest, argc, argv};
    const nsm_cli_slicer s = {"run", m, 0, &rp, part_of, plan_write};
    if (o->n_shards)
        return nsm_cli_slices_shard(&s, o);
    nsm_accum *total = prec ? nsm_accum_alloc(m) : NULL;
    nsm_story *story = NULL;
    /* --outer: the per-draw table, up to the ceiling, that the batches' parts fill on rank 0
    ** (the only rank that reads them) */
    outer_plan op = {0};
    nsm_diag d;
    nsm_diag_init(&d);
    nsm_status ready = prec && !total ? NSM_ERR_NOMEM : NSM_OK;
    if (prec && ready == NSM_OK) /* the batches' routes and signposts, added on rank 0 */
        ready = story_plan(m, o, &story, &d);
    if (prec && o->outer && ready == NSM_OK)
        ready = outer_setup(m, o, &op, nsm_cli_world_rank() == 0 ? o->outer : 0, &d);
    if (prec) {
        prec->acc = &total;
        prec->story = story;
        prec->reals = o->outer ? &op.r.p : NULL;
        prec->n_reals = o->outer ? 1 : 0;
        prec->per_draw = outer_block(m, &op);
    }
    int code = nsm_cli_slices_ranks(&s, o, prec, ready);
    if (prec) { /* they pointed at this frame's total, story and table */
        prec->acc = NULL;
        prec->story = NULL;
        prec->reals = NULL;
    }
    free(op.r.p);
    nsm_story_free(story);
    nsm_accum_free(total);
    nsm_diag_release(&d);
    return code;
}

static int run_command(int argc, char **argv, const nsm_cli_parts *parts)
{
    nsm_cli_options o;
    int code = nsm_cli_parse_options(argc, argv, "run", RUN_HELP, 0, &o);
    if (code)
        return code < 0 ? EXIT_OK : code;
    o.parts = parts;
    nsm_model *m = NULL;
    if ((code = nsm_cli_load(o.scenario, &m, o.quiet)) != EXIT_OK)
        return code;
    nsm_cli_precision prec = {m, o.precision, o.outer ? o.outer : o.runs, NULL, 0, NULL, NULL, 1,
                              NULL, {0, -1, 0}, 0, 0, NULL, NULL, 0, 0, NULL, NULL,
                              o.outer ? o.runs : 0, NULL, 0, 0, NULL, NULL};
    code = nsm_cli_horizons("run", &o, m);
    if (code == EXIT_OK && o.precision)
        code = nsm_cli_precision_targets("run", o.precision_for, m, &o.hz, NULL, 0,
                                         &prec.targets, &prec.n_targets, NULL);
    if (code == EXIT_OK && o.precision && nsm_cli_precision_room(&prec) != 0) {
        fprintf(stderr, "%s run: out of memory\n", nsm_cli_prog);
        code = EXIT_SOFTWARE;
    }
    char defdest[NSM_NAME_MAX + 16];
    snprintf(defdest, sizeof defdest, "results/%s", m->name);
    const char *dest = o.out ? o.out : defdest;
    if (code != EXIT_OK || (code = nsm_cli_ranks_check("run", &o)) != 0 ||
        (code = story_usage(m, &o)) != EXIT_OK)
        ;
    else if ((nsm_cli_world_size() > 1 && !o.parts) || o.n_shards)
        code = run_slices(m, &o, o.precision ? &prec : NULL, dest, argc, argv);
    else
        code = simulate_and_write(m, &o, dest, o.precision ? &prec : NULL, argc, argv);
    nsm_cli_precision_release(&prec);
    nsm_model_free(m);
    return code;
}

int nsm_cli_run(int argc, char **argv)
{
    return run_command(argc, argv, NULL);
}

int nsm_cli_run_parts(int argc, char **argv, const nsm_cli_parts *parts)
{
    return run_command(argc, argv, parts);
}
