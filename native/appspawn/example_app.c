/*
 * libharmonia-example-app.so: a minimal app for appspawn. It prints who it is and then waits, as a service would,
 * until it is terminated. Start it with soPath pointing here (the demo does).
 */
#include <harmonia/spawn.h>

#include <signal.h>
#include <stdio.h>
#include <unistd.h>

__attribute__((visibility("default"))) int HmAppMain(const hm_spawn_request *request);

int HmAppMain(const hm_spawn_request *request)
{
    printf("example app '%s' running as pid %d, uid %d, access token %u\n", request->process_name, (int)getpid(),
           (int)getuid(), request->access_token_id);
    fflush(stdout);
    for (;;)
        pause(); /* SIGTERM or SIGKILL (appspawn's terminate) ends it */
}
