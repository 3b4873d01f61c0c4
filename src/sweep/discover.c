/*
** discover.c: scenario discovery on a finished sweep (see discover.h): reads sweep.csv with the
** table reader (so a bad cell has its position), picks each point's probability of the outcome
** at the horizon, and hands the points to PRIM (summary/prim.c).
**
** sweep.csv has a column per swept number, so its schema is built from parameters.csv, which
** lists them. Each point's numbers are read from sweep.csv as written there (10 significant
** digits), the precision the analyst sees.
*/
#include "neasim/discover.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "neasim/dist.h"
#include "neasim/outdir.h"
#include "neasim/table.h"

static const nsm_column C_MANIFEST[] = {{"key", 0}, {"value", 0}};
static const nsm_schema S_MANIFEST = {"manifest.csv", "the manifest", 2, C_MANIFEST};
static const nsm_column C_PARAMS[] = {{"parameter", 0}, {"label", 0}, {"base_value", 1},
                                      {"distribution", 1}};
static const nsm_schema S_PARAMS = {"parameters.csv", "the swept numbers", 4, C_PARAMS};
static const nsm_column C_LABELS[] = {{"kind", 0},      {"name", 0},      {"level", 1},
                                      {"label", 0},     {"given", 1},     {"desirable", 1},
                                      {"occurrence", 1}};
static const nsm_schema S_LABELS = {"labels.csv", "the scenario's labels", 7, C_LABELS};
static const char *const TAIL[] = {"quantity", "name", "measure", "horizon_years", "date",
                                   "value", "std_error", "ci_low", "ci_high"};
enum { N_TAIL = 9, MAX_LIST = 64 };

/* The tables of a sweep folder. */
typedef struct {
    nsm_table manifest, params, sweep, labels;
    nsm_column *columns;
    nsm_schema schema;
} folder;

static const char *cell(const nsm_table *t, int r, const char *col)
{
    return nsm_table_cell(t, r, col)->text;
}

static const char *manifest_value(const folder *f, const char *key)
{
    for (int r = 0; r < f->manifest.n_rows; r++)
        if (!strcmp(cell(&f->manifest, r, "key"), key))
            return cell(&f->manifest, r, "value");
    return NULL;
}

/* sweep.csv's schema: point, the swept numbers, levers (optional), then the fixed tail. */
static nsm_status sweep_schema(folder *f, nsm_diag *d)
{
    int np = f->params.n_rows, k = 0;
    f->columns = calloc((size_t)np + 2 + N_TAIL, sizeof *f->columns);
    if (!f->columns)
        return nsm_diag_error(d, NSM_ERR_NOMEM, "out of memory");
    f->columns[k++] = (nsm_column){"point", 0};
    for (int r = 0; r < np; r++)
        f->columns[k++] = (nsm_column){cell(&f->params, r, "parameter"), 0};
    f->columns[k++] = (nsm_column){"levers", 1};
    for (int t = 0; t < N_TAIL; t++)
        f->columns[k++] = (nsm_column){TAIL[t], t >= 6};
    f->schema = (nsm_schema){"sweep.csv", "the sweep's outcomes", k, f->columns};
    return NSM_OK;
}

static nsm_status folder_open(folder *f, const char *dir, nsm_diag *d)
{
    nsm_status st = nsm_table_read(&f->manifest, dir, &S_MANIFEST, d);
    if (st != NSM_OK)
        return st;
    if (!f->manifest.present && access(dir, F_OK) != 0)
        return nsm_diag_error(d, NSM_ERR_IO, "%s: error: no such folder: give the results folder "
                              "of a sweep", dir);
    if (!f->manifest.present || !manifest_value(f, "sweep_points"))
        return nsm_diag_error(d, NSM_ERR_IO, "%s: error: not the results folder of a sweep (%s): "
                              "run `neasim sweep SCENARIO --lhs N` (or --design, --grid) first",
                              dir, f->manifest.present ? "its manifest.csv has no sweep_points"
                                                       : "no manifest.csv");
    char *tornado = nsm_path_join(dir, "tornado.csv");
    int oat = tornado && access(tornado, F_OK) == 0;
    free(tornado);
    if (oat)
        return nsm_diag_error(d, NSM_ERR_USAGE, "%s is a one-at-a-time sweep (it has "
                              "tornado.csv): it moves one number at a time, so its points do not "
                              "spread over the space PRIM searches: use a sweep of --lhs N, "
                              "--design, --grid or --sobol", dir);
    st = nsm_table_read(&f->params, dir, &S_PARAMS, d);
    if (st == NSM_OK && !f->params.present)
        return nsm_diag_error(d, NSM_ERR_IO, "%s: error: no parameters.csv: not a sweep's "
                              "results folder", dir);
    if (st == NSM_OK && f->params.n_rows == 0)
        return nsm_diag_error(d, NSM_ERR_USAGE, "%s varies no number (only lever sets): PRIM "
                              "needs swept numbers: use a sweep of --lhs N, --design, --grid or "
                              "--sobol", dir);
    if (st == NSM_OK)
        st = sweep_schema(f, d);
    if (st == NSM_OK)
        st = nsm_table_read(&f->sweep, dir, &f->schema, d);
    if (st == NSM_OK && !f->sweep.present)
        return nsm_diag_error(d, NSM_ERR_IO, "%s: error: no sweep.csv", dir);
    if (st == NSM_OK) /* optional: sweeps before labels had none */
        st = nsm_table_read(&f->labels, dir, &S_LABELS, d);
    return st;
}

