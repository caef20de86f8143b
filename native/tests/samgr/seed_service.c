/*
 * The README's "Developing a Service": a service whose default API has .Invoke = NULL (exported, answered
 * EC_NOHANDLER across processes) and a SyncCall for callers in this process.
 */
#include "seed_example.h"

typedef struct DefaultFeatureApi {
    INHERIT_SERVER_IPROXY;
    BOOL (*SyncCall)(IUnknown *iUnknown);
} DefaultFeatureApi;

static BOOL SyncCall(IUnknown *iUnknown)
{
    (void)iUnknown;
    return TRUE;
}

/* ---- the README's code, unchanged ---- */

typedef struct ExampleService {
    INHERIT_SERVICE;
    INHERIT_IUNKNOWNENTRY(DefaultFeatureApi);
    Identity identity;
} ExampleService;

static const char *GetName(Service *service)
{
    return EXAMPLE_SERVICE;
}

static BOOL Initialize(Service *service, Identity identity)
{
    ExampleService *example = (ExampleService *)service;
    // Save the unique ID of the service, which is used when IUnknown is used to send messages to the service.
    example->identity = identity;
    return TRUE;
}
static BOOL MessageHandle(Service *service, Request *msg)
{
    ExampleService *example = (ExampleService *)service;
    switch (msg->msgId) {
        case MSG_SYNC:
            // Process the service.
            break;
        default:break;
    }
    return FALSE;
}
static TaskConfig GetTaskConfig(Service *service)
{
    TaskConfig config = {LEVEL_HIGH, PRI_BELOW_NORMAL,
                         0x800, 20, SHARED_TASK};
    return config;
}

static ExampleService g_example = {
    .GetName = GetName,
    .Initialize = Initialize,
    .MessageHandle = MessageHandle,
    .GetTaskConfig = GetTaskConfig,
    SERVER_IPROXY_IMPL_BEGIN,
    .Invoke = NULL,
    .SyncCall = SyncCall,
    IPROXY_END,
};

static void Init(void)
{
    SAMGR_GetInstance()->RegisterService((Service *)&g_example);
    SAMGR_GetInstance()->RegisterDefaultFeatureApi(EXAMPLE_SERVICE, GET_IUNKNOWN(g_example));
}

SYSEX_SERVICE_INIT(Init);
