/*
** options.c: the options that `run` and `compare` share, their values' parsers (`--precision`'s
** rule itself is cli/precision.c's, `--shard`'s slices cli/shard.c's), and the manifest's
** provenance, the events that a merge's parts simulated included (signals: cli/signals.c). The
** parsers live here, not beside the features, so that the features may use the options and not
** the other way round.
*/
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/progress.h"
#include "neasim/outdir.h"
#include "neasim/partial.h"
#include "neasim/rng.h"

/* --precision H: the largest 95% half-width accepted (0 < H < 0.5); -1 after a message. */
static int parse_precision(const char *text, double *h)
{
    char *end;
    double v = strtod(text, &end);
    if (!text[0] || *end || !(v > 0 && v < 0.5)) {
        nsm_cli_option_error("--precision expects the largest 95%% half-width you accept, as a "
                             "probability above 0 and below 0.5 (0.01 for +-1 percentage point), "
                             "got '%s'", text);
        return -1;
    }
    *h = v;
    return 0;
}

/* --shard I/N into o->shard, o->n_shards; -1 after a message. */
static int parse_shard(const char *text, nsm_cli_options *o)
{
    char *end = NULL;
    errno = 0;
    unsigned long i = strtoul(text, &end, 10), n = 0;
    int ok = text[0] >= '0' && text[0] <= '9' && end && *end == '/' && end[1] >= '0' &&
             end[1] <= '9';
    if (ok) {
        n = strtoul(end + 1, &end, 10);
        ok = !*end && errno == 0 && n >= 1 && n <= 1000000 && i >= 1 && i <= n;
    }
    if (!ok) {
        nsm_cli_option_error("--shard expects I/N, slice I of N (1 <= I <= N <= 1000000), got "
                             "'%s'", text);
        return -1;
    }
    o->shard = (uint32_t)i;
    o->n_shards = (uint32_t)n;
    return 0;
}

static int parse_value(int c, const char *arg, nsm_cli_options *o)
{
    switch (c) {
    case 'n':
        o->runs_given = 1;
        return nsm_cli_parse_u64("--runs", arg, 1, (uint64_t)1 << 40, &o->runs);
    case 's': return nsm_cli_parse_u64("--seed", arg, 0, UINT64_MAX, &o->seed);
    case 't': return nsm_cli_parse_u64("--threads", arg, 1, 1024, &o->threads);
    case 'o': o->out = arg; return 0;
    case 'l': o->levers = arg; return 0;
    case 'H':
        o->horizons = arg;
        o->horizons_given = 1;
        return 0;
    case 'b': o->bom = 1; return 0;
    case 'x': o->xlsx = 1; return 0;
    case 'q': o->quiet = 1; return 0;
    case 'f': o->factorial = 1; return 0;
    case 'N': o->nominal = 1; return 0;
    case 'D': o->design = arg; return 0;
    case 'G': o->grid = arg; return 0;
    case 'L': o->design_kind = 1; return nsm_cli_parse_u64("--lhs", arg, 2, 10000000, &o->design_n);
    case 'S': o->design_kind = 2; return nsm_cli_parse_u64("--sobol", arg, 2, 1000000, &o->design_n);
    case 'T': o->design_kind = 3; return 0;
    case 'R': o->resume = 1; return 0;
    case 'P': o->params = arg; return 0;
    case 'k': o->keep_points = 1; return 0;
    case 'O': return nsm_cli_parse_u64("--outer", arg, 2, 1000000, &o->outer);
    case 'M': return nsm_cli_parse_u64("--max-events", arg, 1, (uint64_t)1e15, &o->max_events);
    case 'p': return nsm_cli_parse_u64("--paths", arg, 1, 100000, &o->paths);
    case 'E': return parse_precision(arg, &o->precision);
    case 'F': o->precision_for = arg; return 0;
    case 'Z': return parse_shard(arg, o);
    case 'K': return nsm_cli_parse_u64("--top", arg, 1, 1000000, &o->top);
    case 'U': o->routes = 1; return 0;
    case 'W': o->signposts = 1; return 0;
    case 'w': o->watch = arg; return 0;
    }
    return -1;
}

