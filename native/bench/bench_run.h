/*
 * harmonia-bench's run: the measurements of every trial per round, the figures read from them, the machine, and
 * the JSON document that `harmonia bench` (Java) also writes (schema 1, docs/decisions.md "Benchmarks"), so a
 * run taken on a board without a JVM is reported and compared on a host like any other.
 *
 * A round is a fresh pair of processes (a fresh process for IpcIo) and counts as a fork in the JSON: every
 * figure is the median over rounds with the range over rounds; the rounds of a group's trials alternate, so a
 * burst of load hits a figure and its baseline alike.
 */
#ifndef HARMONIA_BENCH_RUN_H
#define HARMONIA_BENCH_RUN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define BENCH_MAX_ROUNDS 16
#define BENCH_MAX_MEASUREMENTS 48
#define BENCH_MAX_NOTES 8
#define BENCH_PERCENTILE_COUNT 11

/* The points of a latency curve (the Java tool's too). */
extern const double bench_percentiles[BENCH_PERCENTILE_COUNT];

/* One benchmark with one parameter set, per round. */
typedef struct bench_measurement {
    const char *group;
    const char *benchmark; /* "c.transport.RoundTrip.roundTrip" */
    const char *param_names[2];
    char param_values[2][32];
    const char *unit; /* "ns/op", "ops/us", "us/op" */
    int rounds;
    double score[BENCH_MAX_ROUNDS];
    int has_percentiles;
    double percentile_ns[BENCH_MAX_ROUNDS][BENCH_PERCENTILE_COUNT];
} bench_measurement;

/* A group not run, or a trial that failed, with the reason. */
typedef struct bench_note {
    char what[48];
    char reason[160];
} bench_note;

typedef struct bench_run {
    const char *mode; /* "full" or "quick" */
    char started[32];
    double seconds;
    char groups[64];
    bench_measurement measurements[BENCH_MAX_MEASUREMENTS];
    int measurement_count;
    bench_note skipped[BENCH_MAX_NOTES];
    int skipped_count;
    bench_note failures[BENCH_MAX_NOTES];
    int failure_count;
    /* The machine. */
    char cpu_model[128];
    int cores;
    char arch[80];
    char kernel[80];
    double load_start[3];
    double load_end[3];
    double other_cpu_percent;
    uint64_t machine_ticks_start;
    uint64_t own_ticks_start;
    double clock_start;
} bench_run;

/* The measurement of this benchmark and parameters, created on first use (NULL when the table is full). */
bench_measurement *bench_measurement_for(bench_run *run, const char *group, const char *benchmark, const char *unit,
                                         const char *param1, const char *value1, const char *param2,
                                         const char *value2);
/* Records one round's score, and its latency samples (ns) when samples is not NULL (they are sorted in place). */
void bench_record_round(bench_measurement *m, double score, double *samples, size_t count);
void bench_note_add(bench_note *notes, int *count, const char *what, const char *reason);

/* Monotonic time in nanoseconds. */
double bench_now_ns(void);

/* Reads the machine and the load before the run, and again after it (with the CPU other processes used). */
void bench_machine_start(bench_run *run);
void bench_machine_finish(bench_run *run);

/* Writes the run as the JSON document of schema 1. */
void bench_write_json(const bench_run *run, FILE *out);
/* Writes the figures as text: each against its baseline with the ratio and which way is better. */
void bench_write_summary(const bench_run *run, FILE *out);

#endif /* HARMONIA_BENCH_RUN_H */
