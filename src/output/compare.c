/*
** compare_out.c: the tables of a comparison: paired differences with standard errors and the
** variance reduction achieved by pairing (differences.csv), the briefing table (briefing.csv) and
** what each arm changed (arms.csv). Schemas in README.md.
**
** A paired difference D = A - B has mean (sum A - sum B) / n and sample variance
** (sum D^2 - n mean^2) / (n - 1); its standard error is sqrt(Var D / n) and its 95% interval is
** mean +- 1.96 se (normal approximation: n is in the thousands).
*/
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "neasim/compare.h"
#include "neasim/csvout.h"
#include "neasim/outdir.h"
#include "neasim/stats.h"

static double sample_var(double sum, double sum2, double n)
{
    double v = n > 1 ? (sum2 - sum * sum / n) / (n - 1) : (double)NAN;
    return v < 0 ? 0 : v;
}

/* From the sums of A, B, A^2, B^2 and D^2 over n replications. */
static nsm_difference difference(double n, double sa, double sb, double sa2, double sb2,
                                 double sd2)
{
    double z = gsl_cdf_ugaussian_Pinv(0.975);
    nsm_difference d;
    d.baseline = sb / n;
    d.arm = sa / n;
    d.diff = (sa - sb) / n;
    double vd = sample_var(sa - sb, sd2, n);
    d.se = sqrt(vd / n);
    d.lo = d.diff - z * d.se;
    d.hi = d.diff + z * d.se;
    double vind = sample_var(sa, sa2, n) + sample_var(sb, sb2, n);
    d.vrf = vd > 0 ? vind / vd : (double)NAN;
    return d;
}

int nsm_difference_series(const nsm_model *m, const nsm_accum *base, const nsm_accum *arm,
                          const nsm_paired *p, int o, int measure, nsm_difference *out)
{
    int64_t *s = malloc(((size_t)m->n_reports + 1) * 3 * sizeof *s);
    if (!s)
        return -1;
    int64_t *sa = s, *sb = s + m->n_reports + 1, *sab = sb + m->n_reports + 1;
    if (measure == 0) {
        nsm_accum_outcome_held_series(arm, o, sa);
        nsm_accum_outcome_held_series(base, o, sb);
        nsm_paired_both_held(p, o, sab);
    } else {
        nsm_accum_outcome_first_series(arm, o, sa);
        nsm_accum_outcome_first_series(base, o, sb);
        for (int j = 1; j < m->n_reports; j++) {
            sa[j] += sa[j - 1];
            sb[j] += sb[j - 1];
        }
        nsm_paired_both_occurred(p, o, sab);
    }
    double n = (double)nsm_accum_runs(base);
    for (int i = 0; i < m->n_reports; i++) {
        double a = (double)sa[i], b = (double)sb[i], ab = (double)sab[i];
        /* For indicators A^2 = A, and D^2 = A + B - 2AB. */
        out[i] = difference(n, a, b, a, b, a + b - 2 * ab);
    }
    free(s);
    return 0;
}

nsm_difference nsm_difference_outcome(const nsm_model *m, const nsm_accum *base,
                                      const nsm_accum *arm, const nsm_paired *p, int o,
                                      int measure, int i)
{
    nsm_difference d = {NAN, NAN, NAN, NAN, NAN, NAN, NAN};
    nsm_difference *all = malloc(((size_t)m->n_reports + 1) * sizeof *all);
    if (all && nsm_difference_series(m, base, arm, p, o, measure, all) == 0)
        d = all[i];
    free(all);
    return d;
}

