/*
** levers.c: levers.csv: named changes to the scenario for `neasim compare`. Each row's
** path is resolved into the numbers it changes, and the row is tried alone on a variant of the
** model so that a value out of range is reported at its row, before anything runs. Then every
** lever, and every arm of levers that touch a common number, is tried as `compare` would run it
** with the uncertain numbers at the ends of their ranges (see "Levers on draws" below).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neasim/params.h"
#include "neasim/text.h"
#include "scenario/read.h"

static int find_lever(const nsm_model *m, const char *name)
{
    for (int i = 0; i < m->n_levers; i++)
        if (strcmp(m->levers[i].name, name) == 0)
            return i;
    return -1;
}

static nsm_status add_lever(nsm_reader *r, int row, const char *name, int *index)
{
    nsm_model *m = r->m;
    if ((*index = find_lever(m, name)) < 0) {
        *index = m->n_levers++;
        snprintf(m->levers[*index].name, NSM_NAME_MAX, "%s", name);
    }
    nsm_lever *lv = &m->levers[*index];
    /* a lever's description and label are the first given among its rows */
    nsm_status s = lv->description ? NSM_OK
                                   : nsmi_read_text(r, row, "description", &lv->description);
    if (s == NSM_OK && !lv->label)
        s = nsmi_read_text(r, row, "label", &lv->label);
    return s;
}

static nsm_status read_operation(nsm_reader *r, int row, nsm_op *op)
{
    static const char ops[2][12] = {"multiply", "set"};
    const nsm_cell *c = nsmi_reader_cell(r, row, "operation");
    for (int k = 0; k < 2; k++)
        if (strcmp(c->text, ops[k]) == 0) {
            *op = k == 0 ? NSM_OP_MULTIPLY : NSM_OP_SET;
            return NSM_OK;
        }
    return nsmi_unknown(r, c, 0, "operation", c->text, nsm_suggest(c->text, ops[0], 2, sizeof ops[0]),
                       " (the operations are multiply and set)");
}

static nsm_status read_from(nsm_reader *r, int row, nsm_lever_row *lr)
{
    lr->from_t = 0.0;
    nsm_date d;
    const nsm_cell *c;
    nsm_status st = nsmi_read_optional_date(r, row, "from_date", &d, &c);
    lr->has_from_date = c != NULL;
    if (st != NSM_OK || !c)
        return st;
    snprintf(lr->from_date, sizeof lr->from_date, "%04d-%02d-%02d", d.year, d.month, d.day);
    lr->from_t = nsmi_reader_time(r, d);
    if (lr->from_t < 0 || lr->from_t > r->m->t_end)
        return nsmi_reader_error(r, c, 0, "from_date %s is outside the horizon (%04d-%02d-%02d to "
                                "%04d-%02d-%02d)", c->text, r->start.year, r->start.month,
                                r->start.day, r->end.year, r->end.month, r->end.day);
    for (int k = 0; k < lr->n_params; k++)
        if (lr->params[k].kind == NSM_P_INITIAL)
            return nsmi_reader_error(r, c, 0, "an initial distribution cannot change later: leave "
                                    "from_date empty for a factors: target");
    return NSM_OK;
}

static int is_probability(const nsm_param *p)
{
    return p->kind == NSM_P_DRAW || p->kind == NSM_P_INITIAL || p->kind == NSM_P_EFFECT_PROBABILITY;
}

/* Apply the row alone to a variant: a value out of range is an error at the row's value; a
** probability set to 80 is likely 80%, and is answered as factors.csv answers it. */
static nsm_status try_row(nsm_reader *r, int row, const nsm_lever_row *lr)
{
    nsm_diag why;
    nsm_diag_init(&why);
    nsm_status st = nsm_param_try(r->m, lr->params, lr->n_params, lr->op, lr->value, &why);
    const nsm_cell *c = nsmi_reader_cell(r, row, "value");
    int percent = lr->op == NSM_OP_SET && lr->n_params > 0 && is_probability(&lr->params[0]) &&
                  lr->value > 1 && lr->value <= 100;
    char advice[128];
    if (st != NSM_OK && why.error) /* a refusal; out of memory comes without a message */
        st = nsmi_reader_error(r, c, 0, "lever '%s' on %s: %s%s%s", r->m->levers[lr->lever].name,
                              lr->target, why.error, percent ? ": " : "",
                              percent ? nsmi_fraction_advice(c->text, lr->value, advice,
                                                             sizeof advice) : "");
    nsm_diag_release(&why);
    return st;
}

