package io.harmonia.rpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.harmonia.bindings.channel.HangupWatch;

/**
 * Tells the death of owners this process has connections to, also while no call waits on them: one thread polls
 * the control sockets of every outgoing connection for a hang-up
 * ({@link HangupWatch}), and closes a connection whose peer hung up, which makes its proxies dead and runs their
 * recipients. The thread holds each watched connection open (enter/exit) while it polls its fd, so the fd number
 * cannot be closed and reused under the poll.
 */
final class DeathWatch
{
    private static final long REFRESH_NS = 1_000_000_000L;

    private final Set<OutgoingConnection> watched = ConcurrentHashMap.newKeySet();
    private final RpcRuntime runtime;
    private HangupWatch watch;
    private Thread thread;

    DeathWatch(final RpcRuntime runtime)
    {
        this.runtime = runtime;
    }

    synchronized void watch(final OutgoingConnection connection)
    {
        if (!watched.add(connection))
        {
            return;
        }
        if (null == thread)
        {
            watch = HangupWatch.create();
            thread = new Thread(this::run, "harmonia-rpc-death-watch");
            thread.setDaemon(true);
            thread.start();
        }
        watch.wake();
    }

    void forget(final OutgoingConnection connection)
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
            final List<OutgoingConnection> entered = new ArrayList<>();
            for (final OutgoingConnection connection : watched)
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
                            entered.get(i).close("the owner (pid " + entered.get(i).peerPid() + ") hung up");
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
