/*
** engine.c: one replication, simulated exactly with the modified next reaction method.
**
** Each hazard process k keeps its internal time T[k] (the integrated hazard so far) and the
** internal time P[k] at which it next fires (T plus a unit exponential from its own stream). With
** rates a[k] constant until the next breakpoint, process k fires after (P[k] - T[k]) / a[k]; the
** smallest such delay wins if it comes before the breakpoint (Anderson 2007, Algorithm 3). Because
** each process draws only from its own stream, a change to one rate moves only the firings of the
** processes whose rates it changes.
**
** Everything scheduled (calendar occurrences, delayed effects, month starts, gamma redraws, the end
** of the horizon) is a breakpoint: the clocks are advanced to it, it is executed, the instant is
** settled (zero-delay effects run), the outcomes it may have moved are re-evaluated and the rates
** it may have changed are recomputed. The clock counts days from the start (model.h), so a date
** plus whole days is exactly that date and scheduled instants meet as the same-instant rules say.
** Every STOP_POLL events the loop looks at the event budget and the caller's stop flag, so every
** replication ends.
**
** What a replication and an event cost besides the clocks and the random numbers is kept small
** (issue 14), without changing a result bit: the breakpoints that only a breakpoint moves are kept
** in one number (plan_fixed), the month starts that re-rate anything in a table built once for
** the seasonal lists (season_table), month starts that re-rate nothing are passed at the next
** breakpoint, the streams are seeked in place and the initial levels drawn from bare streams,
** the outcomes' flags are left clear by the end of a replication, a change of level finds its
** report index in a table of whole days (report_days), and nothing is called when nothing is
** marked. nsmi_engine_use_reference turns the loop's shortcuts off: test_shortcuts holds the two
** equal (and each table against what it replaces), and scripts/bytecheck.sh holds the outputs
** byte-identical to the build before them. Measured with callgrind (instructions in nsm_run per
** replication, one thread, bench_engine): the reference chain 8698 -> 8480 (-2.5%; the rest is
** the clocks, the next-firing tree and the random numbers, rates.c, firings.c, rng.c), the
** baseline 220134 -> 205877 nominal (-6.5%), 322588 -> 307849 with drawn numbers (-4.6%).
*/
#include "neasim/engine.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "neasim/rng.h"
#include "sim/internal.h"

/* ---------------------------------------------------------------- allocation and indexes */

static gsl_rng **rngs_alloc(int n)
{
    gsl_rng **r = calloc((size_t)n + 1, sizeof *r);
    for (int k = 0; r && k < n; k++) {
        if (!(r[k] = gsl_rng_alloc(nsm_rng_philox4x32))) {
            for (int j = 0; j < k; j++)
                gsl_rng_free(r[j]);
            free(r);
            return NULL;
        }
    }
    return r;
}

static void rngs_free(gsl_rng **r, int n)
{
    for (int k = 0; r && k < n; k++)
        gsl_rng_free(r[k]); /* gsl_rng_free(NULL) does nothing */
    free(r);
}

/* The streams and counters of durations, for a model that has any (0: nothing to do; -1: out of
** memory). A model without durations keeps dur_rng and entered NULL, and the engine's only cost
** is a test of entered in a change of level. */
static int durations_alloc(nsm_sim *s)
{
    const nsm_model *m = s->m;
    if (m->n_durations == 0)
        return 0;
    s->entered = calloc((size_t)m->n_factors + 1, sizeof *s->entered);
    s->dur_rng = calloc((size_t)m->n_transitions + 1, sizeof *s->dur_rng);
    if (!s->entered || !s->dur_rng)
        return -1;
    s->dur_k = calloc((size_t)m->n_transitions + 1, sizeof *s->dur_k);
    if (!s->dur_k)
        return -1;
    for (int k = 0; k < m->n_transitions; k++) {
        if (!m->transitions[k].duration.on)
            continue;
        if (!(s->dur_rng[k] = gsl_rng_alloc(nsm_rng_philox4x32)))
            return -1;
        s->dur_k[s->n_dur_k++] = k; /* set_streams seeks these alone */
    }
    /* the transitions with durations by the flat index of their `from` level, in transition
    ** order (nsmi_durations_start); the others in a last group, never read */
    int *key = calloc((size_t)m->n_transitions + 1, sizeof *key);
    for (int k = 0; key && k < m->n_transitions; k++)
        key[k] = m->transitions[k].duration.on
                     ? m->factors[m->transitions[k].factor].first_level + m->transitions[k].from
                     : m->n_levels_total;
    int r = key ? nsmi_group(key, m->n_transitions, m->n_levels_total + 1, &s->dur_start,
                             &s->dur_list)
                : -1;
    free(key);
    return r;
}

/* Effects indexed by what triggers them (compressed rows: start[x]..start[x+1]). */
static int index_effects(nsm_sim *s)
{
    const nsm_model *m = s->m;
    int nf = m->n_factors;
    int *key = calloc((size_t)m->n_effects + 1, sizeof *key);
    for (int x = 0; key && x < m->n_effects; x++) {
        const nsm_effect *e = &m->effects[x];
        key[x] = e->trigger_event >= 0 ? nf + e->trigger_event : e->trigger_factor;
    }
    int r = key ? nsmi_group(key, m->n_effects, nf + m->n_events, &s->eff_start, &s->eff_list)
                : -1;
    free(key);
    return r;
}

