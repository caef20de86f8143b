/*
 * Channels: AF_UNIX SOCK_SEQPACKET control socket + a sealed memfd region with two many-to-one rings.
 *
 * Frame header at the start of every message record (host byte order):
 *    0 u32 code          8 u32 data_length   16 u32 object_count   22 u8 pointer_size (sender's sizeof(size_t))
 *    4 u32 flags        12 u32 table_offset  20 u16 fd_count       23 u8 version      24 u64 fd_tag
 * then the payload. An IpcIo payload is its data, then (at table_offset, aligned to 8) its object table.
 * A message with fds has a non-zero fd_tag; the fds were sent before the commit as one SCM_RIGHTS message whose
 * bytes are {u64 fd_tag; u32 count}, so the receiver can match them even when several threads send at once.
 *
 * Trust: the peer can write any byte of the region at any moment (docs/architecture.md section 3.5).
 * Each frame field is copied out of the slot once and only the copies are checked and used; a frame that breaks
 * the rules is skipped with -EBADMSG, a ring that breaks them gives the channel up with -EPROTO (it is shut down,
 * so the peer sees it closed). hm_channel_last_error says why, naming the field, its value and the limit.
 */
#include <harmonia/channel.h>
#include <harmonia/ipcio.h>

#include "../queue/queue_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define HM_CHANNEL_HELLO_MAGIC 0x48434d48u /* "HMCH" */
#define HM_CHANNEL_PROTOCOL_VERSION 1u
#define HM_CHANNEL_REQUEST_RING 0u
#define HM_CHANNEL_REPLY_RING 1u
#define HM_FD_STASH 16
#define HM_STRINGIFY_(x) #x
#define HM_STRINGIFY(x) HM_STRINGIFY_(x)

#define FRAME_CODE 0u
#define FRAME_FLAGS 4u
#define FRAME_DATA_LENGTH 8u
#define FRAME_TABLE_OFFSET 12u
#define FRAME_OBJECT_COUNT 16u
#define FRAME_FD_COUNT 20u
#define FRAME_POINTER_SIZE 22u
#define FRAME_VERSION 23u
#define FRAME_FD_TAG 24u

struct hm_channel_listener {
    int fd;
    char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

/* fds that arrived on the control socket ahead of the record they belong to. */
typedef struct fd_batch {
    uint64_t tag;
    uint32_t count;
    int32_t fds[HM_CHANNEL_MAX_FDS];
} fd_batch;

struct hm_channel {
    int control;
    hm_region *region;
    hm_ring_producer *producer;
    hm_ring_consumer *consumer;
    uint32_t send_ring;
    uint32_t receive_ring;
    hm_peer_credentials peer;
    _Atomic uint64_t next_tag;
    _Atomic int shut;
    _Atomic uint32_t spins;
    /* Set by hm_channel_set_watched: another thread watches the socket and shuts the channel down on a hang-up. */
    _Atomic int watched;
    fd_batch stash[HM_FD_STASH];
    uint32_t stashed;
    /* Why the last receive or claim refused what the peer wrote. */
    hm_error error;
};

/* Records why the peer's bytes were refused (the field, its value, the limit) and returns rc. */
static __attribute__((cold, noinline, format(printf, 3, 4))) int refuse(hm_channel *channel, int rc,
                                                                       const char *format, ...)
{
    va_list args;
    va_start(args, format);
    hm_error_vset(&channel->error, format, args);
    va_end(args);
    return rc;
}

static int make_address(const char *address, struct sockaddr_un *sun, socklen_t *len, hm_error *err)
{
    if (!address || !address[0]) {
        hm_error_set(err, "address must be a path or @name");
        return -EINVAL;
    }
    memset(sun, 0, sizeof *sun);
    sun->sun_family = AF_UNIX;
    const int abstract = address[0] == '@';
    const size_t name_length = strlen(address + abstract);
    if (name_length + 1 > sizeof sun->sun_path) {
        hm_error_set(err, "address is %zu bytes long; the limit is %zu", name_length, sizeof sun->sun_path - 1);
        return -ENAMETOOLONG;
    }
    memcpy(sun->sun_path + abstract, address + abstract, name_length);
    *len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + abstract + name_length + (abstract ? 0 : 1));
    return 0;
}

