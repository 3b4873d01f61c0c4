/*
** read.h: the scenario reader's shared state and helpers (private to the library).
**
** scenario.c reads every table of the folder, then hands the reader to one function per table
** (scenario/meta.c, scenario/factors.c, ...), in an order where each table's names are known
** before another refers to them. Each of those sets r->t to its table, so that the helpers below
** can point their messages at a cell of it.
*/
#ifndef NEASIM_SCENARIO_READ_H
#define NEASIM_SCENARIO_READ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scenario/dates.h"
#include "neasim/dist.h"
#include "neasim/model.h"
#include "neasim/status.h"
#include "neasim/table.h"

/* The tables in the order of the spec's list (and of the checksum). */
enum {
    NSM_T_SCENARIO,
    NSM_T_FACTORS,
    NSM_T_TRANSITIONS,
    NSM_T_MODIFIERS,
    NSM_T_EVENTS,
    NSM_T_SEASONALITY,
    NSM_T_DRAWS,
    NSM_T_CALENDAR,
    NSM_T_EFFECTS,
    NSM_T_OUTCOMES,
    NSM_T_LEVERS,
    NSM_N_TABLES
};

/* A number written as a distribution, noted by nsmi_read_number and resolved into a parameter
** once every table has been read (scenario/uncertain.c). */
typedef struct {
    int table, row;
    const char *column;
    nsm_dist dist;
} nsm_noted_dist;

typedef struct {
    nsm_model *m;               /* being built; freed by the caller on failure */
    nsm_noted_dist *dists;
    int n_dists, cap_dists;
    nsm_diag *d;
    nsm_table tables[NSM_N_TABLES];
    const nsm_table *t;         /* the table being interpreted */
    nsm_date start, end;        /* the horizon, set by nsmi_scenario_meta() */
} nsm_reader;

/* ---- one function per table (each returns NSM_OK at once for an absent optional table) ---- */

nsm_status nsmi_scenario_meta(nsm_reader *r);        /* scenario/meta.c */
nsm_status nsmi_scenario_factors(nsm_reader *r);     /* scenario/factors.c */
nsm_status nsmi_scenario_transitions(nsm_reader *r); /* scenario/transitions.c */
/* factors.csv's `entered` dates against the durations of transitions.csv (scenario/factors.c) */
nsm_status nsmi_scenario_entered(nsm_reader *r);
nsm_status nsmi_scenario_events(nsm_reader *r);      /* scenario/hazards.c */
nsm_status nsmi_scenario_modifiers(nsm_reader *r);   /* scenario/hazards.c */
nsm_status nsmi_scenario_seasonality(nsm_reader *r); /* scenario/hazards.c */
nsm_status nsmi_scenario_draws(nsm_reader *r);       /* scenario/draws.c */
/* The case (model.h, nsm_draw) of draw d that row `row` of draws.csv (the current table) belongs
** to, from its `given` cell; -1 if none (not after a successful read). */
int nsmi_draw_row_case(nsm_reader *r, int row, int d);
nsm_status nsmi_scenario_calendar(nsm_reader *r);    /* scenario/calendar.c */
nsm_status nsmi_scenario_effects(nsm_reader *r);     /* scenario/effects.c */
nsm_status nsmi_scenario_outcomes(nsm_reader *r);    /* scenario/effects.c */
nsm_status nsmi_scenario_levers(nsm_reader *r);      /* scenario/levers.c */
nsm_status nsmi_scenario_uncertain(nsm_reader *r);   /* scenario/uncertain.c */

/* ---- the tables of a folder, `extends` resolved (scenario/inherit.c) ---- */

/* Read the tables of the scenario in `dir` into tables[NSM_N_TABLES] (spec order, against
** schemas[NSM_N_TABLES]). A scenario that extends a base gets merged tables whose cells point at
** their files (nsm_cell.origin); *bases is then a new string naming the base folders, nearest
** first, joined by ';' (NULL for a scenario that extends none). Release every table in all
** cases. Required tables are the caller's to check. */
nsm_status nsmi_scenario_tables(const char *dir, const nsm_schema *schemas, nsm_table *tables,
                                char **bases, nsm_diag *d);

