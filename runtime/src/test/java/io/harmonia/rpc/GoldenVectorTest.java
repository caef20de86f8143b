package io.harmonia.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import io.harmonia.bindings.ipc.IpcIoBuffer;
import io.harmonia.bindings.ipc.IpcIoFormat;
import io.harmonia.bindings.ipc.IpcIoStringView;
import io.harmonia.bindings.ipc.SvcIdentity;

/**
 * Golden vectors, Java side: interprets native/tests/ipc/golden/vectors.txt (shared with the C test). For every
 * vector, the IpcIoBuffer flyweight and (where the types exist there) MessageSequence must write exactly the
 * bytes of golden/from-c/&lt;name&gt;.bin, which C wrote; the committed golden/from-java files must equal the
 * Java encoding (the C test reads them); and both files must read back with the vector's read script, error
 * vectors failing at the marked read. {@code -Dharmonia.golden.regenerate=true} rewrites from-java instead.
 */
class GoldenVectorTest
{
    private static final Path GOLDEN = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
        .resolve("../native/tests/ipc/golden").normalize();
    private static final boolean REGENERATE = Boolean.getBoolean("harmonia.golden.regenerate");
    private static final Set<String> MESSAGE_SEQUENCE_WRITES = Set.of(
        "bool", "int8", "int16", "int32", "int64", "uint16", "uint32", "uint64", "float", "double", "string",
        "string16", "token", "rawdata", "fd", "bool_vector", "int8_vector", "int16_vector", "int32_vector",
        "int64_vector", "uint8_vector", "uint16_vector", "uint32_vector", "uint64_vector", "float_vector",
        "double_vector", "setup");

    /** One line of a vector. */
    record Item(char prefix, String op, List<String> args, boolean fail, int line)
    {
        boolean writes()
        {
            return 'r' != prefix && !"setup".equals(op);
        }

        boolean reads()
        {
            return 'w' != prefix;
        }
    }

    /** One vector. */
    record Vector(String name, boolean compat, List<Item> items)
    {
    }

    /** The bytes of a message as the golden files hold them. */
    record Image(byte[] data, long[] offsets)
    {
        byte[] toFile()
        {
            final ByteBuffer file = ByteBuffer.allocate(16 + 4 * offsets.length + data.length)
                .order(ByteOrder.LITTLE_ENDIAN);
            file.put("HMGV".getBytes(StandardCharsets.US_ASCII)).putInt(1).putInt(data.length).putInt(offsets.length);
            for (final long offset : offsets)
            {
                file.putInt((int)offset);
            }
            return file.put(data).array();
        }

        static Image fromFile(final byte[] bytes)
        {
            final ByteBuffer file = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            final byte[] magic = new byte[4];
            file.get(magic);
            assertEquals("HMGV", new String(magic, StandardCharsets.US_ASCII), "magic");
            assertEquals(1, file.getInt(), "version");
            final int length = file.getInt();
            final long[] offsets = new long[file.getInt()];
            for (int i = 0; i < offsets.length; i++)
            {
                offsets[i] = Integer.toUnsignedLong(file.getInt());
            }
            final byte[] data = new byte[length];
            file.get(data);
            assertFalse(file.hasRemaining(), "trailing bytes");
            return new Image(data, offsets);
        }
    }

    @Test
    void everyVectorHasBothFilesAndTheDefinitionIsNotEmpty() throws IOException
    {
        final List<Vector> vectors = load();
        assertTrue(vectors.size() >= 30, "vectors: " + vectors.size());
        assertTrue(vectors.stream().anyMatch(v -> v.name().startsWith("error_")), "error vectors exist");
        for (final Vector vector : vectors)
        {
            assertTrue(Files.isRegularFile(file("from-c", vector)), "C-written file of " + vector.name());
            assertTrue(REGENERATE || Files.isRegularFile(file("from-java", vector)),
                "Java-written file of " + vector.name());
        }
    }

    @TestFactory
    Stream<DynamicTest> flyweightWritesTheBytesCWrote() throws IOException
    {
        return load().stream().map(vector -> DynamicTest.dynamicTest(vector.name(), () ->
        {
            final Image written = writeWithFlyweight(vector);
            final Path javaFile = file("from-java", vector);
            if (REGENERATE)
            {
                Files.write(javaFile, written.toFile());
            }
            assertArrayEquals(Files.readAllBytes(file("from-c", vector)), written.toFile(),
                "flyweight bytes differ from the C encoding");
            assertArrayEquals(Files.readAllBytes(javaFile), written.toFile(),
                "the committed from-java file is stale (regenerate deliberately, see README.md)");
        }));
    }

