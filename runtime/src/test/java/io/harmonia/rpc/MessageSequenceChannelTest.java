package io.harmonia.rpc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.harmonia.bindings.channel.Channel;
import io.harmonia.bindings.channel.ChannelListener;
import io.harmonia.bindings.ipc.IpcIoRawData;

import static io.harmonia.rpc.MessageSequencePeerMain.REPLY_RAW_SIZE;
import static io.harmonia.rpc.MessageSequencePeerMain.TIMEOUT_NS;
import static io.harmonia.rpc.MessageSequencePeerMain.content;
import static io.harmonia.rpc.MessageSequencePeerMain.inode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MessageSequence straight into channel slots and read in place, across processes: to the C peer and back, to a
 * Java peer (another JVM) and back, with fds and large raw data each way, and no leaks on either end. (Peers
 * killed mid-message: ChannelIpcIoTest in the bindings.)
 */
class MessageSequenceChannelTest
{
    private static final Path C_PEER = Path.of(System.getProperty("harmonia.root", ".."))
        .resolve("target/cmake/host/native/tests/channel/hm_channel_peer").toAbsolutePath().normalize();
    private static final int REQUEST_RAW_SIZE = 70_000;
    private static int counter;

    private static String address()
    {
        return "@harmonia-rpc-channel-" + ProcessHandle.current().pid() + "-" + counter++;
    }

