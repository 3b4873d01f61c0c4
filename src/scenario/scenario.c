/*
** scenario.c: nsm_scenario_read(): read every table of a scenario folder, interpret the tables in
** an order where every name is defined before it is used, then check the model as a whole
** (distinct random streams), compute the checksum and warn about numbers without a source.
*/
#include <dirent.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neasim/outdir.h"
#include "neasim/scenario.h"
#include "scenario/read.h"

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const nsm_column scenario_cols[] = {{"key", 0}, {"value", 0}, {"source", 0}};
static const nsm_column factor_cols[] = {
    {"factor", 0}, {"level", 0}, {"initial", 0}, {"description", 1}, {"source", 0},
    {"label", 1},  {"factor_label", 1}, {"entered", 1}};
static const nsm_column transition_cols[] = {{"factor", 0}, {"from", 0},     {"to", 0},
                                             {"value", 0},  {"unit", 0},     {"duration", 1},
                                             {"source", 0}};
static const nsm_column modifier_cols[] = {
    {"id", 1}, {"target", 0}, {"condition", 0}, {"multiplier", 0}, {"source", 0}, {"label", 1}};
static const nsm_column event_cols[] = {{"event", 0},         {"rate_per_year", 0},
                                        {"dispersion", 1},    {"redraw_months", 1},
                                        {"description", 1},   {"source", 0},
                                        {"label", 1},         {"counts", 1}};
static const nsm_column season_cols[] = {
    {"target", 0}, {"month", 0}, {"multiplier", 0}, {"source", 0}};
static const nsm_column draw_cols[] = {{"draw", 0},        {"factor", 0}, {"from", 0},
                                       {"to", 0},          {"probability", 0},
                                       {"given", 1},       {"source", 0},
                                       {"label", 1}};
static const nsm_column calendar_cols[] = {{"name", 0},  {"date", 0},   {"repeat_years", 1},
                                           {"until", 1}, {"when", 1},   {"action", 0},
                                           {"source", 0}};
static const nsm_column effect_cols[] = {{"id", 1},         {"trigger", 0}, {"when", 1},
                                         {"probability", 0}, {"delay_days", 1},
                                         {"delay", 1},       {"when_due", 1}, {"action", 0},
                                         {"source", 0}};
static const nsm_column outcome_cols[] = {{"outcome", 0}, {"condition", 0}, {"occurrence", 1},
                                          {"description", 1}, {"label", 1}, {"desirable", 1},
                                          {"route", 1}};
static const nsm_column lever_cols[] = {{"lever", 0},     {"target", 0},      {"operation", 0},
                                        {"value", 0},     {"from_date", 1},   {"description", 1},
                                        {"source", 0},    {"label", 1}};

/* In the order of the spec's table list, which is also the order of the checksum. */
static const nsm_schema schemas[NSM_N_TABLES] = {
    {"scenario.csv", "the scenario's metadata (name, title, start_date, horizon_years)",
     COUNT(scenario_cols), scenario_cols},
    {"factors.csv", "the factors, their levels and initial distribution", COUNT(factor_cols),
     factor_cols},
    {"transitions.csv", "the hazards of moving between levels", COUNT(transition_cols),
     transition_cols},
    {"modifiers.csv", "multipliers of hazards while a condition holds", COUNT(modifier_cols),
     modifier_cols},
    {"events.csv", "counted events", COUNT(event_cols), event_cols},
    {"seasonality.csv", "calendar-month multipliers", COUNT(season_cols), season_cols},
    {"draws.csv", "categorical re-draws", COUNT(draw_cols), draw_cols},
    {"calendar.csv", "scheduled actions", COUNT(calendar_cols), calendar_cols},
    {"effects.csv", "triggered actions", COUNT(effect_cols), effect_cols},
    {"outcomes.csv", "named conditions to report", COUNT(outcome_cols), outcome_cols},
    {"levers.csv", "policy levers for neasim compare", COUNT(lever_cols), lever_cols},
};

static const int required[NSM_N_TABLES] = {1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0};

