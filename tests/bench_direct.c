/*
** bench_direct.c: the special-purpose program a skilled user would write for the reference chain
** (tests/models/chain6: six states on a ring, each left for either neighbour at 0.3 a year), timed
** against the engine in `make bench`.
**
**   bench_direct MODEL_DIR RUNS
**
** The direct method (Gillespie) with one stream a replication, the same GSL Philox generator as
** the engine (rng.h) and its unit exponential (nsm_rng_exponential1): a holding time at the total
** rate 0.6 a year, then a uniform for
** the direction. It collects what a run reports for this chain: the state at every report date
** (difference arrays over the report index) and the first report at which s4 holds. The model is
** read only for its report dates; the chain is written into the loop, as such a program would.
** Prints one line of key=value figures.
*/
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

#include "neasim/rng.h"
#include "neasim/scenario.h"

enum { STATES = 6, FAR = 3 };

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

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    if (argc != 3) {
        fprintf(stderr, "usage: bench_direct MODEL_DIR RUNS\n");
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
    const double *rt = m->report_t;
    double t_end = m->t_end, mean_hold = NSM_DAYS_PER_YEAR / (2 * 0.3);
    long long *occ = calloc((size_t)(STATES * (n + 1)), sizeof *occ);
    long long *first = calloc((size_t)n + 1, sizeof *first);
    gsl_rng *r = gsl_rng_alloc(nsm_rng_philox4x32);
    uint64_t jumps = 0;
    double t0 = omp_get_wtime();
    for (uint64_t rep = 0; rep < runs; rep++) {
        nsm_rng_set_stream(r, 1, rep, 0);
        int s = 0, seg = 0, hit = n;
        double t = 0.0;
        for (;;) {
            t += mean_hold * nsm_rng_exponential1(r); /* the engine's sampler (rng.h) */
            if (t > t_end)
                break;
            int i = report_index(rt, n, t_end, t);
            occ[s * (n + 1) + seg]++;
            occ[s * (n + 1) + i]--;
            seg = i;
            s = gsl_rng_uniform(r) < 0.5 ? (s + 1) % STATES : (s + STATES - 1) % STATES;
            jumps++;
            if (s == FAR && hit == n)
                hit = i;
        }
        occ[s * (n + 1) + seg]++;
        occ[s * (n + 1) + n]--;
        first[hit]++;
    }
    double wall = omp_get_wtime() - t0;
    long long far_end = 0;
    for (int i = 0; i < n; i++)
        far_end += occ[FAR * (n + 1) + i];
    printf("model=%s runs=%llu wall_s=%.3f reps_per_s=%.0f jumps_per_rep=%.2f p_far_at_end=%.4f "
           "p_never_far=%.4f\n",
           m->name, (unsigned long long)runs, wall, (double)runs / wall,
           (double)jumps / (double)runs, (double)far_end / (double)runs,
           (double)first[n] / (double)runs);
    gsl_rng_free(r);
    free(occ);
    free(first);
    nsm_model_free(m);
    nsm_diag_release(&d);
    return 0;
}
