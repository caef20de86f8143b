/*
 * Tasks: a queue of exchanges and the one thread that drains it (samgr_lite's task pools with one thread each).
 *
 *   SHARED_TASK     one task per priority bucket (priority / 8; a priority outside [PRI_LOW, PRI_BUTT) counts as
 *                   PRI_LOW), queue of 25, at most 15 services; the 16th starts a fresh task for the bucket.
 *   SPECIFIED_TASK  the task of a service whose TaskConfig is equal in every byte, up to 15 services; else its own.
 *   SINGLE_TASK     a task of its own with a queue of queueSize (1..65535).
 *   NO_TASK         none: the service is initialised inline and cannot receive messages.
 *
 * The queue is a mutex-guarded FIFO list: requests are accepted while fewer than `capacity` exchanges wait, else
 * EC_BUSBUSY (nothing waits for room); responses and lifecycle steps are always accepted (they count too), since a
 * refused response could only be dropped. Threads run at normal priority (no real-time scheduling, no root) with
 * the larger of the configured stack and 64 KiB. A task ends when its last service leaves: an exit exchange is
 * queued behind the ones already accepted, and the thread frees the task after handling them.
 */
#include "samgr_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define HM_TASK_MIN_STACK (64u * 1024u)

typedef struct hm_exchange_node {
    struct hm_exchange_node *next;
    hm_exchange exchange;
} hm_exchange_node;

/* Shared tasks by bucket, and every task for SPECIFIED_TASK's search. Guarded by hm_samgr_lock. */
static hm_task *g_shared[HM_SAMGR_MAX_POOL_NUM];
static hm_slots g_tasks;

static __thread hm_task *t_current_task;
static __thread hm_exchange *t_current_exchange;

hm_task *hm_task_current(void)
{
    return t_current_task;
}

hm_exchange *hm_task_current_exchange(void)
{
    return t_current_exchange;
}

bool hm_task_alive(const hm_task *task)
{
    for (int16 i = 0; i < g_tasks.top; i++) {
        if (g_tasks.data[i] == task) {
            return true;
        }
    }
    return false;
}

static hm_task *task_create(const TaskConfig *config, uint32_t capacity, int bucket)
{
    hm_task *task = calloc(1, sizeof(*task));
    if (task == NULL) {
        return NULL;
    }
    pthread_mutex_init(&task->lock, NULL);
    pthread_cond_init(&task->readable, NULL);
    task->capacity = capacity;
    task->config = *config;
    task->bucket = bucket;
    if (hm_slots_add(&g_tasks, task) < 0) {
        pthread_cond_destroy(&task->readable);
        pthread_mutex_destroy(&task->lock);
        free(task);
        return NULL;
    }
    return task;
}

hm_task *hm_task_acquire(const TaskConfig *config)
{
    hm_task *task = NULL;
    switch (config->taskFlags) {
    case SHARED_TASK: {
        int16 priority = config->priority;
        if (priority < PRI_LOW || priority >= PRI_BUTT) {
            priority = PRI_LOW;
        }
        int bucket = priority / HM_SAMGR_PRIORITY_STEP;
        task = g_shared[bucket];
        if (task == NULL || task->refs >= HM_SAMGR_MAX_TASK_REFS) {
            TaskConfig shared = {LEVEL_HIGH, (int16)(bucket * HM_SAMGR_PRIORITY_STEP + 1), 0x800,
                                 HM_SAMGR_SHARED_QUEUE_SIZE, SHARED_TASK};
            task = task_create(&shared, HM_SAMGR_SHARED_QUEUE_SIZE, bucket);
            g_shared[bucket] = task;
        }
        break;
    }
    case SPECIFIED_TASK:
        for (int16 i = 0; i < g_tasks.top; i++) {
            hm_task *candidate = g_tasks.data[i];
            if (candidate != NULL && candidate->bucket < 0 && candidate->refs < HM_SAMGR_MAX_TASK_REFS &&
                memcmp(&candidate->config, config, sizeof(*config)) == 0) {
                task = candidate;
                break;
            }
        }
        if (task == NULL) {
            task = task_create(config, config->queueSize, -1);
        }
        break;
    case SINGLE_TASK:
        if (config->queueSize == 0) {
            return NULL;
        }
        task = task_create(config, config->queueSize, -2);
        break;
    default:
        return NULL;
    }
    if (task != NULL) {
        task->refs++;
    }
    return task;
}

static void task_forget(hm_task *task)
{
    for (int16 i = 0; i < g_tasks.top; i++) {
        if (g_tasks.data[i] == task) {
            hm_slots_take(&g_tasks, i);
        }
    }
    if (task->bucket >= 0 && g_shared[task->bucket] == task) {
        g_shared[task->bucket] = NULL;
    }
}

