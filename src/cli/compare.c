/*
** compare.c: `neasim compare SCENARIO --levers a,b,a+b`: every arm on common random numbers,
** paired differences with intervals, and a briefing table on stdout.
*/
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "neasim/arms.h"
#include "neasim/briefing.h"
#include "neasim/compare.h"
#include "neasim/paired.h"
#include "neasim/text.h"
#include "neasim/outdir.h"
#include "neasim/xlsx.h"
#include "cli/progress.h"

static const char COMPARE_HELP[] =
    "Usage: neasim compare SCENARIO --levers LIST [--factorial] [--runs N] [--seed S]\n"
    "                      [--threads T] [--out DIR] [--horizons Y1,Y2,...] [--outer N]\n"
    "                      [--bom] [--xlsx] [--quiet]\n"
    "       neasim compare SCENARIO_A SCENARIO_B [SCENARIO_C ...] [--runs N] [--seed S] ...\n"
    "\n"
    "With several scenario folders, the arms are the scenarios themselves (named after their\n"
    "`name`, shown by their `label`; the first is the one the others are set against), on\n"
    "common random numbers: they must have the same report dates, factors and counted\n"
    "events; outcomes not in every scenario are left out (and listed). Default folder\n"
    "results/A-vs-B. No --levers or --factorial then. With --outer, each draw draws every\n"
    "scenario's uncertain numbers: a number the scenarios share (the same path) takes the\n"
    "same value in all of them.\n"
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
    "      --horizons LIST years of the briefing table, each a report date (default\n"
    "                      2,5,10 within the horizon, and its end)\n"
    "      --nominal       uncertain numbers at their means (default: drawn per replication,\n"
    "                      the same draws in every arm)\n"
    "      --outer N       two levels: N draws of the uncertain numbers, each with --runs\n"
    "                      replications of every arm (the same draw in every arm); adds\n"
    "                      each effect's judgment range (uncertainty_differences.csv) and\n"
    "                      each arm's (uncertainty.csv, as run --outer writes it); a range\n"
    "                      that is mostly Monte Carlo noise is marked '?'\n"
    "      --top K         print at most K levers per outcome (the K that help most;\n"
    "                      default all)\n"
    "      --precision H   stop once every paired difference of the briefing has a 95%\n"
    "                      interval at most +-H wide (0.01 is +-1 point), adding\n"
    "                      replications in batches of 1000; --runs is then the ceiling\n"
    "                      (default 1000000). With --outer, draws (30, then 10 at a time)\n"
    "                      up to --outer N, the intervals of the mean change over them\n"
    "      --precision-for LIST\n"
    "                      the differences H is for: OUTCOME (at every --horizons),\n"
    "                      OUTCOME@YEARS or @YEARS (every outcome), separated by commas;\n"
    "                      after ARM: for that arm alone (ARM: alone: every outcome);\n"
    "                      `interactions` holds them for the interactions of two levers\n"
    "                      too (a+b, --factorial)\n"
    "      --max-events N  a replication of more than N events fails (default 10000000)\n"
    "      --shard I/N     simulate only slice I of N of the replications (--outer: of the\n"
    "                      draws) and write a partial result to --out PART (neasim merge)\n"
    "      --bom           start each CSV with a UTF-8 byte-order mark (for Excel)\n"
    "      --xlsx          also results.xlsx: every table as a sheet, typed cells\n"
    "  -q, --quiet         no progress bar, no table, no warnings\n"
    "  -h, --help          this help\n"
    "  -V, --version       the version\n";

/* Percentage points with their sign, as the tables give them, the brief and the figures show
** them (nsm_pp_text, compare.h): "+3.1" / "-0.4"; a non-zero value that one decimal rounds to
** zero keeps one significant digit ("-0.04"), so that an interval that excludes zero never shows
** 0.0 at an end; exactly zero is "0.0", never "-0.0" (a sign reads as a change where there is
** none). */
static const char *pp(double x, char buf[NSM_PP_TEXT_MAX])
{
    return nsm_pp_text(buf, x, 1);
}

/* One cell of the printed briefing: the change, its Monte Carlo interval and, on two levels, its
** judgment range over the draws (or, when memory runs out for it, that it could not be shown: the
** tables, written before, have it), marked '?' when that range is mostly the noise of a draw
** (nsm_judgment_mostly_noise): 1 then, 0 otherwise. */
static int briefing_cell(const nsm_comparison *cmp, int a, int o, int h, char *cell, size_t n)
{
    const nsm_model *m = cmp->m;
    nsm_difference d = nsm_comparison_effect(cmp, a, o, h);
    char b1[NSM_PP_TEXT_MAX], b2[NSM_PP_TEXT_MAX], b3[NSM_PP_TEXT_MAX];
    int k = snprintf(cell, n, "%5s (%s, %s)%s", pp(100 * d.diff, b1), pp(100 * d.lo, b2),
                     pp(100 * d.hi, b3), d.lo > 0 || d.hi < 0 ? "" : " ~");
    if (cmp->outer && k > 0 && (size_t)k < n) {
        nsm_judgment j;
        if (nsm_outer_effect(m, cmp->outer, a, o, h, &j) == NSM_OK) {
            int noise = nsm_judgment_mostly_noise(&j);
            snprintf(cell + k, n - (size_t)k, " [%s, %s]%s", pp(100 * j.q05, b1),
                     pp(100 * j.q95, b2), noise ? "?" : "");
            return noise;
        }
        snprintf(cell + k, n - (size_t)k, " [out of memory]");
    }
    return 0;
}

/* After an outcome's label: whether it is an onset (the probability is of beginning after the
** start, not of holding at some time) and which way is better. */
static const char *outcome_note(const nsm_outcome *oc)
{
    int onset = oc->occurrence == NSM_OCCUR_ONSET;
    switch (oc->desirable) {
    case NSM_DESIRABLE_LOWER: return onset ? " (onset; lower is better)" : " (lower is better)";
    case NSM_DESIRABLE_HIGHER: return onset ? " (onset; higher is better)" : " (higher is better)";
    case NSM_DESIRABLE_NONE: break;
    }
    return onset ? " (onset)" : "";
}

/* Whether arm a's effect on outcome o is distinguishable from zero at some horizon. */
static int any_distinguishable(const nsm_comparison *cmp, int a, int o)
{
    for (int h = 0; h < cmp->horizons.n; h++) {
        nsm_difference d = nsm_comparison_effect(cmp, a, o, h);
        if (d.lo > 0 || d.hi < 0)
            return 1;
    }
    return 0;
}

/* What the briefing calls the arms: levers of one scenario, or whole scenarios (compare A B ...),
** each against the first, which the printed text names. A scenario is not a lever: it does not
** help or hurt an outcome, the outcome is better or worse in it (as the brief says:
** figures_common.R, nsm_arm_words); briefing.csv's `verdict` keeps helps and hurts for both. */
typedef struct {
    /* "lever", "no lever", "levers" (of 2 or more), "lever" (of 1), "effect", "baseline" */
    const char *one, *none, *others, *other, *effect, *first;
    const char *helps, *hurts, *none_helps; /* verdicts; "no lever helps by" */
} arm_words;

static arm_words words_of(const nsm_comparison *cmp, int scenarios)
{
    return scenarios ? (arm_words){"scenario", "no other scenario", "other scenarios",
                                   "other scenario", "difference",
                                   nsm_label_or_name(cmp->arms[0].label, cmp->arms[0].name),
                                   "better", "worse", "is better"}
                     : (arm_words){"lever", "no lever", "levers", "lever", "effect", "baseline",
                                   "helps", "hurts", "helps"};
}

/* The arm column's widest label: longer ones are cut (with "...") rather than push every figure
** off the right of the screen, as run's summary cuts its outcomes. */
enum { ARM_COLUMN_MAX = 48 };

/* The baseline row's head, "NAME (probability)", spans the arm column, its verdict and the blank
** between them (lw + 9 columns): cut to fit there, NAME first (a scenario's name may be long). */
static const char BASELINE_MARK[] = " (probability)";

