/*
 * The comparisons harmonia-bench reads from its measurements: a figure, its baseline measured in the same run and
 * which way is better. Ids are those of the Java tool where the comparison is the same (a channel round trip
 * against a Unix socket), so `harmonia bench compare` pairs a board's C run with a host's Java run.
 */
#ifndef HARMONIA_BENCH_FIGURES_H
#define HARMONIA_BENCH_FIGURES_H

/* One side: a benchmark with up to two parameter values (NULL: any). */
typedef struct bench_side {
    const char *label;
    const char *benchmark;
    const char *value1;
    const char *value2;
} bench_side;

typedef struct bench_figure_spec {
    const char *id;
    const char *group;
    const char *title;
    int p50; /* 1: the latency median (ns); 0: the score */
    const char *better; /* "lower" or "higher" */
    bench_side value;
    bench_side baseline;
} bench_figure_spec;

extern const bench_figure_spec bench_figure_specs[];
extern const int bench_figure_spec_count;

#endif /* HARMONIA_BENCH_FIGURES_H */
