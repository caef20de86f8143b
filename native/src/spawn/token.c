/*
 * The access token id of this process. OpenHarmony keeps it in the kernel (/dev/access_token_id); Linux has no
 * such device, so the spawner's child puts it in the environment before the app's entry runs. The environment
 * is per process, outlives exec, and does not depend on which copy of libharmonia the app loaded.
 */
#include <harmonia/spawn.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

uint32_t hm_spawn_access_token_id(void)
{
    const char *text = getenv(HM_SPAWN_TOKEN_ENV);
    if (text == NULL || text[0] < '0' || text[0] > '9')
        return 0;
    char *end;
    errno = 0;
    unsigned long long value = strtoull(text, &end, 10);
    if (errno != 0 || *end != '\0' || value > UINT32_MAX)
        return 0;
    return (uint32_t)value;
}

int hm_spawn_set_access_token_id(uint32_t token_id)
{
    char text[16];
    snprintf(text, sizeof text, "%u", (unsigned)token_id);
    return setenv(HM_SPAWN_TOKEN_ENV, text, 1) < 0 ? -errno : 0;
}
