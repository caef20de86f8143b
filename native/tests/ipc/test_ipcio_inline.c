/*
 * The inline fast path of harmonia/ipcio.h (hm_ipcio_write_int32, hm_ipcio_read_string, ...) against the
 * serializer.h functions it stands for: the same bytes, return values, outputs, cursor and sticky failure, on
 * every kind of IpcIo (IpcIoInit, hm_ipcio_init, a received message, a flipped one, a failed one, NULL).
 *
 * The boundary cases are spelled out one by one; then random programs of writes, reads and flips run twice, once
 * through the functions and once inline, over identical memory, and every step must agree. A hook counts the
 * hand-overs to the exported functions, so the tests also show that the common case stays inline.
 */
static unsigned long slow_path_calls;
#define HM_IPCIO_ON_SLOW_PATH() ((void)slow_path_calls++)

#include <serializer.h>
#include <harmonia/ipcio.h>

#include <stdalign.h>

#include "hm_test.h"

/* ---- the common case stays inline and writes the functions' bytes ---- */

static alignas(8) char memory_a[32768];
static alignas(8) char memory_b[32768];

/* Writes one of every item through the functions into a and inline into b. */
static void write_every_item(IpcIo *a, IpcIo *b)
{
    static const char text[] = "inline and exported agree";
    static const uint8_t bytes[5] = {1, 2, 3, 4, 5};
    HM_CHECK(WriteBool(a, true) && hm_ipcio_write_bool(b, true));
    HM_CHECK(WriteInt8(a, INT8_MIN) && hm_ipcio_write_int8(b, INT8_MIN));
    HM_CHECK(WriteInt16(a, INT16_MIN) && hm_ipcio_write_int16(b, INT16_MIN));
    HM_CHECK(WriteInt32(a, INT32_MIN) && hm_ipcio_write_int32(b, INT32_MIN));
    HM_CHECK(WriteInt64(a, INT64_MIN) && hm_ipcio_write_int64(b, INT64_MIN));
    HM_CHECK(WriteUint8(a, UINT8_MAX) && hm_ipcio_write_uint8(b, UINT8_MAX));
    HM_CHECK(WriteUint16(a, UINT16_MAX) && hm_ipcio_write_uint16(b, UINT16_MAX));
    HM_CHECK(WriteUint32(a, UINT32_MAX) && hm_ipcio_write_uint32(b, UINT32_MAX));
    HM_CHECK(WriteUint64(a, UINT64_MAX) && hm_ipcio_write_uint64(b, UINT64_MAX));
    HM_CHECK(WriteFloat(a, -1.5f) && hm_ipcio_write_float(b, -1.5f));
    HM_CHECK(WriteDouble(a, 2.25e300) && hm_ipcio_write_double(b, 2.25e300));
    HM_CHECK(WritePointer(a, (uintptr_t)&text) && hm_ipcio_write_pointer(b, (uintptr_t)&text));
    HM_CHECK(WriteBoolUnaligned(a, true) && hm_ipcio_write_bool_unaligned(b, true));
    HM_CHECK(WriteInt8Unaligned(a, -2) && hm_ipcio_write_int8_unaligned(b, -2));
    HM_CHECK(WriteInt16Unaligned(a, -3) && hm_ipcio_write_int16_unaligned(b, -3));
    HM_CHECK(WriteUint8Unaligned(a, 0xfe) && hm_ipcio_write_uint8_unaligned(b, 0xfe));
    HM_CHECK(WriteUint16Unaligned(a, 0xfffe) && hm_ipcio_write_uint16_unaligned(b, 0xfffe));
    HM_CHECK(WriteString(a, text) && hm_ipcio_write_string(b, text));
    HM_CHECK(WriteString(a, "") && hm_ipcio_write_string(b, ""));
    HM_CHECK(WriteBuffer(a, bytes, sizeof bytes) && hm_ipcio_write_buffer(b, bytes, sizeof bytes));
    HM_CHECK(WriteBuffer(a, bytes, 4) && hm_ipcio_write_buffer(b, bytes, 4));
}

