/*
 * samgr_lite across processes in C: the endpoint of this process on the samgr server's protocol
 * (docs/protocols.md, "samgr"), over the C RPC endpoint (harmonia/rpc.h).
 *
 * Provider side: every API of an initialised service that answers SERVER_PROXY_VER gets an RPC object of its own
 * (a feature stub, samgr_lite's router) and is registered (ADD) with the server under (service, feature). The
 * exporter thread sends registrations in the order samgr reported them, retries every 500 ms while the server
 * cannot be reached, and registers everything again with a server that came back. Unregistering the API withdraws
 * it (REMOVE); later calls to the old object answer EC_NOSERVICE.
 *
 * Each call to a stub, on the RPC reader thread: STATS answers the counts; a withdrawn API answers EC_NOSERVICE;
 * a caller whose kernel uid the rules in force (the ADD reply's) keep out gets EC_PERMISSION; .Invoke = NULL
 * answers EC_NOHANDLER; otherwise Invoke runs on the service's task (EC_FLOWCTRL when its queue is full; inline
 * for NO_TASK), with `origin` pointing to the hm_rpc_request (the caller's identity), and the reply is its status
 * followed by what Invoke pushed, or a detail for a failure.
 *
 * Consumer side: GetFeatureApi of a service that is not in this process asks the server (GET, no wait) and wraps
 * the provider's object in a client proxy: the factory's (registry.h) when one is registered, else a plain
 * IClientProxy; both version CLIENT_PROXY_VER, cached per (service, feature) with the cache's reference. Invoke
 * is samgr_lite's: one way without notify, otherwise synchronous with notify(owner, 0, reply) on the calling
 * thread before it returns. A provider found dead is dropped from the cache (its reference released, so the
 * destroyer runs when the users' references go too) and looked up again on the next call or lookup.
 */
#include "samgr_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <harmonia/ipcio.h>
#include <harmonia/rpc.h>
#include <harmonia/samgr.h>

#include "iproxy_client.h"
#include "registry.h"
#include "samgr_wire.h"

#define HM_SAMGR_RETRY_NS INT64_C(500000000)
#define HM_SAMGR_CALL_TIMEOUT_NS INT64_C(8000000000)
#define HM_SAMGR_MAX_FACTORIES 256
#define HM_SAMGR_REQUEST_CAPACITY 512u

typedef struct hm_feature_stub {
    char service[HM_SAMGR_MAX_NAME + 1];
    char feature[HM_SAMGR_MAX_NAME + 1];
    bool has_feature;
    IServerProxy *proxy;
    Identity identity;
    hm_rpc_object *object;
    /* Guarded by g_remote.lock. */
    bool withdrawn;
    bool registered;
    bool remove_pending;
    int32_t refusal;
    hm_samgr_policy policies[HM_SAMGR_MAX_POLICIES];
    uint32_t policy_count;
    int64_t calls;
    int64_t refused;
    int64_t failed;
    struct hm_feature_stub *next;
} hm_feature_stub;

/* The header samgr keeps in front of a client proxy's entry. */
typedef struct hm_client_header {
    char service[HM_SAMGR_MAX_NAME + 1];
    char feature[HM_SAMGR_MAX_NAME + 1];
    bool has_feature;
    Destroyer destroyer;
    uint32_t size;
    /* Guarded by g_remote.lock. */
    hm_rpc_proxy *provider;
    bool cached;
    struct hm_client_header *next;
} hm_client_header;

typedef struct hm_factory {
    char service[HM_SAMGR_MAX_NAME + 1];
    char feature[HM_SAMGR_MAX_NAME + 1];
    bool has_feature;
    Creator creator;
    Destroyer destroyer;
} hm_factory;

static struct {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    bool exporter_started;
    hm_rpc_proxy *server;
    hm_feature_stub *stubs;
    hm_client_header *clients;
    hm_factory factories[HM_SAMGR_MAX_FACTORIES];
    int factory_count;
} g_remote = {.lock = PTHREAD_MUTEX_INITIALIZER, .changed = PTHREAD_COND_INITIALIZER};

static const char *server_address(void)
{
    const char *address = getenv("HARMONIA_SAMGR_ADDRESS");
    return address != NULL && address[0] != '\0' ? address : HM_SAMGR_DEFAULT_ADDRESS;
}

