/*
 * Message bodies (architecture section 6.3): the IpcIo data padded to 8, its object table as 8-byte offsets, then a
 * reference entry per remote object. Received bodies are copied out of the ring at once (the slot is freed and the
 * body lives as long as its reader wants); the copy's table is validated by hm_ipcio_init_reader and its fds
 * installed before anyone reads it. A spilled body (its data and table in a sealed memfd, the frame's last fd) is
 * read from that memfd; this side always sends bodies inline.
 */
#include "rpc_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <harmonia/ipcio.h>

static void close_fds(int32_t *fds, uint32_t count)
{
    for (uint32_t i = 0; i < count; i++) {
        if (fds[i] >= 0) {
            close(fds[i]);
        }
    }
}

int rpc_body_copy(rpc_conn *source, const hm_rpc_body *layout, int32_t *fds, uint32_t fd_count,
                  rpc_body **ret_body, hm_error *err)
{
    rpc_body *body = calloc(1, sizeof(*body));
    size_t data_bytes = layout->data_length == 0 ? 1 : layout->data_length;
    if (body != NULL) {
        body->data = malloc(data_bytes);
        body->offsets = calloc(layout->object_count + 1u, sizeof(size_t));
        body->refs = malloc(layout->refs_length + 1u);
        body->taken = calloc(layout->ref_count + 1u, sizeof(bool));
    }
    if (body == NULL || body->data == NULL || body->offsets == NULL || body->refs == NULL || body->taken == NULL) {
        close_fds(fds, fd_count);
        if (body != NULL) {
            free(body->data);
            free(body->offsets);
            free(body->refs);
            free(body->taken);
            free(body);
        }
        snprintf(err->message, sizeof(err->message), "no memory for a body of %" PRIu32 " bytes",
                 layout->data_length);
        return -ENOMEM;
    }
    const uint8_t *image = layout->image;
    const void *mapped = NULL;
    size_t image_length = hm_rpc_align8(layout->data_length) + (size_t)layout->object_count * 8u;
    if (layout->spilled) {
        int32_t memfd = fds[--fd_count];
        int rc = hm_ipcio_rawdata_map(memfd, image_length == 0 ? 1 : image_length, &mapped);
        close(memfd);
        if (rc < 0) {
            snprintf(err->message, sizeof(err->message), "the memfd of a spilled body of %zu bytes was refused (%d)",
                     image_length, rc);
            goto refused;
        }
        image = mapped;
    }
    memcpy(body->data, image, layout->data_length);
    for (uint32_t i = 0; i < layout->object_count; i++) {
        uint64_t offset = hm_rpc_load64(image + hm_rpc_align8(layout->data_length) + (size_t)i * 8u);
        if (offset > layout->data_length) {
            snprintf(err->message, sizeof(err->message), "object %" PRIu32 " at offset %" PRIu64
                     " is past the %" PRIu32 " data bytes", i, offset, layout->data_length);
            goto refused;
        }
        body->offsets[i] = (size_t)offset;
    }
    if (mapped != NULL) {
        hm_ipcio_rawdata_unmap(mapped, image_length == 0 ? 1 : image_length);
        mapped = NULL;
    }
    if (hm_ipcio_init_reader(&body->io, body->data, layout->data_length, body->offsets, layout->object_count) != 0) {
        snprintf(err->message, sizeof(err->message), "its object table does not describe its %" PRIu32
                 " data bytes", layout->data_length);
        goto refused;
    }
    if (hm_ipcio_install_fds(&body->io, fds, fd_count) != 0) {
        snprintf(err->message, sizeof(err->message), "it came with %" PRIu32 " fds for %zu fd objects", fd_count,
                 hm_ipcio_fd_count(&body->io));
        hm_ipcio_release(&body->io);
        goto refused;
    }
    fd_count = 0;
    memcpy(body->refs, layout->refs, layout->refs_length);
    body->layout = *layout;
    body->layout.image = NULL;
    body->layout.refs = body->refs;
    body->source = source;
    if (source != NULL) {
        rpc_conn_ref(source);
    }
    *ret_body = body;
    return 0;

refused:
    if (mapped != NULL) {
        hm_ipcio_rawdata_unmap(mapped, image_length == 0 ? 1 : image_length);
    }
    close_fds(fds, fd_count);
    free(body->data);
    free(body->offsets);
    free(body->refs);
    free(body->taken);
    free(body);
    return -EBADMSG;
}

