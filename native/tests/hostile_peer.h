/*
 * A hostile peer for the shared-memory tests: it maps the region the process under test uses (its own mapping,
 * opened as any peer opens it) and writes what an attacker would while the other side reads: every ring control
 * word (tail, head, parked flags, owner pids) and record header at its boundary values (0, -1, INT_MIN/MAX,
 * capacity, capacity +- 8, positions far ahead and behind, misaligned), records with wrong types and lengths,
 * channel frames with every field at its limits, half-written frames, IpcIo object tables whose entries, record
 * types and fd numbers change while the receiver reads them, fd batches that match no frame, random bytes
 * anywhere (region header included), and, between those, well-formed messages sent through the library so the
 * receiver keeps reaching its deep paths.
 *
 * Used by test_hostile_peer (a forked child) and by the peers the Java tests start (hm_queue_peer, hm_channel_peer).
 * The layout offsets are written out here on purpose: an attacker does not use our headers either.
 */
#ifndef HARMONIA_TESTS_HOSTILE_PEER_H
#define HARMONIA_TESTS_HOSTILE_PEER_H

#include <harmonia/channel.h>
#include <harmonia/ipcio.h>
#include <harmonia/queue.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Ring control block fields (docs/architecture.md section 3.2). */
#define HOSTILE_TAIL 0u
#define HOSTILE_HEAD 128u
#define HOSTILE_CONSUMER_PARKED 256u
#define HOSTILE_PRODUCER_PID 260u
#define HOSTILE_CONSUMER_PID 264u
#define HOSTILE_PRODUCERS_PARKED 384u
/* Channel frame fields (section 3.3). */
#define HOSTILE_FRAME_FLAGS 4u
#define HOSTILE_FRAME_DATA_LENGTH 8u
#define HOSTILE_FRAME_TABLE_OFFSET 12u
#define HOSTILE_FRAME_OBJECT_COUNT 16u
#define HOSTILE_FRAME_FD_COUNT 20u
#define HOSTILE_FRAME_POINTER_SIZE 22u
#define HOSTILE_FRAME_VERSION 23u
#define HOSTILE_FRAME_FD_TAG 24u
/* A pid no process has (above the kernel's pid_max limit of 2^22). */
#define HOSTILE_DEAD_PID 0x7ffffff0

typedef struct hostile {
    uint64_t random;
    uint8_t *base;
    uint64_t length;
    uint32_t ring_count;
    uint8_t *control[HM_REGION_MAX_RINGS];
    uint32_t capacity[HM_REGION_MAX_RINGS];
    /* Rings the victim consumes get most of the attention. */
    uint32_t victim_rings;
    /* Channel mode: the channel (fd batches, well-formed messages); ring mode: producers for well-formed records. */
    hm_channel *channel;
    hm_ring_producer *producers[HM_REGION_MAX_RINGS];
    hm_region *region;
    /* What the peer sends as fds: /dev/null, so a receiver can tell them from its own. */
    int null_fd;
    uint64_t steps;
} hostile;

/* Attacks come in bursts: every HOSTILE_CYCLE steps the peer first repairs the rings the victim reads and sends
 * only well-formed messages for HOSTILE_CALM steps, so the victim keeps getting past its first refusal. */
#define HOSTILE_CYCLE 2048u
#define HOSTILE_CALM 512u

static inline int64_t hostile_now_ns(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * INT64_C(1000000000) + now.tv_nsec;
}

static inline uint64_t hostile_random(hostile *h)
{
    /* xorshift64*: deterministic for a seed, so a failing run can be repeated. */
    h->random ^= h->random >> 12;
    h->random ^= h->random << 25;
    h->random ^= h->random >> 27;
    return h->random * UINT64_C(2685821657736338717);
}

static inline uint32_t hostile_below(hostile *h, uint32_t bound)
{
    return (uint32_t)(hostile_random(h) % bound);
}

