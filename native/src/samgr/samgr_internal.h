/*
 * What the samgr_lite sources share: the registry (samgr.c), the tasks and their queues (task.c), messages
 * (message.c), and the bridge to other processes (remote.c, export.c, client_proxy.c).
 *
 * One lock (hm_samgr_lock) guards the registry, every task's reference count and every queue's admission; it is
 * never held while user code runs (lifecycle functions, handlers, Invoke, factories).
 */
#ifndef HARMONIA_SAMGR_INTERNAL_H
#define HARMONIA_SAMGR_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "feature.h"
#include "iproxy_server.h"
#include "message.h"
#include "ohos_errno.h"
#include "samgr_lite.h"
#include "service.h"

/* Longest service or feature name in bytes ("less than 16 bytes"). */
#define HM_SAMGR_MAX_NAME 15u
#define HM_SAMGR_MAX_SERVICE_NUM 0x7FF0
#define HM_SAMGR_MAX_FEATURE_NUM 0x70
/* Shared tasks: one per priority bucket (priority / 8), queue of 25, at most 15 services each. */
#define HM_SAMGR_SHARED_QUEUE_SIZE 25u
#define HM_SAMGR_MAX_TASK_REFS 15
#define HM_SAMGR_PRIORITY_STEP 8
#define HM_SAMGR_MAX_POOL_NUM 8
/* Vectors grow by this many slots (OpenHarmony's Vector). */
#define HM_SAMGR_GROW_STEP 4

/* Exchange types, as samgr_lite's message_inner.h numbers them. */
enum {
    HM_MSG_EXIT = -1,
    HM_MSG_NON = 0,
    HM_MSG_CON = 1,
    HM_MSG_ACK = 2,
    HM_MSG_DIRECT = 4,
    /* Harmonia's own: run `call(arg)` on the task (lifecycle steps, calls from other processes). */
    HM_MSG_CALL = 5,
};

typedef struct hm_task hm_task;

/* One queued message, copied by value into the queue and out of it. */
typedef struct hm_exchange {
    Identity id;
    Request request;
    Response response;
    int type;
    Handler handler;
    uint32 *shared_ref;
    /* The sender's task for a MSG_CON request (NULL when the sender was no task thread). */
    hm_task *origin;
    /* HM_MSG_CALL. */
    void (*call)(void *arg);
    void *arg;
    /* A MSG_CON request that got at least one answer (no automatic empty answer then). */
    bool answered;
} hm_exchange;

/* A task: one queue and the one thread that drains it. */
struct hm_task {
    pthread_mutex_t lock;
    pthread_cond_t readable;
    struct hm_exchange_node *head;
    struct hm_exchange_node *tail;
    uint32_t queued;
    uint32_t capacity;
    /* Guarded by hm_samgr_lock: services using it, the config it was made with, its shared bucket or -1. */
    int refs;
    TaskConfig config;
    int bucket;
    bool started;
    pthread_t thread;
};

/* Registry entries. */
typedef struct hm_feature_impl {
    Feature *feature;
    char name[HM_SAMGR_MAX_NAME + 1];
    IUnknown *api;
} hm_feature_impl;

enum { HM_SVC_INIT = 0, HM_SVC_QUEUED = 1, HM_SVC_IDLE = 2 };

typedef struct hm_slots {
    void **data;
    int16 max;
    int16 top;
    int16 free;
} hm_slots;

typedef struct hm_service_impl {
    Service *service;
    char name[HM_SAMGR_MAX_NAME + 1];
    int16 id;
    int status;
    IUnknown *default_api;
    hm_slots features;
    hm_task *task;
} hm_service_impl;

extern pthread_mutex_t hm_samgr_lock;

/* Names: 1..15 bytes; NULL or "" or longer are refused. */
bool hm_samgr_name_valid(const char *name);

/* Slot vectors (caller holds the lock). */
int16 hm_slots_add(hm_slots *slots, void *element);
void *hm_slots_at(const hm_slots *slots, int16 index);
void *hm_slots_take(hm_slots *slots, int16 index);
int16 hm_slots_count(const hm_slots *slots);
void hm_slots_clear(hm_slots *slots);

/* Registry look-ups (caller holds the lock). */
hm_service_impl *hm_samgr_service_by_id(int16 id);
hm_service_impl *hm_samgr_service_by_name(const char *name);

/* Tasks (caller holds hm_samgr_lock for acquire/release). */
hm_task *hm_task_acquire(const TaskConfig *config);
void hm_task_release(hm_task *task);
int hm_task_start(hm_task *task);
/* Queues an exchange: `forced` ones (responses, lifecycle) ignore the capacity. EC_BUSBUSY, EC_NOMEMORY. */
int hm_task_put(hm_task *task, const hm_exchange *exchange, bool forced);
/* The task whose thread is calling, or NULL. */
hm_task *hm_task_current(void);
/* Whether a task still takes messages (caller holds hm_samgr_lock). */
bool hm_task_alive(const hm_task *task);
/* The exchange being handled on this thread (SendResponse finds its request there), or NULL. */
hm_exchange *hm_task_current_exchange(void);
/* Handles one exchange on the task's thread (message.c). */
void hm_samgr_dispatch(hm_task *task, hm_exchange *exchange);
/*
 * Runs call(arg) on the service's task and waits (inline when there is no task or when already on it). Not
 * forced: EC_BUSBUSY when the queue is full; forced: inline when it cannot be queued.
 */
int hm_samgr_run_on_task(hm_task *task, void (*call)(void *arg), void *arg, bool forced);

/* Frees the data of a handled message (len > 0) unless a shared reference still holds it. */
void hm_exchange_free_data(hm_exchange *exchange);

/* Across processes (remote.c): an initialised API that may be exported, and its withdrawal. */
void hm_samgr_api_ready(const char *service, const char *feature, IUnknown *api, const Identity *identity);
void hm_samgr_api_gone(const char *service, const char *feature, IUnknown *api);
/* GetFeatureApi of a service this process does not have: a client proxy (cached), or NULL. */
IUnknown *hm_samgr_remote_api(const char *service, const char *feature);

#endif /* HARMONIA_SAMGR_INTERNAL_H */
