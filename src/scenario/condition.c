/*
** condition.c: the small languages inside cells: conditions (`war=hot & regime!=a|b`), targets and
** triggers (`factor:from>to` with `*`, or a counted event) and actions (`factor=level`,
** `draw:name`).
**
** Each parser works on a copy of the cell's text cut in place with NULs; a token's offset in that
** copy is its offset in the cell, so errors put the caret under the token itself.
*/
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "neasim/text.h"
#include "scenario/read.h"

/* Cut the spaces around s; returns the new start. */
static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        *--e = '\0';
    return s;
}

static size_t at(const char *buf, const char *p)
{
    return (size_t)(p - buf);
}

/* ---- conditions ---- */

static int is_name_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_';
}

/* A word of another condition language ("and", "OR", "not") at p, whose length is n: the way to
** say it here, or NULL. Only a word followed by spaces and then a name is one: names are never
** adjacent in a condition, so that is always an error, and a level called `not` or `or` (f=or)
** is left alone. */
static const char *foreign_word(const char *p, size_t n)
{
    static const char *const words[][2] = {
        {"and", "join clauses with '&' (f=a & g=b)"},
        {"or", "join levels of one factor with '|' (f=a|b), and conditions on different factors "
               "with ' | ' (f=a | g=b)"},
        {"not", "write factor!=level for every level but those named (f!=a)"},
    };
    const char *q = p + n;
    while (*q == ' ' || *q == '\t')
        q++;
    if (q == p + n || !is_name_char(*q))
        return NULL;
    for (size_t k = 0; k < sizeof words / sizeof words[0]; k++)
        if (strlen(words[k][0]) == n && strncasecmp(p, words[k][0], n) == 0)
            return words[k][1];
    return NULL;
}

/* Pieces of other condition languages that the parser below would read as part of a name, and
** report as an unknown level or factor ("unknown level 'none and council=growth'"), said as they
** are, with the way to write them here. */
static nsm_status check_foreign(nsm_reader *r, const nsm_cell *c)
{
    const char *t = c->text;
    for (const char *p = t; *p; p++) {
        if (*p == '(' || *p == ')')
            return nsmi_reader_error(r, c, at(t, p), "conditions have no parentheses, and '&' "
                                    "binds tighter than '|': write (f=a | g=b) & h=c as f=a & h=c "
                                    "| g=b & h=c");
        if ((*p == '&' || *p == '|') && p[1] == *p)
            return nsmi_reader_error(r, c, at(t, p), "write one '%c', not '%c%c' (clauses are "
                                    "joined by '&', levels and terms by '|')", *p, *p, *p);
        if (*p == ',' || *p == ';')
            return nsmi_reader_error(r, c, at(t, p), "'%c' does not join anything in a condition: "
                                    "join levels of one factor with '|' (f=a|b) and clauses with "
                                    "'&' (f=a & g=b)", *p);
        if (is_name_char(*p) && (p == t || !is_name_char(p[-1]))) {
            size_t n = 1;
            while (is_name_char(p[n]))
                n++;
            const char *how = foreign_word(p, n);
            if (how)
                return nsmi_reader_error(r, c, at(t, p), "'%.*s' is not a word of conditions: %s",
                                        (int)n, p, how);
            p += n - 1;
        }
    }
    return NSM_OK;
}

/* The levels of `level_a|level_b` as a mask. A piece with '=' was cut off as a term of its own
** (mark_terms), so every piece here is a level name. */
static nsm_status parse_levels(nsm_reader *r, const nsm_cell *c, const char *buf, char *s,
                               int factor, uint64_t *mask)
{
    *mask = 0;
    for (char *next = s; next;) {
        char *p = strsep(&next, "|");
        char *name = trim(p);
        int level;
        if (!*name)
            return nsmi_reader_error(r, c, at(buf, name), "missing level name in condition '%s'",
                                    c->text);
        const nsm_factor *f = &r->m->factors[factor];
        if (strcmp(name, "*") == 0) /* '*' is for targets and triggers */
            return nsmi_reader_error(r, c, at(buf, name), "'*' is not a level: a clause that "
                                    "allows every level of %s says nothing, so leave it out",
                                    f->name);
        if (nsmi_find_level(f, name) < 0 && nsmi_find_factor(r->m, name) >= 0) /* f=a|g */
            return nsmi_reader_error(r, c, at(buf, name), "'%s' is a factor, not a level of %s: "
                                    "'|' followed by a level joins levels of one factor (%s=a|b), "
                                    "followed by a clause it says 'or' across factors (%s=a | "
                                    "%s=level)", name, f->name, f->name, f->name, name);
        nsm_status st = nsmi_lookup_level(r, c, at(buf, name), factor, name, &level);
        if (st != NSM_OK)
            return st;
        *mask |= (uint64_t)1 << level;
    }
    return NSM_OK;
}

