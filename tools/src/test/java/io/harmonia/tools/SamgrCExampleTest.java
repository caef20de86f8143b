package io.harmonia.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.harmonia.bindings.posix.Posix;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.samgr.ErrorCode;
import io.harmonia.samgr.IUnknown;
import io.harmonia.samgr.Samgr;
import io.harmonia.samgr.endpoint.SamgrEndpoint;
import io.harmonia.samgr.registry.ClientFactories;
import io.harmonia.samgr.registry.IClientProxy;
import io.harmonia.services.samgr.SamgrServerMain;
import io.harmonia.tools.demo.SamgrIpcDemo;
import io.harmonia.tools.demo.example.DemoApi;
import io.harmonia.tools.demo.example.DemoClientProxy;
import io.harmonia.tools.demo.example.ExampleProviderMain;

/**
 * The samgr_lite README's C examples across processes, mixed with Java, through a real samgr server process (Java):
 * C provider and C consumer, Java provider and C consumer, C provider and Java consumer, and a C consumer whose
 * uid the server's policy keeps out. The C programs are the README's code compiled unchanged
 * (native/tests/samgr: hm_samgr_provider, hm_samgr_consumer, built by the host CMake preset); the C consumer
 * checks its own steps and ends with "N passed, N failed".
 */
@Timeout(180)
class SamgrCExampleTest
{
    private static final Path ROOT = Path.of(System.getProperty("harmonia.root", "..")).toAbsolutePath().normalize();
    private static final Path PROGRAMS = ROOT.resolve("target/cmake/host/native/tests/samgr");
    private static final Path PROVIDER = PROGRAMS.resolve("hm_samgr_provider");
    private static final Path CONSUMER = PROGRAMS.resolve("hm_samgr_consumer");
    private static final AtomicInteger SERVERS = new AtomicInteger();
    private final List<Process> started = new ArrayList<>();

    @BeforeAll
    static void programsAreBuilt()
    {
        final boolean built = Files.isExecutable(PROVIDER) && Files.isExecutable(CONSUMER);
        if (!built)
        {
            System.out.println("SKIPPED SamgrCExampleTest: the C programs are not built at " + PROGRAMS +
                " (cmake --preset host && cmake --build --preset host)");
        }
        Assumptions.assumeTrue(built, "the C example programs are built by the host preset");
    }

    @AfterEach
    void stopProcesses()
    {
        for (final Process process : started)
        {
            process.destroyForcibly();
        }
    }

    private String startServer(final String... options) throws IOException
    {
        final String address = "@harmonia-c-samgr-" + ProcessHandle.current().pid() + "-" + SERVERS.incrementAndGet();
        final List<String> args = new ArrayList<>(List.of("--address", address, "--exit-with-stdin"));
        args.addAll(List.of(options));
        started.add(SamgrIpcDemo.start(SamgrServerMain.class, args.toArray(String[]::new)));
        return address;
    }

    /** Starts a C program with the server's address; its stdout is returned ready to read. */
    private Process startC(final List<String> command, final String address) throws IOException
    {
        final ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("HARMONIA_SAMGR_ADDRESS", address);
        final Process process = builder.start();
        started.add(process);
        return process;
    }

