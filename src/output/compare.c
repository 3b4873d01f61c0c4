/*
** compare.c: the tables of a comparison: paired differences with standard errors and the
** variance reduction achieved by pairing (differences.csv), the briefing table (briefing.csv),
** what each arm changed (arms.csv) and, on two levels, each effect's spread over the draws of the
** uncertain numbers (uncertainty_differences.csv; judgment columns at the end of briefing.csv)
** and each arm's own (uncertainty.csv, written by output/outer.c), and the interactions of two
** levers (interactions.csv). Schemas in README.md; the
** differences themselves are computed in summary/differences.c, the interactions in summary/briefing.c.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "neasim/compare.h"
#include "neasim/briefing.h"
#include "neasim/labels.h"
#include "neasim/lever_text.h"
#include "neasim/summary.h"
#include "neasim/csvout.h"
#include "neasim/outdir.h"
#include "neasim/numfmt.h"
#include "neasim/stats.h"

/* x rounded to d decimals (d >= 1), half away from zero. x comes from a table's few significant
** digits, so a tie there (-1.65) is a tie here within rounding of its binary value: the 1e-9
** takes it as one. */
static double round_away(double x, int d)
{
    double s = 1;
    for (int k = 0; k < d; k++)
        s *= 10; /* exact: the rule must be the same in R (figures_common.R) */
    return copysign(floor(fabs(x) * s + 0.5 + 1e-9) / s, x);
}

const char *nsm_pp_text(char *buf, double pp, int sign)
{
    char g[NSM_NUMFMT_MAX];
    if (pp == 0 || isnan(pp))
        return pp == 0 ? "0.0" : "NA";
    nsm_numfmt_g(g, pp, NSM_PP_DIGITS);
    double x = strtod(g, NULL), r = round_away(x, 1);
    int d = 1;
    if (r == 0) { /* one significant digit: its decimal d (at most 9), 10^-d <= |x| < 10^-(d-1) */
        while (++d < 9 && fabs(x) < pow(10, -d))
            ;
        r = round_away(x, d);
        if (fabs(r) >= pow(10, 1 - d))
            r = round_away(x, --d); /* 0.0096 is 0.01, not 0.010 */
    }
    snprintf(buf, NSM_PP_TEXT_MAX, sign ? "%+.*f" : "%.*f", d, sign ? r : fabs(r));
    return buf;
}

static void write_difference(nsm_csv *c, const nsm_difference *d)
{
    nsm_csv_real(c, d->baseline, 6);
    nsm_csv_real(c, d->arm, 6);
    nsm_csv_real(c, d->diff, 6);
    nsm_csv_real(c, d->se, 4);
    nsm_csv_real(c, d->lo, 6);
    nsm_csv_real(c, d->hi, 6);
    nsm_csv_real(c, d->vrf, 4);
    nsm_csv_end_row(c);
}

static void row_head(nsm_csv *c, const nsm_model *m, const char *arm, const char *quantity,
                     const char *name, const char *measure, int i)
{
    nsm_csv_text(c, arm);
    nsm_csv_text(c, quantity);
    nsm_csv_text(c, name);
    nsm_csv_text(c, measure);
    nsm_csv_text(c, m->report_date[i]);
    nsm_csv_fixed(c, nsm_years(m->report_t[i]), 4);
}

static nsm_status event_differences(nsm_csv *c, const nsm_model *m, const char *arm_name,
                                    const nsm_accum *base, const nsm_accum *arm,
                                    const nsm_paired *p)
{
    nsm_difference *d = malloc(((size_t)m->n_reports + 1) * sizeof *d);
    if (!d)
        return NSM_ERR_NOMEM;
    for (int e = 0; e < m->n_events; e++) {
        if (nsm_difference_event_series(m, base, arm, p, e, d)) {
            free(d);
            return NSM_ERR_NOMEM;
        }
        for (int i = 1; i < m->n_reports; i++) {
            row_head(c, m, arm_name, "event", m->events[e].name, "cumulative_count", i);
            write_difference(c, &d[i]);
        }
    }
    free(d);
    return NSM_OK;
}

