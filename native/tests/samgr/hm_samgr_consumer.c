/*
 * The README's consumer as a process, against a provider of the example in another process (C or Java) through
 * the samgr server at HARMONIA_SAMGR_ADDRESS. Modes:
 *   calls    the README's calls: the factory first, the raw one-way Invoke with an empty request, SyncCall
 *            ("TRUE", and "FALSE" for a bad payload), AsyncCall, AsyncCallBack (its handler runs before it
 *            returns), AsyncTimeCall, an unknown funcId (bool FALSE), funcIds that cannot travel (EC_INVALID),
 *            the service's API without Invoke (EC_NOHANDLER), reference counts. Then it prints "alive", waits
 *            for a line on stdin (the test kills the provider meanwhile) and checks that a call fails, the proxy
 *            leaves the cache and the last Release runs DEMO_DestroyClient.
 *   denied   the provider's policy keeps this uid out: the lookup answers NULL at once.
 *   bench N  N SyncCall round trips; prints the median and the spread in ns.
 *   serve K  for the JMH benchmark (bench/, SamgrCFeatureCallBenchmark): prints "ready", then for each byte read
 *            from stdin makes K SyncCall round trips and writes one byte back ('.' when every call answered
 *            "TRUE", 'x' otherwise), until stdin closes. The benchmark times the byte's round trip.
 *   serve-bare K ADDRESS  the same with the same request as a bare RPC call (code ID_SYNCCALL, no samgr) to the
 *            object published at ADDRESS: the baseline of the C feature call.
 * Prints one line per check and "N passed, N failed"; exits 0 only when all passed.
 */
#include <errno.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include <harmonia/rpc.h>

#include "seed_client.h"

static int g_passed;
static int g_failed;

#define CHECK(cond, what)                                                                                    \
    do {                                                                                                     \
        if (cond) {                                                                                          \
            g_passed++;                                                                                      \
            printf("ok: %s\n", what);                                                                        \
        } else {                                                                                             \
            g_failed++;                                                                                      \
            printf("FAILED: %s (%s:%d)\n", what, __FILE__, __LINE__);                                        \
        }                                                                                                    \
        fflush(stdout);                                                                                      \
    } while (0)

static char g_notified[MAX_DATA_LEN];
static pthread_t g_notified_on;

static void AsyncHandler(IOwner notify, const char *response)
{
    (void)notify;
    snprintf(g_notified, sizeof(g_notified), "%s", response == NULL ? "(null)" : response);
    g_notified_on = pthread_self();
}

static int ReadStringInto(IOwner owner, int code, IpcIo *reply)
{
    (void)code;
    size_t len = 0;
    const char *text = (const char *)IpcIoPopString(reply, &len);
    snprintf(owner, MAX_DATA_LEN, "%s", text == NULL ? "(null)" : text);
    return EC_SUCCESS;
}

static int ReadBoolInto(IOwner owner, int code, IpcIo *reply)
{
    (void)code;
    *(int *)owner = IpcIoPopBool(reply) ? 1 : 0;
    return EC_SUCCESS;
}

static int CountNotify(IOwner owner, int code, IpcIo *reply)
{
    (void)code;
    (void)reply;
    (*(int *)owner)++;
    return EC_SUCCESS;
}

static IClientProxy *RawProxy(const char *feature)
{
    IClientProxy *proxy = NULL;
    IUnknown *iUnknown = SAMGR_GetInstance()->GetFeatureApi(EXAMPLE_SERVICE, feature);
    if (iUnknown == NULL || iUnknown->QueryInterface(iUnknown, CLIENT_PROXY_VER, (void **)&proxy) != 0) {
        return NULL;
    }
    return proxy;
}

/* The README's SyncCall request: id, value 2, name "name". */
static void SyncCallRequest(IpcIo *request, char *data, size_t size, int id)
{
    IpcIoInit(request, data, size, 0);
    IpcIoPushInt32(request, id);
    IpcIoPushInt32(request, 2);
    IpcIoPushString(request, "name");
}

static void RawSyncCall(IClientProxy *proxy, int id, char *answer)
{
    IpcIo request;
    char data[MAX_DATA_LEN];
    SyncCallRequest(&request, data, sizeof(data), id);
    answer[0] = '\0';
    proxy->Invoke(proxy, ID_SYNCCALL, &request, answer, ReadStringInto);
}

