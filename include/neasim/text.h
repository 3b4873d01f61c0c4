/*
** text.h: building text in a caller's fixed buffer, piece by piece (base/text.c): a condition's
** label, a message with a list in it. Nothing is allocated and nothing is written past the end:
** text that does not fit is cut off, and the buffer always holds a terminated string.
**
** And text as a terminal shows it: labels are free UTF-8 text (scenarios/README.md), and a
** Hangul syllable or a CJK ideograph takes two columns there, a combining accent none, so that
** printf's %-*s (which counts bytes) would misalign a table's columns and a cut by bytes could
** split a character. Widths are those of C.UTF-8 (mbrtowc, wcwidth), whatever the user's locale.
*/
#ifndef NEASIM_TEXT_H
#define NEASIM_TEXT_H

#include <stddef.h>
#include <stdio.h>

/* Append printf-formatted text to buf (of size n) at *len, the length written so far (0 for an
** empty buffer, whose buf[0] the caller sets to '\0'), and advance *len by what the text needed.
** When it does not fit the text is cut at n - 1 bytes and *len is at least n from then on, so
** that later calls append nothing: *len >= n says the text was cut. An encoding error in the
** format sets *len to n. */
void nsm_text_add(char *buf, size_t n, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The columns the character at p takes in a terminal (0, 1 or 2) and, in *len, its bytes (at
** least 1). A byte that is not UTF-8 takes 1 column and has, as its bytes, itself and the
** continuation bytes after it, as the scenario readers count characters (a byte that is not a
** continuation byte starts one). p must not point at the terminating 0. */
int nsm_text_char_width(const char *p, int *len);

/* The columns s takes in a terminal: the sum of its characters' widths (a tab counts 1); _n: of
** its first n bytes (the characters that start in them). */
int nsm_text_width(const char *s);
int nsm_text_width_n(const char *s, size_t n);

/* Cut s in place to at most `width` columns, ending in "..." when cut (width > 3), at a
** character's boundary. */
void nsm_text_fit(char *s, int width);

/* Print s to f followed by spaces to `width` columns: printf's "%-*s" counted in columns. */
void nsm_text_pad(FILE *f, const char *s, int width);

#endif
