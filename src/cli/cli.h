/*
** cli.h: the command-line front end. It is only a client of the library's public headers; it is
** the one place that prints and chooses exit codes (README.md, "Exit codes").
*/
#ifndef NEASIM_CLI_H
#define NEASIM_CLI_H

#include <stdint.h>

#include <signal.h>

#include "cli/progress.h"
#include "neasim/engine.h"
#include "neasim/model.h"
#include "neasim/precision.h"
#include "neasim/partial.h"
#include "neasim/results.h"
#include "neasim/status.h"
#include "neasim/summary.h"

/* Exit codes, from sysexits.h's conventions. */
enum {
    EXIT_OK = 0,
    EXIT_USAGE = 64,       /* bad command line */
    EXIT_DATAERR = 65,     /* the scenario is malformed */
    EXIT_NOINPUT = 66,     /* the scenario folder cannot be read */
    EXIT_SOFTWARE = 70,    /* a replication failed at run time (e.g. an effect loop) */
    EXIT_CANTCREAT = 73,   /* the results folder cannot be written */
    EXIT_INTERRUPTED = 130 /* stopped by Ctrl-C; nothing was written */
};                         /* (a stop by signal N exits 128 + N: cli/signals.c) */


extern const char *nsm_cli_prog;
/* The command being run ("run", "sweep", ...), set once by main before it dispatches, so that an
** option's value refused deep in a parser (nsm_cli_parse_u64) is said as every other usage error
** is, "neasim run: --runs ...", without threading the name through every parser. NULL before. */
extern const char *nsm_cli_cmd;
/* nsm_cli_usage_error for the command being run (nsm_cli_cmd): "neasim CMD: ..." and the line
** pointing to CMD --help; exit code 64. */
int nsm_cli_option_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int nsm_cli_run(int argc, char **argv);
int nsm_cli_compare(int argc, char **argv);

/* Options of run and compare (cli/options.c). */
typedef struct {
    const char *scenario, *out, *levers, *horizons, *design, *grid, *params;
    uint64_t runs, seed, threads, outer, design_n, max_events; /* max_events: 0 for the default */
    int bom, quiet, factorial, nominal, design_kind, resume; /* design_kind: 1 lhs 2 sobol 3 oat */
    int n_designs; /* design options given */
    char out_path[4096]; /* --out without its trailing slashes; out points here */
    int keep_points; /* sweep --keep-points */
    uint64_t paths;  /* run --paths K: paths.csv for replications 0..K-1 (0: none) */
    char **scenarios; /* compare A B ...: every scenario folder given (scenario is the first) */
    int n_scenarios;
    const nsm_model *const *models; /* compare A B ...: the scenarios read, in that order (set
                                    ** once read; a part's head records them all); else NULL */
    double precision;          /* --precision H (0: none) */
    const char *precision_for; /* --precision-for LIST (NULL: the default) */
    int runs_given;            /* --runs was on the command line */
    uint32_t shard, n_shards; /* --shard I/N (cli/shard.c); n_shards 0: the whole run */
    const struct nsm_cli_parts *parts; /* merge: the parts that replace the simulation */
    int xlsx;        /* --xlsx: results.xlsx beside the CSVs */
    uint64_t top;    /* compare --top K: at most K levers per outcome printed (0: all) */
    int routes, signposts; /* run --routes, --signposts: routes.csv, signposts.csv */
    const char *watch;     /* run --watch L: the signposts' watch dates (years; NULL: the
                           ** default, nsm_cli_watch_default) */
    int horizons_given;    /* --horizons was on the command line (else "2,5,10" and the end) */
    nsm_horizons hz;       /* --horizons on the scenario's report dates: filled by
                           ** nsm_cli_horizons once the command has read its scenario */
} nsm_cli_options;

/* run --signposts' watch dates without --watch, for m, into buf: 1, 2 and 3 years, those before
** the horizon's end ("1,2,3" for the baseline); for a horizon of a year or less, its middle. */
void nsm_cli_watch_default(const nsm_model *m, char *buf, size_t size);
/* The run configuration the options ask for (uncertainty: per replication unless --nominal). */
nsm_run_config nsm_cli_run_config(const nsm_cli_options *o, void *progress_ctx);
/* --horizons on m's report dates, into o->hz, ascending: each year given must be a report date
** within the horizon, once; the default (2, 5 and 10 years) keeps those within the horizon,
** each at its nearest report, and adds the last report. 0, or EXIT_USAGE (EXIT_SOFTWARE: out of
** memory) after a message. */
int nsm_cli_horizons(const char *cmd, nsm_cli_options *o, const nsm_model *m);

