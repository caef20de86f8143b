/*
 * The access token id of this process. OpenHarmony keeps it in the kernel (/dev/access_token_id); Linux has no
 * such device, so the spawner's child stores it here (and in HM_ACCESS_TOKEN_ID for exec'd programs) before the
 * app's entry runs, and the app reads it through hm_spawn_access_token_id().
 */
#include <harmonia/spawn.h>

#include <stdatomic.h>

static _Atomic uint32_t access_token_id;

uint32_t hm_spawn_access_token_id(void)
{
    return atomic_load_explicit(&access_token_id, memory_order_relaxed);
}

void hm_spawn_set_access_token_id(uint32_t token_id)
{
    atomic_store_explicit(&access_token_id, token_id, memory_order_relaxed);
}