static bool same_key(const char *service, const char *feature, bool has_feature, const char *want_service,
                     const char *want_feature)
{
    return strcmp(service, want_service) == 0 && has_feature == (want_feature != NULL) &&
           (!has_feature || strcmp(feature, want_feature) == 0);
}

/* The server's object, connected when needed (caller holds g_remote.lock); NULL when it cannot be reached. */
static hm_rpc_proxy *server_locked(void)
{
    if (g_remote.server != NULL && hm_rpc_proxy_dead(g_remote.server)) {
        hm_rpc_proxy_release(g_remote.server);
        g_remote.server = NULL;
        for (hm_feature_stub *stub = g_remote.stubs; stub != NULL; stub = stub->next) {
            stub->registered = false; /* a new server knows nothing of us */
        }
    }
    if (g_remote.server == NULL) {
        hm_rpc_connect(server_address(), INT64_C(2000000000), &g_remote.server);
    }
    if (g_remote.server != NULL) {
        hm_rpc_proxy_acquire(g_remote.server);
    }
    return g_remote.server;
}

/* One request to the server: the reply (its body positioned after the status) or a transport failure. */
static int32_t server_call(hm_rpc_proxy *server, uint32_t code, IpcIo *request, hm_rpc_object *object,
                           hm_rpc_reply *reply)
{
    hm_rpc_object *objects[1] = {object};
    if (hm_rpc_call(server, code, request, objects, object == NULL ? 0 : 1, INT64_C(10000000000), reply) != 0 ||
        reply->status != HM_RPC_OK) {
        return EC_COMMU;
    }
    int32_t status;
    hm_error err;
    if (hm_samgr_read_status(&reply->data, &status, NULL, 0, &err) != 0) {
        return EC_PROTOCOL;
    }
    return status;
}

/* ---- provider side ---- */

typedef struct invoke_step {
    hm_feature_stub *stub;
    int func_id;
    const hm_rpc_request *request;
    IpcIo *result;
    int32_t status;
} invoke_step;

static void run_invoke(void *arg)
{
    invoke_step *step = arg;
    step->status = step->stub->proxy->Invoke(step->stub->proxy, step->func_id, (void *)step->request,
                                             step->request->data, step->result);
}

static int32_t answer(IpcIo *reply, int32_t status, const char *detail)
{
    WriteInt32(reply, status);
    WriteString(reply, detail);
    return HM_RPC_OK;
}

