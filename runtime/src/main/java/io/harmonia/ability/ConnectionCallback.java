package io.harmonia.ability;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import io.harmonia.rpc.DeathRecipient;
import io.harmonia.rpc.IPCSkeleton;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.RemoteObject;
import io.harmonia.rpc.RpcException;

/**
 * One connection as its caller's process sees it: the object the ability manager tells the outcome
 * ({@link ConnectionCallbackProtocol}), and the state that makes the outcome final exactly once.
 *
 * <p><b>States.</b> PENDING (connect sent) → CONNECTED (onConnect delivered) → DONE; or PENDING → DONE. DONE is
 * reached once, by whichever comes first of: the manager's ON_DISCONNECTED or ON_FAILED, the death of the remote
 * object's process (seen by a death recipient on it, so a dead service is noticed even before the manager tells),
 * the death of the ability manager, or a refused connect. The transition is a compare-and-set; only its winner
 * calls the caller's {@link ConnectOptions}. A PENDING connection ends with onFailed, a CONNECTED one with
 * onDisconnect; a PENDING one that the caller itself disconnected ends with onDisconnect.
 *
 * <p><b>Threads.</b> Requests arrive on RPC threads (one way, so in order); deaths on the RPC death thread. The
 * caller's callbacks run under this object's callback lock, one at a time. Requests from any process but the
 * ability manager are refused.
 */
final class ConnectionCallback extends RemoteObject
{
    private static final System.Logger LOG = System.getLogger(ConnectionCallback.class.getName());

    enum State
    {
        PENDING,
        CONNECTED,
        DONE
    }

    private final long id;
    private final ExtensionAbilityType type;
    private final ElementName target;
    private final ConnectOptions options;
    private final int managerPid;
    private final Runnable forget;
    private final AtomicReference<State> state = new AtomicReference<>(State.PENDING);
    private final Object callbackLock = new Object();
    private final DeathRecipient remoteDied = () -> disconnected(null);
    private volatile IRemoteObject remote;
    private volatile boolean disconnectRequested;
    /** Completes when the ability manager answered the connect (accepted or not). */
    final CompletableFuture<Void> accepted = new CompletableFuture<>();

    ConnectionCallback(final long id, final ExtensionAbilityType type, final ElementName target,
        final ConnectOptions options, final int managerPid, final Runnable forget)
    {
        super(ConnectionCallbackProtocol.DESCRIPTOR);
        this.id = id;
        this.type = type;
        this.target = target;
        this.options = options;
        this.managerPid = managerPid;
        this.forget = forget;
    }

    long id()
    {
        return id;
    }

    ExtensionAbilityType type()
    {
        return type;
    }

    State state()
    {
        return state.get();
    }

    /** The caller asked to disconnect: a PENDING connection that ends now ends with onDisconnect. */
    void disconnectRequested()
    {
        disconnectRequested = true;
    }

    @Override
    protected boolean onRemoteMessageRequest(final int code, final MessageSequence data, final MessageSequence reply,
        final MessageOption option)
    {
        if (IPCSkeleton.getCallingPid() != managerPid)
        {
            LOG.log(System.Logger.Level.WARNING, "connection " + id + ": refused request " + code + " from pid "
                + IPCSkeleton.getCallingPid() + " (only the ability manager, pid " + managerPid + ", tells it)");
            return false;
        }
        switch (code)
        {
            case ConnectionCallbackProtocol.ON_CONNECTED ->
            {
                final ElementName element = ElementName.readFrom(data);
                final IRemoteObject object;
                try
                {
                    object = data.readRemoteObject();
                }
                catch (final RpcException unusable)
                {
                    // the service's process is gone already: the connect never completes
                    failed(AbilityErrors.INNER);
                    return true;
                }
                connected(element, object);
            }
            case ConnectionCallbackProtocol.ON_DISCONNECTED ->
            {
                final ElementName element = ElementName.readFrom(data);
                data.readInt();
                disconnected(element);
            }
            case ConnectionCallbackProtocol.ON_FAILED -> failed(data.readInt());
            default ->
            {
                return false;
            }
        }
        return true;
    }

    private void connected(final ElementName element, final IRemoteObject object)
    {
        if (null == object || State.PENDING != state.get())
        {
            return;
        }
        remote = object;
        try
        {
            object.registerDeathRecipient(remoteDied, 0);
        }
        catch (final RpcException alreadyDead)
        {
            // The service died on the way: the connection is over before it began.
            failed(AbilityErrors.INNER);
            return;
        }
        if (!state.compareAndSet(State.PENDING, State.CONNECTED))
        {
            object.unregisterDeathRecipient(remoteDied, 0);
            return;
        }
        synchronized (callbackLock)
        {
            if (State.CONNECTED == state.get())
            {
                invoke("onConnect", () -> options.onConnect(element, object));
            }
        }
    }

    /**
     * The connection ended: onDisconnect, or onFailed(16000050) for one that never connected and that the caller did
     * not disconnect.
     *
     * @param element the service's name as the manager sent it, or null to use the target's.
     */
    void disconnected(final ElementName element)
    {
        final State before = finish();
        if (null == before)
        {
            return;
        }
        if (State.PENDING == before && !disconnectRequested)
        {
            call("onFailed", () -> options.onFailed(AbilityErrors.INNER));
        }
        else
        {
            call("onDisconnect", () -> options.onDisconnect(null == element ? target : element));
        }
    }

    /**
     * The connect failed: onFailed(code) when it never connected (onDisconnect when it had).
     *
     * @param code the error code.
     */
    void failed(final int code)
    {
        final State before = finish();
        if (null == before)
        {
            return;
        }
        if (State.CONNECTED == before || (State.PENDING == before && disconnectRequested))
        {
            call("onDisconnect", () -> options.onDisconnect(target));
        }
        else
        {
            call("onFailed", () -> options.onFailed(code));
        }
    }

    /** Moves to DONE once; returns the state it left, or null when it was DONE already. */
    private State finish()
    {
        final State before = state.getAndSet(State.DONE);
        if (State.DONE == before)
        {
            return null;
        }
        final IRemoteObject object = remote;
        if (null != object)
        {
            object.unregisterDeathRecipient(remoteDied, 0);
        }
        forget.run();
        return before;
    }

    private void call(final String what, final Runnable callback)
    {
        synchronized (callbackLock)
        {
            invoke(what, callback);
        }
    }

    private void invoke(final String what, final Runnable callback)
    {
        try
        {
            callback.run();
        }
        catch (final RuntimeException thrown)
        {
            LOG.log(System.Logger.Level.WARNING, "connection " + id + " to " + target + ": " + what + " threw",
                thrown);
        }
    }
}
