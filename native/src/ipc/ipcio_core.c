/*
 * The IpcIo format: set-up, the cursor, scalars, strings, buffers, raw data and vectors.
 * Every item is checked in full (room, limits, overflow) before a byte is written or the cursor moves, so a
 * failed item changes nothing but the sticky IPC_IO_OVERFLOW flag.
 */
#include "ipcio_internal.h"

#include <errno.h>
#include <stdalign.h>
#include <stdlib.h>

void hm_ipcio__set_unusable(IpcIo *io)
{
    memset(io, 0, sizeof *io);
    io->flag = IPC_IO_OVERFLOW;
}

void IpcIoInit(IpcIo *io, void *buffer, size_t bufferSize, size_t maxobjects)
{
    if (io == NULL)
        return;
    /* OpenHarmony returns here without touching io, so a stack IpcIo keeps whatever garbage it held and may
     * look initialized; ours is zeroed and marked failed instead. */
    size_t table_size = maxobjects * sizeof(size_t); /* maxobjects <= 32 once checked: cannot overflow */
    if (buffer == NULL || bufferSize == 0 || bufferSize > MAX_IO_SIZE || maxobjects > MAX_OBJ_NUM ||
        table_size > bufferSize) {
        hm_ipcio__set_unusable(io);
        return;
    }
    memset(io, 0, sizeof *io);
    io->offsetsBase = io->offsetsCur = (size_t *)buffer;
    io->bufferBase = io->bufferCur = (char *)buffer + table_size;
    io->bufferLeft = bufferSize - table_size;
    io->offsetsLeft = maxobjects;
    io->flag = IPC_IO_INITIALIZED;
}

int hm_ipcio_init(IpcIo *io, void *data, size_t data_capacity, size_t *offsets, size_t max_objects)
{
    if (io == NULL)
        return -EINVAL;
    if (data == NULL || data_capacity == 0 || (max_objects > 0 && offsets == NULL) ||
        (uintptr_t)offsets % alignof(size_t) != 0) {
        hm_ipcio__set_unusable(io);
        return -EINVAL;
    }
    *io = (IpcIo){
        .bufferBase = data,
        .bufferCur = data,
        .offsetsBase = offsets,
        .offsetsCur = offsets,
        .bufferLeft = data_capacity,
        .offsetsLeft = max_objects,
        .flag = IPC_IO_INITIALIZED,
        .hmMode = HM_IPCIO_MODE_UNBOUNDED,
    };
    return 0;
}

static bool is_object_type(uint32_t type)
{
    return type == HM_IPCIO_TYPE_FD || type == HM_IPCIO_TYPE_BINDER || type == HM_IPCIO_TYPE_HANDLE;
}

int hm_ipcio_init_reader(IpcIo *io, void *data, size_t data_length, size_t *offsets, size_t object_count)
{
    if (io == NULL)
        return -EINVAL;
    int err = -EINVAL;
    if ((data == NULL && data_length > 0) || (object_count > 0 && offsets == NULL) ||
        (uintptr_t)offsets % alignof(size_t) != 0)
        goto fail;
    /* The table comes from another process: every record must lie inside the data, records must not overlap,
     * and each must be an object we know, before anything reads them. */
    err = -EBADMSG;
    size_t previous_end = 0;
    for (size_t i = 0; i < object_count; i++) {
        size_t offset = offsets[i];
        if (offset > data_length || data_length - offset < HM_IPCIO_OBJECT_SIZE || offset < previous_end)
            goto fail;
        if (!is_object_type(hm_ipcio__load_u32((const char *)data + offset + HM_IPCIO_OBJ_TYPE)))
            goto fail;
        previous_end = offset + HM_IPCIO_OBJECT_SIZE;
    }
    memset(io, 0, sizeof *io);
    io->bufferBase = io->bufferCur = data;
    io->offsetsBase = io->offsetsCur = offsets;
    io->bufferLeft = data_length;
    io->offsetsLeft = object_count;
    io->flag = IPC_IO_INITIALIZED;
    io->hmMode = HM_IPCIO_MODE_UNBOUNDED | HM_IPCIO_MODE_READER;
    return 0;

fail:
    hm_ipcio__set_unusable(io);
    return err;
}

