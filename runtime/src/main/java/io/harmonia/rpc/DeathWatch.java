package io.harmonia.rpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.harmonia.bindings.channel.HangupWatch;

/**
 * Tells the death of every process this one has a connection with, also while no thread waits on it: one thread
 * polls the control sockets of all connections, outgoing and incoming, for a hang-up
 * ({@link HangupWatch}), and closes a connection whose peer hung up: waiters wake at once (the channel is shut
 * down), an owner's proxies die and their recipients run, a client's references are released. Because the watch
 * does this, the connections' own waits park long instead of polling the socket every 2 ms
 * ({@link io.harmonia.bindings.channel.Channel#watchedElsewhere}), so an idle process hardly ever wakes. The thread holds each watched connection open (enter/exit) while it polls its fd, so the fd number
 * cannot be closed and reused under the poll.
 */
final class DeathWatch
{
    private static final long REFRESH_NS = 1_000_000_000L;

    private final Set<Connection> watched = ConcurrentHashMap.newKeySet();
    private final RpcRuntime runtime;
    private HangupWatch watch;
    private Thread thread;

    DeathWatch(final RpcRuntime runtime)
    {
        this.runtime = runtime;
    }

    /**
     * Watches a connection until it closes.
     *
     * @return false when the watch is full ({@link HangupWatch#MAX_CHANNELS}): the connection's waits keep polling
     *         its socket themselves.
     */
    synchronized boolean watch(final Connection connection)
    {
        if (watched.size() >= HangupWatch.MAX_CHANNELS)
        {
            return false;
        }
        if (!watched.add(connection))
        {
            return true;
        }
        if (null == thread)
        {
            watch = HangupWatch.create();
            thread = new Thread(this::run, "harmonia-rpc-death-watch");
            thread.setDaemon(true);
            thread.start();
        }
        watch.wake();
        return true;
    }

    void forget(final Connection connection)
    {
        if (watched.remove(connection))
        {
            synchronized (this)
            {
                watch.wake();
            }
        }
    }

    private void run()
    {
        while (true)
        {
            final List<Connection> entered = new ArrayList<>();
            for (final Connection connection : watched)
            {
                if (connection.enter())
                {
                    entered.add(connection);
                }
            }
            try
            {
                final int[] fds = new int[entered.size()];
                for (int i = 0; i < fds.length; i++)
                {
                    fds[i] = HangupWatch.controlFd(entered.get(i).channel);
                }
                final boolean[] hung = new boolean[fds.length];
                if (watch.await(fds, fds.length, REFRESH_NS, hung) > 0)
                {
                    for (int i = 0; i < fds.length; i++)
                    {
                        if (hung[i])
                        {
                            entered.get(i).close("pid " + entered.get(i).peerPid() + " hung up");
                        }
                    }
                }
            }
            catch (final RuntimeException failure)
            {
                System.getLogger(DeathWatch.class.getName()).log(System.Logger.Level.WARNING,
                    "the death watch failed; retrying", failure);
            }
            finally
            {
                entered.forEach(Connection::exit);
            }
        }
    }
}
