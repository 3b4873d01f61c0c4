/*
** score.h: scoring a results folder's forecasts against what happened (`neasim score`).
**
** The observed file (README.md, "neasim score") lists realized values: an outcome's onset by a
** date or a factor's level on a date (yes/no), and a counted event's count in a window. Each row is
** matched to the forecast a results folder holds for it: the probability in outcomes.csv
** (`occurred_by`) or state_probabilities.csv, the whole distribution of the count in
** count_distribution.csv. The scores themselves are scores.h's; this module reads, matches and
** tabulates them, and writes scores.csv.
**
** A comparison's folder holds one forecast per arm: every arm is scored (or the one named), in the
** order of the folder's tables, and each arm is also scored against the comparison's first arm
** (the baseline, or scenario A of `compare A B`) on the same rows: the arms share common random
** numbers, so their paired differences over the rows are the fair comparison.
**
** Ownership: nsm_score() fills a table the caller releases with nsm_score_release() (also after a
** failure); the options' strings are borrowed for the call only.
*/
#ifndef NEASIM_SCORE_H
#define NEASIM_SCORE_H

#include <stdint.h>

#include "neasim/results.h"
#include "neasim/status.h"

typedef struct {
    const char *results;   /* the results folder scored (run, compare or run --outer) */
    const char *reference; /* NULL, or a results folder scored on the same rows (skill) */
    const char *observed;  /* the observed file */
    const char *arm;       /* NULL or "all": every arm of a comparison; else the one scored */
    const char *ref_arm;   /* the reference's arm; NULL: its first (a run: its only one) */
} nsm_score_options;

/* One row of scores.csv. scope is "item" (one observed row) or "total" (a mean over items);
** window_start and window_end are "" where they do not apply (written NA). arm indexes the
** table's arms; -1 for a run's results, which have no arms (written NA). The baseline_* numbers
** are those of the comparison's first arm and the skill against it (NaN for a run). */
typedef struct {
    int arm;
    const char *scope, *quantity, *metric; /* static strings */
    char name[2 * 64 + 2];
    char window_start[11], window_end[11];
    double value, reference_value, skill, skill_lo, skill_hi; /* NaN: not applicable */
    double baseline_value, baseline_skill, baseline_skill_lo, baseline_skill_hi;
    int64_t n;
} nsm_score_row;

/* Rows come in one block per arm, in arms[] order: the items, then the totals. */
typedef struct {
    int n_rows, cap;
    nsm_score_row *rows;
    int n_arms;                   /* arms scored: 0 for a run */
    char **arms;                  /* their names (owned) */
    char baseline[512];           /* the comparison's first arm; "" for a run */
    int n_items;                  /* observed rows scored (each arm) */
    int has_reference;
    char reference_arm[512];      /* the reference's arm scored against; "" for a run's folder */
    char start[11], end[11];      /* the results' horizon */
    double runs;                  /* replications behind each forecast (manifest.csv) */
} nsm_score_table;

/* Read the observed file and the folders, match every row, score it. Errors: NSM_ERR_INPUT at
** file:line:column of the observed file (unknown name, a date outside the results' horizon or
** not on its report grid, a bad value, a duplicate row) or of a results table; NSM_ERR_IO when a
** folder or file cannot be read (a folder without manifest.csv is not a results folder);
** NSM_ERR_USAGE for an arm that the folder does not hold, or an arm asked of a run. */
nsm_status nsm_score(const nsm_score_options *o, nsm_score_table *t, nsm_diag *d);
void nsm_score_release(nsm_score_table *t);

/* Write dir/scores.csv (schema in README.md). */
nsm_status nsm_score_write(const char *dir, const nsm_score_table *t,
                           const nsm_write_options *opt, nsm_diag *d);

#endif