static void folder_release(folder *f)
{
    nsm_table_release(&f->manifest);
    nsm_table_release(&f->params);
    nsm_table_release(&f->sweep);
    nsm_table_release(&f->labels);
    free(f->columns);
}

/* A list of distinct names, for "the sweep holds: a, b, c" and suggestions. */
typedef struct {
    int n;
    char names[MAX_LIST][128];
} name_list;

static void list_add(name_list *l, const char *s)
{
    for (int i = 0; i < l->n; i++)
        if (!strcmp(l->names[i], s))
            return;
    if (l->n < MAX_LIST)
        snprintf(l->names[l->n++], sizeof l->names[0], "%s", s);
}

static void list_join(const name_list *l, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = 0;
    for (int i = 0; i < l->n && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "", l->names[i]);
}

/* An option's value that sweep.csv does not hold: "--outcome: no outcome 'x' in DIR/sweep.csv
** (did you mean 'y'?); it holds: ...", with the list `shown` (NULL: l's names). */
static nsm_status not_held(const char *path, const char *option, const char *what,
                           const char *given, const name_list *l, const char *shown, nsm_diag *d)
{
    char all[2048];
    list_join(l, all, sizeof all);
    const char *hint = l->n ? nsm_suggest(given, l->names[0], (size_t)l->n, sizeof l->names[0])
                            : NULL;
    char dym[192] = "";
    if (hint)
        snprintf(dym, sizeof dym, " (did you mean '%s'?)", hint);
    return nsm_diag_error(d, NSM_ERR_USAGE, "%s: no %s '%s' in %s%s; it holds: %s", option, what,
                          given, path, dym, !l->n ? "none" : shown ? shown : all);
}

/* The selection of sweep.csv's rows: one per point. */
typedef struct {
    const char *outcome, *measure, *levers;
    char date[11];
    double years;
    int n, *rows;
} selection;

static int is_row(const nsm_table *t, int r, const selection *s, int stage)
{
    if (strcmp(cell(t, r, "quantity"), "outcome"))
        return 0;
    if (stage >= 1 && strcmp(cell(t, r, "name"), s->outcome))
        return 0;
    if (stage >= 2 && strcmp(cell(t, r, "measure"), s->measure))
        return 0;
    if (stage >= 3 && strcmp(cell(t, r, "date"), s->date))
        return 0;
    return stage < 4 || !s->levers || !strcmp(cell(t, r, "levers"), s->levers);
}

/* The names at stage k (outcomes, measures, horizons, lever sets) of the rows that pass k. */
static void names_at(const nsm_table *t, const selection *s, int stage, name_list *l)
{
    static const char *const COL[] = {"name", "measure", "date", "levers"};
    l->n = 0;
    for (int r = 0; r < t->n_rows; r++)
        if (is_row(t, r, s, stage))
            list_add(l, cell(t, r, COL[stage]));
}

