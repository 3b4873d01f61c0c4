/*
** text.c: text built piece by piece in a fixed buffer (text.h). It was written twice, in the
** model's condition labels and the lever checks' messages; this is the one copy.
*/
#include "neasim/text.h"

#include <stdarg.h>
#include <stdio.h>

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
