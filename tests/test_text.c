/*
** test_text.c: base/text.c: pieces appended in order; text cut at the end of the buffer, always
** terminated, and nothing appended after a cut; a buffer of one byte.
*/
#include "nsm_test.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pieces),
        cmocka_unit_test(test_cut),
        cmocka_unit_test(test_exact_fit),
        cmocka_unit_test(test_one_byte),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
