/*
** model.h: the compiled model that the engine simulates.
**
** A scenario folder (see scenarios/README.md) is read and checked by scenario.h into one
** nsm_model. Everything the engine needs is here, already resolved: names became indices,
** hazards became rates per year, wildcards were expanded, dates became times from the start. The
** engine never looks at names except to label outputs.
**
** Time is counted in days from the start date (t = 0). A date is a whole number of days, and a
** double holds whole numbers exactly (below 2^53), so a date plus a whole number of days is that
** date's own time exactly: an effect due 123 days after a calendar row meets the calendar's rows of
** that day at the same instant, and the same-instant rules of scenarios/README.md apply. Rates stay
** per year (of NSM_DAYS_PER_YEAR days), as written; the engine converts once, where it computes a
** hazard; outputs give times in years (nsm_years).
**
** Ownership: an nsm_model owns every array it points to; nsm_model_free() releases all of it.
** The engine only borrows a model (const) and never changes it, so one model may be shared by
** many threads.
*/
#ifndef NEASIM_MODEL_H
#define NEASIM_MODEL_H

#include <stddef.h>
#include <stdint.h>

#define NSM_NAME_MAX 64   /* names are at most 63 characters */
#define NSM_MAX_LEVELS 64 /* a condition is a 64-bit mask of levels */
#define NSM_DAYS_PER_YEAR 365.25 /* the year of rates, horizons and the `t_years` columns */

/* A condition: all clauses must hold. A clause holds when bit level[f] of mask is set. `negated`
** records only how the clause was written (`f!=a`: mask holds every level but those named), so
** that a phrase for people says it the same way ("is not a"); the engine reads the mask alone.
**
** A condition may also be a disjunction (`a=x & b=y | c=z`: scenarios/README.md, "Conditions"):
** n_terms > 1 terms, each a conjunction of consecutive clauses, a term beginning at each clause
** whose starts_term is set (clause 0 begins the first). It holds when any term holds. A plain
** conjunction, every condition without a cross-factor '|', has n_terms 1 (0 when it has no
** clauses) and no clause with starts_term: its representation and cost are those of before. */
typedef struct {
    int factor;
    unsigned char negated;
    unsigned char starts_term; /* a term after the first begins here (disjunctions only) */
    uint64_t mask;
} nsm_clause;

typedef struct {
    int n_clauses;
    int n_terms; /* <= 1: a conjunction of all the clauses (beside n_clauses: the struct keeps
                 ** its 16 bytes, and a modifier its size) */
    nsm_clause *clauses;
} nsm_condition;

typedef struct {
    char name[NSM_NAME_MAX];
    char *description;  /* may be NULL */
    char *label;        /* for people (factors.csv, column `factor_label`); NULL: none given */
    char **level_labels; /* [level]: factors.csv, column `label`; NULL entries where none given */
    int n_levels;
    int first_level;    /* index of level 0 in the model's flat level list */
    char (*levels)[NSM_NAME_MAX];
    double *initial;    /* n_levels probabilities, summing to 1 */
    /* entered[level]: the whole days before the start since which the factor has been in `level`
    ** when it starts there (factors.csv, column `entered`); 0 where none is given: the stay begins
    ** at t = 0. Only durations read it (a hazard has no memory). NULL when no row of the factor
    ** gives a date. Shared by variants (structure, not a number). */
    double *entered;
    uint32_t stream;    /* nsm_stream_id("init", NAME) */
} nsm_factor;

/* Hazard processes: transitions and counted events share this indexing, so that modifiers and
** seasonality apply to both. Processes 0..n_transitions-1 are transitions, then one per counted
** event. */
typedef enum { NSM_PROC_TRANSITION, NSM_PROC_EVENT } nsm_proc_kind;

/* How a transition's value was written (levers that `set` it write in the same unit). */
typedef enum { NSM_UNIT_ANNUAL_PROBABILITY, NSM_UNIT_RATE_PER_YEAR, NSM_UNIT_MEAN_YEARS } nsm_unit;