/* Group the clauses of a factor, listed in clause[0 .. n), by their masks (mask[p]), in the order
** each mask first appears: groups out_group[*ng ..], each with its outcomes (owner[p]) in clause
** order, those of single-clause conditions (only[p]) first. */
static void group_clauses(nsm_sim *s, const int *clause, int n, const uint64_t *mask,
                          const int *owner, const unsigned char *only, int *ng, int *nm)
{
    int g0 = *ng;
    for (int j = 0; j < n; j++) {
        uint64_t mj = mask[clause[j]];
        int g = g0;
        while (g < *ng && s->out_group[g].mask != mj)
            g++;
        if (g < *ng)
            continue; /* its group has been filled already */
        nsmi_out_group *gr = &s->out_group[(*ng)++];
        gr->mask = mj;
        gr->first = *nm;
        for (int pass = 1; pass >= 0; pass--) {
            for (int q = j; q < n; q++)
                if (mask[clause[q]] == mj && only[clause[q]] == pass)
                    s->out_member[(*nm)++] = owner[clause[q]];
            if (pass)
                gr->only_end = *nm;
        }
        gr->end = *nm;
    }
}

/* Outcomes indexed by the factors their conditions name, clause by clause, in groups of clauses
** with one mask on one factor: a change of factor f needs to look only at f's groups (issue 14:
** re-checking every outcome after every change made the cost per event grow with the number of
** outcomes), and within them only at the outcomes of groups whose truth the change turned
** (update_outcomes). A factor named twice by one condition lists both clauses. Outcomes are the
** same in every phase and variant of a model, so the index of the model given to nsm_sim_alloc
** serves them all. Grouping costs O(clauses x masks a factor) once. A disjunction's clauses are
** indexed as a conjunction's are: its truth, a function of its clauses', moves only when one of
** theirs does, and then it is evaluated whole (it is never a group's single-clause member). */
static int index_outcomes(nsm_sim *s)
{
    const nsm_model *m = s->m;
    int n = 0, nf = m->n_factors;
    for (int o = 0; o < m->n_outcomes; o++)
        n += m->outcomes[o].cond.n_clauses;
    int *key = calloc((size_t)n + 1, sizeof *key), *owner = calloc((size_t)n + 1, sizeof *owner);
    int *start = NULL, *list = NULL;
    uint64_t *mask = calloc((size_t)n + 1, sizeof *mask);
    unsigned char *only = calloc((size_t)n + 1, 1);
    s->out_fstart = calloc((size_t)nf + 1, sizeof *s->out_fstart);
    s->out_group = calloc((size_t)n + 1, sizeof *s->out_group);
    s->out_member = calloc((size_t)n + 1, sizeof *s->out_member);
    s->out_level = calloc((size_t)nf + 1, sizeof *s->out_level);
    s->out_fdirty = calloc((size_t)nf + 1, sizeof *s->out_fdirty);
    s->out_fmarked = calloc((size_t)nf + 1, 1);
    int r = key && owner && mask && only && s->out_fstart && s->out_group && s->out_member &&
                    s->out_level && s->out_fdirty && s->out_fmarked
                ? 0
                : -1;
    for (int o = 0, p = 0; r == 0 && o < m->n_outcomes; o++) {
        const nsm_condition *c = &m->outcomes[o].cond;
        for (int j = 0; j < c->n_clauses; j++, p++) {
            key[p] = c->clauses[j].factor;
            mask[p] = c->clauses[j].mask;
            owner[p] = o;
            only[p] = c->n_clauses == 1;
        }
    }
    if (r == 0)
        r = nsmi_group(key, n, nf, &start, &list); /* clause numbers by factor */
    for (int f = 0, ng = 0, nm = 0; r == 0 && f < nf; f++) {
        group_clauses(s, list + start[f], start[f + 1] - start[f], mask, owner, only, &ng, &nm);
        s->out_fstart[f + 1] = ng;
    }
    free(start);
    free(list);
    free(only);
    free(mask);
    free(owner);
    free(key);
    return r;
}

/* The report index of every whole day of the horizon, when every report date is a whole day (as
** dates are, model.h): nsmi_report_index_of. Built from the model given to nsm_sim_alloc: its
** phases and variants share its report grid (params.h). 0: done or no table; -1: out of memory. */
static int report_days(nsm_sim *s)
{
    const nsm_model *m = s->m;
    for (int i = 0; i < m->n_reports; i++)
        if (m->report_t[i] != (double)(long)m->report_t[i] || m->report_t[i] < 0.0)
            return 0;
    if (!(m->t_end >= 0.0 && m->t_end < 1e6)) /* a horizon of under 2,700 years */
        return 0;
    s->n_report_days = (int)m->t_end + 2;
    if (!(s->report_day = malloc((size_t)s->n_report_days * sizeof *s->report_day)))
        return -1;
    for (int d = 0; d < s->n_report_days; d++)
        s->report_day[d] = nsmi_report_index(m, (double)d);
    return 0;
}

/* Does any counted event count dates (events.csv `counts`)? The same in every phase and variant:
** levers change numbers, not what is counted. */
static int counts_dates(const nsm_model *m)
{
    for (int e = 0; e < m->n_events; e++)
        if (m->events[e].counts_dates)
            return 1;
    return 0;
}

/* Phases of the arm, or of the simulator's own plain arm. */
static void use_arm(nsm_sim *s, const nsm_arm *a)
{
    s->arm = a;
    s->n_phases = a->n_phases;
    s->phase_t = a->phase_t;
    s->phase_model = (const nsm_model *const *)a->phase_model;
}