static nsm_status parse_clause(nsm_reader *r, const nsm_cell *c, const char *buf, char *s,
                               nsm_clause *out)
{
    s = trim(s);
    if (!*s)
        return nsmi_reader_error(r, c, at(buf, s), "empty clause in condition '%s' (clauses are "
                                "joined by '&')", c->text);
    char *eq = strchr(s, '=');
    if (!eq)
        return nsmi_reader_error(r, c, at(buf, s), "clause '%s' has no '=' (write factor=level, "
                                "factor!=level or factor=level_a|level_b)", s);
    if (eq[1] == '=') /* f==a, as in a programming language */
        return nsmi_reader_error(r, c, at(buf, eq), "write one '=' in a condition (factor=level), "
                                "not '=='");
    int negate = eq > s && eq[-1] == '!';
    *(negate ? eq - 1 : eq) = '\0';
    char *name = trim(s);
    if (!*name)
        return nsmi_reader_error(r, c, at(buf, name), "missing factor name before '='");
    if (*name == '!') /* not a negation of the clause: that is f!=a */
        return nsmi_reader_error(r, c, at(buf, name), "'!' goes before the '=': write %s!=level "
                                "for every level but those named", name + 1);
    if (nsmi_find_factor(r->m, name) < 0 && nsmi_find_event(r->m, name) >= 0)
        return nsmi_reader_error(r, c, at(buf, name), "'%s' is a counted event, not a factor: a "
                                "condition asks which level a factor is in (factor=level); to "
                                "act when it occurs, make it the trigger of a row of effects.csv",
                                name);
    nsm_status st = nsmi_lookup_factor(r, c, at(buf, name), name, &out->factor);
    if (st == NSM_OK)
        st = parse_levels(r, c, buf, eq + 1, out->factor, &out->mask);
    out->negated = (unsigned char)negate;
    if (st == NSM_OK && negate)
        out->mask = ~out->mask & nsmi_all_levels(r->m->factors[out->factor].n_levels);
    if (st == NSM_OK && !out->mask)
        st = nsmi_reader_error(r, c, at(buf, name), "'%s!=...' names every level of %s, so the "
                               "condition can never hold", name, name);
    return st;
}

/* Clauses on one factor within a term must leave a level that satisfies them all: `f=a & f=b`
** never holds (a typo for f=a|b), and a row, or a term of it, that never applies is a mistake the
** run would not show. */
static nsm_status check_satisfiable(nsm_reader *r, const nsm_cell *c, const nsm_condition *cond,
                                    const size_t *offset)
{
    char term[32] = "";
    for (int i = 0, first = 0, t = 1; i < cond->n_clauses; i++) {
        if (cond->clauses[i].starts_term) {
            first = i;
            t++;
        }
        if (cond->n_terms > 1) /* clauses numbered within their term */
            snprintf(term, sizeof term, " of term %d", t);
        for (int j = first; j < i; j++) {
            const nsm_clause *a = &cond->clauses[j], *b = &cond->clauses[i];
            if (a->factor == b->factor && !(a->mask & b->mask))
                return nsmi_reader_error(r, c, offset[i], "clauses %d and %d%s on %s leave no "
                                        "level of it, so the %s can never hold (to mean either, "
                                        "write %s=a|b)", j - first + 1, i - first + 1, term,
                                        r->m->factors[a->factor].name,
                                        cond->n_terms > 1 ? "term" : "condition",
                                        r->m->factors[a->factor].name);
        }
    }
    return NSM_OK;
}

