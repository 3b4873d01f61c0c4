/*
** test_scenario.c: the scenario reader (scenario.h) and the model's stream numbers (model.h).
** The layers under the reader (table.h, status.h) are tested in test_table.c.
**
** tests/fixtures/valid is a small scenario that uses every table; the first tests check the model
** it compiles to. Then one case per error of the format: each is a copy of the valid scenario
** (in a mkdtemp folder) with one edit, and must fail with an exact `file:line:column` and a key
** phrase. Run from the repository root (or define NSM_FIXTURES); NSM_SHOW_ERRORS=1 in the
** environment prints every message, to review their wording.
*/
#include "nsm_test.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "neasim/params.h"
#include "neasim/scenario.h"

#ifndef NSM_FIXTURES
#define NSM_FIXTURES "tests/fixtures"
#endif
#define VALID NSM_FIXTURES "/valid"
#define VALID_CHECKSUM "e565c4c4738cbb0ae24ff0798dd3dbc8e5700054ba578b56eb86201d5c89fd3d"

/* ---- helpers: scenario folders in temporary directories ---- */

static char *join(const char *dir, const char *file)
{
    char *p = NULL;
    assert_true(asprintf(&p, "%s/%s", dir, file) > 0);
    return p;
}

static char *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 16);
    assert_non_null(buf);
    *size = fread(buf, 1, (1 << 16) - 1, f);
    buf[*size] = '\0';
    fclose(f);
    return buf;
}

static void spit(const char *path, const char *text, size_t size)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, size, f), size);
    assert_int_equal(fclose(f), 0);
}

static void spit_in(const char *dir, const char *file, const char *text)
{
    char *p = join(dir, file);
    spit(p, text, strlen(text));
    free(p);
}