static int32_t stub_handler(void *context, hm_rpc_object *object, const hm_rpc_request *request, IpcIo *reply)
{
    (void)object;
    hm_feature_stub *stub = context;
    IpcIo scratch;
    IpcIo *sink = reply;
    pthread_mutex_lock(&g_remote.lock);
    if (request->code == HM_SAMGR_STATS_CODE && reply != NULL) {
        WriteInt32(reply, EC_SUCCESS);
        WriteInt64(reply, stub->calls);
        WriteInt64(reply, stub->refused);
        WriteInt64(reply, stub->failed);
        pthread_mutex_unlock(&g_remote.lock);
        return HM_RPC_OK;
    }
    bool withdrawn = stub->withdrawn;
    bool allowed = hm_samgr_policies_allow(stub->policies, stub->policy_count, request->caller.uid);
    stub->refused += !withdrawn && !allowed;
    pthread_mutex_unlock(&g_remote.lock);
    char detail[160];
    const char *name = stub->has_feature ? stub->feature : "(default)";
    if (reply == NULL) {
        sink = NULL; /* one way: the outcome goes nowhere, but the same rules apply */
    }
    if (withdrawn) {
        snprintf(detail, sizeof(detail), "%s/%s was withdrawn by its provider", stub->service, name);
        return sink == NULL ? HM_RPC_OK : answer(sink, EC_NOSERVICE, detail);
    }
    if (!allowed) {
        snprintf(detail, sizeof(detail), "uid %u is not allowed to call %s/%s", request->caller.uid,
                 stub->service, name);
        return sink == NULL ? HM_RPC_OK : answer(sink, EC_PERMISSION, detail);
    }
    int func_id = (int)request->code - 1;
    if (stub->proxy->Invoke == NULL || request->code < 1 || func_id > HM_SAMGR_MAX_FUNC_ID) {
        pthread_mutex_lock(&g_remote.lock);
        stub->failed++;
        pthread_mutex_unlock(&g_remote.lock);
        snprintf(detail, sizeof(detail), stub->proxy->Invoke == NULL ? "%s/%s has no Invoke"
                                                                      : "%s/%s: code carries no funcId",
                 stub->service, name);
        return sink == NULL ? HM_RPC_OK
                            : answer(sink, stub->proxy->Invoke == NULL ? EC_NOHANDLER : EC_INVALID, detail);
    }
    uint8_t *data = malloc(HM_RPC_REPLY_CAPACITY - 8);
    size_t *offsets = calloc(HM_RPC_REPLY_MAX_OBJECTS, sizeof(size_t));
    if (data == NULL || offsets == NULL ||
        hm_ipcio_init(&scratch, data, HM_RPC_REPLY_CAPACITY - 8, offsets, HM_RPC_REPLY_MAX_OBJECTS) != 0) {
        free(data);
        free(offsets);
        return sink == NULL ? HM_RPC_OK : answer(sink, EC_NOMEMORY, "no memory for the reply");
    }
    pthread_mutex_lock(&g_remote.lock);
    stub->calls++;
    pthread_mutex_unlock(&g_remote.lock);
    invoke_step step = {stub, func_id, request, &scratch, EC_SUCCESS};
    int queued = hm_samgr_run_on_task(stub->identity.queueId, run_invoke, &step, false);
    int32_t status = queued == EC_SUCCESS ? step.status : EC_FLOWCTRL;
    if (status != EC_SUCCESS) {
        pthread_mutex_lock(&g_remote.lock);
        stub->failed++;
        pthread_mutex_unlock(&g_remote.lock);
    }
    if (sink != NULL) {
        if (status == EC_SUCCESS) {
            WriteInt32(sink, EC_SUCCESS);
            if (!IpcIoAppend(sink, &scratch)) {
                hm_ipcio_release(&scratch);
                free(data);
                free(offsets);
                return HM_RPC_REPLY_TOO_LARGE;
            }
        } else {
            snprintf(detail, sizeof(detail), queued == EC_SUCCESS ? "%s/%s: Invoke(%d) returned %d"
                                                                  : "the task queue of %s/%s is full (%d, %d)",
                     stub->service, name, func_id, (int)status);
            answer(sink, status, detail);
        }
    }
    hm_ipcio_release(&scratch);
    free(data);
    free(offsets);
    return HM_RPC_OK;
}

/* Sends one stub's ADD; true when the server answered (registered or refused for good). */
static bool register_stub(hm_rpc_proxy *server, hm_feature_stub *stub)
{
    uint8_t buffer[HM_SAMGR_REQUEST_CAPACITY];
    size_t offsets[1];
    IpcIo request;
    hm_ipcio_init(&request, buffer, sizeof(buffer), offsets, 1);
    hm_samgr_write_key(&request, stub->service, stub->has_feature ? stub->feature : NULL);
    SvcIdentity handle = {.handle = 1};
    WriteRemoteObject(&request, &handle);
    WriteUint32(&request, 0); /* no rules of its own: the server's configured ones, else ALL */
    hm_rpc_reply reply;
    int32_t status = server_call(server, HM_SAMGR_ADD, &request, stub->object, &reply);
    hm_ipcio_release(&request);
    hm_samgr_policy policies[HM_SAMGR_MAX_POLICIES];
    uint32_t count = 0;
    hm_error err;
    if (status == EC_SUCCESS && hm_samgr_read_policies(&reply.data, policies, &count, &err) != 0) {
        status = EC_PROTOCOL;
    }
    hm_rpc_reply_release(&reply);
    if (status == EC_COMMU) {
        return false;
    }
    pthread_mutex_lock(&g_remote.lock);
    stub->registered = true;
    stub->refusal = status;
    if (status == EC_SUCCESS) {
        memcpy(stub->policies, policies, sizeof(policies));
        stub->policy_count = count;
    }
    pthread_cond_broadcast(&g_remote.changed);
    pthread_mutex_unlock(&g_remote.lock);
    return true;
}

static void remove_stub(hm_rpc_proxy *server, hm_feature_stub *stub)
{
    uint8_t buffer[HM_SAMGR_REQUEST_CAPACITY];
    IpcIo request;
    hm_ipcio_init(&request, buffer, sizeof(buffer), NULL, 0);
    hm_samgr_write_key(&request, stub->service, stub->has_feature ? stub->feature : NULL);
    hm_rpc_reply reply;
    server_call(server, HM_SAMGR_REMOVE, &request, NULL, &reply);
    hm_rpc_reply_release(&reply);
    hm_ipcio_release(&request);
}

