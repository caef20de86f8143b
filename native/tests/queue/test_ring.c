/* Ring boundaries and protocol in one process: specs, claims, commits, wrap, back-pressure, misuse. */
#include <harmonia/queue.h>

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "hm_test.h"
#include "queue_test_util.h"

typedef struct collected {
    int count;
    int32_t types[64];
    uint32_t lengths[64];
    uint8_t first_bytes[64];
} collected;

static void collect(void *context, int32_t type, const void *data, uint32_t length)
{
    collected *c = context;
    if (c->count < 64) {
        c->types[c->count] = type;
        c->lengths[c->count] = length;
        c->first_bytes[c->count] = length ? *(const uint8_t *)data : 0;
    }
    c->count++;
}

static hm_region *make_region(uint32_t capacity, uint32_t kind)
{
    hm_ring_spec spec = {.capacity = capacity, .kind = kind};
    hm_region *region = NULL;
    hm_error err = {{0}};
    int rc = hm_region_create("test-ring", &spec, 1, &err, &region);
    if (rc != 0)
        fprintf(stderr, "hm_region_create: %d %s\n", rc, err.message);
    return region;
}

static void bad_specs_are_refused_with_the_field_named(void)
{
    const uint32_t bad_capacities[] = {0, 1000, 512, 1536, UINT32_MAX, 0x7fffffffu, 1u << 31};
    for (size_t i = 0; i < sizeof bad_capacities / sizeof bad_capacities[0]; i++) {
        hm_ring_spec spec = {.capacity = bad_capacities[i], .kind = HM_RING_ONE_TO_ONE};
        hm_region *region = (hm_region *)0x1;
        hm_error err = {{0}};
        HM_CHECK_INT_EQ(hm_region_create("t", &spec, 1, &err, &region), -EINVAL);
        HM_CHECK(region == (hm_region *)0x1); /* ret_ untouched on failure */
        HM_CHECK(strstr(err.message, "rings[0].capacity=") != NULL);
        HM_CHECK_INT_EQ(hm_region_required_length(&spec, 1), 0);
    }
    hm_ring_spec kind0 = {.capacity = 4096, .kind = 0};
    hm_error err = {{0}};
    hm_region *region = NULL;
    HM_CHECK_INT_EQ(hm_region_create("t", &kind0, 1, &err, &region), -EINVAL);
    HM_CHECK(strstr(err.message, "rings[0].kind=0") != NULL);
    hm_ring_spec ok = {.capacity = 4096, .kind = 1};
    HM_CHECK_INT_EQ(hm_region_create("t", &ok, 0, &err, &region), -EINVAL);
    HM_CHECK(strstr(err.message, "ring_count=0") != NULL);
    hm_ring_spec nine[9];
    for (int i = 0; i < 9; i++)
        nine[i] = ok;
    HM_CHECK_INT_EQ(hm_region_create("t", nine, 9, &err, &region), -EINVAL);
    HM_CHECK(region == NULL);
}

static void layout_is_what_the_header_says(void)
{
    hm_ring_spec specs[2] = {{.capacity = 4096, .kind = HM_RING_ONE_TO_ONE},
                             {.capacity = 1024, .kind = HM_RING_MANY_TO_ONE}};
    hm_region *region = NULL;
    HM_CHECK_INT_EQ(hm_region_create("t", specs, 2, NULL, &region), 0);
    if (!region)
        return;
    HM_CHECK_INT_EQ(hm_region_ring_count(region), 2);
    HM_CHECK_INT_EQ(hm_region_ring_offset(region, 0), HM_REGION_HEADER_LENGTH);
    HM_CHECK_INT_EQ(hm_region_ring_offset(region, 1), HM_REGION_HEADER_LENGTH + HM_RING_CONTROL_LENGTH + 4096);
    HM_CHECK_INT_EQ(hm_region_ring_capacity(region, 1), 1024);
    HM_CHECK_INT_EQ(hm_region_ring_kind(region, 1), HM_RING_MANY_TO_ONE);
    HM_CHECK_INT_EQ(hm_region_ring_capacity(region, 2), 0);
    HM_CHECK_INT_EQ(hm_region_length(region), hm_region_required_length(specs, 2));
    HM_CHECK_INT_EQ(hm_region_length(region) % 4096, 0);
    uint32_t magic;
    memcpy(&magic, hm_region_base(region), 4);
    HM_CHECK_INT_EQ(magic, HM_REGION_MAGIC);
    hm_region_close(region);
    hm_region_close(NULL);
}