static nsm_status read_row(nsm_reader *r, int row, nsm_lever_row *lr)
{
    const char *name;
    nsm_status st = nsmi_read_name(r, row, "lever", "lever", &name);
    if (st == NSM_OK)
        st = add_lever(r, row, name, &lr->lever);
    if (st == NSM_OK)
        st = nsmi_parse_path(r, nsmi_reader_cell(r, row, "target"), &lr->params, &lr->n_params);
    if (st == NSM_OK && !(lr->target = strdup(nsmi_reader_cell(r, row, "target")->text)))
        st = NSM_ERR_NOMEM;
    if (st == NSM_OK)
        st = read_operation(r, row, &lr->op);
    lr->value_column = nsmi_reader_cell(r, row, "value")->column;
    if (st == NSM_OK)
        st = lr->op == NSM_OP_MULTIPLY ? nsmi_read_nonnegative(r, row, "value", &lr->value)
                                       : nsmi_read_number(r, row, "value", &lr->value);
    if (st == NSM_OK)
        st = read_from(r, row, lr);
    return st == NSM_OK ? try_row(r, row, lr) : st;
}

/* ---- levers on draws ----
** A run sets the uncertain numbers to their draws and then applies the arm's levers (arms.c), so a
** lever that is valid on the means can push a drawn number out of its range, alone or after another
** lever. A lever row and a draw interact only within a *slot*: one number, or one probability row
** (an initial distribution, one `from` of a draw) whose entries are rescaled together; params.c's
** checks read and write nothing else. So each slot is tried on its own, which is exact for every
** arm whose levers touch it: with each lever that touches the slot alone, then every ordered arm of
** distinct such levers (all orders up to MAX_ORDERED levers on the slot, pairs beyond), at each
** from_date of those rows, at every combination of the ends of the draws in the slot (the two
** uniform corners beyond MAX_CORNERS draws, as scenario/uncertain.c does). The checks in params.c
** are monotone in a number, so its ends are enough; scenario/uncertain.c has already refused the
** draws that fail without any lever.
*/

#define MAX_ORDERED 5  /* 325 arms for 5 levers on one number; more levers: every pair */
#define MAX_CORNERS 12 /* 2^12 combinations of ends */

typedef struct {
    nsm_reader *r;
    nsm_model *v;         /* the variant tried on */
    nsm_param slot;       /* a number of the slot */
    int *levers, n_levers; /* the levers with a row in the slot */
    int *draws, n_draws;  /* the uncertain numbers with a number in the slot, in run order */
    int *arm, n_arm;      /* the arm being tried: levers in the order applied */
} slot_try;

static int in_slot(const nsm_param *p, const nsm_param *slot)
{
    return p->kind == slot->kind && p->a == slot->a &&
           (p->kind == NSM_P_INITIAL || p->b == slot->b);
}

static int row_in_slot(const nsm_lever_row *lr, const nsm_param *slot)
{
    for (int j = 0; j < lr->n_params; j++)
        if (in_slot(&lr->params[j], slot))
            return 1;
    return 0;
}

static int in_arm(const slot_try *s, int lever)
{
    for (int k = 0; k < s->n_arm; k++)
        if (s->arm[k] == lever)
            return 1;
    return 0;
}

/* The largest factor, to 6 significant digits rounded down, that keeps `before` at most 1. */
static double max_factor(double before)
{
    double x = 1.0 / before, scale = pow(10.0, 5.0 - floor(log10(x)));
    return floor(x * scale) / scale;
}

