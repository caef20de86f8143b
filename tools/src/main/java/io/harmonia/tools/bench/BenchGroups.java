package io.harmonia.tools.bench;

import static io.harmonia.tools.bench.BenchGroup.on;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.harmonia.tools.bench.BenchGroup.Metric;
import io.harmonia.tools.bench.BenchGroup.Settings;
import io.harmonia.tools.bench.BenchGroup.Step;

/**
 * The groups {@code harmonia bench} runs: the same-run comparisons bench/RESULTS.md reports, each a JMH step or two
 * and the figures read from them. A new group is one more method here and one more entry in {@link #ALL}.
 *
 * <p>A full run is sized for just under 15 minutes on 2 cores ({@code harmonia bench --plan} prints the
 * estimate): mostly three forks of 1 s of warm-up and 3 x 1 s of measurement per benchmark and parameter set (five
 * forks for the 64-byte ring against Agrona, whose forks run in one of two regimes; two shorter forks for the steps
 * with several processes), which is shorter than the classes' own JMH settings and gives a median and range over
 * forks. A quick run takes one short fork of a few benchmarks per group: it
 * proves the tool and the benchmarks work, in seconds; its figures mean little.
 */
public final class BenchGroups
{
    /** Benchmarks with a peer JVM: the fork's start, the peer's start and the connection. */
    private static final Settings WITH_PEER = new Settings(3, 1, 1000, 3, 1000, 2500);
    /** The 64-byte ring pair: more forks, as each fork lands in a fast or a slow regime. */
    private static final Settings REGIMES = new Settings(5, 1, 1000, 3, 1000, 2500);
    /** Benchmarks inside one JVM. */
    private static final Settings IN_PROCESS = new Settings(3, 1, 1000, 3, 1000, 1200);
    /** appspawn: a private daemon and the JIT loops of the set-up; spawns are sampled over 2 s of warm-up. */
    private static final Settings SPAWN = new Settings(3, 1, 2000, 3, 1000, 4000);
    /** Steps with many methods of one figure family: two forks keep the full run under 15 minutes on two cores. */
    private static final Settings TWO_FORKS = new Settings(2, 1, 1000, 3, 1000, 3000);
    /** samgr-remote's steps (a samgr server, providers in Java and C and consumers per fork): two forks with two
     * measured iterations of 0.75 s, so its Java and C steps both fit in the full run's 15 minutes. */
    private static final Settings SAMGR_REMOTE = new Settings(2, 1, 1000, 2, 750, 3000);

    /** Every group, in the order a full run takes them. */
    public static final List<BenchGroup> ALL = List.of(transport(), ipcio(), spawn(), samgr(), rpc(), samgrRemote());

    private BenchGroups()
    {
    }

    /**
     * The group of this name.
     *
     * @param name a group name.
     * @return the group, or null.
     */
    public static BenchGroup named(final String name)
    {
        return ALL.stream().filter(group -> group.name().equals(name)).findFirst().orElse(null);
    }

