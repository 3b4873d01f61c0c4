/*
** factors.c: factors.csv: factors, their levels in the order given, the initial distribution of
** each factor, and the optional `entered` dates: since when a factor that starts in a level has
** been in it. A date is kept as whole days before the start (model.h, nsm_factor.entered); only
** durations read it, and once transitions.csv is read, nsmi_scenario_entered refuses a date whose
** stay a duration out of that level would have ended before the start.
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

/* The optional `entered` cell of level l: a date on or before the start, kept as the days before
** it. A date on a level the factor does not start in is kept (a lever or sweep may give the level
** a starting chance, path factors:F:L) with a warning, since as written it can never be read. */
static nsm_status read_entered(nsm_reader *r, int row, nsm_factor *f, int l)
{
    nsm_date d;
    const nsm_cell *c;
    nsm_status s = nsmi_read_optional_date(r, row, "entered", &d, &c);
    if (s != NSM_OK || !c)
        return s;
    char start[11];
    nsmi_date_format(r->start, start);
    if (nsmi_date_cmp(d, r->start) > 0)
        return nsmi_reader_error(r, c, 0, "entered %s is after start_date %s: it says since when "
                                "a factor that starts in this level has been in it, so it is on or "
                                "before the start; a change after the start belongs in "
                                "calendar.csv", c->text, start);
    if (!f->entered && !(f->entered = calloc(NSM_MAX_LEVELS, sizeof *f->entered)))
        return NSM_ERR_NOMEM;
    f->entered[l] = -nsmi_reader_time(r, d); /* whole days: exact (model.h) */
    if (f->initial[l] == 0)
        nsm_table_warn(r->t, c, r->d, "entered date on level '%s', where factor '%s' never "
                       "starts (initial 0): it is read only if a lever or sweep gives the level a "
                       "starting chance (path factors:%s:%s)", f->levels[l], f->name, f->name,
                       f->levels[l]);
    return NSM_OK;
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
    s = nsmi_read_text(r, row, "label", &f->level_labels[f->n_levels - 1]);
    return s == NSM_OK ? read_entered(r, row, f, f->n_levels - 1) : s;
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

/* ---- entered dates against durations (after transitions.csv) ---- */

/* The duration cell as written, from the model: "180 days", "weibull(1.5,2) years". */
static void duration_text(const nsm_duration *du, char *buf, size_t n)
{
    nsm_dist d = {(nsm_dist_kind)du->kind, {du->p[0], du->p[1], du->p[2]}};
    char law[96];
    if (du->kind == NSM_DIST_FIXED)
        snprintf(law, sizeof law, "%g", du->p[0]);
    else
        nsm_dist_format(&d, law, sizeof law);
    snprintf(buf, n, "%s %s", law, du->unit_days == 1.0 ? "days" : "years");
}

/* Transition tr's duration cannot outlast the stay of e days its factor had at the start (a
** deadline or a uniform's upper end at most e days, a tail beyond the smallest double): the
** scenario contradicts itself, so the error is at the entered cell, with the day the stay ended. */
static nsm_status stay_over(nsm_reader *r, const nsm_transition *tr, double e)
{
    const nsm_model *m = r->m;
    const nsm_factor *f = &m->factors[tr->factor];
    const nsm_duration *du = &tr->duration;
    const nsm_cell *c = nsmi_reader_cell(r, first_row(r, f->name, f->levels[tr->from]), "entered");
    char start[11], since[11], end[11], dur[128], when[64];
    nsmi_date_format(r->start, start);
    nsm_model_date(m, -e, since);
    duration_text(du, dur, sizeof dur);
    if (du->kind == NSM_DIST_FIXED || du->kind == NSM_DIST_UNIFORM) {
        /* the day the stay ended: a deadline's length, or a uniform's upper end, after it began */
        nsm_model_date(m, floor(du->p[du->kind == NSM_DIST_UNIFORM] * du->unit_days - e), end);
        snprintf(when, sizeof when, "ends that stay %s %s",
                 du->kind == NSM_DIST_FIXED ? "on" : "by", end);
    } else {
        snprintf(when, sizeof when, "gives a stay of %g days no chance", e);
    }
    return nsmi_reader_error(r, c, 0, "factor '%s' has been in '%s' since %s, %g days before the "
                            "start (%s), but the duration '%s' of %s:%s>%s (transitions.csv line "
                            "%d) %s, so that stay cannot go on after the start: correct the date, "
                            "or start the factor in '%s', where the move leads", f->name,
                            f->levels[tr->from], since, e, start, dur, f->name,
                            f->levels[tr->from], f->levels[tr->to], tr->source_line, when,
                            f->levels[tr->to]);
}

/* Does the stay that had lasted e days at the start leave tr's duration a time still to run? */
static int stay_can_go_on(const nsm_duration *du, double e)
{
    if (du->kind == NSM_DIST_FIXED)
        return du->p[0] * du->unit_days - e > 0; /* the engine's remaining time (sim/actions.c) */
    nsm_dist d = {(nsm_dist_kind)du->kind, {du->p[0], du->p[1], du->p[2]}};
    return nsm_dist_survival(&d, e / du->unit_days) > 0;
}

/* A date on a level no duration leaves changes nothing (hazards have no memory): said, since the
** analyst who wrote it expected it to. */
static void warn_unread(nsm_reader *r, int f)
{
    const nsm_model *m = r->m;
    const nsm_factor *fa = &m->factors[f];
    for (int l = 0; l < fa->n_levels; l++) {
        int read = 0;
        for (int k = 0; k < m->n_transitions && !read; k++)
            read = m->transitions[k].duration.on && m->transitions[k].factor == f &&
                   m->transitions[k].from == l;
        if (fa->entered[l] > 0 && !read)
            nsm_table_warn(r->t, nsmi_reader_cell(r, first_row(r, fa->name, fa->levels[l]),
                                                  "entered"),
                           r->d, "entered date on level '%s', which no transition with a duration "
                           "leaves: only durations read it (a hazard has no memory), so it "
                           "changes nothing", fa->levels[l]);
    }
}

nsm_status nsmi_scenario_entered(nsm_reader *r)
{
    const nsm_model *m = r->m;
    nsmi_reader_use(r, NSM_T_FACTORS);
    for (int k = 0; k < m->n_transitions; k++) {
        const nsm_transition *tr = &m->transitions[k];
        const double *entered = m->factors[tr->factor].entered;
        if (tr->duration.on && entered && entered[tr->from] > 0 &&
            !stay_can_go_on(&tr->duration, entered[tr->from]))
            return stay_over(r, tr, entered[tr->from]);
    }
    for (int f = 0; f < m->n_factors; f++)
        if (m->factors[f].entered)
            warn_unread(r, f);
    return NSM_OK;
}
