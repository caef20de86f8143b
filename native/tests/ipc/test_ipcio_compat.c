/*
 * The ground OpenHarmony's own serializer tests cover (communication_ipc test/unittest/c_lite/serializer,
 * reference section 5.1; the upstream case names are in the comments), the extra cases recommended there, and
 * the LiteIPC aliases. Values are written in a forked child and read back in the parent, as upstream does.
 */
#include <serializer.h>
#include <harmonia/ipcio.h>

#include <float.h>
#include <math.h>

#include "hm_test.h"
#include "ipcio_test_util.h"

static char wire[MAX_IO_SIZE];
static char reader_buffer[MAX_IO_SIZE];

/* Runs writer in a child, then sets up *io to read its bytes; false if the child failed. */
static bool through_child(ipcio_writer_fn writer, IpcIo *io)
{
    long length = ipcio_written_by_child(writer, wire, sizeof wire);
    if (length <= 0)
        return false;
    memcpy(reader_buffer, wire, (size_t)length);
    IpcIoInit(io, reader_buffer, (size_t)length, 0);
    return IpcIoAvailable(io);
}

static void write_aligned(IpcIo *io)
{
    WriteBool(io, true);
    WriteInt8(io, -5);
    WriteInt16(io, -300);
    WriteInt32(io, -70000);
    WriteUint8(io, 200);
    WriteUint16(io, 60000);
    WriteUint32(io, 4000000000u);
}

/* WriteAndRead_001 */
static void aligned_values_round_trip(void)
{
    IpcIo io;
    HM_CHECK(through_child(write_aligned, &io));
    bool b = false;
    int8_t i8 = 0;
    int16_t i16 = 0;
    int32_t i32 = 0;
    uint8_t u8 = 0;
    uint16_t u16 = 0;
    uint32_t u32 = 0;
    HM_CHECK(ReadBool(&io, &b) && b);
    HM_CHECK(ReadInt8(&io, &i8) && i8 == -5);
    HM_CHECK(ReadInt16(&io, &i16) && i16 == -300);
    HM_CHECK(ReadInt32(&io, &i32) && i32 == -70000);
    HM_CHECK(ReadUint8(&io, &u8) && u8 == 200);
    HM_CHECK(ReadUint16(&io, &u16) && u16 == 60000);
    HM_CHECK(ReadUint32(&io, &u32) && u32 == 4000000000u);
    /* Sub-32-bit values are widened: seven 4-byte slots. */
    HM_CHECK_INT_EQ(io.bufferCur - io.bufferBase, 7 * 4);
    HM_CHECK_INT_EQ(io.bufferLeft, 0);
}

static void write_unaligned(IpcIo *io)
{
    WriteBoolUnaligned(io, true);
    WriteInt8Unaligned(io, -7);
    WriteInt16Unaligned(io, -1234);
    WriteUint8Unaligned(io, 250);
    WriteUint16Unaligned(io, 65000);
    WriteInt32(io, 123456789);
}

/* WriteAndRead_002: unaligned items take their exact size, so the int32 after them sits at offset 7. */
static void unaligned_values_round_trip(void)
{
    IpcIo io;
    HM_CHECK(through_child(write_unaligned, &io));
    bool b = false;
    int8_t i8 = 0;
    int16_t i16 = 0;
    uint8_t u8 = 0;
    uint16_t u16 = 0;
    int32_t i32 = 0;
    HM_CHECK(ReadBoolUnaligned(&io, &b) && b);
    HM_CHECK(ReadInt8Unaligned(&io, &i8) && i8 == -7);
    HM_CHECK(ReadInt16Unaligned(&io, &i16) && i16 == -1234);
    HM_CHECK(ReadUInt8Unaligned(&io, &u8) && u8 == 250);
    HM_CHECK(ReadUInt16Unaligned(&io, &u16) && u16 == 65000);
    HM_CHECK_INT_EQ(io.bufferCur - io.bufferBase, 7);
    HM_CHECK(ReadInt32(&io, &i32) && i32 == 123456789);
    HM_CHECK_INT_EQ(io.bufferLeft, 0);
}

static void write_64bit(IpcIo *io)
{
    WriteInt64(io, -1234567890123456789LL);
    WriteUint64(io, 12345678901234567890ULL);
}

/* WriteAndRead_003 */
static void values_of_64_bits_round_trip(void)
{
    IpcIo io;
    HM_CHECK(through_child(write_64bit, &io));
    int64_t i64 = 0;
    uint64_t u64 = 0;
    HM_CHECK(ReadInt64(&io, &i64) && i64 == -1234567890123456789LL);
    HM_CHECK(ReadUint64(&io, &u64) && u64 == 12345678901234567890ULL);
}

