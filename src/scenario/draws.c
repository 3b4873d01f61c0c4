/*
** draws.c: draws.csv: named categorical re-draws of a factor, as dense matrices
** prob[from * n_levels + to], with the `*` distribution copied to every level that has no rows
** of its own.
**
** A draw may have several cases (the optional `given` column: a condition on the state when the
** draw runs), one matrix each; rows with the same `given` text (spaces aside) make one case. The
** default case (empty `given`) becomes case 0 and the others follow in the order of their first
** row (model.h), so a draw without `given` is read exactly as before. A draw without a default
** must cover every state its conditions can meet: checked here by enumerating the levels of the
** factors they name.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/read.h"

/* Above this many combinations of levels, a draw without a default is refused rather than
** enumerated: the reader could not tell that its cases cover every state. */
#define MAX_COMBINATIONS (1L << 20)

typedef struct {
    int draw, from, to; /* from = -1 for `*` */
    double p;
    int cas;            /* the row's case: its order of appearance, then its index (model.h) */
} spec;

/* A case while reading: its draw, its `given` text without spaces, its condition, its first row. */
typedef struct {
    int draw;
    char key[256];
    nsm_condition cond;
    int row;
    int index;          /* its final index in the draw */
} case_spec;

typedef struct {
    spec *rows;
    int n;
    case_spec *cases;
    int n_cases;
} draws_ctx;

/* The draw called `name` of `factor`, added at the end if new. */
static nsm_status draw_named(nsm_reader *r, int row, const char *name, int factor, int *out)
{
    nsm_model *m = r->m;
    *out = nsmi_find_draw(m, name);
    if (*out >= 0 && m->draws[*out].factor != factor)
        return nsmi_reader_error(r, nsmi_reader_cell(r, row, "factor"), 0, "draw '%s' re-draws "
                                "factor '%s' in its earlier rows, not '%s'", name,
                                m->factors[m->draws[*out].factor].name,
                                m->factors[factor].name);
    if (*out >= 0)
        return NSM_OK;
    *out = m->n_draws++;
    nsm_draw *d = &m->draws[*out];
    snprintf(d->name, sizeof d->name, "%s", name);
    d->factor = factor;
    return NSM_OK;
}

/* The case of row i (new if its `given` text is new for its draw). */
static nsm_status case_of(nsm_reader *r, draws_ctx *x, int i)
{
    spec *sp = &x->rows[i];
    const nsm_cell *c = nsmi_reader_cell(r, i, "given");
    char key[256];
    size_t k = 0;
    for (const char *p = c->text; *p && k + 1 < sizeof key; p++)
        if (*p != ' ' && *p != '\t')
            key[k++] = *p;
    key[k] = '\0';
    for (int j = 0; j < x->n_cases; j++)
        if (x->cases[j].draw == sp->draw && strcmp(x->cases[j].key, key) == 0) {
            sp->cas = j;
            return NSM_OK;
        }
    case_spec *cs = &x->cases[x->n_cases];
    *cs = (case_spec){sp->draw, "", {0, 0, NULL}, i, 0};
    snprintf(cs->key, sizeof cs->key, "%s", key);
    sp->cas = x->n_cases++;
    return key[0] ? nsmi_parse_condition(r, c, &cs->cond) : NSM_OK;
}

static nsm_status check_duplicate(nsm_reader *r, const spec *rows, int i)
{
    for (int j = 0; j < i; j++)
        if (rows[j].draw == rows[i].draw && rows[j].cas == rows[i].cas &&
            rows[j].from == rows[i].from && rows[j].to == rows[i].to)
            return nsmi_reader_error(r, nsmi_reader_cell(r, i, "draw"), 0, "draw '%s' from '%s' to "
                                    "'%s' is given twice (first at line %d)" NSMI_TWICE_FIX,
                                    r->m->draws[rows[i].draw].name,
                                    nsmi_reader_cell(r, i, "from")->text,
                                    nsmi_reader_cell(r, i, "to")->text, r->t->rows[j].line);
    return NSM_OK;
}

static nsm_status read_row(nsm_reader *r, draws_ctx *x, int i)
{
    const char *name;
    int factor;
    spec *sp = &x->rows[i];
    nsm_status s = nsmi_read_name(r, i, "draw", "draw", &name);
    if (s == NSM_OK)
        s = nsmi_read_factor(r, i, "factor", &factor);
    if (s == NSM_OK)
        s = draw_named(r, i, name, factor, &sp->draw);
    /* like a lever's, a draw's label is the first one given among its rows */
    if (s == NSM_OK && !r->m->draws[sp->draw].label)
        s = nsmi_read_text(r, i, "label", &r->m->draws[sp->draw].label);
    if (s == NSM_OK)
        s = nsmi_read_level(r, i, "from", factor, 1, &sp->from);
    if (s == NSM_OK)
        s = nsmi_read_level(r, i, "to", factor, 0, &sp->to);
    if (s == NSM_OK)
        s = nsmi_read_probability(r, i, "probability", &sp->p);
    if (s == NSM_OK)
        s = case_of(r, x, i);
    if (s == NSM_OK)
        s = check_duplicate(r, x->rows, i);
    return s;
}

