package io.harmonia.rpc;

/**
 * Thrown by a request handler to refuse a request with a specific failure instead of answering it: the caller gets
 * that {@link CallFailure} (its status in {@code errCode}), e.g. {@link CallFailure#TRANSACTION_FAILED} for a wrong
 * interface token or {@link CallFailure#NO_HANDLER} for a code the object does not know, as OpenHarmony's generated
 * stubs answer. Refusals are not logged as handler failures.
 */
public final class RequestRefusedException extends RpcException
{
    private static final long serialVersionUID = 1L;

    private final CallFailure failure;

    /**
     * A refusal.
     *
     * @param failure what the caller gets; one of the failures a handler may answer (not DEAD_OBJECT, TIMED_OUT,
     *                ONE_WAY_LIMIT, BUSY, INTERRUPTED, which only the transport reports).
     * @param detail  why, for the log of the handler's process.
     * @throws IllegalArgumentException for a failure only the transport reports.
     */
    public RequestRefusedException(final CallFailure failure, final String detail)
    {
        super(failure.rpcCode(), failure.meaning() + ": " + detail);
        switch (failure)
        {
            case DEAD_OBJECT, TIMED_OUT, ONE_WAY_LIMIT, BUSY, INTERRUPTED ->
                throw new IllegalArgumentException(failure + " is reported by the transport, not by a handler");
            default ->
            {
            }
        }
        this.failure = failure;
    }

    /**
     * What the caller gets.
     *
     * @return the failure.
     */
    public CallFailure failure()
    {
        return failure;
    }
}
