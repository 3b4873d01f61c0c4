/*
** nomem_preload.c: a library preloaded into neasim (LD_PRELOAD) that makes one allocation fail,
** for tests/cli_nomem.sh: what neasim does when memory runs out at each place it asks for some.
**
** Counted are the calls to malloc, calloc, realloc, strdup and strndup made by neasim's own code,
** that is from an address inside the program's executable (libneasim.a is linked into it): the
** libraries' own allocations (glibc's, GSL's, libgomp's, which aborts by design when memory runs
** out) are left alone. NSM_FAIL_AT=N makes the N-th counted call fail (NULL, errno ENOMEM) and
** only that one; NSM_ALLOC_LOG=FILE writes one line per counted call, "N SITE", SITE being the
** offsets in the executable of the three innermost callers (so that nsm_path_join called from
** two places is two sites), which the suite uses to fail each site once rather than every call.
** NSM_FAIL_TRACE=1 prints the failed call's backtrace on stderr (addr2line -e neasim tells where).
** Only a program named neasim* is touched, so that a launcher in between (valgrind, which the
** suite puts in front of a sample of the cases to look for leaks on these paths) runs as it is.
**
** Written by hand: Debian's fault injectors do not do this. libfiu (fiu-run) fails a libc
** function at random or always, for every caller, so libgomp would abort and a run would not be
** repeatable; glibc's own malloc checks (mtrace, MALLOC_CHECK_) fail nothing. Run with
** --threads 1: with more, the order of the calls, and so N, depends on the threads.
*/
#define _GNU_SOURCE
#include <errno.h>
#include <execinfo.h>
#include <link.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* glibc's allocator under its public names: what the wrappers below forward to. */
void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t n);

static uintptr_t exe_lo = 1, exe_hi; /* the executable's code: [exe_lo, exe_hi) */
static unsigned long fail_at;
static atomic_ulong counted;
static FILE *alloc_log;
static int ready;
static _Thread_local int inside; /* backtrace() may allocate: not counted */

static int first_object(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    (void)data;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X)) {
            exe_lo = info->dlpi_addr + ph->p_vaddr;
            exe_hi = exe_lo + ph->p_memsz;
        }
    }
    return 1; /* the first object listed is the program */
}

__attribute__((constructor)) static void start(void)
{
    const char *at = getenv("NSM_FAIL_AT"), *log = getenv("NSM_ALLOC_LOG");
    if (strncmp(program_invocation_short_name, "neasim", 6) != 0)
        return; /* not ready: nothing counted, nothing failed */
    fail_at = at ? strtoul(at, NULL, 10) : 0;
    dl_iterate_phdr(first_object, NULL);
    if (log && !(alloc_log = fopen(log, "w"))) {
        perror(log);
        exit(2);
    }
    ready = 1;
}

__attribute__((destructor)) static void stop(void)
{
    if (alloc_log)
        fclose(alloc_log);
}

static uintptr_t offset(void *a)
{
    uintptr_t u = (uintptr_t)a;
    return u >= exe_lo && u < exe_hi ? u - exe_lo : 0;
}

/* 1 when this call, made from address from, is to fail. */
static int fails(void *from)
{
    if (!ready || inside || offset(from) == 0)
        return 0;
    unsigned long n = atomic_fetch_add(&counted, 1) + 1;
    int fail = n == fail_at;
    if (alloc_log || (fail && getenv("NSM_FAIL_TRACE"))) {
        void *bt[8];
        inside = 1;
        int k = backtrace(bt, 8); /* bt[0] is here, bt[1] the wrapper, bt[2] neasim */
        if (alloc_log)
            fprintf(alloc_log, "%lu %lx:%lx:%lx\n", n, k > 2 ? offset(bt[2]) : 0,
                    k > 3 ? offset(bt[3]) : 0, k > 4 ? offset(bt[4]) : 0);
        if (fail && getenv("NSM_FAIL_TRACE"))
            backtrace_symbols_fd(bt, k, 2);
        inside = 0;
    }
    if (fail)
        errno = ENOMEM;
    return fail;
}

void *malloc(size_t n)
{
    return fails(__builtin_return_address(0)) ? NULL : __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
    return fails(__builtin_return_address(0)) ? NULL : __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
    return fails(__builtin_return_address(0)) ? NULL : __libc_realloc(p, n);
}

char *strdup(const char *s)
{
    if (fails(__builtin_return_address(0)))
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = __libc_malloc(n);
    return d ? memcpy(d, s, n) : NULL;
}

char *strndup(const char *s, size_t most)
{
    if (fails(__builtin_return_address(0)))
        return NULL;
    size_t n = strnlen(s, most);
    char *d = __libc_malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}
