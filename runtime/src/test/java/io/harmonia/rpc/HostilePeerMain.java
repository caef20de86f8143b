package io.harmonia.rpc;

import java.lang.foreign.MemorySegment;
import java.util.Random;

import io.harmonia.bindings.channel.Channel;
import io.harmonia.bindings.channel.ChannelException;
import io.harmonia.bindings.channel.ChannelMessage;

/**
 * A process that talks to an RPC endpoint with hand-made frames: it never received a reference, so whatever it
 * tries must fail for it alone.
 *
 * <p>Usage: {@code HostilePeerMain forge <endpoint> <objectId>} prints the status of a CALL on the object without a
 * reference and of an ACQUIRE_SYNC with a guessed secret; {@code HostilePeerMain garbage <endpoint> <seed> <rounds>}
 * sends random and boundary frames of every kind, a new connection per round, and prints "sent N".
 */
public final class HostilePeerMain
{
    private HostilePeerMain()
    {
    }

    /**
     * Entry point.
     *
     * @param args mode, endpoint, object id or seed.
     */
    public static void main(final String[] args)
    {
        if ("forge".equals(args[0]))
        {
            try (Channel channel = Channel.connect(args[1], 5_000_000_000L))
            {
                final long objectId = Long.parseLong(args[2]);
                System.out.println("call " + call(channel, objectId));
                System.out.println("acquire " + acquire(channel, objectId));
                System.out.println("call-after " + call(channel, objectId));
            }
        }
        else
        {
            // Each round on a new connection: the endpoint closes one at its first malformed frame.
            final long seed = Long.parseLong(args[2]);
            int sent = 0;
            for (int round = 0; round < Integer.parseInt(args[3]); round++)
            {
                try (Channel channel = Channel.connect(args[1], 5_000_000_000L))
                {
                    sent += garbage(channel, new Random(seed + round));
                }
            }
            System.out.println("sent " + sent);
        }
        System.out.flush();
    }

    private static int call(final Channel channel, final long objectId)
    {
        final long payload = channel.claim(Frames.CALL_HEADER + Frames.CHAIN_ENTRY, 1_000_000_000L);
        final MemorySegment buffer = channel.buffer();
        buffer.asSlice(payload, Frames.CALL_HEADER + Frames.CHAIN_ENTRY).fill((byte)0);
        buffer.set(Frames.LONG, payload + Frames.CALL_ID, 77);
        buffer.set(Frames.LONG, payload + Frames.CALL_OBJECT, objectId);
        buffer.set(Frames.INT, payload + Frames.CALL_CODE, 1);
        buffer.set(Frames.INT, payload + Frames.CALL_CHAIN_COUNT, 1);
        buffer.set(Frames.LONG, payload + Frames.CALL_HEADER, ProcessHandle.current().pid());
        channel.commit(payload, Frames.CALL, Frames.CALL_HEADER + Frames.CHAIN_ENTRY);
        return awaitStatus(channel);
    }

    private static int acquire(final Channel channel, final long objectId)
    {
        final long payload = channel.claim(8 + Frames.ACQUIRE_LENGTH, 1_000_000_000L);
        final MemorySegment buffer = channel.buffer();
        buffer.set(Frames.LONG, payload, 78);
        buffer.set(Frames.LONG, payload + 8, objectId);
        buffer.set(Frames.LONG, payload + 16, 0x1234_5678_9abc_def0L);
        buffer.set(Frames.LONG, payload + 24, 0x0fed_cba9_8765_4321L);
        buffer.set(Frames.LONG, payload + 32, 0);
        channel.commit(payload, Frames.ACQUIRE_SYNC, 8 + Frames.ACQUIRE_LENGTH);
        return awaitStatus(channel);
    }

    private static int awaitStatus(final Channel channel)
    {
        final int[] status = {Integer.MIN_VALUE};
        while (Integer.MIN_VALUE == status[0])
        {
            channel.receive((ChannelMessage message) -> status[0] =
                message.buffer().get(Frames.INT, message.offset() + Frames.REPLY_STATUS), 1, 2_000_000_000L);
        }
        return status[0];
    }

    /** Random frames, and every header field of a request at its boundaries. */
    private static int garbage(final Channel channel, final Random random)
    {
        final int[] kinds = {Frames.HELLO, Frames.CALL, Frames.ONEWAY, Frames.REPLY, Frames.ACQUIRE, Frames.ACQUIRE_SYNC,
            Frames.RELEASE, Frames.TRANSFER_DONE, 0, 99, -1};
        final long[] boundaries = {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 0xffff_ffffL, 1L << 30,
            Frames.MAX_OBJECTS, Frames.MAX_OBJECTS + 1, 7, 8, 9, 4096};
        int sent = 0;
        try
        {
            for (int i = 0; i < 400; i++)
            {
                final int length = random.nextInt(3) == 0 ? random.nextInt(Frames.CALL_HEADER) :
                    Frames.CALL_HEADER + Frames.CHAIN_ENTRY + random.nextInt(512);
                final long payload = channel.claim(Math.max(1, length), 1_000_000_000L);
                final MemorySegment buffer = channel.buffer();
                for (int b = 0; b < length; b++)
                {
                    buffer.set(Frames.BYTE, payload + b, (byte)random.nextInt());
                }
                if (length >= Frames.CALL_HEADER + Frames.CHAIN_ENTRY && random.nextBoolean())
                {
                    // A plausible request with one field at a boundary.
                    buffer.set(Frames.INT, payload + Frames.CALL_CHAIN_COUNT, 1);
                    buffer.set(Frames.LONG, payload + Frames.CALL_HEADER, ProcessHandle.current().pid());
                    final int field = Frames.CALL_DATA_LENGTH + 4 * random.nextInt(4);
                    buffer.set(Frames.INT, payload + field, (int)boundaries[random.nextInt(boundaries.length)]);
                }
                channel.commit(payload, kinds[random.nextInt(kinds.length)], length);
                sent++;
            }
        }
        catch (final ChannelException closedOnUs)
        {
            // The endpoint closed this connection, as it should for the first malformed frame.
        }
        return sent;
    }
}
