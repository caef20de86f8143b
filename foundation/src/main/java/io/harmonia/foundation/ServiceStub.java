package io.harmonia.foundation;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.harmonia.ability.AbilityException;
import io.harmonia.ability.ServiceException;
import io.harmonia.ability.ServiceReply;
import io.harmonia.foundation.bundle.BundleException;
import io.harmonia.rpc.IPCSkeleton;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.RemoteObject;

/**
 * The RPC object of a foundation service: reads the caller's kernel uid and pid at the top of each request (never
 * anything from its bytes), hands the request to {@link #dispatch}, and turns every refusal into the reply
 * convention of {@link ServiceReply} (the exception's OpenHarmony code and message; 401 for a malformed request), so
 * a bad request fails its own call and nothing else.
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

    @Override
    protected final boolean onRemoteMessageRequest(final int code, final MessageSequence data,
        final MessageSequence reply, final MessageOption option)
    {
        final Caller caller = new Caller(IPCSkeleton.getCallingUid(), IPCSkeleton.getCallingPid());
        try
        {
            return dispatch(code, data, reply, caller);
        }
        catch (final AbilityException failed)
        {
            ServiceReply.replaceWithError(reply, failed.code(), failed.getMessage());
        }
        catch (final ServiceException failed)
        {
            ServiceReply.replaceWithError(reply, failed.code(), failed.getMessage());
        }
        catch (final BundleException failed)
        {
            ServiceReply.replaceWithError(reply, failed.code(), failed.getMessage());
        }
        catch (final IllegalArgumentException | JsonProcessingException malformed)
        {
            ServiceReply.replaceWithError(reply, ServiceException.PARAMETER_ERROR, malformed.getMessage());
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
