/*
** outdir.c: see outdir.h. The staging folder's life: begin (clean stale ones, mkdtemp, chmod to
** the umask, marker) -> the caller writes -> commit (fsync all, drop marker, rename) or abort.
*/
#include "neasim/outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MARKER_HEAD "neasim staging folder\n"

char *nsm_path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s%s%s", dir, (*dir && dir[strlen(dir) - 1] == '/') ? "" : "/", name);
    return p;
}

char *nsm_path_tidy(const char *path)
{
    size_t n = strlen(path);
    char *out = malloc(n + 2), *o = out;
    const char **part = malloc((n / 2 + 2) * sizeof *part); /* a component takes >= 2 bytes */
    size_t *len = malloc((n / 2 + 2) * sizeof *len);
    size_t k = 0;
    if (!out || !part || !len) {
        free(out);
        out = NULL;
        goto done;
    }
    for (const char *q = path; *q;) {
        size_t w = strcspn(q, "/");
        if (w == 0 || (w == 1 && *q == '.')) {
            /* an empty or "." component */
        } else if (w == 2 && q[0] == '.' && q[1] == '.' && k > 0 &&
                   !(len[k - 1] == 2 && !strncmp(part[k - 1], "..", 2))) {
            k--;
        } else {
            part[k] = q;
            len[k++] = w;
        }
        q += w + (q[w] == '/');
    }
    if (*path == '/')
        *o++ = '/';
    for (size_t i = 0; i < k; i++) {
        if (i)
            *o++ = '/';
        memcpy(o, part[i], len[i]);
        o += len[i];
    }
    if (o == out)
        *o++ = '.';
    *o = '\0';
done:
    free(part);
    free(len);
    return out;
}

/* mkdir -p for the parents of path. */
int nsm_outdir_parents(const char *path)
{
    char *p = strdup(path);
    if (!p)
        return -1;
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            free(p);
            return -1;
        }
        *s = '/';
    }
    free(p);
    return 0;
}

static int is_dots(const char *name)
{
    return !strcmp(name, ".") || !strcmp(name, "..");
}

/* The length of dest's folder part, with its final slash (0: dest is in the current folder). */
static int dir_len(const char *dest)
{
    const char *slash = strrchr(dest, '/');
    return slash ? (int)(slash - dest) + 1 : 0;
}

/* ---- --out values ---- */

/* Does `real` (an absolute path without a trailing slash) hold the current folder? */
static int holds_cwd(const char *real)
{
    char *cwd = getcwd(NULL, 0);
    size_t k = strlen(real);
    int holds = cwd && strncmp(cwd, real, k) == 0 && (cwd[k] == '\0' || cwd[k] == '/' || k == 1);
    free(cwd);
    return holds;
}

nsm_status nsm_outdir_path(const char *out, char *buf, size_t size, nsm_diag *diag)
{
    size_t n = strlen(out);
    while (n > 1 && out[n - 1] == '/')
        n--;
    if (n == 0)
        return nsm_diag_error(diag, NSM_ERR_USAGE, "--out is empty: name a results folder");
    if (n >= size)
        return nsm_diag_error(diag, NSM_ERR_USAGE, "--out: the path is too long");
    memcpy(buf, out, n);
    buf[n] = '\0';
    const char *last = buf + dir_len(buf);
    if (!strcmp(buf, "/") || is_dots(last))
        return nsm_diag_error(diag, NSM_ERR_USAGE,
                              "--out '%s': neasim replaces the whole results folder, so --out must "
                              "name a folder of its own, not '.', '..' or '/'; e.g. --out results/run1",
                              out);
    char *real = realpath(buf, NULL);
    int bad = real && holds_cwd(real);
    free(real);
    if (bad)
        return nsm_diag_error(diag, NSM_ERR_USAGE,
                              "--out '%s' is the current folder or holds it: neasim replaces the "
                              "whole results folder, which would pull it from under your shell; "
                              "name a folder of its own, e.g. --out results/run1",
                              out);
    return NSM_OK;
}

/* ---- the marker: who wrote a staging folder ---- */

