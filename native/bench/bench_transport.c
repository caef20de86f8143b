/*
 * harmonia-bench's transport group: the C side of the Java transport benchmarks, between this process and a
 * forked peer (a fresh peer every round).
 *
 * Round trips of 32 bytes (the peer echoes each message): a Harmonia channel with both ends busy-polling
 * ("harmonia-spin": SPIN_POLLS polls per call before the call returns -ETIMEDOUT and is made again, so the control
 * socket's liveness check, a system call, comes once per SPIN_POLLS empty polls) and with both ends parking on
 * the futex at once ("harmonia-blocking": no spinning); against the physical floor ("cacheline-spin": a counter ping-ponged in one
 * cache line of a shared mapping), a Unix domain stream socket pair and a pair of pipes (both block in the kernel).
 * Every round trip of the measured time is a sample; the score is the mean in ns/op.
 *
 * One-way throughput of 64- and 1024-byte messages into a peer that drains them: a one-to-one ring of 64 KiB
 * ("harmonia-one-to-one", the sink polls), a whole channel with its frames over 64 KiB rings ("harmonia-channel"),
 * a Unix socket and a pipe (one write per message). Score: messages per microsecond (= millions per second).
 *
 * Every peer dies with this process (PR_SET_PDEATHSIG) and every wait is bounded, so a stuck peer ends its trial
 * as a failure instead of hanging the run.
 */
#include "bench_groups.h"

#include <harmonia/channel.h>
#include <harmonia/queue.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROUND_TRIP "c.transport.RoundTrip.roundTrip"
#define THROUGHPUT "c.transport.Throughput.send"
#define RING_CAPACITY (64u * 1024u)
#define ROUND_TRIP_SIZE 32u
#define MAX_MESSAGE 1024u
#define STOP_CODE 2u
#define STUCK_NS 5e9 /* a wait this long means the peer is gone */
#define SPIN_POLLS 65536u

enum rt_kind { RT_SPIN, RT_BLOCKING, RT_CACHELINE, RT_SOCKET, RT_PIPE, RT_COUNT };
static const char *const rt_names[RT_COUNT] = {"harmonia-spin", "harmonia-blocking", "cacheline-spin",
                                               "unix-socket", "pipe"};
enum tp_kind { TP_RING, TP_CHANNEL, TP_SOCKET, TP_PIPE, TP_COUNT };
static const char *const tp_names[TP_COUNT] = {"harmonia-one-to-one", "harmonia-channel", "unix-socket", "pipe"};
static const unsigned tp_sizes[] = {64, 1024};
#define TP_SIZE_COUNT (sizeof tp_sizes / sizeof tp_sizes[0])

int bench_transport_trials(void)
{
    return RT_COUNT + TP_COUNT * (int)TP_SIZE_COUNT;
}

/* One peer process and the ends this process keeps. */
typedef struct peer_link {
    pid_t pid;
    int out;
    int in;
    hm_channel *channel;
    hm_region *region;
    hm_ring_consumer *consumer;
    _Atomic uint64_t *line;
} peer_link;

static pid_t fork_peer(void)
{
    pid_t pid = fork();
    if (pid == 0)
        prctl(PR_SET_PDEATHSIG, SIGKILL);
    return pid;
}

