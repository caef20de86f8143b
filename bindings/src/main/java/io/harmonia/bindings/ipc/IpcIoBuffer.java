package io.harmonia.bindings.ipc;

import static io.harmonia.bindings.ipc.IpcIoFormat.COMPATIBLE_MAX_SIZE;
import static io.harmonia.bindings.ipc.IpcIoFormat.COMPATIBLE_MAX_STRING16;
import static io.harmonia.bindings.ipc.IpcIoFormat.INVALID_HANDLE;
import static io.harmonia.bindings.ipc.IpcIoFormat.OBJECT_BINDER_OFFSET;
import static io.harmonia.bindings.ipc.IpcIoFormat.OBJECT_COOKIE_OFFSET;
import static io.harmonia.bindings.ipc.IpcIoFormat.OBJECT_FLAGS;
import static io.harmonia.bindings.ipc.IpcIoFormat.OBJECT_FLAGS_OFFSET;
import static io.harmonia.bindings.ipc.IpcIoFormat.OBJECT_HANDLE_TOKEN_OFFSET;
import static io.harmonia.bindings.ipc.IpcIoFormat.OBJECT_SIZE;
import static io.harmonia.bindings.ipc.IpcIoFormat.OBJECT_TYPE_OFFSET;
import static io.harmonia.bindings.ipc.IpcIoFormat.OFFSET_ENTRY_SIZE;
import static io.harmonia.bindings.ipc.IpcIoFormat.RAW_DATA_INLINE_MAX;
import static io.harmonia.bindings.ipc.IpcIoFormat.RAW_DATA_MAX;
import static io.harmonia.bindings.ipc.IpcIoFormat.TYPE_BINDER;
import static io.harmonia.bindings.ipc.IpcIoFormat.TYPE_FD;
import static io.harmonia.bindings.ipc.IpcIoFormat.TYPE_HANDLE;
import static io.harmonia.bindings.ipc.IpcIoFormat.UINT32_MAX;
import static io.harmonia.bindings.ipc.IpcIoFormat.align;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A flyweight IpcIo reader and writer over a {@link MemorySegment}: the same bytes as libharmonia's C
 * serializer (and OpenHarmony's), written and read in place with unaligned accesses, no downcall and no
 * allocation on the primitive paths. See {@link IpcIoFormat} for the layout.
 *
 * <p>Like a C {@code IpcIo} it holds a data area and an object table (8-byte offsets of the object records).
 * Writes append at the write position; reads consume from the read position up to the write position, so the
 * same buffer can be written and then read back, as OpenHarmony's parcels are. {@link #wrapForReading} wraps
 * a received message read-only and validates its object table first.
 *
 * <p>Failure is sticky, as in C: the first failed operation records why ({@link #failure()}) and every later
 * operation fails until {@link #clearFailure()}. A failed item changes no bytes and moves no position.
 * Writes return {@code false} on failure; reads return 0, {@code false} or {@code null}.
 *
 * <p>Limits: a buffer in {@link #compatible(boolean) compatible} mode applies the C compatible API's limits
 * (items of at most 8192 bytes, string16 of at most 4095 units); otherwise only the memory and the uint32
 * length fields bound it. Raw data above {@link IpcIoFormat#RAW_DATA_INLINE_MAX} is written as an fd object
 * ({@link #writeRawDataFd}); creating and mapping that memfd is the caller's ({@link IpcIoRawData}).
 *
 * <p>Not thread-safe: one thread writes or reads a buffer at a time.
 */
public final class IpcIoBuffer
{
    /**
     * Supplies more memory when a write does not fit, instead of failing (a growable message).
     */
    public interface Expander
    {
        /**
         * A larger data area holding a copy of the used bytes.
         *
         * @param current  the current data area.
         * @param used     bytes written so far (to be preserved).
         * @param required the smallest acceptable size.
         * @return a segment of at least {@code required} bytes, or null to fail the write.
         */
        MemorySegment expandData(MemorySegment current, long used, long required);

        /**
         * A larger object table holding a copy of the used entries.
         *
         * @param current  the current table.
         * @param used     entries written so far (to be preserved).
         * @param required the smallest acceptable number of entries.
         * @return a segment of at least {@code required * 8} bytes, or null to fail the write.
         */
        MemorySegment expandObjects(MemorySegment current, int used, int required);
    }

    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfChar CHAR = ValueLayout.JAVA_CHAR_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    // Views of a byte[] for the heap fast path. A MemorySegment access inlines a deep tree of checks and VarHandle
    // guards; a message of a dozen items parsed into one compilation then exceeds C2's node budget for inlining
    // (NodeCountInliningCutoff) and the rest of the items become calls. Array views are checked against the array
    // only, so every access below stays inside the data segment by the position checks before it.
    private static final VarHandle ARRAY_SHORT =
        MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.nativeOrder());
    private static final VarHandle ARRAY_INT =
        MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle ARRAY_LONG =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final int MAX_JAVA_ARRAY = Integer.MAX_VALUE - 16;
    /** The read cursor of a failed buffer: far past any data, so every read takes the slow path. */
    private static final long POISONED = Long.MAX_VALUE / 4;

    private MemorySegment data = MemorySegment.NULL;
    /** The byte[] behind data when it is a writable heap segment (the fast path), else null. */
    private byte[] array;
    /** Where data starts in array. */
    private int arrayOffset;
    private long capacity;
    /** capacity, or -1 when writes must take the slow path (failed, read-only): one comparison per write. */
    private long writeLimit;
    private long writePosition;
    /** The read cursor, {@link #POISONED} while failed: one comparison per read covers failure and bounds. */
    private long readPosition;
    private long readPositionAtFailure;
    private MemorySegment offsets = MemorySegment.NULL;
    /** What this buffer knows of its objects, privately: the table and records in memory are not read back. */
    private final IpcIoObjectTable objects = new IpcIoObjectTable();
    private int maxObjects;
    private int objectCount;
    private int readObjectIndex;
    private boolean compatible;
    private boolean readOnly;
    private Expander expander;
    private IpcIoFailure failure;
    private long failureValue;
    private long failureLimit;
    private byte[] byteScratch = new byte[64];
    private char[] charScratch = new char[32];

    /**
     * Wraps an empty message for writing.
     *
     * @param data    the data area; its size is the capacity.
     * @param offsets the object table: {@code offsets.byteSize() / 8} entries (may be empty).
     * @return this.
     */
    public IpcIoBuffer wrapForWriting(final MemorySegment data, final MemorySegment offsets)
    {
        reset(data, offsets);
        this.capacity = data.byteSize();
        this.writeLimit = capacity;
        this.maxObjects = (int)Math.min(Integer.MAX_VALUE, offsets.byteSize() / OFFSET_ENTRY_SIZE);
        return this;
    }

    /**
     * Wraps a received message for reading (read-only), after validating its object table: every record lies
     * inside the data, offsets increase by at least {@link IpcIoFormat#OBJECT_SIZE}, and every record has a
     * known type. An invalid table leaves the buffer failed with {@link IpcIoFailure#INVALID_OBJECT_TABLE}.
     * Each entry and record type is read once, and what was validated is kept privately: the memory may be
     * shared with the sender, which can rewrite it at any moment, so it is not consulted again.
     *
     * @param data        the message memory.
     * @param length      bytes of data in it.
     * @param offsets     the object table (8-byte entries).
     * @param objectCount entries in the table.
     * @return this.
     */
    public IpcIoBuffer wrapForReading(
        final MemorySegment data, final long length, final MemorySegment offsets, final int objectCount)
    {
        reset(data, offsets);
        if (length < 0 || length > data.byteSize() || objectCount < 0 ||
            (long)objectCount * OFFSET_ENTRY_SIZE > offsets.byteSize())
        {
            fail(IpcIoFailure.INVALID_OBJECT_TABLE, -1, 0);
            return this;
        }
        this.writePosition = length;
        this.readOnly = true;
        long previousEnd = 0;
        for (int i = 0; i < objectCount; i++)
        {
            final long offset = offsets.get(LONG, (long)i * OFFSET_ENTRY_SIZE);
            final int type = offset < previousEnd || offset > length - OBJECT_SIZE ? 0 : data.get(INT, offset);
            if (!isObjectType(type))
            {
                fail(IpcIoFailure.INVALID_OBJECT_TABLE, i, 0);
                return this;
            }
            objects.set(i, offset, type, IpcIoObjectTable.NO_FD);
            previousEnd = offset + OBJECT_SIZE;
        }
        this.maxObjects = objectCount;
        this.objectCount = objectCount;
        return this;
    }

    /**
     * Wraps the message another reader wraps, for a second reader of it (a {@code MessageSequence} over a received
     * channel message): the same data, and the objects and installed fds exactly as that reader validated and
     * holds them (the table in the message memory is not read again, so both readers agree on every object).
     *
     * @param received a buffer set up by {@link #wrapForReading(MemorySegment, long, MemorySegment, int)}.
     * @return this; failed with {@link IpcIoFailure#INVALID_OBJECT_TABLE} when {@code received} is not a reader
     *         or its table was refused.
     */
    public IpcIoBuffer wrapForReading(final IpcIoBuffer received)
    {
        reset(received.data, received.offsets);
        if (!received.readOnly || IpcIoFailure.INVALID_OBJECT_TABLE == received.failure)
        {
            fail(IpcIoFailure.INVALID_OBJECT_TABLE, -1, 0);
            return this;
        }
        this.writePosition = received.writePosition;
        this.readOnly = true;
        objects.copyFrom(received.objects, received.objectCount);
        this.maxObjects = received.objectCount;
        this.objectCount = received.objectCount;
        return this;
    }

    private void reset(final MemorySegment data, final MemorySegment offsets)
    {
        setData(data);
        this.offsets = offsets;
        this.capacity = 0;
        this.writeLimit = -1;
        this.writePosition = 0;
        this.readPosition = 0;
        this.readPositionAtFailure = 0;
        this.maxObjects = 0;
        this.objectCount = 0;
        this.objects.clear();
        this.readObjectIndex = 0;
        this.compatible = false;
        this.readOnly = false;
        this.failure = null;
        this.failureValue = 0;
        this.failureLimit = 0;
    }

    private void setData(final MemorySegment segment)
    {
        data = segment;
        final Object base = segment.heapBase().orElse(null);
        if (base instanceof final byte[] bytes && segment.byteSize() <= Integer.MAX_VALUE)
        {
            array = bytes;
            arrayOffset = (int)segment.address();
        }
        else
        {
            array = null;
            arrayOffset = 0;
        }
    }

    // ---- memory access: the byte[] of a heap segment, or the segment (native memory, read-only segments) ----

    private byte getByteAt(final long at)
    {
        final byte[] bytes = array;
        return null != bytes ? bytes[arrayOffset + (int)at] : data.get(BYTE, at);
    }

    private void putByteAt(final long at, final byte value)
    {
        final byte[] bytes = array;
        if (null != bytes)
        {
            bytes[arrayOffset + (int)at] = value;
        }
        else
        {
            data.set(BYTE, at, value);
        }
    }

    private short getShortAt(final long at)
    {
        final byte[] bytes = array;
        return null != bytes ? (short)ARRAY_SHORT.get(bytes, arrayOffset + (int)at) : data.get(SHORT, at);
    }

    private void putShortAt(final long at, final short value)
    {
        final byte[] bytes = array;
        if (null != bytes)
        {
            ARRAY_SHORT.set(bytes, arrayOffset + (int)at, value);
        }
        else
        {
            data.set(SHORT, at, value);
        }
    }

    private int getIntAt(final long at)
    {
        final byte[] bytes = array;
        return null != bytes ? (int)ARRAY_INT.get(bytes, arrayOffset + (int)at) : data.get(INT, at);
    }

    private void putIntAt(final long at, final int value)
    {
        final byte[] bytes = array;
        if (null != bytes)
        {
            ARRAY_INT.set(bytes, arrayOffset + (int)at, value);
        }
        else
        {
            data.set(INT, at, value);
        }
    }

    private long getLongAt(final long at)
    {
        final byte[] bytes = array;
        return null != bytes ? (long)ARRAY_LONG.get(bytes, arrayOffset + (int)at) : data.get(LONG, at);
    }

    private void putLongAt(final long at, final long value)
    {
        final byte[] bytes = array;
        if (null != bytes)
        {
            ARRAY_LONG.set(bytes, arrayOffset + (int)at, value);
        }
        else
        {
            data.set(LONG, at, value);
        }
    }

    private static boolean isObjectType(final int type)
    {
        return TYPE_FD == type || TYPE_BINDER == type || TYPE_HANDLE == type;
    }

    /**
     * Applies (or lifts) the compatible API's item limits.
     *
     * @param compatible true for OpenHarmony's 8192-byte limits.
     * @return this.
     */
    public IpcIoBuffer compatible(final boolean compatible)
    {
        this.compatible = compatible;
        return this;
    }

    /**
     * Lets writes that do not fit ask for more memory.
     *
     * @param expander the source of memory, or null to fail such writes.
     * @return this.
     */
    public IpcIoBuffer expander(final Expander expander)
    {
        this.expander = expander;
        return this;
    }

    /**
     * Moves a message being written to other memory (the caller has copied the written bytes there), keeping
     * positions and objects: for owners that grow or shrink their memory outside a write.
     *
     * @param newData the new data area, at least {@link #writePosition()} bytes.
     * @return false (nothing changes) when it is too small or the buffer is read-only.
     */
    public boolean relocate(final MemorySegment newData)
    {
        if (readOnly || newData.byteSize() < writePosition)
        {
            return false;
        }
        setData(newData);
        capacity = newData.byteSize();
        if (null == failure)
        {
            writeLimit = capacity;
        }
        return true;
    }

    // ---- state ----

    /**
     * The data area (the whole wrapped segment).
     *
     * @return the segment.
     */
    public MemorySegment data()
    {
        return data;
    }

    /**
     * The object table (the whole wrapped segment).
     *
     * @return the segment of 8-byte entries.
     */
    public MemorySegment offsets()
    {
        return offsets;
    }

    /**
     * Bytes written: the data length of the message.
     *
     * @return the write position.
     */
    public long writePosition()
    {
        return writePosition;
    }

    /**
     * The next byte to read.
     *
     * @return the read position.
     */
    public long readPosition()
    {
        return null == failure ? readPosition : readPositionAtFailure;
    }

    private void moveReadPosition(final long position)
    {
        if (null == failure)
        {
            readPosition = position;
        }
        else
        {
            readPositionAtFailure = position;
        }
    }

    /**
     * Bytes the data area can hold (before the expander is asked); 0 when wrapped for reading.
     *
     * @return the capacity.
     */
    public long capacity()
    {
        return capacity;
    }

    /**
     * Bytes left to read.
     *
     * @return write position - read position.
     */
    public long readableBytes()
    {
        return writePosition - readPosition();
    }

    /**
     * Whether the buffer was wrapped for reading.
     *
     * @return true for a received message.
     */
    public boolean readOnly()
    {
        return readOnly;
    }

    /**
     * Moves the write position back (or forward over written bytes); objects from there on are dropped.
     *
     * @param position 0 .. the current write position.
     * @return false when out of range or read-only (nothing changes; not a sticky failure).
     */
    public boolean rewindWrite(final long position)
    {
        if (readOnly || position < 0 || position > writePosition)
        {
            return false;
        }
        writePosition = position;
        moveReadPosition(Math.min(readPosition(), position));
        int kept = 0;
        while (kept < objectCount && objectOffset(kept) + OBJECT_SIZE <= position)
        {
            kept++;
        }
        objectCount = kept;
        readObjectIndex = Math.min(readObjectIndex, kept);
        return true;
    }

    /**
     * Moves the read position (objects are then read from the first one at or after it).
     *
     * @param position 0 .. the write position.
     * @return false when out of range (nothing changes; not a sticky failure).
     */
    public boolean rewindRead(final long position)
    {
        if (position < 0 || position > writePosition)
        {
            return false;
        }
        moveReadPosition(position);
        int index = 0;
        while (index < objectCount && objectOffset(index) < position)
        {
            index++;
        }
        readObjectIndex = index;
        return true;
    }

    /**
     * Whether an operation failed (and every later one will, until {@link #clearFailure()}).
     *
     * @return true after a failure.
     */
    public boolean failed()
    {
        return null != failure;
    }

    /**
     * Why the first failure happened.
     *
     * @return the reason, or null.
     */
    public IpcIoFailure failure()
    {
        return failure;
    }

    /**
     * The failure's first number (see {@link IpcIoFailure}).
     *
     * @return the value.
     */
    public long failureValue()
    {
        return failureValue;
    }

    /**
     * The failure's second number (see {@link IpcIoFailure}).
     *
     * @return the limit.
     */
    public long failureLimit()
    {
        return failureLimit;
    }

    /**
     * A readable description of the failure (allocates).
     *
     * @return e.g. "needs 8 bytes, 4 left", or "no failure".
     */
    public String describeFailure()
    {
        return null == failure ? "no failure" : failure.describe(failureValue, failureLimit);
    }

    /**
     * Forgets the failure; positions are as they were before the failed operation.
     *
     * @return this.
     */
    public IpcIoBuffer clearFailure()
    {
        if (null != failure)
        {
            failure = null;
            readPosition = readPositionAtFailure;
            writeLimit = readOnly ? -1 : capacity;
        }
        return this;
    }

    private boolean fail(final IpcIoFailure reason, final long value, final long limit)
    {
        if (null == failure)
        {
            failure = reason;
            failureValue = value;
            failureLimit = limit;
            readPositionAtFailure = readPosition;
            readPosition = POISONED;
            writeLimit = -1;
        }
        return false;
    }

    // ---- claiming room ----

    /** Room for size bytes at the write position; the expander is asked when they do not fit. */
    private boolean claim(final long size)
    {
        return writePosition + size <= writeLimit || claimSlow(size, 0);
    }

    private boolean claimSlow(final long size, final int objects)
    {
        if (null != failure)
        {
            return false;
        }
        if (readOnly)
        {
            return fail(IpcIoFailure.READ_ONLY, 0, 0);
        }
        final long needed = writePosition + size;
        if (needed > capacity)
        {
            final MemorySegment grown = null == expander ? null : expander.expandData(data, writePosition, needed);
            if (null == grown || grown.byteSize() < needed)
            {
                return fail(IpcIoFailure.NO_SPACE, size, capacity - writePosition);
            }
            setData(grown);
            capacity = grown.byteSize();
            writeLimit = capacity;
        }
        if (objectCount + objects > maxObjects)
        {
            final MemorySegment grown =
                null == expander ? null : expander.expandObjects(offsets, objectCount, objectCount + objects);
            if (null == grown || grown.byteSize() / OFFSET_ENTRY_SIZE < objectCount + objects)
            {
                return fail(IpcIoFailure.OBJECT_TABLE_FULL, objectCount + objects, maxObjects);
            }
            offsets = grown;
            maxObjects = (int)Math.min(Integer.MAX_VALUE, grown.byteSize() / OFFSET_ENTRY_SIZE);
        }
        return true;
    }

    private boolean canRead(final long size)
    {
        return size <= writePosition - readPosition;
    }

    private boolean readFailure(final long size)
    {
        return fail(IpcIoFailure.END_OF_DATA, size, writePosition - readPosition);
    }

    // ---- scalars ----

    // The primitive paths are written out flat (no helper between the public method and the memory access):
    // each level of calls is one more step the JIT must inline, and a missed inline costs more than the access.

    private boolean putInt(final int value)
    {
        final long at = writePosition;
        if (at + 4 <= writeLimit || claimSlow(4, 0))
        {
            putIntAt(at, value);
            writePosition = at + 4;
            return true;
        }
        return false;
    }

    private boolean putLong(final long value)
    {
        final long at = writePosition;
        if (at + 8 <= writeLimit || claimSlow(8, 0))
        {
            putLongAt(at, value);
            writePosition = at + 8;
            return true;
        }
        return false;
    }

    /**
     * {@code WriteBool}: an int32 slot holding 0 or 1.
     *
     * @param value the value.
     * @return false on failure.
     */
    public boolean writeBool(final boolean value)
    {
        return putInt(value ? 1 : 0);
    }

    /**
     * {@code WriteInt8}: sign-extended to an int32 slot.
     *
     * @param value the value.
     * @return false on failure.
     */
    public boolean writeInt8(final byte value)
    {
        return putInt(value);
    }

    /**
     * {@code WriteInt16}: sign-extended to an int32 slot.
     *
     * @param value the value.
     * @return false on failure.
     */
    public boolean writeInt16(final short value)
    {
        return putInt(value);
    }

    /**
     * {@code WriteInt32} (and {@code WriteUint32}: the same bytes).
     *
     * @param value the value.
     * @return false on failure.
     */
    public boolean writeInt32(final int value)
    {
        final long at = writePosition;
        if (at + 4 <= writeLimit || claimSlow(4, 0))
        {
            putIntAt(at, value);
            writePosition = at + 4;
            return true;
        }
        return false;
    }

    /**
     * {@code WriteInt64} (and {@code WriteUint64}: the same bytes).
     *
     * @param value the value.
     * @return false on failure.
     */
    public boolean writeInt64(final long value)
    {
        final long at = writePosition;
        if (at + 8 <= writeLimit || claimSlow(8, 0))
        {
            putLongAt(at, value);
            writePosition = at + 8;
            return true;
        }
        return false;
    }

    /**
     * {@code WriteUint8}: zero-extended to an int32 slot.
     *
     * @param value the low 8 bits are written.
     * @return false on failure.
     */
    public boolean writeUint8(final int value)
    {
        return putInt(value & 0xff);
    }

    /**
     * {@code WriteUint16}: zero-extended to an int32 slot.
     *
     * @param value the low 16 bits are written.
     * @return false on failure.
     */
    public boolean writeUint16(final int value)
    {
        return putInt(value & 0xffff);
    }

    /**
     * {@code WriteFloat}.
     *
     * @param value the value (its raw bits are written).
     * @return false on failure.
     */
    public boolean writeFloat(final float value)
    {
        return putInt(Float.floatToRawIntBits(value));
    }

    /**
     * {@code WriteDouble}.
     *
     * @param value the value (its raw bits are written).
     * @return false on failure.
     */
    public boolean writeDouble(final double value)
    {
        return putLong(Double.doubleToRawLongBits(value));
    }

    /**
     * {@code WritePointer} on a 64-bit process: 8 bytes, meaningful only inside the writing process.
     *
     * @param value the pointer value.
     * @return false on failure.
     */
    public boolean writePointer(final long value)
    {
        return putLong(value);
    }

    private boolean putUnaligned(final int value, final int size)
    {
        if (!claim(size))
        {
            return false;
        }
        final long at = writePosition;
        if (1 == size)
        {
            putByteAt(at, (byte)value);
        }
        else
        {
            putShortAt(at, (short)value);
        }
        writePosition = at + size;
        return true;
    }

    /**
     * {@code WriteBoolUnaligned}: one byte.
     *
     * @param value the value.
     * @return false on failure.
     */
    public boolean writeBoolUnaligned(final boolean value)
    {
        return putUnaligned(value ? 1 : 0, 1);
    }

    /**
     * {@code WriteInt8Unaligned} (and {@code WriteUint8Unaligned}): one byte.
     *
     * @param value the value.
     * @return false on failure.
     */
    public boolean writeInt8Unaligned(final byte value)
    {
        return putUnaligned(value, 1);
    }

    /**
     * {@code WriteInt16Unaligned} (and {@code WriteUint16Unaligned}): two bytes.
     *
     * @param value the value.
     * @return false on failure.
     */
    public boolean writeInt16Unaligned(final short value)
    {
        return putUnaligned(value, 2);
    }

    private int getInt()
    {
        final long at = readPosition;
        if (4 <= writePosition - at)
        {
            readPosition = at + 4;
            return getIntAt(at);
        }
        readFailure(4);
        return 0;
    }

    private long getLong()
    {
        final long at = readPosition;
        if (8 <= writePosition - at)
        {
            readPosition = at + 8;
            return getLongAt(at);
        }
        readFailure(8);
        return 0;
    }

    /**
     * {@code ReadBool}: the slot's first byte, non-zero meaning true.
     *
     * @return the value (false on failure).
     */
    public boolean readBool()
    {
        return 0 != (byte)getInt();
    }

    /**
     * {@code ReadInt8}: the slot's first byte.
     *
     * @return the value (0 on failure).
     */
    public byte readInt8()
    {
        return (byte)getInt();
    }

    /**
     * {@code ReadInt16}: the slot's first two bytes.
     *
     * @return the value (0 on failure).
     */
    public short readInt16()
    {
        return (short)getInt();
    }

    /**
     * {@code ReadInt32} (and {@code ReadUint32}: the same bits).
     *
     * @return the value (0 on failure).
     */
    public int readInt32()
    {
        final long at = readPosition;
        if (4 <= writePosition - at)
        {
            readPosition = at + 4;
            return getIntAt(at);
        }
        readFailure(4);
        return 0;
    }

    /**
     * {@code ReadInt64} (and {@code ReadUint64}: the same bits).
     *
     * @return the value (0 on failure).
     */
    public long readInt64()
    {
        final long at = readPosition;
        if (8 <= writePosition - at)
        {
            readPosition = at + 8;
            return getLongAt(at);
        }
        readFailure(8);
        return 0;
    }

    /**
     * {@code ReadUint8}.
     *
     * @return 0..255 (0 on failure).
     */
    public int readUint8()
    {
        return getInt() & 0xff;
    }

    /**
     * {@code ReadUint16}.
     *
     * @return 0..65535 (0 on failure).
     */
    public int readUint16()
    {
        return getInt() & 0xffff;
    }

    /**
     * {@code ReadFloat}.
     *
     * @return the value (0 on failure).
     */
    public float readFloat()
    {
        return Float.intBitsToFloat(getInt());
    }

    /**
     * {@code ReadDouble}.
     *
     * @return the value (0 on failure).
     */
    public double readDouble()
    {
        return Double.longBitsToDouble(getLong());
    }

    /**
     * {@code ReadPointer} on a 64-bit process.
     *
     * @return the value (0 on failure).
     */
    public long readPointer()
    {
        return getLong();
    }

    private int getUnaligned(final int size)
    {
        if (!canRead(size))
        {
            readFailure(size);
            return 0;
        }
        final long at = readPosition;
        readPosition = at + size;
        return 1 == size ? getByteAt(at) : getShortAt(at);
    }

    /**
     * {@code ReadBoolUnaligned}.
     *
     * @return the value (false on failure).
     */
    public boolean readBoolUnaligned()
    {
        return 0 != getUnaligned(1);
    }

    /**
     * {@code ReadInt8Unaligned} (and {@code ReadUInt8Unaligned} with {@code & 0xff}).
     *
     * @return the value (0 on failure).
     */
    public byte readInt8Unaligned()
    {
        return (byte)getUnaligned(1);
    }

    /**
     * {@code ReadInt16Unaligned} (and {@code ReadUInt16Unaligned} with {@code & 0xffff}).
     *
     * @return the value (0 on failure).
     */
    public short readInt16Unaligned()
    {
        return (short)getUnaligned(2);
    }

    // ---- strings ----

    /**
     * {@code WriteString}: the UTF-8 encoding with a uint32 length, a NUL and zero padding. Text with an
     * unpaired surrogate (which UTF-8 cannot carry) fails with {@link IpcIoFailure#MALFORMED_TEXT}.
     *
     * @param value the text.
     * @return false on failure.
     */
    public boolean writeString(final String value)
    {
        final int chars = value.length();
        final long item = 4 + align(chars + 1L);
        final long at = writePosition;
        // ASCII, the common case: UTF-8 is one byte per char. Checked in full first, so a string that is not
        // ASCII leaves the memory as it was for the slow path.
        if (at + item <= writeLimit && (!compatible || chars < COMPATIBLE_MAX_SIZE) && isAscii(value, chars))
        {
            // The last int of the item holds the NUL and the padding: zeroed first, the text overwrites its front.
            putIntAt(at + item - 4, 0);
            putIntAt(at, chars);
            putAscii(at + 4, value, chars);
            writePosition = at + item;
            return true;
        }
        return writeStringSlow(value);
    }

    /** Whether every char is below 0x80: one branch-free pass (OR of all chars), no early exit to predict. */
    private static boolean isAscii(final String value, final int chars)
    {
        int bits = 0;
        for (int i = 0; i < chars; i++)
        {
            bits |= value.charAt(i);
        }
        return bits < 0x80;
    }

    /**
     * Copies ASCII text (checked by {@link #isAscii}) one byte per char, in bulk. Into a heap array:
     * {@code String.getBytes(int, int, byte[], int)} keeps the low 8 bits of each char, which is exact for ASCII,
     * and copies a compact string's bytes with an array copy, allocating nothing. Into other memory:
     * {@code setString} in Latin-1, also a plain copy for a compact string (it writes the NUL too, which is the
     * item's anyway).
     */
    @SuppressWarnings("deprecation")
    private void putAscii(final long at, final String value, final int chars)
    {
        final byte[] bytes = array;
        if (null != bytes)
        {
            value.getBytes(0, chars, bytes, arrayOffset + (int)at);
            return;
        }
        // An ASCII string is a compact (Latin-1) one, whose bytes setString copies as they are, then the NUL.
        data.setString(at, value, StandardCharsets.ISO_8859_1);
    }

    private boolean writeStringSlow(final String value)
    {
        final long length = Utf8.encodedLength(value);
        if (length < 0)
        {
            return fail(IpcIoFailure.MALFORMED_TEXT, -1 - length, 0);
        }
        final long limit = compatible ? COMPATIBLE_MAX_SIZE - 1 : UINT32_MAX - 1;
        if (length > limit)
        {
            return fail(IpcIoFailure.TOO_LONG, length, limit);
        }
        final long item = 4 + align(length + 1);
        if (!claim(item))
        {
            return false;
        }
        final long at = writePosition;
        putIntAt(at + item - 4, 0);
        putIntAt(at, (int)length);
        Utf8.encode(value, data, at + 4);
        writePosition = at + item;
        return true;
    }

    /**
     * {@code ReadString} without copying: points view at the bytes inside the message. Checks the length
     * against the data and the limit, and that the NUL is there.
     *
     * @param view the view to point.
     * @return false on failure (the view is unchanged).
     */
    public boolean readString(final IpcIoStringView view)
    {
        final long length = stringLength();
        if (length < 0)
        {
            return false;
        }
        final long at = readPosition;
        view.wrap(data, at + 4, length);
        readPosition = at + 4 + align(length + 1);
        return true;
    }

    /**
     * {@code ReadString}, decoded into a Java String (allocates the String).
     *
     * @return the text, or null on failure.
     */
    public String readString()
    {
        final long length = stringLength();
        if (length < 0)
        {
            return null;
        }
        if (length > MAX_JAVA_ARRAY)
        {
            fail(IpcIoFailure.TOO_LONG, length, MAX_JAVA_ARRAY);
            return null;
        }
        final long at = readPosition;
        final int size = (int)length;
        readPosition = at + 4 + align(length + 1);
        final byte[] bytes = array;
        if (null != bytes)
        {
            return new String(bytes, arrayOffset + (int)at + 4, size, StandardCharsets.UTF_8);
        }
        final byte[] scratch = byteScratch(size);
        MemorySegment.copy(data, BYTE, at + 4, scratch, 0, size);
        return new String(scratch, 0, size, StandardCharsets.UTF_8);
    }

    /** Validates the UTF-8 string at the read position; its length, or -1 (failed). */
    private long stringLength()
    {
        if (!canRead(4))
        {
            readFailure(4);
            return -1;
        }
        final long at = readPosition;
        final long length = getIntAt(at) & UINT32_MAX;
        final long limit = compatible ? COMPATIBLE_MAX_SIZE : UINT32_MAX - 1;
        if (length > limit)
        {
            fail(IpcIoFailure.TOO_LONG, length, limit);
            return -1;
        }
        final long item = 4 + align(length + 1);
        if (!canRead(item))
        {
            readFailure(item);
            return -1;
        }
        if (0 != getByteAt(at + 4 + length))
        {
            fail(IpcIoFailure.NO_TERMINATOR, length, 0);
            return -1;
        }
        return length;
    }

    /**
     * {@code WriteString16}: UTF-16 units with a uint32 length, a NUL unit and zero padding. Unlike the C
     * writer (which refuses it, as OpenHarmony's does) an empty string is written: the format allows it.
     *
     * @param value the text (any UTF-16, unpaired surrogates included).
     * @return false on failure.
     */
    public boolean writeString16(final String value)
    {
        final int units = value.length();
        if (compatible && units > COMPATIBLE_MAX_STRING16)
        {
            return fail(IpcIoFailure.TOO_LONG, units, COMPATIBLE_MAX_STRING16);
        }
        final long item = 4 + align((units + 1L) * 2);
        if (!claim(item))
        {
            return false;
        }
        final long at = writePosition;
        putIntAt(at + item - 4, 0);
        putIntAt(at, units);
        final char[] scratch = charScratch(units);
        value.getChars(0, units, scratch, 0);
        MemorySegment.copy(scratch, 0, data, CHAR, at + 4, units);
        writePosition = at + item;
        return true;
    }

    /**
     * {@code WriteInterfaceToken}: the same bytes as {@link #writeString16}.
     *
     * @param value the token.
     * @return false on failure.
     */
    public boolean writeInterfaceToken(final String value)
    {
        return writeString16(value);
    }

    /**
     * {@code ReadString16}, as a Java String (allocates the String).
     *
     * @return the text, or null on failure.
     */
    public String readString16()
    {
        if (!canRead(4))
        {
            readFailure(4);
            return null;
        }
        final long at = readPosition;
        final long units = getIntAt(at) & UINT32_MAX;
        final long limit = compatible ? COMPATIBLE_MAX_STRING16 : MAX_JAVA_ARRAY;
        if (units > limit)
        {
            fail(IpcIoFailure.TOO_LONG, units, limit);
            return null;
        }
        final long item = 4 + align((units + 1) * 2);
        if (!canRead(item))
        {
            readFailure(item);
            return null;
        }
        if (0 != getShortAt(at + 4 + units * 2))
        {
            fail(IpcIoFailure.NO_TERMINATOR, units, 0);
            return null;
        }
        final char[] scratch = charScratch((int)units);
        MemorySegment.copy(data, CHAR, at + 4, scratch, 0, (int)units);
        readPosition = at + item;
        return new String(scratch, 0, (int)units);
    }

    /**
     * {@code ReadInterfaceToken}: the same as {@link #readString16}.
     *
     * @return the token, or null on failure.
     */
    public String readInterfaceToken()
    {
        return readString16();
    }

    private byte[] byteScratch(final int size)
    {
        if (byteScratch.length < size)
        {
            byteScratch = new byte[Math.max(size, byteScratch.length * 2)];
        }
        return byteScratch;
    }

    private char[] charScratch(final int size)
    {
        if (charScratch.length < size)
        {
            charScratch = new char[Math.max(size, charScratch.length * 2)];
        }
        return charScratch;
    }

    // ---- buffers and raw data ----

    /**
     * {@code WriteBuffer}: the bytes zero-padded to 4, without a length (the reader must know it).
     *
     * @param source the bytes (1.. bytes; at most 8192 when compatible).
     * @return false on failure.
     */
    public boolean writeBuffer(final MemorySegment source)
    {
        final long size = source.byteSize();
        if (0 == size)
        {
            return fail(IpcIoFailure.EMPTY, 0, 1);
        }
        if (compatible && size > COMPATIBLE_MAX_SIZE)
        {
            return fail(IpcIoFailure.TOO_LONG, size, COMPATIBLE_MAX_SIZE);
        }
        final long item = align(size);
        if (!claim(item))
        {
            return false;
        }
        final long at = writePosition;
        data.set(INT, at + item - 4, 0);
        MemorySegment.copy(source, 0, data, at, size);
        writePosition = at + item;
        return true;
    }

    /**
     * {@code ReadBuffer}: a view of size bytes inside the message (the slice object is allocated).
     *
     * @param size the number of bytes (1..).
     * @return the view, or null on failure.
     */
    public MemorySegment readBuffer(final long size)
    {
        if (size <= 0)
        {
            fail(IpcIoFailure.EMPTY, size, 1);
            return null;
        }
        final long item = align(size);
        if (!canRead(item))
        {
            readFailure(item);
            return null;
        }
        final long at = readPosition;
        readPosition = at + item;
        return data.asSlice(at, size);
    }

    /**
     * {@code WriteRawData} inline: a uint32 size, then the bytes zero-padded to 4. Larger raw data goes
     * through {@link #writeRawDataFd}.
     *
     * @param source the bytes: 1..32768 (1..8192 when compatible).
     * @return false on failure.
     */
    public boolean writeRawData(final MemorySegment source)
    {
        final long size = source.byteSize();
        if (0 == size)
        {
            return fail(IpcIoFailure.EMPTY, 0, 1);
        }
        final long limit = compatible ? COMPATIBLE_MAX_SIZE : RAW_DATA_INLINE_MAX;
        if (size > limit)
        {
            return fail(IpcIoFailure.TOO_LONG, size, limit);
        }
        final long item = 4 + align(size);
        if (!claim(item))
        {
            return false;
        }
        final long at = writePosition;
        data.set(INT, at + item - 4, 0);
        data.set(INT, at, (int)size);
        MemorySegment.copy(source, 0, data, at + 4, size);
        writePosition = at + item;
        return true;
    }

    /**
     * {@code ReadRawData} inline: a view of the bytes if the stored size equals size.
     *
     * @param size the expected size: 1..32768 (1..8192 when compatible).
     * @return the view, or null on failure.
     */
    public MemorySegment readRawData(final long size)
    {
        final long limit = compatible ? COMPATIBLE_MAX_SIZE : RAW_DATA_INLINE_MAX;
        if (size <= 0 || size > limit)
        {
            fail(size <= 0 ? IpcIoFailure.EMPTY : IpcIoFailure.TOO_LONG, size, size <= 0 ? 1 : limit);
            return null;
        }
        if (!canRead(4))
        {
            readFailure(4);
            return null;
        }
        final long at = readPosition;
        final long stored = data.get(INT, at) & UINT32_MAX;
        if (stored != size)
        {
            fail(IpcIoFailure.SIZE_MISMATCH, stored, size);
            return null;
        }
        final long item = 4 + align(size);
        if (!canRead(item))
        {
            readFailure(item);
            return null;
        }
        readPosition = at + item;
        return data.asSlice(at + 4, size);
    }

    /**
     * {@code WriteRawData} above the inline limit: a uint32 size, then an fd object naming a sealed memfd that
     * holds the bytes ({@link IpcIoRawData#create}). The fd stays the caller's.
     *
     * @param size the raw data's size: 32769..134217728.
     * @param fd   the sealed memfd.
     * @return false on failure.
     */
    public boolean writeRawDataFd(final long size, final int fd)
    {
        if (compatible || size <= RAW_DATA_INLINE_MAX || size > RAW_DATA_MAX)
        {
            return fail(IpcIoFailure.OUT_OF_RANGE, size, compatible ? COMPATIBLE_MAX_SIZE : RAW_DATA_MAX);
        }
        if (fd < 0)
        {
            return fail(IpcIoFailure.OUT_OF_RANGE, fd, Integer.MAX_VALUE);
        }
        final long record = pushObject(4);
        if (record < 0)
        {
            return false;
        }
        data.set(INT, record - 4, (int)size);
        putRecord(record, TYPE_FD, fd, 1);
        return true;
    }

    /**
     * {@code ReadRawData} above the inline limit: checks the stored size and takes the fd object after it.
     * Mapping the memfd is the caller's ({@link IpcIoRawData#map}).
     *
     * @param size the expected size: 32769..134217728.
     * @return the fd as written in the record (installed by the transport), or -1 on failure.
     */
    public int readRawDataFd(final long size)
    {
        if (compatible || size <= RAW_DATA_INLINE_MAX || size > RAW_DATA_MAX)
        {
            fail(IpcIoFailure.OUT_OF_RANGE, size, compatible ? COMPATIBLE_MAX_SIZE : RAW_DATA_MAX);
            return -1;
        }
        if (!canRead(4))
        {
            readFailure(4);
            return -1;
        }
        final long stored = data.get(INT, readPosition) & UINT32_MAX;
        if (stored != size)
        {
            fail(IpcIoFailure.SIZE_MISMATCH, stored, size);
            return -1;
        }
        final long record = popObject(TYPE_FD, 4);
        return record < 0 ? -1 : fdOf(readObjectIndex - 1, record);
    }

    // ---- vectors ----

    private long putVectorHeader(final int count, final long elementBytes)
    {
        final long item = 4 + (long)count * elementBytes;
        if (!claim(item))
        {
            return -1;
        }
        final long at = writePosition;
        putIntAt(at, count);
        writePosition = at + item;
        return at + 4;
    }

    /**
     * {@code WriteBoolVector}: a count, then one int32 slot (0 or 1) per element. Empty vectors are written
     * (the C writer refuses them; the format allows them).
     *
     * @param values the elements.
     * @return false on failure.
     */
    public boolean writeBoolVector(final boolean[] values)
    {
        final long at = putVectorHeader(values.length, 4);
        for (int i = 0; i < values.length && at >= 0; i++)
        {
            putIntAt(at + 4L * i, values[i] ? 1 : 0);
        }
        return at >= 0;
    }

    /**
     * {@code WriteInt16Vector}: a count, then one sign-extended int32 slot per element.
     *
     * @param values the elements.
     * @return false on failure.
     */
    public boolean writeInt16Vector(final short[] values)
    {
        final long at = putVectorHeader(values.length, 4);
        for (int i = 0; i < values.length && at >= 0; i++)
        {
            putIntAt(at + 4L * i, values[i]);
        }
        return at >= 0;
    }

    /**
     * {@code WriteInt8Vector} (and {@code WriteUInt8Vector}): a count, then the bytes, no padding.
     *
     * @param values the elements.
     * @return false on failure.
     */
    public boolean writeInt8Vector(final byte[] values)
    {
        final long at = putVectorHeader(values.length, 1);
        if (at >= 0)
        {
            MemorySegment.copy(values, 0, data, BYTE, at, values.length);
        }
        return at >= 0;
    }

    /**
     * {@code WriteUInt16Vector}: a count, then packed 16-bit units, no padding.
     *
     * @param values the elements.
     * @return false on failure.
     */
    public boolean writeUint16Vector(final char[] values)
    {
        final long at = putVectorHeader(values.length, 2);
        if (at >= 0)
        {
            MemorySegment.copy(values, 0, data, CHAR, at, values.length);
        }
        return at >= 0;
    }

    /**
     * {@code WriteInt32Vector} (and {@code WriteUInt32Vector}): a count, then packed int32s.
     *
     * @param values the elements.
     * @return false on failure.
     */
    public boolean writeInt32Vector(final int[] values)
    {
        final long at = putVectorHeader(values.length, 4);
        if (at >= 0)
        {
            MemorySegment.copy(values, 0, data, INT, at, values.length);
        }
        return at >= 0;
    }

    /**
     * {@code WriteInt64Vector} (and {@code WriteUInt64Vector}): a count, then packed int64s.
     *
     * @param values the elements.
     * @return false on failure.
     */
    public boolean writeInt64Vector(final long[] values)
    {
        final long at = putVectorHeader(values.length, 8);
        if (at >= 0)
        {
            MemorySegment.copy(values, 0, data, LONG, at, values.length);
        }
        return at >= 0;
    }

    /**
     * {@code WriteFloatVector}: a count, then packed floats.
     *
     * @param values the elements.
     * @return false on failure.
     */
    public boolean writeFloatVector(final float[] values)
    {
        final long at = putVectorHeader(values.length, 4);
        if (at >= 0)
        {
            MemorySegment.copy(values, 0, data, FLOAT, at, values.length);
        }
        return at >= 0;
    }

    /**
     * {@code WriteDoubleVector}: a count, then packed doubles.
     *
     * @param values the elements.
     * @return false on failure.
     */
    public boolean writeDoubleVector(final double[] values)
    {
        final long at = putVectorHeader(values.length, 8);
        if (at >= 0)
        {
            MemorySegment.copy(values, 0, data, DOUBLE, at, values.length);
        }
        return at >= 0;
    }

    /**
     * Checks the vector at the read position; its element count, or -1 (failed). Nothing is consumed.
     * Packed vectors of elements wider than a byte are capped at 8192 bytes when compatible, as in C.
     */
    private int vectorCount(final long slotBytes, final boolean packed)
    {
        if (!canRead(4))
        {
            readFailure(4);
            return -1;
        }
        final long count = getIntAt(readPosition) & UINT32_MAX;
        final long bytes = count * slotBytes;
        if (compatible && packed && slotBytes > 1 && bytes > COMPATIBLE_MAX_SIZE)
        {
            fail(IpcIoFailure.TOO_LONG, bytes, COMPATIBLE_MAX_SIZE);
            return -1;
        }
        if (!canRead(4 + bytes))
        {
            readFailure(4 + bytes);
            return -1;
        }
        if (count > MAX_JAVA_ARRAY)
        {
            fail(IpcIoFailure.TOO_LONG, count, MAX_JAVA_ARRAY);
            return -1;
        }
        return (int)count;
    }

    /** Checks a vector that is to go into a destination of the given length; its count, or -1 (failed). */
    private int vectorCountInto(final long slotBytes, final boolean packed, final int destinationLength)
    {
        final int count = vectorCount(slotBytes, packed);
        if (count > destinationLength)
        {
            fail(IpcIoFailure.DESTINATION_TOO_SMALL, count, destinationLength);
            return -1;
        }
        return count;
    }

    private long consumeVector(final int count, final long slotBytes)
    {
        final long at = readPosition + 4;
        readPosition = at + count * slotBytes;
        return at;
    }

    /**
     * {@code ReadBoolVector} (allocates the array, as the C reader does).
     *
     * @return the elements, or null on failure.
     */
    public boolean[] readBoolVector()
    {
        final int count = vectorCount(4, false);
        return count < 0 ? null : boolsInto(new boolean[count], count);
    }

    /**
     * {@code ReadBoolVector} into an existing array, allocating nothing.
     *
     * @param destination where the elements go (from index 0).
     * @return the element count, or -1 on failure (also when the destination is too small).
     */
    public int readBoolVector(final boolean[] destination)
    {
        final int count = vectorCountInto(4, false, destination.length);
        if (count >= 0)
        {
            boolsInto(destination, count);
        }
        return count;
    }

    private boolean[] boolsInto(final boolean[] destination, final int count)
    {
        final long at = consumeVector(count, 4);
        for (int i = 0; i < count; i++)
        {
            destination[i] = 0 != getIntAt(at + 4L * i);
        }
        return destination;
    }

    /**
     * {@code ReadInt16Vector} (allocates the array, as the C reader does).
     *
     * @return the elements, or null on failure.
     */
    public short[] readInt16Vector()
    {
        final int count = vectorCount(4, false);
        return count < 0 ? null : shortsInto(new short[count], count);
    }

    /**
     * {@code ReadInt16Vector} into an existing array, allocating nothing.
     *
     * @param destination where the elements go.
     * @return the element count, or -1 on failure.
     */
    public int readInt16Vector(final short[] destination)
    {
        final int count = vectorCountInto(4, false, destination.length);
        if (count >= 0)
        {
            shortsInto(destination, count);
        }
        return count;
    }

    private short[] shortsInto(final short[] destination, final int count)
    {
        final long at = consumeVector(count, 4);
        for (int i = 0; i < count; i++)
        {
            destination[i] = (short)getIntAt(at + 4L * i);
        }
        return destination;
    }

    private int packedInto(final ValueLayout layout, final Object destination, final int destinationLength)
    {
        final int count = vectorCountInto(layout.byteSize(), true, destinationLength);
        if (count >= 0)
        {
            MemorySegment.copy(data, layout, consumeVector(count, layout.byteSize()), destination, 0, count);
        }
        return count;
    }

    /**
     * {@code ReadInt8Vector} (and {@code ReadUInt8Vector}), copied into a new array.
     *
     * @return the elements, or null on failure.
     */
    public byte[] readInt8Vector()
    {
        final int count = vectorCount(1, true);
        return count < 0 ? null : copyPacked(BYTE, new byte[count], count);
    }

    /**
     * {@code ReadInt8Vector} into an existing array.
     *
     * @param destination where the elements go.
     * @return the element count, or -1 on failure.
     */
    public int readInt8Vector(final byte[] destination)
    {
        return packedInto(BYTE, destination, destination.length);
    }

    /**
     * {@code ReadUInt16Vector}, copied into a new array.
     *
     * @return the elements, or null on failure.
     */
    public char[] readUint16Vector()
    {
        final int count = vectorCount(2, true);
        return count < 0 ? null : copyPacked(CHAR, new char[count], count);
    }

    /**
     * {@code ReadUInt16Vector} into an existing array.
     *
     * @param destination where the elements go.
     * @return the element count, or -1 on failure.
     */
    public int readUint16Vector(final char[] destination)
    {
        return packedInto(CHAR, destination, destination.length);
    }

    /**
     * {@code ReadInt32Vector} (and {@code ReadUInt32Vector}), copied into a new array.
     *
     * @return the elements, or null on failure.
     */
    public int[] readInt32Vector()
    {
        final int count = vectorCount(4, true);
        return count < 0 ? null : copyPacked(INT, new int[count], count);
    }

    /**
     * {@code ReadInt32Vector} into an existing array.
     *
     * @param destination where the elements go.
     * @return the element count, or -1 on failure.
     */
    public int readInt32Vector(final int[] destination)
    {
        return packedInto(INT, destination, destination.length);
    }

    /**
     * {@code ReadInt64Vector} (and {@code ReadUInt64Vector}), copied into a new array.
     *
     * @return the elements, or null on failure.
     */
    public long[] readInt64Vector()
    {
        final int count = vectorCount(8, true);
        return count < 0 ? null : copyPacked(LONG, new long[count], count);
    }

    /**
     * {@code ReadInt64Vector} into an existing array.
     *
     * @param destination where the elements go.
     * @return the element count, or -1 on failure.
     */
    public int readInt64Vector(final long[] destination)
    {
        return packedInto(LONG, destination, destination.length);
    }

    /**
     * {@code ReadFloatVector}, copied into a new array.
     *
     * @return the elements, or null on failure.
     */
    public float[] readFloatVector()
    {
        final int count = vectorCount(4, true);
        return count < 0 ? null : copyPacked(FLOAT, new float[count], count);
    }

    /**
     * {@code ReadFloatVector} into an existing array.
     *
     * @param destination where the elements go.
     * @return the element count, or -1 on failure.
     */
    public int readFloatVector(final float[] destination)
    {
        return packedInto(FLOAT, destination, destination.length);
    }

    /**
     * {@code ReadDoubleVector}, copied into a new array.
     *
     * @return the elements, or null on failure.
     */
    public double[] readDoubleVector()
    {
        final int count = vectorCount(8, true);
        return count < 0 ? null : copyPacked(DOUBLE, new double[count], count);
    }

    /**
     * {@code ReadDoubleVector} into an existing array.
     *
     * @param destination where the elements go.
     * @return the element count, or -1 on failure.
     */
    public int readDoubleVector(final double[] destination)
    {
        return packedInto(DOUBLE, destination, destination.length);
    }

    private <T> T copyPacked(final ValueLayout layout, final T destination, final int count)
    {
        MemorySegment.copy(data, layout, consumeVector(count, layout.byteSize()), destination, 0, count);
        return destination;
    }

    // ---- objects ----

    /**
     * Claims room for an item of extraBefore bytes plus a record, and a table entry; returns the record's
     * position (the table entry is written), or -1 (failed).
     */
    private long pushObject(final int extraBefore)
    {
        final long item = extraBefore + OBJECT_SIZE;
        if (!((writePosition + item <= writeLimit && objectCount < maxObjects) ||
            claimSlow(item, 1)))
        {
            return -1;
        }
        final long record = writePosition + extraBefore;
        offsets.set(LONG, (long)objectCount * OFFSET_ENTRY_SIZE, record);
        objects.set(objectCount, record, 0, IpcIoObjectTable.NO_FD);
        objectCount++;
        writePosition += item;
        return record;
    }

    /** Writes the record of the object just pushed (and notes its type and fd privately). */
    private void putRecord(final long record, final int type, final int handleOrFd, final long cookie)
    {
        objects.describe(objectCount - 1, type, TYPE_FD == type ? handleOrFd : IpcIoObjectTable.NO_FD);
        data.set(INT, record + OBJECT_TYPE_OFFSET, type);
        data.set(INT, record + OBJECT_FLAGS_OFFSET, OBJECT_FLAGS);
        data.set(LONG, record + OBJECT_BINDER_OFFSET, handleOrFd & UINT32_MAX);
        data.set(LONG, record + OBJECT_COOKIE_OFFSET, cookie);
    }

    /**
     * Takes the record after skipBefore bytes at the read position, which must be the next table entry and of
     * the type (0: any remote object); returns its position, or -1 (failed). Nothing moves on failure.
     */
    private long popObject(final int type, final int skipBefore)
    {
        final long item = skipBefore + OBJECT_SIZE;
        if (!canRead(item))
        {
            readFailure(item);
            return -1;
        }
        final long record = readPosition + skipBefore;
        if (readObjectIndex >= objectCount || objectOffset(readObjectIndex) != record)
        {
            fail(IpcIoFailure.NOT_AN_OBJECT, record, 0);
            return -1;
        }
        final int actual = objects.type(readObjectIndex);
        final boolean matches = 0 == type ? TYPE_BINDER == actual || TYPE_HANDLE == actual : type == actual;
        if (!matches)
        {
            fail(IpcIoFailure.WRONG_OBJECT_TYPE, actual, 0);
            return -1;
        }
        readPosition += item;
        readObjectIndex++;
        return record;
    }

    /**
     * {@code WriteFileDescriptor}: an fd record and its table entry. The fd is not duplicated or owned: it must
     * stay open until the message is sent (the transport passes it with SCM_RIGHTS).
     *
     * @param fd the descriptor (0..).
     * @return false on failure.
     */
    public boolean writeFileDescriptor(final int fd)
    {
        if (fd < 0)
        {
            return fail(IpcIoFailure.OUT_OF_RANGE, fd, Integer.MAX_VALUE);
        }
        final long record = pushObject(0);
        if (record < 0)
        {
            return false;
        }
        putRecord(record, TYPE_FD, fd, 1);
        return true;
    }

    /**
     * {@code ReadFileDescriptor}: the fd record at the read position (it must be the next table entry).
     *
     * @return the fd (in a received message, the one installed from SCM_RIGHTS), or -1 on failure.
     */
    public int readFileDescriptor()
    {
        final long record = popObject(TYPE_FD, 0);
        return record < 0 ? -1 : fdOf(readObjectIndex - 1, record);
    }

    /**
     * The fd of an fd object just read: the one this buffer wrote, or the one installed into a received message
     * (kept privately: the number in the record is the sender's to rewrite, and could name any fd of ours). Only a
     * message wrapped for reading without installed fds (local bytes) gives the number in its record.
     */
    private int fdOf(final int index, final long record)
    {
        return readOnly && !objects.fdsInstalled() ? data.get(INT, record + OBJECT_BINDER_OFFSET) : objects.fd(index);
    }

    /**
     * {@code WriteRemoteObject}: a local object (handle &lt;= 0: token and cookie kept in full) or a handle
     * (handle &gt; 0: the token must fit 32 bits).
     *
     * @param handle the handle.
     * @param token  the token.
     * @param cookie the cookie.
     * @return false on failure.
     */
    public boolean writeRemoteObject(final int handle, final long token, final long cookie)
    {
        if (handle > 0 && (token < 0 || token > UINT32_MAX))
        {
            return fail(IpcIoFailure.OUT_OF_RANGE, token, UINT32_MAX);
        }
        final long record = pushObject(0);
        if (record < 0)
        {
            return false;
        }
        if (handle <= 0)
        {
            putRecord(record, TYPE_BINDER, 0, cookie);
            data.set(LONG, record + OBJECT_BINDER_OFFSET, token);
        }
        else
        {
            putRecord(record, TYPE_HANDLE, handle, cookie);
            data.set(INT, record + OBJECT_HANDLE_TOKEN_OFFSET, (int)token);
        }
        return true;
    }

    /**
     * {@code ReadRemoteObject} into a holder.
     *
     * @param identity filled on success.
     * @return false on failure.
     */
    public boolean readRemoteObject(final SvcIdentity identity)
    {
        final long record = popObject(0, 0);
        if (record < 0)
        {
            return false;
        }
        final long cookie = data.get(LONG, record + OBJECT_COOKIE_OFFSET);
        if (TYPE_BINDER == objects.type(readObjectIndex - 1))
        {
            identity.set(INVALID_HANDLE, data.get(LONG, record + OBJECT_BINDER_OFFSET), cookie);
        }
        else
        {
            identity.set(
                data.get(INT, record + OBJECT_BINDER_OFFSET),
                data.get(INT, record + OBJECT_HANDLE_TOKEN_OFFSET) & UINT32_MAX,
                cookie);
        }
        return true;
    }

    /**
     * Objects in the message: written so far, or received.
     *
     * @return the table's used entries.
     */
    public int objectCount()
    {
        return objectCount;
    }

    /**
     * Index of the next object a read takes.
     *
     * @return 0 .. objectCount().
     */
    public int nextObjectIndex()
    {
        return readObjectIndex;
    }

    /**
     * Byte offset of an object's record.
     *
     * @param index 0 .. objectCount() - 1.
     * @return the offset from the first data byte.
     */
    public long objectOffset(final int index)
    {
        checkObjectIndex(index);
        return objects.offset(index);
    }

    private void checkObjectIndex(final int index)
    {
        if (index < 0 || index >= objectCount)
        {
            throw new IndexOutOfBoundsException("object index " + index + " must be 0.." + (objectCount - 1));
        }
    }

    /**
     * Type of an object's record.
     *
     * @param index 0 .. objectCount() - 1.
     * @return one of the {@code IpcIoFormat.TYPE_*} values.
     */
    public int objectType(final int index)
    {
        checkObjectIndex(index);
        return objects.type(index);
    }

    /**
     * How many objects are fds.
     *
     * @return the count.
     */
    public int fdCount()
    {
        return objects.fdCount(objectCount);
    }

    /**
     * The fd numbers of the fd objects in table order: what a sender passes as SCM_RIGHTS. They are the numbers
     * this buffer wrote, kept privately: a slot's records may have been rewritten by the peer since, and sending
     * whatever a record says now would hand the peer any fd of ours.
     *
     * @param destination room for {@link #fdCount()} numbers.
     * @return the number of fds, or -1 when the destination is too small (nothing written).
     */
    public int collectFds(final int[] destination)
    {
        final int count = fdCount();
        if (count > destination.length)
        {
            return -1;
        }
        int next = 0;
        for (int i = 0; i < objectCount; i++)
        {
            if (TYPE_FD == objects.type(i))
            {
                destination[next++] = objects.fd(i);
            }
        }
        return count;
    }

    /**
     * Receiver side: gives the fd objects, in table order, the fd numbers received beside the message; reads of
     * them ({@link #readFileDescriptor}, {@link #readRawDataFd}) return these numbers from then on, whatever the
     * records say. The records are rewritten too (as the LiteOS-A kernel renumbers fds). Ownership is the caller's
     * business (a MessageSequence tracks it).
     *
     * @param fds   the received fds.
     * @param count how many; must equal {@link #fdCount()}.
     * @return false (and nothing changed) when the count differs or an fd is negative.
     */
    public boolean installFds(final int[] fds, final int count)
    {
        if (count < 0 || count > fds.length)
        {
            return false;
        }
        for (int i = 0; i < count; i++)
        {
            if (fds[i] < 0)
            {
                return false;
            }
        }
        if (!objects.install(objectCount, fds, count))
        {
            return false;
        }
        for (int i = 0; i < objectCount; i++)
        {
            if (TYPE_FD == objects.type(i))
            {
                data.set(INT, objects.offset(i) + OBJECT_BINDER_OFFSET, objects.fd(i));
            }
        }
        return true;
    }

    @Override
    public String toString()
    {
        return "IpcIoBuffer{write=" + writePosition + ", read=" + readPosition() + ", capacity=" + capacity +
            ", objects=" + objectCount + ", failure=" + (null == failure ? "none" : describeFailure()) + "}";
    }
}
