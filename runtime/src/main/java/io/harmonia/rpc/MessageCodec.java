package io.harmonia.rpc;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import io.harmonia.bindings.Errno;
import io.harmonia.bindings.channel.ChannelMessage;
import io.harmonia.bindings.ipc.IpcIoBuffer;
import io.harmonia.bindings.ipc.IpcIoFormat;
import io.harmonia.bindings.ipc.IpcIoRawData;

/**
 * A {@link MessageSequence} as the body of a frame, both ways. The body is the IpcIo data, padded to 8, then its
 * object table (8-byte offsets), then one {@link ReferenceEntry} per remote object written into the message (the
 * object record's handle is its 1-based index). A body whose data and table exceed the spill limit sends them in a
 * sealed memfd instead, as the message's last fd ({@link Frames#BODY_SPILLED}); the references stay inline. File
 * descriptors travel with SCM_RIGHTS in table order.
 *
 * <p>Receiving copies the body out of the ring into the message (the ring slot is freed at once, and the message
 * lives as long as its user wants), checks every length, count and offset of the untrusted frame first, and
 * refuses a body that does not describe itself consistently.
 */
final class MessageCodec
{
    private static final int[] NO_FDS = new int[0];
    private static final ReferenceEntry[] NO_REFERENCES = new ReferenceEntry[0];

    private MessageCodec()
    {
    }

    /** What sending one message takes: sizes, the fds to pass, the references pinned for it. */
    static final class Outgoing
    {
        final MessageSequence message;
        final int dataLength;
        final int objectCount;
        final ReferenceEntry[] references;
        final int referenceBytes;
        final int[] fds;
        final boolean spilled;
        private final int spillFd;
        private final RpcRuntime runtime;

        private Outgoing(final RpcRuntime runtime, final MessageSequence message, final int dataLength,
            final int objectCount, final ReferenceEntry[] references, final int referenceBytes, final int[] fds,
            final boolean spilled, final int spillFd)
        {
            this.runtime = runtime;
            this.message = message;
            this.dataLength = dataLength;
            this.objectCount = objectCount;
            this.references = references;
            this.referenceBytes = referenceBytes;
            this.fds = fds;
            this.spilled = spilled;
            this.spillFd = spillFd;
        }

        /** Bytes of the body in the ring. */
        int inlineLength()
        {
            return (spilled ? 0 : Frames.align8(dataLength) + objectCount * IpcIoFormat.OFFSET_ENTRY_SIZE) +
                referenceBytes;
        }

        /** Writes the body at {@code offset} of the ring buffer. */
        void write(final MemorySegment buffer, final long offset)
        {
            long at = offset;
            if (!spilled)
            {
                final IpcIoBuffer io = message.buffer();
                MemorySegment.copy(io.data(), 0, buffer, at, dataLength);
                final long padded = Frames.align8((long)dataLength);
                buffer.asSlice(at + dataLength, padded - dataLength).fill((byte)0);
                at += padded;
                if (0 != objectCount)
                {
                    MemorySegment.copy(io.offsets(), 0, buffer, at, (long)objectCount * IpcIoFormat.OFFSET_ENTRY_SIZE);
                    at += (long)objectCount * IpcIoFormat.OFFSET_ENTRY_SIZE;
                }
            }
            for (final ReferenceEntry reference : references)
            {
                at = reference.write(buffer, at);
            }
        }

        /** The message went out: the spill memfd is the receiver's now (it got its own copy). */
        void sent()
        {
            closeSpill();
        }

        /** The message did not go out: the pins taken for its references are dropped. */
        void abandon()
        {
            closeSpill();
            for (final ReferenceEntry reference : references)
            {
                runtime.transferDone(reference.transferId());
            }
        }

        private void closeSpill()
        {
            if (spillFd >= 0)
            {
                IpcIoRawData.close(spillFd);
            }
        }
    }

