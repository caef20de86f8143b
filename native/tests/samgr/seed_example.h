/*
 * What the samgr_lite README's C examples use without defining it: the example's names, funcIds and payload (as
 * OpenHarmony's samgr_lite example defines them, and as the Java example in tools/ does), and the few platform
 * helpers they call (LOS_Msleep, HILOG_INFO, securec's strcpy_s and memset_s). The README's code itself is in
 * seed_*.c, unchanged.
 */
#ifndef HARMONIA_TESTS_SEED_EXAMPLE_H
#define HARMONIA_TESTS_SEED_EXAMPLE_H

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "feature.h"
#include "iproxy_client.h"
#include "iproxy_server.h"
#include "iunknown.h"
#include "ohos_errno.h"
#include "ohos_init.h"
#include "registry.h"
#include "samgr_lite.h"
#include "service.h"

#define EXAMPLE_SERVICE "example"
#define EXAMPLE_FEATURE "exampleFeature"
#define MAX_DATA_LEN 0x100
#define WAIT_FEATURE_PROC 1

enum { ID_ASYNCALL = 0, ID_ASYNTIMECALL = 1, ID_SYNCCALL = 2, ID_ASYNCCALLBACK = 3 };
enum { MSG_PROC = 0, MSG_TIME_PROC = 1, MSG_SYNC = 2 };

struct Payload {
    int id;
    int value;
    const char *name;
};

typedef void (*INotifyFunc)(IOwner notify, const char *response);

#define HILOG_MODULE_APP 0
#define HILOG_INFO(module, ...) ((void)(module), fprintf(stderr, __VA_ARGS__), fputc('\n', stderr))

static inline void LOS_Msleep(unsigned int milliseconds)
{
    struct timespec pause = {milliseconds / 1000u, (long)(milliseconds % 1000u) * 1000000L};
    nanosleep(&pause, NULL);
}

static inline int strcpy_s(char *dest, size_t destMax, const char *src)
{
    if (dest == NULL || src == NULL || destMax == 0 || strlen(src) >= destMax) {
        return -1;
    }
    memcpy(dest, src, strlen(src) + 1);
    return 0;
}

static inline int memset_s(void *dest, size_t destMax, int c, size_t count)
{
    if (dest == NULL || count > destMax) {
        return -1;
    }
    memset(dest, c, count);
    return 0;
}

/* SAMGR_PrintServices / SAMGR_PrintOperations are samgr_lite's debug dumps; here they say they ran. */
static inline void SAMGR_PrintServices(void)
{
    fprintf(stderr, "samgr services\n");
}

static inline void SAMGR_PrintOperations(void)
{
    fprintf(stderr, "samgr operations\n");
}

/* What the provider's AsyncCall received (for the "received" command of the provider program). */
void SeedExampleReceived(char *out, size_t size);

#endif /* HARMONIA_TESTS_SEED_EXAMPLE_H */
