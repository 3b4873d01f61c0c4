/*
** partial.c: partial results (see partial.h; the byte layout is in README.md, "Partial results").
** The one place that turns accumulators into bytes and back.
**
** Every number is written byte by byte, least significant first, so the file is the same on any
** machine and is read the same way; doubles are their IEEE-754 bit patterns, so a value comes back
** exactly. The seal (SHA-256 of everything before it) is checked before a single section is read:
** a part is used whole or refused whole.
*/
#include "neasim/partial.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "neasim/fdio.h"
#include "sim/internal.h"

/* The fixed start of a part, then sections (tag, reserved, length, payload), then the seal. */
static const unsigned char MAGIC[8] = {'N', 'S', 'M', 'P', 'A', 'R', 'T', 0};
enum { START = 24, SECTION = 16, SEAL = 32 };
#define TAG(a, b, c, d)                                                                         \
    ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)
#define TAG_HEAD TAG('H', 'E', 'A', 'D')
#define TAG_ACCUM TAG('A', 'C', 'C', 'U')
#define TAG_PAIRED TAG('P', 'A', 'I', 'R')
#define TAG_RIVALS TAG('R', 'I', 'V', 'L')
#define TAG_STORY TAG('S', 'T', 'R', 'Y')
#define TAG_REALS TAG('R', 'E', 'A', 'L')
#define TAG_BYTES TAG('B', 'Y', 'T', 'E')
#define TAG_EVENTS TAG('E', 'V', 'N', 'T')
#define TAG_END TAG('E', 'N', 'D', '.')
/* Written as 04 03 02 01: a reader that finds another order was not written by this format. */
#define BYTE_ORDER_MARK 0x01020304u

/* A part is held in memory (nsm_part_new, nsm_part_open), or lives in a file (nsm_part_create,
** nsm_part_load): then buf holds only what is not in the file yet (writing: the bytes from
** `flushed` on) or one section read from it (reading), so that a part of any size costs the memory
** of its largest section. */
struct nsm_part {
    unsigned char *buf;
    size_t n, cap;
    size_t flushed;  /* writing to a file: bytes already in it (buf holds flushed .. n) */
    int fd;          /* the file, or -1: in memory (or a file read, closed between reads) */
    char *path;      /* the file read (reopened when needed), or the temporary one written */
    int temp;        /* path is nsm_part_create's temporary file, not saved yet: free removes it */
    struct stat id;  /* reading a file: what it was when its seal was checked */
    size_t pos;      /* reading: the next section */
    size_t section;  /* writing: where the open section's header is */
    size_t tail;     /* reading: where the EVNT section is (what follows the last result) */
    uint64_t events; /* reading: what EVNT holds */
    int failed;      /* writing: 1 out of memory at some point, 2 its file could not be written */
    int err;         /* writing: the errno of that write */
    int sealed;
    char *name;
    nsm_part_head head;
};

/* --- Writing --- */

static void put(nsm_part *p, const void *bytes, size_t n)
{
    if (p->failed)
        return;
    size_t held = p->n - p->flushed;
    if (held + n > p->cap) {
        size_t cap = p->cap ? p->cap : 4096;
        while (cap < held + n)
            cap *= 2;
        unsigned char *b = realloc(p->buf, cap);
        if (!b) {
            p->failed = 1;
            return;
        }
        p->buf = b;
        p->cap = cap;
    }
    memcpy(p->buf + held, bytes, n);
    p->n += n;
}

static void le(unsigned char *b, uint64_t v, int n)
{
    for (int k = 0; k < n; k++)
        b[k] = (unsigned char)(v >> (8 * k));
}

static void put_u32(nsm_part *p, uint32_t v)
{
    unsigned char b[4];
    le(b, v, 4);
    put(p, b, 4);
}

static void put_u64(nsm_part *p, uint64_t v)
{
    unsigned char b[8];
    le(b, v, 8);
    put(p, b, 8);
}

static void put_i64s(nsm_part *p, const int64_t *x, size_t n)
{
    for (size_t k = 0; k < n; k++)
        put_u64(p, (uint64_t)x[k]);
}

/* A count of draws, then (when sq holds any) n sums of squares as 128-bit integers, two u64
** each, low word first like every number here (accum.h: the draws of a two-level run). */
static void put_draws(nsm_part *p, uint64_t draws, const nsmi_u128 *sq, size_t n)
{
    put_u64(p, sq ? draws : 0);
    for (size_t k = 0; sq && k < n; k++) {
        put_u64(p, (uint64_t)sq[k]);
        put_u64(p, (uint64_t)(sq[k] >> 64));
    }
}

static void put_str(nsm_part *p, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    put_u64(p, n);
    put(p, s ? s : "", n);
}

static int write_all(int fd, const unsigned char *b, size_t n);

/* A part written to a file: what is held goes to it once it passes this many bytes, between
** sections (so that the open section's header, patched by end, is always still held). */
enum { FLUSH_AT = 1 << 16 };

static void flush(nsm_part *p)
{
    if (p->fd < 0 || p->failed || p->n == p->flushed)
        return;
    if (write_all(p->fd, p->buf, p->n - p->flushed) != 0) {
        p->failed = 2;
        p->err = errno;
    } else {
        p->flushed = p->n;
    }
}

static void begin(nsm_part *p, uint32_t tag)
{
    if (p->n - p->flushed >= FLUSH_AT)
        flush(p);
    p->section = p->n;
    put_u32(p, tag);
    put_u32(p, 0);
    put_u64(p, 0); /* the length, once known (end) */
}

static nsm_status end(nsm_part *p)
{
    if (p->failed)
        return p->failed == 2 ? NSM_ERR_IO : NSM_ERR_NOMEM;
    le(p->buf + (p->section - p->flushed) + 8, p->n - p->section - SECTION, 8);
    return NSM_OK;
}

static char *dup_or_empty(const char *s)
{
    return strdup(s ? s : "");
}

nsm_part *nsm_part_new(const nsm_part_head *h)
{
    nsm_part *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->fd = -1;
    p->head = *h;
    p->head.kind = dup_or_empty(h->kind);
    p->head.version = dup_or_empty(h->version);
    p->head.checksum = dup_or_empty(h->checksum);
    p->head.scenario = dup_or_empty(h->scenario);
    p->head.options = dup_or_empty(h->options);
    put(p, MAGIC, sizeof MAGIC);
    put_u32(p, NSM_PART_FORMAT);
    put_u32(p, BYTE_ORDER_MARK);
    put_u64(p, 0); /* total length, once sealed */
    begin(p, TAG_HEAD);
    put_str(p, h->kind);
    put_str(p, h->version);
    put_str(p, h->checksum);
    put_str(p, h->scenario);
    put_str(p, h->options);
    put_u64(p, h->seed);
    put_u32(p, h->shard);
    put_u32(p, h->n_shards);
    put_u64(p, h->first);
    put_u64(p, h->count);
    if (end(p) != NSM_OK || !p->head.kind || !p->head.version || !p->head.checksum ||
        !p->head.scenario || !p->head.options) {
        nsm_part_free(p);
        return NULL;
    }
    return p;
}

void nsm_part_head_release(nsm_part_head *h)
{
    free(h->kind);
    free(h->version);
    free(h->checksum);
    free(h->scenario);
    free(h->options);
    h->kind = h->version = h->checksum = h->scenario = h->options = NULL;
}

