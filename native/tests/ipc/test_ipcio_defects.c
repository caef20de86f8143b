/*
 * One test per upstream IpcIo defect that Harmonia fixes (reference section 6.1). Each comment says what
 * OpenHarmony's serializer does with the same input, and so why this test would fail against it.
 */
#include <serializer.h>
#include <harmonia/ipcio.h>

#include "hm_test.h"

/* Builds a message by hand: a uint32 followed by raw bytes. */
static size_t craft(char *out, uint32_t first, const void *rest, size_t rest_length)
{
    memcpy(out, &first, sizeof first);
    if (rest_length > 0)
        memcpy(out + sizeof first, rest, rest_length);
    return sizeof first + rest_length;
}

/* OpenHarmony: ReadString returns the bytes after a length of 3 without looking for the NUL at index 3, so the
 * caller's strlen runs past the string (here into "d" and beyond). */
static void read_string_requires_the_terminating_nul(void)
{
    char buffer[64];
    size_t length = craft(buffer, 3, "abcd", 4);
    IpcIo io;
    IpcIoInit(&io, buffer, length, 0);
    size_t len = 0;
    HM_CHECK(ReadString(&io, &len) == NULL);
    HM_CHECK(!IpcIoAvailable(&io));
    /* The same bytes with the NUL in place are fine. */
    length = craft(buffer, 3, "abc\0", 4);
    IpcIoInit(&io, buffer, length, 0);
    HM_CHECK_STR_EQ((const char *)ReadString(&io, &len), "abc");
}

/* OpenHarmony: a string length above the limit returns NULL without setting IPC_IO_OVERFLOW, and the cursor has
 * already moved past the length, so the next read succeeds on the string's bytes. */
static void read_string_out_of_bounds_fails_and_stays_failed(void)
{
    char buffer[64];
    int32_t follower = 0x41414141;
    size_t length = craft(buffer, MAX_IO_SIZE + 1, &follower, sizeof follower);
    IpcIo io;
    IpcIoInit(&io, buffer, length, 0);
    size_t len;
    int32_t value = 0;
    HM_CHECK(ReadString(&io, &len) == NULL);
    HM_CHECK(!ReadInt32(&io, &value));
    HM_CHECK_INT_EQ(value, 0);
    /* A length that runs past the received bytes (an unbounded reader has no 8192 cap to hide behind). */
    length = craft(buffer, 40, "short\0\0\0", 8);
    HM_CHECK_INT_EQ(hm_ipcio_init_reader(&io, buffer, length, NULL, 0), 0);
    HM_CHECK(ReadString(&io, &len) == NULL);
    /* 0xffffffff + 1 wraps a uint32 (and a 32-bit size_t) to 0. */
    length = craft(buffer, UINT32_MAX, "\0\0\0\0", 4);
    HM_CHECK_INT_EQ(hm_ipcio_init_reader(&io, buffer, length, NULL, 0), 0);
    HM_CHECK(ReadString(&io, &len) == NULL);
}

/* OpenHarmony: IpcIoInit with bad arguments returns without touching io, so a stack IpcIo that happens to hold
 * an initialized-looking flag and a pointer keeps writing through that pointer. */
