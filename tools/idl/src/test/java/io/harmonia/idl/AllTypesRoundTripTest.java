package io.harmonia.idl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import io.harmonia.rpc.CallFailure;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.RemoteCallException;
import io.harmonia.rpc.RemoteObject;
import io.harmonia.rpc.RpcException;
import ohos.harmonia.test.AllTypesProxy;
import ohos.harmonia.test.AllTypesStub;
import ohos.harmonia.test.IAllTypes;
import ohos.harmonia.test.IListener;
import ohos.harmonia.test.ListenerProxy;
import ohos.harmonia.test.ListenerStub;
import ohos.harmonia.test.Point;

/** Every method of IAllTypes.idl through the generated proxy and stub: every type, direction and form. */
class AllTypesRoundTripTest
{
    static final class Listener extends ListenerStub
    {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(final String name, final int value)
        {
            events.add(name + "=" + value);
        }
    }

    /** Answers each method with a value computed from its inputs; "twice", "late" and "null" steer echo. */
    static final class Service extends AllTypesStub
    {
        final List<String> broadcasts = new CopyOnWriteArrayList<>();
        EchoCallback lateCallback;

        @Override
        public void ping(final PingCallback callback)
        {
            callback.onResult(ERR_OK);
        }

        @Override
        public void flip(final boolean value, final FlipCallback callback)
        {
            callback.onResult(ERR_OK, !value);
        }

        @Override
        public void addBytes(final byte a, final byte b, final AddBytesCallback callback)
        {
            callback.onResult(ERR_OK, (byte)(a + b));
        }

        @Override
        public void negateShort(final short value, final NegateShortCallback callback)
        {
            callback.onResult(ERR_OK, (short)-value);
        }

        @Override
        public void scale(final long value, final float factor, final ScaleCallback callback)
        {
            callback.onResult(ERR_OK, (long)(value * (double)factor), value * (double)factor);
        }

        @Override
        public void echo(final String text, final EchoCallback callback)
        {
            switch (text)
            {
                case "twice" ->
                {
                    callback.onResult(ERR_OK, "first");
                    callback.onResult(ERR_OK, "second");
                }
                case "late" -> lateCallback = callback;
                case "null" -> callback.onResult(ERR_OK, null);
                default -> callback.onResult(ERR_OK, text);
            }
        }

        @Override
        public void swap(final String first, final String second, final SwapCallback callback)
        {
            callback.onResult(ERR_OK, second, first);
        }

        @Override
        public void sum(final int[] values, final SumCallback callback)
        {
            callback.onResult(ERR_OK, Arrays.stream(values).sum(), values.length);
        }

        @Override
        public void transpose(final int[][] matrix, final TransposeCallback callback)
        {
            final int[][] transposed = new int[0 == matrix.length ? 0 : matrix[0].length][matrix.length];
            for (int row = 0; row < matrix.length; row++)
            {
                for (int column = 0; column < matrix[row].length; column++)
                {
                    transposed[column][row] = matrix[row][column];
                }
            }
            callback.onResult(ERR_OK, transposed);
        }

        @Override
        public void primitives(final byte[] bytes, final double[] doubles, final float[] floats, final long[] longs,
            final boolean[] flags, final PrimitivesCallback callback)
        {
            final short[] shorts = new short[bytes.length + floats.length + longs.length];
            int at = 0;
            for (final byte b : bytes)
            {
                shorts[at++] = (short)(b * 100);
            }
            for (final float f : floats)
            {
                shorts[at++] = (short)f;
            }
            for (final long l : longs)
            {
                shorts[at++] = (short)(l >>> 40);
            }
            final double[] twice = Arrays.stream(doubles).map(d -> d * 2).toArray();
            final boolean[] inverted = new boolean[flags.length];
            for (int i = 0; i < flags.length; i++)
            {
                inverted[i] = !flags[i];
            }
            callback.onResult(ERR_OK, inverted, shorts, twice);
        }

        @Override
        public void range(final long start, final int length, final RangeCallback callback)
        {
            final List<Long> values = new ArrayList<>();
            for (int i = 0; i < length; i++)
            {
                values.add(start + i);
            }
            callback.onResult(ERR_OK, values);
        }

        @Override
        public void split(final String text, final SplitCallback callback)
        {
            final String[] parts = text.split(",", -1);
            callback.onResult(ERR_OK, parts, List.of(parts).reversed());
        }

        @Override
        public void countWords(final String[] words, final CountWordsCallback callback)
        {
            final Map<String, Integer> counts = new TreeMap<>();
            for (final String word : words)
            {
                counts.merge(word, 1, Integer::sum);
            }
            callback.onResult(ERR_OK, counts);
        }

