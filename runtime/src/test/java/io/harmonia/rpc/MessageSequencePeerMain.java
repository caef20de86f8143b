package io.harmonia.rpc;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import io.harmonia.bindings.channel.Channel;
import io.harmonia.bindings.channel.ChannelException;
import io.harmonia.bindings.channel.ChannelListener;
import io.harmonia.bindings.channel.ChannelMessage;
import io.harmonia.bindings.ipc.IpcIoRawData;

/**
 * The Java twin of the C peer's IpcIo modes (native/tests/channel/hm_channel_peer.c, same message formats),
 * written with MessageSequence and run as a separate JVM by {@link MessageSequenceChannelTest}:
 * {@code echo <address> <count>}.
 */
public final class MessageSequencePeerMain
{
    static final long TIMEOUT_NS = 10_000_000_000L;
    static final int REPLY_RAW_SIZE = 40_000;

    private MessageSequencePeerMain()
    {
    }

    /**
     * Entry point.
     *
     * @param args the mode and its arguments.
     * @throws Exception when anything fails (the test then sees the exit status).
     */
    public static void main(final String[] args) throws Exception
    {
        if ("echo".equals(args[0]))
        {
            echo(args[1], Integer.parseInt(args[2]));
        }
        System.exit(0);
    }

    private static void echo(final String address, final int count) throws IOException
    {
        try (ChannelListener listener = ChannelListener.listen(address))
        {
            System.out.println("listening");
            try (Channel channel = listener.accept(0, TIMEOUT_NS))
            {
                receiveOne(channel);
                // The first message loads classes and links downcalls: count after it.
                final long fdsBefore = openFds();
                final long mappingsBefore = memfdMappings();
                for (int i = 1; i < count; i++)
                {
                    receiveOne(channel);
                }
                System.out.println("served " + count + " fds " + fdsBefore + " " + openFds() + " maps " +
                    mappingsBefore + " " + memfdMappings());
                try
                {
                    channel.receive(message -> { }, 1, 30_000_000_000L);
                }
                catch (final ChannelException goneAway)
                {
                    // the client closed: done
                }
            }
        }
    }

    private static void receiveOne(final Channel channel)
    {
        while (0 == channel.receive(received -> answer(channel, received), 1, TIMEOUT_NS))
        {
            Thread.onSpinWait();
        }
    }

    /** Reads a request in place and answers it from inside the handler (the request's slot is still ours). */
    private static void answer(final Channel channel, final ChannelMessage received)
    {
        try
        {
            final MessageSequence request = MessageSequence.wrap(received);
            final int seq = request.readInt();
            request.readUtf8String();
            final int fd = request.readFileDescriptor();
            final long inodeSeen = inode(fd);
            final String content = content(fd);
            MessageSequence.closeFileDescriptor(fd);
            request.readLong();
            final int rawSize = request.readInt();
            final MemorySegment raw = request.readRawData(rawSize);
            int rawOk = 1;
            for (int i = 0; i < rawSize; i++)
            {
                rawOk &= (byte)(i * 7 + seq) == raw.get(ValueLayout.JAVA_BYTE, i) ? 1 : 0;
            }
            final int own = IpcIoRawData.create(MemorySegment.ofArray(("peer " + seq).getBytes(StandardCharsets.UTF_8)));
            final byte[] replyRaw = new byte[REPLY_RAW_SIZE];
            for (int i = 0; i < replyRaw.length; i++)
            {
                replyRaw[i] = (byte)(i * 13 + seq);
            }
            final MessageSequence reply = MessageSequence.claim(channel, 1024, 4, TIMEOUT_NS);
            reply.writeInt(seq);
            reply.writeLong(inodeSeen);
            reply.writeUtf8String(content);
            reply.writeInt(rawOk);
            reply.writeFileDescriptor(own);
            reply.writeLong(inode(own));
            reply.writeRawDataBuffer(replyRaw, replyRaw.length);
            reply.send(21);
            MessageSequence.closeFileDescriptor(own); // the receiver has its own copy
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    static long inode(final int fd) throws IOException
    {
        return (Long)Files.getAttribute(Path.of("/proc/self/fd/" + fd), "unix:ino");
    }

    static String content(final int fd) throws IOException
    {
        return Files.readString(Path.of("/proc/self/fd/" + fd));
    }

    static long openFds() throws IOException
    {
        try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd")))
        {
            return entries.count();
        }
    }

    static long memfdMappings() throws IOException
    {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps")))
        {
            return lines.filter(line -> line.contains("/memfd:")).count();
        }
    }
}