static nsm_status write_differences(nsm_csv *c, const nsm_comparison *cmp)
{
    const nsm_model *m = cmp->m;
    const nsm_arm *arms = cmp->arms;
    const nsm_accum *const *acc = cmp->acc;
    nsm_paired *const *paired = cmp->paired;
    static const char *const H[] = {"arm", "quantity", "name", "measure", "date", "t_years",
                                    "baseline_value", "arm_value", "difference", "std_error",
                                    "ci_low", "ci_high", "variance_reduction", NULL};
    static const char *const measures[2] = {"holds", "occurred_by"};
    nsm_difference *d = malloc(((size_t)m->n_reports + 1) * sizeof *d);
    if (!d)
        return NSM_ERR_NOMEM;
    nsm_csv_header(c, H);
    nsm_status st = NSM_OK;
    for (int a = 1; a < cmp->n_arms && st == NSM_OK; a++) {
        for (int o = 0; o < m->n_outcomes && st == NSM_OK; o++)
            for (int ms = 0; ms < 2 && st == NSM_OK; ms++) {
                if (nsm_difference_series(m, acc[0], acc[a], paired[a], o, ms, d)) {
                    st = NSM_ERR_NOMEM;
                    break;
                }
                for (int i = 0; i < m->n_reports; i++) {
                    row_head(c, m, arms[a].name, "outcome", m->outcomes[o].name, measures[ms], i);
                    write_difference(c, &d[i]);
                }
            }
        if (st == NSM_OK)
            st = event_differences(c, m, arms[a].name, acc[0], acc[a], paired[a]);
    }
    free(d);
    return st;
}

nsm_difference nsm_comparison_effect(const nsm_comparison *cmp, int a, int o, int h)
{
    return nsm_difference_outcome(cmp->m, cmp->acc[0], cmp->acc[a], cmp->paired[a], o, 1,
                                  cmp->horizons.idx[h]);
}

nsm_difference nsm_comparison_rival(const nsm_comparison *cmp, int a, int b, int o, int h,
                                    int *exact)
{
    int64_t both = cmp->rivals ? nsm_rivals_both(cmp->rivals, a, b, o, h) : -1;
    nsm_difference d = nsm_difference_arms(cmp->acc[0], cmp->acc[a], cmp->acc[b], cmp->paired[a],
                                           cmp->paired[b], both, o, cmp->horizons.idx[h], exact);
    const nsm_outer_comparison *r = cmp->outer;
    if (r && r->n_draws >= 2) {
        size_t stride = nsm_outer_slot(cmp->m, r, 1, 0, 0, 0);
        nsm_difference_over_draws(&d, r->p + nsm_outer_slot(cmp->m, r, 0, a, o, h),
                                  r->p + nsm_outer_slot(cmp->m, r, 0, b, o, h), stride,
                                  (size_t)r->n_draws);
    }
    return d;
}

void nsm_comparison_best_share(const nsm_comparison *cmp, int o, int h, double *share,
                               double *within)
{
    const nsm_outer_comparison *r = cmp->outer;
    int any = r && r->n_draws > 0, unknown = 0;
    for (int a = 1; a < cmp->n_arms; a++) {
        share[a] = any ? 0.0 : (double)NAN;
        if (within)
            within[a] = any && r->close ? 0.0 : (double)NAN;
    }
    for (uint64_t j = 0; any && j < r->n_draws; j++) {
        int tied;
        double top = nsm_outer_draw_top(cmp->m, r, j, o, h, &tied);
        for (int a = 1; a < cmp->n_arms; a++)
            if (nsm_outer_draw_help(cmp->m, r, j, a, o, h) == top) {
                share[a] += 1.0 / tied;
                if (within && r->close)
                    within[a] += r->close[nsm_outer_slot(cmp->m, r, j, a, o, h)] / tied;
            }
        /* a draw that could not tell (close NaN for every arm): none of the arms' parts is known */
        unknown |= r->close && isnan(r->close[nsm_outer_slot(cmp->m, r, j, 0, o, h)]);
    }
    for (int a = 1; any && a < cmp->n_arms; a++) {
        share[a] /= (double)r->n_draws;
        if (within)
            within[a] = unknown ? (double)NAN : within[a] / (double)r->n_draws;
    }
}

/* The tables of a number per arm at every outcome and horizon (the ranks, the best shares): arm
** a's at cell(cmp, o, h) + a, of cell(cmp, n_outcomes, 0) in all. */
static size_t cell(const nsm_comparison *cmp, int o, int h)
{
    return ((size_t)o * (size_t)cmp->horizons.n + (size_t)h) * (size_t)cmp->n_arms;
}

