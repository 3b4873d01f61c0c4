/*
** results.c: the tables of a run (schemas in README.md, "Output files").
**
** Each writer walks the accumulator's prefix sums once per series, so writing costs
** O(reports x (levels + outcomes) + reports x counts) whatever the number of replications.
*/
#include "neasim/results.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "neasim/csvout.h"
#include "neasim/labels.h"
#include "neasim/outdir.h"
#include "neasim/stats.h"
#include "neasim/summary.h"

void nsm_manifest_add(nsm_manifest *mf, const char *key, const char *fmt, ...)
{
    if (mf->n >= (int)(sizeof mf->entries / sizeof mf->entries[0]))
        return;
    nsm_manifest_entry *e = &mf->entries[mf->n++];
    e->key = key;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->value, sizeof e->value, fmt, ap);
    va_end(ap);
}

/* The arms whose tables are written: one with no arm column for `run`, several for `compare`. */
typedef struct {
    int n;
    const char *const *names; /* NULL: no arm column */
    const nsm_accum *const *acc;
    const nsm_model *const *scenarios; /* the arms' own scenarios (compare A B ...), or NULL */
} arms_view;

static void write_arm(nsm_csv *c, const arms_view *v, int a)
{
    if (v->names)
        nsm_csv_text(c, v->names[a]);
}

static void write_date(nsm_csv *c, const nsm_model *m, int i)
{
    nsm_csv_text(c, m->report_date[i]);
    nsm_csv_fixed(c, nsm_years(m->report_t[i]), 4);
}

/* The proportion k of the replications at column i of series (kind, item) of accumulator a, with
** its interval (nsm_series_proportion: over the draws of --outer, the mean's, counting the draws). */
static void write_proportion(nsm_csv *c, const nsm_accum *a, nsm_series_kind kind, int item,
                             int i, int64_t k)
{
    nsm_proportion p = nsm_series_proportion(a, kind, item, i, k);
    nsm_csv_real(c, p.p, 6);
    nsm_csv_real(c, p.se, 4);
    nsm_csv_real(c, p.lo, 6);
    nsm_csv_real(c, p.hi, 6);
}

/* A series' rows, one a report date: the arm, the date, its two names (factor and level, or
** outcome and measure) and the proportion series[i] of the arm's runs; the series is (kind, item)
** of the arm's accumulator. */
static void series_rows(nsm_csv *c, const nsm_model *m, const arms_view *v, int arm,
                        nsm_series_kind kind, int item, const char *name, const char *what,
                        const int64_t *series)
{
    const nsm_accum *a = v->acc[arm];
    for (int i = 0; i < m->n_reports; i++) {
        write_arm(c, v, arm);
        write_date(c, m, i);
        nsm_csv_text(c, name);
        nsm_csv_text(c, what);
        write_proportion(c, a, kind, item, i, series[i]);
        nsm_csv_end_row(c);
    }
}

static void state_rows(nsm_csv *c, const nsm_model *m, const arms_view *v, int arm,
                       int64_t *series)
{
    const nsm_accum *a = v->acc[arm];
    for (int f = 0; f < m->n_factors; f++) {
        const nsm_factor *fa = &m->factors[f];
        for (int l = 0; l < fa->n_levels; l++) {
            nsm_accum_level_series(a, fa->first_level + l, series);
            series_rows(c, m, v, arm, NSM_SERIES_LEVEL, fa->first_level + l, fa->name,
                        fa->levels[l], series);
        }
    }
}

static void outcome_rows(nsm_csv *c, const nsm_model *m, const arms_view *v, int arm,
                         int64_t *series)
{
    const nsm_accum *a = v->acc[arm];
    for (int o = 0; o < m->n_outcomes; o++) {
        nsm_accum_outcome_held_series(a, o, series);
        series_rows(c, m, v, arm, NSM_SERIES_HELD, o, m->outcomes[o].name, "holds", series);
        nsm_occurred_by(m, a, o, series);
        series_rows(c, m, v, arm, NSM_SERIES_OCCURRED, o, m->outcomes[o].name, "occurred_by",
                    series);
        if (m->outcomes[o].occurrence == NSM_OCCUR_ONSET) {
            /* what occurred_by leaves out: the runs that start in the condition */
            write_arm(c, v, arm);
            write_date(c, m, 0);
            nsm_csv_text(c, m->outcomes[o].name);
            nsm_csv_text(c, "holds_at_start");
            write_proportion(c, a, NSM_SERIES_HELD, o, 0, nsm_accum_outcome_held_count(a, o, 0));
            nsm_csv_end_row(c);
        }
    }
}

