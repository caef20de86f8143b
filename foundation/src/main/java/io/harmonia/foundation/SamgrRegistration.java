package io.harmonia.foundation;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.harmonia.rpc.DeathRecipient;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.samgr.SamgrException;
import io.harmonia.samgr.client.SamgrClient;

/**
 * Keeps foundation's services registered in one samgr server under their system ability ids
 * (io.harmonia.ability.FoundationServices#systemAbilityId).
 *
 * <p><b>Start</b> ({@link #register}): waits up to a bound for the server to answer, then registers every object;
 * it fails with an {@link IOException} naming the address when no server answered in time, or when the server
 * refused (another live process holds an id, or this uid may not register). Foundation does not start without the
 * samgr it was configured with: a foundation that clients cannot find is worse than one that says why it stopped.
 *
 * <p><b>Afterwards</b>: when the server dies, one thread registers every object again, every
 * {@value #RETRY_MILLIS} ms, until a server answers at the address (a restarted samgr gets them back) or
 * {@link #close()}. When foundation dies, the server's death recipient on its objects removes the entries.
 *
 * <p><b>Threads</b>: {@link #register} and {@link #close()} run on the caller's thread; re-registration on its own
 * daemon thread; one lock guards the client and the closed flag.
 */
final class SamgrRegistration implements AutoCloseable
{
    /** How long foundation waits at start for the samgr server to answer. */
    static final long START_WAIT_MILLIS = 10_000;
    /** The pause between attempts to reach the server. */
    static final long RETRY_MILLIS = 500;

    private final String address;
    private final Map<Integer, IRemoteObject> abilities;
    private final DeathRecipient onServerDeath = this::serverDied;
    private final Object lock = new Object();
    private SamgrClient client;
    private boolean closed;

    private SamgrRegistration(final String address, final Map<Integer, IRemoteObject> abilities)
    {
        this.address = address;
        this.abilities = abilities;
    }

    /**
     * Registers the objects in the server at an address.
     *
     * @param address   the server's address.
     * @param abilities the objects by system ability id, registered in this order.
     * @param waitMillis how long to wait for the server to answer.
     * @return the registration; close it to withdraw the entries.
     * @throws IOException when no server answered in time, or it refused an entry.
     */
    static SamgrRegistration register(final String address, final Map<Integer, IRemoteObject> abilities,
        final long waitMillis) throws IOException
    {
        final SamgrRegistration registration = new SamgrRegistration(address, new LinkedHashMap<>(abilities));
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        SamgrClient reached = null;
        while (null == reached)
        {
            try
            {
                reached = SamgrClient.connect(address, RETRY_MILLIS);
            }
            catch (final SamgrException unreachable)
            {
                if (System.nanoTime() - deadline >= 0)
                {
                    throw new IOException("no samgr server answered at " + address + " within " + waitMillis
                        + " ms (start harmonia-samgr first, or give --no-samgr): " + unreachable.getMessage(),
                        unreachable);
                }
                pause();
            }
        }
        try
        {
            registration.addAll(reached);
        }
        catch (final SamgrException refused)
        {
            throw new IOException("the samgr server at " + address + " refused foundation's services: "
                + refused.getMessage(), refused);
        }
        return registration;
    }

    /**
     * Where the server is.
     *
     * @return its address.
     */
    String address()
    {
        return address;
    }

    private void addAll(final SamgrClient reached)
    {
        abilities.forEach((id, object) -> reached.addSystemAbility(id, object));
        synchronized (lock)
        {
            client = reached;
        }
        reached.server().registerDeathRecipient(onServerDeath, 0);
    }

    private void serverDied()
    {
        Thread.ofPlatform().daemon().name("foundation-samgr-register").start(() ->
        {
            String lastFailure = null;
            while (true)
            {
                synchronized (lock)
                {
                    if (closed)
                    {
                        return;
                    }
                }
                try
                {
                    addAll(SamgrClient.connect(address, RETRY_MILLIS));
                    System.err.println("foundation: registered again in the samgr server at " + address);
                    return;
                }
                catch (final SamgrException failed)
                {
                    if (!failed.getMessage().equals(lastFailure))
                    {
                        lastFailure = failed.getMessage();
                        System.err.println("foundation: the samgr server at " + address + " is gone; registering "
                            + "again every " + RETRY_MILLIS + " ms: " + lastFailure);
                    }
                }
                try
                {
                    pause();
                }
                catch (final IOException interrupted)
                {
                    return;
                }
            }
        });
    }

    private static void pause() throws IOException
    {
        try
        {
            Thread.sleep(RETRY_MILLIS);
        }
        catch (final InterruptedException interrupted)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for samgr", interrupted);
        }
    }

    /** Withdraws the entries (best effort: a server that is gone has dropped them already). */
    @Override
    public void close()
    {
        final SamgrClient current;
        synchronized (lock)
        {
            closed = true;
            current = client;
            client = null;
        }
        if (null == current)
        {
            return;
        }
        current.server().unregisterDeathRecipient(onServerDeath, 0);
        for (final int id : abilities.keySet())
        {
            try
            {
                current.removeSystemAbility(id);
            }
            catch (final SamgrException gone)
            {
                return;
            }
        }
    }
}
