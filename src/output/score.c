/*
** score.c: see score.h. Reads a results folder's forecast tables with the scenario table reader
** (io/table.c, so every message has a position), matches each observed row to its forecast, and
** tabulates scores.h's scores per row and as means over rows.
**
** A comparison is scored one arm at a time over the same tables: the folder's arm selects the rows
** read, and a second view of the folder on its first arm gives the baseline columns. Each arm's
** block is computed exactly as scoring that arm alone would compute it (--arm NAME gives the
** same rows).
**
** Log scores use the forecast probability clipped to [1/(2N), 1 - 1/(2N)] for N replications: a
** finite run cannot tell a probability of 0 from one below 1/N, and one unclipped zero would make
** the mean infinite.
*/
#include "neasim/score.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "neasim/csvout.h"
#include "neasim/outdir.h"
#include "neasim/scores.h"
#include "neasim/table.h"

enum { Q_OUTCOME, Q_STATE, Q_EVENT, Q_N };
static const char *const QUANTITY[Q_N] = {"outcome", "state", "event"};

/* A results folder's forecast tables. */
typedef struct {
    const char *dir;
    nsm_table outcomes, states, dist, manifest;
    const char *arm; /* rows of this arm only; NULL when the tables have no arm column */
    int n_arms;      /* a comparison's arms, in the order of its tables; 0 for a run */
    const char **arm_names; /* borrowed from states' cells */
    double runs;     /* replications (manifest.csv); 0 when unknown */
    char start[11], end[11];
} folder;

static const nsm_column C_OUTCOMES[] = {{"arm", 1},     {"date", 0},        {"t_years", 1},
                                        {"outcome", 0}, {"measure", 0},     {"probability", 0},
                                        {"std_error", 1}, {"ci_low", 1},    {"ci_high", 1}};
static const nsm_column C_STATES[] = {{"arm", 1},    {"date", 0},        {"t_years", 1},
                                      {"factor", 0}, {"level", 0},       {"probability", 0},
                                      {"std_error", 1}, {"ci_low", 1},   {"ci_high", 1}};
static const nsm_column C_DIST[] = {{"arm", 1},          {"event", 0},      {"window", 0},
                                    {"window_start", 0}, {"window_end", 0}, {"count", 0},
                                    {"probability", 0}};
static const nsm_column C_MANIFEST[] = {{"key", 0}, {"value", 0}};
static const nsm_schema S_OUTCOMES = {"outcomes.csv", "the outcome probabilities", 9, C_OUTCOMES};
static const nsm_schema S_STATES = {"state_probabilities.csv", "the state probabilities", 9,
                                    C_STATES};
static const nsm_schema S_DIST = {"count_distribution.csv", "the count distributions", 7, C_DIST};
static const nsm_schema S_MANIFEST = {"manifest.csv", "the manifest", 2, C_MANIFEST};

static const char *cell(const nsm_table *t, int r, const char *col)
{
    return nsm_table_cell(t, r, col)->text;
}

static int in_arm(const folder *f, const nsm_table *t, int r)
{
    return !f->arm || !strcmp(cell(t, r, "arm"), f->arm);
}

static void folder_release(folder *f)
{
    nsm_table_release(&f->outcomes);
    nsm_table_release(&f->states);
    nsm_table_release(&f->dist);
    nsm_table_release(&f->manifest);
    free(f->arm_names);
}

/* The arms of a comparison in the order their rows first appear in state_probabilities.csv
** (which has rows for every arm and model: outcomes.csv may have none); none for a run. */
static nsm_status list_arms(folder *f, nsm_diag *d)
{
    const nsm_table *t = &f->states;
    f->n_arms = 0;
    if (t->n_rows == 0 || nsm_table_cell(t, 0, "arm")->column <= 0)
        return NSM_OK;
    if (!(f->arm_names = malloc((size_t)t->n_rows * sizeof *f->arm_names)))
        return nsm_diag_error(d, NSM_ERR_NOMEM, "out of memory");
    for (int r = 0; r < t->n_rows; r++) {
        const char *a = cell(t, r, "arm");
        int seen = 0;
        for (int k = f->n_arms - 1; k >= 0 && !seen; k--) /* rows come in blocks: last first */
            seen = !strcmp(f->arm_names[k], a);
        if (!seen)
            f->arm_names[f->n_arms++] = a;
    }
    return NSM_OK;
}

/* Check an arm asked of folder f by option opt (--arm, --reference-arm): NULL and "all" stand
** for every arm (of a comparison only). */
static nsm_status check_arm(const folder *f, const char *opt, const char *arm, nsm_diag *d)
{
    if (arm && f->n_arms == 0)
        return nsm_diag_error(d, NSM_ERR_USAGE, "%s: %s holds one run (its tables have no arm "
                              "column): %s is for a comparison's results; leave it out", opt,
                              f->dir, opt);
    if (!arm || !strcmp(arm, "all"))
        return NSM_OK;
    for (int k = 0; k < f->n_arms; k++)
        if (!strcmp(f->arm_names[k], arm))
            return NSM_OK;
    char arms[1024] = "";
    for (int k = 0, used = 0; k < f->n_arms && used < (int)sizeof arms; k++)
        used += snprintf(arms + used, sizeof arms - (size_t)used, "%s%s", k ? ", " : "",
                         f->arm_names[k]);
    return nsm_diag_error(d, NSM_ERR_USAGE, "%s: %s has no arm '%s'; its arms: %s", opt, f->dir,
                          arm, arms);
}

