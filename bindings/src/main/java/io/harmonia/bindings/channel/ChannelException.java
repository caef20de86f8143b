package io.harmonia.bindings.channel;

import io.harmonia.bindings.Errno;

/** A channel operation failed; {@link #errno()} tells why (ECONNRESET: the peer died; EPIPE: closed). */
public class ChannelException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** ECONNRESET: the peer process died or hung up. */
    public static final int DEAD_PEER = 104;
    /** EPIPE: the channel was shut down by either side. */
    public static final int CLOSED = 32;

    /** The positive errno. */
    private final int errno;

    /**
     * A failure.
     *
     * @param errno   the errno, positive or negative.
     * @param message what failed.
     */
    public ChannelException(final int errno, final String message)
    {
        super(message + " (" + Errno.describe(errno) + ")");
        this.errno = Math.abs(errno);
    }

    /**
     * The errno of the failure.
     *
     * @return e.g. {@link #DEAD_PEER} or {@link #CLOSED}.
     */
    public int errno()
    {
        return errno;
    }

    /**
     * Whether the peer died (crash, SIGKILL) rather than closing cleanly.
     *
     * @return true for a dead peer.
     */
    public boolean isDeadPeer()
    {
        return DEAD_PEER == errno;
    }
}
