/*
 * libFuzzer target: every IpcIo reader (the current API, the LiteIPC pops, the object table functions) over
 * arbitrary bytes, on both kinds of IpcIo: the compatible one (IpcIoInit, 8192-byte limits) and a received
 * message (hm_ipcio_init_reader, with an arbitrary object table and installed fds).
 *
 * Input layout (seeds in corpus/fuzz_ipcio_read/):
 *   byte 0        bit 0: 1 = received message (hm_ipcio_init_reader), 0 = IpcIoInit; bits 1..3: table entries
 *   bytes 1..16   sixteen operations; each byte picks a reader (low 5 bits) and a size hint (high 3 bits)
 *   then          2 bytes (little-endian) per table entry: its offset
 *   the rest      the message data
 *
 * Besides the sanitizers, the target checks the invariants every reader promises: the cursor never leaves the
 * data, and once an IpcIo has failed every later read fails.
 */
#include <serializer.h>
#include <harmonia/ipcio.h>

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define OPERATIONS 16
#define MAX_TABLE 7

int LLVMFuzzerTestOneInput(const uint8_t *input, size_t size);

/* The stand-in fds installed into the current message: ReadFileDescriptor hands them to the caller, who must
 * close them (numbers that were not installed belong to nobody and are left alone). */
static int32_t installed[MAX_TABLE];
static size_t installed_count;

static void close_if_taken(int32_t fd)
{
    for (size_t i = 0; i < installed_count; i++)
        if (installed[i] == fd && fd >= 0) {
            close(fd);
            installed[i] = -1;
        }
}

static void check(int condition)
{
    if (!condition)
        __builtin_trap();
}

/* Sizes for ReadBuffer and ReadRawData: small, around the inline limit, above it. */
static size_t size_hint(uint8_t op)
{
    static const size_t sizes[8] = {1, 3, 4, 8, 17, HM_IPCIO_RAW_INLINE_MAX, HM_IPCIO_RAW_INLINE_MAX + 1, 8192};
    return sizes[op >> 5];
}

/* The units may sit at an odd address (the cursor is not aligned), so they are copied, never dereferenced. */
static void check_string16(const uint16_t *units, size_t length)
{
    uint16_t terminator;
    if (units != NULL) {
        memcpy(&terminator, (const char *)units + length * sizeof terminator, sizeof terminator);
        check(terminator == 0);
    }
}

