package io.harmonia.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import io.harmonia.bindings.ipc.IpcIoStringView;

class MessageSequenceTest
{
    private static RpcException assertRpc(final int code, final String fragment, final Executable call)
    {
        final RpcException failure = assertThrows(RpcException.class, call);
        assertEquals(code, failure.code(), failure.getMessage());
        assertTrue(failure.getMessage().contains(fragment), failure.getMessage());
        return failure;
    }

    @Test
    void shouldRoundTripEveryType()
    {
        try (MessageSequence message = MessageSequence.create())
        {
            message.writeByte((byte)-7);
            message.writeShort((short)-300);
            message.writeInt(123456);
            message.writeLong(Long.MIN_VALUE);
            message.writeFloat(1.25f);
            message.writeDouble(-2.5e300);
            message.writeBoolean(true);
            message.writeChar('世');
            message.writeString("héllo 𝄞");
            message.writeString("");
            message.writeUtf8String("utf-8 ✓");
            message.writeInterfaceToken("ohos.rpc.IRemoteBroker");
            message.writeByteArray(new byte[] {1, -2});
            message.writeShortArray(new short[] {-1, 2});
            message.writeIntArray(new int[] {3, 4, 5});
            message.writeLongArray(new long[] {6});
            message.writeFloatArray(new float[] {7.5f});
            message.writeDoubleArray(new double[] {8.25});
            message.writeBooleanArray(new boolean[] {true, false});
            message.writeCharArray(new char[] {'a', 'é'});
            message.writeStringArray(new String[] {"one", "", "three"});
            message.writeIntArray(new int[0]);

            assertEquals(-7, message.readByte());
            assertEquals(-300, message.readShort());
            assertEquals(123456, message.readInt());
            assertEquals(Long.MIN_VALUE, message.readLong());
            assertEquals(1.25f, message.readFloat());
            assertEquals(-2.5e300, message.readDouble());
            assertTrue(message.readBoolean());
            assertEquals('世', message.readChar());
            assertEquals("héllo 𝄞", message.readString());
            assertEquals("", message.readString());
            assertEquals("utf-8 ✓", message.readUtf8String());
            assertEquals("ohos.rpc.IRemoteBroker", message.readInterfaceToken());
            assertArrayEquals(new byte[] {1, -2}, message.readByteArray());
            assertArrayEquals(new short[] {-1, 2}, message.readShortArray());
            final int[] ints = new int[8];
            assertEquals(3, message.readIntArray(ints));
            assertArrayEquals(new int[] {3, 4, 5}, Arrays.copyOf(ints, 3));
            assertArrayEquals(new long[] {6}, message.readLongArray());
            assertArrayEquals(new float[] {7.5f}, message.readFloatArray());
            assertArrayEquals(new double[] {8.25}, message.readDoubleArray());
            assertArrayEquals(new boolean[] {true, false}, message.readBooleanArray());
            assertArrayEquals(new char[] {'a', 'é'}, message.readCharArray());
            assertArrayEquals(new String[] {"one", "", "three"}, message.readStringArray());
            assertArrayEquals(new int[0], message.readIntArray());
            assertEquals(0, message.getReadableBytes());
        }
    }

    @Test
    void shouldReportGeometryAndRewind()
    {
        try (MessageSequence message = MessageSequence.create())
        {
            assertEquals(MessageSequence.DEFAULT_CAPACITY, message.getCapacity());
            assertEquals(0, message.getSize());
            message.writeInt(1);
            message.writeLong(2);
            assertEquals(12, message.getSize());
            assertEquals(12, message.getWritePosition());
            assertEquals(MessageSequence.DEFAULT_CAPACITY - 12, message.getWritableBytes());
            assertEquals(12, message.getReadableBytes());
            assertEquals(1, message.readInt());
            assertEquals(4, message.getReadPosition());
            message.rewindRead(0);
            assertEquals(1, message.readInt());
            message.rewindWrite(4);
            assertEquals(4, message.getSize());
            assertRpc(RpcException.CHECK_PARAM_ERROR, "field 'position' is 5, must be 0..4", () -> message.rewindRead(5));
            assertRpc(RpcException.CHECK_PARAM_ERROR, "field 'position' is -1", () -> message.rewindWrite(-1));
        }
    }

    @Test
    void shouldNameTheFieldAndTheLimitWhenAWriteExceedsTheCapacity()
    {
        try (MessageSequence message = MessageSequence.create())
        {
            message.setCapacity(16);
            message.writeInt(1);
            assertRpc(RpcException.WRITE_DATA_TO_MESSAGE_SEQUENCE_ERROR,
                "field 'string': needs 20 bytes, 12 left (capacity 16)", () -> message.writeString("0123456"));
            assertEquals(4, message.getSize(), "a failed write changes nothing");
            message.writeLong(7);
            assertEquals(12, message.getSize(), "and the next write works");
            assertRpc(RpcException.CHECK_PARAM_ERROR, "field 'capacity' is 8, must be 12..", () -> message.setCapacity(8));
            message.setCapacity(1000);
            message.writeString("0123456");
            message.rewindRead(12);
            assertEquals("0123456", message.readString());
        }
    }

