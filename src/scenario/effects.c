/*
** effects.c: effects.csv (a trigger, while a condition holds, causes an action, with some
** probability, after a delay, if another condition holds then) and outcomes.csv (named
** conditions to report).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/read.h"

/* ---- effects.csv ---- */

enum { N_DELAYS = 3 };
static const char delays[N_DELAYS][16] = {"fixed", "uniform", "exponential"};
static const nsm_delay_kind delay_kinds[N_DELAYS] = {NSM_DELAY_FIXED, NSM_DELAY_UNIFORM,
                                                     NSM_DELAY_EXPONENTIAL};

static nsm_status read_delay(nsm_reader *r, int row, nsm_effect *e)
{
    double days = 0;
    nsm_status s = NSM_OK;
    if (!nsmi_reader_empty(r, row, "delay_days"))
        s = nsmi_read_nonnegative(r, row, "delay_days", &days);
    e->delay_days = days;
    e->delay_kind = NSM_DELAY_FIXED;
    const nsm_cell *c = nsmi_reader_cell(r, row, "delay");
    if (s != NSM_OK || !c->text[0])
        return s;
    for (int k = 0; k < N_DELAYS; k++)
        if (strcmp(delays[k], c->text) == 0) {
            e->delay_kind = delay_kinds[k];
            return NSM_OK;
        }
    return nsmi_unknown(r, c, 0, "delay", c->text,
                       nsm_suggest(c->text, delays[0], N_DELAYS, sizeof delays[0]),
                       " (the delays are fixed, uniform and exponential)");
}

static nsm_status read_probability(nsm_reader *r, int row, double *p)
{
    nsm_status s = nsmi_read_probability(r, row, "probability", p);
    if (s == NSM_OK && *p == 0)
        return nsmi_reader_error(r, nsmi_reader_cell(r, row, "probability"), 0, "probability must "
                                "be above 0: at 0 the effect would never happen; remove the row "
                                "if it should not, or give a small probability (0.001) if it is "
                                "rare");
    return s;
}

/* A `when` whose clauses on a change trigger's own factor exclude every level the change leads to
** (`f:a>b` when `f=a`) never holds at the trigger, since it is asked with the factor already
** moved: the row sets nothing off. A warning, as for modifiers (hazards.c): it runs as written. */
static void warn_when_never_holds(nsm_reader *r, int row, const nsm_target *tg,
                                  const nsm_condition *when)
{
    uint64_t allowed, after = tg->to; /* the levels a change may lead to: not the one it left */
    if (tg->event >= 0)
        return;
    if ((tg->from & (tg->from - 1)) == 0)
        after &= ~tg->from;
    if (!nsmi_condition_levels(when, tg->factor, &allowed) || (allowed & after))
        return;
    const nsm_factor *f = &r->m->factors[tg->factor];
    const nsm_cell *c = nsmi_reader_cell(r, row, "when");
    char levels[NSM_MAX_LEVELS * (NSM_NAME_MAX + 4)];
    nsmi_levels_text(f, after, levels, sizeof levels);
    nsm_table_warn(r->t, c, r->d, "condition '%s' never holds when the trigger %s happens (%s is "
                   "then %s: `when` is asked after the change), so this row sets nothing off; "
                   "write the condition on the level the change leads to, or on other factors",
                   c->text, nsmi_reader_cell(r, row, "trigger")->text, f->name, levels);
}

static nsm_status read_effect(nsm_reader *r, int row)
{
    nsm_model *m = r->m;
    nsm_effect *e = &m->effects[m->n_effects];
    nsm_target tg;
    nsm_status s = nsmi_parse_target(r, nsmi_reader_cell(r, row, "trigger"), &tg);
    if (s == NSM_OK && !nsmi_reader_empty(r, row, "when")) {
        s = nsmi_parse_condition(r, nsmi_reader_cell(r, row, "when"), &e->when);
        if (s == NSM_OK)
            warn_when_never_holds(r, row, &tg, &e->when);
    }
    if (s == NSM_OK)
        s = read_probability(r, row, &e->probability);
    if (s == NSM_OK)
        s = read_delay(r, row, e);
    if (s == NSM_OK && !nsmi_reader_empty(r, row, "when_due"))
        s = nsmi_parse_condition(r, nsmi_reader_cell(r, row, "when_due"), &e->when_due);
    if (s == NSM_OK)
        s = nsmi_parse_action(r, nsmi_reader_cell(r, row, "action"), &e->action);
    if (s == NSM_OK && !nsmi_reader_empty(r, row, "when_due")) /* asked as the action runs */
        nsmi_warn_action_idle(r, nsmi_reader_cell(r, row, "when_due"), "when_due", &e->when_due,
                              &e->action);
    if (s != NSM_OK) { /* the row is not counted in n_effects, so nsm_model_free would not see them */
        free(e->when.clauses);
        free(e->when_due.clauses);
        e->when = e->when_due = (nsm_condition){0, 0, NULL};
        return s;
    }
    char n[16];
    snprintf(n, sizeof n, "%d", row + 1);
    e->row = row + 1;
    e->trigger_event = tg.event;
    e->trigger_factor = tg.event < 0 ? tg.factor : -1;
    e->from_mask = tg.from;
    e->to_mask = tg.to;
    e->stream = nsm_stream_id("effect", n);
    m->n_effects++;
    return NSM_OK;
}

