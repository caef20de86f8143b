/*
 * A hostile peer (hostile_peer.h, in a second process with its own mapping of the region) writes anything into the
 * shared memory while this process reads: bare rings (a one-to-one and a many-to-one ring it attacks while we
 * consume, a many-to-one ring we produce into while it moves the head) and whole channels (it connects again and
 * again; we receive raw and IpcIo messages and read every item). Whatever the peer writes, this side must only
 * ever see errors for that ring or channel: every result is one the API documents, every delivered message lies
 * inside its ring, every fd handed out is one the peer sent (never one of ours), nothing hangs (a watchdog alarm
 * ends a hung run) and no fd leaks. ASan and UBSan (the asan preset) catch what the checks cannot see.
 *
 * HARMONIA_HOSTILE_SECONDS sets each case's duration (default 3); HARMONIA_HOSTILE_SEED its seed (default: the
 * clock, printed so a failing run can be repeated); HARMONIA_HOSTILE_CASE=rings or channels runs one case.
 */
#include <harmonia/channel.h>
#include <harmonia/ipcio.h>
#include <harmonia/queue.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hm_test.h"
#include "hostile_peer.h"

#define RING_CAPACITY 4096u

static double seconds = 3.0;
static uint64_t seed;

typedef struct victim_stats {
    uint64_t delivered;
    uint64_t ipcio;
    uint64_t violations; /* -EPROTO: the ring was given up */
    uint64_t bad_frames; /* -EBADMSG: a frame was skipped */
    uint64_t dead_claims;
    uint64_t fds;
    uint64_t unexpected;
    uint64_t rounds;
} victim_stats;

static void unexpected(victim_stats *stats, const char *what, long long value)
{
    if (stats->unexpected++ < 20)
        fprintf(stderr, "unexpected: %s (%lld)\n", what, value);
}

/* The ring's data bytes: where every delivered message must lie. */
typedef struct ring_bounds {
    const uint8_t *data;
    uint32_t capacity;
    victim_stats *stats;
    uint64_t sum;
} ring_bounds;

static ring_bounds bounds_of(hm_region *region, uint32_t ring, victim_stats *stats)
{
    ring_bounds bounds = {.data = (const uint8_t *)hm_region_base(region) + hm_region_ring_offset(region, ring) +
                                  HM_RING_CONTROL_LENGTH,
                          .capacity = hm_region_ring_capacity(region, ring),
                          .stats = stats};
    return bounds;
}

static void check_inside(ring_bounds *bounds, const void *data, uint64_t length)
{
    const uint8_t *at = data;
    if (at < bounds->data || at > bounds->data + bounds->capacity ||
        length > (uint64_t)(bounds->data + bounds->capacity - at)) {
        unexpected(bounds->stats, "a message outside its ring, length", (long long)length);
        return;
    }
    for (uint64_t i = 0; i < length; i++)
        bounds->sum += at[i];
}

static void on_record(void *context, int32_t type, const void *data, uint32_t length)
{
    ring_bounds *bounds = context;
    if (type < 1)
        unexpected(bounds->stats, "a record of type", type);
    check_inside(bounds, data, length);
    bounds->stats->delivered++;
}

static int is_allowed(int rc, const int *allowed, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (rc == allowed[i])
            return 1;
    return 0;
}

#define ALLOWED(rc, stats, what, ...)                                                                           \
    do {                                                                                                        \
        static const int allowed_[] = {__VA_ARGS__};                                                            \
        if (!is_allowed((rc), allowed_, sizeof allowed_ / sizeof allowed_[0]))                                  \
            unexpected((stats), what, (rc));                                                                    \
    } while (0)

static int count_fds(void)
{
    DIR *dir = opendir("/proc/self/fd");
    int count = 0;
    for (struct dirent *entry; dir && (entry = readdir(dir)) != NULL;) {
        count++;
        if (getenv("HARMONIA_HOSTILE_LIST_FDS")) {
            char link[300], target[256];
            snprintf(link, sizeof link, "/proc/self/fd/%s", entry->d_name);
            ssize_t n = readlink(link, target, sizeof target - 1);
            target[n > 0 ? n : 0] = 0;
            fprintf(stderr, "  fd %s -> %s\n", entry->d_name, target);
        }
    }
    if (dir)
        closedir(dir);
    return count;
}

/* Forks the peer; it dies with this process, should a crash here end the run early. */
static pid_t fork_peer(void)
{
    const pid_t parent = getpid();
    const pid_t child = fork();
    if (child == 0 && (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent))
        _exit(1);
    return child;
}

