/*
 * OpenHarmony's IpcIo serializer API ("IPC C", communication_ipc interfaces/innerkits/c/ipc/include/serializer.h),
 * implemented by libharmonia. Code written against OpenHarmony's header compiles unchanged against this one and
 * produces the same bytes: host byte order, 8- and 16-bit values widened to 4 bytes, item sizes padded to a
 * multiple of 4 without aligning the cursor, strings as a uint32 length, the bytes, a NUL and zero padding.
 * The older LiteIPC names (IpcIoPushInt32, IpcIoPopString, ...) are thin aliases at the end of this file.
 *
 * Differences from OpenHarmony, all deliberate fixes (docs/architecture.md, section IpcIo):
 * - Every failure on a non-NULL IpcIo sets IPC_IO_OVERFLOW, and once set every later operation fails (sticky).
 *   A failed item changes no bytes and does not move the cursor.
 * - IpcIoInit with bad arguments leaves the IpcIo zeroed and marked IPC_IO_OVERFLOW, so it is unusable even if
 *   the struct held garbage before.
 * - ReadString checks the length against the bytes left and that the NUL is present; ReadString16 and
 *   ReadInterfaceToken check the bounds before looking at the terminator.
 * - All length arithmetic is overflow-checked (also with a 32-bit size_t); length fields are decoded as uint32
 *   and widened explicitly, so no stale high bits reach a size_t output.
 * - Values are read and written with unaligned-safe accesses: the cursor is not aligned after unaligned items.
 * - Objects (file descriptors, remote objects) must be read in the order and at the position they were written.
 *
 * Memory ownership of reads: strings, buffers, raw data and every vector except Bool and Int16 are views into the
 * message memory (valid as long as it is). Views may be unaligned for their type (the cursor is not aligned): copy
 * a uint16_t, int32_t, ... view with memcpy instead of dereferencing it where it might not be aligned. ReadBoolVector and ReadInt16Vector allocate: release the result with
 * hm_ipcio_free() (or free()). Raw data above 32 KiB (only on IpcIo set up with harmonia/ipcio.h) is a read-only
 * mapping that hm_ipcio_release() unmaps.
 */
#ifndef OHOS_IPC_RPC_SERIALIZER_H
#define OHOS_IPC_RPC_SERIALIZER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <harmonia/export.h>

HM_EXTERN_C_BEGIN

struct hm_ipcio_resource;

typedef struct {
    /* OpenHarmony's public fields, in OpenHarmony's order (callers read them). */
    char *bufferBase;    /* first data byte */
    size_t *offsetsBase; /* object-offset table: byte offsets from bufferBase, one per object */
    char *bufferCur;     /* next data byte to write or read */
    size_t *offsetsCur;  /* next object-offset entry */
    size_t bufferLeft;   /* data bytes left to write (writer) or to read (reader) */
    size_t offsetsLeft;  /* object entries left */
    uint32_t flag;       /* IPC_IO_INITIALIZED, IPC_IO_OVERFLOW */
    /* Harmonia's private state: how the IpcIo was set up, and the list of what it owns (fds, mappings).
     * Do not touch. */
    uint32_t hmMode;
    struct hm_ipcio_resource *hmResources;
} IpcIo;

typedef struct {
    int32_t handle;
    uintptr_t token;
    uintptr_t cookie;
} SvcIdentity;

typedef enum {
    SERVICE_TYPE_ANONYMOUS,
    SERVICE_TYPE_NORMAL
} ServiceType;

#define MIN_BINDER_HANDLE (-1)
#define IPC_INVALID_HANDLE (-1)
#define IPC_IO_INITIALIZED 0x01 /* the IpcIo was set up by IpcIoInit (or harmonia/ipcio.h) */
#define IPC_IO_OVERFLOW 0x02    /* an operation failed; every later one fails too */
#define MAX_IO_SIZE 8192UL      /* largest buffer IpcIoInit accepts, and largest item of the compatible API */
#define MAX_OBJ_NUM 32UL        /* largest object-offset table IpcIoInit accepts */

