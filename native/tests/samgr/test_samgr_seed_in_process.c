/*
 * The README's service and feature (seed_service.c, seed_feature.c, registered by their init macros) used from
 * the same process: the feature's API queried at DEFAULT_VERSION (not as a client proxy), its methods, a request
 * answered by the feature's OnMessage, reference counts, and the service's own API.
 */
#include <unistd.h>

#include "hm_test.h"
#include "seed_example.h"

typedef struct DemoApi {
    INHERIT_SERVER_IPROXY;
    BOOL (*AsyncCall)(IUnknown *iUnknown, const char *buff);
    BOOL (*AsyncTimeCall)(IUnknown *iUnknown);
    BOOL (*SyncCall)(IUnknown *iUnknown, struct Payload *payload);
    BOOL (*AsyncCallBack)(IUnknown *iUnknown, const char *buff, IOwner notify, INotifyFunc handler);
} DemoApi;

static char g_notified[64];

static void AsyncHandler(IOwner notify, const char *response)
{
    (void)notify;
    snprintf(g_notified, sizeof(g_notified), "%s", response);
}

static void test_feature_api_in_process(void)
{
    DemoApi *demoApi = NULL;
    IUnknown *iUnknown = SAMGR_GetInstance()->GetFeatureApi(EXAMPLE_SERVICE, EXAMPLE_FEATURE);
    HM_CHECK(iUnknown != NULL);
    int result = iUnknown->QueryInterface(iUnknown, DEFAULT_VERSION, (void **)&demoApi);
    HM_CHECK_INT_EQ(result, EC_SUCCESS);
    HM_CHECK(demoApi != NULL && demoApi->AsyncCallBack != NULL);
    demoApi->AsyncCallBack((IUnknown *)demoApi, "I wanna async call callback good result!", NULL, AsyncHandler);
    HM_CHECK_STR_EQ(g_notified, "Yes, you did!");
    struct Payload payload = {1, 2, "name"};
    HM_CHECK(demoApi->SyncCall((IUnknown *)demoApi, &payload));
    HM_CHECK(!demoApi->AsyncCall((IUnknown *)demoApi, NULL));
    int32 ref = demoApi->Release((IUnknown *)demoApi);
    HM_CHECK_INT_EQ(ref, 1);
    void *proxy = NULL;
    HM_CHECK_INT_EQ(iUnknown->QueryInterface(iUnknown, CLIENT_PROXY_VER, &proxy), EC_INVALID);
    HM_CHECK_INT_EQ(iUnknown->QueryInterface(iUnknown, SERVER_PROXY_VER, &proxy), EC_SUCCESS);
    HM_CHECK_INT_EQ(iUnknown->Release(iUnknown), 1);
    HM_CHECK_INT_EQ(iUnknown->QueryInterface(iUnknown, 0x30, &proxy), EC_INVALID);
}

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_answered = PTHREAD_COND_INITIALIZER;
static char g_response[64];

static void OnResponse(const Request *request, const Response *response)
{
    (void)request;
    pthread_mutex_lock(&g_lock);
    snprintf(g_response, sizeof(g_response), "%s", response->data == NULL ? "(empty)" : (const char *)response->data);
    pthread_cond_signal(&g_answered);
    pthread_mutex_unlock(&g_lock);
}

/* The feature's identity, from the service's registry: (service id, feature 0, the service's task). */
static void test_request_answered_by_on_message(void)
{
    /* The service's Initialize saved its identity; the feature's identity is the same with featureId 0. */
    IUnknown *iUnknown = SAMGR_GetInstance()->GetDefaultFeatureApi(EXAMPLE_SERVICE);
    HM_CHECK(iUnknown != NULL);
    typedef struct DefaultFeatureApiView {
        INHERIT_SERVER_IPROXY;
        BOOL (*SyncCall)(IUnknown *iUnknown);
    } DefaultFeatureApiView;
    typedef struct ServiceView { /* seed_service.c's ExampleService */
        INHERIT_SERVICE;
        INHERIT_IUNKNOWNENTRY(DefaultFeatureApiView);
        Identity identity;
    } ServiceView;
    ServiceView *service = GET_OBJECT(iUnknown, ServiceView, iUnknown);
    Identity feature;
    for (int i = 0; i < 2000; i++) {
        /* Initialize runs on the service's task. Identity is packed: read it whole (no atomic on an unaligned
         * field, which traps on ARM), behind a fence. */
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        memcpy(&feature, (const void *)&service->identity, sizeof(feature));
        if (feature.queueId != NULL) {
            break;
        }
        usleep(1000);
    }
    feature.featureId = 0;
    HM_CHECK(feature.queueId != NULL);
    Request request = {.msgId = MSG_PROC, .len = 0, .data = NULL, .msgValue = 0};
    pthread_mutex_lock(&g_lock);
    g_response[0] = '\0';
    pthread_mutex_unlock(&g_lock);
    HM_CHECK_INT_EQ(SAMGR_SendRequest(&feature, &request, OnResponse), EC_SUCCESS);
    pthread_mutex_lock(&g_lock);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 5;
    while (g_response[0] == '\0' && pthread_cond_timedwait(&g_answered, &g_lock, &until) == 0) {
    }
    HM_CHECK_STR_EQ(g_response, "Yes, you did!");
    pthread_mutex_unlock(&g_lock);
    Identity nowhere = {-1, -200, NULL};
    HM_CHECK_INT_EQ(SAMGR_SendRequest(&nowhere, &request, NULL), EC_INVALID);
    HM_CHECK_INT_EQ(SAMGR_SendRequest(NULL, &request, NULL), EC_INVALID);
    HM_CHECK_INT_EQ(SAMGR_SendRequest(&feature, NULL, NULL), EC_INVALID);
}

int main(void)
{
    /* No samgr server here: the exported APIs wait for one in the background. */
    setenv("HARMONIA_SAMGR_ADDRESS", "@harmonia-test-no-samgr", 1);
    SAMGR_Bootstrap();
    HM_RUN(test_feature_api_in_process);
    HM_RUN(test_request_answered_by_on_message);
    return HM_TEST_SUMMARY();
}
