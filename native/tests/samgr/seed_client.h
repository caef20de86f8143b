/* The README's consumer steps (seed_client.c), for the consumer program and the tests. */
#ifndef HARMONIA_TESTS_SEED_CLIENT_H
#define HARMONIA_TESTS_SEED_CLIENT_H

#include <stdatomic.h>

#include "seed_example.h"

typedef struct DemoClientProxy DemoClientProxy;

/* How often DEMO_DestroyClient ran. */
extern atomic_int g_destroyed_clients;

int SeedRegisterFactory(void);
DemoClientProxy *SeedGetDemoApi(void);
BOOL SeedAsyncCall(DemoClientProxy *demoApi, const char *buff);
BOOL SeedAsyncTimeCall(DemoClientProxy *demoApi);
BOOL SeedSyncCall(DemoClientProxy *demoApi, struct Payload *payload);
BOOL SeedAsyncCallBack(DemoClientProxy *demoApi, INotifyFunc AsyncHandler);
int32 SeedRelease(DemoClientProxy *demoApi);

#endif /* HARMONIA_TESTS_SEED_CLIENT_H */