/* Parse argv (argv[0] is the command); returns 0, -1 after --help/--version, or an exit code.
** kind: 0 run, 1 compare, 2 sweep (each takes its own options besides the common ones). */
int nsm_cli_parse_options(int argc, char **argv, const char *cmd, const char *help, int kind,
                          nsm_cli_options *o);
int nsm_cli_sweep(int argc, char **argv);
/* The current UTC time as "YYYY-MM-DDTHH:MM:SSZ", for manifests. */
void nsm_cli_now(char started[32]);
/* Keep main's command line as typed (getopt later permutes argv), for the manifest. */
void nsm_cli_save_command(int argc, char **argv);
/* Fill the manifest. `command` is the line saved by nsm_cli_save_command, shell-quoted and
** re-runnable from `working_directory`; argv (which starts with the command, "run") is used
** only when no line was saved. */
void nsm_cli_manifest(nsm_manifest *mf, const nsm_model *m, const nsm_cli_options *o,
                      const nsm_run_stats *rs, const char *started, int argc, char **argv);
/* Stopping on a signal (cli/signals.c): nsm_cli_interrupted is 0, or the number of the signal
** that asked to stop. nsm_cli_catch_sigint(1) catches SIGINT, SIGTERM and SIGHUP (and ignores
** SIGXFSZ) from before a command creates its staging folder; (0) restores what was there. */
extern volatile sig_atomic_t nsm_cli_interrupted;
/* Non-zero when the simulation should stop: a signal came, or (under mpirun) another rank failed.
** The run configuration's stop flag (nsm_cli_run_config). */
extern volatile sig_atomic_t nsm_cli_stopping;
void nsm_cli_catch_sigint(int on);
/* The exit code of a stopped command: 128 + the signal (130 for Ctrl-C). */
int nsm_cli_stop_code(void);
/* "interrupted (Ctrl-C, SIGINT)", "stopped by SIGTERM", ... for messages. */
const char *nsm_cli_stop_name(void);
/* The end of every command that writes a results folder: commit `staging` into dest when *st is
** NSM_OK and no signal came (a stop after the last replication still writes nothing: *st becomes
** NSM_STOPPED); otherwise remove it and say why on stderr ("neasim COMMAND: interrupted ...;
** nothing was written", or the diagnostic). `staging` is NULL when creating it failed (*st then
** says why). Stops catching signals. Returns the exit code. */
int nsm_cli_finish_folder(const char *command, nsm_status *st, const char *staging,
                          const char *dest, nsm_diag *d);
int nsm_cli_check(int argc, char **argv);
int nsm_cli_trace(int argc, char **argv);
int nsm_cli_score(int argc, char **argv);
int nsm_cli_discover(int argc, char **argv);
/* The manifest's first rows, common to every command: tool, version, git_commit, command and
** working_directory. */
void nsm_cli_manifest_head(nsm_manifest *mf, int argc, char **argv);