static int Calls(void)
{
    CHECK(SeedRegisterFactory() == EC_SUCCESS, "SAMGR_RegisterFactory before the first lookup");
    CHECK(SeedRegisterFactory() == EC_INVALID, "a second factory for the name is refused");

    /* Invoking a service in another process: the raw one-way Invoke with an empty request. */
    IClientProxy *raw = RawProxy(EXAMPLE_FEATURE);
    CHECK(raw != NULL, "GetFeatureApi + QueryInterface(CLIENT_PROXY_VER)");
    if (raw == NULL) {
        return 1;
    }
    {
        IpcIo request;
        char data[250];
        IpcIoInit(&request, data, sizeof(data), 0);
        CHECK(raw->Invoke(raw, 0, &request, NULL, NULL) == EC_SUCCESS, "Invoke(0, empty request, NULL, NULL)");
    }
    char answer[MAX_DATA_LEN];
    RawSyncCall(raw, 1, answer);
    CHECK(strcmp(answer, "TRUE") == 0, "SyncCall answers TRUE (the provider survived AsyncCall(NULL))");
    RawSyncCall(raw, -1, answer);
    CHECK(strcmp(answer, "FALSE") == 0, "SyncCall with a bad payload answers FALSE");
    int flag = 1;
    CHECK(raw->Invoke(raw, 42, NULL, &flag, ReadBoolInto) == EC_SUCCESS && flag == 0,
          "an unknown funcId is EC_SUCCESS with a bool FALSE");
    int notified = 0;
    CHECK(raw->Invoke(raw, -1, NULL, &notified, CountNotify) == EC_INVALID, "funcId -1 cannot travel");
    CHECK(raw->Invoke(raw, 0x00FFFFFE, NULL, &notified, CountNotify) == EC_INVALID, "funcId 0x00FFFFFE neither");
    CHECK(raw->Release((IUnknown *)raw) == 1, "Release leaves the cache's reference");

    /* The factory's typed proxy. */
    DemoClientProxy *demoApi = SeedGetDemoApi();
    CHECK(demoApi != NULL, "QueryInterface(DEFAULT_VERSION) gives the factory's DemoClientProxy");
    if (demoApi == NULL) {
        return 1;
    }
    struct Payload payload = {1, 2, "name"};
    CHECK(SeedSyncCall(demoApi, &payload), "SyncCall");
    CHECK(SeedAsyncCall(demoApi, "I wanna async call callback good result!"), "AsyncCall (one way)");
    g_notified[0] = '\0';
    CHECK(SeedAsyncCallBack(demoApi, AsyncHandler), "AsyncCallBack");
    CHECK(strcmp(g_notified, "Yes, you did!") == 0, "its handler got \"Yes, you did!\" before it returned");
    CHECK(pthread_equal(g_notified_on, pthread_self()), "on the calling thread");
    CHECK(SeedAsyncTimeCall(demoApi), "AsyncTimeCall");

    /* The service's default API has .Invoke = NULL: answered, never dropped. */
    IClientProxy *noInvoke = RawProxy(NULL);
    CHECK(noInvoke != NULL, "the service's default API is exported too");
    if (noInvoke != NULL) {
        notified = 0;
        struct timespec start;
        struct timespec end;
        clock_gettime(CLOCK_MONOTONIC, &start);
        CHECK(noInvoke->Invoke(noInvoke, ID_SYNCCALL, NULL, &notified, CountNotify) == EC_NOHANDLER,
              "a call to an API without Invoke answers EC_NOHANDLER");
        clock_gettime(CLOCK_MONOTONIC, &end);
        CHECK(end.tv_sec - start.tv_sec < 5, "answered, not timed out");
        CHECK(notified == 0, "notify runs for a reply only");
        CHECK(noInvoke->Invoke(noInvoke, ID_ASYNCALL, NULL, NULL, NULL) == EC_SUCCESS, "one way to it is sent");
        noInvoke->Release((IUnknown *)noInvoke);
    }

    /* The provider dies: calls fail, the proxy leaves the cache, the last Release destroys it. */
    printf("alive\n");
    fflush(stdout);
    char line[16];
    if (fgets(line, sizeof(line), stdin) == NULL) {
        return 1;
    }
    CHECK(!SeedSyncCall(demoApi, &payload), "a call to a dead provider fails");
    CHECK(atomic_load(&g_destroyed_clients) == 0, "the user's reference keeps the proxy");
    CHECK(SeedRelease(demoApi) == 0, "the last Release");
    CHECK(atomic_load(&g_destroyed_clients) == 1, "ran DEMO_DestroyClient");
    return 0;
}

static int Denied(void)
{
    struct timespec start;
    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    IUnknown *iUnknown = SAMGR_GetInstance()->GetFeatureApi(EXAMPLE_SERVICE, EXAMPLE_FEATURE);
    clock_gettime(CLOCK_MONOTONIC, &end);
    CHECK(iUnknown == NULL, "the provider's policy keeps this uid out: no API");
    CHECK(end.tv_sec - start.tv_sec < 3, "refused at once (an explicit EC_PERMISSION, no hang)");
    return 0;
}