static void baseline_head(const arm_words *aw, int lw, char *buf, size_t n)
{
    char name[1024]; /* >= 4 bytes a column of ARM_COLUMN_MAX: a cut by bytes never shows */
    snprintf(name, sizeof name, "%s", aw->first);
    nsm_text_fit(name, lw + 9 - (int)strlen(BASELINE_MARK));
    snprintf(buf, n, "%s%s", name, BASELINE_MARK);
}

/* The baseline's row of an outcome: its probability at each horizon. */
static void print_baseline_row(const nsm_comparison *cmp, int o, int lw, int w,
                               const arm_words *aw)
{
    const nsm_horizons *hz = &cmp->horizons;
    char head[1100];
    baseline_head(aw, lw, head, sizeof head);
    printf("  ");
    nsm_text_pad(stdout, head, lw + 9);
    for (int h = 0; h < hz->n; h++) {
        nsm_difference d = nsm_difference_outcome(cmp->m, cmp->acc[0], cmp->acc[1],
                                                  cmp->paired[1], o, 1, hz->idx[h]);
        char cell[32];
        snprintf(cell, sizeof cell, "%.1f%%", 100 * d.baseline);
        printf("  %-*s", h + 1 < hz->n ? w : 0, cell); /* no trailing blanks */
    }
    printf("\n");
}

/* Arm `arm`'s label in at most `width` columns. An arm of several levers too long for it is cut
** lever by lever, each keeping its share of the columns (a shorter lever its whole label, the
** rest shared out), so that "Equitable burden sharing + U.S. posture review before any cut" and
** the same plus "+ NCG institutionalised" do not both come out as "Equitable burden sharing +
** U.S. posture re...", as one cut of the whole made them; the full labels are in the line that
** names the best lever, briefing.csv and labels.csv. Too many levers for a share of 4 columns
** each: one cut of the whole. */
enum { SHARED_MAX = 16 }; /* more levers than fit 4 columns each in ARM_COLUMN_MAX */

static void arm_cell(const nsm_model *m, const nsm_arm *arm, int width, char *buf, size_t n)
{
    nsm_arm_label(m, arm, buf, n);
    const int k = arm->n_levers, room = width - 3 * (k - 1); /* " + " between levers */
    if (nsm_text_width(buf) <= width || k < 2 || k > SHARED_MAX || room < 4 * k) {
        nsm_text_fit(buf, width);
        return;
    }
    int share[SHARED_MAX], left = room, open = k;
    for (int j = 0; j < k; j++)
        share[j] = -1; /* -1: not yet given its columns */
    for (int again = 1; again;) { /* the levers that fit in an equal share take what they need */
        again = 0;
        for (int j = 0; j < k; j++) {
            const nsm_lever *lv = &m->levers[arm->levers[j]];
            int need = nsm_text_width(nsm_label_or_name(lv->label, lv->name));
            if (share[j] < 0 && need <= left / open) {
                share[j] = need;
                left -= need;
                open--;
                again = 1;
            }
        }
    }
    size_t len = 0;
    int odd = left % open; /* the cut ones share what is left, the first of them the odd columns */
    buf[0] = '\0';
    for (int j = 0; j < k && len < n; j++) {
        const nsm_lever *lv = &m->levers[arm->levers[j]];
        char part[1024];
        snprintf(part, sizeof part, "%s", nsm_label_or_name(lv->label, lv->name));
        if (share[j] < 0) {
            share[j] = left / open + odd;
            odd = 0;
            nsm_text_fit(part, share[j]);
        }
        int w = snprintf(buf + len, n - len, "%s%s", j ? " + " : "", part);
        len = w < 0 ? n : len + (size_t)w;
    }
}

/* Arm a's verdict on outcome o by the last horizon; when its change is not distinguishable there,
** the verdict at the latest horizon where it is, marked (*early = 1). */
static nsm_verdict verdict_of(const nsm_comparison *cmp, int a, int o, const nsm_difference *last,
                              int *early)
{
    const nsm_desirable dir = cmp->m->outcomes[o].desirable;
    nsm_verdict v = nsm_verdict_of(last, dir);
    *early = 0;
    for (int h = cmp->horizons.n - 2; v == NSM_VERDICT_UNCLEAR && h >= 0; h--) {
        nsm_difference d = nsm_comparison_effect(cmp, a, o, h);
        v = nsm_verdict_of(&d, dir);
        *early = v != NSM_VERDICT_UNCLEAR;
    }
    return v;
}

/* Whether arms a and b change outcome o alike to the last digit at every horizon: the same
** change and interval (and, with --outer, the same cell, its judgment range included). On common
** random numbers that is no accident: a+b and a where b does not touch o, or two scenarios that
** share o's part of the model. */
static int same_effect(const nsm_comparison *cmp, int a, int b, int o)
{
    for (int h = 0; h < cmp->horizons.n; h++) {
        nsm_difference x = nsm_comparison_effect(cmp, a, o, h),
                       y = nsm_comparison_effect(cmp, b, o, h);
        char cx[160], cy[160];
        if (x.diff != y.diff || x.lo != y.lo || x.hi != y.hi)
            return 0;
        briefing_cell(cmp, a, o, h, cx, sizeof cx);
        briefing_cell(cmp, b, o, h, cy, sizeof cy);
        if (strcmp(cx, cy) != 0)
            return 0;
    }
    return 1;
}

/* Arm a, whose effect is d, appended to buf: "2." when it is row 2 of the table above (rows[0..
** n_rows-1], the arms shown), else "LABEL (+1.2 pp)"; with " (bound)" or "; bound" when it was
** compared on the widest interval its counts allow. */
static void add_named(const nsm_comparison *cmp, int a, const nsm_difference *d, const int *rows,
                      int n_rows, int bound, char *buf, size_t n)
{
    char label[1024], b1[NSM_PP_TEXT_MAX];
    size_t k = strlen(buf);
    for (int r = 0; rows && r < n_rows; r++)
        if (rows[r] == a) {
            snprintf(buf + k, n - k, "%d.%s", r + 1, bound ? " (bound)" : "");
            return;
        }
    nsm_arm_label(cmp->m, &cmp->arms[a], label, sizeof label);
    snprintf(buf + k, n - k, "%s (%s pp%s)", label, pp(100 * d->diff, b1), bound ? "; bound" : "");
}

