/*
** cells.c: the values of cells (names, numbers, dates), each checked where it is read,
** so that a bad value is reported at its cell with the rule it breaks.
*/
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "neasim/params.h"
#include "scenario/read.h"

const nsm_table *nsmi_reader_use(nsm_reader *r, int which)
{
    r->t = &r->tables[which];
    return r->t->present ? r->t : NULL;
}

const nsm_cell *nsmi_reader_cell(const nsm_reader *r, int row, const char *column)
{
    return nsm_table_cell(r->t, row, column);
}

int nsmi_reader_empty(const nsm_reader *r, int row, const char *column)
{
    return nsmi_reader_cell(r, row, column)->text[0] == '\0';
}

nsm_status nsmi_reader_error(nsm_reader *r, const nsm_cell *c, size_t offset, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    nsm_status st = nsm_table_verror(r->t, c, offset, r->d, fmt, ap);
    va_end(ap);
    return st;
}

nsm_status nsmi_read_ids(nsm_reader *r, char (**out)[NSM_NAME_MAX])
{
    const nsm_table *t = r->t;
    char(*ids)[NSM_NAME_MAX] = calloc((size_t)t->n_rows + 1, sizeof *ids);
    *out = ids;
    if (!ids)
        return NSM_ERR_NOMEM;
    for (int i = 0; i < t->n_rows; i++) {
        const char *name;
        if (nsmi_reader_empty(r, i, "id"))
            continue;
        nsm_status s = nsmi_read_name(r, i, "id", "id", &name);
        for (int j = 0; s == NSM_OK && j < i; j++)
            if (strcmp(ids[j], name) == 0)
                return nsmi_reader_error(r, nsmi_reader_cell(r, i, "id"), 0, "id '%s' is given "
                                        "twice (first at line %d): ids name one row each; rename "
                                        "one of the two, or remove one if the row is there twice",
                                        name, t->rows[j].line);
        if (s != NSM_OK)
            return s;
        snprintf(ids[i], NSM_NAME_MAX, "%s", name);
    }
    return NSM_OK;
}

double nsmi_reader_time(const nsm_reader *r, nsm_date d)
{
    return (double)(nsmi_date_days(d) - nsmi_date_days(r->start)); /* days: exact (model.h) */
}

/* ---- names ---- */

