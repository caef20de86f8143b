package io.harmonia.bench.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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

import io.harmonia.ability.AbilityConnector;
import io.harmonia.ability.AbilityManagerClient;
import io.harmonia.ability.ConnectOptions;
import io.harmonia.ability.ElementName;
import io.harmonia.ability.Want;
import io.harmonia.bindings.posix.Posix;
import io.harmonia.bundle.BundleManagerClient;
import io.harmonia.foundation.FoundationMain;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.spawn.AppSpawnDaemon;

/**
 * Connect to a ServiceExtensionAbility, timed from {@code connectServiceExtensionAbility} until the client's
 * onConnect callback ran, sampled per connect (SampleTime: p50 and p99 over every connect). Foundation runs in a
 * process of its own, the benchmark JVM is the client (root), the service runs in its bundle's app process:
 * <ul>
 *   <li>{@code connectServiceRunning}: the service's process runs and the instance is started, with no other
 *       client: each connect runs the service's onConnect (the target: p50 at most 1 ms);</li>
 *   <li>{@code connectCachedRemote}: another client holds a connection, so the cached object is handed over without
 *       an onConnect;</li>
 *   <li>{@code connectColdWithAotCache}: the bundle's process is not running: appspawn starts it, the JVM starts
 *       with the bundle's AOT cache (made at install), attaches, onCreate, onConnect;</li>
 *   <li>{@code callRoundTrip}: the baseline in the same run, a synchronous call's round trip to the service's object
 *       from this process.</li>
 * </ul>
 * Each connect is disconnected (untimed; for the cold case the bundle's process is force-stopped too, so every
 * connect is cold). Neither Android nor OpenHarmony publishes a connect-latency figure that we found; OpenHarmony
 * bounds it by its timeouts (load 10 s, connect 10 s). Needs root.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(1)
public class ExtensionConnectBenchmark
{
    private static final String BUNDLE = "com.example.benchservice";
    private static final String ABILITY = "BenchService";
    private static final long WAIT_MS = 120_000;

    /** appspawn and a foundation process with the service bundle installed (with its AOT cache). */
    @State(Scope.Benchmark)
    public static class Platform
    {
        Path scratch;
        AppSpawnDaemon appspawn;
        Process foundation;
        AbilityManagerClient ams;
        AbilityConnector connector;
        final Want service = Want.of(BUNDLE, ABILITY);

        /** Starts everything and installs the bundle. */
        @Setup(Level.Trial)
        public void setUp() throws Exception
        {
            if (0 != Posix.euid())
            {
                throw new IllegalStateException("ExtensionConnectBenchmark needs root (appspawn changes uids)");
            }
            final String classPathFile = System.getProperty("harmonia.bench.appClassPathFile");
            if (null == classPathFile || !Files.isRegularFile(Path.of(classPathFile)))
            {
                throw new IllegalStateException("-Dharmonia.bench.appClassPathFile names no file (" + classPathFile
                    + "): build foundation first");
            }
            scratch = Files.createTempDirectory(Path.of("/tmp"), "harmonia-connect-");
            Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxr-xr-x"));
            appspawn = AppSpawnDaemon.start();
            final Path installList = scratch.resolve("install_list.json5");
            Files.writeString(installList, "{ install_list: [ { bundleName: '" + BUNDLE + "', systemApp: true, "
                + "apl: 'system_basic', allowAppUsePrivilegeExtension: true } ] }");
            final String instance = "bench-connect-" + ProcessHandle.current().pid();
            foundation = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                FoundationMain.class.getName(), "--instance", instance, "--state-dir", scratch.resolve("state")
                .toString(), "--appspawn-socket", appspawn.socket().toString(), "--token-dir",
                appspawn.tokenDirectory().toString(), "--install-list", installList.toString(), "--app-classpath",
                "@" + classPathFile).redirectError(scratch.resolve("foundation.log").toFile()).start();
            final String ready = new BufferedReader(new InputStreamReader(foundation.getInputStream(),
                StandardCharsets.UTF_8)).readLine();
            if (null == ready || !ready.startsWith("foundation ready"))
            {
                throw new IllegalStateException("foundation did not start: "
                    + Files.readString(scratch.resolve("foundation.log")));
            }
            BundleManagerClient.connect(instance).install(BenchBundles.write(scratch.resolve("bundle"), """
                {
                  app: { bundleName: '%s', versionCode: 1, versionName: '1.0' },
                  module: { name: 'entry', type: 'entry',
                    extensionAbilities: [{ name: '%s', type: 'service', exported: true, srcEntry: '%s' }] },
                }
                """.formatted(BUNDLE, ABILITY, BenchServiceExtension.class.getName()), BenchServiceExtension.class,
                BenchServiceExtension.Echo.class).toString());
            ams = AbilityManagerClient.connect(instance);
            connector = ams.connector();
        }

        /** Connects and waits for onConnect. */
        Connection connect() throws Exception
        {
            final Connection connection = new Connection();
            connection.id = connector.connectServiceExtensionAbility(service, connection);
            connection.connected.get(WAIT_MS, TimeUnit.MILLISECONDS);
            return connection;
        }

        /** Disconnects and waits for onDisconnect. */
        void disconnect(final Connection connection) throws Exception
        {
            connector.disconnectServiceExtensionAbility(connection.id).get(WAIT_MS, TimeUnit.MILLISECONDS);
            connection.disconnected.get(WAIT_MS, TimeUnit.MILLISECONDS);
        }

        /** Stops foundation (its app processes go) and appspawn, and removes the scratch folder. */
        @TearDown(Level.Trial)
        public void tearDown() throws Exception
        {
            foundation.destroy();
            foundation.waitFor(30, TimeUnit.SECONDS);
            appspawn.close();
            try (Stream<Path> paths = Files.walk(scratch))
            {
                for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
                {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    /** One connection's callbacks as futures. */
    static final class Connection implements ConnectOptions
    {
        final CompletableFuture<IRemoteObject> connected = new CompletableFuture<>();
        final CompletableFuture<Void> disconnected = new CompletableFuture<>();
        long id;

        @Override
        public void onConnect(final ElementName elementName, final IRemoteObject remote)
        {
            connected.complete(remote);
        }

        @Override
        public void onDisconnect(final ElementName elementName)
        {
            disconnected.complete(null);
        }

        @Override
        public void onFailed(final int code)
        {
            connected.completeExceptionally(new IllegalStateException("connect failed: " + code));
        }
    }

    /** The service started (its process runs), no client. */
    @State(Scope.Benchmark)
    public static class Running
    {
        Connection last;

        /** Starts the service. */
        @Setup(Level.Trial)
        public void setUp(final Platform platform) throws Exception
        {
            platform.connector.startServiceExtensionAbility(platform.service).get(WAIT_MS, TimeUnit.MILLISECONDS);
        }

        /** Disconnects the last connect (untimed). */
        @TearDown(Level.Invocation)
        public void disconnect(final Platform platform) throws Exception
        {
            if (null != last)
            {
                platform.disconnect(last);
                last = null;
            }
        }
    }

    /** The service running with one client holding a connection: the cached object. */
    @State(Scope.Benchmark)
    public static class Cached
    {
        Connection holder;
        Connection last;

        /** Starts the service and connects the holder. */
        @Setup(Level.Trial)
        public void setUp(final Platform platform) throws Exception
        {
            platform.connector.startServiceExtensionAbility(platform.service).get(WAIT_MS, TimeUnit.MILLISECONDS);
            holder = platform.connect();
        }

        /** Disconnects the last connect (untimed). */
        @TearDown(Level.Invocation)
        public void disconnect(final Platform platform) throws Exception
        {
            if (null != last)
            {
                platform.disconnect(last);
                last = null;
            }
        }
    }

    /** After each connect the bundle's process is stopped, so the next connect starts it. */
    @State(Scope.Benchmark)
    public static class Cold
    {
        Connection last;

        /** Disconnects and force-stops the bundle's process (untimed). */
        @TearDown(Level.Invocation)
        public void stop(final Platform platform) throws Exception
        {
            if (null != last)
            {
                platform.disconnect(last);
                last = null;
            }
            platform.ams.forceStop(BUNDLE);
        }
    }

    /** Connect to onConnect, the service's process running (onConnect runs each time). */
    @Benchmark
    public Object connectServiceRunning(final Platform platform, final Running running) throws Exception
    {
        running.last = platform.connect();
        return running.last;
    }

    /** Connect to onConnect, the object cached (another client holds a connection). */
    @Benchmark
    public Object connectCachedRemote(final Platform platform, final Cached cached) throws Exception
    {
        cached.last = platform.connect();
        return cached.last;
    }

    /** Connect to onConnect with the process start (appspawn, the JVM with its AOT cache, attach, onCreate). */
    @Benchmark
    @Warmup(iterations = 1, time = 10)
    @Measurement(iterations = 3, time = 20)
    public Object connectColdWithAotCache(final Platform platform, final Cold cold) throws Exception
    {
        cold.last = platform.connect();
        return cold.last;
    }

    /** The baseline: a call's round trip to the service's object. */
    @Benchmark
    public int callRoundTrip(final Platform platform, final Cached cached) throws Exception
    {
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            data.writeInt(7);
            cached.holder.connected.get().sendMessageRequestSync(1, data, reply, new MessageOption());
            return reply.readInt();
        }
    }
}
