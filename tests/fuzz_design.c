/*
** fuzz_design.c: libFuzzer target for sweep design files (`neasim sweep --design FILE`,
** nsm_sweep_read_design), checked against tests/fixtures/valid with its fuzz-seed levers. Any
** input must give a design or an error with a message; never a crash, a leak or undefined
** behaviour. Seeds: tests/fixtures/fuzz-seeds/design*.csv.
*/
#include "fuzz_common.h"
#include "neasim/sweep.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nsm_model *m = fuzz_fixture_model();
    char path[128];
    snprintf(path, sizeof path, "%s/design.csv", fuzz_dir(NULL));
    fuzz_write(path, data, size);
    nsm_sweep_design d;
    nsm_diag diag;
    nsm_diag_init(&diag);
    nsm_status st = nsm_sweep_read_design(m, path, &d, &diag);
    fuzz_check(st, &diag);
    if (st == NSM_OK && d.n_points == 0)
        abort(); /* a design without points is an error */
    if (st == NSM_OK)
        nsm_sweep_design_release(&d);
    nsm_diag_release(&diag);
    return 0;
}
