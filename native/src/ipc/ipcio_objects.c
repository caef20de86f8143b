/*
 * IpcIo objects: fd and remote-object records with their object table, what a transport calls to carry them
 * between processes, large raw data as sealed memfds, and what an IpcIo owns until hm_ipcio_release.
 */
#include "ipcio_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- owned resources ---- */

struct hm_ipcio_resource *hm_ipcio__new_resource(enum hm_ipcio_resource_kind kind)
{
    struct hm_ipcio_resource *resource = calloc(1, sizeof *resource);
    if (resource != NULL) {
        resource->kind = kind;
        resource->fd = -1;
    }
    return resource;
}

void hm_ipcio__link_resource(IpcIo *io, struct hm_ipcio_resource *resource)
{
    resource->next = io->hmResources;
    io->hmResources = resource;
}

struct hm_ipcio_resource *hm_ipcio__find_resource(const IpcIo *io, enum hm_ipcio_resource_kind kind,
                                                  size_t object_index)
{
    for (struct hm_ipcio_resource *r = io->hmResources; r != NULL; r = r->next)
        if (r->kind == kind && r->object_index == object_index)
            return r;
    return NULL;
}

void hm_ipcio_release(IpcIo *io)
{
    if (io == NULL)
        return;
    struct hm_ipcio_resource *resource = io->hmResources;
    io->hmResources = NULL;
    while (resource != NULL) {
        struct hm_ipcio_resource *next = resource->next;
        switch (resource->kind) {
        case HM_IPCIO_RES_FD:
            if (!resource->taken)
                close(resource->fd);
            break;
        case HM_IPCIO_RES_MAPPING:
            munmap((void *)(uintptr_t)resource->addr, resource->length);
            break;
        case HM_IPCIO_RES_FREE_CALLBACK:
            resource->free_fn(resource->free_arg);
            break;
        case HM_IPCIO_RES_SVC:
        case HM_IPCIO_RES_DATA_BUFF:
        case HM_IPCIO_RES_SENT_FD:
            break;
        }
        free(resource);
        resource = next;
    }
    /* Views into released mappings must not be handed out again. */
    io->flag |= IPC_IO_OVERFLOW;
}

/* ---- object records ---- */

char *hm_ipcio__push_object(IpcIo *io, size_t extra_before, char **ret_prefix)
{
    if (!hm_ipcio__usable(io) || io->offsetsLeft == 0 || io->offsetsCur == NULL) {
        hm_ipcio__fail(io);
        return NULL;
    }
    char *at = hm_ipcio__push(io, extra_before + HM_IPCIO_OBJECT_SIZE, true);
    if (at == NULL)
        return NULL;
    char *record = at + extra_before;
    hm_ipcio__store_offset(io->offsetsCur, (size_t)(record - io->bufferBase));
    io->offsetsCur++;
    io->offsetsLeft--;
    memset(record, 0, HM_IPCIO_OBJECT_SIZE);
    hm_ipcio__store_u32(record + HM_IPCIO_OBJ_FLAGS, HM_IPCIO_OBJECT_FLAGS);
    if (ret_prefix != NULL)
        *ret_prefix = at;
    return record;
}

char *hm_ipcio__pop_object(IpcIo *io, uint32_t type, size_t skip_before, const char **ret_prefix,
                           size_t *ret_index)
{
    if (!hm_ipcio__usable(io) || io->offsetsLeft == 0 || io->offsetsCur == NULL ||
        io->bufferLeft < skip_before + HM_IPCIO_OBJECT_SIZE) {
        hm_ipcio__fail(io);
        return NULL;
    }
    /* Objects are read in the order and at the position they were written (as LiteOS-A demands): a reader
     * that is out of step with the table could otherwise take ordinary bytes for an fd. */
    size_t position = (size_t)(io->bufferCur - io->bufferBase) + skip_before;
    char *record = io->bufferCur + skip_before;
    uint32_t actual = hm_ipcio__load_u32(record + HM_IPCIO_OBJ_TYPE);
    bool type_ok = type == HM_IPCIO_ANY_REMOTE ? actual == HM_IPCIO_TYPE_BINDER || actual == HM_IPCIO_TYPE_HANDLE
                                               : actual == type;
    if (hm_ipcio__load_offset(io->offsetsCur) != position || !type_ok) {
        hm_ipcio__fail(io);
        return NULL;
    }
    const char *at = hm_ipcio__pop(io, skip_before + HM_IPCIO_OBJECT_SIZE, true);
    if (at == NULL)
        return NULL;
    if (ret_index != NULL)
        *ret_index = (size_t)(io->offsetsCur - io->offsetsBase);
    if (ret_prefix != NULL)
        *ret_prefix = at;
    io->offsetsCur++;
    io->offsetsLeft--;
    return record;
}

