package io.harmonia.samgr.endpoint;

import io.harmonia.samgr.registry.ClientProxyEntry;
import io.harmonia.samgr.registry.RemoteInvoker;

/**
 * The client proxy of a remote API without a registered factory (samgr_lite's {@code IDefaultClient}): only
 * {@code invoke}, reached with {@code queryInterface(CLIENT_PROXY_VERSION, IClientProxy.class)}.
 */
final class DefaultClientProxy extends ClientProxyEntry
{
    DefaultClientProxy(final RemoteInvoker invoker)
    {
        super(invoker);
    }
}
