package io.harmonia.tools.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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
import io.harmonia.tools.demo.Figures.Better;
import io.harmonia.tools.demo.ability.DemoBundles;
import io.harmonia.tools.demo.ability.DemoClientAbility;
import io.harmonia.tools.demo.ability.EchoServiceExtension;

/**
 * The demo's service-extension step (as root): a private appspawn and a foundation process; the demo's
 * ServiceExtensionAbility bundle (a system app) and a third-party client bundle installed; two clients connect (this
 * process, and the client app's UIAbility while it has the focus) and both are answered from one onConnect in the
 * service's own process under its own uid; each calls it and sees the uid the service saw and the bundle it maps
 * to; the service's process is killed and each client hears of it (the bound: 100 ms); the next connect makes a
 * fresh process. Its figure: connect to onConnect with the service running, against a call's round trip to the same
 * object in the same run. Without root it says why it is skipped.
 */
public final class AbilityDemo
{
    private static final int TIMED = 30;
    private static final long WAIT_MS = 120_000;
    private static final String TAG = "[ability] ";

    private AbilityDemo()
    {
    }

    /**
     * Runs the step.
     *
     * @param out where the lines go.
     */
    public static void run(final PrintWriter out)
    {
        if (0 != Posix.euid())
        {
            out.println(TAG + "skipped: starting a service in its own process under its own uid needs root (appspawn "
                + "changes uids), and this demo runs as uid " + Posix.euid() + " (run ./harmonia demo as root)");
            return;
        }
        final Path appClassPath = appClassPath();
        if (null == appClassPath)
        {
            out.println(TAG + "skipped: no app-classpath.txt beside the tools (build them: ./harmonia build)");
            return;
        }
        Path scratch = null;
        try
        {
            scratch = Files.createTempDirectory(Path.of("/tmp"), "harmonia-ability-demo");
            Files.setPosixFilePermissions(scratch, java.nio.file.attribute.PosixFilePermissions.fromString(
                "rwxr-xr-x"));
            try (AppSpawnDaemon appspawn = AppSpawnDaemon.start())
            {
                final Process foundation = startFoundation(scratch, appspawn, appClassPath);
                try
                {
                    show(out, scratch);
                }
                catch (final RuntimeException failed)
                {
                    throw new IllegalStateException(failed.getMessage() + "; foundation's log ends with:"
                        + System.lineSeparator() + logTail(scratch.resolve("foundation.log")), failed);
                }
                finally
                {
                    foundation.destroy();
                    foundation.waitFor(20, TimeUnit.SECONDS);
                }
            }
        }
        catch (final IOException | InterruptedException ex)
        {
            throw new IllegalStateException("the service-extension demo failed: " + ex.getMessage(), ex);
        }
        finally
        {
            StagedClassPath.deleteQuietly(scratch);
        }
    }

    /** The last lines of a log, for a failure's message. */
    private static String logTail(final Path log)
    {
        try
        {
            final List<String> lines = Files.readAllLines(log);
            return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        }
        catch (final IOException unreadable)
        {
            return "(" + log + " unreadable: " + unreadable.getMessage() + ")";
        }
    }

    private static String instance()
    {
        return "demo-" + ProcessHandle.current().pid();
    }

    /** The app class path file the build wrote beside the tools' classes or jar. */
    private static Path appClassPath()
    {
        try
        {
            final Path source = Path.of(AbilityDemo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            final Path file = source.getParent().resolve("app-classpath.txt");
            return Files.isRegularFile(file) ? file : null;
        }
        catch (final URISyntaxException impossible)
        {
            return null;
        }
    }

    private static Process startFoundation(final Path scratch, final AppSpawnDaemon appspawn,
        final Path appClassPath) throws IOException
    {
        final Path installList = scratch.resolve("install_list.json5");
        DemoBundles.installList(installList);
        final Process foundation = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString(), "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-cp",
            System.getProperty("java.class.path"), FoundationMain.class.getName(), "--instance", instance(),
            "--state-dir", scratch.resolve("state").toString(), "--appspawn-socket", appspawn.socket().toString(),
            "--token-dir", appspawn.tokenDirectory().toString(), "--install-list", installList.toString(),
            "--no-aot-cache", "--app-classpath", "@" + appClassPath)
            .redirectError(scratch.resolve("foundation.log").toFile()).start();
        final BufferedReader lines = new BufferedReader(new InputStreamReader(foundation.getInputStream(),
            StandardCharsets.UTF_8));
        final String first = lines.readLine();
        if (null == first || !first.startsWith("foundation ready"))
        {
            foundation.destroyForcibly();
            throw new IOException("foundation did not start: " + Files.readString(scratch.resolve("foundation.log")));
        }
        return foundation;
    }