/* A transition's optional duration (transitions.csv, column `duration`): the time spent in `from`
** before this move, drawn when the factor enters `from` (a semi-Markov sojourn), competing with the
** hazards. kind is an nsm_dist_kind (dist.h: fixed, uniform, gamma, weibull or lognormal), -1
** for none; p holds its parameters in the cell's unit, unit_days the days in that unit (1 or
** NSM_DAYS_PER_YEAR). Modifiers and seasonality do not apply to it. */
typedef struct {
    int on;
    int kind;
    double p[3];
    double unit_days;
    uint32_t stream;        /* nsm_stream_id("duration", "FACTOR:FROM>TO") */
} nsm_duration;

typedef struct {
    int factor, from, to;   /* level indices within the factor */
    double rate;            /* base rate per year, >= 0 (0 for a row with a duration only) */
    int source_line;        /* line of transitions.csv, for messages */
    uint32_t stream;        /* nsm_stream_id("transition", "FACTOR:FROM>TO") */
    nsm_unit unit;          /* the unit of its row */
    nsm_duration duration;  /* on 0: none */
} nsm_transition;

typedef struct {
    char name[NSM_NAME_MAX];
    char *description;      /* may be NULL */
    char *label;            /* for people (column `label`); NULL: none given */
    double rate;            /* base rate per year, >= 0 */
    double dispersion;      /* gamma shape k; 0 means Poisson (no gamma multiplier) */
    int redraw_months;      /* gamma redraw interval, months */
    /* events.csv `counts` = dates: an occurrence on a date (its whole days from the start, as
    ** nsm_model_date) that already had one in the replication is not counted; it still happens
    ** (effects, paths). 0: every occurrence is counted (`occurrences`, the default). */
    int counts_dates;
    uint32_t stream;        /* nsm_stream_id("event", NAME) */
    uint32_t gamma_stream;  /* nsm_stream_id("gamma", NAME) */
} nsm_event;

typedef struct {
    int process;            /* index into the process list (transition or event) */
    nsm_condition cond;
    double multiplier;      /* >= 0 */
    int row;                /* row number in modifiers.csv, from 1 (parameter path) */
} nsm_modifier;

/* An action of the calendar or of an effect. */
/* NSM_ACT_EVENT (`event:NAME`) records one occurrence of a counted event and sets off its
** effects, exactly as a firing of its hazard would. */
typedef enum { NSM_ACT_SET, NSM_ACT_DRAW, NSM_ACT_EVENT } nsm_action_kind;

typedef struct {
    nsm_action_kind kind;
    int factor;             /* factor acted on; -1 for NSM_ACT_EVENT */
    int level;              /* NSM_ACT_SET: target level */
    int draw;               /* NSM_ACT_DRAW: index into model->draws */
    int event;              /* NSM_ACT_EVENT: index into model->events */
} nsm_action;

/* A categorical re-draw: prob[from * n_levels + to], each row sums to 1. A draw conditioned on
** other factors (draws.csv, column `given`) has n_cases such matrices, case c at
** prob + c * n_levels * n_levels, and given[c] its condition. The case used is the first conditioned
** case, in the order of draws.csv, whose condition holds; else the default. With has_default,
** case 0 is the default (given[0] has no clauses), so that an unconditioned draw (n_cases 1) keeps
** its matrix, its parameter paths and its streams. A parameter of a draw addresses row
** b = c * n_levels + from. */
typedef struct {
    char name[NSM_NAME_MAX];
    char *label;            /* draws.csv's label, the first given among its rows; NULL: none
                            ** (shared by variants, freed with the base) */
    int factor;
    double *prob;
    int n_cases;            /* >= 1 */
    int has_default;
    nsm_condition *given;   /* n_cases conditions (shared by variants) */
} nsm_draw;

/* One calendar occurrence, already expanded from recurring rows and sorted by (time, row). */
typedef struct {
    double t;               /* days from start, within [0, t_end] */
    int row;                /* row of calendar.csv, from 1: ties run in row order */
    int entry;              /* index into calendar_names */
    nsm_action action;
} nsm_occurrence;

typedef enum { NSM_DELAY_FIXED, NSM_DELAY_UNIFORM, NSM_DELAY_EXPONENTIAL } nsm_delay_kind;

