/*
** score.c: `neasim score RESULTS --observed FILE`: score a results folder's forecasts against what
** happened, write scores.csv atomically and print the totals with what each number means (for
** several arms, one line of headline totals per arm).
*/
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "neasim/outdir.h"
#include "neasim/score.h"

static const char SCORE_HELP[] =
    "Usage: neasim score RESULTS --observed FILE.csv [--reference RESULTS2] [--arm NAME|all]\n"
    "                    [--reference-arm NAME] [--out DIR] [--bom] [--quiet]\n"
    "\n"
    "Score the forecasts of results folder RESULTS (of run, run --outer or compare) against the\n"
    "realized values in FILE.csv (columns quantity,name,window_start,window_end,observed and\n"
    "optionally source: see README.md). Writes scores.csv into RESULTS/score (or DIR) and\n"
    "prints the totals. A comparison's arms are all scored, each also against its first arm\n"
    "(the baseline), unless --arm names one.\n"
    "\n"
    "      --observed FILE    what happened (required)\n"
    "      --reference DIR    a second results folder (e.g. a climatology scenario's run):\n"
    "                         adds its scores and skill scores, 1 - score / reference score\n"
    "      --arm NAME         score only this arm of a comparison's results (default all:\n"
    "                         every arm)\n"
    "      --reference-arm NAME   the arm of a comparison given as --reference (default its\n"
    "                         first, the baseline)\n"
    "  -o, --out DIR          folder for scores.csv (default RESULTS/score)\n"
    "      --bom              start the CSV with a UTF-8 byte-order mark (Excel)\n"
    "  -q, --quiet            no summary\n"
    "  -h, --help             this help\n"
    "  -V, --version          the version\n";

typedef struct {
    nsm_score_options so;
    const char *out;
    int bom, quiet;
    char out_path[4096];
} score_cli;