size_t hm_ipcio_data_length(const IpcIo *io)
{
    return hm_ipcio__data_length(io);
}

size_t hm_ipcio_object_count(const IpcIo *io)
{
    return hm_ipcio__object_count(io);
}

int hm_ipcio_flip(IpcIo *io)
{
    if (!hm_ipcio__usable(io))
        return -EINVAL;
    size_t length = hm_ipcio__data_length(io);
    size_t objects = hm_ipcio__object_count(io);
    io->bufferCur = io->bufferBase;
    io->bufferLeft = length;
    io->offsetsCur = io->offsetsBase;
    io->offsetsLeft = objects;
    io->hmMode |= HM_IPCIO_MODE_READER;
    return 0;
}

void hm_ipcio_free(void *vector)
{
    free(vector);
}

bool IpcIoAppend(IpcIo *dst, IpcIo *src)
{
    if (!hm_ipcio__usable(dst) || !hm_ipcio__usable(src) || dst == src)
        return hm_ipcio__fail(dst);
    size_t length = hm_ipcio__data_length(src);
    size_t objects = hm_ipcio__object_count(src);
    /* Objects without bytes cannot be relocated (OpenHarmony rejects this too). */
    if ((length == 0 && objects != 0) || objects > dst->offsetsLeft)
        return hm_ipcio__fail(dst);
    /* A tracked writer keeps its fds privately (see hm_ipcio__tracks_fds): src's come along. */
    struct hm_ipcio_resource *sent = NULL;
    if (hm_ipcio__tracks_fds(dst) && !hm_ipcio__sent_fds_of(src, hm_ipcio__object_count(dst), &sent))
        return hm_ipcio__fail(dst);
    char *at = hm_ipcio__push(dst, length, true);
    if (at == NULL) {
        hm_ipcio__free_list(sent);
        return false;
    }
    memcpy(at, src->bufferBase, length);
    size_t shift = (size_t)(at - dst->bufferBase);
    for (size_t i = 0; i < objects; i++)
        hm_ipcio__store_offset(dst->offsetsCur + i, hm_ipcio__load_offset(src->offsetsBase + i) + shift);
    dst->offsetsCur += objects;
    dst->offsetsLeft -= objects;
    hm_ipcio__link_list(dst, sent);
    return true;
}

/* ---- scalars ---- */

/*
 * Every scalar Write and Read tests the common case first, with the test of the inline fast path in
 * harmonia/ipcio.h (set up, not failed, room or data for the item), and does only the store or load there.
 * Everything else goes to one out-of-line function per direction that applies every rule (and fails).
 */
static __attribute__((noinline, cold)) bool write_scalar_slow(IpcIo *io, uint64_t bits, size_t size)
{
    char *at = hm_ipcio__push(io, size, false);
    if (at == NULL)
        return false;
    memcpy(at, &bits, size);
    return true;
}

/* Writes the first size bytes (1, 2, 4 or 8: a whole slot, so no padding) of bits, which holds the value's bytes
 * (little-endian). The value travels by value: taking its address would make every call spill it to the stack. */
HM_IPCIO_HOT bool write_scalar(IpcIo *io, uint64_t bits, size_t size)
{
    if (HM_IPCIO_LIKELY(hm_ipcio__can_write(io, size))) {
        memcpy(io->bufferCur, &bits, size);
        hm_ipcio__advance(io, size);
        return true;
    }
    return write_scalar_slow(io, bits, size);
}

static __attribute__((noinline, cold)) bool read_value_slow(IpcIo *io, void *value, size_t size, bool padded)
{
    if (value == NULL)
        return hm_ipcio__fail(io);
    const char *at = hm_ipcio__pop(io, size, padded);
    if (at == NULL)
        return false;
    memcpy(value, at, size);
    return true;
}

