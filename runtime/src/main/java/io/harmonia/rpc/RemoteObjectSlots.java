package io.harmonia.rpc;

import java.util.Arrays;

/**
 * The remote objects of one {@link MessageSequence}. A message being written keeps the objects written into it;
 * the record in the data holds the object's handle, its 1-based position in this list. A received message instead
 * holds the references that came with it (a {@link ReferenceSource} from the transport), turned into proxies (or
 * this process's own objects) when they are read; whatever is never read is released with the message.
 */
final class RemoteObjectSlots
{
    /** The references a received message carries: resolved on read, released when the message is. */
    interface ReferenceSource
    {
        /**
         * The object a handle names.
         *
         * @param handle the handle in the object record.
         * @return the object.
         * @throws RpcException 1900010 for a handle the message does not carry, 1900008 when the reference cannot
         *                      be used.
         */
        IRemoteObject take(int handle);

        /** Releases the references that were not read. */
        void releaseUnread();
    }

    private static final IRemoteObject[] NONE = new IRemoteObject[0];

    private IRemoteObject[] written = NONE;
    private int count;
    private ReferenceSource received;

    /**
     * Adds an object being written.
     *
     * @return its handle (1-based).
     */
    int add(final IRemoteObject object)
    {
        if (count == written.length)
        {
            written = Arrays.copyOf(written, Math.max(4, count * 2));
        }
        written[count++] = object;
        return count;
    }

    void dropLast()
    {
        written[--count] = null;
    }

    void truncate(final int mark)
    {
        Arrays.fill(written, mark, count, null);
        count = mark;
    }

    int count()
    {
        return count;
    }

    /**
     * The object written under a handle (transports, when sending).
     *
     * @return the object, or null for a handle that names none.
     */
    IRemoteObject written(final int handle)
    {
        return handle >= 1 && handle <= count ? written[handle - 1] : null;
    }

    void receive(final ReferenceSource source)
    {
        received = source;
    }

    IRemoteObject resolve(final int handle, final int objectIndex)
    {
        if (null != received)
        {
            return received.take(handle);
        }
        final IRemoteObject object = written(handle);
        if (null == object)
        {
            throw new RpcException(RpcException.READ_DATA_FROM_MESSAGE_SEQUENCE_ERROR, "field 'remote object': object " +
                objectIndex + " has handle " + handle + ", which names no object of this message (1.." + count + ")");
        }
        return object;
    }

    void release()
    {
        final ReferenceSource source = received;
        received = null;
        if (null != source)
        {
            source.releaseUnread();
        }
        truncate(0);
    }
}