    private static BufferedReader out(final Process process)
    {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    private Process startCProvider(final String address) throws IOException
    {
        final Process provider = startC(List.of(PROVIDER.toString()), address);
        final String ready = out(provider).readLine();
        assertNotNull(ready, "the C provider ended before it was ready");
        assertTrue(ready.startsWith("ready"), ready);
        return provider;
    }

    /** Runs the C consumer's "calls" mode against a provider and kills the provider where the consumer asks. */
    private static void consumerCalls(final Process consumer, final Process provider) throws Exception
    {
        final BufferedReader lines = out(consumer);
        final StringBuilder transcript = new StringBuilder();
        for (String line = lines.readLine(); null != line; line = lines.readLine())
        {
            transcript.append(line).append('\n');
            if ("alive".equals(line))
            {
                provider.destroyForcibly();
                assertTrue(provider.waitFor(10, TimeUnit.SECONDS));
                consumer.getOutputStream().write('\n');
                consumer.getOutputStream().flush();
            }
        }
        assertTrue(consumer.waitFor(30, TimeUnit.SECONDS), "the C consumer ended");
        final String text = transcript.toString();
        assertEquals(0, consumer.exitValue(), text);
        assertTrue(text.contains(" passed, 0 failed"), text);
        assertFalse(text.contains("FAILED"), text);
        assertTrue(text.contains("ok: its handler got \"Yes, you did!\" before it returned"), text);
        assertTrue(text.contains("ok: ran DEMO_DestroyClient"), text);
    }

    @Test
    void aCConsumerCallsACProvider() throws Exception
    {
        final String address = startServer();
        final Process provider = startCProvider(address);
        consumerCalls(startC(List.of(CONSUMER.toString(), "calls"), address), provider);
    }

    @Test
    void aCConsumerCallsAJavaProvider() throws Exception
    {
        final String address = startServer();
        final Process provider = SamgrIpcDemo.start(ExampleProviderMain.class, address);
        started.add(provider);
        consumerCalls(startC(List.of(CONSUMER.toString(), "calls"), address), provider);
    }

    @Test
    void aJavaConsumerCallsACProvider() throws Exception
    {
        final String address = startServer();
        final Process provider = startCProvider(address);
        final PrintWriter providerIn = new PrintWriter(provider.getOutputStream(), true, StandardCharsets.UTF_8);
        final BufferedReader providerOut = out(provider);
        final AtomicInteger destroyed = new AtomicInteger();
        final Samgr samgr = Samgr.create();
        final SamgrEndpoint endpoint = SamgrEndpoint.attach(samgr, address);
        assertEquals(ErrorCode.EC_SUCCESS, DemoClientProxy.register(destroyed::incrementAndGet));
        try
        {
            final IUnknown iUnknown = samgr.getFeatureApi(DemoApi.EXAMPLE_SERVICE, DemoApi.EXAMPLE_FEATURE);
            assertNotNull(iUnknown, "GetFeatureApi of the C provider's feature");
            final IClientProxy raw = iUnknown.queryInterface(IUnknown.CLIENT_PROXY_VERSION, IClientProxy.class);
            try (MessageSequence empty = MessageSequence.create())
            {
                assertEquals(ErrorCode.EC_SUCCESS.code(), raw.invoke(DemoApi.ID_ASYNCALL, empty, null, null),
                    "the raw one-way Invoke with an empty request");
            }
            final String[] answer = new String[1];
            try (MessageSequence request = MessageSequence.create())
            {
                request.writeInt(1);
                request.writeInt(2);
                request.writeUtf8String("name");
                assertEquals(0, raw.invoke(DemoApi.ID_SYNCCALL, request, answer, (owner, code, reply) ->
                {
                    ((String[])owner)[0] = reply.readUtf8String();
                    return 0;
                }));
            }
            assertEquals("TRUE", answer[0], "the C provider survived AsyncCall(NULL) and answered SyncCall");
            final boolean[] unknown = {true};
            assertEquals(0, raw.invoke(42, null, unknown, (owner, code, reply) ->
            {
                ((boolean[])owner)[0] = reply.readBoolean();
                return 0;
            }), "an unknown funcId is EC_SUCCESS");
            assertFalse(unknown[0], "with a bool FALSE");
            raw.release();

            final DemoApi typed = iUnknown.queryInterface(IUnknown.DEFAULT_VERSION, DemoApi.class);
            assertNotNull(typed, "the factory's typed proxy");
            assertTrue(typed.syncCall(new DemoApi.Payload(1, 2, "name")));
            assertTrue(typed.asyncCall("I wanna async call callback good result!"));
            final String[] response = new String[1];
            assertTrue(typed.asyncCallBack("I wanna async call callback good result!", null,
                (notify, text) -> response[0] = text));
            assertEquals("Yes, you did!", response[0], "the handler ran before AsyncCallBack returned");
            assertTrue(typed.asyncTimeCall());
            typed.release();
            String received = "";
            final long deadline = System.nanoTime() + 5_000_000_000L;
            while (!received.contains("I wanna async call callback good result!") && System.nanoTime() < deadline)
            {
                providerIn.println("received");
                received = providerOut.readLine();
            }
            assertTrue(received.contains("I wanna async call callback good result!"),
                "the one-way AsyncCall reached the C provider: " + received);

            final IClientProxy noInvoke = samgr.getDefaultFeatureApi(DemoApi.EXAMPLE_SERVICE)
                .queryInterface(IUnknown.CLIENT_PROXY_VERSION, IClientProxy.class);
            assertEquals(ErrorCode.EC_NOHANDLER.code(), noInvoke.invoke(DemoApi.ID_SYNCCALL, null, null,
                (owner, code, reply) -> 0), "the C service's API with .Invoke = NULL answers EC_NOHANDLER");
            noInvoke.release();
        }
        finally
        {
            endpoint.close();
            samgr.close();
            ClientFactories.unregister(DemoApi.EXAMPLE_SERVICE, DemoApi.EXAMPLE_FEATURE);
        }
    }

    @Test
    void aCConsumerWhoseUidThePolicyKeepsOutIsRefusedAtOnce() throws Exception
    {
        final boolean root = 0 == Posix.euid();
        final boolean setpriv = Files.isExecutable(Path.of("/usr/bin/setpriv")) ||
            Files.isExecutable(Path.of("/bin/setpriv"));
        if (!root || !setpriv)
        {
            System.out.println("SKIPPED aCConsumerWhoseUidThePolicyKeepsOutIsRefusedAtOnce: needs root and setpriv " +
                "to run the consumer as uid 10001 (root=" + root + ", setpriv=" + setpriv + ")");
        }
        Assumptions.assumeTrue(root && setpriv, "needs root and setpriv");
        final String address = startServer("--policy", DemoApi.EXAMPLE_SERVICE + "/" + DemoApi.EXAMPLE_FEATURE +
            "=fixed:0,10002");
        startCProvider(address);
        // The consumer runs as uid 10001: stage it and the library where every uid can enter.
        final Path stage = Files.createTempDirectory(Path.of("/tmp"), "harmonia-c-samgr-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        try
        {
            final Path consumer = stage.resolve("hm_samgr_consumer");
            Files.copy(CONSUMER, consumer, StandardCopyOption.COPY_ATTRIBUTES);
            Files.copy(ROOT.resolve("target/cmake/host/native/libharmonia.so.0").toRealPath(),
                stage.resolve("libharmonia.so.0"));
            Files.setPosixFilePermissions(consumer, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(stage.resolve("libharmonia.so.0"), PosixFilePermissions.fromString("rw-r--r--"));
            final Process denied = startC(List.of("setpriv", "--reuid=10001", "--regid=10001", "--clear-groups",
                "env", "LD_LIBRARY_PATH=" + stage, consumer.toString(), "denied"), address);
            final String text = new String(denied.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(denied.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, denied.exitValue(), text);
            assertTrue(text.contains("2 passed, 0 failed"), text);
        }
        finally
        {
            try (var files = Files.list(stage))
            {
                for (final Path file : files.toList())
                {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(stage);
        }
    }
}