nsm_sim *nsm_sim_alloc(const nsm_model *m)
{
    nsm_sim *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->m = s->model0 = m;
    s->n_proc = nsm_model_n_processes(m);
    s->own_arm.n_phases = 1;
    s->own_arm.phase_t = &s->own_t;
    s->own_arm.phase_model = &s->own_model;
    s->own_model = (nsm_model *)(uintptr_t)m; /* borrowed */
    s->max_events = NSM_DEFAULT_MAX_EVENTS;
    s->out_clear = 1; /* out_now and out_ever are allocated zeroed */
    use_arm(s, &s->own_arm);
    size_t F = (size_t)m->n_factors + 1;
    size_t E = (size_t)m->n_events + 1, O = (size_t)m->n_outcomes + 1;
    s->level = calloc(F, sizeof *s->level);
    s->seg_start = calloc(F, sizeof *s->seg_start);
    s->gamma = calloc(E, sizeof *s->gamma);
    s->redraw_k = calloc(E, sizeof *s->redraw_k);
    s->gamma_list = calloc(E, sizeof *s->gamma_list);
    s->ev_period = calloc(E, sizeof *s->ev_period);
    s->ev_year = calloc(E, sizeof *s->ev_year);
    s->ev_year_count = calloc(E, sizeof *s->ev_year_count);
    s->n_years = nsmi_year_windows(m);
    s->year_t = calloc((size_t)s->n_years + 1, sizeof *s->year_t);
    for (int k = 0; s->year_t && k <= s->n_years; k++)
        s->year_t[k] = m->month_t[12 * k];
    s->ev_period_count = calloc(E, sizeof *s->ev_period_count);
    s->ev_cum = calloc(E, sizeof *s->ev_cum);
    s->ev_cum_start = calloc(E, sizeof *s->ev_cum_start);
    int days = counts_dates(m);
    s->ev_day = days ? malloc(E * sizeof *s->ev_day) : NULL;
    s->out_now = calloc(O, 1);
    s->out_ever = calloc(O, 1);
    s->held_start = calloc(O, sizeof *s->held_start);
    s->proc_stream = calloc((size_t)s->n_proc + 1, sizeof *s->proc_stream);
    s->rerate_at = calloc((size_t)m->n_month_starts + 1, sizeof *s->rerate_at);
    s->gamma_rng = rngs_alloc(m->n_events);
    s->cal_rng = rngs_alloc(m->n_calendar_names);
    s->eff_rng = rngs_alloc(m->n_effects);
    if (!s->level || !s->seg_start || !s->gamma ||
        !s->redraw_k || !s->gamma_list || !s->ev_period || !s->ev_year || !s->ev_year_count || !s->year_t || !s->ev_period_count || !s->ev_cum || !s->ev_cum_start ||
        (days && !s->ev_day) ||
        !s->out_now || !s->out_ever || !s->held_start || !s->proc_stream || !s->rerate_at || !s->gamma_rng ||
        !s->cal_rng || !s->eff_rng || index_effects(s) || index_outcomes(s) ||
        nsmi_rates_alloc(s) || durations_alloc(s) || report_days(s) ||
        nsmi_pending_init(&s->pending)) {
        nsm_sim_free(s);
        return NULL;
    }
    return s;
}

static void trace_free(nsm_trace *t, const nsm_model *m)
{
    if (!t)
        return;
    for (int o = 0; t->held && o < m->n_outcomes; o++) {
        free(t->held[o].i0);
        free(t->held[o].i1);
    }
    for (int e = 0; t->occ && e < m->n_events; e++) {
        free(t->occ[e].i0);
        free(t->occ[e].i1);
    }
    free(t->held);
    free(t->occ);
    free(t->first);
    free(t);
}

nsm_status nsm_sim_enable_trace(nsm_sim *s)
{
    const nsm_model *m = s->model0;
    if (s->trace)
        return NSM_OK;
    nsm_trace *t = calloc(1, sizeof *t);
    if (t) {
        t->held = calloc((size_t)m->n_outcomes + 1, sizeof *t->held);
        t->first = calloc((size_t)m->n_outcomes + 1, sizeof *t->first);
        t->occ = calloc((size_t)m->n_events + 1, sizeof *t->occ);
    }
    if (!t || !t->held || !t->first || !t->occ) {
        trace_free(t, m);
        return NSM_ERR_NOMEM;
    }
    s->trace = t;
    return NSM_OK;
}

void nsmi_sim_share_grid(nsm_sim *s, const nsm_sim *src)
{
    if (s == src || src->model0 != s->model0 || src->n_report_days != s->n_report_days)
        return;
    if (!s->report_day_borrowed)
        free(s->report_day);
    s->report_day = src->report_day;
    s->report_day_borrowed = 1;
}

void nsmi_acc_flush(nsm_sim *s)
{
    for (int k = 0; k < NSMI_DEFER_N; k++)
        if (s->defer_p[k]) {
            *s->defer_p[k] += s->defer_d[k];
            s->defer_p[k] = NULL;
        }
    s->defer_n = 0;
}

const nsm_trace *nsm_sim_trace(const nsm_sim *s)
{
    return s->trace;
}

nsm_status nsm_sim_set_arm(nsm_sim *s, const nsm_arm *arm)
{
    nsmi_uncertain_free(s); /* the scratch models follow the arm's phases */
    s->scratch_draw = 0;
    use_arm(s, arm ? arm : &s->own_arm);
    return NSM_OK;
}

