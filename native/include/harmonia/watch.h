/*
 * Hang-up watches: one thread waits for the peers of many sockets (channel control sockets) to hang up, and
 * another thread can wake it when the set of sockets changes. The RPC runtime uses one to tell the death of a
 * process whose objects it holds proxies for, while no call is waiting on that connection.
 *
 * Threads: hm_watch_wait is for one thread at a time; hm_watch_wake may be called from any thread.
 */
#ifndef HARMONIA_WATCH_H
#define HARMONIA_WATCH_H

#include <stdint.h>

#include <harmonia/export.h>

HM_EXTERN_C_BEGIN

/* Most sockets one wait watches. */
#define HM_WATCH_MAX_FDS 4096u

typedef struct hm_watch hm_watch;

/* Creates a watch (it owns an eventfd for wake-ups). -ENOMEM, or the errno of eventfd. */
HM_API int hm_watch_create(hm_watch **ret_watch);

/* Frees a watch; no thread may be waiting on it. NULL is a no-op. */
HM_API void hm_watch_close(hm_watch *watch);

/* Makes the current or next hm_watch_wait return 0 at once. */
HM_API int hm_watch_wake(hm_watch *watch);

/*
 * Waits up to `timeout_ns` (negative: no bound) until the peer of any of `count` sockets hangs up (POLLRDHUP,
 * POLLHUP or POLLERR), or a wake. ret_hung[i] is set to 1 for each socket that hung up, 0 for the others. Returns
 * the number of sockets that hung up (0 on timeout or wake), -EINVAL for count above HM_WATCH_MAX_FDS or a NULL
 * array with a count, or the errno of poll. Negative fds are ignored, as poll does.
 */
HM_API int hm_watch_wait(hm_watch *watch, const int32_t *fds, uint32_t count, int64_t timeout_ns,
                         uint8_t *ret_hung);

HM_EXTERN_C_END

#endif /* HARMONIA_WATCH_H */
