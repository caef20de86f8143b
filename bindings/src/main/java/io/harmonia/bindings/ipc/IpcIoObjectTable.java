package io.harmonia.bindings.ipc;

import java.util.Arrays;

/**
 * The objects of an {@link IpcIoBuffer} as this process knows them, in private arrays: each object's record
 * offset, type and fd. The object table and the records in the message memory are written for the other side and,
 * once validated, never read back: in a channel slot the peer can rewrite them at any moment (an fd number written
 * into a record could name any fd of ours, a type could turn a remote object into an fd after the fds were
 * counted, an offset could point anywhere). A writer records what it writes; a reader takes a snapshot when the
 * table is validated, and the fds it is given (SCM_RIGHTS) when they are installed.
 *
 * <p>Not thread-safe: it belongs to its buffer.
 */
final class IpcIoObjectTable
{
    /** The fd of an object that is not an fd, or of a received fd object before fds were installed. */
    static final int NO_FD = -1;

    private long[] offsets = new long[4];
    private int[] types = new int[4];
    private int[] fds = new int[4];
    private boolean fdsInstalled;

    /** Forgets every object (the count is the buffer's). */
    void clear()
    {
        fdsInstalled = false;
    }

    /** Records object {@code index}: where its record is, its type, and its fd (or {@link #NO_FD}). */
    void set(final int index, final long offset, final int type, final int fd)
    {
        if (index >= offsets.length)
        {
            final int length = Math.max(index + 1, 2 * offsets.length);
            offsets = Arrays.copyOf(offsets, length);
            types = Arrays.copyOf(types, length);
            fds = Arrays.copyOf(fds, length);
        }
        offsets[index] = offset;
        types[index] = type;
        fds[index] = fd;
    }

    /** Sets the type and fd of an object whose offset is recorded. */
    void describe(final int index, final int type, final int fd)
    {
        types[index] = type;
        fds[index] = fd;
    }

    long offset(final int index)
    {
        return offsets[index];
    }

    int type(final int index)
    {
        return types[index];
    }

    int fd(final int index)
    {
        return fds[index];
    }

    /** Whether the fds of a received message were installed: its fd numbers are then this table's, not the records'. */
    boolean fdsInstalled()
    {
        return fdsInstalled;
    }

    int fdCount(final int count)
    {
        int fdObjects = 0;
        for (int i = 0; i < count; i++)
        {
            if (IpcIoFormat.TYPE_FD == types[i])
            {
                fdObjects++;
            }
        }
        return fdObjects;
    }

    /**
     * Gives the fd objects the received fds, in table order.
     *
     * @return false (nothing changed) when the number of fd objects is not {@code received}.
     */
    boolean install(final int count, final int[] received, final int receivedCount)
    {
        if (fdCount(count) != receivedCount)
        {
            return false;
        }
        int next = 0;
        for (int i = 0; i < count; i++)
        {
            if (IpcIoFormat.TYPE_FD == types[i])
            {
                fds[i] = received[next++];
            }
        }
        fdsInstalled = true;
        return true;
    }

    /** Takes over another table's first {@code count} objects (a second reader of the same message). */
    void copyFrom(final IpcIoObjectTable other, final int count)
    {
        if (count > offsets.length)
        {
            offsets = new long[count];
            types = new int[count];
            fds = new int[count];
        }
        System.arraycopy(other.offsets, 0, offsets, 0, count);
        System.arraycopy(other.types, 0, types, 0, count);
        System.arraycopy(other.fds, 0, fds, 0, count);
        fdsInstalled = other.fdsInstalled;
    }
}
