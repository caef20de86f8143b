package io.harmonia.samgr;

/**
 * A registry operation was refused (a duplicate name, a limit reached, a service still holding APIs, ...). The
 * registry is unchanged when this is thrown. The message names the object, the rule and the limit.
 */
public final class SamgrException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** The code; not serialised state anyone should depend on, but enums serialise fine. */
    private final ErrorCode errorCode;

    /**
     * A refusal.
     *
     * @param errorCode the code that classifies it.
     * @param message   what was refused and why, naming the limit where there is one.
     */
    public SamgrException(final ErrorCode errorCode, final String message)
    {
        super(errorCode + ": " + message);
        this.errorCode = errorCode;
    }

    /**
     * A refusal with the failure behind it (e.g. the call to the samgr server that did not go through).
     *
     * @param errorCode the code that classifies it.
     * @param message   what was refused and why.
     * @param cause     the underlying failure.
     */
    public SamgrException(final ErrorCode errorCode, final String message, final Throwable cause)
    {
        super(errorCode + ": " + message, cause);
        this.errorCode = errorCode;
    }

    /**
     * The code that classifies the refusal.
     *
     * @return e.g. {@link ErrorCode#EC_NORESOURCE} when a maximum count was reached.
     */
    public ErrorCode errorCode()
    {
        return errorCode;
    }
}
