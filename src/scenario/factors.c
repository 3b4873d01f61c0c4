/*
** factors.c: factors.csv: factors, their levels in the order given, and the initial
** distribution of each factor.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/read.h"

/* The first row of `factor` (and of `level`, unless NULL). */
static int first_row(const nsm_reader *r, const char *factor, const char *level)
{
    for (int i = 0; i < r->t->n_rows; i++)
        if (strcmp(nsmi_reader_cell(r, i, "factor")->text, factor) == 0 &&
            (!level || strcmp(nsmi_reader_cell(r, i, "level")->text, level) == 0))
            return i;
    return -1;
}

/* The factor called `name`, added at the end if new. */
static nsm_status factor_named(nsm_reader *r, const char *name, nsm_factor **out)
{
    nsm_model *m = r->m;
    int i = nsmi_find_factor(m, name);
    if (i >= 0) {
        *out = &m->factors[i];
        return NSM_OK;
    }
    nsm_factor *f = &m->factors[m->n_factors++];
    snprintf(f->name, sizeof f->name, "%s", name);
    f->stream = nsm_stream_id("init", name);
    f->levels = calloc(NSM_MAX_LEVELS, sizeof *f->levels);
    f->initial = calloc(NSM_MAX_LEVELS, sizeof *f->initial);
    f->level_labels = calloc(NSM_MAX_LEVELS, sizeof *f->level_labels);
    *out = f;
    return f->levels && f->initial && f->level_labels ? NSM_OK : NSM_ERR_NOMEM;
}

static nsm_status add_level(nsm_reader *r, int row, nsm_factor *f, const char *level)
{
    const nsm_cell *c = nsmi_reader_cell(r, row, "level");
    if (nsmi_find_level(f, level) >= 0)
        return nsmi_reader_error(r, c, 0, "level '%s' of factor '%s' is defined twice (first at "
                                "line %d)" NSMI_TWICE_FIX, level, f->name,
                                r->t->rows[first_row(r, f->name, level)].line);
    if (f->n_levels == NSM_MAX_LEVELS)
        return nsmi_reader_error(r, c, 0, "factor '%s' has more than %d levels", f->name,
                                NSM_MAX_LEVELS);
    double p;
    nsm_status s = nsmi_read_probability(r, row, "initial", &p);
    if (s != NSM_OK)
        return s;
    snprintf(f->levels[f->n_levels], sizeof f->levels[0], "%s", level);
    f->initial[f->n_levels] = p;
    /* counted before the label is read, so that model.c frees it whatever happens next */
    f->n_levels++;
    return nsmi_read_text(r, row, "label", &f->level_labels[f->n_levels - 1]);
}

static nsm_status read_row(nsm_reader *r, int row)
{
    const char *name, *level;
    nsm_factor *f;
    nsm_status s = nsmi_read_name(r, row, "factor", "factor", &name);
    if (s == NSM_OK)
        s = nsmi_read_name(r, row, "level", "level", &level);
    if (s == NSM_OK)
        s = factor_named(r, name, &f);
    if (s == NSM_OK)
        s = add_level(r, row, f, level);
    if (s == NSM_OK && !f->description)
        s = nsmi_read_text(r, row, "description", &f->description);
    /* like the description, a factor's label is the first one given among its rows */
    if (s == NSM_OK && !f->label)
        s = nsmi_read_text(r, row, "factor_label", &f->label);
    return s;
}

static nsm_status check_initial(nsm_reader *r, const nsm_factor *f)
{
    double sum = 0;
    for (int l = 0; l < f->n_levels; l++)
        sum += f->initial[l];
    if (fabs(sum - 1) <= 1e-6)
        return NSM_OK;
    /* every term with its line, since which of them is wrong only the analyst can tell */
    char terms[600] = "";
    size_t len = 0;
    for (int l = 0; l < f->n_levels && len < sizeof terms - 1; l++)
        len += (size_t)snprintf(terms + len, sizeof terms - len, "%s%s %.10g (line %d)",
                                l ? " + " : "", f->levels[l], f->initial[l],
                                nsmi_reader_cell(r, first_row(r, f->name, f->levels[l]),
                                                 "initial")->line);
    const nsm_cell *c = nsmi_reader_cell(r, first_row(r, f->name, NULL), "initial");
    return nsmi_reader_error(r, c, 0, "the initial probabilities of factor '%s' sum to %.10g, "
                            "not 1: %s; change them so that they sum to 1", f->name, sum, terms);
}

nsm_status nsmi_scenario_factors(nsm_reader *r)
{
    const nsm_table *t = nsmi_reader_use(r, NSM_T_FACTORS);
    nsm_model *m = r->m;
    if (t->n_rows == 0) {
        char empty[1] = "";
        nsm_cell header = {empty, t->header_line, 1, 0, NULL};
        return nsmi_reader_error(r, &header, 0, "factors.csv defines no factor (one row per "
                                "level of each factor)");
    }
    m->factors = calloc((size_t)t->n_rows, sizeof *m->factors);
    if (!m->factors)
        return NSM_ERR_NOMEM;
    nsm_status s = NSM_OK;
    for (int i = 0; s == NSM_OK && i < t->n_rows; i++)
        s = read_row(r, i);
    for (int f = 0; s == NSM_OK && f < m->n_factors; f++) {
        s = check_initial(r, &m->factors[f]);
        m->factors[f].first_level = m->n_levels_total;
        m->n_levels_total += m->factors[f].n_levels;
    }
    return s;
}
