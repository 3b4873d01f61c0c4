/*
** params.c: numbers by parameter path, and variants of a model (see params.h).
*/
#include "neasim/params.h"

#include "neasim/dist.h"
#include "neasim/text.h"
#include "model/places.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *dup_array(const void *src, size_t n, size_t size)
{
    void *p = malloc(n * size + 1);
    if (p && n)
        memcpy(p, src, n * size);
    return p;
}

nsm_model *nsm_model_variant(const nsm_model *base)
{
    nsm_model *v = malloc(sizeof *v);
    if (!v)
        return NULL;
    *v = *base;
    v->variant_of = base->variant_of ? base->variant_of : base;
    v->transitions = dup_array(base->transitions, (size_t)base->n_transitions, sizeof *v->transitions);
    v->events = dup_array(base->events, (size_t)base->n_events, sizeof *v->events);
    v->modifiers = dup_array(base->modifiers, (size_t)base->n_modifiers, sizeof *v->modifiers);
    v->effects = dup_array(base->effects, (size_t)base->n_effects, sizeof *v->effects);
    v->seasonality = base->seasonality
                         ? dup_array(base->seasonality, (size_t)nsm_model_n_processes(base) * 12,
                                     sizeof(double))
                         : NULL;
    v->factors = dup_array(base->factors, (size_t)base->n_factors, sizeof *v->factors);
    v->draws = dup_array(base->draws, (size_t)base->n_draws, sizeof *v->draws);
    int ok = v->transitions && v->events && v->modifiers && v->effects && v->factors && v->draws &&
             (v->seasonality || !base->seasonality);
    for (int f = 0; v->factors && f < base->n_factors; f++)
        ok &= (v->factors[f].initial = dup_array(base->factors[f].initial,
                                                 (size_t)base->factors[f].n_levels,
                                                 sizeof(double))) != NULL;
    for (int d = 0; v->draws && d < base->n_draws; d++) {
        size_t n = (size_t)base->factors[base->draws[d].factor].n_levels;
        size_t cases = (size_t)base->draws[d].n_cases;
        ok &= (v->draws[d].prob = dup_array(base->draws[d].prob, cases * n * n, sizeof(double))) !=
              NULL;
    }
    if (!ok) {
        nsm_model_variant_free(v);
        return NULL;
    }
    return v;
}

/* memcpy of n bytes; an empty array may be a NULL pointer, which memcpy must not be given. */
static void copy(void *dst, const void *src, size_t n)
{
    if (n)
        memcpy(dst, src, n);
}

void nsm_model_variant_reset(nsm_model *v, const nsm_model *b)
{
    copy(v->transitions, b->transitions, (size_t)b->n_transitions * sizeof *v->transitions);
    copy(v->events, b->events, (size_t)b->n_events * sizeof *v->events);
    copy(v->modifiers, b->modifiers, (size_t)b->n_modifiers * sizeof *v->modifiers);
    copy(v->effects, b->effects, (size_t)b->n_effects * sizeof *v->effects);
    if (b->seasonality)
        memcpy(v->seasonality, b->seasonality,
               (size_t)nsm_model_n_processes(b) * 12 * sizeof(double));
    for (int f = 0; f < b->n_factors; f++)
        memcpy(v->factors[f].initial, b->factors[f].initial,
               (size_t)b->factors[f].n_levels * sizeof(double));
    for (int d = 0; d < b->n_draws; d++) {
        size_t n = (size_t)b->factors[b->draws[d].factor].n_levels;
        memcpy(v->draws[d].prob, b->draws[d].prob,
               (size_t)b->draws[d].n_cases * n * n * sizeof(double));
    }
}

static double transition_value(const nsm_transition *t)
{
    switch (t->unit) {
    case NSM_UNIT_ANNUAL_PROBABILITY: return -expm1(-t->rate);
    case NSM_UNIT_MEAN_YEARS: return t->rate > 0 ? 1.0 / t->rate : (double)INFINITY;
    case NSM_UNIT_RATE_PER_YEAR: break;
    }
    return t->rate;
}

