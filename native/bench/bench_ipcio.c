/*
 * harmonia-bench's ipcio group: the small and the 1 KiB IpcIo message written and read back through the
 * serializer.h functions and the inline fast path, against the memcpy encoder of the same bytes
 * (ipcio_messages.c), each variant checked byte-identical to the baseline first. A round runs each variant for the
 * measured time in batches; the score is the mean per message in ns/op.
 */
#include "bench_groups.h"
#include "ipcio_messages.h"

#define IPCIO_BENCHMARK "c.ipcio.IpcIo.writeRead"

static const struct {
    enum ipcio_kind kind;
    const char *message;
    const char *variant;
} variants[] = {
    {SMALL_INLINE, "small", "inline"}, {SMALL_IPCIO, "small", "serializer"}, {SMALL_MEMCPY, "small", "memcpy"},
    {KILO_INLINE, "kilo", "inline"},   {KILO_IPCIO, "kilo", "serializer"},   {KILO_MEMCPY, "kilo", "memcpy"},
};
#define VARIANT_COUNT (int)(sizeof variants / sizeof variants[0])

int bench_ipcio_trials(void)
{
    return VARIANT_COUNT;
}

void bench_ipcio(bench_run *run, const bench_options *options, bench_progress *progress)
{
    ipcio_messages_init();
    if (ipcio_check_all() != 0) {
        bench_note_add(run->failures, &run->failure_count, "ipcio", "a variant does not write the baseline's bytes");
        return;
    }
    char trial[64];
    const long batch = options->quick ? 1000L : 100000L; /* quick runs may be emulated (qemu-user) */
    for (int round = 0; round < options->rounds; round++) {
        for (int v = 0; v < VARIANT_COUNT; v++) {
            snprintf(trial, sizeof trial, "%s message, %s", variants[v].message, variants[v].variant);
            bench_progress_trial(progress, "ipcio", trial, round, options->rounds);
            double end_warmup = bench_now_ns() + options->warmup_seconds * 1e9;
            while (bench_now_ns() < end_warmup)
                ipcio_run(variants[v].kind, batch / 10);
            long messages = 0;
            double start = bench_now_ns(), end = start + options->measure_seconds * 1e9, now = start;
            while (now < end) {
                ipcio_run(variants[v].kind, batch);
                messages += batch;
                now = bench_now_ns();
            }
            bench_record_round(bench_measurement_for(run, "ipcio", IPCIO_BENCHMARK, "ns/op", "message",
                                                     variants[v].message, "variant", variants[v].variant),
                               (now - start) / (double)messages, NULL, 0);
        }
    }
}
