/*
 * OpenHarmony's Vector as samgr uses it for services, features and tasks: an element's id is its index, the
 * vector grows by 4, and a freed slot is reused only when the vector is full (scanning down from the top), so ids
 * come back after an unregister. The caller holds hm_samgr_lock.
 */
#include "samgr_internal.h"

#include <stdlib.h>

int16 hm_slots_add(hm_slots *slots, void *element)
{
    if (slots->top >= slots->max) {
        for (int16 i = (int16)(slots->top - 1); i >= 0; i--) {
            if (slots->data[i] == NULL) {
                slots->data[i] = element;
                slots->free--;
                return i;
            }
        }
        if (slots->max > INT16_MAX - HM_SAMGR_GROW_STEP) {
            return INVALID_INDEX;
        }
        void **grown = realloc(slots->data, sizeof(void *) * (size_t)(slots->max + HM_SAMGR_GROW_STEP));
        if (grown == NULL) {
            return INVALID_INDEX;
        }
        slots->data = grown;
        slots->max = (int16)(slots->max + HM_SAMGR_GROW_STEP);
    }
    slots->data[slots->top] = element;
    return slots->top++;
}

void *hm_slots_at(const hm_slots *slots, int16 index)
{
    return index < 0 || index >= slots->top ? NULL : slots->data[index];
}

void *hm_slots_take(hm_slots *slots, int16 index)
{
    if (index < 0 || index >= slots->top || slots->data[index] == NULL) {
        return NULL;
    }
    void *element = slots->data[index];
    slots->data[index] = NULL;
    slots->free++;
    return element;
}

int16 hm_slots_count(const hm_slots *slots)
{
    return (int16)(slots->top - slots->free);
}

void hm_slots_clear(hm_slots *slots)
{
    free(slots->data);
    *slots = (hm_slots){0};
}
