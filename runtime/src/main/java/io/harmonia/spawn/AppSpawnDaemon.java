package io.harmonia.spawn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.harmonia.bindings.NativeExecutables;
import io.harmonia.bindings.posix.Posix;

/**
 * A private appspawn daemon for tests, benchmarks and the demo: the bundled {@code harmonia-appspawn} started
 * (through posix_spawn, never fork) on a socket in its own temporary directory, with the bundled launcher, its
 * access-token table ({@code --token-dir}) and its stdout and stderr there. {@link #close()} sends SIGTERM, which
 * makes the daemon kill and reap every child it started, and waits for it.
 *
 * <p>A production daemon is started by the init system from its installed location ({@code cmake --install});
 * Java then only needs {@link SpawnClient#connect} with its socket. The daemon must run as root to change uids.
 */
public final class AppSpawnDaemon implements AutoCloseable
{
    private static final long START_TIMEOUT_MS = 10_000;

    private final Process process;
    private final Path directory;
    private final Path socket;
    private final Path tokens;

    private AppSpawnDaemon(final Process process, final Path directory, final Path socket, final Path tokens)
    {
        this.process = process;
        this.directory = directory;
        this.socket = socket;
        this.tokens = tokens;
    }

    /**
     * Starts a daemon and waits until it accepts connections.
     *
     * @param options extra command-line options (docs/protocols.md: e.g. "--foundation-uid", "5523").
     * @return the running daemon.
     * @throws UncheckedIOException when it does not start; the message holds its log.
     */
    public static AppSpawnDaemon start(final String... options)
    {
        try
        {
            final Path directory = Files.createTempDirectory("harmonia-appspawn-");
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
            final Path socket = directory.resolve("appspawn.sock");
            final Path tokens = directory.resolve("tokens");
            final List<String> command = new ArrayList<>(List.of(
                NativeExecutables.locate(NativeExecutables.APPSPAWN).toString(),
                "--socket", socket.toString(),
                "--token-dir", tokens.toString(),
                "--launcher", NativeExecutables.locate(NativeExecutables.APP_LAUNCHER).toString()));
            command.addAll(List.of(options));
            final Process process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(directory.resolve("stdout").toFile())
                .redirectError(directory.resolve("stderr").toFile())
                .start();
            final AppSpawnDaemon daemon = new AppSpawnDaemon(process, directory, socket, tokens);
            daemon.awaitListening();
            return daemon;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot start harmonia-appspawn", ex);
        }
    }

    private void awaitListening() throws IOException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        while (System.nanoTime() < deadline)
        {
            if (!process.isAlive())
            {
                final String log = log();
                deleteDirectory();
                throw new IOException("harmonia-appspawn exited with status " + process.exitValue() + ": " + log);
            }
            if (Files.exists(socket))
            {
                try
                {
                    SpawnClient.connect(socket).close();
                    return;
                }
                catch (final UncheckedIOException notYet)
                {
                    // bound but not listening yet
                }
            }
            try
            {
                Thread.sleep(5);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                break;
            }
        }
        process.destroyForcibly();
        throw new IOException("harmonia-appspawn did not listen on " + socket + " within " + START_TIMEOUT_MS
            + " ms: " + log());
    }

    /**
     * The daemon's socket.
     *
     * @return the path to connect to.
     */
    public Path socket()
    {
        return socket;
    }

    /**
     * The daemon's access-token table directory ({@code --token-dir}).
     *
     * @return the directory.
     */
    public Path tokenDirectory()
    {
        return tokens;
    }

    /**
     * A reader of the daemon's access-token table, trusting the daemon's uid (root, or the user running a
     * daemon that is not root).
     *
     * @return the table.
     */
    public AccessTokenTable tokenTable()
    {
        return new AccessTokenTable(tokens, Posix.euid());
    }

    /**
     * The daemon's pid.
     *
     * @return its pid.
     */
    public long pid()
    {
        return process.pid();
    }

    /**
     * Connects a new client.
     *
     * @return a client of this daemon.
     */
    public SpawnClient connect()
    {
        return SpawnClient.connect(socket);
    }

    /**
     * What the daemon has logged so far (stderr).
     *
     * @return the log text.
     */
    public String log()
    {
        return read("stderr");
    }

    /**
     * What the spawned apps have printed so far (they share the daemon's stdout).
     *
     * @return the text.
     */
    public String appOutput()
    {
        return read("stdout");
    }

    private String read(final String name)
    {
        try
        {
            return Files.readString(directory.resolve(name), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return "(" + name + " unreadable: " + ex.getMessage() + ")";
        }
    }

    /**
     * Stops the daemon (SIGTERM: it kills and reaps every child, then exits) and removes its directory.
     *
     * @throws IllegalStateException when it did not exit cleanly within 10 s; the message holds its log.
     */
    @Override
    public void close()
    {
        process.destroy();
        boolean exited;
        try
        {
            exited = process.waitFor(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            exited = false;
        }
        if (!exited)
        {
            process.destroyForcibly();
            throw new IllegalStateException("harmonia-appspawn did not stop within 10 s: " + log());
        }
        final int status = process.exitValue();
        final String log = log();
        deleteDirectory();
        if (0 != status)
        {
            throw new IllegalStateException("harmonia-appspawn exited with status " + status + ": " + log);
        }
    }

    private void deleteDirectory()
    {
        try (Stream<Path> files = Files.walk(directory))
        {
            for (final Path path : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot remove " + directory, ex);
        }
    }
}
