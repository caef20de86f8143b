package io.harmonia.idl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.RemoteObject;
import io.harmonia.rpc.RpcException;
import ohos.harmonia.test.AllTypesProxy;
import ohos.harmonia.test.AllTypesStub;
import ohos.harmonia.test.IAllTypes;
import ohos.harmonia.test.IListener;
import ohos.harmonia.test.Point;

/**
 * Bytes from another process are untrusted: a generated stub fed arbitrary request bodies (after a valid token),
 * and a generated proxy fed arbitrary replies, must fail the one call with an RPC error, never with another
 * exception, an allocation of a hostile size, or a hang.
 */
class HostileMessagesTest
{
    private static final long SEED = Long.getLong("harmonia.idl.fuzz.seed", 17L);
    private static final int RUNS = 4000;
    private static final Duration BOUND = Duration.ofSeconds(60);

    /** Refuses every call with errCode -1, so only the reading of the request is exercised. */
    static final class DenyAll extends AllTypesStub
    {
        static final int DENY = -1;

        /** Runs the generated handler directly, so any exception it throws reaches the test unchanged. */
        boolean handle(final int code, final MessageSequence request, final MessageSequence reply)
        {
            return onRemoteMessageRequest(code, request, reply, new MessageOption());
        }

        @Override
        public void ping(final PingCallback c)
        {
            c.onResult(DENY);
        }

        @Override
        public void flip(final boolean v, final FlipCallback c)
        {
            c.onResult(DENY, false);
        }

        @Override
        public void addBytes(final byte a, final byte b, final AddBytesCallback c)
        {
            c.onResult(DENY, (byte)0);
        }

        @Override
        public void negateShort(final short v, final NegateShortCallback c)
        {
            c.onResult(DENY, (short)0);
        }

        @Override
        public void scale(final long v, final float f, final ScaleCallback c)
        {
            c.onResult(DENY, 0, 0);
        }

        @Override
        public void echo(final String t, final EchoCallback c)
        {
            c.onResult(DENY, null);
        }

        @Override
        public void swap(final String a, final String b, final SwapCallback c)
        {
            c.onResult(DENY, null, null);
        }

        @Override
        public void sum(final int[] v, final SumCallback c)
        {
            c.onResult(DENY, 0, 0);
        }

        @Override
        public void transpose(final int[][] m, final TransposeCallback c)
        {
            c.onResult(DENY, null);
        }

        @Override
        public void primitives(final byte[] b, final double[] d, final float[] f, final long[] l,
            final boolean[] x, final PrimitivesCallback c)
        {
            c.onResult(DENY, null, null, null);
        }

        @Override
        public void range(final long s, final int n, final RangeCallback c)
        {
            c.onResult(DENY, null);
        }

        @Override
        public void split(final String t, final SplitCallback c)
        {
            c.onResult(DENY, null, null);
        }

        @Override
        public void countWords(final String[] w, final CountWordsCallback c)
        {
            c.onResult(DENY, null);
        }

        @Override
        public void groupByLength(final List<String> w, final GroupByLengthCallback c)
        {
            c.onResult(DENY, null);
        }

        @Override
        public void tables(final Map<String, Map<Integer, int[]>> n, final TablesCallback c)
        {
            c.onResult(DENY, null);
        }

        @Override
        public void move(final Point s, final int dx, final Point e, final MoveCallback c)
        {
            c.onResult(DENY, null, null);
        }

        @Override
        public void reverse(final List<Point> p, final ReverseCallback c)
        {
            c.onResult(DENY, null);
        }

        @Override
        public void register(final IListener l, final RegisterCallback c)
        {
            c.onResult(DENY);
        }

        @Override
        public void loopback(final IListener l, final LoopbackCallback c)
        {
            c.onResult(DENY, null);
        }

        @Override
        public void object(final IRemoteObject o, final IRemoteObject[] m, final ObjectCallback c)
        {
            c.onResult(DENY, null);
        }

        @Override
        public void itself(final ItselfCallback c)
        {
            c.onResult(DENY, null);
        }

        @Override
        public void broadcast(final String e, final Map<String, String> d)
        {
        }
    }

    /** Answers every call with errCode 0 and then whatever {@link #body} writes. */
    static final class Replier extends RemoteObject
    {
        Consumer<MessageSequence> body = reply -> { };

        Replier()
        {
            super("replier");
        }

        @Override
        protected boolean onRemoteMessageRequest(final int code, final MessageSequence data, final MessageSequence reply,
            final MessageOption option)
        {
            reply.writeInt(0);
            body.accept(reply);
            return true;
        }
    }

