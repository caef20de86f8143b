/*
 * The endpoint of this process (harmonia/rpc.h): started on first use, it listens at
 * @harmonia.rpc.<pid>.<16 random hex digits> (an abstract address: the capability check, not file modes, is the
 * access control) and gives every accepted connection a reader thread (connection.c). Proxies name another
 * process's object; the last reference to one sends RELEASE to its owner.
 */
#include "rpc_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

rpc_endpoint g_rpc = {.lock = PTHREAD_MUTEX_INITIALIZER};

static pthread_once_t g_start_once = PTHREAD_ONCE_INIT;
static int g_start_rc;

uint64_t rpc_random64(void)
{
    uint64_t value = 0;
    size_t have = 0;
    while (have < sizeof(value)) {
        ssize_t got = getrandom((uint8_t *)&value + have, sizeof(value) - have, 0);
        if (got > 0) {
            have += (size_t)got;
        } else if (errno != EINTR) {
            break;
        }
    }
    return value;
}

static void *accept_loop(void *arg)
{
    (void)arg;
    for (;;) {
        hm_channel *channel = NULL;
        int rc = hm_channel_accept(g_rpc.listener, 0, INT64_C(200000000), NULL, &channel);
        if (rc == 0) {
            rpc_accept(channel);
        } else if (rc != -ETIMEDOUT && rc != -EINTR && rc != -EAGAIN) {
            usleep(1000); /* a client that went away mid-accept, or no fds left: try again */
        }
    }
    return NULL;
}

static void start_once(void)
{
    g_rpc.pid = (int32_t)getpid();
    g_rpc.instance = rpc_random64();
    snprintf(g_rpc.address, sizeof(g_rpc.address), "@harmonia.rpc.%d.%016" PRIx64, (int)g_rpc.pid,
             rpc_random64());
    hm_error err;
    g_start_rc = hm_channel_listen(g_rpc.address, &err, &g_rpc.listener);
    if (g_start_rc != 0) {
        return;
    }
    pthread_t acceptor;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int rc = pthread_create(&acceptor, &attr, accept_loop, NULL);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        hm_channel_listener_close(g_rpc.listener);
        g_rpc.listener = NULL;
        g_start_rc = -rc;
    }
}

int rpc_start(void)
{
    pthread_once(&g_start_once, start_once);
    return g_start_rc;
}

int hm_rpc_endpoint_address(const char **ret_address)
{
    int rc = rpc_start();
    if (rc == 0 && ret_address != NULL) {
        *ret_address = g_rpc.address;
    }
    return rc;
}

int hm_rpc_connect(const char *address, int64_t timeout_ns, hm_rpc_proxy **ret_proxy)
{
    if (address == NULL || ret_proxy == NULL || strlen(address) > HM_RPC_MAX_ADDRESS) {
        return -EINVAL;
    }
    rpc_conn *conn = NULL;
    int rc = rpc_outgoing(address, 0, &conn);
    if (rc != 0) {
        return rc;
    }
    uint8_t header[HM_RPC_CALL_HEADER + HM_RPC_CHAIN_ENTRY] = {0};
    hm_rpc_store32(header + 24, 1); /* MIN_TRANSACTION_ID; object id 0 is the published root */
    hm_rpc_store32(header + 44, 1);
    hm_rpc_store64(header + HM_RPC_CALL_HEADER, (uint64_t)g_rpc.pid);
    int32_t status = 0;
    rpc_body *body = NULL;
    rpc_call_frame(conn, HM_RPC_CALL, NULL, header, sizeof(header), NULL, 0, timeout_ns, &status, &body);
    rc = status != HM_RPC_OK ? -ECONNREFUSED : 0;
    if (rc == 0) {
        /* The root reference came from its owner over this connection: it is the owner's endpoint too. */
        rc = rpc_body_proxy(body, 1, ret_proxy);
    }
    rpc_body_free(body);
    rpc_conn_unref(conn);
    return rc;
}

