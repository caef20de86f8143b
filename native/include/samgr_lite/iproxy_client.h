/*
 * IClientProxy: a consumer's handle on an API of another process (GetFeatureApi, then QueryInterface with
 * CLIENT_PROXY_VER). Invoke(proxy, funcId, request, owner, notify):
 *   - notify NULL: a one-way call; returns once the request is on its way.
 *   - notify set: a synchronous call; notify(owner, EC_SUCCESS, reply) runs on the calling thread before Invoke
 *     returns, so owner may point into the caller's stack. It runs only when the provider answered EC_SUCCESS.
 * Returns EC_SUCCESS, or: EC_INVALID (funcId outside 0..0x00FFFFFD), EC_PERMISSION (the provider's policy keeps
 * this uid out), EC_NOHANDLER (the API has no Invoke), EC_NOSERVICE (the provider withdrew it or is gone),
 * EC_FLOWCTRL (the provider's queue is full), EC_TIMEOUT (no answer within 8 s), EC_COMMU (the provider died),
 * or what the provider's Invoke returned. Requests may be NULL or empty.
 */
#ifndef LITE_IPROXY_CLIENT_H
#define LITE_IPROXY_CLIENT_H

#include <serializer.h>

#include "iunknown.h"

HM_EXTERN_C_BEGIN

#define CLIENT_PROXY_VER (0x40 | (uint16)DEFAULT_VERSION)

typedef void *IOwner;
typedef int (*INotify)(IOwner owner, int code, IpcIo *reply);
typedef struct IClientProxy IClientProxy;

#define INHERIT_CLIENT_IPROXY                                                                                \
    INHERIT_IUNKNOWN;                                                                                        \
    int (*Invoke)(IClientProxy * proxy, int funcId, IpcIo *request, IOwner owner, INotify notify)

struct IClientProxy {
    INHERIT_IUNKNOWN;
    int (*Invoke)(IClientProxy *proxy, int funcId, IpcIo *request, IOwner owner, INotify notify);
};

#define INHERIT_IPROXY_ENTRY(T) INHERIT_IUNKNOWNENTRY(T)
#define CLIENT_IPROXY_BEGIN IUNKNOWN_ENTRY_BEGIN(CLIENT_PROXY_VER)
#define IPROXY_END IUNKNOWN_ENTRY_END

/*
 * Who provides (service, feature) for this process's cached proxy: handle 1 (a remote object), token its object
 * id's low 32 bits, cookie the provider's pid; {-1, -1, -1} when there is no proxy.
 */
HM_API SvcIdentity SAMGR_GetRemoteIdentity(const char *service, const char *feature);

HM_EXTERN_C_END

#endif /* LITE_IPROXY_CLIENT_H */
