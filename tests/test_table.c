/*
** test_table.c: the layers under the scenario reader: CSV tables with cell positions (table.h),
** diagnostics and suggestions (status.h).
*/
#include "nsm_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neasim/table.h"

/* The message must start with `prefix` and contain `phrase`. */
static void expect_message(const char *msg, const char *prefix, const char *phrase)
{
    assert_non_null(msg);
    if (strncmp(msg, prefix, strlen(prefix)) != 0 || !strstr(msg, phrase)) {
        print_error("expected: %s...%s\n     got: %s\n", prefix, phrase, msg);
        fail();
    }
}

static const nsm_column abc_cols[] = {{"a", 0}, {"b", 0}, {"c", 1}};
static const nsm_schema abc = {"abc.csv", "a test table", 3, abc_cols};

/* Parse `size` bytes of `text` against the abc schema: must fail with `prefix` and `phrase`. */
static void expect_parse_error(const char *text, size_t size, const char *prefix,
                               const char *phrase)
{
    nsm_table t;
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_table_parse(&t, "abc.csv", &abc, text, size, &d), NSM_ERR_INPUT);
    expect_message(d.error, prefix, phrase);
    nsm_table_release(&t);
    nsm_diag_release(&d);
}

#define EXPECT_ERROR(text, prefix, phrase) \
    expect_parse_error(text, sizeof(text) - 1, prefix, phrase)

/* Columns count characters; a quoted field starts at its quote; spaces before a field are not
** part of it; a field may span lines. */
static void test_table_positions(void **state)
{
    (void)state;
    nsm_table t;
    nsm_diag d;
    nsm_diag_init(&d);
    const char *text = "b,a,c\n\"x, y\",\xC3\xA9,  z\n\"l1\nl2\",2,3\r\n\r\n4,5,\"\"\"q\"\"\"";
    assert_int_equal(nsm_table_parse(&t, "abc.csv", &abc, text, strlen(text), &d), NSM_OK);
    assert_int_equal(t.n_rows, 3);
    const nsm_cell *c = nsm_table_cell(&t, 0, "b");
    assert_string_equal(c->text, "x, y");
    assert_int_equal(c->line, 2);
    assert_int_equal(c->column, 1);
    assert_true(c->quoted);
    c = nsm_table_cell(&t, 0, "c");
    assert_string_equal(c->text, "z");
    assert_int_equal(c->column, 12);
    assert_int_equal(nsm_table_cell(&t, 1, "b")->line, 3);
    assert_string_equal(nsm_table_cell(&t, 1, "b")->text, "l1\nl2");
    c = nsm_table_cell(&t, 1, "a");
    assert_int_equal(c->line, 4);
    assert_int_equal(c->column, 5);
    c = nsm_table_cell(&t, 2, "c");
    assert_string_equal(c->text, "\"q\"");
    assert_int_equal(c->line, 6);
    assert_int_equal(c->column, 5);
    nsm_table_error(&t, nsm_table_cell(&t, 0, "c"), 0, &d, "bad '%s'", "z");
    assert_string_equal(d.error, "abc.csv:2:12: error: bad 'z'\n"
                                 "    2 | \"x, y\",\xC3\xA9,  z\n"
                                 "      |            ^");
    nsm_table_release(&t);
    nsm_table_release(&t);
    nsm_diag_release(&d);
}

static void test_table_absent_optional_column(void **state)
{
    (void)state;
    nsm_table t;
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_table_parse(&t, "abc.csv", &abc, "a,b\n1,2\n", 8, &d), NSM_OK);
    assert_string_equal(nsm_table_cell(&t, 0, "c")->text, "");
    assert_int_equal(t.header_line, 1);
    nsm_table_release(&t);
    assert_int_equal(nsm_table_parse(&t, "abc.csv", &abc, "\xEF\xBB\xBF", 3, &d), NSM_ERR_INPUT);
    expect_message(d.error, "abc.csv:1:1: error: file is empty", "a,b,c");
    nsm_table_release(&t);
    nsm_diag_release(&d);
}

