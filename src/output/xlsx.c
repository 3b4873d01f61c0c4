/*
** xlsx.c: see xlsx.h. Two passes over each CSV: the first decides each column's type and counts
** the rows, the second writes the cells. A column is of numbers (or dates) when every
** non-missing cell is one; when most are and a few are words (routes.csv's rank `other` after
** 1, 2, 3, ...) each cell is written as what it is, so that the numbers sort and sum as numbers
** and the words stay words; otherwise it is text. libxlsxwriter runs in constant-memory mode
** (rows are written in order and flushed), so memory does not grow with a table's length.
*/
#include "neasim/xlsx.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "neasim/csvin.h"
#include "neasim/outdir.h"
#include "neasim/text.h"

/* What each table holds, for the About sheet (schemas in README.md), in the order of the sheets;
** a CSV not listed here comes after them, by name. */
static const struct {
    const char *file, *holds;
} KNOWN[] = {
    {"outcomes.csv", "probability that each outcome holds / has occurred by each report date, "
                     "with its 95% Monte Carlo interval (with --outer, of the mean over the "
                     "draws, which counts the draws as the sample)"},
    {"state_probabilities.csv", "probability of each level of each factor at each report date"},
    {"first_occurrence.csv", "when each outcome first occurs: share of runs per period, and never"},
    {"event_counts.csv", "counted events per period, per year and cumulative: mean, sd, quantiles"},
    {"count_distribution.csv", "the whole distribution of each counted event's count per window"},
    {"uncertainty.csv", "judgment uncertainty (--outer): each outcome's mean over the draws of "
                        "the uncertain numbers with its 95% interval, and its spread over them"},
    {"briefing.csv", "change in each outcome in each arm (a lever, or a scenario compared with "
                     "the first) at the horizons, in percentage points"},
    {"differences.csv", "paired differences between each arm and the first (the baseline, or the "
                        "first scenario), every report date"},
    {"uncertainty_differences.csv", "judgment range over the draws of each arm's difference "
                                    "from the first (a lever's effect, or a scenario's)"},
    {"arms.csv", "what each arm of the comparison changes"},
    {"interactions.csv", "whether two levers do more or less together than their two effects "
                         "added, in percentage points, with its 95% interval"},
    {"sweep.csv", "outcomes and counted events at the horizons, at every point of the sweep"},
    {"points.csv", "the design, long: each point's value of each parameter"},
    {"parameters.csv", "each swept number in the scenario's terms, its base value and distribution"},
    {"design.csv", "the design as run, one row per point"},
    {"sensitivity.csv", "Sobol first-order and total indices with bootstrap intervals"},
    {"tornado.csv", "one-at-a-time swings: each uncertain number at its 5th and 95th percentile"},
    {"paths.csv", "the story of the first replications, one row per thing that happened"},
    {"routes.csv", "the routes (sequences of changes) by which each outcome begins to hold: their "
                   "shares of its onsets, with 95% intervals, and median times"},
    {"signposts.csv", "what, seen by a watch date, announces an outcome's later onset: its "
                      "probability with and without each indicator, their ratio and difference"},
    {"scores.csv", "forecast scores against what happened"},
    {"labels.csv", "the scenario's names for people: a label for each scenario, factor, level, "
                   "counted event, outcome, lever and draw (the tables use the names)"},
};
enum { N_KNOWN = sizeof KNOWN / sizeof KNOWN[0] };

/* MOSTLY_*: each cell a number (a date) when it is one, else text. */
enum { TEXT, NUMBER, DATE, MOSTLY_NUMBER, MOSTLY_DATE };

typedef struct {
    char *file;        /* "outcomes.csv" */
    char name[32];     /* sheet name: the file's without ".csv" (at most 31 characters) */
    const char *holds; /* NULL when not known */
    int order;         /* index in KNOWN, N_KNOWN if not there */
    int n_cols;
    unsigned char *kind; /* per column, after the first pass */
    int64_t *n_number, *n_date, *n_any, *n_long; /* per column: non-missing cells, of which
                                                 ** numbers, dates, integers too long for one */
    int *width;
    int64_t rows;      /* data rows */
} table;

/* ---- cells ---- */

