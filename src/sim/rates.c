/*
** rates.c: the hazard clocks, updated only where something changed.
**
** Each process k keeps in its clock (nsmi_clock, internal.h) the time `last` its rate last
** changed, its internal time T at that moment, the internal time P of its next firing and so the
** absolute time tau at which it fires if its rate stays as it is: tau = last + (P - T) / rate. A
** rate changes only when a factor it depends on changes (its own factor, or a factor in one of
** its modifiers' conditions, in a way that turns one of their clauses), when the calendar month
** changes (seasonal processes) or when its gamma multiplier is redrawn; those processes are marked
** dirty and recomputed at the end of the instant. A counted event that changes no state touches
** only its own clock. This is the modified next reaction method with Gibson and Bruck's
** dependency graph (Anderson 2007; Gibson and Bruck 2000).
**
** The next firing, the smallest (tau, k), is kept by firings.c: setting a clock's tau there costs
** a store, and only the blocks of processes whose tau changed are looked at again when the engine
** asks for the next firing, so that an event costs about the same whatever the number of
** processes (issue 14).
*/
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "neasim/rng.h"
#include "sim/internal.h"

static int *csr_alloc(int n)
{
    return calloc((size_t)n + 2, sizeof(int));
}

int nsmi_group(const int *key, int n, int n_keys, int **start, int **list)
{
    int *fill = csr_alloc(n_keys);
    *start = csr_alloc(n_keys);
    *list = csr_alloc(n);
    if (!fill || !*start || !*list) {
        free(fill);
        return -1; /* the caller frees *start and *list with the simulator */
    }
    for (int i = 0; i < n; i++)
        (*start)[key[i] + 1]++;
    for (int k = 0; k < n_keys; k++)
        (*start)[k + 1] += (*start)[k];
    for (int i = 0; i < n; i++)
        (*list)[(*start)[key[i]] + fill[key[i]]++] = i;
    free(fill);
    return 0;
}

/* Modifiers by the process they multiply. */
static int index_modifiers(nsm_sim *s)
{
    const nsm_model *m = s->m;
    int *key = csr_alloc(m->n_modifiers);
    for (int j = 0; key && j < m->n_modifiers; j++)
        key[j] = m->modifiers[j].process;
    int r = key ? nsmi_group(key, m->n_modifiers, s->n_proc, &s->mod_start, &s->mod_list) : -1;
    free(key);
    return r;
}

/* Whether a clause (f, mask) comes in process k's modifiers before clause q of its modifier
** j_end (a repeat of it, listed once). */
static int repeated(const nsm_sim *s, int k, int j_end, int q_end, int f, uint64_t mask)
{
    const nsm_model *m = s->m;
    for (int j = s->mod_start[k]; j <= j_end; j++) {
        const nsm_condition *c = &m->modifiers[s->mod_list[j]].cond;
        for (int q = 0; q < (j == j_end ? q_end : c->n_clauses); q++)
            if (c->clauses[q].factor == f && c->clauses[q].mask == mask)
                return 1;
    }
    return 0;
}

/* Process k's dependences through its modifiers, in the order of its modifiers' clauses: one for
** each distinct clause (factor f, mask) that names another factor than its own, key[n] = f,
** item[n] = k, mask[n] its mask; n returned. A transition's dependence on its own factor is
** indexed by level instead (index_transitions). Quadratic in the clauses of one process, which
** are few. */
static int dependencies_of(const nsm_sim *s, int k, int *key, int *item, uint64_t *mask, int n)
{
    const nsm_model *m = s->m;
    int own = k < m->n_transitions ? m->transitions[k].factor : -1;
    for (int j = s->mod_start[k]; j < s->mod_start[k + 1]; j++) {
        const nsm_condition *c = &m->modifiers[s->mod_list[j]].cond;
        for (int q = 0; q < c->n_clauses; q++) {
            int f = c->clauses[q].factor;
            if (f == own || repeated(s, k, j, q, f, c->clauses[q].mask))
                continue;
            if (key) {
                key[n] = f;
                item[n] = k;
                mask[n] = c->clauses[q].mask;
            }
            n++;
        }
    }
    return n;
}

