/*
 * Shared by the IpcIo sources: the cursor primitives every Write and Read goes through, the object records,
 * and what an IpcIo owns. Nothing here is exported (hidden visibility); the hm_ipcio__ prefix marks internals.
 */
#ifndef HARMONIA_SRC_IPC_IPCIO_INTERNAL_H
#define HARMONIA_SRC_IPC_IPCIO_INTERNAL_H

#include <harmonia/ipcio.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The format widens, pads and reads narrow values by taking the first bytes of a 4-byte slot: that is only the
 * same value on a little-endian host. Every target (x86_64, aarch64, armhf) is little-endian. */
#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the IpcIo format assumes a little-endian host"
#endif

#define HM_IPCIO_ALIGN 4u

/* For the few helpers every Write and Read goes through: a call per item would cost more than the item. */
#define HM_IPCIO_HOT static inline __attribute__((always_inline))

/* Offsets inside an object record (binder's flat_binder_object layout). */
#define HM_IPCIO_OBJ_TYPE 0u
#define HM_IPCIO_OBJ_FLAGS 4u
#define HM_IPCIO_OBJ_BINDER 8u /* uint64 binder, or uint32 handle / fd in its first 4 bytes */
#define HM_IPCIO_OBJ_TOKEN_OF_HANDLE 12u /* uint32 token beside a handle (Harmonia; OpenHarmony leaves it unset) */
#define HM_IPCIO_OBJ_COOKIE 16u

/* The string16 limit of the compatible API, in code units: (len + 1) * 2 <= MAX_IO_SIZE. */
#define HM_IPCIO_COMPAT_STRING16_MAX (MAX_IO_SIZE / 2u - 1u)

HM_IPCIO_HOT bool hm_ipcio__usable(const IpcIo *io)
{
    return io != NULL && (io->flag & IPC_IO_INITIALIZED) && !(io->flag & IPC_IO_OVERFLOW);
}

HM_IPCIO_HOT bool hm_ipcio__bounded(const IpcIo *io)
{
    return !(io->hmMode & HM_IPCIO_MODE_UNBOUNDED);
}

/* Marks io failed (sticky). Returns false so callers can `return hm_ipcio__fail(io);`. */
HM_IPCIO_HOT bool hm_ipcio__fail(IpcIo *io)
{
    if (io != NULL)
        io->flag |= IPC_IO_OVERFLOW;
    return false;
}

/* size rounded up to a multiple of 4, or false when that overflows size_t. */
HM_IPCIO_HOT bool hm_ipcio__align4(size_t size, size_t *ret_aligned)
{
    if (size > SIZE_MAX - (HM_IPCIO_ALIGN - 1u))
        return false;
    *ret_aligned = (size + (HM_IPCIO_ALIGN - 1u)) & ~(size_t)(HM_IPCIO_ALIGN - 1u);
    return true;
}

/* a * b, or false on overflow of size_t. */
static inline bool hm_ipcio__mul(size_t a, size_t b, size_t *ret_product)
{
    if (b != 0 && a > SIZE_MAX / b)
        return false;
    *ret_product = a * b;
    return true;
}

/* a + b, or false on overflow of size_t. */
static inline bool hm_ipcio__add(size_t a, size_t b, size_t *ret_sum)
{
    if (a > SIZE_MAX - b)
        return false;
    *ret_sum = a + b;
    return true;
}

/* Whether n fits a uint32 length field (always, where size_t is 32 bits wide). */
static inline bool hm_ipcio__fits_u32(size_t n)
{
#if SIZE_MAX > UINT32_MAX
    return n <= UINT32_MAX;
#else
    (void)n;
    return true;
#endif
}

/* Unaligned-safe loads and stores: the cursor is not aligned after unaligned items. */
HM_IPCIO_HOT uint32_t hm_ipcio__load_u32(const void *at)
{
    uint32_t value;
    memcpy(&value, at, sizeof value);
    return value;
}

static inline uint64_t hm_ipcio__load_u64(const void *at)
{
    uint64_t value;
    memcpy(&value, at, sizeof value);
    return value;
}

HM_IPCIO_HOT void hm_ipcio__store_u32(void *at, uint32_t value)
{
    memcpy(at, &value, sizeof value);
}

static inline void hm_ipcio__store_u64(void *at, uint64_t value)
{
    memcpy(at, &value, sizeof value);
}

static inline size_t hm_ipcio__load_offset(const size_t *entry)
{
    size_t value;
    memcpy(&value, entry, sizeof value);
    return value;
}

static inline void hm_ipcio__store_offset(size_t *entry, size_t value)
{
    memcpy(entry, &value, sizeof value);
}