double nsm_param_value(const nsm_model *m, const nsm_param *p)
{
    switch (p->kind) {
    case NSM_P_TRANSITION: return transition_value(&m->transitions[p->a]);
    case NSM_P_MODIFIER:
        for (int j = 0; j < m->n_modifiers; j++)
            if (m->modifiers[j].row == p->a)
                return m->modifiers[j].multiplier;
        return (double)NAN;
    case NSM_P_EVENT_RATE: return m->events[p->a].rate;
    case NSM_P_EVENT_DISPERSION: return m->events[p->a].dispersion;
    case NSM_P_SEASONALITY: return m->seasonality[p->a * 12 + p->b - 1];
    case NSM_P_DRAW: {
        int n = m->factors[m->draws[p->a].factor].n_levels;
        return m->draws[p->a].prob[p->b * n + p->c];
    }
    case NSM_P_EFFECT_PROBABILITY: return m->effects[p->a].probability;
    case NSM_P_EFFECT_DELAY: return m->effects[p->a].delay_days;
    case NSM_P_INITIAL: return m->factors[p->a].initial[p->b];
    case NSM_P_DURATION: return m->transitions[p->a].duration.p[p->b];
    }
    return (double)NAN;
}

const char *nsm_duration_param_name(int kind, int j)
{
    static const char *const names[][2] = {
        [NSM_DIST_FIXED] = {"value", ""},   [NSM_DIST_UNIFORM] = {"low", "high"},
        [NSM_DIST_GAMMA] = {"shape", "scale"}, [NSM_DIST_WEIBULL] = {"shape", "scale"},
        [NSM_DIST_LOGNORMAL] = {"mu", "sigma"}};
    if (kind < 0 || kind >= (int)(sizeof names / sizeof names[0]) || j < 0 || j > 1 ||
        !names[kind][j] || !names[kind][j][0])
        return NULL;
    return names[kind][j];
}


static nsm_status fail(nsm_diag *d, const char *what, double v)
{
    return nsm_diag_error(d, NSM_ERR_INPUT, "%s, not %g", what, v);
}

/* Set p[j] to v in a probability row of n entries and rescale the others so the row sums to 1. */
static nsm_status set_probability(double *p, int n, int j, double v, nsm_diag *d)
{
    if (!(v >= 0 && v <= 1))
        return fail(d, "a probability must be between 0 and 1", v);
    double others = 0;
    for (int k = 0; k < n; k++)
        others += k == j ? 0 : p[k];
    if (others <= 0 && v < 1 - 1e-12) {
        return nsm_diag_error(d, NSM_ERR_INPUT,
                              "the other probabilities of this row are all 0, so the remaining %g "
                              "cannot be shared among them: change them explicitly", 1 - v);
    }
    for (int k = 0; k < n && others > 0; k++)
        if (k != j)
            p[k] *= (1 - v) / others;
    p[j] = v;
    return NSM_OK;
}

/* The rate by nsmi_transition_rate (places.h), which a redraw also writes in place; here the
** reasons it refuses a value. */
static nsm_status set_transition(nsm_transition *t, nsm_op op, double v, nsm_diag *d)
{
    double rate;
    if (nsmi_transition_rate(t->unit, op, t->rate, v, &rate)) {
        t->rate = rate;
        return NSM_OK;
    }
    if (op == NSM_OP_SET && t->unit == NSM_UNIT_ANNUAL_PROBABILITY && !(v >= 0 && v < 1))
        return fail(d, "an annual_probability must be at least 0 and below 1", v);
    if (op == NSM_OP_SET && t->unit == NSM_UNIT_MEAN_YEARS && !(v > 0))
        return fail(d, "mean_years must be above 0", v);
    return fail(d, "a hazard must be a finite rate of 0 or more", rate);
}

static nsm_status set_nonnegative(double *x, nsm_op op, double v, const char *what, nsm_diag *d)
{
    double r = op == NSM_OP_SET ? v : *x * v;
    if (!(r >= 0 && isfinite(r)))
        return fail(d, what, r);
    *x = r;
    return NSM_OK;
}

