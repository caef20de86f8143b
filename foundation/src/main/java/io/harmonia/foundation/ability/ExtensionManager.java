package io.harmonia.foundation.ability;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import io.harmonia.ability.AbilityErrors;
import io.harmonia.ability.AbilityException;
import io.harmonia.ability.AppThreadProtocol;
import io.harmonia.ability.ConnectionCallbackProtocol;
import io.harmonia.ability.ExtensionAbilityType;
import io.harmonia.ability.Want;
import io.harmonia.foundation.ability.ExtensionTimeouts.Step;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.RpcException;

/**
 * The service extensions of the ability manager (OpenHarmony's ability connect manager): extension records,
 * connection records, and the lifecycle of each instance driven through its app process.
 *
 * <p><b>Requests</b> (start, stop, connect, disconnect, terminateSelf) are checked ({@link ExtensionAccess}) on the
 * caller's RPC thread, recorded under the lock, and turned into steps queued on the record's own serial executor;
 * none of them waits for a step, so a lifecycle callback may call the ability manager (terminateSelf in onCreate, a
 * service starting another) without a deadlock. start and stop answer through futures when their steps finished;
 * connect and disconnect answer at once and tell the client's callback object later.
 *
 * <p><b>Steps</b> run one at a time per record, each a synchronous call of the app thread with OpenHarmony's
 * deadline ({@link ExtensionTimeouts}): load (the bundle's process, shared with its UIAbilities, started through
 * appspawn and attached), onCreate, onRequest, onConnect, onDisconnect, onDestroy. One onConnect serves every client
 * waiting at that moment (the clients that connected while the service was loading included), and its object is
 * cached for later clients until the last one leaves; then onDisconnect, and for an instance never started,
 * onDestroy. stop and terminateSelf take the record out of the table at once (a later start or connect makes a new
 * instance), tell its clients, then run onDestroy.
 *
 * <p><b>Expiry</b> (OpenHarmony's actions): load or onCreate late: the start fails (16000050), waiting clients get
 * onFailed(16000050), the record is dropped; onRequest late: the start fails, and an instance nothing else made
 * ACTIVE is dropped with its clients; onConnect late, failed or null: every waiting client gets onFailed(16000050)
 * and an instance never started is terminated; onDisconnect late: the disconnect completes anyway; onDestroy late:
 * the record is dropped anyway. A dropped instance that may still exist in its process is sent onDestroy without
 * waiting.
 *
 * <p><b>Deaths.</b> The service's process: every record on it is dropped at once, each client told (onDisconnect if
 * connected, onFailed(16000050) if waiting) within the time a one-way call takes, and the next request makes a new
 * record and a new process. A client's process: a death recipient on each of its callback objects queues the
 * connection's disconnect (as if it had disconnected, without telling it). Clients are told by one-way calls, so a
 * slow or dead client never holds the manager up.
 *
 * <p><b>Threads and locks.</b> One lock guards both tables and every record's fields; it is never held across a
 * call to a process (OpenHarmony's samgr deadlocked on calling out under a lock). Steps run on a shared cached pool
 * of daemon threads, one per record with work.
 */
