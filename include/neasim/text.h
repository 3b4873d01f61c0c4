/*
** text.h: building text in a caller's fixed buffer, piece by piece (base/text.c): a condition's
** label, a message with a list in it. Nothing is allocated and nothing is written past the end:
** text that does not fit is cut off, and the buffer always holds a terminated string.
*/
#ifndef NEASIM_TEXT_H
#define NEASIM_TEXT_H

#include <stddef.h>

/* Append printf-formatted text to buf (of size n) at *len, the length written so far (0 for an
** empty buffer, whose buf[0] the caller sets to '\0'), and advance *len by what the text needed.
** When it does not fit the text is cut at n - 1 bytes and *len is at least n from then on, so
** that later calls append nothing: *len >= n says the text was cut. An encoding error in the
** format sets *len to n. */
void nsm_text_add(char *buf, size_t n, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