void nsm_part_free(nsm_part *p)
{
    if (!p)
        return;
    if (p->temp) /* never a part that was read: only the temporary file of one never saved */
        unlink(p->path); /* before close, which drops its lock (make_temp) */
    if (p->fd >= 0)
        close(p->fd);
    free(p->path);
    nsm_part_head_release(&p->head);
    free(p->buf);
    free(p->name);
    free(p);
}

static void put_table(nsm_part *p, const nsmi_count_table *t, int cols)
{
    put_u64(p, (uint64_t)t->max_seen);
    if (t->max_seen >= 0)
        put_i64s(p, t->cells, (size_t)(t->max_seen + 1) * (size_t)cols);
}

nsm_status nsm_part_add_accum(nsm_part *p, const nsm_accum *a)
{
    const nsm_model *m = a->m;
    const size_t cols = (size_t)a->cols;
    begin(p, TAG_ACCUM);
    put_u32(p, (uint32_t)m->n_levels_total);
    put_u32(p, (uint32_t)m->n_outcomes);
    put_u32(p, (uint32_t)m->n_events);
    put_u32(p, (uint32_t)a->cols);
    put_u64(p, a->runs);
    put_i64s(p, a->occupancy, (size_t)m->n_levels_total * cols);
    put_i64s(p, a->held, (size_t)m->n_outcomes * cols);
    put_i64s(p, a->first, (size_t)m->n_outcomes * cols);
    for (int e = 0; e < m->n_events; e++) {
        put_table(p, &a->period[e], a->cols);
        put_table(p, &a->yearly[e], a->ycols);
        put_table(p, &a->cumul[e], a->cols);
    }
    put_draws(p, a->draws, a->sq, nsmi_accum_series_rows(m) * cols);
    return end(p);
}

nsm_status nsm_part_add_paired(nsm_part *p, const nsm_paired *q)
{
    const nsm_model *m = q->m;
    const size_t cols = (size_t)q->cols;
    begin(p, TAG_PAIRED);
    put_u32(p, (uint32_t)m->n_outcomes);
    put_u32(p, (uint32_t)m->n_events);
    put_u32(p, (uint32_t)q->cols);
    put_u32(p, 0);
    put_i64s(p, q->both_held, (size_t)m->n_outcomes * cols);
    put_i64s(p, q->both_first, (size_t)m->n_outcomes * cols);
    put_i64s(p, q->d2, (size_t)m->n_events * cols);
    put_draws(p, q->draws, q->sq, nsmi_paired_series_rows(m) * cols);
    return end(p);
}

nsm_status nsm_part_add_rivals(nsm_part *p, const nsm_rivals *r)
{
    begin(p, TAG_RIVALS);
    put_u32(p, (uint32_t)r->n_arms);
    put_u32(p, (uint32_t)r->m->n_outcomes);
    put_u32(p, (uint32_t)r->n_h);
    put_u32(p, 0);
    for (int h = 0; h < r->n_h; h++)
        put_u32(p, (uint32_t)r->idx[h]);
    put_i64s(p, r->both, nsmi_rivals_cells(r));
    return end(p);
}

/* What a story accumulator was recorded with: a reader checks it against its own. */
static void put_story_shape(nsm_part *p, const nsm_story *a)
{
    const nsm_story_options *o = &a->opt;
    put_u32(p, (uint32_t)a->m->n_outcomes);
    put_u32(p, (uint32_t)a->n_ind);
    put_u32(p, (uint32_t)a->m->n_reports);
    put_u32(p, (uint32_t)((o->routes ? 1 : 0) | (o->signposts ? 2 : 0)));
    put_u32(p, (uint32_t)o->n_watch);
    for (int w = 0; w < o->n_watch; w++)
        put_u32(p, (uint32_t)lround(12.0 * o->watch_years[w]));
}

/* One route: its steps, its onsets, then its report periods with onsets (index, count). */
static void put_route(nsm_part *p, const nsm_story *a, int o, int k, int64_t *period)
{
    nsm_route r = nsm_story_route(a, o, k);
    put_u32(p, (uint32_t)r.n_steps);
    put_u32(p, (uint32_t)r.truncated);
    for (int s = 0; s < r.n_steps; s++)
        put_u32(p, (uint32_t)r.step[s]);
    put_u64(p, (uint64_t)r.onsets);
    nsm_story_route_periods(a, o, k, period);
    uint32_t n = 0;
    for (int i = 0; i < a->m->n_reports; i++)
        n += period[i] != 0;
    put_u32(p, n);
    for (int i = 0; i < a->m->n_reports; i++)
        if (period[i]) {
            put_u32(p, (uint32_t)i);
            put_u64(p, (uint64_t)period[i]);
        }
}

static void put_counts(nsm_part *p, const nsm_story_counts *c, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        put_u64(p, (uint64_t)c[k].runs);
        put_u64(p, (uint64_t)c[k].onsets);
    }
}

nsm_status nsm_part_add_story(nsm_part *p, const nsm_story *a)
{
    const nsm_model *m = a->m;
    size_t O = (size_t)m->n_outcomes, W = (size_t)a->opt.n_watch, J = (size_t)a->n_ind;
    for (int o = 0; a->routes && o < m->n_outcomes; o++)
        if (!a->routes[o].order)
            return NSM_ERR_USAGE; /* not finished: the routes would be in the threads' order */
    int64_t *period = malloc(((size_t)m->n_reports + 1) * sizeof *period);
    if (!period)
        return NSM_ERR_NOMEM;
    begin(p, TAG_STORY);
    put_story_shape(p, a);
    put_u64(p, a->runs);
    put_i64s(p, a->onsets, O);
    for (int o = 0; a->routes && o < m->n_outcomes; o++) {
        put_u64(p, (uint64_t)nsm_story_n_routes(a, o));
        for (int k = 0; k < nsm_story_n_routes(a, o); k++)
            put_route(p, a, o, k, period);
    }
    if (a->watch) {
        put_counts(p, a->watch, O * W);
        put_counts(p, a->sign, O * W * J);
        put_i64s(p, a->fired, W * J);
        for (size_t k = 0; k < W * J; k++)
            put_u64(p, a->print[k]);
    }
    free(period);
    return end(p);
}

nsm_status nsm_part_add_reals(nsm_part *p, const double *x, uint64_t n)
{
    begin(p, TAG_REALS);
    put_u64(p, n);
    for (uint64_t k = 0; k < n; k++) {
        uint64_t bits;
        memcpy(&bits, &x[k], sizeof bits);
        put_u64(p, bits);
    }
    return end(p);
}

nsm_status nsm_part_add_bytes(nsm_part *p, const void *bytes, uint64_t n)
{
    begin(p, TAG_BYTES);
    put(p, bytes, (size_t)n);
    return end(p);
}

static int sha256(const unsigned char *bytes, size_t n, unsigned char md[SEAL])
{
    unsigned int len = 0;
    return EVP_Digest(bytes, n, md, &len, EVP_sha256(), NULL) && len == SEAL ? 0 : -1;
}

