package io.harmonia.bindings.channel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.harmonia.bindings.ipc.IpcIoBuffer;
import io.harmonia.bindings.ipc.IpcIoFailure;
import io.harmonia.bindings.ipc.IpcIoRawData;

import static io.harmonia.bindings.channel.ChannelTest.address;
import static io.harmonia.bindings.channel.ChannelTest.c;
import static io.harmonia.bindings.channel.ChannelTest.exit;
import static io.harmonia.bindings.channel.ChannelTest.out;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * IpcIo messages (fds, large raw data as sealed memfds) between the Java channel and the C channel in another
 * process, both directions, written straight into ring slots and read in place; release semantics and leaks.
 */
class ChannelIpcIoTest
{
    private static final long TIMEOUT_NS = 10_000_000_000L;
    /** Above the 32 KiB inline limit: travels as a sealed memfd. */
    private static final int REQUEST_RAW_SIZE = 50_000;
    private static final int REPLY_RAW_SIZE = 40_000;

    /** One request in the C peer's format (hm_channel_peer.c), written with the flyweight into the slot. */
    private static void sendRequest(final Channel channel, final int seq)
    {
        final int file = IpcIoRawData.create(MemorySegment.ofArray(("file " + seq).getBytes(StandardCharsets.UTF_8)));
        final byte[] raw = new byte[REQUEST_RAW_SIZE];
        for (int i = 0; i < raw.length; i++)
        {
            raw[i] = (byte)(i * 7 + seq);
        }
        final int rawFd = IpcIoRawData.create(MemorySegment.ofArray(raw));
        assertTrue(file >= 0 && rawFd >= 0, "memfds created");
        final IpcIoBuffer io = new IpcIoBuffer();
        final long slot = channel.claimIpcIo(io, 1024, 4, TIMEOUT_NS);
        assertTrue(io.writeInt32(seq) && io.writeString("request " + seq) && io.writeFileDescriptor(file) &&
            io.writeInt64(OpenFiles.inode(file)) && io.writeInt32(REQUEST_RAW_SIZE) &&
            io.writeRawDataFd(REQUEST_RAW_SIZE, rawFd), io.toString());
        channel.commitIpcIo(slot, io, 20);
        assertTrue(io.failed() || 0 == io.capacity(), "the writer is unusable after the commit");
        // The receiver holds its own copies now.
        assertEquals(0, IpcIoRawData.close(file));
        assertEquals(0, IpcIoRawData.close(rawFd));
    }

    /** Reads one reply in place and checks that the C peer saw our file and that we see its file. */
    private static void checkReply(final ChannelMessage message, final int seq, final long regionLength)
    {
        assertEquals(21, message.code());
        assertTrue(message.isIpcIo());
        assertEquals(2, message.fdCount(), "one fd object and one raw-data memfd");
        final IpcIoBuffer io = message.ipcIo();
        assertEquals(seq, io.readInt32());
        final long inodeSeenThere = io.readInt64();
        assertEquals("file " + seq, io.readString(), "the peer read our file through the fd it received");
        assertEquals(1, io.readInt32(), "the peer saw every byte of our raw data");
        final int fd = message.readFileDescriptor();
        assertTrue(fd >= 0, io.toString());
        assertEquals(io.readInt64(), OpenFiles.inode(fd), "the fd we received is the peer's file");
        assertEquals("peer " + seq, OpenFiles.content(fd));
        final MemorySegment raw = message.readRawData(REPLY_RAW_SIZE);
        assertEquals(REPLY_RAW_SIZE, raw.byteSize());
        for (int i = 0; i < REPLY_RAW_SIZE; i++)
        {
            if ((byte)(i * 13 + seq) != raw.get(ValueLayout.JAVA_BYTE, i))
            {
                throw new AssertionError("reply raw byte " + i + " differs");
            }
        }
        assertFalse(io.failed(), io.toString());
        // Read in place: the IpcIo data is the ring slot in the shared region, not a copy.
        assertEquals(message.buffer().address() + message.offset(), io.data().address());
        assertTrue(message.offset() > 0 && message.offset() < regionLength);
        assertEquals(0, IpcIoRawData.close(fd));
        assertTrue(inodeSeenThere > 0);
    }

