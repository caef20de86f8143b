package io.harmonia.rpc;

/**
 * An error of Harmonia's RPC layer, carrying OpenHarmony's RPC error code ({@link #code()}, the numbers of
 * {@code errorcode-rpc.md}) and a message that names the field and the limit involved, e.g.
 * {@code "1900009 write failed: field 'string': needs 72 bytes, 40 left"}. A call that reached (or tried to reach)
 * another object and failed throws the subclass {@link RemoteCallException}, which also says why.
 */
public class RpcException extends RuntimeException
{
    /** OpenHarmony's {@code CHECK_PARAM_ERROR}: a parameter is invalid. */
    public static final int CHECK_PARAM_ERROR = 401;
    /** OpenHarmony's {@code OS_MMAP_ERROR}: mapping memory failed. */
    public static final int OS_MMAP_ERROR = 1900001;
    /** OpenHarmony's {@code OS_IOCTL_ERROR}: a driver call failed (here: a system call of the transport). */
    public static final int OS_IOCTL_ERROR = 1900002;
    /** OpenHarmony's {@code WRITE_TO_ASHMEM_ERROR}: writing shared memory failed. */
    public static final int WRITE_TO_ASHMEM_ERROR = 1900003;
    /** OpenHarmony's {@code READ_FROM_ASHMEM_ERROR}: reading shared memory failed. */
    public static final int READ_FROM_ASHMEM_ERROR = 1900004;
    /** OpenHarmony's {@code ONLY_PROXY_OBJECT_PERMITTED_ERROR}: the operation needs a proxy, not a local object. */
    public static final int ONLY_PROXY_OBJECT_PERMITTED_ERROR = 1900005;
    /** OpenHarmony's {@code ONLY_REMOTE_OBJECT_PERMITTED_ERROR}: the operation needs a local object, not a proxy. */
    public static final int ONLY_REMOTE_OBJECT_PERMITTED_ERROR = 1900006;
    /** OpenHarmony's {@code COMMUNICATION_ERROR}: the call could not be completed (dead peer, timeout, limits). */
    public static final int COMMUNICATION_ERROR = 1900007;
    /** OpenHarmony's {@code PROXY_OR_REMOTE_OBJECT_INVALID_ERROR}: the proxy or object is not usable. */
    public static final int PROXY_OR_REMOTE_OBJECT_INVALID_ERROR = 1900008;
    /** OpenHarmony's {@code WRITE_DATA_TO_MESSAGE_SEQUENCE_ERROR}. */
    public static final int WRITE_DATA_TO_MESSAGE_SEQUENCE_ERROR = 1900009;
    /** OpenHarmony's {@code READ_DATA_FROM_MESSAGE_SEQUENCE_ERROR}. */
    public static final int READ_DATA_FROM_MESSAGE_SEQUENCE_ERROR = 1900010;
    /** OpenHarmony's {@code PARCEL_MEMORY_ALLOC_ERROR}: memory for a message could not be allocated. */
    public static final int PARCEL_MEMORY_ALLOC_ERROR = 1900011;
    /** OpenHarmony's {@code CALL_JS_METHOD_ERROR}: a callback of the application failed. */
    public static final int CALL_JS_METHOD_ERROR = 1900012;
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
     * An exception with an OpenHarmony RPC code and the failure that caused it.
     *
     * @param code   one of the codes above.
     * @param detail what failed.
     * @param cause  the underlying failure.
     */
    public RpcException(final int code, final String detail, final Throwable cause)
    {
        super(code + " " + describeCode(code) + ": " + detail, cause);
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

    /**
     * OpenHarmony's short text for a code.
     *
     * @param code an RPC error code.
     * @return its meaning, or "rpc error" for an unknown one.
     */
    public static String describeCode(final int code)
    {
        return switch (code)
        {
            case CHECK_PARAM_ERROR -> "bad parameter";
            case OS_MMAP_ERROR -> "mmap failed";
            case OS_IOCTL_ERROR -> "transport call failed";
            case WRITE_TO_ASHMEM_ERROR -> "shared memory write failed";
            case READ_FROM_ASHMEM_ERROR -> "shared memory read failed";
            case ONLY_PROXY_OBJECT_PERMITTED_ERROR -> "only a proxy is permitted";
            case ONLY_REMOTE_OBJECT_PERMITTED_ERROR -> "only a local remote object is permitted";
            case COMMUNICATION_ERROR -> "communication failed";
            case PROXY_OR_REMOTE_OBJECT_INVALID_ERROR -> "invalid proxy or remote object";
            case WRITE_DATA_TO_MESSAGE_SEQUENCE_ERROR -> "write failed";
            case READ_DATA_FROM_MESSAGE_SEQUENCE_ERROR -> "read failed";
            case PARCEL_MEMORY_ALLOC_ERROR -> "message memory allocation failed";
            case CALL_JS_METHOD_ERROR -> "application callback failed";
            case OS_DUP_ERROR -> "dup failed";
            default -> "rpc error";
        };
    }
}
