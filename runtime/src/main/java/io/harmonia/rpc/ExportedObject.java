package io.harmonia.rpc;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A {@link RemoteObject} while other processes may hold references to it: its object id, its secret, who holds
 * references (per process id, counted), and the references on their way to a process ("pins", per transfer id).
 * While either is non-empty the object stays in the {@link ObjectTable}; when both empty, it leaves the table and
 * its {@link RemoteObject#onLastRemoteRelease()} runs. It also serialises the object's one-way requests.
 *
 * <p>All mutable state is guarded by this object's monitor, held only for map updates, never across a call.
 */
final class ExportedObject
{
    final RemoteObject object;
    final long id;
    final long secretLow;
    final long secretHigh;

    /** pid -> references held by that process. */
    private final Map<Integer, Integer> references = new HashMap<>();
    /** transfer id -> pid of the process the reference was sent to. */
    private final Map<Long, Integer> pins = new HashMap<>();
    private boolean removed;

    /** One-way requests waiting behind the one running (FIFO); guarded by this. */
    private final ArrayDeque<Runnable> oneWays = new ArrayDeque<>();
    private boolean oneWayRunning;
    private boolean oneWayScheduled;

    ExportedObject(final RemoteObject object, final long id, final long secretLow, final long secretHigh)
    {
        this.object = object;
        this.id = id;
        this.secretLow = secretLow;
        this.secretHigh = secretHigh;
    }

    synchronized boolean pin(final long transferId, final int destinationPid)
    {
        if (removed)
        {
            return false;
        }
        pins.put(transferId, destinationPid);
        return true;
    }

    /** Whether the pin of a transfer is for that process. */
    synchronized boolean pinnedFor(final long transferId, final int pid)
    {
        final Integer destination = pins.get(transferId);
        return null != destination && pid == destination;
    }

    /** @return true when the object has no holder left and must leave the table. */
    synchronized boolean unpin(final long transferId)
    {
        pins.remove(transferId);
        return emptied();
    }

    /**
     * A process took a reference (converting the pin of {@code transferId}, when not 0).
     *
     * @return false when the object already left the table.
     */
    synchronized boolean acquire(final int pid, final long transferId)
    {
        if (removed)
        {
            return false;
        }
        references.merge(pid, 1, Integer::sum);
        if (0 != transferId)
        {
            pins.remove(transferId);
        }
        return true;
    }

    /** @return true when the object has no holder left and must leave the table. */
    synchronized boolean release(final int pid, final int count)
    {
        final Integer held = references.get(pid);
        if (null == held)
        {
            return false;
        }
        if (held <= count)
        {
            references.remove(pid);
        }
        else
        {
            references.put(pid, held - count);
        }
        return emptied();
    }

    /**
     * Drops what a dead process held and what was on its way to it.
     *
     * @param droppedPins told each transfer id whose pin is dropped.
     * @return true when the object has no holder left and must leave the table.
     */
    synchronized boolean processGone(final int pid, final java.util.function.LongConsumer droppedPins)
    {
        boolean changed = null != references.remove(pid);
        final var entries = pins.entrySet().iterator();
        while (entries.hasNext())
        {
            final Map.Entry<Long, Integer> entry = entries.next();
            if (pid == entry.getValue())
            {
                droppedPins.accept(entry.getKey());
                entries.remove();
                changed = true;
            }
        }
        return changed && emptied();
    }

    /** Whether a process may call the object: it holds a reference, or one is on its way to it. */
    synchronized boolean heldBy(final int pid)
    {
        return !removed && (references.containsKey(pid) || pins.containsValue(pid));
    }

    synchronized boolean hasHolders()
    {
        return !references.isEmpty() || !pins.isEmpty();
    }

    synchronized int referenceCount()
    {
        int total = 0;
        for (final int count : references.values())
        {
            total += count;
        }
        return total;
    }

    synchronized int pinCount()
    {
        return pins.size();
    }

    private boolean emptied()
    {
        if (!removed && references.isEmpty() && pins.isEmpty())
        {
            removed = true;
            return true;
        }
        return false;
    }

    // ---- one-way requests: one at a time, in arrival order ----

    /**
     * Queues a one-way request behind those of this object.
     *
     * @return true when the caller must arrange for {@link #drainOneWays()} to run (no drain is running or
     *         scheduled); false when one already will.
     */
    synchronized boolean queueOneWay(final Runnable request)
    {
        oneWays.addLast(request);
        if (oneWayRunning || oneWayScheduled)
        {
            return false;
        }
        oneWayScheduled = true;
        return true;
    }

    /** Runs the queued one-way requests, one at a time, until none is left. */
    void drainOneWays()
    {
        while (true)
        {
            final Runnable next;
            synchronized (this)
            {
                oneWayScheduled = false;
                next = oneWays.pollFirst();
                oneWayRunning = null != next;
                if (null == next)
                {
                    return;
                }
            }
            next.run();
        }
    }
}
