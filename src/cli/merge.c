/*
** merge.c: `neasim merge PART... --out DIR`: the final tables from every slice that
** `--shard I/N` wrote (cli/shard.c).
**
** A merge runs the command that made the parts again, as recorded in them (scenario, or the
** scenarios of compare A B ...; options; with --xlsx a workbook too, which a part never holds),
** with the simulation replaced by reading the parts in shard order: the tables are written by the
** same code from the same integers, so they are byte-identical to one run. Everything that would
** make that false is refused first: parts of another scenario, seed, options (the message names
** the first option that differs) or version, a shard twice, a shard missing, a damaged file.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "neasim/partial.h"

static const char MERGE_HELP[] =
    "Usage: neasim merge PART... --out DIR [--threads T] [--xlsx] [--quiet]\n"
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
    "      --xlsx        also results.xlsx: every table as a sheet, typed cells (as the\n"
    "                    command's --xlsx: a shard writes a part, never a workbook)\n"
    "  -q, --quiet       no summary\n"
    "  -h, --help        this help\n"
    "  -V, --version     the version\n";

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

/* The option at *pos of a head's options (a word "--NAME" and the values on the lines after
** it), as "--NAME VALUE..." in buf; *pos moves past it. 0 at the end. */
static int next_option(const char **pos, char *buf, size_t n)
{
    const char *p = *pos;
    size_t k = 0;
    if (!*p)
        return 0;
    do {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        int w = snprintf(buf + k, n - k, "%s%.*s", k ? " " : "", (int)len, p);
        k = w > 0 && (size_t)w < n - k ? k + (size_t)w : n - 1;
        p = nl ? nl + 1 : p + len;
    } while (*p && strncmp(p, "--", 2) != 0);
    *pos = p;
    return 1;
}

/* Whether the options `text` hold one named as `opt` ("--NAME ..." of next_option); its whole
** text in found. */
static int find_option(const char *text, const char *opt, char *found, size_t n)
{
    size_t name = strcspn(opt, " ");
    while (next_option(&text, found, n))
        if (strncmp(found, opt, name) == 0 && (found[name] == ' ' || !found[name]))
            return 1;
    return 0;
}

/* The first option in which two heads' options differ: in a, and in b ("no --NAME" where one
** lacks it), so that the message says what to change. */
static void first_difference(const char *a, const char *b, char *in_a, char *in_b, size_t n)
{
    for (int pass = 0; pass < 2; pass++) {
        const char *pos = pass ? b : a, *other = pass ? a : b;
        char *mine = pass ? in_b : in_a, *theirs = pass ? in_a : in_b;
        while (next_option(&pos, mine, n)) {
            int found = find_option(other, mine, theirs, n);
            if (found && strcmp(mine, theirs) == 0)
                continue;
            if (!found)
                snprintf(theirs, n, "no %.*s", (int)strcspn(mine, " "), mine);
            return;
        }
    }
    snprintf(in_a, n, "?");
    snprintf(in_b, n, "?");
}