    /**
     * Plans sending a message to a process: pins its remote objects for that process and, when the body is large,
     * writes it into a sealed memfd.
     *
     * @throws RemoteCallException REQUEST_TOO_LARGE (or REPLY_TOO_LARGE for a reply) when it cannot be sent.
     */
    static Outgoing plan(final RpcRuntime runtime, final MessageSequence message, final int destinationPid,
        final CallFailure tooLarge)
    {
        final IpcIoBuffer io = message.buffer();
        final int dataLength = (int)io.writePosition();
        final int objectCount = io.objectCount();
        final RemoteObjectSlots slots = message.remoteObjects();
        final int referenceCount = slots.count();
        int fdCount = io.fdCount();
        if (objectCount > Frames.MAX_OBJECTS)
        {
            throw tooLarge(tooLarge, "a message carries at most " + Frames.MAX_OBJECTS + " objects, this one " +
                objectCount);
        }
        final int tableBytes = objectCount * IpcIoFormat.OFFSET_ENTRY_SIZE;
        final boolean spill = Frames.align8(dataLength) + tableBytes > runtime.config().spillBytes();
        if (fdCount + (spill ? 1 : 0) > ChannelMessage.MAX_FDS)
        {
            throw tooLarge(tooLarge, "a message carries at most " +
                ChannelMessage.MAX_FDS + " file descriptors (with the memfd of a large " +
                "body), this one " + (fdCount + (spill ? 1 : 0)));
        }
        int[] fds = NO_FDS;
        if (0 != fdCount || spill)
        {
            fds = new int[fdCount + (spill ? 1 : 0)];
            io.collectFds(fds);
        }
        int spillFd = -1;
        if (spill)
        {
            final byte[] image = new byte[Frames.align8(dataLength) + tableBytes];
            MemorySegment.copy(io.data(), ValueLayout.JAVA_BYTE, 0, image, 0, dataLength);
            if (0 != tableBytes)
            {
                MemorySegment.copy(io.offsets(), ValueLayout.JAVA_BYTE, 0, image, Frames.align8(dataLength),
                    tableBytes);
            }
            spillFd = IpcIoRawData.create(MemorySegment.ofArray(image));
            if (spillFd < 0)
            {
                throw tooLarge(tooLarge, "a body of " + image.length + " bytes needs a sealed memfd, which failed: " +
                    Errno.describe(spillFd));
            }
            fds[fdCount] = spillFd;
        }
        ReferenceEntry[] references = NO_REFERENCES;
        int referenceBytes = 0;
        if (0 != referenceCount)
        {
            references = new ReferenceEntry[referenceCount];
            try
            {
                for (int handle = 1; handle <= referenceCount; handle++)
                {
                    references[handle - 1] = runtime.referenceFor(slots.written(handle), destinationPid);
                    referenceBytes += references[handle - 1].encodedLength();
                }
            }
            catch (final RuntimeException failure)
            {
                for (final ReferenceEntry pinned : references)
                {
                    if (null != pinned)
                    {
                        runtime.transferDone(pinned.transferId());
                    }
                }
                if (spillFd >= 0)
                {
                    IpcIoRawData.close(spillFd);
                }
                throw failure;
            }
        }
        return new Outgoing(runtime, message, dataLength, objectCount, references, referenceBytes, fds, spill,
            spillFd);
    }

    private static RemoteCallException tooLarge(final CallFailure failure, final String detail)
    {
        return new RemoteCallException(failure, new RequestResult(failure.status(), 0, null, null), detail);
    }

    /** A received body, checked and copied out of the ring; {@link #load} hands it to a message. */
    static final class Incoming
    {
        final byte[] data;
        final int dataLength;
        final byte[] table;
        final int objectCount;
        final ReferenceEntry[] references;
        final int[] fds;

        Incoming(final byte[] data, final int dataLength, final byte[] table, final int objectCount,
            final ReferenceEntry[] references, final int[] fds)
        {
            this.data = data;
            this.dataLength = dataLength;
            this.table = table;
            this.objectCount = objectCount;
            this.references = references;
            this.fds = fds;
        }

        /**
         * Makes {@code message} a read-only view of this body, owning its fds and references.
         *
         * @return null, or what is wrong with the body (then everything it carried is released).
         */
        String load(final MessageSequence message, final RpcRuntime runtime, final Connection source)
        {
            if (!message.loadReceived(data, dataLength, table, objectCount))
            {
                release(runtime, source);
                return "its object table does not describe its " + dataLength + " data bytes";
            }
            if (!message.adoptFileDescriptors(fds, fds.length))
            {
                runtime.releaseReferences(references, source);
                return "it came with " + fds.length + " fds for " + message.buffer().fdCount() + " fd objects";
            }
            if (0 != references.length)
            {
                message.remoteObjects().receive(new ReceivedReferences(runtime, references, source));
            }
            return null;
        }

        /** Drops a body nobody will read: its fds are closed and its references released. */
        void release(final RpcRuntime runtime, final Connection source)
        {
            for (final int fd : fds)
            {
                IpcIoRawData.close(fd);
            }
            runtime.releaseReferences(references, source);
        }
    }