/* The SHA-256 of the first n bytes of a part's file, read a block at a time. 0, or -1 with errno
** (ENOMEM when the digest could not be made). */
static int sha256_file(int fd, size_t n, unsigned char md[SEAL])
{
    unsigned char block[65536];
    unsigned int len = 0;
    int err = ENOMEM; /* what a failure of the digest's own is (OpenSSL leaves errno as it likes) */
    EVP_MD_CTX *x = EVP_MD_CTX_new();
    int ok = x && EVP_DigestInit_ex(x, EVP_sha256(), NULL);
    for (size_t at = 0; ok && at < n;) {
        size_t k = n - at < sizeof block ? n - at : sizeof block;
        ssize_t got = pread(fd, block, k, (off_t)at);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            err = got == 0 ? EIO : errno;
            ok = 0;
            break;
        }
        ok = EVP_DigestUpdate(x, block, (size_t)got);
        at += (size_t)got;
    }
    ok = ok && EVP_DigestFinal_ex(x, md, &len) && len == SEAL;
    EVP_MD_CTX_free(x);
    errno = ok ? errno : err;
    return ok ? 0 : -1;
}

/* A part in a file: its length into its start, then the seal of every byte before it (read back:
** the length comes first, and is known only now). */
static nsm_status seal_file(nsm_part *p)
{
    unsigned char len[8], md[SEAL];
    le(len, p->n + SEAL, 8);
    flush(p);
    if (!p->failed && (pwrite(p->fd, len, 8, 16) != 8 || sha256_file(p->fd, p->n, md) != 0)) {
        p->err = errno ? errno : EIO;
        p->failed = p->err == ENOMEM ? 1 : 2;
    }
    if (!p->failed)
        put(p, md, SEAL);
    flush(p);
    return p->failed == 2 ? NSM_ERR_IO : p->failed ? NSM_ERR_NOMEM : NSM_OK;
}

nsm_status nsm_part_seal(nsm_part *p, uint64_t events)
{
    begin(p, TAG_EVENTS);
    put_u64(p, events);
    nsm_status st = end(p);
    if (st != NSM_OK)
        return st;
    begin(p, TAG_END);
    if ((st = end(p)) != NSM_OK)
        return st;
    if (p->fd >= 0) {
        st = seal_file(p);
        p->sealed = st == NSM_OK;
        return st;
    }
    unsigned char md[SEAL];
    le(p->buf + 16, p->n + SEAL, 8);
    if (sha256(p->buf, p->n, md))
        return NSM_ERR_NOMEM;
    put(p, md, SEAL);
    p->sealed = !p->failed;
    return p->sealed ? NSM_OK : NSM_ERR_NOMEM;
}

int nsm_part_errno(const nsm_part *p)
{
    return p->err;
}

const unsigned char *nsm_part_bytes(const nsm_part *p, size_t *n)
{
    *n = p->fd < 0 && !p->path ? p->n : 0;
    return p->fd < 0 && !p->path ? p->buf : NULL;
}

/* Write every byte to fd. 0, or -1 with errno. */
static int write_all(int fd, const unsigned char *b, size_t n)
{
    while (n > 0) {
        ssize_t k = write(fd, b, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        b += k;
        n -= (size_t)k;
    }
    return 0;
}

/* fsync the folder that holds path, so that the rename is on the disk too. */
static int sync_parent(const char *path)
{
    char *dir = strdup(path);
    if (!dir)
        return -1;
    char *slash = strrchr(dir, '/');
    const char *d = slash ? (slash == dir ? "/" : (*slash = 0, dir)) : ".";
    int fd = open(d, O_RDONLY | O_DIRECTORY);
    int rc = fd >= 0 && fsync(fd) == 0 ? 0 : -1;
    if (fd >= 0)
        close(fd);
    free(dir);
    return rc;
}

nsm_status nsm_part_check_dest(const char *path, nsm_diag *diag)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return NSM_OK;
    if (S_ISDIR(st.st_mode))
        return nsm_diag_error(diag, NSM_ERR_IO, "%s is a folder; a shard writes one file: give "
                              "--out a file name beside it (e.g. %s.part-1), not inside it (a "
                              "results folder holds only neasim's tables)", path, path);
    unsigned char head[sizeof MAGIC] = {0};
    FILE *f = S_ISREG(st.st_mode) ? fopen(path, "rb") : NULL;
    size_t n = f ? fread(head, 1, sizeof head, f) : 0;
    if (f)
        fclose(f);
    if (n != sizeof head || memcmp(head, MAGIC, sizeof MAGIC) != 0)
        return nsm_diag_error(diag, NSM_ERR_IO, "%s exists and is not a neasim partial result; "
                              "refusing to replace it: choose another --out", path);
    return NSM_OK;
}

/* ---- temporary files and the ones a killed shard left ----
** A part is written to PATH.tmp-XXXXXX beside it and renamed over PATH when whole. A shard killed
** outright (kill -9, a node lost, a job past its time limit) leaves that file behind, as large as
** the part had grown; the next shard to write PATH removes it. Whose file it is comes from a lock,
** not from a process id in the name: the writer holds flock(LOCK_EX) on its temporary file from
** mkstemp until it has renamed it (on a duplicate of its descriptor: put_in_place), and the kernel
** drops the lock however the writer ends, so a temporary file whose lock can be taken has no
** writer. Over NFS, flock is a lock the server keeps for every host; a file system where the
** lock cannot be taken at all (ENOLCK, ENOTSUP) leaves the file alone, with a warning. A file
** whose bytes do not begin as a part's (empty, or a prefix of the magic number) is not ours: left
** alone, with a warning. */

/* "BASE.tmp-" and six characters of mkstemp's alphabet. */
static int is_temp_name(const char *name, const char *base)
{
    size_t nb = strlen(base);
    if (strncmp(name, base, nb) != 0 || strncmp(name + nb, ".tmp-", 5) != 0)
        return 0;
    const char *x = name + nb + 5;
    return strlen(x) == 6 && strspn(x, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                       "0123456789") == 6;
}

/* Does the open file fd begin as a part does (nothing yet, or the start of MAGIC)? */
static int begins_as_part(int fd)
{
    unsigned char head[sizeof MAGIC];
    ssize_t n = pread(fd, head, sizeof head, 0);
    return n >= 0 && memcmp(head, MAGIC, (size_t)n) == 0;
}

/* The temporary file tmp, if no writer holds it and it is a part's: removed, and said in diag. */
static void remove_if_stale(const char *tmp, nsm_diag *diag)
{
    int fd = open(tmp, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return; /* gone meanwhile (its writer renamed it), or not a file we may read */
    struct stat held, now;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK) /* a live writer holds it: EWOULDBLOCK, and nothing to say */
            nsm_diag_warn(diag, tmp, 0, 0, "temporary file of a shard's part whose writer "
                          "cannot be told (this file system takes no locks: %s); left alone: "
                          "delete it if no shard is writing there", strerror(errno));
        close(fd);
        return;
    }
    /* still the file of that name (not renamed into place before the lock came free)? */
    if (fstat(fd, &held) != 0 || lstat(tmp, &now) != 0 || held.st_dev != now.st_dev ||
        held.st_ino != now.st_ino || !S_ISREG(held.st_mode)) {
        close(fd);
        return;
    }
    if (!begins_as_part(fd))
        nsm_diag_warn(diag, tmp, 0, 0, "named like the temporary file of a shard's part, but "
                      "it is not one; left alone");
    else if (unlink(tmp) != 0)
        nsm_diag_warn(diag, tmp, 0, 0, "cannot remove this temporary file of a shard that was "
                      "stopped before it finished: %s", strerror(errno));
    else
        nsm_diag_warn(diag, tmp, 0, 0, "removed: the temporary file of a shard's part, left by "
                      "a shard that was killed before it finished (%lld bytes)",
                      (long long)held.st_size);
    close(fd);
}

