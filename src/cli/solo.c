/*
** solo.c: the transport of `neasim` (cli.h, "Ranks"): one process, rank 0 of 1. build/neasim-mpi
** links cli/mpi.c in its place; nothing else in the command line knows which it has.
*/
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

int nsm_cli_world_start(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

void nsm_cli_world_end(void)
{
}

int nsm_cli_world_rank(void)
{
    return 0;
}

int nsm_cli_world_size(void)
{
    return 1;
}

int nsm_cli_world_launched(void)
{
    return 0;
}

int nsm_cli_world_gather(const void *bytes, size_t n, unsigned char **all, size_t **sizes)
{
    *all = malloc(n + 1);
    *sizes = malloc(sizeof **sizes);
    if (!*all || !*sizes) {
        free(*all);
        free(*sizes);
        *all = NULL;
        *sizes = NULL;
        return -1;
    }
    memcpy(*all, bytes, n);
    (*sizes)[0] = n;
    return 0;
}

int nsm_cli_world_share(int value)
{
    return value;
}

void nsm_cli_world_tell_failure(void)
{
}

int nsm_cli_world_peer_failed(void)
{
    return 0;
}