/* The number of bytes an item of size takes (rounded up to 4 when padded), if io has them at the cursor;
 * otherwise io is marked failed. */
HM_IPCIO_HOT bool hm_ipcio__claimable(IpcIo *io, size_t size, bool padded, size_t *ret_claimed)
{
    size_t claimed = size;
    if (!hm_ipcio__usable(io) || (padded && !hm_ipcio__align4(size, &claimed)) || claimed > io->bufferLeft)
        return hm_ipcio__fail(io);
    *ret_claimed = claimed;
    return true;
}

/*
 * Claims size bytes at the write cursor (size rounded up to 4 when padded, the padding zeroed) and advances;
 * the caller must then write all size bytes.
 * On failure (unusable io, no room, a reader) marks io failed, changes nothing else and returns NULL.
 * Inline: every Write goes through it, and a call per item would cost more than the item.
 */
HM_IPCIO_HOT char *hm_ipcio__push(IpcIo *io, size_t size, bool padded)
{
    size_t claimed;
    /* A received message is read-only (apart from fd installation, which does not use the cursor). */
    if (io != NULL && (io->hmMode & HM_IPCIO_MODE_READER)) {
        hm_ipcio__fail(io);
        return NULL;
    }
    if (!hm_ipcio__claimable(io, size, padded, &claimed))
        return NULL;
    char *at = io->bufferCur;
    /* 1..3 bytes of padding: one zero word at the end of the item (claimed >= 4 then). Every caller writes all
     * size bytes next, overwriting the part of the word that lies in the item's own bytes. */
    if (claimed > size)
        hm_ipcio__store_u32(at + claimed - sizeof(uint32_t), 0);
    io->bufferCur += claimed;
    io->bufferLeft -= claimed;
    return at;
}

/* Takes size bytes at the read cursor (rounded up to 4 when padded) and advances; NULL and failed otherwise. */
HM_IPCIO_HOT const char *hm_ipcio__pop(IpcIo *io, size_t size, bool padded)
{
    size_t claimed;
    if (!hm_ipcio__claimable(io, size, padded, &claimed))
        return NULL;
    const char *at = io->bufferCur;
    io->bufferCur += claimed;
    io->bufferLeft -= claimed;
    return at;
}

/* The bytes an item of size would take at the read cursor, without consuming them; NULL (io failed) if absent. */
HM_IPCIO_HOT const char *hm_ipcio__peek(IpcIo *io, size_t size, bool padded)
{
    size_t claimed;
    return hm_ipcio__claimable(io, size, padded, &claimed) ? io->bufferCur : NULL;
}

/* The uint32 at the read cursor without consuming it; false (io failed) if fewer than 4 bytes are left. */
HM_IPCIO_HOT bool hm_ipcio__peek_u32(IpcIo *io, uint32_t *ret_value)
{
    const char *at = hm_ipcio__peek(io, sizeof(uint32_t), false);
    if (at == NULL)
        return false;
    *ret_value = hm_ipcio__load_u32(at);
    return true;
}

/* Data bytes in the message: written so far (writer) or received (reader); 0 when unusable. */
static inline size_t hm_ipcio__data_length(const IpcIo *io)
{
    if (!hm_ipcio__usable(io))
        return 0;
    size_t position = (size_t)(io->bufferCur - io->bufferBase);
    return (io->hmMode & HM_IPCIO_MODE_READER) ? position + io->bufferLeft : position;
}

/* Object-table entries in the message: written so far (writer) or received (reader); 0 when unusable. */
static inline size_t hm_ipcio__object_count(const IpcIo *io)
{
    if (!hm_ipcio__usable(io))
        return 0;
    size_t position = (size_t)(io->offsetsCur - io->offsetsBase);
    return (io->hmMode & HM_IPCIO_MODE_READER) ? position + io->offsetsLeft : position;
}

/*
 * Whether io is a writer that keeps its fd objects privately (one set up by hm_ipcio_init, which is what a channel
 * slot gets). Its memory may be shared with the receiver, which can rewrite the records before the fds are sent:
 * hm_ipcio_collect_fds then lists what was written, never what a record says. Compatible writers (IpcIoInit) write
 * into memory of their own and are never released, so they keep nothing.
 */
HM_IPCIO_HOT bool hm_ipcio__tracks_fds(const IpcIo *io)
{
    return (io->hmMode & (HM_IPCIO_MODE_UNBOUNDED | HM_IPCIO_MODE_READER)) == HM_IPCIO_MODE_UNBOUNDED;
}

/* Sets io to the deterministic unusable state: all zero, IPC_IO_OVERFLOW, nothing owned. */
void hm_ipcio__set_unusable(IpcIo *io);

