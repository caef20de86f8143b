/*
 * Client proxy factories: a consumer registers, before its first lookup, how to build the typed proxy of an API
 * of another process. creator(service, feature, size) returns memory whose first `size` bytes samgr keeps for
 * itself, followed by the user's entry (INHERIT_IUNKNOWNENTRY of a struct that starts with
 * INHERIT_CLIENT_IPROXY); samgr fills Invoke, AddRef and Release in. destroyer runs when the proxy's last
 * reference is released. Returns EC_SUCCESS, EC_INVALID (bad names, NULL functions, or a factory already
 * registered for the name), EC_NORESOURCE.
 */
#ifndef LITE_REGISTRY_H
#define LITE_REGISTRY_H

#include "iproxy_client.h"

HM_EXTERN_C_BEGIN

typedef void *(*Creator)(const char *service, const char *feature, uint32 size);
typedef void (*Destroyer)(const char *service, const char *feature, void *iproxy);

HM_API int SAMGR_RegisterFactory(const char *service, const char *feature, Creator creator, Destroyer destroyer);

HM_EXTERN_C_END

#endif /* LITE_REGISTRY_H */