int hm_channel_listen(const char *address, hm_error *err, hm_channel_listener **ret_listener)
{
    struct sockaddr_un sun;
    socklen_t len;
    int rc = make_address(address, &sun, &len, err);
    if (rc != 0)
        return rc;
    if (!ret_listener)
        return -EINVAL;
    hm_channel_listener *listener = calloc(1, sizeof *listener);
    if (!listener)
        return -ENOMEM;
    listener->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (listener->fd < 0) {
        rc = -errno;
        goto fail_free;
    }
    if (bind(listener->fd, (struct sockaddr *)&sun, len) != 0) {
        rc = -errno;
        hm_error_set(err, "binding %s failed: %s", address, strerror(errno));
        goto fail_close;
    }
    if (listen(listener->fd, 64) != 0) {
        rc = -errno;
        hm_error_set(err, "listening on %s failed: %s", address, strerror(errno));
        goto fail_close;
    }
    if (address[0] != '@')
        snprintf(listener->path, sizeof listener->path, "%s", address);
    *ret_listener = listener;
    return 0;

fail_close:
    close(listener->fd);
fail_free:
    free(listener);
    return rc;
}

int hm_channel_listener_fd(const hm_channel_listener *listener)
{
    return listener->fd;
}

void hm_channel_listener_close(hm_channel_listener *listener)
{
    if (!listener)
        return;
    close(listener->fd);
    if (listener->path[0])
        unlink(listener->path);
    free(listener);
}

/* Waits until fd is readable or the deadline passes. */
static int wait_readable(int fd, int64_t deadline_ns)
{
    for (;;) {
        int64_t now = hm_monotonic_ns();
        int timeout_ms = -1;
        if (deadline_ns != INT64_MAX) {
            if (now >= deadline_ns)
                return -ETIMEDOUT;
            int64_t ms = (deadline_ns - now + 999999) / 1000000;
            timeout_ms = ms > 60000 ? 60000 : (int)ms;
        }
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int n = poll(&p, 1, timeout_ms);
        if (n > 0)
            return 0;
        if (n < 0 && errno != EINTR)
            return -errno;
    }
}

static int64_t deadline_of(int64_t timeout_ns)
{
    return timeout_ns < 0 ? INT64_MAX : hm_monotonic_ns() + timeout_ns;
}

static int read_credentials(int fd, hm_peer_credentials *peer)
{
    struct ucred cred;
    socklen_t len = sizeof cred;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
        return -errno;
    peer->pid = (int32_t)cred.pid;
    peer->uid = (uint32_t)cred.uid;
    peer->gid = (uint32_t)cred.gid;
    return 0;
}

/* Opens this side's producer and consumer on the region. */
static int attach_rings(hm_channel *channel, uint32_t send_ring, uint32_t receive_ring, hm_error *err)
{
    channel->send_ring = send_ring;
    channel->receive_ring = receive_ring;
    int rc = hm_ring_producer_open_checked(channel->region, send_ring, err, &channel->producer);
    if (rc != 0)
        return rc;
    return hm_ring_consumer_open_checked(channel->region, receive_ring, err, &channel->consumer);
}

static void free_channel(hm_channel *channel)
{
    hm_ring_producer_close(channel->producer);
    hm_ring_consumer_close(channel->consumer);
    hm_region_close(channel->region);
    if (channel->control >= 0)
        close(channel->control);
    for (uint32_t i = 0; i < channel->stashed; i++)
        for (uint32_t j = 0; j < channel->stash[i].count; j++)
            close(channel->stash[i].fds[j]);
    free(channel);
}

int hm_channel_accept(hm_channel_listener *listener, uint32_t ring_capacity, int64_t timeout_ns, hm_error *err,
                      hm_channel **ret_channel)
{
    if (!listener || !ret_channel)
        return -EINVAL;
    int rc = wait_readable(listener->fd, deadline_of(timeout_ns));
    if (rc != 0)
        return rc;
    hm_channel *channel = calloc(1, sizeof *channel);
    if (!channel)
        return -ENOMEM;
    atomic_init(&channel->spins, HM_RING_DEFAULT_SPINS);
    atomic_init(&channel->watched, 0);
    channel->control = accept4(listener->fd, NULL, NULL, SOCK_CLOEXEC);
    if (channel->control < 0) {
        rc = -errno;
        hm_error_set(err, "accept failed: %s", strerror(errno));
        goto fail;
    }
    rc = read_credentials(channel->control, &channel->peer);
    if (rc != 0)
        goto fail;
    const uint32_t capacity = ring_capacity ? ring_capacity : HM_CHANNEL_DEFAULT_RING_CAPACITY;
    hm_ring_spec rings[2] = {{.capacity = capacity, .kind = HM_RING_MANY_TO_ONE},
                             {.capacity = capacity, .kind = HM_RING_MANY_TO_ONE}};
    rc = hm_region_create("harmonia-channel", rings, 2, err, &channel->region);
    if (rc != 0)
        goto fail;
    rc = attach_rings(channel, HM_CHANNEL_REPLY_RING, HM_CHANNEL_REQUEST_RING, err);
    if (rc != 0)
        goto fail;

    /* Hand the region over: the hello message carries its fd. */
    uint32_t hello[2] = {HM_CHANNEL_HELLO_MAGIC, HM_CHANNEL_PROTOCOL_VERSION};
    struct iovec iov = {.iov_base = hello, .iov_len = sizeof hello};
    union {
        struct cmsghdr header;
        char bytes[CMSG_SPACE(sizeof(int))];
    } control;
    memset(&control, 0, sizeof control);
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.bytes,
                         .msg_controllen = sizeof control.bytes};
    struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    int region_fd = hm_region_fd(channel->region);
    memcpy(CMSG_DATA(cmsg), &region_fd, sizeof region_fd);
    if (sendmsg(channel->control, &msg, MSG_NOSIGNAL) < 0) {
        rc = -errno;
        hm_error_set(err, "sending the region to the client failed: %s", strerror(errno));
        goto fail;
    }
    *ret_channel = channel;
    return 0;

