package io.harmonia.tools.demo.example;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.harmonia.rpc.CallingIdentity;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.RpcException;
import io.harmonia.samgr.ErrorCode;
import io.harmonia.samgr.IUnknown;
import io.harmonia.samgr.IUnknownEntry;
import io.harmonia.samgr.registry.IServerProxy;

/**
 * The provider's side of the example ({@code DemoFeatureApi} with {@code SERVER_IPROXY_IMPL_BEGIN}): the API itself,
 * usable in process, and its {@code Invoke}, which unpacks a call from another process in push order, calls the API
 * and packs the answer, exactly as the README's {@code Invoke} does: an unknown funcId answers bool FALSE, and every
 * call answers {@code EC_SUCCESS}.
 */
public final class DemoFeatureApi extends IUnknownEntry implements DemoApi, IServerProxy
{
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger timedCalls = new AtomicInteger();

    /** The API, exportable (version 0xA0). */
    public DemoFeatureApi()
    {
        super(IUnknown.SERVER_IMPL_PROXY_VERSION);
    }

    @Override
    public int invoke(final int funcId, final CallingIdentity origin, final MessageSequence request,
        final MessageSequence reply)
    {
        switch (funcId)
        {
            case ID_ASYNCALL -> reply.writeBoolean(asyncCall(popString(request)));
            case ID_ASYNTIMECALL -> reply.writeBoolean(asyncTimeCall());
            case ID_SYNCCALL ->
            {
                final int id = request.readInt();
                final int value = request.readInt();
                final boolean ret = syncCall(new Payload(id, value, popString(request)));
                reply.writeUtf8String(ret ? "TRUE" : "FALSE");
            }
            case ID_ASYNCCALLBACK ->
            {
                // convert to sync proxy
                reply.writeUtf8String("Yes, you did!");
                reply.writeBoolean(true);
            }
            default -> reply.writeBoolean(false);
        }
        return ErrorCode.EC_SUCCESS.code();
    }

    /** {@code IpcIoPopString}: the next string, or null when the request holds none (an empty request). */
    private static String popString(final MessageSequence request)
    {
        try
        {
            return request.readUtf8String();
        }
        catch (final RpcException none)
        {
            return null;
        }
    }

    @Override
    public boolean asyncCall(final String buff)
    {
        if (null == buff)
        {
            return false; // the README's raw invoke sends an empty request: AsyncCall(NULL) must be safe
        }
        received.add(buff);
        return true;
    }

    @Override
    public boolean asyncTimeCall()
    {
        timedCalls.incrementAndGet();
        return true;
    }

    @Override
    public boolean syncCall(final Payload payload)
    {
        return null != payload.name() && payload.id() >= 0 && payload.value() >= 0;
    }

    @Override
    public boolean asyncCallBack(final String buff, final Object owner, final NotifyHandler handler)
    {
        handler.handle(owner, "Yes, you did!");
        return true;
    }

    /**
     * The texts {@link #asyncCall} received.
     *
     * @return a snapshot.
     */
    public List<String> received()
    {
        return List.copyOf(received);
    }
}
