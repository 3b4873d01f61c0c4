/*
** bench_direct.c: the special-purpose program a skilled user would write for the reference chain
** (tests/models/chain6: six states on a ring, each left for either neighbour at 0.3 a year), timed
** against the engine in `make bench`.
**
**   bench_direct MODEL_DIR RUNS [direct|nrm|pairing]
**
** direct (the default): the direct method (Gillespie) with one stream a replication, the same
** Philox generator as the engine (rng.h) and its unit exponential (nsm_rng_exponential1): a
** holding time at the total rate 0.6 a year, then a uniform for the direction.
**
** nrm: the same chain by the engine's algorithm, written out for this chain alone: the modified
** next-reaction method with a stream per transition (rates.c), each transition's internal time
** kept while it is off, a unit exponential drawn when a transition is first on and after each of
** its firings. It is the fastest program that keeps what the engine keeps, arms paired by process
** stream (a lever that changes one rate moves only that process's firings), so that `make bench`
** can split the engine's distance from the direct loop into the algorithm's share (nrm against
** direct) and the generality's (the engine against nrm).
**
** pairing: what the two stream uses give a comparison, rather than how fast they run. Two arms
** of the chain, the baseline and a lever (s1 -> s2 doubled: one transition of a level; or both
** ways out of s4 halved: a whole level), each replication simulated in both arms on the same
** streams, by each method (the loops below, written once for any rates): the variance of the
** paired difference of three outcomes (s4 at the end; s4 reached by the end; days in s4), and
** its ratio direct / next-reaction, how many times the replications the direct method needs for
** the same interval of a lever's effect. It measures what changing the engine's stream use to the
** direct method (one stream a factor) would cost the comparisons (issue 14).
**
** Both collect what a run reports for this chain: the state at every report date (difference
** arrays over the report index) and the first report at which s4 holds. The model is read only for
** its report dates; the chain is written into the loop, as such a program would. Prints one line
** of key=value figures.
*/
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neasim/rng.h"
#include "neasim/scenario.h"

enum { STATES = 6, FAR = 3 };

/* What both loops collect, and the report dates. */
typedef struct {
    int n;              /* reports */
    const double *rt;   /* report dates, days */
    double t_end;
    long long *occ;     /* [STATES x (n + 1)]: difference arrays of the state over the reports */
    long long *first;   /* [n + 1]: first report at which s4 holds, n for never */
    uint64_t jumps;
} tally;

/* First report index with report_t[i] >= t (report dates are nearly even: guess, then correct). */
static int report_index(const double *rt, int n, double t_end, double t)
{
    int last = n - 1, i = (int)(t / t_end * last);
    i = i < 0 ? 0 : i > last ? last : i;
    while (rt[i] < t)
        i++;
    while (i > 0 && rt[i - 1] >= t)
        i--;
    return i;
}

/* Record the state s held over reports [seg, i). */
static inline void held(tally *y, int s, int seg, int i)
{
    y->occ[s * (y->n + 1) + seg]++;
    y->occ[s * (y->n + 1) + i]--;
}

static void run_direct(tally *y, uint64_t runs)
{
    double mean_hold = NSM_DAYS_PER_YEAR / (2 * 0.3);
    gsl_rng *r = gsl_rng_alloc(nsm_rng_philox4x32);
    for (uint64_t rep = 0; rep < runs; rep++) {
        nsm_rng_set_stream(r, 1, rep, 0);
        int s = 0, seg = 0, hit = y->n;
        double t = 0.0;
        for (;;) {
            t += mean_hold * nsm_rng_exponential1(r); /* the engine's sampler (rng.h) */
            if (t > y->t_end)
                break;
            int i = report_index(y->rt, y->n, y->t_end, t);
            held(y, s, seg, i);
            seg = i;
            s = gsl_rng_uniform(r) < 0.5 ? (s + 1) % STATES : (s + STATES - 1) % STATES;
            y->jumps++;
            if (s == FAR && hit == y->n)
                hit = i;
        }
        held(y, s, seg, y->n);
        y->first[hit]++;
    }
    gsl_rng_free(r);
}