static int missing(const char *s)
{
    return !s[0] || strcmp(s, "NA") == 0;
}

/* A decimal number as neasim writes them (C locale, no hex, no inf/nan words): 1; an integer of
** more than 15 digits (a seed), which a double would round: LONG_INTEGER (text); else 0. */
enum { LONG_INTEGER = 2 };
static int number_kind(const char *s)
{
    const char *p = s + (*s == '-' || *s == '+');
    int digits = 0, point = 0, exp = 0;
    for (; *p >= '0' && *p <= '9'; p++)
        digits++;
    if (*p == '.')
        for (point = 1, p++; *p >= '0' && *p <= '9'; p++)
            digits++;
    if (digits && (*p == 'e' || *p == 'E')) {
        p += 1 + (p[1] == '-' || p[1] == '+');
        exp = *p >= '0' && *p <= '9';
        while (*p >= '0' && *p <= '9')
            p++;
        if (!exp)
            return 0;
    }
    if (!digits || *p)
        return 0;
    return point || exp || digits <= 15 ? 1 : LONG_INTEGER;
}

static int is_number(const char *s)
{
    return number_kind(s) == 1;
}

/* An ISO date, YYYY-MM-DD, into *d. */
static int parse_date(const char *s, lxw_datetime *d)
{
    int y, m, day, n = 0;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &day, &n) != 3 || n != 10 ||
        m < 1 || m > 12 || day < 1 || day > 31 || y < 1900)
        return 0;
    *d = (lxw_datetime){y, m, day, 0, 0, 0.0};
    return 1;
}


/* ---- first pass: types, widths, rows ---- */

static int plan_row(void *ctx, int64_t row, int n, const char *const *f)
{
    table *t = ctx;
    if (row == 0) {
        t->n_cols = n;
        t->kind = calloc((size_t)n + 1, 1);
        t->width = calloc((size_t)n + 1, sizeof *t->width);
        t->n_number = calloc(4 * (size_t)n + 1, sizeof *t->n_number);
        if (!t->kind || !t->width || !t->n_number)
            return -1;
        t->n_date = t->n_number + n;
        t->n_any = t->n_number + 2 * n;
        t->n_long = t->n_number + 3 * n;
    }
    for (int i = 0; i < n && i < t->n_cols; i++) {
        int w = nsm_text_width(f[i]);
        t->width[i] = w > t->width[i] ? w : t->width[i];
        if (row == 0 || missing(f[i]))
            continue;
        lxw_datetime d;
        int k = number_kind(f[i]);
        t->n_any[i]++;
        t->n_number[i] += k == 1;
        t->n_long[i] += k == LONG_INTEGER;
        t->n_date[i] += parse_date(f[i], &d);
    }
    t->rows = row;
    return 0;
}

static nsm_status plan(const char *dir, table *t, nsm_diag *diag)
{
    char *path = nsm_path_join(dir, t->file);
    nsm_status st = path ? nsm_csv_read_rows(path, plan_row, t, diag) : NSM_ERR_NOMEM;
    free(path);
    if (st == NSM_STOPPED || st == NSM_ERR_NOMEM)
        return nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory reading %s", t->file);
    for (int i = 0; st == NSM_OK && i < t->n_cols; i++) {
        /* a column with a seed too long for a double is a column of identifiers: all text,
        ** rather than some seeds numbers and some text */
        int64_t any = t->n_any[i], num = t->n_number[i], date = t->n_date[i];
        t->kind[i] = !any || t->n_long[i] ? TEXT : date == any ? DATE : num == any ? NUMBER
                   : 2 * num > any ? MOSTLY_NUMBER : 2 * date > any ? MOSTLY_DATE : TEXT;
    }
    return st;
}

/* ---- the tables of the folder ---- */

static int by_order(const void *a, const void *b)
{
    const table *x = a, *y = b;
    return x->order != y->order ? x->order - y->order : strcmp(x->file, y->file);
}

static void tables_free(table *t, int n)
{
    for (int i = 0; i < n; i++) {
        free(t[i].file);
        free(t[i].kind);
        free(t[i].width);
        free(t[i].n_number);
    }
    free(t);
}

