package io.harmonia.bench.rpc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.foreign.MemorySegment;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.ClientCalls;
import io.harmonia.bench.ForkRecord;
import io.harmonia.bindings.channel.Channel;
import io.harmonia.bindings.channel.ChannelHandler;
import io.harmonia.rpc.IPCSkeleton;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;

/**
 * A synchronous call with a 64-byte request and a 64-byte reply between this JVM and a separate JVM
 * ({@link RpcBenchPeer}): Harmonia RPC with both ends spinning ({@code rpc-spin}) and with the default wait strategy
 * (spin 50 us, then park: {@code rpc-default}), against same-run baselines: the bare channel round trip with both
 * ends spinning (the floor RPC is built on), a Unix-domain-socket ping-pong (blocking), and grpc-java's unary call
 * over a Unix domain socket (Netty epoll, direct executor, byte[] messages). Every round trip goes into an
 * HdrHistogram (measurement iterations only) printed at the end ("HDR" line), with the CPU time both processes
 * spent per call ("CPU" line), which is the price of spinning.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC"})
public class RpcRoundTripBenchmark
{
    /** Payload bytes of the request and of the reply. */
    static final int SIZE = 64;
    /** How long "spin" modes spin before parking: longer than any gap between calls. */
    static final String SPIN_FOREVER = "-Dharmonia.rpc.spinMicros=1000000";

    /** The transport. */
    @Param({"rpc-spin", "rpc-default", "channel-spin", "unix-socket", "grpc-uds"})
    public String transport;

    private interface Caller
    {
        void call() throws IOException;
    }

    private final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    private boolean recording;
    private Caller caller;
    private Process peer;
    private Path socketFile;
    private SocketChannel socket;
    private Channel channel;
    private ManagedChannel grpc;
    private EventLoopGroup grpcGroup;
    private MessageSequence data;
    private MessageSequence reply;
    private long cpuStart;
    private long peerCpuStart;
    private long calls;

    /**
     * Starts the peer and connects to it.
     *
     * @throws Exception when the peer cannot start.
     */
    @Setup(Level.Trial)
    public void start() throws Exception
    {
        final String address = "@harmonia-rpc-bench-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        switch (transport)
        {
            case "rpc-spin" -> startRpc(address, true);
            case "rpc-default" -> startRpc(address, false);
            case "channel-spin" -> startChannel(address);
            case "unix-socket" -> startSocket();
            case "grpc-uds" -> startGrpc();
            default -> throw new IllegalArgumentException(transport);
        }
        cpuStart = cpuTicks(ProcessHandle.current().pid());
        peerCpuStart = cpuTicks(peer.pid());
    }

    /** Starts the peer JVM with the given options and mode, and waits for its "ready". */
    static Process startPeer(final List<String> jvmOptions, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
            "--enable-native-access=ALL-UNNAMED", "-XX:+UseParallelGC"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), RpcBenchPeer.class.getName()));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        final String line = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8)).readLine();
        if (!"ready".equals(line))
        {
            throw new IllegalStateException("peer " + args[0] + " did not start: " + line);
        }
        return process;
    }

    private void startRpc(final String address, final boolean spin) throws IOException
    {
        if (spin)
        {
            System.setProperty("harmonia.rpc.spinMicros", "1000000");
        }
        peer = startPeer(spin ? List.of(SPIN_FOREVER) : List.of(), "rpc", address);
        final IRemoteObject service = IPCSkeleton.connect(address, 10_000);
        data = MessageSequence.create();
        reply = MessageSequence.create();
        data.writeByteArray(RpcBenchPeer.pattern(SIZE).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        final MessageOption option = new MessageOption();
        caller = () ->
        {
            service.sendMessageRequestSync(RpcBenchPeer.ECHO, data, reply, option);
            if (SIZE + 4 > reply.getSize())
            {
                throw new IllegalStateException("short reply: " + reply.getSize());
            }
        };
    }

    private void startChannel(final String address) throws IOException
    {
        peer = startPeer(List.of(), "channel-echo", address);
        final Channel ch = Channel.connect(address, 10_000_000_000L);
        channel = ch;
        final MemorySegment message = RpcBenchPeer.pattern(SIZE);
        final int[] got = new int[1];
        final ChannelHandler onReply = (code, buffer, offset, length) -> got[0]++;
        caller = () ->
        {
            while (!ch.offer(1, message, 0, SIZE))
            {
                Thread.onSpinWait();
            }
            got[0] = 0;
            while (0 == got[0])
            {
                ch.poll(onReply, 1);
            }
        };
    }

    private void startSocket() throws IOException
    {
        socketFile = Path.of("/tmp", "harmonia-rpc-bench-" + ProcessHandle.current().pid() + "-" + System.nanoTime() +
            ".sock");
        peer = startPeer(List.of(), "socket-echo", socketFile.toString(), Integer.toString(SIZE));
        socket = SocketChannel.open(StandardProtocolFamily.UNIX);
        socket.connect(UnixDomainSocketAddress.of(socketFile));
        final ByteBuffer message = ByteBuffer.allocateDirect(SIZE);
        caller = () ->
        {
            message.clear();
            while (message.hasRemaining())
            {
                socket.write(message);
            }
            message.clear();
            while (message.hasRemaining())
            {
                socket.read(message);
            }
        };
    }

    private void startGrpc() throws IOException
    {
        socketFile = Path.of("/tmp", "harmonia-grpc-bench-" + ProcessHandle.current().pid() + "-" +
            System.nanoTime() + ".sock");
        peer = startPeer(List.of(), "grpc", socketFile.toString());
        grpcGroup = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        grpc = NettyChannelBuilder.forAddress(new DomainSocketAddress(socketFile.toString()))
            .channelType(EpollDomainSocketChannel.class)
            .eventLoopGroup(grpcGroup)
            .directExecutor()
            .usePlaintext()
            .build();
        final byte[] message = RpcBenchPeer.pattern(SIZE).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        caller = () ->
        {
            final byte[] answer = ClientCalls.blockingUnaryCall(grpc, GrpcEcho.METHOD, CallOptions.DEFAULT, message);
            if (SIZE != answer.length)
            {
                throw new IllegalStateException("short reply: " + answer.length);
            }
        };
    }

    /**
     * Records only measurement iterations in the histogram.
     *
     * @param iteration JMH's iteration parameters.
     */
    @Setup(Level.Iteration)
    public void iteration(final IterationParams iteration)
    {
        recording = IterationType.MEASUREMENT == iteration.getType();
    }

    /**
     * One call and its reply.
     *
     * @throws IOException when a socket transport fails.
     */
    @Benchmark
    public void roundTrip() throws IOException
    {
        final long start = System.nanoTime();
        caller.call();
        final long elapsed = System.nanoTime() - start;
        calls++;
        if (recording)
        {
            histogram.recordValue(Math.min(elapsed, histogram.getHighestTrackableValue()));
        }
    }

    /** utime + stime of a process in clock ticks (1/100 s), from /proc. */
    static long cpuTicks(final long pid)
    {
        try
        {
            final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }
        catch (final IOException | RuntimeException unreadable)
        {
            return -1;
        }
    }

    /**
     * Prints the histogram and the CPU cost (and leaves both for {@code harmonia bench}: {@link ForkRecord}), stops
     * the peer and releases everything.
     *
     * @param params the trial's parameters.
     * @throws Exception when cleanup fails.
     */
    @TearDown(Level.Trial)
    public void stop(final BenchmarkParams params) throws Exception
    {
        final double client = (cpuTicks(ProcessHandle.current().pid()) - cpuStart) * 10_000.0 / Math.max(1, calls);
        final double server = (cpuTicks(peer.pid()) - peerCpuStart) * 10_000.0 / Math.max(1, calls);
        ForkRecord.write(params, histogram, Map.of("cpuClientUsPerCall", client, "cpuPeerUsPerCall", server,
            "cpuUsPerCall", client + server));
        System.out.printf("%nHDR %s size=%d count=%d p50=%d p90=%d p99=%d p99.9=%d p99.99=%d max=%d (ns)%n",
            transport, SIZE, histogram.getTotalCount(), histogram.getValueAtPercentile(50),
            histogram.getValueAtPercentile(90), histogram.getValueAtPercentile(99),
            histogram.getValueAtPercentile(99.9), histogram.getValueAtPercentile(99.99), histogram.getMaxValue());
        System.out.printf("CPU %s calls=%d client=%.2f us/call peer=%.2f us/call%n", transport, calls, client, server);
        if (null != channel)
        {
            channel.close();
        }
        if (null != socket)
        {
            socket.close();
        }
        if (null != grpc)
        {
            grpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            grpcGroup.shutdownGracefully();
        }
        if (null != data)
        {
            data.reclaim();
            reply.reclaim();
        }
        peer.getOutputStream().close();
        if (!peer.waitFor(10, TimeUnit.SECONDS))
        {
            peer.destroyForcibly();
        }
        if (null != socketFile)
        {
            Files.deleteIfExists(socketFile);
        }
    }
}