/* Under the line that names the best arm: how far ahead of the next it is, with the paired
** interval of the two arms' difference (nsm_comparison_rival), or, when some arm cannot be told
** apart from it, those arms (the first three by help; by their row number when the table shows
** them: rows, n_rows as add_named). The ranking is by point estimates, and a lead within the
** noise is no lead. A next arm that the table leaves out (no distinguishable effect at any date,
** or beyond --top) is named with the reason, so that a reader does not look for it above (aw:
** the arms' words). Returns 2 when an arm not told apart was compared on the widest interval its
** counts allow (the note under the table says so), else 0. */
static int print_rivals(const nsm_comparison *cmp, int o, int best, const nsm_difference *last,
                        const int *rows, int n_rows, const arm_words *aw)
{
    nsm_desirable dir = cmp->m->outcomes[o].desirable;
    int na = cmp->n_arms - 1, h = cmp->horizons.n - 1;
    int next = 0, n_tied = 0, bound = 0, tied[3], on_bound[3];
    for (int a = 1; a <= na; a++) {
        if (a == best)
            continue;
        double help = nsm_help(last[a - 1].diff, dir);
        if (!next || help > nsm_help(last[next - 1].diff, dir))
            next = a;
        int exact;
        nsm_difference r = nsm_comparison_rival(cmp, a, best, o, h, &exact);
        if (r.lo > 0 || r.hi < 0)
            continue;
        int k = n_tied < 3 ? n_tied : 3; /* keep the three that help most, in that order */
        while (k > 0 && help > nsm_help(last[tied[k - 1] - 1].diff, dir)) {
            if (k < 3) {
                tied[k] = tied[k - 1];
                on_bound[k] = on_bound[k - 1];
            }
            k--;
        }
        if (k < 3) {
            tied[k] = a;
            on_bound[k] = !exact;
        }
        n_tied++;
    }
    if (!next)
        return 0;
    char line[4096] = "";
    if (n_tied == 0) {
        char b1[NSM_PP_TEXT_MAX], b2[NSM_PP_TEXT_MAX], b3[NSM_PP_TEXT_MAX];
        add_named(cmp, next, &last[next - 1], NULL, 0, 0, line, sizeof line);
        int listed = 0; /* the next may be an arm the table leaves out: say why it is not there */
        for (int k = 0; k < n_rows; k++)
            listed |= rows[k] == next;
        if (!listed) {
            char why[160] = "raise --top";
            if (!any_distinguishable(cmp, next, o))
                snprintf(why, sizeof why, "no distinguishable %s at any date", aw->effect);
            size_t len = strlen(line); /* add_named ended it with ')': the reason goes inside */
            snprintf(line + len - 1, sizeof line - (len - 1), "; not listed above: %s)", why);
        }
        nsm_difference r = nsm_comparison_rival(cmp, next, best, o, h, NULL);
        if (dir == NSM_DESIRABLE_NONE) { /* the largest in size need not lead in a direction */
            printf("    beside the next, %s: a difference of %s pp (%s, %s)\n", line,
                   pp(-100 * r.diff, b1), pp(-100 * r.hi, b2), pp(-100 * r.lo, b3));
            return 0;
        }
        /* the lead in the outcome's better direction */
        double s = dir == NSM_DESIRABLE_LOWER ? -1 : 1;
        double lead = -s * r.diff, lo = s > 0 ? -r.hi : r.lo, hi = s > 0 ? -r.lo : r.hi;
        int sign = lo > 0 ? 0 : 1; /* a lead told apart is a size */
        printf("    ahead of the next, %s, by %s pp (%s, %s)\n", line,
               nsm_pp_text(b1, 100 * lead, sign), nsm_pp_text(b2, 100 * lo, sign),
               nsm_pp_text(b3, 100 * hi, sign));
        return 0;
    }
    int shown = n_tied < 3 ? n_tied : 3;
    for (int k = 0; k < shown; k++) {
        size_t len = strlen(line);
        snprintf(line + len, sizeof line - len, "%s",
                 k == 0 ? "" : k + 1 < shown || n_tied > shown ? ", " : " or ");
        add_named(cmp, tied[k], &last[tied[k] - 1], rows, n_rows, on_bound[k], line,
                  sizeof line);
        bound |= on_bound[k];
    }
    if (n_tied > shown) {
        size_t len = strlen(line);
        snprintf(line + len, sizeof line - len, " or %d more", n_tied - shown);
    }
    printf("    not told apart from %s\n", line);
    return bound ? 2 : 0;
}

/* A count of draws as the briefing says it: "36", "35.5" when arms tied at the top shared a draw
** (*whole 0). */
static const char *draws_text(char *buf, size_t size, double wins, int *whole)
{
    *whole = fabs(wins - round(wins)) < 1e-6;
    snprintf(buf, size, *whole ? "%.0f" : "%.1f", wins);
    return buf;
}

/* With --outer, under the best arm's lines: in how many of the draws of the uncertain numbers it
** is the best (nsm_comparison_best_share; share: room for twice every arm), "all" when in every
** one, and in how many of those by less than a draw's Monte Carlo noise, when in any. */
static void print_best_share(const nsm_comparison *cmp, int o, int best, int helps, double *share)
{
    uint64_t n = cmp->outer->n_draws;
    double *within = share + cmp->n_arms;
    nsm_comparison_best_share(cmp, o, cmp->horizons.n - 1, share, within);
    double wins = share[best] * (double)n;
    char count[64], text[32];
    int whole, all = fabs(wins - (double)n) < 1e-6;
    if (all)
        snprintf(count, sizeof count, "all %llu draws", (unsigned long long)n);
    else
        snprintf(count, sizeof count, "%s of the %llu draws",
                 draws_text(text, sizeof text, wins, &whole), (unsigned long long)n);
    printf("    %s in %s of the uncertain numbers%s\n", helps ? "the best" : "the largest change",
           count, all || whole ? "" : " (ties shared)");
    double close = isnan(within[best]) ? 0 : within[best] * (double)n;
    if (close > 1e-6)
        printf("      in %s of them by less than the Monte Carlo noise of a draw\n",
               fabs(close - wins) < 1e-6 ? "all" : draws_text(text, sizeof text, close, &whole));
}

/* One outcome: its baseline, then the levers with an effect distinguishable at some horizon,
** ranked by how much they help at the last horizon (briefing.h), at most `top` (0: all); a row
** the same to the last digit as one above it says so instead of repeating its numbers (rows:
** room for the arms shown). Returns 1 when a verdict shown is from an earlier horizon (marked
** '*'), plus 2 when an arm was not told apart from the best on a bound (print_rivals), plus 4
** when a judgment range shown is mostly noise (marked '?', briefing_cell). */
static int print_outcome(const nsm_comparison *cmp, int o, uint64_t top, int lw, int w,
                          int *order, nsm_difference *last, int *rows, double *share,
                          const arm_words *aw)
{
    const nsm_model *m = cmp->m;
    const nsm_outcome *oc = &m->outcomes[o];
    const nsm_horizons *hz = &cmp->horizons;
    int na = cmp->n_arms - 1;
    printf("\n%s%s\n", nsm_label_or_name(oc->label, oc->name), outcome_note(oc));
    print_baseline_row(cmp, o, lw, w, aw);
    for (int a = 1; a <= na; a++)
        last[a - 1] = nsm_comparison_effect(cmp, a, o, hz->n - 1);
    nsm_rank_effects(last, na, oc->desirable, order, NULL);
    int shown = 0, listed = 0, any_early = 0;
    for (int k = 0; k < na; k++) {
        int a = order[k] + 1;
        if (!any_distinguishable(cmp, a, o))
            continue;
        listed++;
        if (top && (uint64_t)shown >= top)
            continue;
        char label[1024], line[1100], verdict[16];
        int early;
        nsm_verdict v = verdict_of(cmp, a, o, &last[a - 1], &early);
        any_early |= early;
        snprintf(verdict, sizeof verdict, "%s%s", v == NSM_VERDICT_UNCLEAR ? ""
                 : v == NSM_VERDICT_HELPS ? aw->helps : v == NSM_VERDICT_HURTS ? aw->hurts
                 : nsm_verdict_name(v), early ? "*" : "");
        int rank = ++shown % 1000000, at = snprintf(NULL, 0, "%d. ", rank);
        arm_cell(m, &cmp->arms[a], lw - at, label, sizeof label); /* in columns: UTF-8 text */
        snprintf(line, sizeof line, "%d. %s", rank, label);
        printf("  ");
        nsm_text_pad(stdout, line, lw);
        printf(" %-8s", verdict);
        rows[shown - 1] = a;
        int same = 0; /* the rank of a row above with the same numbers, 0: none */
        for (int r = 0; r < shown - 1 && !same; r++)
            same = same_effect(cmp, a, rows[r], o) ? r + 1 : 0;
        for (int h = 0; h < hz->n && !same; h++) {
            char cell[160];
            if (briefing_cell(cmp, a, o, h, cell, sizeof cell))
                any_early |= 4;
            printf("  %-*s", h + 1 < hz->n ? w : 0, cell);
        }
        if (same)
            printf("  the same as %d. to the last digit, at every date", same);
        printf("\n");
    }
    if (listed > shown)
        printf("  (%d more with a distinguishable effect: raise --top)\n", listed - shown);
    char label[1024], b1[NSM_PP_TEXT_MAX];
    const nsm_difference *best = na > 0 ? &last[order[0]] : NULL;
    nsm_verdict bv = best ? nsm_verdict_of(best, oc->desirable) : NSM_VERDICT_UNCLEAR;
    if (best && (bv == NSM_VERDICT_HELPS || bv == NSM_VERDICT_CHANGES)) {
        nsm_arm_label(m, &cmp->arms[order[0] + 1], label, sizeof label);
        char lead[32];
        snprintf(lead, sizeof lead, bv == NSM_VERDICT_HELPS ? "best %s:" : "largest change:",
                 aw->one);
        printf("  %s %s (%s pp by %s)\n", lead, label, pp(100 * best->diff, b1),
               m->report_date[hz->idx[hz->n - 1]]);
        any_early |= print_rivals(cmp, o, order[0] + 1, last, rows, shown, aw);
        if (cmp->outer && cmp->n_arms > 2) /* one alternative is the best in every draw */
            print_best_share(cmp, o, order[0] + 1, bv == NSM_VERDICT_HELPS, share);
    } else if (listed == 0) {
        printf("  %s has %s %s distinguishable from zero\n", aw->none,
               aw->effect[0] == 'e' ? "an" : "a", aw->effect);
    } else {
        printf("  %s %s by %s\n", aw->none, aw->none_helps, m->report_date[hz->idx[hz->n - 1]]);
    }
    if (na - listed > 0)
        printf("  %d of %d %s: no distinguishable %s\n", na - listed, na,
               na == 1 ? aw->other : aw->others, aw->effect); /* "1 of 1 lever" */
    return any_early;
}

