/*
** partial.h: partial results, the file a shard writes (`--shard I/N --out PART`), `neasim merge`
** reads, and the bytes an MPI rank sends to rank 0.
**
** A partial result holds what a slice of a run produced, exactly: its integer accumulators (and
** the paired ones of a comparison, the routes and signposts of `run --routes --signposts`),
** per-draw results of a two-level run as IEEE-754 doubles copied bit for bit, or a sweep's point
** files as bytes; with a head that says what it is a slice of (the command, the scenario's
** checksum, the seed, the options that change results, the version that wrote it, shard I of N).
** Because the accumulators are integers, adding the parts of shards 1..N gives exactly the
** accumulators of one run: the tables written from them are the same bytes. (Routes are counted
** by their steps, in whatever order they were first seen; nsm_story_finish sorts them by a total
** order, so the parts' order does not matter either.)
**
** The format is an interface (README.md, "Partial results"): little-endian whatever the machine,
** versioned (NSM_PART_FORMAT), a sequence of tagged sections, and sealed by the SHA-256 of every
** byte before the seal, so that a truncated or damaged file is refused, never half read.
**
** Writing: nsm_part_new (in memory) or nsm_part_create (straight to a file) -> nsm_part_add_* in
** the order the reader will read -> nsm_part_seal (with the slice's count of events) ->
** nsm_part_bytes (in memory) or nsm_part_save -> nsm_part_free. Reading: nsm_part_load (a file) or
** nsm_part_open (bytes) checks the seal and the head -> nsm_part_read_* in the same order ->
** nsm_part_free. Every read error names the part (its file name, or the name given to open).
*/
#ifndef NEASIM_PARTIAL_H
#define NEASIM_PARTIAL_H

#include <stddef.h>
#include <stdint.h>

#include "neasim/accum.h"
#include "neasim/paired.h"
#include "neasim/rivals.h"
#include "neasim/status.h"
#include "neasim/story.h"

/* The version of the format written; a reader refuses any other. Format 2 added the count of
** events simulated (EVNT, before END), so that a merged manifest reports events_simulated; format 3
** the draws of a two-level run and their totals squared at the end of ACCU (accum.h); format 4
** the signposts' record of which replications each indicator happened in (STRY, story.h); format
** 5 compare --outer's third REAL, whether each arm is the best in a draw by less than the draw's
** noise (outer_draws.h, close). */
#define NSM_PART_FORMAT 5
#define NSM_PART_FORMAT_TEXT "5"

/* What a part is a slice of. The strings are owned by the head (nsm_part_head_release), and
** copied by nsm_part_new. */
typedef struct {
    char *kind;       /* the command: "run", "compare" or "sweep" */
    char *version;    /* the writer: "VERSION (commit C)" */
    char *checksum;   /* the scenario's (model.h), hex */
    char *scenario;   /* the scenario folder, as an absolute path when it was written */
    char *options;    /* the options that change results, one word a line (canonical order) */
    uint64_t seed;
    uint32_t shard, n_shards; /* shard (1-based) of n_shards */
    uint64_t first, count;    /* the slice: replications (run, compare), draws (--outer), or
                              ** points first, first + n_shards, ... (sweep: count of them) */
} nsm_part_head;

void nsm_part_head_release(nsm_part_head *h);

typedef struct nsm_part nsm_part;

/* A new part holding its head; NULL when out of memory. */
nsm_part *nsm_part_new(const nsm_part_head *head);
/* A new part written to a file as its sections are added, for a part that grows with its slice
** (a sweep shard's points): what it holds is at most its largest section and 64 KiB. Refused as
** nsm_part_save refuses path (nsm_part_check_dest); the bytes go to a temporary file beside path
** (PATH.tmp-XXXXXX), which nsm_part_save syncs and renames over path once sealed, and
** nsm_part_free removes when it was not saved. NSM_ERR_IO or NSM_ERR_NOMEM with the message in
** diag. The file holds the same bytes as a part held in memory would. */
nsm_status nsm_part_create(const nsm_part_head *head, const char *path, nsm_part **p,
                           nsm_diag *diag);
void nsm_part_free(nsm_part *p);

