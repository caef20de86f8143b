package io.harmonia.bindings.channel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.harmonia.bindings.ipc.IpcIoBuffer;
import io.harmonia.bindings.ipc.IpcIoRawData;
import io.harmonia.bindings.ipc.SvcIdentity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A hostile C peer ({@code hm_channel_peer hostile-client}, a separate process) connects to a Java listener again
 * and again and writes anything into each channel's region: ring words and record headers at their limits, frames
 * with every field out of range, half-written frames, IpcIo object tables whose entries, types and fd numbers
 * change while the Java side validates and reads them, fd batches that match no frame, and well-formed messages in
 * between. The Java side receives raw and IpcIo messages and reads every item. It must only ever see
 * {@link ChannelException}s for that channel (EBADMSG: a frame skipped; EPROTO: the ring given up; the peer gone),
 * never another exception, a crash or a hang; every fd it is handed must be one the peer sent (its /dev/null),
 * never one of this process's own.
 */
class HostileChannelPeerTest
{
    private static final long SECONDS = 3;
    private static final int CAPACITY = 4096;
    private static final int EPROTO = 71;
    private static final int EBADMSG = 74;
    /** Frame-level answers (the message is skipped, the channel goes on) and the ends of a channel. */
    private static final Set<Integer> ALLOWED = Set.of(EBADMSG, EPROTO, ChannelException.DEAD_PEER,
        ChannelException.CLOSED);

    private long connections;
    private long delivered;
    private long ipcIo;
    private long fds;
    private long badFrames;
    private long givenUp;

    @Test
    void javaChannelsSurviveAHostilePeer()
    {
        assertTimeoutPreemptively(Duration.ofSeconds(SECONDS + 60), this::run);
    }

    private void run() throws Exception
    {
        final String address = ChannelTest.address();
        final long seed = System.nanoTime();
        try (ChannelListener listener = ChannelListener.listen(address); Arena arena = Arena.ofConfined())
        {
            final Process peer = ChannelTest.c("hostile-client", address, Long.toString(SECONDS),
                Long.toString(seed));
            final MemorySegment reply = arena.allocate(16);
            final long end = System.nanoTime() + SECONDS * 1_000_000_000L;
            while (System.nanoTime() < end)
            {
                final Channel channel;
                try
                {
                    channel = listener.accept(CAPACITY, 100_000_000L);
                }
                catch (final ChannelException handshakeFailed)
                {
                    // The hostile peer hung up before it took the region (EPIPE): an error for that connection
                    // only; the listener goes on.
                    continue;
                }
                if (null == channel)
                {
                    continue;
                }
                connections++;
                try (channel)
                {
                    serve(channel, reply, end);
                }
            }
            assertEquals(0, ChannelTest.exit(peer), "the hostile peer (seed " + seed + ") ran to its end");
        }
        System.out.printf("hostile channel peer: %d connections, %d messages (%d IpcIo), %d fds checked, %d frames " +
            "refused (EBADMSG), %d rings given up (EPROTO)%n", connections, delivered, ipcIo, fds, badFrames, givenUp);
        assertTrue(connections > 1, "the peer reconnected after channels were given up");
        assertTrue(delivered > 0, "well-formed messages got through");
        assertTrue(badFrames + givenUp > 0, "the peer's writes were refused");
    }

    private void serve(final Channel channel, final MemorySegment reply, final long end)
    {
        final ChannelMessageHandler handler = message -> check(channel, message);
        for (int i = 0; System.nanoTime() < end; i++)
        {
            try
            {
                if (0 == i % 2)
                {
                    channel.receive(handler, 4, 2_000_000L);
                }
                else
                {
                    channel.poll(handler, 4);
                }
                if (0 == i % 16)
                {
                    channel.offer(2, reply, 0, 16);
                }
            }
            catch (final ChannelException refused)
            {
                assertTrue(ALLOWED.contains(refused.errno()), refused.getMessage());
                if (EBADMSG == refused.errno())
                {
                    badFrames++;
                    continue;
                }
                if (EPROTO == refused.errno())
                {
                    givenUp++;
                    assertTrue(refused.getMessage().contains("ring"), refused.getMessage());
                }
                return;
            }
        }
    }

    /** Every message lies in the receive ring; every item is read; every fd is one the peer sent. */
    private void check(final Channel channel, final ChannelMessage message)
    {
        final long offset = message.offset();
        final int length = message.length();
        assertTrue(length >= 0 && offset >= 0 && offset + length <= message.buffer().byteSize(),
            "message at " + offset + " of " + length + " bytes");
        if (length > 0)
        {
            message.buffer().get(ValueLayout.JAVA_BYTE, offset + length - 1);
        }
        delivered++;
        if (!message.isIpcIo())
        {
            for (int i = 0; i < message.fdCount(); i++)
            {
                checkFd(message.takeFd(i));
            }
            return;
        }
        ipcIo++;
        final IpcIoBuffer io = message.ipcIo();
        for (int i = 0; i < io.objectCount(); i++)
        {
            io.objectType(i);
            io.objectOffset(i);
        }
        final SvcIdentity identity = new SvcIdentity();
        for (int step = 0; step < 10; step++)
        {
            switch ((int)((step + delivered) % 5))
            {
                case 0 -> io.readInt32();
                case 1 -> checkFd(message.readFileDescriptor());
                case 2 -> io.readRemoteObject(identity);
                case 3 -> io.readString();
                default -> io.readInt64();
            }
        }
    }

    private void checkFd(final int fd)
    {
        if (fd < 0)
        {
            return;
        }
        Path target;
        try
        {
            target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd));
        }
        catch (final java.io.IOException closed)
        {
            target = Path.of("(closed)");
        }
        assertTrue(fd > 2 && Path.of("/dev/null").equals(target),
            "fd " + fd + " handed out is " + target + ", not one the peer sent");
        fds++;
        IpcIoRawData.close(fd);
    }
}