/* Read only arm's rows (NULL for a run) and find the horizon: the first and last report date of
** state_probabilities.csv. */
static nsm_status folder_select(folder *f, const char *arm, nsm_diag *d)
{
    const nsm_table *t = &f->states;
    f->arm = arm;
    f->start[0] = f->end[0] = 0;
    for (int r = 0; r < t->n_rows; r++) {
        const char *date = cell(t, r, "date");
        if (!in_arm(f, t, r) || strlen(date) != 10)
            continue;
        if (!f->start[0] || strcmp(date, f->start) < 0)
            memcpy(f->start, date, 11);
        if (!f->end[0] || strcmp(date, f->end) > 0)
            memcpy(f->end, date, 11);
    }
    if (!f->start[0])
        return nsm_diag_error(d, NSM_ERR_INPUT, "%s: error: no rows%s%s", t->path,
                              arm ? " of arm " : "", arm ? arm : "");
    f->runs = 0;
    for (int r = 0; r < f->manifest.n_rows; r++)
        if (!strcmp(cell(&f->manifest, r, "key"), "runs"))
            f->runs = strtod(cell(&f->manifest, r, "value"), NULL);
    return NSM_OK;
}

/* Read a folder's tables and check the arm asked of it by option opt (NULL: none asked). */
static nsm_status folder_open(folder *f, const char *dir, const char *opt, const char *arm,
                              nsm_diag *d)
{
    memset(f, 0, sizeof *f);
    f->dir = dir;
    nsm_status st = nsm_table_read(&f->manifest, dir, &S_MANIFEST, d);
    if (st == NSM_OK && !f->manifest.present && access(dir, F_OK) != 0)
        return nsm_diag_error(d, NSM_ERR_IO, "%s: error: no such folder: give a results folder "
                              "of run or compare", dir);
    if (st == NSM_OK && !f->manifest.present)
        return nsm_diag_error(d, NSM_ERR_IO, "%s: error: not a neasim results folder (no "
                              "manifest.csv)", dir);
    if (st == NSM_OK)
        st = nsm_table_read(&f->outcomes, dir, &S_OUTCOMES, d);
    if (st == NSM_OK)
        st = nsm_table_read(&f->states, dir, &S_STATES, d);
    if (st == NSM_OK)
        st = nsm_table_read(&f->dist, dir, &S_DIST, d);
    if (st == NSM_OK && (!f->outcomes.present || !f->states.present)) {
        /* a folder of another command's: say whose, rather than which file it lacks */
        static const char *const KIND[][2] = {{"sweep_points", "neasim sweep"},
                                              {"observed", "neasim score"},
                                              {"box_rule", "neasim discover"}};
        for (size_t k = 0; k < sizeof KIND / sizeof KIND[0]; k++)
            for (int r = 0; r < f->manifest.n_rows; r++)
                if (!strcmp(cell(&f->manifest, r, "key"), KIND[k][0]))
                    return nsm_diag_error(d, NSM_ERR_IO, "%s: error: the results of %s, which "
                                          "hold no forecast to score: give a folder of neasim "
                                          "run or compare", dir, KIND[k][1]);
        return nsm_diag_error(d, NSM_ERR_IO, "%s: error: no %s", dir,
                              f->outcomes.present ? "state_probabilities.csv" : "outcomes.csv");
    }
    if (st == NSM_OK)
        st = list_arms(f, d);
    return st == NSM_OK ? check_arm(f, opt, arm, d) : st;
}

/* A probability cell, checked. */
static nsm_status read_probability(const nsm_table *t, int r, double *p, nsm_diag *d)
{
    const nsm_cell *c = nsm_table_cell(t, r, "probability");
    char *end;
    *p = strtod(c->text, &end);
    if (end == c->text || *end || !(*p >= 0.0 && *p <= 1.0))
        return nsm_table_error(t, c, 0, d, "'%s' is not a probability", c->text);
    return NSM_OK;
}

/* A row of outcomes.csv (occurred_by) or state_probabilities.csv for a name and date: its index,
** -1 when the name is unknown, -2 when the name is known but not at that date. */
static int binary_row(const folder *f, int q, const char *name, const char *date)
{
    const nsm_table *t = q == Q_OUTCOME ? &f->outcomes : &f->states;
    const char *eq = strchr(name, '=');
    size_t flen = eq ? (size_t)(eq - name) : 0;
    int known = 0;
    for (int r = 0; r < t->n_rows; r++) {
        if (!in_arm(f, t, r))
            continue;
        if (q == Q_OUTCOME) {
            if (strcmp(cell(t, r, "outcome"), name) || strcmp(cell(t, r, "measure"), "occurred_by"))
                continue;
        } else {
            const char *fac = cell(t, r, "factor");
            if (!eq || strlen(fac) != flen || strncmp(fac, name, flen) ||
                strcmp(cell(t, r, "level"), eq + 1))
                continue;
        }
        known = 1;
        if (!strcmp(cell(t, r, "date"), date))
            return r;
    }
    return known ? -2 : -1;
}

