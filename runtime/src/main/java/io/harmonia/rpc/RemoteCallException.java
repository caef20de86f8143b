package io.harmonia.rpc;

/**
 * A call on an {@link IRemoteObject} that did not succeed: {@link #failure()} says why (and which leg, request or
 * reply, failed), {@link #result()} is what OpenHarmony's rejected promise carries ({@code errCode} is the
 * failure's status). {@link #code()} is OpenHarmony's RPC error code: 1900007 for communication failures, 1900008
 * for an object the owner does not know, 401 for a code out of range.
 */
public final class RemoteCallException extends RpcException
{
    private static final long serialVersionUID = 1L;

    private final CallFailure failure;
    private final transient RequestResult result;

    /**
     * A failed call.
     *
     * @param failure why.
     * @param result  the code, data and reply of the call, with the failure's status as errCode.
     * @param detail  the circumstances (the object, the peer, the limit).
     */
    public RemoteCallException(final CallFailure failure, final RequestResult result, final String detail)
    {
        super(failure.rpcCode(), failure.meaning() + " (status " + failure.status() + ", " +
            failure.leg().name().toLowerCase(java.util.Locale.ROOT) + " leg): " + detail);
        this.failure = failure;
        this.result = result;
    }

    /**
     * Why the call failed.
     *
     * @return the failure.
     */
    public CallFailure failure()
    {
        return failure;
    }

    /**
     * The call's result as OpenHarmony reports a rejected call.
     *
     * @return errCode (the failure's status), code, data and reply.
     */
    public RequestResult result()
    {
        return result;
    }
}
