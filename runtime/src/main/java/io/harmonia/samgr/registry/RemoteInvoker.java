package io.harmonia.samgr.registry;

import io.harmonia.rpc.MessageSequence;

/**
 * How a {@link ClientProxyEntry} reaches its provider: made by the process's samgr endpoint for each proxy it
 * creates and handed to the factory's {@link ClientFactories.Creator}. Applications do not implement it.
 */
public interface RemoteInvoker
{
    /**
     * Sends one call; the semantics are those of {@link IClientProxy#invoke}.
     *
     * @param funcId  the function.
     * @param request the arguments, or null.
     * @param owner   handed to notify.
     * @param notify  the reply handler, or null for one way.
     * @return the status.
     */
    int invoke(int funcId, MessageSequence request, Object owner, INotify notify);

    /**
     * The proxy's last reference was released: the endpoint stops watching its provider and calls the factory's
     * destroyer.
     *
     * @param proxy the proxy.
     */
    void released(IClientProxy proxy);
}
