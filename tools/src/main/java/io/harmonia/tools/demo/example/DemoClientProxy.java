package io.harmonia.tools.demo.example;

import io.harmonia.rpc.MessageSequence;
import io.harmonia.samgr.ErrorCode;
import io.harmonia.samgr.registry.ClientFactories;
import io.harmonia.samgr.registry.ClientProxyEntry;
import io.harmonia.samgr.registry.RemoteInvoker;

/**
 * The consumer's typed proxy of the example ({@code DemoClientProxy}): each method packs its arguments and calls
 * {@link #invoke}, as the README's client proxy does; {@link #register} is its {@code SAMGR_RegisterFactory}.
 */
public final class DemoClientProxy extends ClientProxyEntry implements DemoApi
{
    private DemoClientProxy(final RemoteInvoker invoker)
    {
        super(invoker);
    }

    /**
     * Registers the factory ({@code SAMGR_RegisterFactory(EXAMPLE_SERVICE, EXAMPLE_FEATURE, DEMO_CreatClient,
     * DEMO_DestroyClient)}); call it before the first lookup.
     *
     * @param destroyed run by the destroyer when a proxy's last reference goes ({@code DEMO_DestroyClient}).
     * @return the registration's status.
     */
    public static ErrorCode register(final Runnable destroyed)
    {
        return ClientFactories.register(EXAMPLE_SERVICE, EXAMPLE_FEATURE,
            (service, feature, invoker) -> new DemoClientProxy(invoker),
            (service, feature, proxy) -> destroyed.run());
    }

    @Override
    public boolean asyncCall(final String buff)
    {
        try (MessageSequence request = MessageSequence.create())
        {
            request.writeUtf8String(buff);
            return ErrorCode.EC_SUCCESS.code() == invoke(ID_ASYNCALL, request, null, null);
        }
    }

    @Override
    public boolean asyncTimeCall()
    {
        try (MessageSequence request = MessageSequence.create())
        {
            return ErrorCode.EC_SUCCESS.code() == invoke(ID_ASYNTIMECALL, request, null, null);
        }
    }

    @Override
    public boolean syncCall(final Payload payload)
    {
        try (MessageSequence request = MessageSequence.create())
        {
            request.writeInt(payload.id());
            request.writeInt(payload.value());
            request.writeUtf8String(payload.name());
            final String[] data = new String[1];
            final int ret = invoke(ID_SYNCCALL, request, data, (owner, code, reply) ->
            {
                ((String[])owner)[0] = reply.readUtf8String();
                return 0;
            });
            return ErrorCode.EC_SUCCESS.code() == ret;
        }
    }

    @Override
    public boolean asyncCallBack(final String buff, final Object owner, final NotifyHandler handler)
    {
        try (MessageSequence request = MessageSequence.create())
        {
            request.writeUtf8String(buff);
            final int ret = invoke(ID_ASYNCCALLBACK, request, owner, (notify, code, reply) ->
            {
                handler.handle(notify, reply.readUtf8String());
                return 0;
            });
            return ErrorCode.EC_SUCCESS.code() == ret;
        }
    }
}