static inline void hostile_init(hostile *h, hm_region *region, uint32_t victim_rings, uint64_t seed)
{
    memset(h, 0, sizeof *h);
    h->random = seed * UINT64_C(0x9e3779b97f4a7c15) + 1;
    h->region = region;
    h->base = hm_region_base(region);
    h->length = hm_region_length(region);
    h->ring_count = hm_region_ring_count(region);
    for (uint32_t i = 0; i < h->ring_count; i++) {
        h->control[i] = h->base + hm_region_ring_offset(region, i);
        h->capacity[i] = hm_region_ring_capacity(region, i);
    }
    h->victim_rings = victim_rings;
    h->null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
}

static inline void hostile_destroy(hostile *h)
{
    for (uint32_t i = 0; i < HM_REGION_MAX_RINGS; i++)
        hm_ring_producer_close(h->producers[i]);
    if (h->null_fd >= 0)
        close(h->null_fd);
}

/* Stores into the shared bytes: aligned words with release (so what was written before is visible with them),
 * anything else byte-wise. */
static inline void hostile_put64(uint8_t *at, uint64_t value)
{
    if (((uintptr_t)at & 7u) == 0)
        __atomic_store_n((uint64_t *)(void *)at, value, __ATOMIC_RELEASE);
    else
        memcpy(at, &value, sizeof value);
}

static inline void hostile_put32(uint8_t *at, uint32_t value)
{
    if (((uintptr_t)at & 3u) == 0)
        __atomic_store_n((uint32_t *)(void *)at, value, __ATOMIC_RELEASE);
    else
        memcpy(at, &value, sizeof value);
}

static inline uint64_t hostile_header(int32_t length, int32_t type)
{
    return (uint64_t)(uint32_t)length | (uint64_t)(uint32_t)type << 32;
}

static inline uint32_t hostile_pick_ring(hostile *h)
{
    if (h->victim_rings != 0 && hostile_below(h, 4) != 0) {
        for (;;) {
            uint32_t ring = hostile_below(h, h->ring_count);
            if (h->victim_rings & (1u << ring))
                return ring;
        }
    }
    return hostile_below(h, h->ring_count);
}

/* Where the victim reads next (what it last published as its head), 8-aligned. */
static inline uint32_t hostile_head_index(hostile *h, uint32_t ring)
{
    const int64_t head = __atomic_load_n((int64_t *)(void *)(h->control[ring] + HOSTILE_HEAD), __ATOMIC_ACQUIRE);
    return (uint32_t)head & (h->capacity[ring] - 1) & ~7u;
}

/* A position near `current` or at a limit. Unsigned arithmetic: the peer must not overflow either. */
static inline int64_t hostile_position(hostile *h, int64_t current, uint32_t capacity)
{
    const uint64_t c = (uint64_t)current, cap = capacity;
    const uint64_t values[] = {0, UINT64_MAX, (uint64_t)-8, (uint64_t)INT64_MIN, (uint64_t)INT64_MAX,
                               (uint64_t)INT64_MAX - 7, (uint64_t)INT64_MIN + 8, cap, cap + 8, cap - 8, c + 1,
                               c + 3, c + 4, c - 8, c + 8, c + cap, c + cap + 8, c - cap, c - 3 * cap,
                               c + (UINT64_C(1) << 40), c - (UINT64_C(1) << 40), UINT64_C(1) << 62};
    const uint32_t count = sizeof values / sizeof values[0];
    const uint32_t pick = hostile_below(h, count + 1);
    return (int64_t)(pick < count ? values[pick] : hostile_random(h));
}

/* A record length: around 0, the header size, the ring's and the record's limits, negative (claimed) forms. */
static inline int32_t hostile_length(hostile *h, uint32_t capacity, uint32_t to_end)
{
    const int32_t cap = (int32_t)capacity, end = (int32_t)to_end, max_record = (int32_t)(capacity / 8);
    const int32_t values[] = {0, 1, 4, 7, 8, 9, 15, 16, 24, 33, -8, -1, -7, -16, INT32_MIN, INT32_MAX,
                              INT32_MIN + 8, cap, cap + 8, cap - 8, end, end + 8, end - 8, end + 1,
                              max_record, max_record + 8, -end, -(end + 8), -cap, -max_record};
    const uint32_t count = sizeof values / sizeof values[0];
    const uint32_t pick = hostile_below(h, count + 1);
    return pick < count ? values[pick] : (int32_t)hostile_random(h);
}