static void write_floats(IpcIo *io)
{
    WriteFloat(io, 3.5f);
    WriteDouble(io, -2.25e300);
    WriteFloat(io, FLT_MIN);
    WriteDouble(io, DBL_MAX);
    WriteFloat(io, NAN);
}

/* Float_001 */
static void floats_round_trip(void)
{
    IpcIo io;
    HM_CHECK(through_child(write_floats, &io));
    float f = 0;
    double d = 0;
    HM_CHECK(ReadFloat(&io, &f) && f == 3.5f);
    HM_CHECK(ReadDouble(&io, &d) && d == -2.25e300);
    HM_CHECK(ReadFloat(&io, &f) && f == FLT_MIN);
    HM_CHECK(ReadDouble(&io, &d) && d == DBL_MAX);
    HM_CHECK(ReadFloat(&io, &f) && isnan(f));
}

static void write_extremes(IpcIo *io)
{
    WriteInt8(io, INT8_MAX);
    WriteInt8(io, INT8_MIN);
    WriteInt16(io, INT16_MAX);
    WriteInt16(io, INT16_MIN);
    WriteInt32(io, INT32_MAX);
    WriteInt32(io, INT32_MIN);
    WriteInt64(io, INT64_MAX);
    WriteInt64(io, INT64_MIN);
    WriteUint8(io, UINT8_MAX);
    WriteUint16(io, UINT16_MAX);
    WriteUint32(io, UINT32_MAX);
    WriteUint64(io, UINT64_MAX);
}

/* Maximum_001..003 */
static void extreme_values_round_trip(void)
{
    IpcIo io;
    HM_CHECK(through_child(write_extremes, &io));
    int8_t i8;
    int16_t i16;
    int32_t i32;
    int64_t i64;
    uint8_t u8;
    uint16_t u16;
    uint32_t u32;
    uint64_t u64;
    HM_CHECK(ReadInt8(&io, &i8) && i8 == INT8_MAX);
    HM_CHECK(ReadInt8(&io, &i8) && i8 == INT8_MIN);
    HM_CHECK(ReadInt16(&io, &i16) && i16 == INT16_MAX);
    HM_CHECK(ReadInt16(&io, &i16) && i16 == INT16_MIN);
    HM_CHECK(ReadInt32(&io, &i32) && i32 == INT32_MAX);
    HM_CHECK(ReadInt32(&io, &i32) && i32 == INT32_MIN);
    HM_CHECK(ReadInt64(&io, &i64) && i64 == INT64_MAX);
    HM_CHECK(ReadInt64(&io, &i64) && i64 == INT64_MIN);
    HM_CHECK(ReadUint8(&io, &u8) && u8 == UINT8_MAX);
    HM_CHECK(ReadUint16(&io, &u16) && u16 == UINT16_MAX);
    HM_CHECK(ReadUint32(&io, &u32) && u32 == UINT32_MAX);
    HM_CHECK(ReadUint64(&io, &u64) && u64 == UINT64_MAX);
}

static const uint16_t hello16[] = {'h', 0x00e9, 'l', 'l', 0x00f6, 0x4e16}; /* "héllö世" */
static const uint16_t token16[] = {'o', 'h', 'o', 's', '.', 't', 'e', 's', 't'};

struct padded_struct {
    int8_t a;
    int32_t b;
    int16_t c;
};

struct __attribute__((packed)) packed_struct {
    int8_t a;
    int32_t b;
    int16_t c;
};

static void write_strings(IpcIo *io)
{
    WriteString(io, "hello, ipc");
    WriteString(io, "");
    WriteString16(io, hello16, sizeof hello16 / sizeof hello16[0]);
    WriteInterfaceToken(io, token16, sizeof token16 / sizeof token16[0]);
    struct padded_struct padded = {.a = 1, .b = 2, .c = 3};
    struct packed_struct packed = {.a = 4, .b = 5, .c = 6};
    WriteBuffer(io, &padded, sizeof padded);
    WriteBuffer(io, &packed, sizeof packed);
}