typedef struct {
    long pid;
    unsigned long long start; /* clock ticks after boot (/proc/PID/stat field 22); 0 unknown */
    char boot[64];            /* /proc/sys/kernel/random/boot_id, or "" */
    char host[256];
} writer_id;

static void read_small(const char *path, char *buf, size_t size)
{
    buf[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    size_t n = fread(buf, 1, size - 1, f);
    fclose(f);
    buf[n] = '\0';
}

/* A process's start time; pid and start time name a process uniquely until the next boot. */
static unsigned long long proc_start_time(long pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    read_small(path, buf, sizeof buf);
    const char *p = strrchr(buf, ')'); /* the command name may hold spaces and parentheses */
    for (int field = 2; p && field < 22; field++)
        p = strchr(p + 1, ' ');
    return p ? strtoull(p + 1, NULL, 10) : 0;
}

static void self_id(writer_id *w)
{
    w->pid = (long)getpid();
    w->start = proc_start_time(w->pid);
    read_small("/proc/sys/kernel/random/boot_id", w->boot, sizeof w->boot);
    w->boot[strcspn(w->boot, "\n ")] = '\0';
    if (gethostname(w->host, sizeof w->host) != 0 || !w->host[0])
        snprintf(w->host, sizeof w->host, "unknown");
    w->host[sizeof w->host - 1] = '\0';
    w->host[strcspn(w->host, "\n ")] = '\0';
}

static int write_marker(const char *dir)
{
    char *path = nsm_path_join(dir, NSM_OUTDIR_MARKER);
    int fd = path ? open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666) : -1;
    free(path);
    if (fd < 0)
        return -1;
    writer_id w;
    self_id(&w);
    int bad = dprintf(fd, MARKER_HEAD "pid %ld\nstart %llu\nboot %s\nhost %s\n", w.pid, w.start,
                      w.boot[0] ? w.boot : "-", w.host) < 0 ||
              fsync(fd) != 0;
    int err = errno;
    bad |= close(fd) != 0;
    errno = bad ? err : 0;
    return bad ? -1 : 0;
}

/* 0 and *w from dir's marker, or -1 when there is no marker or it is not neasim's. */
static int read_marker(const char *dir, writer_id *w)
{
    char *path = nsm_path_join(dir, NSM_OUTDIR_MARKER), buf[1024] = "";
    int fd = path ? open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) : -1;
    free(path);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    buf[n > 0 ? n : 0] = '\0';
    if (strncmp(buf, MARKER_HEAD, strlen(MARKER_HEAD)) != 0)
        return -1;
    *w = (writer_id){0};
    int got = sscanf(buf + strlen(MARKER_HEAD), "pid %ld start %llu boot %63s host %255s", &w->pid,
                     &w->start, w->boot, w->host);
    if (!strcmp(w->boot, "-"))
        w->boot[0] = '\0';
    return got == 4 && w->pid > 1 ? 0 : -1;
}

typedef enum { WRITER_GONE, WRITER_ALIVE, WRITER_UNSURE } writer_state;

static writer_state writer_state_of(const writer_id *w)
{
    writer_id me;
    self_id(&me);
    if (strcmp(w->host, me.host) != 0)
        return WRITER_UNSURE; /* a shared folder: its pid means nothing here */
    if (w->boot[0] && me.boot[0] && strcmp(w->boot, me.boot) != 0)
        return WRITER_GONE; /* written before the last reboot */
    if (w->pid == me.pid || (kill((pid_t)w->pid, 0) != 0 && errno == ESRCH))
        return WRITER_GONE; /* our own pid cannot have a staging folder yet */
    unsigned long long start = proc_start_time(w->pid);
    if (start && w->start)
        return start == w->start ? WRITER_ALIVE : WRITER_GONE; /* else the pid was reused */
    return WRITER_UNSURE;
}

/* ---- walking a folder (never following symbolic links) ---- */

/* The open folder fd to read, on a descriptor of its own (not dup: its own offset, so reading it
** leaves fd where it was); NULL on failure, with errno set. */
static DIR *reopen_dir(int fd)
{
    int dup_fd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
    if (!d && dup_fd >= 0) {
        int err = errno;
        close(dup_fd);
        errno = err;
    }
    return d;
}