static void fill_call_header(uint8_t *header, uint64_t object_id, uint32_t code, uint32_t flags)
{
    memset(header, 0, HM_RPC_CALL_HEADER + HM_RPC_CHAIN_ENTRY);
    hm_rpc_store64(header + 8, object_id);
    hm_rpc_store32(header + 24, code);
    hm_rpc_store32(header + 28, flags & HM_RPC_OPTION_FLAGS);
    hm_rpc_store32(header + 44, 1);
    hm_rpc_store64(header + HM_RPC_CALL_HEADER, (uint64_t)g_rpc.pid);
}

int hm_rpc_call(hm_rpc_proxy *proxy, uint32_t code, const IpcIo *request, hm_rpc_object *const *objects,
                uint32_t object_count, int64_t timeout_ns, hm_rpc_reply *ret_reply)
{
    if (proxy == NULL || ret_reply == NULL || (object_count != 0 && objects == NULL)) {
        return -EINVAL;
    }
    memset(ret_reply, 0, sizeof(*ret_reply));
    uint8_t header[HM_RPC_CALL_HEADER + HM_RPC_CHAIN_ENTRY];
    fill_call_header(header, proxy->object_id, code, 0);
    rpc_body *body = NULL;
    rpc_call_frame(proxy->conn, HM_RPC_CALL, request, header, sizeof(header), objects, object_count, timeout_ns,
                   &ret_reply->status, &body);
    if (body != NULL) {
        ret_reply->data = body->io;
        ret_reply->body = body;
    }
    return 0;
}

int32_t hm_rpc_send_one_way(hm_rpc_proxy *proxy, uint32_t code, const IpcIo *request, int64_t timeout_ns)
{
    if (proxy == NULL) {
        return -EINVAL;
    }
    if (proxy->conn->closed) {
        return HM_RPC_DEAD_OBJECT;
    }
    uint8_t header[HM_RPC_CALL_HEADER + HM_RPC_CHAIN_ENTRY];
    fill_call_header(header, proxy->object_id, code, HM_RPC_TF_ASYNC);
    int32_t status = rpc_send_body(proxy->conn, HM_RPC_ONEWAY, header, sizeof(header), 32, request, NULL, 0,
                                   timeout_ns);
    if (status == HM_RPC_DEAD_OBJECT) {
        rpc_conn_close(proxy->conn);
    }
    return status;
}

int hm_rpc_reply_proxy(hm_rpc_reply *reply, int32_t handle, hm_rpc_proxy **ret_proxy)
{
    if (reply == NULL || ret_proxy == NULL) {
        return -EINVAL;
    }
    return rpc_body_proxy(reply->body, handle, ret_proxy);
}

void hm_rpc_reply_release(hm_rpc_reply *reply)
{
    if (reply != NULL) {
        rpc_body_free(reply->body);
        reply->body = NULL;
    }
}

void hm_rpc_proxy_acquire(hm_rpc_proxy *proxy)
{
    pthread_mutex_lock(&g_rpc.lock);
    proxy->refs++;
    pthread_mutex_unlock(&g_rpc.lock);
}

void hm_rpc_proxy_release(hm_rpc_proxy *proxy)
{
    if (proxy == NULL) {
        return;
    }
    pthread_mutex_lock(&g_rpc.lock);
    bool last = --proxy->refs == 0;
    if (last) {
        for (hm_rpc_proxy **link = &g_rpc.proxies; *link != NULL; link = &(*link)->next) {
            if (*link == proxy) {
                *link = proxy->next;
                break;
            }
        }
    }
    pthread_mutex_unlock(&g_rpc.lock);
    if (!last) {
        return;
    }
    if (!proxy->conn->closed) {
        uint64_t words[2] = {proxy->object_id, 1};
        rpc_send_words(proxy->conn, HM_RPC_RELEASE, words, 2);
    }
    rpc_conn_unref(proxy->conn);
    free(proxy);
}

bool hm_rpc_proxy_dead(const hm_rpc_proxy *proxy)
{
    return proxy == NULL || proxy->conn->closed;
}

int32_t hm_rpc_proxy_owner_pid(const hm_rpc_proxy *proxy)
{
    return proxy == NULL ? -1 : proxy->owner_pid;
}

uint64_t hm_rpc_proxy_object_id(const hm_rpc_proxy *proxy)
{
    return proxy == NULL ? 0 : proxy->object_id;
}
