/*
 * The C RPC endpoint: this process's side of the RPC objects of docs/architecture.md section 6, speaking the same
 * frames as the Java runtime (io.harmonia.rpc), so C and Java processes call each other's objects.
 *
 * What it does: listens at an endpoint address of its own (@harmonia.rpc.<pid>.<16 hex digits>), started on first
 * use; serves incoming CALL/ONEWAY frames to the objects it exported (hm_rpc_object), with the capability check
 * (a caller must hold a reference or a pin, judged by its kernel pid), ACQUIRE/ACQUIRE_SYNC/RELEASE/TRANSFER_DONE
 * bookkeeping and HELLO; connects to other endpoints (hm_rpc_connect for a published address, whose object id 0
 * is the root) and sends CALL/ONEWAY frames with IpcIo bodies, local objects as references, and reads REPLY frames,
 * turning the references they carry into proxies (ACQUIRE, or ACQUIRE_SYNC and TRANSFER_DONE for a reference a
 * third process passed on).
 *
 * The subset of the Java runtime: call chains are sent with one entry and nested_for 0 (a callback into a C
 * process runs on that process's reader thread, never on the waiting caller's); C objects are not published at
 * addresses of their own; a proxy cannot be passed on (only this process's objects are written as references);
 * bodies are sent inline (a spilled body is read); incoming requests on one connection run one at a time on that
 * connection's reader thread. There are no death recipients: a call on a proxy whose owner died fails with
 * HM_RPC_DEAD_OBJECT.
 *
 * Trust: every frame is checked against its length and the limits before use (rpc_frames.h); a frame that breaks
 * them closes that connection only. Identity (uid, pid) is the connection's SO_PEERCRED, never a payload field.
 *
 * Threads: every function may be called from any thread. Functions return 0 or a negative errno.
 */
#ifndef HARMONIA_RPC_H
#define HARMONIA_RPC_H

#include <stdbool.h>
#include <stdint.h>

#include <harmonia/channel.h>
#include <harmonia/export.h>
#include <serializer.h>

HM_EXTERN_C_BEGIN

/* Call statuses (the Java runtime's CallFailure numbers): a REPLY's status, or why a call did not complete. */
#define HM_RPC_OK 0
#define HM_RPC_UNKNOWN_OBJECT 2
#define HM_RPC_NOT_HANDLED 4
#define HM_RPC_PROTOCOL 9
#define HM_RPC_REQUEST_TOO_LARGE 205
#define HM_RPC_HANDLER_FAILED 300
#define HM_RPC_REPLY_TOO_LARGE 301
#define HM_RPC_NO_HANDLER 305
#define HM_RPC_DEAD_OBJECT (-32)
#define HM_RPC_TIMED_OUT (-110)
#define HM_RPC_BUSY (-16)

/* MessageOption's TF_ASYNC, for a one-way request's flags. */
#define HM_RPC_TF_ASYNC 0x1u
/* Reply bytes a handler may write, and objects (fds) in it. */
#define HM_RPC_REPLY_CAPACITY (64u * 1024u)
#define HM_RPC_REPLY_MAX_OBJECTS 32u

typedef struct hm_rpc_object hm_rpc_object;
typedef struct hm_rpc_proxy hm_rpc_proxy;

/* An incoming request as a handler sees it. */
typedef struct hm_rpc_request {
    uint32_t code;
    /* MessageOption flags (TF_ASYNC for one way). */
    uint32_t flags;
    bool one_way;
    /* The caller, from SO_PEERCRED of its connection. */
    hm_peer_credentials caller;
    /* The request body, to read with serializer.h (its fd objects installed). */
    IpcIo *data;
} hm_rpc_request;

/*
 * Runs a request on the connection's reader thread. Write the answer into `reply` (NULL for one way) and return
 * 0; any other value is sent as the REPLY's status with no body.
 */
typedef int32_t (*hm_rpc_handler)(void *context, hm_rpc_object *object, const hm_rpc_request *request,
                                  IpcIo *reply);

/* A reply: the status and, for status 0, a reader over its body (valid until hm_rpc_reply_release). */
typedef struct hm_rpc_reply {
    int32_t status;
    IpcIo data;
    /* Private. */
    void *body;
} hm_rpc_reply;

/* This process's endpoint address (starts the endpoint): -errno when it cannot listen. */
HM_API int hm_rpc_endpoint_address(const char **ret_address);

/* An object others may call once it was sent to them. descriptor: 0..1024 bytes. */
HM_API int hm_rpc_object_create(const char *descriptor, hm_rpc_handler handler, void *context,
                                hm_rpc_object **ret_object);
/* Withdraws an object: later calls answer HM_RPC_UNKNOWN_OBJECT; freed once no call runs. */
HM_API void hm_rpc_object_destroy(hm_rpc_object *object);

/* Connects to a published address and takes a reference to the object published there. */
HM_API int hm_rpc_connect(const char *address, int64_t timeout_ns, hm_rpc_proxy **ret_proxy);

/*
 * A synchronous call: `request` (NULL: empty) is sent as the body, its handle records 1..object_count naming
 * `objects` (this process's objects, written with WriteRemoteObject and handle = index + 1). Returns 0 with
 * ret_reply filled (its status may be a failure), or -errno when the call could not be made (-EINVAL, -ENOMEM).
 * A proxy whose owner died gives status HM_RPC_DEAD_OBJECT.
 */
HM_API int hm_rpc_call(hm_rpc_proxy *proxy, uint32_t code, const IpcIo *request, hm_rpc_object *const *objects,
                       uint32_t object_count, int64_t timeout_ns, hm_rpc_reply *ret_reply);
/* A one-way request: 0 once it is in the ring; HM_RPC_* statuses as positive/negative values otherwise. */
HM_API int32_t hm_rpc_send_one_way(hm_rpc_proxy *proxy, uint32_t code, const IpcIo *request, int64_t timeout_ns);
/* The proxy a reply's handle record names (handle 1..n), with a reference of its own. */
HM_API int hm_rpc_reply_proxy(hm_rpc_reply *reply, int32_t handle, hm_rpc_proxy **ret_proxy);
HM_API void hm_rpc_reply_release(hm_rpc_reply *reply);

HM_API void hm_rpc_proxy_acquire(hm_rpc_proxy *proxy);
/* Drops a reference; the last one sends RELEASE to the owner. */
HM_API void hm_rpc_proxy_release(hm_rpc_proxy *proxy);
/* Whether the connection to the owner closed. */
HM_API bool hm_rpc_proxy_dead(const hm_rpc_proxy *proxy);
HM_API int32_t hm_rpc_proxy_owner_pid(const hm_rpc_proxy *proxy);
HM_API uint64_t hm_rpc_proxy_object_id(const hm_rpc_proxy *proxy);

/* For tests: exported objects in the table, and pins in it. */
HM_API void hm_rpc_table_counts(uint32_t *ret_objects, uint32_t *ret_pins);

HM_EXTERN_C_END

#endif /* HARMONIA_RPC_H */