/* Reads a value of size (a compile-time constant of 1..8) from a slot of size bytes, or of 4 when padded. */
HM_IPCIO_HOT bool read_value(IpcIo *io, void *value, size_t size, bool padded)
{
    size_t slot = padded ? (size + HM_IPCIO_ALIGN - 1u) & ~(size_t)(HM_IPCIO_ALIGN - 1u) : size;
    if (HM_IPCIO_LIKELY(value != NULL && hm_ipcio__can_read(io, slot))) {
        memcpy(value, io->bufferCur, size);
        hm_ipcio__advance(io, slot);
        return true;
    }
    return read_value_slow(io, value, size, padded);
}

/* A bool is the first byte of its slot, non-zero meaning true (storing any other byte into a C bool is UB). */
HM_IPCIO_HOT bool read_bool(IpcIo *io, bool *value, bool padded)
{
    uint8_t byte;
    if (value == NULL)
        return hm_ipcio__fail(io);
    if (!read_value(io, &byte, 1, padded))
        return false;
    *value = byte != 0;
    return true;
}

/* Values stored as they are: 4- and 8-byte slots (aligned) and 1- and 2-byte ones (unaligned). */
#define HM_SCALAR(writer, reader, type, padded)                                                                 \
    bool writer(IpcIo *io, type value)                                                                          \
    {                                                                                                           \
        uint64_t bits = 0; /* the value's bytes, little-endian */                                               \
        memcpy(&bits, &value, sizeof value);                                                                    \
        return write_scalar(io, bits, sizeof value);                                                            \
    }                                                                                                           \
    bool reader(IpcIo *io, type *value)                                                                         \
    {                                                                                                           \
        return read_value(io, value, sizeof *value, padded);                                                    \
    }

HM_SCALAR(WriteInt32, ReadInt32, int32_t, true)
HM_SCALAR(WriteUint32, ReadUint32, uint32_t, true)
HM_SCALAR(WriteInt64, ReadInt64, int64_t, true)
HM_SCALAR(WriteUint64, ReadUint64, uint64_t, true)
HM_SCALAR(WriteFloat, ReadFloat, float, true)
HM_SCALAR(WriteDouble, ReadDouble, double, true)
HM_SCALAR(WriteInt8Unaligned, ReadInt8Unaligned, int8_t, false)
HM_SCALAR(WriteInt16Unaligned, ReadInt16Unaligned, int16_t, false)
HM_SCALAR(WriteUint8Unaligned, ReadUInt8Unaligned, uint8_t, false)
HM_SCALAR(WriteUint16Unaligned, ReadUInt16Unaligned, uint16_t, false)

/* The widening writers store the int32 themselves: a call to the exported WriteInt32 would go through the PLT.
 * Their readers take the first bytes of the slot (little-endian). */
HM_IPCIO_HOT bool write_slot(IpcIo *io, uint32_t slot)
{
    return write_scalar(io, slot, sizeof slot);
}

bool WriteBool(IpcIo *io, bool value)
{
    return write_slot(io, value ? 1u : 0u);
}

bool WriteInt8(IpcIo *io, int8_t value)
{
    return write_slot(io, (uint32_t)(int32_t)value);
}

bool WriteInt16(IpcIo *io, int16_t value)
{
    return write_slot(io, (uint32_t)(int32_t)value);
}

bool WriteUint8(IpcIo *io, uint8_t value)
{
    return write_slot(io, value);
}

bool WriteUint16(IpcIo *io, uint16_t value)
{
    return write_slot(io, value);
}

bool WriteBoolUnaligned(IpcIo *io, bool value)
{
    return write_scalar(io, value ? 1u : 0u, 1);
}

bool WritePointer(IpcIo *io, uintptr_t value)
{
    return write_scalar(io, value, sizeof value);
}

bool ReadBool(IpcIo *io, bool *value)
{
    return read_bool(io, value, true);
}

bool ReadInt8(IpcIo *io, int8_t *value)
{
    return read_value(io, value, sizeof *value, true);
}

bool ReadInt16(IpcIo *io, int16_t *value)
{
    return read_value(io, value, sizeof *value, true);
}

