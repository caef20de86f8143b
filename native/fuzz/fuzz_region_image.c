/*
 * libFuzzer target: a region image as a hostile peer could leave it. The input becomes the bytes of a mapped
 * region (ring control words, records, channel frames and IpcIo object tables, or the region header itself) and
 * every receive path runs over it: the ring consumer (hm_ring_read, hm_ring_peek/release, the stuck-head checks,
 * hm_ring_wait), a producer on the same ring afterwards (it reads the fuzzed head and tail), a whole channel
 * (hm_channel_receive and hm_channel_receive_ipcio, with one fd batch waiting on the socket so that frames naming
 * it reach fd installation and ReadFileDescriptor), and hm_region_open on a fuzzed header.
 *
 * Input layout (seeds in corpus/fuzz_region_image/):
 *   byte 0      bits 0..1: 0 ring read, 1 ring peek/release, 2 channel receive, 3 region header;
 *               bit 2: one-to-one ring (modes 0, 1); bit 3: keep the input's checksum, version and length
 *               (mode 3; otherwise they are made valid so that validation reaches the ring descriptors);
 *               bits 4..7 (mode 2): which of the receives are hm_channel_receive_ipcio (the others are raw)
 *   bytes 1..8  the ring's tail, bytes 9..16 its head (modes 0..2)
 *   the rest    the ring's data bytes from index 0, zero-filled to the capacity (modes 0..2), or the 256-byte
 *               region header (mode 3)
 *
 * Besides the sanitizers, the target checks what the trust model promises: every message handed out lies inside
 * its ring, nothing outside the ring under test changes (the region header, the other ring, the slack after the
 * last ring), and every fd a reader hands out is one that came with SCM_RIGHTS (here: /dev/null).
 */
#include <harmonia/channel.h>
#include <harmonia/ipcio.h>
#include <harmonia/queue.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define CAPACITY HM_RING_MIN_CAPACITY
#define SLACK_BYTE 0xa5
#define HEADER_FILE_LENGTH 8192u

int LLVMFuzzerTestOneInput(const uint8_t *input, size_t size);

static void check(int condition)
{
    if (!condition)
        __builtin_trap();
}

/* ---- what must not change ---- */

typedef struct guard {
    uint8_t *base;
    uint64_t length;
    /* [ring_start, ring_end) may change; so may the state word of the header (a channel given up is closed). */
    uint64_t ring_start;
    uint64_t ring_end;
    uint8_t *copy;
} guard;

static void guard_take(guard *g, hm_region *region, uint32_t ring)
{
    g->base = hm_region_base(region);
    g->length = hm_region_length(region);
    g->ring_start = hm_region_ring_offset(region, ring);
    g->ring_end = g->ring_start + HM_RING_CONTROL_LENGTH + hm_region_ring_capacity(region, ring);
    const uint64_t used = hm_region_ring_offset(region, hm_region_ring_count(region) - 1) + HM_RING_CONTROL_LENGTH +
                          hm_region_ring_capacity(region, hm_region_ring_count(region) - 1);
    memset(g->base + used, SLACK_BYTE, g->length - used);
    g->copy = malloc(g->length);
    memcpy(g->copy, g->base, g->length);
}

static void guard_check(guard *g)
{
    for (uint64_t i = 0; i < g->length; i++) {
        if ((i >= g->ring_start && i < g->ring_end) || (i >= 28 && i < 32))
            continue;
        check(g->base[i] == g->copy[i]);
    }
    free(g->copy);
}

/* ---- ring image ---- */

typedef struct ring_view {
    const uint8_t *data;
    uint32_t capacity;
    uint64_t sum;
} ring_view;

static void check_inside(ring_view *view, const void *data, uint64_t length)
{
    const uint8_t *at = data;
    check(at >= view->data && at <= view->data + view->capacity &&
          length <= (uint64_t)(view->data + view->capacity - at));
    for (uint64_t i = 0; i < length; i++)
        view->sum += at[i];
}