/* Remove everything in the open folder fd except the entry `keep` (NULL: none). */
static int empty_dir(int fd, const char *keep)
{
    DIR *d = reopen_dir(fd);
    if (!d)
        return -1;
    int rc = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (is_dots(e->d_name) || (keep && !strcmp(e->d_name, keep)))
            continue;
        if (unlinkat(fd, e->d_name, 0) == 0)
            continue;
        int sub = errno == EISDIR ? openat(fd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW) : -1;
        if (sub < 0 || empty_dir(sub, NULL) != 0 || unlinkat(fd, e->d_name, AT_REMOVEDIR) != 0)
            rc = -1;
        if (sub >= 0)
            close(sub);
    }
    closedir(d);
    return rc;
}

/* rm -r, with the marker removed last so that a stop half-way leaves a folder still marked. */
static int remove_tree(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = empty_dir(fd, NSM_OUTDIR_MARKER);
    if (rc == 0 && unlinkat(fd, NSM_OUTDIR_MARKER, 0) != 0 && errno != ENOENT)
        rc = -1;
    close(fd);
    return rc == 0 ? rmdir(path) : -1;
}

/* fsync every file and folder under the open folder fd; closes fd. 0, or -1 with errno. */
static int sync_dir(int fd)
{
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return -1;
    }
    int rc = 0;
    for (struct dirent *e; rc == 0 && (e = readdir(d));) {
        if (is_dots(e->d_name))
            continue;
        struct stat st;
        int sub = openat(dirfd(d), e->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (sub < 0) {
            rc = errno == ELOOP ? 0 : -1; /* a symbolic link: nothing of ours to sync */
            continue;
        }
        if (fstat(sub, &st) == 0 && S_ISDIR(st.st_mode)) {
            rc = sync_dir(sub);
            continue;
        }
        rc = fsync(sub) != 0 && errno != EINVAL ? -1 : 0;
        close(sub);
    }
    if (rc == 0 && fsync(dirfd(d)) != 0 && errno != EINVAL)
        rc = -1;
    int err = errno;
    closedir(d);
    errno = err;
    return rc;
}

/* The entries under the open folder fd, counted up to `limit` (a little more when it is passed). */
static long count_entries(int fd, long limit)
{
    DIR *d = reopen_dir(fd);
    if (!d)
        return limit + 1; /* unknown: take the path that needs no count */
    long n = 0;
    for (struct dirent *e; n <= limit && (e = readdir(d));) {
        if (is_dots(e->d_name))
            continue;
        n++;
        int sub = e->d_type == DT_DIR ? openat(fd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW)
                                      : -1;
        if (sub >= 0) {
            n += count_entries(sub, limit - n);
            close(sub);
        }
    }
    closedir(d);
    return n;
}

/* Every file under path on disk: an fsync each for a few files (a run's tables), one syncfs for
** many (a sweep's point files), as an fsync costs a journal commit each (2 ms on a virtual disk:
** 40 s for 20,000 point files, against 0.1 s for one syncfs). */
static int sync_path(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    if (count_entries(fd, 64) <= 64)
        return sync_dir(fd);
    int rc = syncfs(fd);
    int err = errno;
    close(fd);
    errno = err;
    return rc;
}

/* fsync the folder that holds path, so that a rename in it is on disk. */
static void sync_parent(const char *path)
{
    char parent[4096];
    int n = dir_len(path);
    snprintf(parent, sizeof parent, "%.*s", n ? n : 1, n ? path : ".");
    int fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd); /* best effort: the results are complete and in place already */
        close(fd);
    }
}

/* ---- stale staging folders ---- */

/* ".BASE.tmp-" and six characters of mkdtemp's alphabet. */
static int is_staging_name(const char *name, const char *base)
{
    size_t nb = strlen(base);
    if (name[0] != '.' || strncmp(name + 1, base, nb) != 0 || strncmp(name + 1 + nb, ".tmp-", 5))
        return 0;
    const char *x = name + 1 + nb + 5;
    return strlen(x) == 6 && strspn(x, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                       "0123456789") == 6;
}