/* An effect. Trigger is a factor change (factor, from_mask, to_mask) or a counted event. */
typedef struct {
    int row;                /* row of effects.csv, from 1 */
    int trigger_event;      /* index of counted event, or -1 for a factor change */
    int trigger_factor;     /* factor, when trigger_event < 0 */
    uint64_t from_mask, to_mask;
    double probability;     /* (0, 1] */
    double delay_days;      /* >= 0 */
    nsm_delay_kind delay_kind;
    nsm_action action;
    uint32_t stream;        /* nsm_stream_id("effect", "N") with N = row */
    nsm_condition when;     /* column `when`: the trigger counts only while this holds, at the
                            ** trigger's instant (no clauses: always); shared by variants */
    nsm_condition when_due; /* column `when_due`: the action runs only if this holds when it is
                            ** due (no clauses: always); shared by variants */
} nsm_effect;

/* What counts as an occurrence of an outcome (outcomes.csv, column `occurrence`): holding its
** condition at any time, the start included (state), or only a change into it after the start
** has settled (onset), so that an uncertain starting state is not reported as something that
** happened. */
typedef enum { NSM_OCCUR_STATE, NSM_OCCUR_ONSET } nsm_occurrence_kind;

/* Which way an outcome is good news (outcomes.csv, column `desirable`): the briefing ranks a
** lever's effects by how much they help. NONE (also an empty cell): no direction, effects are
** ranked by size. */
typedef enum { NSM_DESIRABLE_NONE, NSM_DESIRABLE_LOWER, NSM_DESIRABLE_HIGHER } nsm_desirable;

typedef struct {
    char name[NSM_NAME_MAX];
    char *description;      /* may be NULL */
    char *label;            /* for people (column `label`); NULL: none given */
    nsm_condition cond;
    nsm_occurrence_kind occurrence;
    nsm_desirable desirable;
    /* outcomes.csv, optional column `route`: the factors its routes are told in (story.h), n_route
    ** of them; NULL (0) for an empty cell: the default, nsm_story_route_factors */
    int n_route;
    int *route;
} nsm_outcome;

/* One number of the model, named by a parameter path (scenarios/README.md, "Parameter paths").
** The meaning of a, b, c depends on the kind. */
typedef enum {
    NSM_P_TRANSITION,         /* a: transition index (its hazard) */
    NSM_P_MODIFIER,           /* a: row of modifiers.csv (every expanded modifier of that row) */
    NSM_P_EVENT_RATE,         /* a: event */
    NSM_P_EVENT_DISPERSION,   /* a: event */
    NSM_P_SEASONALITY,        /* a: process, b: month 1-12 */
    NSM_P_DRAW,               /* a: draw, b: case x n_levels + from level, c: to level */
    NSM_P_EFFECT_PROBABILITY, /* a: effect index */
    NSM_P_EFFECT_DELAY,       /* a: effect index (days) */
    NSM_P_INITIAL,            /* a: factor, b: level */
    NSM_P_DURATION            /* a: transition, b: parameter of its duration (0..2), in the
                              ** duration cell's unit */
} nsm_param_kind;

typedef struct {
    nsm_param_kind kind;
    int a, b, c;
} nsm_param;

typedef enum { NSM_OP_MULTIPLY, NSM_OP_SET } nsm_op;

/* One row of levers.csv, resolved: the numbers it changes, how, and from when. */
typedef struct {
    int lever;              /* index into model->levers */
    int line;               /* line of levers.csv, for messages */
    int value_column;       /* column of its value cell, for messages */
    char *target;           /* the path as written */
    int n_params;
    nsm_param *params;      /* several when the path has wildcards */
    nsm_op op;
    double value;
    double from_t;          /* days from the start; 0 when the lever acts from the start */
    int has_from_date;
    char from_date[11];     /* "YYYY-MM-DD", or "" */
} nsm_lever_row;

typedef struct {
    char name[NSM_NAME_MAX];
    char *description;      /* may be NULL */
    char *label;            /* for people (column `label`); NULL: none given */
} nsm_lever;

