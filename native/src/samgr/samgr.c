/*
 * The registry and the boot (samgr_lite.h): services by name and id, their features and APIs, system
 * capabilities, and SAMGR_Bootstrap, which gives every new service its task and initialises it there.
 *
 * Initialisation of a service, on its task (inline for NO_TASK): Initialize(service, {id, -1, task}); then
 * OnInitialize(feature, service, {id, featureId, task}) for each feature; then the service is idle and its APIs
 * (and APIs registered later) are handed to the endpoint (remote.c), which exports those that answer
 * SERVER_PROXY_VER. Features can be added only before the service's initialisation is queued.
 *
 * Threads and errors: hm_samgr_lock guards everything here; user functions (GetName, GetTaskConfig, lifecycle)
 * run without it. Refusals return FALSE/NULL/EC_* and change nothing.
 */
#include "samgr_internal.h"

#include <stdlib.h>
#include <string.h>

pthread_mutex_t hm_samgr_lock = PTHREAD_MUTEX_INITIALIZER;

static hm_slots g_services;
static char g_syscaps[MAX_SYSCAP_NUM][MAX_SYSCAP_NAME_LEN];
static int32 g_syscap_count;

bool hm_samgr_name_valid(const char *name)
{
    if (name == NULL) {
        return false;
    }
    size_t length = strnlen(name, HM_SAMGR_MAX_NAME + 1);
    return length >= 1 && length <= HM_SAMGR_MAX_NAME;
}

hm_service_impl *hm_samgr_service_by_id(int16 id)
{
    return hm_slots_at(&g_services, id);
}

hm_service_impl *hm_samgr_service_by_name(const char *name)
{
    for (int16 i = 0; i < g_services.top; i++) {
        hm_service_impl *impl = g_services.data[i];
        if (impl != NULL && strcmp(impl->name, name) == 0) {
            return impl;
        }
    }
    return NULL;
}

static int16 feature_index(const hm_service_impl *impl, const char *name)
{
    for (int16 i = 0; i < impl->features.top; i++) {
        hm_feature_impl *entry = impl->features.data[i];
        if (entry != NULL && strcmp(entry->name, name) == 0) {
            return i;
        }
    }
    return INVALID_INDEX;
}

/* ---- services ---- */

static BOOL RegisterService(Service *service)
{
    if (service == NULL || service->GetName == NULL || service->Initialize == NULL ||
        service->MessageHandle == NULL || service->GetTaskConfig == NULL) {
        return FALSE;
    }
    const char *name = service->GetName(service);
    if (!hm_samgr_name_valid(name)) {
        return FALSE;
    }
    hm_service_impl *impl = calloc(1, sizeof(*impl));
    if (impl == NULL) {
        return FALSE;
    }
    impl->service = service;
    memcpy(impl->name, name, strlen(name) + 1);
    pthread_mutex_lock(&hm_samgr_lock);
    BOOL added = FALSE;
    if (hm_samgr_service_by_name(name) == NULL && hm_slots_count(&g_services) < HM_SAMGR_MAX_SERVICE_NUM) {
        impl->id = hm_slots_add(&g_services, impl);
        added = impl->id >= 0;
    }
    pthread_mutex_unlock(&hm_samgr_lock);
    if (!added) {
        free(impl);
    }
    return added;
}

static Service *UnregisterService(const char *name)
{
    if (!hm_samgr_name_valid(name)) {
        return NULL;
    }
    pthread_mutex_lock(&hm_samgr_lock);
    hm_service_impl *impl = hm_samgr_service_by_name(name);
    if (impl == NULL || impl->default_api != NULL || hm_slots_count(&impl->features) > 0 ||
        impl->status == HM_SVC_QUEUED) {
        pthread_mutex_unlock(&hm_samgr_lock);
        return NULL;
    }
    hm_slots_take(&g_services, impl->id);
    hm_task_release(impl->task);
    pthread_mutex_unlock(&hm_samgr_lock);
    Service *service = impl->service;
    hm_slots_clear(&impl->features);
    free(impl);
    return service;
}

/* ---- features ---- */