/* No row of the selection has a date and years as neasim sweep writes them, so there is no last
** horizon: the first row's cell that is not (its date, else its years), pointed at. Every row
** failed, so the first did. (It was reported as "--horizon: no horizon '(null)'", from a NULL
** given to the suggestion: found by fuzz_discover.) */
static nsm_status no_last_horizon(const nsm_table *t, const selection *s, nsm_diag *d)
{
    int r = 0;
    while (r < t->n_rows && !is_row(t, r, s, 2))
        r++; /* there is one: select_rows found it */
    const nsm_cell *c = nsm_table_cell(t, r, "date");
    if (strlen(c->text) != 10)
        return nsm_table_error(t, c, 0, d, "'%s' is not a report date (YYYY-MM-DD, as neasim "
                               "sweep writes it)", c->text);
    c = nsm_table_cell(t, r, "horizon_years");
    return nsm_table_error(t, c, 0, d, "'%s' is not a number of years from the start (as neasim "
                           "sweep writes it)", c->text);
}

/* The horizon: the last, a date, or a number of years. */
static nsm_status pick_horizon(const nsm_table *t, selection *s, const char *want, nsm_diag *d)
{
    double best = -1, years = want ? strtod(want, NULL) : 0;
    for (int r = 0; r < t->n_rows; r++) {
        if (!is_row(t, r, s, 2))
            continue;
        double y = strtod(cell(t, r, "horizon_years"), NULL);
        const char *date = cell(t, r, "date");
        int match = want ? !strcmp(date, want) || fabs(y - years) < 1e-9 : y > best;
        if (match && strlen(date) == 10) {
            best = y;
            s->years = y;
            memcpy(s->date, date, 11);
            if (want)
                break;
        }
    }
    if (s->date[0])
        return NSM_OK;
    if (!want)
        return no_last_horizon(t, s, d);
    name_list l;
    names_at(t, s, 2, &l);
    /* the dates with their years, since --horizon takes either */
    char shown[4096];
    size_t used = 0;
    shown[0] = 0;
    for (int i = 0; i < l.n && used < sizeof shown; i++)
        for (int r = 0; r < t->n_rows; r++)
            if (is_row(t, r, s, 2) && !strcmp(cell(t, r, "date"), l.names[i])) {
                const char *y = cell(t, r, "horizon_years");
                used += (size_t)snprintf(shown + used, sizeof shown - used, "%s%s (%s year%s)",
                                         i ? ", " : "", l.names[i], y, strcmp(y, "1") ? "s" : "");
                break;
            }
    return not_held(t->path, "--horizon", "horizon", want, &l, shown, d);
}

static int any_row(const nsm_table *t, const selection *s, int stage)
{
    for (int r = 0; r < t->n_rows; r++)
        if (is_row(t, r, s, stage))
            return 1;
    return 0;
}

/* The lever set: none asked and at most one in the sweep, or the one asked. */
static nsm_status pick_levers(const nsm_table *t, const selection *s, nsm_diag *d)
{
    int has_levers = t->n_rows > 0 && nsm_table_cell(t, 0, "levers")->column > 0;
    if (s->levers && !has_levers)
        return nsm_diag_error(d, NSM_ERR_USAGE, "--levers: %s has no levers column: the sweep "
                              "varies no lever set, so leave --levers out", t->path);
    name_list l;
    names_at(t, s, 3, &l);
    if (s->levers && !any_row(t, s, 4))
        return not_held(t->path, "--levers", "lever set", s->levers, &l, NULL, d);
    if (!s->levers && l.n > 1) {
        char all[2048];
        list_join(&l, all, sizeof all);
        return nsm_diag_error(d, NSM_ERR_USAGE, "--levers: %s varies lever sets (%s): PRIM "
                              "searches numbers; give --levers SET to search the points of one "
                              "lever set", t->path, all);
    }
    return NSM_OK;
}

static nsm_status select_rows(const nsm_table *t, const nsm_discover_options *o, selection *s,
                              nsm_diag *d)
{
    *s = (selection){o->outcome, o->measure ? o->measure : "occurred_by", o->levers, "", 0, 0,
                     NULL};
    name_list l;
    if (!any_row(t, s, 1)) {
        names_at(t, s, 0, &l);
        return not_held(t->path, "--outcome", "outcome", s->outcome, &l, NULL, d);
    }
    if (!any_row(t, s, 2)) {
        names_at(t, s, 1, &l);
        return not_held(t->path, "--measure", "measure", s->measure, &l, NULL, d);
    }
    nsm_status st = pick_horizon(t, s, o->horizon, d);
    if (st == NSM_OK)
        st = pick_levers(t, s, d);
    if (st != NSM_OK)
        return st;
    s->rows = malloc((size_t)t->n_rows * sizeof *s->rows);
    if (!s->rows)
        return nsm_diag_error(d, NSM_ERR_NOMEM, "out of memory");
    for (int r = 0; r < t->n_rows; r++)
        if (is_row(t, r, s, 4))
            s->rows[s->n++] = r;
    return NSM_OK;
}

