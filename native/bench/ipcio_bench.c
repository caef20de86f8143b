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

/* Each variant is one function, never inlined into the timing loop, so that every variant pays the same call and
 * `valgrind --tool=callgrind --toggle-collect=<function>` counts one variant's instructions on its own. */
#define HM_BENCH_MESSAGE static __attribute__((noinline))

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

/* ---- the IpcIo serializer: the two messages through one API (its int32, int64 and string items) ---- */

#define HM_BENCH_IPCIO_MESSAGES(api, write_int32, write_int64, write_string, read_int32, read_int64, read_string) \
    HM_BENCH_MESSAGE uint64_t small_##api(char *buffer, size_t size)                                            \
    {                                                                                                           \
        IpcIo io;                                                                                               \
        hm_ipcio_init(&io, buffer, size, NULL, 0);                                                              \
        write_int32(&io, 1);                                                                                    \
        write_int32(&io, 2);                                                                                    \
        write_int32(&io, 3);                                                                                    \
        write_int32(&io, 4);                                                                                    \
        write_string(&io, small_text);                                                                          \
        hm_ipcio_flip(&io);                                                                                     \
        int32_t a = 0, b = 0, c = 0, d = 0;                                                                     \
        size_t len = 0;                                                                                         \
        read_int32(&io, &a);                                                                                    \
        read_int32(&io, &b);                                                                                    \
        read_int32(&io, &c);                                                                                    \
        read_int32(&io, &d);                                                                                    \
        const uint8_t *text = read_string(&io, &len);                                                           \
        return (uint64_t)(a + b + c + d) + len + (text != NULL);                                                \
    }                                                                                                           \
    HM_BENCH_MESSAGE uint64_t kilo_##api(char *buffer, size_t size)                                             \
    {                                                                                                           \
        IpcIo io;                                                                                               \
        hm_ipcio_init(&io, buffer, size, NULL, 0);                                                              \
        for (int32_t i = 0; i < 64; i++)                                                                        \
            write_int32(&io, i);                                                                                \
        for (int64_t i = 0; i < 32; i++)                                                                        \
            write_int64(&io, i);                                                                                \
        write_string(&io, kilo_text);                                                                           \
        hm_ipcio_flip(&io);                                                                                     \
        uint64_t sum = 0;                                                                                       \
        for (int i = 0; i < 64; i++) {                                                                          \
            int32_t v = 0;                                                                                      \
            read_int32(&io, &v);                                                                                \
            sum += (uint64_t)v;                                                                                 \
        }                                                                                                       \
        for (int i = 0; i < 32; i++) {                                                                          \
            int64_t v = 0;                                                                                      \
            read_int64(&io, &v);                                                                                \
            sum += (uint64_t)v;                                                                                 \
        }                                                                                                       \
        size_t len = 0;                                                                                         \
        const uint8_t *text = read_string(&io, &len);                                                           \
        return sum + len + (text != NULL);                                                                      \
    }

/* OpenHarmony's API: one exported call per item. */
HM_BENCH_IPCIO_MESSAGES(ipcio, WriteInt32, WriteInt64, WriteString, ReadInt32, ReadInt64, ReadString)
/* The inline fast path of harmonia/ipcio.h. */
HM_BENCH_IPCIO_MESSAGES(inline, hm_ipcio_write_int32, hm_ipcio_write_int64, hm_ipcio_write_string,
                        hm_ipcio_read_int32, hm_ipcio_read_int64, hm_ipcio_read_string)

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

HM_BENCH_MESSAGE uint64_t small_memcpy(char *buffer)
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

HM_BENCH_MESSAGE uint64_t kilo_memcpy(char *buffer)
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

enum kind { SMALL_MEMCPY, SMALL_IPCIO, SMALL_INLINE, KILO_MEMCPY, KILO_IPCIO, KILO_INLINE, KIND_COUNT };

/* The variants' function names, as given on the command line. */
static const char *const kind_ids[KIND_COUNT] = {
    "small_memcpy", "small_ipcio", "small_inline", "kilo_memcpy", "kilo_ipcio", "kilo_inline",
};

static const char *const kind_names[KIND_COUNT] = {
    "small, memcpy baseline", "small, serializer.h functions", "small, inline fast path (harmonia/ipcio.h)",
    "kilo, memcpy baseline", "kilo, serializer.h functions", "kilo, inline fast path (harmonia/ipcio.h)",
};

