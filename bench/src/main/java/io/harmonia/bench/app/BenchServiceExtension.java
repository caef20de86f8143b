package io.harmonia.bench.app;

import io.harmonia.ability.ServiceExtensionAbility;
import io.harmonia.ability.Want;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.RemoteObject;

/** The connect benchmark's ServiceExtensionAbility: its onConnect returns one object that echoes an int. */
public class BenchServiceExtension extends ServiceExtensionAbility
{
    private final RemoteObject echo = new Echo();

    /** For the host. */
    public BenchServiceExtension()
    {
    }

    @Override
    public RemoteObject onConnect(final Want want)
    {
        return echo;
    }

    /** Answers code 1 with the int it got. */
    static final class Echo extends RemoteObject
    {
        Echo()
        {
            super("harmonia.bench.Echo");
        }

        @Override
        protected boolean onRemoteMessageRequest(final int code, final MessageSequence data,
            final MessageSequence reply, final MessageOption option)
        {
            reply.writeInt(data.readInt());
            return true;
        }
    }
}