/* Processes by the factors their modifiers name, in process order within a factor, each with the
** mask of a clause on that factor (a process once for each distinct mask), built once per
** simulator in O(F + K + clauses), and the square of each process's own clauses (the O(F x K)
** search that was here took ~10 ms at 320 factors, a tenth of a 500,000-event run: issue 14). A change of f from a to b re-rates a process only if
** one of its clauses on f holds at one of a and b and not at the other (nsmi_mark_change): a
** hazard depends on f only through the truth of those clauses (a condition is a function of its
** clauses' truths, conjunction or disjunction), so any other comes out the same number. */
static int index_dependencies(nsm_sim *s)
{
    int F = s->m->n_factors, K = s->n_proc, n = 0;
    int *key = NULL, *item = NULL;
    uint64_t *mask = NULL;
    for (int k = 0; k < K; k++)
        n = dependencies_of(s, k, NULL, NULL, NULL, n);
    key = calloc((size_t)n + 1, sizeof *key);
    item = calloc((size_t)n + 1, sizeof *item);
    mask = calloc((size_t)n + 1, sizeof *mask);
    s->dep_mask = calloc((size_t)n + 1, sizeof *s->dep_mask);
    int r = -1;
    if (!key || !item || !mask || !s->dep_mask)
        goto out;
    for (int k = 0, p = 0; k < K; k++)
        p = dependencies_of(s, k, key, item, mask, p);
    /* nsmi_group keeps the entries' order within a factor: the processes' order */
    if ((r = nsmi_group(key, n, F, &s->dep_start, &s->dep_list)) == 0)
        for (int j = 0; j < n; j++) {
            s->dep_mask[j] = mask[s->dep_list[j]];
            s->dep_list[j] = item[s->dep_list[j]];
        }
out:
    free(key);
    free(item);
    free(mask);
    return r;
}

/* Processes whose seasonal multiplier is not 1 in every month: re-rated at month starts (those
** of them whose multiplier changes: nsmi_season_changes). */
static int index_seasonal(nsm_sim *s)
{
    const double *season = s->m->seasonality;
    if (!(s->seasonal_list = csr_alloc(s->n_proc)) ||
        !(s->season_list = csr_alloc(12 * s->n_proc)) || !(s->season_start = csr_alloc(13)))
        return -1;
    s->n_seasonal = 0;
    for (int k = 0; season && k < s->n_proc; k++) {
        int varies = 0;
        for (int mo = 0; mo < 12; mo++)
            varies |= season[k * 12 + mo] != 1.0;
        if (varies)
            s->seasonal_list[s->n_seasonal++] = k;
    }
    return 0;
}

/* Transitions by the flat index of their `from` level: a change old -> new of a factor re-rates
** only the transitions out of old (now off) and out of new (now on). */
static int index_transitions(nsm_sim *s)
{
    const nsm_model *m = s->m;
    int *key = csr_alloc(m->n_transitions);
    for (int k = 0; key && k < m->n_transitions; k++)
        key[k] = m->factors[m->transitions[k].factor].first_level + m->transitions[k].from;
    int r = key ? nsmi_group(key, m->n_transitions, m->n_levels_total, &s->from_start,
                             &s->from_list)
                : -1;
    free(key);
    return r;
}

int nsmi_rates_alloc(nsm_sim *s)
{
    const nsm_model *m = s->m;
    size_t K = (size_t)s->n_proc + 1;
    s->clock = calloc(K, sizeof *s->clock);
    s->dirty = calloc(K, 1);
    s->dirty_list = calloc(K, sizeof *s->dirty_list);
    for (int k = 0; s->clock && k < s->n_proc; k++) {
        s->clock[k].factor = k < m->n_transitions ? m->transitions[k].factor : -1;
        s->clock[k].from = k < m->n_transitions ? m->transitions[k].from : -1;
    }
    if (!s->clock || !s->dirty || !s->dirty_list || nsmi_firings_init(&s->next, s->n_proc) ||
        index_seasonal(s))
        return -1;
    return index_modifiers(s) || index_dependencies(s) || index_transitions(s) ? -1 : 0;
}

void nsmi_rates_free(nsm_sim *s)
{
    free(s->clock);
    nsmi_firings_release(&s->next);
    free(s->dirty);
    free(s->dirty_list);
    free(s->mod_start);
    free(s->mod_list);
    free(s->dep_start);
    free(s->dep_list);
    free(s->dep_mask);
    free(s->seasonal_list);
    free(s->season_list);
    free(s->season_start);
    free(s->from_start);
    free(s->from_list);
}

void nsmi_rates_use_scan(nsm_sim *s, int on)
{
    s->next_scan = on;
}

/* ---------------------------------------------------------------- marking and rating */

void nsmi_mark_process(nsm_sim *s, int k)
{
    if (!s->dirty[k]) {
        s->dirty[k] = 1;
        s->dirty_list[s->n_dirty++] = k;
    }
}

/* Mark the processes list[j0..j1) unmarked so far, into dirty and dirty_list from n on; returns the
** new count. The flags are bytes, which may alias anything: the callers pass what the loop touches
** as arguments, so that each store does not make the compiler reload it from s (this runs at every
** change of state: issue 14). */
static inline int mark_range(unsigned char *dirty, int *dirty_list, int n, const int *list, int j0,
                             int j1)
{
    for (int j = j0; j < j1; j++) {
        int k = list[j];
        if (!dirty[k]) {
            dirty[k] = 1;
            dirty_list[n++] = k;
        }
    }
    return n;
}