/* Sets up io over buffer: the first maxobjects * sizeof(size_t) bytes become the object-offset table, the rest
 * the data. bufferSize must be 1..MAX_IO_SIZE and maxobjects at most MAX_OBJ_NUM; otherwise io is left unusable. */
HM_API void IpcIoInit(IpcIo *io, void *buffer, size_t bufferSize, size_t maxobjects);
/* Appends src's written bytes (zero-padded to 4) and its objects (offsets relocated) to dst. */
HM_API bool IpcIoAppend(IpcIo *dst, IpcIo *src);

HM_API bool WriteRemoteObject(IpcIo *io, const SvcIdentity *svc);
HM_API bool WriteFileDescriptor(IpcIo *io, uint32_t fd);

HM_API bool ReadRemoteObject(IpcIo *io, SvcIdentity *svc);
HM_API int32_t ReadFileDescriptor(IpcIo *io);

HM_API bool WriteBool(IpcIo *io, bool value);
HM_API bool WriteInt8(IpcIo *io, int8_t value);
HM_API bool WriteInt16(IpcIo *io, int16_t value);
HM_API bool WriteInt32(IpcIo *io, int32_t value);
HM_API bool WriteInt64(IpcIo *io, int64_t value);
HM_API bool WriteUint8(IpcIo *io, uint8_t value);
HM_API bool WriteUint16(IpcIo *io, uint16_t value);
HM_API bool WriteUint32(IpcIo *io, uint32_t value);
HM_API bool WriteUint64(IpcIo *io, uint64_t value);
HM_API bool WriteBoolUnaligned(IpcIo *io, bool value);
HM_API bool WriteInt8Unaligned(IpcIo *io, int8_t value);
HM_API bool WriteInt16Unaligned(IpcIo *io, int16_t value);
HM_API bool WriteUint8Unaligned(IpcIo *io, uint8_t value);
HM_API bool WriteUint16Unaligned(IpcIo *io, uint16_t value);
HM_API bool WriteFloat(IpcIo *io, float value);
HM_API bool WriteDouble(IpcIo *io, double value);
HM_API bool WritePointer(IpcIo *io, uintptr_t value);
HM_API bool WriteString(IpcIo *io, const char *value);

HM_API bool ReadBool(IpcIo *io, bool *value);
HM_API bool ReadInt8(IpcIo *io, int8_t *value);
HM_API bool ReadInt16(IpcIo *io, int16_t *value);
HM_API bool ReadInt32(IpcIo *io, int32_t *value);
HM_API bool ReadInt64(IpcIo *io, int64_t *value);
HM_API bool ReadUint8(IpcIo *io, uint8_t *value);
HM_API bool ReadUint16(IpcIo *io, uint16_t *value);
HM_API bool ReadUint32(IpcIo *io, uint32_t *value);
HM_API bool ReadUint64(IpcIo *io, uint64_t *value);
HM_API bool ReadFloat(IpcIo *io, float *value);
HM_API bool ReadDouble(IpcIo *io, double *value);
HM_API uintptr_t ReadPointer(IpcIo *io);
HM_API bool ReadBoolUnaligned(IpcIo *io, bool *value);
HM_API bool ReadInt8Unaligned(IpcIo *io, int8_t *value);
HM_API bool ReadInt16Unaligned(IpcIo *io, int16_t *value);
HM_API bool ReadUInt8Unaligned(IpcIo *io, uint8_t *value);
HM_API bool ReadUInt16Unaligned(IpcIo *io, uint16_t *value);
/* A view of the string's bytes (NUL-terminated) and its length without the NUL, or NULL. */
HM_API uint8_t *ReadString(IpcIo *io, size_t *len);

