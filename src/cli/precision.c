/*
** precision.c: `run` and `compare --precision H [--precision-for LIST]`: which probabilities the
** target is for, the rule that stops the batches (nsm_run_batched; with --outer, batches of
** draws, nsm_cli_precision_draws), and what the summary and the manifest say about it. The
** statistic itself is summary/precision.c's.
**
** Under mpirun (nsm_cli_precision_ranks) the batches are those of one process, each split between
** the ranks; after every batch each rank's status and partial result go to rank 0, which adds them
** and applies the same rule to the same integers, and shares its verdict. The loop is here rather
** than in nsm_run_batched because a rank that fails or is stopped must still take part in that
** batch's exchange (nsm_run_batched returns at once), so that no rank waits on one that left.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "neasim/arms.h"
#include "neasim/compare.h"
#include "neasim/engine.h"
#include "neasim/precision.h"

static int outcome_index(const nsm_model *m, const char *name)
{
    for (int o = 0; o < m->n_outcomes; o++)
        if (strcmp(m->outcomes[o].name, name) == 0)
            return o;
    return -1;
}

static int unknown_outcome(const char *cmd, const nsm_model *m, const char *name)
{
    char list[1024] = "";
    for (int o = 0; o < m->n_outcomes; o++) {
        size_t n = strlen(list);
        snprintf(list + n, sizeof list - n, "%s%s", o ? ", " : "", m->outcomes[o].name);
    }
    return nsm_cli_usage_error(cmd, "--precision-for: scenario '%s' has no outcome '%s'; name "
                               "one of its outcomes (%s), optionally with @YEARS",
                               m->name, name, m->n_outcomes ? list : "it has none");
}

/* "@Y" (years after the start) into a report index; -1 after a message. */
static int report_of(const char *cmd, const nsm_model *m, const char *at)
{
    char *end;
    double y = strtod(at, &end);
    double last = (m->n_reports - 1) * m->report_interval_months / 12.0;
    long i = *at && !*end && y > 0 ? lround(y * 12.0 / m->report_interval_months) : -1;
    if (i < 1 || i >= m->n_reports) {
        nsm_cli_usage_error(cmd, "--precision-for: '@%s' is not a horizon of scenario '%s': give "
                            "a number of years after the start, up to %g (%s)",
                            at, m->name, last, m->report_date[m->n_reports - 1]);
        return -1;
    }
    return (int)i;
}

/* The arms a comparison's ARM: may name (all but the first), for a message. */
static void arm_list(const char *const *arms, int n_arms, char *buf, size_t n)
{
    buf[0] = '\0';
    for (int a = 1; a < n_arms; a++) {
        size_t k = strlen(buf);
        snprintf(buf + k, n - k, "%s%s", a > 1 ? ", " : "", arms[a]);
    }
}

/* The arm of an item's "ARM:" (cut off the item), 0 for an item without one (every arm), or -1
** after a message: `run` has no arms; the first arm is what the others are compared with. The
** last colon ends the arm, as an outcome's name holds none and a scenario's arm name might. */
static int arm_of(const char *cmd, char *item, const char *const *arms, int n_arms)
{
    char *colon = strrchr(item, ':');
    if (!colon)
        return 0;
    *colon = '\0';
    if (!arms) {
        nsm_cli_usage_error(cmd, "--precision-for: '%s:' names an arm, and `run` has none: name "
                            "outcomes and dates (OUTCOME, OUTCOME@YEARS or @YEARS)", item);
        return -1;
    }
    if (strcmp(colon + 1, "interactions") == 0) {
        nsm_cli_usage_error(cmd, "--precision-for: '%s:interactions': an interaction belongs to "
                            "two arms, not to '%s'; give `interactions` alone", item, item);
        return -1;
    }
    for (int a = 1; a < n_arms; a++)
        if (strcmp(arms[a], item) == 0)
            return a;
    char list[1024]; /* the arms it may name, for the message */
    arm_list(arms, n_arms, list, sizeof list);
    if (n_arms > 0 && strcmp(arms[0], item) == 0)
        nsm_cli_usage_error(cmd, "--precision-for: '%s' is what the other arms are compared with "
                            "(its difference from itself is 0); name one of the others (%s)",
                            item, list);
    else
        nsm_cli_usage_error(cmd, "--precision-for: this comparison has no arm '%s'; name one of "
                            "its arms (%s) before the colon, as ARM:OUTCOME@YEARS", item, list);
    return -1;
}

