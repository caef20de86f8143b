/*
 * Ring producers and consumers. The protocol (Agrona's, with a claimer pid in the claimed header):
 *
 *   claim:   reserve [tail, tail + padding + record) (one-to-one: a plain release store of the tail;
 *            many-to-one: compare-and-swap), write a padding record at the wrap if needed, then the record
 *            header {length = -aligned_length, type = claimer pid}.
 *   commit:  store the header {length, type} with release (R1). Then wake the consumer only if its parked flag is
 *            set (F1 / F3 Dekker pair below).
 *   read:    load each header with acquire (A1, partner R1/R2), deliver records in place, zero the consumed
 *            bytes, publish the new head with release (R3, partner A3 in claim), then wake parked producers.
 *
 * Headers are always accessed as one 64-bit word (record_header), never as two 32-bit fields.
 *
 * Who zeroes: a many-to-one consumer zeroes what it consumed, because no producer can clear the header after its
 * own record (another producer may already have claimed and written there). A one-to-one producer can, so it
 * zeroes the header word after each record it claims, before the claim is published (Agrona's one-to-one
 * scheme), and its consumer only reads the data lines: they travel from the producer's core to the consumer's
 * and not back, which halves the cache-line traffic per message. A one-to-one claim therefore needs
 * HM_RING_RECORD_HEADER_LENGTH bytes of room beyond the record (ring_reserve).
 *
 * Every barrier below carries its label and names its partner; docs/architecture.md lists the pairs.
 *
 * Trust: every word of the ring is shared with another process, which may write anything into it at any moment
 * (docs/architecture.md section 3.5). Each shared word is loaded once into a local, and that local is
 * bounded against the ring before it is used for a read, a write, a zeroing or a copy: positions must be
 * 8-aligned and below HM_RING_POSITION_LIMIT, a committed record must hold its header and end before the end of
 * the ring, its type must be a message type or padding, a claimed length must be a multiple of 8 that fits. A
 * consumer that meets a record breaking these rules stops for good with -EPROTO (it can no longer find the next
 * record) and keeps the reason for hm_ring_consumer_last_error. The checks sit where a value is first used, once
 * per record, never per byte.
 */
#include "queue_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__x86_64__) || defined(__i386__)
#define hm_cpu_relax() __builtin_ia32_pause()
#elif defined(__aarch64__) || defined(__arm__)
#define hm_cpu_relax() __asm__ __volatile__("yield" ::: "memory")
#else
#define hm_cpu_relax() ((void)0)
#endif

/* A negative (claimed) head record is checked for a dead claimer at most this often. */
#define HM_DEAD_CHECK_INTERVAL_NS INT64_C(1000000)
/* A head that is not ready is examined (tail, clock, claimer) only every this many empty reads: reading the
 * tail line on every empty poll would bounce it between the consumer's and the producer's caches. */
#define HM_STUCK_CHECK_POLLS 1024u
/* Default time a many-to-one claim gap may stay empty before it is skipped. */
#define HM_DEFAULT_STALL_TIMEOUT_NS INT64_C(1000000000)

/* What both ends of a ring know about it. */
typedef struct ring_end {
    hm_region *region;
    uint8_t *control;
    uint8_t *data;
    uint32_t ring;
    uint32_t capacity;
    uint32_t kind;
    int32_t pid;
    /* This process registered for membarrier: wake-ups skip their full fence (see store_load_fence). */
    int light;
    /* Why the last call refused the peer's bytes (-EPROTO). */
    hm_error error;
} ring_end;

struct hm_ring_producer {
    ring_end end;
    /* One-to-one only: the tail is ours alone, so it is kept here and only stored to the ring. */
    int64_t tail;
    /* The last head seen: the shared head line is read again only when the ring looks full. Threads may share a
     * many-to-one producer, so a thread may trust a head another thread loaded: the cache is stored with release
     * (R5) and loaded with acquire (A5), which extends R3 -> A3 (the consumer's zeroing happens before the space
     * is reused) to that thread. A relaxed cache would leave the zeroing unordered with our header stores. */
    _Atomic int64_t head_cache;
};

struct hm_ring_consumer {
    ring_end end;
    int64_t head;
    int64_t stall_timeout_ns;
    /* Stuck-head tracking: the head position that stopped moving, since when, and the tail then. */
    int64_t stuck_position;
    int64_t stuck_since_ns;
    int64_t stuck_tail;
    int64_t last_dead_check_ns;
    uint64_t dead_claims;
    /* Reads that found the head not ready; the head is examined closely only every HM_STUCK_CHECK_POLLS. */
    uint32_t empty_polls;
    /* hm_ring_peek handed out the head record and hm_ring_release has not consumed it yet; its aligned length as
     * validated then (release never reads the shared header again). */
    int peeked;
    uint32_t peeked_bytes;
    /* -EPROTO once the peer broke the ring's rules: every later read returns it. */
    int broken;
};

/* Room a claim needs beyond its record: the next header word, which a one-to-one producer zeroes. */
static inline uint32_t ring_reserve(uint32_t kind)
{
    return kind == HM_RING_ONE_TO_ONE ? HM_RING_RECORD_HEADER_LENGTH : 0;
}

/* Bytes a claim of `required` at tail index `tail_index` takes from the free space: padding at the wrap when the
 * record does not fit before the end, the record, and the reserve. Sets *padding. */