/* The rows of count_distribution.csv for an event and window: first row and number of rows;
** n = -1 when the event is unknown, 0 when it has no such window. */
static int event_rows(const folder *f, const char *name, const char *ws, const char *we, int *n)
{
    const nsm_table *t = &f->dist;
    int first = -1, known = 0;
    *n = 0;
    for (int r = 0; r < t->n_rows; r++) {
        if (!in_arm(f, t, r) || strcmp(cell(t, r, "event"), name))
            continue;
        known = 1;
        /* A window's rows are consecutive. Over a one-year horizon the year and the horizon
        ** are the same window, written twice: the first is taken. */
        int same = !strcmp(cell(t, r, "window_start"), ws) && !strcmp(cell(t, r, "window_end"), we);
        if (first >= 0 && (!same || strcmp(cell(t, r, "window"), cell(t, first, "window"))))
            break;
        if (!same)
            continue;
        if (first < 0)
            first = r;
        (*n)++;
    }
    if (!known)
        *n = -1;
    return first;
}

/* The pmf of rows [first, first + n), counts 0, 1, ... in order. */
static nsm_status read_pmf(const folder *f, int first, int n, double **pmf, nsm_diag *d)
{
    const nsm_table *t = &f->dist;
    *pmf = malloc((size_t)n * sizeof **pmf);
    if (!*pmf)
        return nsm_diag_error(d, NSM_ERR_NOMEM, "out of memory");
    for (int k = 0; k < n; k++) {
        const nsm_cell *c = nsm_table_cell(t, first + k, "count");
        char *end;
        long v = strtol(c->text, &end, 10);
        if (end == c->text || *end || v != k)
            return nsm_table_error(t, c, 0, d, "expected count %d here (every count from 0, in "
                                   "order)", k);
        nsm_status st = read_probability(t, first + k, &(*pmf)[k], d);
        if (st != NSM_OK)
            return st;
    }
    return NSM_OK;
}

/* --- The observed file --- */

static const nsm_column C_OBSERVED[] = {{"quantity", 0},     {"name", 0},     {"window_start", 1},
                                        {"window_end", 0},   {"observed", 0}, {"source", 1}};

/* The forecasts of an item, by source: the arm scored, the reference, the comparison's first arm. */
enum { K_RESULTS, K_REFERENCE, K_BASELINE, K_N };

typedef struct {
    int q, row;
    const char *name, *ws, *we;
    int64_t y;          /* 0 or 1 (outcome, state) or a count (event) */
    double p[K_N];      /* binary: the forecast probabilities */
    double *pmf[K_N];   /* event: the forecast distributions */
    int64_t n[K_N];
} item;

typedef struct {
    nsm_table t;
    nsm_schema schema;
    char *dir;
    item *items;
    int n_items;
} observed;

static void observed_release(observed *ob)
{
    for (int i = 0; ob->items && i < ob->n_items; i++)
        for (int k = 0; k < K_N; k++)
            free(ob->items[i].pmf[k]);
    free(ob->items);
    nsm_table_release(&ob->t);
    free(ob->dir);
}

/* A date cell: YYYY-MM-DD of a day that exists (not 2017-02-30), within the folder's horizon. */
static nsm_status check_date(const nsm_table *t, const nsm_cell *c, const folder *f, nsm_diag *d)
{
    const char *s = c->text;
    int y, m, dd;
    char tail;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
        sscanf(s, "%4d-%2d-%2d%c", &y, &m, &dd, &tail) != 3 || m < 1 || m > 12 || dd < 1)
        return nsm_table_error(t, c, 0, d, "'%s' is not a date: write YYYY-MM-DD", s);
    long days = nsm_days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) -
                nsm_days_from_civil(y, m, 1);
    if (dd > days)
        return nsm_table_error(t, c, 0, d, "there is no %s: %04d-%02d has %ld days", s, y, m,
                               days);
    if (strcmp(c->text, f->start) < 0 || strcmp(c->text, f->end) > 0)
        return nsm_table_error(t, c, 0, d, "%s is outside the horizon of %s, %s to %s",
                               c->text, f->dir, f->start, f->end);
    return NSM_OK;
}