/* Parameter j of a duration set to v: still a law nsm_dist_parse accepts, never negative. */
static nsm_status set_duration(nsm_duration *du, int j, double v, nsm_diag *d)
{
    nsm_dist law = {(nsm_dist_kind)du->kind, {du->p[0], du->p[1], du->p[2]}};
    law.p[j] = v;
    if (nsm_dist_check(&law, d) != NSM_OK)
        return NSM_ERR_INPUT;
    double lo, hi;
    nsm_dist_support(&law, &lo, &hi);
    if (law.kind == NSM_DIST_FIXED ? !(v > 0) : lo < 0)
        return fail(d, "a duration must be above 0 (and a uniform one's low end 0 or more)", v);
    du->p[j] = v;
    return NSM_OK;
}

nsm_status nsmi_modifier_apply(nsm_model *m, int j, nsm_op op, double v, nsm_diag *d)
{
    return set_nonnegative(&m->modifiers[j].multiplier, op, v,
                           "a multiplier must be finite and 0 or more", d);
}

nsm_status nsmi_transition_apply(nsm_model *m, int k, nsm_op op, double v, nsm_diag *d)
{
    return set_transition(&m->transitions[k], op, v, d);
}

nsm_status nsm_param_apply(nsm_model *m, const nsm_param *p, nsm_op op, double v, nsm_diag *d)
{
    /* the new value where the number is written whole; only the kinds below the modifiers read
    ** it (the value of a modifier row is a search, per replication for a drawn one) */
    double r = v;
    if (op != NSM_OP_SET && p->kind != NSM_P_TRANSITION && p->kind != NSM_P_MODIFIER)
        r = nsm_param_value(m, p) * v;
    switch (p->kind) {
    case NSM_P_TRANSITION: return set_transition(&m->transitions[p->a], op, v, d);
    case NSM_P_MODIFIER:
        for (int j = 0; j < m->n_modifiers; j++)
            if (m->modifiers[j].row == p->a && nsmi_modifier_apply(m, j, op, v, d))
                return NSM_ERR_INPUT;
        return NSM_OK;
    case NSM_P_EVENT_RATE:
        return set_nonnegative(&m->events[p->a].rate, op, v, "a rate must be finite and 0 or more",
                               d);
    case NSM_P_EVENT_DISPERSION:
        return set_nonnegative(&m->events[p->a].dispersion, op, v,
                               "a dispersion must be finite and 0 or more (0: Poisson)", d);
    case NSM_P_SEASONALITY:
        return set_nonnegative(&m->seasonality[p->a * 12 + p->b - 1], op, v,
                               "a multiplier must be finite and 0 or more", d);
    case NSM_P_DRAW: {
        int k = m->factors[m->draws[p->a].factor].n_levels;
        return set_probability(m->draws[p->a].prob + p->b * k, k, p->c, r, d);
    }
    case NSM_P_EFFECT_PROBABILITY:
        if (r == 0) /* a lever or a draw that switches the effect off: say what instead */
            return nsm_diag_error(d, NSM_ERR_INPUT, "an effect's probability must be above 0 and "
                                  "at most 1, not 0: at 0 the effect would never happen; for a "
                                  "rare one, use a small probability such as 0.001");
        if (!(r > 0 && r <= 1))
            return fail(d, "an effect's probability must be above 0 and at most 1", r);
        m->effects[p->a].probability = r;
        return NSM_OK;
    case NSM_P_EFFECT_DELAY:
        if (!(r >= 0 && isfinite(r)))
            return fail(d, "a delay must be finite and 0 or more days", r);
        m->effects[p->a].delay_days = r;
        return NSM_OK;
    case NSM_P_INITIAL:
        return set_probability(m->factors[p->a].initial, m->factors[p->a].n_levels, p->b, r, d);
    case NSM_P_DURATION: return set_duration(&m->transitions[p->a].duration, p->b, r, d);
    }
    return NSM_OK;
}