fail:
    free_channel(channel);
    return rc;
}

int hm_channel_connect(const char *address, int64_t timeout_ns, hm_error *err, hm_channel **ret_channel)
{
    struct sockaddr_un sun;
    socklen_t len;
    int rc = make_address(address, &sun, &len, err);
    if (rc != 0)
        return rc;
    if (!ret_channel)
        return -EINVAL;
    const int64_t deadline = deadline_of(timeout_ns);
    hm_channel *channel = calloc(1, sizeof *channel);
    if (!channel)
        return -ENOMEM;
    atomic_init(&channel->spins, HM_RING_DEFAULT_SPINS);
    atomic_init(&channel->watched, 0);
    channel->control = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (channel->control < 0) {
        rc = -errno;
        goto fail;
    }
    if (connect(channel->control, (struct sockaddr *)&sun, len) != 0) {
        rc = -errno;
        hm_error_set(err, "connecting to %s failed: %s", address, strerror(errno));
        goto fail;
    }
    rc = read_credentials(channel->control, &channel->peer);
    if (rc != 0)
        goto fail;
    rc = wait_readable(channel->control, deadline);
    if (rc != 0) {
        hm_error_set(err, "no region from %s in time", address);
        goto fail;
    }
    uint32_t hello[2] = {0, 0};
    struct iovec iov = {.iov_base = hello, .iov_len = sizeof hello};
    union {
        struct cmsghdr header;
        char bytes[CMSG_SPACE(sizeof(int))];
    } control;
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.bytes,
                         .msg_controllen = sizeof control.bytes};
    ssize_t got = recvmsg(channel->control, &msg, MSG_CMSG_CLOEXEC);
    struct cmsghdr *cmsg = got > 0 ? CMSG_FIRSTHDR(&msg) : NULL;
    int region_fd = -1;
    if (cmsg && cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS &&
        cmsg->cmsg_len == CMSG_LEN(sizeof(int)))
        memcpy(&region_fd, CMSG_DATA(cmsg), sizeof region_fd);
    if (got != (ssize_t)sizeof hello || hello[0] != HM_CHANNEL_HELLO_MAGIC || (msg.msg_flags & MSG_CTRUNC) ||
        region_fd < 0) {
        hm_error_set(err, "the server's hello was malformed (%zd bytes, magic 0x%08" PRIx32 ")", got, hello[0]);
        if (region_fd >= 0)
            close(region_fd);
        rc = -EPROTO;
        goto fail;
    }
    if (hello[1] != HM_CHANNEL_PROTOCOL_VERSION) {
        hm_error_set(err, "channel protocol version=%" PRIu32 ", this library speaks %u", hello[1],
                     HM_CHANNEL_PROTOCOL_VERSION);
        close(region_fd);
        rc = -EPROTONOSUPPORT;
        goto fail;
    }
    rc = hm_region_open(region_fd, err, &channel->region);
    close(region_fd);
    if (rc != 0)
        goto fail;
    if (hm_region_ring_count(channel->region) != 2) {
        hm_error_set(err, "the channel region has %" PRIu32 " rings, not 2", hm_region_ring_count(channel->region));
        rc = -EBADMSG;
        goto fail;
    }
    for (uint32_t ring = 0; ring < 2; ring++) {
        if (hm_region_ring_kind(channel->region, ring) != HM_RING_MANY_TO_ONE) {
            hm_error_set(err, "the channel region's rings[%" PRIu32 "].kind=%" PRIu32 " must be %d (many-to-one)",
                         ring, hm_region_ring_kind(channel->region, ring), HM_RING_MANY_TO_ONE);
            rc = -EBADMSG;
            goto fail;
        }
    }
    rc = attach_rings(channel, HM_CHANNEL_REQUEST_RING, HM_CHANNEL_REPLY_RING, err);
    if (rc != 0)
        goto fail;
    *ret_channel = channel;
    return 0;

fail:
    free_channel(channel);
    return rc;
}