/* The cross-factor '|'s of buf, those followed by a clause (a piece up to the next '&', '|' or
** the end that has an '='), cut to NULs; their count returned. A '|' followed by a bare level name
** joins levels of one clause, as it always has, so every condition without an '=' after a '|'
** keeps its meaning; and since '&' ends the piece, '&' binds tighter than the cross-factor '|'. */
static int mark_terms(char *buf)
{
    int n = 0;
    for (char *p = buf; (p = strchr(p, '|')) != NULL; p++) {
        size_t len = strcspn(p + 1, "&|");
        if (memchr(p + 1, '=', len)) {
            *p = '\0';
            n++;
        }
    }
    return n;
}

/* The clauses of one term, s (cut from the next term by a NUL), appended to out's. */
static nsm_status parse_term(nsm_reader *r, const nsm_cell *c, const char *buf, char *s,
                             nsm_condition *out, size_t *offset)
{
    if (!*trim(s))
        return nsmi_reader_error(r, c, at(buf, trim(s)), "empty term in condition '%s' (a '|' "
                                "followed by factor=level begins another term: write a clause "
                                "on each side of it)", c->text);
    nsm_status st = NSM_OK;
    int first = out->n_clauses;
    for (char *next = s; st == NSM_OK && next;) {
        char *clause = strsep(&next, "&");
        offset[out->n_clauses] = at(buf, trim(clause));
        nsm_clause *cl = &out->clauses[out->n_clauses];
        st = parse_clause(r, c, buf, clause, cl);
        cl->starts_term = (unsigned char)(out->n_clauses == first && first > 0);
        out->n_clauses++;
    }
    return st;
}

nsm_status nsmi_parse_condition(nsm_reader *r, const nsm_cell *c, nsm_condition *out)
{
    *out = (nsm_condition){0, 0, NULL};
    if (!c->text[0])
        return nsmi_reader_error(r, c, 0, "missing condition (write factor=level; join clauses "
                                "with '&')");
    nsm_status foreign = check_foreign(r, c);
    if (foreign != NSM_OK)
        return foreign;
    size_t n = 1, len = strlen(c->text);
    for (const char *p = c->text; *p; p++)
        n += *p == '&' || *p == '|';
    char *buf = strdup(c->text);
    out->clauses = calloc(n, sizeof *out->clauses);
    size_t *offset = calloc(n, sizeof *offset);
    nsm_status st = buf && out->clauses && offset ? NSM_OK : NSM_ERR_NOMEM;
    out->n_terms = st == NSM_OK ? 1 + mark_terms(buf) : 0;
    /* the terms lie one after another in buf, each ended by its NUL (found before parse_term cuts
    ** the term itself) */
    for (char *term = buf, *next = NULL; st == NSM_OK && term <= buf + len; term = next) {
        next = term + strlen(term) + 1;
        st = parse_term(r, c, buf, term, out, offset);
    }
    if (st == NSM_OK)
        st = check_satisfiable(r, c, out, offset);
    free(offset);
    free(buf);
    if (st != NSM_OK) {
        free(out->clauses);
        *out = (nsm_condition){0, 0, NULL};
    }
    return st;
}

/* The levels of mask, "a", "a or c", "a, b or c", into buf. */
void nsmi_levels_text(const nsm_factor *f, uint64_t mask, char *buf, size_t n)
{
    size_t len = 0;
    int left = 0;
    buf[0] = '\0';
    for (int l = 0; l < f->n_levels; l++)
        left += (int)((mask >> l) & 1u);
    for (int l = 0; l < f->n_levels; l++)
        if ((mask >> l) & 1u) {
            left--;
            nsm_text_add(buf, n, &len, "%s%s", f->levels[l], left > 1 ? ", " : left ? " or " : "");
        }
}

