/*
 * IServerProxy: an API other processes may call. Invoke(iProxy, funcId, origin, req, reply) runs on the service's
 * task for each call: it pops the arguments from req in the order the client pushed them and pushes its answer to
 * reply. Its return value is the call's status (EC_SUCCESS, or an error the client's Invoke returns). A
 * registration whose .Invoke is NULL is still exported; its calls answer EC_NOHANDLER.
 */
#ifndef LITE_IPROXY_SERVER_H
#define LITE_IPROXY_SERVER_H

#include <serializer.h>

#include "iunknown.h"

HM_EXTERN_C_BEGIN

#define SERVER_PROXY_VER 0x80
#define SERVER_IMPL_PROXY_VER ((uint16)SERVER_PROXY_VER | (uint16)DEFAULT_VERSION)

typedef struct IServerProxy IServerProxy;

#define INHERIT_SERVER_IPROXY                                                                                \
    INHERIT_IUNKNOWN;                                                                                        \
    int32 (*Invoke)(IServerProxy * iProxy, int funcId, void *origin, IpcIo *req, IpcIo *reply)

struct IServerProxy {
    INHERIT_IUNKNOWN;
    int32 (*Invoke)(IServerProxy *iProxy, int funcId, void *origin, IpcIo *req, IpcIo *reply);
};

#define INHERIT_IPROXY_ENTRY(T) INHERIT_IUNKNOWNENTRY(T)
#define SERVER_IPROXY_BEGIN IUNKNOWN_ENTRY_BEGIN(SERVER_PROXY_VER)
#define SERVER_IPROXY_IMPL_BEGIN IUNKNOWN_ENTRY_BEGIN(SERVER_IMPL_PROXY_VER)
#define IPROXY_END IUNKNOWN_ENTRY_END

HM_EXTERN_C_END

#endif /* LITE_IPROXY_SERVER_H */
