package io.harmonia.tools.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.harmonia.bindings.channel.Channel;
import io.harmonia.bindings.channel.ChannelHandler;
import io.harmonia.bindings.channel.PeerCredentials;
import io.harmonia.tools.demo.Figures.Better;
import io.harmonia.tools.demo.Figures.RoundTrips;
import io.harmonia.tools.demo.Figures.Throughput;

/**
 * The demo's transport step: this process starts a second process (a JVM running {@link ChannelDemoPeer}),
 * connects to it over a Harmonia channel, streams messages one way and then ping-pongs; then does the same over a
 * Unix domain socket between the same two processes ({@link SocketBaseline}), and prints each channel figure with
 * the socket's and the ratio. Both channel ends busy-poll (spin mode) and fall back to the channel's bounded wait,
 * which also notices a dead peer, whenever a poll finds nothing; the socket blocks in the kernel, as sockets do.
 */
public final class ChannelDemo
{
    static final int ONE_WAY = 1;
    static final int PING = 2;
    static final int DONE = 3;
    static final int SIZE = 64;
    static final long TIMEOUT_NS = 10_000_000_000L;

    private static final int MESSAGES = 5_000_000;
    private static final long MESSAGES_LIMIT_NS = 10_000_000_000L;
    private static final int ROUND_TRIPS = 50_000;
    private static final long ROUND_TRIPS_LIMIT_NS = 2_000_000_000L;
    private static final int WARM_UP = 200_000;

    private ChannelDemo()
    {
    }

    /**
     * Runs the step.
     *
     * @param out where the results go.
     * @throws IllegalStateException when the peer process or a transport fails.
     */
    public static void run(final PrintWriter out)
    {
        Path directory = null;
        try
        {
            directory = Files.createTempDirectory("harmonia-demo");
            exchange(out, directory.resolve("socket"));
        }
        catch (final IOException | InterruptedException ex)
        {
            throw new IllegalStateException("the channel demo failed: " + ex.getMessage(), ex);
        }
        finally
        {
            deleteQuietly(directory);
        }
    }

