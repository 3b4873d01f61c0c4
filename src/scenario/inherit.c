/*
** inherit.c: the tables of a scenario folder, with `extends` resolved (scenarios/README.md,
** "Variants that extend a base").
**
** A scenario whose scenario.csv has the key `extends` is a patch of its base folder: each of its
** tables is merged, row by row and by the table's key, over the base's (itself resolved first, so
** chains work), and a table it lacks is the base's. The merge happens here, on cells, before any
** table is interpreted: every reader of scenario/ sees one table of rows in their resolved order,
** and every cell keeps the file it came from (nsm_cell.origin), so that a message about a row of
** the base points at the base's file and a row of the variant at the variant's. Nothing else in
** the reader knows about inheritance.
**
** Order: the base's rows in their order, a replaced row in the base row's place, dropped rows
** gone, then the variant's new rows in its order. The merged table owns every file table its cells
** point at (nsm_table.sources).
*/
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "neasim/outdir.h"
#include "neasim/text.h"
#include "scenario/read.h"

enum { MAX_DEPTH = 8, MAX_KEY = 4 };

/* The columns that identify a row of each table, in the spec's table order; a column the schema
** lacks is skipped (draws.csv's `given`, when present, is part of a draw row's identity). */
static const char *const keys[NSM_N_TABLES][MAX_KEY + 1] = {
    [NSM_T_SCENARIO] = {"key"},
    [NSM_T_FACTORS] = {"factor", "level"},
    [NSM_T_TRANSITIONS] = {"factor", "from", "to"},
    [NSM_T_MODIFIERS] = {"id"},
    [NSM_T_EVENTS] = {"event"},
    [NSM_T_SEASONALITY] = {"target", "month"},
    [NSM_T_DRAWS] = {"draw", "given", "from", "to"},
    [NSM_T_CALENDAR] = {"name"},
    [NSM_T_EFFECTS] = {"id"},
    [NSM_T_OUTCOMES] = {"outcome"},
    [NSM_T_LEVERS] = {"lever", "target"},
};

static int schema_has(const nsm_schema *s, const char *name)
{
    for (int k = 0; k < s->n_columns; k++)
        if (strcmp(s->columns[k].name, name) == 0)
            return 1;
    return 0;
}

/* The key columns of table k that its schema has. */
static int key_columns(int k, const nsm_schema *s, const char **out)
{
    int n = 0;
    for (int i = 0; keys[k][i]; i++)
        if (schema_has(s, keys[k][i]))
            out[n++] = keys[k][i];
    return n;
}

/* ---- one folder's own files ---- */

/* A schema with the columns of `s` and an optional `drop` last, so that a row's first
** s->n_columns cells are in the order of s. */
typedef struct {
    nsm_column cols[32];
    nsm_schema schema;
} patch_schema;

static void patch_schema_init(patch_schema *p, const nsm_schema *s)
{
    int n = s->n_columns < 31 ? s->n_columns : 31;
    memcpy(p->cols, s->columns, (size_t)n * sizeof *p->cols);
    p->cols[n] = (nsm_column){"drop", 1};
    p->schema = *s;
    p->schema.n_columns = n + 1;
    p->schema.columns = p->cols;
}

/* The row of scenario.csv whose key is `extends`, or -1. */
static int extends_row(const nsm_table *t)
{
    for (int i = 0; t->present && i < t->n_rows; i++)
        if (strcmp(nsm_table_cell(t, i, "key")->text, "extends") == 0)
            return i;
    return -1;
}

/* ---- a drop cell and a row's key ---- */