/* Waits for the peer to finish its run; a peer that does not is killed (the peer's hang is not ours). */
static int reap(pid_t child)
{
    for (int i = 0; i < 400; i++) {
        int status = 0;
        pid_t done = waitpid(child, &status, WNOHANG);
        if (done == child)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        usleep(10000);
    }
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    fprintf(stderr, "the hostile peer did not stop in time and was killed\n");
    return 128 + SIGKILL;
}

/* ---- bare rings ---- */

static void consume_ring(hm_region *region, uint32_t ring, hm_ring_consumer **consumer, victim_stats *stats,
                         uint64_t iteration)
{
    if (*consumer == NULL) {
        int rc = hm_ring_consumer_open(region, ring, consumer);
        ALLOWED(rc, stats, "hm_ring_consumer_open", 0, -EBUSY, -EPROTO);
        if (rc == -EPROTO)
            stats->violations++;
        if (rc != 0) {
            *consumer = NULL;
            return;
        }
    }
    ring_bounds bounds = bounds_of(region, ring, stats);
    int rc;
    switch (iteration % 4) {
    case 0:
    case 1:
        rc = hm_ring_read(*consumer, on_record, &bounds, 1 + (uint32_t)(iteration % 7));
        if (rc < 0)
            ALLOWED(rc, stats, "hm_ring_read", -EOWNERDEAD, -EPROTO);
        break;
    case 2: {
        hm_ring_record record;
        rc = hm_ring_peek(*consumer, &record);
        ALLOWED(rc, stats, "hm_ring_peek", 0, 1, -EOWNERDEAD, -EPROTO);
        if (rc == 1) {
            on_record(&bounds, record.type, record.data, record.length);
            int released = hm_ring_release(*consumer);
            ALLOWED(released, stats, "hm_ring_release", 0);
        }
        break;
    }
    default:
        rc = hm_ring_wait(*consumer, 20000);
        ALLOWED(rc, stats, "hm_ring_wait", 0, -ETIMEDOUT, -EPIPE, -EPROTO);
        break;
    }
    if (rc == -EOWNERDEAD)
        stats->dead_claims++;
    if (rc == -EPROTO) {
        stats->violations++;
        const char *why = hm_ring_consumer_last_error(*consumer);
        if (why == NULL || why[0] == '\0')
            unexpected(stats, "-EPROTO without a reason", rc);
        hm_ring_consumer_close(*consumer);
        *consumer = NULL;
    }
}

static void produce_ring(hm_region *region, uint32_t ring, hm_ring_producer **producer, victim_stats *stats,
                         uint64_t iteration)
{
    if (*producer == NULL) {
        int rc = hm_ring_producer_open(region, ring, producer);
        ALLOWED(rc, stats, "hm_ring_producer_open", 0, -EPROTO);
        if (rc != 0) {
            *producer = NULL;
            return;
        }
    }
    uint8_t bytes[96] = {1, 2, 3};
    const uint32_t length = (uint32_t)(iteration * 13 % sizeof bytes);
    int rc;
    if (iteration % 2) {
        rc = hm_ring_offer(*producer, 5, bytes, length);
        ALLOWED(rc, stats, "hm_ring_offer", 0, -EAGAIN, -EPROTO);
    } else {
        hm_ring_claim claim;
        rc = hm_ring_claim_wait(*producer, length, 20000, &claim);
        ALLOWED(rc, stats, "hm_ring_claim_wait", 0, -ETIMEDOUT, -EPIPE, -EPROTO);
        if (rc == 0) {
            ring_bounds bounds = bounds_of(region, ring, stats);
            check_inside(&bounds, claim.data, length);
            memset(claim.data, 7, length);
            int committed = hm_ring_commit(*producer, &claim, 5);
            ALLOWED(committed, stats, "hm_ring_commit", 0, -EINVAL);
        }
    }
    if (rc == -EPROTO) {
        stats->violations++;
        hm_ring_producer_close(*producer);
        *producer = NULL;
    }
}

