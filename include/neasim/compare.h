/*
** compare.h: the tables of a comparison (output/compare.c). The arms are simulated by
** nsm_compare_run (paired.h); their differences are computed in summary.h.
*/
#ifndef NEASIM_COMPARE_H
#define NEASIM_COMPARE_H

#include "neasim/accum.h"
#include "neasim/arms.h"
#include "neasim/briefing.h"
#include "neasim/engine.h"
#include "neasim/outer.h"
#include "neasim/paired.h"
#include "neasim/results.h"
#include "neasim/rivals.h"
#include "neasim/summary.h"

/* A finished comparison: the model, its arms (arms[0] the baseline), their accumulators and
** paired accumulators (paired[0] unused), the horizons of the briefing table, and with
** compare --outer the per-draw results (NULL otherwise; same arms and horizons). Borrowed. */
typedef struct {
    const nsm_model *m;
    const nsm_arm *arms;
    int n_arms;
    const nsm_accum *const *acc;
    nsm_paired *const *paired;
    nsm_horizons horizons;
    const nsm_outer_comparison *outer;
    /* Interactions of two levers (nsm_arms_interactions): triple k is {a, b, a+b}, and
    ** ipaired[3k], [3k+1], [3k+2] accumulate the pairs (a, b), (a, a+b), (b, a+b). None (0, NULL)
    ** with --outer. */
    int n_interactions;
    const int (*interactions)[3];
    nsm_paired *const *ipaired;
    /* Every two arms at the horizons (rivals.h), so that nsm_comparison_rival is exact; NULL:
    ** on the bound. */
    const nsm_rivals *rivals;
} nsm_comparison;

/* Arm a's effect on outcome o (occurred by) at horizon h as the briefing states it (briefing.csv,
** the printed briefing, the ranks and verdicts), as differences.csv has it: the paired difference
** of all replications, and with --outer the interval of the mean effect over the draws, which
** counts them as the sample they are: diff +- t(N - 1) x max(sd of the draws' effects / sqrt(N),
** the paired se) (summary/differences.c). The runs of a draw share its numbers, so the paired
** interval of all N x runs replications alone is too narrow for the mean over judgments. */
nsm_difference nsm_comparison_effect(const nsm_comparison *cmp, int a, int o, int h);

/* Arm a's effect minus arm b's (a, b >= 1, a != b) on outcome o (occurred by) at horizon h, as
** the briefing sets a lever beside the best one (briefing.csv's minus_best columns, the line under
** the printed best lever): nsm_difference_arms, exact from the rivals, else (none: a caller of
** the library's) with the widest paired variance the counts allow (*exact, may be NULL, 0); with
** --outer, as the mean over the draws, as
** nsm_comparison_effect. */
nsm_difference nsm_comparison_rival(const nsm_comparison *cmp, int a, int b, int o, int h,
                                    int *exact);

/* With --outer: the share of the N draws of the uncertain numbers in which each arm's change on
** outcome o at horizon h helps most (nsm_help by the outcome's direction; for one without, the
** largest change), arms tied at the top sharing the draw, into share[a], 1 <= a < n_arms (they
** sum to 1): how often under the judgments the arm is the best.
** A draw's changes carry its Monte Carlo noise, so arms close in a draw may swap by chance:
** within[a] (within may be NULL) receives the part of share[a] from draws in which the arm is
** the best by less than that noise (the per-draw close of outer_draws.h: it leads some other arm
** by less than 1.96 standard errors of that lead in the draw), so that an arm with a small
** within share is the best by more than the noise in most of the draws where it is.
** share and within NaN without --outer; within NaN also where the draws could not tell (no
** rivals kept, fewer than 2 runs a draw). */
void nsm_comparison_best_share(const nsm_comparison *cmp, int o, int h, double *share,
                               double *within);

/* The inputs of interaction k (briefing.h) from a comparison. */
nsm_interaction_inputs nsm_comparison_interaction(const nsm_comparison *cmp, int k);

/* Write differences.csv, briefing.csv and arms.csv into dir (schemas in README.md); with
** cmp->outer also uncertainty_differences.csv and every arm's uncertainty.csv, and briefing.csv
** gains the judgment columns; with interactions, interactions.csv. */
nsm_status nsm_compare_write(const char *dir, const nsm_comparison *cmp,
                             const nsm_write_options *opt, nsm_diag *diag);

/* The significant digits of every change in percentage points in the tables (briefing.csv's
** difference_pp to judgment_q95_pp, interactions.csv's interaction_pp to ci_high_pp). */
enum { NSM_PP_DIGITS = 4 };

/* A change in percentage points as people read it, into buf (NSM_PP_TEXT_MAX bytes): the
** tables' number (NSM_PP_DIGITS significant digits) rounded to one decimal, half away from zero
** as a spreadsheet's ROUND does, with its sign ("+3.1", "-1.7" for -1.65); exactly zero "0.0"; a
** number that rounds to zero keeps one significant digit in fixed notation ("-0.04",
** "+0.00002"). The printed briefing shows this; scripts/figures_common.R's nsm_pp is the same
** rule for the brief and the figures, which read the tables: one number wherever it is shown
** (tests/cli_briefing.sh compares them cell by cell). With sign 0, the size without a sign. */
enum { NSM_PP_TEXT_MAX = 32 };
const char *nsm_pp_text(char *buf, double pp, int sign);

#endif
