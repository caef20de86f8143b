/*
 * The trust model of docs/architecture.md section 3.2, one rule per case: bytes another process writes into a
 * ring or a region header are bounded before use, read once, and answered with -EPROTO and a sentence naming the
 * field, its value and the limit; nothing outside the ring is read or written and nothing loops for ever. The
 * peer's writes are made here by hand, at exact values (test_hostile_peer makes them at random, from a second
 * process, while the consumer runs).
 */
#include <harmonia/queue.h>

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "hm_test.h"

#define CAPACITY 1024u
#define TAIL 0u
#define HEAD 128u
/* A pid no process has (above the kernel's pid_max limit). */
#define DEAD_PID 0x7ffffff0

typedef struct seen {
    int count;
    uint32_t lengths[16];
} seen;

static void count_record(void *context, int32_t type, const void *data, uint32_t length)
{
    (void)type;
    (void)data;
    seen *s = context;
    if (s->count < 16)
        s->lengths[s->count] = length;
    s->count++;
}

static hm_region *make_region(uint32_t kind)
{
    hm_ring_spec spec = {.capacity = CAPACITY, .kind = kind};
    hm_region *region = NULL;
    HM_CHECK_INT_EQ(hm_region_create("trust", &spec, 1, NULL, &region), 0);
    return region;
}

static uint8_t *control_of(hm_region *region)
{
    return (uint8_t *)hm_region_base(region) + hm_region_ring_offset(region, 0);
}

static uint8_t *data_of(hm_region *region)
{
    return control_of(region) + HM_RING_CONTROL_LENGTH;
}

/* What the peer writes: a record header {length, type} at a byte index of the ring. */
static void put_header(hm_region *region, uint32_t index, int32_t length, int32_t type)
{
    memcpy(data_of(region) + index, &length, 4);
    memcpy(data_of(region) + index + 4, &type, 4);
}

static void put_position(hm_region *region, uint32_t field, int64_t position)
{
    memcpy(control_of(region) + field, &position, sizeof position);
}

/* Rewriting the region header after it was validated changes nothing this process uses. */
static void the_header_is_not_read_again_after_validation(void)
{
    hm_region *region = make_region(HM_RING_MANY_TO_ONE);
    hm_region *opened = NULL;
    hm_error err = {{0}};
    HM_CHECK_INT_EQ(hm_region_open(hm_region_fd(region), &err, &opened), 0);
    uint8_t *header = hm_region_base(opened);
    memset(header + 20, 0xff, 4);  /* ring_count */
    memset(header + 32, 0x7f, 16); /* rings[0]: offset, capacity, kind */
    HM_CHECK_INT_EQ(hm_region_ring_count(opened), 1);
    HM_CHECK_INT_EQ(hm_region_ring_offset(opened, 0), HM_REGION_HEADER_LENGTH);
    HM_CHECK_INT_EQ(hm_region_ring_capacity(opened, 0), CAPACITY);
    HM_CHECK_INT_EQ(hm_region_ring_kind(opened, 0), HM_RING_MANY_TO_ONE);
    hm_ring_consumer *consumer = NULL;
    HM_CHECK_INT_EQ(hm_ring_consumer_open(opened, 0, &consumer), 0);
    HM_CHECK_INT_EQ(hm_ring_wait(consumer, 0), -ETIMEDOUT);
    hm_ring_consumer_close(consumer);
    hm_region_close(opened);
    hm_region_close(region);
}

/* A committed record must hold its header and end before the end of the ring; its type must be a message or
 * padding. The records before a bad one are delivered; from the bad one on, every read is -EPROTO. */