nsm_status nsm_param_try(const nsm_model *m, const nsm_param *p, int n, nsm_op op, double v,
                         nsm_diag *d)
{
    nsm_model *variant = nsm_model_variant(m);
    if (!variant)
        return NSM_ERR_NOMEM;
    nsm_status st = NSM_OK;
    for (int k = 0; k < n && st == NSM_OK; k++)
        st = nsm_param_apply(variant, &p[k], op, v, d);
    nsm_model_free(variant);
    return st;
}

static nsmi_place place(int array, int which, size_t off, size_t len)
{
    nsmi_place pl = {array, which, off, len};
    return pl;
}

#define FIELD(type, i, member) ((size_t)(i) * sizeof(type) + offsetof(type, member))

int nsmi_param_places(const nsm_model *m, const nsm_param *p, nsmi_place *out, int max)
{
    nsmi_place pl = place(NSMI_A_TRANSITIONS, 0, 0, sizeof(double));
    switch (p->kind) {
    case NSM_P_TRANSITION: pl.off = FIELD(nsm_transition, p->a, rate); break;
    case NSM_P_DURATION:
        pl = place(NSMI_A_TRANSITIONS, 0, FIELD(nsm_transition, p->a, duration.p),
                   sizeof m->transitions[0].duration.p);
        break;
    case NSM_P_MODIFIER: {
        int n = 0;
        for (int j = 0; j < m->n_modifiers; j++)
            if (m->modifiers[j].row == p->a && n++ < max)
                out[n - 1] = place(NSMI_A_MODIFIERS, 0, FIELD(nsm_modifier, j, multiplier),
                                   sizeof(double));
        return n;
    }
    case NSM_P_EVENT_RATE: pl = place(NSMI_A_EVENTS, 0, FIELD(nsm_event, p->a, rate), sizeof(double)); break;
    case NSM_P_EVENT_DISPERSION:
        pl = place(NSMI_A_EVENTS, 0, FIELD(nsm_event, p->a, dispersion), sizeof(double));
        break;
    case NSM_P_SEASONALITY:
        pl = place(NSMI_A_SEASONALITY, 0, (size_t)(p->a * 12 + p->b - 1) * sizeof(double),
                   sizeof(double));
        break;
    case NSM_P_DRAW: {
        size_t k = (size_t)m->factors[m->draws[p->a].factor].n_levels;
        pl = place(NSMI_A_DRAW, p->a, (size_t)p->b * k * sizeof(double), k * sizeof(double));
        break;
    }
    case NSM_P_EFFECT_PROBABILITY:
        pl = place(NSMI_A_EFFECTS, 0, FIELD(nsm_effect, p->a, probability), sizeof(double));
        break;
    case NSM_P_EFFECT_DELAY:
        pl = place(NSMI_A_EFFECTS, 0, FIELD(nsm_effect, p->a, delay_days), sizeof(double));
        break;
    case NSM_P_INITIAL:
        pl = place(NSMI_A_INITIAL, p->a, 0, (size_t)m->factors[p->a].n_levels * sizeof(double));
        break;
    }
    if (max > 0)
        out[0] = pl;
    return 1;
}

int nsmi_places_overlap(const nsmi_place *x, const nsmi_place *y)
{
    return x->array == y->array && x->which == y->which && x->off < y->off + y->len &&
           y->off < x->off + x->len;
}

void nsm_process_name(const nsm_model *m, int k, char *buf, size_t n)
{
    if (k < m->n_transitions) {
        const nsm_transition *t = &m->transitions[k];
        const nsm_factor *f = &m->factors[t->factor];
        snprintf(buf, n, "%s:%s>%s", f->name, f->levels[t->from], f->levels[t->to]);
    } else {
        snprintf(buf, n, "%s", m->events[k - m->n_transitions].name);
    }
}