/* --out DIR/ is DIR; --out . and the like are refused (outdir.h, nsm_outdir_path). */
static int out_folder(const char *cmd, nsm_cli_options *o)
{
    if (o->out[0] == '-') /* `--out -q`: getopt took the next option for the folder */
        return nsm_cli_usage_error(cmd, "--out needs a folder, and '%s' looks like an option: "
                                   "give the folder after --out (./%s for a folder of that name)",
                                   o->out, o->out);
    nsm_diag d;
    nsm_diag_init(&d);
    int bad = nsm_outdir_path(o->out, o->out_path, sizeof o->out_path, &d) != NSM_OK;
    if (bad)
        nsm_cli_usage_error(cmd, "%s", d.error);
    else
        o->out = o->out_path;
    nsm_diag_release(&d);
    return bad;
}

/* --precision's company: a ceiling of its own unless --runs sets one; with --outer, --outer N is
** the ceiling (of draws) and --runs each draw's replications, as without --precision. */
static int precision_checks(const char *cmd, nsm_cli_options *o)
{
    if (o->precision_for && !o->precision)
        return nsm_cli_usage_error(cmd, "--precision-for names what --precision H aims at: give "
                                   "--precision too");
    if (o->precision && o->outer && o->outer < NSM_CLI_FEW_DRAWS)
        return nsm_cli_usage_error(cmd, "--precision with --outer asks its rule from %d draws "
                                   "on (fewer make intervals that run narrow), and --outer N is "
                                   "the most draws it may take: give --outer %d or more, e.g. "
                                   "--outer 1000", NSM_CLI_FEW_DRAWS, NSM_CLI_FEW_DRAWS);
    if (o->precision && o->n_shards)
        return nsm_cli_usage_error(cmd, "--precision decides after each batch of the whole run, "
                                   "which a shard does not see: give the shards a fixed --runs "
                                   "(e.g. the count a --precision run reported)");
    if (o->precision && !o->runs_given && !o->outer)
        o->runs = NSM_CLI_PRECISION_CEILING;
    return 0;
}

/* A part's head records the scenario folders one a line and the --design and --grid files as a
** line each (cli/shard.c), as absolute paths, for the merge to give back: a path holding a line
** break would come back as two. Refused before the simulation, with what to do; 0 when none does. */
static int recordable_paths(const char *cmd, const nsm_cli_options *o)
{
    const char *const named[2] = {o->design, o->grid};
    for (int i = 0; i < o->n_scenarios + 2; i++) {
        const char *path = i < o->n_scenarios ? o->scenarios[i] : named[i - o->n_scenarios];
        if (!path)
            continue;
        char *abs = realpath(path, NULL); /* the path recorded; the given one if it has none */
        int broken = strchr(abs ? abs : path, '\n') != NULL;
        free(abs);
        if (broken)
            return nsm_cli_usage_error(cmd, "--shard records the path of '%s' in the part, a path "
                                       "a line, and this one holds a line break: move or link it "
                                       "to a path without one", path);
    }
    return 0;
}

/* Which options each command takes: r(un), c(ompare), s(weep). */
static int allowed(int c, int kind)
{
    static const char *const per[3] = {"ONHpUWwEF", "lfHNOKEF", "DGLSTRHPk"};
    if (!strchr("lfONHDGLSTRPkpKUWwEF", c))
        return 1;
    return strchr(per[kind], c) != NULL;
}

