/*
 * Channels between real processes: echo traffic, identity from SO_PEERCRED, fds with SCM_RIGHTS, IpcIo messages
 * marshalled into the slot (with an fd and memfd raw data), a peer killed with SIGKILL while the other side waits,
 * clean close, and no fd or mapping leaks.
 */
#include <harmonia/channel.h>
#include <harmonia/ipcio.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hm_test.h"

static char address[64];

static int64_t now_ns(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * INT64_C(1000000000) + now.tv_nsec;
}

static int wait_child(pid_t pid)
{
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void next_address(void)
{
    static int counter;
    snprintf(address, sizeof address, "@harmonia-test-channel-%d-%d", (int)getpid(), counter++);
}

static hm_channel_listener *listen_here(void)
{
    next_address();
    hm_channel_listener *listener = NULL;
    hm_error err = {{0}};
    int rc = hm_channel_listen(address, &err, &listener);
    if (rc != 0)
        fprintf(stderr, "listen: %d %s\n", rc, err.message);
    return listener;
}

/* Child: connect, send `count` numbered messages, expect each echoed back doubled. */
static int echo_client(int count)
{
    hm_channel *channel = NULL;
    hm_error err = {{0}};
    if (hm_channel_connect(address, INT64_C(5000000000), &err, &channel) != 0) {
        fprintf(stderr, "connect: %s\n", err.message);
        return 1;
    }
    hm_peer_credentials server;
    hm_channel_peer(channel, &server);
    if (server.pid != getppid())
        return 2;
    for (int i = 0; i < count; i++) {
        uint64_t value = (uint64_t)i;
        if (hm_channel_send(channel, 100, &value, sizeof value, NULL, 0, INT64_C(5000000000)) != 0)
            return 3;
        hm_channel_received reply;
        if (hm_channel_receive(channel, INT64_C(5000000000), &reply) != 0)
            return 4;
        uint64_t doubled;
        memcpy(&doubled, reply.data, sizeof doubled);
        int ok = reply.code == 101 && reply.length == sizeof doubled && doubled == 2 * value;
        hm_channel_release(channel, &reply);
        if (!ok)
            return 5;
    }
    hm_channel_close(channel);
    return 0;
}

static void echo_between_processes_with_identity(void)
{
    hm_channel_listener *listener = listen_here();
    pid_t child = fork();
    if (child == 0)
        _exit(echo_client(2000));
    hm_channel *channel = NULL;
    hm_error err = {{0}};
    HM_CHECK_INT_EQ(hm_channel_accept(listener, 0, INT64_C(5000000000), &err, &channel), 0);
    hm_peer_credentials peer;
    HM_CHECK_INT_EQ(hm_channel_peer(channel, &peer), 0);
    HM_CHECK_INT_EQ(peer.pid, child);
    HM_CHECK_INT_EQ(peer.uid, getuid());
    HM_CHECK_INT_EQ(peer.gid, getgid());
    int served = 0;
    for (;;) {
        hm_channel_received request;
        int rc = hm_channel_receive(channel, INT64_C(5000000000), &request);
        if (rc != 0) {
            HM_CHECK_INT_EQ(rc, -EPIPE); /* the client closed cleanly */
            break;
        }
        uint64_t value;
        memcpy(&value, request.data, sizeof value);
        HM_CHECK_INT_EQ(request.code, 100);
        hm_channel_release(channel, &request);
        value *= 2;
        HM_CHECK_INT_EQ(hm_channel_send(channel, 101, &value, sizeof value, NULL, 0, INT64_C(5000000000)), 0);
        served++;
    }
    HM_CHECK_INT_EQ(served, 2000);
    HM_CHECK_INT_EQ(wait_child(child), 0);
    hm_channel_close(channel);
    hm_channel_listener_close(listener);
}

static void fds_travel_with_scm_rights(void)
{
    hm_channel_listener *listener = listen_here();
    pid_t child = fork();
    if (child == 0) {
        hm_channel *channel = NULL;
        if (hm_channel_connect(address, INT64_C(5000000000), NULL, &channel) != 0)
            _exit(1);
        int pipe_fds[2];
        if (pipe(pipe_fds) != 0)
            _exit(2);
        int32_t fds[2] = {pipe_fds[1], pipe_fds[1]};
        if (hm_channel_send(channel, 7, "fd", 2, fds, 2, INT64_C(5000000000)) != 0)
            _exit(3);
        close(pipe_fds[1]);
        char buffer[16] = {0};
        /* The server writes through both received fds, then closes them: we see EOF after its bytes. */
        ssize_t total = 0, got;
        while ((got = read(pipe_fds[0], buffer + total, sizeof buffer - 1 - (size_t)total)) > 0)
            total += got;
        hm_channel_close(channel);
        _exit(strcmp(buffer, "helloagain") == 0 ? 0 : 4);
    }
    hm_channel *channel = NULL;
    HM_CHECK_INT_EQ(hm_channel_accept(listener, 0, INT64_C(5000000000), NULL, &channel), 0);
    hm_channel_received message;
    HM_CHECK_INT_EQ(hm_channel_receive(channel, INT64_C(5000000000), &message), 0);
    HM_CHECK_INT_EQ(message.fd_count, 2);
    HM_CHECK(message.fds[0] >= 0 && message.fds[1] >= 0 && message.fds[0] != message.fds[1]);
    HM_CHECK(fcntl(message.fds[0], F_GETFD) & FD_CLOEXEC);
    HM_CHECK(write(message.fds[0], "hello", 5) == 5);
    HM_CHECK(write(message.fds[1], "again", 5) == 5);
    HM_CHECK_INT_EQ(hm_channel_release(channel, &message), 0); /* closes both */
    HM_CHECK_INT_EQ(wait_child(child), 0);
    hm_channel_close(channel);
    hm_channel_listener_close(listener);
}

static void ipcio_is_marshalled_into_the_slot_and_read_in_place(void)
{
    hm_channel_listener *listener = listen_here();
    pid_t child = fork();
    if (child == 0) {
        hm_channel *channel = NULL;
        if (hm_channel_connect(address, INT64_C(5000000000), NULL, &channel) != 0)
            _exit(1);
        IpcIo io;
        hm_channel_message message;
        if (hm_channel_claim_ipcio(channel, 4096, 4, INT64_C(5000000000), &io, &message) != 0)
            _exit(2);
        int pipe_fds[2];
        if (pipe(pipe_fds) != 0)
            _exit(3);
        static uint8_t raw[100000];
        for (size_t i = 0; i < sizeof raw; i++)
            raw[i] = (uint8_t)(i * 7);
        if (!WriteInt32(&io, 42) || !WriteString(&io, "harmonia") || !WriteFileDescriptor(&io, pipe_fds[1]) ||
            !WriteRawData(&io, raw, sizeof raw))
            _exit(4);
        if (hm_channel_commit_ipcio(channel, &message, &io, 9) != 0)
            _exit(5);
        close(pipe_fds[1]);
        char buffer[8] = {0};
        ssize_t got = read(pipe_fds[0], buffer, sizeof buffer - 1);
        hm_channel_close(channel);
        _exit(got == 4 && strcmp(buffer, "pong") == 0 ? 0 : 6);
    }
    hm_channel *channel = NULL;
    HM_CHECK_INT_EQ(hm_channel_accept(listener, 0, INT64_C(5000000000), NULL, &channel), 0);
    IpcIo io;
    hm_channel_received message;
    HM_CHECK_INT_EQ(hm_channel_receive_ipcio(channel, INT64_C(5000000000), &io, &message), 0);
    HM_CHECK_INT_EQ(message.code, 9);
    int32_t number = 0;
    HM_CHECK(ReadInt32(&io, &number));
    HM_CHECK_INT_EQ(number, 42);
    size_t length = 0;
    const char *text = (const char *)ReadString(&io, &length);
    HM_CHECK(text && strcmp(text, "harmonia") == 0);
    /* In place: the string points into the shared region, not into a copy. */
    HM_CHECK((const uint8_t *)text > (const uint8_t *)hm_region_base(hm_channel_region(channel)) &&
             (const uint8_t *)text < (const uint8_t *)hm_region_base(hm_channel_region(channel)) +
                                         hm_region_length(hm_channel_region(channel)));
    int fd = ReadFileDescriptor(&io);
    HM_CHECK(fd >= 0);
    HM_CHECK(write(fd, "pong", 4) == 4);
    close(fd);
    const uint8_t *raw = ReadRawData(&io, 100000);
    HM_CHECK(raw != NULL);
    int raw_ok = raw != NULL;
    for (size_t i = 0; raw && i < 100000; i++)
        raw_ok = raw_ok && raw[i] == (uint8_t)(i * 7);
    HM_CHECK(raw_ok);
    HM_CHECK_INT_EQ(hm_channel_release(channel, &message), 0);
    HM_CHECK_INT_EQ(wait_child(child), 0);
    hm_channel_close(channel);
    hm_channel_listener_close(listener);
}

/* The client connects, reports, then hangs until it is killed. */
static pid_t hanging_client(int ready_fd, uint32_t fill)
{
    pid_t child = fork();
    if (child == 0) {
        hm_channel *channel = NULL;
        if (hm_channel_connect(address, INT64_C(5000000000), NULL, &channel) != 0)
            _exit(1);
        (void)fill;
        (void)!write(ready_fd, "r", 1);
        for (;;)
            pause();
    }
    return child;
}

static void a_killed_peer_turns_waiters_into_dead_peer_errors(void)
{
    hm_channel_listener *listener = listen_here();
    int ready[2];
    HM_CHECK(pipe(ready) == 0);
    pid_t child = hanging_client(ready[1], 0);
    hm_channel *channel = NULL;
    HM_CHECK_INT_EQ(hm_channel_accept(listener, 4096, INT64_C(5000000000), NULL, &channel), 0);
    char byte;
    HM_CHECK(read(ready[0], &byte, 1) == 1);
    /* A receiver waits (no message comes); a sender fills the reply ring and then waits for space. */
    uint8_t payload[200] = {0};
    while (hm_channel_send(channel, 1, payload, sizeof payload, NULL, 0, 0) == 0) {
    }
    pid_t killer = fork();
    if (killer == 0) {
        usleep(100000);
        kill(child, SIGKILL);
        _exit(0);
    }
    hm_channel_received message;
    int64_t start = now_ns();
    HM_CHECK_INT_EQ(hm_channel_receive(channel, INT64_C(10000000000), &message), -ECONNRESET);
    int64_t waited = now_ns() - start;
    printf("dead peer seen %.1f ms after the wait began (the kill came at ~100 ms)\n", (double)waited / 1e6);
    HM_CHECK(waited < INT64_C(1000000000)); /* ~100 ms until the kill, then a few ms */
    start = now_ns();
    hm_channel_message claim;
    HM_CHECK_INT_EQ(hm_channel_claim(channel, sizeof payload, INT64_C(10000000000), &claim), -ECONNRESET);
    /* Milliseconds in practice; the bound leaves room for a heavily loaded CI machine. */
    HM_CHECK(now_ns() - start < INT64_C(500000000));
    HM_CHECK_INT_EQ(wait_child(killer), 0);
    HM_CHECK_INT_EQ(wait_child(child), 128 + SIGKILL);
    hm_channel_close(channel);
    hm_channel_listener_close(listener);
    close(ready[0]);
    close(ready[1]);
}

static void close_is_clean_and_idempotent(void)
{
    hm_channel_listener *listener = listen_here();
    int ready[2];
    HM_CHECK(pipe(ready) == 0);
    pid_t child = hanging_client(ready[1], 0);
    hm_channel *channel = NULL;
    HM_CHECK_INT_EQ(hm_channel_accept(listener, 0, INT64_C(5000000000), NULL, &channel), 0);
    char byte;
    HM_CHECK(read(ready[0], &byte, 1) == 1);
    hm_channel_shutdown(channel);
    hm_channel_shutdown(channel);
    hm_channel_received message;
    HM_CHECK_INT_EQ(hm_channel_receive(channel, INT64_C(1000000000), &message), -EPIPE);
    HM_CHECK_INT_EQ(hm_channel_send(channel, 1, "x", 1, NULL, 0, 0), -EPIPE);
    hm_channel_close(channel);
    hm_channel_close(NULL);
    kill(child, SIGKILL);
    HM_CHECK_INT_EQ(wait_child(child), 128 + SIGKILL);
    hm_channel_listener_close(listener);
    close(ready[0]);
    close(ready[1]);
}

/* The wait of a watched channel parks long, ends at its deadline, and wakes at once when another thread (the
 * watcher, on a hang-up) shuts the channel down. */
static void *shutdown_later(void *argument)
{
    usleep(50000);
    hm_channel_shutdown(argument);
    return NULL;
}

static void a_watched_channel_waits_until_shut_down(void)
{
    hm_channel_listener *listener = listen_here();
    int ready[2];
    HM_CHECK(pipe(ready) == 0);
    pid_t child = hanging_client(ready[1], 0);
    hm_channel *channel = NULL;
    HM_CHECK_INT_EQ(hm_channel_accept(listener, 0, INT64_C(5000000000), NULL, &channel), 0);
    char byte;
    HM_CHECK(read(ready[0], &byte, 1) == 1);
    hm_channel_set_watched(channel, 1);
    int64_t start = now_ns();
    HM_CHECK_INT_EQ(hm_channel_wait_readable(channel, INT64_C(30000000)), -ETIMEDOUT);
    int64_t waited = now_ns() - start;
    HM_CHECK(waited >= INT64_C(29000000) && waited < INT64_C(500000000)); /* the deadline, not a 200 ms slice */
    pthread_t closer;
    HM_CHECK_INT_EQ(pthread_create(&closer, NULL, shutdown_later, channel), 0);
    start = now_ns();
    HM_CHECK_INT_EQ(hm_channel_wait_readable(channel, INT64_C(10000000000)), -EPIPE);
    waited = now_ns() - start;
    printf("a watched wait ended %.1f ms after it began (the shutdown came at ~50 ms)\n", (double)waited / 1e6);
    HM_CHECK(waited < INT64_C(1000000000));
    pthread_join(closer, NULL);
    hm_channel_close(channel);
    kill(child, SIGKILL);
    HM_CHECK_INT_EQ(wait_child(child), 128 + SIGKILL);
    hm_channel_listener_close(listener);
    close(ready[0]);
    close(ready[1]);
}

static int count_lines(const char *path)
{
    FILE *file = fopen(path, "re");
    int lines = 0;
    char line[512];
    while (file && fgets(line, sizeof line, file))
        lines++;
    if (file)
        fclose(file);
    return lines;
}

static int count_fds(void)
{
    int count = 0;
    for (int fd = 0; fd < 1024; fd++)
        if (fcntl(fd, F_GETFD) != -1)
            count++;
    return count;
}

static void *connect_and_close(void *arg)
{
    (void)arg;
    hm_channel *channel = NULL;
    if (hm_channel_connect(address, INT64_C(5000000000), NULL, &channel) == 0) {
        int32_t fd = 0;
        hm_channel_send(channel, 1, "leak?", 5, &fd, 1, INT64_C(1000000000));
        hm_channel_close(channel);
    }
    return NULL;
}

static void nothing_leaks(void)
{
    hm_channel_listener *listener = listen_here();
    /* One warm-up round so lazily created things (stdio, thread stacks) are not counted. */
    for (int round = 0; round < 21; round++) {
        static int fds_before, maps_before;
        if (round == 1) {
            fds_before = count_fds();
            maps_before = count_lines("/proc/self/maps");
        }
        pthread_t client;
        pthread_create(&client, NULL, connect_and_close, NULL);
        hm_channel *channel = NULL;
        HM_CHECK_INT_EQ(hm_channel_accept(listener, 4096, INT64_C(5000000000), NULL, &channel), 0);
        pthread_join(client, NULL);
        hm_channel_received message;
        /* The client committed a message with an fd and closed: the message is still delivered, then EPIPE. */
        HM_CHECK_INT_EQ(hm_channel_receive(channel, INT64_C(1000000000), &message), 0);
        HM_CHECK_INT_EQ(message.fd_count, 1);
        hm_channel_release(channel, &message);
        HM_CHECK_INT_EQ(hm_channel_receive(channel, INT64_C(1000000000), &message), -EPIPE);
        hm_channel_close(channel);
        if (round == 20) {
            HM_CHECK_INT_EQ(count_fds(), fds_before);
            HM_CHECK_INT_EQ(count_lines("/proc/self/maps"), maps_before);
        }
    }
    hm_channel_listener_close(listener);
}

static void bad_addresses_and_hellos_are_refused(void)
{
    hm_error err = {{0}};
    hm_channel *channel = NULL;
    hm_channel_listener *listener = NULL;
    char long_name[200];
    memset(long_name, 'x', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = 0;
    HM_CHECK_INT_EQ(hm_channel_listen(long_name, &err, &listener), -ENAMETOOLONG);
    HM_CHECK(strstr(err.message, "the limit is 107") != NULL);
    HM_CHECK_INT_EQ(hm_channel_listen("", &err, &listener), -EINVAL);
    next_address();
    HM_CHECK_INT_EQ(hm_channel_connect(address, INT64_C(1000000000), &err, &channel), -ECONNREFUSED);
    HM_CHECK(channel == NULL);

    /* A server that answers with junk instead of a region. */
    next_address();
    int server = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    memcpy(sun.sun_path + 1, address + 1, strlen(address) - 1);
    HM_CHECK(bind(server, (struct sockaddr *)&sun, (socklen_t)(sizeof(sa_family_t) + strlen(address))) == 0);
    HM_CHECK(listen(server, 1) == 0);
    pid_t child = fork();
    if (child == 0) {
        int client = accept(server, NULL, NULL);
        (void)!write(client, "not a region", 12);
        usleep(200000);
        _exit(0);
    }
    HM_CHECK_INT_EQ(hm_channel_connect(address, INT64_C(2000000000), &err, &channel), -EPROTO);
    HM_CHECK(strstr(err.message, "hello was malformed") != NULL);
    HM_CHECK_INT_EQ(wait_child(child), 0);
    close(server);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    HM_RUN(echo_between_processes_with_identity);
    HM_RUN(fds_travel_with_scm_rights);
    HM_RUN(ipcio_is_marshalled_into_the_slot_and_read_in_place);
    HM_RUN(a_killed_peer_turns_waiters_into_dead_peer_errors);
    HM_RUN(close_is_clean_and_idempotent);
    HM_RUN(a_watched_channel_waits_until_shut_down);
    HM_RUN(nothing_leaks);
    HM_RUN(bad_addresses_and_hellos_are_refused);
    return HM_TEST_SUMMARY();
}