/* A number written as a distribution ("beta(2,5)"): the model holds its mean; a run draws it
** once per replication (or per outer draw) from the stream nsm_stream_id("param", path). */
typedef struct {
    char path[3 * NSM_NAME_MAX + 32]; /* canonical parameter path, for outputs */
    char text[128];                   /* the distribution as written */
    int kind;                         /* nsm_dist_kind (dist.h) and its parameters */
    double p[3];
    double nominal;                   /* the distribution's mean, the value the model holds */
    double lo, hi;                    /* its quantiles at 1e-12 and 1 - 1e-12: the range that
                                      ** check validates, that designs span and that a
                                      ** per-replication draw is clamped into */
    int n_params;
    nsm_param *params;                /* the numbers it sets (several for a `*` row) */
    int ratio;                        /* 1: multiply by draw/nominal (seasonality, whose rows
                                      ** multiply); 0: set */
    uint32_t stream;
    const char *file;                 /* table name, for messages */
    int line;
} nsm_uncertain;

typedef struct nsm_model nsm_model_struct_tag;

typedef struct nsm_model {
    /* metadata */
    char name[NSM_NAME_MAX];
    char *title;
    char *label;            /* a short name for people where scenarios are named side by side
                            ** (scenario.csv `label`: a comparison's arms); NULL: none given (a
                            ** base's is not inherited: scenario/inherit.c) */
    char *description;      /* may be NULL */
    int start_year, start_month, start_day;
    int horizon_months;     /* round(12 * horizon_years) */
    int report_interval_months;
    double t_end;           /* days from start to the end of the horizon */

    /* report dates: n_reports >= 2, report_t[0] = 0, report_t[n_reports-1] = t_end */
    int n_reports;
    double *report_t;
    char (*report_date)[11]; /* "YYYY-MM-DD" */

    /* month starts within (0, t_end], with the calendar month (1-12) that begins there;
    ** month_of_start is the calendar month at t = 0 */
    /* month_t[m] = t of start_date plus m months (day clamped), m = 0..horizon_months: the grid of
    ** gamma redraws. Filled by nsm_model_finish_grid() (model.c) from the start date. */
    double *month_t;

    int n_month_starts;
    double *month_start_t;
    int *month_start_month;
    int month_of_start;

    int n_factors;
    nsm_factor *factors;
    int n_levels_total;     /* sum of n_levels: flat index = factors[f].first_level + level */

    int n_transitions;
    nsm_transition *transitions;
    int n_durations;        /* transitions with a duration (0: the engine skips their clocks) */
    int n_events;
    nsm_event *events;
    /* processes: n_transitions + n_events */

    int n_modifiers;
    nsm_modifier *modifiers;
    /* The optional stable ids of modifiers.csv and effects.csv (column `id`, for parameter paths
    ** `modifiers:ID` and `effects:ID:...`): modifier_ids[row - 1] and effect_ids[effect], "" for
    ** a row without one. NULL when the table is absent. Shared by variants. */
    int n_modifier_rows;
    char (*modifier_ids)[NSM_NAME_MAX];
    /* modifier_labels[row - 1]: the optional `label` column of modifiers.csv, NULL where empty;
    ** NULL when the table is absent. Shared by variants. */
    char **modifier_labels;
    char (*effect_ids)[NSM_NAME_MAX];

    /* seasonality[process * 12 + (month - 1)], or NULL when the scenario has none */
    double *seasonality;

    int n_draws;
    nsm_draw *draws;

    int n_calendar_names;
    char (*calendar_names)[NSM_NAME_MAX];
    uint32_t *calendar_stream; /* nsm_stream_id("calendar", NAME), one per name */
    /* calendar_when[entry]: the row acts only while this holds (calendar.csv, column `when`);
    ** no clauses means always. NULL when the scenario has no calendar. */
    nsm_condition *calendar_when;
    int n_occurrences;
    nsm_occurrence *occurrences;

    int n_effects;
    nsm_effect *effects;

    int n_outcomes;
    nsm_outcome *outcomes;

    int n_uncertain;
    nsm_uncertain *uncertain;

    int n_levers;
    nsm_lever *levers;
    int n_lever_rows;
    nsm_lever_row *lever_rows;  /* in file order */

    /* Set on a variant (params.h: nsm_model_variant): the model it copies its structure from.
    ** A variant owns only its numbers; nsm_model_free knows the difference. */
    const nsm_model_struct_tag *variant_of;

    /* SHA-256 of the scenario's tables, lower-case hex: of the files as saved, or, for a scenario
    ** that extends a base, of its resolved tables (what `check --resolved` writes) */
    char checksum[65];
    /* The folders the scenario extends (scenario.csv key `extends`), nearest first, joined by
    ** ';', each tidied (nsm_path_tidy: "a/../b" as "b"); NULL when it extends none. Owned. */
    char *extends;
    /* How many warnings reading the scenario gave (file:line:column: warning: ..., which `neasim
    ** check` shows): a results folder's manifest records it, --quiet or not */
    int n_warnings;
} nsm_model;


