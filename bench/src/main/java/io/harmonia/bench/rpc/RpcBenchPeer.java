package io.harmonia.bench.rpc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.foreign.MemorySegment;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.ServerCalls;
import io.harmonia.bindings.channel.Channel;
import io.harmonia.bindings.channel.ChannelHandler;
import io.harmonia.bindings.channel.ChannelListener;
import io.harmonia.rpc.IPCSkeleton;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.Publication;
import io.harmonia.rpc.RemoteObject;

/**
 * The server side of the RPC benchmarks, in its own JVM: an echo {@link RemoteObject} published with
 * {@link IPCSkeleton#publish}, a bare channel echo (the floor), a Unix-domain-socket echo, or a grpc-java server on
 * a Unix domain socket with Netty epoll. Prints "ready" and lives until stdin closes.
 *
 * <p>Usage: {@code rpc <address>} (spin and thread settings come as -D properties), {@code channel-echo <address>},
 * {@code socket-echo <path> <size>}, {@code grpc <path>}.
 */
public final class RpcBenchPeer
{
    /** Echo the byte array of the request. */
    static final int ECHO = 1;
    /** Do nothing (one-way throughput). */
    static final int SINK = 2;
    /** Read a remote object and an int, answer the int (the cost of passing a reference). */
    static final int TAKE_OBJECT = 3;
    /** Read an int and answer it (the same call without the reference). */
    static final int TAKE_INT = 4;

    private RpcBenchPeer()
    {
    }

    /** The echo service. */
    static final class EchoService extends RemoteObject
    {
        EchoService()
        {
            super("bench.echo");
        }

        @Override
        protected boolean onRemoteMessageRequest(final int code, final MessageSequence data,
            final MessageSequence reply, final MessageOption option)
        {
            switch (code)
            {
                case ECHO -> reply.writeByteArray(data.readByteArray());
                case SINK ->
                {
                }
                case TAKE_OBJECT ->
                {
                    data.readRemoteObject();
                    reply.writeInt(data.readInt());
                }
                case TAKE_INT -> reply.writeInt(data.readInt());
                default ->
                {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Entry point.
     *
     * @param args mode and its arguments.
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final List<AutoCloseable> resources = new ArrayList<>();
        switch (args[0])
        {
            case "rpc" -> resources.add(IPCSkeleton.publish(args[1], new EchoService()));
            case "channel-echo" -> startChannelEcho(args[1]);
            case "socket-echo" -> startSocketEcho(Path.of(args[1]), Integer.parseInt(args[2]));
            case "grpc" -> resources.add(startGrpc(args[1]));
            default -> throw new IllegalArgumentException("mode " + args[0]);
        }
        System.out.println("ready");
        System.out.flush();
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (null != in.readLine())
        {
            // lives until stdin closes
        }
        for (final AutoCloseable resource : resources)
        {
            resource.close();
        }
        System.exit(0);
    }

    /** The floor: echoes raw messages on a channel, both ends spinning. */
    private static void startChannelEcho(final String address)
    {
        final ChannelListener listener = ChannelListener.listen(address);
        final Thread thread = new Thread(() ->
        {
            try (Channel channel = listener.accept(0, -1))
            {
                final ChannelHandler echo = (code, buffer, offset, length) ->
                {
                    while (!channel.offer(code, buffer, offset, length))
                    {
                        Thread.onSpinWait();
                    }
                };
                while (true)
                {
                    channel.poll(echo, 16);
                }
            }
            catch (final RuntimeException closed)
            {
                // the benchmark closed the channel
            }
        }, "channel-echo");
        thread.setDaemon(true);
        thread.start();
    }

    private static void startSocketEcho(final Path path, final int size) throws IOException
    {
        Files.deleteIfExists(path);
        final ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        final Thread thread = new Thread(() ->
        {
            try (SocketChannel socket = server.accept())
            {
                final ByteBuffer message = ByteBuffer.allocateDirect(size);
                while (true)
                {
                    message.clear();
                    while (message.hasRemaining())
                    {
                        if (socket.read(message) < 0)
                        {
                            return;
                        }
                    }
                    message.flip();
                    while (message.hasRemaining())
                    {
                        socket.write(message);
                    }
                }
            }
            catch (final IOException closed)
            {
                // the benchmark closed the socket
            }
        }, "socket-echo");
        thread.setDaemon(true);
        thread.start();
    }

    private static AutoCloseable startGrpc(final String path) throws IOException
    {
        Files.deleteIfExists(Path.of(path));
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        final ServerServiceDefinition service = ServerServiceDefinition.builder(GrpcEcho.SERVICE)
            .addMethod(GrpcEcho.METHOD, ServerCalls.asyncUnaryCall((request, observer) ->
            {
                observer.onNext(request);
                observer.onCompleted();
            }))
            .build();
        final Server server = NettyServerBuilder.forAddress(new DomainSocketAddress(path))
            .channelType(EpollServerDomainSocketChannel.class)
            .bossEventLoopGroup(group)
            .workerEventLoopGroup(group)
            .directExecutor()
            .addService(service)
            .build()
            .start();
        return () ->
        {
            server.shutdownNow();
            group.shutdownGracefully();
        };
    }

    /** A 64-byte segment filled with a pattern. */
    static MemorySegment pattern(final int size)
    {
        final byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++)
        {
            bytes[i] = (byte)i;
        }
        return MemorySegment.ofArray(bytes);
    }
}