/* Reads back what write_every_item wrote, inline, checking each value. */
static void read_every_item_inline(IpcIo *io)
{
    bool b = false;
    int8_t i8 = 0;
    int16_t i16 = 0;
    int32_t i32 = 0;
    int64_t i64 = 0;
    uint8_t u8 = 0;
    uint16_t u16 = 0;
    uint32_t u32 = 0;
    uint64_t u64 = 0;
    float f = 0;
    double d = 0;
    size_t len = 0;
    HM_CHECK(hm_ipcio_read_bool(io, &b) && b);
    HM_CHECK(hm_ipcio_read_int8(io, &i8) && i8 == INT8_MIN);
    HM_CHECK(hm_ipcio_read_int16(io, &i16) && i16 == INT16_MIN);
    HM_CHECK(hm_ipcio_read_int32(io, &i32) && i32 == INT32_MIN);
    HM_CHECK(hm_ipcio_read_int64(io, &i64) && i64 == INT64_MIN);
    HM_CHECK(hm_ipcio_read_uint8(io, &u8) && u8 == UINT8_MAX);
    HM_CHECK(hm_ipcio_read_uint16(io, &u16) && u16 == UINT16_MAX);
    HM_CHECK(hm_ipcio_read_uint32(io, &u32) && u32 == UINT32_MAX);
    HM_CHECK(hm_ipcio_read_uint64(io, &u64) && u64 == UINT64_MAX);
    HM_CHECK(hm_ipcio_read_float(io, &f) && f == -1.5f);
    HM_CHECK(hm_ipcio_read_double(io, &d) && d == 2.25e300);
    HM_CHECK(hm_ipcio_read_pointer(io) != 0);
    b = false;
    HM_CHECK(hm_ipcio_read_bool_unaligned(io, &b) && b);
    HM_CHECK(hm_ipcio_read_int8_unaligned(io, &i8) && i8 == -2);
    HM_CHECK(hm_ipcio_read_int16_unaligned(io, &i16) && i16 == -3);
    HM_CHECK(hm_ipcio_read_uint8_unaligned(io, &u8) && u8 == 0xfe);
    HM_CHECK(hm_ipcio_read_uint16_unaligned(io, &u16) && u16 == 0xfffe);
    HM_CHECK_STR_EQ((const char *)hm_ipcio_read_string(io, &len), "inline and exported agree");
    HM_CHECK_INT_EQ(len, 25);
    HM_CHECK_STR_EQ((const char *)hm_ipcio_read_string(io, &len), "");
    HM_CHECK_INT_EQ(len, 0);
    const uint8_t *buffer = hm_ipcio_read_buffer(io, 5);
    HM_CHECK(buffer != NULL && buffer[0] == 1 && buffer[4] == 5);
    buffer = hm_ipcio_read_buffer(io, 4);
    HM_CHECK(buffer != NULL && buffer[3] == 4);
    HM_CHECK_INT_EQ(io->bufferLeft, 0);
    HM_CHECK(IpcIoAvailable(io));
}

static void same_bytes_and_values_on_both_kinds_of_ipcio(void)
{
    for (int bounded = 0; bounded <= 1; bounded++) {
        IpcIo a, b;
        memset(memory_a, 0x5a, sizeof memory_a);
        memset(memory_b, 0x5a, sizeof memory_b);
        if (bounded) {
            IpcIoInit(&a, memory_a, MAX_IO_SIZE, 2);
            IpcIoInit(&b, memory_b, MAX_IO_SIZE, 2);
        } else {
            HM_CHECK_INT_EQ(hm_ipcio_init(&a, memory_a, sizeof memory_a, NULL, 0), 0);
            HM_CHECK_INT_EQ(hm_ipcio_init(&b, memory_b, sizeof memory_b, NULL, 0), 0);
        }
        slow_path_calls = 0;
        write_every_item(&a, &b);
        HM_CHECK_INT_EQ(slow_path_calls, 0);
        size_t written = hm_ipcio_data_length(&a);
        HM_CHECK_INT_EQ(hm_ipcio_data_length(&b), written);
        HM_CHECK(memcmp(memory_a, memory_b, sizeof memory_a) == 0);
        HM_CHECK(a.flag == b.flag && a.bufferLeft == b.bufferLeft);
        HM_CHECK_INT_EQ(hm_ipcio_flip(&b), 0);
        read_every_item_inline(&b);
        HM_CHECK_INT_EQ(slow_path_calls, 0);
    }
}

