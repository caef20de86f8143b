/*
 * The LiteIPC names (communication_ipc_lite) as thin aliases of the current API: the same bytes, void pushes,
 * pops that return 0 or NULL on failure (IpcIoAvailable tells), and the lite-only items (FlatObj, Svc,
 * DataBuff) mapped onto the current format.
 */
#include "ipcio_internal.h"

#include <stdlib.h>

bool IpcIoAvailable(IpcIo *io)
{
    return hm_ipcio__usable(io);
}

/* Pushes: the current API's writers with the result dropped (the sticky flag keeps it). */
#define HM_LITE_PUSH(lite_name, type, writer)                                                                   \
    void lite_name(IpcIo *io, type value)                                                                       \
    {                                                                                                           \
        (void)writer(io, value);                                                                                \
    }

HM_LITE_PUSH(IpcIoPushBool, bool, WriteBool)
HM_LITE_PUSH(IpcIoPushBoolUnaligned, bool, WriteBoolUnaligned)
HM_LITE_PUSH(IpcIoPushInt8, int8_t, WriteInt8)
HM_LITE_PUSH(IpcIoPushInt8Unaligned, int8_t, WriteInt8Unaligned)
HM_LITE_PUSH(IpcIoPushUint8, uint8_t, WriteUint8)
HM_LITE_PUSH(IpcIoPushUint8Unaligned, uint8_t, WriteUint8Unaligned)
HM_LITE_PUSH(IpcIoPushInt16, int16_t, WriteInt16)
HM_LITE_PUSH(IpcIoPushInt16Unaligned, int16_t, WriteInt16Unaligned)
HM_LITE_PUSH(IpcIoPushUint16, uint16_t, WriteUint16)
HM_LITE_PUSH(IpcIoPushUint16Unaligned, uint16_t, WriteUint16Unaligned)
HM_LITE_PUSH(IpcIoPushInt32, int32_t, WriteInt32)
HM_LITE_PUSH(IpcIoPushUint32, uint32_t, WriteUint32)
HM_LITE_PUSH(IpcIoPushInt64, int64_t, WriteInt64)
HM_LITE_PUSH(IpcIoPushUint64, uint64_t, WriteUint64)
HM_LITE_PUSH(IpcIoPushFloat, float, WriteFloat)
HM_LITE_PUSH(IpcIoPushDouble, double, WriteDouble)
HM_LITE_PUSH(IpcIoPushUintptr, uintptr_t, WritePointer)
HM_LITE_PUSH(IpcIoPushString, const char *, WriteString)
HM_LITE_PUSH(IpcIoPushSvc, const SvcIdentity *, WriteRemoteObject)
HM_LITE_PUSH(IpcIoPushFd, uint32_t, WriteFileDescriptor)

/* A char is widened to int32 as LiteIPC does, so its signedness is the platform's (signed on x86, unsigned on
 * ARM) exactly as there; unaligned it takes one byte. */
void IpcIoPushChar(IpcIo *io, char c)
{
    (void)WriteInt32(io, (int32_t)c);
}

void IpcIoPushCharUnaligned(IpcIo *io, char c)
{
    (void)WriteInt8Unaligned(io, (int8_t)c);
}

void IpcIoPushIntptr(IpcIo *io, intptr_t n)
{
    (void)WritePointer(io, (uintptr_t)n);
}

/* Pops: the current API's readers, 0 when they fail. */
#define HM_LITE_POP(lite_name, type, reader)                                                                    \
    type lite_name(IpcIo *io)                                                                                   \
    {                                                                                                           \
        type value;                                                                                             \
        return reader(io, &value) ? value : (type)0;                                                            \
    }

HM_LITE_POP(IpcIoPopBool, bool, ReadBool)
HM_LITE_POP(IpcIoPopBoolUnaligned, bool, ReadBoolUnaligned)
HM_LITE_POP(IpcIoPopInt8, int8_t, ReadInt8)
HM_LITE_POP(IpcIoPopInt8Unaligned, int8_t, ReadInt8Unaligned)
HM_LITE_POP(IpcIoPopUint8, uint8_t, ReadUint8)
HM_LITE_POP(IpcIoPopUint8Unaligned, uint8_t, ReadUInt8Unaligned)
HM_LITE_POP(IpcIoPopInt16, int16_t, ReadInt16)
HM_LITE_POP(IpcIoPopInt16Unaligned, int16_t, ReadInt16Unaligned)
HM_LITE_POP(IpcIoPopUint16, uint16_t, ReadUint16)
HM_LITE_POP(IpcIoPopUint16Unaligned, uint16_t, ReadUInt16Unaligned)
HM_LITE_POP(IpcIoPopInt32, int32_t, ReadInt32)
HM_LITE_POP(IpcIoPopUint32, uint32_t, ReadUint32)
HM_LITE_POP(IpcIoPopInt64, int64_t, ReadInt64)
HM_LITE_POP(IpcIoPopUint64, uint64_t, ReadUint64)
HM_LITE_POP(IpcIoPopFloat, float, ReadFloat)
HM_LITE_POP(IpcIoPopDouble, double, ReadDouble)

