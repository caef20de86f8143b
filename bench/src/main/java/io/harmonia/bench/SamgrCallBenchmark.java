package io.harmonia.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.harmonia.samgr.IUnknown;
import io.harmonia.samgr.Response;

/**
 * A plain thread's request to a samgr service, and a cached API lookup, each against a same-run baseline.
 *
 * <ul>
 *   <li>{@code requestFromPlainThread}: a thread that is not a samgr task sends a request and waits for its handler,
 *   which samgr runs on the server's thread; baseline {@code executorJoinBaseline}:
 *   {@code supplyAsync(serve, executor).join()}.
 *   <li>{@code getFeatureApi}: a local lookup of a feature API by service and feature name; baseline
 *   {@code concurrentHashMapGetBaseline}: one {@code ConcurrentHashMap.get} by a string key.
 * </ul>
 */
@State(Scope.Benchmark)
@Fork(3)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SamgrCallBenchmark
{
    private SamgrFixture fixture;
    private ExecutorService serverExecutor;
    /** Lookup names: fields, not constants, so the JIT cannot fold the lookups away. */
    private String serviceName = "EchoService";
    private String featureName = "Echo";
    private String mapKey = "EchoService/Echo";
    private final ConcurrentHashMap<String, Object> map = new ConcurrentHashMap<>();

    /**
     * Boots samgr and starts the executor.
     *
     * @throws InterruptedException never in practice.
     */
    @Setup
    public void setUp() throws InterruptedException
    {
        fixture = new SamgrFixture();
        serverExecutor = Executors.newSingleThreadExecutor();
        map.put(mapKey, fixture.echoApi);
    }

    /** Stops both. */
    @TearDown
    public void tearDown()
    {
        fixture.samgr.close();
        serverExecutor.shutdownNow();
    }

    /**
     * A request from a thread without a samgr task.
     *
     * @throws InterruptedException never in practice.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void requestFromPlainThread() throws InterruptedException
    {
        final CountDownLatch done = new CountDownLatch(1);
        fixture.samgr.sendRequest(fixture.server.identity, fixture.ping, (request, response) -> done.countDown());
        done.await();
    }

    /**
     * Baseline: supplyAsync on a single-thread executor, joined by the caller.
     *
     * @return the response.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Response executorJoinBaseline()
    {
        return CompletableFuture.supplyAsync(() -> fixture.serve(fixture.ping), serverExecutor).join();
    }

    /**
     * A cached local lookup of a feature API.
     *
     * @return the API.
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public IUnknown getFeatureApi()
    {
        return fixture.samgr.getFeatureApi(serviceName, featureName);
    }

    /**
     * Baseline: one ConcurrentHashMap lookup by a string key.
     *
     * @return the value.
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Object concurrentHashMapGetBaseline()
    {
        return map.get(mapKey);
    }
}