/* The levels of factor f at which cond can hold, in *allowed: those every clause on f of some
** term accepts, a term without a clause on f accepting them all. Returns whether every term names
** f (else every level is allowed, and there is nothing to warn about). */
int nsmi_condition_levels(const nsm_condition *cond, int f, uint64_t *allowed)
{
    uint64_t term = ~(uint64_t)0;
    int on_factor = 1, named = 0; /* every term so far names f; this one does */
    *allowed = 0;
    for (int i = 0; i <= cond->n_clauses; i++) {
        if (i == cond->n_clauses || (i > 0 && cond->clauses[i].starts_term)) {
            *allowed |= term;
            on_factor = on_factor && named;
            term = ~(uint64_t)0;
            named = 0;
        }
        if (i < cond->n_clauses && cond->clauses[i].factor == f) {
            term &= cond->clauses[i].mask;
            named = 1;
        }
    }
    return on_factor && cond->n_clauses > 0;
}

void nsmi_warn_action_idle(nsm_reader *r, const nsm_cell *c, const char *column,
                           const nsm_condition *cond, const nsm_action *a)
{
    uint64_t allowed = 0;
    if (a->kind != NSM_ACT_SET || !nsmi_condition_levels(cond, a->factor, &allowed))
        return;
    const nsm_factor *f = &r->m->factors[a->factor];
    uint64_t all = f->n_levels >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << f->n_levels) - 1;
    if ((allowed & all) != (uint64_t)1 << a->level)
        return;
    nsm_table_warn(r->t, c, r->d, "the action %s=%s runs only when '%s' holds, that is when %s is "
                   "already %s, so this row changes nothing: in `%s`, write the level %s should "
                   "leave (%s!=%s, or the level before), or correct the action", f->name,
                   f->levels[a->level], c->text, f->name, f->levels[a->level], column, f->name,
                   f->name, f->levels[a->level]);
}

int nsmi_condition_same(const nsm_condition *a, const nsm_condition *b)
{
    int same = a->n_clauses == b->n_clauses;
    for (int q = 0; same && q < a->n_clauses; q++)
        same = a->clauses[q].factor == b->clauses[q].factor &&
               a->clauses[q].mask == b->clauses[q].mask &&
               a->clauses[q].starts_term == b->clauses[q].starts_term;
    return same;
}

/* ---- targets and triggers ---- */

/* A side of `from>to`: a level, or `*` for all of them. */
static nsm_status parse_side(nsm_reader *r, const nsm_cell *c, const char *buf, char *s,
                             int factor, uint64_t *mask, int *level)
{
    s = trim(s);
    *level = -1;
    if (strcmp(s, "*") == 0) {
        *mask = nsmi_all_levels(r->m->factors[factor].n_levels);
        return NSM_OK;
    }
    if (!*s)
        return nsmi_reader_error(r, c, at(buf, s), "missing level in '%s' (write "
                                "factor:from>to; either side may be '*')", c->text);
    if (strchr(s, '|')) /* a list, as in a condition, or two targets in one cell */
        return nsmi_reader_error(r, c, at(buf, s), "'%s' is not one level: a change has one "
                                "level or '*' on each side (factor:from>to); write one row for "
                                "each change", s);
    nsm_status st = nsmi_lookup_level(r, c, at(buf, s), factor, s, level);
    *mask = st == NSM_OK ? (uint64_t)1 << *level : 0;
    return st;
}

/* `factor:from>to`, in buf (a copy of the cell) whose ':' is at colon. */
static nsm_status parse_change(nsm_reader *r, const nsm_cell *c, char *buf, char *colon,
                               nsm_target *out)
{
    *colon = '\0';
    char *arrow = strchr(colon + 1, '>');
    if (!arrow)
        return nsmi_reader_error(r, c, at(buf, colon + 1), "'%s' has no '>': a change is "
                                "written factor:from>to (either side may be '*')", c->text);
    *arrow = '\0';
    char *name = trim(buf);
    int from, to;
    nsm_status st = nsmi_lookup_factor(r, c, at(buf, name), name, &out->factor);
    if (st == NSM_OK)
        st = parse_side(r, c, buf, colon + 1, out->factor, &out->from, &from);
    if (st == NSM_OK)
        st = parse_side(r, c, buf, arrow + 1, out->factor, &out->to, &to);
    if (st == NSM_OK && from >= 0 && from == to)
        return nsmi_reader_error(r, c, 0, "'%s' is not a change: from and to are the same level",
                                c->text);
    return st;
}

