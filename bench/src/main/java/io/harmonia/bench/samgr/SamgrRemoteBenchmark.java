package io.harmonia.bench.samgr;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
import org.openjdk.jmh.annotations.Warmup;

import io.harmonia.rpc.IPCSkeleton;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.samgr.ErrorCode;
import io.harmonia.samgr.Feature;
import io.harmonia.samgr.IUnknown;
import io.harmonia.samgr.Samgr;
import io.harmonia.samgr.endpoint.SamgrEndpoint;
import io.harmonia.samgr.registry.IClientProxy;
import io.harmonia.samgr.registry.INotify;
import io.harmonia.services.samgr.SamgrServerMain;

/**
 * samgr across processes: a samgr server JVM, a provider JVM ({@link SamgrBenchPeer}) exporting an echo feature, and
 * this JVM as the consumer, each figure against a baseline of the same run.
 *
 * <ul>
 *   <li>{@code firstLookup}: {@code getFeatureApi} of a remote feature that is not cached (a GET round trip to the
 *   server, the provider's reference, a new client proxy); {@code cachedLookup}: the same call once the proxy is
 *   cached (target: 50 ns or less), against {@code localLookupBaseline}, the same call for a feature of this
 *   process.
 *   <li>{@code remoteFeatureCall}: a synchronous {@code IClientProxy.invoke} of the echo (64 bytes each way), which
 *   runs on the provider service's task; against {@code inProcessCallBaseline}, the same Invoke on the same API
 *   object in this process, and {@code bareRpcBaseline}, the same echo on a bare RPC object of the provider's
 *   process (the RPC round trip samgr's call is built on).
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC"})
public class SamgrRemoteBenchmark
{
    private static final int SIZE = 64;
    private static final INotify READ_ECHO = (owner, code, reply) -> reply.readByteArray().length;

    private final List<Process> processes = new ArrayList<>();
    private Samgr samgr;
    private SamgrEndpoint endpoint;
    private IClientProxy remote;
    private IRemoteObject bare;
    private SamgrBenchPeer.EchoApi local;
    private MessageSequence data;
    private MessageSequence reply;
    private MessageOption option;
    /** Lookup names: fields, not constants, so the JIT cannot fold the lookups away. */
    private String service = SamgrBenchPeer.SERVICE;
    private String feature = SamgrBenchPeer.FEATURE;
    private String localService = "localBench";

    /**
     * Starts the server and the provider, and this process's endpoint and local baseline service.
     *
     * @throws IOException when a process does not start.
     */
    @Setup(Level.Trial)
    public void start() throws IOException
    {
        final String address = "@harmonia-samgr-bench-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        processes.add(startJvm(SamgrServerMain.class.getName(), "--address", address, "--exit-with-stdin"));
        processes.add(startJvm(SamgrBenchPeer.class.getName(), address, address + "-bare"));
        samgr = Samgr.create();
        endpoint = SamgrEndpoint.attach(samgr, address);
        local = new SamgrBenchPeer.EchoApi();
        samgr.registerService(SamgrBenchPeer.service(localService));
        samgr.registerFeature(localService, Feature.named(SamgrBenchPeer.FEATURE));
        samgr.registerFeatureApi(localService, SamgrBenchPeer.FEATURE, local);
        samgr.bootstrap();
        final IUnknown api = endpoint.lookup(service, feature, 10_000);
        if (null == api)
        {
            throw new IllegalStateException("the provider's feature is not registered");
        }
        remote = api.queryInterface(IUnknown.CLIENT_PROXY_VERSION, IClientProxy.class);
        bare = IPCSkeleton.connect(address + "-bare", 10_000);
        data = MessageSequence.create();
        data.writeByteArray(new byte[SIZE]);
        reply = MessageSequence.create();
        option = new MessageOption();
        if (ErrorCode.EC_SUCCESS.code() != remote.invoke(SamgrBenchPeer.ECHO, data, null, READ_ECHO))
        {
            throw new IllegalStateException("the remote echo failed");
        }
    }

    /** Stops the processes. */
    @TearDown(Level.Trial)
    public void stop()
    {
        remote.release();
        endpoint.close();
        samgr.close();
        processes.forEach(Process::destroyForcibly);
    }

    /**
     * Starts a JVM of this class path and waits for its "ready" line.
     *
     * @param main the main class.
     * @param args its arguments.
     * @return the process.
     * @throws IOException when it cannot start.
     */
    static Process startJvm(final String main, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
            "--enable-native-access=ALL-UNNAMED", "-XX:+UseParallelGC", "-cp", System.getProperty("java.class.path"),
            main));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        final String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
            .readLine();
        if (null == line || !line.startsWith("ready"))
        {
            process.destroyForcibly();
            throw new IllegalStateException(main + " did not start: " + line);
        }
        return process;
    }

    /**
     * A lookup of a remote feature that is not cached.
     *
     * @return the proxy.
     */
    @Benchmark
    public IUnknown firstLookup()
    {
        final IUnknown cached = samgr.forgetRemoteApi(service, feature);
        if (null != cached)
        {
            cached.release();
        }
        return samgr.getFeatureApi(service, feature);
    }

    /**
     * A lookup of a remote feature whose proxy is cached.
     *
     * @return the proxy.
     */
    @Benchmark
    public IUnknown cachedLookup()
    {
        return samgr.getFeatureApi(service, feature);
    }

    /**
     * The same lookup for a feature of this process.
     *
     * @return the API.
     */
    @Benchmark
    public IUnknown localLookupBaseline()
    {
        return samgr.getFeatureApi(localService, feature);
    }

    /**
     * The echo through the client proxy: runs on the provider service's task in the other process.
     *
     * @return the status.
     */
    @Benchmark
    public int remoteFeatureCall()
    {
        return remote.invoke(SamgrBenchPeer.ECHO, data, null, READ_ECHO);
    }

    /**
     * The same Invoke on the same API in this process.
     *
     * @return the status.
     */
    @Benchmark
    public int inProcessCallBaseline()
    {
        data.rewindRead(0);
        reply.rewindWrite(0);
        final int status = local.invoke(SamgrBenchPeer.ECHO, IPCSkeleton.getSelfIdentity(), data, reply);
        reply.rewindRead(0);
        return status + reply.readByteArray().length;
    }

    /**
     * The same echo on a bare RPC object of the provider's process.
     *
     * @return the reply's size.
     */
    @Benchmark
    public int bareRpcBaseline()
    {
        bare.sendMessageRequestSync(SamgrBenchPeer.ECHO, data, reply, option);
        return reply.readByteArray().length;
    }
}