/* Sections, appended in order. NSM_ERR_NOMEM when out of memory (nothing appended); for a part
** of nsm_part_create, NSM_ERR_IO when its file could not be written (nsm_part_errno says why).
** Either way the part stays failed: every later call gives the same status. */
nsm_status nsm_part_add_accum(nsm_part *p, const nsm_accum *a);
nsm_status nsm_part_add_paired(nsm_part *p, const nsm_paired *q);
nsm_status nsm_part_add_rivals(nsm_part *p, const nsm_rivals *r);
/* Routes and signposts (story.h), after nsm_story_finish: the routes go in their sorted order,
** so the bytes do not depend on the threads. NSM_ERR_USAGE when a is not finished. */
nsm_status nsm_part_add_story(nsm_part *p, const nsm_story *a);
nsm_status nsm_part_add_reals(nsm_part *p, const double *x, uint64_t n);
nsm_status nsm_part_add_bytes(nsm_part *p, const void *bytes, uint64_t n);
/* The end: the count of events the slice simulated (nsm_run_stats.events; for a sweep's points,
** the sum of theirs), then the seal. No section may follow. */
nsm_status nsm_part_seal(nsm_part *p, uint64_t events);
/* The errno of the write that failed a part of nsm_part_create (0 if none did). */
int nsm_part_errno(const nsm_part *p);

/* The sealed bytes (borrowed; valid until nsm_part_free); NULL (n = 0) for a part in a file. */
const unsigned char *nsm_part_bytes(const nsm_part *p, size_t *n);
/* Whether a part may be written to `path`: it is absent, or an earlier part (a file that starts
** with the part's magic). Anything else, a folder or a file neasim did not write, is never
** replaced: NSM_ERR_IO with the message in diag. */
nsm_status nsm_part_check_dest(const char *path, nsm_diag *diag);
/* Write the sealed part to `path` atomically, if nsm_part_check_dest allows: a temporary file
** beside it (a part of nsm_part_create: its own, which must be for this path), synced, renamed
** over path, the folder synced. NSM_ERR_IO with the message in diag. */
nsm_status nsm_part_save(nsm_part *p, const char *path, nsm_diag *diag);

/* Read a part from n bytes (copied), or from a file. `name` names it in messages. The magic,
** format version, byte order, length and seal are checked, then the head is read:
** NSM_ERR_INPUT ("NAME: ...") when any is wrong, NSM_ERR_IO when the file cannot be read. A file
** is not held: its seal is checked reading it a block at a time, and each section is read from it
** when its turn comes (the file is closed meanwhile, and refused with NSM_ERR_IO if it is then no
** longer the file checked: another inode, size or time of modification), so that a part costs the
** memory of its largest section. */
nsm_status nsm_part_open(const void *bytes, size_t n, const char *name, nsm_part **p,
                         nsm_diag *diag);
nsm_status nsm_part_load(const char *path, nsm_part **p, nsm_diag *diag);
/* The head (borrowed) and the name given when opened. */
const nsm_part_head *nsm_part_head_of(const nsm_part *p);
const char *nsm_part_name(const nsm_part *p);

/* The next section, which must be of the kind asked for. read_accum, read_paired and read_story
** ADD the section into `into` (whose model must have the shape the section was written with, and
** a story the same options: checked; a story read is to be finished again before it is read);
** read_reals expects exactly n values; read_bytes lends the bytes (valid until the next read
** from p, or nsm_part_free).
** NSM_ERR_INPUT naming the part when the next section is another kind or does not fit, or when
** `into` with it added holds counts that no run can produce, though the seal is right (a writer's
** bug, a file made by hand: sim/internal.h, nsmi_accum_check and nsmi_paired_check), or a paired
** accumulator whose counts do not fit its arms' (base and arm: their totals with this part's
** added, read before it as the writers put them; NULL, not checked: nsmi_paired_fits); an
** accumulator found damaged (or its file changed) half-way through, or so, leaves `into` holding
** part or all of it, as read_accum adds it straight in, a window of the file at a time: give
** `into` up then. */
nsm_status nsm_part_read_accum(nsm_part *p, nsm_accum *into, nsm_diag *diag);
nsm_status nsm_part_read_paired(nsm_part *p, nsm_paired *into, const nsm_accum *base,
                                const nsm_accum *arm, nsm_diag *diag);
/* read_rivals adds the section into `into`, which must be of as many arms and the same horizons
** (else NSM_ERR_INPUT saying so); acc: every arm's totals, read before it as the writers put
** them, against which the counts are checked (nsmi_rivals_fits). */
nsm_status nsm_part_read_rivals(nsm_part *p, nsm_rivals *into, const nsm_accum *const *acc,
                                nsm_diag *diag);
nsm_status nsm_part_read_story(nsm_part *p, nsm_story *into, nsm_diag *diag);
nsm_status nsm_part_read_reals(nsm_part *p, double *x, uint64_t n, nsm_diag *diag);
nsm_status nsm_part_read_bytes(nsm_part *p, const void **bytes, uint64_t *n, nsm_diag *diag);
/* Whether every section has been read (the next is the count of events, then the end). */
int nsm_part_at_end(const nsm_part *p);
/* The count of events the part's slice simulated, as given to nsm_part_seal (known from open). */
uint64_t nsm_part_events(const nsm_part *p);

#endif