    /** Writes a random item: an int that often looks like a count, a long, a string, or raw padding. */
    private static void randomItem(final Random random, final MessageSequence message)
    {
        switch (random.nextInt(6))
        {
            case 0 -> message.writeInt(List.of(0, 1, 2, -1, 102400, 102401, Integer.MAX_VALUE, Integer.MIN_VALUE)
                .get(random.nextInt(8)));
            case 1 -> message.writeInt(random.nextInt());
            case 2 -> message.writeLong(random.nextLong());
            case 3 -> message.writeString("x".repeat(random.nextInt(20)));
            case 4 -> message.writeInt(random.nextInt(4));
            default -> message.writeDouble(random.nextDouble());
        }
    }

    @Test
    void aStubFailsOnlyWithRpcErrorsOnArbitraryRequests()
    {
        final DenyAll service = new DenyAll();
        final Random random = new Random(SEED);
        assertTimeoutPreemptively(BOUND, () ->
        {
            for (int run = 0; run < RUNS; run++)
            {
                try (MessageSequence request = MessageSequence.create();
                     MessageSequence reply = MessageSequence.create())
                {
                    request.writeInterfaceToken(IAllTypes.DESCRIPTOR);
                    final int items = random.nextInt(12);
                    for (int i = 0; i < items; i++)
                    {
                        randomItem(random, request);
                    }
                    request.rewindRead(0);
                    final int code = 1 + random.nextInt(23);
                    try
                    {
                        service.handle(code, request, reply);
                    }
                    catch (final RpcException refused)
                    {
                        // the one call fails: expected for most inputs
                    }
                    catch (final RuntimeException | Error other)
                    {
                        throw new AssertionError("seed " + SEED + ", run " + run + ", code " + code + ": " + other, other);
                    }
                }
            }
        });
    }

    @Test
    void aProxyFailsOnlyWithRpcErrorsOnArbitraryReplies()
    {
        final Replier replier = new Replier();
        final IAllTypes proxy = new AllTypesProxy(replier);
        final List<Consumer<IAllTypes>> calls = List.of(
            p -> p.flip(true), p -> p.scale(1, 1), p -> p.echo("e"), p -> p.swap("a", "b"), p -> p.sum(new int[0]),
            p -> p.transpose(new int[0][]), p -> p.primitives(new byte[0], new double[0], new float[0], new long[0],
                new boolean[0]), p -> p.range(0, 0), p -> p.split(""), p -> p.countWords(new String[0]),
            p -> p.groupByLength(List.of()), p -> p.tables(Map.of()), p -> p.move(new Point(), 0, new Point()),
            p -> p.reverse(List.of()), p -> p.loopback(new ohos.harmonia.test.ListenerStub()
            {
                @Override
                public void onEvent(final String name, final int value)
                {
                }
            }), p -> p.itself());
        final Random random = new Random(SEED);
        assertTimeoutPreemptively(BOUND, () ->
        {
            for (int run = 0; run < RUNS; run++)
            {
                final long replySeed = random.nextLong();
                replier.body = reply ->
                {
                    final Random items = new Random(replySeed);
                    final int count = items.nextInt(10);
                    for (int i = 0; i < count; i++)
                    {
                        randomItem(items, reply);
                    }
                };
                final int call = random.nextInt(calls.size());
                try
                {
                    calls.get(call).accept(proxy);
                }
                catch (final RpcException | IAllTypes.ErrCodeException refused)
                {
                    // the one call fails
                }
                catch (final RuntimeException | Error other)
                {
                    throw new AssertionError("seed " + SEED + ", run " + run + ", call " + call + ": " + other, other);
                }
            }
        });
    }

    @Test
    void aHostileCountIsRefusedBeforeAnythingIsAllocated()
    {
        final Replier replier = new Replier();
        final IAllTypes proxy = new AllTypesProxy(replier);
        replier.body = reply -> reply.writeInt(102400);
        final RpcException claimed = assertThrows(RpcException.class, () -> proxy.range(0, 0));
        assertEquals(RpcException.READ_DATA_FROM_MESSAGE_SEQUENCE_ERROR, claimed.code());
        assertTrue(claimed.getMessage().contains("field 'returnValue' claims 102400 elements, but only 0 bytes are left"),
            claimed.getMessage());
        replier.body = reply -> reply.writeInt(-1);
        assertTrue(assertThrows(RpcException.class, () -> proxy.range(0, 0)).getMessage()
            .contains("field 'returnValue' has -1 elements, must be 0..102400"));
        replier.body = reply -> reply.writeInt(102401);
        assertTrue(assertThrows(RpcException.class, () -> proxy.countWords(new String[0])).getMessage()
            .contains("has 102401 elements, must be 0..102400"));
        replier.body = reply ->
        {
            reply.writeInt(0); // a null sequenceable, as OpenHarmony's WriteParcelable(nullptr) writes it
        };
        assertTrue(assertThrows(RpcException.class, () -> proxy.move(new Point(), 0, new Point())).getMessage()
            .contains("field 'end': a null Point (flag 0) cannot be read"));
    }
}