/*
 * Writes one object record at the cursor (24 bytes, recorded in the object table) and returns it, or NULL with
 * io failed when there is no room or no table entry left. extra_before is the number of bytes the caller will
 * write in front of the record in the same item (0 or 4); the room for both is checked together, and those
 * bytes are claimed and returned through ret_prefix.
 */
char *hm_ipcio__push_object(IpcIo *io, size_t extra_before, char **ret_prefix);

/*
 * Reads the object record at the cursor (after skip_before bytes of the same item), which must be the next
 * object-table entry and of the given type; advances past both. NULL with io failed otherwise.
 * ret_index receives the record's index in the object table.
 */
char *hm_ipcio__pop_object(IpcIo *io, uint32_t type, size_t skip_before, const char **ret_prefix,
                           size_t *ret_index);

/* Type 0 for hm_ipcio__pop_object: any remote object (HM_IPCIO_TYPE_BINDER or HM_IPCIO_TYPE_HANDLE). */
#define HM_IPCIO_ANY_REMOTE 0u

/* What an IpcIo owns: a list of separately allocated nodes, so pointers handed out (IpcIoPopSvc,
 * IpcIoPopDataBuff) stay valid while the list grows. */
enum hm_ipcio_resource_kind {
    HM_IPCIO_RES_FD = 1,        /* an fd to close at release unless taken; object_index names its object */
    HM_IPCIO_RES_MAPPING,       /* a read-only raw-data mapping of object object_index */
    HM_IPCIO_RES_FREE_CALLBACK, /* a LiteIPC free callback to run at release */
    HM_IPCIO_RES_SVC,           /* storage for an IpcIoPopSvc result */
    HM_IPCIO_RES_DATA_BUFF,     /* storage for an IpcIoPopDataBuff result (its mapping is a MAPPING) */
    HM_IPCIO_RES_SENT_FD        /* an fd a tracked writer wrote (the caller's, never closed); object_index */
};

struct hm_ipcio_resource {
    struct hm_ipcio_resource *next;
    enum hm_ipcio_resource_kind kind;
    size_t object_index;
    int32_t fd;
    bool taken; /* HM_IPCIO_RES_FD: the application took the fd (ReadFileDescriptor) */
    const void *addr;
    size_t length;
    IpcIoPtrFree free_fn;
    void *free_arg;
    SvcIdentity svc;
    BuffPtr buff;
};

/* A zeroed node of kind (fd -1), not yet linked, or NULL when out of memory. */
struct hm_ipcio_resource *hm_ipcio__new_resource(enum hm_ipcio_resource_kind kind);

/* Links a node into io's list: io owns it from now on. */
void hm_ipcio__link_resource(IpcIo *io, struct hm_ipcio_resource *resource);

/*
 * For a tracked writer that appends src (IpcIoAppend): a list of HM_IPCIO_RES_SENT_FD nodes for src's fd objects,
 * numbered from `first`, to link once the append succeeded (hm_ipcio__link_list) or free (hm_ipcio__free_list).
 * false when out of memory.
 */
bool hm_ipcio__sent_fds_of(const IpcIo *src, size_t first, struct hm_ipcio_resource **ret_list);
void hm_ipcio__link_list(IpcIo *io, struct hm_ipcio_resource *list);
void hm_ipcio__free_list(struct hm_ipcio_resource *list);

/* The node of kind for object_index, or NULL. */
struct hm_ipcio_resource *hm_ipcio__find_resource(const IpcIo *io, enum hm_ipcio_resource_kind kind,
                                                  size_t object_index);

/* uint32 size then the bytes zero-padded to 4 (RawData inline, LiteIPC FlatObj). */
bool hm_ipcio__write_sized_inline(IpcIo *io, const void *data, size_t size);

/* Reads a uint32-sized item written by hm_ipcio__write_sized_inline. With exact, the stored size must equal
 * size_or_max; otherwise it may be anything up to size_or_max. Returns a view of the bytes. */
const char *hm_ipcio__read_sized_inline(IpcIo *io, bool exact, size_t size_or_max, uint32_t *ret_size);

/*
 * The raw-data item shared by WriteRawData (large) and IpcIoPushDataBuff: uint32 size, then an fd object whose
 * fd is a new sealed memfd holding the bytes, owned by io. Reading maps it (read-only, owned by io).
 */
bool hm_ipcio__write_memfd_item(IpcIo *io, const void *data, size_t size);
/* expected_size 0 accepts any stored size in 1..max_size; the stored size goes to *ret_size. */
const void *hm_ipcio__read_memfd_item(IpcIo *io, size_t expected_size, size_t max_size, size_t *ret_size);

#endif /* HARMONIA_SRC_IPC_IPCIO_INTERNAL_H */
