package io.harmonia.tools.demo;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;

import io.harmonia.bindings.channel.Channel;
import io.harmonia.bindings.channel.ChannelException;
import io.harmonia.bindings.channel.ChannelHandler;
import io.harmonia.bindings.channel.ChannelListener;

/**
 * The second process of the demo's transport step: listens on a channel address and a Unix socket, prints
 * "listening", then serves the channel (drops one-way messages, answers pings, stops on DONE) and after it the
 * socket ({@link SocketBaseline#serve}). Exits 0 when both ran to DONE, 1 on any failure.
 */
public final class ChannelDemoPeer
{
    private ChannelDemoPeer()
    {
    }

    /**
     * Entry point.
     *
     * @param args the channel address and the socket path.
     */
    public static void main(final String[] args)
    {
        try (ChannelListener listener = ChannelListener.listen(args[0]);
            ServerSocketChannel server = SocketBaseline.listen(Path.of(args[1])))
        {
            System.out.println("listening");
            System.out.flush();
            serveChannel(listener);
            SocketBaseline.serve(server);
        }
        catch (final ChannelException | IOException ex)
        {
            System.err.println("demo peer: " + ex.getMessage());
            System.exit(1);
        }
        System.exit(0);
    }

    private static void serveChannel(final ChannelListener listener)
    {
        try (Channel channel = listener.accept(0, ChannelDemo.TIMEOUT_NS))
        {
            final boolean[] done = {false};
            final ChannelHandler serve = (code, buffer, offset, length) ->
            {
                if (ChannelDemo.PING == code)
                {
                    final long reply = channel.claim(length, ChannelDemo.TIMEOUT_NS);
                    MemorySegment.copy(buffer, offset, buffer, reply, length);
                    channel.commit(reply, ChannelDemo.PING, length);
                }
                done[0] |= ChannelDemo.DONE == code;
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
}
