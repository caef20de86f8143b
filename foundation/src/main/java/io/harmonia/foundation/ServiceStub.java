package io.harmonia.foundation;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.harmonia.ability.AbilityException;
import io.harmonia.ability.ServiceException;
import io.harmonia.ability.ServiceReply;
import io.harmonia.foundation.bundle.BundleException;
import io.harmonia.rpc.IPCSkeleton;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.RemoteObject;
import io.harmonia.rpc.RpcException;

/**
 * The RPC object of a foundation service: reads the caller's kernel uid and pid at the top of each request (never
 * anything from its bytes), hands the request to {@link #dispatch}, and turns every refusal into the reply
 * convention of {@link ServiceReply} (the exception's OpenHarmony code and message; 401 for a malformed request), so
 * a bad request fails its own call and nothing else. A request whose work takes long (an extension's start) may
 * answer later ({@link #dispatchLater}) without holding an RPC thread while it waits.
 */
public abstract class ServiceStub extends RemoteObject
{
    /** uids below this are system uids (OpenHarmony's apps start at 10000). */
    protected static final int FIRST_APP_UID = 10000;

    /**
     * A stub with a descriptor.
     *
     * @param descriptor the interface descriptor.
     */
    protected ServiceStub(final String descriptor)
    {
        super(descriptor);
    }

    /** The caller of one request, from the kernel. */
    protected record Caller(int uid, int pid)
    {
    }

    /**
     * Handles one request: writes 0 and the results into the reply, or throws.
     *
     * @param code   the request code.
     * @param data   the request.
     * @param reply  the reply.
     * @param caller the caller's kernel identity.
     * @return false for an unknown code.
     * @throws BundleException         a bundle request refused.
     * @throws JsonProcessingException a result that cannot be written as JSON.
     */
    protected abstract boolean dispatch(int code, MessageSequence data, MessageSequence reply, Caller caller)
        throws BundleException, JsonProcessingException;

    /**
     * Handles a request whose answer comes later: returns null for a code it does not take this way (then
     * {@link #dispatch} handles it), else a stage that writes 0 and the results into the reply, or completes
     * exceptionally with the refusal. It must not block: it runs on an RPC thread, possibly one that a lifecycle
     * call of the same service is waiting on.
     *
     * @param code   the request code.
     * @param data   the request (valid until the stage completes).
     * @param reply  the reply (valid until the stage completes).
     * @param caller the caller's kernel identity.
     * @return the stage, or null.
     */
    protected CompletionStage<Void> dispatchLater(final int code, final MessageSequence data,
        final MessageSequence reply, final Caller caller)
    {
        return null;
    }

    @Override
    protected final CompletionStage<Boolean> onRemoteMessageRequestAsync(final int code, final MessageSequence data,
        final MessageSequence reply, final MessageOption option)
    {
        final Caller caller = new Caller(IPCSkeleton.getCallingUid(), IPCSkeleton.getCallingPid());
        final CompletionStage<Void> later;
        try
        {
            later = dispatchLater(code, data, reply, caller);
        }
        catch (final RuntimeException refused)
        {
            return CompletableFuture.completedFuture(answerFailure(reply, refused));
        }
        if (null == later)
        {
            return CompletableFuture.completedFuture(handle(code, data, reply, caller));
        }
        return later.handle((done, failure) -> null == failure || answerFailure(reply, failure));
    }

    private boolean handle(final int code, final MessageSequence data, final MessageSequence reply,
        final Caller caller)
    {
        try
        {
            return dispatch(code, data, reply, caller);
        }
        catch (final BundleException failed)
        {
            ServiceReply.replaceWithError(reply, failed.code(), failed.getMessage());
        }
        catch (final JsonProcessingException malformed)
        {
            ServiceReply.replaceWithError(reply, ServiceException.PARAMETER_ERROR, malformed.getMessage());
        }
        catch (final RuntimeException failed)
        {
            return answerFailure(reply, failed);
        }
        return true;
    }

    /**
     * Turns a refusal into the reply: its code and message (401 for a malformed request); any other exception is
     * not answered (the caller gets the RPC layer's handler failure).
     */
    private static boolean answerFailure(final MessageSequence reply, final Throwable thrown)
    {
        final Throwable failure = thrown instanceof CompletionException && null != thrown.getCause()
            ? thrown.getCause() : thrown;
        switch (failure)
        {
            case AbilityException refused -> ServiceReply.replaceWithError(reply, refused.code(),
                refused.getMessage());
            case ServiceException refused -> ServiceReply.replaceWithError(reply, refused.code(),
                refused.getMessage());
            case IllegalArgumentException malformed -> ServiceReply.replaceWithError(reply,
                ServiceException.PARAMETER_ERROR, malformed.getMessage());
            case RpcException unreadable -> ServiceReply.replaceWithError(reply, ServiceException.PARAMETER_ERROR,
                "malformed request: " + unreadable.getMessage());
            case RuntimeException other -> throw other;
            default -> throw new IllegalStateException(failure);
        }
        return true;
    }

    /**
     * Refuses a caller that is neither root nor a system uid.
     *
     * @param caller the caller.
     * @param what   the operation, for the message.
     * @throws ServiceException 201.
     */
    protected static void requireSystem(final Caller caller, final String what)
    {
        if (caller.uid() >= FIRST_APP_UID)
        {
            throw new ServiceException(ServiceException.PERMISSION_DENIED, what + " is for root and system uids, not "
                + "uid " + caller.uid(), null);
        }
    }

    /**
     * A string field that must be present and not empty.
     *
     * @param value the value read.
     * @param field its name.
     * @return the value.
     * @throws IllegalArgumentException naming the field (401).
     */
    protected static String required(final String value, final String field)
    {
        if (null == value || value.isEmpty())
        {
            throw new IllegalArgumentException("field '" + field + "' is missing");
        }
        return value;
    }
}