/* String_001..004, Data_Structure_001 */
static void strings_and_buffers_round_trip(void)
{
    IpcIo io;
    HM_CHECK(through_child(write_strings, &io));
    size_t len = 99;
    const char *s = (const char *)ReadString(&io, &len);
    HM_CHECK(s != NULL && len == 10);
    HM_CHECK_STR_EQ(s, "hello, ipc");
    s = (const char *)ReadString(&io, &len);
    HM_CHECK(s != NULL && len == 0);
    HM_CHECK_STR_EQ(s, "");
    uint16_t *s16 = ReadString16(&io, &len);
    HM_CHECK(s16 != NULL && len == 6);
    HM_CHECK(s16 != NULL && memcmp(s16, hello16, sizeof hello16) == 0 && s16[6] == 0);
    uint16_t *token = ReadInterfaceToken(&io, &len);
    HM_CHECK(token != NULL && len == 9 && memcmp(token, token16, sizeof token16) == 0);
    struct padded_struct padded;
    struct packed_struct packed;
    const uint8_t *raw = ReadBuffer(&io, sizeof padded);
    HM_CHECK(raw != NULL);
    if (raw != NULL) {
        memcpy(&padded, raw, sizeof padded);
        HM_CHECK(padded.a == 1 && padded.b == 2 && padded.c == 3);
    }
    raw = ReadBuffer(&io, sizeof packed);
    HM_CHECK(raw != NULL);
    if (raw != NULL) {
        memcpy(&packed, raw, sizeof packed);
        HM_CHECK(packed.a == 4 && packed.b == 5 && packed.c == 6);
    }
    HM_CHECK_INT_EQ(io.bufferLeft, 0);
}

static const bool bools[] = {true, false, true, true};
static const int8_t int8s[] = {-128, 0, 127};
static const int16_t int16s[] = {-32768, -1, 32767};
static const int32_t int32s[] = {INT32_MIN, 0, INT32_MAX, 42};
static const int64_t int64s[] = {INT64_MIN, -1, INT64_MAX};
static const uint8_t uint8s[] = {0, 1, 255, 7, 9};
static const uint16_t uint16s[] = {0, 65535, 1234};
static const uint32_t uint32s[] = {0, UINT32_MAX};
static const uint64_t uint64s[] = {UINT64_MAX, 0, 1};
static const float floats[] = {1.5f, -0.0f, FLT_MAX};
static const double doubles[] = {DBL_MIN, -1e-300, 3.0};

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

static void write_vectors(IpcIo *io)
{
    WriteBoolVector(io, bools, COUNT(bools));
    WriteInt8Vector(io, int8s, COUNT(int8s));
    WriteInt16Vector(io, int16s, COUNT(int16s));
    WriteInt32Vector(io, int32s, COUNT(int32s));
    WriteInt64Vector(io, int64s, COUNT(int64s));
    WriteUInt8Vector(io, uint8s, COUNT(uint8s));
    WriteUInt16Vector(io, uint16s, COUNT(uint16s));
    WriteUInt32Vector(io, uint32s, COUNT(uint32s));
    WriteUInt64Vector(io, uint64s, COUNT(uint64s));
    WriteFloatVector(io, floats, COUNT(floats));
    WriteDoubleVector(io, doubles, COUNT(doubles));
}

static bool inside_message(const IpcIo *io, const void *p)
{
    const char *at = p;
    return at >= io->bufferBase && at < io->bufferBase + MAX_IO_SIZE;
}

/* Vector_Bool_001, Vector_001..005, and which reads allocate (Bool, Int16) and which are views. */
static void vectors_round_trip(void)
{
    IpcIo io;
    HM_CHECK(through_child(write_vectors, &io));
    size_t n = 0;
    bool *b = ReadBoolVector(&io, &n);
    HM_CHECK(b != NULL && n == COUNT(bools) && memcmp(b, bools, sizeof bools) == 0);
    HM_CHECK(!inside_message(&io, b));
    hm_ipcio_free(b);
    int8_t *i8 = ReadInt8Vector(&io, &n);
    HM_CHECK(i8 != NULL && n == COUNT(int8s) && memcmp(i8, int8s, sizeof int8s) == 0);
    HM_CHECK(inside_message(&io, i8));
    int16_t *i16 = ReadInt16Vector(&io, &n);
    HM_CHECK(i16 != NULL && n == COUNT(int16s) && memcmp(i16, int16s, sizeof int16s) == 0);
    HM_CHECK(!inside_message(&io, i16));
    hm_ipcio_free(i16);
    int32_t *i32 = ReadInt32Vector(&io, &n);
    HM_CHECK(i32 != NULL && n == COUNT(int32s) && memcmp(i32, int32s, sizeof int32s) == 0);
    HM_CHECK(inside_message(&io, i32));
    int64_t *i64 = ReadInt64Vector(&io, &n);
    HM_CHECK(i64 != NULL && n == COUNT(int64s) && memcmp(i64, int64s, sizeof int64s) == 0);
    uint8_t *u8 = ReadUInt8Vector(&io, &n);
    HM_CHECK(u8 != NULL && n == COUNT(uint8s) && memcmp(u8, uint8s, sizeof uint8s) == 0);
    uint16_t *u16 = ReadUInt16Vector(&io, &n);
    HM_CHECK(u16 != NULL && n == COUNT(uint16s) && memcmp(u16, uint16s, sizeof uint16s) == 0);
    uint32_t *u32 = ReadUInt32Vector(&io, &n);
    HM_CHECK(u32 != NULL && n == COUNT(uint32s) && memcmp(u32, uint32s, sizeof uint32s) == 0);
    uint64_t *u64 = ReadUInt64Vector(&io, &n);
    HM_CHECK(u64 != NULL && n == COUNT(uint64s) && memcmp(u64, uint64s, sizeof uint64s) == 0);
    float *f = ReadFloatVector(&io, &n);
    HM_CHECK(f != NULL && n == COUNT(floats) && memcmp(f, floats, sizeof floats) == 0);
    double *d = ReadDoubleVector(&io, &n);
    HM_CHECK(d != NULL && n == COUNT(doubles) && memcmp(d, doubles, sizeof doubles) == 0);
    HM_CHECK_INT_EQ(io.bufferLeft, 0);
}

