/*
** fuzz_score.c: libFuzzer target for `neasim score` (nsm_score, output/score.c): the observed file
** an analyst writes by hand, and the results tables it is matched with, which may have been
** opened and saved again in a spreadsheet. Any input must be scored or refused with a message
** (file:line:column); never a crash, a leak or undefined behaviour.
**
** An input: byte 0 says what the rest is: 0 the observed file; 1-4 the results folder's
** manifest.csv, outcomes.csv, state_probabilities.csv or count_distribution.csv (the others are
** then the seed ones); bit 3: the folder is a comparison's (two arms) rather than a run's; bit 4:
** scored with a reference folder (the run's, as given), which adds skills. The seeds are in
** tests/fixtures/fuzz-seeds/score: run/ and compare/ (a run and a comparison of the model in
** fuzz-seeds/part, 200 replications: the tables score reads) and observed.csv (an outcome, a
** state and a count); tests/cli_score.sh checks that this neasim scores them.
*/
#include "fuzz_common.h"
#include "neasim/score.h"

static const char *const TABLES[] = {"observed.csv", "manifest.csv", "outcomes.csv",
                                     "state_probabilities.csv", "count_distribution.csv"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || (data[0] & 7) > 4)
        return 0;
    /* the seeds copied once; each input's file is put back after it (fuzz_restore) */
    const char *dir = fuzz_dir("-r tests/fixtures/fuzz-seeds/score/run "
                               "tests/fixtures/fuzz-seeds/score/compare "
                               "tests/fixtures/fuzz-seeds/score/observed.csv");
    char results[128], reference[128], observed[128], path[192];
    snprintf(results, sizeof results, "%s/%s", dir, data[0] & 8 ? "compare" : "run");
    snprintf(reference, sizeof reference, "%s/run", dir);
    snprintf(observed, sizeof observed, "%s/observed.csv", dir);
    int which = data[0] & 7;
    snprintf(path, sizeof path, "%s/%s", which ? results : dir, TABLES[which]);
    fuzz_restore(path); /* the first time: keep the seed */
    fuzz_write(path, data + 1, size - 1);
    nsm_score_options o = {results, data[0] & 16 ? reference : NULL, observed, NULL, NULL};
    nsm_score_table t;
    memset(&t, 0, sizeof t);
    nsm_diag d;
    nsm_diag_init(&d);
    nsm_status st = nsm_score(&o, &t, &d);
    fuzz_check(st, &d);
    if (st == NSM_OK) {
        nsm_write_options w = {0};
        st = nsm_score_write(dir, &t, &w, &d);
        fuzz_check(st, &d);
    }
#ifdef FUZZ_TARGET
    printf("  %s\n", st == NSM_OK ? "scored" : d.error);
#endif
    nsm_score_release(&t);
    nsm_diag_release(&d);
    fuzz_restore(path);
    return 0;
}