/* Whether the disjunction c (n_terms > 1) holds: some term has every clause's level in its mask.
** Called by nsm_condition_holds only. */
static inline int nsm_disjunction_holds(const nsm_condition *c, const int *level)
{
    int term = 1; /* the current term holds so far */
    for (int j = 0; j < c->n_clauses; j++) {
        const nsm_clause *cl = &c->clauses[j];
        if (cl->starts_term) {
            if (term)
                return 1;
            term = 1;
        }
        term = term && ((cl->mask >> level[cl->factor]) & 1u);
    }
    return term;
}

/* Whether condition c holds for the levels (level[f] of every factor f): every clause's level in
** its mask (a conjunction), or those of one term (a disjunction). The one definition, for the
** reader (draws' cover check) and the engine, which asks it for outcomes, modifiers, draws and
** calendar entries at every event: inline, and a conjunction pays one test of n_terms more than
** before (an out-of-line call for disjunctions, in the modifiers' loop of sim/rates.c, cost the
** baseline's rate updates 21% more instructions, conjunctions included). */
static inline int nsm_condition_holds(const nsm_condition *c, const int *level)
{
    if (c->n_terms > 1)
        return nsm_disjunction_holds(c, level);
    for (int j = 0; j < c->n_clauses; j++)
        if (!((c->clauses[j].mask >> level[c->clauses[j].factor]) & 1u))
            return 0;
    return 1;
}

/* A name for people: the scenario's label when it gives one, else the name itself. */
static inline const char *nsm_label_or_name(const char *label, const char *name)
{
    return label && label[0] ? label : name;
}

/* Whether the scenario gives any label (factors, levels, events, outcomes, levers, modifier
** rows): parameter labels (params.h) are then phrases built from them rather than model syntax. */
int nsm_model_has_labels(const nsm_model *m);

/* Total number of hazard processes (transitions, then counted events). */
static inline int nsm_model_n_processes(const nsm_model *m)
{
    return m->n_transitions + m->n_events;
}

/* Stable 32-bit stream numbers derived from process names (scenarios/README.md, "Random numbers").
** They depend only on names, so adding a process elsewhere does not move another's stream. */
uint32_t nsm_stream_id(const char *kind, const char *name);

/* A time of the model (days from the start) in years, as outputs and messages give it. */
static inline double nsm_years(double t)
{
    return t / NSM_DAYS_PER_YEAR;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil). */
long nsm_days_from_civil(int year, int month, int day);

/* The date of time t (days from the start; its whole day) as "YYYY-MM-DD", for messages. */
void nsm_model_date(const nsm_model *m, double t, char out[11]);

/* Fill month_t from start_* and horizon_months. Returns 0, or -1 when out of memory. The reader
** calls it; the engine relies on it. */
int nsm_model_finish_grid(nsm_model *m);

/* Release a variant's own numbers (params.c); nsm_model_free calls it for variants. */
void nsm_model_variant_free(nsm_model *m);

/* Release a model and everything it owns. NULL is fine. */
void nsm_model_free(nsm_model *m);

/* Release the array o of n outcomes and what each owns (description, label, condition, route):
** the one place that knows an outcome's owned fields, for nsm_model_free and for whatever drops
** outcomes from a model (nsm_models_align). NULL is fine. */
void nsm_outcomes_free(nsm_outcome *o, int n);

#endif
