/*
** points_file.c: durable point files and their seal (see points_file.h).
**
** Why a seal: a sweep may be killed, or the machine lose power, at any byte. A rename after fsync
** makes each file appear whole or not at all on a journalling file system, but a file can still be
** damaged later, or be half-written on a file system that reorders metadata and data. So --resume
** trusts nothing it has not checked: the .counts file records the .csv's length and SHA-256, and
** its own SHA-256 covers that record. A point whose files do not match is deleted and run again.
*/
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "neasim/outdir.h"
#include "neasim/partial.h"
#include "neasim/sweep.h"
#include "sweep/points_file.h"

enum { HEX = 2 * 32 + 1, COUNTS_MAX = 1 << 24 };

char *nsmi_points_dir(const char *work, nsm_diag *diag)
{
    char *dir = nsm_path_join(work, "points");
    if (!dir || (mkdir(dir, 0777) != 0 && errno != EEXIST)) {
        nsm_diag_error(diag, NSM_ERR_IO, "cannot create %s: %s", dir ? dir : work, strerror(errno));
        free(dir);
        return NULL;
    }
    return dir;
}

char *nsmi_point_path(const char *work, size_t p, const char *ext)
{
    char name[64];
    snprintf(name, sizeof name, "points/%08zu.%s", p + 1, ext);
    return nsm_path_join(work, name);
}

static void to_hex(const unsigned char *md, unsigned int n, char hex[HEX])
{
    for (unsigned int i = 0; i < n && i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

/* SHA-256 of n bytes, in hex. 0, or -1. */
static int digest_bytes(const void *bytes, size_t n, char hex[HEX])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!EVP_Digest(bytes, n, md, &len, EVP_sha256(), NULL))
        return -1;
    to_hex(md, len, hex);
    return 0;
}