/* Interpreted in this order: names before their uses. */
static nsm_status (*const steps[])(nsm_reader *) = {
    nsmi_scenario_meta,        nsmi_scenario_factors, nsmi_scenario_transitions,
    nsmi_scenario_entered,     nsmi_scenario_events,      nsmi_scenario_modifiers, nsmi_scenario_seasonality,
    nsmi_scenario_draws,       nsmi_scenario_calendar, nsmi_scenario_effects,
    nsmi_scenario_outcomes,    nsmi_scenario_uncertain, nsmi_scenario_levers,
};

/* ---- reading the folder ---- */

static nsm_status check_folder(const char *dir, nsm_diag *d)
{
    DIR *dp = opendir(dir);
    if (!dp)
        return nsm_diag_error(d, NSM_ERR_IO, "%s: error: cannot open the scenario folder: %s",
                              dir, strerror(errno));
    closedir(dp);
    return NSM_OK;
}

static nsm_status missing_table(const nsm_table *t, nsm_diag *d)
{
    char *header = nsm_schema_header(t->schema);
    if (!header)
        return NSM_ERR_NOMEM;
    nsm_diag_at(d, t->path, 0, 0, NULL, "missing required table %s: it holds %s, with the "
                "header %s", t->schema->file, t->schema->what, header);
    free(header);
    return NSM_ERR_INPUT;
}

static nsm_status read_tables(nsm_reader *r, const char *dir)
{
    nsm_status s = nsmi_scenario_tables(dir, schemas, r->tables, &r->m->extends, r->d);
    for (int k = 0; s == NSM_OK && k < NSM_N_TABLES; k++)
        if (required[k] && !r->tables[k].present) {
            if (!r->tables[k].path)
                r->tables[k].path = nsm_path_join(dir, schemas[k].file);
            r->tables[k].schema = &schemas[k];
            return r->tables[k].path ? missing_table(&r->tables[k], r->d) : NSM_ERR_NOMEM;
        }
    return s;
}

/* ---- checks over the whole model ---- */

/* The bytes a table contributes to the checksum: the file as saved, or, in a scenario that
** extends a base, the resolved table as tidy CSV (what `check --resolved` writes, so that the
** flattened folder has the same checksum). *owned is set when the bytes are new. */
static const void *table_bytes(const nsm_reader *r, const nsm_table *t, size_t *n, char **owned)
{
    *owned = NULL;
    if (!r->m->extends) {
        *n = t->size;
        return t->bytes;
    }
    FILE *f = open_memstream(owned, n);
    if (!f)
        return NULL;
    nsmi_table_write_tidy(t, f);
    if (fclose(f) != 0) {
        free(*owned);
        *owned = NULL;
    }
    return *owned;
}

/* SHA-256 over the tables present, in spec order: name, NUL, bytes, NUL. */
static nsm_status checksum(nsm_reader *r)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    for (int k = 0; ok && k < NSM_N_TABLES; k++) {
        const nsm_table *t = &r->tables[k];
        size_t n = 0;
        char *owned = NULL;
        const void *bytes = t->present ? table_bytes(r, t, &n, &owned) : NULL;
        if (t->present)
            ok = bytes && EVP_DigestUpdate(ctx, schemas[k].file, strlen(schemas[k].file) + 1) &&
                 EVP_DigestUpdate(ctx, bytes, n) && EVP_DigestUpdate(ctx, "", 1);
        free(owned);
    }
    ok = ok && EVP_DigestFinal_ex(ctx, md, &len);
    EVP_MD_CTX_free(ctx);
    if (!ok)
        return NSM_ERR_NOMEM;
    for (unsigned int i = 0; i < len && 2 * i + 2 < sizeof r->m->checksum; i++)
        snprintf(r->m->checksum + 2 * i, 3, "%02x", md[i]);
    return NSM_OK;
}

static int has_column(const nsm_schema *s, const char *name)
{
    for (int k = 0; k < s->n_columns; k++)
        if (strcmp(s->columns[k].name, name) == 0)
            return 1;
    return 0;
}

