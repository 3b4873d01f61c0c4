/*
** hazards.c: what else sets a hazard: counted events (events.csv), modifiers while a
** condition holds (modifiers.csv) and calendar-month multipliers (seasonality.csv).
**
** A modifier or seasonal row whose target has wildcards applies to every process it matches:
** it becomes one nsm_modifier per matched process, all with the row's number. A seasonal row may
** list several months ("3-4|8"): one number, set in each of its months.
*/
#include <stdlib.h>
#include <string.h>

#include "neasim/text.h"
#include "scenario/read.h"

/* ---- events.csv ---- */

static nsm_status check_event_name(nsm_reader *r, int row, const char *name)
{
    const nsm_cell *c = nsmi_reader_cell(r, row, "event");
    int prev = nsmi_find_event(r->m, name);
    if (prev >= 0)
        return nsmi_reader_error(r, c, 0, "event '%s' is defined twice (first at line %d)"
                                NSMI_TWICE_FIX ", or rename one", name,
                                r->t->rows[prev].line);
    if (nsmi_find_factor(r->m, name) >= 0)
        return nsmi_reader_error(r, c, 0, "event '%s' has the name of a factor (events and "
                                "factors share one namespace): rename the event or the factor",
                                name);
    return NSM_OK;
}

/* Empty dispersion: Poisson counts (0); redraw_months defaults to 12. */
static nsm_status read_dispersion(nsm_reader *r, int row, nsm_event *e)
{
    e->dispersion = 0;
    e->redraw_months = 12;
    nsm_status s = NSM_OK;
    const nsm_cell *c = nsmi_reader_cell(r, row, "dispersion");
    if (c->text[0]) {
        s = nsmi_read_number(r, row, "dispersion", &e->dispersion);
        if (s == NSM_OK && e->dispersion <= 0)
            return nsmi_reader_error(r, c, 0, "dispersion must be above 0 (leave it empty for "
                                    "Poisson counts), not %s", c->text);
    }
    if (s == NSM_OK && !nsmi_reader_empty(r, row, "redraw_months"))
        s = nsmi_read_integer(r, row, "redraw_months", 1, 1200, &e->redraw_months);
    return s;
}

/* Empty or `occurrences`: every occurrence is counted; `dates`: a date once (model.h). */
static nsm_status read_counts(nsm_reader *r, int row, nsm_event *e)
{
    static const char kinds[2][12] = {"occurrences", "dates"};
    const nsm_cell *c = nsmi_reader_cell(r, row, "counts");
    e->counts_dates = 0;
    if (!c->text[0] || strcmp(c->text, kinds[0]) == 0)
        return NSM_OK;
    if (strcmp(c->text, kinds[1]) == 0) {
        e->counts_dates = 1;
        return NSM_OK;
    }
    /* two words far apart: half the word's length in edits still finds only the one meant */
    const char *hint = nsm_suggest_within(c->text, kinds[0], 2, sizeof kinds[0],
                                          strlen(c->text) / 2 > 1 ? strlen(c->text) / 2 : 1);
    return nsmi_reader_error(r, c, 0, "counts must be 'occurrences' (or empty: every occurrence "
                            "is counted) or 'dates' (a date with several occurrences is counted "
                            "once), not '%s'%s%s%s", c->text, hint ? "; did you mean '" : "",
                            hint ? hint : "", hint ? "'?" : "");
}

static nsm_status read_event(nsm_reader *r, int row)
{
    nsm_model *m = r->m;
    const char *name;
    nsm_status s = nsmi_read_name(r, row, "event", "event", &name);
    if (s == NSM_OK)
        s = check_event_name(r, row, name);
    if (s != NSM_OK)
        return s;
    nsm_event *e = &m->events[m->n_events++];
    memcpy(e->name, name, strlen(name) + 1);
    e->stream = nsm_stream_id("event", name);
    e->gamma_stream = nsm_stream_id("gamma", name);
    s = nsmi_read_nonnegative(r, row, "rate_per_year", &e->rate);
    if (s == NSM_OK)
        s = read_dispersion(r, row, e);
    if (s == NSM_OK)
        s = read_counts(r, row, e);
    if (s == NSM_OK)
        s = nsmi_read_text(r, row, "description", &e->description);
    if (s == NSM_OK)
        s = nsmi_read_text(r, row, "label", &e->label);
    return s;
}