/* A table as tidy CSV: the required columns and the optional ones some row has, in schema order;
** quotes only where needed; LF line ends. What `check --resolved` writes and what the checksum of
** a scenario that extends a base is computed over. */
void nsmi_table_write_tidy(const nsm_table *t, FILE *f);

/* No two random streams of the model have the same number (scenario/streams.c). */
nsm_status nsmi_scenario_check_streams(const nsm_model *m, const char *dir, nsm_diag *d);

/* ---- cells of the current table (scenario/cells.c) ---- */

/* Make table `which` current; returns it, or NULL when the file is absent. */
const nsm_table *nsmi_reader_use(nsm_reader *r, int which);

const nsm_cell *nsmi_reader_cell(const nsm_reader *r, int row, const char *column);
int nsmi_reader_empty(const nsm_reader *r, int row, const char *column);

/* An error at cell c of the current table, `offset` bytes into its text. Returns
** NSM_ERR_INPUT. */
nsm_status nsmi_reader_error(nsm_reader *r, const nsm_cell *c, size_t offset, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Values of cells. Each checks the text and fails with a message at the cell; `what` names the
** value in messages ("factor", "level"). */
nsm_status nsmi_read_name(nsm_reader *r, int row, const char *column, const char *what,
                         const char **out);
nsm_status nsmi_read_number(nsm_reader *r, int row, const char *column, double *out);
nsm_status nsmi_read_probability(nsm_reader *r, int row, const char *column, double *out);
nsm_status nsmi_read_nonnegative(nsm_reader *r, int row, const char *column, double *out);
/* The error for a number v in (1, 100] at cell c where a fraction is needed: "WHAT 'TEXT' RULE: a
** percentage is written as a fraction (40% is 0.4)", the advice by nsmi_fraction_advice. */
nsm_status nsmi_fraction_error(nsm_reader *r, const nsm_cell *c, const char *what, const char *rule,
                               double v);
/* "a percentage is written as a fraction (40% is 0.4)" for the number v written `text`, into buf
** (of size n), which it returns: the one phrasing of that advice, for probabilities (cells.c),
** annual probabilities (transitions.c) and levers that set a probability (levers.c). */
const char *nsmi_fraction_advice(const char *text, double v, char *buf, size_t n);
nsm_status nsmi_read_integer(nsm_reader *r, int row, const char *column, int lo, int hi,
                            int *out);
/* As nsmi_read_number and nsmi_read_integer, with messages that name the value `what` rather
** than its column (scenario.csv's `value` cells are named by their key). */
nsm_status nsmi_read_number_of(nsm_reader *r, int row, const char *column, const char *what,
                              double *out);
nsm_status nsmi_read_integer_of(nsm_reader *r, int row, const char *column, const char *what,
                               int lo, int hi, int *out);
nsm_status nsmi_read_date(nsm_reader *r, int row, const char *column, nsm_date *out);
/* An optional date column (factors.csv `entered`, levers.csv `from_date`): *cell is NULL when the
** cell is empty or the column absent (NSM_OK, nothing read), else the cell, its date in *out. */
nsm_status nsmi_read_optional_date(nsm_reader *r, int row, const char *column, nsm_date *out,
                                  const nsm_cell **cell);
/* The month cell of seasonality.csv, or the MONTHS of a path seasonality:TARGET:MONTHS: a month
** 1-12, a range LOW-HIGH (LOW <= HIGH) or a '|'-separated list of those ("3-4|8"), spaces allowed
** around '|' and '-'. *mask gets bit m - 1 for month m. A month listed twice is an error. */
nsm_status nsmi_parse_months(nsm_reader *r, const nsm_cell *c, unsigned *mask);
/* Its canonical text: nsm_months_format (params.h). */
/* A copy of the text, or NULL for an empty cell. */
nsm_status nsmi_read_text(nsm_reader *r, int row, const char *column, char **out);

/* The optional `id` column of the current table (modifiers.csv, effects.csv): a new array of one
** id per row ("" where empty) in *out, owned by the caller; ids are names, unique in the table. */
nsm_status nsmi_read_ids(nsm_reader *r, char (**out)[NSM_NAME_MAX]);

/* Days from the start to date d: the model's time (model.h), exact. */
double nsmi_reader_time(const nsm_reader *r, nsm_date d);

/* ---- names (scenario/names.c): index, or -1 ---- */

int nsmi_find_factor(const nsm_model *m, const char *name);
int nsmi_find_level(const nsm_factor *f, const char *name);
int nsmi_find_event(const nsm_model *m, const char *name);
int nsmi_find_draw(const nsm_model *m, const char *name);

/* The same, failing with "unknown factor 'x'; did you mean 'y'?" at cell c, offset bytes in. */
nsm_status nsmi_lookup_factor(nsm_reader *r, const nsm_cell *c, size_t offset, const char *name,
                             int *out);
nsm_status nsmi_lookup_level(nsm_reader *r, const nsm_cell *c, size_t offset, int factor,
                            const char *name, int *out);
nsm_status nsmi_lookup_draw(nsm_reader *r, const nsm_cell *c, size_t offset, const char *name,
                           int *out);

/* A cell naming a factor; a cell naming a level of `factor`, or `*` (out -1) when `any`. */
nsm_status nsmi_read_factor(nsm_reader *r, int row, const char *column, int *out);
nsm_status nsmi_read_level(nsm_reader *r, int row, const char *column, int factor, int any,
                          int *out);

/* What to do about a row given twice, said after "... given twice (first at line N)". */
#define NSMI_TWICE_FIX ": remove one of the two rows, or merge them into one"

/* "unknown <what> '<word>'; did you mean '<hint>'?<tail>" at cell c (hint may be NULL). */
nsm_status nsmi_unknown(nsm_reader *r, const nsm_cell *c, size_t offset, const char *what,
                       const char *word, const char *hint, const char *tail);

/* Mask of every level of a factor with n levels. */
uint64_t nsmi_all_levels(int n);

/* ---- the small languages inside cells (condition.c) ---- */

/* factor=level & factor!=level & factor=a|b  ->  clauses with level masks (owned by *out); with
** a cross-factor '|' (`f=a & g=b | h=c`), a disjunction of terms (model.h). */
nsm_status nsmi_parse_condition(nsm_reader *r, const nsm_cell *c, nsm_condition *out);
/* Whether a and b are written alike: the same clauses (factor and levels) in the same terms. */
int nsmi_condition_same(const nsm_condition *a, const nsm_condition *b);
/* The levels of factor f at which cond can hold, in *allowed: those every clause on f of some
** term accepts, a term without a clause on f accepting them all. Returns whether every term names
** f (else every level is allowed, and there is nothing to warn about). */
int nsmi_condition_levels(const nsm_condition *cond, int f, uint64_t *allowed);
/* A `factor=level` action that runs only while cond holds, and cond holds only at that level:
** the action could never change anything. Warns at cell c (the condition's) and says so, naming
** `column` ("when", "when_due"). Any other action or condition: nothing. */
void nsmi_warn_action_idle(nsm_reader *r, const nsm_cell *c, const char *column,
                           const nsm_condition *cond, const nsm_action *a);
/* The levels of mask, "a", "a or c", "a, b or c", into buf (for messages). */
void nsmi_levels_text(const nsm_factor *f, uint64_t mask, char *buf, size_t n);

/* A target or trigger: a counted event, or a change of a factor `factor:from>to` where either
** side may be `*`. */
typedef struct {
    int event;          /* >= 0: a counted event; -1: a factor change */
    int factor;
    uint64_t from, to;  /* level masks */
} nsm_target;

nsm_status nsmi_parse_target(nsm_reader *r, const nsm_cell *c, nsm_target *out);

/* Does hazard process p (a transition or an event) match target tg? */
int nsmi_target_matches(const nsm_model *m, const nsm_target *tg, int p);

/* For a change that matches no transition: "; the transitions of f are f:a>b and f:b>a" (the
** first few, and how many more), or "; f has no transition in transitions.csv", into buf. */
void nsmi_transitions_of(const nsm_model *m, int factor, char *buf, size_t n);

/* A parameter path (scenarios/README.md, "Parameter paths") in cell c: the numbers it names, in a
** new array *out of *n entries (the caller frees it). */
nsm_status nsmi_parse_path(nsm_reader *r, const nsm_cell *c, nsm_param **out, int *n);

/* `factor=level` or `draw:name`. */
nsm_status nsmi_parse_action(nsm_reader *r, const nsm_cell *c, nsm_action *out);

#endif
