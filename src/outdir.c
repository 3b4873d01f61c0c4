/*
** outdir.c: see outdir.h.
*/
#include "neasim/outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *nsm_path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s%s%s", dir, (*dir && dir[strlen(dir) - 1] == '/') ? "" : "/", name);
    return p;
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

/* Empty, or written by neasim: its manifest.csv starts with the header and names neasim. */
static int replaceable(const char *dest)
{
    DIR *d = opendir(dest);
    if (!d)
        return 0;
    int entries = 0;
    for (struct dirent *e; (e = readdir(d));)
        entries += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    if (entries == 0)
        return 1;
    char *mpath = nsm_path_join(dest, "manifest.csv");
    FILE *f = mpath ? fopen(mpath, "r") : NULL;
    free(mpath);
    if (!f)
        return 0;
    char buf[256] = "";
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *text = strncmp(buf, "\xEF\xBB\xBF", 3) == 0 ? buf + 3 : buf; /* --bom */
    return strncmp(text, "key,value", 9) == 0 && strstr(text, "neasim") != NULL;
}

nsm_status nsm_outdir_check(const char *dest, nsm_diag *diag)
{
    struct stat st;
    if (stat(dest, &st) == 0) {
        if (!S_ISDIR(st.st_mode))
            return nsm_diag_error(diag, NSM_ERR_IO,
                                  "%s exists and is not a folder; choose another --out", dest);
        if (!replaceable(dest))
            return nsm_diag_error(diag, NSM_ERR_IO,
                                  "%s exists and is not a neasim results folder (no neasim "
                                  "manifest.csv); refusing to replace it: choose another --out",
                                  dest);
    }
    return NSM_OK;
}

nsm_status nsm_outdir_begin(const char *dest, char **staging, nsm_diag *diag)
{
    *staging = NULL;
    nsm_status chk = nsm_outdir_check(dest, diag);
    if (chk != NSM_OK)
        return chk;
    if (nsm_outdir_parents(dest) != 0)
        return nsm_diag_error(diag, NSM_ERR_IO, "cannot create the parents of %s: %s", dest,
                              strerror(errno));
    const char *slash = strrchr(dest, '/');
    const char *base = slash ? slash + 1 : dest;
    int dirlen = slash ? (int)(slash - dest) + 1 : 0;
    size_t n = strlen(dest) + 32;
    char *tmp = malloc(n);
    if (!tmp)
        return nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory");
    snprintf(tmp, n, "%.*s.%s.tmp-XXXXXX", dirlen, dest, base);
    if (!mkdtemp(tmp)) {
        nsm_status s = nsm_diag_error(diag, NSM_ERR_IO, "cannot create a folder beside %s: %s",
                                      dest, strerror(errno));
        free(tmp);
        return s;
    }
    *staging = tmp;
    return NSM_OK;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void nsm_outdir_abort(const char *staging)
{
    if (staging)
        nftw(staging, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

nsm_status nsm_outdir_commit(const char *staging, const char *dest, nsm_diag *diag)
{
    if (rename(staging, dest) == 0)
        return NSM_OK;
    if (errno != EEXIST && errno != ENOTEMPTY)
        return nsm_diag_error(diag, NSM_ERR_IO, "cannot move results into %s: %s", dest,
                              strerror(errno));
    /* dest exists: swap the two folders in one step, then delete the old results. */
    if (renameat2(AT_FDCWD, staging, AT_FDCWD, dest, RENAME_EXCHANGE) != 0)
        return nsm_diag_error(diag, NSM_ERR_IO, "cannot replace %s: %s", dest, strerror(errno));
    nsm_outdir_abort(staging);
    return NSM_OK;
}