static void *exporter_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&g_remote.lock);
    for (;;) {
        hm_feature_stub *next = NULL;
        bool removing = false;
        for (hm_feature_stub *stub = g_remote.stubs; stub != NULL && next == NULL; stub = stub->next) {
            if (stub->remove_pending) {
                next = stub;
                removing = true;
            } else if (!stub->withdrawn && !stub->registered) {
                next = stub;
            }
        }
        hm_rpc_proxy *server = next == NULL ? NULL : server_locked();
        if (next == NULL || server == NULL) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_nsec += HM_SAMGR_RETRY_NS;
            until.tv_sec += until.tv_nsec / 1000000000;
            until.tv_nsec %= 1000000000;
            pthread_cond_timedwait(&g_remote.changed, &g_remote.lock, &until);
            /* A server that died takes our registrations with it: notice it while idle too. */
            if (g_remote.server != NULL && hm_rpc_proxy_dead(g_remote.server)) {
                hm_rpc_proxy *revived = server_locked();
                hm_rpc_proxy_release(revived);
            }
            continue;
        }
        pthread_mutex_unlock(&g_remote.lock);
        bool done = true;
        if (removing) {
            remove_stub(server, next);
        } else {
            done = register_stub(server, next);
        }
        hm_rpc_proxy_release(server);
        pthread_mutex_lock(&g_remote.lock);
        if (removing) {
            next->remove_pending = false;
        }
        if (!done) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_nsec += HM_SAMGR_RETRY_NS;
            until.tv_sec += until.tv_nsec / 1000000000;
            until.tv_nsec %= 1000000000;
            pthread_cond_timedwait(&g_remote.changed, &g_remote.lock, &until);
        }
    }
    return NULL;
}

void hm_samgr_api_ready(const char *service, const char *feature, IUnknown *api, const Identity *identity)
{
    IServerProxy *proxy = NULL;
    if (api->QueryInterface(api, SERVER_PROXY_VER, (void **)&proxy) != EC_SUCCESS || proxy == NULL) {
        return; /* an in-process API only */
    }
    api->Release(api);
    hm_feature_stub *stub = calloc(1, sizeof(*stub));
    if (stub == NULL) {
        return;
    }
    snprintf(stub->service, sizeof(stub->service), "%s", service);
    snprintf(stub->feature, sizeof(stub->feature), "%s", feature == NULL ? "" : feature);
    stub->has_feature = feature != NULL;
    stub->proxy = proxy;
    stub->identity = *identity;
    char descriptor[64];
    snprintf(descriptor, sizeof(descriptor), "harmonia.samgr.feature:%s/%s", service, feature == NULL ? "" : feature);
    if (hm_rpc_object_create(descriptor, stub_handler, stub, &stub->object) != 0) {
        free(stub);
        return;
    }
    pthread_mutex_lock(&g_remote.lock);
    hm_feature_stub **tail = &g_remote.stubs;
    while (*tail != NULL) {
        tail = &(*tail)->next;
    }
    *tail = stub; /* in the order samgr reported them */
    if (!g_remote.exporter_started) {
        pthread_t exporter;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        g_remote.exporter_started = pthread_create(&exporter, &attr, exporter_main, NULL) == 0;
        pthread_attr_destroy(&attr);
    }
    pthread_cond_broadcast(&g_remote.changed);
    pthread_mutex_unlock(&g_remote.lock);
}

void hm_samgr_api_gone(const char *service, const char *feature, IUnknown *api)
{
    (void)api;
    pthread_mutex_lock(&g_remote.lock);
    for (hm_feature_stub *stub = g_remote.stubs; stub != NULL; stub = stub->next) {
        if (!stub->withdrawn && same_key(stub->service, stub->feature, stub->has_feature, service, feature)) {
            stub->withdrawn = true;
            stub->remove_pending = stub->registered && stub->refusal == EC_SUCCESS;
        }
    }
    pthread_cond_broadcast(&g_remote.changed);
    pthread_mutex_unlock(&g_remote.lock);
}