/* Pointer_001: a pointer is process-local, so this one stays in one address space. */
static void pointer_round_trips_in_process(void)
{
    char buffer[64];
    IpcIo io;
    IpcIoInit(&io, buffer, sizeof buffer, 0);
    HM_CHECK(WritePointer(&io, (uintptr_t)&io));
    HM_CHECK_INT_EQ(io.bufferCur - io.bufferBase, sizeof(uintptr_t));
    IpcIoInit(&io, buffer, sizeof buffer, 0);
    HM_CHECK(ReadPointer(&io) == (uintptr_t)&io);
}

/* threshold_001: a string longer than the buffer does not fit. */
static void string_longer_than_the_buffer_fails(void)
{
    char buffer[100];
    char text[200];
    memset(text, 'x', sizeof text - 1);
    text[sizeof text - 1] = '\0';
    IpcIo io;
    IpcIoInit(&io, buffer, sizeof buffer, 0);
    HM_CHECK(!WriteString(&io, text));
    HM_CHECK(!IpcIoAvailable(&io));
}

/* ioUninitialized_001: upstream relies on stack garbage; a zeroed IpcIo is deterministically uninitialised. */
static void uninitialised_io_refuses_everything(void)
{
    IpcIo io;
    memset(&io, 0, sizeof io);
    int32_t value;
    HM_CHECK(!WriteInt32(&io, 1));
    HM_CHECK(!WriteString(&io, "x"));
    HM_CHECK(!ReadInt32(&io, &value));
    HM_CHECK(!IpcIoAvailable(&io));
}

/* The Level2 "abnormal" cases: NULL and empty arguments are refused. Each gets a fresh IpcIo, because a
 * failure is sticky. */
static void abnormal_arguments_are_refused(void)
{
    char buffer[256];
    IpcIo io;
    size_t n;
#define FRESH() IpcIoInit(&io, buffer, sizeof buffer, 0)
    FRESH();
    HM_CHECK(!WriteString(&io, NULL));
    FRESH();
    HM_CHECK(!WriteString16(&io, NULL, 3));
    FRESH();
    HM_CHECK(!WriteString16(&io, hello16, 0));
    FRESH();
    HM_CHECK(!WriteBuffer(&io, NULL, 4));
    FRESH();
    HM_CHECK(!WriteBuffer(&io, buffer, 0));
    FRESH();
    HM_CHECK(!WriteInterfaceToken(&io, NULL, 2));
    FRESH();
    HM_CHECK(!WriteInterfaceToken(&io, token16, 0));
    FRESH();
    HM_CHECK(!WriteRawData(&io, NULL, 4));
    FRESH();
    HM_CHECK(!WriteRawData(&io, buffer, 0));
    FRESH();
    HM_CHECK(!WriteBoolVector(&io, NULL, 1) && !WriteBoolVector(&io, bools, 0));
    FRESH();
    HM_CHECK(!WriteInt8Vector(&io, NULL, 1));
    FRESH();
    HM_CHECK(!WriteInt8Vector(&io, int8s, 0));
    FRESH();
    HM_CHECK(!WriteInt16Vector(&io, NULL, 1));
    FRESH();
    HM_CHECK(!WriteInt32Vector(&io, int32s, 0));
    FRESH();
    HM_CHECK(!WriteInt64Vector(&io, NULL, 2));
    FRESH();
    HM_CHECK(!WriteUInt8Vector(&io, uint8s, 0));
    FRESH();
    HM_CHECK(!WriteUInt16Vector(&io, NULL, 2));
    FRESH();
    HM_CHECK(!WriteUInt32Vector(&io, uint32s, 0));
    FRESH();
    HM_CHECK(!WriteUInt64Vector(&io, NULL, 1));
    FRESH();
    HM_CHECK(!WriteFloatVector(&io, floats, 0));
    FRESH();
    HM_CHECK(!WriteDoubleVector(&io, NULL, 1));
    FRESH();
    HM_CHECK(ReadBuffer(&io, 0) == NULL);
    FRESH();
    HM_CHECK(ReadRawData(&io, 0) == NULL);
    FRESH();
    HM_CHECK(ReadString16(&io, NULL) == NULL);
    FRESH();
    HM_CHECK(ReadInt32Vector(&io, NULL) == NULL);
    FRESH();
    HM_CHECK(!ReadInt32(&io, NULL));
    FRESH();
    HM_CHECK(!WriteRemoteObject(&io, NULL) && !ReadRemoteObject(&io, NULL));
    /* NULL io everywhere: no crash, just failure. */
    HM_CHECK(!WriteInt32(NULL, 1) && !WriteString(NULL, "x") && ReadString(NULL, &n) == NULL);
    HM_CHECK(ReadFileDescriptor(NULL) == -1 && !IpcIoAppend(NULL, NULL) && !IpcIoAvailable(NULL));
#undef FRESH
}

