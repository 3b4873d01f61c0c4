/*
** fuzz_common.h: what the libFuzzer targets (tests/fuzz_*.c, `make fuzz`) share: a scratch
** folder, writing an input to a file, and the model a sweep or lever reader checks its input
** against (read once per process). Run the targets from the project root: paths are relative.
*/
#ifndef NSM_FUZZ_COMMON_H
#define NSM_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neasim/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char fuzz_scratch[64];

static inline void fuzz_remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", fuzz_scratch);
    if (system(cmd) != 0)
        fprintf(stderr, "fuzz: could not remove %s\n", fuzz_scratch);
}

/* A new scratch folder (once per process, removed at exit), holding `files` copied in (a shell
** glob, or NULL). */
static inline const char *fuzz_dir(const char *files)
{
    char *dir = fuzz_scratch;
    if (dir[0])
        return dir;
    snprintf(dir, sizeof fuzz_scratch, "/tmp/nsm-fuzz-XXXXXX");
    if (!mkdtemp(dir))
        abort();
    atexit(fuzz_remove_dir);
    char cmd[512];
    if (files && (snprintf(cmd, sizeof cmd, "cp %s %s/", files, dir), system(cmd) != 0))
        abort();
    return dir;
}

static inline void fuzz_write(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    if (size && fwrite(data, 1, size, f) != size)
        abort();
    if (fclose(f) != 0)
        abort();
}

/* For a target that replaces one file of a folder of seeds with each input: the first call for
** a path keeps its bytes (call it before the input is written), every later one writes them back
** (after the input, and harmlessly before the next). Copying the seeds afresh for each input
** (a cp of the folders) ran the score target at 38 inputs a second; this, at about 240. */
static inline void fuzz_restore(const char *path)
{
    static struct {
        char path[192];
        char *bytes;
        size_t n;
    } kept[16];
    static int n_kept;
    int k = 0;
    while (k < n_kept && strcmp(kept[k].path, path) != 0)
        k++;
    if (k < n_kept) {
        fuzz_write(path, (const uint8_t *)kept[k].bytes, kept[k].n);
        return;
    }
    FILE *f = fopen(path, "rb");
    char *b = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&b, &n);
    if (!f || !m || k == 16 || strlen(path) >= sizeof kept[k].path)
        abort();
    for (int c; (c = getc(f)) != EOF;)
        putc(c, m);
    if (fclose(m) != 0 || fclose(f) != 0)
        abort();
    strcpy(kept[k].path, path);
    kept[k].bytes = b;
    kept[k].n = n;
    n_kept++;
}

/* The scenario in folder `scenario` (borrowed for the life of the process); abort if it does not
** read: the targets check inputs against a valid model. */
static inline nsm_model *fuzz_model(const char *scenario)
{
    nsm_model *m = NULL;
    nsm_diag d;
    nsm_diag_init(&d);
    if (nsm_scenario_read(scenario, &m, &d) != NSM_OK) {
        fprintf(stderr, "fuzz: %s does not read: %s\n", scenario, d.error ? d.error : "?");
        abort();
    }
    nsm_diag_release(&d);
    return m;
}

/* The fixture tests/fixtures/valid (every table) with the levers of
** tests/fixtures/fuzz-seeds/levers.csv (one lever per kind of parameter path). */
static inline nsm_model *fuzz_fixture_model(void)
{
    static nsm_model *m;
    if (!m) {
        char files[] = "tests/fixtures/valid/*.csv tests/fixtures/fuzz-seeds/levers.csv";
        m = fuzz_model(fuzz_dir(files));
    }
    return m;
}

/* A failure must say why (the CLI prints the message and nothing else). */
static inline void fuzz_check(nsm_status st, const nsm_diag *d)
{
    if (st != NSM_OK && (!d->error || !d->error[0]))
        abort();
}

#endif