/* The counted event nearest to an unknown name, for "did you mean"; NULL if none is near. */
static const char *event_hint(const nsm_model *m, const char *name)
{
    return m->n_events ? nsm_suggest(name, m->events[0].name, (size_t)m->n_events,
                                     sizeof m->events[0])
                       : NULL;
}

static nsm_status parse_event(nsm_reader *r, const nsm_cell *c, char *buf, nsm_target *out)
{
    const nsm_model *m = r->m;
    char *name = trim(buf);
    out->event = nsmi_find_event(m, name);
    if (out->event >= 0)
        return NSM_OK;
    if (nsmi_find_factor(m, name) >= 0)
        return nsmi_reader_error(r, c, at(buf, name), "'%s' is a factor: write a change of it as "
                                "%s:from>to (either side may be '*')", name, name);
    char *eq = strchr(name, '=');
    if (eq) { /* f=b, as in a condition: the change into b */
        *eq = '\0';
        char *factor = trim(name), *level = trim(eq + 1);
        if (nsmi_find_factor(m, factor) >= 0)
            return nsmi_reader_error(r, c, at(buf, factor), "a change is written factor:from>to: "
                                    "write %s:*>%s for a change of %s into %s", factor, level,
                                    factor, level);
        *eq = '=';
    }
    return nsmi_unknown(r, c, at(buf, name), "event", name, event_hint(m, name),
                       " (a counted event of events.csv, or a change factor:from>to)");
}

nsm_status nsmi_parse_target(nsm_reader *r, const nsm_cell *c, nsm_target *out)
{
    *out = (nsm_target){-1, -1, 0, 0};
    if (!c->text[0])
        return nsmi_reader_error(r, c, 0, "missing target: a counted event or a change "
                                "factor:from>to");
    char *buf = strdup(c->text);
    if (!buf)
        return NSM_ERR_NOMEM;
    char *colon = strchr(buf, ':');
    nsm_status st = colon ? parse_change(r, c, buf, colon, out) : parse_event(r, c, buf, out);
    free(buf);
    return st;
}

int nsmi_target_matches(const nsm_model *m, const nsm_target *tg, int p)
{
    if (p >= m->n_transitions)
        return tg->event == p - m->n_transitions;
    const nsm_transition *tr = &m->transitions[p];
    return tg->event < 0 && tr->factor == tg->factor && (tg->from >> tr->from & 1) &&
           (tg->to >> tr->to & 1);
}

void nsmi_transitions_of(const nsm_model *m, int factor, char *buf, size_t n)
{
    enum { SHOWN = 6 }; /* enough to spot the one meant; check lists them all */
    const nsm_factor *f = &m->factors[factor];
    int total = 0;
    size_t len = 0;
    buf[0] = '\0';
    for (int k = 0; k < m->n_transitions; k++)
        total += m->transitions[k].factor == factor;
    if (total == 0) {
        nsm_text_add(buf, n, &len, "; %s has no transition in transitions.csv", f->name);
        return;
    }
    nsm_text_add(buf, n, &len, "; the transition%s of %s %s ", total == 1 ? "" : "s", f->name,
                 total == 1 ? "is" : "are");
    for (int k = 0, i = 0; k < m->n_transitions && i < SHOWN; k++) {
        const nsm_transition *t = &m->transitions[k];
        if (t->factor != factor)
            continue;
        i++;
        const char *sep = i == 1 ? "" : i == total ? " and " : ", ";
        nsm_text_add(buf, n, &len, "%s%s:%s>%s", sep, f->name, f->levels[t->from],
                     f->levels[t->to]);
    }
    if (total > SHOWN)
        nsm_text_add(buf, n, &len, " and %d more (neasim check lists them)", total - SHOWN);
}

/* ---- actions ---- */

static nsm_status parse_draw_action(nsm_reader *r, const nsm_cell *c, char *buf, nsm_action *out)
{
    char *name = trim(buf + strlen("draw:"));
    out->kind = NSM_ACT_DRAW;
    nsm_status st = nsmi_lookup_draw(r, c, at(buf, name), name, &out->draw);
    if (st == NSM_OK)
        out->factor = r->m->draws[out->draw].factor;
    return st;
}

