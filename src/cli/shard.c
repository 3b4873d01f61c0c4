/*
** shard.c: the partial results of the command line: `--shard I/N` (one slice of a run, a
** comparison or a sweep, written as a part; the option is parsed in cli/options.c), the head a
** part carries (scenario, options, seed, version), and reading parts back into the totals, each
** checked to be the slice its shard number says. Written by a shard (cli/slices.c, cli/sweep.c),
** sent by MPI ranks (cli/ranks.c), read by `neasim merge` (cli/merge.c). The format is the
** library's (neasim/partial.h).
*/
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "neasim/partial.h"

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
static char *options_text(const nsm_model *m, const nsm_cli_options *o)
{
    char watch[64];
    nsm_cli_watch_default(m, watch, sizeof watch);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return NULL;
    word_u64(f, "--runs", o->runs);
    word_u64(f, "--seed", o->seed);
    if (o->horizons_given) /* the default resolves on the scenario, as the merge reads it */
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
    if (o->routes)
        word(f, "--routes");
    if (o->signposts) /* the watch dates always, so that the default and 1,2,3 are one thing */
        fprintf(f, "--signposts\n--watch\n%s\n", o->watch ? o->watch : watch);
    return fclose(f) == 0 ? text : (free(text), NULL);
}

/* The scenarios of a part's head: m's folder as an absolute path and its checksum; with
** o->models (compare A B ...), every scenario's, in order, the paths one a line (a merge gives
** them back as the command's arguments, cli/merge.c) and the checksums joined by ';' (as the
** manifest's scenario_checksums). New strings, or NULL when out of memory. */
static int head_scenarios(const nsm_model *m, const nsm_cli_options *o, char **paths,
                          char **sums)
{
    int n = o->models ? o->n_scenarios : 1;
    size_t lp = 0, ls = 0;
    FILE *fp = open_memstream(paths, &lp), *fs = open_memstream(sums, &ls);
    for (int a = 0; fp && fs && a < n; a++) {
        const char *folder = o->models ? o->scenarios[a] : o->scenario;
        char *abs = realpath(folder, NULL);
        fprintf(fp, "%s%s", a ? "\n" : "", abs ? abs : folder);
        fprintf(fs, "%s%s", a ? ";" : "", (o->models ? o->models[a] : m)->checksum);
        free(abs);
    }
    int ok = fp && fs && !ferror(fp) && !ferror(fs);
    if (fp && fclose(fp) != 0)
        ok = 0;
    if (fs && fclose(fs) != 0)
        ok = 0;
    if (!ok) {
        free(fp ? *paths : NULL);
        free(fs ? *sums : NULL);
        *paths = *sums = NULL;
    }
    return ok;
}

/* The head of a part (nsm_part_new and nsm_part_create copy it), handed to make; a part made in
** memory when path is NULL, in a file otherwise. */
static nsm_status part_make(const char *kind, const nsm_model *m, const nsm_cli_options *o,
                            uint32_t shard, uint32_t n_shards, uint64_t first, uint64_t count,
                            const char *path, nsm_part **p, nsm_diag *d)
{
    char version[128];
    snprintf(version, sizeof version, "%s (commit %s)", NSM_VERSION, NSM_GIT_COMMIT);
    char *scenario = NULL, *sums = NULL, *options = options_text(m, o);
    int named = head_scenarios(m, o, &scenario, &sums);
    nsm_part_head h = {(char *)(uintptr_t)kind, version, sums, scenario, options, o->seed,
                       shard, n_shards, first, count};
    nsm_status st = NSM_OK;
    *p = NULL;
    if (!options || !named)
        st = NSM_ERR_NOMEM;
    else if (path)
        st = nsm_part_create(&h, path, p, d);
    else if (!(*p = nsm_part_new(&h)))
        st = NSM_ERR_NOMEM;
    free(scenario);
    free(sums);
    free(options);
    return st;
}