static inline int32_t hostile_type(hostile *h)
{
    const int32_t values[] = {-1, 0, 1, 2, -2, INT32_MIN, INT32_MAX, 1, (int32_t)getpid(), HOSTILE_DEAD_PID, 7};
    const uint32_t count = sizeof values / sizeof values[0];
    const uint32_t pick = hostile_below(h, count + 1);
    return pick < count ? values[pick] : (int32_t)hostile_random(h);
}

/* A 32-bit frame field relative to the payload it describes. */
static inline uint32_t hostile_field(hostile *h, uint32_t payload, uint32_t capacity)
{
    const uint32_t values[] = {0, 1, 7, 8, 24, UINT32_MAX, 0x80000000u, 0x7fffffffu, payload, payload + 1,
                               payload - 8, payload + 8, capacity, UINT32_MAX - 7, payload / 2};
    const uint32_t count = sizeof values / sizeof values[0];
    const uint32_t pick = hostile_below(h, count + 1);
    return pick < count ? values[pick] : (uint32_t)hostile_random(h);
}

/* Moves a ring's tail or head to a limit or near where it is. */
static inline void hostile_move(hostile *h, uint32_t ring, uint32_t field)
{
    int64_t current;
    memcpy(&current, h->control[ring] + field, sizeof current);
    hostile_put64(h->control[ring] + field, (uint64_t)hostile_position(h, current, h->capacity[ring]));
}

/* Any control word of a ring, at its limits. */
static inline void hostile_control(hostile *h, uint32_t ring)
{
    uint8_t *control = h->control[ring];
    switch (hostile_below(h, 8)) {
    case 0:
    case 1:
        hostile_move(h, ring, HOSTILE_TAIL);
        break;
    case 2:
    case 3:
        hostile_move(h, ring, HOSTILE_HEAD);
        break;
    case 4:
        hostile_put32(control + HOSTILE_CONSUMER_PARKED, (uint32_t[]){0, 1, 2, UINT32_MAX}[hostile_below(h, 4)]);
        break;
    case 5:
        hostile_put32(control + HOSTILE_PRODUCERS_PARKED, (uint32_t[]){0, 1, 2, UINT32_MAX}[hostile_below(h, 4)]);
        break;
    case 6:
        hostile_put32(control + HOSTILE_PRODUCER_PID, (uint32_t)hostile_type(h));
        break;
    default:
        /* Rarely: a live pid here keeps the victim from reopening the ring, which ends that round early. */
        if (hostile_below(h, 16) == 0)
            hostile_put32(control + HOSTILE_CONSUMER_PID, (uint32_t)hostile_type(h));
        break;
    }
}

/* A record header at (or just after) the victim's head, or anywhere, with any length and type. */
static inline void hostile_record_header(hostile *h, uint32_t ring)
{
    const uint32_t capacity = h->capacity[ring];
    uint32_t index;
    switch (hostile_below(h, 4)) {
    case 0:
        index = hostile_below(h, capacity / 8) * 8;
        break;
    case 1:
        index = (hostile_head_index(h, ring) + 8 * hostile_below(h, 8)) & (capacity - 1);
        break;
    default:
        index = hostile_head_index(h, ring);
        break;
    }
    if (hostile_below(h, 16) == 0) /* a torn, misaligned write across two header words */
        index = (index + 1 + hostile_below(h, 7)) & (capacity - 9);
    hostile_put64(h->control[ring] + HM_RING_CONTROL_LENGTH + index,
                  hostile_header(hostile_length(h, capacity, capacity - (index & ~7u)), hostile_type(h)));
}