static BOOL RegisterFeature(const char *serviceName, Feature *feature)
{
    if (feature == NULL || feature->GetName == NULL || feature->OnInitialize == NULL || feature->OnStop == NULL ||
        feature->OnMessage == NULL || !hm_samgr_name_valid(serviceName)) {
        return FALSE;
    }
    const char *name = feature->GetName(feature);
    if (!hm_samgr_name_valid(name)) {
        return FALSE;
    }
    hm_feature_impl *entry = calloc(1, sizeof(*entry));
    if (entry == NULL) {
        return FALSE;
    }
    entry->feature = feature;
    memcpy(entry->name, name, strlen(name) + 1);
    BOOL added = FALSE;
    pthread_mutex_lock(&hm_samgr_lock);
    hm_service_impl *impl = hm_samgr_service_by_name(serviceName);
    if (impl != NULL && impl->status == HM_SVC_INIT && feature_index(impl, name) < 0 &&
        hm_slots_count(&impl->features) < HM_SAMGR_MAX_FEATURE_NUM) {
        added = hm_slots_add(&impl->features, entry) >= 0;
    }
    pthread_mutex_unlock(&hm_samgr_lock);
    if (!added) {
        free(entry);
    }
    return added;
}

typedef struct feature_stop {
    Feature *feature;
    Identity identity;
} feature_stop;

static void stop_feature(void *arg)
{
    feature_stop *stop = arg;
    stop->feature->OnStop(stop->feature, stop->identity);
}

static Feature *UnregisterFeature(const char *serviceName, const char *featureName)
{
    if (!hm_samgr_name_valid(serviceName) || !hm_samgr_name_valid(featureName)) {
        return NULL;
    }
    pthread_mutex_lock(&hm_samgr_lock);
    hm_service_impl *impl = hm_samgr_service_by_name(serviceName);
    int16 index = impl == NULL ? INVALID_INDEX : feature_index(impl, featureName);
    hm_feature_impl *entry = hm_slots_at(impl == NULL ? &(hm_slots){0} : &impl->features, index);
    if (entry == NULL || entry->api != NULL || impl->status == HM_SVC_QUEUED) {
        pthread_mutex_unlock(&hm_samgr_lock);
        return NULL;
    }
    hm_slots_take(&impl->features, index);
    hm_task *task = impl->task;
    feature_stop stop = {entry->feature, {impl->id, index, task}};
    pthread_mutex_unlock(&hm_samgr_lock);
    hm_samgr_run_on_task(task, stop_feature, &stop, true);
    free(entry);
    return stop.feature;
}

/* ---- APIs ---- */

static bool api_valid(const IUnknown *api)
{
    return api != NULL && api->QueryInterface != NULL && api->AddRef != NULL && api->Release != NULL;
}

static BOOL RegisterFeatureApi(const char *service, const char *feature, IUnknown *publicApi)
{
    if (!api_valid(publicApi) || !hm_samgr_name_valid(service) ||
        (feature != NULL && !hm_samgr_name_valid(feature))) {
        return FALSE;
    }
    pthread_mutex_lock(&hm_samgr_lock);
    hm_service_impl *impl = hm_samgr_service_by_name(service);
    IUnknown **slot = NULL;
    int16 index = INVALID_INDEX;
    if (impl != NULL && feature == NULL) {
        slot = &impl->default_api;
    } else if (impl != NULL) {
        index = feature_index(impl, feature);
        hm_feature_impl *entry = hm_slots_at(&impl->features, index);
        slot = entry == NULL ? NULL : &entry->api;
    }
    if (slot == NULL || *slot != NULL) {
        pthread_mutex_unlock(&hm_samgr_lock);
        return FALSE;
    }
    *slot = publicApi;
    bool ready = impl->status == HM_SVC_IDLE;
    Identity identity = {impl->id, index, impl->task};
    pthread_mutex_unlock(&hm_samgr_lock);
    if (ready) {
        hm_samgr_api_ready(service, feature, publicApi, &identity);
    }
    return TRUE;
}

static BOOL RegisterDefaultFeatureApi(const char *service, IUnknown *publicApi)
{
    return RegisterFeatureApi(service, NULL, publicApi);
}

