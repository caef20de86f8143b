package io.harmonia.rpc;

/**
 * Why a call to a remote object failed, with the status it carries in {@link RequestResult#errCode()} and the
 * OpenHarmony RPC code of the {@link RemoteCallException} it raises. Statuses reuse OpenHarmony's
 * {@code ipc_types.h} numbers where OpenHarmony has one; the rest are negative errno values.
 */
public enum CallFailure
{
    /** The handler returned false: the object did not handle the code ({@code ERR_UNKNOWN_TRANSACTION}). */
    NOT_HANDLED(4, RpcException.COMMUNICATION_ERROR, Leg.NONE, "the object did not handle the request"),
    /** The object refused the request, for instance for a wrong interface token ({@code ERR_TRANSACTION_FAILED}). */
    TRANSACTION_FAILED(1, RpcException.COMMUNICATION_ERROR, Leg.NONE, "the object refused the request"),
    /** The object has no handler for the code: its class overrides no handler, or the code is unknown to it
     * ({@code IPC_STUB_UNKNOW_TRANS_ERR}). */
    NO_HANDLER(305, RpcException.COMMUNICATION_ERROR, Leg.NONE, "the object has no handler for the code"),
    /** The handler threw ({@code IPC_STUB_ERR}); the reply carries no data. */
    HANDLER_FAILED(300, RpcException.COMMUNICATION_ERROR, Leg.NONE, "the request handler threw"),
    /** The reply did not fit the caller's limits or could not be sent ({@code IPC_STUB_WRITE_PARCEL_ERR}). */
    REPLY_TOO_LARGE(301, RpcException.COMMUNICATION_ERROR, Leg.REPLY, "the reply is too large"),
    /** The request could not be sent: larger than the limit ({@code IPC_PROXY_WRITE_PARCEL_ERR}). */
    REQUEST_TOO_LARGE(205, RpcException.COMMUNICATION_ERROR, Leg.REQUEST, "the request is too large"),
    /** The code is outside 1..0x00ffffff ({@code IPC_PROXY_INVALID_CODE_ERR}). */
    INVALID_CODE(204, RpcException.CHECK_PARAM_ERROR, Leg.REQUEST, "the request code is out of range"),
    /** The owner process died or closed the connection ({@code DEAD_OBJECT}, -EPIPE). */
    DEAD_OBJECT(-32, RpcException.COMMUNICATION_ERROR, Leg.NONE, "the remote object is dead"),
    /** No reply came within the call's wait time (-ETIMEDOUT; OpenHarmony's local calls have no deadline). */
    TIMED_OUT(-110, RpcException.COMMUNICATION_ERROR, Leg.REPLY, "no reply within the wait time"),
    /** The one-way calls in flight on the connection reached their limit and did not drain within the wait time
     * (-EAGAIN). */
    ONE_WAY_LIMIT(-11, RpcException.COMMUNICATION_ERROR, Leg.REQUEST,
        "too many one-way calls in flight"),
    /** The owner does not know the object, or the caller holds no reference to it ({@code ERR_UNKNOWN_OBJECT}). */
    UNKNOWN_OBJECT(2, RpcException.PROXY_OR_REMOTE_OBJECT_INVALID_ERROR, Leg.NONE,
        "the owner holds no such object for this caller"),
    /** The waiting thread was interrupted; the call may still run at the owner (-EINTR). */
    INTERRUPTED(-4, RpcException.COMMUNICATION_ERROR, Leg.REPLY, "the waiting thread was interrupted"),
    /** The owner's incoming-call threads are all busy and the call could not start in time (-EBUSY). */
    BUSY(-16, RpcException.COMMUNICATION_ERROR, Leg.REQUEST, "the owner had no free thread in time"),
    /** A frame broke the protocol ({@code ERR_INVALID_REPLY}); the connection is closed. */
    PROTOCOL(9, RpcException.COMMUNICATION_ERROR, Leg.NONE, "the peer broke the protocol");

    /** Which half of a call failed, so that a caller can tell a request that never arrived from a lost reply. */
    public enum Leg
    {
        /** Not tied to one half (the object or the connection). */
        NONE,
        /** The request was not delivered: nothing ran at the owner. */
        REQUEST,
        /** The request was delivered; the reply was lost, refused or late. */
        REPLY
    }

    private final int status;
    private final int rpcCode;
    private final Leg leg;
    private final String meaning;

    CallFailure(final int status, final int rpcCode, final Leg leg, final String meaning)
    {
        this.status = status;
        this.rpcCode = rpcCode;
        this.leg = leg;
        this.meaning = meaning;
    }

    /**
     * The status in {@link RequestResult#errCode()}.
     *
     * @return OpenHarmony's number, or a negative errno.
     */
    public int status()
    {
        return status;
    }

    /**
     * The OpenHarmony RPC error code of the exception.
     *
     * @return e.g. {@link RpcException#COMMUNICATION_ERROR}.
     */
    public int rpcCode()
    {
        return rpcCode;
    }

    /**
     * The half of the call that failed.
     *
     * @return the leg.
     */
    public Leg leg()
    {
        return leg;
    }

    /**
     * What it means, in words.
     *
     * @return a short sentence.
     */
    public String meaning()
    {
        return meaning;
    }

    /**
     * The failure of a status, as received in a reply frame.
     *
     * @param status a status other than 0.
     * @return the failure, or {@link #PROTOCOL} for a number no failure has.
     */
    public static CallFailure ofStatus(final int status)
    {
        for (final CallFailure failure : values())
        {
            if (failure.status == status)
            {
                return failure;
            }
        }
        return PROTOCOL;
    }
}
