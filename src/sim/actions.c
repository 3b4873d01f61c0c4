/*
** actions.c: what happens when the state changes. A change of a factor's level closes the stay it
** ends (one difference-array entry), tells the observer, and gives every effect it triggers its
** chance to schedule an action. Counted events update their period and cumulative counts and
** trigger their own effects. The accumulators' cells are written in place where accum.c would
** write them (nsmi_accum_period, nsmi_accum_cumulative in internal.h), and a counted event takes
** the report index and year of the last one while it falls in the same window (issue 14: on the
** baseline, nsmi_event_occurs went from 212 to 179 instructions an event, callgrind).
*/
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdio.h>

#include "neasim/dist.h"
#include "sim/internal.h"

int nsmi_spans_push(nsm_spans *l, int i0, int i1)
{
    if (l->n == l->cap) {
        int cap = l->cap ? 2 * l->cap : 8;
        int *a = realloc(l->i0, (size_t)cap * sizeof *a);
        if (a)
            l->i0 = a;
        int *b = a ? realloc(l->i1, (size_t)cap * sizeof *b) : NULL;
        if (!b)
            return -1;
        l->i1 = b;
        l->cap = cap;
    }
    l->i0[l->n] = i0;
    l->i1[l->n++] = i1;
    return 0;
}

/* Effect x was triggered: its own stream decides whether and when its action runs. The uniform
** is drawn even when the probability is 1, so that a lever changing the probability keeps the
** stream aligned; and the uniform and the delay are drawn before the row's `when` is asked, so
** that a trigger while the condition fails uses the stream as one while it holds would (the next
** triggers, and the same trigger in another arm of a comparison where it holds, stay paired). */
static void trigger_effect(nsm_sim *s, int x)
{
    const nsm_effect *e = &s->m->effects[x];
    gsl_rng *r = s->eff_rng[x];
    int holds = nsm_condition_holds(&e->when, s->level);
    if (!holds)
        nsmi_tell_skip(s, NSM_SEEN_SKIPPED, NSM_CAUSE_EFFECT, x);
    s->draws++;
    if (gsl_rng_uniform(r) >= e->probability)
        return;
    s->draws += e->delay_kind != NSM_DELAY_FIXED;
    double delay = e->delay_days; /* a date plus whole days stays exact (model.h) */
    if (e->delay_kind == NSM_DELAY_UNIFORM)
        delay *= gsl_rng_uniform(r);
    else if (e->delay_kind == NSM_DELAY_EXPONENTIAL)
        delay = delay > 0 ? gsl_ran_exponential(r, delay) : 0.0;
    if (!holds)
        return;
    if (nsmi_pending_push(&s->pending, s->t + delay, x))
        s->failed = NSM_FAILED_NOMEM;
}

static void trigger_list(nsm_sim *s, int key, int from, int to)
{
    for (int j = s->eff_start[key]; j < s->eff_start[key + 1]; j++) {
        int x = s->eff_list[j];
        const nsm_effect *e = &s->m->effects[x];
        if (from < 0 || (((e->from_mask >> from) & 1u) && ((e->to_mask >> to) & 1u)))
            trigger_effect(s, x);
    }
}

/* The effects triggered by a change of factor `key` (or by event key - n_factors). Most changes
** and occurrences trigger none: the test for an empty list is inline, so they cost no call. */
static inline void trigger_effects(nsm_sim *s, int key, int from, int to)
{
    if (s->eff_start[key] != s->eff_start[key + 1])
        trigger_list(s, key, from, to);
}