void nsm_param_path(const nsm_model *m, const nsm_param *p, char *buf, size_t n)
{
    char proc[3 * NSM_NAME_MAX + 4];
    switch (p->kind) {
    case NSM_P_TRANSITION:
        nsm_process_name(m, p->a, proc, sizeof proc);
        snprintf(buf, n, "transitions:%s", proc);
        break;
    case NSM_P_MODIFIER: snprintf(buf, n, "modifiers:%d", p->a); break;
    case NSM_P_EVENT_RATE: snprintf(buf, n, "events:%s:rate_per_year", m->events[p->a].name); break;
    case NSM_P_EVENT_DISPERSION:
        snprintf(buf, n, "events:%s:dispersion", m->events[p->a].name);
        break;
    case NSM_P_SEASONALITY:
        nsm_process_name(m, p->a, proc, sizeof proc);
        snprintf(buf, n, "seasonality:%s:%d", proc, p->b);
        break;
    case NSM_P_DRAW: {
        const nsm_draw *dr = &m->draws[p->a];
        const nsm_factor *f = &m->factors[dr->factor];
        int c = p->b / f->n_levels, from = p->b % f->n_levels;
        snprintf(buf, n, "draws:%s:%s>%s", dr->name, f->levels[from], f->levels[p->c]);
        if (dr->given && dr->given[c].n_clauses > 0) { /* a conditioned case: its condition */
            size_t len = strlen(buf);
            if (len + 1 < n) {
                buf[len] = ':';
                nsm_condition_format(m, &dr->given[c], buf + len + 1, n - len - 1);
            }
        }
        break;
    }
    case NSM_P_EFFECT_PROBABILITY: snprintf(buf, n, "effects:%d:probability", m->effects[p->a].row); break;
    case NSM_P_EFFECT_DELAY: snprintf(buf, n, "effects:%d:delay_days", m->effects[p->a].row); break;
    case NSM_P_INITIAL:
        snprintf(buf, n, "factors:%s:%s", m->factors[p->a].name,
                 m->factors[p->a].levels[p->b]);
        break;
    case NSM_P_DURATION: {
        const char *what = nsm_duration_param_name(m->transitions[p->a].duration.kind, p->b);
        nsm_process_name(m, p->a, proc, sizeof proc);
        snprintf(buf, n, "durations:%s:%s", proc, what ? what : "?");
        break;
    }
    }
}

void nsm_condition_format(const nsm_model *m, const nsm_condition *c, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int j = 0; j < c->n_clauses; j++) {
        const nsm_factor *f = &m->factors[c->clauses[j].factor];
        nsm_text_add(buf, n, &len, "%s%s=", !j ? "" : c->clauses[j].starts_term ? " | " : " & ",
                     f->name);
        for (int l = 0, first = 1; l < f->n_levels; l++)
            if ((c->clauses[j].mask >> l) & 1u) {
                nsm_text_add(buf, n, &len, "%s%s", first ? "" : "|", f->levels[l]);
                first = 0;
            }
    }
}

void nsm_action_format(const nsm_model *m, const nsm_action *a, char *buf, size_t n)
{
    if (a->kind == NSM_ACT_DRAW)
        snprintf(buf, n, "draw:%s", m->draws[a->draw].name);
    else if (a->kind == NSM_ACT_EVENT)
        snprintf(buf, n, "event:%s", m->events[a->event].name);
    else
        snprintf(buf, n, "%s=%s", m->factors[a->factor].name,
                 m->factors[a->factor].levels[a->level]);
}

static void effect_label(const nsm_model *m, const nsm_param *p, char *buf, size_t n)
{
    const nsm_effect *e = &m->effects[p->a];
    char act[2 * NSM_NAME_MAX + 8];
    nsm_action_format(m, &e->action, act, sizeof act);
    const char *what = p->kind == NSM_P_EFFECT_PROBABILITY ? "probability" : "delay (days)";
    if (e->trigger_event >= 0)
        snprintf(buf, n, "effect %d: on %s -> %s, %s", e->row, m->events[e->trigger_event].name,
                 act, what);
    else
        snprintf(buf, n, "effect %d: on a change of %s -> %s, %s", e->row,
                 m->factors[e->trigger_factor].name, act, what);
}

