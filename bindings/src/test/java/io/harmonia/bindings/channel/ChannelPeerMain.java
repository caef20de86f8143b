package io.harmonia.bindings.channel;

import java.lang.foreign.MemorySegment;

import io.harmonia.bindings.ipc.IpcIoBuffer;

/**
 * A Java channel peer run as a separate JVM by the tests: an echo server ({@code <address> <count>}), or
 * {@code ipcio-die-mid-message <address>}: connect, claim an IpcIo slot, write part of it, print "claimed" and wait
 * to be killed.
 */
public final class ChannelPeerMain
{
    private ChannelPeerMain()
    {
    }

    /**
     * Entry point.
     *
     * @param args the address and the number of messages to echo.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        if ("ipcio-die-mid-message".equals(args[0]))
        {
            try (Channel channel = Channel.connect(args[1], 10_000_000_000L))
            {
                final IpcIoBuffer io = new IpcIoBuffer();
                channel.claimIpcIo(io, 4096, 4, 10_000_000_000L);
                io.writeInt32(7);
                io.writeString("never committed");
                System.out.println("claimed");
                Thread.sleep(60_000); // the test kills us with SIGKILL meanwhile
            }
            System.exit(1);
        }
        try (ChannelListener listener = ChannelListener.listen(args[0]))
        {
            System.out.println("listening");
            try (Channel channel = listener.accept(0, 30_000_000_000L))
            {
                final long count = Long.parseLong(args[1]);
                long echoed = 0;
                while (echoed < count)
                {
                    echoed += channel.receive((code, buffer, offset, length) ->
                    {
                        final long reply = channel.claim(length, 10_000_000_000L);
                        MemorySegment.copy(buffer, offset, buffer, reply, length);
                        channel.commit(reply, code + 1, length);
                    }, 16, 10_000_000_000L);
                }
                try
                {
                    channel.receive((code, buffer, offset, length) -> { }, 1, 30_000_000_000L);
                }
                catch (final ChannelException expected)
                {
                    // the client went away: done
                }
            }
        }
        System.exit(0);
    }
}
