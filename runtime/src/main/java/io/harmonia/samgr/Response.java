package io.harmonia.samgr;

/**
 * The answer to a {@link Request} (OpenHarmony's {@code Response {void *data; int16 len}}), with a status code that
 * OpenHarmony lacks: samgr answers {@link ErrorCode#EC_NOSERVICE} when the addressed service or feature left before
 * the request was dispatched, and {@link ErrorCode#EC_FAILURE} when the handler threw, instead of leaving the sender
 * waiting or handing it an empty success. The automatic response to a request the handler did not answer is
 * {@link #EMPTY}.
 */
public final class Response
{
    /** The automatic response: success, no data. */
    public static final Response EMPTY = new Response(ErrorCode.EC_SUCCESS, null);

    private final ErrorCode status;
    private final byte[] data;

    /**
     * A successful response with data.
     *
     * @param data the payload (not copied), at most {@value Request#MAX_DATA_LENGTH} bytes, or {@code null}.
     */
    public Response(final byte[] data)
    {
        this(ErrorCode.EC_SUCCESS, data);
    }

    /**
     * A response with a status.
     *
     * @param status what happened.
     * @param data   the payload (not copied), at most {@value Request#MAX_DATA_LENGTH} bytes, or {@code null}.
     * @throws IllegalArgumentException if the data is too long.
     * @throws NullPointerException     if {@code status} is null.
     */
    public Response(final ErrorCode status, final byte[] data)
    {
        if (null == status)
        {
            throw new NullPointerException("status");
        }
        Request.checkDataLength(data);
        this.status = status;
        this.data = data;
    }

    /**
     * The status.
     *
     * @return {@link ErrorCode#EC_SUCCESS} unless samgr or the responder said otherwise.
     */
    public ErrorCode status()
    {
        return status;
    }

    /**
     * The payload.
     *
     * @return the data, or {@code null}.
     */
    public byte[] data()
    {
        return data;
    }

    /**
     * The payload length.
     *
     * @return 0 when there is no data.
     */
    public int length()
    {
        return null == data ? 0 : data.length;
    }

    @Override
    public String toString()
    {
        return "Response{status=" + status + ", len=" + length() + "}";
    }
}
