/*
 * Connections (architecture section 6.2): one direction each. An outgoing connection carries this process's
 * requests to one other endpoint (ring 0) and their replies (ring 1); the other side of it is that endpoint's
 * incoming connection. The first frame on a connection this process opens is HELLO.
 *
 * Replies: no thread is dedicated to an outgoing connection. A caller waiting for its reply takes the connection's
 * reading role (under the connection's lock) and reads whatever replies arrive: its own ends its wait; another
 * caller's is copied into that caller's pending entry and the waiters are woken. When the role holder leaves, a
 * waiter takes the role over. A lone caller therefore reads its own reply, with no hand-off.
 *
 * Incoming: each incoming connection has a reader thread that decodes frames and runs requests itself, one at a
 * time, in arrival order. A frame that breaks the protocol closes the connection (rpc_frames.h); when a process's
 * last incoming connection closes, its references and pins go (rpc_process_gone).
 */
#include "rpc_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <harmonia/ipcio.h>

/* Longest wait in the channel per round, so a waiter sees its deadline and a closed connection in time. */
#define RPC_READ_SLICE_NS INT64_C(2000000)
/* How long an idle incoming reader parks before it checks the connection again. */
#define RPC_IDLE_PARK_NS INT64_C(50000000)
/* Time to claim room for a control frame or a reply. */
#define RPC_SEND_TIMEOUT_NS INT64_C(5000000000)

static int64_t now_ns(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * INT64_C(1000000000) + now.tv_nsec;
}

void rpc_conn_ref(rpc_conn *conn)
{
    pthread_mutex_lock(&g_rpc.lock);
    conn->refs++;
    pthread_mutex_unlock(&g_rpc.lock);
}

void rpc_conn_unref(rpc_conn *conn)
{
    pthread_mutex_lock(&g_rpc.lock);
    bool last = --conn->refs == 0;
    pthread_mutex_unlock(&g_rpc.lock);
    if (last) {
        hm_channel_close(conn->channel);
        pthread_cond_destroy(&conn->changed);
        pthread_mutex_destroy(&conn->lock);
        free(conn);
    }
}

static void unlink_conn(rpc_conn *conn)
{
    for (rpc_conn **link = &g_rpc.conns; *link != NULL; link = &(*link)->next) {
        if (*link == conn) {
            *link = conn->next;
            conn->next = NULL;
            conn->refs--; /* the list's reference; never the last (the closer holds one) */
            return;
        }
    }
}

void rpc_conn_close(rpc_conn *conn)
{
    pthread_mutex_lock(&conn->lock);
    bool was_closed = conn->closed;
    conn->closed = true;
    pthread_cond_broadcast(&conn->changed);
    pthread_mutex_unlock(&conn->lock);
    if (was_closed) {
        return;
    }
    hm_channel_shutdown(conn->channel);
    pthread_mutex_lock(&g_rpc.lock);
    unlink_conn(conn);
    if (conn->incoming) {
        bool others = false;
        for (rpc_conn *other = g_rpc.conns; other != NULL; other = other->next) {
            others = others || (other->incoming && other->peer.pid == conn->peer.pid);
        }
        if (!others) {
            rpc_process_gone(conn->peer.pid);
        }
    }
    pthread_mutex_unlock(&g_rpc.lock);
}

static rpc_conn *conn_new(hm_channel *channel, bool incoming, const char *address)
{
    rpc_conn *conn = calloc(1, sizeof(*conn));
    if (conn == NULL) {
        return NULL;
    }
    conn->channel = channel;
    conn->incoming = incoming;
    hm_channel_peer(channel, &conn->peer);
    if (address != NULL) {
        snprintf(conn->address, sizeof(conn->address), "%s", address);
    }
    pthread_mutex_init(&conn->lock, NULL);
    pthread_cond_init(&conn->changed, NULL);
    conn->refs = 2; /* the list's and the creator's */
    return conn;
}

