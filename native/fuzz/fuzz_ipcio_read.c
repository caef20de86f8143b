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
 *
 * Then the same sixteen operation bytes, mapped onto the readers that have an inline form in harmonia/ipcio.h,
 * run on two fresh IpcIos over two copies of the data, one through the functions and one inline: results,
 * outputs and cursors must be the same at every step (differential fuzzing of the inline fast path).
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

/* One step of the differential run: what a reader returned and wrote, comparable across the two copies. */
struct step_result {
    bool ok;
    uint64_t value;
    ptrdiff_t view; /* offset of a returned view from the data, -1 for NULL */
    size_t length;
};

static ptrdiff_t view_offset(const void *view, const char *data)
{
    return view == NULL ? -1 : (const char *)view - data;
}

/* Reads into a zeroed value of type with the inline reader or the function, keeping the bytes it got. */
#define READ_VALUE(type, inline_reader, reader)                                                                 \
    do {                                                                                                        \
        type v_;                                                                                                \
        memset(&v_, 0, sizeof v_);                                                                              \
        result.ok = use_inline ? inline_reader(io, &v_) : reader(io, &v_);                                      \
        memcpy(&result.value, &v_, sizeof v_);                                                                  \
    } while (0)

static struct step_result run_inline_capable(IpcIo *io, bool use_inline, uint8_t op, const char *data)
{
    struct step_result result = {false, 0, -1, 0};
    switch ((op & 31) % 19) {
    case 0: READ_VALUE(bool, hm_ipcio_read_bool, ReadBool); break;
    case 1: READ_VALUE(int8_t, hm_ipcio_read_int8, ReadInt8); break;
    case 2: READ_VALUE(int16_t, hm_ipcio_read_int16, ReadInt16); break;
    case 3: READ_VALUE(int32_t, hm_ipcio_read_int32, ReadInt32); break;
    case 4: READ_VALUE(int64_t, hm_ipcio_read_int64, ReadInt64); break;
    case 5: READ_VALUE(uint8_t, hm_ipcio_read_uint8, ReadUint8); break;
    case 6: READ_VALUE(uint16_t, hm_ipcio_read_uint16, ReadUint16); break;
    case 7: READ_VALUE(uint32_t, hm_ipcio_read_uint32, ReadUint32); break;
    case 8: READ_VALUE(uint64_t, hm_ipcio_read_uint64, ReadUint64); break;
    case 9: READ_VALUE(float, hm_ipcio_read_float, ReadFloat); break;
    case 10: READ_VALUE(double, hm_ipcio_read_double, ReadDouble); break;
    case 11: result.value = use_inline ? hm_ipcio_read_pointer(io) : ReadPointer(io); break;
    case 12: READ_VALUE(bool, hm_ipcio_read_bool_unaligned, ReadBoolUnaligned); break;
    case 13: READ_VALUE(int8_t, hm_ipcio_read_int8_unaligned, ReadInt8Unaligned); break;
    case 14: READ_VALUE(int16_t, hm_ipcio_read_int16_unaligned, ReadInt16Unaligned); break;
    case 15: READ_VALUE(uint8_t, hm_ipcio_read_uint8_unaligned, ReadUInt8Unaligned); break;
    case 16: READ_VALUE(uint16_t, hm_ipcio_read_uint16_unaligned, ReadUInt16Unaligned); break;
    case 17: {
        result.length = 0x5a5a;
        const char *text = (const char *)(use_inline ? hm_ipcio_read_string(io, &result.length)
                                                     : ReadString(io, &result.length));
        if (text != NULL)
            check(strlen(text) <= result.length && text[result.length] == '\0');
        result.view = view_offset(text, data);
        break;
    }
    default: {
        size_t wanted = size_hint(op);
        const volatile uint8_t *bytes = use_inline ? hm_ipcio_read_buffer(io, wanted) : ReadBuffer(io, wanted);
        if (bytes != NULL)
            (void)bytes[wanted - 1];
        result.view = view_offset((const void *)(uintptr_t)bytes, data);
        break;
    }
    }
    result.ok = result.ok || IpcIoAvailable(io);
    return result;
}

#undef READ_VALUE

/* Sets up a reader of the kind mode asks for over data (a private copy of length bytes, with room in front for
 * an IpcIoInit object table of entries offsets). No fds are installed: the inline readers read no objects. */
static void set_up_copy(IpcIo *io, char *memory, const char *data, size_t length, uint8_t mode, size_t entries,
                        const size_t *offsets)
{
    if (mode & 1) {
        memcpy(memory, data, length);
        (void)hm_ipcio_init_reader(io, memory, length, (size_t *)(uintptr_t)offsets, entries);
    } else {
        size_t table = entries * sizeof(size_t);
        memcpy(memory, offsets, table);
        memcpy(memory + table, data, length);
        IpcIoInit(io, memory, table + length, entries);
    }
}

/* The functions and the inline readers, side by side over identical copies. */
static void compare_inline_readers(const uint8_t *operations, const char *data, size_t length, uint8_t mode,
                                   size_t entries, const size_t *offsets)
{
    /* Exact sizes, as above, so a read past the data is an ASan report. */
    size_t room = (mode & 1) ? (length > 0 ? length : 1) : entries * sizeof(size_t) + length + 1;
    char *memory_a = malloc(room);
    char *memory_b = malloc(room);
    check(memory_a != NULL && memory_b != NULL);
    IpcIo a, b;
    set_up_copy(&a, memory_a, data, length, mode, entries, offsets);
    set_up_copy(&b, memory_b, data, length, mode, entries, offsets);
    for (size_t i = 0; i < OPERATIONS; i++) {
        struct step_result by_function = run_inline_capable(&a, false, operations[i], memory_a);
        struct step_result by_inline = run_inline_capable(&b, true, operations[i], memory_b);
        check(by_function.ok == by_inline.ok && by_function.value == by_inline.value &&
              by_function.view == by_inline.view && by_function.length == by_inline.length);
        check(a.flag == b.flag && a.bufferLeft == b.bufferLeft &&
              view_offset(a.bufferCur, memory_a) == view_offset(b.bufferCur, memory_b));
    }
    hm_ipcio_release(&a);
    hm_ipcio_release(&b);
    free(memory_a);
    free(memory_b);
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

    compare_inline_readers(operations, data, length, mode, entries, offsets);
    free(offsets);
    free(data);
    return 0;
}
