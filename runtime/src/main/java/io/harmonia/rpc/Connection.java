package io.harmonia.rpc;

import java.util.concurrent.atomic.AtomicInteger;

import io.harmonia.bindings.channel.Channel;
import io.harmonia.bindings.channel.PeerCredentials;

/**
 * One channel between this process and another, in one direction of requests: an {@link OutgoingConnection}
 * carries this process's requests to the peer's objects (and their replies back); an {@link IncomingConnection}
 * carries the peer's requests to this process's objects. The peer's identity is the kernel's (SO_PEERCRED at
 * connect time), never what a frame says.
 *
 * <p>Lifetime: every use of the channel is bracketed by {@link #enter()} / {@link #exit()}; the channel's memory is
 * freed when the connection is closed and the last user left, so no thread is ever inside a channel call on freed
 * memory, however a close races with calls.
 */
abstract class Connection
{
    final RpcRuntime runtime;
    final Channel channel;
    final PeerCredentials peer;
    private volatile String closedBecause;
    /** Users of the channel, plus one for the connection itself until it is closed; 0 once freed. */
    private final AtomicInteger users = new AtomicInteger(1);

    Connection(final RpcRuntime runtime, final Channel channel)
    {
        this.runtime = runtime;
        this.channel = channel;
        this.peer = channel.peer();
        channel.spinLimit(0); // the runtime spins in Java for its own time budget, then parks at once
    }

    /** The peer's pid (kernel). */
    final int peerPid()
    {
        return peer.pid();
    }

    /** The connection to the peer's endpoint, for frames this process sends to the peer on its own initiative. */
    abstract OutgoingConnection linkToPeer();

    /** Whether the connection is closed (the peer died, closed, or broke the protocol). */
    final boolean isClosed()
    {
        return null != closedBecause;
    }

    final String closedBecause()
    {
        return closedBecause;
    }

    /**
     * Closes the connection once: waiters see it as dead, the channel is shut down (the peer sees EPIPE), and the
     * subclass cleans up. Safe from any thread; later calls do nothing.
     */
    final void close(final String reason)
    {
        synchronized (this)
        {
            if (null != closedBecause)
            {
                return;
            }
            closedBecause = reason;
        }
        channel.shutdown();
        try
        {
            onClosed(reason);
        }
        finally
        {
            exit();
        }
    }

    /** Called once by {@link #close}, after the channel is shut down. */
    abstract void onClosed(String reason);

    /**
     * Starts a use of the channel.
     *
     * @return false when the channel is already freed (the connection is closed).
     */
    final boolean enter()
    {
        while (true)
        {
            final int current = users.get();
            if (0 == current)
            {
                return false;
            }
            if (users.compareAndSet(current, current + 1))
            {
                return true;
            }
        }
    }

    /** Ends a use of the channel; the last one after a close frees it. */
    final void exit()
    {
        if (0 == users.decrementAndGet())
        {
            channel.close();
        }
    }
}