static nsm_status read_drop(const nsm_table *v, int row, int n_cols, int *drop, nsm_diag *d)
{
    *drop = 0;
    if (v->schema->n_columns <= n_cols) /* scenario.csv has no drop column */
        return NSM_OK;
    const nsm_cell *c = &v->rows[row].cells[n_cols];
    const char *s = c->text ? c->text : "";
    if (!strcmp(s, "yes") || !strcmp(s, "true") || !strcmp(s, "1"))
        *drop = 1;
    else if (s[0] && strcmp(s, "no") && strcmp(s, "false") && strcmp(s, "0"))
        return nsm_table_error(v, c, 0, d, "drop is yes, true or 1 (remove the base's row with "
                               "this key), or empty, no, false or 0, not '%s'", s);
    return NSM_OK;
}

/* The key of a row as one string (cells joined by a unit separator); "" when every key cell is
** empty (such a row is never matched: it is added). */
static void row_key(const nsm_table *t, int row, const char *const *cols, int n, char *buf,
                    size_t size)
{
    size_t used = 0;
    int any = 0;
    buf[0] = 0;
    for (int i = 0; i < n; i++) {
        const char *s = nsm_table_cell(t, row, cols[i])->text;
        any |= s[0] != 0;
        int w = snprintf(buf + used, size - used, "%s%s", i ? "\x1f" : "", s);
        used = w > 0 && (size_t)w < size - used ? used + (size_t)w : size - 1;
    }
    if (!any)
        buf[0] = 0;
}

/* The key as a reader writes it ("factor,level" cells "usfk_posture,current"), for messages. */
static void key_text(const char *key, char *out, size_t size)
{
    snprintf(out, size, "%s", key);
    for (char *p = out; *p; p++)
        if (*p == '\x1f')
            *p = ',';
}

/* ---- merging one table ---- */

typedef struct {
    const nsm_table *base, *var;      /* base: merged or a plain file table; var: patch schema */
    const char *cols[MAX_KEY];
    int n_keys, n_cols;               /* key columns; columns of the plain schema */
    int *replaced_by;                 /* per base row: the variant row replacing it, -1, or -2
                                      ** (dropped) */
    int *added;                       /* per variant row: 1 when it is a new row */
    nsm_diag *d;
} merge;

static nsm_status find_in_base(const merge *g, const char *key, int vrow, int *out)
{
    char k2[1024];
    *out = -1;
    for (int i = 0; g->base->present && i < g->base->n_rows; i++) {
        row_key(g->base, i, g->cols, g->n_keys, k2, sizeof k2);
        if (strcmp(key, k2) != 0)
            continue;
        if (*out >= 0) {
            char shown[1024];
            key_text(key, shown, sizeof shown);
            return nsm_table_error(g->var, nsm_table_cell(g->var, vrow, g->cols[0]), 0, g->d,
                                   "the key '%s' names more than one row of the base's %s (lines "
                                   "%d and %d): a patch can replace or drop only a row its key "
                                   "names alone", shown, g->base->schema->file,
                                   g->base->rows[*out].line, g->base->rows[i].line);
        }
        *out = i;
    }
    return NSM_OK;
}

/* No key twice in the variant's table. */
static nsm_status check_unique(const merge *g, int row, const char *key)
{
    char k2[1024];
    for (int j = 0; key[0] && j < row; j++) {
        row_key(g->var, j, g->cols, g->n_keys, k2, sizeof k2);
        if (strcmp(key, k2) == 0) {
            char shown[1024];
            key_text(key, shown, sizeof shown);
            return nsm_table_error(g->var, nsm_table_cell(g->var, row, g->cols[0]), 0, g->d,
                                   "the key '%s' is given twice in this patch (first at line %d): "
                                   "one row a key; remove one of the two rows, or merge them into "
                                   "one", shown, g->var->rows[j].line);
        }
    }
    return NSM_OK;
}

/* Whether b looks like a typo of a: one or two edits (one below 6 characters), and not names
** that differ only in their digits (us_congress_2025 beside us_congress_2028 is deliberate). */
static int typo_of(const char *a, const char *b)
{
    size_t la = strlen(a), limit = la < 6 ? 1 : 2;
    if (la < 4 || nsm_edit_distance(a, b, limit) > limit)
        return 0;
    while (*a || *b) {
        while (*a >= '0' && *a <= '9')
            a++;
        while (*b >= '0' && *b <= '9')
            b++;
        if (*a != *b)
            return 1;
        if (*a)
            a++, b++;
    }
    return 0;
}