/* Transition k < STATES leaves state k for k + 1, STATES + k leaves k for k - 1 (round the ring);
** each has its own stream, k, drawn inline as the engine draws (nsm_philox_exponential1). */
static void run_nrm(tally *y, uint64_t runs)
{
    const double rate = 0.3 / NSM_DAYS_PER_YEAR; /* per day, as the engine's clocks */
    nsm_philox st[2 * STATES];
    double T[2 * STATES], P[2 * STATES];
    for (uint64_t rep = 0; rep < runs; rep++) {
        for (int k = 0; k < 2 * STATES; k++) {
            nsm_philox_seek(&st[k], 1, rep, (uint32_t)k);
            T[k] = 0.0;
            P[k] = -1.0; /* drawn when first on */
        }
        int s = 0, seg = 0, hit = y->n;
        double t = 0.0;
        for (;;) {
            int a = s, b = STATES + s; /* the two transitions on in state s */
            if (P[a] < 0.0)
                P[a] = T[a] + nsm_philox_exponential1(&st[a]);
            if (P[b] < 0.0)
                P[b] = T[b] + nsm_philox_exponential1(&st[b]);
            double ta = t + (P[a] - T[a]) / rate, tb = t + (P[b] - T[b]) / rate;
            int w = tb < ta ? b : a, l = w == a ? b : a;
            double tw = w == a ? ta : tb;
            if (tw > y->t_end)
                break;
            T[l] += rate * (tw - t); /* the loser keeps its internal time while it is off */
            T[w] = P[w];
            P[w] += nsm_philox_exponential1(&st[w]);
            t = tw;
            int i = report_index(y->rt, y->n, y->t_end, t);
            held(y, s, seg, i);
            seg = i;
            s = w < STATES ? (s + 1) % STATES : (s + STATES - 1) % STATES;
            y->jumps++;
            if (s == FAR && hit == y->n)
                hit = i;
        }
        held(y, s, seg, y->n);
        y->first[hit]++;
    }
}

/* ---------------------------------------------------------------- pairing of arms */

/* What one replication of an arm gives the comparison. */
typedef struct {
    double far_at_end, reached, days_far;
} arm_out;

enum { OUTS = 3 };

/* The stay in state s over [from, to). */
static void add_stay(arm_out *o, int s, double from, double to)
{
    if (s == FAR) {
        o->days_far += to - from;
        o->reached = 1;
    }
}

/* Replication rep of the chain with per-day rates rate[k] (k as in run_nrm), direct method. The
** timed loops above stay written for equal rates, as the special-purpose program would be; these
** two take any rates, for the lever's arm. */
static arm_out arm_direct(const double *rate, double t_end, uint64_t rep, gsl_rng *r)
{
    nsm_rng_set_stream(r, 1, rep, 0);
    arm_out o = {0, 0, 0};
    int s = 0;
    for (double t = 0.0;;) {
        double up = rate[s], total = up + rate[STATES + s];
        double next = t + nsm_rng_exponential1(r) / total;
        add_stay(&o, s, t, next < t_end ? next : t_end);
        if (next > t_end)
            break;
        t = next;
        s = gsl_rng_uniform(r) * total < up ? (s + 1) % STATES : (s + STATES - 1) % STATES;
    }
    o.far_at_end = s == FAR;
    return o;
}

/* The same by the next-reaction method, a stream per transition (as run_nrm). */
static arm_out arm_nrm(const double *rate, double t_end, uint64_t rep)
{
    nsm_philox st[2 * STATES];
    double T[2 * STATES], P[2 * STATES];
    for (int k = 0; k < 2 * STATES; k++) {
        nsm_philox_seek(&st[k], 1, rep, (uint32_t)k);
        T[k] = 0.0;
        P[k] = -1.0;
    }
    arm_out o = {0, 0, 0};
    int s = 0;
    for (double t = 0.0;;) {
        int a = s, b = STATES + s;
        if (P[a] < 0.0)
            P[a] = T[a] + nsm_philox_exponential1(&st[a]);
        if (P[b] < 0.0)
            P[b] = T[b] + nsm_philox_exponential1(&st[b]);
        double ta = t + (P[a] - T[a]) / rate[a], tb = t + (P[b] - T[b]) / rate[b];
        int w = tb < ta ? b : a, l = w == a ? b : a;
        double tw = w == a ? ta : tb;
        add_stay(&o, s, t, tw < t_end ? tw : t_end);
        if (tw > t_end)
            break;
        T[l] += rate[l] * (tw - t);
        T[w] = P[w];
        P[w] += nsm_philox_exponential1(&st[w]);
        t = tw;
        s = w < STATES ? (s + 1) % STATES : (s + STATES - 1) % STATES;
    }
    o.far_at_end = s == FAR;
    return o;
}