bool WriteFileDescriptor(IpcIo *io, uint32_t fd)
{
    if (fd > INT32_MAX || !hm_ipcio__usable(io))
        return hm_ipcio__fail(io);
    struct hm_ipcio_resource *sent = NULL;
    if (hm_ipcio__tracks_fds(io) && (sent = hm_ipcio__new_resource(HM_IPCIO_RES_SENT_FD)) == NULL)
        return hm_ipcio__fail(io);
    char *record = hm_ipcio__push_object(io, 0, NULL);
    if (record == NULL) {
        free(sent);
        return false;
    }
    if (sent != NULL) {
        sent->fd = (int32_t)fd;
        sent->object_index = (size_t)(io->offsetsCur - io->offsetsBase) - 1;
        hm_ipcio__link_resource(io, sent);
    }
    hm_ipcio__store_u32(record + HM_IPCIO_OBJ_TYPE, HM_IPCIO_TYPE_FD);
    hm_ipcio__store_u32(record + HM_IPCIO_OBJ_BINDER, fd);
    /* binder's "take ownership" cookie, as OpenHarmony writes it. */
    hm_ipcio__store_u64(record + HM_IPCIO_OBJ_COOKIE, 1);
    return true;
}

/*
 * The fd of object `index`: in a received message, the one installed from SCM_RIGHTS (kept privately: the
 * record in the slot is the sender's to rewrite, and a number written there could name any fd of ours); in a
 * message this process wrote, the number in the record. -1 when a received message has no fd for the object.
 */
static int32_t object_fd(const IpcIo *io, size_t index, const char *record)
{
    if (!(io->hmMode & HM_IPCIO_MODE_FDS_INSTALLED))
        return (int32_t)hm_ipcio__load_u32(record + HM_IPCIO_OBJ_BINDER);
    const struct hm_ipcio_resource *installed = hm_ipcio__find_resource(io, HM_IPCIO_RES_FD, index);
    return installed != NULL ? installed->fd : -1;
}

int32_t ReadFileDescriptor(IpcIo *io)
{
    if (io == NULL)
        return -1;
    IpcIo saved = *io;
    size_t index;
    const char *record = hm_ipcio__pop_object(io, HM_IPCIO_TYPE_FD, 0, NULL, &index);
    if (record == NULL)
        return -1;
    const int32_t fd = object_fd(io, index, record);
    if (fd < 0) {
        *io = saved;
        hm_ipcio__fail(io);
        return -1;
    }
    /* A received fd now belongs to the caller: release must not close it. */
    struct hm_ipcio_resource *owned = hm_ipcio__find_resource(io, HM_IPCIO_RES_FD, index);
    if (owned != NULL)
        owned->taken = true;
    return fd;
}

bool WriteRemoteObject(IpcIo *io, const SvcIdentity *svc)
{
    if (svc == NULL || (svc->handle > 0 && !hm_ipcio__fits_u32(svc->token)))
        return hm_ipcio__fail(io);
    char *record = hm_ipcio__push_object(io, 0, NULL);
    if (record == NULL)
        return false;
    if (svc->handle <= 0) {
        /* A local object: OpenHarmony's Linux build writes the cookie (truncated to 32 bits) as the binder and
         * drops the token; the token goes in the binder field here, so both survive a round trip. */
        hm_ipcio__store_u32(record + HM_IPCIO_OBJ_TYPE, HM_IPCIO_TYPE_BINDER);
        hm_ipcio__store_u64(record + HM_IPCIO_OBJ_BINDER, (uint64_t)svc->token);
    } else {
        hm_ipcio__store_u32(record + HM_IPCIO_OBJ_TYPE, HM_IPCIO_TYPE_HANDLE);
        hm_ipcio__store_u32(record + HM_IPCIO_OBJ_BINDER, (uint32_t)svc->handle);
        hm_ipcio__store_u32(record + HM_IPCIO_OBJ_TOKEN_OF_HANDLE, (uint32_t)svc->token);
    }
    hm_ipcio__store_u64(record + HM_IPCIO_OBJ_COOKIE, (uint64_t)svc->cookie);
    return true;
}

