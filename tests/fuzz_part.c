/*
** fuzz_part.c: libFuzzer target for partial results (sim/partial.c, README.md "Partial
** results"): the files `neasim merge` reads from shards, and the bytes rank 0 reads from the other
** MPI ranks. A part's seal, the SHA-256 of every byte before it, refuses a damaged file before a
** section is read, and so would stop nearly every mutation at the first check; this target
** reseals each input, which puts what lies behind the seal under test: a sealed part that is
** wrong (a writer's bug, a file made by another program from the README's description) must be
** read or refused with a message naming it, never crash, read out of bounds, leak or loop, and
** what a reader accepted must be writable as the tables `neasim merge` writes from it.
**
** An input: byte 0, bit 0: read from a file (nsm_part_load, the section cursor's window) rather
** than from memory (nsm_part_open); bytes 1..8 the reads, in order, as a command makes them
** (shard.c, nsm_cli_parts_read): 1 an accumulator, 2 a paired one, 3 routes and signposts, 4 +
** 8 x k reals (k a replication, the head's count of them: the per-draw results of --outer),
** 5 bytes, 6 a sweep's points unpacked into a work folder, 7 every two arms at the horizons (the
** rivals, at compare's default horizons of the model: its last report), 0 no more; the rest is the part, its
** last 32 bytes replaced by the seal of those before them. Accumulators are of the model in
** tests/fixtures/fuzz-seeds/part, small enough that its parts are a few kilobytes; their
** seeds are made by a real neasim (tests/fuzz_part_seeds.sh, run by `make fuzz`).
**
** Built for replay (tests/fuzz_replay.c, FUZZ_TARGET defined), the target prints what became of
** each input ("read whole" or the message), so that a test can see that the seeds reach every
** reader rather than stopping at a check.
*/
#include <errno.h>
#include <openssl/evp.h>
#include <sys/stat.h>

#include "fuzz_common.h"
#include "neasim/arms.h"
#include "neasim/compare.h"
#include "neasim/partial.h"
#include "neasim/results.h"
#include "neasim/story.h"
#include "neasim/storyout.h"
#include "neasim/sweep.h"

enum { READS = 8, SEAL = 32, ARMS = 2 };

static const nsm_model *model(void)
{
    static nsm_model *m;
    if (!m)
        m = fuzz_model("tests/fixtures/fuzz-seeds/part");
    return m;
}

/* The baseline and the model's one lever, as `compare --levers all` makes them. */
static const nsm_arm *arms(void)
{
    static nsm_arm *a;
    if (!a) {
        int n = 0;
        nsm_diag d;
        nsm_diag_init(&d);
        if (nsm_arms_build(model(), "all", 0, "fuzz", &a, &n, &d) != NSM_OK || n != ARMS)
            abort();
        nsm_diag_release(&d);
    }
    return a;
}

/* The seal of the input's part, as nsm_part_seal writes it. */
static void reseal(uint8_t *b, size_t n)
{
    if (n < SEAL)
        return;
    unsigned int len = 0;
    if (!EVP_Digest(b, n - SEAL, b + n - SEAL, &len, EVP_sha256(), NULL) || len != SEAL)
        abort();
}

typedef struct {
    nsm_accum *acc[ARMS];
    nsm_paired *paired[ARMS];
    nsm_rivals *rivals;
    nsm_story *story;
    int n_acc, n_paired;
} reads;

static void reads_release(reads *r)
{
    for (int a = 0; a < ARMS; a++) {
        nsm_accum_free(r->acc[a]);
        nsm_paired_free(r->paired[a]);
    }
    nsm_rivals_free(r->rivals);
    nsm_story_free(r->story);
}

/* Points of a sweep's part: those of its shard, as the head says (a few at most). */
static nsm_status unpack(nsm_part *p, const char *work, nsm_diag *d)
{
    const nsm_part_head *h = nsm_part_head_of(p);
    if (h->count > 64 || h->n_shards == 0 || h->first > 64 || h->n_shards > 64)
        return nsm_diag_error(d, NSM_ERR_INPUT, "fuzz: more points than this target unpacks");
    size_t n_points = (size_t)(h->first + h->count * h->n_shards);
    return nsm_sweep_unpack_points(work, p, n_points, (size_t)h->first, h->n_shards, d);
}

