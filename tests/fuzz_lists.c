/*
** fuzz_lists.c: libFuzzer target for the lists given on the command line: `--levers` of
** `neasim compare` (nsm_arms_build, with or without --factorial) and `--params` of a generated
** sweep (nsm_sweep_generate). The first byte picks the reader (bit 0: --params; bit 1:
** --factorial); the rest, up to a NUL, is the list. --levers is read against
** tests/fixtures/valid with its fuzz-seed levers; --params against scenarios/baseline (119
** uncertain numbers). Any list must give arms / a design or an error with a message.
*/
#include "fuzz_common.h"
#include "neasim/arms.h"
#include "neasim/sweep.h"

static void levers(const char *list, int factorial)
{
    /* --factorial over k names builds 2^k - 1 arms, each with its own models: at k = 16 (the
    ** limit) that is a legitimate minute of work, not a finding, so keep k small here. */
    int names = 1;
    for (const char *s = list; *s; s++)
        names += *s == ',';
    if (factorial && names > 6)
        return;
    nsm_arm *arms = NULL;
    int n = 0;
    nsm_diag d;
    nsm_diag_init(&d);
    nsm_status st = nsm_arms_build(fuzz_fixture_model(), list, factorial, "fuzz", &arms, &n, &d);
    fuzz_check(st, &d);
    if ((st == NSM_OK) != (arms != NULL) || (st == NSM_OK && n < 2))
        abort(); /* success: the baseline and at least one arm */
    for (int k = 1; k < n; k++) /* each arm once, each lever once in an arm */
        for (int j = 0; j < k; j++)
            if (strcmp(arms[k].name, arms[j].name) == 0)
                abort();
    for (int k = 0; k < n; k++)
        for (int i = 1; i < arms[k].n_levers; i++)
            for (int j = 0; j < i; j++)
                if (arms[k].levers[i] == arms[k].levers[j])
                    abort();
    nsm_arms_free(arms, n);
    nsm_diag_release(&d);
}

static void params(const char *list)
{
    static nsm_model *m;
    if (!m)
        m = fuzz_model("scenarios/baseline");
    nsm_sweep_design d;
    nsm_diag diag;
    nsm_diag_init(&diag);
    nsm_status st = nsm_sweep_generate(m, NSM_SWEEP_OAT, 0, 1, list, &d, &diag);
    fuzz_check(st, &diag);
    if (st == NSM_OK)
        nsm_sweep_design_release(&d);
    nsm_diag_release(&diag);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    char *list = strndup((const char *)data + 1, size - 1);
    if (!list)
        abort();
    if (data[0] & 1)
        params(list);
    else
        levers(list, data[0] >> 1 & 1);
    free(list);
    return 0;
}