/* Every stale temporary file of path's part (above). */
static void clean_stale(const char *path, nsm_diag *diag)
{
    const char *slash = strrchr(path, '/');
    size_t dl = slash ? (size_t)(slash - path) + 1 : 0;
    char *dir = dl ? strndup(path, dl) : strdup(".");
    DIR *d = dir ? opendir(dir) : NULL;
    for (struct dirent *e; d && (e = readdir(d));) {
        if (!is_temp_name(e->d_name, path + dl))
            continue;
        size_t n = dl + strlen(e->d_name) + 1;
        char *tmp = malloc(n);
        if (!tmp)
            break; /* only tidying: the part is written all the same */
        snprintf(tmp, n, "%.*s%s", (int)dl, path, e->d_name);
        remove_if_stale(tmp, diag);
        free(tmp);
    }
    if (d)
        closedir(d);
    free(dir);
}

/* A temporary file beside path (PATH.tmp-XXXXXX), with the mode a new file gets and its writer's
** lock (above): its fd, or -1 with errno; *tmp its name (NULL when out of memory). Stale ones of
** path are removed first. */
static int make_temp(const char *path, char **tmp, nsm_diag *diag)
{
    clean_stale(path, diag);
    size_t len = strlen(path) + 16;
    if (!(*tmp = malloc(len))) {
        errno = ENOMEM;
        return -1;
    }
    snprintf(*tmp, len, "%s.tmp-XXXXXX", path);
    mode_t mask = umask(0);
    umask(mask);
    int fd = mkstemp(*tmp);
    if (fd >= 0)
        (void)flock(fd, LOCK_EX | LOCK_NB); /* a new file: only a file system without locks fails */
    if (fd >= 0 && fchmod(fd, 0666 & ~mask) != 0) {
        int err = errno;
        close(fd);
        unlink(*tmp);
        errno = err;
        fd = -1;
    }
    return fd;
}

nsm_status nsm_part_create(const nsm_part_head *head, const char *path, nsm_part **out,
                           nsm_diag *diag)
{
    *out = NULL;
    nsm_status st = nsm_part_check_dest(path, diag);
    if (st != NSM_OK)
        return st;
    nsm_part *p = nsm_part_new(head);
    char *tmp = NULL;
    int fd = p ? make_temp(path, &tmp, diag) : -1;
    if (fd < 0) {
        int err = errno;
        nsm_part_free(p);
        st = !tmp ? nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory")
                  : nsm_diag_error(diag, NSM_ERR_IO, "cannot write %s: %s", path, strerror(err));
        free(tmp);
        return st;
    }
    p->fd = fd;
    p->path = tmp;
    p->temp = 1;
    *out = p;
    return NSM_OK;
}

/* A temporary file's end, fd open on tmp and its bytes synced if ok: closed, renamed over path,
** or removed when anything failed; 1 if it is in place, else 0 with *err the first failure's
** errno. The file is closed before the rename, so that a failed close (NFS reports lost writes
** there) keeps it out of place, but its writer's lock (make_temp) is kept on a duplicate of the
** descriptor, which shares it, until the temporary name is gone. */
static int put_in_place(int fd, const char *tmp, const char *path, int ok, int *err)
{
    int held = dup(fd);
    if (held < 0 && ok) {
        ok = 0;
        *err = errno;
    }
    if (close(fd) != 0 && ok) {
        ok = 0;
        *err = errno;
    }
    if (ok && rename(tmp, path) != 0) {
        ok = 0;
        *err = errno;
    }
    if (!ok)
        unlink(tmp);
    if (held >= 0)
        close(held);
    return ok;
}

/* A part written to its temporary file (nsm_part_create): synced, closed and renamed over path. */
static nsm_status save_file(nsm_part *p, const char *path, nsm_diag *diag)
{
    int ok = p->sealed && p->fd >= 0 && fsync(p->fd) == 0;
    int err = ok || (p->sealed && p->fd >= 0) ? errno : EINVAL; /* EINVAL: not sealed, or saved */
    if (p->fd >= 0)
        ok = put_in_place(p->fd, p->path, path, ok, &err);
    p->fd = -1;
    if (!ok)
        return nsm_diag_error(diag, NSM_ERR_IO, "cannot write %s: %s", path, strerror(err));
    free(p->path);
    p->path = NULL;
    p->temp = 0;
    sync_parent(path); /* best effort: the part is complete either way */
    return NSM_OK;
}

nsm_status nsm_part_save(nsm_part *p, const char *path, nsm_diag *diag)
{
    nsm_status chk = nsm_part_check_dest(path, diag);
    if (chk != NSM_OK)
        return chk;
    if (p->temp) /* nsm_part_create's */
        return save_file(p, path, diag);
    char *tmp = NULL;
    int fd = make_temp(path, &tmp, diag);
    if (!tmp)
        return nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
    int ok = fd >= 0 && write_all(fd, p->buf, p->n) == 0 && fsync(fd) == 0;
    int err = errno;
    if (fd >= 0)
        ok = put_in_place(fd, tmp, path, ok, &err);
    nsm_status st = ok ? NSM_OK
                       : nsm_diag_error(diag, err == ENOMEM ? NSM_ERR_NOMEM : NSM_ERR_IO,
                                        "cannot write %s: %s", path, strerror(err));
    if (ok)
        sync_parent(path); /* best effort: the part is complete either way */
    free(tmp);
    return st;
}

/* --- Reading --- */

static uint64_t get_le(const unsigned char *b, int n)
{
    uint64_t v = 0;
    for (int k = n - 1; k >= 0; k--)
        v = v << 8 | b[k];
    return v;
}

/* The part's file open again, if it was closed since, and still the file whose seal was
** checked (device, inode, size and time of last modification): 0, or -1 with errno (ESTALE:
** changed). */
static int reopen(nsm_part *p)
{
    if (p->fd >= 0)
        return 0;
    int fd = open(p->path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd >= 0 && fstat(fd, &sb) == 0 && sb.st_dev == p->id.st_dev &&
        sb.st_ino == p->id.st_ino && sb.st_size == p->id.st_size &&
        sb.st_mtim.tv_sec == p->id.st_mtim.tv_sec && sb.st_mtim.tv_nsec == p->id.st_mtim.tv_nsec) {
        p->fd = fd;
        return 0;
    }
    int err = fd >= 0 ? ESTALE : errno;
    if (fd >= 0)
        close(fd);
    errno = err;
    return -1;
}

/* n bytes at offset `at` of the part into dst: 0, or -1 with errno. */
static int copy_at(nsm_part *p, size_t at, void *dst, size_t n)
{
    if (!p->path) {
        memcpy(dst, p->buf + at, n);
        return 0;
    }
    return reopen(p) == 0 ? nsm_fd_pread_all(p->fd, dst, n, at) : -1;
}

/* The n bytes at `at`: in memory, or read from the file into buf (valid until the next read).
** NULL with errno. */
static const unsigned char *bytes_at(nsm_part *p, size_t at, size_t n)
{
    if (!p->path)
        return p->buf + at;
    if (n + 1 > p->cap) {
        unsigned char *b = realloc(p->buf, n + 1);
        if (!b) {
            errno = ENOMEM;
            return NULL;
        }
        p->buf = b;
        p->cap = n + 1;
    }
    return copy_at(p, at, p->buf, n) == 0 ? p->buf : NULL;
}

