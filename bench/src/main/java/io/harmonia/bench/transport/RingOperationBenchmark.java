package io.harmonia.bench.transport;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.MessageHandler;
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

import io.harmonia.bindings.queue.RingConsumer;
import io.harmonia.bindings.queue.RingKind;
import io.harmonia.bindings.queue.RingProducer;
import io.harmonia.bindings.queue.RingSpec;
import io.harmonia.bindings.queue.SharedRegion;

/**
 * The per-message cost of one ring's operations in one thread, without a second core: write a batch of messages,
 * then read the batch back. This is the profile behind the cross-process {@link ThroughputBenchmark} (no hardware
 * performance counters on the VM we measure on): what each library's write and read cost on their own, with the
 * cache lines staying in this core. Harmonia's rings against Agrona's over native memory of the same size.
 * Score: nanoseconds per message (one write plus its read).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "-Dagrona.disable.bounds.checks=true", "-XX:+UseParallelGC"})
public class RingOperationBenchmark
{
    private static final int BATCH = 64;
    private static final int CAPACITY = 64 * 1024;

    /** Message size in bytes. */
    @Param({"64"})
    public int size;

    /** The ring. */
    @Param({"harmonia-one-to-one", "agrona-one-to-one", "harmonia-many-to-one", "agrona-many-to-one"})
    public String transport;

    private SharedRegion region;
    private RingProducer producer;
    private RingConsumer consumer;
    private java.lang.foreign.MemorySegment message;
    private RingBuffer agrona;
    private UnsafeBuffer agronaMessage;
    private long checksum;
    private final io.harmonia.bindings.queue.MessageHandler harmoniaHandler =
        (type, buffer, offset, length) -> checksum += length;
    private final MessageHandler agronaHandler = (type, buffer, index, length) -> checksum += length;

    /** Creates the ring. */
    @Setup(Level.Trial)
    public void start()
    {
        if (transport.startsWith("harmonia"))
        {
            final RingKind kind = transport.endsWith("many-to-one") ? RingKind.MANY_TO_ONE : RingKind.ONE_TO_ONE;
            region = SharedRegion.create("bench-op", new RingSpec(CAPACITY, kind));
            producer = region.producer(0);
            consumer = region.consumer(0);
            message = java.lang.foreign.Arena.global().allocate(size, 8);
        }
        else
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(
                ByteBuffer.allocateDirect(CAPACITY + RingBufferDescriptor.TRAILER_LENGTH));
            agrona = transport.endsWith("many-to-one") ? new ManyToOneRingBuffer(buffer) :
                new OneToOneRingBuffer(buffer);
            agronaMessage = new UnsafeBuffer(new byte[size]);
        }
    }

    /**
     * Writes a batch, then reads it back.
     *
     * @return a checksum of what was read (so the reads cannot be dropped).
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long writeThenRead()
    {
        if (null != producer)
        {
            for (int i = 0; i < BATCH; i++)
            {
                if (!producer.offer(1, message, 0, size))
                {
                    throw new IllegalStateException("ring full");
                }
            }
            int read = 0;
            while (read < BATCH)
            {
                read += consumer.read(harmoniaHandler, BATCH - read);
            }
        }
        else
        {
            for (int i = 0; i < BATCH; i++)
            {
                if (!agrona.write(1, agronaMessage, 0, size))
                {
                    throw new IllegalStateException("ring full");
                }
            }
            int read = 0;
            while (read < BATCH) // Agrona's read stops at the end of the buffer: a wrapped batch takes two
            {
                read += agrona.read(agronaHandler, BATCH - read);
            }
        }
        return checksum;
    }

    /** Releases the ring. */
    @TearDown(Level.Trial)
    public void stop()
    {
        if (null != region)
        {
            producer.close();
            consumer.close();
            region.close();
        }
    }
}