HM_API bool WriteString16(IpcIo *io, const uint16_t *value, size_t len);
HM_API bool WriteBuffer(IpcIo *io, const void *data, size_t size);
HM_API bool WriteInterfaceToken(IpcIo *io, const uint16_t *name, size_t len);
HM_API bool WriteRawData(IpcIo *io, const void *data, size_t size);
HM_API bool WriteBoolVector(IpcIo *io, const bool *val, size_t size);
HM_API bool WriteInt8Vector(IpcIo *io, const int8_t *val, size_t size);
HM_API bool WriteInt16Vector(IpcIo *io, const int16_t *val, size_t size);
HM_API bool WriteInt32Vector(IpcIo *io, const int32_t *val, size_t size);
HM_API bool WriteInt64Vector(IpcIo *io, const int64_t *val, size_t size);
HM_API bool WriteUInt8Vector(IpcIo *io, const uint8_t *val, size_t size);
HM_API bool WriteUInt16Vector(IpcIo *io, const uint16_t *val, size_t size);
HM_API bool WriteUInt32Vector(IpcIo *io, const uint32_t *val, size_t size);
HM_API bool WriteUInt64Vector(IpcIo *io, const uint64_t *val, size_t size);
HM_API bool WriteFloatVector(IpcIo *io, const float *val, size_t size);
HM_API bool WriteDoubleVector(IpcIo *io, const double *val, size_t size);

HM_API uint16_t *ReadString16(IpcIo *io, size_t *size);
HM_API uint16_t *ReadInterfaceToken(IpcIo *io, size_t *size);
HM_API const uint8_t *ReadBuffer(IpcIo *io, size_t size);
HM_API void *ReadRawData(IpcIo *io, size_t size);
/* Allocates: release with hm_ipcio_free(). */
HM_API bool *ReadBoolVector(IpcIo *io, size_t *size);
HM_API int8_t *ReadInt8Vector(IpcIo *io, size_t *size);
/* Allocates: release with hm_ipcio_free(). */
HM_API int16_t *ReadInt16Vector(IpcIo *io, size_t *size);
HM_API int32_t *ReadInt32Vector(IpcIo *io, size_t *size);
HM_API int64_t *ReadInt64Vector(IpcIo *io, size_t *size);
HM_API uint8_t *ReadUInt8Vector(IpcIo *io, size_t *size);
HM_API uint16_t *ReadUInt16Vector(IpcIo *io, size_t *size);
HM_API uint32_t *ReadUInt32Vector(IpcIo *io, size_t *size);
HM_API uint64_t *ReadUInt64Vector(IpcIo *io, size_t *size);
HM_API float *ReadFloatVector(IpcIo *io, size_t *size);
HM_API double *ReadDoubleVector(IpcIo *io, size_t *size);

/*
 * LiteIPC names (communication_ipc_lite interfaces/kits/serializer.h) as thin aliases of the API above: pushes
 * return nothing and pops return 0 (or NULL) on failure; check IpcIoAvailable() afterwards. IpcIoInitFromMsg is
 * not provided: there is no LiteIPC kernel message on Linux (a received IpcIo comes from the channel).
 */
typedef enum { OBJ_FD, OBJ_PTR, OBJ_SVC } ObjType;

typedef struct {
    uint32_t buffSz;
    void *buff;
} BuffPtr;

typedef union {
    uint32_t fd;
    BuffPtr ptr;
    SvcIdentity svc;
} ObjContent;

typedef struct {
    ObjType type;
    ObjContent content;
} SpecialObj;

typedef void (*IpcIoPtrFree)(void *ptr);

