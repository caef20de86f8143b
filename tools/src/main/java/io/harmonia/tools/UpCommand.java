package io.harmonia.tools;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import io.harmonia.bindings.NativeExecutables;
import io.harmonia.bindings.posix.Posix;
import io.harmonia.foundation.FoundationConfig;
import io.harmonia.foundation.FoundationMain;
import io.harmonia.samgr.wire.SamgrProtocol;
import io.harmonia.services.samgr.SamgrServerMain;
import io.harmonia.spawn.SpawnClient;
import io.harmonia.tools.cli.CommandFailure;
import io.harmonia.tools.cli.FoundationOption;
import io.harmonia.tools.cli.JsonOption;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code harmonia up}: samgr, appspawn and foundation together on one machine, in the foreground, as root. Starts the
 * samgr server (SamgrServerMain in a JVM of its own, at {@code --samgr-address}) and waits for its {@code ready}
 * line, then the bundled appspawn daemon on {@code <run-dir>/appspawn}, then foundation (FoundationMain in a JVM of
 * its own, registering its services in that samgr: root may register), prints one line per service (or one JSON
 * document) when they are ready, and runs until SIGINT or SIGTERM, or until one of them exits: then it stops the
 * others in reverse order (foundation first: it stops every app process; then appspawn, which kills and reaps
 * whatever is left; samgr last) and exits 0 for a signal, 1 when a service died on its own. On a device each runs as
 * its own systemd service instead (packaging/systemd/).
 */
@Command(name = "up", description = {"Start samgr, appspawn and foundation together, in the foreground, until "
    + "Ctrl-C.", "As root."})
final class UpCommand implements Callable<Integer>
{
    /** The run folder of an installed system (appspawn's socket). */
    static final Path DEFAULT_RUN_DIR = Path.of("/run/harmonia");
    /** The file with the app class path, next to the tools jar (the build writes it). */
    static final String APP_CLASSPATH_FILE = "app-classpath.txt";
    private static final long START_TIMEOUT_MS = 60_000;

    @Spec
    private CommandSpec spec;

    @Mixin
    private JsonOption json;

    @Mixin
    private FoundationOption foundation;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Foundation's state (default: ${DEFAULT-VALUE}).")
    private Path stateDir = FoundationConfig.DEFAULT_STATE_DIR;

    @Option(names = "--run-dir", paramLabel = "DIR", description = "Where appspawn's socket goes (default: "
        + "${DEFAULT-VALUE}).")
    private Path runDir = DEFAULT_RUN_DIR;

    @Option(names = "--install-list", paramLabel = "FILE",
        description = "The device's install list of privileges (default: ${DEFAULT-VALUE}).")
    private Path installList = FoundationConfig.DEFAULT_INSTALL_LIST;

    @Option(names = "--app-classpath", paramLabel = "CP|@FILE",
        description = "What app processes link (default: @" + APP_CLASSPATH_FILE + " beside the tools jar).")
    private String appClassPath;

    @Option(names = "--no-aot-cache", description = "Install bundles without an AOT cache.")
    private boolean noAotCache;

    @Option(names = "--device-type", paramLabel = "TYPE", description = "The device type (default: "
        + "${DEFAULT-VALUE}; AppServiceExtensionAbility works only on 2in1).")
    private String deviceType = FoundationConfig.DEFAULT_DEVICE_TYPE;

    @Option(names = "--samgr-address", paramLabel = "ADDRESS",
        description = "Where the samgr server listens and foundation registers: a socket path or @name (default: "
            + "the " + SamgrProtocol.ADDRESS_PROPERTY + " property, else $" + SamgrProtocol.ADDRESS_ENV + ", else "
            + SamgrProtocol.DEFAULT_ADDRESS + ").")
    private String samgrAddress;

    private final List<Process> children = new ArrayList<>();