    private static BenchGroup transport()
    {
        final String rt = "RoundTripBenchmark.roundTrip";
        final String tp = "ThroughputBenchmark.send";
        return BenchGroup.named("transport", "shared-memory rings and channels against Agrona, a Unix socket, a pipe "
                + "and the cache-line floor")
            .step(step("transport.RoundTripBenchmark", "roundTrip",
                params("transport", "harmonia-spin,harmonia-blocking,cacheline-spin,agrona-spin,unix-socket,pipe"),
                params("transport", "harmonia-spin,harmonia-blocking,unix-socket"), WITH_PEER))
            .step(step("transport.ThroughputBenchmark", "send",
                params("transport", "harmonia-one-to-one,agrona-one-to-one", "size", "64"),
                params("transport", "harmonia-one-to-one,agrona-one-to-one", "size", "64"), REGIMES))
            .step(step("transport.ThroughputBenchmark", "send",
                params("transport", "harmonia-channel,unix-socket", "size", "64"),
                params("transport", "harmonia-channel,unix-socket", "size", "64"), WITH_PEER))
            .step(step("transport.ThroughputBenchmark", "send",
                params("transport", "harmonia-one-to-one,agrona-one-to-one,harmonia-channel,unix-socket",
                    "size", "1024"), null, WITH_PEER))
            .step(step("transport.ThroughputBenchmark", "send",
                params("transport", "harmonia-many-to-one,agrona-many-to-one", "size", "64"), null, WITH_PEER))
            .figure("roundtrip.spin.p50", "Channel round trip, 32 B, both ends spinning, p50", Metric.P50,
                on("Harmonia channel, spin", rt + " transport=harmonia-spin"),
                on("Unix domain socket", rt + " transport=unix-socket"), "lower")
            .figure("roundtrip.blocking.p50", "Channel round trip, 32 B, both ends parked (futex), p50", Metric.P50,
                on("Harmonia channel, blocking", rt + " transport=harmonia-blocking"),
                on("Unix domain socket", rt + " transport=unix-socket"), "lower")
            .figure("roundtrip.blocking.vs-pipe", "Channel round trip, 32 B, parked, p50, against a pipe", Metric.P50,
                on("Harmonia channel, blocking", rt + " transport=harmonia-blocking"),
                on("pipe", rt + " transport=pipe"), "lower")
            .figure("roundtrip.spin.vs-agrona", "Channel round trip, 32 B, spinning, p50, against Agrona's rings",
                Metric.P50, on("Harmonia channel, spin", rt + " transport=harmonia-spin"),
                on("Agrona 1:1 rings, spin", rt + " transport=agrona-spin"), "lower")
            .figure("roundtrip.spin.vs-floor", "Channel round trip, 32 B, spinning, p50, over the physical floor "
                    + "(a counter ping-ponged in one cache line)", Metric.P50,
                on("Harmonia channel, spin", rt + " transport=harmonia-spin"),
                on("cache line", rt + " transport=cacheline-spin"), "lower")
            .figure("ring.64.vs-agrona", "One-to-one ring between processes, 64 B, messages/s", Metric.SCORE,
                on("Harmonia 1:1 ring", tp + " transport=harmonia-one-to-one size=64"),
                on("Agrona OneToOneRingBuffer", tp + " transport=agrona-one-to-one size=64"), "higher")
            .figure("ring.1024.vs-agrona", "One-to-one ring between processes, 1024 B, messages/s", Metric.SCORE,
                on("Harmonia 1:1 ring", tp + " transport=harmonia-one-to-one size=1024"),
                on("Agrona OneToOneRingBuffer", tp + " transport=agrona-one-to-one size=1024"), "higher")
            .figure("ring-n1.64.vs-agrona", "Many-to-one ring between processes, 64 B, messages/s", Metric.SCORE,
                on("Harmonia n:1 ring", tp + " transport=harmonia-many-to-one size=64"),
                on("Agrona ManyToOneRingBuffer", tp + " transport=agrona-many-to-one size=64"), "higher")
            .figure("channel.64.vs-socket", "Channel with its frames between processes, 64 B, messages/s",
                Metric.SCORE, on("Harmonia channel", tp + " transport=harmonia-channel size=64"),
                on("Unix domain socket", tp + " transport=unix-socket size=64"), "higher")
            .figure("channel.1024.vs-socket", "Channel with its frames between processes, 1024 B, messages/s",
                Metric.SCORE, on("Harmonia channel", tp + " transport=harmonia-channel size=1024"),
                on("Unix domain socket", tp + " transport=unix-socket size=1024"), "higher")
            .build();
    }

    private static BenchGroup ipcio()
    {
        final String c = "IpcIoBenchmark.";
        return BenchGroup.named("ipcio", "IpcIo marshalling (write and read back one message) against hand-written "
                + "ByteBuffer code")
            .step(new Step("IpcIoBenchmark",
                List.of("smallMessageSequenceView", "smallFlyweightView", "smallByteBufferBaselineView",
                    "smallMessageSequenceString", "smallByteBufferBaselineString", "kiloFlyweightView",
                    "kiloByteBufferBaselineView"), Map.of(),
                List.of("smallMessageSequenceView", "smallByteBufferBaselineView"), Map.of(), IN_PROCESS, true))
            .figure("small.messagesequence", "IpcIo small message (4 ints, a 32-char string: 56 B) write+read, "
                    + "MessageSequence, string as a view, ns", Metric.SCORE,
                on("MessageSequence", c + "smallMessageSequenceView"),
                on("hand-written ByteBuffer", c + "smallByteBufferBaselineView"), "lower")
            .figure("small.flyweight", "IpcIo small message write+read, IpcIoBuffer flyweight (heap), ns",
                Metric.SCORE, on("IpcIoBuffer", c + "smallFlyweightView"),
                on("hand-written ByteBuffer", c + "smallByteBufferBaselineView"), "lower")
            .figure("small.string", "IpcIo small message write+read, MessageSequence, string decoded, ns",
                Metric.SCORE, on("MessageSequence", c + "smallMessageSequenceString"),
                on("hand-written ByteBuffer", c + "smallByteBufferBaselineString"), "lower")
            .figure("kilo.flyweight", "IpcIo 1 KiB message write+read, IpcIoBuffer flyweight (heap), ns",
                Metric.SCORE, on("IpcIoBuffer", c + "kiloFlyweightView"),
                on("hand-written ByteBuffer", c + "kiloByteBufferBaselineView"), "lower")
            .build();
    }

