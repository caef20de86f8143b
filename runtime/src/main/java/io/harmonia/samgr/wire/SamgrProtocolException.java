package io.harmonia.samgr.wire;

import io.harmonia.samgr.ErrorCode;

/**
 * A samgr message that breaks the protocol or one of its limits: the only error {@link SamgrRequestDecoder} and
 * the client's reply reader raise. The message names the field and the limit; {@link #status()} is the
 * {@code EC_*} code the server answers with.
 */
public final class SamgrProtocolException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final transient ErrorCode status;

    /**
     * A violation.
     *
     * @param status the status to answer with (usually {@link ErrorCode#EC_INVALID}).
     * @param message what is wrong: the field and the limit.
     */
    public SamgrProtocolException(final ErrorCode status, final String message)
    {
        super(message);
        this.status = status;
    }

    /**
     * A violation found while reading a field.
     *
     * @param message what is wrong.
     * @param cause   the read failure.
     */
    public SamgrProtocolException(final String message, final Throwable cause)
    {
        super(message, cause);
        this.status = ErrorCode.EC_INVALID;
    }

    /**
     * The status the server answers with.
     *
     * @return e.g. {@link ErrorCode#EC_INVALID}.
     */
    public ErrorCode status()
    {
        return status;
    }
}
