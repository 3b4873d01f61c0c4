/*
** shard.c: `--shard I/N` (one slice of a run, a comparison or a sweep, written as a partial
** result) and `neasim merge PART... --out DIR` (the final tables from every slice).
**
** A merge runs the command that made the parts again, as recorded in them (scenario, options),
** with the simulation replaced by reading the parts in shard order: the tables are written by the
** same code from the same integers, so they are byte-identical to one run. Everything that would
** make that false is refused first: parts of another scenario, seed, options or version, a shard
** twice, a shard missing, a damaged file. The format is the library's (neasim/partial.h).
*/
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "neasim/partial.h"

int nsm_cli_parse_shard(const char *text, nsm_cli_options *o)
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
        fprintf(stderr, "%s: --shard expects I/N, slice I of N (1 <= I <= N <= 1000000), "
                "got '%s'\n", nsm_cli_prog, text);
        return -1;
    }
    o->shard = (uint32_t)i;
    o->n_shards = (uint32_t)n;
    return 0;
}

void nsm_cli_shard_slice(uint64_t total, uint32_t i, uint32_t n, uint64_t *first, uint64_t *count)
{
    /* floor(total * k / n) without overflow: total < 2^41 and n <= 10^6 (options.c) */
    uint64_t lo = total / n * (i - 1) + total % n * (i - 1) / n;
    uint64_t hi = total / n * i + total % n * i / n;
    *first = lo;
    *count = hi - lo;
}

static void word(FILE *f, const char *w)
{
    fprintf(f, "%s\n", w);
}

static void word_u64(FILE *f, const char *opt, uint64_t v)
{
    fprintf(f, "%s\n%llu\n", opt, (unsigned long long)v);
}

/* A file named by an option, absolute, so that a merge elsewhere finds it. */
static void word_path(FILE *f, const char *opt, const char *path)
{
    char *abs = realpath(path, NULL);
    fprintf(f, "%s\n%s\n", opt, abs ? abs : path);
    free(abs);
}

/* The options that change the results, one word a line, in a fixed order: what a merge compares
** between parts and passes to the command again. Not here: --out, --threads, --quiet, --shard,
** --resume (none changes a table). */
static char *options_text(const nsm_cli_options *o)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return NULL;
    word_u64(f, "--runs", o->runs);
    word_u64(f, "--seed", o->seed);
    fprintf(f, "--horizons\n%s\n", o->horizons);
    if (o->max_events)
        word_u64(f, "--max-events", o->max_events);
    if (o->nominal)
        word(f, "--nominal");
    if (o->outer)
        word_u64(f, "--outer", o->outer);
    if (o->paths)
        word_u64(f, "--paths", o->paths);
    if (o->bom)
        word(f, "--bom");
    if (o->levers)
        fprintf(f, "--levers\n%s\n", o->levers);
    if (o->factorial)
        word(f, "--factorial");
    if (o->design)
        word_path(f, "--design", o->design);
    if (o->grid)
        word_path(f, "--grid", o->grid);
    if (o->design_kind == 1)
        word_u64(f, "--lhs", o->design_n);
    if (o->design_kind == 2)
        word_u64(f, "--sobol", o->design_n);
    if (o->design_kind == 3)
        word(f, "--oat");
    if (o->params)
        fprintf(f, "--params\n%s\n", o->params);
    if (o->keep_points)
        word(f, "--keep-points");
    return fclose(f) == 0 ? text : (free(text), NULL);
}

nsm_part *nsm_cli_part_new(const char *kind, const nsm_model *m, const nsm_cli_options *o,
                           uint32_t shard, uint32_t n_shards, uint64_t first, uint64_t count)
{
    char version[128];
    snprintf(version, sizeof version, "%s (commit %s)", NSM_VERSION, NSM_GIT_COMMIT);
    char *scenario = realpath(o->scenario, NULL), *options = options_text(o);
    nsm_part_head h = {(char *)(uintptr_t)kind, version, (char *)(uintptr_t)m->checksum,
                       scenario ? scenario : (char *)(uintptr_t)o->scenario, options, o->seed,
                       shard, n_shards, first, count};
    nsm_part *p = options ? nsm_part_new(&h) : NULL;
    free(scenario);
    free(options);
    return p;
}