int hm_channel_peer(const hm_channel *channel, hm_peer_credentials *ret_credentials)
{
    if (!channel || !ret_credentials)
        return -EINVAL;
    *ret_credentials = channel->peer;
    return 0;
}

/* Maps ring wait results to the channel's: a hang-up of the control socket is a dead peer. */
/* The socket a wait polls for a hang-up: none when another thread watches it (hm_channel_set_watched). */
static int wait_peer_fd(hm_channel *channel)
{
    return atomic_load_explicit(&channel->watched, memory_order_relaxed) ? -1 : channel->control;
}

/* How long one park of a wait lasts: short when the wait itself must poll the socket, long when it is watched. */
static int64_t wait_slice(hm_channel *channel)
{
    return atomic_load_explicit(&channel->watched, memory_order_relaxed) ? HM_WATCHED_PARK_SLICE_NS : HM_PARK_SLICE_NS;
}

static int channel_wait_status(hm_channel *channel, int rc)
{
    if (rc == -EPIPE || atomic_load(&channel->shut))
        return -EPIPE;
    return rc;
}

int hm_channel_claim(hm_channel *channel, uint32_t capacity, int64_t timeout_ns, hm_channel_message *ret_message)
{
    if (!channel || !ret_message)
        return -EINVAL;
    if (capacity > UINT32_MAX - HM_CHANNEL_FRAME_LENGTH)
        return -EMSGSIZE;
    const int64_t deadline = deadline_of(timeout_ns);
    const uint32_t length = HM_CHANNEL_FRAME_LENGTH + capacity;
    hm_ring_claim claim;
    for (;;) {
        if (hm_region_is_closed(channel->region))
            return -EPIPE;
        int rc = hm_ring_try_claim(channel->producer, length, &claim);
        if (rc == 0)
            break;
        if (rc == -EPROTO)
            return refuse(channel, rc, "send %s", hm_ring_producer_last_error(channel->producer));
        if (rc != -EAGAIN)
            return rc;
        rc = hm_ring_wait_space(channel->region, channel->send_ring, (length + 15u) & ~7u, deadline,
                                wait_peer_fd(channel), atomic_load_explicit(&channel->spins, memory_order_relaxed),
                                wait_slice(channel));
        if (rc != 0)
            return channel_wait_status(channel, rc);
    }
    memset(claim.data, 0, HM_CHANNEL_FRAME_LENGTH);
    ret_message->claim = claim;
    ret_message->data = (uint8_t *)claim.data + HM_CHANNEL_FRAME_LENGTH;
    ret_message->capacity = capacity;
    ret_message->table_offset = 0;
    ret_message->max_objects = 0;
    return 0;
}

static int send_fds(hm_channel *channel, uint64_t tag, const int32_t *fds, uint32_t count)
{
    struct {
        uint64_t tag;
        uint32_t count;
        uint32_t reserved;
    } note = {.tag = tag, .count = count};
    struct iovec iov = {.iov_base = &note, .iov_len = sizeof note};
    union {
        struct cmsghdr header;
        char bytes[CMSG_SPACE(sizeof(int) * HM_CHANNEL_MAX_FDS)];
    } control;
    memset(&control, 0, sizeof control);
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.bytes,
                         .msg_controllen = CMSG_SPACE(sizeof(int) * count)};
    struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int) * count);
    for (uint32_t i = 0; i < count; i++) {
        int fd = fds[i];
        memcpy(CMSG_DATA(cmsg) + i * sizeof(int), &fd, sizeof fd);
    }
    if (sendmsg(channel->control, &msg, MSG_NOSIGNAL) >= 0)
        return 0;
    return errno == EPIPE || errno == ECONNRESET ? -ECONNRESET : -errno;
}

int hm_channel_send_fds(hm_channel *channel, const int32_t *fds, uint32_t count, uint64_t *ret_tag)
{
    if (!channel || !fds || !ret_tag || count == 0 || count > HM_CHANNEL_MAX_FDS)
        return -EINVAL;
    /* Tags are never 0 (0 in a frame means "no fds"); the counter is shared by every sending thread. */
    const uint64_t tag = atomic_fetch_add(&channel->next_tag, 1) + 1;
    int rc = send_fds(channel, tag, fds, count);
    if (rc != 0)
        return rc;
    *ret_tag = tag;
    return 0;
}