/* Print "neasim VERSION (commit C; generator G)": `neasim --version` and every COMMAND --version. */
void nsm_cli_version(void);
/* How the results were made, for a summary's first line: "in 0.53 s on 2 threads", or for a
** merge "merged from 3 parts" (its own time is not the simulation's). */
void nsm_cli_how(const nsm_cli_options *o, const nsm_run_stats *rs, char *buf, size_t size);
/* Print a diagnostic's warnings and error to stderr. A failure for memory that left no message
** (st NSM_ERR_NOMEM from deep down) is said too, naming the command (NULL: none): no failure
** goes unexplained (tests/cli_nomem.sh). */
void nsm_cli_print_diag(const char *command, nsm_status st, const nsm_diag *d);
/* Print a diagnostic's warnings now (unless quiet) and forget them; the error stays. */
void nsm_cli_print_warnings(nsm_diag *d, int quiet);
/* Map a library status to an exit code, for a failure while reading (read = 1) or writing. */
int nsm_cli_exit_code(nsm_status s, int reading);
/* Parse an unsigned integer option value; prints a usage error and returns -1 when bad. */
int nsm_cli_parse_u64(const char *opt, const char *text, uint64_t min, uint64_t max, uint64_t *out);
/* Under --outer with fewer than NSM_CLI_FEW_DRAWS draws, print (to the summary) that the
** intervals counting the draws run narrow, and how many to give: run's MC intervals of the
** average, or (paired) compare's of the change. The brief and the figures say the same
** (scripts/figures_common.R nsm_few_draws, whose copy of the number tests/brief_check.py reads
** from here). */
void nsm_cli_few_draws_note(uint64_t n_draws, int paired);
/* Under --outer with fewer than NSM_JUDGMENT_FEW_DRAWS draws, print that a 5-95% judgment range
** from so few holds on average well under 90% of the `what` ("values", "changes") a draw can give
** (nsm_judgment_range_coverage, summary.h), and how many draws make it 88%. */
void nsm_cli_judgment_range_note(uint64_t n_draws, const char *what);
/* Read a scenario, printing warnings (unless quiet) and any error; returns 0 or an exit code. */
int nsm_cli_load(const char *dir, nsm_model **m, int quiet);
/* Print "prog CMD: message" and a hint to use --help; returns EXIT_USAGE. */
int nsm_cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Runs that stop at a precision (cli/precision.c): replications in batches of
** NSM_CLI_PRECISION_BATCH, until every target's 95% half-width is at most h or `ceiling` (--runs;
** NSM_CLI_PRECISION_CEILING when not given) is reached. With --outer, draws instead: a first
** batch of NSM_CLI_FEW_DRAWS (fewer draws make intervals that run narrow:
** nsm_cli_few_draws_note), then batches of NSM_CLI_PRECISION_DRAWS, up to `ceiling` = --outer N,
** each draw of --runs. */
/* The interactions of a comparison's arms of two levers, as its parts carry them: triple k is
** tri[k] = {a, b, a+b} and ipaired[3k], [3k+1], [3k+2] accumulate its pairs (a, b), (a, a+b),
** (b, a+b) (neasim/compare.h); then every two arms at the briefing's horizons (rivals.h, so that
** a lever is set beside the best exactly: nsm_comparison_rival). NULL where a command has none. */
typedef struct {
    int n;
    const int (*tri)[3];
    nsm_paired *const *ipaired;
    nsm_rivals *rivals;
} nsm_cli_interactions;

enum { NSM_CLI_PRECISION_BATCH = 1000, NSM_CLI_PRECISION_DRAWS = 10, NSM_CLI_FEW_DRAWS = 30 };
#define NSM_CLI_PRECISION_CEILING 1000000
typedef struct {
    const nsm_model *m;
    double h;
    uint64_t ceiling;
    nsm_precision_target *targets; /* owned: free() */
    int n_targets;
    nsm_accum *const *acc;         /* borrowed: the run's accumulators, one per arm */
    nsm_paired *const *paired;     /* compare only (NULL for a run) */
    int n_arms;                    /* 1 for a run */
    const char *const *arm_names;  /* compare only, for the messages */
    nsm_precision_widest widest;   /* after the last batch checked */
    int met;
    uint64_t events;               /* under mpirun, rank 0: events of the batches' parts */
    nsm_story *story;              /* run --routes, --signposts under mpirun, rank 0: the
                                   ** batches' routes and signposts (borrowed; NULL without) */
    const nsm_cli_interactions *inter; /* compare with arms a+b: the interactions' totals (under
                                       ** mpirun, rank 0's; borrowed; NULL without) */
    int interactions;       /* --precision-for interactions: the targets hold for the
                            ** interactions of inter too */
    int widest_interaction; /* widest.arm is then an interaction's index, not an arm's */
    int64_t *scratch;               /* owned: the rule's room (nsm_cli_precision_room) */
    nsm_interaction_inputs *inputs; /* owned, with interactions: the same */
    uint64_t outer_runs; /* --outer: the runs of a draw (0 without); the batches are then of
                         ** draws, and the ceiling is --outer N */
    double **reals; /* --outer under mpirun, rank 0: the per-draw tables (as nsm_cli_part_add
                    ** takes them) that the batches' parts fill at their draws' rows (borrowed) */
    int n_reals;
    size_t per_draw; /* doubles a draw has in each of reals */
    nsm_progress *bar; /* told the widest half-width after each batch (borrowed; NULL: none) */
    const nsm_arm *arms; /* compare only: the arms, whose labels the summary line gives */
} nsm_cli_precision;

