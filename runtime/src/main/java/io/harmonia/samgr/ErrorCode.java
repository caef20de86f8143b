package io.harmonia.samgr;

/**
 * OpenHarmony's lite error codes ({@code ohos_errno.h}) plus broadcast's {@code EC_ALREADY_SUBSCRIBED}, with their
 * numbers. The numbers are part of the contract: they travel in replies and logs, so they never change.
 */
public enum ErrorCode
{
    /** OK, no error. */
    EC_SUCCESS(0),
    /** Execution failed. */
    EC_FAILURE(-1),
    /** Bad pointer value. */
    EC_BADPTR(-2),
    /** Not enough memory. */
    EC_NOMEMORY(-3),
    /** Memory or bus address error. */
    EC_ADDRESS(-4),
    /** I/O error. */
    EC_IOERROR(-5),
    /** The bus (here: a task queue) is busy; the message was not accepted. */
    EC_BUSBUSY(-6),
    /** No response (the reference spells it NORESPONCE). */
    EC_NORESPONCE(-7),
    /** No such device. */
    EC_NODEVICE(-8),
    /** Invalid argument. */
    EC_INVALID(-9),
    /** Device or resource busy. */
    EC_BUSY(-10),
    /** No such service. */
    EC_NOSERVICE(-11),
    /** Permission denied. */
    EC_PERMISSION(-12),
    /** No such file. */
    EC_NOFILE(-13),
    /** No space left on device. */
    EC_NOSPACE(-14),
    /** Not a directory. */
    EC_NODIR(-15),
    /** Read-only file system. */
    EC_ROFILE(-16),
    /** Name too long. */
    EC_NAMETOOLONG(-17),
    /** Operation would block. */
    EC_OPBLOCK(-18),
    /** Timer expired. */
    EC_TIMEOUT(-19),
    /** Communication error. */
    EC_COMMU(-20),
    /** Protocol error. */
    EC_PROTOCOL(-21),
    /** Operation canceled. */
    EC_CANCELED(-22),
    /** No such key. */
    EC_NOKEY(-23),
    /** No handler. */
    EC_NOHANDLER(-24),
    /** Refused by flow control. */
    EC_FLOWCTRL(-25),
    /** Not initialised. */
    EC_NOINIT(-26),
    /** No resource left (a limit was reached). */
    EC_NORESOURCE(-27),
    /** Broadcast: the consumer already subscribes to the topic ({@code broadcast_interface.h}). */
    EC_ALREADY_SUBSCRIBED(1);

    private static final ErrorCode[] VALUES = values();

    private final int code;

    ErrorCode(final int code)
    {
        this.code = code;
    }

    /**
     * The stable number of this code, as OpenHarmony defines it.
     *
     * @return e.g. {@code -6} for {@link #EC_BUSBUSY}.
     */
    public int code()
    {
        return code;
    }

    /**
     * Whether this is {@link #EC_SUCCESS}.
     *
     * @return true for success.
     */
    public boolean isSuccess()
    {
        return EC_SUCCESS == this;
    }

    /**
     * The code with a number.
     *
     * @param code a number from {@link #code()}.
     * @return the code.
     * @throws IllegalArgumentException if no code has that number.
     */
    public static ErrorCode of(final int code)
    {
        for (final ErrorCode value : VALUES)
        {
            if (value.code == code)
            {
                return value;
            }
        }
        throw new IllegalArgumentException("code=" + code + " is not an OpenHarmony EC_* error code");
    }
}
