package io.harmonia.rpc;

import static io.harmonia.rpc.RpcException.CHECK_PARAM_ERROR;
import static io.harmonia.rpc.RpcException.OS_DUP_ERROR;
import static io.harmonia.rpc.RpcException.READ_DATA_FROM_MESSAGE_SEQUENCE_ERROR;
import static io.harmonia.rpc.RpcException.WRITE_DATA_TO_MESSAGE_SEQUENCE_ERROR;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

import io.harmonia.bindings.Errno;
import io.harmonia.bindings.channel.Channel;
import io.harmonia.bindings.channel.ChannelMessage;
import io.harmonia.bindings.ipc.IpcIoBuffer;
import io.harmonia.bindings.ipc.IpcIoFailure;
import io.harmonia.bindings.ipc.IpcIoFormat;
import io.harmonia.bindings.ipc.IpcIoRawData;
import io.harmonia.bindings.ipc.IpcIoStringView;
import io.harmonia.bindings.ipc.SvcIdentity;

/**
 * OpenHarmony's {@code MessageSequence} for Java: a message written and read field by field, in the IpcIo
 * format of libharmonia's C serializer (and OpenHarmony's {@code serializer.h}), byte for byte. Fields are
 * written straight into the message memory through an {@link IpcIoBuffer} flyweight: no downcall per field and
 * no allocation on the primitive paths.
 *
 * <p>Types map onto the C serializer as follows: byte, short, boolean and char are widened to 4 bytes
 * ({@code WriteInt8}, {@code WriteInt16}, {@code WriteBool}, {@code WriteUint16}); int, long, float and double
 * are {@code WriteInt32}, {@code WriteInt64}, {@code WriteFloat}, {@code WriteDouble}. {@link #writeString} is
 * UTF-16 ({@code WriteString16}), as OpenHarmony's MessageSequence writes strings; {@link #writeUtf8String} is
 * C's UTF-8 {@code WriteString}. Arrays are the C vectors ({@code WriteInt8Vector} for byte[],
 * {@code WriteInt16Vector} for short[], {@code WriteBoolVector} for boolean[], {@code WriteUInt16Vector} for
 * char[], ...). Raw data up to 32 KiB is inline; larger raw data (up to 128 MiB) travels as a sealed memfd.
 *
 * <p>The size limit is the capacity ({@link #DEFAULT_CAPACITY}, 200 KiB, as in OpenHarmony; see
 * {@link #setCapacity}); memory grows on demand up to it. Every failure throws {@link RpcException} with
 * OpenHarmony's code (1900009 write, 1900010 read, 401 bad parameter) and names the field and the limit; a
 * failed call changes nothing. {@link #reclaim()} releases the memory, the fds the message owns and its raw-data
 * mappings. Not thread-safe.
 *
 * <p>On a channel a message is written straight into a claimed ring slot ({@link #claim}, then {@link #send}) and
 * read in place by the receiver ({@link #wrap} of a received {@link ChannelMessage}): no copy on either side. Its
 * fds travel with SCM_RIGHTS and its large raw data as sealed memfds, byte-compatible with C's
 * {@code hm_channel_commit_ipcio} and {@code hm_channel_receive_ipcio}.
 */
public final class MessageSequence implements AutoCloseable
{
    /** The capacity of a new MessageSequence: 200 KiB, OpenHarmony's {@code MAX_CAPACITY_TO_WRITE}. */
    public static final int DEFAULT_CAPACITY = 200 * 1024;
    /** The largest capacity {@link #setCapacity} accepts. */
    public static final int MAX_CAPACITY = 1 << 30;

    private static final int INITIAL_DATA_SIZE = 256;
    private static final int INITIAL_OBJECTS = 4;
    private static final int[] NO_FDS = new int[0];

    private final IpcIoBuffer buffer = new IpcIoBuffer();
    private final Growth growth = new Growth();
    private int capacity = DEFAULT_CAPACITY;
    private boolean reclaimed;

    private int[] ownedFds = NO_FDS;
    private int[] ownedObjects = NO_FDS;
    private int ownedCount;

    private Arena mappingArena;
    private long[] mappingAddresses = new long[0];
    private long[] mappingSizes = new long[0];
    private int[] mappingObjects = NO_FDS;
    private MemorySegment[] mappingViews = new MemorySegment[0];
    private int mappingCount;

    /** Remote objects written into this message, or references received with it. */
    private final RemoteObjectSlots remoteObjects = new RemoteObjectSlots();
    private final SvcIdentity identityScratch = new SvcIdentity();

    /** The channel whose slot this message is being written into, until it is sent or reclaimed. */
    private Channel slotChannel;
    private long slotOffset;

    private MessageSequence()
    {
        buffer.wrapForWriting(
            MemorySegment.ofArray(new byte[INITIAL_DATA_SIZE]),
            MemorySegment.ofArray(new byte[INITIAL_OBJECTS * IpcIoFormat.OFFSET_ENTRY_SIZE]))
            .expander(growth);
    }

    /** A message whose memory the caller sets up (a channel slot): no heap memory. */
    private MessageSequence(final int capacity)
    {
        this.capacity = capacity;
    }

    /** A message that a transport fills with {@link #loadReceived} at once: no memory of its own yet. */
    static MessageSequence forReceiving()
    {
        return new MessageSequence(DEFAULT_CAPACITY);
    }

    /**
     * An empty message with the default capacity.
     *
     * @return the new MessageSequence.
     */
    public static MessageSequence create()
    {
        return new MessageSequence();
    }