    private static BenchGroup spawn()
    {
        final String c = "SpawnBenchmark.";
        return BenchGroup.named("spawn", "appspawn warm and cold starts against ProcessBuilder (needs root)")
            .needsRoot()
            .step(new Step("SpawnBenchmark", List.of("warmSpawn", "coldSpawn", "processBuilderTrue"),
                params("pauseMs", "3"), List.of("warmSpawn", "processBuilderTrue"), params("pauseMs", "3"), SPAWN,
                false))
            .figure("warm.p50", "appspawn warm start until the app is ready (3 ms between spawns), p50", Metric.P50,
                on("appspawn warm start", c + "warmSpawn pauseMs=3"),
                on("ProcessBuilder /bin/true", c + "processBuilderTrue pauseMs=3"), "lower")
            .figure("cold.p50", "appspawn cold start (the launcher executed) until ready, p50", Metric.P50,
                on("appspawn cold start", c + "coldSpawn pauseMs=3"),
                on("ProcessBuilder /bin/true", c + "processBuilderTrue pauseMs=3"), "lower")
            .build();
    }

    private static BenchGroup samgr()
    {
        final String rt = "SamgrRoundTripBenchmark.";
        final String call = "SamgrCallBenchmark.";
        return BenchGroup.named("samgr", "samgr's task queues and feature lookup against executors and a map")
            .step(new Step("SamgrRoundTripBenchmark", List.of("samgrTasks", "executorBaseline"),
                params("inFlight", "1,16"), List.of("samgrTasks", "executorBaseline"), params("inFlight", "1"),
                IN_PROCESS, false))
            .step(new Step("SamgrCallBenchmark", List.of("getFeatureApi", "concurrentHashMapGetBaseline"), Map.of(),
                List.of(), Map.of(), IN_PROCESS, false))
            .figure("roundtrip.1", "samgr request/response through task queues, 1 in flight, round trips/s",
                Metric.SCORE, on("samgr tasks", rt + "samgrTasks inFlight=1"),
                on("ExecutorService + CompletableFuture", rt + "executorBaseline inFlight=1"), "higher")
            .figure("roundtrip.16", "samgr request/response through task queues, 16 in flight, round trips/s",
                Metric.SCORE, on("samgr tasks", rt + "samgrTasks inFlight=16"),
                on("ExecutorService + CompletableFuture", rt + "executorBaseline inFlight=16"), "higher")
            .figure("getfeatureapi", "Cached getFeatureApi by service and feature name, ns", Metric.SCORE,
                on("getFeatureApi", call + "getFeatureApi"),
                on("ConcurrentHashMap.get", call + "concurrentHashMapGetBaseline"), "lower")
            .build();
    }

    private static BenchGroup rpc()
    {
        final String rt = "RpcRoundTripBenchmark.roundTrip";
        final String tp = "RpcThroughputBenchmark.";
        return BenchGroup.named("rpc", "RemoteObject calls between processes against the bare channel, a Unix "
                + "socket and grpc-java")
            .step(step("rpc.RpcRoundTripBenchmark", "roundTrip",
                params("transport", "rpc-spin,rpc-default,channel-spin,unix-socket,grpc-uds"),
                params("transport", "rpc-default,unix-socket"), WITH_PEER))
            .step(new Step("rpc.RpcThroughputBenchmark",
                List.of("oneWay1Thread", "oneWay4Threads", "syncCall1Thread", "callWithObject", "callWithInt"),
                Map.of(), List.of(), Map.of(), TWO_FORKS, false))
            .figure("roundtrip.default.vs-socket", "RPC synchronous call, 64 B each way, default wait (spin 50 us, "
                    + "then park), p50, against a Unix socket ping-pong", Metric.P50,
                on("Harmonia RPC, default wait", rt + " transport=rpc-default"),
                on("Unix domain socket", rt + " transport=unix-socket"), "lower")
            .figure("roundtrip.default.vs-grpc", "RPC synchronous call, default wait, p50, against grpc-java unary "
                    + "over a Unix socket", Metric.P50,
                on("Harmonia RPC, default wait", rt + " transport=rpc-default"),
                on("grpc-java, Unix socket", rt + " transport=grpc-uds"), "lower")
            .figure("roundtrip.spin.vs-grpc", "RPC synchronous call, both ends spinning, p50, against grpc-java",
                Metric.P50, on("Harmonia RPC, spin", rt + " transport=rpc-spin"),
                on("grpc-java, Unix socket", rt + " transport=grpc-uds"), "lower")
            .figure("roundtrip.spin.vs-channel", "RPC call, spinning, p50, over the bare channel round trip it is "
                    + "built on", Metric.P50, on("Harmonia RPC, spin", rt + " transport=rpc-spin"),
                on("bare channel, spin", rt + " transport=channel-spin"), "lower")
            .figure("cpu.default.vs-grpc", "CPU time of both processes per call, default wait, against grpc-java, us",
                Metric.extra("cpuUsPerCall"), on("Harmonia RPC, default wait", rt + " transport=rpc-default"),
                on("grpc-java, Unix socket", rt + " transport=grpc-uds"), "lower")
            .figure("oneway.vs-sync", "One-way calls per second from one thread, against synchronous calls",
                Metric.SCORE, on("one-way", tp + "oneWay1Thread"), on("synchronous", tp + "syncCall1Thread"),
                "higher")
            .figure("oneway.4threads.vs-1", "One-way calls per second from four threads through one proxy, "
                    + "against one thread", Metric.SCORE, on("one-way, 4 threads", tp + "oneWay4Threads"),
                on("one-way, 1 thread", tp + "oneWay1Thread"), "higher")
            .figure("object.vs-int", "Calls per second carrying an object reference, against the same call "
                    + "carrying an int", Metric.SCORE, on("with a RemoteObject", tp + "callWithObject"),
                on("with an int", tp + "callWithInt"), "higher")
            .build();
    }

