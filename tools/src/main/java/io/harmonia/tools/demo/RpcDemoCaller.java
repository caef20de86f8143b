package io.harmonia.tools.demo;

import io.harmonia.rpc.IPCSkeleton;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;

/**
 * A caller of the demo's RPC step in a process of its own, started under another uid: calls the greeter once and
 * prints what it answered ("<greeting> <uid seen> <pid seen> <callee pid>").
 */
public final class RpcDemoCaller
{
    private RpcDemoCaller()
    {
    }

    /**
     * Entry point.
     *
     * @param args the greeter's address and the name to greet.
     */
    public static void main(final String[] args)
    {
        final IRemoteObject greeter = IPCSkeleton.connect(args[0], 10_000);
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            data.writeString(args[1]);
            greeter.sendMessageRequestSync(RpcDemoPeer.GREET, data, reply, new MessageOption());
            System.out.println(reply.readString() + "|" + reply.readInt() + "|" + reply.readInt() + "|" +
                reply.readInt());
        }
        System.exit(0);
    }
}