nsm_part *nsm_cli_part_new(const char *kind, const nsm_model *m, const nsm_cli_options *o,
                           uint32_t shard, uint32_t n_shards, uint64_t first, uint64_t count)
{
    nsm_part *p = NULL;
    part_make(kind, m, o, shard, n_shards, first, count, NULL, &p, NULL);
    return p;
}

nsm_status nsm_cli_part_create(const char *kind, const nsm_model *m, const nsm_cli_options *o,
                               uint32_t shard, uint32_t n_shards, uint64_t first, uint64_t count,
                               const char *path, nsm_part **p, nsm_diag *d)
{
    nsm_status st = part_make(kind, m, o, shard, n_shards, first, count, path, p, d);
    if (st == NSM_ERR_NOMEM && !d->error)
        nsm_diag_error(d, st, "out of memory");
    return st;
}

nsm_status nsm_cli_part_add(nsm_part *p, nsm_accum *const *acc, nsm_paired *const *paired,
                            int n_arms, const nsm_cli_interactions *inter, const nsm_story *story,
                            const double *const *reals, int n_reals, size_t n_each,
                            uint64_t events)
{
    nsm_status st = NSM_OK;
    for (int r = 0; st == NSM_OK && r < n_reals; r++)
        st = nsm_part_add_reals(p, reals[r], n_each);
    for (int a = 0; st == NSM_OK && a < n_arms; a++)
        st = nsm_part_add_accum(p, acc[a]);
    for (int a = 1; st == NSM_OK && paired && a < n_arms; a++)
        st = nsm_part_add_paired(p, paired[a]);
    for (int k = 0; st == NSM_OK && inter && k < 3 * inter->n; k++)
        st = nsm_part_add_paired(p, inter->ipaired[k]);
    if (st == NSM_OK && inter && inter->rivals)
        st = nsm_part_add_rivals(p, inter->rivals);
    if (st == NSM_OK && story)
        st = nsm_part_add_story(p, story);
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
    else if (st != NSM_OK)
        nsm_cli_print_diag(command, st, d);
    else /* e.g. a killed shard's temporary file removed (nsm_part_save): said even with --quiet */
        nsm_cli_print_warnings(d, 0);
    nsm_cli_catch_sigint(0);
    return code;
}