int nsm_cli_parse_options(int argc, char **argv, const char *cmd, const char *help, int kind,
                          nsm_cli_options *o)
{
    static const struct option longopts[] = {
        {"runs", required_argument, NULL, 'n'},   {"seed", required_argument, NULL, 's'},
        {"threads", required_argument, NULL, 't'}, {"out", required_argument, NULL, 'o'},
        {"bom", no_argument, NULL, 'b'},           {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},          {"version", no_argument, NULL, 'V'},
        {"levers", required_argument, NULL, 'l'},  {"horizons", required_argument, NULL, 'H'},
        {"factorial", no_argument, NULL, 'f'},     {"nominal", no_argument, NULL, 'N'},
        {"outer", required_argument, NULL, 'O'},   {"design", required_argument, NULL, 'D'},
        {"grid", required_argument, NULL, 'G'},    {"lhs", required_argument, NULL, 'L'},
        {"sobol", required_argument, NULL, 'S'},   {"oat", no_argument, NULL, 'T'},
        {"resume", no_argument, NULL, 'R'},        {"params", required_argument, NULL, 'P'},
        {"max-events", required_argument, NULL, 'M'}, {"keep-points", no_argument, NULL, 'k'},
        {"paths", required_argument, NULL, 'p'},  {"shard", required_argument, NULL, 'Z'},
        {"xlsx", no_argument, NULL, 'x'},             {"top", required_argument, NULL, 'K'},
        {"routes", no_argument, NULL, 'U'},     {"signposts", no_argument, NULL, 'W'},
        {"watch", required_argument, NULL, 'w'},
        {"precision", required_argument, NULL, 'E'}, {"precision-for", required_argument, NULL, 'F'},
        {NULL, 0, NULL, 0}};
    *o = (nsm_cli_options){0};
    o->runs = 10000;
    o->seed = 1;
    o->horizons = "2,5,10";
    opterr = 0;
    int li = -1;
    for (int c; (c = getopt_long(argc, argv, ":n:s:t:o:qhV", longopts, &li)) != -1; li = -1) {
        if (c == 'h') {
            fputs(help, stdout);
            return -1;
        }
        if (c == 'V') {
            nsm_cli_version();
            return -1;
        }
        if (c == ':')
            return nsm_cli_usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
        if (c == '?')
            return nsm_cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
        if (!allowed(c, kind)) /* argv[optind - 1] may be its value: name the option itself */
            return nsm_cli_usage_error(cmd, "unknown option '--%s'", li >= 0 ? longopts[li].name : "?");
        if (strchr("DGLST", c))
            o->n_designs++;
        if (parse_value(c, optarg, o))
            return EXIT_USAGE;
    }
    /* compare takes several: whole scenarios as arms (compare A B ...) */
    if (optind >= argc || (optind != argc - 1 && kind != 1))
        return nsm_cli_usage_error(cmd, optind >= argc ? "which scenario? give a folder"
                                                       : "give one scenario folder, not %d",
                                   argc - optind);
    o->scenario = argv[optind];
    o->scenarios = &argv[optind];
    o->n_scenarios = argc - optind;
    if (o->out && out_folder(cmd, o))
        return EXIT_USAGE;
    if (precision_checks(cmd, o))
        return EXIT_USAGE;
    if (o->n_shards && !o->out)
        return nsm_cli_usage_error(cmd, "--shard writes a partial result: name its file with "
                                   "--out PART");
    if (o->n_shards) { /* refused before the simulation rather than after it */
        nsm_diag d;
        nsm_diag_init(&d);
        int bad = nsm_part_check_dest(o->out, &d) != NSM_OK;
        if (bad)
            fprintf(stderr, "%s %s: %s\n", nsm_cli_prog, cmd, d.error);
        nsm_diag_release(&d);
        if (bad)
            return EXIT_CANTCREAT;
        if (recordable_paths(cmd, o))
            return EXIT_USAGE;
    }
    if (o->outer && o->nominal)
        return nsm_cli_usage_error(cmd, "--outer draws the uncertain numbers; it cannot be "
                                   "combined with --nominal");
    uint64_t reps = o->runs; /* with --outer, paths.csv tells the first draw's replications */
    if (o->paths > reps && !o->precision && !o->quiet)
        fprintf(stderr, "%s %s: warning: --paths %llu asks for more paths than the %llu "
                "replications: paths.csv holds %llu\n", nsm_cli_prog, cmd,
                (unsigned long long)o->paths, (unsigned long long)reps, (unsigned long long)reps);
    return 0;
}