static nsm_status parse_value(const observed *ob, item *it, nsm_diag *d)
{
    const nsm_cell *c = nsm_table_cell(&ob->t, it->row, "observed");
    if (it->q != Q_EVENT) {
        const char *s = c->text;
        if (!strcmp(s, "yes") || !strcmp(s, "1"))
            it->y = 1;
        else if (!strcmp(s, "no") || !strcmp(s, "0"))
            it->y = 0;
        else
            return nsm_table_error(&ob->t, c, 0, d, "'%s': an %s's observed value is yes or no",
                                   s, QUANTITY[it->q]);
        return NSM_OK;
    }
    char *end;
    long long v = strtoll(c->text, &end, 10);
    if (end == c->text || *end || v < 0)
        return nsm_table_error(&ob->t, c, 0, d, "'%s': an event's observed value is a count (0, "
                               "1, 2, ...)", c->text);
    it->y = v;
    return NSM_OK;
}

/* The names a folder knows for quantity q, for "did you mean": NSM_NAME_MAX-wide slots. */
static const char *suggest(const folder *f, int q, const char *word, char **buf)
{
    const nsm_table *t = q == Q_OUTCOME ? &f->outcomes : q == Q_STATE ? &f->states : &f->dist;
    enum { W = 2 * 64 + 2 };
    *buf = calloc((size_t)t->n_rows + 1, W);
    if (!*buf)
        return NULL;
    for (int r = 0; r < t->n_rows; r++) {
        if (q == Q_STATE)
            snprintf(*buf + (size_t)r * W, W, "%s=%s", cell(t, r, "factor"), cell(t, r, "level"));
        else
            snprintf(*buf + (size_t)r * W, W, "%s",
                     cell(t, r, q == Q_OUTCOME ? "outcome" : "event"));
    }
    return nsm_suggest(word, *buf, (size_t)t->n_rows, W);
}

static nsm_status unknown_name(const observed *ob, const item *it, const folder *f, nsm_diag *d)
{
    const nsm_cell *c = nsm_table_cell(&ob->t, it->row, "name");
    char *buf = NULL;
    const char *near = suggest(f, it->q, it->name, &buf);
    nsm_status st = nsm_table_error(&ob->t, c, 0, d, "%s has no %s '%s'%s%s%s%s", f->dir,
                                    QUANTITY[it->q], it->name, near ? " (did you mean '" : "",
                                    near ? near : "", near ? "'?)" : "",
                                    it->q == Q_STATE && !strchr(it->name, '=')
                                        ? ": a state is written factor=level" : "");
    free(buf);
    return st;
}

/* The forecast of folder f (k: K_RESULTS, K_REFERENCE or K_BASELINE) for item it. */
static nsm_status match(const observed *ob, item *it, const folder *f, int k, nsm_diag *d)
{
    const nsm_table *t = &ob->t;
    nsm_status st = check_date(t, nsm_table_cell(t, it->row, "window_end"), f, d);
    if (st == NSM_OK && *it->ws)
        st = check_date(t, nsm_table_cell(t, it->row, "window_start"), f, d);
    if (st != NSM_OK)
        return st;
    if (it->q != Q_EVENT) {
        int r = binary_row(f, it->q, it->name, it->we);
        if (r == -1)
            return unknown_name(ob, it, f, d);
        if (r == -2)
            return nsm_table_error(t, nsm_table_cell(t, it->row, "window_end"), 0, d,
                                   "%s is not a report date of %s (%s to %s): use one of its "
                                   "dates in %s", it->we, f->dir, f->start, f->end,
                                   it->q == Q_OUTCOME ? "outcomes.csv" : "state_probabilities.csv");
        return read_probability(it->q == Q_OUTCOME ? &f->outcomes : &f->states, r, &it->p[k], d);
    }
    if (!f->dist.present)
        return nsm_diag_error(d, NSM_ERR_IO, "%s: error: no count_distribution.csv (results "
                              "written before neasim wrote it: run the scenario again)", f->dir);
    int n, first = event_rows(f, it->name, it->ws, it->we, &n);
    if (n < 0)
        return unknown_name(ob, it, f, d);
    if (n == 0)
        return nsm_table_error(t, nsm_table_cell(t, it->row, "window_start"), 0, d,
                               "%s has no forecast of %s from %s to %s: its windows are the years "
                               "from %s and the whole horizon, %s to %s (count_distribution.csv)",
                               f->dir, it->name, it->ws, it->we, f->start, f->start, f->end);
    it->n[k] = n;
    free(it->pmf[k]); /* the previous arm's */
    it->pmf[k] = NULL;
    return read_pmf(f, first, n, &it->pmf[k], d);
}