    /**
     * A read-only message holding a copy of received bytes and their object table (for transports and tests).
     * The table is validated as C's {@code hm_ipcio_init_reader} does.
     *
     * @param data          the message data.
     * @param objectOffsets the byte offset of each object record, in order.
     * @return the message, positioned at its first byte.
     * @throws RpcException 1900010 when the table does not describe the data.
     */
    public static MessageSequence copyFrom(final MemorySegment data, final long[] objectOffsets)
    {
        final long length = data.byteSize();
        if (length > MAX_CAPACITY)
        {
            throw new RpcException(CHECK_PARAM_ERROR, "field 'data' has " + length + " bytes, limit " + MAX_CAPACITY);
        }
        final MessageSequence message = new MessageSequence();
        final byte[] bytes = new byte[(int)length];
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, 0, bytes, 0, bytes.length);
        final byte[] table = new byte[objectOffsets.length * IpcIoFormat.OFFSET_ENTRY_SIZE];
        MemorySegment.copy(objectOffsets, 0, MemorySegment.ofArray(table), ValueLayout.JAVA_LONG_UNALIGNED, 0,
            objectOffsets.length);
        message.capacity = Math.max(bytes.length, 1);
        message.buffer.wrapForReading(MemorySegment.ofArray(bytes), length, MemorySegment.ofArray(table),
            objectOffsets.length);
        if (message.buffer.failed())
        {
            throw message.failure(READ_DATA_FROM_MESSAGE_SEQUENCE_ERROR, "object table");
        }
        return message;
    }

    /**
     * A message written straight into a slot claimed in a channel's sending ring (zero copy): up to
     * {@code dataCapacity} bytes and {@code maxObjects} objects (fds, large raw data), a fixed capacity. Write it
     * as any MessageSequence, then {@link #send} it; {@link #reclaim()} without sending gives the slot up.
     *
     * @param channel      the channel to send on.
     * @param dataCapacity the most data bytes, at least 1 (it must fit the ring with the object table).
     * @param maxObjects   the most objects, 0..{@link Channel#MAX_IPCIO_OBJECTS}.
     * @param timeoutNs    the longest wait for space in the ring; negative waits without bound.
     * @return the message, in the slot.
     * @throws RpcException 401 when a size is out of range.
     * @throws io.harmonia.bindings.channel.ChannelException when no space came in time or the peer is gone.
     */
    public static MessageSequence claim(final Channel channel, final int dataCapacity, final int maxObjects,
        final long timeoutNs)
    {
        requireNonNull(channel, "channel");
        if (dataCapacity < 1 || dataCapacity > MAX_CAPACITY)
        {
            throw badParameter("data capacity", dataCapacity, 1, MAX_CAPACITY);
        }
        if (maxObjects < 0 || maxObjects > Channel.MAX_IPCIO_OBJECTS)
        {
            throw badParameter("max objects", maxObjects, 0, Channel.MAX_IPCIO_OBJECTS);
        }
        final MessageSequence message = new MessageSequence(dataCapacity);
        try
        {
            message.slotOffset = channel.claimIpcIo(message.buffer, dataCapacity, maxObjects, timeoutNs);
        }
        catch (final IllegalArgumentException tooLarge)
        {
            throw new RpcException(CHECK_PARAM_ERROR, "field 'data capacity' " + dataCapacity + " with " +
                maxObjects + " objects: " + tooLarge.getMessage());
        }
        message.slotChannel = channel;
        return message;
    }

    /**
     * Sends a message made by {@link #claim} on its channel: its fds go with SCM_RIGHTS, then the slot is
     * committed. The message is reclaimed afterwards, whether the send worked or not (memfds it made for raw
     * data are closed: the receiver has its own copies).
     *
     * @param code the message code.
     * @throws IllegalStateException when the message was not claimed in a channel, or was sent or reclaimed.
     * @throws io.harmonia.bindings.channel.ChannelException when the peer is gone (nothing was delivered).
     */
    public void send(final int code)
    {
        ensureUsable();
        if (null == slotChannel)
        {
            throw new IllegalStateException("this MessageSequence is not in a channel slot (see MessageSequence.claim)");
        }
        final Channel channel = slotChannel;
        slotChannel = null; // committed or, on failure, given up by commitIpcIo: never aborted twice
        try
        {
            channel.commitIpcIo(slotOffset, buffer, code);
        }
        finally
        {
            reclaim();
        }
    }

    /**
     * A read-only message over a received IpcIo message, read in place in the channel's ring slot (zero copy).
     * The fds that came with it pass to this message: {@link #readFileDescriptor} hands one to the caller, and
     * the rest are closed when the message is reclaimed, which happens at the latest when the channel releases
     * the received message (when the handler returns). Use it only inside the handler.
     *
     * @param received an IpcIo message handed to a {@link io.harmonia.bindings.channel.ChannelMessageHandler}.
     * @return the message, positioned at its first byte.
     * @throws RpcException 401 when the received message carries raw bytes, not an IpcIo message.
     */
    public static MessageSequence wrap(final ChannelMessage received)
    {
        if (!requireNonNull(received, "received message").isIpcIo())
        {
            throw new RpcException(CHECK_PARAM_ERROR, "field 'received message': code " + received.code() +
                " carries raw bytes, not an IpcIo message");
        }
        final IpcIoBuffer slot = received.ipcIo();
        final MessageSequence message = new MessageSequence(Math.max(1, (int)slot.writePosition()));
        // The objects as the channel validated them and installed their fds: the sender can rewrite the table in
        // the slot, so a second look at it could count other fd objects than the fds that came.
        message.buffer.wrapForReading(slot);
        if (message.buffer.failed())
        {
            throw message.failure(READ_DATA_FROM_MESSAGE_SEQUENCE_ERROR, "object table");
        }
        int next = 0;
        for (int i = 0; i < message.buffer.objectCount(); i++)
        {
            if (IpcIoFormat.TYPE_FD == message.buffer.objectType(i))
            {
                final int fd = received.takeFd(next++);
                if (fd >= 0)
                {
                    message.own(fd, i);
                }
            }
        }
        received.closeOnRelease(message);
        return message;
    }

    // ---- life cycle and geometry ----

    /**
     * Releases the message: closes the fds it owns that nobody took, unmaps raw-data mappings, drops the
     * memory. Safe to call twice; any other use afterwards throws {@link IllegalStateException}.
     */
    public void reclaim()
    {
        if (reclaimed)
        {
            return;
        }
        reclaimed = true;
        if (null != slotChannel)
        {
            slotChannel.abort(slotOffset); // claimed but never sent: the receiver skips the slot
            slotChannel = null;
        }
        releaseResources();
        buffer.wrapForWriting(MemorySegment.NULL, MemorySegment.NULL).expander(null);
    }

    /**
     * Empties the message for a reply (RPC): the fds, mappings and references it owns are released and it is
     * writable again with its capacity. A message in a channel slot cannot be cleared.
     */
    void clearForReply()
    {
        ensureUsable();
        if (null != slotChannel)
        {
            throw new RpcException(CHECK_PARAM_ERROR, "field 'reply': a message in a channel slot cannot take a reply");
        }
        releaseResources();
        final byte[] data = heapArray(buffer.data());
        final byte[] table = heapArray(buffer.offsets());
        buffer.wrapForWriting(
            MemorySegment.ofArray(null != data ? data : new byte[INITIAL_DATA_SIZE]),
            MemorySegment.ofArray(null != table && table.length >= IpcIoFormat.OFFSET_ENTRY_SIZE ? table :
                new byte[INITIAL_OBJECTS * IpcIoFormat.OFFSET_ENTRY_SIZE]))
            .expander(growth);
    }

    /** The message's own heap array behind a segment (reused when the message is cleared or receives), or null. */
    private static byte[] heapArray(final MemorySegment segment)
    {
        return null != segment && segment.heapBase().orElse(null) instanceof byte[] array &&
            0 == segment.address() && array.length == segment.byteSize() ? array : null;
    }

    /**
     * A byte array of at least {@code length} bytes for the data of the next body this message receives: its own
     * when large enough (transports reuse a reply message's memory call after call).
     */
    byte[] receiveDataArray(final int length)
    {
        final byte[] own = reclaimed ? null : heapArray(buffer.data());
        return null != own && own.length >= length ? own : new byte[Math.max(length, 1)];
    }

    /** As {@link #receiveDataArray} for the object table. */
    byte[] receiveTableArray(final int length)
    {
        final byte[] own = reclaimed ? null : heapArray(buffer.offsets());
        return null != own && own.length >= length ? own : new byte[length];
    }

    /** Closes the fds nobody took, unmaps raw data, and releases remote-object references nobody read. */
    private void releaseResources()
    {
        remoteObjects.release();
        for (int i = 0; i < ownedCount; i++)
        {
            if (ownedFds[i] >= 0)
            {
                IpcIoRawData.close(ownedFds[i]);
            }
        }
        ownedCount = 0;
        if (null != mappingArena)
        {
            // Closing the arena first makes every view of the mappings unusable, so no later access can touch
            // unmapped memory.
            mappingArena.close();
            for (int i = 0; i < mappingCount; i++)
            {
                IpcIoRawData.unmap(mappingAddresses[i], mappingSizes[i]);
            }
            mappingCount = 0;
            mappingArena = null;
        }
    }

    /** The same as {@link #reclaim()}. */
    @Override
    public void close()
    {
        reclaim();
    }

    /**
     * Bytes of data in the message.
     *
     * @return the size.
     */
    public int getSize()
    {
        return (int)buffer.writePosition();
    }

    /**
     * The most data the message may hold.
     *
     * @return the capacity in bytes.
     */
    public int getCapacity()
    {
        return capacity;
    }

    /**
     * Sets the most data the message may hold.
     *
     * @param size getSize() .. {@link #MAX_CAPACITY}, and at least 1.
     * @throws RpcException 401 when out of range.
     */
    public void setCapacity(final int size)
    {
        ensureUsable();
        if (size < Math.max(1, getSize()) || size > MAX_CAPACITY)
        {
            throw badParameter("capacity", size, Math.max(1, getSize()), MAX_CAPACITY);
        }
        if (null != slotChannel)
        {
            throw new RpcException(CHECK_PARAM_ERROR, "field 'capacity': a message in a channel slot keeps the " +
                "capacity it was claimed with (" + capacity + ")");
        }
        if (buffer.capacity() > size)
        {
            // The memory already exceeds the new limit: move to memory of exactly that size.
            final byte[] smaller = new byte[size];
            MemorySegment.copy(buffer.data(), ValueLayout.JAVA_BYTE, 0, smaller, 0, getSize());
            buffer.relocate(MemorySegment.ofArray(smaller));
        }
        capacity = size;
    }

    /**
     * Bytes that can still be written.
     *
     * @return capacity - size.
     */
    public int getWritableBytes()
    {
        return capacity - getSize();
    }

    /**
     * Bytes left to read.
     *
     * @return size - read position.
     */
    public int getReadableBytes()
    {
        return (int)buffer.readableBytes();
    }

    /**
     * Where the next read starts.
     *
     * @return the read position.
     */
    public int getReadPosition()
    {
        return (int)buffer.readPosition();
    }

    /**
     * Where the next write goes (the size).
     *
     * @return the write position.
     */
    public int getWritePosition()
    {
        return (int)buffer.writePosition();
    }

    /**
     * Moves the read position.
     *
     * @param position 0 .. getSize().
     * @throws RpcException 401 when out of range.
     */
    public void rewindRead(final int position)
    {
        ensureUsable();
        if (!buffer.rewindRead(position))
        {
            throw badParameter("position", position, 0, getSize());
        }
    }

    /**
     * Moves the write position back (later data and objects are dropped).
     *
     * @param position 0 .. getSize().
     * @throws RpcException 401 when out of range or the message is read-only.
     */
    public void rewindWrite(final int position)
    {
        ensureUsable();
        if (!buffer.rewindWrite(position))
        {
            throw buffer.readOnly()
                ? new RpcException(CHECK_PARAM_ERROR, "field 'position': the message is read-only")
                : badParameter("position", position, 0, getSize());
        }
        // Remote objects are numbered in writing order, so the ones still in the table are a prefix.
        int remaining = 0;
        for (int i = 0; i < buffer.objectCount(); i++)
        {
            if (IpcIoFormat.TYPE_FD != buffer.objectType(i))
            {
                remaining++;
            }
        }
        remoteObjects.truncate(Math.min(remaining, remoteObjects.count()));
    }

    /**
     * A read-only view of the message data (for transports and tests).
     *
     * @return getSize() bytes.
     */
    public MemorySegment data()
    {
        ensureUsable();
        return buffer.data().asSlice(0, buffer.writePosition()).asReadOnly();
    }

    /**
     * Objects (fds) in the message.
     *
     * @return the object table's used entries.
     */
    public int getObjectCount()
    {
        return buffer.objectCount();
    }

    /**
     * Byte offset of one object's record (for transports and tests).
     *
     * @param index 0 .. getObjectCount() - 1.
     * @return the offset.
     */
    public long getObjectOffset(final int index)
    {
        if (index < 0 || index >= buffer.objectCount())
        {
            throw badParameter("index", index, 0, buffer.objectCount() - 1);
        }
        return buffer.objectOffset(index);
    }

    // ---- primitives ----

    /**
     * Writes a byte (widened to 4 bytes, sign-extended).
     *
     * @param value the value.
     */
    public void writeByte(final byte value)
    {
        if (!buffer.writeInt8(value))
        {
            throw writeFailure("byte");
        }
    }

    /**
     * Reads a byte.
     *
     * @return the value.
     */
    public byte readByte()
    {
        final byte value = buffer.readInt8();
        if (buffer.failed())
        {
            throw readFailure("byte");
        }
        return value;
    }

    /**
     * Writes a short (widened to 4 bytes).
     *
     * @param value the value.
     */
    public void writeShort(final short value)
    {
        if (!buffer.writeInt16(value))
        {
            throw writeFailure("short");
        }
    }

    /**
     * Reads a short.
     *
     * @return the value.
     */
    public short readShort()
    {
        final short value = buffer.readInt16();
        if (buffer.failed())
        {
            throw readFailure("short");
        }
        return value;
    }

    /**
     * Writes an int.
     *
     * @param value the value.
     */
    public void writeInt(final int value)
    {
        if (!buffer.writeInt32(value))
        {
            throw writeFailure("int");
        }
    }

    /**
     * Reads an int.
     *
     * @return the value.
     */
    public int readInt()
    {
        final int value = buffer.readInt32();
        if (buffer.failed())
        {
            throw readFailure("int");
        }
        return value;
    }

    /**
     * Writes a long.
     *
     * @param value the value.
     */
    public void writeLong(final long value)
    {
        if (!buffer.writeInt64(value))
        {
            throw writeFailure("long");
        }
    }

    /**
     * Reads a long.
     *
     * @return the value.
     */
    public long readLong()
    {
        final long value = buffer.readInt64();
        if (buffer.failed())
        {
            throw readFailure("long");
        }
        return value;
    }

    /**
     * Writes a float.
     *
     * @param value the value.
     */
    public void writeFloat(final float value)
    {
        if (!buffer.writeFloat(value))
        {
            throw writeFailure("float");
        }
    }

    /**
     * Reads a float.
     *
     * @return the value.
     */
    public float readFloat()
    {
        final float value = buffer.readFloat();
        if (buffer.failed())
        {
            throw readFailure("float");
        }
        return value;
    }

    /**
     * Writes a double.
     *
     * @param value the value.
     */
    public void writeDouble(final double value)
    {
        if (!buffer.writeDouble(value))
        {
            throw writeFailure("double");
        }
    }

    /**
     * Reads a double.
     *
     * @return the value.
     */
    public double readDouble()
    {
        final double value = buffer.readDouble();
        if (buffer.failed())
        {
            throw readFailure("double");
        }
        return value;
    }

    /**
     * Writes a boolean (4 bytes, 0 or 1).
     *
     * @param value the value.
     */
    public void writeBoolean(final boolean value)
    {
        if (!buffer.writeBool(value))
        {
            throw writeFailure("boolean");
        }
    }

    /**
     * Reads a boolean.
     *
     * @return the value.
     */
    public boolean readBoolean()
    {
        final boolean value = buffer.readBool();
        if (buffer.failed())
        {
            throw readFailure("boolean");
        }
        return value;
    }

    /**
     * Writes a char (4 bytes, zero-extended, C's {@code WriteUint16}).
     *
     * @param value the value.
     */
    public void writeChar(final char value)
    {
        if (!buffer.writeUint16(value))
        {
            throw writeFailure("char");
        }
    }

    /**
     * Reads a char.
     *
     * @return the value.
     */
    public char readChar()
    {
        final char value = (char)buffer.readUint16();
        if (buffer.failed())
        {
            throw readFailure("char");
        }
        return value;
    }

    // ---- strings ----

    /**
     * Writes a string as UTF-16 (C's {@code WriteString16}), as OpenHarmony's MessageSequence does.
     *
     * @param value the text (not null).
     */
    public void writeString(final String value)
    {
        if (!buffer.writeString16(requireNonNull(value, "string")))
        {
            throw writeFailure("string");
        }
    }

    /**
     * Reads a UTF-16 string.
     *
     * @return the text.
     */
    public String readString()
    {
        final String value = buffer.readString16();
        if (null == value)
        {
            throw readFailure("string");
        }
        return value;
    }

    /**
     * Writes a string as UTF-8 (C's {@code WriteString}), for peers that read it with {@code ReadString}.
     *
     * @param value the text (not null; unpaired surrogates cannot be encoded).
     */
    public void writeUtf8String(final String value)
    {
        if (!buffer.writeString(requireNonNull(value, "utf8 string")))
        {
            throw buffer.failure() == IpcIoFailure.MALFORMED_TEXT
                ? failure(CHECK_PARAM_ERROR, "utf8 string")
                : writeFailure("utf8 string");
        }
    }

    /**
     * Reads a UTF-8 string.
     *
     * @return the text.
     */
    public String readUtf8String()
    {
        final String value = buffer.readString();
        if (null == value)
        {
            throw readFailure("utf8 string");
        }
        return value;
    }

    /**
     * Reads a UTF-8 string without copying or allocating: the view points into the message (valid until the
     * message is reclaimed or rewritten).
     *
     * @param view the view to point at the bytes.
     */
    public void readUtf8String(final IpcIoStringView view)
    {
        if (!buffer.readString(view))
        {
            throw readFailure("utf8 string");
        }
    }

    /**
     * Writes an interface token (UTF-16, C's {@code WriteInterfaceToken}).
     *
     * @param token the token (not null, not empty).
     */
    public void writeInterfaceToken(final String token)
    {
        if (requireNonNull(token, "interface token").isEmpty())
        {
            throw new RpcException(CHECK_PARAM_ERROR, "field 'interface token' is empty");
        }
        if (!buffer.writeInterfaceToken(token))
        {
            throw writeFailure("interface token");
        }
    }

    /**
     * Reads an interface token.
     *
     * @return the token.
     */
    public String readInterfaceToken()
    {
        final String value = buffer.readInterfaceToken();
        if (null == value)
        {
            throw readFailure("interface token");
        }
        return value;
    }

    // ---- arrays ----

    /**
     * Writes a byte array (C's {@code WriteInt8Vector}: packed).
     *
     * @param values the elements (not null).
     */
    public void writeByteArray(final byte[] values)
    {
        if (!buffer.writeInt8Vector(requireNonNull(values, "byte array")))
        {
            throw writeFailure("byte array");
        }
    }

    /**
     * Reads a byte array.
     *
     * @return the elements.
     */
    public byte[] readByteArray()
    {
        final byte[] values = buffer.readInt8Vector();
        if (null == values)
        {
            throw readFailure("byte array");
        }
        return values;
    }

    /**
     * Reads a byte array into an existing array, allocating nothing.
     *
     * @param dataIn where the elements go (from index 0).
     * @return the number of elements read.
     */
    public int readByteArray(final byte[] dataIn)
    {
        return checkedCount(buffer.readInt8Vector(requireNonNull(dataIn, "dataIn")), "byte array");
    }

    /**
     * Writes a short array (C's {@code WriteInt16Vector}: one 4-byte slot per element).
     *
     * @param values the elements (not null).
     */
    public void writeShortArray(final short[] values)
    {
        if (!buffer.writeInt16Vector(requireNonNull(values, "short array")))
        {
            throw writeFailure("short array");
        }
    }

    /**
     * Reads a short array.
     *
     * @return the elements.
     */
    public short[] readShortArray()
    {
        final short[] values = buffer.readInt16Vector();
        if (null == values)
        {
            throw readFailure("short array");
        }
        return values;
    }

    /**
     * Reads a short array into an existing array.
     *
     * @param dataIn where the elements go.
     * @return the number of elements read.
     */
    public int readShortArray(final short[] dataIn)
    {
        return checkedCount(buffer.readInt16Vector(requireNonNull(dataIn, "dataIn")), "short array");
    }

    /**
     * Writes an int array (C's {@code WriteInt32Vector}).
     *
     * @param values the elements (not null).
     */
    public void writeIntArray(final int[] values)
    {
        if (!buffer.writeInt32Vector(requireNonNull(values, "int array")))
        {
            throw writeFailure("int array");
        }
    }

    /**
     * Reads an int array.
     *
     * @return the elements.
     */
    public int[] readIntArray()
    {
        final int[] values = buffer.readInt32Vector();
        if (null == values)
        {
            throw readFailure("int array");
        }
        return values;
    }

    /**
     * Reads an int array into an existing array.
     *
     * @param dataIn where the elements go.
     * @return the number of elements read.
     */
    public int readIntArray(final int[] dataIn)
    {
        return checkedCount(buffer.readInt32Vector(requireNonNull(dataIn, "dataIn")), "int array");
    }

    /**
     * Writes a long array (C's {@code WriteInt64Vector}).
     *
     * @param values the elements (not null).
     */
    public void writeLongArray(final long[] values)
    {
        if (!buffer.writeInt64Vector(requireNonNull(values, "long array")))
        {
            throw writeFailure("long array");
        }
    }

    /**
     * Reads a long array.
     *
     * @return the elements.
     */
    public long[] readLongArray()
    {
        final long[] values = buffer.readInt64Vector();
        if (null == values)
        {
            throw readFailure("long array");
        }
        return values;
    }

    /**
     * Reads a long array into an existing array.
     *
     * @param dataIn where the elements go.
     * @return the number of elements read.
     */
    public int readLongArray(final long[] dataIn)
    {
        return checkedCount(buffer.readInt64Vector(requireNonNull(dataIn, "dataIn")), "long array");
    }

    /**
     * Writes a float array (C's {@code WriteFloatVector}).
     *
     * @param values the elements (not null).
     */
    public void writeFloatArray(final float[] values)
    {
        if (!buffer.writeFloatVector(requireNonNull(values, "float array")))
        {
            throw writeFailure("float array");
        }
    }

    /**
     * Reads a float array.
     *
     * @return the elements.
     */
    public float[] readFloatArray()
    {
        final float[] values = buffer.readFloatVector();
        if (null == values)
        {
            throw readFailure("float array");
        }
        return values;
    }

    /**
     * Reads a float array into an existing array.
     *
     * @param dataIn where the elements go.
     * @return the number of elements read.
     */
    public int readFloatArray(final float[] dataIn)
    {
        return checkedCount(buffer.readFloatVector(requireNonNull(dataIn, "dataIn")), "float array");
    }

    /**
     * Writes a double array (C's {@code WriteDoubleVector}).
     *
     * @param values the elements (not null).
     */
    public void writeDoubleArray(final double[] values)
    {
        if (!buffer.writeDoubleVector(requireNonNull(values, "double array")))
        {
            throw writeFailure("double array");
        }
    }

    /**
     * Reads a double array.
     *
     * @return the elements.
     */
    public double[] readDoubleArray()
    {
        final double[] values = buffer.readDoubleVector();
        if (null == values)
        {
            throw readFailure("double array");
        }
        return values;
    }

    /**
     * Reads a double array into an existing array.
     *
     * @param dataIn where the elements go.
     * @return the number of elements read.
     */
    public int readDoubleArray(final double[] dataIn)
    {
        return checkedCount(buffer.readDoubleVector(requireNonNull(dataIn, "dataIn")), "double array");
    }

    /**
     * Writes a boolean array (C's {@code WriteBoolVector}: one 4-byte slot per element).
     *
     * @param values the elements (not null).
     */
    public void writeBooleanArray(final boolean[] values)
    {
        if (!buffer.writeBoolVector(requireNonNull(values, "boolean array")))
        {
            throw writeFailure("boolean array");
        }
    }

    /**
     * Reads a boolean array.
     *
     * @return the elements.
     */
    public boolean[] readBooleanArray()
    {
        final boolean[] values = buffer.readBoolVector();
        if (null == values)
        {
            throw readFailure("boolean array");
        }
        return values;
    }

    /**
     * Reads a boolean array into an existing array.
     *
     * @param dataIn where the elements go.
     * @return the number of elements read.
     */
    public int readBooleanArray(final boolean[] dataIn)
    {
        return checkedCount(buffer.readBoolVector(requireNonNull(dataIn, "dataIn")), "boolean array");
    }

    /**
     * Writes a char array (C's {@code WriteUInt16Vector}: packed).
     *
     * @param values the elements (not null).
     */
    public void writeCharArray(final char[] values)
    {
        if (!buffer.writeUint16Vector(requireNonNull(values, "char array")))
        {
            throw writeFailure("char array");
        }
    }

    /**
     * Reads a char array.
     *
     * @return the elements.
     */
    public char[] readCharArray()
    {
        final char[] values = buffer.readUint16Vector();
        if (null == values)
        {
            throw readFailure("char array");
        }
        return values;
    }

    /**
     * Reads a char array into an existing array.
     *
     * @param dataIn where the elements go.
     * @return the number of elements read.
     */
    public int readCharArray(final char[] dataIn)
    {
        return checkedCount(buffer.readUint16Vector(requireNonNull(dataIn, "dataIn")), "char array");
    }

    /**
     * Writes a string array: a uint32 count, then each string as UTF-16. All or nothing.
     *
     * @param values the strings (neither the array nor an element may be null).
     */
    public void writeStringArray(final String[] values)
    {
        requireNonNull(values, "string array");
        for (int i = 0; i < values.length; i++)
        {
            requireNonNull(values[i], "string array[" + i + "]");
        }
        final long start = buffer.writePosition();
        boolean written = buffer.writeInt32(values.length);
        for (int i = 0; written && i < values.length; i++)
        {
            written = buffer.writeString16(values[i]);
        }
        if (!written)
        {
            final RpcException failure = writeFailure("string array");
            buffer.rewindWrite(start);
            throw failure;
        }
    }

    /**
     * Reads a string array. All or nothing.
     *
     * @return the strings.
     */
    public String[] readStringArray()
    {
        final long start = buffer.readPosition();
        final long count = buffer.readInt32() & IpcIoFormat.UINT32_MAX;
        // Every string takes at least 8 bytes: a count above that cannot be real.
        if (!buffer.failed() && count > buffer.readableBytes() / 8)
        {
            buffer.rewindRead(start);
            throw new RpcException(READ_DATA_FROM_MESSAGE_SEQUENCE_ERROR, "field 'string array': " + count +
                " strings cannot fit the " + buffer.readableBytes() + " bytes left");
        }
        final String[] values = new String[(int)count];
        for (int i = 0; !buffer.failed() && i < values.length; i++)
        {
            values[i] = buffer.readString16();
        }
        if (buffer.failed())
        {
            final RpcException failure = readFailure("string array");
            buffer.rewindRead(start);
            throw failure;
        }
        return values;
    }

    // ---- file descriptors ----

    /**
     * Writes a file descriptor as an fd object. The fd is not duplicated: keep it open until the message is
     * sent (the transport passes it to the receiver, where it gets a new number).
     *
     * @param fd the descriptor (0..).
     */
    public void writeFileDescriptor(final int fd)
    {
        if (fd < 0)
        {
            throw badParameter("file descriptor", fd, 0, Integer.MAX_VALUE);
        }
        if (!buffer.writeFileDescriptor(fd))
        {
            throw writeFailure("file descriptor");
        }
    }

    /**
     * Reads a file descriptor (it must be the next object, at the read position). An fd this message owns (one
     * the transport installed) passes to the caller, who closes it with {@link #closeFileDescriptor}.
     *
     * @return the descriptor.
     */
    public int readFileDescriptor()
    {
        final int index = buffer.nextObjectIndex();
        final int fd = buffer.readFileDescriptor();
        if (fd < 0)
        {
            throw readFailure("file descriptor");
        }
        for (int i = 0; i < ownedCount; i++)
        {
            if (ownedObjects[i] == index && ownedFds[i] == fd)
            {
                ownedFds[i] = -1;
            }
        }
        return fd;
    }

    /**
     * Whether the message holds fd objects.
     *
     * @return true when it does.
     */
    public boolean containFileDescriptors()
    {
        return buffer.fdCount() > 0;
    }

    /**
     * Receiver side (transports): rewrites the message's fd objects, in order, with the fds received beside it;
     * the message owns them until read, and {@link #reclaim()} closes the ones nobody read.
     *
     * @param fds the received fds, as many as the message has fd objects.
     * @throws RpcException 401 when the number differs (nothing changes; the caller still owns the fds).
     */
    public void installFileDescriptors(final int[] fds)
    {
        ensureUsable();
        if (!buffer.installFds(requireNonNull(fds, "fds"), fds.length))
        {
            throw new RpcException(CHECK_PARAM_ERROR, "field 'fds' has " + fds.length +
                " descriptors, the message has " + buffer.fdCount() + " fd objects");
        }
        int next = 0;
        for (int i = 0; i < buffer.objectCount(); i++)
        {
            if (IpcIoFormat.TYPE_FD == buffer.objectType(i))
            {
                own(fds[next++], i);
            }
        }
    }

    /**
     * Closes a file descriptor (one read from a message, or any other).
     *
     * @param fd the descriptor.
     * @throws RpcException 401 when it is not an open descriptor.
     */
    public static void closeFileDescriptor(final int fd)
    {
        if (fd < 0)
        {
            throw badParameter("fd", fd, 0, Integer.MAX_VALUE);
        }
        final int result = IpcIoRawData.close(fd);
        if (result < 0)
        {
            throw new RpcException(CHECK_PARAM_ERROR, "field 'fd' " + fd + ": " + Errno.describe(result));
        }
    }

    /**
     * Duplicates a file descriptor (close-on-exec).
     *
     * @param fd the descriptor.
     * @return the duplicate.
     * @throws RpcException 401 for a negative fd, 1900013 when dup fails.
     */
    public static int dupFileDescriptor(final int fd)
    {
        if (fd < 0)
        {
            throw badParameter("fd", fd, 0, Integer.MAX_VALUE);
        }
        final int copy = IpcIoRawData.dup(fd);
        if (copy < 0)
        {
            throw new RpcException(OS_DUP_ERROR, "field 'fd' " + fd + ": " + Errno.describe(copy));
        }
        return copy;
    }

    private void own(final int fd, final int objectIndex)
    {
        if (ownedCount == ownedFds.length)
        {
            ownedFds = Arrays.copyOf(ownedFds, Math.max(4, ownedCount * 2));
            ownedObjects = Arrays.copyOf(ownedObjects, ownedFds.length);
        }
        ownedFds[ownedCount] = fd;
        ownedObjects[ownedCount] = objectIndex;
        ownedCount++;
    }

    // ---- remote objects ----

    /**
     * Writes a remote object: a {@link RemoteObject} of this process or a {@link RemoteProxy}. The receiver gets a
     * proxy that calls the owner directly (or the object itself, when it is read back in the owner's process).
     *
     * @param object the object (not null).
     * @throws RpcException 401 for null, 1900009 when the message is full.
     */
    public void writeRemoteObject(final IRemoteObject object)
    {
        requireNonNull(object, "remote object");
        ensureUsable();
        final int handle = remoteObjects.add(object);
        if (!buffer.writeRemoteObject(handle, 0, 0))
        {
            remoteObjects.dropLast();
            throw writeFailure("remote object");
        }
    }

    /**
     * Reads a remote object (it must be the next object, at the read position).
     *
     * @return the object: a proxy, or the object itself in its owner's process.
     * @throws RpcException 1900010 when no remote object is next, 1900008 when the reference cannot be used (its
     *                      owner is gone or refused it).
     */
    public IRemoteObject readRemoteObject()
    {
        ensureUsable();
        final long start = buffer.readPosition();
        final int index = buffer.nextObjectIndex();
        if (!buffer.readRemoteObject(identityScratch))
        {
            throw readFailure("remote object");
        }
        try
        {
            return remoteObjects.resolve(identityScratch.handle(), index);
        }
        catch (final RpcException unusable)
        {
            buffer.rewindRead(start);
            throw unusable;
        }
    }

    /**
     * Writes an array of remote objects: an int32 count, then each object.
     *
     * @param objects the objects (no null element).
     */
    public void writeRemoteObjectArray(final IRemoteObject[] objects)
    {
        requireNonNull(objects, "remote object array");
        for (int i = 0; i < objects.length; i++)
        {
            requireNonNull(objects[i], "remote object array[" + i + "]");
        }
        final long start = buffer.writePosition();
        final int mark = remoteObjects.count();
        if (!buffer.writeInt32(objects.length))
        {
            throw writeFailure("remote object array");
        }
        for (final IRemoteObject object : objects)
        {
            final int handle = remoteObjects.add(object);
            if (!buffer.writeRemoteObject(handle, 0, 0))
            {
                final RpcException failure = writeFailure("remote object array");
                buffer.rewindWrite(start);
                remoteObjects.truncate(mark);
                throw failure;
            }
        }
    }

    /**
     * Reads an array of remote objects. All or nothing.
     *
     * @return the objects.
     */
    public IRemoteObject[] readRemoteObjectArray()
    {
        final long start = buffer.readPosition();
        final int count = readInt();
        // Every object record takes 24 bytes: a count above that cannot be real.
        if (count < 0 || count > buffer.readableBytes() / IpcIoFormat.OBJECT_SIZE)
        {
            buffer.rewindRead(start);
            throw new RpcException(READ_DATA_FROM_MESSAGE_SEQUENCE_ERROR, "field 'remote object array': " + count +
                " objects cannot fit the " + buffer.readableBytes() + " bytes left");
        }
        final IRemoteObject[] objects = new IRemoteObject[count];
        try
        {
            for (int i = 0; i < count; i++)
            {
                objects[i] = readRemoteObject();
            }
        }
        catch (final RpcException failure)
        {
            buffer.rewindRead(start);
            throw failure;
        }
        return objects;
    }

    /**
     * Makes this message a read-only view of a received body (transports): {@code data} holds the data in its first
     * {@code dataLength} bytes, {@code table} the object table (8-byte offsets) in its first
     * {@code objectCount * 8} bytes. The arrays become the message's; what it owned before is released. The table
     * is validated as C's {@code hm_ipcio_init_reader} does.
     *
     * @return false when the table does not describe the data (the message is then empty).
     */
    boolean loadReceived(final byte[] data, final int dataLength, final byte[] table, final int objectCount)
    {
        ensureUsable();
        releaseResources();
        capacity = Math.max(capacity, dataLength);
        buffer.wrapForReading(MemorySegment.ofArray(data), dataLength,
            0 == objectCount ? MemorySegment.NULL : MemorySegment.ofArray(table), objectCount);
        if (buffer.failed())
        {
            buffer.clearFailure();
            buffer.wrapForReading(MemorySegment.ofArray(data), 0, MemorySegment.NULL, 0);
            return false;
        }
        return true;
    }

    /**
     * Receiver side (transports): the fds that came with a received body, one per fd object in table order; the
     * message owns them from now on (also when the count is wrong: then they are closed at once).
     *
     * @return false when the count differs from the message's fd objects.
     */
    boolean adoptFileDescriptors(final int[] fds, final int count)
    {
        if (!buffer.installFds(fds, count))
        {
            for (int i = 0; i < count; i++)
            {
                IpcIoRawData.close(fds[i]);
            }
            return false;
        }
        int next = 0;
        for (int i = 0; i < buffer.objectCount() && next < count; i++)
        {
            if (IpcIoFormat.TYPE_FD == buffer.objectType(i))
            {
                own(fds[next++], i);
            }
        }
        return true;
    }

    /** The remote objects written into this message or received with it (transports). */
    RemoteObjectSlots remoteObjects()
    {
        return remoteObjects;
    }

    /** The flyweight over this message's memory (transports). */
    IpcIoBuffer buffer()
    {
        return buffer;
    }

    // ---- raw data ----

    /**
     * Writes raw data: inline up to 32 KiB, otherwise as a sealed memfd (up to 128 MiB) that this message owns
     * until it is reclaimed.
     *
     * @param rawData the bytes (not null).
     * @param size    how many of them: 1 .. min(rawData.length, 134217728).
     */
    public void writeRawDataBuffer(final byte[] rawData, final int size)
    {
        requireNonNull(rawData, "raw data");
        if (size < 1 || size > rawData.length || size > IpcIoFormat.RAW_DATA_MAX)
        {
            throw badParameter("size", size, 1, Math.min(rawData.length, IpcIoFormat.RAW_DATA_MAX));
        }
        writeRawData(MemorySegment.ofArray(rawData).asSlice(0, size));
    }

    /**
     * Writes raw data from any memory (see {@link #writeRawDataBuffer}).
     *
     * @param rawData 1..134217728 bytes.
     */
    public void writeRawData(final MemorySegment rawData)
    {
        ensureUsable();
        final long size = rawData.byteSize();
        if (size < 1 || size > IpcIoFormat.RAW_DATA_MAX)
        {
            throw badParameter("raw data size", size, 1, IpcIoFormat.RAW_DATA_MAX);
        }
        if (size <= IpcIoFormat.RAW_DATA_INLINE_MAX)
        {
            if (!buffer.writeRawData(rawData))
            {
                throw writeFailure("raw data");
            }
            return;
        }
        final int fd = IpcIoRawData.create(rawData);
        if (fd < 0)
        {
            throw new RpcException(WRITE_DATA_TO_MESSAGE_SEQUENCE_ERROR,
                "field 'raw data': creating a sealed memfd of " + size + " bytes failed: " + Errno.describe(fd));
        }
        if (!buffer.writeRawDataFd(size, fd))
        {
            IpcIoRawData.close(fd);
            throw writeFailure("raw data");
        }
        own(fd, buffer.objectCount() - 1);
    }

    /**
     * Reads raw data into a new array (a copy; see {@link #readRawData} for a view).
     *
     * @param size the size written: 1..134217728.
     * @return the bytes.
     */
    public byte[] readRawDataBuffer(final int size)
    {
        return readRawData(size).toArray(ValueLayout.JAVA_BYTE);
    }

    /**
     * Reads raw data without copying: a read-only view of the inline bytes or of the read-only memfd mapping,
     * valid until the message is reclaimed.
     *
     * @param size the size written: 1..134217728.
     * @return the view.
     */
    public MemorySegment readRawData(final long size)
    {
        ensureUsable();
        if (size < 1 || size > IpcIoFormat.RAW_DATA_MAX)
        {
            throw badParameter("size", size, 1, IpcIoFormat.RAW_DATA_MAX);
        }
        if (size <= IpcIoFormat.RAW_DATA_INLINE_MAX)
        {
            final MemorySegment view = buffer.readRawData(size);
            if (null == view)
            {
                throw readFailure("raw data");
            }
            return view.asReadOnly();
        }
        final long start = buffer.readPosition();
        final int index = buffer.nextObjectIndex();
        final int fd = buffer.readRawDataFd(size);
        if (fd < 0)
        {
            throw readFailure("raw data");
        }
        for (int i = 0; i < mappingCount; i++)
        {
            if (mappingObjects[i] == index)
            {
                return mappingViews[i];
            }
        }
        final long address = IpcIoRawData.map(fd, size);
        if (address < 0)
        {
            buffer.rewindRead(start);
            throw new RpcException(READ_DATA_FROM_MESSAGE_SEQUENCE_ERROR,
                "field 'raw data': mapping the memfd of " + size + " bytes failed: " + Errno.describe((int)address));
        }
        return remember(address, size, index);
    }

    private MemorySegment remember(final long address, final long size, final int objectIndex)
    {
        if (null == mappingArena)
        {
            mappingArena = Arena.ofShared();
        }
        if (mappingCount == mappingAddresses.length)
        {
            final int grown = Math.max(2, mappingCount * 2);
            mappingAddresses = Arrays.copyOf(mappingAddresses, grown);
            mappingSizes = Arrays.copyOf(mappingSizes, grown);
            mappingObjects = Arrays.copyOf(mappingObjects, grown);
            mappingViews = Arrays.copyOf(mappingViews, grown);
        }
        final MemorySegment view = MemorySegment.ofAddress(address).reinterpret(size, mappingArena, null).asReadOnly();
        mappingAddresses[mappingCount] = address;
        mappingSizes[mappingCount] = size;
        mappingObjects[mappingCount] = objectIndex;
        mappingViews[mappingCount] = view;
        mappingCount++;
        return view;
    }

    // ---- failures ----

    private void ensureUsable()
    {
        if (reclaimed)
        {
            throw new IllegalStateException("this MessageSequence was reclaimed");
        }
    }

    private RpcException writeFailure(final String field)
    {
        return failure(WRITE_DATA_TO_MESSAGE_SEQUENCE_ERROR, field);
    }

    private RpcException readFailure(final String field)
    {
        return failure(READ_DATA_FROM_MESSAGE_SEQUENCE_ERROR, field);
    }

    /** The failure the buffer recorded, as an exception; the buffer is cleared (the failed call changed nothing). */
    private RpcException failure(final int code, final String field)
    {
        ensureUsable();
        String detail = "field '" + field + "': " + buffer.describeFailure();
        if (IpcIoFailure.NO_SPACE == buffer.failure())
        {
            detail += " (capacity " + capacity + ")";
        }
        else if (IpcIoFailure.END_OF_DATA == buffer.failure())
        {
            detail += " at position " + buffer.readPosition();
        }
        buffer.clearFailure();
        return new RpcException(code, detail);
    }

    private int checkedCount(final int count, final String field)
    {
        if (count < 0)
        {
            throw readFailure(field);
        }
        return count;
    }

    private static RpcException badParameter(final String field, final long value, final long min, final long max)
    {
        return new RpcException(CHECK_PARAM_ERROR, "field '" + field + "' is " + value + ", must be " + min + ".." +
            max);
    }

    private static <T> T requireNonNull(final T value, final String field)
    {
        if (null == value)
        {
            throw new RpcException(CHECK_PARAM_ERROR, "field '" + field + "' is null");
        }
        return value;
    }

    /** Grows the heap memory up to the capacity: doubling, so appends cost amortised O(1). */
    private final class Growth implements IpcIoBuffer.Expander
    {
        @Override
        public MemorySegment expandData(final MemorySegment current, final long used, final long required)
        {
            if (required > capacity)
            {
                return null;
            }
            final long size = Math.max(required, Math.min(capacity, current.byteSize() * 2));
            final byte[] grown = new byte[(int)size];
            MemorySegment.copy(current, ValueLayout.JAVA_BYTE, 0, grown, 0, (int)used);
            return MemorySegment.ofArray(grown);
        }

        @Override
        public MemorySegment expandObjects(final MemorySegment current, final int used, final int required)
        {
            final int entries = Math.max(required, used * 2);
            final byte[] grown = new byte[entries * IpcIoFormat.OFFSET_ENTRY_SIZE];
            MemorySegment.copy(current, ValueLayout.JAVA_BYTE, 0, grown, 0, used * IpcIoFormat.OFFSET_ENTRY_SIZE);
            return MemorySegment.ofArray(grown);
        }
    }
}
