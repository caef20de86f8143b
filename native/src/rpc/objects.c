/*
 * The objects of this process that other processes know (the Java ObjectTable's rules). An object enters the
 * table when it is first written into a message for another process: a pin for that transfer, held until the
 * receiver takes its own reference (ACQUIRE converts the pin) or settles it (TRANSFER_DONE). It leaves when its
 * last reference and pin are gone; sent again later, it gets a new id and secret.
 *
 * A reference is a capability: the object id and a 128-bit secret from getrandom(2). ACQUIRE must present the
 * secret; a call is accepted only from a process that holds a reference or a pin, judged by the kernel pid of its
 * connection, so an id alone opens nothing. Every function here runs under g_rpc.lock.
 */
#include "rpc_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int hm_rpc_object_create(const char *descriptor, hm_rpc_handler handler, void *context,
                         hm_rpc_object **ret_object)
{
    if (handler == NULL || ret_object == NULL) {
        return -EINVAL;
    }
    size_t length = descriptor == NULL ? 0 : strnlen(descriptor, HM_RPC_MAX_DESCRIPTOR + 1);
    if (length > HM_RPC_MAX_DESCRIPTOR) {
        return -EINVAL;
    }
    hm_rpc_object *object = calloc(1, sizeof(*object));
    char *copy = malloc(length + 1);
    if (object == NULL || copy == NULL) {
        free(object);
        free(copy);
        return -ENOMEM;
    }
    memcpy(copy, descriptor == NULL ? "" : descriptor, length);
    copy[length] = '\0';
    object->descriptor = copy;
    object->descriptor_length = (uint16_t)length;
    object->handler = handler;
    object->context = context;
    object->refs = 1;
    *ret_object = object;
    return 0;
}

static void table_remove(hm_rpc_object *object)
{
    for (hm_rpc_object **link = &g_rpc.objects; *link != NULL; link = &(*link)->next) {
        if (*link == object) {
            *link = object->next;
            break;
        }
    }
    object->in_table = false;
    object->holder_count = 0;
    object->pin_count = 0;
    object->next = NULL;
}

/* Leaves the table when nothing holds it any more. */
static void leave_if_empty(hm_rpc_object *object)
{
    if (object->in_table && object->holder_count == 0 && object->pin_count == 0) {
        table_remove(object);
    }
}

void rpc_object_unref(hm_rpc_object *object)
{
    if (--object->refs > 0) {
        return;
    }
    free(object->holders);
    free(object->pins);
    free(object->descriptor);
    free(object);
}

void hm_rpc_object_destroy(hm_rpc_object *object)
{
    if (object == NULL) {
        return;
    }
    pthread_mutex_lock(&g_rpc.lock);
    object->withdrawn = true;
    if (object->in_table) {
        table_remove(object);
    }
    rpc_object_unref(object);
    pthread_mutex_unlock(&g_rpc.lock);
}

/* Room for one more element in a growing array. */
static bool ensure_room(void **array, uint32_t *capacity, uint32_t count, size_t element)
{
    if (count < *capacity) {
        return true;
    }
    uint32_t wanted = *capacity == 0 ? 4 : *capacity * 2;
    void *grown = realloc(*array, element * wanted);
    if (grown == NULL) {
        return false;
    }
    *array = grown;
    *capacity = wanted;
    return true;
}

int rpc_object_pin(hm_rpc_object *object, int32_t pid, hm_rpc_reference *reference)
{
    if (object->withdrawn) {
        return -ESTALE;
    }
    if (!ensure_room((void **)&object->pins, &object->pin_capacity, object->pin_count, sizeof(rpc_pin))) {
        return -ENOMEM;
    }
    if (!object->in_table) {
        object->id = ++g_rpc.next_object_id;
        object->secret_low = rpc_random64();
        object->secret_high = rpc_random64();
        object->in_table = true;
        object->next = g_rpc.objects;
        g_rpc.objects = object;
    }
    uint64_t transfer = ++g_rpc.next_transfer_id;
    object->pins[object->pin_count++] = (rpc_pin){transfer, pid};
    reference->object_id = object->id;
    reference->secret_low = object->secret_low;
    reference->secret_high = object->secret_high;
    reference->transfer_id = transfer;
    reference->owner_pid = g_rpc.pid;
    memcpy(reference->owner_address, g_rpc.address, sizeof(reference->owner_address));
    reference->descriptor = object->descriptor;
    reference->descriptor_length = object->descriptor_length;
    return 0;
}