/* Every *.csv of dir but manifest.csv, in sheet order. */
static nsm_status list_tables(const char *dir, table **out, int *n_out, nsm_diag *diag)
{
    DIR *d = opendir(dir);
    if (!d)
        return nsm_diag_error(diag, NSM_ERR_IO, "cannot read folder %s", dir);
    table *t = NULL;
    int n = 0, cap = 0, nomem = 0;
    for (struct dirent *e; !nomem && (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".csv") != 0 || e->d_name[0] == '.' ||
            strcmp(e->d_name, "manifest.csv") == 0)
            continue;
        if (n == cap) {
            table *p = realloc(t, (size_t)(cap = cap ? 2 * cap : 16) * sizeof *p);
            if (!(nomem = !p))
                t = p;
        }
        if (nomem || !(t[n].file = strdup(e->d_name))) {
            nomem = 1;
            break;
        }
        table *x = &t[n++];
        x->kind = NULL, x->width = NULL, x->n_number = NULL, x->n_cols = 0, x->rows = 0;
        snprintf(x->name, sizeof x->name, "%.*s", (int)(len - 4 > 31 ? 31 : len - 4), e->d_name);
        for (x->order = 0; x->order < N_KNOWN && strcmp(KNOWN[x->order].file, x->file) != 0;)
            x->order++;
        x->holds = x->order < N_KNOWN ? KNOWN[x->order].holds : NULL;
    }
    closedir(d);
    if (nomem) {
        tables_free(t, n);
        return nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
    }
    if (n > 1)
        qsort(t, (size_t)n, sizeof *t, by_order);
    *out = t;
    *n_out = n;
    return NSM_OK;
}

/* ---- second pass: the sheets ---- */

typedef struct {
    lxw_workbook *wb;
    lxw_format *bold, *date;
    const table *t;
    lxw_worksheet *ws;
    int64_t max_rows;
    char **header;     /* the table's header, repeated on each continuation sheet */
    lxw_error err;     /* the first error */
} writer;

static void check(writer *w, lxw_error e)
{
    if (e != LXW_NO_ERROR && w->err == LXW_NO_ERROR)
        w->err = e;
}

static void put_header(writer *w)
{
    const table *t = w->t;
    for (int i = 0; i < t->n_cols; i++) {
        int width = t->width[i] + 2;
        width = width < 9 ? 9 : width > 60 ? 60 : width;
        check(w, worksheet_set_column(w->ws, (lxw_col_t)i, (lxw_col_t)i, width, NULL));
        check(w, worksheet_write_string(w->ws, 0, (lxw_col_t)i, w->header[i], w->bold));
    }
    worksheet_freeze_panes(w->ws, 1, 0);
}

/* Sheet `part` (1, 2, ...) of a table: its name, or "NAME (k)" for a continuation. */
static void sheet_name(const table *t, int64_t part, char name[32])
{
    if (part == 1)
        snprintf(name, 32, "%s", t->name);
    else
        snprintf(name, 32, "%.*s (%lld)", 31 - 3 - snprintf(NULL, 0, "%lld", (long long)part),
                 t->name, (long long)part);
}