/* Check the row's quantity, windows and value, and that it is not a repeat. */
static nsm_status parse_item(observed *ob, int r, const folder *f, nsm_diag *d)
{
    const nsm_table *t = &ob->t;
    item *it = &ob->items[r];
    it->row = r;
    const nsm_cell *qc = nsm_table_cell(t, r, "quantity");
    for (it->q = 0; it->q < Q_N && strcmp(qc->text, QUANTITY[it->q]); it->q++)
        ;
    if (it->q == Q_N)
        return nsm_table_error(t, qc, 0, d, "unknown quantity '%s': use outcome, state or event",
                               qc->text);
    it->name = cell(t, r, "name");
    it->ws = cell(t, r, "window_start");
    it->we = cell(t, r, "window_end");
    const nsm_cell *wsc = nsm_table_cell(t, r, "window_start");
    if (it->q == Q_EVENT && !*it->ws)
        return nsm_table_error(t, wsc, 0, d, "an event's count needs its window: window_start "
                               "(and window_end)");
    if (it->q != Q_EVENT && *it->ws && strcmp(it->ws, f->start))
        return nsm_table_error(t, wsc, 0, d, "an %s is scored by window_end, from the start of "
                               "the results (%s): leave window_start empty", QUANTITY[it->q],
                               f->start);
    if (it->q != Q_EVENT) /* the start, written out, is the empty window_start: one row, not two */
        it->ws = "";
    for (int j = 0; j < r; j++) {
        const item *o = &ob->items[j];
        if (o->q == it->q && !strcmp(o->name, it->name) && !strcmp(o->we, it->we) &&
            !strcmp(o->ws, it->ws))
            return nsm_table_error(t, qc, 0, d, "this row repeats line %d", t->rows[j].line);
    }
    return parse_value(ob, it, d);
}

static nsm_status observed_read(observed *ob, const char *path, nsm_diag *d)
{
    memset(ob, 0, sizeof *ob);
    const char *slash = strrchr(path, '/');
    ob->dir = slash ? strndup(path, (size_t)(slash - path + 1)) : strdup(".");
    if (!ob->dir)
        return nsm_diag_error(d, NSM_ERR_NOMEM, "out of memory");
    ob->schema = (nsm_schema){slash ? slash + 1 : path, "the observed values", 6, C_OBSERVED};
    nsm_status st = nsm_table_read(&ob->t, ob->dir, &ob->schema, d);
    if (st == NSM_OK && !ob->t.present)
        return nsm_diag_error(d, NSM_ERR_IO, "%s: error: cannot open: no such file", path);
    if (st == NSM_OK && ob->t.n_rows == 0)
        return nsm_diag_error(d, NSM_ERR_INPUT, "%s: error: no observed rows", path);
    if (st == NSM_OK && !(ob->items = calloc((size_t)ob->t.n_rows, sizeof *ob->items)))
        return nsm_diag_error(d, NSM_ERR_NOMEM, "out of memory");
    return st;
}

/* --- Scores --- */

enum { M_FORECAST, M_OBSERVED, M_BRIER, M_LOG, M_CRPS, M_PIT, M_IN50, M_IN90, M_N };
static const char *const METRIC[M_N] = {"forecast", "observed", "brier", "log",
                                        "crps",     "pit",      "in_50", "in_90"};
/* The metrics of each quantity after forecast and observed; the proper scores get a skill. */
static const int BINARY_METRICS[] = {M_BRIER, M_LOG};
static const int EVENT_METRICS[] = {M_CRPS, M_PIT, M_IN50, M_IN90};

static int is_score(int m)
{
    return m == M_BRIER || m == M_LOG || m == M_CRPS;
}

static double metric(const item *it, int k, int m, double runs)
{
    const double *pmf = it->pmf[k];
    int64_t n = it->n[k];
    double p = it->p[k], mean = 0.0;
    switch (m) {
    case M_FORECAST:
        if (it->q != Q_EVENT)
            return p;
        for (int64_t c = 0; c < n; c++)
            mean += (double)c * pmf[c];
        return mean;
    case M_OBSERVED: return (double)it->y;
    case M_BRIER: return nsm_brier(p, (int)it->y);
    case M_LOG:
        if (runs > 0) {
            double lo = 1.0 / (2.0 * runs);
            p = p < lo ? lo : p > 1.0 - lo ? 1.0 - lo : p;
        }
        return nsm_log_score(p, (int)it->y);
    case M_CRPS: return nsm_crps_counts(pmf, n, it->y);
    case M_PIT: return nsm_mid_pit(pmf, n, it->y);
    case M_IN50: return nsm_in_central_interval(pmf, n, it->y, 0.5);
    case M_IN90: return nsm_in_central_interval(pmf, n, it->y, 0.9);
    default: return (double)NAN;
    }
}

/* Which forecasts a block of rows has beside the arm's: the arm's index (-1: a run), and whether
** a reference and a baseline (the comparison's first arm) were read. */
typedef struct {
    int arm, ref, base;
    double runs[K_N];
} block;

static nsm_score_row *add_row(nsm_score_table *t, const block *b, const char *scope, int q,
                              const char *name, const char *ws, const char *we, const char *m)
{
    if (t->n_rows == t->cap) {
        int cap = t->cap ? 2 * t->cap : 64;
        nsm_score_row *rows = realloc(t->rows, (size_t)cap * sizeof *rows);
        if (!rows)
            return NULL;
        t->rows = rows;
        t->cap = cap;
    }
    nsm_score_row *r = &t->rows[t->n_rows++];
    const double na = (double)NAN;
    *r = (nsm_score_row){.arm = b->arm, .scope = scope, .quantity = QUANTITY[q], .metric = m,
                         .value = na, .reference_value = na, .skill = na, .skill_lo = na,
                         .skill_hi = na, .baseline_value = na, .baseline_skill = na,
                         .baseline_skill_lo = na, .baseline_skill_hi = na, .n = 1};
    snprintf(r->name, sizeof r->name, "%s", name);
    snprintf(r->window_start, sizeof r->window_start, "%s", ws);
    snprintf(r->window_end, sizeof r->window_end, "%s", we);
    return r;
}

