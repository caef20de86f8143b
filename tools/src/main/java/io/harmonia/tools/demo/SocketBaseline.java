package io.harmonia.tools.demo;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

import io.harmonia.tools.demo.Figures.RoundTrips;
import io.harmonia.tools.demo.Figures.Throughput;

/**
 * The channel step's baseline: the same messages between the same two processes over a Unix domain stream socket,
 * one {@code write} per message as an application would send them. Frames are {@link ChannelDemo#SIZE} bytes;
 * the first byte is the kind ({@link ChannelDemo#ONE_WAY}, {@link ChannelDemo#PING}, {@link ChannelDemo#DONE}),
 * and the peer echoes a ping frame. Fewer messages than over the channel, as a socket is far slower: the figure is
 * a rate, so the counts need not match.
 */
final class SocketBaseline implements AutoCloseable
{
    static final long MESSAGES_LIMIT_NS = 5_000_000_000L;
    static final long ROUND_TRIPS_LIMIT_NS = 2_000_000_000L;

    private static final int MESSAGES = 500_000;
    private static final int ROUND_TRIPS = 10_000;
    private static final int WARM_UP = 20_000;

    private final SocketChannel socket;
    private final ByteBuffer frame = ByteBuffer.allocateDirect(ChannelDemo.SIZE);
    private final ByteBuffer reply = ByteBuffer.allocateDirect(ChannelDemo.SIZE);

    private SocketBaseline(final SocketChannel socket)
    {
        this.socket = socket;
    }

    static SocketBaseline connect(final Path path) throws IOException
    {
        return new SocketBaseline(SocketChannel.open(UnixDomainSocketAddress.of(path)));
    }

    void warmUp() throws IOException
    {
        for (int i = 0; i < WARM_UP; i++)
        {
            send(ChannelDemo.ONE_WAY);
            if (0 == i % 100)
            {
                roundTrip();
            }
        }
    }

    Throughput oneWay() throws IOException
    {
        return TimedRuns.oneWay(MESSAGES, MESSAGES_LIMIT_NS, () -> send(ChannelDemo.ONE_WAY), this::roundTrip);
    }

    RoundTrips roundTrips() throws IOException
    {
        return TimedRuns.roundTrips(ROUND_TRIPS, ROUND_TRIPS_LIMIT_NS, this::roundTrip);
    }

    void done() throws IOException
    {
        send(ChannelDemo.DONE);
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }

    private void roundTrip() throws IOException
    {
        send(ChannelDemo.PING);
        reply.clear();
        while (reply.hasRemaining())
        {
            if (socket.read(reply) < 0)
            {
                throw new EOFException("the demo's peer closed the socket");
            }
        }
    }

    private void send(final int kind) throws IOException
    {
        frame.clear();
        frame.put(0, (byte)kind);
        while (frame.hasRemaining())
        {
            socket.write(frame);
        }
    }

    /**
     * The peer's side: accepts one connection, drops one-way frames, echoes pings, returns on DONE.
     *
     * @param server the bound listener.
     * @throws IOException when the connection fails.
     */
    static void serve(final ServerSocketChannel server) throws IOException
    {
        try (SocketChannel client = server.accept())
        {
            final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
            final ByteBuffer echo = ByteBuffer.allocateDirect(ChannelDemo.SIZE);
            while (true)
            {
                if (client.read(in) < 0)
                {
                    throw new EOFException("the demo closed the socket before DONE");
                }
                in.flip();
                while (in.remaining() >= ChannelDemo.SIZE)
                {
                    final int kind = in.get(in.position());
                    if (ChannelDemo.DONE == kind)
                    {
                        return;
                    }
                    if (ChannelDemo.PING == kind)
                    {
                        echo.clear();
                        echo.put(0, (byte)kind);
                        while (echo.hasRemaining())
                        {
                            client.write(echo);
                        }
                    }
                    in.position(in.position() + ChannelDemo.SIZE);
                }
                in.compact();
            }
        }
    }

    /**
     * Binds the peer's listener.
     *
     * @param path the socket file to create.
     * @return the listener.
     * @throws IOException when it cannot be bound.
     */
    static ServerSocketChannel listen(final Path path) throws IOException
    {
        final ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        return server;
    }
}