static int no_memory(void)
{
    fprintf(stderr, "%s merge: out of memory\n", nsm_cli_prog);
    return EXIT_SOFTWARE;
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
            char o0[256], ok[256];
            first_difference(h0->options, h->options, o0, ok, sizeof o0);
            fprintf(stderr, "%s merge: %s: other options than %s (%s here, %s there): parts "
                    "must come from the same command (only --out, --threads and --quiet may "
                    "differ)\n", nsm_cli_prog, nsm_part_name(part[k]), nsm_part_name(part[0]),
                    ok, o0);
            return EXIT_DATAERR;
        }
    }
    nsm_part **by_shard = calloc(h0->n_shards, sizeof *by_shard);
    if (!by_shard)
        return no_memory();
    int code = EXIT_OK;
    for (int k = 0; k < n && code == EXIT_OK; k++) {
        uint32_t s = nsm_part_head_of(part[k])->shard;
        const char *name = nsm_part_name(part[k]);
        if (by_shard[s - 1] && strcmp(name, nsm_part_name(by_shard[s - 1])) == 0) {
            fprintf(stderr, "%s merge: %s is given twice: give each shard once\n", nsm_cli_prog,
                    name);
            code = EXIT_DATAERR;
        } else if (by_shard[s - 1]) {
            fprintf(stderr, "%s merge: %s is shard %u/%u, like %s: give each shard once\n",
                    nsm_cli_prog, name, s, h0->n_shards, nsm_part_name(by_shard[s - 1]));
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

/* The recorded command, as argv: KIND SCENARIO... OPTIONS... --out DIR [--threads T] [--xlsx]
** [--quiet] (the scenarios one a line in the head: one, or those of compare A B ...). *text:
** the words' storage, the head's scenarios and options, each line ended by a NUL. */
static char **command_of(const nsm_part_head *h, const char *out, const char *threads, int xlsx,
                         int quiet, char **text, int *argc)
{
    size_t ls = strlen(h->scenario), lo = strlen(h->options);
    int n = 0;
    for (const char *c = h->options; *c; c++)
        n += *c == '\n';
    for (const char *c = h->scenario; *c; c++)
        n += *c == '\n';
    char **argv = calloc((size_t)n + 12, sizeof *argv);
    *text = malloc(ls + lo + 2);
    if (!argv || !*text) {
        free(argv);
        free(*text);
        *text = NULL;
        return NULL;
    }
    memcpy(*text, h->scenario, ls + 1);
    memcpy(*text + ls + 1, h->options, lo + 1);
    int k = 0;
    argv[k++] = h->kind;
    char *save = NULL;
    /* every line of the scenarios is a folder, even an empty one (strsep, not strtok_r) */
    for (char *rest = *text, *w; (w = strsep(&rest, "\n"));)
        argv[k++] = w;
    for (char *w = strtok_r(*text + ls + 1, "\n", &save); w; w = strtok_r(NULL, "\n", &save))
        argv[k++] = w;
    argv[k++] = (char *)(uintptr_t)"--out";
    argv[k++] = (char *)(uintptr_t)out;
    if (threads) {
        argv[k++] = (char *)(uintptr_t)"--threads";
        argv[k++] = (char *)(uintptr_t)threads;
    }
    if (xlsx)
        argv[k++] = (char *)(uintptr_t)"--xlsx";
    if (quiet)
        argv[k++] = (char *)(uintptr_t)"--quiet";
    *argc = k;
    return argv;
}

/* Parse merge's own arguments: parts, --out, --threads, --xlsx, --quiet. 0, -1 after --help, or a
** code. */
static int merge_args(int argc, char **argv, const char **out, const char **threads, int *xlsx,
                      int *quiet, int *n_parts)
{
    *n_parts = 0;
    for (int k = 1; k < argc; k++) {
        const char *a = argv[k];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(MERGE_HELP, stdout);
            return -1;
        } else if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
            nsm_cli_version();
            return -1;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            *quiet = 1;
        } else if (!strcmp(a, "--xlsx")) {
            *xlsx = 1;
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
    int xlsx = 0, quiet = 0, n = 0;
    int code = merge_args(argc, argv, &out, &threads, &xlsx, &quiet, &n);
    if (code)
        return code < 0 ? EXIT_OK : code;
    nsm_cli_parts ps = {calloc((size_t)n, sizeof(nsm_part *)), n, 0, 0.0};
    if (!ps.part)
        return no_memory();
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
    if (code == EXIT_OK && !(cmd = command_of(nsm_part_head_of(ps.part[0]), out, threads, xlsx,
                                              quiet, &text, &cmd_argc)))
        code = no_memory();
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
    nsm_cli_parts_release(&ps);
    free(cmd);
    free(text);
    nsm_diag_release(&d);
    return code;
}