/* A row the variant adds whose key differs from a base row's in one cell, by a typo of a name
** the base does not use there (rok_regular_presidental_election, a level crsis): it adds a row
** where a replacement was surely meant, and the scenario would run with both, so say so. */
static void warn_near_key(const merge *g, int row)
{
    for (int col = 0; col < g->n_keys && g->base->present; col++) {
        const nsm_cell *vc = nsm_table_cell(g->var, row, g->cols[col]);
        int used = 0, near = -1;
        for (int i = 0; !used && i < g->base->n_rows; i++) {
            const char *b = nsm_table_cell(g->base, i, g->cols[col])->text;
            used = strcmp(b, vc->text) == 0;
            int same = 1; /* every other key cell equal */
            for (int o = 0; o < g->n_keys; o++)
                same &= o == col || !strcmp(nsm_table_cell(g->var, row, g->cols[o])->text,
                                            nsm_table_cell(g->base, i, g->cols[o])->text);
            if (same && near < 0 && typo_of(vc->text, b))
                near = i;
        }
        if (!used && near >= 0) {
            nsm_table_warn(g->var, vc, g->d, "this row adds '%s' to the base's %s, which has "
                           "'%s' (line %d): a typo? A row whose key matches the base's replaces "
                           "it; this one is added beside it", vc->text, g->var->schema->file,
                           nsm_table_cell(g->base, near, g->cols[col])->text,
                           g->base->rows[near].line);
            return;
        }
    }
}

static nsm_status plan_row(merge *g, int row)
{
    char key[1024];
    int drop, at = -1;
    row_key(g->var, row, g->cols, g->n_keys, key, sizeof key);
    nsm_status s = read_drop(g->var, row, g->n_cols, &drop, g->d);
    if (s == NSM_OK)
        s = check_unique(g, row, key);
    if (s == NSM_OK && key[0])
        s = find_in_base(g, key, row, &at);
    if (s != NSM_OK)
        return s;
    const nsm_cell *c = nsm_table_cell(g->var, row, g->cols[0]);
    if (drop && !key[0])
        return nsm_table_error(g->var, c, 0, g->d, "a row that drops needs its key (%s%s%s%s%s) "
                               "to name the base's row", g->cols[0], g->n_keys > 1 ? "," : "",
                               g->n_keys > 1 ? g->cols[1] : "", g->n_keys > 2 ? "," : "",
                               g->n_keys > 2 ? g->cols[2] : "");
    if (drop && (!key[0] || at < 0)) {
        char shown[1024];
        key_text(key, shown, sizeof shown);
        return nsm_table_error(g->var, c, 0, g->d, "drop of '%s', which the base's %s does not "
                               "have%s", shown, g->var->schema->file,
                               g->base->present ? "" : " (the base has no such table)");
    }
    if (key[0] && at < 0)
        warn_near_key(g, row);
    if (!key[0] || at < 0)
        g->added[row] = 1;
    else
        g->replaced_by[at] = drop ? -2 : row;
    return NSM_OK;
}

/* A copy of row `row` of the variant, in plain-schema order, its cells pointing at the file. */
static nsm_status copy_row(const nsm_table *v, const nsm_table *file, int row, int n_cols,
                           nsm_row *out)
{
    const nsm_row *r = &v->rows[row];
    out->line = r->line;
    out->cells = calloc((size_t)n_cols, sizeof *out->cells);
    if (!out->cells) /* no cells, none counted: the table's release walks n_cells of them */
        return NSM_ERR_NOMEM;
    out->n_cells = n_cols;
    for (int k = 0; k < n_cols; k++) {
        out->cells[k] = r->cells[k];
        out->cells[k].origin = file;
        if (r->cells[k].text && !(out->cells[k].text = strdup(r->cells[k].text)))
            return NSM_ERR_NOMEM;
    }
    return NSM_OK;
}