static void mark_level(nsm_sim *s, int f, int level)
{
    int l = s->m->factors[f].first_level + level;
    s->n_dirty = mark_range(s->dirty, s->dirty_list, s->n_dirty, s->from_list, s->from_start[l],
                            s->from_start[l + 1]);
}

/* The transitions out of the levels left and entered, and the processes one of whose clauses on f
** a change from -> to turns (index_dependencies); the reference (nsmi_engine_use_reference)
** marks every process that names f, which test_shortcuts holds equal to this. */
void nsmi_mark_change(nsm_sim *s, int f, int from, int to)
{
    const int *from_start = s->from_start + s->m->factors[f].first_level, *from_list = s->from_list;
    const int *dep_list = s->dep_list;
    const uint64_t *dep_mask = s->dep_mask;
    int d0 = s->dep_start[f], d1 = s->dep_start[f + 1];
    unsigned char *dirty = s->dirty;
    int *dirty_list = s->dirty_list, n = s->n_dirty;
    n = mark_range(dirty, dirty_list, n, from_list, from_start[from], from_start[from + 1]);
    n = mark_range(dirty, dirty_list, n, from_list, from_start[to], from_start[to + 1]);
    if (s->reference) {
        s->n_dirty = mark_range(dirty, dirty_list, n, dep_list, d0, d1);
        return;
    }
    for (int j = d0; j < d1; j++) {
        int k = dep_list[j];
        if ((((dep_mask[j] >> from) ^ (dep_mask[j] >> to)) & 1u) && !dirty[k]) {
            dirty[k] = 1;
            dirty_list[n++] = k;
        }
    }
    s->n_dirty = n;
}

static int month_before(int mo)
{
    return mo == 1 ? 12 : mo - 1;
}

/* The seasonal processes whose multiplier in the current model differs from the month before's,
** by month: a month start re-rates only those. The others' hazards would come out the same, bit
** for bit (the same product of the same numbers), so leaving them alone changes no output. The
** multipliers may be drawn per replication and may change with a phase: called at the start of a
** replication and at a phase change. */
void nsmi_season_changes(nsm_sim *s)
{
    const double *season = s->m->seasonality;
    if (!season && s->season_start[13] == 0)
        return; /* no seasonality, and the lists are empty already (every start 0) */
    int n = 0;
    for (int mo = 1; mo <= 12; mo++) {
        s->season_start[mo] = n;
        for (int j = 0; season && j < s->n_seasonal; j++) {
            int k = s->seasonal_list[j];
            if (season[k * 12 + mo - 1] != season[k * 12 + month_before(mo) - 1])
                s->season_list[n++] = k;
        }
    }
    s->season_start[13] = n;
}

int nsmi_season_changes_at(const nsm_sim *s, int from, int to)
{
    return from != month_before(to) || s->season_start[to + 1] > s->season_start[to];
}

void nsmi_mark_month(nsm_sim *s, int from, int to)
{
    if (from != month_before(to)) { /* not the month after: whatever may have changed */
        for (int j = 0; j < s->n_seasonal; j++)
            nsmi_mark_process(s, s->seasonal_list[j]);
        return;
    }
    for (int j = s->season_start[to]; j < s->season_start[to + 1]; j++)
        nsmi_mark_process(s, s->season_list[j]);
}

/* The transitions' base rates of the current model into their clocks. */
static void copy_base_rates(nsm_sim *s)
{
    for (int k = 0; k < s->m->n_transitions; k++)
        s->clock[k].base = s->m->transitions[k].rate;
}

void nsmi_mark_all(nsm_sim *s)
{
    copy_base_rates(s); /* a new phase: every number may have changed */
    for (int k = 0; k < s->n_proc; k++)
        nsmi_mark_process(s, k);
}

void nsmi_mark_initial(nsm_sim *s)
{
    const nsm_model *m = s->m;
    for (int f = 0; f < m->n_factors; f++)
        mark_level(s, f, s->level[f]);
    for (int k = m->n_transitions; k < s->n_proc; k++)
        nsmi_mark_process(s, k);
}

/* Every replication, on every process: the arrays in locals (the byte stores to the dirty flags
** would make the compiler reload them from s at each step), the base rates taken in the same pass. */
void nsmi_rates_reset(nsm_sim *s)
{
    nsmi_clock *clock = s->clock;
    const nsm_transition *tr = s->m->transitions;
    int nt = s->m->n_transitions;
    for (int k = 0; k < s->n_proc; k++) {
        nsmi_clock *c = &clock[k];
        c->rate = c->T = c->last = 0.0;
        c->P = -1.0; /* drawn when the process first has a positive rate */
        if (k < nt)
            c->base = tr[k].rate;
    }
    memset(s->dirty, 0, (size_t)s->n_proc);
    nsmi_firings_clear(&s->next);
    s->n_dirty = 0;
}

