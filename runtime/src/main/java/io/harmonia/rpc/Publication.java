package io.harmonia.rpc;

import io.harmonia.bindings.channel.ChannelListener;

/**
 * An object published at an address of its own ({@link IPCSkeleton#publish}): every process that connects there
 * ({@link IPCSkeleton#connect}) gets a proxy of it, the way a well-known service (samgr) is found. Closing the
 * publication stops new clients; proxies already handed out keep working.
 */
public final class Publication implements AutoCloseable
{
    private final String address;
    private final ChannelListener listener;
    private final Thread acceptor;

    Publication(final String address, final ChannelListener listener, final Thread acceptor)
    {
        this.address = address;
        this.listener = listener;
        this.acceptor = acceptor;
    }

    /**
     * Where the object is published.
     *
     * @return a path, or {@code @name} for an abstract address.
     */
    public String address()
    {
        return address;
    }

    /** Stops accepting clients (a filesystem address is unlinked). */
    @Override
    public void close()
    {
        listener.close();
        try
        {
            acceptor.join(1000);
        }
        catch (final InterruptedException interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }
}