    @TestFactory
    Stream<DynamicTest> messageSequenceWritesTheBytesCWrote() throws IOException
    {
        return load().stream()
            .filter(vector -> vector.items().stream().filter(Item::writes).allMatch(this::messageSequenceWrites))
            .map(vector -> DynamicTest.dynamicTest(vector.name(), () ->
            {
                try (MessageSequence message = MessageSequence.create())
                {
                    for (final Item item : vector.items())
                    {
                        if (item.writes())
                        {
                            writeWithMessageSequence(message, item);
                        }
                    }
                    final long[] offsets = new long[message.getObjectCount()];
                    for (int i = 0; i < offsets.length; i++)
                    {
                        offsets[i] = message.getObjectOffset(i);
                    }
                    final Image written = new Image(message.data().toArray(ValueLayout.JAVA_BYTE), offsets);
                    assertArrayEquals(Files.readAllBytes(file("from-c", vector)), written.toFile());
                }
            }));
    }

    @TestFactory
    Stream<DynamicTest> flyweightReadsWhatCAndJavaWrote() throws IOException
    {
        return load().stream().flatMap(vector -> Stream.of("from-c", "from-java").map(source ->
            DynamicTest.dynamicTest(vector.name() + " (" + source + ")", () ->
                readWithFlyweight(vector, Image.fromFile(Files.readAllBytes(file(source, vector)))))));
    }

    @TestFactory
    Stream<DynamicTest> messageSequenceReadsWhatCWrote() throws IOException
    {
        return load().stream()
            .filter(vector -> !vector.compat())
            .filter(vector -> vector.items().stream().filter(Item::reads).allMatch(this::messageSequenceWrites))
            .map(vector -> DynamicTest.dynamicTest(vector.name(), () ->
                readWithMessageSequence(vector, Image.fromFile(Files.readAllBytes(file("from-c", vector))))));
    }

    private boolean messageSequenceWrites(final Item item)
    {
        return MESSAGE_SEQUENCE_WRITES.contains(item.op()) &&
            !("token".equals(item.op()) && text(item.args().get(0)).isEmpty()) &&
            !("uint16".equals(item.op()) && Long.parseLong(item.args().get(0)) > Character.MAX_VALUE);
    }

    private static Path file(final String folder, final Vector vector)
    {
        return GOLDEN.resolve(folder).resolve(vector.name() + ".bin");
    }

    // ---- parsing ----

    static List<Vector> load() throws IOException
    {
        final List<Vector> vectors = new ArrayList<>();
        List<Item> items = null;
        int lineNumber = 0;
        for (final String line : Files.readAllLines(GOLDEN.resolve("vectors.txt"), StandardCharsets.UTF_8))
        {
            lineNumber++;
            final List<String> tokens = tokenize(line);
            if (tokens.isEmpty())
            {
                continue;
            }
            if ("vector".equals(tokens.get(0)))
            {
                items = new ArrayList<>();
                vectors.add(new Vector(tokens.get(1), tokens.size() > 2 && "compat".equals(tokens.get(2)), items));
                continue;
            }
            char prefix = 0;
            int first = 0;
            if ("w".equals(tokens.get(0)) || "r".equals(tokens.get(0)))
            {
                prefix = tokens.get(0).charAt(0);
                first = 1;
            }
            final boolean fail = "FAIL".equals(tokens.get(tokens.size() - 1));
            final List<String> args = tokens.subList(first + 1, tokens.size() - (fail ? 1 : 0));
            assertNotNull(items, "line " + lineNumber + " comes before any vector");
            items.add(new Item(prefix, tokens.get(first), List.copyOf(args), fail, lineNumber));
        }
        return vectors;
    }

    private static List<String> tokenize(final String line)
    {
        final List<String> tokens = new ArrayList<>();
        int at = 0;
        while (at < line.length())
        {
            while (at < line.length() && Character.isWhitespace(line.charAt(at)))
            {
                at++;
            }
            if (at == line.length() || '#' == line.charAt(at))
            {
                break;
            }
            final int start = at;
            if ('"' == line.charAt(at))
            {
                at++;
                while (at < line.length() && '"' != line.charAt(at))
                {
                    at += '\\' == line.charAt(at) ? 2 : 1;
                }
                at++;
            }
            while (at < line.length() && !Character.isWhitespace(line.charAt(at)))
            {
                at++;
            }
            tokens.add(line.substring(start, at));
        }
        return tokens;
    }