static int send_hello(rpc_conn *conn)
{
    size_t address_length = strlen(g_rpc.address);
    uint8_t frame[HM_RPC_HELLO_HEADER + HM_RPC_MAX_ADDRESS + 8] = {0};
    hm_rpc_store64(frame, g_rpc.instance);
    hm_rpc_store32(frame + 8, (uint32_t)g_rpc.pid);
    hm_rpc_store16(frame + 12, (uint16_t)address_length);
    memcpy(frame + HM_RPC_HELLO_HEADER, g_rpc.address, address_length);
    uint32_t length = hm_rpc_align8((uint32_t)(HM_RPC_HELLO_HEADER + address_length));
    return hm_channel_send(conn->channel, HM_RPC_HELLO, frame, length, NULL, 0, RPC_SEND_TIMEOUT_NS);
}

int rpc_outgoing(const char *address, int32_t expected_pid, rpc_conn **ret_conn)
{
    int rc = rpc_start();
    if (rc != 0) {
        return rc;
    }
    pthread_mutex_lock(&g_rpc.lock);
    for (rpc_conn *conn = g_rpc.conns; conn != NULL; conn = conn->next) {
        if (!conn->incoming && !conn->closed && strcmp(conn->address, address) == 0) {
            conn->refs++;
            pthread_mutex_unlock(&g_rpc.lock);
            *ret_conn = conn;
            return 0;
        }
    }
    pthread_mutex_unlock(&g_rpc.lock);
    hm_channel *channel = NULL;
    rc = hm_channel_connect(address, RPC_SEND_TIMEOUT_NS, NULL, &channel);
    if (rc != 0) {
        return rc;
    }
    rpc_conn *conn = conn_new(channel, false, address);
    if (conn == NULL) {
        hm_channel_close(channel);
        return -ENOMEM;
    }
    if ((expected_pid != 0 && conn->peer.pid != expected_pid) || send_hello(conn) != 0) {
        conn->refs = 1;
        rpc_conn_unref(conn);
        return -ECONNREFUSED;
    }
    pthread_mutex_lock(&g_rpc.lock);
    conn->next = g_rpc.conns;
    g_rpc.conns = conn;
    pthread_mutex_unlock(&g_rpc.lock);
    *ret_conn = conn;
    return 0;
}

int rpc_send_words(rpc_conn *conn, uint32_t kind, const uint64_t *words, uint32_t word_count)
{
    uint8_t frame[64];
    for (uint32_t i = 0; i < word_count; i++) {
        hm_rpc_store64(frame + 8 * i, words[i]);
    }
    int rc = hm_channel_send(conn->channel, kind, frame, 8 * word_count, NULL, 0, RPC_SEND_TIMEOUT_NS);
    if (rc == -ECONNRESET || rc == -EPIPE) {
        rpc_conn_close(conn);
    }
    return rc;
}

/* A thread's context for call ids and chain entries: a small number of its own, never 0. */
static uint64_t thread_context(void)
{
    static uint64_t next;
    static __thread uint64_t context;
    if (context == 0) {
        context = __atomic_add_fetch(&next, 1, __ATOMIC_RELAXED) & 0xffffffffffu;
        context = context == 0 ? 1 : context;
    }
    return context;
}

static uint64_t new_call_id(void)
{
    static __thread uint32_t sequence;
    sequence = (sequence + 1) & 0xffffffu;
    return thread_context() << 24 | sequence;
}

/* Decodes one frame of the reply ring: completes the call it answers. -EPROTO breaks the connection. */
static int take_reply(rpc_conn *conn, hm_channel_received *received)
{
    hm_error err = {{0}};
    if (received->code != HM_RPC_REPLY) {
        return -EPROTO;
    }
    hm_rpc_reply_frame frame;
    int rc = hm_rpc_parse_reply(received->data, received->length, received->fd_count, &frame, &err);
    if (rc != 0) {
        return -EPROTO;
    }
    int32_t fds[HM_CHANNEL_MAX_FDS];
    uint32_t fd_count = received->fd_count;
    for (uint32_t i = 0; i < fd_count; i++) {
        fds[i] = received->fds[i];
        received->fds[i] = -1;
    }
    rpc_body *body = NULL;
    bool want_body = frame.status == HM_RPC_OK;
    if (want_body) {
        rc = rpc_body_copy(conn, &frame.body, fds, fd_count, &body, &err);
        if (rc == -EBADMSG) {
            return -EPROTO;
        }
    } else {
        for (uint32_t i = 0; i < fd_count; i++) {
            close(fds[i]);
        }
    }
    pthread_mutex_lock(&conn->lock);
    rpc_pending *pending = conn->waiting;
    while (pending != NULL && (pending->call_id != frame.call_id || pending->done)) {
        pending = pending->next;
    }
    if (pending != NULL) {
        pending->done = true;
        pending->status = rc == 0 ? frame.status : HM_RPC_PROTOCOL;
        pending->body = body;
        body = NULL;
        pthread_cond_broadcast(&conn->changed);
    }
    pthread_mutex_unlock(&conn->lock);
    rpc_body_free(body); /* a late reply: its caller gave up */
    return 0;
}

