/*
** lever_text.c: what a row of levers.csv changes, in words (see lever_text.h).
**
** The one idea: a path names numbers of the resolved model (nsm_param), and everything said about
** them is read from there, never from the scenario's files: a wildcard is the several numbers it
** expanded to (two or more levels on one side of a move are "any level", as `*` was written), a
** modifier's target and condition and an effect's trigger and action are the rows the path
** resolved to, a transition's unit is its row's. The wording is the one the brief used when it
** read the tables itself (scripts/brief_levers.R before arms.csv had `changes`). A name without a
** label is put in words without the brief's list of acronyms: which words are acronyms belongs to
** the scenario (its labels), not to the engine.
*/
#include "neasim/lever_text.h"

#include <stdio.h>
#include <string.h>

#include "neasim/params.h"
#include "neasim/text.h"

typedef struct {
    char *s;
    size_t n, len;
} text;

static void say(text *t, const char *s)
{
    nsm_text_add(t->s, t->n, &t->len, "%s", s);
}

/* The scenario's label when it gives one, else the name with spaces for underscores (its first
** letter a capital when `capital`, as a factor or an event begins a phrase). */
static void say_name(text *t, const char *label, const char *name, int capital)
{
    if (label && label[0]) {
        say(t, label);
        return;
    }
    for (const char *c = name; *c; c++) {
        int ch = *c == '_' ? ' ' : *c;
        if (c == name && capital && ch >= 'a' && ch <= 'z')
            ch += 'A' - 'a';
        nsm_text_add(t->s, t->n, &t->len, "%c", ch);
    }
}

static void say_factor(text *t, const nsm_model *m, int f)
{
    say_name(t, m->factors[f].label, m->factors[f].name, 1);
}

static void say_level(text *t, const nsm_model *m, int f, int l)
{
    const nsm_factor *fa = &m->factors[f];
    say_name(t, fa->level_labels ? fa->level_labels[l] : NULL, fa->levels[l], 0);
}

static void say_event(text *t, const nsm_model *m, int e)
{
    say_name(t, m->events[e].label, m->events[e].name, 1);
}

/* "the LABEL" of a draw, or "the draw NAME IN WORDS". */
static void say_draw(text *t, const nsm_model *m, int d)
{
    say(t, m->draws[d].label && m->draws[d].label[0] ? "the " : "the draw ");
    say_name(t, m->draws[d].label, m->draws[d].name, 0);
}

/* What one or more hazard processes are: a counted event's label, or a move of one factor
** "F: A → B", a side that spans two or more levels being "any level" (a `*`). */
typedef struct {
    int factor, event;
    uint64_t from, to;
} move;

static move move_none(void)
{
    move mv = {-1, -1, 0, 0};
    return mv;
}

static void move_add(move *mv, const nsm_model *m, int process)
{
    if (process >= m->n_transitions) {
        mv->event = process - m->n_transitions;
        return;
    }
    const nsm_transition *tr = &m->transitions[process];
    mv->factor = tr->factor;
    mv->from |= (uint64_t)1 << tr->from;
    mv->to |= (uint64_t)1 << tr->to;
}

static void say_side(text *t, const nsm_model *m, int f, uint64_t mask)
{
    if (mask & (mask - 1)) {
        say(t, "any level");
        return;
    }
    for (int l = 0; l < m->factors[f].n_levels; l++)
        if ((mask >> l) & 1u)
            say_level(t, m, f, l);
}

static void say_move(text *t, const nsm_model *m, const move *mv)
{
    if (mv->factor < 0) {
        say_event(t, m, mv->event);
        return;
    }
    say_factor(t, m, mv->factor);
    say(t, ": ");
    say_side(t, m, mv->factor, mv->from);
    say(t, " \u2192 ");
    say_side(t, m, mv->factor, mv->to);
}

/* A condition as it was written: "F is A or B and G is not C"; a disjunction's terms joined by
** "; or " (the "or" of levels is inside a clause). */
static void say_condition(text *t, const nsm_model *m, const nsm_condition *c)
{
    for (int j = 0; j < c->n_clauses; j++) {
        const nsm_clause *cl = &c->clauses[j];
        if (j)
            say(t, cl->starts_term ? "; or " : " and ");
        say_factor(t, m, cl->factor);
        say(t, cl->negated ? " is not " : " is ");
        for (int l = 0, first = 1; l < m->factors[cl->factor].n_levels; l++)
            if ((((cl->mask >> l) & 1u) != 0) != cl->negated) {
                say(t, first ? "" : " or ");
                say_level(t, m, cl->factor, l);
                first = 0;
            }
    }
}