void nsmi_tell(nsm_sim *s, nsm_seen_kind kind, int factor, int from, int to, int event,
               int same_date)
{
    /* last_done says what ran last: a process k >= 0, n_proc + an effect, -1 - an occurrence;
    ** NSMI_LAST_START before anything has run in this replication. */
    int k = s->last_done;
    nsm_seen w = {kind, s->t, factor, from, to, event, NSM_CAUSE_HAZARD, k, same_date, 0.0};
    if (k == NSMI_LAST_START) {
        w.cause = NSM_CAUSE_START;
        w.cause_index = -1;
        if (kind == NSM_SEEN_START)
            w.share = s->m->factors[factor].initial[to];
    } else if (k < 0) {
        w.cause = NSM_CAUSE_CALENDAR;
        w.cause_index = -1 - k;
    } else if (k >= s->n_proc + s->m->n_effects) {
        w.cause = NSM_CAUSE_DURATION;
        w.cause_index = k - s->n_proc - s->m->n_effects;
    } else if (k >= s->n_proc) {
        w.cause = NSM_CAUSE_EFFECT;
        w.cause_index = k - s->n_proc;
    }
    s->observer(s->observer_ctx, &w);
}

void nsmi_tell_skip(nsm_sim *s, nsm_seen_kind kind, nsm_cause cause, int index)
{
    if (!s->observer || !s->tell_skips)
        return;
    nsm_seen w = {kind, s->t, -1, -1, -1, -1, cause, index, 0, 0.0};
    s->observer(s->observer_ctx, &w);
}

/* A change of factor f: the outcomes that name it are looked at once the instant has settled
** (engine.c, update_outcomes), from the level f had when they were last evaluated. */
static inline void mark_outcomes(nsm_sim *s, int f)
{
    if (s->out_fstart[f] != s->out_fstart[f + 1] && !s->out_fmarked[f]) {
        s->out_fmarked[f] = 1;
        s->out_fdirty[s->n_out_fdirty++] = f;
    }
}

void nsmi_change_level(nsm_sim *s, int factor, int level, nsm_accum *acc)
{
    int old = s->level[factor];
    if (old == level || s->failed)
        return; /* not a change: triggers nothing */
    if (++s->changes_now > NSM_MAX_CHANGES_PER_INSTANT) {
        s->failed = NSM_FAILED_LOOP;
        s->fail_factor = factor;
        return;
    }
    const nsm_model *m = s->m;
    int i = nsmi_report_index_of(s, s->t), i0 = s->seg_start[factor];
    if (i0 < i) { /* nsm_accum_occupancy, in place: it runs at every change */
        int64_t *row = acc->occupancy + (size_t)(m->factors[factor].first_level + old) *
                                            (size_t)acc->cols;
        nsmi_acc_add(s, row + i0, 1);
        nsmi_acc_add(s, row + i, -1);
    }
    s->seg_start[factor] = i;
    s->level[factor] = level;
    /* the stay in level that begins here writes this cell when it ends (internal.h) */
    NSMI_PREFETCH_WRITE(acc->occupancy + (size_t)(m->factors[factor].first_level + level) *
                                             (size_t)acc->cols + (size_t)i);
    mark_outcomes(s, factor);
    nsmi_mark_change(s, factor, old, level);
    if (s->observer)
        nsmi_tell(s, NSM_SEEN_CHANGE, factor, old, level, -1, 0);
    if (s->entered) { /* the model has durations: the sojourn in old is over, one in level begins */
        s->entered[factor]++;
        nsmi_durations_start(s, factor);
    }
    if (s->story && s->started)
        nsmi_story_change(s, factor, old, level);
    trigger_effects(s, factor, old, level);
}

/* The time still to run of a duration whose stay had lasted e > 0 days at the start (factors.csv,
** `entered`): a deadline's remaining whole days, exact; a law's draw given that it exceeds e
** (nsm_dist_sample_beyond: one uniform of the same stream). A stay the duration could not have
** outlasted (the reader refuses it as written; a lever or sweep can make one) ends at once. */
static double days_left(const nsm_duration *du, const nsm_dist *d, double e, gsl_rng *r)
{
    double end = du->kind == NSM_DIST_FIXED
                     ? du->p[0] * du->unit_days
                     : nsm_dist_sample_beyond(d, e / du->unit_days, r) * du->unit_days;
    return end > e ? end - e : 0.0;
}

