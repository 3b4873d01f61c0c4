/*
** params.h: the numbers of a model by their parameter paths, and variants of a model that differ
** from it only in numbers (levers, sweep points).
**
** A path (scenarios/README.md, "Parameter paths") names one or more numbers; the reader resolves
** it into nsm_param values (model.h). nsm_param_apply changes one number of a variant with the
** semantics of levers.csv: `multiply` scales a hazard or a number, `set` writes a value in the unit
** of its row; probabilities of a draw row or an initial distribution are rescaled to sum to 1.
*/
#ifndef NEASIM_PARAMS_H
#define NEASIM_PARAMS_H

#include <stddef.h>

#include "neasim/model.h"
#include "neasim/status.h"

/* A copy of `base` that shares its names, conditions, calendar and report grid and owns copies of
** every number a path can name. Free it with nsm_model_free (before base). NULL if out of memory. */
nsm_model *nsm_model_variant(const nsm_model *base);

/* Copy every number of base into variant v (a variant of base), undoing any change. */
void nsm_model_variant_reset(nsm_model *v, const nsm_model *base);

/* The number as a path shows it: a transition's value in its row's unit, an effect's delay in
** days, otherwise the number itself. */
double nsm_param_value(const nsm_model *m, const nsm_param *p);

/* Change one number of a variant. NSM_OK, or NSM_ERR_INPUT with the reason in d and no position
** (a value out of its range, a probability row that cannot be rescaled): the caller knows the
** cell and says where. */
nsm_status nsm_param_apply(nsm_model *m, const nsm_param *p, nsm_op op, double v, nsm_diag *d);

/* Whether op with value v is in range for every number that the n parameters p[0..n-1] name, as
** nsm_param_apply would change them one after another: tried on a variant of m that is freed
** before returning (m is unchanged). NSM_OK; the first refusal, NSM_ERR_INPUT with its reason in
** d (no position); or NSM_ERR_NOMEM with nothing in d. For checks of a value before any run. */
nsm_status nsm_param_try(const nsm_model *m, const nsm_param *p, int n, nsm_op op, double v,
                         nsm_diag *d);

/* The name of parameter j of a duration of kind `kind` (an nsm_dist_kind) in its path
** `durations:F:A>B:NAME`: fixed: value; uniform: low, high; gamma and weibull: shape, scale;
** lognormal: mu, sigma. NULL for no such parameter. */
const char *nsm_duration_param_name(int kind, int j);

/* The name of hazard process k: "factor:from>to" for a transition, the event's name otherwise. */
void nsm_process_name(const nsm_model *m, int k, char *buf, size_t n);

/* A condition as written ("f=a|b & g=x"). */
void nsm_condition_format(const nsm_model *m, const nsm_condition *c, char *buf, size_t n);
/* An action as written ("f=a", "draw:name", "event:name"). */
void nsm_action_format(const nsm_model *m, const nsm_action *a, char *buf, size_t n);

/* What sets off effect e, in words: its counted event's name ("launch_days"), or the change of a
** factor its trigger matches: "a change of f from a to b", "a change of f to b" (from any level,
** `f:*>b`), "a change of f from a" (to any level, `f:a>*`), "any change of f" (`f:*>*`). */
void nsm_trigger_format(const nsm_model *m, const nsm_effect *e, char *buf, size_t n);

/* A label for slides: what the number means in the scenario's terms, not just its path. When
** the scenario gives any label (nsm_model_has_labels), a phrase built from the labels (names
** where it gives none): a modifier row's own `label`, else "Multiplier on USFK posture: current
** → reduced while US alliance posture is transactional"; "Chance that F starts L"; "E: rate
** per year". Without labels, model syntax ("multiplier on h:off>on while f=b",
** "effect 3: on f:a>b -> h=on, probability", "transition f:a>b"). */
void nsm_param_label(const nsm_model *m, const nsm_param *p, char *buf, size_t n);

/* The canonical path of one number ("transitions:f:a>b"), for outputs. */
void nsm_param_path(const nsm_model *m, const nsm_param *p, char *buf, size_t n);

/* The canonical text of a set of calendar months (bit m - 1 of mask for month m), as the month
** cell of seasonality.csv and the path seasonality:TARGET:MONTHS write it: runs in calendar
** order, a run of one month as "3", of more as "3-4", joined by '|' ("3-4|8"). A single month's
** text is its number, so a one-month row keeps the path it always had. "" for no month. */
void nsm_months_format(unsigned mask, char *buf, size_t n);

/* The label of the n numbers that one parameter sets (a row of the scenario, a path): that of
** the first (nsm_param_label), but for a seasonal row of several months, its months in the form
** of nsm_months_format ("seasonality:h:3-4|8", or with labels "...: seasonal multiplier, months
** 3-4, 8"). */
void nsm_params_label(const nsm_model *m, const nsm_param *p, int n, char *buf, size_t size);

#endif