static nsm_status item_rows(nsm_score_table *t, const item *it, const block *b)
{
    int list[M_N], n = 0;
    list[n++] = M_FORECAST;
    list[n++] = M_OBSERVED;
    const int *more = it->q == Q_EVENT ? EVENT_METRICS : BINARY_METRICS;
    int n_more = it->q == Q_EVENT ? 4 : 2;
    for (int j = 0; j < n_more; j++)
        list[n++] = more[j];
    for (int j = 0; j < n; j++) {
        nsm_score_row *r = add_row(t, b, "item", it->q, it->name, it->ws, it->we,
                                   METRIC[list[j]]);
        if (!r)
            return NSM_ERR_NOMEM;
        int m = list[j];
        r->value = metric(it, K_RESULTS, m, b->runs[K_RESULTS]);
        if (b->ref && m != M_OBSERVED)
            r->reference_value = metric(it, K_REFERENCE, m, b->runs[K_REFERENCE]);
        if (b->ref && is_score(m) && r->reference_value != 0.0)
            r->skill = 1.0 - r->value / r->reference_value;
        if (b->base && m != M_OBSERVED)
            r->baseline_value = metric(it, K_BASELINE, m, b->runs[K_BASELINE]);
        if (b->base && is_score(m) && r->baseline_value != 0.0)
            r->baseline_skill = 1.0 - r->value / r->baseline_value;
    }
    return NSM_OK;
}

/* The skill columns of a total: against the reference (k = K_REFERENCE) or the baseline. */
static void set_skill(nsm_score_row *r, int k, const nsm_skill *s, int score)
{
    if (k == K_REFERENCE) {
        r->reference_value = s->ref_mean;
        if (score) {
            r->skill = s->skill;
            r->skill_lo = s->skill_lo;
            r->skill_hi = s->skill_hi;
        }
    } else {
        r->baseline_value = s->ref_mean;
        if (score) {
            r->baseline_skill = s->skill;
            r->baseline_skill_lo = s->skill_lo;
            r->baseline_skill_hi = s->skill_hi;
        }
    }
}

/* Murphy's decomposition of the Brier score of quantity q's items, for each forecast read. */
static nsm_status brier_parts(nsm_score_table *t, const observed *ob, int q, const char *name,
                              const block *b, double *v, int *y)
{
    static const char *const PART[] = {"brier_reliability", "brier_resolution",
                                       "brier_uncertainty"};
    const int have[K_N] = {1, b->ref, b->base};
    nsm_brier_parts bp[K_N];
    int n = 0;
    for (int k = 0; k < K_N; k++) {
        if (!have[k])
            continue;
        n = 0;
        for (int i = 0; i < ob->n_items; i++)
            if (ob->items[i].q == q) {
                v[n] = ob->items[i].p[k];
                y[n++] = (int)ob->items[i].y;
            }
        bp[k] = nsm_brier_decompose(v, y, n, 10);
    }
    for (int j = 0; j < 3; j++) {
        nsm_score_row *r = add_row(t, b, "total", q, name ? name : "all", "", "", PART[j]);
        if (!r)
            return NSM_ERR_NOMEM;
        double part[K_N];
        for (int k = 0; k < K_N; k++)
            part[k] = !have[k]   ? (double)NAN
                      : j == 0 ? bp[k].reliability
                      : j == 1 ? bp[k].resolution
                               : bp[k].uncertainty;
        r->value = part[K_RESULTS];
        r->reference_value = part[K_REFERENCE];
        r->baseline_value = part[K_BASELINE];
        r->n = n;
    }
    return NSM_OK;
}

