/*
 * The C side of the Java channel tests and benchmarks, run as a separate process. Modes:
 *   echo-server <address> <count>       listen, print "listening", accept one client, echo <count> messages (code+1),
 *                                       then wait until the client goes away; <count> 0 echoes until then
 *   echo-client <address> <count> <size> connect, send <count> messages of <size> bytes, check each echo
 *   connect-and-hang <address>          connect, print "connected <server pid>", wait to be killed
 *   ipcio-echo-server <address> <count> listen, print "listening", accept one client and answer <count> IpcIo
 *                                       messages (format below), then print "served <count> fds <before> <after>
 *                                       maps <before> <after>" (this process's open fds and mappings)
 *   ipcio-die-mid-message <address>     connect, claim an IpcIo slot, write part of it, send one fd ahead of the
 *                                       commit, print "claimed", then kill itself with SIGKILL
 *   hostile-client <address> <seconds> <seed>
 *                                       connect again and again and write anything into each channel's region
 *                                       (hostile_peer.h) for <seconds>; prints "connections <n>"
 *
 * IpcIo request: int32 seq; string; fd (a file holding "file <seq>"); int64 st_ino of that fd; int32 size; raw
 * data of <size> bytes, byte i = i * 7 + seq. Reply: int32 seq; int64 st_ino of the fd as received here; string:
 * the file's bytes as read here; int32 1 when every raw byte matched; fd (a memfd of ours holding "peer <seq>");
 * int64 its st_ino; raw data of 40000 bytes, byte i = i * 13 + seq.
 */
#include <harmonia/channel.h>
#include <harmonia/ipcio.h>

#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hostile_peer.h"

#define REPLY_RAW_SIZE 40000u

static int echo(hm_channel *channel, uint64_t count)
{
    for (uint64_t i = 0; count == 0 || i < count; i++) {
        hm_channel_received request;
        int rc = hm_channel_receive(channel, -1, &request);
        if (rc != 0)
            return count == 0 ? 0 : 1;
        hm_channel_message reply;
        rc = hm_channel_claim(channel, request.length, INT64_C(10000000000), &reply);
        if (rc != 0)
            return 2;
        memcpy(reply.data, request.data, request.length);
        uint32_t code = request.code + 1, length = request.length;
        hm_channel_release(channel, &request);
        if (hm_channel_commit(channel, &reply, code, 0, length, NULL, 0) != 0)
            return 3;
    }
    return 0;
}

static int count_entries(const char *path)
{
    DIR *dir = opendir(path);
    if (!dir)
        return -1;
    int entries = 0;
    while (readdir(dir))
        entries++;
    closedir(dir);
    return entries;
}

static int count_lines(const char *path)
{
    FILE *file = fopen(path, "re");
    if (!file)
        return -1;
    int lines = 0;
    for (int c; (c = fgetc(file)) != EOF;)
        lines += c == '\n';
    fclose(file);
    return lines;
}

/* Reads one request (see the top of the file) and sends its reply. 0, or the step that failed. */
static int answer_ipcio(hm_channel *channel)
{
    static uint8_t reply_raw[REPLY_RAW_SIZE];
    IpcIo request;
    hm_channel_received received;
    int received_rc = hm_channel_receive_ipcio(channel, INT64_C(10000000000), &request, &received);
    if (received_rc != 0) {
        fprintf(stderr, "hm_channel_peer: receiving an IpcIo request: %s\n", strerror(-received_rc));
        return 10;
    }
    int32_t seq = 0, raw_size = 0;
    int64_t sender_ino = 0;
    size_t text_length = 0;
    int rc = 0;
    if (!ReadInt32(&request, &seq) || !ReadString(&request, &text_length)) {
        rc = 11;
        goto release;
    }
    int fd = ReadFileDescriptor(&request);
    if (fd < 0 || !ReadInt64(&request, &sender_ino) || !ReadInt32(&request, &raw_size) || raw_size <= 0) {
        rc = 12;
        goto release;
    }
    const uint8_t *raw = ReadRawData(&request, (size_t)raw_size);
    int32_t raw_ok = raw != NULL;
    for (int32_t i = 0; raw && i < raw_size; i++)
        raw_ok = raw_ok && raw[i] == (uint8_t)(i * 7 + seq);
    struct stat st;
    char content[64] = {0};
    if (fstat(fd, &st) != 0 || pread(fd, content, sizeof content - 1, 0) < 0) {
        close(fd);
        rc = 13;
        goto release;
    }
    close(fd); /* ReadFileDescriptor handed it to us */

    int own = memfd_create("hm-channel-peer", MFD_CLOEXEC);
    char own_content[32];
    int own_length = snprintf(own_content, sizeof own_content, "peer %d", (int)seq);
    struct stat own_st;
    if (own < 0 || write(own, own_content, (size_t)own_length) != own_length || fstat(own, &own_st) != 0) {
        rc = 14;
        goto release;
    }
    for (uint32_t i = 0; i < REPLY_RAW_SIZE; i++)
        reply_raw[i] = (uint8_t)(i * 13u + (uint32_t)seq);
    IpcIo reply;
    hm_channel_message message;
    if (hm_channel_claim_ipcio(channel, 1024, 4, INT64_C(10000000000), &reply, &message) != 0) {
        close(own);
        rc = 15;
        goto release;
    }
    if (!WriteInt32(&reply, seq) || !WriteInt64(&reply, (int64_t)st.st_ino) || !WriteString(&reply, content) ||
        !WriteInt32(&reply, raw_ok) || !WriteFileDescriptor(&reply, (uint32_t)own) ||
        !WriteInt64(&reply, (int64_t)own_st.st_ino) || !WriteRawData(&reply, reply_raw, REPLY_RAW_SIZE))
        rc = 16;
    if (hm_channel_commit_ipcio(channel, &message, &reply, 21) != 0 && rc == 0)
        rc = 17;
    close(own); /* the receiver has its own copy now */
release:
    hm_channel_release(channel, &received);
    return rc;
}

