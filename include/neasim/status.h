/*
** status.h: status codes shared by every module, and the diagnostic that carries a message.
**
** The library never prints. A function that can fail returns an nsm_status; when it has more to
** say (a bad cell in a scenario table, an I/O failure), it fills an nsm_diag that the caller owns
** and the CLI prints. Messages follow `file:line:column: error: what is wrong`, then the offending
** line and a caret under the column.
*/
#ifndef NEASIM_STATUS_H
#define NEASIM_STATUS_H

#include <stdarg.h>
#include <stddef.h>

typedef enum {
    NSM_OK = 0,
    NSM_ERR_INPUT,    /* a scenario or design file is malformed */
    NSM_ERR_IO,       /* a file could not be read or written */
    NSM_ERR_NOMEM,    /* an allocation failed */
    NSM_ERR_RUNTIME,  /* a replication could not be simulated (an effect loop, a run-away process) */
    NSM_ERR_USAGE,    /* a bad argument from the caller */
    NSM_STOPPED       /* not an error: stopped by its caller (a stop flag, e.g. Ctrl-C) */
} nsm_status;

/* A short, static description of a status ("input error", ...). */
const char *nsm_strerror(nsm_status s);

/* A diagnostic: the first error's message, and any warnings, as text the caller prints.
** Initialise with nsm_diag_init(), release with nsm_diag_release(); both fields are owned. */
typedef struct {
    char *error;     /* NULL when no error was recorded; ends without a newline */
    char *warnings;  /* NULL or one or more lines, each ending with '\n' */
} nsm_diag;

void nsm_diag_init(nsm_diag *d);
void nsm_diag_release(nsm_diag *d);

/* Record an error at a position in a file. line and column count from 1 (0: omit them);
** line_text (may be NULL) is the whole offending line, shown with a caret under column.
** Only the first error is kept. Returns NSM_ERR_INPUT so callers can `return nsm_diag_at(...)`. */
nsm_status nsm_diag_at(nsm_diag *d, const char *file, int line, int column, const char *line_text,
                       const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* The same with a va_list, for functions that add a position of their own (table.h) and forward
** their arguments: the one place where messages are formatted. */
nsm_status nsm_diag_vat(nsm_diag *d, const char *file, int line, int column,
                        const char *line_text, const char *fmt, va_list ap)
    __attribute__((format(printf, 6, 0)));
void nsm_diag_vwarn(nsm_diag *d, const char *file, int line, int column, const char *fmt,
                    va_list ap) __attribute__((format(printf, 5, 0)));

/* Record an error with no position (I/O: pass strerror text in the message). Returns status. */
nsm_status nsm_diag_error(nsm_diag *d, nsm_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Append a warning at a position (same layout as nsm_diag_at, with "warning:"). */
void nsm_diag_warn(nsm_diag *d, const char *file, int line, int column, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* The closest candidate to `word` by edit distance, or NULL if none is close enough to suggest
** ("did you mean ...?"). candidates is an array of n strings spaced `stride` bytes apart. */
const char *nsm_suggest(const char *word, const char *candidates, size_t n, size_t stride);
/* The same within `limit` edits rather than a third of word's length: for a closed list of a few
** keywords, where a wider net cannot catch a wrong one ('days' for 'dates'). */
const char *nsm_suggest_within(const char *word, const char *candidates, size_t n, size_t stride,
                               size_t limit);
/* The Levenshtein distance of a and b, or limit + 1 when it is larger than limit. */
size_t nsm_edit_distance(const char *a, const char *b, size_t limit);

#endif