/* Writes a channel frame of `payload` bytes at `frame` with its fields at their limits. */
static inline void hostile_frame_fields(hostile *h, uint8_t *frame, uint32_t payload, uint32_t capacity)
{
    const uint32_t flags = hostile_below(h, 2) ? HM_CHANNEL_FLAG_IPCIO : (uint32_t)hostile_random(h);
    hostile_put32(frame, (uint32_t)hostile_random(h));
    hostile_put32(frame + HOSTILE_FRAME_FLAGS, flags);
    hostile_put32(frame + HOSTILE_FRAME_DATA_LENGTH, hostile_field(h, payload, capacity));
    hostile_put32(frame + HOSTILE_FRAME_TABLE_OFFSET, hostile_field(h, payload, capacity) & ~(hostile_below(h, 2) ? 7u : 0u));
    hostile_put32(frame + HOSTILE_FRAME_OBJECT_COUNT, hostile_field(h, payload / 8, capacity));
    const uint16_t fd_count = (uint16_t[]){0, 1, 2, 64, 65, UINT16_MAX}[hostile_below(h, 6)];
    memcpy(frame + HOSTILE_FRAME_FD_COUNT, &fd_count, sizeof fd_count);
    frame[HOSTILE_FRAME_POINTER_SIZE] = (uint8_t[]){8, 4, 0, 255, (uint8_t)sizeof(size_t)}[hostile_below(h, 5)];
    frame[HOSTILE_FRAME_VERSION] = (uint8_t[]){1, 0, 2, 255}[hostile_below(h, 4)];
    hostile_put64(frame + HOSTILE_FRAME_FD_TAG, (uint64_t[]){0, 1, 2, UINT64_MAX, h->steps}[hostile_below(h, 5)]);
}

/* Commits a record at the victim's head whose frame has every field at a limit; sometimes half-written (the
 * header is published first and the frame written after). */
static inline void hostile_frame_record(hostile *h, uint32_t ring)
{
    const uint32_t capacity = h->capacity[ring];
    const uint32_t index = hostile_head_index(h, ring);
    const uint32_t to_end = capacity - index;
    const uint32_t max_record = capacity / 8 < to_end ? capacity / 8 : to_end;
    if (max_record < HM_RING_RECORD_HEADER_LENGTH + HM_CHANNEL_FRAME_LENGTH)
        return;
    const uint32_t length = HM_RING_RECORD_HEADER_LENGTH + HM_CHANNEL_FRAME_LENGTH +
                            hostile_below(h, max_record - HM_RING_RECORD_HEADER_LENGTH - HM_CHANNEL_FRAME_LENGTH + 1);
    uint8_t *record = h->control[ring] + HM_RING_CONTROL_LENGTH + index;
    const uint32_t payload = length - HM_RING_RECORD_HEADER_LENGTH - HM_CHANNEL_FRAME_LENGTH;
    const int half_written = hostile_below(h, 4) == 0;
    if (half_written)
        hostile_put64(record, hostile_header((int32_t)length, 1));
    hostile_frame_fields(h, record + HM_RING_RECORD_HEADER_LENGTH, payload, capacity);
    for (uint32_t i = 0; i < payload; i++)
        record[HM_RING_RECORD_HEADER_LENGTH + HM_CHANNEL_FRAME_LENGTH + i] = (uint8_t)hostile_random(h);
    if (!half_written)
        hostile_put64(record, hostile_header((int32_t)length, hostile_below(h, 8) ? 1 : hostile_type(h)));
}

/* Sends `count` copies of /dev/null with SCM_RIGHTS (channel mode); the tag, or a made-up one. */
static inline uint64_t hostile_send_fds(hostile *h, uint32_t count)
{
    int32_t fds[HM_CHANNEL_MAX_FDS];
    for (uint32_t i = 0; i < count && i < HM_CHANNEL_MAX_FDS; i++)
        fds[i] = h->null_fd;
    uint64_t tag = 0;
    if (h->channel == NULL || count == 0 || hm_channel_send_fds(h->channel, fds, count, &tag) != 0)
        return hostile_random(h) | 1u;
    return tag;
}

/*
 * Commits a well-formed IpcIo frame at the victim's head (data with fd, binder and handle records, the object
 * table after it, fds sent ahead), then keeps changing its table entries, record types, fd numbers and frame
 * fields while the victim may be validating and reading it: the time-of-check/time-of-use attack.
 */