static void first_rows(nsm_csv *c, const nsm_model *m, const arms_view *v, int arm,
                       int64_t *series)
{
    const nsm_accum *a = v->acc[arm];
    int64_t n = (int64_t)nsm_accum_runs(a);
    for (int o = 0; o < m->n_outcomes; o++) {
        nsm_occurred_by(m, a, o, series); /* the first occurrences at i: series[i] - series[i-1] */
        for (int i = 0; i <= m->n_reports; i++) {
            int64_t first = series[i] - (i > 0 ? series[i - 1] : 0);
            write_arm(c, v, arm);
            nsm_csv_text(c, m->outcomes[o].name);
            if (i < m->n_reports) {
                write_date(c, m, i);
            } else {
                nsm_csv_na(c);
                nsm_csv_na(c);
            }
            nsm_csv_text(c, i < m->n_reports ? "by_date" : "never");
            nsm_csv_real(c, n ? (double)first / (double)n : 0.0, 6);
            nsm_csv_real(c, n ? (double)series[i] / (double)n : 0.0, 6);
            nsm_csv_end_row(c);
        }
    }
}

/* Event e's counts in window (kind, column) of accumulator a, reported at date i: with draws of a
** two-level run, the mean's standard error counts the draws (stats.h, nsm_draws_mean_se). */
static void count_row(nsm_csv *c, const nsm_model *m, const nsm_accum *a, int e,
                      nsm_series_kind kind, int column, int i, const char *window,
                      const int64_t *hist, int64_t n_values)
{
    nsm_count_summary s = nsm_count_summarize(hist, n_values);
    const char *event = m->events[e].name;
    uint64_t draws = nsm_accum_draws(a);
    if (draws) {
        int64_t n = 0, sum = 0;
        for (int64_t v = 0; v < n_values; v++) {
            n += hist[v];
            sum += v * hist[v];
        }
        s.mean_se = nsm_draws_mean_se(s.mean_se, n, draws,
                                      nsm_accum_draw_ss(a, kind, e, column, sum));
    }
    write_date(c, m, i);
    nsm_csv_text(c, event);
    nsm_csv_text(c, window);
    nsm_csv_real(c, s.mean, 6);
    nsm_csv_real(c, s.sd, 6);
    nsm_csv_real(c, s.mean_se, 4);
    nsm_csv_int(c, s.q05);
    nsm_csv_int(c, s.q25);
    nsm_csv_int(c, s.q50);
    nsm_csv_int(c, s.q75);
    nsm_csv_int(c, s.q95);
    nsm_csv_real(c, s.p_positive, 6);
    nsm_csv_end_row(c);
}

static nsm_status event_rows(nsm_csv *c, const nsm_model *m, const arms_view *v, int arm,
                             nsm_diag *diag)
{
    const nsm_accum *a = v->acc[arm];
    for (int e = 0; e < m->n_events; e++) {
        int64_t n_values, *hist = malloc(((size_t)nsm_accum_event_max_count(a, e) + 1) * sizeof *hist);
        if (!hist)
            return nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory writing event counts");
        for (int i = 1; i < m->n_reports; i++) {
            nsm_accum_event_period_hist(a, e, i, hist, &n_values);
            write_arm(c, v, arm);
            count_row(c, m, a, e, NSM_SERIES_PERIOD, i, i, "period", hist, n_values);
        }
        int per_year = 12 / m->report_interval_months; /* reports per year */
        for (int y = 1; 12 % m->report_interval_months == 0 && y <= m->horizon_months / 12; y++) {
            nsm_accum_event_year_hist(a, e, y, hist, &n_values);
            write_arm(c, v, arm);
            count_row(c, m, a, e, NSM_SERIES_YEAR, y, y * per_year, "year", hist, n_values);
        }
        nsm_accum_event_cumulative_step(a, e, 0, hist, &n_values);
        for (int i = 1; i < m->n_reports; i++) {
            nsm_accum_event_cumulative_step(a, e, i, hist, &n_values);
            write_arm(c, v, arm);
            count_row(c, m, a, e, NSM_SERIES_CUMULATIVE, i, i, "cumulative", hist, n_values);
        }
        free(hist);
    }
    return NSM_OK;
}