nsm_status nsm_cli_part_add(nsm_part *p, nsm_accum *const *acc, nsm_paired *const *paired,
                            int n_arms, const double *const *reals, int n_reals, size_t n_each,
                            uint64_t events)
{
    nsm_status st = NSM_OK;
    for (int r = 0; st == NSM_OK && r < n_reals; r++)
        st = nsm_part_add_reals(p, reals[r], n_each);
    for (int a = 0; st == NSM_OK && a < n_arms; a++)
        st = nsm_part_add_accum(p, acc[a]);
    for (int a = 1; st == NSM_OK && paired && a < n_arms; a++)
        st = nsm_part_add_paired(p, paired[a]);
    return st == NSM_OK ? nsm_part_seal(p, events) : st;
}

int nsm_cli_finish_part(const char *command, nsm_status st, nsm_part *p, const char *path,
                        nsm_diag *d)
{
    if (st == NSM_OK && nsm_cli_interrupted)
        st = NSM_STOPPED;
    if (st == NSM_OK)
        st = nsm_part_save(p, path, d);
    int code = st == NSM_OK ? EXIT_OK
               : nsm_cli_interrupted ? nsm_cli_stop_code()
                                     : nsm_cli_exit_code(st, 0);
    if (st != NSM_OK && nsm_cli_interrupted)
        fprintf(stderr, "%s %s: %s; nothing was written\n", nsm_cli_prog, command,
                nsm_cli_stop_name());
    else if (st == NSM_ERR_NOMEM && !d->error)
        fprintf(stderr, "%s %s: out of memory\n", nsm_cli_prog, command);
    else if (st != NSM_OK)
        nsm_cli_print_diag(d);
    nsm_cli_catch_sigint(0);
    return code;
}

nsm_status nsm_cli_part_check_scenario(const nsm_part *p, const nsm_model *m, nsm_diag *d)
{
    const nsm_part_head *h = nsm_part_head_of(p);
    if (strcmp(h->checksum, m->checksum) == 0)
        return NSM_OK;
    return nsm_diag_error(d, NSM_ERR_INPUT, "%s: written from scenario sha256:%s, but %s is now "
                          "sha256:%s: merge with the scenario the parts were run with",
                          nsm_part_name(p), h->checksum, h->scenario, m->checksum);
}

/* Is the part the slice the merge expects? */
static nsm_status check_slice(const nsm_part *p, uint64_t total, nsm_diag *d)
{
    const nsm_part_head *h = nsm_part_head_of(p);
    uint64_t first, count;
    nsm_cli_shard_slice(total, h->shard, h->n_shards, &first, &count);
    if (h->first == first && h->count == count)
        return NSM_OK;
    return nsm_diag_error(d, NSM_ERR_INPUT, "%s: shard %u/%u holds items %llu..%llu, not the "
                          "slice %llu..%llu of %llu: damaged, or written by another neasim",
                          nsm_part_name(p), h->shard, h->n_shards, (unsigned long long)h->first,
                          (unsigned long long)(h->first + h->count), (unsigned long long)first,
                          (unsigned long long)(first + count), (unsigned long long)total);
}

nsm_status nsm_cli_parts_read(const nsm_cli_parts *ps, const nsm_model *m, uint64_t total,
                              nsm_accum **acc, nsm_paired **paired, int n_arms, double **reals,
                              int n_reals, size_t per_item, nsm_diag *d)
{
    nsm_status st = NSM_OK;
    for (int k = 0; st == NSM_OK && k < ps->n; k++) {
        nsm_part *p = ps->part[k];
        const nsm_part_head *h = nsm_part_head_of(p);
        st = nsm_cli_part_check_scenario(p, m, d);
        if (st == NSM_OK)
            st = check_slice(p, total, d);
        for (int r = 0; st == NSM_OK && r < n_reals; r++)
            st = nsm_part_read_reals(p, reals[r] + h->first * per_item, h->count * per_item, d);
        for (int a = 0; st == NSM_OK && a < n_arms; a++)
            st = nsm_part_read_accum(p, acc[a], d);
        for (int a = 1; st == NSM_OK && paired && a < n_arms; a++)
            st = nsm_part_read_paired(p, paired[a], d);
        if (st == NSM_OK && !nsm_part_at_end(p))
            st = nsm_diag_error(d, NSM_ERR_INPUT, "%s: holds more than this command reads "
                                "(damaged?)", nsm_part_name(p));
    }
    return st;
}