    @Test
    void ipcIoMessagesWithFdsAndLargeRawDataGoJavaToCAndCToJavaWithoutLeaks() throws Exception
    {
        final int count = 150;
        final String address = address();
        final Process server = c("ipcio-echo-server", address, Integer.toString(count));
        assertEquals("listening", out(server).readLine());
        try (Channel channel = Channel.connect(address, TIMEOUT_NS))
        {
            final long regionLength = channel.buffer().byteSize();
            final AtomicInteger seen = new AtomicInteger();
            long fdsBefore = 0;
            long mappingsBefore = 0;
            for (int seq = 0; seq < count; seq++)
            {
                if (1 == seq)
                {
                    fdsBefore = OpenFiles.fds();
                    mappingsBefore = OpenFiles.memfdMappings();
                }
                sendRequest(channel, seq);
                final int expected = seq;
                while (0 == channel.receive(message ->
                {
                    checkReply(message, expected, regionLength);
                    seen.incrementAndGet();
                }, 1, TIMEOUT_NS))
                {
                    Thread.onSpinWait();
                }
            }
            assertEquals(count, seen.get());
            assertEquals(fdsBefore, OpenFiles.fds(), "open fds after " + (count - 1) + " more messages");
            assertEquals(mappingsBefore, OpenFiles.memfdMappings(), "memfd mappings after " + (count - 1) + " more");
            final String[] served = out(server).readLine().split(" ");
            assertEquals("served", served[0]);
            assertEquals(served[3], served[4], "the C peer's open fds before and after");
            assertEquals(served[6], served[7], "the C peer's mappings before and after");
        }
        assertEquals(0, exit(server));
    }

    /** Receives until the dead-peer error; the killed sender's half-written message must never be delivered. */
    private static void assertTheHalfWrittenMessageIsSkippedAndTheDeathReported(final Channel channel)
    {
        final AtomicInteger delivered = new AtomicInteger();
        final ChannelException dead = assertThrows(ChannelException.class, () ->
        {
            while (true)
            {
                channel.receive(message -> delivered.incrementAndGet(), 1, TIMEOUT_NS);
            }
        });
        assertTrue(dead.isDeadPeer(), dead.getMessage());
        assertEquals(0, delivered.get(), "the half-written message is never delivered");
    }

    @Test
    void aCPeerKilledMidMessageIsSkippedReportedAndItsFdsDoNotLeak() throws Exception
    {
        final String address = address();
        final long fdsBefore = OpenFiles.fds();
        try (ChannelListener listener = ChannelListener.listen(address))
        {
            final Process client = c("ipcio-die-mid-message", address); // kills itself with SIGKILL
            try (Channel channel = listener.accept(0, TIMEOUT_NS))
            {
                assertEquals("claimed", out(client).readLine());
                client.waitFor();
                assertTheHalfWrittenMessageIsSkippedAndTheDeathReported(channel);
            }
        }
        // The fd sent ahead of the commit died with the socket; nothing of the channel stays open.
        assertEquals(fdsBefore, OpenFiles.fds());
    }