/* Means over the items of quantity q named `name` (NULL: every name). */
static nsm_status total_rows(nsm_score_table *t, const observed *ob, int q, const char *name,
                             const block *b, int decompose)
{
    size_t ni = (size_t)ob->n_items;
    double *v = malloc(K_N * ni * sizeof *v + 1); /* the scores of each forecast, ni apart */
    int *y = malloc(ni * sizeof *y + 1);
    nsm_status st = v && y ? NSM_OK : NSM_ERR_NOMEM;
    const int *list = q == Q_EVENT ? EVENT_METRICS : BINARY_METRICS;
    int n_list = q == Q_EVENT ? 4 : 2;
    for (int j = 0; j < n_list && st == NSM_OK; j++) {
        int n = 0;
        for (int i = 0; i < ob->n_items; i++) {
            const item *it = &ob->items[i];
            if (it->q != q || (name && strcmp(it->name, name)))
                continue;
            for (int k = 0; k < K_N; k++)
                v[(size_t)k * ni + (size_t)n] =
                    k == K_RESULTS || (k == K_REFERENCE ? b->ref : b->base)
                        ? metric(it, k, list[j], b->runs[k])
                        : 0.0;
            n++;
        }
        nsm_score_row *r = add_row(t, b, "total", q, name ? name : "all", "", "", METRIC[list[j]]);
        if (!r) {
            st = NSM_ERR_NOMEM;
            break;
        }
        r->value = nsm_skill_paired(v, NULL, n).mean;
        if (b->ref) {
            nsm_skill s = nsm_skill_paired(v, v + ni, n);
            set_skill(r, K_REFERENCE, &s, is_score(list[j]));
        }
        if (b->base) {
            nsm_skill s = nsm_skill_paired(v, v + 2 * ni, n);
            set_skill(r, K_BASELINE, &s, is_score(list[j]));
        }
        r->n = n;
    }
    if (st == NSM_OK && decompose && q != Q_EVENT)
        st = brier_parts(t, ob, q, name, b, v, y);
    free(v);
    free(y);
    return st;
}

/* Per name, then over all names of the quantity when there are several (with the Brier
** decomposition, which needs many items to mean anything, on the widest group). */
static nsm_status totals(nsm_score_table *t, const observed *ob, const block *b)
{
    nsm_status st = NSM_OK;
    for (int q = 0; q < Q_N && st == NSM_OK; q++) {
        int names = 0;
        const char *only = NULL;
        for (int i = 0; i < ob->n_items && st == NSM_OK; i++) {
            const item *it = &ob->items[i];
            int first = it->q == q;
            for (int j = 0; j < i && first; j++)
                if (ob->items[j].q == q && !strcmp(ob->items[j].name, it->name))
                    first = 0;
            if (!first)
                continue;
            names++;
            only = it->name;
            st = total_rows(t, ob, q, it->name, b, 0);
        }
        if (st == NSM_OK && names > 1)
            st = total_rows(t, ob, q, NULL, b, 1);
        else if (st == NSM_OK && names == 1 && q != Q_EVENT) {
            /* the decomposition alone, on the one name's items */
            int before = t->n_rows;
            st = total_rows(t, ob, q, only, b, 1);
            if (st == NSM_OK) { /* drop the repeated means, keep the three parts */
                memmove(&t->rows[before], &t->rows[before + 2], 3 * sizeof *t->rows);
                t->n_rows -= 2;
            }
        }
    }
    return st;
}

/* Score the arm of f[K_RESULTS] (index arm in t->arms, -1 for a run) on every item: its block
** of rows. The reference's and the baseline's forecasts were matched before. */
static nsm_status score_arm(nsm_score_table *t, observed *ob, folder *f, const char *arm,
                            int index, int ref, nsm_diag *d)
{
    nsm_status st = folder_select(&f[K_RESULTS], arm, d);
    for (int i = 0; st == NSM_OK && i < ob->n_items; i++)
        st = match(ob, &ob->items[i], &f[K_RESULTS], K_RESULTS, d);
    block b = {index, ref, f[K_RESULTS].n_arms > 0, {0}};
    for (int k = 0; k < K_N; k++)
        b.runs[k] = f[k].runs;
    for (int i = 0; st == NSM_OK && i < ob->n_items; i++)
        st = item_rows(t, &ob->items[i], &b);
    return st == NSM_OK ? totals(t, ob, &b) : st;
}

/* The arms to score (none for a run) into t->arms. */
static nsm_status list_scored(nsm_score_table *t, const folder *f, const char *arm)
{
    int all = !arm || !strcmp(arm, "all");
    int n = f->n_arms == 0 ? 0 : all ? f->n_arms : 1;
    if (n && !(t->arms = calloc((size_t)n, sizeof *t->arms)))
        return NSM_ERR_NOMEM;
    for (int k = 0; k < n; k++)
        if (!(t->arms[t->n_arms++] = strdup(all ? f->arm_names[k] : arm)))
            return NSM_ERR_NOMEM;
    if (f->n_arms)
        snprintf(t->baseline, sizeof t->baseline, "%s", f->arm_names[0]);
    return NSM_OK;
}

/* The reference on its arm and the baseline view of the results, both matched to every item
** once; the items are parsed against the results' horizon (that of its first arm: every arm of
** a comparison reports on the same dates). */
static nsm_status match_fixed(observed *ob, folder *f, const nsm_score_options *o, int ref,
                              nsm_diag *d)
{
    folder *res = &f[K_RESULTS], *base = &f[K_BASELINE];
    nsm_status st = folder_select(res, res->n_arms ? res->arm_names[0] : NULL, d);
    *base = *res; /* a second view of the same tables (released once, as f[K_RESULTS]) */
    if (st == NSM_OK && ref) {
        const folder *rf = &f[K_REFERENCE];
        st = folder_select(&f[K_REFERENCE], !rf->n_arms ? NULL : o->ref_arm ? o->ref_arm
                                                                           : rf->arm_names[0], d);
    }
    for (int r = 0; st == NSM_OK && r < ob->n_items; r++) {
        st = parse_item(ob, r, res, d);
        if (st == NSM_OK && ref)
            st = match(ob, &ob->items[r], &f[K_REFERENCE], K_REFERENCE, d);
        if (st == NSM_OK && base->n_arms)
            st = match(ob, &ob->items[r], base, K_BASELINE, d);
    }
    return st;
}

