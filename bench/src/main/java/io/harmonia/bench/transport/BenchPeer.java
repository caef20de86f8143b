package io.harmonia.bench.transport;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import io.harmonia.bindings.channel.Channel;
import io.harmonia.bindings.channel.ChannelException;
import io.harmonia.bindings.channel.ChannelListener;
import io.harmonia.bindings.queue.RingConsumer;
import io.harmonia.bindings.queue.SharedRegion;

/**
 * The other process of the transport benchmarks (started by {@link Peers} as a separate JVM). Each mode is one
 * end of one transport: a sink that drains as fast as it can, or an echo that answers each message.
 */
public final class BenchPeer
{
    /** Agrona message type that tells a sink to stop. */
    static final int STOP = 99;
    /** Each ring of the throughput benchmark's channel: the size of the bare rings it is compared with. */
    static final int CHANNEL_RING_CAPACITY = 64 * 1024;

    private BenchPeer()
    {
    }

    /**
     * Entry point.
     *
     * @param args the mode and its arguments.
     * @throws Exception on any failure (the benchmark then fails).
     */
    public static void main(final String[] args) throws Exception
    {
        switch (args[0])
        {
            case "ring-sink" -> ringSink(args[1]);
            case "agrona-sink" -> agronaSink(args[1], "many".equals(args[2]));
            case "agrona-echo" -> agronaEcho(args[1], args[2]);
            case "socket-sink" -> socket(args[1], 0);
            case "socket-echo" -> socket(args[1], Integer.parseInt(args[2]));
            case "pipe-sink" -> pipe(0);
            case "pipe-echo" -> pipe(Integer.parseInt(args[1]));
            case "channel-echo" -> channelEcho(args[1], "spin".equals(args[2]));
            case "channel-sink" -> channelSink(args[1], "spin".equals(args[2]));
            case "cacheline-echo" -> cacheLineEcho(args[1]);
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
        System.exit(0);
    }

    private static void ready()
    {
        System.out.println("ready");
        System.out.flush();
    }

    private static void ringSink(final String path)
    {
        try (SharedRegion region = SharedRegion.openPath(path); RingConsumer consumer = region.consumer(0))
        {
            ready();
            long idle = 0;
            while (true)
            {
                if (0 != consumer.read((type, buffer, offset, length) -> { }, 256))
                {
                    idle = 0;
                    continue;
                }
                if (0 == (++idle & 0xfff) && region.isMarkedClosed())
                {
                    return;
                }
                Thread.onSpinWait(); // the busy-spin idle strategy, as in the Agrona sink
            }
        }
    }

    static UnsafeBuffer map(final String file, final int length) throws IOException
    {
        try (FileChannel channel = FileChannel.open(Path.of(file), StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
            return new UnsafeBuffer(mapped);
        }
    }

    private static void agronaSink(final String file, final boolean manyToOne) throws IOException
    {
        final UnsafeBuffer buffer = map(file, (int)Path.of(file).toFile().length());
        final RingBuffer ring = manyToOne ? new ManyToOneRingBuffer(buffer) : new OneToOneRingBuffer(buffer);
        ready();
        final boolean[] stop = {false};
        while (!stop[0])
        {
            if (0 == ring.read((type, source, index, length) ->
            {
                if (STOP == type)
                {
                    stop[0] = true;
                }
            }, 256))
            {
                Thread.onSpinWait(); // Agrona's BusySpinIdleStrategy
            }
        }
    }

    private static void agronaEcho(final String requests, final String replies) throws IOException
    {
        final RingBuffer in = new OneToOneRingBuffer(map(requests, (int)Path.of(requests).toFile().length()));
        final RingBuffer out = new OneToOneRingBuffer(map(replies, (int)Path.of(replies).toFile().length()));
        ready();
        final boolean[] stop = {false};
        while (!stop[0])
        {
            in.read((type, source, index, length) ->
            {
                if (STOP == type)
                {
                    stop[0] = true;
                    return;
                }
                while (!out.write(type, source, index, length))
                {
                    Thread.onSpinWait();
                }
            }, 1);
        }
    }

    private static void socket(final String path, final int echoSize) throws IOException
    {
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX))
        {
            server.bind(UnixDomainSocketAddress.of(path));
            ready();
            try (SocketChannel client = server.accept())
            {
                final ByteBuffer buffer = ByteBuffer.allocateDirect(Math.max(echoSize, 1 << 16));
                if (0 == echoSize)
                {
                    while (client.read(buffer.clear()) >= 0)
                    {
                        // drain
                    }
                    return;
                }
                while (true)
                {
                    buffer.clear().limit(echoSize);
                    while (buffer.hasRemaining())
                    {
                        if (client.read(buffer) < 0)
                        {
                            return;
                        }
                    }
                    buffer.flip();
                    while (buffer.hasRemaining())
                    {
                        client.write(buffer);
                    }
                }
            }
        }
    }