/* Tells the writer of a reference (the peer of the connection it came on) that its pin can go. */
static void settle_transfer(rpc_conn *source, uint64_t transfer_id)
{
    if (source == NULL) {
        return;
    }
    rpc_conn *writer = source;
    bool own = false;
    if (source->incoming) {
        /* The writer called us: TRANSFER_DONE goes over our own connection to its endpoint. */
        if (source->address[0] == '\0' || rpc_outgoing(source->address, source->peer.pid, &writer) != 0) {
            return;
        }
        own = true;
    }
    rpc_send_words(writer, HM_RPC_TRANSFER_DONE, &transfer_id, 1);
    if (own) {
        rpc_conn_unref(writer);
    }
}

void rpc_body_free(rpc_body *body)
{
    if (body == NULL) {
        return;
    }
    for (uint32_t i = 0; i < body->layout.ref_count; i++) {
        hm_rpc_reference reference;
        if (!body->taken[i] && hm_rpc_body_reference(&body->layout, i, &reference, NULL) == 0) {
            settle_transfer(body->source, reference.transfer_id);
        }
    }
    hm_ipcio_release(&body->io);
    if (body->source != NULL) {
        rpc_conn_unref(body->source);
    }
    free(body->data);
    free(body->offsets);
    free(body->refs);
    free(body->taken);
    free(body);
}

int rpc_send_body(rpc_conn *conn, uint32_t kind, uint8_t *header, uint32_t header_length, uint32_t counts_at,
                  const IpcIo *io, hm_rpc_object *const *objects, uint32_t object_count, int64_t timeout_ns)
{
    size_t data_length = io == NULL ? 0 : hm_ipcio_data_length(io);
    size_t table_count = io == NULL ? 0 : hm_ipcio_object_count(io);
    if (data_length > HM_RPC_MAX_DATA || table_count > HM_RPC_MAX_OBJECTS || object_count > table_count) {
        return HM_RPC_REQUEST_TOO_LARGE;
    }
    int32_t fds[HM_CHANNEL_MAX_FDS];
    size_t fd_count = 0;
    if (io != NULL && hm_ipcio_fd_count(io) != 0 &&
        hm_ipcio_collect_fds(io, fds, HM_CHANNEL_MAX_FDS, &fd_count) != 0) {
        return HM_RPC_REQUEST_TOO_LARGE;
    }
    hm_rpc_reference references[8];
    hm_rpc_reference *refs = object_count <= 8 ? references : calloc(object_count, sizeof(*refs));
    if (refs == NULL) {
        return HM_RPC_REQUEST_TOO_LARGE;
    }
    uint64_t refs_length = 0;
    uint32_t pinned = 0;
    int32_t status = HM_RPC_OK;
    pthread_mutex_lock(&g_rpc.lock);
    for (; pinned < object_count; pinned++) {
        if (objects[pinned] == NULL || rpc_object_pin(objects[pinned], conn->peer.pid, &refs[pinned]) != 0) {
            status = HM_RPC_REQUEST_TOO_LARGE;
            break;
        }
        refs_length += hm_rpc_reference_length(strlen(refs[pinned].owner_address), refs[pinned].descriptor_length);
    }
    pthread_mutex_unlock(&g_rpc.lock);
    uint64_t total = header_length + hm_rpc_align8((uint32_t)data_length) + table_count * 8u + refs_length;
    hm_channel_message message;
    if (status == HM_RPC_OK) {
        int rc = total > UINT32_MAX ? -EMSGSIZE : hm_channel_claim(conn->channel, (uint32_t)total, timeout_ns, &message);
        if (rc == -EMSGSIZE) {
            status = HM_RPC_REQUEST_TOO_LARGE;
        } else if (rc == -ETIMEDOUT) {
            status = HM_RPC_BUSY;
        } else if (rc != 0) {
            status = HM_RPC_DEAD_OBJECT;
        }
    }
    if (status != HM_RPC_OK) {
        pthread_mutex_lock(&g_rpc.lock);
        for (uint32_t i = 0; i < pinned; i++) {
            rpc_object_unpin(refs[i].transfer_id, 0);
        }
        pthread_mutex_unlock(&g_rpc.lock);
        if (refs != references) {
            free(refs);
        }
        return status;
    }
    hm_rpc_store32(header + counts_at, (uint32_t)data_length);
    hm_rpc_store32(header + counts_at + 4, (uint32_t)table_count);
    hm_rpc_store32(header + counts_at + 8, object_count);
    uint8_t *at = message.data;
    memcpy(at, header, header_length);
    at += header_length;
    if (data_length != 0) {
        memcpy(at, io->bufferBase, data_length);
    }
    memset(at + data_length, 0, hm_rpc_align8((uint32_t)data_length) - data_length);
    at += hm_rpc_align8((uint32_t)data_length);
    for (size_t i = 0; i < table_count; i++, at += 8) {
        hm_rpc_store64(at, io->offsetsBase[i]);
    }
    for (uint32_t i = 0; i < object_count; i++) {
        hm_rpc_write_reference(at, &refs[i], refs[i].descriptor, refs[i].descriptor_length);
        at += hm_rpc_reference_length(strlen(refs[i].owner_address), refs[i].descriptor_length);
    }
    int rc = hm_channel_commit(conn->channel, &message, kind, 0, (uint32_t)total, fds, (uint32_t)fd_count);
    if (rc != 0) {
        pthread_mutex_lock(&g_rpc.lock);
        for (uint32_t i = 0; i < object_count; i++) {
            rpc_object_unpin(refs[i].transfer_id, 0);
        }
        pthread_mutex_unlock(&g_rpc.lock);
        status = HM_RPC_DEAD_OBJECT;
    }
    if (refs != references) {
        free(refs);
    }
    return status;
}

