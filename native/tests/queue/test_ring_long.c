/*
 * The long run (label "long", built only with -DHARMONIA_LONG_TESTS=ON): 100 million messages one-to-one between
 * two processes, then 100 million many-to-one from 3 producer processes, each message carrying its producer's
 * sequence number; zero lost, duplicated or reordered. An optional argument overrides the count.
 */
#include <harmonia/queue.h>

#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "hm_test.h"
#include "queue_test_util.h"

static uint64_t total_messages = 100000000;

static void run(uint32_t kind, uint32_t producers)
{
    hm_ring_spec spec = {.capacity = 1 << 20, .kind = kind};
    hm_region *region = NULL;
    HM_CHECK_INT_EQ(hm_region_create("long-run", &spec, 1, NULL, &region), 0);
    hm_ring_consumer *consumer = NULL;
    HM_CHECK_INT_EQ(hm_ring_consumer_open(region, 0, &consumer), 0);
    uint64_t each = total_messages / producers;
    pid_t children[SEQ_MAX_PRODUCERS];
    int64_t start = now_ns();
    for (uint32_t i = 0; i < producers; i++) {
        uint64_t count = i + 1 == producers ? total_messages - each * (producers - 1) : each;
        children[i] = fork();
        if (children[i] == 0) {
            hm_ring_producer *producer = NULL;
            int rc = hm_ring_producer_open(region, 0, &producer);
            rc = rc ? rc : seq_produce(producer, i, count, 32);
            _exit(rc == 0 ? 0 : 1);
        }
    }
    seq_checker checker = {.expected_length = 32};
    seq_consume(consumer, &checker, total_messages, INT64_C(30000000000));
    int64_t elapsed = now_ns() - start;
    printf("%s, %" PRIu32 " producer process(es): %" PRIu64 " received, %" PRIu64 " errors, %.2f s, %.1f M msgs/s\n",
           kind == HM_RING_ONE_TO_ONE ? "one-to-one" : "many-to-one", producers, checker.received, checker.errors,
           (double)elapsed / 1e9, (double)checker.received / ((double)elapsed / 1e3));
    HM_CHECK_INT_EQ(checker.received, total_messages);
    HM_CHECK_INT_EQ(checker.errors, 0);
    for (uint32_t i = 0; i < producers; i++) {
        uint64_t count = i + 1 == producers ? total_messages - each * (producers - 1) : each;
        HM_CHECK_INT_EQ(checker.next[i], count);
        HM_CHECK_INT_EQ(wait_child(children[i]), 0);
    }
    hm_ring_consumer_close(consumer);
    hm_region_close(region);
}

static void one_to_one_100_million(void)
{
    run(HM_RING_ONE_TO_ONE, 1);
}

static void many_to_one_100_million_from_3_processes(void)
{
    run(HM_RING_MANY_TO_ONE, 3);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        total_messages = strtoull(argv[1], NULL, 10);
    HM_RUN(one_to_one_100_million);
    HM_RUN(many_to_one_100_million_from_3_processes);
    return HM_TEST_SUMMARY();
}
