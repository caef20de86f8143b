package io.harmonia.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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

import io.harmonia.samgr.Request;

/**
 * Request-to-response round trips per second through samgr's task queues, against the same exchange on plain
 * executors.
 *
 * <ul>
 *   <li>{@code samgrTasks}: a client service on one samgr task keeps {@code inFlight} requests outstanding to a
 *   server service on another; the server answers with {@code sendResponse}; each response handler runs back on the
 *   client's task and sends the next request.
 *   <li>{@code executorBaseline}: two single-thread {@code ExecutorService}s; each round trip is
 *   {@code supplyAsync(serve, server).thenAcceptAsync(next, client)}, with the same number outstanding.
 * </ul>
 * One op is one round trip. {@code inFlight=1} is bound by the thread hand-over latency (two wake-ups per round
 * trip unless the waiting thread is still spinning); {@code inFlight=16} by the cost per message.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(SamgrFixture.BURST)
@Fork(3)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SamgrRoundTripBenchmark
{
    private static final int MSG_KICK = 1;

    /** Requests outstanding at once. */
    @Param({"1", "16"})
    private int inFlight;

    private SamgrFixture fixture;
    private ExecutorService serverExecutor;
    private ExecutorService clientExecutor;
    private int executorSent;
    private int executorCompleted;

    /**
     * Boots samgr and starts the executors.
     *
     * @throws InterruptedException never in practice.
     */
    @Setup
    public void setUp() throws InterruptedException
    {
        fixture = new SamgrFixture();
        serverExecutor = Executors.newSingleThreadExecutor();
        clientExecutor = Executors.newSingleThreadExecutor();
    }

    /** Stops both. */
    @TearDown
    public void tearDown()
    {
        fixture.samgr.close();
        serverExecutor.shutdownNow();
        clientExecutor.shutdownNow();
    }

    /**
     * A burst of round trips between two samgr tasks.
     *
     * @throws InterruptedException never in practice.
     */
    @Benchmark
    public void samgrTasks() throws InterruptedException
    {
        final CountDownLatch done = new CountDownLatch(1);
        fixture.client.done = done;
        fixture.samgr.sendRequest(fixture.client.identity, new Request(MSG_KICK, inFlight), null);
        done.await();
    }

    /** Baseline: the same burst between two single-thread executors chained with CompletableFuture. */
    @Benchmark
    public void executorBaseline()
    {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        clientExecutor.execute(() ->
        {
            executorSent = 0;
            executorCompleted = 0;
            for (int i = 0; i < inFlight; i++)
            {
                executorRoundTrip(done);
            }
        });
        done.join();
    }

    /** One round trip of the baseline; the counters are only touched on the client executor's thread. */
    private void executorRoundTrip(final CompletableFuture<Void> done)
    {
        executorSent++;
        CompletableFuture.supplyAsync(() -> fixture.serve(fixture.ping), serverExecutor).thenAcceptAsync(response ->
        {
            if (++executorCompleted == SamgrFixture.BURST)
            {
                done.complete(null);
            }
            else if (executorSent < SamgrFixture.BURST)
            {
                executorRoundTrip(done);
            }
        }, clientExecutor);
    }
}