static int parse(int argc, char **argv, score_cli *o)
{
    static const struct option longopts[] = {
        {"observed", required_argument, NULL, 'O'}, {"reference", required_argument, NULL, 'r'},
        {"arm", required_argument, NULL, 'a'},      {"reference-arm", required_argument, NULL, 'A'},
        {"out", required_argument, NULL, 'o'},      {"bom", no_argument, NULL, 'b'},
        {"quiet", no_argument, NULL, 'q'},          {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},        {NULL, 0, NULL, 0}};
    *o = (score_cli){0};
    opterr = 0;
    for (int c; (c = getopt_long(argc, argv, ":o:qhV", longopts, NULL)) != -1;) {
        switch (c) {
        case 'h': fputs(SCORE_HELP, stdout); return -1;
        case 'V': nsm_cli_version(); return -1;
        case ':':
            return nsm_cli_usage_error("score", "option '%s' needs a value", argv[optind - 1]);
        case 'O': o->so.observed = optarg; break;
        case 'r': o->so.reference = optarg; break;
        case 'a': o->so.arm = optarg; break;
        case 'A': o->so.ref_arm = optarg; break;
        case 'o': o->out = optarg; break;
        case 'b': o->bom = 1; break;
        case 'q': o->quiet = 1; break;
        default: return nsm_cli_usage_error("score", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return nsm_cli_usage_error("score", optind >= argc ? "which results? give a folder"
                                                         : "give one results folder, not %d",
                                   argc - optind);
    o->so.results = argv[optind];
    if (!o->so.observed)
        return nsm_cli_usage_error("score", "--observed FILE.csv is required");
    if (o->so.ref_arm && !o->so.reference)
        return nsm_cli_usage_error("score", "--reference-arm needs --reference");
    return 0;
}

/* The destination: --out, or RESULTS/score. */
static int destination(score_cli *o)
{
    char buf[4096];
    const char *want = o->out;
    if (!want) {
        snprintf(buf, sizeof buf, "%s/score", o->so.results);
        want = buf;
    }
    nsm_diag d;
    nsm_diag_init(&d);
    nsm_status st = nsm_outdir_path(want, o->out_path, sizeof o->out_path, &d);
    if (st != NSM_OK)
        nsm_cli_usage_error("score", "%s", d.error ? d.error : "bad --out");
    nsm_diag_release(&d);
    return st == NSM_OK ? 0 : EXIT_USAGE;
}

static nsm_status write_folder(const score_cli *o, const nsm_score_table *t, const char *staging,
                               int argc, char **argv, nsm_diag *d)
{
    nsm_manifest *mf = calloc(1, sizeof *mf);
    if (!mf)
        return nsm_diag_error(d, NSM_ERR_NOMEM, "out of memory");
    const nsm_write_options wo = {o->bom};
    nsm_cli_manifest_head(mf, argc, argv);
    nsm_manifest_add(mf, "results", "%s", o->so.results);
    nsm_manifest_add(mf, "observed", "%s", o->so.observed);
    nsm_manifest_add(mf, "arm", "%s", t->n_arms == 0 ? "NA" : o->so.arm ? o->so.arm : "all");
    nsm_manifest_add(mf, "reference", "%s", o->so.reference ? o->so.reference : "NA");
    /* the reference's arm: --reference-arm, else its first for a comparison's folder */
    nsm_manifest_add(mf, "reference_arm", "%s", t->reference_arm[0] ? t->reference_arm : "NA");
    nsm_manifest_add(mf, "start_date", "%s", t->start);
    nsm_manifest_add(mf, "end_date", "%s", t->end);
    nsm_manifest_add(mf, "items", "%d", t->n_items);
    char started[32];
    nsm_cli_now(started);
    nsm_manifest_add(mf, "started_utc", "%s", started);
    nsm_status st = nsm_score_write(staging, t, &wo, d);
    if (st == NSM_OK)
        st = nsm_results_write_manifest(staging, mf, &wo, d);
    free(mf);
    return st;
}

static void print_number(double v)
{
    if (isnan(v))
        printf(" %10s", "");
    else
        printf(" %10.4g", v);
}

/* The headline total of quantity q in arm a's block: over every name ("all") when there are
** several, else its one name; of the Brier score (yes/no rows) or the CRPS (counts). */
static const nsm_score_row *headline(const nsm_score_table *t, const char *q, int a)
{
    const nsm_score_row *found = NULL;
    const char *m = strcmp(q, "event") ? "brier" : "crps";
    for (int i = 0; i < t->n_rows; i++) {
        const nsm_score_row *r = &t->rows[i];
        if (r->arm != a || strcmp(r->scope, "total") || strcmp(r->quantity, q) ||
            strcmp(r->metric, m))
            continue;
        if (!strcmp(r->name, "all"))
            return r;
        found = found ? found : r;
    }
    return found;
}

/* A skill as text: three decimals, but 0.000 only when it is exactly 0 (never -0.000), and one
** significant digit for a value that three decimals would round to zero (-0.0003), so that the
** sign, and whether an interval holds 0, read as they are. */
static void skill_text(char *buf, size_t size, double v)
{
    if (v == 0.0)
        snprintf(buf, size, "0.000");
    else if (fabs(v) < 0.0005)
        snprintf(buf, size, "%.1g", v);
    else
        snprintf(buf, size, "%.3f", v);
}

/* A skill as a field of 13 (blank when there is none). */
static int skill_field(char *buf, size_t size, double v)
{
    char text[32] = "";
    if (!isnan(v))
        skill_text(text, sizeof text, v);
    return snprintf(buf, size, " %12s", text);
}

/* Print a line built in buf without its trailing blanks. */
static void put_line(char *buf)
{
    size_t n = strlen(buf);
    while (n > 0 && buf[n - 1] == ' ')
        buf[--n] = 0;
    puts(buf);
}

/* Append to the line buf (of size LINE) a cell padded to width w. */
enum { LINE = 1024 };
static void add_cell(char *buf, const char *cell, int w)
{
    size_t n = strlen(buf);
    snprintf(buf + n, LINE - n, "  %-*s", w, cell);
}

/* One line per arm: the headline totals, each with its skill against the first arm (none on the
** first arm's own line) and, with --reference, against the reference. */
static void summary_arms(const nsm_score_table *t)
{
    static const char *const Q[] = {"outcome", "state", "event"};
    const nsm_score_row *h[3];
    char title[3][256];
    int gw[3], w = 4;
    for (int a = 0; a < t->n_arms; a++)
        w = (int)strlen(t->arms[a]) > w ? (int)strlen(t->arms[a]) : w;
    printf("Totals per arm: the mean score over the rows (smaller is better) and its skill\n"
           "against %s, the comparison's first arm (skill vs 1st)%s.\n"
           "scores.csv has every total, each row's scores and the 95%% intervals.\n\n",
           t->baseline, t->has_reference ? ",\nand against the reference (skill vs ref)" : "");
    char line[LINE];
    snprintf(line, sizeof line, "%-*s", w, "");
    for (int k = 0; k < 3; k++) {
        if ((h[k] = headline(t, Q[k], 0)) == NULL)
            continue;
        int len = snprintf(title[k], sizeof title[k], "%s %s (%s, %lld row%s)", Q[k],
                           h[k]->metric, h[k]->name, (long long)h[k]->n, h[k]->n == 1 ? "" : "s");
        gw[k] = 11 + 13 * (1 + t->has_reference);
        gw[k] = len > gw[k] ? len : gw[k];
        add_cell(line, title[k], gw[k]);
    }
    put_line(line);
    snprintf(line, sizeof line, "%-*s", w, "arm");
    for (int k = 0; k < 3; k++)
        if (h[k]) {
            char cell[64];
            snprintf(cell, sizeof cell, "%11s %12s%s", "score", "skill vs 1st",
                     t->has_reference ? " skill vs ref" : "");
            add_cell(line, cell, gw[k]);
        }
    put_line(line);
    for (int a = 0; a < t->n_arms; a++) {
        snprintf(line, sizeof line, "%-*s", w, t->arms[a]);
        for (int k = 0; k < 3; k++) {
            if (!h[k])
                continue;
            const nsm_score_row *r = headline(t, Q[k], a);
            char cell[64];
            int n = snprintf(cell, sizeof cell, "%11.4g", r ? r->value : (double)NAN);
            n += skill_field(cell + n, sizeof cell - (size_t)n,
                             r && strcmp(t->arms[a], t->baseline) ? r->baseline_skill
                                                                    : (double)NAN);
            if (t->has_reference)
                skill_field(cell + n, sizeof cell - (size_t)n, r ? r->skill : (double)NAN);
            add_cell(line, cell, gw[k]);
        }
        put_line(line);
    }
}

static void summary(const score_cli *o, const nsm_score_table *t)
{
    /* the dates are the results' report dates, not the observed rows' span */
    printf("%s scored against %s: %d observed row%s, on results from %s to %s", o->so.results,
           o->so.observed, t->n_items, t->n_items == 1 ? "" : "s", t->start, t->end);
    if (t->n_arms > 1)
        printf(", %d arms", t->n_arms);
    else if (t->n_arms == 1)
        printf(", arm %s", t->arms[0]);
    printf(" -> %s/scores.csv\n\n", o->out_path);
    /* Several arms, or one (--arm) that is not the first: the skill against the first arm, whose
       scores the library computes for every arm it scores. */
    const int against_first = t->n_arms > 1 || (t->n_arms == 1 && strcmp(t->arms[0], t->baseline));
    if (against_first) {
        summary_arms(t);
        printf("\n");
    }
    int w = 4;
    for (int i = 0; i < t->n_rows; i++)
        if (!strcmp(t->rows[i].scope, "total") && (int)strlen(t->rows[i].name) > w)
            w = (int)strlen(t->rows[i].name);
    if (t->n_arms > 1)
        printf("Every total of %s, the first arm:\n", t->arms[0]);
    else if (against_first)
        printf("Every total of %s:\n", t->arms[0]);
    printf("%-8s %-*s %-17s %4s %10s %10s %s\n", "quantity", w, "name", "metric", "n", "score",
           t->has_reference ? "reference" : "",
           t->has_reference ? "     skill (95% interval)" : "");
    for (int i = 0; i < t->n_rows; i++) {
        const nsm_score_row *r = &t->rows[i];
        if (strcmp(r->scope, "total") || r->arm > 0)
            continue;
        printf("%-8s %-*s %-17s %4lld", r->quantity, w, r->name, r->metric, (long long)r->n);
        print_number(r->value);
        print_number(r->reference_value);
        if (!isnan(r->skill)) {
            char a[32], b[32], c[32];
            skill_text(a, sizeof a, r->skill);
            printf(" %10s", a);
            if (!isnan(r->skill_lo)) {
                skill_text(b, sizeof b, r->skill_lo);
                skill_text(c, sizeof c, r->skill_hi);
                printf(" (%s to %s)", b, c);
            }
        }
        printf("\n");
    }
    printf("\nbrier: mean squared error of the probabilities (0 perfect; 0.25 for always 50%%).\n"
           "log:   mean -ln(probability given to what happened) (0 perfect; 0.69 for\n"
           "       always 50%%).\n"
           "crps:  mean distance between the forecast distribution of a count and the observed\n"
           "       count, in counts (0 perfect; the mean absolute error for a point forecast).\n"
           "pit:   mean mid-PIT, where the observed count falls in the forecast (0.5 if centred;\n"
           "       below: counts lower than forecast; above: higher).\n"
           "in_50, in_90: share of observed counts inside the central 50%% and 90%% intervals\n"
           "       (calibrated: at least 0.5 and 0.9, as a count's interval, ends included,\n"
           "       holds at least its level; more for a rare event: read pit too).\n"
           "brier_reliability (0 is calibrated), brier_resolution (larger is better),\n"
           "       brier_uncertainty: the Brier score's parts (Murphy 1973).\n");
    if (t->has_reference)
        printf("skill: 1 - score / reference score (1 perfect, 0 no better than the reference,\n"
               "       below 0 worse), with a 95%% interval paired over the observed rows\n"
               "       (Student's t: wide when they are few; it ends at 1, as the skill does).\n");
}

int nsm_cli_score(int argc, char **argv)
{
    score_cli o;
    int code = parse(argc, argv, &o);
    if (code)
        return code < 0 ? EXIT_OK : code;
    if ((code = destination(&o)) != 0)
        return code;
    nsm_score_table t;
    nsm_diag d;
    nsm_diag_init(&d);
    char *staging = NULL;
    nsm_status st = nsm_score(&o.so, &t, &d);
    if (st == NSM_ERR_USAGE && d.error) { /* --arm or --reference-arm the folders cannot meet */
        nsm_cli_print_warnings(&d, o.quiet);
        code = nsm_cli_usage_error("score", "%s", d.error);
        goto out;
    }
    if (st != NSM_OK) {
        nsm_cli_print_diag("score", st, &d);
        code = nsm_cli_exit_code(st, 1);
        goto out;
    }
    nsm_cli_catch_sigint(1);
    st = nsm_outdir_begin(o.out_path, &staging, &d);
    nsm_cli_print_warnings(&d, o.quiet);
    if (st == NSM_OK)
        st = write_folder(&o, &t, staging, argc, argv, &d);
    /* The one ending of every command that writes a folder (signals.c): commit, or abort and say
       why ("nothing was written" after Ctrl-C). */
    code = nsm_cli_finish_folder("score", &st, staging, o.out_path, &d);
    if (st == NSM_OK && !o.quiet)
        summary(&o, &t);
out:
    free(staging);
    nsm_score_release(&t);
    nsm_diag_release(&d);
    return code;
}