/* The targets of --precision-for LIST (NULL: every outcome at every report of def), into a new
** array (free() it); 0, or an exit code after a message naming the bad item and what to give.
** arms: a comparison's n_arms arm names (arms[0] the one the others are compared with), which an
** item's "ARM:" names; NULL for `run`, which refuses "ARM:". The item `interactions` sets
** *interactions (the targets hold for the interactions of two levers too; alone, the targets are
** the default); a command without them passes NULL, and the item is refused there. */
int nsm_cli_precision_targets(const char *cmd, const char *list, const nsm_model *m,
                              const nsm_horizons *def, const char *const *arms, int n_arms,
                              nsm_precision_target **targets, int *n, int *interactions);
/* The rule's room (counts, and with p->interactions the interactions' inputs), made once before
** the batches so that the rule allocates nothing (nsm_cli_precision_release frees it); 0, or -1
** when out of memory. */
int nsm_cli_precision_room(nsm_cli_precision *p);
/* Free what p owns: its targets and the rule's room. */
void nsm_cli_precision_release(nsm_cli_precision *p);
/* The stopping rule (nsm_batches.enough): computes p->widest and p->met from the accumulators. */
int nsm_cli_precision_enough(void *ctx);
/* The manifest's precision_* rows; list: --precision-for as given, or what the default is. */
void nsm_cli_precision_manifest(nsm_manifest *mf, const nsm_cli_precision *p, const char *list);
/* After the summary: one line on stdout when the target was met, a warning on stderr when not.
** count: the runs used (with --outer, the draws). */
void nsm_cli_precision_say(const nsm_cli_precision *p, uint64_t count, int quiet);
/* The size of the batch after `done` items (replications, or with --outer draws), cut at the
** ceiling; 0 when the ceiling is reached. */
uint64_t nsm_cli_precision_batch(const nsm_cli_precision *p, uint64_t done);
/* --precision with --outer on one process: one batch, draws first .. first + count - 1 of the
** whole, simulated into the run's totals and per-draw tables (rc: the run's configuration, its
** progress told of the whole run, which the batch may change); a status and message. */
typedef nsm_status (*nsm_cli_draws_batch)(void *ctx, nsm_run_config *rc, uint64_t first,
                                          uint64_t count, nsm_run_stats *rs, nsm_diag *d);
/* The batches (nsm_cli_precision_batch) until the rule (nsm_cli_precision_enough, asked after
** every batch) is met or the ceiling is reached; *done: the draws run; rs summed over the
** batches. Draw j is the same whichever batch runs it (outer_loop.h), so the totals and tables
** are those of a plain --outer *done. */
nsm_status nsm_cli_precision_draws(nsm_cli_precision *p, nsm_run_config *rc,
                                   nsm_cli_draws_batch batch, void *ctx, nsm_run_stats *rs,
                                   uint64_t *done, nsm_diag *d);
/* --precision under mpirun (cli/precision.c). One rank's slice of a batch: replications first ..
** first + count - 1 (count may be 0) simulated into a new sealed part *p of every arm's
** accumulators (and paired ones), as nsm_cli_part_add packs them; or a status and message. */
typedef nsm_status (*nsm_cli_batch_slice)(void *ctx, uint64_t first, uint64_t count,
                                          nsm_part **p, nsm_diag *d);
/* Collective. The batches of one process (nsm_cli_precision_batch, up to p->ceiling), each
** split between the ranks as nsm_batches splits it: rank r simulates replications (with --outer,
** draws) floor(n r / K) .. floor(n (r + 1) / K) - 1 of a batch of n. After every batch each rank
** sends its status and part to rank 0 (nsm_cli_ranks_gather), which adds the parts in rank order
** into p->acc and p->paired (empty when called; read on rank 0 only; with --outer, each draw's
** rows into p->reals), applies the stopping rule and
** shares the decision, so every rank stops after the same batch: the target met, the ceiling,
** or a rank that failed or was stopped. `ready`: this rank's status before the first batch (not
** NSM_OK: it sends that instead of simulating). On rank 0: NSM_OK with the totals, p->widest and
** p->met; or the first failing rank's status and message in out ("rank K of N: ..."). On the
** other ranks: NSM_OK, or the status rank 0 shared (no message). */
nsm_status nsm_cli_precision_ranks(nsm_cli_precision *p, nsm_status ready,
                                   nsm_cli_batch_slice slice, void *ctx, nsm_diag *out);
/* --- Shards: partial results (cli/shard.c); neasim merge (cli/merge.c) --- */

/* The parts of a merge, checked alike (same command, scenario, seed, options, version) and in
** shard order, one a shard. */
typedef struct nsm_cli_parts {
    nsm_part **part;
    int n;
    int ranks;           /* gathered from MPI ranks: their number (0: read from files) */
    double wall_seconds; /* the ranks' time, for the summary and the manifest */
} nsm_cli_parts;

