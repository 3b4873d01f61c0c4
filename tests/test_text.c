/*
** test_text.c: base/text.c: pieces appended in order; text cut at the end of the buffer, always
** terminated, and nothing appended after a cut; a buffer of one byte.
*/
#include "nsm_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neasim/text.h"

static void test_pieces(void **state)
{
    (void)state;
    char buf[64];
    size_t len = 0;
    buf[0] = '\0';
    nsm_text_add(buf, sizeof buf, &len, "%s=", "regime");
    for (int k = 0; k < 3; k++)
        nsm_text_add(buf, sizeof buf, &len, "%s%d", k ? "|" : "", k + 1);
    assert_string_equal(buf, "regime=1|2|3");
    assert_int_equal(len, strlen("regime=1|2|3"));
}

static void test_cut(void **state)
{
    (void)state;
    char buf[8];
    memset(buf, 'x', sizeof buf);
    size_t len = 0;
    nsm_text_add(buf, sizeof buf, &len, "%s", "abcde");
    assert_string_equal(buf, "abcde");
    nsm_text_add(buf, sizeof buf, &len, "%s", "fghij"); /* needs 10 + 1 bytes: cut at 7 */
    assert_string_equal(buf, "abcdefg");
    assert_int_equal(len, 10); /* what the text needed: at least n says it was cut */
    nsm_text_add(buf, sizeof buf, &len, "%s", "more");
    assert_string_equal(buf, "abcdefg");
    assert_int_equal(len, 10);
}

static void test_exact_fit(void **state)
{
    (void)state;
    char buf[4];
    size_t len = 0;
    nsm_text_add(buf, sizeof buf, &len, "%d", 123); /* 3 characters and the terminator: fits */
    assert_string_equal(buf, "123");
    assert_int_equal(len, 3);
    nsm_text_add(buf, sizeof buf, &len, "%d", 4); /* no room: the text stays, len says cut */
    assert_string_equal(buf, "123");
    assert_int_equal(len, 4);
}

static void test_one_byte(void **state)
{
    (void)state;
    char buf[1] = {'x'};
    size_t len = 0;
    nsm_text_add(buf, sizeof buf, &len, "%s", "anything");
    assert_int_equal(buf[0], '\0');
    assert_int_equal(len, 8);
}

/* Widths in a terminal: ASCII 1, Hangul and CJK 2, a combining accent 0, a byte that is not
** UTF-8 1 with its stray continuation bytes. */
static void test_width(void **state)
{
    (void)state;
    int len;
    assert_int_equal(nsm_text_width("abc"), 3);
    assert_int_equal(nsm_text_width("\xed\x95\x9c\xea\xb5\xad"), 4); /* 한국 */
    assert_int_equal(nsm_text_width("Co\xc3\xbbt"), 4);                  /* Coût */
    assert_int_equal(nsm_text_width("e\xcc\x81"), 1);                     /* e + combining acute */
    assert_int_equal(nsm_text_width("\xff\x80\x80x"), 2);
    assert_int_equal(nsm_text_width_n("\xed\x95\x9c\xea\xb5\xad", 3), 2);
    assert_int_equal(nsm_text_char_width("\xe4\xb8\xad", &len), 2);       /* 中 */
    assert_int_equal(len, 3);
}

/* A cut keeps whole characters and ends in "...", within the width in columns. */
static void test_fit(void **state)
{
    (void)state;
    char s[64];
    strcpy(s, "\xed\x95\x9c\xea\xb5\xad\xed\x95\x9c\xea\xb5\xad"); /* 한국한국: 8 columns */
    nsm_text_fit(s, 8);
    assert_string_equal(s, "\xed\x95\x9c\xea\xb5\xad\xed\x95\x9c\xea\xb5\xad"); /* fits */
    nsm_text_fit(s, 7); /* 4 columns of text leave room for "...", a fifth would not */
    assert_string_equal(s, "\xed\x95\x9c\xea\xb5\xad...");
    strcpy(s, "abcdefgh");
    nsm_text_fit(s, 6);
    assert_string_equal(s, "abc...");
}

static void test_pad(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    assert_non_null(f);
    nsm_text_pad(f, "\xed\x95\x9c|", 5); /* 한| is 3 columns: 2 spaces */
    nsm_text_pad(f, "toolong", 3);
    fclose(f);
    assert_string_equal(buf, "\xed\x95\x9c|  toolong");
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pieces),
        cmocka_unit_test(test_cut),
        cmocka_unit_test(test_exact_fit),
        cmocka_unit_test(test_one_byte),
        cmocka_unit_test(test_width),
        cmocka_unit_test(test_fit),
        cmocka_unit_test(test_pad),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