int nsm_horizon_indices(const nsm_model *m, const double *years, int n_years, int *idx,
                        double *kept)
{
    int n = 0;
    for (int k = 0; k < n_years; k++) {
        int i = (int)lround(years[k] * 12.0 / m->report_interval_months);
        if (i > 0 && i < m->n_reports) {
            kept[n] = years[k];
            idx[n++] = i;
        }
    }
    return n;
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

/* Sums of C and C^2 of an event's cumulative count at report i. */
static void count_sums(const nsm_accum *a, int e, int i, int64_t *hist, double *s, double *s2)
{
    int64_t nv;
    nsm_accum_event_cumulative_hists(a, e, i, hist, &nv);
    *s = *s2 = 0;
    for (int64_t k = 0; k < nv; k++) {
        *s += (double)k * (double)hist[k];
        *s2 += (double)k * (double)k * (double)hist[k];
    }
}

static nsm_status event_differences(nsm_csv *c, const nsm_model *m, const char *arm_name,
                                    const nsm_accum *base, const nsm_accum *arm,
                                    const nsm_paired *p)
{
    double n = (double)nsm_accum_runs(base);
    for (int e = 0; e < m->n_events; e++) {
        int64_t top = nsm_accum_event_max_count(base, e), ta = nsm_accum_event_max_count(arm, e);
        int64_t *hist = malloc(((size_t)(top > ta ? top : ta) + 1) * sizeof *hist);
        int64_t *d2 = malloc(((size_t)m->n_reports + 1) * sizeof *d2);
        if (!hist || !d2) {
            free(hist);
            free(d2);
            return NSM_ERR_NOMEM;
        }
        nsm_paired_event_d2(p, e, d2);
        for (int i = 1; i < m->n_reports; i++) {
            double sa, sa2, sb, sb2;
            count_sums(arm, e, i, hist, &sa, &sa2);
            count_sums(base, e, i, hist, &sb, &sb2);
            nsm_difference d = difference(n, sa, sb, sa2, sb2, (double)d2[i]);
            row_head(c, m, arm_name, "event", m->events[e].name, "cumulative_count", i);
            write_difference(c, &d);
        }
        free(hist);
        free(d2);
    }
    return NSM_OK;
}

static nsm_status write_differences(nsm_csv *c, const nsm_model *m, const nsm_arm *arms,
                                    int n_arms, const nsm_accum *const *acc,
                                    nsm_paired *const *paired)
{
    static const char *const H[] = {"arm", "quantity", "name", "measure", "date", "t_years",
                                    "baseline_value", "arm_value", "difference", "std_error",
                                    "ci_low", "ci_high", "variance_reduction", NULL};
    static const char *const measures[2] = {"holds", "occurred_by"};
    nsm_difference *d = malloc(((size_t)m->n_reports + 1) * sizeof *d);
    if (!d)
        return NSM_ERR_NOMEM;
    nsm_csv_header(c, H);
    nsm_status st = NSM_OK;
    for (int a = 1; a < n_arms && st == NSM_OK; a++) {
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

static nsm_status write_briefing(nsm_csv *c, const nsm_model *m, const nsm_arm *arms, int n_arms,
                                 const nsm_accum *const *acc, nsm_paired *const *paired,
                                 const double *years, int n_years)
{
    static const char *const H[] = {"arm", "outcome", "measure", "horizon_years", "date",
                                    "baseline_probability", "arm_probability", "difference_pp",
                                    "ci_low_pp", "ci_high_pp", "distinguishable", NULL};
    int idx[16];
    double kept[16];
    int nh = nsm_horizon_indices(m, years, n_years < 16 ? n_years : 16, idx, kept);
    nsm_csv_header(c, H);
    for (int a = 1; a < n_arms; a++)
        for (int o = 0; o < m->n_outcomes; o++)
            for (int h = 0; h < nh; h++) {
                nsm_difference d = nsm_difference_outcome(m, acc[0], acc[a], paired[a], o, 1, idx[h]);
                nsm_csv_text(c, arms[a].name);
                nsm_csv_text(c, m->outcomes[o].name);
                nsm_csv_text(c, "occurred_by");
                nsm_csv_real(c, kept[h], 6);
                nsm_csv_text(c, m->report_date[idx[h]]);
                nsm_csv_real(c, d.baseline, 6);
                nsm_csv_real(c, d.arm, 6);
                nsm_csv_real(c, 100 * d.diff, 4);
                nsm_csv_real(c, 100 * d.lo, 4);
                nsm_csv_real(c, 100 * d.hi, 4);
                nsm_csv_text(c, d.lo > 0 || d.hi < 0 ? "yes" : "no");
                nsm_csv_end_row(c);
            }
    return NSM_OK;
}

static void write_arms(nsm_csv *c, const nsm_model *m, const nsm_arm *arms, int n_arms)
{
    static const char *const H[] = {"arm",       "lever", "target",      "operation",
                                    "value",     "from_date", "description", NULL};
    nsm_csv_header(c, H);
    for (int a = 0; a < n_arms; a++) {
        if (arms[a].n_levers == 0) {
            nsm_csv_text(c, arms[a].name);
            for (int k = 0; k < 5; k++)
                nsm_csv_na(c);
            nsm_csv_text(c, "the scenario as it is");
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
                nsm_csv_end_row(c);
            }
    }
}

nsm_status nsm_compare_write(const char *dir, const nsm_model *m, const nsm_arm *arms, int n_arms,
                             const nsm_accum *const *acc, nsm_paired *const *paired,
                             const double *horizons, int n_horizons, int bom, nsm_diag *diag)
{
    static const char *const files[3] = {"differences.csv", "briefing.csv", "arms.csv"};
    for (int k = 0; k < 3; k++) {
        char *path = nsm_path_join(dir, files[k]);
        nsm_csv c;
        nsm_status st = path ? nsm_csv_open(&c, path, bom, diag) : NSM_ERR_NOMEM;
        if (st == NSM_OK) {
            if (k == 0)
                st = write_differences(&c, m, arms, n_arms, acc, paired);
            else if (k == 1)
                st = write_briefing(&c, m, arms, n_arms, acc, paired, horizons, n_horizons);
            else
                write_arms(&c, m, arms, n_arms);
            nsm_status cst = nsm_csv_close(&c, st == NSM_OK ? diag : NULL);
            st = st == NSM_OK ? cst : st;
        }
        free(path);
        if (st == NSM_ERR_NOMEM && !diag->error)
            nsm_diag_error(diag, st, "out of memory writing %s", files[k]);
        if (st != NSM_OK)
            return st;
    }
    return NSM_OK;
}
