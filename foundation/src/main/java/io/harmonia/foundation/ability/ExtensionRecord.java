package io.harmonia.foundation.ability;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

import io.harmonia.ability.ExtensionAbilityType;
import io.harmonia.foundation.bundle.BundleRecord;
import io.harmonia.foundation.bundle.ModuleManifest;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.runtime.SerialExecutor;

/**
 * One instance of a service extension as the ability manager knows it (OpenHarmony's extension record). Fields
 * other than the final ones are guarded by the extension manager's lock; the lifecycle steps of one record run one
 * at a time on its {@link #steps} executor.
 *
 * <p><b>States</b> (OpenHarmony's names): INITIAL (made; its process is being started or attached), INACTIVATING
 * (onCreate scheduled), INACTIVE (created; nothing started or connected it yet, or its last client left), ACTIVE
 * (onRequest or onConnect ran), TERMINATING (stop or terminateSelf: clients told, onDestroy scheduled), TERMINATED
 * (out of every table). A record that is stopped, that terminates itself or whose process dies leaves the service
 * table at once, so a later start or connect makes a fresh record (and a fresh instance).
 */
final class ExtensionRecord
{
    /** Where an instance is in its life. */
    enum State
    {
        INITIAL,
        INACTIVATING,
        INACTIVE,
        ACTIVE,
        TERMINATING,
        TERMINATED
    }

    private static final AtomicLong NEXT_ID = new AtomicLong(1);

    final long id = NEXT_ID.getAndIncrement();
    final BundleRecord bundle;
    final ModuleManifest.Extension extension;
    final ExtensionAbilityType type;
    final SerialExecutor steps;
    final long createTime = System.currentTimeMillis();
    final List<ConnectionRecord> connections = new ArrayList<>();
    /** Stops waiting for the record to be TERMINATED. */
    final List<CompletableFuture<Void>> stopWaiters = new ArrayList<>();
    State state = State.INITIAL;
    AppProcessRecord process;
    /** Starts so far: 0 while never started (then the last client's leave destroys it). */
    int startId;
    /** What onConnect returned, handed to every later client until the last one left. */
    IRemoteObject remote;
    /** stop or terminateSelf was asked: no further start or connect step runs. */
    boolean terminateRequested;
    /** The instance exists in its process (onCreate was scheduled). */
    boolean created;

    ExtensionRecord(final BundleRecord bundle, final ModuleManifest.Extension extension,
        final ExtensionAbilityType type, final Executor pool)
    {
        this.bundle = bundle;
        this.extension = extension;
        this.type = type;
        this.steps = new SerialExecutor(pool);
    }

    /** The service table's key: bundle/ability (OpenHarmony keys by element URI). */
    static String key(final String bundleName, final String abilityName)
    {
        return bundleName + "/" + abilityName;
    }

    String key()
    {
        return key(bundle.bundleName(), extension.name());
    }

    /** Whether a client is CONNECTED. */
    boolean hasConnectedClient()
    {
        return connections.stream().anyMatch(connection -> ConnectionRecord.State.CONNECTED == connection.state);
    }

    @Override
    public String toString()
    {
        return key() + " (record " + id + ")";
    }
}
