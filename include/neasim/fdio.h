/*
** fdio.h: whole reads and writes at an offset of an open file, for the files neasim works in by
** position (a part read a section at a time, sim/partial.c; a sweep's columns written by point
** and read by output, sweep/assemble.c). pread and pwrite may move fewer bytes than asked, or be
** interrupted by a signal: these go on until every byte has moved.
*/
#ifndef NEASIM_FDIO_H
#define NEASIM_FDIO_H

#include <stddef.h>

/* The n bytes at offset `at` of fd into buf, or buf's n bytes there. 0, or -1 with errno (EIO
** when the file ends before n bytes could be read). */
int nsm_fd_pread_all(int fd, void *buf, size_t n, size_t at);
int nsm_fd_pwrite_all(int fd, const void *buf, size_t n, size_t at);

#endif
