/*
 * libharmonia's own IpcIo API (hm_ prefix): IpcIo messages in caller memory of any size (a ring slot, a mapped
 * region, a heap block), and what a transport needs to carry a message's objects between processes.
 *
 * An IpcIo set up here is read and written with the functions of <serializer.h> (WriteInt32, ReadString, ...)
 * and produces the same bytes; only the compatible API's limits differ: IpcIoInit caps the buffer at
 * MAX_IO_SIZE (8192) bytes and MAX_OBJ_NUM (32) objects, and items at 8192 bytes, while an IpcIo from
 * hm_ipcio_init() is bounded only by its memory and by uint32 length fields. On such an IpcIo raw data larger
 * than HM_IPCIO_RAW_INLINE_MAX travels as a sealed memfd (an fd object) instead of inline.
 *
 * Objects and the object table (docs/architecture.md, "Messages on a channel"):
 * - Every object is a 24-byte record in the data, at the byte offset its object-table entry gives, laid out as
 *   Linux binder's flat_binder_object: {uint32 type; uint32 flags; uint64 binder-or-handle; uint64 cookie}.
 * - The object table is an array of size_t byte offsets (from the first data byte), strictly increasing.
 * - A transport sends the data, the table and, beside them, the fds of the fd objects in table order
 *   (hm_ipcio_collect_fds, e.g. as SCM_RIGHTS). The receiver sets up a reader over the received data and table
 *   (hm_ipcio_init_reader, which validates the table) and rewrites the fd objects with the fd numbers it
 *   received (hm_ipcio_install_fds). From then on the reader owns those fds until the application takes one
 *   with ReadFileDescriptor; hm_ipcio_release() closes the rest and unmaps raw-data mappings.
 *
 * Conventions: functions return 0 or a negative errno; ret_* outputs are written only on success.
 *
 * Hot paths in C: the static inline hm_ipcio_write_<type> / hm_ipcio_read_<type> at the end of this header are the
 * serializer.h readers and writers with the common case inlined into the caller (same bytes, results, failures).
 */
#ifndef HARMONIA_IPCIO_H
#define HARMONIA_IPCIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <harmonia/export.h>
#include <serializer.h>

HM_EXTERN_C_BEGIN

/* Size of one object record (fd or remote object) in the data. */
#define HM_IPCIO_OBJECT_SIZE 24u
/* Raw data up to this size is written inline; larger raw data (hm_ipcio_init IpcIo only) goes into a memfd. */
#define HM_IPCIO_RAW_INLINE_MAX (32u * 1024u)
/* The largest raw data one item may carry (memfd-backed). */
#define HM_IPCIO_RAW_MAX (128u * 1024u * 1024u)
/* The largest LiteIPC data buffer (IpcIoPushDataBuff). */
#define HM_IPCIO_DATA_BUFF_MAX 65536u

/* Object record types: binder's B_PACK_CHARS(c1, c2, c3, 0x85) codes, as OpenHarmony's Linux build writes them. */
#define HM_IPCIO_TYPE_BINDER 0x73622a85u /* 's','b','*': a local object (SvcIdentity with handle <= 0) */
#define HM_IPCIO_TYPE_HANDLE 0x73682a85u /* 's','h','*': a reference to a remote object (handle > 0) */
#define HM_IPCIO_TYPE_FD 0x66642a85u     /* 'f','d','*': a file descriptor */
/* The flags word of every record: 0x7f | FLAT_BINDER_FLAG_ACCEPTS_FDS. */
#define HM_IPCIO_OBJECT_FLAGS 0x17fu

/* Bits of IpcIo.hmMode. They are part of the ABI: the inline fast path below reads HM_IPCIO_MODE_READER. */
#define HM_IPCIO_MODE_UNBOUNDED 0x1u     /* set up by hm_ipcio_init / _init_reader: no 8192-byte item limit */
#define HM_IPCIO_MODE_READER 0x2u        /* a received (or flipped) message: writes fail */
#define HM_IPCIO_MODE_FDS_INSTALLED 0x4u /* hm_ipcio_install_fds ran: received fds are owned */

