/*
 * Rings between real processes (fork): sequence-numbered traffic one-to-one and many-to-one, a producer killed
 * with SIGKILL in the middle of a claim, park and wake across processes, closure and blocking back-pressure.
 */
#include <harmonia/queue.h>

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hm_test.h"
#include "queue_test_util.h"

static hm_region *make_region(uint32_t capacity, uint32_t kind)
{
    hm_ring_spec spec = {.capacity = capacity, .kind = kind};
    hm_region *region = NULL;
    hm_region_create("process-test", &spec, 1, NULL, &region);
    return region;
}

/* Forks a producer that sends `count` messages as producer `id`; exits 0 on success. */
static pid_t fork_producer(hm_region *region, uint32_t id, uint64_t count, uint32_t length)
{
    pid_t pid = fork();
    if (pid == 0) {
        hm_ring_producer *producer = NULL;
        int rc = hm_ring_producer_open(region, 0, &producer);
        if (rc == 0)
            rc = seq_produce(producer, id, count, length);
        hm_ring_producer_close(producer);
        _exit(rc == 0 ? 0 : 1);
    }
    return pid;
}

static void one_to_one_delivers_every_message_in_order(void)
{
    const uint64_t count = 200000;
    hm_region *region = make_region(1 << 16, HM_RING_ONE_TO_ONE);
    hm_ring_consumer *consumer = NULL;
    HM_CHECK_INT_EQ(hm_ring_consumer_open(region, 0, &consumer), 0);
    pid_t child = fork_producer(region, 0, count, 64);
    seq_checker checker = {.expected_length = 64};
    seq_consume(consumer, &checker, count, INT64_C(10000000000));
    HM_CHECK_INT_EQ(checker.received, count);
    HM_CHECK_INT_EQ(checker.errors, 0);
    HM_CHECK_INT_EQ(wait_child(child), 0);
    hm_ring_consumer_close(consumer);
    hm_region_close(region);
}

static void many_to_one_keeps_each_producers_order(void)
{
    const uint64_t each = 100000;
    hm_region *region = make_region(1 << 16, HM_RING_MANY_TO_ONE);
    hm_ring_consumer *consumer = NULL;
    HM_CHECK_INT_EQ(hm_ring_consumer_open(region, 0, &consumer), 0);
    pid_t children[3];
    for (uint32_t i = 0; i < 3; i++)
        children[i] = fork_producer(region, i, each, 16 + 8 * i);
    seq_checker checker = {0};
    seq_consume(consumer, &checker, 3 * each, INT64_C(10000000000));
    HM_CHECK_INT_EQ(checker.received, 3 * each);
    HM_CHECK_INT_EQ(checker.errors, 0);
    for (int i = 0; i < 3; i++) {
        HM_CHECK_INT_EQ(checker.next[i], each);
        HM_CHECK_INT_EQ(wait_child(children[i]), 0);
    }
    hm_ring_consumer_close(consumer);
    hm_region_close(region);
}

/* A producer claims, tells the parent, and is killed before it commits; `reap` says whether the parent reaps it
 * first (otherwise it stays a zombie, which must count as dead too). */
static void killed_mid_claim(uint32_t kind, int reap)
{
    hm_region *region = make_region(4096, kind);
    hm_ring_consumer *consumer = NULL;
    HM_CHECK_INT_EQ(hm_ring_consumer_open(region, 0, &consumer), 0);
    int ready[2];
    HM_CHECK(pipe(ready) == 0);
    pid_t victim = fork();
    if (victim == 0) {
        hm_ring_producer *producer = NULL;
        hm_ring_claim claim;
        if (hm_ring_producer_open(region, 0, &producer) != 0 || hm_ring_try_claim(producer, 100, &claim) != 0)
            _exit(1);
        memset(claim.data, 0xab, 50); /* half-written */
        (void)!write(ready[1], "c", 1);
        for (;;)
            pause();
    }
    char byte;
    HM_CHECK(read(ready[0], &byte, 1) == 1);
    HM_CHECK_INT_EQ(kill(victim, SIGKILL), 0);
    if (reap)
        HM_CHECK_INT_EQ(wait_child(victim), 128 + SIGKILL);
    /* A survivor sends behind the dead claim; the consumer must get past it, report it once, and not hang. */
    pid_t survivor = fork_producer(region, 1, 1000, 24);
    seq_checker checker = {0};
    int dead_reports = 0;
    const int64_t start = now_ns();
    while (checker.received < 1000 && now_ns() - start < INT64_C(5000000000)) {
        int got = hm_ring_read(consumer, seq_check, &checker, 64);
        if (got == -EOWNERDEAD)
            dead_reports++;
        else if (got == 0)
            hm_ring_wait(consumer, INT64_C(50000000));
    }
    HM_CHECK_INT_EQ(checker.received, 1000);
    HM_CHECK_INT_EQ(checker.errors, 0);
    HM_CHECK_INT_EQ(dead_reports, 1);
    HM_CHECK_INT_EQ(hm_ring_consumer_dead_claims(consumer), 1);
    HM_CHECK(now_ns() - start < INT64_C(2000000000));
    HM_CHECK_INT_EQ(wait_child(survivor), 0);
    if (!reap)
        HM_CHECK_INT_EQ(wait_child(victim), 128 + SIGKILL);
    close(ready[0]);
    close(ready[1]);
    hm_ring_consumer_close(consumer);
    hm_region_close(region);
}

static void many_to_one_producer_killed_mid_claim(void)
{
    killed_mid_claim(HM_RING_MANY_TO_ONE, 0);
}

static void one_to_one_producer_killed_mid_claim_is_replaced(void)
{
    killed_mid_claim(HM_RING_ONE_TO_ONE, 1);
}

