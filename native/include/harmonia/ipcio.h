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
 */
#ifndef HARMONIA_IPCIO_H
#define HARMONIA_IPCIO_H

#include <stddef.h>
#include <stdint.h>

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
 * allocated. On failure io is left unusable. -EINVAL: NULL io or data, misaligned or missing offsets,
 * data_capacity 0.
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

/* How many of the message's objects are fd objects. */
HM_API size_t hm_ipcio_fd_count(const IpcIo *io);

/*
 * Copies the fd numbers of the fd objects, in table order, to fds (room for capacity entries) and their number
 * to *ret_count: what a sender passes as SCM_RIGHTS. -ENOSPC: more than capacity; -EINVAL: bad io.
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

HM_EXTERN_C_END

#endif /* HARMONIA_IPCIO_H */