int nsm_cli_merge(int argc, char **argv);
/* run, compare and sweep with the simulation replaced by reading parts (neasim merge). */
int nsm_cli_run_parts(int argc, char **argv, const nsm_cli_parts *parts);
int nsm_cli_compare_parts(int argc, char **argv, const nsm_cli_parts *parts);
int nsm_cli_sweep_parts(int argc, char **argv, const nsm_cli_parts *parts);
/* Free every part and the array; ps is then empty (and may be released again). */
void nsm_cli_parts_release(nsm_cli_parts *ps);
/* Shard i (1-based) of n of `total` items: [*first, *first + *count), contiguous, the sizes
** differing by at most one. */
void nsm_cli_shard_slice(uint64_t total, uint32_t i, uint32_t n, uint64_t *first, uint64_t *count);
/* A new part for shard `shard` of n_shards holding items first..first+count-1 of command `kind`
** (its head: scenario, options, seed, version; with o->models, every scenario of compare A B ...:
** their absolute paths one a line, their checksums joined by ';'); NULL when out of memory. */
nsm_part *nsm_cli_part_new(const char *kind, const nsm_model *m, const nsm_cli_options *o,
                           uint32_t shard, uint32_t n_shards, uint64_t first, uint64_t count);
/* The same part written straight to `path` as it is filled (nsm_part_create: a part that grows
** with its slice, a sweep shard's points); NSM_ERR_NOMEM or NSM_ERR_IO with the message in d. */
nsm_status nsm_cli_part_create(const char *kind, const nsm_model *m, const nsm_cli_options *o,
                               uint32_t shard, uint32_t n_shards, uint64_t first, uint64_t count,
                               const char *path, nsm_part **p, nsm_diag *d);
/* Add the results of a slice, in the order nsm_cli_parts_read reads them, and seal the part:
** n_reals blocks of per-draw values (n_each doubles each), then acc[0..n_arms-1], then
** paired[1..n_arms-1] (paired may be NULL), then the interactions' paired accumulators (inter
** may be NULL), then the routes and signposts of run --routes, --signposts (story: NULL without;
** finished), then the events the slice simulated. */
nsm_status nsm_cli_part_add(nsm_part *p, nsm_accum *const *acc, nsm_paired *const *paired,
                            int n_arms, const nsm_cli_interactions *inter, const nsm_story *story,
                            const double *const *reals, int n_reals, size_t n_each,
                            uint64_t events);
/* The events the parts' slices simulated, together (what the manifest of a merge reports). */
uint64_t nsm_cli_parts_events(const nsm_cli_parts *ps);
/* The end of a shard: save the sealed part p to path atomically when st is NSM_OK and no signal
** came; otherwise say why on stderr. Stops catching signals. Returns the exit code. */
int nsm_cli_finish_part(const char *command, nsm_status st, nsm_part *p, const char *path,
                        nsm_diag *d);
/* NSM_ERR_INPUT naming the part (and the scenario that changed) when it was written from other
** scenarios than models[0..n-1]: one for run, sweep and the levers of compare, every scenario
** of compare A B ... in order. */
nsm_status nsm_cli_part_check_scenario(const nsm_part *p, const nsm_model *const *models, int n,
                                       nsm_diag *d);
/* The interactions' paired accumulators of part p (after its arms' PAIR sections) added into
** inter's, each checked against the totals of its two arms, acc (NSM_ERR_INPUT naming the part
** when damaged). NSM_OK at once when inter is NULL. */
nsm_status nsm_cli_part_read_interactions(nsm_part *p, const nsm_cli_interactions *inter,
                                          nsm_accum *const *acc, nsm_diag *d);
/* Read every part into the totals: accumulators (and the story, when not NULL) added, and
** per-draw values (per_item doubles an item) placed at the part's items of reals[r]: reals[0]
** probabilities, reals[1] standard errors, a value no draw gives refused (NSM_ERR_INPUT naming the
** part, as partial.c refuses counts no run can produce). Each part must be the slice of `total`
** items its shard number says, of the scenarios models[0..n_models-1]. */
nsm_status nsm_cli_parts_read(const nsm_cli_parts *ps, const nsm_model *const *models,
                              int n_models, uint64_t total, nsm_accum **acc, nsm_paired **paired,
                              int n_arms, const nsm_cli_interactions *inter, nsm_story *story,
                              double **reals, int n_reals, size_t per_item, nsm_diag *d);