static void failed_init_leaves_garbage_io_unusable(void)
{
    char scratch[64];
    memset(scratch, 0, sizeof scratch);
    IpcIo io;
    memset(&io, 0xA5, sizeof io);
    io.flag = IPC_IO_INITIALIZED;
    io.bufferBase = io.bufferCur = scratch;
    io.bufferLeft = sizeof scratch;
    char too_big[16];
    IpcIoInit(&io, too_big, MAX_IO_SIZE + 1, 0); /* bufferSize above the limit */
    HM_CHECK(!WriteInt32(&io, 0x12345678));
    HM_CHECK_INT_EQ(scratch[0], 0);
    HM_CHECK(io.flag & IPC_IO_OVERFLOW);
    HM_CHECK(!(io.flag & IPC_IO_INITIALIZED));
    HM_CHECK(io.bufferCur == NULL && io.bufferLeft == 0 && io.hmResources == NULL);
    /* Every other bad argument too. */
    char buffer[64];
    memset(&io, 0xA5, sizeof io);
    IpcIoInit(&io, NULL, sizeof buffer, 0);
    HM_CHECK(!IpcIoAvailable(&io));
    memset(&io, 0xA5, sizeof io);
    IpcIoInit(&io, buffer, 0, 0);
    HM_CHECK(!IpcIoAvailable(&io));
    memset(&io, 0xA5, sizeof io);
    IpcIoInit(&io, buffer, sizeof buffer, MAX_OBJ_NUM + 1);
    HM_CHECK(!IpcIoAvailable(&io));
    /* Releasing a failed io is safe (it owns nothing). */
    hm_ipcio_release(&io);
}

/* OpenHarmony: ReadString16 computes (len + 1) * 2 without an overflow check and reads ptr[len] without checking
 * that the pop succeeded: a truncated message dereferences NULL; with a 32-bit size_t a length of 0x7fffffff
 * wraps the byte count to 0, the pop succeeds, and ptr[len] reads 4 GiB past the buffer. */
static void string16_length_arithmetic_is_checked(void)
{
    char buffer[64];
    size_t len = 0;
    IpcIo io;
    /* Truncated: 5 units announced, 2 present. */
    size_t length = craft(buffer, 5, "a\0b\0", 4);
    IpcIoInit(&io, buffer, length, 0);
    HM_CHECK(ReadString16(&io, &len) == NULL);
    HM_CHECK_INT_EQ(hm_ipcio_init_reader(&io, buffer, length, NULL, 0), 0);
    HM_CHECK(ReadInterfaceToken(&io, &len) == NULL);
    /* Wrapping lengths, on the compatible and on the unbounded reader. */
    const uint32_t wrapping[] = {0x7fffffffu, 0xffffffffu, 0x80000000u};
    for (size_t i = 0; i < sizeof wrapping / sizeof wrapping[0]; i++) {
        length = craft(buffer, wrapping[i], "\0\0\0\0", 4);
        IpcIoInit(&io, buffer, length, 0);
        HM_CHECK(ReadString16(&io, &len) == NULL);
        HM_CHECK_INT_EQ(hm_ipcio_init_reader(&io, buffer, length, NULL, 0), 0);
        HM_CHECK(ReadString16(&io, &len) == NULL);
        HM_CHECK_INT_EQ(hm_ipcio_init_reader(&io, buffer, length, NULL, 0), 0);
        HM_CHECK(ReadInterfaceToken(&io, &len) == NULL);
    }
    HM_CHECK_INT_EQ(len, 0);
}

/* The vector readers with one signature, so the cases below can be a table. */
#define VECTOR_READER(name, reader)                                                                             \
    static void *name(IpcIo *io, size_t *n)                                                                    \
    {                                                                                                           \
        return reader(io, n);                                                                                   \
    }
VECTOR_READER(read_int64_vector, ReadInt64Vector)
VECTOR_READER(read_uint64_vector, ReadUInt64Vector)
VECTOR_READER(read_double_vector, ReadDoubleVector)
VECTOR_READER(read_int32_vector, ReadInt32Vector)
VECTOR_READER(read_uint32_vector, ReadUInt32Vector)
VECTOR_READER(read_float_vector, ReadFloatVector)
VECTOR_READER(read_uint16_vector, ReadUInt16Vector)
VECTOR_READER(read_bool_vector, ReadBoolVector)
VECTOR_READER(read_int16_vector, ReadInt16Vector)
VECTOR_READER(read_int8_vector, ReadInt8Vector)

/* OpenHarmony: Read*Vector multiplies the count by the element size unchecked. With a 32-bit size_t a count of
 * 0x20000000 int64s (or 0x40000000 int32s) is 0 bytes, the pop succeeds, and the caller gets a "vector" of half a
 * billion elements over a few bytes. */