bool ReadUint8(IpcIo *io, uint8_t *value)
{
    return read_value(io, value, sizeof *value, true);
}

bool ReadUint16(IpcIo *io, uint16_t *value)
{
    return read_value(io, value, sizeof *value, true);
}

uintptr_t ReadPointer(IpcIo *io)
{
    uintptr_t value = 0;
    return read_value(io, &value, sizeof value, true) ? value : 0;
}

bool ReadBoolUnaligned(IpcIo *io, bool *value)
{
    return read_bool(io, value, false);
}

/* ---- strings ---- */

/* Every case the fast path in WriteString leaves: NULL, failed, full, long strings. */
static __attribute__((noinline, cold)) bool write_string_slow(IpcIo *io, const char *value)
{
    if (value == NULL || !hm_ipcio__usable(io))
        return hm_ipcio__fail(io);
    /* The compatible API stops at MAX_IO_SIZE bytes (a length of exactly 8192 fails, as in OpenHarmony);
     * otherwise the length and the NUL must fit the uint32 length field. */
    size_t len = hm_ipcio__bounded(io) ? strnlen(value, MAX_IO_SIZE) : strlen(value);
    if ((hm_ipcio__bounded(io) && len >= MAX_IO_SIZE) || (uint64_t)len >= UINT32_MAX)
        return hm_ipcio__fail(io);
    char *at = hm_ipcio__push(io, sizeof(uint32_t) + len + 1, true);
    if (at == NULL)
        return false;
    hm_ipcio__store_u32(at, (uint32_t)len);
    memcpy(at + sizeof(uint32_t), value, len + 1);
    return true;
}

bool WriteString(IpcIo *io, const char *value)
{
    /* The fast path of harmonia/ipcio.h; the bounded strnlen keeps a compatible IpcIo from scanning past
     * MAX_IO_SIZE bytes. */
    if (HM_IPCIO_LIKELY(value != NULL && hm_ipcio__try_write_string(io, value, strnlen(value, MAX_IO_SIZE))))
        return true;
    return write_string_slow(io, value);
}

static __attribute__((noinline, cold)) uint8_t *read_string_slow(IpcIo *io, size_t *len)
{
    uint32_t stored;
    if (!hm_ipcio__peek_u32(io, &stored))
        return NULL;
    size_t item;
    if ((hm_ipcio__bounded(io) && stored > MAX_IO_SIZE) || stored == UINT32_MAX ||
        !hm_ipcio__add(sizeof(uint32_t) + 1, stored, &item)) {
        hm_ipcio__fail(io);
        return NULL;
    }
    /* OpenHarmony returns the bytes without checking that the NUL it promises is there. */
    const char *at = hm_ipcio__peek(io, item, true);
    if (at == NULL || at[sizeof(uint32_t) + stored] != '\0') {
        hm_ipcio__fail(io);
        return NULL;
    }
    at = hm_ipcio__pop(io, item, true);
    if (len != NULL)
        *len = stored;
    return (uint8_t *)(uintptr_t)(at + sizeof(uint32_t));
}

uint8_t *ReadString(IpcIo *io, size_t *len)
{
    uint8_t *text = hm_ipcio__try_read_string(io, len);
    return HM_IPCIO_LIKELY(text != NULL) ? text : read_string_slow(io, len);
}

static bool write_string16(IpcIo *io, const uint16_t *value, size_t len)
{
    if (value == NULL || len == 0 || !hm_ipcio__usable(io))
        return hm_ipcio__fail(io);
    size_t bytes;
    if ((hm_ipcio__bounded(io) && len > HM_IPCIO_COMPAT_STRING16_MAX) || (uint64_t)len >= UINT32_MAX ||
        !hm_ipcio__mul(len + 1, sizeof(uint16_t), &bytes) || bytes > SIZE_MAX - sizeof(uint32_t))
        return hm_ipcio__fail(io);
    char *at = hm_ipcio__push(io, sizeof(uint32_t) + bytes, true);
    if (at == NULL)
        return false;
    hm_ipcio__store_u32(at, (uint32_t)len);
    memcpy(at + sizeof(uint32_t), value, len * sizeof(uint16_t));
    memset(at + sizeof(uint32_t) + len * sizeof(uint16_t), 0, sizeof(uint16_t));
    return true;
}