static inline int64_t space_needed(uint32_t capacity, uint32_t tail_index, uint32_t required, uint32_t reserve,
                                   uint32_t *padding)
{
    const uint32_t to_end = capacity - tail_index;
    *padding = required > to_end ? to_end : 0;
    return (int64_t)required + *padding + reserve;
}

static inline uint32_t align_record(uint32_t length)
{
    return (length + HM_RING_RECORD_ALIGNMENT - 1) & ~(HM_RING_RECORD_ALIGNMENT - 1);
}

/*
 * Free bytes when the producer is at `tail` and the consumer at `head`. The head is the consumer's word, from
 * another process: the difference is taken without overflow, and a head that looks ahead of the tail counts as an
 * empty ring. That is what a many-to-one producer sees when other claims moved the tail after it read it (its
 * compare-and-swap then fails and is retried); a consumer that lies about its head only overwrites its own unread
 * records.
 */
static inline int64_t ring_free(uint32_t capacity, int64_t tail, int64_t head)
{
    const int64_t used = (int64_t)((uint64_t)tail - (uint64_t)head);
    return (int64_t)capacity - (used < 0 ? 0 : used);
}

/* Records why the peer's bytes were refused, naming the field, its value and the limit; returns -EPROTO. */
static __attribute__((cold, noinline, format(printf, 2, 3))) int ring_violation(ring_end *end, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    hm_error_vset(&end->error, format, args);
    va_end(args);
    return -EPROTO;
}

/*
 * A record header {int32 length; int32 type} is read and written only as one 64-bit word, so one store publishes
 * length and type together and every reader sees both from the same write (the Java side does the same).
 */
typedef struct record_fields {
    int32_t length;
    int32_t type;
} record_fields;

_Static_assert(sizeof(record_fields) == HM_RING_RECORD_HEADER_LENGTH &&
                   offsetof(record_fields, length) == HM_REC_LENGTH && offsetof(record_fields, type) == HM_REC_TYPE,
               "the header word holds exactly the record header fields");

static inline _Atomic uint64_t *record_header(uint8_t *data, uint32_t index)
{
    return (_Atomic uint64_t *)(void *)(data + index);
}

static inline uint64_t make_header(int32_t length, int32_t type)
{
    const record_fields fields = {.length = length, .type = type};
    uint64_t word;
    memcpy(&word, &fields, sizeof word);
    return word;
}

static inline record_fields header_fields(uint64_t word)
{
    record_fields fields;
    memcpy(&fields, &word, sizeof fields);
    return fields;
}

/* Claims an owner slot (one-to-one producer or consumer pid) unless a live process holds it. */
static int take_owner(_Atomic int32_t *owner, int32_t pid)
{
    int32_t current = atomic_load_explicit(owner, memory_order_acquire);
    for (;;) {
        if (current != 0 && current != pid && hm_process_alive(current))
            return -EBUSY;
        if (atomic_compare_exchange_weak_explicit(owner, &current, pid, memory_order_acq_rel,
                                                  memory_order_acquire))
            return 0;
    }
}

static void release_owner(_Atomic int32_t *owner, int32_t pid)
{
    int32_t expected = pid;
    atomic_compare_exchange_strong_explicit(owner, &expected, 0, memory_order_acq_rel, memory_order_relaxed);
}

static void ring_end_init(ring_end *end, hm_region *region, uint32_t ring)
{
    /* The layout comes from the region's validated copy, never from the shared header. */
    end->region = region;
    end->control = hm_region_ring_control(region, ring);
    end->data = end->control + HM_RING_CONTROL_LENGTH;
    end->ring = ring;
    end->capacity = hm_region_ring_capacity(region, ring);
    end->kind = hm_region_ring_kind(region, ring);
    end->pid = (int32_t)getpid();
    end->light = hm_membarrier_register() == 0;
}

int hm_ring_producer_open_checked(hm_region *region, uint32_t ring, hm_error *err, hm_ring_producer **ret_producer)
{
    if (!region || !ret_producer || ring >= region->ring_count)
        return -EINVAL;
    hm_ring_producer *producer = calloc(1, sizeof *producer);
    if (!producer)
        return -ENOMEM;
    ring_end_init(&producer->end, region, ring);
    if (producer->end.kind == HM_RING_ONE_TO_ONE) {
        int rc = take_owner(hm_ring_i32(producer->end.control, HM_RC_PRODUCER_PID), producer->end.pid);
        if (rc != 0) {
            free(producer);
            return rc;
        }
    }
    const int64_t tail = atomic_load_explicit(hm_ring_i64(producer->end.control, HM_RC_TAIL), memory_order_acquire);
    const int64_t head = atomic_load_explicit(hm_ring_i64(producer->end.control, HM_RC_HEAD), memory_order_acquire);
    if (producer->end.kind == HM_RING_ONE_TO_ONE) {
        /* The one-to-one tail is kept privately from here on, so it is checked once, here. A many-to-one tail is
         * checked at every claim (it is loaded there); the head only ever enters ring_free. */
        if (!hm_ring_position_valid(tail) || !hm_ring_position_valid(head)) {
            hm_error_set(err, "ring %" PRIu32 ": tail=%" PRId64 " head=%" PRId64
                         " must be 8-aligned positions in 0..2^62", ring, tail, head);
            release_owner(hm_ring_i32(producer->end.control, HM_RC_PRODUCER_PID), producer->end.pid);
            free(producer);
            return -EPROTO;
        }
        /* A one-to-one owner that died after publishing a wrap's padding but before its tail store (R2 before
         * R4) leaves the consumer past the shared tail: its successor starts where the consumer is, not behind. */
        producer->tail = head > tail ? head : tail;
    }
    /* R5: release store of the cached head (see head_cache). Partner: A5 in find_space(). */
    atomic_store_explicit(&producer->head_cache, head, memory_order_release);
    *ret_producer = producer;
    return 0;
}