static void task_destroy(hm_task *task)
{
    for (hm_exchange_node *node = task->head; node != NULL;) {
        hm_exchange_node *next = node->next;
        hm_exchange_free_data(&node->exchange);
        free(node);
        node = next;
    }
    pthread_cond_destroy(&task->readable);
    pthread_mutex_destroy(&task->lock);
    free(task);
}

void hm_task_release(hm_task *task)
{
    if (task == NULL || --task->refs > 0) {
        return;
    }
    task_forget(task);
    if (!task->started) {
        task_destroy(task);
        return;
    }
    hm_exchange exit_message = {.type = HM_MSG_EXIT};
    if (hm_task_put(task, &exit_message, true) != EC_SUCCESS) {
        /* No memory for the exit message: the thread lives on, idle; nothing can reach the task any more. */
        return;
    }
}

int hm_task_put(hm_task *task, const hm_exchange *exchange, bool forced)
{
    hm_exchange_node *node = malloc(sizeof(*node));
    if (node == NULL) {
        return EC_NOMEMORY;
    }
    node->next = NULL;
    node->exchange = *exchange;
    pthread_mutex_lock(&task->lock);
    if (!forced && task->queued >= task->capacity) {
        pthread_mutex_unlock(&task->lock);
        free(node);
        return EC_BUSBUSY;
    }
    if (task->tail == NULL) {
        task->head = node;
    } else {
        task->tail->next = node;
    }
    task->tail = node;
    task->queued++;
    pthread_cond_signal(&task->readable);
    pthread_mutex_unlock(&task->lock);
    return EC_SUCCESS;
}

static void *task_main(void *arg)
{
    hm_task *task = arg;
    t_current_task = task;
    for (;;) {
        pthread_mutex_lock(&task->lock);
        while (task->head == NULL) {
            pthread_cond_wait(&task->readable, &task->lock);
        }
        hm_exchange_node *node = task->head;
        task->head = node->next;
        if (task->head == NULL) {
            task->tail = NULL;
        }
        task->queued--;
        pthread_mutex_unlock(&task->lock);
        if (node->exchange.type == HM_MSG_EXIT) {
            free(node);
            break;
        }
        t_current_exchange = &node->exchange;
        hm_samgr_dispatch(task, &node->exchange);
        t_current_exchange = NULL;
        free(node);
    }
    t_current_task = NULL;
    task_destroy(task);
    return NULL;
}

int hm_task_start(hm_task *task)
{
    if (task->started) {
        return EC_SUCCESS;
    }
    pthread_attr_t attr;
    if (pthread_attr_init(&attr) != 0) {
        return EC_NOMEMORY;
    }
    size_t stack = task->config.stackSize;
    if (stack < HM_TASK_MIN_STACK) {
        stack = HM_TASK_MIN_STACK;
    }
    pthread_attr_setstacksize(&attr, stack);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int rc = pthread_create(&task->thread, &attr, task_main, task);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        return EC_NORESOURCE;
    }
    task->started = true;
    return EC_SUCCESS;
}

/* A synchronous step on a task: the caller waits for `done`. */
typedef struct task_step {
    void (*call)(void *arg);
    void *arg;
    pthread_mutex_t lock;
    pthread_cond_t finished;
    bool done;
} task_step;

static void run_step(void *arg)
{
    task_step *step = arg;
    step->call(step->arg);
    pthread_mutex_lock(&step->lock);
    step->done = true;
    pthread_cond_signal(&step->finished);
    pthread_mutex_unlock(&step->lock);
}

int hm_samgr_run_on_task(hm_task *task, void (*call)(void *arg), void *arg, bool forced)
{
    if (task == NULL || !task->started || hm_task_current() == task) {
        call(arg);
        return EC_SUCCESS;
    }
    task_step step = {.call = call, .arg = arg, .done = false};
    pthread_mutex_init(&step.lock, NULL);
    pthread_cond_init(&step.finished, NULL);
    hm_exchange exchange = {.type = HM_MSG_CALL, .call = run_step, .arg = &step};
    int rc = hm_task_put(task, &exchange, forced);
    if (rc != EC_SUCCESS && forced) {
        call(arg);
        rc = EC_SUCCESS;
    } else if (rc == EC_SUCCESS) {
        pthread_mutex_lock(&step.lock);
        while (!step.done) {
            pthread_cond_wait(&step.finished, &step.lock);
        }
        pthread_mutex_unlock(&step.lock);
    }
    pthread_cond_destroy(&step.finished);
    pthread_mutex_destroy(&step.lock);
    return rc;
}