/* Length and SHA-256 of a file. 0, or -1 (with errno when the file cannot be read). */
static int digest_file(const char *path, long long *size, char hex[HEX])
{
    FILE *f = fopen(path, "rb");
    EVP_MD_CTX *ctx = f ? EVP_MD_CTX_new() : NULL;
    int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    char buf[65536];
    size_t n;
    *size = 0;
    while (ok && (n = fread(buf, 1, sizeof buf, f)) > 0) {
        ok = EVP_DigestUpdate(ctx, buf, n);
        *size += (long long)n;
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    ok = ok && !ferror(f) && EVP_DigestFinal_ex(ctx, md, &len);
    if (ok)
        to_hex(md, len, hex);
    EVP_MD_CTX_free(ctx);
    if (f)
        fclose(f);
    return ok ? 0 : -1;
}

/* fsync a file or folder by name. */
static int sync_path(const char *path, int flags)
{
    int fd = open(path, O_RDONLY | flags);
    if (fd < 0)
        return -1;
    int r = fsync(fd);
    int err = errno;
    close(fd);
    errno = err;
    return r;
}

/* The counts, the record of the .csv, and the seal over both: a new string of *len bytes. */
static char *sealed(const char *counts, size_t n, long long csv_size, const char *csv_hex,
                    size_t *len)
{
    char *body = NULL, *all = NULL, hex[HEX];
    int b = asprintf(&body, "%.*scsv %lld %s\n", (int)n, counts, csv_size, csv_hex);
    if (b < 0)
        return NULL;
    int a = digest_bytes(body, (size_t)b, hex) == 0 ? asprintf(&all, "%ssum %s\n", body, hex) : -1;
    free(body);
    *len = a < 0 ? 0 : (size_t)a;
    return a < 0 ? NULL : all;
}

static int write_file(const char *path, const char *bytes, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    int bad = fwrite(bytes, 1, n, f) != n;
    int err = errno;
    if (fclose(f) != 0)
        return -1;
    errno = err;
    return bad ? -1 : 0;
}

nsm_status nsmi_point_seal(const char *work, size_t p, const char *counts, size_t n, nsm_diag *diag)
{
    char *tcsv = nsmi_point_path(work, p, "csv.tmp"), *tcnt = nsmi_point_path(work, p, "counts.tmp");
    char *text = NULL, hex[HEX];
    long long size = 0;
    size_t len = 0;
    nsm_status st = tcsv && tcnt ? NSM_OK : NSM_ERR_NOMEM;
    if (st == NSM_OK && digest_file(tcsv, &size, hex) != 0)
        st = nsm_diag_error(diag, NSM_ERR_IO, "cannot read %s: %s", tcsv, strerror(errno));
    if (st == NSM_OK && !(text = sealed(counts, n, size, hex, &len)))
        st = NSM_ERR_NOMEM;
    if (st == NSM_OK && write_file(tcnt, text, len) != 0)
        st = nsm_diag_error(diag, NSM_ERR_IO, "cannot write %s: %s", tcnt, strerror(errno));
    if (st == NSM_ERR_NOMEM)
        nsm_diag_error(diag, st, "out of memory");
    free(text);
    free(tcsv);
    free(tcnt);
    return st;
}

/* ---- batches ---- */

enum { BATCH_MAX = 256 };
static const double BATCH_SECONDS = 1.0;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* fsync every temporary file of the batch. */
static nsm_status sync_each(const nsm_point_batch *b, const char *work, nsm_diag *diag)
{
    for (size_t i = 0; i < 2 * b->n; i++) {
        char *path = nsmi_point_path(work, b->p[i / 2], i % 2 ? "counts.tmp" : "csv.tmp");
        if (!path)
            return nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
        int bad = sync_path(path, 0) != 0;
        nsm_status st = bad ? nsm_diag_error(diag, NSM_ERR_IO, "cannot write %s: %s", path,
                                             strerror(errno))
                            : NSM_OK;
        free(path);
        if (st != NSM_OK)
            return st;
    }
    return NSM_OK;
}

/* Every temporary file of the batch on the disk: one syncfs of the file system (one device
** flush for the batch), or, where that fails, an fsync per file. */
static nsm_status sync_batch(const nsm_point_batch *b, const char *work, nsm_diag *diag)
{
    char *dir = nsm_path_join(work, "points");
    int fd = dir ? open(dir, O_RDONLY | O_DIRECTORY) : -1;
    int ok = fd >= 0 && syncfs(fd) == 0;
    if (fd >= 0)
        close(fd);
    free(dir);
    return ok ? NSM_OK : sync_each(b, work, diag);
}

static nsm_status rename_point(const char *work, size_t p, nsm_diag *diag)
{
    static const char *const ext[2][2] = {{"csv.tmp", "csv"}, {"counts.tmp", "counts"}};
    nsm_status st = NSM_OK;
    for (int k = 0; st == NSM_OK && k < 2; k++) { /* the .counts last: it marks the point done */
        char *from = nsmi_point_path(work, p, ext[k][0]), *to = nsmi_point_path(work, p, ext[k][1]);
        if (!from || !to)
            st = nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
        else if (rename(from, to) != 0)
            st = nsm_diag_error(diag, NSM_ERR_IO, "cannot rename %s: %s", from, strerror(errno));
        free(from);
        free(to);
    }
    return st;
}

nsm_status nsmi_point_batch_commit(nsm_point_batch *b, const char *work, nsm_diag *diag)
{
    if (b->n == 0)
        return NSM_OK;
    nsm_status st = sync_batch(b, work, diag);
    for (size_t i = 0; st == NSM_OK && i < b->n; i++)
        st = rename_point(work, b->p[i], diag);
    char *dir = nsm_path_join(work, "points");
    if (st == NSM_OK && (!dir || sync_path(dir, O_DIRECTORY) != 0))
        st = nsm_diag_error(diag, NSM_ERR_IO, "cannot write %s: %s", dir ? dir : work,
                            strerror(errno));
    free(dir);
    b->n = 0;
    return st;
}

nsm_status nsmi_point_batch_add(nsm_point_batch *b, const char *work, size_t p, nsm_diag *diag)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 16;
        size_t *q = realloc(b->p, cap * sizeof *q);
        if (!q)
            return nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
        b->p = q;
        b->cap = cap;
    }
    if (b->n == 0)
        b->since = now();
    b->p[b->n++] = p;
    if (b->n >= BATCH_MAX || now() - b->since >= BATCH_SECONDS)
        return nsmi_point_batch_commit(b, work, diag);
    return NSM_OK;
}