/* The variance of the paired difference lever - baseline of each outcome, by one method. From
** running sums rather than gsl_stats_variance over stored differences, so that memory does not
** grow with the replications; the differences are at most a horizon in days (3,653), so the sums
** of squares stay far inside a double's exact range and cancellation costs nothing that shows. */
static void paired_variances(const double *base, const double *lever, double t_end, uint64_t runs,
                             int nrm, double var[OUTS])
{
    gsl_rng *r = gsl_rng_alloc(nsm_rng_philox4x32);
    double sum[OUTS] = {0}, sum2[OUTS] = {0};
    for (uint64_t rep = 0; rep < runs; rep++) {
        arm_out a = nrm ? arm_nrm(base, t_end, rep) : arm_direct(base, t_end, rep, r);
        arm_out b = nrm ? arm_nrm(lever, t_end, rep) : arm_direct(lever, t_end, rep, r);
        double d[OUTS] = {b.far_at_end - a.far_at_end, b.reached - a.reached,
                          b.days_far - a.days_far};
        for (int j = 0; j < OUTS; j++) {
            sum[j] += d[j];
            sum2[j] += d[j] * d[j];
        }
    }
    for (int j = 0; j < OUTS; j++)
        var[j] = (sum2[j] - sum[j] * sum[j] / (double)runs) / (double)(runs - 1);
    gsl_rng_free(r);
}

static int pairing(double t_end, uint64_t runs)
{
    static const char *const lever_name[2] = {"s1_to_s2_doubled", "out_of_s4_halved"};
    static const char *const out_name[OUTS] = {"s4_at_end", "s4_reached", "days_in_s4"};
    double base[2 * STATES];
    for (int k = 0; k < 2 * STATES; k++)
        base[k] = 0.3 / NSM_DAYS_PER_YEAR;
    for (int l = 0; l < 2; l++) {
        double lever[2 * STATES], vd[OUTS], vn[OUTS];
        memcpy(lever, base, sizeof lever);
        if (l == 0)
            lever[0] *= 2.0;
        else
            lever[FAR] *= 0.5, lever[STATES + FAR] *= 0.5;
        paired_variances(base, lever, t_end, runs, 0, vd);
        paired_variances(base, lever, t_end, runs, 1, vn);
        /* both 0 where the lever cannot move the outcome (leaving s4 more slowly does not
        ** change whether s4 is reached): no ratio */
        for (int j = 0; j < OUTS; j++) {
            printf("lever=%s outcome=%s var_direct=%.6g var_nrm=%.6g direct_over_nrm=", lever_name[l],
                   out_name[j], vd[j], vn[j]);
            if (vn[j] > 0)
                printf("%.2f\n", vd[j] / vn[j]);
            else
                printf("na\n");
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    int nrm = argc == 4 && strcmp(argv[3], "nrm") == 0;
    int pair = argc == 4 && strcmp(argv[3], "pairing") == 0;
    if ((argc != 3 && argc != 4) ||
        (argc == 4 && !nrm && !pair && strcmp(argv[3], "direct") != 0)) {
        fprintf(stderr, "usage: bench_direct MODEL_DIR RUNS [direct|nrm|pairing]\n");
        return 64;
    }
    nsm_model *m = NULL;
    nsm_diag d;
    nsm_diag_init(&d);
    if (nsm_scenario_read(argv[1], &m, &d) != NSM_OK) {
        fprintf(stderr, "%s\n", d.error);
        return 65;
    }
    uint64_t runs = strtoull(argv[2], NULL, 10);
    int n = m->n_reports;
    if (pair) {
        int st = pairing(m->report_t[n - 1], runs);
        nsm_model_free(m);
        nsm_diag_release(&d);
        return st;
    }
    tally y = {n, m->report_t, m->t_end, calloc((size_t)(STATES * (n + 1)), sizeof(long long)),
               calloc((size_t)n + 1, sizeof(long long)), 0};
    double t0 = omp_get_wtime();
    if (nrm)
        run_nrm(&y, runs);
    else
        run_direct(&y, runs);
    double wall = omp_get_wtime() - t0;
    long long far_end = 0;
    for (int i = 0; i < n; i++)
        far_end += y.occ[FAR * (n + 1) + i];
    /* The closed form the loops are checked against (make bench): on a ring of six states left for
    ** either neighbour at 0.3 a year, P(s4 at t | s1 at 0) = 1/6 sum_j cos(pi j) exp(-0.6 (1 -
    ** cos(pi j / 3)) t) (the ring's Fourier modes), t the last report's date in years. */
    double years = m->report_t[n - 1] / NSM_DAYS_PER_YEAR, p_closed = 0.0;
    for (int j = 0; j < STATES; j++)
        p_closed += cos(M_PI * j) * exp(-0.6 * (1.0 - cos(M_PI * j / 3.0)) * years) / STATES;
    printf("model=%s method=%s runs=%llu wall_s=%.3f reps_per_s=%.0f jumps_per_rep=%.2f "
           "p_far_at_end=%.4f p_far_closed=%.4f p_never_far=%.4f\n",
           m->name, nrm ? "nrm" : "direct", (unsigned long long)runs, wall, (double)runs / wall,
           (double)y.jumps / (double)runs, (double)far_end / (double)runs, p_closed,
           (double)y.first[n] / (double)runs);
    free(y.occ);
    free(y.first);
    nsm_model_free(m);
    nsm_diag_release(&d);
    return 0;
}