int32_t hm_samgr_await_exported(const char *service, const char *feature, int32_t timeout_ms)
{
    if (!hm_samgr_name_valid(service) || (feature != NULL && !hm_samgr_name_valid(feature)) || timeout_ms < 0) {
        return EC_INVALID;
    }
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    until.tv_sec += until.tv_nsec / 1000000000;
    until.tv_nsec %= 1000000000;
    pthread_mutex_lock(&g_remote.lock);
    int32_t result = EC_NOSERVICE;
    for (;;) {
        hm_feature_stub *found = NULL;
        for (hm_feature_stub *stub = g_remote.stubs; stub != NULL; stub = stub->next) {
            if (!stub->withdrawn && same_key(stub->service, stub->feature, stub->has_feature, service, feature)) {
                found = stub;
            }
        }
        if (found != NULL && found->registered) {
            result = found->refusal;
            break;
        }
        if (pthread_cond_timedwait(&g_remote.changed, &g_remote.lock, &until) != 0) {
            result = found == NULL ? EC_NOSERVICE : EC_TIMEOUT;
            break;
        }
    }
    pthread_mutex_unlock(&g_remote.lock);
    return result;
}

/* ---- consumer side ---- */

static hm_client_header *header_of(IUnknown *iUnknown)
{
    IUnknownEntry *entry = GET_OBJECT(iUnknown, IUnknownEntry, iUnknown);
    for (hm_client_header *header = g_remote.clients; header != NULL; header = header->next) {
        if ((char *)header + header->size == (char *)entry) {
            return header;
        }
    }
    return NULL;
}

static int client_release(IUnknown *iUnknown)
{
    IUnknownEntry *entry = GET_OBJECT(iUnknown, IUnknownEntry, iUnknown);
    pthread_mutex_lock(&g_remote.lock);
    int16 ref = --entry->ref;
    hm_client_header *header = ref == 0 ? header_of(iUnknown) : NULL;
    if (header != NULL) {
        for (hm_client_header **link = &g_remote.clients; *link != NULL; link = &(*link)->next) {
            if (*link == header) {
                *link = header->next;
                break;
            }
        }
    }
    pthread_mutex_unlock(&g_remote.lock);
    if (header != NULL) {
        hm_rpc_proxy_release(header->provider);
        if (header->destroyer != NULL) {
            header->destroyer(header->service, header->has_feature ? header->feature : NULL, header);
        } else {
            free(header);
        }
    }
    return ref;
}

static int client_add_ref(IUnknown *iUnknown)
{
    IUnknownEntry *entry = GET_OBJECT(iUnknown, IUnknownEntry, iUnknown);
    pthread_mutex_lock(&g_remote.lock);
    int16 ref = ++entry->ref;
    pthread_mutex_unlock(&g_remote.lock);
    return ref;
}

/* GET from the server: the provider's object, or NULL (with why in *ret_status). */
static hm_rpc_proxy *look_up(const char *service, const char *feature, int32_t *ret_status)
{
    pthread_mutex_lock(&g_remote.lock);
    hm_rpc_proxy *server = server_locked();
    pthread_mutex_unlock(&g_remote.lock);
    if (server == NULL) {
        *ret_status = EC_COMMU;
        return NULL;
    }
    uint8_t buffer[HM_SAMGR_REQUEST_CAPACITY];
    IpcIo request;
    hm_ipcio_init(&request, buffer, sizeof(buffer), NULL, 0);
    hm_samgr_write_key(&request, service, feature);
    WriteInt32(&request, 0);
    hm_rpc_reply reply;
    int32_t status = server_call(server, HM_SAMGR_GET, &request, NULL, &reply);
    hm_ipcio_release(&request);
    hm_rpc_proxy *provider = NULL;
    if (status == EC_SUCCESS) {
        SvcIdentity handle;
        if (!ReadRemoteObject(&reply.data, &handle) || hm_rpc_reply_proxy(&reply, handle.handle, &provider) != 0) {
            status = EC_PROTOCOL;
            provider = NULL;
        }
    }
    hm_rpc_reply_release(&reply);
    hm_rpc_proxy_release(server);
    *ret_status = status;
    return provider;
}

