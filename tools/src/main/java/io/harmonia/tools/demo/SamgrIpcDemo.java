package io.harmonia.tools.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.harmonia.rpc.MessageSequence;
import io.harmonia.samgr.ErrorCode;
import io.harmonia.samgr.IUnknown;
import io.harmonia.samgr.Samgr;
import io.harmonia.samgr.endpoint.SamgrEndpoint;
import io.harmonia.samgr.registry.IClientProxy;
import io.harmonia.services.samgr.SamgrServerMain;
import io.harmonia.tools.demo.Figures.Better;
import io.harmonia.tools.demo.Figures.RoundTrips;
import io.harmonia.tools.demo.example.DemoApi;
import io.harmonia.tools.demo.example.DemoClientProxy;
import io.harmonia.tools.demo.example.DemoFeatureApi;
import io.harmonia.tools.demo.example.ExampleProviderMain;

/**
 * The demo's samgr-across-processes step, the samgr_lite README's example: a samgr server process, a provider
 * process exporting {@code example/exampleFeature}, and this process as the consumer, which registers the typed
 * client proxy's factory, looks the feature up and calls it: the README's raw one-way {@code Invoke(0, empty
 * request)}, then SyncCall and AsyncCallBack through the typed proxy. The SyncCall round trip is timed against the
 * same call on the provider's API object in this process.
 */
public final class SamgrIpcDemo
{
    private static final int CALLS = 2_000;
    private static final long CALLS_LIMIT_NS = 3_000_000_000L;

    private SamgrIpcDemo()
    {
    }

    /**
     * Runs the step.
     *
     * @param out where the results go.
     * @throws IllegalStateException when a process or a call fails.
     */
    public static void run(final PrintWriter out)
    {
        final String address = "@harmonia-demo-samgr-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        final List<Process> processes = new ArrayList<>();
        try (Samgr samgr = Samgr.create())
        {
            final Process server = start(SamgrServerMain.class, "--address", address, "--exit-with-stdin");
            processes.add(server);
            final Process provider = start(ExampleProviderMain.class, address);
            processes.add(provider);
            out.printf(Locale.ROOT, "[samgr-ipc] samgr server pid %d at %s; provider pid %d registered %s/%s%n",
                server.pid(), address, provider.pid(), DemoApi.EXAMPLE_SERVICE, DemoApi.EXAMPLE_FEATURE);
            try (SamgrEndpoint endpoint = SamgrEndpoint.attach(samgr, address))
            {
                consume(out, samgr, endpoint);
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("the samgr demo failed: " + ex.getMessage(), ex);
        }
        finally
        {
            processes.forEach(Process::destroyForcibly);
        }
    }

    private static void consume(final PrintWriter out, final Samgr samgr, final SamgrEndpoint endpoint)
        throws IOException
    {
        DemoClientProxy.register(() -> { });
        final IUnknown api = endpoint.lookup(DemoApi.EXAMPLE_SERVICE, DemoApi.EXAMPLE_FEATURE, 5_000);
        if (null == api)
        {
            throw new IOException("example/exampleFeature is not registered");
        }
        final IClientProxy raw = api.queryInterface(IUnknown.CLIENT_PROXY_VERSION, IClientProxy.class);
        final int rawStatus;
        try (MessageSequence request = MessageSequence.create())
        {
            rawStatus = raw.invoke(DemoApi.ID_ASYNCALL, request, null, null);
        }
        finally
        {
            raw.release();
        }
        out.println("[samgr-ipc] Invoke(ID_ASYNCALL, empty request, no notify): one way, "
            + ErrorCode.of(rawStatus) + "; the provider survives AsyncCall(NULL)");
        final DemoApi demo = api.queryInterface(IUnknown.DEFAULT_VERSION, DemoApi.class);
        try
        {
            final boolean sync = demo.syncCall(new DemoApi.Payload(1, 2, "demo"));
            final String[] answer = new String[1];
            final boolean callback = demo.asyncCallBack("I wanna async call callback good result!", answer,
                (owner, response) -> ((String[])owner)[0] = response);
            out.println("[samgr-ipc] " + demo.getClass().getSimpleName() + " (from the registered factory): SyncCall "
                + sync + "; AsyncCallBack " + callback + ", its handler got \"" + answer[0]
                + "\" before the call returned");
            final RoundTrips remote = TimedRuns.roundTrips(CALLS, CALLS_LIMIT_NS,
                () -> demo.syncCall(new DemoApi.Payload(1, 2, "demo")));
            final DemoApi local = new DemoFeatureApi();
            final RoundTrips inProcess = TimedRuns.roundTrips(CALLS, CALLS_LIMIT_NS,
                () -> local.syncCall(new DemoApi.Payload(1, 2, "demo")));
            final double remoteMicros = remote.percentileMicros(0.5);
            final double localMicros = Math.max(inProcess.percentileMicros(0.5), 0.001);
            out.println("[samgr-ipc] SyncCall to the provider's process: median " + Figures.micros(remoteMicros)
                + " us over " + remote.nanos().length + " calls; the same call in process: "
                + Figures.micros(localMicros) + " us; remote / in process: "
                + Figures.ratio(remoteMicros / localMicros, Better.LOWER));
            final String note = Figures.limitNote("the SyncCall run", remote.nanos().length, CALLS,
                CALLS_LIMIT_NS / 1e9, "calls", remote.stoppedAtLimit());
            if (null != note)
            {
                out.println("[samgr-ipc] " + note);
            }
        }
        finally
        {
            demo.release();
        }
        samgr.forgetRemoteApi(DemoApi.EXAMPLE_SERVICE, DemoApi.EXAMPLE_FEATURE);
    }

    /**
     * Starts a JVM with this process's class path and waits for its "ready" line.
     *
     * @param main the main class.
     * @param args its arguments.
     * @return the process; its stdin stays open (the samgr server and the provider end when it closes).
     * @throws IOException when it does not start or says something else first.
     */
    public static Process start(final Class<?> main, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
            "--enable-native-access=ALL-UNNAMED", "-Xmx64m", "-XX:+UseSerialGC", "-cp",
            System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        final String ready = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
            .readLine();
        if (null == ready || !ready.startsWith("ready"))
        {
            process.destroyForcibly();
            throw new IOException(main.getSimpleName() + " did not start: " + ready);
        }
        return process;
    }
}
