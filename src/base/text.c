/*
** text.c: text built piece by piece in a fixed buffer (text.h). It was written twice, in the
** model's condition labels and the lever checks' messages; this is the one copy. And the width of
** text in a terminal (text.h), for the printed tables and the caret under an error (diag.c).
*/
#include "neasim/text.h"

#include <limits.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

void nsm_text_add(char *buf, size_t n, size_t *len, const char *fmt, ...)
{
    if (*len >= n)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(buf + *len, n - *len, fmt, ap);
    va_end(ap);
    *len = k < 0 ? n : *len + (size_t)k;
}

/* The width and the bytes of the character at p (nsm_text_char_width), read in locale utf8, set
** for this thread alone (uselocale) so that the answer does not depend on the user's locale; with
** utf8 NULL (a system without C.UTF-8) every character takes one column. */
static int width_in(locale_t utf8, const char *p, int *len)
{
    const unsigned char *u = (const unsigned char *)p;
    *len = 1;
    if (*u < 0x80)
        return 1;
    int w = -1;
    if (utf8) {
        locale_t old = uselocale(utf8);
        mbstate_t st;
        memset(&st, 0, sizeof st);
        wchar_t wc;
        size_t n = mbrtowc(&wc, p, MB_LEN_MAX, &st);
        if (n != (size_t)-1 && n != (size_t)-2 && n > 0) {
            *len = (int)n;
            w = wcwidth(wc);
        }
        uselocale(old);
    }
    if (w >= 0)
        return w;
    while ((u[*len] & 0xC0) == 0x80)
        ++*len;
    return 1;
}

/* C.UTF-8, or NULL when the system lacks it. */
static locale_t utf8_open(void)
{
    return newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

static void utf8_close(locale_t l)
{
    if (l)
        freelocale(l);
}

int nsm_text_char_width(const char *p, int *len)
{
    locale_t l = utf8_open();
    int w = width_in(l, p, len);
    utf8_close(l);
    return w;
}

int nsm_text_width_n(const char *s, size_t n)
{
    size_t ascii = 0; /* most text is ASCII: its width is its length, without a locale */
    while (ascii < n && s[ascii] && (unsigned char)s[ascii] < 0x80)
        ascii++;
    if (ascii == n || !s[ascii])
        return (int)ascii;
    locale_t l = utf8_open();
    int w = 0, len;
    for (const char *end = s + n; s < end && *s; s += len)
        w += width_in(l, s, &len);
    utf8_close(l);
    return w;
}

int nsm_text_width(const char *s)
{
    return nsm_text_width_n(s, strlen(s));
}

void nsm_text_fit(char *s, int width)
{
    if (width <= 3 || nsm_text_width(s) <= width)
        return;
    locale_t l = utf8_open();
    int w = 0, len;
    char *p = s;
    for (; *p; p += len) { /* the last character that leaves room for "..." */
        int cw = width_in(l, p, &len);
        if (w + cw > width - 3)
            break;
        w += cw;
    }
    utf8_close(l);
    memcpy(p, "...", 4);
}

void nsm_text_pad(FILE *f, const char *s, int width)
{
    fputs(s, f);
    for (int w = nsm_text_width(s); w < width; w++)
        fputc(' ', f);
}
