/*
** labels.c: labels.csv (see labels.h): kind, name, level, label, given, desirable, occurrence.
** A row's label is the scenario's label, or its name when the scenario gives none (`given` says
** which), so that a lookup always finds something to show.
*/
#include "neasim/labels.h"

#include <stdlib.h>

#include "neasim/csvout.h"
#include "neasim/outdir.h"

const char *nsm_desirable_name(nsm_desirable d)
{
    switch (d) {
    case NSM_DESIRABLE_LOWER: return "lower";
    case NSM_DESIRABLE_HIGHER: return "higher";
    case NSM_DESIRABLE_NONE: break;
    }
    return "none";
}

/* One row; level, desirable and occurrence may be NULL (written NA). */
static void row(nsm_csv *c, const char *kind, const char *name, const char *level,
                const char *label, const char *desirable, const char *occurrence)
{
    nsm_csv_text(c, kind);
    nsm_csv_text(c, name);
    if (level)
        nsm_csv_text(c, level);
    else
        nsm_csv_na(c);
    nsm_csv_text(c, nsm_label_or_name(label, level ? level : name));
    nsm_csv_text(c, label && label[0] ? "yes" : "no");
    if (desirable)
        nsm_csv_text(c, desirable);
    else
        nsm_csv_na(c);
    if (occurrence)
        nsm_csv_text(c, occurrence);
    else
        nsm_csv_na(c);
    nsm_csv_end_row(c);
}

static void rows(nsm_csv *c, const nsm_model *m, const nsm_model *const *scenarios, int n)
{
    for (int s = 0; s < (scenarios ? n : 1); s++) {
        const nsm_model *x = scenarios ? scenarios[s] : m;
        row(c, "scenario", x->name, NULL, x->label, NULL, NULL);
    }
    for (int f = 0; f < m->n_factors; f++) {
        const nsm_factor *fa = &m->factors[f];
        row(c, "factor", fa->name, NULL, fa->label, NULL, NULL);
        for (int l = 0; l < fa->n_levels; l++)
            row(c, "level", fa->name, fa->levels[l], fa->level_labels ? fa->level_labels[l] : NULL,
                NULL, NULL);
    }
    for (int e = 0; e < m->n_events; e++)
        row(c, "event", m->events[e].name, NULL, m->events[e].label, NULL, NULL);
    /* an outcome's occurrence here too, so that a folder without outcomes.csv (a sweep's) can
    ** say which outcomes are onsets without reading the scenario it came from */
    for (int o = 0; o < m->n_outcomes; o++)
        row(c, "outcome", m->outcomes[o].name, NULL, m->outcomes[o].label,
            nsm_desirable_name(m->outcomes[o].desirable),
            m->outcomes[o].occurrence == NSM_OCCUR_ONSET ? "onset" : "state");
    for (int l = 0; l < m->n_levers; l++)
        row(c, "lever", m->levers[l].name, NULL, m->levers[l].label, NULL, NULL);
    for (int d = 0; d < m->n_draws; d++)
        row(c, "draw", m->draws[d].name, NULL, m->draws[d].label, NULL, NULL);
}

nsm_status nsm_labels_write(const char *dir, const nsm_model *m,
                            const nsm_model *const *scenarios, int n_scenarios,
                            const nsm_write_options *opt, nsm_diag *diag)
{
    static const char *const H[] = {"kind",  "name",      "level",      "label",
                                    "given", "desirable", "occurrence", NULL};
    char *path = nsm_path_join(dir, "labels.csv");
    nsm_csv c;
    nsm_status st = path ? nsm_csv_open(&c, path, opt->bom, diag)
                         : nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
    if (st == NSM_OK) {
        nsm_csv_header(&c, H);
        rows(&c, m, scenarios, n_scenarios);
        st = nsm_csv_close(&c, diag);
    }
    free(path);
    return st;
}