static void offer_and_read_in_order_across_the_wrap(uint32_t kind)
{
    hm_region *region = make_region(1024, kind);
    hm_ring_producer *producer = NULL;
    hm_ring_consumer *consumer = NULL;
    HM_CHECK_INT_EQ(hm_ring_producer_open(region, 0, &producer), 0);
    HM_CHECK_INT_EQ(hm_ring_consumer_open(region, 0, &consumer), 0);
    /* 100-byte messages take 112-byte records: the 10th no longer fits before the end and wraps. */
    uint8_t payload[100];
    uint8_t next_sent = 0, next_read = 0;
    for (int round = 0; round < 50; round++) {
        for (int i = 0; i < 5; i++) {
            memset(payload, next_sent, sizeof payload);
            HM_CHECK_INT_EQ(hm_ring_offer(producer, 3, payload, sizeof payload), 0);
            next_sent++;
        }
        collected c = {0};
        int total = 0, got;
        while ((got = hm_ring_read(consumer, collect, &c, 64)) > 0)
            total += got;
        HM_CHECK_INT_EQ(got, 0);
        HM_CHECK_INT_EQ(total, 5);
        for (int i = 0; i < 5 && i < c.count; i++) {
            HM_CHECK_INT_EQ(c.types[i], 3);
            HM_CHECK_INT_EQ(c.lengths[i], 100);
            HM_CHECK_INT_EQ(c.first_bytes[i], next_read);
            next_read++;
        }
    }
    hm_ring_producer_close(producer);
    hm_ring_consumer_close(consumer);
    hm_region_close(region);
}

static void one_to_one_wraps(void)
{
    offer_and_read_in_order_across_the_wrap(HM_RING_ONE_TO_ONE);
}

static void many_to_one_wraps(void)
{
    offer_and_read_in_order_across_the_wrap(HM_RING_MANY_TO_ONE);
}

static void full_ring_is_back_pressure_not_a_drop(void)
{
    hm_region *region = make_region(1024, HM_RING_MANY_TO_ONE);
    hm_ring_producer *producer = NULL;
    hm_ring_consumer *consumer = NULL;
    hm_ring_producer_open(region, 0, &producer);
    hm_ring_consumer_open(region, 0, &consumer);
    uint8_t payload[56] = {0}; /* 64-byte records: exactly 16 fit in 1024 bytes */
    int accepted = 0, rc;
    while ((rc = hm_ring_offer(producer, 1, payload, sizeof payload)) == 0)
        accepted++;
    HM_CHECK_INT_EQ(rc, -EAGAIN);
    HM_CHECK_INT_EQ(accepted, 16);
    hm_ring_claim claim;
    int64_t start = now_ns();
    HM_CHECK_INT_EQ(hm_ring_claim_wait(producer, 56, INT64_C(20000000), &claim), -ETIMEDOUT);
    HM_CHECK(now_ns() - start >= INT64_C(20000000));
    collected c = {0};
    HM_CHECK_INT_EQ(hm_ring_read(consumer, collect, &c, 4), 4);
    HM_CHECK_INT_EQ(hm_ring_offer(producer, 1, payload, sizeof payload), 0);
    int total = 0, got;
    while ((got = hm_ring_read(consumer, collect, &c, 64)) > 0)
        total += got;
    HM_CHECK_INT_EQ(total, 13);
    hm_ring_producer_close(producer);
    hm_ring_consumer_close(consumer);
    hm_region_close(region);
}

