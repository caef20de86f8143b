/*
 * Channels: a connection between two processes made of an AF_UNIX SOCK_SEQPACKET control socket and a sealed memfd
 * region holding two many-to-one rings (ring 0 carries client -> server messages, ring 1 server -> client). The
 * server creates the region at accept and hands it over with SCM_RIGHTS; the client validates it before use.
 *
 * Messages are claimed in the sending ring, written in place (raw bytes, or an IpcIo marshalled straight into the
 * slot), and read in place by the receiver. File descriptors travel with SCM_RIGHTS on the control socket, sent
 * before the record is committed; large IpcIo raw data travels as sealed memfds (fd objects).
 *
 * Identity: the peer's pid, uid and gid come from SO_PEERCRED on the control socket, recorded once at
 * accept/connect, never from message bytes.
 *
 * Failure: a peer that dies (crash, SIGKILL) hangs up the control socket; every wait on the channel checks it at
 * least every 2 ms and ends with -ECONNRESET. A peer that closes cleanly marks the region closed: waits end with
 * -EPIPE. Messages already committed stay readable after either.
 *
 * Trust: the peer can write any byte of the shared region at any moment. A frame that breaks the rules is skipped
 * with -EBADMSG; a receive ring that breaks them (a record header out of bounds or of an invalid type) gives the
 * channel up with -EPROTO: it is shut down (the peer sees it closed) and every later receive returns -EPROTO.
 * hm_channel_last_error names the field, its value and the limit. Nothing the peer writes makes this side read or
 * write outside the ring, hang past its timeout, or hand out an fd that did not come with SCM_RIGHTS.
 *
 * Threads: sending is safe from many threads at once (the rings are many-to-one); receiving is for one thread at
 * a time. hm_channel_shutdown may be called from any thread and wakes every waiter.
 */
#ifndef HARMONIA_CHANNEL_H
#define HARMONIA_CHANNEL_H

#include <stdint.h>

#include <harmonia/export.h>
#include <harmonia/queue.h>
#include <serializer.h>

HM_EXTERN_C_BEGIN

/* The ring record type of channel messages. */
#define HM_CHANNEL_RECORD_MESSAGE 1
/* Bytes of the frame header that starts every message record. */
#define HM_CHANNEL_FRAME_LENGTH 32u
/* Frame layout version. */
#define HM_CHANNEL_FRAME_VERSION 1u
/* Most fds one message may carry (the kernel's SCM_MAX_FD is 253). */
#define HM_CHANNEL_MAX_FDS 64u
/* Default data capacity of each of the two rings. */
#define HM_CHANNEL_DEFAULT_RING_CAPACITY (1u << 20)
/* Flag of a message whose payload is an IpcIo (data, then the object table at table_offset). */
#define HM_CHANNEL_FLAG_IPCIO 0x1u

typedef struct hm_channel_listener hm_channel_listener;
typedef struct hm_channel hm_channel;

/* The peer's identity, from SO_PEERCRED. */
typedef struct hm_peer_credentials {
    int32_t pid;
    uint32_t uid;
    uint32_t gid;
} hm_peer_credentials;

/* A message being written: claimed space in the sending ring. */
typedef struct hm_channel_message {
    /* Where the payload goes. */
    void *data;
    /* Payload bytes available at data. */
    uint32_t capacity;
    /* Private to the channel. */
    hm_ring_claim claim;
    uint32_t table_offset;
    uint32_t max_objects;
} hm_channel_message;

/* A message received, read in place; valid until hm_channel_release. */
typedef struct hm_channel_received {
    uint32_t code;
    uint32_t flags;
    /* The payload (for an IpcIo message: its data; the IpcIo reader is set up by hm_channel_receive_ipcio). */
    const void *data;
    uint32_t length;
    /* The fds that came with it, installed in this process; owned by the message until taken (set to -1). */
    int32_t fds[HM_CHANNEL_MAX_FDS];
    uint32_t fd_count;
    /* Private to the channel. */
    IpcIo *ipcio;
    uint32_t table_offset;
    uint32_t object_count;
} hm_channel_received;