int hm_ring_producer_open(hm_region *region, uint32_t ring, hm_ring_producer **ret_producer)
{
    return hm_ring_producer_open_checked(region, ring, NULL, ret_producer);
}

const char *hm_ring_producer_last_error(const hm_ring_producer *producer)
{
    return producer ? producer->end.error.message : "";
}

void hm_ring_producer_close(hm_ring_producer *producer)
{
    if (!producer)
        return;
    if (producer->end.kind == HM_RING_ONE_TO_ONE)
        release_owner(hm_ring_i32(producer->end.control, HM_RC_PRODUCER_PID), producer->end.pid);
    free(producer);
}

/*
 * Decides where a record of `required` bytes goes when the tail is `tail`: sets *padding to the bytes to skip at
 * the wrap. -EAGAIN when the space is not free, judged first against the cached head, then the shared one.
 */
static int find_space(hm_ring_producer *producer, int64_t tail, uint32_t required, uint32_t *padding)
{
    const uint32_t mask = producer->end.capacity - 1;
    const int64_t needed = space_needed(producer->end.capacity, (uint32_t)tail & mask, required,
                                        ring_reserve(producer->end.kind), padding);
    /* A5: acquire load of the cached head. Partner: R5, which another thread may have made after its own A3. */
    int64_t head = atomic_load_explicit(&producer->head_cache, memory_order_acquire);
    /* Signed: in a many-to-one ring other producers may have moved the tail more than a capacity past our
     * cached head, and the free space must then read as negative, not as a huge unsigned number. */
    if (needed > ring_free(producer->end.capacity, tail, head)) {
        /* A3: acquire load of the head. Partner: R3 in hm_ring_read, so the consumer's reads of the old records
         * (and, many-to-one, its zeroing of them) happen before we write into the space. */
        head = atomic_load_explicit(hm_ring_i64(producer->end.control, HM_RC_HEAD), memory_order_acquire);
        /* R5: release store of the cached head. Partner: A5 above, in this or another thread. */
        atomic_store_explicit(&producer->head_cache, head, memory_order_release);
        if (needed > ring_free(producer->end.capacity, tail, head))
            return -EAGAIN;
    }
    return 0;
}

/* Writes the padding record at the wrap and the claimed header; the range is ours after the tail moved. */
static void write_claim(hm_ring_producer *producer, int64_t tail, uint32_t padding, uint32_t required,
                        hm_ring_claim *claim, uint32_t length)
{
    const uint32_t mask = producer->end.capacity - 1;
    uint32_t index = (uint32_t)tail & mask;
    if (padding) {
        /* R2: release store of the padding header (length and type in one word). Partner: A1 in hm_ring_read. */
        atomic_store_explicit(record_header(producer->end.data, index),
                              make_header((int32_t)padding, HM_RING_PADDING_TYPE), memory_order_release);
        index = 0;
    }
    /* R0: release store of the claimed header {-required, our pid}; the pid lets the consumer tell a dead
     * claimer. Partner: A1 (it reads a length < 0 as "not yet") and the stuck check in consume_stuck_head(). */
    atomic_store_explicit(record_header(producer->end.data, index), make_header(-(int32_t)required, producer->end.pid),
                          memory_order_release);
    claim->data = producer->end.data + index + HM_RING_RECORD_HEADER_LENGTH;
    claim->length = length;
    claim->index = index;
}

int hm_ring_try_claim(hm_ring_producer *producer, uint32_t length, hm_ring_claim *ret_claim)
{
    if (!producer || !ret_claim)
        return -EINVAL;
    if (length > hm_ring_max_message_length(producer->end.capacity))
        return -EMSGSIZE;
    const uint32_t required = align_record(length + HM_RING_RECORD_HEADER_LENGTH);
    uint32_t padding;
    _Atomic int64_t *shared_tail = hm_ring_i64(producer->end.control, HM_RC_TAIL);

    if (producer->end.kind == HM_RING_ONE_TO_ONE) {
        const int64_t tail = producer->tail;
        int rc = find_space(producer, tail, required, &padding);
        if (rc != 0)
            return rc;
        /* Z0: a one-to-one consumer does not zero what it read, so before anything is published we zero each
         * header word it may step onto next: the one after this record (free: find_space reserved it) and, when
         * the record wraps, the one at index 0, where the consumer lands right after the padding record. Relaxed:
         * R2 / R0 below publish them, and the consumer reads those words only after acquiring the record before
         * (the padding, or this record's commit), so it finds zero or a newer header, never an old lap's record. */
        if (padding)
            atomic_store_explicit(record_header(producer->end.data, 0), 0, memory_order_relaxed);
        const uint32_t next_index = (uint32_t)(tail + padding + required) & (producer->end.capacity - 1);
        atomic_store_explicit(record_header(producer->end.data, next_index), 0, memory_order_relaxed);
        write_claim(producer, tail, padding, required, ret_claim, length);
        producer->tail = tail + padding + required;
        /* R4: release store of the tail, after the claimed header. Only the consumer's stuck check reads it
         * (A4), so it sees a claimed header, never a zero gap, below a one-to-one tail. */
        atomic_store_explicit(shared_tail, producer->tail, memory_order_release);
        return 0;
    }

    int64_t tail = atomic_load_explicit(shared_tail, memory_order_acquire);
    for (;;) {
        /* The shared tail is every producer's word, a hostile one's too: a misaligned or runaway tail would put
         * our header stores off their 8-byte words and our positions past overflow. One test per claim. */
        if (!hm_ring_position_valid(tail))
            return ring_violation(&producer->end, "ring %" PRIu32 ": tail=%" PRId64
                                  " must be an 8-aligned position in 0..2^62", producer->end.ring, tail);
        int rc = find_space(producer, tail, required, &padding);
        if (rc != 0)
            return rc;
        /* C1: the claim. acq_rel so producers serialise on the tail; a failed CAS reloads it. */
        if (atomic_compare_exchange_weak_explicit(shared_tail, &tail, tail + padding + required,
                                                  memory_order_acq_rel, memory_order_acquire))
            break;
    }
    write_claim(producer, tail, padding, required, ret_claim, length);
    return 0;
}