/* Recommended: after one failure every later operation fails, including ones that would fit. */
static void a_failure_is_sticky(void)
{
    char buffer[64];
    IpcIo io;
    IpcIoInit(&io, buffer, sizeof buffer, 0);
    HM_CHECK(WriteInt32(&io, 1) && WriteInt32(&io, 2));
    IpcIoInit(&io, buffer, 8, 0);
    int64_t too_big;
    int32_t value = 0;
    HM_CHECK(ReadInt32(&io, &value) && value == 1);
    HM_CHECK(!ReadInt64(&io, &too_big)); /* only 4 bytes left */
    HM_CHECK(io.flag & IPC_IO_OVERFLOW);
    HM_CHECK(!ReadInt32(&io, &value)); /* would fit, still fails */
    HM_CHECK(!WriteInt8(&io, 1));
    HM_CHECK(!IpcIoAvailable(&io));
}

/* A failed item writes nothing and does not move the cursor. */
static void a_failed_item_changes_no_bytes(void)
{
    char buffer[16];
    memset(buffer, 0xEE, sizeof buffer);
    IpcIo io;
    IpcIoInit(&io, buffer, sizeof buffer, 0);
    HM_CHECK(WriteInt32(&io, 0x01020304));
    HM_CHECK(!WriteString(&io, "this does not fit in 12 bytes"));
    HM_CHECK_INT_EQ(io.bufferCur - io.bufferBase, 4);
    for (size_t i = 4; i < sizeof buffer; i++)
        HM_CHECK_INT_EQ((unsigned char)buffer[i], 0xEE);
}

/* IpcIoInit geometry: the object table takes the front of the buffer. */
static void init_puts_the_object_table_first(void)
{
    char buffer[128];
    IpcIo io;
    IpcIoInit(&io, buffer, sizeof buffer, 4);
    HM_CHECK(io.offsetsBase == (size_t *)(void *)buffer && io.offsetsCur == io.offsetsBase);
    HM_CHECK(io.bufferBase == buffer + 4 * sizeof(size_t) && io.bufferCur == io.bufferBase);
    HM_CHECK_INT_EQ(io.bufferLeft, sizeof buffer - 4 * sizeof(size_t));
    HM_CHECK_INT_EQ(io.offsetsLeft, 4);
    HM_CHECK_INT_EQ(io.flag, IPC_IO_INITIALIZED);
    /* A table larger than the buffer leaves io unusable. */
    IpcIoInit(&io, buffer, 3 * sizeof(size_t), 4);
    HM_CHECK(!IpcIoAvailable(&io));
    /* The limits: 8192 bytes and 32 objects. */
    static char big[MAX_IO_SIZE + 1];
    IpcIoInit(&io, big, MAX_IO_SIZE, MAX_OBJ_NUM);
    HM_CHECK(IpcIoAvailable(&io));
    IpcIoInit(&io, big, MAX_IO_SIZE + 1, 0);
    HM_CHECK(!IpcIoAvailable(&io));
    IpcIoInit(&io, big, MAX_IO_SIZE, MAX_OBJ_NUM + 1);
    HM_CHECK(!IpcIoAvailable(&io));
}