/* The briefing table; scenarios: the arms are whole scenarios (compare A B ...), each against
** the first, and the text says so instead of calling them levers. */
static void print_briefing(const nsm_comparison *cmp, uint64_t top, int scenarios)
{
    const arm_words aw = words_of(cmp, scenarios);
    const nsm_model *m = cmp->m;
    const nsm_horizons *hz = &cmp->horizons;
    int w = cmp->outer ? 40 : 24;
    int na = cmp->n_arms - 1;
    int *order = malloc(((size_t)na + 1) * sizeof *order);
    int *rows = malloc(((size_t)na + 1) * sizeof *rows);
    nsm_difference *last = malloc(((size_t)na + 1) * sizeof *last);
    double *share = malloc(2 * ((size_t)na + 1) * sizeof *share);
    if (!order || !rows || !last || !share || hz->n == 0 || na == 0) {
        free(order);
        free(rows);
        free(last);
        free(share);
        return;
    }
    /* "by each date": the columns are dates, and the probability is of having occurred by
    ** each, not of holding at it */
    if (scenarios)
        /* the first scenario's label ends its line: a long one makes it longer, not the rest */
        printf("\nChange in the probability that each outcome has occurred by each date, from the\n"
               "first scenario to each other scenario, in percentage points (paired 95%%\n"
               "interval; '~' marks a change not distinguishable from zero). The first: %s.\n"
               "Scenarios ranked by how much better they are by %s (the best first);\n"
               "scenarios with no distinguishable difference at any horizon are counted, not\n"
               "listed.\n",
               aw.first, m->report_date[hz->idx[hz->n - 1]]);
    else
        printf("\nChange in the probability that each outcome has occurred by each date, in\n"
               "percentage points (paired 95%% interval; '~' marks a change not distinguishable\n"
               "from zero). Levers ranked by how much they help by %s (largest help first);\n"
               "levers with no distinguishable effect at any horizon are counted, not listed.\n",
               m->report_date[hz->idx[hz->n - 1]]);
    for (int o = 0; o < m->n_outcomes; o++)
        if (m->outcomes[o].occurrence == NSM_OCCUR_ONSET) {
            printf("An outcome marked onset counts only a change into it after the start (runs\n"
                   "that start in it count only if they leave it and return).\n");
            break;
        }
    if (cmp->outer) {
        uint64_t n = cmp->outer->n_draws;
        printf("(the paired interval is of the mean change over the %llu draws, counting them as\n"
               "the sample of judgments they are)\n", (unsigned long long)n);
        nsm_cli_few_draws_note(n, 1);
        printf("[judgment 5-95%%: the range of the change over the %llu draws of the uncertain "
               "numbers]\n", (unsigned long long)n);
        nsm_cli_judgment_range_note(n, "changes");
    }
    /* the arm column as wide as the longest "N. label" and the baseline row's head (which also
    ** spans the verdict column), within reason */
    int lw = nsm_text_width(aw.first) + (int)strlen(BASELINE_MARK) - 9;
    lw = lw < 16 ? 16 : lw > ARM_COLUMN_MAX ? ARM_COLUMN_MAX : lw;
    for (int a = 1; a <= na; a++) {
        char label[1024];
        nsm_arm_label(m, &cmp->arms[a], label, sizeof label);
        int len = nsm_text_width(label) + 4;
        lw = len > lw ? (len > ARM_COLUMN_MAX ? ARM_COLUMN_MAX : len) : lw;
    }
    char head[32];
    snprintf(head, sizeof head, "outcome / %s", aw.one);
    printf("\n");
    nsm_text_pad(stdout, head, lw + 11);
    for (int h = 0; h < hz->n; h++)
        printf("  %-*s", h + 1 < hz->n ? w : 0, m->report_date[hz->idx[h]]);
    printf("\n");
    int early = 0;
    for (int o = 0; o < m->n_outcomes; o++)
        early |= print_outcome(cmp, o, top, lw, w, order, last, rows, share, &aw);
    if (early & 1)
        printf("\n*: not distinguishable by %s; the verdict is that of the latest horizon where "
               "it is.\n", m->report_date[hz->idx[hz->n - 1]]);
    if (early & 2)
        printf("%s(bound): not told apart on the widest interval that the counts allow: these\n"
               "%s ran paired with %s, not with each other, so their own difference's\n"
               "variance is not known (briefing.csv: minus_best_interval bound).\n",
               early & 1 ? "" : "\n", scenarios ? "scenarios" : "arms",
               scenarios ? aw.first : "the baseline");
    if (early & 4)
        printf("%s[...]?: a judgment range that is mostly the Monte Carlo noise of a draw, not\n"
               "judgment: the draws' spread is at most 1.41 times the noise of one draw's\n"
               "change (uncertainty_differences.csv: between_draws_sd, monte_carlo_sd); more\n"
               "--runs a draw shrink the noise and show the judgment range.\n",
               early & 3 ? "" : "\n");
    free(order);
    free(rows);
    free(last);
    free(share);
}

/* The interactions distinguishable from zero at some horizon, at most `top` (0: all). */
static void print_interactions(const nsm_comparison *cmp, uint64_t top)
{
    const nsm_model *m = cmp->m;
    const nsm_horizons *hz = &cmp->horizons;
    if (cmp->n_interactions == 0 || hz->n == 0)
        return;
    int64_t *s = malloc(((size_t)m->n_reports + 1) * sizeof *s);
    if (!s) { /* interactions.csv, written, holds them */
        fprintf(stderr, "%s compare: out of memory: the interactions are not printed\n",
                nsm_cli_prog);
        return;
    }
    printf("\nInteractions: the change of both levers together minus the changes of each alone\n"
           "(a+b - a - b), in percentage points with its paired 95%% interval; 0: the levers' effects\n"
           "add up. Only those distinguishable from zero at some horizon:\n");
    int shown = 0, listed = 0;
    for (int k = 0; k < cmp->n_interactions; k++) {
        nsm_interaction_inputs in = nsm_comparison_interaction(cmp, k);
        char label[1024];
        nsm_arm_label(m, &cmp->arms[cmp->interactions[k][2]], label, sizeof label);
        for (int o = 0; o < m->n_outcomes; o++) {
            nsm_difference d[NSM_MAX_HORIZONS];
            int any = 0;
            for (int h = 0; h < hz->n; h++) {
                d[h] = nsm_interaction_outcome(m, &in, o, hz->idx[h], s);
                any |= d[h].lo > 0 || d[h].hi < 0;
            }
            if (!any)
                continue;
            listed++;
            if (top && (uint64_t)shown >= top)
                continue;
            shown++;
            printf("  %s on %s:", label,
                   nsm_label_or_name(m->outcomes[o].label, m->outcomes[o].name));
            for (int h = 0; h < hz->n; h++) {
                char b1[NSM_PP_TEXT_MAX], b2[NSM_PP_TEXT_MAX], b3[NSM_PP_TEXT_MAX];
                printf("  by %s %s (%s, %s)%s", m->report_date[hz->idx[h]], pp(100 * d[h].diff, b1),
                       pp(100 * d[h].lo, b2), pp(100 * d[h].hi, b3),
                       d[h].lo > 0 || d[h].hi < 0 ? "" : " ~");
            }
            printf("\n");
        }
    }
    if (listed > shown)
        printf("  (%d more: raise --top)\n", listed - shown);
    if (listed == 0)
        printf("  none (%d pair%s of levers x %d outcome%s)\n", cmp->n_interactions,
               cmp->n_interactions == 1 ? "" : "s", m->n_outcomes, m->n_outcomes == 1 ? "" : "s");
    free(s);
}

