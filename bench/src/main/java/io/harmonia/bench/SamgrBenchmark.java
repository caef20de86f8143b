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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.harmonia.samgr.BootPhase;
import io.harmonia.samgr.Feature;
import io.harmonia.samgr.IUnknown;
import io.harmonia.samgr.IUnknownEntry;
import io.harmonia.samgr.Identity;
import io.harmonia.samgr.Request;
import io.harmonia.samgr.Response;
import io.harmonia.samgr.Samgr;
import io.harmonia.samgr.Service;
import io.harmonia.samgr.TaskConfig;

/**
 * samgr's in-process messaging and lookup, each against a same-run baseline.
 *
 * <ul>
 *   <li>{@code taskPingPong}: a client service on one samgr task sends a request to a server service on another;
 *   the server answers with {@code sendResponse}; the response handler runs back on the client's task and sends the
 *   next request. One op is one request-to-response round trip through both task queues.
 *   {@code executorPingPongBaseline} is the same exchange on two single-thread {@code ExecutorService}s chained with
 *   {@code CompletableFuture} ({@code supplyAsync} on the server executor, {@code thenAcceptAsync} on the client's).
 *   <li>{@code callerWithoutTask}: a plain thread sends a request and waits for its handler (which samgr runs on the
 *   server's thread); baseline {@code executorJoinBaseline}: {@code supplyAsync(handler, executor).join()}.
 *   <li>{@code getFeatureApi}: a cached local lookup of a feature API by names; baseline
 *   {@code concurrentHashMapGetBaseline}: one {@code ConcurrentHashMap.get} of a string key.
 * </ul>
 */