static int check_claim(const hm_ring_producer *producer, const hm_ring_claim *claim)
{
    if (!producer || !claim || claim->index > producer->end.capacity - HM_RING_RECORD_HEADER_LENGTH ||
        claim->index % HM_RING_RECORD_ALIGNMENT != 0 ||
        claim->data != producer->end.data + claim->index + HM_RING_RECORD_HEADER_LENGTH)
        return -EINVAL;
    /* Only a record still claimed (negative length) can be committed or aborted: committing twice fails. */
    if (header_fields(atomic_load_explicit(record_header(producer->end.data, claim->index), memory_order_relaxed))
            .length >= 0)
        return -EINVAL;
    return 0;
}

/* Orders our publication before reading a parked flag: the light side of an asymmetric fence pair. */
static inline void store_load_fence(int light)
{
    if (light)
        atomic_signal_fence(memory_order_seq_cst); /* compiler order only; the CPU part is the waiter's membarrier */
    else
        atomic_thread_fence(memory_order_seq_cst);
}

/* Wakes a parked consumer; the flag is read only after our publication is globally visible. */
static void wake_consumer(uint8_t *control, int light)
{
    /* F1: StoreLoad between the publication (R1/R2) and reading the parked flag. Partner: F3 in park_until(),
     * between the consumer setting the flag and re-reading the head record (a full fence, plus a global
     * membarrier that acts as F1 on this CPU when we are registered and skip it here). Either we see the flag,
     * or the consumer sees our record: a wake-up cannot be lost. */
    store_load_fence(light);
    _Atomic uint32_t *parked = hm_ring_u32(control, HM_RC_CONSUMER_PARKED);
    if (atomic_load_explicit(parked, memory_order_relaxed) != 0 &&
        atomic_exchange_explicit(parked, 0, memory_order_relaxed) != 0)
        hm_futex_wake(parked);
}

int hm_ring_commit(hm_ring_producer *producer, hm_ring_claim *claim, int32_t type)
{
    int rc = check_claim(producer, claim);
    if (rc != 0)
        return rc;
    if (type < 1)
        return -EINVAL;
    /* R1: release store of the committed header {length, type}; the message bytes become visible with it.
     * Partner: A1 in hm_ring_read. */
    atomic_store_explicit(record_header(producer->end.data, claim->index),
                          make_header((int32_t)(claim->length + HM_RING_RECORD_HEADER_LENGTH), type),
                          memory_order_release);
    wake_consumer(producer->end.control, producer->end.light);
    return 0;
}

int hm_ring_abort(hm_ring_producer *producer, hm_ring_claim *claim)
{
    int rc = check_claim(producer, claim);
    if (rc != 0)
        return rc;
    /* The claimed length comes from the claim, not from the shared header (which the peer can rewrite). */
    const uint32_t claimed = align_record(claim->length + HM_RING_RECORD_HEADER_LENGTH);
    /* R1 (as padding): partner A1. */
    atomic_store_explicit(record_header(producer->end.data, claim->index),
                          make_header((int32_t)claimed, HM_RING_PADDING_TYPE), memory_order_release);
    wake_consumer(producer->end.control, producer->end.light);
    return 0;
}

int hm_ring_offer(hm_ring_producer *producer, int32_t type, const void *data, uint32_t length)
{
    if (type < 1 || (length && !data))
        return -EINVAL;
    hm_ring_claim claim;
    int rc = hm_ring_try_claim(producer, length, &claim);
    if (rc != 0)
        return rc;
    if (length)
        memcpy(claim.data, data, length);
    rc = hm_ring_commit(producer, &claim, type);
    /* Our own fresh claim: if the commit finds its header no longer claimed, another process rewrote it. */
    if (rc == -EINVAL)
        return ring_violation(&producer->end, "ring %" PRIu32 ": the claimed header at index %" PRIu32
                              " was overwritten before the commit", producer->end.ring, claim.index);
    return rc;
}

