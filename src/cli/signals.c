/*
** signals.c: how a command stops on a signal (README.md, "Exit codes").
**
** SIGINT (Ctrl-C), SIGTERM and SIGHUP set nsm_cli_interrupted to the signal's number and
** nsm_cli_stopping, which the engine polls (another MPI rank's failure sets it too: cli/ranks.c);
** the engine stops, and the command removes its staging folder and exits with 128 + that
** number (130, 143, 129). A second signal of the same kind ends the process at once: the
** staging folder's marker lets the next run into that place clean it up.
** Under mpirun, Ctrl-C reaches mpirun alone (its ranks run in process groups of their own), and
** Open MPI's mpirun answers it by sending SIGTERM to every rank (and SIGKILL a second later to
** any still there): a SIGTERM that comes from the parent of a build/neasim-mpi process is said
** to come from the launcher, so that the message names the Ctrl-C that caused it.
** SIGXFSZ (a file-size limit, `ulimit -f`) is ignored while a command writes, so the write that
** passes the limit fails with EFBIG and the ordinary error path removes the staging folder and
** says "File too large" (exit 73). A signal ignored when neasim started (nohup, a background job)
** stays ignored.
*/
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "neasim/outdir.h"

volatile sig_atomic_t nsm_cli_interrupted;
volatile sig_atomic_t nsm_cli_stopping;

static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGXFSZ};
enum { N_SIGNALS = sizeof stop_signals / sizeof stop_signals[0] };
static struct sigaction saved[N_SIGNALS];
static int caught;
static volatile sig_atomic_t from_parent; /* the stop signal came from the parent process */

static void on_stop(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    from_parent = si && si->si_pid == getppid(); /* getppid is async-signal-safe */
    nsm_cli_interrupted = sig;
    nsm_cli_stopping = 1;
    signal(sig, SIG_DFL); /* a second one ends the process at once (async-signal-safe) */
}

static void catch_one(int k)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    if (stop_signals[k] == SIGXFSZ) {
        sa.sa_handler = SIG_IGN;
        sa.sa_flags = SA_RESTART;
    } else {
        sa.sa_sigaction = on_stop;
        sa.sa_flags = SA_RESTART | SA_SIGINFO;
    }
    if (sigaction(stop_signals[k], NULL, &saved[k]) == 0 && saved[k].sa_handler != SIG_IGN)
        sigaction(stop_signals[k], &sa, NULL);
}

void nsm_cli_catch_sigint(int on)
{
    if (on == caught)
        return;
    caught = on;
    for (int k = 0; k < N_SIGNALS; k++) {
        if (on)
            catch_one(k);
        else
            sigaction(stop_signals[k], &saved[k], NULL);
    }
}

int nsm_cli_stop_code(void)
{
    return nsm_cli_interrupted > 0 ? 128 + nsm_cli_interrupted : EXIT_INTERRUPTED;
}

const char *nsm_cli_stop_name(void)
{
    switch (nsm_cli_interrupted) {
    case SIGINT: return "interrupted (Ctrl-C, SIGINT)";
    case SIGTERM:
        return from_parent && nsm_cli_world_launched()
                   ? "stopped by SIGTERM from the MPI launcher (mpirun sends it on Ctrl-C)"
                   : "stopped by SIGTERM";
    case SIGHUP: return "stopped by SIGHUP (the terminal closed)";
    default: return "stopped";
    }
}

int nsm_cli_finish_folder(const char *command, nsm_status *st, const char *staging,
                          const char *dest, nsm_diag *d)
{
    if (*st == NSM_OK && nsm_cli_interrupted)
        *st = NSM_STOPPED;
    if (*st == NSM_OK)
        *st = nsm_outdir_commit(staging, dest, d);
    int code = *st == NSM_OK ? EXIT_OK
               : nsm_cli_interrupted ? nsm_cli_stop_code()
                                     : nsm_cli_exit_code(*st, 0);
    if (*st != NSM_OK) {
        nsm_outdir_abort(staging);
        if (nsm_cli_interrupted)
            fprintf(stderr, "neasim %s: %s; nothing was written\n", command, nsm_cli_stop_name());
        else
            nsm_cli_print_diag(command, *st, d);
    }
    nsm_cli_catch_sigint(0);
    return code;
}