nsm_status nsm_sim_set_uncertainty(nsm_sim *s, nsm_uncertainty mode, uint64_t runs_per_draw)
{
    if (mode == NSM_UNCERTAINTY_OUTER && runs_per_draw == 0)
        return NSM_ERR_USAGE;
    s->uncertainty = mode;
    s->runs_per_draw = runs_per_draw;
    s->scratch_draw = 0;
    return NSM_OK;
}

void nsm_sim_free(nsm_sim *s)
{
    if (!s)
        return;
    const nsm_model *m = s->model0;
    nsmi_uncertain_free(s);
    nsmi_story_free(s);
    trace_free(s->trace, m);
    free(s->proc_stream);
    free(s->rerate_at);
    if (!s->report_day_borrowed)
        free(s->report_day);
    rngs_free(s->gamma_rng, m->n_events);
    rngs_free(s->cal_rng, m->n_calendar_names);
    rngs_free(s->eff_rng, m->n_effects);
    rngs_free(s->dur_rng, s->dur_rng ? m->n_transitions : 0);
    free(s->entered);
    free(s->dur_k);
    free(s->dur_start);
    free(s->dur_list);
    nsmi_pending_release(&s->pending);
    free(s->eff_start);
    free(s->eff_list);
    nsmi_rates_free(s);
    free(s->level);
    free(s->seg_start);
    free(s->gamma);
    free(s->redraw_k);
    free(s->gamma_list);
    free(s->ev_period);
    free(s->ev_year);
    free(s->ev_year_count);
    free(s->year_t);
    free(s->ev_period_count);
    free(s->ev_cum);
    free(s->ev_cum_start);
    free(s->ev_day);
    free(s->out_now);
    free(s->out_ever);
    free(s->held_start);
    free(s->out_fstart);
    free(s->out_group);
    free(s->out_member);
    free(s->out_level);
    free(s->out_fdirty);
    free(s->out_fmarked);
    free(s);
}

void nsm_sim_set_limits(nsm_sim *s, uint64_t max_events, volatile int *stop)
{
    uint64_t most = (uint64_t)1 << 62; /* events + budget must not wrap */
    s->max_events = max_events == 0 ? NSM_DEFAULT_MAX_EVENTS : max_events < most ? max_events : most;
    s->stop = stop;
}

void nsm_sim_set_observer(nsm_sim *s, nsm_observer fn, void *ctx)
{
    s->observer = fn;
    s->observer_ctx = ctx;
}

void nsm_sim_tell_skips(nsm_sim *s, int on)
{
    s->tell_skips = on;
}

uint64_t nsm_sim_event_count(const nsm_sim *s)
{
    return s->events;
}

uint64_t nsm_sim_draw_count(const nsm_sim *s)
{
    return s->draws;
}

/* ---------------------------------------------------------------- the replication */

/* Events between two looks at the stop flag: well under a millisecond of work, so Ctrl-C is
** honoured at once, while the loop pays one comparison per step. */
enum { STOP_POLL = 4096 };

/* Position a gsl_rng of the engine's (every one is nsm_rng_philox4x32: rngs_alloc,
** durations_alloc) at a stream, in place: its state is an nsm_philox (rng.h), so this is
** nsm_rng_set_stream without the call and the type check, which every stream paid every
** replication (issue 14). */
static inline void seek_rng(gsl_rng *r, uint64_t seed, uint64_t rep, uint32_t stream)
{
    nsm_philox_seek((nsm_philox *)r->state, seed, rep, stream);
}

static void set_streams(nsm_sim *s, uint64_t seed, uint64_t rep)
{
    const nsm_model *m = s->m;
    for (int k = 0; k < m->n_transitions; k++)
        nsm_philox_seek(&s->proc_stream[k], seed, rep, m->transitions[k].stream);
    for (int e = 0; e < m->n_events; e++) {
        nsm_philox_seek(&s->proc_stream[m->n_transitions + e], seed, rep, m->events[e].stream);
        seek_rng(s->gamma_rng[e], seed, rep, m->events[e].gamma_stream);
    }
    for (int c = 0; c < m->n_calendar_names; c++)
        seek_rng(s->cal_rng[c], seed, rep, m->calendar_stream[c]);
    for (int x = 0; x < m->n_effects; x++)
        seek_rng(s->eff_rng[x], seed, rep, m->effects[x].stream);
    for (int j = 0; j < s->n_dur_k; j++) /* the transitions with durations alone */
        seek_rng(s->dur_rng[s->dur_k[j]], seed, rep,
                 m->transitions[s->dur_k[j]].duration.stream);
}

double nsmi_first_uniform(uint64_t seed, uint64_t rep, uint32_t stream)
{
    nsm_philox p;
    nsm_philox_seek(&p, seed, rep, stream);
    nsm_philox_refill(&p);
    return (double)p.buf[0] * 0x1p-32;
}

static void draw_gamma(nsm_sim *s, int e)
{
    const nsm_event *ev = &s->m->events[e];
    double k = ev->dispersion;
    s->gamma[e] = k > 0 ? gsl_ran_gamma(s->gamma_rng[e], k, 1.0 / k) : 1.0;
    s->draws += k > 0;
}

static const double never = (double)INFINITY;

/* Empty the windows of the last report index and year found (nsmi_report_index_now): the next
** asks search again. */
static void forget_windows(nsm_sim *s)
{
    s->report_lo = s->report_hi = s->year_lo = s->year_hi = 0.0;
}