/* One item, [ARM:]OUTCOME, [ARM:]OUTCOME@YEARS, [ARM:]@YEARS or ARM: (the default's outcomes and
** dates), appended to t (room for it is there). */
static int add_item(const char *cmd, const nsm_model *m, char *item, const nsm_horizons *def,
                    const char *const *arms, int n_arms, nsm_precision_target *t, int *n)
{
    const int arm = arm_of(cmd, item, arms, n_arms);
    if (arm < 0)
        return EXIT_USAGE;
    if (arm > 0)
        item = strchr(item, '\0') + 1; /* after the arm's colon */
    char *at = strchr(item, '@');
    int report = -1, o0 = 0, o1 = m->n_outcomes;
    if (at) {
        *at++ = '\0';
        if ((report = report_of(cmd, m, at)) < 0)
            return EXIT_USAGE;
    }
    if (item[0]) {
        if ((o0 = outcome_index(m, item)) < 0)
            return unknown_outcome(cmd, m, item);
        o1 = o0 + 1;
    }
    for (int o = o0; o < o1; o++)
        for (int h = 0; h < (at ? 1 : def->n); h++)
            t[(*n)++] = (nsm_precision_target){o, at ? report : def->idx[h], arm};
    return 0;
}

/* The item `interactions`, unless the scenario has an outcome of that name (which it then names,
** as it did before the word meant anything): 1 after setting *flag, 0 for any other item, or -1
** after a message when the command has no interactions (flag NULL). */
static int interactions_item(const char *cmd, const nsm_model *m, const char *item, int *flag)
{
    const int word = strcmp(item, "interactions") == 0,
              dated = strncmp(item, "interactions@", 13) == 0;
    if ((!word && !dated) || outcome_index(m, "interactions") >= 0)
        return 0;
    if (!flag) {
        nsm_cli_usage_error(cmd, "--precision-for interactions: only `compare` with arms of two "
                            "levers (a+b, --factorial) has interactions, and not with --outer");
        return -1;
    }
    if (dated) {
        nsm_cli_usage_error(cmd, "--precision-for: 'interactions' takes no date: it holds the "
                            "dates of the other items (or of the default) for the interactions "
                            "too; give e.g. @%s,interactions", item + 13);
        return -1;
    }
    *flag = 1;
    return 1;
}

int nsm_cli_precision_targets(const char *cmd, const char *list, const nsm_model *m,
                              const nsm_horizons *def, const char *const *arms, int n_arms,
                              nsm_precision_target **targets, int *n, int *interactions)
{
    *n = 0;
    int others = 0; /* items other than `interactions` */
    size_t items = 1;
    for (const char *p = list ? list : ""; *p; p++)
        items += *p == ',';
    char *buf = strdup(list ? list : "");
    *targets = calloc(items * (size_t)(m->n_outcomes + 1) * (NSM_MAX_HORIZONS + 1),
                      sizeof **targets);
    if (!buf || !*targets) {
        free(buf);
        fprintf(stderr, "%s %s: out of memory\n", nsm_cli_prog, cmd);
        return EXIT_SOFTWARE;
    }
    int code = 0;
    if (!list) /* the default: every outcome at every horizon of the summary */
        code = add_item(cmd, m, buf, def, arms, n_arms, *targets, n);
    char *save = NULL;
    for (char *it = list ? strtok_r(buf, ",", &save) : NULL; it && !code;
         it = strtok_r(NULL, ",", &save)) {
        int word = interactions_item(cmd, m, it, interactions);
        if (word < 0)
            code = EXIT_USAGE;
        else if (!word) {
            code = add_item(cmd, m, it, def, arms, n_arms, *targets, n);
            others++;
        }
    }
    if (!code && list && !others && interactions && *interactions) { /* the default's targets */
        buf[0] = '\0';
        code = add_item(cmd, m, buf, def, arms, n_arms, *targets, n);
    }
    free(buf);
    if (!code && *n == 0 && list)
        code = nsm_cli_usage_error(cmd, "--precision-for names nothing: give OUTCOME, "
                                   "OUTCOME@YEARS or @YEARS, separated by commas%s",
                                   !arms          ? ""
                                   : interactions ? " (each after ARM: for one arm; and "
                                                    "interactions)"
                                                  : " (each after ARM: for one arm)");
    else if (!code && *n == 0 && m->n_outcomes == 0)
        code = nsm_cli_usage_error(cmd, "--precision aims at outcomes, and scenario '%s' has "
                                   "none (outcomes.csv)", m->name);
    else if (!code && *n == 0)
        code = nsm_cli_usage_error(cmd, "--precision: no horizon falls within the dates of "
                                   "scenario '%s': name some with --precision-for @YEARS",
                                   m->name);
    return code;
}