static inline void hostile_ipcio_record(hostile *h, uint32_t ring)
{
    static const uint32_t types[3] = {HM_IPCIO_TYPE_FD, HM_IPCIO_TYPE_BINDER, HM_IPCIO_TYPE_HANDLE};
    const uint32_t capacity = h->capacity[ring];
    const uint32_t index = hostile_head_index(h, ring);
    const uint32_t objects = 1 + hostile_below(h, 4);
    const uint32_t data_length = 8 + objects * HM_IPCIO_OBJECT_SIZE;
    const uint32_t table_offset = (data_length + 7u) & ~7u;
    const uint32_t payload = table_offset + objects * (uint32_t)sizeof(size_t);
    const uint32_t length = HM_RING_RECORD_HEADER_LENGTH + HM_CHANNEL_FRAME_LENGTH + payload;
    if ((length + 7u) / 8 * 8 > capacity - index || length > capacity / 8)
        return;
    uint8_t *record = h->control[ring] + HM_RING_CONTROL_LENGTH + index;
    uint8_t *frame = record + HM_RING_RECORD_HEADER_LENGTH;
    uint8_t *data = frame + HM_CHANNEL_FRAME_LENGTH;
    uint8_t *table = data + table_offset;
    uint32_t fd_count = 0;
    for (uint32_t i = 0; i < objects; i++) {
        const uint32_t offset = 8 + i * HM_IPCIO_OBJECT_SIZE;
        const uint32_t type = types[hostile_below(h, 3)];
        uint8_t *object = data + offset;
        memset(object, 0, HM_IPCIO_OBJECT_SIZE);
        memcpy(object, &type, sizeof type);
        const uint32_t number = type == HM_IPCIO_TYPE_FD ? 1000 + i : hostile_below(h, 100);
        memcpy(object + 8, &number, sizeof number);
        const size_t entry = offset;
        memcpy(table + i * sizeof(size_t), &entry, sizeof entry);
        fd_count += type == HM_IPCIO_TYPE_FD;
    }
    const int32_t seq = (int32_t)h->steps;
    memcpy(data, &seq, sizeof seq);
    memset(data + 4, 0, 4);
    const uint64_t tag = fd_count ? hostile_send_fds(h, fd_count) : 0;
    const uint32_t code = 7, flags = HM_CHANNEL_FLAG_IPCIO;
    const uint16_t fds16 = (uint16_t)fd_count;
    memcpy(frame, &code, 4);
    memcpy(frame + HOSTILE_FRAME_FLAGS, &flags, 4);
    memcpy(frame + HOSTILE_FRAME_DATA_LENGTH, &data_length, 4);
    memcpy(frame + HOSTILE_FRAME_TABLE_OFFSET, &table_offset, 4);
    memcpy(frame + HOSTILE_FRAME_OBJECT_COUNT, &objects, 4);
    memcpy(frame + HOSTILE_FRAME_FD_COUNT, &fds16, 2);
    frame[HOSTILE_FRAME_POINTER_SIZE] = (uint8_t)sizeof(size_t);
    frame[HOSTILE_FRAME_VERSION] = 1;
    memcpy(frame + HOSTILE_FRAME_FD_TAG, &tag, 8);
    hostile_put64(record, hostile_header((int32_t)length, 1));
    /* Now change it under the reader. */
    const uint32_t flips = 50 + hostile_below(h, 400);
    for (uint32_t i = 0; i < flips; i++) {
        const uint32_t object = hostile_below(h, objects);
        switch (hostile_below(h, 7)) {
        case 0: {
            const size_t entry = (size_t[]){0, 4, 8 + object * HM_IPCIO_OBJECT_SIZE, SIZE_MAX, SIZE_MAX - 23,
                                            (size_t)capacity, data_length, data_length - 1,
                                            (size_t)1 << (sizeof(size_t) * 8 - 1)}[hostile_below(h, 9)];
            memcpy(table + object * sizeof(size_t), &entry, sizeof entry);
            break;
        }
        case 1: {
            const uint32_t type = hostile_below(h, 4) ? types[hostile_below(h, 3)] : (uint32_t)hostile_random(h);
            memcpy(data + 8 + object * HM_IPCIO_OBJECT_SIZE, &type, sizeof type);
            break;
        }
        case 2: {
            /* Another fd number: 0..9 are the receiver's own (stdio, its sockets and memfds). */
            const uint32_t number = hostile_below(h, 10);
            memcpy(data + 8 + object * HM_IPCIO_OBJECT_SIZE + 8, &number, sizeof number);
            break;
        }
        case 3:
            hostile_put32(frame + HOSTILE_FRAME_TABLE_OFFSET, hostile_field(h, payload, capacity));
            break;
        case 4:
            hostile_put32(frame + HOSTILE_FRAME_OBJECT_COUNT, hostile_field(h, objects, capacity));
            break;
        case 5:
            hostile_put32(frame + HOSTILE_FRAME_DATA_LENGTH, hostile_field(h, payload, capacity));
            break;
        default:
            hostile_put64(record, hostile_header(hostile_length(h, capacity, capacity - index), 1));
            break;
        }
    }
}