nsm_status nsmi_scenario_events(nsm_reader *r)
{
    const nsm_table *t = nsmi_reader_use(r, NSM_T_EVENTS);
    if (!t)
        return NSM_OK;
    r->m->events = calloc((size_t)t->n_rows + 1, sizeof *r->m->events);
    if (!r->m->events)
        return NSM_ERR_NOMEM;
    nsm_status s = NSM_OK;
    for (int i = 0; s == NSM_OK && i < t->n_rows; i++)
        s = read_event(r, i);
    return s;
}

/* ---- targets ---- */

static nsm_status no_match(nsm_reader *r, int row, const nsm_target *tg)
{
    const nsm_cell *c = nsmi_reader_cell(r, row, "target");
    char have[1024];
    nsmi_transitions_of(r->m, tg->factor, have, sizeof have);
    return nsmi_reader_error(r, c, 0, "target '%s' matches no transition of transitions.csv%s",
                            c->text, have);
}

static int count_matches(const nsm_model *m, const nsm_target *tg)
{
    int n = 0;
    for (int p = 0; p < nsm_model_n_processes(m); p++)
        n += nsmi_target_matches(m, tg, p);
    return n;
}

/* ---- modifiers.csv ---- */

static nsm_status add_modifier(nsm_model *m, int *cap, int p, const nsm_condition *cond,
                               double mult, int row)
{
    if (m->n_modifiers == *cap) {
        int n = *cap ? 2 * *cap : 16;
        nsm_modifier *q = realloc(m->modifiers, (size_t)n * sizeof *q);
        if (!q)
            return NSM_ERR_NOMEM;
        m->modifiers = q;
        *cap = n;
    }
    nsm_clause *clauses = malloc((size_t)cond->n_clauses * sizeof *clauses);
    if (!clauses)
        return NSM_ERR_NOMEM;
    memcpy(clauses, cond->clauses, (size_t)cond->n_clauses * sizeof *clauses);
    m->modifiers[m->n_modifiers++] = (nsm_modifier){p, {cond->n_clauses, cond->n_terms, clauses}, mult, row};
    return NSM_OK;
}

/* A condition whose clauses on the target's own factor exclude the level every transition of the
** target moves from (`f:a>b` while `f=b`) never holds while the move can happen: the row changes
** nothing. A warning, not an error: such a scenario runs as written. */
static void warn_never_holds(nsm_reader *r, int row, const nsm_target *tg,
                             const nsm_condition *cond)
{
    const nsm_model *m = r->m;
    if (tg->event >= 0)
        return;
    uint64_t from = 0, allowed = 0;
    for (int k = 0; k < m->n_transitions; k++)
        if (nsmi_target_matches(m, tg, k))
            from |= (uint64_t)1 << m->transitions[k].from;
    if (!nsmi_condition_levels(cond, tg->factor, &allowed) || (allowed & from))
        return;
    const nsm_factor *f = &m->factors[tg->factor];
    const nsm_cell *c = nsmi_reader_cell(r, row, "condition");
    char levels[NSM_MAX_LEVELS * (NSM_NAME_MAX + 4)];
    nsmi_levels_text(f, from, levels, sizeof levels);
    nsm_table_warn(r->t, c, r->d, "condition '%s' never holds while the target %s can happen (%s "
                   "is then %s), so this row changes nothing: a clause on the target's own factor "
                   "must allow the level it moves from; write the condition on other factors, or "
                   "correct the target", c->text, nsmi_reader_cell(r, row, "target")->text,
                   f->name, levels);
}

static nsm_status read_modifier(nsm_reader *r, int row, int *cap)
{
    nsm_model *m = r->m;
    nsm_target tg;
    nsm_condition cond = {0, 0, NULL};
    double mult;
    nsm_status s = nsmi_parse_target(r, nsmi_reader_cell(r, row, "target"), &tg);
    if (s == NSM_OK && count_matches(m, &tg) == 0)
        s = no_match(r, row, &tg);
    if (s == NSM_OK)
        s = nsmi_parse_condition(r, nsmi_reader_cell(r, row, "condition"), &cond);
    if (s == NSM_OK)
        s = nsmi_read_nonnegative(r, row, "multiplier", &mult);
    if (s == NSM_OK)
        warn_never_holds(r, row, &tg, &cond);
    for (int p = 0; s == NSM_OK && p < nsm_model_n_processes(m); p++)
        if (nsmi_target_matches(m, &tg, p))
            s = add_modifier(m, cap, p, &cond, mult, row + 1);
    free(cond.clauses);
    return s;
}

