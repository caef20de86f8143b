package io.harmonia.samgr.registry;

import io.harmonia.rpc.MessageSequence;
import io.harmonia.samgr.IUnknown;

/**
 * A consumer's proxy for an API exported by another process (samgr_lite's {@code IClientProxy}, version
 * {@link IUnknown#CLIENT_PROXY_VERSION}). {@code Samgr.getFeatureApi} returns one for a service that is not local;
 * {@code queryInterface(CLIENT_PROXY_VERSION, IClientProxy.class)} gives this view of it. Typed proxies made by a
 * factory ({@link ClientFactories}) extend {@link ClientProxyEntry} and build their methods on {@link #invoke}.
 */
public interface IClientProxy extends IUnknown
{
    /**
     * Sends a call to the provider's {@link IServerProxy#invoke}.
     *
     * <p>Without {@code notify} the call is one way: this returns once the request is queued to the provider, and
     * no reply comes back. With {@code notify} the call is synchronous: the provider's reply is handed to
     * {@code notify} on this thread before this method returns.
     *
     * @param funcId  the function, 0..0x00FFFFFD (it travels as the RPC code {@code funcId + 1}).
     * @param request the arguments in push order; null or empty for none. Not changed by the call.
     * @param owner   handed to {@code notify} as is.
     * @param notify  the reply handler, or null for a one-way call.
     * @return {@code EC_SUCCESS} (0); {@code EC_INVALID} for a funcId that cannot travel; the provider's refusal
     *     ({@code EC_PERMISSION} when its policy does not let this uid in, {@code EC_NOHANDLER} when its API has no
     *     Invoke, {@code EC_FLOWCTRL} when its queue is full, {@code EC_FAILURE} when its Invoke threw, or the
     *     non-zero value its Invoke returned); {@code EC_NOSERVICE} when the provider was gone before the call
     *     and nobody registered the API again; {@code EC_TIMEOUT} when no reply came within the wait time;
     *     {@code EC_COMMU} when the call failed in flight (the provider died meanwhile: it may or may not have run
     *     the call, so it is not repeated). {@code notify} runs only for {@code EC_SUCCESS}.
     */
    int invoke(int funcId, MessageSequence request, Object owner, INotify notify);
}
