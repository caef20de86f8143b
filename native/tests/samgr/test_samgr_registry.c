/*
 * samgr_lite's registry rules in C, the same as the Java samgr's (ServiceTest, FeatureTest, FeatureApiTest,
 * IUnknownTest, TaskPool*Test, SendRequestTest): names, limits, duplicates, unregistering, ids reused only when
 * the vector is full, reference counts, task sharing, request data ownership and system capabilities.
 */
#include <pthread.h>
#include <unistd.h>

#include "hm_test.h"
#include "iproxy_server.h"
#include "ohos_errno.h"
#include "samgr_lite.h"

typedef struct TestService {
    INHERIT_SERVICE;
    INHERIT_IUNKNOWNENTRY(IServerProxy);
    char name[32];
    TaskConfig config;
    Identity identity;
    pthread_t thread;
    int initialized;
    int messages;
} TestService;

static const char *ServiceName(Service *service)
{
    return ((TestService *)service)->name;
}

static BOOL ServiceInitialize(Service *service, Identity identity)
{
    TestService *test = (TestService *)service;
    test->identity = identity;
    test->thread = pthread_self();
    __atomic_store_n(&test->initialized, 1, __ATOMIC_RELEASE);
    return TRUE;
}

static BOOL ServiceMessage(Service *service, Request *request)
{
    (void)request;
    __atomic_add_fetch(&((TestService *)service)->messages, 1, __ATOMIC_ACQ_REL);
    return TRUE;
}

static TaskConfig ServiceConfig(Service *service)
{
    return ((TestService *)service)->config;
}

static TestService *NewService(const char *name, uint8 flags, int16 priority)
{
    TestService *service = calloc(1, sizeof(*service));
    service->GetName = ServiceName;
    service->Initialize = ServiceInitialize;
    service->MessageHandle = ServiceMessage;
    service->GetTaskConfig = ServiceConfig;
    service->ver = DEFAULT_VERSION;
    service->ref = 1;
    service->iUnknown.QueryInterface = IUNKNOWN_QueryInterface;
    service->iUnknown.AddRef = IUNKNOWN_AddRef;
    service->iUnknown.Release = IUNKNOWN_Release;
    snprintf(service->name, sizeof(service->name), "%s", name);
    service->config = (TaskConfig){LEVEL_HIGH, priority, 0x800, 20, flags};
    return service;
}

static void AwaitInitialized(TestService *service)
{
    for (int i = 0; i < 5000 && !__atomic_load_n(&service->initialized, __ATOMIC_ACQUIRE); i++) {
        usleep(1000);
    }
}

/* Waits until the service's whole initialisation (its features' too) is over: a request queued behind it has been
 * handled. Initialize() alone returning does not mean samgr considers the service initialised yet. */
static void AwaitIdle(TestService *service)
{
    AwaitInitialized(service);
    const int before = __atomic_load_n(&service->messages, __ATOMIC_ACQUIRE);
    Request request = {0};
    HM_CHECK_INT_EQ(SAMGR_SendRequest(&service->identity, &request, NULL), EC_SUCCESS);
    for (int i = 0; i < 5000 && __atomic_load_n(&service->messages, __ATOMIC_ACQUIRE) == before; i++) {
        usleep(1000);
    }
}

static void test_service_names_and_duplicates(void)
{
    SamgrLite *samgr = SAMGR_GetInstance();
    HM_CHECK(!samgr->RegisterService(NULL));
    TestService *empty = NewService("", SHARED_TASK, PRI_NORMAL);
    TestService *long_name = NewService("sixteen-bytes-xx", SHARED_TASK, PRI_NORMAL);
    TestService *longest = NewService("fifteen-bytes-x", SHARED_TASK, PRI_NORMAL);
    TestService *incomplete = NewService("incomplete", SHARED_TASK, PRI_NORMAL);
    incomplete->MessageHandle = NULL;
    HM_CHECK(!samgr->RegisterService((Service *)empty));
    HM_CHECK(!samgr->RegisterService((Service *)long_name));
    HM_CHECK(!samgr->RegisterService((Service *)incomplete));
    HM_CHECK(samgr->RegisterService((Service *)longest));
    HM_CHECK(!samgr->RegisterService((Service *)longest));
    HM_CHECK(samgr->UnregisterService(NULL) == NULL);
    HM_CHECK(samgr->UnregisterService("") == NULL);
    HM_CHECK(samgr->UnregisterService("unknown") == NULL);
    HM_CHECK(samgr->UnregisterService("fifteen-bytes-x") == (Service *)longest);
    HM_CHECK(samgr->UnregisterService("fifteen-bytes-x") == NULL);
    free(empty);
    free(long_name);
    free(longest);
    free(incomplete);
}

