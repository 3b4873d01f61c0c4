/*
** test_levers_check.c: levers on uncertain numbers (scenario/levers.c, "levers on draws"): a lever,
** or an arm of levers, that can push a drawn number out of its range is refused by the reader at
** its levers.csv value cell; what remains possible at run time names that cell too (arms.c).
**
** Each case is tests/models/two_state (f: a -> b) copied into a mkdtemp folder, with factors.csv,
** levers.csv and sometimes effects.csv replaced. Run from the repository root.
*/
#include "nsm_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "neasim/arms.h"
#include "neasim/scenario.h"

#define LEVERS_HEAD "lever,target,operation,value,from_date,description,source\n"

static void put(const char *dir, const char *file, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* two_state with `initial` as factors.csv (rows after the header) and `levers` as levers.csv. */
static char *model(const char *initial, const char *levers)
{
    char *dir = strdup("/tmp/nsm_levers_XXXXXX");
    assert_non_null(mkdtemp(dir));
    char cmd[600];
    snprintf(cmd, sizeof cmd, "cp tests/models/two_state/*.csv %s/", dir);
    assert_int_equal(system(cmd), 0);
    char buf[1024];
    snprintf(buf, sizeof buf, "factor,level,initial,source\n%s", initial);
    put(dir, "factors.csv", buf);
    snprintf(buf, sizeof buf, LEVERS_HEAD "%s", levers);
    put(dir, "levers.csv", buf);
    return dir;
}

static void drop(char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    free(dir);
}

/* Read dir: NSM_OK when every `want` is NULL, else an input error whose message holds each. */
static void expect_read(char *dir, const char *want1, const char *want2, const char *want3)
{
    nsm_model *m = NULL;
    nsm_diag d;
    nsm_diag_init(&d);
    nsm_status st = nsm_scenario_read(dir, &m, &d);
    if (!want1) {
        if (st != NSM_OK)
            fail_msg("expected %s to read, got: %s", dir, d.error ? d.error : "?");
        nsm_model_free(m);
    } else {
        if (st != NSM_ERR_INPUT)
            fail_msg("expected an input error for %s, got status %d", dir, (int)st);
        const char *want[3] = {want1, want2, want3};
        for (int k = 0; k < 3; k++)
            if (want[k] && !strstr(d.error, want[k]))
                fail_msg("'%s' not in: %s", want[k], d.error);
    }
    nsm_diag_release(&d);
    drop(dir);
}

/* The reproducer: f:a ~ uniform(0.9,1) with a lever x1.04 can reach 1.04. */
static void test_lever_on_upper_end(void **state)
{
    (void)state;
    expect_read(model("f,a,\"uniform(0.9,1)\",t\nf,b,0.05,t\n", "up,factors:f:a,multiply,1.04,,,t\n"),
                "levers.csv:2:25: error: lever 'up' on factors:f:a", "not 1.04",
                "the upper end of 'uniform(0.9,1)', factors.csv:2");
}

/* The same lever is fine when the top of the range times 1.04 stays a probability. */
static void test_lever_within_range_reads(void **state)
{
    (void)state;
    expect_read(model("f,a,\"uniform(0.9,0.96)\",t\nf,b,0.07,t\n",
                      "up,factors:f:a,multiply,1.04,,,t\n"),
                NULL, NULL, NULL);
}

/* Two levers each fine alone, not one after the other (no draw involved). */
static void test_two_levers_in_one_arm(void **state)
{
    (void)state;
    expect_read(model("f,a,0.95,t\nf,b,0.05,t\n",
                      "x,factors:f:a,multiply,1.03,,,t\ny,factors:f:a,multiply,1.03,,,t\n"),
                "levers.csv:3:24:", "applied after lever 'x' (the arm x+y", "not 1.0");
}

/* Order matters (set, then multiply): m+s is fine, s+m is not; s+m is tried although m comes
** first in the file. */
static void test_every_order_is_tried(void **state)
{
    (void)state;
    expect_read(model("f,a,0.95,t\nf,b,0.05,t\n",
                      "m,factors:f:a,multiply,1.02,,,t\ns,factors:f:a,set,0.99,,,t\n"),
                "levers.csv:2:24:", "the arm s+m", "at most 1.0101");
}

/* A from_date phase, on an effect's probability: the fix gives the largest factor. */
static void test_from_date_and_largest_factor(void **state)
{
    (void)state;
    char *dir = model("f,a,1,t\nf,b,0,t\n", "twice,effects:1:probability,multiply,2,2025-06-01,,t\n");
    put(dir, "effects.csv", "trigger,probability,delay_days,delay,action,source\n"
                            "f:a>b,\"uniform(0.3,0.6)\",10,fixed,f=a,t\n");
    expect_read(dir, "levers.csv:2:38:", "not 1.2", "use a factor of at most 1.66666");
}

/* What check cannot see (a draw outside the range it validated) still names the value cell. */
static void test_run_time_failure_has_column(void **state)
{
    (void)state;
    char *dir = model("f,a,\"uniform(0.9,0.96)\",t\nf,b,0.07,t\n", "up,factors:f:a,multiply,1.04,,,t\n");
    nsm_model *m = NULL;
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_scenario_read(dir, &m, &d), NSM_OK);
    nsm_arm *arms = NULL;
    int n = 0;
    assert_int_equal(nsm_arms_build(m, "up", 0, dir, &arms, &n, &d), NSM_OK);
    double draw = 0.99; /* beyond uniform(0.9,0.96): 0.99 x 1.04 > 1 */
    nsm_diag why;
    nsm_diag_init(&why);
    assert_int_equal(nsm_arm_build_phases(m, &arms[1], &draw, arms[1].phase_model, &why),
                     NSM_ERR_INPUT);
    if (!why.error || !strstr(why.error, "levers.csv:2:25:"))
        fail_msg("no column in: %s", why.error ? why.error : "(no message)");
    nsm_diag_release(&why);
    nsm_arms_free(arms, n);
    nsm_model_free(m);
    nsm_diag_release(&d);
    drop(dir);
}

/* An arm lists each lever once: check tries arms of distinct levers. */
static void test_lever_twice_in_an_arm(void **state)
{
    (void)state;
    char *dir = model("f,a,0.95,t\nf,b,0.05,t\n", "x,factors:f:a,multiply,1.03,,,t\n");
    nsm_model *m = NULL;
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_scenario_read(dir, &m, &d), NSM_OK);
    nsm_arm *arms = NULL;
    int n = 0;
    assert_int_equal(nsm_arms_build(m, "x+x", 0, dir, &arms, &n, &d), NSM_ERR_USAGE);
    if (!d.error || !strstr(d.error, "lever 'x' appears twice in 'x+x'"))
        fail_msg("got: %s", d.error ? d.error : "(none)");
    nsm_model_free(m);
    nsm_diag_release(&d);
    drop(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lever_on_upper_end),
        cmocka_unit_test(test_lever_within_range_reads),
        cmocka_unit_test(test_two_levers_in_one_arm),
        cmocka_unit_test(test_every_order_is_tried),
        cmocka_unit_test(test_from_date_and_largest_factor),
        cmocka_unit_test(test_run_time_failure_has_column),
        cmocka_unit_test(test_lever_twice_in_an_arm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
