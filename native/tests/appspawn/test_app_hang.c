/* An app library whose constructor never returns, so the child never reports ready: the spawn must time out and
 * the daemon must kill the child. */
#include <unistd.h>

__attribute__((constructor)) static void hang(void)
{
    for (;;)
        pause();
}

__attribute__((visibility("default"))) int HmAppMain(const void *request);

int HmAppMain(const void *request)
{
    (void)request;
    return 0;
}