/* Every arm's nsm_comparison_best_share at every outcome and horizon, computed once for the
** tables that show them: the share at cell(cmp, o, h) + a, the part of it within the noise at
** WITHIN(cmp) + cell(cmp, o, h) + a; NULL when out of memory. */
#define WITHIN(cmp) cell(cmp, (cmp)->m->n_outcomes, 0)
static double *best_shares(const nsm_comparison *cmp)
{
    double *s = malloc(2 * WITHIN(cmp) * sizeof *s + 1);
    for (int o = 0; s && o < cmp->m->n_outcomes; o++)
        for (int h = 0; h < cmp->horizons.n; h++)
            nsm_comparison_best_share(cmp, o, h, s + cell(cmp, o, h),
                                      s + WITHIN(cmp) + cell(cmp, o, h));
    return s;
}

/* The judgment columns of briefing.csv, in percentage points, after the Monte Carlo ones. */
static void write_judgment_pp(nsm_csv *c, const nsm_judgment *j)
{
    nsm_csv_real(c, 100 * j->q05, NSM_PP_DIGITS);
    nsm_csv_real(c, 100 * j->q50, NSM_PP_DIGITS);
    nsm_csv_real(c, 100 * j->q95, NSM_PP_DIGITS);
    nsm_csv_text(c, nsm_judgment_mostly_noise(j) ? "yes" : "no");
    nsm_csv_real(c, j->below, 4);
    nsm_csv_real(c, j->above, 4);
}

/* Each effect's rank among the arms on its outcome at its horizon (briefing.h), into
** rank[cell(cmp, o, h) + a] (a >= 1; 0 when not distinguishable); NULL when out of memory. */
static int *briefing_ranks(const nsm_comparison *cmp)
{
    const nsm_model *m = cmp->m;
    int na = cmp->n_arms - 1, nh = cmp->horizons.n;
    int *rank = calloc(cell(cmp, m->n_outcomes, 0) + 1, sizeof *rank);
    nsm_difference *d = malloc(((size_t)na + 1) * sizeof *d);
    int *order = malloc(((size_t)na + 1) * sizeof *order);
    if (!d || !order) { /* no ranks rather than ranks of 0, which would read as "not distinct" */
        free(rank);
        rank = NULL;
    }
    for (int o = 0; rank && o < m->n_outcomes; o++)
        for (int h = 0; h < nh; h++) {
            for (int a = 1; a <= na; a++)
                d[a - 1] = nsm_comparison_effect(cmp, a, o, h);
            nsm_rank_effects(d, na, m->outcomes[o].desirable, order, rank + cell(cmp, o, h) + 1);
        }
    free(d);
    free(order);
    return rank;
}

/* briefing.csv's five columns before the labels: arm a's change minus that of the arm ranked 1
** on outcome o at horizon h (nsm_comparison_rival), in percentage points with its interval,
** whether it is told apart from 0, and `paired` or `bound` (the widest variance the counts
** allow); NA on the best's own row and where no arm is ranked. */
static void write_minus_best(nsm_csv *c, const nsm_comparison *cmp, const int *rank, int a, int o,
                             int h)
{
    const int *at = rank + cell(cmp, o, h);
    int best = 0;
    for (int b = 1; b < cmp->n_arms && !best; b++)
        best = at[b] == 1 ? b : 0;
    if (!best || best == a) {
        for (int k = 0; k < 5; k++)
            nsm_csv_na(c);
        return;
    }
    int exact;
    nsm_difference d = nsm_comparison_rival(cmp, a, best, o, h, &exact);
    nsm_csv_real(c, 100 * d.diff, NSM_PP_DIGITS);
    nsm_csv_real(c, 100 * d.lo, NSM_PP_DIGITS);
    nsm_csv_real(c, 100 * d.hi, NSM_PP_DIGITS);
    nsm_csv_text(c, d.lo > 0 || d.hi < 0 ? "yes" : "no");
    nsm_csv_text(c, exact ? "paired" : "bound");
}

