/*
** test_outdir.c: results folders (outdir.h): --out values, staging, commit and abort, the umask,
** and which stale staging folders are removed.
*/
#include "nsm_test.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "neasim/outdir.h"

static char root[64];

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/nsm-outdir-XXXXXX");
    return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : -1;
}

static char *in_root(const char *name)
{
    return nsm_path_join(root, name);
}

static int exists(const char *dir, const char *name)
{
    char *p = name ? nsm_path_join(dir, name) : strdup(dir);
    struct stat st;
    int e = lstat(p, &st) == 0;
    free(p);
    return e;
}

/* How many entries of root start with `prefix`. */
static int count_prefix(const char *prefix)
{
    DIR *d = opendir(root);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
    if (d)
        closedir(d);
    return n;
}

static void test_out_values(void **state)
{
    (void)state;
    char buf[256];
    nsm_diag d;
    static const char *const good[][2] = {
        {"res/", "res"}, {"res///", "res"}, {"a/b/", "a/b"}, {"/tmp/nsm-no-such/x/", "/tmp/nsm-no-such/x"},
        {"res", "res"},  {"..x", "..x"},    {".x/", ".x"}};
    for (size_t k = 0; k < sizeof good / sizeof good[0]; k++) {
        nsm_diag_init(&d);
        assert_int_equal(nsm_outdir_path(good[k][0], buf, sizeof buf, &d), NSM_OK);
        assert_string_equal(buf, good[k][1]);
        nsm_diag_release(&d);
    }
    char *cwd = getcwd(NULL, 0);
    const char *const refused[] = {"", ".", "./", "..", "../", "/", "//", "a/.", "a/..", cwd};
    for (size_t k = 0; k < sizeof refused / sizeof refused[0]; k++) {
        nsm_diag_init(&d);
        assert_int_equal(nsm_outdir_path(refused[k], buf, sizeof buf, &d), NSM_ERR_USAGE);
        assert_non_null(strstr(d.error, "--out"));
        nsm_diag_release(&d);
    }
    free(cwd);
}

static void test_begin_commit_umask(void **state)
{
    (void)state;
    char *dest = in_root("res");
    for (int round = 0; round < 2; round++) { /* the second replaces the first */
        mode_t old = umask(027);
        char *staging = NULL;
        nsm_diag d;
        nsm_diag_init(&d);
        assert_int_equal(nsm_outdir_begin(dest, &staging, &d), NSM_OK);
        umask(old);
        struct stat st;
        assert_int_equal(stat(staging, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0750);
        assert_true(exists(staging, NSM_OUTDIR_MARKER));
        char *f = nsm_path_join(staging, "manifest.csv");
        FILE *fp = fopen(f, "w");
        fputs("key,value\ntool,neasim\n", fp);
        fclose(fp);
        free(f);
        assert_int_equal(nsm_outdir_commit(staging, dest, &d), NSM_OK);
        assert_false(exists(staging, NULL));
        assert_false(exists(dest, NSM_OUTDIR_MARKER));
        assert_true(exists(dest, "manifest.csv"));
        assert_null(d.warnings);
        nsm_diag_release(&d);
        free(staging);
    }
    assert_int_equal(count_prefix(".res.tmp-"), 0);
    free(dest);
}

static void test_abort_and_failed_commit(void **state)
{
    (void)state;
    char *dest = in_root("res"), *staging = NULL, *nowhere = in_root("no/such/res");
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_outdir_begin(dest, &staging, &d), NSM_OK);
    /* a failed commit leaves the folder as it was, marked, for abort or a later run */
    assert_int_equal(nsm_outdir_commit(staging, nowhere, &d), NSM_ERR_IO);
    assert_true(exists(staging, NSM_OUTDIR_MARKER));
    nsm_outdir_abort(staging);
    assert_false(exists(staging, NULL));
    nsm_diag_release(&d);
    free(staging);
    free(dest);
    free(nowhere);
}

static void write_text(const char *dir, const char *name, const char *text)
{
    char *p = nsm_path_join(dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    free(p);
}

static void test_stale(void **state)
{
    (void)state;
    pid_t child = fork();
    if (child == 0)
        _exit(0);
    waitpid(child, NULL, 0); /* a pid that is gone */
    char host[256] = "", marker[512];
    gethostname(host, sizeof host);
    char *dead = in_root(".res.tmp-dead01"), *bare = in_root(".res.tmp-bare01"),
         *far = in_root(".res.tmp-far001"), *other = in_root(".oth.tmp-dead01"),
         *fake = in_root(".res.tmp-fake01"), *dest = in_root("res");
    char *const dirs[] = {dead, bare, far, other, fake};
    for (int k = 0; k < 5; k++)
        assert_int_equal(mkdir(dirs[k], 0777), 0);
    snprintf(marker, sizeof marker, "neasim staging folder\npid %ld\nstart 1\nboot -\nhost %s\n",
             (long)child, host);
    write_text(dead, NSM_OUTDIR_MARKER, marker);
    write_text(dead, "outcomes.csv", "half a file");
    write_text(other, NSM_OUTDIR_MARKER, marker);
    write_text(bare, "notes.txt", "mine");
    write_text(fake, NSM_OUTDIR_MARKER, "not neasim's\n");
    snprintf(marker, sizeof marker, "neasim staging folder\npid %ld\nstart 1\nboot -\nhost far.example\n",
             (long)child);
    write_text(far, NSM_OUTDIR_MARKER, marker);
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_outdir_clean_stale(dest, &d), 1);
    assert_false(exists(dead, NULL));
    assert_true(exists(bare, "notes.txt"));
    assert_true(exists(far, NSM_OUTDIR_MARKER));
    assert_true(exists(fake, NSM_OUTDIR_MARKER));
    assert_true(exists(other, NSM_OUTDIR_MARKER));
    assert_non_null(strstr(d.warnings, "removed"));
    assert_non_null(strstr(d.warnings, "far.example"));
    assert_non_null(strstr(d.warnings, ".res.tmp-bare01: warning: named like a neasim staging"));
    nsm_diag_release(&d);
    for (int k = 0; k < 5; k++)
        free(dirs[k]);
    free(dest);
}

/* nsm_path_tidy: what check and the manifest show of a base folder. */
static void test_path_tidy(void **state)
{
    (void)state;
    static const char *cases[][2] = {
        {"scenarios/backtest-2017/../calibration-2012", "scenarios/calibration-2012"},
        {"/abs/./x//y/", "/abs/x/y"},
        {"a/..", "."},
        {"./", "."},
        {"", "."},
        {"/..", "/.."}, /* lexical: the root's ".." is kept, not guessed away */
        {"../../base", "../../base"},
        {"a/../../b", "../b"},
        {"v/w/../../base", "base"},
        {"..x/../y", "y"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char *t = nsm_path_tidy(cases[k][0]);
        assert_non_null(t);
        assert_string_equal(t, cases[k][1]);
        free(t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_out_values),
        cmocka_unit_test(test_path_tidy),
        cmocka_unit_test_setup_teardown(test_begin_commit_umask, setup, teardown),
        cmocka_unit_test_setup_teardown(test_abort_and_failed_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stale, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