/* What an owner killed between publishing a wrap's padding and storing its tail leaves (simulated by moving the
 * shared tail back one record): the consumer is past the tail, and a successor must start where it is. */
static void a_successor_starts_at_the_consumer_when_the_tail_store_was_lost(void)
{
    hm_region *region = make_region(1024, HM_RING_ONE_TO_ONE);
    hm_ring_producer *producer = NULL;
    hm_ring_consumer *consumer = NULL;
    hm_ring_consumer_open(region, 0, &consumer);
    hm_ring_producer_open(region, 0, &producer);
    uint8_t payload[100] = {0};
    for (int i = 0; i < 3; i++)
        HM_CHECK_INT_EQ(hm_ring_offer(producer, 1, payload, sizeof payload), 0);
    collected c = {0};
    HM_CHECK_INT_EQ(hm_ring_read(consumer, collect, &c, 64), 3);
    hm_ring_producer_close(producer);
    uint8_t *tail = (uint8_t *)hm_region_base(region) + HM_REGION_HEADER_LENGTH; /* ring 0's control block */
    int64_t value;
    memcpy(&value, tail, sizeof value);
    value -= 112;
    memcpy(tail, &value, sizeof value);
    HM_CHECK_INT_EQ(hm_ring_producer_open(region, 0, &producer), 0);
    payload[0] = 42;
    HM_CHECK_INT_EQ(hm_ring_offer(producer, 2, payload, 1), 0);
    collected after = {0};
    HM_CHECK_INT_EQ(hm_ring_read(consumer, collect, &after, 64), 1);
    HM_CHECK_INT_EQ(after.types[0], 2);
    HM_CHECK_INT_EQ(after.first_bytes[0], 42);
    hm_ring_producer_close(producer);
    hm_ring_consumer_close(consumer);
    hm_region_close(region);
}

static void claims_are_checked(void)
{
    hm_region *region = make_region(1024, HM_RING_ONE_TO_ONE);
    hm_ring_producer *producer = NULL;
    hm_ring_consumer *consumer = NULL;
    hm_ring_producer_open(region, 0, &producer);
    hm_ring_consumer_open(region, 0, &consumer);
    hm_ring_claim claim;
    HM_CHECK_INT_EQ(hm_ring_max_message_length(1024), 120);
    HM_CHECK_INT_EQ(hm_ring_try_claim(producer, 121, &claim), -EMSGSIZE);
    HM_CHECK_INT_EQ(hm_ring_try_claim(producer, 120, &claim), 0);
    /* A claimed record is not readable until it is committed. */
    collected c = {0};
    HM_CHECK_INT_EQ(hm_ring_read(consumer, collect, &c, 8), 0);
    HM_CHECK_INT_EQ(hm_ring_commit(producer, &claim, 0), -EINVAL);
    HM_CHECK_INT_EQ(hm_ring_commit(producer, &claim, -5), -EINVAL);
    hm_ring_claim forged = claim;
    forged.index = 7;
    HM_CHECK_INT_EQ(hm_ring_commit(producer, &forged, 1), -EINVAL);
    forged.index = 1024;
    HM_CHECK_INT_EQ(hm_ring_commit(producer, &forged, 1), -EINVAL);
    HM_CHECK_INT_EQ(hm_ring_commit(producer, &claim, 9), 0);
    HM_CHECK_INT_EQ(hm_ring_commit(producer, &claim, 9), -EINVAL); /* committing twice */
    HM_CHECK_INT_EQ(hm_ring_read(consumer, collect, &c, 8), 1);
    HM_CHECK_INT_EQ(c.types[0], 9);
    HM_CHECK_INT_EQ(c.lengths[0], 120);
    /* An aborted claim is skipped; a zero-length message is a message. */
    HM_CHECK_INT_EQ(hm_ring_try_claim(producer, 40, &claim), 0);
    HM_CHECK_INT_EQ(hm_ring_abort(producer, &claim), 0);
    HM_CHECK_INT_EQ(hm_ring_abort(producer, &claim), -EINVAL);
    HM_CHECK_INT_EQ(hm_ring_offer(producer, 2, NULL, 0), 0);
    c.count = 0;
    HM_CHECK_INT_EQ(hm_ring_read(consumer, collect, &c, 8), 1);
    HM_CHECK_INT_EQ(c.types[0], 2);
    HM_CHECK_INT_EQ(c.lengths[0], 0);
    HM_CHECK_INT_EQ(hm_ring_offer(producer, 0, "x", 1), -EINVAL);
    hm_ring_producer_close(producer);
    hm_ring_consumer_close(consumer);
    hm_region_close(region);
}