char IpcIoPopChar(IpcIo *io)
{
    int8_t value;
    return ReadInt8(io, &value) ? (char)value : 0;
}

char IpcIoPopCharUnaligned(IpcIo *io)
{
    int8_t value;
    return ReadInt8Unaligned(io, &value) ? (char)value : 0;
}

intptr_t IpcIoPopIntptr(IpcIo *io)
{
    return (intptr_t)ReadPointer(io);
}

uintptr_t IpcIoPopUintptr(IpcIo *io)
{
    return ReadPointer(io);
}

uint8_t *IpcIoPopString(IpcIo *io, size_t *sz)
{
    return ReadString(io, sz);
}

int32_t IpcIoPopFd(IpcIo *io)
{
    return ReadFileDescriptor(io);
}

void IpcIoPushFlatObj(IpcIo *io, const void *obj, uint32_t size)
{
    if (io != NULL && hm_ipcio__bounded(io) && size > MAX_IO_SIZE) {
        hm_ipcio__fail(io);
        return;
    }
    (void)hm_ipcio__write_sized_inline(io, obj, size);
}

void *IpcIoPopFlatObj(IpcIo *io, uint32_t *size)
{
    uint32_t stored;
    if (io == NULL || size == NULL) {
        hm_ipcio__fail(io);
        return NULL;
    }
    const char *at = hm_ipcio__read_sized_inline(io, false, hm_ipcio__bounded(io) ? MAX_IO_SIZE : UINT32_MAX,
                                                 &stored);
    if (at == NULL)
        return NULL;
    *size = stored;
    return (void *)(uintptr_t)at;
}

SvcIdentity *IpcIoPopSvc(IpcIo *io)
{
    struct hm_ipcio_resource *storage = hm_ipcio__new_resource(HM_IPCIO_RES_SVC);
    if (storage == NULL) {
        hm_ipcio__fail(io);
        return NULL;
    }
    if (!ReadRemoteObject(io, &storage->svc)) {
        free(storage);
        return NULL;
    }
    hm_ipcio__link_resource(io, storage);
    return &storage->svc;
}

void IpcIoPushDataBuff(IpcIo *io, const BuffPtr *dataBuff)
{
    if (dataBuff == NULL || dataBuff->buff == NULL || dataBuff->buffSz == 0 ||
        dataBuff->buffSz > HM_IPCIO_DATA_BUFF_MAX) {
        hm_ipcio__fail(io);
        return;
    }
    (void)hm_ipcio__write_memfd_item(io, dataBuff->buff, dataBuff->buffSz);
}

void IpcIoPushDataBuffWithFree(IpcIo *io, const BuffPtr *dataBuff, IpcIoPtrFree ipcIoFree)
{
    struct hm_ipcio_resource *callback = NULL;
    if (ipcIoFree != NULL) {
        callback = hm_ipcio__new_resource(HM_IPCIO_RES_FREE_CALLBACK);
        if (callback == NULL) {
            hm_ipcio__fail(io);
            return;
        }
    }
    bool was_usable = hm_ipcio__usable(io);
    IpcIoPushDataBuff(io, dataBuff);
    if (callback == NULL)
        return;
    if (!was_usable || !hm_ipcio__usable(io)) {
        free(callback);
        return;
    }
    callback->free_fn = ipcIoFree;
    callback->free_arg = dataBuff->buff;
    hm_ipcio__link_resource(io, callback);
}

void IpcIoFreeDataBuff(IpcIo *io)
{
    hm_ipcio_release(io);
}

BuffPtr *IpcIoPopDataBuff(IpcIo *io)
{
    struct hm_ipcio_resource *storage = hm_ipcio__new_resource(HM_IPCIO_RES_DATA_BUFF);
    if (storage == NULL) {
        hm_ipcio__fail(io);
        return NULL;
    }
    size_t size;
    const void *addr = hm_ipcio__read_memfd_item(io, 0, HM_IPCIO_DATA_BUFF_MAX, &size);
    if (addr == NULL) {
        free(storage);
        return NULL;
    }
    storage->buff.buffSz = (uint32_t)size;
    storage->buff.buff = (void *)(uintptr_t)addr;
    hm_ipcio__link_resource(io, storage);
    return &storage->buff;
}
