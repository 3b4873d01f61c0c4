/*
** numfmt.h: numbers as text, byte for byte what the C library's snprintf writes with "%.*g",
** "%.*f" and "%lld" in the C locale, but without its cost (the writers format millions of cells:
** snprintf of a double cost about 1,800 instructions a cell, most of a comparison's writing).
**
** Each function writes a NUL-terminated string into buf (at least NSM_NUMFMT_MAX bytes) and returns
** its length. The _fast variants return -1, writing nothing that matters, where they decline (see
** numfmt.c: NaN, infinities, -0, subnormals, magnitudes beyond 64-bit decimal arithmetic); the
** others fall back to snprintf there, so they always equal it.
*/
#ifndef NEASIM_NUMFMT_H
#define NEASIM_NUMFMT_H

#include <stdint.h>

enum { NSM_NUMFMT_MAX = 352 }; /* "%.17f" of -DBL_MAX: 1 + 309 + 1 + 17 digits, and the NUL */

/* snprintf(buf, NSM_NUMFMT_MAX, "%.*g", digits, v), digits 1..17 on the fast path. */
int nsm_numfmt_g(char *buf, double v, int digits);
int nsm_numfmt_g_fast(char *buf, double v, int digits);
/* snprintf(buf, NSM_NUMFMT_MAX, "%.*f", decimals, v), decimals 0..17 on the fast path. */
int nsm_numfmt_f(char *buf, double v, int decimals);
int nsm_numfmt_f_fast(char *buf, double v, int decimals);
/* snprintf(buf, NSM_NUMFMT_MAX, "%lld", (long long)v): always exact, never declines. */
int nsm_numfmt_int(char *buf, int64_t v);

#endif