HM_API bool IpcIoAvailable(IpcIo *io);
HM_API void IpcIoPushChar(IpcIo *io, char c);
HM_API void IpcIoPushCharUnaligned(IpcIo *io, char c);
HM_API void IpcIoPushBool(IpcIo *io, bool b);
HM_API void IpcIoPushBoolUnaligned(IpcIo *io, bool b);
HM_API void IpcIoPushIntptr(IpcIo *io, intptr_t n);
HM_API void IpcIoPushUintptr(IpcIo *io, uintptr_t n);
HM_API void IpcIoPushInt8(IpcIo *io, int8_t n);
HM_API void IpcIoPushInt8Unaligned(IpcIo *io, int8_t n);
HM_API void IpcIoPushUint8(IpcIo *io, uint8_t n);
HM_API void IpcIoPushUint8Unaligned(IpcIo *io, uint8_t n);
HM_API void IpcIoPushInt16(IpcIo *io, int16_t n);
HM_API void IpcIoPushInt16Unaligned(IpcIo *io, int16_t n);
HM_API void IpcIoPushUint16(IpcIo *io, uint16_t n);
HM_API void IpcIoPushUint16Unaligned(IpcIo *io, uint16_t n);
HM_API void IpcIoPushInt32(IpcIo *io, int32_t n);
HM_API void IpcIoPushUint32(IpcIo *io, uint32_t n);
HM_API void IpcIoPushInt64(IpcIo *io, int64_t n);
HM_API void IpcIoPushUint64(IpcIo *io, uint64_t n);
HM_API void IpcIoPushFloat(IpcIo *io, float n);
HM_API void IpcIoPushDouble(IpcIo *io, double n);
HM_API void IpcIoPushString(IpcIo *io, const char *cstr);
/* uint32 size (1..MAX_IO_SIZE) then the bytes zero-padded to 4: the same bytes as WriteRawData. */
HM_API void IpcIoPushFlatObj(IpcIo *io, const void *obj, uint32_t size);
HM_API void IpcIoPushSvc(IpcIo *io, const SvcIdentity *svc);
HM_API void IpcIoPushFd(IpcIo *io, uint32_t fd);
/* Data buffers (1..65536 bytes) travel as a sealed memfd: the receiver gets a separately mapped read-only copy,
 * as LiteIPC's OBJ_PTR gives a separately mapped copy. */
HM_API void IpcIoPushDataBuff(IpcIo *io, const BuffPtr *dataBuff);
/* As IpcIoPushDataBuff; ipcIoFree(dataBuff->buff) runs at IpcIoFreeDataBuff. */
HM_API void IpcIoPushDataBuffWithFree(IpcIo *io, const BuffPtr *dataBuff, IpcIoPtrFree ipcIoFree);
/* Runs the registered free callbacks and releases what io owns: the same as hm_ipcio_release(). */
HM_API void IpcIoFreeDataBuff(IpcIo *io);

HM_API char IpcIoPopChar(IpcIo *io);
HM_API char IpcIoPopCharUnaligned(IpcIo *io);
HM_API bool IpcIoPopBool(IpcIo *io);
HM_API bool IpcIoPopBoolUnaligned(IpcIo *io);
HM_API intptr_t IpcIoPopIntptr(IpcIo *io);
HM_API uintptr_t IpcIoPopUintptr(IpcIo *io);
HM_API int8_t IpcIoPopInt8(IpcIo *io);
HM_API int8_t IpcIoPopInt8Unaligned(IpcIo *io);
HM_API uint8_t IpcIoPopUint8(IpcIo *io);
HM_API uint8_t IpcIoPopUint8Unaligned(IpcIo *io);
HM_API int16_t IpcIoPopInt16(IpcIo *io);
HM_API int16_t IpcIoPopInt16Unaligned(IpcIo *io);
HM_API uint16_t IpcIoPopUint16(IpcIo *io);
HM_API uint16_t IpcIoPopUint16Unaligned(IpcIo *io);
HM_API int32_t IpcIoPopInt32(IpcIo *io);
HM_API uint32_t IpcIoPopUint32(IpcIo *io);
HM_API int64_t IpcIoPopInt64(IpcIo *io);
HM_API uint64_t IpcIoPopUint64(IpcIo *io);
HM_API float IpcIoPopFloat(IpcIo *io);
HM_API double IpcIoPopDouble(IpcIo *io);
HM_API uint8_t *IpcIoPopString(IpcIo *io, size_t *sz);
HM_API void *IpcIoPopFlatObj(IpcIo *io, uint32_t *size);
/* The identity is stored with io and stays valid until hm_ipcio_release() / IpcIoFreeDataBuff(). */
HM_API SvcIdentity *IpcIoPopSvc(IpcIo *io);
HM_API int32_t IpcIoPopFd(IpcIo *io);
/* The mapped copy stays valid until hm_ipcio_release() / IpcIoFreeDataBuff(). */
HM_API BuffPtr *IpcIoPopDataBuff(IpcIo *io);

HM_EXTERN_C_END

#endif /* OHOS_IPC_RPC_SERIALIZER_H */