/*
 * Listens at `address`: a filesystem path, or "@name" for an abstract socket (no file). -EADDRINUSE and others
 * from bind/listen, with `err` filled. A filesystem path is unlinked by hm_channel_listener_close.
 */
HM_API int hm_channel_listen(const char *address, hm_error *err, hm_channel_listener **ret_listener);
/* The listening socket, for poll(): readable when a client waits to be accepted. */
HM_API int hm_channel_listener_fd(const hm_channel_listener *listener);
HM_API void hm_channel_listener_close(hm_channel_listener *listener);

/*
 * Accepts one client within `timeout_ns` (negative: no bound; -ETIMEDOUT): records its credentials, creates the
 * region with two rings of `ring_capacity` bytes (0: HM_CHANNEL_DEFAULT_RING_CAPACITY) and sends it.
 */
HM_API int hm_channel_accept(hm_channel_listener *listener, uint32_t ring_capacity, int64_t timeout_ns,
                             hm_error *err, hm_channel **ret_channel);

/* Connects to a listener and receives, validates and maps the region it sends, within `timeout_ns`. */
HM_API int hm_channel_connect(const char *address, int64_t timeout_ns, hm_error *err, hm_channel **ret_channel);

/* The peer's pid, uid and gid as the kernel reported them when the connection was made. */
HM_API int hm_channel_peer(const hm_channel *channel, hm_peer_credentials *ret_credentials);

/*
 * Claims space for a payload of up to `capacity` bytes in the sending ring, waiting up to `timeout_ns` for space.
 * -EMSGSIZE when it can never fit; -ETIMEDOUT; -ECONNRESET (dead peer); -EPIPE (closed).
 */
HM_API int hm_channel_claim(hm_channel *channel, uint32_t capacity, int64_t timeout_ns,
                            hm_channel_message *ret_message);

/*
 * Sends a claimed message of `length` bytes (<= capacity) with `code` and `flags`, and `fd_count` fds (sent with
 * SCM_RIGHTS before the commit; the caller keeps its own copies). On failure the claim is given up (the receiver
 * skips it) and nothing was delivered.
 */
HM_API int hm_channel_commit(hm_channel *channel, hm_channel_message *message, uint32_t code, uint32_t flags,
                             uint32_t length, const int32_t *fds, uint32_t fd_count);

/* Gives a claimed message up. */
HM_API int hm_channel_abort(hm_channel *channel, hm_channel_message *message);

/* Claim, copy and commit; -EPROTO when the peer rewrote the claimed header before the commit. */
HM_API int hm_channel_send(hm_channel *channel, uint32_t code, const void *data, uint32_t length,
                           const int32_t *fds, uint32_t fd_count, int64_t timeout_ns);

/*
 * IpcIo straight into the ring: claims room for `data_capacity` bytes and `max_objects` objects and sets `io` up
 * to write there (hm_ipcio_init). hm_channel_commit_ipcio sends what was written: its fd objects' fds go with
 * SCM_RIGHTS in table order, the frame records the data length and object count, and the writer's IpcIo is
 * released (memfds it created for raw data are closed here: the receiver has its own). On failure the claim is
 * given up.
 */
HM_API int hm_channel_claim_ipcio(hm_channel *channel, uint32_t data_capacity, uint32_t max_objects,
                                  int64_t timeout_ns, IpcIo *io, hm_channel_message *ret_message);
HM_API int hm_channel_commit_ipcio(hm_channel *channel, hm_channel_message *message, IpcIo *io, uint32_t code);

/*
 * Receives the next message in place, waiting up to `timeout_ns`. Its fds are received and installed. Returns 0,
 * -ETIMEDOUT, -ECONNRESET (the peer died and nothing is left to read), -EPIPE (closed and nothing left),
 * -EBADMSG (a malformed frame, or one whose fds did not arrive: it is skipped), -EOWNERDEAD (a dead sender's
 * half-written message was skipped), -EPROTO (the peer broke the receive ring: the channel is shut down).
 * hm_channel_last_error says why for -EBADMSG and -EPROTO.
 */