nsm_status nsmi_scenario_effects(nsm_reader *r)
{
    const nsm_table *t = nsmi_reader_use(r, NSM_T_EFFECTS);
    if (!t)
        return NSM_OK;
    r->m->effects = calloc((size_t)t->n_rows + 1, sizeof *r->m->effects);
    if (!r->m->effects)
        return NSM_ERR_NOMEM;
    nsm_status s = nsmi_read_ids(r, &r->m->effect_ids);
    for (int i = 0; s == NSM_OK && i < t->n_rows; i++)
        s = read_effect(r, i);
    return s;
}

/* ---- outcomes.csv ---- */

static nsm_status read_occurrence(nsm_reader *r, int row, nsm_occurrence_kind *out)
{
    static const char kinds[2][8] = {"state", "onset"};
    const nsm_cell *c = nsmi_reader_cell(r, row, "occurrence");
    *out = NSM_OCCUR_STATE;
    if (!c->text[0] || strcmp(c->text, kinds[0]) == 0)
        return NSM_OK;
    if (strcmp(c->text, kinds[1]) == 0) {
        *out = NSM_OCCUR_ONSET;
        return NSM_OK;
    }
    return nsmi_unknown(r, c, 0, "occurrence", c->text, nsm_suggest(c->text, kinds[0], 2,
                       sizeof kinds[0]), " (state: holding the condition, the start included; "
                       "onset: a change into it after the start)");
}

static nsm_status read_desirable(nsm_reader *r, int row, nsm_desirable *out)
{
    static const char kinds[3][8] = {"none", "lower", "higher"};
    const nsm_cell *c = nsmi_reader_cell(r, row, "desirable");
    *out = NSM_DESIRABLE_NONE;
    if (!c->text[0])
        return NSM_OK;
    for (int k = 0; k < 3; k++)
        if (strcmp(c->text, kinds[k]) == 0) {
            *out = (nsm_desirable)k;
            return NSM_OK;
        }
    return nsmi_unknown(r, c, 0, "desirable", c->text, nsm_suggest(c->text, kinds[0], 3,
                       sizeof kinds[0]), " (lower: less likely is better; higher: more likely "
                       "is better; none or empty: no direction)");
}

/* `route`: factor names separated by `|`, each once; empty: the default (story.h). */
static nsm_status read_route(nsm_reader *r, int row, nsm_outcome *o)
{
    const nsm_cell *c = nsmi_reader_cell(r, row, "route");
    const char *p = c->text;
    if (!*p)
        return NSM_OK;
    o->route = calloc(strlen(p) / 2 + 2, sizeof *o->route);
    if (!o->route)
        return NSM_ERR_NOMEM;
    for (;;) {
        size_t n = strcspn(p, "|");
        char name[NSM_NAME_MAX];
        int f;
        snprintf(name, sizeof name, "%.*s", (int)(n < sizeof name ? n : sizeof name - 1), p);
        nsm_status s = nsmi_lookup_factor(r, c, (size_t)(p - c->text), name, &f);
        for (int k = 0; s == NSM_OK && k < o->n_route; k++)
            if (o->route[k] == f)
                return nsmi_reader_error(r, c, (size_t)(p - c->text), "factor '%s' is named "
                                         "twice in the route", name);
        if (s != NSM_OK)
            return s;
        o->route[o->n_route++] = f;
        if (!p[n])
            return NSM_OK;
        p += n + 1;
    }
}

static nsm_status read_outcome(nsm_reader *r, int row)
{
    nsm_model *m = r->m;
    const char *name;
    nsm_status s = nsmi_read_name(r, row, "outcome", "outcome", &name);
    for (int j = 0; s == NSM_OK && j < m->n_outcomes; j++)
        if (strcmp(m->outcomes[j].name, name) == 0)
            return nsmi_reader_error(r, nsmi_reader_cell(r, row, "outcome"), 0, "outcome '%s' is "
                                    "defined twice (first at line %d)" NSMI_TWICE_FIX ", or "
                                    "rename one", name,
                                    r->t->rows[j].line);
    if (s != NSM_OK)
        return s;
    nsm_outcome *o = &m->outcomes[m->n_outcomes++];
    snprintf(o->name, sizeof o->name, "%s", name);
    s = nsmi_parse_condition(r, nsmi_reader_cell(r, row, "condition"), &o->cond);
    if (s == NSM_OK)
        s = read_occurrence(r, row, &o->occurrence);
    if (s == NSM_OK)
        s = nsmi_read_text(r, row, "description", &o->description);
    if (s == NSM_OK)
        s = nsmi_read_text(r, row, "label", &o->label);
    if (s == NSM_OK)
        s = read_desirable(r, row, &o->desirable);
    if (s == NSM_OK)
        s = read_route(r, row, o);
    return s;
}

nsm_status nsmi_scenario_outcomes(nsm_reader *r)
{
    const nsm_table *t = nsmi_reader_use(r, NSM_T_OUTCOMES);
    if (!t)
        return NSM_OK;
    r->m->outcomes = calloc((size_t)t->n_rows + 1, sizeof *r->m->outcomes);
    if (!r->m->outcomes)
        return NSM_ERR_NOMEM;
    nsm_status s = NSM_OK;
    for (int i = 0; s == NSM_OK && i < t->n_rows; i++)
        s = read_outcome(r, i);
    return s;
}
