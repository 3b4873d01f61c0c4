/*
** outer.c: uncertainty.csv, the table of a two-level run (outer.h): run --outer's, and every
** arm's of compare --outer. The draws are run and reduced to probabilities in
** summary/outer_draws.c (the loop over them is sim/outer_loop.c); this file only serializes them.
*/
#include "neasim/outer.h"

#include <stdlib.h>

#include "neasim/csvout.h"
#include "neasim/outdir.h"
#include "neasim/summary.h"

static void write_row(nsm_csv *c, const nsm_model *m, int o, double years, int i, double *v,
                      size_t n, uint64_t runs)
{
    nsm_outer_spread sp = nsm_outer_spread_of(v, n, runs);
    nsm_csv_text(c, m->outcomes[o].name);
    nsm_csv_real(c, years, 6);
    nsm_csv_text(c, m->report_date[i]);
    nsm_csv_real(c, sp.probability, 6);
    nsm_csv_real(c, sp.mean_se, 6);
    nsm_csv_real(c, sp.mean_lo, 6);
    nsm_csv_real(c, sp.mean_hi, 6);
    nsm_csv_real(c, sp.between_sd, 6);
    nsm_csv_real(c, sp.parameter_sd, 6);
    nsm_csv_real(c, sp.monte_carlo_sd, 6);
    nsm_csv_real(c, sp.q05, 6);
    nsm_csv_real(c, sp.q50, 6);
    nsm_csv_real(c, sp.q95, 6);
    nsm_csv_real(c, sp.parameter_share, 4);
    nsm_csv_text(c, nsm_mostly_noise(sp.between_sd, sp.monte_carlo_sd) ? "yes" : "no");
    nsm_csv_end_row(c);
}

/* uncertainty.csv: with arms (compare --outer) a leading `arm` column and the rows of each arm in
** turn; p_of(ctx, j, a, o, h) is P(occurred by) of arm a, outcome o, horizon h under draw j. */
typedef double (*p_of_fn)(const void *ctx, uint64_t j, int a, int o, int h);

static nsm_status write_uncertainty(const char *dir, const nsm_model *m, const nsm_horizons *hz,
                                    uint64_t n_draws, uint64_t runs, const char *const *arms,
                                    int n_arms, p_of_fn p_of, const void *ctx,
                                    const nsm_write_options *opt, nsm_diag *diag)
{
    static const char *const H[] = {"arm", "outcome", "horizon_years", "date", "probability",
                                    "mean_std_error", "mean_ci_low", "mean_ci_high",
                                    "between_draws_sd", "parameter_sd", "monte_carlo_sd",
                                    "q05", "q50", "q95", "parameter_share",
                                    "judgment_mostly_noise", NULL};
    char *path = nsm_path_join(dir, "uncertainty.csv");
    double *v = malloc(((size_t)n_draws + 1) * sizeof *v);
    nsm_csv c;
    nsm_status st = path && v ? nsm_csv_open(&c, path, opt->bom, diag) : NSM_ERR_NOMEM;
    if (st == NSM_OK) {
        nsm_csv_header(&c, arms ? H : H + 1);
        for (int a = 0; a < n_arms; a++)
            for (int o = 0; o < m->n_outcomes; o++)
                for (int h = 0; h < hz->n; h++) {
                    for (uint64_t j = 0; j < n_draws; j++)
                        v[j] = p_of(ctx, j, a, o, h);
                    if (arms)
                        nsm_csv_text(&c, arms[a]);
                    write_row(&c, m, o, hz->years[h], hz->idx[h], v, n_draws, runs);
                }
        st = nsm_csv_close(&c, diag);
    }
    if (st == NSM_ERR_NOMEM && !diag->error)
        nsm_diag_error(diag, st, "out of memory");
    free(path);
    free(v);
    return st;
}

typedef struct {
    const nsm_model *m;
    const nsm_outer_result *r;
} run_ctx;

static double run_p(const void *ctx, uint64_t j, int a, int o, int h)
{
    (void)a;
    const run_ctx *rc = ctx;
    const int n_h = rc->r->horizons.n;
    return rc->r->p[j * (uint64_t)(rc->m->n_outcomes * n_h) + (uint64_t)(o * n_h + h)];
}

nsm_status nsm_outer_write(const char *dir, const nsm_model *m, const nsm_outer_result *r,
                           const nsm_write_options *opt, nsm_diag *diag)
{
    const run_ctx ctx = {m, r};
    return write_uncertainty(dir, m, &r->horizons, r->n_draws, r->runs, NULL, 1, run_p, &ctx, opt,
                             diag);
}

typedef struct {
    const nsm_model *m;
    const nsm_outer_comparison *r;
} arms_ctx;

static double arms_p(const void *ctx, uint64_t j, int a, int o, int h)
{
    const arms_ctx *ac = ctx;
    return ac->r->p[nsm_outer_slot(ac->m, ac->r, j, a, o, h)];
}

nsm_status nsm_outer_write_arms(const char *dir, const nsm_model *m,
                                const nsm_outer_comparison *r, const char *const *names,
                                const nsm_write_options *opt, nsm_diag *diag)
{
    const arms_ctx ctx = {m, r};
    return write_uncertainty(dir, m, &r->horizons, r->n_draws, r->runs, names, r->n_arms, arms_p,
                             &ctx, opt, diag);
}
