/*
** fdio.c: whole positioned reads and writes (fdio.h). POSIX has no call that retries a short or
** interrupted pread or pwrite, hence these loops, in one place.
*/
#include "neasim/fdio.h"

#include <errno.h>
#include <sys/types.h>
#include <unistd.h>

int nsm_fd_pread_all(int fd, void *buf, size_t n, size_t at)
{
    char *b = buf;
    while (n > 0) {
        ssize_t k = pread(fd, b, n, (off_t)at);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            errno = k == 0 ? EIO : errno;
            return -1;
        }
        b += k;
        n -= (size_t)k;
        at += (size_t)k;
    }
    return 0;
}

int nsm_fd_pwrite_all(int fd, const void *buf, size_t n, size_t at)
{
    const char *b = buf;
    while (n > 0) {
        ssize_t k = pwrite(fd, b, n, (off_t)at);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            errno = k == 0 ? EIO : errno;
            return -1;
        }
        b += k;
        n -= (size_t)k;
        at += (size_t)k;
    }
    return 0;
}