/* The earliest gamma redraw to come: only the events that redraw are looked at. */
static void next_redraw(nsm_sim *s)
{
    const nsm_model *m = s->m;
    double t = never;
    for (int j = 0; j < s->n_gamma; j++) {
        int k = s->redraw_k[s->gamma_list[j]];
        if (k <= m->horizon_months && m->month_t[k] < t)
            t = m->month_t[k];
    }
    s->next_redraw_t = t;
}

/* The month starts that re-rate anything, for the current seasonal lists (rates.c,
** nsmi_season_changes): rerate_at[j] is the first j' >= j at which one does (n_month_starts:
** none). Month start j is reached from the month before it (month_start_month[j - 1], or the
** start's month for j = 0), so whether it re-rates depends on the lists alone. They are the same
** in most replications (the model's, or drawn multipliers that change in the same months), so the
** table is rebuilt only when season_start differs from the one it was built for (season_key):
** next_season is then a look-up, where it searched month by month (issue 14). */
static void season_table(nsm_sim *s)
{
    const nsm_model *m = s->m;
    if (!m->seasonality || s->season_start[13] == 0)
        return; /* next_season looks at no table */
    if (s->season_key_ok && !memcmp(s->season_key, s->season_start, sizeof s->season_key))
        return;
    int n = m->n_month_starts;
    s->rerate_at[n] = n;
    for (int j = n - 1; j >= 0; j--) {
        int from = j > 0 ? m->month_start_month[j - 1] : m->month_of_start;
        s->rerate_at[j] = nsmi_season_changes_at(s, from, m->month_start_month[j]) ? j
                                                                                   : s->rerate_at[j + 1];
    }
    memcpy(s->season_key, s->season_start, sizeof s->season_key);
    s->season_key_ok = 1;
}

/* The next month start at which a seasonal multiplier changes. The others are not breakpoints:
** they would re-rate nothing (rates.c, nsmi_season_changes), and the month is brought up to date
** before anything is re-rated (pass_month_starts). */
static void next_season(nsm_sim *s)
{
    const nsm_model *m = s->m;
    s->next_season_t = never;
    s->next_season_j = INT_MAX;
    if (!m->seasonality || s->season_start[13] == 0)
        return;
    int j = s->rerate_at[s->next_month];
    if (s->reference) { /* month by month, as the table was built */
        int from = s->month;
        for (j = s->next_month; j < m->n_month_starts; j++) {
            if (nsmi_season_changes_at(s, from, m->month_start_month[j]))
                break;
            from = m->month_start_month[j];
        }
    }
    if (j < m->n_month_starts) {
        s->next_season_t = m->month_start_t[j];
        s->next_season_j = j;
    }
}

/* The earliest of the breakpoints that only run_breakpoint (and reset) move: the end, the next
** phase, calendar occurrence, re-rating month start and gamma redraw. The loop asks for the next
** breakpoint at every step; it compares this with the queue's top alone (issue 14). */
static void plan_fixed(nsm_sim *s)
{
    const nsm_model *m = s->m;
    double tb = m->t_end;
    if (s->next_phase < s->n_phases && s->phase_t[s->next_phase] < tb)
        tb = s->phase_t[s->next_phase];
    if (s->next_occ < m->n_occurrences && m->occurrences[s->next_occ].t < tb)
        tb = m->occurrences[s->next_occ].t;
    if (s->next_season_t < tb)
        tb = s->next_season_t;
    if (s->next_redraw_t < tb)
        tb = s->next_redraw_t;
    s->next_fixed_t = tb;
}

/* Bring the calendar month up to the current time, re-rating what the month starts passed change.
** It runs at breakpoints (and at every firing in the reference): the month starts passed before
** the last are those between breakpoints, which re-rate nothing and mark nothing, and the next one
** that does re-rate is still next_season_j, so it is looked for again only once it has been passed
** (issue 14: the search ran at every month start passed). */
static void pass_months(nsm_sim *s)
{
    const nsm_model *m = s->m;
    int rerates = s->next_season_j;
    while (s->next_month < m->n_month_starts && m->month_start_t[s->next_month] <= s->t) {
        int to = m->month_start_month[s->next_month];
        if (s->next_month++ >= rerates)
            nsmi_mark_month(s, s->month, to);
        s->month = to;
    }
    if (s->next_month > rerates) {
        next_season(s);
        plan_fixed(s);
    }
}

/* The test at every breakpoint, apart so that it is inlined: is a month start due at all? */
static inline void pass_month_starts(nsm_sim *s)
{
    const nsm_model *m = s->m;
    if (m->seasonality && s->next_month < m->n_month_starts &&
        m->month_start_t[s->next_month] <= s->t)
        pass_months(s);
}

static void reset_trace(nsm_sim *s)
{
    nsm_trace *t = s->trace;
    for (int o = 0; t && o < s->m->n_outcomes; o++) {
        t->held[o].n = 0;
        t->first[o] = s->m->n_reports;
    }
    for (int e = 0; t && e < s->m->n_events; e++)
        t->occ[e].n = 0;
}