static int new_sheet(writer *w, int64_t part)
{
    char name[32];
    sheet_name(w->t, part, name);
    if (!(w->ws = workbook_add_worksheet(w->wb, name))) {
        check(w, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return -1;
    }
    put_header(w);
    return 0;
}

static void put_cell(writer *w, lxw_row_t r, lxw_col_t c, int kind, const char *s)
{
    lxw_datetime d;
    if (missing(s))
        return; /* an empty cell, which every spreadsheet and R reader takes as missing */
    if (kind == NUMBER || (kind == MOSTLY_NUMBER && is_number(s)))
        check(w, worksheet_write_number(w->ws, r, c, strtod(s, NULL), NULL));
    else if ((kind == DATE || kind == MOSTLY_DATE) && parse_date(s, &d))
        check(w, worksheet_write_datetime(w->ws, r, c, &d, w->date));
    else
        check(w, worksheet_write_string(w->ws, r, c, s, NULL));
}

static int write_row(void *ctx, int64_t row, int n, const char *const *f)
{
    writer *w = ctx;
    const table *t = w->t;
    if (row == 0) {
        w->header = calloc((size_t)t->n_cols + 1, sizeof *w->header);
        for (int i = 0; w->header && i < t->n_cols; i++)
            if (!(w->header[i] = strdup(i < n ? f[i] : "")))
                return -1;
        return w->header ? new_sheet(w, 1) : -1;
    }
    int64_t k = (row - 1) % w->max_rows;
    if (row > 1 && k == 0 && new_sheet(w, (row - 1) / w->max_rows + 1))
        return -1;
    for (int i = 0; i < n && i < t->n_cols; i++)
        put_cell(w, (lxw_row_t)(k + 1), (lxw_col_t)i, t->kind[i], f[i]);
    return w->err != LXW_NO_ERROR;
}

static nsm_status write_table(const char *dir, writer *w, const table *t, nsm_diag *diag)
{
    char *path = nsm_path_join(dir, t->file);
    w->t = t;
    w->header = NULL;
    nsm_status st = path ? nsm_csv_read_rows(path, write_row, w, diag) : NSM_ERR_NOMEM;
    if (st == NSM_OK && !w->header) /* an empty file: an empty sheet, as About lists it */
        new_sheet(w, 1);
    for (int i = 0; w->header && i < t->n_cols; i++)
        free(w->header[i]);
    free(w->header);
    free(path);
    if (st == NSM_STOPPED && w->err == LXW_NO_ERROR)
        st = NSM_ERR_NOMEM;
    return st == NSM_STOPPED ? NSM_OK : st; /* a workbook error is reported at the end */
}

/* ---- About: what each sheet holds, and the manifest ---- */

typedef struct {
    writer *w;
    lxw_worksheet *ws;
    lxw_row_t row;
} about;

static int about_manifest_row(void *ctx, int64_t row, int n, const char *const *f)
{
    about *a = ctx;
    for (int i = 0; i < n && i < 2; i++)
        check(a->w, worksheet_write_string(a->ws, a->row, (lxw_col_t)i, f[i],
                                           row == 0 ? a->w->bold : NULL));
    a->row++;
    return 0;
}

static void about_line(about *a, const char *sheet, const char *holds, int64_t rows,
                       lxw_format *fmt)
{
    check(a->w, worksheet_write_string(a->ws, a->row, 0, sheet, fmt));
    check(a->w, worksheet_write_string(a->ws, a->row, 1, holds, fmt));
    if (rows >= 0)
        check(a->w, worksheet_write_number(a->ws, a->row, 2, (double)rows, fmt));
    else
        check(a->w, worksheet_write_string(a->ws, a->row, 2, "rows", fmt));
    a->row++;
}

static void about_sheets(about *a, const table *t, int n, int64_t max_rows)
{
    about_line(a, "sheet", "holds", -1, a->w->bold);
    for (int i = 0; i < n; i++) {
        int64_t parts = t[i].rows ? (t[i].rows - 1) / max_rows + 1 : 1;
        for (int64_t p = 1; p <= parts; p++) {
            char name[32], holds[512];
            sheet_name(&t[i], p, name);
            int64_t first = (p - 1) * max_rows + 1, rows = t[i].rows - first + 1;
            rows = rows > max_rows ? max_rows : rows;
            if (p == 1 && parts == 1)
                snprintf(holds, sizeof holds, "%s (%s)", t[i].holds ? t[i].holds : "see README.md",
                         t[i].file);
            else
                snprintf(holds, sizeof holds, "%s, rows %lld to %lld of %lld",
                         t[i].file, (long long)first, (long long)(first + rows - 1),
                         (long long)t[i].rows);
            about_line(a, name, holds, rows, NULL);
        }
    }
}

static nsm_status write_about(const char *dir, writer *w, const table *t, int n, nsm_diag *diag)
{
    about a = {w, workbook_add_worksheet(w->wb, "About"), 0};
    if (!a.ws)
        return nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
    check(w, worksheet_set_column(a.ws, 0, 0, 28, NULL));
    check(w, worksheet_set_column(a.ws, 1, 1, 100, NULL));
    check(w, worksheet_set_column(a.ws, 2, 2, 10, NULL));
    check(w, worksheet_write_string(a.ws, a.row++, 0, "neasim results", w->bold));
    check(w, worksheet_write_string(a.ws, a.row++, 0,
                                    "One sheet per table of this folder, as in its CSV files; "
                                    "empty cells are missing values (NA in the CSV files). "
                                    "Columns are described in README.md, \"Output files\".",
                                    NULL));
    check(w, worksheet_write_string(
                 a.ws, a.row++, 0,
                 "Intervals (ci_low and ci_high, and the columns ending in _lo and _hi) are 95% "
                 "Monte Carlo intervals: how precisely the runs pin a number down (they shrink "
                 "as --runs grows), not how much it depends on the scenario's judgments; for "
                 "that, run with --outer (uncertainty.csv, the judgment columns of briefing.csv). "
                 "With --outer they count the draws as the sample; sensitivity.csv's are bootstrap "
                 "intervals over the sweep's points.",
                 NULL));
    a.row++;
    about_sheets(&a, t, n, w->max_rows);
    a.row++;
    check(w, worksheet_write_string(a.ws, a.row++, 0, "manifest.csv: how these results were made",
                                    w->bold));
    char *path = nsm_path_join(dir, "manifest.csv");
    nsm_status st = path ? nsm_csv_read_rows(path, about_manifest_row, &a, diag) : NSM_ERR_NOMEM;
    free(path);
    if (st == NSM_ERR_NOMEM && !diag->error)
        nsm_diag_error(diag, st, "out of memory");
    return st;
}

/* ---- the workbook ---- */

static nsm_status write_book(const char *dir, const char *file, table *t, int n, int64_t max_rows,
                             int zip64, nsm_diag *diag)
{
    lxw_workbook_options o = {LXW_TRUE, (char *)(uintptr_t)dir, zip64 ? LXW_TRUE : LXW_FALSE};
    writer w = {workbook_new_opt(file, &o), NULL, NULL, NULL, NULL, max_rows, NULL, LXW_NO_ERROR};
    if (!w.wb)
        return nsm_diag_error(diag, NSM_ERR_IO, "cannot create %s", file);
    w.bold = workbook_add_format(w.wb);
    w.date = workbook_add_format(w.wb);
    nsm_status st = w.bold && w.date ? NSM_OK : NSM_ERR_NOMEM;
    if (st == NSM_OK) {
        format_set_bold(w.bold);
        format_set_num_format(w.date, "yyyy-mm-dd");
        st = write_about(dir, &w, t, n, diag);
    }
    for (int i = 0; st == NSM_OK && w.err == LXW_NO_ERROR && i < n; i++)
        st = write_table(dir, &w, &t[i], diag);
    lxw_error e = workbook_close(w.wb); /* frees the workbook, whatever happened */
    check(&w, e);
    if (st == NSM_OK && w.err != LXW_NO_ERROR)
        st = nsm_diag_error(diag, NSM_ERR_IO, "cannot write %s: %s", file, lxw_strerror(w.err));
    if (st == NSM_ERR_NOMEM && !diag->error)
        nsm_diag_error(diag, st, "out of memory writing %s", file);
    return st;
}

nsm_status nsm_xlsx_write(const char *dir, const nsm_xlsx_options *opt, nsm_diag *diag)
{
    int64_t max_rows = opt && opt->max_rows > 0 && opt->max_rows < LXW_ROW_MAX - 1
                           ? opt->max_rows
                           : LXW_ROW_MAX - 1; /* the header takes a row */
    table *t = NULL;
    int n = 0;
    nsm_status st = list_tables(dir, &t, &n, diag);
    int64_t cells = 0;
    for (int i = 0; st == NSM_OK && i < n; i++) {
        st = plan(dir, &t[i], diag);
        cells += t[i].rows * t[i].n_cols;
    }
    char *file = st == NSM_OK ? nsm_path_join(dir, "results.xlsx") : NULL;
    if (st == NSM_OK && !file)
        st = nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
    /* ZIP64 past about 4 GB of sheet XML (some 50 bytes a cell); not before, as older Excel
    ** versions warn about it */
    if (st == NSM_OK)
        st = write_book(dir, file, t, n, max_rows, cells > 40000000, diag);
    free(file);
    tables_free(t, n);
    return st;
}
