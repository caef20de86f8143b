package io.harmonia.ability;

import io.harmonia.rpc.IPCSkeleton;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.RemoteCallException;
import io.harmonia.rpc.RemoteObject;

/**
 * A client of the ability manager ({@link AbilityManagerProtocol}), for app processes and tools. Thread-safe: each
 * call uses its own messages. Failures are {@link ServiceException}s with the manager's code and message, or
 * {@link ServiceException#UNREACHABLE} when it cannot be called.
 */
public final class AbilityManagerClient
{
    private static final long CONNECT_MILLIS = 5_000;
    private static final long CALL_MILLIS = 10_000;

    private final IRemoteObject manager;

    private AbilityManagerClient(final IRemoteObject manager)
    {
        this.manager = manager;
    }

    /**
     * Connects to the ability manager of a foundation instance.
     *
     * @param instance the instance ({@link FoundationServices#instance()} for the configured one).
     * @return a client.
     * @throws ServiceException UNREACHABLE when nothing answers at its address.
     */
    public static AbilityManagerClient connect(final String instance)
    {
        return at(FoundationServices.address(instance, FoundationServices.ABILITY_MANAGER));
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
        try
        {
            return new AbilityManagerClient(IPCSkeleton.connect(address, CONNECT_MILLIS));
        }
        catch (final RemoteCallException unreachable)
        {
            throw new ServiceException(ServiceException.UNREACHABLE, "the ability manager at " + address
                + " cannot be reached: " + unreachable.getMessage(), unreachable);
        }
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
