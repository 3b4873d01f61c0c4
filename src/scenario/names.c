/*
** names.c: names to indices (factors, levels, events, draws), and the "unknown name;
** did you mean ...?" message when a name is not found.
*/
#include <string.h>

#include "scenario/read.h"

int nsmi_find_factor(const nsm_model *m, const char *name)
{
    for (int i = 0; i < m->n_factors; i++)
        if (strcmp(m->factors[i].name, name) == 0)
            return i;
    return -1;
}

int nsmi_find_level(const nsm_factor *f, const char *name)
{
    for (int i = 0; i < f->n_levels; i++)
        if (strcmp(f->levels[i], name) == 0)
            return i;
    return -1;
}

int nsmi_find_event(const nsm_model *m, const char *name)
{
    for (int i = 0; i < m->n_events; i++)
        if (strcmp(m->events[i].name, name) == 0)
            return i;
    return -1;
}

int nsmi_find_draw(const nsm_model *m, const char *name)
{
    for (int i = 0; i < m->n_draws; i++)
        if (strcmp(m->draws[i].name, name) == 0)
            return i;
    return -1;
}

uint64_t nsmi_all_levels(int n)
{
    return n >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << n) - 1;
}

nsm_status nsmi_unknown(nsm_reader *r, const nsm_cell *c, size_t offset, const char *what,
                       const char *word, const char *hint, const char *tail)
{
    if (hint)
        return nsmi_reader_error(r, c, offset, "unknown %s '%s'; did you mean '%s'?%s", what,
                                word, hint, tail);
    return nsmi_reader_error(r, c, offset, "unknown %s '%s'%s", what, word, tail);
}

nsm_status nsmi_lookup_factor(nsm_reader *r, const nsm_cell *c, size_t offset, const char *name,
                             int *out)
{
    const nsm_model *m = r->m;
    *out = nsmi_find_factor(m, name);
    if (*out >= 0)
        return NSM_OK;
    const char *hint = m->n_factors ? nsm_suggest(name, m->factors[0].name, (size_t)m->n_factors,
                                                  sizeof m->factors[0])
                                    : NULL;
    return nsmi_unknown(r, c, offset, "factor", name, hint, " (factors are defined in factors.csv)");
}

nsm_status nsmi_lookup_level(nsm_reader *r, const nsm_cell *c, size_t offset, int factor,
                            const char *name, int *out)
{
    const nsm_factor *f = &r->m->factors[factor];
    *out = nsmi_find_level(f, name);
    if (*out >= 0)
        return NSM_OK;
    const char *hint = nsm_suggest(name, f->levels[0], (size_t)f->n_levels, sizeof f->levels[0]);
    if (hint)
        return nsmi_reader_error(r, c, offset, "unknown level '%s' of factor '%s'; did you mean "
                                "'%s'?", name, f->name, hint);
    return nsmi_reader_error(r, c, offset, "unknown level '%s' of factor '%s' (its levels are "
                            "defined in factors.csv)", name, f->name);
}

nsm_status nsmi_lookup_draw(nsm_reader *r, const nsm_cell *c, size_t offset, const char *name,
                           int *out)
{
    const nsm_model *m = r->m;
    *out = nsmi_find_draw(m, name);
    if (*out >= 0)
        return NSM_OK;
    const char *hint = m->n_draws ? nsm_suggest(name, m->draws[0].name, (size_t)m->n_draws,
                                                sizeof m->draws[0])
                                  : NULL;
    return nsmi_unknown(r, c, offset, "draw", name, hint, " (draws are defined in draws.csv)");
}

nsm_status nsmi_read_factor(nsm_reader *r, int row, const char *column, int *out)
{
    const nsm_cell *c = nsmi_reader_cell(r, row, column);
    if (!c->text[0])
        return nsmi_reader_error(r, c, 0, "missing %s: a factor of factors.csv is needed",
                                column);
    return nsmi_lookup_factor(r, c, 0, c->text, out);
}

nsm_status nsmi_read_level(nsm_reader *r, int row, const char *column, int factor, int any,
                          int *out)
{
    const nsm_cell *c = nsmi_reader_cell(r, row, column);
    *out = -1;
    if (any && strcmp(c->text, "*") == 0)
        return NSM_OK;
    if (!c->text[0])
        return nsmi_reader_error(r, c, 0, "missing %s: a level of factor '%s'%s", column,
                                r->m->factors[factor].name, any ? " or '*'" : "");
    if (strcmp(c->text, "*") == 0)
        return nsmi_reader_error(r, c, 0, "%s cannot be '*' here: name one level of factor '%s'",
                                column, r->m->factors[factor].name);
    return nsmi_lookup_level(r, c, 0, factor, c->text, out);
}
