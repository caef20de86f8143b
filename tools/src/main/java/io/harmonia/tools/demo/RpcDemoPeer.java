package io.harmonia.tools.demo;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;

import io.harmonia.rpc.IPCSkeleton;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.Publication;
import io.harmonia.rpc.RemoteObject;

/**
 * The callee of the demo's RPC step, in its own process: publishes a {@link Greeter} at an address and listens on a
 * Unix socket for the baseline; prints "ready", serves the RPC callers until the demo connects to the socket, then
 * serves the socket baseline ({@link SocketBaseline#serve}) and exits.
 */
public final class RpcDemoPeer
{
    /** Answers "hello NAME" with the uid and pid the callee saw (from the kernel). */
    static final int GREET = 1;
    /** Answers the int it is sent (the timed round trip). */
    static final int ECHO = 2;

    private RpcDemoPeer()
    {
    }

    /** The object the demo calls. */
    static final class Greeter extends RemoteObject
    {
        Greeter()
        {
            super("demo.greeter");
        }

        @Override
        protected boolean onRemoteMessageRequest(final int code, final MessageSequence data,
            final MessageSequence reply, final MessageOption option)
        {
            switch (code)
            {
                case GREET ->
                {
                    reply.writeString("hello " + data.readString());
                    reply.writeInt(IPCSkeleton.getCallingUid());
                    reply.writeInt(IPCSkeleton.getCallingPid());
                    reply.writeInt((int)ProcessHandle.current().pid());
                }
                case ECHO -> reply.writeInt(data.readInt());
                default ->
                {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Entry point.
     *
     * @param args the address to publish at and the socket path.
     */
    public static void main(final String[] args)
    {
        try (Publication publication = IPCSkeleton.publish(args[0], new Greeter());
            ServerSocketChannel server = SocketBaseline.listen(Path.of(args[1])))
        {
            System.out.println("ready " + publication.address());
            System.out.flush();
            SocketBaseline.serve(server);
        }
        catch (final RuntimeException | IOException ex)
        {
            System.err.println("rpc demo peer: " + ex.getMessage());
            System.exit(1);
        }
        System.exit(0);
    }
}