bool ReadRemoteObject(IpcIo *io, SvcIdentity *svc)
{
    if (io == NULL || svc == NULL)
        return hm_ipcio__fail(io);
    IpcIo saved = *io;
    const char *record = hm_ipcio__pop_object(io, HM_IPCIO_ANY_REMOTE, 0, NULL, NULL);
    if (record == NULL)
        return false;
    uint64_t cookie = hm_ipcio__load_u64(record + HM_IPCIO_OBJ_COOKIE);
    uint64_t token;
    int32_t handle;
    if (hm_ipcio__load_u32(record + HM_IPCIO_OBJ_TYPE) == HM_IPCIO_TYPE_BINDER) {
        handle = IPC_INVALID_HANDLE;
        token = hm_ipcio__load_u64(record + HM_IPCIO_OBJ_BINDER);
    } else {
        handle = (int32_t)hm_ipcio__load_u32(record + HM_IPCIO_OBJ_BINDER);
        token = hm_ipcio__load_u32(record + HM_IPCIO_OBJ_TOKEN_OF_HANDLE);
    }
    /* A 64-bit writer's values may not fit a 32-bit reader's uintptr_t: refuse rather than truncate. */
    if (token > UINTPTR_MAX || cookie > UINTPTR_MAX) {
        *io = saved;
        return hm_ipcio__fail(io);
    }
    svc->handle = handle;
    svc->token = (uintptr_t)token;
    svc->cookie = (uintptr_t)cookie;
    return true;
}

/* ---- the object table, for transports ---- */

static int object_at(const IpcIo *io, size_t index, hm_ipcio_object *ret_object)
{
    if (ret_object == NULL || index >= hm_ipcio__object_count(io))
        return -EINVAL;
    size_t offset = hm_ipcio__load_offset(io->offsetsBase + index);
    size_t length = hm_ipcio__data_length(io);
    if (offset > length || length - offset < HM_IPCIO_OBJECT_SIZE)
        return -EBADMSG;
    const char *record = io->bufferBase + offset;
    hm_ipcio_object object = {
        .type = hm_ipcio__load_u32(record + HM_IPCIO_OBJ_TYPE),
        .flags = hm_ipcio__load_u32(record + HM_IPCIO_OBJ_FLAGS),
        .offset = offset,
        .fd = -1,
        .cookie = hm_ipcio__load_u64(record + HM_IPCIO_OBJ_COOKIE),
    };
    switch (object.type) {
    case HM_IPCIO_TYPE_FD:
        object.fd = object_fd(io, index, record);
        break;
    case HM_IPCIO_TYPE_BINDER:
        object.handle = IPC_INVALID_HANDLE;
        object.token = hm_ipcio__load_u64(record + HM_IPCIO_OBJ_BINDER);
        break;
    case HM_IPCIO_TYPE_HANDLE:
        object.handle = (int32_t)hm_ipcio__load_u32(record + HM_IPCIO_OBJ_BINDER);
        object.token = hm_ipcio__load_u32(record + HM_IPCIO_OBJ_TOKEN_OF_HANDLE);
        break;
    default:
        return -EBADMSG;
    }
    *ret_object = object;
    return 0;
}

int hm_ipcio_object_at(const IpcIo *io, size_t index, hm_ipcio_object *ret_object)
{
    return object_at(io, index, ret_object);
}

/* The record of the index-th object if it is a well-placed fd object, else NULL. */
static char *fd_record(const IpcIo *io, size_t index)
{
    hm_ipcio_object object;
    if (object_at(io, index, &object) != 0 || object.type != HM_IPCIO_TYPE_FD)
        return NULL;
    return io->bufferBase + object.offset;
}