static void vector_byte_counts_are_overflow_checked(void)
{
    char buffer[64];
    size_t n = 0;
    IpcIo io;
    struct {
        uint32_t count;
        void *(*read)(IpcIo *, size_t *);
    } cases[] = {
        {0x20000000u, read_int64_vector},  {0x20000000u, read_uint64_vector}, {0x20000000u, read_double_vector},
        {0x40000000u, read_int32_vector},  {0x40000000u, read_uint32_vector}, {0x40000000u, read_float_vector},
        {0x80000000u, read_uint16_vector}, {0x40000000u, read_bool_vector},   {0x40000000u, read_int16_vector},
        {0xffffffffu, read_int8_vector},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t length = craft(buffer, cases[i].count, "12345678", 8);
        HM_CHECK_INT_EQ(hm_ipcio_init_reader(&io, buffer, length, NULL, 0), 0);
        HM_CHECK(cases[i].read(&io, &n) == NULL);
        HM_CHECK(!IpcIoAvailable(&io));
    }
    HM_CHECK_INT_EQ(n, 0);
}

/* OpenHarmony (before d01a00f0): Read*Vector stores the uint32 count through a (uint32_t *) cast of the caller's
 * size_t, so on a 64-bit host the high half keeps whatever the caller had there. */
static void vector_sizes_are_widened_from_uint32(void)
{
    char buffer[64];
    int32_t values[2] = {7, 8};
    IpcIo io;
    IpcIoInit(&io, buffer, sizeof buffer, 0);
    HM_CHECK(WriteInt32Vector(&io, values, 2));
    IpcIoInit(&io, buffer, sizeof buffer, 0);
    size_t n = (size_t)-1; /* all bits set: stale high bits would show */
    int32_t *read = ReadInt32Vector(&io, &n);
    HM_CHECK(read != NULL);
    HM_CHECK(n == 2);
    /* The same for the allocating readers and the string lengths. */
    bool flags[3] = {true, false, true};
    IpcIoInit(&io, buffer, sizeof buffer, 0);
    HM_CHECK(WriteBoolVector(&io, flags, 3) && WriteString(&io, "xy"));
    IpcIoInit(&io, buffer, sizeof buffer, 0);
    n = (size_t)-1;
    bool *read_flags = ReadBoolVector(&io, &n);
    HM_CHECK(read_flags != NULL && n == 3);
    hm_ipcio_free(read_flags);
    n = (size_t)-1;
    HM_CHECK(ReadString(&io, &n) != NULL && n == 2);
}

/* OpenHarmony reads and writes through casts such as *(int64_t *)ptr, but the cursor is not aligned after an
 * unaligned item or a byte vector: undefined behaviour that UBSan (the asan preset) reports and that traps on
 * strict-alignment CPUs. Every access here is at an odd address. */
static void values_after_unaligned_items_are_accessed_safely(void)
{
    char buffer[256];
    int8_t bytes[3] = {1, 2, 3};
    double d = 0;
    int64_t i64 = 0;
    uint64_t u64 = 0;
    float f = 0;
    size_t n = 0;
    IpcIo io;
    IpcIoInit(&io, buffer, sizeof buffer, 2);
    HM_CHECK(WriteInt8Unaligned(&io, 9));
    HM_CHECK(WriteDouble(&io, 2.5) && WriteInt64(&io, -3) && WriteFileDescriptor(&io, 4));
    HM_CHECK(WriteInt8Vector(&io, bytes, 3) && WriteUint64(&io, 44) && WriteFloat(&io, 1.25f));
    HM_CHECK(WriteString(&io, "odd") && WriteInt16Vector(&io, (const int16_t[]){-1, 2}, 2));
    size_t fd_offset;
    memcpy(&fd_offset, io.offsetsBase, sizeof fd_offset);
    HM_CHECK_INT_EQ(fd_offset, 17); /* the fd record itself sits at an odd offset */
    HM_CHECK_INT_EQ(hm_ipcio_flip(&io), 0);
    int8_t first;
    HM_CHECK(ReadInt8Unaligned(&io, &first) && first == 9);
    HM_CHECK(ReadDouble(&io, &d) && d == 2.5);
    HM_CHECK(ReadInt64(&io, &i64) && i64 == -3);
    HM_CHECK_INT_EQ(ReadFileDescriptor(&io), 4);
    int8_t *read_bytes = ReadInt8Vector(&io, &n);
    HM_CHECK(read_bytes != NULL && n == 3 && read_bytes[2] == 3);
    HM_CHECK(ReadUint64(&io, &u64) && u64 == 44);
    HM_CHECK(ReadFloat(&io, &f) && f == 1.25f);
    HM_CHECK_STR_EQ((const char *)ReadString(&io, &n), "odd");
    int16_t *shorts = ReadInt16Vector(&io, &n);
    HM_CHECK(shorts != NULL && n == 2 && shorts[0] == -1 && shorts[1] == 2);
    hm_ipcio_free(shorts);
}