static IUnknown *UnregisterFeatureApi(const char *service, const char *feature)
{
    if (!hm_samgr_name_valid(service) || (feature != NULL && !hm_samgr_name_valid(feature))) {
        return NULL;
    }
    pthread_mutex_lock(&hm_samgr_lock);
    hm_service_impl *impl = hm_samgr_service_by_name(service);
    IUnknown **slot = NULL;
    if (impl != NULL && feature == NULL) {
        slot = &impl->default_api;
    } else if (impl != NULL) {
        hm_feature_impl *entry = hm_slots_at(&impl->features, feature_index(impl, feature));
        slot = entry == NULL ? NULL : &entry->api;
    }
    IUnknown *api = slot == NULL ? NULL : *slot;
    if (slot != NULL) {
        *slot = NULL;
    }
    pthread_mutex_unlock(&hm_samgr_lock);
    if (api != NULL) {
        hm_samgr_api_gone(service, feature, api);
    }
    return api;
}

static IUnknown *UnregisterDefaultFeatureApi(const char *service)
{
    return UnregisterFeatureApi(service, NULL);
}

static IUnknown *GetFeatureApi(const char *serviceName, const char *feature)
{
    if (!hm_samgr_name_valid(serviceName) || (feature != NULL && !hm_samgr_name_valid(feature))) {
        return NULL;
    }
    pthread_mutex_lock(&hm_samgr_lock);
    hm_service_impl *impl = hm_samgr_service_by_name(serviceName);
    IUnknown *api = NULL;
    if (impl != NULL && feature == NULL) {
        api = impl->default_api;
    } else if (impl != NULL) {
        hm_feature_impl *entry = hm_slots_at(&impl->features, feature_index(impl, feature));
        api = entry == NULL ? NULL : entry->api;
    }
    pthread_mutex_unlock(&hm_samgr_lock);
    if (impl == NULL) {
        return hm_samgr_remote_api(serviceName, feature);
    }
    return api;
}

static IUnknown *GetDefaultFeatureApi(const char *service)
{
    return GetFeatureApi(service, NULL);
}

/* ---- system capabilities ---- */

static bool syscap_valid(const char *name)
{
    if (name == NULL) {
        return false;
    }
    size_t length = strnlen(name, MAX_SYSCAP_NAME_LEN);
    return length >= 1 && length < MAX_SYSCAP_NAME_LEN; /* with its NUL in a MAX_SYSCAP_NAME_LEN array */
}

static int32 syscap_index(const char *name)
{
    for (int32 i = 0; i < g_syscap_count; i++) {
        if (strcmp(g_syscaps[i], name) == 0) {
            return i;
        }
    }
    return -1;
}

static int32 AddSystemCapability(const char *sysCap)
{
    if (!syscap_valid(sysCap)) {
        return EC_INVALID;
    }
    int32 rc = EC_SUCCESS;
    pthread_mutex_lock(&hm_samgr_lock);
    if (syscap_index(sysCap) < 0) {
        if (g_syscap_count >= MAX_SYSCAP_NUM) {
            rc = EC_NORESOURCE;
        } else {
            memcpy(g_syscaps[g_syscap_count++], sysCap, strlen(sysCap) + 1);
        }
    }
    pthread_mutex_unlock(&hm_samgr_lock);
    return rc;
}

static BOOL HasSystemCapability(const char *sysCap)
{
    if (!syscap_valid(sysCap)) {
        return FALSE;
    }
    pthread_mutex_lock(&hm_samgr_lock);
    BOOL found = syscap_index(sysCap) >= 0;
    pthread_mutex_unlock(&hm_samgr_lock);
    return found;
}

static int32 GetSystemAvailableCapabilities(char sysCaps[MAX_SYSCAP_NUM][MAX_SYSCAP_NAME_LEN], int32 *sysCapNum)
{
    if (sysCaps == NULL || sysCapNum == NULL) {
        return EC_INVALID;
    }
    pthread_mutex_lock(&hm_samgr_lock);
    memcpy(sysCaps, g_syscaps, sizeof(g_syscaps[0]) * (size_t)g_syscap_count);
    *sysCapNum = g_syscap_count;
    pthread_mutex_unlock(&hm_samgr_lock);
    return EC_SUCCESS;
}

/* ---- boot ---- */

typedef struct ready_api {
    const char *feature;
    IUnknown *api;
    Identity identity;
} ready_api;