/* One object of a message, decoded (hm_ipcio_object_at). */
typedef struct hm_ipcio_object {
    uint32_t type;   /* HM_IPCIO_TYPE_* */
    uint32_t flags;  /* as written */
    size_t offset;   /* byte offset of the record from the first data byte */
    int32_t fd;      /* HM_IPCIO_TYPE_FD: the descriptor number; else -1 */
    int32_t handle;  /* HM_IPCIO_TYPE_HANDLE: the handle; HM_IPCIO_TYPE_BINDER: IPC_INVALID_HANDLE; else 0 */
    uint64_t token;  /* remote objects: SvcIdentity.token; else 0 */
    uint64_t cookie; /* as written (fd objects: 1) */
} hm_ipcio_object;

/*
 * Sets up io to write into caller memory: data_capacity bytes at data and an object table of max_objects
 * size_t entries at offsets (aligned for size_t; may be NULL when max_objects is 0). Any size works; nothing is
 * allocated here. On failure io is left unusable. -EINVAL: NULL io or data, misaligned or missing offsets,
 * data_capacity 0.
 *
 * The memory may be shared with the receiver (a channel slot), which can rewrite it before the message is sent.
 * Such a writer therefore keeps the fds it writes privately (a small node per WriteFileDescriptor, freed by
 * hm_ipcio_release, which every hm_ipcio_init writer needs): hm_ipcio_collect_fds and hm_ipcio_fd_count list what
 * was written, never what a record says by then.
 */
HM_API int hm_ipcio_init(IpcIo *io, void *data, size_t data_capacity, size_t *offsets, size_t max_objects);

/*
 * Sets up io to read a received message: data_length bytes at data and object_count table entries at offsets
 * (aligned for size_t). The data stays writable because hm_ipcio_install_fds rewrites fd numbers in place.
 * Validates the table first: every record lies inside the data, offsets increase by at least
 * HM_IPCIO_OBJECT_SIZE, and every record has a known type. -EINVAL: bad arguments; -EBADMSG: a bad table.
 * On failure io is left unusable.
 */
HM_API int hm_ipcio_init_reader(IpcIo *io, void *data, size_t data_length, size_t *offsets, size_t object_count);

/*
 * Turns a written io into a reader of what was written (in-process delivery, tests): the read cursor starts at
 * the first byte and the object cursor at the first entry. -EINVAL: io unusable.
 */
HM_API int hm_ipcio_flip(IpcIo *io);

/* Bytes of data in the message: written so far (writer) or received (reader). 0 for an unusable io. */
HM_API size_t hm_ipcio_data_length(const IpcIo *io);

/* Objects in the message: written so far (writer) or received (reader). 0 for an unusable io. */
HM_API size_t hm_ipcio_object_count(const IpcIo *io);

/* The index-th object. -EINVAL: bad io or index; -EBADMSG: the record is not a valid object. */
HM_API int hm_ipcio_object_at(const IpcIo *io, size_t index, hm_ipcio_object *ret_object);

/* How many of the message's objects are fd objects (for an hm_ipcio_init writer: the fds it wrote). */
HM_API size_t hm_ipcio_fd_count(const IpcIo *io);

/*
 * Copies the fd numbers of the fd objects, in table order, to fds (room for capacity entries) and their number
 * to *ret_count: what a sender passes as SCM_RIGHTS (for an hm_ipcio_init writer: the fds it wrote, whatever its
 * records say now). -ENOSPC: more than capacity; -EINVAL: bad io.
 */
HM_API int hm_ipcio_collect_fds(const IpcIo *io, int32_t *fds, size_t capacity, size_t *ret_count);

/*
 * Receiver side: rewrites the fd objects of a reader, in table order, with the fd numbers it received, and takes
 * ownership of them (hm_ipcio_release closes the ones the application did not take with ReadFileDescriptor).
 * count must equal hm_ipcio_fd_count(io); nothing changes on failure and the caller still owns the fds.
 * -EPROTO: count mismatch; -EALREADY: fds were installed before; -EINVAL: bad arguments; -ENOMEM.
 */
HM_API int hm_ipcio_install_fds(IpcIo *io, const int32_t *fds, size_t count);

/*
 * Releases what io owns: unmaps raw data mappings, closes the fds it owns (memfds it created for raw data;
 * received fds not taken by ReadFileDescriptor), runs LiteIPC data-buffer free callbacks, and leaves io
 * unusable (its memory is the caller's and is not touched). Safe to call more than once, and on an io whose
 * setup failed. Call it when the message is done: after sending (writer) or after reading (reader).
 */
HM_API void hm_ipcio_release(IpcIo *io);

/* Frees what ReadBoolVector and ReadInt16Vector return. NULL is fine. */
HM_API void hm_ipcio_free(void *vector);