void nsm_cli_watch_default(const nsm_model *m, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int y = 1; y <= 3 && 12 * y < m->horizon_months; y++)
        len += (size_t)snprintf(buf + len, size - len, "%s%d", y > 1 ? "," : "", y);
    if (len == 0 && m->horizon_months >= 2)
        snprintf(buf, size, "%g", (m->horizon_months / 2) / 12.0);
}

uint64_t nsm_cli_parts_events(const nsm_cli_parts *ps)
{
    uint64_t events = 0;
    for (int k = 0; k < ps->n; k++)
        events += nsm_part_events(ps->part[k]);
    return events;
}

nsm_run_config nsm_cli_run_config(const nsm_cli_options *o, void *progress_ctx)
{
    nsm_run_config rc = {o->seed, o->runs, 0, (int)o->threads, nsm_progress_update, progress_ctx,
                         (volatile int *)&nsm_cli_stopping,
                         o->nominal ? NSM_UNCERTAINTY_NOMINAL : NSM_UNCERTAINTY_PER_RUN, 0,
                         o->max_events};
    return rc;
}

/* How far (in months) a year given may be from a whole month: the report dates the messages
** suggest are printed with 6 significant digits (9.91667 years for month 119), which must read
** back as that month. */
#define MONTHS_TOLERANCE 0.005

/* Report index k months after the start, or -1 when no report falls there: reports are every
** report_interval_months from the start, and the last at the horizon (scenario/meta.c). */
static int report_at_months(const nsm_model *m, long months)
{
    if (months == m->horizon_months)
        return m->n_reports - 1;
    if (months <= 0 || months > m->horizon_months || months % m->report_interval_months)
        return -1;
    return (int)(months / m->report_interval_months);
}

/* Insert report i (years y) into h, ascending; 0, or -1 when h has it already. */
static int horizons_insert(nsm_horizons *h, int i, double y)
{
    int k = h->n;
    for (int j = 0; j < h->n; j++)
        if (h->idx[j] == i)
            return -1;
    while (k > 0 && h->idx[k - 1] > i) {
        h->idx[k] = h->idx[k - 1];
        h->years[k] = h->years[k - 1];
        k--;
    }
    h->idx[k] = i;
    h->years[k] = y;
    h->n++;
    return 0;
}