/* A part's file could not be read (errno). */
static nsm_status unreadable(const nsm_part *p, nsm_diag *diag)
{
    int err = errno;
    if (err == ENOMEM)
        return nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory reading %s", p->name);
    return nsm_diag_error(diag, NSM_ERR_IO, "cannot read %s: %s", p->name,
                          err == ESTALE ? "it changed after its seal was checked" : strerror(err));
}

/* A cursor over one section's payload; `bad` is set (and stays) when a read would overrun it,
** `nomem` when a string read could not be copied (the part is then not damaged). The payload is
** in memory at b, or, for an accumulator's section of a part in a file (next_section's
** `stream`), read from the file through a window of it (src's buf, holding payload bytes w0 ..
** w0 + wn): an accumulator's count tables are the bulk of a part (report dates x count values),
** and reading the section whole held them twice more beside the results they are added into
** (two run shards of a 100-year monthly baseline, 65 MB each, merged at 280 MB). `err` is the
** errno of a failed read of the window (then bad is set too). */
typedef struct {
    const unsigned char *b;
    size_t n, pos;
    int bad, nomem;
    nsm_part *src;    /* streaming: the part whose file holds the payload, else NULL */
    size_t at;        /* streaming: the payload's offset in the file */
    size_t w0, wn;
    int err;
} cursor;

enum { WINDOW = 1 << 16 }; /* bytes of a streamed section read at a time */

/* Payload bytes pos .. pos + n in the window, read from the file when they are not; NULL with
** c->err when they cannot be read. */
static const unsigned char *window(cursor *c, size_t n)
{
    nsm_part *p = c->src;
    if (c->pos >= c->w0 && c->pos + n <= c->w0 + c->wn)
        return p->buf + (c->pos - c->w0);
    size_t left = c->n - c->pos, want = left < WINDOW ? left : WINDOW;
    want = want < n ? n : want;
    const unsigned char *b = bytes_at(p, c->at + c->pos, want);
    if (!b) {
        c->err = errno ? errno : EIO;
        return NULL;
    }
    c->w0 = c->pos;
    c->wn = want;
    return b;
}

static const unsigned char *take(cursor *c, uint64_t n)
{
    if (c->bad || n > c->n - c->pos) {
        c->bad = 1;
        return NULL;
    }
    const unsigned char *b = c->src ? window(c, (size_t)n) : c->b + c->pos;
    if (!b) {
        c->bad = 1;
        return NULL;
    }
    c->pos += (size_t)n;
    return b;
}

static uint32_t get_u32(cursor *c)
{
    const unsigned char *b = take(c, 4);
    return b ? (uint32_t)get_le(b, 4) : 0;
}

static uint64_t get_u64(cursor *c)
{
    const unsigned char *b = take(c, 8);
    return b ? get_le(b, 8) : 0;
}

static char *get_str(cursor *c)
{
    uint64_t n = get_u64(c);
    const unsigned char *b = take(c, n);
    char *s = b ? malloc((size_t)n + 1) : NULL;
    if (s) {
        memcpy(s, b, (size_t)n);
        s[n] = 0;
    }
    if (b && !s)
        c->bad = c->nomem = 1;
    return s;
}

/* n little-endian integers added into x, a window's worth at a time (a streamed cursor holds no
** more). */
static void add_i64s(cursor *c, int64_t *x, size_t n)
{
    if (n > (c->n - c->pos) / 8) { /* refused before any is added */
        c->bad = 1;
        return;
    }
    while (n > 0 && !c->bad) {
        size_t k = n < WINDOW / 8 ? n : WINDOW / 8;
        const unsigned char *b = take(c, (uint64_t)k * 8);
        for (size_t i = 0; b && i < k; i++)
            x[i] += (int64_t)get_le(b + 8 * i, 8);
        x += k;
        n -= k;
    }
}

/* n sums of squares written by put_draws, added into sq. */
static void add_u128s(cursor *c, nsmi_u128 *sq, size_t n)
{
    for (size_t k = 0; !c->bad && k < n; k++) {
        uint64_t lo = get_u64(c);
        sq[k] += (nsmi_u128)get_u64(c) << 64 | lo;
    }
}

static nsm_status refuse(const nsm_part *p, nsm_diag *diag, const char *what)
{
    return nsm_diag_error(diag, NSM_ERR_INPUT, "%s: %s", p->name, what);
}

/* A section sealed right that holds what no run can produce (nsmi_accum_check,
** nsmi_paired_check): a writer's bug, or a file made by hand. The results it was added into
** were plausible before it, as sums of plausible parts, so the part is the one to name. */
static nsm_status implausible(const nsm_part *p, nsm_diag *diag, const char *what, const char *why)
{
    return nsm_diag_error(diag, NSM_ERR_INPUT, "%s: damaged: its %s holds counts no run can "
                          "produce (%s)", p->name, what, why);
}

/* After its last section has been read, a part's file is let go (reopen opens it again). */
static void let_go_after_last(nsm_part *p)
{
    if (p->path && p->fd >= 0 && p->pos == p->tail) {
        close(p->fd);
        p->fd = -1;
    }
}

/* The next section, which must have `tag`; its payload in *c: in memory, or with `stream` (a
** part in a file) read through the cursor's window. */
static nsm_status next_section(nsm_part *p, uint32_t tag, const char *what, cursor *c,
                               nsm_diag *diag, int stream)
{
    size_t limit = p->n - SEAL;
    unsigned char hd[SECTION];
    if (p->pos + SECTION > limit)
        return refuse(p, diag, "damaged: a section runs past the end");
    if (copy_at(p, p->pos, hd, SECTION) != 0)
        return unreadable(p, diag);
    uint32_t t = (uint32_t)get_le(hd, 4);
    uint64_t len = get_le(hd + 8, 8);
    if (len > limit - p->pos - SECTION)
        return refuse(p, diag, "damaged: a section runs past the end");
    if (t != tag) {
        nsm_status st = nsm_diag_error(diag, NSM_ERR_INPUT, "%s: expected %s here; it holds other "
                                       "results (written by another command or options?)",
                                       p->name, what);
        return st;
    }
    stream = stream && p->path;
    const unsigned char *b = stream ? NULL : bytes_at(p, p->pos + SECTION, (size_t)len);
    if (!stream && !b)
        return unreadable(p, diag);
    *c = (cursor){b, (size_t)len, 0, 0, 0, stream ? p : NULL, p->pos + SECTION, 0, 0, 0};
    p->pos += SECTION + (size_t)len;
    if (!stream) /* a streamed one still reads the file: its reader lets it go */
        let_go_after_last(p);
    return NSM_OK;
}

static nsm_status read_head(nsm_part *p, nsm_diag *diag)
{
    cursor c;
    nsm_status st = next_section(p, TAG_HEAD, "its head", &c, diag, 0);
    if (st != NSM_OK)
        return st;
    nsm_part_head *h = &p->head;
    h->kind = get_str(&c);
    h->version = get_str(&c);
    h->checksum = get_str(&c);
    h->scenario = get_str(&c);
    h->options = get_str(&c);
    h->seed = get_u64(&c);
    h->shard = get_u32(&c);
    h->n_shards = get_u32(&c);
    h->first = get_u64(&c);
    h->count = get_u64(&c);
    if (c.nomem)
        return nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory reading %s", p->name);
    if (c.bad || c.pos != c.n)
        return refuse(p, diag, "damaged: its head does not have the fields of format "
                      NSM_PART_FORMAT_TEXT);
    if (h->n_shards < 1 || h->shard < 1 || h->shard > h->n_shards)
        return refuse(p, diag, "damaged: its shard number is out of range");
    return NSM_OK;
}

