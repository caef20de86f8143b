package io.harmonia.bindings.channel;

import java.lang.foreign.MemorySegment;

/** A Java channel echo server run as a separate JVM by the tests: {@code <address> <count>}. */
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
    public static void main(final String[] args)
    {
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