static nsm_status read_number(const nsm_table *t, int r, const char *col, double *v, nsm_diag *d)
{
    const nsm_cell *c = nsm_table_cell(t, r, col);
    char *end;
    *v = strtod(c->text, &end);
    if (end == c->text || *end || !isfinite(*v))
        return nsm_table_error(t, c, 0, d, "'%s' is not a number", c->text);
    return NSM_OK;
}

static char *copy_text(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    return p ? memcpy(p, s, n) : NULL;
}

/* A swept number's label without the 5-95% range that parameters.csv ends it with ("DPRK testing:
** restraint -> routine (yearly chance): 0.038 to 0.834"): in a rule, "... 0.834 is above 0.164"
** read as if 0.834 were compared. The range is taken off only when it is exactly the text the
** sweep wrote from the number's distribution (nsm_dist_range_text), so a label that merely ends
** in numbers keeps them. */
static char *bare_label(const folder *f, int j)
{
    char *label = copy_text(cell(&f->params, j, "label"));
    const nsm_cell *dist_cell = nsm_table_cell(&f->params, j, "distribution");
    nsm_dist dist;
    if (!label || !dist_cell->text[0] ||
        nsm_dist_parse(dist_cell->text, &dist, NULL, NULL) != NSM_OK)
        return label;
    static const char *const PREFIX[] = {"", "x"}; /* a number, a multiplier */
    for (int k = 0; k < 2; k++) {
        char tail[112] = ": ";
        nsm_dist_range_text(&dist, PREFIX[k], tail + 2, sizeof tail - 2);
        size_t n = strlen(label), t = strlen(tail);
        if (n > t && !strcmp(label + n - t, tail)) {
            label[n - t] = 0;
            break;
        }
    }
    return label;
}

/* The outcome's label as the scenario gives it (labels.csv, given = yes), or "". */
static void outcome_label(const folder *f, const char *outcome, char *buf, size_t size)
{
    buf[0] = 0;
    for (int r = 0; f->labels.present && r < f->labels.n_rows; r++) {
        const nsm_cell *given = nsm_table_cell(&f->labels, r, "given");
        if (!strcmp(cell(&f->labels, r, "kind"), "outcome") &&
            !strcmp(cell(&f->labels, r, "name"), outcome) &&
            (!given->text[0] || !strcmp(given->text, "yes"))) {
            snprintf(buf, size, "%s", cell(&f->labels, r, "label"));
            return;
        }
    }
}

/* The points: their numbers, probabilities and whether each is a case. */
static nsm_status fill_points(const folder *f, const selection *s, const nsm_discover_options *o,
                              nsm_discovery *out, nsm_diag *d)
{
    const nsm_table *t = &f->sweep;
    int n = s->n, dd = f->params.n_rows;
    out->n = n;
    out->d = dd;
    out->x = malloc((size_t)n * (size_t)dd * sizeof *out->x);
    out->value = malloc((size_t)n * sizeof *out->value);
    out->y = malloc((size_t)n * sizeof *out->y);
    out->names = calloc((size_t)dd, sizeof *out->names);
    out->labels = calloc((size_t)dd, sizeof *out->labels);
    out->quasi_p = malloc((size_t)dd * sizeof *out->quasi_p);
    out->quasi_p_side = malloc(2 * (size_t)dd * sizeof *out->quasi_p_side);
    if (!out->x || !out->value || !out->y || !out->names || !out->labels || !out->quasi_p ||
        !out->quasi_p_side)
        return nsm_diag_error(d, NSM_ERR_NOMEM, "out of memory");
    for (int j = 0; j < dd; j++) {
        out->names[j] = copy_text(cell(&f->params, j, "parameter"));
        out->labels[j] = bare_label(f, j);
        if (!out->names[j] || !out->labels[j])
            return nsm_diag_error(d, NSM_ERR_NOMEM, "out of memory");
    }
    double last = 0;
    for (int i = 0; i < n; i++) {
        int r = s->rows[i];
        double point;
        nsm_status st = read_number(t, r, "point", &point, d);
        if (st == NSM_OK && i > 0 && !(point > last))
            st = nsm_table_error(t, nsm_table_cell(t, r, "point"), 0, d, "point %s appears "
                                 "twice, or out of order, for this outcome and horizon",
                                 cell(t, r, "point"));
        last = point;
        for (int j = 0; st == NSM_OK && j < dd; j++)
            st = read_number(t, r, f->columns[1 + j].name, &out->x[(size_t)i * (size_t)dd + (size_t)j], d);
        if (st == NSM_OK)
            st = read_number(t, r, "value", &out->value[i], d);
        if (st != NSM_OK)
            return st;
        out->y[i] = o->below ? out->value[i] < o->threshold : out->value[i] > o->threshold;
    }
    return NSM_OK;
}