/* Take a row of the base (its cells keep their file; a plain table's become `file`). */
static void take_row(nsm_row *from, const nsm_table *file, nsm_row *out)
{
    *out = *from;
    for (int k = 0; k < out->n_cells; k++)
        if (!out->cells[k].origin)
            out->cells[k].origin = file;
    *from = (nsm_row){0, 0, NULL};
}

/* Sources of the merged table: the base's (or the base itself when it is a file table) and the
** variant's file. Both are moved into heap tables that cells may point at. */
static nsm_status adopt_sources(nsm_table *out, nsm_table *base, nsm_table *var,
                                nsm_table **base_file, nsm_table **var_file)
{
    int nb = base->present ? (base->n_sources ? base->n_sources : 1) : 0;
    out->sources = calloc((size_t)nb + 1, sizeof *out->sources);
    *var_file = malloc(sizeof **var_file);
    *base_file = base->present && !base->n_sources ? malloc(sizeof **base_file) : NULL;
    if (!out->sources || !*var_file || (base->present && !base->n_sources && !*base_file)) {
        free(*var_file);
        free(*base_file);
        *var_file = *base_file = NULL;
        return NSM_ERR_NOMEM;
    }
    if (*base_file) {
        **base_file = *base;
        out->sources[0] = *base_file;
        memset(base, 0, sizeof *base);
    } else if (nb) {
        memcpy(out->sources, base->sources, (size_t)nb * sizeof *out->sources);
        free(base->sources);
        base->sources = NULL;
        base->n_sources = 0;
        nsm_table_release(base); /* its path; its rows have moved, its files are out's now */
    }
    **var_file = *var;
    memset(var, 0, sizeof *var);
    out->sources[nb] = *var_file;
    out->n_sources = nb + 1;
    return NSM_OK;
}

static void free_rows(nsm_row *rows, int n)
{
    for (int i = 0; rows && i < n; i++) {
        for (int k = 0; rows[i].cells && k < rows[i].n_cells; k++)
            free(rows[i].cells[k].text);
        free(rows[i].cells);
    }
    free(rows);
}

static nsm_status build(const merge *g, nsm_table *base, nsm_table *var,
                        const nsm_schema *plain, nsm_table *out)
{
    int bn = base->present ? base->n_rows : 0, nv = var->n_rows, n = 0;
    nsm_row *brows = base->present ? base->rows : NULL;
    base->rows = NULL;
    base->n_rows = 0;
    memset(out, 0, sizeof *out);
    out->schema = plain;
    out->present = 1;
    out->path = strdup(var->path);
    out->header_line = var->header_line;
    out->rows = calloc((size_t)(bn + nv) + 1, sizeof *out->rows);
    nsm_table *base_file = NULL, *var_file = NULL;
    nsm_status s = out->path && out->rows ? adopt_sources(out, base, var, &base_file, &var_file)
                                          : NSM_ERR_NOMEM;
    for (int i = 0; s == NSM_OK && i < bn; i++) {
        int j = g->replaced_by[i];
        if (j == -1)
            take_row(&brows[i], base_file, &out->rows[n++]);
        else if (j >= 0)
            s = copy_row(var_file, var_file, j, g->n_cols, &out->rows[n++]);
        out->n_rows = n;
    }
    for (int j = 0; s == NSM_OK && j < nv; j++)
        if (g->added[j]) {
            s = copy_row(var_file, var_file, j, g->n_cols, &out->rows[n++]);
            out->n_rows = n;
        }
    free_rows(brows, bn);
    if (var_file)
        var_file->schema = plain; /* the patch schema is the caller's local */
    return s;
}