static uint16_t *read_string16(IpcIo *io, size_t *len)
{
    uint32_t stored;
    if (len == NULL) {
        hm_ipcio__fail(io);
        return NULL;
    }
    if (!hm_ipcio__peek_u32(io, &stored))
        return NULL;
    /* (stored + 1) * 2 wraps a 32-bit size_t for large lengths; OpenHarmony then read the terminator out of
     * bounds (and through NULL when the pop failed). */
    size_t units, bytes, item;
    if ((hm_ipcio__bounded(io) && stored > HM_IPCIO_COMPAT_STRING16_MAX) ||
        !hm_ipcio__add(stored, 1, &units) || !hm_ipcio__mul(units, sizeof(uint16_t), &bytes) ||
        !hm_ipcio__add(bytes, sizeof(uint32_t), &item)) {
        hm_ipcio__fail(io);
        return NULL;
    }
    const char *at = hm_ipcio__peek(io, item, true);
    if (at == NULL)
        return NULL;
    const char *terminator = at + sizeof(uint32_t) + (size_t)stored * sizeof(uint16_t);
    if (terminator[0] != 0 || terminator[1] != 0) {
        hm_ipcio__fail(io);
        return NULL;
    }
    at = hm_ipcio__pop(io, item, true);
    *len = stored;
    return (uint16_t *)(uintptr_t)(at + sizeof(uint32_t));
}

bool WriteString16(IpcIo *io, const uint16_t *value, size_t len)
{
    return write_string16(io, value, len);
}

bool WriteInterfaceToken(IpcIo *io, const uint16_t *name, size_t len)
{
    return write_string16(io, name, len);
}

uint16_t *ReadString16(IpcIo *io, size_t *size)
{
    return read_string16(io, size);
}

uint16_t *ReadInterfaceToken(IpcIo *io, size_t *size)
{
    return read_string16(io, size);
}

/* ---- buffers and raw data ---- */

bool WriteBuffer(IpcIo *io, const void *data, size_t size)
{
    if (data == NULL || size == 0 || (io != NULL && hm_ipcio__bounded(io) && size > MAX_IO_SIZE))
        return hm_ipcio__fail(io);
    char *at = hm_ipcio__push(io, size, true);
    if (at == NULL)
        return false;
    memcpy(at, data, size);
    return true;
}

const uint8_t *ReadBuffer(IpcIo *io, size_t size)
{
    if (size == 0) {
        hm_ipcio__fail(io);
        return NULL;
    }
    return (const uint8_t *)hm_ipcio__pop(io, size, true);
}

bool hm_ipcio__write_sized_inline(IpcIo *io, const void *data, size_t size)
{
    if (data == NULL || size == 0 || !hm_ipcio__fits_u32(size) || size > SIZE_MAX - sizeof(uint32_t))
        return hm_ipcio__fail(io);
    char *at = hm_ipcio__push(io, sizeof(uint32_t) + size, true);
    if (at == NULL)
        return false;
    hm_ipcio__store_u32(at, (uint32_t)size);
    memcpy(at + sizeof(uint32_t), data, size);
    return true;
}

const char *hm_ipcio__read_sized_inline(IpcIo *io, bool exact, size_t size_or_max, uint32_t *ret_size)
{
    uint32_t stored;
    if (!hm_ipcio__peek_u32(io, &stored))
        return NULL;
    size_t item;
    if ((exact ? stored != size_or_max : stored > size_or_max) ||
        !hm_ipcio__add(sizeof(uint32_t), stored, &item)) {
        hm_ipcio__fail(io);
        return NULL;
    }
    const char *at = hm_ipcio__pop(io, item, true);
    if (at == NULL)
        return NULL;
    *ret_size = stored;
    return at + sizeof(uint32_t);
}