static void test_unregister_refused_while_api_or_feature(void)
{
    SamgrLite *samgr = SAMGR_GetInstance();
    TestService *service = NewService("withApi", SHARED_TASK, PRI_NORMAL);
    HM_CHECK(samgr->RegisterService((Service *)service));
    HM_CHECK(samgr->RegisterDefaultFeatureApi("withApi", GET_IUNKNOWN(*service)));
    HM_CHECK(!samgr->RegisterDefaultFeatureApi("withApi", GET_IUNKNOWN(*service)));
    HM_CHECK(!samgr->RegisterFeatureApi("withApi", "noFeature", GET_IUNKNOWN(*service)));
    HM_CHECK(samgr->GetDefaultFeatureApi("withApi") == GET_IUNKNOWN(*service));
    HM_CHECK(samgr->UnregisterService("withApi") == NULL);
    HM_CHECK(samgr->UnregisterDefaultFeatureApi("withApi") == GET_IUNKNOWN(*service));
    HM_CHECK(samgr->UnregisterService("withApi") == (Service *)service);
    free(service);
}

typedef struct TestFeature {
    INHERIT_FEATURE;
    char name[32];
    int stopped;
} TestFeature;

static const char *FeatureName(Feature *feature)
{
    return ((TestFeature *)feature)->name;
}

static void FeatureInit(Feature *feature, Service *parent, Identity identity)
{
    (void)feature;
    (void)parent;
    (void)identity;
}

static void FeatureStop(Feature *feature, Identity identity)
{
    (void)identity;
    ((TestFeature *)feature)->stopped++;
}

static BOOL FeatureMessage(Feature *feature, Request *request)
{
    (void)feature;
    (void)request;
    return TRUE;
}

static void test_features_limit_duplicates_and_stop(void)
{
    SamgrLite *samgr = SAMGR_GetInstance();
    TestService *service = NewService("features", SINGLE_TASK, PRI_NORMAL);
    HM_CHECK(samgr->RegisterService((Service *)service));
    TestFeature *features = calloc(0x71, sizeof(*features));
    for (int i = 0; i < 0x71; i++) {
        features[i] = (TestFeature){.GetName = FeatureName, .OnInitialize = FeatureInit, .OnStop = FeatureStop,
                                    .OnMessage = FeatureMessage};
        snprintf(features[i].name, sizeof(features[i].name), "f%d", i);
    }
    for (int i = 0; i < 0x70; i++) {
        HM_CHECK(samgr->RegisterFeature("features", (Feature *)&features[i]));
    }
    HM_CHECK(!samgr->RegisterFeature("features", (Feature *)&features[0x70])); /* MAX_FEATURE_NUM */
    HM_CHECK(!samgr->RegisterFeature("features", (Feature *)&features[0]));    /* duplicate */
    HM_CHECK(!samgr->RegisterFeature("nobody", (Feature *)&features[0x70]));
    HM_CHECK(samgr->UnregisterFeature("features", "f5") == (Feature *)&features[5]);
    HM_CHECK_INT_EQ(features[5].stopped, 1);
    HM_CHECK(samgr->RegisterFeature("features", (Feature *)&features[0x70])); /* reuses slot 5 only when full */
    SAMGR_Bootstrap();
    AwaitIdle(service);
    HM_CHECK(!samgr->RegisterFeature("features", (Feature *)&features[5])); /* after initialisation */
    HM_CHECK(samgr->RegisterFeatureApi("features", "f1", GET_IUNKNOWN(*service)));
    HM_CHECK(samgr->GetFeatureApi("features", "f1") == GET_IUNKNOWN(*service));
    HM_CHECK(samgr->GetFeatureApi("features", "unknown") == NULL);
    HM_CHECK(samgr->UnregisterFeature("features", "f1") == NULL); /* it has an API */
    HM_CHECK(samgr->UnregisterFeatureApi("features", "f1") == GET_IUNKNOWN(*service));
    for (int i = 0; i <= 0x70; i++) {
        if (i != 5) {
            HM_CHECK(samgr->UnregisterFeature("features", features[i].name) == (Feature *)&features[i]);
            HM_CHECK_INT_EQ(features[i].stopped, 1);
        }
    }
    HM_CHECK(samgr->UnregisterService("features") == (Service *)service);
    free(features);
    free(service);
}