/* OpenHarmony: ReadBoolVector and ReadInt16Vector allocate while every other read is a view, with no documented
 * way to free the result, and the allocation happens before the bounds check (a 4-byte count makes it try a
 * huge malloc). Here the allocating reads are freed with hm_ipcio_free (ASan's leak check fails otherwise), a
 * count that does not fit is refused before allocating, and an empty vector is a freeable non-NULL pointer. */
static void allocating_vector_reads_have_a_documented_free(void)
{
    char buffer[64];
    IpcIo io;
    size_t n = 99;
    size_t length = craft(buffer, 0, NULL, 0);
    HM_CHECK_INT_EQ(hm_ipcio_init_reader(&io, buffer, length, NULL, 0), 0);
    bool *empty = ReadBoolVector(&io, &n);
    HM_CHECK(empty != NULL && n == 0);
    hm_ipcio_free(empty);
    HM_CHECK_INT_EQ(hm_ipcio_init_reader(&io, buffer, length, NULL, 0), 0);
    int16_t *empty16 = ReadInt16Vector(&io, &n);
    HM_CHECK(empty16 != NULL && n == 0);
    hm_ipcio_free(empty16);
    hm_ipcio_free(NULL);
    /* 0xffffffff int32 slots announced, 4 bytes present: refused before any allocation. */
    length = craft(buffer, UINT32_MAX, "\1\0\0\0", 4);
    HM_CHECK_INT_EQ(hm_ipcio_init_reader(&io, buffer, length, NULL, 0), 0);
    HM_CHECK(ReadBoolVector(&io, &n) == NULL);
}

/* OpenHarmony's lite Linux-binder build reserves an object slot and pre-pushes a uint32 and a svc object in
 * IpcIoInit, a hidden header that breaks interop with every other build. */
static void init_adds_no_hidden_header(void)
{
    char buffer[128];
    IpcIo io;
    IpcIoInit(&io, buffer, sizeof buffer, 1);
    HM_CHECK(io.bufferCur == io.bufferBase);
    HM_CHECK(io.offsetsCur == io.offsetsBase);
    HM_CHECK_INT_EQ(io.offsetsLeft, 1);
    HM_CHECK_INT_EQ(io.bufferLeft, sizeof buffer - sizeof(size_t));
}

int main(void)
{
    HM_RUN(read_string_requires_the_terminating_nul);
    HM_RUN(read_string_out_of_bounds_fails_and_stays_failed);
    HM_RUN(failed_init_leaves_garbage_io_unusable);
    HM_RUN(string16_length_arithmetic_is_checked);
    HM_RUN(vector_byte_counts_are_overflow_checked);
    HM_RUN(vector_sizes_are_widened_from_uint32);
    HM_RUN(values_after_unaligned_items_are_accessed_safely);
    HM_RUN(allocating_vector_reads_have_a_documented_free);
    HM_RUN(init_adds_no_hidden_header);
    return HM_TEST_SUMMARY();
}