/* Process k's hazard now, per day (the engine's clock, model.h): base x modifiers x season x gamma,
** the rates being per year; k is not a transition out of a level its factor has left (those are
** 0: nsmi_rates_update). */
static double hazard(const nsm_sim *s, const nsm_model *m, const int *level, int k)
{
    double h;
    if (k < m->n_transitions)
        h = s->clock[k].base;
    else
        h = m->events[k - m->n_transitions].rate * s->gamma[k - m->n_transitions];
    for (int j = s->mod_start[k]; j < s->mod_start[k + 1]; j++) {
        const nsm_modifier *md = &m->modifiers[s->mod_list[j]];
        if (nsm_condition_holds(&md->cond, level))
            h *= md->multiplier;
    }
    if (m->seasonality)
        h *= m->seasonality[k * 12 + s->month - 1];
    return h * (1.0 / NSM_DAYS_PER_YEAR);
}

/* Bring process k's internal time up to now (t) and give it a new rate. */
static void set_rate(nsm_sim *s, int k, double t, double a)
{
    nsmi_clock *c = &s->clock[k];
    c->T += c->rate * (t - c->last);
    c->last = t;
    c->rate = a;
    if (a <= 0.0) {
        nsmi_firings_set(&s->next, k, INFINITY);
        return;
    }
    if (c->P < 0.0) {
        c->P = c->T + nsm_philox_exponential1(&s->proc_stream[k]);
        s->draws++;
    }
    nsmi_firings_set(&s->next, k, t + (c->P - c->T) / a);
}

/* The marked processes' hazards, each compared with its rate: only a changed rate moves a clock,
** so that a process re-rated to the same number keeps its firing time bit for bit. What the loop
** reads is in locals: the byte stores to the flags (which may alias anything) would make the
** compiler reload it from s at every process. Nothing here marks a process. */
void nsmi_rates_update(nsm_sim *s)
{
    const nsm_model *m = s->m;
    const int *dirty_list = s->dirty_list, *level = s->level;
    unsigned char *dirty = s->dirty;
    const nsmi_clock *clock = s->clock;
    double t = s->t;
    int n = s->n_dirty;
    for (int j = 0; j < n; j++) {
        int k = dirty_list[j];
        const nsmi_clock *c = &clock[k];
        dirty[k] = 0;
        /* a transition whose factor is not in its `from` level is off (c->from is -1 for a
        ** counted event): after a change, those out of the old level */
        double a = c->from >= 0 && level[c->factor] != c->from ? 0.0 : hazard(s, m, level, k);
        if (a != c->rate || (a > 0.0 && c->P < 0.0)) /* the second: nsmi_rates_fire */
            set_rate(s, k, t, a);
    }
    s->n_dirty = 0;
}

int nsmi_rates_next(nsm_sim *s, double *when)
{
    return s->next_scan ? nsmi_firings_scan(&s->next, when) : nsmi_firings_top(&s->next, when);
}

/* A transition that fires leaves its level, so its rate is 0 until its factor is back there: its
** next unit exponential is drawn then (set_rate), and never if the factor does not come back
** before the end. The value is the same as if drawn now (the next of the process's own stream,
** added to the same T: its rate is 0 in between, so T does not move), so no result changes: only
** the draws no firing uses are saved (issue 14: on the reference chain 14.8 -> 11.9 a replication,
** on the baseline 220 -> 210; instructions in nsm_run -1.9% and -0.1%, callgrind). The
** change of level marks the transition, as one out of the level left (nsmi_mark_change); it is
** marked here as well, for the rare instant at which an effect puts the factor back before the
** rates are updated, when the rate may come out unchanged (nsmi_rates_update draws then too). A
** counted event changes no level: it draws at once, and so does every process by the reference
** (nsmi_engine_use_reference), to be held equal to this (test_shortcuts.c). */
void nsmi_rates_fire(nsm_sim *s, int k)
{
    nsmi_clock *c = &s->clock[k];
    c->T = c->P;
    c->last = s->t;
    if (c->from >= 0 && !s->reference) {
        c->P = -1.0;
        nsmi_mark_process(s, k);
        return;
    }
    c->P += nsm_philox_exponential1(&s->proc_stream[k]);
    s->draws++;
    nsmi_firings_set(&s->next, k, s->t + (c->P - c->T) / c->rate);
}