int nsm_cli_precision_room(nsm_cli_precision *p)
{
    const int n = p->interactions && p->inter ? p->inter->n : 0;
    p->scratch = malloc(((size_t)p->m->n_reports + 1) * sizeof *p->scratch);
    if (n > 0)
        p->inputs = malloc((size_t)n * sizeof *p->inputs);
    return p->scratch && (n == 0 || p->inputs) ? 0 : -1;
}

void nsm_cli_precision_release(nsm_cli_precision *p)
{
    free(p->targets);
    free(p->inputs);
    free(p->scratch);
    p->targets = NULL;
    p->inputs = NULL;
    p->scratch = NULL;
}

/* The widest of the interactions at the targets: their inputs as interactions.csv reads them. */
static nsm_precision_widest widest_interaction(const nsm_cli_precision *p)
{
    const nsm_cli_interactions *in = p->inter;
    nsm_comparison cmp = {p->m, NULL, p->n_arms, (const nsm_accum *const *)p->acc, p->paired,
                          {0}, NULL, in->n, in->tri, in->ipaired, NULL};
    for (int k = 0; k < in->n; k++)
        p->inputs[k] = nsm_comparison_interaction(&cmp, k);
    return nsm_precision_interactions(p->m, p->inputs, in->n, p->targets, p->n_targets,
                                      p->scratch);
}

int nsm_cli_precision_enough(void *ctx)
{
    nsm_cli_precision *p = ctx;
    const nsm_accum *const *acc = (const nsm_accum *const *)p->acc;
    p->widest = p->n_arms > 1 ? nsm_precision_compare(p->m, acc, p->paired, p->n_arms, p->targets,
                                                      p->n_targets)
                              : nsm_precision_run(p->m, acc[0], p->targets, p->n_targets,
                                                  p->scratch);
    p->widest_interaction = 0;
    if (p->inputs && !isnan(p->widest.half_width)) { /* inputs: nsm_cli_precision_room */
        nsm_precision_widest wi = widest_interaction(p);
        if (isnan(wi.half_width) || wi.half_width > p->widest.half_width) {
            p->widest = wi;
            p->widest_interaction = 1;
        }
    }
    p->met = p->widest.half_width <= p->h; /* NaN: not yet */
    nsm_progress_precision(p->bar, p->widest.half_width, nsm_accum_runs(acc[0]));
    return p->met;
}

/* Arm a by its name, or (labelled) by its label (nsm_arm_label: its levers' labels). */
static const char *arm_called(const nsm_cli_precision *p, int a, int labelled, char *buf,
                              size_t n)
{
    if (!labelled || !p->arms)
        return p->arm_names[a];
    nsm_arm_label(p->m, &p->arms[a], buf, n);
    return buf;
}

/* "alliance_in_crisis by 2030-01-01" (and ", arm a+b" in a comparison, or ", the interaction of
** a and b"), as the manifest keeps it; labelled, as the summary line tells it: "U.S.-ROK alliance
** in crisis by 2030-01-01, arm Equitable burden sharing" (the outcomes and arms by their labels,
** as the table above it names them). */
static void where(const nsm_cli_precision *p, int labelled, char *buf, size_t n)
{
    const nsm_precision_widest *w = &p->widest;
    if (w->target < 0) {
        snprintf(buf, n, "NA");
        return;
    }
    const nsm_precision_target *t = &p->targets[w->target];
    const nsm_outcome *oc = &p->m->outcomes[t->outcome];
    const char *outcome = labelled ? nsm_label_or_name(oc->label, oc->name) : oc->name;
    char a1[512], a2[512];
    if (p->widest_interaction) {
        const int *tri = p->inter->tri[w->arm];
        snprintf(buf, n, "%s by %s, the interaction of %s and %s", outcome,
                 p->m->report_date[t->report], arm_called(p, tri[0], labelled, a1, sizeof a1),
                 arm_called(p, tri[1], labelled, a2, sizeof a2));
        return;
    }
    snprintf(buf, n, "%s by %s%s%s", outcome, p->m->report_date[t->report],
             p->arm_names ? ", arm " : "",
             p->arm_names ? arm_called(p, w->arm, labelled, a1, sizeof a1) : "");
}