void nsmi_point_batch_release(nsm_point_batch *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

/* The whole of a small file, NUL-terminated: a new string, or NULL (missing, unreadable, or too
** large to be a .counts file), with errno ENOMEM when memory ran out and only then. */
static char *read_small(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    int nomem = !f && errno == ENOMEM;
    struct stat st;
    int ok = f && fstat(fileno(f), &st) == 0 && st.st_size >= 0 && st.st_size <= COUNTS_MAX;
    char *buf = ok ? malloc((size_t)st.st_size + 1) : NULL;
    nomem |= ok && !buf;
    *n = buf ? fread(buf, 1, (size_t)st.st_size, f) : 0;
    ok = buf && !ferror(f) && *n == (size_t)st.st_size;
    if (f)
        fclose(f);
    if (!ok) {
        free(buf);
        errno = nomem ? ENOMEM : EIO;
        return NULL;
    }
    buf[*n] = '\0';
    return buf;
}

/* The start of the line before offset `end` (which follows a '\n'), or -1. */
static long line_before(const char *s, size_t end)
{
    if (end == 0 || s[end - 1] != '\n')
        return -1;
    size_t i = end - 1;
    while (i > 0 && s[i - 1] != '\n')
        i--;
    return (long)i;
}

/* Does the sealed .counts text match itself and the .csv? */
static const char *seal_problem(const char *text, size_t n, const char *csv_path)
{
    long sum = line_before(text, n), rec = sum > 0 ? line_before(text, (size_t)sum) : -1;
    char want[HEX] = "", got[HEX] = "", csv_hex[HEX] = "";
    long long size = -1, csv_size = -2;
    if (rec < 0 || sscanf(text + sum, "sum %64[0-9a-f]", want) != 1 ||
        digest_bytes(text, (size_t)sum, got) != 0 || strcmp(want, got) != 0)
        return "its .counts file is truncated, changed or unsealed";
    if (sscanf(text + rec, "csv %lld %64[0-9a-f]", &csv_size, csv_hex) != 2)
        return "its .counts file has no record of the .csv";
    long ev = rec > 0 ? line_before(text, (size_t)rec) : -1;
    unsigned long long events;
    if (ev < 0 || sscanf(text + ev, "events %llu", &events) != 1)
        return "its .counts file has no count of events (written by an older neasim)";
    if (digest_file(csv_path, &size, got) != 0)
        return "its .csv file is missing or unreadable";
    if (size != csv_size)
        return "its .csv file is truncated or extended";
    return strcmp(got, csv_hex) == 0 ? NULL : "its .csv file is changed";
}

nsm_point_state nsmi_point_check(const char *work, size_t p, const char **why)
{
    char *csv = nsmi_point_path(work, p, "csv"), *cnt = nsmi_point_path(work, p, "counts");
    size_t n = 0;
    char *text = cnt ? read_small(cnt, &n) : NULL;
    struct stat st;
    const char *problem = NULL;
    nsm_point_state s = NSM_POINT_DONE;
    if (!csv || !cnt || (!text && errno == ENOMEM))
        s = NSM_POINT_NOMEM;
    else if (!text && stat(cnt, &st) != 0 && stat(csv, &st) != 0)
        s = NSM_POINT_MISSING;
    else if (!text)
        problem = stat(cnt, &st) == 0 ? "its .counts file is unreadable or too large"
                                      : "its .counts file is missing";
    else
        problem = seal_problem(text, n, csv);
    if (problem) {
        unlink(cnt); /* the .counts first: it is what marks a point done */
        unlink(csv);
        s = NSM_POINT_DAMAGED;
    }
    if (why)
        *why = problem;
    free(text);
    free(csv);
    free(cnt);
    return s;
}

/* Point p must be done (the sweep has run it): NSM_OK, or why it cannot be read. */
static nsm_status point_must_be_done(const char *work, size_t p, nsm_diag *diag)
{
    const char *why = NULL;
    nsm_point_state state = nsmi_point_check(work, p, &why);
    if (state == NSM_POINT_NOMEM)
        return nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory reading point %zu in %s", p + 1,
                              work);
    if (state != NSM_POINT_DONE)
        return nsm_diag_error(diag, NSM_ERR_IO, "point %zu in %s is not done%s%s", p + 1, work,
                              why ? ": " : "", why ? why : "");
    return NSM_OK;
}

