package io.harmonia.tools.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.harmonia.bindings.posix.Posix;
import io.harmonia.rpc.IPCSkeleton;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.tools.demo.Figures.Better;
import io.harmonia.tools.demo.Figures.RoundTrips;

/**
 * The demo's RPC step: a second process publishes a RemoteObject; this process calls it and shows the uid and pid
 * the callee saw (the kernel's, from SO_PEERCRED); as root, a third process running as uid 65534 calls it too; then
 * the call's round trip (default wait strategy) is timed against a Unix socket ping-pong between the same two
 * processes.
 */
public final class RpcDemo
{
    private static final int ROUND_TRIPS = 50_000;
    private static final long ROUND_TRIPS_LIMIT_NS = 3_000_000_000L;
    private static final int WARM_UP = 20_000;
    private static final int NOBODY = 65534;

    private RpcDemo()
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
        Path directory = null;
        try
        {
            directory = Files.createTempDirectory("harmonia-rpc-demo");
            exchange(out, directory);
        }
        catch (final IOException | InterruptedException ex)
        {
            throw new IllegalStateException("the RPC demo failed: " + ex.getMessage(), ex);
        }
        finally
        {
            StagedClassPath.deleteQuietly(directory);
        }
    }

    private static void exchange(final PrintWriter out, final Path directory) throws IOException, InterruptedException
    {
        final String address = "@harmonia-rpc-demo-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        final Path socket = directory.resolve("socket");
        final Process peer = java(List.of(), System.getProperty("java.class.path"), RpcDemoPeer.class.getName(),
            address, socket.toString());
        try
        {
            final String ready = new BufferedReader(new InputStreamReader(peer.getInputStream(),
                StandardCharsets.UTF_8)).readLine();
            if (null == ready || !ready.startsWith("ready"))
            {
                throw new IOException("the RPC demo's peer did not start: " + ready);
            }
            final IRemoteObject greeter = IPCSkeleton.connect(address, 10_000);
            final String[] seen = greet(greeter, "demo");
            out.printf(Locale.ROOT, "[rpc] pid %d (uid %d) called RemoteObject '%s' of pid %s: \"%s\"; the callee saw " +
                "uid %s, pid %s (kernel, SO_PEERCRED)%n", ProcessHandle.current().pid(), Posix.uid(),
                greeter.getDescriptor(), seen[3], seen[0], seen[1], seen[2]);
            otherUid(out, address, directory);
            final RoundTrips calls = timeCalls(greeter);
            final RoundTrips socketTrips;
            try (SocketBaseline baseline = SocketBaseline.connect(socket))
            {
                baseline.warmUp();
                socketTrips = baseline.roundTrips();
                baseline.done();
            }
            out.printf(Locale.ROOT, "[rpc] call round trip, default wait (spin 50 us, then park): p50 %s us, p99 %s " +
                "us; Unix socket ping-pong p50 %s us, p99 %s us; p50 ratio %s%n",
                Figures.micros(calls.percentileMicros(0.5)), Figures.micros(calls.percentileMicros(0.99)),
                Figures.micros(socketTrips.percentileMicros(0.5)), Figures.micros(socketTrips.percentileMicros(0.99)),
                Figures.ratio(calls.percentileMicros(0.5) / socketTrips.percentileMicros(0.5), Better.LOWER));
            out.printf(Locale.ROOT, "[rpc]   (%,d calls, %,d socket round trips)%n", calls.nanos().length,
                socketTrips.nanos().length);
            final String note = Figures.limitNote("the calls", calls.nanos().length, calls.planned(),
                ROUND_TRIPS_LIMIT_NS / 1e9, "calls", calls.stoppedAtLimit());
            if (null != note)
            {
                out.println("[rpc] " + note);
            }
            if (!peer.waitFor(10, TimeUnit.SECONDS) || 0 != peer.exitValue())
            {
                throw new IOException("the RPC demo's peer did not finish cleanly");
            }
        }
        finally
        {
            peer.destroyForcibly();
        }
    }

    private static String[] greet(final IRemoteObject greeter, final String name)
    {
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            data.writeString(name);
            greeter.sendMessageRequestSync(RpcDemoPeer.GREET, data, reply, new MessageOption());
            return new String[] {reply.readString(), Integer.toString(reply.readInt()),
                Integer.toString(reply.readInt()), Integer.toString(reply.readInt())};
        }
    }

    /** As root: a process running as nobody calls the same object; the callee reports nobody's uid. */
    private static void otherUid(final PrintWriter out, final String address, final Path directory)
        throws IOException, InterruptedException
    {
        final Path setpriv = Path.of("/usr/bin/setpriv");
        if (0 != Posix.euid() || !Files.isExecutable(setpriv))
        {
            out.println("[rpc] skipped: a caller under another uid needs root and setpriv (util-linux)");
            return;
        }
        // The checkout and the Maven repository may be private to root: stage the class path where nobody can read.
        final String classPath = StagedClassPath.stage(System.getProperty("java.class.path"),
            directory.resolve("classpath"));
        final Process caller = java(List.of(setpriv.toString(), "--reuid=" + NOBODY, "--regid=" + NOBODY,
            "--clear-groups", "--"), classPath, RpcDemoCaller.class.getName(), address, "nobody");
        final String answer = new BufferedReader(new InputStreamReader(caller.getInputStream(),
            StandardCharsets.UTF_8)).readLine();
        if (!caller.waitFor(20, TimeUnit.SECONDS) || 0 != caller.exitValue() || null == answer)
        {
            caller.destroyForcibly();
            throw new IOException("the caller running as uid " + NOBODY + " failed: " + answer);
        }
        final String[] seen = answer.split("\\|");
        out.printf(Locale.ROOT, "[rpc] pid %d running as uid %d called it too: \"%s\"; the callee saw uid %s, pid %s%n",
            caller.pid(), NOBODY, seen[0], seen[1], seen[2]);
    }

    private static RoundTrips timeCalls(final IRemoteObject greeter) throws IOException
    {
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            data.writeInt(7);
            final MessageOption option = new MessageOption();
            for (int i = 0; i < WARM_UP; i++)
            {
                greeter.sendMessageRequestSync(RpcDemoPeer.ECHO, data, reply, option);
            }
            return TimedRuns.roundTrips(ROUND_TRIPS, ROUND_TRIPS_LIMIT_NS,
                () -> greeter.sendMessageRequestSync(RpcDemoPeer.ECHO, data, reply, option));
        }
    }

    private static Process java(final List<String> prefix, final String classPath, final String... mainAndArgs)
        throws IOException
    {
        final List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(ProcessHandle.current().info().command().orElse("java"),
            "--enable-native-access=ALL-UNNAMED", "-Xmx128m", "-cp", classPath));
        command.addAll(List.of(mainAndArgs));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
