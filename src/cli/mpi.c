/*
** mpi.c: the transport of build/neasim-mpi (cli.h, "Ranks") over Open MPI; `make mpi` compiles it
** with mpicc in place of cli/solo.c. The only file that includes mpi.h.
**
** Ranks other than 0 send their stdout and stderr to /dev/null (NEASIM_MPI_VERBOSE=1 keeps them):
** every rank reads the same scenario and options, so a bad input would otherwise be reported K
** times; what a rank alone meets (a failing replication) reaches rank 0 in the gathered bytes and
** is said there, once.
*/
#include <fcntl.h>
#include <limits.h>
#include <mpi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/cli.h"

static int rank, size = 1, started, peer_failed;
enum { TAG_FAILED = 77 };

int nsm_cli_world_start(int *argc, char ***argv)
{
    /* funneled: only the main thread calls MPI (the progress callback runs on OpenMP's thread 0,
    ** which is the main thread) */
    int provided = 0;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
        return -1;
    started = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    const char *verbose = getenv("NEASIM_MPI_VERBOSE");
    if (rank > 0 && !(verbose && verbose[0] == '1')) {
        int fd = open("/dev/null", O_WRONLY);
        if (fd >= 0) {
            fflush(stdout);
            fflush(stderr);
            dup2(fd, 1);
            dup2(fd, 2);
            close(fd);
        }
    }
    return 0;
}

/* Receive any failure notice still waiting, so that none is left unmatched at MPI_Finalize. */
static void drain(void)
{
    for (int flag = 1; flag;) {
        MPI_Status s;
        MPI_Iprobe(MPI_ANY_SOURCE, TAG_FAILED, MPI_COMM_WORLD, &flag, &s);
        int v;
        if (flag)
            MPI_Recv(&v, 1, MPI_INT, s.MPI_SOURCE, TAG_FAILED, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    }
}

void nsm_cli_world_end(void)
{
    if (started) {
        MPI_Barrier(MPI_COMM_WORLD); /* every notice sent before it has been sent */
        drain();
        MPI_Finalize();
    }
    started = 0;
}

void nsm_cli_world_tell_failure(void)
{
    int one = 1;
    for (int k = 0; k < size; k++)
        if (k != rank)
            MPI_Send(&one, 1, MPI_INT, k, TAG_FAILED, MPI_COMM_WORLD); /* eager: returns at once */
}

int nsm_cli_world_peer_failed(void)
{
    int flag = 0;
    MPI_Status s;
    if (!peer_failed && MPI_Iprobe(MPI_ANY_SOURCE, TAG_FAILED, MPI_COMM_WORLD, &flag, &s) ==
                            MPI_SUCCESS && flag)
        peer_failed = 1;
    return peer_failed;
}

int nsm_cli_world_rank(void)
{
    return rank;
}

int nsm_cli_world_size(void)
{
    return size;
}

int nsm_cli_world_launched(void)
{
    return started;
}

/* Sizes first (MPI_Gather), then the bytes (MPI_Gatherv), both in rank order. MPI counts are
** ints: a rank's bytes, and all of them together, must stay below 2 GiB. */
int nsm_cli_world_gather(const void *bytes, size_t n, unsigned char **all, size_t **sizes)
{
    *all = NULL;
    *sizes = NULL;
    unsigned long long mine = n, *each = rank == 0 ? calloc((size_t)size, sizeof *each) : NULL;
    int *counts = rank == 0 ? calloc((size_t)size, sizeof *counts) : NULL;
    int *displs = rank == 0 ? calloc((size_t)size, sizeof *displs) : NULL;
    int bad = rank == 0 && (!each || !counts || !displs);
    bad |= MPI_Gather(&mine, 1, MPI_UNSIGNED_LONG_LONG, each, 1, MPI_UNSIGNED_LONG_LONG, 0,
                      MPI_COMM_WORLD) != MPI_SUCCESS;
    unsigned long long total = 0;
    for (int k = 0; rank == 0 && !bad && k < size; k++) {
        if (each[k] > INT_MAX || total + each[k] > INT_MAX)
            bad = 1;
        displs[k] = (int)total;
        counts[k] = (int)each[k];
        total += each[k];
    }
    if (rank == 0 && !bad) {
        *all = malloc(total + 1);
        *sizes = malloc((size_t)size * sizeof **sizes);
        bad = !*all || !*sizes;
    }
    /* every rank takes part in both collectives, whatever happened, so that none waits forever */
    int go = !bad;
    MPI_Bcast(&go, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (go && MPI_Gatherv(bytes, (int)n, MPI_BYTE, *all, counts, displs, MPI_BYTE, 0,
                          MPI_COMM_WORLD) != MPI_SUCCESS)
        go = 0;
    for (int k = 0; rank == 0 && go && k < size; k++)
        (*sizes)[k] = (size_t)each[k];
    free(each);
    free(counts);
    free(displs);
    if (!go || bad) {
        free(*all);
        free(*sizes);
        *all = NULL;
        *sizes = NULL;
        return -1;
    }
    return 0;
}

int nsm_cli_world_share(int value)
{
    MPI_Bcast(&value, 1, MPI_INT, 0, MPI_COMM_WORLD);
    return value;
}