static void committed_records_are_bounded(uint32_t kind)
{
    static const struct {
        int32_t length;
        int32_t type;
        const char *says;
    } bad[] = {
        {4, 1, "record at position 16: length=4 must be 8..1008"},
        {1009, 1, "record at position 16: length=1009 must be 8..1008"},
        {INT32_MAX, 1, "length=2147483647 must be 8..1008"},
        {16, 0, "record at position 16: type=0 must be >= 1 (a message) or -1 (padding)"},
        {16, -2, "type=-2 must be >= 1"},
        {16, INT32_MIN, "type=-2147483648 must be >= 1"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        hm_region *region = make_region(kind);
        put_header(region, 0, 16, 1);
        put_header(region, 16, bad[i].length, bad[i].type);
        put_position(region, TAIL, 64);
        hm_ring_consumer *consumer = NULL;
        HM_CHECK_INT_EQ(hm_ring_consumer_open(region, 0, &consumer), 0);
        seen s = {0};
        HM_CHECK_INT_EQ(hm_ring_read(consumer, count_record, &s, 8), 1); /* the good record first */
        HM_CHECK(s.count == 1 && s.lengths[0] == 8);
        HM_CHECK_INT_EQ(hm_ring_read(consumer, count_record, &s, 8), -EPROTO);
        HM_CHECK_STR_CONTAINS(hm_ring_consumer_last_error(consumer), bad[i].says);
        hm_ring_record record;
        HM_CHECK_INT_EQ(hm_ring_peek(consumer, &record), -EPROTO);
        HM_CHECK_INT_EQ(s.count, 1);
        hm_ring_consumer_close(consumer);
        hm_region_close(region);
    }
}

static void committed_records_are_bounded_many_to_one(void)
{
    committed_records_are_bounded(HM_RING_MANY_TO_ONE);
}

static void committed_records_are_bounded_one_to_one(void)
{
    committed_records_are_bounded(HM_RING_ONE_TO_ONE);
}

/* hm_ring_release zeroes and skips the length hm_ring_peek validated, not what the header says by then. */
static void release_uses_the_length_peek_validated(void)
{
    hm_region *region = make_region(HM_RING_MANY_TO_ONE);
    hm_ring_producer *producer = NULL;
    hm_ring_consumer *consumer = NULL;
    HM_CHECK_INT_EQ(hm_ring_producer_open(region, 0, &producer), 0);
    HM_CHECK_INT_EQ(hm_ring_consumer_open(region, 0, &consumer), 0);
    HM_CHECK_INT_EQ(hm_ring_offer(producer, 1, "first!!!", 8), 0);
    HM_CHECK_INT_EQ(hm_ring_offer(producer, 2, "second!!", 8), 0);
    hm_ring_record record;
    HM_CHECK_INT_EQ(hm_ring_peek(consumer, &record), 1);
    put_header(region, 0, (int32_t)CAPACITY, 1); /* the peer: "the whole ring" */
    HM_CHECK_INT_EQ(hm_ring_release(consumer), 0);
    HM_CHECK_INT_EQ(hm_ring_peek(consumer, &record), 1);
    HM_CHECK(record.type == 2 && record.length == 8 && memcmp(record.data, "second!!", 8) == 0);
    HM_CHECK_INT_EQ(hm_ring_release(consumer), 0);
    hm_ring_consumer_close(consumer);
    hm_ring_producer_close(producer);
    hm_region_close(region);
}

/* A head that is no position (misaligned, negative, beyond 2^62) is refused when the consumer opens, which frees
 * the consumer slot again. */
static void consumer_open_refuses_a_head_that_is_no_position(void)
{
    hm_region *region = make_region(HM_RING_MANY_TO_ONE);
    const int64_t heads[] = {3, -8, INT64_MIN, INT64_MAX, INT64_C(1) << 62};
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
        put_position(region, HEAD, heads[i]);
        hm_ring_consumer *consumer = NULL;
        HM_CHECK_INT_EQ(hm_ring_consumer_open(region, 0, &consumer), -EPROTO);
    }
    put_position(region, HEAD, 64);
    hm_ring_consumer *consumer = NULL;
    HM_CHECK_INT_EQ(hm_ring_consumer_open(region, 0, &consumer), 0);
    hm_ring_consumer_close(consumer);
    hm_region_close(region);
}

/* A many-to-one claim loads the shared tail and refuses one that is no position; nothing is written. */
static void claims_refuse_a_tail_that_is_no_position(void)
{
    hm_region *region = make_region(HM_RING_MANY_TO_ONE);
    hm_ring_producer *producer = NULL;
    HM_CHECK_INT_EQ(hm_ring_producer_open(region, 0, &producer), 0);
    put_position(region, TAIL, 5);
    hm_ring_claim claim;
    HM_CHECK_INT_EQ(hm_ring_try_claim(producer, 8, &claim), -EPROTO);
    HM_CHECK_STR_CONTAINS(hm_ring_producer_last_error(producer), "ring 0: tail=5 must be an 8-aligned position");
    put_position(region, TAIL, INT64_MAX - 7);
    HM_CHECK_INT_EQ(hm_ring_offer(producer, 1, "x", 1), -EPROTO);
    static const uint8_t zeros[CAPACITY];
    HM_CHECK(memcmp(data_of(region), zeros, CAPACITY) == 0);
    hm_ring_producer_close(producer);

    /* A one-to-one producer checks both positions once, when it opens. */
    hm_region *one = make_region(HM_RING_ONE_TO_ONE);
    put_position(one, TAIL, INT64_MIN);
    HM_CHECK_INT_EQ(hm_ring_producer_open(one, 0, &producer), -EPROTO);
    put_position(one, TAIL, 0);
    put_position(one, HEAD, 12);
    HM_CHECK_INT_EQ(hm_ring_producer_open(one, 0, &producer), -EPROTO);
    put_position(one, HEAD, 0);
    HM_CHECK_INT_EQ(hm_ring_producer_open(one, 0, &producer), 0);
    hm_ring_producer_close(producer);
    hm_region_close(one);
    hm_region_close(region);
}