/* Model syntax, for a scenario without labels: the label of earlier versions, unchanged. */
static void syntax_label(const nsm_model *m, const nsm_param *p, char *buf, size_t n)
{
    char proc[3 * NSM_NAME_MAX + 4], cond[512];
    switch (p->kind) {
    case NSM_P_MODIFIER:
        for (int j = 0; j < m->n_modifiers; j++)
            if (m->modifiers[j].row == p->a) {
                nsm_process_name(m, m->modifiers[j].process, proc, sizeof proc);
                nsm_condition_format(m, &m->modifiers[j].cond, cond, sizeof cond);
                snprintf(buf, n, "multiplier on %s while %s", proc, cond);
                return;
            }
        break;
    case NSM_P_EFFECT_PROBABILITY:
    case NSM_P_EFFECT_DELAY: effect_label(m, p, buf, n); return;
    case NSM_P_TRANSITION:
        nsm_process_name(m, p->a, proc, sizeof proc);
        snprintf(buf, n, "transition %s", proc);
        return;
    case NSM_P_INITIAL:
        snprintf(buf, n, "initial P(%s=%s)", m->factors[p->a].name, m->factors[p->a].levels[p->b]);
        return;
    default: break;
    }
    nsm_param_path(m, p, buf, n);
}

/* ---- labels for people, from the scenario's labels (names where it gives none) ---- */

static const char *factor_label(const nsm_model *m, int f)
{
    return nsm_label_or_name(m->factors[f].label, m->factors[f].name);
}

static const char *level_label(const nsm_model *m, int f, int l)
{
    const nsm_factor *fa = &m->factors[f];
    return nsm_label_or_name(fa->level_labels ? fa->level_labels[l] : NULL, fa->levels[l]);
}

/* "USFK posture: current → reduced", or a counted event's label. */
static void process_phrase(const nsm_model *m, int k, char *buf, size_t n)
{
    if (k < m->n_transitions) {
        const nsm_transition *t = &m->transitions[k];
        snprintf(buf, n, "%s: %s \u2192 %s", factor_label(m, t->factor),
                 level_label(m, t->factor, t->from), level_label(m, t->factor, t->to));
    } else {
        const nsm_event *e = &m->events[k - m->n_transitions];
        snprintf(buf, n, "%s", nsm_label_or_name(e->label, e->name));
    }
}

/* "US alliance posture is transactional and ROK bloc is not progressive or centrist"; the terms
** of a disjunction joined by "; or " (the "or" of levels is inside a clause). */
static void condition_phrase(const nsm_model *m, const nsm_condition *c, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int j = 0; j < c->n_clauses; j++) {
        int f = c->clauses[j].factor, n_in = 0, n_levels = m->factors[f].n_levels;
        uint64_t mask = c->clauses[j].mask;
        for (int l = 0; l < n_levels; l++)
            n_in += (int)((mask >> l) & 1u);
        /* a clause that leaves out fewer levels than it names reads better negated */
        int negate = n_levels - n_in < n_in;
        nsm_text_add(buf, n, &len, "%s%s is %s", !j ? "" : c->clauses[j].starts_term ? "; or "
                     : " and ", factor_label(m, f), negate ? "not " : "");
        for (int l = 0, first = 1; l < n_levels; l++)
            if ((((mask >> l) & 1u) != 0) != negate) {
                nsm_text_add(buf, n, &len, "%s%s", first ? "" : " or ", level_label(m, f, l));
                first = 0;
            }
    }
}

/* The levels of a mask, "a or b" (every level: "any level"). */
static void levels_phrase(const nsm_model *m, int f, uint64_t mask, char *buf, size_t n)
{
    size_t len = 0;
    int all = 1;
    buf[0] = '\0';
    for (int l = 0; l < m->factors[f].n_levels; l++)
        all &= (int)((mask >> l) & 1u);
    if (all) {
        nsm_text_add(buf, n, &len, "any level");
        return;
    }
    for (int l = 0, first = 1; l < m->factors[f].n_levels; l++)
        if ((mask >> l) & 1u) {
            nsm_text_add(buf, n, &len, "%s%s", first ? "" : " or ", level_label(m, f, l));
            first = 0;
        }
}