/* Rows holding numbers should say where the numbers come from; scenario.csv holds two. */
static int wants_source(const nsm_table *t, int k, int row)
{
    if (k != NSM_T_SCENARIO)
        return 1;
    const char *key = nsm_table_cell(t, row, "key")->text;
    return strcmp(key, "horizon_years") == 0 || strcmp(key, "report_interval_months") == 0;
}

static void warn_sources(nsm_reader *r)
{
    for (int k = 0; k < NSM_N_TABLES; k++) {
        const nsm_table *t = &r->tables[k];
        if (!t->present || !has_column(t->schema, "source"))
            continue;
        for (int i = 0; i < t->n_rows; i++) {
            const nsm_cell *c = nsm_table_cell(t, i, "source");
            if (!c->text[0] && wants_source(t, k, i))
                nsm_table_warn(t, c, r->d, "empty source: say where this row comes from (data, "
                               "a publication, or a judgment with its reasoning and range)");
        }
    }
}

/* The lines of a diagnostic's warnings, each ending with '\n' (status.h); 0 without one (a
** caller may pass no diagnostic). */
static int warning_lines(const nsm_diag *d)
{
    int n = 0;
    for (const char *p = d ? d->warnings : NULL; p && *p; p++)
        n += *p == '\n';
    return n;
}

nsm_status nsm_scenario_read(const char *dir, nsm_model **out, nsm_diag *diag)
{
    *out = NULL;
    int before = warning_lines(diag);
    nsm_status s = check_folder(dir, diag);
    if (s != NSM_OK)
        return s;
    nsm_reader r;
    memset(&r, 0, sizeof r);
    r.d = diag;
    r.m = calloc(1, sizeof *r.m);
    s = r.m ? read_tables(&r, dir) : NSM_ERR_NOMEM;
    for (int i = 0; s == NSM_OK && i < COUNT(steps); i++)
        s = steps[i](&r);
    if (s == NSM_OK)
        s = nsmi_scenario_check_streams(r.m, dir, diag);
    if (s == NSM_OK)
        s = checksum(&r);
    if (s == NSM_OK)
        warn_sources(&r);
    for (int k = 0; k < NSM_N_TABLES; k++)
        nsm_table_release(&r.tables[k]);
    free(r.dists);
    if (s == NSM_OK) {
        r.m->n_warnings = warning_lines(diag) - before;
        *out = r.m;
        return NSM_OK;
    }
    nsm_model_free(r.m);
    if (s == NSM_ERR_NOMEM)
        nsm_diag_error(diag, s, "%s: error: out of memory while reading the scenario", dir);
    return s;
}

/* ---- the resolved tables, for spreadsheet users ---- */

static nsm_status write_table(const nsm_table *t, const char *out, nsm_diag *d)
{
    char *path = nsm_path_join(out, t->schema->file);
    if (!path)
        return NSM_ERR_NOMEM;
    FILE *f = fopen(path, "w");
    nsm_status s = NSM_OK;
    if (!f)
        s = nsm_diag_error(d, NSM_ERR_IO, "cannot create %s: %s", path, strerror(errno));
    if (f) {
        nsmi_table_write_tidy(t, f);
        if ((ferror(f) | fclose(f)) != 0)
            s = nsm_diag_error(d, NSM_ERR_IO, "cannot write %s: %s", path, strerror(errno));
    }
    free(path);
    return s;
}

nsm_status nsm_scenario_write_resolved(const char *dir, const char *out, nsm_diag *diag)
{
    nsm_table tables[NSM_N_TABLES];
    memset(tables, 0, sizeof tables);
    char *bases = NULL;
    nsm_status s = check_folder(dir, diag);
    if (s == NSM_OK)
        s = nsmi_scenario_tables(dir, schemas, tables, &bases, diag);
    for (int k = 0; s == NSM_OK && k < NSM_N_TABLES; k++)
        if (tables[k].present)
            s = write_table(&tables[k], out, diag);
    for (int k = 0; k < NSM_N_TABLES; k++)
        nsm_table_release(&tables[k]);
    free(bases);
    return s;
}
