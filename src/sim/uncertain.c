/*
** uncertain.c: numbers written as distributions, drawn for a replication. Each uncertain number
** draws from its own stream, keyed by (seed, draw, "param:PATH"); draw = the replication (per-run uncertainty) or the block of
** replications it belongs to (outer draws); GSL's sampler for the distribution turns the stream
** into a value (dist.h). The phase models of the replication are built from
** the scenario's numbers: draws first, then the arm's point and levers (arms.c); after the first
** replication only the numbers that the draws and the arm write are written again
** (nsm_arm_redraw), and in a comparison every arm takes the baseline's draws, and copies from the
** baseline's models the drawn numbers that its levers do not touch.
**
** Each number's stream is reached by seeking a state in place (nsm_rng_philox): the same (key,
** counter) as nsm_rng_set_stream, without its call and check 158 times a replication (issue 14).
** Computing the streams' first blocks before the draws, 16 side by side with SSE2, was tried and
** dropped: 2% fewer instructions, no change in CPU time (9 interleaved rounds, 1.00x). Nothing
** drawn is kept from one replication to the next but in the scratch models,
** which hold a complete draw only while scratch_draw and scratch_seed name it.
*/
#include <stdlib.h>
#include <string.h>

#include "neasim/dist.h"
#include "neasim/params.h"
#include "neasim/rng.h"
#include "sim/internal.h"

void nsmi_uncertain_free(nsm_sim *s)
{
    for (int j = 0; s->scratch && j < s->n_phases; j++)
        nsm_model_free(s->scratch[j]);
    free(s->scratch);
    free(s->draw_value);
    free(s->sampler);
    if (s->param_rng)
        gsl_rng_free(s->param_rng);
    nsm_arm_redraw_free(s->redraw);
    s->scratch = NULL;
    s->draw_value = NULL;
    s->sampler = NULL;
    s->param_rng = NULL;
    s->redraw = NULL;
    s->scratch_built = 0;
}

void nsmi_uncertain_share(nsm_sim *s, const nsm_sim *src)
{
    s->draw_source = src && src->model0 == s->model0 ? src : NULL;
}

static int scratch_alloc(nsm_sim *s)
{
    const nsm_model *m = s->model0;
    s->scratch = calloc((size_t)s->n_phases + 1, sizeof *s->scratch);
    s->draw_value = calloc((size_t)m->n_uncertain + 1, sizeof *s->draw_value);
    s->sampler = malloc(((size_t)m->n_uncertain + 1) * sizeof *s->sampler);
    s->param_rng = gsl_rng_alloc(nsm_rng_philox4x32);
    s->redraw = nsm_arm_redraw_alloc(m, s->arm);
    if (!s->scratch || !s->draw_value || !s->sampler || !s->param_rng || !s->redraw)
        return -1;
    for (int k = 0; k < m->n_uncertain; k++) {
        const nsm_uncertain *u = &m->uncertain[k];
        nsm_dist d = {(nsm_dist_kind)u->kind, {u->p[0], u->p[1], u->p[2]}};
        nsm_dist_sampler_init(&s->sampler[k], &d);
    }
    for (int j = 0; j < s->n_phases; j++)
        if (!(s->scratch[j] = nsm_model_variant(m)))
            return -1;
    return 0;
}

/* The source's scratch models hold a complete draw (seed, draw). */
static int source_holds(const nsm_sim *src, uint64_t seed, uint64_t draw)
{
    return src && src->draw_value && src->scratch_seed == seed && src->scratch_draw == draw + 1;
}

/* The values of the uncertain numbers for (seed, draw): the source's when it holds them (the
** same streams would give the same values), otherwise drawn. */
static void draw_values(nsm_sim *s, uint64_t seed, uint64_t draw)
{
    const nsm_model *m = s->model0;
    const nsm_sim *src = s->draw_source;
    if (source_holds(src, seed, draw)) {
        memcpy(s->draw_value, src->draw_value, (size_t)m->n_uncertain * sizeof *s->draw_value);
        return;
    }
    nsm_philox *stream = nsm_rng_philox(s->param_rng); /* seeks param_rng inline */
    for (int k = 0; k < m->n_uncertain; k++) {
        const nsm_uncertain *u = &m->uncertain[k];
        nsm_philox_seek(stream, seed, draw, u->stream); /* = nsm_rng_set_stream */
        double x = nsm_dist_sampler_draw(&s->sampler[k], s->param_rng); /* = nsm_dist_sample */
        /* GSL's samplers can round to the very end of the support (gsl_ran_flat gives a
        ** when its uniform is 0, beta(1,0.01) gives 1): such a value was not validated by
        ** the reader, so it is clamped into [lo, hi] (probability about 2e-12 a draw). */
        s->draw_value[k] = x < u->lo ? u->lo : x > u->hi ? u->hi : x;
    }
}

/* The arm's models can take drawn numbers from the source's (nsm_arm_redraw_phases_from): the
** source holds this draw on the plain arm (no levers, no point: its phase 0 is the draws alone).
** In a comparison, the baseline for every levers' arm (issue 14: every arm wrote the same drawn
** numbers again each replication). */
static int copy_from_source(const nsm_sim *s, uint64_t seed, uint64_t draw)
{
    const nsm_sim *src = s->draw_source;
    return source_holds(src, seed, draw) && src->scratch && src->arm->n_levers == 0 &&
           src->arm->n_sets == 0 && src->arm->n_phases == 1 && nsm_arm_redraw_n_shared(s->redraw) > 0;
}

int nsmi_uncertain_alloc(nsm_sim *s)
{
    if (s->uncertainty == NSM_UNCERTAINTY_NOMINAL || s->model0->n_uncertain == 0 || s->scratch)
        return 0;
    return scratch_alloc(s);
}

nsm_status nsmi_uncertain_prepare(nsm_sim *s, uint64_t seed, uint64_t rep, nsm_diag *diag)
{
    const nsm_model *m = s->model0;
    if (s->uncertainty == NSM_UNCERTAINTY_NOMINAL || m->n_uncertain == 0)
        return NSM_OK;
    if (nsmi_uncertain_alloc(s))
        return diag ? nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory") : NSM_ERR_NOMEM;
    uint64_t draw = s->uncertainty == NSM_UNCERTAINTY_OUTER ? rep / s->runs_per_draw : rep;
    if (s->scratch_draw != draw + 1 || s->scratch_seed != seed) { /* outer: once per block */
        draw_values(s, seed, draw);
        nsm_diag why;
        nsm_diag_init(&why);
        /* a rebuild resets every number; a redraw only those written, and copies from the
        ** source's models those that the arm does not touch (arms.h) */
        const nsm_model *drawn = copy_from_source(s, seed, draw) ? s->draw_source->scratch[0] : NULL;
        nsm_status st = s->scratch_built
                            ? nsm_arm_redraw_phases_from(s->redraw, s->draw_value, drawn, s->scratch, &why)
                            : nsm_arm_build_phases(m, s->arm, s->draw_value, s->scratch, &why);
        if (st != NSM_OK && diag)
            nsm_diag_error(diag, st, "replication %llu: %s", (unsigned long long)rep,
                           why.error ? why.error : "out of memory");
        nsm_diag_release(&why);
        if (st != NSM_OK) {
            s->scratch_draw = 0; /* the scratch models hold no complete draw */
            return st;
        }
        s->scratch_built = 1;
        s->scratch_draw = draw + 1;
        s->scratch_seed = seed;
    }
    s->phase_model = (const nsm_model *const *)s->scratch;
    return NSM_OK;
}