    /** A connection's callbacks as futures, with the time each came. */
    private static final class Connection implements ConnectOptions
    {
        final CompletableFuture<IRemoteObject> connected = new CompletableFuture<>();
        final CompletableFuture<Long> disconnectedAt = new CompletableFuture<>();

        @Override
        public void onConnect(final ElementName elementName, final IRemoteObject remote)
        {
            connected.complete(remote);
        }

        @Override
        public void onDisconnect(final ElementName elementName)
        {
            disconnectedAt.complete(System.nanoTime());
        }

        @Override
        public void onFailed(final int code)
        {
            connected.completeExceptionally(new IllegalStateException("connect failed with " + code));
        }
    }

    private static void show(final PrintWriter out, final Path scratch) throws IOException, InterruptedException
    {
        final BundleManagerClient bms = BundleManagerClient.connect(instance());
        final int serviceUid = bms.install(DemoBundles.service(scratch.resolve("service")).toString()).uid();
        final int clientUid = bms.install(DemoBundles.client(scratch.resolve("client")).toString()).uid();
        out.println(TAG + "foundation " + instance() + " installed " + DemoBundles.SERVICE_BUNDLE + " (uid " + serviceUid
            + ", a system app with a ServiceExtensionAbility) and " + DemoBundles.CLIENT_BUNDLE + " (uid " + clientUid
            + ", a third-party app)");
        final AbilityManagerClient ams = AbilityManagerClient.connect(instance());
        final AbilityConnector connector = ams.connector();
        final Want service = Want.of(DemoBundles.SERVICE_BUNDLE, DemoBundles.SERVICE_ABILITY);

        final Connection first = new Connection();
        connector.connectServiceExtensionAbility(service, first);
        final IRemoteObject remote = await(first.connected);
        final int pid = servicePid(ams);
        out.println(TAG + "client 1 (this process, uid 0) connected: the service runs in pid " + pid + " as uid "
            + uidOf(pid) + " (the kernel's /proc), started by appspawn");
        out.println(TAG + "client 1 calls it: " + who(remote));

        final Path clientData = scratch.resolve("state/data/app/el2/100/base").resolve(DemoBundles.CLIENT_BUNDLE);
        final int clientPid = ams.startAbility(Want.builder().bundleName(DemoBundles.CLIENT_BUNDLE)
            .abilityName(DemoBundles.CLIENT_ABILITY).parameter("bundle", DemoBundles.SERVICE_BUNDLE)
            .parameter("ability", DemoBundles.SERVICE_ABILITY).build());
        final String connected = awaitLine(clientData.resolve("files/" + DemoClientAbility.LOG), "onConnect");
        out.println(TAG + "client 2 (" + DemoBundles.CLIENT_BUNDLE + "'s UIAbility, pid " + clientPid + ", focused) "
            + connected.substring(connected.indexOf(' ') + 1));
        final Path serviceData = scratch.resolve("state/data/app/el2/100/base").resolve(DemoBundles.SERVICE_BUNDLE);
        final List<String> lifecycle = Files.readAllLines(serviceData.resolve("files/" + EchoServiceExtension.LOG));
        out.println(TAG + "the service logged " + lifecycle + ": one onConnect for both clients");

        Posix.kill(pid, 0); // links the kill call first, so the time below starts at the kill itself
        final long killed = System.nanoTime();
        Posix.kill(pid, 9);
        final long firstTold = await(first.disconnectedAt);
        final String told = awaitLine(clientData.resolve("files/" + DemoClientAbility.LOG), "onDisconnect");
        final long secondTold = Long.parseLong(told.substring(0, told.indexOf(' ')));
        out.printf(Locale.ROOT, TAG + "killed pid %d (SIGKILL): client 1 got onDisconnect after %.1f ms, client 2 "
            + "after %.1f ms (the bound: 100 ms)%n", pid, (firstTold - killed) / 1e6, (secondTold - killed) / 1e6);

        final Connection again = new Connection();
        final long againId = connector.connectServiceExtensionAbility(service, again);
        final IRemoteObject fresh = await(again.connected);
        out.println(TAG + "the next connect started a fresh process: pid " + servicePid(ams) + " (was " + pid + ")");
        timeConnects(out, connector, service, fresh);
        await(connector.disconnectServiceExtensionAbility(againId));
        ams.forceStop(DemoBundles.CLIENT_BUNDLE);
    }

