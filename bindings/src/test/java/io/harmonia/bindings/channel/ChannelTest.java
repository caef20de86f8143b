package io.harmonia.bindings.channel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Java channels against C and Java peers in other processes; identity, dead peers, clean close. */
class ChannelTest
{
    private static final Path C_PEER = Path.of(System.getProperty("harmonia.root", ".."))
        .resolve("target/cmake/host/native/tests/channel/hm_channel_peer").toAbsolutePath().normalize();
    private static int counter;

    static String address()
    {
        return "@harmonia-java-channel-" + ProcessHandle.current().pid() + "-" + counter++;
    }

    static Process c(final String... args) throws IOException
    {
        assertTrue(Files.isExecutable(C_PEER), "the C peer must be built first: " + C_PEER);
        final List<String> command = new ArrayList<>(List.of(C_PEER.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    static Process java(final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
            "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
            ChannelPeerMain.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    static BufferedReader out(final Process process)
    {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static int exit(final Process process) throws InterruptedException
    {
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "peer finished");
        return process.exitValue();
    }

    /** Sends count numbered messages and checks each echo (code + 1, same bytes). */
    private static void pingPong(final Channel channel, final int count, final int size)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment payload = arena.allocate(Math.max(size, 8));
            final long[] seen = new long[1];
            final int[] code = new int[1];
            for (int i = 0; i < count; i++)
            {
                payload.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, i);
                channel.send(10, payload, 0, size, 10_000_000_000L);
                int got = 0;
                while (0 == got)
                {
                    got = channel.receive((c, buffer, offset, length) ->
                    {
                        code[0] = c;
                        seen[0] = buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset);
                    }, 1, 10_000_000_000L);
                }
                assertEquals(11, code[0]);
                assertEquals(i, seen[0]);
            }
        }
    }

    @Test
    void javaServerAndCClientInAnotherProcess() throws Exception
    {
        final String address = address();
        try (ChannelListener listener = ChannelListener.listen(address))
        {
            final Process client = c("echo-client", address, "2000", "64");
            try (Channel channel = listener.accept(0, 10_000_000_000L))
            {
                assertEquals(client.pid(), channel.peer().pid());
                // The client runs as our user: the kernel's SO_PEERCRED uid equals the owner of our /proc entry.
                assertEquals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"), channel.peer().uid());
                int echoed = 0;
                while (echoed < 2000)
                {
                    echoed += channel.receive((code, buffer, offset, length) ->
                    {
                        final byte[] copy = buffer.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
                        channel.send(code + 1, MemorySegment.ofArray(copy), 0, length, 10_000_000_000L);
                    }, 16, 10_000_000_000L);
                }
                assertEquals("echoed 2000", out(client).readLine());
                assertEquals(0, exit(client));
            }
        }
    }

    @Test
    void javaClientAndCServerInAnotherProcess() throws Exception
    {
        final String address = address();
        final Process server = c("echo-server", address, "0");
        assertEquals("listening", out(server).readLine());
        try (Channel channel = Channel.connect(address, 10_000_000_000L))
        {
            assertEquals(server.pid(), channel.peer().pid());
            pingPong(channel, 2000, 48);
        }
        assertEquals(0, exit(server));
    }

    @Test
    void javaToJavaAcrossProcesses() throws Exception
    {
        final String address = address();
        final Process server = java(address, "500");
        assertEquals("listening", out(server).readLine());
        try (Channel channel = Channel.connect(address, 10_000_000_000L))
        {
            pingPong(channel, 500, 16);
        }
        assertEquals(0, exit(server));
    }

    @Test
    void aPeerKilledWithSigkillEndsAWaitWithADeadPeerErrorInMilliseconds() throws Exception
    {
        final String address = address();
        try (ChannelListener listener = ChannelListener.listen(address))
        {
            final Process client = c("connect-and-hang", address);
            try (Channel channel = listener.accept(0, 10_000_000_000L))
            {
                assertEquals("connected " + ProcessHandle.current().pid(), out(client).readLine());
                final AtomicReference<Long> killedAt = new AtomicReference<>();
                final Thread killer = Thread.ofPlatform().start(() ->
                {
                    try
                    {
                        Thread.sleep(100);
                    }
                    catch (final InterruptedException ex)
                    {
                        Thread.currentThread().interrupt();
                    }
                    killedAt.set(System.nanoTime());
                    client.destroyForcibly();
                });
                final ChannelException ex = assertThrows(ChannelException.class,
                    () -> channel.receive((code, buffer, offset, length) -> { }, 1, 10_000_000_000L));
                final long latencyNs = System.nanoTime() - killedAt.get();
                assertTrue(ex.isDeadPeer(), ex.getMessage());
                System.out.println("dead peer seen " + latencyNs / 1000 + " us after the kill was requested");
                // Milliseconds in practice; the bound leaves room for a heavily loaded CI machine.
                assertTrue(latencyNs < 500_000_000L, "dead peer seen after " + latencyNs / 1000 + " us");
                killer.join();
            }
            client.waitFor();
        }
    }

    @Test
    void shutdownIsSeenByTheOtherSideAndCloseIsIdempotent() throws Exception
    {
        final String address = address();
        try (ChannelListener listener = ChannelListener.listen(address))
        {
            final AtomicReference<Channel> client = new AtomicReference<>();
            final Thread connector =
                Thread.ofPlatform().start(() -> client.set(Channel.connect(address, 5_000_000_000L)));
            try (Channel server = listener.accept(4096, 5_000_000_000L))
            {
                connector.join();
                assertEquals(ProcessHandle.current().pid(), server.peer().pid());
                client.get().shutdown();
                final ChannelException ex = assertThrows(ChannelException.class,
                    () -> server.receive((code, buffer, offset, length) -> { }, 1, 5_000_000_000L));
                assertEquals(ChannelException.CLOSED, ex.errno());
                client.get().close();
                client.get().close();
            }
            assertTrue(null == listener.accept(0, 1_000_000L), "no second client: accept times out");
        }
    }

    @Test
    void badAddressesAreClearErrors()
    {
        final ChannelException tooLong = assertThrows(ChannelException.class,
            () -> ChannelListener.listen("/" + "x".repeat(200)));
        assertTrue(tooLong.getMessage().contains("the limit is 107"), tooLong.getMessage());
        final ChannelException refused = assertThrows(ChannelException.class,
            () -> Channel.connect(address(), 1_000_000_000L));
        assertEquals(111, refused.errno(), refused.getMessage());
    }
}