int hm_ring_claim_wait(hm_ring_producer *producer, uint32_t length, int64_t timeout_ns, hm_ring_claim *ret_claim)
{
    int rc = hm_ring_try_claim(producer, length, ret_claim);
    if (rc != -EAGAIN)
        return rc;
    const int64_t deadline = timeout_ns < 0 ? INT64_MAX : hm_monotonic_ns() + timeout_ns;
    const uint32_t required = align_record(length + HM_RING_RECORD_HEADER_LENGTH);
    for (;;) {
        rc = hm_ring_wait_space(producer->end.region, producer->end.ring, required, deadline, -1, HM_RING_DEFAULT_SPINS,
                                HM_PARK_SLICE_NS);
        if (rc != 0)
            return rc;
        rc = hm_ring_try_claim(producer, length, ret_claim);
        if (rc != -EAGAIN)
            return rc;
    }
}

int hm_ring_consumer_open_checked(hm_region *region, uint32_t ring, hm_error *err, hm_ring_consumer **ret_consumer)
{
    if (!region || !ret_consumer || ring >= region->ring_count)
        return -EINVAL;
    hm_ring_consumer *consumer = calloc(1, sizeof *consumer);
    if (!consumer)
        return -ENOMEM;
    ring_end_init(&consumer->end, region, ring);
    consumer->stall_timeout_ns = HM_DEFAULT_STALL_TIMEOUT_NS;
    consumer->stuck_position = -1;
    int rc = take_owner(hm_ring_i32(consumer->end.control, HM_RC_CONSUMER_PID), consumer->end.pid);
    if (rc != 0) {
        free(consumer);
        return rc;
    }
    /* The head is kept privately from here on, so it is checked once, here. */
    const int64_t head = atomic_load_explicit(hm_ring_i64(consumer->end.control, HM_RC_HEAD), memory_order_acquire);
    if (!hm_ring_position_valid(head)) {
        hm_error_set(err, "ring %" PRIu32 ": head=%" PRId64 " must be an 8-aligned position in 0..2^62", ring, head);
        release_owner(hm_ring_i32(consumer->end.control, HM_RC_CONSUMER_PID), consumer->end.pid);
        free(consumer);
        return -EPROTO;
    }
    consumer->head = head;
    *ret_consumer = consumer;
    return 0;
}

int hm_ring_consumer_open(hm_region *region, uint32_t ring, hm_ring_consumer **ret_consumer)
{
    return hm_ring_consumer_open_checked(region, ring, NULL, ret_consumer);
}

const char *hm_ring_consumer_last_error(const hm_ring_consumer *consumer)
{
    return consumer ? consumer->end.error.message : "";
}

void hm_ring_consumer_close(hm_ring_consumer *consumer)
{
    if (!consumer)
        return;
    release_owner(hm_ring_i32(consumer->end.control, HM_RC_CONSUMER_PID), consumer->end.pid);
    free(consumer);
}

void hm_ring_consumer_set_stall_timeout(hm_ring_consumer *consumer, int64_t timeout_ns)
{
    consumer->stall_timeout_ns = timeout_ns;
}

uint64_t hm_ring_consumer_dead_claims(const hm_ring_consumer *consumer)
{
    return consumer->dead_claims;
}

/* Wakes producers parked for space once our new head is visible. */
static void wake_producers(uint8_t *control, int light)
{
    /* F2: StoreLoad between R3 (the head) and reading the producers' parked flag. Partner: F4 in park_until(),
     * between a producer setting the flag and re-reading the head (with the membarrier, as for F1). */
    store_load_fence(light);
    _Atomic uint32_t *parked = hm_ring_u32(control, HM_RC_PRODUCERS_PARKED);
    if (atomic_load_explicit(parked, memory_order_relaxed) != 0 &&
        atomic_exchange_explicit(parked, 0, memory_order_relaxed) != 0)
        hm_futex_wake(parked);
}

/*
 * The record at `position` broke the ring's rules: the consumer stops for good (what follows it can no longer be
 * found) and keeps the reason. `room` is the bytes from the record to the end of the ring.
 */
static __attribute__((cold, noinline)) int refuse_record(hm_ring_consumer *consumer, int64_t position,
                                                         record_fields record, uint32_t room)
{
    const uint32_t ring = consumer->end.ring;
    if (record.length < 0)
        ring_violation(&consumer->end, "ring %" PRIu32 ": claimed record at position %" PRId64 ": length=%" PRId32
                       " must be a multiple of 8 in -%" PRIu32 "..-8", ring, position, record.length, room);
    else if ((uint32_t)record.length < HM_RING_RECORD_HEADER_LENGTH || (uint32_t)record.length > room)
        ring_violation(&consumer->end, "ring %" PRIu32 ": record at position %" PRId64 ": length=%" PRId32
                       " must be 8..%" PRIu32 " (header included, up to the end of the ring)", ring, position,
                       record.length, room);
    else
        ring_violation(&consumer->end, "ring %" PRIu32 ": record at position %" PRId64 ": type=%" PRId32
                       " must be >= 1 (a message) or -1 (padding)", ring, position, record.type);
    consumer->broken = -EPROTO;
    return -EPROTO;
}

/* Turns the head record (a dead claim or a dead claim gap of `gap` bytes) into padding. */
static void pad_head(hm_ring_consumer *consumer, uint32_t head_index, uint32_t gap)
{
    atomic_store_explicit(record_header(consumer->end.data, head_index), make_header((int32_t)gap, HM_RING_PADDING_TYPE),
                          memory_order_release);
    consumer->dead_claims++;
    consumer->stuck_position = -1;
}