    private static BenchGroup samgrRemote()
    {
        final String c = "SamgrRemoteBenchmark.";
        final String cCall = "SamgrCFeatureCallBenchmark.";
        return BenchGroup.named("samgr-remote", "samgr across processes: remote lookups and feature calls (Java and "
                + "C) against the same in one process and the bare RPC call")
            .step(new Step("samgr.SamgrRemoteBenchmark", List.of("firstLookup", "cachedLookup", "localLookupBaseline",
                "remoteFeatureCall", "inProcessCallBaseline", "bareRpcBaseline"), Map.of(), List.of(), Map.of(),
                SAMGR_REMOTE, false))
            .figure("lookup.cached", "Cached getFeatureApi of a remote feature against the same for a local one, ns",
                Metric.SCORE, on("remote, cached proxy", c + "cachedLookup"),
                on("local feature", c + "localLookupBaseline"), "lower")
            .figure("lookup.first", "First getFeatureApi of a remote feature (a GET to the samgr server, a new proxy) "
                    + "against a cached one, ns", Metric.SCORE, on("remote, first", c + "firstLookup"),
                on("remote, cached proxy", c + "cachedLookup"), "lower")
            .figure("call.vs-rpc", "Remote feature call (Invoke on the provider's task) against the bare RPC call it "
                    + "is built on, ns", Metric.SCORE, on("samgr remote Invoke", c + "remoteFeatureCall"),
                on("bare RPC call", c + "bareRpcBaseline"), "lower")
            .figure("call.vs-local", "Remote feature call against the same Invoke in one process, ns", Metric.SCORE,
                on("samgr remote Invoke", c + "remoteFeatureCall"),
                on("Invoke in process", c + "inProcessCallBaseline"), "lower")
            .step(new Step("samgr.SamgrCFeatureCallBenchmark", List.of("cFeatureCall", "cBareRpcBaseline",
                "javaFeatureCall"), Map.of(), List.of(), Map.of(), SAMGR_REMOTE, false))
            .figure("c-call.vs-java", "C feature call vs Java feature call: the README's SyncCall, C consumer to C "
                    + "provider against Java consumer to Java provider, ns", Metric.SCORE,
                on("C to C feature call", cCall + "cFeatureCall"), on("Java to Java feature call",
                    cCall + "javaFeatureCall"), "lower")
            .figure("c-call.vs-rpc", "C feature call vs bare RPC: the README's SyncCall from a C consumer through "
                    + "samgr against the same request as a bare RPC call from a C consumer, ns", Metric.SCORE,
                on("C to C feature call", cCall + "cFeatureCall"), on("bare RPC call from C",
                    cCall + "cBareRpcBaseline"), "lower")
            .build();
    }

    /** A step of one benchmark method; {@code quickParams} null: not part of a quick run. */
    private static Step step(final String benchmarkClass, final String method, final Map<String, List<String>> params,
        final Map<String, List<String>> quickParams, final Settings settings)
    {
        return new Step(benchmarkClass, List.of(method), params, null == quickParams ? List.of() : List.of(method),
            null == quickParams ? Map.of() : quickParams, settings, false);
    }

    /** JMH parameters from name, "v1,v2", name, "v1", ... */
    private static Map<String, List<String>> params(final String... namesAndValues)
    {
        final Map<String, List<String>> params = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2)
        {
            params.put(namesAndValues[i], Arrays.asList(namesAndValues[i + 1].split(",")));
        }
        return params;
    }
}
