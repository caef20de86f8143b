/*
 * The channel's side of the trust model (docs/architecture.md sections 3.2 and 3.3), one rule per case, with the
 * peer's writes made by hand at exact values into the receive ring: a frame that breaks the rules is skipped with
 * -EBADMSG and the field named; a ring that breaks them gives the channel up (-EPROTO, shut down, the peer sees it
 * closed); a claim that never commits cannot keep a receive past its deadline, nor past the peer's going away.
 */
#include <harmonia/channel.h>
#include <harmonia/ipcio.h>

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hm_test.h"

#define CAPACITY 4096u

typedef struct pair {
    char address[64];
    hm_channel_listener *listener;
    hm_channel *server;
    hm_channel *client;
} pair;

static int64_t now_ns(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * INT64_C(1000000000) + now.tv_nsec;
}

static void *connect_client(void *arg)
{
    pair *p = arg;
    hm_error err;
    if (hm_channel_connect(p->address, INT64_C(5000000000), &err, &p->client) != 0)
        p->client = NULL;
    return NULL;
}

static int open_pair(pair *p)
{
    static int counter;
    memset(p, 0, sizeof *p);
    snprintf(p->address, sizeof p->address, "@harmonia-trust-%d-%d", (int)getpid(), counter++);
    hm_error err = {{0}};
    if (hm_channel_listen(p->address, &err, &p->listener) != 0)
        return -1;
    pthread_t thread;
    pthread_create(&thread, NULL, connect_client, p);
    int rc = hm_channel_accept(p->listener, CAPACITY, INT64_C(5000000000), &err, &p->server);
    pthread_join(thread, NULL);
    return rc == 0 && p->client ? 0 : -1;
}

static void close_pair(pair *p)
{
    hm_channel_close(p->client);
    hm_channel_close(p->server);
    hm_channel_listener_close(p->listener);
}

/* The server's receive ring, as the client (the peer) can write it. */
static uint8_t *receive_ring(pair *p)
{
    hm_region *region = hm_channel_region(p->server);
    return (uint8_t *)hm_region_base(region) + hm_region_ring_offset(region, hm_channel_receive_ring(p->server));
}

static void put_u64(uint8_t *at, uint64_t value)
{
    memcpy(at, &value, sizeof value);
}

/* Writes a committed record at index 0 whose payload starts with the frame {code 5, flags, data_length,
 * table_offset, object_count, fd_count, pointer size, version, tag}, then `payload` bytes; sets the tail. */
static void put_frame(pair *p, uint32_t flags, uint32_t data_length, uint32_t table_offset, uint32_t object_count,
                      uint16_t fd_count, uint8_t pointer_size, uint8_t version, uint64_t tag, uint32_t payload)
{
    uint8_t *ring = receive_ring(p);
    uint8_t *record = ring + HM_RING_CONTROL_LENGTH;
    uint8_t frame[HM_CHANNEL_FRAME_LENGTH];
    const uint32_t code = 5;
    memcpy(frame, &code, 4);
    memcpy(frame + 4, &flags, 4);
    memcpy(frame + 8, &data_length, 4);
    memcpy(frame + 12, &table_offset, 4);
    memcpy(frame + 16, &object_count, 4);
    memcpy(frame + 20, &fd_count, 2);
    frame[22] = pointer_size;
    frame[23] = version;
    memcpy(frame + 24, &tag, 8);
    memcpy(record + 8, frame, sizeof frame);
    memset(record + 8 + sizeof frame, 0, payload);
    const uint32_t length = 8 + HM_CHANNEL_FRAME_LENGTH + payload;
    const int32_t header[2] = {(int32_t)length, HM_CHANNEL_RECORD_MESSAGE};
    memcpy(record, header, sizeof header);
    put_u64(ring, (length + 7u) & ~7u); /* tail */
}

/* Object-table entries are size_t: a table offset that is not aligned to one, and the fewest entries that do not
 * fit after the 8 data bytes of a 16-byte payload. */
#if SIZE_MAX > UINT32_MAX
#define MISALIGNED_TABLE 12u
#define MISALIGNED_TABLE_TEXT "table_offset=12"
#define TABLE_TOO_LONG 2u
#define TABLE_TOO_LONG_TEXT "object_count=2 must fit the 16 payload bytes"
#else
#define MISALIGNED_TABLE 10u
#define MISALIGNED_TABLE_TEXT "table_offset=10"
#define TABLE_TOO_LONG 3u
#define TABLE_TOO_LONG_TEXT "object_count=3 must fit the 16 payload bytes"
#endif