/*
 * Called when a read found nothing at the head. Detects a head that stays claimed by a dead process (or a
 * many-to-one claim gap that stays empty beyond the stall timeout), turns it into padding and returns
 * -EOWNERDEAD; otherwise 0.
 */
static int consume_stuck_head(hm_ring_consumer *consumer)
{
    const uint32_t mask = consumer->end.capacity - 1;
    const int64_t head = consumer->head;
    const uint32_t head_index = (uint32_t)head & mask;
    const record_fields head_record =
        header_fields(atomic_load_explicit(record_header(consumer->end.data, head_index), memory_order_acquire));
    const int32_t length = head_record.length;
    if (length > 0)
        return 0;
    /* A one-to-one producer writes its claimed header before it moves the tail (R0 before R4), so a zero header
     * there means "empty", never a gap. */
    if (length == 0 && consumer->end.kind == HM_RING_ONE_TO_ONE)
        return 0;
    if (++consumer->empty_polls % HM_STUCK_CHECK_POLLS != 0)
        return 0;
    /* A4: partner R4 (one-to-one) / C1 (many-to-one). */
    const int64_t tail = atomic_load_explicit(hm_ring_i64(consumer->end.control, HM_RC_TAIL), memory_order_acquire);
    if (tail == head) {
        consumer->stuck_position = -1;
        return 0;
    }
    const int64_t now = hm_monotonic_ns();
    if (consumer->stuck_position != head) {
        consumer->stuck_position = head;
        consumer->stuck_since_ns = now;
        consumer->stuck_tail = tail;
        consumer->last_dead_check_ns = now;
        return 0;
    }
    const uint32_t to_end = consumer->end.capacity - head_index;
    if (length < 0) {
        if (now - consumer->last_dead_check_ns < HM_DEAD_CHECK_INTERVAL_NS)
            return 0;
        consumer->last_dead_check_ns = now;
        const int32_t claimer = head_record.type;
        if (hm_process_alive(claimer))
            return 0;
        /* The claimer cannot commit any more; its record (with any wrap padding before it, already
         * published) is skipped, if its claimed length is one a claim can have. */
        const uint32_t claimed = 0u - (uint32_t)length;
        if (claimed < HM_RING_RECORD_HEADER_LENGTH || claimed > to_end || claimed % HM_RING_RECORD_ALIGNMENT != 0)
            return refuse_record(consumer, head, head_record, to_end);
        pad_head(consumer, head_index, claimed);
        return -EOWNERDEAD;
    }
    if (consumer->end.kind != HM_RING_MANY_TO_ONE || now - consumer->stuck_since_ns < consumer->stall_timeout_ns)
        return 0;
    /* A many-to-one producer advanced the tail and never wrote its header. The consumed space is zeroed, so the
     * gap runs up to the next non-zero word (the next producer's header), or to the end of the buffer. */
    /* The tail is the producers' word: any value, so the difference is taken without overflow; the gap is
     * bounded by the end of the ring whatever it says. */
    const uint64_t pending = (uint64_t)tail - (uint64_t)head;
    const uint32_t limit = pending < to_end ? (uint32_t)pending : to_end;
    uint32_t gap = HM_RING_RECORD_ALIGNMENT;
    while (gap < limit) {
        int64_t word;
        memcpy(&word, consumer->end.data + head_index + gap, sizeof word);
        if (word != 0)
            break;
        gap += HM_RING_RECORD_ALIGNMENT;
    }
    if (gap >= limit && pending <= to_end && tail != consumer->stuck_tail)
        return 0; /* the gap reaches the tail, which moved meanwhile: a live claimer may still be writing */
    pad_head(consumer, head_index, gap);
    return -EOWNERDEAD;
}

/* Reads one contiguous block (up to the end of the buffer); *ret_bytes is the bytes consumed. */
static uint32_t read_block(hm_ring_consumer *consumer, hm_ring_handler handler, void *context, uint32_t limit,
                           uint32_t *ret_bytes)
{
    const uint32_t mask = consumer->end.capacity - 1;
    const int64_t head = consumer->head;
    const uint32_t head_index = (uint32_t)head & mask;
    const uint32_t contiguous = consumer->end.capacity - head_index;
    uint32_t bytes = 0;
    uint32_t delivered = 0;
    while (bytes < contiguous && delivered < limit) {
        const uint32_t index = head_index + bytes;
        /* A1: acquire load of the record header (length and type in one word). Partners: R1 (commit), R2
         * (padding), R0 (claimed, length < 0). */
        const record_fields record =
            header_fields(atomic_load_explicit(record_header(consumer->end.data, index), memory_order_acquire));
        const int32_t length = record.length;
        if (length <= 0)
            break;
        /* The header is the peer's word, loaded once: a committed record holds its header and ends before the end
         * of the ring. One unsigned comparison tests both (room is a multiple of 8, at least 8). */
        const uint32_t room = contiguous - bytes;
        if ((uint32_t)length - HM_RING_RECORD_HEADER_LENGTH > room - HM_RING_RECORD_HEADER_LENGTH) {
            refuse_record(consumer, head + bytes, record, room);
            break;
        }
        const int32_t type = record.type;
        if (type != HM_RING_PADDING_TYPE) {
            if (type < 1) {
                refuse_record(consumer, head + bytes, record, room);
                break;
            }
            handler(context, type, consumer->end.data + index + HM_RING_RECORD_HEADER_LENGTH,
                    (uint32_t)length - HM_RING_RECORD_HEADER_LENGTH);
            delivered++;
        }
        bytes += align_record((uint32_t)length);
    }
    if (bytes) {
        /* Many-to-one: zero what we consumed, producers rely on a zero header meaning "not written yet". A
         * one-to-one producer zeroed the header after each record itself (Z0), so the data lines stay clean. */
        if (consumer->end.kind == HM_RING_MANY_TO_ONE)
            memset(consumer->end.data + head_index, 0, bytes);
        consumer->head = head + bytes;
        consumer->stuck_position = -1;
        /* R3: release store of the head, after the zeroing. Partner: A3 in find_space(). */
        atomic_store_explicit(hm_ring_i64(consumer->end.control, HM_RC_HEAD), consumer->head, memory_order_release);
    }
    *ret_bytes = bytes;
    return delivered;
}