/* One window of count_distribution.csv: every count from 0 to the largest seen, zeros included,
** so that a reader gets the whole predictive distribution (exact CRPS, any quantile). */
static void dist_rows(nsm_csv *c, const arms_view *v, int arm, const char *event,
                      const char *window, const char *start, const char *end, const int64_t *hist,
                      int64_t n_values)
{
    int64_t n = 0;
    for (int64_t k = 0; k < n_values; k++)
        n += hist[k];
    for (int64_t k = 0; k < n_values; k++) {
        write_arm(c, v, arm);
        nsm_csv_text(c, event);
        nsm_csv_text(c, window);
        nsm_csv_text(c, start);
        nsm_csv_text(c, end);
        nsm_csv_int(c, k);
        nsm_csv_real(c, n ? (double)hist[k] / (double)n : (double)NAN, 12);
        nsm_csv_end_row(c);
    }
}

/* The yearly windows (as event_counts.csv's `year` rows) and the whole horizon. */
static nsm_status dist_event_rows(nsm_csv *c, const nsm_model *m, const arms_view *v, int arm,
                                  nsm_diag *diag)
{
    const nsm_accum *a = v->acc[arm];
    for (int e = 0; e < m->n_events; e++) {
        size_t size = ((size_t)nsm_accum_event_max_count(a, e) + 1) * sizeof(int64_t);
        int64_t n_values, *hist = malloc(size);
        if (!hist)
            return nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory writing count distributions");
        const char *name = m->events[e].name;
        int per_year = 12 / m->report_interval_months, last = m->n_reports - 1;
        for (int y = 1; 12 % m->report_interval_months == 0 && y <= m->horizon_months / 12; y++) {
            nsm_accum_event_year_hist(a, e, y, hist, &n_values);
            dist_rows(c, v, arm, name, "year", m->report_date[(y - 1) * per_year],
                      m->report_date[y * per_year], hist, n_values);
        }
        nsm_accum_event_cumulative_hists(a, e, last, hist, &n_values);
        dist_rows(c, v, arm, name, "horizon", m->report_date[0], m->report_date[last], hist,
                  n_values);
        free(hist);
    }
    return NSM_OK;
}

static void manifest_rows(nsm_csv *c, const nsm_manifest *mf)
{
    for (int k = 0; k < mf->n; k++) {
        nsm_csv_text(c, mf->entries[k].key);
        nsm_csv_text(c, mf->entries[k].value);
        nsm_csv_end_row(c);
    }
}

typedef enum { T_STATES, T_OUTCOMES, T_FIRST, T_EVENTS, T_DIST, T_MANIFEST } table_kind;

static const char *const H_STATES[] = {"date", "t_years", "factor", "level", "probability",
                                       "std_error", "ci_low", "ci_high", NULL};
static const char *const H_OUTCOMES[] = {"date", "t_years", "outcome", "measure", "probability",
                                         "std_error", "ci_low", "ci_high", NULL};
static const char *const H_FIRST[] = {"outcome", "date", "t_years", "when", "probability",
                                      "cumulative_probability", NULL};
static const char *const H_EVENTS[] = {"date", "t_years", "event", "window", "mean", "sd",
                                       "mean_std_error", "q05", "q25", "q50", "q75", "q95",
                                       "p_at_least_one", NULL};
static const char *const H_DIST[] = {"event", "window", "window_start", "window_end", "count",
                                     "probability", NULL};
static const char *const H_MANIFEST[] = {"key", "value", NULL};

/* The header, with "arm" in front for a comparison. */
static void header(nsm_csv *c, const arms_view *v, const char *const *names)
{
    if (v->names)
        nsm_csv_text(c, "arm");
    nsm_csv_header(c, names);
}

