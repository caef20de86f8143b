package io.harmonia.bindings.queue;

import io.harmonia.bindings.Errno;

/** A region or ring operation failed; carries the library's errno and its explanation. */
public class RegionException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** EPROTO: the process sharing the region broke a ring's rules (a position, a record header). */
    public static final int PROTOCOL_VIOLATION = 71;

    /** The positive errno. */
    private final int errno;
    /** The message without the errno's description. */
    private final String detail;

    /**
     * A failure with the library's message.
     *
     * @param errno   the errno, positive or negative.
     * @param message what failed and why (the library's text when it gave one).
     */
    public RegionException(final int errno, final String message)
    {
        super(message + " (" + Errno.describe(errno) + ")");
        this.errno = Math.abs(errno);
        this.detail = message;
    }

    /**
     * What failed and why, without the errno.
     *
     * @return the message given at construction.
     */
    public String detail()
    {
        return detail;
    }

    /**
     * The errno of the failure.
     *
     * @return a positive errno, e.g. 74 (EBADMSG) for a corrupted header.
     */
    public int errno()
    {
        return errno;
    }
}
