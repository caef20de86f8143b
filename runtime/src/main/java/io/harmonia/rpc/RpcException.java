package io.harmonia.rpc;

/**
 * The one exception of Harmonia's RPC layer, carrying OpenHarmony's RPC error code ({@link #code()}) and a
 * message that names the field and the limit involved, e.g.
 * {@code "1900009 write failed: field 'string': needs 72 bytes, 40 left"}.
 */
public final class RpcException extends RuntimeException
{
    /** OpenHarmony's {@code CHECK_PARAM_ERROR}: a parameter is invalid. */
    public static final int CHECK_PARAM_ERROR = 401;
    /** OpenHarmony's {@code WRITE_DATA_TO_MESSAGE_SEQUENCE_ERROR}. */
    public static final int WRITE_DATA_TO_MESSAGE_SEQUENCE_ERROR = 1900009;
    /** OpenHarmony's {@code READ_DATA_FROM_MESSAGE_SEQUENCE_ERROR}. */
    public static final int READ_DATA_FROM_MESSAGE_SEQUENCE_ERROR = 1900010;
    /** OpenHarmony's {@code OS_DUP_ERROR}: duplicating a file descriptor failed. */
    public static final int OS_DUP_ERROR = 1900013;

    private static final long serialVersionUID = 1L;

    private final int code;

    /**
     * An exception with an OpenHarmony RPC code.
     *
     * @param code   one of the codes above.
     * @param detail what failed: the field and the limit.
     */
    public RpcException(final int code, final String detail)
    {
        super(code + " " + describeCode(code) + ": " + detail);
        this.code = code;
    }

    /**
     * OpenHarmony's error code.
     *
     * @return e.g. {@link #READ_DATA_FROM_MESSAGE_SEQUENCE_ERROR}.
     */
    public int code()
    {
        return code;
    }

    private static String describeCode(final int code)
    {
        return switch (code)
        {
            case CHECK_PARAM_ERROR -> "bad parameter";
            case WRITE_DATA_TO_MESSAGE_SEQUENCE_ERROR -> "write failed";
            case READ_DATA_FROM_MESSAGE_SEQUENCE_ERROR -> "read failed";
            case OS_DUP_ERROR -> "dup failed";
            default -> "rpc error";
        };
    }
}
