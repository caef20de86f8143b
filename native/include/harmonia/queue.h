/*
 * Shared-memory message queues: rings in a sealed memfd region that several processes map.
 *
 * A region holds a versioned header and 1..HM_REGION_MAX_RINGS rings. Each ring is one-to-one (one producer
 * process/thread) or many-to-one (any number of producers, threads or processes, claiming with a compare-and-swap);
 * there is always exactly one consumer. Records are claimed, written in place and committed; the consumer reads
 * them in place in batches. The byte layout and every memory-ordering pair are documented in docs/architecture.md
 * (section 3.2); the Java flyweights in io.harmonia.bindings.queue implement the same protocol on the same bytes.
 *
 * Errors: functions return 0 (or a count) on success and a negative errno on failure. Functions that validate
 * foreign input also fill an optional hm_error with a sentence naming the field and the limit.
 *
 * Trust: the process that shares a region can write any byte of it at any moment. The header is validated once
 * at hm_region_open and only the validated copy is used after; every ring word (positions, record headers) is
 * loaded once and bounded against the ring before use. Bytes that break the ring's rules end in -EPROTO for that
 * ring, never in a read or a write outside it (hm_ring_consumer_last_error, hm_ring_producer_last_error say why).
 *
 * Threads: an hm_region may be shared by threads. An hm_ring_producer of a one-to-one ring and every
 * hm_ring_consumer belong to one thread at a time; a producer of a many-to-one ring may be used by many threads
 * (each claim is independent), but its claims must not be passed between threads.
 */
#ifndef HARMONIA_QUEUE_H
#define HARMONIA_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#include <harmonia/export.h>

HM_EXTERN_C_BEGIN

/* "HMRG" read as a little-endian uint32. */
#define HM_REGION_MAGIC 0x47524d48u
/* Layout version: major << 16 | minor. Readers refuse another major and a newer minor. */
#define HM_REGION_VERSION_MAJOR 2u
#define HM_REGION_VERSION_MINOR 0u
#define HM_REGION_VERSION ((HM_REGION_VERSION_MAJOR << 16) | HM_REGION_VERSION_MINOR)
/* Bytes of the region header; the first ring starts here. */
#define HM_REGION_HEADER_LENGTH 256u
#define HM_REGION_MAX_RINGS 8u
/* Bytes of a ring's control block (positions and futex words, each on its own 128-byte pair of lines). */
#define HM_RING_CONTROL_LENGTH 512u
/* Smallest and largest data capacity of a ring (a power of two in between). */
#define HM_RING_MIN_CAPACITY 1024u
#define HM_RING_MAX_CAPACITY (1u << 30)
/* Every record starts with {int32 length; int32 type} and is aligned to 8 bytes. */
#define HM_RING_RECORD_HEADER_LENGTH 8u
#define HM_RING_RECORD_ALIGNMENT 8u
/* Busy polls a waiter makes before it parks on the futex (tens of microseconds on current CPUs). */
#define HM_RING_DEFAULT_SPINS 2000u
/* The type of padding records (written at the wrap and over aborted or dead claims); user types are >= 1. */
#define HM_RING_PADDING_TYPE (-1)

/* The two ring variants. */
typedef enum hm_ring_kind {
    HM_RING_ONE_TO_ONE = 1,
    HM_RING_MANY_TO_ONE = 2
} hm_ring_kind;

/* A readable reason for the last failure of a call that was given this struct; always NUL-terminated. */
typedef struct hm_error {
    char message[192];
} hm_error;

/* One ring of a region to create. */
typedef struct hm_ring_spec {
    /* Data bytes: a power of two from HM_RING_MIN_CAPACITY to HM_RING_MAX_CAPACITY. */
    uint32_t capacity;
    /* HM_RING_ONE_TO_ONE or HM_RING_MANY_TO_ONE. */
    uint32_t kind;
} hm_ring_spec;

typedef struct hm_region hm_region;
typedef struct hm_ring_producer hm_ring_producer;
typedef struct hm_ring_consumer hm_ring_consumer;

/* A claimed record: write up to `length` bytes at `data`, then commit or abort it. */
typedef struct hm_ring_claim {
    /* Where the message bytes go (8-byte aligned, inside the shared mapping). */
    void *data;
    /* The message length asked for. */
    uint32_t length;
    /* Private to the ring: the record's byte index. */
    uint32_t index;
} hm_ring_claim;

/* Called for each record a read delivers; `data` is valid only during the call (the space is reused after). */
typedef void (*hm_ring_handler)(void *context, int32_t type, const void *data, uint32_t length);

/*
 * Creates a region in a new memfd: sizes it, writes every ring's control block, publishes the header (version
 * last) and seals the size (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL), so no process can truncate it under
 * another. `name` is the memfd's name (shown in /proc/PID/fd). -EINVAL with `err` filled on a bad spec.
 */