/* The proxy of an existing (address, object) pair, with a reference more (caller holds g_rpc.lock). */
static hm_rpc_proxy *known_proxy(const char *address, uint64_t object_id)
{
    for (hm_rpc_proxy *proxy = g_rpc.proxies; proxy != NULL; proxy = proxy->next) {
        if (proxy->object_id == object_id && strcmp(proxy->owner_address, address) == 0 && !proxy->conn->closed) {
            proxy->refs++;
            return proxy;
        }
    }
    return NULL;
}

int rpc_body_proxy(rpc_body *body, int32_t handle, hm_rpc_proxy **ret_proxy)
{
    if (body == NULL || handle < 1 || (uint32_t)handle > body->layout.ref_count || body->taken[handle - 1]) {
        return -EINVAL;
    }
    hm_rpc_reference reference;
    if (hm_rpc_body_reference(&body->layout, (uint32_t)handle - 1, &reference, NULL) != 0) {
        return -EBADMSG;
    }
    body->taken[handle - 1] = true;
    rpc_conn *source = body->source;
    if (reference.owner_pid == g_rpc.pid && strcmp(reference.owner_address, g_rpc.address) == 0) {
        settle_transfer(source, reference.transfer_id);
        return -EOPNOTSUPP; /* one of this process's own objects: not a proxy */
    }
    pthread_mutex_lock(&g_rpc.lock);
    hm_rpc_proxy *existing = known_proxy(reference.owner_address, reference.object_id);
    pthread_mutex_unlock(&g_rpc.lock);
    if (existing != NULL) {
        settle_transfer(source, reference.transfer_id);
        *ret_proxy = existing;
        return 0;
    }
    bool from_owner = source != NULL && source->peer.pid == reference.owner_pid;
    rpc_conn *owner = NULL;
    if (from_owner && !source->incoming) {
        owner = source;
        rpc_conn_ref(owner);
    } else if (rpc_outgoing(reference.owner_address, reference.owner_pid, &owner) != 0) {
        settle_transfer(source, reference.transfer_id);
        return -ECONNREFUSED;
    }
    int rc = 0;
    if (from_owner) {
        uint64_t words[4] = {reference.object_id, reference.secret_low, reference.secret_high,
                             reference.transfer_id};
        rc = rpc_send_words(owner, HM_RPC_ACQUIRE, words, 4);
    } else {
        uint8_t frame[8 + HM_RPC_ACQUIRE_LENGTH];
        hm_rpc_store64(frame + 8, reference.object_id);
        hm_rpc_store64(frame + 16, reference.secret_low);
        hm_rpc_store64(frame + 24, reference.secret_high);
        hm_rpc_store64(frame + 32, 0);
        int32_t status = 0;
        rc = rpc_call_frame(owner, HM_RPC_ACQUIRE_SYNC, NULL, frame, sizeof(frame), NULL, 0, INT64_C(8000000000),
                            &status, NULL);
        settle_transfer(source, reference.transfer_id);
        if (rc == 0 && status != 0) {
            rc = -EACCES;
        }
    }
    if (rc != 0) {
        rpc_conn_unref(owner);
        return rc < 0 ? rc : -ECONNRESET;
    }
    hm_rpc_proxy *proxy = calloc(1, sizeof(*proxy));
    if (proxy == NULL) {
        uint64_t words[2] = {reference.object_id, 1};
        rpc_send_words(owner, HM_RPC_RELEASE, words, 2);
        rpc_conn_unref(owner);
        return -ENOMEM;
    }
    proxy->conn = owner;
    memcpy(proxy->owner_address, reference.owner_address, sizeof(proxy->owner_address));
    proxy->owner_pid = reference.owner_pid;
    proxy->object_id = reference.object_id;
    proxy->secret_low = reference.secret_low;
    proxy->secret_high = reference.secret_high;
    proxy->refs = 1;
    pthread_mutex_lock(&g_rpc.lock);
    proxy->next = g_rpc.proxies;
    g_rpc.proxies = proxy;
    pthread_mutex_unlock(&g_rpc.lock);
    *ret_proxy = proxy;
    return 0;
}