/* One read of kind `op`; a new accumulator for each (a command reads each into its own). */
static nsm_status read_one(nsm_part *p, int op, reads *r, const char *dir, nsm_diag *d)
{
    const nsm_model *m = model();
    switch (op & 7) {
    case 1:
        if (r->n_acc == ARMS)
            break;
        if (!(r->acc[r->n_acc] = nsm_accum_alloc(m)))
            return NSM_ERR_NOMEM;
        return nsm_part_read_accum(p, r->acc[r->n_acc++], d);
    case 2: {
        if (r->n_paired == ARMS - 1)
            break;
        if (!(r->paired[++r->n_paired] = nsm_paired_alloc(m)))
            return NSM_ERR_NOMEM;
        /* as a command reads it, against its arms' totals when they were read before it */
        int arms_read = r->n_acc > r->n_paired;
        return nsm_part_read_paired(p, r->paired[r->n_paired], arms_read ? r->acc[0] : NULL,
                                    arms_read ? r->acc[r->n_paired] : NULL, d);
    }
    case 3: {
        if (r->story)
            break;
        nsm_story_options o = {1, 1, 1, {1.0}}; /* run --routes --signposts: --watch 1 */
        if (!(r->story = nsm_story_alloc(m, &o)))
            return NSM_ERR_NOMEM;
        return nsm_part_read_story(p, r->story, d);
    }
    case 4: {
        uint64_t n = nsm_part_head_of(p)->count * (uint64_t)(op >> 3);
        if (n > 4096)
            break;
        double *x = malloc(((size_t)n + 1) * sizeof *x);
        if (!x)
            return NSM_ERR_NOMEM;
        nsm_status st = nsm_part_read_reals(p, x, n, d);
        free(x);
        return st;
    }
    case 5: {
        const void *b = NULL;
        uint64_t n = 0;
        return nsm_part_read_bytes(p, &b, &n, d);
    }
    case 7: {
        if (r->rivals)
            break;
        const int last[1] = {m->n_reports - 1}; /* compare's default horizons here */
        if (!(r->rivals = nsm_rivals_alloc(m, ARMS, last, 1)))
            return NSM_ERR_NOMEM;
        for (int a = r->n_acc; a < ARMS; a++) /* a command has read every arm's before */
            if (!(r->acc[r->n_acc++] = nsm_accum_alloc(m)))
                return NSM_ERR_NOMEM;
        return nsm_part_read_rivals(p, r->rivals, (const nsm_accum *const *)r->acc, d);
    }
    case 6: {
        char work[160];
        snprintf(work, sizeof work, "%s/work", dir);
        if (mkdir(work, 0777) != 0 && errno != EEXIST)
            abort();
        return unpack(p, work, d);
    }
    default:
        break;
    }
    return nsm_diag_error(d, NSM_ERR_INPUT, "fuzz: no such read");
}

/* What a command writes from what it read: the run's tables, the routes and signposts, and with
** two arms and their pairs the comparison's. */
static void write_all(reads *r, const char *dir)
{
    const nsm_model *m = model();
    nsm_diag d;
    nsm_diag_init(&d);
    nsm_manifest mf = {0};
    nsm_write_options opt = {0};
    nsm_status st = NSM_OK;
    if (r->n_acc == 1)
        st = nsm_results_write(dir, m, r->acc[0], &mf, &opt, &d);
    if (st == NSM_OK && r->story && (st = nsm_story_finish(r->story)) == NSM_OK)
        st = nsm_story_write(dir, m, r->story, 0, &d);
    if (st == NSM_OK && r->n_acc == ARMS && r->n_paired == ARMS - 1) {
        const char *names[ARMS] = {arms()[0].name, arms()[1].name};
        st = nsm_results_write_arms(dir, m, ARMS, names, NULL, (const nsm_accum *const *)r->acc,
                                    &mf, &opt, &d);
        nsm_comparison cmp = {m, arms(), ARMS, (const nsm_accum *const *)r->acc, r->paired,
                              {1, {m->n_reports - 1}, {2.0}}, NULL, 0, NULL, NULL, r->rivals};
        if (st == NSM_OK)
            st = nsm_compare_write(dir, &cmp, &opt, &d);
    }
    fuzz_check(st, &d);
    nsm_diag_release(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 + READS)
        return 0;
    size_t n = size - 1 - READS;
    uint8_t *b = malloc(n + 1);
    if (!b)
        abort();
    memcpy(b, data + 1 + READS, n);
    reseal(b, n);
    const char *dir = fuzz_dir(NULL);
    nsm_diag d;
    nsm_diag_init(&d);
    nsm_part *p = NULL;
    nsm_status st;
    if (data[0] & 1) {
        char path[128];
        snprintf(path, sizeof path, "%s/fuzz.part", dir);
        fuzz_write(path, b, n);
        st = nsm_part_load(path, &p, &d);
    } else {
        st = nsm_part_open(b, n, "fuzz.part", &p, &d);
    }
    free(b);
    reads r = {0};
    for (int k = 0; st == NSM_OK && k < READS && data[1 + k]; k++)
        st = read_one(p, data[1 + k], &r, dir, &d);
    if (st == NSM_OK && !nsm_part_at_end(p))
        st = nsm_diag_error(&d, NSM_ERR_INPUT, "fuzz: more sections than the reads");
    fuzz_check(st, &d);
    if (st == NSM_OK)
        write_all(&r, dir);
#ifdef FUZZ_TARGET
    printf("  %s\n", st == NSM_OK ? "read whole" : d.error);
#endif
    reads_release(&r);
    nsm_part_free(p);
    nsm_diag_release(&d);
    return 0;
}
