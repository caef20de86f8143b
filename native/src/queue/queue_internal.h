/*
 * The byte layout of a region and of its rings, shared by region.c and ring.c (and mirrored byte for byte by
 * io.harmonia.bindings.queue.RegionLayout in Java). docs/architecture.md section 3.2 draws it.
 */
#ifndef HARMONIA_QUEUE_INTERNAL_H
#define HARMONIA_QUEUE_INTERNAL_H

#include <harmonia/queue.h>

#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>

/* Positions are 64-bit and shared between processes: their atomics must not fall back to a process-local lock. */
_Static_assert(__atomic_always_lock_free(sizeof(int64_t), 0), "64-bit atomics must be lock-free");
_Static_assert(__atomic_always_lock_free(sizeof(int32_t), 0), "32-bit atomics must be lock-free");

/* Region header fields (byte offsets from the region base). */
#define HM_RH_MAGIC 0u          /* uint32 HM_REGION_MAGIC */
#define HM_RH_VERSION 4u        /* uint32 major << 16 | minor; 0 until the creator publishes it (last) */
#define HM_RH_LENGTH 8u         /* uint64 region length in bytes (the memfd size) */
#define HM_RH_HEADER_LENGTH 16u /* uint32 HM_REGION_HEADER_LENGTH */
#define HM_RH_RING_COUNT 20u    /* uint32 1..HM_REGION_MAX_RINGS */
#define HM_RH_CHECKSUM 24u      /* uint32 FNV-1a of the header with VERSION, CHECKSUM and STATE read as zero */
#define HM_RH_STATE 28u         /* uint32 bit 0: closed; the only field that changes after publication */
#define HM_RH_RINGS 32u         /* HM_REGION_MAX_RINGS descriptors of 16 bytes */
#define HM_RH_RING_DESCRIPTOR_LENGTH 16u
#define HM_RD_OFFSET 0u   /* uint64 byte offset of the ring's control block */
#define HM_RD_CAPACITY 8u /* uint32 data capacity */
#define HM_RD_KIND 12u    /* uint32 hm_ring_kind */

#define HM_REGION_STATE_CLOSED 1u

/* Ring control block fields (byte offsets from the ring's offset); data follows at HM_RING_CONTROL_LENGTH. */
#define HM_RC_TAIL 0u               /* int64 producer position (claims advance it) */
#define HM_RC_HEAD 128u             /* int64 consumer position (reads advance it) */
#define HM_RC_CONSUMER_PARKED 256u  /* uint32 futex word: 1 while the consumer may be parked */
#define HM_RC_PRODUCER_PID 260u     /* int32 pid of the one-to-one producer, 0 when none */
#define HM_RC_CONSUMER_PID 264u     /* int32 pid of the consumer, 0 when none */
#define HM_RC_PRODUCERS_PARKED 384u /* uint32 futex word: 1 while a producer may be parked for space */

/* Record header fields. */
#define HM_REC_LENGTH 0u /* int32: > 0 committed (header + message bytes); < 0 claimed (-aligned length); 0 free */
#define HM_REC_TYPE 4u   /* int32: message type once committed; the claimer's pid while claimed */

struct hm_region {
    uint8_t *base;
    uint64_t length;
    int fd;
    uint32_t ring_count;
    /* The ring layout as written at create or validated at open. Never read from the shared header again: the
     * peer may rewrite the header at any moment after validation. */
    uint64_t ring_offset[HM_REGION_MAX_RINGS];
    uint32_t ring_capacity[HM_REGION_MAX_RINGS];
    uint32_t ring_kind[HM_REGION_MAX_RINGS];
};

/*
 * Positions (tail, head) are byte counts that start at 0 and only grow, by whole 8-byte-aligned records. One read
 * from shared memory is trusted only if it is 8-aligned and below this limit (a ring moving 10 GB/s reaches it
 * after 14 years), so sums and differences of positions and ring sizes can never overflow.
 */
#define HM_RING_POSITION_LIMIT (INT64_C(1) << 62)

static inline int hm_ring_position_valid(int64_t position)
{
    return position >= 0 && position < HM_RING_POSITION_LIMIT && (position & (HM_RING_RECORD_ALIGNMENT - 1)) == 0;
}

/* Park granularity: a parked waiter wakes at least this often to re-check timeouts, closure and dead peers. */
#define HM_PARK_SLICE_NS INT64_C(2000000)
/* Park granularity of a channel whose socket another thread watches (hm_channel_set_watched): closure and a
 * hang-up wake the waiter through the futex, so the slice only bounds a missed wake-up. */
#define HM_WATCHED_PARK_SLICE_NS INT64_C(200000000)

static inline _Atomic int64_t *hm_ring_i64(uint8_t *control, uint32_t offset)
{
    return (_Atomic int64_t *)(void *)(control + offset);
}

static inline _Atomic uint32_t *hm_ring_u32(uint8_t *control, uint32_t offset)
{
    return (_Atomic uint32_t *)(void *)(control + offset);
}

static inline _Atomic int32_t *hm_ring_i32(uint8_t *control, uint32_t offset)
{
    return (_Atomic int32_t *)(void *)(control + offset);
}

uint32_t hm_region_header_checksum(const uint8_t *header);
int64_t hm_monotonic_ns(void);
int hm_futex_wait(_Atomic uint32_t *word, uint32_t expected, int64_t timeout_ns);
int hm_futex_wake(_Atomic uint32_t *word);
void hm_error_set(hm_error *err, const char *format, ...) __attribute__((format(printf, 2, 3)));
void hm_error_vset(hm_error *err, const char *format, va_list args) __attribute__((format(printf, 2, 0)));
uint8_t *hm_region_ring_control(const hm_region *region, uint32_t ring);

/* hm_ring_consumer_open that explains a refusal in `err` (the channels' connect and accept report it). */
int hm_ring_consumer_open_checked(hm_region *region, uint32_t ring, hm_error *err, hm_ring_consumer **ret_consumer);
int hm_ring_producer_open_checked(hm_region *region, uint32_t ring, hm_error *err, hm_ring_producer **ret_producer);

/*
 * Waits for the head record of a ring to be committed (or to look stuck on a claim) until `deadline_ns`
 * (INT64_MAX: no bound). When `peer_fd` >= 0 it is polled between park slices and a hang-up ends the wait
 * with -ECONNRESET. `spins` busy polls come before the first park; each park lasts at most `slice_ns`
 * (HM_PARK_SLICE_NS unless the caller has a reason for longer). Shared by hm_ring_wait and the channels.
 */
int hm_ring_wait_data(hm_region *region, uint32_t ring, int64_t deadline_ns, int peer_fd, uint32_t spins,
                      int64_t slice_ns);

/* Waits until `required` bytes (a full aligned record, plus padding if it must wrap) could be claimed. */
int hm_ring_wait_space(hm_region *region, uint32_t ring, uint32_t required, int64_t deadline_ns, int peer_fd,
                       uint32_t spins, int64_t slice_ns);

/* 0 while the peer's end of the socket is open, -ECONNRESET once it hung up (or the fd is bad). */
int hm_peer_check(int peer_fd);

#endif /* HARMONIA_QUEUE_INTERNAL_H */