    @Test
    void shouldGrowUpToTheCapacity()
    {
        try (MessageSequence message = MessageSequence.create())
        {
            final int[] big = new int[40_000];
            Arrays.fill(big, 9);
            message.writeIntArray(big);
            assertEquals(4 + 160_000, message.getSize());
            assertRpc(RpcException.WRITE_DATA_TO_MESSAGE_SEQUENCE_ERROR, "field 'int array'",
                () -> message.writeIntArray(big));
            assertArrayEquals(big, message.readIntArray());
        }
    }

    @Test
    void shouldNameTheFieldAndPositionWhenAReadRunsPastTheEnd()
    {
        try (MessageSequence message = MessageSequence.create())
        {
            message.writeInt(5);
            message.readInt();
            assertRpc(RpcException.READ_DATA_FROM_MESSAGE_SEQUENCE_ERROR,
                "field 'long': needs 8 bytes, 0 left at position 4", message::readLong);
            assertEquals(4, message.getReadPosition());
            message.rewindRead(0);
            assertEquals(5, message.readInt(), "a failure is not sticky on a MessageSequence");
            final int[] small = new int[1];
            message.writeIntArray(new int[] {1, 2});
            assertRpc(RpcException.READ_DATA_FROM_MESSAGE_SEQUENCE_ERROR, "2 elements do not fit a destination of 1",
                () -> message.readIntArray(small));
        }
    }

    @Test
    void shouldRefuseBadParametersWith401()
    {
        try (MessageSequence message = MessageSequence.create())
        {
            assertRpc(RpcException.CHECK_PARAM_ERROR, "field 'string' is null", () -> message.writeString(null));
            assertRpc(RpcException.CHECK_PARAM_ERROR, "field 'int array' is null", () -> message.writeIntArray(null));
            assertRpc(RpcException.CHECK_PARAM_ERROR, "field 'string array[1]' is null",
                () -> message.writeStringArray(new String[] {"a", null}));
            assertRpc(RpcException.CHECK_PARAM_ERROR, "field 'interface token' is empty",
                () -> message.writeInterfaceToken(""));
            assertRpc(RpcException.CHECK_PARAM_ERROR, "unpaired surrogate at index 1",
                () -> message.writeUtf8String("x\udc00"));
            assertRpc(RpcException.CHECK_PARAM_ERROR, "field 'file descriptor' is -1",
                () -> message.writeFileDescriptor(-1));
            assertRpc(RpcException.CHECK_PARAM_ERROR, "field 'size' is 0, must be 1..3",
                () -> message.writeRawDataBuffer(new byte[3], 0));
            assertRpc(RpcException.CHECK_PARAM_ERROR, "field 'size' is 4, must be 1..3",
                () -> message.writeRawDataBuffer(new byte[3], 4));
            assertRpc(RpcException.CHECK_PARAM_ERROR, "must be 1..134217728", () -> message.readRawData(1L << 28));
            assertEquals(0, message.getSize(), "nothing was written");
        }
    }

    @Test
    void shouldCarryInlineRawData()
    {
        try (MessageSequence message = MessageSequence.create())
        {
            final byte[] payload = {1, 2, 3, 4, 5};
            message.writeRawDataBuffer(payload, 5);
            assertEquals(12, message.getSize());
            assertArrayEquals(payload, message.readRawDataBuffer(5));
            message.rewindRead(0);
            assertRpc(RpcException.READ_DATA_FROM_MESSAGE_SEQUENCE_ERROR, "stored size 5 differs from the requested 6",
                () -> message.readRawDataBuffer(6));
        }
    }

    /** Above 32 KiB raw data is a sealed memfd: mapped read-only by the reader, unmapped and closed at reclaim. */
    @Test
    void shouldCarryLargeRawDataAsASealedMemfd() throws IOException
    {
        final byte[] payload = new byte[3 * 1024 * 1024 + 5];
        for (int i = 0; i < payload.length; i++)
        {
            payload[i] = (byte)(i * 31);
        }
        final MessageSequence message = MessageSequence.create();
        message.writeInt(1);
        message.writeRawDataBuffer(payload, payload.length);
        message.writeInt(2);
        assertEquals(4 + 4 + 24 + 4, message.getSize(), "the bytes are not inline");
        assertTrue(message.containFileDescriptors());
        final int fd = message.data().get(ValueLayout.JAVA_INT_UNALIGNED, 8 + 8);
        final Path fdPath = Path.of("/proc/self/fd/" + fd);
        assertTrue(Files.readSymbolicLink(fdPath).toString().contains("harmonia-ipcio-raw"));

        assertEquals(1, message.readInt());
        final MemorySegment view = message.readRawData(payload.length);
        assertTrue(view.isReadOnly());
        assertArrayEquals(payload, view.toArray(ValueLayout.JAVA_BYTE));
        assertEquals(2, message.readInt());
        assertTrue(mapped(), "the raw data is mapped");
        message.reclaim();
        assertFalse(isRawDataMemfd(fdPath), "the memfd was closed");
        assertFalse(mapped(), "the mapping is gone");
        assertThrows(IllegalStateException.class, () -> view.get(ValueLayout.JAVA_BYTE, 0));
        assertThrows(IllegalStateException.class, () -> message.readInt());
        message.reclaim();
    }

