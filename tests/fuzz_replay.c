/*
** fuzz_replay.c: a fuzz target's inputs replayed without libFuzzer, in the ordinary build, so that
** `make test` checks every fuzzing finding stays fixed. Linked with one tests/fuzz_TARGET.c as
** build/tests/test_fuzz_TARGET. With no arguments it replays tests/fixtures/fuzz-regressions/
** TARGET-* (the reproducers, one file per finding) and tests/fixtures/fuzz-seeds/TARGET*.csv; or
** the files named. A target aborts on a finding, so a pass is an exit status of 0.
*/
#include <glob.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef FUZZ_TARGET
#error "compile with -DFUZZ_TARGET='\"name\"'"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void replay(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(1);
    }
    static uint8_t buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    printf("replay %s (%zu bytes)\n", path, n);
    fflush(stdout);
    LLVMFuzzerTestOneInput(buf, n);
}

int main(int argc, char **argv)
{
    for (int k = 1; k < argc; k++)
        replay(argv[k]);
    if (argc > 1)
        return 0;
    glob_t g;
    int flags = 0;
    if (glob("tests/fixtures/fuzz-regressions/" FUZZ_TARGET "-*", flags, NULL, &g) == 0)
        flags = GLOB_APPEND;
    glob("tests/fixtures/fuzz-seeds/" FUZZ_TARGET "*.csv", flags, NULL, &g);
    for (size_t k = 0; k < g.gl_pathc; k++)
        replay(g.gl_pathv[k]);
    printf("%s: %zu inputs replayed, no finding\n", FUZZ_TARGET, g.gl_pathc);
    globfree(&g);
    return 0;
}
