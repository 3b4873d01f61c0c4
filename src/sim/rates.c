/*
** rates.c: the hazard clocks, updated only where something changed.
**
** Each process k keeps the time `last[k]` its rate last changed, its internal time T[k] at that
** moment, the internal time P[k] of its next firing and so the absolute time tau[k] at which it
** fires if its rate stays as it is: tau = last + (P - T) / rate. A rate changes only when a factor
** it depends on changes (its own factor, or a factor in one of its modifiers' conditions), when
** the calendar month changes (seasonal processes) or when its gamma multiplier is redrawn; those
** processes are marked dirty and recomputed at the end of the instant. A counted event that
** changes no state touches only its own clock. This is the modified next reaction method with
** Gibson and Bruck's dependency graph (Anderson 2007; Gibson and Bruck 2000).
**
** The next firing: above NSM_SCAN_MAX processes, the top of an indexed binary min-heap on
** (tau, k) (Gibson and Bruck's indexed priority queue), where a changed clock moves in O(log K),
** so that the cost of an event does not grow with the number of processes; processes that cannot
** fire (tau infinite, or not a number) are not in it. Up to NSM_SCAN_MAX processes a linear scan
** of tau is cheaper than the heap's unpredictable branches (measured: on the 30 processes of a
** 5-factor model the heap's upkeep took 26% of the time, the scan 9%; 120 processes still
** ran faster scanned, 480 twice as fast with the heap). Both choose the smallest
** tau, ties to the lowest process index, so a seed's outputs do not depend on which one ran (and
** did not change when the heap came in; build with -DNSM_SCAN_MAX=0 to check the heap alone).
*/
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

#include "neasim/rng.h"
#include "sim/internal.h"

#ifndef NSM_SCAN_MAX
#define NSM_SCAN_MAX 128
#endif

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

/* Does process k's rate depend on factor f through a modifier? (A transition's dependence on its
** own factor is indexed by level instead: see index_transitions.) */
static int depends_on(const nsm_sim *s, int k, int f)
{
    const nsm_model *m = s->m;
    if (k < m->n_transitions && m->transitions[k].factor == f)
        return 0;
    for (int j = s->mod_start[k]; j < s->mod_start[k + 1]; j++) {
        const nsm_condition *c = &m->modifiers[s->mod_list[j]].cond;
        for (int q = 0; q < c->n_clauses; q++)
            if (c->clauses[q].factor == f)
                return 1;
    }
    return 0;
}

/* Processes by the factors they depend on (built once per simulator, O(F x K)). */
static int index_dependencies(nsm_sim *s)
{
    int F = s->m->n_factors, K = s->n_proc, n = 0;
    if (!(s->dep_start = csr_alloc(F)))
        return -1;
    for (int f = 0; f < F; f++)
        for (int k = 0; k < K; k++)
            n += depends_on(s, k, f);
    if (!(s->dep_list = csr_alloc(n)))
        return -1;
    n = 0;
    for (int f = 0; f < F; f++) {
        s->dep_start[f] = n;
        for (int k = 0; k < K; k++)
            if (depends_on(s, k, f))
                s->dep_list[n++] = k;
    }
    s->dep_start[F] = n;
    return 0;
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
    size_t K = (size_t)s->n_proc + 1;
    s->last = calloc(K, sizeof *s->last);
    s->tau = calloc(K, sizeof *s->tau);
    s->use_heap = s->n_proc > NSM_SCAN_MAX;
    s->heap = calloc(K, sizeof *s->heap);
    s->heap_pos = calloc(K, sizeof *s->heap_pos);
    s->dirty = calloc(K, 1);
    s->dirty_list = calloc(K, sizeof *s->dirty_list);
    if (!s->last || !s->tau || !s->heap || !s->heap_pos || !s->dirty || !s->dirty_list || index_seasonal(s))
        return -1;
    return index_modifiers(s) || index_dependencies(s) || index_transitions(s) ? -1 : 0;
}