static int commit_frame(hm_channel *channel, hm_channel_message *message, uint32_t code, uint32_t flags,
                        uint32_t data_length, uint32_t payload_length, uint32_t object_count, const int32_t *fds,
                        uint32_t fd_count)
{
    int rc = -EINVAL;
    if (payload_length > message->capacity || data_length > payload_length || fd_count > HM_CHANNEL_MAX_FDS ||
        (fd_count && !fds))
        goto abort;
    uint8_t *frame = (uint8_t *)message->claim.data;
    uint64_t tag = 0;
    if (fd_count) {
        rc = hm_channel_send_fds(channel, fds, fd_count, &tag);
        if (rc != 0)
            goto abort;
    }
    uint16_t fd_count16 = (uint16_t)fd_count;
    memcpy(frame + FRAME_CODE, &code, 4);
    memcpy(frame + FRAME_FLAGS, &flags, 4);
    memcpy(frame + FRAME_DATA_LENGTH, &data_length, 4);
    memcpy(frame + FRAME_TABLE_OFFSET, &message->table_offset, 4);
    memcpy(frame + FRAME_OBJECT_COUNT, &object_count, 4);
    memcpy(frame + FRAME_FD_COUNT, &fd_count16, 2);
    frame[FRAME_POINTER_SIZE] = (uint8_t)sizeof(size_t);
    frame[FRAME_VERSION] = (uint8_t)HM_CHANNEL_FRAME_VERSION;
    memcpy(frame + FRAME_FD_TAG, &tag, 8);
    return hm_ring_commit(channel->producer, &message->claim, HM_CHANNEL_RECORD_MESSAGE);

abort:
    hm_ring_abort(channel->producer, &message->claim);
    return rc;
}

int hm_channel_commit(hm_channel *channel, hm_channel_message *message, uint32_t code, uint32_t flags,
                      uint32_t length, const int32_t *fds, uint32_t fd_count)
{
    if (!channel || !message)
        return -EINVAL;
    return commit_frame(channel, message, code, flags & ~HM_CHANNEL_FLAG_IPCIO, length, length, 0, fds, fd_count);
}

int hm_channel_abort(hm_channel *channel, hm_channel_message *message)
{
    if (!channel || !message)
        return -EINVAL;
    return hm_ring_abort(channel->producer, &message->claim);
}

int hm_channel_send(hm_channel *channel, uint32_t code, const void *data, uint32_t length, const int32_t *fds,
                    uint32_t fd_count, int64_t timeout_ns)
{
    if (length && !data)
        return -EINVAL;
    hm_channel_message message;
    int rc = hm_channel_claim(channel, length, timeout_ns, &message);
    if (rc != 0)
        return rc;
    if (length)
        memcpy(message.data, data, length);
    rc = hm_channel_commit(channel, &message, code, 0, length, fds, fd_count);
    /* The claim was ours and fresh: a commit that finds it no longer claimed means the peer rewrote it. */
    if (rc == -EINVAL)
        return refuse(channel, -EPROTO, "send ring: the claimed header at index %" PRIu32
                      " was overwritten before the commit", message.claim.index);
    return rc;
}

int hm_channel_claim_ipcio(hm_channel *channel, uint32_t data_capacity, uint32_t max_objects, int64_t timeout_ns,
                           IpcIo *io, hm_channel_message *ret_message)
{
    if (!io || data_capacity == 0 || max_objects > 1024 || data_capacity > UINT32_MAX / 2)
        return -EINVAL;
    const uint32_t table_offset = (data_capacity + 7u) & ~7u;
    hm_channel_message message;
    int rc = hm_channel_claim(channel, table_offset + max_objects * (uint32_t)sizeof(size_t), timeout_ns, &message);
    if (rc != 0)
        return rc;
    rc = hm_ipcio_init(io, message.data, data_capacity,
                       max_objects ? (size_t *)(void *)((uint8_t *)message.data + table_offset) : NULL, max_objects);
    if (rc != 0) {
        hm_ring_abort(channel->producer, &message.claim);
        return rc;
    }
    message.table_offset = table_offset;
    message.max_objects = max_objects;
    *ret_message = message;
    return 0;
}

int hm_channel_commit_ipcio(hm_channel *channel, hm_channel_message *message, IpcIo *io, uint32_t code)
{
    if (!channel || !message || !io)
        return -EINVAL;
    int32_t fds[HM_CHANNEL_MAX_FDS];
    size_t fd_count = 0;
    const size_t data_length = hm_ipcio_data_length(io);
    const size_t object_count = hm_ipcio_object_count(io);
    int rc = hm_ipcio_collect_fds(io, fds, HM_CHANNEL_MAX_FDS, &fd_count);
    if (rc == 0 && (data_length == 0 && object_count == 0 && (io->flag & IPC_IO_OVERFLOW)))
        rc = -EOVERFLOW;
    if (rc != 0) {
        hm_ring_abort(channel->producer, &message->claim);
        hm_ipcio_release(io);
        return rc;
    }
    const uint32_t payload = message->table_offset + (uint32_t)(object_count * sizeof(size_t));
    rc = commit_frame(channel, message, code, HM_CHANNEL_FLAG_IPCIO, (uint32_t)data_length, payload,
                      (uint32_t)object_count, fds, (uint32_t)fd_count);
    /* The receiver holds its own copies of the fds now (or nothing was delivered): ours can go. */
    hm_ipcio_release(io);
    return rc;
}