/* Magic, format, byte order, length and seal, in that order (each message says which). */
static nsm_status check_frame(nsm_part *p, nsm_diag *diag)
{
    char msg[160];
    unsigned char start[START] = {0}, md[SEAL], seal[SEAL];
    if (copy_at(p, 0, start, p->n < START ? p->n : START) != 0)
        return unreadable(p, diag);
    if (p->n < 8 || memcmp(start, MAGIC, sizeof MAGIC) != 0)
        return refuse(p, diag, "not a neasim partial result (it does not start with NSMPART)");
    if (p->n < START)
        return refuse(p, diag, "truncated: it ends within its first 24 bytes");
    uint32_t format = (uint32_t)get_le(start + 8, 4);
    if (format != NSM_PART_FORMAT) {
        snprintf(msg, sizeof msg, "partial-result format %u; this neasim reads format %d only: "
                 "merge with the neasim that wrote it", format, NSM_PART_FORMAT);
        return refuse(p, diag, msg);
    }
    if ((uint32_t)get_le(start + 12, 4) != BYTE_ORDER_MARK)
        return refuse(p, diag, "damaged: its byte-order mark is not 04 03 02 01");
    uint64_t total = get_le(start + 16, 8);
    if (total != p->n) {
        snprintf(msg, sizeof msg, "%s: %zu bytes where its header says %llu",
                 total > p->n ? "truncated" : "damaged (bytes added after its end)", p->n,
                 (unsigned long long)total);
        return refuse(p, diag, msg);
    }
    if (p->n < START + SEAL)
        return refuse(p, diag, "truncated: it has no seal");
    int rc = p->path ? (reopen(p) == 0 ? sha256_file(p->fd, p->n - SEAL, md) : -1)
                     : sha256(p->buf, p->n - SEAL, md);
    if (rc != 0 && !p->path)
        errno = ENOMEM; /* the digest's own failure */
    if (rc != 0 || copy_at(p, p->n - SEAL, seal, SEAL) != 0)
        return unreadable(p, diag);
    if (memcmp(md, seal, SEAL) != 0)
        return refuse(p, diag, "damaged: its SHA-256 does not match its contents");
    return NSM_OK;
}

/* Walk the sections after the head to the end: every length must fit, and the last two must be
** EVNT (its count of events, kept) and an empty END that ends where the seal starts. Checked at
** open, so that the count is known before any result is read and a reader stops at EVNT. */
static nsm_status read_tail(nsm_part *p, nsm_diag *diag)
{
    const size_t limit = p->n - SEAL;
    size_t pos = p->pos, prev = 0;
    int found = 0;
    unsigned char hd[SECTION], prev_hd[SECTION] = {0}, events[8];
    while (pos + SECTION <= limit) {
        if (copy_at(p, pos, hd, SECTION) != 0)
            return unreadable(p, diag);
        uint32_t t = (uint32_t)get_le(hd, 4);
        uint64_t len = get_le(hd + 8, 8);
        if (len > limit - pos - SECTION)
            return refuse(p, diag, "damaged: a section runs past the end");
        if (t == TAG_END) {
            found = pos + SECTION + len == limit && len == 0;
            break;
        }
        prev = pos;
        memcpy(prev_hd, hd, SECTION);
        pos += SECTION + (size_t)len;
    }
    if (!found)
        return refuse(p, diag, "damaged: it does not end with its END section before the seal");
    if (prev < p->pos || (uint32_t)get_le(prev_hd, 4) != TAG_EVENTS || get_le(prev_hd + 8, 8) != 8)
        return refuse(p, diag, "damaged: it has no count of events (an EVNT section) before its "
                      "end");
    if (copy_at(p, prev + SECTION, events, 8) != 0)
        return unreadable(p, diag);
    p->tail = prev;
    p->events = get_le(events, 8);
    return NSM_OK;
}

static nsm_status frame_and_head(nsm_part *p, nsm_part **out, nsm_diag *diag);

nsm_status nsm_part_open(const void *bytes, size_t n, const char *name, nsm_part **out,
                         nsm_diag *diag)
{
    nsm_part *p = calloc(1, sizeof *p);
    *out = NULL;
    if (p) {
        p->fd = -1;
        p->name = strdup(name);
        p->buf = malloc(n + 1);
    }
    if (!p || !p->name || !p->buf) {
        nsm_part_free(p);
        return nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory reading %s", name);
    }
    memcpy(p->buf, bytes, n);
    p->n = p->cap = n;
    return frame_and_head(p, out, diag);
}

/* Check what nsm_part_open and nsm_part_load check; p is freed when it is refused. */
static nsm_status frame_and_head(nsm_part *p, nsm_part **out, nsm_diag *diag)
{
    p->pos = START;
    nsm_status st = check_frame(p, diag);
    if (st == NSM_OK)
        st = read_head(p, diag);
    if (st == NSM_OK)
        st = read_tail(p, diag);
    if (st != NSM_OK) {
        nsm_part_free(p);
        return st;
    }
    p->sealed = 1;
    *out = p;
    return NSM_OK;
}

nsm_status nsm_part_load(const char *path, nsm_part **out, nsm_diag *diag)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        int err = errno;
        if (fd >= 0)
            close(fd);
        return nsm_diag_error(diag, NSM_ERR_IO, "cannot read %s: %s", path, strerror(err));
    }
    if (S_ISDIR(sb.st_mode)) {
        close(fd);
        return nsm_diag_error(diag, NSM_ERR_INPUT,
                              "%s is a folder, not a part: a part is the file that --shard I/N "
                              "--out PART writes (a results folder is already merged)", path);
    }
    nsm_part *p = calloc(1, sizeof *p);
    if (p) {
        p->fd = fd;
        p->name = strdup(path);
        p->path = strdup(path);
    }
    if (!p || !p->name || !p->path) {
        if (p)
            nsm_part_free(p);
        else
            close(fd);
        return nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory reading %s", path);
    }
    p->id = sb;
    p->n = (size_t)sb.st_size;
    nsm_status st = frame_and_head(p, out, diag);
    if (st == NSM_OK) { /* read again section by section; closed meanwhile, so that a merge of
                        ** many parts does not hold a file open for each */
        close(p->fd);
        p->fd = -1;
    }
    return st;
}

const nsm_part_head *nsm_part_head_of(const nsm_part *p)
{
    return &p->head;
}

const char *nsm_part_name(const nsm_part *p)
{
    return p->name;
}

int nsm_part_at_end(const nsm_part *p)
{
    return p->pos == p->tail;
}

uint64_t nsm_part_events(const nsm_part *p)
{
    return p->events;
}

static nsm_status shape_differs(const nsm_part *p, nsm_diag *diag)
{
    return refuse(p, diag, "its accumulators have another shape than the scenario's (another "
                  "scenario?)");
}

