/*
** trace.c: `neasim trace SCENARIO --rep R`: replay one replication and tell its story in time
** order: the starting state, then every change of a factor and every counted event, each with its
** cause (a hazard, a calendar entry, an effect of something earlier).
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

static const char TRACE_HELP[] =
    "Usage: neasim trace SCENARIO [--rep R] [--seed S] [--arm LEVERS] [--nominal] [--csv]\n"
    "\n"
    "Replay replication R of `neasim run SCENARIO --seed S` and print what happened, in time\n"
    "order: the starting level of every factor, then each change of a factor and each counted\n"
    "event, with its cause. The replay is exact: it is what that replication did inside the run.\n"
    "\n"
    "  -r, --rep R       the replication, counted from 0 (default 0)\n"
    "  -s, --seed S      the run's seed (default 1)\n"
    "  -a, --arm LEVERS  the arm of a comparison, levers joined by '+' (default: the scenario)\n"
    "      --nominal     numbers written as distributions at their means (as run --nominal)\n"
    "      --csv         tidy CSV on stdout instead of a table: rep, t_years, date, kind,\n"
    "                    name, from, to, cause, cause_name\n"
    "  -h, --help        this help\n";

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
        {NULL, 0, NULL, 0}};
    *o = (trace_options){NULL, NULL, 0, 1, 0, 0};
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, ":r:s:a:h", longs, NULL)) != -1) {
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
    const trace_options *o;
    int rows;
} story;

/* The cause in the scenario's terms: "hazard", "calendar", "effect", "start", and what. */
static void cause_text(const nsm_model *m, const nsm_seen *w, const char **kind, char *name,
                       size_t n)
{
    static const char *const kinds[] = {"start", "hazard", "calendar", "effect"};
    *kind = kinds[w->cause];
    switch (w->cause) {
    case NSM_CAUSE_START: snprintf(name, n, "initial draw"); break;
    case NSM_CAUSE_HAZARD: nsm_process_name(m, w->cause_index, name, n); break;
    case NSM_CAUSE_CALENDAR: {
        const nsm_occurrence *oc = &m->occurrences[w->cause_index];
        snprintf(name, n, "%s (calendar.csv row %d)", m->calendar_names[oc->entry], oc->row);
        break;
    }
    case NSM_CAUSE_EFFECT: {
        const nsm_effect *e = &m->effects[w->cause_index];
        if (e->trigger_event >= 0)
            snprintf(name, n, "effect of %s (effects.csv row %d)", m->events[e->trigger_event].name,
                     e->row);
        else
            snprintf(name, n, "effect of a change of %s (effects.csv row %d)",
                     m->factors[e->trigger_factor].name, e->row);
        break;
    }
    }
}

static void seen(void *ctx, const nsm_seen *w)
{
    story *st = ctx;
    const nsm_model *m = st->m;
    char date[11], cause[3 * NSM_NAME_MAX + 64];
    const char *ckind, *what, *from = "", *to = "";
    nsm_model_date(m, w->t, date);
    cause_text(m, w, &ckind, cause, sizeof cause);
    if (w->kind == NSM_SEEN_EVENT) {
        what = m->events[w->event].name;
    } else {
        const nsm_factor *f = &m->factors[w->factor];
        what = f->name;
        from = w->from >= 0 ? f->levels[w->from] : "";
        to = f->levels[w->to];
    }
    static const char *const kinds[] = {"start", "change", "event"};
    if (st->o->csv) {
        if (st->rows++ == 0)
            printf("rep,t_years,date,kind,name,from,to,cause,cause_name\n");
        /* names are [A-Za-z0-9_] (the reader checks), so only the cause needs quoting */
        printf("%llu,%.6f,%s,%s,%s,%s,%s,%s,\"%s\"\n", (unsigned long long)st->o->rep,
               nsm_years(w->t), date, kinds[w->kind], what, from, to, ckind, cause);
        return;
    }
    if (st->rows++ == 0)
        printf("%-10s  %-9s  %-6s  %-28s  %-36s  %s\n", "date", "t (years)", "kind", "what",
               "from -> to", "cause");
    char change[2 * NSM_NAME_MAX + 8] = "";
    if (w->kind != NSM_SEEN_EVENT)
        snprintf(change, sizeof change, "%s%s%s", from, *from ? " -> " : "", to);
    printf("%-10s  %9.4f  %-6s  %-28s  %-36s  %s: %s\n", date, nsm_years(w->t), kinds[w->kind],
           what, change, ckind, cause);
}

/* The arm asked for: arms[n-1] of "LEVERS" (arms[0] is the baseline). */
static int replay(const nsm_model *m, const trace_options *o)
{
    nsm_diag d;
    nsm_diag_init(&d);
    nsm_arm *arms = NULL;
    int n_arms = 0, code = EXIT_OK;
    nsm_sim *s = nsm_sim_alloc(m);
    nsm_accum *acc = nsm_accum_alloc(m);
    nsm_status st = s && acc ? NSM_OK : nsm_diag_error(&d, NSM_ERR_NOMEM, "out of memory");
    if (st == NSM_OK && o->arm) {
        if (strchr(o->arm, ','))
            st = nsm_diag_error(&d, NSM_ERR_USAGE, "--arm: one arm, levers joined by '+'");
        else
            st = nsm_arms_build(m, o->arm, 0, o->scenario, &arms, &n_arms, &d);
        if (st == NSM_OK)
            st = nsm_sim_set_arm(s, &arms[n_arms - 1]);
    }
    if (st == NSM_OK)
        st = nsm_sim_set_uncertainty(s, o->nominal ? NSM_UNCERTAINTY_NOMINAL
                                                   : NSM_UNCERTAINTY_PER_RUN, 1);
    story sty = {m, o, 0};
    if (st == NSM_OK) {
        nsm_sim_set_limits(s, 0, NULL);
        nsm_sim_set_observer(s, seen, &sty);
        st = nsm_sim_replicate(s, o->seed, o->rep, acc, &d);
    }
    if (st != NSM_OK) {
        nsm_cli_print_diag(&d);
        code = st == NSM_ERR_USAGE ? EXIT_USAGE : nsm_cli_exit_code(st, 0);
    }
    nsm_arms_free(arms, n_arms);
    nsm_accum_free(acc);
    nsm_sim_free(s);
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