int hm_ring_read(hm_ring_consumer *consumer, hm_ring_handler handler, void *context, uint32_t limit)
{
    if (!consumer || !handler)
        return -EINVAL;
    if (consumer->broken)
        return consumer->broken;
    uint32_t bytes = 0;
    uint32_t delivered = read_block(consumer, handler, context, limit, &bytes);
    /* A block that ended at the end of the buffer (often on a padding record) continues at index 0. */
    if (bytes && delivered < limit && !consumer->broken &&
        ((uint32_t)consumer->head & (consumer->end.capacity - 1)) == 0) {
        uint32_t more = 0;
        delivered += read_block(consumer, handler, context, limit - delivered, &more);
        bytes += more;
    }
    /* Records delivered before a violation count; the violation is reported by this call only when nothing was
     * delivered, and by every later call. */
    if (bytes == 0)
        return consumer->broken ? consumer->broken : consume_stuck_head(consumer);
    wake_producers(consumer->end.control, consumer->end.light);
    return (int)delivered;
}

int hm_ring_peek(hm_ring_consumer *consumer, hm_ring_record *ret_record)
{
    if (!consumer || !ret_record)
        return -EINVAL;
    if (consumer->broken)
        return consumer->broken;
    const uint32_t mask = consumer->end.capacity - 1;
    /* Padding is skipped here, but at most a ring's worth per call: a peer that keeps writing padding records
     * ahead of us cannot keep this loop going. */
    uint32_t skipped = 0;
    for (;;) {
        const uint32_t index = (uint32_t)consumer->head & mask;
        /* A1 (as in read_block): partner R0/R1/R2. */
        const record_fields record =
            header_fields(atomic_load_explicit(record_header(consumer->end.data, index), memory_order_acquire));
        const int32_t length = record.length;
        if (length <= 0)
            return consume_stuck_head(consumer);
        /* As in read_block: the header is loaded once and bounded before anything uses it. */
        const uint32_t room = consumer->end.capacity - index;
        if ((uint32_t)length - HM_RING_RECORD_HEADER_LENGTH > room - HM_RING_RECORD_HEADER_LENGTH)
            return refuse_record(consumer, consumer->head, record, room);
        const int32_t type = record.type;
        consumer->peeked = 1;
        consumer->peeked_bytes = align_record((uint32_t)length);
        if (type == HM_RING_PADDING_TYPE) {
            if (skipped >= consumer->end.capacity) {
                consumer->peeked = 0;
                return 0;
            }
            skipped += consumer->peeked_bytes;
            hm_ring_release(consumer);
            continue;
        }
        if (type < 1) {
            consumer->peeked = 0;
            return refuse_record(consumer, consumer->head, record, room);
        }
        ret_record->data = consumer->end.data + index + HM_RING_RECORD_HEADER_LENGTH;
        ret_record->length = (uint32_t)length - HM_RING_RECORD_HEADER_LENGTH;
        ret_record->type = type;
        return 1;
    }
}

int hm_ring_release(hm_ring_consumer *consumer)
{
    if (!consumer || !consumer->peeked)
        return -EINVAL;
    const uint32_t index = (uint32_t)consumer->head & (consumer->end.capacity - 1);
    /* The length validated by hm_ring_peek: the shared header may say something else by now. */
    const uint32_t bytes = consumer->peeked_bytes;
    if (consumer->end.kind == HM_RING_MANY_TO_ONE) /* as in read_block */
        memset(consumer->end.data + index, 0, bytes);
    consumer->head += bytes;
    consumer->peeked = 0;
    consumer->stuck_position = -1;
    /* R3 (as in read_block): partner A3. */
    atomic_store_explicit(hm_ring_i64(consumer->end.control, HM_RC_HEAD), consumer->head, memory_order_release);
    wake_producers(consumer->end.control, consumer->end.light);
    return 0;
}

int hm_peer_check(int peer_fd)
{
    if (peer_fd < 0)
        return 0;
    /* The control socket only ever carries fds and shutdown, so a hang-up (or an error) means the peer is gone:
     * it closed its end, exited or was killed. */
    struct pollfd peer = {.fd = peer_fd, .events = POLLRDHUP};
    if (poll(&peer, 1, 0) < 0)
        return errno == EINTR ? 0 : -ECONNRESET;
    return (peer.revents & (POLLHUP | POLLRDHUP | POLLERR | POLLNVAL)) ? -ECONNRESET : 0;
}

/* The ring a waiter watches; `required` (a record, header included) and `reserve` are only used by space_free. */
typedef struct ring_wait {
    uint8_t *control;
    uint32_t capacity;
    uint32_t required;
    uint32_t reserve;
} ring_wait;

