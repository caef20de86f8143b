/*
 * Service: four lifecycle functions (INHERIT_SERVICE at the start of the user's struct) and the task it runs on.
 * Initialize and MessageHandle run on the service's task; GetName and GetTaskConfig when it registers.
 */
#ifndef LITE_SERVICE_H
#define LITE_SERVICE_H

#include "message.h"

HM_EXTERN_C_BEGIN

typedef struct TaskConfig TaskConfig;
typedef struct Service Service;

typedef enum TaskType {
    SHARED_TASK = 0,
    SINGLE_TASK = 1,
    SPECIFIED_TASK = 2,
    NO_TASK = 0xFF,
} TaskType;

typedef enum SpecifyTag {
    LEVEL_HIGH = 0,
    LEVEL_MIDDLE = 1,
    LEVEL_LOW = 2,
    LEVEL_CUSTOM_BEGIN,
} SpecifyTag;

typedef enum TaskPriority {
    PRI_LOW = 9,
    PRI_BELOW_NORMAL = 16,
    PRI_NORMAL = 24,
    PRI_ABOVE_NORMAL = 32,
    PRI_BUTT = 39,
} TaskPriority;

#pragma pack(1)
struct TaskConfig {
    int16 level;
    int16 priority;
    uint16 stackSize;
    uint16 queueSize;
    uint8 taskFlags;
};
#pragma pack()

struct Service {
    const char *(*GetName)(Service *service);
    BOOL (*Initialize)(Service *service, Identity identity);
    BOOL (*MessageHandle)(Service *service, Request *request);
    TaskConfig (*GetTaskConfig)(Service *service);
};

#define INHERIT_SERVICE                                                                                      \
    const char *(*GetName)(Service * service);                                                               \
    BOOL (*Initialize)(Service * service, Identity identity);                                                \
    BOOL (*MessageHandle)(Service * service, Request * request);                                             \
    TaskConfig (*GetTaskConfig)(Service * service)

HM_EXTERN_C_END

#endif /* LITE_SERVICE_H */