    private static Process start(final List<String> command) throws IOException
    {
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static Process cPeer(final String... args) throws IOException
    {
        assertTrue(Files.isExecutable(C_PEER), "the C peer must be built first: " + C_PEER);
        final List<String> command = new ArrayList<>(List.of(C_PEER.toString()));
        command.addAll(List.of(args));
        return start(command);
    }

    private static Process javaPeer(final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
            "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
            MessageSequencePeerMain.class.getName()));
        command.addAll(List.of(args));
        return start(command);
    }

    private static BufferedReader out(final Process process)
    {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** One request (the peers' format), written with MessageSequence straight into the slot. */
    private static void request(final Channel channel, final int seq) throws IOException
    {
        final int file = IpcIoRawData.create(MemorySegment.ofArray(("file " + seq).getBytes(StandardCharsets.UTF_8)));
        final byte[] raw = new byte[REQUEST_RAW_SIZE];
        for (int i = 0; i < raw.length; i++)
        {
            raw[i] = (byte)(i * 7 + seq);
        }
        try (MessageSequence request = MessageSequence.claim(channel, 512, 4, TIMEOUT_NS))
        {
            request.writeInt(seq);
            request.writeUtf8String("request " + seq);
            request.writeFileDescriptor(file);
            request.writeLong(inode(file));
            request.writeInt(REQUEST_RAW_SIZE);
            request.writeRawDataBuffer(raw, raw.length);
            request.send(20);
        }
        MessageSequence.closeFileDescriptor(file);
    }

    /** Receives the reply in place and checks both directions of the exchange. */
    private static void reply(final Channel channel, final int seq)
    {
        final AtomicInteger checked = new AtomicInteger();
        while (0 == channel.receive(received ->
        {
            final MessageSequence reply = MessageSequence.wrap(received);
            assertEquals(21, received.code());
            assertEquals(seq, reply.readInt());
            reply.readLong(); // the inode the peer saw: compared by the peer's file check below
            assertEquals("file " + seq, reply.readUtf8String(), "the peer read our file through its fd");
            assertEquals(1, reply.readInt(), "the peer saw every byte of our raw data");
            final int fd = reply.readFileDescriptor();
            try
            {
                assertEquals(reply.readLong(), inode(fd), "the fd we received is the peer's file");
                assertEquals("peer " + seq, content(fd));
            }
            catch (final IOException ex)
            {
                throw new AssertionError(ex);
            }
            MessageSequence.closeFileDescriptor(fd);
            final MemorySegment raw = reply.readRawData(REPLY_RAW_SIZE);
            for (int i = 0; i < REPLY_RAW_SIZE; i++)
            {
                if ((byte)(i * 13 + seq) != raw.get(ValueLayout.JAVA_BYTE, i))
                {
                    throw new AssertionError("reply raw byte " + i + " differs");
                }
            }
            checked.incrementAndGet();
        }, 1, TIMEOUT_NS))
        {
            Thread.onSpinWait();
        }
        assertEquals(1, checked.get());
    }

    /** count exchanges with a peer that serves them, then the leak checks on both sides. */
    private static void exchange(final Process server, final String address, final int count) throws Exception
    {
        final BufferedReader peerOut = out(server);
        assertEquals("listening", peerOut.readLine());
        try (Channel channel = Channel.connect(address, TIMEOUT_NS))
        {
            request(channel, 0);
            reply(channel, 0);
            final long fdsBefore = MessageSequencePeerMain.openFds();
            final long mappingsBefore = MessageSequencePeerMain.memfdMappings();
            for (int seq = 1; seq < count; seq++)
            {
                request(channel, seq);
                reply(channel, seq);
            }
            assertEquals(fdsBefore, MessageSequencePeerMain.openFds(), "our open fds");
            assertEquals(mappingsBefore, MessageSequencePeerMain.memfdMappings(), "our memfd mappings");
            final String[] served = peerOut.readLine().split(" ");
            assertEquals("served", served[0], String.join(" ", served));
            assertEquals(served[3], served[4], "the peer's open fds before and after");
            assertEquals(served[6], served[7], "the peer's mappings before and after");
        }
        assertTrue(server.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, server.exitValue());
    }

    @Test
    void messageSequencesGoToTheCPeerAndBackWithFdsAndLargeRawData() throws Exception
    {
        final String address = address();
        exchange(cPeer("ipcio-echo-server", address, "100"), address, 100);
    }

    @Test
    void messageSequencesGoToAJavaPeerInAnotherProcessAndBack() throws Exception
    {
        final String address = address();
        exchange(javaPeer("echo", address, "100"), address, 100);
    }

    @Test
    void aClaimedMessageHasAFixedCapacityAndReclaimWithoutSendGivesTheSlotUp() throws Exception
    {
        final String address = address();
        try (ChannelListener listener = ChannelListener.listen(address))
        {
            final Channel[] client = new Channel[1];
            final Thread connecting = Thread.ofPlatform().start(() -> client[0] = Channel.connect(address, TIMEOUT_NS));
            try (Channel server = listener.accept(0, TIMEOUT_NS))
            {
                connecting.join();
                final MessageSequence abandoned = MessageSequence.claim(client[0], 64, 0, TIMEOUT_NS);
                abandoned.writeInt(1);
                assertEquals(401, assertThrows(RpcException.class, () -> abandoned.setCapacity(1024)).code());
                final RpcException full = assertThrows(RpcException.class, () -> abandoned.writeString("x".repeat(64)));
                assertEquals(1900009, full.code(), full.getMessage());
                abandoned.reclaim();
                assertThrows(IllegalStateException.class, () -> abandoned.send(1));
                final MessageSequence sent = MessageSequence.claim(client[0], 64, 0, TIMEOUT_NS);
                sent.writeInt(2);
                sent.send(2);
                final AtomicInteger code = new AtomicInteger();
                final MessageSequence[] kept = new MessageSequence[1];
                assertEquals(1, server.receive(received ->
                {
                    code.set(received.code());
                    kept[0] = MessageSequence.wrap(received);
                    assertEquals(2, kept[0].readInt());
                }, 4, TIMEOUT_NS));
                assertEquals(2, code.get(), "the abandoned claim was skipped");
                assertThrows(IllegalStateException.class, () -> kept[0].readInt(),
                    "reclaimed when the handler returned");
                assertThrows(RpcException.class, () -> MessageSequence.claim(client[0], 1 << 20, 0, TIMEOUT_NS),
                    "larger than the ring can ever hold");
            }
            client[0].close();
        }
    }
}
