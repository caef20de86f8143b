package io.harmonia.ability;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import io.harmonia.rpc.RpcException;

/**
 * The callers' API of service extensions (OpenHarmony's {@code startServiceExtensionAbility} ...
 * {@code disconnectAppServiceExtensionAbility} on a {@code UIAbilityContext}), for any process: a UIAbility's and a
 * ServiceExtensionAbility's contexts delegate here, and a process that is not an app (a tool, a test) gets one from
 * {@link AbilityManagerClient#connector()}. Who may do what is decided by the ability manager from the caller's
 * kernel uid and pid and the bundle database, never from the Want.
 *
 * <p><b>Results.</b> start, stop and disconnect return futures that complete exceptionally with an
 * {@link AbilityException} carrying OpenHarmony's code (the seeds' rejected promise with a BusinessError):
 * 202 (a service start or stop by a caller that is not a system app), 801 (AppService off a 2-in-1 device),
 * 16000001 (no such bundle or extension), 16000002 (the target is not of the method's family), 16000004 (not
 * exported), 16000050 (the service failed, timed out or is not running; the ability manager cannot be reached),
 * 16000200 (AppService start or stop by a caller its allow-list does not name). connect returns the connection id
 * at once; its outcome comes through {@link ConnectOptions}, exactly one final callback per connect. A null
 * argument is a parameter error thrown at once ({@link AbilityErrors#INVALID_PARAMETER}).
 *
 * <p><b>Disconnect</b> of a connection that has ended already is a success (idempotent); of an id this process
 * never returned it fails with 16000050 ("the service connection does not exist").
 *
 * <p><b>Threads.</b> Every method may be called from any thread, also from inside a lifecycle callback or a
 * ConnectOptions callback: none blocks on the service's lifecycle. Futures complete on RPC threads; ConnectOptions
 * callbacks run on the process's connection-callback threads, one at a time per connection.
 */
public final class AbilityConnector
{
    /** Connection ids are unique in the process, from 1 (OpenHarmony's JS contexts number them the same way). */
    private static final AtomicLong NEXT_ID = new AtomicLong(1);
    /** Where the callbacks of every connection of the process run (each connection's in order, on its queue). */
    private static final ExecutorService CALLBACKS = Executors.newCachedThreadPool(task -> Thread.ofPlatform()
        .daemon().name("harmonia-connection-callbacks").unstarted(task));

    private final AbilityManagerClient manager;
    private final Map<Long, ConnectionCallback> connections = new ConcurrentHashMap<>();

    AbilityConnector(final AbilityManagerClient manager)
    {
        this.manager = manager;
        manager.remote().registerDeathRecipient(this::managerDied, 0);
    }

    /**
     * Starts a ServiceExtensionAbility (system callers only): onCreate the first time, then onRequest.
     *
     * @param want the target.
     * @return completes once its onRequest has returned.
     */
    public CompletableFuture<Void> startServiceExtensionAbility(final Want want)
    {
        return start(ExtensionAbilityType.SERVICE, want);
    }

    /**
     * Stops a ServiceExtensionAbility (system callers only): its clients get onDisconnect, then its onDestroy runs.
     *
     * @param want the target.
     * @return completes once its onDestroy has returned.
     */
    public CompletableFuture<Void> stopServiceExtensionAbility(final Want want)
    {
        return stop(ExtensionAbilityType.SERVICE, want);
    }

    /**
     * Connects to a ServiceExtensionAbility.
     *
     * @param want    the target.
     * @param options told of the outcome.
     * @return the connection id, for {@link #disconnectServiceExtensionAbility}.
     */
    public long connectServiceExtensionAbility(final Want want, final ConnectOptions options)
    {
        return connect(ExtensionAbilityType.SERVICE, want, options);
    }

    /**
     * Ends a connection to a ServiceExtensionAbility.
     *
     * @param connectionId what connect returned.
     * @return completes once the ability manager took it; onDisconnect follows.
     */
    public CompletableFuture<Void> disconnectServiceExtensionAbility(final long connectionId)
    {
        return disconnect(ExtensionAbilityType.SERVICE, connectionId);
    }

    /**
     * Starts an AppServiceExtensionAbility (its own bundle and allow-listed callers).
     *
     * @param want the target.
     * @return completes once its onRequest has returned.
     */
    public CompletableFuture<Void> startAppServiceExtensionAbility(final Want want)
    {
        return start(ExtensionAbilityType.APP_SERVICE, want);
    }

    /**
     * Stops an AppServiceExtensionAbility (its own bundle and allow-listed callers).
     *
     * @param want the target.
     * @return completes once its onDestroy has returned.
     */
    public CompletableFuture<Void> stopAppServiceExtensionAbility(final Want want)
    {
        return stop(ExtensionAbilityType.APP_SERVICE, want);
    }

    /**
     * Connects to an AppServiceExtensionAbility.
     *
     * @param want    the target.
     * @param options told of the outcome.
     * @return the connection id.
     */
    public long connectAppServiceExtensionAbility(final Want want, final ConnectOptions options)
    {
        return connect(ExtensionAbilityType.APP_SERVICE, want, options);
    }

    /**
     * Ends a connection to an AppServiceExtensionAbility.
     *
     * @param connectionId what connect returned.
     * @return completes once the ability manager took it; onDisconnect follows.
     */
    public CompletableFuture<Void> disconnectAppServiceExtensionAbility(final long connectionId)
    {
        return disconnect(ExtensionAbilityType.APP_SERVICE, connectionId);
    }