/* Recommended: the offset table is exhausted at maxobjects. */
static void object_table_is_exhausted_at_maxobjects(void)
{
    char buffer[512];
    IpcIo io;
    IpcIoInit(&io, buffer, sizeof buffer, 2);
    HM_CHECK(WriteFileDescriptor(&io, 3));
    SvcIdentity svc = {.handle = 5, .token = 6, .cookie = 7};
    HM_CHECK(WriteRemoteObject(&io, &svc));
    HM_CHECK(!WriteFileDescriptor(&io, 4));
    HM_CHECK(!IpcIoAvailable(&io));
}

/* Recommended: objects are read in order and at the position they were written. */
static void objects_are_read_in_place(void)
{
    char buffer[512];
    IpcIo io;
    IpcIoInit(&io, buffer, sizeof buffer, 4);
    SvcIdentity svc = {.handle = 9, .token = 77, .cookie = 0x1234};
    HM_CHECK(WriteInt32(&io, 11) && WriteFileDescriptor(&io, 5) && WriteRemoteObject(&io, &svc));
    HM_CHECK_INT_EQ(hm_ipcio_flip(&io), 0);
    /* Reading the fd before the int32 that precedes it: the cursor is not at the object's offset. */
    HM_CHECK_INT_EQ(ReadFileDescriptor(&io), -1);
    HM_CHECK(!IpcIoAvailable(&io));

    IpcIoInit(&io, buffer, sizeof buffer, 4);
    HM_CHECK(WriteInt32(&io, 11) && WriteFileDescriptor(&io, 5) && WriteRemoteObject(&io, &svc));
    HM_CHECK_INT_EQ(hm_ipcio_flip(&io), 0);
    int32_t value;
    SvcIdentity read_svc;
    HM_CHECK(ReadInt32(&io, &value) && value == 11);
    /* The right position but the wrong kind of object. */
    IpcIo copy = io;
    HM_CHECK(!ReadRemoteObject(&copy, &read_svc));
    HM_CHECK_INT_EQ(ReadFileDescriptor(&io), 5);
    HM_CHECK(ReadRemoteObject(&io, &read_svc));
    HM_CHECK(read_svc.handle == 9 && read_svc.token == 77 && read_svc.cookie == 0x1234);
}

/* Recommended: IpcIoAppend relocates the appended objects' offsets. */
static void append_relocates_offsets(void)
{
    char src_buffer[256], dst_buffer[512];
    IpcIo src, dst;
    IpcIoInit(&src, src_buffer, sizeof src_buffer, 2);
    HM_CHECK(WriteInt16Unaligned(&src, 7) && WriteFileDescriptor(&src, 8));
    IpcIoInit(&dst, dst_buffer, sizeof dst_buffer, 4);
    HM_CHECK(WriteInt32(&dst, 1) && WriteFileDescriptor(&dst, 9));
    HM_CHECK(IpcIoAppend(&dst, &src));
    /* src: 2 bytes + a 24-byte object at offset 2 = 26 bytes, appended zero-padded to 28 at offset 28. */
    HM_CHECK_INT_EQ(dst.bufferCur - dst.bufferBase, 4 + 24 + 28);
    HM_CHECK_INT_EQ(dst.offsetsCur - dst.offsetsBase, 2);
    size_t offsets[2];
    memcpy(offsets, dst.offsetsBase, sizeof offsets);
    HM_CHECK_INT_EQ(offsets[0], 4);
    HM_CHECK_INT_EQ(offsets[1], 28 + 2);
    HM_CHECK(dst.bufferBase[54] == 0 && dst.bufferBase[55] == 0);
    HM_CHECK_INT_EQ(hm_ipcio_flip(&dst), 0);
    int32_t value;
    int16_t small;
    HM_CHECK(ReadInt32(&dst, &value) && value == 1);
    HM_CHECK_INT_EQ(ReadFileDescriptor(&dst), 9);
    HM_CHECK(ReadInt16Unaligned(&dst, &small) && small == 7);
    HM_CHECK_INT_EQ(ReadFileDescriptor(&dst), 8);
    /* Not enough room, objects without bytes, and appending to itself fail. */
    IpcIo empty;
    char tiny[8];
    IpcIoInit(&empty, tiny, sizeof tiny, 0);
    IpcIoInit(&src, src_buffer, sizeof src_buffer, 2);
    HM_CHECK(WriteString(&src, "0123456789"));
    HM_CHECK(!IpcIoAppend(&empty, &src));
    IpcIoInit(&dst, dst_buffer, sizeof dst_buffer, 4);
    HM_CHECK(!IpcIoAppend(&dst, &dst));
}

