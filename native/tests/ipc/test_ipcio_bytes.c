/*
 * Acceptance: a program that knows nothing of Harmonia but OpenHarmony's serializer.h compiles, links against
 * libharmonia and produces exactly the bytes OpenHarmony's encoding produces. The expected bytes are written out
 * by hand from OpenHarmony's rules (reference sections 1.3 and 1.4), item by item, independently of the code.
 * Deliberately self-contained: only serializer.h and the C library.
 */
#include <serializer.h>

#include <stdio.h>
#include <string.h>

static int failures;

static void expect_bytes(const char *what, const IpcIo *io, const unsigned char *expected, size_t length)
{
    size_t written = (size_t)(io->bufferCur - io->bufferBase);
    if (written != length) {
        printf("FAIL %s: wrote %zu bytes, expected %zu\n", what, written, length);
        failures++;
    }
    for (size_t i = 0; i < length && i < written; i++) {
        if ((unsigned char)io->bufferBase[i] != expected[i]) {
            printf("FAIL %s: byte %zu is 0x%02x, expected 0x%02x\n", what, i, (unsigned char)io->bufferBase[i],
                   expected[i]);
            failures++;
            return;
        }
    }
    if (written == length)
        printf("ok   %s (%zu bytes)\n", what, length);
}

/* Every Write of the current API, aligned and unaligned, with the expected encoding beside each call. */
static void current_api_bytes(void)
{
    static char buffer[1024];
    static const unsigned char expected[] = {
        0x01, 0x00, 0x00, 0x00,                         /* WriteBool(true): widened to int32 */
        0xff, 0xff, 0xff, 0xff,                         /* WriteInt8(-1): sign-extended to int32 */
        0xfe, 0xff, 0xff, 0xff,                         /* WriteInt16(-2) */
        0x78, 0x56, 0x34, 0x12,                         /* WriteInt32(0x12345678): host (little-endian) order */
        0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* WriteInt64(-2) */
        0xab, 0x00, 0x00, 0x00,                         /* WriteUint8(0xab): zero-extended */
        0xef, 0xbe, 0x00, 0x00,                         /* WriteUint16(0xbeef) */
        0xef, 0xbe, 0xad, 0xde,                         /* WriteUint32(0xdeadbeef) */
        0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, /* WriteUint64(0x0102030405060708) */
        0x00, 0x00, 0x80, 0x3f,                         /* WriteFloat(1.0f) */
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, /* WriteDouble(-2.0) */
        0x03, 0x00, 0x00, 0x00, 'a', 'b', 'c', 0x00,    /* WriteString("abc"): length, bytes, NUL */
        0x04, 0x00, 0x00, 0x00, 'a', 'b', 'c', 'd',     /* WriteString("abcd") */
        0x00, 0x00, 0x00, 0x00,                         /*   NUL and zero padding to 4 */
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* WriteString(""): length 0, NUL, padding */
        0x02, 0x00, 0x00, 0x00, 'h', 0x00, 'i', 0x00,   /* WriteString16(u"hi", 2): units, then */
        0x00, 0x00, 0x00, 0x00,                         /*   a NUL unit and padding */
        0x03, 0x00, 0x00, 0x00, 'o', 0x00, 'h', 0x00,   /* WriteInterfaceToken(u"ohs", 3) */
        's', 0x00, 0x00, 0x00,                          /*   NUL unit, already a multiple of 4 */
        'x', 'y', 'z', 0x00,                            /* WriteBuffer("xyz", 3): no length, padded */
        0x05, 0x00, 0x00, 0x00, '1', '2', '3', '4',     /* WriteRawData("12345", 5): size, then a Buffer */
        '5', 0x00, 0x00, 0x00,
        0x02, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, /* WriteBoolVector({1, 0}): count, int32 slots */
        0x00, 0x00, 0x00, 0x00,
        0x02, 0x00, 0x00, 0x00, 0xfe, 0xff, 0xff, 0xff, /* WriteInt16Vector({-2, 3}): widened per element */
        0x03, 0x00, 0x00, 0x00,
        0x85, 0x2a, 0x64, 0x66, 0x7f, 0x01, 0x00, 0x00, /* WriteFileDescriptor(7) at offset 148: binder's */
        0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /*   flat_binder_object {BINDER_TYPE_FD, 0x17f, */
        0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /*   handle = fd, cookie = 1} */
        0x03, 0x00, 0x00, 0x00, 0x01, 0x02, 0x03,       /* WriteUInt8Vector({1, 2, 3}): packed, no padding */
        0x05, 0x00, 0x00, 0x00,                         /* WriteInt32(5) at offset 179: not aligned */
        0x01,                                           /* WriteBoolUnaligned(true): one byte */
        0x01, 0x00, 0x00, 0x00, 0x34, 0x12,             /* WriteUInt16Vector({0x1234}): packed */
        0xfd,                                           /* WriteInt8Unaligned(-3) */
        0x02, 0x01,                                     /* WriteInt16Unaligned(0x0102) */
        0x09,                                           /* WriteUint8Unaligned(9) */
        0xb2, 0xa1,                                     /* WriteUint16Unaligned(0xa1b2) */
        0x01, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, /* WriteInt32Vector({-1}) */
        0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, /* WriteInt64Vector({1}) */
        0x00, 0x00, 0x00, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, /* WriteUInt32Vector({2}) */
        0x01, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, /* WriteUInt64Vector({3}) */
        0x00, 0x00, 0x00, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3f, /* WriteFloatVector({0.5f}) */
        0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* WriteDoubleVector({1.0}) */
        0x00, 0x00, 0xf0, 0x3f,
        0x01, 0x00, 0x00, 0x00, 0x80,                   /* WriteInt8Vector({-128}) */
    };
    IpcIo io;
    IpcIoInit(&io, buffer, sizeof buffer, 4);
    const uint16_t hi[] = {'h', 'i'};
    const uint16_t ohs[] = {'o', 'h', 's'};
    const bool flags[] = {true, false};
    const int16_t shorts[] = {-2, 3};
    const uint8_t bytes[] = {1, 2, 3};
    const uint16_t units[] = {0x1234};
    const int32_t ints[] = {-1};
    const int64_t longs[] = {1};
    const uint32_t uints[] = {2};
    const uint64_t ulongs[] = {3};
    const float floats[] = {0.5f};
    const double doubles[] = {1.0};
    const int8_t signed_bytes[] = {-128};
    bool ok = WriteBool(&io, true) && WriteInt8(&io, -1) && WriteInt16(&io, -2) && WriteInt32(&io, 0x12345678) &&
              WriteInt64(&io, -2) && WriteUint8(&io, 0xab) && WriteUint16(&io, 0xbeef) &&
              WriteUint32(&io, 0xdeadbeefu) && WriteUint64(&io, 0x0102030405060708ull) && WriteFloat(&io, 1.0f) &&
              WriteDouble(&io, -2.0) && WriteString(&io, "abc") && WriteString(&io, "abcd") &&
              WriteString(&io, "") && WriteString16(&io, hi, 2) && WriteInterfaceToken(&io, ohs, 3) &&
              WriteBuffer(&io, "xyz", 3) && WriteRawData(&io, "12345", 5) && WriteBoolVector(&io, flags, 2) &&
              WriteInt16Vector(&io, shorts, 2) && WriteFileDescriptor(&io, 7) &&
              WriteUInt8Vector(&io, bytes, 3) && WriteInt32(&io, 5) && WriteBoolUnaligned(&io, true) &&
              WriteUInt16Vector(&io, units, 1) && WriteInt8Unaligned(&io, -3) &&
              WriteInt16Unaligned(&io, 0x0102) && WriteUint8Unaligned(&io, 9) &&
              WriteUint16Unaligned(&io, 0xa1b2) && WriteInt32Vector(&io, ints, 1) &&
              WriteInt64Vector(&io, longs, 1) && WriteUInt32Vector(&io, uints, 1) &&
              WriteUInt64Vector(&io, ulongs, 1) && WriteFloatVector(&io, floats, 1) &&
              WriteDoubleVector(&io, doubles, 1) && WriteInt8Vector(&io, signed_bytes, 1);
    if (!ok) {
        printf("FAIL current API: a write failed\n");
        failures++;
    }
    expect_bytes("current API, every type", &io, expected, sizeof expected);
    size_t fd_offset;
    memcpy(&fd_offset, io.offsetsBase, sizeof fd_offset);
    if (io.offsetsCur - io.offsetsBase != 1 || fd_offset != 148) {
        printf("FAIL object table: %d entries, first at %zu; expected 1 at 148\n",
               (int)(io.offsetsCur - io.offsetsBase), fd_offset);
        failures++;
    }
}