/* Row `bad` failed on number p (worth `before`) in the arm and at the ends being tried: refuse it
** at its value cell, with the arm, the draws, the value it gave (in why) and the fix. */
static nsm_status refuse(slot_try *s, unsigned ends, int bad, const nsm_param *p, double before,
                         const char *why)
{
    nsm_reader *r = s->r;
    const nsm_model *m = r->m;
    const nsm_lever_row *lr = &m->lever_rows[bad];
    char ctx[1024], fix[256];
    size_t len = 0, flen = 0;
    ctx[0] = fix[0] = '\0';
    if (s->n_arm > 1) {
        nsm_text_add(ctx, sizeof ctx, &len, ", applied after lever%s", s->n_arm > 2 ? "s" : "");
        for (int k = 0; k + 1 < s->n_arm; k++)
            nsm_text_add(ctx, sizeof ctx, &len, "%s '%s'", k ? "," : "", m->levers[s->arm[k]].name);
        nsm_text_add(ctx, sizeof ctx, &len, " (the arm ");
        for (int k = 0; k < s->n_arm; k++)
            nsm_text_add(ctx, sizeof ctx, &len, "%s%s", k ? "+" : "", m->levers[s->arm[k]].name);
        nsm_text_add(ctx, sizeof ctx, &len, " of compare --levers)");
    }
    for (int i = 0; i < s->n_draws && i < 3; i++) {
        const nsm_uncertain *u = &m->uncertain[s->draws[i]];
        int hi = (int)((ends >> (i < 32 ? i : 31)) & 1u);
        nsm_text_add(ctx, sizeof ctx, &len, "%s %s is drawn at %.9g (the %s end of '%s', %s:%d)",
                     i ? " and" : ", when", u->path, hi ? u->hi : u->lo, hi ? "upper" : "lower",
                     u->text, u->file, u->line);
    }
    if (s->n_draws > 3)
        nsm_text_add(ctx, sizeof ctx, &len,
                     " and %d more draws of its row are at an end of their range", s->n_draws - 3);
    if (lr->op == NSM_OP_MULTIPLY && is_probability(p) && before > 0 && before * lr->value > 1)
        nsm_text_add(fix, sizeof fix, &flen, "use a factor of at most %.6g", max_factor(before));
    else
        nsm_text_add(fix, sizeof fix, &flen, "change the value");
    if (s->n_draws)
        nsm_text_add(fix, sizeof fix, &flen, "%s narrow the distribution",
                     s->n_arm > 1 ? "," : ", or");
    if (s->n_arm > 1)
        nsm_text_add(fix, sizeof fix, &flen, ", or do not run these levers in one arm");
    r->t = &r->tables[NSM_T_LEVERS];
    return nsmi_reader_error(r, nsmi_reader_cell(r, bad, "value"), 0,
                            "lever '%s' on %s%s: %s; to fix it, %s", m->levers[lr->lever].name,
                            lr->target, ctx, why, fix);
}

/* The draws at `ends`, then the arm's rows that act at time t, on the slot's numbers only. */
static nsm_status try_ends(slot_try *s, double t, unsigned ends)
{
    const nsm_model *m = s->r->m;
    nsm_diag why;
    nsm_diag_init(&why);
    nsm_model_variant_reset(s->v, m);
    for (int i = 0; i < s->n_draws; i++) {
        const nsm_uncertain *u = &m->uncertain[s->draws[i]];
        double x = (ends >> (i < 32 ? i : 31)) & 1u ? u->hi : u->lo;
        for (int j = 0; j < u->n_params; j++)
            if (in_slot(&u->params[j], &s->slot) &&
                nsm_param_apply(s->v, &u->params[j], u->ratio ? NSM_OP_MULTIPLY : NSM_OP_SET,
                                u->ratio ? x / u->nominal : x, &why) != NSM_OK) {
                nsm_diag_release(&why);
                return NSM_OK; /* not a lever's doing: scenario/uncertain.c refuses it */
            }
    }
    for (int k = 0; k < s->n_arm; k++)
        for (int i = 0; i < m->n_lever_rows; i++) {
            const nsm_lever_row *lr = &m->lever_rows[i];
            if (lr->lever != s->arm[k] || lr->from_t > t) /* as arms.c, apply_levers */
                continue;
            for (int j = 0; j < lr->n_params; j++) {
                const nsm_param *p = &lr->params[j];
                if (!in_slot(p, &s->slot))
                    continue;
                double before = nsm_param_value(s->v, p);
                if (nsm_param_apply(s->v, p, lr->op, lr->value, &why) != NSM_OK) {
                    nsm_status st = refuse(s, ends, i, p, before, why.error);
                    nsm_diag_release(&why);
                    return st;
                }
            }
        }
    return NSM_OK;
}

/* The arm at time t, at every combination of the ends of the slot's draws. */
static nsm_status try_time(slot_try *s, double t)
{
    int n = s->n_draws;
    unsigned last = n == 0 ? 0u : n <= MAX_CORNERS ? (1u << n) - 1 : 1u;
    for (unsigned e = 0;; e++) {
        nsm_status st = try_ends(s, t, n <= MAX_CORNERS ? e : e ? ~0u : 0u);
        if (st != NSM_OK || e == last)
            return st;
    }
}

/* The arm from the start and from each from_date of its rows on the slot. */
static nsm_status try_arm(slot_try *s)
{
    const nsm_model *m = s->r->m;
    nsm_status st = try_time(s, 0.0);
    for (int i = 0; st == NSM_OK && i < m->n_lever_rows; i++) {
        const nsm_lever_row *lr = &m->lever_rows[i];
        if (lr->from_t > 0 && in_arm(s, lr->lever) && row_in_slot(lr, &s->slot))
            st = try_time(s, lr->from_t);
    }
    return st;
}

/* Every ordered arm of `len` distinct levers of the slot (shorter arms were tried before, so a
** failure is the last lever's doing). */
static nsm_status try_arms(slot_try *s, int len)
{
    if (s->n_arm == len)
        return try_arm(s);
    for (int i = 0; i < s->n_levers; i++) {
        if (in_arm(s, s->levers[i]))
            continue;
        s->arm[s->n_arm++] = s->levers[i];
        nsm_status st = try_arms(s, len);
        s->n_arm--;
        if (st != NSM_OK)
            return st;
    }
    return NSM_OK;
}

