/*
** bench_engine.c: throughput of the engine on one model, and the floor no engine can beat.
**
**   bench_engine MODEL_DIR RUNS THREADS [drawn|nominal]
**
** drawn (the default) draws uncertain numbers for each replication, as `neasim run` does; nominal
** holds them at their means (`--nominal`). It
** prints one line of key=value figures: replications per second (and per thread), events per
** second, random variates per replication; then times a loop that does only the random-number
** work of the same run (setting the same streams each replication and drawing the same number of
** exponential variates from them) and reports the engine's throughput as a share of that floor.
*/
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neasim/engine.h"
#include "neasim/rng.h"
#include "neasim/scenario.h"

/* The random-number work of `runs` replications: per replication, set n_streams streams and draw
** `per_rep` exponentials from them in turn, on one thread. Returns seconds. */
static double floor_seconds(uint64_t runs, int n_streams, double per_rep, double *sink)
{
    gsl_rng **r = malloc((size_t)n_streams * sizeof *r);
    for (int k = 0; k < n_streams; k++)
        r[k] = gsl_rng_alloc(nsm_rng_philox4x32);
    double t0 = omp_get_wtime(), acc = 0.0, owed = 0.0;
    for (uint64_t rep = 0; rep < runs; rep++) {
        for (int k = 0; k < n_streams; k++)
            nsm_rng_set_stream(r[k], 1, rep, (uint32_t)k);
        owed += per_rep;
        for (int k = 0; owed >= 1.0; owed -= 1.0, k = (k + 1) % n_streams)
            acc += nsm_rng_exponential1(r[k]); /* as the engine draws them */
    }
    double dt = omp_get_wtime() - t0;
    for (int k = 0; k < n_streams; k++)
        gsl_rng_free(r[k]);
    free(r);
    *sink = acc;
    return dt;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: bench_engine MODEL_DIR RUNS THREADS [drawn|nominal]\n");
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
    int threads = atoi(argv[3]);
    nsm_accum *a = nsm_accum_alloc(m);
    int nominal = argc == 5 && strcmp(argv[4], "nominal") == 0;
    nsm_run_config c = {1, runs, 0, threads, NULL, NULL, NULL,
                        nominal ? NSM_UNCERTAINTY_NOMINAL : NSM_UNCERTAINTY_PER_RUN, 0, 0};
    nsm_run_stats rs;
    if (nsm_run(m, &c, a, &rs, &d) != NSM_OK) {
        fprintf(stderr, "%s\n", d.error);
        return 70;
    }
    int n_streams = m->n_transitions + 2 * m->n_events + m->n_calendar_names + m->n_effects + 1;
    double per_rep = (double)rs.draws / (double)runs, sink;
    double fl = floor_seconds(runs / (uint64_t)rs.threads, n_streams, per_rep, &sink);
    double engine_rate = (double)runs / rs.wall_seconds / rs.threads;
    double floor_rate = (double)(runs / (uint64_t)rs.threads) / fl;
    printf("model=%s mode=%s runs=%llu threads=%d wall_s=%.3f reps_per_s=%.0f reps_per_s_per_thread=%.0f "
           "events_per_s=%.0f events_per_rep=%.2f draws_per_rep=%.2f floor_reps_per_s=%.0f "
           "share_of_floor=%.2f\n",
           m->name, nominal ? "nominal" : "drawn", (unsigned long long)runs, rs.threads, rs.wall_seconds,
           (double)runs / rs.wall_seconds, engine_rate, (double)rs.events / rs.wall_seconds,
           (double)rs.events / (double)runs, per_rep, floor_rate, engine_rate / floor_rate);
    if (sink < 0)
        printf("%g\n", sink); /* keeps the floor loop from being optimised away */
    nsm_accum_free(a);
    nsm_model_free(m);
    nsm_diag_release(&d);
    return 0;
}