/* The fd a tracked writer wrote as object `index` (WriteFileDescriptor, or a memfd for raw data), or -1. */
static int32_t written_fd(const IpcIo *io, size_t index)
{
    const struct hm_ipcio_resource *sent = hm_ipcio__find_resource(io, HM_IPCIO_RES_SENT_FD, index);
    if (sent == NULL)
        sent = hm_ipcio__find_resource(io, HM_IPCIO_RES_FD, index);
    return sent != NULL ? sent->fd : -1;
}

/* Object `index`'s fd for a sender: what a tracked writer wrote, else the number in the record; -1 if none. */
static int32_t fd_to_send(const IpcIo *io, size_t index)
{
    if (hm_ipcio__tracks_fds(io))
        return written_fd(io, index);
    const char *record = fd_record(io, index);
    return record != NULL ? (int32_t)hm_ipcio__load_u32(record + HM_IPCIO_OBJ_BINDER) : -1;
}

static size_t fd_count(const IpcIo *io)
{
    size_t count = 0;
    size_t objects = hm_ipcio__object_count(io);
    const bool tracked = hm_ipcio__tracks_fds(io);
    for (size_t i = 0; i < objects; i++)
        if (tracked ? written_fd(io, i) >= 0 : fd_record(io, i) != NULL)
            count++;
    return count;
}

bool hm_ipcio__sent_fds_of(const IpcIo *src, size_t first, struct hm_ipcio_resource **ret_list)
{
    struct hm_ipcio_resource *list = NULL;
    const size_t objects = hm_ipcio__object_count(src);
    for (size_t i = 0; i < objects; i++) {
        const int32_t fd = fd_to_send(src, i);
        if (fd < 0)
            continue;
        struct hm_ipcio_resource *node = hm_ipcio__new_resource(HM_IPCIO_RES_SENT_FD);
        if (node == NULL) {
            hm_ipcio__free_list(list);
            return false;
        }
        node->fd = fd;
        node->object_index = first + i;
        node->next = list;
        list = node;
    }
    *ret_list = list;
    return true;
}

void hm_ipcio__link_list(IpcIo *io, struct hm_ipcio_resource *list)
{
    while (list != NULL) {
        struct hm_ipcio_resource *next = list->next;
        hm_ipcio__link_resource(io, list);
        list = next;
    }
}

void hm_ipcio__free_list(struct hm_ipcio_resource *list)
{
    while (list != NULL) {
        struct hm_ipcio_resource *next = list->next;
        free(list);
        list = next;
    }
}

size_t hm_ipcio_fd_count(const IpcIo *io)
{
    return fd_count(io);
}

int hm_ipcio_collect_fds(const IpcIo *io, int32_t *fds, size_t capacity, size_t *ret_count)
{
    if (!hm_ipcio__usable(io) || ret_count == NULL || (capacity > 0 && fds == NULL))
        return -EINVAL;
    /* One pass: each object is looked at once (an untracked writer's records are its own memory). */
    size_t objects = hm_ipcio__object_count(io);
    size_t count = 0;
    for (size_t i = 0; i < objects; i++) {
        const int32_t fd = fd_to_send(io, i);
        if (fd < 0)
            continue;
        if (count == capacity)
            return -ENOSPC;
        fds[count++] = fd;
    }
    *ret_count = count;
    return 0;
}

