/*
** common.c: what every command shares: printing diagnostics, exit codes, option values,
** loading a scenario.
*/
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "neasim/rng.h"
#include "neasim/scenario.h"

void nsm_cli_version(void)
{
    printf("neasim %s (commit %s; generator %s)\n", NSM_VERSION, NSM_GIT_COMMIT,
           nsm_rng_philox4x32->name);
}

void nsm_cli_how(const nsm_cli_options *o, const nsm_run_stats *rs, char *buf, size_t size)
{
    if (o->parts && o->parts->ranks == 0) /* neasim merge: the time is the parts', not its own */
        snprintf(buf, size, "merged from %d part%s", o->parts->n, o->parts->n == 1 ? "" : "s");
    else
        snprintf(buf, size, "in %.2f s on %d threads", rs->wall_seconds, rs->threads);
}

void nsm_cli_print_diag(const char *command, nsm_status st, const nsm_diag *d)
{
    if (d->warnings)
        fputs(d->warnings, stderr);
    if (d->error)
        fprintf(stderr, "%s\n", d->error);
    else if (st == NSM_ERR_NOMEM)
        fprintf(stderr, "%s%s%s: out of memory\n", nsm_cli_prog, command ? " " : "",
                command ? command : "");
}

void nsm_cli_print_warnings(nsm_diag *d, int quiet)
{
    if (d->warnings && !quiet)
        fputs(d->warnings, stderr);
    free(d->warnings);
    d->warnings = NULL;
}

int nsm_cli_exit_code(nsm_status s, int reading)
{
    switch (s) {
    case NSM_OK: return EXIT_OK;
    case NSM_ERR_INPUT: return EXIT_DATAERR;
    case NSM_ERR_IO: return reading ? EXIT_NOINPUT : EXIT_CANTCREAT;
    case NSM_ERR_USAGE: return EXIT_USAGE;
    case NSM_ERR_RUNTIME:
    case NSM_ERR_NOMEM: return EXIT_SOFTWARE;
    case NSM_STOPPED: return EXIT_INTERRUPTED;
    }
    return EXIT_SOFTWARE;
}

static int usage_verror(const char *cmd, const char *fmt, va_list ap)
{
    if (cmd)
        fprintf(stderr, "%s %s: ", nsm_cli_prog, cmd);
    else
        fprintf(stderr, "%s: ", nsm_cli_prog);
    vfprintf(stderr, fmt, ap);
    if (cmd)
        fprintf(stderr, "\nTry '%s %s --help'.\n", nsm_cli_prog, cmd);
    else
        fprintf(stderr, "\n");
    return EXIT_USAGE;
}

int nsm_cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    usage_verror(cmd, fmt, ap);
    va_end(ap);
    return EXIT_USAGE;
}

int nsm_cli_option_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    usage_verror(nsm_cli_cmd, fmt, ap);
    va_end(ap);
    return EXIT_USAGE;
}

/* Why NSM_CLI_FEW_DRAWS (cli.h) is 30: tests/cli_outer.sh measures how often the interval of the
** mean over the draws holds the closed form: about 90% at 5 and 10 draws, 95% at 30 (the t
** interval on per-draw proportions that are skewed needs a few tens of draws to reach its
** nominal level; README "Two kinds of interval"). --precision with --outer asks its rule from 30
** draws on for the same reason. */
void nsm_cli_few_draws_note(uint64_t n_draws, int paired)
{
    if (n_draws >= NSM_CLI_FEW_DRAWS)
        return;
    if (paired) /* compare: 54 of 60 seeds at 10 draws (tests/cli_outer.sh) */
        printf("With only %llu draws the paired intervals run narrow: in tests about 9 in 10 of\n"
               "them, not 95 in 100, held the true change at 10 draws. Give --outer %d or more\n"
               "when you report them.\n",
               (unsigned long long)n_draws, NSM_CLI_FEW_DRAWS);
    else
        printf("With only %llu draws the MC intervals run narrow: in tests about 9 in 10 of them, "
               "not\n95 in 100, held the true average at 5 and 10 draws. Give --outer %d or more "
               "when you\nreport them.\n",
               (unsigned long long)n_draws, NSM_CLI_FEW_DRAWS);
}

void nsm_cli_judgment_range_note(uint64_t n_draws, const char *what)
{
    if (n_draws >= NSM_JUDGMENT_FEW_DRAWS)
        return;
    printf("From only %llu draws a 5-95%% judgment range runs narrow: on average it holds about\n"
           "%d%% of the %s a draw can give, not 90%% (--outer %d or more: 88%%).\n",
           (unsigned long long)n_draws, nsm_judgment_range_coverage_pct(n_draws), what,
           NSM_JUDGMENT_FEW_DRAWS);
}

int nsm_cli_parse_u64(const char *opt, const char *text, uint64_t min, uint64_t max, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (!text[0] || text[0] == '-' || *end || errno == ERANGE || v < min || v > max) {
        nsm_cli_option_error("%s expects a whole number from %llu to %llu, got '%s'", opt,
                             (unsigned long long)min, (unsigned long long)max, text);
        return -1;
    }
    *out = v;
    return 0;
}

int nsm_cli_load(const char *dir, nsm_model **m, int quiet)
{
    nsm_diag d;
    nsm_diag_init(&d);
    nsm_status st = nsm_scenario_read(dir, m, &d);
    if (st != NSM_OK || !quiet)
        nsm_cli_print_diag(NULL, st, &d);
    nsm_diag_release(&d);
    return st == NSM_OK ? EXIT_OK : nsm_cli_exit_code(st, 1);
}
