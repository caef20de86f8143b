package io.harmonia.bench.app;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import javax.tools.ToolProvider;

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

import io.harmonia.bindings.posix.Posix;
import io.harmonia.foundation.Foundation;
import io.harmonia.foundation.FoundationConfig;
import io.harmonia.spawn.AppSpawnDaemon;

/**
 * The cold start of a Java app process, sampled per start (SampleTime gives p50 and p99 over every start):
 * <ul>
 *   <li>{@code appAttachedWithAotCache}: the ability manager asks appspawn for the bundle's process (the bundle's
 *       uid, groups, token), the Java launcher executes the JVM with the bundle's AOT cache (made at install time),
 *       AppMain starts the RPC runtime, connects to the ability manager and attaches; timed from the request until
 *       the attach is accepted;</li>
 *   <li>{@code appAttachedWithoutAotCache}: the same bundle installed with the AOT cache turned off;</li>
 *   <li>{@code plainJavaHello}: the baseline, {@code java -cp hello.jar Hello} (a main that prints one line) with
 *       the same JDK and its default flags, from ProcessBuilder.start until the process has exited.</li>
 * </ul>
 * After each app start (untimed) the process is force-stopped and its death handled, so every start is cold.
 * Foundation runs in the benchmark JVM, with a private appspawn daemon; needs root. The app class path is read
 * from {@code -Dharmonia.bench.appClassPathFile} (the bench pom points it at foundation/target/app-classpath.txt).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 10)
@Measurement(iterations = 3, time = 20)
@Fork(1)
public class AppStartBenchmark
{
    private static final String BUNDLE = "com.example.bench";
    private static final String HELLO = "public class Hello { public static void main(String[] a) "
        + "{ System.out.println(\"Hello\"); } }";

    private Path scratch;
    private AppSpawnDaemon appspawn;
    private Foundation withCache;
    private Foundation withoutCache;
    private Foundation stopping;
    private Path helloJar;

    /** Starts appspawn, two foundations (AOT caches on, off) with the bundle installed, and writes hello.jar. */
    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        if (0 != Posix.euid())
        {
            throw new IllegalStateException("AppStartBenchmark needs root (appspawn changes uids)");
        }
        final String classPathFile = System.getProperty("harmonia.bench.appClassPathFile");
        if (null == classPathFile || !Files.isRegularFile(Path.of(classPathFile)))
        {
            throw new IllegalStateException("-Dharmonia.bench.appClassPathFile names no file (" + classPathFile
                + "): build foundation first (mvn install -DskipTests)");
        }
        final List<Path> appClassPath = new ArrayList<>();
        for (final String entry : Files.readString(Path.of(classPathFile)).strip().split(":"))
        {
            appClassPath.add(Path.of(entry));
        }
        scratch = Files.createTempDirectory(Path.of("/tmp"), "harmonia-app-start-");
        Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxr-xr-x"));
        final Path bundle = writeBundle(scratch.resolve("bundle"));
        appspawn = AppSpawnDaemon.start();
        final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        final long pid = ProcessHandle.current().pid();
        withCache = Foundation.start(new FoundationConfig("bench-aot-" + pid, scratch.resolve("aot"),
            appspawn.socket(), appClassPath, java, scratch.resolve("none"), true));
        withoutCache = Foundation.start(new FoundationConfig("bench-plain-" + pid, scratch.resolve("plain"),
            appspawn.socket(), appClassPath, java, scratch.resolve("none"), false));
        if (withCache.bundles().install(bundle).aotCache().isEmpty())
        {
            throw new IllegalStateException("no AOT cache was made: " + withCache.bundles().get(BUNDLE).aotNote());
        }
        withoutCache.bundles().install(bundle);
        helloJar = writeHello(scratch.resolve("hello"));
    }

    private static Path writeBundle(final Path folder) throws IOException
    {
        return BenchBundles.write(folder, """
            {
              app: { bundleName: '%s', versionCode: 1, versionName: '1.0' },
              module: { name: 'entry', type: 'entry',
                abilities: [{ name: 'BenchAbility', srcEntry: '%s', exported: true }] },
            }
            """.formatted(BUNDLE, BenchAbility.class.getName()), BenchAbility.class);
    }

    private static Path writeHello(final Path folder) throws IOException
    {
        Files.createDirectories(folder);
        final Path source = folder.resolve("Hello.java");
        Files.writeString(source, HELLO);
        if (0 != ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", folder.toString(),
            source.toString()))
        {
            throw new IllegalStateException("Hello.java does not compile");
        }
        final Path jar = folder.resolve("hello.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file))
        {
            out.putNextEntry(new JarEntry("Hello.class"));
            Files.copy(folder.resolve("Hello.class"), out);
            out.closeEntry();
        }
        return jar;
    }

    /** The app process of the last start is stopped (untimed), so the next start is cold. */
    @TearDown(Level.Invocation)
    public void stopApp()
    {
        if (null != stopping)
        {
            stopping.abilities().forceStop(BUNDLE);
            stopping = null;
        }
    }

    /** Request to AppMain attached, with the bundle's AOT cache. */
    @Benchmark
    public int appAttachedWithAotCache()
    {
        stopping = withCache;
        return withCache.abilities().startProcess(BUNDLE);
    }

    /** Request to AppMain attached, without an AOT cache. */
    @Benchmark
    public int appAttachedWithoutAotCache()
    {
        stopping = withoutCache;
        return withoutCache.abilities().startProcess(BUNDLE);
    }

    /** The baseline: java -cp hello.jar Hello, until it exited. */
    @Benchmark
    public int plainJavaHello() throws IOException, InterruptedException
    {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
            helloJar.toString(), "Hello").redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    /** Stops both foundations and appspawn and removes the scratch folder. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        for (final AutoCloseable closeable : new AutoCloseable[] {withCache, withoutCache, appspawn})
        {
            try
            {
                if (null != closeable)
                {
                    closeable.close();
                }
            }
            catch (final Exception ignored)
            {
                // best effort at the end of the run
            }
        }
        try (Stream<Path> paths = Files.walk(scratch))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
    }
}
