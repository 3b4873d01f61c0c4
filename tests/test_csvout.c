/*
** test_csvout.c: the CSV writer (csvout.h) byte for byte: bare and quoted text (a comma, a quote,
** a line break, a space at either end, empty), a field longer than the FILE's buffer, numbers as
** snprintf writes them, NA for NaN and no "-0"; a full disk reported at close.
*/
#include "nsm_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "neasim/csvout.h"

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 20);
    assert_non_null(buf);
    *n = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

static void test_bytes(void **state)
{
    (void)state;
    char path[] = "/tmp/nsm-test-csvout-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    nsm_csv c;
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_csv_open(&c, path, 1, &d), NSM_OK);
    static const char *const head[] = {"a", "b c", NULL};
    nsm_csv_header(&c, head);
    nsm_csv_text(&c, "plain");
    nsm_csv_text(&c, "a,b");
    nsm_csv_text(&c, "say \"hi\"");
    nsm_csv_text(&c, "two\nlines");
    nsm_csv_text(&c, "cr\r");
    nsm_csv_text(&c, " lead");
    nsm_csv_text(&c, "trail ");
    nsm_csv_text(&c, "");
    nsm_csv_end_row(&c);
    nsm_csv_real(&c, 0.1234567, 6);
    nsm_csv_real(&c, -0.0, 6);
    nsm_csv_real(&c, (double)NAN, 6);
    nsm_csv_real(&c, 2.5e-7, 4);
    nsm_csv_real(&c, 1e300, 10);
    nsm_csv_fixed(&c, 1.0 / 3.0, 4);
    nsm_csv_fixed(&c, -0.0, 4);
    nsm_csv_int(&c, -42);
    nsm_csv_na(&c);
    nsm_csv_end_row(&c);
    char *longtext = malloc(20001);
    assert_non_null(longtext);
    for (int k = 0; k < 20000; k++)
        longtext[k] = (char)('a' + k % 26);
    longtext[20000] = '\0';
    for (int r = 0; r < 3000; r++) { /* many rows: the FILE's buffer fills and is written */
        nsm_csv_int(&c, r);
        nsm_csv_text(&c, r == 1500 ? longtext : "x");
        nsm_csv_end_row(&c);
    }
    assert_int_equal(nsm_csv_close(&c, &d), NSM_OK);
    size_t n;
    char *got = slurp(path, &n);
    const char *want = "\xEF\xBB\xBF" "a,b c\r\n"
                       "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\","
                       "\" lead\",\"trail \",\r\n"
                       "0.123457,0,NA,2.5e-07,1e+300,0.3333,0.0000,-42,NA\r\n";
    size_t wn = strlen(want);
    assert_true(n > wn);
    assert_memory_equal(got, want, wn);
    size_t at = wn;
    for (int r = 0; r < 3000; r++) {
        char row[64];
        int k = snprintf(row, sizeof row, "%d,", r);
        assert_memory_equal(got + at, row, (size_t)k);
        at += (size_t)k;
        if (r == 1500) {
            assert_memory_equal(got + at, longtext, 20000);
            at += 20000;
        } else {
            assert_memory_equal(got + at, "x", 1);
            at += 1;
        }
        assert_memory_equal(got + at, "\r\n", 2);
        at += 2;
    }
    assert_int_equal(at, n);
    free(got);
    free(longtext);
    nsm_diag_release(&d);
    remove(path);
}

static void test_full_disk(void **state)
{
    (void)state;
    if (access("/dev/full", W_OK) != 0)
        skip(); /* not every system has it */
    nsm_csv c;
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_csv_open(&c, "/dev/full", 0, &d), NSM_OK);
    for (int r = 0; r < 100000; r++) {
        nsm_csv_real(&c, r / 7.0, 6);
        nsm_csv_text(&c, "text");
        nsm_csv_end_row(&c);
    }
    assert_int_equal(nsm_csv_close(&c, &d), NSM_ERR_IO);
    assert_non_null(d.error);
    assert_non_null(strstr(d.error, "cannot write /dev/full"));
    nsm_diag_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bytes),
        cmocka_unit_test(test_full_disk),
    };
    return cmocka_run_group_tests_name("csvout", tests, NULL, NULL);
}