static int is_name(const char *s)
{
    if (!(*s >= 'a' && *s <= 'z'))
        return 0;
    for (s++; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return 1;
}

/* The name an analyst meant by a label-like text ("Green party", "USFK-posture"): lower case,
** spaces and '-' as '_'; into buf, or "" when that is still no name. */
static void snake_case(const char *s, char *buf, size_t n)
{
    size_t k = 0;
    for (; *s && k + 1 < n; s++)
        buf[k++] = *s == ' ' || *s == '-' ? '_' : *s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a')
                                                                         : *s;
    buf[k] = '\0';
    if (*s || !is_name(buf))
        buf[0] = '\0';
}

/* Where a name's long wording goes instead (scenarios/README.md, "Labels for people"), for the
** message about a name too long: a label column, which reports show instead of the name, or
** scenario.csv's title; NULL for names without one. */
static const char *long_wording(const char *what)
{
    static const char *const where[][2] = {
        {"factor", "the column factor_label"}, {"level", "the column label"},
        {"event", "the column label"}, {"draw", "the column label"},
        {"outcome", "the column label"}, {"lever", "the column label"},
        {"scenario", "the key title"}};
    for (size_t k = 0; k < sizeof where / sizeof where[0]; k++)
        if (strcmp(what, where[k][0]) == 0)
            return where[k][1];
    return NULL;
}

static nsm_status name_too_long(nsm_reader *r, const nsm_cell *c, const char *what)
{
    const char *wording = long_wording(what);
    return nsmi_reader_error(r, c, 0, "%s name '%s' is %zu characters long; every name (of a "
                            "factor, level, event, draw, outcome, lever, calendar entry, id or "
                            "scenario) has at most %d characters: shorten it%s%s%s", what,
                            c->text, strlen(c->text), NSM_NAME_MAX - 1,
                            wording ? ", and give the full wording in " : "",
                            wording ? wording : "",
                            wording ? ", which reports show instead of the name" : "");
}

nsm_status nsmi_read_name(nsm_reader *r, int row, const char *column, const char *what,
                         const char **out)
{
    const nsm_cell *c = nsmi_reader_cell(r, row, column);
    if (!c->text[0])
        return nsmi_reader_error(r, c, 0, "missing %s name", what);
    if (strlen(c->text) >= NSM_NAME_MAX)
        return name_too_long(r, c, what);
    /* a character that cannot be seen (a no-break space or a byte-order mark pasted from a
    ** word processor) would make the message show a name that looks right */
    const unsigned char *u = (const unsigned char *)c->text;
    for (size_t k = 0; u[k]; k++) {
        unsigned cp = u[k];
        if (cp == 0xC2 && u[k + 1] == 0xA0)
            cp = 0xA0;
        else if (cp == 0xEF && u[k + 1] == 0xBB && u[k + 2] == 0xBF)
            cp = 0xFEFF;
        else if (cp == 0xE2 && u[k + 1] == 0x80 && u[k + 2] >= 0x8B && u[k + 2] <= 0x8D)
            cp = 0x2000 + (unsigned)(u[k + 2] - 0x80); /* zero-width space, non-joiner, joiner */
        else if (cp >= 0x20 && cp != 0x7F)
            continue;
        return nsmi_reader_error(r, c, k, "%s name '%s' holds an invisible character (U+%04X) "
                                "here: delete it and type the name again", what, c->text, cp);
    }
    char meant[NSM_NAME_MAX];
    snake_case(c->text, meant, sizeof meant);
    if (!is_name(c->text))
        return nsmi_reader_error(r, c, 0, "'%s' is not a valid %s name: names are snake_case, a "
                                "lower-case letter followed by lower-case letters, digits and "
                                "'_'%s%s%s", c->text, what, meant[0] ? "; write '" : "", meant,
                                meant[0] ? "'" : "");
    *out = c->text;
    return NSM_OK;
}

/* ---- numbers ---- */

/* A distribution in a cell: parsed, noted for scenario/uncertain.c, and read as its mean. */
static nsm_status read_distribution(nsm_reader *r, int row, const char *column, double *out)
{
    const nsm_cell *c = nsmi_reader_cell(r, row, column);
    int table = (int)(r->t - r->tables);
    if (table == NSM_T_SCENARIO || table == NSM_T_LEVERS)
        return nsmi_reader_error(r, c, 0, "'%s': a distribution is not allowed in %s; write a "
                                "number", c->text, r->t->schema->file);
    nsm_dist d;
    nsm_diag why;
    nsm_diag_init(&why);
    size_t offset = 0;
    nsm_status st = nsm_dist_parse(c->text, &d, &offset, &why);
    if (st != NSM_OK)
        st = nsmi_reader_error(r, c, offset, "%s", why.error ? why.error : "bad distribution");
    nsm_diag_release(&why);
    if (st != NSM_OK)
        return st;
    if (d.kind == NSM_DIST_FIXED)
        return nsmi_reader_error(r, c, 0, "'%s' is the number %g: write the number itself "
                                "(fixed(...) is for the duration column of transitions.csv)",
                                c->text, d.p[0]);
    if (!isfinite(nsm_dist_mean(&d)))
        return nsmi_reader_error(r, c, 0, "'%s' has no finite mean (the model holds the mean): "
                                "narrow the distribution", c->text);
    if (r->n_dists == r->cap_dists) {
        int cap = r->cap_dists ? 2 * r->cap_dists : 16;
        nsm_noted_dist *n = realloc(r->dists, (size_t)cap * sizeof *n);
        if (!n)
            return NSM_ERR_NOMEM;
        r->dists = n;
        r->cap_dists = cap;
    }
    r->dists[r->n_dists++] = (nsm_noted_dist){table, row, column, d};
    *out = nsm_dist_mean(&d);
    return NSM_OK;
}

/* The length of the finite number at the start of s (digits, point, exponent, sign), or 0. */
static size_t number_prefix(const char *s)
{
    char *end;
    size_t n = strspn(s, "0123456789.eE+-");
    char buf[64];
    if (n == 0 || n >= sizeof buf)
        return 0;
    memcpy(buf, s, n);
    buf[n] = '\0';
    double v = strtod(buf, &end);
    return *end || !isfinite(v) ? 0 : n;
}

/* The length of the multiplication sign at the start of s (x, X, *, or U+00D7 in UTF-8), or 0. */
static size_t times_sign(const char *s)
{
    return s[0] == 'x' || s[0] == 'X' || s[0] == '*' ? 1 : strncmp(s, "\xc3\x97", 2) == 0 ? 2 : 0;
}

/* Whether s holds letters and spaces only: a unit glued to its number ("6years"), not "0x1F". */
static int only_words(const char *s)
{
    while (isalpha((unsigned char)*s) || *s == ' ')
        s++;
    return !*s;
}

/* A number written with a multiplication sign before or after it ("x2.5", "*2", "2.5x", U+00D7)
** or a unit after it ("6 years", "6years"): the message that says to write the number alone, or
** NSM_OK when s is none of these. Analysts write multipliers as they say them, "x2.5" or "2.5x". */
static nsm_status number_with_extra(nsm_reader *r, const nsm_cell *c, const char *what)
{
    const char *s = c->text;
    size_t sign = times_sign(s);
    if (sign && s[sign] && number_prefix(s + sign) == strlen(s + sign))
        return nsmi_reader_error(r, c, 0, "%s '%s' is not a number: write the number alone, %s, "
                                "without '%.*s'", what, s, s + sign, (int)sign, s);
    size_t n = number_prefix(s), k = n;
    while (n && s[k] == ' ')
        k++;
    size_t after = n ? times_sign(s + k) : 0;
    if (after && !s[k + after])
        return nsmi_reader_error(r, c, 0, "%s '%s' is not a number: write the number alone, %.*s, "
                                "without '%s'", what, s, (int)n, s, s + k);
    if (n && isalpha((unsigned char)s[k]) && (k > n || only_words(s + k)))
        return nsmi_reader_error(r, c, 0, "%s '%s' is not a number: write the number alone, %.*s, "
                                "without '%s'", what, s, (int)n, s, s + k);
    return NSM_OK;
}

nsm_status nsmi_read_number(nsm_reader *r, int row, const char *column, double *out)
{
    return nsmi_read_number_of(r, row, column, column, out);
}

nsm_status nsmi_read_number_of(nsm_reader *r, int row, const char *column, const char *what,
                              double *out)
{
    const nsm_cell *c = nsmi_reader_cell(r, row, column);
    const char *s = c->text;
    if (!s[0])
        return nsmi_reader_error(r, c, 0, "missing %s: a number is needed", what);
    if (nsm_dist_is(s))
        return read_distribution(r, row, column, out);
    if (strchr(s, '%'))
        return nsmi_reader_error(r, c, 0, "'%s' is not a number: write a fraction without '%%' "
                                "(12%% is 0.12)", s);
    if (strpbrk(s, "[{<") && strchr(s, ','))
        return nsmi_reader_error(r, c, 0, "'%s' is not a number: a distribution takes round "
                                "brackets, as in pert(0.1,0.2,0.4)", s);
    if (strchr(s, ','))
        return nsmi_reader_error(r, c, 0, "'%s' is not a number: use a decimal point (1.5) and no "
                                "thousands separators", s);
    char *end = NULL;
    double v = strspn(s, "0123456789.eE+-") == strlen(s) ? strtod(s, &end) : 0;
    if (!end || end == s || *end) {
        nsm_status st = number_with_extra(r, c, what);
        return st != NSM_OK ? st : nsmi_reader_error(r, c, 0, "'%s' is not a number (%s needs a "
                                                     "number such as 0.25 or 1e-3)", s, what);
    }
    if (!isfinite(v)) /* beyond a double's range: a typo, since no quantity here is near it */
        return nsmi_reader_error(r, c, 0, "'%s' is too large for a number: the largest is about "
                                "1.8e308; check the %s", s, strpbrk(s, "eE") ? "exponent after "
                                "the 'e' (1e3 is 1000)" : "number of digits");
    *out = v;
    return NSM_OK;
}

nsm_status nsmi_read_probability(nsm_reader *r, int row, const char *column, double *out)
{
    nsm_status s = nsmi_read_number(r, row, column, out);
    if (s == NSM_OK && (*out < 0 || *out > 1)) {
        const nsm_cell *c = nsmi_reader_cell(r, row, column);
        if (*out > 1 && *out <= 100) /* 40 for 40% */
            return nsmi_fraction_error(r, c, column, "is not a probability: it must be between 0 "
                                       "and 1", *out);
        return nsmi_reader_error(r, c, 0, "%s '%s' is not a probability: it must be between 0 "
                                "and 1", column, c->text);
    }
    return s;
}

nsm_status nsmi_fraction_error(nsm_reader *r, const nsm_cell *c, const char *what, const char *rule,
                               double v)
{
    char advice[128];
    return nsmi_reader_error(r, c, 0, "%s '%s' %s: %s", what, c->text, rule,
                            nsmi_fraction_advice(c->text, v, advice, sizeof advice));
}

const char *nsmi_fraction_advice(const char *text, double v, char *buf, size_t n)
{
    snprintf(buf, n, "a percentage is written as a fraction (%s%% is %g)", text, v / 100);
    return buf;
}

nsm_status nsmi_read_nonnegative(nsm_reader *r, int row, const char *column, double *out)
{
    nsm_status s = nsmi_read_number(r, row, column, out);
    if (s == NSM_OK && *out < 0) {
        const nsm_cell *c = nsmi_reader_cell(r, row, column);
        return nsmi_reader_error(r, c, 0, "%s '%s' is negative: it must be 0 or more", column,
                                c->text);
    }
    return s;
}

nsm_status nsmi_read_integer(nsm_reader *r, int row, const char *column, int lo, int hi,
                            int *out)
{
    return nsmi_read_integer_of(r, row, column, column, lo, hi, out);
}

nsm_status nsmi_read_integer_of(nsm_reader *r, int row, const char *column, const char *what,
                               int lo, int hi, int *out)
{
    const nsm_cell *c = nsmi_reader_cell(r, row, column);
    const char *s = c->text;
    if (!s[0])
        return nsmi_reader_error(r, c, 0, "missing %s: a whole number is needed", what);
    size_t n = strspn(s, "0123456789");
    char *end;
    double whole = strtod(s, &end);
    if (n != strlen(s) && !*end && whole == floor(whole) && whole >= 0 &&
        whole < 1e9)
        return nsmi_reader_error(r, c, 0, "%s '%s' is not a whole number written with digits "
                                "only: write %.0f", what, s, whole);
    if (n != strlen(s))
        return nsmi_reader_error(r, c, 0, "%s '%s' is not a whole number: write one from %d to %d",
                                what, s, lo, hi);
    long v = n > 9 ? (long)hi + 1 : strtol(s, NULL, 10);
    if (v < lo || v > hi)
        return nsmi_reader_error(r, c, 0, "%s must be between %d and %d, not %s", what, lo, hi,
                                s);
    *out = (int)v;
    return NSM_OK;
}

/* ---- month lists (seasonality.csv, seasonality: paths) ---- */

static size_t skip_blanks(const char *s, size_t i)
{
    while (s[i] == ' ' || s[i] == '\t')
        i++;
    return i;
}

#define MONTHS_HOW "write a month 1-12, a range LOW-HIGH such as 3-4, or a list joined by '|' " \
                   "such as 3-4|8"

/* 1-12 when s starts with the first three letters of a month's English name (any case), else 0. */
static int month_name(const char *s)
{
    static const char names[12][4] = {"jan", "feb", "mar", "apr", "may", "jun",
                                      "jul", "aug", "sep", "oct", "nov", "dec"};
    for (int m = 0; m < 12; m++)
        if (strncasecmp(s, names[m], 3) == 0)
            return m + 1;
    return 0;
}

/* The month at s[*i] (blanks before it skipped); *i moves past it. `after` says what came before,
** for the message when there is no month. */
static nsm_status read_month(nsm_reader *r, const nsm_cell *c, size_t *i, const char *after,
                             int *out)
{
    const char *s = c->text;
    size_t k = skip_blanks(s, *i), n = strspn(s + k, "0123456789");
    if (n == 0) {
        if (!s[k])
            return nsmi_reader_error(r, c, k, "month list '%s' ends %s: %s", s, after, MONTHS_HOW);
        int named = month_name(s + k);
        if (named)
            return nsmi_reader_error(r, c, k, "months are numbers: write %d for '%.3s' (%s)",
                                    named, s + k, MONTHS_HOW);
        return nsmi_reader_error(r, c, k, "expected a month %s in '%s', not '%c': %s", after, s,
                                s[k], MONTHS_HOW);
    }
    long v = n > 9 ? 13 : strtol(s + k, NULL, 10);
    if (v < 1 || v > 12)
        return nsmi_reader_error(r, c, k, "month %.*s is not 1-12 (in '%s'): %s", (int)n, s + k, s,
                                MONTHS_HOW);
    *out = (int)v;
    *i = k + n;
    return NSM_OK;
}

/* A range LOW-HIGH written HIGH-LOW: most often a season across the new year (11-2). */
static nsm_status wraps_year(nsm_reader *r, const nsm_cell *c, size_t start, int lo, int hi)
{
    char late[8], early[8];
    snprintf(late, sizeof late, lo == 12 ? "12" : "%d-12", lo);
    snprintf(early, sizeof early, hi == 1 ? "1" : "1-%d", hi);
    return nsmi_reader_error(r, c, start, "the range %d-%d runs backwards: for a season across the "
                            "new year, write two ranges (%s|%s); for months %d to %d, write the "
                            "lower month first (%d-%d)", lo, hi, late, early, hi, lo, hi, lo);
}

/* One item at s[*i]: a month or a range; its months into *mask, each once. */
static nsm_status read_month_item(nsm_reader *r, const nsm_cell *c, size_t *i, unsigned *mask)
{
    const char *s = c->text;
    size_t start = skip_blanks(s, *i);
    int lo = 0, hi; /* lo is not written when read_month fails: hi copies it all the same */
    nsm_status st = read_month(r, c, i, *i ? "after '|'" : "at the start", &lo);
    hi = lo;
    size_t k = skip_blanks(s, *i);
    if (st == NSM_OK && s[k] == '-') {
        *i = k + 1;
        st = read_month(r, c, i, "after '-' (a range is LOW-HIGH)", &hi);
        if (st == NSM_OK && hi < lo)
            return wraps_year(r, c, start, lo, hi);
    }
    for (int m = lo; st == NSM_OK && m <= hi; m++) {
        if (*mask & (1u << (m - 1)))
            return nsmi_reader_error(r, c, start, "month %d is listed twice in '%s': list each "
                                    "month once", m, s);
        *mask |= 1u << (m - 1);
    }
    return st;
}

nsm_status nsmi_parse_months(nsm_reader *r, const nsm_cell *c, unsigned *mask)
{
    const char *s = c->text;
    *mask = 0;
    if (!s[0])
        return nsmi_reader_error(r, c, 0, "missing month: " MONTHS_HOW);
    size_t i = 0;
    for (;;) {
        nsm_status st = read_month_item(r, c, &i, mask);
        if (st != NSM_OK)
            return st;
        i = skip_blanks(s, i);
        if (!s[i])
            return NSM_OK;
        if (s[i] != '|')
            return nsmi_reader_error(r, c, i, "unexpected '%c' in month list '%s': %s", s[i], s,
                                    MONTHS_HOW);
        i++;
    }
}

/* ---- dates and text ---- */

nsm_status nsmi_read_optional_date(nsm_reader *r, int row, const char *column, nsm_date *out,
                                  const nsm_cell **cell)
{
    *cell = NULL;
    if (nsmi_reader_empty(r, row, column))
        return NSM_OK;
    nsm_status s = nsmi_read_date(r, row, column, out);
    if (s == NSM_OK)
        *cell = nsmi_reader_cell(r, row, column);
    return s;
}

nsm_status nsmi_read_date(nsm_reader *r, int row, const char *column, nsm_date *out)
{
    const nsm_cell *c = nsmi_reader_cell(r, row, column);
    if (!c->text[0])
        return nsmi_reader_error(r, c, 0, "missing %s: a date YYYY-MM-DD is needed", column);
    switch (nsmi_date_parse(c->text, out)) {
    case NSM_DATE_OK:
        return NSM_OK;
    case NSM_DATE_MONTH:
        return nsmi_reader_error(r, c, 0, "'%s' is not a date: month %d is not 1-12", c->text,
                                out->month);
    case NSM_DATE_DAY:
        return nsmi_reader_error(r, c, 0, "'%s' is not a date: %04d-%02d has %d days", c->text,
                                out->year, out->month,
                                nsmi_date_days_in_month(out->year, out->month));
    case NSM_DATE_FORMAT:
        break;
    }
    return nsmi_reader_error(r, c, 0, "'%s' is not a date: write dates as YYYY-MM-DD "
                            "(e.g. 2025-01-31)", c->text);
}

nsm_status nsmi_read_text(nsm_reader *r, int row, const char *column, char **out)
{
    const nsm_cell *c = nsmi_reader_cell(r, row, column);
    *out = NULL;
    if (!c->text[0])
        return NSM_OK;
    *out = strdup(c->text);
    return *out ? NSM_OK : NSM_ERR_NOMEM;
}