static void batches_respect_the_limit(void)
{
    hm_region *region = make_region(4096, HM_RING_ONE_TO_ONE);
    hm_ring_producer *producer = NULL;
    hm_ring_consumer *consumer = NULL;
    hm_ring_producer_open(region, 0, &producer);
    hm_ring_consumer_open(region, 0, &consumer);
    for (int i = 0; i < 10; i++)
        hm_ring_offer(producer, 1, &i, sizeof i);
    collected c = {0};
    HM_CHECK_INT_EQ(hm_ring_read(consumer, collect, &c, 3), 3);
    HM_CHECK_INT_EQ(hm_ring_read(consumer, collect, &c, 100), 7);
    HM_CHECK_INT_EQ(hm_ring_read(consumer, collect, &c, 100), 0);
    HM_CHECK_INT_EQ(hm_ring_wait(consumer, 1000000), -ETIMEDOUT);
    hm_ring_producer_close(producer);
    hm_ring_consumer_close(consumer);
    hm_region_close(region);
}

static void one_consumer_and_one_exclusive_producer(void)
{
    hm_region *region = make_region(1024, HM_RING_ONE_TO_ONE);
    hm_ring_consumer *consumer = NULL;
    HM_CHECK_INT_EQ(hm_ring_consumer_open(region, 0, &consumer), 0);
    int to_parent[2];
    HM_CHECK(pipe(to_parent) == 0);
    pid_t child = fork();
    if (child == 0) {
        hm_ring_consumer *second = NULL;
        hm_ring_producer *p1 = NULL, *p2 = NULL;
        int results[3] = {hm_ring_consumer_open(region, 0, &second), hm_ring_producer_open(region, 0, &p1),
                          hm_ring_producer_open(region, 0, &p2)};
        (void)!write(to_parent[1], results, sizeof results);
        _exit(0);
    }
    int results[3] = {0};
    HM_CHECK(read(to_parent[0], results, sizeof results) == sizeof results);
    HM_CHECK_INT_EQ(results[0], -EBUSY); /* the consumer slot belongs to a live process */
    HM_CHECK_INT_EQ(results[1], 0);
    HM_CHECK_INT_EQ(results[2], 0); /* the same process may reopen its own producer */
    HM_CHECK_INT_EQ(wait_child(child), 0);
    /* The child exited without closing: its producer slot is free again because it is dead. */
    hm_ring_producer *producer = NULL;
    HM_CHECK_INT_EQ(hm_ring_producer_open(region, 0, &producer), 0);
    hm_ring_producer_close(producer);
    hm_ring_consumer_close(consumer);
    close(to_parent[0]);
    close(to_parent[1]);
    hm_region_close(region);
}

int main(void)
{
    HM_RUN(bad_specs_are_refused_with_the_field_named);
    HM_RUN(layout_is_what_the_header_says);
    HM_RUN(one_to_one_wraps);
    HM_RUN(many_to_one_wraps);
    HM_RUN(full_ring_is_back_pressure_not_a_drop);
    HM_RUN(claims_are_checked);
    HM_RUN(a_successor_starts_at_the_consumer_when_the_tail_store_was_lost);
    HM_RUN(batches_respect_the_limit);
    HM_RUN(one_consumer_and_one_exclusive_producer);
    return HM_TEST_SUMMARY();
}