/* A new temporary folder holding a copy of the valid scenario. */
static char *copy_valid(void)
{
    char *dir = strdup("/tmp/nsm_scenario_XXXXXX");
    assert_non_null(mkdtemp(dir));
    DIR *dp = opendir(VALID);
    assert_non_null(dp);
    for (struct dirent *e; (e = readdir(dp)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        size_t n;
        char *from = join(VALID, e->d_name), *to = join(dir, e->d_name);
        char *text = slurp(from, &n);
        spit(to, text, n);
        free(text);
        free(from);
        free(to);
    }
    closedir(dp);
    return dir;
}

static void remove_dir(char *dir)
{
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    for (struct dirent *e; (e = readdir(dp)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        char *p = join(dir, e->d_name);
        if (unlink(p) != 0)
            rmdir(p);
        free(p);
    }
    closedir(dp);
    rmdir(dir);
    free(dir);
}

/* In dir/file, replace the first `find` by `repl`; find NULL: the whole file; repl NULL too:
** delete the file. */
static void edit(const char *dir, const char *file, const char *find, const char *repl)
{
    char *path = join(dir, file);
    if (!find && !repl) {
        assert_int_equal(unlink(path), 0);
    } else if (!find) {
        spit(path, repl, strlen(repl));
    } else {
        size_t n;
        char *text = slurp(path, &n), *at = strstr(text, find);
        if (!at)
            print_error("'%s' not found in %s\n", find, file);
        assert_non_null(at);
        char *out = NULL;
        assert_true(asprintf(&out, "%.*s%s%s", (int)(at - text), text, repl,
                             at + strlen(find)) >= 0);
        spit(path, out, strlen(out));
        free(out);
        free(text);
    }
    free(path);
}

/* Read a scenario that must be valid. */
static nsm_model *read_ok(const char *dir, nsm_diag *d)
{
    nsm_model *m = NULL;
    nsm_diag_init(d);
    nsm_status s = nsm_scenario_read(dir, &m, d);
    if (s != NSM_OK)
        print_error("unexpected error: %s\n", d->error ? d->error : "(none)");
    assert_int_equal(s, NSM_OK);
    assert_non_null(m);
    return m;
}

/* The message must start with `prefix` and contain `phrase`. */
static void expect_message(const char *msg, const char *prefix, const char *phrase)
{
    assert_non_null(msg);
    if (strncmp(msg, prefix, strlen(prefix)) != 0 || !strstr(msg, phrase)) {
        print_error("expected: %s...%s\n     got: %s\n", prefix, phrase, msg);
        fail();
    }
}

/* Reading dir must fail with status s, at dir/where, with phrase in the message. */
static void expect_failure(const char *dir, nsm_status s, const char *where, const char *phrase)
{
    nsm_model sentinel, *m = &sentinel; /* must be set to NULL */
    nsm_diag d;
    nsm_diag_init(&d);
    nsm_status got = nsm_scenario_read(dir, &m, &d);
    char *prefix = NULL;
    assert_true(asprintf(&prefix, "%s%s%s", dir, where[0] == ':' ? "" : "/", where) >= 0);
    if (got != s)
        print_error("status %d, message: %s\n", got, d.error ? d.error : "(none)");
    assert_int_equal(got, s);
    assert_null(m);
    expect_message(d.error, prefix, phrase);
    if (getenv("NSM_SHOW_ERRORS"))
        fprintf(stderr, "%s\n\n", d.error);
    free(prefix);
    nsm_diag_release(&d);
}

/* ---- the valid scenario ---- */

static void test_valid_metadata(void **state)
{
    (void)state;
    nsm_diag d;
    nsm_model *m = read_ok(VALID, &d);
    assert_string_equal(m->name, "valid_test");
    assert_string_equal(m->title, "A small scenario, exercising every table");
    assert_string_equal(m->description, "The fixture of tests/test_scenario.c");
    assert_int_equal(m->start_year, 2025);
    assert_int_equal(m->start_month, 1);
    assert_int_equal(m->start_day, 31);
    assert_int_equal(m->horizon_months, 24);
    assert_int_equal(m->report_interval_months, 1);
    assert_true(m->t_end == 730); /* days from the start, exact */
    assert_string_equal(m->checksum, VALID_CHECKSUM);
    assert_null(d.error);
    assert_null(d.warnings);
    nsm_model_free(m);
    nsm_diag_release(&d);
}

static void test_valid_report_dates(void **state)
{
    (void)state;
    nsm_diag d;
    nsm_model *m = read_ok(VALID, &d);
    static const char *want[] = {"2025-01-31", "2025-02-28", "2025-03-31", "2025-04-30",
                                 "2025-05-31", "2025-06-30"};
    assert_int_equal(m->n_reports, 25);
    for (int i = 0; i < 6; i++)
        assert_string_equal(m->report_date[i], want[i]);
    assert_string_equal(m->report_date[13], "2026-02-28");
    assert_string_equal(m->report_date[24], "2027-01-31");
    assert_true(m->report_t[0] == 0);
    assert_true(m->report_t[1] == 28);
    assert_true(m->report_t[2] == 59);
    assert_true(m->report_t[24] == m->t_end);
    nsm_model_free(m);
    nsm_diag_release(&d);
}

static void test_valid_month_starts(void **state)
{
    (void)state;
    nsm_diag d;
    nsm_model *m = read_ok(VALID, &d);
    assert_int_equal(m->month_of_start, 1);
    assert_int_equal(m->n_month_starts, 24); /* 2025-02-01 .. 2027-01-01 */
    assert_int_equal(m->month_start_month[0], 2);
    assert_true(m->month_start_t[0] == 1);
    assert_int_equal(m->month_start_month[11], 1);
    assert_true(m->month_start_t[11] == 335); /* 2026-01-01 */
    assert_int_equal(m->month_start_month[23], 1);
    assert_true(m->month_start_t[23] < m->t_end);
    assert_true(m->month_t[1] == 28);
    nsm_model_free(m);
    nsm_diag_release(&d);
}

static void test_valid_factors(void **state)
{
    (void)state;
    nsm_diag d;
    nsm_model *m = read_ok(VALID, &d);
    assert_int_equal(m->n_factors, 2);
    assert_int_equal(m->n_levels_total, 6);
    const nsm_factor *war = &m->factors[0], *regime = &m->factors[1];
    assert_string_equal(war->name, "war");
    assert_string_equal(war->description, "State of conflict");
    assert_int_equal(war->n_levels, 3);
    assert_string_equal(war->levels[2], "conflict");
    assert_true(war->initial[0] == 0.7 && war->initial[1] == 0.3 && war->initial[2] == 0);
    assert_int_equal(regime->first_level, 3);
    assert_string_equal(regime->levels[0], "a");
    assert_int_equal(war->stream, nsm_stream_id("init", "war"));
    nsm_model_free(m);
    nsm_diag_release(&d);
}

/* Wildcards expanded in row order, explicit rows first; all units become rates per year. */
static void test_valid_transitions(void **state)
{
    (void)state;
    nsm_diag d;
    nsm_model *m = read_ok(VALID, &d);
    static const int want[6][4] = {{0, 0, 1, 2}, {0, 0, 2, 3}, {0, 1, 2, 4},
                                   {0, 1, 0, 5}, {0, 2, 0, 5}, {1, 0, 1, 6}};
    static const double rate[6] = {0, 0.5, 0.25, 0.5, 0.5, 0.1};
    assert_int_equal(m->n_transitions, 6);
    for (int i = 0; i < 6; i++) {
        const nsm_transition *t = &m->transitions[i];
        assert_int_equal(t->factor, want[i][0]);
        assert_int_equal(t->from, want[i][1]);
        assert_int_equal(t->to, want[i][2]);
        assert_int_equal(t->source_line, want[i][3]);
        if (i > 0)
            assert_true(fabs(t->rate - rate[i]) < 1e-15);
    }
    assert_true(fabs(m->transitions[0].rate - -log1p(-0.2)) < 1e-15);
    assert_int_equal(m->transitions[1].stream, nsm_stream_id("transition", "war:peace>conflict"));
    assert_int_equal(m->transitions[4].stream, nsm_stream_id("transition", "war:conflict>peace"));
    nsm_model_free(m);
    nsm_diag_release(&d);
}

static void test_valid_events_and_modifiers(void **state)
{
    (void)state;
    nsm_diag d;
    nsm_model *m = read_ok(VALID, &d);
    assert_int_equal(m->n_events, 2);
    assert_string_equal(m->events[0].name, "launches");
    assert_true(m->events[0].rate == 12 && m->events[0].dispersion == 2);
    assert_int_equal(m->events[0].redraw_months, 6);
    assert_true(m->events[1].dispersion == 0);
    assert_int_equal(m->events[1].redraw_months, 12);
    assert_int_equal(m->events[1].gamma_stream, nsm_stream_id("gamma", "tests"));
    /* war:*>conflict matches transitions 1 and 2; launches is process 6 */
    assert_int_equal(m->n_modifiers, 3);
    assert_int_equal(m->modifiers[0].process, 1);
    assert_int_equal(m->modifiers[1].process, 2);
    assert_int_equal(m->modifiers[0].row, 1);
    assert_int_equal(m->modifiers[1].row, 1);
    assert_int_equal(m->modifiers[1].cond.n_clauses, 1);
    assert_int_equal(m->modifiers[1].cond.clauses[0].factor, 1);
    assert_int_equal(m->modifiers[1].cond.clauses[0].mask, 6); /* regime != a: b|c */
    const nsm_modifier *mod = &m->modifiers[2];
    assert_int_equal(mod->process, 6);
    assert_int_equal(mod->row, 2);
    assert_true(mod->multiplier == 1.5);
    assert_int_equal(mod->cond.n_clauses, 2);
    assert_int_equal(mod->cond.clauses[0].mask, 6); /* tension|conflict */
    assert_int_equal(mod->cond.clauses[1].mask, 1);
    nsm_model_free(m);
    nsm_diag_release(&d);
}

static void test_valid_seasonality(void **state)
{
    (void)state;
    nsm_diag d;
    nsm_model *m = read_ok(VALID, &d);
    assert_non_null(m->seasonality);
    const double *s = m->seasonality;
    assert_true(s[6 * 12 + 6] == 2 && s[6 * 12 + 7] == 0 && s[6 * 12 + 5] == 1);
    assert_true(s[0 * 12 + 6] == 1.5 && s[1 * 12 + 6] == 1.5 && s[2 * 12 + 6] == 1);
    assert_true(s[7 * 12 + 6] == 1);
    nsm_model_free(m);
    nsm_diag_release(&d);
}

/* A month cell may be a range or a list (spaces around '-' and '|'): the row's multiplier in each
** of its months; a distribution on such a row is one uncertain number, with the canonical path. */
static void test_season_month_lists(void **state)
{
    (void)state;
    char *dir = copy_valid();
    edit(dir, "seasonality.csv", NULL,
         "target,month,multiplier,source\n"
         "launches,7,2,judgment\n"
         "war:peace>*, 1 - 2 | 11-12 ,1.5,judgment\n"
         "launches,\"3-4|8\",0,judgment\n"
         "launches,12|10 | 11,\"uniform(1,3)\",judgment\n"
         "launches,5-5,4,judgment\n");
    nsm_diag d;
    nsm_model *m = read_ok(dir, &d);
    const double *s = m->seasonality;
    static const double launches[12] = {1, 1, 0, 0, 4, 1, 2, 0, 1, 2, 2, 2};
    for (int mo = 0; mo < 12; mo++) {
        double war = mo < 2 || mo >= 10 ? 1.5 : 1;
        assert_true(s[6 * 12 + mo] == launches[mo]);
        assert_true(s[0 * 12 + mo] == war && s[1 * 12 + mo] == war && s[2 * 12 + mo] == 1);
    }
    assert_int_equal(m->n_uncertain, 1);
    const nsm_uncertain *u = &m->uncertain[0];
    assert_string_equal(u->path, "seasonality:launches:10-12");
    assert_int_equal(u->stream, nsm_stream_id("param", "seasonality:launches:10-12"));
    assert_int_equal(u->n_params, 3);
    for (int j = 0; j < 3; j++) {
        assert_int_equal(u->params[j].kind, NSM_P_SEASONALITY);
        assert_int_equal(u->params[j].a, 6);
        assert_int_equal(u->params[j].b, 10 + j);
    }
    nsm_model_free(m);
    nsm_diag_release(&d);
    remove_dir(dir);
}

static void test_valid_draws(void **state)
{
    (void)state;
    nsm_diag d;
    nsm_model *m = read_ok(VALID, &d);
    static const double want[9] = {0.5, 0.3, 0.2, 0.5, 0.3, 0.2, 0, 0, 1};
    assert_int_equal(m->n_draws, 1);
    assert_string_equal(m->draws[0].name, "election");
    assert_int_equal(m->draws[0].factor, 1);
    for (int i = 0; i < 9; i++)
        assert_true(m->draws[0].prob[i] == want[i]);
    nsm_model_free(m);
    nsm_diag_release(&d);
}

/* Sorted by (t, row); 29 February falls on 28 February; occurrences before the start and after
** `until` are skipped. */
static void test_valid_calendar(void **state)
{
    (void)state;
    nsm_diag d;
    nsm_model *m = read_ok(VALID, &d);
    static const int row[6] = {3, 1, 4, 2, 3, 1};
    const double t[6] = {28, 277, 277, 393, 393, 642}; /* days from the start */
    assert_int_equal(m->n_calendar_names, 4);
    assert_string_equal(m->calendar_names[2], "leap");
    assert_int_equal(m->calendar_stream[0], nsm_stream_id("calendar", "vote"));
    assert_int_equal(m->n_occurrences, 6);
    for (int i = 0; i < 6; i++) {
        assert_int_equal(m->occurrences[i].row, row[i]);
        assert_int_equal(m->occurrences[i].entry, row[i] - 1);
        assert_true(m->occurrences[i].t == t[i]);
    }
    assert_int_equal(m->occurrences[1].action.kind, NSM_ACT_DRAW);
    assert_int_equal(m->occurrences[1].action.draw, 0);
    assert_int_equal(m->occurrences[1].action.factor, 1);
    assert_int_equal(m->occurrences[0].action.kind, NSM_ACT_SET);
    assert_int_equal(m->occurrences[0].action.factor, 1);
    assert_int_equal(m->occurrences[0].action.level, 1);
    nsm_model_free(m);
    nsm_diag_release(&d);
}

static void test_valid_effects_and_outcomes(void **state)
{
    (void)state;
    nsm_diag d;
    nsm_model *m = read_ok(VALID, &d);
    assert_int_equal(m->n_effects, 3);
    const nsm_effect *e = m->effects;
    assert_int_equal(e[0].trigger_event, -1);
    assert_int_equal(e[0].trigger_factor, 0);
    assert_int_equal(e[0].from_mask, 7);
    assert_int_equal(e[0].to_mask, 4);
    assert_true(e[0].probability == 0.5);
    assert_true(e[0].delay_days == 30);
    assert_int_equal(e[0].delay_kind, NSM_DELAY_UNIFORM);
    assert_int_equal(e[0].action.kind, NSM_ACT_DRAW);
    assert_int_equal(e[1].trigger_event, 1);
    assert_true(e[1].delay_days == 0);
    assert_int_equal(e[1].delay_kind, NSM_DELAY_FIXED);
    assert_int_equal(e[1].action.level, 1);
    assert_int_equal(e[2].row, 3);
    assert_int_equal(e[2].from_mask, 1);
    assert_int_equal(e[2].to_mask, 2);
    assert_true(e[2].delay_days == 365.25);
    assert_int_equal(e[2].delay_kind, NSM_DELAY_EXPONENTIAL);
    assert_int_equal(e[2].stream, nsm_stream_id("effect", "3"));
    assert_int_equal(m->n_outcomes, 2);
    assert_string_equal(m->outcomes[0].name, "at_war");
    assert_string_equal(m->outcomes[0].description, "In conflict");
    assert_int_equal(m->outcomes[0].cond.clauses[0].mask, 4);
    assert_null(m->outcomes[1].description);
    assert_int_equal(m->outcomes[1].cond.clauses[0].mask, 6);
    assert_int_equal(m->outcomes[1].cond.clauses[1].mask, 2);
    nsm_model_free(m);
    nsm_diag_release(&d);
}

/* ---- conditions that say 'or' across factors ---- */

typedef struct {
    const char *text;      /* as written in outcomes.csv */
    const char *canonical; /* as nsm_condition_format writes it (check shows it so) */
    int n_terms;
    int n_clauses;
    uint64_t mask[4];      /* war: peace 1, tension 2, conflict 4; regime: a 1, b 2, c 4 */
    int factor[4];         /* 0 war, 1 regime */
    int starts[4];         /* starts_term */
} or_case;

static const or_case or_cases[] = {
    /* '&' binds tighter than the cross-factor '|' */
    {"war=tension & regime=b | war=conflict", "war=tension & regime=b | war=conflict", 2, 3,
     {2, 2, 4}, {0, 1, 0}, {0, 0, 1}},
    {"war=peace | regime=b & war=tension", "war=peace | regime=b & war=tension", 2, 3,
     {1, 2, 2}, {0, 1, 0}, {0, 1, 0}},
    /* '|' before a bare level joins levels; before a clause, terms; '!=' in a term */
    {"war=peace|tension & regime!=a | regime=a", "war=peace|tension & regime=b|c | regime=a", 2,
     3, {3, 6, 1}, {0, 1, 1}, {0, 0, 1}},
    {"regime!=a|b|war=conflict", "regime=c | war=conflict", 2, 2, {4, 4}, {1, 0}, {0, 1}},
    /* level alternatives alone: a conjunction, as before */
    {"war=peace|conflict", "war=peace|conflict", 1, 1, {5}, {0}, {0}},
    {"war=peace|conflict & regime=a", "war=peace|conflict & regime=a", 1, 2, {5, 1}, {0, 1},
     {0, 0}},
    /* three terms, spaces or none */
    {"war=peace|regime=a|war=tension&regime!=b", "war=peace | regime=a | war=tension & regime=a|c",
     3, 4, {1, 1, 2, 5}, {0, 1, 0, 1}, {0, 1, 1, 0}},
};

static void check_or_case(const nsm_model *m, const nsm_condition *c, const or_case *k)
{
    char buf[256];
    nsm_condition_format(m, c, buf, sizeof buf);
    assert_string_equal(buf, k->canonical);
    assert_int_equal(c->n_terms, k->n_terms);
    assert_int_equal(c->n_clauses, k->n_clauses);
    for (int j = 0; j < k->n_clauses; j++) {
        if (c->clauses[j].starts_term != k->starts[j])
            print_error("%s: clause %d\n", k->text, j + 1);
        assert_int_equal(c->clauses[j].factor, k->factor[j]);
        assert_int_equal(c->clauses[j].mask, k->mask[j]);
        assert_int_equal(c->clauses[j].starts_term, k->starts[j]);
    }
}

/* Each condition read from outcomes.csv, then its canonical form read back: the same condition
** (check prints what it reads). */
static void test_or_conditions(void **state)
{
    (void)state;
    enum { N = sizeof or_cases / sizeof or_cases[0] };
    for (int pass = 0; pass < 2; pass++) {
        char *dir = copy_valid(), *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        assert_non_null(f);
        fprintf(f, "outcome,condition,description\n");
        for (int k = 0; k < N; k++)
            fprintf(f, "o%d,%s,\n", k, pass ? or_cases[k].canonical : or_cases[k].text);
        fclose(f);
        edit(dir, "outcomes.csv", NULL, text);
        nsm_diag d;
        nsm_model *m = read_ok(dir, &d);
        assert_int_equal(m->n_outcomes, N);
        for (int k = 0; k < N; k++)
            check_or_case(m, &m->outcomes[k].cond, &or_cases[k]);
        nsm_model_free(m);
        nsm_diag_release(&d);
        free(text);
        remove_dir(dir);
    }
}

/* A modifier may say 'or' across factors too (its behaviour: test_language.c). */
static void test_or_in_modifiers(void **state)
{
    (void)state;
    char *dir = copy_valid();
    edit(dir, "modifiers.csv", "regime!=a,2", "regime!=a | war=peace,2");
    nsm_diag d;
    nsm_model *m = read_ok(dir, &d);
    int found = 0;
    for (int j = 0; j < m->n_modifiers; j++)
        if (m->modifiers[j].cond.n_terms == 2) {
            found++;
            assert_int_equal(m->modifiers[j].cond.clauses[1].starts_term, 1);
            assert_int_equal(m->modifiers[j].cond.clauses[1].mask, 1);
        }
    assert_true(found > 0);
    nsm_model_free(m);
    nsm_diag_release(&d);
    remove_dir(dir);
}

/* ---- variants that are still valid ---- */

/* Byte-order mark, CRLF, columns in another order, quotes, spaces, blank and empty rows and
** trailing empty cells give the same model. */
static void test_spreadsheet_forms(void **state)
{
    (void)state;
    char *dir = copy_valid();
    edit(dir, "factors.csv", NULL,
         "\xEF\xBB\xBFsource,level,factor,initial,description,,\r\n"
         "judgment,peace,war,0.7,\"State of conflict\",,\r\n"
         "judgment, tension ,war,0.3,,,\r\n"
         "\r\n"
         ",,,,,,\r\n"
         "\"judgment, again\",\"conflict\",war,0,\"\",,\r\n"
         "judgment,a,regime,1,Who governs,,\r\n"
         "judgment,b,regime,0,,,\r\n"
         "judgment,c,regime,0,,,");
    nsm_diag d;
    nsm_model *m = read_ok(dir, &d);
    assert_int_equal(m->n_factors, 2);
    assert_string_equal(m->factors[0].levels[1], "tension");
    assert_string_equal(m->factors[0].description, "State of conflict");
    assert_int_equal(m->n_transitions, 6);
    assert_string_not_equal(m->checksum, VALID_CHECKSUM);
    nsm_model_free(m);
    nsm_diag_release(&d);
    remove_dir(dir);
}

static void test_optional_columns_and_tables(void **state)
{
    (void)state;
    char *dir = copy_valid();
    edit(dir, "events.csv", NULL, "event,rate_per_year,source\nlaunches,12,x\ntests,0.5,x\n");
    static const char *optional[] = {"modifiers.csv", "seasonality.csv", "calendar.csv",
                                     "effects.csv", "outcomes.csv"};
    for (int i = 0; i < 5; i++)
        edit(dir, optional[i], NULL, NULL);
    edit(dir, "draws.csv", NULL, NULL);
    nsm_diag d;
    nsm_model *m = read_ok(dir, &d);
    assert_true(m->events[0].dispersion == 0);
    assert_int_equal(m->events[0].redraw_months, 12);
    assert_null(m->events[0].description);
    assert_null(m->seasonality);
    assert_int_equal(m->n_modifiers + m->n_draws + m->n_occurrences + m->n_effects, 0);
    assert_int_equal(m->n_outcomes, 0);
    nsm_model_free(m);
    nsm_diag_release(&d);
    remove_dir(dir);
}

static void test_report_interval(void **state)
{
    (void)state;
    char *dir = copy_valid();
    edit(dir, "scenario.csv", "report_interval_months,1", "report_interval_months,5");
    edit(dir, "scenario.csv", "2025-01-31", "2024-02-29");
    edit(dir, "calendar.csv", NULL, "name,date,action,source\nx,2024-03-01,war=peace,s\n");
    nsm_diag d;
    nsm_model *m = read_ok(dir, &d);
    static const char *want[] = {"2024-02-29", "2024-07-29", "2024-12-29", "2025-05-29",
                                 "2025-10-29", "2026-02-28"};
    assert_int_equal(m->n_reports, 6);
    for (int i = 0; i < 6; i++)
        assert_string_equal(m->report_date[i], want[i]);
    assert_int_equal(m->month_of_start, 2);
    assert_int_equal(m->month_start_month[0], 3);
    assert_true(m->month_start_t[0] == 1);
    nsm_model_free(m);
    nsm_diag_release(&d);
    remove_dir(dir);
}

static void test_warnings(void **state)
{
    (void)state;
    char *dir = copy_valid();
    edit(dir, "factors.csv", "war,tension,0.3,,judgment", "war,tension,0.3,,");
    edit(dir, "scenario.csv", "horizon_years,2,fixture: two years cover two February ends",
         "horizon_years,2,");
    nsm_diag d;
    nsm_model *m = read_ok(dir, &d);
    char *want = NULL;
    assert_true(asprintf(&want, "%s/scenario.csv:5:17: warning: empty source", dir) > 0);
    expect_message(d.warnings, want, "where this row comes from");
    free(want);
    assert_true(asprintf(&want, "\n%s/factors.csv:3:18: warning: empty source", dir) > 0);
    assert_non_null(strstr(d.warnings, want));
    free(want);
    nsm_model_free(m);
    nsm_diag_release(&d);
    remove_dir(dir);
}

/* An unquoted comma in a row whose last cell is empty: the row is one cell wider than the header,
** the extra cell empty, and it was read without a word, its cells one column right of their
** names (here the description cut in two, its end read as the source). */
static void test_wide_row_warning(void **state)
{
    (void)state;
    char *dir = copy_valid();
    edit(dir, "scenario.csv", "description,The fixture of", "description,The fixture, of");
    nsm_diag d;
    nsm_model *m = read_ok(dir, &d);
    char *want = NULL;
    assert_true(asprintf(&want, "%s/scenario.csv:7:51: warning: this row has 4 cells and the "
                         "header 3; the empty cells at its end are ignored, but if a value of the "
                         "row holds a comma, put that value in quotes", dir) > 0);
    assert_non_null(strstr(d.warnings, want));
    assert_null(strstr(d.warnings, "decimal comma")); /* no two numbers side by side */
    free(want);
    nsm_model_free(m);
    nsm_diag_release(&d);
    remove_dir(dir);
}

/* A number written with a decimal comma in a row whose last cell is empty: the warning says which
** two cells may be one number, and how to write it; two numbers in quotes are not such a pair. */
static void test_wide_row_decimal_comma(void **state)
{
    (void)state;
    char *dir = copy_valid();
    edit(dir, "transitions.csv", "regime,a,b,0.1,rate_per_year,judgment",
         "regime,a,b,0,1,rate_per_year,");
    nsm_diag d;
    nsm_diag_init(&d);
    nsm_model *m = NULL;
    assert_int_equal(nsm_scenario_read(dir, &m, &d), NSM_ERR_INPUT); /* '1' is not a unit */
    char *want = NULL;
    assert_true(asprintf(&want, "%s/transitions.csv:6:30: warning: this row has 7 cells", dir) > 0);
    assert_non_null(d.warnings);
    assert_non_null(strstr(d.warnings, want));
    assert_non_null(strstr(d.warnings, "put that value in quotes, or its cells are read one column "
                                       "to the right of their names; if 0,1 at column 12 is one "
                                       "number with a decimal comma, write 0.1"));
    free(want);
    nsm_diag_release(&d);
    remove_dir(dir);
    dir = copy_valid(); /* the same numbers in quotes: written as two cells on purpose */
    edit(dir, "transitions.csv", "regime,a,b,0.1,rate_per_year,judgment",
         "regime,a,b,0.1,rate_per_year,\"0\",\"1\"");
    nsm_diag_init(&d);
    assert_int_equal(nsm_scenario_read(dir, &m, &d), NSM_ERR_INPUT);
    assert_non_null(d.error);
    assert_non_null(strstr(d.error, "this row has 7 cells but the header has 6 columns"));
    assert_null(strstr(d.error, "decimal comma"));
    nsm_diag_release(&d);
    remove_dir(dir);
}

static void test_checksum(void **state)
{
    (void)state;
    char *dir = copy_valid();
    nsm_diag d;
    nsm_model *m = read_ok(dir, &d);
    assert_string_equal(m->checksum, VALID_CHECKSUM); /* independent of the folder */
    nsm_model_free(m);
    nsm_diag_release(&d);
    edit(dir, "outcomes.csv", "In conflict", "In conflict.");
    m = read_ok(dir, &d);
    assert_int_equal(strlen(m->checksum), 64);
    assert_string_not_equal(m->checksum, VALID_CHECKSUM);
    nsm_model_free(m);
    nsm_diag_release(&d);
    remove_dir(dir);
}

/* ---- I/O errors ---- */

static void test_missing_folder(void **state)
{
    (void)state;
    nsm_model *m = NULL;
    nsm_diag d;
    nsm_diag_init(&d);
    assert_int_equal(nsm_scenario_read("/nonexistent/scenario", &m, &d), NSM_ERR_IO);
    assert_null(m);
    expect_message(d.error, "/nonexistent/scenario: error: cannot open the scenario folder",
                   "No such file or directory");
    nsm_diag_release(&d);
    char *file = join(VALID, "factors.csv");
    assert_int_equal(nsm_scenario_read(file, &m, &d), NSM_ERR_IO);
    expect_message(d.error, file, "Not a directory");
    free(file);
    nsm_diag_release(&d);
}

/* A folder its reader may not open. Root opens anything, so under root (as make test runs in CI)
** the folder is read by a child process that has given root up for the user nobody: the same
** refusal, which a skip under root had left untested. A child cannot use cmocka's assertions (a
** failure would go on with the rest of the tests in the child): it says what it got and exits 1. */
static void test_unreadable_folder(void **state)
{
    (void)state;
    char *dir = copy_valid();
    assert_int_equal(chmod(dir, 0), 0);
    if (geteuid() != 0) {
        expect_failure(dir, NSM_ERR_IO, ": error: cannot open the scenario folder",
                       "Permission denied");
    } else {
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            if (setgid(65534) != 0 || setuid(65534) != 0)
                _exit(2);
            nsm_model sentinel, *m = &sentinel;
            nsm_diag d;
            nsm_diag_init(&d);
            nsm_status got = nsm_scenario_read(dir, &m, &d);
            const char *e = d.error ? d.error : "(none)";
            int ok = got == NSM_ERR_IO && m == NULL && strncmp(e, dir, strlen(dir)) == 0 &&
                     strstr(e, ": error: cannot open the scenario folder") &&
                     strstr(e, "Permission denied");
            if (!ok)
                fprintf(stderr, "as nobody: status %d, message: %s\n", got, e);
            _exit(ok ? 0 : 1);
        }
        int st = 0;
        assert_int_equal(waitpid(pid, &st, 0), pid);
        assert_true(WIFEXITED(st));
        if (WEXITSTATUS(st) == 2) {
            print_message("cannot become the user nobody here: the unreadable folder is not read\n");
            assert_int_equal(chmod(dir, 0700), 0);
            remove_dir(dir);
            skip();
        }
        assert_int_equal(WEXITSTATUS(st), 0);
    }
    assert_int_equal(chmod(dir, 0700), 0);
    remove_dir(dir);
}

static void test_unreadable_table(void **state)
{
    (void)state;
    char *dir = copy_valid();
    char *path = join(dir, "draws.csv");
    assert_int_equal(unlink(path), 0);
    assert_int_equal(mkdir(path, 0700), 0);
    expect_failure(dir, NSM_ERR_IO, "draws.csv: error: cannot read", "Is a directory");
    free(path);
    remove_dir(dir);
}

/* ---- generated bad files ---- */

static void test_binary_file(void **state)
{
    (void)state;
    char *dir = copy_valid();
    char *path = join(dir, "events.csv");
    spit(path, "event,rate_per_year\nab\0cd\n", 26);
    expect_failure(dir, NSM_ERR_INPUT, "events.csv:2:3: error: not a text file", "NUL byte");
    free(path);
    remove_dir(dir);
}

/* 64 levels are fine, 65 are not. */
static void test_too_many_levels(void **state)
{
    (void)state;
    char *dir = copy_valid();
    char *text = strdup("factor,level,initial,source\nwar,peace,1,x\nwar,tension,0,x\n"
                        "war,conflict,0,x\nregime,a,1,x\nregime,b,0,x\nregime,c,0,x\n");
    for (int i = 0; i < 61; i++) {
        char *more = NULL;
        assert_true(asprintf(&more, "%swar,l%d,0,x\n", text, i) > 0);
        free(text);
        text = more;
    }
    spit_in(dir, "factors.csv", text);
    free(text);
    nsm_diag d;
    nsm_model *m = read_ok(dir, &d);
    assert_int_equal(m->factors[0].n_levels, 64);
    nsm_model_free(m);
    nsm_diag_release(&d);
    edit(dir, "factors.csv", "war,l60,0,x\n", "war,l60,0,x\nwar,l61,0,x\n");
    expect_failure(dir, NSM_ERR_INPUT, "factors.csv:69:5: error: factor 'war' has more than 64 "
                   "levels", "64");
    remove_dir(dir);
}

/* ---- one edit, one error ---- */

typedef struct {
    const char *name;
    const char *file;   /* the file to change */
    const char *find;   /* the text to replace; NULL: the whole file */
    const char *repl;   /* NULL (with find NULL): delete the file */
    const char *where;  /* how the message starts, after "<dir>/" (after "<dir>" if ':') */
    const char *phrase; /* somewhere in the message */
} bad_case;

static bad_case cases[] = {
    /* files and CSV */
    {"missing_table", "transitions.csv", NULL, NULL, "transitions.csv: error: missing required "
     "table transitions.csv", "factor,from,to,value,unit,duration,source"},
    {"empty_file", "outcomes.csv", NULL, "", "outcomes.csv:1:1: error: file is empty",
     "outcome,condition,occurrence,description"},
    {"invalid_utf8", "factors.csv", "Who governs", "Who gov\xE9rns",
     "factors.csv:5:19: error: invalid UTF-8", "0xE9"},
    {"unterminated_quote", "scenario.csv", "every table\",", "every table,",
     "scenario.csv:3:7: error: unterminated quoted field", "never closed"},
    {"quote_in_unquoted_field", "factors.csv", "State of conflict", "State \"of\" conflict",
     "factors.csv:2:21: error: quote inside an unquoted field", "\"\""},
    {"text_after_closing_quote", "scenario.csv", "every table\",", "every table\"x,",
     "scenario.csv:3:49: error: text after the closing quote", "\"\""},
    {"missing_column", "transitions.csv", "value,unit,source", "value,source",
     "transitions.csv:1:1: error: missing column 'unit'", "factor,from,to,value,unit,duration,source"},
    {"unknown_column", "factors.csv", "description,source", "description,sorce",
     "factors.csv:1:34: error: unknown column 'sorce'; did you mean 'source'?", "factors.csv"},
    {"duplicate_column", "events.csv", "description,source", "rate_per_year,source",
     "events.csv:1:46: error: column 'rate_per_year' appears twice",
     "(first at column 7): remove one of the two, or rename it"},
    {"empty_column_name", "outcomes.csv", "outcome,condition", "outcome,,condition",
     "outcomes.csv:1:9: error: empty column name", "outcome,condition,occurrence,description"},
    {"too_many_cells", "transitions.csv", "0.1,rate_per_year", "0,1,rate_per_year",
     "transitions.csv:6:30: error: this row has 7 cells but the header has 6 columns",
     "decimals use a point; if 0,1 at column 12 is one number with a decimal comma, write 0.1)"},
    {"too_few_cells", "outcomes.csv", "at_war,war=conflict,In conflict", "at_war,war=conflict",
     "outcomes.csv:2:1: error: this row has 2 cells but the header has 3 columns",
     "give every column a cell, an empty one where there is no value"},
    /* the error a shifted cell gives says that a comma may have shifted it (before, only that
    ** '31 January' is not a date) */
    {"comma_shifts_cells", "scenario.csv", "start_date,2025-01-31,", "start_date,31 January, 2025,",
     "scenario.csv:4:12: error: '31 January' is not a date", "this row has 4 cells and the header "
     "3: the empty cells at its end were ignored, but if a value before this cell holds a comma, "
     "put that value in quotes"},
    /* scenario.csv */
    {"unknown_key", "scenario.csv", "report_interval_months", "report_interval_month",
     "scenario.csv:6:1: error: unknown key 'report_interval_month'; did you mean "
     "'report_interval_months'?", "keys"},
    {"duplicate_key", "scenario.csv", "description,The", "title,The",
     "scenario.csv:7:1: error: key 'title' is given twice (first at line 3)", "twice"},
    {"missing_key", "scenario.csv", "start_date,2025-01-31,\n", "",
     "scenario.csv:1:1: error: missing key 'start_date'", "start_date"},
    {"missing_title", "scenario.csv", "\"A small scenario, exercising every table\"", "\"\"",
     "scenario.csv:3:7: error: missing title", "title"},
    {"bad_date_day", "scenario.csv", "2025-01-31", "2025-02-30",
     "scenario.csv:4:12: error: '2025-02-30' is not a date", "2025-02 has 28 days"},
    {"horizon_zero", "scenario.csv", "horizon_years,2", "horizon_years,0",
     "scenario.csv:5:15: error: horizon_years must be above 0", "at most 100"},
    {"horizon_too_long", "scenario.csv", "horizon_years,2", "horizon_years,101",
     "scenario.csv:5:15: error: horizon_years must be above 0", "101"},
    {"horizon_past_9999", "scenario.csv", "start_date,2025-01-31,\nhorizon_years,2",
     "start_date,9990-03-31,\nhorizon_years,10",
     "scenario.csv:5:15: error: horizon_years 10 from 9990-03-31 ends after 9999-12-31",
     "the latest end is 9999-12-31 (horizon_years at most 9.75)"},
    {"horizon_start_9999_12", "scenario.csv", "start_date,2025-01-31", "start_date,9999-12-01",
     "scenario.csv:5:15: error: horizon_years 2 from 9999-12-01 ends after 9999-12-31",
     "start earlier"},
    {"interval_out_of_range", "scenario.csv", "report_interval_months,1",
     "report_interval_months,0", "scenario.csv:6:24: error: report_interval_months must be "
     "between 1 and 120, not 0", "120"},
    {"bad_scenario_name", "scenario.csv", "name,valid_test", "name,Valid test",
     "scenario.csv:2:6: error: 'Valid test' is not a valid scenario name",
     "snake_case, a lower-case letter followed by lower-case letters, digits and '_'; write "
     "'valid_test'"},
    /* factors.csv */
    {"bad_factor_name", "factors.csv", "regime,a,1", "Regime,a,1",
     "factors.csv:5:1: error: 'Regime' is not a valid factor name", "; write 'regime'"},
    {"long_name", "outcomes.csv", "at_war,", "a123456789012345678901234567890123456789"
     "012345678901234567890123,", "outcomes.csv:2:1: error: outcome name 'a1234",
     /* said how to fix it, and for which names: only "longer than 63 characters" before */
     "' is 64 characters long; every name (of a factor, level, event, draw, outcome, lever, "
     "calendar entry, id or scenario) has at most 63 characters: shorten it, and give the full "
     "wording in the column label, which reports show instead of the name"},
    {"long_calendar_name", "calendar.csv", "vote,", "a12345678901234567890123456789012345678"
     "90123456789012345678901234,", "calendar.csv:2:1: error: calendar entry name 'a1234",
     "has at most 63 characters: shorten it\n"},
    {"duplicate_level", "factors.csv", "war,conflict,0", "war,tension,0",
     "factors.csv:4:5: error: level 'tension' of factor 'war' is defined twice (first at line 3)",
     "twice"},
    {"initial_above_one", "factors.csv", "war,peace,0.7", "war,peace,1.7",
     "factors.csv:2:11: error: initial '1.7' is not a probability", "between 0 and 1"},
    {"initial_sum", "factors.csv", "war,tension,0.3", "war,tension,0.4",
     "factors.csv:2:11: error: the initial probabilities of factor 'war' sum to 1.1, not 1",
     "sum"},
    {"number_na", "factors.csv", "regime,b,0,", "regime,b,NA,",
     "factors.csv:6:10: error: 'NA' is not a number", "initial"},
    {"no_factors", "factors.csv", NULL, "factor,level,initial,description,source\n",
     "factors.csv:1:1: error: factors.csv defines no factor", "level"},
    /* transitions.csv */
    {"unknown_factor", "transitions.csv", "regime,a,b", "regme,a,b",
     "transitions.csv:6:1: error: unknown factor 'regme'; did you mean 'regime'?", "factors"},
    {"unknown_level", "transitions.csv", "war,peace,tension", "war,peace,tensoin",
     "transitions.csv:2:11: error: unknown level 'tensoin' of factor 'war'; did you mean "
     "'tension'?", "tension"},
    {"transition_to_itself", "transitions.csv", "war,peace,tension", "war,peace,peace",
     "transitions.csv:2:11: error: a transition from 'peace' to itself", "not a move"},
    {"to_wildcard", "transitions.csv", "regime,a,b", "regime,a,*",
     "transitions.csv:6:10: error: to cannot be '*'", "one level"},
    {"duplicate_transition", "transitions.csv", "war,tension,conflict", "war,peace,tension",
     "transitions.csv:4:1: error: transition war:peace>tension is given twice (first at line 2)",
     "twice"},
    {"duplicate_wildcard", "transitions.csv", "war,tension,conflict", "war,*,conflict",
     "transitions.csv:4:1: error: transition war:*>conflict is given twice (first at line 3)",
     "twice"},
    {"annual_probability_one", "transitions.csv", "0.2,annual", "1,annual",
     "transitions.csv:2:19: error: annual_probability '1' must be below 1", "rate_per_year"},
    {"annual_probability_above_one", "transitions.csv", "0.2,annual", "1.5,annual",
     "transitions.csv:2:19: error: annual_probability '1.5' must be below 1",
     "(1.5% is 0.015); a rate of 1.5 a year is written with the unit rate_per_year"},
    {"negative_rate", "transitions.csv", "0.1,rate_per_year", "-0.1,rate_per_year",
     "transitions.csv:6:12: error: rate_per_year '-0.1' is negative", "0 or more"},
    {"mean_years_zero", "transitions.csv", "4,mean_years", "0,mean_years",
     "transitions.csv:4:22: error: mean_years must be above 0", "0"},
    {"number_with_comma", "transitions.csv", "0.1,rate_per_year", "\"0,1\",rate_per_year",
     "transitions.csv:6:12: error: '0,1' is not a number", "decimal point"},
    {"number_with_percent", "transitions.csv", "0.2,annual", "20%,annual",
     "transitions.csv:2:19: error: '20%' is not a number", "12% is 0.12"},
    {"unknown_unit", "transitions.csv", "0.1,rate_per_year", "0.1,rate_per_yr",
     "transitions.csv:6:16: error: unknown unit 'rate_per_yr'; did you mean 'rate_per_year'?",
     "mean_years"},
    /* events.csv */
    {"duplicate_event", "events.csv", "tests,0.5", "launches,0.5",
     "events.csv:3:1: error: event 'launches' is defined twice (first at line 2)", "twice"},
    {"event_named_as_factor", "events.csv", "tests,0.5", "war,0.5",
     "events.csv:3:1: error: event 'war' has the name of a factor",
     "namespace): rename the event or the factor"},
    {"infinite_rate", "events.csv", "launches,12", "launches,inf",
     "events.csv:2:10: error: 'inf' is not a number", "rate_per_year"},
    {"huge_rate", "events.csv", "launches,12", "launches,1e999",
     "events.csv:2:10: error: '1e999' is too large", "for a number: the largest is about 1.8e308; "
     "check the exponent after the 'e' (1e3 is 1000)"},
    {"dispersion_zero", "events.csv", "12,2,6", "12,0,6",
     "events.csv:2:13: error: dispersion must be above 0", "Poisson"},
    /* modifiers.csv */
    {"unknown_event", "modifiers.csv", "launches,war=", "lunches,war=",
     "modifiers.csv:3:1: error: unknown event 'lunches'; did you mean 'launches'?", "factor"},
    {"factor_as_target", "modifiers.csv", "launches,war=", "war,war=",
     "modifiers.csv:3:1: error: 'war' is a factor", "war:from>to"},
    {"target_matches_nothing", "modifiers.csv", "war:*>conflict", "regime:b>a",
     "modifiers.csv:2:1: error: target 'regime:b>a' matches no transition", "transitions.csv"},
    {"target_unknown_level", "modifiers.csv", "war:*>conflict", "war:*>confict",
     "modifiers.csv:2:7: error: unknown level 'confict' of factor 'war'", "'conflict'"},
    {"negative_multiplier", "modifiers.csv", "regime!=a,2", "regime!=a,-2",
     "modifiers.csv:2:26: error: multiplier '-2' is negative", "0 or more"},
    {"condition_missing_equals", "modifiers.csv", "regime!=a,2", "regime a,2",
     "modifiers.csv:2:16: error: clause 'regime a' has no '='", "factor=level"},
    {"condition_unknown_level", "modifiers.csv", "war=tension|conflict", "war=tension|conflit",
     "modifiers.csv:3:22: error: unknown level 'conflit' of factor 'war'; did you mean "
     "'conflict'?", "conflict"},
    {"condition_empty_clause", "modifiers.csv", "regime!=a,2", "regime!=a &,2",
     "modifiers.csv:2:27: error: empty clause", "'&'"},
    {"condition_missing", "modifiers.csv", "regime!=a,2", ",2",
     "modifiers.csv:2:16: error: missing condition", "factor=level"},
    /* seasonality.csv */
    {"season_month", "seasonality.csv", "launches,8,0", "launches,13,0",
     "seasonality.csv:4:10: error: month 13 is not 1-12 (in '13')", "3-4|8"},
    {"season_month_zero", "seasonality.csv", "launches,8,0", "launches,3-0,0",
     "seasonality.csv:4:12: error: month 0 is not 1-12 (in '3-0')", "a range LOW-HIGH"},
    {"season_missing_month", "seasonality.csv", "launches,8,0", "launches,,0",
     "seasonality.csv:4:10: error: missing month: write a month 1-12", "3-4|8"},
    {"season_range_open", "seasonality.csv", "launches,8,0", "launches,3-,0",
     "seasonality.csv:4:12: error: month list '3-' ends after '-' (a range is LOW-HIGH)", "3-4"},
    {"season_range_backwards", "seasonality.csv", "launches,8,0", "launches,4-3,0",
     "seasonality.csv:4:10: error: the range 4-3 runs backwards: for a season across the new "
     "year, write two ranges (4-12|1-3)", "write the lower month first (3-4)"},
    {"season_range_backwards_in_list", "seasonality.csv", "launches,8,0", "launches,1 | 12-2,0",
     "seasonality.csv:4:14: error: the range 12-2 runs backwards", "(12|1-2)"},
    {"season_list_empty_item", "seasonality.csv", "launches,8,0", "launches,3||4,0",
     "seasonality.csv:4:12: error: expected a month after '|' in '3||4', not '|'", "3-4|8"},
    {"season_list_ends_in_bar", "seasonality.csv", "launches,8,0", "launches,\"3|\",0",
     "seasonality.csv:4:13: error: month list '3|' ends after '|'", "3-4|8"},
    {"season_list_starts_with_bar", "seasonality.csv", "launches,8,0", "launches,|3,0",
     "seasonality.csv:4:10: error: expected a month at the start in '|3', not '|'", "3-4|8"},
    {"season_list_bad_separator", "seasonality.csv", "launches,8,0", "launches,3;4,0",
     "seasonality.csv:4:11: error: unexpected ';' in month list '3;4'", "joined by '|'"},
    {"season_month_word", "seasonality.csv", "launches,8,0", "launches,March,0",
     "seasonality.csv:4:10: error: months are numbers: write 3 for 'Mar'", "1-12"},
    {"season_list_twice_in_row", "seasonality.csv", "launches,8,0", "launches,8|5-9,0",
     "seasonality.csv:4:12: error: month 8 is listed twice in '8|5-9'", "each month once"},
    {"season_duplicate", "seasonality.csv", "launches,8,0", "launches,7,0",
     "seasonality.csv:4:10: error: the multiplier of 'launches' in month 7 is given twice "
     "(first at line 2, months '7')", "write the row again without it"},
    {"season_duplicate_in_range", "seasonality.csv", "launches,8,0", "launches, 5 - 12 ,0",
     "seasonality.csv:4:11: error: the multiplier of 'launches' in month 7 is given twice "
     "(first at line 2, months '7')", "list each month in one row of 'launches' only"},
    {"season_duplicate_of_range", "seasonality.csv", "launches,7,2", "launches,6-8|1,2",
     "seasonality.csv:4:10: error: the multiplier of 'launches' in month 8 is given twice "
     "(first at line 2, months '6-8|1')", "drop the base's row"},
    /* draws.csv */
    {"draw_probability_negative", "draws.csv", "regime,c,c,1", "regime,c,c,-1",
     "draws.csv:5:21: error: probability '-1' is not a probability", "between 0 and 1"},
    {"draw_sum", "draws.csv", "regime,*,c,0.2", "regime,*,c,0.3",
     "draws.csv:2:21: error: the probabilities of draw 'election' from '*' sum to 1.1, not 1",
     "sum"},
    {"draw_not_covering", "draws.csv", NULL,
     "draw,factor,from,to,probability,source\nelection,regime,a,b,1,x\nelection,regime,c,c,1,x\n",
     "draws.csv:2:1: error: draw 'election' does not say where level 'b' of factor 'regime' goes",
     "from=*"},
    {"duplicate_draw_row", "draws.csv", "election,regime,c,c,1", "election,regime,*,c,1",
     "draws.csv:5:1: error: draw 'election' from '*' to 'c' is given twice (first at line 4)",
     "twice"},
    {"draw_factor_mismatch", "draws.csv", "election,regime,c,c,1", "election,war,peace,peace,1",
     "draws.csv:5:10: error: draw 'election' re-draws factor 'regime' in its earlier rows, not "
     "'war'", "war"},
    /* calendar.csv */
    {"unknown_draw", "calendar.csv", "draw:election", "draw:elections",
     "calendar.csv:2:25: error: unknown draw 'elections'; did you mean 'election'?", "draws.csv"},
    {"action_unknown_level", "calendar.csv", "war=peace", "war=pece",
     "calendar.csv:3:25: error: unknown level 'pece' of factor 'war'; did you mean 'peace'?",
     "peace"},
    {"action_malformed", "calendar.csv", "war=peace", "war",
     "calendar.csv:3:21: error: action 'war' is not factor=level, draw:name or event:name", "draw:"},
    /* a target's or a condition's way of writing, in the wrong cell: said with the right one
    ** (before: not factor=level..., unknown event 'regime=b', unknown level 'tension|conflict') */
    {"action_with_colon", "calendar.csv", "war=peace", "war:peace",
     "calendar.csv:3:21: error: action 'war:peace': an action sets a level with '='",
     "write 'war=peace'"},
    {"action_as_change", "calendar.csv", "war=peace", "war:*>peace",
     "calendar.csv:3:21: error: action 'war:*>peace': an action sets a level with '='",
     "write 'war=peace'"},
    {"trigger_as_condition", "effects.csv", "regime:a>b", "regime=b",
     "effects.csv:4:1: error: a change is written factor:from>to", "write regime:*>b"},
    {"target_level_list", "modifiers.csv", "war:*>conflict", "war:*>tension|conflict",
     "modifiers.csv:2:7: error: 'tension|conflict' is not one level",
     "write one row for each change"},
    {"duplicate_calendar_name", "calendar.csv", "same_day,", "vote,",
     "calendar.csv:5:1: error: calendar entry 'vote' is defined twice (first at line 2)",
     "twice"},
    {"bad_date_month", "calendar.csv", "2026-02-28,,,", "2026-13-28,,,",
     "calendar.csv:3:8: error: '2026-13-28' is not a date: month 13 is not 1-12", "month"},
    {"bad_date_format", "calendar.csv", "2025-11-04,1", "11/4/2025,1",
     "calendar.csv:2:6: error: '11/4/2025' is not a date: write dates as YYYY-MM-DD", "YYYY"},
    {"date_before_horizon", "calendar.csv", "2026-02-28,,,war", "2024-02-28,,,war",
     "calendar.csv:3:8: error: date 2024-02-28 is before the start of the horizon (2025-01-31)",
     "move it to 2025-01-31 or later"},
    {"date_after_horizon", "calendar.csv", "2026-02-28,,,war", "2027-02-01,,,war",
     "calendar.csv:3:8: error: date 2027-02-01 is after the end of the horizon (2027-01-31)",
     "end"},
    {"no_occurrence", "calendar.csv", "2024-02-29,1,2026-12-31", "2024-02-29,1,2024-12-31",
     "calendar.csv:4:6: error: calendar entry 'leap' (from 2024-02-29 every 1 year until "
     "2024-12-31) has no occurrence within the horizon", "2025-01-31 to 2027-01-31"},
    {"until_before_date", "calendar.csv", "2024-02-29,1,2026-12-31", "2024-02-29,1,2023-12-31",
     "calendar.csv:4:19: error: until 2023-12-31 is before the first date 2024-02-29",
     "give a date on or after it"},
    {"until_without_repeat", "calendar.csv", "2026-02-28,,,", "2026-02-28,,2026-03-01,",
     "calendar.csv:3:20: error: 'until' is for recurring entries", "repeat_years"},
    {"stream_collision", "calendar.csv", NULL, "name,date,action,source\n"
     "c48590,2025-03-01,war=peace,x\nc153391,2025-03-02,war=peace,x\n",
     ": error: the random streams of 'calendar:c48590' and 'calendar:c153391'", "rename"},
    /* effects.csv */
    {"effect_probability_zero", "effects.csv", "tests,1,", "tests,0,",
     "effects.csv:3:7: error: probability must be above 0", "above 0: at 0 the effect would "
     "never happen; remove the row if it should not, or give a small probability (0.001) if it "
     "is rare"},
    {"unknown_delay", "effects.csv", "uniform", "unifrom",
     "effects.csv:2:23: error: unknown delay 'unifrom'; did you mean 'uniform'?", "exponential"},
    {"negative_delay", "effects.csv", "0.5,30,", "0.5,-30,",
     "effects.csv:2:20: error: delay_days '-30' is negative", "0 or more"},
    {"not_a_change", "effects.csv", "regime:a>b", "regime:a>a",
     "effects.csv:4:1: error: 'regime:a>a' is not a change", "same level"},
    {"trigger_without_arrow", "effects.csv", "regime:a>b", "regime:a",
     "effects.csv:4:8: error: 'regime:a' has no '>'", "factor:from>to"},
    /* distributions a run could draw but not use: refused at the cell (scenario/uncertain.c) */
    {"dist_annual_probability_reaches_1", "transitions.csv", "0.2,annual", "\"beta(1,0.01)\",annual",
     "transitions.csv:2:19: error: 'beta(1,0.01)' can draw 1 (the upper end of its range)",
     "an annual_probability must be at least 0 and below 1"},
    {"dist_annual_probability_sqrt_tail", "transitions.csv", "0.2,annual",
     "\"beta(1,0.5)\",annual", "transitions.csv:2:19: error: 'beta(1,0.5)' can draw 1", "below 1"},
    {"dist_annual_probability_above_1", "transitions.csv", "0.2,annual", "\"uniform(0.1,1.1)\",annual",
     "transitions.csv:2:19: error: value is a probability, but 'uniform(0.1,1.1)'", "[0, 1]"},
    {"dist_mean_years_reaches_0", "transitions.csv", "4,mean_years", "\"gamma(1e-300,1)\",mean_years",
     "transitions.csv:4:22: error: 'gamma(1e-300,1)' can draw 0 (the lower end of its range)",
     "mean_years must be above 0"},
    {"dist_rate_infinite_mean", "transitions.csv", "0.1,rate_per_year",
     "\"lognormal(0,40)\",rate_per_year", "transitions.csv:6:12: error: 'lognormal(0,40)' has no "
     "finite mean", "narrow"},
    {"dist_rate_overflow", "transitions.csv", "0.1,rate_per_year",
     "\"lognormal(700,2)\",rate_per_year", "transitions.csv:6:12: error: 'lognormal(700,2)' cannot "
     "be drawn", "not finite"},
    {"dist_rate_negative", "transitions.csv", "0.1,rate_per_year",
     "\"uniform(-1,1)\",rate_per_year", "transitions.csv:6:12: error: value cannot be negative",
     "below 0"},
    {"dist_initial_alone", "factors.csv", "regime,a,1,", "regime,a,\"uniform(0.9999995,1)\",",
     "factors.csv:5:10: error: 'uniform(0.9999995,1)' can draw 0.9999995",
     "the other probabilities of this row are all 0"},
    {"dist_draw_alone", "draws.csv", "election,regime,c,c,1", "election,regime,c,c,\"uniform(0.9999995,1)\"",
     "draws.csv:5:21: error: 'uniform(0.9999995,1)' can draw", "cannot be shared"},
    {"dist_initial_row_pair", "factors.csv", "war,peace,0.7,State of conflict,judgment\nwar,tension,0.3,"
     "", "war,peace,\"beta(1e-300,1)\",State of conflict,judgment\nwar,tension,\"uniform(0.999999,1)\",",
     "factors.csv:3:13: error: 'uniform(0.999999,1)' can draw 0.999999 while the other distributions of its row "
     "are at an end of their range", "cannot be shared"},
    {"dist_effect_probability_reaches_0", "effects.csv", "tests,1,", "tests,\"beta(1e-300,1)\",",
     "effects.csv:3:7: error: 'beta(1e-300,1)' can draw 0 (the lower end of its range)",
     "an effect's probability must be above 0"},
    {"dist_effect_probability_above_1", "effects.csv", "tests,1,", "tests,\"gamma(2,0.1)\",",
     "effects.csv:3:7: error: probability is a probability, but 'gamma(2,0.1)'", "[0, 1]"},
    {"dist_season_mean_0", "seasonality.csv", "launches,7,2", "launches,7,\"uniform(0,5e-324)\"",
     "seasonality.csv:2:12: error: 'uniform(0,5e-324)' has mean 0", "draw / mean"},
    {"dist_dispersion_infinite_mean", "events.csv", "12,2,6", "12,\"gamma(1e5,1e308)\",6",
     "events.csv:2:13: error: 'gamma(1e5,1e308)' has no finite mean", "narrow"},
    {"dist_delay_overflow", "effects.csv", "0.5,30,", "0.5,\"lognormal(700,2)\",",
     "effects.csv:2:20: error: 'lognormal(700,2)' cannot be drawn", "not finite"},
    /* outcomes.csv */
    {"duplicate_outcome", "outcomes.csv", "not_peace_b,", "at_war,",
     "outcomes.csv:3:1: error: outcome 'at_war' is defined twice (first at line 2)", "twice"},
    {"condition_unknown_factor", "outcomes.csv", "& regime=b", "& regim=b",
     "outcomes.csv:3:26: error: unknown factor 'regim'; did you mean 'regime'?", "factors.csv"},
    /* 'or' across factors (a '|' followed by a clause begins another term) */
    {"or_empty_term", "outcomes.csv", "war!=peace & regime=b", "| war!=peace & regime=b",
     "outcomes.csv:3:13: error: empty term in condition '| war!=peace & regime=b'",
     "write a clause on each side of it"},
    {"or_empty_term_inside", "outcomes.csv", "war!=peace & regime=b",
     "war!=peace & | regime=b", "outcomes.csv:3:25: error: empty clause in condition", "'&'"},
    {"or_trailing_bar", "outcomes.csv", "war!=peace & regime=b", "war!=peace & regime=b |",
     "outcomes.csv:3:36: error: missing level name in condition 'war!=peace & regime=b |'",
     "regime=b |"},
    {"or_term_never_holds", "outcomes.csv", "war!=peace & regime=b",
     "war!=peace & regime=b | regime=a & regime=c",
     "outcomes.csv:3:48: error: clauses 1 and 2 of term 2 on regime leave no level of it, so the "
     "term can never hold", "write regime=a|b"},
    {"or_factor_as_level", "outcomes.csv", "war!=peace & regime=b", "war!=peace & regime=b|war",
     "outcomes.csv:3:35: error: 'war' is a factor, not a level of regime", "(regime=a | war=level)"},
    {"or_unknown_factor_in_term", "outcomes.csv", "war!=peace & regime=b",
     "war!=peace | regim=b", "outcomes.csv:3:26: error: unknown factor 'regim'", "'regime'"},
    /* other condition languages: said as written, with the way to write them here (before, an
    ** unknown level 'peace and regime=b' or an unknown factor '(war') */
    {"cond_word_and", "outcomes.csv", "war!=peace & regime=b", "war!=peace and regime=b",
     "outcomes.csv:3:24: error: 'and' is not a word of conditions", "join clauses with '&'"},
    {"cond_word_or", "outcomes.csv", "war!=peace & regime=b", "war=peace OR war=tension",
     "outcomes.csv:3:23: error: 'OR' is not a word of conditions", "(f=a|b)"},
    {"cond_word_not", "outcomes.csv", "war!=peace & regime=b", "not war=peace & regime=b",
     "outcomes.csv:3:13: error: 'not' is not a word of conditions", "factor!=level"},
    {"cond_double_and", "outcomes.csv", "war!=peace & regime=b", "war!=peace && regime=b",
     "outcomes.csv:3:24: error: write one '&', not '&&'", "joined by '&'"},
    {"cond_double_or", "outcomes.csv", "war!=peace & regime=b", "war!=peace || regime=b",
     "outcomes.csv:3:24: error: write one '|', not '||'", "terms by '|'"},
    {"cond_parentheses", "outcomes.csv", "war!=peace & regime=b", "regime=b & (war=peace | war=tension)",
     "outcomes.csv:3:24: error: conditions have no parentheses", "f=a & h=c | g=b & h=c"},
    {"cond_comma", "outcomes.csv", "war!=peace & regime=b", "\"war=peace,tension\"",
     "outcomes.csv:3:23: error: ',' does not join anything in a condition", "(f=a|b)"},
    {"cond_star", "outcomes.csv", "war!=peace & regime=b", "war=* & regime=b",
     "outcomes.csv:3:17: error: '*' is not a level", "leave it out"},
    {"cond_event", "outcomes.csv", "war!=peace & regime=b", "launches=peace",
     "outcomes.csv:3:13: error: 'launches' is a counted event, not a factor", "effects.csv"},
};

static void test_bad_case(void **state)
{
    const bad_case *c = *state;
    char *dir = copy_valid();
    edit(dir, c->file, c->find, c->repl);
    expect_failure(dir, NSM_ERR_INPUT, c->where, c->phrase);
    remove_dir(dir);
}

static void test_stream_id(void **state)
{
    (void)state;
    /* FNV-1a 64 of "init:war", folded by xor of its halves (checked with Python) */
    assert_int_equal(nsm_stream_id("init", "war"), 282137036u);
    assert_int_equal(nsm_stream_id("", ""), 694295265u);
    assert_int_not_equal(nsm_stream_id("event", "x"), nsm_stream_id("gamma", "x"));
    nsm_model_free(NULL);
}

int main(void)
{
    enum { N_CASES = sizeof cases / sizeof cases[0] };
    static const struct CMUnitTest fixed[] = {
        cmocka_unit_test(test_valid_metadata),
        cmocka_unit_test(test_valid_report_dates),
        cmocka_unit_test(test_valid_month_starts),
        cmocka_unit_test(test_valid_factors),
        cmocka_unit_test(test_valid_transitions),
        cmocka_unit_test(test_valid_events_and_modifiers),
        cmocka_unit_test(test_valid_seasonality),
        cmocka_unit_test(test_season_month_lists),
        cmocka_unit_test(test_valid_draws),
        cmocka_unit_test(test_valid_calendar),
        cmocka_unit_test(test_valid_effects_and_outcomes),
        cmocka_unit_test(test_or_conditions),
        cmocka_unit_test(test_or_in_modifiers),
        cmocka_unit_test(test_spreadsheet_forms),
        cmocka_unit_test(test_optional_columns_and_tables),
        cmocka_unit_test(test_report_interval),
        cmocka_unit_test(test_warnings),
        cmocka_unit_test(test_wide_row_warning),
        cmocka_unit_test(test_wide_row_decimal_comma),
        cmocka_unit_test(test_checksum),
        cmocka_unit_test(test_missing_folder),
        cmocka_unit_test(test_unreadable_folder),
        cmocka_unit_test(test_unreadable_table),
        cmocka_unit_test(test_binary_file),
        cmocka_unit_test(test_too_many_levels),
        cmocka_unit_test(test_stream_id),
    };
    enum { N_FIXED = sizeof fixed / sizeof fixed[0] };
    static struct CMUnitTest tests[N_FIXED + N_CASES];
    memcpy(tests, fixed, sizeof fixed);
    for (size_t i = 0; i < N_CASES; i++)
        tests[N_FIXED + i] = (struct CMUnitTest){cases[i].name, test_bad_case, NULL, NULL,
                                                 &cases[i]};
    return _cmocka_run_group_tests("scenario", tests, N_FIXED + N_CASES, NULL, NULL);
}