/* The end of each duration out of f's level is scheduled now, in transition order, from the
** transition's own stream (a fixed duration draws nothing): due at the entry plus the duration in
** days, exactly a whole day later for a whole number of days (model.h). The stay in the level a
** factor starts in (entered[f] still 0: it has not changed) may have begun before the start. */
void nsmi_durations_start_list(nsm_sim *s, int f, int l)
{
    const nsm_model *m = s->m;
    const double *before = m->factors[f].entered;
    double e = before && s->entered[f] == 0 ? before[l - m->factors[f].first_level] : 0.0;
    /* dur_list: the transitions out of l that have durations, in transition order (most have
    ** none, so most changes look at no transition here) */
    for (int j = s->dur_start[l]; j < s->dur_start[l + 1]; j++) {
        int k = s->dur_list[j];
        const nsm_duration *du = &m->transitions[k].duration;
        nsm_dist d = {(nsm_dist_kind)du->kind, {du->p[0], du->p[1], du->p[2]}};
        s->draws += du->kind != NSM_DIST_FIXED;
        double days = e > 0 ? days_left(du, &d, e, s->dur_rng[k])
                      : du->kind == NSM_DIST_FIXED ? du->p[0] * du->unit_days
                                                   : nsm_dist_sample(&d, s->dur_rng[k]) * du->unit_days;
        if (nsmi_pending_push_end(&s->pending, s->t + days, k, s->entered[f]))
            s->failed = NSM_FAILED_NOMEM;
    }
}

/* A duration's end, if its sojourn is still on (no change of its factor since it began). */
static void duration_ends(nsm_sim *s, const nsm_pending_item *it, nsm_accum *acc)
{
    int k = -1 - it->effect;
    const nsm_transition *tr = &s->m->transitions[k];
    if (s->entered[tr->factor] != it->stamp)
        return; /* cancelled: the factor left `from` first */
    s->events++;
    s->last_done = s->n_proc + s->m->n_effects + k;
    nsmi_change_level(s, tr->factor, tr->to, acc);
}

/* One uniform, inverted through the cumulative probabilities: one draw per use, whatever the
** outcome, so that a stream stays aligned when probabilities change. */
int nsmi_draw_categorical(gsl_rng *r, const double *p, int n)
{
    return nsmi_categorical(gsl_rng_uniform(r), p, n);
}

/* A counted event set off by the calendar or an effect. It changes no level, so the guard on
** changes at one instant counts it here: effects that fire events at each other with no delay
** are a loop like any other. */
static void action_event(nsm_sim *s, int e, nsm_accum *acc)
{
    if (s->failed)
        return;
    if (++s->changes_now > NSM_MAX_CHANGES_PER_INSTANT) {
        s->failed = NSM_FAILED_LOOP;
        s->fail_factor = -1 - e;
        return;
    }
    nsmi_event_occurs(s, e, acc);
}

/* The case of a draw for the state now (model.h): the first conditioned case that holds, else the
** default; -1 when none holds, which the reader rules out (draws.c checks that the cases cover
** every state when there is no default) but which stays a runtime error, never a guess. */
static int draw_case(const nsm_sim *s, const nsm_draw *d)
{
    if (d->n_cases == 1 && d->has_default)
        return 0;
    for (int c = d->has_default; c < d->n_cases; c++)
        if (nsm_condition_holds(&d->given[c], s->level))
            return c;
    return d->has_default ? 0 : -1;
}

void nsmi_apply_action(nsm_sim *s, const nsm_action *a, gsl_rng *r, nsm_accum *acc)
{
    if (a->kind == NSM_ACT_EVENT) {
        action_event(s, a->event, acc);
        return;
    }
    int level = a->level;
    if (a->kind == NSM_ACT_DRAW) {
        const nsm_draw *d = &s->m->draws[a->draw];
        int n = s->m->factors[d->factor].n_levels, c = draw_case(s, d);
        if (c < 0) {
            s->failed = NSM_FAILED_DRAW;
            s->fail_factor = a->draw;
            return;
        }
        size_t row = (size_t)c * (size_t)n + (size_t)s->level[d->factor];
        level = nsmi_draw_categorical(r, d->prob + row * (size_t)n, n);
        s->draws++;
    }
    nsmi_change_level(s, a->factor, level, acc);
}

