/*
** places.h: where in a variant the numbers of a parameter path live (params.c), for arms.c's
** redraws (nsm_arm_redraw): a replication restores and writes again only the places that its
** draws and its arm write. Private to model/.
*/
#ifndef NEASIM_MODEL_PLACES_H
#define NEASIM_MODEL_PLACES_H

#include <math.h>
#include <stddef.h>

#include "neasim/model.h"
#include "neasim/status.h"

/* The arrays of numbers a variant owns (nsm_model_variant). */
enum { NSMI_A_TRANSITIONS, NSMI_A_EVENTS, NSMI_A_MODIFIERS, NSMI_A_EFFECTS, NSMI_A_SEASONALITY,
       NSMI_A_INITIAL, NSMI_A_DRAW };

/* Bytes [off, off + len) of one array (of factor or draw `which` for INITIAL and DRAW). A place
** is everything that writing the number reads or may change: a whole probability row (it is
** rescaled), a whole duration (its parameters are checked together). */
typedef struct {
    int array, which;
    size_t off, len;
} nsmi_place;

/* The places of p in m: up to max written to out (NULL when max is 0); the count is returned (one a modifier, for a
** modifiers.csv row expanded into several, otherwise 1). */
int nsmi_param_places(const nsm_model *m, const nsm_param *p, nsmi_place *out, int max);
/* The first byte of a place in m (a variant of the model the place was found in, or that model).
** Inline: a replication's redraw finds a few hundred places in each of its arms' models. */
static inline const char *nsmi_place_at(const nsm_model *m, const nsmi_place *pl)
{
    const void *base = NULL;
    switch (pl->array) {
    case NSMI_A_TRANSITIONS: base = m->transitions; break;
    case NSMI_A_EVENTS: base = m->events; break;
    case NSMI_A_MODIFIERS: base = m->modifiers; break;
    case NSMI_A_EFFECTS: base = m->effects; break;
    case NSMI_A_SEASONALITY: base = m->seasonality; break;
    case NSMI_A_INITIAL: base = m->factors[pl->which].initial; break;
    case NSMI_A_DRAW: base = m->draws[pl->which].prob; break;
    }
    return (const char *)base + pl->off;
}
int nsmi_places_overlap(const nsmi_place *x, const nsmi_place *y);
/* Modifier j's multiplier set to v or multiplied by it: nsm_param_apply's rule for one of the
** modifiers of a NSM_P_MODIFIER path, without the search for them. */
nsm_status nsmi_modifier_apply(nsm_model *m, int j, nsm_op op, double v, nsm_diag *d);
/* Transition k's rate from v in its row's unit (NSM_OP_SET) or multiplied by v: nsm_param_apply's
** rule for a NSM_P_TRANSITION path, without the dispatch on the path's kind. */
nsm_status nsmi_transition_apply(nsm_model *m, int k, nsm_op op, double v, nsm_diag *d);
/* The rule itself, for a rate `old` of a row in `unit`: the new rate into *rate, and 1 when it is
** valid (nsmi_transition_apply writes it), 0 when not (nsmi_transition_apply fails, saying why).
** Inline: a redraw writes some 50 drawn transitions a replication in place (arms.c). */
static inline int nsmi_transition_rate(nsm_unit unit, nsm_op op, double old, double v, double *rate)
{
    *rate = old * v;
    if (op == NSM_OP_SET) {
        switch (unit) {
        case NSM_UNIT_ANNUAL_PROBABILITY:
            if (!(v >= 0 && v < 1))
                return 0;
            *rate = -log1p(-v);
            break;
        case NSM_UNIT_MEAN_YEARS:
            if (!(v > 0))
                return 0;
            *rate = 1.0 / v;
            break;
        case NSM_UNIT_RATE_PER_YEAR: *rate = v; break;
        }
    }
    return *rate >= 0 && isfinite(*rate);
}

#endif
