/*
 * C microbenchmark: write and read back the 64-byte-class message of the Java benchmark (4 int32 + a
 * 32-character ASCII string, 56 bytes in the IpcIo format) two ways: through the exported serializer.h functions
 * (OpenHarmony's API, one call per item) and through the inline fast path of harmonia/ipcio.h; against a
 * same-run baseline that produces the same bytes with plain memcpy and reads them back the same way.
 * Also a 1 KiB message (64 int32 + 32 int64 + a 500-character string). Reports ns per write+read and the
 * ratio to the baseline. Not a ctest: run it by hand (bench/RESULTS.md).
 *
 * Usage: ipcio_bench [iterations]            every variant, best of 5 rounds (default 20000000 small messages)
 *        ipcio_bench <iterations> <variant>  only that variant (small_ipcio, small_inline, small_memcpy, kilo_...),
 *                                            once: for instruction counts, e.g. valgrind --tool=callgrind
 *                                            --toggle-collect='small_inline*' ipcio_bench 100000 small_inline
 */
#include "ipcio_messages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Each variant's best of several rounds (the least disturbed by other processes on a shared machine); the rounds
 * of the variants alternate, so a burst of load hits the baseline as much as the serializer. */
static void best_of(int first, int last, long iterations, int rounds, struct ipcio_cost *best)
{
    for (int k = first; k <= last; k++)
        best[k] = (struct ipcio_cost){1e18, 1e18};
    for (int r = 0; r < rounds; r++) {
        for (int k = first; k <= last; k++) {
            struct ipcio_cost cost = ipcio_run((enum ipcio_kind)k, iterations);
            if (cost.wall < best[k].wall)
                best[k].wall = cost.wall;
            if (cost.cpu < best[k].cpu)
                best[k].cpu = cost.cpu;
        }
    }
}

static void report(enum ipcio_kind kind, struct ipcio_cost cost, struct ipcio_cost baseline)
{
    printf("%-44s wall %8.2f ns (%5.2fx)   thread cpu %8.2f ns (%5.2fx)\n", ipcio_kind_names[kind], cost.wall,
           cost.wall / baseline.wall, cost.cpu, cost.cpu / baseline.cpu);
}

int main(int argc, char **argv)
{
    long iterations = argc > 1 ? strtol(argv[1], NULL, 10) : 20000000;
    ipcio_messages_init();
    if (ipcio_check_all())
        return 1;

    if (argc > 2) {
        for (int k = 0; k < IPCIO_KIND_COUNT; k++) {
            if (strcmp(argv[2], ipcio_kind_ids[k]) == 0) {
                struct ipcio_cost cost = ipcio_run((enum ipcio_kind)k, iterations);
                printf("%s: %ld messages, %.2f ns each\n", ipcio_kind_ids[k], iterations, cost.wall);
                return 0;
            }
        }
        fprintf(stderr, "unknown variant %s\n", argv[2]);
        return 2;
    }

    for (int k = 0; k < IPCIO_KIND_COUNT; k++) /* warm-up */
        ipcio_run((enum ipcio_kind)k, iterations / 20);
    struct ipcio_cost best[IPCIO_KIND_COUNT];
    best_of(SMALL_MEMCPY, SMALL_INLINE, iterations, 5, best);
    best_of(KILO_MEMCPY, KILO_INLINE, iterations / 10, 5, best);
    printf("write+read per message, best of 5 alternating rounds; ratios to the memcpy baseline of the same run\n");
    printf("small = 56 B (4 int32 + 32-char string), kilo = 1020 B (64 int32 + 32 int64 + 500-char string)\n");
    for (int k = 0; k < IPCIO_KIND_COUNT; k++)
        report((enum ipcio_kind)k, best[k], best[k < KILO_MEMCPY ? SMALL_MEMCPY : KILO_MEMCPY]);
    printf("(%ld small and %ld kilo messages per round)\n", iterations, iterations / 10);
    return 0;
}