/* Merge the variant's file table `var` (patch schema) over the resolved base table `base` into
** *out. Both inputs are consumed (released or moved into *out). */
static nsm_status merge_table(int k, nsm_table *base, nsm_table *var, const nsm_schema *plain,
                              nsm_table *out, nsm_diag *d)
{
    merge g = {base, var, {0}, 0, plain->n_columns, NULL, NULL, d};
    g.n_keys = key_columns(k, plain, g.cols);
    int nb = base->present ? base->n_rows : 0;
    g.replaced_by = malloc(((size_t)nb + 1) * sizeof *g.replaced_by);
    g.added = calloc((size_t)var->n_rows + 1, sizeof *g.added);
    nsm_status s = g.replaced_by && g.added ? NSM_OK : NSM_ERR_NOMEM;
    for (int i = 0; i < nb && g.replaced_by; i++)
        g.replaced_by[i] = -1;
    /* scenario.csv's label says which scenario this is, and a variant is not its base: a base's
    ** "Baseline" inherited would name us_retrenchment "Baseline" among the scenarios compared. It
    ** is left out (so from `check --resolved` and the checksum too) unless the variant gives its
    ** own, which replaces it as any row does. */
    for (int i = 0; k == NSM_T_SCENARIO && i < nb && g.replaced_by; i++)
        if (strcmp(nsm_table_cell(base, i, "key")->text, "label") == 0)
            g.replaced_by[i] = -2;
    for (int j = 0; s == NSM_OK && j < var->n_rows; j++)
        s = plan_row(&g, j);
    if (s == NSM_OK)
        s = build(&g, base, var, plain, out);
    free(g.replaced_by);
    free(g.added);
    return s;
}

/* ---- the folders of a chain ---- */

static char *join(const char *dir, const char *rel)
{
    return rel[0] == '/' ? strdup(rel) : nsm_path_join(dir, rel);
}

typedef struct {
    const nsm_schema *schemas;        /* NSM_N_TABLES plain schemas */
    char *real[MAX_DEPTH + 1];        /* realpaths of the folders on the chain, the variant first */
    int depth;
    char **bases;                     /* the bases named so far, joined by ';' */
    nsm_diag *d;
} chain;

static nsm_status resolve(chain *ch, const char *dir, nsm_table *tables);

/* Folder names as nsm_suggest compares them: a longer one is never close to anything (diag.c). */
enum { SLOT = 128 };

/* Whether folder `path` is on the chain: suggesting it as a base would make a cycle. */
static int on_chain(const chain *ch, const char *path)
{
    char real[PATH_MAX];
    if (!realpath(path, real))
        return 0;
    for (int i = 0; i <= ch->depth; i++)
        if (ch->real[i] && strcmp(ch->real[i], real) == 0)
            return 1;
    return 0;
}

/* The scenario folders in `parent` (those with a scenario.csv, not on the chain), SLOT bytes
** apart, into *names (*n of them; the caller frees it). None when parent cannot be read: the
** suggestion is a courtesy, and the message says where the path was looked for anyway. */
static nsm_status scenario_folders(const chain *ch, const char *parent, char **names, size_t *n)
{
    size_t cap = 0;
    *names = NULL;
    *n = 0;
    DIR *d = opendir(parent);
    if (!d)
        return errno == ENOMEM ? NSM_ERR_NOMEM : NSM_OK;
    nsm_status s = NSM_OK;
    for (struct dirent *e; s == NSM_OK && (e = readdir(d));) {
        char path[PATH_MAX];
        if (e->d_name[0] == '.' || strlen(e->d_name) >= SLOT ||
            snprintf(path, sizeof path, "%s/%s/scenario.csv", parent, e->d_name) >= PATH_MAX ||
            access(path, F_OK) != 0 || on_chain(ch, dirname(path)))
            continue;
        if (*n == cap) {
            char *more = realloc(*names, (cap = 2 * cap + 8) * SLOT);
            if (!more) {
                s = NSM_ERR_NOMEM;
                break;
            }
            *names = more;
        }
        snprintf(*names + (*n)++ * SLOT, SLOT, "%s", e->d_name);
    }
    closedir(d);
    return s;
}

