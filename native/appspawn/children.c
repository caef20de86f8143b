/*
 * The table of spawned children (pid, name, uid, start time), from fork until they are reaped. A fixed array
 * sized at start: the daemon refuses a spawn when it is full instead of growing without bound.
 */
#include "appspawn.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int appspawn_children_init(appspawn_children *children, size_t capacity)
{
    children->slots = calloc(capacity, sizeof *children->slots);
    if (children->slots == NULL)
        return -ENOMEM;
    children->capacity = capacity;
    children->count = 0;
    return 0;
}

void appspawn_children_free(appspawn_children *children)
{
    free(children->slots);
    children->slots = NULL;
    children->capacity = 0;
    children->count = 0;
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int appspawn_children_add(appspawn_children *children, pid_t pid, uid_t uid, uint32_t flags, const char *name)
{
    for (size_t i = 0; i < children->capacity; i++) {
        appspawn_child *slot = &children->slots[i];
        if (slot->pid != 0)
            continue;
        slot->pid = pid;
        slot->uid = uid;
        slot->flags = flags;
        slot->start_time_ms = now_ms();
        memset(slot->name, 0, sizeof slot->name);
        memcpy(slot->name, name, strnlen(name, sizeof slot->name - 1));
        children->count++;
        return 0;
    }
    return -EAGAIN;
}

appspawn_child *appspawn_children_find(appspawn_children *children, pid_t pid)
{
    if (pid <= 0)
        return NULL;
    for (size_t i = 0; i < children->capacity; i++)
        if (children->slots[i].pid == pid)
            return &children->slots[i];
    return NULL;
}

void appspawn_children_remove(appspawn_children *children, pid_t pid)
{
    appspawn_child *slot = appspawn_children_find(children, pid);
    if (slot == NULL)
        return;
    memset(slot, 0, sizeof *slot);
    children->count--;
}
