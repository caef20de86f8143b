package io.harmonia.bench.samgr;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
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
import io.harmonia.samgr.IUnknown;
import io.harmonia.samgr.Samgr;
import io.harmonia.samgr.endpoint.SamgrEndpoint;
import io.harmonia.samgr.registry.IClientProxy;
import io.harmonia.samgr.registry.INotify;
import io.harmonia.services.samgr.SamgrServerMain;

/**
 * samgr_lite in C across processes: the README example's synchronous feature call ({@code SyncCall}: id, value and
 * name in, "TRUE" out) from a C consumer to a C provider, against the same call between Java processes and the bare
 * RPC call, all in one run. Processes: a samgr server JVM, the README's C provider ({@code hm_samgr_provider}), the
 * Java provider {@link SamgrBenchPeer} (its feature and its bare RPC object answer the same SyncCall), two C
 * consumers ({@code hm_samgr_consumer serve}, {@code serve-bare}) and this JVM as the Java consumer.
 *
 * <ul>
 *   <li>{@code cFeatureCall}: C consumer to C provider through the client proxy ({@code Invoke} with notify), the
 *   subject; {@code cBareRpcBaseline}: the same request from a C consumer as a bare RPC call
 *   ({@code hm_rpc_call}) to the Java peer's bare object, the round trip the C feature call is built on.
 *   <li>{@code javaFeatureCall}: Java consumer to Java provider, the same request through {@code IClientProxy};
 *   {@code javaToCFeatureCall}: Java consumer to the C provider.
 * </ul>
 *
 * <p>Timing the C consumers: the JMH method writes a byte to the consumer's stdin, the consumer makes
 * {@value #CALLS} calls and writes a byte back. With {@code @OperationsPerInvocation(CALLS)} the pipe's round trip
 * (tens of microseconds) is spread over {@value #CALLS} calls, below a tenth of a microsecond each: noise next to a
 * feature call. The C programs are built by the host CMake preset ({@code native/tests/samgr}); they are found
 * under {@code -Dharmonia.root} (the Maven build passes it), else above this class's jar or folder. Without them
 * the set-up fails with a "SKIPPED" line saying how to build them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC"})
public class SamgrCFeatureCallBenchmark
{
    /** Calls per JMH invocation of a C consumer. */
    static final int CALLS = 1000;
    private static final String PROGRAMS = "target/cmake/host/native/tests/samgr";
    private static final String EXAMPLE_SERVICE = "example";
    private static final String EXAMPLE_FEATURE = "exampleFeature";
    private static final INotify READ_ANSWER = (owner, code, reply) ->
    {
        ((String[]) owner)[0] = reply.readUtf8String();
        return 0;
    };

    private final List<Process> processes = new ArrayList<>();
    private Samgr samgr;
    private SamgrEndpoint endpoint;
    private IClientProxy javaProvider;
    private IClientProxy cProvider;
    private IRemoteObject bare;
    private Process cConsumer;
    private Process cBareConsumer;
    private MessageSequence request;
    private MessageSequence reply;
    private MessageOption option;
    private final String[] answer = new String[1];

    /**
     * Starts the server, both providers and the C consumers, and looks both features up from this process.
     *
     * @throws IOException when a process does not start.
     */
    @Setup(Level.Trial)
    public void start() throws IOException
    {
        final Path programs = programs();
        final String address = "@harmonia-samgr-c-bench-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        processes.add(SamgrRemoteBenchmark.startJvm(SamgrServerMain.class.getName(), "--address", address,
            "--exit-with-stdin"));
        processes.add(SamgrRemoteBenchmark.startJvm(SamgrBenchPeer.class.getName(), address, address + "-bare"));
        processes.add(startC(address, programs.resolve("hm_samgr_provider").toString()));
        final String consumer = programs.resolve("hm_samgr_consumer").toString();
        cConsumer = startC(address, consumer, "serve", Integer.toString(CALLS));
        processes.add(cConsumer);
        cBareConsumer = startC(address, consumer, "serve-bare", Integer.toString(CALLS), address + "-bare");
        processes.add(cBareConsumer);
        samgr = Samgr.create();
        endpoint = SamgrEndpoint.attach(samgr, address);
        javaProvider = lookup(SamgrBenchPeer.SERVICE, SamgrBenchPeer.FEATURE);
        cProvider = lookup(EXAMPLE_SERVICE, EXAMPLE_FEATURE);
        bare = IPCSkeleton.connect(address + "-bare", 10_000);
        request = MessageSequence.create();
        request.writeInt(1);
        request.writeInt(2);
        request.writeUtf8String("name");
        reply = MessageSequence.create();
        option = new MessageOption();
        for (final IClientProxy provider : List.of(javaProvider, cProvider))
        {
            answer[0] = null;
            if (ErrorCode.EC_SUCCESS.code() != provider.invoke(SamgrBenchPeer.SYNC_CALL, request, answer, READ_ANSWER)
                || !"TRUE".equals(answer[0]))
            {
                throw new IllegalStateException("a provider's SyncCall did not answer TRUE: " + answer[0]);
            }
        }
        final String bareAnswer = bareRpcCall();
        if (!"TRUE".equals(bareAnswer))
        {
            throw new IllegalStateException("the bare SyncCall did not answer TRUE: " + bareAnswer);
        }
    }

    /** Stops the processes. */
    @TearDown(Level.Trial)
    public void stop()
    {
        javaProvider.release();
        cProvider.release();
        endpoint.close();
        samgr.close();
        processes.forEach(Process::destroyForcibly);
    }

    /** The folder of the host build's C samgr programs, or a loud failure saying how to build them. */
    private static Path programs()
    {
        final List<Path> roots = new ArrayList<>();
        final String root = System.getProperty("harmonia.root");
        if (null != root)
        {
            roots.add(Path.of(root));
        }
        try
        {
            // Without the property (harmonia bench runs from tools/target/harmonia-tools.jar): the checkout above.
            final Path code = Path.of(SamgrCFeatureCallBenchmark.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI());
            for (Path folder = code.getParent(); null != folder; folder = folder.getParent())
            {
                roots.add(folder);
            }
        }
        catch (final URISyntaxException | SecurityException ex)
        {
            // only the property then
        }
        for (final Path candidate : roots)
        {
            final Path programs = candidate.toAbsolutePath().resolve(PROGRAMS);
            if (Files.isExecutable(programs.resolve("hm_samgr_provider"))
                && Files.isExecutable(programs.resolve("hm_samgr_consumer")))
            {
                return programs;
            }
        }
        final String message = "SKIPPED SamgrCFeatureCallBenchmark: hm_samgr_provider and hm_samgr_consumer are not "
            + "built under " + PROGRAMS + " of -Dharmonia.root=" + root + " or above this jar (cmake --preset host "
            + "&& cmake --build --preset host)";
        System.out.println(message);
        throw new IllegalStateException(message);
    }

    private static Process startC(final String address, final String... command) throws IOException
    {
        final ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("HARMONIA_SAMGR_ADDRESS", address);
        final Process process = builder.start();
        final StringBuilder transcript = new StringBuilder();
        for (String line = readLine(process.getInputStream()); null != line;
            line = readLine(process.getInputStream()))
        {
            transcript.append(line).append('\n');
            if (line.startsWith("ready"))
            {
                return process;
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not start:\n" + transcript);
    }

    /** One line, read byte by byte: nothing beyond it is taken from the stream the benchmark reads bytes from. */
    private static String readLine(final InputStream in) throws IOException
    {
        final ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); '\n' != b; b = in.read())
        {
            if (-1 == b)
            {
                return 0 == line.size() ? null : line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private IClientProxy lookup(final String service, final String feature)
    {
        final IUnknown api = endpoint.lookup(service, feature, 10_000);
        if (null == api)
        {
            throw new IllegalStateException(service + "/" + feature + " is not registered");
        }
        return api.queryInterface(IUnknown.CLIENT_PROXY_VERSION, IClientProxy.class);
    }

    /** Asks a C consumer for {@value #CALLS} calls and waits for its byte. */
    private static int served(final Process consumer) throws IOException
    {
        final OutputStream in = consumer.getOutputStream();
        in.write('g');
        in.flush();
        final int done = consumer.getInputStream().read();
        if ('.' != done)
        {
            throw new IllegalStateException("the C consumer's calls failed (" + done + ")");
        }
        return done;
    }

    private String bareRpcCall()
    {
        bare.sendMessageRequestSync(SamgrBenchPeer.SYNC_CALL, request, reply, option);
        return reply.readUtf8String();
    }

    /**
     * C consumer to C provider: {@value #CALLS} SyncCalls through the C client proxy.
     *
     * @return the consumer's byte.
     * @throws IOException when the consumer is gone.
     */
    @Benchmark
    @OperationsPerInvocation(CALLS)
    public int cFeatureCall() throws IOException
    {
        return served(cConsumer);
    }

    /**
     * The same request from a C consumer as a bare RPC call to the Java peer's bare object.
     *
     * @return the consumer's byte.
     * @throws IOException when the consumer is gone.
     */
    @Benchmark
    @OperationsPerInvocation(CALLS)
    public int cBareRpcBaseline() throws IOException
    {
        return served(cBareConsumer);
    }

    /**
     * Java consumer to Java provider: the same SyncCall through {@code IClientProxy}.
     *
     * @return the status.
     */
    @Benchmark
    public int javaFeatureCall()
    {
        return javaProvider.invoke(SamgrBenchPeer.SYNC_CALL, request, answer, READ_ANSWER);
    }

    /**
     * Java consumer to the C provider.
     *
     * @return the status.
     */
    @Benchmark
    public int javaToCFeatureCall()
    {
        return cProvider.invoke(SamgrBenchPeer.SYNC_CALL, request, answer, READ_ANSWER);
    }

    /**
     * The same request as a bare RPC call from this JVM to the Java peer's bare object.
     *
     * @return the answer.
     */
    @Benchmark
    public String javaBareRpcBaseline()
    {
        return bareRpcCall();
    }
}