static void on_record(void *context, int32_t type, const void *data, uint32_t length)
{
    check(type >= 1);
    check_inside(context, data, length);
}

/* Writes tail, head and data from the input into the ring's bytes. */
static void load_ring(hm_region *region, uint32_t ring, const uint8_t *input, size_t size)
{
    uint8_t *control = (uint8_t *)hm_region_base(region) + hm_region_ring_offset(region, ring);
    const uint32_t capacity = hm_region_ring_capacity(region, ring);
    memset(control, 0, HM_RING_CONTROL_LENGTH + capacity);
    uint8_t positions[16] = {0};
    memcpy(positions, input, size < 16 ? size : 16);
    memcpy(control + 0, positions, 8);   /* tail */
    memcpy(control + 128, positions + 8, 8); /* head */
    if (size > 16)
        memcpy(control + HM_RING_CONTROL_LENGTH, input + 16, size - 16 < capacity ? size - 16 : capacity);
}

static hm_region *ring_regions[2];

static void run_ring(int peek, uint32_t kind, const uint8_t *input, size_t size)
{
    hm_region *region = ring_regions[kind == HM_RING_ONE_TO_ONE];
    load_ring(region, 0, input, size);
    guard g;
    guard_take(&g, region, 0);
    ring_view view = {.data = (const uint8_t *)hm_region_base(region) + hm_region_ring_offset(region, 0) +
                              HM_RING_CONTROL_LENGTH,
                      .capacity = CAPACITY};
    hm_ring_consumer *consumer = NULL;
    int rc = hm_ring_consumer_open(region, 0, &consumer);
    check(rc == 0 || rc == -EPROTO);
    /* Enough empty reads for the stuck-head checks (every 1024 empty polls) to run twice. */
    for (int i = 0; consumer && i < 2100; i++) {
        if (peek) {
            hm_ring_record record;
            rc = hm_ring_peek(consumer, &record);
            check(rc == 0 || rc == 1 || rc == -EOWNERDEAD || rc == -EPROTO);
            if (rc == 1) {
                on_record(&view, record.type, record.data, record.length);
                check(hm_ring_release(consumer) == 0);
            }
        } else {
            rc = hm_ring_read(consumer, on_record, &view, 1 + (uint32_t)(i % 5));
            check(rc >= 0 || rc == -EOWNERDEAD || rc == -EPROTO);
        }
        if (rc == -EPROTO) {
            const char *why = hm_ring_consumer_last_error(consumer);
            check(why != NULL && why[0] != '\0');
            break;
        }
    }
    if (consumer) {
        rc = hm_ring_wait(consumer, 0);
        check(rc == 0 || rc == -ETIMEDOUT || rc == -EPIPE);
        hm_ring_consumer_close(consumer);
    }
    /* A producer on what is left: it reads the fuzzed tail and the head the consumer left. */
    hm_ring_producer *producer = NULL;
    rc = hm_ring_producer_open(region, 0, &producer);
    check(rc == 0 || rc == -EPROTO || rc == -EBUSY);
    for (int i = 0; producer && i < 4; i++) {
        const uint32_t length = size > (size_t)i ? input[size - 1 - (size_t)i] : 8;
        hm_ring_claim claim;
        rc = hm_ring_try_claim(producer, length, &claim);
        check(rc == 0 || rc == -EAGAIN || rc == -EPROTO || rc == -EMSGSIZE);
        if (rc == 0) {
            check_inside(&view, claim.data, length);
            memset(claim.data, 0x5a, length);
            check((i % 2 ? hm_ring_abort(producer, &claim) : hm_ring_commit(producer, &claim, 3)) == 0);
        }
    }
    hm_ring_producer_close(producer);
    guard_check(&g);
}

/* ---- channel ---- */

static char address[64];
static hm_channel_listener *listener;
static int null_fd = -1;