/*
 * Large raw data as a memfd, for writers that fill it themselves (the Java bindings):
 * create an fd of exactly size bytes (1..HM_IPCIO_RAW_MAX) and a writable shared mapping of it, fill the
 * mapping, then seal: hm_ipcio_rawdata_seal unmaps it and seals the memfd against writes, growing and
 * shrinking, so the receiver's read-only view can never change or shrink under it. The fd is close-on-exec and
 * belongs to the caller. -EINVAL: bad size; other errors from memfd_create, ftruncate, mmap, fcntl.
 */
HM_API int hm_ipcio_rawdata_create(size_t size, int32_t *ret_fd, void **ret_addr);
HM_API int hm_ipcio_rawdata_seal(int32_t fd, void *addr, size_t size);

/*
 * Maps a received raw-data memfd read-only after checking that it is exactly size bytes (1..HM_IPCIO_RAW_MAX)
 * and sealed against writes, growing and shrinking. -EBADMSG: wrong size; -EPERM: not sealed; -EBADF.
 * The mapping is the caller's: hm_ipcio_rawdata_unmap releases it. The fd stays open.
 */
HM_API int hm_ipcio_rawdata_map(int32_t fd, size_t size, const void **ret_addr);
HM_API int hm_ipcio_rawdata_unmap(const void *addr, size_t size);

/* A close-on-exec duplicate of fd numbered 3 or above (F_DUPFD_CLOEXEC). */
HM_API int hm_ipcio_fd_dup(int32_t fd, int32_t *ret_fd);

/* close(fd): for callers that hold an fd read from a message and have no other way to close it (Java). */
HM_API int hm_ipcio_fd_close(int32_t fd);

/*
 * Inline fast path: the serializer.h readers and writers as static inline functions, for C code on a hot path.
 *
 * Each hm_ipcio_<op> does exactly what its serializer.h function does (same arguments, same bytes, same return
 * value, same sticky failure) on any IpcIo, from IpcIoInit or from hm_ipcio_init. The common case runs in the
 * caller's code: an IpcIo that is set up and has not failed, with room (writes; never a received message) or
 * data (reads) for the item, and strings and buffers shorter than MAX_IO_SIZE bytes. Everything else, every
 * failure included, calls the exported function, which applies all of its checks and rules. A serializer.h call
 * goes through the shared library's PLT and reloads the IpcIo each time; inline, the checks of consecutive items
 * share loads, values are stored with plain moves and a constant string's length is folded.
 *
 * They read the public IpcIo fields and the HM_IPCIO_MODE_READER bit of hmMode, so code compiled with them
 * depends on the IpcIo layout (as code reading bufferCur does). The serializer.h functions stay the API of
 * OpenHarmony code (and of code that takes their addresses); both can be mixed freely on one IpcIo.
 */

/* Runs each time an inline function hands over to the exported one; a test defines it before including this
 * header to check which path an item took. */
#ifndef HM_IPCIO_ON_SLOW_PATH
#define HM_IPCIO_ON_SLOW_PATH() ((void)0)
#endif

#if defined(__GNUC__) || defined(__clang__)
#define HM_IPCIO_LIKELY(condition) __builtin_expect(!!(condition), 1)
/* The call to the exported function, out of the caller's straight-line path (a cold, separate function). */
#define HM_IPCIO__SLOW static __attribute__((cold, noinline, unused))
#else
#define HM_IPCIO_LIKELY(condition) (condition)
#define HM_IPCIO__SLOW static inline
#endif

/* Whether a write of size bytes (padding included) succeeds with no further check: io is set up, has not
 * failed, is not a received message, and has the room. flag and hmMode are tested in one comparison. */
static inline bool hm_ipcio__can_write(const IpcIo *io, size_t size)
{
    return io != NULL &&
           ((io->flag | (uint64_t)io->hmMode << 32) &
            (IPC_IO_INITIALIZED | IPC_IO_OVERFLOW | (uint64_t)HM_IPCIO_MODE_READER << 32)) == IPC_IO_INITIALIZED &&
           size <= io->bufferLeft;
}

/* Whether a read of size bytes (padding included) succeeds with no further check. */
static inline bool hm_ipcio__can_read(const IpcIo *io, size_t size)
{
    return io != NULL && (io->flag & (IPC_IO_INITIALIZED | IPC_IO_OVERFLOW)) == IPC_IO_INITIALIZED &&
           size <= io->bufferLeft;
}