    /** "text"*N with \" \\ \n escapes. */
    static String text(final String token)
    {
        final StringBuilder unit = new StringBuilder();
        int at = 1;
        while ('"' != token.charAt(at))
        {
            char c = token.charAt(at++);
            if ('\\' == c)
            {
                c = token.charAt(at++);
                if ('n' == c)
                {
                    c = '\n';
                }
            }
            unit.append(c);
        }
        final int repeat = at + 1 < token.length() && '*' == token.charAt(at + 1)
            ? Integer.parseInt(token.substring(at + 2)) : 1;
        return unit.toString().repeat(repeat);
    }

    private static byte[] hex(final List<String> args)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (final String arg : args)
        {
            final String[] parts = arg.split("\\*");
            final int repeat = parts.length > 1 ? Integer.parseInt(parts[1]) : 1;
            for (int r = 0; r < repeat; r++)
            {
                bytes.write(Integer.parseInt(parts[0], 16));
            }
        }
        return bytes.toByteArray();
    }

    /** Signed decimal, unsigned decimal, or 0x bits, as the 64 bits C would hold. */
    private static long number(final String token)
    {
        if (token.startsWith("0x"))
        {
            return Long.parseUnsignedLong(token.substring(2), 16);
        }
        return token.startsWith("-") ? Long.parseLong(token) : Long.parseUnsignedLong(token);
    }

    private static long arg(final Item item, final int index)
    {
        return number(item.args().get(index));
    }

    private static boolean bool(final Item item, final int index)
    {
        return "true".equals(item.args().get(index));
    }

    private static boolean[] bools(final Item item)
    {
        final boolean[] values = new boolean[item.args().size()];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = bool(item, i);
        }
        return values;
    }

    private static long[] longs(final Item item)
    {
        return item.args().stream().mapToLong(GoldenVectorTest::number).toArray();
    }

    private static byte[] bytes(final Item item)
    {
        final long[] values = longs(item);
        final byte[] result = new byte[values.length];
        for (int i = 0; i < values.length; i++)
        {
            result[i] = (byte)values[i];
        }
        return result;
    }

    private static short[] shorts(final Item item)
    {
        final long[] values = longs(item);
        final short[] result = new short[values.length];
        for (int i = 0; i < values.length; i++)
        {
            result[i] = (short)values[i];
        }
        return result;
    }

    private static char[] chars(final Item item)
    {
        final long[] values = longs(item);
        final char[] result = new char[values.length];
        for (int i = 0; i < values.length; i++)
        {
            result[i] = (char)values[i];
        }
        return result;
    }

    private static int[] ints(final Item item)
    {
        return item.args().stream().mapToInt(token -> (int)number(token)).toArray();
    }

    private static float[] floats(final Item item)
    {
        final long[] bits = longs(item);
        final float[] result = new float[bits.length];
        for (int i = 0; i < bits.length; i++)
        {
            result[i] = Float.intBitsToFloat((int)bits[i]);
        }
        return result;
    }

    private static double[] doubles(final Item item)
    {
        final long[] bits = longs(item);
        final double[] result = new double[bits.length];
        for (int i = 0; i < bits.length; i++)
        {
            result[i] = Double.longBitsToDouble(bits[i]);
        }
        return result;
    }

    // ---- the flyweight ----

    private static Image writeWithFlyweight(final Vector vector)
    {
        final IpcIoBuffer buffer = new IpcIoBuffer()
            .wrapForWriting(MemorySegment.ofArray(new byte[256 * 1024]), MemorySegment.ofArray(new byte[64 * 8]))
            .compatible(vector.compat());
        final List<Long> table = new ArrayList<>();
        for (final Item item : vector.items())
        {
            if (!item.writes())
            {
                continue;
            }
            final int objectsBefore = buffer.objectCount();
            if ("table".equals(item.op()))
            {
                table.add(arg(item, 0));
                continue;
            }
            assertTrue(write(buffer, item), "line " + item.line() + ": writing " + item.op() + " failed: " +
                buffer.describeFailure());
            for (int i = objectsBefore; i < buffer.objectCount(); i++)
            {
                table.add(buffer.objectOffset(i));
            }
        }
        final byte[] data = buffer.data().asSlice(0, buffer.writePosition()).toArray(ValueLayout.JAVA_BYTE);
        return new Image(data, table.stream().mapToLong(Long::longValue).toArray());
    }

    private static boolean write(final IpcIoBuffer buffer, final Item item)
    {
        return switch (item.op())
        {
            case "bool" -> buffer.writeBool(bool(item, 0));
            case "int8" -> buffer.writeInt8((byte)arg(item, 0));
            case "int16" -> buffer.writeInt16((short)arg(item, 0));
            case "int32", "uint32" -> buffer.writeInt32((int)arg(item, 0));
            case "int64", "uint64" -> buffer.writeInt64(arg(item, 0));
            case "uint8" -> buffer.writeUint8((int)arg(item, 0));
            case "uint16" -> buffer.writeUint16((int)arg(item, 0));
            case "bool_u" -> buffer.writeBoolUnaligned(bool(item, 0));
            case "int8_u", "uint8_u" -> buffer.writeInt8Unaligned((byte)arg(item, 0));
            case "int16_u", "uint16_u" -> buffer.writeInt16Unaligned((short)arg(item, 0));
            case "float" -> buffer.writeFloat(Float.intBitsToFloat((int)arg(item, 0)));
            case "double" -> buffer.writeDouble(Double.longBitsToDouble(arg(item, 0)));
            case "string" -> buffer.writeString(text(item.args().get(0)));
            case "string16" -> buffer.writeString16(text(item.args().get(0)));
            case "token" -> buffer.writeInterfaceToken(text(item.args().get(0)));
            case "buffer" -> buffer.writeBuffer(MemorySegment.ofArray(hex(item.args())));
            case "rawdata" -> buffer.writeRawData(MemorySegment.ofArray(hex(item.args())));
            case "bytes" ->
            {
                boolean ok = true;
                for (final byte b : hex(item.args()))
                {
                    ok = ok && buffer.writeInt8Unaligned(b);
                }
                yield ok;
            }
            case "fd" -> buffer.writeFileDescriptor((int)arg(item, 0));
            case "remote" -> buffer.writeRemoteObject((int)arg(item, 0), arg(item, 1), arg(item, 2));
            case "bool_vector" -> buffer.writeBoolVector(bools(item));
            case "int8_vector", "uint8_vector" -> buffer.writeInt8Vector(bytes(item));
            case "int16_vector" -> buffer.writeInt16Vector(shorts(item));
            case "uint16_vector" -> buffer.writeUint16Vector(chars(item));
            case "int32_vector", "uint32_vector" -> buffer.writeInt32Vector(ints(item));
            case "int64_vector", "uint64_vector" -> buffer.writeInt64Vector(longs(item));
            case "float_vector" -> buffer.writeFloatVector(floats(item));
            case "double_vector" -> buffer.writeDoubleVector(doubles(item));
            default -> throw new AssertionError("line " + item.line() + ": unknown op " + item.op());
        };
    }

    private static void readWithFlyweight(final Vector vector, final Image image)
    {
        final byte[] table = new byte[image.offsets().length * 8];
        MemorySegment.copy(image.offsets(), 0, MemorySegment.ofArray(table), ValueLayout.JAVA_LONG_UNALIGNED, 0,
            image.offsets().length);
        final IpcIoBuffer buffer = new IpcIoBuffer()
            .wrapForReading(MemorySegment.ofArray(image.data()), image.data().length, MemorySegment.ofArray(table),
                image.offsets().length)
            .compatible(vector.compat());
        final boolean setupOk = !buffer.failed();
        boolean failedBefore = false;
        for (final Item item : vector.items())
        {
            if (!item.reads())
            {
                continue;
            }
            final String where = vector.name() + ", line " + item.line() + ": " + item.op();
            if ("setup".equals(item.op()))
            {
                assertEquals(!item.fail(), setupOk, where + " (" + buffer.describeFailure() + ")");
                continue;
            }
            assertTrue(setupOk, where + ": reader refused the message: " + buffer.describeFailure());
            final boolean matched = readAndCompare(buffer, item);
            if (item.fail() || failedBefore)
            {
                assertTrue(buffer.failed(), where + " should fail and stay failed");
            }
            else
            {
                assertFalse(buffer.failed(), where + " failed: " + buffer.describeFailure());
                assertTrue(matched, where + " read another value");
            }
            failedBefore |= item.fail();
        }
        if (setupOk && !failedBefore)
        {
            assertEquals(0, buffer.readableBytes(), vector.name() + ": bytes left unread");
        }
    }

    private static boolean readAndCompare(final IpcIoBuffer buffer, final Item item)
    {
        return switch (item.op())
        {
            case "bool" -> bool(item, 0) == buffer.readBool();
            case "int8" -> (byte)arg(item, 0) == buffer.readInt8();
            case "int16" -> (short)arg(item, 0) == buffer.readInt16();
            case "int32", "uint32" -> (int)arg(item, 0) == buffer.readInt32();
            case "int64", "uint64" -> arg(item, 0) == buffer.readInt64();
            case "uint8" -> arg(item, 0) == buffer.readUint8();
            case "uint16" -> arg(item, 0) == buffer.readUint16();
            case "bool_u" -> bool(item, 0) == buffer.readBoolUnaligned();
            case "int8_u" -> (byte)arg(item, 0) == buffer.readInt8Unaligned();
            case "uint8_u" -> arg(item, 0) == (buffer.readInt8Unaligned() & 0xff);
            case "int16_u" -> (short)arg(item, 0) == buffer.readInt16Unaligned();
            case "uint16_u" -> arg(item, 0) == (buffer.readInt16Unaligned() & 0xffff);
            case "float" -> (int)arg(item, 0) == Float.floatToRawIntBits(buffer.readFloat());
            case "double" -> arg(item, 0) == Double.doubleToRawLongBits(buffer.readDouble());
            case "string" ->
            {
                final IpcIoStringView view = new IpcIoStringView();
                final String expected = text(item.args().get(0));
                yield buffer.readString(view) && view.contentEquals(expected) && expected.equals(view.toString());
            }
            case "string16" -> text(item.args().get(0)).equals(buffer.readString16());
            case "token" -> text(item.args().get(0)).equals(buffer.readInterfaceToken());
            case "buffer" -> sameBytes(hex(item.args()), buffer.readBuffer(hex(item.args()).length));
            case "rawdata" -> sameBytes(hex(item.args()), buffer.readRawData(hex(item.args()).length));
            case "fd" -> arg(item, 0) == buffer.readFileDescriptor();
            case "remote" ->
            {
                final SvcIdentity identity = new SvcIdentity();
                yield buffer.readRemoteObject(identity) && identity.handle() == (int)arg(item, 0) &&
                    identity.token() == arg(item, 1) && identity.cookie() == arg(item, 2);
            }
            case "bool_vector" -> Arrays.equals(bools(item), buffer.readBoolVector());
            case "int8_vector", "uint8_vector" -> Arrays.equals(bytes(item), buffer.readInt8Vector());
            case "int16_vector" -> Arrays.equals(shorts(item), buffer.readInt16Vector());
            case "uint16_vector" -> Arrays.equals(chars(item), buffer.readUint16Vector());
            case "int32_vector", "uint32_vector" -> Arrays.equals(ints(item), buffer.readInt32Vector());
            case "int64_vector", "uint64_vector" -> Arrays.equals(longs(item), buffer.readInt64Vector());
            case "float_vector" -> Arrays.equals(floats(item), buffer.readFloatVector());
            case "double_vector" -> Arrays.equals(doubles(item), buffer.readDoubleVector());
            default -> throw new AssertionError("line " + item.line() + ": unknown op " + item.op());
        };
    }

    private static boolean sameBytes(final byte[] expected, final MemorySegment actual)
    {
        return null != actual && Arrays.equals(expected, actual.toArray(ValueLayout.JAVA_BYTE));
    }

    // ---- MessageSequence ----

    private static void writeWithMessageSequence(final MessageSequence message, final Item item)
    {
        switch (item.op())
        {
            case "bool" -> message.writeBoolean(bool(item, 0));
            case "int8" -> message.writeByte((byte)arg(item, 0));
            case "int16" -> message.writeShort((short)arg(item, 0));
            case "int32", "uint32" -> message.writeInt((int)arg(item, 0));
            case "int64", "uint64" -> message.writeLong(arg(item, 0));
            case "uint16" -> message.writeChar((char)arg(item, 0));
            case "float" -> message.writeFloat(Float.intBitsToFloat((int)arg(item, 0)));
            case "double" -> message.writeDouble(Double.longBitsToDouble(arg(item, 0)));
            case "string" -> message.writeUtf8String(text(item.args().get(0)));
            case "string16" -> message.writeString(text(item.args().get(0)));
            case "token" -> message.writeInterfaceToken(text(item.args().get(0)));
            case "rawdata" -> message.writeRawDataBuffer(hex(item.args()), hex(item.args()).length);
            case "fd" -> message.writeFileDescriptor((int)arg(item, 0));
            case "bool_vector" -> message.writeBooleanArray(bools(item));
            case "int8_vector", "uint8_vector" -> message.writeByteArray(bytes(item));
            case "int16_vector" -> message.writeShortArray(shorts(item));
            case "uint16_vector" -> message.writeCharArray(chars(item));
            case "int32_vector", "uint32_vector" -> message.writeIntArray(ints(item));
            case "int64_vector", "uint64_vector" -> message.writeLongArray(longs(item));
            case "float_vector" -> message.writeFloatArray(floats(item));
            case "double_vector" -> message.writeDoubleArray(doubles(item));
            default -> throw new AssertionError("line " + item.line() + ": not a MessageSequence op " + item.op());
        }
    }

    private static void readWithMessageSequence(final Vector vector, final Image image)
    {
        final List<Item> reads = vector.items().stream().filter(Item::reads).toList();
        if (reads.stream().anyMatch(item -> "setup".equals(item.op())))
        {
            final RpcException refused = assertThrows(RpcException.class,
                () -> MessageSequence.copyFrom(MemorySegment.ofArray(image.data()), image.offsets()));
            assertEquals(RpcException.READ_DATA_FROM_MESSAGE_SEQUENCE_ERROR, refused.code());
            return;
        }
        try (MessageSequence message = MessageSequence.copyFrom(MemorySegment.ofArray(image.data()), image.offsets()))
        {
            for (final Item item : reads)
            {
                final String where = vector.name() + ", line " + item.line() + ": " + item.op();
                if (item.fail())
                {
                    // MessageSequence throws at the first failing read (and changes nothing), so it stops there.
                    final int position = message.getReadPosition();
                    final RpcException failure = assertThrows(RpcException.class,
                        () -> readWithMessageSequence(message, item), where);
                    assertEquals(RpcException.READ_DATA_FROM_MESSAGE_SEQUENCE_ERROR, failure.code(), where);
                    assertTrue(failure.getMessage().contains("field '"), failure.getMessage());
                    assertEquals(position, message.getReadPosition(), where + ": a failed read moved");
                    return;
                }
                assertTrue(readWithMessageSequence(message, item), where + " read another value");
            }
            assertEquals(0, message.getReadableBytes(), vector.name() + ": bytes left unread");
        }
    }

    private static boolean readWithMessageSequence(final MessageSequence message, final Item item)
    {
        return switch (item.op())
        {
            case "bool" -> bool(item, 0) == message.readBoolean();
            case "int8" -> (byte)arg(item, 0) == message.readByte();
            case "int16" -> (short)arg(item, 0) == message.readShort();
            case "int32", "uint32" -> (int)arg(item, 0) == message.readInt();
            case "int64", "uint64" -> arg(item, 0) == message.readLong();
            case "uint16" -> arg(item, 0) == message.readChar();
            case "float" -> (int)arg(item, 0) == Float.floatToRawIntBits(message.readFloat());
            case "double" -> arg(item, 0) == Double.doubleToRawLongBits(message.readDouble());
            case "string" -> text(item.args().get(0)).equals(message.readUtf8String());
            case "string16" -> text(item.args().get(0)).equals(message.readString());
            case "token" -> text(item.args().get(0)).equals(message.readInterfaceToken());
            case "rawdata" -> Arrays.equals(hex(item.args()), message.readRawDataBuffer(
                hex(item.args()).length));
            case "fd" -> arg(item, 0) == message.readFileDescriptor();
            case "bool_vector" -> Arrays.equals(bools(item), message.readBooleanArray());
            case "int8_vector", "uint8_vector" -> Arrays.equals(bytes(item), message.readByteArray());
            case "int16_vector" -> Arrays.equals(shorts(item), message.readShortArray());
            case "uint16_vector" -> Arrays.equals(chars(item), message.readCharArray());
            case "int32_vector", "uint32_vector" -> Arrays.equals(ints(item), message.readIntArray());
            case "int64_vector", "uint64_vector" -> Arrays.equals(longs(item), message.readLongArray());
            case "float_vector" -> Arrays.equals(floats(item), message.readFloatArray());
            case "double_vector" -> Arrays.equals(doubles(item), message.readDoubleArray());
            default -> fail("line " + item.line() + ": not a MessageSequence op " + item.op());
        };
    }
}