/* Sum of the rows of draw d, case c, from `from`; *first is the first such row, or -1. */
static double sum_from(const draws_ctx *x, int d, int c, int from, int *first)
{
    double sum = 0;
    *first = -1;
    for (int i = 0; i < x->n; i++) {
        const spec *sp = &x->rows[i];
        if (sp->draw != d || sp->cas != c || sp->from != from)
            continue;
        *first = *first < 0 ? i : *first;
        sum += sp->p;
    }
    return sum;
}

/* Every `from` of case c given sums to 1, and every level is covered by its own rows or by `*`. */
static nsm_status check_case(nsm_reader *r, const draws_ctx *x, int d, const case_spec *cs)
{
    const nsm_draw *dr = &r->m->draws[d];
    const nsm_factor *f = &r->m->factors[dr->factor];
    int first, star, c = cs->index;
    char given[300] = "";
    if (cs->key[0])
        snprintf(given, sizeof given, " given %s", cs->key);
    sum_from(x, d, c, -1, &star);
    for (int from = -1; from < f->n_levels; from++) {
        double sum = sum_from(x, d, c, from, &first);
        if (first >= 0 && fabs(sum - 1) > 1e-6) {
            char terms[600] = ""; /* each term with its line: which is wrong, the analyst knows */
            size_t len = 0;
            for (int i = 0; i < x->n && len < sizeof terms - 1; i++) {
                const spec *sp = &x->rows[i];
                if (sp->draw == d && sp->cas == c && sp->from == from)
                    len += (size_t)snprintf(terms + len, sizeof terms - len, "%sto %s %.10g (line "
                                            "%d)", len ? " + " : "", f->levels[sp->to], sp->p,
                                            nsmi_reader_cell(r, i, "probability")->line);
            }
            return nsmi_reader_error(r, nsmi_reader_cell(r, first, "probability"), 0,
                                    "the probabilities of draw '%s'%s from '%s' sum to %.10g, "
                                    "not 1: %s; change them so that they sum to 1", dr->name,
                                    given, from < 0 ? "*" : f->levels[from], sum, terms);
        }
        if (from >= 0 && first < 0 && star < 0)
            return nsmi_reader_error(r, nsmi_reader_cell(r, cs->row, "draw"), 0,
                                    "draw '%s'%s does not say where level '%s' of factor '%s' "
                                    "goes (add rows with from=%s or from=*)", dr->name, given,
                                    f->levels[from], f->name, f->levels[from]);
    }
    return NSM_OK;
}

/* "f=a & g=b": the levels of the named factors in state `level`. */
static void state_text(const nsm_model *m, const int *named, int n, const int *level, char *buf,
                       size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int k = 0; k < n && len < size; k++) {
        const nsm_factor *f = &m->factors[named[k]];
        int w = snprintf(buf + len, size - len, "%s%s=%s", k ? " & " : "", f->name,
                         f->levels[level[named[k]]]);
        len += w > 0 ? (size_t)w : 0;
    }
}

/* A draw without a default: every combination of the levels of the factors its conditions name
** must satisfy one of them, or the draw could meet a state it has no distribution for. */
static nsm_status check_cover(nsm_reader *r, int d, int first_row)
{
    const nsm_model *m = r->m;
    const nsm_draw *dr = &m->draws[d];
    int *named = calloc((size_t)m->n_factors + 1, sizeof *named);
    int *level = calloc((size_t)m->n_factors + 1, sizeof *level);
    nsm_status st = named && level ? NSM_OK : NSM_ERR_NOMEM;
    int n = 0;
    long combos = 1;
    for (int f = 0; st == NSM_OK && f < m->n_factors; f++) {
        int used = 0;
        for (int c = 0; c < dr->n_cases; c++)
            for (int q = 0; q < dr->given[c].n_clauses; q++)
                used |= dr->given[c].clauses[q].factor == f;
        if (used) {
            named[n++] = f;
            combos = combos > MAX_COMBINATIONS ? combos : combos * m->factors[f].n_levels;
        }
    }
    const nsm_cell *cell = nsmi_reader_cell(r, first_row, "given");
    if (st == NSM_OK && combos > MAX_COMBINATIONS)
        st = nsmi_reader_error(r, cell, 0, "draw '%s' has no default and its conditions name too "
                              "many combinations of levels to check that one always holds: add "
                              "rows with an empty given (the default)", m->draws[d].name);
    for (long k = 0; st == NSM_OK && k < combos; k++) {
        long rest = k;
        for (int j = 0; j < n; j++) {
            level[named[j]] = (int)(rest % m->factors[named[j]].n_levels);
            rest /= m->factors[named[j]].n_levels;
        }
        int covered = 0;
        for (int k2 = 0; !covered && k2 < dr->n_cases; k2++)
            covered = nsm_condition_holds(&dr->given[k2], level);
        if (!covered) {
            char state[512];
            state_text(m, named, n, level, state, sizeof state);
            st = nsmi_reader_error(r, cell, 0, "draw '%s' has no default (a row with an empty "
                                  "given) and none of its conditions holds when %s: add a "
                                  "default, or a case that covers it", m->draws[d].name, state);
        }
    }
    free(named);
    free(level);
    return st;
}