/* What a waiter waits for; `parking` is 0 while spinning. */
typedef int (*ready_fn)(const ring_wait *wait, int parking);

static int head_ready(const ring_wait *wait, int parking)
{
    uint8_t *control = wait->control;
    const uint32_t capacity = wait->capacity;
    uint8_t *data = control + HM_RING_CONTROL_LENGTH;
    const int64_t head = atomic_load_explicit(hm_ring_i64(control, HM_RC_HEAD), memory_order_acquire);
    /* The shared head may be anything (the consumer is another process, or a peer wrote it): masked into the
     * ring and down to a header word. The consumer reads from its own copy; this only decides whether to wake. */
    const uint32_t index = (uint32_t)head & (capacity - 1) & ~(HM_RING_RECORD_ALIGNMENT - 1);
    /* A1 (as above): partner R0/R1/R2. */
    const int32_t length =
        header_fields(atomic_load_explicit(record_header(data, index), memory_order_acquire)).length;
    if (length > 0)
        return 1;
    /* Before parking (after the closure, peer and deadline checks), a claimed head also counts as ready, so a
     * reader gets to check it for a dead claimer; so does a claim gap (tail ahead of a zero header). Not while
     * spinning: a claim that never commits would end every wait at once, before those checks. The tail line is
     * only read here too: while spinning it would bounce between caches. */
    return parking &&
           (length != 0 || atomic_load_explicit(hm_ring_i64(control, HM_RC_TAIL), memory_order_acquire) != head);
}

static int space_free(const ring_wait *wait, int parking)
{
    (void)parking;
    const int64_t tail = atomic_load_explicit(hm_ring_i64(wait->control, HM_RC_TAIL), memory_order_acquire);
    /* A3 (as in find_space): partner R3. */
    const int64_t head = atomic_load_explicit(hm_ring_i64(wait->control, HM_RC_HEAD), memory_order_acquire);
    uint32_t padding;
    const int64_t needed =
        space_needed(wait->capacity, (uint32_t)tail & (wait->capacity - 1), wait->required, wait->reserve, &padding);
    return needed <= ring_free(wait->capacity, tail, head);
}

/*
 * Spins, then parks on `parked` until ready() holds, the deadline passes, the region closes or the peer hangs up.
 * F3 (consumers) / F4 (producers): the full fence between raising the flag and re-checking the ring. Partners:
 * F1 in wake_consumer() / F2 in wake_producers(): either the waker sees the flag, or we see its publication.
 */
static int park_until(hm_region *region, uint32_t ring, uint32_t flag_offset, ready_fn ready, uint32_t required,
                      int64_t deadline_ns, int peer_fd, uint32_t spins, int64_t slice_ns)
{
    const ring_wait wait = {.control = hm_region_ring_control(region, ring),
                            .capacity = hm_region_ring_capacity(region, ring),
                            .required = required,
                            .reserve = ring_reserve(hm_region_ring_kind(region, ring))};
    _Atomic uint32_t *parked = hm_ring_u32(wait.control, flag_offset);

    for (uint32_t spin = 0; spin < spins; spin++) {
        if (ready(&wait, 0))
            return 0;
        hm_cpu_relax();
    }
    for (;;) {
        if (hm_region_is_closed(region))
            return -EPIPE;
        int rc = hm_peer_check(peer_fd);
        if (rc != 0)
            return rc;
        const int64_t now = hm_monotonic_ns();
        if (now >= deadline_ns)
            return -ETIMEDOUT;
        atomic_store_explicit(parked, 1, memory_order_relaxed);
        /* F3 / F4: a full fence, then (when available) the global membarrier that stands in for the light side's
         * skipped fence F1 / F2 on every CPU running a registered process. */
        hm_membarrier_heavy();
        if (ready(&wait, 1)) {
            atomic_store_explicit(parked, 0, memory_order_relaxed);
            return 0;
        }
        int64_t slice = deadline_ns - now;
        if (slice > slice_ns)
            slice = slice_ns;
        rc = hm_futex_wait(parked, 1, slice);
        if (rc != 0 && rc != -ETIMEDOUT && rc != -EINTR)
            return rc;
    }
}

int hm_ring_wait_data(hm_region *region, uint32_t ring, int64_t deadline_ns, int peer_fd, uint32_t spins,
                      int64_t slice_ns)
{
    return park_until(region, ring, HM_RC_CONSUMER_PARKED, head_ready, 0, deadline_ns, peer_fd, spins, slice_ns);
}

int hm_ring_wait_space(hm_region *region, uint32_t ring, uint32_t required, int64_t deadline_ns, int peer_fd,
                       uint32_t spins, int64_t slice_ns)
{
    return park_until(region, ring, HM_RC_PRODUCERS_PARKED, space_free, required, deadline_ns, peer_fd, spins,
                      slice_ns);
}

int hm_ring_wait(hm_ring_consumer *consumer, int64_t timeout_ns)
{
    if (!consumer)
        return -EINVAL;
    const int64_t deadline = timeout_ns < 0 ? INT64_MAX : hm_monotonic_ns() + timeout_ns;
    return hm_ring_wait_data(consumer->end.region, consumer->end.ring, deadline, -1, HM_RING_DEFAULT_SPINS,
                             HM_PARK_SLICE_NS);
}