static void rings_survive_a_hostile_peer(void)
{
    const hm_ring_spec specs[3] = {{RING_CAPACITY, HM_RING_ONE_TO_ONE},
                                   {RING_CAPACITY, HM_RING_MANY_TO_ONE},
                                   {RING_CAPACITY, HM_RING_MANY_TO_ONE}};
    const int fds_before = count_fds();
    hm_region *region = NULL;
    HM_CHECK_INT_EQ(hm_region_create("hostile-rings", specs, 3, NULL, &region), 0);
    if (!region)
        return;
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/fd/%d", (int)getpid(), hm_region_fd(region));
    const pid_t child = fork_peer();
    if (child == 0)
        _exit(hostile_ring_peer(path, 0x3u, seconds, seed));
    victim_stats stats = {0};
    hm_ring_consumer *consumers[2] = {NULL, NULL};
    hm_ring_producer *producer = NULL;
    const int64_t end = hostile_now_ns() + (int64_t)(seconds * 1e9);
    for (uint64_t i = 0; hostile_now_ns() < end; i++) {
        consume_ring(region, 0, &consumers[0], &stats, i);
        consume_ring(region, 1, &consumers[1], &stats, i);
        produce_ring(region, 2, &producer, &stats, i);
        stats.rounds++;
    }
    HM_CHECK_INT_EQ(reap(child), 0);
    hm_ring_consumer_close(consumers[0]);
    hm_ring_consumer_close(consumers[1]);
    hm_ring_producer_close(producer);
    hm_region_close(region);
    printf("rings: %llu rounds, %llu records delivered, %llu violations (-EPROTO), %llu dead claims skipped\n",
           (unsigned long long)stats.rounds, (unsigned long long)stats.delivered,
           (unsigned long long)stats.violations, (unsigned long long)stats.dead_claims);
    HM_CHECK_INT_EQ(stats.unexpected, 0);
    HM_CHECK(stats.violations > 0);
    HM_CHECK(stats.delivered > 0);
    HM_CHECK_INT_EQ(count_fds(), fds_before);
}

/* ---- channels ---- */

/* An fd handed to us from a message must be one the peer sent (/dev/null), never one of our own. */
static void check_received_fd(int fd, victim_stats *stats)
{
    if (fd < 0)
        return;
    char link[64], target[256];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    target[n > 0 ? n : 0] = '\0';
    if (n <= 0 || strcmp(target, "/dev/null") != 0 || fd <= 2) {
        fprintf(stderr, "fd %d handed out is %s, not one the peer sent\n", fd, n > 0 ? target : "closed");
        unexpected(stats, "an fd the peer did not send", fd);
        return;
    }
    stats->fds++;
    close(fd);
}

static void read_ipcio(IpcIo *io, ring_bounds *bounds, victim_stats *stats)
{
    int32_t value32;
    int64_t value64;
    SvcIdentity svc;
    size_t length;
    const size_t objects = hm_ipcio_object_count(io);
    for (size_t i = 0; i < objects; i++) {
        hm_ipcio_object object;
        hm_ipcio_object_at(io, i, &object);
    }
    (void)hm_ipcio_fd_count(io);
    for (int step = 0; step < 10; step++) {
        switch ((step + bounds->sum) % 6) {
        case 0:
            ReadInt32(io, &value32);
            break;
        case 1:
            check_received_fd(ReadFileDescriptor(io), stats);
            break;
        case 2:
            ReadRemoteObject(io, &svc);
            break;
        case 3: {
            const uint8_t *text = ReadString(io, &length);
            if (text)
                check_inside(bounds, text, length);
            break;
        }
        case 4:
            ReadInt64(io, &value64);
            break;
        default: {
            const void *raw = ReadRawData(io, 8);
            if (raw)
                check_inside(bounds, raw, 8);
            break;
        }
        }
    }
}