/* A count table of the section added into t (grown to its rows if need be). 0, -1 damaged, -2
** out of memory. */
static int add_table(cursor *c, nsmi_count_table *t, int cols)
{
    int64_t max_seen = (int64_t)get_u64(c);
    /* max_seen + 1 rows, counted without adding 1 to a number that may be INT64_MAX (fuzz_part) */
    if (c->bad || max_seen < -1 ||
        (max_seen >= 0 && (uint64_t)max_seen >= (c->n - c->pos) / 8 / (size_t)cols))
        return -1;
    if (max_seen < 0)
        return 0;
    if (nsmi_accum_table_reserve(t, max_seen, cols))
        return -2;
    add_i64s(c, t->cells, (size_t)(max_seen + 1) * (size_t)cols);
    if (max_seen > t->max_seen)
        t->max_seen = max_seen;
    return 0;
}

/* Decoded straight into `into`, a window at a time for a part in a file, where it was decoded
** into an accumulator of its own and added (nsm_accum_merge): the section, that accumulator and
** the results were three copies of the count tables (next_section). A section found damaged
** half-way leaves `into` with part of it: every caller then gives up (merge writes nothing). */
nsm_status nsm_part_read_accum(nsm_part *p, nsm_accum *into, nsm_diag *diag)
{
    const nsm_model *m = into->m;
    cursor c;
    nsm_status st = next_section(p, TAG_ACCUM, "an accumulator", &c, diag, 1);
    if (st != NSM_OK)
        return st;
    if (get_u32(&c) != (uint32_t)m->n_levels_total || get_u32(&c) != (uint32_t)m->n_outcomes ||
        get_u32(&c) != (uint32_t)m->n_events || get_u32(&c) != (uint32_t)into->cols) {
        let_go_after_last(p);
        return c.err ? (errno = c.err, unreadable(p, diag)) : shape_differs(p, diag);
    }
    const size_t cols = (size_t)into->cols;
    uint64_t runs = get_u64(&c);
    add_i64s(&c, into->occupancy, (size_t)m->n_levels_total * cols);
    add_i64s(&c, into->held, (size_t)m->n_outcomes * cols);
    add_i64s(&c, into->first, (size_t)m->n_outcomes * cols);
    int rc = 0;
    for (int e = 0; rc == 0 && e < m->n_events; e++) {
        rc = add_table(&c, &into->period[e], into->cols);
        rc = rc ? rc : add_table(&c, &into->yearly[e], into->ycols);
        rc = rc ? rc : add_table(&c, &into->cumul[e], into->cols);
    }
    uint64_t draws = get_u64(&c);
    size_t n_sq = draws ? nsmi_accum_series_rows(m) * cols : 0;
    if (rc == 0 && n_sq && (c.n - c.pos) / 16 < n_sq)
        rc = -1;
    else if (rc == 0 && n_sq && !into->sq && !(into->sq = calloc(n_sq + 1, sizeof *into->sq)))
        rc = -2; /* as accum.c's sq_reserve allocates them */
    if (rc == 0 && n_sq)
        add_u128s(&c, into->sq, n_sq);
    let_go_after_last(p);
    if (rc == -2 || c.err == ENOMEM)
        return nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory reading %s", p->name);
    if (c.err) {
        errno = c.err;
        return unreadable(p, diag);
    }
    if (rc == -1 || c.bad || c.pos != c.n)
        return refuse(p, diag, "damaged: an accumulator does not have the length it states");
    if (__builtin_add_overflow(into->runs, runs, &into->runs) ||
        __builtin_add_overflow(into->draws, draws, &into->draws))
        into->runs = UINT64_MAX; /* implausible */
    /* `into` was plausible before this part (the sum of plausible parts, or empty), so a count
    ** that is not now was this part's */
    const char *why = NULL;
    int bad = nsmi_accum_check(into, &why);
    if (bad < 0)
        return nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory reading %s", p->name);
    return bad ? implausible(p, diag, "accumulator", why) : NSM_OK;
}

nsm_status nsm_part_read_paired(nsm_part *p, nsm_paired *into, const nsm_accum *base,
                                const nsm_accum *arm, nsm_diag *diag)
{
    const nsm_model *m = into->m;
    cursor c;
    nsm_status st = next_section(p, TAG_PAIRED, "a paired accumulator", &c, diag, 0);
    if (st != NSM_OK)
        return st;
    if (get_u32(&c) != (uint32_t)m->n_outcomes || get_u32(&c) != (uint32_t)m->n_events ||
        get_u32(&c) != (uint32_t)into->cols || get_u32(&c) != 0)
        return shape_differs(p, diag);
    const size_t cols = (size_t)into->cols;
    const size_t counts = (2 * (size_t)m->n_outcomes + (size_t)m->n_events) * cols * 8;
    const size_t n_sq = nsmi_paired_series_rows(m) * cols;
    uint64_t draws = c.n - c.pos >= counts + 8 ? get_le(c.b + c.pos + counts, 8) : 0;
    if (c.n - c.pos != counts + 8 + (draws ? n_sq * 16 : 0))
        return refuse(p, diag, "damaged: a paired accumulator does not have the length it states");
    nsm_paired *q = nsm_paired_alloc(m);
    if (!q || (draws && !(q->sq = calloc(n_sq, sizeof *q->sq)))) {
        nsm_paired_free(q);
        return nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory reading %s", p->name);
    }
    add_i64s(&c, q->both_held, (size_t)m->n_outcomes * cols);
    add_i64s(&c, q->both_first, (size_t)m->n_outcomes * cols);
    add_i64s(&c, q->d2, (size_t)m->n_events * cols);
    q->draws = get_u64(&c);
    if (draws)
        add_u128s(&c, q->sq, n_sq); /* into zeros */
    st = nsm_paired_merge(into, q) == NSM_OK
             ? NSM_OK
             : nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory merging %s", p->name);
    nsm_paired_free(q);
    const char *why = NULL;
    if (st == NSM_OK && nsmi_paired_check(into, &why))
        return implausible(p, diag, "paired accumulator", why);
    if (st != NSM_OK || !base || !arm)
        return st;
    int64_t *x = malloc(3 * cols * sizeof *x);
    if (!x)
        return nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory reading %s", p->name);
    why = nsmi_paired_fits(into, base, arm, x);
    free(x);
    return why ? implausible(p, diag, "paired accumulator", why) : NSM_OK;
}

nsm_status nsm_part_read_rivals(nsm_part *p, nsm_rivals *into, const nsm_accum *const *acc,
                                nsm_diag *diag)
{
    cursor c;
    nsm_status st = next_section(p, TAG_RIVALS, "every two arms at the briefing's horizons", &c,
                                 diag, 0);
    if (st != NSM_OK)
        return st;
    if (get_u32(&c) != (uint32_t)into->n_arms || get_u32(&c) != (uint32_t)into->m->n_outcomes)
        return shape_differs(p, diag);
    int same = get_u32(&c) == (uint32_t)into->n_h && get_u32(&c) == 0;
    for (int h = 0; same && h < into->n_h; h++)
        same = get_u32(&c) == (uint32_t)into->idx[h];
    if (!same)
        return refuse(p, diag, "its briefing horizons are not this command's (give the same "
                      "--horizons as the shards were run with)");
    size_t n = nsmi_rivals_cells(into);
    const char *cut = "damaged: its table of every two arms does not have the length it states";
    if (c.n - c.pos != n * 8)
        return refuse(p, diag, cut);
    add_i64s(&c, into->both, n);
    if (c.bad)
        return refuse(p, diag, cut);
    const char *why = nsmi_rivals_fits(into, acc);
    return why ? implausible(p, diag, "table of every two arms", why) : NSM_OK;
}