nsm_status nsm_score(const nsm_score_options *o, nsm_score_table *t, nsm_diag *d)
{
    memset(t, 0, sizeof *t);
    folder f[K_N];
    observed ob;
    memset(f, 0, sizeof f);
    memset(&ob, 0, sizeof ob);
    int ref = o->reference != NULL;
    nsm_status st = folder_open(&f[K_RESULTS], o->results, "--arm", o->arm, d);
    if (st == NSM_OK && ref)
        st = folder_open(&f[K_REFERENCE], o->reference, "--reference-arm", o->ref_arm, d);
    if (st == NSM_OK && ref && o->ref_arm && !strcmp(o->ref_arm, "all"))
        st = nsm_diag_error(d, NSM_ERR_USAGE, "--reference-arm: name one arm of %s, not all: the "
                            "reference is one forecast", o->reference);
    if (st == NSM_OK)
        st = observed_read(&ob, o->observed, d);
    if (st == NSM_OK) {
        ob.n_items = ob.t.n_rows;
        st = match_fixed(&ob, f, o, ref, d);
    }
    if (st == NSM_OK) {
        memcpy(t->start, f[K_RESULTS].start, 11);
        memcpy(t->end, f[K_RESULTS].end, 11);
        st = list_scored(t, &f[K_RESULTS], o->arm);
    }
    for (int a = 0; st == NSM_OK && a < (t->n_arms ? t->n_arms : 1); a++)
        st = score_arm(t, &ob, f, t->n_arms ? t->arms[a] : NULL, t->n_arms ? a : -1, ref, d);
    if (st == NSM_OK) {
        t->n_items = ob.n_items;
        t->has_reference = ref;
        if (ref && f[K_REFERENCE].arm)
            snprintf(t->reference_arm, sizeof t->reference_arm, "%s", f[K_REFERENCE].arm);
        t->runs = f[K_RESULTS].runs;
    } else if (st == NSM_ERR_NOMEM && !d->error) {
        nsm_diag_error(d, st, "out of memory");
    }
    observed_release(&ob);
    folder_release(&f[K_RESULTS]);
    folder_release(&f[K_REFERENCE]);
    return st;
}

void nsm_score_release(nsm_score_table *t)
{
    free(t->rows);
    for (int a = 0; t->arms && a < t->n_arms; a++)
        free(t->arms[a]);
    free(t->arms);
    memset(t, 0, sizeof *t);
}

static const char *const H_SCORES[] = {
    "arm",           "scope",          "quantity",       "name",
    "window_start",  "window_end",     "metric",         "value",
    "reference_value", "skill",        "skill_ci_low",   "skill_ci_high",
    "baseline_value", "baseline_skill", "baseline_skill_ci_low", "baseline_skill_ci_high",
    "n",             NULL};

static void text_or_na(nsm_csv *c, const char *s)
{
    if (*s)
        nsm_csv_text(c, s);
    else
        nsm_csv_na(c);
}

nsm_status nsm_score_write(const char *dir, const nsm_score_table *t,
                           const nsm_write_options *opt, nsm_diag *d)
{
    char *path = nsm_path_join(dir, "scores.csv");
    if (!path)
        return nsm_diag_error(d, NSM_ERR_NOMEM, "out of memory");
    nsm_csv c;
    nsm_status st = nsm_csv_open(&c, path, opt->bom, d);
    if (st == NSM_OK) {
        nsm_csv_header(&c, H_SCORES);
        for (int i = 0; i < t->n_rows; i++) {
            const nsm_score_row *r = &t->rows[i];
            text_or_na(&c, r->arm >= 0 ? t->arms[r->arm] : "");
            nsm_csv_text(&c, r->scope);
            nsm_csv_text(&c, r->quantity);
            nsm_csv_text(&c, r->name);
            text_or_na(&c, r->window_start);
            text_or_na(&c, r->window_end);
            nsm_csv_text(&c, r->metric);
            nsm_csv_real(&c, r->value, 8);
            nsm_csv_real(&c, r->reference_value, 8);
            nsm_csv_real(&c, r->skill, 6);
            nsm_csv_real(&c, r->skill_lo, 6);
            nsm_csv_real(&c, r->skill_hi, 6);
            nsm_csv_real(&c, r->baseline_value, 8);
            nsm_csv_real(&c, r->baseline_skill, 6);
            nsm_csv_real(&c, r->baseline_skill_lo, 6);
            nsm_csv_real(&c, r->baseline_skill_hi, 6);
            nsm_csv_int(&c, r->n);
            nsm_csv_end_row(&c);
        }
        st = nsm_csv_close(&c, d);
    }
    free(path);
    return st;
}
