/*
** test_xlsx.c: results.xlsx from a folder of CSVs (xlsx.h): the sheets and their order, typed
** cells (numbers, dates with the date format, text), missing values as empty cells, a byte-order
** mark dropped, a seed that a double would round kept as text, the header on every continuation
** sheet of a long table.
** The workbook's XML is read back with Python's zipfile (python3 is a dependency of make bench);
** without python3 the tests are skipped.
*/
#include "nsm_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neasim/outdir.h"
#include "neasim/xlsx.h"

static char root[64];

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/nsm-xlsx-XXXXXX");
    return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : -1;
}

static void put(const char *name, const char *text)
{
    char *path = nsm_path_join(root, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    free(path);
}

/* The text of member `member` of root/results.xlsx (a new string), or NULL without python3. */
static char *member(const char *name)
{
    char cmd[512], *text = NULL;
    snprintf(cmd, sizeof cmd,
             "python3 -c 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1])"
             ".read(sys.argv[2]).decode())' '%s/results.xlsx' '%s' 2>/dev/null", root, name);
    FILE *p = popen(cmd, "r");
    size_t n = 0, cap = 0;
    for (int c; p && (c = getc(p)) != EOF;) {
        if (n + 2 > cap)
            text = realloc(text, cap = cap ? 2 * cap : 4096);
        text[n++] = (char)c;
        text[n] = '\0';
    }
    if (p && pclose(p) != 0) {
        free(text);
        text = NULL;
    }
    return text;
}

static int have_python(void)
{
    return system("python3 -c 'import zipfile' >/dev/null 2>&1") == 0;
}

static void write_book(int64_t max_rows)
{
    nsm_diag d;
    nsm_diag_init(&d);
    const nsm_xlsx_options o = {max_rows};
    nsm_status st = nsm_xlsx_write(root, &o, &d);
    if (st != NSM_OK)
        fail_msg("%s", d.error ? d.error : "failed");
    nsm_diag_release(&d);
}

static void test_cells(void **state)
{
    (void)state;
    if (!have_python())
        skip();
    put("manifest.csv", "key,value\r\ntool,neasim\r\nseed,18446744073709551615\r\n");
    put("outcomes.csv", "\xEF\xBB\xBF" /* --bom: not part of the first name */
                        "date,value,seed,name,rank,word\r\n"
                        "2026-01-01,0.25,18446744073709551615,a,1,x\r\n"
                        "NA,NA,1,\"b, c\",2,7\r\n"
                        "2026-02-01,-1.5e-3,2,NA,other,y\r\n");
    write_book(0);
    char *book = member("xl/workbook.xml"), *about = member("xl/worksheets/sheet1.xml");
    char *sheet = member("xl/worksheets/sheet2.xml");
    assert_non_null(book);
    assert_non_null(sheet);
    /* About first, then one sheet per table; manifest.csv only in About */
    assert_non_null(strstr(book, "<sheet name=\"About\" sheetId=\"1\""));
    assert_non_null(strstr(book, "<sheet name=\"outcomes\" sheetId=\"2\""));
    assert_null(strstr(book, "name=\"manifest\""));
    assert_non_null(strstr(about, "<t>18446744073709551615</t>")); /* the manifest, as text */
    /* header bold (style 1) and frozen */
    assert_non_null(strstr(sheet, "<c r=\"A1\" s=\"1\" t=\"inlineStr\"><is><t>date</t>"));
    assert_non_null(strstr(sheet, "ySplit=\"1\""));
    assert_non_null(strstr(sheet, "state=\"frozen\""));
    /* a date: the serial number of 2026-01-01 (46023) in the date style (2) */
    assert_non_null(strstr(sheet, "<c r=\"A2\" s=\"2\"><v>46023</v></c>"));
    /* numbers as numbers */
    assert_non_null(strstr(sheet, "<c r=\"B2\"><v>0.25</v></c>"));
    assert_non_null(strstr(sheet, "<c r=\"B4\"><v>-0.0015"));
    /* a column with a 20-digit integer stays text (a double would round the seed) */
    assert_non_null(strstr(sheet, "<c r=\"C2\" t=\"inlineStr\"><is><t>18446744073709551615</t>"));
    assert_non_null(strstr(sheet, "<c r=\"C3\" t=\"inlineStr\"><is><t>1</t>"));
    /* a column mostly of numbers with a word among them: each cell as what it is */
    assert_non_null(strstr(sheet, "<c r=\"E2\"><v>1</v></c>"));
    assert_non_null(strstr(sheet, "<c r=\"E3\"><v>2</v></c>"));
    assert_non_null(strstr(sheet, "<c r=\"E4\" t=\"inlineStr\"><is><t>other</t>"));
    /* and mostly of words with a number among them: text, every cell */
    assert_non_null(strstr(sheet, "<c r=\"F3\" t=\"inlineStr\"><is><t>7</t>"));
    /* NA: no cell at all (an empty cell), in a date, a number and a text column */
    assert_null(strstr(sheet, "r=\"A3\""));
    assert_null(strstr(sheet, "r=\"B3\""));
    assert_null(strstr(sheet, "r=\"D4\""));
    assert_null(strstr(sheet, ">NA<"));
    assert_non_null(strstr(sheet, "<t>b, c</t>"));
    free(book);
    free(about);
    free(sheet);
}

static void test_continuation(void **state)
{
    (void)state;
    if (!have_python())
        skip();
    put("manifest.csv", "key,value\r\ntool,neasim\r\n");
    put("sweep.csv", "point,value\r\n1,10\r\n2,20\r\n3,30\r\n4,40\r\n5,50\r\n");
    put("zeta.csv", "x\r\n1\r\n");
    put("empty.csv", "");
    write_book(2);
    char *book = member("xl/workbook.xml"), *about = member("xl/worksheets/sheet1.xml");
    char *third = member("xl/worksheets/sheet4.xml");
    assert_non_null(book);
    /* known tables first, in their order; then the others by name */
    const char *a = strstr(book, "name=\"sweep\""), *b = strstr(book, "name=\"sweep (2)\""),
               *c = strstr(book, "name=\"sweep (3)\""), *e = strstr(book, "name=\"empty\""),
               *z = strstr(book, "name=\"zeta\"");
    assert_true(a && b && c && e && z && a < b && b < c && c < e && e < z);
    assert_null(strstr(book, "name=\"sweep (4)\""));
    /* each continuation repeats the header, then its rows */
    assert_non_null(strstr(third, "<c r=\"A1\" s=\"1\" t=\"inlineStr\"><is><t>point</t>"));
    assert_non_null(strstr(third, "<c r=\"A2\"><v>5</v></c>"));
    assert_non_null(strstr(about, "sweep.csv, rows 3 to 4 of 5"));
    free(book);
    free(about);
    free(third);
}

static void test_missing_folder(void **state)
{
    (void)state;
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_xlsx_write("/nonexistent/folder", NULL, &d), NSM_ERR_IO);
    assert_non_null(d.error);
    nsm_diag_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cells, setup, teardown),
        cmocka_unit_test_setup_teardown(test_continuation, setup, teardown),
        cmocka_unit_test(test_missing_folder),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