int hm_ipcio_install_fds(IpcIo *io, const int32_t *fds, size_t count)
{
    if (!hm_ipcio__usable(io) || !(io->hmMode & HM_IPCIO_MODE_READER) || (count > 0 && fds == NULL))
        return -EINVAL;
    if (io->hmMode & HM_IPCIO_MODE_FDS_INSTALLED)
        return -EALREADY;
    for (size_t i = 0; i < count; i++)
        if (fds[i] < 0)
            return -EINVAL;

    /* Allocate everything first, so nothing changes unless everything can. */
    struct fd_object {
        size_t index;
        char *record;
    } *found = count ? calloc(count, sizeof *found) : NULL;
    struct hm_ipcio_resource *nodes = NULL;
    int err = count && found == NULL ? -ENOMEM : 0;
    for (size_t i = 0; err == 0 && i < count; i++) {
        struct hm_ipcio_resource *node = hm_ipcio__new_resource(HM_IPCIO_RES_FD);
        if (node == NULL) {
            err = -ENOMEM;
            break;
        }
        node->next = nodes;
        nodes = node;
    }
    /* One pass decides which objects are fds. The records' types are the sender's words (in a channel slot it
     * can rewrite them at any moment), so they are looked at once, here, and never counted again. */
    size_t objects = hm_ipcio__object_count(io);
    size_t fd_objects = 0;
    for (size_t i = 0; err == 0 && i < objects; i++) {
        char *record = fd_record(io, i);
        if (record == NULL)
            continue;
        if (fd_objects == count) {
            err = -EPROTO;
            break;
        }
        found[fd_objects].index = i;
        found[fd_objects].record = record;
        fd_objects++;
    }
    if (err == 0 && fd_objects != count)
        err = -EPROTO;
    if (err != 0)
        goto free_nodes;

    for (size_t i = 0; i < count; i++) {
        /* As the LiteOS-A kernel does, the record gets this process's number; readers take it from the node. */
        hm_ipcio__store_u32(found[i].record + HM_IPCIO_OBJ_BINDER, (uint32_t)fds[i]);
        struct hm_ipcio_resource *node = nodes;
        nodes = node->next;
        node->fd = fds[i];
        node->object_index = found[i].index;
        hm_ipcio__link_resource(io, node);
    }
    free(found);
    io->hmMode |= HM_IPCIO_MODE_FDS_INSTALLED;
    return 0;

free_nodes:
    while (nodes != NULL) {
        struct hm_ipcio_resource *next_node = nodes->next;
        free(nodes);
        nodes = next_node;
    }
    free(found);
    return err;
}

/* ---- large raw data as sealed memfds ---- */

#define HM_IPCIO_RAW_SEALS (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

int hm_ipcio_rawdata_create(size_t size, int32_t *ret_fd, void **ret_addr)
{
    if (size == 0 || size > HM_IPCIO_RAW_MAX || ret_fd == NULL || ret_addr == NULL)
        return -EINVAL;
    int err;
    int fd = memfd_create("harmonia-ipcio-raw", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0)
        return -errno;
    if (ftruncate(fd, (off_t)size) != 0) {
        err = -errno;
        goto close_fd;
    }
    void *addr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (addr == MAP_FAILED) {
        err = -errno;
        goto close_fd;
    }
    *ret_fd = fd;
    *ret_addr = addr;
    return 0;

close_fd:
    close(fd);
    return err;
}

int hm_ipcio_rawdata_seal(int32_t fd, void *addr, size_t size)
{
    if (fd < 0 || addr == NULL || size == 0)
        return -EINVAL;
    /* F_SEAL_WRITE is refused while a writable shared mapping exists: unmap first. */
    if (munmap(addr, size) != 0)
        return -errno;
    if (fcntl(fd, F_ADD_SEALS, HM_IPCIO_RAW_SEALS | F_SEAL_SEAL) != 0)
        return -errno;
    return 0;
}

int hm_ipcio_rawdata_map(int32_t fd, size_t size, const void **ret_addr)
{
    if (fd < 0)
        return -EBADF;
    if (size == 0 || size > HM_IPCIO_RAW_MAX || ret_addr == NULL)
        return -EINVAL;
    struct stat st;
    if (fstat(fd, &st) != 0)
        return -errno;
    if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size != (uint64_t)size)
        return -EBADMSG;
    /* Unsealed, the sender could change the bytes under the reader, or shrink the file so that reading the
     * mapping raises SIGBUS. Files that cannot carry seals at all answer EINVAL. */
    int seals = fcntl(fd, F_GET_SEALS);
    if (seals < 0)
        return errno == EINVAL ? -EPERM : -errno;
    if ((seals & HM_IPCIO_RAW_SEALS) != HM_IPCIO_RAW_SEALS)
        return -EPERM;
    void *addr = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
    if (addr == MAP_FAILED)
        return -errno;
    *ret_addr = addr;
    return 0;
}