/* Waits for a pending call as described at the top (caller holds conn->lock; returns with it held). */
static void await_reply(rpc_conn *conn, rpc_pending *pending, int64_t deadline)
{
    while (!pending->done) {
        if (conn->closed) {
            pending->done = true;
            pending->status = HM_RPC_DEAD_OBJECT;
            break;
        }
        int64_t left = deadline - now_ns();
        if (left <= 0) {
            pending->done = true;
            pending->status = HM_RPC_TIMED_OUT;
            break;
        }
        if (conn->reading) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            int64_t slice = left < RPC_READ_SLICE_NS ? left : RPC_READ_SLICE_NS;
            until.tv_nsec += slice;
            until.tv_sec += until.tv_nsec / 1000000000;
            until.tv_nsec %= 1000000000;
            pthread_cond_timedwait(&conn->changed, &conn->lock, &until);
            continue;
        }
        conn->reading = true;
        pthread_mutex_unlock(&conn->lock);
        hm_channel_received received;
        int rc = hm_channel_receive(conn->channel, left < RPC_READ_SLICE_NS ? left : RPC_READ_SLICE_NS, &received);
        if (rc == 0) {
            if (take_reply(conn, &received) != 0) {
                rc = -EPROTO;
            }
            hm_channel_release(conn->channel, &received);
        }
        if (rc == -ECONNRESET || rc == -EPIPE || rc == -EPROTO) {
            rpc_conn_close(conn);
        }
        pthread_mutex_lock(&conn->lock);
        conn->reading = false;
        pthread_cond_broadcast(&conn->changed);
    }
}

int rpc_call_frame(rpc_conn *conn, uint32_t kind, const IpcIo *request, const uint8_t *header,
                   uint32_t header_length, hm_rpc_object *const *objects, uint32_t object_count,
                   int64_t timeout_ns, int32_t *ret_status, rpc_body **ret_body)
{
    uint8_t frame[HM_RPC_CALL_HEADER + HM_RPC_CHAIN_ENTRY];
    if (header_length > sizeof(frame)) {
        return -EINVAL;
    }
    memcpy(frame, header, header_length);
    rpc_pending pending = {.call_id = new_call_id()};
    hm_rpc_store64(frame, pending.call_id);
    int64_t deadline = now_ns() + timeout_ns;
    pthread_mutex_lock(&conn->lock);
    pending.next = conn->waiting;
    conn->waiting = &pending;
    pthread_mutex_unlock(&conn->lock);
    int32_t sent;
    if (kind == HM_RPC_CALL) {
        sent = rpc_send_body(conn, kind, frame, header_length, 32, request, objects, object_count, timeout_ns);
    } else {
        sent = hm_channel_send(conn->channel, kind, frame, header_length, NULL, 0, timeout_ns) == 0
                   ? HM_RPC_OK : HM_RPC_DEAD_OBJECT;
    }
    pthread_mutex_lock(&conn->lock);
    if (sent != HM_RPC_OK) {
        pending.done = true;
        pending.status = sent;
    }
    await_reply(conn, &pending, deadline);
    for (rpc_pending **link = &conn->waiting; *link != NULL; link = &(*link)->next) {
        if (*link == &pending) {
            *link = pending.next;
            break;
        }
    }
    pthread_mutex_unlock(&conn->lock);
    if (sent == HM_RPC_DEAD_OBJECT) {
        rpc_conn_close(conn);
    }
    *ret_status = pending.status;
    if (ret_body != NULL) {
        *ret_body = pending.body;
    } else {
        rpc_body_free(pending.body);
    }
    return 0;
}

/* ---- incoming ---- */