/* The 56-byte message of the benchmark, and a constant string's length folded: still the same bytes. */
static void benchmark_message_is_byte_identical(void)
{
    IpcIo a, b;
    memset(memory_a, 0x11, 64);
    memset(memory_b, 0x22, 64);
    hm_ipcio_init(&a, memory_a, 56, NULL, 0);
    hm_ipcio_init(&b, memory_b, 56, NULL, 0);
    for (int32_t i = 1; i <= 4; i++)
        HM_CHECK(WriteInt32(&a, i) && hm_ipcio_write_int32(&b, i));
    HM_CHECK(WriteString(&a, "0123456789abcdefghijklmnopqrstuv"));
    HM_CHECK(hm_ipcio_write_string(&b, "0123456789abcdefghijklmnopqrstuv"));
    HM_CHECK_INT_EQ(b.bufferLeft, 0); /* an exact fit */
    HM_CHECK(memcmp(memory_a, memory_b, 56) == 0);
    HM_CHECK(memory_b[56] == 0x22); /* nothing written past the item */
}

/* ---- boundaries: each case where the inline path must hand over, and what the function then does ---- */

static void exact_fit_succeeds_and_one_byte_short_fails_unchanged(void)
{
    IpcIo io;
    memset(memory_b, 0x33, 64);
    hm_ipcio_init(&io, memory_b, 12, NULL, 0);
    HM_CHECK(hm_ipcio_write_int64(&io, 7));
    HM_CHECK(hm_ipcio_write_int32(&io, 8)); /* exactly the 4 bytes left */
    HM_CHECK(IpcIoAvailable(&io));
    memset(memory_b, 0x33, 64);
    hm_ipcio_init(&io, memory_b, 11, NULL, 0);
    HM_CHECK(hm_ipcio_write_int64(&io, 7));
    slow_path_calls = 0;
    HM_CHECK(!hm_ipcio_write_int32(&io, 8)); /* 3 bytes left */
    HM_CHECK_INT_EQ(slow_path_calls, 1);
    HM_CHECK(!IpcIoAvailable(&io));
    HM_CHECK_INT_EQ(io.bufferLeft, 3); /* the failed item moved nothing */
    HM_CHECK_INT_EQ(io.bufferCur - memory_b, 8);
    HM_CHECK(memory_b[8] == 0x33);

    /* A string item is length + text + NUL, padded: 4 + 3 + 1 = 8 bytes for "abc". */
    hm_ipcio_init(&io, memory_b, 8, NULL, 0);
    HM_CHECK(hm_ipcio_write_string(&io, "abc"));
    hm_ipcio_init(&io, memory_b, 7, NULL, 0);
    HM_CHECK(!hm_ipcio_write_string(&io, "abc"));
    HM_CHECK(!IpcIoAvailable(&io));
    /* 5 bytes of buffer take 8 with the padding, zeroed. */
    memset(memory_b, 0x44, 16);
    hm_ipcio_init(&io, memory_b, 8, NULL, 0);
    HM_CHECK(hm_ipcio_write_buffer(&io, "12345", 5));
    HM_CHECK(memcmp(memory_b, "12345\0\0\0", 8) == 0);
    hm_ipcio_init(&io, memory_b, 7, NULL, 0);
    HM_CHECK(!hm_ipcio_write_buffer(&io, "12345", 5));
}

static void failure_is_sticky_for_inline_items_that_would_fit(void)
{
    IpcIo io;
    int32_t value = 0;
    hm_ipcio_init(&io, memory_b, 64, NULL, 0);
    HM_CHECK(!hm_ipcio_read_int32(&io, NULL)); /* a NULL output fails the IpcIo, as ReadInt32 does */
    HM_CHECK(!IpcIoAvailable(&io));
    HM_CHECK(!hm_ipcio_write_int32(&io, 1));
    HM_CHECK(!hm_ipcio_write_string(&io, "x"));
    HM_CHECK(!hm_ipcio_write_buffer(&io, "x", 1));
    HM_CHECK(!hm_ipcio_read_int32(&io, &value));
    HM_CHECK(hm_ipcio_read_string(&io, NULL) == NULL);
    HM_CHECK(hm_ipcio_read_buffer(&io, 4) == NULL);
    HM_CHECK(hm_ipcio_read_pointer(&io) == 0);
    HM_CHECK_INT_EQ(io.bufferLeft, 64);
}

static void writes_to_a_received_message_fail(void)
{
    IpcIo io;
    memset(memory_b, 0, 64);
    HM_CHECK_INT_EQ(hm_ipcio_init_reader(&io, memory_b, 64, NULL, 0), 0);
    HM_CHECK(!hm_ipcio_write_int32(&io, 1));
    HM_CHECK(!IpcIoAvailable(&io));
    /* A flipped writer is a reader too. */
    hm_ipcio_init(&io, memory_b, 64, NULL, 0);
    HM_CHECK(hm_ipcio_write_int32(&io, 5));
    HM_CHECK_INT_EQ(hm_ipcio_flip(&io), 0);
    HM_CHECK(!hm_ipcio_write_bool(&io, true));
    HM_CHECK(!IpcIoAvailable(&io));
}