/* "Effect 11 (chance): U.S.-DPRK diplomacy becomes deal without denuclearisation, then draw
** usfk_drawdown_offer". */
static void effect_phrase(const nsm_model *m, const nsm_param *p, char *buf, size_t n)
{
    const nsm_effect *e = &m->effects[p->a];
    char trig[512], act[512];
    if (e->trigger_event >= 0) {
        const nsm_event *ev = &m->events[e->trigger_event];
        snprintf(trig, sizeof trig, "each %s", nsm_label_or_name(ev->label, ev->name));
    } else {
        char to[256];
        levels_phrase(m, e->trigger_factor, e->to_mask, to, sizeof to);
        snprintf(trig, sizeof trig, "%s becomes %s", factor_label(m, e->trigger_factor), to);
    }
    if (e->action.kind == NSM_ACT_DRAW)
        snprintf(act, sizeof act, "draw %s", m->draws[e->action.draw].name);
    else if (e->action.kind == NSM_ACT_EVENT)
        snprintf(act, sizeof act, "%s", nsm_label_or_name(m->events[e->action.event].label,
                                                         m->events[e->action.event].name));
    else
        snprintf(act, sizeof act, "%s becomes %s", factor_label(m, e->action.factor),
                 level_label(m, e->action.factor, e->action.level));
    const char *id = m->effect_ids && m->effect_ids[p->a][0] ? m->effect_ids[p->a] : NULL;
    char name[NSM_NAME_MAX + 16];
    if (id)
        snprintf(name, sizeof name, "%s", id);
    else
        snprintf(name, sizeof name, "%d", e->row);
    snprintf(buf, n, "Effect %s (%s): %s, then %s", name,
             p->kind == NSM_P_EFFECT_PROBABILITY ? "chance" : "delay in days", trig, act);
}

static void people_label(const nsm_model *m, const nsm_param *p, char *buf, size_t n)
{
    char proc[512], cond[1024];
    switch (p->kind) {
    case NSM_P_MODIFIER:
        if (m->modifier_labels && p->a >= 1 && p->a <= m->n_modifier_rows &&
            m->modifier_labels[p->a - 1]) {
            snprintf(buf, n, "%s", m->modifier_labels[p->a - 1]);
            return;
        }
        for (int j = 0; j < m->n_modifiers; j++)
            if (m->modifiers[j].row == p->a) {
                process_phrase(m, m->modifiers[j].process, proc, sizeof proc);
                condition_phrase(m, &m->modifiers[j].cond, cond, sizeof cond);
                snprintf(buf, n, "Multiplier on %s while %s", proc, cond);
                return;
            }
        break;
    case NSM_P_TRANSITION: {
        /* the number is in its row's unit (nsm_param_value): say which */
        static const char *const unit[] = {"yearly chance", "rate per year", "mean years"};
        process_phrase(m, p->a, proc, sizeof proc);
        snprintf(buf, n, "%s (%s)", proc, unit[m->transitions[p->a].unit]);
        return;
    }
    case NSM_P_EVENT_RATE:
    case NSM_P_EVENT_DISPERSION:
        snprintf(buf, n, "%s: %s", nsm_label_or_name(m->events[p->a].label, m->events[p->a].name),
                 p->kind == NSM_P_EVENT_RATE ? "rate per year" : "dispersion");
        return;
    case NSM_P_SEASONALITY:
        process_phrase(m, p->a, proc, sizeof proc);
        snprintf(buf, n, "%s: seasonal multiplier, month %d", proc, p->b);
        return;
    case NSM_P_DRAW: {
        /* "Chance that Washington stays transactional (open-seat U.S. election)": the draw's
        ** label says when it runs; without one, "(draw us election open seat)" */
        int f = m->draws[p->a].factor, k = 0;
        char words[NSM_NAME_MAX + 8];
        if (m->draws[p->a].label && m->draws[p->a].label[0]) {
            snprintf(words, sizeof words, "%s", m->draws[p->a].label);
        } else {
            k = snprintf(words, sizeof words, "draw ");
            for (const char *c = m->draws[p->a].name; *c && k < (int)sizeof words - 1; c++)
                words[k++] = *c == '_' ? ' ' : *c;
            words[k] = 0;
        }
        if (p->b == p->c)
            snprintf(buf, n, "Chance that %s stays %s (%s)", factor_label(m, f),
                     level_label(m, f, p->b), words);
        else
            snprintf(buf, n, "Chance that %s goes %s \u2192 %s (%s)", factor_label(m, f),
                     level_label(m, f, p->b), level_label(m, f, p->c), words);
        return;
    }
    case NSM_P_INITIAL:
        snprintf(buf, n, "Chance that %s starts %s", factor_label(m, p->a),
                 level_label(m, p->a, p->b));
        return;
    case NSM_P_EFFECT_PROBABILITY:
    case NSM_P_EFFECT_DELAY: effect_phrase(m, p, buf, n); return;
    default: break;
    }
    syntax_label(m, p, buf, n);
}