/* Random bytes anywhere in a ring (control block or data), or in the region header. */
static inline void hostile_scribble(hostile *h, uint32_t ring, int in_header)
{
    uint8_t *start = in_header ? h->base : h->control[ring];
    const uint32_t span = in_header ? HM_REGION_HEADER_LENGTH : HM_RING_CONTROL_LENGTH + h->capacity[ring];
    const uint32_t count = 1 + hostile_below(h, 16);
    const uint32_t at = hostile_below(h, span - count);
    for (uint32_t i = 0; i < count; i++)
        start[at + i] = (uint8_t)hostile_random(h);
}

/* A well-formed message through the library, so the victim also gets real traffic. */
static inline void hostile_legit(hostile *h, uint32_t ring)
{
    uint8_t bytes[64];
    for (uint32_t i = 0; i < sizeof bytes; i++)
        bytes[i] = (uint8_t)hostile_random(h);
    if (h->channel != NULL) {
        if (hostile_below(h, 2)) {
            int32_t fd = h->null_fd;
            hm_channel_send(h->channel, 1, bytes, hostile_below(h, sizeof bytes), &fd, hostile_below(h, 2), 0);
            return;
        }
        IpcIo io;
        hm_channel_message message;
        if (hm_channel_claim_ipcio(h->channel, 128, 4, 0, &io, &message) != 0)
            return;
        WriteInt32(&io, (int32_t)h->steps);
        WriteString(&io, "hostile");
        WriteFileDescriptor(&io, (uint32_t)h->null_fd);
        WriteInt64(&io, -1);
        hm_channel_commit_ipcio(h->channel, &message, &io, 9);
        return;
    }
    if (h->producers[ring] != NULL)
        hm_ring_offer(h->producers[ring], 1 + (int32_t)hostile_below(h, 3), bytes, hostile_below(h, sizeof bytes));
}

/*
 * Puts the rings the victim reads back in order: the tail where the victim's head is (its published head, or 0
 * when that is no position), zeroed records, no foreign owner; ring mode reopens its producers so that their
 * private tails follow.
 */
static inline void hostile_heal(hostile *h)
{
    for (uint32_t ring = 0; ring < h->ring_count; ring++) {
        if (!(h->victim_rings & (1u << ring)))
            continue;
        uint8_t *control = h->control[ring];
        int64_t head = __atomic_load_n((int64_t *)(void *)(control + HOSTILE_HEAD), __ATOMIC_ACQUIRE);
        if (head < 0 || head >= (INT64_C(1) << 62) || (head & 7) != 0) {
            head = 0;
            hostile_put64(control + HOSTILE_HEAD, 0);
        }
        memset(control + HM_RING_CONTROL_LENGTH, 0, h->capacity[ring]);
        hostile_put64(control + HOSTILE_TAIL, (uint64_t)head);
        int32_t owner;
        memcpy(&owner, control + HOSTILE_CONSUMER_PID, sizeof owner);
        if (owner == 1 || owner == (int32_t)getpid() || owner < 0)
            hostile_put32(control + HOSTILE_CONSUMER_PID, 0);
        if (h->producers[ring] != NULL) {
            hm_ring_producer_close(h->producers[ring]);
            h->producers[ring] = NULL;
            hostile_put32(control + HOSTILE_PRODUCER_PID, 0);
            hm_ring_producer_open(h->region, ring, &h->producers[ring]);
        }
    }
}