static void test_diag(void **state)
{
    (void)state;
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_diag_at(&d, "f.csv", 2, 4, "a,\tb", "bad %d", 1), NSM_ERR_INPUT);
    assert_string_equal(d.error, "f.csv:2:4: error: bad 1\n    2 | a,\tb\n      |   \t^");
    nsm_diag_at(&d, "g.csv", 1, 1, NULL, "second");
    assert_null(strstr(d.error, "second")); /* only the first error is kept */
    nsm_diag_warn(&d, "f.csv", 3, 1, "w%d", 1);
    nsm_diag_warn(&d, "f.csv", 0, 0, "w%d", 2);
    assert_string_equal(d.warnings, "f.csv:3:1: warning: w1\nf.csv: warning: w2\n");
    nsm_diag_release(&d);
    assert_int_equal(nsm_diag_error(&d, NSM_ERR_IO, "x: %s", "y"), NSM_ERR_IO);
    assert_string_equal(d.error, "x: y");
    nsm_diag_release(&d);
    assert_null(d.error);
    assert_string_equal(nsm_strerror(NSM_ERR_INPUT), "input error");
}

/* The caret stands under the column in a terminal: a Hangul syllable or a CJK ideograph takes
** two columns there, a combining accent none, a byte that is not UTF-8 one (with its stray
** continuation bytes, as the readers count characters). */
static void test_diag_wide(void **state)
{
    (void)state;
    static const struct {
        const char *line, *caret;
        int column;
    } cases[] = {
        {"\xed\x95\x9c\xea\xb5\xad,x", "      |      ^", 4},      /* 한국,x */
        {"\xe4\xb8\xad,x", "      |    ^", 3},                     /* 中,x */
        {"e\xcc\x81,x", "      |  ^", 3}, /* e + combining acute: 2 characters, 1 column */
        {"\xff\x80\x80,x", "      |   ^", 3},                       /* not UTF-8 */
        {"\xef\xbc\xa1,x", "      |    ^", 3},                      /* fullwidth A */
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        nsm_diag d;
        nsm_diag_init(&d);
        nsm_diag_at(&d, "f.csv", 2, cases[k].column, cases[k].line, "bad");
        const char *under = strrchr(d.error, '\n');
        assert_non_null(under);
        assert_string_equal(under + 1, cases[k].caret);
        nsm_diag_release(&d);
    }
}

static void test_suggest(void **state)
{
    (void)state;
    static const char names[4][16] = {"progressive", "conservative", "war", "tension"};
    assert_string_equal(nsm_suggest("progresive", names[0], 4, 16), "progressive");
    assert_string_equal(nsm_suggest("Conservative", names[0], 4, 16), "conservative");
    assert_string_equal(nsm_suggest("wr", names[0], 4, 16), "war");
    assert_null(nsm_suggest("peace", names[0], 4, 16));
    assert_null(nsm_suggest("tnsoin", names[0], 4, 16)); /* distance 3 > 6/3 */
    assert_string_equal(nsm_suggest("tensoin", names[0], 4, 16), "tension");
    assert_null(nsm_suggest("x", names[0], 0, 16));
    /* a wider net for a closed list of keywords: 'days' is two edits from 'dates' */
    static const char kinds[2][12] = {"occurrences", "dates"};
    assert_null(nsm_suggest("days", kinds[0], 2, 12));
    assert_string_equal(nsm_suggest_within("days", kinds[0], 2, 12, 2), "dates");
    assert_null(nsm_suggest_within("day", kinds[0], 2, 12, 2)); /* distance 3 */
    assert_string_equal(nsm_suggest_within("tensoin", names[0], 4, 16, 2), "tension");
}


/* A byte-order mark is not a column; CRLF and lone CR end lines. */
static void test_table_line_ends(void **state)
{
    (void)state;
    EXPECT_ERROR("\xEF\xBB\xBF" "a,b\r\n1,2\r\nx", "abc.csv:3:1: error: this row has 1 cell ",
                 "header has 2 columns");
    EXPECT_ERROR("a,b\r1,2\r\r3", "abc.csv:4:1: error: this row has 1 cell ", "2 columns");
    EXPECT_ERROR("\xEF\xBB\xBF" "a,\"b\",  \"c\"  ,d", "abc.csv:1:15: error: unknown column 'd'",
                 "a,b,c");
}

