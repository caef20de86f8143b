package io.harmonia.bench.transport;

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
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.harmonia.bindings.channel.Channel;
import io.harmonia.bindings.queue.RingKind;
import io.harmonia.bindings.queue.RingProducer;
import io.harmonia.bindings.queue.RingSpec;
import io.harmonia.bindings.queue.SharedRegion;

/**
 * Cross-process one-way throughput: this JVM sends messages of {@code size} bytes as fast as the transport takes
 * them; a separate JVM ({@link BenchPeer}) drains them. Harmonia's bare rings and a whole channel (its 32-byte
 * frame per message, many-to-one rings) against same-run baselines: Agrona's OneToOneRingBuffer and
 * ManyToOneRingBuffer over a file both processes map (/dev/shm), a Unix domain SocketChannel, and a pipe (one
 * write per message, as the socket). Rings are 64 KiB on every ring transport, the channel's included.
 * Score: messages per microsecond (= millions per second).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "-Dagrona.disable.bounds.checks=true", "-XX:+UseParallelGC"})
public class ThroughputBenchmark
{
    private static final int BATCH = 100;
    private static final int CAPACITY = 64 * 1024;

    /** Message size in bytes. */
    @Param({"32", "64", "256", "1024"})
    public int size;

    /** The transport. */
    @Param({"harmonia-one-to-one", "harmonia-many-to-one", "harmonia-channel", "harmonia-channel-blocking",
        "agrona-one-to-one", "agrona-many-to-one", "unix-socket", "pipe"})
    public String transport;

    private interface Sender
    {
        void send() throws IOException;
    }

    private Sender sender;
    private Process peer;
    private Arena arena;
    private SharedRegion region;
    private Channel channel;
    private RingBuffer agrona;
    private Path file;
    private SocketChannel socket;
    private OutputStream pipe;

    /**
     * Starts the peer process and connects to it.
     *
     * @throws Exception when the peer cannot start.
     */
    @Setup(Level.Trial)
    public void start() throws Exception
    {
        arena = Arena.ofShared();
        switch (transport)
        {
            case "harmonia-one-to-one", "harmonia-many-to-one" -> startHarmonia();
            case "harmonia-channel" -> startChannel(true);
            case "harmonia-channel-blocking" -> startChannel(false);
            case "agrona-one-to-one", "agrona-many-to-one" -> startAgrona();
            case "unix-socket" -> startSocket();
            case "pipe" -> startPipe();
            default -> throw new IllegalArgumentException(transport);
        }
    }

    private void startHarmonia() throws IOException
    {
        final RingKind kind = transport.endsWith("many-to-one") ? RingKind.MANY_TO_ONE : RingKind.ONE_TO_ONE;
        region = SharedRegion.create("bench", new RingSpec(CAPACITY, kind));
        peer = Peers.start("ring-sink", region.procPath());
        final RingProducer producer = region.producer(0);
        final MemorySegment message = arena.allocate(size, 8);
        sender = () ->
        {
            while (!producer.offer(1, message, 0, size))
            {
                Thread.onSpinWait();
            }
        };
    }

    /** Spin: offer until taken, the sink busy-polls. Blocking: both ends park on the futex at once (no spinning). */
    private void startChannel(final boolean spin) throws IOException
    {
        final String address = "@harmonia-bench-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        peer = Peers.start("channel-sink", address, spin ? "spin" : "park");
        final Channel ch = Channel.connect(address, 10_000_000_000L);
        channel = ch;
        final MemorySegment message = arena.allocate(size, 8);
        if (spin)
        {
            sender = () ->
            {
                while (!ch.offer(1, message, 0, size))
                {
                    Thread.onSpinWait();
                }
            };
        }
        else
        {
            ch.spinLimit(0);
            sender = () -> ch.send(1, message, 0, size, -1);
        }
    }

    private void startAgrona() throws IOException
    {
        file = Files.createTempFile(Path.of("/dev/shm"), "harmonia-bench-agrona-", ".ring");
        final int length = CAPACITY + RingBufferDescriptor.TRAILER_LENGTH;
        try (var out = Files.newOutputStream(file))
        {
            out.write(new byte[length]);
        }
        final boolean many = transport.endsWith("many-to-one");
        final UnsafeBuffer buffer = BenchPeer.map(file.toString(), length);
        agrona = many ? new ManyToOneRingBuffer(buffer) : new OneToOneRingBuffer(buffer);
        peer = Peers.start("agrona-sink", file.toString(), many ? "many" : "one");
        final UnsafeBuffer message = new UnsafeBuffer(new byte[size]);
        final RingBuffer ring = agrona;
        sender = () ->
        {
            while (!ring.write(1, message, 0, size))
            {
                Thread.onSpinWait();
            }
        };
    }

    private void startSocket() throws IOException
    {
        file = Path.of("/tmp", "harmonia-bench-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".sock");
        peer = Peers.start("socket-sink", file.toString());
        socket = SocketChannel.open(StandardProtocolFamily.UNIX);
        socket.connect(UnixDomainSocketAddress.of(file));
        final ByteBuffer message = ByteBuffer.allocateDirect(size);
        sender = () ->
        {
            message.clear();
            while (message.hasRemaining())
            {
                socket.write(message);
            }
        };
    }

    private void startPipe() throws IOException
    {
        peer = Peers.start("pipe-sink");
        pipe = peer.getOutputStream();
        final byte[] message = new byte[size];
        sender = () ->
        {
            pipe.write(message, 0, size);
            pipe.flush(); // one write(2) per message, like the socket
        };
    }

    /**
     * Sends a batch of messages.
     *
     * @throws IOException when a stream transport fails.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void send() throws IOException
    {
        final Sender sender = this.sender;
        for (int i = 0; i < BATCH; i++)
        {
            sender.send();
        }
    }

    /**
     * Stops the peer and releases everything.
     *
     * @throws Exception when cleanup fails.
     */
    @TearDown(Level.Trial)
    public void stop() throws Exception
    {
        if (null != region)
        {
            region.markClosed();
            Peers.stop(peer);
            region.close();
        }
        if (null != channel)
        {
            channel.close();
            Peers.stop(peer);
        }
        if (null != agrona)
        {
            final UnsafeBuffer stop = new UnsafeBuffer(new byte[8]);
            while (!agrona.write(BenchPeer.STOP, stop, 0, 8))
            {
                Thread.onSpinWait();
            }
            Peers.stop(peer);
        }
        if (null != socket)
        {
            socket.close();
            Peers.stop(peer);
        }
        if (null != pipe)
        {
            pipe.close();
            Peers.stop(peer);
        }
        if (null != file)
        {
            Files.deleteIfExists(file);
        }
        arena.close();
    }
}