/* Finds (or receives) the fds of a message by tag; moves them into `out`. */
static int take_fds(hm_channel *channel, uint64_t tag, uint32_t count, int32_t *out)
{
    for (;;) {
        for (uint32_t i = 0; i < channel->stashed; i++) {
            if (channel->stash[i].tag != tag)
                continue;
            if (channel->stash[i].count != count)
                return -EPROTO;
            memcpy(out, channel->stash[i].fds, sizeof(int32_t) * count);
            channel->stash[i] = channel->stash[--channel->stashed];
            return 0;
        }
        if (channel->stashed == HM_FD_STASH)
            return -ENOBUFS;
        /* The sender sent them before committing, so they are queued on the socket by now. */
        fd_batch *batch = &channel->stash[channel->stashed];
        struct {
            uint64_t tag;
            uint32_t count;
            uint32_t reserved;
        } note;
        struct iovec iov = {.iov_base = &note, .iov_len = sizeof note};
        union {
            struct cmsghdr header;
            char bytes[CMSG_SPACE(sizeof(int) * HM_CHANNEL_MAX_FDS)];
        } control;
        struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.bytes,
                             .msg_controllen = sizeof control.bytes};
        ssize_t got = recvmsg(channel->control, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
        if (got < 0)
            return errno == EAGAIN ? -EPROTO : -errno;
        uint32_t received = 0;
        for (struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg); cmsg; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
            if (cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS)
                continue;
            uint32_t n = (uint32_t)((cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int));
            for (uint32_t i = 0; i < n; i++) {
                int fd;
                memcpy(&fd, CMSG_DATA(cmsg) + i * sizeof(int), sizeof fd);
                if (received < HM_CHANNEL_MAX_FDS)
                    batch->fds[received++] = fd;
                else
                    close(fd);
            }
        }
        if (got != (ssize_t)sizeof note || (msg.msg_flags & (MSG_CTRUNC | MSG_TRUNC)) || received != note.count) {
            for (uint32_t i = 0; i < received; i++)
                close(batch->fds[i]);
            return -EBADMSG;
        }
        batch->tag = note.tag;
        batch->count = received;
        channel->stashed++;
    }
}

int hm_channel_take_fds(hm_channel *channel, uint64_t tag, uint32_t count, int32_t *ret_fds)
{
    if (!channel || !ret_fds || tag == 0 || count == 0 || count > HM_CHANNEL_MAX_FDS)
        return -EINVAL;
    return take_fds(channel, tag, count, ret_fds);
}

/*
 * Validates the frame of a peeked record and fills the received message (fds installed). Each field is copied out
 * of the slot once; only the copies are checked and used, so the peer cannot change a field between the check
 * and its use. The IpcIo table's place goes into the message's private fields for hm_channel_receive_ipcio.
 */
