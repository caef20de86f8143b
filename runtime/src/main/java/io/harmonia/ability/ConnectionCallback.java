package io.harmonia.ability;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import io.harmonia.rpc.DeathRecipient;
import io.harmonia.rpc.IPCSkeleton;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.RemoteObject;
import io.harmonia.rpc.RpcException;
import io.harmonia.runtime.SerialExecutor;

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
 * <p><b>Threads.</b> Requests arrive on RPC threads (one way, so in order), deaths on the RPC death thread; each
 * becomes a task of this connection's serial queue on the connector's pool, where the state changes and the
 * caller's callbacks run, one at a time and in arrival order. The callbacks never run on the RPC thread that took
 * the ability manager's one-way request: a call they make must not be routed back to the manager's thread as if it
 * were waiting for them (it is not). A synchronous ON_DISCONNECTED (a stop) is answered once the callback returned.
 * Requests from any process but the ability manager are refused.
 */
final class ConnectionCallback extends RemoteObject
{
    private static final System.Logger LOG = System.getLogger(ConnectionCallback.class.getName());
    /** How long a synchronous ON_DISCONNECTED waits for the callback (the manager waits less). */
    private static final long SYNC_ANSWER_SECONDS = 60;

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
    private final SerialExecutor events;
    private final DeathRecipient remoteDied = () -> end();
    private volatile IRemoteObject remote;
    private volatile boolean disconnectRequested;
    /** Completes when the ability manager answered the connect (accepted or not). */
    final CompletableFuture<Void> accepted = new CompletableFuture<>();

    ConnectionCallback(final long id, final ExtensionAbilityType type, final ElementName target,
        final ConnectOptions options, final int managerPid, final Runnable forget, final Executor pool)
    {
        super(ConnectionCallbackProtocol.DESCRIPTOR);
        this.events = new SerialExecutor(pool);
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
                    LOG.log(System.Logger.Level.WARNING, "connection " + id + ": the service's object cannot be "
                        + "used: " + unusable.getMessage());
                    fail(AbilityErrors.INNER);
                    return true;
                }
                events.execute(() -> connected(element, object));
            }
            case ConnectionCallbackProtocol.ON_DISCONNECTED ->
            {
                final ElementName element = ElementName.readFrom(data);
                data.readInt();
                final CompletableFuture<Void> done = new CompletableFuture<>();
                events.execute(() ->
                {
                    disconnected(element);
                    done.complete(null);
                });
                if (!option.isAsync())
                {
                    awaitQuietly(done);
                }
            }
            case ConnectionCallbackProtocol.ON_FAILED ->
            {
                final int failure = data.readInt();
                events.execute(() -> failed(failure));
            }
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
            LOG.log(System.Logger.Level.WARNING, "connection " + id + ": the service died before its onConnect: "
                + alreadyDead.getMessage());
            failed(AbilityErrors.INNER);
            return;
        }
        if (!state.compareAndSet(State.PENDING, State.CONNECTED))
        {
            object.unregisterDeathRecipient(remoteDied, 0);
            return;
        }
        invoke("onConnect", () -> options.onConnect(element, object));
    }

    /** The connection ended (its service or the manager died, or it ended without news): queued. */
    void end()
    {
        events.execute(() -> disconnected(null));
    }

    /**
     * The connect failed (refused by the manager): queued.
     *
     * @param code the error code.
     */
    void fail(final int code)
    {
        events.execute(() -> failed(code));
    }

    /** Waits for a queued callback, bounded: the manager waits for the answer at most its disconnect deadline. */
    private static void awaitQuietly(final CompletableFuture<Void> done)
    {
        try
        {
            done.get(SYNC_ANSWER_SECONDS, TimeUnit.SECONDS);
        }
        catch (final java.util.concurrent.ExecutionException | TimeoutException late)
        {
            // the manager stopped waiting long ago
        }
        catch (final InterruptedException interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The connection ended: onDisconnect, or onFailed(16000050) for one that never connected and that the caller did
     * not disconnect.
     *
     * @param element the service's name as the manager sent it, or null to use the target's.
     */
    private void disconnected(final ElementName element)
    {
        final State before = finish();
        if (null == before)
        {
            return;
        }
        if (State.PENDING == before && !disconnectRequested)
        {
            LOG.log(System.Logger.Level.WARNING, "connection " + id + " ended before it connected");
            invoke("onFailed", () -> options.onFailed(AbilityErrors.INNER));
        }
        else
        {
            invoke("onDisconnect", () -> options.onDisconnect(null == element ? target : element));
        }
    }

    /**
     * The connect failed: onFailed(code) when it never connected (onDisconnect when it had).
     *
     * @param code the error code.
     */
    private void failed(final int code)
    {
        final State before = finish();
        if (null == before)
        {
            return;
        }
        if (State.CONNECTED == before || (State.PENDING == before && disconnectRequested))
        {
            invoke("onDisconnect", () -> options.onDisconnect(target));
        }
        else
        {
            invoke("onFailed", () -> options.onFailed(code));
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
