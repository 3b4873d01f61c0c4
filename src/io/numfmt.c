/*
** numfmt.c: see numfmt.h.
**
** Written by hand, and why: every cell of every table is a number, and glibc's printf converts a
** double through its multi-precision path (__printf_fp: about 1,800 instructions for a "%.6g"),
** which was most of what writing a comparison cost. The one library in Debian that does this
** (double-conversion) is C++, and it rounds an exact tie away from zero where glibc's printf
** rounds it to even, so it would need the same exact tie test as below and still not be C.
**
** The method is exact, not approximate: a double is m * 2^e with m an integer below 2^53, so
** |v| * 10^s is the fraction (m * 10^s * 2^e) or (m * 2^e) / 10^-s, computed in 128-bit integers
** with its exact remainder; the rounding is then to nearest, ties to even, as glibc rounds in the
** default rounding mode (the only one neasim runs in). Wherever the integers could overflow
** (magnitudes of 10^19 and more, scalings by more than 10^22: "%.12g" of numbers below 1e-10)
** and for NaN, the infinities, -0 and subnormals, the fast path declines and snprintf writes
** the number.
** tests/test_numfmt.c compares both with snprintf over millions of values, ties and edges.
*/
#include "neasim/numfmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

__extension__ typedef unsigned __int128 u128; /* gcc and clang; ISO C has no 128-bit integer */

static const uint64_t POW10[20] = {1ULL,
                                   10ULL,
                                   100ULL,
                                   1000ULL,
                                   10000ULL,
                                   100000ULL,
                                   1000000ULL,
                                   10000000ULL,
                                   100000000ULL,
                                   1000000000ULL,
                                   10000000000ULL,
                                   100000000000ULL,
                                   1000000000000ULL,
                                   10000000000000ULL,
                                   100000000000000ULL,
                                   1000000000000000ULL,
                                   10000000000000000ULL,
                                   100000000000000000ULL,
                                   1000000000000000000ULL,
                                   10000000000000000000ULL};

/* a * 10^s = floor + (a fraction): up says whether rounding to nearest, ties to even, adds one. */
typedef struct {
    uint64_t floor;
    int up;
} scaled;

/* Rounding of the exact quotient q + r / d (0 <= r < d). */
static int round_up(u128 q, u128 r, u128 d)
{
    u128 r2 = r << 1; /* r < d <= 2^127: no overflow */
    return r2 > d || (r2 == d && (q & 1));
}

/* The exact floor of a * 2^e * 10^s for a normal a > 0 (as m * 2^e), or -1 where 128 bits do not
** suffice or the floor is not below 2^64. */
static int scale(double a, int s, scaled *out)
{
    uint64_t bits;
    memcpy(&bits, &a, sizeof bits);
    int biased = (int)(bits >> 52 & 0x7ff);
    if (biased == 0 || biased == 0x7ff || s > 22 || s < -19)
        return -1;
    uint64_t m = (bits & ((1ULL << 52) - 1)) | (1ULL << 52);
    int e = biased - 1075; /* a = m * 2^e */
    u128 q, r, d;
    if (s >= 0) {
        u128 n = (u128)m * POW10[s < 19 ? s : 19]; /* m * 10^19 < 2^117 */
        if (s > 19)
            n *= POW10[s - 19]; /* m * 10^22 < 2^127 */
        if (e >= 0) {
            if (e > 63 || n > (u128)(UINT64_MAX >> e))
                return -1;
            out->floor = (uint64_t)(n << e);
            out->up = 0;
            return 0;
        }
        if (-e >= 128) { /* n < 2^126.1: the value is below a quarter */
            out->floor = 0;
            out->up = 0;
            return 0;
        }
        q = n >> -e;
        r = n - (q << -e);
        d = (u128)1 << -e;
    } else {
        u128 p = POW10[-s];
        if (e >= 0) {
            if (e > 63)
                return -1;
            u128 n = (u128)m << e;
            q = n / p;
            r = n % p;
            d = p;
        } else if (-e >= 64) { /* m < 2^53 and the divisor is 10 * 2^64 or more */
            out->floor = 0;
            out->up = 0;
            return 0;
        } else {
            d = p << -e; /* 10^19 * 2^63 < 2^127 */
            q = m / d;
            r = m % d;
        }
    }
    if (q >> 64)
        return -1;
    out->floor = (uint64_t)q;
    out->up = round_up(q, r, d);
    return 0;
}

/* The n decimal digits of q (q < 10^n), zero-padded on the left, two at a time. */
static void digits(char *out, uint64_t q, int n)
{
    static const char PAIRS[] = "0001020304050607080910111213141516171819"
                                "2021222324252627282930313233343536373839"
                                "4041424344454647484950515253545556575859"
                                "6061626364656667686970717273747576777879"
                                "8081828384858687888990919293949596979899";
    int k = n;
    for (; k >= 2; k -= 2) {
        unsigned r = (unsigned)(q % 100);
        q /= 100;
        out[k - 1] = PAIRS[2 * r + 1];
        out[k - 2] = PAIRS[2 * r];
    }
    if (k == 1)
        out[0] = (char)('0' + q % 10);
}

