/*
 * The IpcIo messages of the C benchmarks (ipcio_bench and harmonia-bench): the small message of the Java benchmark
 * (4 int32 + a 32-character ASCII string, 56 bytes in the IpcIo format) and a 1 KiB one (64 int32 + 32 int64 + a
 * 500-character string), each written and read back three ways: through the exported serializer.h functions
 * (OpenHarmony's API, one call per item), through the inline fast path of harmonia/ipcio.h, and, as the same-run
 * baseline, with plain memcpy producing the same bytes.
 */
#include "ipcio_messages.h"

#include <serializer.h>
#include <harmonia/ipcio.h>

#include <stdalign.h>
#include <stdio.h>
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

const char *const ipcio_kind_ids[IPCIO_KIND_COUNT] = {
    "small_memcpy", "small_ipcio", "small_inline", "kilo_memcpy", "kilo_ipcio", "kilo_inline",
};

const char *const ipcio_kind_names[IPCIO_KIND_COUNT] = {
    "small, memcpy baseline", "small, serializer.h functions", "small, inline fast path (harmonia/ipcio.h)",
    "kilo, memcpy baseline", "kilo, serializer.h functions", "kilo, inline fast path (harmonia/ipcio.h)",
};

uint64_t ipcio_one_message(enum ipcio_kind kind, char *buffer, size_t size)
{
    switch (kind) {
    case SMALL_MEMCPY: return small_memcpy(buffer);
    case SMALL_IPCIO: return small_ipcio(buffer, size);
    case SMALL_INLINE: return small_inline(buffer, size);
    case KILO_MEMCPY: return kilo_memcpy(buffer);
    case KILO_IPCIO: return kilo_ipcio(buffer, size);
    case KILO_INLINE: return kilo_inline(buffer, size);
    case IPCIO_KIND_COUNT: break;
    }
    return 0;
}

struct ipcio_cost ipcio_run(enum ipcio_kind kind, long iterations)
{
    static alignas(64) char buffer[2048];
    uint64_t total = 0;
    double start = now_ns(CLOCK_MONOTONIC);
    double start_cpu = now_ns(CLOCK_THREAD_CPUTIME_ID);
    for (long i = 0; i < iterations; i++) {
        total += ipcio_one_message(kind, buffer, sizeof buffer);
        clobber();
    }
    struct ipcio_cost cost = {(now_ns(CLOCK_MONOTONIC) - start) / (double)iterations,
                        (now_ns(CLOCK_THREAD_CPUTIME_ID) - start_cpu) / (double)iterations};
    sink = total;
    return cost;
}


int ipcio_check_same_bytes(enum ipcio_kind kind, enum ipcio_kind baseline, size_t length)
{
    static alignas(8) char expected[2048], actual[2048];
    memset(expected, 0x5a, sizeof expected);
    memset(actual, 0x5a, sizeof actual);
    ipcio_one_message(baseline, expected, sizeof expected);
    ipcio_one_message(kind, actual, sizeof actual);
    if (memcmp(expected, actual, length) != 0) {
        fprintf(stderr, "%s does not write the bytes of the %s\n", ipcio_kind_names[kind], ipcio_kind_names[baseline]);
        return 1;
    }
    return 0;
}

void ipcio_messages_init(void)
{
    memset(kilo_text, 'k', sizeof kilo_text - 1);
}

int ipcio_check_all(void)
{
    return ipcio_check_same_bytes(SMALL_IPCIO, SMALL_MEMCPY, 56) || ipcio_check_same_bytes(SMALL_INLINE, SMALL_MEMCPY, 56) ||
           ipcio_check_same_bytes(KILO_IPCIO, KILO_MEMCPY, 1020) || ipcio_check_same_bytes(KILO_INLINE, KILO_MEMCPY, 1020);
}