/* Flush the open period's count of event e into the accumulator. */
static void flush_period(nsm_sim *s, int e, nsm_accum *acc)
{
    if (s->ev_period_count[e] > 0 &&
        nsmi_accum_period(s, acc, e, s->ev_period[e], s->ev_period_count[e]))
        s->failed = NSM_FAILED_NOMEM;
    s->ev_period_count[e] = 0;
}

/* Year index of time t > 0: the k >= 1 with year_t[k-1] < t <= year_t[k]; 0 past the last. */
static int year_index(const nsm_sim *s, double t)
{
    /* t = 0 (an event fired by the calendar on the start date) lies in no year window, as in no
    ** period: windows are open at their start */
    if (s->n_years == 0 || t <= 0 || t > s->year_t[s->n_years])
        return 0;
    int k = (int)(t / NSM_DAYS_PER_YEAR) + 1;
    k = k < 1 ? 1 : k > s->n_years ? s->n_years : k;
    while (s->year_t[k] < t)
        k++;
    while (k > 1 && s->year_t[k - 1] >= t)
        k--;
    return k;
}

/* year_index(s, s->t), the last window found while s->t is in it (as nsmi_report_index_now). */
static inline int year_now(nsm_sim *s)
{
    double t = s->t;
    if (t > s->year_lo && t <= s->year_hi)
        return s->year_k;
    int k = year_index(s, t);
    if (k > 0) {
        s->year_lo = s->year_t[k - 1];
        s->year_hi = s->year_t[k];
        s->year_k = k;
    }
    return k;
}

static void flush_year(nsm_sim *s, int e, nsm_accum *acc)
{
    int64_t count = s->ev_year_count[e];
    if (count > 0 && s->ev_year[e] < acc->ycols) { /* nsm_accum_event_year, in place */
        int64_t *cell = nsmi_count_cell(s, &acc->yearly[e], acc->ycols, count, s->ev_year[e]);
        if (cell)
            nsmi_acc_add(s, cell, 1);
        else
            s->failed = NSM_FAILED_NOMEM;
    }
    s->ev_year_count[e] = 0;
}

static void close_cumulative(nsm_sim *s, int e, int i, nsm_accum *acc)
{
    if (nsmi_accum_cumulative(s, acc, e, s->ev_cum[e], s->ev_cum_start[e], i))
        s->failed = NSM_FAILED_NOMEM;
    s->ev_cum_start[e] = i;
    NSMI_ACCUM_CUMULATIVE_PREFETCH(acc, e, s->ev_cum[e] + 1, i); /* the next stay's first cell */
}

/* Is this occurrence of event e counted? Always, unless the event counts dates and its date (the
** whole days of t from the start: the date nsm_model_date writes, exact since t is in days) was
** counted already in this replication. Events happen in time order, so the last date counted is
** all there is to remember. */
static inline int counted(nsm_sim *s, int e)
{
    if (!s->ev_day || !s->m->events[e].counts_dates)
        return 1;
    int64_t day = (int64_t)s->t; /* t >= 0 */
    if (day == s->ev_day[e])
        return 0;
    s->ev_day[e] = day;
    return 1;
}

/* Count an occurrence of event e in its report period, its year and the cumulative count. */
static void count_occurrence(nsm_sim *s, int e, nsm_accum *acc)
{
    int i = nsmi_report_index_now(s);
    if (i != s->ev_period[e]) {
        flush_period(s, e, acc);
        s->ev_period[e] = i;
    }
    s->ev_period_count[e]++;
    int y = year_now(s);
    if (y != s->ev_year[e]) {
        flush_year(s, e, acc);
        s->ev_year[e] = y;
    }
    s->ev_year_count[e] += y > 0;
    close_cumulative(s, e, i, acc);
    if (s->trace && nsmi_spans_push(&s->trace->occ[e], i, i + 1))
        s->failed = NSM_FAILED_NOMEM;
    s->ev_cum[e]++;
}