/* The events of point p, from its verified .counts file. */
static nsm_status point_events(const char *work, size_t p, uint64_t *events, nsm_diag *diag)
{
    nsm_status done = point_must_be_done(work, p, diag);
    if (done != NSM_OK)
        return done;
    char *cnt = nsmi_point_path(work, p, "counts");
    size_t n = 0;
    char *text = cnt ? read_small(cnt, &n) : NULL;
    if (!cnt || (!text && errno == ENOMEM)) {
        free(cnt);
        return nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory reading point %zu in %s",
                              p + 1, work);
    }
    long sum = text ? line_before(text, n) : -1;
    long rec = sum > 0 ? line_before(text, (size_t)sum) : -1;
    long ev = rec > 0 ? line_before(text, (size_t)rec) : -1;
    unsigned long long v = 0;
    nsm_status st = ev >= 0 && sscanf(text + ev, "events %llu", &v) == 1
                        ? NSM_OK
                        : nsm_diag_error(diag, NSM_ERR_IO, "cannot read %s", cnt ? cnt : work);
    *events = v;
    free(text);
    free(cnt);
    return st;
}

nsm_status nsm_sweep_events(const char *work, size_t n_points, size_t offset, size_t stride,
                            uint64_t *events, nsm_diag *diag)
{
    nsm_status st = NSM_OK;
    *events = 0;
    for (size_t p = offset; st == NSM_OK && p < n_points; p += stride ? stride : 1) {
        uint64_t e = 0;
        st = point_events(work, p, &e, diag);
        *events += e;
    }
    return st;
}

/* A point file's name: 8 digits, then .csv or .counts, maybe with .tmp. */
static int is_point_file(const char *name)
{
    size_t i = 0;
    while (i < 8 && name[i] >= '0' && name[i] <= '9')
        i++;
    const char *ext = name + i;
    return i == 8 && (strcmp(ext, ".csv") == 0 || strcmp(ext, ".counts") == 0 ||
                      strcmp(ext, ".csv.tmp") == 0 || strcmp(ext, ".counts.tmp") == 0);
}

nsm_status nsm_sweep_remove_points(const char *folder, nsm_diag *diag)
{
    char *dir = nsm_path_join(folder, "points");
    DIR *dp = dir ? opendir(dir) : NULL;
    nsm_status st = dir ? NSM_OK : NSM_ERR_NOMEM;
    if (dir && !dp && errno != ENOENT)
        st = nsm_diag_error(diag, NSM_ERR_IO, "cannot read %s: %s", dir, strerror(errno));
    int others = 0;
    for (struct dirent *e; st == NSM_OK && dp && (e = readdir(dp));) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (!is_point_file(e->d_name)) {
            others++;
            continue;
        }
        char *path = nsm_path_join(dir, e->d_name);
        if (!path)
            st = NSM_ERR_NOMEM;
        else if (unlink(path) != 0 && errno != ENOENT)
            st = nsm_diag_error(diag, NSM_ERR_IO, "cannot delete %s: %s", path, strerror(errno));
        free(path);
    }
    if (dp)
        closedir(dp);
    if (st == NSM_OK && dp && others)
        nsm_diag_warn(diag, dir, 0, 0, "kept: it holds %d file%s that neasim did not write", others,
                      others == 1 ? "" : "s");
    else if (st == NSM_OK && dp && rmdir(dir) != 0)
        st = nsm_diag_error(diag, NSM_ERR_IO, "cannot delete %s: %s", dir, strerror(errno));
    if (st == NSM_ERR_NOMEM)
        nsm_diag_error(diag, st, "out of memory");
    free(dir);
    return st;
}

/* ---- points in a partial result (sweep --shard, neasim merge) ---- */

static void put_le64(unsigned char *b, uint64_t v)
{
    for (int k = 0; k < 8; k++)
        b[k] = (unsigned char)(v >> (8 * k));
}

static uint64_t get_le64(const unsigned char *b)
{
    uint64_t v = 0;
    for (int k = 7; k >= 0; k--)
        v = v << 8 | b[k];
    return v;
}