/* Runs on the service's task (inline for NO_TASK). */
static void initialize_service(void *arg)
{
    hm_service_impl *impl = arg;
    Identity identity = {impl->id, INVALID_INDEX, impl->task};
    impl->service->Initialize(impl->service, identity);
    pthread_mutex_lock(&hm_samgr_lock);
    int16 count = impl->features.top;
    hm_feature_impl **features = calloc((size_t)count + 1, sizeof(*features));
    for (int16 i = 0; features != NULL && i < count; i++) {
        features[i] = impl->features.data[i];
    }
    pthread_mutex_unlock(&hm_samgr_lock);
    for (int16 i = 0; features != NULL && i < count; i++) {
        if (features[i] != NULL) {
            Identity feature_identity = {impl->id, i, impl->task};
            features[i]->feature->OnInitialize(features[i]->feature, impl->service, feature_identity);
        }
    }
    free(features);
    /* Idle: from here on the APIs it has, and those registered later, go to the endpoint. */
    pthread_mutex_lock(&hm_samgr_lock);
    impl->status = HM_SVC_IDLE;
    ready_api *ready = calloc((size_t)impl->features.top + 1, sizeof(*ready));
    int count_ready = 0;
    if (ready != NULL && impl->default_api != NULL) {
        ready[count_ready++] = (ready_api){NULL, impl->default_api, identity};
    }
    for (int16 i = 0; ready != NULL && i < impl->features.top; i++) {
        hm_feature_impl *entry = impl->features.data[i];
        if (entry != NULL && entry->api != NULL) {
            ready[count_ready++] = (ready_api){entry->name, entry->api, {impl->id, i, impl->task}};
        }
    }
    char service_name[HM_SAMGR_MAX_NAME + 1];
    memcpy(service_name, impl->name, sizeof(service_name));
    pthread_mutex_unlock(&hm_samgr_lock);
    for (int i = 0; i < count_ready; i++) {
        hm_samgr_api_ready(service_name, ready[i].feature, ready[i].api, &ready[i].identity);
    }
    free(ready);
}

void SAMGR_Bootstrap(void)
{
    pthread_mutex_lock(&hm_samgr_lock);
    int16 top = g_services.top;
    hm_service_impl **starting = calloc((size_t)top + 1, sizeof(*starting));
    int16 count = 0;
    for (int16 i = 0; starting != NULL && i < top; i++) {
        hm_service_impl *impl = g_services.data[i];
        if (impl != NULL && impl->status == HM_SVC_INIT) {
            impl->status = HM_SVC_QUEUED;
            starting[count++] = impl;
        }
    }
    pthread_mutex_unlock(&hm_samgr_lock);
    for (int16 i = 0; i < count; i++) {
        hm_service_impl *impl = starting[i];
        TaskConfig config = impl->service->GetTaskConfig(impl->service);
        pthread_mutex_lock(&hm_samgr_lock);
        impl->task = config.taskFlags == NO_TASK ? NULL : hm_task_acquire(&config);
        hm_task *task = impl->task;
        int rc = task == NULL ? EC_INVALID : hm_task_start(task);
        pthread_mutex_unlock(&hm_samgr_lock);
        hm_exchange init = {.type = HM_MSG_CALL, .call = initialize_service, .arg = impl};
        if (rc != EC_SUCCESS || hm_task_put(task, &init, true) != EC_SUCCESS) {
            initialize_service(impl); /* NO_TASK (or no thread could be made): inline, as samgr_lite */
        }
    }
    free(starting);
}

static SamgrLite g_samgr = {
    .RegisterService = RegisterService,
    .UnregisterService = UnregisterService,
    .RegisterFeature = RegisterFeature,
    .UnregisterFeature = UnregisterFeature,
    .RegisterDefaultFeatureApi = RegisterDefaultFeatureApi,
    .UnregisterDefaultFeatureApi = UnregisterDefaultFeatureApi,
    .RegisterFeatureApi = RegisterFeatureApi,
    .UnregisterFeatureApi = UnregisterFeatureApi,
    .GetDefaultFeatureApi = GetDefaultFeatureApi,
    .GetFeatureApi = GetFeatureApi,
    .AddSystemCapability = AddSystemCapability,
    .HasSystemCapability = HasSystemCapability,
    .GetSystemAvailableCapabilities = GetSystemAvailableCapabilities,
};

SamgrLite *SAMGR_GetInstance(void)
{
    return &g_samgr;
}