static void *connect_client(void *ret)
{
    hm_error err;
    hm_channel *client = NULL;
    if (hm_channel_connect(address, INT64_C(5000000000), &err, &client) != 0)
        client = NULL;
    *(hm_channel **)ret = client;
    return NULL;
}

static void check_fd(int fd)
{
    if (fd < 0)
        return;
    char link[64], target[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    const ssize_t n = readlink(link, target, sizeof target - 1);
    check(n == (ssize_t)strlen("/dev/null") && memcmp(target, "/dev/null", (size_t)n) == 0 && fd != null_fd);
    close(fd);
}

static void read_items(IpcIo *io, ring_view *view, uint8_t selector)
{
    for (int step = 0; step < 8; step++) {
        int32_t value32;
        int64_t value64;
        size_t length;
        SvcIdentity svc;
        switch ((selector >> (step % 4)) % 5) {
        case 0: (void)ReadInt32(io, &value32); break;
        case 1: check_fd(ReadFileDescriptor(io)); break;
        case 2: (void)ReadRemoteObject(io, &svc); break;
        case 3: {
            const uint8_t *text = ReadString(io, &length);
            if (text)
                check_inside(view, text, length + 1);
            break;
        }
        default: (void)ReadInt64(io, &value64); break;
        }
    }
    for (size_t i = 0; i < hm_ipcio_object_count(io); i++) {
        hm_ipcio_object object;
        (void)hm_ipcio_object_at(io, i, &object);
    }
}

static void run_channel(uint8_t mode, const uint8_t *input, size_t size)
{
    hm_channel *client = NULL, *server = NULL;
    pthread_t thread;
    if (pthread_create(&thread, NULL, connect_client, &client) != 0)
        return;
    hm_error err;
    const int accepted = hm_channel_accept(listener, CAPACITY, INT64_C(5000000000), &err, &server);
    pthread_join(thread, NULL);
    check(accepted == 0 && client != NULL);
    hm_region *region = hm_channel_region(server);
    const uint32_t ring = hm_channel_receive_ring(server);
    hm_channel_set_spins(server, 0);
    /* One fd batch (tag 1, one fd) waits on the socket for a frame that names it. */
    int32_t fds[1] = {null_fd};
    uint64_t tag = 0;
    check(hm_channel_send_fds(client, fds, 1, &tag) == 0 && tag == 1);
    load_ring(region, ring, input, size);
    guard g;
    guard_take(&g, region, ring);
    ring_view view = {.data = (const uint8_t *)hm_region_base(region) + hm_region_ring_offset(region, ring) +
                              HM_RING_CONTROL_LENGTH,
                      .capacity = CAPACITY};
    for (int i = 0; i < 6; i++) {
        hm_channel_received message;
        IpcIo io; /* the message refers to it until released */
        int rc;
        if ((mode >> (4 + i % 4)) & 1) {
            rc = hm_channel_receive_ipcio(server, 0, &io, &message);
            check(rc == 0 || rc == -ETIMEDOUT || rc == -EBADMSG || rc == -EOWNERDEAD || rc == -EPROTO ||
                  rc == -ENOMSG);
            if (rc == 0) {
                check_inside(&view, message.data, message.length);
                read_items(&io, &view, size > 17 ? input[17] : 0);
            }
            if (rc == -ENOMSG)
                for (uint32_t f = 0; f < message.fd_count; f++) {
                    check_fd(message.fds[f]);
                    message.fds[f] = -1;
                }
        } else {
            rc = hm_channel_receive(server, 0, &message);
            check(rc == 0 || rc == -ETIMEDOUT || rc == -EBADMSG || rc == -EOWNERDEAD || rc == -EPROTO);
            if (rc == 0) {
                check_inside(&view, message.data, message.length);
                for (uint32_t f = 0; f < message.fd_count; f++) {
                    check_fd(message.fds[f]);
                    message.fds[f] = -1;
                }
            }
        }
        if (rc == 0 || rc == -ENOMSG)
            check(hm_channel_release(server, &message) == 0);
        if (rc == -EPROTO) {
            const char *why = hm_channel_last_error(server);
            check(why != NULL && why[0] != '\0');
            break;
        }
    }
    guard_check(&g);
    hm_channel_close(server);
    hm_channel_close(client);
}

/* ---- region header ---- */

static int header_fd = -1;

static uint32_t header_checksum(const uint8_t *header)
{
    uint32_t hash = 2166136261u;
    for (uint32_t i = 0; i < HM_REGION_HEADER_LENGTH; i++) {
        const int mutable_field = (i >= 4 && i < 8) || (i >= 24 && i < 32);
        hash ^= mutable_field ? 0u : header[i];
        hash *= 16777619u;
    }
    return hash;
}

static void run_header(int keep, const uint8_t *input, size_t size)
{
    static uint8_t image[HEADER_FILE_LENGTH];
    memset(image, 0, sizeof image);
    memcpy(image, input, size < HM_REGION_HEADER_LENGTH ? size : HM_REGION_HEADER_LENGTH);
    if (!keep) {
        const uint32_t magic = HM_REGION_MAGIC, version = HM_REGION_VERSION;
        const uint64_t length = HEADER_FILE_LENGTH;
        memcpy(image, &magic, 4);
        memcpy(image + 4, &version, 4);
        memcpy(image + 8, &length, 8);
        const uint32_t checksum = header_checksum(image);
        memcpy(image + 24, &checksum, 4);
    }
    check(pwrite(header_fd, image, sizeof image, 0) == (ssize_t)sizeof image);
    hm_region *region = NULL;
    hm_error err;
    const int rc = hm_region_open(header_fd, &err, &region);
    check(rc == 0 || rc == -EBADMSG || rc == -EAGAIN || rc == -EPROTONOSUPPORT);
    if (rc != 0) {
        check(err.message[0] != '\0');
        return;
    }
    for (uint32_t ring = 0; ring < hm_region_ring_count(region); ring++) {
        check(hm_region_ring_offset(region, ring) + HM_RING_CONTROL_LENGTH + hm_region_ring_capacity(region, ring) <=
              hm_region_length(region));
        hm_ring_consumer *consumer = NULL;
        if (hm_ring_consumer_open(region, ring, &consumer) == 0) {
            ring_view view = {.data = (const uint8_t *)hm_region_base(region) + hm_region_ring_offset(region, ring) +
                                      HM_RING_CONTROL_LENGTH,
                              .capacity = hm_region_ring_capacity(region, ring)};
            (void)hm_ring_read(consumer, on_record, &view, 4);
            hm_ring_consumer_close(consumer);
        }
    }
    hm_region_close(region);
}

static void init_once(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    const hm_ring_spec many = {CAPACITY, HM_RING_MANY_TO_ONE}, one = {CAPACITY, HM_RING_ONE_TO_ONE};
    check(hm_region_create("fuzz-many", &many, 1, NULL, &ring_regions[0]) == 0);
    check(hm_region_create("fuzz-one", &one, 1, NULL, &ring_regions[1]) == 0);
    snprintf(address, sizeof address, "@harmonia-fuzz-region-%d", (int)getpid());
    hm_error err;
    check(hm_channel_listen(address, &err, &listener) == 0);
    null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    header_fd = memfd_create("fuzz-header", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    check(header_fd >= 0 && ftruncate(header_fd, HEADER_FILE_LENGTH) == 0 &&
          fcntl(header_fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *input, size_t size)
{
    if (size < 1)
        return 0;
    init_once();
    const uint8_t mode = input[0];
    switch (mode & 3) {
    case 0:
    case 1:
        run_ring(mode & 1, (mode & 4) ? HM_RING_ONE_TO_ONE : HM_RING_MANY_TO_ONE, input + 1, size - 1);
        break;
    case 2:
        run_channel(mode, input + 1, size - 1);
        break;
    default:
        run_header((mode & 8) != 0, input + 1, size - 1);
        break;
    }
    return 0;
}