static nsm_status write_briefing(nsm_csv *c, const nsm_comparison *cmp)
{
    static const char *const H[] = {"arm", "outcome", "measure", "horizon_years", "date",
                                    "baseline_probability", "arm_probability", "difference_pp",
                                    "ci_low_pp", "ci_high_pp", "distinguishable",
                                    /* with --outer only (11 to 18): */
                                    "judgment_q05_pp", "judgment_q50_pp", "judgment_q95_pp",
                                    "judgment_mostly_noise", "share_draws_below_zero",
                                    "share_draws_above_zero", "share_draws_best",
                                    "share_draws_best_within_noise",
                                    /* always: the arm beside the best (rank 1) */
                                    "minus_best_pp", "minus_best_ci_low_pp",
                                    "minus_best_ci_high_pp", "minus_best_distinguishable",
                                    "minus_best_interval",
                                    /* always, last: */
                                    "outcome_label", "arm_label", "desirable", "verdict", "rank",
                                    NULL};
    const nsm_model *m = cmp->m;
    const nsm_horizons *hz = &cmp->horizons;
    const char *head[sizeof H / sizeof H[0]];
    size_t nh = 0;
    for (size_t k = 0; k < sizeof H / sizeof H[0]; k++)
        if (cmp->outer || k < 11 || k >= 19) /* a plain comparison: no judgment columns */
            head[nh++] = H[k];
    nsm_csv_header(c, head);
    int *rank = briefing_ranks(cmp);
    double *best = cmp->outer ? best_shares(cmp) : NULL;
    if (!rank || (cmp->outer && !best)) {
        free(rank);
        free(best);
        return NSM_ERR_NOMEM;
    }
    for (int a = 1; a < cmp->n_arms; a++) {
        char arm_label[1024];
        nsm_arm_label(m, &cmp->arms[a], arm_label, sizeof arm_label);
        for (int o = 0; o < m->n_outcomes; o++)
            for (int h = 0; h < hz->n; h++) {
                nsm_difference d = nsm_comparison_effect(cmp, a, o, h);
                const nsm_outcome *oc = &m->outcomes[o];
                nsm_csv_text(c, cmp->arms[a].name);
                nsm_csv_text(c, oc->name);
                nsm_csv_text(c, "occurred_by");
                nsm_csv_real(c, hz->years[h], 6);
                nsm_csv_text(c, m->report_date[hz->idx[h]]);
                nsm_csv_real(c, d.baseline, 6);
                nsm_csv_real(c, d.arm, 6);
                nsm_csv_real(c, 100 * d.diff, NSM_PP_DIGITS);
                nsm_csv_real(c, 100 * d.lo, NSM_PP_DIGITS);
                nsm_csv_real(c, 100 * d.hi, NSM_PP_DIGITS);
                nsm_csv_text(c, d.lo > 0 || d.hi < 0 ? "yes" : "no");
                if (cmp->outer) {
                    nsm_judgment j;
                    if (nsm_outer_effect(m, cmp->outer, a, o, h, &j) != NSM_OK) {
                        free(rank);
                        free(best);
                        return NSM_ERR_NOMEM;
                    }
                    write_judgment_pp(c, &j);
                    nsm_csv_real(c, best[cell(cmp, o, h) + (size_t)a], 4);
                    nsm_csv_real(c, best[WITHIN(cmp) + cell(cmp, o, h) + (size_t)a], 4);
                }
                write_minus_best(c, cmp, rank, a, o, h);
                nsm_csv_text(c, nsm_label_or_name(oc->label, oc->name));
                nsm_csv_text(c, arm_label);
                nsm_csv_text(c, nsm_desirable_name(oc->desirable));
                nsm_csv_text(c, nsm_verdict_name(nsm_verdict_of(&d, oc->desirable)));
                int r = rank[cell(cmp, o, h) + (size_t)a];
                if (r)
                    nsm_csv_int(c, r);
                else
                    nsm_csv_na(c);
                nsm_csv_end_row(c);
            }
    }
    free(rank);
    free(best);
    return NSM_OK;
}

nsm_interaction_inputs nsm_comparison_interaction(const nsm_comparison *cmp, int k)
{
    const int *t = cmp->interactions[k];
    nsm_paired *const *ip = cmp->ipaired + 3 * k;
    nsm_interaction_inputs in = {{cmp->acc[0], cmp->acc[t[0]], cmp->acc[t[1]], cmp->acc[t[2]]},
                                 {{NULL}}};
    in.pair[0][1] = cmp->paired[t[0]];
    in.pair[0][2] = cmp->paired[t[1]];
    in.pair[0][3] = cmp->paired[t[2]];
    in.pair[1][2] = ip[0];
    in.pair[1][3] = ip[1];
    in.pair[2][3] = ip[2];
    return in;
}

