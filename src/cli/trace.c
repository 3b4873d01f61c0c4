/*
** trace.c: `neasim trace SCENARIO --rep R`: replay one replication and tell its story in time
** order: the starting state, then every change of a factor and every counted event, each with its
** cause (a hazard, a calendar entry, an effect of something earlier); in the table, also what a
** condition stopped (a calendar row's `when`, an effect's `when` or `when_due`).
**
** A replication depends only on (model, seed, replication number): every process draws from its
** own stream keyed by them (scenarios/README.md, "Random numbers"), so replaying replication R
** alone gives exactly what replication R did inside `neasim run --seed S`, whatever ran before it
** and on whichever thread (tests/test_trace.c checks it).
*/
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "neasim/arms.h"
#include "neasim/engine.h"
#include "neasim/params.h"
#include "neasim/paths.h"

static const char TRACE_HELP[] =
    "Usage: neasim trace SCENARIO [--rep R] [--seed S] [--arm LEVERS] [--nominal] [--csv]\n"
    "\n"
    "Replay replication R of `neasim run SCENARIO --seed S` and print what happened, in time\n"
    "order: the starting level of every factor (drawn, with the share its level had, or certain),\n"
    "then each change of a factor and each counted event, with its cause, and what a condition\n"
    "stopped (a calendar row's or an effect's when, an effect's when_due). The replay is exact:\n"
    "it is what that replication did inside the run.\n"
    "\n"
    "  -r, --rep R       the replication, counted from 0 (default 0)\n"
    "  -s, --seed S      the run's seed (default 1)\n"
    "  -a, --arm LEVERS  the arm of a comparison, levers joined by '+' (default: the scenario)\n"
    "      --nominal     numbers written as distributions at their means (as run --nominal)\n"
    "      --csv         tidy CSV on stdout instead of a table: rep, t_years, date, kind,\n"
    "                    name, from, to, cause, cause_name\n"
    "  -h, --help        this help\n"
    "  -V, --version     the version\n";

typedef struct {
    const char *scenario, *arm;
    uint64_t rep, seed;
    int nominal, csv;
} trace_options;

/* 0, a usage error's exit code, or -1 for --help (done). */
static int parse(int argc, char **argv, trace_options *o)
{
    static const struct option longs[] = {
        {"rep", required_argument, NULL, 'r'},  {"seed", required_argument, NULL, 's'},
        {"arm", required_argument, NULL, 'a'},  {"nominal", no_argument, NULL, 'N'},
        {"csv", no_argument, NULL, 'c'},        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},    {NULL, 0, NULL, 0}};
    *o = (trace_options){NULL, NULL, 0, 1, 0, 0};
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, ":r:s:a:hV", longs, NULL)) != -1) {
        switch (c) {
        case 'r':
            if (nsm_cli_parse_u64("--rep", optarg, 0, UINT64_MAX - 1, &o->rep))
                return EXIT_USAGE;
            break;
        case 's':
            if (nsm_cli_parse_u64("--seed", optarg, 0, UINT64_MAX, &o->seed))
                return EXIT_USAGE;
            break;
        case 'a': o->arm = optarg; break;
        case 'N': o->nominal = 1; break;
        case 'c': o->csv = 1; break;
        case 'h': fputs(TRACE_HELP, stdout); return -1;
        case 'V': nsm_cli_version(); return -1;
        case ':': return nsm_cli_usage_error("trace", "%s needs a value", argv[optind - 1]);
        default: return nsm_cli_usage_error("trace", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return nsm_cli_usage_error("trace", optind < argc ? "expects exactly one scenario folder"
                                                          : "which scenario? give a folder");
    o->scenario = argv[optind];
    return 0;
}

typedef struct {
    const nsm_model *m;
    int rows;
} story;

/* The table for people; --csv goes through the library's tidy writer (paths.h) instead. */
static void seen(void *ctx, const nsm_seen *w)
{
    story *st = ctx;
    nsm_seen_text t;
    nsm_seen_describe(st->m, w, &t);
    if (st->rows++ == 0)
        printf("%-10s  %-9s  %-9s  %-28s  %-36s  %s\n", "date", "t (years)", "kind", "what",
               "from -> to", "cause");
    char change[sizeof t.condition + 32];
    snprintf(change, sizeof change, "%s%s%s", t.from, *t.from ? " -> " : "", t.to);
    if (w->same_date)
        snprintf(change, sizeof change, "(same date: not counted)");
    else if (w->kind == NSM_SEEN_SKIPPED || w->kind == NSM_SEEN_CANCELLED)
        snprintf(change, sizeof change, "(%s %s fails)",
                 w->kind == NSM_SEEN_SKIPPED ? "when" : "when_due", t.condition);
    printf("%-10s  %9.4f  %-9s  %-28s  %-36s  %s: %s\n", t.date, nsm_years(w->t), t.kind, t.name,
           change, t.cause, t.cause_name);
}

static nsm_status tell(const nsm_model *m, const trace_options *o, const nsm_arm *arm,
                       nsm_diag *d)
{
    /* the table also says what a condition stopped; the CSV is paths.csv's, which does not */
    const nsm_paths_spec p = {o->seed, o->rep, 1,
                              o->nominal ? NSM_UNCERTAINTY_NOMINAL : NSM_UNCERTAINTY_PER_RUN, 1,
                              arm, 0, !o->csv};
    if (o->csv) {
        nsm_csv c = {stdout, "standard output", 0, 0};
        return nsm_paths_rows(&c, m, &p, 1, d);
    }
    for (int e = 0; e < m->n_events; e++)
        if (m->events[e].counts_dates)
            printf("%s counts dates: a second occurrence on one date is listed but not counted\n",
                   m->events[e].name);
    story sty = {m, 0};
    return nsm_paths_replay(m, &p, seen, &sty, NULL, d);
}

/* The arm asked for is the last of "LEVERS" (arms[0] is the baseline). */
static int replay(const nsm_model *m, const trace_options *o)
{
    nsm_diag d;
    nsm_diag_init(&d);
    nsm_arm *arms = NULL;
    int n_arms = 0, code = EXIT_OK;
    nsm_status st = NSM_OK;
    if (o->arm && strchr(o->arm, ','))
        st = nsm_diag_error(&d, NSM_ERR_USAGE, "one arm, levers joined by '+'");
    else if (o->arm)
        st = nsm_arms_build(m, o->arm, 0, o->scenario, &arms, &n_arms, &d);
    if (st == NSM_ERR_USAGE) /* the arm's: its messages name no option */
        code = nsm_cli_usage_error("trace", "--arm: %s", d.error);
    else if (st == NSM_OK)
        st = tell(m, o, arms ? &arms[n_arms - 1] : NULL, &d);
    if (code == EXIT_OK && st != NSM_OK) {
        nsm_cli_print_diag("trace", st, &d);
        code = nsm_cli_exit_code(st, 0);
    }
    nsm_arms_free(arms, n_arms);
    nsm_diag_release(&d);
    return code;
}

int nsm_cli_trace(int argc, char **argv)
{
    trace_options o;
    int code = parse(argc, argv, &o);
    if (code)
        return code < 0 ? EXIT_OK : code;
    nsm_model *m = NULL;
    if ((code = nsm_cli_load(o.scenario, &m, 1)) != EXIT_OK)
        return code;
    code = replay(m, &o);
    nsm_model_free(m);
    return code;
}