/* Removes the pin of a transfer (for that pid only, unless pid is 0); true when one was removed. */
static bool drop_pin(hm_rpc_object *object, uint64_t transfer_id, int32_t pid)
{
    for (uint32_t i = 0; i < object->pin_count; i++) {
        if (object->pins[i].transfer_id == transfer_id && (pid == 0 || object->pins[i].pid == pid)) {
            object->pins[i] = object->pins[--object->pin_count];
            return true;
        }
    }
    return false;
}

void rpc_object_unpin(uint64_t transfer_id, int32_t pid)
{
    for (hm_rpc_object *object = g_rpc.objects; object != NULL; object = object->next) {
        if (drop_pin(object, transfer_id, pid)) {
            leave_if_empty(object);
            return;
        }
    }
}

static hm_rpc_object *find(uint64_t object_id)
{
    for (hm_rpc_object *object = g_rpc.objects; object != NULL; object = object->next) {
        if (object->id == object_id) {
            return object;
        }
    }
    return NULL;
}

int32_t rpc_object_acquire(int32_t pid, uint64_t object_id, uint64_t secret_low, uint64_t secret_high,
                           uint64_t transfer_id)
{
    hm_rpc_object *object = find(object_id);
    if (object == NULL || object->secret_low != secret_low || object->secret_high != secret_high) {
        return HM_RPC_UNKNOWN_OBJECT;
    }
    for (uint32_t i = 0; i < object->holder_count; i++) {
        if (object->holders[i].pid == pid) {
            object->holders[i].count++;
            if (transfer_id != 0) {
                drop_pin(object, transfer_id, pid);
            }
            return HM_RPC_OK;
        }
    }
    if (!ensure_room((void **)&object->holders, &object->holder_capacity, object->holder_count,
                     sizeof(rpc_holder))) {
        return HM_RPC_UNKNOWN_OBJECT;
    }
    object->holders[object->holder_count++] = (rpc_holder){pid, 1};
    if (transfer_id != 0) {
        drop_pin(object, transfer_id, pid);
    }
    return HM_RPC_OK;
}

void rpc_object_release(int32_t pid, uint64_t object_id, uint32_t count)
{
    hm_rpc_object *object = find(object_id);
    if (object == NULL) {
        return;
    }
    for (uint32_t i = 0; i < object->holder_count; i++) {
        if (object->holders[i].pid == pid) {
            if (object->holders[i].count <= count) {
                object->holders[i] = object->holders[--object->holder_count];
            } else {
                object->holders[i].count -= count;
            }
            leave_if_empty(object);
            return;
        }
    }
}

hm_rpc_object *rpc_object_for_call(int32_t pid, uint64_t object_id)
{
    hm_rpc_object *object = find(object_id);
    if (object == NULL || object->withdrawn) {
        return NULL;
    }
    for (uint32_t i = 0; i < object->holder_count; i++) {
        if (object->holders[i].pid == pid) {
            return object;
        }
    }
    for (uint32_t i = 0; i < object->pin_count; i++) {
        if (object->pins[i].pid == pid) {
            return object;
        }
    }
    return NULL;
}

void rpc_process_gone(int32_t pid)
{
    hm_rpc_object *object = g_rpc.objects;
    while (object != NULL) {
        hm_rpc_object *next = object->next;
        for (uint32_t i = 0; i < object->holder_count;) {
            if (object->holders[i].pid == pid) {
                object->holders[i] = object->holders[--object->holder_count];
            } else {
                i++;
            }
        }
        for (uint32_t i = 0; i < object->pin_count;) {
            if (object->pins[i].pid == pid) {
                object->pins[i] = object->pins[--object->pin_count];
            } else {
                i++;
            }
        }
        leave_if_empty(object);
        object = next;
    }
}

void hm_rpc_table_counts(uint32_t *ret_objects, uint32_t *ret_pins)
{
    uint32_t objects = 0;
    uint32_t pins = 0;
    pthread_mutex_lock(&g_rpc.lock);
    for (hm_rpc_object *object = g_rpc.objects; object != NULL; object = object->next) {
        objects++;
        pins += object->pin_count;
    }
    pthread_mutex_unlock(&g_rpc.lock);
    if (ret_objects != NULL) {
        *ret_objects = objects;
    }
    if (ret_pins != NULL) {
        *ret_pins = pins;
    }
}