static void null_and_unusable_ipcio_fail(void)
{
    bool b = true;
    size_t len = 77;
    HM_CHECK(!hm_ipcio_write_int32(NULL, 1));
    HM_CHECK(!hm_ipcio_read_bool(NULL, &b) && b);
    HM_CHECK(hm_ipcio_read_string(NULL, &len) == NULL && len == 77);
    HM_CHECK(hm_ipcio_read_pointer(NULL) == 0);
    /* A stack IpcIo holding garbage that looks set up, then a failed IpcIoInit: unusable. */
    IpcIo io;
    memset(&io, 0, sizeof io);
    io.flag = IPC_IO_INITIALIZED;
    io.bufferCur = io.bufferBase = memory_b;
    io.bufferLeft = 64;
    IpcIoInit(&io, memory_b, MAX_IO_SIZE + 1, 0);
    HM_CHECK(!hm_ipcio_write_int32(&io, 1));
    HM_CHECK(!hm_ipcio_write_string(&io, "x"));
    HM_CHECK(hm_ipcio_read_buffer(&io, 4) == NULL);
    HM_CHECK(io.bufferCur == NULL);
}

static char long_text[MAX_IO_SIZE + 2];

static void string_lengths_around_the_compatible_limit(void)
{
    IpcIo io;
    memset(long_text, 'L', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    size_t len = 0;
    /* 8191 bytes: the largest the compatible API takes; its item (8196 bytes) exceeds any IpcIoInit buffer. */
    long_text[MAX_IO_SIZE - 1] = '\0';
    IpcIoInit(&io, memory_b, MAX_IO_SIZE, 0);
    HM_CHECK(!hm_ipcio_write_string(&io, long_text));
    hm_ipcio_init(&io, memory_b, sizeof memory_b, NULL, 0);
    slow_path_calls = 0;
    HM_CHECK(hm_ipcio_write_string(&io, long_text)); /* inline */
    HM_CHECK_INT_EQ(slow_path_calls, 0);
    /* 8192 bytes: refused by the compatible API, written by WriteString on an unbounded IpcIo. */
    long_text[MAX_IO_SIZE - 1] = 'L';
    long_text[MAX_IO_SIZE] = '\0';
    HM_CHECK(hm_ipcio_write_string(&io, long_text));
    HM_CHECK_INT_EQ(slow_path_calls, 1);
    HM_CHECK_INT_EQ(hm_ipcio_flip(&io), 0);
    HM_CHECK(hm_ipcio_read_string(&io, &len) != NULL && len == MAX_IO_SIZE - 1);
    HM_CHECK(hm_ipcio_read_string(&io, &len) != NULL && len == MAX_IO_SIZE);
    HM_CHECK_INT_EQ(io.bufferLeft, 0);
}

/* Stores a string header by hand: a uint32 length, then the bytes given. */
static void craft(char *at, uint32_t length, const char *bytes, size_t count)
{
    memcpy(at, &length, sizeof length);
    memcpy(at + sizeof length, bytes, count);
}

static void malformed_strings_fail_on_reading(void)
{
    IpcIo io;
    size_t len = 99;
    /* The NUL is missing. */
    craft(memory_b, 3, "abcd", 4);
    hm_ipcio_init_reader(&io, memory_b, 8, NULL, 0);
    HM_CHECK(hm_ipcio_read_string(&io, &len) == NULL && len == 99);
    HM_CHECK(!IpcIoAvailable(&io));
    /* The length runs past the data. */
    craft(memory_b, 5, "abc\0", 4);
    hm_ipcio_init_reader(&io, memory_b, 8, NULL, 0);
    HM_CHECK(hm_ipcio_read_string(&io, &len) == NULL);
    /* Lengths the fast path never takes: UINT32_MAX, and 8192 on a compatible IpcIo (at most 8192 bytes in
     * all, so the item cannot be there either). */
    craft(memory_b, UINT32_MAX, "\0\0\0\0", 4);
    hm_ipcio_init_reader(&io, memory_b, 8, NULL, 0);
    HM_CHECK(hm_ipcio_read_string(&io, &len) == NULL);
    craft(memory_b, MAX_IO_SIZE, "\0\0\0\0", 4);
    IpcIoInit(&io, memory_b, MAX_IO_SIZE, 0);
    HM_CHECK(hm_ipcio_read_string(&io, &len) == NULL);
    /* Fewer than 4 bytes. */
    hm_ipcio_init_reader(&io, memory_b, 3, NULL, 0);
    HM_CHECK(hm_ipcio_read_string(&io, &len) == NULL);
    /* A well-formed one, and one in a reader whose data ends right after the NUL (no padding there). */
    craft(memory_b, 2, "hi\0\0", 4);
    hm_ipcio_init_reader(&io, memory_b, 8, NULL, 0);
    HM_CHECK_STR_EQ((const char *)hm_ipcio_read_string(&io, &len), "hi");
    craft(memory_b, 3, "hey\0", 4);
    hm_ipcio_init_reader(&io, memory_b, 8, NULL, 0);
    HM_CHECK_STR_EQ((const char *)hm_ipcio_read_string(&io, NULL), "hey");
}

static void buffer_sizes_at_the_edges(void)
{
    IpcIo io;
    hm_ipcio_init(&io, memory_b, 64, NULL, 0);
    HM_CHECK(!hm_ipcio_write_buffer(&io, "x", 0)); /* size 0 is refused, as by WriteBuffer */
    HM_CHECK(!IpcIoAvailable(&io));
    hm_ipcio_init(&io, memory_b, 64, NULL, 0);
    HM_CHECK(!hm_ipcio_write_buffer(&io, NULL, 4));
    hm_ipcio_init(&io, memory_b, MAX_IO_SIZE, NULL, 0);
    slow_path_calls = 0;
    HM_CHECK(hm_ipcio_write_buffer(&io, memory_a, MAX_IO_SIZE)); /* inline, an exact fit */
    HM_CHECK_INT_EQ(slow_path_calls, 0);
    hm_ipcio_init(&io, memory_b, MAX_IO_SIZE + 4, NULL, 0);
    HM_CHECK(hm_ipcio_write_buffer(&io, memory_a, MAX_IO_SIZE + 1)); /* unbounded: WriteBuffer takes it */
    HM_CHECK_INT_EQ(slow_path_calls, 1);
    IpcIoInit(&io, memory_b, MAX_IO_SIZE, 0);
    HM_CHECK(!hm_ipcio_write_buffer(&io, memory_a, MAX_IO_SIZE + 1));
    hm_ipcio_init_reader(&io, memory_b, 8, NULL, 0);
    HM_CHECK(hm_ipcio_read_buffer(&io, 0) == NULL);
    HM_CHECK(!IpcIoAvailable(&io));
    hm_ipcio_init_reader(&io, memory_b, 8, NULL, 0);
    HM_CHECK(hm_ipcio_read_buffer(&io, 5) == (const uint8_t *)memory_b);
    HM_CHECK(hm_ipcio_read_buffer(&io, 1) == NULL); /* the 5 took 8 bytes */
    hm_ipcio_init_reader(&io, memory_b, 7, NULL, 0);
    HM_CHECK(hm_ipcio_read_buffer(&io, 5) == NULL); /* its padding is not there */
}

/* ---- random programs: the functions and the inline path, step by step ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t next_random(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static size_t random_below(size_t bound)
{
    return (size_t)(next_random() % bound);
}

enum op {
    OP_BOOL, OP_INT8, OP_INT16, OP_INT32, OP_INT64, OP_UINT8, OP_UINT16, OP_UINT32, OP_UINT64, OP_FLOAT,
    OP_DOUBLE, OP_POINTER, OP_BOOL_UNALIGNED, OP_INT8_UNALIGNED, OP_INT16_UNALIGNED, OP_UINT8_UNALIGNED,
    OP_UINT16_UNALIGNED, OP_STRING, OP_BUFFER, OP_KINDS
};

/* What one step did on one side: the result and every output, comparable across the two memories. */
struct outcome {
    int ok;
    uint64_t value;
    ptrdiff_t view; /* offset of a returned view from the memory, or -1 for NULL */
    size_t length;
};

static const char *const strings[] = {"", "a", "abc", "abcd", "0123456789abcdefghijklmnopqrstuv", NULL};

static const char *pick_string(size_t choice)
{
    size_t plain = sizeof strings / sizeof strings[0];
    if (choice < plain)
        return strings[choice];
    /* 8191, 8192 and 8193 bytes of long_text */
    size_t length = MAX_IO_SIZE - 1 + (choice - plain);
    memset(long_text, 'q', length);
    long_text[length] = '\0';
    return long_text;
}

static const size_t buffer_sizes[] = {0, 1, 2, 3, 4, 5, 8, 13, MAX_IO_SIZE, MAX_IO_SIZE + 1};

static ptrdiff_t view_offset(const void *view, const char *memory)
{
    return view == NULL ? -1 : (const char *)view - memory;
}

/* One write step: the same item through the function (inline == 0) or inline. */
static struct outcome write_step(IpcIo *io, int inline_path, enum op op, uint64_t bits, size_t choice)
{
    struct outcome out = {0, 0, -1, 0};
    double d;
    float f;
    memcpy(&d, &bits, sizeof d);
    memcpy(&f, &bits, sizeof f);
    switch (op) {
    case OP_BOOL: out.ok = inline_path ? hm_ipcio_write_bool(io, bits & 1) : WriteBool(io, bits & 1); break;
    case OP_INT8:
        out.ok = inline_path ? hm_ipcio_write_int8(io, (int8_t)bits) : WriteInt8(io, (int8_t)bits);
        break;
    case OP_INT16:
        out.ok = inline_path ? hm_ipcio_write_int16(io, (int16_t)bits) : WriteInt16(io, (int16_t)bits);
        break;
    case OP_INT32:
        out.ok = inline_path ? hm_ipcio_write_int32(io, (int32_t)bits) : WriteInt32(io, (int32_t)bits);
        break;
    case OP_INT64:
        out.ok = inline_path ? hm_ipcio_write_int64(io, (int64_t)bits) : WriteInt64(io, (int64_t)bits);
        break;
    case OP_UINT8:
        out.ok = inline_path ? hm_ipcio_write_uint8(io, (uint8_t)bits) : WriteUint8(io, (uint8_t)bits);
        break;
    case OP_UINT16:
        out.ok = inline_path ? hm_ipcio_write_uint16(io, (uint16_t)bits) : WriteUint16(io, (uint16_t)bits);
        break;
    case OP_UINT32:
        out.ok = inline_path ? hm_ipcio_write_uint32(io, (uint32_t)bits) : WriteUint32(io, (uint32_t)bits);
        break;
    case OP_UINT64: out.ok = inline_path ? hm_ipcio_write_uint64(io, bits) : WriteUint64(io, bits); break;
    case OP_FLOAT: out.ok = inline_path ? hm_ipcio_write_float(io, f) : WriteFloat(io, f); break;
    case OP_DOUBLE: out.ok = inline_path ? hm_ipcio_write_double(io, d) : WriteDouble(io, d); break;
    case OP_POINTER:
        out.ok = inline_path ? hm_ipcio_write_pointer(io, (uintptr_t)bits) : WritePointer(io, (uintptr_t)bits);
        break;
    case OP_BOOL_UNALIGNED:
        out.ok = inline_path ? hm_ipcio_write_bool_unaligned(io, bits & 1) : WriteBoolUnaligned(io, bits & 1);
        break;
    case OP_INT8_UNALIGNED:
        out.ok = inline_path ? hm_ipcio_write_int8_unaligned(io, (int8_t)bits)
                             : WriteInt8Unaligned(io, (int8_t)bits);
        break;
    case OP_INT16_UNALIGNED:
        out.ok = inline_path ? hm_ipcio_write_int16_unaligned(io, (int16_t)bits)
                             : WriteInt16Unaligned(io, (int16_t)bits);
        break;
    case OP_UINT8_UNALIGNED:
        out.ok = inline_path ? hm_ipcio_write_uint8_unaligned(io, (uint8_t)bits)
                             : WriteUint8Unaligned(io, (uint8_t)bits);
        break;
    case OP_UINT16_UNALIGNED:
        out.ok = inline_path ? hm_ipcio_write_uint16_unaligned(io, (uint16_t)bits)
                             : WriteUint16Unaligned(io, (uint16_t)bits);
        break;
    case OP_STRING: {
        const char *text = pick_string(choice % 9);
        out.ok = inline_path ? hm_ipcio_write_string(io, text) : WriteString(io, text);
        break;
    }
    case OP_BUFFER: {
        size_t size = buffer_sizes[choice % (sizeof buffer_sizes / sizeof buffer_sizes[0])];
        const void *data = choice % 13 == 0 ? NULL : long_text;
        memset(long_text, 'b', MAX_IO_SIZE + 1);
        out.ok = inline_path ? hm_ipcio_write_buffer(io, data, size) : WriteBuffer(io, data, size);
        break;
    }
    case OP_KINDS: break;
    }
    return out;
}

/* Reads into a zero-initialised value of the type, or passes NULL as the output when null_output. */
#define READ_INTO(type, inline_reader, reader)                                                                  \
    do {                                                                                                        \
        type v_;                                                                                                \
        memset(&v_, 0, sizeof v_);                                                                              \
        type *p_ = null_output ? NULL : &v_;                                                                    \
        out.ok = inline_path ? inline_reader(io, p_) : reader(io, p_);                                          \
        memcpy(&out.value, &v_, sizeof v_);                                                                     \
    } while (0)

/* One read step, through the function or inline. */
static struct outcome read_step(IpcIo *io, int inline_path, enum op op, int null_output, size_t choice,
                                const char *memory)
{
    struct outcome out = {0, 0, -1, 0};
    switch (op) {
    case OP_BOOL: READ_INTO(bool, hm_ipcio_read_bool, ReadBool); break;
    case OP_INT8: READ_INTO(int8_t, hm_ipcio_read_int8, ReadInt8); break;
    case OP_INT16: READ_INTO(int16_t, hm_ipcio_read_int16, ReadInt16); break;
    case OP_INT32: READ_INTO(int32_t, hm_ipcio_read_int32, ReadInt32); break;
    case OP_INT64: READ_INTO(int64_t, hm_ipcio_read_int64, ReadInt64); break;
    case OP_UINT8: READ_INTO(uint8_t, hm_ipcio_read_uint8, ReadUint8); break;
    case OP_UINT16: READ_INTO(uint16_t, hm_ipcio_read_uint16, ReadUint16); break;
    case OP_UINT32: READ_INTO(uint32_t, hm_ipcio_read_uint32, ReadUint32); break;
    case OP_UINT64: READ_INTO(uint64_t, hm_ipcio_read_uint64, ReadUint64); break;
    case OP_FLOAT: READ_INTO(float, hm_ipcio_read_float, ReadFloat); break;
    case OP_DOUBLE: READ_INTO(double, hm_ipcio_read_double, ReadDouble); break;
    case OP_POINTER:
        out.value = inline_path ? hm_ipcio_read_pointer(io) : ReadPointer(io);
        out.ok = IpcIoAvailable(io);
        break;
    case OP_BOOL_UNALIGNED: READ_INTO(bool, hm_ipcio_read_bool_unaligned, ReadBoolUnaligned); break;
    case OP_INT8_UNALIGNED: READ_INTO(int8_t, hm_ipcio_read_int8_unaligned, ReadInt8Unaligned); break;
    case OP_INT16_UNALIGNED: READ_INTO(int16_t, hm_ipcio_read_int16_unaligned, ReadInt16Unaligned); break;
    case OP_UINT8_UNALIGNED: READ_INTO(uint8_t, hm_ipcio_read_uint8_unaligned, ReadUInt8Unaligned); break;
    case OP_UINT16_UNALIGNED: READ_INTO(uint16_t, hm_ipcio_read_uint16_unaligned, ReadUInt16Unaligned); break;
    case OP_STRING: {
        out.length = 12345;
        size_t *length = null_output ? NULL : &out.length;
        out.view = view_offset(inline_path ? hm_ipcio_read_string(io, length) : ReadString(io, length), memory);
        break;
    }
    case OP_BUFFER: {
        size_t size = buffer_sizes[choice % (sizeof buffer_sizes / sizeof buffer_sizes[0])];
        out.view = view_offset(inline_path ? hm_ipcio_read_buffer(io, size) : ReadBuffer(io, size), memory);
        break;
    }
    case OP_KINDS: break;
    }
    return out;
}

#undef READ_INTO

/* The IpcIo kinds a program starts from. */
enum setup { SETUP_COMPAT, SETUP_UNBOUNDED, SETUP_READER, SETUP_FAILED, SETUP_NULL, SETUP_KINDS };

/* Sets up io over memory; returns the IpcIo to use (NULL for SETUP_NULL). Table entries sit at the start. */
static IpcIo *set_up(IpcIo *io, char *memory, enum setup setup, size_t size, size_t objects)
{
    switch (setup) {
    case SETUP_COMPAT: IpcIoInit(io, memory, size, objects); return io;
    case SETUP_UNBOUNDED:
        hm_ipcio_init(io, memory + 64, size, objects > 0 ? (size_t *)(void *)memory : NULL, objects);
        return io;
    case SETUP_READER: hm_ipcio_init_reader(io, memory + 64, size, NULL, 0); return io;
    case SETUP_FAILED:
        memset(io, 0x7f, sizeof *io);
        IpcIoInit(io, memory, 0, 0);
        return io;
    case SETUP_NULL:
    case SETUP_KINDS: break;
    }
    return NULL;
}

static int same_state(const IpcIo *a, const IpcIo *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    return a->flag == b->flag && a->hmMode == b->hmMode && a->bufferLeft == b->bufferLeft &&
           a->offsetsLeft == b->offsetsLeft &&
           view_offset(a->bufferCur, memory_a) == view_offset(b->bufferCur, memory_b) &&
           view_offset(a->bufferBase, memory_a) == view_offset(b->bufferBase, memory_b);
}

/* Runs one random program on both sides; returns the number of steps that disagreed. */
static int run_program(unsigned long program)
{
    enum setup setup = (enum setup)random_below(SETUP_KINDS);
    size_t size = random_below(8) == 0 ? (setup == SETUP_COMPAT ? MAX_IO_SIZE : sizeof memory_a - 64)
                                        : 1 + random_below(96);
    size_t objects = random_below(3);
    /* Memory full of small numbers and zeros, so reads find plausible lengths and NULs. */
    for (size_t i = 0; i < 256 + 64; i++)
        memory_a[i] = (char)(random_below(3) == 0 ? 0 : random_below(5) == 0 ? (int)random_below(256)
                                                                               : (int)random_below(12));
    memcpy(memory_b, memory_a, sizeof memory_a);
    IpcIo io_a, io_b;
    IpcIo *a = set_up(&io_a, memory_a, setup, size, objects);
    IpcIo *b = set_up(&io_b, memory_b, setup, size, objects);
    int disagreements = 0;
    size_t steps = 1 + random_below(24);
    for (size_t step = 0; step < steps; step++) {
        size_t action = random_below(2 * OP_KINDS + 1);
        uint64_t bits = next_random();
        size_t choice = random_below(1000);
        int null_output = random_below(16) == 0;
        struct outcome out_a, out_b;
        memset(&out_a, 0, sizeof out_a);
        memset(&out_b, 0, sizeof out_b);
        if (action == 2 * OP_KINDS) {
            out_a.ok = hm_ipcio_flip(a);
            out_b.ok = hm_ipcio_flip(b);
        } else if (action < OP_KINDS) {
            out_a = write_step(a, 0, (enum op)action, bits, choice);
            out_b = write_step(b, 1, (enum op)action, bits, choice);
        } else {
            out_a = read_step(a, 0, (enum op)(action - OP_KINDS), null_output, choice, memory_a);
            out_b = read_step(b, 1, (enum op)(action - OP_KINDS), null_output, choice, memory_b);
        }
        if (out_a.ok != out_b.ok || out_a.value != out_b.value || out_a.view != out_b.view ||
            out_a.length != out_b.length || !same_state(a, b)) {
            fprintf(stderr, "program %lu (setup %d, size %zu), step %zu, action %zu: the paths differ\n", program,
                    (int)setup, size, step, action);
            disagreements++;
            break;
        }
    }
    if (memcmp(memory_a, memory_b, sizeof memory_a) != 0) {
        fprintf(stderr, "program %lu: the memory differs\n", program);
        disagreements++;
    }
    return disagreements;
}

static void random_programs_agree_with_the_functions(void)
{
    unsigned long disagreements = 0;
    slow_path_calls = 0;
    for (unsigned long program = 0; program < 20000 && disagreements < 5; program++)
        disagreements += (unsigned long)run_program(program);
    HM_CHECK_INT_EQ(disagreements, 0);
    HM_CHECK(slow_path_calls > 0); /* the failures and long items were exercised too */
}

int main(void)
{
    HM_RUN(same_bytes_and_values_on_both_kinds_of_ipcio);
    HM_RUN(benchmark_message_is_byte_identical);
    HM_RUN(exact_fit_succeeds_and_one_byte_short_fails_unchanged);
    HM_RUN(failure_is_sticky_for_inline_items_that_would_fit);
    HM_RUN(writes_to_a_received_message_fail);
    HM_RUN(null_and_unusable_ipcio_fail);
    HM_RUN(string_lengths_around_the_compatible_limit);
    HM_RUN(malformed_strings_fail_on_reading);
    HM_RUN(buffer_sizes_at_the_edges);
    HM_RUN(random_programs_agree_with_the_functions);
    return HM_TEST_SUMMARY();
}