uint64_t nsm_cli_parts_events(const nsm_cli_parts *ps)
{
    uint64_t events = 0;
    for (int k = 0; k < ps->n; k++)
        events += nsm_part_events(ps->part[k]);
    return events;
}

/* --- neasim merge --- */

static const char MERGE_HELP[] =
    "Usage: neasim merge PART... --out DIR [--threads T] [--quiet]\n"
    "\n"
    "Join the partial results of `neasim run|compare|sweep ... --shard I/N --out PART` (every\n"
    "shard 1..N exactly once, in any order) into the results folder DIR: the same tables, byte\n"
    "for byte, as one run of the command over every replication (or point). The scenario is read\n"
    "again from where the parts say it was and must be unchanged (its checksum is compared).\n"
    "Parts of another scenario, seed, options or version, a shard given twice, a missing shard\n"
    "or a damaged file are refused, naming the part.\n"
    "\n"
    "  -o, --out DIR     results folder (required)\n"
    "  -t, --threads T   threads for what the merge computes again (run --paths)\n"
    "  -q, --quiet       no summary\n"
    "  -h, --help        this help\n";

/* Compare one field of two heads; a message naming both parts when they differ. */
static int differs(const char *what, const char *a, const char *b, const nsm_part *pa,
                   const nsm_part *pb)
{
    if (strcmp(a, b) == 0)
        return 0;
    fprintf(stderr, "%s merge: %s: another %s than %s (%s here, %s there): parts must come from "
            "the same command\n", nsm_cli_prog, nsm_part_name(pb), what, nsm_part_name(pa), b, a);
    return 1;
}

/* Every part like the first; every shard once. */
static int check_parts(nsm_part **part, int n)
{
    const nsm_part_head *h0 = nsm_part_head_of(part[0]);
    for (int k = 1; k < n; k++) {
        const nsm_part_head *h = nsm_part_head_of(part[k]);
        char s0[32], s[32], n0[32], nk[32];
        snprintf(s0, sizeof s0, "%llu", (unsigned long long)h0->seed);
        snprintf(s, sizeof s, "%llu", (unsigned long long)h->seed);
        snprintf(n0, sizeof n0, "N = %u", h0->n_shards);
        snprintf(nk, sizeof nk, "N = %u", h->n_shards);
        if (differs("command", h0->kind, h->kind, part[0], part[k]) ||
            differs("neasim version", h0->version, h->version, part[0], part[k]) ||
            differs("scenario", h0->checksum, h->checksum, part[0], part[k]) ||
            differs("seed", s0, s, part[0], part[k]) ||
            differs("number of shards", n0, nk, part[0], part[k]))
            return EXIT_DATAERR;
        if (strcmp(h0->options, h->options) != 0) {
            fprintf(stderr, "%s merge: %s: other options than %s: parts must come from the same "
                    "command (only --out, --threads and --quiet may differ)\n", nsm_cli_prog,
                    nsm_part_name(part[k]), nsm_part_name(part[0]));
            return EXIT_DATAERR;
        }
    }
    nsm_part **by_shard = calloc(h0->n_shards, sizeof *by_shard);
    if (!by_shard)
        return EXIT_SOFTWARE;
    int code = EXIT_OK;
    for (int k = 0; k < n && code == EXIT_OK; k++) {
        uint32_t s = nsm_part_head_of(part[k])->shard;
        if (by_shard[s - 1]) {
            fprintf(stderr, "%s merge: %s is shard %u/%u, like %s: give each shard once\n",
                    nsm_cli_prog, nsm_part_name(part[k]), s, h0->n_shards,
                    nsm_part_name(by_shard[s - 1]));
            code = EXIT_DATAERR;
        }
        by_shard[s - 1] = part[k];
    }
    for (uint32_t s = 0; s < h0->n_shards && code == EXIT_OK; s++)
        if (!by_shard[s]) {
            fprintf(stderr, "%s merge: shard %u/%u is missing (%d of %u parts given)\n",
                    nsm_cli_prog, s + 1, h0->n_shards, n, h0->n_shards);
            code = EXIT_DATAERR;
        }
    if (code == EXIT_OK) /* shard order: the order of the replications */
        memcpy(part, by_shard, (size_t)n * sizeof *part);
    free(by_shard);
    return code;
}