        @Override
        public void groupByLength(final List<String> words, final GroupByLengthCallback callback)
        {
            final Map<Integer, List<String>> groups = new TreeMap<>();
            for (final String word : words)
            {
                groups.computeIfAbsent(word.length(), length -> new ArrayList<>()).add(word);
            }
            callback.onResult(ERR_OK, groups);
        }

        @Override
        public void tables(final Map<String, Map<Integer, int[]>> nested, final TablesCallback callback)
        {
            final List<Map<String, Integer>> tables = new ArrayList<>();
            nested.forEach((name, table) ->
            {
                final Map<String, Integer> sums = new LinkedHashMap<>();
                table.forEach((key, values) -> sums.put(name + key, Arrays.stream(values).sum()));
                tables.add(sums);
            });
            callback.onResult(ERR_OK, tables);
        }

        @Override
        public void move(final Point start, final int dx, final Point end, final MoveCallback callback)
        {
            callback.onResult(ERR_OK, new Point(start.x() + dx, start.y()), new Point(end.y(), end.x()));
        }

        @Override
        public void reverse(final List<Point> points, final ReverseCallback callback)
        {
            callback.onResult(ERR_OK, points.reversed().toArray(new Point[0]));
        }

        @Override
        public void register(final IListener listener, final RegisterCallback callback)
        {
            listener.onEvent("registered", 1);
            callback.onResult(ERR_OK);
        }

        @Override
        public void loopback(final IListener listener, final LoopbackCallback callback)
        {
            callback.onResult(ERR_OK, listener);
        }

        @Override
        public void object(final IRemoteObject object, final IRemoteObject[] more, final ObjectCallback callback)
        {
            callback.onResult(ERR_OK, 0 == more.length ? object : more[more.length - 1]);
        }

        @Override
        public void itself(final ItselfCallback callback)
        {
            callback.onResult(ERR_OK, this);
        }

        @Override
        public void broadcast(final String event, final Map<String, String> details)
        {
            broadcasts.add(event + details);
        }
    }

    private final Service service = new Service();
    private final IAllTypes proxy = new AllTypesProxy(service);

    @Test
    void basicTypes()
    {
        proxy.ping();
        assertFalse(proxy.flip(true));
        assertTrue(proxy.flip(false));
        assertEquals((byte)-128, proxy.addBytes((byte)127, (byte)1), "byte travels widened, comes back as byte");
        assertEquals((short)300, proxy.negateShort((short)-300));
        final IAllTypes.ScaleResult scaled = proxy.scale(1L << 40, 2.5f);
        assertEquals((long)((1L << 40) * 2.5), scaled.returnValue());
        assertEquals((1L << 40) * 2.5, scaled.exact());
        assertEquals("héllo, 世界 🎉", proxy.echo("héllo, 世界 🎉"));
        assertEquals("", proxy.echo(""));
    }

    @Test
    void inoutAndOutParameters()
    {
        assertEquals(new IAllTypes.SwapResult("b", "a"), proxy.swap("a", "b"));
        assertEquals(new IAllTypes.SumResult(6, 3), proxy.sum(new int[] {1, 2, 3}));
        assertEquals(new IAllTypes.SumResult(0, 0), proxy.sum(new int[0]));
        final IAllTypes.SplitResult split = proxy.split("x,,yz");
        assertArrayEquals(new String[] {"x", "", "yz"}, split.returnValue());
        assertEquals(List.of("yz", "", "x"), split.parts());
        final IAllTypes.MoveResult moved = proxy.move(new Point(1, 2), 3, new Point(-4, 5));
        assertEquals(new Point(4, 2), moved.returnValue());
        assertEquals(new Point(5, -4), moved.end());
    }

    @Test
    void arrays()
    {
        assertArrayEquals(new int[][] {{1, 4}, {2, 5}, {3, 6}}, proxy.transpose(new int[][] {{1, 2, 3}, {4, 5, 6}}));
        final IAllTypes.PrimitivesResult result = proxy.primitives(new byte[] {-1, 2}, new double[] {1.5, -0.0},
            new float[] {-7.9f}, new long[] {3L << 40}, new boolean[] {true, false, true});
        assertArrayEquals(new boolean[] {false, true, false}, result.returnValue());
        assertArrayEquals(new short[] {-100, 200, -7, 3}, result.shorts());
        assertArrayEquals(new double[] {3.0, -0.0}, result.doubles());
        assertArrayEquals(new Point[] {new Point(3, 4), new Point(1, 2)},
            proxy.reverse(List.of(new Point(1, 2), new Point(3, 4))));
    }

