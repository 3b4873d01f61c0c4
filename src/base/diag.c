/*
** diag.c: status texts, diagnostics and "did you mean" suggestions.
**
** A diagnostic keeps the first error as text, `file:line:column: error: message`, then the
** offending line and a caret under the column; warnings accumulate one line each. Text is built
** with open_memstream so that no message is ever cut short.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neasim/status.h"
#include "neasim/text.h"

const char *nsm_strerror(nsm_status s)
{
    switch (s) {
    case NSM_OK:
        return "success";
    case NSM_ERR_INPUT:
        return "input error";
    case NSM_ERR_IO:
        return "input/output error";
    case NSM_ERR_NOMEM:
        return "out of memory";
    case NSM_ERR_RUNTIME:
        return "runtime error";
    case NSM_ERR_USAGE:
        return "usage error";
    case NSM_STOPPED:
        return "stopped by its caller";
    }
    return "unknown status";
}

void nsm_diag_init(nsm_diag *d)
{
    d->error = NULL;
    d->warnings = NULL;
}

void nsm_diag_release(nsm_diag *d)
{
    free(d->error);
    free(d->warnings);
    nsm_diag_init(d);
}

/* "file:line:column: kind: " with the parts that are known. */
static void put_head(FILE *f, const char *file, int line, int column, const char *kind)
{
    if (file)
        fprintf(f, "%s:", file);
    if (file && line > 0)
        fprintf(f, "%d:", line);
    if (file && line > 0 && column > 0)
        fprintf(f, "%d:", column);
    fprintf(f, "%s%s: ", file ? " " : "", kind);
}

/* The line under a gutter, then a caret under `column` (in characters; tabs kept as tabs, and
** as many spaces as a character takes columns, so that the caret lines up in a terminal under
** text in Korean, Japanese or Chinese too). */
static void put_excerpt(FILE *f, int line, int column, const char *text)
{
    fprintf(f, "\n %4d | %s\n      | ", line, text);
    const char *p = text;
    while (((unsigned char)*p & 0xC0) == 0x80) /* a line starting mid-character: as the readers, */
        p++;                                   /* its bytes belong to no character */
    for (int c = 1, len = 1; *p && c < column; p += len, c++) {
        if (*p == '\t') {
            fputc('\t', f);
            len = 1;
            continue;
        }
        for (int w = nsm_text_char_width(p, &len); w > 0; w--)
            fputc(' ', f);
    }
    fputc('^', f);
}

nsm_status nsm_diag_vat(nsm_diag *d, const char *file, int line, int column,
                        const char *line_text, const char *fmt, va_list ap)
{
    if (d->error)
        return NSM_ERR_INPUT;
    size_t len;
    FILE *f = open_memstream(&d->error, &len);
    if (!f)
        return NSM_ERR_INPUT;
    put_head(f, file, line, column, "error");
    vfprintf(f, fmt, ap);
    if (line_text && line > 0)
        put_excerpt(f, line, column, line_text);
    fclose(f);
    return NSM_ERR_INPUT;
}

nsm_status nsm_diag_at(nsm_diag *d, const char *file, int line, int column, const char *line_text,
                       const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    nsm_diag_vat(d, file, line, column, line_text, fmt, ap);
    va_end(ap);
    return NSM_ERR_INPUT;
}

nsm_status nsm_diag_error(nsm_diag *d, nsm_status status, const char *fmt, ...)
{
    if (d->error)
        return status;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&d->error, fmt, ap) < 0)
        d->error = NULL;
    va_end(ap);
    return status;
}

void nsm_diag_vwarn(nsm_diag *d, const char *file, int line, int column, const char *fmt,
                    va_list ap)
{
    char *text = NULL;
    size_t len;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return;
    if (d->warnings)
        fputs(d->warnings, f);
    put_head(f, file, line, column, "warning");
    vfprintf(f, fmt, ap);
    fputc('\n', f);
    if (fclose(f) != 0) {
        free(text);
        return;
    }
    free(d->warnings);
    d->warnings = text;
}

void nsm_diag_warn(nsm_diag *d, const char *file, int line, int column, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    nsm_diag_vwarn(d, file, line, column, fmt, ap);
    va_end(ap);
}

/* Levenshtein distance, or `limit + 1` as soon as it must exceed limit. Words longer than
** NAME_LEN are never close to anything (names are at most 63 characters). */
enum { NAME_LEN = 127 };

static size_t min3(size_t a, size_t b, size_t c)
{
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

size_t nsm_edit_distance(const char *a, const char *b, size_t limit)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > NAME_LEN || lb > NAME_LEN || (la > lb ? la - lb : lb - la) > limit)
        return limit + 1;
    size_t row[NAME_LEN + 1];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0], best = i;
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            row[j] = min3(up + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1]));
            diag = up;
            best = row[j] < best ? row[j] : best;
        }
        if (best > limit)
            return limit + 1;
    }
    return row[lb];
}

const char *nsm_suggest(const char *word, const char *candidates, size_t n, size_t stride)
{
    size_t len = strlen(word);
    return nsm_suggest_within(word, candidates, n, stride, len / 3 > 1 ? len / 3 : 1);
}

const char *nsm_suggest_within(const char *word, const char *candidates, size_t n, size_t stride,
                               size_t limit)
{
    const char *best = NULL;
    size_t best_d = limit + 1;
    for (size_t i = 0; i < n; i++) {
        const char *c = candidates + i * stride;
        size_t dist = nsm_edit_distance(word, c, limit);
        if (dist < best_d) {
            best = c;
            best_d = dist;
        }
    }
    return best;
}
