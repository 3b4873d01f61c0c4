/*
** nsm_model_test.h: reading a test model from tests/models/ (tests run from the project root),
** failing the test with the reader's message when it cannot.
*/
#ifndef NSM_MODEL_TEST_H
#define NSM_MODEL_TEST_H

#include <stdio.h>

#include "neasim/scenario.h"
#include "nsm_test.h"

static inline nsm_model *nsm_test_load(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "tests/models/%s", name);
    nsm_model *m = NULL;
    nsm_diag d;
    nsm_diag_init(&d);
    if (nsm_scenario_read(path, &m, &d) != NSM_OK)
        fail_msg("cannot read %s: %s", path, d.error ? d.error : "?");
    nsm_diag_release(&d);
    return m;
}

#endif