/* A frame that breaks the rules is skipped with -EBADMSG and the field named; the channel goes on. */
static void bad_frames_are_skipped_with_the_field_named(void)
{
    static const struct {
        uint32_t flags, data_length, table_offset, object_count;
        uint16_t fd_count;
        uint8_t pointer_size, version;
        uint64_t tag;
        const char *named;
    } frames[] = {
        {0, 8, 0, 0, 0, 8, 0, 0, "version=0 must be 1"},
        {0, 4000, 0, 0, 0, 8, 1, 0, "data_length=4000 exceeds the 16 payload bytes"},
        {0, 8, 0, 0, 65, 8, 1, 1, "fd_count=65 (at most 64)"},
        {0, 8, 0, 0, 1, 8, 1, 0, "fd_tag=0 (non-zero exactly when there are fds)"},
        {0, 8, 0, 0, 1, 8, 1, 99, "fd_tag=99 fd_count=1: no batch with this tag and count"},
        {HM_CHANNEL_FLAG_IPCIO, 8, 8, 0, 0, 3, 1, 0, "pointer_size=3"},
        {HM_CHANNEL_FLAG_IPCIO, 8, MISALIGNED_TABLE, 1, 0, sizeof(size_t), 1, 0, MISALIGNED_TABLE_TEXT},
        {HM_CHANNEL_FLAG_IPCIO, 8, 8, TABLE_TOO_LONG, 0, sizeof(size_t), 1, 0, TABLE_TOO_LONG_TEXT},
        {HM_CHANNEL_FLAG_IPCIO, 8, 8, 0x20000000u, 0, sizeof(size_t), 1, 0, "object_count=536870912"},
    };
    for (size_t i = 0; i < sizeof frames / sizeof frames[0]; i++) {
        pair p;
        if (open_pair(&p) != 0) {
            HM_CHECK(0);
            return;
        }
        put_frame(&p, frames[i].flags, frames[i].data_length, frames[i].table_offset, frames[i].object_count,
                  frames[i].fd_count, frames[i].pointer_size, frames[i].version, frames[i].tag, 16);
        hm_channel_received message;
        HM_CHECK_INT_EQ(hm_channel_receive(p.server, 0, &message), -EBADMSG);
        HM_CHECK_STR_CONTAINS(hm_channel_last_error(p.server), frames[i].named);
        /* The channel goes on: the next message arrives. */
        HM_CHECK_INT_EQ(hm_channel_send(p.client, 6, "next", 4, NULL, 0, INT64_C(1000000000)), 0);
        HM_CHECK_INT_EQ(hm_channel_receive(p.server, INT64_C(1000000000), &message), 0);
        HM_CHECK(message.code == 6 && message.length == 4);
        hm_channel_release(p.server, &message);
        close_pair(&p);
    }
}

/* A record header that breaks the ring's rules gives the channel up: -EPROTO with the reason, the channel shut
 * down (the peer's waits end with -EPIPE) and every later receive -EPROTO again. */
static void a_broken_receive_ring_gives_the_channel_up(void)
{
    pair p;
    if (open_pair(&p) != 0) {
        HM_CHECK(0);
        return;
    }
    uint8_t *ring = receive_ring(&p);
    const int32_t header[2] = {4, HM_CHANNEL_RECORD_MESSAGE};
    memcpy(ring + HM_RING_CONTROL_LENGTH, header, sizeof header);
    put_u64(ring, 8);
    hm_channel_received message;
    HM_CHECK_INT_EQ(hm_channel_receive(p.server, 0, &message), -EPROTO);
    HM_CHECK_STR_CONTAINS(hm_channel_last_error(p.server), "receive ring 0: record at position 0: length=4 must be 8..4096");
    HM_CHECK_INT_EQ(hm_channel_wait_readable(p.client, INT64_C(1000000000)), -EPIPE);
    HM_CHECK_INT_EQ(hm_channel_receive(p.server, 0, &message), -EPROTO);
    close_pair(&p);
}

/* A non-IpcIo message asked for as IpcIo is -ENOMSG and stays for the caller to release. */
static void receive_ipcio_of_raw_bytes_is_no_message(void)
{
    pair p;
    if (open_pair(&p) != 0) {
        HM_CHECK(0);
        return;
    }
    HM_CHECK_INT_EQ(hm_channel_send(p.client, 8, "raw", 3, NULL, 0, INT64_C(1000000000)), 0);
    IpcIo io;
    hm_channel_received message;
    HM_CHECK_INT_EQ(hm_channel_receive_ipcio(p.server, INT64_C(1000000000), &io, &message), -ENOMSG);
    HM_CHECK(message.code == 8 && message.length == 3);
    HM_CHECK_INT_EQ(hm_channel_release(p.server, &message), 0);
    close_pair(&p);
}

/* A claim by a live process that never commits (here: our own pid) keeps the head "not yet", and the wait returns
 * at once for it while it spins: the receive still ends at its deadline, and a receive without one ends when the
 * peer goes away. */
static void a_claim_that_never_commits_cannot_hold_a_receive(void)
{
    pair p;
    if (open_pair(&p) != 0) {
        HM_CHECK(0);
        return;
    }
    uint8_t *ring = receive_ring(&p);
    const int32_t claimed[2] = {-64, (int32_t)getpid()};
    memcpy(ring + HM_RING_CONTROL_LENGTH, claimed, sizeof claimed);
    put_u64(ring, 64);
    hm_channel_received message;
    int64_t start = now_ns();
    HM_CHECK_INT_EQ(hm_channel_receive(p.server, INT64_C(50000000), &message), -ETIMEDOUT);
    int64_t elapsed = now_ns() - start;
    HM_CHECK(elapsed >= INT64_C(50000000) && elapsed < INT64_C(2000000000));
    /* No deadline: the peer shutting the channel down ends the receive. */
    hm_channel_shutdown(p.client);
    start = now_ns();
    HM_CHECK_INT_EQ(hm_channel_receive(p.server, -1, &message), -EPIPE);
    HM_CHECK(now_ns() - start < INT64_C(2000000000));
    close_pair(&p);
}

int main(void)
{
    /* A receive that loops for ever ends the run (ctest reports the signal). */
    alarm(60);
    HM_RUN(bad_frames_are_skipped_with_the_field_named);
    HM_RUN(a_broken_receive_ring_gives_the_channel_up);
    HM_RUN(receive_ipcio_of_raw_bytes_is_no_message);
    HM_RUN(a_claim_that_never_commits_cannot_hold_a_receive);
    return HM_TEST_SUMMARY();
}
