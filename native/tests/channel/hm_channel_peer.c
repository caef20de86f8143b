/*
 * The C side of the Java channel tests and benchmarks, run as a separate process. Modes:
 *   echo-server <address> <count>       listen, print "listening", accept one client, echo <count> messages (code+1),
 *                                       then wait until the client goes away; <count> 0 echoes until then
 *   echo-client <address> <count> <size> connect, send <count> messages of <size> bytes, check each echo
 *   connect-and-hang <address>          connect, print "connected <server pid>", wait to be killed
 */
#include <harmonia/channel.h>

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
    fprintf(stderr, "usage: hm_channel_peer echo-server|echo-client|connect-and-hang ...\n");
    return 2;
}
