package io.harmonia.services.samgr;

import java.lang.System.Logger.Level;
import java.util.concurrent.LinkedBlockingQueue;

import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.RpcException;
import io.harmonia.samgr.wire.SamgrKey;
import io.harmonia.samgr.wire.SamgrProtocol;
import io.harmonia.samgr.wire.SamgrWriter;

/**
 * Sends the listeners' one-way calls from one thread, in the order the registry queued them (under its lock), so a
 * listener hears of an entry's arrival before its departure. A listener that cannot be reached is skipped (its
 * death recipient removes its subscriptions); a one-way call waits at most 1 s for room at a listener that stopped
 * reading, so one stuck listener delays the others by at most that.
 */
final class Notifier
{
    private static final System.Logger LOG = System.getLogger(Notifier.class.getName());
    private static final long SEND_WAIT_MILLIS = 1_000;

    private record Event(IRemoteObject listener, int code, SamgrKey key, int providerPid, int reason)
    {
    }

    private static final Event STOP = new Event(null, 0, null, 0, 0);

    private final LinkedBlockingQueue<Event> queue = new LinkedBlockingQueue<>();
    private final Thread thread = new Thread(this::run, "harmonia-samgr-notifier");

    Notifier()
    {
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues ON_ADDED for a listener. */
    void added(final IRemoteObject listener, final SamgrKey key, final int providerPid)
    {
        queue.add(new Event(listener, SamgrProtocol.ON_ADDED, key, providerPid, -1));
    }

    /** Queues ON_REMOVED for a listener. */
    void removed(final IRemoteObject listener, final SamgrKey key, final int providerPid, final int reason)
    {
        queue.add(new Event(listener, SamgrProtocol.ON_REMOVED, key, providerPid, reason));
    }

    /** Events not sent yet (for tests and dumps). */
    int backlog()
    {
        return queue.size();
    }

    private void run()
    {
        final MessageOption option = new MessageOption(true);
        option.setWaitTimeMillis(SEND_WAIT_MILLIS);
        while (true)
        {
            final Event event;
            try
            {
                event = queue.take();
            }
            catch (final InterruptedException interrupted)
            {
                return;
            }
            if (STOP == event)
            {
                return;
            }
            if (event.listener().isObjectDead())
            {
                continue;
            }
            try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
            {
                SamgrWriter.listenerCall(data, event.key(), event.providerPid(), event.reason());
                event.listener().sendMessageRequestSync(event.code(), data, reply, option);
            }
            catch (final RpcException unreachable)
            {
                LOG.log(Level.DEBUG, () -> "listener " + event.listener() + " missed "
                    + (SamgrProtocol.ON_ADDED == event.code() ? "ON_ADDED " : "ON_REMOVED ") + event.key() + ": "
                    + unreachable.getMessage());
            }
        }
    }

    void stop()
    {
        queue.add(STOP);
    }
}