    @Override
    public Integer call() throws IOException, InterruptedException
    {
        if (0 != Posix.euid())
        {
            throw CommandFailure.failed("harmonia up starts appspawn, which changes uids: run it as root");
        }
        if (!FoundationConfig.DEVICE_TYPES.contains(deviceType))
        {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--device-type " + deviceType
                + ": must be one of " + String.join(", ", FoundationConfig.DEVICE_TYPES.stream().sorted().toList()));
        }
        final String name = foundation.instance();
        final String classPath = null == appClassPath ? "@" + defaultAppClassPath() : appClassPath;
        final PrintWriter out = spec.commandLine().getOut();
        final String samgrAt = null == samgrAddress ? SamgrProtocol.configuredAddress() : samgrAddress;
        final Thread stopper = new Thread(this::stopAll, "harmonia-up-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        try
        {
            final Process samgr = startJvm("samgr", SamgrServerMain.class, List.of("--address", samgrAt), "ready ");
            final Path socket = runDir.resolve("appspawn");
            final Process appspawn = startAppspawn(socket);
            final Process foundation = startFoundation(name, socket, classPath, samgrAt);
            final Map<String, Object> ready = new LinkedHashMap<>();
            ready.put("samgr", Map.of("pid", samgr.pid(), "address", samgrAt));
            ready.put("appspawn", Map.of("pid", appspawn.pid(), "socket", socket.toString()));
            ready.put("foundation", Map.of("pid", foundation.pid(), "instance", name, "stateDir",
                stateDir.toAbsolutePath().toString()));
            if (json.enabled())
            {
                JsonOption.print(out, ready);
            }
            else
            {
                out.println("samgr: pid " + samgr.pid() + ", address " + samgrAt);
                out.println("appspawn: pid " + appspawn.pid() + ", socket " + socket);
                out.println("foundation: pid " + foundation.pid() + ", instance " + name + ", state "
                    + stateDir.toAbsolutePath());
                out.println("harmonia is up; Ctrl-C stops it");
                out.flush();
            }
            final Map<String, Process> services = new LinkedHashMap<>();
            services.put("samgr", samgr);
            services.put("appspawn", appspawn);
            services.put("foundation", foundation);
            while (services.values().stream().allMatch(Process::isAlive))
            {
                Thread.sleep(100);
            }
            final Map.Entry<String, Process> dead = services.entrySet().stream()
                .filter(service -> !service.getValue().isAlive()).findFirst().orElseThrow();
            throw CommandFailure.failed(dead.getKey() + " exited with status " + dead.getValue().exitValue()
                + "; the others were stopped");
        }
        finally
        {
            stopAll();
            try
            {
                Runtime.getRuntime().removeShutdownHook(stopper);
            }
            catch (final IllegalStateException shuttingDown)
            {
                // the hook is running
            }
        }
    }

    private Path defaultAppClassPath()
    {
        try
        {
            final Path source = Path.of(UpCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            final Path file = source.getParent().resolve(APP_CLASSPATH_FILE);
            if (!Files.isRegularFile(file))
            {
                throw CommandFailure.failed("no " + file + ": build the tools (./harmonia build) or give "
                    + "--app-classpath");
            }
            return file;
        }
        catch (final java.net.URISyntaxException impossible)
        {
            throw new IllegalStateException(impossible);
        }
    }

    private Process startAppspawn(final Path socket) throws IOException, InterruptedException
    {
        Files.createDirectories(runDir);
        final Process appspawn = new ProcessBuilder(NativeExecutables.locate(NativeExecutables.APPSPAWN).toString(),
            "--socket", socket.toString(), "--token-dir", runDir.resolve("tokens").toString(), "--launcher",
            NativeExecutables.locate(NativeExecutables.APP_LAUNCHER).toString())
            .redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        children.add(appspawn);
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        while (System.nanoTime() < deadline)
        {
            if (!appspawn.isAlive())
            {
                throw CommandFailure.failed("appspawn exited with status " + appspawn.exitValue()
                    + " while starting (its log is above)");
            }
            try
            {
                SpawnClient.connect(socket).close();
                return appspawn;
            }
            catch (final UncheckedIOException notYet)
            {
                Thread.sleep(10);
            }
        }
        throw CommandFailure.failed("appspawn did not listen on " + socket + " within " + START_TIMEOUT_MS + " ms");
    }

    private Process startFoundation(final String name, final Path socket, final String classPath,
        final String samgrAt) throws IOException
    {
        final List<String> args = new ArrayList<>(List.of("--instance", name,
            "--state-dir", stateDir.toAbsolutePath().toString(), "--appspawn-socket", socket.toString(),
            "--install-list", installList.toString(), "--token-dir", runDir.resolve("tokens").toAbsolutePath()
            .toString(), "--device-type", deviceType, "--app-classpath", classPath, "--samgr", samgrAt));
        if (noAotCache)
        {
            args.add("--no-aot-cache");
        }
        return startJvm("foundation", FoundationMain.class, args, "foundation ready");
    }

    /**
     * Starts a service's main class in a JVM of its own (this one's class path), waits for its ready line and then
     * passes the rest of its output on.
     */
    private Process startJvm(final String what, final Class<?> main, final List<String> args,
        final String readyPrefix) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        final Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        children.add(process);
        final BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8));
        final String first = lines.readLine();
        if (null == first || !first.startsWith(readyPrefix))
        {
            throw CommandFailure.failed(what + " did not start (its log is above)");
        }
        Thread.ofPlatform().daemon().name(what + "-output").start(() -> lines.lines()
            .forEach(System.out::println));
        return process;
    }

    /**
     * In reverse start order: foundation first (it stops its app processes), then appspawn (it kills and reaps what
     * is left), samgr last.
     */
    private synchronized void stopAll()
    {
        for (final Process child : children.reversed())
        {
            child.destroy();
            try
            {
                if (!child.waitFor(20, TimeUnit.SECONDS))
                {
                    child.destroyForcibly().waitFor();
                }
            }
            catch (final InterruptedException interrupted)
            {
                child.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        children.clear();
    }
}
