/* Hang-up watches over real socket pairs: a timeout, a peer that closes, a wake from another thread. */
#include <harmonia/watch.h>

#include <errno.h>
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "hm_test.h"

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void test_timeout_without_hangup(void)
{
    int pair[2];
    HM_CHECK_INT_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair), 0);
    hm_watch *watch = NULL;
    HM_CHECK_INT_EQ(hm_watch_create(&watch), 0);
    uint8_t hung[1] = {7};
    const int64_t start = now_ns();
    HM_CHECK_INT_EQ(hm_watch_wait(watch, &pair[0], 1, 20000000, hung), 0);
    HM_CHECK(now_ns() - start >= 15000000);
    HM_CHECK_INT_EQ(hung[0], 0);
    hm_watch_close(watch);
    close(pair[0]);
    close(pair[1]);
}

static void test_peer_close_is_seen(void)
{
    int first[2], second[2];
    HM_CHECK_INT_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, first), 0);
    HM_CHECK_INT_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, second), 0);
    hm_watch *watch = NULL;
    HM_CHECK_INT_EQ(hm_watch_create(&watch), 0);
    close(second[1]);
    const int32_t fds[3] = {first[0], -1, second[0]};
    uint8_t hung[3];
    HM_CHECK_INT_EQ(hm_watch_wait(watch, fds, 3, -1, hung), 1);
    HM_CHECK_INT_EQ(hung[0], 0);
    HM_CHECK_INT_EQ(hung[1], 0);
    HM_CHECK_INT_EQ(hung[2], 1);
    hm_watch_close(watch);
    close(first[0]);
    close(first[1]);
    close(second[0]);
}

static void *wake_later(void *argument)
{
    usleep(20000);
    hm_watch_wake(argument);
    return NULL;
}

static void test_wake_ends_one_wait(void)
{
    int pair[2];
    HM_CHECK_INT_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair), 0);
    hm_watch *watch = NULL;
    HM_CHECK_INT_EQ(hm_watch_create(&watch), 0);
    pthread_t waker;
    HM_CHECK_INT_EQ(pthread_create(&waker, NULL, wake_later, watch), 0);
    uint8_t hung[1];
    const int64_t start = now_ns();
    HM_CHECK_INT_EQ(hm_watch_wait(watch, &pair[0], 1, 5000000000, hung), 0);
    HM_CHECK(now_ns() - start < 2000000000);
    pthread_join(waker, NULL);
    /* The wake was consumed: the next wait times out. */
    HM_CHECK_INT_EQ(hm_watch_wait(watch, &pair[0], 1, 10000000, hung), 0);
    HM_CHECK_INT_EQ(hm_watch_wait(watch, NULL, HM_WATCH_MAX_FDS + 1, 0, NULL), -EINVAL);
    hm_watch_close(watch);
    close(pair[0]);
    close(pair[1]);
}

int main(void)
{
    HM_RUN(test_timeout_without_hangup);
    HM_RUN(test_peer_close_is_seen);
    HM_RUN(test_wake_ends_one_wait);
    return HM_TEST_SUMMARY();
}
