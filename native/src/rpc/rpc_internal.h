/*
 * What the C RPC endpoint's sources share: connections (connection.c), the table of this process's objects
 * (objects.c), bodies in and out (body.c), and the endpoint itself with its threads and proxies (endpoint.c).
 *
 * Locks: g_rpc.lock guards the connection list, the object table, the proxies and every reference count; a
 * connection's own lock guards its waiting calls. Order: g_rpc.lock before a connection's lock; no lock is held
 * while a handler runs or while waiting in the channel.
 */
#ifndef HARMONIA_RPC_INTERNAL_H
#define HARMONIA_RPC_INTERNAL_H

#include <pthread.h>

#include <harmonia/rpc.h>

#include "rpc_frames.h"

/* A received body copied out of the ring: its data, object table and references. */
typedef struct rpc_body {
    uint8_t *data;
    size_t *offsets;
    IpcIo io;
    uint8_t *refs;
    hm_rpc_body layout;
    bool *taken;
    struct rpc_conn *source;
} rpc_body;

typedef struct rpc_pending {
    uint64_t call_id;
    bool done;
    int32_t status;
    rpc_body *body;
    struct rpc_pending *next;
} rpc_pending;

typedef struct rpc_conn {
    hm_channel *channel;
    hm_peer_credentials peer;
    bool incoming;
    /* Outgoing: the address connected to; incoming: the peer's endpoint from HELLO ("" before it). */
    char address[HM_RPC_MAX_ADDRESS + 1];
    pthread_mutex_t lock;
    pthread_cond_t changed;
    bool closed;
    bool reading;
    rpc_pending *waiting;
    /* Guarded by g_rpc.lock. */
    int refs;
    struct rpc_conn *next;
} rpc_conn;

typedef struct rpc_holder {
    int32_t pid;
    uint32_t count;
} rpc_holder;

typedef struct rpc_pin {
    uint64_t transfer_id;
    int32_t pid;
} rpc_pin;

struct hm_rpc_object {
    char *descriptor;
    uint16_t descriptor_length;
    hm_rpc_handler handler;
    void *context;
    /* Guarded by g_rpc.lock. */
    bool in_table;
    bool withdrawn;
    uint64_t id;
    uint64_t secret_low;
    uint64_t secret_high;
    rpc_holder *holders;
    uint32_t holder_count;
    uint32_t holder_capacity;
    rpc_pin *pins;
    uint32_t pin_count;
    uint32_t pin_capacity;
    int refs;
    struct hm_rpc_object *next;
};

struct hm_rpc_proxy {
    rpc_conn *conn;
    char owner_address[HM_RPC_MAX_ADDRESS + 1];
    int32_t owner_pid;
    uint64_t object_id;
    uint64_t secret_low;
    uint64_t secret_high;
    /* Guarded by g_rpc.lock. */
    int refs;
    struct hm_rpc_proxy *next;
};

typedef struct rpc_endpoint {
    pthread_mutex_t lock;
    int32_t pid;
    uint64_t instance;
    char address[HM_RPC_MAX_ADDRESS + 1];
    hm_channel_listener *listener;
    rpc_conn *conns;
    hm_rpc_object *objects;
    hm_rpc_proxy *proxies;
    uint64_t next_object_id;
    uint64_t next_transfer_id;
} rpc_endpoint;

extern rpc_endpoint g_rpc;

/* Starts the endpoint once; 0 or -errno. */
int rpc_start(void);
uint64_t rpc_random64(void);

/* Connections. */
void rpc_conn_ref(rpc_conn *conn);
void rpc_conn_unref(rpc_conn *conn);
void rpc_conn_close(rpc_conn *conn);
/* The open outgoing connection to an endpoint (connects and says HELLO when there is none); expected_pid 0: any. */
int rpc_outgoing(const char *address, int32_t expected_pid, rpc_conn **ret_conn);
/* Sends a control frame of 8 * word_count bytes. */
int rpc_send_words(rpc_conn *conn, uint32_t kind, const uint64_t *words, uint32_t word_count);
/* A synchronous exchange: sends a frame built by the caller (its first 8 bytes the call id) and waits. */
int rpc_call_frame(rpc_conn *conn, uint32_t kind, const IpcIo *request, const uint8_t *header,
                   uint32_t header_length, hm_rpc_object *const *objects, uint32_t object_count,
                   int64_t timeout_ns, int32_t *ret_status, rpc_body **ret_body);
/* Takes an accepted channel as an incoming connection and starts its reader thread. */
int rpc_accept(hm_channel *channel);
/* Serves an incoming connection until it closes (the reader thread). */
void *rpc_serve(void *arg);

/* Bodies. */
int rpc_body_copy(rpc_conn *source, const hm_rpc_body *layout, int32_t *fds, uint32_t fd_count,
                  rpc_body **ret_body, hm_error *err);
/* Frees a body; references nobody read are settled with TRANSFER_DONE to their writer. */
void rpc_body_free(rpc_body *body);
/* Sends kind + header + body (request and references to objects pinned for the peer). */
int rpc_send_body(rpc_conn *conn, uint32_t kind, uint8_t *header, uint32_t header_length, uint32_t counts_at,
                  const IpcIo *io, hm_rpc_object *const *objects, uint32_t object_count,
                  int64_t timeout_ns);
/* The proxy for a body's reference (handle 1..n). */
int rpc_body_proxy(rpc_body *body, int32_t handle, hm_rpc_proxy **ret_proxy);

/* The object table (caller holds g_rpc.lock). */
int rpc_object_pin(hm_rpc_object *object, int32_t pid, hm_rpc_reference *ret_reference);
void rpc_object_unpin(uint64_t transfer_id, int32_t pid_or_any);
int32_t rpc_object_acquire(int32_t pid, uint64_t object_id, uint64_t secret_low, uint64_t secret_high,
                           uint64_t transfer_id);
void rpc_object_release(int32_t pid, uint64_t object_id, uint32_t count);
hm_rpc_object *rpc_object_for_call(int32_t pid, uint64_t object_id);
void rpc_process_gone(int32_t pid);
void rpc_object_unref(hm_rpc_object *object);

#endif /* HARMONIA_RPC_INTERNAL_H */
