package io.harmonia.samgr.registry;

import java.util.List;

import io.harmonia.rpc.CallingIdentity;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.samgr.IUnknown;

/**
 * An API that other processes may call (samgr_lite's {@code IServerProxy}): registered like any API, at version
 * {@link IUnknown#SERVER_IMPL_PROXY_VERSION} (0xA0, usable in-process too) or {@link IUnknown#SERVER_PROXY_VERSION}.
 * The process's samgr endpoint exports every API of an initialised service that answers the 0x80 query, and runs
 * each incoming call on the service's own task, as an in-process message.
 *
 * <p>An API registered at 0x80/0xA0 that does not implement this interface is samgr_lite's {@code .Invoke = NULL}:
 * it is exported, and every call to it is answered {@code EC_NOHANDLER}.
 */
public interface IServerProxy extends IUnknown
{
    /**
     * Handles one call ({@code Invoke}). Read {@code request} in push order, write results into {@code reply} in the
     * order the consumer reads them. Runs on the service's task thread; {@code IPCSkeleton} answers with the
     * caller's identity meanwhile. A one-way call's reply is discarded.
     *
     * @param funcId  the function the consumer named.
     * @param origin  the caller's kernel identity (uid, pid, token id).
     * @param request the arguments; reading past its end throws (an empty request is legal).
     * @param reply   where results go.
     * @return {@code EC_SUCCESS} (0) to send the reply; any other value is sent instead of it, as the call's status.
     *     An unknown funcId is answered by convention with a bool FALSE and {@code EC_SUCCESS}, as samgr_lite does.
     */
    int invoke(int funcId, CallingIdentity origin, MessageSequence request, MessageSequence reply);

    /**
     * Who may call this API, declared by its provider; the samgr server's configured rules for the name win over
     * these. Empty (the default) lets the server decide, which without a configured rule is every caller.
     *
     * @return 0..{@value AccessPolicy#MAX_POLICIES} rules.
     */
    default List<AccessPolicy> accessPolicies()
    {
        return List.of();
    }
}