static int send_reply(rpc_conn *conn, uint64_t call_id, int32_t status, const IpcIo *reply)
{
    uint8_t header[HM_RPC_REPLY_HEADER] = {0};
    hm_rpc_store64(header, call_id);
    hm_rpc_store32(header + 8, (uint32_t)status);
    int32_t sent = rpc_send_body(conn, HM_RPC_REPLY, header, HM_RPC_REPLY_HEADER, 16,
                                 status == HM_RPC_OK ? reply : NULL, NULL, 0, RPC_SEND_TIMEOUT_NS);
    if (sent == HM_RPC_REQUEST_TOO_LARGE && status == HM_RPC_OK) {
        return send_reply(conn, call_id, HM_RPC_REPLY_TOO_LARGE, NULL);
    }
    return sent == HM_RPC_OK ? 0 : -ECONNRESET;
}

static int serve_request(rpc_conn *conn, hm_channel_received *received, bool one_way, hm_error *err)
{
    hm_rpc_call_frame frame;
    if (hm_rpc_parse_call(received->data, received->length, received->fd_count, &frame, err) != 0) {
        hm_channel_release(conn->channel, received);
        return -EPROTO;
    }
    if (frame.chain_count != 0 && frame.chain[0][0] != (uint64_t)(int64_t)conn->peer.pid) {
        snprintf(err->message, sizeof(err->message), "a request whose chain starts at pid %" PRIu64
                 ", not the caller's %d", frame.chain[0][0], (int)conn->peer.pid);
        hm_channel_release(conn->channel, received);
        return -EPROTO;
    }
    int32_t fds[HM_CHANNEL_MAX_FDS];
    for (uint32_t i = 0; i < received->fd_count; i++) {
        fds[i] = received->fds[i];
        received->fds[i] = -1;
    }
    rpc_body *body = NULL;
    if (rpc_body_copy(conn, &frame.body, fds, received->fd_count, &body, err) != 0) {
        hm_channel_release(conn->channel, received);
        return -EPROTO;
    }
    hm_channel_release(conn->channel, received); /* the slot is free while the handler runs */
    pthread_mutex_lock(&g_rpc.lock);
    hm_rpc_object *object = frame.object_id == 0 ? NULL : rpc_object_for_call(conn->peer.pid, frame.object_id);
    if (object != NULL) {
        object->refs++;
    }
    pthread_mutex_unlock(&g_rpc.lock);
    int rc = 0;
    if (object == NULL) {
        if (!one_way) {
            rc = send_reply(conn, frame.call_id, HM_RPC_UNKNOWN_OBJECT, NULL);
        }
        rpc_body_free(body);
        return rc;
    }
    hm_rpc_request request = {
        .code = frame.code,
        .flags = frame.flags & HM_RPC_OPTION_FLAGS,
        .one_way = one_way,
        .caller = conn->peer,
        .data = &body->io,
    };
    IpcIo reply;
    uint8_t *reply_data = NULL;
    size_t *reply_offsets = NULL;
    int32_t status = HM_RPC_OK;
    if (!one_way) {
        reply_data = malloc(HM_RPC_REPLY_CAPACITY);
        reply_offsets = calloc(HM_RPC_REPLY_MAX_OBJECTS, sizeof(size_t));
        if (reply_data == NULL || reply_offsets == NULL ||
            hm_ipcio_init(&reply, reply_data, HM_RPC_REPLY_CAPACITY, reply_offsets, HM_RPC_REPLY_MAX_OBJECTS) != 0) {
            status = HM_RPC_HANDLER_FAILED;
        }
    }
    if (status == HM_RPC_OK) {
        status = object->handler(object->context, object, &request, one_way ? NULL : &reply);
    }
    if (!one_way) {
        rc = send_reply(conn, frame.call_id, status, &reply);
        if (reply_data != NULL && reply_offsets != NULL) {
            hm_ipcio_release(&reply);
        }
    }
    free(reply_data);
    free(reply_offsets);
    rpc_body_free(body);
    pthread_mutex_lock(&g_rpc.lock);
    rpc_object_unref(object);
    pthread_mutex_unlock(&g_rpc.lock);
    return rc;
}

