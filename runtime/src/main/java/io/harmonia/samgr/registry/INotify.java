package io.harmonia.samgr.registry;

import io.harmonia.rpc.MessageSequence;

/**
 * The reply callback of a synchronous {@link IClientProxy#invoke} (samgr_lite's {@code INotify}). It runs on the
 * calling thread, before {@code invoke} returns, so an owner on the caller's stack is still valid.
 */
@FunctionalInterface
public interface INotify
{
    /**
     * Handles a reply.
     *
     * @param owner the owner the caller passed to {@code invoke}.
     * @param code  the status of the call: always {@code EC_SUCCESS} (0) here, as upstream, since a failed call
     *              is answered by {@code invoke}'s return value instead.
     * @param reply the provider's reply, positioned at the first value its {@code Invoke} wrote; read in push order.
     * @return anything; samgr ignores it, as upstream does.
     */
    int handle(Object owner, int code, MessageSequence reply);
}