/* The LiteIPC names write the same bytes as the current API. */
static void lite_api_bytes(void)
{
    static char buffer[256];
    static const unsigned char expected[] = {
        0x2a, 0x00, 0x00, 0x00,                         /* IpcIoPushInt32(42) */
        0x07, 0x00, 0x00, 0x00,                         /* IpcIoPushUint8(7) */
        0x03, 0x00, 0x00, 0x00, 'a', 'b', 'c', 0x00,    /* IpcIoPushString("abc") */
        0x05, 0x00, 0x00, 0x00, 'f', 'l', 'a', 't',     /* IpcIoPushFlatObj("flat!", 5) */
        '!', 0x00, 0x00, 0x00,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, /* IpcIoPushInt64(INT64_MAX) */
        0x01,                                           /* IpcIoPushBoolUnaligned(true) */
    };
    IpcIo io;
    IpcIoInit(&io, buffer, sizeof buffer, 0);
    IpcIoPushInt32(&io, 42);
    IpcIoPushUint8(&io, 7);
    IpcIoPushString(&io, "abc");
    IpcIoPushFlatObj(&io, "flat!", 5);
    IpcIoPushInt64(&io, INT64_MAX);
    IpcIoPushBoolUnaligned(&io, true);
    if (!IpcIoAvailable(&io)) {
        printf("FAIL lite API: a push failed\n");
        failures++;
    }
    expect_bytes("lite API", &io, expected, sizeof expected);
}

int main(void)
{
    current_api_bytes();
    lite_api_bytes();
    printf("%s\n", failures == 0 ? "bytes identical to OpenHarmony's encoding" : "MISMATCH");
    return failures == 0 ? 0 : 1;
}