/* The end of the message for a base folder that does not exist: the scenario folder beside where
** it was looked for whose name is nearest the path's last part ("; did you mean '../flood'?"),
** and how a relative path is read, from the folder of the scenario.csv that names it. */
static nsm_status missing_base_hint(const chain *ch, const char *dir, const char *text,
                                    const char *bdir, char *buf, size_t size)
{
    char parent[PATH_MAX];
    size_t len = strlen(text), blen = strlen(bdir);
    while (len > 1 && text[len - 1] == '/')
        len--;
    while (blen > 1 && bdir[blen - 1] == '/')
        blen--;
    const char *word = memrchr(text, '/', len);
    size_t pre = word ? (size_t)(word - text) + 1 : 0; /* the path up to its last part */
    const char *bslash = memrchr(bdir, '/', blen);
    if (!bslash)
        snprintf(parent, sizeof parent, ".");
    else
        snprintf(parent, sizeof parent, "%.*s", (int)(bslash == bdir ? 1 : bslash - bdir), bdir);
    char last[SLOT], *names = NULL;
    size_t n = 0;
    nsm_status s = NSM_OK;
    if (len - pre < SLOT) {
        snprintf(last, sizeof last, "%.*s", (int)(len - pre), text + pre);
        s = scenario_folders(ch, parent, &names, &n);
    }
    const char *hint = n ? nsm_suggest(last, names, n, SLOT) : NULL;
    size_t k = 0;
    buf[0] = '\0';
    if (hint)
        nsm_text_add(buf, size, &k, "; did you mean '%.*s%s'?", (int)pre, text, hint);
    if (text[0] != '/')
        nsm_text_add(buf, size, &k, " (the path is relative to the folder of this scenario.csv, "
                     "%s%s)", dir, hint ? "" : ": give the base's folder from there, as in "
                     "../baseline, or an absolute path");
    free(names);
    return s;
}

static nsm_status check_base(chain *ch, const nsm_table *sc, const nsm_cell *c, const char *dir,
                             const char *bdir, char **real)
{
    *real = realpath(bdir, NULL);
    if (!c->text[0])
        return nsm_table_error(sc, c, 0, ch->d, "extends names no folder: give the base "
                               "scenario's folder, relative to this one (../baseline)");
    if (!*real) {
        int err = errno;
        char hint[2 * PATH_MAX];
        hint[0] = '\0';
        nsm_status s = err == ENOENT
                           ? missing_base_hint(ch, dir, c->text, bdir, hint, sizeof hint)
                           : NSM_OK;
        return s != NSM_OK ? s : nsm_table_error(sc, c, 0, ch->d, "cannot open the base "
                                                 "scenario '%s' (%s): %s%s", c->text, bdir,
                                                 strerror(err), hint);
    }
    for (int i = 0; i <= ch->depth; i++)
        if (ch->real[i] && strcmp(ch->real[i], *real) == 0)
            return nsm_table_error(sc, c, 0, ch->d, "extends '%s' makes a cycle: %s is already "
                                   "on this scenario's chain of bases; a base cannot extend its "
                                   "own variant: remove this extends row, or name another base",
                                   c->text, bdir);
    if (ch->depth + 1 >= MAX_DEPTH)
        return nsm_table_error(sc, c, 0, ch->d, "extends '%s': more than %d levels of bases; "
                               "flatten the chain (neasim check --resolved)", c->text,
                               MAX_DEPTH - 1);
    return NSM_OK;
}

/* The base is recorded as a reader would write it (nsm_path_tidy: "scenarios/calibration-2012",
** not "scenarios/backtest-2017/../calibration-2012"): it is shown by check and written to the
** manifest, and never opened again. */
static nsm_status note_base(chain *ch, const char *bdir)
{
    char *s = NULL, *tidy = nsm_path_tidy(bdir);
    int bad = !tidy || asprintf(&s, "%s%s%s", *ch->bases ? *ch->bases : "",
                                *ch->bases ? ";" : "", tidy) < 0;
    free(tidy);
    if (bad)
        return NSM_ERR_NOMEM;
    free(*ch->bases);
    *ch->bases = s;
    return NSM_OK;
}

