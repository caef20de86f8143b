/*
 * The C side of the cross-language queue tests (the Java tests start it as a separate process). Modes:
 *   produce <path> <ring> <id> <count> <length>     send sequence-numbered messages into a region another process made
 *   consume <path> <ring> <producers> <count-each>  receive and check them; prints "received N errors E"
 *   claim-and-hang <path> <ring>                    claim a record, print "claimed", never commit (to be killed)
 *   create-produce <capacity> <kind> <count> <length>
 *                                                   make a region, print its /proc path, wait for a consumer, send
 *   hostile <path> <rings> <seconds> <seed>         write anything into the region for <seconds> (hostile_peer.h),
 *                                                   attacking most the rings in the bit mask <rings>
 * Exit status 0 on success.
 */
#include <harmonia/queue.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hostile_peer.h"
#include "queue_test_util.h"

static int open_region(const char *path, hm_region **region)
{
    hm_error err = {{0}};
    int rc = hm_region_open_path(path, &err, region);
    if (rc != 0)
        fprintf(stderr, "hm_queue_peer: %s (%d)\n", err.message, rc);
    return rc;
}

static int produce(hm_region *region, uint32_t ring, uint32_t id, uint64_t count, uint32_t length)
{
    hm_ring_producer *producer = NULL;
    int rc = hm_ring_producer_open(region, ring, &producer);
    if (rc == 0)
        rc = seq_produce(producer, id, count, length);
    hm_ring_producer_close(producer);
    if (rc != 0)
        fprintf(stderr, "hm_queue_peer: produce failed: %d\n", rc);
    return rc;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 2)
        return 2;
    hm_region *region = NULL;
    if (strcmp(argv[1], "produce") == 0 && argc == 7) {
        if (open_region(argv[2], &region) != 0)
            return 1;
        int rc = produce(region, (uint32_t)atoi(argv[3]), (uint32_t)atoi(argv[4]), strtoull(argv[5], NULL, 10),
                         (uint32_t)atoi(argv[6]));
        hm_region_close(region);
        return rc == 0 ? 0 : 1;
    }
    if (strcmp(argv[1], "consume") == 0 && argc == 6) {
        if (open_region(argv[2], &region) != 0)
            return 1;
        hm_ring_consumer *consumer = NULL;
        int rc = hm_ring_consumer_open(region, (uint32_t)atoi(argv[3]), &consumer);
        if (rc != 0)
            return 1;
        uint32_t producers = (uint32_t)atoi(argv[4]);
        uint64_t each = strtoull(argv[5], NULL, 10);
        seq_checker checker = {0};
        printf("ready\n");
        seq_consume(consumer, &checker, producers * each, INT64_C(10000000000));
        int ok = checker.received == producers * each && checker.errors == 0;
        for (uint32_t i = 0; i < producers; i++)
            ok = ok && checker.next[i] == each;
        printf("received %" PRIu64 " errors %" PRIu64 "\n", checker.received, checker.errors);
        hm_ring_consumer_close(consumer);
        hm_region_close(region);
        return ok ? 0 : 1;
    }
    if (strcmp(argv[1], "claim-and-hang") == 0 && argc == 4) {
        if (open_region(argv[2], &region) != 0)
            return 1;
        hm_ring_producer *producer = NULL;
        hm_ring_claim claim;
        if (hm_ring_producer_open(region, (uint32_t)atoi(argv[3]), &producer) != 0 ||
            hm_ring_try_claim(producer, 100, &claim) != 0)
            return 1;
        memset(claim.data, 0x5a, 40);
        printf("claimed\n");
        for (;;)
            pause();
    }
    if (strcmp(argv[1], "create-produce") == 0 && argc == 6) {
        hm_ring_spec spec = {.capacity = (uint32_t)atoi(argv[2]), .kind = (uint32_t)atoi(argv[3])};
        hm_error err = {{0}};
        if (hm_region_create("peer-region", &spec, 1, &err, &region) != 0) {
            fprintf(stderr, "hm_queue_peer: %s\n", err.message);
            return 1;
        }
        printf("/proc/%d/fd/%d\n", (int)getpid(), hm_region_fd(region));
        /* Wait (bounded) until the consumer has attached: its pid appears in the ring's consumer slot. */
        const volatile int32_t *consumer_pid =
            (const volatile int32_t *)(const void *)((const uint8_t *)hm_region_base(region) +
                                                     hm_region_ring_offset(region, 0) + 264);
        for (int i = 0; i < 30000 && *consumer_pid == 0; i++)
            usleep(1000);
        int rc = produce(region, 0, 0, strtoull(argv[4], NULL, 10), (uint32_t)atoi(argv[5]));
        /* Stay until the consumer has read everything, so the /proc path stays valid meanwhile. */
        char byte;
        (void)!read(0, &byte, 1);
        hm_region_close(region);
        return rc == 0 ? 0 : 1;
    }
    if (strcmp(argv[1], "hostile") == 0 && argc == 6)
        return hostile_ring_peer(argv[2], (uint32_t)strtoul(argv[3], NULL, 0), atof(argv[4]),
                                 strtoull(argv[5], NULL, 10));
    fprintf(stderr, "usage: hm_queue_peer produce|consume|claim-and-hang|create-produce|hostile ...\n");
    return 2;
}
