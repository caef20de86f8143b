package io.harmonia.samgr.registry;

import java.util.Objects;

import io.harmonia.rpc.MessageSequence;
import io.harmonia.samgr.IUnknown;
import io.harmonia.samgr.IUnknownEntry;

/**
 * The base of a typed client proxy (samgr_lite's {@code INHERIT_CLIENT_IPROXY} entry): version
 * {@link IUnknown#CLIENT_PROXY_VERSION} (0x60, so it answers both {@code CLIENT_PROXY_VER} and
 * {@code DEFAULT_VERSION}), with {@link #invoke} wired to the provider by the endpoint. Extend it and implement the
 * same API interface the provider implements, each method marshalling its arguments and calling {@link #invoke}:
 *
 * <pre>{@code
 * final class DemoClientProxy extends ClientProxyEntry implements DemoApi {
 *     DemoClientProxy(RemoteInvoker invoker) { super(invoker); }
 *     public boolean asyncCall(String buff) {
 *         try (MessageSequence request = MessageSequence.create()) {
 *             request.writeUtf8String(buff);
 *             return EC_SUCCESS == invoke(ID_ASYNCALL, request, null, null);
 *         }
 *     }
 * }
 * ClientFactories.register("example", "feature", (s, f, invoker) -> new DemoClientProxy(invoker),
 *     (s, f, proxy) -> { });
 * }</pre>
 *
 * <p>When the last reference is released, the endpoint stops watching the provider and the factory's destroyer runs.
 */
public abstract class ClientProxyEntry extends IUnknownEntry implements IClientProxy
{
    private final RemoteInvoker invoker;

    /**
     * A proxy that calls through an invoker.
     *
     * @param invoker the invoker the factory's creator was given.
     */
    protected ClientProxyEntry(final RemoteInvoker invoker)
    {
        super(IUnknown.CLIENT_PROXY_VERSION);
        this.invoker = Objects.requireNonNull(invoker, "invoker");
    }

    @Override
    public final int invoke(final int funcId, final MessageSequence request, final Object owner, final INotify notify)
    {
        return invoker.invoke(funcId, request, owner, notify);
    }

    @Override
    protected final void onLastRelease()
    {
        invoker.released(this);
    }
}
