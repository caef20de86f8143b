package io.harmonia.rpc;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An object that handles requests, living in the process that created it (OpenHarmony's {@code rpc.RemoteObject},
 * the "stub"). Subclasses override {@link #onRemoteMessageRequest} (or {@link #onRemoteMessageRequestAsync} when the
 * answer comes later); a class that overrides neither answers every request with {@link CallFailure#NO_HANDLER}.
 *
 * <p>Written into a {@link MessageSequence} and sent to another process, the object becomes a {@link RemoteProxy}
 * there, which calls back here directly, also after being passed on to a third process. Read back in this process
 * it is this object itself. While any process holds a proxy, the object stays exported; when the last proxy
 * anywhere is released (or its process dies), {@link #onLastRemoteRelease()} is called.
 *
 * <p><b>Threads.</b> Requests from other processes run on this process's incoming-call threads (at most
 * {@link IPCSkeleton#getMaxWorkThread()} at once), several at a time for one object, except one-way requests, which
 * run one at a time per object in the order they were sent. A request from this process runs on the calling thread.
 * Inside the handler, {@link IPCSkeleton} answers with the caller's identity.
 *
 * <p><b>Errors.</b> The handler's outcome reaches the caller: true sends the reply; false is
 * {@link CallFailure#NOT_HANDLED}; an exception (logged here) is {@link CallFailure#HANDLER_FAILED}. Either failure
 * sends no reply data.
 */
public class RemoteObject implements IRemoteObject
{
    /** Longest descriptor in UTF-8 bytes. */
    public static final int MAX_DESCRIPTOR_BYTES = 1024;

    private final String descriptor;
    private final StubDispatch.HandlerKind handlerKind;
    private volatile IRemoteBroker localInterface;
    private volatile String localDescriptor;
    /** The runtime's bookkeeping once the object has been sent to another process (null before). */
    volatile ExportedObject exported;

    /**
     * An object with an interface descriptor.
     *
     * @param descriptor the descriptor (e.g. "test"), at most {@link #MAX_DESCRIPTOR_BYTES} UTF-8 bytes.
     * @throws RpcException 401 for null or a descriptor over the limit.
     */
    public RemoteObject(final String descriptor)
    {
        if (null == descriptor)
        {
            throw new RpcException(RpcException.CHECK_PARAM_ERROR, "field 'descriptor' is null");
        }
        final int bytes = descriptor.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_DESCRIPTOR_BYTES)
        {
            throw new RpcException(RpcException.CHECK_PARAM_ERROR, "field 'descriptor' has " + bytes +
                " UTF-8 bytes, limit " + MAX_DESCRIPTOR_BYTES);
        }
        this.descriptor = descriptor;
        this.handlerKind = StubDispatch.handlerKindOf(getClass());
    }

    /**
     * Handles a request. Read {@code data} in the order it was written, write the answer into {@code reply}, and
     * return true; return false to refuse it (the caller gets {@link CallFailure#NOT_HANDLED}).
     *
     * @param code   the request code.
     * @param data   the request, read-only.
     * @param reply  the reply to write.
     * @param option how the call was sent (one way or synchronous).
     * @return true when handled.
     */
    protected boolean onRemoteMessageRequest(final int code, final MessageSequence data, final MessageSequence reply,
        final MessageOption option)
    {
        throw new UnsupportedOperationException("no request handler: " + getClass().getName() +
            " overrides neither onRemoteMessageRequest nor onRemoteMessageRequestAsync");
    }

    /**
     * Handles a request whose answer comes later (OpenHarmony's {@code Promise<boolean>} form). The reply is sent
     * when the stage completes; {@code data} and {@code reply} stay valid until then. The default calls
     * {@link #onRemoteMessageRequest}.
     *
     * @param code   the request code.
     * @param data   the request.
     * @param reply  the reply to write before completing.
     * @param option how the call was sent.
     * @return completes with true when handled, false to refuse.
     */
    protected CompletionStage<Boolean> onRemoteMessageRequestAsync(final int code, final MessageSequence data,
        final MessageSequence reply, final MessageOption option)
    {
        return CompletableFuture.completedFuture(onRemoteMessageRequest(code, data, reply, option));
    }

    /**
     * Called once the last proxy of this object in every other process is gone (released, or its process died)
     * and no reference is on its way to another process. The object may be sent again afterwards. Runs on an RPC
     * thread; the default does nothing.
     */
    protected void onLastRemoteRelease()
    {
    }

    final StubDispatch.HandlerKind handlerKind()
    {
        return handlerKind;
    }

    @Override
    public final CompletableFuture<RequestResult> sendMessageRequest(final int code, final MessageSequence data,
        final MessageSequence reply, final MessageOption option)
    {
        return StubDispatch.callLocal(this, code, data, reply, option);
    }

    @Override
    public final RequestResult sendMessageRequestSync(final int code, final MessageSequence data,
        final MessageSequence reply, final MessageOption option)
    {
        return StubDispatch.await(sendMessageRequest(code, data, reply, option), option, code, data, reply,
            "local object '" + descriptor + "'");
    }

    @Override
    public final String getDescriptor()
    {
        return descriptor;
    }

    @Override
    public IRemoteBroker getLocalInterface(final String descriptor)
    {
        final IRemoteBroker broker = localInterface;
        return null != broker && Objects.equals(localDescriptor, descriptor) ? broker : null;
    }

    /**
     * Registers the local interface that {@link #getLocalInterface} returns for a descriptor.
     *
     * @param localInterface the interface object (usually this object's own implementation).
     * @param descriptor     the descriptor it answers to.
     */
    public void modifyLocalInterface(final IRemoteBroker localInterface, final String descriptor)
    {
        this.localDescriptor = descriptor;
        this.localInterface = localInterface;
    }

    /** A local object never dies. */
    @Override
    public final boolean isObjectDead()
    {
        return false;
    }

    /** Accepted and never called: a local object does not die while this process lives. */
    @Override
    public final void registerDeathRecipient(final DeathRecipient recipient, final int flags)
    {
        if (null == recipient)
        {
            throw new RpcException(RpcException.CHECK_PARAM_ERROR, "field 'recipient' is null");
        }
    }

    @Override
    public final void unregisterDeathRecipient(final DeathRecipient recipient, final int flags)
    {
    }

    @Override
    public String toString()
    {
        return getClass().getSimpleName() + "{descriptor='" + descriptor + "'}";
    }
}