void nsm_param_label(const nsm_model *m, const nsm_param *p, char *buf, size_t n)
{
    if (nsm_model_has_labels(m))
        people_label(m, p, buf, n);
    else
        syntax_label(m, p, buf, n);
}

void nsm_months_format(unsigned mask, char *buf, size_t n)
{
    size_t len = 0;
    if (n)
        buf[0] = '\0';
    for (int m = 1; m <= 12; m++) {
        if (!(mask & (1u << (m - 1))))
            continue;
        int end = m;
        while (end < 12 && (mask & (1u << end)))
            end++;
        if (end == m)
            nsm_text_add(buf, n, &len, "%s%d", len ? "|" : "", m);
        else
            nsm_text_add(buf, n, &len, "%s%d-%d", len ? "|" : "", m, end);
        m = end;
    }
}

void nsm_params_label(const nsm_model *m, const nsm_param *p, int n, char *buf, size_t size)
{
    unsigned months = 0;
    for (int i = 0; i < n && p[0].kind == NSM_P_SEASONALITY; i++)
        if (p[i].kind == NSM_P_SEASONALITY && p[i].a == p[0].a)
            months |= 1u << (p[i].b - 1);
    if ((months & (months - 1)) == 0) { /* not a seasonal row of two or more months */
        nsm_param_label(m, p, buf, size);
        return;
    }
    char spec[64], proc[512];
    nsm_months_format(months, spec, sizeof spec);
    if (nsm_model_has_labels(m)) { /* for people, "3-4, 8" rather than the path's "3-4|8" */
        char words[96];
        size_t len = 0;
        words[0] = '\0';
        for (const char *c = spec; *c; c++)
            if (*c == '|')
                nsm_text_add(words, sizeof words, &len, ", ");
            else
                nsm_text_add(words, sizeof words, &len, "%c", *c);
        process_phrase(m, p->a, proc, sizeof proc);
        snprintf(buf, size, "%s: seasonal multiplier, months %s", proc, words);
    } else {
        nsm_process_name(m, p->a, proc, sizeof proc);
        snprintf(buf, size, "seasonality:%s:%s", proc, spec);
    }
}

static int every_level(const nsm_factor *f, uint64_t mask)
{
    uint64_t all = f->n_levels >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << f->n_levels) - 1;
    return (mask & all) == all;
}

/* One side of a change: its level, or its levels joined by '|'; nothing for every level. */
static void side_format(const nsm_factor *f, uint64_t mask, const char *word, char *buf,
                        size_t n, size_t *len)
{
    if (every_level(f, mask))
        return;
    nsm_text_add(buf, n, len, " %s ", word);
    for (int l = 0, first = 1; l < f->n_levels; l++)
        if ((mask >> l) & 1u) {
            nsm_text_add(buf, n, len, "%s%s", first ? "" : "|", f->levels[l]);
            first = 0;
        }
}

void nsm_trigger_format(const nsm_model *m, const nsm_effect *e, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    if (e->trigger_event >= 0) {
        nsm_text_add(buf, n, &len, "%s", m->events[e->trigger_event].name);
        return;
    }
    const nsm_factor *f = &m->factors[e->trigger_factor];
    int any = every_level(f, e->from_mask) && every_level(f, e->to_mask);
    nsm_text_add(buf, n, &len, "%s change of %s", any ? "any" : "a", f->name);
    side_format(f, e->from_mask, "from", buf, n, &len);
    side_format(f, e->to_mask, "to", buf, n, &len);
}