nsm_status nsmi_scenario_modifiers(nsm_reader *r)
{
    const nsm_table *t = nsmi_reader_use(r, NSM_T_MODIFIERS);
    int cap = 0;
    nsm_status s = t ? nsmi_read_ids(r, &r->m->modifier_ids) : NSM_OK;
    r->m->n_modifier_rows = t ? t->n_rows : 0;
    if (t && s == NSM_OK && !(r->m->modifier_labels = calloc((size_t)t->n_rows + 1,
                                                             sizeof *r->m->modifier_labels)))
        s = NSM_ERR_NOMEM;
    for (int i = 0; t && s == NSM_OK && i < t->n_rows; i++)
        s = nsmi_read_text(r, i, "label", &r->m->modifier_labels[i]);
    for (int i = 0; t && s == NSM_OK && i < t->n_rows; i++)
        s = read_modifier(r, i, &cap);
    return s;
}

/* ---- seasonality.csv ---- */

/* A month of this row that an earlier row with the same target text gives already: an error at
** the month cell, naming the other row (its file too when it comes from another: a base). */
static nsm_status check_season_duplicate(nsm_reader *r, const unsigned *months, int row)
{
    const nsm_cell *c = nsmi_reader_cell(r, row, "month");
    const char *target = nsmi_reader_cell(r, row, "target")->text;
    for (int j = 0; j < row; j++) {
        unsigned both = months[j] & months[row];
        if (!both || strcmp(nsmi_reader_cell(r, j, "target")->text, target) != 0)
            continue;
        const nsm_cell *o = nsmi_reader_cell(r, j, "month");
        const nsm_table *ot = o->origin ? o->origin : r->t, *mt = c->origin ? c->origin : r->t;
        int month = 1;
        while (!(both & (1u << (month - 1))))
            month++;
        return nsmi_reader_error(r, c, 0, "the multiplier of '%s' in month %d is given twice (first "
                                "at %s%s%d, months '%s'): list each month in one row of '%s' "
                                "only; to change one month of a multi-month row, write the row "
                                "again without it (in a scenario that extends a base, drop the "
                                "base's row and add rows for the months you want)", target, month,
                                ot != mt ? ot->path : "line ", ot != mt ? ":" : "",
                                r->t->rows[j].line, o->text, target);
    }
    return NSM_OK;
}

static nsm_status read_season(nsm_reader *r, int row, unsigned *months)
{
    nsm_model *m = r->m;
    nsm_target tg;
    double mult;
    nsm_status s = nsmi_parse_target(r, nsmi_reader_cell(r, row, "target"), &tg);
    if (s == NSM_OK && count_matches(m, &tg) == 0)
        s = no_match(r, row, &tg);
    if (s == NSM_OK)
        s = nsmi_parse_months(r, nsmi_reader_cell(r, row, "month"), &months[row]);
    if (s == NSM_OK)
        s = nsmi_read_nonnegative(r, row, "multiplier", &mult);
    if (s == NSM_OK)
        s = check_season_duplicate(r, months, row);
    for (int p = 0; s == NSM_OK && p < nsm_model_n_processes(m); p++)
        for (int mo = 1; nsmi_target_matches(m, &tg, p) && mo <= 12; mo++)
            if (months[row] & (1u << (mo - 1)))
                m->seasonality[p * 12 + mo - 1] *= mult;
    return s;
}

nsm_status nsmi_scenario_seasonality(nsm_reader *r)
{
    const nsm_table *t = nsmi_reader_use(r, NSM_T_SEASONALITY);
    if (!t || t->n_rows == 0)
        return NSM_OK;
    nsm_model *m = r->m;
    size_t n = (size_t)nsm_model_n_processes(m) * 12;
    m->seasonality = malloc((n + 1) * sizeof *m->seasonality);
    unsigned *months = calloc((size_t)t->n_rows, sizeof *months);
    nsm_status s = m->seasonality && months ? NSM_OK : NSM_ERR_NOMEM;
    for (size_t k = 0; s == NSM_OK && k < n; k++)
        m->seasonality[k] = 1;
    for (int i = 0; s == NSM_OK && i < t->n_rows; i++)
        s = read_season(r, i, months);
    free(months);
    return s;
}