@State(Scope.Benchmark)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SamgrBenchmark
{
    /** Round trips per benchmark invocation, so the start and the final wake-up are amortised. */
    static final int BURST = 1_000;

    private static final int MSG_KICK = 1;
    private static final int MSG_PING = 2;

    private Samgr samgr;
    private PingServer server;
    private PingClient client;
    private ExecutorService serverExecutor;
    private ExecutorService clientExecutor;
    private final Request ping = new Request(MSG_PING, new byte[] {1, 2, 3, 4}, 0);
    private final Response pong = new Response(new byte[] {4, 3, 2, 1});

    /** Lookup names: fields, not constants, so the JIT cannot fold the lookup away. */
    private String serviceName = "EchoService";
    private String featureName = "Echo";
    private String mapKey = "EchoService/Echo";
    private final ConcurrentHashMap<String, Object> map = new ConcurrentHashMap<>();

    /** The server: answers every ping. */
    static final class PingServer implements Service
    {
        private final Samgr samgr;
        private final Response pong;
        private final CountDownLatch ready = new CountDownLatch(1);
        private volatile Identity identity;

        PingServer(final Samgr samgr, final Response pong)
        {
            this.samgr = samgr;
            this.pong = pong;
        }

        @Override
        public String getName()
        {
            return "PingServer";
        }

        @Override
        public void initialize(final Identity serviceIdentity)
        {
            identity = serviceIdentity;
            ready.countDown();
        }

        @Override
        public void messageHandle(final Request request)
        {
            samgr.sendResponse(request, pong);
        }

        @Override
        public TaskConfig getTaskConfig()
        {
            return TaskConfig.single(TaskConfig.PRI_NORMAL, 16);
        }
    }

    /** The client: on a kick, runs a burst of round trips from its own task and then counts the latch down. */
    static final class PingClient implements Service
    {
        private final Samgr samgr;
        private final PingServer server;
        private final Request ping;
        private final CountDownLatch ready = new CountDownLatch(1);
        private volatile Identity identity;
        private volatile CountDownLatch done;
        private int remaining;

        PingClient(final Samgr samgr, final PingServer server, final Request ping)
        {
            this.samgr = samgr;
            this.server = server;
            this.ping = ping;
        }

        @Override
        public String getName()
        {
            return "PingClient";
        }

        @Override
        public void initialize(final Identity serviceIdentity)
        {
            identity = serviceIdentity;
            ready.countDown();
        }

        @Override
        public void messageHandle(final Request request)
        {
            remaining = BURST;
            sendPing();
        }

        private void sendPing()
        {
            samgr.sendRequest(server.identity, ping, this::onPong);
        }

        private void onPong(final Request request, final Response response)
        {
            if (--remaining > 0)
            {
                sendPing();
            }
            else
            {
                done.countDown();
            }
        }

        @Override
        public TaskConfig getTaskConfig()
        {
            return TaskConfig.single(TaskConfig.PRI_NORMAL, 16);
        }
    }

    /** A feature with an API to look up. */
    static final class EchoFeature implements Feature
    {
        @Override
        public String getName()
        {
            return "Echo";
        }

        @Override
        public void onInitialize(final Service parent, final Identity identity)
        {
        }

        @Override
        public void onStop(final Identity identity)
        {
        }

        @Override
        public void onMessage(final Request request)
        {
        }
    }

    /** Builds both set-ups and boots samgr. */
    @Setup
    public void setUp() throws InterruptedException
    {
        samgr = Samgr.create();
        server = new PingServer(samgr, pong);
        client = new PingClient(samgr, server, ping);
        samgr.registerService(server);
        samgr.registerService(client);
        samgr.registerService(new EchoService());
        samgr.registerFeature("EchoService", new EchoFeature());
        final IUnknown api = new IUnknownEntry(IUnknown.DEFAULT_VERSION)
        {
        };
        samgr.registerFeatureApi("EchoService", "Echo", api);
        map.put(mapKey, api);
        final CountDownLatch booted = new CountDownLatch(1);
        samgr.addBootListener(phase ->
        {
            if (BootPhase.APP == phase)
            {
                booted.countDown();
            }
        });
        samgr.bootstrap();
        if (!booted.await(30, TimeUnit.SECONDS) || !server.ready.await(30, TimeUnit.SECONDS)
            || !client.ready.await(30, TimeUnit.SECONDS))
        {
            throw new IllegalStateException("samgr did not boot");
        }
        serverExecutor = Executors.newSingleThreadExecutor();
        clientExecutor = Executors.newSingleThreadExecutor();
    }

    /** Stops both set-ups. */
    @TearDown
    public void tearDown()
    {
        samgr.close();
        serverExecutor.shutdownNow();
        clientExecutor.shutdownNow();
    }

    /**
     * Round trips between two samgr tasks.
     *
     * @throws InterruptedException never in practice.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BURST)
    public void taskPingPong() throws InterruptedException
    {
        final CountDownLatch done = new CountDownLatch(1);
        client.done = done;
        samgr.sendRequest(client.identity, new Request(MSG_KICK, 0), null);
        done.await();
    }

    /**
     * Baseline: the same round trips between two single-thread executors chained with CompletableFuture.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BURST)
    public void executorPingPongBaseline()
    {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        clientExecutor.execute(() -> executorStep(BURST, done));
        done.join();
    }

    private void executorStep(final int remaining, final CompletableFuture<Void> done)
    {
        CompletableFuture.supplyAsync(() -> serve(ping), serverExecutor).thenAcceptAsync(response ->
        {
            if (remaining > 1)
            {
                executorStep(remaining - 1, done);
            }
            else
            {
                done.complete(null);
            }
        }, clientExecutor);
    }

    private Response serve(final Request request)
    {
        return request.msgId() == MSG_PING ? pong : null;
    }

    /**
     * A plain thread's request; samgr runs its handler on the server's thread, which wakes the caller.
     *
     * @throws InterruptedException never in practice.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void callerWithoutTask() throws InterruptedException
    {
        final CountDownLatch done = new CountDownLatch(1);
        samgr.sendRequest(server.identity, ping, (request, response) -> done.countDown());
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
        return CompletableFuture.supplyAsync(() -> serve(ping), serverExecutor).join();
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
        return samgr.getFeatureApi(serviceName, featureName);
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

    /** The service that owns the looked-up feature; it needs no task. */
    static final class EchoService implements Service
    {
        @Override
        public String getName()
        {
            return "EchoService";
        }

        @Override
        public void initialize(final Identity identity)
        {
        }

        @Override
        public void messageHandle(final Request request)
        {
        }

        @Override
        public TaskConfig getTaskConfig()
        {
            return TaskConfig.noTask();
        }
    }
}