/* Drops a dead provider from the cache (and the cache's reference). */
static void forget_provider(hm_client_header *header)
{
    IUnknown *api = NULL;
    pthread_mutex_lock(&g_remote.lock);
    if (header->cached) {
        header->cached = false;
        api = (IUnknown *)((char *)header + header->size + offsetof(IUnknownEntry, iUnknown));
    }
    pthread_mutex_unlock(&g_remote.lock);
    if (api != NULL) {
        client_release(api);
    }
}

static int client_invoke(IClientProxy *proxy, int funcId, IpcIo *request, IOwner owner, INotify notify)
{
    if (proxy == NULL || funcId < 0 || funcId > HM_SAMGR_MAX_FUNC_ID) {
        return EC_INVALID;
    }
    pthread_mutex_lock(&g_remote.lock);
    hm_client_header *header = header_of((IUnknown *)proxy);
    hm_rpc_proxy *provider = header == NULL ? NULL : header->provider;
    if (provider != NULL) {
        hm_rpc_proxy_acquire(provider);
    }
    pthread_mutex_unlock(&g_remote.lock);
    if (provider == NULL) {
        return EC_INVALID;
    }
    if (hm_rpc_proxy_dead(provider)) {
        /* The provider died: a provider registered again since is reached; the call in flight never repeats. */
        int32_t status;
        hm_rpc_proxy *fresh = look_up(header->service, header->has_feature ? header->feature : NULL, &status);
        if (fresh == NULL) {
            hm_rpc_proxy_release(provider);
            forget_provider(header);
            return EC_NOSERVICE;
        }
        pthread_mutex_lock(&g_remote.lock);
        hm_rpc_proxy *old = header->provider;
        header->provider = fresh;
        hm_rpc_proxy_acquire(fresh);
        pthread_mutex_unlock(&g_remote.lock);
        hm_rpc_proxy_release(old);
        hm_rpc_proxy_release(provider);
        provider = fresh;
    }
    int32_t result;
    if (notify == NULL) {
        int32_t sent = hm_rpc_send_one_way(provider, (uint32_t)funcId + 1u, request, HM_SAMGR_CALL_TIMEOUT_NS);
        result = sent == HM_RPC_OK ? EC_SUCCESS : sent == HM_RPC_DEAD_OBJECT ? EC_COMMU : EC_FAILURE;
    } else {
        hm_rpc_reply reply;
        hm_rpc_call(provider, (uint32_t)funcId + 1u, request, NULL, 0, HM_SAMGR_CALL_TIMEOUT_NS, &reply);
        hm_error err;
        switch (reply.status) {
        case HM_RPC_OK:
            if (hm_samgr_read_status(&reply.data, &result, NULL, 0, &err) != 0) {
                result = EC_PROTOCOL;
            } else if (result == EC_SUCCESS) {
                notify(owner, EC_SUCCESS, &reply.data);
            }
            break;
        case HM_RPC_DEAD_OBJECT:
            result = EC_COMMU;
            break;
        case HM_RPC_TIMED_OUT:
            result = EC_TIMEOUT;
            break;
        case HM_RPC_UNKNOWN_OBJECT:
            result = EC_NOSERVICE;
            break;
        default:
            result = EC_FAILURE;
            break;
        }
        hm_rpc_reply_release(&reply);
    }
    bool dead = hm_rpc_proxy_dead(provider);
    hm_rpc_proxy_release(provider);
    if (dead) {
        forget_provider(header);
    }
    return result;
}

int SAMGR_RegisterFactory(const char *service, const char *feature, Creator creator, Destroyer destroyer)
{
    if (!hm_samgr_name_valid(service) || (feature != NULL && !hm_samgr_name_valid(feature)) || creator == NULL ||
        destroyer == NULL) {
        return EC_INVALID;
    }
    int rc = EC_SUCCESS;
    pthread_mutex_lock(&g_remote.lock);
    for (int i = 0; i < g_remote.factory_count; i++) {
        hm_factory *factory = &g_remote.factories[i];
        if (same_key(factory->service, factory->feature, factory->has_feature, service, feature)) {
            rc = EC_INVALID;
        }
    }
    if (rc == EC_SUCCESS && g_remote.factory_count >= HM_SAMGR_MAX_FACTORIES) {
        rc = EC_NORESOURCE;
    }
    if (rc == EC_SUCCESS) {
        hm_factory *factory = &g_remote.factories[g_remote.factory_count++];
        snprintf(factory->service, sizeof(factory->service), "%s", service);
        snprintf(factory->feature, sizeof(factory->feature), "%s", feature == NULL ? "" : feature);
        factory->has_feature = feature != NULL;
        factory->creator = creator;
        factory->destroyer = destroyer;
    }
    pthread_mutex_unlock(&g_remote.lock);
    return rc;
}