bool WriteRawData(IpcIo *io, const void *data, size_t size)
{
    if (io == NULL || data == NULL || size == 0)
        return hm_ipcio__fail(io);
    if (hm_ipcio__bounded(io))
        return size <= MAX_IO_SIZE ? hm_ipcio__write_sized_inline(io, data, size) : hm_ipcio__fail(io);
    if (size > HM_IPCIO_RAW_MAX)
        return hm_ipcio__fail(io);
    return size <= HM_IPCIO_RAW_INLINE_MAX ? hm_ipcio__write_sized_inline(io, data, size)
                                           : hm_ipcio__write_memfd_item(io, data, size);
}

void *ReadRawData(IpcIo *io, size_t size)
{
    uint32_t stored;
    if (io == NULL || size == 0 || size > (hm_ipcio__bounded(io) ? MAX_IO_SIZE : HM_IPCIO_RAW_MAX)) {
        hm_ipcio__fail(io);
        return NULL;
    }
    if (!hm_ipcio__bounded(io) && size > HM_IPCIO_RAW_INLINE_MAX)
        return (void *)(uintptr_t)hm_ipcio__read_memfd_item(io, size, size, NULL);
    return (void *)(uintptr_t)hm_ipcio__read_sized_inline(io, true, size, &stored);
}

/* ---- vectors ---- */

/* uint32 count, then count elements packed, no padding after (OpenHarmony writes them unaligned). */
static bool write_packed_vector(IpcIo *io, const void *values, size_t count, size_t element_size)
{
    size_t bytes;
    if (values == NULL || count == 0 || !hm_ipcio__fits_u32(count) ||
        !hm_ipcio__mul(count, element_size, &bytes) || bytes > SIZE_MAX - sizeof(uint32_t))
        return hm_ipcio__fail(io);
    char *at = hm_ipcio__push(io, sizeof(uint32_t) + bytes, false);
    if (at == NULL)
        return false;
    hm_ipcio__store_u32(at, (uint32_t)count);
    memcpy(at + sizeof(uint32_t), values, bytes);
    return true;
}

/*
 * The count is decoded as a uint32 and widened explicitly: OpenHarmony read it straight into the caller's
 * size_t, leaving its high bits as they were, and multiplied without an overflow check.
 */
static void *read_packed_vector(IpcIo *io, size_t *size, size_t element_size)
{
    uint32_t count;
    if (size == NULL) {
        hm_ipcio__fail(io);
        return NULL;
    }
    if (!hm_ipcio__peek_u32(io, &count))
        return NULL;
    size_t bytes, item;
    if (!hm_ipcio__mul(count, element_size, &bytes) ||
        (hm_ipcio__bounded(io) && element_size > 1 && bytes > MAX_IO_SIZE) ||
        !hm_ipcio__add(bytes, sizeof(uint32_t), &item)) {
        hm_ipcio__fail(io);
        return NULL;
    }
    const char *at = hm_ipcio__pop(io, item, false);
    if (at == NULL)
        return NULL;
    *size = count;
    return (void *)(uintptr_t)(at + sizeof(uint32_t));
}

/* Bool and Int16 vectors: uint32 count, then one int32 slot per element. */
static char *push_widened_vector(IpcIo *io, const void *values, size_t count)
{
    size_t bytes;
    if (values == NULL || count == 0 || !hm_ipcio__fits_u32(count) ||
        !hm_ipcio__mul(count, sizeof(int32_t), &bytes) || bytes > SIZE_MAX - sizeof(uint32_t)) {
        hm_ipcio__fail(io);
        return NULL;
    }
    char *at = hm_ipcio__push(io, sizeof(uint32_t) + bytes, false);
    if (at != NULL)
        hm_ipcio__store_u32(at, (uint32_t)count);
    return at;
}

/* Checks a widened vector at the cursor and allocates its result before consuming anything: OpenHarmony
 * allocated first, so any 4-byte count made it try a huge allocation. The slots are returned via ret_slots. */