static void run_operation(IpcIo *io, uint8_t op)
{
    size_t n = 0;
    union {
        bool b;
        int8_t i8;
        int16_t i16;
        int32_t i32;
        int64_t i64;
        uint8_t u8;
        uint16_t u16;
        uint32_t u32;
        uint64_t u64;
        float f;
        double d;
        SvcIdentity svc;
    } value;
    uint32_t flat_size;
    switch (op & 31) {
    case 0: (void)ReadBool(io, &value.b); break;
    case 1: (void)ReadInt8(io, &value.i8); break;
    case 2: (void)ReadInt16(io, &value.i16); break;
    case 3: (void)ReadInt32(io, &value.i32); break;
    case 4: (void)ReadInt64(io, &value.i64); break;
    case 5: (void)ReadUint8(io, &value.u8); (void)ReadUint16(io, &value.u16); break;
    case 6: (void)ReadUint32(io, &value.u32); (void)ReadUint64(io, &value.u64); break;
    case 7: (void)ReadFloat(io, &value.f); (void)ReadDouble(io, &value.d); break;
    case 8: (void)ReadPointer(io); (void)ReadBoolUnaligned(io, &value.b); break;
    case 9: (void)ReadInt8Unaligned(io, &value.i8); (void)ReadInt16Unaligned(io, &value.i16); break;
    case 10: (void)ReadUInt8Unaligned(io, &value.u8); (void)ReadUInt16Unaligned(io, &value.u16); break;
    case 11: {
        const char *s = (const char *)ReadString(io, &n);
        if (s != NULL)
            check(strlen(s) <= n && s[n] == '\0');
        break;
    }
    case 12:
        check_string16(ReadString16(io, &n), n);
        break;
    case 13:
        check_string16(ReadInterfaceToken(io, &n), n);
        break;
    case 14: (void)ReadBuffer(io, size_hint(op)); break;
    case 15: {
        size_t wanted = size_hint(op);
        const volatile uint8_t *raw = ReadRawData(io, wanted);
        if (raw != NULL)
            check(raw[wanted - 1] == raw[wanted - 1]); /* touch the last byte: it must be mapped */
        break;
    }
    case 16: hm_ipcio_free(ReadBoolVector(io, &n)); break;
    case 17: hm_ipcio_free(ReadInt16Vector(io, &n)); break;
    case 18: {
        const volatile int8_t *v = ReadInt8Vector(io, &n);
        if (v != NULL && n > 0)
            (void)v[n - 1];
        break;
    }
    case 19: {
        int32_t *v = ReadInt32Vector(io, &n);
        if (v != NULL && n > 0) {
            int32_t last;
            memcpy(&last, (const char *)v + (n - 1) * sizeof last, sizeof last);
            (void)last;
        }
        break;
    }
    case 20: (void)ReadInt64Vector(io, &n); (void)ReadUInt8Vector(io, &n); break;
    case 21: (void)ReadUInt16Vector(io, &n); (void)ReadUInt32Vector(io, &n); break;
    case 22: (void)ReadUInt64Vector(io, &n); (void)ReadFloatVector(io, &n); break;
    case 23: (void)ReadDoubleVector(io, &n); break;
    case 24: close_if_taken(ReadFileDescriptor(io)); break;
    case 25: (void)ReadRemoteObject(io, &value.svc); break;
    case 26: (void)IpcIoPopSvc(io); close_if_taken(IpcIoPopFd(io)); break;
    case 27: {
        const volatile uint8_t *flat = IpcIoPopFlatObj(io, &flat_size);
        if (flat != NULL && flat_size > 0)
            (void)flat[flat_size - 1];
        break;
    }
    case 28: {
        BuffPtr *buff = IpcIoPopDataBuff(io);
        if (buff != NULL)
            (void)((const volatile uint8_t *)buff->buff)[buff->buffSz - 1];
        break;
    }
    case 29: (void)IpcIoPopString(io, &n); (void)IpcIoPopInt32(io); (void)IpcIoPopChar(io); break;
    case 30: (void)IpcIoPopUint64(io); (void)IpcIoPopDouble(io); (void)IpcIoPopInt16Unaligned(io); break;
    default: {
        hm_ipcio_object object;
        for (size_t i = 0; i < hm_ipcio_object_count(io); i++)
            (void)hm_ipcio_object_at(io, i, &object);
        break;
    }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *input, size_t size)
{
    if (size < 1 + OPERATIONS)
        return 0;
    uint8_t mode = input[0];
    const uint8_t *operations = input + 1;
    size_t entries = (mode >> 1) & MAX_TABLE;
    size_t header = 1 + OPERATIONS + 2 * entries;
    if (size < header)
        return 0;
    size_t length = size - header;
    /* An exact-size heap copy, so that any read past the data is an ASan report. */
    char *data = malloc(length > 0 ? length : 1);
    size_t *offsets = malloc(sizeof(size_t) * (entries > 0 ? entries : 1));
    check(data != NULL && offsets != NULL);
    memcpy(data, input + header, length);
    for (size_t i = 0; i < entries; i++)
        offsets[i] = (size_t)input[1 + OPERATIONS + 2 * i] | (size_t)input[2 + OPERATIONS + 2 * i] << 8;

    IpcIo io;
    char *compat_buffer = NULL;
    installed_count = 0;
    if (mode & 1) {
        if (hm_ipcio_init_reader(&io, data, length, offsets, entries) == 0) {
            /* Install stand-in fds (copies of /dev/null) so ownership and release are exercised too. */
            size_t fd_count = hm_ipcio_fd_count(&io);
            for (size_t i = 0; i < fd_count; i++)
                installed[i] = open("/dev/null", O_RDONLY | O_CLOEXEC);
            if (hm_ipcio_install_fds(&io, installed, fd_count) == 0) {
                installed_count = fd_count;
            } else {
                for (size_t i = 0; i < fd_count; i++)
                    close(installed[i]);
            }
        }
    } else {
        /* IpcIoInit puts the table in front of the data: give it room for `entries` offsets. */
        size_t table = entries * sizeof(size_t);
        compat_buffer = malloc(table + length + 1);
        check(compat_buffer != NULL);
        for (size_t i = 0; i < entries; i++)
            memcpy(compat_buffer + i * sizeof(size_t), &offsets[i], sizeof(size_t));
        memcpy(compat_buffer + table, data, length);
        IpcIoInit(&io, compat_buffer, table + length, entries);
    }

    size_t total = (size_t)(io.bufferCur - io.bufferBase) + io.bufferLeft;
    bool failed = !IpcIoAvailable(&io);
    for (size_t i = 0; i < OPERATIONS; i++) {
        run_operation(&io, operations[i]);
        if (failed) {
            check(!IpcIoAvailable(&io));
        } else if (IpcIoAvailable(&io)) {
            check(io.bufferCur >= io.bufferBase);
            check((size_t)(io.bufferCur - io.bufferBase) + io.bufferLeft <= total);
        }
        failed = !IpcIoAvailable(&io);
    }
    hm_ipcio_release(&io);
    free(compat_buffer);
    free(offsets);
    free(data);
    return 0;
}
