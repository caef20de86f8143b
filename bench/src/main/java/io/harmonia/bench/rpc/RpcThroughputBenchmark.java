package io.harmonia.bench.rpc;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import io.harmonia.rpc.IPCSkeleton;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.RemoteObject;

/**
 * Calls per second to a RemoteObject in another JVM ({@link RpcBenchPeer}), default wait strategy: one-way calls
 * (64-byte request, empty handler) from 1 and from 4 threads through one proxy, against the synchronous call of
 * the same request in the same run; and the cost of passing an object reference: a synchronous call carrying a
 * RemoteObject of this process (read by the handler) against the same call carrying an int.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC"})
public class RpcThroughputBenchmark
{
    private Process peer;
    private IRemoteObject service;
    private final RemoteObject passed = new RemoteObject("bench.passed");

    /** Per-thread messages. */
    @State(Scope.Thread)
    public static class Messages
    {
        MessageSequence request;
        MessageSequence reply;
        MessageSequence withObject;
        MessageSequence withInt;

        /** Makes the messages once per thread. */
        @Setup(Level.Trial)
        public void create()
        {
            request = MessageSequence.create();
            request.writeByteArray(RpcBenchPeer.pattern(RpcRoundTripBenchmark.SIZE)
                .toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
            reply = MessageSequence.create();
            withInt = MessageSequence.create();
            withInt.writeInt(7);
            withObject = MessageSequence.create();
        }
    }

    /**
     * Starts the peer and connects.
     *
     * @throws Exception when the peer cannot start.
     */
    @Setup(Level.Trial)
    public void start() throws Exception
    {
        final String address = "@harmonia-rpc-tput-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        peer = RpcRoundTripBenchmark.startPeer(List.of(), "rpc", address);
        service = IPCSkeleton.connect(address, 10_000);
    }

    /**
     * One-way calls from one thread.
     *
     * @param messages this thread's messages.
     */
    @Benchmark
    @Threads(1)
    public void oneWay1Thread(final Messages messages)
    {
        service.sendMessageRequestSync(RpcBenchPeer.SINK, messages.request, messages.reply, new MessageOption(true));
    }

    /**
     * One-way calls from four threads through the same proxy.
     *
     * @param messages this thread's messages.
     */
    @Benchmark
    @Threads(4)
    public void oneWay4Threads(final Messages messages)
    {
        service.sendMessageRequestSync(RpcBenchPeer.SINK, messages.request, messages.reply, new MessageOption(true));
    }

    /**
     * The baseline: the same request as a synchronous call.
     *
     * @param messages this thread's messages.
     */
    @Benchmark
    @Threads(1)
    public void syncCall1Thread(final Messages messages)
    {
        service.sendMessageRequestSync(RpcBenchPeer.SINK, messages.request, messages.reply, new MessageOption());
    }

    /**
     * A synchronous call carrying an object reference (written, pinned, read and settled each time).
     *
     * @param messages this thread's messages.
     */
    @Benchmark
    @Threads(1)
    public void callWithObject(final Messages messages)
    {
        final MessageSequence data = messages.withObject;
        data.rewindWrite(0);
        data.writeRemoteObject(passed);
        data.writeInt(7);
        service.sendMessageRequestSync(RpcBenchPeer.TAKE_OBJECT, data, messages.reply, new MessageOption());
    }

    /**
     * The same call carrying an int instead.
     *
     * @param messages this thread's messages.
     */
    @Benchmark
    @Threads(1)
    public void callWithInt(final Messages messages)
    {
        service.sendMessageRequestSync(RpcBenchPeer.TAKE_INT, messages.withInt, messages.reply, new MessageOption());
    }

    /**
     * Stops the peer.
     *
     * @throws Exception when it does not stop.
     */
    @TearDown(Level.Trial)
    public void stop() throws Exception
    {
        peer.getOutputStream().close();
        if (!peer.waitFor(10, TimeUnit.SECONDS))
        {
            peer.destroyForcibly();
        }
    }
}