static uint64_t one_message(enum kind kind, char *buffer, size_t size)
{
    switch (kind) {
    case SMALL_MEMCPY: return small_memcpy(buffer);
    case SMALL_IPCIO: return small_ipcio(buffer, size);
    case SMALL_INLINE: return small_inline(buffer, size);
    case KILO_MEMCPY: return kilo_memcpy(buffer);
    case KILO_IPCIO: return kilo_ipcio(buffer, size);
    case KILO_INLINE: return kilo_inline(buffer, size);
    case KIND_COUNT: break;
    }
    return 0;
}

static struct cost run(enum kind kind, long iterations)
{
    static alignas(64) char buffer[2048];
    uint64_t total = 0;
    double start = now_ns(CLOCK_MONOTONIC);
    double start_cpu = now_ns(CLOCK_THREAD_CPUTIME_ID);
    for (long i = 0; i < iterations; i++) {
        total += one_message(kind, buffer, sizeof buffer);
        clobber();
    }
    struct cost cost = {(now_ns(CLOCK_MONOTONIC) - start) / (double)iterations,
                        (now_ns(CLOCK_THREAD_CPUTIME_ID) - start_cpu) / (double)iterations};
    sink = total;
    return cost;
}

/* Each variant's best of several rounds (the least disturbed by other processes on a shared machine); the rounds
 * of the variants alternate, so a burst of load hits the baseline as much as the serializer. */
static void best_of(int first, int last, long iterations, int rounds, struct cost *best)
{
    for (int k = first; k <= last; k++)
        best[k] = (struct cost){1e18, 1e18};
    for (int r = 0; r < rounds; r++) {
        for (int k = first; k <= last; k++) {
            struct cost cost = run((enum kind)k, iterations);
            if (cost.wall < best[k].wall)
                best[k].wall = cost.wall;
            if (cost.cpu < best[k].cpu)
                best[k].cpu = cost.cpu;
        }
    }
}

static void report(enum kind kind, struct cost cost, struct cost baseline)
{
    printf("%-44s wall %8.2f ns (%5.2fx)   thread cpu %8.2f ns (%5.2fx)\n", kind_names[kind], cost.wall,
           cost.wall / baseline.wall, cost.cpu, cost.cpu / baseline.cpu);
}

/* Every variant must write the same bytes as the baseline, so the comparison is like for like. */
static int check_same_bytes(enum kind kind, enum kind baseline, size_t length)
{
    static alignas(8) char expected[2048], actual[2048];
    memset(expected, 0x5a, sizeof expected);
    memset(actual, 0x5a, sizeof actual);
    one_message(baseline, expected, sizeof expected);
    one_message(kind, actual, sizeof actual);
    if (memcmp(expected, actual, length) != 0) {
        fprintf(stderr, "%s does not write the bytes of the %s\n", kind_names[kind], kind_names[baseline]);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    long iterations = argc > 1 ? strtol(argv[1], NULL, 10) : 20000000;
    memset(kilo_text, 'k', sizeof kilo_text - 1);

    if (check_same_bytes(SMALL_IPCIO, SMALL_MEMCPY, 56) || check_same_bytes(SMALL_INLINE, SMALL_MEMCPY, 56) ||
        check_same_bytes(KILO_IPCIO, KILO_MEMCPY, 1020) || check_same_bytes(KILO_INLINE, KILO_MEMCPY, 1020))
        return 1;

    if (argc > 2) {
        for (int k = 0; k < KIND_COUNT; k++) {
            if (strcmp(argv[2], kind_ids[k]) == 0) {
                struct cost cost = run((enum kind)k, iterations);
                printf("%s: %ld messages, %.2f ns each\n", kind_ids[k], iterations, cost.wall);
                return 0;
            }
        }
        fprintf(stderr, "unknown variant %s\n", argv[2]);
        return 2;
    }

    for (int k = 0; k < KIND_COUNT; k++) /* warm-up */
        run((enum kind)k, iterations / 20);
    struct cost best[KIND_COUNT];
    best_of(SMALL_MEMCPY, SMALL_INLINE, iterations, 5, best);
    best_of(KILO_MEMCPY, KILO_INLINE, iterations / 10, 5, best);
    printf("write+read per message, best of 5 alternating rounds; ratios to the memcpy baseline of the same run\n");
    printf("small = 56 B (4 int32 + 32-char string), kilo = 1020 B (64 int32 + 32 int64 + 500-char string)\n");
    for (int k = 0; k < KIND_COUNT; k++)
        report((enum kind)k, best[k], best[k < KILO_MEMCPY ? SMALL_MEMCPY : KILO_MEMCPY]);
    printf("(%ld small and %ld kilo messages per round)\n", iterations, iterations / 10);
    return 0;
}