/* The recorded command, as argv: KIND SCENARIO OPTIONS... --out DIR [--threads T] [--quiet]. */
static char **command_of(const nsm_part_head *h, const char *out, const char *threads, int quiet,
                         char **text, int *argc)
{
    int n = 0;
    for (const char *c = h->options; *c; c++)
        n += *c == '\n';
    char **argv = calloc((size_t)n + 10, sizeof *argv);
    *text = strdup(h->options);
    if (!argv || !*text) {
        free(argv);
        return NULL;
    }
    int k = 0;
    argv[k++] = h->kind;
    argv[k++] = h->scenario;
    char *save = NULL;
    for (char *w = strtok_r(*text, "\n", &save); w; w = strtok_r(NULL, "\n", &save))
        argv[k++] = w;
    argv[k++] = (char *)(uintptr_t)"--out";
    argv[k++] = (char *)(uintptr_t)out;
    if (threads) {
        argv[k++] = (char *)(uintptr_t)"--threads";
        argv[k++] = (char *)(uintptr_t)threads;
    }
    if (quiet)
        argv[k++] = (char *)(uintptr_t)"--quiet";
    *argc = k;
    return argv;
}

/* Parse merge's own arguments: parts, --out, --threads, --quiet. 0, -1 after --help, or a code. */
static int merge_args(int argc, char **argv, const char **out, const char **threads, int *quiet,
                      int *n_parts)
{
    *n_parts = 0;
    for (int k = 1; k < argc; k++) {
        const char *a = argv[k];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(MERGE_HELP, stdout);
            return -1;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            *quiet = 1;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--out") || !strcmp(a, "-t") ||
                   !strcmp(a, "--threads")) {
            if (k + 1 == argc)
                return nsm_cli_usage_error("merge", "option '%s' needs a value", a);
            *(a[1] == 'o' || a[2] == 'o' ? out : threads) = argv[++k];
        } else if (a[0] == '-' && a[1]) {
            return nsm_cli_usage_error("merge", "unknown option '%s'", a);
        } else {
            argv[1 + (*n_parts)++] = argv[k]; /* the parts, packed to the front, in order */
        }
    }
    if (!*out)
        return nsm_cli_usage_error("merge", "where to? give the results folder with --out DIR");
    if (*n_parts == 0)
        return nsm_cli_usage_error("merge", "which parts? give the files that --shard I/N wrote");
    return 0;
}

int nsm_cli_merge(int argc, char **argv)
{
    const char *out = NULL, *threads = NULL;
    int quiet = 0, n = 0;
    int code = merge_args(argc, argv, &out, &threads, &quiet, &n);
    if (code)
        return code < 0 ? EXIT_OK : code;
    nsm_cli_parts ps = {calloc((size_t)n, sizeof(nsm_part *)), n, 0, 0.0};
    if (!ps.part)
        return EXIT_SOFTWARE;
    nsm_diag d;
    nsm_diag_init(&d);
    for (int k = 0; k < n && code == EXIT_OK; k++) {
        nsm_status st = nsm_part_load(argv[1 + k], &ps.part[k], &d);
        if (st != NSM_OK) {
            fprintf(stderr, "%s merge: %s\n", nsm_cli_prog, d.error);
            code = nsm_cli_exit_code(st, 1);
        }
    }
    if (code == EXIT_OK)
        code = check_parts(ps.part, n);
    char *text = NULL, **cmd = NULL;
    int cmd_argc = 0;
    if (code == EXIT_OK && !(cmd = command_of(nsm_part_head_of(ps.part[0]), out, threads, quiet,
                                              &text, &cmd_argc)))
        code = EXIT_SOFTWARE;
    if (code == EXIT_OK) {
        const char *kind = cmd[0];
        code = !strcmp(kind, "run")       ? nsm_cli_run_parts(cmd_argc, cmd, &ps)
               : !strcmp(kind, "compare") ? nsm_cli_compare_parts(cmd_argc, cmd, &ps)
               : !strcmp(kind, "sweep")   ? nsm_cli_sweep_parts(cmd_argc, cmd, &ps)
                                          : (fprintf(stderr, "%s merge: %s: parts of an unknown "
                                                     "command '%s'\n", nsm_cli_prog,
                                                     nsm_part_name(ps.part[0]), kind),
                                             EXIT_DATAERR);
    }
    for (int k = 0; k < n; k++)
        nsm_part_free(ps.part[k]);
    free(ps.part);
    free(cmd);
    free(text);
    nsm_diag_release(&d);
    return code;
}