    /**
     * Starts an extension of a family.
     *
     * @param type the family the target must be.
     * @param want the target.
     * @return see {@link #startServiceExtensionAbility}.
     */
    public CompletableFuture<Void> start(final ExtensionAbilityType type, final Want want)
    {
        requireArgument(type, "type");
        requireArgument(want, "want");
        return translate(manager.extensionRequest(AbilityManagerProtocol.START_EXTENSION, type, want));
    }

    /**
     * Stops an extension of a family.
     *
     * @param type the family the target must be.
     * @param want the target.
     * @return see {@link #stopServiceExtensionAbility}.
     */
    public CompletableFuture<Void> stop(final ExtensionAbilityType type, final Want want)
    {
        requireArgument(type, "type");
        requireArgument(want, "want");
        return translate(manager.extensionRequest(AbilityManagerProtocol.STOP_EXTENSION, type, want));
    }

    /**
     * Connects to an extension of a family.
     *
     * @param type    the family the target must be.
     * @param want    the target.
     * @param options told of the outcome.
     * @return the connection id.
     */
    public long connect(final ExtensionAbilityType type, final Want want, final ConnectOptions options)
    {
        requireArgument(type, "type");
        requireArgument(want, "want");
        requireArgument(options, "options");
        final long id = NEXT_ID.getAndIncrement();
        final ConnectionCallback callback = new ConnectionCallback(id, type, want.element(), options,
            manager.ownerPid(), () -> connections.remove(id), CALLBACKS);
        connections.put(id, callback);
        final CompletableFuture<Void> sent;
        try
        {
            sent = manager.connectExtension(type, want, callback);
        }
        catch (final RpcException unwritable)
        {
            callback.accepted.complete(null);
            callback.fail(AbilityErrors.INNER);
            return id;
        }
        sent.whenComplete((accepted, failure) ->
        {
            if (null != failure)
            {
                callback.fail(codeOf(failure));
            }
            callback.accepted.complete(null);
        });
        return id;
    }

    /**
     * Ends a connection.
     *
     * @param type         the family of the connect (an AppService request off a 2-in-1 device gets 801).
     * @param connectionId what connect returned.
     * @return see {@link #disconnectServiceExtensionAbility}.
     */
    public CompletableFuture<Void> disconnect(final ExtensionAbilityType type, final long connectionId)
    {
        requireArgument(type, "type");
        final ConnectionCallback callback = connections.get(connectionId);
        if (null == callback)
        {
            return connectionId > 0 && connectionId < NEXT_ID.get() ? CompletableFuture.completedFuture(null)
                : CompletableFuture.failedFuture(new AbilityException(AbilityErrors.INNER, "connection "
                    + connectionId + ": the service connection does not exist; use an id that connect returned"));
        }
        callback.disconnectRequested();
        // After the connect's answer, so the manager never sees the disconnect of a connect it has not had yet.
        return translate(callback.accepted.thenCompose(answered -> ConnectionCallback.State.DONE == callback.state()
            ? CompletableFuture.completedFuture(null) : manager.disconnectExtension(type, callback)
                .exceptionallyCompose(failure -> endedAnyway(callback, failure))));
    }

    /**
     * A disconnect the manager refused: unless the family is refused (801), the manager holds no such connection
     * any more (it ended on its side and the news is on its way, or the manager is gone), so it ends here now.
     */
    private static CompletableFuture<Void> endedAnyway(final ConnectionCallback callback, final Throwable failure)
    {
        if (AbilityErrors.CAPABILITY_NOT_SUPPORTED == codeOf(failure))
        {
            return CompletableFuture.failedFuture(unwrap(failure));
        }
        callback.end();
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Connections of this connector that have not ended.
     *
     * @return how many.
     */
    public int liveConnections()
    {
        return connections.size();
    }

    /**
     * terminateSelf: the request is taken by the ability manager before this returns (it never waits for a step),
     * so a start in progress sees it before its next step; onDestroy follows.
     */
    CompletableFuture<Void> terminateSelf(final String abilityName)
    {
        final CompletableFuture<Void> taken = translate(manager.terminateSelf(abilityName));
        try
        {
            taken.join();
        }
        catch (final java.util.concurrent.CompletionException refused)
        {
            // the future carries the refusal
        }
        return taken;
    }

    /** The ability manager died: every connection ends (nothing can complete it any more). */
    private void managerDied()
    {
        for (final ConnectionCallback callback : connections.values())
        {
            callback.end();
        }
    }

    private static void requireArgument(final Object value, final String field)
    {
        if (null == value)
        {
            throw new AbilityException(AbilityErrors.INVALID_PARAMETER, "field '" + field + "' is null");
        }
    }

    /** The manager's failures as the callers' API reports them: its code, 16000050 when it could not be asked. */
    private static CompletableFuture<Void> translate(final CompletableFuture<Void> request)
    {
        final CompletableFuture<Void> result = new CompletableFuture<>();
        request.whenComplete((done, failure) ->
        {
            if (null == failure)
            {
                result.complete(null);
                return;
            }
            final Throwable cause = unwrap(failure);
            result.completeExceptionally(cause instanceof AbilityException ? cause
                : new AbilityException(codeOf(cause), Objects.toString(cause.getMessage(), cause.toString())));
        });
        return result;
    }

    private static Throwable unwrap(final Throwable failure)
    {
        return failure instanceof CompletionException && null != failure.getCause() ? failure.getCause() : failure;
    }

    private static int codeOf(final Throwable failure)
    {
        final Throwable cause = unwrap(failure);
        if (cause instanceof ServiceException refused && ServiceException.UNREACHABLE != refused.code())
        {
            return refused.code();
        }
        if (cause instanceof AbilityException refused)
        {
            return refused.code();
        }
        return AbilityErrors.INNER;
    }
}