/* Writes (out) or reads all `length` bytes; -1 at the end of the stream or on an error. */
static int transfer(int fd, char *buf, size_t length, int out)
{
    for (size_t done = 0; done < length;) {
        ssize_t n = out ? write(fd, buf + done, length - done) : read(fd, buf + done, length - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        done += (size_t)n;
    }
    return 0;
}

static int write_all(int fd, const char *buf, size_t length)
{
    return transfer(fd, (char *)buf, length, 1);
}

static int read_all(int fd, char *buf, size_t length)
{
    return transfer(fd, buf, length, 0);
}

/* Receives one message: polling (spin) or parked on the futex; -ETIMEDOUT after STUCK_NS. */
static int receive_one(hm_channel *channel, int spin, hm_channel_received *message)
{
    if (!spin)
        return hm_channel_receive(channel, (int64_t)STUCK_NS, message);
    double give_up = bench_now_ns() + STUCK_NS;
    for (;;) {
        int rc = hm_channel_receive(channel, 0, message);
        if (rc != -ETIMEDOUT || bench_now_ns() > give_up)
            return rc;
    }
}

static int send_one(hm_channel *channel, int spin, uint32_t code, const void *data, uint32_t length)
{
    double give_up = bench_now_ns() + STUCK_NS;
    for (;;) {
        int rc = hm_channel_send(channel, code, data, length, NULL, 0, spin ? 0 : (int64_t)STUCK_NS);
        if (rc != -ETIMEDOUT || bench_now_ns() > give_up)
            return rc;
        bench_relax();
    }
}

/* ---- peers (each runs in the forked child and exits) ---- */

static void channel_peer(const char *address, int spin, int echo)
{
    hm_error err;
    hm_channel *channel = NULL;
    if (hm_channel_connect(address, (int64_t)STUCK_NS, &err, &channel) != 0)
        _exit(3);
    hm_channel_set_spins(channel, spin ? SPIN_POLLS : 0);
    char data[MAX_MESSAGE];
    for (;;) {
        hm_channel_received message;
        int rc = receive_one(channel, spin, &message);
        if (rc == -EBADMSG || rc == -EOWNERDEAD)
            continue;
        if (rc != 0)
            break;
        uint32_t code = message.code, length = message.length <= MAX_MESSAGE ? message.length : MAX_MESSAGE;
        if (echo)
            memcpy(data, message.data, length);
        hm_channel_release(channel, &message);
        if (code == STOP_CODE || (echo && send_one(channel, spin, code, data, length) != 0))
            break;
    }
    hm_channel_close(channel);
    _exit(0);
}

static void stream_peer(int in, int out, size_t echo_size)
{
    char buffer[64 * 1024];
    for (;;) {
        if (echo_size > 0) {
            if (read_all(in, buffer, echo_size) != 0 || write_all(out, buffer, echo_size) != 0)
                break;
        } else if (read(in, buffer, sizeof buffer) <= 0) {
            break;
        }
    }
    _exit(0);
}

static void count_record(void *context, int32_t type, const void *data, uint32_t length)
{
    (void)type, (void)data, (void)length;
    (*(uint64_t *)context)++;
}

/* The ring's producer: offers messages of `size` bytes as fast as they are taken, until the region is closed. */
static void ring_peer(hm_region *region, unsigned size)
{
    static char message[MAX_MESSAGE];
    hm_ring_producer *producer = NULL;
    if (hm_ring_producer_open(region, 0, &producer) != 0)
        _exit(3);
    for (unsigned polls = 0;; polls++) {
        int rc = hm_ring_offer(producer, 1, message, size);
        if (rc != 0 && rc != -EAGAIN)
            break;
        if (rc == -EAGAIN)
            bench_relax();
        if ((polls & 0xffu) == 0 && hm_region_is_closed(region))
            break;
    }
    hm_ring_producer_close(producer);
    _exit(0);
}

static void line_peer(_Atomic uint64_t *line)
{
    uint64_t expected = 1;
    for (;;) {
        uint64_t seen = atomic_load_explicit(line, memory_order_acquire);
        if (seen == UINT64_MAX)
            _exit(0);
        if (seen == expected) {
            atomic_store_explicit(line, seen + 1, memory_order_release);
            expected += 2;
        } else {
            bench_relax();
        }
    }
}

/* ---- starting and stopping a peer ---- */

static int start_channel(peer_link *l, int spin, int echo)
{
    static int counter;
    char address[96];
    hm_error err;
    hm_channel_listener *listener = NULL;
    snprintf(address, sizeof address, "@harmonia-bench-%d-%d", (int)getpid(), counter++);
    if (hm_channel_listen(address, &err, &listener) != 0)
        return -1;
    l->pid = fork_peer();
    if (l->pid == 0) {
        hm_channel_listener_close(listener);
        channel_peer(address, spin, echo);
    }
    int rc = l->pid < 0 ? -1 : hm_channel_accept(listener, RING_CAPACITY, (int64_t)STUCK_NS, &err, &l->channel);
    hm_channel_listener_close(listener);
    if (rc != 0)
        return rc;
    hm_channel_set_spins(l->channel, spin ? SPIN_POLLS : 0);
    return 0;
}

/* A socket pair or two pipes; echo_size 0: the peer drains. */
static int start_stream(peer_link *l, int socket, size_t echo_size)
{
    int to_peer[2], from_peer[2] = {-1, -1};
    if (socket) {
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, to_peer) != 0)
            return -1;
        from_peer[0] = to_peer[0];
    } else if (pipe2(to_peer, O_CLOEXEC) != 0 || (echo_size > 0 && pipe2(from_peer, O_CLOEXEC) != 0)) {
        return -1;
    }
    l->pid = fork_peer();
    if (l->pid == 0) { /* the peer keeps only its own ends, so it sees the end of the stream */
        if (socket) {
            close(to_peer[0]);
            stream_peer(to_peer[1], to_peer[1], echo_size);
        }
        close(to_peer[1]);
        if (echo_size > 0)
            close(from_peer[0]);
        stream_peer(to_peer[0], from_peer[1], echo_size);
    }
    if (socket) {
        close(to_peer[1]);
        l->out = l->in = to_peer[0];
    } else {
        close(to_peer[0]);
        l->out = to_peer[1];
        if (echo_size > 0) {
            close(from_peer[1]);
            l->in = from_peer[0];
        }
    }
    return l->pid < 0 ? -1 : 0;
}