static nsm_status run_prim(const nsm_discover_options *o, nsm_discovery *out, nsm_diag *d)
{
    int cases = 0;
    for (int i = 0; i < out->n; i++)
        cases += out->y[i] > 0;
    if (cases == 0 || cases == out->n)
        return nsm_diag_error(d, NSM_ERR_USAGE, "--threshold: %s point of the sweep has %s (%s) "
                              "%s %g at %s: nothing to discover, %s (try %s threshold)",
                              cases ? "every" : "no", o->outcome,
                              o->measure ? o->measure : "occurred_by", o->below ? "below" : "above",
                              o->threshold, out->date,
                              cases ? "the whole space is the box" : "there is no box",
                              (cases != 0) == !o->below ? "a higher" : "a lower");
    nsm_status st = nsm_prim(out->x, out->y, out->n, out->d, &o->prim, &out->prim, d);
    if (st != NSM_OK)
        return st;
    if (o->box >= out->prim.n_steps)
        return nsm_diag_error(d, NSM_ERR_USAGE, "--box: the trajectory has steps 0 to %d, not %d: "
                              "give one of them (prim_trajectory.csv lists them)",
                              out->prim.n_steps - 1, o->box);
    out->picked = o->box >= 0        ? o->box
                  : isnan(o->target) ? nsm_prim_knee(&out->prim)
                                     : nsm_prim_choose(&out->prim, o->target);
    out->chosen = out->picked;
    if (o->box < 0)
        st = nsm_prim_drop(out->x, out->y, &out->prim, out->picked, o->max_qp, &out->chosen, d);
    if (st != NSM_OK)
        return st;
    nsm_prim_quasi_p(out->x, out->y, &out->prim, out->chosen, out->quasi_p, out->quasi_p_side);
    return NSM_OK;
}

nsm_status nsm_discover(const nsm_discover_options *o, nsm_discovery *out, nsm_diag *d)
{
    memset(out, 0, sizeof *out);
    folder f;
    memset(&f, 0, sizeof f);
    selection s = {0};
    nsm_status st = folder_open(&f, o->sweep, d);
    if (st == NSM_OK)
        st = select_rows(&f.sweep, o, &s, d);
    if (st == NSM_OK) {
        memcpy(out->date, s.date, sizeof out->date);
        st = fill_points(&f, &s, o, out, d);
    }
    if (st == NSM_OK) {
        const char *sc = manifest_value(&f, "scenario"), *rp = manifest_value(&f, "runs_per_point");
        const char *title = manifest_value(&f, "scenario_title"), *seed = manifest_value(&f, "seed");
        snprintf(out->scenario, sizeof out->scenario, "%s", sc ? sc : "");
        snprintf(out->scenario_title, sizeof out->scenario_title, "%s", title ? title : "");
        snprintf(out->seed, sizeof out->seed, "%s", seed ? seed : "");
        outcome_label(&f, o->outcome, out->outcome_label, sizeof out->outcome_label);
        out->runs_per_point = rp ? strtod(rp, NULL) : 0;
        out->horizon_years = s.years;
        st = run_prim(o, out, d);
    }
    free(s.rows);
    folder_release(&f);
    return st;
}

void nsm_discovery_release(nsm_discovery *r)
{
    for (int j = 0; j < r->d; j++) {
        if (r->names)
            free(r->names[j]);
        if (r->labels)
            free(r->labels[j]);
    }
    free(r->names);
    free(r->labels);
    free(r->x);
    free(r->value);
    free(r->y);
    free(r->quasi_p);
    free(r->quasi_p_side);
    nsm_prim_release(&r->prim);
    memset(r, 0, sizeof *r);
}