/* --- Ranks: the processes of one command (cli/solo.c: one; cli/mpi.c in build/neasim-mpi:
** mpirun's). Only rank 0 writes results; ranks split the work as shards I/K do (cli/ranks.c). */

/* Start (before anything else; may consume MPI's arguments) and end (after everything). */
int nsm_cli_world_start(int *argc, char ***argv);
void nsm_cli_world_end(void);
int nsm_cli_world_rank(void);
int nsm_cli_world_size(void);
/* 1 in build/neasim-mpi once MPI has started (under mpirun or srun, even with one rank); 0 in
** neasim. */
int nsm_cli_world_launched(void);
/* Every rank gives n bytes; rank 0 receives them all, concatenated in rank order, in *all and
** their lengths in *sizes (new arrays; NULL on other ranks). Collective. 0, or -1. */
int nsm_cli_world_gather(const void *bytes, size_t n, unsigned char **all, size_t **sizes);
/* Rank 0's value, on every rank. Collective. */
int nsm_cli_world_share(int value);
/* Tell every other rank that this one failed (not collective; a few bytes each); and whether
** another rank has said so (polled from the main thread, between replications). */
void nsm_cli_world_tell_failure(void);
int nsm_cli_world_peer_failed(void);

/* Collective: every rank's outcome to rank 0: its status, and when NSM_OK its sealed part (p may
** be NULL: nothing to send), else its message. On rank 0: NSM_OK with ps holding the parts in
** rank order (named "rank K of N"), or the status of the first rank that failed with its message
** ("rank K of N: ...") in out (a failure before a stop: a stop is what the others see of it). On
** other ranks NSM_OK, ps empty. Release ps with nsm_cli_parts_release. */
nsm_status nsm_cli_ranks_gather(nsm_status st, const nsm_part *p, const nsm_diag *d,
                                nsm_cli_parts *ps, nsm_diag *out);
/* Under mpirun, wrap a progress callback (*fn, *ctx) so that each call also polls for another
** rank's failure and, when one came, sets nsm_cli_stopping: the ranks stop within a chunk of
** replications (or a point, or a draw) instead of finishing their slices. One at a time. */
void nsm_cli_ranks_watch(void (**fn)(void *, uint64_t, uint64_t), void **ctx);
/* --shard under mpirun is refused: the ranks split the work themselves. 0, or EXIT_USAGE. */
int nsm_cli_ranks_check(const char *cmd, const nsm_cli_options *o);

/* --- Slices: run and compare split into slices of their items (replications, or with --outer
** draws), one as a shard or one a rank under mpirun (cli/slices.c). One order of steps for both
** commands; what differs between them is in a slicer. --- */
typedef struct {
    const char *kind;   /* "run", "compare": the parts' command, and the messages' */
    const nsm_model *m;
    int n_arms;         /* compare: its arms (a shard's line says them); 0 for run */
    void *ctx;          /* the command's own, given to the callbacks */
    /* Items first .. first + count - 1 under the slice's options o (its shard, n_shards and
    ** quiet), simulated into a new sealed part *p (nsm_cli_part_new, nsm_cli_part_add); rs: the
    ** simulation's figures. */
    nsm_status (*part)(void *ctx, const nsm_cli_options *o, uint64_t first, uint64_t count,
                       nsm_part **p, nsm_run_stats *rs, nsm_diag *d);
    /* Rank 0 under mpirun: write the results folder from o->parts, as a merge does; the exit
    ** code. */
    int (*write)(void *ctx, nsm_cli_options *o);
} nsm_cli_slicer;

/* --shard I/N --out PART: simulate slice o->shard of o->n_shards and write its part; a line on
** stdout unless --quiet. The exit code. */
int nsm_cli_slices_shard(const nsm_cli_slicer *s, const nsm_cli_options *o);
/* Collective: every rank simulates its slice (rank K: shard K + 1 of N, quiet but for rank 0)
** and rank 0 gathers the parts and writes (s->write with o->parts set for the call). With
** --precision (prec not NULL): the slices are of every batch (nsm_cli_precision_ranks), added
** into the empty totals prec->acc and prec->paired (the caller's), which rank 0 writes as one
** part of the replications used; ready: as nsm_cli_precision_ranks takes it. On rank 0 the
** exit code, after the message of a failure; EXIT_OK on the others. */
int nsm_cli_slices_ranks(const nsm_cli_slicer *s, nsm_cli_options *o, nsm_cli_precision *prec,
                         nsm_status ready);

#endif