    private static boolean isRawDataMemfd(final Path fdPath) throws IOException
    {
        // The number may have been reused by another thread since: only a raw-data memfd there counts.
        return Files.exists(fdPath, LinkOption.NOFOLLOW_LINKS) &&
            Files.readSymbolicLink(fdPath).toString().contains("harmonia-ipcio-raw");
    }

    private static boolean mapped() throws IOException
    {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream().anyMatch(l -> l.contains("harmonia-ipcio-raw"));
    }

    /** A received message owns its installed fds until they are read; reclaim closes the rest. */
    @Test
    void shouldOwnInstalledFdsUntilTheyAreRead() throws IOException
    {
        try (MessageSequence sender = MessageSequence.create())
        {
            sender.writeFileDescriptor(100);
            sender.writeInt(7);
            sender.writeFileDescriptor(101);
            final long[] offsets = {sender.getObjectOffset(0), sender.getObjectOffset(1)};
            final MessageSequence receiver = MessageSequence.copyFrom(sender.data(), offsets);
            final int first = MessageSequence.dupFileDescriptor(0);
            final int second = MessageSequence.dupFileDescriptor(0);
            assertRpc(RpcException.CHECK_PARAM_ERROR, "has 1 descriptors, the message has 2 fd objects",
                () -> receiver.installFileDescriptors(new int[] {first}));
            receiver.installFileDescriptors(new int[] {first, second});
            assertEquals(first, receiver.readFileDescriptor());
            assertEquals(7, receiver.readInt());
            receiver.reclaim();
            assertTrue(Files.exists(Path.of("/proc/self/fd/" + first)), "the fd read belongs to the reader");
            assertFalse(Files.exists(Path.of("/proc/self/fd/" + second)), "the unread fd was closed");
            MessageSequence.closeFileDescriptor(first);
            assertRpc(RpcException.CHECK_PARAM_ERROR, "EBADF", () -> MessageSequence.closeFileDescriptor(first));
        }
    }

    @Test
    void shouldPassRealFileDescriptorsInProcess()
    {
        final int copy = MessageSequence.dupFileDescriptor(1);
        try (MessageSequence message = MessageSequence.create())
        {
            assertFalse(message.containFileDescriptors());
            message.writeFileDescriptor(copy);
            assertTrue(message.containFileDescriptors());
            assertEquals(copy, message.readFileDescriptor());
        }
        MessageSequence.closeFileDescriptor(copy);
        assertRpc(RpcException.OS_DUP_ERROR, "EBADF", () -> MessageSequence.dupFileDescriptor(copy));
        assertRpc(RpcException.CHECK_PARAM_ERROR, "field 'fd' is -3", () -> MessageSequence.dupFileDescriptor(-3));
    }

    @Test
    void shouldRefuseABadObjectTableOnCopy()
    {
        assertRpc(RpcException.READ_DATA_FROM_MESSAGE_SEQUENCE_ERROR, "object-table entry 0",
            () -> MessageSequence.copyFrom(MemorySegment.ofArray(new byte[8]), new long[] {0}));
    }

    @Test
    void shouldRefuseUseAfterReclaim()
    {
        final MessageSequence message = MessageSequence.create();
        message.reclaim();
        assertThrows(IllegalStateException.class, () -> message.writeInt(1));
        assertThrows(IllegalStateException.class, () -> message.setCapacity(10));
    }

    @Test
    void shouldReadUtf8WithoutCopying()
    {
        try (MessageSequence message = MessageSequence.create())
        {
            message.writeUtf8String("view me");
            final IpcIoStringView view = new IpcIoStringView();
            message.readUtf8String(view);
            assertTrue(view.contentEquals("view me"));
        }
    }

    /** No allocation on primitive paths, measured with the thread's allocation counter. */
    @Test
    void shouldNotAllocateOnPrimitivePaths()
    {
        final MessageSequence message = MessageSequence.create();
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
                message.rewindWrite(0);
                message.rewindRead(0);
                message.writeInt(i);
                message.writeLong(i);
                message.writeBoolean(true);
                message.writeChar('c');
                message.writeDouble(i);
                sum += message.readInt() + message.readLong() + (message.readBoolean() ? 1 : 0) + message.readChar() +
                    (long)message.readDouble();
            }
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (round > 0)
            {
                assertTrue(allocated < 4096, "allocated " + allocated + " bytes over 100000 messages");
            }
        }
        assertTrue(sum > 0);
        message.reclaim();
    }
}
