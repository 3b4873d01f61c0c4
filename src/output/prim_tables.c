/*
** prim_tables.c: prim_trajectory.csv and prim_box.csv (see prim_tables.h; schemas in README.md).
*/
#include "neasim/prim_tables.h"

#include <stdlib.h>

#include "neasim/csvout.h"
#include "neasim/outdir.h"

static const char *const KIND[] = {"start", "peel", "paste", "drop"};
static const char *const SIDE[] = {"both", "lower", "upper"};

static nsm_status write_trajectory(const char *dir, const nsm_prim_tables *t, int bom,
                                   nsm_diag *d)
{
    char *path = nsm_path_join(dir, "prim_trajectory.csv");
    nsm_csv c;
    nsm_status st = path ? nsm_csv_open(&c, path, bom, d) : NSM_ERR_NOMEM;
    if (st == NSM_OK) {
        static const char *const head[] = {"step", "kind", "parameter", "limit", "points",
                                           "cases", "mass", "coverage", "density",
                                           "restricted_dims", "chosen", NULL};
        nsm_csv_header(&c, head);
        const nsm_prim_result *r = t->prim;
        for (int s = 0; s < r->n_steps; s++) {
            const nsm_prim_step *p = &r->steps[s];
            nsm_csv_int(&c, s);
            nsm_csv_text(&c, KIND[p->kind]);
            if (p->dim < 0) {
                nsm_csv_na(&c);
                nsm_csv_na(&c);
            } else {
                nsm_csv_text(&c, t->names[p->dim]);
                nsm_csv_text(&c, SIDE[p->side + 1]);
            }
            nsm_csv_int(&c, p->points);
            nsm_csv_real(&c, p->cases, 10);
            nsm_csv_real(&c, p->mass, 10);
            nsm_csv_real(&c, p->coverage, 10);
            nsm_csv_real(&c, p->density, 10);
            nsm_csv_int(&c, p->n_restricted);
            nsm_csv_text(&c, s == t->chosen ? "yes" : "no");
            nsm_csv_end_row(&c);
        }
        st = nsm_csv_close(&c, d);
    }
    free(path);
    return st;
}

static nsm_status write_box(const char *dir, const nsm_prim_tables *t, int bom, nsm_diag *d)
{
    char *path = nsm_path_join(dir, "prim_box.csv");
    nsm_csv c;
    nsm_status st = path ? nsm_csv_open(&c, path, bom, d) : NSM_ERR_NOMEM;
    if (st == NSM_OK) {
        static const char *const head[] = {"step", "parameter", "label", "lower", "upper",
                                           "data_min", "data_max", "restricted", "quasi_p",
                                           "quasi_p_lower", "quasi_p_upper", NULL};
        static const char *const RESTRICTED[] = {"no", "lower", "upper", "both"};
        nsm_csv_header(&c, head);
        const nsm_prim_result *r = t->prim;
        for (int j = 0; j < r->d; j++) {
            nsm_csv_int(&c, t->chosen);
            nsm_csv_text(&c, t->names[j]);
            nsm_csv_text(&c, t->labels[j]);
            nsm_csv_real(&c, nsm_prim_lower(r, t->chosen, j), 10);
            nsm_csv_real(&c, nsm_prim_upper(r, t->chosen, j), 10);
            nsm_csv_real(&c, nsm_prim_lower(r, 0, j), 10);
            nsm_csv_real(&c, nsm_prim_upper(r, 0, j), 10);
            nsm_csv_text(&c, RESTRICTED[nsm_prim_restricted(r, t->chosen, j)]);
            nsm_csv_real(&c, t->quasi_p[j], 6);
            nsm_csv_real(&c, t->quasi_p_side[2 * j], 6);
            nsm_csv_real(&c, t->quasi_p_side[2 * j + 1], 6);
            nsm_csv_end_row(&c);
        }
        st = nsm_csv_close(&c, d);
    }
    free(path);
    return st;
}

nsm_status nsm_prim_tables_write(const char *dir, const nsm_prim_tables *t,
                                 const nsm_write_options *opt, nsm_diag *d)
{
    nsm_status st = write_trajectory(dir, t, opt->bom, d);
    return st == NSM_OK ? write_box(dir, t, opt->bom, d) : st;
}