static void reset(nsm_sim *s, uint64_t seed, uint64_t rep)
{
    s->m = s->phase_model[0];
    s->next_phase = 1;
    reset_trace(s);
    const nsm_model *m = s->m;
    set_streams(s, seed, rep);
    s->t = 0.0;
    forget_windows(s);
    s->next_occ = 0;
    s->next_month = 0;
    s->month = m->month_of_start;
    s->changes_now = 0;
    s->failed = 0;
    s->events_limit = s->events + s->max_events + 1; /* the first count over the budget */
    s->next_check = s->events + STOP_POLL < s->events_limit ? s->events + STOP_POLL
                                                            : s->events_limit;
    s->last_done = NSMI_LAST_START;
    nsmi_pending_clear(&s->pending);
    nsmi_rates_reset(s);
    s->out_all = 1; /* outcomes take their initial values at t = 0 */
    /* the marked factors are those listed: none, as every step brings the outcomes up to date,
    ** one that failed included; cleared all the same rather than in full (n_factors bytes) */
    for (int k = 0; k < s->n_out_fdirty; k++)
        s->out_fmarked[s->out_fdirty[k]] = 0;
    if (s->reference)
        memset(s->out_fmarked, 0, (size_t)m->n_factors);
    s->n_out_fdirty = 0;
    for (int f = 0; f < m->n_factors; f++) {
        const nsm_factor *fa = &m->factors[f];
        s->level[f] = nsmi_categorical(nsmi_first_uniform(seed, rep, fa->stream), fa->initial,
                                       fa->n_levels);
        s->draws++;
        s->seg_start[f] = 0;
        if (s->observer)
            nsmi_tell(s, NSM_SEEN_START, f, -1, s->level[f], -1, 0);
    }
    s->n_gamma = 0;
    for (int e = 0; e < m->n_events; e++) {
        draw_gamma(s, e);
        s->redraw_k[e] = m->events[e].dispersion > 0 ? m->events[e].redraw_months : -1;
        if (s->redraw_k[e] >= 0)
            s->gamma_list[s->n_gamma++] = e;
        s->ev_period[e] = 0;
        s->ev_period_count[e] = 0;
        s->ev_year[e] = 0;
        s->ev_year_count[e] = 0;
        s->ev_cum[e] = 0;
        s->ev_cum_start[e] = 0;
        if (s->ev_day)
            s->ev_day[e] = -1;
    }
    /* the sojourns in the initial levels begin at t = 0: their ends are scheduled before anything
    ** else, in factor order */
    for (int f = 0; s->entered && f < m->n_factors; f++) {
        s->entered[f] = 0;
        nsmi_durations_start(s, f);
    }
    next_redraw(s);
    nsmi_season_changes(s);
    season_table(s);
    next_season(s); /* the first run_breakpoint plans the rest (plan_fixed) */
    nsmi_mark_initial(s);
    if (!s->out_clear || s->reference) { /* a replication that failed left them as they were */
        memset(s->out_now, 0, (size_t)m->n_outcomes);
        memset(s->out_ever, 0, (size_t)m->n_outcomes);
    }
    s->out_clear = 0;
}

/* Drop the ends of durations whose sojourn is over from the top of the queue, so that they make
** no breakpoint of their own (they would change nothing; settling one skips it all the same). */
static void drop_cancelled(nsm_sim *s)
{
    nsm_pending *q = &s->pending;
    while (q->n > 0 && q->items[0].effect < 0 &&
           s->entered[s->m->transitions[-1 - q->items[0].effect].factor] != q->items[0].stamp)
        nsmi_pending_pop(q);
}

static inline double next_breakpoint(const nsm_sim *s)
{
    double tb = s->next_fixed_t;
    if (s->pending.n > 0 && s->pending.items[0].t < tb)
        tb = s->pending.items[0].t;
    return tb;
}

/* Outcome o stops holding at report index i: its stay [held_start, i) goes into the accumulator's
** difference array (as nsm_accum_outcome_held does, written here in place: it runs for every
** outcome a change moves), and into the trace when one is kept. */
static inline void close_held(nsm_sim *s, int o, int i, nsm_accum *acc)
{
    int i0 = s->held_start[o];
    if (i0 >= i)
        return; /* a zero-length stay covers no report date */
    int64_t *row = acc->held + (size_t)o * (size_t)acc->cols;
    nsmi_acc_add(s, row + i0, 1);
    nsmi_acc_add(s, row + i, -1);
    if (s->trace && nsmi_spans_push(&s->trace->held[o], i0, i))
        s->failed = NSM_FAILED_NOMEM;
}

/* Outcome o begins to hold at report index i, for the first time in this replication that counts:
** once an outcome a replication at most, so out of line. */
static void first_held(nsm_sim *s, int o, int i, nsm_accum *acc)
{
    s->out_ever[o] = 1;
    nsmi_acc_add(s, acc->first + (size_t)o * (size_t)acc->cols + (size_t)i, 1); /* outcome_first */
    if (s->trace)
        s->trace->first[o] = i;
}

/* Outcome o begins to hold at report index i. */
static inline void open_held(nsm_sim *s, int o, int i, nsm_accum *acc)
{
    s->held_start[o] = i;
    NSMI_PREFETCH_WRITE(acc->held + (size_t)o * (size_t)acc->cols + (size_t)i); /* close_held's */
    if (s->story && s->started)
        nsmi_story_onset(s, o, i);
    /* an onset outcome counts only a change into its condition after the start: the state at
    ** t = 0 (drawn, then settled) is reported apart, as `holds` at the start */
    if (!s->out_ever[o] && (s->started || s->m->outcomes[o].occurrence == NSM_OCCUR_STATE))
        first_held(s, o, i, acc);
}

/* Outcome o now holds (now 1) or no longer holds, at report index i. */
static inline void outcome_moves(nsm_sim *s, int o, int now, int i, nsm_accum *acc)
{
    s->out_now[o] = (unsigned char)now;
    if (now)
        open_held(s, o, i, acc);
    else
        close_held(s, o, i, acc);
}