int hm_ipcio_rawdata_unmap(const void *addr, size_t size)
{
    if (addr == NULL || size == 0)
        return -EINVAL;
    return munmap((void *)(uintptr_t)addr, size) == 0 ? 0 : -errno;
}

int hm_ipcio_fd_dup(int32_t fd, int32_t *ret_fd)
{
    if (ret_fd == NULL)
        return -EINVAL;
    int copy = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    if (copy < 0)
        return -errno;
    *ret_fd = copy;
    return 0;
}

int hm_ipcio_fd_close(int32_t fd)
{
    /* Linux releases the descriptor even when close reports EINTR, so there is nothing to retry. */
    return close(fd) == 0 ? 0 : -errno;
}

bool hm_ipcio__write_memfd_item(IpcIo *io, const void *data, size_t size)
{
    /* Check the room and the table entry before creating anything. */
    size_t item = sizeof(uint32_t) + HM_IPCIO_OBJECT_SIZE;
    if (data == NULL || size == 0 || size > HM_IPCIO_RAW_MAX || !hm_ipcio__usable(io) ||
        (io->hmMode & HM_IPCIO_MODE_READER) || io->offsetsLeft == 0 || io->offsetsCur == NULL ||
        io->bufferLeft < item)
        return hm_ipcio__fail(io);
    struct hm_ipcio_resource *owned = hm_ipcio__new_resource(HM_IPCIO_RES_FD);
    if (owned == NULL)
        return hm_ipcio__fail(io);
    int32_t fd;
    void *addr;
    if (hm_ipcio_rawdata_create(size, &fd, &addr) != 0)
        goto free_owned;
    memcpy(addr, data, size);
    if (hm_ipcio_rawdata_seal(fd, addr, size) != 0)
        goto close_fd;

    char *prefix;
    char *record = hm_ipcio__push_object(io, sizeof(uint32_t), &prefix); /* cannot fail: checked above */
    hm_ipcio__store_u32(prefix, (uint32_t)size);
    hm_ipcio__store_u32(record + HM_IPCIO_OBJ_TYPE, HM_IPCIO_TYPE_FD);
    hm_ipcio__store_u32(record + HM_IPCIO_OBJ_BINDER, (uint32_t)fd);
    hm_ipcio__store_u64(record + HM_IPCIO_OBJ_COOKIE, 1);
    owned->fd = fd;
    owned->object_index = (size_t)(io->offsetsCur - io->offsetsBase) - 1;
    hm_ipcio__link_resource(io, owned);
    return true;

close_fd:
    close(fd);
free_owned:
    free(owned);
    return hm_ipcio__fail(io);
}

const void *hm_ipcio__read_memfd_item(IpcIo *io, size_t expected_size, size_t max_size, size_t *ret_size)
{
    uint32_t stored;
    if (!hm_ipcio__peek_u32(io, &stored))
        return NULL;
    if (expected_size != 0 ? stored != expected_size : (stored == 0 || stored > max_size)) {
        hm_ipcio__fail(io);
        return NULL;
    }
    IpcIo saved = *io;
    size_t index;
    const char *record = hm_ipcio__pop_object(io, HM_IPCIO_TYPE_FD, sizeof(uint32_t), NULL, &index);
    if (record == NULL)
        return NULL;
    /* Reading the same item again (after a rewind) gives the same mapping. */
    struct hm_ipcio_resource *mapping = hm_ipcio__find_resource(io, HM_IPCIO_RES_MAPPING, index);
    if (mapping == NULL) {
        mapping = hm_ipcio__new_resource(HM_IPCIO_RES_MAPPING);
        const void *addr;
        const int32_t fd = object_fd(io, index, record);
        if (mapping == NULL || fd < 0 || hm_ipcio_rawdata_map(fd, stored, &addr) != 0) {
            free(mapping);
            *io = saved;
            hm_ipcio__fail(io);
            return NULL;
        }
        mapping->addr = addr;
        mapping->length = stored;
        mapping->object_index = index;
        hm_ipcio__link_resource(io, mapping);
    }
    if (ret_size != NULL)
        *ret_size = stored;
    return mapping->addr;
}