static void a_claim_gap_left_by_a_dead_producer_is_skipped_after_the_stall_timeout(void)
{
    hm_region *region = make_region(4096, HM_RING_MANY_TO_ONE);
    hm_ring_consumer *consumer = NULL;
    hm_ring_producer *producer = NULL;
    hm_ring_consumer_open(region, 0, &consumer);
    hm_ring_producer_open(region, 0, &producer);
    hm_ring_consumer_set_stall_timeout(consumer, INT64_C(30000000));
    /* What a producer killed between its compare-and-swap and its header store leaves: a tail 64 bytes ahead. */
    int64_t *tail = (int64_t *)(void *)((uint8_t *)hm_region_base(region) + hm_region_ring_offset(region, 0));
    *tail += 64;
    uint32_t value = 42;
    HM_CHECK_INT_EQ(hm_ring_offer(producer, 7, &value, sizeof value), 0);
    seq_checker ignored = {0};
    int got = 0;
    const int64_t start = now_ns();
    while ((got = hm_ring_read(consumer, seq_check, &ignored, 8)) == 0 && now_ns() - start < INT64_C(2000000000))
        hm_ring_wait(consumer, INT64_C(5000000));
    HM_CHECK_INT_EQ(got, -EOWNERDEAD);
    HM_CHECK(now_ns() - start >= INT64_C(30000000));
    /* The record behind the gap is intact (4 bytes: the checker counts it as an error of length, by design). */
    HM_CHECK_INT_EQ(hm_ring_read(consumer, seq_check, &ignored, 8), 1);
    HM_CHECK_INT_EQ(ignored.errors, 1);
    hm_ring_producer_close(producer);
    hm_ring_consumer_close(consumer);
    hm_region_close(region);
}

static void a_parked_consumer_is_woken_by_another_process(void)
{
    hm_region *region = make_region(4096, HM_RING_ONE_TO_ONE);
    hm_ring_consumer *consumer = NULL;
    hm_ring_consumer_open(region, 0, &consumer);
    pid_t child = fork();
    if (child == 0) {
        usleep(100000); /* long enough that the consumer has parked on the futex */
        hm_ring_producer *producer = NULL;
        uint64_t value = 1;
        int rc = hm_ring_producer_open(region, 0, &producer);
        rc = rc ? rc : hm_ring_offer(producer, 7, &value, sizeof value);
        _exit(rc == 0 ? 0 : 1);
    }
    const int64_t start = now_ns();
    HM_CHECK_INT_EQ(hm_ring_wait(consumer, INT64_C(5000000000)), 0);
    const int64_t waited = now_ns() - start;
    HM_CHECK(waited >= INT64_C(50000000) && waited < INT64_C(2000000000));
    HM_CHECK_INT_EQ(wait_child(child), 0);
    hm_ring_consumer_close(consumer);
    hm_region_close(region);
}

static void closing_a_region_wakes_every_waiter_with_epipe(void)
{
    hm_region *region = make_region(1024, HM_RING_MANY_TO_ONE);
    hm_ring_consumer *consumer = NULL;
    hm_ring_consumer_open(region, 0, &consumer);
    pid_t child = fork();
    if (child == 0) {
        usleep(50000);
        hm_region_mark_closed(region);
        _exit(0);
    }
    HM_CHECK_INT_EQ(hm_ring_wait(consumer, INT64_C(5000000000)), -EPIPE);
    HM_CHECK(hm_region_is_closed(region));
    HM_CHECK_INT_EQ(wait_child(child), 0);
    hm_ring_consumer_close(consumer);
    hm_region_close(region);
}

static void a_blocked_producer_proceeds_when_another_process_drains(void)
{
    hm_region *region = make_region(1024, HM_RING_ONE_TO_ONE);
    hm_ring_producer *producer = NULL;
    hm_ring_producer_open(region, 0, &producer);
    uint8_t payload[56] = {0};
    int offered = 0;
    while (hm_ring_offer(producer, 7, payload, sizeof payload) == 0)
        offered++;
    /* 64-byte records: 16 fill the 1 KiB ring, less the one-to-one reserve for the next header word. */
    HM_CHECK_INT_EQ(offered, 15);
    pid_t child = fork();
    if (child == 0) {
        usleep(100000);
        hm_ring_consumer *consumer = NULL;
        uint64_t counted = 0;
        int rc = hm_ring_consumer_open(region, 0, &consumer);
        int got = rc ? rc : hm_ring_read(consumer, count_only, &counted, 100);
        _exit(got == offered ? 0 : 1);
    }
    hm_ring_claim claim;
    const int64_t start = now_ns();
    HM_CHECK_INT_EQ(hm_ring_claim_wait(producer, 56, INT64_C(5000000000), &claim), 0);
    HM_CHECK(now_ns() - start >= INT64_C(50000000));
    HM_CHECK_INT_EQ(hm_ring_commit(producer, &claim, 7), 0);
    HM_CHECK_INT_EQ(wait_child(child), 0);
    hm_ring_producer_close(producer);
    hm_region_close(region);
}

int main(void)
{
    HM_RUN(one_to_one_delivers_every_message_in_order);
    HM_RUN(many_to_one_keeps_each_producers_order);
    HM_RUN(many_to_one_producer_killed_mid_claim);
    HM_RUN(one_to_one_producer_killed_mid_claim_is_replaced);
    HM_RUN(a_claim_gap_left_by_a_dead_producer_is_skipped_after_the_stall_timeout);
    HM_RUN(a_parked_consumer_is_woken_by_another_process);
    HM_RUN(closing_a_region_wakes_every_waiter_with_epipe);
    HM_RUN(a_blocked_producer_proceeds_when_another_process_drains);
    return HM_TEST_SUMMARY();
}
