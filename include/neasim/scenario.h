/*
** scenario.h: read a scenario folder (scenarios/README.md) into a checked, fully resolved model.
**
** Every rule of the format is checked here, so the engine can trust the model. The first problem
** found is reported as `file:line:column: error: message`, then the offending line and a caret.
*/
#ifndef NEASIM_SCENARIO_H
#define NEASIM_SCENARIO_H

#include "neasim/model.h"
#include "neasim/status.h"

/* Read and check the scenario in folder `dir`. On success *out is a new model (caller frees with
** nsm_model_free) and warnings (e.g. empty source cells) may be in diag->warnings. On failure
** returns NSM_ERR_INPUT / NSM_ERR_IO / NSM_ERR_NOMEM with the message in diag->error, *out NULL.
** diag must have been initialised with nsm_diag_init(), or be NULL (nothing recorded: tests that
** need only the model). (*out)->n_warnings counts the warnings this read added. */
nsm_status nsm_scenario_read(const char *dir, nsm_model **out, nsm_diag *diag);

/* Write the tables of the scenario in `dir`, with `extends` resolved (every base merged in, the
** key `extends` gone), into the existing folder `out`: one tidy CSV per table present (the
** required columns and the optional ones some row uses, quotes only where needed). The folder is
** a scenario that extends none, with the same checksum as `dir` when `dir` extends a base. Call it
** on a scenario nsm_scenario_read accepted; NSM_ERR_IO when a file cannot be written. */
nsm_status nsm_scenario_write_resolved(const char *dir, const char *out, nsm_diag *diag);

#endif
