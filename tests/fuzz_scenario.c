/*
** fuzz_scenario.c: libFuzzer target for the scenario reader (`make fuzz`). The first byte of an
** input picks one table of tests/fixtures/valid; the rest replaces that table's content in a copy
** of the fixture, which is then read in full. Any input must give NSM_OK or an error with a
** message, never a crash, a leak or undefined behaviour.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "neasim/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const tables[] = {"scenario.csv", "factors.csv",  "transitions.csv",
                                     "modifiers.csv", "events.csv",  "seasonality.csv",
                                     "draws.csv",     "calendar.csv", "effects.csv",
                                     "outcomes.csv",  "levers.csv"};
enum { N_TABLES = sizeof tables / sizeof tables[0] };

static char dir[64];

static void cleanup(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "fuzz: could not remove %s\n", dir);
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/nsm-fuzz-XXXXXX");
    if (!mkdtemp(dir))
        abort();
    atexit(cleanup);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "cp tests/fixtures/valid/*.csv %s/", dir);
    if (system(cmd) != 0)
        abort();
}

static void write_file(const char *name, const uint8_t *data, size_t size)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    fwrite(data, 1, size, f);
    fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dir[0])
        setup();
    if (size == 0)
        return 0;
    const char *name = tables[data[0] % N_TABLES];
    char orig[128];
    snprintf(orig, sizeof orig, "tests/fixtures/valid/%s", name);
    write_file(name, data + 1, size - 1);
    nsm_model *m = NULL;
    nsm_diag d;
    nsm_diag_init(&d);
    nsm_status st = nsm_scenario_read(dir, &m, &d);
    if ((st == NSM_OK) != (m != NULL) || (st != NSM_OK && !d.error))
        abort(); /* a failure must say why; success must give a model */
    nsm_model_free(m);
    nsm_diag_release(&d);
    /* restore the table (or remove it, for the optional levers.csv the fixture may lack) */
    FILE *f = fopen(orig, "rb");
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (!f) {
        unlink(path);
        return 0;
    }
    static uint8_t buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    write_file(name, buf, n);
    return 0;
}
