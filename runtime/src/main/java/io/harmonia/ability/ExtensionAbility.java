package io.harmonia.ability;

import io.harmonia.rpc.RemoteObject;

/**
 * What {@link ServiceExtensionAbility} and {@link AppServiceExtensionAbility} share: a background service without a
 * window, living in its bundle's app process, whose life the ability manager drives (OpenHarmony's service
 * extension lifecycle). A bundle names the subclass as an extension's {@code srcEntry}; the class needs a public
 * no-argument constructor.
 *
 * <p><b>Order.</b> {@link #onCreate} once per instance; {@link #onRequest} on every start (startId 1, 2, 3...);
 * {@link #onConnect} once while the instance has clients: its object is kept and handed to every later client
 * without another onConnect; {@link #onDisconnect} after the last client left (and then onConnect again for the
 * next one); {@link #onDestroy} last. A started instance lives until it is stopped or terminates itself; one that
 * was only connected is destroyed after its last client left. A stop with clients attached disconnects them (each
 * gets its onDisconnect), then onDestroy runs; the instance's own onDisconnect is not called then (OpenHarmony's).
 *
 * <p><b>Threads and time.</b> The callbacks of one instance run one at a time, on RPC threads of the app process;
 * each must return within OpenHarmony's timeout for its step (onCreate 21 s, onRequest 21 s, onConnect 10 s,
 * onDisconnect 1 s, onDestroy 10 s, times the ability manager's timeout ratio) or the ability manager gives up on
 * it (docs/architecture.md, "Service extensions"). An exception a callback throws fails that step.
 */
public abstract class ExtensionAbility
{
    private ExtensionContext context;

    /** For subclasses. */
    protected ExtensionAbility()
    {
    }

    final void attach(final ExtensionContext context)
    {
        this.context = context;
    }

    final ExtensionContext extensionContext()
    {
        return context;
    }

    /**
     * The instance was created (once per instance, before anything else).
     *
     * @param want the Want of the start or connect that created it.
     */
    public void onCreate(final Want want)
    {
    }

    /**
     * The instance was started (every start, also the first, after {@link #onCreate}).
     *
     * @param want    the Want of this start.
     * @param startId 1 for the first start of the instance, then 2, 3, ...
     */
    public void onRequest(final Want want, final int startId)
    {
    }

    /**
     * The first client connects (again after every {@link #onDisconnect}).
     *
     * @param want the Want of that client's connect.
     * @return the object every client of this instance gets; null fails the waiting connects (16000050).
     */
    public RemoteObject onConnect(final Want want)
    {
        return null;
    }

    /**
     * The last client left.
     *
     * @param want the Want of that client's connect.
     */
    public void onDisconnect(final Want want)
    {
    }

    /** The instance is destroyed: release what it holds. */
    public void onDestroy()
    {
    }
}