static const char *transition_unit(const nsm_model *m, const nsm_param *p, int n, nsm_op op)
{
    static const char *const unit[] = {[NSM_UNIT_ANNUAL_PROBABILITY] = "annual probability",
                                       [NSM_UNIT_RATE_PER_YEAR] = "rate per year",
                                       [NSM_UNIT_MEAN_YEARS] = "mean time in years"};
    if (op == NSM_OP_MULTIPLY) /* multiplies the hazard, whatever unit its row is written in */
        return "yearly rate";
    for (int k = 1; k < n; k++)
        if (m->transitions[p[k].a].unit != m->transitions[p[0].a].unit)
            return "value (in its row's unit)";
    return unit[m->transitions[p[0].a].unit];
}

static const char *transitions_text(text *t, const nsm_model *m, const nsm_param *p, int n,
                                    nsm_op op)
{
    move mv = move_none();
    for (int k = 0; k < n; k++)
        move_add(&mv, m, p[k].a);
    say_move(t, m, &mv);
    return transition_unit(m, p, n, op);
}

/* A modifiers.csv row: its own label, else the hazard it multiplies and while what. */
static const char *modifier_text(text *t, const nsm_model *m, int row)
{
    if (m->modifier_labels && row >= 1 && row <= m->n_modifier_rows &&
        m->modifier_labels[row - 1] && m->modifier_labels[row - 1][0]) {
        say(t, m->modifier_labels[row - 1]);
        return "multiplier";
    }
    move mv = move_none();
    const nsm_condition *cond = NULL;
    for (int j = 0; j < m->n_modifiers; j++)
        if (m->modifiers[j].row == row) {
            move_add(&mv, m, m->modifiers[j].process);
            cond = &m->modifiers[j].cond; /* one row, one condition */
        }
    say_move(t, m, &mv);
    if (cond && cond->n_clauses) {
        say(t, ", while ");
        say_condition(t, m, cond);
    }
    return "multiplier";
}

/* The trigger, and the state in which it counts (the row's `when`): two rows that differ only
** there must not read alike. */
static void say_trigger(text *t, const nsm_model *m, const nsm_effect *e)
{
    if (e->trigger_event >= 0) {
        say(t, "an occurrence of ");
        say_event(t, m, e->trigger_event);
    } else {
        move mv = {e->trigger_factor, -1, e->from_mask, e->to_mask};
        say_move(t, m, &mv);
    }
    if (e->when.n_clauses) {
        say(t, ", while ");
        say_condition(t, m, &e->when);
    }
}

static void say_action(text *t, const nsm_model *m, const nsm_action *a)
{
    switch (a->kind) {
    case NSM_ACT_DRAW: say_draw(t, m, a->draw); return;
    case NSM_ACT_EVENT:
        say(t, "an occurrence of ");
        say_event(t, m, a->event);
        return;
    case NSM_ACT_SET:
        say_factor(t, m, a->factor);
        say(t, " ");
        say_level(t, m, a->factor, a->level);
        return;
    }
}

/* The condition under which the action still runs when it is due (the row's `when_due`). */
static void say_when_due(text *t, const nsm_model *m, const nsm_effect *e)
{
    if (e->when_due.n_clauses) {
        say(t, ", if ");
        say_condition(t, m, &e->when_due);
        say(t, " when due");
    }
}

static const char *effect_text(text *t, const nsm_model *m, const nsm_param *p)
{
    const nsm_effect *e = &m->effects[p->a];
    if (p->kind == NSM_P_EFFECT_DELAY) {
        say(t, "Delay before ");
        say_action(t, m, &e->action);
        say(t, " after ");
        say_trigger(t, m, e);
        say_when_due(t, m, e);
        return "days";
    }
    say(t, "Chance that ");
    say_trigger(t, m, e);
    say(t, e->when.n_clauses ? ", sets off " : " sets off ");
    say_action(t, m, &e->action);
    say_when_due(t, m, e);
    return "probability";
}