    @Test
    void aJavaPeerKilledWithSigkillMidMessageIsSkippedAndReported() throws Exception
    {
        final String address = address();
        try (ChannelListener listener = ChannelListener.listen(address))
        {
            final Process client = ChannelTest.java("ipcio-die-mid-message", address);
            try (Channel channel = listener.accept(0, TIMEOUT_NS))
            {
                assertEquals("claimed", out(client).readLine());
                client.destroyForcibly(); // SIGKILL while its slot is claimed and half written
                assertTrue(client.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
                assertTheHalfWrittenMessageIsSkippedAndTheDeathReported(channel);
            }
        }
    }

    @Test
    void rawMessagesCarryFdsAndTheReleaseClosesTheOnesNobodyTook() throws Exception
    {
        final String address = address();
        try (ChannelListener listener = ChannelListener.listen(address))
        {
            final AtomicReference<Channel> client = new AtomicReference<>();
            final Thread connector = Thread.ofPlatform().start(() -> client.set(Channel.connect(address, TIMEOUT_NS)));
            try (Channel server = listener.accept(0, TIMEOUT_NS))
            {
                connector.join();
                final Channel sender = client.get();
                final int first = IpcIoRawData.create(MemorySegment.ofArray("first".getBytes(StandardCharsets.UTF_8)));
                final int second = IpcIoRawData.create(MemorySegment.ofArray("second".getBytes(StandardCharsets.UTF_8)));
                final long fdsBefore = OpenFiles.fds();
                try (Arena arena = Arena.ofConfined())
                {
                    final long slot = sender.claim(3, TIMEOUT_NS);
                    MemorySegment.copy(arena.allocateFrom("abc"), 0, sender.buffer(), slot, 3);
                    sender.commit(slot, 5, 3, new int[] {first, second});
                }
                final int[] received = new int[2];
                final AtomicInteger taken = new AtomicInteger(-1);
                assertEquals(1, server.receive(message ->
                {
                    assertEquals(5, message.code());
                    assertFalse(message.isIpcIo());
                    assertEquals(3, message.length());
                    assertEquals('a', message.buffer().get(ValueLayout.JAVA_BYTE, message.offset()));
                    assertEquals(2, message.fdCount());
                    received[0] = message.fd(0);
                    received[1] = message.fd(1);
                    assertNotEquals(first, received[0], "the receiver's own numbers");
                    assertEquals(OpenFiles.inode(first), OpenFiles.inode(received[0]));
                    assertEquals(OpenFiles.inode(second), OpenFiles.inode(received[1]));
                    taken.set(message.takeFd(0));
                    assertEquals(-1, message.fd(0));
                }, 1, TIMEOUT_NS));
                assertTrue(OpenFiles.isOpen(taken.get()), "a taken fd stays open");
                assertEquals("first", OpenFiles.content(taken.get()));
                assertEquals(fdsBefore + 1, OpenFiles.fds(), "the fd nobody took was closed by the release");
                assertEquals(0, IpcIoRawData.close(taken.get()));

                // A byte handler cannot take fds: the message is refused, skipped, and its fds closed.
                final long slot = sender.claim(1, TIMEOUT_NS);
                sender.commit(slot, 6, 1, new int[] {first});
                final ChannelException refused = assertThrows(ChannelException.class,
                    () -> server.receive((code, buffer, offset, length) -> { }, 1, TIMEOUT_NS));
                assertEquals(95, refused.errno(), refused.getMessage());
                assertEquals(fdsBefore, OpenFiles.fds());
                assertEquals(0, IpcIoRawData.close(first));
                assertEquals(0, IpcIoRawData.close(second));
                sender.close();
            }
        }
    }

    @Test
    void aMessageIsValidOnlyInsideItsHandlerAndAFailedEmptyWriterIsNotSent() throws Exception
    {
        final String address = address();
        try (ChannelListener listener = ChannelListener.listen(address))
        {
            final AtomicReference<Channel> client = new AtomicReference<>();
            final Thread connector = Thread.ofPlatform().start(() -> client.set(Channel.connect(address, TIMEOUT_NS)));
            try (Channel server = listener.accept(0, TIMEOUT_NS); Channel sender = joined(connector, client))
            {
                final IpcIoBuffer io = new IpcIoBuffer();
                final long failedSlot = sender.claimIpcIo(io, 16, 0, TIMEOUT_NS);
                assertEquals(failedSlot, io.data().address() - sender.buffer().address(), "written in the slot");
                assertFalse(io.writeString("longer than sixteen bytes"), "the slot does not grow");
                assertEquals(IpcIoFailure.NO_SPACE, io.failure());
                final ChannelException empty = assertThrows(ChannelException.class,
                    () -> sender.commitIpcIo(failedSlot, io, 1));
                assertEquals(75, empty.errno(), empty.getMessage());

                final long slot = sender.claimIpcIo(io, 16, 0, TIMEOUT_NS);
                assertTrue(io.writeInt32(77));
                sender.commitIpcIo(slot, io, 2);
                final AtomicReference<ChannelMessage> kept = new AtomicReference<>();
                final AtomicReference<IpcIoBuffer> keptReader = new AtomicReference<>();
                assertEquals(1, server.receive(message ->
                {
                    assertEquals(2, message.code(), "the aborted message was skipped");
                    assertEquals(77, message.ipcIo().readInt32());
                    assertNull(message.ipcIo().readRawData(8), "nothing more to read");
                    kept.set(message);
                    keptReader.set(message.ipcIo());
                }, 1, TIMEOUT_NS));
                assertThrows(IllegalStateException.class, () -> kept.get().code());
                assertTrue(0 == keptReader.get().data().byteSize(), "the reader no longer points into the ring");
                final IllegalArgumentException foreign = assertThrows(IllegalArgumentException.class,
                    () -> sender.commitIpcIo(64, new IpcIoBuffer().wrapForWriting(MemorySegment.ofArray(new byte[8]),
                        MemorySegment.NULL), 3));
                assertTrue(foreign.getMessage().contains("does not write into the slot"), foreign.getMessage());
            }
        }
    }

    private static Channel joined(final Thread connector, final AtomicReference<Channel> client)
        throws InterruptedException
    {
        connector.join();
        return client.get();
    }
}