/* Free space with a head anywhere: no overflow (UBSan watches), a head far behind is a full ring, one ahead of the
 * tail an empty one. */
static void free_space_takes_any_head(void)
{
    hm_region *region = make_region(HM_RING_MANY_TO_ONE);
    hm_ring_producer *producer = NULL;
    HM_CHECK_INT_EQ(hm_ring_producer_open(region, 0, &producer), 0);
    put_position(region, TAIL, 4096);
    put_position(region, HEAD, 4096 - 5 * (int64_t)CAPACITY);
    HM_CHECK_INT_EQ(hm_ring_offer(producer, 1, "x", 1), -EAGAIN);
    put_position(region, HEAD, INT64_MIN);
    int rc = hm_ring_offer(producer, 1, "x", 1);
    HM_CHECK(rc == 0 || rc == -EAGAIN);
    put_position(region, HEAD, INT64_MAX);
    HM_CHECK_INT_EQ(hm_ring_offer(producer, 1, "x", 1), 0);
    hm_ring_producer_close(producer);
    hm_region_close(region);
}

/* Reads an empty ring until the stuck-head check (every 1024 empty reads, a dead claimer after ~1 ms) answers. */
static int read_until_the_stuck_check_answers(hm_ring_consumer *consumer)
{
    seen s = {0};
    int rc = 0;
    for (int poll = 0; poll < 200000 && rc == 0; poll++) {
        rc = hm_ring_read(consumer, count_record, &s, 1);
        if (rc == 0 && poll % 1024 == 0)
            usleep(200);
    }
    return rc;
}

/* A dead claimer's claim is padded only when its length is one a claim can have. */
static void a_dead_claim_must_have_a_claim_length(void)
{
    const int32_t lengths[] = {INT32_MIN, -4, -(int32_t)CAPACITY - 8};
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        hm_region *region = make_region(HM_RING_MANY_TO_ONE);
        put_header(region, 0, lengths[i], DEAD_PID);
        put_position(region, TAIL, 64);
        hm_ring_consumer *consumer = NULL;
        HM_CHECK_INT_EQ(hm_ring_consumer_open(region, 0, &consumer), 0);
        HM_CHECK_INT_EQ(read_until_the_stuck_check_answers(consumer), -EPROTO);
        HM_CHECK_STR_CONTAINS(hm_ring_consumer_last_error(consumer), "claimed record at position 0");
        hm_ring_consumer_close(consumer);
        hm_region_close(region);
    }
    /* A well-formed dead claim is still skipped. */
    hm_region *region = make_region(HM_RING_MANY_TO_ONE);
    put_header(region, 0, -16, DEAD_PID);
    put_position(region, TAIL, 16);
    hm_ring_consumer *consumer = NULL;
    HM_CHECK_INT_EQ(hm_ring_consumer_open(region, 0, &consumer), 0);
    HM_CHECK_INT_EQ(read_until_the_stuck_check_answers(consumer), -EOWNERDEAD);
    hm_ring_consumer_close(consumer);
    hm_region_close(region);
}

/* A ring made of nothing but padding (one-to-one: the consumer does not zero it) does not keep peek looping. */
static void peek_skips_at_most_a_ring_of_padding(void)
{
    hm_region *region = make_region(HM_RING_ONE_TO_ONE);
    for (uint32_t index = 0; index < CAPACITY; index += 8)
        put_header(region, index, 8, HM_RING_PADDING_TYPE);
    put_position(region, TAIL, 1 << 20);
    hm_ring_consumer *consumer = NULL;
    HM_CHECK_INT_EQ(hm_ring_consumer_open(region, 0, &consumer), 0);
    hm_ring_record record;
    HM_CHECK_INT_EQ(hm_ring_peek(consumer, &record), 0);
    HM_CHECK_INT_EQ(hm_ring_release(consumer), -EINVAL); /* nothing peeked */
    hm_ring_consumer_close(consumer);
    hm_region_close(region);
}

int main(void)
{
    HM_RUN(the_header_is_not_read_again_after_validation);
    HM_RUN(committed_records_are_bounded_many_to_one);
    HM_RUN(committed_records_are_bounded_one_to_one);
    HM_RUN(release_uses_the_length_peek_validated);
    HM_RUN(consumer_open_refuses_a_head_that_is_no_position);
    HM_RUN(claims_refuse_a_tail_that_is_no_position);
    HM_RUN(free_space_takes_any_head);
    HM_RUN(a_dead_claim_must_have_a_claim_length);
    HM_RUN(peek_skips_at_most_a_ring_of_padding);
    return HM_TEST_SUMMARY();
}