static int start_line(peer_link *l)
{
    void *mapping = mmap(NULL, 64, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (mapping == MAP_FAILED)
        return -1;
    l->line = mapping;
    atomic_store(l->line, 0);
    l->pid = fork_peer();
    if (l->pid == 0)
        line_peer(l->line);
    return l->pid < 0 ? -1 : 0;
}

/* The one-to-one ring: the peer produces, this process consumes (the roles of the ring tests across processes). */
static int start_ring(peer_link *l, unsigned size)
{
    hm_error err;
    hm_ring_spec spec = {RING_CAPACITY, HM_RING_ONE_TO_ONE};
    int rc = hm_region_create("harmonia-bench", &spec, 1, &err, &l->region);
    if (rc != 0 || (rc = hm_ring_consumer_open(l->region, 0, &l->consumer)) != 0)
        return rc;
    l->pid = fork_peer();
    if (l->pid == 0)
        ring_peer(l->region, size);
    return l->pid < 0 ? -errno : 0;
}

/* Messages the ring delivers until `end` (0: until the first batch); -ETIMEDOUT when none came for STUCK_NS. */
static int drain_ring(peer_link *l, double end, uint64_t *count)
{
    double last = bench_now_ns();
    for (;;) {
        int n = hm_ring_read(l->consumer, count_record, count, 1024);
        if (n < 0 && n != -EOWNERDEAD)
            return n;
        double now = bench_now_ns();
        if (end == 0 ? n > 0 : now >= end)
            return 0;
        if (n > 0)
            last = now;
        else if (now - last > STUCK_NS)
            return -ETIMEDOUT;
        else
            bench_relax();
    }
}

/* Tells the peer to stop, waits for it (killing it after STUCK_NS) and frees this side. */
static void stop(peer_link *l)
{
    if (l->channel != NULL) {
        uint32_t none = 0;
        hm_channel_send(l->channel, STOP_CODE, &none, sizeof none, NULL, 0, 0);
        hm_channel_close(l->channel);
    }
    if (l->region != NULL)
        hm_region_mark_closed(l->region);
    if (l->line != NULL)
        atomic_store(l->line, UINT64_MAX);
    if (l->out > 0)
        close(l->out);
    if (l->in > 0 && l->in != l->out)
        close(l->in);
    if (l->pid > 0) {
        double give_up = bench_now_ns() + STUCK_NS;
        while (waitpid(l->pid, NULL, WNOHANG) == 0) {
            if (bench_now_ns() > give_up) {
                kill(l->pid, SIGKILL);
                waitpid(l->pid, NULL, 0);
                break;
            }
            usleep(1000);
        }
    }
    if (l->consumer != NULL)
        hm_ring_consumer_close(l->consumer);
    if (l->region != NULL)
        hm_region_close(l->region);
    if (l->line != NULL)
        munmap((void *)l->line, 64);
}

/* ---- one round trip, one send ---- */

static int ping(enum rt_kind kind, peer_link *l, char *message)
{
    switch (kind) {
    case RT_SPIN:
    case RT_BLOCKING: {
        int spin = kind == RT_SPIN;
        hm_channel_received reply;
        if (send_one(l->channel, spin, 1, message, ROUND_TRIP_SIZE) != 0 || receive_one(l->channel, spin, &reply) != 0)
            return -1;
        return hm_channel_release(l->channel, &reply);
    }
    case RT_CACHELINE: {
        uint64_t sent = atomic_load_explicit(l->line, memory_order_relaxed) + 1;
        atomic_store_explicit(l->line, sent, memory_order_release);
        double give_up = 0;
        for (unsigned polls = 0; atomic_load_explicit(l->line, memory_order_acquire) != sent + 1; polls++) {
            if ((polls & 0xfffu) == 0xfffu) {
                give_up = give_up == 0 ? bench_now_ns() + STUCK_NS : give_up;
                if (bench_now_ns() > give_up)
                    return -1;
            }
            bench_relax();
        }
        return 0;
    }
    case RT_SOCKET:
    case RT_PIPE:
        return write_all(l->out, message, ROUND_TRIP_SIZE) == 0 && read_all(l->in, message, ROUND_TRIP_SIZE) == 0 ? 0
                                                                                                                : -1;
    case RT_COUNT: break;
    }
    return -1;
}

static int send_message(enum tp_kind kind, peer_link *l, const char *message, unsigned size)
{
    switch (kind) {
    case TP_RING: break; /* the peer sends: drain_ring */
    case TP_CHANNEL: return send_one(l->channel, 1, 1, message, size);
    case TP_SOCKET:
    case TP_PIPE: return write_all(l->out, message, size);
    case TP_COUNT: break;
    }
    return -1;
}

/* ---- rounds ---- */

static int round_trip_round(enum rt_kind kind, const bench_options *options, bench_measurement *m)
{
    peer_link l = {0};
    char message[ROUND_TRIP_SIZE] = {0};
    int rc = kind == RT_SPIN || kind == RT_BLOCKING ? start_channel(&l, kind == RT_SPIN, 1)
             : kind == RT_CACHELINE                 ? start_line(&l)
                                                    : start_stream(&l, kind == RT_SOCKET, ROUND_TRIP_SIZE);
    bench_samples samples = {0};
    double end_warmup = bench_now_ns() + options->warmup_seconds * 1e9;
    while (rc == 0 && bench_now_ns() < end_warmup)
        rc = ping(kind, &l, message);
    double start = bench_now_ns(), end = start + options->measure_seconds * 1e9, now = start;
    while (rc == 0 && now < end) {
        double before = now;
        rc = ping(kind, &l, message);
        now = bench_now_ns();
        if (rc == 0 && bench_samples_add(&samples, now - before) != 0)
            break;
    }
    stop(&l);
    size_t count = samples.count;
    if (rc == 0 && count > 0)
        bench_record_round(m, (now - start) / (double)count, samples.values, count);
    bench_samples_free(&samples);
    return rc != 0 ? rc : count > 0 ? 0 : -ENODATA;
}

static int throughput_round(enum tp_kind kind, unsigned size, const bench_options *options, bench_measurement *m)
{
    peer_link l = {0};
    static char message[MAX_MESSAGE];
    int rc = kind == TP_RING      ? start_ring(&l, size)
             : kind == TP_CHANNEL ? start_channel(&l, 1, 0)
                                  : start_stream(&l, kind == TP_SOCKET, 0);
    double end_warmup = bench_now_ns() + options->warmup_seconds * 1e9;
    if (kind == TP_RING) {
        /* The windows start once the producer is running: a fork may take a while on a loaded machine. */
        uint64_t warm = 0, received = 0;
        rc = rc != 0 ? rc : drain_ring(&l, 0, &warm);
        end_warmup = bench_now_ns() + options->warmup_seconds * 1e9;
        rc = rc != 0 ? rc : drain_ring(&l, end_warmup, &warm);
        double start = bench_now_ns();
        rc = rc != 0 ? rc : drain_ring(&l, start + options->measure_seconds * 1e9, &received);
        double elapsed = bench_now_ns() - start;
        stop(&l);
        if (rc == 0 && received > 0)
            bench_record_round(m, (double)received / (elapsed / 1e3), NULL, 0);
        return rc != 0 ? rc : received > 0 ? 0 : -ENODATA;
    }
    while (rc == 0 && bench_now_ns() < end_warmup)
        for (int i = 0; rc == 0 && i < 64; i++)
            rc = send_message(kind, &l, message, size);
    uint64_t sent = 0;
    double start = bench_now_ns(), end = start + options->measure_seconds * 1e9, now = start;
    while (rc == 0 && now < end) {
        for (int i = 0; rc == 0 && i < 64; i++, sent++)
            rc = send_message(kind, &l, message, size);
        now = bench_now_ns();
    }
    stop(&l);
    if (rc == 0 && sent > 0)
        bench_record_round(m, (double)sent / ((now - start) / 1e3), NULL, 0);
    return rc != 0 ? rc : sent > 0 ? 0 : -ENODATA;
}

static void note_failure(bench_run *run, const char *trial, int rc)
{
    char why[160];
    snprintf(why, sizeof why, "%s (%d)", rc < -1 ? strerror(-rc) : "the peer stopped answering", rc);
    bench_note_add(run->failures, &run->failure_count, trial, why);
}

void bench_transport(bench_run *run, const bench_options *options, bench_progress *progress)
{
    char trial[96], size_text[16];
    for (int round = 0; round < options->rounds; round++) {
        for (int k = 0; k < RT_COUNT; k++) {
            snprintf(trial, sizeof trial, "round trip %s, %u B", rt_names[k], ROUND_TRIP_SIZE);
            bench_progress_trial(progress, "transport", trial, round, options->rounds);
            bench_measurement *m = bench_measurement_for(run, "transport", ROUND_TRIP, "ns/op", "transport",
                                                         rt_names[k], "size", "32");
            int rc = round_trip_round((enum rt_kind)k, options, m);
            if (rc != 0)
                note_failure(run, trial, rc);
        }
        for (size_t s = 0; s < TP_SIZE_COUNT; s++) {
            for (int k = 0; k < TP_COUNT; k++) {
                snprintf(size_text, sizeof size_text, "%u", tp_sizes[s]);
                snprintf(trial, sizeof trial, "throughput %s, %u B", tp_names[k], tp_sizes[s]);
                bench_progress_trial(progress, "transport", trial, round, options->rounds);
                bench_measurement *m = bench_measurement_for(run, "transport", THROUGHPUT, "ops/us", "transport",
                                                             tp_names[k], "size", size_text);
                int rc = throughput_round((enum tp_kind)k, tp_sizes[s], options, m);
                if (rc != 0)
                    note_failure(run, trial, rc);
            }
        }
    }
}
