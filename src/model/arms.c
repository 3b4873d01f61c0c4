/*
** arms.c: see arms.h. A combination's rows are applied lever by lever, each in file order, onto
** every phase that has started by the row's from_date.
**
** A redraw (nsm_arm_redraw) works from a plan compiled once per (model, arm) and never changed:
** the places of the drawn numbers and of the arm, the steps that write the draws, the spans to
** copy as (array, offset) lists, the lever rows of each phase. What it caches is where numbers
** live and which rows apply, never a value: every replication's values are copied from m (or a
** plain arm's model) or written from its draws. A number that its one draw sets whole, in place,
** is not copied back from m first, as the step overwrites it before anything reads it (and a step
** that refuses its value writes nothing; the replication fails). test_redraw.c compares redraws,
** after rebuilds and after redraws, with rebuilds byte for byte.
*/
#include "neasim/arms.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neasim/params.h"
#include "model/places.h"

static int find_lever(const nsm_model *m, const char *name)
{
    for (int i = 0; i < m->n_levers; i++)
        if (strcmp(m->levers[i].name, name) == 0)
            return i;
    return -1;
}

static void arm_release(nsm_arm *a)
{
    for (int j = 0; a->owns_models && a->phase_model && j < a->n_phases; j++)
        nsm_model_free(a->phase_model[j]);
    free(a->phase_model);
    free(a->phase_t);
    free(a->levers);
    free(a->set_param);
    free(a->set_value);
    memset(a, 0, sizeof *a);
}

void nsm_arms_free(nsm_arm *arms, int n)
{
    for (int k = 0; arms && k < n; k++)
        arm_release(&arms[k]);
    free(arms);
}

static int add_time(double *t, int *n, double x)
{
    for (int j = 0; j < *n; j++)
        if (t[j] == x)
            return 0;
    int j = (*n)++;
    while (j > 0 && t[j - 1] > x) {
        t[j] = t[j - 1];
        j--;
    }
    t[j] = x;
    return 0;
}

/* The phases of an arm: 0 and every distinct from_date of its levers' rows. */
static int make_phases(const nsm_model *m, nsm_arm *a)
{
    a->phase_t = calloc((size_t)m->n_lever_rows + 1, sizeof *a->phase_t);
    if (!a->phase_t)
        return -1;
    a->n_phases = 1;
    for (int i = 0; i < m->n_lever_rows; i++)
        for (int k = 0; k < a->n_levers; k++)
            if (m->lever_rows[i].lever == a->levers[k] && m->lever_rows[i].has_from_date &&
                m->lever_rows[i].from_t > 0)
                add_time(a->phase_t, &a->n_phases, m->lever_rows[i].from_t);
    a->phase_model = calloc((size_t)a->n_phases, sizeof *a->phase_model);
    a->owns_models = 1;
    for (int j = 0; a->phase_model && j < a->n_phases; j++)
        if (!(a->phase_model[j] = nsm_model_variant(m)))
            return -1;
    return a->phase_model ? 0 : -1;
}

static nsm_status apply_all(nsm_model *v, const nsm_param *params, int n, nsm_op op, double value,
                            nsm_diag *d)
{
    nsm_status st = NSM_OK;
    for (int k = 0; k < n && st == NSM_OK; k++)
        st = nsm_param_apply(v, &params[k], op, value, d);
    return st;
}

/* Uncertain numbers at their drawn values: set, or scaled by draw / mean where rows multiply. */
static nsm_status apply_draws(const nsm_model *m, nsm_model *v, const double *draws, nsm_diag *d)
{
    nsm_status st = NSM_OK;
    for (int k = 0; k < m->n_uncertain && st == NSM_OK; k++) {
        const nsm_uncertain *u = &m->uncertain[k];
        double x = u->ratio ? draws[k] / u->nominal : draws[k];
        st = apply_all(v, u->params, u->n_params, u->ratio ? NSM_OP_MULTIPLY : NSM_OP_SET, x, d);
    }
    return st;
}

/* One lever row onto v; an error names its levers.csv position. */
static nsm_status apply_row(const nsm_arm *a, const nsm_lever_row *lr, nsm_model *v, nsm_diag *d)
{
    nsm_diag why;
    nsm_diag_init(&why);
    nsm_status st = apply_all(v, lr->params, lr->n_params, lr->op, lr->value, &why);
    if (st != NSM_OK)
        nsm_diag_error(d, st, "levers.csv:%d:%d: in arm '%s', %s: %s", lr->line,
                       lr->value_column, a->name, lr->target, why.error ? why.error : "");
    nsm_diag_release(&why);
    return st;
}

static nsm_status apply_levers(const nsm_model *m, const nsm_arm *a, double t, nsm_model *v,
                               nsm_diag *d)
{
    for (int k = 0; k < a->n_levers; k++)
        for (int i = 0; i < m->n_lever_rows; i++) {
            const nsm_lever_row *lr = &m->lever_rows[i];
            if (lr->lever != a->levers[k] || lr->from_t > t)
                continue;
            nsm_status st = apply_row(a, lr, v, d);
            if (st != NSM_OK)
                return st;
        }
    return NSM_OK;
}