/* One step: a repair, a well-formed message or an attack. */
static inline void hostile_step(hostile *h)
{
    const uint64_t phase = h->steps++ % HOSTILE_CYCLE;
    if (phase == 0)
        hostile_heal(h);
    const uint32_t ring = hostile_pick_ring(h);
    if (phase < HOSTILE_CALM) {
        hostile_legit(h, ring);
        return;
    }
    const uint32_t action = hostile_below(h, 100);
    if (action < 12)
        hostile_control(h, ring);
    else if (action < 40)
        hostile_record_header(h, ring);
    else if (action < 55)
        hostile_frame_record(h, ring);
    else if (action < 72)
        hostile_ipcio_record(h, ring);
    else if (action < 82)
        hostile_scribble(h, ring, 0);
    else if (action < 84)
        hostile_scribble(h, ring, 1);
    else
        hostile_legit(h, ring);
}

/*
 * Ring mode: opens the region at `path`, takes the producer side of every ring it can (well-formed traffic) and
 * attacks for `seconds`. 0, or 1 when the region cannot be opened.
 */
static inline int hostile_ring_peer(const char *path, uint32_t victim_rings, double seconds, uint64_t seed)
{
    hm_region *region = NULL;
    hm_error err = {{0}};
    if (hm_region_open_path(path, &err, &region) != 0) {
        fprintf(stderr, "hostile peer: %s\n", err.message);
        return 1;
    }
    hostile h;
    hostile_init(&h, region, victim_rings, seed);
    for (uint32_t i = 0; i < h.ring_count; i++)
        hm_ring_producer_open(region, i, &h.producers[i]);
    const int64_t end = hostile_now_ns() + (int64_t)(seconds * 1e9);
    while (hostile_now_ns() < end) {
        for (int i = 0; i < 64; i++)
            hostile_step(&h);
    }
    hostile_destroy(&h);
    hm_region_close(region);
    return 0;
}

/*
 * Channel mode: connects to `address` again and again and attacks each connection (the request ring the server
 * reads most, its reply ring and the region header too) for a few hundred milliseconds or until the server gives
 * the connection up, for `seconds` in all. Returns the number of connections made.
 */
static inline int hostile_channel_peer(const char *address, double seconds, uint64_t seed)
{
    const int64_t end = hostile_now_ns() + (int64_t)(seconds * 1e9);
    int connections = 0;
    uint64_t round = 0;
    while (hostile_now_ns() < end) {
        hm_channel *channel = NULL;
        hm_error err = {{0}};
        if (hm_channel_connect(address, INT64_C(500000000), &err, &channel) != 0) {
            usleep(2000);
            continue;
        }
        connections++;
        hostile h;
        hostile_init(&h, hm_channel_region(channel), 1u << hm_channel_send_ring(channel), seed + round++);
        h.channel = channel;
        const int64_t round_end = hostile_now_ns() + INT64_C(100000000) + (int64_t)hostile_below(&h, 200) * 1000000;
        while (hostile_now_ns() < round_end && hostile_now_ns() < end) {
            for (int i = 0; i < 32; i++)
                hostile_step(&h);
            /* The server answers some messages: read them (through our own, equally attacked, ring). */
            hm_channel_received reply;
            if (hm_channel_receive(channel, 0, &reply) == 0)
                hm_channel_release(channel, &reply);
            const int rc = hm_channel_wait_readable(channel, 0);
            if (rc == -ECONNRESET || rc == -EPIPE)
                break;
        }
        hostile_destroy(&h);
        hm_channel_close(channel);
    }
    return connections;
}

#endif /* HARMONIA_TESTS_HOSTILE_PEER_H */
