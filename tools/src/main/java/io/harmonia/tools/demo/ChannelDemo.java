package io.harmonia.tools.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.harmonia.bindings.channel.Channel;
import io.harmonia.bindings.channel.ChannelException;
import io.harmonia.bindings.channel.ChannelHandler;
import io.harmonia.bindings.channel.ChannelListener;
import io.harmonia.bindings.channel.PeerCredentials;

/**
 * The demo's transport step: this process starts a second process (a JVM running {@link #main}), connects to it
 * over a Harmonia channel, streams messages one way and then ping-pongs, and prints the throughput and the
 * round-trip latency it achieved. Both ends busy-poll (spin mode) and fall back to the channel's bounded wait,
 * which also notices a dead peer, whenever a poll finds nothing.
 */
public final class ChannelDemo
{
    private static final int ONE_WAY = 1;
    private static final int PING = 2;
    private static final int DONE = 3;
    private static final int MESSAGES = 5_000_000;
    private static final int ROUND_TRIPS = 50_000;
    /** The ping-pong stops early after this long, so a loaded machine cannot stretch the demo. */
    private static final long ROUND_TRIP_BUDGET_NS = 2_000_000_000L;
    private static final int SIZE = 64;
    private static final int WARM_UP = 200_000;
    private static final long TIMEOUT_NS = 10_000_000_000L;

    private ChannelDemo()
    {
    }

    /**
     * Runs the step.
     *
     * @param out where the results go.
     * @throws IllegalStateException when the peer process or the channel fails.
     */
    public static void run(final PrintStream out)
    {
        try
        {
            exchange(out);
        }
        catch (final IOException | InterruptedException ex)
        {
            throw new IllegalStateException("the channel demo failed: " + ex.getMessage(), ex);
        }
    }

    private static void exchange(final PrintStream out) throws IOException, InterruptedException
    {
        final String address = "@harmonia-demo-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        final Process peer = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"),
            "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
            ChannelDemo.class.getName(), address)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try
        {
            final String ready = new BufferedReader(new InputStreamReader(peer.getInputStream(),
                StandardCharsets.UTF_8)).readLine();
            if (!"listening".equals(ready))
            {
                throw new IOException("the demo's peer process did not start: " + ready);
            }
            try (Channel channel = Channel.connect(address, TIMEOUT_NS); Arena arena = Arena.ofConfined())
            {
                final PeerCredentials server = channel.peer();
                out.printf(Locale.ROOT, "[channel] pid %d -> pid %d over %s (peer uid %d from SO_PEERCRED)%n",
                    ProcessHandle.current().pid(), server.pid(), address, server.uid());
                final MemorySegment message = arena.allocate(SIZE, 8);
                // Untimed warm-up, so both JVMs have compiled the paths before the clock starts.
                for (int i = 0; i < WARM_UP; i++)
                {
                    channel.send(ONE_WAY, message, 0, SIZE, TIMEOUT_NS);
                    if (0 == i % 100)
                    {
                        roundTrip(channel, message);
                    }
                }
                final long start = System.nanoTime();
                for (int i = 0; i < MESSAGES; i++)
                {
                    channel.send(ONE_WAY, message, 0, SIZE, TIMEOUT_NS);
                }
                roundTrip(channel, message); // the peer answers once it has read everything before
                final double seconds = (System.nanoTime() - start) / 1e9;
                out.printf(Locale.ROOT, "[channel] one-way: %,d messages of %d B in %.3f s = %.2f M msgs/s%n",
                    MESSAGES, SIZE, seconds, MESSAGES / seconds / 1e6);
                final long[] all = new long[ROUND_TRIPS];
                final long budgetEnd = System.nanoTime() + ROUND_TRIP_BUDGET_NS;
                int done = 0;
                while (done < ROUND_TRIPS && System.nanoTime() - budgetEnd < 0)
                {
                    final long sent = System.nanoTime();
                    roundTrip(channel, message);
                    all[done++] = System.nanoTime() - sent;
                }
                final long[] rtt = Arrays.copyOf(all, done);
                Arrays.sort(rtt);
                out.printf(Locale.ROOT, "[channel] round trip (%,d ping-pongs of %d B, spin mode): "
                    + "p50 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us%n",
                    done, SIZE, rtt[done / 2] / 1e3, rtt[done * 99 / 100] / 1e3, rtt[done * 999 / 1000] / 1e3,
                    rtt[done - 1] / 1e3);
                channel.send(DONE, message, 0, 0, TIMEOUT_NS);
            }
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

    /**
     * The peer process: accepts one channel, drops one-way messages, answers pings, exits on DONE.
     *
     * @param args the address to listen at.
     */
    public static void main(final String[] args)
    {
        try (ChannelListener listener = ChannelListener.listen(args[0]))
        {
            System.out.println("listening");
            System.out.flush();
            try (Channel channel = listener.accept(0, TIMEOUT_NS))
            {
                final boolean[] done = {false};
                final ChannelHandler serve = (code, buffer, offset, length) ->
                {
                    if (PING == code)
                    {
                        final long reply = channel.claim(length, TIMEOUT_NS);
                        MemorySegment.copy(buffer, offset, buffer, reply, length);
                        channel.commit(reply, PING, length);
                    }
                    done[0] |= DONE == code;
                };
                while (!done[0])
                {
                    if (0 == channel.poll(serve, 256))
                    {
                        channel.receive(serve, 256, 0); // spins a little, then checks the client is alive
                    }
                }
            }
        }
        catch (final ChannelException ex)
        {
            System.err.println("demo peer: " + ex.getMessage());
            System.exit(1);
        }
        System.exit(0);
    }
}