static int parse_frame(hm_channel *channel, const hm_ring_record *record, hm_channel_received *out)
{
    if (record->type != HM_CHANNEL_RECORD_MESSAGE || record->length < HM_CHANNEL_FRAME_LENGTH)
        return refuse(channel, -EBADMSG, "record type=%" PRId32 " length=%" PRIu32 ": a message is type %d with at "
                      "least the %u-byte frame", record->type, record->length, HM_CHANNEL_RECORD_MESSAGE,
                      HM_CHANNEL_FRAME_LENGTH);
    uint8_t frame[HM_CHANNEL_FRAME_LENGTH];
    memcpy(frame, record->data, sizeof frame);
    uint32_t code, flags, data_length, table_offset, object_count;
    uint16_t fd_count;
    uint64_t tag;
    memcpy(&code, frame + FRAME_CODE, 4);
    memcpy(&flags, frame + FRAME_FLAGS, 4);
    memcpy(&data_length, frame + FRAME_DATA_LENGTH, 4);
    memcpy(&table_offset, frame + FRAME_TABLE_OFFSET, 4);
    memcpy(&object_count, frame + FRAME_OBJECT_COUNT, 4);
    memcpy(&fd_count, frame + FRAME_FD_COUNT, 2);
    memcpy(&tag, frame + FRAME_FD_TAG, 8);
    const uint32_t payload = record->length - HM_CHANNEL_FRAME_LENGTH;
    if (frame[FRAME_VERSION] != HM_CHANNEL_FRAME_VERSION)
        return refuse(channel, -EBADMSG, "frame of message code=%" PRIu32 ": version=%u must be %u", code,
                      frame[FRAME_VERSION], HM_CHANNEL_FRAME_VERSION);
    if (data_length > payload)
        return refuse(channel, -EBADMSG, "frame of message code=%" PRIu32 ": data_length=%" PRIu32
                      " exceeds the %" PRIu32 " payload bytes", code, data_length, payload);
    if (fd_count > HM_CHANNEL_MAX_FDS || (fd_count != 0) != (tag != 0))
        return refuse(channel, -EBADMSG, "frame of message code=%" PRIu32 ": fd_count=%u (at most %u) with "
                      "fd_tag=%" PRIu64 " (non-zero exactly when there are fds)", code, fd_count, HM_CHANNEL_MAX_FDS,
                      tag);
    if (flags & HM_CHANNEL_FLAG_IPCIO) {
        if (frame[FRAME_POINTER_SIZE] != sizeof(size_t))
            return refuse(channel, -EBADMSG, "IpcIo frame of message code=%" PRIu32 ": pointer_size=%u, this "
                          "process's is %zu", code, frame[FRAME_POINTER_SIZE], sizeof(size_t));
        if (table_offset % sizeof(size_t) != 0 || table_offset < data_length || table_offset > payload ||
            (uint64_t)object_count * sizeof(size_t) > payload - table_offset)
            return refuse(channel, -EBADMSG, "IpcIo frame of message code=%" PRIu32 ": table_offset=%" PRIu32
                          " (aligned to %zu, from data_length=%" PRIu32 ") and object_count=%" PRIu32
                          " must fit the %" PRIu32 " payload bytes", code, table_offset, sizeof(size_t), data_length,
                          object_count, payload);
    }
    out->code = code;
    out->flags = flags;
    out->data = record->data + HM_CHANNEL_FRAME_LENGTH;
    out->length = data_length;
    out->fd_count = fd_count;
    out->ipcio = NULL;
    out->table_offset = table_offset;
    out->object_count = object_count;
    for (uint32_t i = 0; i < HM_CHANNEL_MAX_FDS; i++)
        out->fds[i] = -1;
    if (fd_count == 0)
        return 0;
    int rc = take_fds(channel, tag, fd_count, out->fds);
    if (rc == 0)
        return 0;
    out->fd_count = 0;
    /* No batch with that tag, one of another size, a truncated one, or too many batches ahead of their frames:
     * the frame is skipped (the sender's fault), the channel goes on. */
    const char *why = rc == -EPROTO    ? "no batch with this tag and count on the socket"
                      : rc == -ENOBUFS ? "the early-arrival stash is full (" HM_STRINGIFY(HM_FD_STASH) " batches)"
                      : rc == -EBADMSG ? "the batch was truncated"
                                       : strerror(-rc);
    return refuse(channel, rc == -EPROTO || rc == -ENOBUFS || rc == -EBADMSG ? -EBADMSG : rc,
                  "frame of message code=%" PRIu32 ": fd_tag=%" PRIu64 " fd_count=%u: %s", code, tag, fd_count, why);
}

/* The receive ring broke the rules: the channel is given up (shut down, so the peer sees it closed). */
static __attribute__((cold, noinline)) int give_up(hm_channel *channel, int rc)
{
    refuse(channel, rc, "receive %s", hm_ring_consumer_last_error(channel->consumer));
    hm_channel_shutdown(channel);
    return rc;
}

int hm_channel_receive(hm_channel *channel, int64_t timeout_ns, hm_channel_received *ret_message)
{
    if (!channel || !ret_message)
        return -EINVAL;
    const int64_t deadline = deadline_of(timeout_ns);
    for (uint32_t round = 1;; round++) {
        hm_ring_record record;
        int rc = hm_ring_peek(channel->consumer, &record);
        if (rc == 1) {
            rc = parse_frame(channel, &record, ret_message);
            if (rc != 0) {
                /* A malformed frame is skipped, never delivered. */
                hm_ring_release(channel->consumer);
                return rc;
            }
            return 0;
        }
        if (rc == -EPROTO)
            return give_up(channel, rc);
        if (rc != 0)
            return rc;
        /* The wait returns at once while the head record is claimed but not committed (so that a dead claimer is
         * noticed). A claimer that never commits, or claims again and again, would keep this loop going: the
         * deadline, closure and the peer are checked here too. */
        if (round > 1) {
            if (hm_monotonic_ns() >= deadline)
                return -ETIMEDOUT;
            if (round % 256 == 0 && (hm_region_is_closed(channel->region) || hm_peer_check(channel->control) != 0))
                return channel_wait_status(channel, hm_region_is_closed(channel->region) ? -EPIPE : -ECONNRESET);
        }
        rc = hm_ring_wait_data(channel->region, channel->receive_ring, deadline, wait_peer_fd(channel),
                               atomic_load_explicit(&channel->spins, memory_order_relaxed), wait_slice(channel));
        if (rc != 0) {
            /* Anything committed before the peer went away is still delivered first. */
            const int left = hm_ring_peek(channel->consumer, &record);
            if (left == 1)
                continue;
            if (left == -EPROTO)
                return give_up(channel, left);
            return channel_wait_status(channel, rc);
        }
    }
}