/* interactions.csv: a+b minus a minus b for every interaction, outcome and horizon. */
static nsm_status write_interactions(nsm_csv *c, const nsm_comparison *cmp)
{
    static const char *const H[] = {"arm", "lever_a", "lever_b", "outcome", "measure",
                                    "horizon_years", "date", "interaction_pp", "ci_low_pp",
                                    "ci_high_pp", "distinguishable", "outcome_label", "arm_label",
                                    NULL};
    const nsm_model *m = cmp->m;
    const nsm_horizons *hz = &cmp->horizons;
    int64_t *s = malloc(((size_t)m->n_reports + 1) * sizeof *s);
    if (!s)
        return NSM_ERR_NOMEM;
    nsm_csv_header(c, H);
    for (int k = 0; k < cmp->n_interactions; k++) {
        const int *t = cmp->interactions[k];
        nsm_interaction_inputs in = nsm_comparison_interaction(cmp, k);
        char label[1024];
        nsm_arm_label(m, &cmp->arms[t[2]], label, sizeof label);
        for (int o = 0; o < m->n_outcomes; o++)
            for (int h = 0; h < hz->n; h++) {
                nsm_difference d = nsm_interaction_outcome(m, &in, o, hz->idx[h], s);
                nsm_csv_text(c, cmp->arms[t[2]].name);
                nsm_csv_text(c, cmp->arms[t[0]].name);
                nsm_csv_text(c, cmp->arms[t[1]].name);
                nsm_csv_text(c, m->outcomes[o].name);
                nsm_csv_text(c, "occurred_by");
                nsm_csv_real(c, hz->years[h], 6);
                nsm_csv_text(c, m->report_date[hz->idx[h]]);
                nsm_csv_real(c, 100 * d.diff, NSM_PP_DIGITS);
                nsm_csv_real(c, 100 * d.lo, NSM_PP_DIGITS);
                nsm_csv_real(c, 100 * d.hi, NSM_PP_DIGITS);
                nsm_csv_text(c, d.lo > 0 || d.hi < 0 ? "yes" : "no");
                nsm_csv_text(c, nsm_label_or_name(m->outcomes[o].label, m->outcomes[o].name));
                nsm_csv_text(c, label);
                nsm_csv_end_row(c);
            }
    }
    free(s);
    return NSM_OK;
}

/* uncertainty_differences.csv: each effect over the draws, beside its Monte Carlo interval. */
static nsm_status write_uncertainty(nsm_csv *c, const nsm_comparison *cmp)
{
    static const char *const H[] = {
        "arm", "outcome", "measure", "horizon_years", "date", "draws", "runs_per_draw",
        "baseline_probability", "arm_probability", "difference", "ci_low", "ci_high",
        "mean_se", "judgment_q05", "judgment_q50", "judgment_q95", "between_draws_sd",
        "monte_carlo_sd", "judgment_mostly_noise", "share_draws_below_zero",
        "share_draws_above_zero", "share_draws_best", "share_draws_best_within_noise", NULL};
    const nsm_model *m = cmp->m;
    const nsm_outer_comparison *r = cmp->outer;
    const nsm_horizons *hz = &cmp->horizons;
    double *best = best_shares(cmp);
    if (!best)
        return NSM_ERR_NOMEM;
    nsm_csv_header(c, H);
    for (int a = 1; a < cmp->n_arms; a++)
        for (int o = 0; o < m->n_outcomes; o++)
            for (int h = 0; h < hz->n; h++) {
                nsm_difference d = nsm_comparison_effect(cmp, a, o, h); /* briefing.csv's */
                nsm_judgment j;
                if (nsm_outer_effect(m, r, a, o, h, &j) != NSM_OK) {
                    free(best);
                    return NSM_ERR_NOMEM;
                }
                nsm_csv_text(c, cmp->arms[a].name);
                nsm_csv_text(c, m->outcomes[o].name);
                nsm_csv_text(c, "occurred_by");
                nsm_csv_real(c, hz->years[h], 6);
                nsm_csv_text(c, m->report_date[hz->idx[h]]);
                nsm_csv_int(c, (int64_t)r->n_draws);
                nsm_csv_int(c, (int64_t)r->runs);
                nsm_csv_real(c, d.baseline, 6);
                nsm_csv_real(c, d.arm, 6);
                nsm_csv_real(c, d.diff, 6);
                nsm_csv_real(c, d.lo, 6);
                nsm_csv_real(c, d.hi, 6);
                nsm_csv_real(c, j.mean_se, 4);
                nsm_csv_real(c, j.q05, 6);
                nsm_csv_real(c, j.q50, 6);
                nsm_csv_real(c, j.q95, 6);
                nsm_csv_real(c, j.sd, 4);
                nsm_csv_real(c, j.monte_carlo_sd, 4);
                nsm_csv_text(c, nsm_judgment_mostly_noise(&j) ? "yes" : "no");
                nsm_csv_real(c, j.below, 4);
                nsm_csv_real(c, j.above, 4);
                nsm_csv_real(c, best[cell(cmp, o, h) + (size_t)a], 4);
                nsm_csv_real(c, best[WITHIN(cmp) + cell(cmp, o, h) + (size_t)a], 4);
                nsm_csv_end_row(c);
            }
    free(best);
    return NSM_OK;
}

