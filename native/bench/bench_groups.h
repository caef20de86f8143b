/*
 * harmonia-bench's groups: transport (bench_transport.c), ipcio (bench_ipcio.c) and spawn (bench_spawn.c). Each
 * runs its trials one round at a time, alternating the trials within a round, and records every round into the
 * run (bench_run.h). A trial that fails is noted in the run's failures and the others go on; a group that cannot
 * run here (spawn without root) is noted as skipped with the reason.
 */
#ifndef HARMONIA_BENCH_GROUPS_H
#define HARMONIA_BENCH_GROUPS_H

#include "bench_run.h"

typedef struct bench_options {
    int quick;
    int rounds;
    double warmup_seconds;  /* per trial and round, untimed */
    double measure_seconds; /* per trial and round */
    const char *appspawn;   /* harmonia-appspawn */
    const char *launcher;   /* harmonia-app-launcher */
    const char *app;        /* libharmonia-oneshot-app.so */
} bench_options;

/* The progress line of each trial and round, with the time left (bench_progress_trial). */
typedef struct bench_progress {
    int done;
    int total;
    double start_ns;
    double planned_ms_each;
} bench_progress;

void bench_progress_trial(bench_progress *progress, const char *group, const char *trial, int round, int rounds);

/* How many trials each group runs per round. */
int bench_transport_trials(void);
int bench_ipcio_trials(void);
int bench_spawn_trials(void);

void bench_transport(bench_run *run, const bench_options *options, bench_progress *progress);
void bench_ipcio(bench_run *run, const bench_options *options, bench_progress *progress);
void bench_spawn(bench_run *run, const bench_options *options, bench_progress *progress);

/* Latency samples of one trial-round: grows as needed up to a bound. */
typedef struct bench_samples {
    double *values;
    size_t count;
    size_t capacity;
} bench_samples;

/* Adds a sample; 0, or -1 when the bound is reached (the round then ends early). */
int bench_samples_add(bench_samples *samples, double value);
void bench_samples_free(bench_samples *samples);

/* Busy-wait hint for spin loops. */
static inline void bench_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__) || (defined(__arm__) && defined(__ARM_ARCH) && __ARM_ARCH >= 7)
    __asm__ volatile("yield" ::: "memory");
#else
    __asm__ volatile("" ::: "memory");
#endif
}

#endif /* HARMONIA_BENCH_GROUPS_H */