HM_API int hm_channel_receive(hm_channel *channel, int64_t timeout_ns, hm_channel_received *ret_message);

/*
 * As hm_channel_receive for an IpcIo message: `io` is set up as a reader over the data and object table in the
 * slot (validated by hm_ipcio_init_reader) with the received fds installed into it; read it with serializer.h.
 * -ENOMSG for a message that is not an IpcIo (it stays unreleased: call hm_channel_release); -EBADMSG (skipped) for
 * an object table that does not describe the data or fds that do not match its fd objects.
 */
HM_API int hm_channel_receive_ipcio(hm_channel *channel, int64_t timeout_ns, IpcIo *io,
                                    hm_channel_received *ret_message);

/* Frees a received message's slot and closes the fds nobody took (for IpcIo: hm_ipcio_release). */
HM_API int hm_channel_release(hm_channel *channel, hm_channel_received *message);

/*
 * Ends the channel for both sides: marks the region closed, wakes every waiter (they return -EPIPE) and shuts
 * the control socket down. Idempotent; thread-safe.
 */
HM_API void hm_channel_shutdown(hm_channel *channel);

/* hm_channel_shutdown, then frees everything: fds, mapping, memory. NULL is a no-op. */
HM_API void hm_channel_close(hm_channel *channel);

/* For the Java bindings: the region, the rings and the control socket. */
HM_API hm_region *hm_channel_region(const hm_channel *channel);
HM_API uint32_t hm_channel_send_ring(const hm_channel *channel);
HM_API uint32_t hm_channel_receive_ring(const hm_channel *channel);
HM_API int hm_channel_control_fd(const hm_channel *channel);

/*
 * For the Java bindings, which write and read frames in the mapped rings themselves. hm_channel_send_fds sends
 * `count` (1..HM_CHANNEL_MAX_FDS) fds with SCM_RIGHTS exactly as hm_channel_commit does, under a new tag that goes
 * into the frame's fd_tag; call it before committing the record (the caller keeps its own fds). -ECONNRESET when
 * the peer is gone. hm_channel_take_fds is the receiving half: it finds the batch sent with `tag` among early
 * arrivals or receives it now (close-on-exec), checks that it holds `count` fds and moves them to ret_fds; the
 * caller owns them. -EPROTO: no such batch on the socket, or another count; -EBADMSG: a truncated batch (its fds
 * are closed); -ENOBUFS: too many early batches. Receiving is for one thread at a time, as hm_channel_receive.
 */
HM_API int hm_channel_send_fds(hm_channel *channel, const int32_t *fds, uint32_t count, uint64_t *ret_tag);
HM_API int hm_channel_take_fds(hm_channel *channel, uint64_t tag, uint32_t count, int32_t *ret_fds);

/* Waits until the receive ring has a record (0), or -ETIMEDOUT, -ECONNRESET, -EPIPE: the Java side's park. */
HM_API int hm_channel_wait_readable(hm_channel *channel, int64_t timeout_ns);
/* Waits until `length` payload bytes could be claimed in the send ring: the Java side's park when full. */
HM_API int hm_channel_wait_writable(hm_channel *channel, uint32_t length, int64_t timeout_ns);

/* Why the last -EBADMSG or -EPROTO of this channel: the field, its value and the limit ("" before any). */
HM_API const char *hm_channel_last_error(const hm_channel *channel);

/* Busy polls before a wait parks on the futex (HM_RING_DEFAULT_SPINS by default; 0 parks at once). */
HM_API void hm_channel_set_spins(hm_channel *channel, uint32_t spins);

/*
 * Tells the channel that another thread watches its control socket (hm_watch_wait) and calls
 * hm_channel_shutdown when the peer hangs up: waits then stop polling the socket every 2 ms and park for up to
 * 200 ms at a time (closure wakes them at once), so an idle channel costs almost no wake-ups. Off by default.
 */
HM_API void hm_channel_set_watched(hm_channel *channel, int watched);

HM_EXTERN_C_END

#endif /* HARMONIA_CHANNEL_H */
