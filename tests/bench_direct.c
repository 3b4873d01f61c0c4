/*
** bench_direct.c: the special-purpose program a skilled user would write for the reference chain
** (tests/models/chain6: six states on a ring, each left for either neighbour at 0.3 a year), timed
** against the engine in `make bench`.
**
**   bench_direct MODEL_DIR RUNS [direct|nrm]
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

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    int nrm = argc == 4 && strcmp(argv[3], "nrm") == 0;
    if ((argc != 3 && argc != 4) || (argc == 4 && !nrm && strcmp(argv[3], "direct") != 0)) {
        fprintf(stderr, "usage: bench_direct MODEL_DIR RUNS [direct|nrm]\n");
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
