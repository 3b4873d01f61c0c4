/*
** main.c: `neasim COMMAND ...`, one function per command (htslib's main_xxx pattern).
*/
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

const char *nsm_cli_prog = "neasim";
const char *nsm_cli_cmd = NULL;

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: neasim COMMAND [OPTIONS]\n"
            "\n"
            "Monte Carlo scenarios of alignment shifts in Northeast Asia.\n"
            "\n"
            "Commands:\n"
            "  run SCENARIO     simulate a scenario and write outcome distributions as CSV\n"
            "  compare SCENARIO --levers a,b,a+b\n"
            "                   the scenario with and without its policy levers, paired\n"
            "  sweep SCENARIO --design FILE | --grid FILE | --lhs N | --sobol N | --oat\n"
            "                   many points of the scenario's numbers, on common random numbers\n"
            "  merge PART... --out DIR\n"
            "                   join the partial results of run|compare|sweep --shard I/N\n"
            "  check SCENARIO   validate a scenario and describe its model\n"
            "  trace SCENARIO --rep R\n"
            "                   replay one replication: what happened, when, and why\n"
            "  score RESULTS --observed FILE.csv [--reference RESULTS2]\n"
            "                   score a results folder's forecasts against what happened\n"
            "  discover SWEEP --outcome NAME --threshold P\n"
            "                   the swept numbers under which an outcome exceeds P (PRIM)\n"
            "\n"
            "Options:\n"
            "  -h, --help       show this help (also: neasim COMMAND --help)\n"
            "  -V, --version    show the version\n"
            "\n"
            "See README.md for the output files and scenarios/README.md for the format.\n");
}

static int command(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    /* under mpirun, only these split their work; rank 0 alone does anything else */
    if (nsm_cli_world_rank() > 0 && strcmp(cmd, "run") && strcmp(cmd, "compare") &&
        strcmp(cmd, "sweep"))
        return EXIT_OK;
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
        nsm_cli_version();
        return EXIT_OK;
    }
    nsm_cli_cmd = cmd; /* an unknown one is refused below before anything reads it */
    if (!strcmp(cmd, "run"))
        return nsm_cli_run(argc - 1, argv + 1);
    if (!strcmp(cmd, "sweep"))
        return nsm_cli_sweep(argc - 1, argv + 1);
    if (!strcmp(cmd, "compare"))
        return nsm_cli_compare(argc - 1, argv + 1);
    if (!strcmp(cmd, "merge"))
        return nsm_cli_merge(argc - 1, argv + 1);
    if (!strcmp(cmd, "check"))
        return nsm_cli_check(argc - 1, argv + 1);
    if (!strcmp(cmd, "trace"))
        return nsm_cli_trace(argc - 1, argv + 1);
    if (!strcmp(cmd, "score"))
        return nsm_cli_score(argc - 1, argv + 1);
    if (!strcmp(cmd, "discover"))
        return nsm_cli_discover(argc - 1, argv + 1);
    fprintf(stderr, "neasim: unknown command '%s'\n", cmd);
    usage(stderr);
    return EXIT_USAGE;
}

int main(int argc, char **argv)
{
    /* GSL's default handler aborts the process; every GSL status is checked instead. */
    gsl_set_error_handler_off();
    if (nsm_cli_world_start(&argc, &argv) != 0) {
        fprintf(stderr, "neasim: MPI could not start\n");
        return EXIT_SOFTWARE;
    }
    nsm_cli_save_command(argc, argv);
    /* every rank ends with rank 0's exit code, after rank 0 has written */
    int code = nsm_cli_world_share(command(argc, argv));
    nsm_cli_world_end();
    return code;
}
