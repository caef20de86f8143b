/*
 * libharmonia-oneshot-app.so: an app whose entry returns at once. The spawn benchmark uses it: a spawn counts from
 * the request until the child reports ready, and the child then leaves nothing behind but a zombie to reap.
 */
#include <harmonia/spawn.h>

__attribute__((visibility("default"))) int HmAppMain(const hm_spawn_request *request);

int HmAppMain(const hm_spawn_request *request)
{
    (void)request;
    return 0;
}
