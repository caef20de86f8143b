package io.harmonia.rpc;

/**
 * How a call is sent: synchronously (the caller waits for the reply, at most the wait time) or one way
 * ({@link #TF_ASYNC}: no reply, ordered per proxy), and whether the receiver accepts file descriptors.
 *
 * <p>Differences from OpenHarmony, on purpose: {@link #setFlags} sets the flags it is given (OpenHarmony ORs them
 * in, so TF_ASYNC can never be cleared); the wait time bounds every synchronous call, also between processes of
 * one machine (OpenHarmony applies it only to calls to other devices, so its local calls can wait forever), and
 * may be given in milliseconds ({@link #setWaitTimeMillis}). Not thread-safe; a call reads it once, when it starts.
 */
public final class MessageOption
{
    /** Synchronous call (the default). */
    public static final int TF_SYNC = 0x00;
    /** One-way call: no reply; calls through one proxy are handled in the order they were sent. */
    public static final int TF_ASYNC = 0x01;
    /** The receiver accepts file descriptors. */
    public static final int TF_ACCEPT_FDS = 0x10;
    /** Default wait time of a synchronous call, in seconds. */
    public static final int TF_WAIT_TIME = 8;
    /** Longest wait time in seconds; larger values are clamped to it (OpenHarmony's {@code MAX_WAIT_TIME}). */
    public static final int MAX_WAIT_TIME = 3000;

    private static final int KNOWN_FLAGS = TF_ASYNC | TF_ACCEPT_FDS;

    private int flags;
    private long waitTimeMillis = TF_WAIT_TIME * 1000L;

    /** A synchronous option with the default wait time. */
    public MessageOption()
    {
        this(TF_SYNC, TF_WAIT_TIME);
    }

    /**
     * An option for a one-way or synchronous call with the default wait time.
     *
     * @param async true for a one-way call.
     */
    public MessageOption(final boolean async)
    {
        this(async ? TF_ASYNC : TF_SYNC, TF_WAIT_TIME);
    }

    /**
     * An option with flags and a wait time.
     *
     * @param syncFlags {@link #TF_SYNC} or {@link #TF_ASYNC}, optionally with {@link #TF_ACCEPT_FDS}.
     * @param waitTime  seconds; values &lt;= 0 mean {@link #TF_WAIT_TIME}, values above {@link #MAX_WAIT_TIME}
     *                  are clamped to it.
     * @throws RpcException 401 for unknown flag bits.
     */
    public MessageOption(final int syncFlags, final int waitTime)
    {
        setFlags(syncFlags);
        setWaitTime(waitTime);
    }

    /**
     * The flags.
     *
     * @return TF_SYNC or TF_ASYNC, with TF_ACCEPT_FDS when set.
     */
    public int getFlags()
    {
        return flags;
    }

    /**
     * Sets the flags, replacing the old ones (so TF_ASYNC can be cleared again).
     *
     * @param flags a combination of {@link #TF_ASYNC} and {@link #TF_ACCEPT_FDS}.
     * @throws RpcException 401 for unknown flag bits.
     */
    public void setFlags(final int flags)
    {
        if (0 != (flags & ~KNOWN_FLAGS))
        {
            throw new RpcException(RpcException.CHECK_PARAM_ERROR, "field 'flags' is 0x" + Integer.toHexString(flags) +
                ", only TF_ASYNC (0x1) and TF_ACCEPT_FDS (0x10) are defined");
        }
        this.flags = flags;
    }

    /**
     * Whether the call is one way.
     *
     * @return true for TF_ASYNC.
     */
    public boolean isAsync()
    {
        return 0 != (flags & TF_ASYNC);
    }

    /**
     * Makes the call one way or synchronous.
     *
     * @param async true for a one-way call.
     */
    public void setAsync(final boolean async)
    {
        flags = async ? flags | TF_ASYNC : flags & ~TF_ASYNC;
    }

    /**
     * The wait time in whole seconds (rounded up).
     *
     * @return seconds.
     */
    public int getWaitTime()
    {
        return (int)((waitTimeMillis + 999) / 1000);
    }

    /**
     * Sets the wait time of a synchronous call.
     *
     * @param waitTime seconds; values &lt;= 0 mean {@link #TF_WAIT_TIME}, values above {@link #MAX_WAIT_TIME} are
     *                 clamped to it, as OpenHarmony does.
     */
    public void setWaitTime(final int waitTime)
    {
        final int seconds = waitTime <= 0 ? TF_WAIT_TIME : Math.min(waitTime, MAX_WAIT_TIME);
        waitTimeMillis = seconds * 1000L;
    }

    /**
     * The wait time in milliseconds.
     *
     * @return milliseconds.
     */
    public long getWaitTimeMillis()
    {
        return waitTimeMillis;
    }

    /**
     * Sets the wait time with millisecond precision (a Harmonia extension).
     *
     * @param millis 1 .. MAX_WAIT_TIME * 1000.
     * @throws RpcException 401 when out of range.
     */
    public void setWaitTimeMillis(final long millis)
    {
        if (millis < 1 || millis > MAX_WAIT_TIME * 1000L)
        {
            throw new RpcException(RpcException.CHECK_PARAM_ERROR, "field 'wait time' is " + millis +
                " ms, must be 1.." + MAX_WAIT_TIME * 1000L);
        }
        waitTimeMillis = millis;
    }

    @Override
    public String toString()
    {
        return "MessageOption{" + (isAsync() ? "TF_ASYNC" : "TF_SYNC") +
            (0 != (flags & TF_ACCEPT_FDS) ? "|TF_ACCEPT_FDS" : "") + ", wait " + waitTimeMillis + " ms}";
    }
}
