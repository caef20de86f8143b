package io.harmonia.bench.transport;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
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

import io.harmonia.bench.ForkRecord;
import io.harmonia.bindings.channel.Channel;
import io.harmonia.bindings.channel.ChannelHandler;

/**
 * Ping-pong round trip between this JVM and a separate JVM ({@link BenchPeer}) that echoes each message:
 * a Harmonia channel in spin mode (both ends busy-poll) and in blocking mode (both ends park on the futex at once,
 * no spinning), against same-run baselines: the physical floor ({@link CacheLine}: the two processes ping-pong a
 * counter in one cache line of a shared mapping, so a spin round trip can be given as a ratio to it), Agrona
 * OneToOneRingBuffers over files both processes map (spin), a Unix domain SocketChannel and a pair of pipes (both
 * blocking). Every round trip is recorded in an HdrHistogram
 * (measurement iterations only) whose percentiles are printed at the end of the trial ("HDR ..." lines) and kept
 * for {@code harmonia bench} ({@link ForkRecord}); JMH's sample mode gives its own percentiles too.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "-Dagrona.disable.bounds.checks=true", "-XX:+UseParallelGC"})
public class RoundTripBenchmark
{
    /** Message size in bytes. */
    @Param({"32"})
    public int size;

    /** The transport and wait mode. */
    @Param({"harmonia-spin", "harmonia-blocking", "cacheline-spin", "agrona-spin", "unix-socket", "pipe"})
    public String transport;

    private interface Pinger
    {
        void ping() throws IOException;
    }

    private final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    private boolean recording;
    private Pinger pinger;
    private Process peer;
    private Arena arena;
    private Channel channel;
    private RingBuffer requests;
    private Path requestFile;
    private Path replyFile;
    private Path socketFile;
    private Path lineFile;
    private CacheLine line;
    private SocketChannel socket;
    private OutputStream pipeOut;

    /**
     * Starts the echo peer and connects to it.
     *
     * @throws Exception when the peer cannot start.
     */
    @Setup(Level.Trial)
    public void start() throws Exception
    {
        arena = Arena.ofShared();
        switch (transport)
        {
            case "harmonia-spin", "harmonia-blocking" -> startChannel("harmonia-spin".equals(transport));
            case "cacheline-spin" -> startCacheLine();
            case "agrona-spin" -> startAgrona();
            case "unix-socket" -> startSocket();
            case "pipe" -> startPipe();
            default -> throw new IllegalArgumentException(transport);
        }
    }

    private void startChannel(final boolean spin) throws IOException
    {
        final String address = "@harmonia-bench-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        peer = Peers.start("channel-echo", address, spin ? "spin" : "park");
        final Channel ch = Channel.connect(address, 10_000_000_000L);
        channel = ch;
        final MemorySegment message = arena.allocate(size, 8);
        final int[] got = new int[1];
        final ChannelHandler onReply = (code, buffer, offset, length) -> got[0]++;
        if (spin)
        {
            pinger = () ->
            {
                while (!ch.offer(1, message, 0, size))
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
        else
        {
            ch.spinLimit(0);
            pinger = () ->
            {
                ch.send(1, message, 0, size, -1);
                got[0] = 0;
                while (0 == got[0])
                {
                    ch.receive(onReply, 1, -1);
                }
            };
        }
    }

    private static Path ringFile(final String name) throws IOException
    {
        final Path file = Files.createTempFile(Path.of("/dev/shm"), "harmonia-bench-" + name + "-", ".ring");
        try (var out = Files.newOutputStream(file))
        {
            out.write(new byte[64 * 1024 + RingBufferDescriptor.TRAILER_LENGTH]);
        }
        return file;
    }

    private void startCacheLine() throws IOException
    {
        lineFile = CacheLine.createFile();
        final CacheLine pinger = CacheLine.map(lineFile, arena);
        line = pinger;
        peer = Peers.start("cacheline-echo", lineFile.toString());
        this.pinger = pinger::ping;
    }

    private void startAgrona() throws IOException
    {
        requestFile = ringFile("requests");
        replyFile = ringFile("replies");
        final int length = 64 * 1024 + RingBufferDescriptor.TRAILER_LENGTH;
        requests = new OneToOneRingBuffer(BenchPeer.map(requestFile.toString(), length));
        final RingBuffer replies = new OneToOneRingBuffer(BenchPeer.map(replyFile.toString(), length));
        peer = Peers.start("agrona-echo", requestFile.toString(), replyFile.toString());
        final UnsafeBuffer message = new UnsafeBuffer(new byte[size]);
        final int[] got = new int[1];
        final RingBuffer out = requests;
        pinger = () ->
        {
            while (!out.write(1, message, 0, size))
            {
                Thread.onSpinWait();
            }
            got[0] = 0;
            while (0 == got[0])
            {
                replies.read((type, buffer, index, length2) -> got[0]++, 1);
            }
        };
    }

    private void startSocket() throws IOException
    {
        socketFile = Path.of("/tmp", "harmonia-bench-" + ProcessHandle.current().pid() + "-" + System.nanoTime() +
            ".sock");
        peer = Peers.start("socket-echo", socketFile.toString(), Integer.toString(size));
        socket = SocketChannel.open(StandardProtocolFamily.UNIX);
        socket.connect(UnixDomainSocketAddress.of(socketFile));
        final ByteBuffer message = ByteBuffer.allocateDirect(size);
        pinger = () ->
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

    private void startPipe() throws IOException
    {
        peer = Peers.start("pipe-echo", Integer.toString(size));
        pipeOut = peer.getOutputStream();
        final DataInputStream in = new DataInputStream(peer.getInputStream());
        final byte[] message = new byte[size];
        pinger = () ->
        {
            pipeOut.write(message, 0, size);
            pipeOut.flush();
            in.readFully(message, 0, size);
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
     * One round trip.
     *
     * @throws IOException when a stream transport fails.
     */
    @Benchmark
    public void roundTrip() throws IOException
    {
        final long start = System.nanoTime();
        pinger.ping();
        final long elapsed = System.nanoTime() - start;
        if (recording)
        {
            histogram.recordValue(Math.min(elapsed, histogram.getHighestTrackableValue()));
        }
    }

    /**
     * Prints the histogram (and leaves it for {@code harmonia bench}: {@link ForkRecord}), stops the peer and
     * releases everything.
     *
     * @param params the trial's parameters.
     * @throws Exception when cleanup fails.
     */
    @TearDown(Level.Trial)
    public void stop(final BenchmarkParams params) throws Exception
    {
        ForkRecord.write(params, histogram, Map.of());
        System.out.printf("%nHDR %s size=%d count=%d p50=%d p90=%d p99=%d p99.9=%d p99.99=%d max=%d (ns)%n",
            transport, size, histogram.getTotalCount(), histogram.getValueAtPercentile(50),
            histogram.getValueAtPercentile(90), histogram.getValueAtPercentile(99),
            histogram.getValueAtPercentile(99.9), histogram.getValueAtPercentile(99.99), histogram.getMaxValue());
        if (null != channel)
        {
            channel.close();
        }
        if (null != requests)
        {
            final UnsafeBuffer stop = new UnsafeBuffer(new byte[8]);
            while (!requests.write(BenchPeer.STOP, stop, 0, 8))
            {
                Thread.onSpinWait();
            }
        }
        if (null != line)
        {
            line.stop();
        }
        if (null != socket)
        {
            socket.close();
        }
        if (null != pipeOut)
        {
            pipeOut.close();
        }
        Peers.stop(peer);
        for (final Path path : new Path[] {requestFile, replyFile, socketFile, lineFile})
        {
            if (null != path)
            {
                Files.deleteIfExists(path);
            }
        }
        arena.close();
    }
}