static void test_table_errors(void **state)
{
    (void)state;
    EXPECT_ERROR("", "abc.csv:1:1: error: file is empty", "a,b,c");
    EXPECT_ERROR("\n\n,,\n", "abc.csv:1:1: error: file is empty", "header");
    EXPECT_ERROR("a,b\n1,\"2\n3,4\n", "abc.csv:2:3: error: unterminated quoted field",
                 "never closed");
    EXPECT_ERROR("a,b\n1,2\"\n", "abc.csv:2:4: error: quote inside an unquoted field", "\"\"");
    EXPECT_ERROR("a,b\n\"1\" 2,3\n", "abc.csv:2:5: error: text after the closing quote", "\"\"");
    EXPECT_ERROR("a,b\n\xC3\xA9\xC3,3\n", "abc.csv:2:2: error: invalid UTF-8 (byte 0xC3)",
                 "CSV UTF-8");
    EXPECT_ERROR("a,b\n\xED\xA0\x80,3\n", "abc.csv:2:1: error: invalid UTF-8 (byte 0xED)", "");
    EXPECT_ERROR("a,b\n1,\x00\n", "abc.csv:2:3: error: not a text file", "NUL");
    EXPECT_ERROR("a,b\n1,2,3\n", "abc.csv:2:5: error: this row has 3 cells but the header has 2",
                 "quotes");
    EXPECT_ERROR("b\n1\n", "abc.csv:1:1: error: missing column 'a'", "the header should be a,b,c");
    EXPECT_ERROR("a,b,a\n1,2,3\n", "abc.csv:1:5: error: column 'a' appears twice",
                 "(first at column 1): remove one of the two, or rename it");
    EXPECT_ERROR("a,,b\n1,2,3\n", "abc.csv:1:3: error: empty column name", "a,b,c");
}

/* Empty cells after the last column and all-empty rows are spreadsheet leftovers. */
static void test_table_leftovers(void **state)
{
    (void)state;
    nsm_table t;
    nsm_diag d;
    nsm_diag_init(&d);
    const char *text = "a,b,,\n1,2,,\n,,,\n\n3,4\n  ,  \n";
    assert_int_equal(nsm_table_parse(&t, "abc.csv", &abc, text, strlen(text), &d), NSM_OK);
    assert_int_equal(t.n_rows, 2);
    assert_string_equal(nsm_table_cell(&t, 1, "a")->text, "3");
    assert_int_equal(t.rows[1].line, 5);
    nsm_table_release(&t);
    nsm_diag_release(&d);
}

static void test_table_missing_file(void **state)
{
    (void)state;
    nsm_table t;
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_table_read(&t, "/nonexistent", &abc, &d), NSM_OK);
    assert_false(t.present);
    assert_string_equal(t.path, "/nonexistent/abc.csv");
    assert_null(d.error);
    nsm_table_release(&t);
    char *header = nsm_schema_header(&abc);
    assert_string_equal(header, "a,b,c");
    free(header);
}

/* No fixed limit on columns: a design varying 40 numbers is a 40-column table (an abort at 17,
** issue 9). Cells come back in schema order whatever the file's order, and an unknown column among
** many still gets a suggestion. */
static void test_table_many_columns(void **state)
{
    (void)state;
    enum { N = 40 };
    static char names[N][16];
    static nsm_column cols[N];
    for (int k = 0; k < N; k++) {
        snprintf(names[k], sizeof names[k], "column_%02d", k);
        cols[k] = (nsm_column){names[k], 0};
    }
    const nsm_schema wide = {"wide.csv", "a wide table", N, cols};
    char text[4096] = "";
    for (int r = 0; r < 2; r++) { /* the header in reverse order, then one row of values */
        for (int k = N - 1; k >= 0; k--) {
            size_t len = strlen(text);
            if (r == 0)
                snprintf(text + len, sizeof text - len, "%s%s", names[k], k ? "," : "\n");
            else
                snprintf(text + len, sizeof text - len, "%d%s", k, k ? "," : "\n");
        }
    }
    nsm_table t;
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_table_parse(&t, "wide.csv", &wide, text, strlen(text), &d), NSM_OK);
    assert_int_equal(t.n_rows, 1);
    for (int k = 0; k < N; k++)
        assert_int_equal(atoi(nsm_table_cell(&t, 0, names[k])->text), k);
    nsm_table_release(&t);
    text[strlen("column_39,column_38,column_3")] = 'X'; /* column_37 -> column_3X */
    assert_int_equal(nsm_table_parse(&t, "wide.csv", &wide, text, strlen(text), &d), NSM_ERR_INPUT);
    expect_message(d.error, "wide.csv:1:21: error: unknown column 'column_3X'", "did you mean");
    nsm_table_release(&t);
    nsm_diag_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_positions),
        cmocka_unit_test(test_table_absent_optional_column),
        cmocka_unit_test(test_table_line_ends),
        cmocka_unit_test(test_table_errors),
        cmocka_unit_test(test_table_leftovers),
        cmocka_unit_test(test_table_missing_file),
        cmocka_unit_test(test_table_many_columns),
        cmocka_unit_test(test_diag),
        cmocka_unit_test(test_diag_wide),
        cmocka_unit_test(test_suggest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
