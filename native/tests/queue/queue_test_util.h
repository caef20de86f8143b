/* Helpers shared by the queue tests: sequence-numbered messages, forked producers, waiting for children. */
#ifndef HARMONIA_QUEUE_TEST_UTIL_H
#define HARMONIA_QUEUE_TEST_UTIL_H

#include <harmonia/queue.h>

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Every test message starts with the producer's id and its own sequence number. */
typedef struct seq_message {
    uint32_t producer;
    uint32_t reserved;
    uint64_t sequence;
} seq_message;

#define SEQ_MAX_PRODUCERS 8

typedef struct seq_checker {
    uint64_t next[SEQ_MAX_PRODUCERS];
    uint64_t received;
    uint64_t errors;
    uint32_t expected_length;
} seq_checker;

static inline void seq_check(void *context, int32_t type, const void *data, uint32_t length)
{
    seq_checker *checker = context;
    seq_message message;
    if (length < sizeof message || (checker->expected_length && length != checker->expected_length) ||
        type != 7) {
        checker->errors++;
        return;
    }
    memcpy(&message, data, sizeof message);
    if (message.producer >= SEQ_MAX_PRODUCERS || message.sequence != checker->next[message.producer]) {
        if (checker->errors++ < 5)
            fprintf(stderr, "producer %u: got sequence %llu, expected %llu\n", message.producer,
                    (unsigned long long)message.sequence,
                    message.producer < SEQ_MAX_PRODUCERS ? (unsigned long long)checker->next[message.producer] : 0ULL);
        if (message.producer < SEQ_MAX_PRODUCERS)
            checker->next[message.producer] = message.sequence + 1;
        return;
    }
    checker->next[message.producer]++;
    checker->received++;
}

/* Counts records without looking at them. */
static inline void count_only(void *context, int32_t type, const void *data, uint32_t length)
{
    (void)type;
    (void)data;
    (void)length;
    ++*(uint64_t *)context;
}

/* Sends `count` sequence-numbered messages of `length` bytes (>= 16), waiting for space when full. */
static inline int seq_produce(hm_ring_producer *producer, uint32_t id, uint64_t count, uint32_t length)
{
    for (uint64_t sequence = 0; sequence < count; sequence++) {
        hm_ring_claim claim;
        int rc = hm_ring_claim_wait(producer, length, INT64_C(10000000000), &claim);
        if (rc != 0)
            return rc;
        seq_message message = {.producer = id, .sequence = sequence};
        memcpy(claim.data, &message, sizeof message);
        rc = hm_ring_commit(producer, &claim, 7);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* Consumes until `total` messages arrived or `timeout_ns` passed without progress; returns received count. */
static inline uint64_t seq_consume(hm_ring_consumer *consumer, seq_checker *checker, uint64_t total, int64_t timeout_ns)
{
    while (checker->received + checker->errors < total) {
        int got = hm_ring_read(consumer, seq_check, checker, 256);
        if (got > 0)
            continue;
        if (got < 0 && got != -EOWNERDEAD)
            break;
        if (got == 0 && hm_ring_wait(consumer, timeout_ns) == -ETIMEDOUT &&
            hm_ring_read(consumer, seq_check, checker, 256) == 0)
            break;
    }
    return checker->received;
}

/* Waits for a child and returns its exit status, or 128 + signal. */
static inline int wait_child(pid_t pid)
{
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 255;
}

static inline int64_t now_ns(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * INT64_C(1000000000) + now.tv_nsec;
}

#endif /* HARMONIA_QUEUE_TEST_UTIL_H */
