/*
 * Harmonia's additions to samgr_lite in C (samgr_lite.h has OpenHarmony's API).
 */
#ifndef HARMONIA_SAMGR_H
#define HARMONIA_SAMGR_H

#include <stdint.h>

#include <harmonia/export.h>

HM_EXTERN_C_BEGIN

/* The samgr server's address when none is set: HARMONIA_SAMGR_ADDRESS overrides it ("@name": abstract). */
#define HM_SAMGR_DEFAULT_ADDRESS "/run/harmonia/samgr"

/*
 * Waits until the exported API of (service, feature) (feature NULL: the default API) is registered with the samgr
 * server: EC_SUCCESS, the server's refusal (EC_PERMISSION, EC_INVALID, ...), EC_NOSERVICE when this process has
 * no such exported API (yet), or EC_TIMEOUT.
 */
HM_API int32_t hm_samgr_await_exported(const char *service, const char *feature, int32_t timeout_ms);

HM_EXTERN_C_END

#endif /* HARMONIA_SAMGR_H */
