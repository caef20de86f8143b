package io.harmonia.foundation.ability;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import io.harmonia.ability.AbilityState;
import io.harmonia.foundation.bundle.BundleRecord;
import io.harmonia.rpc.IRemoteObject;

/**
 * One app process as the ability manager knows it: its bundle, its pid once appspawn answered, its app thread once
 * it attached, and its abilities. Fields are guarded by the ability manager's lock, except the futures.
 */
final class AppProcessRecord
{
    /** Where a process is in its life. */
    enum State
    {
        /** Asked of appspawn, not attached yet. */
        STARTING,
        /** Attached: its app thread is known. */
        ATTACHED,
        /** Exited (seen by its pidfd or its RPC connection); the record is gone from the tables. */
        DEAD
    }

    final BundleRecord bundle;
    final long startTime = System.currentTimeMillis();
    /** Completes when the process attached; fails when it dies or does not attach in time. */
    final CompletableFuture<AppProcessRecord> attached = new CompletableFuture<>();
    /** Completes once the process is dead and forgotten. */
    final CompletableFuture<Void> died = new CompletableFuture<>();
    final AtomicBoolean deathHandled = new AtomicBoolean();
    final Map<String, AbilityRecord> abilities = new LinkedHashMap<>();
    int pid;
    State state = State.STARTING;
    IRemoteObject thread;
    ProcessExitWatch.Watch exitWatch;

    AppProcessRecord(final BundleRecord bundle)
    {
        this.bundle = bundle;
    }

    /** A UIAbility of this process. */
    static final class AbilityRecord
    {
        final AppProcessRecord process;
        final String name;
        final String entryClass;
        AbilityState state = AbilityState.INITIAL;
        /** Being brought to the foreground (its launch is scheduled): it has the focus already. */
        boolean foregrounding;

        AbilityRecord(final AppProcessRecord process, final String name, final String entryClass)
        {
            this.process = process;
            this.name = name;
            this.entryClass = entryClass;
        }

        @Override
        public String toString()
        {
            return process.bundle.bundleName() + "/" + name;
        }
    }
}
