/*
 * The rings under real thread concurrency in one process, so ThreadSanitizer (the tsan preset) can see every
 * access: a many-to-one ring with 3 producer threads and one consumer thread, per-producer sequences strictly in
 * order; a one-to-one ring streaming across many wraps while its consumer reads (the producer zeroes the headers
 * the consumer steps onto, including index 0 after a wrap's padding).
 */
#include <harmonia/queue.h>

#include <pthread.h>
#include <stdint.h>

#include "hm_test.h"
#include "queue_test_util.h"

#define PER_PRODUCER 50000

typedef struct producer_arg {
    hm_ring_producer *producer;
    uint32_t id;
    int rc;
} producer_arg;

static void *produce(void *arg)
{
    producer_arg *p = arg;
    p->rc = seq_produce(p->producer, p->id, PER_PRODUCER, 16 + 8 * p->id);
    return NULL;
}

static void three_producer_threads_one_consumer(void)
{
    hm_ring_spec spec = {.capacity = 4096, .kind = HM_RING_MANY_TO_ONE};
    hm_region *region = NULL;
    HM_CHECK_INT_EQ(hm_region_create("threads", &spec, 1, NULL, &region), 0);
    hm_ring_consumer *consumer = NULL;
    hm_ring_producer *producer = NULL; /* one many-to-one producer shared by the threads */
    HM_CHECK_INT_EQ(hm_ring_consumer_open(region, 0, &consumer), 0);
    HM_CHECK_INT_EQ(hm_ring_producer_open(region, 0, &producer), 0);
    pthread_t threads[3];
    producer_arg args[3];
    for (uint32_t i = 0; i < 3; i++) {
        args[i] = (producer_arg){.producer = producer, .id = i};
        pthread_create(&threads[i], NULL, produce, &args[i]);
    }
    seq_checker checker = {0};
    seq_consume(consumer, &checker, 3 * PER_PRODUCER, INT64_C(20000000000));
    for (int i = 0; i < 3; i++) {
        pthread_join(threads[i], NULL);
        HM_CHECK_INT_EQ(args[i].rc, 0);
        HM_CHECK_INT_EQ(checker.next[i], PER_PRODUCER);
    }
    HM_CHECK_INT_EQ(checker.received, 3 * PER_PRODUCER);
    HM_CHECK_INT_EQ(checker.errors, 0);
    hm_ring_producer_close(producer);
    hm_ring_consumer_close(consumer);
    hm_region_close(region);
}

static void *produce_one_to_one(void *arg)
{
    producer_arg *p = arg;
    p->rc = seq_produce(p->producer, 0, 4 * PER_PRODUCER, 40); /* 48-byte records: the wrap needs padding */
    return NULL;
}

static void one_to_one_stream_across_wraps(void)
{
    hm_ring_spec spec = {.capacity = 1024, .kind = HM_RING_ONE_TO_ONE};
    hm_region *region = NULL;
    HM_CHECK_INT_EQ(hm_region_create("stream", &spec, 1, NULL, &region), 0);
    hm_ring_consumer *consumer = NULL;
    hm_ring_producer *producer = NULL;
    HM_CHECK_INT_EQ(hm_ring_consumer_open(region, 0, &consumer), 0);
    HM_CHECK_INT_EQ(hm_ring_producer_open(region, 0, &producer), 0);
    pthread_t thread;
    producer_arg arg = {.producer = producer, .id = 0};
    pthread_create(&thread, NULL, produce_one_to_one, &arg);
    seq_checker checker = {0};
    seq_consume(consumer, &checker, 4 * PER_PRODUCER, INT64_C(20000000000));
    pthread_join(thread, NULL);
    HM_CHECK_INT_EQ(arg.rc, 0);
    HM_CHECK_INT_EQ(checker.received, 4 * PER_PRODUCER);
    HM_CHECK_INT_EQ(checker.errors, 0);
    hm_ring_producer_close(producer);
    hm_ring_consumer_close(consumer);
    hm_region_close(region);
}

int main(void)
{
    HM_RUN(three_producer_threads_one_consumer);
    HM_RUN(one_to_one_stream_across_wraps);
    return HM_TEST_SUMMARY();
}