int hm_channel_receive_ipcio(hm_channel *channel, int64_t timeout_ns, IpcIo *io, hm_channel_received *ret_message)
{
    if (!io)
        return -EINVAL;
    int rc = hm_channel_receive(channel, timeout_ns, ret_message);
    if (rc != 0)
        return rc;
    if (!(ret_message->flags & HM_CHANNEL_FLAG_IPCIO))
        return -ENOMSG;
    /* The table's place as parse_frame validated it, not as the slot says now. */
    uint8_t *payload = (uint8_t *)(uintptr_t)ret_message->data;
    const uint32_t object_count = ret_message->object_count;
    rc = hm_ipcio_init_reader(io, payload, ret_message->length,
                              object_count ? (size_t *)(void *)(payload + ret_message->table_offset) : NULL,
                              object_count);
    if (rc != 0)
        refuse(channel, -EBADMSG, "IpcIo message code=%" PRIu32 ": its object table does not describe its data "
               "(%" PRIu32 " entries over %" PRIu32 " bytes)", ret_message->code, object_count,
               ret_message->length);
    if (rc == 0) {
        rc = hm_ipcio_install_fds(io, ret_message->fds, ret_message->fd_count);
        if (rc != 0)
            refuse(channel, -EBADMSG, "IpcIo message code=%" PRIu32 ": %" PRIu32 " fds for its fd objects: %s",
                   ret_message->code, ret_message->fd_count, strerror(-rc));
    }
    if (rc != 0) {
        hm_channel_release(channel, ret_message);
        return -EBADMSG;
    }
    /* The IpcIo owns the fds now. */
    for (uint32_t i = 0; i < ret_message->fd_count; i++)
        ret_message->fds[i] = -1;
    ret_message->ipcio = io;
    return 0;
}

int hm_channel_release(hm_channel *channel, hm_channel_received *message)
{
    if (!channel || !message)
        return -EINVAL;
    if (message->ipcio) {
        hm_ipcio_release(message->ipcio);
        message->ipcio = NULL;
    }
    for (uint32_t i = 0; i < message->fd_count && i < HM_CHANNEL_MAX_FDS; i++) {
        if (message->fds[i] >= 0)
            close(message->fds[i]);
        message->fds[i] = -1;
    }
    message->fd_count = 0;
    return hm_ring_release(channel->consumer);
}

void hm_channel_shutdown(hm_channel *channel)
{
    if (!channel || atomic_exchange(&channel->shut, 1))
        return;
    hm_region_mark_closed(channel->region);
    shutdown(channel->control, SHUT_RDWR);
}

void hm_channel_close(hm_channel *channel)
{
    if (!channel)
        return;
    hm_channel_shutdown(channel);
    free_channel(channel);
}

hm_region *hm_channel_region(const hm_channel *channel)
{
    return channel->region;
}

uint32_t hm_channel_send_ring(const hm_channel *channel)
{
    return channel->send_ring;
}

uint32_t hm_channel_receive_ring(const hm_channel *channel)
{
    return channel->receive_ring;
}

int hm_channel_control_fd(const hm_channel *channel)
{
    return channel->control;
}

int hm_channel_wait_readable(hm_channel *channel, int64_t timeout_ns)
{
    if (!channel)
        return -EINVAL;
    return channel_wait_status(
        channel, hm_ring_wait_data(channel->region, channel->receive_ring, deadline_of(timeout_ns),
                                   wait_peer_fd(channel), atomic_load_explicit(&channel->spins, memory_order_relaxed),
                                   wait_slice(channel)));
}

int hm_channel_wait_writable(hm_channel *channel, uint32_t length, int64_t timeout_ns)
{
    if (!channel || length > UINT32_MAX - 64)
        return -EINVAL;
    const uint32_t required = (HM_CHANNEL_FRAME_LENGTH + length + HM_RING_RECORD_HEADER_LENGTH + 7u) & ~7u;
    const uint32_t spins = atomic_load_explicit(&channel->spins, memory_order_relaxed);
    return channel_wait_status(channel, hm_ring_wait_space(channel->region, channel->send_ring, required,
                                                           deadline_of(timeout_ns), wait_peer_fd(channel), spins,
                                                           wait_slice(channel)));
}

const char *hm_channel_last_error(const hm_channel *channel)
{
    return channel ? channel->error.message : "";
}

void hm_channel_set_spins(hm_channel *channel, uint32_t spins)
{
    if (channel)
        atomic_store_explicit(&channel->spins, spins, memory_order_relaxed);
}

void hm_channel_set_watched(hm_channel *channel, int watched)
{
    if (channel)
        atomic_store_explicit(&channel->watched, watched != 0, memory_order_relaxed);
}
