package io.harmonia.bindings.ipc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpcIoBufferTest
{
    private static IpcIoBuffer writer(final int size, final int objects)
    {
        return new IpcIoBuffer().wrapForWriting(
            MemorySegment.ofArray(new byte[size]), MemorySegment.ofArray(new byte[objects * 8]));
    }

    private static IpcIoBuffer reader(final byte[] data)
    {
        return new IpcIoBuffer().wrapForReading(MemorySegment.ofArray(data), data.length, MemorySegment.NULL, 0);
    }

    private static byte[] le(final int... words)
    {
        final MemorySegment bytes = MemorySegment.ofArray(new byte[words.length * 4]);
        for (int i = 0; i < words.length; i++)
        {
            bytes.set(ValueLayout.JAVA_INT_UNALIGNED, 4L * i, words[i]);
        }
        return bytes.toArray(ValueLayout.JAVA_BYTE);
    }

    private static byte[] written(final IpcIoBuffer buffer)
    {
        return buffer.data().asSlice(0, buffer.writePosition()).toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void shouldWidenSmallValuesAndPadItemsWithoutAligningTheCursor()
    {
        final IpcIoBuffer buffer = writer(64, 0);
        assertTrue(buffer.writeInt8((byte)-1));
        assertTrue(buffer.writeInt8Unaligned((byte)7));
        assertTrue(buffer.writeInt32(0x01020304));
        assertTrue(buffer.writeString("ab"));
        assertArrayEquals(new byte[] {-1, -1, -1, -1, 7, 4, 3, 2, 1, 2, 0, 0, 0, 'a', 'b', 0, 0}, written(buffer));
        assertEquals(-1, buffer.readInt8());
        assertEquals(7, buffer.readInt8Unaligned());
        assertEquals(0x01020304, buffer.readInt32());
        assertEquals("ab", buffer.readString());
        assertEquals(0, buffer.readableBytes());
    }

    /** Reliability test 1: hostile buffers are refused with a reason, and nothing moves. */
    @Test
    void shouldRefuseHostileBuffers()
    {
        final byte[] allOnes = new byte[64];
        Arrays.fill(allOnes, (byte)0xff);
        assertRefused(allOnes, IpcIoBufferTest::readString, IpcIoFailure.TOO_LONG);
        assertRefused(allOnes, b -> null != b.readString16(), IpcIoFailure.TOO_LONG);
        assertRefused(allOnes, b -> null != b.readInt32Vector(), IpcIoFailure.END_OF_DATA);
        assertRefused(allOnes, b -> null != b.readBoolVector(), IpcIoFailure.END_OF_DATA);
        assertRefused(allOnes, b -> b.readFileDescriptor() >= 0, IpcIoFailure.NOT_AN_OBJECT);
        assertRefused(new byte[0], b -> 0 != b.readInt32() || !b.failed(), IpcIoFailure.END_OF_DATA);
        assertRefused(new byte[7], b -> 0 != b.readInt64() || !b.failed(), IpcIoFailure.END_OF_DATA);
        // A string without its NUL; a length one past the end; INT32_MAX; a negative (huge unsigned) length.
        assertRefused(le(3, 0x64636261), IpcIoBufferTest::readString, IpcIoFailure.NO_TERMINATOR);
        assertRefused(le(5, 0x64636261), IpcIoBufferTest::readString, IpcIoFailure.END_OF_DATA);
        assertRefused(le(Integer.MAX_VALUE, 0), IpcIoBufferTest::readString, IpcIoFailure.END_OF_DATA);
        assertRefused(le(-2, 0), IpcIoBufferTest::readString, IpcIoFailure.END_OF_DATA);
        // Element counts whose byte size overflows 32 bits.
        assertRefused(le(0x20000000, 1, 2), b -> null != b.readInt64Vector(), IpcIoFailure.END_OF_DATA);
        assertRefused(le(-1, 1), b -> null != b.readInt16Vector(), IpcIoFailure.END_OF_DATA);
        assertRefused(le(3, 1, 2), b -> null != b.readRawData(4), IpcIoFailure.SIZE_MISMATCH);
    }

    private static void assertRefused(final byte[] data, final Predicate<IpcIoBuffer> read, final IpcIoFailure why)
    {
        final IpcIoBuffer buffer = reader(data);
        read.test(buffer);
        assertTrue(buffer.failed(), "expected a failure");
        assertEquals(why, buffer.failure(), buffer.describeFailure());
        assertEquals(0, buffer.readPosition(), "a failed read moved");
        assertEquals(0, buffer.readInt32(), "sticky");
        assertTrue(buffer.failed());
    }

    private static boolean readString(final IpcIoBuffer buffer)
    {
        return null != buffer.readString();
    }

    /** Reliability test 1: the same message at start offsets 0..7 reads the same (unaligned access everywhere). */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7})
    void shouldReadAMessageAtAnyAlignment(final int start)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment memory = arena.allocate(256, 8).asSlice(start);
            final IpcIoBuffer buffer = new IpcIoBuffer().wrapForWriting(memory, arena.allocate(64, 8));
            assertTrue(buffer.writeInt8Unaligned((byte)1) && buffer.writeInt64(-5L) && buffer.writeDouble(2.5));
            assertTrue(buffer.writeFileDescriptor(9) && buffer.writeInt32Vector(new int[] {1, 2}));
            assertTrue(buffer.writeString16("ü") && buffer.writeFloat(1.5f));
            assertEquals(1, buffer.readInt8Unaligned());
            assertEquals(-5L, buffer.readInt64());
            assertEquals(2.5, buffer.readDouble());
            assertEquals(9, buffer.readFileDescriptor());
            assertArrayEquals(new int[] {1, 2}, buffer.readInt32Vector());
            assertEquals("ü", buffer.readString16());
            assertEquals(1.5f, buffer.readFloat());
            assertFalse(buffer.failed(), buffer.describeFailure());
        }
    }

    @Test
    void shouldFailStickilyAndChangeNothing()
    {
        final IpcIoBuffer buffer = writer(12, 0);
        assertTrue(buffer.writeInt32(7));
        final byte[] before = buffer.data().toArray(ValueLayout.JAVA_BYTE);
        assertFalse(buffer.writeString("more than eight bytes"));
        assertEquals(IpcIoFailure.NO_SPACE, buffer.failure());
        assertEquals("needs 28 bytes, 8 left", buffer.describeFailure());
        assertArrayEquals(before, buffer.data().toArray(ValueLayout.JAVA_BYTE));
        assertEquals(4, buffer.writePosition());
        assertFalse(buffer.writeInt32(1), "sticky: would fit, still fails");
        buffer.clearFailure();
        assertTrue(buffer.writeInt32(1));
        assertEquals(8, buffer.writePosition());
    }

    @Test
    void shouldApplyTheCompatibleLimitsOnlyWhenAsked()
    {
        final String longText = "x".repeat(IpcIoFormat.COMPATIBLE_MAX_SIZE);
        final IpcIoBuffer compatible = writer(20_000, 0).compatible(true);
        assertFalse(compatible.writeString(longText));
        assertEquals(IpcIoFailure.TOO_LONG, compatible.failure());
        assertEquals("length 8192 exceeds the limit of 8191", compatible.describeFailure());
        final IpcIoBuffer compatible16 = writer(20_000, 0).compatible(true);
        assertFalse(compatible16.writeString16("y".repeat(IpcIoFormat.COMPATIBLE_MAX_STRING16 + 1)));
        final IpcIoBuffer unbounded = writer(20_000, 0);
        assertTrue(unbounded.writeString(longText));
        assertTrue(unbounded.writeString16("y".repeat(5000)));
        assertEquals(longText, unbounded.readString());
    }

    @Test
    void shouldEncodeUtf8AndRefuseUnpairedSurrogates()
    {
        final IpcIoBuffer buffer = writer(128, 0);
        final String text = "héllo 世界 𝄞";
        assertTrue(buffer.writeString(text));
        final IpcIoStringView view = new IpcIoStringView();
        assertTrue(buffer.readString(view));
        assertEquals(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, view.length());
        assertTrue(view.contentEquals(text));
        assertFalse(view.contentEquals("héllo 世界 𝄞!"));
        assertEquals(text, view.toString());
        assertEquals(text, view.appendTo(new StringBuilder()).toString());
        final IpcIoBuffer bad = writer(128, 0);
        assertFalse(bad.writeString("a\ud800b"));
        assertEquals(IpcIoFailure.MALFORMED_TEXT, bad.failure());
        assertEquals(1, bad.failureValue());
        assertEquals(0, bad.writePosition());
    }

    @Test
    void shouldDecodeMalformedUtf8AsReplacementCharacters()
    {
        final IpcIoBuffer buffer = reader(new byte[] {4, 0, 0, 0, 'a', (byte)0xc3, (byte)0xff, 'b', 0, 0, 0, 0});
        final IpcIoStringView view = new IpcIoStringView();
        assertTrue(buffer.readString(view));
        assertEquals("a\ufffd\ufffdb", view.appendTo(new StringBuilder()).toString());
    }

    @Test
    void shouldReadObjectsOnlyInOrderAndInPlace()
    {
        final IpcIoBuffer buffer = writer(256, 4);
        assertTrue(buffer.writeInt32(11) && buffer.writeFileDescriptor(5));
        assertTrue(buffer.writeRemoteObject(9, 77, 0x1234) && buffer.writeRemoteObject(-1, Long.MAX_VALUE, 3));
        assertEquals(-1, buffer.readFileDescriptor(), "the fd is not at position 0");
        assertEquals(IpcIoFailure.NOT_AN_OBJECT, buffer.failure());
        buffer.clearFailure();
        assertEquals(11, buffer.readInt32());
        final SvcIdentity identity = new SvcIdentity();
        assertFalse(buffer.readRemoteObject(identity), "an fd is there");
        assertEquals(IpcIoFailure.WRONG_OBJECT_TYPE, buffer.failure());
        buffer.clearFailure();
        assertEquals(5, buffer.readFileDescriptor());
        assertTrue(buffer.readRemoteObject(identity));
        assertEquals("SvcIdentity{handle=9, token=77, cookie=4660}", identity.toString());
        assertTrue(buffer.readRemoteObject(identity));
        assertEquals(IpcIoFormat.INVALID_HANDLE, identity.handle());
        assertEquals(Long.MAX_VALUE, identity.token());
        assertFalse(writer(64, 1).writeRemoteObject(3, 1L << 32, 0), "a handle's token must fit 32 bits");
    }

    @Test
    void shouldValidateAReceivedObjectTable()
    {
        final IpcIoBuffer writer = writer(128, 2);
        assertTrue(writer.writeInt32(1) && writer.writeFileDescriptor(3));
        final byte[] data = written(writer);
        final long[][] tables = {{4}, {5}, {-1}, {data.length - 23}, {4, 8}};
        final boolean[] valid = {true, false, false, false, false};
        for (int i = 0; i < tables.length; i++)
        {
            final byte[] table = new byte[tables[i].length * 8];
            MemorySegment.copy(tables[i], 0, MemorySegment.ofArray(table), ValueLayout.JAVA_LONG_UNALIGNED, 0,
                tables[i].length);
            final IpcIoBuffer reader = new IpcIoBuffer().wrapForReading(
                MemorySegment.ofArray(data), data.length, MemorySegment.ofArray(table), tables[i].length);
            assertEquals(valid[i], !reader.failed(), Arrays.toString(tables[i]));
            if (!valid[i])
            {
                assertEquals(IpcIoFailure.INVALID_OBJECT_TABLE, reader.failure());
            }
        }
    }

    @Test
    void shouldCollectAndInstallFdsInTableOrder()
    {
        final IpcIoBuffer writer = writer(256, 4);
        assertTrue(writer.writeFileDescriptor(10) && writer.writeRemoteObject(0, 1, 2));
        assertTrue(writer.writeFileDescriptor(11));
        final int[] fds = new int[2];
        assertEquals(2, writer.collectFds(fds));
        assertArrayEquals(new int[] {10, 11}, fds);
        assertEquals(-1, writer.collectFds(new int[1]));
        assertFalse(writer.installFds(new int[] {40}, 1), "count mismatch");
        assertFalse(writer.installFds(new int[] {40, -1}, 2), "negative fd");
        assertTrue(writer.installFds(new int[] {40, 41}, 2));
        assertEquals(40, writer.readFileDescriptor());
        assertTrue(writer.readRemoteObject(new SvcIdentity()));
        assertEquals(41, writer.readFileDescriptor());
    }

    @Test
    void shouldRefuseWritesToAReceivedMessage()
    {
        final IpcIoBuffer buffer = reader(le(1, 2));
        assertFalse(buffer.writeInt32(3));
        assertEquals(IpcIoFailure.READ_ONLY, buffer.failure());
        assertFalse(buffer.rewindWrite(0));
    }

    @Test
    void shouldRewindPositionsAndObjects()
    {
        final IpcIoBuffer buffer = writer(256, 4);
        assertTrue(buffer.writeInt32(1) && buffer.writeFileDescriptor(3) && buffer.writeInt32(2));
        assertTrue(buffer.writeFileDescriptor(4));
        assertTrue(buffer.rewindRead(28));
        assertEquals(2, buffer.readInt32());
        assertEquals(4, buffer.readFileDescriptor());
        assertTrue(buffer.rewindWrite(28));
        assertEquals(1, buffer.objectCount(), "the second fd was dropped");
        assertFalse(buffer.rewindWrite(29));
        assertFalse(buffer.rewindRead(-1));
    }

    @Test
    void shouldGrowThroughTheExpander()
    {
        final IpcIoBuffer buffer = writer(8, 0).expander(new IpcIoBuffer.Expander()
        {
            @Override
            public MemorySegment expandData(final MemorySegment current, final long used, final long required)
            {
                final MemorySegment grown = MemorySegment.ofArray(new byte[(int)required * 2]);
                MemorySegment.copy(current, 0, grown, 0, used);
                return grown;
            }

            @Override
            public MemorySegment expandObjects(final MemorySegment current, final int used, final int required)
            {
                final MemorySegment grown = MemorySegment.ofArray(new byte[required * 8]);
                MemorySegment.copy(current, 0, grown, 0, used * 8L);
                return grown;
            }
        });
        for (int i = 0; i < 100; i++)
        {
            assertTrue(buffer.writeInt32(i) && buffer.writeFileDescriptor(i));
        }
        for (int i = 0; i < 100; i++)
        {
            assertEquals(i, buffer.readInt32());
            assertEquals(i, buffer.readFileDescriptor());
        }
    }

    @Test
    void shouldReadVectorsIntoArraysAndRefuseTooSmallOnes()
    {
        final IpcIoBuffer buffer = writer(256, 0);
        assertTrue(buffer.writeInt32Vector(new int[] {1, 2, 3}) && buffer.writeBoolVector(new boolean[] {true}));
        final int[] small = new int[2];
        assertEquals(-1, buffer.readInt32Vector(small));
        assertEquals(IpcIoFailure.DESTINATION_TOO_SMALL, buffer.failure());
        assertEquals(0, buffer.readPosition());
        buffer.clearFailure();
        final int[] large = new int[8];
        assertEquals(3, buffer.readInt32Vector(large));
        final boolean[] flags = new boolean[1];
        assertEquals(1, buffer.readBoolVector(flags));
        assertTrue(flags[0]);
    }

    @Test
    void shouldRefuseInlineRawDataAboveTheLimitAndCheckTheFdForm()
    {
        final IpcIoBuffer buffer = writer(IpcIoFormat.RAW_DATA_INLINE_MAX + 64, 2);
        assertFalse(buffer.writeRawData(MemorySegment.ofArray(new byte[IpcIoFormat.RAW_DATA_INLINE_MAX + 1])));
        assertEquals(IpcIoFailure.TOO_LONG, buffer.failure());
        buffer.clearFailure();
        assertFalse(buffer.writeRawDataFd(100, 3), "small raw data is inline");
        buffer.clearFailure();
        assertTrue(buffer.writeRawDataFd(IpcIoFormat.RAW_DATA_INLINE_MAX + 1, 3));
        assertEquals(-1, buffer.readRawDataFd(IpcIoFormat.RAW_DATA_INLINE_MAX + 2));
        assertEquals(IpcIoFailure.SIZE_MISMATCH, buffer.failure());
        buffer.clearFailure();
        assertEquals(3, buffer.readRawDataFd(IpcIoFormat.RAW_DATA_INLINE_MAX + 1));
    }

    @Test
    void shouldMapSealedRawDataReadOnly()
    {
        final byte[] payload = new byte[100_000];
        Arrays.fill(payload, (byte)42);
        final int fd = IpcIoRawData.create(MemorySegment.ofArray(payload));
        assertTrue(fd >= 0, "create: " + fd);
        assertEquals(-74, IpcIoRawData.map(fd, payload.length + 1), "EBADMSG for a wrong size");
        final long address = IpcIoRawData.map(fd, payload.length);
        assertTrue(address > 0, "map: " + address);
        final MemorySegment view = MemorySegment.ofAddress(address).reinterpret(payload.length);
        assertEquals(42, view.get(ValueLayout.JAVA_BYTE, payload.length - 1));
        assertEquals(0, IpcIoRawData.unmap(address, payload.length));
        assertEquals(0, IpcIoRawData.close(fd));
        assertEquals(-9, IpcIoRawData.close(fd), "EBADF the second time");
    }

    /**
     * The kinds of memory a flyweight runs over. A writable heap segment of a byte[] takes the array fast path
     * (at offset 0, or as a slice in the middle of a larger array); native memory, heap memory of another array
     * type and read-only segments take the MemorySegment path. All must behave the same.
     */
    enum Memory
    {
        HEAP, HEAP_SLICE, NATIVE, HEAP_LONG_ARRAY;

        /** Guard bytes around a slice: they must never change. */
        static final int GUARD = 13;
        static final byte GUARD_BYTE = 0x5a;

        MemorySegment allocate(final Arena arena, final int size)
        {
            return switch (this)
            {
                case HEAP -> MemorySegment.ofArray(new byte[size]);
                case HEAP_SLICE ->
                {
                    final byte[] backing = new byte[GUARD + size + GUARD];
                    Arrays.fill(backing, GUARD_BYTE);
                    yield MemorySegment.ofArray(backing).asSlice(GUARD, size).fill((byte)0);
                }
                case NATIVE -> arena.allocate(size, 8);
                case HEAP_LONG_ARRAY -> MemorySegment.ofArray(new long[(size + 7) / 8]).asSlice(0, size);
            };
        }

        /** The guard bytes around a HEAP_SLICE segment are intact (true for every other kind). */
        static boolean guardsIntact(final MemorySegment segment)
        {
            final Object base = segment.heapBase().orElse(null);
            if (!(base instanceof final byte[] backing) || backing.length != segment.byteSize() + 2 * GUARD)
            {
                return true;
            }
            for (int i = 0; i < GUARD; i++)
            {
                if (GUARD_BYTE != backing[i] || GUARD_BYTE != backing[backing.length - 1 - i])
                {
                    return false;
                }
            }
            return true;
        }
    }

    private static final String NON_ASCII = "z\u00df\u6c34\ud83c\udf4c";

    private static void writeEveryItem(final IpcIoBuffer buffer)
    {
        assertTrue(buffer.writeBool(true) && buffer.writeInt8(Byte.MIN_VALUE) && buffer.writeInt16(Short.MIN_VALUE));
        assertTrue(buffer.writeInt32(Integer.MIN_VALUE) && buffer.writeInt64(Long.MIN_VALUE));
        assertTrue(buffer.writeUint8(0xff) && buffer.writeUint16(0xffff) && buffer.writeFloat(-1.5f));
        assertTrue(buffer.writeDouble(2.25e300) && buffer.writePointer(0x1234_5678_9abcL));
        assertTrue(buffer.writeBoolUnaligned(true) && buffer.writeInt8Unaligned((byte)-2));
        assertTrue(buffer.writeInt16Unaligned((short)-3));
        assertTrue(buffer.writeString("0123456789abcdefghijklmnopqrstuv") && buffer.writeString(""));
        assertTrue(buffer.writeString(NON_ASCII) && buffer.writeString("abc"));
        assertTrue(buffer.writeString16(NON_ASCII) && buffer.writeInterfaceToken("token"));
        assertTrue(buffer.writeBuffer(MemorySegment.ofArray(new byte[] {1, 2, 3, 4, 5})));
        assertTrue(buffer.writeRawData(MemorySegment.ofArray(new byte[] {6, 7, 8})));
        assertTrue(buffer.writeBoolVector(new boolean[] {true, false}) && buffer.writeInt16Vector(new short[] {-1}));
        assertTrue(buffer.writeInt8Vector(new byte[] {9, 10, 11}) && buffer.writeUint16Vector(new char[] {'x'}));
        assertTrue(buffer.writeInt32Vector(new int[] {-4, 5}) && buffer.writeInt64Vector(new long[] {-6}));
        assertTrue(buffer.writeFloatVector(new float[] {0.5f}) && buffer.writeDoubleVector(new double[] {-0.25}));
        assertTrue(buffer.writeFileDescriptor(7) && buffer.writeRemoteObject(3, 44, 55) && buffer.writeInt32(42));
    }

    private static void readEveryItem(final IpcIoBuffer buffer)
    {
        final IpcIoStringView view = new IpcIoStringView();
        assertTrue(buffer.readBool());
        assertEquals(Byte.MIN_VALUE, buffer.readInt8());
        assertEquals(Short.MIN_VALUE, buffer.readInt16());
        assertEquals(Integer.MIN_VALUE, buffer.readInt32());
        assertEquals(Long.MIN_VALUE, buffer.readInt64());
        assertEquals(0xff, buffer.readUint8());
        assertEquals(0xffff, buffer.readUint16());
        assertEquals(-1.5f, buffer.readFloat());
        assertEquals(2.25e300, buffer.readDouble());
        assertEquals(0x1234_5678_9abcL, buffer.readPointer());
        assertTrue(buffer.readBoolUnaligned());
        assertEquals(-2, buffer.readInt8Unaligned());
        assertEquals(-3, buffer.readInt16Unaligned());
        assertTrue(buffer.readString(view) && view.contentEquals("0123456789abcdefghijklmnopqrstuv"));
        assertEquals("", buffer.readString());
        assertEquals(NON_ASCII, buffer.readString());
        assertTrue(buffer.readString(view) && view.contentEquals("abc") && 3 == view.length());
        assertEquals(NON_ASCII, buffer.readString16());
        assertEquals("token", buffer.readInterfaceToken());
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, buffer.readBuffer(5).toArray(ValueLayout.JAVA_BYTE));
        assertArrayEquals(new byte[] {6, 7, 8}, buffer.readRawData(3).toArray(ValueLayout.JAVA_BYTE));
        assertArrayEquals(new boolean[] {true, false}, buffer.readBoolVector());
        assertArrayEquals(new short[] {-1}, buffer.readInt16Vector());
        assertArrayEquals(new byte[] {9, 10, 11}, buffer.readInt8Vector());
        assertArrayEquals(new char[] {'x'}, buffer.readUint16Vector());
        assertArrayEquals(new int[] {-4, 5}, buffer.readInt32Vector());
        assertArrayEquals(new long[] {-6}, buffer.readInt64Vector());
        assertArrayEquals(new float[] {0.5f}, buffer.readFloatVector());
        assertArrayEquals(new double[] {-0.25}, buffer.readDoubleVector());
        assertEquals(7, buffer.readFileDescriptor());
        final SvcIdentity identity = new SvcIdentity();
        assertTrue(buffer.readRemoteObject(identity));
        assertEquals(3, identity.handle());
        assertEquals(42, buffer.readInt32());
        assertEquals(0, buffer.readableBytes());
        assertFalse(buffer.failed(), buffer.describeFailure());
    }

    /** Every kind of memory (array fast path or MemorySegment path) writes the same bytes and reads them back. */
    @ParameterizedTest
    @EnumSource(Memory.class)
    void shouldWriteAndReadTheSameBytesInEveryKindOfMemory(final Memory memory)
    {
        final IpcIoBuffer reference = writer(1024, 4);
        writeEveryItem(reference);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment data = memory.allocate(arena, 1024);
            final IpcIoBuffer buffer = new IpcIoBuffer().wrapForWriting(data, memory.allocate(arena, 32));
            writeEveryItem(buffer);
            assertArrayEquals(written(reference), written(buffer));
            assertTrue(Memory.guardsIntact(data));
            assertTrue(buffer.rewindRead(0));
            readEveryItem(buffer);
            // A received copy, read-only (the MemorySegment path) and writable.
            final int length = (int)buffer.writePosition();
            final MemorySegment table = memory.allocate(arena, 16);
            MemorySegment.copy(buffer.offsets(), 0, table, 0, 16);
            readEveryItem(new IpcIoBuffer().wrapForReading(data.asReadOnly(), length, table, 2));
            readEveryItem(new IpcIoBuffer().wrapForReading(data, length, table, 2));
            assertTrue(Memory.guardsIntact(data));
        }
    }

    /** Exact fits and one byte short, for each kind: the failed item changes no byte, in or around the data. */
    @ParameterizedTest
    @EnumSource(Memory.class)
    void shouldFitExactlyAndFailCleanlyAtTheEndOfEveryKindOfMemory(final Memory memory)
    {
        // Items of 4 + 36 (a 32-char string), 8, 4 and 2 bytes.
        final String text = "0123456789abcdefghijklmnopqrstuv";
        try (Arena arena = Arena.ofConfined())
        {
            for (final int size : new int[] {40, 8, 4, 2})
            {
                for (final int capacity : new int[] {size, size - 1})
                {
                    final MemorySegment data = memory.allocate(arena, capacity);
                    final IpcIoBuffer buffer = new IpcIoBuffer().wrapForWriting(data, MemorySegment.NULL);
                    final boolean written = switch (size)
                    {
                        case 40 -> buffer.writeString(text);
                        case 8 -> buffer.writeInt64(-1);
                        case 4 -> buffer.writeInt32(-1);
                        default -> buffer.writeInt16Unaligned((short)-1);
                    };
                    assertEquals(capacity == size, written, "size " + size + ", capacity " + capacity);
                    assertEquals(written ? size : 0, buffer.writePosition());
                    if (!written)
                    {
                        assertEquals(IpcIoFailure.NO_SPACE, buffer.failure());
                        assertArrayEquals(new byte[capacity], data.toArray(ValueLayout.JAVA_BYTE), "changed bytes");
                    }
                    assertTrue(Memory.guardsIntact(data));
                    final boolean read = switch (size)
                    {
                        case 40 -> written ? text.equals(buffer.readString())
                            : null == buffer.clearFailure().readString();
                        case 8 -> written ? -1 == buffer.readInt64() : 0 == buffer.clearFailure().readInt64();
                        case 4 -> written ? -1 == buffer.readInt32() : 0 == buffer.clearFailure().readInt32();
                        default -> written ? -1 == buffer.readInt16Unaligned()
                            : 0 == buffer.clearFailure().readInt16Unaligned();
                    };
                    assertTrue(read && written != buffer.failed(), "read back, size " + size);
                }
            }
        }
    }

    /** No allocation on the primitive and ASCII string paths: thread-allocated bytes stay flat, in every memory. */
    @ParameterizedTest
    @EnumSource(Memory.class)
    void shouldNotAllocateOnPrimitivePaths(final Memory memory)
    {
        final Arena arena = Arena.ofAuto();
        final IpcIoBuffer buffer = new IpcIoBuffer().wrapForWriting(memory.allocate(arena, 64), MemorySegment.NULL);
        final IpcIoStringView view = new IpcIoStringView();
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
            "this JVM cannot count allocated bytes");
        long sum = 0;
        for (int round = 0; round < 3; round++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100_000; i++)
            {
                buffer.rewindWrite(0);
                buffer.rewindRead(0);
                buffer.writeInt32(i);
                buffer.writeInt64(i);
                buffer.writeDouble(i);
                buffer.writeString("0123456789abcdef");
                sum += buffer.readInt32() + buffer.readInt64() + (long)buffer.readDouble();
                buffer.readString(view);
                sum += view.length();
            }
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (round > 0)
            {
                assertTrue(allocated < 4096, "allocated " + allocated + " bytes over 100000 messages");
            }
        }
        assertTrue(sum > 0);
        assertFalse(buffer.failed(), buffer.describeFailure());
    }
}