/* Moves the cursor past size bytes that hm_ipcio__can_write or hm_ipcio__can_read allowed. */
static inline void hm_ipcio__advance(IpcIo *io, size_t size)
{
    io->bufferCur += size;
    io->bufferLeft -= size;
}

/* name(io, value): the value stored in a slot of the slot type (4 or 8 bytes for padded items, zero- or
 * sign-extended as the format says; 1 or 2 bytes for unaligned ones). */
#define HM_IPCIO__INLINE_WRITER(name, fallback, type, slot)                                                     \
    HM_IPCIO__SLOW bool name##__slow(IpcIo *io, type value)                                                     \
    {                                                                                                           \
        HM_IPCIO_ON_SLOW_PATH();                                                                                \
        return fallback(io, value);                                                                             \
    }                                                                                                           \
    static inline bool name(IpcIo *io, type value)                                                              \
    {                                                                                                           \
        slot stored = (slot)value;                                                                              \
        if (HM_IPCIO_LIKELY(hm_ipcio__can_write(io, sizeof stored))) {                                          \
            memcpy(io->bufferCur, &stored, sizeof stored);                                                      \
            hm_ipcio__advance(io, sizeof stored);                                                               \
            return true;                                                                                        \
        }                                                                                                       \
        return name##__slow(io, value);                                                                         \
    }

/* name(io, &value): the value is the first bytes of its slot (little-endian, as the format). */
#define HM_IPCIO__INLINE_READER(name, fallback, type, slot)                                                     \
    HM_IPCIO__SLOW bool name##__slow(IpcIo *io, type *value)                                                    \
    {                                                                                                           \
        HM_IPCIO_ON_SLOW_PATH();                                                                                \
        return fallback(io, value);                                                                             \
    }                                                                                                           \
    static inline bool name(IpcIo *io, type *value)                                                            \
    {                                                                                                           \
        if (HM_IPCIO_LIKELY(value != NULL && hm_ipcio__can_read(io, sizeof(slot)))) {                           \
            memcpy(value, io->bufferCur, sizeof *value);                                                        \
            hm_ipcio__advance(io, sizeof(slot));                                                                \
            return true;                                                                                        \
        }                                                                                                       \
        return name##__slow(io, value);                                                                         \
    }

#define HM_IPCIO__INLINE_SCALAR(writer, write_fallback, reader, read_fallback, type, slot)                      \
    HM_IPCIO__INLINE_WRITER(writer, write_fallback, type, slot)                                                 \
    HM_IPCIO__INLINE_READER(reader, read_fallback, type, slot)

HM_IPCIO__INLINE_SCALAR(hm_ipcio_write_int8, WriteInt8, hm_ipcio_read_int8, ReadInt8, int8_t, uint32_t)
HM_IPCIO__INLINE_SCALAR(hm_ipcio_write_int16, WriteInt16, hm_ipcio_read_int16, ReadInt16, int16_t, uint32_t)
HM_IPCIO__INLINE_SCALAR(hm_ipcio_write_int32, WriteInt32, hm_ipcio_read_int32, ReadInt32, int32_t, int32_t)
HM_IPCIO__INLINE_SCALAR(hm_ipcio_write_int64, WriteInt64, hm_ipcio_read_int64, ReadInt64, int64_t, int64_t)
HM_IPCIO__INLINE_SCALAR(hm_ipcio_write_uint8, WriteUint8, hm_ipcio_read_uint8, ReadUint8, uint8_t, uint32_t)
HM_IPCIO__INLINE_SCALAR(hm_ipcio_write_uint16, WriteUint16, hm_ipcio_read_uint16, ReadUint16, uint16_t, uint32_t)
HM_IPCIO__INLINE_SCALAR(hm_ipcio_write_uint32, WriteUint32, hm_ipcio_read_uint32, ReadUint32, uint32_t, uint32_t)
HM_IPCIO__INLINE_SCALAR(hm_ipcio_write_uint64, WriteUint64, hm_ipcio_read_uint64, ReadUint64, uint64_t, uint64_t)
HM_IPCIO__INLINE_SCALAR(hm_ipcio_write_float, WriteFloat, hm_ipcio_read_float, ReadFloat, float, float)
HM_IPCIO__INLINE_SCALAR(hm_ipcio_write_double, WriteDouble, hm_ipcio_read_double, ReadDouble, double, double)
HM_IPCIO__INLINE_SCALAR(hm_ipcio_write_int8_unaligned, WriteInt8Unaligned, hm_ipcio_read_int8_unaligned,
                        ReadInt8Unaligned, int8_t, int8_t)
