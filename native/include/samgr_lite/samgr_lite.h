/*
 * SamgrLite: the process's registry of services, features and their APIs (SAMGR_GetInstance()), and the boot that
 * starts them (SAMGR_Bootstrap(), called in main once the init macros of ohos_init.h registered everything).
 *
 * Rules (docs/architecture.md section 5.2, the same as the Java samgr): names are 1..15 bytes; at most
 * 0x7FF0 services and 0x70 features per service; features only before their service's initialisation is queued;
 * one API per feature and one default API per service; a service unregisters only without APIs and features, a
 * feature only without API. Refusals answer FALSE or NULL and change nothing.
 *
 * Across processes: an API whose entry answers SERVER_PROXY_VER (iproxy_server.h) is exported to the samgr server
 * once its service is initialised, and GetFeatureApi of a service that is not in this process asks the server and
 * answers a client proxy (iproxy_client.h, registry.h). The server's address is HARMONIA_SAMGR_ADDRESS, else
 * /run/harmonia/samgr.
 *
 * Threads: every function may be called from any thread.
 */
#ifndef LITE_SAMGR_H
#define LITE_SAMGR_H

#include "feature.h"
#include "iunknown.h"

HM_EXTERN_C_BEGIN

#define BOOTSTRAP_SERVICE "Bootstrap"
#define MAX_SYSCAP_NUM 512
#define MAX_SYSCAP_NAME_LEN 64

typedef enum BootMessage {
    BOOT_SYS_COMPLETED,
    BOOT_APP_COMPLETED,
    BOOT_REG_SERVICE,
    BOOTSTRAP_BUTT
} BootMessage;

typedef struct SamgrLite {
    BOOL (*RegisterService)(Service *service);
    Service *(*UnregisterService)(const char *name);
    BOOL (*RegisterFeature)(const char *serviceName, Feature *feature);
    Feature *(*UnregisterFeature)(const char *serviceName, const char *featureName);
    BOOL (*RegisterDefaultFeatureApi)(const char *service, IUnknown *publicApi);
    IUnknown *(*UnregisterDefaultFeatureApi)(const char *service);
    BOOL (*RegisterFeatureApi)(const char *service, const char *feature, IUnknown *publicApi);
    IUnknown *(*UnregisterFeatureApi)(const char *service, const char *feature);
    IUnknown *(*GetDefaultFeatureApi)(const char *service);
    IUnknown *(*GetFeatureApi)(const char *serviceName, const char *feature);
    int32 (*AddSystemCapability)(const char *sysCap);
    BOOL (*HasSystemCapability)(const char *sysCap);
    int32 (*GetSystemAvailableCapabilities)(char sysCaps[MAX_SYSCAP_NUM][MAX_SYSCAP_NAME_LEN], int32 *sysCapNum);
} SamgrLite;

HM_API SamgrLite *SAMGR_GetInstance(void);
/* Starts every registered service not started yet (on its task) and moves the boot phase on; callable again. */
HM_API void SAMGR_Bootstrap(void);

HM_EXTERN_C_END

#endif /* LITE_SAMGR_H */