/* An action written with the wrong prefix: a bare event or draw name (`nuclear_tests`), or
** `event=NAME` / `draw=NAME`. The text the analyst meant, or NULL. */
static const char *action_hint(const nsm_model *m, const char *name, const char *kind)
{
    if ((!kind || strcmp(kind, "event") == 0) && nsmi_find_event(m, name) >= 0)
        return "event:";
    if ((!kind || strcmp(kind, "draw") == 0) && nsmi_find_draw(m, name) >= 0)
        return "draw:";
    return NULL;
}

static nsm_status parse_set_action(nsm_reader *r, const nsm_cell *c, char *buf, nsm_action *out)
{
    char *eq = strchr(buf, '=');
    const char *hint = eq ? NULL : action_hint(r->m, trim(buf), NULL);
    if (hint)
        return nsmi_reader_error(r, c, 0, "action '%s' names a %s without its prefix: write "
                                "'%s%s'", c->text, *hint == 'e' ? "counted event" : "draw",
                                hint, trim(buf));
    char *colon = eq ? NULL : strchr(buf, ':');
    if (colon) { /* f:b or f:a>b, as in a target: the level it sets is the last one written */
        *colon = '\0';
        const char *level = strrchr(colon + 1, '>') ? strrchr(colon + 1, '>') + 1 : colon + 1;
        if (nsmi_find_factor(r->m, trim(buf)) >= 0)
            return nsmi_reader_error(r, c, 0, "action '%s': an action sets a level with '=': "
                                    "write '%s=%s'", c->text, trim(buf), level);
    }
    if (!eq)
        return nsmi_reader_error(r, c, 0, "action '%s' is not factor=level, draw:name or "
                                "event:name", c->text);
    if (eq > buf && eq[-1] == '!')
        return nsmi_reader_error(r, c, at(buf, eq - 1), "an action sets a level: write "
                                "factor=level, not '!='");
    *eq = '\0';
    char *name = trim(buf), *level = trim(eq + 1);
    hint = nsmi_find_factor(r->m, name) < 0 ? action_hint(r->m, level, name) : NULL;
    if (hint)
        return nsmi_reader_error(r, c, 0, "action '%s': write '%s%s' (a colon, not '=')", c->text,
                                hint, level);
    out->kind = NSM_ACT_SET;
    nsm_status st = nsmi_lookup_factor(r, c, at(buf, name), name, &out->factor);
    if (st == NSM_OK && strchr(level, '|'))
        return nsmi_reader_error(r, c, at(buf, level), "an action sets one level, not '%s'",
                                level);
    if (st == NSM_OK)
        st = nsmi_lookup_level(r, c, at(buf, level), out->factor, level, &out->level);
    return st;
}

/* `event:NAME`: one occurrence of a counted event. */
static nsm_status parse_event_action(nsm_reader *r, const nsm_cell *c, char *buf, nsm_action *out)
{
    const nsm_model *m = r->m;
    char *name = trim(buf + strlen("event:"));
    out->kind = NSM_ACT_EVENT;
    out->event = nsmi_find_event(m, name);
    if (out->event >= 0)
        return NSM_OK;
    if (!*name)
        return nsmi_reader_error(r, c, at(buf, name), "missing event name after 'event:'");
    return nsmi_unknown(r, c, at(buf, name), "counted event", name, event_hint(m, name),
                       " (event: names a counted event of events.csv)");
}

nsm_status nsmi_parse_action(nsm_reader *r, const nsm_cell *c, nsm_action *out)
{
    *out = (nsm_action){NSM_ACT_SET, -1, -1, -1, -1};
    if (!c->text[0])
        return nsmi_reader_error(r, c, 0, "missing action: factor=level, draw:name or event:name");
    char *buf = strdup(c->text);
    if (!buf)
        return NSM_ERR_NOMEM;
    int is_draw = strncmp(buf, "draw:", strlen("draw:")) == 0;
    int is_event = strncmp(buf, "event:", strlen("event:")) == 0;
    nsm_status st = is_draw    ? parse_draw_action(r, c, buf, out)
                    : is_event ? parse_event_action(r, c, buf, out)
                               : parse_set_action(r, c, buf, out);
    free(buf);
    return st;
}
