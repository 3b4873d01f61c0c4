/*
** fuzz_discover.c: libFuzzer target for `neasim discover` (nsm_discover, sweep/discover.c, and
** PRIM, summary/prim.c): the sweep folder it reads, whose tables an analyst may have opened and
** saved again in a spreadsheet. Any input must give a box or be refused with a message; never a
** crash, a leak, undefined behaviour or a loop.
**
** An input: byte 0 says which of the sweep's tables the rest replaces (0 sweep.csv, 1
** parameters.csv, 2 labels.csv, 3 manifest.csv) and what is asked: bit 2 the probability
** below the threshold rather than above, bit 3 the measure `holds` rather than `occurred_by`,
** bits 4-5 the outcome (moved, g_moved, both, or one the sweep does not have). The threshold is
** 0.5. The seeds are tests/fixtures/fuzz-seeds/discover, the tables of an LHS sweep of
** tests/models/discover (16 points, 3 numbers; tests/cli_discover.sh checks this neasim still
** discovers a box in them); the box found is written as discover writes it.
*/
#include <errno.h>
#include <math.h>
#include <sys/stat.h>

#include "fuzz_common.h"
#include "neasim/discover.h"
#include "neasim/prim_tables.h"
#include "neasim/results.h"

static const char *const TABLES[] = {"sweep.csv", "parameters.csv", "labels.csv", "manifest.csv"};
static const char *const OUTCOMES[] = {"moved", "g_moved", "both", "nothing_such"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *dir = fuzz_dir("-r tests/fixtures/fuzz-seeds/discover");
    char sweep[128], path[192], out[128];
    snprintf(sweep, sizeof sweep, "%s/discover", dir);
    snprintf(out, sizeof out, "%s/box", dir);
    snprintf(path, sizeof path, "%s/%s", sweep, TABLES[data[0] & 3]);
    fuzz_restore(path); /* the first time: keep the seed */
    fuzz_write(path, data + 1, size - 1);
    nsm_discover_options o = {sweep, OUTCOMES[data[0] >> 4 & 3], data[0] & 8 ? "holds" : NULL,
                              NULL, NULL, 0.5, data[0] >> 2 & 1, NSM_PRIM_DEFAULTS, NAN, -1, 0.05};
    nsm_discovery r;
    memset(&r, 0, sizeof r);
    nsm_diag d;
    nsm_diag_init(&d);
    nsm_status st = nsm_discover(&o, &r, &d);
    fuzz_check(st, &d);
    if (st == NSM_OK) {
        if (r.chosen < 0 || r.chosen >= r.prim.n_steps || r.picked < 0 ||
            r.picked >= r.prim.n_steps)
            abort(); /* the boxes picked and reported are steps of the trajectory */
        if (mkdir(out, 0777) != 0 && errno != EEXIST)
            abort();
        const nsm_prim_tables t = {&r.prim, (const char *const *)r.names,
                                   (const char *const *)r.labels, r.chosen, r.quasi_p,
                                   r.quasi_p_side};
        nsm_write_options w = {0};
        st = nsm_prim_tables_write(out, &t, &w, &d);
        fuzz_check(st, &d);
    }
#ifdef FUZZ_TARGET
    printf("  %s\n", st == NSM_OK ? "discovered" : d.error);
#endif
    nsm_discovery_release(&r);
    nsm_diag_release(&d);
    fuzz_restore(path);
    return 0;
}
