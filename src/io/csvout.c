/*
** csvout.c: see csvout.h.
*/
#include "neasim/csvout.h"

#include <csv.h>
#include <errno.h>
#include <math.h>
#include <string.h>

nsm_status nsm_csv_open(nsm_csv *c, const char *path, int bom, nsm_diag *diag)
{
    c->path = path;
    c->fields = 0;
    c->err = 0;
    c->f = fopen(path, "w");
    if (!c->f)
        return nsm_diag_error(diag, NSM_ERR_IO, "cannot create %s: %s", path, strerror(errno));
    if (bom)
        fputs("\xEF\xBB\xBF", c->f);
    return NSM_OK;
}

static void separator(nsm_csv *c)
{
    if (c->fields++ > 0 && putc(',', c->f) == EOF && !c->err)
        c->err = errno;
}

static void put(nsm_csv *c, const char *s)
{
    if (fputs(s, c->f) == EOF && !c->err)
        c->err = errno;
}

static int needs_quotes(const char *s)
{
    size_t n = strlen(s);
    return strpbrk(s, ",\"\r\n") != NULL || (n > 0 && (s[0] == ' ' || s[n - 1] == ' '));
}

void nsm_csv_text(nsm_csv *c, const char *s)
{
    separator(c);
    if (!needs_quotes(s))
        put(c, s);
    else if (csv_fwrite(c->f, s, strlen(s)) != 0 && !c->err)
        c->err = errno ? errno : EIO;
}

void nsm_csv_int(nsm_csv *c, int64_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    separator(c);
    put(c, buf);
}

void nsm_csv_real(nsm_csv *c, double v, int digits)
{
    char buf[64];
    if (isnan(v)) {
        nsm_csv_na(c);
        return;
    }
    snprintf(buf, sizeof buf, "%.*g", digits, v == 0.0 ? 0.0 : v); /* no "-0" */
    separator(c);
    put(c, buf);
}

void nsm_csv_fixed(nsm_csv *c, double v, int decimals)
{
    char buf[64];
    if (isnan(v)) {
        nsm_csv_na(c);
        return;
    }
    snprintf(buf, sizeof buf, "%.*f", decimals, v == 0.0 ? 0.0 : v);
    separator(c);
    put(c, buf);
}

void nsm_csv_na(nsm_csv *c)
{
    separator(c);
    put(c, "NA");
}

void nsm_csv_end_row(nsm_csv *c)
{
    put(c, "\r\n"); /* RFC 4180 line ends; R and spreadsheets read them */
    c->fields = 0;
}

void nsm_csv_header(nsm_csv *c, const char *const *names)
{
    for (; *names; names++)
        nsm_csv_text(c, *names);
    nsm_csv_end_row(c);
}

nsm_status nsm_csv_close(nsm_csv *c, nsm_diag *diag)
{
    if (!c->f)
        return NSM_OK;
    if (ferror(c->f) && !c->err)
        c->err = EIO;
    if (fclose(c->f) != 0 && !c->err)
        c->err = errno;
    c->f = NULL;
    if (c->err && diag)
        return nsm_diag_error(diag, NSM_ERR_IO, "cannot write %s: %s", c->path, strerror(c->err));
    if (c->err)
        return NSM_ERR_IO;
    return NSM_OK;
}
