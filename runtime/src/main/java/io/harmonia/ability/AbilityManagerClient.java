package io.harmonia.ability;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.RemoteObject;
import io.harmonia.rpc.RemoteProxy;

/**
 * A client of the ability manager ({@link AbilityManagerProtocol}), for app processes and tools. Thread-safe: each
 * call uses its own messages. Failures are {@link ServiceException}s with the manager's code and message, or
 * {@link ServiceException#UNREACHABLE} when it cannot be called.
 */
public final class AbilityManagerClient
{
    private static final long CALL_MILLIS = 10_000;

    private final IRemoteObject manager;
    private AbilityConnector connector;

    private AbilityManagerClient(final IRemoteObject manager)
    {
        this.manager = manager;
    }

    /**
     * The callers' API of service extensions through this client: start, stop, connect, disconnect (one connector
     * per client, made on first use).
     *
     * @return the connector.
     */
    public synchronized AbilityConnector connector()
    {
        if (null == connector)
        {
            connector = new AbilityConnector(this);
        }
        return connector;
    }

    /**
     * The ability manager's pid, as the kernel vouched for it when this client connected (the only pid whose
     * requests an app thread or a connection callback answers).
     *
     * @return the pid (this process's own when the manager runs here).
     */
    public int ownerPid()
    {
        return manager instanceof RemoteProxy proxy ? proxy.getOwnerPid() : (int)ProcessHandle.current().pid();
    }

    /**
     * Connects to the ability manager of a foundation instance (found as {@link FoundationServices} says: samgr
     * first for the default instance).
     *
     * @param instance the instance ({@link FoundationServices#instance()} for the configured one).
     * @return a client.
     * @throws ServiceException UNREACHABLE when nothing answers.
     */
    public static AbilityManagerClient connect(final String instance)
    {
        return of(FoundationServices.find(instance, FoundationServices.ABILITY_MANAGER));
    }

    /**
     * A client of an ability manager object already at hand (e.g. from samgr's ABILITY_MGR_SERVICE_ID).
     *
     * @param manager the manager's object.
     * @return a client.
     */
    public static AbilityManagerClient of(final IRemoteObject manager)
    {
        return new AbilityManagerClient(Objects.requireNonNull(manager, "manager"));
    }

    /**
     * Connects to an ability manager published at an address.
     *
     * @param address the address.
     * @return a client.
     * @throws ServiceException UNREACHABLE when nothing answers there.
     */
    public static AbilityManagerClient at(final String address)
    {
        return new AbilityManagerClient(FoundationServices.connect(address, "the ability manager"));
    }

    /**
     * The manager's object (for death recipients).
     *
     * @return the proxy.
     */
    public IRemoteObject remote()
    {
        return manager;
    }

    /**
     * Attaches this app process.
     *
     * @param thread the process's app-thread object.
     * @return the manager's pid and the application info.
     */
    Attached attach(final RemoteObject thread)
    {
        return ServiceReply.request(manager, AbilityManagerProtocol.ATTACH_APPLICATION, CALL_MILLIS,
            "attaching to the ability manager", data -> data.writeRemoteObject(thread),
            reply -> new Attached(reply.readInt(), ApplicationInfo.readFrom(reply)));
    }

    /** The attach reply. */
    record Attached(int managerPid, ApplicationInfo application)
    {
    }

    /**
     * Starts a UIAbility (its process first, when it has none) and brings it to the foreground.
     *
     * @param want the target.
     * @return the pid of the process running it.
     */
    public int startAbility(final Want want)
    {
        return ServiceReply.request(manager, AbilityManagerProtocol.START_ABILITY,
            AbilityManagerProtocol.START_WAIT_MILLIS, "starting " + want.element(), want::writeTo,
            MessageSequence::readInt);
    }

    /**
     * Kills a bundle's process and forgets its abilities.
     *
     * @param bundleName the bundle.
     * @return true when a process was running.
     */
    public boolean forceStop(final String bundleName)
    {
        return ServiceReply.request(manager, AbilityManagerProtocol.FORCE_STOP, CALL_MILLIS,
            "force-stopping " + bundleName, data -> data.writeString(bundleName), MessageSequence::readBoolean);
    }

    /** START_EXTENSION or STOP_EXTENSION, without blocking. */
    CompletableFuture<Void> extensionRequest(final int code, final ExtensionAbilityType type, final Want want)
    {
        return ServiceReply.requestAsync(manager, code, AbilityManagerProtocol.EXTENSION_WAIT_MILLIS,
            (AbilityManagerProtocol.START_EXTENSION == code ? "starting " : "stopping ") + want.element(), data ->
            {
                data.writeInt(type.wire());
                want.writeTo(data);
            }, reply -> null);
    }

    /** CONNECT_EXTENSION, without blocking: completes when the manager accepted or refused it. */
    CompletableFuture<Void> connectExtension(final ExtensionAbilityType type, final Want want,
        final RemoteObject callback)
    {
        return ServiceReply.requestAsync(manager, AbilityManagerProtocol.CONNECT_EXTENSION, CALL_MILLIS,
            "connecting to " + want.element(), data ->
            {
                data.writeInt(type.wire());
                want.writeTo(data);
                data.writeRemoteObject(callback);
            }, reply -> null);
    }

    /** DISCONNECT_EXTENSION, without blocking. */
    CompletableFuture<Void> disconnectExtension(final ExtensionAbilityType type, final RemoteObject callback)
    {
        return ServiceReply.requestAsync(manager, AbilityManagerProtocol.DISCONNECT_EXTENSION, CALL_MILLIS,
            "disconnecting", data ->
            {
                data.writeInt(type.wire());
                data.writeRemoteObject(callback);
            }, reply -> null);
    }

    /** TERMINATE_SELF, without blocking (an extension may call it from inside its own onCreate). */
    CompletableFuture<Void> terminateSelf(final String abilityName)
    {
        return ServiceReply.requestAsync(manager, AbilityManagerProtocol.TERMINATE_SELF, CALL_MILLIS,
            "terminating " + abilityName, data -> data.writeString(abilityName), reply -> null);
    }

    /**
     * The test hook of OpenHarmony's {@code aa force-timeout}: from now on the given step of every instance of the
     * ability expires as soon as it is scheduled ("clean" as the ability name clears them all). Root and system
     * uids only.
     *
     * @param abilityName the ability, or "clean".
     * @param state       INITIAL, INACTIVE, COMMAND, CONNECT, DISCONNECT or TERMINATING ("" with "clean").
     */
    public void forceTimeout(final String abilityName, final String state)
    {
        ServiceReply.request(manager, AbilityManagerProtocol.FORCE_TIMEOUT, CALL_MILLIS,
            "forcing a timeout of " + abilityName, data ->
            {
                data.writeString(abilityName);
                data.writeString(state);
            }, reply -> null);
    }

    /**
     * The manager's process and ability records.
     *
     * @return one JSON document (docs/protocols.md describes its fields).
     */
    public String dump()
    {
        return ServiceReply.request(manager, AbilityManagerProtocol.DUMP, CALL_MILLIS, "dumping", data -> { },
            MessageSequence::readString);
    }
}
