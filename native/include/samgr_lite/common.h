/*
 * samgr_lite's common types: queue, mutex and thread handles, and the macro that finds a struct from a member.
 */
#ifndef LITE_COMMON_H
#define LITE_COMMON_H

#include "ohos_types.h"

typedef void *MQueueId;
typedef void *MutexId;
typedef void *ThreadId;

#define GET_OFFSIZE(T, member) ((long)offsetof(T, member))
#define GET_OBJECT(Ptr, T, member) (T *)(((char *)(Ptr)) - GET_OFFSIZE(T, member))
#define INVALID_INDEX (-1)

#endif /* LITE_COMMON_H */