static void serve(hm_channel *channel, victim_stats *stats, int64_t end)
{
    hm_region *region = hm_channel_region(channel);
    const uint32_t receive_ring = hm_channel_receive_ring(channel);
    for (uint64_t i = 0; hostile_now_ns() < end; i++) {
        ring_bounds bounds = bounds_of(region, receive_ring, stats);
        hm_channel_received message;
        int rc;
        if (i % 2 == 0) {
            IpcIo io;
            rc = hm_channel_receive_ipcio(channel, 2000000, &io, &message);
            ALLOWED(rc, stats, "hm_channel_receive_ipcio", 0, -ETIMEDOUT, -EBADMSG, -EOWNERDEAD, -EPROTO, -ENOMSG,
                    -ECONNRESET, -EPIPE);
            if (rc == 0) {
                check_inside(&bounds, message.data, message.length);
                read_ipcio(&io, &bounds, stats);
                stats->ipcio++;
                stats->delivered++;
                ALLOWED(hm_channel_release(channel, &message), stats, "hm_channel_release", 0);
            } else if (rc == -ENOMSG) {
                /* Not an IpcIo message: it stays unreleased for the caller. */
                for (uint32_t f = 0; f < message.fd_count; f++) {
                    check_received_fd(message.fds[f], stats);
                    message.fds[f] = -1;
                }
                ALLOWED(hm_channel_release(channel, &message), stats, "hm_channel_release", 0);
            }
        } else {
            rc = hm_channel_receive(channel, 2000000, &message);
            ALLOWED(rc, stats, "hm_channel_receive", 0, -ETIMEDOUT, -EBADMSG, -EOWNERDEAD, -EPROTO, -ECONNRESET,
                    -EPIPE);
            if (rc == 0) {
                check_inside(&bounds, message.data, message.length);
                for (uint32_t f = 0; f < message.fd_count && f < HM_CHANNEL_MAX_FDS; f++) {
                    check_received_fd(message.fds[f], stats);
                    message.fds[f] = -1;
                }
                stats->delivered++;
                ALLOWED(hm_channel_release(channel, &message), stats, "hm_channel_release", 0);
            }
        }
        if (rc == -EBADMSG)
            stats->bad_frames++;
        if (rc == -EOWNERDEAD)
            stats->dead_claims++;
        if (rc == -EPROTO) {
            stats->violations++;
            const char *why = hm_channel_last_error(channel);
            if (why == NULL || why[0] == '\0')
                unexpected(stats, "-EPROTO without a reason", rc);
        }
        if (rc == -EPROTO || rc == -ECONNRESET || rc == -EPIPE)
            return;
        if (i % 16 == 0) {
            uint8_t reply[16] = {0};
            rc = hm_channel_send(channel, 2, reply, sizeof reply, NULL, 0, 0);
            ALLOWED(rc, stats, "hm_channel_send", 0, -ETIMEDOUT, -EPIPE, -ECONNRESET, -EPROTO);
            if (rc == -EPROTO || rc == -ECONNRESET || rc == -EPIPE)
                return;
        }
    }
}

static void channels_survive_a_hostile_peer(void)
{
    char address[64];
    snprintf(address, sizeof address, "@harmonia-hostile-%d", (int)getpid());
    const int fds_before = count_fds();
    hm_channel_listener *listener = NULL;
    hm_error err = {{0}};
    HM_CHECK_INT_EQ(hm_channel_listen(address, &err, &listener), 0);
    if (!listener)
        return;
    const pid_t child = fork_peer();
    if (child == 0)
        _exit(hostile_channel_peer(address, seconds, seed) > 0 ? 0 : 1);
    victim_stats stats = {0};
    const int64_t end = hostile_now_ns() + (int64_t)(seconds * 1e9);
    while (hostile_now_ns() < end) {
        hm_channel *channel = NULL;
        int rc = hm_channel_accept(listener, RING_CAPACITY, 100000000, &err, &channel);
        ALLOWED(rc, &stats, "hm_channel_accept", 0, -ETIMEDOUT);
        if (rc != 0)
            continue;
        stats.rounds++;
        serve(channel, &stats, end);
        hm_channel_close(channel);
    }
    HM_CHECK_INT_EQ(reap(child), 0);
    hm_channel_listener_close(listener);
    printf("channels: %llu connections, %llu messages delivered (%llu IpcIo), %llu fds checked, %llu frames "
           "refused (-EBADMSG), %llu rings given up (-EPROTO), %llu dead claims skipped\n",
           (unsigned long long)stats.rounds, (unsigned long long)stats.delivered, (unsigned long long)stats.ipcio,
           (unsigned long long)stats.fds, (unsigned long long)stats.bad_frames,
           (unsigned long long)stats.violations, (unsigned long long)stats.dead_claims);
    HM_CHECK_INT_EQ(stats.unexpected, 0);
    HM_CHECK(stats.rounds > 1);
    HM_CHECK(stats.delivered > 0);
    HM_CHECK(stats.violations + stats.bad_frames > 0);
    HM_CHECK_INT_EQ(count_fds(), fds_before);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *duration = getenv("HARMONIA_HOSTILE_SECONDS");
    if (duration && atof(duration) > 0)
        seconds = atof(duration);
    const char *seed_text = getenv("HARMONIA_HOSTILE_SEED");
    seed = seed_text ? strtoull(seed_text, NULL, 10) : (uint64_t)hostile_now_ns();
    printf("hostile peer: %.1f s per case, HARMONIA_HOSTILE_SEED=%llu\n", seconds, (unsigned long long)seed);
    /* A hang anywhere ends the run with SIGALRM, which ctest reports as a failure. */
    alarm((unsigned)(4 * seconds) + 30);
    const char *only = getenv("HARMONIA_HOSTILE_CASE");
    if (!only || strcmp(only, "rings") == 0)
        HM_RUN(rings_survive_a_hostile_peer);
    if (!only || strcmp(only, "channels") == 0)
        HM_RUN(channels_survive_a_hostile_peer);
    return HM_TEST_SUMMARY();
}