static void test_iunknown_versions_and_references(void)
{
    TestService *service = NewService("iunknown", NO_TASK, PRI_NORMAL);
    IUnknown *iUnknown = GET_IUNKNOWN(*service);
    void *target = NULL;
    HM_CHECK_INT_EQ(iUnknown->QueryInterface(iUnknown, DEFAULT_VERSION, &target), EC_SUCCESS);
    HM_CHECK(target == iUnknown);
    HM_CHECK_INT_EQ(service->ref, 2);
    HM_CHECK_INT_EQ(iUnknown->Release(iUnknown), 1);
    HM_CHECK_INT_EQ(iUnknown->Release(iUnknown), 0);
    HM_CHECK_INT_EQ(service->ref, 1); /* the entry's own reference stays: statics are never freed */
    HM_CHECK_INT_EQ(iUnknown->QueryInterface(iUnknown, 0x30, &target), EC_INVALID);
    HM_CHECK_INT_EQ(iUnknown->QueryInterface(iUnknown, SERVER_PROXY_VER, &target), EC_INVALID);
    HM_CHECK_INT_EQ(iUnknown->AddRef(iUnknown), 2);
    service->ver = SERVER_IMPL_PROXY_VER;
    HM_CHECK_INT_EQ(iUnknown->QueryInterface(iUnknown, SERVER_PROXY_VER, &target), EC_SUCCESS);
    HM_CHECK_INT_EQ(iUnknown->QueryInterface(iUnknown, 0x60, &target), EC_INVALID); /* CLIENT_PROXY_VER */
    free(service);
}

static void test_task_sharing(void)
{
    SamgrLite *samgr = SAMGR_GetInstance();
    TestService *services[18];
    const char *names[18];
    char buffers[18][16];
    for (int i = 0; i < 16; i++) {
        snprintf(buffers[i], sizeof(buffers[i]), "shared%d", i);
        services[i] = NewService(buffers[i], SHARED_TASK, PRI_ABOVE_NORMAL);
    }
    services[16] = NewService("single", SINGLE_TASK, PRI_ABOVE_NORMAL);
    services[17] = NewService("noTask", NO_TASK, PRI_ABOVE_NORMAL);
    for (int i = 0; i < 18; i++) {
        names[i] = i < 16 ? buffers[i] : services[i]->name;
        HM_CHECK(samgr->RegisterService((Service *)services[i]));
    }
    SAMGR_Bootstrap();
    for (int i = 0; i < 18; i++) {
        AwaitInitialized(services[i]);
        HM_CHECK(services[i]->initialized);
    }
    for (int i = 1; i < 15; i++) {
        HM_CHECK(pthread_equal(services[i]->thread, services[0]->thread)); /* one task per bucket */
    }
    HM_CHECK(!pthread_equal(services[15]->thread, services[0]->thread)); /* the 16th starts a fresh one */
    HM_CHECK(!pthread_equal(services[16]->thread, services[0]->thread));
    HM_CHECK(services[17]->identity.queueId == NULL);                   /* NO_TASK: initialised inline */
    Request request = {.msgId = 1};
    HM_CHECK_INT_EQ(SAMGR_SendRequest(&services[17]->identity, &request, NULL), EC_INVALID);
    /* Data with len > 0 is samgr's once sent (ASan checks it is freed exactly once). */
    Request owned = {.msgId = 2, .len = 8, .data = malloc(8)};
    HM_CHECK_INT_EQ(SAMGR_SendRequest(&services[16]->identity, &owned, NULL), EC_SUCCESS);
    for (int i = 0; i < 2000 && __atomic_load_n(&services[16]->messages, __ATOMIC_ACQUIRE) == 0; i++) {
        usleep(1000);
    }
    HM_CHECK_INT_EQ(services[16]->messages, 1); /* handled after its initialisation: "single" is idle */
    for (int i = 0; i < 16; i++) {
        AwaitIdle(services[i]);
    }
    for (int i = 0; i < 18; i++) {
        HM_CHECK(samgr->UnregisterService(names[i]) == (Service *)services[i]);
        free(services[i]);
    }
}