/* At the start of a replication every outcome takes its initial value (and at every instant in
** the reference the index is tested against, nsmi_outcomes_use_all). */
static void update_all_outcomes(nsm_sim *s, nsm_accum *acc)
{
    const nsm_model *m = s->m;
    int i = nsmi_report_index(m, s->t);
    for (int o = 0; o < m->n_outcomes; o++) {
        int now = nsm_condition_holds(&m->outcomes[o].cond, s->level);
        if (now != s->out_now[o])
            outcome_moves(s, o, now, i, acc);
    }
    memcpy(s->out_level, s->level, (size_t)m->n_factors * sizeof *s->level);
    for (int k = 0; k < s->n_out_fdirty; k++)
        s->out_fmarked[s->out_fdirty[k]] = 0;
    s->n_out_fdirty = 0;
    s->out_all = s->out_every;
}

void nsmi_outcomes_use_all(nsm_sim *s, int on)
{
    s->out_every = on;
}

void nsmi_engine_use_reference(nsm_sim *s, int on)
{
    s->reference = on;
}

/* The outcomes of group g, whose clause has just turned to hold (holds 1) or to fail, at report
** index i: those whose condition is the clause hold as it does, the others are evaluated; each
** that has moved is recorded. Without routes, signposts or a trace, a move is two stores in place
** (the arrays in locals: the byte stores would make the compiler reload them from s at every
** outcome); with them, outcome_moves tells each as well. */
static void update_group(nsm_sim *s, const nsmi_out_group *g, int holds, int i, nsm_accum *acc)
{
    const nsm_model *m = s->m;
    const int *mb = s->out_member, *level = s->level;
    unsigned char *out_now = s->out_now, *out_ever = s->out_ever;
    int *held_start = s->held_start, plain = !s->story && !s->trace;
    for (int j = g->first; j < g->end; j++) {
        int o = mb[j];
        int now = j < g->only_end ? holds : nsm_condition_holds(&m->outcomes[o].cond, level);
        if (now == out_now[o])
            continue;
        if (!plain) {
            outcome_moves(s, o, now, i, acc);
            continue;
        }
        out_now[o] = (unsigned char)now;
        int i0 = held_start[o];
        if (now) {
            held_start[o] = i;
            if (!out_ever[o]) /* after the start, onset and state outcomes alike */
                first_held(s, o, i, acc);
        } else if (i0 < i) {
            int64_t *row = acc->held + (size_t)o * (size_t)acc->cols;
            nsmi_acc_add(s, row + i0, 1);
            nsmi_acc_add(s, row + i, -1);
        }
    }
}

/* Outcomes are compared with their previous value once an instant has settled. For each factor
** that changed, from level a (when outcomes were last evaluated) to b, only its groups of clauses
** whose mask holds at one of a and b and not at the other can have moved their outcomes: any other
** outcome's clauses all hold or fail as they did. An outcome whose condition is that one clause
** holds as the clause does at b; a condition of several clauses is evaluated, and a second changed
** factor that reaches it finds it already up to date. */
static void update_changed_outcomes(nsm_sim *s, nsm_accum *acc)
{
    for (int k = 0; k < s->n_out_fdirty; k++) {
        int f = s->out_fdirty[k], a = s->out_level[f], b = s->level[f];
        s->out_fmarked[f] = 0;
        s->out_level[f] = b;
        if (a == b)
            continue; /* changed and changed back */
        /* f changed at this instant (outcomes are brought up to date at the end of every one), so
        ** its stay began at the instant's report index */
        int i = s->seg_start[f];
        const nsmi_out_group *g = s->out_group + s->out_fstart[f];
        const nsmi_out_group *end = s->out_group + s->out_fstart[f + 1];
        for (; g < end; g++)
            if (((g->mask >> a) ^ (g->mask >> b)) & 1u)
                update_group(s, g, (int)((g->mask >> b) & 1u), i, acc);
    }
    s->n_out_fdirty = 0;
}

/* Inline: most events change no factor that an outcome names, and then they cost no call. */
static inline void update_outcomes(nsm_sim *s, nsm_accum *acc)
{
    if (s->out_all)
        update_all_outcomes(s, acc);
    else if (s->n_out_fdirty)
        update_changed_outcomes(s, acc);
}

/* Re-rate the marked processes. Inline: a counted event that changes nothing marks nothing (its
** own clock is set by nsmi_rates_fire), and then it costs no call (issue 14). */
static inline void update_rates(nsm_sim *s)
{
    if (s->n_dirty) /* nsmi_rates_update with nothing marked does nothing */
        nsmi_rates_update(s);
}