nsm_status nsm_arm_build_phases(const nsm_model *m, const nsm_arm *a, const double *draws,
                                nsm_model **out, nsm_diag *d)
{
    nsm_status st = NSM_OK;
    for (int j = 0; j < a->n_phases && st == NSM_OK; j++) {
        nsm_model *v = out[j];
        nsm_model_variant_reset(v, m);
        if (draws)
            st = apply_draws(m, v, draws, d);
        for (int k = 0; k < a->n_sets && st == NSM_OK; k++)
            st = nsm_param_apply(v, &a->set_param[k], NSM_OP_SET, a->set_value[k], d);
        if (st == NSM_OK)
            st = apply_levers(m, a, a->phase_t[j], v, d);
    }
    return st;
}

/* ---- redraws: the plan is compiled once per (model, arm), so that a replication neither resets
** whole models nor searches for the modifiers of a path ---- */

/* How a step writes its number. A SCALAR, EFFECT_P or TRANSITION step is one double of a flat
** array, written in place when the new value is valid: the value and the test are those of
** nsm_param_apply (set_nonnegative, the effect probability's range, nsmi_transition_rate) and of
** nsmi_modifier_apply, so the bytes are the same; an invalid value takes the general call, which
** fails with its message, before writing. The general call is also the way of every other kind (a
** probability row is rescaled, a duration checked whole). */
enum { STEP_SCALAR, STEP_EFFECT_P, STEP_TRANSITION, STEP_PARAM };

typedef struct {
    int k;        /* the uncertain number */
    int how;      /* STEP_* */
    int modifier; /* the one modifier this step writes, or -1: nsm_param_apply with *param */
    int ratio;    /* the number's u->ratio and u->nominal, copied: read by every step */
    double nominal;
    int array;    /* a SCALAR or EFFECT_P step's double: bytes off of that array */
    size_t off;
    const nsm_param *param;
    int place;    /* its place: place[place] of the plan */
    int shared;   /* that place is in a shared span (nsm_arm_redraw): copied from a plain arm's */
    nsm_unit unit; /* a TRANSITION step's row's unit (levers and draws never change it) */
} redraw_step;

/* The steps that write one double in place (see redraw_step), by parameter kind. */
static int step_how(const nsm_param *p)
{
    switch (p->kind) {
    case NSM_P_MODIFIER:
    case NSM_P_EVENT_RATE:
    case NSM_P_EVENT_DISPERSION:
    case NSM_P_SEASONALITY:
    case NSM_P_EFFECT_DELAY: return STEP_SCALAR;
    case NSM_P_EFFECT_PROBABILITY: return STEP_EFFECT_P;
    case NSM_P_TRANSITION: return STEP_TRANSITION;
    default: return STEP_PARAM;
    }
}

/* Spans as a redraw copies them: most are one double of a flat array (a rate, a multiplier),
** copied by offset, array by array, with the two arrays' bases looked up once per copy of the
** list, rather than through a call and nsmi_place_at's switch for each; the rest (a probability
** row, a duration, a factor's initial shares) through nsmi_place_at and memcpy. */
typedef struct {
    int n_one, n_rest;
    int one_start[NSMI_A_SEASONALITY + 2]; /* array a's offsets: one_off[one_start[a] .. [a + 1]) */
    size_t *one_off;
    nsmi_place *rest;
} span_list;

struct nsm_arm_redraw {
    const nsm_model *m;
    const nsm_arm *arm;
    nsmi_place *place; /* where drawn numbers and the arm's own live */
    int n_place, cap_place;
    nsmi_place *span;   /* the places merged where they touch, sorted */
    int n_span;
    redraw_step *step; /* the draws' writes, in nsm_arm_build_phases's order */
    int n_step;
    int n_drawn;        /* place[0 .. n_drawn): the draws' places; the arm's follow */
    nsmi_place *shared; /* the draws' places merged, those that no place of the arm overlaps */
    int n_shared;
    int n_shared_steps;
    nsmi_place *own;    /* every other place merged */
    int n_own;
    int *own_step;      /* the steps not shared, in order */
    span_list all;      /* span: what a later phase copies from phase 0 */
    span_list restore;  /* the spans a redraw copies back from m: all but the overwritten ones */
    span_list shared_l; /* shared, copied from a plain arm's model (nsm_arm_redraw_phases_from) */
    span_list own_l;    /* own, copied back from m by that redraw */
    int *row;           /* the lever rows of phase j, in apply_levers's order: */
    int *phase_row;     /* row[phase_row[j] .. phase_row[j + 1]) */
};

static void span_list_free(span_list *l)
{
    free(l->one_off);
    free(l->rest);
}