    @Test
    void listsAndMaps()
    {
        assertEquals(List.of(-1L, 0L, 1L), proxy.range(-1, 3));
        assertEquals(Map.of("a", 2, "b", 1), proxy.countWords(new String[] {"a", "b", "a"}));
        assertEquals(Map.of(1, List.of("a", "b"), 3, List.of("abc")), proxy.groupByLength(List.of("a", "abc", "b")));
        final Map<String, Map<Integer, int[]>> nested = new LinkedHashMap<>();
        nested.put("t", new LinkedHashMap<>(Map.of(7, new int[] {1, 2})));
        nested.put("u", new LinkedHashMap<>());
        assertEquals(List.of(Map.of("t7", 3), Map.of()), proxy.tables(nested));
    }

    @Test
    void interfacesAndRemoteObjects()
    {
        final Listener listener = new Listener();
        proxy.register(listener);
        assertEquals(List.of("registered=1"), listener.events);
        assertSame(listener, proxy.loopback(listener), "read back in its own process, an object is itself");
        new ListenerProxy(listener).onEvent("through the one-way proxy", 2);
        assertEquals(List.of("registered=1", "through the one-way proxy=2"), listener.events);
        final RemoteObject bare = new RemoteObject("bare");
        assertSame(bare, proxy.object(listener, new IRemoteObject[] {service, bare}));
        assertSame(listener, proxy.object(listener, new IRemoteObject[0]));
        assertSame(service, proxy.itself());
    }

    @Test
    void oneWayMethodsRunWithoutAReply()
    {
        proxy.broadcast("started", Map.of("by", "test"));
        assertEquals(List.of("started{by=test}"), service.broadcasts);
    }

    @Test
    void callbackFormCarriesTheResultFirstThenTheParameters()
    {
        final List<String> answers = new CopyOnWriteArrayList<>();
        proxy.scale(4, 0.5f, (errCode, returnValue, exact) -> answers.add(errCode + " " + returnValue + " " + exact));
        proxy.swap("a", "b", (errCode, first, second) -> answers.add(errCode + " " + first + second));
        assertEquals(List.of("0 2 2.0", "0 ba"), answers);
    }

    @Test
    void nullsAndOversizedContainersAreRefusedNamingTheField()
    {
        final Map<String, Map<Integer, int[]>> nested = new LinkedHashMap<>();
        nested.put("t", null);
        final RpcException nullValue = assertThrows(RpcException.class, () -> proxy.tables(nested));
        assertEquals(RpcException.CHECK_PARAM_ERROR, nullValue.code());
        assertTrue(nullValue.getMessage().contains("field 'nested.value' is null"), nullValue.getMessage());
        final List<String> words = new ArrayList<>(List.of("a"));
        words.add(null);
        assertTrue(assertThrows(RpcException.class, () -> proxy.groupByLength(words)).getMessage()
            .contains("field 'words[]' is null"));
        final RpcException tooMany = assertThrows(RpcException.class,
            () -> proxy.sum(new int[Marshalling.MAX_ELEMENTS + 1]));
        assertEquals(RpcException.CHECK_PARAM_ERROR, tooMany.code());
        assertTrue(tooMany.getMessage().contains("has 102401 elements, limit 102400"), tooMany.getMessage());
        // The count limit is checked first (401); below it, the message's capacity (200 KiB) still applies.
        final RpcException tooLarge = assertThrows(RpcException.class, () -> proxy.sum(new int[Marshalling.MAX_ELEMENTS]));
        assertEquals(RpcException.WRITE_DATA_TO_MESSAGE_SEQUENCE_ERROR, tooLarge.code());
        assertEquals(new IAllTypes.SumResult(0, 40_000), proxy.sum(new int[40_000]));
    }

    @Test
    void aServiceThatAnswersNullFailsTheCall()
    {
        final RemoteCallException failed = assertThrows(RemoteCallException.class, () -> proxy.echo("null"));
        assertEquals(CallFailure.HANDLER_FAILED, failed.failure());
    }

    @Test
    void aSequenceableThatRefusesToUnmarshalFailsTheCall()
    {
        final RemoteCallException failed = assertThrows(RemoteCallException.class,
            () -> proxy.move(new Point(Integer.MIN_VALUE, 0), 1, new Point(0, 0)));
        assertEquals(CallFailure.HANDLER_FAILED, failed.failure());
    }

    @Test
    void aSecondOrLateCallbackIsIgnored()
    {
        assertEquals("first", proxy.echo("twice"));
        final RpcException noAnswer = assertThrows(RpcException.class, () -> proxy.echo("late"));
        assertEquals(RpcException.READ_DATA_FROM_MESSAGE_SEQUENCE_ERROR, noAnswer.code());
        service.lateCallback.onResult(0, "too late"); // the reply has gone: logged and ignored, nothing thrown
        assertEquals("still working", proxy.echo("still working"));
    }
}