void nsm_cli_precision_manifest(nsm_manifest *mf, const nsm_cli_precision *p, const char *list)
{
    char at[1200];
    where(p, 0, at, sizeof at);
    nsm_manifest_add(mf, "precision_target", "%g", p->h);
    nsm_manifest_add(mf, "precision_for", "%s", list);
    if (p->outer_runs) {
        nsm_manifest_add(mf, "precision_first_batch", "%d", NSM_CLI_FEW_DRAWS);
        nsm_manifest_add(mf, "precision_batch", "%d", NSM_CLI_PRECISION_DRAWS);
        nsm_manifest_add(mf, "precision_draws_ceiling", "%llu", (unsigned long long)p->ceiling);
    } else {
        nsm_manifest_add(mf, "precision_batch", "%d", NSM_CLI_PRECISION_BATCH);
        nsm_manifest_add(mf, "precision_runs_ceiling", "%llu", (unsigned long long)p->ceiling);
    }
    nsm_manifest_add(mf, "precision_met", "%s", p->met ? "yes" : "no");
    nsm_manifest_add(mf, "precision_widest_half_width", "%.6g", p->widest.half_width);
    nsm_manifest_add(mf, "precision_widest_at", "%s", at);
}

void nsm_cli_precision_say(const nsm_cli_precision *p, uint64_t count, int quiet)
{
    char at[1200], used[64];
    where(p, 1, at, sizeof at);
    if (p->outer_runs) /* "40 draws of 1000 runs" */
        snprintf(used, sizeof used, "%llu draws of %llu runs", (unsigned long long)count,
                 (unsigned long long)p->outer_runs);
    else
        snprintf(used, sizeof used, "%llu runs", (unsigned long long)count);
    const char *option = p->outer_runs ? "--outer" : "--runs";
    if (p->met && !quiet)
        printf("Precision: target +-%g percentage points met after %s (widest 95%% half-width "
               "%.2f points: %s)\n", 100 * p->h, used, 100 * p->widest.half_width, at);
    else if (!p->met && !quiet)
        fprintf(stderr, "%s: warning: precision target +-%g percentage points NOT met: the "
                "ceiling %s %llu was reached with a widest 95%% half-width of %.2f points (%s); "
                "raise %s or accept a larger --precision\n", nsm_cli_prog, 100 * p->h, option,
                (unsigned long long)count, 100 * p->widest.half_width, at, option);
}

uint64_t nsm_cli_precision_batch(const nsm_cli_precision *p, uint64_t done)
{
    const uint64_t n = !p->outer_runs ? NSM_CLI_PRECISION_BATCH
                       : done == 0    ? NSM_CLI_FEW_DRAWS
                                      : NSM_CLI_PRECISION_DRAWS;
    return p->ceiling - done < n ? p->ceiling - done : n;
}

/* The progress of a batch of draws told as that of the whole run (nsm_cli_precision_draws). */
typedef struct {
    void (*told)(void *ctx, uint64_t done, uint64_t total);
    void *ctx;
    uint64_t before, total; /* replications: of the batches before, of the ceiling */
} whole_progress;

static void progress_of_whole(void *ctx, uint64_t done, uint64_t total)
{
    (void)total; /* the batch's */
    const whole_progress *w = ctx;
    w->told(w->ctx, w->before + done, w->total);
}

nsm_status nsm_cli_precision_draws(nsm_cli_precision *p, nsm_run_config *rc,
                                   nsm_cli_draws_batch batch, void *ctx, nsm_run_stats *rs,
                                   uint64_t *done, nsm_diag *d)
{
    whole_progress w = {rc->progress, rc->progress_ctx, 0, p->ceiling * p->outer_runs};
    nsm_run_config each = *rc; /* told of the whole run */
    if (rc->progress) {
        each.progress = progress_of_whole;
        each.progress_ctx = &w;
    }
    nsm_status st = NSM_OK;
    *rs = (nsm_run_stats){0, 0, 0, 0.0};
    *done = 0;
    for (uint64_t n; st == NSM_OK && (n = nsm_cli_precision_batch(p, *done)) > 0;) {
        nsm_run_stats one = {0, 0, 0, 0.0};
        w.before = *done * p->outer_runs;
        st = batch(ctx, &each, *done, n, &one, d);
        rs->threads = one.threads;
        rs->events += one.events;
        rs->draws += one.draws;
        rs->wall_seconds += one.wall_seconds;
        *done += n;
        if (st == NSM_OK && nsm_cli_precision_enough(p))
            break;
    }
    return st;
}

