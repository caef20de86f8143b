/*
 * C microbenchmark: write and read back the 64-byte-class message of the Java benchmark (4 int32 + a
 * 32-character ASCII string, 56 bytes in the IpcIo format) through libharmonia's serializer.h, against a
 * same-run baseline that produces the same bytes with plain memcpy and reads them back the same way.
 * Also a 1 KiB message (64 int32 + 32 int64 + a 500-character string). Reports ns per write+read and the
 * ratio to the baseline. Not a ctest: run it by hand (bench/RESULTS.md).
 *
 * Usage: ipcio_bench [iterations]   (default 20000000)
 */
#include <serializer.h>
#include <harmonia/ipcio.h>

#include <inttypes.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char small_text[] = "0123456789abcdefghijklmnopqrstuv";
static char kilo_text[501];

/* Keeps results alive without letting the compiler see through them. */
static volatile uint64_t sink;

static inline void clobber(void)
{
    __asm__ volatile("" ::: "memory");
}

static double now_ns(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* One round's cost per message: wall time, and the thread's CPU time (which leaves out the time other
 * processes on a busy machine hold the CPU). */
struct cost {
    double wall;
    double cpu;
};

/* ---- the IpcIo serializer ---- */

static uint64_t small_ipcio(char *buffer, size_t size)
{
    IpcIo io;
    hm_ipcio_init(&io, buffer, size, NULL, 0);
    WriteInt32(&io, 1);
    WriteInt32(&io, 2);
    WriteInt32(&io, 3);
    WriteInt32(&io, 4);
    WriteString(&io, small_text);
    hm_ipcio_flip(&io);
    int32_t a = 0, b = 0, c = 0, d = 0;
    size_t len = 0;
    ReadInt32(&io, &a);
    ReadInt32(&io, &b);
    ReadInt32(&io, &c);
    ReadInt32(&io, &d);
    const uint8_t *text = ReadString(&io, &len);
    return (uint64_t)(a + b + c + d) + len + (text != NULL);
}

static uint64_t kilo_ipcio(char *buffer, size_t size)
{
    IpcIo io;
    hm_ipcio_init(&io, buffer, size, NULL, 0);
    for (int32_t i = 0; i < 64; i++)
        WriteInt32(&io, i);
    for (int64_t i = 0; i < 32; i++)
        WriteInt64(&io, i);
    WriteString(&io, kilo_text);
    hm_ipcio_flip(&io);
    uint64_t sum = 0;
    for (int i = 0; i < 64; i++) {
        int32_t v = 0;
        ReadInt32(&io, &v);
        sum += (uint64_t)v;
    }
    for (int i = 0; i < 32; i++) {
        int64_t v = 0;
        ReadInt64(&io, &v);
        sum += (uint64_t)v;
    }
    size_t len = 0;
    const uint8_t *text = ReadString(&io, &len);
    return sum + len + (text != NULL);
}

/* ---- the baseline: the same bytes with plain memcpy, no checks beyond the string's bounds ---- */

static char *put_u32(char *at, uint32_t value)
{
    memcpy(at, &value, sizeof value);
    return at + sizeof value;
}

static char *put_u64(char *at, uint64_t value)
{
    memcpy(at, &value, sizeof value);
    return at + sizeof value;
}

static char *put_string(char *at, const char *text)
{
    size_t len = strlen(text);
    size_t padded = (len + 1 + 3) & ~(size_t)3;
    at = put_u32(at, (uint32_t)len);
    memset(at + padded - 4, 0, 4);
    memcpy(at, text, len + 1);
    return at + padded;
}

static const char *get_u32(const char *at, uint32_t *value)
{
    memcpy(value, at, sizeof *value);
    return at + sizeof *value;
}

static const char *get_u64(const char *at, uint64_t *value)
{
    memcpy(value, at, sizeof *value);
    return at + sizeof *value;
}

static uint64_t small_memcpy(char *buffer)
{
    char *at = buffer;
    at = put_u32(at, 1);
    at = put_u32(at, 2);
    at = put_u32(at, 3);
    at = put_u32(at, 4);
    put_string(at, small_text);
    clobber();
    const char *in = buffer;
    uint32_t a, b, c, d, len;
    in = get_u32(in, &a);
    in = get_u32(in, &b);
    in = get_u32(in, &c);
    in = get_u32(in, &d);
    in = get_u32(in, &len);
    return (uint64_t)(a + b + c + d) + len + (in[len] == 0);
}

static uint64_t kilo_memcpy(char *buffer)
{
    char *at = buffer;
    for (uint32_t i = 0; i < 64; i++)
        at = put_u32(at, i);
    for (uint64_t i = 0; i < 32; i++)
        at = put_u64(at, i);
    put_string(at, kilo_text);
    clobber();
    const char *in = buffer;
    uint64_t sum = 0;
    for (int i = 0; i < 64; i++) {
        uint32_t v;
        in = get_u32(in, &v);
        sum += v;
    }
    for (int i = 0; i < 32; i++) {
        uint64_t v;
        in = get_u64(in, &v);
        sum += v;
    }
    uint32_t len;
    in = get_u32(in, &len);
    return sum + len + (in[len] == 0);
}

enum kind { SMALL_IPCIO, SMALL_MEMCPY, KILO_IPCIO, KILO_MEMCPY };

static struct cost run(enum kind kind, long iterations)
{
    static alignas(64) char buffer[2048];
    uint64_t total = 0;
    double start = now_ns(CLOCK_MONOTONIC);
    double start_cpu = now_ns(CLOCK_THREAD_CPUTIME_ID);
    for (long i = 0; i < iterations; i++) {
        switch (kind) {
        case SMALL_IPCIO: total += small_ipcio(buffer, sizeof buffer); break;
        case SMALL_MEMCPY: total += small_memcpy(buffer); break;
        case KILO_IPCIO: total += kilo_ipcio(buffer, sizeof buffer); break;
        case KILO_MEMCPY: total += kilo_memcpy(buffer); break;
        }
        clobber();
    }
    struct cost cost = {(now_ns(CLOCK_MONOTONIC) - start) / (double)iterations,
                        (now_ns(CLOCK_THREAD_CPUTIME_ID) - start_cpu) / (double)iterations};
    sink = total;
    return cost;
}

/* The best of several rounds: the least disturbed by other processes on a shared machine. */
static struct cost best_of(enum kind kind, long iterations, int rounds)
{
    struct cost best = {1e18, 1e18};
    for (int r = 0; r < rounds; r++) {
        struct cost cost = run(kind, iterations);
        if (cost.wall < best.wall)
            best.wall = cost.wall;
        if (cost.cpu < best.cpu)
            best.cpu = cost.cpu;
    }
    return best;
}

static void report(const char *name, struct cost ipcio, struct cost baseline)
{
    printf("%-50s wall %7.2f vs %7.2f ns (%.2fx)   cpu %7.2f vs %7.2f ns (%.2fx)\n", name, ipcio.wall,
           baseline.wall, ipcio.wall / baseline.wall, ipcio.cpu, baseline.cpu, ipcio.cpu / baseline.cpu);
}

int main(int argc, char **argv)
{
    long iterations = argc > 1 ? strtol(argv[1], NULL, 10) : 20000000;
    memset(kilo_text, 'k', sizeof kilo_text - 1);

    /* Check once that both encoders produce the same bytes, so the comparison is like for like. */
    static alignas(8) char a[2048], b[2048];
    memset(a, 0x5a, sizeof a);
    memset(b, 0x5a, sizeof b);
    small_ipcio(a, sizeof a);
    small_memcpy(b);
    if (memcmp(a, b, 56) != 0) {
        fprintf(stderr, "the baseline does not write the IpcIo bytes\n");
        return 1;
    }

    run(SMALL_IPCIO, iterations / 10); /* warm-up */
    run(SMALL_MEMCPY, iterations / 10);
    printf("write+read per message: IpcIo serializer vs memcpy baseline (best of 5 rounds)\n");
    report("small (56 B: 4 int32 + 32-char string)", best_of(SMALL_IPCIO, iterations, 5),
           best_of(SMALL_MEMCPY, iterations, 5));
    report("kilo (1020 B: 64 int32 + 32 int64 + 500-char string)", best_of(KILO_IPCIO, iterations / 10, 5),
           best_of(KILO_MEMCPY, iterations / 10, 5));
    printf("(%ld small and %ld kilo messages per round)\n", iterations, iterations / 10);
    return 0;
}