int nsm_cli_horizons(const char *cmd, nsm_cli_options *o, const nsm_model *m)
{
    nsm_horizons *h = &o->hz;
    const int every = m->report_interval_months;
    char *buf = strdup(o->horizons), *save = NULL;
    h->n = 0;
    if (!buf) {
        fprintf(stderr, "%s %s: out of memory\n", nsm_cli_prog, cmd);
        return EXIT_SOFTWARE;
    }
    int bad = 0;
    for (char *tok = strtok_r(buf, ",", &save); tok && !bad;
         tok = strtok_r(NULL, ",", &save)) {
        char *end;
        double y = strtod(tok, &end), months = 12.0 * y;
        if (*end || !(y > 0) || h->n == NSM_MAX_HORIZONS) {
            bad = nsm_cli_usage_error(cmd, "--horizons expects up to %d positive numbers of years "
                                      "separated by commas, got '%s'", NSM_MAX_HORIZONS,
                                      o->horizons);
        } else if (!o->horizons_given) { /* the default: the nearest report before the end */
            long i = lround(months / every);
            if (i > 0 && i < m->n_reports - 1 && months < m->horizon_months - MONTHS_TOLERANCE)
                horizons_insert(h, (int)i, (double)(i * every) / 12.0);
        } else if (months > m->horizon_months + MONTHS_TOLERANCE) {
            bad = nsm_cli_usage_error(cmd, "--horizons: %s years is beyond the horizon of %s "
                                      "(%g years, to %s): give years from above 0 to %g", tok,
                                      m->name, m->horizon_months / 12.0,
                                      m->report_date[m->n_reports - 1], m->horizon_months / 12.0);
        } else if (fabs(months - (double)lround(months)) > MONTHS_TOLERANCE ||
                   report_at_months(m, lround(months)) < 0) {
            int below = (int)floor(months / every) * every, above = below + every;
            above = above < m->horizon_months ? above : m->horizon_months;
            char every_text[32] = "month";
            if (every > 1)
                snprintf(every_text, sizeof every_text, "%d months", every);
            bad = below > 0
                ? nsm_cli_usage_error(cmd, "--horizons: %s years falls between the report dates "
                                      "of %s (one every %s from %s): give %g or %g, say", tok,
                                      m->name, every_text, m->report_date[0], below / 12.0,
                                      above / 12.0)
                : nsm_cli_usage_error(cmd, "--horizons: %s years comes before the first report "
                                      "date of %s (one every %s from %s): give %g or more", tok,
                                      m->name, every_text, m->report_date[0], above / 12.0);
        } else if (horizons_insert(h, report_at_months(m, lround(months)), y)) {
            bad = nsm_cli_usage_error(cmd, "--horizons: %s years is given twice", tok);
        }
    }
    free(buf);
    if (!bad && o->horizons_given && h->n == 0)
        bad = nsm_cli_usage_error(cmd, "--horizons is empty");
    if (!bad && !o->horizons_given)
        horizons_insert(h, m->n_reports - 1, m->horizon_months / 12.0);
    return bad ? EXIT_USAGE : 0;
}