/* Point p as one block: u64 p, u64 length and bytes of its .csv, then of its .counts. */
static nsm_status pack_point(const char *work, size_t p, nsm_part *part, nsm_diag *diag)
{
    char *csv = nsmi_point_path(work, p, "csv"), *cnt = nsmi_point_path(work, p, "counts");
    size_t nc = 0, nn = 0;
    char *a = csv ? read_small(csv, &nc) : NULL;
    int nomem = csv && !a && errno == ENOMEM; /* read_small says which */
    char *b = cnt ? read_small(cnt, &nn) : NULL;
    nomem |= cnt && !b && errno == ENOMEM;
    unsigned char *block = a && b ? malloc(24 + nc + nn) : NULL;
    nsm_status st = NSM_OK;
    if (!csv || !cnt || nomem || (a && b && !block))
        st = nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
    else if (!a || !b)
        st = nsm_diag_error(diag, NSM_ERR_IO, "cannot read point %zu in %s", p + 1, work);
    if (st == NSM_OK) {
        put_le64(block, p);
        put_le64(block + 8, nc);
        memcpy(block + 16, a, nc);
        put_le64(block + 16 + nc, nn);
        memcpy(block + 24 + nc, b, nn);
        st = nsm_part_add_bytes(part, block, 24 + nc + nn);
        if (st == NSM_ERR_IO) /* a part in a file: nsm_part_create's temporary file beside it */
            nsm_diag_error(diag, st, "cannot write the part: %s", strerror(nsm_part_errno(part)));
        else if (st != NSM_OK)
            nsm_diag_error(diag, st, "out of memory");
    }
    free(block);
    free(a);
    free(b);
    free(csv);
    free(cnt);
    return st;
}

nsm_status nsm_sweep_pack_points(const char *work, size_t n_points, size_t offset, size_t stride,
                                 nsm_part *part, nsm_diag *diag)
{
    nsm_status st = NSM_OK;
    for (size_t p = offset; st == NSM_OK && p < n_points; p += stride)
        if ((st = point_must_be_done(work, p, diag)) == NSM_OK)
            st = pack_point(work, p, part, diag);
    return st;
}

/* Write n bytes to WORK/points/NNNNNNNN.EXT. */
static nsm_status unpack_file(const char *work, size_t p, const char *ext, const void *bytes,
                              size_t n, nsm_diag *diag)
{
    char *path = nsmi_point_path(work, p, ext);
    nsm_status st = !path ? nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory")
                    : write_file(path, bytes, n) != 0
                        ? nsm_diag_error(diag, NSM_ERR_IO, "cannot write %s: %s", path,
                                         strerror(errno))
                        : NSM_OK;
    free(path);
    return st;
}

/* One block of pack_point into the work folder, verified against its seal. */
static nsm_status unpack_point(const char *work, nsm_part *part, size_t want, nsm_diag *diag)
{
    const void *v = NULL;
    uint64_t n = 0;
    nsm_status st = nsm_part_read_bytes(part, &v, &n, diag);
    if (st != NSM_OK)
        return st;
    const unsigned char *b = v;
    uint64_t nc = n >= 16 ? get_le64(b + 8) : 0;
    uint64_t nn = n >= 24 && nc <= n - 24 ? get_le64(b + 16 + nc) : 0;
    if (n < 24 || nc > n - 24 || nn != n - 24 - nc || get_le64(b) != want)
        return nsm_diag_error(diag, NSM_ERR_INPUT, "%s: damaged: its block for point %zu does not "
                              "hold that point", nsm_part_name(part), want + 1);
    st = unpack_file(work, want, "csv", b + 16, (size_t)nc, diag);
    if (st == NSM_OK)
        st = unpack_file(work, want, "counts", b + 24 + nc, (size_t)nn, diag);
    const char *why = NULL;
    nsm_point_state state = st == NSM_OK ? nsmi_point_check(work, want, &why) : NSM_POINT_DONE;
    if (state == NSM_POINT_NOMEM)
        st = nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory reading point %zu", want + 1);
    else if (state != NSM_POINT_DONE)
        st = nsm_diag_error(diag, NSM_ERR_INPUT, "%s: point %zu is damaged (%s)",
                            nsm_part_name(part), want + 1, why ? why : "missing");
    return st;
}

nsm_status nsm_sweep_unpack_points(const char *work, nsm_part *part, size_t n_points,
                                   size_t offset, size_t stride, nsm_diag *diag)
{
    char *dir = nsmi_points_dir(work, diag);
    if (!dir)
        return NSM_ERR_IO;
    nsm_status st = NSM_OK;
    for (size_t p = offset; st == NSM_OK && p < n_points; p += stride)
        st = unpack_point(work, part, p, diag);
    if (st == NSM_OK && sync_path(dir, O_DIRECTORY) != 0)
        st = nsm_diag_error(diag, NSM_ERR_IO, "cannot write %s: %s", dir, strerror(errno));
    free(dir);
    return st;
}