/* A draw's probability: "Chance that F stays A" or "Chance of F: A → B", then when the draw runs
** (its label) and, for a case of a conditioned draw, its condition. */
static const char *draw_text(text *t, const nsm_model *m, const nsm_param *p, int n)
{
    const nsm_draw *dr = &m->draws[p->a];
    int levels = m->factors[dr->factor].n_levels, c = p->b / levels;
    move mv = {dr->factor, -1, 0, (uint64_t)1 << p->c};
    for (int k = 0; k < n; k++)
        mv.from |= (uint64_t)1 << (p[k].b % levels);
    if (mv.from == mv.to) {
        say(t, "Chance that ");
        say_factor(t, m, dr->factor);
        say(t, " stays ");
        say_level(t, m, dr->factor, p->c);
    } else {
        say(t, "Chance of ");
        say_move(t, m, &mv);
    }
    say(t, " ("); /* when it runs: the draw's label ("open-seat U.S. election") */
    if (dr->label && dr->label[0])
        say(t, dr->label);
    else
        say_draw(t, m, p->a);
    if (dr->given && dr->given[c].n_clauses > 0) {
        say(t, ", when ");
        say_condition(t, m, &dr->given[c]);
    }
    say(t, ")");
    return "probability";
}

/* Seasonal multipliers: "F: A → B: seasonality, month 3" or "E: seasonality, months 3-4, 8". */
static const char *seasonality_text(text *t, const nsm_model *m, const nsm_param *p, int n)
{
    move mv = move_none();
    unsigned months = 0;
    for (int k = 0; k < n; k++) {
        move_add(&mv, m, p[k].a);
        months |= 1u << (p[k].b - 1);
    }
    char spec[64];
    nsm_months_format(months, spec, sizeof spec);
    say_move(t, m, &mv);
    say(t, months & (months - 1) ? ": seasonality, months " : ": seasonality, month ");
    for (const char *s = spec; *s; s++) /* for people, "3-4, 8" rather than the path's "3-4|8" */
        if (*s == '|')
            say(t, ", ");
        else
            nsm_text_add(t->s, t->n, &t->len, "%c", *s);
    return "seasonal multiplier";
}

/* A number of a transition's duration, in its cell's unit: days or years for a time, else a
** value (a shape, a log-scale parameter). */
static const char *duration_text(text *t, const nsm_model *m, const nsm_param *p, int n)
{
    const nsm_duration *du = &m->transitions[p->a].duration;
    const char *name = nsm_duration_param_name(du->kind, p->b);
    move mv = move_none();
    for (int k = 0; k < n; k++)
        move_add(&mv, m, p[k].a);
    say(t, "Duration of ");
    say_move(t, m, &mv);
    nsm_text_add(t->s, t->n, &t->len, ", its %s", name ? name : "number");
    static const char *const times[] = {"value", "low", "high", "scale"};
    int is_time = 0;
    for (size_t k = 0; name && k < sizeof times / sizeof times[0]; k++)
        is_time |= strcmp(name, times[k]) == 0;
    return !is_time ? "value" : du->unit_days == 1 ? "days" : "years";
}

/* What the n numbers p name, into t; returns the unit of their value. */
static const char *what_text(text *t, const nsm_model *m, const nsm_param *p, int n, nsm_op op)
{
    switch (p->kind) {
    case NSM_P_TRANSITION: return transitions_text(t, m, p, n, op);
    case NSM_P_MODIFIER: return modifier_text(t, m, p->a);
    case NSM_P_EVENT_RATE:
    case NSM_P_EVENT_DISPERSION:
        say_event(t, m, p->a);
        return p->kind == NSM_P_EVENT_RATE ? "yearly rate" : "dispersion";
    case NSM_P_SEASONALITY: return seasonality_text(t, m, p, n);
    case NSM_P_DRAW: return draw_text(t, m, p, n);
    case NSM_P_EFFECT_PROBABILITY:
    case NSM_P_EFFECT_DELAY: return effect_text(t, m, p);
    case NSM_P_INITIAL:
        say(t, "Chance that ");
        say_factor(t, m, p->a);
        say(t, " starts ");
        say_level(t, m, p->a, p->b);
        return "probability";
    case NSM_P_DURATION: return duration_text(t, m, p, n);
    }
    return "value";
}

void nsm_lever_row_text(const nsm_model *m, const nsm_lever_row *lr, char *buf, size_t n)
{
    text t = {buf, n, 0};
    if (n)
        buf[0] = '\0';
    const char *unit = lr->n_params ? what_text(&t, m, lr->params, lr->n_params, lr->op) : "value";
    char value[32];
    snprintf(value, sizeof value, "%.10g", lr->value == 0 ? 0.0 : lr->value); /* no "-0" */
    nsm_text_add(buf, n, &t.len, ": %s %s %s", unit, lr->op == NSM_OP_MULTIPLY ? "\u00d7" : "set to",
                 value);
}