static int handle_stale(const char *path, nsm_diag *diag)
{
    writer_id w;
    if (read_marker(path, &w) != 0) {
        nsm_diag_warn(diag, path, 0, 0, "named like a neasim staging folder but without its "
                      "marker (%s); left alone: delete it if no run is writing there",
                      NSM_OUTDIR_MARKER);
        return 0;
    }
    switch (writer_state_of(&w)) {
    case WRITER_ALIVE:
        return 0; /* another run, still going, into the same place */
    case WRITER_UNSURE:
        nsm_diag_warn(diag, path, 0, 0, "staging folder of a run (pid %ld on host %s) that may "
                      "still be running; left alone: delete it once that run has ended",
                      w.pid, w.host);
        return 0;
    case WRITER_GONE:
        break;
    }
    if (remove_tree(path) != 0) {
        nsm_diag_warn(diag, path, 0, 0, "cannot remove this staging folder of an earlier run "
                      "(pid %ld, no longer running): %s", w.pid, strerror(errno));
        return 0;
    }
    nsm_diag_warn(diag, path, 0, 0, "removed: the staging folder of an earlier run (pid %ld) "
                  "that was killed before it finished", w.pid);
    return 1;
}

int nsm_outdir_clean_stale(const char *dest, nsm_diag *diag)
{
    int n = dir_len(dest), removed = 0;
    char parent[4096];
    snprintf(parent, sizeof parent, "%.*s", n ? n : 1, n ? dest : ".");
    DIR *d = opendir(parent);
    if (!d)
        return 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (!is_staging_name(e->d_name, dest + n))
            continue;
        char path[4096 + 300];
        struct stat st;
        snprintf(path, sizeof path, "%.*s%s", n, dest, e->d_name);
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            removed += handle_stale(path, diag);
    }
    closedir(d);
    return removed;
}

/* ---- begin, commit, abort ---- */

/* What a folder holds, for deciding whether to replace it. */
typedef enum {
    HOLDS_NOTHING,   /* empty */
    HOLDS_RESULTS,   /* a neasim manifest.csv, and only what neasim and its scripts write */
    HOLDS_SCENARIO,  /* the same, with a scenario.csv: check --resolved's folder */
    HOLDS_FOREIGN,   /* no neasim manifest.csv */
    HOLDS_OTHER,     /* a neasim manifest.csv beside an entry neasim did not write (named) */
    HOLDS_UNKNOWN    /* it could not be read (errno kept): neasim does not replace it */
} holding;

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && strcmp(s + n - k, tail) == 0;
}

/* An entry of a results folder that neasim (results, --xlsx, sweep --keep-points, discover, score)
** or its scripts (make figures, make brief, scripts/backtest.R) write: anything else is the
** user's. A hidden entry (.DS_Store, an editor's) is the system's, not a user's work, and goes too. */
static int ours(const char *name, int is_dir)
{
    if (name[0] == '.')
        return 1;
    if (is_dir)
        return !strcmp(name, "figures") || !strcmp(name, "points") ||
               !strcmp(name, "climatology") || !strcmp(name, "score") ||
               !strncmp(name, "discover-", 9);
    return ends_with(name, ".csv") || !strcmp(name, "results.xlsx") ||
           !strcmp(name, "brief.html") || !strcmp(name, "brief.pdf");
}