/* Execute everything due at the current instant, then settle it. */
static void run_breakpoint(nsm_sim *s, nsm_accum *acc)
{
    const nsm_model *m = s->m;
    double t = s->t;
    s->changes_now = 0;
    if (s->reference)
        forget_windows(s);
    while (s->next_phase < s->n_phases && s->phase_t[s->next_phase] <= t) {
        m = s->m = s->phase_model[s->next_phase++];
        nsmi_mark_all(s); /* every number may have changed */
        nsmi_season_changes(s);
        season_table(s);
        next_season(s);
    }
    pass_month_starts(s);
    if (s->next_redraw_t <= t) {
        for (int j = 0; j < s->n_gamma; j++) {
            int e = s->gamma_list[j], k = s->redraw_k[e];
            if (k <= m->horizon_months && m->month_t[k] <= t) {
                draw_gamma(s, e);
                s->redraw_k[e] += m->events[e].redraw_months;
                nsmi_mark_process(s, m->n_transitions + e);
            }
        }
        next_redraw(s);
    }
    while (s->next_occ < m->n_occurrences && m->occurrences[s->next_occ].t <= t && !s->failed) {
        s->last_done = -1 - s->next_occ;
        const nsm_occurrence *oc = &m->occurrences[s->next_occ++];
        s->events++;
        if (!m->calendar_when || nsm_condition_holds(&m->calendar_when[oc->entry], s->level)) {
            nsmi_apply_action(s, &oc->action, s->cal_rng[oc->entry], acc);
            continue;
        }
        if (oc->action.kind == NSM_ACT_DRAW) {
            gsl_rng_uniform(s->cal_rng[oc->entry]); /* one draw per occurrence, acted on or not:
                                                    ** arms whose states differ stay paired */
            s->draws++;
        }
        nsmi_tell_skip(s, NSM_SEEN_SKIPPED, NSM_CAUSE_CALENDAR, s->next_occ - 1);
    }
    plan_fixed(s);
    nsmi_settle(s, acc);
    update_outcomes(s, acc);
    update_rates(s);
}

static void fire(nsm_sim *s, int k, nsm_accum *acc)
{
    const nsm_model *m = s->m;
    /* Only month starts that re-rate nothing can have passed since the last breakpoint, and they
    ** are passed at the next one: every seasonal multiplier is the same in the months they begin
    ** as in the month before (rates.c, nsmi_season_changes), so a hazard computed in the meantime
    ** with the calendar month of the last breakpoint is the same number (issue 14: a call at most
    ** firings). The reference passes them here, as before. */
    nsmi_rates_fire(s, k);
    s->changes_now = 0;
    s->events++;
    s->last_done = k;
    s->last_rate = s->clock[k].rate;
    if (k < m->n_transitions)
        nsmi_change_level(s, m->transitions[k].factor, m->transitions[k].to, acc);
    else
        nsmi_event_occurs(s, k - m->n_transitions, acc);
    if (s->pending.n > 0) /* most firings schedule nothing: nothing to settle, and no call */
        nsmi_settle(s, acc);
    update_outcomes(s, acc);
    update_rates(s);
    if (s->reference) {
        pass_month_starts(s);
        plan_fixed(s); /* from scratch after every step, the firings' too */
        forget_windows(s);
    }
}

static void finish(nsm_sim *s, nsm_accum *acc)
{
    const nsm_model *m = s->m;
    int n = m->n_reports;
    for (int f = 0; f < m->n_factors; f++) { /* nsm_accum_occupancy, in place */
        int i0 = s->seg_start[f];
        if (i0 < n) {
            int64_t *row = acc->occupancy + (size_t)(m->factors[f].first_level + s->level[f]) *
                                                (size_t)acc->cols;
            nsmi_acc_add(s, row + i0, 1);
            nsmi_acc_add(s, row + n, -1);
        }
    }
    /* the outcomes' flags are left clear for the next replication, in the pass that reads them
    ** (reset clears them only after a replication that did not finish) */
    for (int o = 0; o < m->n_outcomes; o++) {
        if (s->out_now[o])
            close_held(s, o, n, acc);
        if (!s->out_ever[o])
            nsmi_acc_add(s, acc->first + (size_t)o * (size_t)acc->cols + (size_t)n, 1);
        s->out_now[o] = s->out_ever[o] = 0;
    }
    s->out_clear = 1;
    nsmi_events_finish(s, acc);
    nsmi_acc_flush(s);
    nsm_accum_end_replication(acc);
    if (s->story)
        nsmi_story_end(s);
}

/* The loop's slow path, taken once every STOP_POLL events: has the replication run out of its
** budget, or has the caller asked to stop (Ctrl-C must be honoured within a second, and a
** replication may run for much longer than that)? */
static int out_of_bounds(nsm_sim *s)
{
    if (s->events >= s->events_limit) {
        s->failed = NSM_FAILED_BUDGET;
        return 1;
    }
    if (s->stop && *s->stop) {
        s->failed = NSM_FAILED_STOPPED;
        return 1;
    }
    s->next_check = s->events + STOP_POLL < s->events_limit ? s->events + STOP_POLL
                                                            : s->events_limit;
    return 0;
}

nsm_status nsm_sim_replicate(nsm_sim *s, uint64_t seed, uint64_t rep, nsm_accum *acc,
                             nsm_diag *diag)
{
    nsm_status st = nsmi_uncertain_prepare(s, seed, rep, diag);
    if (st != NSM_OK)
        return st;
    reset(s, seed, rep);
    if (s->story)
        nsmi_story_begin(s, rep);
    s->started = 0;
    run_breakpoint(s, acc); /* t = 0: the calendar's first day, outcomes' initial values */
    s->started = 1;
    const double t_end = s->m->t_end;
    while (!s->failed && s->t < t_end) {
        if (s->entered)
            drop_cancelled(s);
        double tb = next_breakpoint(s), tf;
        int k = nsmi_rates_next(s, &tf);
        s->t = k >= 0 && tf < tb ? tf : tb; /* clocks are brought up to date lazily */
        if (k >= 0 && tf < tb)
            fire(s, k, acc);
        else
            run_breakpoint(s, acc);
        if (s->events >= s->next_check && out_of_bounds(s))
            break;
    }
    if (s->failed) {
        nsmi_acc_flush(s); /* the accumulator as it would be with every write made at once */
        return nsmi_sim_failure(s, rep, diag);
    }
    finish(s, acc);
    return s->failed ? nsmi_sim_failure(s, rep, diag) : NSM_OK;
}