/* An occurrence that is not counted (a second on one date) still happens: it is told, and it
** sets off its effects, so that what an event counts changes its counts and nothing else. */
void nsmi_event_occurs(nsm_sim *s, int e, nsm_accum *acc)
{
    int is_counted = counted(s, e);
    if (is_counted)
        count_occurrence(s, e, acc);
    if (s->observer)
        nsmi_tell(s, NSM_SEEN_EVENT, -1, -1, -1, e, !is_counted);
    if (s->story && s->started)
        nsmi_story_event(s, e);
    trigger_effects(s, s->m->n_factors + e, -1, -1);
}

void nsmi_events_finish(nsm_sim *s, nsm_accum *acc)
{
    for (int e = 0; e < s->m->n_events; e++) {
        flush_period(s, e, acc);
        flush_year(s, e, acc);
        close_cumulative(s, e, s->m->n_reports, acc);
    }
}

/* Run the effects due now, in (time, order of scheduling); those they trigger with no delay join
** the queue at the same instant and run after them. An effect whose `when_due` fails now does
** nothing (it is cancelled); a draw still takes its uniform, as a calendar row's does, so that the
** row's later draws, and this one in an arm where the condition holds, stay paired. */
void nsmi_settle_due(nsm_sim *s, nsm_accum *acc)
{
    while (nsmi_something_due(s)) {
        nsm_pending_item it = nsmi_pending_pop(&s->pending);
        if (it.effect < 0) {
            duration_ends(s, &it, acc);
            continue;
        }
        const nsm_effect *e = &s->m->effects[it.effect];
        s->events++;
        s->last_done = s->n_proc + it.effect;
        if (nsm_condition_holds(&e->when_due, s->level)) {
            nsmi_apply_action(s, &e->action, s->eff_rng[it.effect], acc);
            continue;
        }
        if (e->action.kind == NSM_ACT_DRAW) {
            gsl_rng_uniform(s->eff_rng[it.effect]);
            s->draws++;
        }
        nsmi_tell_skip(s, NSM_SEEN_CANCELLED, NSM_CAUSE_EFFECT, it.effect);
    }
}

/* What ran last, in the scenario's terms, with its rate or delay: the process that runs away when
** the budget is exceeded (its events outnumber all others, so it is almost surely the last). */
static void describe_last(const nsm_sim *s, char *out, size_t n)
{
    const nsm_model *m = s->m;
    int k = s->last_done;
    if (k == NSMI_LAST_START) {
        snprintf(out, n, "the start of the replication");
    } else if (k < 0) {
        const nsm_occurrence *oc = &m->occurrences[-1 - k];
        snprintf(out, n, "calendar entry '%s' (row %d of calendar.csv)",
                 m->calendar_names[oc->entry], oc->row);
    } else if (k < m->n_transitions) {
        const nsm_transition *tr = &m->transitions[k];
        const nsm_factor *f = &m->factors[tr->factor];
        snprintf(out, n, "transition %s:%s>%s (line %d of transitions.csv) fires at %g per year",
                 f->name, f->levels[tr->from], f->levels[tr->to], tr->source_line,
                 s->last_rate * NSM_DAYS_PER_YEAR);
    } else if (k < s->n_proc) {
        snprintf(out, n, "counted event '%s' occurs at %g per year",
                 m->events[k - m->n_transitions].name, s->last_rate * NSM_DAYS_PER_YEAR);
    } else if (k >= s->n_proc + m->n_effects) {
        const nsm_transition *tr = &m->transitions[k - s->n_proc - m->n_effects];
        const nsm_factor *f = &m->factors[tr->factor];
        snprintf(out, n, "the duration of transition %s:%s>%s (line %d of transitions.csv) keeps "
                 "ending", f->name, f->levels[tr->from], f->levels[tr->to], tr->source_line);
    } else {
        const nsm_effect *e = &m->effects[k - s->n_proc];
        char action[2 * NSM_NAME_MAX + 8];
        if (e->action.kind == NSM_ACT_DRAW)
            snprintf(action, sizeof action, "draw:%s", m->draws[e->action.draw].name);
        else if (e->action.kind == NSM_ACT_EVENT)
            snprintf(action, sizeof action, "event:%s", m->events[e->action.event].name);
        else {
            const nsm_factor *f = &m->factors[e->action.factor];
            snprintf(action, sizeof action, "%s=%s", f->name, f->levels[e->action.level]);
        }
        snprintf(out, n, "the effect on row %d of effects.csv (%s after %g days) keeps being "
                 "triggered", e->row, action, e->delay_days);
    }
}