static int ipcio_echo_server(const char *address, uint64_t count)
{
    hm_error err = {{0}};
    hm_channel_listener *listener = NULL;
    hm_channel *channel = NULL;
    if (hm_channel_listen(address, &err, &listener) != 0) {
        fprintf(stderr, "hm_channel_peer: %s\n", err.message);
        return 1;
    }
    printf("listening\n");
    if (hm_channel_accept(listener, 0, INT64_C(30000000000), &err, &channel) != 0)
        return 1;
    /* The first message maps what a process maps once (libc's locale data, ...): count after it. */
    int rc = answer_ipcio(channel);
    const int fds_before = count_entries("/proc/self/fd"), maps_before = count_lines("/proc/self/maps");
    for (uint64_t i = 1; rc == 0 && i < count; i++)
        rc = answer_ipcio(channel);
    const int fds_after = count_entries("/proc/self/fd"), maps_after = count_lines("/proc/self/maps");
    if (rc != 0) {
        fprintf(stderr, "hm_channel_peer: IpcIo answer failed at step %d\n", rc);
        return rc;
    }
    printf("served %llu fds %d %d maps %d %d\n", (unsigned long long)count, fds_before, fds_after, maps_before,
           maps_after);
    hm_channel_received last;
    hm_channel_receive(channel, INT64_C(30000000000), &last); /* until the client closes */
    hm_channel_close(channel);
    hm_channel_listener_close(listener);
    return 0;
}

static int ipcio_die_mid_message(const char *address)
{
    hm_channel *channel = NULL;
    if (hm_channel_connect(address, INT64_C(10000000000), NULL, &channel) != 0)
        return 1;
    IpcIo io;
    hm_channel_message message;
    if (hm_channel_claim_ipcio(channel, 4096, 4, INT64_C(10000000000), &io, &message) != 0)
        return 2;
    int fd = memfd_create("hm-channel-peer-dying", MFD_CLOEXEC);
    uint64_t tag = 0;
    if (fd < 0 || !WriteInt32(&io, 7) || !WriteString(&io, "never committed") ||
        !WriteFileDescriptor(&io, (uint32_t)fd) || hm_channel_send_fds(channel, &fd, 1, &tag) != 0)
        return 3;
    printf("claimed\n");
    fflush(stdout);
    raise(SIGKILL);
    return 4;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    signal(SIGPIPE, SIG_IGN);
    hm_error err = {{0}};
    hm_channel *channel = NULL;
    if (argc == 4 && strcmp(argv[1], "echo-server") == 0) {
        hm_channel_listener *listener = NULL;
        if (hm_channel_listen(argv[2], &err, &listener) != 0) {
            fprintf(stderr, "hm_channel_peer: %s\n", err.message);
            return 1;
        }
        printf("listening\n");
        if (hm_channel_accept(listener, 0, INT64_C(30000000000), &err, &channel) != 0)
            return 1;
        int rc = echo(channel, strtoull(argv[3], NULL, 10));
        if (rc == 0) {
            hm_channel_received last;
            hm_channel_receive(channel, INT64_C(30000000000), &last); /* until the client closes */
        }
        hm_channel_close(channel);
        hm_channel_listener_close(listener);
        return rc;
    }
    if (argc == 5 && strcmp(argv[1], "echo-client") == 0) {
        if (hm_channel_connect(argv[2], INT64_C(10000000000), &err, &channel) != 0) {
            fprintf(stderr, "hm_channel_peer: %s\n", err.message);
            return 1;
        }
        uint64_t count = strtoull(argv[3], NULL, 10);
        uint32_t size = (uint32_t)atoi(argv[4]);
        uint8_t *payload = calloc(1, size + 8);
        for (uint64_t i = 0; i < count; i++) {
            memcpy(payload, &i, size < 8 ? size : 8);
            if (hm_channel_send(channel, 10, payload, size, NULL, 0, INT64_C(10000000000)) != 0)
                return 2;
            hm_channel_received reply;
            if (hm_channel_receive(channel, INT64_C(10000000000), &reply) != 0)
                return 3;
            int ok = reply.code == 11 && reply.length == size && memcmp(reply.data, payload, size) == 0;
            hm_channel_release(channel, &reply);
            if (!ok)
                return 4;
        }
        free(payload);
        printf("echoed %llu\n", (unsigned long long)count);
        hm_channel_close(channel);
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "connect-and-hang") == 0) {
        if (hm_channel_connect(argv[2], INT64_C(10000000000), &err, &channel) != 0)
            return 1;
        hm_peer_credentials server;
        hm_channel_peer(channel, &server);
        printf("connected %d\n", (int)server.pid);
        for (;;)
            pause();
    }
    if (argc == 4 && strcmp(argv[1], "ipcio-echo-server") == 0)
        return ipcio_echo_server(argv[2], strtoull(argv[3], NULL, 10));
    if (argc == 3 && strcmp(argv[1], "ipcio-die-mid-message") == 0)
        return ipcio_die_mid_message(argv[2]);
    if (argc == 5 && strcmp(argv[1], "hostile-client") == 0) {
        const int connections = hostile_channel_peer(argv[2], atof(argv[3]), strtoull(argv[4], NULL, 10));
        printf("connections %d\n", connections);
        return connections > 0 ? 0 : 1;
    }
    fprintf(stderr, "usage: hm_channel_peer echo-server|echo-client|connect-and-hang|ipcio-echo-server|"
                    "ipcio-die-mid-message|hostile-client ...\n");
    return 2;
}
