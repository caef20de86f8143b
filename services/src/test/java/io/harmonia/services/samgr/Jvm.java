package io.harmonia.services.samgr;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * A second JVM for the cross-process tests: started with this JVM's class path (or, under another uid, a copy of it
 * in a folder every uid can read, since the checkout and {@code ~/.m2} may be mode 700), it prints a line starting
 * with "ready" and then answers one line per command line. Closing it closes its stdin and waits for it.
 */
final class Jvm implements AutoCloseable
{
    private static final AtomicInteger ADDRESSES = new AtomicInteger();
    private static volatile String stagedClasspath;

    final Process process;
    final String readyLine;
    private final BufferedReader out;
    private final PrintWriter in;

    private Jvm(final Process process) throws IOException
    {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        this.readyLine = out.readLine();
        assertTrue(null != readyLine && readyLine.startsWith("ready"), "the JVM did not start: " + readyLine);
    }

    /** A fresh abstract address for a test server. */
    static String address()
    {
        return "@harmonia-samgr-test-" + ProcessHandle.current().pid() + "-" + ADDRESSES.incrementAndGet();
    }

    /**
     * Starts a JVM running a main class.
     *
     * @param main       the class.
     * @param uid        run under this uid and gid (setpriv), or -1 for this process's.
     * @param jvmOptions extra JVM options.
     * @param args       the main's arguments.
     */
    static Jvm start(final Class<?> main, final int uid, final List<String> jvmOptions, final String... args)
        throws IOException
    {
        final List<String> command = new ArrayList<>();
        if (uid >= 0)
        {
            command.addAll(List.of("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups"));
        }
        command.addAll(List.of(ProcessHandle.current().info().command().orElse("java"),
            "--enable-native-access=ALL-UNNAMED", "-Xmx64m", "-Xss512k", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-Djava.io.tmpdir=/tmp"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", uid >= 0 ? stagedClasspath() : System.getProperty("java.class.path"),
            main.getName()));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try
        {
            return new Jvm(process);
        }
        catch (final IOException | AssertionError failed)
        {
            process.destroyForcibly();
            throw failed;
        }
    }

    /** Starts a samgr server JVM at an address; {@code options} are further server options. */
    static Jvm server(final String address, final String... options) throws IOException
    {
        final List<String> args = new ArrayList<>(List.of("--address", address, "--exit-with-stdin"));
        args.addAll(List.of(options));
        return start(SamgrServerMain.class, -1, List.of(), args.toArray(String[]::new));
    }

    /** Sends a command line and returns the answer line. */
    String command(final String line) throws IOException
    {
        in.println(line);
        final String answer = out.readLine();
        if (null == answer)
        {
            throw new IOException("pid " + process.pid() + " ended instead of answering '" + line + "'");
        }
        return answer;
    }

    /** Reads the next line the JVM prints without being asked (null at its end). */
    String readLine() throws IOException
    {
        return out.readLine();
    }

    long pid()
    {
        return process.pid();
    }

    @Override
    public void close()
    {
        in.close();
        try
        {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                process.waitFor();
            }
        }
        catch (final InterruptedException interrupted)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    // ---- /proc counts of a process (leak checks) ----

    /** Open fds, threads and memory mappings of a process. */
    static int[] resources(final long pid) throws IOException
    {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"));
            Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task")))
        {
            return new int[] {(int)fds.count(), (int)tasks.count(),
                Files.readAllLines(Path.of("/proc/" + pid + "/maps")).size()};
        }
    }

    // ---- a class path every uid can read ----

    private static String stagedClasspath()
    {
        String staged = stagedClasspath;
        if (null == staged)
        {
            synchronized (Jvm.class)
            {
                staged = stagedClasspath;
                if (null == staged)
                {
                    staged = stage();
                    stagedClasspath = staged;
                }
            }
        }
        return staged;
    }

    /** Copies every class path entry (expanding a manifest-only jar) into a world-readable temporary folder. */
    private static String stage()
    {
        try
        {
            final Path root = Files.createTempDirectory(Path.of("/tmp"), "harmonia-stage-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(root)));
            final List<String> entries = new ArrayList<>();
            int index = 0;
            for (final Path entry : effectiveClasspath())
            {
                final Path copy = root.resolve(index++ + "-" + entry.getFileName());
                copyTree(entry, copy);
                entries.add(copy.toString());
            }
            return String.join(File.pathSeparator, entries);
        }
        catch (final IOException failed)
        {
            throw new UncheckedIOException("staging the class path failed", failed);
        }
    }

    private static List<Path> effectiveClasspath() throws IOException
    {
        final List<Path> entries = new ArrayList<>();
        for (final String element : System.getProperty("java.class.path").split(File.pathSeparator))
        {
            final Path path = Path.of(element);
            if (element.endsWith(".jar") && Files.isRegularFile(path))
            {
                try (JarFile jar = new JarFile(path.toFile()))
                {
                    final Manifest manifest = jar.getManifest();
                    final String manifestPath = null == manifest ? null
                        : manifest.getMainAttributes().getValue("Class-Path");
                    if (null != manifestPath && !manifestPath.isBlank())
                    {
                        for (final String url : manifestPath.trim().split("\\s+"))
                        {
                            entries.add(Path.of(URI.create(url.startsWith("file:") ? url : "file:" + url)));
                        }
                        continue;
                    }
                }
            }
            entries.add(path);
        }
        return entries;
    }

    private static void copyTree(final Path from, final Path to) throws IOException
    {
        if (!Files.exists(from))
        {
            return;
        }
        try (Stream<Path> walk = Files.walk(from))
        {
            for (final Path source : (Iterable<Path>)walk::iterator)
            {
                final Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source))
                {
                    Files.createDirectories(target);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
                else
                {
                    Files.copy(source, target);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(Files.isExecutable(source)
                        ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        }
    }

    private static void delete(final Path root)
    {
        try (Stream<Path> walk = Files.walk(root))
        {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (final IOException ignored)
        {
            // best effort at exit
        }
    }
}
