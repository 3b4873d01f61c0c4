/*
** csvout.c: see csvout.h. Numbers are formatted by io/numfmt.c (byte for byte what snprintf
** writes, at a fraction of its cost) and every field is written with its known length.
*/
#include "neasim/csvout.h"

#include <csv.h>
#include <errno.h>
#include <math.h>
#include <string.h>

#include "neasim/numfmt.h"

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

/* A field into the FILE's buffer. With glibc, straight into it when it has room: its write
** pointers are public in <stdio.h> (putc_unlocked's macro uses them, so they are ABI), and
** fwrite's locking and dispatch cost more than the copy of a short field. A line-buffered or
** unbuffered stream never shows room there, so it goes through fwrite as before. A FILE of an
** nsm_csv is written by one thread only. */
static void put(nsm_csv *c, const char *s, size_t n)
{
#ifdef __GLIBC__
    FILE *f = c->f;
    if (f->_IO_write_ptr && (size_t)(f->_IO_write_end - f->_IO_write_ptr) >= n) {
        memcpy(f->_IO_write_ptr, s, n);
        f->_IO_write_ptr += n;
        return;
    }
#endif
    if (fwrite(s, 1, n, c->f) != n && !c->err)
        c->err = errno ? errno : EIO;
}

static void separator(nsm_csv *c)
{
    if (c->fields++ > 0)
        put(c, ",", 1);
}

/* The length of s, or -1 when it needs quotes: a comma, a quote, a line break, or a space at
** either end. */
static long plain_length(const char *s)
{
    size_t n = strcspn(s, ",\"\r\n"); /* the C library's is vectorized */
    if (s[n] || (n > 0 && (s[0] == ' ' || s[n - 1] == ' ')))
        return -1;
    return (long)n;
}

void nsm_csv_text(nsm_csv *c, const char *s)
{
    long n = plain_length(s);
    separator(c);
    if (n >= 0)
        put(c, s, (size_t)n);
    else if (csv_fwrite(c->f, s, strlen(s)) != 0 && !c->err)
        c->err = errno ? errno : EIO;
}

void nsm_csv_int(nsm_csv *c, int64_t v)
{
    char buf[NSM_NUMFMT_MAX];
    int n = nsm_numfmt_int(buf, v);
    separator(c);
    put(c, buf, (size_t)n);
}

void nsm_csv_real(nsm_csv *c, double v, int digits)
{
    char buf[NSM_NUMFMT_MAX];
    if (isnan(v)) {
        nsm_csv_na(c);
        return;
    }
    int n = nsm_numfmt_g(buf, v == 0.0 ? 0.0 : v, digits); /* no "-0" */
    separator(c);
    put(c, buf, n > 0 ? (size_t)n : 0);
}

void nsm_csv_fixed(nsm_csv *c, double v, int decimals)
{
    char buf[NSM_NUMFMT_MAX];
    if (isnan(v)) {
        nsm_csv_na(c);
        return;
    }
    int n = nsm_numfmt_f(buf, v == 0.0 ? 0.0 : v, decimals);
    separator(c);
    put(c, buf, n > 0 ? (size_t)n : 0);
}

void nsm_csv_na(nsm_csv *c)
{
    separator(c);
    put(c, "NA", 2);
}

void nsm_csv_end_row(nsm_csv *c)
{
    put(c, "\r\n", 2); /* RFC 4180 line ends; R and spreadsheets read them */
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