static nsm_status check_slot(slot_try *s, const nsm_param *slot)
{
    const nsm_model *m = s->r->m;
    s->slot = *slot;
    s->n_levers = s->n_draws = s->n_arm = 0;
    for (int l = 0; l < m->n_levers; l++)
        for (int i = 0; i < m->n_lever_rows; i++)
            if (m->lever_rows[i].lever == l && row_in_slot(&m->lever_rows[i], slot)) {
                s->levers[s->n_levers++] = l;
                break;
            }
    for (int k = 0; k < m->n_uncertain; k++)
        for (int j = 0; j < m->uncertain[k].n_params; j++)
            if (in_slot(&m->uncertain[k].params[j], slot)) {
                s->draws[s->n_draws++] = k;
                break;
            }
    int longest = s->n_levers <= MAX_ORDERED ? s->n_levers : 2;
    nsm_status st = NSM_OK;
    for (int len = 1; st == NSM_OK && len <= longest; len++)
        st = try_arms(s, len);
    return st;
}

/* Has number j of lever row i a slot that an earlier number of the rows already has? */
static int slot_seen(const nsm_model *m, int i, int j)
{
    const nsm_param *p = &m->lever_rows[i].params[j];
    for (int a = 0; a <= i; a++)
        for (int b = 0; b < (a == i ? j : m->lever_rows[a].n_params); b++)
            if (in_slot(&m->lever_rows[a].params[b], p))
                return 1;
    return 0;
}

static nsm_status check_slots(nsm_reader *r)
{
    const nsm_model *m = r->m;
    size_t n = (size_t)m->n_levers + (size_t)m->n_uncertain + 1;
    slot_try s = {.r = r, .v = nsm_model_variant(m), .levers = malloc(n * sizeof(int)),
                  .draws = malloc(n * sizeof(int)), .arm = malloc(n * sizeof(int))};
    nsm_status st = s.v && s.levers && s.draws && s.arm ? NSM_OK : NSM_ERR_NOMEM;
    for (int i = 0; st == NSM_OK && i < m->n_lever_rows; i++)
        for (int j = 0; st == NSM_OK && j < m->lever_rows[i].n_params; j++)
            if (!slot_seen(m, i, j))
                st = check_slot(&s, &m->lever_rows[i].params[j]);
    if (s.v)
        nsm_model_free(s.v);
    free(s.levers);
    free(s.draws);
    free(s.arm);
    return st;
}

/* Row i against the rows before it: one lever changing one target twice from the same date is a
** slip (the second row compounds a multiply or silently replaces the first), and a variant could
** not name either row alone (its key is lever and target). Two rows with different from_dates are
** a lever in steps, and allowed. */
static nsm_status check_twice(nsm_reader *r, int i)
{
    const nsm_lever_row *rows = r->m->lever_rows, *lr = &rows[i];
    for (int j = 0; j < i; j++)
        if (rows[j].lever == lr->lever && strcmp(rows[j].target, lr->target) == 0 &&
            rows[j].has_from_date == lr->has_from_date &&
            (!lr->has_from_date || strcmp(rows[j].from_date, lr->from_date) == 0))
            return nsmi_reader_error(r, nsmi_reader_cell(r, i, "target"), 0, "lever '%s' changes "
                                    "%s twice%s%s (first at line %d)" NSMI_TWICE_FIX " (two "
                                    "multiplies make one by their product; a set replaces what "
                                    "came before it)", r->m->levers[lr->lever].name, lr->target,
                                    lr->has_from_date ? " from " : "",
                                    lr->has_from_date ? lr->from_date : "", rows[j].line);
    return NSM_OK;
}

nsm_status nsmi_scenario_levers(nsm_reader *r)
{
    const nsm_table *t = nsmi_reader_use(r, NSM_T_LEVERS);
    if (!t)
        return NSM_OK;
    nsm_model *m = r->m;
    m->levers = calloc((size_t)t->n_rows + 1, sizeof *m->levers);
    m->lever_rows = calloc((size_t)t->n_rows + 1, sizeof *m->lever_rows);
    if (!m->levers || !m->lever_rows)
        return NSM_ERR_NOMEM;
    for (int i = 0; i < t->n_rows; i++) {
        nsm_lever_row *lr = &m->lever_rows[m->n_lever_rows++];
        lr->line = t->rows[i].line;
        nsm_status st = read_row(r, i, lr);
        if (st == NSM_OK)
            st = check_twice(r, i);
        if (st != NSM_OK)
            return st;
    }
    return check_slots(r);
}