typedef struct {
    nsm_accum **acc;
    nsm_paired **paired;
    int n;
    nsm_outer_comparison outer; /* with --outer */
    int n_tri;                  /* interactions (not with --outer) */
    int (*tri)[3];
    nsm_paired **ipaired;       /* 3 per interaction */
    nsm_rivals *rivals;         /* every two arms (rivals_alloc) */
} results;

/* r's interactions as a part carries them (cli/shard.c): the one place that names them so. */
static nsm_cli_interactions interactions_of(const results *r)
{
    return (nsm_cli_interactions){r->n_tri, (const int (*)[3])r->tri, r->ipaired, r->rivals};
}

/* What a results_alloc that failed could not hold, said so that the analyst can act on it: with
** --outer, every draw's probability and standard error per arm, outcome and date (two doubles). */
static nsm_status results_nomem(nsm_diag *d, const nsm_model *m, int n_arms, uint64_t draws,
                                const nsm_horizons *hz)
{
    if (!draws)
        return nsm_diag_error(d, NSM_ERR_NOMEM, "neasim compare: out of memory");
    double gb = 16.0 * (double)draws * n_arms * m->n_outcomes * hz->n / 1e9;
    return nsm_diag_error(d, NSM_ERR_NOMEM,
                          "neasim compare: out of memory: --outer %llu keeps each draw's "
                          "probabilities for %d arms x %d outcomes x %d dates (%.1f GB): use "
                          "fewer draws",
                          (unsigned long long)draws, n_arms, m->n_outcomes, hz->n, gb);
}

/* Also after a results_alloc that failed part way: r->n is set before the arrays exist. */
static void results_free(results *r)
{
    for (int a = 0; a < r->n; a++) {
        if (r->acc)
            nsm_accum_free(r->acc[a]);
        if (r->paired)
            nsm_paired_free(r->paired[a]);
    }
    for (int k = 0; r->ipaired && k < 3 * r->n_tri; k++)
        nsm_paired_free(r->ipaired[k]);
    nsm_rivals_free(r->rivals);
    free(r->ipaired);
    free(r->tri);
    free(r->acc);
    free(r->paired);
    free(r->outer.p);
    free(r->outer.se);
    free(r->outer.close);
}

/* The interactions the arms allow, each with its three extra paired accumulators. */
static int interactions_alloc(results *r, const nsm_model *m, const nsm_arm *arms, int n)
{
    r->tri = malloc(((size_t)n + 1) * sizeof *r->tri);
    if (!r->tri)
        return -1;
    r->n_tri = nsm_arms_interactions(arms, n, r->tri);
    r->ipaired = calloc(3 * (size_t)r->n_tri + 1, sizeof *r->ipaired);
    for (int k = 0; r->ipaired && k < 3 * r->n_tri; k++)
        if (!(r->ipaired[k] = nsm_paired_alloc(m)))
            return -1;
    return r->ipaired ? 0 : -1;
}

/* The rivals: every two arms at the horizons of the briefing, so that it sets a lever beside the
** best on the exact interval of their difference rather than on the widest the counts allow
** (nsm_comparison_rival). A pair costs a few instructions an outcome a replication (rivals.h),
** so every comparison has them, --outer's too, unless their counts would take more than
** RIVALS_MAX_BYTES (a copy a thread, and the totals): they grow as the square of the arms (the
** baseline's 15 outcomes at 4 horizons: 600 bytes a pair, so up to 669 arms, a factorial of 9
** levers; 10 levers, 1,024 arms, would take 314 MB a copy, 12 levers 5 GB; a factorial of 8
** peaked at 454 MB on 2 threads with them, 385 MB without). Beyond, the briefing marks the arms it sets
** beside the best on the bound. Decided by the model, the arms and the horizons alone, so that
** every shard and rank has them or none (cli/shard.c). */
#define RIVALS_MAX_BYTES (128.0 * 1024 * 1024)

static int rivals_alloc(results *r, const nsm_model *m, int n, const nsm_horizons *hz)
{
    double pairs = (double)n * (n - 1) / 2, bytes = pairs * m->n_outcomes * (hz->n + 1) * 8.0;
    if (bytes > RIVALS_MAX_BYTES)
        return 0; /* r->rivals NULL: the bound */
    return (r->rivals = nsm_rivals_alloc(m, n, hz->idx, hz->n)) ? 0 : -1;
}