    /**
     * Checks and copies a received body. {@code bodyOffset} .. {@code end} is what the frame holds after its header;
     * {@code fds} are the fds that came with the frame (taken: the caller owns them until this returns).
     *
     * @return the body, or null when the frame is malformed (then the fds are closed).
     */
    static Incoming read(final MemorySegment buffer, final long bodyOffset, final long end, final int flags,
        final long dataLength, final long objectCount, final long referenceCount, final int[] fds,
        final StringBuilder why)
    {
        return read(buffer, bodyOffset, end, flags, dataLength, objectCount, referenceCount, fds, why, null);
    }

    /** As {@link #read(MemorySegment, long, long, int, long, long, long, int[], StringBuilder)}, copying into the
     * memory of {@code reuse} (the message the body is for) when it is large enough. */
    static Incoming read(final MemorySegment buffer, final long bodyOffset, final long end, final int flags,
        final long dataLength, final long objectCount, final long referenceCount, final int[] fds,
        final StringBuilder why, final MessageSequence reuse)
    {
        final boolean spilled = 0 != (flags & Frames.BODY_SPILLED);
        if (dataLength > MessageSequence.MAX_CAPACITY || objectCount > Frames.MAX_OBJECTS ||
            referenceCount > objectCount)
        {
            return refuse(fds, why, "data_length=" + dataLength + " (limit " + MessageSequence.MAX_CAPACITY +
                "), object_count=" + objectCount + " (limit " + Frames.MAX_OBJECTS + "), ref_count=" + referenceCount +
                " (at most object_count)");
        }
        final int data = (int)dataLength;
        final int objects = (int)objectCount;
        final long tableBytes = objectCount * IpcIoFormat.OFFSET_ENTRY_SIZE;
        final long imageLength = Frames.align8(dataLength) + tableBytes;
        final byte[] bytes = null == reuse ? new byte[Math.max(data, 1)] : reuse.receiveDataArray(data);
        final byte[] table = null == reuse ? new byte[(int)tableBytes] : reuse.receiveTableArray((int)tableBytes);
        long at = bodyOffset;
        int[] objectFds = fds;
        if (spilled)
        {
            if (0 == fds.length)
            {
                return refuse(fds, why, "a spilled body came without its memfd");
            }
            final int memfd = fds[fds.length - 1];
            objectFds = java.util.Arrays.copyOf(fds, fds.length - 1);
            final long address = IpcIoRawData.map(memfd, Math.max(imageLength, 1));
            IpcIoRawData.close(memfd);
            if (address < 0)
            {
                closeAll(objectFds);
                why.append("the memfd of a spilled body of ").append(imageLength).append(" bytes was refused: ")
                    .append(Errno.describe((int)address));
                return null;
            }
            final MemorySegment image = MemorySegment.ofAddress(address).reinterpret(Math.max(imageLength, 1));
            MemorySegment.copy(image, ValueLayout.JAVA_BYTE, 0, bytes, 0, data);
            MemorySegment.copy(image, ValueLayout.JAVA_BYTE, Frames.align8(dataLength), table, 0, (int)tableBytes);
            IpcIoRawData.unmap(address, Math.max(imageLength, 1));
        }
        else
        {
            if (at + imageLength > end)
            {
                return refuse(fds, why, "data_length=" + dataLength + " and object_count=" + objectCount + " need " +
                    imageLength + " bytes, the frame has " + (end - at));
            }
            MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, at, bytes, 0, data);
            MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, at + Frames.align8(dataLength), table, 0,
                (int)tableBytes);
            at += imageLength;
        }
        final ReferenceEntry[] references = 0 == referenceCount ? NO_REFERENCES :
            new ReferenceEntry[(int)referenceCount];
        for (int i = 0; i < references.length; i++)
        {
            references[i] = ReferenceEntry.read(buffer, at, end);
            if (null == references[i])
            {
                return refuse(objectFds, why, "reference " + i + " at body byte " + (at - bodyOffset) +
                    " is malformed or runs past the frame");
            }
            at += references[i].encodedLength();
        }
        return new Incoming(bytes, data, table, objects, references, objectFds);
    }

    private static Incoming refuse(final int[] fds, final StringBuilder why, final String reason)
    {
        closeAll(fds);
        why.append(reason);
        return null;
    }

    private static void closeAll(final int[] fds)
    {
        for (final int fd : fds)
        {
            IpcIoRawData.close(fd);
        }
    }
}
