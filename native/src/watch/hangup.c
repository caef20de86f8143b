/*
 * Hang-up watches: poll(2) over the watched sockets plus an eventfd that hm_watch_wake writes. A wake is consumed
 * by the wait that sees it, so one wake ends exactly one wait (the next wait starts with an empty counter).
 */
#include <harmonia/watch.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

struct hm_watch {
    int event_fd;
};

HM_API int hm_watch_create(hm_watch **ret_watch)
{
    hm_watch *watch = calloc(1, sizeof(*watch));
    if (!watch) {
        return -ENOMEM;
    }
    watch->event_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (watch->event_fd < 0) {
        const int error = errno;
        free(watch);
        return -error;
    }
    *ret_watch = watch;
    return 0;
}

HM_API void hm_watch_close(hm_watch *watch)
{
    if (!watch) {
        return;
    }
    close(watch->event_fd);
    free(watch);
}

HM_API int hm_watch_wake(hm_watch *watch)
{
    const uint64_t one = 1;
    if (write(watch->event_fd, &one, sizeof(one)) < 0 && EAGAIN != errno) {
        return -errno;
    }
    return 0;
}

static int timeout_ms(int64_t timeout_ns)
{
    if (timeout_ns < 0) {
        return -1;
    }
    const int64_t ms = (timeout_ns + 999999) / 1000000;
    return ms > 60000 ? 60000 : (int)ms;
}

HM_API int hm_watch_wait(hm_watch *watch, const int32_t *fds, uint32_t count, int64_t timeout_ns,
                         uint8_t *ret_hung)
{
    if (count > HM_WATCH_MAX_FDS || (count && (!fds || !ret_hung))) {
        return -EINVAL;
    }
    struct pollfd *polls = calloc((size_t)count + 1, sizeof(*polls));
    if (!polls) {
        return -ENOMEM;
    }
    polls[0].fd = watch->event_fd;
    polls[0].events = POLLIN;
    for (uint32_t i = 0; i < count; i++) {
        polls[i + 1].fd = fds[i];
        polls[i + 1].events = POLLRDHUP;
    }
    int ready;
    do {
        ready = poll(polls, (nfds_t)count + 1, timeout_ms(timeout_ns));
    } while (ready < 0 && EINTR == errno);
    if (ready < 0) {
        const int error = errno;
        free(polls);
        return -error;
    }
    int hung = 0;
    for (uint32_t i = 0; i < count; i++) {
        ret_hung[i] = 0 != (polls[i + 1].revents & (POLLRDHUP | POLLHUP | POLLERR));
        hung += ret_hung[i];
    }
    if (polls[0].revents & POLLIN) {
        uint64_t drained;
        (void)!read(watch->event_fd, &drained, sizeof(drained));
    }
    free(polls);
    return hung;
}