/* Give draw d its cases in their final order (the default first) and its matrices. */
static nsm_status build_cases(nsm_reader *r, draws_ctx *x, int d)
{
    nsm_draw *dr = &r->m->draws[d];
    int n_cases = 0, first_row = -1;
    dr->has_default = 0;
    for (int j = 0; j < x->n_cases; j++)
        if (x->cases[j].draw == d) {
            n_cases++;
            dr->has_default |= x->cases[j].key[0] == '\0';
            first_row = first_row < 0 ? x->cases[j].row : first_row;
        }
    dr->n_cases = n_cases;
    dr->given = calloc((size_t)n_cases, sizeof *dr->given);
    size_t levels = (size_t)r->m->factors[dr->factor].n_levels;
    dr->prob = calloc((size_t)n_cases * levels * levels, sizeof *dr->prob);
    if (!dr->given || !dr->prob)
        return NSM_ERR_NOMEM;
    for (int j = 0, next = dr->has_default; j < x->n_cases; j++) {
        case_spec *cs = &x->cases[j];
        if (cs->draw != d)
            continue;
        cs->index = cs->key[0] ? next++ : 0;
        dr->given[cs->index] = cs->cond; /* moved: the model owns the clauses now */
        cs->cond = (nsm_condition){0, 0, NULL};
    }
    for (int i = 0; i < x->n; i++) /* each row of d once: from its case's order to its index */
        if (x->rows[i].draw == d)
            x->rows[i].cas = x->cases[x->rows[i].cas].index;
    nsm_status st = NSM_OK;
    for (int j = 0; st == NSM_OK && j < x->n_cases; j++)
        if (x->cases[j].draw == d)
            st = check_case(r, x, d, &x->cases[j]);
    return st == NSM_OK && !dr->has_default ? check_cover(r, d, first_row) : st;
}

/* Row `from` of each case's matrix comes from the rows for that level, or else from `*`. */
static void fill(nsm_model *m, const draws_ctx *x, int d)
{
    nsm_draw *dr = &m->draws[d];
    int levels = m->factors[dr->factor].n_levels, own;
    for (int c = 0; c < dr->n_cases; c++)
        for (int from = 0; from < levels; from++) {
            sum_from(x, d, c, from, &own);
            int src = own >= 0 ? from : -1;
            double *row = dr->prob + ((size_t)c * (size_t)levels + (size_t)from) * (size_t)levels;
            for (int i = 0; i < x->n; i++)
                if (x->rows[i].draw == d && x->rows[i].cas == c && x->rows[i].from == src)
                    row[x->rows[i].to] = x->rows[i].p;
        }
}

int nsmi_draw_row_case(nsm_reader *r, int row, int d)
{
    const nsm_draw *dr = &r->m->draws[d];
    const nsm_cell *c = nsmi_reader_cell(r, row, "given");
    if (!c->text[0])
        return 0;
    nsm_condition want = {0, 0, NULL};
    int found = -1;
    if (nsmi_parse_condition(r, c, &want) == NSM_OK)
        for (int k = dr->has_default; found < 0 && k < dr->n_cases; k++) {
            found = nsmi_condition_same(&dr->given[k], &want) ? k : -1;
        }
    free(want.clauses);
    return found;
}

nsm_status nsmi_scenario_draws(nsm_reader *r)
{
    const nsm_table *t = nsmi_reader_use(r, NSM_T_DRAWS);
    if (!t)
        return NSM_OK;
    r->m->draws = calloc((size_t)t->n_rows + 1, sizeof *r->m->draws);
    draws_ctx x = {calloc((size_t)t->n_rows + 1, sizeof *x.rows), t->n_rows,
                   calloc((size_t)t->n_rows + 1, sizeof *x.cases), 0};
    nsm_status s = r->m->draws && x.rows && x.cases ? NSM_OK : NSM_ERR_NOMEM;
    for (int i = 0; s == NSM_OK && i < t->n_rows; i++)
        s = read_row(r, &x, i);
    for (int d = 0; s == NSM_OK && d < r->m->n_draws; d++)
        s = build_cases(r, &x, d);
    for (int d = 0; s == NSM_OK && d < r->m->n_draws; d++)
        fill(r->m, &x, d);
    for (int j = 0; x.cases && j < x.n_cases; j++)
        free(x.cases[j].cond.clauses);
    free(x.rows);
    free(x.cases);
    return s;
}