/* The base of the scenario whose scenario.csv is sc: resolved into base[]. */
static nsm_status read_base(chain *ch, const char *dir, const nsm_table *sc, int row,
                            nsm_table *base)
{
    const nsm_cell *c = nsm_table_cell(sc, row, "value");
    char *bdir = join(dir, c->text), *real = NULL;
    nsm_status s = bdir ? check_base(ch, sc, c, dir, bdir, &real) : NSM_ERR_NOMEM;
    if (s == NSM_OK) {
        char *scen = join(bdir, "scenario.csv");
        if (!scen || access(scen, F_OK) != 0)
            s = scen ? nsm_table_error(sc, c, 0, ch->d, "the base '%s' (%s) is not a scenario "
                                       "folder: it has no scenario.csv", c->text, bdir)
                     : NSM_ERR_NOMEM;
        free(scen);
    }
    if (s == NSM_OK)
        s = note_base(ch, bdir);
    if (s == NSM_OK) {
        ch->real[++ch->depth] = real;
        real = NULL;
        s = resolve(ch, bdir, base);
    }
    free(real);
    free(bdir);
    return s;
}

/* Remove the `extends` row of a resolved scenario table (the reader does not know the key). */
static void remove_row(nsm_table *t, int row)
{
    for (int k = 0; k < t->rows[row].n_cells; k++)
        free(t->rows[row].cells[k].text);
    free(t->rows[row].cells);
    memmove(t->rows + row, t->rows + row + 1, (size_t)(t->n_rows - row - 1) * sizeof *t->rows);
    t->n_rows--;
}

static nsm_status read_patch(chain *ch, const char *dir, nsm_table *base, nsm_table *tables)
{
    nsm_status s = NSM_OK;
    for (int k = 1; s == NSM_OK && k < NSM_N_TABLES; k++) {
        patch_schema ps;
        patch_schema_init(&ps, &ch->schemas[k]);
        nsm_table var;
        s = nsm_table_read(&var, dir, &ps.schema, ch->d);
        if (s == NSM_OK && !var.present) {
            tables[k] = base[k];
            memset(&base[k], 0, sizeof base[k]);
        } else if (s == NSM_OK) {
            s = merge_table(k, &base[k], &var, &ch->schemas[k], &tables[k], ch->d);
        }
        if (var.schema == &ps.schema)
            var.schema = &ch->schemas[k];
        nsm_table_release(&var);
    }
    return s;
}

/* Read folder `dir` into tables[] (NSM_N_TABLES), resolving its base when it has one. */
/* A CSV file of dir whose name is close to a table's but is none (modifier.csv, Levers.csv): the
** reader would pass it by as it does an absent optional table, so the scenario would run without
** it and without a word. Other CSV files (a backtest's observed.csv) are the folder's business. */
static void warn_near_misses(chain *ch, const char *dir)
{
    char names[NSM_N_TABLES][32];
    for (int k = 0; k < NSM_N_TABLES; k++)
        snprintf(names[k], sizeof names[k], "%s", ch->schemas[k].file);
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        size_t n = strlen(e->d_name);
        char lower[64];
        if (n < 5 || n >= sizeof lower || strcasecmp(e->d_name + n - 4, ".csv") != 0)
            continue;
        int known = 0;
        for (int k = 0; k < NSM_N_TABLES; k++)
            known |= strcmp(e->d_name, names[k]) == 0;
        for (size_t i = 0; i <= n; i++)
            lower[i] = (char)tolower((unsigned char)e->d_name[i]);
        const char *hint = known ? NULL : nsm_suggest(lower, names[0], NSM_N_TABLES, sizeof names[0]);
        char *path = hint ? join(dir, e->d_name) : NULL;
        if (path)
            nsm_diag_warn(ch->d, path, 0, 0, "not a table neasim reads, so it is ignored; did you "
                          "mean %s?%s", hint, strcasecmp(e->d_name, hint) == 0
                          ? " (table names are lower case)" : "");
        free(path);
    }
    if (d)
        closedir(d);
}