/* --- Under mpirun: the same batches, each split between the ranks --- */

/* Rank 0: add the batch's parts (one a rank, in rank order) into the totals. Integer sums, so
** the totals are those of one process that ran the batch whole; with --outer each draw's row of
** the per-draw tables is copied to its place, as a merge reads them. */
static nsm_status add_parts(nsm_cli_precision *p, const nsm_cli_parts *ps, nsm_diag *d)
{
    nsm_status st = NSM_OK;
    for (int k = 0; st == NSM_OK && k < ps->n; k++) {
        const nsm_part_head *h = nsm_part_head_of(ps->part[k]);
        for (int r = 0; st == NSM_OK && r < p->n_reals; r++) /* --outer: its draws' rows */
            st = nsm_part_read_reals(ps->part[k], p->reals[r] + h->first * p->per_draw,
                                     h->count * p->per_draw, d);
        for (int a = 0; st == NSM_OK && a < p->n_arms; a++)
            st = nsm_part_read_accum(ps->part[k], p->acc[a], d);
        for (int a = 1; st == NSM_OK && p->paired && a < p->n_arms; a++)
            st = nsm_part_read_paired(ps->part[k], p->paired[a], p->acc[0], p->acc[a], d);
        if (st == NSM_OK)
            st = nsm_cli_part_read_interactions(ps->part[k], p->inter, p->acc, d);
        if (st == NSM_OK && p->story)
            st = nsm_part_read_story(ps->part[k], p->story, d);
        if (st == NSM_OK && !nsm_part_at_end(ps->part[k]))
            st = nsm_diag_error(d, NSM_ERR_INPUT, "%s: holds more than a batch (damaged?)",
                                nsm_part_name(ps->part[k]));
        p->events += nsm_part_events(ps->part[k]);
    }
    return st;
}

/* One batch on every rank, then the exchange: this rank's status (and part), rank 0's verdict. */
static nsm_status one_batch(nsm_cli_precision *p, nsm_status ready, nsm_cli_batch_slice slice,
                            void *ctx, uint64_t done, uint64_t n, nsm_diag *out)
{
    const uint64_t rank = (uint64_t)nsm_cli_world_rank(), k = (uint64_t)nsm_cli_world_size();
    const uint64_t lo = n * rank / k, hi = n * (rank + 1) / k; /* as nsm_batches slices */
    nsm_part *part = NULL;
    nsm_diag d;
    nsm_diag_init(&d);
    nsm_status st = ready == NSM_OK ? slice(ctx, done + lo, hi - lo, &part, &d) : ready;
    if (st == NSM_ERR_NOMEM && !d.error)
        nsm_diag_error(&d, st, "out of memory");
    nsm_cli_parts ps = {NULL, 0, 0, 0.0};
    st = nsm_cli_ranks_gather(st, part, &d, &ps, out);
    if (rank == 0 && st == NSM_OK)
        st = add_parts(p, &ps, out);
    nsm_cli_parts_release(&ps);
    nsm_part_free(part);
    nsm_diag_release(&d);
    return st;
}

nsm_status nsm_cli_precision_ranks(nsm_cli_precision *p, nsm_status ready,
                                   nsm_cli_batch_slice slice, void *ctx, nsm_diag *out)
{
    const int rank = nsm_cli_world_rank();
    /* the verdict shared after each batch: -1 go on, 0 done, else the status that ends it */
    int verdict = -1;
    for (uint64_t done = 0; verdict == -1;) {
        const uint64_t n = nsm_cli_precision_batch(p, done);
        nsm_status st = one_batch(p, ready, slice, ctx, done, n, out);
        done += n;
        /* one process asks the rule after every batch but the last, and once more after the
        ** last one: asking after every batch comes to the same */
        if (rank == 0)
            verdict = st != NSM_OK                                       ? (int)st
                      : !nsm_cli_precision_enough(p) && done < p->ceiling ? -1
                                                                          : 0;
        verdict = nsm_cli_world_share(verdict);
    }
    return (nsm_status)verdict;
}