HM_IPCIO__INLINE_SCALAR(hm_ipcio_write_int16_unaligned, WriteInt16Unaligned, hm_ipcio_read_int16_unaligned,
                        ReadInt16Unaligned, int16_t, int16_t)
HM_IPCIO__INLINE_SCALAR(hm_ipcio_write_uint8_unaligned, WriteUint8Unaligned, hm_ipcio_read_uint8_unaligned,
                        ReadUInt8Unaligned, uint8_t, uint8_t)
HM_IPCIO__INLINE_SCALAR(hm_ipcio_write_uint16_unaligned, WriteUint16Unaligned, hm_ipcio_read_uint16_unaligned,
                        ReadUInt16Unaligned, uint16_t, uint16_t)
HM_IPCIO__INLINE_WRITER(hm_ipcio_write_bool, WriteBool, bool, uint32_t)
HM_IPCIO__INLINE_WRITER(hm_ipcio_write_bool_unaligned, WriteBoolUnaligned, bool, uint8_t)
HM_IPCIO__INLINE_WRITER(hm_ipcio_write_pointer, WritePointer, uintptr_t, uintptr_t)

HM_IPCIO__SLOW bool hm_ipcio_read_bool__slow(IpcIo *io, bool *value)
{
    HM_IPCIO_ON_SLOW_PATH();
    return ReadBool(io, value);
}

/* ReadBool: the first byte of the slot, non-zero meaning true (copying any other byte into a bool is undefined). */
static inline bool hm_ipcio_read_bool(IpcIo *io, bool *value)
{
    if (HM_IPCIO_LIKELY(value != NULL && hm_ipcio__can_read(io, sizeof(uint32_t)))) {
        *value = io->bufferCur[0] != 0;
        hm_ipcio__advance(io, sizeof(uint32_t));
        return true;
    }
    return hm_ipcio_read_bool__slow(io, value);
}

HM_IPCIO__SLOW bool hm_ipcio_read_bool_unaligned__slow(IpcIo *io, bool *value)
{
    HM_IPCIO_ON_SLOW_PATH();
    return ReadBoolUnaligned(io, value);
}

/* ReadBoolUnaligned: one byte, non-zero meaning true. */
static inline bool hm_ipcio_read_bool_unaligned(IpcIo *io, bool *value)
{
    if (HM_IPCIO_LIKELY(value != NULL && hm_ipcio__can_read(io, 1))) {
        *value = io->bufferCur[0] != 0;
        hm_ipcio__advance(io, 1);
        return true;
    }
    return hm_ipcio_read_bool_unaligned__slow(io, value);
}

HM_IPCIO__SLOW uintptr_t hm_ipcio_read_pointer__slow(IpcIo *io)
{
    HM_IPCIO_ON_SLOW_PATH();
    return ReadPointer(io);
}

/* ReadPointer: the value, or 0 on failure. */
static inline uintptr_t hm_ipcio_read_pointer(IpcIo *io)
{
    uintptr_t value;
    if (HM_IPCIO_LIKELY(hm_ipcio__can_read(io, sizeof value))) {
        memcpy(&value, io->bufferCur, sizeof value);
        hm_ipcio__advance(io, sizeof value);
        return value;
    }
    return hm_ipcio_read_pointer__slow(io);
}

/* Writes a string item of len bytes (strlen(value)) if that takes no further check: len below MAX_IO_SIZE (so
 * no length arithmetic can overflow) and the room. Returns false, having changed nothing, otherwise. */
static inline bool hm_ipcio__try_write_string(IpcIo *io, const char *value, size_t len)
{
    size_t item = (sizeof(uint32_t) + len + 1 + 3) & ~(size_t)3;
    if (!HM_IPCIO_LIKELY(len < MAX_IO_SIZE && hm_ipcio__can_write(io, item)))
        return false;
    char *at = io->bufferCur;
    uint32_t stored = (uint32_t)len, zero = 0;
    memcpy(at + item - sizeof zero, &zero, sizeof zero); /* the padding; the text then overwrites its front */
    memcpy(at, &stored, sizeof stored);
    memcpy(at + sizeof stored, value, len + 1);
    hm_ipcio__advance(io, item);
    return true;
}

/* Reads a string item if that takes no further check (a stored length below MAX_IO_SIZE, the item present, its
 * NUL in place); NULL, having changed nothing, otherwise. */