    /** Connect to onConnect with the service running, against a call's round trip to the same object. */
    private static void timeConnects(final PrintWriter out, final AbilityConnector connector, final Want service,
        final IRemoteObject remote) throws InterruptedException
    {
        final long[] connects = new long[TIMED];
        final long[] calls = new long[TIMED];
        for (int i = 0; i < TIMED; i++)
        {
            final Connection connection = new Connection();
            final long start = System.nanoTime();
            final long id = connector.connectServiceExtensionAbility(service, connection);
            await(connection.connected);
            connects[i] = System.nanoTime() - start;
            await(connector.disconnectServiceExtensionAbility(id));
            try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
            {
                data.writeInt(i);
                final long call = System.nanoTime();
                remote.sendMessageRequestSync(EchoServiceExtension.ECHO, data, reply, new MessageOption());
                calls[i] = System.nanoTime() - call;
            }
        }
        Arrays.sort(connects);
        Arrays.sort(calls);
        final double connect = connects[TIMED / 2] / 1e3;
        final double call = calls[TIMED / 2] / 1e3;
        out.println(TAG + "connect to onConnect with the service running (a connect-only client of a connected "
            + "service: the cached object): median " + Figures.micros(connect) + " us over " + TIMED + "; baseline, "
            + "a call's round trip to the same object: median " + Figures.micros(call) + " us; ratio "
            + Figures.ratio(connect / call, Better.LOWER));
    }

    private static String who(final IRemoteObject remote)
    {
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            remote.sendMessageRequestSync(EchoServiceExtension.WHO, data, reply, new MessageOption());
            return "the service says: uid " + reply.readInt() + " is " + reply.readString();
        }
    }

    private static int servicePid(final AbilityManagerClient ams) throws IOException
    {
        final var dump = new com.fasterxml.jackson.databind.ObjectMapper().readTree(ams.dump());
        for (final var extension : dump.get("extensions"))
        {
            if (extension.get("pid").asInt() > 0)
            {
                return extension.get("pid").asInt();
            }
        }
        throw new IOException("no service process in the dump: " + dump);
    }

    private static int uidOf(final int pid) throws IOException
    {
        for (final String line : Files.readAllLines(Path.of("/proc/" + pid + "/status")))
        {
            if (line.startsWith("Uid:"))
            {
                return Integer.parseInt(line.split("\\s+")[1]);
            }
        }
        return -1;
    }

    private static <T> T await(final CompletableFuture<T> future) throws InterruptedException
    {
        try
        {
            return future.get(WAIT_MS, TimeUnit.MILLISECONDS);
        }
        catch (final java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException failed)
        {
            throw new IllegalStateException(failed.toString(), failed);
        }
    }

    /** The first line of a log (written by an app process) that contains a word. */
    private static String awaitLine(final Path log, final String word) throws IOException, InterruptedException
    {
        final long deadline = System.nanoTime() + WAIT_MS * 1_000_000;
        while (System.nanoTime() < deadline)
        {
            if (Files.exists(log))
            {
                final List<String> lines = new ArrayList<>(Files.readAllLines(log));
                for (final String line : lines)
                {
                    if (line.contains(word))
                    {
                        return line;
                    }
                }
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("no '" + word + "' in " + log + " within " + WAIT_MS + " ms");
    }
}