/* Remove the trailing zeros of a fraction after the point at buf[point], and the point if no
** digit is left: "%g" without '#'. Returns the new length. */
static int trim(char *buf, int len, int point)
{
    while (len > point + 1 && buf[len - 1] == '0')
        len--;
    if (len == point + 1)
        len--;
    return len;
}

/* The P significant digits of a > 0 (q, 10^(P-1) <= q < 10^P) and the decimal exponent x of the
** first, as "%.*e" would have them; -1 where the scaling declines. */
static int significant(double a, int p, uint64_t *q, int *x)
{
    uint64_t bits;
    memcpy(&bits, &a, sizeof bits);
    int e2 = (int)(bits >> 52 & 0x7ff) - 1023; /* 2^e2 <= a < 2^(e2+1) */
    /* floor(e2 log10 2), the exponent or one below it: 78913 / 2^18 is log10 2 closely enough
    ** for |e2| < 1700, and >> of a negative int is arithmetic in gcc and clang */
    int e10 = (e2 * 78913) >> 18;
    for (int tries = 0; tries < 3; tries++) {
        scaled s;
        if (scale(a, p - 1 - e10, &s))
            return -1;
        if (s.floor < POW10[p - 1]) {
            e10--;
        } else if (s.floor >= POW10[p]) {
            e10++;
        } else {
            *q = s.floor + (uint64_t)s.up;
            *x = e10;
            if (*q == POW10[p]) { /* 9.9996 to four digits: 10.00 */
                *q = POW10[p - 1];
                (*x)++;
            }
            return 0;
        }
    }
    return -1;
}

int nsm_numfmt_g_fast(char *buf, double v, int p)
{
    if (p < 1 || p > 17 || !isfinite(v) || (v == 0 && signbit(v)))
        return -1;
    if (v == 0) {
        memcpy(buf, "0", 2);
        return 1;
    }
    uint64_t q;
    int x, len = 0;
    char d[20];
    if (significant(fabs(v), p, &q, &x))
        return -1;
    digits(d, q, p);
    if (v < 0)
        buf[len++] = '-';
    if (x < p && x >= -4) { /* style f, with p - 1 - x decimals */
        if (x >= 0) {
            memcpy(buf + len, d, (size_t)x + 1);
            len += x + 1;
            int point = len;
            buf[len++] = '.';
            memcpy(buf + len, d + x + 1, (size_t)(p - 1 - x));
            len = trim(buf, len + p - 1 - x, point);
        } else {
            int point = len + 1;
            memcpy(buf + len, "0.0000", (size_t)(1 - x)); /* "0." and -x - 1 zeros */
            len += 1 - x;
            memcpy(buf + len, d, (size_t)p);
            len = trim(buf, len + p, point);
        }
    } else { /* style e: d.ddde+XX, at least two exponent digits */
        buf[len++] = d[0];
        int point = len;
        buf[len++] = '.';
        memcpy(buf + len, d + 1, (size_t)p - 1);
        len = trim(buf, len + p - 1, point);
        buf[len++] = 'e';
        buf[len++] = x < 0 ? '-' : '+';
        int ax = x < 0 ? -x : x;
        if (ax >= 100)
            buf[len++] = (char)('0' + ax / 100);
        buf[len++] = (char)('0' + ax / 10 % 10);
        buf[len++] = (char)('0' + ax % 10);
    }
    buf[len] = '\0';
    return len;
}

int nsm_numfmt_f_fast(char *buf, double v, int decimals)
{
    if (decimals < 0 || decimals > 17 || !isfinite(v) || (v == 0 && signbit(v)))
        return -1;
    scaled s = {0, 0};
    if (v != 0 && scale(fabs(v), decimals, &s))
        return -1;
    if (s.floor == UINT64_MAX && s.up)
        return -1;
    uint64_t q = s.floor + (uint64_t)s.up, whole = q / POW10[decimals];
    int len = 0, n = 1;
    if (v < 0)
        buf[len++] = '-';
    while (n < 20 && whole >= POW10[n])
        n++;
    digits(buf + len, whole, n);
    len += n;
    if (decimals > 0) {
        buf[len++] = '.';
        digits(buf + len, q % POW10[decimals], decimals);
        len += decimals;
    }
    buf[len] = '\0';
    return len;
}

int nsm_numfmt_g(char *buf, double v, int digits_)
{
    int n = nsm_numfmt_g_fast(buf, v, digits_);
    return n >= 0 ? n : snprintf(buf, NSM_NUMFMT_MAX, "%.*g", digits_, v);
}

int nsm_numfmt_f(char *buf, double v, int decimals)
{
    int n = nsm_numfmt_f_fast(buf, v, decimals);
    return n >= 0 ? n : snprintf(buf, NSM_NUMFMT_MAX, "%.*f", decimals, v);
}

int nsm_numfmt_int(char *buf, int64_t v)
{
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v; /* INT64_MIN too */
    int len = 0, n = 1;
    if (v < 0)
        buf[len++] = '-';
    while (n < 20 && u >= POW10[n])
        n++;
    digits(buf + len, u, n);
    len += n;
    buf[len] = '\0';
    return len;
}
