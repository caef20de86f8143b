/*
 * The README's provider as a process: the example service (default API without Invoke) and feature (Invoke) are
 * registered by their init macros; main boots samgr (SAMGR_Bootstrap), waits until the samgr server
 * (HARMONIA_SAMGR_ADDRESS) has both, and prints "ready <pid>". Then "received" on stdin prints what AsyncCall got;
 * the process ends when stdin closes. The Java tests start it beside Java consumers and the C consumer.
 */
#include <unistd.h>

#include <harmonia/samgr.h>

#include "seed_example.h"

int main(void)
{
    SAMGR_Bootstrap();
    int32_t feature = hm_samgr_await_exported(EXAMPLE_SERVICE, EXAMPLE_FEATURE, 10000);
    int32_t service = hm_samgr_await_exported(EXAMPLE_SERVICE, NULL, 10000);
    if (feature != EC_SUCCESS || service != EC_SUCCESS) {
        printf("failed feature %d, service %d\n", (int)feature, (int)service);
        return 1;
    }
    printf("ready %d\n", (int)getpid());
    fflush(stdout);
    char line[64];
    while (fgets(line, sizeof(line), stdin) != NULL) {
        if (strncmp(line, "received", 8) == 0) {
            char received[1024];
            SeedExampleReceived(received, sizeof(received));
            printf("%s\n", received);
        } else {
            printf("unknown %s", line);
        }
        fflush(stdout);
    }
    return 0;
}