    private static void exchange(final PrintWriter out, final Path socket) throws IOException, InterruptedException
    {
        final String address = "@harmonia-demo-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        final Process peer = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"),
            "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
            ChannelDemoPeer.class.getName(), address, socket.toString()))
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try
        {
            final String ready = new BufferedReader(new InputStreamReader(peer.getInputStream(),
                StandardCharsets.UTF_8)).readLine();
            if (!"listening".equals(ready))
            {
                throw new IOException("the demo's peer process did not start: " + ready);
            }
            final Throughput channelOneWay;
            final RoundTrips channelRoundTrips;
            try (Channel channel = Channel.connect(address, TIMEOUT_NS); Arena arena = Arena.ofConfined())
            {
                final PeerCredentials server = channel.peer();
                out.printf(Locale.ROOT, "[channel] pid %d -> pid %d over %s (peer uid %d from SO_PEERCRED)%n",
                    ProcessHandle.current().pid(), server.pid(), address, server.uid());
                final MemorySegment message = arena.allocate(SIZE, 8);
                warmUp(channel, message);
                channelOneWay = TimedRuns.oneWay(MESSAGES, MESSAGES_LIMIT_NS,
                    () -> channel.send(ONE_WAY, message, 0, SIZE, TIMEOUT_NS), () -> roundTrip(channel, message));
                channelRoundTrips = TimedRuns.roundTrips(ROUND_TRIPS, ROUND_TRIPS_LIMIT_NS,
                    () -> roundTrip(channel, message));
                channel.send(DONE, message, 0, 0, TIMEOUT_NS);
            }
            final Throughput socketOneWay;
            final RoundTrips socketRoundTrips;
            try (SocketBaseline baseline = SocketBaseline.connect(socket))
            {
                baseline.warmUp();
                socketOneWay = baseline.oneWay();
                socketRoundTrips = baseline.roundTrips();
                baseline.done();
            }
            report(out, channelOneWay, socketOneWay, channelRoundTrips, socketRoundTrips);
            if (!peer.waitFor(10, TimeUnit.SECONDS) || 0 != peer.exitValue())
            {
                throw new IOException("the demo's peer process did not finish cleanly");
            }
        }
        finally
        {
            peer.destroyForcibly();
        }
    }

    private static void report(final PrintWriter out, final Throughput channelOneWay, final Throughput socketOneWay,
        final RoundTrips channelRoundTrips, final RoundTrips socketRoundTrips)
    {
        out.printf(Locale.ROOT, "[channel] one-way, %d B messages: %.2f M msgs/s; Unix socket between the same "
            + "processes %.2f M msgs/s; ratio %s%n", SIZE, channelOneWay.millionsPerSecond(),
            socketOneWay.millionsPerSecond(),
            Figures.ratio(channelOneWay.millionsPerSecond() / socketOneWay.millionsPerSecond(), Better.HIGHER));
        out.printf(Locale.ROOT, "[channel]   (%,d channel messages in %.3f s, %,d socket messages in %.3f s)%n",
            channelOneWay.messages(), channelOneWay.nanos() / 1e9, socketOneWay.messages(),
            socketOneWay.nanos() / 1e9);
        out.printf(Locale.ROOT, "[channel] round trip, %d B, both channel ends spinning: p50 %s us, p99 %s us; "
            + "Unix socket p50 %s us, p99 %s us; p50 ratio %s%n", SIZE,
            Figures.micros(channelRoundTrips.percentileMicros(0.5)),
            Figures.micros(channelRoundTrips.percentileMicros(0.99)),
            Figures.micros(socketRoundTrips.percentileMicros(0.5)),
            Figures.micros(socketRoundTrips.percentileMicros(0.99)),
            Figures.ratio(channelRoundTrips.percentileMicros(0.5) / socketRoundTrips.percentileMicros(0.5),
                Better.LOWER));
        out.printf(Locale.ROOT, "[channel]   (%,d channel round trips, %,d socket round trips)%n",
            channelRoundTrips.nanos().length, socketRoundTrips.nanos().length);
        note(out, Figures.limitNote("the channel's one-way run", channelOneWay.messages(), channelOneWay.planned(),
            MESSAGES_LIMIT_NS / 1e9, "messages", channelOneWay.stoppedAtLimit()));
        note(out, Figures.limitNote("the socket's one-way run", socketOneWay.messages(), socketOneWay.planned(),
            SocketBaseline.MESSAGES_LIMIT_NS / 1e9, "messages", socketOneWay.stoppedAtLimit()));
        note(out, Figures.limitNote("the channel's round trips", channelRoundTrips.nanos().length,
            channelRoundTrips.planned(), ROUND_TRIPS_LIMIT_NS / 1e9, "round trips", channelRoundTrips.stoppedAtLimit()));
        note(out, Figures.limitNote("the socket's round trips", socketRoundTrips.nanos().length,
            socketRoundTrips.planned(), SocketBaseline.ROUND_TRIPS_LIMIT_NS / 1e9, "round trips",
            socketRoundTrips.stoppedAtLimit()));
    }

    private static void note(final PrintWriter out, final String note)
    {
        if (null != note)
        {
            out.println("[channel] " + note);
        }
    }

    /** Untimed, so both JVMs have compiled the paths before the clock starts. */
    private static void warmUp(final Channel channel, final MemorySegment message)
    {
        for (int i = 0; i < WARM_UP; i++)
        {
            channel.send(ONE_WAY, message, 0, SIZE, TIMEOUT_NS);
            if (0 == i % 100)
            {
                roundTrip(channel, message);
            }
        }
    }

    private static void roundTrip(final Channel channel, final MemorySegment message)
    {
        channel.send(PING, message, 0, SIZE, TIMEOUT_NS);
        final int[] pongs = {0};
        final ChannelHandler pong = (code, buffer, offset, length) -> pongs[0]++;
        while (0 == pongs[0])
        {
            if (0 == channel.poll(pong, 1))
            {
                channel.receive(pong, 1, 0); // spins a little, then checks the peer is alive
            }
        }
    }

    private static void deleteQuietly(final Path directory)
    {
        if (null == directory)
        {
            return;
        }
        try
        {
            Files.deleteIfExists(directory.resolve("socket"));
            Files.deleteIfExists(directory);
        }
        catch (final IOException ex)
        {
            // a leftover empty folder in the temp directory is not worth failing the demo for
        }
    }
}