/* Does the section's shape (put_story_shape) match the accumulator a? */
static int story_shape_fits(cursor *c, const nsm_story *a)
{
    const nsm_story_options *o = &a->opt;
    int fits = get_u32(c) == (uint32_t)a->m->n_outcomes && get_u32(c) == (uint32_t)a->n_ind &&
               get_u32(c) == (uint32_t)a->m->n_reports &&
               get_u32(c) == (uint32_t)((o->routes ? 1 : 0) | (o->signposts ? 2 : 0)) &&
               get_u32(c) == (uint32_t)o->n_watch;
    for (int w = 0; fits && w < o->n_watch; w++)
        fits = get_u32(c) == (uint32_t)lround(12.0 * o->watch_years[w]);
    return fits && !c->bad;
}

/* One route (put_route) of outcome o into a, its onsets added to *total. 0, -1 damaged, -2 out
** of memory. */
static int get_route(cursor *c, nsm_story *a, int o, int64_t *total)
{
    const nsm_model *m = a->m;
    nsmi_route_entry key = {0, 0, {0}, 0, {0}, NULL};
    uint32_t n_steps = get_u32(c), truncated = get_u32(c);
    if (c->bad || n_steps > NSM_ROUTE_STEPS || truncated > 1)
        return -1;
    key.n_steps = (int)n_steps;
    key.truncated = (int)truncated;
    for (uint32_t s = 0; s < n_steps; s++) {
        uint32_t level = get_u32(c);
        if (level >= (uint32_t)m->n_levels_total)
            return -1;
        key.step[s] = (int)level;
    }
    int64_t onsets = (int64_t)get_u64(c), sum = 0;
    uint32_t n = get_u32(c);
    for (uint32_t k = 0; !c->bad && k < n; k++) {
        uint32_t i = get_u32(c);
        int64_t count = (int64_t)get_u64(c);
        if (c->bad || i >= (uint32_t)m->n_reports || count <= 0 || count > onsets - sum)
            return -1;
        if (nsmi_story_add_route(a, o, &key, (int)i, count))
            return -2;
        sum += count;
    }
    *total += sum;
    return c->bad || n == 0 || sum != onsets ? -1 : 0;
}

static void get_counts(cursor *c, nsm_story_counts *x, size_t n)
{
    for (size_t k = 0; !c->bad && k < n; k++) {
        x[k].runs = (int64_t)get_u64(c);
        x[k].onsets = (int64_t)get_u64(c);
    }
}

/* 0 <= part <= whole, for counts of replications read from a part. */
static int within(int64_t part, int64_t whole)
{
    return part >= 0 && part <= whole;
}

/* Do the signpost counts of a (one part's, just read) hold together as add_signposts (story_rec.c)
** makes them? Replications with no onset by watch date w are among all; those in which an
** indicator fired by w are among them and among the replications in which it fired at all; the
** onsets after w of each are among its replications, and an indicator's among its outcome's. */
static int signposts_hold(const nsm_story *a)
{
    size_t O = (size_t)a->m->n_outcomes, W = (size_t)a->opt.n_watch, J = (size_t)a->n_ind;
    int64_t runs = (int64_t)a->runs;
    for (size_t w = 0; w < W; w++)
        for (size_t j = 0; j < J; j++)
            if (!within(a->fired[w * J + j], runs))
                return 0;
    for (size_t o = 0; o < O; o++)
        for (size_t w = 0; w < W; w++) {
            const nsm_story_counts *x = &a->watch[o * W + w], *sg = &a->sign[(o * W + w) * J];
            if (!within(x->runs, runs) || !within(x->onsets, x->runs))
                return 0;
            for (size_t j = 0; j < J; j++)
                if (!within(sg[j].runs, x->runs) || !within(sg[j].runs, a->fired[w * J + j]) ||
                    !within(sg[j].onsets, sg[j].runs) || !within(sg[j].onsets, x->onsets))
                    return 0;
        }
    return 1;
}

/* The section's counts into a, fresh. 0, -1 damaged (or counts that cannot come from a run: a
** forged or corrupted part that a correct seal still covers), -2 out of memory. */
static int get_story(cursor *c, nsm_story *a)
{
    const nsm_model *m = a->m;
    size_t O = (size_t)m->n_outcomes, W = (size_t)a->opt.n_watch, J = (size_t)a->n_ind;
    a->runs = get_u64(c);
    add_i64s(c, a->onsets, O);
    if (a->runs > INT64_MAX)
        return -1;
    int rc = 0;
    for (int o = 0; o < m->n_outcomes; o++)
        if (!within(a->onsets[o], (int64_t)a->runs)) /* an outcome's onset: once a replication */
            return -1;
    for (int o = 0; rc == 0 && a->routes && o < m->n_outcomes; o++) {
        uint64_t n = get_u64(c);
        int64_t total = 0;
        if (c->bad || n > (c->n - c->pos) / 20) /* a route takes 20 bytes at least */
            return -1;
        for (uint64_t k = 0; rc == 0 && k < n; k++)
            rc = get_route(c, a, o, &total);
        if (rc == 0 && total != a->onsets[o]) /* every onset is on one route */
            return -1;
    }
    if (rc == 0 && a->watch) {
        get_counts(c, a->watch, O * W);
        get_counts(c, a->sign, O * W * J);
        add_i64s(c, a->fired, W * J);
        for (size_t k = 0; !c->bad && k < W * J; k++)
            a->print[k] += get_u64(c); /* any value a sum of hashes can be: nothing to check */
        if (!c->bad && !signposts_hold(a))
            return -1;
    }
    return rc ? rc : c->bad || c->pos != c->n ? -1 : 0;
}

nsm_status nsm_part_read_story(nsm_part *p, nsm_story *into, nsm_diag *diag)
{
    cursor c;
    nsm_status st = next_section(p, TAG_STORY, "routes and signposts", &c, diag, 0);
    if (st != NSM_OK)
        return st;
    if (!story_shape_fits(&c, into))
        return refuse(p, diag, "its routes and signposts were recorded for another scenario or "
                      "with other --routes, --signposts or --watch");
    nsm_story *a = nsm_story_alloc_like(into);
    int rc = a ? get_story(&c, a) : -2;
    if (rc == -2)
        st = nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory reading %s", p->name);
    else if (rc == -1)
        st = refuse(p, diag, "damaged: its routes and signposts do not have the length or the "
                    "counts they state");
    else if (nsm_story_merge(into, a) != NSM_OK)
        st = nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory merging %s", p->name);
    nsm_story_free(a);
    return st;
}

nsm_status nsm_part_read_reals(nsm_part *p, double *x, uint64_t n, nsm_diag *diag)
{
    cursor c;
    nsm_status st = next_section(p, TAG_REALS, "per-draw results", &c, diag, 0);
    if (st != NSM_OK)
        return st;
    if (get_u64(&c) != n || c.n - c.pos != n * 8)
        return refuse(p, diag, "its per-draw results do not have the size its slice needs");
    for (uint64_t k = 0; k < n; k++) {
        uint64_t bits = get_u64(&c);
        memcpy(&x[k], &bits, sizeof bits);
    }
    return NSM_OK;
}

nsm_status nsm_part_read_bytes(nsm_part *p, const void **bytes, uint64_t *n, nsm_diag *diag)
{
    cursor c;
    nsm_status st = next_section(p, TAG_BYTES, "a block of bytes", &c, diag, 0);
    if (st != NSM_OK)
        return st;
    *bytes = c.b;
    *n = c.n;
    return NSM_OK;
}
