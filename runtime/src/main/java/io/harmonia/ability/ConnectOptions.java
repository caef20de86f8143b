package io.harmonia.ability;

import io.harmonia.rpc.IRemoteObject;

/**
 * What a caller of {@code connectServiceExtensionAbility} / {@code connectAppServiceExtensionAbility} is told about
 * its connection (OpenHarmony's {@code common.ConnectOptions}).
 *
 * <p><b>Exactly one final outcome per connect.</b> A connect ends in exactly one of {@link #onFailed} (it never got
 * a remote object: refused, or the service could not be loaded, created or connected) or {@link #onDisconnect} (the
 * connection ended: the caller disconnected, the service was stopped or terminated itself, or its process died).
 * {@link #onConnect} comes at most once, only before {@link #onDisconnect}; a connection the caller disconnects
 * before it was established ends with {@link #onDisconnect} alone. Nothing follows the final outcome, and nothing
 * reconnects by itself (OpenHarmony's semantics): connect again for a fresh process.
 *
 * <p><b>Threads.</b> The callbacks run on the connection-callback threads of the caller's process, one at a time
 * per connection, in the order they happened; they may call the remote object and the context (a blocking call
 * inside them is fine). An exception they throw is logged and ignored.
 */
public interface ConnectOptions
{
    /**
     * The connection is established.
     *
     * @param elementName the service.
     * @param remote      the object its onConnect returned (one object for every client of the instance); never
     *                    null.
     */
    void onConnect(ElementName elementName, IRemoteObject remote);

    /**
     * The connection ended (final).
     *
     * @param elementName the service.
     */
    void onDisconnect(ElementName elementName);

    /**
     * The connect failed (final): 201, 202, 801, 16000001, 16000002, 16000004, 16000050 (the service could not be
     * loaded, created or connected in time, or its onConnect returned null or threw), 16000201.
     *
     * @param code OpenHarmony's error code.
     */
    void onFailed(int code);
}