    private static void pipe(final int echoSize) throws IOException
    {
        // No "ready" line here: stdout is the pipe's echo path.
        final InputStream in = new java.io.FileInputStream(java.io.FileDescriptor.in);
        final byte[] buffer = new byte[Math.max(echoSize, 1 << 16)];
        if (0 == echoSize)
        {
            while (in.read(buffer) >= 0)
            {
                // drain
            }
            return;
        }
        final OutputStream out = new java.io.FileOutputStream(java.io.FileDescriptor.out);
        final DataInputStream data = new DataInputStream(in);
        while (true)
        {
            try
            {
                data.readFully(buffer, 0, echoSize);
            }
            catch (final java.io.EOFException done)
            {
                return;
            }
            out.write(buffer, 0, echoSize);
        }
    }

    private static void channelSink(final String address, final boolean spin)
    {
        try (ChannelListener listener = ChannelListener.listen(address))
        {
            ready();
            try (Channel channel = listener.accept(CHANNEL_RING_CAPACITY, 30_000_000_000L))
            {
                final io.harmonia.bindings.channel.ChannelHandler drop = (code, source, offset, length) -> { };
                if (!spin)
                {
                    channel.spinLimit(0);
                }
                while (true)
                {
                    if (!spin)
                    {
                        channel.receive(drop, 256, -1); // parks on the futex whenever the ring is empty
                    }
                    else if (0 == channel.poll(drop, 256))
                    {
                        channel.receive(drop, 256, 0); // busy-spins a while, and sees the benchmark close its end
                    }
                }
            }
            catch (final ChannelException closed)
            {
                // the benchmark finished and closed its end
            }
        }
    }

    private static void cacheLineEcho(final String file) throws IOException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final CacheLine line = CacheLine.map(Path.of(file), arena);
            ready();
            line.echoUntilStopped();
        }
    }

    private static void channelEcho(final String address, final boolean spin)
    {
        try (ChannelListener listener = ChannelListener.listen(address))
        {
            ready();
            try (Channel channel = listener.accept(0, 30_000_000_000L))
            {
                if (!spin)
                {
                    channel.spinLimit(0);
                }
                final MemorySegment buffer = channel.buffer();
                final io.harmonia.bindings.channel.ChannelHandler echo = (code, source, offset, length) ->
                {
                    final long claim = channel.claim(length, 10_000_000_000L);
                    MemorySegment.copy(source, offset, buffer, claim, length);
                    channel.commit(claim, code, length);
                };
                long idle = 0;
                while (true)
                {
                    if (!spin)
                    {
                        channel.receive(echo, 1, -1);
                    }
                    else if (0 != channel.poll(echo, 1))
                    {
                        idle = 0;
                    }
                    else if (0 == (++idle & 0xfff))
                    {
                        // Now and then a receive that sees the benchmark close its end (a poll never does), so
                        // the peer ends with the trial instead of being killed after Peers.stop's 10 s.
                        channel.receive(echo, 1, 0);
                    }
                }
            }
            catch (final ChannelException closed)
            {
                // the benchmark finished and closed its end
            }
        }
    }
}