HM_API int hm_region_create(const char *name, const hm_ring_spec *rings, uint32_t ring_count, hm_error *err,
                            hm_region **ret_region);

/*
 * Maps a region from an fd another process created and validates it before anything else is read: size seals,
 * file size, magic, version (0 means "not initialised yet": -EAGAIN), header checksum and every ring's layout.
 * Refused regions return -EBADMSG (corrupted or inconsistent), -EPROTONOSUPPORT (another layout version),
 * -EPERM (size not sealed) or -EAGAIN, with `err` naming the field. The fd is duplicated; the caller keeps its own.
 */
HM_API int hm_region_open(int fd, hm_error *err, hm_region **ret_region);

/* As hm_region_open, for a path such as /proc/<pid>/fd/<n> of a memfd another process holds. */
HM_API int hm_region_open_path(const char *path, hm_error *err, hm_region **ret_region);

/* Unmaps the region and closes its fd. Producers and consumers opened on it must be closed first. NULL is a no-op. */
HM_API void hm_region_close(hm_region *region);

/* The region's memfd (owned by the region: dup it to keep it). */
HM_API int hm_region_fd(const hm_region *region);
/* The mapping's base address and length, for flyweights that access the same bytes. */
HM_API void *hm_region_base(const hm_region *region);
HM_API uint64_t hm_region_length(const hm_region *region);
HM_API uint32_t hm_region_ring_count(const hm_region *region);
/* A ring's byte offset in the region, its data capacity and kind; 0 for an index out of range. */
HM_API uint64_t hm_region_ring_offset(const hm_region *region, uint32_t ring);
HM_API uint32_t hm_region_ring_capacity(const hm_region *region, uint32_t ring);
HM_API uint32_t hm_region_ring_kind(const hm_region *region, uint32_t ring);

/* Bytes a region with these rings needs, or 0 for an invalid spec. */
HM_API uint64_t hm_region_required_length(const hm_ring_spec *rings, uint32_t ring_count);

/* The largest message a ring of this capacity accepts (capacity / 8 minus the record header). */
HM_API uint32_t hm_ring_max_message_length(uint32_t capacity);

/*
 * Opens the producer side of a ring. A one-to-one ring takes one producer at a time: -EBUSY while another live
 * process holds it. The producer records its pid in the ring, so a consumer can tell a dead claimer. -EPROTO when
 * a one-to-one ring's tail or head is not a position (8-aligned, 0..2^62).
 */
HM_API int hm_ring_producer_open(hm_region *region, uint32_t ring, hm_ring_producer **ret_producer);
HM_API void hm_ring_producer_close(hm_ring_producer *producer);
/* Why the last -EPROTO of this producer: the field, its value and the limit ("" before any). */
HM_API const char *hm_ring_producer_last_error(const hm_ring_producer *producer);

/*
 * Claims space for a message of `length` bytes without waiting. -EAGAIN when the ring is full right now
 * (back-pressure: nothing was written), -EMSGSIZE when the message can never fit (above max message length),
 * -EPROTO when a many-to-one ring's shared tail is not a position (nothing was written).
 */
HM_API int hm_ring_try_claim(hm_ring_producer *producer, uint32_t length, hm_ring_claim *ret_claim);

/*
 * As hm_ring_try_claim, but waits for space: spins briefly, then parks on the ring's futex until the consumer
 * frees space or `timeout_ns` passes (-ETIMEDOUT). -EPIPE when the region was closed meanwhile.
 */
HM_API int hm_ring_claim_wait(hm_ring_producer *producer, uint32_t length, int64_t timeout_ns, hm_ring_claim *ret_claim);

/* Publishes a claimed record with its type (>= 1) and wakes a parked consumer. -EINVAL for a bad type or claim. */
HM_API int hm_ring_commit(hm_ring_producer *producer, hm_ring_claim *claim, int32_t type);

/* Gives a claimed record up: the consumer skips it as padding. */
HM_API int hm_ring_abort(hm_ring_producer *producer, hm_ring_claim *claim);

/* Claim, copy and commit in one call; -EAGAIN when full (nothing written); -EPROTO when another process rewrote
 * the claimed header before the commit. */
HM_API int hm_ring_offer(hm_ring_producer *producer, int32_t type, const void *data, uint32_t length);

/*
 * Opens the one consumer of a ring: -EBUSY while another live process is its consumer, -EPROTO when the ring's
 * head is not a position (8-aligned, 0..2^62).
 */
HM_API int hm_ring_consumer_open(hm_region *region, uint32_t ring, hm_ring_consumer **ret_consumer);
HM_API void hm_ring_consumer_close(hm_ring_consumer *consumer);
/* Why the consumer stopped with -EPROTO: the record's position, the field, its value and the limit. */
HM_API const char *hm_ring_consumer_last_error(const hm_ring_consumer *consumer);

