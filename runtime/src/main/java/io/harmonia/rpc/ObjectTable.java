package io.harmonia.rpc;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The objects of this process that other processes know: object id -> {@link ExportedObject}. An object enters
 * when it is first written into a message for another process (a pin for that transfer), gains a reference per
 * process that reads it (ACQUIRE), and leaves when the last reference and pin are gone, which is when its
 * {@link RemoteObject#onLastRemoteRelease()} runs.
 *
 * <p>A reference is a capability: object id plus a 128-bit secret from {@link SecureRandom}. The secret is checked
 * on ACQUIRE; a call is accepted only from a process that holds a reference to the object (or to which one is on its
 * way), judged by the kernel's pid of the connection, so an object id alone, guessed or overheard, opens nothing.
 */
final class ObjectTable
{
    private static final System.Logger LOG = System.getLogger(ObjectTable.class.getName());

    private final ConcurrentHashMap<Long, ExportedObject> objects = new ConcurrentHashMap<>();
    /** transfer id -> the object pinned for it. */
    private final ConcurrentHashMap<Long, ExportedObject> pinned = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong();
    private final SecureRandom random = new SecureRandom();

    /**
     * Pins an object for a transfer to a process, exporting it first if needed.
     *
     * @return the exported object (its id and secret go into the reference).
     */
    ExportedObject pin(final RemoteObject object, final long transferId, final int destinationPid)
    {
        while (true)
        {
            ExportedObject exported = object.exported;
            if (null == exported)
            {
                synchronized (object)
                {
                    exported = object.exported;
                    if (null == exported)
                    {
                        exported = new ExportedObject(object, nextId.incrementAndGet(), random.nextLong(),
                            random.nextLong());
                        objects.put(exported.id, exported);
                        object.exported = exported;
                    }
                }
            }
            if (exported.pin(transferId, destinationPid))
            {
                pinned.put(transferId, exported);
                return exported;
            }
            // It just left the table (its last holder went): export it afresh.
            synchronized (object)
            {
                if (object.exported == exported)
                {
                    object.exported = null;
                }
            }
        }
    }

    /** The pin of a transfer is done (the reference arrived, or was never read). */
    void transferDone(final long transferId)
    {
        final ExportedObject exported = pinned.remove(transferId);
        if (null != exported && exported.unpin(transferId))
        {
            remove(exported);
        }
    }

    /** TRANSFER_DONE from a process: honoured only for a transfer that was sent to that process. */
    void transferDoneBy(final long transferId, final int senderPid)
    {
        final ExportedObject exported = pinned.get(transferId);
        if (null != exported && exported.pinnedFor(transferId, senderPid))
        {
            transferDone(transferId);
        }
    }

    /**
     * A process takes a reference.
     *
     * @return 0, or {@link CallFailure#UNKNOWN_OBJECT}'s status for an unknown object or a wrong secret.
     */
    int acquire(final int pid, final long objectId, final long secretLow, final long secretHigh,
        final long transferId)
    {
        final ExportedObject exported = objects.get(objectId);
        if (null == exported || exported.secretLow != secretLow || exported.secretHigh != secretHigh)
        {
            return CallFailure.UNKNOWN_OBJECT.status();
        }
        if (!exported.acquire(pid, transferId))
        {
            return CallFailure.UNKNOWN_OBJECT.status();
        }
        if (0 != transferId)
        {
            pinned.remove(transferId);
        }
        return 0;
    }

    void release(final int pid, final long objectId, final int count)
    {
        final ExportedObject exported = objects.get(objectId);
        if (null != exported && exported.release(pid, count))
        {
            remove(exported);
        }
    }

    /** The object a process may call, or null. */
    ExportedObject forCall(final int pid, final long objectId)
    {
        final ExportedObject exported = objects.get(objectId);
        return null != exported && exported.heldBy(pid) ? exported : null;
    }

    /** A process is gone: its references and the pins towards it go too. */
    void processGone(final int pid)
    {
        final List<ExportedObject> emptied = new ArrayList<>();
        for (final ExportedObject exported : objects.values())
        {
            if (exported.processGone(pid, pinned::remove))
            {
                emptied.add(exported);
            }
        }
        emptied.forEach(this::remove);
    }

    int size()
    {
        return objects.size();
    }

    int pinCount()
    {
        return pinned.size();
    }

    ExportedObject get(final long objectId)
    {
        return objects.get(objectId);
    }

    private void remove(final ExportedObject exported)
    {
        objects.remove(exported.id, exported);
        final RemoteObject object = exported.object;
        synchronized (object)
        {
            if (object.exported == exported)
            {
                object.exported = null;
            }
        }
        try
        {
            object.onLastRemoteRelease();
        }
        catch (final RuntimeException | Error failure)
        {
            LOG.log(System.Logger.Level.WARNING, object + ": onLastRemoteRelease threw", failure);
        }
    }
}