void nsmi_rates_free(nsm_sim *s)
{
    free(s->last);
    free(s->tau);
    free(s->heap);
    free(s->heap_pos);
    free(s->dirty);
    free(s->dirty_list);
    free(s->mod_start);
    free(s->mod_list);
    free(s->dep_start);
    free(s->dep_list);
    free(s->seasonal_list);
    free(s->season_list);
    free(s->season_start);
    free(s->from_start);
    free(s->from_list);
}

/* ---------------------------------------------------------------- the queue of next firings */

static const double never = (double)INFINITY;

static int earlier(nsm_firing a, nsm_firing b)
{
    return a.tau < b.tau || (a.tau == b.tau && a.k < b.k);
}

static void heap_put(nsm_sim *s, int i, nsm_firing x)
{
    s->heap[i] = x;
    s->heap_pos[x.k] = i;
}

static void sift_up(nsm_sim *s, int i, nsm_firing x)
{
    while (i > 0 && earlier(x, s->heap[(i - 1) / 2])) {
        heap_put(s, i, s->heap[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
    heap_put(s, i, x);
}

static void sift_down(nsm_sim *s, int i, nsm_firing x)
{
    int n = s->n_heap;
    for (;;) {
        int c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && earlier(s->heap[c + 1], s->heap[c]))
            c++;
        if (!earlier(s->heap[c], x))
            break;
        heap_put(s, i, s->heap[c]);
        i = c;
    }
    heap_put(s, i, x);
}

/* Put x in slot i, where it may be out of order either way. */
static void heap_place(nsm_sim *s, int i, nsm_firing x)
{
    if (i > 0 && earlier(x, s->heap[(i - 1) / 2]))
        sift_up(s, i, x);
    else
        sift_down(s, i, x);
}

/* Process k now fires at tau. A process that cannot fire (tau infinite or not a number: never)
** leaves the heap, which so holds only the processes that can: most transitions are off at any
** time, and a smaller heap is a shallower one. */
static void set_tau(nsm_sim *s, int k, double tau)
{
    s->tau[k] = tau;
    if (!s->use_heap)
        return;
    int i = s->heap_pos[k];
    if (!(tau < never)) {
        if (i < 0)
            return;
        s->heap_pos[k] = -1;
        nsm_firing last = s->heap[--s->n_heap];
        if (i < s->n_heap)
            heap_place(s, i, last);
        return;
    }
    nsm_firing x = {tau, k};
    if (i < 0)
        sift_up(s, s->n_heap++, x);
    else
        heap_place(s, i, x);
}

/* ---------------------------------------------------------------- marking and rating */

void nsmi_mark_process(nsm_sim *s, int k)
{
    if (!s->dirty[k]) {
        s->dirty[k] = 1;
        s->dirty_list[s->n_dirty++] = k;
    }
}

/* Mark the processes list[j0..j1). The flags are bytes, which may alias anything: the loop keeps
** the arrays and the count in locals so that each store does not make it reload them from s (this
** runs at every change of state: issue 14). */
static void mark_list(nsm_sim *s, const int *list, int j0, int j1)
{
    unsigned char *dirty = s->dirty;
    int *dirty_list = s->dirty_list, n = s->n_dirty;
    for (int j = j0; j < j1; j++) {
        int k = list[j];
        if (!dirty[k]) {
            dirty[k] = 1;
            dirty_list[n++] = k;
        }
    }
    s->n_dirty = n;
}

static void mark_level(nsm_sim *s, int f, int level)
{
    int l = s->m->factors[f].first_level + level;
    mark_list(s, s->from_list, s->from_start[l], s->from_start[l + 1]);
}

void nsmi_mark_change(nsm_sim *s, int f, int from, int to)
{
    int first = s->m->factors[f].first_level;
    const int *from_start = s->from_start;
    mark_list(s, s->from_list, from_start[first + from], from_start[first + from + 1]);
    mark_list(s, s->from_list, from_start[first + to], from_start[first + to + 1]);
    mark_list(s, s->dep_list, s->dep_start[f], s->dep_start[f + 1]);
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

void nsmi_mark_all(nsm_sim *s)
{
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

void nsmi_rates_reset(nsm_sim *s)
{
    for (int k = 0; k < s->n_proc; k++) {
        s->rate[k] = s->T[k] = s->last[k] = 0.0;
        s->P[k] = -1.0; /* drawn when the process first has a positive rate */
        s->dirty[k] = 0;
        s->tau[k] = never;
        s->heap_pos[k] = -1; /* tau infinite: not in the heap */
    }
    s->n_heap = 0;
    s->n_dirty = 0;
}

/* Process k's hazard now, per day (the engine's clock, model.h): base x modifiers x season x gamma
** (0 for a transition whose factor is not in its `from` level), the rates being per year. */
static double hazard(const nsm_sim *s, int k)
{
    const nsm_model *m = s->m;
    double h;
    if (k < m->n_transitions) {
        const nsm_transition *tr = &m->transitions[k];
        if (s->level[tr->factor] != tr->from)
            return 0.0;
        h = tr->rate;
    } else {
        h = m->events[k - m->n_transitions].rate * s->gamma[k - m->n_transitions];
    }
    for (int j = s->mod_start[k]; j < s->mod_start[k + 1]; j++) {
        const nsm_modifier *md = &m->modifiers[s->mod_list[j]];
        if (nsmi_condition_holds(&md->cond, s->level))
            h *= md->multiplier;
    }
    if (m->seasonality)
        h *= m->seasonality[k * 12 + s->month - 1];
    return h * (1.0 / NSM_DAYS_PER_YEAR);
}

/* Bring process k's internal time up to now and give it a new rate. */
static void set_rate(nsm_sim *s, int k, double a)
{
    double t = s->t;
    s->T[k] += s->rate[k] * (t - s->last[k]);
    s->last[k] = t;
    s->rate[k] = a;
    if (a <= 0.0) {
        set_tau(s, k, INFINITY);
        return;
    }
    if (s->P[k] < 0.0) {
        s->P[k] = s->T[k] + nsm_rng_exponential1(s->proc_rng[k]);
        s->draws++;
    }
    set_tau(s, k, t + (s->P[k] - s->T[k]) / a);
}

void nsmi_rates_update(nsm_sim *s)
{
    /* nothing below marks a process, so the list and its count stay as they are; in locals, the
    ** byte stores to the flags do not make them reload */
    const int *dirty_list = s->dirty_list;
    unsigned char *dirty = s->dirty;
    int n = s->n_dirty;
    for (int j = 0; j < n; j++) {
        int k = dirty_list[j];
        dirty[k] = 0;
        double a = hazard(s, k);
        if (a != s->rate[k])
            set_rate(s, k, a);
    }
    s->n_dirty = 0;
}

static int scan_next(const nsm_sim *s, double *when)
{
    int best = -1;
    double tbest = never;
    for (int k = 0; k < s->n_proc; k++)
        if (s->tau[k] < tbest) {
            tbest = s->tau[k];
            best = k;
        }
    *when = tbest;
    return best;
}

int nsmi_rates_next(const nsm_sim *s, double *when)
{
    if (!s->use_heap)
        return scan_next(s, when);
    if (s->n_heap == 0) {
        *when = INFINITY;
        return -1;
    }
    *when = s->heap[0].tau;
    return s->heap[0].k;
}

void nsmi_rates_fire(nsm_sim *s, int k)
{
    s->T[k] = s->P[k];
    s->last[k] = s->t;
    s->P[k] += nsm_rng_exponential1(s->proc_rng[k]);
    s->draws++;
    set_tau(s, k, s->t + (s->P[k] - s->T[k]) / s->rate[k]);
}