static nsm_status resolve(chain *ch, const char *dir, nsm_table *tables)
{
    warn_near_misses(ch, dir);
    nsm_table sc;
    nsm_status s = nsm_table_read(&sc, dir, &ch->schemas[NSM_T_SCENARIO], ch->d);
    int row = s == NSM_OK ? extends_row(&sc) : -1;
    if (s != NSM_OK || row < 0) {
        tables[NSM_T_SCENARIO] = sc;
        for (int k = 1; s == NSM_OK && k < NSM_N_TABLES; k++)
            s = nsm_table_read(&tables[k], dir, &ch->schemas[k], ch->d);
        return s;
    }
    nsm_table base[NSM_N_TABLES];
    memset(base, 0, sizeof base);
    s = read_base(ch, dir, &sc, row, base);
    if (s == NSM_OK) {
        nsm_table var = sc;
        memset(&sc, 0, sizeof sc);
        s = merge_table(NSM_T_SCENARIO, &base[0], &var, &ch->schemas[0], &tables[0], ch->d);
        nsm_table_release(&var);
    }
    if (s == NSM_OK) {
        int r2 = extends_row(&tables[0]);
        if (r2 >= 0)
            remove_row(&tables[0], r2);
        s = read_patch(ch, dir, base, tables);
    }
    nsm_table_release(&sc);
    for (int k = 0; k < NSM_N_TABLES; k++)
        nsm_table_release(&base[k]);
    return s;
}

nsm_status nsmi_scenario_tables(const char *dir, const nsm_schema *schemas, nsm_table *tables,
                                char **bases, nsm_diag *d)
{
    chain ch;
    memset(&ch, 0, sizeof ch);
    ch.schemas = schemas;
    ch.bases = bases;
    ch.d = d;
    *bases = NULL;
    ch.real[0] = realpath(dir, NULL);
    nsm_status s = resolve(&ch, dir, tables);
    for (int i = 0; i <= MAX_DEPTH; i++)
        free(ch.real[i]);
    return s;
}

/* ---- the resolved tables as tidy CSV ---- */

static int needs_quotes(const char *s)
{
    size_t n = strlen(s);
    return strpbrk(s, ",\"\r\n") != NULL || (n > 0 && (s[0] == ' ' || s[n - 1] == ' '));
}

static void put_field(FILE *f, const char *s, int first)
{
    if (!first)
        putc(',', f);
    if (!needs_quotes(s)) {
        fputs(s, f);
        return;
    }
    putc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            putc('"', f);
        putc(*s, f);
    }
    putc('"', f);
}

/* Columns written: the required ones and every optional one some row has. */
static int column_used(const nsm_table *t, int k)
{
    if (!t->schema->columns[k].optional)
        return 1;
    for (int i = 0; i < t->n_rows; i++)
        if (t->rows[i].cells[k].text)
            return 1;
    return 0;
}

void nsmi_table_write_tidy(const nsm_table *t, FILE *f)
{
    const nsm_schema *s = t->schema;
    int first = 1;
    for (int k = 0; k < s->n_columns; k++)
        if (column_used(t, k)) {
            put_field(f, s->columns[k].name, first);
            first = 0;
        }
    putc('\n', f);
    for (int i = 0; i < t->n_rows; i++) {
        first = 1;
        for (int k = 0; k < s->n_columns; k++)
            if (column_used(t, k)) {
                const char *x = t->rows[i].cells[k].text;
                put_field(f, x ? x : "", first);
                first = 0;
            }
        putc('\n', f);
    }
}