static nsm_status over_budget(const nsm_sim *s, uint64_t rep, nsm_diag *diag)
{
    char what[256], date[11];
    describe_last(s, what, sizeof what);
    nsm_model_date(s->m, s->t, date);
    return nsm_diag_error(diag, NSM_ERR_RUNTIME,
                          "replication %llu ran away: more than %llu events by %s (t = %.4f "
                          "years; --max-events sets this budget): %s",
                          (unsigned long long)rep, (unsigned long long)s->max_events, date,
                          nsm_years(s->t), what);
}

nsm_status nsmi_sim_failure(const nsm_sim *s, uint64_t rep, nsm_diag *diag)
{
    if (s->failed == NSM_FAILED_STOPPED)
        return NSM_STOPPED;
    if (s->failed == NSM_FAILED_BUDGET)
        return diag ? over_budget(s, rep, diag) : NSM_ERR_RUNTIME;
    if (s->failed == NSM_FAILED_NOMEM)
        return diag ? nsm_diag_error(diag, NSM_ERR_NOMEM, "out of memory in replication %llu",
                                     (unsigned long long)rep)
                    : NSM_ERR_NOMEM;
    const nsm_model *m = s->m;
    if (!diag)
        return NSM_ERR_RUNTIME;
    if (s->failed == NSM_FAILED_DRAW) {
        char date[11];
        nsm_model_date(m, s->t, date);
        return nsm_diag_error(diag, NSM_ERR_RUNTIME, "replication %llu: draw '%s' has no case for "
                              "the state on %s (t = %.4f years): none of its `given` conditions "
                              "holds and it has no default; add a row with an empty `given`",
                              (unsigned long long)rep, m->draws[s->fail_factor].name, date,
                              nsm_years(s->t));
    }
    int ev = s->fail_factor < 0; /* an event fired by effects: -1 - event */
    /* the rows to look at: the zero-delay effects this factor's changes (or this event) set off */
    char rows[200] = "";
    size_t len = 0;
    for (int k = 0; k < m->n_effects && len < sizeof rows - 1; k++) {
        const nsm_effect *e = &m->effects[k];
        int fired = ev ? e->trigger_event == -1 - s->fail_factor
                       : e->trigger_event < 0 && e->trigger_factor == s->fail_factor;
        if (fired && e->delay_days == 0)
            len += (size_t)snprintf(rows + len, sizeof rows - len, "%seffects:%d",
                                    len ? ", " : "", e->row);
    }
    return nsm_diag_error(diag, NSM_ERR_RUNTIME,
                          "replication %llu: more than %d changes at t = %.4f years (%s '%s' "
                          "keeps %s): effects.csv has a loop of zero-delay effects%s%s%s; give "
                          "one of them a delay or a probability below 1",
                          (unsigned long long)rep, NSM_MAX_CHANGES_PER_INSTANT, nsm_years(s->t),
                          ev ? "counted event" : "factor",
                          ev ? m->events[-1 - s->fail_factor].name : m->factors[s->fail_factor].name,
                          ev ? "occurring" : "changing", len ? " (among " : "", rows,
                          len ? ": the zero-delay effects it sets off, rows of the table as "
                                "parameter paths count them)" : "");
}