void nsm_arm_redraw_free(nsm_arm_redraw *r)
{
    if (!r)
        return;
    free(r->place);
    free(r->span);
    free(r->step);
    free(r->shared);
    free(r->own);
    free(r->own_step);
    span_list_free(&r->all);
    span_list_free(&r->restore);
    span_list_free(&r->shared_l);
    span_list_free(&r->own_l);
    free(r->row);
    free(r->phase_row);
    free(r);
}

/* spans[0 .. n) whose keep[i] is set (keep NULL: all) into l. */
static int span_list_init(span_list *l, const nsmi_place *spans, int n, const int *keep)
{
    l->one_off = malloc(((size_t)n + 1) * sizeof *l->one_off);
    l->rest = malloc(((size_t)n + 1) * sizeof *l->rest);
    if (!l->one_off || !l->rest)
        return -1;
    l->n_one = l->n_rest = 0;
    for (int a = 0; a <= NSMI_A_SEASONALITY; a++) {
        l->one_start[a] = l->n_one;
        for (int i = 0; i < n; i++)
            if ((!keep || keep[i]) && spans[i].array == a && spans[i].len == sizeof(double))
                l->one_off[l->n_one++] = spans[i].off;
    }
    l->one_start[NSMI_A_SEASONALITY + 1] = l->n_one;
    for (int i = 0; i < n; i++)
        if ((!keep || keep[i]) && (spans[i].array > NSMI_A_SEASONALITY || spans[i].len != sizeof(double)))
            l->rest[l->n_rest++] = spans[i];
    return 0;
}

/* Add the places of p (kept: the count that did not fit, 0 when all did). */
static int add_places(nsm_arm_redraw *r, const nsm_param *p)
{
    int room = r->cap_place - r->n_place;
    int n = nsmi_param_places(r->m, p, r->place + r->n_place, room);
    r->n_place += n < room ? n : room;
    return n > room ? n - room : 0;
}

/* Every place the arm writes: its point's sets and its levers' rows (of any phase). */
static int arm_places(nsm_arm_redraw *r)
{
    const nsm_model *m = r->m;
    const nsm_arm *a = r->arm;
    int over = 0;
    for (int k = 0; k < a->n_sets; k++)
        over += add_places(r, &a->set_param[k]);
    for (int i = 0; i < m->n_lever_rows; i++)
        for (int k = 0; k < a->n_levers; k++)
            for (int q = 0; m->lever_rows[i].lever == a->levers[k] && q < m->lever_rows[i].n_params; q++)
                over += add_places(r, &m->lever_rows[i].params[q]);
    return over;
}

static int place_order(const void *x, const void *y)
{
    const nsmi_place *a = x, *b = y;
    if (a->array != b->array)
        return a->array < b->array ? -1 : 1;
    if (a->which != b->which)
        return a->which < b->which ? -1 : 1;
    return a->off < b->off ? -1 : a->off > b->off;
}

/* places[0 .. n) as few spans into span (room for n): sorted, and merged where they overlap or
** touch (the same bytes, in fewer copies: a probability row's places, a run of modifiers). The
** count of spans. */
static int merge(const nsmi_place *places, int n, nsmi_place *span)
{
    if (n > 0)
        memcpy(span, places, (size_t)n * sizeof *span);
    qsort(span, (size_t)n, sizeof *span, place_order);
    int k = 0;
    for (int i = 0; i < n; i++) {
        nsmi_place *last = k ? &span[k - 1] : NULL, *p = &span[i];
        if (last && last->array == p->array && last->which == p->which &&
            p->off <= last->off + last->len) {
            size_t end = p->off + p->len;
            if (end > last->off + last->len)
                last->len = end - last->off;
        } else {
            span[k++] = *p;
        }
    }
    return k;
}

static int overlaps_any(const nsmi_place *p, const nsmi_place *list, int n)
{
    for (int i = 0; i < n; i++)
        if (nsmi_places_overlap(p, &list[i]))
            return 1;
    return 0;
}

/* Every place as spans, each with its bytes in m (what a redraw restores); the draws' places
** merged, kept where no place of the arm overlaps them (shared: the same bytes after the draws in
** every arm), and the steps that write into those. */
static int merge_places(nsm_arm_redraw *r)
{
    r->span = malloc(((size_t)r->n_place + 1) * sizeof *r->span);
    r->shared = malloc(((size_t)r->n_drawn + 1) * sizeof *r->shared);
    if (!r->span || !r->shared)
        return -1;
    r->n_span = merge(r->place, r->n_place, r->span);
    int n = merge(r->place, r->n_drawn, r->shared);
    r->n_shared = 0;
    for (int i = 0; i < n; i++)
        if (!overlaps_any(&r->shared[i], r->place + r->n_drawn, r->n_place - r->n_drawn))
            r->shared[r->n_shared++] = r->shared[i];
    return 0;
}