/* Recommended: ReadString refuses a length above 8192 (on the compatible API). */
static void read_string_refuses_lengths_above_the_limit(void)
{
    char buffer[MAX_IO_SIZE];
    memset(buffer, 'a', sizeof buffer);
    uint32_t huge = MAX_IO_SIZE + 1;
    memcpy(buffer, &huge, sizeof huge);
    IpcIo io;
    IpcIoInit(&io, buffer, sizeof buffer, 0);
    size_t len;
    HM_CHECK(ReadString(&io, &len) == NULL);
    HM_CHECK(!IpcIoAvailable(&io));
}

/* Recommended: ReadRawData with a size other than the stored one fails. */
static void read_raw_data_refuses_a_size_mismatch(void)
{
    char buffer[64];
    const char payload[] = "abcdefg";
    IpcIo io;
    IpcIoInit(&io, buffer, sizeof buffer, 0);
    HM_CHECK(WriteRawData(&io, payload, sizeof payload));
    IpcIoInit(&io, buffer, sizeof buffer, 0);
    HM_CHECK(ReadRawData(&io, sizeof payload - 1) == NULL);
    IpcIoInit(&io, buffer, sizeof buffer, 0);
    const char *raw = ReadRawData(&io, sizeof payload);
    HM_CHECK(raw != NULL && memcmp(raw, payload, sizeof payload) == 0);
    HM_CHECK_INT_EQ(io.bufferCur - io.bufferBase, 4 + 8);
}

/* The compatible API's item limits: 8192 bytes per buffer and raw data, 4095 UTF-16 units per string16. */
static void compatible_item_limits(void)
{
    static char buffer[MAX_IO_SIZE];
    static char payload[MAX_IO_SIZE + 1];
    static uint16_t units[MAX_IO_SIZE / 2];
    IpcIo io;
    IpcIoInit(&io, buffer, sizeof buffer, 0);
    HM_CHECK(!WriteBuffer(&io, payload, MAX_IO_SIZE + 1));
    IpcIoInit(&io, buffer, sizeof buffer, 0);
    HM_CHECK(!WriteRawData(&io, payload, MAX_IO_SIZE + 1));
    IpcIoInit(&io, buffer, sizeof buffer, 0);
    HM_CHECK(!WriteString16(&io, units, MAX_IO_SIZE / 2));
    for (size_t i = 0; i < MAX_IO_SIZE / 2; i++)
        units[i] = 'a';
    /* 4 + (4093 + 1) * 2 = 8192: the longest string16 that fits the largest buffer. */
    IpcIoInit(&io, buffer, sizeof buffer, 0);
    HM_CHECK(WriteString16(&io, units, MAX_IO_SIZE / 2 - 3));
    HM_CHECK_INT_EQ(io.bufferLeft, 0);
    /* The longest string: 8191 bytes + NUL + the length field would need 8196 bytes, so use a smaller one,
     * and check that exactly 8192 characters are refused regardless of room. */
    memset(payload, 'z', sizeof payload);
    payload[MAX_IO_SIZE] = '\0';
    IpcIoInit(&io, buffer, sizeof buffer, 0);
    HM_CHECK(!WriteString(&io, payload));
    payload[MAX_IO_SIZE - 8] = '\0';
    IpcIoInit(&io, buffer, sizeof buffer, 0);
    HM_CHECK(WriteString(&io, payload));
    HM_CHECK_INT_EQ(io.bufferLeft, 0);
}

static void write_lite(IpcIo *io)
{
    IpcIoPushChar(io, 'q');
    IpcIoPushCharUnaligned(io, 'r');
    IpcIoPushBool(io, true);
    IpcIoPushBoolUnaligned(io, false);
    IpcIoPushIntptr(io, -12345);
    IpcIoPushUintptr(io, 54321);
    IpcIoPushInt8(io, -1);
    IpcIoPushInt8Unaligned(io, -2);
    IpcIoPushUint8(io, 3);
    IpcIoPushUint8Unaligned(io, 4);
    IpcIoPushInt16(io, -5);
    IpcIoPushInt16Unaligned(io, -6);
    IpcIoPushUint16(io, 7);
    IpcIoPushUint16Unaligned(io, 8);
    IpcIoPushInt32(io, -9);
    IpcIoPushUint32(io, 10);
    IpcIoPushInt64(io, -11);
    IpcIoPushUint64(io, 12);
    IpcIoPushFloat(io, 13.5f);
    IpcIoPushDouble(io, 14.25);
    IpcIoPushString(io, "lite");
    IpcIoPushFlatObj(io, "flat!", 5);
}