/*
 * Delivers up to `limit` committed records in order (a batch: the consumer position is published once, after
 * the batch). Returns the number delivered, 0 when none is ready. When the record at the head was claimed by a
 * process that has died (or, for a many-to-one ring, a claim gap stayed empty for the stall timeout), the record
 * is turned into padding, the ring goes on, and this call returns -EOWNERDEAD once to report it.
 *
 * -EPROTO when the record at the head breaks the ring's rules (a committed length below the header or past the end
 * of the ring, a type that is neither >= 1 nor padding, a claimed length no claim can have): the records before it
 * were delivered (this call returns their count if there were any), the consumer reads nothing more and every
 * later read returns -EPROTO. Close it; hm_ring_consumer_last_error says why.
 */
HM_API int hm_ring_read(hm_ring_consumer *consumer, hm_ring_handler handler, void *context, uint32_t limit);

/*
 * Waits until a record may be ready: spins briefly, then parks on the ring's futex. Returns 0 when the head
 * record is committed (or, once the spin is over and closure and the deadline were checked, looks stuck on a
 * claim, so hm_ring_read can report it), -ETIMEDOUT after `timeout_ns` (a negative timeout waits without bound),
 * -EPIPE when the region was closed.
 */
HM_API int hm_ring_wait(hm_ring_consumer *consumer, int64_t timeout_ns);

/* A record read in place with hm_ring_peek: valid until hm_ring_release. */
typedef struct hm_ring_record {
    void *data;
    uint32_t length;
    int32_t type;
} hm_ring_record;

/*
 * In-place reading of one record at a time (what channels use so a message stays readable while it is
 * processed): hm_ring_peek returns 1 and the head record without consuming it (padding is skipped), 0 when none is
 * ready, or -EOWNERDEAD and -EPROTO as hm_ring_read does (it skips at most a ring's worth of padding per call).
 * hm_ring_release consumes the peeked record (zeroes it, publishes the head, wakes parked producers) with the length
 * hm_ring_peek validated; -EINVAL when nothing is peeked.
 */
HM_API int hm_ring_peek(hm_ring_consumer *consumer, hm_ring_record *ret_record);
HM_API int hm_ring_release(hm_ring_consumer *consumer);

/* How long a many-to-one claim gap (tail advanced, header still zero) may last before it is skipped as dead. */
HM_API void hm_ring_consumer_set_stall_timeout(hm_ring_consumer *consumer, int64_t timeout_ns);

/* Records turned into padding because their claimer died, since this consumer was opened. */
HM_API uint64_t hm_ring_consumer_dead_claims(const hm_ring_consumer *consumer);

/*
 * Park and wake, shared with the Java flyweights (which do everything else in Java, without downcalls). `word` is
 * a uint32 futex word inside a shared mapping (a ring's parked flag), so the waits are not FUTEX_PRIVATE.
 *
 * hm_futex_park waits while *word == expected, at most `timeout_ns` (negative: no bound); 0 when woken or when the
 * value differed, -ETIMEDOUT, -EINTR. hm_futex_unpark wakes every waiter on the word and returns how many.
 */
HM_API int hm_futex_park(uint32_t *word, uint32_t expected, int64_t timeout_ns);
HM_API int hm_futex_unpark(uint32_t *word);

/*
 * Asymmetric fences for the wake-up handshake (see docs/architecture.md, "Waiting"). A commit must order its
 * publication before reading the consumer's parked flag (StoreLoad). Instead of a full fence on every commit, each
 * process that produces or consumes registers once for membarrier(MEMBARRIER_CMD_GLOBAL_EXPEDITED); a waiter about
 * to park then issues that membarrier (hm_membarrier_heavy), which runs a full barrier on every CPU running a
 * registered process. hm_membarrier_register returns 0 when this process may skip its per-commit fence, or a
 * negative errno when membarrier is unavailable (the caller then keeps the fence). Idempotent, thread-safe.
 * hm_membarrier_heavy returns 0 when the membarrier ran, a negative errno otherwise (after a plain full fence).
 */
HM_API int hm_membarrier_register(void);
HM_API int hm_membarrier_heavy(void);

/*
 * Marks the region closed (a flag in its header) and wakes every parked waiter of every ring, so they return
 * -EPIPE. Used when one side shuts a shared region down for good.
 */
HM_API void hm_region_mark_closed(hm_region *region);
HM_API int hm_region_is_closed(const hm_region *region);

/* 1 when a process with this pid exists and is not a zombie, 0 otherwise. */
HM_API int hm_process_alive(int32_t pid);

HM_EXTERN_C_END

#endif /* HARMONIA_QUEUE_H */