/* The rivals; with --outer (o->outer), the per-draw probabilities of `draws` draws at the
** horizons hz (a rank's slice may hold none); without, the interactions of the arms: what the
** parts of every rank carry alike (cli/shard.c). */
static int results_alloc(results *r, const nsm_model *m, const nsm_arm *arms, int n,
                         const nsm_cli_options *o, uint64_t draws, const nsm_horizons *hz)
{
    r->n = n;
    if ((!o->outer && interactions_alloc(r, m, arms, n)) || rivals_alloc(r, m, n, hz))
        return -1;
    if (draws) {
        size_t cells = (size_t)draws * (size_t)n * (size_t)m->n_outcomes * (size_t)hz->n + 1;
        r->outer = (nsm_outer_comparison){draws, 0, n, *hz, calloc(cells, sizeof(double)),
                                          calloc(cells, sizeof(double)),
                                          calloc(cells, sizeof(double))};
        if (!r->outer.p || !r->outer.se || !r->outer.close)
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
                               const nsm_model *const *models, const nsm_manifest *mf,
                               const nsm_cli_options *o, nsm_diag *d)
{
    const char **names = calloc((size_t)cmp->n_arms, sizeof *names);
    if (!names)
        return nsm_diag_error(d, NSM_ERR_NOMEM, "out of memory");
    for (int a = 0; a < cmp->n_arms; a++)
        names[a] = cmp->arms[a].name;
    const nsm_write_options wo = {o->bom};
    nsm_status st =
        nsm_results_write_arms(staging, cmp->m, cmp->n_arms, names, models, cmp->acc, mf, &wo, d);
    free(names);
    if (st == NSM_OK)
        st = nsm_compare_write(staging, cmp, &wo, d);
    if (st == NSM_OK && o->xlsx) /* last: it is built from the CSVs above */
        st = nsm_xlsx_write(staging, NULL, d);
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

/* compare A B ...: which scenarios, and the outcomes left out. */
static void add_scenarios(nsm_manifest *mf, const nsm_model *const *models,
                          const nsm_cli_options *o, const char *dropped)
{
    char paths[4000] = "", sums[4000] = "", warns[4000] = "";
    for (int a = 0; a < o->n_scenarios; a++) {
        size_t n = strlen(paths), k = strlen(sums), w = strlen(warns);
        snprintf(paths + n, sizeof paths - n, "%s%s", a ? ";" : "", o->scenarios[a]);
        snprintf(sums + k, sizeof sums - k, "%ssha256:%s", a ? ";" : "", models[a]->checksum);
        snprintf(warns + w, sizeof warns - w, "%s%d", a ? ";" : "", models[a]->n_warnings);
    }
    nsm_manifest_add(mf, "scenario_paths", "%s", paths);
    nsm_manifest_add(mf, "scenario_checksums", "%s", sums);
    nsm_manifest_add(mf, "scenario_warnings_each", "%s", warns);
    nsm_manifest_add(mf, "outcomes_left_out", "%s", dropped[0] ? dropped : "none");
}

/* Every arm on common random numbers (of cmp->m, or arm a of models[a]), with the pairs of the
** paired differences, (0, a), of the interactions, (a, b), (a, a+b), (b, a+b), and the rivals; in
** batches b (--precision), or in one go (NULL). */
static nsm_status run_pairs(const nsm_comparison *cmp, const nsm_model *const *models,
                            const nsm_run_config *rc, const nsm_batches *b, results *res,
                            nsm_run_stats *rs, nsm_diag *d)
{
    int na = cmp->n_arms - 1, n = na + 3 * res->n_tri;
    int (*pairs)[2] = malloc(((size_t)n + 1) * sizeof *pairs);
    nsm_paired **all = malloc(((size_t)n + 1) * sizeof *all);
    nsm_status st = pairs && all ? NSM_OK : nsm_diag_error(d, NSM_ERR_NOMEM, "out of memory");
    for (int a = 1; st == NSM_OK && a <= na; a++) {
        pairs[a - 1][0] = 0;
        pairs[a - 1][1] = a;
        all[a - 1] = res->paired[a];
    }
    for (int k = 0; st == NSM_OK && k < res->n_tri; k++) {
        const int *t = res->tri[k];
        const int ends[3][2] = {{t[0], t[1]}, {t[0], t[2]}, {t[1], t[2]}};
        for (int j = 0; j < 3; j++) {
            pairs[na + 3 * k + j][0] = ends[j][0];
            pairs[na + 3 * k + j][1] = ends[j][1];
            all[na + 3 * k + j] = res->ipaired[3 * k + j];
        }
    }
    const nsm_pairings pr = {n, (const int (*)[2])pairs, all, res->rivals};
    if (st == NSM_OK)
        st = nsm_compare_run_pairs(cmp->m, models, cmp->arms, cmp->n_arms, rc, b, res->acc, &pr,
                                   rs, d);
    free(pairs);
    free(all);
    return st;
}

/* Doubles a draw of compare --outer has in each per-draw table. */
static size_t per_draw(const nsm_comparison *cmp)
{
    return (size_t)cmp->n_arms * (size_t)cmp->m->n_outcomes * (size_t)cmp->horizons.n;
}

/* What a batch of compare --outer's draws runs into (draws_of): every arm's totals, and the
** per-draw tables whose row 0 is draw `base` of the whole. */
typedef struct {
    const nsm_comparison *cmp;
    const nsm_model *const *models; /* compare A B ...; NULL for levers */
    results *res;
    uint64_t base;
} draws_plan;

/* Draws first .. first + count - 1 of the whole, each of rc->runs replications of every arm
** (nsm_cli_draws_batch: with --precision, a batch). */
static nsm_status draws_of(void *ctx, nsm_run_config *rc, uint64_t first, uint64_t count,
                           nsm_run_stats *rs, nsm_diag *d)
{
    const draws_plan *dp = ctx;
    const nsm_comparison *cmp = dp->cmp;
    results *res = dp->res;
    nsm_outer_comparison rows = res->outer;
    const size_t skip = (size_t)(first - dp->base) * per_draw(cmp);
    rows.n_draws = count;
    rows.p += skip;
    rows.se += skip;
    rows.close += skip;
    rc->first_rep = first * rc->runs;
    nsm_status st = dp->models ? nsm_compare_outer_models(dp->models, cmp->arms, cmp->n_arms, rc,
                                                          &rows, res->acc, res->paired,
                                                          res->rivals, rs, d)
                               : nsm_compare_outer(cmp->m, cmp->arms, cmp->n_arms, rc, &rows,
                                                   res->acc, res->paired, res->rivals, rs, d);
    res->outer.runs = rows.runs;
    res->outer.n_arms = rows.n_arms;
    return st;
}

/* The results of every arm: read from the parts of a merge, or simulated: items first ..
** first + count - 1 of the whole (replications, or with --outer draws; a shard is a slice;
** prec: with --precision, never for a shard: replications, or with --outer draws, in batches
** until its target, count the ceiling; with parts, those of a --precision under mpirun). */
static nsm_status results_of(const nsm_comparison *cmp, const nsm_model *const *models,
                             const nsm_cli_options *o, nsm_run_config *rc, results *res,
                             nsm_cli_precision *prec, nsm_run_stats *rs, uint64_t first,
                             uint64_t count, nsm_diag *d)
{
    const nsm_model *m = cmp->m;
    if (o->parts) {
        *rs = (nsm_run_stats){rc->threads > 0 ? rc->threads : omp_get_max_threads(), 0, 0,
                              o->parts->wall_seconds};
        double *reals[3] = {res->outer.p, res->outer.se, res->outer.close};
        res->outer.runs = o->runs; /* set by nsm_compare_outer when it runs */
        /* --precision under mpirun: one part of the items used, below the ceiling */
        uint64_t total = prec && o->parts->n ? nsm_part_head_of(o->parts->part[0])->count
                         : o->outer          ? o->outer
                                             : o->runs;
        if (o->outer)
            res->outer.n_draws = total; /* the table has room for o->outer */
        const nsm_cli_interactions inter = interactions_of(res);
        nsm_status st = nsm_cli_parts_read(o->parts, models ? models : &m, models ? cmp->n_arms
                                           : 1, total, res->acc, res->paired, cmp->n_arms, &inter,
                                           NULL, reals, o->outer ? 3 : 0, per_draw(cmp), d);
        if (st == NSM_OK && prec) /* --precision under mpirun: the rule on what rank 0 writes */
            nsm_cli_precision_enough(prec);
        return st;
    }
    if (cmp->outer) {
        rc->runs = o->runs;
        draws_plan dp = {cmp, models, res, first};
        return prec ? nsm_cli_precision_draws(prec, rc, draws_of, &dp, rs, &res->outer.n_draws, d)
                    : draws_of(&dp, rc, first, count, rs, d);
    }
    rc->first_rep = first;
    rc->runs = count;
    if (!prec)
        return run_pairs(cmp, models, rc, NULL, res, rs, d);
    /* --precision: whole batches of every arm (and the interactions' pairs) until the target */
    const nsm_batches b = {NSM_CLI_PRECISION_BATCH, nsm_cli_precision_enough, prec, 0, 1};
    nsm_status st = run_pairs(cmp, models, rc, &b, res, rs, d);
    if (st == NSM_OK)
        nsm_cli_precision_enough(prec); /* the last batch, which the rule did not see */
    return st;
}

/* Run every arm and write the folder into staging; the caller commits or aborts it. models:
** NULL for levers, or one model per arm (compare A B ...). */
static nsm_status run_arms(const nsm_comparison *cmp, const nsm_model *const *models,
                           const char *dropped, const nsm_cli_options *o, const char *staging,
                           results *res, nsm_cli_precision *prec, nsm_manifest *mf,
                           nsm_run_stats *rs, int argc, char **argv, nsm_diag *d)
{
    const nsm_model *m = cmp->m;
    char started[32];
    nsm_cli_now(started);
    nsm_progress bar;
    nsm_progress_init(&bar, !o->quiet && isatty(2));
    nsm_run_config rc = nsm_cli_run_config(o, &bar);
    if (prec) { /* the bar of the count the target needs */
        bar.precision_h = prec->h;
        prec->bar = &bar;
    }
    nsm_status st =
        results_of(cmp, models, o, &rc, res, prec, rs, 0, o->outer ? o->outer : o->runs, d);
    nsm_progress_done(&bar);
    if (prec)
        prec->bar = NULL; /* it pointed at this frame's bar */
    nsm_cli_options used = *o; /* with --precision, the runs (draws) needed */
    used.runs = o->outer ? o->runs : nsm_accum_runs(res->acc[0]);
    used.outer = o->outer ? res->outer.n_draws : 0;
    if (st == NSM_OK) {
        nsm_cli_manifest(mf, m, &used, rs, started, argc, argv);
        add_arms(mf, cmp->arms, cmp->n_arms);
        if (models)
            add_scenarios(mf, models, o, dropped);
        if (prec)
            nsm_cli_precision_manifest(mf, prec, o->precision_for ? o->precision_for
                                       : "every outcome at every horizon of the briefing");
        st = write_folder(staging, cmp, models, mf, o, d);
    }
    return st;
}

/* With --precision: the targets (default: every outcome at every horizon of the briefing) and the
** rule's view of the results, their interactions named by *inter (the caller's, which outlives
** prec); 0 or an exit code after a message. */
static int precision_plan(const nsm_comparison *cmp, const nsm_cli_options *o, results *res,
                          const char **names, nsm_cli_interactions *inter,
                          nsm_cli_precision *prec)
{
    for (int a = 0; a < cmp->n_arms; a++)
        names[a] = cmp->arms[a].name;
    *inter = interactions_of(res);
    *prec = (nsm_cli_precision){cmp->m, o->precision, o->outer ? o->outer : o->runs, NULL, 0,
                                res->acc, res->paired, cmp->n_arms, names, {0, -1, 0}, 0, 0,
                                NULL, inter, 0, 0, NULL, NULL, o->outer ? o->runs : 0, NULL, 0,
                                0, NULL, cmp->arms};
    int code = nsm_cli_precision_targets("compare", o->precision_for, cmp->m, &cmp->horizons,
                                         names, cmp->n_arms, &prec->targets, &prec->n_targets,
                                         res->n_tri > 0 ? &prec->interactions : NULL);
    if (code == 0 && nsm_cli_precision_room(prec) != 0) {
        fprintf(stderr, "%s compare: out of memory\n", nsm_cli_prog);
        code = EXIT_SOFTWARE;
    }
    return code;
}

static int compare(const nsm_model *m, const nsm_model *const *models, const char *dropped,
                   const nsm_arm *arms, int n_arms, const nsm_cli_options *o, const char *dest,
                   int argc, char **argv)
{
    char *staging = NULL;
    nsm_diag d;
    nsm_diag_init(&d);
    nsm_run_stats rs = {0, 0, 0, 0.0};
    results res = {0};
    nsm_cli_precision prec = {0};
    /* prec's view of res's interactions and rivals */
    nsm_cli_interactions inter = {0, NULL, NULL, NULL};
    /* Caught from before the staging folder exists until it is committed or removed. */
    nsm_cli_catch_sigint(1);
    nsm_comparison cmp = {m, arms, n_arms, NULL, NULL, o->hz, NULL, 0, NULL, NULL, NULL};
    const char **names = calloc((size_t)n_arms, sizeof *names);
    nsm_manifest *mf = calloc(1, sizeof *mf);
    nsm_status st = names && mf && !results_alloc(&res, m, arms, n_arms, o, o->outer, &cmp.horizons)
                        ? NSM_OK
                        : results_nomem(&d, m, n_arms, names && mf ? o->outer : 0, &cmp.horizons);
    int code = EXIT_OK;
    if (st == NSM_OK && o->precision &&
        (code = precision_plan(&cmp, o, &res, names, &inter, &prec)) != 0)
        st = NSM_ERR_USAGE; /* said by precision_plan; nothing on disk yet */
    if (st == NSM_OK)
        st = nsm_outdir_begin(dest, &staging, &d);
    nsm_cli_print_warnings(&d, o->quiet);
    cmp.acc = (const nsm_accum *const *)res.acc;
    cmp.paired = res.paired;
    cmp.outer = o->outer ? &res.outer : NULL;
    cmp.n_interactions = res.n_tri;
    cmp.interactions = (const int (*)[3])res.tri;
    cmp.ipaired = res.ipaired;
    cmp.rivals = res.rivals;
    nsm_cli_precision *pp = o->precision ? &prec : NULL;
    if (st == NSM_OK)
        st = run_arms(&cmp, models, dropped, o, staging, &res, pp, mf, &rs, argc, argv, &d);
    if (code == EXIT_OK)
        code = nsm_cli_finish_folder("compare", &st, staging, dest, &d);
    else
        nsm_cli_catch_sigint(0);
    /* res.acc exists only when results_alloc succeeded (st is then OK, or an error after it) */
    unsigned long long runs =
        res.acc && res.acc[0] ? (unsigned long long)nsm_accum_runs(res.acc[0]) : 0;
    if (st == NSM_OK && !o->quiet) {
        char how[64];
        nsm_cli_how(o, &rs, how, sizeof how);
        if (o->outer)
            printf("%s: %d arms x %llu draws x %llu run%s %s -> %s/\n", m->name, n_arms,
                   (unsigned long long)res.outer.n_draws, (unsigned long long)o->runs,
                   o->runs == 1 ? "" : "s", how, dest);
        else
            printf("%s: %d arms x %llu run%s %s -> %s/\n", m->name, n_arms, runs,
                   runs == 1 ? "" : "s", how, dest);
        print_briefing(&cmp, o->top, models != NULL);
        print_interactions(&cmp, o->top);
    }
    if (st == NSM_OK && pp)
        nsm_cli_precision_say(pp, o->outer ? res.outer.n_draws : runs, o->quiet);
    free(names);
    nsm_cli_precision_release(&prec);
    free(staging);
    free(mf);
    results_free(&res);
    nsm_diag_release(&d);
    return code;
}

static void free_models(nsm_model **models, int n)
{
    for (int a = 0; models && a < n; a++)
        nsm_model_free(models[a]);
    free(models);
}

/* results/A-vs-B[-vs-C...] */
static void default_dest(nsm_model *const *models, int n, char *dest, size_t size)
{
    size_t k = (size_t)snprintf(dest, size, "results/%s", models[0]->name);
    for (int a = 1; a < n && k < size; a++)
        k += (size_t)snprintf(dest + k, size - k, "-vs-%s", models[a]->name);
}

/* What compare gives the slices (cli/slices.c): its arms (with compare A B ..., the scenarios'
** models and the outcomes left out), and where rank 0 writes. */
typedef struct {
    const nsm_model *m;
    const nsm_model *const *models; /* NULL for levers */
    const char *dropped;
    const nsm_arm *arms;
    int n_arms;
    nsm_horizons hz;
    const char *dest;
    int argc;
    char **argv;
} compare_plan;

/* Items first .. first + count - 1 of every arm, shard o->shard of o->n_shards, simulated into
** a new sealed part (the slicer's part). */
static nsm_status part_of(void *ctx, const nsm_cli_options *o, uint64_t first, uint64_t count,
                          nsm_part **p, nsm_run_stats *rs, nsm_diag *d)
{
    const compare_plan *cp = ctx;
    const nsm_model *m = cp->m;
    const int n_arms = cp->n_arms;
    results res = {0};
    *p = NULL;
    nsm_comparison cmp = {m,    cp->arms, n_arms, NULL, NULL, cp->hz, NULL,
                          0,    NULL,     NULL,   NULL};
    uint64_t draws = o->outer ? count : 0;
    nsm_status st = results_alloc(&res, m, cp->arms, n_arms, o, draws, &cmp.horizons)
                        ? results_nomem(d, m, n_arms, draws, &cmp.horizons)
                        : NSM_OK;
    cmp.outer = o->outer ? &res.outer : NULL;
    nsm_progress bar;
    nsm_progress_init(&bar, !o->quiet && isatty(2));
    nsm_run_config rc = nsm_cli_run_config(o, &bar);
    nsm_cli_ranks_watch(&rc.progress, &rc.progress_ctx); /* under mpirun: stop when a peer fails */
    if (st == NSM_OK)
        st = results_of(&cmp, cp->models, o, &rc, &res, NULL, rs, first, count, d);
    nsm_progress_done(&bar);
    if (st == NSM_OK && !(*p = nsm_cli_part_new("compare", m, o, o->shard, o->n_shards, first,
                                                count)))
        st = nsm_diag_error(d, NSM_ERR_NOMEM, "out of memory");
    const double *reals[3] = {res.outer.p, res.outer.se, res.outer.close};
    const nsm_cli_interactions inter = interactions_of(&res);
    if (st == NSM_OK)
        st = nsm_cli_part_add(*p, res.acc, res.paired, n_arms, &inter, NULL, reals,
                              o->outer ? 3 : 0, (size_t)count * per_draw(&cmp), rs->events);
    if (st == NSM_ERR_NOMEM && !d->error)
        nsm_diag_error(d, st, "out of memory");
    results_free(&res);
    return st;
}

/* Rank 0 under mpirun: the results folder from the ranks' parts (the slicer's write). */
static int plan_write(void *ctx, nsm_cli_options *o)
{
    const compare_plan *cp = ctx;
    return compare(cp->m, cp->models, cp->dropped, cp->arms, cp->n_arms, o, cp->dest, cp->argc,
                   cp->argv);
}

/* --precision under mpirun: the targets and the empty totals, on every rank alike (prec, tot,
** names: the caller frees them; inter, the caller's, names tot's interactions for prec); 0, or
** the exit code of a bad --precision-for, said on every rank before any batch. *ready:
** NSM_ERR_NOMEM when the totals were not made. */
static int precise_plan(const compare_plan *cp, const nsm_cli_options *o, results *tot,
                        nsm_cli_interactions *inter, const char ***names,
                        nsm_cli_precision *prec, nsm_status *ready)
{
    nsm_comparison cmp = {cp->m, cp->arms, cp->n_arms, NULL, NULL, cp->hz, NULL,
                          0,     NULL,     NULL,        NULL};
    *names = calloc((size_t)cp->n_arms, sizeof **names);
    /* with --outer, the per-draw tables up to the ceiling (on every rank, so that every rank's
    ** totals are laid out alike: no interactions, say) */
    *ready = *names && !results_alloc(tot, cp->m, cp->arms, cp->n_arms, o, o->outer, &cp->hz)
                 ? NSM_OK : NSM_ERR_NOMEM;
    /* the batches' parts carry the interactions' pairs too (prec->inter) */
    return *ready == NSM_OK ? precision_plan(&cmp, o, tot, *names, inter, prec) : 0;
}

/* --shard (simulate and write a part), or under mpirun every rank's slice and rank 0 writes;
** with --precision under mpirun, the slices are of every batch, added into totals. */
static int compare_slices(const nsm_model *m, const nsm_model *const *models, const char *dropped,
                          const nsm_arm *arms, int n_arms, nsm_cli_options *o, const char *dest,
                          int argc, char **argv)
{
    compare_plan cp = {m, models, dropped, arms, n_arms, o->hz, dest, argc, argv};
    const nsm_cli_slicer s = {"compare", m, n_arms, &cp, part_of, plan_write};
    if (o->n_shards)
        return nsm_cli_slices_shard(&s, o);
    results tot = {0};
    nsm_cli_precision prec = {0};
    const char **names = NULL;
    nsm_status ready = NSM_OK;
    nsm_cli_interactions inter = {0, NULL, NULL, NULL};
    int code = o->precision ? precise_plan(&cp, o, &tot, &inter, &names, &prec, &ready) : 0;
    /* --outer: the per-draw tables, up to the ceiling, that the batches' parts fill on rank 0 */
    double *reals[3] = {tot.outer.p, tot.outer.se, tot.outer.close};
    if (o->precision && o->outer && ready == NSM_OK) {
        nsm_comparison cmp = {m, arms, n_arms, NULL, NULL, o->hz, NULL,
                              0, NULL, NULL,   NULL};
        prec.reals = reals;
        prec.n_reals = 3;
        prec.per_draw = per_draw(&cmp);
    }
    if (code == 0)
        code = nsm_cli_slices_ranks(&s, o, o->precision ? &prec : NULL, ready);
    nsm_cli_precision_release(&prec);
    free(names);
    results_free(&tot);
    return code;
}

/* compare A B ...: whole scenarios as arms. */
static int compare_scenarios(nsm_cli_options *o, int argc, char **argv)
{
    if (o->levers || o->factorial)
        return nsm_cli_usage_error("compare", "with several scenarios the arms are the scenarios: "
                                   "%s is for the levers of one scenario", o->levers ? "--levers"
                                   : "--factorial");
    int n = o->n_scenarios, code = EXIT_OK;
    nsm_model **models = calloc((size_t)n, sizeof *models);
    nsm_arm *arms = NULL;
    char dropped[2048] = "", dest[4096];
    int n_dropped = 0;
    nsm_diag d;
    nsm_diag_init(&d);
    if (!models) {
        fprintf(stderr, "%s compare: out of memory\n", nsm_cli_prog);
        code = EXIT_SOFTWARE;
    }
    for (int a = 0; code == EXIT_OK && a < n; a++)
        code = nsm_cli_load(o->scenarios[a], &models[a], o->quiet);
    nsm_status st = code == EXIT_OK ? nsm_models_align(models, n, dropped, sizeof dropped,
                                                       &n_dropped, &d)
                                    : NSM_OK;
    if (code == EXIT_OK && st == NSM_OK)
        code = nsm_cli_horizons("compare", o, models[0]); /* the scenarios' dates are aligned */
    if (code == EXIT_OK && st == NSM_OK)
        st = nsm_arms_of_scenarios((const nsm_model *const *)models, n, &arms);
    if (code == EXIT_OK && st != NSM_OK) {
        nsm_cli_print_diag("compare", st, &d);
        code = nsm_cli_exit_code(st, 1);
    }
    if (code == EXIT_OK) { /* said once: by rank 0 alone under mpirun */
        if (n_dropped && !o->quiet && nsm_cli_world_rank() == 0)
            fprintf(stderr, "neasim compare: %d outcome%s not in every scenario, left out: %s\n",
                    n_dropped, n_dropped == 1 ? "" : "s", dropped);
        default_dest(models, n, dest, sizeof dest);
        o->models = (const nsm_model *const *)models;
        code = (nsm_cli_world_size() > 1 && !o->parts) || o->n_shards
                   ? compare_slices(models[0], o->models, dropped, arms, n, o,
                                    o->out ? o->out : dest, argc, argv)
                   : compare(models[0], o->models, dropped, arms, n, o, o->out ? o->out : dest,
                             argc, argv);
        o->models = NULL;
    }
    nsm_diag_release(&d);
    nsm_arms_free(arms, arms ? n : 0);
    free_models(models, n);
    return code;
}

/* `compare A A`, or A under two paths (a link, `./A`): the same folder given twice is a slip on
** the command line (exit 64), not the scenario's fault (two scenarios named alike, exit 65:
** nsm_models_align). A path that cannot be read is left to the load, which says why. */
static int same_folder_twice(const nsm_cli_options *o)
{
    for (int a = 1; a < o->n_scenarios; a++) {
        struct stat sa;
        if (stat(o->scenarios[a], &sa) != 0)
            continue;
        for (int b = 0; b < a; b++) {
            struct stat sb;
            if (stat(o->scenarios[b], &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino)
                return nsm_cli_usage_error("compare", "%s is given twice (scenarios %d and %d): "
                                           "give each scenario folder once",
                                           o->scenarios[a], b + 1, a + 1);
        }
    }
    return EXIT_OK;
}

static int compare_command(int argc, char **argv, const nsm_cli_parts *parts)
{
    nsm_cli_options o;
    int code = nsm_cli_parse_options(argc, argv, "compare", COMPARE_HELP, 1, &o);
    if (code)
        return code < 0 ? EXIT_OK : code;
    o.parts = parts;
    if (o.n_scenarios > 1) {
        if ((code = same_folder_twice(&o)) != EXIT_OK || (code = nsm_cli_ranks_check("compare",
                                                                                     &o)) != 0)
            return code;
        return compare_scenarios(&o, argc, argv);
    }
    if (!o.levers)
        return nsm_cli_usage_error("compare", "which levers? give --levers a,b,a+b or --levers all");
    nsm_model *m = NULL;
    if ((code = nsm_cli_load(o.scenario, &m, o.quiet)) != EXIT_OK)
        return code;
    if ((code = nsm_cli_horizons("compare", &o, m)) != EXIT_OK) {
        nsm_model_free(m);
        return code;
    }
    nsm_arm *arms = NULL;
    int n_arms = 0;
    nsm_diag d;
    nsm_diag_init(&d);
    nsm_status st = nsm_arms_build(m, o.levers, o.factorial, o.scenario, &arms, &n_arms, &d);
    if (st == NSM_ERR_USAGE) {
        code = nsm_cli_usage_error("compare", "--levers: %s", d.error);
    } else if (st != NSM_OK) {
        nsm_cli_print_diag("compare", st, &d);
        code = nsm_cli_exit_code(st, 1);
    } else {
        char dest[NSM_NAME_MAX + 32];
        snprintf(dest, sizeof dest, "results/%s-compare", m->name);
        const char *out = o.out ? o.out : dest;
        if ((code = nsm_cli_ranks_check("compare", &o)) != 0)
            ;
        else if ((nsm_cli_world_size() > 1 && !o.parts) || o.n_shards)
            code = compare_slices(m, NULL, NULL, arms, n_arms, &o, out, argc, argv);
        else
            code = compare(m, NULL, NULL, arms, n_arms, &o, out, argc, argv);
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