static hm_client_header *cached(const char *service, const char *feature)
{
    for (hm_client_header *header = g_remote.clients; header != NULL; header = header->next) {
        if (header->cached && same_key(header->service, header->feature, header->has_feature, service, feature)) {
            return header;
        }
    }
    return NULL;
}

IUnknown *hm_samgr_remote_api(const char *service, const char *feature)
{
    pthread_mutex_lock(&g_remote.lock);
    hm_client_header *known = cached(service, feature);
    bool dead = known != NULL && hm_rpc_proxy_dead(known->provider);
    IUnknown *api = known == NULL || dead ? NULL
                                          : (IUnknown *)((char *)known + known->size +
                                                         offsetof(IUnknownEntry, iUnknown));
    Creator creator = NULL;
    Destroyer destroyer = NULL;
    for (int i = 0; i < g_remote.factory_count; i++) {
        hm_factory *factory = &g_remote.factories[i];
        if (same_key(factory->service, factory->feature, factory->has_feature, service, feature)) {
            creator = factory->creator;
            destroyer = factory->destroyer;
        }
    }
    pthread_mutex_unlock(&g_remote.lock);
    if (api != NULL) {
        return api;
    }
    if (dead) {
        forget_provider(known);
    }
    int32_t status;
    hm_rpc_proxy *provider = look_up(service, feature, &status);
    if (provider == NULL) {
        return NULL;
    }
    uint32_t size = (uint32_t)sizeof(hm_client_header);
    size = (size + 15u) & ~15u;
    char *memory = creator != NULL ? creator(service, feature, size)
                                   : calloc(1, size + sizeof(IUnknownEntry) + sizeof(void *));
    if (memory == NULL) {
        hm_rpc_proxy_release(provider);
        return NULL;
    }
    hm_client_header *header = (hm_client_header *)memory;
    memset(header, 0, sizeof(*header));
    snprintf(header->service, sizeof(header->service), "%s", service);
    snprintf(header->feature, sizeof(header->feature), "%s", feature == NULL ? "" : feature);
    header->has_feature = feature != NULL;
    header->destroyer = destroyer;
    header->size = size;
    header->provider = provider;
    header->cached = true;
    IUnknownEntry *entry = (IUnknownEntry *)(memory + size);
    IClientProxy *client = (IClientProxy *)&entry->iUnknown;
    if (creator == NULL) {
        entry->ver = CLIENT_PROXY_VER;
        entry->ref = 1;
        client->QueryInterface = IUNKNOWN_QueryInterface;
    }
    client->AddRef = client_add_ref;
    client->Release = client_release;
    client->Invoke = client_invoke;
    pthread_mutex_lock(&g_remote.lock);
    hm_client_header *raced = cached(service, feature);
    if (raced == NULL) {
        header->next = g_remote.clients;
        g_remote.clients = header;
    }
    pthread_mutex_unlock(&g_remote.lock);
    if (raced != NULL) {
        /* Another thread looked it up first: keep one proxy per name. */
        hm_rpc_proxy_release(provider);
        if (destroyer != NULL) {
            destroyer(service, feature, memory);
        } else {
            free(memory);
        }
        return (IUnknown *)((char *)raced + raced->size + offsetof(IUnknownEntry, iUnknown));
    }
    return (IUnknown *)client;
}

SvcIdentity SAMGR_GetRemoteIdentity(const char *service, const char *feature)
{
    SvcIdentity identity = {-1, (uintptr_t)-1, (uintptr_t)-1};
    if (!hm_samgr_name_valid(service) || (feature != NULL && !hm_samgr_name_valid(feature))) {
        return identity;
    }
    pthread_mutex_lock(&g_remote.lock);
    hm_client_header *header = cached(service, feature);
    if (header != NULL) {
        identity.handle = 1;
        identity.token = (uintptr_t)(uint32_t)hm_rpc_proxy_object_id(header->provider);
        identity.cookie = (uintptr_t)hm_rpc_proxy_owner_pid(header->provider);
    }
    pthread_mutex_unlock(&g_remote.lock);
    return identity;
}