static int CompareLongs(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a;
    int64_t y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int Bench(int rounds)
{
    IClientProxy *raw = RawProxy(EXAMPLE_FEATURE);
    if (raw == NULL || rounds < 1) {
        return 1;
    }
    int64_t *samples = calloc((size_t)rounds, sizeof(*samples));
    char answer[MAX_DATA_LEN];
    for (int i = 0; i < rounds / 10 + 1; i++) {
        RawSyncCall(raw, 1, answer); /* warm-up */
    }
    for (int i = 0; i < rounds; i++) {
        struct timespec start;
        struct timespec end;
        clock_gettime(CLOCK_MONOTONIC, &start);
        RawSyncCall(raw, 1, answer);
        clock_gettime(CLOCK_MONOTONIC, &end);
        samples[i] = (end.tv_sec - start.tv_sec) * INT64_C(1000000000) + (end.tv_nsec - start.tv_nsec);
    }
    qsort(samples, (size_t)rounds, sizeof(*samples), CompareLongs);
    printf("samgr feature call round trip (C consumer): median %lld ns, p10 %lld ns, p90 %lld ns, %d calls\n",
           (long long)samples[rounds / 2], (long long)samples[rounds / 10], (long long)samples[rounds * 9 / 10],
           rounds);
    CHECK(strcmp(answer, "TRUE") == 0, "the benchmarked call answered TRUE");
    free(samples);
    raw->Release((IUnknown *)raw);
    return 0;
}

/* One round trip of a serve mode: true when it answered "TRUE". */
typedef BOOL (*ServedCall)(void *target);

static BOOL FeatureSyncCall(void *target)
{
    char answer[MAX_DATA_LEN];
    RawSyncCall(target, 1, answer);
    return strcmp(answer, "TRUE") == 0;
}

static BOOL BareSyncCall(void *target)
{
    IpcIo request;
    char data[MAX_DATA_LEN];
    SyncCallRequest(&request, data, sizeof(data), 1);
    hm_rpc_reply reply;
    if (hm_rpc_call(target, ID_SYNCCALL, &request, NULL, 0, INT64_C(10000000000), &reply) != 0) {
        return FALSE;
    }
    size_t len = 0;
    const char *text = reply.status == HM_RPC_OK ? (const char *)IpcIoPopString(&reply.data, &len) : NULL;
    BOOL ok = text != NULL && strcmp(text, "TRUE") == 0;
    hm_rpc_reply_release(&reply);
    return ok;
}

/* The serve modes' loop: a byte in, `rounds` calls, a byte out (stdin and stdout unbuffered: raw fds). */
static int Serve(int rounds, ServedCall call, void *target)
{
    BOOL first = call(target);
    CHECK(first, "the served call answers TRUE");
    if (!first || rounds < 1) {
        return 1;
    }
    printf("ready\n");
    fflush(stdout);
    char go;
    while (read(STDIN_FILENO, &go, 1) == 1) {
        BOOL ok = TRUE;
        for (int i = 0; i < rounds; i++) {
            ok = call(target) && ok;
        }
        char done = ok ? '.' : 'x';
        if (write(STDOUT_FILENO, &done, 1) != 1) {
            return 1;
        }
    }
    return 0;
}

static int ServeFeature(int rounds)
{
    IClientProxy *raw = RawProxy(EXAMPLE_FEATURE);
    CHECK(raw != NULL, "GetFeatureApi + QueryInterface(CLIENT_PROXY_VER)");
    if (raw == NULL) {
        return 1;
    }
    int rc = Serve(rounds, FeatureSyncCall, raw);
    raw->Release((IUnknown *)raw);
    return rc;
}

static int ServeBare(int rounds, const char *address)
{
    hm_rpc_proxy *proxy = NULL;
    int connected = address == NULL ? -EINVAL : hm_rpc_connect(address, INT64_C(10000000000), &proxy);
    CHECK(connected == 0, "hm_rpc_connect to the bare object");
    if (connected != 0) {
        return 1;
    }
    int rc = Serve(rounds, BareSyncCall, proxy);
    hm_rpc_proxy_release(proxy);
    return rc;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "calls";
    int rc = 1;
    if (strcmp(mode, "calls") == 0) {
        rc = Calls();
    } else if (strcmp(mode, "denied") == 0) {
        rc = Denied();
    } else if (strcmp(mode, "bench") == 0) {
        rc = Bench(argc > 2 ? atoi(argv[2]) : 10000);
    } else if (strcmp(mode, "serve") == 0) {
        rc = ServeFeature(argc > 2 ? atoi(argv[2]) : 1000);
    } else if (strcmp(mode, "serve-bare") == 0) {
        rc = ServeBare(argc > 2 ? atoi(argv[2]) : 1000, argc > 3 ? argv[3] : NULL);
    } else {
        fprintf(stderr, "usage: %s calls|denied|bench [N]|serve [K]|serve-bare K ADDRESS\n", argv[0]);
        return 2;
    }
    printf("%d passed, %d failed\n", g_passed, g_failed);
    return rc == 0 && g_failed == 0 ? 0 : 1;
}
