/*
** test_budget.c: a replication can always be stopped. Past its event budget it fails with a
** message naming the process that runs away; a raised stop flag ends it within a few thousand
** events, with NSM_STOPPED (not an error).
*/
#include "nsm_test.h"
#include "nsm_model_test.h"

#include <string.h>

#include "neasim/engine.h"

static nsm_status run_with(const nsm_model *m, uint64_t max_events, volatile int *stop,
                           nsm_diag *d)
{
    nsm_accum *a = nsm_accum_alloc(m);
    assert_non_null(a);
    nsm_run_config c = {1, 4, 0, 2, NULL, NULL, stop, NSM_UNCERTAINTY_NOMINAL, 0, max_events};
    nsm_status st = nsm_run(m, &c, a, NULL, d);
    nsm_accum_free(a);
    return st;
}

/* The model runs away; the message says so and names the culprit in the scenario's terms. */
static void expect_runaway(const char *model, uint64_t max_events, const char *const *want)
{
    nsm_model *m = nsm_test_load(model);
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(run_with(m, max_events, NULL, &d), NSM_ERR_RUNTIME);
    assert_non_null(d.error);
    for (int k = 0; want[k]; k++)
        if (!strstr(d.error, want[k]))
            fail_msg("%s: '%s' not in: %s", model, want[k], d.error);
    nsm_diag_release(&d);
    nsm_model_free(m);
}

static void test_rate_of_a_trillion(void **state)
{
    (void)state;
    const char *want[] = {"replication 0 ran away", "more than 100000 events",
                          "--max-events", "transition f:", "transitions.csv",
                          "1e+12 per year", NULL};
    expect_runaway("runaway_rate", 100000, want);
}

static void test_seasonal_multiplier_1e308(void **state)
{
    (void)state;
    const char *want[] = {"ran away", "counted event 'shock'", "1e+308 per year", NULL};
    expect_runaway("runaway_season", 100000, want);
}

static void test_effects_looping_every_nanoday(void **state)
{
    (void)state;
    const char *want[] = {"ran away", "effects.csv", "after 1e-09 days", NULL};
    expect_runaway("runaway_effects", 100000, want);
}

/* The default budget (0: NSM_DEFAULT_MAX_EVENTS) stops it too, within a second or two. */
static void test_default_budget(void **state)
{
    (void)state;
    const char *want[] = {"more than 10000000 events", NULL};
    expect_runaway("runaway_rate", 0, want);
}

/* same_day executes exactly three events a replication (two calendar rows, one effect): a budget
** of 3 is enough, 2 is not, and the message names what ran third. */
static void test_budget_is_exact(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("same_day");
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(run_with(m, 3, NULL, &d), NSM_OK);
    assert_int_equal(run_with(m, 2, NULL, &d), NSM_ERR_RUNTIME);
    assert_non_null(strstr(d.error, "more than 2 events"));
    assert_non_null(strstr(d.error, "the effect on row 1 of effects.csv (h=z after 123 days)"));
    nsm_diag_release(&d);
    nsm_model_free(m);
}

/* A raised stop flag ends a replication that would otherwise run for 10^12 events, after at most
** one poll interval; nsm_run then says NSM_STOPPED, with no message (it is not an error). */
static void test_stop_inside_a_replication(void **state)
{
    (void)state;
    nsm_model *m = nsm_test_load("runaway_rate");
    nsm_sim *s = nsm_sim_alloc(m);
    nsm_accum *a = nsm_accum_alloc(m);
    volatile int stop = 1;
    nsm_sim_set_limits(s, 1000000000000u, &stop);
    assert_int_equal(nsm_sim_replicate(s, 1, 0, a, NULL), NSM_STOPPED);
    assert_true(nsm_sim_event_count(s) <= 4096 + 1);
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(run_with(m, 1000000000000u, &stop, &d), NSM_STOPPED);
    assert_null(d.error);
    assert_string_equal(nsm_strerror(NSM_STOPPED), "stopped by its caller");
    nsm_diag_release(&d);
    nsm_accum_free(a);
    nsm_sim_free(s);
    nsm_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rate_of_a_trillion),
        cmocka_unit_test(test_seasonal_multiplier_1e308),
        cmocka_unit_test(test_effects_looping_every_nanoday),
        cmocka_unit_test(test_default_budget),
        cmocka_unit_test(test_budget_is_exact),
        cmocka_unit_test(test_stop_inside_a_replication),
    };
    return cmocka_run_group_tests_name("budget", tests, NULL, NULL);
}