/* arms.csv: each lever row of each arm, and what it changes in words (lever_text.h), so that a
** reader of the folder need not find the scenario to say it. */
static void write_arms(nsm_csv *c, const nsm_model *m, const nsm_arm *arms, int n_arms)
{
    static const char *const H[] = {"arm",   "lever",     "target",      "operation",
                                    "value", "from_date", "description", "changes", NULL};
    char changes[4096];
    nsm_csv_header(c, H);
    for (int a = 0; a < n_arms; a++) {
        if (arms[a].n_levers == 0) {
            nsm_csv_text(c, arms[a].name);
            for (int k = 0; k < 5; k++)
                nsm_csv_na(c);
            nsm_csv_text(c, "the scenario as it is");
            nsm_csv_na(c);
            nsm_csv_end_row(c);
        }
        for (int k = 0; k < arms[a].n_levers; k++)
            for (int i = 0; i < m->n_lever_rows; i++) {
                const nsm_lever_row *lr = &m->lever_rows[i];
                if (lr->lever != arms[a].levers[k])
                    continue;
                const nsm_lever *lv = &m->levers[lr->lever];
                nsm_csv_text(c, arms[a].name);
                nsm_csv_text(c, lv->name);
                nsm_csv_text(c, lr->target);
                nsm_csv_text(c, lr->op == NSM_OP_MULTIPLY ? "multiply" : "set");
                nsm_csv_real(c, lr->value, 10);
                if (lr->has_from_date)
                    nsm_csv_text(c, lr->from_date);
                else
                    nsm_csv_na(c);
                if (lv->description)
                    nsm_csv_text(c, lv->description);
                else
                    nsm_csv_na(c);
                nsm_lever_row_text(m, lr, changes, sizeof changes);
                nsm_csv_text(c, changes);
                nsm_csv_end_row(c);
            }
    }
}

/* uncertainty.csv of every arm (compare --outer): what run --outer writes, by arm. */
static nsm_status write_arm_uncertainty(const char *dir, const nsm_comparison *cmp,
                                        const nsm_write_options *opt, nsm_diag *diag)
{
    const char **names = calloc((size_t)cmp->n_arms, sizeof *names);
    if (!names)
        return nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory writing uncertainty.csv");
    for (int a = 0; a < cmp->n_arms; a++)
        names[a] = cmp->arms[a].name;
    nsm_status st = nsm_outer_write_arms(dir, cmp->m, cmp->outer, names, opt, diag);
    free(names);
    return st;
}

nsm_status nsm_compare_write(const char *dir, const nsm_comparison *cmp,
                             const nsm_write_options *opt, nsm_diag *diag)
{
    static const char *const files[5] = {"differences.csv", "briefing.csv", "arms.csv",
                                         "uncertainty_differences.csv", "interactions.csv"};
    for (int k = 0; k < 5; k++) {
        if ((k == 3 && !cmp->outer) || (k == 4 && cmp->n_interactions == 0))
            continue;
        char *path = nsm_path_join(dir, files[k]);
        nsm_csv c;
        nsm_status st = path ? nsm_csv_open(&c, path, opt->bom, diag) : NSM_ERR_NOMEM;
        if (st == NSM_OK) {
            if (k == 0)
                st = write_differences(&c, cmp);
            else if (k == 1)
                st = write_briefing(&c, cmp);
            else if (k == 3)
                st = write_uncertainty(&c, cmp);
            else if (k == 4)
                st = write_interactions(&c, cmp);
            else
                write_arms(&c, cmp->m, cmp->arms, cmp->n_arms);
            nsm_status cst = nsm_csv_close(&c, st == NSM_OK ? diag : NULL);
            st = st == NSM_OK ? cst : st;
        }
        free(path);
        if (st == NSM_ERR_NOMEM && !diag->error)
            nsm_diag_error(diag, st, "out of memory writing %s", files[k]);
        if (st != NSM_OK)
            return st;
    }
    return cmp->outer ? write_arm_uncertainty(dir, cmp, opt, diag) : NSM_OK;
}
