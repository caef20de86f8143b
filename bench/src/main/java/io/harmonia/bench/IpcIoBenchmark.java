package io.harmonia.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.harmonia.bindings.ipc.IpcIoBuffer;
import io.harmonia.bindings.ipc.IpcIoStringView;
import io.harmonia.rpc.MessageSequence;

/**
 * Write and read back one message in the IpcIo format, against same-run baselines that encode the same fields
 * by hand with {@link ByteBuffer} and with {@link DataOutputStream}/{@link DataInputStream}.
 *
 * <ul>
 *   <li>small: 4 int32 + a 32-character ASCII string (56 bytes in the IpcIo format; the C bench writes the
 *       same bytes);</li>
 *   <li>kilo: 64 int32 + 32 int64 + a 500-character ASCII string (1020 bytes).</li>
 * </ul>
 * Strings are C's UTF-8 {@code WriteString}. "View" variants read the string without copying (the Java form of
 * C's {@code ReadString}, which returns a pointer into the message) and allocate nothing; "String" variants
 * decode it into a new {@link String}. The ByteBuffer baselines mirror both; DataInputStream can only decode.
 * The flyweight runs over heap memory (as in MessageSequence) and over native memory (as over a ring slot).
 * Run with {@code -prof gc} for B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class IpcIoBenchmark
{
    private static final String SMALL_TEXT = "0123456789abcdefghijklmnopqrstuv";
    private static final String KILO_TEXT = "abcdefghij".repeat(50);

    private final IpcIoBuffer flyweight = new IpcIoBuffer();
    private final IpcIoBuffer nativeFlyweight = new IpcIoBuffer();
    private final Arena arena = Arena.ofShared();
    private final IpcIoStringView view = new IpcIoStringView();
    private MessageSequence message;
    private final ByteBuffer byteBuffer = ByteBuffer.allocate(2048).order(ByteOrder.nativeOrder());
    private final ExposedOutput streamBytes = new ExposedOutput();
    private final DataOutputStream dataOut = new DataOutputStream(streamBytes);
    private final ExposedInput streamInput = new ExposedInput();
    private final DataInputStream dataIn = new DataInputStream(streamInput);

    /** A ByteArrayOutputStream whose array the input side can read without a copy. */
    static final class ExposedOutput extends ByteArrayOutputStream
    {
        ExposedOutput()
        {
            super(2048);
        }

        byte[] array()
        {
            return buf;
        }
    }

    /** A ByteArrayInputStream that can be pointed at new bytes without allocating. */
    static final class ExposedInput extends ByteArrayInputStream
    {
        ExposedInput()
        {
            super(new byte[0]);
        }

        void point(final byte[] bytes, final int length)
        {
            buf = bytes;
            pos = 0;
            count = length;
            mark = 0;
        }
    }

    /** Memory for the flyweight and a MessageSequence, outside the measured code. */
    @Setup
    public void setUp()
    {
        flyweight.wrapForWriting(MemorySegment.ofArray(new byte[2048]), MemorySegment.ofArray(new byte[64]));
        nativeFlyweight.wrapForWriting(arena.allocate(2048, 64), arena.allocate(64, 8));
        message = MessageSequence.create();
    }

    /** Releases the MessageSequence. */
    @TearDown
    public void tearDown()
    {
        message.reclaim();
        arena.close();
    }

    // ---- small message: 4 int32 + 32 ASCII chars ----

    /**
     * The flyweight over heap memory, string read as a view: the zero-allocation path.
     *
     * @return a value derived from everything read.
     */
    @Benchmark
    public long smallFlyweightView()
    {
        return small(flyweight);
    }

    /**
     * The flyweight over native memory (as over a ring slot), string read as a view.
     *
     * @return a value derived from everything read.
     */
    @Benchmark
    public long smallFlyweightNativeView()
    {
        return small(nativeFlyweight);
    }

    private long small(final IpcIoBuffer buffer)
    {
        buffer.rewindWrite(0);
        buffer.writeInt32(1);
        buffer.writeInt32(2);
        buffer.writeInt32(3);
        buffer.writeInt32(4);
        buffer.writeString(SMALL_TEXT);
        buffer.rewindRead(0);
        final long sum = buffer.readInt32() + buffer.readInt32() + buffer.readInt32() + buffer.readInt32();
        buffer.readString(view);
        return sum + view.length() + (buffer.failed() ? 1 : 0);
    }

    /**
     * MessageSequence, string read as a view.
     *
     * @return a value derived from everything read.
     */
    @Benchmark
    public long smallMessageSequenceView()
    {
        final MessageSequence m = message;
        m.rewindWrite(0);
        m.writeInt(1);
        m.writeInt(2);
        m.writeInt(3);
        m.writeInt(4);
        m.writeUtf8String(SMALL_TEXT);
        m.rewindRead(0);
        final long sum = m.readInt() + m.readInt() + m.readInt() + m.readInt();
        m.readUtf8String(view);
        return sum + view.length();
    }

    /**
     * MessageSequence, string decoded into a new String.
     *
     * @return the string (so it is not eliminated).
     */
    @Benchmark
    public String smallMessageSequenceString()
    {
        final MessageSequence m = message;
        m.rewindWrite(0);
        m.writeInt(1);
        m.writeInt(2);
        m.writeInt(3);
        m.writeInt(4);
        m.writeUtf8String(SMALL_TEXT);
        m.rewindRead(0);
        final int sum = m.readInt() + m.readInt() + m.readInt() + m.readInt();
        return 10 == sum ? m.readUtf8String() : null;
    }

    /**
     * Baseline: the same bytes by hand with a ByteBuffer, the string skipped over on reading (no decoding).
     *
     * @return a value derived from everything read.
     */
    @Benchmark
    public long smallByteBufferBaselineView()
    {
        final ByteBuffer b = byteBuffer;
        final long sum = smallByteBufferNumbers(b);
        final int length = b.getInt();
        b.position(b.position() + ((length + 4) & ~3));
        return sum + length;
    }

    /**
     * Baseline: the same bytes by hand with a ByteBuffer, the string decoded into a new String.
     *
     * @return the string.
     */
    @Benchmark
    public String smallByteBufferBaselineString()
    {
        final ByteBuffer b = byteBuffer;
        final long sum = smallByteBufferNumbers(b);
        final int length = b.getInt();
        final String text = new String(b.array(), b.position(), length, StandardCharsets.UTF_8);
        b.position(b.position() + ((length + 4) & ~3));
        return 10 == sum ? text : null;
    }

    /** Writes the small message by hand, flips, and reads its four ints back; the string is next to read. */
    private static long smallByteBufferNumbers(final ByteBuffer b)
    {
        b.clear();
        b.putInt(1).putInt(2).putInt(3).putInt(4);
        putAsciiString(b, SMALL_TEXT);
        b.flip();
        return b.getInt() + b.getInt() + b.getInt() + b.getInt();
    }

    /**
     * Baseline: DataOutputStream and DataInputStream (big-endian, modified UTF-8: not the IpcIo format).
     *
     * @return the string.
     * @throws IOException never (memory streams).
     */
    @Benchmark
    public String smallDataStreamBaseline() throws IOException
    {
        streamBytes.reset();
        dataOut.writeInt(1);
        dataOut.writeInt(2);
        dataOut.writeInt(3);
        dataOut.writeInt(4);
        dataOut.writeUTF(SMALL_TEXT);
        streamInput.point(streamBytes.array(), streamBytes.size());
        final int sum = dataIn.readInt() + dataIn.readInt() + dataIn.readInt() + dataIn.readInt();
        final String text = dataIn.readUTF();
        return 10 == sum ? text : null;
    }

    private static void putAsciiString(final ByteBuffer b, final String text)
    {
        final int length = text.length();
        b.putInt(length);
        for (int i = 0; i < length; i++)
        {
            b.put((byte)text.charAt(i));
        }
        for (int pad = (length + 4) & ~3; pad > length; pad--)
        {
            b.put((byte)0);
        }
    }

    // ---- 1 KiB message: 64 int32 + 32 int64 + 500 ASCII chars ----

    /**
     * The flyweight over heap memory, string read as a view.
     *
     * @return a value derived from everything read.
     */
    @Benchmark
    public long kiloFlyweightView()
    {
        return kilo(flyweight);
    }

    /**
     * The flyweight over native memory (as over a ring slot), string read as a view.
     *
     * @return a value derived from everything read.
     */
    @Benchmark
    public long kiloFlyweightNativeView()
    {
        return kilo(nativeFlyweight);
    }

    private long kilo(final IpcIoBuffer buffer)
    {
        buffer.rewindWrite(0);
        for (int i = 0; i < 64; i++)
        {
            buffer.writeInt32(i);
        }
        for (int i = 0; i < 32; i++)
        {
            buffer.writeInt64(i);
        }
        buffer.writeString(KILO_TEXT);
        buffer.rewindRead(0);
        long sum = 0;
        for (int i = 0; i < 64; i++)
        {
            sum += buffer.readInt32();
        }
        for (int i = 0; i < 32; i++)
        {
            sum += buffer.readInt64();
        }
        buffer.readString(view);
        return sum + view.length() + (buffer.failed() ? 1 : 0);
    }

    /**
     * MessageSequence, string decoded into a new String.
     *
     * @return the string.
     */
    @Benchmark
    public String kiloMessageSequenceString()
    {
        final MessageSequence m = message;
        m.rewindWrite(0);
        for (int i = 0; i < 64; i++)
        {
            m.writeInt(i);
        }
        for (int i = 0; i < 32; i++)
        {
            m.writeLong(i);
        }
        m.writeUtf8String(KILO_TEXT);
        m.rewindRead(0);
        long sum = 0;
        for (int i = 0; i < 64; i++)
        {
            sum += m.readInt();
        }
        for (int i = 0; i < 32; i++)
        {
            sum += m.readLong();
        }
        return sum > 0 ? m.readUtf8String() : null;
    }

    /**
     * Baseline: ByteBuffer by hand, the string skipped over.
     *
     * @return a value derived from everything read.
     */
    @Benchmark
    public long kiloByteBufferBaselineView()
    {
        final ByteBuffer b = byteBuffer;
        final long sum = kiloByteBufferNumbers(b);
        final int length = b.getInt();
        b.position(b.position() + ((length + 4) & ~3));
        return sum + length;
    }

    /**
     * Baseline: ByteBuffer by hand, the string decoded into a new String.
     *
     * @return the string.
     */
    @Benchmark
    public String kiloByteBufferBaselineString()
    {
        final ByteBuffer b = byteBuffer;
        final long sum = kiloByteBufferNumbers(b);
        final int length = b.getInt();
        final String text = new String(b.array(), b.position(), length, StandardCharsets.UTF_8);
        return sum > 0 ? text : null;
    }

    /** Writes the kilo message by hand, flips, and reads its numbers back; the string is next to read. */
    private static long kiloByteBufferNumbers(final ByteBuffer b)
    {
        b.clear();
        for (int i = 0; i < 64; i++)
        {
            b.putInt(i);
        }
        for (int i = 0; i < 32; i++)
        {
            b.putLong(i);
        }
        putAsciiString(b, KILO_TEXT);
        b.flip();
        long sum = 0;
        for (int i = 0; i < 64; i++)
        {
            sum += b.getInt();
        }
        for (int i = 0; i < 32; i++)
        {
            sum += b.getLong();
        }
        return sum;
    }

    /**
     * Baseline: DataOutputStream and DataInputStream.
     *
     * @return the string.
     * @throws IOException never.
     */
    @Benchmark
    public String kiloDataStreamBaseline() throws IOException
    {
        streamBytes.reset();
        for (int i = 0; i < 64; i++)
        {
            dataOut.writeInt(i);
        }
        for (int i = 0; i < 32; i++)
        {
            dataOut.writeLong(i);
        }
        dataOut.writeUTF(KILO_TEXT);
        streamInput.point(streamBytes.array(), streamBytes.size());
        long sum = 0;
        for (int i = 0; i < 64; i++)
        {
            sum += dataIn.readInt();
        }
        for (int i = 0; i < 32; i++)
        {
            sum += dataIn.readLong();
        }
        return sum > 0 ? dataIn.readUTF() : null;
    }
}