nsm_status nsm_cli_part_check_scenario(const nsm_part *p, const nsm_model *const *models, int n,
                                       nsm_diag *d)
{
    const nsm_part_head *h = nsm_part_head_of(p);
    /* the head's checksums (';'-joined) and paths (one a line) side by side, scenario by
    ** scenario; the first that differs is named */
    const char *sum = h->checksum, *path = h->scenario;
    int a = 0;
    for (; a < n && *sum; a++) {
        size_t ls = strcspn(sum, ";"), lp = strcspn(path, "\n");
        if (ls != strlen(models[a]->checksum) || strncmp(sum, models[a]->checksum, ls) != 0)
            return nsm_diag_error(d, NSM_ERR_INPUT, "%s: written from scenario sha256:%.*s, but "
                                  "%.*s is now sha256:%s: merge with the scenario the parts were "
                                  "run with", nsm_part_name(p), (int)ls, sum, (int)lp, path,
                                  models[a]->checksum);
        sum += ls + (sum[ls] == ';');
        path += lp + (path[lp] == '\n');
    }
    if (a == n && !*sum)
        return NSM_OK;
    return nsm_diag_error(d, NSM_ERR_INPUT, "%s: written from other scenarios (sha256:%s) than "
                          "these %d: damaged, or written by another neasim", nsm_part_name(p),
                          h->checksum, n);
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

/* The per-draw values a part holds (REAL sections, run and compare --outer) must be what a draw
** gives, though the seal is right, as partial.c requires of its counts: reals[0] the probabilities
** of outcomes, in [0, 1]; reals[1] (compare) the paired standard errors, not below 0 nor
** infinite, or NaN where a draw's runs are too few for one; reals[2] (compare) whether an arm is
** the best by less than the draw's noise, 0 or 1, or NaN where the draw could not tell. */
static nsm_status check_reals(const nsm_part *p, int r, const double *x, size_t n, nsm_diag *d)
{
    static const char *const what[] = {"probability", "standard error", "best-within-noise flag"};
    for (size_t k = 0; k < n; k++) {
        int ok = r == 0   ? x[k] >= 0.0 && x[k] <= 1.0
                 : r == 1 ? isnan(x[k]) || (x[k] >= 0.0 && isfinite(x[k]))
                          : isnan(x[k]) || x[k] == 0.0 || x[k] == 1.0;
        if (!ok)
            return nsm_diag_error(d, NSM_ERR_INPUT, "%s: damaged: a per-draw %s of %g, which no "
                                  "draw gives", nsm_part_name(p), what[r < 2 ? r : 2], x[k]);
    }
    return NSM_OK;
}

nsm_status nsm_cli_part_read_interactions(nsm_part *p, const nsm_cli_interactions *inter,
                                          nsm_accum *const *acc, nsm_diag *d)
{
    /* the pairs (a, b), (a, a+b), (b, a+b) of each triple {a, b, a+b} */
    static const int ends[3][2] = {{0, 1}, {0, 2}, {1, 2}};
    nsm_status st = NSM_OK;
    for (int i = 0; st == NSM_OK && inter && i < 3 * inter->n; i++) {
        const int *t = inter->tri[i / 3], *e = ends[i % 3];
        st = nsm_part_read_paired(p, inter->ipaired[i], acc[t[e[0]]], acc[t[e[1]]], d);
    }
    if (st == NSM_OK && inter && inter->rivals)
        st = nsm_part_read_rivals(p, inter->rivals, (const nsm_accum *const *)acc, d);
    return st;
}

nsm_status nsm_cli_parts_read(const nsm_cli_parts *ps, const nsm_model *const *models,
                              int n_models, uint64_t total, nsm_accum **acc, nsm_paired **paired,
                              int n_arms, const nsm_cli_interactions *inter, nsm_story *story,
                              double **reals, int n_reals, size_t per_item, nsm_diag *d)
{
    nsm_status st = NSM_OK;
    for (int k = 0; st == NSM_OK && k < ps->n; k++) {
        nsm_part *p = ps->part[k];
        const nsm_part_head *h = nsm_part_head_of(p);
        st = nsm_cli_part_check_scenario(p, models, n_models, d);
        if (st == NSM_OK)
            st = check_slice(p, total, d);
        for (int r = 0; st == NSM_OK && r < n_reals; r++) {
            st = nsm_part_read_reals(p, reals[r] + h->first * per_item, h->count * per_item, d);
            if (st == NSM_OK)
                st = check_reals(p, r, reals[r] + h->first * per_item, h->count * per_item, d);
        }
        for (int a = 0; st == NSM_OK && a < n_arms; a++)
            st = nsm_part_read_accum(p, acc[a], d);
        for (int a = 1; st == NSM_OK && paired && a < n_arms; a++)
            st = nsm_part_read_paired(p, paired[a], acc[0], acc[a], d);
        if (st == NSM_OK)
            st = nsm_cli_part_read_interactions(p, inter, acc, d);
        if (st == NSM_OK && story)
            st = nsm_part_read_story(p, story, d);
        if (st == NSM_OK && !nsm_part_at_end(p))
            st = nsm_diag_error(d, NSM_ERR_INPUT, "%s: holds more than this command reads "
                                "(damaged?)", nsm_part_name(p));
    }
    return st;
}

void nsm_cli_parts_release(nsm_cli_parts *ps)
{
    for (int k = 0; ps->part && k < ps->n; k++)
        nsm_part_free(ps->part[k]);
    free(ps->part);
    ps->part = NULL;
    ps->n = 0;
}