/* The steps whose place lies in a shared span (a drawn place is in the one merged span that
** overlaps it): a copy from a plain arm's model writes what they would. The other steps, and the
** other places as spans with their bytes in m: what a redraw from a plain arm's model restores
** and writes. */
static int mark_shared(nsm_arm_redraw *r)
{
    nsmi_place *other = malloc(((size_t)r->n_place + 1) * sizeof *other);
    r->own = malloc(((size_t)r->n_place + 1) * sizeof *r->own);
    r->own_step = malloc(((size_t)r->n_step + 1) * sizeof *r->own_step);
    if (!other || !r->own || !r->own_step) {
        free(other);
        return -1;
    }
    int n_other = 0, n_own_steps = 0;
    r->n_shared_steps = 0;
    for (int i = 0; i < r->n_step; i++) {
        redraw_step *st = &r->step[i];
        st->shared = overlaps_any(&r->place[st->place], r->shared, r->n_shared);
        r->n_shared_steps += st->shared;
        if (!st->shared)
            r->own_step[n_own_steps++] = i;
    }
    for (int i = 0; i < r->n_place; i++)
        if (!overlaps_any(&r->place[i], r->shared, r->n_shared))
            other[n_other++] = r->place[i];
    r->n_own = merge(other, n_other, r->own);
    free(other);
    return 0;
}

