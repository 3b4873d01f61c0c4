/*
** storyout.c: routes.csv and signposts.csv (storyout.h). Writers only serialize: the numbers come
** from summary/storystats.c.
*/
#include "neasim/storyout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neasim/csvout.h"
#include "neasim/outdir.h"
#include "neasim/storystats.h"

void nsm_indicator_text(const nsm_model *m, int j, char *out, size_t n)
{
    if (j >= m->n_levels_total) {
        snprintf(out, n, "event:%s", m->events[j - m->n_levels_total].name);
        return;
    }
    int f = 0;
    while (f + 1 < m->n_factors && m->factors[f + 1].first_level <= j)
        f++;
    snprintf(out, n, "%s=%s", m->factors[f].name, m->factors[f].levels[j - m->factors[f].first_level]);
}

void nsm_route_text(const nsm_model *m, const nsm_route *r, char *out, size_t n)
{
    size_t len = (size_t)snprintf(out, n, "%s", r->truncated ? "... -> " : r->n_steps ? "" : "(none)");
    for (int k = 0; k < r->n_steps && len < n; k++) {
        char step[2 * NSM_NAME_MAX + 2];
        nsm_indicator_text(m, r->step[k], step, sizeof step);
        len += (size_t)snprintf(out + len, n - len, "%s%s", k ? " -> " : "", step);
    }
}

static void estimate(nsm_csv *c, nsm_estimate e)
{
    nsm_csv_real(c, e.est, 6);
    nsm_csv_real(c, e.lo, 6);
    nsm_csv_real(c, e.hi, 6);
}

static void proportion(nsm_csv *c, nsm_proportion p)
{
    nsm_csv_real(c, p.p, 6);
    nsm_csv_real(c, p.lo, 6);
    nsm_csv_real(c, p.hi, 6);
}

static nsm_status open_table(nsm_csv *c, const char *dir, const char *name, int bom, nsm_diag *d)
{
    char *path = nsm_path_join(dir, name);
    nsm_status st = path ? nsm_csv_open(c, path, bom, d)
                         : nsm_diag_error(d, NSM_ERR_NOMEM, "out of memory");
    free(path);
    return st;
}

static nsm_status routes_table(const char *dir, const nsm_model *m, const nsm_story *a, int bom,
                               nsm_diag *d)
{
    static const char *const H[] = {"outcome", "rank", "route", "steps", "onsets", "share",
                                    "share_lo", "share_hi", "median_years", "onsets_all", NULL};
    nsm_route_row rows[NSM_ROUTES_TOP + 1];
    char text[NSM_ROUTE_STEPS * (2 * NSM_NAME_MAX + 6) + 16];
    nsm_csv c;
    nsm_status st = open_table(&c, dir, "routes.csv", bom, d);
    if (st != NSM_OK)
        return st;
    nsm_csv_header(&c, H);
    for (int o = 0; o < m->n_outcomes && st == NSM_OK; o++) {
        int n = nsm_routes_summarize(m, a, o, rows);
        if (n < 0)
            st = nsm_diag_error(d, NSM_ERR_NOMEM, "out of memory");
        for (int k = 0; k < n; k++) {
            nsm_csv_text(&c, m->outcomes[o].name);
            if (rows[k].other) {
                nsm_csv_text(&c, "other");
                nsm_csv_text(&c, "other");
                nsm_csv_na(&c);
            } else {
                nsm_route_text(m, &rows[k].route, text, sizeof text);
                nsm_csv_int(&c, k + 1);
                nsm_csv_text(&c, text);
                nsm_csv_int(&c, rows[k].route.n_steps);
            }
            nsm_csv_int(&c, rows[k].onsets);
            proportion(&c, rows[k].share);
            nsm_csv_fixed(&c, nsm_years(rows[k].median_t), 4);
            nsm_csv_int(&c, nsm_story_onsets(a, o));
            nsm_csv_end_row(&c);
        }
    }
    nsm_status cst = nsm_csv_close(&c, st == NSM_OK ? d : NULL);
    return st == NSM_OK ? cst : st;
}

static void signpost_row(nsm_csv *c, const nsm_model *m, const nsm_story *a, int o, int w,
                         int rank, const nsm_signpost *s)
{
    char text[2 * NSM_NAME_MAX + 8], date[11];
    double tw = nsm_story_watch_t(a, w);
    nsm_model_date(m, tw, date);
    nsm_indicator_text(m, s->indicator, text, sizeof text);
    nsm_csv_text(c, m->outcomes[o].name);
    nsm_csv_fixed(c, nsm_years(tw), 4);
    nsm_csv_text(c, date);
    nsm_csv_int(c, rank);
    nsm_csv_text(c, text);
    nsm_csv_text(c, s->indicator < m->n_levels_total ? "level" : "event");
    nsm_csv_real(c, s->fires, 6);
    nsm_csv_int(c, s->n_with);
    nsm_csv_int(c, s->n_without);
    proportion(c, s->with);
    proportion(c, s->without);
    estimate(c, s->ratio);
    estimate(c, s->difference);
    if (s->same_as >= 0) {
        nsm_indicator_text(m, s->same_as, text, sizeof text);
        nsm_csv_text(c, text);
    } else {
        nsm_csv_na(c);
    }
    nsm_csv_end_row(c);
}

static nsm_status signposts_table(const char *dir, const nsm_model *m, const nsm_story *a, int bom,
                                  nsm_diag *d)
{
    static const char *const H[] = {"outcome", "watch_years", "watch_date", "rank", "indicator",
                                    "kind", "fires", "runs_with", "runs_without", "p_with",
                                    "p_with_lo", "p_with_hi", "p_without", "p_without_lo",
                                    "p_without_hi", "risk_ratio", "risk_ratio_lo", "risk_ratio_hi",
                                    "difference", "difference_lo", "difference_hi",
                                    "same_runs_as", NULL};
    nsm_signpost *s = calloc((size_t)nsm_story_n_indicators(a) + 1, sizeof *s);
    if (!s)
        return nsm_diag_error(d, NSM_ERR_NOMEM, "out of memory");
    nsm_csv c;
    nsm_status st = open_table(&c, dir, "signposts.csv", bom, d);
    if (st == NSM_OK) {
        nsm_csv_header(&c, H);
        for (int o = 0; o < m->n_outcomes; o++)
            for (int w = 0; w < nsm_story_options_of(a)->n_watch; w++) {
                int n = nsm_signposts_rank(m, a, o, w, s);
                for (int k = 0; k < n; k++)
                    signpost_row(&c, m, a, o, w, k + 1, &s[k]);
            }
        st = nsm_csv_close(&c, d);
    }
    free(s);
    return st;
}

nsm_status nsm_story_write(const char *dir, const nsm_model *m, const nsm_story *a, int bom,
                           nsm_diag *diag)
{
    nsm_status st = NSM_OK;
    if (nsm_story_options_of(a)->routes)
        st = routes_table(dir, m, a, bom, diag);
    if (st == NSM_OK && nsm_story_options_of(a)->signposts)
        st = signposts_table(dir, m, a, bom, diag);
    return st;
}
