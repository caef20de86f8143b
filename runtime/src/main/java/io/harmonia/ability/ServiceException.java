package io.harmonia.ability;

/**
 * A request to a foundation service that failed: the service's code (OpenHarmony's numbering) and its message, or
 * {@link #UNREACHABLE} when the service could not be called at all.
 */
public final class ServiceException extends RuntimeException
{
    /** The call did not reach the service or got no answer (dead, not running, timed out): 1900007, IPC's own. */
    public static final int UNREACHABLE = 1900007;
    /** The caller may not do this. */
    public static final int PERMISSION_DENIED = 201;
    /** A parameter is malformed. */
    public static final int PARAMETER_ERROR = 401;

    private static final long serialVersionUID = 1L;

    private final int code;

    /**
     * A failure.
     *
     * @param code    the code.
     * @param message the message.
     * @param cause   the underlying failure, or null.
     */
    public ServiceException(final int code, final String message, final Throwable cause)
    {
        super(message, cause);
        this.code = code;
    }

    /**
     * The code.
     *
     * @return e.g. 17700001.
     */
    public int code()
    {
        return code;
    }
}