/* The LiteIPC names read and write the same items. */
static void lite_aliases_round_trip(void)
{
    IpcIo io;
    HM_CHECK(through_child(write_lite, &io));
    HM_CHECK(IpcIoPopChar(&io) == 'q');
    HM_CHECK(IpcIoPopCharUnaligned(&io) == 'r');
    HM_CHECK(IpcIoPopBool(&io) == true);
    HM_CHECK(IpcIoPopBoolUnaligned(&io) == false);
    HM_CHECK(IpcIoPopIntptr(&io) == -12345);
    HM_CHECK(IpcIoPopUintptr(&io) == 54321);
    HM_CHECK(IpcIoPopInt8(&io) == -1);
    HM_CHECK(IpcIoPopInt8Unaligned(&io) == -2);
    HM_CHECK(IpcIoPopUint8(&io) == 3);
    HM_CHECK(IpcIoPopUint8Unaligned(&io) == 4);
    HM_CHECK(IpcIoPopInt16(&io) == -5);
    HM_CHECK(IpcIoPopInt16Unaligned(&io) == -6);
    HM_CHECK(IpcIoPopUint16(&io) == 7);
    HM_CHECK(IpcIoPopUint16Unaligned(&io) == 8);
    HM_CHECK(IpcIoPopInt32(&io) == -9);
    HM_CHECK(IpcIoPopUint32(&io) == 10);
    HM_CHECK(IpcIoPopInt64(&io) == -11);
    HM_CHECK(IpcIoPopUint64(&io) == 12);
    HM_CHECK(IpcIoPopFloat(&io) == 13.5f);
    HM_CHECK(IpcIoPopDouble(&io) == 14.25);
    size_t len = 0;
    HM_CHECK_STR_EQ((const char *)IpcIoPopString(&io, &len), "lite");
    uint32_t flat_size = 0;
    const char *flat = IpcIoPopFlatObj(&io, &flat_size);
    HM_CHECK(flat != NULL && flat_size == 5 && memcmp(flat, "flat!", 5) == 0);
    HM_CHECK(IpcIoAvailable(&io));
    HM_CHECK_INT_EQ(io.bufferLeft, 0);
    /* Pops return 0 once io has failed. */
    HM_CHECK(IpcIoPopInt32(&io) == 0 && !IpcIoAvailable(&io));
}

/* The lite Svc and Fd names share the object records; IpcIoPopSvc's result lives until release. */
static void lite_objects_round_trip(void)
{
    char buffer[256];
    IpcIo io;
    IpcIoInit(&io, buffer, sizeof buffer, 3);
    SvcIdentity local = {.handle = 0, .token = 3, .cookie = 4};
    SvcIdentity remote = {.handle = 12, .token = 13, .cookie = 14};
    IpcIoPushSvc(&io, &local);
    IpcIoPushSvc(&io, &remote);
    IpcIoPushFd(&io, 6);
    HM_CHECK(IpcIoAvailable(&io));
    HM_CHECK_INT_EQ(hm_ipcio_flip(&io), 0);
    SvcIdentity *first = IpcIoPopSvc(&io);
    SvcIdentity *second = IpcIoPopSvc(&io);
    HM_CHECK(first != NULL && first->handle == IPC_INVALID_HANDLE && first->token == 3 && first->cookie == 4);
    HM_CHECK(second != NULL && second->handle == 12 && second->token == 13 && second->cookie == 14);
    HM_CHECK_INT_EQ(IpcIoPopFd(&io), 6);
    IpcIoFreeDataBuff(&io);
    HM_CHECK(io.hmResources == NULL);
}

int main(void)
{
    HM_RUN(aligned_values_round_trip);
    HM_RUN(unaligned_values_round_trip);
    HM_RUN(values_of_64_bits_round_trip);
    HM_RUN(floats_round_trip);
    HM_RUN(extreme_values_round_trip);
    HM_RUN(strings_and_buffers_round_trip);
    HM_RUN(vectors_round_trip);
    HM_RUN(pointer_round_trips_in_process);
    HM_RUN(string_longer_than_the_buffer_fails);
    HM_RUN(uninitialised_io_refuses_everything);
    HM_RUN(abnormal_arguments_are_refused);
    HM_RUN(a_failure_is_sticky);
    HM_RUN(a_failed_item_changes_no_bytes);
    HM_RUN(init_puts_the_object_table_first);
    HM_RUN(object_table_is_exhausted_at_maxobjects);
    HM_RUN(objects_are_read_in_place);
    HM_RUN(append_relocates_offsets);
    HM_RUN(read_string_refuses_lengths_above_the_limit);
    HM_RUN(read_raw_data_refuses_a_size_mismatch);
    HM_RUN(compatible_item_limits);
    HM_RUN(lite_aliases_round_trip);
    HM_RUN(lite_objects_round_trip);
    return HM_TEST_SUMMARY();
}