/* One frame of the request ring. The message is released here unless serve_request did it. */
static int serve_frame(rpc_conn *conn, hm_channel_received *received, hm_error *err)
{
    const uint8_t *payload = received->data;
    uint32_t length = received->length;
    int rc = 0;
    switch (received->code) {
    case HM_RPC_CALL:
    case HM_RPC_ONEWAY:
        return serve_request(conn, received, received->code == HM_RPC_ONEWAY, err);
    case HM_RPC_HELLO: {
        int32_t pid;
        char address[HM_RPC_MAX_ADDRESS + 1];
        rc = hm_rpc_parse_hello(payload, length, &pid, address, err) == 0 ? 0 : -EPROTO;
        if (rc == 0) {
            pthread_mutex_lock(&g_rpc.lock);
            memcpy(conn->address, address, sizeof(conn->address));
            pthread_mutex_unlock(&g_rpc.lock);
        }
        break;
    }
    case HM_RPC_ACQUIRE:
    case HM_RPC_ACQUIRE_SYNC: {
        uint32_t at = received->code == HM_RPC_ACQUIRE_SYNC ? 8 : 0;
        if (length != at + HM_RPC_ACQUIRE_LENGTH) {
            snprintf(err->message, sizeof(err->message), "ACQUIRE of %" PRIu32 " bytes, expected %u", length,
                     at + HM_RPC_ACQUIRE_LENGTH);
            rc = -EPROTO;
            break;
        }
        pthread_mutex_lock(&g_rpc.lock);
        int32_t status = rpc_object_acquire(conn->peer.pid, hm_rpc_load64(payload + at),
                                            hm_rpc_load64(payload + at + 8), hm_rpc_load64(payload + at + 16),
                                            hm_rpc_load64(payload + at + 24));
        pthread_mutex_unlock(&g_rpc.lock);
        if (at != 0) {
            uint64_t call_id = hm_rpc_load64(payload);
            hm_channel_release(conn->channel, received);
            return send_reply(conn, call_id, status, NULL);
        }
        break;
    }
    case HM_RPC_RELEASE: {
        uint64_t count = length == HM_RPC_RELEASE_LENGTH ? hm_rpc_load64(payload + 8) : 0;
        if (count < 1 || count > INT32_MAX) {
            snprintf(err->message, sizeof(err->message), "RELEASE of %" PRIu32 " bytes, %" PRIu64 " references",
                     length, count);
            rc = -EPROTO;
            break;
        }
        pthread_mutex_lock(&g_rpc.lock);
        rpc_object_release(conn->peer.pid, hm_rpc_load64(payload), (uint32_t)count);
        pthread_mutex_unlock(&g_rpc.lock);
        break;
    }
    case HM_RPC_TRANSFER_DONE:
        if (length != HM_RPC_TRANSFER_DONE_LENGTH) {
            snprintf(err->message, sizeof(err->message), "TRANSFER_DONE of %" PRIu32 " bytes", length);
            rc = -EPROTO;
            break;
        }
        pthread_mutex_lock(&g_rpc.lock);
        rpc_object_unpin(hm_rpc_load64(payload), conn->peer.pid);
        pthread_mutex_unlock(&g_rpc.lock);
        break;
    default:
        snprintf(err->message, sizeof(err->message), "a frame of kind %" PRIu32 " on the request ring",
                 received->code);
        rc = -EPROTO;
        break;
    }
    hm_channel_release(conn->channel, received);
    return rc;
}

void *rpc_serve(void *arg)
{
    rpc_conn *conn = arg;
    hm_error err = {{0}};
    while (!conn->closed) {
        hm_channel_received received;
        int rc = hm_channel_receive(conn->channel, RPC_IDLE_PARK_NS, &received);
        if (rc == 0) {
            rc = serve_frame(conn, &received, &err);
        }
        if (rc == -ECONNRESET || rc == -EPIPE || rc == -EPROTO) {
            break;
        }
    }
    rpc_conn_close(conn);
    rpc_conn_unref(conn);
    return NULL;
}

int rpc_accept(hm_channel *channel)
{
    rpc_conn *conn = conn_new(channel, true, NULL);
    if (conn == NULL) {
        hm_channel_close(channel);
        return -ENOMEM;
    }
    pthread_mutex_lock(&g_rpc.lock);
    conn->next = g_rpc.conns;
    g_rpc.conns = conn;
    pthread_mutex_unlock(&g_rpc.lock);
    pthread_t reader;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int rc = pthread_create(&reader, &attr, rpc_serve, conn);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        rpc_conn_close(conn);
        rpc_conn_unref(conn);
        return -rc;
    }
    return 0;
}