static void *pop_widened_vector(IpcIo *io, size_t *size, size_t element_size, const char **ret_slots)
{
    uint32_t count;
    if (size == NULL) {
        hm_ipcio__fail(io);
        return NULL;
    }
    if (!hm_ipcio__peek_u32(io, &count))
        return NULL;
    size_t bytes, item;
    if (!hm_ipcio__mul(count, sizeof(int32_t), &bytes) || !hm_ipcio__add(bytes, sizeof(uint32_t), &item) ||
        hm_ipcio__peek(io, item, false) == NULL) {
        hm_ipcio__fail(io);
        return NULL;
    }
    /* At least one byte, so an empty vector is a non-NULL pointer the caller frees like any other. */
    void *result = malloc(count > 0 ? (size_t)count * element_size : 1);
    if (result == NULL) {
        hm_ipcio__fail(io);
        return NULL;
    }
    *ret_slots = hm_ipcio__pop(io, item, false) + sizeof(uint32_t);
    *size = count;
    return result;
}

bool WriteBoolVector(IpcIo *io, const bool *val, size_t size)
{
    char *at = push_widened_vector(io, val, size);
    if (at == NULL)
        return false;
    for (size_t i = 0; i < size; i++)
        hm_ipcio__store_u32(at + sizeof(uint32_t) + i * sizeof(int32_t), val[i] ? 1u : 0u);
    return true;
}

bool WriteInt16Vector(IpcIo *io, const int16_t *val, size_t size)
{
    char *at = push_widened_vector(io, val, size);
    if (at == NULL)
        return false;
    for (size_t i = 0; i < size; i++)
        hm_ipcio__store_u32(at + sizeof(uint32_t) + i * sizeof(int32_t), (uint32_t)(int32_t)val[i]);
    return true;
}

bool *ReadBoolVector(IpcIo *io, size_t *size)
{
    const char *slots;
    size_t count = 0;
    bool *result = pop_widened_vector(io, size == NULL ? NULL : &count, sizeof(bool), &slots);
    if (result == NULL)
        return NULL;
    for (size_t i = 0; i < count; i++)
        result[i] = hm_ipcio__load_u32(slots + i * sizeof(int32_t)) != 0;
    *size = count;
    return result;
}

int16_t *ReadInt16Vector(IpcIo *io, size_t *size)
{
    const char *slots;
    size_t count = 0;
    int16_t *result = pop_widened_vector(io, size == NULL ? NULL : &count, sizeof(int16_t), &slots);
    if (result == NULL)
        return NULL;
    for (size_t i = 0; i < count; i++)
        result[i] = (int16_t)(uint16_t)(hm_ipcio__load_u32(slots + i * sizeof(int32_t)) & 0xffffu);
    *size = count;
    return result;
}

/* The packed vectors differ only in their element type: one definition writes and reads each. */
#define HM_PACKED_VECTOR(writer, reader, type)                                                                  \
    bool writer(IpcIo *io, const type *val, size_t size)                                                        \
    {                                                                                                           \
        return write_packed_vector(io, val, size, sizeof(type));                                                \
    }                                                                                                           \
    type *reader(IpcIo *io, size_t *size)                                                                       \
    {                                                                                                           \
        return read_packed_vector(io, size, sizeof(type));                                                      \
    }

HM_PACKED_VECTOR(WriteInt8Vector, ReadInt8Vector, int8_t)
HM_PACKED_VECTOR(WriteInt32Vector, ReadInt32Vector, int32_t)
HM_PACKED_VECTOR(WriteInt64Vector, ReadInt64Vector, int64_t)
HM_PACKED_VECTOR(WriteUInt8Vector, ReadUInt8Vector, uint8_t)
HM_PACKED_VECTOR(WriteUInt16Vector, ReadUInt16Vector, uint16_t)
HM_PACKED_VECTOR(WriteUInt32Vector, ReadUInt32Vector, uint32_t)
HM_PACKED_VECTOR(WriteUInt64Vector, ReadUInt64Vector, uint64_t)
HM_PACKED_VECTOR(WriteFloatVector, ReadFloatVector, float)
HM_PACKED_VECTOR(WriteDoubleVector, ReadDoubleVector, double)