static nsm_status table_rows(nsm_csv *c, table_kind kind, const nsm_model *m, const arms_view *v,
                             const nsm_manifest *mf, int64_t *series, nsm_diag *diag)
{
    nsm_status st = NSM_OK;
    if (kind == T_MANIFEST) {
        manifest_rows(c, mf);
        return NSM_OK;
    }
    for (int a = 0; a < v->n && st == NSM_OK; a++) {
        switch (kind) {
        case T_STATES: state_rows(c, m, v, a, series); break;
        case T_OUTCOMES: outcome_rows(c, m, v, a, series); break;
        case T_FIRST: first_rows(c, m, v, a, series); break;
        case T_EVENTS: st = event_rows(c, m, v, a, diag); break;
        case T_DIST: st = dist_event_rows(c, m, v, a, diag); break;
        case T_MANIFEST: break;
        }
    }
    return st;
}

static nsm_status write_table(const char *dir, const char *name, table_kind kind,
                              const nsm_model *m, const arms_view *v, const nsm_manifest *mf,
                              const nsm_write_options *opt, nsm_diag *diag)
{
    static const char *const *headers[] = {H_STATES, H_OUTCOMES, H_FIRST, H_EVENTS, H_DIST,
                                                     H_MANIFEST};
    char *path = nsm_path_join(dir, name);
    int64_t *series = malloc(((size_t)m->n_reports + 1) * sizeof *series);
    nsm_csv c = {0};
    nsm_status st = NSM_ERR_NOMEM, cst;
    if (!path || !series) {
        nsm_diag_error(diag, st, "out of memory");
        goto out;
    }
    if ((st = nsm_csv_open(&c, path, opt->bom, diag)) != NSM_OK)
        goto out;
    if (kind == T_MANIFEST)
        nsm_csv_header(&c, headers[kind]);
    else
        header(&c, v, headers[kind]);
    st = table_rows(&c, kind, m, v, mf, series, diag);
    cst = nsm_csv_close(&c, st == NSM_OK ? diag : NULL);
    if (st == NSM_OK)
        st = cst;
out:
    free(series);
    free(path);
    return st;
}

static nsm_status write_all(const char *dir, const nsm_model *m, const arms_view *v,
                            const nsm_manifest *mf, const nsm_write_options *opt, nsm_diag *diag)
{
    static const struct {
        const char *name;
        table_kind kind;
    } tables[] = {{"state_probabilities.csv", T_STATES}, {"outcomes.csv", T_OUTCOMES},
                  {"first_occurrence.csv", T_FIRST},     {"event_counts.csv", T_EVENTS},
                  {"count_distribution.csv", T_DIST},
                  {"manifest.csv", T_MANIFEST}};
    for (size_t k = 0; k < sizeof tables / sizeof tables[0]; k++) {
        nsm_status st = write_table(dir, tables[k].name, tables[k].kind, m, v, mf, opt, diag);
        if (st != NSM_OK)
            return st;
    }
    return nsm_labels_write(dir, m, v->scenarios, v->scenarios ? v->n : 0, opt, diag);
}

nsm_status nsm_results_write(const char *dir, const nsm_model *m, const nsm_accum *acc,
                             const nsm_manifest *mf, const nsm_write_options *opt, nsm_diag *diag)
{
    arms_view v = {1, NULL, &acc, NULL};
    return write_all(dir, m, &v, mf, opt, diag);
}

nsm_status nsm_results_write_manifest(const char *dir, const nsm_manifest *mf,
                                      const nsm_write_options *opt, nsm_diag *diag)
{
    char *path = nsm_path_join(dir, "manifest.csv");
    nsm_csv c;
    nsm_status st = path ? nsm_csv_open(&c, path, opt->bom, diag) : NSM_ERR_NOMEM;
    if (st == NSM_OK) {
        nsm_csv_header(&c, H_MANIFEST);
        manifest_rows(&c, mf);
        st = nsm_csv_close(&c, diag);
    }
    free(path);
    return st;
}

nsm_status nsm_results_write_arms(const char *dir, const nsm_model *m, int n_arms,
                                  const char *const *names, const nsm_model *const *scenarios,
                                  const nsm_accum *const *acc, const nsm_manifest *mf,
                                  const nsm_write_options *opt, nsm_diag *diag)
{
    arms_view v = {n_arms, names, acc, scenarios};
    return write_all(dir, m, &v, mf, opt, diag);
}