/* 1 when the folder open as dir holds a neasim manifest.csv, 0 when it holds none (or another
** program's), -1 when it could not be read (errno says why). Read through the folder's descriptor
** with no allocation, so that running out of memory is not taken for a foreign folder. */
static int neasim_manifest(int dir)
{
    int fd = openat(dir, "manifest.csv", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? 0 : -1;
    char buf[256] = "";
    ssize_t n = read(fd, buf, sizeof buf - 1);
    int err = errno;
    close(fd);
    if (n < 0) {
        errno = err;
        return -1;
    }
    buf[n] = '\0';
    const char *text = strncmp(buf, "\xEF\xBB\xBF", 3) == 0 ? buf + 3 : buf; /* --bom */
    return strncmp(text, "key,value", 9) == 0 && strstr(text, "neasim") != NULL;
}

/* What dest holds; for HOLDS_OTHER, the first entry neasim did not write into other; for
** HOLDS_UNKNOWN, errno says why it could not be read. */
static holding holding_of(const char *dest, char *other, size_t size)
{
    DIR *d = opendir(dest);
    if (!d)
        return HOLDS_UNKNOWN;
    int entries = 0, scenario = 0, mine = 1;
    errno = 0;
    for (struct dirent *e; (e = readdir(d)); errno = 0) {
        if (is_dots(e->d_name))
            continue;
        entries++;
        scenario |= !strcmp(e->d_name, "scenario.csv");
        struct stat st;
        int is_dir = fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                     S_ISDIR(st.st_mode);
        if (mine && !ours(e->d_name, is_dir)) {
            mine = 0;
            snprintf(other, size, "%s%s", e->d_name, is_dir ? "/" : "");
        }
    }
    int manifest = errno ? -1 : entries ? neasim_manifest(dirfd(d)) : 0, err = errno;
    closedir(d);
    errno = err;
    if (manifest < 0)
        return HOLDS_UNKNOWN;
    if (entries == 0)
        return HOLDS_NOTHING;
    if (!manifest)
        return HOLDS_FOREIGN;
    return !mine ? HOLDS_OTHER : scenario ? HOLDS_SCENARIO : HOLDS_RESULTS;
}

/* kind: what is written, HOLDS_RESULTS or HOLDS_SCENARIO (check --resolved); a folder is
** replaced only by what it holds already, so results never replace a scenario, nor the reverse. */
static nsm_status check_dest(const char *dest, holding kind, nsm_diag *diag)
{
    const char *opt = kind == HOLDS_SCENARIO ? "--resolved" : "--out";
    struct stat st;
    if (lstat(dest, &st) == 0 && S_ISLNK(st.st_mode))
        return nsm_diag_error(diag, NSM_ERR_IO, "%s is a symbolic link; give the folder it points "
                              "to, or another %s", dest, opt);
    if (stat(dest, &st) != 0)
        return NSM_OK;
    if (!S_ISDIR(st.st_mode))
        return nsm_diag_error(diag, NSM_ERR_IO, "%s exists and is not a folder; choose another %s",
                              dest, opt);
    char other[300] = "";
    holding h = holding_of(dest, other, sizeof other);
    if (h == HOLDS_NOTHING || h == kind)
        return NSM_OK;
    if (h == HOLDS_UNKNOWN)
        return nsm_diag_error(diag, NSM_ERR_IO, "cannot look into %s (%s), so it is not replaced: "
                              "choose another %s", dest, strerror(errno), opt);
    if (h == HOLDS_FOREIGN)
        return nsm_diag_error(diag, NSM_ERR_IO, "%s exists and is not a neasim %s folder (no "
                              "neasim manifest.csv); refusing to replace it: choose another %s",
                              dest, kind == HOLDS_SCENARIO ? "resolved scenario" : "results", opt);
    if (h == HOLDS_OTHER)
        return nsm_diag_error(diag, NSM_ERR_IO, "%s holds %s, which neasim did not write, and a "
                              "folder is replaced whole: move it out of the folder, or choose "
                              "another %s", dest, other, opt);
    return nsm_diag_error(diag, NSM_ERR_IO, h == HOLDS_SCENARIO
                          ? "%s holds a scenario (scenario.csv, from check --resolved); neasim "
                            "never writes results over a scenario: choose another %s"
                          : "%s holds neasim results, not a resolved scenario; refusing to "
                            "replace them: choose another %s", dest, opt);
}

nsm_status nsm_outdir_check(const char *dest, nsm_diag *diag)
{
    return check_dest(dest, HOLDS_RESULTS, diag);
}

/* The umask, read without changing it for long: called before any thread starts. */
static mode_t current_umask(void)
{
    mode_t m = umask(0);
    umask(m);
    return m;
}

static nsm_status staging_error(const char *dest, int err, const char *opt, nsm_diag *diag)
{
    int n = dir_len(dest);
    return nsm_diag_error(diag, NSM_ERR_IO, "cannot write %s: cannot create a folder in %.*s: "
                          "%s; choose another %s", dest, n ? n : 1, n ? dest : ".",
                          strerror(err), opt);
}

static nsm_status begin(const char *dest, char **staging, holding kind, nsm_diag *diag)
{
    const char *opt = kind == HOLDS_SCENARIO ? "--resolved" : "--out";
    *staging = NULL;
    nsm_status chk = check_dest(dest, kind, diag);
    if (chk != NSM_OK)
        return chk;
    if (nsm_outdir_parents(dest) != 0)
        return nsm_diag_error(diag, NSM_ERR_IO, "cannot create the folders that hold %s: %s; "
                              "choose another %s", dest, strerror(errno), opt);
    nsm_outdir_clean_stale(dest, diag);
    int dirlen = dir_len(dest);
    size_t n = strlen(dest) + 32;
    char *tmp = malloc(n);
    if (!tmp)
        return nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
    snprintf(tmp, n, "%.*s.%s.tmp-XXXXXX", dirlen, dest, dest + dirlen);
    if (!mkdtemp(tmp)) {
        nsm_status s = staging_error(dest, errno, opt, diag);
        free(tmp);
        return s;
    }
    /* mkdtemp makes 0700 whatever the umask; results are shared like any new folder. */
    if (chmod(tmp, 0777 & ~current_umask()) != 0 || write_marker(tmp) != 0) {
        nsm_status s = staging_error(dest, errno, opt, diag);
        remove_tree(tmp);
        free(tmp);
        return s;
    }
    *staging = tmp;
    return NSM_OK;
}

nsm_status nsm_outdir_begin(const char *dest, char **staging, nsm_diag *diag)
{
    return begin(dest, staging, HOLDS_RESULTS, diag);
}

nsm_status nsm_outdir_begin_scenario(const char *dest, char **staging, nsm_diag *diag)
{
    return begin(dest, staging, HOLDS_SCENARIO, diag);
}

void nsm_outdir_abort(const char *staging)
{
    if (staging)
        remove_tree(staging);
}

/* Swap staging into dest (which exists), then delete the previous results. */
static nsm_status exchange(const char *staging, const char *dest, nsm_diag *diag)
{
    if (renameat2(AT_FDCWD, staging, AT_FDCWD, dest, RENAME_EXCHANGE) != 0)
        return nsm_diag_error(diag, NSM_ERR_IO, "cannot replace %s: %s", dest, strerror(errno));
    sync_parent(dest);
    (void)write_marker(staging); /* so a kill during the deletion leaves a folder we can clean */
    remove_tree(staging);
    return NSM_OK;
}

nsm_status nsm_outdir_commit(const char *staging, const char *dest, nsm_diag *diag)
{
    char *marker = nsm_path_join(staging, NSM_OUTDIR_MARKER);
    if (!marker)
        return nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
    /* On disk before the rename makes them visible: a crash must not leave a complete-looking
    ** folder of empty files. */
    nsm_status st = NSM_OK;
    int marked = unlink(marker) == 0;
    if (!marked && errno != ENOENT)
        st = nsm_diag_error(diag, NSM_ERR_IO, "cannot write results into %s: %s", dest,
                            strerror(errno));
    else if (sync_path(staging) != 0)
        st = nsm_diag_error(diag, NSM_ERR_IO, "cannot write results into %s: %s", dest,
                            strerror(errno));
    else if (rename(staging, dest) == 0)
        sync_parent(dest);
    else if (errno == EEXIST || errno == ENOTEMPTY)
        st = exchange(staging, dest, diag);
    else
        st = nsm_diag_error(diag, NSM_ERR_IO, "cannot move results into %s: %s", dest,
                            strerror(errno));
    if (st != NSM_OK && marked)
        (void)write_marker(staging);
    free(marker);
    return st;
}