void nsm_cli_now(char started[32])
{
    time_t now = time(NULL);
    strftime(started, 32, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
}

/* Append arg to f as one shell word: bare when every character is safe, else in single quotes
** ('\'' for a quote), so that `command` in manifest.csv can be pasted into a shell as it is. */
static void shell_word(FILE *f, const char *arg, int first)
{
    static const char safe[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                               "_@%+=:,./-";
    size_t n = strspn(arg, safe);
    /* "a=b" as the first word would be read as an assignment */
    if (arg[0] && !arg[n] && !(first && strchr(arg, '='))) {
        fputs(arg, f);
        return;
    }
    fputc('\'', f);
    for (const char *p = arg; *p; p++) {
        if (*p == '\'')
            fputs("'\\''", f);
        else
            fputc(*p, f);
    }
    fputc('\'', f);
}

static int saved_argc;
static char **saved_argv;

void nsm_cli_save_command(int argc, char **argv)
{
    free(saved_argv);
    saved_argv = malloc(((size_t)argc + 1) * sizeof *saved_argv);
    saved_argc = saved_argv ? argc : 0;
    for (int k = 0; saved_argv && k <= argc; k++)
        saved_argv[k] = argv[k];
}

/* The command line as typed, each argument one shell word. */
static char *command_line(int argc, char **argv)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return NULL;
    if (!saved_argv)
        fputs("neasim ", f);
    for (int k = 0; k < argc; k++) {
        shell_word(f, argv[k], k == 0);
        if (k + 1 < argc)
            fputc(' ', f);
    }
    fclose(f);
    return text;
}

static void add_command(nsm_manifest *mf, int argc, char **argv)
{
    char *cmd = saved_argv ? command_line(saved_argc, saved_argv) : command_line(argc, argv);
    char *cwd = getcwd(NULL, 0);
    if (cmd && strlen(cmd) >= sizeof mf->entries[0].value)
        fprintf(stderr, "%s: warning: the command line is longer than manifest.csv keeps (%zu "
                "characters): its `command` is cut\n", nsm_cli_prog,
                sizeof mf->entries[0].value - 1);
    nsm_manifest_add(mf, "command", "%s", cmd ? cmd : "(out of memory)");
    nsm_manifest_add(mf, "working_directory", "%s", cwd ? cwd : "(unknown)");
    free(cwd);
    free(cmd);
}

void nsm_cli_manifest_head(nsm_manifest *mf, int argc, char **argv)
{
    nsm_manifest_add(mf, "tool", "neasim");
    nsm_manifest_add(mf, "version", "%s", NSM_VERSION);
    nsm_manifest_add(mf, "git_commit", "%s", NSM_GIT_COMMIT);
    add_command(mf, argc, argv);
}

void nsm_cli_manifest(nsm_manifest *mf, const nsm_model *m, const nsm_cli_options *o,
                      const nsm_run_stats *rs, const char *started, int argc, char **argv)
{
    nsm_cli_manifest_head(mf, argc, argv);
    nsm_manifest_add(mf, "scenario", "%s", m->name);
    nsm_manifest_add(mf, "scenario_title", "%s", m->title);
    nsm_manifest_add(mf, "scenario_path", "%s", o->scenario);
    nsm_manifest_add(mf, "scenario_checksum", "sha256:%s", m->checksum);
    if (m->extends)
        nsm_manifest_add(mf, "scenario_extends", "%s", m->extends);
    nsm_manifest_add(mf, "scenario_warnings", "%d", m->n_warnings);
    nsm_manifest_add(mf, "start_date", "%s", m->report_date[0]);
    nsm_manifest_add(mf, "end_date", "%s", m->report_date[m->n_reports - 1]);
    nsm_manifest_add(mf, "report_interval_months", "%d", m->report_interval_months);
    nsm_manifest_add(mf, "seed", "%llu", (unsigned long long)o->seed);
    nsm_manifest_add(mf, "generator", "%s", nsm_rng_philox4x32->name);
    nsm_manifest_add(mf, "exponential_method", "%s", NSM_RNG_EXPONENTIAL_METHOD);
    nsm_manifest_add(mf, "runs", "%llu", (unsigned long long)(o->outer ? o->outer * o->runs
                                                                        : o->runs));
    nsm_manifest_add(mf, "uncertain_numbers", "%d", m->n_uncertain);
    nsm_manifest_add(mf, "uncertainty", "%s",
                     m->n_uncertain == 0 ? "none"
                     : o->n_designs      ? "swept (the design's numbers as set; the others at "
                                           "their means)"
                     : o->nominal        ? "nominal (every number at its mean)"
                     : o->outer          ? "outer (draws x runs per draw)"
                                         : "drawn per replication");
    if (o->outer) {
        nsm_manifest_add(mf, "outer_draws", "%llu", (unsigned long long)o->outer);
        nsm_manifest_add(mf, "judgment_range_coverage", "%.4f",
                         nsm_judgment_range_coverage(o->outer));
    }
    nsm_manifest_add(mf, "threads", "%d", rs->threads);
    if (o->parts && o->parts->ranks > 0) { /* under mpirun (cli/ranks.c) */
        nsm_manifest_add(mf, "mpi_ranks", "%d", o->parts->ranks);
        nsm_manifest_add(mf, "threads_per_rank", "%d", rs->threads);
    } else if (o->parts) { /* neasim merge (cli/merge.c) */
        nsm_manifest_add(mf, "merged_shards", "%d", o->parts->n);
    }
    nsm_manifest_add(mf, "started_utc", "%s", started);
    nsm_manifest_add(mf, "wall_seconds", "%.3f", rs->wall_seconds);
    /* read from parts (a merge, or the ranks of run and compare), the events were simulated
    ** where the parts were: each part carries its slice's count (a sweep's points carry theirs,
    ** and rs has their sum) */
    uint64_t events = o->parts && o->parts->n ? nsm_cli_parts_events(o->parts) : rs->events;
    nsm_manifest_add(mf, "events_simulated", "%llu", (unsigned long long)events);
}