/* The span that holds place p: the last that starts at or before it (every place lies in one
** span, the spans being the places merged, sorted and apart). */
static int span_of(const nsm_arm_redraw *r, const nsmi_place *p)
{
    int lo = 0, hi = r->n_span - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (place_order(&r->span[mid], p) <= 0)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

/* keep[i] for each span: 0 for a span that its one step overwrites whole, whatever it held: one
** double of a flat array, the place of no other draw nor of the arm, set (not multiplied) by a
** step that writes it in place, and that neither reads it nor, when the value is invalid, writes
** it (the general call fails first). A redraw need not copy it back from m: the step writes the
** bytes a copy and the step would. The other spans are copied back: a multiplied number, a
** probability row (its other entries are rescaled), a number that a lever or the point writes. */
static int mark_overwritten(const nsm_arm_redraw *r, int *keep)
{
    int *n_in = calloc((size_t)r->n_span + 1, sizeof *n_in);
    int *step_in = malloc(((size_t)r->n_span + 1) * sizeof *step_in);
    if (!n_in || !step_in) {
        free(n_in);
        free(step_in);
        return -1;
    }
    for (int i = 0; i < r->n_span; i++)
        step_in[i] = -1;
    for (int i = 0; i < r->n_place; i++)
        n_in[span_of(r, &r->place[i])]++;
    for (int i = 0; i < r->n_step; i++)
        step_in[span_of(r, &r->place[r->step[i].place])] = i;
    for (int i = 0; i < r->n_span; i++) {
        const nsmi_place *sp = &r->span[i];
        const redraw_step *st = step_in[i] >= 0 ? &r->step[step_in[i]] : NULL;
        keep[i] = !(sp->array <= NSMI_A_SEASONALITY && sp->len == sizeof(double) && n_in[i] == 1 &&
                    st && !st->ratio && st->how != STEP_PARAM);
    }
    free(n_in);
    free(step_in);
    return 0;
}

/* The lever rows of each phase, in the order apply_levers applies them (lever by lever, each in
** file order, those open by the phase's time): found once, not searched for each replication. */
static int phase_rows(nsm_arm_redraw *r)
{
    const nsm_model *m = r->m;
    const nsm_arm *a = r->arm;
    r->phase_row = malloc(((size_t)a->n_phases + 1) * sizeof *r->phase_row);
    r->row = malloc(((size_t)a->n_phases * (size_t)a->n_levers * (size_t)m->n_lever_rows + 1) *
                    sizeof *r->row);
    if (!r->phase_row || !r->row)
        return -1;
    int n = 0;
    for (int j = 0; j < a->n_phases; j++) {
        r->phase_row[j] = n;
        for (int k = 0; k < a->n_levers; k++)
            for (int i = 0; i < m->n_lever_rows; i++)
                if (m->lever_rows[i].lever == a->levers[k] && !(m->lever_rows[i].from_t > a->phase_t[j]))
                    r->row[n++] = i;
    }
    r->phase_row[a->n_phases] = n;
    return 0;
}

/* The copy lists (span_list) of the plan's spans. */
static int copy_lists(nsm_arm_redraw *r)
{
    int *keep = malloc(((size_t)r->n_span + 1) * sizeof *keep);
    if (!keep || mark_overwritten(r, keep)) {
        free(keep);
        return -1;
    }
    int st = span_list_init(&r->all, r->span, r->n_span, NULL) ||
             span_list_init(&r->restore, r->span, r->n_span, keep) ||
             span_list_init(&r->shared_l, r->shared, r->n_shared, NULL) ||
             span_list_init(&r->own_l, r->own, r->n_own, NULL);
    free(keep);
    return st ? -1 : phase_rows(r);
}

/* The places and steps of every drawn number, then the arm's places. */
static int compile(nsm_arm_redraw *r)
{
    const nsm_model *m = r->m;
    int n = 0;
    for (int k = 0; k < m->n_uncertain; k++)
        for (int q = 0; q < m->uncertain[k].n_params; q++)
            n += nsmi_param_places(m, &m->uncertain[k].params[q], NULL, 0);
    r->cap_place = 0;
    int arm_n = arm_places(r); /* into no room: counts them */
    r->cap_place = n + arm_n;
    r->place = malloc(((size_t)r->cap_place + 1) * sizeof *r->place);
    r->step = malloc(((size_t)n + 1) * sizeof *r->step);
    if (!r->place || !r->step)
        return -1;
    for (int k = 0; k < m->n_uncertain; k++)
        for (int q = 0; q < m->uncertain[k].n_params; q++) {
            const nsm_param *p = &m->uncertain[k].params[q];
            int first = r->n_place;
            add_places(r, p);
            for (int i = first; i < r->n_place; i++) {
                int j = (int)(r->place[i].off / sizeof(nsm_modifier));
                redraw_step st = {k, step_how(p), p->kind == NSM_P_MODIFIER ? j : -1,
                                  m->uncertain[k].ratio, m->uncertain[k].nominal,
                                  r->place[i].array, r->place[i].off, p, i, 0,
                                  p->kind == NSM_P_TRANSITION ? m->transitions[p->a].unit
                                                              : NSM_UNIT_RATE_PER_YEAR};
                if (p->kind == NSM_P_MODIFIER || i == first)
                    r->step[r->n_step++] = st;
            }
        }
    r->n_drawn = r->n_place;
    arm_places(r);
    return merge_places(r) || mark_shared(r) || copy_lists(r) ? -1 : 0;
}

nsm_arm_redraw *nsm_arm_redraw_alloc(const nsm_model *m, const nsm_arm *arm)
{
    nsm_arm_redraw *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->m = m;
    r->arm = arm;
    if (compile(r)) {
        nsm_arm_redraw_free(r);
        return NULL;
    }
    return r;
}

/* The flat arrays of v (places.h) that steps and span lists index: looked up once a redraw rather
** than through nsmi_place_at's switch for each of a few hundred places. */
static void flat_bases(nsm_model *v, char *base[NSMI_A_SEASONALITY + 1])
{
    base[NSMI_A_TRANSITIONS] = (char *)v->transitions;
    base[NSMI_A_EVENTS] = (char *)v->events;
    base[NSMI_A_MODIFIERS] = (char *)v->modifiers;
    base[NSMI_A_EFFECTS] = (char *)v->effects;
    base[NSMI_A_SEASONALITY] = (char *)v->seasonality;
}

/* The bytes of l's spans in `from` (m, or a variant of m) copied into `to`. */
static void span_list_copy(const span_list *l, nsm_model *to, const nsm_model *from)
{
    char *tb[NSMI_A_SEASONALITY + 1], *fb[NSMI_A_SEASONALITY + 1];
    flat_bases(to, tb);
    flat_bases((nsm_model *)(uintptr_t)from, fb); /* read only */
    const size_t *off = l->one_off; /* locals: the stores below may alias *l as far as C knows */
    for (int a = 0; a <= NSMI_A_SEASONALITY; a++) {
        char *t = tb[a];
        const char *f = fb[a];
        for (int i = l->one_start[a], end = l->one_start[a + 1]; i < end; i++)
            memcpy(t + off[i], f + off[i], sizeof(double));
    }
    for (int i = 0; i < l->n_rest; i++)
        memcpy((char *)(uintptr_t)nsmi_place_at(to, &l->rest[i]), nsmi_place_at(from, &l->rest[i]),
               l->rest[i].len);
}

/* One step: x into its number, as nsm_param_apply (or nsmi_modifier_apply) writes it. */
static nsm_status step_apply(const redraw_step *s, nsm_model *v, char *const base[], nsm_op op,
                             double x, nsm_diag *d)
{
    if (s->how != STEP_PARAM) {
        double *at = (double *)(void *)(base[s->array] + s->off), r = op == NSM_OP_SET ? x : *at * x;
        int ok = s->how == STEP_SCALAR     ? r >= 0 && isfinite(r)
                 : s->how == STEP_EFFECT_P ? r > 0 && r <= 1
                                           : nsmi_transition_rate(s->unit, op, *at, x, &r);
        if (ok) {
            *at = r;
            return NSM_OK;
        } /* else the general call below says why */
        if (s->how == STEP_TRANSITION)
            return nsmi_transition_apply(v, s->param->a, op, x, d);
    }
    return s->modifier >= 0 ? nsmi_modifier_apply(v, s->modifier, op, x, d)
                            : nsm_param_apply(v, s->param, op, x, d);
}

/* Steps which[0 .. n) in order (which NULL: steps 0 .. n). Inline, so that each call has a loop
** of its own. */
static inline nsm_status apply_steps(const nsm_arm_redraw *r, const int *which, int n,
                                     const double *draws, nsm_model *v, char *const base[], nsm_diag *d)
{
    nsm_status st = NSM_OK;
    for (int i = 0; i < n && st == NSM_OK; i++) {
        const redraw_step *s = &r->step[which ? which[i] : i];
        double x = s->ratio ? draws[s->k] / s->nominal : draws[s->k];
        st = step_apply(s, v, base, s->ratio ? NSM_OP_MULTIPLY : NSM_OP_SET, x, d);
    }
    return st;
}

/* What nsm_arm_build_phases does before the levers, on the places it writes only: the same for
** every phase. With `drawn` (nsm_arm_redraw_phases_from), the shared spans are copied from it
** instead of written by their steps. */
static nsm_status redraw(const nsm_arm_redraw *r, const double *draws, const nsm_model *drawn,
                         nsm_model *v, nsm_diag *d)
{
    const nsm_arm *a = r->arm;
    char *base[NSMI_A_SEASONALITY + 1];
    flat_bases(v, base);
    span_list_copy(drawn ? &r->own_l : &r->restore, v, r->m);
    if (drawn)
        span_list_copy(&r->shared_l, v, drawn);
    nsm_status st = drawn ? apply_steps(r, r->own_step, r->n_step - r->n_shared_steps, draws, v, base, d)
                          : apply_steps(r, NULL, r->n_step, draws, v, base, d);
    for (int k = 0; k < a->n_sets && st == NSM_OK; k++)
        st = nsm_param_apply(v, &a->set_param[k], NSM_OP_SET, a->set_value[k], d);
    return st;
}

/* Phase 0 is redrawn and, before its levers, copied into the later phases (the same numbers that
** a redraw of each would write, once: an arm of levers with dates has two or more phases); then
** each phase's levers, in phase order as nsm_arm_build_phases applies them. */
nsm_status nsm_arm_redraw_phases(const nsm_arm_redraw *r, const double *draws, nsm_model **out,
                                 nsm_diag *d)
{
    return nsm_arm_redraw_phases_from(r, draws, NULL, out, d);
}

/* Why a copy is the same: a step reads and writes only its own place (a number, its probability
** row, its duration), so the steps into a shared span read only that span, which holds m's bytes
** before them both here and in `drawn` (whose arm writes nothing else), and write the same bytes;
** the arm's sets and levers never touch a shared span. */
nsm_status nsm_arm_redraw_phases_from(const nsm_arm_redraw *r, const double *draws,
                                      const nsm_model *drawn, nsm_model **out, nsm_diag *d)
{
    const nsm_arm *a = r->arm;
    nsm_status st = redraw(r, draws, drawn, out[0], d);
    for (int j = 1; j < a->n_phases && st == NSM_OK; j++)
        span_list_copy(&r->all, out[j], out[0]);
    for (int j = 0; j < a->n_phases && st == NSM_OK; j++)
        for (int i = r->phase_row[j]; i < r->phase_row[j + 1] && st == NSM_OK; i++)
            st = apply_row(a, &r->m->lever_rows[r->row[i]], out[j], d);
    return st;
}

int nsm_arm_redraw_n_shared(const nsm_arm_redraw *r)
{
    return r->n_shared_steps;
}

int nsm_arm_redraw_n_restored(const nsm_arm_redraw *r)
{
    return r->restore.n_one + r->restore.n_rest;
}

static nsm_status build_arm(const nsm_model *m, nsm_arm *a, const char *scenario, nsm_diag *diag)
{
    if (a->n_levers == 0 && a->n_sets == 0) {
        a->n_phases = 1;
        a->phase_t = calloc(1, sizeof *a->phase_t);
        a->phase_model = calloc(1, sizeof *a->phase_model);
        if (!a->phase_t || !a->phase_model)
            return NSM_ERR_NOMEM;
        a->phase_model[0] = (nsm_model *)(uintptr_t)m; /* borrowed: owns_models stays 0 */
        return NSM_OK;
    }
    if (make_phases(m, a))
        return nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory building arm '%s'", a->name);
    nsm_diag why;
    nsm_diag_init(&why);
    nsm_status st = nsm_arm_build_phases(m, a, NULL, a->phase_model, &why);
    if (st != NSM_OK)
        nsm_diag_error(diag, st, "%s/%s", scenario, why.error ? why.error : "");
    nsm_diag_release(&why);
    return st;
}

nsm_status nsm_arm_set_point(const nsm_model *m, nsm_arm *a, int n, const nsm_param *params,
                             const double *values, nsm_diag *diag)
{
    free(a->set_param);
    free(a->set_value);
    a->set_param = malloc(((size_t)n + 1) * sizeof *a->set_param);
    a->set_value = malloc(((size_t)n + 1) * sizeof *a->set_value);
    if (!a->set_param || !a->set_value)
        return nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
    for (int k = 0; k < n; k++) {
        a->set_param[k] = params[k];
        a->set_value[k] = values[k];
    }
    a->n_sets = n;
    if (!a->owns_models) { /* the baseline borrowed m: give it models of its own */
        free(a->phase_model);
        free(a->phase_t);
        a->phase_model = NULL;
        a->phase_t = NULL;
        if (make_phases(m, a))
            return nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
    }
    return nsm_arm_build_phases(m, a, NULL, a->phase_model, diag);
}

/* "a+b" -> lever indices; an unknown name is a usage error with a suggestion. */
static nsm_status parse_combination(const nsm_model *m, const char *spec, nsm_arm *a,
                                    nsm_diag *diag)
{
    char *buf = strdup(spec), *save = NULL;
    a->levers = calloc(strlen(spec) + 1, sizeof *a->levers);
    if (!buf || !a->levers) {
        free(buf);
        return NSM_ERR_NOMEM;
    }
    snprintf(a->name, sizeof a->name, "%s", spec);
    nsm_status st = NSM_OK;
    size_t len = strlen(spec);
    if (spec[0] == '+' || (len && spec[len - 1] == '+') || strstr(spec, "++"))
        st = nsm_diag_error(diag, NSM_ERR_USAGE, "a '+' in '%s' has no lever on one side: join "
                            "levers as a+b", spec);
    for (char *tok = st == NSM_OK ? strtok_r(buf, "+", &save) : NULL; tok && st == NSM_OK;
         tok = strtok_r(NULL, "+", &save)) {
        int l = find_lever(m, tok);
        int twice = 0;
        for (int i = 0; l >= 0 && i < a->n_levers; i++)
            twice |= a->levers[i] == l;
        if (twice) {
            /* a+a would apply a's rows twice (x3 becomes x9): a typo, not a policy; and check
            ** tries arms of distinct levers (scenario/levers.c) */
            st = nsm_diag_error(diag, NSM_ERR_USAGE, "lever '%s' appears twice in "
                                "'%s': an arm applies each lever once", tok, spec);
            continue;
        }
        if (l >= 0) {
            a->levers[a->n_levers++] = l;
            continue;
        }
        const char *hint = m->n_levers ? nsm_suggest(tok, m->levers[0].name, (size_t)m->n_levers,
                                                     sizeof m->levers[0])
                                       : NULL;
        char known[512] = "";
        size_t kl = 0;
        for (int i = 0; !hint && i < m->n_levers && kl < sizeof known - 1; i++)
            kl += (size_t)snprintf(known + kl, sizeof known - kl, "%s%s", i ? ", " : "; its "
                                   "levers: ", m->levers[i].name);
        st = nsm_diag_error(diag, NSM_ERR_USAGE, "the scenario has no lever '%s'%s%s%s%s",
                            tok, hint ? "; did you mean '" : m->n_levers ? "" : " (it has no levers.csv)",
                            hint ? hint : "", hint ? "'?" : "", known);
    }
    if (st == NSM_OK && a->n_levers == 0)
        st = nsm_diag_error(diag, NSM_ERR_USAGE, "empty arm in '%s'", spec);
    free(buf);
    return st;
}

/* Out of memory, said once (diag may be NULL). */
static nsm_status no_memory(nsm_diag *diag)
{
    if (diag && !diag->error)
        return nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory building the arms");
    return NSM_ERR_NOMEM;
}

/* The specs of the arms: the list as given, "all" levers, or every combination (factorial). */
static nsm_status arm_specs(const nsm_model *m, const char *list, int factorial, char ***specs,
                            int *n, nsm_diag *diag)
{
    char *buf = strdup(list), *save = NULL;
    char **names = calloc(strlen(list) + (size_t)m->n_levers + 2, sizeof *names);
    int k = 0;
    if (!buf || !names) {
        free(buf);
        free(names);
        return no_memory(diag);
    }
    size_t list_len = strlen(list);
    if (list[0] == ',' || (list_len && list[list_len - 1] == ',') || strstr(list, ",,")) {
        free(buf);
        free(names);
        return nsm_diag_error(diag, NSM_ERR_USAGE, "an empty arm in '%s' (a ',' with no arm on "
                              "one side): separate arms by single commas, a,b,a+b", list);
    }
    if (strcmp(list, "all") == 0)
        for (int i = 0; i < m->n_levers; i++)
            names[k++] = strdup(m->levers[i].name);
    else
        for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
            names[k++] = strdup(tok);
    free(buf);
    int oom = 0;
    for (int i = 0; i < k; i++)
        oom |= !names[i];
    if (oom || (factorial && k > 16)) {
        for (int i = 0; i < k; i++)
            free(names[i]);
        free(names);
        if (oom) /* strlen(NULL) below otherwise (gcc -fanalyzer) */
            return no_memory(diag);
        return nsm_diag_error(diag, NSM_ERR_USAGE, "--factorial over %d levers would make %d arms; "
                              "list at most 16", k, (1 << 16) - 1);
    }
    if (!factorial) {
        *specs = names;
        *n = k;
        return NSM_OK;
    }
    int total = (1 << k) - 1;
    char **combos = calloc((size_t)total + 1, sizeof *combos);
    for (int mask = 1; combos && mask <= total; mask++) {
        size_t len = 1;
        for (int i = 0; i < k; i++)
            len += (mask >> i & 1) ? strlen(names[i]) + 1 : 0;
        char *s = calloc(len, 1);
        for (int i = 0; s && i < k; i++)
            if (mask >> i & 1) {
                if (s[0])
                    strcat(s, "+");
                strcat(s, names[i]);
            }
        combos[mask - 1] = s;
    }
    for (int i = 0; i < k; i++)
        free(names[i]);
    free(names);
    *specs = combos;
    *n = total;
    return combos ? NSM_OK : no_memory(diag);
}

nsm_status nsm_arms_build(const nsm_model *m, const char *list, int factorial, const char *scenario,
                          nsm_arm **arms, int *n_arms, nsm_diag *diag)
{
    char **specs = NULL;
    int n = 0;
    *arms = NULL;
    *n_arms = 0;
    nsm_status st = arm_specs(m, list, factorial, &specs, &n, diag);
    if (st != NSM_OK)
        return st;
    /* A comparison needs an arm besides the baseline, and each arm once (a repeated arm would
    ** repeat its rows in every output table). */
    if (n == 0)
        st = nsm_diag_error(diag, NSM_ERR_USAGE, "no arm in '%s'%s", list,
                            m->n_levers ? " (name levers separated by ',', or 'all')"
                                        : " (the scenario has no levers.csv)");
    for (int k = 1; st == NSM_OK && k < n; k++)
        for (int j = 0; st == NSM_OK && j < k; j++)
            if (specs[k] && specs[j] && strcmp(specs[k], specs[j]) == 0)
                st = nsm_diag_error(diag, NSM_ERR_USAGE, "arm '%s' is listed twice",
                                    specs[k]);
    nsm_arm *a = calloc((size_t)n + 1, sizeof *a);
    if (a)
        snprintf(a[0].name, sizeof a[0].name, "baseline");
    else if (st == NSM_OK)
        st = NSM_ERR_NOMEM;
    for (int k = 0; st == NSM_OK && k <= n; k++) {
        if (k > 0 && !specs[k - 1])
            st = NSM_ERR_NOMEM;
        else if (k > 0)
            st = parse_combination(m, specs[k - 1], &a[k], diag);
        if (st == NSM_OK)
            st = build_arm(m, &a[k], scenario, diag);
    }
    for (int k = 0; k < n; k++)
        free(specs[k]);
    free(specs);
    if (st != NSM_OK) {
        if (st == NSM_ERR_NOMEM)
            no_memory(diag);
        nsm_arms_free(a, n + 1);
        return st;
    }
    *arms = a;
    *n_arms = n + 1;
    return NSM_OK;
}

void nsm_arm_label(const nsm_model *m, const nsm_arm *arm, char *buf, size_t n)
{
    size_t len = 0;
    if (n)
        buf[0] = '\0';
    if (arm->n_levers == 0) { /* the baseline, or a whole scenario (compare A B ...) */
        snprintf(buf, n, "%s", arm->label              ? arm->label
                               : arm->name[0] && strcmp(arm->name, "baseline") != 0 ? arm->name
                                                                                     : "Baseline");
        return;
    }
    for (int k = 0; k < arm->n_levers && len < n; k++) {
        const nsm_lever *lv = &m->levers[arm->levers[k]];
        int w = snprintf(buf + len, n - len, "%s%s", k ? " + " : "",
                         nsm_label_or_name(lv->label, lv->name));
        len = w < 0 ? n : len + (size_t)w;
    }
}

/* The arm that is lever l alone, or -1. */
static int single(const nsm_arm *arms, int n_arms, int l)
{
    for (int a = 0; a < n_arms; a++)
        if (arms[a].n_levers == 1 && arms[a].levers[0] == l)
            return a;
    return -1;
}

int nsm_arms_interactions(const nsm_arm *arms, int n_arms, int (*out)[3])
{
    int n = 0;
    for (int a = 0; a < n_arms; a++) {
        if (arms[a].n_levers != 2)
            continue;
        int p = single(arms, n_arms, arms[a].levers[0]), q = single(arms, n_arms, arms[a].levers[1]);
        if (p < 0 || q < 0)
            continue;
        out[n][0] = p;
        out[n][1] = q;
        out[n][2] = a;
        n++;
    }
    return n;
}