static inline uint8_t *hm_ipcio__try_read_string(IpcIo *io, size_t *len)
{
    if (!HM_IPCIO_LIKELY(hm_ipcio__can_read(io, sizeof(uint32_t))))
        return NULL;
    char *at = io->bufferCur;
    uint32_t stored;
    memcpy(&stored, at, sizeof stored);
    /* Below MAX_IO_SIZE the item size cannot overflow, even with a 32-bit size_t. */
    size_t item = (sizeof(uint32_t) + (size_t)stored + 1 + 3) & ~(size_t)3;
    if (!HM_IPCIO_LIKELY(stored < MAX_IO_SIZE && item <= io->bufferLeft && at[sizeof stored + stored] == '\0'))
        return NULL;
    hm_ipcio__advance(io, item);
    if (len != NULL)
        *len = stored;
    return (uint8_t *)(at + sizeof stored);
}

HM_IPCIO__SLOW bool hm_ipcio_write_string__slow(IpcIo *io, const char *value)
{
    HM_IPCIO_ON_SLOW_PATH();
    return WriteString(io, value);
}

/* WriteString: uint32 length, the bytes, a NUL, zero padding to 4. value must be a NUL-terminated string. */
static inline bool hm_ipcio_write_string(IpcIo *io, const char *value)
{
    /* strlen, not WriteString's bounded strnlen: strnlen is POSIX, not C, and strlen of a constant string is
     * folded to a constant. A string of MAX_IO_SIZE bytes or more takes WriteString's path. */
    if (HM_IPCIO_LIKELY(value != NULL && hm_ipcio__try_write_string(io, value, strlen(value))))
        return true;
    return hm_ipcio_write_string__slow(io, value);
}

HM_IPCIO__SLOW uint8_t *hm_ipcio_read_string__slow(IpcIo *io, size_t *len)
{
    HM_IPCIO_ON_SLOW_PATH();
    return ReadString(io, len);
}

/* ReadString: a view of the bytes (NUL-terminated) and their length without the NUL, or NULL. */
static inline uint8_t *hm_ipcio_read_string(IpcIo *io, size_t *len)
{
    uint8_t *text = hm_ipcio__try_read_string(io, len);
    return HM_IPCIO_LIKELY(text != NULL) ? text : hm_ipcio_read_string__slow(io, len);
}

HM_IPCIO__SLOW bool hm_ipcio_write_buffer__slow(IpcIo *io, const void *data, size_t size)
{
    HM_IPCIO_ON_SLOW_PATH();
    return WriteBuffer(io, data, size);
}

/* WriteBuffer: the bytes, zero padding to 4. */
static inline bool hm_ipcio_write_buffer(IpcIo *io, const void *data, size_t size)
{
    size_t item = (size + 3) & ~(size_t)3;
    /* size - 1 < MAX_IO_SIZE: 1..MAX_IO_SIZE bytes (0 wraps around and takes WriteBuffer's path). */
    if (HM_IPCIO_LIKELY(data != NULL && size - 1 < MAX_IO_SIZE && hm_ipcio__can_write(io, item))) {
        uint32_t zero = 0;
        memcpy(io->bufferCur + item - sizeof zero, &zero, sizeof zero); /* the padding; the data overwrites it */
        memcpy(io->bufferCur, data, size);
        hm_ipcio__advance(io, item);
        return true;
    }
    return hm_ipcio_write_buffer__slow(io, data, size);
}

HM_IPCIO__SLOW const uint8_t *hm_ipcio_read_buffer__slow(IpcIo *io, size_t size)
{
    HM_IPCIO_ON_SLOW_PATH();
    return ReadBuffer(io, size);
}

/* ReadBuffer: a view of size bytes (the padding after them is skipped), or NULL. */
static inline const uint8_t *hm_ipcio_read_buffer(IpcIo *io, size_t size)
{
    size_t item = (size + 3) & ~(size_t)3;
    if (HM_IPCIO_LIKELY(size - 1 < MAX_IO_SIZE && hm_ipcio__can_read(io, item))) {
        const uint8_t *at = (const uint8_t *)io->bufferCur;
        hm_ipcio__advance(io, item);
        return at;
    }
    return hm_ipcio_read_buffer__slow(io, size);
}

#undef HM_IPCIO__INLINE_SCALAR
#undef HM_IPCIO__INLINE_READER
#undef HM_IPCIO__INLINE_WRITER

HM_EXTERN_C_END

#endif /* HARMONIA_IPCIO_H */