static void test_ids_reused_only_when_full(void)
{
    SamgrLite *samgr = SAMGR_GetInstance();
    TestService *a = NewService("idA", NO_TASK, PRI_NORMAL);
    TestService *b = NewService("idB", NO_TASK, PRI_NORMAL);
    TestService *c = NewService("idC", NO_TASK, PRI_NORMAL);
    HM_CHECK(samgr->RegisterService((Service *)a));
    HM_CHECK(samgr->RegisterService((Service *)b));
    SAMGR_Bootstrap();
    int16 first = b->identity.serviceId;
    HM_CHECK(samgr->UnregisterService("idB") == (Service *)b);
    HM_CHECK(samgr->RegisterService((Service *)c));
    SAMGR_Bootstrap();
    HM_CHECK(c->identity.serviceId != first || c->identity.serviceId % 4 == 3); /* a free slot waits for a full vector */
    HM_CHECK(samgr->UnregisterService("idA") == (Service *)a);
    HM_CHECK(samgr->UnregisterService("idC") == (Service *)c);
    free(a);
    free(b);
    free(c);
}

static void test_system_capabilities(void)
{
    SamgrLite *samgr = SAMGR_GetInstance();
    HM_CHECK_INT_EQ(samgr->AddSystemCapability(NULL), EC_INVALID);
    HM_CHECK_INT_EQ(samgr->AddSystemCapability(""), EC_INVALID);
    char too_long[MAX_SYSCAP_NAME_LEN + 1];
    memset(too_long, 'x', MAX_SYSCAP_NAME_LEN);
    too_long[MAX_SYSCAP_NAME_LEN] = '\0';
    HM_CHECK_INT_EQ(samgr->AddSystemCapability(too_long), EC_INVALID);
    HM_CHECK_INT_EQ(samgr->AddSystemCapability("SystemCapability.Test"), EC_SUCCESS);
    HM_CHECK_INT_EQ(samgr->AddSystemCapability("SystemCapability.Test"), EC_SUCCESS);
    HM_CHECK(samgr->HasSystemCapability("SystemCapability.Test"));
    HM_CHECK(!samgr->HasSystemCapability("SystemCapability.Other"));
    static char caps[MAX_SYSCAP_NUM][MAX_SYSCAP_NAME_LEN];
    int32 count = 0;
    HM_CHECK_INT_EQ(samgr->GetSystemAvailableCapabilities(caps, &count), EC_SUCCESS);
    HM_CHECK_INT_EQ(count, 1);
    char name[32];
    for (int i = 1; i < MAX_SYSCAP_NUM; i++) {
        snprintf(name, sizeof(name), "cap%d", i);
        HM_CHECK_INT_EQ(samgr->AddSystemCapability(name), EC_SUCCESS);
    }
    HM_CHECK_INT_EQ(samgr->AddSystemCapability("one.too.many"), EC_NORESOURCE);
}

int main(void)
{
    setenv("HARMONIA_SAMGR_ADDRESS", "@harmonia-test-no-samgr", 1);
    HM_RUN(test_service_names_and_duplicates);
    HM_RUN(test_unregister_refused_while_api_or_feature);
    HM_RUN(test_features_limit_duplicates_and_stop);
    HM_RUN(test_iunknown_versions_and_references);
    HM_RUN(test_task_sharing);
    HM_RUN(test_ids_reused_only_when_full);
    HM_RUN(test_system_capabilities);
    return HM_TEST_SUMMARY();
}