final class ExtensionManager implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(ExtensionManager.class.getName());
    /** The result code a client's onDisconnect carries when the service ended (OpenHarmony's -1). */
    private static final int SERVICE_ENDED = -1;

    private final AbilityManagerService processes;
    private final ExtensionAccess access;
    private final ExtensionTimeouts timeouts;
    private final ExecutorService pool;
    private final Object lock = new Object();
    /** Live instances by bundle/ability. */
    private final Map<String, ExtensionRecord> services = new LinkedHashMap<>();
    /** Instances stopped or terminating themselves, until their onDestroy returned. */
    private final Set<ExtensionRecord> terminating = new LinkedHashSet<>();
    /** Connections by the client's callback object (one proxy per object per process). */
    private final Map<IRemoteObject, ConnectionRecord> connections = new HashMap<>();

    ExtensionManager(final AbilityManagerService processes, final ExtensionAccess access,
        final ExtensionTimeouts timeouts)
    {
        this.processes = processes;
        this.access = access;
        this.timeouts = timeouts;
        final AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newCachedThreadPool(task -> Thread.ofPlatform().daemon()
            .name("ams-extension-" + threads.incrementAndGet()).unstarted(task));
    }

    // ---------------------------------------------------------------------------------------------------- requests

    /**
     * Starts an extension: onCreate the first time, then onRequest with the next startId.
     *
     * @return completes once onRequest returned; exceptionally with an {@link AbilityException}.
     * @throws AbilityException for a refused request.
     */
    CompletableFuture<Void> start(final ExtensionAbilityType type, final Want want, final int uid, final int pid)
    {
        final ExtensionAccess.Target target = access.resolve(type, want);
        access.checkStartOrStop(type, target, access.caller(uid, pid), "starting");
        noticeExit(ExtensionRecord.key(target.bundle().bundleName(), target.extension().name()));
        final CompletableFuture<Void> started = new CompletableFuture<>();
        final ExtensionRecord record;
        synchronized (lock)
        {
            record = recordFor(type, target);
        }
        record.steps.execute(() -> startStep(record, want, started));
        return started;
    }

    /**
     * Stops an extension: its clients are told, then onDestroy.
     *
     * @return completes once onDestroy returned (or timed out).
     * @throws AbilityException for a refused request; 16000050 when it is not running.
     */
    CompletableFuture<Void> stop(final ExtensionAbilityType type, final Want want, final int uid, final int pid)
    {
        final ExtensionAccess.Target target = access.resolve(type, want);
        access.checkStartOrStop(type, target, access.caller(uid, pid), "stopping");
        final CompletableFuture<Void> stopped = new CompletableFuture<>();
        final String key = ExtensionRecord.key(target.bundle().bundleName(), target.extension().name());
        final ExtensionRecord record;
        synchronized (lock)
        {
            final ExtensionRecord live = services.get(key);
            final ExtensionRecord ending = terminating.stream().filter(candidate -> candidate.key().equals(key))
                .findFirst().orElse(null);
            record = null != live ? live : ending;
            if (null == record)
            {
                throw new AbilityException(AbilityErrors.INNER, key + " is not running");
            }
            record.stopWaiters.add(stopped);
            if (record == ending)
            {
                return stopped;
            }
            requestTerminate(record);
        }
        record.steps.execute(() -> terminateStep(record));
        return stopped;
    }

    /**
     * A running extension stops itself.
     *
     * @param pid         the caller's kernel pid: the extension must run in that process.
     * @param abilityName the extension.
     * @throws AbilityException 16000011 when that process has no such live extension.
     */
    void terminateSelf(final int pid, final String abilityName)
    {
        final ExtensionRecord record;
        synchronized (lock)
        {
            record = services.values().stream().filter(candidate -> null != candidate.process
                && candidate.process.pid == pid && candidate.extension.name().equals(abilityName)).findFirst()
                .orElse(null);
            if (null == record)
            {
                final boolean already = terminating.stream().anyMatch(candidate -> null != candidate.process
                    && candidate.process.pid == pid && candidate.extension.name().equals(abilityName));
                if (already)
                {
                    return;
                }
                throw new AbilityException(AbilityErrors.CONTEXT_NOT_EXIST, "pid " + pid + " runs no extension "
                    + abilityName);
            }
            requestTerminate(record);
        }
        record.steps.execute(() -> terminateStep(record));
    }

    /**
     * Connects a client: the connection is recorded and its step queued; the outcome goes to the callback object.
     *
     * @throws AbilityException for a refused request; 16000050 when the callback object is connected already or
     *                          its process is gone.
     */
    void connect(final ExtensionAbilityType type, final Want want, final IRemoteObject callback, final int uid,
        final int pid)
    {
        final ExtensionAccess.Target target = access.resolve(type, want);
        final String key = ExtensionRecord.key(target.bundle().bundleName(), target.extension().name());
        noticeExit(key);
        final boolean started;
        synchronized (lock)
        {
            final ExtensionRecord live = services.get(key);
            started = null != live && live.startId > 0;
        }
        access.checkConnect(type, target, access.caller(uid, pid), started);
        final ConnectionRecord connection;
        synchronized (lock)
        {
            if (connections.containsKey(callback))
            {
                throw new AbilityException(AbilityErrors.INNER, "this callback object is connected already; use a new "
                    + "one per connect");
            }
            final ExtensionRecord record = recordFor(type, target);
            connection = new ConnectionRecord(record, callback, uid, pid, want, this::clientDied);
            record.connections.add(connection);
            connections.put(callback, connection);
        }
        try
        {
            callback.registerDeathRecipient(connection.clientDied, 0);
        }
        catch (final RpcException dead)
        {
            connection.callerDied = true;
            disconnectRequested(connection);
            throw new AbilityException(AbilityErrors.INNER, "the caller's callback object is gone");
        }
        connection.service.steps.execute(() -> connectStep(connection));
    }

    /**
     * Ends a client's connection: its step is queued; the client is told onDisconnect after the service's
     * onDisconnect when it was the last one.
     *
     * @throws AbilityException 801; 16000050 when the caller has no such connection.
     */
    void disconnect(final ExtensionAbilityType type, final IRemoteObject callback, final int pid)
    {
        access.checkDisconnect(type);
        final ConnectionRecord connection;
        synchronized (lock)
        {
            connection = connections.get(callback);
            if (null == connection || connection.clientPid != pid)
            {
                throw new AbilityException(AbilityErrors.INNER, "the service connection does not exist; use a "
                    + "connection ID returned by connect");
            }
        }
        disconnectRequested(connection);
    }

    /**
     * The test hook: forces a step of an ability to time out, or clears every forced one.
     *
     * @throws IllegalArgumentException for an unknown state (401).
     */
    void forceTimeout(final String abilityName, final String state)
    {
        timeouts.force(abilityName, state);
    }

    /** A client's process died: each of its connections goes as if disconnected, without telling it. */
    private void clientDied(final ConnectionRecord connection)
    {
        synchronized (lock)
        {
            connection.callerDied = true;
        }
        disconnectRequested(connection);
    }

    private void disconnectRequested(final ConnectionRecord connection)
    {
        synchronized (lock)
        {
            if (ConnectionRecord.State.DISCONNECTING == connection.state
                || ConnectionRecord.State.DISCONNECTED == connection.state)
            {
                return;
            }
            connection.state = ConnectionRecord.State.DISCONNECTING;
        }
        connection.service.steps.execute(() -> disconnectStep(connection));
    }

    /**
     * A record whose process exited is dropped before a request joins it: its client may reconnect as soon as it
     * saw the hang-up, before the process's death reached us.
     */
    private void noticeExit(final String key)
    {
        final AppProcessRecord process;
        synchronized (lock)
        {
            final ExtensionRecord live = services.get(key);
            process = null == live ? null : live.process;
        }
        if (null != process)
        {
            processes.noticeExit(process);
        }
    }

    /** The live record of a target, made when there is none. Under the lock. */
    private ExtensionRecord recordFor(final ExtensionAbilityType type, final ExtensionAccess.Target target)
    {
        return services.computeIfAbsent(ExtensionRecord.key(target.bundle().bundleName(), target.extension().name()),
            key -> new ExtensionRecord(target.bundle(), target.extension(), type, pool));
    }

    /** Takes a record out of the table for its terminate step. Under the lock. */
    private void requestTerminate(final ExtensionRecord record)
    {
        record.terminateRequested = true;
        services.remove(record.key(), record);
        terminating.add(record);
    }

    // ------------------------------------------------------------------------------------------------------- steps

    private void startStep(final ExtensionRecord record, final Want want, final CompletableFuture<Void> started)
    {
        synchronized (lock)
        {
            if (record.terminateRequested || ExtensionRecord.State.TERMINATED == record.state)
            {
                started.completeExceptionally(new AbilityException(AbilityErrors.INNER, record.key()
                    + " was stopped before it started"));
                return;
            }
        }
        try
        {
            if (!ensureCreated(record, want))
            {
                // created, then it terminated itself (terminateSelf in onCreate): the start is done
                started.complete(null);
                return;
            }
        }
        catch (final AbilityException failed)
        {
            started.completeExceptionally(failed);
            return;
        }
        final int startId;
        synchronized (lock)
        {
            if (record.terminateRequested || ExtensionRecord.State.TERMINATED == record.state)
            {
                started.complete(null);
                return;
            }
            startId = ++record.startId;
        }
        try
        {
            step(record, Step.COMMAND, AppThreadProtocol.SCHEDULE_COMMAND_EXTENSION, "onRequest", data ->
            {
                data.writeLong(record.id);
                want.writeTo(data);
                data.writeInt(startId);
            }, reply -> null);
            synchronized (lock)
            {
                if (ExtensionRecord.State.TERMINATED != record.state && !record.terminateRequested)
                {
                    record.state = ExtensionRecord.State.ACTIVE;
                }
            }
            started.complete(null);
        }
        catch (final StepFailure failed)
        {
            started.completeExceptionally(failed.toAbilityException());
            final boolean active;
            synchronized (lock)
            {
                active = ExtensionRecord.State.ACTIVE == record.state;
            }
            if (StepFailure.Kind.FAILED != failed.kind() && !active)
            {
                drop(record, failed.getMessage(), AbilityErrors.INNER, failed.inFlight());
            }
        }
    }

    private void connectStep(final ConnectionRecord connection)
    {
        final ExtensionRecord record = connection.service;
        synchronized (lock)
        {
            if (ConnectionRecord.State.INIT != connection.state)
            {
                return;
            }
        }
        try
        {
            if (!ensureCreated(record, connection.want))
            {
                return;
            }
        }
        catch (final AbilityException failed)
        {
            return;
        }
        final IRemoteObject cached;
        synchronized (lock)
        {
            if (ConnectionRecord.State.INIT != connection.state || record.terminateRequested
                || ExtensionRecord.State.TERMINATED == record.state)
            {
                return;
            }
            cached = record.remote;
            connection.state = null == cached ? ConnectionRecord.State.CONNECTING : ConnectionRecord.State.CONNECTED;
        }
        if (null != cached)
        {
            tellConnected(connection, cached);
            return;
        }
        final IRemoteObject remote;
        try
        {
            remote = step(record, Step.CONNECT, AppThreadProtocol.SCHEDULE_CONNECT_EXTENSION, "onConnect", data ->
            {
                data.writeLong(record.id);
                connection.want.writeTo(data);
            }, reply -> reply.readBoolean() ? reply.readRemoteObject() : null);
        }
        catch (final StepFailure failed)
        {
            connectFailed(record, failed.getMessage());
            return;
        }
        if (null == remote)
        {
            connectFailed(record, "onConnect of " + record + " returned null");
            return;
        }
        final List<ConnectionRecord> waiting = new ArrayList<>();
        synchronized (lock)
        {
            if (ExtensionRecord.State.TERMINATED == record.state || record.terminateRequested)
            {
                return;
            }
            record.remote = remote;
            record.state = ExtensionRecord.State.ACTIVE;
            for (final ConnectionRecord candidate : record.connections)
            {
                if (ConnectionRecord.State.INIT == candidate.state || ConnectionRecord.State.CONNECTING == candidate.state)
                {
                    candidate.state = ConnectionRecord.State.CONNECTED;
                    waiting.add(candidate);
                }
            }
        }
        waiting.forEach(candidate -> tellConnected(candidate, remote));
    }

    /** onConnect did not give an object: every waiting client fails; an instance never started is terminated. */
    private void connectFailed(final ExtensionRecord record, final String why)
    {
        LOG.log(System.Logger.Level.WARNING, why);
        final List<ConnectionRecord> failed = new ArrayList<>();
        final boolean terminate;
        synchronized (lock)
        {
            for (final ConnectionRecord candidate : List.copyOf(record.connections))
            {
                if (ConnectionRecord.State.INIT == candidate.state || ConnectionRecord.State.CONNECTING == candidate.state)
                {
                    forget(candidate);
                    failed.add(candidate);
                }
            }
            terminate = 0 == record.startId && record.connections.isEmpty() && !record.terminateRequested
                && ExtensionRecord.State.TERMINATED != record.state;
            if (terminate)
            {
                requestTerminate(record);
            }
        }
        failed.forEach(candidate -> tellFailed(candidate, AbilityErrors.INNER));
        if (terminate)
        {
            terminateStep(record);
        }
    }

    private void disconnectStep(final ConnectionRecord connection)
    {
        final ExtensionRecord record = connection.service;
        final boolean last;
        synchronized (lock)
        {
            if (ConnectionRecord.State.DISCONNECTED == connection.state)
            {
                return;
            }
            forget(connection);
            last = null != record.remote && !record.hasConnectedClient() && !record.terminateRequested
                && ExtensionRecord.State.TERMINATED != record.state;
            if (last)
            {
                record.remote = null;
            }
        }
        if (last)
        {
            try
            {
                step(record, Step.DISCONNECT, AppThreadProtocol.SCHEDULE_DISCONNECT_EXTENSION, "onDisconnect",
                    data ->
                    {
                        data.writeLong(record.id);
                        connection.want.writeTo(data);
                    }, reply -> null);
            }
            catch (final StepFailure failed)
            {
                // OpenHarmony completes the disconnect itself when onDisconnect is late or failed.
                LOG.log(System.Logger.Level.WARNING, failed.getMessage() + "; the disconnect completes anyway");
            }
        }
        if (!connection.callerDied)
        {
            tellDisconnected(connection, 0);
        }
        final boolean idle;
        synchronized (lock)
        {
            idle = record.connections.isEmpty() && 0 == record.startId && !record.terminateRequested
                && ExtensionRecord.State.TERMINATED != record.state;
            if (idle)
            {
                requestTerminate(record);
            }
            else if (last && ExtensionRecord.State.ACTIVE == record.state && 0 == record.startId)
            {
                record.state = ExtensionRecord.State.INACTIVE;
            }
        }
        if (idle)
        {
            terminateStep(record);
        }
    }

    private void terminateStep(final ExtensionRecord record)
    {
        final List<ConnectionRecord> clients;
        final boolean created;
        synchronized (lock)
        {
            if (ExtensionRecord.State.TERMINATED == record.state)
            {
                return;
            }
            record.state = ExtensionRecord.State.TERMINATING;
            record.remote = null;
            clients = List.copyOf(record.connections);
            clients.forEach(this::forget);
            created = record.created;
        }
        tellEndedAndWait(clients);
        if (created)
        {
            try
            {
                step(record, Step.TERMINATING, AppThreadProtocol.SCHEDULE_DESTROY_EXTENSION, "onDestroy",
                    data -> data.writeLong(record.id), reply -> null);
            }
            catch (final StepFailure failed)
            {
                LOG.log(System.Logger.Level.WARNING, failed.getMessage() + "; " + record + " is dropped anyway");
            }
        }
        finish(record);
    }

    /**
     * Makes sure the instance exists: loads its process and runs onCreate the first time.
     *
     * @return false when the instance was terminated meanwhile (it may have been created).
     * @throws AbilityException when loading or creating failed (the record is dropped, its clients told).
     */
    private boolean ensureCreated(final ExtensionRecord record, final Want want)
    {
        synchronized (lock)
        {
            if (ExtensionRecord.State.TERMINATED == record.state || record.terminateRequested)
            {
                return false;
            }
            if (ExtensionRecord.State.INITIAL != record.state)
            {
                return true;
            }
        }
        final AppProcessRecord process;
        try
        {
            if (timeouts.forced(record.extension.name(), Step.INITIAL))
            {
                throw new AbilityException(AbilityErrors.INNER, "loading " + record + " timed out (forced by the "
                    + "test hook)");
            }
            process = processes.processFor(record.bundle);
        }
        catch (final AbilityException failed)
        {
            drop(record, failed.getMessage());
            throw failed;
        }
        synchronized (lock)
        {
            if (ExtensionRecord.State.TERMINATED == record.state)
            {
                return false;
            }
            record.process = process;
            record.state = ExtensionRecord.State.INACTIVATING;
            record.created = true;
        }
        if (processes.isDead(process))
        {
            // It died between its attach and now, so its death handling may have missed this record.
            drop(record, "its process died");
            throw new AbilityException(AbilityErrors.INNER, "the process of " + record + " died");
        }
        try
        {
            step(record, Step.INACTIVE, AppThreadProtocol.SCHEDULE_CREATE_EXTENSION, "onCreate", data ->
            {
                data.writeLong(record.id);
                data.writeString(record.extension.name());
                data.writeString(record.extension.entryClass());
                data.writeInt(record.type.wire());
                want.writeTo(data);
            }, reply -> null);
        }
        catch (final StepFailure failed)
        {
            if (StepFailure.Kind.FAILED == failed.kind())
            {
                synchronized (lock)
                {
                    record.created = false;
                }
            }
            final AbilityException reported = failed.toAbilityException();
            drop(record, failed.getMessage(), reported.code(), failed.inFlight());
            throw reported;
        }
        synchronized (lock)
        {
            if (ExtensionRecord.State.TERMINATED == record.state)
            {
                return false;
            }
            if (ExtensionRecord.State.INACTIVATING == record.state)
            {
                record.state = ExtensionRecord.State.INACTIVE;
            }
            return !record.terminateRequested;
        }
    }

    /**
     * Drops a record that failed: its clients are told (onFailed, or onDisconnect when connected), it leaves the
     * tables, and an instance that may exist in its process is sent onDestroy without waiting.
     */
    private void drop(final ExtensionRecord record, final String why)
    {
        drop(record, why, AbilityErrors.INNER, CompletableFuture.completedFuture(null));
    }

    /**
     * {@link #drop(ExtensionRecord, String)}, waiting clients failing with a code, the instance's onDestroy sent
     * after a step still running in the app (a forced onCreate) finished.
     */
    private void drop(final ExtensionRecord record, final String why, final int failure,
        final CompletableFuture<?> stillRunning)
    {
        LOG.log(System.Logger.Level.WARNING, record + " is dropped: " + why);
        final List<ConnectionRecord> clients;
        final boolean created;
        synchronized (lock)
        {
            if (ExtensionRecord.State.TERMINATED == record.state)
            {
                return;
            }
            clients = List.copyOf(record.connections);
            clients.forEach(this::forget);
            created = record.created && null != record.process;
        }
        clients.forEach(connection -> tellServiceEnded(connection, failure));
        if (created)
        {
            destroyLater(record, stillRunning);
        }
        finish(record);
    }

    /**
     * Sends onDestroy to an instance the manager gave up on, on a pool thread, once the step still running there
     * finished (a destroy overtaking its create would miss the instance): its answer is only logged.
     */
    private void destroyLater(final ExtensionRecord record, final CompletableFuture<?> stillRunning)
    {
        final IRemoteObject thread = processes.threadOf(record.process);
        final long millis = timeouts.millis(Step.TERMINATING);
        pool.execute(() ->
        {
            try
            {
                stillRunning.get(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
            catch (final java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ended)
            {
                // the step failed or is still stuck: the destroy goes anyway
            }
            catch (final InterruptedException interrupted)
            {
                Thread.currentThread().interrupt();
                return;
            }
            try
            {
                StepFailure.call(thread, AppThreadProtocol.SCHEDULE_DESTROY_EXTENSION, millis, false,
                    "onDestroy of " + record + " (given up on)", data -> data.writeLong(record.id), reply -> null);
            }
            catch (final StepFailure failed)
            {
                LOG.log(System.Logger.Level.DEBUG, failed.getMessage());
            }
        });
    }

    /** The record is over: out of the tables, stops answered. */
    private void finish(final ExtensionRecord record)
    {
        final List<CompletableFuture<Void>> waiters;
        synchronized (lock)
        {
            retire(record);
            terminating.remove(record);
            waiters = List.copyOf(record.stopWaiters);
            record.stopWaiters.clear();
        }
        waiters.forEach(waiter -> waiter.complete(null));
    }

    /** Ends a record and takes it out of the service table, so no request joins it any more. Under the lock. */
    private void retire(final ExtensionRecord record)
    {
        record.state = ExtensionRecord.State.TERMINATED;
        record.remote = null;
        services.remove(record.key(), record);
    }

    /**
     * A process died: every record on it is over at once, its clients told now.
     *
     * @param process the dead process.
     */
    void processDied(final AppProcessRecord process)
    {
        final List<ExtensionRecord> dead = new ArrayList<>();
        final List<ConnectionRecord> clients = new ArrayList<>();
        synchronized (lock)
        {
            for (final ExtensionRecord record : List.copyOf(services.values()))
            {
                if (record.process == process)
                {
                    dead.add(record);
                }
            }
            for (final ExtensionRecord record : terminating)
            {
                if (record.process == process)
                {
                    dead.add(record);
                }
            }
            for (final ExtensionRecord record : dead)
            {
                record.created = false;
                // Out of the table before any client hears of the death: a client that reconnects from its
                // onDisconnect must get a new record, not this dead one (finish() below would drop it with the
                // new connection on it, never answered).
                retire(record);
                final List<ConnectionRecord> connected = List.copyOf(record.connections);
                connected.forEach(this::forget);
                clients.addAll(connected);
            }
        }
        clients.forEach(this::tellServiceEnded);
        dead.forEach(this::finish);
    }

    /** A connection leaves the tables. Under the lock. */
    private void forget(final ConnectionRecord connection)
    {
        connection.service.connections.remove(connection);
        connections.remove(connection.callback, connection);
        if (ConnectionRecord.State.DISCONNECTED != connection.state)
        {
            connection.previous = connection.state;
        }
        connection.state = ConnectionRecord.State.DISCONNECTED;
        try
        {
            connection.callback.unregisterDeathRecipient(connection.clientDied, 0);
        }
        catch (final RpcException gone)
        {
            // the client is dead already
        }
    }

    /** Runs one lifecycle step of a record in its process, with its deadline and the test hook. */
    private <T> T step(final ExtensionRecord record, final Step step, final int code, final String callback,
        final java.util.function.Consumer<MessageSequence> write, final StepFailure.ReplyReader<T> read)
        throws StepFailure
    {
        final AppProcessRecord process;
        synchronized (lock)
        {
            process = record.process;
        }
        return StepFailure.call(processes.threadOf(process), code, timeouts.millis(step),
            timeouts.forced(record.extension.name(), step), callback + " of " + record, write, read);
    }

    // ---------------------------------------------------------------------------------------------------- clients

    /** A connection the service ended: onDisconnect(-1) if the client was connected (or had asked), else onFailed. */
    private void tellServiceEnded(final ConnectionRecord connection)
    {
        tellServiceEnded(connection, AbilityErrors.INNER);
    }

    /** {@link #tellServiceEnded(ConnectionRecord)} with the code of an onFailed. */
    private void tellServiceEnded(final ConnectionRecord connection, final int failure)
    {
        if (connection.callerDied)
        {
            return;
        }
        if (ConnectionRecord.State.CONNECTED == connection.previous
            || ConnectionRecord.State.DISCONNECTING == connection.previous)
        {
            tellDisconnected(connection, SERVICE_ENDED);
        }
        else
        {
            LOG.log(System.Logger.Level.WARNING, "a connection to " + connection.service + " ended before it "
                + "connected: onFailed(" + failure + ")");
            tellFailed(connection, failure);
        }
    }

    /**
     * Tells the clients of a stopped service that their connections ended and waits, at most the disconnect
     * deadline, until their onDisconnect returned: "clients get onDisconnect, then onDestroy". A slow or dead client
     * delays onDestroy by that deadline at most. Waiting clients are told onFailed without waiting.
     */
    private void tellEndedAndWait(final List<ConnectionRecord> clients)
    {
        final List<CompletableFuture<?>> told = new ArrayList<>();
        for (final ConnectionRecord connection : clients)
        {
            if (connection.callerDied || !(ConnectionRecord.State.CONNECTED == connection.previous
                || ConnectionRecord.State.DISCONNECTING == connection.previous))
            {
                tellServiceEnded(connection);
                continue;
            }
            final MessageSequence data = MessageSequence.create();
            final MessageSequence reply = MessageSequence.create();
            try
            {
                element(connection).writeTo(data);
                data.writeInt(SERVICE_ENDED);
                final MessageOption option = new MessageOption();
                option.setWaitTimeMillis(timeouts.millis(Step.DISCONNECT));
                told.add(connection.callback.sendMessageRequest(ConnectionCallbackProtocol.ON_DISCONNECTED, data,
                    reply, option).whenComplete((result, failure) ->
                    {
                        data.close();
                        reply.close();
                    }));
            }
            catch (final RuntimeException unsent)
            {
                data.close();
                reply.close();
            }
        }
        try
        {
            CompletableFuture.allOf(told.toArray(CompletableFuture[]::new)).get(timeouts.millis(Step.DISCONNECT),
                java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        catch (final java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException late)
        {
            LOG.log(System.Logger.Level.DEBUG, "a client did not confirm its onDisconnect in time: " + late);
        }
        catch (final InterruptedException interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void tellConnected(final ConnectionRecord connection, final IRemoteObject remote)
    {
        oneWay(connection.callback, ConnectionCallbackProtocol.ON_CONNECTED, data ->
        {
            element(connection).writeTo(data);
            data.writeRemoteObject(remote);
        });
    }

    private void tellDisconnected(final ConnectionRecord connection, final int resultCode)
    {
        oneWay(connection.callback, ConnectionCallbackProtocol.ON_DISCONNECTED, data ->
        {
            element(connection).writeTo(data);
            data.writeInt(resultCode);
        });
    }

    private void tellFailed(final ConnectionRecord connection, final int code)
    {
        if (!connection.callerDied)
        {
            oneWay(connection.callback, ConnectionCallbackProtocol.ON_FAILED, data -> data.writeInt(code));
        }
    }

    private static io.harmonia.ability.ElementName element(final ConnectionRecord connection)
    {
        return new io.harmonia.ability.ElementName("", connection.service.bundle.bundleName(),
            connection.service.bundle.manifest().module().name(), connection.service.extension.name());
    }

    /** A one-way request: never waits for the peer; a dead peer is ignored (its death is handled elsewhere). */
    private static void oneWay(final IRemoteObject target, final int code,
        final java.util.function.Consumer<MessageSequence> write)
    {
        final MessageSequence data = MessageSequence.create();
        final MessageSequence reply = MessageSequence.create();
        try
        {
            write.accept(data);
            target.sendMessageRequest(code, data, reply, new MessageOption(true)).whenComplete((result, failure) ->
            {
                data.close();
                reply.close();
            });
        }
        catch (final RuntimeException unsent)
        {
            data.close();
            reply.close();
            LOG.log(System.Logger.Level.DEBUG, "one-way request " + code + " not sent: " + unsent);
        }
    }

    // -------------------------------------------------------------------------------------------------------- dump

    /**
     * The records, for {@code aa dump}.
     *
     * @return one entry per extension record (live and terminating), each with its connections.
     */
    List<Map<String, Object>> dump()
    {
        synchronized (lock)
        {
            final List<Map<String, Object>> entries = new ArrayList<>();
            final List<ExtensionRecord> records = new ArrayList<>(services.values());
            records.addAll(terminating);
            for (final ExtensionRecord record : records)
            {
                final List<Map<String, Object>> clients = new ArrayList<>();
                for (final ConnectionRecord connection : record.connections)
                {
                    final Map<String, Object> client = new LinkedHashMap<>();
                    client.put("id", connection.id);
                    client.put("clientPid", connection.clientPid);
                    client.put("clientUid", connection.clientUid);
                    client.put("state", connection.state.name());
                    clients.add(client);
                }
                final Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("bundleName", record.bundle.bundleName());
                entry.put("abilityName", record.extension.name());
                entry.put("type", record.type.manifestType());
                entry.put("recordId", record.id);
                entry.put("state", record.state.name());
                entry.put("pid", null == record.process ? 0 : record.process.pid);
                entry.put("startId", record.startId);
                entry.put("remoteCached", null != record.remote);
                entry.put("connections", clients);
                entries.add(entry);
            }
            return entries;
        }
    }

    /**
     * How many connection records exist (for the leak tests and the dump).
     *
     * @return the count.
     */
    int connectionCount()
    {
        synchronized (lock)
        {
            return connections.size();
        }
    }

    @Override
    public void close()
    {
        pool.shutdownNow();
    }
}
